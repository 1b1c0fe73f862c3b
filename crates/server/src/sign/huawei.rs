//! Huawei Cloud AK/SK signing: `SDK-HMAC-SHA256` and the derived `V11-HMAC-SHA256`, exactly as
//! `huaweicloudsdkcore` 3.1.219 (`signer/signer.py`, `signer/hkdf.py`) computes them.
//!
//! - CDN (a global service) sends `X-Domain-Id`, IoTDA (regional) `X-Project-Id`: both are ordinary
//!   headers here, signed like every other.
//! - `V11-HMAC-SHA256` is what the SDK uses for IoTDA standard/enterprise instance endpoints
//!   (`*.iotda-app.<region>.myhuaweicloud.com`): same canonical request, a scoped string to sign, and
//!   an HKDF-derived key.
//!
//! Canonical request (both schemes), and where it is easy to get wrong:
//! - method upper-cased;
//! - URI: the path percent-decoded, split on `/`, each segment re-encoded (only `A-Za-z0-9-_.~` kept),
//!   and a `/` appended unless already there. So an encoded `%2F` inside a segment becomes a real
//!   `/`, and the trailing `/` is never sent, only signed;
//! - query: pairs decoded and sorted by key then value, re-encoded the same way (space `%20`, `+`
//!   `%2B`), a key without `=` gives `k=`. The SDK sends this canonical form as the query, so the
//!   proxy should too ([`canonical_query`]). A literal `+` in a received query stays a `+` (decoded
//!   with `unquote`, not `unquote_plus`, as Huawei's API-gateway signer does), and pairs with an empty
//!   key are dropped (as that signer does);
//! - headers: every header whose name has no `_`, names lower-cased and sorted, values stripped
//!   (Python `strip()`); the values sent are the stripped ones too;
//! - payload: hex SHA-256 of the body; an empty body always hashes as empty; otherwise a present
//!   `X-Sdk-Content-Sha256` value is used literally. The signer adds `X-Sdk-Content-Sha256:
//!   UNSIGNED-PAYLOAD` when `Content-Type` is present and starts with neither `application/json` nor
//!   `application/bson` (a case-sensitive test, as in the SDK) — the body of such requests is not
//!   covered by the signature.
//!
//! Verification checks `X-Sdk-Date` against now with a window of [`MAX_CLOCK_SKEW_SECONDS`]
//! (15 minutes: the gateway's conventional limit; the reference does not state one) and requires
//! `host` and `x-sdk-date` among the signed headers: the SDK always signs both, and a date outside
//! the signature could be replayed forever.

use super::{
    check_signature_shape, check_skew, hmac_sha256, parse_authorization, parse_signed_headers, same_signature,
    sha256_hex, HeaderList, SignableRequest, Signed, VerifyError,
};
use chrono::{DateTime, NaiveDate, Utc};
use export_desk_model::percent::UNRESERVED;
use percent_encoding::{percent_decode_str, utf8_percent_encode};

pub const SDK_ALGORITHM: &str = "SDK-HMAC-SHA256";
pub const DERIVED_ALGORITHM: &str = "V11-HMAC-SHA256";
pub const DATE_HEADER: &str = "X-Sdk-Date";
pub const CONTENT_SHA256_HEADER: &str = "X-Sdk-Content-Sha256";
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
/// SHA-256 of no bytes: the payload hash of every request without a body.
pub const EMPTY_BODY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
/// How far `X-Sdk-Date` may be from the verifier's now, either way.
pub const MAX_CLOCK_SKEW_SECONDS: i64 = 15 * 60;
/// The derived-signing service name of IoTDA (`derived_auth_service_name` in the SDK).
pub const IOTDA_DERIVED_SERVICE: &str = "iotdm";

/// An AK/SK pair (permanent, or temporary with `X-Security-Token` passed as a request header).
#[derive(Clone, Copy)]
pub struct Credentials<'a> {
    pub access_key: &'a str,
    pub secret_key: &'a str,
}

