//! Every response carries an `X-Request-Id` (where Huawei puts it; the Huawei SDK reads it into
//! its exceptions). Handlers that must also put the id in the body (Tencent's `RequestId`) read
//! it from the request extensions, so header and body always agree.

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use export_desk_model::huawei::REQUEST_ID_HEADER;
use rand::RngCore;

/// The id of the request being handled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(pub String);

impl RequestId {
    /// 32 lower-case hex digits, the shape Huawei's ids have.
    pub fn generate() -> Self {
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        Self(bytes.iter().map(|b| format!("{b:02x}")).collect())
    }
}

pub async fn assign(mut request: Request, next: Next) -> Response {
    let id = RequestId::generate();
    let header = HeaderValue::from_str(&id.0).expect("hex is a valid header value");
    request.extensions_mut().insert(id);
    let mut response = next.run(request).await;
    response.headers_mut().entry(REQUEST_ID_HEADER).or_insert(header);
    response
}
