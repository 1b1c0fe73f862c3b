//! Tencent Cloud `TC3-HMAC-SHA256` signing, exactly as `tencentcloud-sdk-python-common` 3.1.195
//! (`abstract_client.py`, `sign.py`) computes it; CLS signs with service `cls`.
//!
//! - Canonical request: `METHOD\n<path>\n<query>\n<headers>\n<signed>\n<payload hash>`. The SDK
//!   signs only `content-type;host`, values as sent. POST (the SDK's default: JSON body) has an empty
//!   canonical query; GET (form parameters in the query, `Content-Type:
//!   application/x-www-form-urlencoded`) uses the query exactly as sent and hashes an empty payload.
//! - The payload hash is of the exact body bytes: re-serialising JSON (a browser's compact
//!   `JSON.stringify` vs Python's `", "` separators) changes the signature. With
//!   `X-TC-Content-SHA256: UNSIGNED-PAYLOAD` the literal text `UNSIGNED-PAYLOAD` is hashed instead,
//!   and the body is not covered.
//! - Scope `<UTC date of X-TC-Timestamp>/<service>/tc3_request`; key chain
//!   `HMAC("TC3"+SecretKey, date)` → service → `tc3_request`. `X-TC-Timestamp` is not a signed
//!   header but is in the string to sign, so it cannot be changed either.
//! - `X-TC-Token` (temporary credentials) is sent, not signed.
//!
//! Verification allows [`MAX_CLOCK_SKEW_SECONDS`] (5 minutes, after which Tencent answers
//! `AuthFailure.SignatureExpire`) between `X-TC-Timestamp` and now, accepts any `SignedHeaders` list
//! that contains `content-type` and `host` (Tencent's documented minimum), and requires the
//! credential scope to be the timestamp's date and the verifier's service.

use super::{
    check_signature_shape, check_skew, hmac_sha256, parse_authorization, parse_signed_headers, same_signature,
    sha256_hex, HeaderList, SignableRequest, Signed, VerifyError,
};
use chrono::{DateTime, Utc};

pub const ALGORITHM: &str = "TC3-HMAC-SHA256";
pub const TIMESTAMP_HEADER: &str = "X-TC-Timestamp";
pub const CONTENT_SHA256_HEADER: &str = "X-TC-Content-SHA256";
pub const TOKEN_HEADER: &str = "X-TC-Token";
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
/// What the SDK signs.
pub const SDK_SIGNED_HEADERS: &str = "content-type;host";
/// How far `X-TC-Timestamp` may be from the verifier's now, either way.
pub const MAX_CLOCK_SKEW_SECONDS: i64 = 5 * 60;
/// The service name of CLS in the credential scope.
pub const CLS_SERVICE: &str = "cls";

/// A SecretId/SecretKey pair, with the session token of temporary credentials.
#[derive(Clone, Copy)]
pub struct Credentials<'a> {
    pub secret_id: &'a str,
    pub secret_key: &'a str,
    /// Sent as `X-TC-Token`.
    pub token: Option<&'a str>,
}

impl std::fmt::Debug for Credentials<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials").field("secret_id", &self.secret_id).finish_non_exhaustive()
    }
}

/// Whether the body is covered by the signature (`ClientProfile.unsignedPayload` in the SDK).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Payload {
    #[default]
    Signed,
    /// Sends `X-TC-Content-SHA256: UNSIGNED-PAYLOAD`: for large bodies, at the cost of integrity.
    Unsigned,
}

/// A request whose signature checked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub secret_id: String,
    /// `X-TC-Token`, for the caller to check against the secret id's session, if it has one.
    pub token: Option<String>,
    /// `X-TC-Timestamp`.
    pub signed_at: DateTime<Utc>,
}

