//! Real-HTTP tests of the mock's Huawei IoTDA export tasks, each against its own `export-desk`
//! process (see `support`). Covered:
//!
//! - create (201, the task), progress climbing to 100 on the mock clock, `export_count` equal to
//!   the rows of the downloaded file, which is a valid zip holding the SpreadsheetML `.xls`;
//! - the documented rules: 5 unfinished tasks per user, 50 tasks per user (the oldest goes),
//!   same conditions replace the old task, one download per 30 s (with `Retry-After`);
//! - list paging by marker + offset, its bounds and filters; delete; per-user scoping by project
//!   and `Instance-Id`;
//! - every refusal in IoTDA's flat envelope with its code: malformed bodies, wrong types, bad
//!   queries and paths, unknown tasks; the gateway's 404 for APIs that do not exist;
//! - the admin API's view: operation names in the journal, forced errors in the flat envelope.
//!
//! Mock time moves only through `POST /_mock/clock/advance` here (the clock is slowed to a
//! standstill), so progress and the 30 s window are asserted exactly.

mod support;

use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::*;

const PROJECT: &str = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
const DEMO_PROJECT: &str = "0e7a6d2c9b8f4e1d8c3b5a7f6e2d1c0b";
/// Mock time stands still unless a test moves it.
const FROZEN: &str = "0.000001";
/// The `--task-duration` of these tests: every task finishes within 12.5 s of mock time.
const DURATION: &str = "10s";
const FINISH_MS: i64 = 13_000;

fn start(extra: &[(&str, &str)]) -> Server {
    let mut options = vec![("--speed", FROZEN), ("--task-duration", DURATION)];
    options.extend_from_slice(extra);
    Server::start(&options)
}

fn tasks_path(project: &str) -> String {
    format!("/v5/iot/{project}/export-tasks")
}

fn batch_body(batch_task_id: &str) -> Value {
    json!({"resource_type": "BatchTask", "resource_condition": {"task_id": batch_task_id}})
}

/// A batch task id for `n`, 24 lower-case hex digits.
fn batch_id(n: usize) -> String {
    format!("{n:024x}")
}

impl Server {
    /// A call as the SDK makes it: JSON content type (even without a body), optional instance.
    async fn iotda(&self, method: Method, path: &str, body: Option<&str>, instance: Option<&str>) -> reqwest::Response {
        let mut request =
            self.http.request(method, self.url(path)).header(CONTENT_TYPE, "application/json;charset=utf-8");
        if let Some(instance) = instance {
            request = request.header("Instance-Id", instance);
        }
        if let Some(body) = body {
            request = request.body(body.to_owned());
        }
        request.send().await.expect("request reaches the server")
    }

    /// Creates a task that must be accepted; the task.
    async fn create_in(&self, project: &str, instance: Option<&str>, body: &Value) -> Value {
        let answer = self.iotda(Method::POST, &tasks_path(project), Some(&body.to_string()), instance).await;
        let (status, task) = api_json(answer).await;
        assert_eq!(status, StatusCode::CREATED, "{body}: {task}");
        assert_task_shape(&task);
        task
    }

    async fn create(&self, body: &Value) -> Value {
        self.create_in(PROJECT, None, body).await
    }

    async fn list_in(&self, project: &str, instance: Option<&str>, query: &str) -> Value {
        let path = format!("{}?{query}", tasks_path(project));
        let (status, page) = api_json(self.iotda(Method::GET, &path, None, instance).await).await;
        assert_eq!(status, StatusCode::OK, "?{query}: {page}");
        let keys: Vec<&String> = page.as_object().expect("an object").keys().collect();
        assert_eq!(keys, ["export_tasks", "page"], "{page}");
        page["export_tasks"].as_array().expect("export_tasks").iter().for_each(assert_task_shape);
        assert!(page["page"]["count"].is_u64(), "{page}");
        page
    }

    async fn list(&self, query: &str) -> Value {
        self.list_in(PROJECT, None, query).await
    }

    async fn file(&self, project: &str, id: &str) -> reqwest::Response {
        self.iotda(Method::GET, &format!("{}/{id}/file", tasks_path(project)), None, None).await
    }

    async fn delete_task(&self, project: &str, id: &str) -> reqwest::Response {
        self.iotda(Method::DELETE, &format!("{}/{id}", tasks_path(project)), None, None).await
    }

    async fn advance(&self, ms: i64) {
        let answer = self.post_json("/_mock/clock/advance", &json!({ "ms": ms }).to_string()).await;
        assert_eq!(answer.status(), StatusCode::OK);
    }
}

