//! Property-based fuzzing of every cloud operation over real HTTP, as a hostile client would:
//! thousands of requests made from the valid ones by breaking them — path ids, query values,
//! headers, JSON bodies (extreme numbers, wrong types, deep nesting, long strings, cut-off text,
//! bytes that are not UTF-8) — and a set of broken framings over raw TCP. Every answer must be:
//!
//! - no 5xx (the mock has no documented 5xx for a healthy server: 500 is a state file that could
//!   not be written, 503 an injected fault, neither of which happens here);
//! - in its provider's envelope: Huawei errors as JSON `{"error_code","error_msg"}` (IoTDA, the
//!   gateway) or `{"error":{…}}` (CDN), Tencent's as HTTP 200 `{"Response":{…,"RequestId"}}`;
//! - and the server still answers afterwards.
//!
//! The cases are drawn from a fixed seed, so a run repeats exactly; `EXPORT_DESK_FUZZ_SEED`
//! draws others and `EXPORT_DESK_FUZZ_CASES` sets how many (default 4,000).

mod support;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, RngSeed, TestCaseError, TestRunner};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use support::Server;

const PROJECT: &str = "0e7a6d2c9b8f4e1d8c3b5a7f6e2d1c0b";
const NGINX: &str = "2f6c1d3e-8a47-4b9e-9c21-5d7e3f4a6b80";
const DAY_MS: i64 = 86_400_000;
const SOME_DAY_MS: i64 = 1_763_942_400_000;

/// How a provider answers errors, to check the envelope by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Envelope {
    /// CDN: `{"error":{"error_code","error_msg"}}`, or the gateway's flat one for unknown paths.
    HuaweiNested,
    /// IoTDA and the gateway: `{"error_code","error_msg"}`.
    HuaweiFlat,
    /// Tencent: always 200, `{"Response":{…,"RequestId"}}`.
    Tencent,
    /// The mock's admin API: JSON, errors as `{"error":"…"}`.
    Admin,
}

/// One operation as a valid call makes it; the fuzzer breaks it.
#[derive(Debug, Clone)]
struct Operation {
    method: Method,
    /// `{id}` segments are replaced by fuzzed ids.
    path: &'static str,
    /// The query's known parameters with a valid value each.
    query: &'static [(&'static str, &'static str)],
    headers: &'static [(&'static str, &'static str)],
    body: Option<Value>,
    envelope: Envelope,
    /// Answers a file rather than JSON when it succeeds.
    download: bool,
}