impl std::fmt::Debug for Credentials<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials").field("access_key", &self.access_key).finish_non_exhaustive()
    }
}

/// Which of the two AK/SK algorithms to sign with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme<'a> {
    /// `SDK-HMAC-SHA256`: the SK itself is the HMAC key.
    Sdk,
    /// `V11-HMAC-SHA256`: the key is derived per day, region and service (IoTDA: [`IOTDA_DERIVED_SERVICE`]).
    Derived { region_id: &'a str, service: &'a str },
}

/// The `<YYYYMMDD>/<region_id>/<service>` scope of a derived signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DerivedScope {
    pub date: String,
    pub region_id: String,
    pub service: String,
}

impl DerivedScope {
    /// The HKDF `info` and the string-to-sign's scope line.
    pub fn info(&self) -> String {
        format!("{}/{}/{}", self.date, self.region_id, self.service)
    }
}

/// A request whose signature checked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub access_key: String,
    /// As listed in the `Authorization` header.
    pub signed_headers: Vec<String>,
    /// `Some` for `V11-HMAC-SHA256`: the caller may check region and service.
    pub derived_scope: Option<DerivedScope>,
    /// `X-Sdk-Date`.
    pub signed_at: DateTime<Utc>,
}

/// Signs `request` at time `at` (which becomes `X-Sdk-Date`, replacing any given one).
///
/// `Host` is set to `request.host`, `Authorization` to the signature, `X-Sdk-Content-Sha256` added
/// for non-JSON content types; everything in `Signed::headers` is to be sent as is.
pub fn sign(
    request: &SignableRequest<'_>,
    credentials: &Credentials<'_>,
    scheme: Scheme<'_>,
    at: DateTime<Utc>,
) -> Signed {
    let mut headers = HeaderList::from_request(request, &["authorization"]);
    // The SDK's order: content marker, then date, then Host (each kept in place if already present).
    if let Some(content_type) = headers.get("content-type") {
        if !content_type.starts_with("application/json") && !content_type.starts_with("application/bson") {
            headers.set(CONTENT_SHA256_HEADER, UNSIGNED_PAYLOAD);
        }
    }
    let date = sdk_date(at);
    headers.set(DATE_HEADER, &date);
    headers.set("Host", request.host);

    let mut signed_headers: Vec<String> =
        headers.names().filter(|name| !name.contains('_')).map(str::to_ascii_lowercase).collect();
    signed_headers.sort();
    signed_headers.dedup();

    let scope = match scheme {
        Scheme::Sdk => None,
        Scheme::Derived { region_id, service } => Some(DerivedScope {
            date: date[..8].to_owned(),
            region_id: region_id.to_owned(),
            service: service.to_owned(),
        }),
    };
    let payload_hash = payload_hash(request.body, headers.get(CONTENT_SHA256_HEADER));
    let signed_list: Vec<&str> = signed_headers.iter().map(String::as_str).collect();
    let computed =
        compute(request, &|name| headers.get(name), &signed_list, &payload_hash, &date, scope.as_ref(), credentials);
    let authorization = authorization_value(credentials.access_key, scope.as_ref(), &signed_list, &computed.signature);
    headers.set("Authorization", &authorization);
    Signed {
        canonical_request: computed.canonical_request,
        string_to_sign: computed.string_to_sign,
        signature: computed.signature,
        authorization,
        headers: headers.into_vec(),
    }
}

