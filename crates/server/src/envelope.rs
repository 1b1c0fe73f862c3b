//! Error answers in each provider's own envelope. Clients (the official SDKs, the dashboard) parse
//! these exactly as they parse the real clouds' errors, so nothing here may be a bare status or text.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use export_desk_model::huawei::{ErrorBody, NestedError};

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
        (self.status, Json(NestedError { error: self.body })).into_response()
    }
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
        (self.status, Json(self.body)).into_response()
    }
}
