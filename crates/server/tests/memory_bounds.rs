//! Real-HTTP tests of the memory bounds: `--store-bytes` makes each store forget its oldest tasks
//! once their bytes (not their number) exceed its share, the same ones again when the state file
//! is replayed; `--journal-entries` and `--journal-bytes` bound the journal, whose answer never
//! outgrows its byte bound however large the headers and bodies clients send.
//!
//! The 30-second flood of the largest legal bodies, with the server's RSS, is a report, not a
//! test: `cargo bench -p export-desk-server --bench flood`.

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::*;

const REFRESH: &str = "/v1.0/cdn/content/refresh-tasks";
const HISTORY: &str = "/v1.0/cdn/historytasks";
const EXPORT_TASKS: &str = "/v1/cdn/statistics/export-tasks";
const NGINX: &str = "2f6c1d3e-8a47-4b9e-9c21-5d7e3f4a6b80";

/// The smallest store bound: half of it, 512 KiB, for refresh and preheat tasks.
const SMALL_STORES: (&str, &str) = ("--store-bytes", "1MiB");

/// A refresh of 100 URLs of about 2,000 bytes: some 200 KB of the store, so two fit in 512 KiB
/// where, counted in items (100 URLs of a million), thousands would.
fn large_refresh(n: usize) -> String {
    let urls: Vec<String> = (0..100).map(|i| format!("https://www.example.com/{n}/{i}/{}", "u".repeat(2000))).collect();
    json!({"refresh_task": {"type": "file", "urls": urls}}).to_string()
}

async fn create_refresh(server: &Server, body: &str) -> String {
    let (status, answer) = api_json(server.post_json(REFRESH, body).await).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    answer["refresh_task"].as_str().expect("a task id").to_owned()
}

async fn history_ids(server: &Server) -> Vec<String> {
    let (status, page) = api_json(server.get(&format!("{HISTORY}?page_size=100&page_number=1")).await).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["tasks"].as_array().expect("tasks").iter().map(|t| t["id"].as_str().expect("id").to_owned()).collect()
}

