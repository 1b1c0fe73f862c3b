//! What an API call sends besides its body: method, path (with query) and the headers the client
//! adds. Each client describes a call once (`cdn_stats::create_call`, `cls::create_call`, …) and
//! uses that description both to send the call and to show it in the request preview, so what a
//! form shows and what it sends cannot drift apart.

use super::fetch;
use export_desk_model::desk::ACCESS_TOKEN_HEADER;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub method: &'static str,
    /// Path and query on the backend: `/v1.0/cdn/statistics/export-tasks`, `/` for Tencent.
    pub path: String,
    /// The headers the client adds (IoTDA's project and instance, Tencent's action and version).
    pub headers: Vec<(&'static str, String)>,
}

impl Call {
    /// A `POST` with a JSON body.
    pub fn post(path: impl Into<String>, headers: Vec<(&'static str, String)>) -> Self {
        Self { method: "POST", path: path.into(), headers }
    }

    /// The client's headers as [`fetch::Headers`] take them.
    pub fn header_refs(&self) -> Vec<(&str, &str)> {
        self.headers.iter().map(|(name, value)| (*name, value.as_str())).collect()
    }

    /// Every header the request carries, in the order [`fetch`] sets them: the proxy access token
    /// from Settings when there is one, the client's headers, and the JSON content type of a
    /// request with a body.
    pub fn sent_headers(&self, access_token: Option<&str>, json_body: bool) -> Vec<(&'static str, String)> {
        let mut headers: Vec<_> =
            access_token.map(|token| (ACCESS_TOKEN_HEADER, token.to_owned())).into_iter().collect();
        headers.extend(self.headers.iter().cloned());
        if json_body {
            let (name, value) = fetch::JSON_CONTENT_TYPE;
            headers.push((name, value.to_owned()));
        }
        headers
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_json_body_adds_the_content_type_fetch_sends() {
        let call = Call::post("/p", vec![("X-Project-Id", "p1".into())]);
        assert_eq!(call.header_refs(), vec![("X-Project-Id", "p1")]);
        assert_eq!(call.sent_headers(None, false), vec![("X-Project-Id", "p1".to_owned())]);
        assert_eq!(
            call.sent_headers(None, true),
            vec![("X-Project-Id", "p1".to_owned()), ("Content-Type", "application/json".to_owned())]
        );
    }

    #[test]
    fn the_access_token_comes_first_when_set() {
        let call = Call::post("/", vec![("X-TC-Action", "CreateExport".into())]);
        let names: Vec<_> = call.sent_headers(Some("s3cret"), true).into_iter().map(|(name, _)| name).collect();
        assert_eq!(names, ["X-Desk-Token", "X-TC-Action", "Content-Type"]);
    }
}
