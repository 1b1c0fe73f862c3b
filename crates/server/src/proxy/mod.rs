//! Proxy mode: the dashboard's cloud calls — the same native paths the mock serves — forwarded to
//! the real Huawei Cloud and Tencent Cloud endpoints, each signed here, so the AK/SK never reach
//! the browser.
//!
//! Not an open proxy. A call is forwarded only when it is one of the operations in the mock's
//! table ([`operations::OPERATIONS`], the dashboard's whole vocabulary), and then only to that
//! provider's configured endpoint, as a request rebuilt from scratch: the validated method, path
//! and query, the headers the API needs (values from the configuration, not the browser), our own
//! `User-Agent`, the exact body bytes — signed as a whole. Nothing else the client sent (`Host`,
//! `X-Forwarded-*`, `Authorization`, `X-Sdk-Date`, `X-TC-*`, cookies) goes upstream.
//!
//! Checks, in order, each answered in the provider's own error envelope with a `PROXY.*` code
//! (Huawei) or a common Tencent code (HTTP 200, as Tencent's SDK requires):
//! absolute-form target → `Host` (DNS-rebinding defence) → `Origin`/`Sec-Fetch-Site` (cross-site
//! calls need an allowed origin) → access token → allowlist → provider enabled → path segments →
//! rate limit → content type → body size → upstream (timeout, unreachable).
//!
//! - [`config`]: the TOML file and environment variables.
//! - [`forward`]: signing, sending and relaying one call.

pub mod config;
mod forward;

use crate::cli::Cli;
use crate::envelope::ErrorFormat;
use crate::mock::operations::{self, Operation, Route};
use crate::rate_limit::RateLimiter;
use crate::request_id::RequestId;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use config::{Availability, ConfigError, ProxyConfig};
use export_desk_model::desk::{DeskConfig, IotdaProject, Mode, ProviderStatus, Providers};
use std::net::IpAddr;
use std::sync::Arc;
use subtle::ConstantTimeEq;

/// The header carrying the proxy's access token, when one is configured.
pub const TOKEN_HEADER: &str = export_desk_model::desk::ACCESS_TOKEN_HEADER;
/// What the proxy calls itself upstream (signed, so the clouds' logs name the real client).
pub const USER_AGENT: &str = concat!("export-desk-proxy/", env!("CARGO_PKG_VERSION"));

/// CDN's documented limit (30 requests per second per account).
pub const CDN_REQUESTS_PER_SECOND: u32 = 30;
/// The reference documents no IoTDA limit for these calls; 10 per second is well inside any
/// account's API quota and far above what a dashboard needs.
pub const IOTDA_REQUESTS_PER_SECOND: u32 = 10;
/// CLS's documented limit for each export action (the proxy counts the three together).
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
    /// The host of `--public-url`, accepted as `Host` besides the configured ones.
    public_host: Option<String>,
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
        let public_host = public_url
            .and_then(|url| reqwest::Url::parse(url).ok())
            .and_then(|url| url.host_str().map(str::to_ascii_lowercase));
        let limits = [Provider::Cdn, Provider::Iotda, Provider::Cls]
            .map(|provider| RateLimiter::new(provider.requests_per_second()));
        Ok(Self(Arc::new(Inner { config, client, limits, public_host })))
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

/// The proxy-mode application (without the request-id and other outer layers): the dashboard and
/// `/_desk/config`, with the cloud paths taken over by [`handle`].
pub fn routes(cli: &Cli) -> Result<Router, ConfigError> {
    let env = |name: &str| std::env::var(name).ok();
    let config = ProxyConfig::load(cli.config.as_deref(), &env)?;
    let proxy = Proxy::new(config, cli.public_url.as_deref())?;
    log_start(&proxy.0.config);
    let desk = crate::web::DeskInfo(proxy.desk_config());
    Ok(crate::web::router(&cli.dist, desk).layer(axum::middleware::from_fn_with_state(proxy, handle)))
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
    let allowed_origin = request
        .headers()
        .get(header::ORIGIN)
        .and_then(|origin| origin.to_str().ok())
        .filter(|origin| proxy.0.config.allowed_origins.iter().any(|allowed| allowed == origin))
        .map(str::to_owned);
    let mut response = route(&proxy, allowed_origin.is_some(), request, next).await;
    let headers = response.headers_mut();
    if let Some(origin) = allowed_origin.and_then(|origin| HeaderValue::from_str(&origin).ok()) {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        headers.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static("X-Request-Id, Content-Disposition, Retry-After"),
        );
    }
    if !proxy.0.config.allowed_origins.is_empty() {
        headers.append(header::VARY, HeaderValue::from_static("Origin"));
    }
    response
}