/// Checks the `Authorization` of a received request, at time `now`. `secret_for` maps an AK to its
/// SK (`None`: unknown).
///
/// The signed headers are the ones the client listed (headers added later, such as `Accept` by
/// `requests`, are not covered); `host` is read from `request.host`.
pub fn verify<S: AsRef<str>>(
    request: &SignableRequest<'_>,
    now: DateTime<Utc>,
    secret_for: impl FnOnce(&str) -> Option<S>,
) -> Result<Verified, VerifyError> {
    let authorization = request.header("authorization").ok_or(VerifyError::MissingAuthorization)?;
    let algorithm = authorization.split(' ').next().unwrap_or_default();
    let (access_key, signed_headers, signature, derived_scope) = match algorithm {
        SDK_ALGORITHM => {
            let (_, [access, signed, signature]) =
                parse_authorization(&authorization, ["Access", "SignedHeaders", "Signature"])?;
            (access, signed, signature, None)
        }
        DERIVED_ALGORITHM => {
            let (_, [credential, signed, signature]) =
                parse_authorization(&authorization, ["Credential", "SignedHeaders", "Signature"])?;
            let (access, scope) = parse_credential(credential)?;
            (access, signed, signature, Some(scope))
        }
        other => {
            return Err(VerifyError::Malformed(format!(
                "unsupported signing algorithm {other:?} (expected {SDK_ALGORITHM} or {DERIVED_ALGORITHM})"
            )))
        }
    };
    check_signature_shape(signature)?;
    let signed_list = parse_signed_headers(signed_headers, &["host", "x-sdk-date"])?;

    let date =
        request.header(DATE_HEADER).ok_or_else(|| VerifyError::Malformed(format!("{DATE_HEADER} is missing")))?;
    let signed_at = parse_sdk_date(&date)
        .ok_or_else(|| VerifyError::Malformed(format!("{DATE_HEADER} {date:?} is not YYYYMMDDTHHMMSSZ")))?;
    if let Some(scope) = &derived_scope {
        if scope.date != date[..8] {
            return Err(VerifyError::Malformed(format!(
                "credential date {} is not the date of {DATE_HEADER} {date}",
                scope.date
            )));
        }
    }
    let secret = secret_for(access_key).ok_or_else(|| VerifyError::UnknownAccessKey(access_key.to_owned()))?;
    check_skew(signed_at.timestamp(), now.timestamp(), MAX_CLOCK_SKEW_SECONDS)?;

    let header_value = |name: &str| {
        if name == "host" {
            Some(super::strip_like_python(request.host).to_owned()).filter(|host| !host.is_empty())
        } else {
            request.header(name)
        }
    };
    if let Some(missing) = signed_list.iter().find(|name| header_value(name).is_none()) {
        return Err(VerifyError::Malformed(format!("signed header {missing} is not in the request")));
    }
    let payload_hash = payload_hash(request.body, request.header(CONTENT_SHA256_HEADER));
    let credentials = Credentials { access_key, secret_key: secret.as_ref() };
    let computed =
        compute(request, &header_value, &signed_list, &payload_hash, &date, derived_scope.as_ref(), &credentials);
    if !same_signature(&computed.signature, signature) {
        return Err(VerifyError::SignatureMismatch {
            canonical_request: computed.canonical_request,
            string_to_sign: computed.string_to_sign,
        });
    }
    Ok(Verified {
        access_key: access_key.to_owned(),
        signed_headers: signed_list.into_iter().map(str::to_owned).collect(),
        derived_scope,
        signed_at,
    })
}

