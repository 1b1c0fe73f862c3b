//! Real-HTTP tests of proxy mode: a MOCK process plays the clouds (it serves the same native
//! paths and journals every call verbatim), a PROXY process is configured with throwaway
//! credentials and endpoint overrides pointing at it. The journal shows exactly what reached the
//! upstream: correctly signed calls with the upstream's Host, none of the client's headers — and
//! nothing at all for a call the proxy must refuse.

mod support;

use chrono::Utc;
use export_desk_server::sign::{huawei, tencent, SignableRequest};
use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::time::{Duration, Instant};
use support::proxy::*;
use support::Server;

const NGINX_TOPIC: &str = "2f6c1d3e-8a47-4b9e-9c21-5d7e3f4a6b80";

const CDN_LIST: &str = "/v1/cdn/statistics/export-tasks";
const REFRESH: &str = "/v1.0/cdn/content/refresh-tasks";

async fn journal(mock: &Server) -> Vec<Value> {
    let answer: Value = mock.get("/_mock/journal").await.json().await.unwrap();
    answer["entries"].as_array().unwrap().clone()
}

async fn clear_journal(mock: &Server) {
    mock.http.delete(mock.url("/_mock/journal")).send().await.unwrap();
}

/// A journal entry as the signing library's input: what the upstream received.
fn verify_huawei(entry: &Value) -> huawei::Verified {
    let headers: Vec<(String, String)> = entry["headers"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(name, value)| (name.clone(), value.as_str().unwrap().to_owned()))
        .collect();
    let pairs: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let request = SignableRequest {
        method: entry["method"].as_str().unwrap(),
        host: entry["headers"]["host"].as_str().unwrap(),
        path: entry["path"].as_str().unwrap(),
        query: entry["query"].as_str().unwrap_or_default(),
        headers: &pairs,
        body: entry["body"].as_str().unwrap().as_bytes(),
    };
    huawei::verify(&request, Utc::now(), |ak| (ak == HUAWEI_AK).then_some(HUAWEI_SK))
        .unwrap_or_else(|err| panic!("the upstream got a bad signature ({err:?}): {entry:#}"))
}

fn verify_tencent(entry: &Value) -> tencent::Verified {
    let headers: Vec<(String, String)> = entry["headers"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(name, value)| (name.clone(), value.as_str().unwrap().to_owned()))
        .collect();
    let pairs: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let request = SignableRequest {
        method: entry["method"].as_str().unwrap(),
        host: entry["headers"]["host"].as_str().unwrap(),
        path: entry["path"].as_str().unwrap(),
        query: entry["query"].as_str().unwrap_or_default(),
        headers: &pairs,
        body: entry["body"].as_str().unwrap().as_bytes(),
    };
    tencent::verify(&request, tencent::CLS_SERVICE, Utc::now(), |id| (id == TENCENT_ID).then_some(TENCENT_KEY))
        .unwrap_or_else(|err| panic!("the upstream got a bad signature ({err:?}): {entry:#}"))
}

/// Headers a client might send to steer or impersonate; none may reach the upstream.
const HOSTILE_HEADERS: [(&str, &str); 13] = [
    ("Authorization", "SDK-HMAC-SHA256 Access=EVILAK, SignedHeaders=host, Signature=00"),
    ("X-Sdk-Date", "20000101T000000Z"),
    ("X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD"),
    ("X-Forwarded-Host", "evil.example"),
    ("X-Forwarded-For", "203.0.113.9"),
    ("X-Forwarded-Proto", "https"),
    ("Forwarded", "for=203.0.113.9;host=evil.example"),
    ("X-Real-Ip", "203.0.113.9"),
    ("Cookie", "session=stolen"),
    ("X-Domain-Id", "someone-elses-account"),
    ("X-Project-Id", "someone-elses-project"),
    ("X-Security-Token", "stolen-token"),
    ("User-Agent", "Mozilla/5.0 (browser)"),
];

const HOSTILE_TENCENT_HEADERS: [(&str, &str); 6] = [
    ("X-TC-Region", "evil-region-1"),
    ("X-TC-Version", "2017-03-12"),
    ("X-TC-Timestamp", "1"),
    ("X-TC-Token", "stolen-session-token"),
    ("X-TC-Content-SHA256", "UNSIGNED-PAYLOAD"),
    ("Authorization", "TC3-HMAC-SHA256 Credential=EVIL/2000-01-01/cls/tc3_request, SignedHeaders=host, Signature=00"),
];

