//! Real-HTTP tests of the `export-desk` binary in mock mode.
//!
//! Each test starts its own server process on a free port (with a temporary dashboard folder
//! holding a marker `index.html`), talks to it with `reqwest` and kills it when done. Covered:
//!
//! - the lifecycle of a CDN statistics export task (create, list, `processing` → `success`/`fail`);
//! - the CSV behind a download link, and links that name no file;
//! - CreateExportTask's validation errors and ListExportTasks' paging errors, in CDN's envelope;
//! - ListExportTasks' paging, ordering and filters;
//! - the gateway's 404 for unknown API paths and methods;
//! - `/_desk/config`, the dashboard's pages and client routes, and a missing dashboard;
//! - deterministic demo tasks per seed.
//!
//! Every API answer is checked for an `X-Request-Id` of 32 lower-case hex digits.

mod support;

use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::time::{Duration, Instant};
use support::*;

const EXPORT_TASKS: &str = "/v1/cdn/statistics/export-tasks";
const FILES: &str = "/_mock/files/cdn-stats";
const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;
/// 2025-11-24T00:00Z, a midnight, so hourly buckets line up with the span.
const START_MS: i64 = 1_763_942_400_000;
/// How long a test waits for a task to finish before giving up.
const FINISH_TIMEOUT: Duration = Duration::from_secs(15);

// ---------------------------------------------------------------------------------------------
// Statistics export calls
// ---------------------------------------------------------------------------------------------

impl Server {
    /// CreateExportTask with a raw body, as a client would send it.
    async fn post_raw(&self, body: &str) -> reqwest::Response {
        self.post_json(EXPORT_TASKS, body).await
    }

    /// CreateExportTask; asserts the documented answer: 200 with `{}`.
    async fn create(&self, body: &Value) {
        let (status, answer) = api_json(self.post_raw(&body.to_string()).await).await;
        assert_eq!(status, StatusCode::OK, "create {body} answered {answer}");
        assert_eq!(answer, json!({}));
    }

    /// Creates a task and returns it as the list shows it. The answer carries no id (as on the
    /// real API), so the new task is the one the list did not hold before.
    async fn create_task(&self, body: &Value) -> Value {
        let before: HashSet<String> = task_ids(&self.list("limit=100").await).into_iter().collect();
        self.create(body).await;
        let after = self.list("limit=100").await;
        let mut new = tasks(&after).iter().filter(|task| !before.contains(task["task_id"].as_str().unwrap()));
        let task = new.next().expect("the created task is listed").clone();
        assert!(new.next().is_none(), "one create made one task: {after}");
        task
    }

    /// ListExportTasks with a raw query string; asserts a 200 with a well-formed page.
    async fn list(&self, query: &str) -> Value {
        let (status, page) = api_json(self.get(&format!("{EXPORT_TASKS}?{query}")).await).await;
        assert_eq!(status, StatusCode::OK, "list ?{query} answered {page}");
        assert!(page["total"].is_u64(), "total is a count: {page}");
        for task in tasks(&page) {
            assert_task_shape(task);
        }
        page
    }

    /// The task with this id, via the `task_id` filter.
    async fn task(&self, id: &str) -> Value {
        let page = self.list(&format!("task_id={id}")).await;
        assert_eq!(page["total"], 1, "task {id} is listed once: {page}");
        tasks(&page)[0].clone()
    }