fn operations() -> Vec<Operation> {
    let rest = |method: Method, path: &'static str, query, body: Option<Value>, envelope| Operation {
        method,
        path,
        query,
        headers: &[],
        body,
        envelope,
        download: false,
    };
    let cls = |action: &'static str, body: Value| Operation {
        method: Method::POST,
        path: "/",
        query: &[],
        headers: match action {
            "CreateExport" => &[("X-TC-Action", "CreateExport"), ("X-TC-Version", "2020-10-16")],
            "DescribeExports" => &[("X-TC-Action", "DescribeExports"), ("X-TC-Version", "2020-10-16")],
            _ => &[("X-TC-Action", "DeleteExport"), ("X-TC-Version", "2020-10-16")],
        },
        body: Some(body),
        envelope: Envelope::Tencent,
        download: false,
    };
    let stats_export = json!({
        "action": "reports_detail", "domain_name": "www.example.com", "start_time": SOME_DAY_MS,
        "end_time": SOME_DAY_MS + DAY_MS, "interval": 3600, "stat_type": "flux", "service_area": "mainland_china",
        "language": "en", "group_by": "domain",
    });
    vec![
        rest(Method::POST, "/v1/cdn/statistics/export-tasks", &[], Some(stats_export), Envelope::HuaweiNested),
        rest(
            Method::GET,
            "/v1/cdn/statistics/export-tasks",
            &[("limit", "10"), ("offset", "0"), ("task_id", "t1"), ("task_name", "flux")],
            None,
            Envelope::HuaweiNested,
        ),
        rest(
            Method::GET,
            "/v1.0/cdn/historytasks",
            &[
                ("page_number", "1"),
                ("page_size", "30"),
                ("status", "task_done"),
                ("start_date", "1763942400000"),
                ("end_date", "1764028800000"),
                ("order_field", "create_time"),
                ("order_type", "desc"),
                ("file_type", "file"),
                ("task_type", "refresh"),
            ],
            None,
            Envelope::HuaweiNested,
        ),
        rest(
            Method::GET,
            "/v1.0/cdn/historytasks/{id}/detail",
            &[
                ("page_number", "1"),
                ("page_size", "100"),
                ("status", "failed"),
                ("url", "a.js"),
                ("create_time", "1763942400000"),
            ],
            None,
            Envelope::HuaweiNested,
        ),
        rest(
            Method::POST,
            "/v1.0/cdn/content/refresh-tasks",
            &[],
            Some(json!({"refresh_task": {"type": "file", "mode": "all", "zh_url_encode": false,
                "urls": ["https://www.example.com/a.js", "https://img.example.com/b.png"]}})),
            Envelope::HuaweiNested,
        ),
        rest(
            Method::POST,
            "/v1.0/cdn/content/preheating-tasks",
            &[],
            Some(json!({"preheating_task": {"urls": ["https://www.example.com/a.js"], "zh_url_encode": false}})),
            Envelope::HuaweiNested,
        ),
        Operation {
            headers: &[("X-Project-Id", PROJECT)],
            ..rest(
                Method::POST,
                "/v5/iot/{project}/export-tasks",
                &[],
                Some(json!({"resource_type": "BatchTask", "resource_condition": {"task_id": "batch-1"},
                    "export_format": "xlsx", "app_type": "ALL"})),
                Envelope::HuaweiFlat,
            )
        },
        rest(
            Method::GET,
            "/v5/iot/{project}/export-tasks",
            &[("resource_type", "BatchTask"), ("limit", "10"), ("marker", "ffffffffffffffffffffffff"), ("offset", "0")],
            None,
            Envelope::HuaweiFlat,
        ),
        Operation {
            download: true,
            ..rest(Method::GET, "/v5/iot/{project}/export-tasks/{id}/file", &[], None, Envelope::HuaweiFlat)
        },
        rest(Method::DELETE, "/v5/iot/{project}/export-tasks/{id}", &[], None, Envelope::HuaweiFlat),
        cls(
            "CreateExport",
            json!({"TopicId": NGINX, "Count": 100, "Query": "*", "From": SOME_DAY_MS, "To": SOME_DAY_MS + 3_600_000,
                "Order": "desc", "Format": "json", "SyntaxRule": 1}),
        ),
        cls("DescribeExports", json!({"TopicId": NGINX, "Offset": 0, "Limit": 20})),
        cls("DeleteExport", json!({"ExportId": "export-1"})),
        // The admin API (fault rules aside: a rule may ask for a 5xx, which is then right).
        rest(Method::POST, "/_mock/clock/advance", &[], Some(json!({"seconds": 1})), Envelope::Admin),
        rest(Method::PUT, "/_mock/clock/speed", &[], Some(json!({"speed": 2.0})), Envelope::Admin),
        rest(Method::POST, "/_mock/reset", &[], Some(json!({"seed": 1, "demo_tasks": 4})), Envelope::Admin),
        rest(
            Method::GET,
            "/_mock/journal",
            &[("operation", "cdn:ListExportTasks"), ("limit", "5")],
            None,
            Envelope::Admin,
        ),
        rest(Method::DELETE, "/_mock/faults/{id}", &[], None, Envelope::Admin),
        // Paths under the clouds' prefixes that no operation has: the gateway's answer.
        rest(Method::PATCH, "/v1/cdn/statistics/export-tasks", &[], None, Envelope::HuaweiFlat),
        rest(Method::GET, "/v5/iot/{project}/nothing/{id}", &[], None, Envelope::HuaweiFlat),
    ]
}

