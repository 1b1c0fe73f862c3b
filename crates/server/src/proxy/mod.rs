//! Proxy mode: the dashboard's cloud calls — the same native paths the mock serves — forwarded to
//! the real Huawei Cloud and Tencent Cloud endpoints, each signed here, so the AK/SK never reach
//! the browser.
//!
//! Not an open proxy. A call is forwarded only when it is one of the operations in the mock's
//! table ([`operations::OPERATIONS`], the dashboard's whole vocabulary), and then only to that
//! provider's configured endpoint, as a request rebuilt from scratch: the validated method, path
//! and query, the headers the API needs (values from the configuration, not the browser), our own
//! `User-Agent`, the exact body bytes — signed as a whole. Nothing else the client sent (`Host`,
//! `X-Forwarded-*`, `Authorization`, `X-Sdk-Date`, `X-TC-*`, cookies) goes upstream, but for
//! `X-TC-Language` when it is `zh-CN` or `en-US` (the language of CLS's error messages).
//!
//! Checks, in order, each answered in the provider's own error envelope with a `PROXY.*` code
//! (Huawei) or a common Tencent code (HTTP 200, as Tencent's SDK requires):
//! absolute-form target → `Host` (DNS-rebinding defence) → `Origin`/`Sec-Fetch-Site` (cross-site
//! calls need an allowed origin) → access token → allowlist → provider enabled → path segments →
//! rate limit → content type → body size → upstream (timeout, unreachable).
//!
//! - [`config`]: the TOML file and environment variables.
//! - `forward`: signing, sending and relaying one call.

pub mod config;
mod forward;

use crate::access::{self, Access};
use crate::envelope::ErrorFormat;
use crate::mock::operations::{self, Operation, Route};
use crate::rate_limit::RateLimiter;
use crate::request_id::RequestId;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use config::{Availability, ConfigError, ProxyConfig};
use export_desk_model::desk::{DeskConfig, IotdaProject, Mode, ProviderStatus, Providers};
use export_desk_model::tencent_cls::LANGUAGE_HEADER;
use std::path::PathBuf;
use std::sync::Arc;
use subtle::ConstantTimeEq;

/// The header carrying the proxy's access token, when one is configured.
pub const TOKEN_HEADER: &str = access::TOKEN_HEADER;
/// What the proxy calls itself upstream (signed, so the clouds' logs name the real client).
pub const USER_AGENT: &str = concat!("export-desk-proxy/", env!("CARGO_PKG_VERSION"));

/// CDN's documented limit (30 requests per second per account).
pub const CDN_REQUESTS_PER_SECOND: u32 = 30;
/// The reference documents no IoTDA limit for these calls; 10 per second is well inside any
/// account's API quota and far above what a dashboard needs.
pub const IOTDA_REQUESTS_PER_SECOND: u32 = 10;
/// CLS's documented limit for each export action (the proxy counts the four actions, DescribeTopics too, together).
pub const CLS_REQUESTS_PER_SECOND: u32 = export_desk_model::tencent_cls::REQUESTS_PER_SECOND;

/// Which cloud service an allowlisted operation belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Provider {
    Cdn,
    Iotda,
    Cls,
}

impl Provider {
    fn of(operation: &Operation) -> Option<Self> {
        match operation.name.split_once(':').map(|(provider, _)| provider) {
            Some("cdn") => Some(Self::Cdn),
            Some("iotda") => Some(Self::Iotda),
            Some("cls") => Some(Self::Cls),
            _ => None,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Cdn => "Huawei Cloud CDN",
            Self::Iotda => "Huawei Cloud IoTDA",
            Self::Cls => "Tencent Cloud CLS",
        }
    }

    fn requests_per_second(self) -> u32 {
        match self {
            Self::Cdn => CDN_REQUESTS_PER_SECOND,
            Self::Iotda => IOTDA_REQUESTS_PER_SECOND,
            Self::Cls => CLS_REQUESTS_PER_SECOND,
        }
    }

    fn key(self) -> &'static str {
        match self {
            Self::Cdn => "cdn",
            Self::Iotda => "iotda",
            Self::Cls => "cls",
        }
    }
}

/// The running proxy: configuration, one HTTP client (its connection pool shared by all calls),
/// and the rate limits.
#[derive(Clone)]
pub struct Proxy(Arc<Inner>);

struct Inner {
    config: ProxyConfig,
    client: reqwest::Client,
    limits: [RateLimiter; 3],
    /// The hosts and origins the proxy answers to.
    access: Access,
}