    /// Polls until the task is no longer `processing`, and returns it.
    async fn wait_until_finished(&self, id: &str) -> Value {
        let deadline = Instant::now() + FINISH_TIMEOUT;
        loop {
            let task = self.task(id).await;
            if task["status"] != "processing" {
                return task;
            }
            assert!(Instant::now() < deadline, "task {id} still processing after {FINISH_TIMEOUT:?}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers for requests and answers
// ---------------------------------------------------------------------------------------------

/// A valid CreateExportTask body (reports_detail, two domains, one day at 3600 s, English),
/// with `changes` applied: a `null` value removes the field.
fn export_body(changes: Value) -> Value {
    let mut body = json!({
        "action": "reports_detail",
        "domain_name": "a.example.com,b.example.com",
        "start_time": START_MS,
        "end_time": START_MS + DAY_MS,
        "interval": 3600,
        "language": "en",
    });
    let fields = body.as_object_mut().unwrap();
    for (key, value) in changes.as_object().expect("changes are an object") {
        if value.is_null() {
            fields.remove(key);
        } else {
            fields.insert(key.clone(), value.clone());
        }
    }
    body
}

/// The documented fields of a listed task, with the types and shapes they must have.
fn assert_task_shape(task: &Value) {
    let id = task["task_id"].as_str().unwrap_or_default();
    assert!(is_hex_id(id), "task_id is 32 lower-case hex digits: {task}");
    assert!(task["task_name"].as_str().is_some_and(|n| !n.is_empty()), "task_name: {task}");
    assert!(task["create_time"].is_i64() && task["update_time"].is_i64(), "times are integers: {task}");
    assert!(task["update_time"].as_i64() >= task["create_time"].as_i64(), "updated after created: {task}");
    let status = task["status"].as_str().unwrap_or_default();
    assert!(["processing", "success", "fail"].contains(&status), "status: {task}");
    assert_eq!(task.get("download_link").is_some(), status == "success", "a link exactly when succeeded: {task}");
}

fn tasks(page: &Value) -> &[Value] {
    page["data"].as_array().map(Vec::as_slice).expect("data is an array")
}

fn task_ids(page: &Value) -> Vec<String> {
    tasks(page).iter().map(|task| task["task_id"].as_str().unwrap().to_owned()).collect()
}

/// A CSV body's lines, without the byte-order mark and the final line break.
fn csv_lines(body: &[u8]) -> Vec<String> {
    let body = body.strip_prefix("\u{feff}".as_bytes()).unwrap_or(body);
    let text = std::str::from_utf8(body).expect("the CSV is UTF-8");
    text.split("\r\n").filter(|line| !line.is_empty()).map(str::to_owned).collect()
}

// ---------------------------------------------------------------------------------------------
// Task lifecycle
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_created_task_is_processing_then_succeeds_with_a_download_link() {
    // Long enough that the task is surely still running when first listed.
    let server = Server::start(&[("--task-duration", "2s")]);
    let task = server.create_task(&export_body(json!({}))).await;

    assert_eq!(task["status"], "processing", "{task}");
    assert_eq!(task["task_name"], "reports_detail_flux_20251124T0000Z-20251125T0000Z_3600s");
    assert_eq!(task["create_time"], task["update_time"], "not modified since created: {task}");
    assert!(task.get("download_link").is_none(), "no link while processing: {task}");
    let id = task["task_id"].as_str().unwrap();
    let file = format!("{FILES}/{id}/{}.csv", task["task_name"].as_str().unwrap());
    assert_eq!(server.download(&server.url(&file)).await.status(), StatusCode::NOT_FOUND, "no file yet");

    let done = server.wait_until_finished(id).await;
    assert_eq!(done["status"], "success", "{done}");
    assert_eq!(done["task_id"], task["task_id"]);
    assert_eq!(done["create_time"], task["create_time"], "creation time never changes");
    assert!(done["update_time"].as_i64() > done["create_time"].as_i64(), "finishing updates the task: {done}");
    let link = done["download_link"].as_str().expect("a succeeded task has a link");
    assert_eq!(link, server.url(&file), "an absolute http link on the same host");
}

#[tokio::test]
async fn with_fail_rate_1_tasks_fail_without_a_download_link() {
    let server = Server::start(&[("--fail-rate", "1")]);
    let task = server.create_task(&export_body(json!({}))).await;
    let id = task["task_id"].as_str().unwrap();

    let done = server.wait_until_finished(id).await;
    assert_eq!(done["status"], "fail", "{done}");
    assert!(done.get("download_link").is_none(), "a failed task has no file: {done}");
    assert!(done["update_time"].as_i64() > done["create_time"].as_i64(), "failing updates the task: {done}");
    let file = format!("{FILES}/{id}/{}.csv", done["task_name"].as_str().unwrap());
    assert_eq!(server.download(&server.url(&file)).await.status(), StatusCode::NOT_FOUND);
}

// ---------------------------------------------------------------------------------------------
// Downloads
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_download_link_serves_a_csv_matching_the_request() {
    let server = Server::start(&[]);
    let cases = [
        ("summed over domains", export_body(json!({})), "Time (UTC),Traffic (Byte)", 24),
        ("grouped by domain", export_body(json!({"group_by": "domain"})), "Time (UTC),Domain,Traffic (Byte)", 48),
    ];
    for (case, body, heading, rows) in cases {
        let task = server.create_task(&body).await;
        let done = server.wait_until_finished(task["task_id"].as_str().unwrap()).await;
        let link = done["download_link"].as_str().unwrap_or_else(|| panic!("{case}: no link in {done}"));

        let answer = server.download(link).await;
        assert_eq!(answer.status(), StatusCode::OK, "{case}");
        assert_eq!(header(answer.headers(), CONTENT_TYPE.as_str()), "text/csv; charset=utf-8", "{case}");
        let file = link.rsplit('/').next().unwrap();
        assert!(file.ends_with(".csv"), "{case}: {file}");
        assert_eq!(
            header(answer.headers(), CONTENT_DISPOSITION.as_str()),
            format!("attachment; filename=\"{file}\""),
            "{case}"
        );
        let first = answer.bytes().await.expect("CSV body");

        let lines = csv_lines(&first);
        assert_eq!(lines[0], heading, "{case}");
        assert_eq!(lines.len() - 1, rows, "{case}: one row per hour (and domain): {lines:#?}");
        assert!(lines[1].starts_with("2025-11-24 00:00:00,"), "{case}: {}", lines[1]);
        assert!(lines[rows].starts_with("2025-11-24 23:00:00,"), "{case}: {}", lines[rows]);
        if case == "grouped by domain" {
            assert!(lines[1].contains(",a.example.com,") && lines[2].contains(",b.example.com,"), "{case}");
        }
        let columns = heading.split(',').count();
        assert!(lines[1..].iter().all(|line| line.split(',').count() == columns), "{case}: ragged rows");

        let again = server.download(link).await.bytes().await.expect("CSV body");
        assert_eq!(first, again, "{case}: the same task always downloads the same bytes");
    }
}

#[tokio::test]
async fn download_links_naming_no_file_are_not_found() {
    let server = Server::start(&[]);
    let task = server.create_task(&export_body(json!({}))).await;
    let id = task["task_id"].as_str().unwrap();
    let link = server.wait_until_finished(id).await["download_link"].as_str().unwrap().to_owned();
    let (dir, file) = link.rsplit_once('/').unwrap();

    let wrong_name = format!("{dir}/other.csv");
    let unknown_id = format!("{}/{}/{file}", server.url(FILES), "0".repeat(32));
    for (case, url) in [("wrong file name", &wrong_name), ("unknown task id", &unknown_id)] {
        let answer = server.download(url).await;
        assert_eq!(answer.status(), StatusCode::NOT_FOUND, "{case}: {url}");
    }
    assert_eq!(server.download(&link).await.status(), StatusCode::OK, "the real link still works");
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn invalid_create_requests_get_cdn_error_envelope() {
    let server = Server::start(&[]);
    let end = START_MS + DAY_MS;
    let json_cases: [(&str, Value, &str); 9] = [
        ("missing action", export_body(json!({"action": null})), "action"),
        ("unknown action", export_body(json!({"action": "reports"})), "action"),
        ("interval 60", export_body(json!({"interval": 60})), "interval"),
        (
            "5-minute data over 91 days",
            export_body(json!({"start_time": end - 91 * DAY_MS, "interval": 300})),
            "interval",
        ),
        ("country with carrier data", export_body(json!({"action": "isp_detail", "country": "cn"})), "country"),
        ("country with top URLs", export_body(json!({"action": "top_url_detail", "country": "cn"})), "country"),
        ("start equals end", export_body(json!({"start_time": end, "end_time": end})), "end_time"),
        ("start after end", export_body(json!({"start_time": end, "end_time": START_MS})), "end_time"),
        ("interval as a string", export_body(json!({"interval": "300"})), "interval"),
    ];
    for (case, body, field) in json_cases {
        assert_invalid(server.post_raw(&body.to_string()).await, case, Some(field)).await;
    }

    // An array would fill the fields by position if the server let serde read it that way.
    let positional = json!(["reports_detail", "a.example.com", START_MS, end]).to_string();
    let raw_cases = [
        ("malformed JSON", "{nope", None),
        ("empty array", "[]", Some("object")),
        ("positional array", positional.as_str(), Some("object")),
        ("empty body", "", Some("object")),
        ("trailing garbage", r#"{"action":"uv"} x"#, None),
    ];
    for (case, body, mentions) in raw_cases {
        assert_invalid(server.post_raw(body).await, case, mentions).await;
    }

    let page = server.list("").await;
    assert_eq!(page["total"], 0, "no invalid request created a task: {page}");
}

#[tokio::test]
async fn invalid_paging_gets_cdn_error_envelope() {
    let server = Server::start(&[]);
    let cases = [
        ("limit=101", "limit"),
        ("limit=-1", "limit"),
        ("limit=abc", "limit"),
        ("offset=-1", "offset"),
        ("offset=1.5", "offset"),
    ];
    for (query, field) in cases {
        let answer = server.get(&format!("{EXPORT_TASKS}?{query}")).await;
        assert_invalid(answer, query, Some(field)).await;
    }
    assert_eq!(server.list("limit=100&offset=0").await["total"], 0, "the bounds themselves are fine");
}

// ---------------------------------------------------------------------------------------------
// Listing
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_pages_newest_first_with_the_total_of_all_tasks() {
    // Long tasks, so nothing changes between the calls below.
    let server = Server::start(&[("--demo-tasks", "30"), ("--task-duration", "10m")]);
    let all = server.list("limit=100").await;
    assert_eq!(all["total"], 30);
    let all = tasks(&all).to_vec();
    assert_eq!(all.len(), 30);
    let updates: Vec<i64> = all.iter().map(|task| task["update_time"].as_i64().unwrap()).collect();
    assert!(updates.windows(2).all(|w| w[0] >= w[1]), "newest update_time first: {updates:?}");
    let ids: HashSet<&str> = all.iter().map(|task| task["task_id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 30, "task ids are unique");

    let default_page = server.list("").await;
    assert_eq!(default_page["total"], 30);
    assert_eq!(tasks(&default_page), &all[..10], "the default page is the first 10");

    for (query, range) in [("limit=7&offset=5", 5..12), ("offset=25", 25..30), ("limit=100&offset=28", 28..30)] {
        let page = server.list(query).await;
        assert_eq!(page["total"], 30, "{query}: total counts every task");
        assert_eq!(tasks(&page), &all[range], "{query}");
    }
    for query in ["limit=0", "offset=30", "limit=5&offset=1000"] {
        let page = server.list(query).await;
        assert_eq!(page, json!({"total": 30, "data": []}), "{query}");
    }
}

#[tokio::test]
async fn list_filters_by_exact_task_id_and_case_insensitive_task_name() {
    let server = Server::start(&[("--demo-tasks", "30"), ("--task-duration", "10m")]);
    let all = server.list("limit=100").await;
    let all = tasks(&all).to_vec();

    let wanted = &all[17];
    let id = wanted["task_id"].as_str().unwrap();
    let page = server.list(&format!("task_id={id}")).await;
    assert_eq!(page, json!({"total": 1, "data": [wanted]}), "exactly that task");
    let prefix = &id[..8];
    let page = server.list(&format!("task_id={prefix}")).await;
    assert_eq!(page, json!({"total": 0, "data": []}), "task_id matches exactly, not as a prefix");
    let page = server.list(&format!("task_id={}", "f".repeat(32))).await;
    assert_eq!(page, json!({"total": 0, "data": []}), "unknown id");

    let top_lists: Vec<&Value> =
        all.iter().filter(|task| task["task_name"].as_str().unwrap().contains("top_")).collect();
    assert!(!top_lists.is_empty() && top_lists.len() < all.len(), "seed 1 makes a mix of exports");
    let page = server.list("task_name=TOP_&limit=100").await;
    assert_eq!(page["total"], top_lists.len(), "{page}");
    let found: Vec<&Value> = tasks(&page).iter().collect();
    assert_eq!(found, top_lists, "only matching names, in list order");

    let page = server.list("task_name=TOP_&limit=2&offset=1").await;
    assert_eq!(page["total"], top_lists.len(), "paging a filtered list keeps its total");
    assert_eq!(tasks(&page).iter().collect::<Vec<_>>(), top_lists[1..3.min(top_lists.len())]);

    let page = server.list("task_name=no-such-export").await;
    assert_eq!(page, json!({"total": 0, "data": []}));
}

// ---------------------------------------------------------------------------------------------
// The rest of the origin
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn unknown_api_paths_and_methods_get_the_gateway_404() {
    let server = Server::start(&[]);
    let cases = [
        (Method::GET, "/v1/cdn/nope"),
        (Method::DELETE, EXPORT_TASKS),
        (Method::PUT, EXPORT_TASKS),
        (Method::POST, "/_mock/files/cdn-stats/x/y.csv"),
        (Method::GET, "/v1.0/x"),
        (Method::GET, "/v5/x"),
    ];
    for (method, path) in cases {
        let case = format!("{method} {path}");
        assert_no_such_api(server.request(method, path).await, &case).await;
    }
}

#[tokio::test]
async fn desk_config_reports_mock_mode_with_cdn_stats_enabled() {
    let server = Server::start(&[]);
    let (status, config) = api_json(server.get("/_desk/config").await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(config["mode"], "mock", "{config}");
    assert!(config["version"].as_str().is_some_and(|v| !v.is_empty()), "{config}");
    assert_eq!(config["providers"]["cdn_stats"], json!({"enabled": true}), "{config}");
    // The dashboard's IoTDA calls go to the project the demo tasks live in.
    let demo_project = export_desk_model::huawei_iotda::DEMO_PROJECT_ID;
    assert_eq!(config["providers"]["iotda_project"], json!({"project_id": demo_project}), "{config}");
}

#[tokio::test]
async fn the_dashboard_is_served_for_its_pages_and_client_routes() {
    let server = Server::start(&[]);
    for path in ["/", "/cdn/stats?offset=10", "/cdn/stats"] {
        let answer = server.get(path).await;
        assert_eq!(answer.status(), StatusCode::OK, "{path}");
        assert!(header(answer.headers(), CONTENT_TYPE.as_str()).starts_with("text/html"), "{path}");
        assert!(answer.text().await.unwrap().contains(MARKER), "{path} serves the dashboard's index.html");
    }
    assert_eq!(server.get("/missing.js").await.status(), StatusCode::NOT_FOUND, "a missing file stays missing");
}

#[tokio::test]
async fn the_deployment_file_is_the_dashboards_own_or_an_empty_one() {
    let server = Server::start(&[]);
    let answer = server.get("/export-desk.json").await;
    assert_eq!(answer.status(), StatusCode::OK, "no file in the dashboard's folder: the defaults, not a 404");
    assert!(header(answer.headers(), CONTENT_TYPE.as_str()).starts_with("application/json"));
    assert_eq!(answer.json::<Value>().await.unwrap(), json!({}));

    let deployed = r#"{"time_zone": "utc"}"#;
    std::fs::write(server.dist.join("export-desk.json"), deployed).unwrap();
    let answer = server.get("/export-desk.json").await;
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(answer.text().await.unwrap(), deployed, "a deployment's own file is served as it is");
}

#[tokio::test]
async fn without_a_built_dashboard_pages_answer_503_but_the_api_works() {
    let missing = std::env::temp_dir().join(format!("export-desk-http-no-dist-{}", std::process::id()));
    let server = Server::start(&[("--dist", missing.to_str().unwrap())]);

    let answer = server.get("/").await;
    assert_eq!(answer.status(), StatusCode::SERVICE_UNAVAILABLE);
    let text = answer.text().await.unwrap();
    let index = missing.join("index.html");
    assert!(text.contains(index.to_str().unwrap()), "the message names the missing file: {text}");

    server.create(&export_body(json!({}))).await;
    assert_eq!(server.list("").await["total"], 1);
}

#[tokio::test]
async fn demo_tasks_are_the_same_for_the_same_seed() {
    // Tasks run long, so the newest demo tasks are still running while the test looks.
    let options = |seed| [("--seed", seed), ("--demo-tasks", "5"), ("--task-duration", "10m")];
    let first = Server::start(&options("7"));
    let second = Server::start(&options("7"));
    let other = Server::start(&options("8"));

    // Names and order depend on the clock's hour; the times themselves differ between servers.
    let summary = |page: &Value| -> Vec<(String, String, String)> {
        tasks(page)
            .iter()
            .map(|task| {
                let text = |key: &str| task[key].as_str().unwrap().to_owned();
                (text("task_id"), text("task_name"), text("status"))
            })
            .collect()
    };
    let first_page = first.list("").await;
    assert_eq!(first_page["total"], 5);
    let first_tasks = summary(&first_page);
    assert_eq!(first_tasks, summary(&second.list("").await), "same seed, same tasks");
    assert!(first_tasks.iter().any(|(_, _, status)| status == "processing"), "some still running: {first_tasks:?}");

    let other_ids: HashSet<String> = summary(&other.list("").await).into_iter().map(|(id, _, _)| id).collect();
    assert_eq!(other_ids.len(), 5);
    assert!(first_tasks.iter().all(|(id, _, _)| !other_ids.contains(id)), "another seed, other ids");
}