/// One fuzzed request.
#[derive(Debug, Clone)]
struct Case {
    operation: usize,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: Option<Vec<u8>>,
}

/// Values a hostile client tries where a number, a string or an id goes.
fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("-1".to_owned()),
        Just("0".to_owned()),
        Just(i64::MAX.to_string()),
        Just(i64::MIN.to_string()),
        Just(u64::MAX.to_string()),
        Just("18446744073709551616".to_owned()),
        Just("1e308".to_owned()),
        Just("NaN".to_owned()),
        Just("0x10".to_owned()),
        Just("%00%ff%2F..%2F".to_owned()),
        Just("../../etc/passwd".to_owned()),
        Just("😀中文".to_owned()),
        any::<i64>().prop_map(|n| n.to_string()),
        "[ -~]{0,40}",
        "\\PC{0,20}",
        (1usize..20_000).prop_map(|n| "9".repeat(n)),
        (1usize..6_000).prop_map(|n| "a".repeat(n)),
    ]
}

/// JSON values that break a field: extremes, wrong types, nesting, long strings.
fn hostile_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        Just(json!(i64::MAX)),
        Just(json!(i64::MIN)),
        Just(json!(u64::MAX)),
        Just(json!(1e308)),
        Just(json!(-1e308)),
        Just(json!(-0.0)),
        Just(json!(0.5)),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_filter("JSON has no NaN or infinity", |n| n.is_finite()).prop_map(|n| json!(n)),
        hostile_text().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::btree_map("[a-zA-Z_]{1,12}", inner, 0..6)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// A body made from the valid one: a field changed, removed or added, the whole replaced, the
/// text cut off, nested deep, or bytes that are not text.
fn hostile_body(valid: Option<Value>) -> impl Strategy<Value = Option<Vec<u8>>> {
    let valid = valid.unwrap_or_else(|| json!({}));
    let keys: Vec<String> = valid.as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default();
    let keys = if keys.is_empty() { vec!["x".to_owned()] } else { keys };
    let text = valid.to_string();
    let (v1, v2, v3) = (valid.clone(), valid.clone(), valid.clone());
    let k1 = keys.clone();
    prop_oneof![
        4 => (prop::sample::select(keys), hostile_json()).prop_map(move |(key, value)| {
            let mut body = v1.clone();
            body[key.as_str()] = value;
            Some(body.to_string().into_bytes())
        }),
        1 => prop::sample::select(k1).prop_map(move |key| {
            let mut body = v2.clone();
            if let Some(object) = body.as_object_mut() {
                object.remove(&key);
            }
            Some(body.to_string().into_bytes())
        }),
        1 => ("[a-zA-Z]{1,10}", hostile_json()).prop_map(move |(key, value)| {
            let mut body = v3.clone();
            body[key.as_str()] = value;
            Some(body.to_string().into_bytes())
        }),
        1 => hostile_json().prop_map(|value| Some(value.to_string().into_bytes())),
        1 => (0..=text.len()).prop_map(move |cut| Some(text.as_bytes()[..cut].to_vec())),
        1 => (1usize..3_000).prop_map(|depth| Some(format!("{}{}", "[".repeat(depth), "]".repeat(depth)).into_bytes())),
        1 => prop::collection::vec(any::<u8>(), 0..256).prop_map(Some),
        1 => Just(None),
    ]
}

