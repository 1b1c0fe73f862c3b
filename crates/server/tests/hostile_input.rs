//! Real-HTTP tests of input a hostile or careless client can send: clock moves that would wrap
//! mock time, times that would make an endless file, bodies of every size, framings `reqwest`
//! cannot produce (sent as raw bytes over TCP), and an upstream that redirects the proxy. Every
//! answer to a cloud path must be in its provider's envelope, and the server must stay up.

mod support;

use reqwest::header::CONTENT_TYPE;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;
use support::proxy::Proxy;
use support::*;

const EXPORT_TASKS: &str = "/v1/cdn/statistics/export-tasks";
const REFRESH_TASKS: &str = "/v1.0/cdn/content/refresh-tasks";
const IOTDA_TASKS: &str = "/v5/iot/p1/export-tasks";
const CLS_TOPIC: &str = "2f6c1d3e-8a47-4b9e-9c21-5d7e3f4a6b80";
/// 2100-01-01T00:00:00Z, the latest time the clouds accept and the mock clock shows.
const LATEST_MS: i64 = 4_102_444_800_000;

// ---------------------------------------------------------------------------------------------
// Raw HTTP/1.1
// ---------------------------------------------------------------------------------------------

/// An answer read off the wire.
#[derive(Debug)]
struct RawAnswer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl RawAnswer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        let text = String::from_utf8_lossy(&self.body);
        let content_type = self.header("content-type").unwrap_or_default();
        assert!(
            content_type.starts_with("application/json"),
            "{}: content type {content_type:?}, body {text:?}",
            self.status
        );
        serde_json::from_str(&text).unwrap_or_else(|err| panic!("{}: not JSON ({err}): {text:?}", self.status))
    }
}

/// Sends `request` as it is to the server at `base` (`http://127.0.0.1:port`) and reads the first
/// answer. The request should say `Connection: close` (or be one the server closes after).
fn raw(base: &str, request: &[u8]) -> RawAnswer {
    let address = base.strip_prefix("http://").expect("an http base URL");
    let mut stream = TcpStream::connect(address).expect("connect");
    // A safety net against a hung test, not a timing assertion: every answer here is immediate.
    stream.set_read_timeout(Some(Duration::from_secs(60))).expect("read timeout");
    stream.write_all(request).expect("send");
    let mut bytes = Vec::new();
    // The server may close while unread request bytes remain (a reset): keep what arrived.
    let _ = stream.read_to_end(&mut bytes);
    parse_answer(&bytes)
}