async fn route(proxy: &Proxy, origin_allowed: bool, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if path == "/_mock" || path.starts_with("/_mock/") {
        let body = serde_json::json!({"error": "the mock admin API does not exist in proxy mode"});
        return (StatusCode::NOT_FOUND, Json(body)).into_response();
    }
    if request.method() == Method::OPTIONS && request.headers().contains_key(header::ACCESS_CONTROL_REQUEST_METHOD) {
        return preflight(origin_allowed);
    }
    if !operations::is_cloud_api(request.method(), path) {
        return next.run(request).await;
    }
    let format = envelope_for(request.method(), path);
    let request_id = request.extensions().get::<RequestId>().map(|id| id.0.clone()).unwrap_or_default();
    match call(proxy, origin_allowed, request).await {
        Ok(response) => response,
        Err(refusal) => {
            tracing::info!(status = refusal.status.as_u16(), code = refusal.huawei_code, message = %refusal.message, "refused");
            refusal.render(format, &request_id)
        }
    }
}

/// A CORS preflight: allowed origins may send what the dashboard sends; others get no CORS
/// headers, which the browser reads as a refusal.
fn preflight(origin_allowed: bool) -> Response {
    if !origin_allowed {
        let body = serde_json::json!({"error": "cross-origin calls are not allowed from this origin"});
        return (StatusCode::FORBIDDEN, Json(body)).into_response();
    }
    let allow_headers = format!(
        "Content-Type, X-TC-Action, X-TC-Version, X-TC-Region, X-TC-Language, X-Project-Id, Instance-Id, {TOKEN_HEADER}"
    );
    Response::builder()
        .status(StatusCode::NO_CONTENT)
        .header(header::ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, DELETE")
        .header(header::ACCESS_CONTROL_ALLOW_HEADERS, allow_headers)
        .header(header::ACCESS_CONTROL_MAX_AGE, "600")
        .body(Body::empty())
        .expect("static headers are valid")
}

/// The envelope a refusal answers in before (or without) the operation being known: Tencent's
/// for `POST /`, IoTDA's flat one under `/v5/`, CDN's nested one otherwise.
pub(crate) fn envelope_for(method: &Method, path: &str) -> ErrorFormat {
    if method == Method::POST && path == "/" {
        ErrorFormat::Tencent
    } else if path.starts_with("/v5") {
        ErrorFormat::HuaweiFlat
    } else {
        ErrorFormat::HuaweiNested
    }
}

async fn call(proxy: &Proxy, origin_allowed: bool, request: Request) -> Result<Response, Refusal> {
    let config = &proxy.0.config;
    let (parts, body) = request.into_parts();
    if parts.uri.scheme().is_some() || parts.uri.authority().is_some() {
        return Err(Refusal::bad_request("absolute-form request targets are not accepted: send the path only"));
    }
    check_host(proxy, &parts.headers)?;
    if !origin_allowed {
        check_same_origin(&parts.headers)?;
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
    if !proxy.limiter(provider).admit(provider.key()) {
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
    let body = axum::body::to_bytes(body, config.max_body_bytes).await.map_err(|_| {
        Refusal::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "PROXY.0413",
            "RequestSizeLimitExceeded",
            format!(
                "the request body is larger than this proxy's limit of {} bytes (or was cut off)",
                config.max_body_bytes
            ),
        )
    })?;
    forward::forward(&proxy.0.client, config, operation, &target, &parts.method, path, parts.uri.query(), body).await
}

/// Accepts IP addresses, `localhost`, `--public-url`'s host and the configured hosts: a page on an
/// attacker's domain that resolves to this machine (DNS rebinding) is then refused, since its
/// requests carry the attacker's host name.
fn check_host(proxy: &Proxy, headers: &HeaderMap) -> Result<(), Refusal> {
    let host = headers.get(header::HOST).and_then(|host| host.to_str().ok()).unwrap_or_default();
    let name = host_name(host).to_ascii_lowercase();
    let allowed = name.parse::<IpAddr>().is_ok()
        || name == "localhost"
        || proxy.0.public_host.as_deref() == Some(name.as_str())
        || proxy.0.config.allowed_hosts.contains(&name);
    if allowed {
        Ok(())
    } else {
        Err(Refusal::new(
            StatusCode::FORBIDDEN,
            "PROXY.0403",
            "UnauthorizedOperation",
            format!("calls addressed to host {host:?} are not accepted; add it to proxy.allowed_hosts to serve it"),
        ))
    }
}

/// `host`, `host:port`, `[v6]:port` → the name or address alone.
fn host_name(host: &str) -> &str {
    if let Some(rest) = host.strip_prefix('[') {
        return rest.split(']').next().unwrap_or_default();
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    }
}

/// Without an allowed origin, only the dashboard's own pages (same origin) and non-browser
/// clients (no `Origin`, no `Sec-Fetch-Site`) may call: a cross-site page must not spend the
/// account through a visitor's browser.
fn check_same_origin(headers: &HeaderMap) -> Result<(), Refusal> {
    let forbidden = |why: String| Refusal::new(StatusCode::FORBIDDEN, "PROXY.0403", "UnauthorizedOperation", why);
    let host = headers.get(header::HOST).and_then(|host| host.to_str().ok()).unwrap_or_default();
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or_default();
        let same = origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://")) == Some(host);
        if !same {
            return Err(forbidden(format!(
                "calls from pages at {origin:?} are not allowed; list the origin in proxy.allowed_origins to allow them"
            )));
        }
    }
    let site = headers.get("sec-fetch-site").map(HeaderValue::as_bytes);
    if matches!(site, Some(b"cross-site" | b"same-site")) && !headers.contains_key(header::ORIGIN) {
        return Err(forbidden("cross-site calls are not allowed".to_owned()));
    }
    Ok(())
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
    fn host_names_lose_their_port() {
        assert_eq!(host_name("127.0.0.1:8080"), "127.0.0.1");
        assert_eq!(host_name("[::1]:8080"), "::1");
        assert_eq!(host_name("desk.example.com"), "desk.example.com");
        assert_eq!(host_name("evil.example:80:81"), "evil.example:80");
    }

    #[test]
    fn same_origin_is_judged_against_the_host_the_browser_addressed() {
        let headers = |pairs: &[(&'static str, &'static str)]| {
            let mut map = HeaderMap::new();
            for (name, value) in pairs {
                map.insert(*name, HeaderValue::from_static(value));
            }
            map
        };
        assert!(check_same_origin(&headers(&[("host", "127.0.0.1:8080")])).is_ok(), "no Origin: not a browser page");
        assert!(check_same_origin(&headers(&[("host", "127.0.0.1:8080"), ("origin", "http://127.0.0.1:8080")])).is_ok());
        assert!(check_same_origin(&headers(&[("host", "127.0.0.1:8080"), ("origin", "http://evil.example")])).is_err());
        assert!(check_same_origin(&headers(&[("host", "127.0.0.1:8080"), ("origin", "null")])).is_err());
        assert!(check_same_origin(&headers(&[("host", "a:1"), ("sec-fetch-site", "cross-site")])).is_err());
        assert!(check_same_origin(&headers(&[("host", "a:1"), ("sec-fetch-site", "same-origin")])).is_ok());
    }

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
