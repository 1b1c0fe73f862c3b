//! Real-HTTP tests of the mock's CDN refresh and preheat tasks: creating them, their URLs'
//! progress (counters that add up at every moment), the list's paging, filters and orders, the
//! per-URL detail, and every documented rule answered in CDN's envelope.

mod support;

use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use support::*;

const HISTORY: &str = "/v1.0/cdn/historytasks";
const REFRESH: &str = "/v1.0/cdn/content/refresh-tasks";
const PREHEAT: &str = "/v1.0/cdn/content/preheating-tasks";

fn urls(count: usize, directory: bool) -> Vec<String> {
    (0..count)
        .map(|i| {
            if directory {
                format!("https://www.example.com/d{i}/")
            } else {
                format!("https://www.example.com/f{i}.js")
            }
        })
        .collect()
}

async fn create_refresh(server: &Server, body: Value) -> String {
    let (status, answer) = api_json(server.post_json(REFRESH, &body.to_string()).await).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let keys: Vec<&String> = answer.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["refresh_task"], "{answer}");
    let id = answer["refresh_task"].as_str().unwrap().to_owned();
    assert!(id.parse::<u64>().is_ok(), "numeric id as documented: {id}");
    id
}

async fn list(server: &Server, query: &str) -> Value {
    let (status, page) = api_json(server.get(&format!("{HISTORY}?{query}")).await).await;
    assert_eq!(status, StatusCode::OK, "?{query}: {page}");
    for task in page["tasks"].as_array().expect("tasks") {
        let count = |key: &str| task[key].as_u64().unwrap_or_else(|| panic!("{key}: {task}"));
        assert_eq!(count("processing") + count("succeed") + count("failed"), count("total"), "{task}");
        assert!(["task_inprocess", "task_done"].contains(&task["status"].as_str().unwrap()), "{task}");
        assert!(["refresh", "preheating"].contains(&task["task_type"].as_str().unwrap()), "{task}");
        assert!(task["create_time"].is_i64(), "{task}");
    }
    page
}

async fn detail(server: &Server, id: &str, query: &str) -> Value {
    let (status, body) = api_json(server.get(&format!("{HISTORY}/{id}/detail?{query}")).await).await;
    assert_eq!(status, StatusCode::OK, "{id}?{query}: {body}");
    body
}