fn parse_answer(bytes: &[u8]) -> RawAnswer {
    let split = bytes.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or_else(|| {
        panic!("no complete answer head in {:?}", String::from_utf8_lossy(bytes));
    });
    let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line.split(' ').nth(1).and_then(|code| code.parse().ok()).unwrap_or(0);
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let rest = &bytes[split + 4..];
    let chunked = headers.iter().any(|(n, v)| n == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    let body = if chunked {
        dechunk(rest)
    } else {
        let length = headers.iter().find(|(n, _)| n == "content-length").and_then(|(_, v)| v.parse().ok());
        rest[..length.unwrap_or(rest.len()).min(rest.len())].to_vec()
    };
    RawAnswer { status, headers, body }
}

fn dechunk(mut rest: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    while let Some(end) = rest.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&rest[..end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = end + 2;
        body.extend_from_slice(&rest[start..start + size]);
        rest = &rest[start + size + 2..];
    }
    body
}

fn assert_cdn_envelope(answer: &RawAnswer, status: u16, code: &str, case: &str) -> String {
    let body = answer.json();
    assert_eq!(answer.status, status, "{case}: {body}");
    assert!(answer.header("x-request-id").is_some_and(is_hex_id), "{case}: a request id");
    let keys: Vec<&String> = body.as_object().map(|o| o.keys().collect()).unwrap_or_default();
    assert_eq!(keys, ["error"], "{case}: CDN's nested envelope: {body}");
    assert_eq!(body["error"]["error_code"], code, "{case}: {body}");
    body["error"]["error_msg"].as_str().unwrap_or_default().to_owned()
}

fn assert_flat_envelope(answer: &RawAnswer, status: u16, code: &str, case: &str) -> String {
    let body = answer.json();
    assert_eq!(answer.status, status, "{case}: {body}");
    assert!(answer.header("x-request-id").is_some_and(is_hex_id), "{case}: a request id");
    assert_eq!(body["error_code"], code, "{case}: the flat envelope: {body}");
    assert!(body.get("error").is_none(), "{case}: flat, not nested: {body}");
    body["error_msg"].as_str().unwrap_or_default().to_owned()
}

fn assert_tencent_envelope(answer: &RawAnswer, code: &str, case: &str) -> String {
    assert_eq!(answer.header("content-type"), Some("application/json"), "{case}: exactly, for the Tencent SDK");
    let body = answer.json();
    assert_eq!(answer.status, 200, "{case}: Tencent errors come in a 200: {body}");
    assert_eq!(body["Response"]["Error"]["Code"], code, "{case}: {body}");
    assert_eq!(body["Response"]["RequestId"].as_str(), answer.header("x-request-id"), "{case}: {body}");
    body["Response"]["Error"]["Message"].as_str().unwrap_or_default().to_owned()
}

/// A POST with a chunked body whose first chunk size is not hexadecimal.
fn malformed_chunked(path: &str, extra_headers: &str) -> Vec<u8> {
    format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n{extra_headers}\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{{\"a\":1}}\r\n0\r\n\r\n"
    )
    .into_bytes()
}

const TENCENT_HEADERS: &str = "X-TC-Action: DescribeExports\r\nX-TC-Version: 2020-10-16\r\n";

/// The server answers an ordinary call: it did not die, and its clock and stores work.
async fn assert_still_serving(server: &Server) {
    let (status, body) = api_json(server.get(EXPORT_TASKS).await).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, clock) = api_json(server.get("/_mock/clock").await).await;
    assert_eq!(status, StatusCode::OK, "{clock}");
    let now = clock["now_ms"].as_i64().unwrap_or_default();
    assert!((0..=LATEST_MS).contains(&now), "{clock}");
}

// ---------------------------------------------------------------------------------------------
// The clock
// ---------------------------------------------------------------------------------------------

async fn admin(server: &Server, method: reqwest::Method, path: &str, body: Value) -> (StatusCode, Value) {
    let answer = server
        .http
        .request(method, server.url(path))
        .header(CONTENT_TYPE, "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("reaches the server");
    let status = answer.status();
    (status, answer.json().await.expect("admin answers are JSON"))
}

#[tokio::test]
async fn clock_moves_that_would_wrap_mock_time_are_refused_and_reset_still_works() {
    let server = Server::start(&[]);
    let put = reqwest::Method::PUT;
    let post = reqwest::Method::POST;

    let (status, body) = admin(&server, put.clone(), "/_mock/clock/speed", json!({"speed": 1e300})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body["error"].as_str().is_some_and(|m| m.contains("1000000")), "names the maximum: {body}");
    let (status, body) = admin(&server, post.clone(), "/_mock/clock/advance", json!({"ms": i64::MAX})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body["error"].as_str().is_some_and(|m| m.contains("2100-01-01")), "names the latest time: {body}");
    let (status, body) = admin(&server, post.clone(), "/_mock/clock/advance", json!({"seconds": 9e14})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");

    let (status, body) = admin(&server, post.clone(), "/_mock/reset", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_still_serving(&server).await;

    // The limits themselves are accepted. (Speed back to 1 after, so a day of slack is plenty.)
    let (status, body) = admin(&server, put.clone(), "/_mock/clock/speed", json!({"speed": 1e6})).await;
    assert_eq!((status, body["speed"].as_f64()), (StatusCode::OK, Some(1e6)), "{body}");
    let (status, _) = admin(&server, put, "/_mock/clock/speed", json!({"speed": 1})).await;
    assert_eq!(status, StatusCode::OK);
    const DAY_MS: i64 = 86_400_000;
    let (_, clock) = api_json(server.get("/_mock/clock").await).await;
    let to_latest = LATEST_MS - clock["now_ms"].as_i64().unwrap_or_default();
    let (status, body) = admin(&server, post.clone(), "/_mock/clock/advance", json!({"ms": to_latest - DAY_MS})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let now = body["now_ms"].as_i64().unwrap_or_default();
    assert!((LATEST_MS - DAY_MS..=LATEST_MS).contains(&now), "{body}");
    let (status, body) = admin(&server, post.clone(), "/_mock/clock/advance", json!({"ms": 2 * DAY_MS})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, body) = admin(&server, post.clone(), "/_mock/reset", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_still_serving(&server).await;
}

fn state_file_with(name: &str, clock_change: Value) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("export-desk-hostile-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("state.jsonl");
    let header = json!({"format": "export-desk-mock-state/1", "seed": 1, "demo_tasks": 0, "task_duration_ms": 300, "fail_rate": 0.0});
    let entry = json!({"at_ms": 1_763_942_400_000_i64, "part": "clock", "change": clock_change});
    std::fs::write(&path, format!("{header}\n{entry}\n")).expect("write the state file");
    path
}

#[test]
fn a_state_file_holding_a_wrapped_clock_is_refused_at_start_with_a_clear_message() {
    let wall = 1_763_942_400_000_i64;
    for (name, change) in [
        ("speed", json!({"wall_ms": wall, "mock_ms": wall, "speed": 1e300})),
        ("far", json!({"wall_ms": wall, "mock_ms": i64::MAX, "speed": 1.0})),
        ("negative", json!({"wall_ms": wall, "mock_ms": -9_000_000_000_000_000_000_i64, "speed": 1.0})),
    ] {
        let path = state_file_with(name, change);
        let output = Command::new(env!("CARGO_BIN_EXE_export-desk"))
            .args(["--port", "0", "--bind", "127.0.0.1", "--log", "off", "--state", path.to_str().expect("UTF-8")])
            .stdin(Stdio::null())
            .output()
            .expect("run the binary");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{name}: it must not start");
        assert!(!stderr.contains("panicked"), "{name}: a message, not a panic: {stderr}");
        assert!(stderr.contains("state file is corrupt") && stderr.contains("clock"), "{name}: {stderr}");
        assert!(!String::from_utf8_lossy(&output.stdout).contains("listening"), "{name}: it must not serve");
        let _ = std::fs::remove_dir_all(path.parent().expect("a folder"));
    }
}

// ---------------------------------------------------------------------------------------------
// Times and the files they describe
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn times_beyond_what_the_clouds_accept_are_refused_so_no_file_is_endless() {
    let server = Server::start(&[]);
    let endless = json!({
        "action": "reports_detail", "domain_name": "a.example.com",
        "start_time": 9_223_372_036_854_775_000_i64, "end_time": i64::MAX,
    });
    let message =
        assert_cdn_error(server.post_json(EXPORT_TASKS, &endless.to_string()).await, "CDN.0001", "endless", None).await;
    assert!(message.contains("start_time") && message.contains("end_time"), "{message}");
    assert!(message.contains("2100-01-01T00:00:00Z"), "{message}");
    let (_, list) = api_json(server.get(EXPORT_TASKS).await).await;
    assert_eq!(list["total"], 0, "nothing was created: {list}");

    let history = format!("/v1.0/cdn/historytasks?start_date=0&end_date={}", i64::MAX);
    let message = assert_cdn_error(server.get(&history).await, "CDN.0001", "history", None).await;
    assert!(message.contains("start_date") && message.contains("end_date"), "{message}");

    let cls = json!({"TopicId": CLS_TOPIC, "Count": 10, "Query": "*", "From": 1_763_942_400_000_i64, "To": i64::MAX});
    let message = assert_tencent_error(
        server.tencent("CreateExport", &cls.to_string()).await,
        "InvalidParameterValue",
        "cls",
        None,
    )
    .await;
    assert!(message.contains("To") && message.contains("2100-01-01T00:00:00Z"), "{message}");
    assert_still_serving(&server).await;
}

// ---------------------------------------------------------------------------------------------
// Body sizes
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_legal_four_megabyte_refresh_body_is_accepted() {
    let server = Server::start(&[]);
    let urls: Vec<String> =
        (0..1000).map(|i| format!("https://www.example.com/{i:04}/{}", "x".repeat(4096 - 29))).collect();
    assert!(urls.iter().all(|url| url.len() == 4096));
    let body = json!({"refresh_task": {"type": "file", "urls": urls}}).to_string();
    assert!(body.len() > 4_000_000, "{}", body.len());
    let (status, answer) = api_json(server.post_json(REFRESH_TASKS, &body).await).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert!(answer["refresh_task"].as_str().is_some_and(|id| !id.is_empty()), "{answer}");
}

#[tokio::test]
async fn bodies_over_the_limit_answer_in_each_providers_envelope() {
    let server = Server::start(&[]);
    // Padding before the object: valid JSON, so only the size can be what is refused.
    let padded = |bytes: usize| format!("{}{{}}", " ".repeat(bytes));

    for (path, limit) in [(REFRESH_TASKS, 16_452_536), (EXPORT_TASKS, 2 * 1024 * 1024)] {
        let answer = server.post_json(path, &padded(limit + 1)).await;
        let status = answer.status();
        let (_, body) = api_json(answer).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{path}: {body}");
        assert_eq!(body["error"]["error_code"], "APIGW.0201", "{path}: CDN's nested envelope: {body}");
        assert!(body["error"]["error_msg"].as_str().is_some_and(|m| m.contains(&limit.to_string())), "{body}");
    }

    let answer = server.post_json(IOTDA_TASKS, &padded(2 * 1024 * 1024 + 1)).await;
    let status = answer.status();
    let (_, body) = api_json(answer).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert_eq!(body["error_code"], "APIGW.0201", "IoTDA's flat envelope: {body}");

    let answer = server.tencent("DescribeExports", &padded(10 * 1024 * 1024 + 1)).await;
    assert_tencent_error(answer, "RequestSizeLimitExceeded", "cls", Some("10 MB")).await;
    assert_still_serving(&server).await;
}

// ---------------------------------------------------------------------------------------------
// Framing
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_malformed_chunked_body_answers_in_the_providers_envelope() {
    let server = Server::start(&[]);
    for path in [REFRESH_TASKS, EXPORT_TASKS, "/v1.0/cdn/content/preheating-tasks"] {
        let answer = raw(&server.base, &malformed_chunked(path, ""));
        let message = assert_cdn_envelope(&answer, 400, "CDN.0001", path);
        assert!(message.contains("body"), "{path}: {message}");
    }
    let answer = raw(&server.base, &malformed_chunked(IOTDA_TASKS, ""));
    assert_flat_envelope(&answer, 400, "IOTDA.000008", "iotda");
    let answer = raw(&server.base, &malformed_chunked("/", TENCENT_HEADERS));
    assert_tencent_envelope(&answer, "InvalidParameter", "cls");
    assert_still_serving(&server).await;
}

#[tokio::test]
async fn a_path_segment_that_does_not_decode_answers_in_the_envelope() {
    let server = Server::start(&[]);
    let request = "GET /v1.0/cdn/historytasks/%FF/detail HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    let answer = raw(&server.base, request.as_bytes());
    let message = assert_cdn_envelope(&answer, 400, "CDN.0001", "undecodable id");
    assert!(message.contains("history_tasks_id"), "{message}");
}

#[tokio::test]
async fn authority_and_absolute_form_targets_answer_in_an_envelope_in_mock_mode() {
    let server = Server::start(&[]);
    for method in ["GET", "POST", "CONNECT"] {
        let request = format!("{method} example.com:80 HTTP/1.1\r\nHost: example.com:80\r\nConnection: close\r\n\r\n");
        let answer = raw(&server.base, request.as_bytes());
        let message = assert_flat_envelope(&answer, 400, "APIGW.0201", method);
        assert!(message.contains("example.com:80"), "{message}");
    }

    let absolute = |method: &str, path: &str, headers: &str| {
        format!("{method} http://127.0.0.1{path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}Content-Length: 0\r\nConnection: close\r\n\r\n")
    };
    let answer = raw(&server.base, absolute("GET", EXPORT_TASKS, "").as_bytes());
    assert_cdn_envelope(&answer, 400, "APIGW.0201", "absolute CDN");
    let answer = raw(&server.base, absolute("GET", IOTDA_TASKS, "").as_bytes());
    assert_flat_envelope(&answer, 400, "APIGW.0201", "absolute IoTDA");
    let answer = raw(&server.base, absolute("POST", "/", TENCENT_HEADERS).as_bytes());
    assert_tencent_envelope(&answer, "InvalidRequest", "absolute Tencent");
    assert_still_serving(&server).await;
}

// ---------------------------------------------------------------------------------------------
// Proxy mode
// ---------------------------------------------------------------------------------------------

/// A proxy with every provider pointed at `upstream`, serving the IoTDA project these tests use.
fn proxy_to(upstream: &str) -> Proxy {
    Proxy::start(upstream, &[("EXPORT_DESK_IOTDA_PROJECT_ID", "p1")])
}

/// An upstream that answers every request with a redirect elsewhere, counting the requests.
fn redirecting_upstream() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                let mut length = 0usize;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    if let Some((name, value)) = line.split_once(':') {
                        if name.eq_ignore_ascii_case("content-length") {
                            length = value.trim().parse().unwrap_or(0);
                        }
                    }
                }
                let mut body = vec![0; length];
                let _ = reader.read_exact(&mut body);
                let _ = stream.write_all(
                    b"HTTP/1.1 302 Found\r\nLocation: http://elsewhere.example/steal\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                );
            });
        }
    });
    format!("http://{address}")
}

