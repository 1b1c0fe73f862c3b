//! Strict mode (`--verify-signatures`): the mock checks every cloud API call's signature against
//! configured test credentials, as the clouds' gateways do, and refuses a missing, malformed,
//! unknown, expired or wrong one with the provider's own authentication error. Without it the mock
//! ignores signatures entirely (any client, any key, works).
//!
//! It exists to prove the signing chain end to end: a client (an official SDK, the proxy in front
//! of the dashboard) that the strict mock accepts signs exactly as the real clouds require, and a
//! request changed after signing is caught. Verification is [`crate::sign`]'s, the same code the
//! proxy signs with.
//!
//! What is checked, and how it answers:
//! - Huawei operations (those in the [`operations`] table under `/v1/`, `/v1.0/`, `/v5/`):
//!   `SDK-HMAC-SHA256`, or `V11-HMAC-SHA256` when the `Authorization` says so (its scope's service
//!   must then be IoTDA's `iotdm` on IoTDA paths; CDN has no derived service name in the SDK, so any
//!   is taken there). Refusals are the API gateway's: HTTP 401, flat
//!   `{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: …","request_id":…}`.
//!   Unknown Huawei paths are not checked: the gateway finds the API before it authenticates, so
//!   they keep their `APIGW.0101` 404.
//! - Tencent (`POST /`, whatever the action): `TC3-HMAC-SHA256` with service `cls`. Refusals are
//!   Tencent's: HTTP 200, `{"Response":{"Error":{"Code":"AuthFailure.…","Message":…},"RequestId":…}}`.
//! - Nothing else: the admin API (`/_mock/`), the dashboard and `/_desk/`, and the download links
//!   (`/_mock/files/…`, which carry their own COS-style query signature in the real clouds) are
//!   never checked.
//!
//! Time: signatures carry the client's wall-clock time (`X-Sdk-Date`, `X-TC-Timestamp`), and the
//! SDKs sign with the real time even while the mock clock runs fast or was advanced by hours, so the
//! skew window (Huawei 15 minutes, Tencent 5) is measured against the wall clock, never mock time.
//!
//! Order: this runs inside [`super::intercept`], so a refused call is journaled with its status like
//! any other, and an injected fault answers before the signature is looked at (faults stand in for
//! the cloud as a whole, gateway included).
//!
//! Bodies are read whole to hash them, up to the limit the handler itself enforces; a longer body is
//! passed on unchecked, for the handler to refuse with its own size error (a gateway refuses an
//! oversized request before it authenticates it, too).

use super::operations::{self, Route};
use super::tencent_cls;
use crate::envelope::TencentError;
use crate::mock::tencent_cls::Language;
use crate::request_id::RequestId;
use crate::sign::{huawei, tencent, SignableRequest, VerifyError};
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use serde::Serialize;
use std::sync::Arc;

/// The Huawei AK accepted when none is configured: the official-SDK conformance suite's throwaway.
pub const DEFAULT_HUAWEI_AK: &str = "SDKTESTAK0000000000";
/// The SK of [`DEFAULT_HUAWEI_AK`].
pub const DEFAULT_HUAWEI_SK: &str = "sdk-test-secret-key-not-real";
/// The Tencent SecretId accepted when none is configured: the conformance suite's throwaway.
pub const DEFAULT_TENCENT_SECRET_ID: &str = "AKIDsdktest0000000000000000000000000";
/// The SecretKey of [`DEFAULT_TENCENT_SECRET_ID`].
pub const DEFAULT_TENCENT_SECRET_KEY: &str = "sdktestsecretkeynotreal0000000000";

/// The API gateway's code for every failed IAM (AK/SK) authentication. `APIGW.0303` is the
/// APP-authentication counterpart, which cloud-service APIs do not use.
pub const HUAWEI_AUTH_FAILED: &str = "APIGW.0301";
const HUAWEI_AUTH_MESSAGE: &str = "Incorrect IAM authentication information";

/// The most any Huawei handler accepts (CDN's refresh and preheat bodies; the others take less),
/// so no body a handler would act on passes unchecked.
const HUAWEI_BODY_MAX_BYTES: usize = export_desk_model::huawei_cdn::history::CONTENT_TASK_BODY_MAX_BYTES;

/// Tencent's common authentication error codes (API 3.0).
pub mod tencent_code {
    /// The signature does not match.
    pub const SIGNATURE_FAILURE: &str = "AuthFailure.SignatureFailure";
    /// `X-TC-Timestamp` more than 5 minutes from the server's time.
    pub const SIGNATURE_EXPIRE: &str = "AuthFailure.SignatureExpire";
    /// The SecretId is not one the server knows.
    pub const SECRET_ID_NOT_FOUND: &str = "AuthFailure.SecretIdNotFound";
    /// The `Authorization` header is missing or not a TC3 one.
    pub const INVALID_AUTHORIZATION: &str = "AuthFailure.InvalidAuthorization";
}

