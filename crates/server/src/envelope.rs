//! Error answers in each provider's own envelope. Clients (the official SDKs, the dashboard) parse
//! these exactly as they parse the real clouds' errors, so nothing here may be a bare status or text.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use export_desk_model::huawei::{ErrorBody, NestedError};
use serde::Serialize;

/// Marks an answer as a provider's error, so middleware can tell a refused call from a done one
/// without reading the body (Tencent's errors come with HTTP 200).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorAnswer;

/// Whether `response` is a provider error (or any 4xx/5xx).
pub fn is_error(response: &Response) -> bool {
    response.extensions().get::<ErrorAnswer>().is_some() || !response.status().is_success()
}

fn marked(mut response: Response) -> Response {
    response.extensions_mut().insert(ErrorAnswer);
    response
}

/// A Huawei error as CDN sends it: `{"error":{"error_code":…,"error_msg":…}}` with a 4xx/5xx status.
#[derive(Debug, Clone)]
pub struct HuaweiNested {
    pub status: StatusCode,
    pub body: ErrorBody,
}

impl HuaweiNested {
    pub fn new(status: StatusCode, code: &str, msg: impl Into<String>) -> Self {
        Self { status, body: ErrorBody::new(code, msg) }
    }
}

impl IntoResponse for HuaweiNested {
    fn into_response(self) -> Response {
        marked((self.status, Json(NestedError { error: self.body })).into_response())
    }
}

/// The API gateway's code for a request it refuses before any service sees it: a body larger than
/// the API takes (with HTTP 413, the gateway's "Request entity too large"), or a request target
/// that names no API path (with 400). Huawei's API Gateway error-code table lists `APIG.0201` for
/// both; the `APIGW.` spelling is the one the clouds' public endpoints answer with (`APIGW.0101`,
/// `APIGW.0301`).
pub const HUAWEI_GATEWAY_REFUSED: &str = "APIGW.0201";

/// The message of a body above `limit` bytes.
pub fn body_too_large_message(limit: usize) -> String {
    format!("Request entity too large: the body is larger than {limit} bytes, the most this API accepts")
}

/// A Huawei API-gateway error, flat, as the gateway answers before any service sees the call.
#[derive(Debug, Clone)]
pub struct HuaweiGateway {
    pub status: StatusCode,
    pub body: ErrorBody,
}

impl HuaweiGateway {
    /// What the gateway says for a path or method it has no API for.
    pub fn no_such_api() -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            body: ErrorBody::new("APIGW.0101", "The API does not exist or has not been published in the environment"),
        }
    }
}

impl IntoResponse for HuaweiGateway {
    fn into_response(self) -> Response {
        marked((self.status, Json(self.body)).into_response())
    }
}

/// A Tencent Cloud API 3.0 error: HTTP 200 with `{"Response":{"Error":{"Code","Message"},"RequestId"}}`.
///
/// The content type is exactly `application/json`: the Tencent SDK checks for errors only when it
/// is `application/json` or `text/plain`, and with a charset parameter it silently returns an
/// empty model instead of raising.
#[derive(Debug, Clone)]
pub struct TencentError {
    pub code: String,
    pub message: String,
    pub request_id: String,
}

impl IntoResponse for TencentError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({
            "Response": {
                "Error": {"Code": self.code, "Message": self.message},
                "RequestId": self.request_id,
            }
        });
        marked((StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response())
    }
}

/// Which envelope a provider's errors come in, so code that is not a provider's handler (fault
/// injection) can still answer as that provider would.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorFormat {
    /// CDN: [`HuaweiNested`].
    HuaweiNested,
    /// IoTDA and the API gateway: `{"error_code","error_msg"}` at the top level.
    HuaweiFlat,
    /// Tencent Cloud API 3.0: [`TencentError`].
    Tencent,
}

impl ErrorFormat {
    /// The envelope of the cloud API a request's path belongs to, before (or without) the
    /// operation being known: Tencent's for `POST /`, IoTDA's flat one under `/v5`, CDN's nested
    /// one otherwise.
    pub fn for_path(method: &axum::http::Method, path: &str) -> Self {
        if method == axum::http::Method::POST && path == "/" {
            Self::Tencent
        } else if path.starts_with("/v5") {
            Self::HuaweiFlat
        } else {
            Self::HuaweiNested
        }
    }

    /// The status an error gets when none is asked for: Tencent reports every error in a 200,
    /// Huawei's SDK raises only on a 4xx/5xx.
    pub fn default_status(self) -> StatusCode {
        match self {
            Self::HuaweiNested | Self::HuaweiFlat => StatusCode::BAD_REQUEST,
            Self::Tencent => StatusCode::OK,
        }
    }

    /// The error as this provider sends it. `request_id` goes into the body where the provider
    /// puts it there (Tencent); the `X-Request-Id` header is added for every answer elsewhere.
    pub fn error(self, status: StatusCode, code: &str, message: &str, request_id: &str) -> Response {
        match self {
            Self::HuaweiNested => HuaweiNested::new(status, code, message).into_response(),
            Self::HuaweiFlat => HuaweiGateway { status, body: ErrorBody::new(code, message) }.into_response(),
            Self::Tencent => {
                let mut response = TencentError {
                    code: code.to_owned(),
                    message: message.to_owned(),
                    request_id: request_id.to_owned(),
                }
                .into_response();
                *response.status_mut() = status;
                response
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::to_bytes;

    async fn parts(response: Response) -> (StatusCode, String, serde_json::Value) {
        let status = response.status();
        let content_type =
            response.headers().get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
        let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
        (status, content_type, serde_json::from_slice(&body).unwrap())
    }

    #[tokio::test]
    async fn each_format_answers_in_its_providers_shape() {
        let nested = ErrorFormat::HuaweiNested.error(StatusCode::CONFLICT, "CDN.0005", "limit", "id1");
        let (status, _, body) = parts(nested).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(body, serde_json::json!({"error": {"error_code": "CDN.0005", "error_msg": "limit"}}));

        let flat = ErrorFormat::HuaweiFlat.error(StatusCode::BAD_REQUEST, "IOTDA.000006", "bad", "id2");
        let (status, _, body) = parts(flat).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body, serde_json::json!({"error_code": "IOTDA.000006", "error_msg": "bad"}));

        let tencent = ErrorFormat::Tencent.error(ErrorFormat::Tencent.default_status(), "LimitExceeded", "slow", "id3");
        let (status, content_type, body) = parts(tencent).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(content_type, "application/json", "no charset, or the Tencent SDK ignores the error");
        let expected = serde_json::json!({
            "Response": {"Error": {"Code": "LimitExceeded", "Message": "slow"}, "RequestId": "id3"}
        });
        assert_eq!(body, expected);
    }
}