fn hostile_headers(operation: &Operation) -> impl Strategy<Value = Vec<(String, String)>> {
    let base: Vec<(String, String)> =
        operation.headers.iter().map(|(name, value)| ((*name).to_owned(), (*value).to_owned())).collect();
    let names = prop::sample::select(vec![
        "X-TC-Action",
        "X-TC-Version",
        "X-TC-Region",
        "X-TC-Timestamp",
        "Content-Type",
        "X-Project-Id",
        "Instance-Id",
        "Authorization",
        "X-Sdk-Date",
        "Origin",
        "Sec-Fetch-Site",
        "X-Forwarded-For",
        "Accept-Encoding",
        "X-Desk-Token",
        "Cookie",
    ]);
    let header_value = prop_oneof![
        Just("application/json".to_owned()),
        Just("text/plain".to_owned()),
        Just("CreateExport".to_owned()),
        Just("2020-10-16".to_owned()),
        "[ -~]{0,60}",
        (1usize..8_000).prop_map(|n| "v".repeat(n)),
    ];
    (Just(base), prop::collection::vec((names, header_value), 0..4), any::<bool>()).prop_map(
        |(mut base, extra, drop_base)| {
            if drop_base && !base.is_empty() {
                base.remove(0);
            }
            for (name, value) in extra {
                base.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
                base.push((name.to_owned(), value));
            }
            base
        },
    )
}

fn hostile_query(operation: &Operation) -> impl Strategy<Value = String> {
    let known: Vec<&'static str> = operation.query.iter().map(|(name, _)| *name).collect();
    let valid: String = operation.query.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
    let known = if known.is_empty() { vec!["limit"] } else { known };
    prop_oneof![
        1 => Just(valid),
        4 => prop::collection::vec((prop::sample::select(known), hostile_text()), 1..5).prop_map(|pairs| {
            pairs.into_iter().map(|(k, v)| format!("{k}={}", encode(&v))).collect::<Vec<_>>().join("&")
        }),
        1 => "[ -~]{0,80}".prop_map(|raw| raw.replace([' ', '#'], "")),
    ]
}

/// Percent-encodes everything but unreserved characters, as a client building a URL would.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn hostile_path(template: &'static str) -> impl Strategy<Value = String> {
    let id = prop_oneof![
        3 => Just(None),
        1 => Just(Some("..".to_owned())),
        1 => Just(Some("%2e%2e%2f".to_owned())),
        2 => "[a-zA-Z0-9_-]{1,40}".prop_map(Some),
        1 => hostile_text().prop_map(|text| Some(encode(&text))),
        1 => (1usize..5_000).prop_map(|n| Some("f".repeat(n))),
    ];
    (id.clone(), id).prop_map(move |(project, task)| {
        template
            .replace("{project}", project.as_deref().unwrap_or(PROJECT))
            .replace("{id}", task.as_deref().unwrap_or("7620240"))
    })
}

fn case(operations: &[Operation]) -> impl Strategy<Value = Case> {
    let strategies: Vec<BoxedStrategy<Case>> = operations
        .iter()
        .enumerate()
        .map(|(index, operation)| {
            (
                hostile_path(operation.path),
                hostile_query(operation),
                hostile_headers(operation),
                hostile_body(operation.body.clone()),
            )
                .prop_map(move |(path, query, headers, body)| Case { operation: index, path, query, headers, body })
                .boxed()
        })
        .collect();
    prop::strategy::Union::new(strategies)
}

