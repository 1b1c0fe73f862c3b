//! The one place the dashboard talks HTTP: every call goes to the backend the [settings] name,
//! JSON in and out (or a file down), errors as [`ApiError`], each carrying the proxy access token
//! (`X-Desk-Token`) when one is set in Settings.
//!
//! Two transports share it: Huawei's REST calls (`GET`/`POST`/`DELETE` on the API's path, errors
//! on 4xx/5xx) and Tencent Cloud API 3.0 ([`tencent_call`]: `POST /`, the action in a header,
//! errors inside an HTTP 200). The decoding of answers is kept in plain functions
//! ([`json_answer`], [`tencent_answer`]) so it is tested without a browser.
//!
//! [settings]: crate::settings

use super::{ApiError, NotSent};
use crate::settings::{self, DeskSettings};
use export_desk_model::desk::ACCESS_TOKEN_HEADER;
use export_desk_model::huawei::REQUEST_ID_HEADER;
use export_desk_model::tencent_cls::{Envelope, ACTION_HEADER, LANGUAGE_HEADER, VERSION_HEADER};
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Extra request headers, `(name, value)`: IoTDA's `X-Project-Id` and `Instance-Id`, say.
pub type Headers<'a> = &'a [(&'a str, &'a str)];

/// The header every request with a JSON body carries.
pub const JSON_CONTENT_TYPE: (&str, &str) = ("Content-Type", "application/json");
/// Tencent Cloud API 3.0 takes every action on the root path.
pub const TENCENT_PATH: &str = "/";

/// The headers naming a Tencent Cloud API 3.0 action (the content type comes on top), and, while
/// the dashboard speaks Chinese, `X-TC-Language: zh-CN`, so the provider's error messages (shown as
/// they came) are in the reader's language; without it they are English, the cloud's default.
/// Built where the call is described, under the page's owner, where the language is in context.
pub fn tencent_headers(action: &str, version: &str) -> Vec<(&'static str, String)> {
    let mut headers = vec![(ACTION_HEADER, action.to_owned()), (VERSION_HEADER, version.to_owned())];
    if crate::i18n::lang() == crate::i18n::Lang::ZhCn {
        headers.push((LANGUAGE_HEADER, "zh-CN".to_owned()));
    }
    headers
}

/// `GET path` (path and query) and decode the JSON answer.
pub async fn get_json<T: DeserializeOwned>(path: &str, headers: Headers<'_>) -> Result<T, ApiError> {
    let response = send(Request::get, path, headers, None).await?;
    json_answer(&text(response).await?)
}

/// `POST path` with a JSON body and decode the JSON answer.
pub async fn post_json<B: Serialize + ?Sized, T: DeserializeOwned>(
    path: &str,
    headers: Headers<'_>,
    body: &B,
) -> Result<T, ApiError> {
    let body = encode(body)?;
    let response = send(Request::post, path, headers, Some(body)).await?;
    json_answer(&text(response).await?)
}

/// `DELETE path`; any 2xx is success and its body (IoTDA: none, 204) is not read.
pub async fn delete(path: &str, headers: Headers<'_>) -> Result<(), ApiError> {
    send(Request::delete, path, headers, None).await.map(drop)
}

/// A Tencent Cloud API 3.0 call: `POST /` with `X-TC-Action` and `X-TC-Version`, the parameters
/// as the JSON body. Answers are HTTP 200 `{"Response":{…}}`; an `Error` inside is an
/// [`ApiError::Provider`] with Tencent's code, message and `RequestId`.
pub async fn tencent_call<B: Serialize + ?Sized, T: DeserializeOwned>(
    action: &str,
    version: &str,
    body: &B,
) -> Result<T, ApiError> {
    let mut request = request_to(Request::post, TENCENT_PATH)?;
    for (name, value) in tencent_headers(action, version) {
        request = request.header(name, &value);
    }
    let request = request
        .header(JSON_CONTENT_TYPE.0, JSON_CONTENT_TYPE.1)
        .body(encode(body)?)
        .map_err(|e| ApiError::Decode(e.to_string()))?;
    let response = request.send().await.map_err(|e| ApiError::Network(e.to_string()))?;
    let status = response.status();
    let request_id = response.headers().get(REQUEST_ID_HEADER);
    let body = text(response).await?;
    tencent_answer(status, &body, request_id)
}

/// A file an API call answered with, held in memory until handed to the browser by [`Download::save`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download {
    pub bytes: Vec<u8>,
    /// From `Content-Disposition`, when the answer named one.
    pub file_name: Option<String>,
    pub content_type: String,
}