impl Proxy {
    pub fn new(config: ProxyConfig, public_url: Option<&str>) -> Result<Self, ConfigError> {
        let client = reqwest::Client::builder()
            // An upstream redirect must never take a signed request somewhere else.
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(config.upstream_timeout)
            // Between body chunks, so a long download is not cut while it still flows.
            .read_timeout(config.upstream_timeout)
            .build()
            .map_err(|err| ConfigError { problems: vec![format!("cannot set up the HTTP client: {err}")] })?;
        let access = Access::new(config.allowed_origins.clone(), config.allowed_hosts.clone(), public_url);
        let limits = [Provider::Cdn, Provider::Iotda, Provider::Cls]
            .map(|provider| RateLimiter::new(provider.requests_per_second()));
        Ok(Self(Arc::new(Inner { config, client, limits, access })))
    }

    /// What `/_desk/config` says: mode, and per provider whether it is forwarded or why not.
    pub fn desk_config(&self) -> DeskConfig {
        let config = &self.0.config;
        let status = |reason: Option<&String>| match reason {
            None => ProviderStatus::enabled(),
            Some(reason) => ProviderStatus { enabled: false, reason: Some(reason.clone()) },
        };
        DeskConfig {
            mode: Mode::Proxy,
            version: env!("CARGO_PKG_VERSION").to_owned(),
            providers: Providers {
                cdn_stats: status(reason_of(&config.cdn)),
                cls: status(reason_of(&config.cls)),
                cls_topics: config.cls.enabled().map(|cls| cls.topics.clone()).unwrap_or_default(),
                iotda: status(reason_of(&config.iotda)),
                iotda_project: config.iotda.enabled().map(|iotda| IotdaProject {
                    project_id: iotda.project_id.clone(),
                    instance_id: iotda.instance_id.clone(),
                }),
            },
            demo: None,
        }
    }

    fn limiter(&self, provider: Provider) -> &RateLimiter {
        match provider {
            Provider::Cdn => &self.0.limits[0],
            Provider::Iotda => &self.0.limits[1],
            Provider::Cls => &self.0.limits[2],
        }
    }
}

fn reason_of<T>(availability: &Availability<T>) -> Option<&String> {
    match availability {
        Availability::Enabled(_) => None,
        Availability::Disabled(reason) => Some(reason),
    }
}

/// What proxy mode starts from besides the environment: the command line's `--config`, and the
/// settings it shares with the mock.
#[derive(Debug, Clone)]
pub struct Options {
    /// The TOML file ([`config`]), if one is given.
    pub config_file: Option<PathBuf>,
    /// Added to the file's and the environment's.
    pub allowed_origins: Vec<String>,
    /// Added to the file's and the environment's.
    pub allowed_hosts: Vec<String>,
    /// Base URL for download links, for a server behind a reverse proxy.
    pub public_url: Option<String>,
    /// The built dashboard.
    pub dist: PathBuf,
}

/// The proxy-mode application (without the request-id and other outer layers): the dashboard and
/// `/_desk/config`, with the cloud paths taken over by [`handle`].
pub fn routes(options: &Options) -> Result<Router, ConfigError> {
    let env = |name: &str| std::env::var(name).ok();
    let mut config = ProxyConfig::load(options.config_file.as_deref(), &env)?;
    // The command line's origins and hosts count too (the environment's are read by both).
    for origin in &options.allowed_origins {
        if !config.allowed_origins.contains(origin) {
            config.allowed_origins.push(origin.clone());
        }
    }
    for host in &options.allowed_hosts {
        if !config.allowed_hosts.contains(host) {
            config.allowed_hosts.push(host.clone());
        }
    }
    let proxy = Proxy::new(config, options.public_url.as_deref())?;
    log_start(&proxy.0.config);
    let desk = crate::web::DeskInfo::fixed(proxy.desk_config());
    Ok(crate::web::router(&options.dist, desk).layer(axum::middleware::from_fn_with_state(proxy, handle)))
}

fn log_start(config: &ProxyConfig) {
    let mut any = false;
    let providers = [
        ("cdn", config.cdn.enabled().map(|t| &t.upstream.base), reason_of(&config.cdn)),
        ("iotda", config.iotda.enabled().map(|t| &t.upstream.base), reason_of(&config.iotda)),
        ("cls", config.cls.enabled().map(|t| &t.upstream.base), reason_of(&config.cls)),
    ];
    for (name, upstream, reason) in providers {
        match (upstream, reason) {
            (Some(upstream), _) => {
                any = true;
                tracing::info!(provider = name, %upstream, "forwarding");
            }
            (None, reason) => tracing::warn!(provider = name, reason = reason.map_or("", String::as_str), "disabled"),
        }
    }
    if !any {
        tracing::warn!("no provider has credentials: every cloud call will be refused (see README, 'Use it with your real accounts')");
    }
    if config.access_token.is_none() {
        tracing::info!("no access token: anyone who can reach this port can use the proxy (set EXPORT_DESK_ACCESS_TOKEN on a network)");
    }
}

