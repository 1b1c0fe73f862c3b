//! Request signing for the clouds' APIs, byte for byte as the official SDKs sign, and verification of
//! such signatures with the same code.
//!
//! Two users: the proxy signs what it forwards upstream ([`huawei::sign`], [`tencent::sign`]), and the
//! mock's strict mode checks what clients send ([`huawei::verify`], [`tencent::verify`]). Sharing one
//! canonicalisation means a request the proxy signs is exactly a request the mock accepts.
//!
//! - [`huawei`]: `SDK-HMAC-SHA256` (CDN with `X-Domain-Id`, IoTDA with `X-Project-Id`) and the derived
//!   `V11-HMAC-SHA256` of IoTDA instance endpoints.
//! - [`tencent`]: `TC3-HMAC-SHA256` (CLS: service `cls`).
//!
//! Everything here is pure: no I/O, and no clock is read; times are parameters, so the mock can sign
//! and verify at its own (movable) time and tests are deterministic.
//!
//! What the caller must get right (the signature covers it, so the upstream recomputes it from what
//! it receives):
//! - sign exactly the bytes, `Host`, `User-Agent` and `Content-Type` that go upstream, never the
//!   browser's: [`SignableRequest::host`] is the upstream host (with `:port` if the URL has one);
//! - pass only the headers to be signed and sent; transport headers that the HTTP client adds itself
//!   (`Content-Length`, `Accept-Encoding`, `Connection`) must not be in [`SignableRequest::headers`],
//!   just as the SDKs sign before `requests` adds them;
//! - send the headers of [`Signed::headers`], the path as given, and the body as given. For Huawei,
//!   send [`huawei::canonical_query`] of the query, as the SDK does, so the gateway's own
//!   canonicalisation cannot disagree with ours.
//!
//! Verification reports distinct reasons ([`VerifyError`]) so the caller can answer with the
//! provider's own code: Huawei's gateway answers 401 `APIGW.03xx`, Tencent `AuthFailure.*`.

pub mod huawei;
pub mod tencent;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// One HTTP request as it goes over the wire: the input of both signing and verifying.
#[derive(Debug, Clone, Copy)]
pub struct SignableRequest<'a> {
    /// `GET`, `POST`, …
    pub method: &'a str,
    /// The `Host` header: the host, plus `:port` when the URL carries one (both SDKs sign it so).
    pub host: &'a str,
    /// The path exactly as sent, percent-encoded, without the query.
    pub path: &'a str,
    /// The query exactly as sent, without `?`; empty when there is none.
    pub query: &'a str,
    /// The headers in the order given. Names compare without regard to case; a name given more
    /// than once counts as its values joined with `,` (what a server folding the lines sees).
    /// A `Host` entry is ignored: [`Self::host`] is the one that counts. When signing, an
    /// `Authorization` entry is ignored too (it is replaced).
    pub headers: &'a [(&'a str, &'a str)],
    /// The exact body bytes.
    pub body: &'a [u8],
}

impl<'a> SignableRequest<'a> {
    /// The value of a header as the signature sees it (trimmed; repeated headers joined), if present.
    pub fn header(&self, name: &str) -> Option<String> {
        joined_header(self.headers.iter().map(|&(n, v)| (n, v)), name)
    }
}

/// The outcome of signing: the intermediate strings (worth logging when an upstream refuses a
/// signature) and everything to put on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    pub canonical_request: String,
    pub string_to_sign: String,
    /// Lowercase hex.
    pub signature: String,
    /// The whole `Authorization` header value.
    pub authorization: String,
    /// Every header to send, in order: the request's own (values trimmed) followed by those the
    /// signer adds or replaces (date, `Host`, payload markers, `Authorization`, …).
    pub headers: Vec<(String, String)>,
}

impl Signed {
    /// The value of one header to send (first match, any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Why a request's signature was refused. Each maps to its own provider error code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// No `Authorization` header at all.
    #[error("the request carries no Authorization header")]
    MissingAuthorization,
    /// The `Authorization` header, the date header, or a signed header is missing or unreadable.
    #[error("malformed signature: {0}")]
    Malformed(String),
    /// The access key (Huawei AK, Tencent SecretId) is not one the verifier knows.
    #[error("unknown access key {0:?}")]
    UnknownAccessKey(String),
    /// The request's own time is further from now than the provider allows, either way.
    #[error("the request was signed {skew_seconds} s away from now; at most {max_skew_seconds} s are allowed")]
    Expired { skew_seconds: i64, max_skew_seconds: i64 },
    /// The signature does not match. Carries what the verifier computed (never the expected
    /// signature), so a client author can diff it against their own canonical request.
    #[error("signature mismatch")]
    SignatureMismatch { canonical_request: String, string_to_sign: String },
}

/// Lowercase hex SHA-256 of `data`.
pub(crate) fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

