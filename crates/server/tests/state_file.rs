//! Real-HTTP tests of `--state FILE`: tasks of every store survive a restart, including one by `SIGKILL` right
//! after a change was answered; the restarted mock goes on exactly as one that never stopped
//! would (the same ids for the next tasks); the clock never runs back across a restart; a reset
//! compacts the file; a file that is not a state log stops the server with a clear message.

mod support;

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use support::*;

const EXPORT_TASKS: &str = "/v1/cdn/statistics/export-tasks";
const HISTORY_TASKS: &str = "/v1.0/cdn/historytasks";
const REFRESH_TASKS: &str = "/v1.0/cdn/content/refresh-tasks";
const IOTDA_TASKS: &str = "/v5/iot/p1/export-tasks";
const CLS_TOPIC: &str = "2f6c1d3e-8a47-4b9e-9c21-5d7e3f4a6b80";

fn state_path(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("export-desk-state-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join("mock-state.jsonl")
}

fn start_with_state(path: &Path) -> Server {
    Server::start(&[("--state", path.to_str().expect("UTF-8 temp path")), ("--demo-tasks", "3"), ("--seed", "11")])
}

fn export_body(day: i64) -> String {
    let start = 1_763_942_400_000_i64 + day * 86_400_000;
    json!({"action": "reports_detail", "domain_name": "a.example.com", "start_time": start, "end_time": start + 86_400_000})
        .to_string()
}

fn refresh_body(path: &str) -> String {
    json!({"refresh_task": {"type": "file", "urls": [format!("https://a.example.com/{path}")]}}).to_string()
}

fn iotda_body(batch: &str) -> String {
    json!({"resource_type": "BatchTask", "resource_condition": {"task_id": batch}}).to_string()
}

fn cls_body(count: u64) -> String {
    json!({"TopicId": CLS_TOPIC, "Count": count, "Query": "*", "From": 1_763_942_400_000_i64, "To": 1_763_946_000_000_i64})
        .to_string()
}

/// What a client can see of every store, for comparing two servers: CDN statistics exports, CDN
/// history, IoTDA tasks, CLS exports. Download links (which name the server's port) and request
/// ids are taken out; CLS's `CosPath` is signed for the moment it is listed, so it goes too.
#[derive(Debug, PartialEq)]
struct Snapshot {
    exports: Value,
    history: Value,
    iotda: Value,
    cls: Value,
}

async fn snapshot(server: &Server) -> Snapshot {
    let (_, exports) = api_json(server.get(&format!("{EXPORT_TASKS}?limit=100")).await).await;
    let (_, history) = api_json(server.get(&format!("{HISTORY_TASKS}?page_size=100&page_number=1")).await).await;
    let (_, iotda) = api_json(server.get(&format!("{IOTDA_TASKS}?resource_type=BatchTask&limit=50")).await).await;
    let describe = json!({"TopicId": CLS_TOPIC, "Limit": 100}).to_string();
    let mut cls = tencent_response(server.tencent("DescribeExports", &describe).await).await;
    cls.as_object_mut().expect("object").remove("RequestId");
    for export in cls["Exports"].as_array_mut().expect("Exports") {
        export.as_object_mut().expect("object").remove("CosPath");
    }
    let exports = exports.to_string().replace(&server.base, "http://server");
    Snapshot { exports: serde_json::from_str(&exports).expect("JSON"), history, iotda, cls }
}

/// Every task id a snapshot lists, of all four kinds, sorted.
fn ids(snapshot: &Snapshot) -> Vec<String> {
    let all = |value: &Value, list: &str, id: &str| -> Vec<String> {
        value[list].as_array().expect("a list").iter().map(|task| task[id].to_string()).collect()
    };
    let mut ids = all(&snapshot.exports, "data", "task_id");
    ids.extend(all(&snapshot.history, "tasks", "id"));
    ids.extend(all(&snapshot.iotda, "export_tasks", "export_task_id"));
    ids.extend(all(&snapshot.cls, "Exports", "ExportId"));
    ids.sort();
    ids
}

async fn create_cls_export(server: &Server, count: u64) -> String {
    let created = tencent_response(server.tencent("CreateExport", &cls_body(count)).await).await;
    created["ExportId"].as_str().expect("ExportId").to_owned()
}

async fn clock_ms(server: &Server) -> i64 {
    let (_, clock) = api_json(server.get("/_mock/clock").await).await;
    clock["now_ms"].as_i64().expect("now_ms")
}

async fn advance(server: &Server, seconds: i64) {
    let answer = server.post_json("/_mock/clock/advance", &json!({"seconds": seconds}).to_string()).await;
    assert_eq!(answer.status(), 200);
}

/// The same changes against `server`, in every store: creations, deletions, an hour passing.
async fn make_changes(server: &Server) {
    for day in 0..2 {
        assert_eq!(server.post_json(EXPORT_TASKS, &export_body(day)).await.status(), 200);
    }
    assert_eq!(server.post_json(REFRESH_TASKS, &refresh_body("a.js")).await.status(), 200);
    for batch in ["b1", "b2", "b3"] {
        assert_eq!(server.post_json(IOTDA_TASKS, &iotda_body(batch)).await.status(), 201);
    }
    let (_, listed) = api_json(server.get(&format!("{IOTDA_TASKS}?resource_type=BatchTask&limit=1")).await).await;
    let newest = listed["export_tasks"][0]["export_task_id"].as_str().expect("a task").to_owned();
    assert_eq!(server.request(reqwest::Method::DELETE, &format!("{IOTDA_TASKS}/{newest}")).await.status(), 204);
    let doomed = create_cls_export(server, 10).await;
    create_cls_export(server, 20).await;
    let deleted =
        tencent_response(server.tencent("DeleteExport", &json!({"ExportId": doomed}).to_string()).await).await;
    assert!(deleted.get("Error").is_none(), "{deleted}");
    advance(server, 3600).await;
    assert_eq!(server.post_json(EXPORT_TASKS, &export_body(2)).await.status(), 200);
    assert_eq!(server.post_json(IOTDA_TASKS, &iotda_body("b1")).await.status(), 201, "replaces the first");
}

#[tokio::test]
async fn tasks_survive_a_kill_and_the_mock_goes_on_as_if_it_never_stopped() {
    let path = state_path("kill");
    let first = start_with_state(&path);
    make_changes(&first).await;
    advance(&first, 60).await;
    let before = snapshot(&first).await;
    let clock_before = clock_ms(&first).await;
    assert_eq!(before.exports["total"], 6, "3 demo exports and 3 created: {:?}", before.exports);
    assert_eq!(before.iotda["page"]["count"], 2, "b2 and the new b1: {:?}", before.iotda);
    assert!(before.cls["TotalCount"].as_u64().is_some_and(|n| n >= 1), "{:?}", before.cls);
    drop(first); // SIGKILL: no chance to flush anything more

    let second = start_with_state(&path);
    assert!(clock_ms(&second).await >= clock_before, "the clock never runs back across a restart");
    assert_eq!(snapshot(&second).await, before, "every task as it was: ids, names, times, statuses");

    // A server that never stopped, fed the same changes, is where the restarted one must be.
    let unstopped = Server::start(&[("--demo-tasks", "3"), ("--seed", "11")]);
    make_changes(&unstopped).await;
    assert_eq!(ids(&snapshot(&unstopped).await), ids(&before), "same seed and changes, same tasks");
    for server in [&second, &unstopped] {
        assert_eq!(server.post_json(EXPORT_TASKS, &export_body(9)).await.status(), 200);
        assert_eq!(server.post_json(REFRESH_TASKS, &refresh_body("b.js")).await.status(), 200);
        assert_eq!(server.post_json(IOTDA_TASKS, &iotda_body("b9")).await.status(), 201);
        create_cls_export(server, 5).await;
    }
    assert_eq!(ids(&snapshot(&second).await), ids(&snapshot(&unstopped).await), "the next ids agree too");
}

#[tokio::test]
async fn a_reset_starts_the_file_afresh_and_is_itself_kept() {
    let path = state_path("reset");
    let first = start_with_state(&path);
    for n in 0..20 {
        assert_eq!(first.post_json(REFRESH_TASKS, &refresh_body(&format!("{n}.js"))).await.status(), 200);
    }
    let long = std::fs::read_to_string(&path).expect("state file").lines().count();
    assert!(long > 20, "one line per change: {long}");
    let answer = first.post_json("/_mock/reset", r#"{"seed":5,"demo_tasks":2}"#).await;
    assert_eq!(answer.status(), 200);
    let short = std::fs::read_to_string(&path).expect("state file").lines().count();
    assert!(short < 5, "the header, the reset and the clock: {short} lines");
    // Past every demo task's finish, so no status changes while the server restarts.
    advance(&first, 60).await;
    let after_reset = snapshot(&first).await;
    drop(first);

    let second = start_with_state(&path);
    assert_eq!(snapshot(&second).await, after_reset, "the reset's seed and demo tasks are what comes back");
}

#[tokio::test]
async fn a_file_that_is_not_a_state_log_stops_the_server_and_is_left_alone() {
    let path = state_path("foreign");
    std::fs::write(&path, "name,size\nreport.csv,12\n").expect("write");
    let output = Command::new(env!("CARGO_BIN_EXE_export-desk"))
        .args(["--port", "0", "--log", "off", "--state", path.to_str().expect("UTF-8")])
        .stdin(Stdio::null())
        .output()
        .expect("run the binary");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("state file") && stderr.contains("line 1"), "{stderr}");
    assert!(!String::from_utf8_lossy(&output.stdout).contains("listening"), "it must not serve");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), "name,size\nreport.csv,12\n");
}