/// Checks one answer against what every answer to a cloud path owes.
fn check_answer(
    envelope: Envelope,
    download: bool,
    status: StatusCode,
    content_type: &str,
    body: &[u8],
) -> Result<(), String> {
    if status.is_server_error() {
        return Err(format!("a server error: {status}"));
    }
    let json = || serde_json::from_slice::<Value>(body).map_err(|err| format!("not JSON ({err})"));
    match envelope {
        Envelope::Tencent => {
            if status != StatusCode::OK {
                return Err(format!("Tencent answers everything with 200, not {status}"));
            }
            if content_type != "application/json" {
                return Err(format!("Tencent's content type is exactly application/json, not {content_type:?}"));
            }
            let value = json()?;
            let response = value.get("Response").ok_or("no Response")?;
            if !response.get("RequestId").is_some_and(Value::is_string) {
                return Err("no RequestId".to_owned());
            }
            if let Some(error) = response.get("Error") {
                if !(error["Code"].is_string() && error["Message"].is_string()) {
                    return Err("an Error without Code and Message".to_owned());
                }
            }
        }
        Envelope::Admin => {
            let value = json()?;
            if !status.is_success() && !value["error"].is_string() {
                return Err("an admin error without an error message".to_owned());
            }
        }
        Envelope::HuaweiNested | Envelope::HuaweiFlat if status.is_success() => {
            if !download {
                json()?;
            }
        }
        Envelope::HuaweiNested | Envelope::HuaweiFlat => {
            let value = json()?;
            let inner = value.get("error").unwrap_or(&value);
            if !(inner["error_code"].is_string() && inner["error_msg"].is_string()) {
                return Err("a Huawei error without error_code and error_msg".to_owned());
            }
        }
    }
    Ok(())
}

/// Where the fuzzed calls go: a mock, or a proxy in front of one.
struct Target {
    base: String,
    http: reqwest::Client,
    runtime: tokio::runtime::Runtime,
    /// The processes, stopped when the target is dropped.
    _processes: Box<dyn std::any::Any>,
    /// How many answers had each status, for the report.
    statuses: std::sync::Mutex<std::collections::BTreeMap<u16, usize>>,
}