pub(crate) fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// Compares signatures without leaking, through timing, how long a prefix matched.
pub(crate) fn same_signature(computed: &str, presented: &str) -> bool {
    computed.as_bytes().ct_eq(presented.as_bytes()).into()
}

/// Python's `str.strip()`: both SDKs are Python, and Huawei's strips every header value with it.
/// It strips what Rust's `trim` strips plus the separators U+001C..U+001F.
pub(crate) fn strip_like_python(value: &str) -> &str {
    value.trim_matches(|c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c))
}

/// The signed value of header `name` among `pairs`: each value stripped, repeats joined with `,`.
pub(crate) fn joined_header<'h>(pairs: impl IntoIterator<Item = (&'h str, &'h str)>, name: &str) -> Option<String> {
    let mut joined: Option<String> = None;
    for (n, v) in pairs {
        if n.eq_ignore_ascii_case(name) {
            let v = strip_like_python(v);
            match &mut joined {
                Some(all) => {
                    all.push(',');
                    all.push_str(v);
                }
                None => joined = Some(v.to_owned()),
            }
        }
    }
    joined
}

/// Headers being prepared for sending: order kept, names matched without regard to case.
#[derive(Debug, Clone, Default)]
pub(crate) struct HeaderList(Vec<(String, String)>);

impl HeaderList {
    /// The request's headers with values stripped, minus those the signer owns (`skip`).
    pub(crate) fn from_request(request: &SignableRequest<'_>, skip: &[&str]) -> Self {
        Self(
            request
                .headers
                .iter()
                .filter(|(n, _)| !skip.iter().any(|s| n.eq_ignore_ascii_case(s)))
                .map(|&(n, v)| (n.to_owned(), strip_like_python(v).to_owned()))
                .collect(),
        )
    }

    pub(crate) fn get(&self, name: &str) -> Option<String> {
        joined_header(self.0.iter().map(|(n, v)| (n.as_str(), v.as_str())), name)
    }

    /// Sets a header: the first existing one keeps its place (and spelling), the others go;
    /// a new one goes last. This is where the SDKs' dicts put it.
    pub(crate) fn set(&mut self, name: &str, value: &str) {
        match self.0.iter().position(|(n, _)| n.eq_ignore_ascii_case(name)) {
            Some(first) => {
                self.0[first].1 = value.to_owned();
                let mut index = 0;
                self.0.retain(|(n, _)| {
                    let keep = index <= first || !n.eq_ignore_ascii_case(name);
                    index += 1;
                    keep
                });
            }
            None => self.0.push((name.to_owned(), value.to_owned())),
        }
    }

    pub(crate) fn remove(&mut self, name: &str) {
        self.0.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
    }

    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(n, _)| n.as_str())
    }

    pub(crate) fn into_vec(self) -> Vec<(String, String)> {
        self.0
    }
}

/// `Authorization: <ALGORITHM> k1=v1, k2=v2, …` (both providers use this shape) split into the
/// algorithm and its parameters, each name required exactly once and nothing else allowed.
pub(crate) fn parse_authorization<'v, const N: usize>(
    value: &'v str,
    names: [&str; N],
) -> Result<(&'v str, [&'v str; N]), VerifyError> {
    let malformed = |why: String| VerifyError::Malformed(why);
    let value = value.trim();
    let (algorithm, rest) =
        value.split_once(' ').ok_or_else(|| malformed("Authorization has no parameters after the algorithm".into()))?;
    let mut found: [Option<&str>; N] = [None; N];
    for part in rest.split(',') {
        let part = part.trim();
        let (name, v) = part
            .split_once('=')
            .ok_or_else(|| malformed(format!("Authorization parameter {part:?} is not name=value")))?;
        let slot = names
            .iter()
            .position(|n| *n == name)
            .ok_or_else(|| malformed(format!("Authorization has an unexpected parameter {name:?}")))?;
        if found[slot].replace(v).is_some() {
            return Err(malformed(format!("Authorization repeats {name}")));
        }
        if v.is_empty() {
            return Err(malformed(format!("Authorization has an empty {name}")));
        }
    }
    let mut values = [""; N];
    for (slot, name) in names.iter().enumerate() {
        values[slot] = found[slot].ok_or_else(|| malformed(format!("Authorization lacks {name}")))?;
    }
    Ok((algorithm, values))
}

/// `SignedHeaders=a;b;c` as a list, checked: lowercase header names, and the ones the provider
/// requires present.
pub(crate) fn parse_signed_headers<'v>(list: &'v str, required: &[&str]) -> Result<Vec<&'v str>, VerifyError> {
    let names: Vec<&str> = list.split(';').collect();
    for name in &names {
        let is_token = !name.is_empty()
            && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"!#$%&'*+-.^_`|~".contains(&b));
        if !is_token {
            return Err(VerifyError::Malformed(format!("SignedHeaders has an invalid header name {name:?}")));
        }
    }
    for required in required {
        if !names.contains(required) {
            return Err(VerifyError::Malformed(format!("SignedHeaders must include {required}")));
        }
    }
    Ok(names)
}

