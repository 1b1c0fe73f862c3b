//! Real-HTTP tests of a mock reachable by strangers: the admin API's token, `--demo` switch and
//! same-site rule; `Host` and `Origin` checks and CORS on the cloud paths; a public demo's
//! per-visitor limits; and resets on a schedule.
//!
//! Visitors are told apart by `X-Forwarded-For` from a trusted proxy (the test client, on
//! 127.0.0.1), so one test process can be many visitors.

mod support;

use reqwest::header::{CONTENT_TYPE, ORIGIN};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::time::Duration;
use support::{api_json, assert_tencent_error, header, tencent_response, Server};

const TOKEN: &str = "demo-admin-token-0123456789";
const CDN_EXPORTS: &str = "/v1/cdn/statistics/export-tasks";
const NGINX: &str = "2f6c1d3e-8a47-4b9e-9c21-5d7e3f4a6b80";

fn stats_export() -> String {
    json!({
        "action": "reports_detail",
        "domain_name": "www.example.com",
        "start_time": 1_763_942_400_000_i64,
        "end_time": 1_763_942_400_000_i64 + 24 * 3_600_000,
        "interval": 3600,
    })
    .to_string()
}

impl Server {
    /// A request as sent from `visitor`'s address through the trusted proxy.
    fn as_visitor(&self, method: Method, path: &str, visitor: &str) -> reqwest::RequestBuilder {
        self.http.request(method, self.url(path)).header("x-forwarded-for", visitor)
    }

    async fn create_stats_export(&self, visitor: &str) -> (StatusCode, Value, reqwest::header::HeaderMap) {
        let answer = self
            .as_visitor(Method::POST, CDN_EXPORTS, visitor)
            .header(CONTENT_TYPE, "application/json")
            .body(stats_export())
            .send()
            .await
            .expect("request reaches the server");
        let headers = answer.headers().clone();
        let (status, body) = api_json(answer).await;
        (status, body, headers)
    }

    async fn stats_total(&self) -> u64 {
        let (status, body) = api_json(self.get(&format!("{CDN_EXPORTS}?limit=0")).await).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["total"].as_u64().expect("a total")
    }
}

// ---------------------------------------------------------------------------------------------
// The admin API
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn with_a_token_every_admin_call_must_carry_it() {
    let server = Server::start(&[("--admin-token", TOKEN)]);
    for (method, path) in
        [(Method::GET, "/_mock/clock"), (Method::GET, "/_mock/journal"), (Method::POST, "/_mock/reset")]
    {
        let answer = server.request(method.clone(), path).await;
        assert_eq!(header(answer.headers(), "www-authenticate"), "Bearer realm=\"export-desk-admin\"");
        let (status, body) = api_json(answer).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {path}: {body}");
        assert!(body["error"].as_str().unwrap().contains("Authorization: Bearer"), "{body}");
        let wrong = server.http.request(method.clone(), server.url(path)).bearer_auth("demo-admin-token-0123456780");
        assert_eq!(wrong.send().await.unwrap().status(), StatusCode::UNAUTHORIZED, "a near miss is a miss");
    }
    let answer = server.http.get(server.url("/_mock/clock")).bearer_auth(TOKEN).send().await.unwrap();
    let (status, clock) = api_json(answer).await;
    assert_eq!(status, StatusCode::OK, "{clock}");
    assert!(clock["now_ms"].is_i64());
    let reset = server.http.post(server.url("/_mock/reset")).bearer_auth(TOKEN).json(&json!({"seed": 3})).send();
    assert_eq!(reset.await.unwrap().status(), StatusCode::OK);

    // Cloud calls and the mock's object storage do not need it.
    assert_eq!(server.get(CDN_EXPORTS).await.status(), StatusCode::OK);
    let download = server.get("/_mock/files/cdn-stats/nothing/x.csv").await;
    assert_eq!(download.status(), StatusCode::NOT_FOUND, "download links are not admin calls: no such file, not 401");
}

#[tokio::test]
async fn a_public_demo_has_no_admin_api_unless_it_has_a_token() {
    let demo = Server::start(&[("--demo", "true")]);
    for (method, path) in
        [(Method::GET, "/_mock/journal"), (Method::POST, "/_mock/reset"), (Method::PUT, "/_mock/clock/speed")]
    {
        let (status, body) = api_json(demo.request(method.clone(), path).await).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path}: {body}");
        assert!(body["error"].as_str().unwrap().contains("--admin-token"), "{body}");
    }
    assert_eq!(demo.get(CDN_EXPORTS).await.status(), StatusCode::OK, "visitors use the cloud APIs");

    let with_token = Server::start(&[("--demo", "true"), ("--admin-token", TOKEN)]);
    let answer = with_token.http.get(with_token.url("/_mock/journal")).bearer_auth(TOKEN).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
}

