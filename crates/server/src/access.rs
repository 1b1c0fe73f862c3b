//! Who may call, in both modes: the `Host` a request is addressed to (DNS rebinding), the page it
//! comes from (`Origin`, `Sec-Fetch-Site`: a cross-site page must not act through a visitor's
//! browser), and CORS for the origins an operator allows (a dashboard hosted elsewhere).
//!
//! The rules are written once here; the proxy and the mock each answer a refusal in their own
//! words (the proxy's `PROXY.*` codes, the mock's `MOCK.*` codes, Tencent's common codes).

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::net::IpAddr;

/// The header carrying the proxy's access token; a CORS preflight must allow it.
pub const TOKEN_HEADER: &str = export_desk_model::desk::ACCESS_TOKEN_HEADER;

/// The headers a cross-origin dashboard reads from answers: the request id it shows with errors,
/// the file name of a download, and how long a rate limit lasts.
const EXPOSED_HEADERS: &str = "X-Request-Id, Content-Disposition, Retry-After";

/// The hosts and origins this server answers to.
#[derive(Debug, Clone, Default)]
pub struct Access {
    /// Origins (`https://desk.example.com`) whose pages may call, with CORS.
    pub allowed_origins: Vec<String>,
    /// Host names accepted in `Host` besides IP addresses, `localhost` and the public URL's host.
    pub allowed_hosts: Vec<String>,
    /// The host of `--public-url`, lower case.
    pub public_host: Option<String>,
    /// The origin of `--public-url` (`https://demo.example.com`): the server's own pages, even
    /// when a reverse proxy hands on another `Host`.
    pub public_origin: Option<String>,
}

/// Why a call was refused, before any code or envelope is chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denied {
    pub reason: String,
}

impl Access {
    pub fn new(allowed_origins: Vec<String>, allowed_hosts: Vec<String>, public_url: Option<&str>) -> Self {
        let public_url = public_url.and_then(|url| reqwest::Url::parse(url).ok());
        let public_host = public_url.as_ref().and_then(|url| url.host_str().map(str::to_ascii_lowercase));
        let public_origin = public_url.map(|url| url.origin().ascii_serialization()).filter(|origin| origin != "null");
        Self { allowed_origins, allowed_hosts, public_host, public_origin }
    }

    /// The request's `Origin` when it is one of the allowed origins.
    pub fn allowed_origin(&self, headers: &HeaderMap) -> Option<String> {
        headers
            .get(header::ORIGIN)
            .and_then(|origin| origin.to_str().ok())
            .filter(|origin| self.allowed_origins.iter().any(|allowed| allowed == origin))
            .map(str::to_owned)
    }

    /// Accepts IP addresses, `localhost`, `--public-url`'s host and the allowed hosts: a page on an
    /// attacker's domain that resolves to this machine (DNS rebinding) is then refused, since its
    /// requests carry the attacker's host name.
    pub fn check_host(&self, headers: &HeaderMap, setting: &str) -> Result<(), Denied> {
        let host = headers.get(header::HOST).and_then(|host| host.to_str().ok()).unwrap_or_default();
        let name = host_name(host).to_ascii_lowercase();
        let allowed = name.parse::<IpAddr>().is_ok()
            || name == "localhost"
            || self.public_host.as_deref() == Some(name.as_str())
            || self.allowed_hosts.contains(&name);
        if allowed {
            Ok(())
        } else {
            Err(Denied {
                reason: format!("calls addressed to host {host:?} are not accepted; add it to {setting} to serve it"),
            })
        }
    }

    /// Adds the CORS answer headers for an allowed origin (and `Vary: Origin` whenever any origin
    /// is allowed, since the answer then depends on it).
    pub fn add_cors_headers(&self, allowed_origin: Option<&str>, headers: &mut HeaderMap) {
        if let Some(origin) = allowed_origin.and_then(|origin| HeaderValue::from_str(origin).ok()) {
            headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            headers.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static(EXPOSED_HEADERS));
        }
        if !self.allowed_origins.is_empty() {
            headers.append(header::VARY, HeaderValue::from_static("Origin"));
        }
    }
}

/// Whether a request is a CORS preflight (`OPTIONS` with `Access-Control-Request-Method`).
pub fn is_preflight(method: &axum::http::Method, headers: &HeaderMap) -> bool {
    method == axum::http::Method::OPTIONS && headers.contains_key(header::ACCESS_CONTROL_REQUEST_METHOD)
}

