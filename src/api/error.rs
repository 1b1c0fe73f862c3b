//! [`ApiError`]: the one error type of every call, whichever provider's envelope it came in.

use crate::i18n::{Errors, EN};
use export_desk_model::huawei::ErrorBody;
use export_desk_model::tencent_cls::ErrorResponse as TencentErrorResponse;
use thiserror::Error;

/// Why [`ApiError`]'s `Display` (for logs) reads as it does: always English.
const LOG: &Errors = &EN.errors;

/// Why a call failed, with everything a user or support needs to act on it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ApiError {
    /// The provider answered with its own error envelope: Huawei's `error_code`/`error_msg` on an
    /// error status, or Tencent's `{"Response":{"Error":…}}`, which comes with HTTP 200.
    #[error("{code}: {message}")]
    Provider {
        status: u16,
        code: String,
        message: String,
        request_id: Option<String>,
        /// Seconds the provider asked to wait (`Retry-After`), e.g. IoTDA's one download per 30 s.
        retry_after_secs: Option<u32>,
    },
    /// An error status without a provider envelope (a gateway page, a proxy in the way). The
    /// body as it came, cut short; empty when it was.
    #[error("HTTP {status}: {}", if body.is_empty() { LOG.empty_body } else { body })]
    Http { status: u16, body: String, request_id: Option<String> },
    /// The request never got an answer: server down, network gone, CORS refused. The browser's
    /// own words.
    #[error("The server could not be reached: {0}")]
    Network(String),
    /// An answer arrived but is not what the API documents.
    #[error("Unexpected answer from the server: {0}")]
    Decode(String),
    /// The dashboard did not send the calls a view would take, and why.
    #[error("Not sent: {0}")]
    NotSent(NotSent),
    /// The file came, but the browser would not hand it to its downloads (the step that failed,
    /// in the browser's terms).
    #[error("The browser could not save the file: {0}")]
    NotSaved(&'static str),
}

/// Why the dashboard did not send a call, each worded (and told what to do) in the reader's
/// language by the error view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotSent {
    /// A page of the refresh/preheat list of both file types that ends beyond task `max`: the
    /// API lists the two apart, so it would mean fetching both lists up to it.
    MergedListTooDeep { max: u64 },
    /// A call made outside the app, which has no settings to name the backend: a guess could
    /// send a create to the wrong server.
    OutsideTheApp,
}

impl NotSent {
    fn detail(self, t: &Errors) -> String {
        match self {
            NotSent::MergedListTooDeep { max } => (t.merged_list_too_deep)(max),
            NotSent::OutsideTheApp => t.outside_the_app.to_owned(),
        }
    }
}

impl std::fmt::Display for NotSent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.detail(LOG))
    }
}

/// How the error view words an error: what happened, the provider's code when it gave one, and
/// the detail (the provider's or browser's own message as it came, or the dashboard's words).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorWording {
    pub title: String,
    pub code: Option<String>,
    pub detail: String,
}

impl ApiError {
    /// Builds the error for a non-2xx answer, reading the provider envelope when there is one
    /// (Tencent's first, as its shape is the more specific; then every shape Huawei's SDK reads).
    pub fn from_response(status: u16, body: &str, request_id: Option<String>) -> Self {
        if let Some(error) = Self::from_tencent(status, body, request_id.clone()) {
            return error;
        }
        match ErrorBody::parse(body) {
            Some(ErrorBody { error_code, error_msg }) => {
                ApiError::Provider { status, code: error_code, message: error_msg, request_id, retry_after_secs: None }
            }
            None => {
                let body: String = body.trim().chars().take(300).collect();
                ApiError::Http { status, body, request_id }
            }
        }
    }

