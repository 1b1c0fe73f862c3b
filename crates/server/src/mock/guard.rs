//! Who may call the mock, checked before anything else sees the request:
//!
//! - **every path:** CORS for `--allowed-origins` (preflights answered here), so a dashboard
//!   hosted on another origin can use the mock, with the same rules and headers as the proxy's;
//! - **the cloud paths:** `Host` must be one this server answers to (DNS rebinding), and a page on
//!   another origin must be an allowed one — refused in the provider's envelope with the mock's
//!   own `MOCK.0403` (Tencent: `UnauthorizedOperation`), since the clouds have no such check;
//! - **the admin API** (`/_mock/…`, not `/_mock/files/`, which is the mock's object storage):
//!   `Host` as above; off in `--demo` unless `--admin-token` is set; with a token, every call must
//!   carry `Authorization: Bearer <token>`; changes (`POST`/`PUT`/`DELETE`) are refused from
//!   another site (`Origin`, `Sec-Fetch-Site`) and `POST`/`PUT` bodies must be JSON, so no page can
//!   reset or rewind a mock through a visitor's browser. Answers in the admin's `{"error":…}`
//!   shape, and never with CORS headers: the admin API is not for other origins' pages.

use super::operations;
use crate::access::{self, Access};
use crate::envelope::ErrorFormat;
use crate::request_id::RequestId;
use crate::secret::SecretKey;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::sync::Arc;
use subtle::ConstantTimeEq;

/// Where an operator lists more hosts and origins, named in refusals.
const HOSTS_SETTING: &str = "--allowed-hosts";
const ORIGINS_SETTING: &str = "--allowed-origins";

pub struct Guard {
    access: Access,
    /// `--admin-token`: what `Authorization: Bearer` must carry.
    admin_token: Option<SecretKey>,
    /// `--demo` without a token: the admin API is off.
    admin_off: bool,
}

impl Guard {
    pub fn new(access: Access, admin_token: Option<SecretKey>, demo: bool) -> Self {
        let admin_off = demo && admin_token.is_none();
        Self { access, admin_token, admin_off }
    }
}

/// The middleware in front of everything in mock mode.
pub async fn check(State(guard): State<Arc<Guard>>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if is_admin(path) {
        if request.uri().authority().is_some() {
            // Its host need not be the Host header's, which the checks below trust.
            let message = "absolute-form request targets are not accepted: send the path only".to_owned();
            return AdminRefusal { status: StatusCode::BAD_REQUEST, message }.into_response();
        }
        return match check_admin(&guard, request.method(), request.headers()) {
            Ok(()) => next.run(request).await,
            Err(refusal) => refusal.into_response(),
        };
    }
    let allowed_origin = guard.access.allowed_origin(request.headers());
    let mut response = if access::is_preflight(request.method(), request.headers()) {
        access::preflight(allowed_origin.is_some())
    } else if operations::is_cloud_api(request.method(), path) {
        match check_cloud_call(&guard, allowed_origin.is_some(), request.headers()) {
            Ok(()) => next.run(request).await,
            Err(denied) => {
                let format = ErrorFormat::for_path(request.method(), path);
                let request_id = request.extensions().get::<RequestId>().map(|id| id.0.as_str()).unwrap_or_default();
                let (status, code) = match format {
                    ErrorFormat::Tencent => (StatusCode::OK, "UnauthorizedOperation"),
                    _ => (StatusCode::FORBIDDEN, "MOCK.0403"),
                };
                tracing::info!(reason = %denied.reason, "cloud call refused");
                format.error(status, code, &denied.reason, request_id)
            }
        }
    } else {
        next.run(request).await
    };
    guard.access.add_cors_headers(allowed_origin.as_deref(), response.headers_mut());
    response
}

fn is_admin(path: &str) -> bool {
    (path == "/_mock" || path.starts_with("/_mock/")) && !path.starts_with("/_mock/files/")
}