/// Signs `request` for `service` at time `at`.
///
/// Sets `Host` (to `request.host`), `X-TC-Timestamp` (from `at`), `X-TC-Token` (from the
/// credentials, removed when they have none), `X-TC-Content-SHA256` (per `payload`, removed for a
/// signed payload) and `Authorization`. The request must carry its `Content-Type` (the SDK:
/// `application/json` for POST, `application/x-www-form-urlencoded` for GET) and the `X-TC-Action`,
/// `X-TC-Version`, `X-TC-Region` … headers of the call; they pass through unchanged.
pub fn sign(
    request: &SignableRequest<'_>,
    credentials: &Credentials<'_>,
    service: &str,
    at: DateTime<Utc>,
    payload: Payload,
) -> Signed {
    let mut headers = HeaderList::from_request(request, &["authorization"]);
    headers.set("Host", request.host);
    let timestamp = at.timestamp().to_string();
    headers.set(TIMESTAMP_HEADER, &timestamp);
    match payload {
        Payload::Signed => headers.remove(CONTENT_SHA256_HEADER),
        Payload::Unsigned => headers.set(CONTENT_SHA256_HEADER, UNSIGNED_PAYLOAD),
    }
    match credentials.token {
        Some(token) => headers.set(TOKEN_HEADER, token),
        None => headers.remove(TOKEN_HEADER),
    }
    let signed_headers = ["content-type", "host"];
    let computed = compute(
        request,
        &|name| headers.get(name),
        &signed_headers,
        &timestamp,
        &utc_date(at),
        service,
        credentials.secret_key,
    );
    let authorization = format!(
        "{ALGORITHM} Credential={}/{}, SignedHeaders={SDK_SIGNED_HEADERS}, Signature={}",
        credentials.secret_id, computed.credential_scope, computed.signature
    );
    headers.set("Authorization", &authorization);
    Signed {
        canonical_request: computed.canonical_request,
        string_to_sign: computed.string_to_sign,
        signature: computed.signature,
        authorization,
        headers: headers.into_vec(),
    }
}

/// Checks the `Authorization` of a received request for `service`, at time `now`. `secret_for`
/// maps a SecretId to its SecretKey (`None`: unknown).
pub fn verify<S: AsRef<str>>(
    request: &SignableRequest<'_>,
    service: &str,
    now: DateTime<Utc>,
    secret_for: impl FnOnce(&str) -> Option<S>,
) -> Result<Verified, VerifyError> {
    let malformed = VerifyError::Malformed;
    let authorization = request.header("authorization").ok_or(VerifyError::MissingAuthorization)?;
    let (algorithm, [credential, signed_headers, signature]) =
        parse_authorization(&authorization, ["Credential", "SignedHeaders", "Signature"])?;
    if algorithm != ALGORITHM {
        return Err(malformed(format!("unsupported signing algorithm {algorithm:?} (expected {ALGORITHM})")));
    }
    check_signature_shape(signature)?;
    let (secret_id, scope_date, scope_service) = match credential.split('/').collect::<Vec<_>>()[..] {
        [id, date, scope_service, "tc3_request"] if !id.is_empty() => (id, date, scope_service),
        _ => {
            return Err(malformed(format!("Credential {credential:?} is not <SecretId>/<date>/<service>/tc3_request")))
        }
    };
    let signed_list = parse_signed_headers(signed_headers, &["content-type", "host"])?;

    let timestamp =
        request.header(TIMESTAMP_HEADER).ok_or_else(|| malformed(format!("{TIMESTAMP_HEADER} is missing")))?;
    let signed_at = Some(timestamp.as_str())
        .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|t| t.parse::<i64>().ok())
        .and_then(|seconds| DateTime::from_timestamp(seconds, 0))
        .ok_or_else(|| malformed(format!("{TIMESTAMP_HEADER} {timestamp:?} is not a Unix time in seconds")))?;
    let date = utc_date(signed_at);
    if scope_date != date {
        return Err(malformed(format!(
            "credential date {scope_date} is not the UTC date of {TIMESTAMP_HEADER} {timestamp} ({date})"
        )));
    }
    if scope_service != service {
        return Err(malformed(format!("credential service {scope_service:?} is not {service:?}")));
    }
    let secret = secret_for(secret_id).ok_or_else(|| VerifyError::UnknownAccessKey(secret_id.to_owned()))?;
    check_skew(signed_at.timestamp(), now.timestamp(), MAX_CLOCK_SKEW_SECONDS)?;

    let header_value = |name: &str| {
        if name == "host" {
            Some(super::strip_like_python(request.host).to_owned()).filter(|host| !host.is_empty())
        } else {
            request.header(name)
        }
    };
    if let Some(missing) = signed_list.iter().find(|name| header_value(name).is_none()) {
        return Err(malformed(format!("signed header {missing} is not in the request")));
    }
    let computed = compute(request, &header_value, &signed_list, &timestamp, &date, service, secret.as_ref());
    if !same_signature(&computed.signature, signature) {
        return Err(VerifyError::SignatureMismatch {
            canonical_request: computed.canonical_request,
            string_to_sign: computed.string_to_sign,
        });
    }
    Ok(Verified { secret_id: secret_id.to_owned(), token: request.header(TOKEN_HEADER), signed_at })
}

