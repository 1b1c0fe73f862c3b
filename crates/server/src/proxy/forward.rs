//! One allowlisted call, forwarded: the upstream request rebuilt from what was validated, signed
//! as the SDK would sign it, sent, and its answer relayed with a safe subset of headers.

use super::config::{Availability, CdnTarget, ClsTarget, IotdaSigning, IotdaTarget, ProxyConfig, Upstream};
use super::{Provider, Refusal, USER_AGENT};
use crate::mock::operations::{Operation, Route};
use crate::sign::{huawei, tencent, SignableRequest, Signed};
use axum::body::{Body, Bytes};
use axum::http::{header, HeaderName, Method, StatusCode};
use axum::response::Response;
use export_desk_model::huawei_iotda::{INSTANCE_ID_HEADER, PROJECT_ID_HEADER};
use export_desk_model::tencent_cls::{ACTION_HEADER, LANGUAGE_HEADER, VERSION, VERSION_HEADER};
use std::time::Instant;

/// The upstream answer's headers a client may see. Everything else (`Set-Cookie`, the cloud's
/// internal routing headers, `Location` of a redirect never followed) stays behind.
const RELAYED_HEADERS: [HeaderName; 4] =
    [header::CONTENT_TYPE, header::CONTENT_DISPOSITION, header::RETRY_AFTER, HeaderName::from_static("x-request-id")];