fn ids(page: &Value) -> Vec<String> {
    page["export_tasks"].as_array().unwrap().iter().map(|t| t["export_task_id"].as_str().unwrap().to_owned()).collect()
}

fn find<'a>(page: &'a Value, id: &str) -> &'a Value {
    page["export_tasks"].as_array().unwrap().iter().find(|t| t["export_task_id"] == id).expect("listed")
}

/// Every field the SDK's `ExportTask` has, with its documented type and range.
fn assert_task_shape(task: &Value) {
    let id = task["export_task_id"].as_str().unwrap_or_default();
    assert!(id.len() == 24 && id.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f')), "24 hex id: {task}");
    assert_eq!(task["resource_type"], "BatchTask", "{task}");
    assert!(task["resource_condition"]["task_id"].is_string(), "{task}");
    assert_eq!(task["export_format"], "xls", "{task}");
    let status = task["status"].as_str().unwrap_or_default();
    assert!(["Processing", "Success", "Failed"].contains(&status), "{task}");
    let progress = task["progress"].as_u64().expect("progress");
    assert!((1..=100).contains(&progress), "{task}");
    assert_eq!(progress == 100, status == "Success", "{task}");
    assert!(task["export_count"].is_u64(), "{task}");
    assert!(is_iotda_time(&task["create_time"]), "{task}");
    assert_eq!(task.get("end_time").is_some(), status != "Processing", "end_time once finished: {task}");
    if let Some(end) = task.get("end_time") {
        assert!(is_iotda_time(end) && end.as_str() >= task["create_time"].as_str(), "{task}");
    }
    assert!(["GLOBAL", "APP"].contains(&task["app_type"].as_str().unwrap_or_default()), "{task}");
}

/// `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`.
fn is_iotda_time(value: &Value) -> bool {
    let Some(text) = value.as_str() else { return false };
    let pattern = "dddd-dd-ddTdd:dd:dd.dddZ";
    text.len() == pattern.len()
        && text.chars().zip(pattern.chars()).all(|(c, p)| if p == 'd' { c.is_ascii_digit() } else { c == p })
}

/// Asserts IoTDA's flat envelope, exactly, with `status` and `code`; returns the message.
async fn assert_iotda_error(
    answer: reqwest::Response,
    status: StatusCode,
    code: &str,
    case: &str,
    mentions: &str,
) -> String {
    let (got, body) = api_json(answer).await;
    assert_eq!(got, status, "{case}: {body}");
    let keys: Vec<&String> = body.as_object().map(|o| o.keys().collect()).unwrap_or_default();
    assert_eq!(keys, ["error_code", "error_msg"], "{case}: flat envelope: {body}");
    assert_eq!(body["error_code"], code, "{case}: {body}");
    let message = body["error_msg"].as_str().unwrap_or_default().to_owned();
    assert!(message.contains(mentions), "{case}: error_msg should mention `{mentions}`: {message}");
    message
}

// ---------------------------------------------------------------------------------------------
// Lifecycle and the file
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_task_is_created_with_201_and_its_progress_climbs_to_100() {
    let server = start(&[]);
    let task = server.create(&batch_body("5f1a2b3c4d5e6f7a8b9c0d1e")).await;
    assert_eq!(task["status"], "Processing");
    assert_eq!((task["progress"].as_u64(), task["export_count"].as_u64()), (Some(1), Some(0)));
    assert_eq!(task["resource_condition"], json!({"task_id": "5f1a2b3c4d5e6f7a8b9c0d1e"}));
    assert_eq!(task["app_type"], "GLOBAL");
    assert!(task.get("app_id").is_none(), "{task}");
    let id = task["export_task_id"].as_str().unwrap();

    let mut last = (1, 0);
    let mut seen_midway = false;
    let finished = loop {
        server.advance(1_000).await;
        let page = server.list("resource_type=BatchTask").await;
        let now = find(&page, id).clone();
        let current = (now["progress"].as_u64().unwrap(), now["export_count"].as_u64().unwrap());
        assert!(current >= last, "progress and count never go back: {last:?} then {now}");
        last = current;
        if now["status"] == "Success" {
            break now;
        }
        seen_midway |= current.0 > 1 && current.0 < 100 && current.1 > 0;
    };
    assert!(seen_midway, "progress is seen between 1 and 100");
    assert_eq!(finished["progress"], 100);
    assert!(finished["export_count"].as_u64().unwrap() > 0);
    assert!(finished["end_time"].as_str().unwrap() > finished["create_time"].as_str().unwrap());
}

/// The entries of a zip, read by hand from its end record and central directory, each checked
/// against its local header and its CRC-32.
fn unzip(archive: &[u8]) -> Vec<(String, Vec<u8>)> {
    let u16_at = |at: usize| u16::from_le_bytes([archive[at], archive[at + 1]]) as usize;
    let u32_at = |at: usize| u32::from_le_bytes(archive[at..at + 4].try_into().unwrap()) as usize;
    assert_eq!(&archive[..4], b"PK\x03\x04", "starts with a local file header");
    let end = archive.len() - 22;
    assert_eq!(u32_at(end), 0x0605_4b50, "ends with the end-of-central-directory record");
    let (count, mut at) = (u16_at(end + 10), u32_at(end + 16));
    let mut entries = Vec::new();
    for _ in 0..count {
        assert_eq!(u32_at(at), 0x0201_4b50, "central directory entry");
        assert_eq!(u16_at(at + 10), 0, "stored");
        let (crc, size, name_len, local) = (u32_at(at + 16), u32_at(at + 24), u16_at(at + 28), u32_at(at + 42));
        let name = String::from_utf8(archive[at + 46..at + 46 + name_len].to_vec()).unwrap();
        assert_eq!(u32_at(local), 0x0403_4b50, "local header of {name}");
        assert_eq!((u32_at(local + 14), u32_at(local + 22)), (crc, size), "local header agrees: {name}");
        let data_at = local + 30 + u16_at(local + 26) + u16_at(local + 28);
        let data = archive[data_at..data_at + size].to_vec();
        assert_eq!(crc32(&data) as usize, crc, "CRC-32 of {name}");
        entries.push((name, data));
        at += 46 + name_len + u16_at(at + 30) + u16_at(at + 32);
    }
    entries
}

/// Bit by bit, unlike the server's table: the two must agree independently.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xedb8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// Python's `zipfile`, when installed, as a second opinion: it checks every CRC on its own.
fn python_testzip(archive: &[u8]) -> Option<String> {
    let path = std::env::temp_dir().join(format!("iotda-{}-{:x}.zip", std::process::id(), crc32(archive)));
    std::fs::write(&path, archive).unwrap();
    let script = "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint(','.join(z.namelist()))";
    let output = std::process::Command::new("python3").args(["-c", script]).arg(&path).output();
    let _ = std::fs::remove_file(&path);
    match output {
        Ok(output) => {
            assert!(output.status.success(), "python zipfile: {}", String::from_utf8_lossy(&output.stderr));
            Some(String::from_utf8_lossy(&output.stdout).trim().to_owned())
        }
        Err(_) => {
            eprintln!("python3 not found: the zip is checked by the test's own reader only");
            None
        }
    }
}

#[tokio::test]
async fn the_download_is_a_zip_holding_the_xls_with_export_count_rows() {
    let server = start(&[]);
    let batch = "0123456789abcdef01234567";
    let id = server.create(&batch_body(batch)).await["export_task_id"].as_str().unwrap().to_owned();
    server.advance(FINISH_MS).await;
    let task = find(&server.list("resource_type=BatchTask").await, &id).clone();
    assert_eq!(task["status"], "Success");

    let answer = server.file(PROJECT, &id).await;
    assert_eq!(answer.status(), StatusCode::OK);
    assert_request_id(answer.headers());
    assert_eq!(header(answer.headers(), CONTENT_TYPE.as_str()), "application/zip");
    assert_eq!(header(answer.headers(), CONTENT_DISPOSITION.as_str()), format!("attachment; filename=\"{id}.zip\""));
    let archive = answer.bytes().await.unwrap().to_vec();

    let entries = unzip(&archive);
    assert_eq!(entries.len(), 1);
    let (name, data) = &entries[0];
    assert_eq!(name, &format!("BatchTask_{batch}.xls"));
    if let Some(names) = python_testzip(&archive) {
        assert_eq!(&names, name);
    }
    let xml = String::from_utf8(data.clone()).expect("UTF-8");
    assert!(xml.starts_with("<?xml") && xml.contains("<?mso-application progid=\"Excel.Sheet\"?>"), "SpreadsheetML");
    assert!(xml.contains("urn:schemas-microsoft-com:office:spreadsheet"));
    let rows = xml.matches("<Row").count() as u64;
    assert_eq!(rows, task["export_count"].as_u64().unwrap() + 1, "a heading, then one row per exported resource");
    assert!(xml.contains(">Device ID<") && xml.contains(">Success<"));

    // The same batch task exports the same rows, whichever task and download.
    server.advance(30_000).await;
    assert_eq!(server.file(PROJECT, &id).await.bytes().await.unwrap().to_vec(), archive);
}

#[tokio::test]
async fn downloads_are_limited_to_one_per_30_seconds_per_user_with_retry_after() {
    let server = start(&[]);
    let first = server.create(&batch_body("aa")).await["export_task_id"].as_str().unwrap().to_owned();
    let second = server.create(&batch_body("bb")).await["export_task_id"].as_str().unwrap().to_owned();

    let not_ready = server.file(PROJECT, &first).await;
    assert_iotda_error(not_ready, StatusCode::NOT_FOUND, "IOTDA.024003", "unfinished", "Processing").await;
    server.advance(FINISH_MS).await;
    assert_eq!(server.file(PROJECT, &first).await.status(), StatusCode::OK, "a refusal starts no window");

    server.advance(12_000).await;
    let too_soon = server.file(PROJECT, &second).await;
    assert_eq!(header(too_soon.headers(), RETRY_AFTER.as_str()), "18", "seconds left of the 30");
    let message = assert_iotda_error(too_soon, StatusCode::FORBIDDEN, "IOTDA.021101", "too soon", "30 seconds").await;
    assert!(message.contains("Try again in 18 s"), "{message}");

    let other_user = server.create_in("otherproject", None, &batch_body("aa")).await;
    server.advance(FINISH_MS).await; // 25 s after the first download
    let other_id = other_user["export_task_id"].as_str().unwrap();
    assert_eq!(server.file("otherproject", other_id).await.status(), StatusCode::OK, "the limit is per user");
    let still = server.file(PROJECT, &second).await;
    assert_eq!(header(still.headers(), RETRY_AFTER.as_str()), "5");
    server.advance(5_000).await;
    assert_eq!(server.file(PROJECT, &second).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_failed_task_stops_partway_and_has_no_file() {
    let server = start(&[("--fail-rate", "1")]);
    let id = server.create(&batch_body("ab")).await["export_task_id"].as_str().unwrap().to_owned();
    server.advance(FINISH_MS).await;
    let task = find(&server.list("resource_type=BatchTask").await, &id).clone();
    assert_eq!(task["status"], "Failed");
    assert!(task["progress"].as_u64().unwrap() < 100 && task["end_time"].is_string(), "{task}");
    let answer = server.file(PROJECT, &id).await;
    assert_iotda_error(answer, StatusCode::NOT_FOUND, "IOTDA.024004", "failed", "failed").await;
}

// ---------------------------------------------------------------------------------------------
// The documented per-user rules
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn at_most_five_unfinished_tasks_per_user() {
    let server = start(&[]);
    let mut created = Vec::new();
    for n in 0..5 {
        created.push(server.create(&batch_body(&batch_id(n))).await);
    }
    let sixth =
        server.iotda(Method::POST, &tasks_path(PROJECT), Some(&batch_body(&batch_id(5)).to_string()), None).await;
    let message = assert_iotda_error(sixth, StatusCode::FORBIDDEN, "IOTDA.024002", "sixth", "at most 5").await;
    assert!(message.contains("5 are running"), "{message}");

    // Another user (project, or instance of the same project) has its own five.
    server.create_in("otherproject", None, &batch_body(&batch_id(5))).await;
    server.create_in(PROJECT, Some("instance-b"), &batch_body(&batch_id(5))).await;
    // The same conditions as a running task replace it, so the count stays at five.
    let replacement = server.create(&batch_body(&batch_id(0))).await;
    assert_ne!(replacement["export_task_id"], created[0]["export_task_id"]);
    assert_eq!(server.list("resource_type=BatchTask").await["page"]["count"], 5);

    server.advance(FINISH_MS).await;
    server.create(&batch_body(&batch_id(5))).await;
}

#[tokio::test]
async fn the_51st_task_removes_the_oldest() {
    let server = start(&[]);
    let mut created = Vec::new();
    for n in 0..51 {
        if n % 5 == 0 {
            server.advance(FINISH_MS).await;
        }
        created.push(server.create(&batch_body(&batch_id(n))).await["export_task_id"].as_str().unwrap().to_owned());
    }
    let page = server.list("resource_type=BatchTask&limit=50").await;
    assert_eq!(page["page"]["count"], 50);
    let newest_first: Vec<String> = created[1..].iter().rev().cloned().collect();
    assert_eq!(ids(&page), newest_first);
    let gone = server.delete_task(PROJECT, &created[0]).await;
    assert_iotda_error(gone, StatusCode::NOT_FOUND, "IOTDA.024001", "evicted", &created[0]).await;
}

#[tokio::test]
async fn a_task_with_the_same_conditions_replaces_the_old_one_and_its_file() {
    let server = start(&[]);
    let body = json!({"resource_type": "BatchTask", "resource_condition": {"task_id": "abc"}, "app_type": "APP", "app_id": "app-1"});
    let old = server.create(&body).await["export_task_id"].as_str().unwrap().to_owned();
    let other_app = json!({"resource_type": "BatchTask", "resource_condition": {"task_id": "abc"}, "app_type": "APP", "app_id": "app-2"});
    let kept = server.create(&other_app).await["export_task_id"].as_str().unwrap().to_owned();
    server.advance(FINISH_MS).await;

    let new = server.create(&body).await;
    assert_eq!((new["status"].as_str(), new["app_id"].as_str()), (Some("Processing"), Some("app-1")));
    let new_id = new["export_task_id"].as_str().unwrap();
    assert!(new_id > old.as_str(), "the new task is the newest");
    let page = server.list("resource_type=BatchTask").await;
    assert_eq!(ids(&page), [new_id.to_owned(), kept], "the old task is gone, another app's task stays");
    let old_file = server.file(PROJECT, &old).await;
    assert_iotda_error(old_file, StatusCode::NOT_FOUND, "IOTDA.024001", "replaced", "replaced").await;
    let new_file = server.file(PROJECT, new_id).await;
    assert_iotda_error(new_file, StatusCode::NOT_FOUND, "IOTDA.024003", "re-running", "Processing").await;
}

// ---------------------------------------------------------------------------------------------
// Listing
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_list_pages_newest_first_by_marker_and_offset() {
    let server = start(&[]);
    let mut created = Vec::new();
    for n in 0..12 {
        if n % 5 == 0 {
            server.advance(FINISH_MS).await;
        }
        created.push(server.create(&batch_body(&batch_id(n))).await["export_task_id"].as_str().unwrap().to_owned());
    }
    let newest_first: Vec<String> = created.iter().rev().cloned().collect();

    let default = server.list("resource_type=BatchTask").await;
    assert_eq!(ids(&default), newest_first[..10], "10 by default");
    assert_eq!(default["page"], json!({"count": 12, "marker": newest_first[9]}));

    let first = server.list("resource_type=BatchTask&limit=5").await;
    assert_eq!(ids(&first), newest_first[..5]);
    let marker = first["page"]["marker"].as_str().unwrap();
    let second = server.list(&format!("resource_type=BatchTask&limit=5&marker={marker}")).await;
    assert_eq!(ids(&second), newest_first[5..10]);
    assert_eq!(second["page"]["count"], 12, "count is every match, whatever the marker");
    let upper = marker.to_ascii_uppercase();
    let skipped = server.list(&format!("resource_type=BatchTask&limit=5&marker={upper}&offset=5")).await;
    assert_eq!(ids(&skipped), newest_first[10..], "offset counts after the marker");

    let by_offset = server.list("resource_type=BatchTask&limit=1&offset=11").await;
    assert_eq!(ids(&by_offset), newest_first[11..]);
    let beyond = server.list("resource_type=BatchTask&limit=50&offset=500").await;
    assert_eq!(beyond["export_tasks"], json!([]));
    assert_eq!(beyond["page"], json!({"count": 12}), "no marker on an empty page");
    let from_top = server.list("resource_type=BatchTask&limit=50&marker=ffffffffffffffffffffffff").await;
    assert_eq!(ids(&from_top), newest_first);
    let below_all = server.list("resource_type=BatchTask&marker=000000000000000000000000").await;
    assert_eq!(below_all["export_tasks"], json!([]));
}

#[tokio::test]
async fn list_parameters_are_checked_with_iotdas_codes() {
    let server = start(&[]);
    let refused = |query: &'static str| {
        let server = &server;
        async move { server.iotda(Method::GET, &format!("{}?{query}", tasks_path(PROJECT)), None, None).await }
    };
    for query in
        ["resource_type=BatchTask&limit=0", "resource_type=BatchTask&limit=51", "resource_type=BatchTask&limit=ten"]
    {
        assert_iotda_error(refused(query).await, StatusCode::BAD_REQUEST, "IOTDA.000017", query, "limit").await;
    }
    server.list("resource_type=BatchTask&limit=1").await;
    server.list("resource_type=BatchTask&limit=50&offset=500").await;
    for (query, mentions) in [
        ("", "resource_type: is required"),
        ("limit=5", "resource_type"),
        ("resource_type=BatchTasks", "BatchTask"),
        ("resource_type=BatchTask&offset=501", "offset"),
        ("resource_type=BatchTask&offset=-1", "offset"),
        ("resource_type=BatchTask&marker=abc", "marker"),
        ("resource_type=BatchTask&marker=zzzzzzzzzzzzzzzzzzzzzzzz", "marker"),
        ("resource_type=BatchTask&app_type=app", "GLOBAL, APP"),
        ("resource_type=BatchTask&app_id=a%20b", "app_id"),
        ("resource_type=BatchTask&resource_condition=%7B%22task_id%22", "resource_condition"),
        ("resource_type=BatchTask&resource_condition=abc", "JSON object in a string"),
        ("resource_type=BatchTask&resource_condition=%7B%22x%22%3A%221%22%7D", "unknown key `x`"),
        ("resource_type=BatchTask&limit=0&offset=501", "offset"),
        ("resource_type=BatchTask&limit=5&limit=6", "duplicate field"),
    ] {
        assert_iotda_error(refused(query).await, StatusCode::BAD_REQUEST, "IOTDA.000006", query, mentions).await;
    }
}

#[tokio::test]
async fn the_list_filters_by_batch_task_and_app() {
    let server = start(&[]);
    let app = json!({"resource_type": "BatchTask", "resource_condition": {"task_id": "bb"}, "app_type": "APP", "app_id": "meters"});
    let default_app = json!({"resource_type": "BatchTask", "resource_condition": {"task_id": "cc"}, "app_type": "APP"});
    let tenant = server.create(&batch_body("aa")).await["export_task_id"].clone();
    let in_app = server.create(&app).await["export_task_id"].clone();
    let in_default_app = server.create(&default_app).await["export_task_id"].clone();

    let by_batch = server.list("resource_type=BatchTask&resource_condition=%7B%22task_id%22%3A%22aa%22%7D").await;
    assert_eq!(by_batch["export_tasks"].as_array().unwrap().len(), 1);
    assert_eq!(by_batch["export_tasks"][0]["export_task_id"], tenant);
    assert_eq!(by_batch["page"]["count"], 1);
    let all = server.list("resource_type=BatchTask&resource_condition=%7B%7D").await;
    assert_eq!(all["page"]["count"], 3, "tenant-wide by default, and {{}} filters nothing");
    let meters = server.list("resource_type=BatchTask&app_type=APP&app_id=meters").await;
    assert_eq!(
        meters["export_tasks"].as_array().unwrap().iter().map(|t| &t["export_task_id"]).collect::<Vec<_>>(),
        [&in_app]
    );
    assert_eq!(meters["export_tasks"][0]["app_id"], "meters");
    let default = server.list("resource_type=BatchTask&app_type=APP").await;
    assert_eq!(default["export_tasks"][0]["export_task_id"], in_default_app);
    assert_eq!(default["page"]["count"], 1);
    server.list("resource_type=BatchTask&unknown=1").await;
}

// ---------------------------------------------------------------------------------------------
// Users, delete, refusals
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn tasks_belong_to_a_project_and_instance() {
    let server = start(&[]);
    let id = server.create_in(PROJECT, Some("instance-a"), &batch_body("aa")).await["export_task_id"].clone();
    assert_eq!(server.list_in(PROJECT, Some("instance-a"), "resource_type=BatchTask").await["page"]["count"], 1);
    assert_eq!(server.list_in(PROJECT, None, "resource_type=BatchTask").await["page"]["count"], 0);
    assert_eq!(server.list_in(PROJECT, Some("instance-b"), "resource_type=BatchTask").await["page"]["count"], 0);
    assert_eq!(server.list_in("another", Some("instance-a"), "resource_type=BatchTask").await["page"]["count"], 0);
    let elsewhere = server.delete_task(PROJECT, id.as_str().unwrap()).await;
    assert_iotda_error(elsewhere, StatusCode::NOT_FOUND, "IOTDA.024001", "other instance", "does not exist").await;

    let mismatch = server
        .http
        .get(server.url(&format!("{}?resource_type=BatchTask", tasks_path(PROJECT))))
        .header("X-Project-Id", "someoneelse")
        .send()
        .await
        .unwrap();
    assert_iotda_error(mismatch, StatusCode::BAD_REQUEST, "IOTDA.000006", "X-Project-Id", "X-Project-Id").await;
    let unset =
        server.iotda(Method::GET, "/v5/iot/%7Bproject_id%7D/export-tasks?resource_type=BatchTask", None, None).await;
    assert_iotda_error(unset, StatusCode::BAD_REQUEST, "IOTDA.000006", "SDK without project", "credentials").await;
    let bad_instance =
        server.iotda(Method::GET, &format!("{}?resource_type=BatchTask", tasks_path(PROJECT)), None, Some("a/b")).await;
    assert_iotda_error(bad_instance, StatusCode::BAD_REQUEST, "IOTDA.000006", "instance", "Instance-Id").await;
}

#[tokio::test]
async fn delete_answers_204_then_the_task_is_gone() {
    let server = start(&[]);
    let id = server.create(&batch_body("aa")).await["export_task_id"].as_str().unwrap().to_owned();
    let deleted = server.delete_task(PROJECT, &id).await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_request_id(deleted.headers());
    assert!(deleted.bytes().await.unwrap().is_empty());
    assert_eq!(server.list("resource_type=BatchTask").await["page"]["count"], 0);
    for answer in [server.delete_task(PROJECT, &id).await, server.file(PROJECT, &id).await] {
        assert_iotda_error(answer, StatusCode::NOT_FOUND, "IOTDA.024001", "deleted", &id).await;
    }
    for bad in ["123", "zzzzzzzzzzzzzzzzzzzzzzzz"] {
        let answer = server.delete_task(PROJECT, bad).await;
        assert_iotda_error(answer, StatusCode::BAD_REQUEST, "IOTDA.000006", bad, "export_task_id").await;
        let answer = server.file(PROJECT, bad).await;
        assert_iotda_error(answer, StatusCode::BAD_REQUEST, "IOTDA.000006", bad, "export_task_id").await;
    }
}

#[tokio::test]
async fn malformed_bodies_and_wrong_types_get_iotda_000008() {
    let server = start(&[]);
    let post = |body: &'static str| {
        let server = &server;
        async move { server.iotda(Method::POST, &tasks_path(PROJECT), Some(body), None).await }
    };
    for (body, mentions) in [
        ("", "expected a JSON object"),
        ("not json", "expected a JSON object"),
        ("[\"BatchTask\"]", "expected a JSON object"),
        ("null", "expected a JSON object"),
        ("{\"resource_type\":", "EOF"),
        ("{\"resource_type\":\"BatchTask\"} trailing", "trailing"),
        ("{\"resource_type\":1}", "resource_type"),
        ("{\"resource_type\":\"BatchTask\",\"app_id\":false}", "app_id"),
        ("{\"resource_type\":\"BatchTask\",\"resource_condition\":\"{\\\"task_id\\\":\\\"ab\\\"}\"}", "is an object"),
        ("{\"resource_type\":\"BatchTask\",\"resource_condition\":[\"ab\"]}", "resource_condition"),
    ] {
        assert_iotda_error(post(body).await, StatusCode::BAD_REQUEST, "IOTDA.000008", body, mentions).await;
    }
    let form = server
        .http
        .post(server.url(&tasks_path(PROJECT)))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(batch_body("aa").to_string())
        .send()
        .await
        .unwrap();
    assert_iotda_error(form, StatusCode::BAD_REQUEST, "IOTDA.000008", "media type", "Content-Type").await;
    let too_big = format!("{{\"app_id\":\"{}\"}}", "a".repeat(3 << 20));
    let answer = server.iotda(Method::POST, &tasks_path(PROJECT), Some(&too_big), None).await;
    // Refused by the gateway before IoTDA sees it, as CDN's bodies are.
    assert_iotda_error(answer, StatusCode::PAYLOAD_TOO_LARGE, "APIGW.0201", "too big", "too large").await;
}

#[tokio::test]
async fn rule_violations_get_iotda_000006_naming_every_field() {
    let server = start(&[]);
    for (body, mentions) in [
        (json!({}), "resource_type: is required (one of BatchTask); resource_condition: is required"),
        (json!({"resource_type": "BatchTasks", "resource_condition": {"task_id": "ab"}}), "not `BatchTasks`"),
        (json!({"resource_type": "BatchTask", "resource_condition": {}}), "task_id is required"),
        (json!({"resource_type": "BatchTask", "resource_condition": {"task_id": "XYZ"}}), "0-9 and a-f"),
        (json!({"resource_type": "BatchTask", "resource_condition": {"task_id": 7}}), "task_id must be"),
        (json!({"resource_type": "BatchTask", "resource_condition": {"task_id": "ab", "device": "d"}}), "unknown key"),
        (
            json!({"resource_type": "BatchTask", "resource_condition": {"task_id": "ab"}, "export_format": "csv"}),
            "export_format",
        ),
        (
            json!({"resource_type": "BatchTask", "resource_condition": {"task_id": "ab"}, "app_type": "TENANT"}),
            "app_type",
        ),
        (
            json!({"resource_type": "BatchTask", "resource_condition": {"task_id": "ab"}, "app_id": "x".repeat(37)}),
            "app_id",
        ),
    ] {
        let answer = server.iotda(Method::POST, &tasks_path(PROJECT), Some(&body.to_string()), None).await;
        assert_iotda_error(answer, StatusCode::BAD_REQUEST, "IOTDA.000006", &body.to_string(), mentions).await;
    }
    assert_eq!(server.list("resource_type=BatchTask").await["page"]["count"], 0, "nothing was created");
    let explicit = json!({"resource_type": "BatchTask", "resource_condition": {"task_id": "ab"}, "export_format": "xls", "app_type": "GLOBAL"});
    server.create(&explicit).await;
    let without_content_type =
        server.http.post(server.url(&tasks_path(PROJECT))).body(batch_body("cd").to_string()).send().await;
    assert_eq!(without_content_type.unwrap().status(), StatusCode::CREATED);
}

#[tokio::test]
async fn other_methods_and_paths_answer_as_the_gateway() {
    let server = start(&[]);
    let task = format!("{}/5f1a2b3c4d5e6f7a8b9c0d1e", tasks_path(PROJECT));
    for (method, path) in [
        (Method::PUT, tasks_path(PROJECT)),
        (Method::DELETE, tasks_path(PROJECT)),
        (Method::GET, task.clone()),
        (Method::POST, format!("{task}/file")),
        (Method::GET, format!("{}/", tasks_path(PROJECT))),
        (Method::GET, "/v5/iot/export-tasks".to_owned()),
    ] {
        let case = format!("{method} {path}");
        assert_no_such_api(server.iotda(method, &path, None, None).await, &case).await;
    }
}

// ---------------------------------------------------------------------------------------------
// Demo tasks and the admin API
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn demo_tasks_fill_the_demo_project_and_repeat_after_a_reset() {
    let server = start(&[("--demo-tasks", "8"), ("--seed", "4")]);
    let page = server.list_in(DEMO_PROJECT, None, "resource_type=BatchTask&limit=50").await;
    assert_eq!(page["page"]["count"], 8);
    let running = page["export_tasks"].as_array().unwrap().iter().filter(|t| t["status"] == "Processing").count();
    assert_eq!(running, 2, "all but the newest two finished");
    let answer = server.post_json("/_mock/reset", &json!({"seed": 4, "demo_tasks": 8}).to_string()).await;
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(server.list_in(DEMO_PROJECT, None, "resource_type=BatchTask&limit=50").await, page);
}

#[tokio::test]
async fn calls_are_journaled_by_name_and_faults_answer_in_the_flat_envelope() {
    let server = start(&[]);
    let id = server.create(&batch_body("aa")).await["export_task_id"].as_str().unwrap().to_owned();
    server.delete_task(PROJECT, &id).await;
    let (_, journal) = api_json(server.get("/_mock/journal?operation=iotda:CreateExportTask").await).await;
    let entries = journal["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{journal}");
    assert_eq!((entries[0]["status"].as_u64(), entries[0]["method"].as_str()), (Some(201), Some("POST")));
    let (_, journal) = api_json(server.get("/_mock/journal?operation=iotda:DeleteExportTask").await).await;
    assert_eq!(journal["entries"][0]["status"], 204);

    let rule =
        json!({"operation": "iotda:ListExportTasks", "error_code": "IOTDA.000006", "error_msg": "forced", "times": 1});
    assert_eq!(server.post_json("/_mock/faults", &rule.to_string()).await.status(), StatusCode::OK);
    let forced =
        server.iotda(Method::GET, &format!("{}?resource_type=BatchTask", tasks_path(PROJECT)), None, None).await;
    assert_iotda_error(forced, StatusCode::BAD_REQUEST, "IOTDA.000006", "forced", "forced").await;
    server.list("resource_type=BatchTask").await;
}
