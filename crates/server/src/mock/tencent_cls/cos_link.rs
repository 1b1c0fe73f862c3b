//! `CosPath` links: presigned URLs in the shape of Tencent COS's (`q-sign-algorithm`,
//! `q-sign-time=start;end`, `q-signature` …), valid for an hour of mock time.
//!
//! The signature is the mock's own: HMAC-SHA256 of the path and the validity window under a key
//! drawn from the mock's seed, cut to the 40 hex digits of COS's HMAC-SHA1. It is not COS's
//! signing scheme: nothing checks it but the mock, and what matters to a client is that a link
//! works until `q-sign-time` ends, then answers 403, and that an edited link is refused.

use crate::sign::{hmac_sha256, same_signature};

/// The key links are signed with (see [`super::exports`], which draws it from the seed).
pub type LinkKey = [u8; 32];

/// Stands in for the SecretId COS puts in `q-ak`.
const ACCESS_KEY: &str = "AKIDMockExportDeskCls";

/// Why a download link is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// No signature, or one that does not match the path and window.
    BadSignature,
    /// The window is over (or has not begun).
    Expired,
}

/// The query string of a link to `path`, valid from `start_s` to `end_s` (unix seconds).
pub fn query(key: &LinkKey, path: &str, start_s: i64, end_s: i64) -> String {
    format!(
        "q-sign-algorithm=sha1&q-ak={ACCESS_KEY}&q-sign-time={start_s}%3B{end_s}&q-key-time={start_s}%3B{end_s}\
         &q-header-list=&q-url-param-list=&q-signature={}",
        signature(key, path, start_s, end_s)
    )
}

/// Checks a link's query against its path at mock time `now_s`.
pub fn verify(key: &LinkKey, path: &str, raw_query: &str, now_s: i64) -> Result<(), Refused> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw_query).map_err(|_| Refused::BadSignature)?;
    let get = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let window = get("q-sign-time").and_then(|w| w.split_once(';'));
    let (Some((start, end)), Some(given)) = (window, get("q-signature")) else {
        return Err(Refused::BadSignature);
    };
    let (Ok(start_s), Ok(end_s)) = (start.parse::<i64>(), end.parse::<i64>()) else {
        return Err(Refused::BadSignature);
    };
    if !same_signature(&signature(key, path, start_s, end_s), given) {
        return Err(Refused::BadSignature);
    }
    if !(start_s..=end_s).contains(&now_s) {
        return Err(Refused::Expired);
    }
    Ok(())
}

/// 40 hex digits, the length of COS's HMAC-SHA1 signatures.
fn signature(key: &LinkKey, path: &str, start_s: i64, end_s: i64) -> String {
    let mut hex = hex::encode(hmac_sha256(key, format!("{path}\n{start_s};{end_s}").as_bytes()));
    hex.truncate(40);
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    const PATH: &str = "/_mock/files/cls/export-1/log.tar.gz";

    #[test]
    fn a_link_works_within_its_window_only() {
        let q = query(&[7; 32], PATH, 1_000, 4_600);
        assert!(q.contains("q-sign-time=1000%3B4600"), "{q}");
        assert_eq!(verify(&[7; 32], PATH, &q, 1_000), Ok(()));
        assert_eq!(verify(&[7; 32], PATH, &q, 4_600), Ok(()));
        assert_eq!(verify(&[7; 32], PATH, &q, 4_601), Err(Refused::Expired));
    }

    #[test]
    fn edited_or_foreign_links_are_refused() {
        let q = query(&[7; 32], PATH, 1_000, 4_600);
        assert_eq!(verify(&[7; 32], "/_mock/files/cls/export-2/log.tar.gz", &q, 2_000), Err(Refused::BadSignature));
        assert_eq!(verify(&[8; 32], PATH, &q, 2_000), Err(Refused::BadSignature), "another seed's key");
        let stretched = q.replace("4600", "999999");
        assert_eq!(verify(&[7; 32], PATH, &stretched, 2_000), Err(Refused::BadSignature));
        assert_eq!(verify(&[7; 32], PATH, "", 2_000), Err(Refused::BadSignature));
    }
}