#[tokio::test]
async fn the_refresh_store_forgets_its_oldest_tasks_by_bytes_and_a_replay_forgets_the_same() {
    let dir = std::env::temp_dir().join(format!("export-desk-memory-bounds-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let state = dir.join("state.jsonl");
    let _ = std::fs::remove_file(&state);
    let state_arg = state.to_str().expect("UTF-8 temp path").to_owned();
    let options = [SMALL_STORES, ("--state", &state_arg), ("--demo-tasks", "5")];

    let server = Server::start(&options);
    let mut created = Vec::new();
    for n in 0..6 {
        created.push(create_refresh(&server, &large_refresh(n)).await);
    }
    let kept = history_ids(&server).await;
    let newest_first: Vec<String> = created.iter().rev().take(2).cloned().collect();
    assert_eq!(kept, newest_first, "only the two newest large tasks fit in 512 KiB");
    let small =
        create_refresh(&server, &json!({"refresh_task": {"urls": ["https://www.example.com/a.js"]}}).to_string()).await;
    assert_eq!(small.parse::<u64>().ok(), created[5].parse::<u64>().ok().map(|id| id + 1), "ids go on counting");
    let before_restart = history_ids(&server).await;
    drop(server);

    let replayed = Server::start(&options);
    assert_eq!(history_ids(&replayed).await, before_restart, "the replay forgets the same tasks");
    drop(replayed);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn statistics_exports_and_cls_exports_are_bounded_by_bytes() {
    let server = Server::start(&[SMALL_STORES]);
    // A hundred domains of 60 characters: about 10 KB a task, of a 256 KiB share.
    let domains: Vec<String> = (0..100).map(|d| format!("{}{d:03}.example.com", "d".repeat(45))).collect();
    // Each task is named after its start hour (2025-11-24T00:00Z plus n hours), newest last.
    let start_of = |n: usize| format!("202511{:02}T{:02}00Z", 24 + n / 24, n % 24);
    for n in 0..60_i64 {
        let start = 1_763_942_400_000_i64 + n * 3_600_000;
        let body = json!({"action": "reports_detail", "domain_name": domains.join(","), "start_time": start,
            "end_time": start + 3_600_000});
        let (status, answer) = api_json(server.post_json(EXPORT_TASKS, &body.to_string()).await).await;
        assert_eq!(status, StatusCode::OK, "{answer}");
    }
    let (_, listed) = api_json(server.get(&format!("{EXPORT_TASKS}?limit=100")).await).await;
    let total = listed["total"].as_u64().expect("total") as usize;
    assert!((10..60).contains(&total), "{total} of 60 tasks of 10 KB kept in 256 KiB");
    let kept: Vec<&str> = listed["data"].as_array().unwrap().iter().map(|t| t["task_name"].as_str().unwrap()).collect();
    for (rank, name) in kept.iter().enumerate() {
        assert!(name.contains(&format!("_{}-", start_of(59 - rank))), "the newest are kept, newest first: {kept:?}");
    }

    // CLS: a 12 KiB query and a hundred 256-byte field names, about 43 KB an export, of 128 KiB.
    let fields: Vec<String> = (0..100).map(|f| format!("{f:0>256}")).collect();
    let (_, clock) = api_json(server.get("/_mock/clock").await).await;
    let now = clock["now_ms"].as_i64().expect("now_ms");
    for _ in 0..8 {
        let params = json!({"TopicId": NGINX, "Count": 100, "Query": "q".repeat(12 * 1024), "From": now - 60_000,
            "To": now, "DerivedFields": fields});
        let response = tencent_response(server.tencent("CreateExport", &params.to_string()).await).await;
        assert!(response["ExportId"].is_string(), "{response}");
        tokio::time::sleep(std::time::Duration::from_millis(60)).await;
    }
    let described =
        tencent_response(server.tencent("DescribeExports", &json!({"TopicId": NGINX}).to_string()).await).await;
    let total = described["TotalCount"].as_u64().expect("TotalCount");
    assert!((1..8).contains(&total), "{total} of 8 exports of 43 KB kept in 128 KiB: {}", described["TotalCount"]);
}

#[tokio::test]
async fn the_journal_is_bounded_in_entries_and_bytes_and_cuts_large_headers() {
    let journal_bytes = 256 * 1024;
    let server = Server::start(&[("--journal-bytes", "256KiB"), ("--journal-entries", "50")]);
    let cookie = "c".repeat(8 * 1024);
    // Cut at 64 KiB by the journal, these bodies are some 60 KB of JSON an entry.
    let body = "x".repeat(100 * 1024);
    for _ in 0..30 {
        let answer = server
            .http
            .post(server.url(EXPORT_TASKS))
            .header("content-type", "application/json")
            .header("cookie", &cookie)
            .body(body.clone())
            .send()
            .await
            .expect("the server answers");
        assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
    }
    let answer = server.request(Method::GET, "/_mock/journal").await;
    assert_eq!(answer.status(), StatusCode::OK);
    let text = answer.text().await.expect("the journal");
    assert!(text.len() <= journal_bytes, "the answer is {} bytes, over the bound of {journal_bytes}", text.len());
    let journal: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!((journal["capacity"].as_u64(), journal["capacity_bytes"].as_u64()), (Some(50), Some(256 * 1024)));
    let entries = journal["entries"].as_array().expect("entries");
    assert!((1..=4).contains(&entries.len()), "{} entries of about 66 KB as JSON each", entries.len());
    let newest = entries.last().expect("an entry");
    assert_eq!(newest["headers"]["cookie"].as_str().map(str::len), Some(1024), "a long header is cut at 1 KiB");
    assert_eq!((&newest["headers_truncated"], &newest["body_truncated"]), (&json!(true), &json!(true)));
    assert_eq!(newest["headers"]["content-type"], "application/json", "short headers are kept whole");

    for _ in 0..60 {
        assert_eq!(server.get(&format!("{EXPORT_TASKS}?limit=1")).await.status(), StatusCode::OK);
    }
    let (_, journal) = api_json(server.get("/_mock/journal").await).await;
    assert_eq!(journal["entries"].as_array().map(Vec::len), Some(50), "at most --journal-entries");
}