fn assert_no_client_headers(entry: &Value) {
    let headers = entry["headers"].as_object().unwrap();
    for name in [
        "x-forwarded-host",
        "x-forwarded-for",
        "x-forwarded-proto",
        "forwarded",
        "x-real-ip",
        "cookie",
        "x-security-token",
    ] {
        assert!(!headers.contains_key(name), "{name} reached the upstream: {entry:#}");
    }
    for (name, value) in headers {
        assert!(
            !value.as_str().unwrap().contains("evil") && !value.as_str().unwrap().contains("stolen"),
            "{name}: {entry:#}"
        );
    }
    assert!(headers["user-agent"].as_str().unwrap().starts_with("export-desk-proxy/"), "{entry:#}");
}

/// One raw HTTP/1.1 exchange, bytes exactly as given (no client normalises the target).
fn raw(host_port: &str, request: &str) -> (u16, String) {
    let mut stream = std::net::TcpStream::connect(host_port).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text.split(' ').nth(1).and_then(|code| code.parse().ok()).unwrap_or(0);
    (status, text)
}

fn cdn_error_code(body: &Value) -> &str {
    body["error"]["error_code"].as_str().unwrap_or_default()
}

fn tencent_error_code(body: &Value) -> &str {
    body["Response"]["Error"]["Code"].as_str().unwrap_or_default()
}

async fn cls_call(proxy: &Proxy, action: &str, body: &Value, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = proxy
        .http
        .post(proxy.url("/"))
        .header(CONTENT_TYPE, "application/json")
        .header("X-TC-Action", action)
        .header("X-TC-Version", "2020-10-16");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.body(body.to_string()).send().await.unwrap()
}

// ---------------------------------------------------------------------------------------------
// Forwarding
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn cdn_calls_are_rebuilt_signed_and_sent_to_the_configured_host() {
    let (mock, proxy) = pair(&[]);
    let mut list = proxy.http.get(proxy.url(&format!("{CDN_LIST}?offset=0&limit=10")));
    for (name, value) in HOSTILE_HEADERS {
        list = list.header(name, value);
    }
    let answer = list.send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    assert!(answer.headers().get("set-cookie").is_none());
    assert!(answer.headers().contains_key("x-request-id"));
    let listed: Value = answer.json().await.unwrap();
    assert!(listed["data"].is_array() && listed["total"].is_u64(), "{listed}");

    // Exact bytes, whitespace and key order as the client wrote them: the signature covers them.
    let body = r#"{"refresh_task": {"type": "file", "urls": ["https://www.example.com/a.js"]}}"#;
    let mut create = proxy.http.post(proxy.url(REFRESH)).header(CONTENT_TYPE, "application/json").body(body);
    for (name, value) in HOSTILE_HEADERS {
        create = create.header(name, value);
    }
    let answer = create.send().await.unwrap();
    let status = answer.status();
    let created: Value = answer.json().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{created}");
    assert!(created["refresh_task"].is_string(), "{created}");

    let entries = journal(&mock).await;
    assert_eq!(entries.len(), 2, "{entries:#?}");
    for entry in &entries {
        assert_eq!(entry["headers"]["host"], mock.base.strip_prefix("http://").unwrap(), "the upstream's Host");
        assert_eq!(entry["headers"]["x-domain-id"], DOMAIN_ID);
        assert_eq!(entry["headers"]["content-type"], "application/json");
        assert_ne!(entry["headers"]["x-sdk-date"], "20000101T000000Z");
        assert_no_client_headers(entry);
        let verified = verify_huawei(entry);
        assert_eq!(verified.access_key, HUAWEI_AK);
        assert!(verified.derived_scope.is_none(), "CDN signs with the SDK scheme");
        for signed in ["content-type", "host", "user-agent", "x-domain-id", "x-sdk-date"] {
            assert!(verified.signed_headers.iter().any(|h| h == signed), "{signed} is signed: {entry:#}");
        }
    }
    assert_eq!(entries[0]["query"], "limit=10&offset=0", "the canonical query, as the SDK sends it");
    assert_eq!(entries[1]["body"], body, "the exact body bytes");
    assert!(entries[1]["headers"].get("x-sdk-content-sha256").is_none(), "a JSON body is signed, not UNSIGNED");
}