/// The ids of the CDN statistics exports a server lists, sorted (the list's own order, by last
/// modification, changes as tasks finish).
async fn export_ids(server: &Server) -> Vec<String> {
    let (_, listed) = api_json(server.get(&format!("{EXPORT_TASKS}?limit=100")).await).await;
    let tasks = listed["data"].as_array().expect("data");
    let mut ids: Vec<String> = tasks.iter().map(|task| task["task_id"].as_str().expect("id").to_owned()).collect();
    ids.sort();
    ids
}

/// With the disk full (here: the file-size limit of `ulimit -f`), a create that cannot be written
/// fails in the provider's envelope and changes nothing: it is not listed, the file ends with its
/// last acknowledged line, and after a restart every acknowledged task is back with its id, and
/// the next id is the one a server that never failed a write would give.
#[tokio::test]
async fn a_full_disk_refuses_the_change_and_leaves_memory_and_file_as_they_were() {
    let path = state_path("full-disk");
    let state = path.to_str().expect("UTF-8").to_owned();
    let options = [("--state", state.as_str()), ("--seed", "11")];
    let limited = Server::start_with_file_size_limit(Some(8), &options);
    let mut acknowledged = 0;
    let refused = loop {
        assert!(acknowledged < 100, "4 KB of state file must fill up");
        let answer = limited.post_json(EXPORT_TASKS, &export_body(acknowledged)).await;
        if answer.status() != 200 {
            break answer;
        }
        acknowledged += 1;
    };
    let (status, body) = api_json(refused).await;
    assert_eq!(status, 500, "{body}");
    assert!(body["error"]["error_code"].is_string() && body["error"]["error_msg"].is_string(), "{body}");
    assert!(acknowledged > 3, "some creates fit: {acknowledged}");
    let listed = export_ids(&limited).await;
    assert_eq!(listed.len(), acknowledged as usize, "the refused create is not listed");
    // Every provider refuses in its own envelope, and nothing of it shows either.
    let iotda = limited.post_json(IOTDA_TASKS, &iotda_body("b1")).await;
    let (status, body) = api_json(iotda).await;
    assert_eq!(status, 500, "{body}");
    assert!(body["error_code"].is_string() && body.get("error").is_none(), "flat IoTDA envelope: {body}");
    let cls = tencent_response(limited.tencent("CreateExport", &cls_body(10)).await).await;
    assert!(cls["Error"]["Code"].is_string(), "{cls}");
    let (_, iotda_listed) = api_json(limited.get(&format!("{IOTDA_TASKS}?resource_type=BatchTask")).await).await;
    assert_eq!(iotda_listed["page"]["count"], 0, "{iotda_listed}");
    let advanced = limited.post_json("/_mock/clock/advance", &json!({"seconds": 3600}).to_string()).await;
    assert_eq!(advanced.status(), 500);
    let text = std::fs::read_to_string(&path).expect("state file");
    assert!(text.ends_with('\n'), "the file ends with a complete line");
    assert_eq!(
        text.lines().count(),
        3 + acknowledged as usize,
        "header, reset, clock and one line per acknowledged create"
    );
    for line in text.lines() {
        serde_json::from_str::<Value>(line).expect("every line is whole");
    }
    drop(limited);

    let restarted = Server::start(&options);
    assert_eq!(export_ids(&restarted).await, listed, "every acknowledged task is back, with its id");
    let unstopped = Server::start(&[("--seed", "11")]);
    for day in 0..acknowledged {
        assert_eq!(unstopped.post_json(EXPORT_TASKS, &export_body(day)).await.status(), 200);
    }
    for server in [&restarted, &unstopped] {
        assert_eq!(server.post_json(EXPORT_TASKS, &export_body(99)).await.status(), 200);
    }
    assert_eq!(export_ids(&restarted).await, export_ids(&unstopped).await, "the next id is the one it would have been");
}