/// `X-Sdk-Date`: UTC `YYYYMMDDTHHMMSSZ`.
pub fn sdk_date(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Reads `X-Sdk-Date`; strictly 16 characters, so that re-formatting it gives back the same text.
pub fn parse_sdk_date(value: &str) -> Option<DateTime<Utc>> {
    let b = value.as_bytes();
    let digits_at = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(range)?;
        part.iter().all(u8::is_ascii_digit).then(|| part.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
    };
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(i32::try_from(digits_at(0..4)?).ok()?, digits_at(4..6)?, digits_at(6..8)?)?;
    let time = date.and_hms_opt(digits_at(9..11)?, digits_at(11..13)?, digits_at(13..15)?)?;
    Some(time.and_utc())
}

/// The canonical URI of a path as sent (see the module doc).
pub fn canonical_uri(path: &str) -> String {
    let decoded = decode_lossy(path);
    let mut uri = String::with_capacity(decoded.len() + 1);
    for (i, segment) in decoded.split('/').enumerate() {
        if i > 0 {
            uri.push('/');
        }
        encode_into(segment, &mut uri);
    }
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// The canonical query of a query as sent (see the module doc); also what to send upstream.
pub fn canonical_query(raw: &str) -> String {
    let mut pairs: Vec<(String, String)> = raw
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode_lossy(key), decode_lossy(value))
        })
        .filter(|(key, _)| !key.is_empty())
        .collect();
    // Sorted decoded, as the SDK sorts its (key, value) tuples: encoded order would differ
    // (`%3A` sorts before `0`, `:` after it).
    pairs.sort();
    let mut query = String::with_capacity(raw.len());
    for (i, (key, value)) in pairs.iter().enumerate() {
        if i > 0 {
            query.push('&');
        }
        encode_into(key, &mut query);
        query.push('=');
        encode_into(value, &mut query);
    }
    query
}

/// The HMAC key of `V11-HMAC-SHA256`: HKDF-SHA256 (IKM = SK, salt = AK, `info`, L = 32), as the
/// lowercase hex text that the SDK then uses, as ASCII bytes, for the HMAC key.
pub fn derived_signing_key(access_key: &str, secret_key: &str, info: &str) -> String {
    // One HKDF-Expand block suffices for L = 32 = the SHA-256 size. An empty salt needs no special
    // case: HMAC pads keys with zeros, which is what the SDK's all-zero default salt amounts to.
    let pseudo_random_key = hmac_sha256(access_key.as_bytes(), secret_key.as_bytes());
    let mut block_input = Vec::with_capacity(info.len() + 1);
    block_input.extend_from_slice(info.as_bytes());
    block_input.push(1);
    hex::encode(hmac_sha256(&pseudo_random_key, &block_input))
}

struct Computed {
    canonical_request: String,
    string_to_sign: String,
    signature: String,
}

/// The canonical request, string to sign and signature: one path for signing and verifying.
fn compute(
    request: &SignableRequest<'_>,
    header_value: &dyn Fn(&str) -> Option<String>,
    signed_headers: &[&str],
    payload_hash: &str,
    date: &str,
    scope: Option<&DerivedScope>,
    credentials: &Credentials<'_>,
) -> Computed {
    let mut canonical_request = format!(
        "{}\n{}\n{}\n",
        request.method.to_ascii_uppercase(),
        canonical_uri(request.path),
        canonical_query(request.query)
    );
    for name in signed_headers {
        canonical_request.push_str(name);
        canonical_request.push(':');
        canonical_request.push_str(&header_value(name).unwrap_or_default());
        canonical_request.push('\n');
    }
    canonical_request.push('\n');
    canonical_request.push_str(&signed_headers.join(";"));
    canonical_request.push('\n');
    canonical_request.push_str(payload_hash);

    let request_hash = sha256_hex(canonical_request.as_bytes());
    let (string_to_sign, signature) = match scope {
        None => {
            let string_to_sign = format!("{SDK_ALGORITHM}\n{date}\n{request_hash}");
            let signature = hex::encode(hmac_sha256(credentials.secret_key.as_bytes(), string_to_sign.as_bytes()));
            (string_to_sign, signature)
        }
        Some(scope) => {
            let info = scope.info();
            let string_to_sign = format!("{DERIVED_ALGORITHM}\n{date}\n{info}\n{request_hash}");
            let key = derived_signing_key(credentials.access_key, credentials.secret_key, &info);
            let signature = hex::encode(hmac_sha256(key.as_bytes(), string_to_sign.as_bytes()));
            (string_to_sign, signature)
        }
    };
    Computed { canonical_request, string_to_sign, signature }
}