/// The scope's date: UTC `YYYY-MM-DD`.
pub fn utc_date(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d").to_string()
}

/// `SigningKey = HMAC(HMAC(HMAC("TC3" + SecretKey, date), service), "tc3_request")`.
pub fn signing_key(secret_key: &str, date: &str, service: &str) -> [u8; 32] {
    let k_date = hmac_sha256(format!("TC3{secret_key}").as_bytes(), date.as_bytes());
    let k_service = hmac_sha256(&k_date, service.as_bytes());
    hmac_sha256(&k_service, b"tc3_request")
}

struct Computed {
    canonical_request: String,
    credential_scope: String,
    string_to_sign: String,
    signature: String,
}

/// One path for signing and verifying. `timestamp` is the header's text, as the SDK hashes it.
fn compute(
    request: &SignableRequest<'_>,
    header_value: &dyn Fn(&str) -> Option<String>,
    signed_headers: &[&str],
    timestamp: &str,
    date: &str,
    service: &str,
    secret_key: &str,
) -> Computed {
    let is_get = request.method.eq_ignore_ascii_case("GET");
    // GET carries its parameters in the query and has no payload; any other method the reverse.
    let query = if is_get { request.query } else { "" };
    let unsigned = header_value(CONTENT_SHA256_HEADER).as_deref() == Some(UNSIGNED_PAYLOAD);
    let payload_hash = if unsigned {
        sha256_hex(UNSIGNED_PAYLOAD.as_bytes())
    } else if is_get {
        sha256_hex(b"")
    } else {
        sha256_hex(request.body)
    };
    let path = if request.path.is_empty() { "/" } else { request.path };
    let mut canonical_request = format!("{}\n{path}\n{query}\n", request.method);
    for name in signed_headers {
        canonical_request.push_str(name);
        canonical_request.push(':');
        canonical_request.push_str(&header_value(name).unwrap_or_default());
        canonical_request.push('\n');
    }
    canonical_request.push('\n');
    canonical_request.push_str(&signed_headers.join(";"));
    canonical_request.push('\n');
    canonical_request.push_str(&payload_hash);

    let credential_scope = format!("{date}/{service}/tc3_request");
    let string_to_sign =
        format!("{ALGORITHM}\n{timestamp}\n{credential_scope}\n{}", sha256_hex(canonical_request.as_bytes()));
    let signature = hex::encode(hmac_sha256(&signing_key(secret_key, date, service), string_to_sign.as_bytes()));
    Computed { canonical_request, credential_scope, string_to_sign, signature }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "AKIDTESTEXAMPLE000000000000000000000";
    const KEY: &str = "TCTESTSECRETKEYEXAMPLE0000000000";
    const TIMESTAMP: i64 = 1_736_929_800;

    fn at(timestamp: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(timestamp, 0).unwrap()
    }

    const JSON: [(&str, &str); 2] = [("Content-Type", "application/json"), ("X-TC-Action", "DescribeExports")];

    fn post<'a>(headers: &'a [(&'a str, &'a str)], body: &'a [u8]) -> SignableRequest<'a> {
        SignableRequest { method: "POST", host: "cls.tencentcloudapi.com", path: "/", query: "", headers, body }
    }

    fn sign_at(request: &SignableRequest<'_>, payload: Payload) -> Signed {
        sign(request, &Credentials { secret_id: ID, secret_key: KEY, token: None }, CLS_SERVICE, at(TIMESTAMP), payload)
    }

    fn pairs(signed: &Signed) -> Vec<(&str, &str)> {
        signed.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect()
    }

    #[test]
    fn scope_date_is_the_utc_day_of_the_timestamp() {
        assert_eq!(utc_date(at(TIMESTAMP)), "2025-01-15");
        assert_eq!(utc_date(at(1_551_113_065)), "2019-02-25");
        assert_eq!(utc_date(at(1_736_899_199)), "2025-01-14", "23:59:59 UTC");
        assert_eq!(utc_date(at(1_736_899_200)), "2025-01-15", "midnight UTC, whatever the local zone");
    }

    #[test]
    fn unsigned_payload_hashes_the_marker_not_the_body() {
        let signed = sign_at(&post(&JSON, br#"{"ExportId": "x"}"#), Payload::Unsigned);
        assert!(signed.canonical_request.ends_with(&format!("\n{}", sha256_hex(b"UNSIGNED-PAYLOAD"))));
        assert_eq!(signed.header(CONTENT_SHA256_HEADER), Some(UNSIGNED_PAYLOAD));
        let signed = sign_at(&post(&JSON, br#"{"ExportId": "x"}"#), Payload::Signed);
        assert!(signed.canonical_request.ends_with(&sha256_hex(br#"{"ExportId": "x"}"#)));
    }

    #[test]
    fn get_signs_the_raw_query_and_an_empty_payload_post_ignores_the_query() {
        let form = [("Content-Type", "application/x-www-form-urlencoded")];
        let get = SignableRequest { method: "GET", query: "TopicId=t&Offset=0&Q=a+b%2F", ..post(&form, b"") };
        let signed = sign_at(&get, Payload::Signed);
        assert!(
            signed.canonical_request.starts_with("GET\n/\nTopicId=t&Offset=0&Q=a+b%2F\n"),
            "kept verbatim, not re-sorted"
        );
        assert!(signed.canonical_request.ends_with(&sha256_hex(b"")));
        let post_with_query = SignableRequest { query: "a=1", ..post(&JSON, b"{}") };
        assert!(sign_at(&post_with_query, Payload::Signed).canonical_request.starts_with("POST\n/\n\n"));
    }

    #[test]
    fn signer_owns_timestamp_token_marker_host_and_authorization() {
        let headers = [
            ("Content-Type", "application/json"),
            ("Host", "proxy.local"),
            ("X-TC-Timestamp", "1"),
            ("X-TC-Token", "browser-token"),
            ("X-TC-Content-SHA256", "UNSIGNED-PAYLOAD"),
            ("Authorization", "x"),
        ];
        let signed = sign_at(&post(&headers, b"{}"), Payload::Signed);
        assert_eq!(
            pairs(&signed),
            [
                ("Content-Type", "application/json"),
                ("Host", "cls.tencentcloudapi.com"),
                ("X-TC-Timestamp", "1736929800"),
                ("Authorization", signed.authorization.as_str()),
            ]
        );
        let temporary = Credentials { secret_id: ID, secret_key: KEY, token: Some("session") };
        let signed = sign(&post(&headers, b"{}"), &temporary, CLS_SERVICE, at(TIMESTAMP), Payload::Signed);
        assert_eq!(signed.header(TOKEN_HEADER), Some("session"));
        assert!(signed
            .authorization
            .ends_with(&format!("SignedHeaders=content-type;host, Signature={}", signed.signature)));
    }

    #[test]
    fn verify_reports_each_reason() {
        let signed = sign_at(&post(&JSON, b"{}"), Payload::Signed);
        let sent = pairs(&signed);
        let known = |id: &str| (id == ID).then_some(KEY);
        let ok = verify(&post(&sent, b"{}"), CLS_SERVICE, at(TIMESTAMP), known).unwrap();
        assert_eq!((ok.secret_id.as_str(), ok.token, ok.signed_at), (ID, None, at(TIMESTAMP)));

        let no_auth: Vec<_> = sent.iter().copied().filter(|(n, _)| *n != "Authorization").collect();
        assert_eq!(
            verify(&post(&no_auth, b"{}"), CLS_SERVICE, at(TIMESTAMP), known),
            Err(VerifyError::MissingAuthorization)
        );
        assert_eq!(
            verify(&post(&sent, b"{}"), CLS_SERVICE, at(TIMESTAMP), |_| None::<&str>),
            Err(VerifyError::UnknownAccessKey(ID.into()))
        );
        assert!(verify(&post(&sent, b"{}"), CLS_SERVICE, at(TIMESTAMP + 300), known).is_ok());
        assert_eq!(
            verify(&post(&sent, b"{}"), CLS_SERVICE, at(TIMESTAMP + 301), known),
            Err(VerifyError::Expired { skew_seconds: -301, max_skew_seconds: 300 })
        );
        assert!(verify(&post(&sent, b"{}"), CLS_SERVICE, at(TIMESTAMP - 300), known).is_ok(), "a client clock ahead");
        assert!(matches!(
            verify(&post(&sent, b"{}"), "cvm", at(TIMESTAMP), known),
            Err(VerifyError::Malformed(why)) if why.contains("service")
        ));
        assert!(matches!(
            verify(&post(&sent, b"[]"), CLS_SERVICE, at(TIMESTAMP), known),
            Err(VerifyError::SignatureMismatch { .. })
        ));
    }

    #[test]
    fn verify_refuses_malformed_authorizations() {
        let sig = "0".repeat(64);
        let cases = [
            format!("TC3-HMAC-SHA1 Credential={ID}/2025-01-15/cls/tc3_request, SignedHeaders=content-type;host, Signature={sig}"),
            format!("TC3-HMAC-SHA256 Credential={ID}/2025-01-15/cls, SignedHeaders=content-type;host, Signature={sig}"),
            format!("TC3-HMAC-SHA256 Credential={ID}/2025-01-14/cls/tc3_request, SignedHeaders=content-type;host, Signature={sig}"),
            format!("TC3-HMAC-SHA256 Credential={ID}/2025-01-15/cls/tc3_request, SignedHeaders=host, Signature={sig}"),
            format!("TC3-HMAC-SHA256 Credential={ID}/2025-01-15/cls/tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature={sig}"),
            format!("TC3-HMAC-SHA256 Credential={ID}/2025-01-15/cls/tc3_request, SignedHeaders=content-type;host, Signature=XYZ"),
            format!("TC3-HMAC-SHA256 Credential={ID}/2025-01-15/cls/tc3_request SignedHeaders=content-type;host Signature={sig}"),
        ];
        for authorization in &cases {
            let headers = [
                ("Content-Type", "application/json"),
                ("X-TC-Timestamp", "1736929800"),
                ("Authorization", authorization),
            ];
            let result = verify(&post(&headers, b"{}"), CLS_SERVICE, at(TIMESTAMP), |_| Some(KEY));
            assert!(matches!(result, Err(VerifyError::Malformed(_))), "{authorization}: {result:?}");
        }
        let authorization = format!("TC3-HMAC-SHA256 Credential={ID}/2025-01-15/cls/tc3_request, SignedHeaders=content-type;host, Signature={sig}");
        for timestamp in [None, Some("-1"), Some("1736929800.0"), Some("99999999999999999999"), Some("")] {
            let mut headers = vec![("Content-Type", "application/json"), ("Authorization", authorization.as_str())];
            headers.extend(timestamp.map(|t| ("X-TC-Timestamp", t)));
            let result = verify(&post(&headers, b"{}"), CLS_SERVICE, at(TIMESTAMP), |_| Some(KEY));
            assert!(matches!(result, Err(VerifyError::Malformed(_))), "{timestamp:?}: {result:?}");
        }
    }
}