/// Runs the binary on a state file holding `text` and returns its stderr, asserting it refused
/// to start (non-zero exit, no URL printed) without a panic.
fn refused_start(name: &str, text: &str) -> String {
    let path = state_path(name);
    std::fs::write(&path, text).expect("write");
    let output = Command::new(env!("CARGO_BIN_EXE_export-desk"))
        .args(["--port", "0", "--log", "off", "--state", path.to_str().expect("UTF-8")])
        .stdin(Stdio::null())
        .output()
        .expect("run the binary");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!output.status.success(), "{name}: it must not start: {stderr}");
    assert!(output.status.code().is_some(), "{name}: it exits, not killed by a signal: {stderr}");
    assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    assert!(!String::from_utf8_lossy(&output.stdout).contains("listening"), "{name}: it must not serve");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), text, "{name}: the file is left alone");
    stderr
}

#[test]
fn options_or_changes_out_of_range_stop_the_start_naming_the_line_without_a_panic() {
    let header = |field: &str, value: Value| {
        let mut header = json!({"format": "export-desk-mock-state/1", "seed": 1, "demo_tasks": 3,
            "task_duration_ms": 20000, "fail_rate": 0.1});
        header[field] = value;
        format!("{header}\n")
    };
    for (field, value) in [
        ("fail_rate", json!(7.5)),
        ("demo_tasks", json!(u64::MAX)),
        ("task_duration_ms", json!(i64::MAX)),
        ("task_duration_ms", json!(-5)),
    ] {
        let stderr = refused_start(field, &header(field, value));
        assert!(stderr.contains("line 1") && stderr.contains(field), "{field}: {stderr}");
    }
    let good = header("seed", json!(1));
    let reset = "{\"at_ms\":1800000000000,\"part\":\"reset\",\"change\":{\"seed\":1,\"demo_tasks\":2}}\n";
    for (name, third, mentions) in [
        ("huge reset", "{\"at_ms\":1800000000000,\"part\":\"reset\",\"change\":{\"seed\":1,\"demo_tasks\":18446744073709551615}}", "demo tasks"),
        ("negative speed", "{\"at_ms\":1800000000000,\"part\":\"clock\",\"change\":{\"wall_ms\":1800000000000,\"mock_ms\":1800000000000,\"speed\":-1.0}}", "speed"),
        ("endless speed", "{\"at_ms\":1800000000000,\"part\":\"clock\",\"change\":{\"wall_ms\":1800000000000,\"mock_ms\":1800000000000,\"speed\":1e300}}", "speed"),
        ("endless time", "{\"at_ms\":9223372036854775807,\"part\":\"clock\",\"change\":{\"wall_ms\":0,\"mock_ms\":0,\"speed\":1.0}}", "mock time"),
        ("broken CLS export", "{\"at_ms\":1800000000000,\"part\":\"cls\",\"change\":{\"create\":{\"count\":0,\"derived_fields\":null,\"format\":\"json\",\"from_ms\":5,\"order\":\"desc\",\"query\":\"*\",\"syntax_rule\":\"1\",\"to_ms\":1,\"topic_id\":\"2f6c1d3e-8a47-4b9e-9c21-5d7e3f4a6b80\"}}}", "CLS"),
        ("unknown part", "{\"at_ms\":1800000000000,\"part\":\"elsewhere\",\"change\":1}", "elsewhere"),
    ] {
        let stderr = refused_start(name, &format!("{good}{reset}{third}\n"));
        assert!(stderr.contains("line 3") && stderr.contains(mentions), "{name}: {stderr}");
    }
}