#[tokio::test]
async fn iotda_calls_carry_the_configured_project_and_instance_with_a_derived_signature() {
    let (mock, proxy) = pair(&[]);
    let tasks = format!("/v5/iot/{PROJECT}/export-tasks");
    let body = r#"{"resource_type":"BatchTask","resource_condition":{"task_id":"000000000000000000000001"}}"#;
    let answer = proxy
        .http
        .post(proxy.url(&tasks))
        .header(CONTENT_TYPE, "application/json")
        .header("Instance-Id", "someone-elses-instance")
        .header("X-Project-Id", "someone-elses-project")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = answer.status();
    let task: Value = answer.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{task}");
    let id = task["export_task_id"].as_str().unwrap().to_owned();

    mock.post_json("/_mock/clock/advance", r#"{"seconds":60}"#).await;
    let listed: Value = proxy
        .http
        .get(proxy.url(&format!("{tasks}?resource_type=BatchTask&limit=10")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["export_tasks"][0]["export_task_id"], id.as_str(), "{listed}");

    let file = proxy.http.get(proxy.url(&format!("{tasks}/{id}/file"))).send().await.unwrap();
    assert_eq!(file.status(), StatusCode::OK);
    let disposition = file.headers().get("content-disposition").map(|v| v.to_str().unwrap().to_owned());
    let content_type = file.headers()[CONTENT_TYPE].to_str().unwrap().to_owned();
    let bytes = file.bytes().await.unwrap();
    assert_eq!(&bytes[..4], b"PK\x03\x04", "the zip, streamed through");
    // The upstream's file headers come through (IoTDA allows one download per 30 s, so the
    // upstream's own answer is not fetched again to compare).
    assert_eq!(content_type, "application/zip");
    let disposition = disposition.expect("Content-Disposition is relayed");
    assert!(disposition.starts_with("attachment; filename="), "{disposition}");

    let delete = proxy.http.delete(proxy.url(&format!("{tasks}/{id}"))).send().await.unwrap();
    assert!(delete.status().is_success(), "{}", delete.status());

    let entries = journal(&mock).await;
    let through_proxy: Vec<&Value> = entries
        .iter()
        .filter(|e| e["headers"]["user-agent"].as_str().unwrap_or_default().starts_with("export-desk-proxy/"))
        .collect();
    assert_eq!(through_proxy.len(), 4, "{entries:#?}");
    for entry in through_proxy {
        assert_eq!(entry["headers"]["x-project-id"], PROJECT);
        assert_eq!(entry["headers"]["instance-id"], INSTANCE);
        let verified = verify_huawei(entry);
        let scope = verified.derived_scope.expect("a derived signature");
        assert_eq!((scope.region_id.as_str(), scope.service.as_str()), (IOTDA_REGION, "iotdm"));
        assert!(verified.signed_headers.iter().any(|h| h == "instance-id"));
    }
    assert_eq!(
        entries[0]["headers"]["content-type"], "application/json;charset=utf-8",
        "as the SDK sends CreateExportTask"
    );
}

#[tokio::test]
async fn cls_calls_are_signed_with_tc3_for_the_configured_region() {
    let (mock, proxy) = pair(&[]);
    let body = json!({"TopicId": NGINX_TOPIC, "Offset": 0, "Limit": 10});
    let answer = cls_call(&proxy, "DescribeExports", &body, &HOSTILE_TENCENT_HEADERS).await;
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(answer.headers()[CONTENT_TYPE], "application/json", "relayed exactly, for the Tencent SDK");
    let value: Value = answer.json().await.unwrap();
    assert!(value["Response"]["Exports"].is_array(), "{value}");

    let entries = journal(&mock).await;
    assert_eq!(entries.len(), 1, "{entries:#?}");
    let entry = &entries[0];
    assert_eq!(entry["operation"], "cls:DescribeExports");
    assert_eq!(entry["headers"]["host"], mock.base.strip_prefix("http://").unwrap());
    assert_eq!(entry["headers"]["x-tc-region"], CLS_REGION);
    assert_eq!(entry["headers"]["x-tc-version"], "2020-10-16");
    assert!(entry["headers"].get("x-tc-token").is_none() && entry["headers"].get("x-tc-content-sha256").is_none());
    assert_eq!(entry["body"], body.to_string());
    let verified = verify_tencent(entry);
    assert_eq!(verified.secret_id, TENCENT_ID);
    assert!((Utc::now() - verified.signed_at).num_seconds().abs() < 60, "signed now, not at the client's timestamp");
}

#[tokio::test]
async fn the_language_of_cls_messages_goes_upstream_signed_as_before_and_only_as_zh_cn_or_en_us() {
    let (mock, proxy) = pair(&[]);
    let body = json!({"TopicId": "no-such-topic"});
    let answer = cls_call(&proxy, "DescribeExports", &body, &[("X-TC-Language", "zh-CN")]).await;
    let value: Value = answer.json().await.unwrap();
    assert_eq!(value["Response"]["Error"]["Code"], "ResourceNotFound.TopicNotExist", "{value}");
    assert_eq!(value["Response"]["Error"]["Message"], "日志主题 `no-such-topic` 不存在。", "{value}");
    tokio::time::sleep(std::time::Duration::from_millis(60)).await;
    let answer = cls_call(&proxy, "DescribeExports", &body, &[("X-TC-Language", "<script>")]).await;
    let value: Value = answer.json().await.unwrap();
    assert_eq!(value["Response"]["Error"]["Message"], "The topic `no-such-topic` does not exist.", "{value}");

    let entries = journal(&mock).await;
    assert_eq!(entries.len(), 2, "{entries:#?}");
    assert_eq!(entries[0]["headers"]["x-tc-language"], "zh-CN");
    assert!(entries[1]["headers"].get("x-tc-language").is_none(), "any other value stays behind");
    for entry in &entries {
        assert_eq!(verify_tencent(entry).secret_id, TENCENT_ID);
    }
}

#[tokio::test]
async fn describe_topics_is_allowlisted_signed_and_its_refusals_keep_their_language() {
    let (mock, proxy) = pair(&[]);
    let body = json!({"Filters": [{"Key": "topicName", "Values": ["nginx"]}], "Offset": 0, "Limit": 20});
    let answer = cls_call(&proxy, "DescribeTopics", &body, &HOSTILE_TENCENT_HEADERS).await;
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(answer.headers()[CONTENT_TYPE], "application/json");
    let value: Value = answer.json().await.unwrap();
    assert_eq!(value["Response"]["TotalCount"], 1, "{value}");
    assert_eq!(value["Response"]["Topics"][0]["TopicId"], NGINX_TOPIC, "{value}");
    let answer = cls_call(&proxy, "DescribeTopics", &json!({"Limit": 101}), &[("X-TC-Language", "zh-CN")]).await;
    let value: Value = answer.json().await.unwrap();
    assert_eq!(tencent_error_code(&value), "InvalidParameterValue", "{value}");
    assert_eq!(value["Response"]["Error"]["Message"], "Limit：须在 1 到 100 之间，当前为 101", "{value}");

    let entries = journal(&mock).await;
    assert_eq!(entries.len(), 2, "{entries:#?}");
    for entry in &entries {
        assert_eq!(entry["operation"], "cls:DescribeTopics");
        assert_eq!(entry["headers"]["x-tc-action"], "DescribeTopics");
        assert_eq!(entry["headers"]["x-tc-region"], CLS_REGION);
        assert_eq!(verify_tencent(entry).secret_id, TENCENT_ID);
        assert_no_client_headers(entry);
    }
    assert_eq!(entries[0]["body"], body.to_string(), "the body as sent");
    assert_eq!(entries[1]["headers"]["x-tc-language"], "zh-CN");
}

// ---------------------------------------------------------------------------------------------
// The allowlist
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn allowlist_bypass_tricks_never_reach_an_upstream() {
    let (mock, proxy) = pair(&[]);
    let host = proxy.host().to_owned();
    let get = |target: &str, host: &str| format!("GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    let delete = |target: &str| format!("DELETE {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    let tricks: Vec<(&str, String)> = vec![
        ("absolute-form target", get(&format!("http://evil.example{CDN_LIST}"), "evil.example")),
        ("absolute-form target, own host", get(&format!("http://{host}{CDN_LIST}"), &host)),
        ("foreign Host", get(CDN_LIST, "evil.example")),
        ("foreign Host with port", get(CDN_LIST, "evil.example:443")),
        ("dot-dot out of a task id", delete(&format!("/v5/iot/{PROJECT}/export-tasks/.."))),
        ("dot-dot into another API", get("/v1.0/cdn/historytasks/../../v1/cdn/domains/detail", &host)),
        ("encoded slash", get("/v1.0/cdn/historytasks/a%2F..%2F..%2Fdomains/detail", &host)),
        ("encoded hash", get("/v1.0/cdn/historytasks/a%23b/detail", &host)),
        ("encoded dots", delete(&format!("/v5/iot/{PROJECT}/export-tasks/%2e%2e"))),
        ("userinfo-like segment", get("/v1.0/cdn/historytasks/a@evil.example/detail", &host)),
        ("another project", get("/v5/iot/someone-elses-project/export-tasks", &host)),
        ("project placeholder as dot-dot", get("/v5/iot/../export-tasks", &host)),
        ("an API the dashboard does not use", get("/v1/cdn/domains", &host)),
        ("a known path with another method", delete(CDN_LIST)),
        ("trailing slash", get(&format!("{CDN_LIST}/"), &host)),
        (
            "a Tencent action the dashboard does not use",
            format!(
                "POST / HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nX-TC-Action: DeleteTopic\r\n\
                 X-TC-Version: 2020-10-16\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}"
            ),
        ),
        (
            "a form post (no CORS preflight)",
            format!(
                "POST {REFRESH} HTTP/1.1\r\nHost: {host}\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\
                 Connection: close\r\n\r\n{{}}"
            ),
        ),
    ];
    for (trick, request) in &tricks {
        let (status, answer) = raw(&host, request);
        let refused = (400..600).contains(&status)
            || (status == 200 && answer.contains("\"Error\"") && answer.contains("\"Response\""));
        assert!(refused, "{trick}: {status}\n{answer}");
        assert!(journal(&mock).await.is_empty(), "{trick} reached the upstream:\n{answer}");
    }
    // A refusal answers in the provider's envelope, with the proxy's own code.
    let (status, answer) = raw(&host, &get("/v1/cdn/domains", &host));
    assert_eq!(status, 404, "{answer}");
    assert!(answer.contains(r#"{"error":{"error_code":"PROXY.0404""#), "{answer}");
    let (status, answer) = raw(&host, &get(&format!("http://evil.example{CDN_LIST}"), "evil.example"));
    assert_eq!(status, 400, "{answer}");
    assert!(answer.contains("PROXY.0400") && answer.contains("absolute-form"), "{answer}");
    let (status, answer) = raw(&host, &get("/v5/iot/someone-elses-project/export-tasks", &host));
    assert_eq!(status, 403, "{answer}");
    assert!(answer.contains(r#"{"error_code":"PROXY.0403""#), "IoTDA's flat envelope: {answer}");
    let answer = cls_call(&proxy, "DeleteTopic", &json!({}), &[]).await;
    assert_eq!(answer.status(), StatusCode::OK, "Tencent errors come in a 200");
    let value: Value = answer.json().await.unwrap();
    assert_eq!(tencent_error_code(&value), "InvalidAction", "{value}");
    assert!(journal(&mock).await.is_empty());

    // The same path, plainly written, does go through: the refusals were about the tricks.
    let (status, answer) = raw(&host, &get(CDN_LIST, &host));
    assert_eq!(status, 200, "{answer}");
    assert_eq!(journal(&mock).await.len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Secrets
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn secrets_never_appear_in_answers_config_or_logs() {
    let (mock, proxy) = pair(&[("EXPORT_DESK_ACCESS_TOKEN", TOKEN), ("EXPORT_DESK_UPSTREAM_TIMEOUT", "300ms")]);
    mock.post_json("/_mock/faults", r#"{"operation":"cdn:CreateExportTask","latency_ms":2000}"#).await;
    mock.post_json("/_mock/faults", r#"{"operation":"cls:DeleteExport","error_code":"AuthFailure.SignatureFailure"}"#)
        .await;
    let mut seen = String::new();
    let record = |answer: reqwest::Response| {
        let head = format!("{} {:?}", answer.status(), answer.headers());
        async move { format!("{head}\n{}\n", answer.text().await.unwrap()) }
    };
    let with_token = |request: reqwest::RequestBuilder| request.header("X-Desk-Token", TOKEN);
    seen += &record(proxy.http.get(proxy.url("/_desk/config")).send().await.unwrap()).await;
    seen += &record(with_token(proxy.http.get(proxy.url(CDN_LIST))).send().await.unwrap()).await;
    seen += &record(proxy.http.get(proxy.url(CDN_LIST)).send().await.unwrap()).await;
    seen += &record(with_token(proxy.http.get(proxy.url("/v1/cdn/domains"))).send().await.unwrap()).await;
    let create = with_token(proxy.http.post(proxy.url(CDN_LIST)))
        .header(CONTENT_TYPE, "application/json")
        .body(r#"{"start_time":1,"end_time":2}"#);
    seen += &record(create.send().await.unwrap()).await;
    let delete = with_token(proxy.http.post(proxy.url("/")))
        .header(CONTENT_TYPE, "application/json")
        .header("X-TC-Action", "DeleteExport")
        .body(r#"{"ExportId":"x"}"#);
    seen += &record(delete.send().await.unwrap()).await;
    let config: Value = proxy.http.get(proxy.url("/_desk/config")).send().await.unwrap().json().await.unwrap();
    assert_eq!(config["mode"], "proxy");
    assert!(seen.contains("PROXY.0401") && seen.contains("PROXY.0504"), "the calls took their paths:\n{seen}");
    assert!(seen.contains("AuthFailure.SignatureFailure"), "an upstream auth failure is relayed:\n{seen}");

    std::thread::sleep(Duration::from_millis(100));
    let logs = proxy.logs();
    assert!(logs.contains("forwarded"), "debug logging was on:\n{logs}");
    for secret in SECRETS {
        assert!(!seen.contains(secret), "{secret} in an answer:\n{seen}");
        assert!(!logs.contains(secret), "{secret} in the log:\n{logs}");
    }
}

// ---------------------------------------------------------------------------------------------
// Limits
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_burst_above_the_rate_limit_is_refused_in_the_providers_envelope() {
    let (mock, proxy) = pair(&[]);
    let calls = (0..80).map(|_| proxy.http.get(proxy.url(CDN_LIST)).send());
    let answers = futures_util::future::join_all(calls).await;
    let mut passed = 0;
    let mut refused = 0;
    for answer in answers {
        let answer = answer.unwrap();
        match answer.status() {
            StatusCode::OK => passed += 1,
            StatusCode::TOO_MANY_REQUESTS => {
                assert_eq!(answer.headers()["retry-after"], "1");
                let value: Value = answer.json().await.unwrap();
                assert_eq!(cdn_error_code(&value), "PROXY.0429", "{value}");
                refused += 1;
            }
            other => panic!("unexpected {other}"),
        }
    }
    assert!(refused >= 80 - 30 - 10, "CDN's 30/s: {passed} passed, {refused} refused");
    assert_eq!(journal(&mock).await.len(), passed, "refused calls never reach the upstream");

    clear_journal(&mock).await;
    let body = json!({"TopicId": NGINX_TOPIC});
    let calls = (0..50).map(|_| cls_call(&proxy, "DescribeExports", &body, &[]));
    let mut by_proxy = 0;
    let mut forwarded = 0;
    for answer in futures_util::future::join_all(calls).await {
        assert_eq!(answer.status(), StatusCode::OK);
        let value: Value = answer.json().await.unwrap();
        let message = value["Response"]["Error"]["Message"].as_str().unwrap_or_default().to_owned();
        if tencent_error_code(&value) == "RequestLimitExceeded" && message.contains("proxy") {
            by_proxy += 1;
        } else {
            forwarded += 1;
        }
    }
    assert!(by_proxy >= 50 - 20 - 10, "CLS's 20/s: {by_proxy} refused by the proxy");
    assert_eq!(journal(&mock).await.len(), forwarded);
}

#[tokio::test]
async fn a_slow_upstream_times_out_into_the_providers_envelope() {
    let (mock, proxy) = pair(&[("EXPORT_DESK_UPSTREAM_TIMEOUT", "300ms")]);
    mock.post_json("/_mock/faults", r#"{"operation":"cdn:ListExportTasks","latency_ms":3000}"#).await;
    mock.post_json("/_mock/faults", r#"{"operation":"cls:DescribeExports","latency_ms":3000}"#).await;
    let started = Instant::now();
    let answer = proxy.http.get(proxy.url(CDN_LIST)).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::GATEWAY_TIMEOUT);
    let value: Value = answer.json().await.unwrap();
    assert_eq!(cdn_error_code(&value), "PROXY.0504", "{value}");
    assert!(started.elapsed() < Duration::from_millis(2500), "{:?}", started.elapsed());

    let started = Instant::now();
    let answer = cls_call(&proxy, "DescribeExports", &json!({"TopicId": NGINX_TOPIC}), &[]).await;
    assert_eq!(answer.status(), StatusCode::OK);
    let value: Value = answer.json().await.unwrap();
    assert_eq!(tencent_error_code(&value), "InternalError", "{value}");
    assert!(value["Response"]["RequestId"].as_str().is_some_and(|id| !id.is_empty()), "{value}");
    assert!(started.elapsed() < Duration::from_millis(2500), "{:?}", started.elapsed());
}

#[tokio::test]
async fn an_unreachable_upstream_answers_in_the_providers_envelope() {
    // A port that was free a moment ago: nothing listens there.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let proxy = Proxy::start(&closed, &[]);
    let answer = proxy.http.get(proxy.url(CDN_LIST)).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::BAD_GATEWAY);
    let value: Value = answer.json().await.unwrap();
    assert_eq!(cdn_error_code(&value), "PROXY.0502", "{value}");

    let answer = proxy.http.get(proxy.url(&format!("/v5/iot/{PROJECT}/export-tasks"))).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::BAD_GATEWAY);
    let value: Value = answer.json().await.unwrap();
    assert_eq!(value["error_code"], "PROXY.0502", "IoTDA's flat envelope: {value}");

    let answer = cls_call(&proxy, "DescribeExports", &json!({"TopicId": NGINX_TOPIC}), &[]).await;
    assert_eq!(answer.status(), StatusCode::OK);
    let value: Value = answer.json().await.unwrap();
    assert_eq!(tencent_error_code(&value), "ServiceUnavailable", "{value}");
}

#[tokio::test]
async fn a_body_above_the_limit_is_refused_before_the_upstream() {
    let (mock, proxy) = pair(&[("EXPORT_DESK_MAX_BODY_BYTES", "1000")]);
    let big =
        format!(r#"{{"refresh_task":{{"type":"file","urls":["https://www.example.com/{}"]}}}}"#, "a".repeat(2000));
    let answer =
        proxy.http.post(proxy.url(REFRESH)).header(CONTENT_TYPE, "application/json").body(big).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let value: Value = answer.json().await.unwrap();
    assert_eq!(cdn_error_code(&value), "PROXY.0413", "{value}");
    let answer = cls_call(&proxy, "CreateExport", &json!({"Query": "x".repeat(2000)}), &[]).await;
    let value: Value = answer.json().await.unwrap();
    assert_eq!(tencent_error_code(&value), "RequestSizeLimitExceeded", "{value}");
    assert!(journal(&mock).await.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Who may call
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn cors_is_off_by_default_and_on_for_listed_origins() {
    let (mock, proxy) = pair(&[]);
    let preflight = proxy
        .http
        .request(Method::OPTIONS, proxy.url(CDN_LIST))
        .header("Origin", "https://desk.example.com")
        .header("Access-Control-Request-Method", "GET")
        .send()
        .await
        .unwrap();
    assert!(preflight.headers().get("access-control-allow-origin").is_none());
    let foreign =
        proxy.http.get(proxy.url(CDN_LIST)).header("Origin", "https://desk.example.com").send().await.unwrap();
    assert_eq!(foreign.status(), StatusCode::FORBIDDEN);
    assert!(foreign.headers().get("access-control-allow-origin").is_none());
    let value: Value = foreign.json().await.unwrap();
    assert_eq!(cdn_error_code(&value), "PROXY.0403", "{value}");
    let no_cors = proxy.http.get(proxy.url(CDN_LIST)).header("Sec-Fetch-Site", "cross-site").send().await.unwrap();
    assert_eq!(no_cors.status(), StatusCode::FORBIDDEN, "an <img> or no-cors fetch from another site");
    assert!(journal(&mock).await.is_empty());
    let own = format!("http://{}", proxy.host());
    let same = proxy.http.get(proxy.url(CDN_LIST)).header("Origin", &own).send().await.unwrap();
    assert_eq!(same.status(), StatusCode::OK, "the dashboard's own pages");
    assert!(same.headers().get("access-control-allow-origin").is_none());

    let listed = "https://desk.example.com";
    let (mock, proxy) = pair(&[("EXPORT_DESK_ALLOWED_ORIGINS", listed)]);
    let preflight = proxy
        .http
        .request(Method::OPTIONS, proxy.url("/"))
        .header("Origin", listed)
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type, x-tc-action, x-tc-version")
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status(), StatusCode::NO_CONTENT);
    assert_eq!(preflight.headers()["access-control-allow-origin"], listed);
    let allowed = preflight.headers()["access-control-allow-headers"].to_str().unwrap().to_ascii_lowercase();
    assert!(allowed.contains("x-tc-action") && allowed.contains("content-type"), "{allowed}");
    let call = proxy.http.get(proxy.url(CDN_LIST)).header("Origin", listed).send().await.unwrap();
    assert_eq!(call.status(), StatusCode::OK);
    assert_eq!(call.headers()["access-control-allow-origin"], listed);
    assert!(call.headers()["access-control-expose-headers"].to_str().unwrap().contains("X-Request-Id"));
    let config = proxy.http.get(proxy.url("/_desk/config")).header("Origin", listed).send().await.unwrap();
    assert_eq!(config.headers()["access-control-allow-origin"], listed, "the dashboard reads its config too");
    let other = proxy.http.get(proxy.url(CDN_LIST)).header("Origin", "https://other.example").send().await.unwrap();
    assert_eq!(other.status(), StatusCode::FORBIDDEN);
    assert!(other.headers().get("access-control-allow-origin").is_none());
    assert_eq!(journal(&mock).await.len(), 1);
}

#[tokio::test]
async fn an_access_token_is_required_when_configured() {
    let (mock, proxy) = pair(&[("EXPORT_DESK_ACCESS_TOKEN", TOKEN)]);
    for token in [None, Some("wrong-token-of-some-length"), Some(&TOKEN[..TOKEN.len() - 1])] {
        let mut request = proxy.http.get(proxy.url(CDN_LIST));
        if let Some(token) = token {
            request = request.header("X-Desk-Token", token);
        }
        let answer = request.send().await.unwrap();
        assert_eq!(answer.status(), StatusCode::UNAUTHORIZED, "{token:?}");
        let value: Value = answer.json().await.unwrap();
        assert_eq!(cdn_error_code(&value), "PROXY.0401", "{value}");
    }
    let answer = cls_call(&proxy, "DescribeExports", &json!({"TopicId": NGINX_TOPIC}), &[]).await;
    let value: Value = answer.json().await.unwrap();
    assert_eq!(tencent_error_code(&value), "UnauthorizedOperation", "{value}");
    assert!(journal(&mock).await.is_empty());
    let config = proxy.http.get(proxy.url("/_desk/config")).send().await.unwrap();
    assert_eq!(config.status(), StatusCode::OK, "the dashboard's config needs no token");

    let answer = proxy.http.get(proxy.url(CDN_LIST)).header("X-Desk-Token", TOKEN).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    let entries = journal(&mock).await;
    assert_eq!(entries.len(), 1);
    assert!(entries[0]["headers"].get("x-desk-token").is_none(), "the token stays at the proxy");
}

// ---------------------------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn desk_config_names_disabled_providers_and_the_mock_admin_api_is_gone() {
    let mock = Server::start(&[]);
    let env: Vec<(&str, String)> =
        full_env(&mock.base).into_iter().filter(|(name, _)| !name.starts_with("TENCENTCLOUD_")).collect();
    let env: Vec<(&str, &str)> = env.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let proxy = Proxy::start_with(&env, &[]).unwrap();
    let config: Value = proxy.http.get(proxy.url("/_desk/config")).send().await.unwrap().json().await.unwrap();
    assert_eq!(config["mode"], "proxy");
    assert_eq!(config["providers"]["cdn_stats"], json!({"enabled": true}));
    assert_eq!(config["providers"]["iotda"], json!({"enabled": true}));
    assert_eq!(config["providers"]["iotda_project"], json!({"project_id": PROJECT, "instance_id": INSTANCE}));
    assert_eq!(config["providers"]["cls"]["enabled"], false);
    let reason = config["providers"]["cls"]["reason"].as_str().unwrap();
    assert!(reason.contains("TENCENTCLOUD_SECRET_ID"), "{reason}");

    let answer = cls_call(&proxy, "DescribeExports", &json!({"TopicId": NGINX_TOPIC}), &[]).await;
    let value: Value = answer.json().await.unwrap();
    assert_eq!(tencent_error_code(&value), "UnsupportedOperation", "{value}");
    let admin = proxy.http.get(proxy.url("/_mock/journal")).send().await.unwrap();
    assert_eq!(admin.status(), StatusCode::NOT_FOUND);
    let value: Value = admin.json().await.unwrap();
    assert!(value["error"].as_str().unwrap().contains("proxy mode"), "{value}");
    assert!(journal(&mock).await.is_empty());
}

#[tokio::test]
async fn bad_configuration_stops_start_up_naming_what_is_missing() {
    let half_pair = Proxy::start_with(&[("CLOUD_SDK_AK", HUAWEI_AK)], &[]).err().expect("refused");
    assert!(half_pair.contains("CLOUD_SDK_SK"), "{half_pair}");
    assert!(!half_pair.contains(HUAWEI_AK), "{half_pair}");

    let no_ids =
        Proxy::start_with(&[("CLOUD_SDK_AK", HUAWEI_AK), ("CLOUD_SDK_SK", HUAWEI_SK)], &[]).err().expect("refused");
    for missing in ["cdn.domain_id", "EXPORT_DESK_IOTDA_PROJECT_ID", "iotda.region"] {
        assert!(no_ids.contains(missing), "{missing}: {no_ids}");
    }
    assert!(!no_ids.contains(HUAWEI_SK), "{no_ids}");

    let file = std::env::temp_dir().join(format!("export-desk-proxy-test-{}.toml", std::process::id()));
    std::fs::write(&file, "[cdn]\ndomain_id = \"d\"\nsecret_key = \"in-the-file\"\n").unwrap();
    let path = file.to_str().unwrap();
    let secret_in_file = Proxy::start_with(&[], &["--config", path]).err().expect("refused");
    assert!(
        secret_in_file.contains("cdn.secret_key") && secret_in_file.contains("environment only"),
        "{secret_in_file}"
    );
    assert!(!secret_in_file.contains("in-the-file"), "{secret_in_file}");
    std::fs::remove_file(&file).unwrap();

    let missing_file = Proxy::start_with(&[], &["--config", "/nonexistent/export-desk.toml"]).err().expect("refused");
    assert!(missing_file.contains("/nonexistent/export-desk.toml"), "{missing_file}");

    let nothing = Proxy::start_with(&[], &[]).expect("no credentials at all: every provider disabled, still serving");
    let config: Value = nothing.http.get(nothing.url("/_desk/config")).send().await.unwrap().json().await.unwrap();
    for provider in ["cdn_stats", "iotda", "cls"] {
        assert_eq!(config["providers"][provider]["enabled"], false, "{config}");
    }
    assert!(config["providers"].get("iotda_project").is_none(), "{config}");
}
