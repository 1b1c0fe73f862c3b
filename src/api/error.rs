use export_desk_model::huawei::ErrorBody;
use thiserror::Error;

/// Why a call failed, with everything a user or support needs to act on it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ApiError {
    /// The provider answered with its own error envelope.
    #[error("{code}: {message}")]
    Provider { status: u16, code: String, message: String, request_id: Option<String> },
    /// An error status without a provider envelope (a gateway page, a proxy in the way).
    #[error("HTTP {status}: {body}")]
    Http { status: u16, body: String, request_id: Option<String> },
    /// The request never got an answer: server down, network gone, CORS refused.
    #[error("The server could not be reached: {0}")]
    Network(String),
    /// An answer arrived but is not what the API documents.
    #[error("Unexpected answer from the server: {0}")]
    Decode(String),
}

impl ApiError {
    /// Builds the error for a non-2xx answer, reading the provider envelope when there is one.
    pub fn from_response(status: u16, body: &str, request_id: Option<String>) -> Self {
        match ErrorBody::parse(body) {
            Some(ErrorBody { error_code, error_msg }) => {
                ApiError::Provider { status, code: error_code, message: error_msg, request_id }
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

    pub fn request_id(&self) -> Option<&str> {
        match self {
            ApiError::Provider { request_id, .. } | ApiError::Http { request_id, .. } => request_id.as_deref(),
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
                request_id: Some("abc".into())
            }
        );
        assert_eq!(err.request_id(), Some("abc"));
    }

    #[test]
    fn anything_else_keeps_the_status_and_a_short_body() {
        let err = ApiError::from_response(502, &"x".repeat(1000), None);
        let ApiError::Http { status: 502, body, .. } = err else { panic!("{err:?}") };
        assert_eq!(body.len(), 300);
    }
}