/// With a small `--state-max-bytes`, a busy mock's file is compacted to what the stores hold:
/// it stays under the bound however many changes are made, and a restart from it rebuilds every
/// task of every store and goes on with the ids a server that never stopped would give.
#[tokio::test]
async fn compaction_bounds_the_file_and_keeps_every_task_and_the_next_ids() {
    let path = state_path("compaction");
    let state = path.to_str().expect("UTF-8").to_owned();
    let max_bytes = 24 * 1024;
    let options = [("--state", state.as_str()), ("--demo-tasks", "3"), ("--seed", "11"), ("--state-max-bytes", "24k")];
    // The same changes, many times over: a task replaced (IoTDA's same conditions) and the clock
    // moved, so what the stores hold stays small while the log of it would grow without end.
    async fn churn(server: &Server) {
        make_changes(server).await;
        for _ in 0..80 {
            assert_eq!(server.post_json(IOTDA_TASKS, &iotda_body("b2")).await.status(), 201, "replaces b2");
            advance(server, 60).await;
        }
    }
    let first = Server::start(&options);
    let mut largest = 0;
    for _ in 0..3 {
        churn(&first).await;
        largest = largest.max(std::fs::metadata(&path).expect("state file").len());
    }
    let changes = 3 * (12 + 80 * 2);
    assert!(largest <= max_bytes, "{changes} changes, yet the file stays under the bound: {largest} bytes");
    let before = snapshot(&first).await;
    drop(first);

    let second = Server::start(&options);
    assert_eq!(snapshot(&second).await, before, "every task as it was: ids, names, times, statuses");
    let unstopped = Server::start(&[("--demo-tasks", "3"), ("--seed", "11")]);
    for _ in 0..3 {
        churn(&unstopped).await;
    }
    for server in [&second, &unstopped] {
        assert_eq!(server.post_json(EXPORT_TASKS, &export_body(9)).await.status(), 200);
        assert_eq!(server.post_json(REFRESH_TASKS, &refresh_body("b.js")).await.status(), 200);
        assert_eq!(server.post_json(IOTDA_TASKS, &iotda_body("b9")).await.status(), 201);
        create_cls_export(server, 5).await;
    }
    assert_eq!(ids(&snapshot(&second).await), ids(&snapshot(&unstopped).await), "the next ids agree too");
}
