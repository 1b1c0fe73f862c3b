//! Request targets that are not a plain path, answered in a cloud envelope before anything routes
//! them, in both modes.
//!
//! - Authority-form (`GET example.com:80 HTTP/1.1`, meant only for `CONNECT` to a proxy): there is
//!   no path, so no telling which cloud API was meant. It gets a 400 in the Huawei API gateway's
//!   flat envelope: the gateway is what answers a request that reaches no API (`APIGW.0101` for
//!   an unknown path), and the Huawei SDK and the dashboard read that shape. Without this it
//!   reached the router with an empty path and got an empty 500.
//! - Absolute-form (`GET http://host/v1/… HTTP/1.1`) on a cloud API path: a 400 in that path's
//!   provider envelope. The authority in such a target need not match `Host`, so serving it
//!   would let a request slip past the `Host` check (DNS-rebinding defence); other paths (the
//!   dashboard) are served as usual.
//!
//! Codes: the mock answers as the cloud's gateway would (`APIGW.0201`, Tencent `InvalidRequest`);
//! the proxy with its own `PROXY.0400`, as for its other refusals of a malformed target.

use crate::envelope::{ErrorFormat, HUAWEI_GATEWAY_REFUSED};
use crate::mock::operations;
use crate::request_id::RequestId;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use export_desk_model::desk::Mode;

/// The middleware; the state is the mode, which picks the Huawei code.
pub async fn refuse_non_path_targets(State(mode): State<Mode>, request: Request, next: Next) -> Response {
    let uri = request.uri();
    let refusal = if uri.scheme().is_none() && uri.authority().is_some() {
        Some((
            ErrorFormat::HuaweiFlat,
            format!(
                "The request target `{uri}` names a host, not an API path: send the path only \
                 (origin-form, such as `/v1/cdn/statistics/export-tasks`)"
            ),
        ))
    } else if uri.scheme().is_some() && operations::is_cloud_api(request.method(), uri.path()) {
        Some((
            ErrorFormat::for_path(request.method(), uri.path()),
            "absolute-form request targets are not accepted: send the path only, the host in the Host header"
                .to_owned(),
        ))
    } else {
        None
    };
    let Some((format, message)) = refusal else {
        return next.run(request).await;
    };
    let request_id = request.extensions().get::<RequestId>().map(|id| id.0.clone()).unwrap_or_default();
    let (huawei_code, tencent_code) = match mode {
        Mode::Mock => (HUAWEI_GATEWAY_REFUSED, "InvalidRequest"),
        Mode::Proxy => ("PROXY.0400", "InvalidRequest"),
    };
    match format {
        ErrorFormat::Tencent => format.error(StatusCode::OK, tencent_code, &message, &request_id),
        _ => format.error(StatusCode::BAD_REQUEST, huawei_code, &message, &request_id),
    }
}
