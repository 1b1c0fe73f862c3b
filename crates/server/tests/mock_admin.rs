//! Real-HTTP tests of the mock's admin API (`/_mock/…`), each against its own `export-desk`
//! process (see `support`). Covered:
//!
//! - the clock: reading it, moving it forward (a new task then finishes with its seeded outcome),
//!   changing its speed;
//! - reset: the same seed gives the same stores, byte for byte, and empties journal and faults;
//! - the journal: what it records of cloud calls, and what it leaves out;
//! - faults: forced errors in CDN's envelope, repeatable error rates, expiring rules, latency;
//! - bad admin input, unknown admin paths and wrong methods, answered in the admin's own shape.
//!
//! Timing is asserted only from below (a delay is at least what was asked): the machine may be slow.

mod support;

use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use support::*;

const EXPORT_TASKS: &str = "/v1/cdn/statistics/export-tasks";
const HISTORY_TASKS: &str = "/v1.0/cdn/historytasks";
/// A clock speed at which mock time stands still for the length of a test, so lists taken at
/// different moments can be compared byte for byte.
const FROZEN: &str = "0.000001";
const MINUTE_MS: i64 = 60_000;

/// A valid CreateExportTask body: one day of hourly data for two domains.
fn export_body() -> Value {
    json!({
        "action": "reports_detail",
        "domain_name": "a.example.com,b.example.com",
        "start_time": 1_763_942_400_000_i64,
        "end_time": 1_763_942_400_000_i64 + 24 * 3_600_000,
        "interval": 3600,
        "language": "en",
    })
}

impl Server {
    /// An admin call with an optional JSON body; the status and the JSON answer.
    async fn admin(&self, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let mut request = self.http.request(method, self.url(path));
        if let Some(body) = body {
            request = request.header(CONTENT_TYPE, "application/json").body(body.to_string());
        }
        api_json(request.send().await.expect("request reaches the server")).await
    }

    /// An admin call that must succeed; its answer.
    async fn admin_ok(&self, method: Method, path: &str, body: Option<Value>) -> Value {
        let (status, answer) = self.admin(method.clone(), path, body).await;
        assert_eq!(status, StatusCode::OK, "{method} {path}: {answer}");
        answer
    }

    async fn set_fault(&self, rule: Value) -> Value {
        self.admin_ok(Method::POST, "/_mock/faults", Some(rule)).await
    }

    async fn journal(&self, query: &str) -> Vec<Value> {
        let answer = self.admin_ok(Method::GET, &format!("/_mock/journal{query}"), None).await;
        answer["entries"].as_array().expect("entries is an array").clone()
    }

    async fn create_export(&self) {
        let answer = self.post_json(EXPORT_TASKS, &export_body().to_string()).await;
        let (status, body) = api_json(answer).await;
        assert_eq!((status, body), (StatusCode::OK, json!({})));
    }

    /// ListExportTasks, all tasks on one page.
    async fn list_all(&self) -> Value {
        let (status, page) = api_json(self.get(&format!("{EXPORT_TASKS}?limit=100")).await).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        page
    }

    async fn now_ms(&self) -> i64 {
        self.admin_ok(Method::GET, "/_mock/clock", None).await["now_ms"].as_i64().expect("now_ms is an integer")
    }
}

/// `(task_id, status)` of every listed task, in list order.
fn outcomes(page: &Value) -> Vec<(String, String)> {
    let tasks = page["data"].as_array().expect("data is an array");
    tasks
        .iter()
        .map(|t| (t["task_id"].as_str().unwrap().to_owned(), t["status"].as_str().unwrap().to_owned()))
        .collect()
}

/// Whether each of `calls` ListExportTasks calls was refused by the injected fault.
async fn refusal_pattern(server: &Server, calls: usize) -> Vec<bool> {
    let mut pattern = Vec::with_capacity(calls);
    for _ in 0..calls {
        let status = server.get(EXPORT_TASKS).await.status();
        assert!([StatusCode::OK, StatusCode::SERVICE_UNAVAILABLE].contains(&status), "{status}");
        pattern.push(status == StatusCode::SERVICE_UNAVAILABLE);
    }
    pattern
}