fn authorization_value(
    access_key: &str,
    scope: Option<&DerivedScope>,
    signed_headers: &[&str],
    signature: &str,
) -> String {
    let signed_headers = signed_headers.join(";");
    match scope {
        None => format!("{SDK_ALGORITHM} Access={access_key}, SignedHeaders={signed_headers}, Signature={signature}"),
        Some(scope) => format!(
            "{DERIVED_ALGORITHM} Credential={access_key}/{}, SignedHeaders={signed_headers}, Signature={signature}",
            scope.info()
        ),
    }
}

/// `Credential=<AK>/<YYYYMMDD>/<region_id>/<service>`.
fn parse_credential(credential: &str) -> Result<(&str, DerivedScope), VerifyError> {
    let parts: Vec<&str> = credential.split('/').collect();
    match parts[..] {
        [access, date, region_id, service]
            if [access, date, region_id, service].iter().all(|p| !p.is_empty())
                && date.len() == 8
                && date.bytes().all(|b| b.is_ascii_digit()) =>
        {
            Ok((access, DerivedScope { date: date.into(), region_id: region_id.into(), service: service.into() }))
        }
        _ => {
            Err(VerifyError::Malformed(format!("Credential {credential:?} is not <AK>/<YYYYMMDD>/<region>/<service>")))
        }
    }
}

fn payload_hash(body: &[u8], content_sha256: Option<String>) -> String {
    if body.is_empty() {
        return EMPTY_BODY_SHA256.to_owned();
    }
    match content_sha256 {
        Some(given) if !given.is_empty() => given,
        _ => sha256_hex(body),
    }
}