/// `GET path` for a file (IoTDA's ShowExportTask answers the export's zip).
///
/// Fetched rather than navigated to, for three reasons: the call carries headers a link cannot
/// (`Instance-Id`); a refusal (`IOTDA.021101` "one download per 30 s", with `Retry-After`, or a
/// file not ready) comes back as an [`ApiError`] the page shows with its countdown, instead of
/// replacing the dashboard with a JSON page; and the page knows the moment a file was really
/// served, which is when the provider's 30 s window starts. The files are small (IoTDA's under a
/// megabyte), so holding one in memory is fine.
pub async fn download(path: &str, headers: Headers<'_>) -> Result<Download, ApiError> {
    let response = send(Request::get, path, headers, None).await?;
    let file_name = response.headers().get("Content-Disposition").as_deref().and_then(attachment_file_name);
    let content_type = response.headers().get("Content-Type").unwrap_or_else(|| "application/octet-stream".to_owned());
    let bytes = response.binary().await.map_err(|e| ApiError::Network(e.to_string()))?;
    Ok(Download { bytes, file_name, content_type })
}

impl Download {
    /// Hands the file to the browser's download manager under its own name (or `fallback_name`):
    /// a blob URL, a click on a temporary `<a download>`, the URL released a minute later (the
    /// browser reads it asynchronously after the click).
    pub fn save(&self, fallback_name: &str) -> Result<(), ApiError> {
        use wasm_bindgen::JsCast;
        let failed = ApiError::NotSaved;
        let bytes = js_sys::Uint8Array::from(self.bytes.as_slice());
        let options = web_sys::BlobPropertyBag::new();
        options.set_type(&self.content_type);
        let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&js_sys::Array::of1(&bytes), &options)
            .map_err(|_| failed("no blob"))?;
        let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| failed("no object URL"))?;
        let document = leptos::prelude::document();
        let link: web_sys::HtmlAnchorElement =
            document.create_element("a").map_err(|_| failed("no link"))?.unchecked_into();
        link.set_href(&url);
        link.set_download(self.file_name.as_deref().unwrap_or(fallback_name));
        link.set_hidden(true);
        let body = document.body().ok_or_else(|| failed("no document body"))?;
        body.append_child(&link).map_err(|_| failed("no link"))?;
        link.click();
        link.remove();
        leptos::prelude::set_timeout(
            move || {
                let _ = web_sys::Url::revoke_object_url(&url);
            },
            std::time::Duration::from_secs(60),
        );
        Ok(())
    }
}

/// The file name of a `Content-Disposition: attachment; filename="…"` header, without any
/// directory part (a name is all the browser may be given).
pub fn attachment_file_name(header: &str) -> Option<String> {
    let value = header.split(';').map(str::trim).find_map(|part| {
        let (key, value) = part.split_once('=')?;
        key.trim().eq_ignore_ascii_case("filename").then(|| value.trim())
    })?;
    let unquoted = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(value);
    let name = unquoted.rsplit(['/', '\\']).next().unwrap_or_default().trim();
    (!name.is_empty() && name != "." && name != "..").then(|| name.to_owned())
}

/// `Retry-After` in whole seconds (the HTTP-date form is not used by the providers here).
pub fn retry_after_secs(header: Option<&str>) -> Option<u32> {
    header?.trim().parse().ok()
}

/// Decodes a 2xx answer's JSON; an empty body reads as `null` (for answers that carry nothing).
pub fn json_answer<T: DeserializeOwned>(body: &str) -> Result<T, ApiError> {
    let body = if body.trim().is_empty() { "null" } else { body };
    serde_json::from_str(body).map_err(|e| ApiError::Decode(e.to_string()))
}

/// Reads a Tencent Cloud API 3.0 answer as the official SDK does: an `Error` in the envelope is
/// the provider's error whatever the status; otherwise anything but 200 is a transport error
/// (the SDK's `ServerNetworkError`), and a 200 is `{"Response":{…}}` around the result.
pub fn tencent_answer<T: DeserializeOwned>(
    status: u16,
    body: &str,
    header_request_id: Option<String>,
) -> Result<T, ApiError> {
    if let Some(error) = ApiError::from_tencent(status, body, header_request_id.clone()) {
        return Err(error);
    }
    if status != 200 {
        return Err(ApiError::from_response(status, body, header_request_id));
    }
    serde_json::from_str::<Envelope<T>>(body)
        .map(|envelope| envelope.response)
        .map_err(|e| ApiError::Decode(e.to_string()))
}

/// `path` with `query` appended, when there is one.
pub fn with_query(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}

fn encode<B: Serialize + ?Sized>(body: &B) -> Result<String, ApiError> {
    serde_json::to_string(body).map_err(|e| ApiError::Decode(e.to_string()))
}

/// Sends `method path` to the backend in force and turns any non-2xx answer into the error its
/// envelope names. Not generic, so it exists once in the bundle whatever the callers decode.
async fn send(
    method: fn(&str) -> RequestBuilder,
    path: &str,
    headers: Headers<'_>,
    json_body: Option<String>,
) -> Result<Response, ApiError> {
    let mut request = request_to(method, path)?;
    for (name, value) in headers {
        request = request.header(name, value);
    }
    let request = match json_body {
        Some(body) => request.header(JSON_CONTENT_TYPE.0, JSON_CONTENT_TYPE.1).body(body),
        None => request.build(),
    };
    let request = request.map_err(|e| ApiError::Decode(e.to_string()))?;
    let response = request.send().await.map_err(|e| ApiError::Network(e.to_string()))?;
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    let request_id = response.headers().get(REQUEST_ID_HEADER);
    let retry_after = retry_after_secs(response.headers().get("Retry-After").as_deref());
    let body = response.text().await.unwrap_or_default();
    Err(ApiError::from_response(status, &body, request_id).with_retry_after(retry_after))
}