// ---------------------------------------------------------------------------------------------
// Clock
// ---------------------------------------------------------------------------------------------

/// Creates six tasks, moves the clock past their longest run (125 % of 10 min) and lists them.
async fn create_six_and_finish_them(server: &Server) -> Vec<(String, String)> {
    for _ in 0..6 {
        server.create_export().await;
    }
    let before = outcomes(&server.list_all().await);
    assert!(before.iter().all(|(_, status)| status == "processing"), "{before:?}");
    let start = server.now_ms().await;
    let clock = server.admin_ok(Method::POST, "/_mock/clock/advance", Some(json!({"seconds": 780}))).await;
    let now = clock["now_ms"].as_i64().unwrap();
    assert!(now >= start + 13 * MINUTE_MS, "moved 13 minutes: {start} → {clock}");
    assert!(clock["now"].as_str().is_some_and(|t| t.ends_with('Z')), "{clock}");
    outcomes(&server.list_all().await)
}

#[tokio::test]
async fn advancing_the_clock_finishes_new_tasks_with_their_seeded_outcomes() {
    let server =
        Server::start(&[("--task-duration", "10m"), ("--fail-rate", "0.5"), ("--seed", "11"), ("--speed", FROZEN)]);

    let first = create_six_and_finish_them(&server).await;
    assert!(first.iter().all(|(_, status)| status == "success" || status == "fail"), "{first:?}");
    assert!(first.iter().any(|(_, s)| s == "success") && first.iter().any(|(_, s)| s == "fail"), "{first:?}");

    server.admin_ok(Method::POST, "/_mock/reset", Some(json!({"seed": 11, "demo_tasks": 0}))).await;
    assert_eq!(
        create_six_and_finish_them(&server).await,
        first,
        "the same seed: the same ids, and each finishes the same way"
    );

    let start = server.now_ms().await;
    let clock = server.admin_ok(Method::POST, "/_mock/clock/advance", Some(json!({"ms": 1500}))).await;
    assert!(clock["now_ms"].as_i64().unwrap() >= start + 1500, "{clock}");
}

#[tokio::test]
async fn the_clock_speed_can_be_read_and_changed() {
    let server = Server::start(&[("--speed", "3")]);
    let clock = server.admin_ok(Method::GET, "/_mock/clock", None).await;
    assert_eq!(clock["speed"], 3.0, "{clock}");
    let before = clock["now_ms"].as_i64().unwrap();

    let changed = server.admin_ok(Method::PUT, "/_mock/clock/speed", Some(json!({"speed": 0.5}))).await;
    assert_eq!(changed["speed"], 0.5, "{changed}");
    assert!(changed["now_ms"].as_i64().unwrap() >= before, "a new speed never moves time back: {changed}");
    assert_eq!(server.admin_ok(Method::GET, "/_mock/clock", None).await["speed"], 0.5);
}