impl Target {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Target {
    fn send(&self, operations: &[Operation], case: &Case) -> Result<(), TestCaseError> {
        let operation = &operations[case.operation];
        let url = if case.query.is_empty() {
            self.url(&case.path)
        } else {
            format!("{}?{}", self.url(&case.path), case.query)
        };
        let Ok(url) = reqwest::Url::parse(&url) else { return Ok(()) };
        // The URL as sent: dot segments are resolved by the client, which may leave the cloud's
        // paths (then the dashboard answers, and only the status is checked) or change the
        // operation (then the envelope is the path's).
        let sent_path = url.path().to_owned();
        let envelope = if matches!(operation.envelope, Envelope::Tencent | Envelope::Admin) {
            operation.envelope
        } else if sent_path.starts_with("/v5") {
            Envelope::HuaweiFlat
        } else {
            Envelope::HuaweiNested
        };
        let cloud_path = ["/v1", "/v1.0", "/v5", "/_mock"]
            .iter()
            .any(|prefix| sent_path == *prefix || sent_path.starts_with(&format!("{prefix}/")))
            || (operation.method == Method::POST && sent_path == "/");
        let download = operation.download && sent_path == case.path;
        let mut request = self.http.request(operation.method.clone(), url).timeout(Duration::from_secs(60));
        for (name, value) in &case.headers {
            request = request.header(name, value);
        }
        if let Some(body) = &case.body {
            if !case.headers.iter().any(|(name, _)| name.eq_ignore_ascii_case("content-type")) {
                request = request.header("content-type", "application/json");
            }
            request = request.body(body.clone());
        }
        let answer = self.runtime.block_on(async {
            let answer = request.send().await.map_err(|err| format!("no answer: {err}"))?;
            let status = answer.status();
            let content_type =
                answer.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
            let body = answer.bytes().await.map_err(|err| format!("the answer broke off: {err}"))?;
            Ok::<_, String>((status, content_type, body))
        });
        let (status, content_type, body) = answer.map_err(TestCaseError::fail)?;
        *self.statuses.lock().expect("statuses").entry(status.as_u16()).or_default() += 1;
        let verdict = if cloud_path {
            check_answer(envelope, download, status, &content_type, &body)
        } else if status.is_server_error() {
            Err(format!("a server error: {status}"))
        } else {
            Ok(())
        };
        verdict.map_err(|why| {
            TestCaseError::fail(format!(
                "{why}\n  {} {}?{} headers {:?}\n  answered {status} {content_type:?}: {}",
                operation.method,
                case.path,
                case.query,
                case.headers,
                String::from_utf8_lossy(&body[..body.len().min(400)])
            ))
        })
    }
}

fn config() -> Config {
    let cases = std::env::var("EXPORT_DESK_FUZZ_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(4_000);
    let seed = std::env::var("EXPORT_DESK_FUZZ_SEED").ok().and_then(|n| n.parse().ok()).unwrap_or(20_261_203);
    Config {
        cases,
        rng_algorithm: RngAlgorithm::ChaCha,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        // A failing case is shown as found: shrinking re-sends hundreds of requests.
        max_shrink_iters: 64,
        ..Config::default()
    }
}

fn fuzz(target: Target, label: &str) {
    let operations = operations();
    let sent = AtomicUsize::new(0);
    let mut runner = TestRunner::new(config());
    let result = runner.run(&case(&operations), |case| {
        sent.fetch_add(1, Ordering::Relaxed);
        target.send(&operations, &case)
    });
    if let Err(failure) = result {
        panic!("{label}: {failure}");
    }
    still_up(&target.runtime, &target.http, &target.url("/_desk/config"), label);
    let statuses = target.statuses.lock().expect("statuses");
    println!(
        "{label}: {} fuzzed requests, every answer in its envelope, no 5xx; answers by status: {statuses:?}",
        sent.load(Ordering::Relaxed)
    );
}

/// The server still answers a plain call: no case stopped it. (On the runtime that drives the
/// client's pooled connections: another would wait on them for ever.)
fn still_up(runtime: &tokio::runtime::Runtime, http: &reqwest::Client, url: &str, label: &str) {
    let status = runtime.block_on(async {
        let answer = http.get(url).timeout(Duration::from_secs(30)).send().await;
        answer.map(|answer| answer.status())
    });
    assert_eq!(status.ok(), Some(StatusCode::OK), "{label}: the server still answers");
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime")
}

fn mock_target(server: Server) -> Target {
    Target {
        base: server.base.clone(),
        http: server.http.clone(),
        runtime: runtime(),
        _processes: Box::new(server),
        statuses: Default::default(),
    }
}

#[test]
fn the_mock_answers_every_fuzzed_call_in_its_envelope() {
    fuzz(mock_target(Server::start(&[])), "mock");
}

#[test]
fn the_mock_with_a_state_file_in_strict_mode_answers_every_fuzzed_call_in_its_envelope() {
    let dir = std::env::temp_dir().join(format!("export-desk-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let state = dir.join("state.jsonl");
    let server =
        Server::start(&[("--state", state.to_str().unwrap()), ("--verify-signatures", "true"), ("--demo-tasks", "20")]);
    fuzz(mock_target(server), "mock, --state, --verify-signatures");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_public_demo_answers_every_fuzzed_call_in_its_envelope() {
    // Limits a one-address fuzzer does not reach, so the calls get past them to the handlers
    // (the limits' own answers are tested in public_demo.rs).
    let server = Server::start(&[
        ("--demo", "true"),
        ("--demo-tasks", "20"),
        ("--visitor-writes-per-minute", "100000"),
        ("--visitor-tasks", "1000000"),
    ]);
    fuzz(mock_target(server), "mock, --demo");
}

#[test]
fn the_proxy_answers_every_fuzzed_call_in_its_envelope() {
    let (mock, proxy) = support::proxy::pair(&[]);
    let target = Target {
        base: proxy.base.clone(),
        http: proxy.http.clone(),
        runtime: runtime(),
        _processes: Box::new((mock, proxy)),
        statuses: Default::default(),
    };
    fuzz(target, "proxy in front of a mock");
}

// ---------------------------------------------------------------------------------------------
// Framings, over raw TCP
// ---------------------------------------------------------------------------------------------

/// Sends raw bytes and reads the whole answer (the server closes, or the read times out).
fn raw(server: &Server, request: &[u8]) -> Vec<u8> {
    let address = server.base.strip_prefix("http://").unwrap();
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let _ = stream.write_all(request);
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    answer
}

/// The status, content type and body of a raw HTTP/1.1 answer (de-chunked).
fn parse_answer(answer: &[u8]) -> Option<(StatusCode, String, Vec<u8>)> {
    let split = answer.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&answer[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let mut content_type = String::new();
    let mut chunked = false;
    for line in lines {
        let (name, value) = line.split_once(':')?;
        match name.trim().to_ascii_lowercase().as_str() {
            "content-type" => content_type = value.trim().to_owned(),
            "transfer-encoding" => chunked = value.trim().eq_ignore_ascii_case("chunked"),
            _ => {}
        }
    }
    let mut body = answer[split + 4..].to_vec();
    if chunked {
        let mut plain = Vec::new();
        let mut rest = body.as_slice();
        while let Some(end) = rest.windows(2).position(|w| w == b"\r\n") {
            let size = usize::from_str_radix(String::from_utf8_lossy(&rest[..end]).trim(), 16).ok()?;
            if size == 0 {
                break;
            }
            plain.extend_from_slice(rest.get(end + 2..end + 2 + size)?);
            rest = rest.get(end + 4 + size..)?;
        }
        body = plain;
    }
    Some((StatusCode::from_u16(status).ok()?, content_type, body))
}

#[test]
fn broken_framings_get_answers_in_the_providers_envelope() {
    let server = Server::start(&[]);
    let host = server.base.strip_prefix("http://").unwrap().to_owned();
    let json = r#"{"action":"reports_detail"}"#;
    let cdn = "POST /v1/cdn/statistics/export-tasks HTTP/1.1";
    let iotda = format!("POST /v5/iot/{PROJECT}/export-tasks HTTP/1.1");
    let tencent = "POST / HTTP/1.1\r\nX-TC-Action: DescribeExports\r\nX-TC-Version: 2020-10-16";
    let cases: Vec<(Envelope, String)> = vec![
        // A chunk size that is not hex, one past every limit, and a body cut off mid-chunk.
        (Envelope::HuaweiNested, format!("{cdn}\r\nHost: {host}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{json}\r\n0\r\n\r\n")),
        (Envelope::HuaweiNested, format!("{cdn}\r\nHost: {host}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n{json}\r\n0\r\n\r\n")),
        (Envelope::HuaweiFlat, format!("{iotda}\r\nHost: {host}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n100\r\n{json}")),
        (Envelope::Tencent, format!("{tencent}\r\nHost: {host}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{{\"To\"\r\nxyz\r\n")),
        // A body shorter than its Content-Length (the client gives up).
        (Envelope::HuaweiNested, format!("{cdn}\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{json}")),
        (Envelope::Tencent, format!("{tencent}\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: 900\r\n\r\n{{}}")),
        // An absolute-form target.
        (Envelope::HuaweiNested, format!("GET http://{host}/v1/cdn/statistics/export-tasks HTTP/1.1\r\nHost: {host}\r\n\r\n")),
    ];
    for (envelope, request) in cases {
        let answer = raw(&server, request.as_bytes());
        let label = request.lines().next().unwrap_or_default().to_owned();
        // Each request's head is sound, so each gets an answer (in its envelope), never a bare close.
        let Some((status, content_type, body)) = parse_answer(&answer) else {
            panic!("{label}: no HTTP answer: {:?}", String::from_utf8_lossy(&answer));
        };
        if let Err(why) = check_answer(envelope, false, status, &content_type, &body) {
            panic!("{request:?}\n{why}: {status} {content_type:?} {}", String::from_utf8_lossy(&body));
        }
    }
    still_up(&runtime(), &server.http, &server.url("/_desk/config"), "framings");
}