    /// The error a Tencent Cloud API 3.0 answer carries, if it is one:
    /// `{"Response":{"Error":{"Code","Message"},"RequestId"}}`, whatever the HTTP status (Tencent
    /// answers errors with 200). The body's `RequestId` is the one Tencent support asks for; the
    /// `X-Request-Id` header stands in only when the body has none.
    pub fn from_tencent(status: u16, body: &str, header_request_id: Option<String>) -> Option<Self> {
        let TencentErrorResponse { error, request_id } = TencentErrorResponse::parse(body)?;
        let request_id = Some(request_id).filter(|id| !id.is_empty()).or(header_request_id);
        Some(ApiError::Provider {
            status,
            code: error.code,
            message: error.message,
            request_id,
            retry_after_secs: None,
        })
    }

    /// Adds the wait a provider error asked for (other errors stay as they are).
    pub fn with_retry_after(mut self, secs: Option<u32>) -> Self {
        if let ApiError::Provider { retry_after_secs, .. } = &mut self {
            *retry_after_secs = secs;
        }
        self
    }

    pub fn request_id(&self) -> Option<&str> {
        match self {
            ApiError::Provider { request_id, .. } | ApiError::Http { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// The provider's error code (`IOTDA.021101`, `ResourceNotFound.ExportNotExist` …).
    pub fn code(&self) -> Option<&str> {
        match self {
            ApiError::Provider { code, .. } => Some(code),
            _ => None,
        }
    }

    /// The error in the reader's language, as the error view shows it.
    pub fn wording(&self, t: &Errors) -> ErrorWording {
        let (title, code, detail) = match self {
            // Tencent refuses with HTTP 200, where the status says nothing.
            ApiError::Provider { status: 200, code, message, .. } => {
                (t.refused.to_owned(), Some(code), message.clone())
            }
            ApiError::Provider { status, code, message, .. } => {
                ((t.refused_http)(*status), Some(code), message.clone())
            }
            ApiError::Http { status, body, .. } => {
                let body = if body.is_empty() { t.empty_body.to_owned() } else { body.clone() };
                ((t.server_answered)(*status), None, body)
            }
            ApiError::Network(reason) => (t.unreachable.to_owned(), None, (t.is_it_running)(reason)),
            ApiError::Decode(reason) => (t.not_understood.to_owned(), None, reason.clone()),
            ApiError::NotSent(why @ NotSent::MergedListTooDeep { .. }) => {
                (t.page_not_asked.to_owned(), None, why.detail(t))
            }
            ApiError::NotSent(why @ NotSent::OutsideTheApp) => (t.call_not_sent.to_owned(), None, why.detail(t)),
            ApiError::NotSaved(step) => (t.not_saved.to_owned(), None, (*step).to_owned()),
        };
        ErrorWording { title, code: code.filter(|code| !code.is_empty()).cloned(), detail }
    }

    /// Seconds to wait before trying again, when the provider said.
    pub fn retry_after_secs(&self) -> Option<u32> {
        match self {
            ApiError::Provider { retry_after_secs, .. } => *retry_after_secs,
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::ZH_CN;

    #[test]
    fn a_provider_envelope_becomes_code_and_message() {
        let err = ApiError::from_response(
            400,
            r#"{"error":{"error_code":"CDN.0001","error_msg":"limit: too big"}}"#,
            Some("abc".into()),
        );
        assert_eq!(
            err,
            ApiError::Provider {
                status: 400,
                code: "CDN.0001".into(),
                message: "limit: too big".into(),
                request_id: Some("abc".into()),
                retry_after_secs: None,
            }
        );
        assert_eq!(err.request_id(), Some("abc"));
        assert_eq!(err.code(), Some("CDN.0001"));
    }

    #[test]
    fn iotda_flat_errors_keep_the_wait_they_ask_for() {
        let body = r#"{"error_code":"IOTDA.021101","error_msg":"one download per 30 s: wait 12 s"}"#;
        let err = ApiError::from_response(403, body, Some("rid".into())).with_retry_after(Some(12));
        assert_eq!(err.code(), Some("IOTDA.021101"));
        assert_eq!(err.retry_after_secs(), Some(12));
        let plain = ApiError::from_response(502, "bad gateway", None).with_retry_after(Some(5));
        assert_eq!(plain.retry_after_secs(), None, "only a provider's own refusal carries a wait");
    }

    #[test]
    fn anything_else_keeps_the_status_and_a_short_body() {
        let err = ApiError::from_response(502, &"x".repeat(1000), None);
        let ApiError::Http { status: 502, body, .. } = err else { panic!("{err:?}") };
        assert_eq!(body.len(), 300);
        let empty = ApiError::from_response(500, "  ", None);
        assert!(matches!(empty, ApiError::Http { ref body, .. } if body.is_empty()), "{empty:?}");
        assert_eq!(empty.to_string(), "HTTP 500: (empty body)");
        assert_eq!(empty.wording(&ZH_CN.errors).detail, "（响应体为空）");
    }

    #[test]
    fn the_error_view_words_each_kind_in_the_readers_language() {
        let refused = ApiError::from_response(
            403,
            r#"{"error_code":"IOTDA.021101","error_msg":"one download per 30 s"}"#,
            Some("rid".into()),
        );
        let english = refused.wording(&EN.errors);
        assert_eq!(english.title, "The cloud API refused the request (HTTP 403)");
        let chinese = refused.wording(&ZH_CN.errors);
        assert_eq!(chinese.title, "云 API 拒绝了请求（HTTP 403）");
        // The provider's own code and message, as they came.
        assert_eq!((chinese.code.as_deref(), chinese.detail.as_str()), (Some("IOTDA.021101"), "one download per 30 s"));

        let network = ApiError::Network("Failed to fetch".into());
        assert_eq!(network.wording(&EN.errors).detail, "Failed to fetch. Is it running?");
        let chinese = network.wording(&ZH_CN.errors);
        assert_eq!(
            (chinese.title.as_str(), chinese.detail.as_str()),
            ("无法连接服务器", "Failed to fetch。服务器是否在运行？")
        );
        assert_eq!(network.to_string(), "The server could not be reached: Failed to fetch", "logs stay English");

        let deep = ApiError::NotSent(NotSent::MergedListTooDeep { max: 100_000 });
        assert_eq!(deep.wording(&EN.errors).title, "The dashboard did not ask for this page");
        assert!(deep.wording(&ZH_CN.errors).detail.starts_with("文件和目录合并列出时最多只到第 100000 条任务"));
        assert!(deep
            .to_string()
            .starts_with("Not sent: files and directories are listed together only up to task 100000"));
    }

    #[test]
    fn a_tencent_error_envelope_names_code_message_and_its_request_id() {
        let body = concat!(
            r#"{"Response":{"Error":{"Code":"ResourceNotFound.TopicNotExist","Message":"topic gone"},"#,
            r#""RequestId":"req-1"}}"#
        );
        let err = ApiError::from_tencent(200, body, Some("header-id".into())).unwrap();
        assert_eq!(
            err,
            ApiError::Provider {
                status: 200,
                code: "ResourceNotFound.TopicNotExist".into(),
                message: "topic gone".into(),
                request_id: Some("req-1".into()),
                retry_after_secs: None,
            }
        );
        // The same envelope on an error status (a proxy passing it through) reads the same way.
        assert_eq!(ApiError::from_response(502, body, None).code(), Some("ResourceNotFound.TopicNotExist"));
    }

    #[test]
    fn a_tencent_error_without_request_id_falls_back_to_the_header() {
        let body = r#"{"Response":{"Error":{"Code":"InternalError","Message":"x"},"RequestId":""}}"#;
        assert_eq!(ApiError::from_tencent(200, body, Some("h".into())).unwrap().request_id(), Some("h"));
    }

    #[test]
    fn tencent_successes_and_other_bodies_are_not_errors() {
        assert_eq!(ApiError::from_tencent(200, r#"{"Response":{"ExportId":"e","RequestId":"r"}}"#, None), None);
        assert_eq!(ApiError::from_tencent(200, r#"{"error_code":"IOTDA.000006","error_msg":"x"}"#, None), None);
        assert_eq!(ApiError::from_tencent(200, "<html></html>", None), None);
        // An `Error` that is not Tencent's shape is not taken for one.
        assert_eq!(ApiError::from_tencent(200, r#"{"Response":{"Error":"boom","RequestId":"r"}}"#, None), None);
    }
}
