//! [`ApiError`]: the one error type of every call, whichever provider's envelope it came in.

use export_desk_model::huawei::ErrorBody;
use export_desk_model::tencent_cls::ErrorResponse as TencentErrorResponse;
use thiserror::Error;

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
    /// An error status without a provider envelope (a gateway page, a proxy in the way).
    #[error("HTTP {status}: {body}")]
    Http { status: u16, body: String, request_id: Option<String> },
    /// The request never got an answer: server down, network gone, CORS refused.
    #[error("The server could not be reached: {0}")]
    Network(String),
    /// An answer arrived but is not what the API documents.
    #[error("Unexpected answer from the server: {0}")]
    Decode(String),
    /// The dashboard did not send the calls a view would take; the message says why and what to do.
    #[error("Not sent: {0}")]
    NotSent(String),
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
                let mut body: String = body.trim().chars().take(300).collect();
                if body.is_empty() {
                    body = "(empty body)".to_owned();
                }
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
        assert!(matches!(empty, ApiError::Http { ref body, .. } if body == "(empty body)"), "{empty:?}");
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