/// Decoded as Python's `unquote` does: `%XX` decoded, anything else (a stray `%`, a `+`) kept,
/// and invalid UTF-8 replaced by U+FFFD. `percent_decode_str` leaves a `%` without two hex
/// digits after it as it is, just as `unquote` does.
fn decode_lossy(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// Python's `quote(text, safe='~')` (see [`UNRESERVED`]), appended to `out`.
fn encode_into(text: &str, out: &mut String) {
    out.extend(utf8_percent_encode(text, UNRESERVED));
}

#[cfg(test)]
mod tests {
    use super::*;

    const AK: &str = "HWTESTAK00000000EXAM";
    const SK: &str = "HWTESTSK0000000000000000000000000EXAMPLE0";

    fn at() -> DateTime<Utc> {
        parse_sdk_date("20250115T083000Z").unwrap()
    }

    fn request<'a>(
        method: &'a str,
        path: &'a str,
        query: &'a str,
        headers: &'a [(&'a str, &'a str)],
        body: &'a [u8],
    ) -> SignableRequest<'a> {
        SignableRequest { method, host: "iotda.cn-north-4.myhuaweicloud.com", path, query, headers, body }
    }

    fn sign_sdk(request: &SignableRequest<'_>) -> Signed {
        sign(request, &Credentials { access_key: AK, secret_key: SK }, Scheme::Sdk, at())
    }

    fn lines(canonical_request: &str) -> Vec<&str> {
        canonical_request.split('\n').collect()
    }

    #[test]
    fn canonical_uri_decodes_then_encodes_each_segment_and_ends_in_slash() {
        assert_eq!(canonical_uri("/v1/a%2Fb"), "/v1/a/b/", "an encoded slash becomes a real one");
        assert_eq!(canonical_uri("/v1.0/cdn/historytasks/"), "/v1.0/cdn/historytasks/", "one trailing slash, not two");
        assert_eq!(canonical_uri("/v1/x"), "/v1/x/");
        assert_eq!(canonical_uri("/"), "/");
        assert_eq!(canonical_uri(""), "/");
        assert_eq!(canonical_uri("/a b/c%20d"), "/a%20b/c%20d/", "raw and encoded spaces agree");
        assert_eq!(canonical_uri("/导出"), "/%E5%AF%BC%E5%87%BA/");
        assert_eq!(canonical_uri("/%e5%af%bc"), "/%E5%AF%BC/", "escapes come out upper-case");
        assert_eq!(canonical_uri("/~a%7Eb-_."), "/~a~b-_./", "unreserved characters are not escaped");
        assert_eq!(canonical_uri("/a+b*c:d"), "/a%2Bb%2Ac%3Ad/");
        assert_eq!(canonical_uri("/50%zz%4"), "/50%25zz%254/", "a stray % stays literal, as unquote leaves it");
        assert_eq!(canonical_uri("/%FF"), "/%EF%BF%BD/", "invalid UTF-8 becomes U+FFFD, as unquote decodes it");
        assert_eq!(canonical_uri("//a//"), "//a//", "empty segments are kept");
    }

    #[test]
    fn canonical_query_sorts_decoded_pairs_and_encodes_strictly() {
        assert_eq!(
            canonical_query("b=a%20b%2Bc~d%2Fe%2Af&a=z&a=y&flag=true&empty="),
            "a=y&a=z&b=a%20b%2Bc~d%2Fe%2Af&empty=&flag=true"
        );
        assert_eq!(canonical_query("q=a b+c"), "q=a%20b%2Bc", "space is %20, a literal + is a plus");
        assert_eq!(canonical_query("k&j="), "j=&k=", "a key without = has an empty value");
        assert_eq!(canonical_query("a=1&&b=2&"), "a=1&b=2");
        assert_eq!(canonical_query("=orphan&a=1"), "a=1", "pairs without a key are dropped");
        assert_eq!(canonical_query(""), "");
        assert_eq!(canonical_query("t=%E5%AF%BC%E5%87%BA&s=导出"), "s=%E5%AF%BC%E5%87%BA&t=%E5%AF%BC%E5%87%BA");
        assert_eq!(canonical_query("x=a=b"), "x=a%3Db", "only the first = separates");
        // Decoded order: "0" < ":" although the encoded "%3A" < "0".
        assert_eq!(canonical_query("%3A=1&0=2"), "0=2&%3A=1");
        assert_eq!(canonical_query("a=2&a=10&a=1"), "a=1&a=10&a=2", "values sort as text");
    }

    #[test]
    fn canonical_query_is_idempotent() {
        for raw in ["b=a%20b%2Bc~d%2Fe%2Af&a=z&a=y&flag=true&empty=", "%3A=1&0=2&k", "s=导出&x=%FF", "a=+&b=%2b"] {
            let once = canonical_query(raw);
            assert_eq!(canonical_query(&once), once, "{raw}");
        }
    }

    #[test]
    fn underscore_headers_are_sent_but_not_signed_and_values_are_stripped() {
        let headers =
            [("Content-Type", "application/json"), ("X_Custom_Header", "ignored"), ("X-Custom", "  padded value  ")];
        let signed = sign_sdk(&request("GET", "/v1/x", "", &headers, b""));
        assert!(signed.authorization.contains("SignedHeaders=content-type;host;x-custom;x-sdk-date,"));
        assert!(lines(&signed.canonical_request).contains(&"x-custom:padded value"));
        assert_eq!(signed.header("X_Custom_Header"), Some("ignored"));
        assert_eq!(signed.header("X-Custom"), Some("padded value"));
    }

    #[test]
    fn non_json_content_type_marks_the_payload_unsigned() {
        let octets = [("Content-Type", "application/octet-stream")];
        let signed = sign_sdk(&request("POST", "/v1/upload", "", &octets, b"\x00\x01binary"));
        assert_eq!(signed.header(CONTENT_SHA256_HEADER), Some(UNSIGNED_PAYLOAD));
        assert!(signed.canonical_request.ends_with("\nUNSIGNED-PAYLOAD"));
        assert!(signed.authorization.contains("x-sdk-content-sha256"));

        // An empty body hashes as empty even then (the SDK checks the body first).
        let signed = sign_sdk(&request("POST", "/v1/upload", "", &octets, b""));
        assert!(signed.canonical_request.ends_with(EMPTY_BODY_SHA256));

        for json in ["application/json", "application/json;charset=utf-8", "application/bson"] {
            let headers = [("Content-Type", json)];
            let signed = sign_sdk(&request("POST", "/v1/x", "", &headers, b"{}"));
            assert_eq!(signed.header(CONTENT_SHA256_HEADER), None, "{json}");
            assert!(signed.canonical_request.ends_with(&sha256_hex(b"{}")));
        }
        // The SDK's test is case-sensitive, and no Content-Type at all means no marker.
        let upper = [("Content-Type", "Application/JSON")];
        assert_eq!(
            sign_sdk(&request("POST", "/v1/x", "", &upper, b"{}")).header(CONTENT_SHA256_HEADER),
            Some(UNSIGNED_PAYLOAD)
        );
        assert_eq!(sign_sdk(&request("POST", "/v1/x", "", &[], b"{}")).header(CONTENT_SHA256_HEADER), None);
    }

    #[test]
    fn a_given_payload_hash_is_used_literally() {
        let headers = [("Content-Type", "application/json"), ("X-Sdk-Content-Sha256", "abc123")];
        let signed = sign_sdk(&request("POST", "/v1/x", "", &headers, b"{}"));
        assert!(signed.canonical_request.ends_with("\nabc123"));
    }

    #[test]
    fn signer_owns_date_host_and_authorization() {
        let headers = [
            ("host", "browser.example"),
            ("Authorization", "Bearer from-the-browser"),
            ("X-Sdk-Date", "20000101T000000Z"),
            ("Content-Type", "application/json"),
        ];
        let signed = sign_sdk(&request("get", "/v1/x", "", &headers, b""));
        assert_eq!(
            signed.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect::<Vec<_>>()[..3],
            [
                ("host", "iotda.cn-north-4.myhuaweicloud.com"),
                ("X-Sdk-Date", "20250115T083000Z"),
                ("Content-Type", "application/json")
            ]
        );
        assert_eq!(signed.header("Authorization"), Some(signed.authorization.as_str()));
        assert_eq!(signed.headers.len(), 4);
        assert!(signed.canonical_request.starts_with("GET\n"), "the method is upper-cased");
        assert!(!signed.authorization.contains("authorization"));
    }

    #[test]
    fn sdk_date_round_trips_and_parses_strictly() {
        assert_eq!(sdk_date(at()), "20250115T083000Z");
        assert_eq!(at().timestamp(), 1_736_929_800);
        for bad in [
            "2025115T083000Z",
            "20250115T083000",
            "20251315T083000Z",
            "20250115 083000Z",
            "20250115T246000Z",
            "2025-1-15T08300Z",
            "+2025011T083000Z",
            "20250115T083000z",
        ] {
            assert_eq!(parse_sdk_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn derived_key_matches_the_sdk_hkdf() {
        // From the SDK (`hw_iotda_derived_v11` in the signing vectors).
        assert_eq!(
            derived_signing_key(AK, SK, "20250115/cn-north-4/iotdm"),
            "b8745d782375842db798bae33b58119701f8ad94fa7115565d4f4a6e76e57c43"
        );
    }

    #[test]
    fn derived_scheme_scopes_string_to_sign_and_credential() {
        let headers = [("Content-Type", "application/json")];
        let scheme = Scheme::Derived { region_id: "cn-north-4", service: IOTDA_DERIVED_SERVICE };
        let signed = sign(
            &request("GET", "/v5/x", "", &headers, b""),
            &Credentials { access_key: AK, secret_key: SK },
            scheme,
            at(),
        );
        assert!(signed.string_to_sign.starts_with("V11-HMAC-SHA256\n20250115T083000Z\n20250115/cn-north-4/iotdm\n"));
        assert!(signed
            .authorization
            .starts_with("V11-HMAC-SHA256 Credential=HWTESTAK00000000EXAM/20250115/cn-north-4/iotdm, "));
    }

    fn received<'a>(signed: &'a [(&'a str, &'a str)], body: &'a [u8]) -> SignableRequest<'a> {
        request("POST", "/v5/x", "b=2&a=1", signed, body)
    }

    fn pairs(signed: &Signed) -> Vec<(&str, &str)> {
        signed.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect()
    }

    #[test]
    fn verify_reports_each_reason() {
        let headers = [("Content-Type", "application/json")];
        let signed = sign_sdk(&request("POST", "/v5/x", "b=2&a=1", &headers, b"{}"));
        let sent = pairs(&signed);
        let known = |ak: &str| (ak == AK).then_some(SK);

        let ok = verify(&received(&sent, b"{}"), at(), known).unwrap();
        assert_eq!(ok.access_key, AK);
        assert_eq!(ok.signed_headers, ["content-type", "host", "x-sdk-date"]);
        assert_eq!(ok.signed_at, at());

        assert_eq!(
            verify(&received(&sent[..sent.len() - 1], b"{}"), at(), known),
            Err(VerifyError::MissingAuthorization)
        );
        assert!(matches!(
            verify(&received(&sent, b"{}"), at(), |_| None::<&str>),
            Err(VerifyError::UnknownAccessKey(ak)) if ak == AK
        ));
        let late = at() + chrono::Duration::seconds(MAX_CLOCK_SKEW_SECONDS + 1);
        assert_eq!(
            verify(&received(&sent, b"{}"), late, known),
            Err(VerifyError::Expired { skew_seconds: -901, max_skew_seconds: 900 })
        );
        assert!(verify(&received(&sent, b"{}"), late - chrono::Duration::seconds(1), known).is_ok());
        assert!(matches!(
            verify(&received(&sent, b"{} "), at(), known),
            Err(VerifyError::SignatureMismatch { canonical_request, .. }) if canonical_request.ends_with(&sha256_hex(b"{} "))
        ));
    }

    #[test]
    fn verify_refuses_malformed_authorizations() {
        let date = ("X-Sdk-Date", "20250115T083000Z");
        let sig = "0".repeat(64);
        let cases = [
            format!("HMAC-SHA256 Access={AK}, SignedHeaders=host;x-sdk-date, Signature={sig}"),
            format!("SDK-HMAC-SHA256 Access={AK}, SignedHeaders=host, Signature={sig}"),
            format!("SDK-HMAC-SHA256 Access={AK}, SignedHeaders=x-sdk-date, Signature={sig}"),
            format!("SDK-HMAC-SHA256 Access={AK}, SignedHeaders=host;x-sdk-date;accept, Signature={sig}"),
            format!("SDK-HMAC-SHA256 Access={AK}, SignedHeaders=host;x-sdk-date, Signature=abc"),
            format!("SDK-HMAC-SHA256 Credential={AK}/20250115/r/s, SignedHeaders=host;x-sdk-date, Signature={sig}"),
            format!("V11-HMAC-SHA256 Credential={AK}/20250114/cn-north-4/iotdm, SignedHeaders=host;x-sdk-date, Signature={sig}"),
            format!("V11-HMAC-SHA256 Credential={AK}/cn-north-4/iotdm, SignedHeaders=host;x-sdk-date, Signature={sig}"),
        ];
        for authorization in &cases {
            let headers = [date, ("Authorization", authorization.as_str())];
            let result = verify(&request("GET", "/", "", &headers, b""), at(), |_| Some(SK));
            assert!(matches!(result, Err(VerifyError::Malformed(_))), "{authorization}: {result:?}");
        }
        let authorization = format!("SDK-HMAC-SHA256 Access={AK}, SignedHeaders=host;x-sdk-date, Signature={sig}");
        for bad_date in [None, Some("2025-01-15T08:30:00Z")] {
            let mut headers = vec![("Authorization", authorization.as_str())];
            headers.extend(bad_date.map(|d| ("X-Sdk-Date", d)));
            let result = verify(&request("GET", "/", "", &headers, b""), at(), |_| Some(SK));
            assert!(matches!(result, Err(VerifyError::Malformed(_))), "{bad_date:?}: {result:?}");
        }
    }
}