// ---------------------------------------------------------------------------------------------
// Reset
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn reset_with_the_same_seed_gives_identical_lists_and_empties_journal_and_faults() {
    let server =
        Server::start(&[("--seed", "7"), ("--demo-tasks", "12"), ("--task-duration", "10m"), ("--speed", FROZEN)]);
    let exports = server.list_all().await;
    let history = api_json(server.get(HISTORY_TASKS).await).await.1;
    assert_eq!(exports["total"], 12, "{exports}");

    server.create_export().await;
    server.set_fault(json!({"operation": "cdn:ShowHistoryTasks", "latency_ms": 1})).await;
    let answer = server.admin_ok(Method::POST, "/_mock/reset", None).await;
    assert_eq!(answer["seed"], 7, "no body: the command line's seed: {answer}");
    assert_eq!(answer["demo_tasks"], 12, "{answer}");
    assert_eq!(server.journal("").await, Vec::<Value>::new(), "the journal is empty");
    assert_eq!(server.admin_ok(Method::GET, "/_mock/faults", None).await, json!({"faults": []}));
    assert_eq!(server.list_all().await, exports, "the created task is gone, the demo tasks are as at start");
    assert_eq!(api_json(server.get(HISTORY_TASKS).await).await.1, history, "so are the history tasks");

    server.admin_ok(Method::POST, "/_mock/reset", Some(json!({"seed": 8}))).await;
    let other = server.list_all().await;
    assert_eq!(other["total"], 12);
    assert_ne!(outcomes(&other), outcomes(&exports), "another seed, other tasks");

    server.admin_ok(Method::POST, "/_mock/reset", Some(json!({"seed": 7, "demo_tasks": 3}))).await;
    assert_eq!(server.list_all().await["total"], 3);
    server.admin_ok(Method::POST, "/_mock/reset", Some(json!({"seed": 7, "demo_tasks": 12}))).await;
    assert_eq!(server.list_all().await, exports, "back to seed 7: the same list again");
}

