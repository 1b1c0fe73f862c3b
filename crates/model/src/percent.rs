//! Percent-encoding as Huawei Cloud's SDKs do it: every byte but RFC 3986's unreserved characters
//! (`A-Z a-z 0-9 - _ . ~`) becomes upper-case `%XX`, each byte of a non-ASCII character too. Paths
//! and query values are sent so, and SDK-HMAC-SHA256 signs them so: one set for both, as one
//! character more or less would make a request the server and the SDK sign differently.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// What stays as it is: Python's `quote(text, safe='~')`, which the Huawei SDK uses.
pub const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// `value` encoded for a path segment or a query value.
pub fn percent_encode(value: &str) -> String {
    utf8_percent_encode(value, UNRESERVED).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_unreserved_characters_stay() {
        assert_eq!(percent_encode("aZ09-_.~"), "aZ09-_.~");
        assert_eq!(percent_encode("a b/c?d=e&f+g%"), "a%20b%2Fc%3Fd%3De%26f%2Bg%25");
        assert_eq!(percent_encode("刷新"), "%E5%88%B7%E6%96%B0");
    }
}