/// The credentials strict mode accepts, one pair per provider. Secret keys never reach a log:
/// `Debug` leaves them out.
#[derive(Clone)]
pub struct Strict(Arc<Keys>);

/// One AK/SK pair per provider; no `Debug`, so the secret keys cannot be printed by accident.
pub struct Keys {
    pub huawei_ak: String,
    pub huawei_sk: String,
    pub tencent_secret_id: String,
    pub tencent_secret_key: String,
}

impl std::fmt::Debug for Strict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Strict")
            .field("huawei_ak", &self.0.huawei_ak)
            .field("tencent_secret_id", &self.0.tencent_secret_id)
            .finish_non_exhaustive()
    }
}

impl Strict {
    /// Strict mode accepting `keys`. The command line builds them (`MockOptions::strict`) and takes
    /// its defaults from the constants above; this module takes plain values and needs nothing
    /// from `cli`, so the two do not import each other.
    pub fn new(keys: Keys) -> Self {
        tracing::info!(
            huawei_ak = %keys.huawei_ak,
            tencent_secret_id = %keys.tencent_secret_id,
            "strict mode: cloud API calls must be signed with these test credentials"
        );
        Self(Arc::new(keys))
    }

    fn huawei_secret(&self, access_key: &str) -> Option<&str> {
        (access_key == self.0.huawei_ak).then_some(self.0.huawei_sk.as_str())
    }

    fn tencent_secret(&self, secret_id: &str) -> Option<&str> {
        (secret_id == self.0.tencent_secret_id).then_some(self.0.tencent_secret_key.as_str())
    }
}

/// Which signature a request must carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scheme {
    /// Huawei AK/SK; `derived_service` is the service a `V11-HMAC-SHA256` scope must name, where known.
    Huawei { derived_service: Option<&'static str> },
    /// Tencent TC3 for CLS.
    Tencent,
}

impl Scheme {
    fn of(request: &Request) -> Option<Self> {
        let (method, path) = (request.method(), request.uri().path());
        if method == Method::POST && path == "/" {
            return Some(Self::Tencent);
        }
        let operation = operations::identify(method, path, request.headers())?;
        matches!(operation.route, Route::Rest { .. }).then(|| Self::Huawei {
            derived_service: operation.name.starts_with("iotda:").then_some(huawei::IOTDA_DERIVED_SERVICE),
        })
    }

    fn body_limit(self) -> usize {
        match self {
            Self::Huawei { .. } => HUAWEI_BODY_MAX_BYTES,
            Self::Tencent => tencent_cls::BODY_MAX_BYTES,
        }
    }
}