// ---------------------------------------------------------------------------------------------
// Journal
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_journal_records_cloud_calls_but_not_admin_or_dashboard_requests() {
    let server = Server::start(&[]);
    let body = export_body().to_string();
    let created = server.post_json(EXPORT_TASKS, &body).await;
    let created_id = header(created.headers(), "x-request-id");
    let listed = server.get(&format!("{EXPORT_TASKS}?limit=5&task_name=flux")).await;
    let listed_id = header(listed.headers(), "x-request-id");
    assert_eq!(server.get("/v1/cdn/nope").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(server.get("/").await.status(), StatusCode::OK, "the dashboard");
    server.admin_ok(Method::GET, "/_mock/clock", None).await;

    let entries = server.journal("").await;
    assert_eq!(entries.len(), 3, "three cloud calls, oldest first: {entries:#?}");
    let (create, list, unknown) = (&entries[0], &entries[1], &entries[2]);

    assert_eq!(create["operation"], "cdn:CreateExportTask", "{create}");
    assert_eq!(create["method"], "POST");
    assert_eq!(create["path"], EXPORT_TASKS);
    assert_eq!(create["query"], Value::Null);
    assert_eq!(create["headers"]["content-type"], "application/json", "{create}");
    assert_eq!(create["body"], body.as_str(), "the body as sent");
    assert_eq!(create["body_truncated"], false);
    assert_eq!(create["status"], 200);
    assert_eq!(create["request_id"], created_id.as_str(), "the id the client got");
    assert_eq!(create["fault"], Value::Null);
    assert!(create["time_ms"].is_i64() && create["elapsed_ms"].is_u64(), "{create}");

    assert_eq!(list["operation"], "cdn:ListExportTasks", "{list}");
    assert_eq!((&list["method"], &list["query"]), (&json!("GET"), &json!("limit=5&task_name=flux")));
    assert_eq!((&list["body"], &list["status"]), (&json!(""), &json!(200)));
    assert_eq!(list["request_id"], listed_id.as_str());

    assert_eq!(unknown["operation"], Value::Null, "a path the mock does not know is still recorded: {unknown}");
    assert_eq!((&unknown["path"], &unknown["status"]), (&json!("/v1/cdn/nope"), &json!(404)));
    let seqs: Vec<i64> = entries.iter().map(|entry| entry["seq"].as_i64().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");

    let only_lists = server.journal("?operation=cdn:ListExportTasks").await;
    assert_eq!(only_lists, std::slice::from_ref(list));
    assert_eq!(server.journal("?limit=1").await, std::slice::from_ref(unknown), "the newest");

    // A body beyond 64 KiB is cut in the journal but reaches the handler whole (which refuses
    // the over-long domain list by name, so it read all of it).
    let domains = vec!["a.example.com"; 6_000].join(",");
    let long = json!({"action": "uv", "domain_name": domains, "start_time": 1, "end_time": 2}).to_string();
    assert!(long.len() > 64 * 1024);
    assert_invalid(server.post_json(EXPORT_TASKS, &long).await, "a long body", Some("domain_name")).await;
    let entry = server.journal("?limit=1").await.remove(0);
    assert_eq!(entry["body_truncated"], true, "{}", entry["path"]);
    assert_eq!(entry["body"].as_str().unwrap(), &long[..64 * 1024]);
    assert_eq!(entry["status"], 400);

    assert_eq!(server.admin_ok(Method::DELETE, "/_mock/journal", None).await, json!({"removed": 4}));
    assert_eq!(server.journal("").await, Vec::<Value>::new());
}

// ---------------------------------------------------------------------------------------------
// Faults
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_forced_error_answers_in_the_cdn_envelope_with_its_status_and_request_id() {
    let server = Server::start(&[]);
    let rule = json!({
        "operation": "cdn:ListExportTasks",
        "error_code": "CDN.0005",
        "http_status": 403,
        "error_msg": "The upper limit is exceeded.",
    });
    let stored = server.set_fault(rule).await;
    let expected = json!({
        "operation": "cdn:ListExportTasks", "latency_ms": 0, "error_rate": 1.0, "error_code": "CDN.0005",
        "http_status": 403, "error_msg": "The upper limit is exceeded.", "times": null, "seed": 1,
    });
    assert_eq!(stored, expected, "the rule with its defaults filled in");
    assert_eq!(server.admin_ok(Method::GET, "/_mock/faults", None).await, json!({"faults": [expected]}));

    let answer = server.get(&format!("{EXPORT_TASKS}?limit=5")).await;
    let request_id = header(answer.headers(), "x-request-id");
    let (status, body) = api_json(answer).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body, json!({"error": {"error_code": "CDN.0005", "error_msg": "The upper limit is exceeded."}}));
    let entry = server.journal("?limit=1").await.remove(0);
    assert_eq!(entry["status"], 403);
    assert_eq!(entry["request_id"], request_id.as_str());
    assert_eq!(entry["fault"], json!({"latency_ms": 0, "error_code": "CDN.0005"}));

    server.create_export().await;
    assert_eq!(server.journal("?limit=1").await[0]["fault"], Value::Null, "other operations are untouched");

    // An operation whose rule names only a code answers with the provider's default status.
    server.set_fault(json!({"operation": "cdn:ShowHistoryTasks", "error_code": "CDN.0020"})).await;
    let message = assert_cdn_error(server.get(HISTORY_TASKS).await, "CDN.0020", "default status", None).await;
    assert!(message.contains("CDN.0020"), "{message}");

    let removed = server.admin_ok(Method::DELETE, "/_mock/faults/cdn:ListExportTasks", None).await;
    assert_eq!(removed, json!({"removed": 1}));
    assert_eq!(server.list_all().await["total"], 1, "listing works again");
    assert_eq!(server.admin_ok(Method::DELETE, "/_mock/faults", None).await, json!({"removed": 1}));
    assert_eq!(api_json(server.get(HISTORY_TASKS).await).await.0, StatusCode::OK);
}

#[tokio::test]
async fn an_error_rate_with_a_fixed_seed_refuses_the_same_calls_every_run() {
    let rule =
        json!({"operation": "cdn:ListExportTasks", "error_code": "CDN.0005", "http_status": 503, "error_rate": 0.5});
    let server = Server::start(&[("--seed", "5")]);
    server.set_fault(rule.clone()).await;
    let first = refusal_pattern(&server, 24).await;
    assert!(first.contains(&true) && first.contains(&false), "about half refused: {first:?}");

    server.set_fault(rule.clone()).await;
    assert_eq!(refusal_pattern(&server, 24).await, first, "setting the rule again restarts its pattern");

    let another = Server::start(&[("--seed", "5")]);
    another.set_fault(rule.clone()).await;
    assert_eq!(refusal_pattern(&another, 24).await, first, "another run with the same seed");

    let mut reseeded = rule;
    reseeded["seed"] = json!(99);
    another.set_fault(reseeded).await;
    assert_ne!(refusal_pattern(&another, 24).await, first, "a rule's own seed gives another pattern");
}

#[tokio::test]
async fn a_rule_with_times_applies_to_that_many_calls_then_expires() {
    let server = Server::start(&[]);
    server.set_fault(json!({"operation": "cdn:ListExportTasks", "error_code": "CDN.0005", "times": 3})).await;
    assert_cdn_error(server.get(EXPORT_TASKS).await, "CDN.0005", "call 1", None).await;
    let faults = server.admin_ok(Method::GET, "/_mock/faults", None).await;
    assert_eq!(faults["faults"][0]["times"], 2, "calls left: {faults}");
    assert_cdn_error(server.get(EXPORT_TASKS).await, "CDN.0005", "call 2", None).await;
    assert_cdn_error(server.get(EXPORT_TASKS).await, "CDN.0005", "call 3", None).await;
    assert_eq!(server.list_all().await["total"], 0, "call 4 goes through");
    assert_eq!(server.admin_ok(Method::GET, "/_mock/faults", None).await, json!({"faults": []}));
}

#[tokio::test]
async fn latency_delays_each_call_of_the_operation_by_at_least_that_long() {
    let server = Server::start(&[]);
    server.set_fault(json!({"operation": "cdn:ListExportTasks", "latency_ms": 300})).await;
    for _ in 0..2 {
        let started = Instant::now();
        assert_eq!(server.list_all().await["total"], 0, "a latency-only rule lets the call succeed");
        assert!(started.elapsed() >= Duration::from_millis(300), "took {:?}", started.elapsed());
    }
    let entry = server.journal("?limit=1").await.remove(0);
    assert_eq!(entry["fault"], json!({"latency_ms": 300, "error_code": null}));
    assert!(entry["elapsed_ms"].as_u64().unwrap() >= 300, "{entry}");
    server.create_export().await;
    assert_eq!(server.journal("?limit=1").await[0]["fault"], Value::Null, "CreateExportTask is not delayed");
}

#[tokio::test]
async fn the_operations_are_listed_with_their_calls_and_error_envelopes() {
    let server = Server::start(&[]);
    let answer = server.admin_ok(Method::GET, "/_mock/operations", None).await;
    let operations = answer["operations"].as_array().expect("operations is an array");
    let list = operations.iter().find(|operation| operation["name"] == "cdn:ListExportTasks").expect("listed");
    assert_eq!(
        list,
        &json!({"name": "cdn:ListExportTasks", "method": "GET", "path": EXPORT_TASKS, "errors": "huawei_nested"})
    );
    assert!(operations.iter().any(|operation| operation["name"] == "cdn:ShowHistoryTaskDetails"), "{answer}");
}

// ---------------------------------------------------------------------------------------------
// Refusals
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn bad_admin_input_is_refused_with_400_and_a_message_saying_what_to_change() {
    let server = Server::start(&[]);
    let start = server.now_ms().await;
    let rule = |fields: Value| {
        let mut rule = json!({"operation": "cdn:ListExportTasks"});
        rule.as_object_mut().unwrap().extend(fields.as_object().unwrap().clone());
        rule.to_string()
    };
    let cases: Vec<(Method, &str, String, &str)> = vec![
        (Method::POST, "/_mock/clock/advance", "{}".into(), "exactly one of ms and seconds"),
        (Method::POST, "/_mock/clock/advance", r#"{"ms":1,"seconds":1}"#.into(), "exactly one"),
        (Method::POST, "/_mock/clock/advance", r#"{"ms":-5}"#.into(), "never runs backwards"),
        (Method::POST, "/_mock/clock/advance", r#"{"minutes":1}"#.into(), "unknown field `minutes`"),
        (Method::POST, "/_mock/clock/advance", r#"{"ms":"soon"}"#.into(), "ms"),
        (Method::POST, "/_mock/clock/advance", "not json".into(), "JSON object"),
        (Method::POST, "/_mock/clock/advance", r#"{"ms":1} x"#.into(), "invalid body"),
        (Method::PUT, "/_mock/clock/speed", r#"{"speed":0}"#.into(), "positive"),
        (Method::POST, "/_mock/reset", r#"{"seed":-1}"#.into(), "seed"),
        (Method::POST, "/_mock/reset", r#"{"demo_tasks":1000000}"#.into(), "at most"),
        (Method::POST, "/_mock/reset", "[]".into(), "JSON object"),
        (Method::POST, "/_mock/faults", String::new(), "give a rule"),
        (Method::POST, "/_mock/faults", r#"{"operation":"cdn:Nope","latency_ms":5}"#.into(), "cdn:ListExportTasks"),
        (Method::POST, "/_mock/faults", rule(json!({})), "does nothing"),
        (Method::POST, "/_mock/faults", rule(json!({"latency": 5})), "unknown field `latency`"),
        (Method::POST, "/_mock/faults", rule(json!({"latency_ms": -1})), "latency_ms"),
        (Method::POST, "/_mock/faults", rule(json!({"error_code": "X", "error_rate": 1.5})), "from 0 to 1"),
        (Method::POST, "/_mock/faults", rule(json!({"error_rate": 0.5})), "need an error_code"),
        (Method::POST, "/_mock/faults", rule(json!({"error_code": "X", "http_status": 700})), "200 to 599"),
        (Method::POST, "/_mock/faults", rule(json!({"latency_ms": 5, "times": 0})), "at least 1"),
        (Method::DELETE, "/_mock/faults/cdn:Nope", String::new(), "known operations: cdn:CreateExportTask"),
        (Method::GET, "/_mock/journal?limit=0", String::new(), "limit"),
        (Method::GET, "/_mock/journal?operation=nope", String::new(), "unknown operation"),
        (Method::GET, "/_mock/journal?since=3", String::new(), "unknown parameter `since`"),
    ];
    for (method, path, body, mentions) in cases {
        let case = format!("{method} {path} {body}");
        let mut request = server.http.request(method, server.url(path));
        if !body.is_empty() {
            request = request.header(CONTENT_TYPE, "application/json").body(body);
        }
        let (status, answer) = api_json(request.send().await.unwrap()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{case}: {answer}");
        let keys: Vec<&String> = answer.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["error"], "{case}: {answer}");
        let message = answer["error"].as_str().unwrap();
        assert!(message.contains(mentions), "{case}: should mention `{mentions}`: {message}");
    }
    assert_eq!(server.admin_ok(Method::GET, "/_mock/faults", None).await, json!({"faults": []}), "nothing was set");
    assert!(server.now_ms().await >= start, "the clock never went back");
}

#[tokio::test]
async fn unknown_admin_paths_and_wrong_methods_get_json_errors() {
    let server = Server::start(&[]);
    let (status, answer) = server.admin(Method::GET, "/_mock/nope", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{answer}");
    assert!(answer["error"].as_str().unwrap().contains("/_mock/faults"), "lists the endpoints: {answer}");

    let answer = server.request(Method::GET, "/_mock/reset").await;
    assert_eq!(header(answer.headers(), "allow"), "POST");
    let (status, answer) = api_json(answer).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{answer}");
    assert!(answer["error"].as_str().unwrap().contains("use POST"), "{answer}");

    assert_no_such_api(server.request(Method::POST, "/_mock/files/cdn-stats/x/y.csv").await, "download path").await;
    assert_eq!(server.journal("").await, Vec::<Value>::new(), "admin calls are not journaled");
}