/// A CORS preflight's answer: allowed origins may send what the dashboard sends; others get no CORS
/// headers, which the browser reads as a refusal.
pub fn preflight(origin_allowed: bool) -> Response {
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

impl Access {
    /// Without an allowed origin, only the server's own pages (same origin as `Host`, or as
    /// `--public-url` behind a reverse proxy that hands on its own `Host`) and non-browser clients
    /// (no `Origin`, no cross-site `Sec-Fetch-Site`) may call: a cross-site page must not act
    /// through a visitor's browser. `setting` names where an operator allows an origin.
    pub fn check_same_origin(&self, headers: &HeaderMap, setting: &str) -> Result<(), Denied> {
        check_same_origin(headers, self.public_origin.as_deref(), setting)
    }
}

fn check_same_origin(headers: &HeaderMap, public_origin: Option<&str>, setting: &str) -> Result<(), Denied> {
    let host = headers.get(header::HOST).and_then(|host| host.to_str().ok()).unwrap_or_default();
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or_default();
        let same = origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://")) == Some(host)
            || public_origin == Some(origin);
        if !same {
            return Err(Denied {
                reason: format!(
                    "calls from pages at {origin:?} are not allowed; list the origin in {setting} to allow them"
                ),
            });
        }
    }
    let site = headers.get("sec-fetch-site").map(HeaderValue::as_bytes);
    if matches!(site, Some(b"cross-site" | b"same-site")) && !headers.contains_key(header::ORIGIN) {
        return Err(Denied { reason: "cross-site calls are not allowed".to_owned() });
    }
    Ok(())
}

/// `host`, `host:port`, `[v6]:port` → the name or address alone.
pub fn host_name(host: &str) -> &str {
    if let Some(rest) = host.strip_prefix('[') {
        return rest.split(']').next().unwrap_or_default();
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    }
}

/// An allowed origin as written by an operator: `http(s)://host[:port]`, nothing more, in the
/// serialisation browsers send (lower case, no default port, no trailing slash).
pub fn parse_origin(text: &str) -> Result<String, String> {
    let url = reqwest::Url::parse(text).map_err(|err| format!("not an origin URL ({err})"))?;
    let origin = url.origin().ascii_serialization();
    if origin == "null" || !matches!(url.scheme(), "http" | "https") {
        return Err("an origin is http(s)://host[:port]".to_owned());
    }
    if text.trim_end_matches('/') != origin {
        return Err(format!("an origin has no path, query or upper case: write {origin:?}"));
    }
    Ok(origin)
}

/// An allowed host name as written by an operator: a DNS name, no scheme or port; lower-cased.
pub fn parse_host(text: &str) -> Result<String, String> {
    let valid = !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        && !text.starts_with('.');
    if valid {
        Ok(text.to_ascii_lowercase())
    } else {
        Err(format!("{text:?} is not a host name (no scheme or port)"))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A header map from name/value pairs, for the tests of the checks that read one.
    pub(crate) fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn host_names_lose_their_port() {
        assert_eq!(host_name("127.0.0.1:8080"), "127.0.0.1");
        assert_eq!(host_name("[::1]:8080"), "::1");
        assert_eq!(host_name("desk.example.com"), "desk.example.com");
        assert_eq!(host_name("evil.example:80:81"), "evil.example:80");
    }

    #[test]
    fn same_origin_is_judged_against_the_host_the_browser_addressed() {
        let check = |pairs| check_same_origin(&headers(pairs), None, "x");
        assert!(check(&[("host", "127.0.0.1:8080")]).is_ok(), "no Origin: not a browser page");
        assert!(check(&[("host", "127.0.0.1:8080"), ("origin", "http://127.0.0.1:8080")]).is_ok());
        assert!(check(&[("host", "127.0.0.1:8080"), ("origin", "http://evil.example")]).is_err());
        assert!(check(&[("host", "127.0.0.1:8080"), ("origin", "null")]).is_err());
        assert!(check(&[("host", "a:1"), ("sec-fetch-site", "cross-site")]).is_err());
        assert!(check(&[("host", "a:1"), ("sec-fetch-site", "same-origin")]).is_ok());
        let behind_a_proxy = Access::new(vec![], vec![], Some("https://demo.example.com/"));
        let forwarded = headers(&[("host", "127.0.0.1:8080"), ("origin", "https://demo.example.com")]);
        assert!(behind_a_proxy.check_same_origin(&forwarded, "x").is_ok(), "the public URL's pages are its own");
        let elsewhere = headers(&[("host", "127.0.0.1:8080"), ("origin", "https://evil.example")]);
        assert!(behind_a_proxy.check_same_origin(&elsewhere, "x").is_err());
    }

    #[test]
    fn hosts_are_addresses_localhost_the_public_host_or_listed() {
        let access = Access::new(vec![], vec!["desk.example.com".into()], Some("https://demo.example.org/app"));
        for ok in ["127.0.0.1:1", "[::1]:2", "localhost", "LOCALHOST:3", "desk.example.com", "demo.example.org:443"] {
            assert!(access.check_host(&headers(&[("host", ok)]), "x").is_ok(), "{ok}");
        }
        for refused in ["evil.example", "desk.example.com.evil", ""] {
            assert!(access.check_host(&headers(&[("host", refused)]), "x").is_err(), "{refused}");
        }
    }

    #[test]
    fn origins_and_hosts_are_checked_as_written() {
        assert_eq!(parse_origin("https://a.example/"), Ok("https://a.example".to_owned()));
        assert!(parse_origin("https://a.example/app").is_err());
        assert!(parse_origin("ftp://a.example").is_err());
        assert_eq!(parse_host("Desk.Example.com"), Ok("desk.example.com".to_owned()));
        assert!(parse_host("http://desk.example.com").is_err());
    }
}