#[tokio::test]
async fn an_upstream_redirect_becomes_a_502_in_the_providers_envelope() {
    let proxy = proxy_to(&redirecting_upstream());
    let http = reqwest::Client::builder().no_proxy().build().expect("client");

    let answer = http.get(format!("{}{EXPORT_TASKS}", proxy.base)).send().await.expect("reaches the proxy");
    assert_eq!(answer.status(), StatusCode::BAD_GATEWAY);
    assert!(answer.headers().get("location").is_none(), "the redirect's target is not relayed");
    let body: Value = answer.json().await.expect("JSON");
    assert_eq!(body["error"]["error_code"], "PROXY.0502", "{body}");
    assert!(body["error"]["error_msg"].as_str().is_some_and(|m| m.contains("redirect") && m.contains("302")), "{body}");

    let answer = http.get(format!("{}{IOTDA_TASKS}?resource_type=BatchTask", proxy.base)).send().await.expect("sent");
    assert_eq!(answer.status(), StatusCode::BAD_GATEWAY);
    let body: Value = answer.json().await.expect("JSON");
    assert_eq!(body["error_code"], "PROXY.0502", "IoTDA's flat envelope: {body}");

    let answer = http
        .post(format!("{}/", proxy.base))
        .header(CONTENT_TYPE, "application/json")
        .header("X-TC-Action", "DescribeExports")
        .header("X-TC-Version", "2020-10-16")
        .body(json!({"TopicId": CLS_TOPIC}).to_string())
        .send()
        .await
        .expect("sent");
    let message = assert_tencent_error(answer, "ServiceUnavailable", "cls", Some("redirect")).await;
    assert!(message.contains("302"), "{message}");
}

#[tokio::test]
async fn the_proxy_answers_odd_targets_and_malformed_bodies_in_an_envelope() {
    let proxy = proxy_to(&redirecting_upstream());
    let request = "GET example.com:80 HTTP/1.1\r\nHost: example.com:80\r\nConnection: close\r\n\r\n";
    let answer = raw(&proxy.base, request.as_bytes());
    assert_flat_envelope(&answer, 400, "PROXY.0400", "authority-form");

    let answer = raw(&proxy.base, &malformed_chunked(REFRESH_TASKS, ""));
    let message = assert_cdn_envelope(&answer, 400, "PROXY.0400", "malformed chunked CDN");
    assert!(message.contains("could not be read"), "{message}");
    let answer = raw(&proxy.base, &malformed_chunked("/", TENCENT_HEADERS));
    assert_tencent_envelope(&answer, "InvalidRequest", "malformed chunked Tencent");
}