#[tokio::test]
async fn admin_changes_are_refused_from_other_sites_and_must_be_json() {
    let server = Server::start(&[("--allowed-origins", "http://desk.example.test")]);
    let before = server.stats_total().await;
    server.post_json(CDN_EXPORTS, &stats_export()).await;
    assert_eq!(server.stats_total().await, before + 1);

    let reset = |origin: Option<&str>, site: Option<&str>, content_type: &str| {
        let mut request = server.http.post(server.url("/_mock/reset")).header(CONTENT_TYPE, content_type).body("{}");
        if let Some(origin) = origin {
            request = request.header(ORIGIN, origin);
        }
        if let Some(site) = site {
            request = request.header("sec-fetch-site", site);
        }
        request.send()
    };
    let cases = [
        (Some("http://evil.example"), None, "application/json", StatusCode::FORBIDDEN),
        (Some("http://desk.example.test"), None, "application/json", StatusCode::FORBIDDEN),
        (None, Some("cross-site"), "application/json", StatusCode::FORBIDDEN),
        (None, None, "text/plain", StatusCode::UNSUPPORTED_MEDIA_TYPE),
        (None, None, "application/x-www-form-urlencoded", StatusCode::UNSUPPORTED_MEDIA_TYPE),
    ];
    for (origin, site, content_type, expected) in cases {
        let answer = reset(origin, site, content_type).await.unwrap();
        assert!(answer.headers().get("access-control-allow-origin").is_none(), "no CORS on the admin API");
        let (status, body) = api_json(answer).await;
        assert_eq!(status, expected, "{origin:?} {site:?} {content_type}: {body}");
        assert!(body["error"].is_string(), "{body}");
    }
    assert_eq!(server.stats_total().await, before + 1, "no refused reset ran");

    let same_origin = reset(Some(&server.base), Some("same-origin"), "application/json").await.unwrap();
    assert_eq!(same_origin.status(), StatusCode::OK, "the server's own pages may");
    assert_eq!(server.stats_total().await, 0, "and the reset ran");
    let bare = server.http.post(server.url("/_mock/reset")).send().await.unwrap();
    assert_eq!(bare.status(), StatusCode::OK, "no body and no content type (curl -X POST) is fine");
}

// ---------------------------------------------------------------------------------------------
// Host, Origin and CORS on the cloud paths
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn calls_addressed_to_foreign_hosts_are_refused_in_each_providers_envelope() {
    let server =
        Server::start(&[("--allowed-hosts", "desk.example.test"), ("--public-url", "https://demo.example.org")]);
    let rebound = server.http.get(server.url(CDN_EXPORTS)).header("host", "evil.example").send().await.unwrap();
    let (status, body) = api_json(rebound).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"]["error_code"], "MOCK.0403", "CDN's nested envelope: {body}");
    assert!(body["error"]["error_msg"].as_str().unwrap().contains("--allowed-hosts"), "{body}");

    let iotda = server.http.get(server.url("/v5/iot/p1/export-tasks")).header("host", "evil.example").send();
    let (status, body) = api_json(iotda.await.unwrap()).await;
    assert_eq!((status, &body["error_code"]), (StatusCode::FORBIDDEN, &json!("MOCK.0403")), "IoTDA's flat one: {body}");

    let tencent = server
        .http
        .post(server.url("/"))
        .header("host", "evil.example")
        .header("x-tc-action", "DescribeExports")
        .header("x-tc-version", "2020-10-16")
        .header(CONTENT_TYPE, "application/json")
        .body(json!({"TopicId": NGINX}).to_string())
        .send();
    assert_tencent_error(tencent.await.unwrap(), "UnauthorizedOperation", "foreign host", Some("evil.example")).await;

    let admin = server.http.get(server.url("/_mock/clock")).header("host", "evil.example").send().await.unwrap();
    assert_eq!(admin.status(), StatusCode::FORBIDDEN, "the admin API too");

    for host in ["desk.example.test", "demo.example.org", "localhost:1", "127.0.0.1"] {
        let answer = server.http.get(server.url(CDN_EXPORTS)).header("host", host).send().await.unwrap();
        assert_eq!(answer.status(), StatusCode::OK, "{host}");
    }
}