/// A lowercase hex SHA-256 signature, as both providers write it.
pub(crate) fn check_signature_shape(signature: &str) -> Result<(), VerifyError> {
    if signature.len() == 64 && signature.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        Ok(())
    } else {
        Err(VerifyError::Malformed(format!("Signature {signature:?} is not 64 lowercase hex digits")))
    }
}

/// Fails when `request_time` is more than `max_skew_seconds` away from `now`, either way.
pub(crate) fn check_skew(request_time: i64, now: i64, max_skew_seconds: i64) -> Result<(), VerifyError> {
    let skew_seconds = request_time.saturating_sub(now);
    if skew_seconds.saturating_abs() > max_skew_seconds {
        Err(VerifyError::Expired { skew_seconds, max_skew_seconds })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_strip_covers_unicode_spaces_and_ascii_separators() {
        assert_eq!(strip_like_python("  a b \t"), "a b");
        assert_eq!(strip_like_python("\u{3000}\u{a0}x\u{1f}\u{85}"), "x");
        assert_eq!(strip_like_python("\u{200b}x"), "\u{200b}x", "zero-width space is not whitespace in Python");
    }

    #[test]
    fn repeated_headers_join_with_comma_any_case() {
        let pairs = [("X-A", " 1 "), ("x-b", "2"), ("x-a", "3")];
        assert_eq!(joined_header(pairs, "X-a").as_deref(), Some("1,3"));
        assert_eq!(joined_header(pairs, "x-c"), None);
    }

    #[test]
    fn header_list_set_keeps_first_place_and_drops_repeats() {
        let mut list = HeaderList(vec![
            ("A".into(), "1".into()),
            ("host".into(), "x".into()),
            ("B".into(), "2".into()),
            ("HOST".into(), "y".into()),
        ]);
        list.set("Host", "z");
        assert_eq!(
            list.clone().into_vec(),
            vec![("A".into(), "1".into()), ("host".into(), "z".into()), ("B".into(), "2".into())]
        );
        list.set("C", "3");
        assert_eq!(list.names().collect::<Vec<_>>(), ["A", "host", "B", "C"]);
        list.remove("a");
        assert_eq!(list.names().collect::<Vec<_>>(), ["host", "B", "C"]);
    }

    #[test]
    fn authorization_parameters_are_exact() {
        let (alg, [a, s, g]) = parse_authorization(
            "X-ALG Access=ak, SignedHeaders=host;x, Signature=ab",
            ["Access", "SignedHeaders", "Signature"],
        )
        .unwrap();
        assert_eq!((alg, a, s, g), ("X-ALG", "ak", "host;x", "ab"));
        // Order does not matter, but every parameter must be there once and nothing else.
        assert!(parse_authorization("X Signature=1,Access=2", ["Access", "Signature"]).is_ok());
        for bad in [
            "X",
            "X Access=1",
            "X Access=1, Access=2, Signature=3",
            "X Access=1, Signature=2, Extra=3",
            "X Access, Signature=1",
            "X Access=, Signature=1",
        ] {
            assert!(
                matches!(parse_authorization(bad, ["Access", "Signature"]), Err(VerifyError::Malformed(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn signed_headers_must_be_lowercase_tokens_with_the_required_ones() {
        assert_eq!(parse_signed_headers("content-type;host", &["host"]).unwrap(), ["content-type", "host"]);
        assert!(parse_signed_headers("Host", &["host"]).is_err());
        assert!(parse_signed_headers("host;;x", &["host"]).is_err());
        assert!(parse_signed_headers("x-sdk-date", &["host"]).is_err());
    }

    #[test]
    fn skew_is_allowed_up_to_the_limit_both_ways() {
        assert!(check_skew(1000, 1300, 300).is_ok());
        assert!(check_skew(1600, 1300, 300).is_ok());
        assert_eq!(check_skew(999, 1300, 300), Err(VerifyError::Expired { skew_seconds: -301, max_skew_seconds: 300 }));
        assert!(check_skew(1601, 1300, 300).is_err());
        assert!(check_skew(i64::MIN, i64::MAX, 300).is_err(), "no overflow at the extremes");
    }

    #[test]
    fn signature_shape_is_64_lowercase_hex() {
        assert!(check_signature_shape(&"a0".repeat(32)).is_ok());
        assert!(check_signature_shape(&"A0".repeat(32)).is_err());
        assert!(check_signature_shape("abc").is_err());
        assert!(check_signature_shape(&"g0".repeat(32)).is_err());
    }

    #[test]
    fn constant_time_compare_needs_equal_length_and_bytes() {
        assert!(same_signature("abc", "abc"));
        assert!(!same_signature("abc", "abd"));
        assert!(!same_signature("abc", "ab"));
    }
}