/// The configured destination of one provider.
#[derive(Debug, Clone, Copy)]
pub(super) enum Target<'c> {
    Cdn(&'c CdnTarget),
    Iotda(&'c IotdaTarget),
    Cls(&'c ClsTarget),
}

impl<'c> Target<'c> {
    /// The provider's destination, or why it is disabled.
    pub(super) fn of(config: &'c ProxyConfig, provider: Provider) -> Result<Self, &'c str> {
        fn pick<'a, T>(
            availability: &'a Availability<T>,
            wrap: fn(&'a T) -> Target<'a>,
        ) -> Result<Target<'a>, &'a str> {
            match availability {
                Availability::Enabled(target) => Ok(wrap(target)),
                Availability::Disabled(reason) => Err(reason),
            }
        }
        match provider {
            Provider::Cdn => pick(&config.cdn, Target::Cdn),
            Provider::Iotda => pick(&config.iotda, Target::Iotda),
            Provider::Cls => pick(&config.cls, Target::Cls),
        }
    }

    pub(super) fn project_id(&self) -> Option<&str> {
        match self {
            Self::Iotda(iotda) => Some(&iotda.project_id),
            _ => None,
        }
    }

    fn upstream(&self) -> &Upstream {
        match self {
            Self::Cdn(cdn) => &cdn.upstream,
            Self::Iotda(iotda) => &iotda.upstream,
            Self::Cls(cls) => &cls.upstream,
        }
    }
}

/// Forwards a validated call to its provider and relays the answer; an upstream that is slow or
/// unreachable becomes the provider's error envelope.
#[allow(clippy::too_many_arguments)]
pub(super) async fn forward(
    client: &reqwest::Client,
    config: &ProxyConfig,
    operation: &Operation,
    target: &Target<'_>,
    method: &Method,
    path: &str,
    query: Option<&str>,
    language: Option<&'static str>,
    body: Bytes,
) -> Result<Response, Refusal> {
    let upstream = target.upstream();
    let (query, signed) = sign(operation, target, method, path, query.unwrap_or_default(), language, &body)?;
    let mut url = format!("{}{path}", upstream.base);
    if !query.is_empty() {
        url.push('?');
        url.push_str(&query);
    }
    let parsed = reqwest::Url::parse(&url).map_err(|_| Refusal::bad_request("the path does not form a URL"))?;
    // The path was checked segment by segment; a URL parser that normalised it would mean the
    // signature and the destination disagree.
    if parsed.path() != path {
        return Err(Refusal::bad_request("the path is not in its plain form"));
    }
    let mut request = client.request(method.clone(), parsed).body(body);
    for (name, value) in &signed.headers {
        // The HTTP client writes `Host` from the URL: the same value, signed.
        if !name.eq_ignore_ascii_case("host") {
            request = request.header(name.as_str(), value.as_str());
        }
    }
    let started = Instant::now();
    let sent = tokio::time::timeout(config.upstream_timeout, request.send()).await;
    let elapsed_ms = started.elapsed().as_millis();
    let answer = match sent {
        Ok(Ok(answer)) => answer,
        Ok(Err(err)) if !err.is_timeout() => {
            tracing::warn!(operation = operation.name, upstream = %upstream.base, error = %err, "upstream unreachable");
            return Err(Refusal::new(
                StatusCode::BAD_GATEWAY,
                "PROXY.0502",
                "ServiceUnavailable",
                format!("the proxy could not reach {} ({}); try again later", upstream.base, error_kind(&err)),
            ));
        }
        _ => {
            tracing::warn!(operation = operation.name, upstream = %upstream.base, elapsed_ms, "upstream timed out");
            return Err(Refusal::new(
                StatusCode::GATEWAY_TIMEOUT,
                "PROXY.0504",
                "InternalError",
                format!(
                    "{} did not answer within the proxy's upstream timeout of {} ms; the call may still have taken effect",
                    upstream.base,
                    config.upstream_timeout.as_millis()
                ),
            ));
        }
    };
    let status = answer.status();
    tracing::debug!(operation = operation.name, upstream = %upstream.base, status = status.as_u16(), elapsed_ms, "forwarded");
    if status.is_redirection() {
        // Never followed (a signed call must not go elsewhere) and never relayed: a bare 3xx has no
        // envelope for the client to read, and its `Location` is the upstream's business.
        tracing::warn!(operation = operation.name, upstream = %upstream.base, status = status.as_u16(), "upstream redirected");
        return Err(Refusal::new(
            StatusCode::BAD_GATEWAY,
            "PROXY.0502",
            "ServiceUnavailable",
            format!(
                "{} answered with a redirect (HTTP {}), which the proxy does not follow; check the configured endpoint",
                upstream.base,
                status.as_u16()
            ),
        ));
    }
    if matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN) {
        // What the proxy signed, for comparing with the cloud's complaint; no key is in it.
        tracing::debug!(canonical_request = %signed.canonical_request, "upstream refused the call");
    }
    let mut response = Response::builder().status(status);
    for name in RELAYED_HEADERS {
        for value in answer.headers().get_all(&name) {
            response = response.header(&name, value);
        }
    }
    Ok(response.body(Body::from_stream(answer.bytes_stream())).expect("relayed headers are valid"))
}

fn error_kind(err: &reqwest::Error) -> &'static str {
    if err.is_connect() {
        "connection refused or failed"
    } else if err.is_body() || err.is_decode() {
        "the answer broke off"
    } else {
        "the request failed"
    }
}

/// The query to send and the signed headers, built only from the operation, the configuration
/// and the validated path, query, language (`zh-CN` or `en-US`, for Tencent) and body.
fn sign(
    operation: &Operation,
    target: &Target<'_>,
    method: &Method,
    path: &str,
    raw_query: &str,
    language: Option<&'static str>,
    body: &[u8],
) -> Result<(String, Signed), Refusal> {
    let now = chrono::Utc::now();
    match target {
        Target::Cdn(cdn) => {
            let headers = [
                ("Content-Type", "application/json"),
                ("User-Agent", USER_AGENT),
                ("X-Domain-Id", cdn.domain_id.as_str()),
            ];
            let query = huawei::canonical_query(raw_query);
            let request = signable(method, &cdn.upstream, path, &query, &headers, body);
            let credentials = huawei::Credentials {
                access_key: cdn.keys.access_key.expose(),
                secret_key: cdn.keys.secret_key.expose(),
            };
            let signed = huawei::sign(&request, &credentials, huawei::Scheme::Sdk, now);
            Ok((query, signed))
        }
        Target::Iotda(iotda) => {
            // What the SDK sends: the charset on CreateExportTask's JSON body, plain JSON otherwise.
            let content_type =
                if method == Method::POST { "application/json;charset=utf-8" } else { "application/json" };
            let mut headers = vec![
                ("Content-Type", content_type),
                ("User-Agent", USER_AGENT),
                (PROJECT_ID_HEADER, iotda.project_id.as_str()),
            ];
            if let Some(instance_id) = &iotda.instance_id {
                headers.push((INSTANCE_ID_HEADER, instance_id.as_str()));
            }
            let query = huawei::canonical_query(raw_query);
            let request = signable(method, &iotda.upstream, path, &query, &headers, body);
            let credentials = huawei::Credentials {
                access_key: iotda.keys.access_key.expose(),
                secret_key: iotda.keys.secret_key.expose(),
            };
            let scheme = match iotda.signing {
                IotdaSigning::Sdk => huawei::Scheme::Sdk,
                IotdaSigning::Derived => {
                    huawei::Scheme::Derived { region_id: &iotda.region, service: huawei::IOTDA_DERIVED_SERVICE }
                }
            };
            let signed = huawei::sign(&request, &credentials, scheme, now);
            Ok((query, signed))
        }
        Target::Cls(cls) => {
            let Route::TencentAction { action } = operation.route else {
                return Err(Refusal::bad_request(format!("{} is not a Tencent action", operation.name)));
            };
            let mut headers = vec![
                ("Content-Type", "application/json"),
                ("User-Agent", USER_AGENT),
                (ACTION_HEADER, action),
                (VERSION_HEADER, VERSION),
                ("X-TC-Region", cls.region.as_str()),
            ];
            headers.extend(language.map(|language| (LANGUAGE_HEADER, language)));
            // Tencent actions carry every parameter in the JSON body; a query is not forwarded.
            let request = signable(method, &cls.upstream, path, "", &headers, body);
            let credentials = tencent::Credentials {
                secret_id: cls.keys.secret_id.expose(),
                secret_key: cls.keys.secret_key.expose(),
                token: None,
            };
            let signed = tencent::sign(&request, &credentials, tencent::CLS_SERVICE, now, tencent::Payload::Signed);
            Ok((String::new(), signed))
        }
    }
}

fn signable<'a>(
    method: &'a Method,
    upstream: &'a Upstream,
    path: &'a str,
    query: &'a str,
    headers: &'a [(&'a str, &'a str)],
    body: &'a [u8],
) -> SignableRequest<'a> {
    SignableRequest { method: method.as_str(), host: &upstream.host, path, query, headers, body }
}