fn check_cloud_call(guard: &Guard, origin_allowed: bool, headers: &HeaderMap) -> Result<(), access::Denied> {
    guard.access.check_host(headers, HOSTS_SETTING)?;
    if !origin_allowed {
        guard.access.check_same_origin(headers, ORIGINS_SETTING)?;
    }
    Ok(())
}

/// A refused admin call, in the admin API's own shape.
struct AdminRefusal {
    status: StatusCode,
    message: String,
}

impl IntoResponse for AdminRefusal {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(serde_json::json!({"error": self.message}))).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            let challenge = HeaderValue::from_static("Bearer realm=\"export-desk-admin\"");
            response.headers_mut().insert(header::WWW_AUTHENTICATE, challenge);
        }
        response
    }
}

fn check_admin(guard: &Guard, method: &Method, headers: &HeaderMap) -> Result<(), AdminRefusal> {
    let refuse = |status, message: String| AdminRefusal { status, message };
    guard.access.check_host(headers, HOSTS_SETTING).map_err(|denied| refuse(StatusCode::FORBIDDEN, denied.reason))?;
    if guard.admin_off {
        return Err(refuse(
            StatusCode::FORBIDDEN,
            "the admin API is off on this public demo (--demo); the server's operator can enable it with --admin-token"
                .to_owned(),
        ));
    }
    let changes = !matches!(*method, Method::GET | Method::HEAD);
    if changes {
        // Same site only, even for allowed origins: they are trusted to show the dashboard, not
        // to run the mock.
        guard.access.check_same_origin(headers, "no setting (the admin API takes no calls from other sites)").map_err(
            |denied| {
                refuse(StatusCode::FORBIDDEN, format!("admin changes from other sites are refused: {}", denied.reason))
            },
        )?;
    }
    if let Some(token) = &guard.admin_token {
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.as_bytes().strip_prefix(b"Bearer "))
            .unwrap_or_default();
        if !bool::from(given.ct_eq(token.expose().as_bytes())) {
            return Err(refuse(
                StatusCode::UNAUTHORIZED,
                "the admin API needs its token: send Authorization: Bearer <the server's --admin-token>".to_owned(),
            ));
        }
    }
    if changes && !json_or_nothing(headers) {
        return Err(refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "admin calls send JSON: set Content-Type: application/json".to_owned(),
        ));
    }
    Ok(())
}

/// A JSON body, or no body and no content type at all (what `curl -X POST` sends): a form or a
/// text body, which a page on another site could send without asking first, is never accepted.
fn json_or_nothing(headers: &HeaderMap) -> bool {
    match headers.get(header::CONTENT_TYPE) {
        Some(content_type) => {
            let essence = content_type.as_bytes().split(|&b| b == b';').next().unwrap_or_default();
            essence.trim_ascii().eq_ignore_ascii_case(b"application/json")
        }
        None => {
            let length = headers.get(header::CONTENT_LENGTH).map(HeaderValue::as_bytes);
            let chunked = headers.contains_key(header::TRANSFER_ENCODING);
            !chunked && matches!(length, None | Some(b"0"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::tests::headers;

    #[test]
    fn admin_bodies_are_json_or_nothing() {
        assert!(json_or_nothing(&headers(&[("content-type", "application/json")])));
        assert!(json_or_nothing(&headers(&[("content-type", "Application/JSON; charset=utf-8")])));
        assert!(json_or_nothing(&headers(&[])));
        assert!(json_or_nothing(&headers(&[("content-length", "0")])));
        assert!(!json_or_nothing(&headers(&[("content-type", "text/plain")])));
        assert!(!json_or_nothing(&headers(&[("content-type", "application/x-www-form-urlencoded")])));
        assert!(!json_or_nothing(&headers(&[("content-length", "12")])), "a body must say what it is");
    }

    #[test]
    fn the_mocks_object_storage_is_not_the_admin_api() {
        assert!(is_admin("/_mock/reset") && is_admin("/_mock") && is_admin("/_mock/files"));
        assert!(!is_admin("/_mock/files/cdn-stats/1/a.csv") && !is_admin("/_mockery"));
    }
}