/// `method path` on the backend in force, with the proxy's access token when Settings has one (a
/// proxy without a token ignores it). The settings are read when the call is made, from the
/// context of the page that makes it; a call made outside the app (no owner) has none and is not
/// sent, since a guess at the backend could send a create to the wrong server.
fn request_to(method: fn(&str) -> RequestBuilder, path: &str) -> Result<RequestBuilder, ApiError> {
    let settings =
        settings::use_settings().map(DeskSettings::current).ok_or(ApiError::NotSent(NotSent::OutsideTheApp))?;
    let request = method(&settings.api_url(path));
    Ok(match &settings.access_token {
        Some(token) => request.header(ACCESS_TOKEN_HEADER, token),
        None => request,
    })
}

async fn text(response: Response) -> Result<String, ApiError> {
    response.text().await.map_err(|e| ApiError::Network(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use export_desk_model::tencent_cls::{DeleteExportResponse, DescribeExportsResponse};

    #[test]
    fn tencent_results_come_out_of_their_envelope() {
        let body = r#"{"Response":{"Exports":[],"TotalCount":0,"RequestId":"r-1"}}"#;
        let answer: DescribeExportsResponse = tencent_answer(200, body, None).unwrap();
        assert_eq!((answer.total_count, answer.request_id.as_str()), (0, "r-1"));
    }

    #[test]
    fn tencent_errors_are_provider_errors_even_with_http_200() {
        let body = r#"{"Response":{"Error":{"Code":"MissingParameter","Message":"TopicId"},"RequestId":"r-2"}}"#;
        let err = tencent_answer::<DeleteExportResponse>(200, body, Some("h".into())).unwrap_err();
        assert_eq!((err.code(), err.request_id()), (Some("MissingParameter"), Some("r-2")));
    }

    #[test]
    fn a_tencent_call_answered_with_anything_else_is_not_taken_for_a_result() {
        let gateway = tencent_answer::<DeleteExportResponse>(502, "<html>bad gateway</html>", Some("h".into()));
        assert!(matches!(gateway, Err(ApiError::Http { status: 502, .. })), "{gateway:?}");
        let not_enveloped = tencent_answer::<DeleteExportResponse>(200, r#"{"RequestId":"r"}"#, None);
        assert!(matches!(not_enveloped, Err(ApiError::Decode(ref m)) if m.contains("Response")), "{not_enveloped:?}");
        // A success envelope on a non-200 status is still a transport problem, as the SDK sees it.
        let odd = tencent_answer::<DeleteExportResponse>(500, r#"{"Response":{"RequestId":"r"}}"#, None);
        assert!(matches!(odd, Err(ApiError::Http { status: 500, .. })), "{odd:?}");
    }

    #[test]
    fn json_answers_decode_or_say_why_not() {
        assert_eq!(json_answer::<serde_json::Value>("").unwrap(), serde_json::Value::Null);
        assert_eq!(json_answer::<Vec<u32>>("[1,2]").unwrap(), vec![1, 2]);
        assert!(matches!(json_answer::<Vec<u32>>("{"), Err(ApiError::Decode(_))));
    }

    #[test]
    fn attachment_names_are_read_without_directories() {
        let name = |h: &str| attachment_file_name(h);
        assert_eq!(name(r#"attachment; filename="0a1b.zip""#).as_deref(), Some("0a1b.zip"));
        assert_eq!(name("attachment; FILENAME=plain.zip").as_deref(), Some("plain.zip"));
        assert_eq!(name(r#"attachment; filename="../../etc/passwd""#).as_deref(), Some("passwd"));
        assert_eq!(name(r#"attachment; filename="C:\\x\\y.zip""#).as_deref(), Some("y.zip"));
        assert_eq!(name("attachment"), None);
        assert_eq!(name(r#"attachment; filename="""#), None);
        assert_eq!(name(r#"attachment; filename="..""#), None);
    }

    #[test]
    fn retry_after_is_whole_seconds() {
        assert_eq!(retry_after_secs(Some("12")), Some(12));
        assert_eq!(retry_after_secs(Some(" 30 ")), Some(30));
        assert_eq!(retry_after_secs(Some("Wed, 21 Oct 2015 07:28:00 GMT")), None);
        assert_eq!(retry_after_secs(None), None);
    }

    #[test]
    fn queries_are_appended_only_when_present() {
        assert_eq!(with_query("/a", ""), "/a");
        assert_eq!(with_query("/a", "b=1"), "/a?b=1");
    }
}