#[tokio::test]
async fn allowed_origins_get_cors_and_other_pages_are_refused() {
    let desk = "http://desk.example.test:8000";
    let server = Server::start(&[("--allowed-origins", desk)]);

    let preflight = server
        .http
        .request(Method::OPTIONS, server.url("/"))
        .header(ORIGIN, desk)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type, x-tc-action, x-tc-version")
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status(), StatusCode::NO_CONTENT);
    assert_eq!(header(preflight.headers(), "access-control-allow-origin"), desk);
    let allowed_headers = header(preflight.headers(), "access-control-allow-headers");
    assert!(allowed_headers.contains("X-TC-Action") && allowed_headers.contains("Content-Type"), "{allowed_headers}");

    let listed = server.http.get(server.url(CDN_EXPORTS)).header(ORIGIN, desk).send().await.unwrap();
    assert_eq!(listed.status(), StatusCode::OK);
    assert_eq!(header(listed.headers(), "access-control-allow-origin"), desk);
    assert!(header(listed.headers(), "access-control-expose-headers").contains("X-Request-Id"));
    assert!(header(listed.headers(), "vary").contains("Origin"));

    let created = server
        .http
        .post(server.url("/"))
        .header(ORIGIN, desk)
        .header("x-tc-action", "DescribeExports")
        .header("x-tc-version", "2020-10-16")
        .header(CONTENT_TYPE, "application/json")
        .body(json!({"TopicId": NGINX}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(header(created.headers(), "access-control-allow-origin"), desk);
    assert!(tencent_response(created).await.get("Error").is_none());

    let foreign = server.http.post(server.url(CDN_EXPORTS)).header(ORIGIN, "http://evil.example");
    let foreign = foreign.header(CONTENT_TYPE, "application/json").body(stats_export()).send().await.unwrap();
    assert!(foreign.headers().get("access-control-allow-origin").is_none());
    let (status, body) = api_json(foreign).await;
    assert_eq!((status, &body["error"]["error_code"]), (StatusCode::FORBIDDEN, &json!("MOCK.0403")), "{body}");
    let preflight = server
        .http
        .request(Method::OPTIONS, server.url(CDN_EXPORTS))
        .header(ORIGIN, "http://evil.example")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert!(preflight.headers().get("access-control-allow-origin").is_none());
    assert_eq!(server.stats_total().await, 0, "nothing was created from the foreign page");
}

// ---------------------------------------------------------------------------------------------
// A public demo's visitors
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn each_visitor_has_a_share_of_tasks_and_refused_creates_cost_nothing() {
    let server = Server::start(&[
        ("--demo", "true"),
        ("--trusted-proxies", "127.0.0.1"),
        ("--visitor-tasks", "2"),
        ("--visitor-writes-per-minute", "1000"),
    ]);
    let invalid = server
        .as_visitor(Method::POST, CDN_EXPORTS, "203.0.113.1")
        .header(CONTENT_TYPE, "application/json")
        .body(r#"{"action":"reports_detail"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(invalid.status(), StatusCode::BAD_REQUEST, "refused by the mock's rules");
    for _ in 0..2 {
        let (status, body, _) = server.create_stats_export("203.0.113.1").await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (status, body, headers) = server.create_stats_export("203.0.113.1").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(body["error"]["error_code"], "MOCK.0429", "{body}");
    let message = body["error"]["error_msg"].as_str().unwrap();
    assert!(message.contains("at most 2 new tasks") && message.contains("resets in"), "{message}");
    let retry_after: u64 = header(&headers, "retry-after").parse().expect("Retry-After in seconds");
    assert!((1..=3600).contains(&retry_after), "until the next reset: {retry_after}");

    let (status, body, _) = server.create_stats_export("203.0.113.2").await;
    assert_eq!(status, StatusCode::OK, "another visitor has their own share: {body}");
    let (status, _, _) = server.create_stats_export("2001:db8:0:1::5").await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = server.create_stats_export("2001:db8:0:1::6").await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = server.create_stats_export("2001:db8:0:1::7").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "one IPv6 /56 is one visitor");

    let (_, config) = api_json(server.get("/_desk/config").await).await;
    let demo = &config["demo"];
    assert_eq!(demo["public"], true, "{config}");
    assert_eq!(demo["tasks_per_visitor"], 2);
    assert_eq!(demo["reset_every_ms"], 3_600_000, "--demo resets hourly by default");
    assert!(demo["next_reset_ms"].as_i64().unwrap() > chrono::Utc::now().timestamp_millis());
}

#[tokio::test]
async fn each_visitor_may_send_so_many_creates_and_deletes_a_minute() {
    let server =
        Server::start(&[("--demo", "true"), ("--trusted-proxies", "127.0.0.1"), ("--visitor-writes-per-minute", "1")]);
    assert_eq!(server.create_stats_export("198.51.100.7").await.0, StatusCode::OK);
    // At one a minute, the second comes back only after 60 s: these calls are long before that.
    let (status, body, headers) = server.create_stats_export("198.51.100.7").await;
    assert_eq!((status, &body["error"]["error_code"]), (StatusCode::TOO_MANY_REQUESTS, &json!("MOCK.0429")), "{body}");
    let retry_after: u64 = header(&headers, "retry-after").parse().unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    let delete = server
        .as_visitor(Method::POST, "/", "198.51.100.7")
        .header("x-tc-action", "DeleteExport")
        .header("x-tc-version", "2020-10-16")
        .header(CONTENT_TYPE, "application/json")
        .body(json!({"ExportId": "nothing"}).to_string())
        .send()
        .await
        .unwrap();
    assert_tencent_error(delete, "RequestLimitExceeded", "deletes count too", Some("a minute")).await;
    let listed = server.as_visitor(Method::GET, CDN_EXPORTS, "198.51.100.7").send().await.unwrap();
    assert_eq!(listed.status(), StatusCode::OK, "reading is not limited");
    assert_eq!(server.create_stats_export("198.51.100.8").await.0, StatusCode::OK, "nor are other visitors");
}

#[tokio::test]
async fn cls_counts_its_twenty_calls_a_second_per_visitor_in_a_demo() {
    let server = Server::start(&[("--demo", "true"), ("--trusted-proxies", "127.0.0.1")]);
    let describe = |visitor: &'static str| {
        server
            .as_visitor(Method::POST, "/", visitor)
            .header("x-tc-action", "DescribeExports")
            .header("x-tc-version", "2020-10-16")
            .header(CONTENT_TYPE, "application/json")
            .body(json!({"TopicId": NGINX}).to_string())
            .send()
    };
    // 400 at once: at 20 a second the bucket would need 19 s to let them all through.
    let flood = futures_util::future::join_all((0..400).map(|_| describe("192.0.2.10"))).await;
    let mut refused = 0;
    for answer in flood {
        let response = tencent_response(answer.unwrap()).await;
        if response["Error"]["Code"] == "RequestLimitExceeded" {
            refused += 1;
        }
    }
    assert!(refused > 0, "the flooding visitor is limited");
    let other = tencent_response(describe("192.0.2.11").await.unwrap()).await;
    assert!(other.get("Error").is_none(), "another visitor is not: {other}");
}

// ---------------------------------------------------------------------------------------------
// Resets on a schedule
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_mock_returns_to_its_seeded_state_on_schedule() {
    let server = Server::start(&[("--reset-every", "1s"), ("--demo-tasks", "3")]);
    let seeded = server.stats_total().await;
    assert_eq!(seeded, 3);
    let (_, config) = api_json(server.get("/_desk/config").await).await;
    assert_eq!(config["demo"]["public"], false, "resets alone are no public demo: {config}");
    assert_eq!(config["demo"]["reset_every_ms"], 1000);
    let first_due = config["demo"]["next_reset_ms"].as_i64().unwrap();

    // Created tasks go at a reset; a create may land just after one, so try until one is seen
    // to go (each reset is a second apart; the bound only stops a hung test).
    for _ in 0..600 {
        server.post_json(CDN_EXPORTS, &stats_export()).await;
        if server.stats_total().await > seeded {
            break;
        }
    }
    assert!(server.stats_total().await > seeded, "a task was created");
    let mut healed = false;
    for _ in 0..600 {
        if server.stats_total().await == seeded {
            healed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(healed, "the created tasks went at a reset, the seeded ones came back");
    let (_, config) = api_json(server.get("/_desk/config").await).await;
    assert!(config["demo"]["next_reset_ms"].as_i64().unwrap() > first_due, "the next reset is announced: {config}");
}