#[tokio::test]
async fn a_refresh_task_progresses_url_by_url_and_its_counters_always_add_up() {
    let server = Server::start(&[("--task-duration", "1500ms"), ("--fail-rate", "0.3")]);
    let id = create_refresh(&server, json!({"refresh_task": {"type": "file", "urls": urls(60, false)}})).await;
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut seen_in_process = false;
    let task = loop {
        let page = list(&server, "").await;
        let task = page["tasks"][0].clone();
        assert_eq!(task["id"], id.as_str());
        assert_eq!(task["total"], 60);
        if task["status"] == "task_done" {
            break task;
        }
        seen_in_process = true;
        assert!(Instant::now() < deadline, "still in process: {task}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(seen_in_process, "a new task starts in process");
    assert_eq!(task["processing"], 0);
    assert!(task["failed"].as_u64().unwrap() > 0 && task["succeed"].as_u64().unwrap() > 0, "{task}");

    let failed = detail(&server, &id, "status=failed&page_size=100&page_number=1").await;
    let failed_urls = failed["urls"].as_array().unwrap();
    assert_eq!(failed_urls.len() as u64, task["failed"].as_u64().unwrap());
    for url in failed_urls {
        assert_eq!(url["task_type"], "REFRESH", "URL-level task_type is upper case: {url}");
        assert_eq!(url["task_id"], id.as_str());
        assert!(["ORIGIN_ERROR", "INNER_ERROR", "UNKNOWN_ERROR"].contains(&url["fail_classify"].as_str().unwrap()));
        assert!(url["fail_desc"].as_str().is_some_and(|d| !d.is_empty()), "{url}");
    }
    let succeeded = detail(&server, &id, "status=succeed&page_size=100&page_number=1").await;
    assert!(succeeded["urls"].as_array().unwrap().iter().all(|u| u.get("fail_classify").is_none()));
    let page_two = detail(&server, &id, "page_size=25&page_number=2").await;
    let page_two: Vec<&str> = page_two["urls"].as_array().unwrap().iter().map(|u| u["url"].as_str().unwrap()).collect();
    assert_eq!(page_two.len(), 25);
    assert_eq!(page_two[0], "https://www.example.com/f25.js");
    let by_url = detail(&server, &id, "url=f59.js").await;
    assert_eq!(by_url["urls"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn preheating_tasks_are_created_and_listed_by_type() {
    let server = Server::start(&[]);
    let body = json!({"preheating_task": {"zh_url_encode": false, "urls": urls(3, false)}});
    let (status, answer) = api_json(server.post_json(PREHEAT, &body.to_string()).await).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let id = answer["preheating_task"].as_str().expect("preheating_task id").to_owned();
    create_refresh(&server, json!({"refresh_task": {"urls": urls(2, false)}})).await;
    let preheats = list(&server, "task_type=preheating").await;
    assert_eq!(preheats["total"], 1);
    assert_eq!(preheats["tasks"][0]["id"], id.as_str());
    assert_eq!(preheats["tasks"][0]["task_type"], "preheating");
    assert_eq!(list(&server, "").await["total"], 2);
    let url = &detail(&server, &id, "").await["urls"][0];
    assert_eq!(url["task_type"], "PREHEATING");
}

#[tokio::test]
async fn the_list_pages_sorts_and_filters_as_documented() {
    let server = Server::start(&[("--task-duration", "200ms")]);
    let mut ids = Vec::new();
    for count in [3, 1, 4, 2] {
        ids.push(create_refresh(&server, json!({"refresh_task": {"urls": urls(count, false)}})).await);
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let directory =
        create_refresh(&server, json!({"refresh_task": {"type": "directory", "urls": urls(2, true)}})).await;

    // Defaults: file tasks only, newest first, 30 a page.
    let all = list(&server, "").await;
    let listed: Vec<&str> = all["tasks"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap()).collect();
    let newest_first: Vec<&str> = ids.iter().rev().map(String::as_str).collect();
    assert_eq!(listed, newest_first);
    let directories = list(&server, "file_type=directory").await;
    assert_eq!(directories["total"], 1);
    assert_eq!(directories["tasks"][0]["id"], directory.as_str());

    let totals = |page: &Value| {
        page["tasks"].as_array().unwrap().iter().map(|t| t["total"].as_u64().unwrap()).collect::<Vec<_>>()
    };
    assert_eq!(totals(&list(&server, "order_field=total&order_type=asc").await), [1, 2, 3, 4]);
    assert_eq!(totals(&list(&server, "order_field=total&order_type=desc").await), [4, 3, 2, 1]);
    // order_field without order_type falls back to create_time desc.
    assert_eq!(totals(&list(&server, "order_field=total").await), [2, 4, 1, 3]);
    assert_eq!(totals(&list(&server, "order_field=total&order_type=asc&page_size=2&page_number=2").await), [3, 4]);
    let page = list(&server, "page_size=3&page_number=2").await;
    assert_eq!((page["total"].as_u64(), totals(&page)), (Some(4), vec![3]));

    let first_created = all["tasks"][3]["create_time"].as_i64().unwrap();
    let since = list(&server, &format!("start_date={}", first_created + 1)).await;
    assert_eq!(since["total"], 3);
    let until = list(&server, &format!("end_date={first_created}")).await;
    assert_eq!(until["total"], 1);

    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(list(&server, "status=task_done").await["total"], 4);
    assert_eq!(list(&server, "status=task_inprocess").await["total"], 0);
}

#[tokio::test]
async fn bad_list_and_detail_parameters_get_cdn_errors() {
    let server = Server::start(&[]);
    let cases = [
        ("page_size=10001&page_number=1", "page_size"),
        ("page_size=0&page_number=1", "page_size"),
        ("page_size=10&page_number=65536", "page_number"),
        ("page_size=10", "page_number"),
        ("page_number=2", "page_size"),
        ("status=running", "status"),
        ("task_type=purge", "task_type"),
        ("file_type=folder", "file_type"),
        ("order_field=name&order_type=desc", "order_field"),
        ("order_field=total&order_type=up", "order_type"),
        ("start_date=yesterday", "start_date"),
        ("start_date=2000&end_date=1000", "end_date"),
    ];
    for (query, field) in cases {
        assert_invalid(server.get(&format!("{HISTORY}?{query}")).await, query, Some(field)).await;
    }
    let id = create_refresh(&server, json!({"refresh_task": {"urls": urls(1, false)}})).await;
    for (query, field) in
        [("status=done", "status"), ("page_size=5", "page_number"), ("create_time=soon", "create_time")]
    {
        assert_invalid(server.get(&format!("{HISTORY}/{id}/detail?{query}")).await, query, Some(field)).await;
    }
    assert_invalid(server.get(&format!("{HISTORY}/424242/detail")).await, "unknown id", Some("history_tasks_id")).await;
    assert_invalid(
        server.get(&format!("{HISTORY}/{id}/detail?create_time=1000000000000")).await,
        "too old",
        Some("15 days"),
    )
    .await;
}

#[tokio::test]
async fn refresh_and_preheat_bodies_obey_the_url_rules() {
    let server = Server::start(&[]);
    let invalid_bodies = [
        (REFRESH, json!({}), "refresh_task"),
        (REFRESH, json!({"refresh_task": {"urls": []}}), "at least one URL"),
        (REFRESH, json!({"refresh_task": {"urls": ["www.example.com/a"]}}), "line 1"),
        (REFRESH, json!({"refresh_task": {"urls": ["https://a.example.com/ok", "ftp://a.example.com/x"]}}), "line 2"),
        (REFRESH, json!({"refresh_task": {"urls": [format!("https://a.example.com/{}", "x".repeat(4100))]}}), "4096"),
        (
            REFRESH,
            json!({"refresh_task": {"type": "directory", "urls": ["https://a.example.com/file.js"]}}),
            "directory",
        ),
        (REFRESH, json!({"refresh_task": {"type": "dir", "urls": urls(1, true)}}), "type"),
        (REFRESH, json!({"refresh_task": {"mode": "some", "urls": urls(1, false)}}), "mode"),
        (REFRESH, json!({"refresh_task": {"urls": "https://a.example.com/x"}}), "urls"),
        (PREHEAT, json!({"preheating_task": {}}), "at least one URL"),
        // Directories cannot be preheated: a URL ending in `/` names one.
        (
            PREHEAT,
            json!({"preheating_task": {"urls": ["https://a.example.com/x.js", "https://a.example.com/static/"]}}),
            "line 2",
        ),
        (PREHEAT, json!({"preheating_task": {"urls": urls(1, true)}}), "cannot be preheated"),
        (PREHEAT, json!({"refresh_task": {"urls": urls(1, false)}}), "preheating_task"),
    ];
    for (path, body, mentions) in invalid_bodies {
        let case = format!("{path} {body}");
        assert_invalid(server.post_json(path, &body.to_string()).await, &case, Some(mentions)).await;
    }
    for raw in ["{", "[1]", "null", "not json"] {
        assert_invalid(server.post_json(REFRESH, raw).await, raw, Some("Invalid request body")).await;
    }

    // The limits themselves are accepted; one more has CDN's own code.
    create_refresh(&server, json!({"refresh_task": {"urls": urls(1000, false)}})).await;
    create_refresh(&server, json!({"refresh_task": {"type": "directory", "urls": urls(100, true)}})).await;
    let too_many = [
        (REFRESH, json!({"refresh_task": {"urls": urls(1001, false)}})),
        (REFRESH, json!({"refresh_task": {"type": "directory", "urls": urls(101, true)}})),
        (PREHEAT, json!({"preheating_task": {"urls": urls(1001, false)}})),
    ];
    for (path, body) in too_many {
        assert_cdn_error(server.post_json(path, &body.to_string()).await, "CDN.0110", path, Some("upper limit")).await;
    }
    // Nothing refused was stored.
    assert_eq!(list(&server, "").await["total"], 1);
    assert_eq!(list(&server, "file_type=directory").await["total"], 1);
}

#[tokio::test]
async fn wrong_methods_get_the_gateway_404() {
    let server = Server::start(&[]);
    for (method, path) in [
        (reqwest::Method::POST, HISTORY.to_owned()),
        (reqwest::Method::GET, REFRESH.to_owned()),
        (reqwest::Method::DELETE, PREHEAT.to_owned()),
        (reqwest::Method::POST, format!("{HISTORY}/1/detail")),
    ] {
        let case = format!("{method} {path}");
        assert_no_such_api(server.request(method, &path).await, &case).await;
    }
}

#[tokio::test]
async fn demo_history_is_the_same_for_the_same_seed() {
    let first = Server::start(&[("--demo-tasks", "15"), ("--seed", "9")]);
    let second = Server::start(&[("--demo-tasks", "15"), ("--seed", "9")]);
    let shape = |page: Value| -> Vec<(Value, Value, Value)> {
        page["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| (t["id"].clone(), t["task_type"].clone(), t["total"].clone()))
            .collect()
    };
    let a = shape(list(&first, "page_size=100&page_number=1").await);
    let b = shape(list(&second, "page_size=100&page_number=1").await);
    assert!(!a.is_empty());
    assert_eq!(a, b);
}