/// The middleware in front of everything in proxy mode.
pub async fn handle(State(proxy): State<Proxy>, request: Request, next: Next) -> Response {
    let access = &proxy.0.access;
    let allowed_origin = access.allowed_origin(request.headers());
    let mut response = route(&proxy, allowed_origin.is_some(), request, next).await;
    access.add_cors_headers(allowed_origin.as_deref(), response.headers_mut());
    response
}

async fn route(proxy: &Proxy, origin_allowed: bool, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if path == "/_mock" || path.starts_with("/_mock/") {
        let body = serde_json::json!({"error": "the mock admin API does not exist in proxy mode"});
        return (StatusCode::NOT_FOUND, Json(body)).into_response();
    }
    if access::is_preflight(request.method(), request.headers()) {
        return access::preflight(origin_allowed);
    }
    if !operations::is_cloud_api(request.method(), path) {
        return next.run(request).await;
    }
    let format = ErrorFormat::for_path(request.method(), path);
    let request_id = request.extensions().get::<RequestId>().map(|id| id.0.clone()).unwrap_or_default();
    match call(proxy, origin_allowed, request).await {
        Ok(response) => response,
        Err(refusal) => {
            tracing::info!(status = refusal.status.as_u16(), code = refusal.huawei_code, message = %refusal.message, "refused");
            refusal.render(format, &request_id)
        }
    }
}

async fn call(proxy: &Proxy, origin_allowed: bool, request: Request) -> Result<Response, Refusal> {
    let config = &proxy.0.config;
    let (parts, body) = request.into_parts();
    if parts.uri.scheme().is_some() || parts.uri.authority().is_some() {
        return Err(Refusal::bad_request("absolute-form request targets are not accepted: send the path only"));
    }
    let forbidden = |denied: access::Denied| {
        Refusal::new(StatusCode::FORBIDDEN, "PROXY.0403", "UnauthorizedOperation", denied.reason)
    };
    proxy.0.access.check_host(&parts.headers, "proxy.allowed_hosts").map_err(forbidden)?;
    if !origin_allowed {
        proxy.0.access.check_same_origin(&parts.headers, "proxy.allowed_origins").map_err(forbidden)?;
    }
    if let Some(token) = &config.access_token {
        let given = parts.headers.get(TOKEN_HEADER).map(HeaderValue::as_bytes).unwrap_or_default();
        if !bool::from(given.ct_eq(token.expose().as_bytes())) {
            return Err(Refusal::new(
                StatusCode::UNAUTHORIZED,
                "PROXY.0401",
                "UnauthorizedOperation",
                format!("this proxy needs its access token in the {TOKEN_HEADER} header"),
            ));
        }
    }
    let path = parts.uri.path();
    let operation = operations::identify(&parts.method, path, &parts.headers).ok_or_else(|| {
        Refusal::new(
            StatusCode::NOT_FOUND,
            "PROXY.0404",
            "InvalidAction",
            format!(
                "{} {path} is not an operation this proxy forwards; it forwards only the dashboard's: {}",
                parts.method,
                operations::known_names()
            ),
        )
    })?;
    let provider = Provider::of(operation).ok_or_else(|| Refusal::bad_request("an operation of no known provider"))?;
    let target = forward::Target::of(config, provider).map_err(|reason| {
        Refusal::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "PROXY.0503",
            "UnsupportedOperation",
            format!("{} is disabled on this proxy: {reason}", provider.label()),
        )
    })?;
    check_path(operation, path, &target)?;
    if proxy.limiter(provider).admit(provider.key()).is_err() {
        return Err(Refusal::new(
            StatusCode::TOO_MANY_REQUESTS,
            "PROXY.0429",
            "RequestLimitExceeded",
            format!(
                "more than {} calls per second to {}: the proxy's limit, at or below the cloud's; retry in a moment",
                provider.requests_per_second(),
                provider.label()
            ),
        ));
    }
    if parts.method == Method::POST {
        let content_type = parts.headers.get(header::CONTENT_TYPE).map(HeaderValue::as_bytes).unwrap_or_default();
        // Also what keeps a cross-site form post (never JSON) from being a "simple" request.
        if !content_type.to_ascii_lowercase().starts_with(b"application/json") {
            return Err(Refusal::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "PROXY.0415",
                "InvalidRequest",
                "the body must be JSON, sent with Content-Type: application/json",
            ));
        }
    }
    let body = read_body(body, config.max_body_bytes).await?;
    // The one caller header that goes upstream, and only as one of its two values: the language
    // of a Tencent answer's messages (not signed: TC3 signs `content-type;host`).
    let language = match parts.headers.get(LANGUAGE_HEADER).map(HeaderValue::as_bytes) {
        Some(b"zh-CN") => Some("zh-CN"),
        Some(b"en-US") => Some("en-US"),
        _ => None,
    };
    let (method, query) = (&parts.method, parts.uri.query());
    forward::forward(&proxy.0.client, config, operation, &target, method, path, query, language, body).await
}