/// The middleware: verifies the signature of cloud API calls, passes everything else on untouched.
pub async fn verify_signatures(State(strict): State<Strict>, request: Request, next: Next) -> Response {
    let Some(scheme) = Scheme::of(&request) else {
        return next.run(request).await;
    };
    let (parts, body) = request.into_parts();
    let body = match read_up_to(body, scheme.body_limit()).await {
        Ok(bytes) => bytes,
        // Too long (the handler answers with its own size error) or unreadable (the handler sees
        // the same error): either way not for the signature check to answer.
        Err(body) => return next.run(Request::from_parts(parts, body)).await,
    };
    let request_id = parts.extensions.get::<RequestId>().map(|id| id.0.clone()).unwrap_or_default();
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(name, value)| (name.as_str().to_owned(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
        .collect();
    let header_pairs: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    // HTTP/1.1 always has a Host header; an HTTP/2 request names its host in the URI instead.
    let host = parts
        .headers
        .get(header::HOST)
        .and_then(|host| host.to_str().ok())
        .map(str::to_owned)
        .or_else(|| parts.uri.authority().map(|authority| authority.as_str().to_owned()))
        .unwrap_or_default();
    let signable = SignableRequest {
        method: parts.method.as_str(),
        host: &host,
        path: parts.uri.path(),
        query: parts.uri.query().unwrap_or_default(),
        headers: &header_pairs,
        body: &body,
    };
    let now = Utc::now();
    let refusal = match scheme {
        Scheme::Huawei { derived_service } => check_huawei(&strict, &signable, derived_service, now)
            .err()
            .map(|refusal| huawei_refusal(refusal, now, &request_id)),
        Scheme::Tencent => tencent::verify(&signable, tencent::CLS_SERVICE, now, |id| strict.tencent_secret(id))
            .err()
            .map(|error| tencent_refusal(error, Language::of(&parts.headers), &request_id)),
    };
    match refusal {
        Some(response) => response,
        None => next.run(Request::from_parts(parts, Body::from(body))).await,
    }
}

/// Why a Huawei request was refused: the library's reasons, plus the ones only the mock can judge.
#[derive(Debug)]
enum HuaweiRefusal {
    Verify(VerifyError),
    /// `X-Auth-Token` instead of a signature: the mock has no IAM to check a token with.
    Token,
    /// A derived signature scoped to another service.
    WrongService {
        service: String,
        expected: &'static str,
    },
}

fn check_huawei(
    strict: &Strict,
    request: &SignableRequest<'_>,
    derived_service: Option<&'static str>,
    now: DateTime<Utc>,
) -> Result<(), HuaweiRefusal> {
    if request.header("authorization").is_none() && request.header("x-auth-token").is_some() {
        return Err(HuaweiRefusal::Token);
    }
    let verified = huawei::verify(request, now, |ak| strict.huawei_secret(ak)).map_err(HuaweiRefusal::Verify)?;
    match (verified.derived_scope, derived_service) {
        (Some(scope), Some(expected)) if scope.service != expected => {
            Err(HuaweiRefusal::WrongService { service: scope.service, expected })
        }
        _ => Ok(()),
    }
}

/// The gateway's authentication error: flat, with the request id in the body as well (the gateway
/// puts it there; the SDK reads the `X-Request-Id` header).
#[derive(Serialize)]
struct GatewayAuthError {
    error_code: &'static str,
    error_msg: String,
    request_id: String,
}

/// The gateway's messages, where its public docs and user reports show them: "ak … not exist",
/// "calc ak sk signature fail:signature expired", "verify aksk signature fail, canonicalRequest:…"
/// (the canonical request with `|` for each newline), "x-auth-token not found" when a request has
/// neither a signature nor a token.
fn huawei_refusal(refusal: HuaweiRefusal, now: DateTime<Utc>, request_id: &str) -> Response {
    let detail = match refusal {
        HuaweiRefusal::Verify(VerifyError::MissingAuthorization) => "x-auth-token not found".to_owned(),
        HuaweiRefusal::Token => "decrypt token fail (the mock has no IAM tokens: sign with AK/SK)".to_owned(),
        HuaweiRefusal::Verify(VerifyError::Malformed(why)) => format!("verify aksk signature fail, {why}"),
        HuaweiRefusal::Verify(VerifyError::UnknownAccessKey(ak)) => format!("ak {ak} not exist"),
        HuaweiRefusal::Verify(VerifyError::Expired { skew_seconds, max_skew_seconds }) => format!(
            "calc ak sk signature fail:signature expired, signature time:{}, server time:{}, \
             at most {} minutes apart",
            huawei::sdk_date(now + chrono::Duration::seconds(skew_seconds)),
            huawei::sdk_date(now),
            max_skew_seconds / 60
        ),
        HuaweiRefusal::Verify(VerifyError::SignatureMismatch { canonical_request, .. }) => {
            tracing::debug!(%canonical_request, "strict mode: Huawei signature mismatch");
            format!("verify aksk signature fail, canonicalRequest:{}", canonical_request.replace('\n', "|"))
        }
        HuaweiRefusal::WrongService { service, expected } => {
            format!("verify aksk signature fail, the derived credential's service is {service:?}, not {expected:?}")
        }
    };
    let body = GatewayAuthError {
        error_code: HUAWEI_AUTH_FAILED,
        error_msg: format!("{HUAWEI_AUTH_MESSAGE}: {detail}"),
        request_id: request_id.to_owned(),
    };
    (StatusCode::UNAUTHORIZED, Json(body)).into_response()
}

/// Tencent's messages are its documented ones, in the language `X-TC-Language` asks for; the
/// mock's reason follows where it helps a client author (never the expected signature).
fn tencent_refusal(error: VerifyError, lang: Language, request_id: &str) -> Response {
    let (code, message) = match error {
        VerifyError::MissingAuthorization => (
            tencent_code::INVALID_AUTHORIZATION,
            lang.say(
                || "Authorization in the request header is invalid: the request carries none.".to_owned(),
                || "请求头部的 Authorization 不符合腾讯云标准：请求中没有 Authorization。".to_owned(),
            ),
        ),
        VerifyError::Malformed(why) => (
            tencent_code::INVALID_AUTHORIZATION,
            lang.say(
                || format!("Authorization in the request header is invalid: {why}."),
                || format!("请求头部的 Authorization 不符合腾讯云标准：{why}。"),
            ),
        ),
        VerifyError::UnknownAccessKey(_) => (
            tencent_code::SECRET_ID_NOT_FOUND,
            lang.say(
                || "The SecretId is not found, please ensure that your SecretId is correct.".to_owned(),
                || "密钥不存在，请检查 SecretId 是否填写正确。".to_owned(),
            ),
        ),
        VerifyError::Expired { skew_seconds, .. } => {
            let skew = skew_seconds.saturating_abs();
            (
                tencent_code::SIGNATURE_EXPIRE,
                lang.say(
                    || {
                        format!(
                            "Signature expired. Timestamp and server time cannot differ by more than five minutes \
                             (they differ by {skew} seconds). Please ensure your current local time matches the standard time."
                        )
                    },
                    || format!("签名过期。Timestamp 与服务器时间相差不得超过五分钟（当前相差 {skew} 秒），请检查本地时间是否与标准时间同步。"),
                ),
            )
        }
        VerifyError::SignatureMismatch { canonical_request, .. } => {
            tracing::debug!(%canonical_request, "strict mode: Tencent signature mismatch");
            (
                tencent_code::SIGNATURE_FAILURE,
                lang.say(
                    || {
                        "The provided credentials could not be validated. Please check your signature is correct."
                            .to_owned()
                    },
                    || "请求签名验证失败，请检查您的签名计算是否正确。".to_owned(),
                ),
            )
        }
    };
    TencentError { code: code.to_owned(), message, request_id: request_id.to_owned() }.into_response()
}

/// The whole body if it has at most `limit` bytes; otherwise (or when it cannot be read) a body
/// that still yields every byte and the same error, for the handler to answer.
async fn read_up_to(body: Body, limit: usize) -> Result<Bytes, Body> {
    let mut stream = body.into_data_stream();
    let mut chunks: Vec<Bytes> = Vec::new();
    let mut length = 0usize;
    while let Some(chunk) = stream.next().await {
        match chunk {
            Ok(chunk) => {
                length += chunk.len();
                chunks.push(chunk);
                if length > limit {
                    let read = futures_util::stream::iter(chunks.into_iter().map(Ok::<Bytes, axum::Error>));
                    return Err(Body::from_stream(read.chain(stream)));
                }
            }
            Err(error) => {
                let read = futures_util::stream::iter(chunks.into_iter().map(Ok::<Bytes, axum::Error>));
                return Err(Body::from_stream(read.chain(futures_util::stream::once(async { Err(error) }))));
            }
        }
    }
    Ok(match chunks.len() {
        1 => chunks.pop().unwrap_or_default(),
        _ => chunks.concat().into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::to_bytes;

    fn chunked(parts: &[&'static str]) -> Body {
        let chunks: Vec<Result<Bytes, std::io::Error>> =
            parts.iter().map(|p| Ok(Bytes::from_static(p.as_bytes()))).collect();
        Body::from_stream(futures_util::stream::iter(chunks))
    }

    #[tokio::test]
    async fn a_body_within_the_limit_is_read_whole() {
        assert_eq!(read_up_to(chunked(&["ab", "cd"]), 4).await.unwrap(), "abcd");
        assert_eq!(read_up_to(chunked(&[]), 0).await.unwrap(), "");
    }

    #[tokio::test]
    async fn a_longer_body_is_handed_on_with_every_byte() {
        let body = read_up_to(chunked(&["abc", "def", "ghi"]), 4).await.expect_err("over the limit");
        assert_eq!(to_bytes(body, usize::MAX).await.unwrap(), "abcdefghi");
    }

    #[test]
    fn only_cloud_operations_are_checked() {
        let request =
            |method: Method, path: &str| Request::builder().method(method).uri(path).body(Body::empty()).unwrap();
        assert_eq!(Scheme::of(&request(Method::POST, "/")), Some(Scheme::Tencent));
        assert_eq!(
            Scheme::of(&request(Method::GET, "/v1/cdn/statistics/export-tasks")),
            Some(Scheme::Huawei { derived_service: None })
        );
        assert_eq!(
            Scheme::of(&request(Method::DELETE, "/v5/iot/p/export-tasks/t")),
            Some(Scheme::Huawei { derived_service: Some("iotdm") })
        );
        for (method, path) in [
            (Method::GET, "/"),
            (Method::GET, "/_mock/journal"),
            (Method::POST, "/_mock/reset"),
            (Method::GET, "/_mock/files/cls/e/f.tar.gz"),
            (Method::GET, "/_desk/config"),
            (Method::GET, "/v1/no/such/api"),
            (Method::PUT, "/v1/cdn/statistics/export-tasks"),
        ] {
            assert_eq!(Scheme::of(&request(method.clone(), path)), None, "{method} {path}");
        }
    }

    #[test]
    fn debug_output_leaves_the_secret_keys_out() {
        let strict = Strict(Arc::new(Keys {
            huawei_ak: "AK".into(),
            huawei_sk: "huawei-sk-value".into(),
            tencent_secret_id: "ID".into(),
            tencent_secret_key: "tencent-key-value".into(),
        }));
        let debug = format!("{strict:?}");
        assert!(debug.contains("AK") && debug.contains("ID"), "{debug}");
        assert!(!debug.contains("sk-value") && !debug.contains("key-value"), "{debug}");
    }
}