/// The whole body, or why not: above `limit` (413), or unreadable (400: a malformed chunked body,
/// a connection that broke off), each in the provider's envelope.
async fn read_body(body: axum::body::Body, limit: usize) -> Result<axum::body::Bytes, Refusal> {
    use futures_util::StreamExt;
    let mut stream = body.into_data_stream();
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|err| Refusal::bad_request(format!("the request body could not be read: {err}")))?;
        if chunk.len() > limit.saturating_sub(bytes.len()) {
            return Err(Refusal::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "PROXY.0413",
                "RequestSizeLimitExceeded",
                format!("the request body is larger than this proxy's limit of {limit} bytes"),
            ));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes.into())
}

/// Only letters, digits, `-`, `_`, `.` and `/` in the path, and every placeholder a plain id: no
/// percent-encoding (`%2F`, `%23`, `%2e`), no `..`, nothing an upstream could normalise into
/// another path. IoTDA's `{project_id}` must be the configured project.
fn check_path(operation: &Operation, path: &str, target: &forward::Target<'_>) -> Result<(), Refusal> {
    let plain = path.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_./".contains(&b));
    if !plain {
        return Err(Refusal::bad_request(
            "the path may hold only letters, digits, '-', '_', '.' and '/'; percent-encoding is refused",
        ));
    }
    let Route::Rest { path: template, .. } = &operation.route else {
        return Ok(());
    };
    for (wanted, given) in template.split('/').zip(path.split('/')) {
        if !(wanted.starts_with('{') && wanted.ends_with('}')) {
            continue;
        }
        if !config::is_plain_id(given) {
            return Err(Refusal::bad_request(format!("{wanted} must be letters, digits, '-' and '_', not {given:?}")));
        }
        if wanted == "{project_id}" {
            let configured = target.project_id().unwrap_or_default();
            if given != configured {
                return Err(Refusal::new(
                    StatusCode::FORBIDDEN,
                    "PROXY.0403",
                    "UnauthorizedOperation",
                    format!("this proxy serves IoTDA project {configured:?} only, not {given:?}"),
                ));
            }
        }
    }
    Ok(())
}

/// A call the proxy answers itself: status and code for Huawei's envelopes, the code for
/// Tencent's (always HTTP 200, or Tencent's SDK would not read the error).
#[derive(Debug)]
pub(crate) struct Refusal {
    status: StatusCode,
    huawei_code: &'static str,
    tencent_code: &'static str,
    message: String,
}

impl Refusal {
    fn new(
        status: StatusCode,
        huawei_code: &'static str,
        tencent_code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Self { status, huawei_code, tencent_code, message: message.into() }
    }

    fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "PROXY.0400", "InvalidRequest", message)
    }

    fn render(self, format: ErrorFormat, request_id: &str) -> Response {
        let mut response = match format {
            ErrorFormat::Tencent => format.error(StatusCode::OK, self.tencent_code, &self.message, request_id),
            _ => format.error(self.status, self.huawei_code, &self.message, request_id),
        };
        if self.status == StatusCode::TOO_MANY_REQUESTS {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_answer_in_each_providers_envelope() {
        let refusal = || Refusal::new(StatusCode::TOO_MANY_REQUESTS, "PROXY.0429", "RequestLimitExceeded", "slow");
        let huawei = refusal().render(ErrorFormat::HuaweiNested, "id");
        assert_eq!(huawei.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(huawei.headers()[header::RETRY_AFTER], "1");
        let tencent = refusal().render(ErrorFormat::Tencent, "id");
        assert_eq!(tencent.status(), StatusCode::OK, "Tencent's SDK reads errors only from a 200");
    }
}
