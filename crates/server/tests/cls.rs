//! Real-HTTP tests of the mock's Tencent CLS log exports: the four actions over `POST /` (DescribeTopics among them), the
//! lifecycle on the mock clock (Queuing, Processing, Completed, Expired after three days), the
//! `.tar.gz` behind `CosPath`, the rate limit, and every refusal in Tencent's envelope with the
//! request id in body and header alike.

mod support;

use reqwest::StatusCode;
use serde_json::{json, Value};
use std::io::Read;
use std::time::Duration;
use support::*;

const NGINX: &str = "2f6c1d3e-8a47-4b9e-9c21-5d7e3f4a6b80";
const BACKEND: &str = "7b1e9a24-3c5d-4e6f-8a90-b1c2d3e4f5a6";
const CLOSED: &str = "e9f0a1b2-c3d4-4e5f-a6b7-c8d9e0f1a2b3";
const MINUTE: i64 = 60_000;
const DAY: i64 = 1_440 * MINUTE;

/// Request headers a case sends.
type Headers<'a> = Vec<(&'a str, &'a str)>;

/// Keeps a test's calls of one action under the documented 20 per second.
const PACE: Duration = Duration::from_millis(60);

async fn now_ms(server: &Server) -> i64 {
    let (_, clock) = api_json(server.get("/_mock/clock").await).await;
    clock["now_ms"].as_i64().expect("now_ms")
}

async fn advance(server: &Server, ms: i64) {
    let answer = server.post_json("/_mock/clock/advance", &json!({ "ms": ms }).to_string()).await;
    assert_eq!(answer.status(), StatusCode::OK);
}

async fn create(server: &Server, params: Value) -> String {
    let response = tencent_response(server.tencent("CreateExport", &params.to_string()).await).await;
    let keys: Vec<&String> = response.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["ExportId", "RequestId"], "{response}");
    let id = response["ExportId"].as_str().unwrap().to_owned();
    let uuid = id.strip_prefix("export-").unwrap_or_else(|| panic!("export-<uuid>: {id}"));
    let groups: Vec<usize> = uuid.split('-').map(str::len).collect();
    assert_eq!(groups, [8, 4, 4, 4, 12], "{id}");
    id
}

async fn describe(server: &Server, params: Value) -> Value {
    let response = tencent_response(server.tencent("DescribeExports", &params.to_string()).await).await;
    assert!(response.get("Error").is_none(), "{params}: {response}");
    for export in response["Exports"].as_array().expect("Exports") {
        for field in ["TopicId", "ExportId", "Query", "FileName", "Order", "Format", "Status", "CosPath", "CreateTime"]
        {
            assert!(export[field].is_string(), "{field}: {export}");
        }
        for field in ["FileSize", "Count", "From", "To", "SyntaxRule", "CreateTimestamp"] {
            assert!(export[field].is_u64(), "{field}: {export}");
        }
        assert!(
            ["Queuing", "Processing", "Completed", "Failed", "Expired"].contains(&export["Status"].as_str().unwrap()),
            "{export}"
        );
        assert_eq!(export["CosPath"] != "", export["Status"] == "Completed", "a link exactly when Completed: {export}");
    }
    response
}

async fn only_export(server: &Server, topic: &str, id: &str) -> Value {
    let page = describe(server, json!({"TopicId": topic, "Limit": 100})).await;
    let export = page["Exports"].as_array().unwrap().iter().find(|e| e["ExportId"] == id).cloned();
    export.unwrap_or_else(|| panic!("{id} not listed: {page}"))
}

/// The archive's one member: its name and content; checks the size headers and `FileSize`.
async fn download(server: &Server, export: &Value) -> (String, String) {
    let answer = server.download(export["CosPath"].as_str().unwrap()).await;
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(header(answer.headers(), "content-type"), "application/gzip");
    assert_eq!(header(answer.headers(), "content-encoding"), "", "served as the archive it is");
    let bytes = answer.bytes().await.unwrap();
    assert_eq!(bytes.len() as u64, export["FileSize"].as_u64().unwrap(), "FileSize is the size served");
    let mut tar = Vec::new();
    flate2::read::GzDecoder::new(bytes.as_ref()).read_to_end(&mut tar).expect("a gzip file");
    assert!(tar.len() >= 3 * 512 && tar.len() % 512 == 0, "{} bytes of tar", tar.len());
    assert_eq!(&tar[257..263], b"ustar\0");
    let name = String::from_utf8(tar[..100].iter().copied().take_while(|&b| b != 0).collect()).unwrap();
    let size = usize::from_str_radix(std::str::from_utf8(&tar[124..135]).unwrap(), 8).unwrap();
    assert!(tar[512 + size..].iter().all(|&b| b == 0), "one member, then the end-of-archive blocks");
    (name, String::from_utf8(tar[512..512 + size].to_vec()).unwrap())
}

fn stem(export: &Value) -> String {
    export["FileName"].as_str().unwrap().strip_suffix(".tar.gz").expect(".tar.gz").to_owned()
}

#[tokio::test]
async fn an_export_queues_runs_completes_downloads_and_expires_after_three_days() {
    let server = Server::start(&[("--task-duration", "10s")]);
    let now = now_ms(&server).await;
    let id = create(
        &server,
        json!({"TopicId": NGINX, "Count": 200, "Query": "*", "From": now - 10 * MINUTE, "To": now,
               "Order": "asc", "Format": "csv"}),
    )
    .await;

    let queued = only_export(&server, NGINX, &id).await;
    assert_eq!(queued["Status"], "Queuing", "{queued}");
    assert_eq!((queued["FileSize"].as_u64(), queued["Count"].as_u64()), (Some(0), Some(200)));
    assert_eq!((queued["Order"].as_str(), queued["Format"].as_str()), (Some("asc"), Some("csv")));
    assert_eq!((queued["Query"].as_str(), queued["SyntaxRule"].as_u64()), (Some("*"), Some(1)));
    assert_eq!((queued["From"].as_i64(), queued["To"].as_i64()), (Some(now - 10 * MINUTE), Some(now)));
    assert!(queued.get("DerivedFields").is_none(), "omitted when not asked: {queued}");
    let created = queued["CreateTimestamp"].as_i64().unwrap();
    let file_name = queued["FileName"].as_str().unwrap();
    assert!(file_name.starts_with(&format!("log_100000000001_{NGINX}_")), "{file_name}");
    assert!(file_name.ends_with(&format!("_{}.tar.gz", created / 1000)), "{file_name}");
    assert_eq!(queued["CreateTime"].as_str().unwrap().len(), "2025-11-24 08:00:00".len());

    // Queuing lasts at most 30 % of a run of at most 12.5 s; a run takes at least 7.5 s.
    advance(&server, 4_000).await;
    assert_eq!(only_export(&server, NGINX, &id).await["Status"], "Processing");
    advance(&server, 9_000).await;
    let done = only_export(&server, NGINX, &id).await;
    assert_eq!(done["Status"], "Completed", "{done}");
    let link = done["CosPath"].as_str().unwrap();
    assert!(link.starts_with(&format!("{}/_mock/files/cls/{id}/{file_name}?", server.base)), "{link}");
    assert!(link.contains("q-sign-time="), "{link}");

    let (member, content) = download(&server, &done).await;
    assert_eq!(member, format!("{}.csv", stem(&done)));
    let rows: Vec<&str> = content.lines().collect();
    assert_eq!(rows.len(), 1 + 200, "a heading and Count rows");
    assert!(rows[0].starts_with("__TIMESTAMP__,__SOURCE__,__FILENAME__,remote_addr,method,url,status"), "{}", rows[0]);
    let times: Vec<i64> = rows[1..].iter().map(|r| r.split(',').next().unwrap().parse().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "asc");
    assert!(times.iter().all(|t| (now - 10 * MINUTE..now).contains(t)), "within From..To");
    let again = download(&server, &only_export(&server, NGINX, &id).await).await;
    assert_eq!(again.1, content, "the same file every time");

    // Three days after completion the file is gone: a link handed out just before stops working.
    let until_last_hour = created + 3 * DAY - 20 * MINUTE - now_ms(&server).await;
    advance(&server, until_last_hour).await;
    let last_chance = only_export(&server, NGINX, &id).await;
    assert_eq!(last_chance["Status"], "Completed");
    advance(&server, 40 * MINUTE).await;
    let expired = only_export(&server, NGINX, &id).await;
    assert_eq!(expired["Status"], "Expired", "{expired}");
    assert_eq!(expired["FileSize"], done["FileSize"], "the size stays on record");
    let gone = server.download(last_chance["CosPath"].as_str().unwrap()).await;
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    assert_eq!(header(gone.headers(), "content-type"), "application/xml");
    assert!(gone.text().await.unwrap().contains("<Code>NoSuchKey</Code>"));
}

#[tokio::test]
async fn json_exports_are_newest_first_with_query_terms_and_derived_fields_honoured() {
    let server = Server::start(&[]);
    let now = now_ms(&server).await;
    let id = create(
        &server,
        json!({"TopicId": BACKEND, "Count": 60, "Query": "level:ERROR AND logger:payment.client",
               "From": now - 30 * MINUTE, "To": now, "DerivedFields": ["__TIMESTAMP__", "level", "logger", "message"],
               "SyntaxRule": 0}),
    )
    .await;
    advance(&server, 1_000).await;
    let export = only_export(&server, BACKEND, &id).await;
    assert_eq!(export["Status"], "Completed");
    assert_eq!((export["Order"].as_str(), export["Format"].as_str()), (Some("desc"), Some("json")), "defaults");
    assert_eq!(export["SyntaxRule"], 0);
    assert_eq!(export["DerivedFields"], json!(["__TIMESTAMP__", "level", "logger", "message"]));
    let (member, content) = download(&server, &export).await;
    assert_eq!(member, format!("{}.json", stem(&export)));
    let logs: Vec<Value> = content.lines().map(|l| serde_json::from_str(l).expect("a JSON object per line")).collect();
    assert_eq!(logs.len(), 60);
    let times: Vec<i64> = logs.iter().map(|l| l["__TIMESTAMP__"].as_i64().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "desc");
    for log in &logs {
        assert_eq!(log.as_object().unwrap().len(), 4, "only the derived fields: {log}");
        assert_eq!((log["level"].as_str(), log["logger"].as_str()), (Some("ERROR"), Some("payment.client")), "{log}");
    }
}

#[tokio::test]
async fn describe_pages_newest_first_and_delete_removes() {
    let server = Server::start(&[]);
    let now = now_ms(&server).await;
    let mut ids = Vec::new();
    for count in [1, 2, 3] {
        advance(&server, 5).await;
        ids.push(
            create(&server, json!({"TopicId": NGINX, "Count": count, "Query": "*", "From": now - MINUTE, "To": now}))
                .await,
        );
    }
    create(&server, json!({"TopicId": BACKEND, "Count": 1, "Query": "*", "From": now - MINUTE, "To": now})).await;
    let listed = |page: &Value| -> Vec<String> {
        page["Exports"].as_array().unwrap().iter().map(|e| e["ExportId"].as_str().unwrap().to_owned()).collect()
    };
    let all = describe(&server, json!({"TopicId": NGINX})).await;
    assert_eq!(all["TotalCount"], 3);
    assert_eq!(listed(&all), [ids[2].clone(), ids[1].clone(), ids[0].clone()], "newest first, this topic only");
    let second = describe(&server, json!({"TopicId": NGINX, "Offset": 1, "Limit": 1})).await;
    assert_eq!((listed(&second), second["TotalCount"].as_u64()), (vec![ids[1].clone()], Some(3)));
    let past_the_end = describe(&server, json!({"TopicId": NGINX, "Offset": 3, "Limit": 100})).await;
    assert!(listed(&past_the_end).is_empty());
    let closed = describe(&server, json!({"TopicId": CLOSED})).await;
    assert_eq!(closed["TotalCount"], 0, "a closed topic still lists");

    let deleted =
        tencent_response(server.tencent("DeleteExport", &json!({"ExportId": ids[1]}).to_string()).await).await;
    assert_eq!(deleted.as_object().unwrap().keys().collect::<Vec<_>>(), ["RequestId"]);
    let after = describe(&server, json!({"TopicId": NGINX})).await;
    assert_eq!((listed(&after), after["TotalCount"].as_u64()), (vec![ids[2].clone(), ids[0].clone()], Some(2)));
    let twice = server.tencent("DeleteExport", &json!({"ExportId": ids[1]}).to_string()).await;
    assert_tencent_error(twice, "ResourceNotFound.ExportNotExist", "deleted twice", Some(&ids[1])).await;
}

#[tokio::test]
async fn every_refusal_answers_in_tencents_envelope_with_its_code() {
    let server = Server::start(&[]);
    let span = |from: i64, to: i64| json!({"TopicId": NGINX, "Count": 10, "Query": "*", "From": from, "To": to});
    let create_with = |edit: &dyn Fn(&mut Value)| {
        let mut params = span(1_700_000_000_000, 1_700_000_060_000);
        edit(&mut params);
        params.to_string()
    };
    let cases: Vec<(&str, String, &str, Option<&str>)> = vec![
        ("CreateExport", "not json".into(), "InvalidParameter", Some("JSON")),
        ("CreateExport", "[1,2]".into(), "InvalidParameter", Some("object")),
        ("CreateExport", create_with(&|p| p["Extra"] = json!(1)), "UnknownParameter", Some("`Extra`")),
        ("CreateExport", create_with(&|p| p["Count"] = json!("ten")), "InvalidParameter", Some("`Count`")),
        ("CreateExport", create_with(&|p| p["Count"] = json!(1.5)), "InvalidParameter", Some("`Count`")),
        ("CreateExport", create_with(&|p| p["TopicId"] = json!(5)), "InvalidParameter", Some("`TopicId`")),
        ("CreateExport", create_with(&|p| p["DerivedFields"] = json!("a")), "InvalidParameter", Some("DerivedFields")),
        ("CreateExport", create_with(&|p| p["Order"] = json!(["asc"])), "InvalidParameter", Some("`Order`")),
        ("CreateExport", "".into(), "MissingParameter", Some("`TopicId`")),
        (
            "CreateExport",
            create_with(&|p| {
                p.as_object_mut().unwrap().remove("Count");
            }),
            "MissingParameter",
            Some("`Count`"),
        ),
        (
            "CreateExport",
            create_with(&|p| {
                p.as_object_mut().unwrap().remove("Query");
            }),
            "MissingParameter",
            Some("`Query`"),
        ),
        (
            "CreateExport",
            create_with(&|p| {
                p.as_object_mut().unwrap().remove("From");
            }),
            "MissingParameter",
            Some("`From`"),
        ),
        (
            "CreateExport",
            create_with(&|p| {
                p.as_object_mut().unwrap().remove("To");
            }),
            "MissingParameter",
            Some("`To`"),
        ),
        ("CreateExport", create_with(&|p| p["Count"] = json!(0)), "InvalidParameterValue", Some("Count")),
        ("CreateExport", create_with(&|p| p["Count"] = json!(50_000_001)), "InvalidParameterValue", Some("50000000")),
        ("CreateExport", create_with(&|p| p["To"] = p["From"].clone()), "InvalidParameterValue", Some("To")),
        ("CreateExport", create_with(&|p| p["From"] = json!(-1)), "InvalidParameterValue", Some("From")),
        ("CreateExport", create_with(&|p| p["Order"] = json!("up")), "InvalidParameterValue", Some("desc, asc")),
        ("CreateExport", create_with(&|p| p["Format"] = json!("xml")), "InvalidParameterValue", Some("json, csv")),
        ("CreateExport", create_with(&|p| p["SyntaxRule"] = json!(2)), "InvalidParameterValue", Some("SyntaxRule")),
        (
            "CreateExport",
            create_with(&|p| p["Query"] = json!("* | select count(*)")),
            "InvalidParameterValue",
            Some("SQL"),
        ),
        (
            "CreateExport",
            create_with(&|p| p["DerivedFields"] = json!([""])),
            "InvalidParameterValue",
            Some("DerivedFields"),
        ),
        ("CreateExport", create_with(&|p| p["Query"] = json!(" ")), "InvalidParameterValue", Some("blank")),
        (
            "CreateExport",
            create_with(&|p| p["DerivedFields"] = json!(["status", "a b"])),
            "InvalidParameterValue",
            Some("`a b` is not a log field name"),
        ),
        ("CreateExport", create_with(&|p| p["DerivedFields"] = json!(["<x>"])), "InvalidParameterValue", Some("`<x>`")),
        (
            "CreateExport",
            create_with(&|p| p["TopicId"] = json!("00000000-0000-4000-8000-000000000000")),
            "ResourceNotFound.TopicNotExist",
            Some("00000000-0000-4000-8000-000000000000"),
        ),
        ("CreateExport", create_with(&|p| p["TopicId"] = json!(CLOSED)), "FailedOperation.TopicClosed", Some(CLOSED)),
        ("DescribeExports", "{}".into(), "MissingParameter", Some("`TopicId`")),
        ("DescribeExports", json!({"TopicId": NGINX, "Limit": 0}).to_string(), "InvalidParameterValue", Some("Limit")),
        ("DescribeExports", json!({"TopicId": NGINX, "Limit": 101}).to_string(), "InvalidParameterValue", Some("100")),
        (
            "DescribeExports",
            json!({"TopicId": NGINX, "Offset": -1}).to_string(),
            "InvalidParameterValue",
            Some("Offset"),
        ),
        ("DescribeExports", json!({"TopicId": NGINX, "Limit": "20"}).to_string(), "InvalidParameter", Some("`Limit`")),
        ("DescribeExports", json!({"TopicId": "nope"}).to_string(), "ResourceNotFound.TopicNotExist", Some("nope")),
        (
            "DescribeExports",
            json!({"TopicId": NGINX, "ExportId": "x"}).to_string(),
            "UnknownParameter",
            Some("ExportId"),
        ),
        ("DeleteExport", "{}".into(), "MissingParameter", Some("`ExportId`")),
        ("DeleteExport", json!({"ExportId": ""}).to_string(), "InvalidParameterValue", Some("ExportId")),
        (
            "DeleteExport",
            json!({"ExportId": "export-nope"}).to_string(),
            "ResourceNotFound.ExportNotExist",
            Some("export-nope"),
        ),
        ("DeleteExport", "null".into(), "InvalidParameter", Some("object")),
    ];
    for (action, body, code, mentions) in cases {
        let case = format!("{action} {body}");
        assert_tencent_error(server.tencent(action, &body).await, code, &case, mentions).await;
        tokio::time::sleep(PACE).await;
    }

    let version = ("X-TC-Version", "2020-10-16");
    let header_cases: Vec<(Headers, &str, &str)> = vec![
        (vec![version], "MissingParameter", "`Action`"),
        (vec![("X-TC-Action", ""), version], "MissingParameter", "`Action`"),
        (vec![("X-TC-Action", "SearchLog"), version], "InvalidAction", "SearchLog"),
        (vec![("X-TC-Action", "describeexports"), version], "InvalidAction", "describeexports"),
        (vec![("X-TC-Action", "DescribeExports")], "MissingParameter", "`Version`"),
        (vec![("X-TC-Action", "DescribeExports"), ("X-TC-Version", "2017-03-12")], "NoSuchVersion", "2017-03-12"),
    ];
    for (headers, code, mentions) in header_cases {
        let case = format!("{headers:?}");
        let answer = server.tencent_with(&headers, &json!({"TopicId": NGINX}).to_string()).await;
        assert_tencent_error(answer, code, &case, Some(mentions)).await;
        tokio::time::sleep(PACE).await;
    }
}

#[tokio::test]
async fn more_than_twenty_calls_a_second_are_refused_per_action() {
    let server = Server::start(&[]);
    let body = json!({"TopicId": NGINX}).to_string();
    let mut refused = 0;
    let mut passed = 0;
    for _ in 0..30 {
        let response = tencent_response(server.tencent("DescribeExports", &body).await).await;
        match response["Error"]["Code"].as_str() {
            None => passed += 1,
            Some("RequestLimitExceeded") => refused += 1,
            Some(other) => panic!("{other}: {response}"),
        }
    }
    assert!(passed >= 20, "the first 20 pass: {passed}");
    assert!(refused >= 5, "then the limit bites: {refused} refused");
    let other_action = server.tencent("DeleteExport", &json!({"ExportId": "export-x"}).to_string()).await;
    assert_tencent_error(other_action, "ResourceNotFound.ExportNotExist", "another action's budget", None).await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let rested = describe(&server, json!({"TopicId": NGINX})).await;
    assert_eq!(rested["TotalCount"], 0, "a second later the budget is back");
}

#[tokio::test]
async fn links_are_signed_expire_after_an_hour_and_name_the_public_url() {
    let server = Server::start(&[("--public-url", "https://desk.example.test/")]);
    let now = now_ms(&server).await;
    let id =
        create(&server, json!({"TopicId": NGINX, "Count": 5, "Query": "*", "From": now - MINUTE, "To": now})).await;
    advance(&server, 1_000).await;
    let export = only_export(&server, NGINX, &id).await;
    let link = export["CosPath"].as_str().unwrap();
    let prefix = format!("https://desk.example.test/_mock/files/cls/{id}/");
    assert!(link.starts_with(&prefix), "{link}");
    let local = link.replacen("https://desk.example.test", &server.base, 1);
    assert_eq!(server.download(&local).await.status(), StatusCode::OK);

    let tampered = local.replace("q-signature=", "q-signature=0");
    let refused = server.download(&tampered).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(refused.text().await.unwrap().contains("<Code>SignatureDoesNotMatch</Code>"));
    let unsigned = server.download(local.split('?').next().unwrap()).await;
    assert_eq!(unsigned.status(), StatusCode::FORBIDDEN);
    let wrong_file = local.replace(".tar.gz?", ".zip?");
    assert_eq!(server.download(&wrong_file).await.status(), StatusCode::FORBIDDEN, "the path is signed too");

    advance(&server, 61 * MINUTE).await;
    let stale = server.download(&local).await;
    assert_eq!(stale.status(), StatusCode::FORBIDDEN);
    let text = stale.text().await.unwrap();
    assert!(text.contains("<Code>AccessDenied</Code>") && text.contains("expired"), "{text}");
    let fresh = only_export(&server, NGINX, &id).await;
    let fresh_local = fresh["CosPath"].as_str().unwrap().replacen("https://desk.example.test", &server.base, 1);
    assert_eq!(server.download(&fresh_local).await.status(), StatusCode::OK, "a new listing, a new hour");
    let posted = server.http.post(&fresh_local).send().await.unwrap();
    assert_eq!(posted.status(), StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn post_root_is_tencents_and_every_other_method_stays_the_dashboards() {
    let server = Server::start(&[]);
    let page = server.get("/").await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains(MARKER));
    let head = server.request(reqwest::Method::HEAD, "/").await;
    assert_eq!(head.status(), StatusCode::OK);
    let put = server.request(reqwest::Method::PUT, "/").await;
    assert_eq!(put.status(), StatusCode::METHOD_NOT_ALLOWED, "as before: the file server refuses");
    let bare = server.post_json("/", "{}").await;
    assert_tencent_error(bare, "MissingParameter", "POST / without headers", Some("`Action`")).await;
}

#[tokio::test]
async fn operations_are_journaled_and_faults_answer_in_tencents_envelope() {
    let server = Server::start(&[]);
    let rule = json!({"operation": "cls:DescribeExports", "error_code": "InternalError", "times": 1});
    let (status, _) = api_json(server.post_json("/_mock/faults", &rule.to_string()).await).await;
    assert_eq!(status, StatusCode::OK);
    let forced = server.tencent("DescribeExports", &json!({"TopicId": NGINX}).to_string()).await;
    assert_tencent_error(forced, "InternalError", "forced", None).await;
    describe(&server, json!({"TopicId": NGINX})).await;
    let now = now_ms(&server).await;
    create(&server, json!({"TopicId": NGINX, "Count": 1, "Query": "*", "From": now - MINUTE, "To": now})).await;
    let (_, journal) = api_json(server.get("/_mock/journal?operation=cls:CreateExport").await).await;
    let entries = journal["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{journal}");
    assert_eq!((entries[0]["method"].as_str(), entries[0]["path"].as_str()), (Some("POST"), Some("/")));
    let (_, operations) = api_json(server.get("/_mock/operations").await).await;
    let names: Vec<&str> =
        operations["operations"].as_array().unwrap().iter().filter_map(|o| o["name"].as_str()).collect();
    for name in ["cls:CreateExport", "cls:DescribeExports", "cls:DeleteExport"] {
        assert!(names.contains(&name), "{name}: {names:?}");
    }
}

async fn demo_ids(server: &Server) -> Vec<Value> {
    let mut ids = Vec::new();
    for topic in [NGINX, BACKEND, "c4d8e2f1-6a3b-4c7d-9e0f-1a2b3c4d5e6f"] {
        let page = describe(server, json!({"TopicId": topic, "Limit": 100})).await;
        ids.extend(page["Exports"].as_array().unwrap().iter().map(|e| e["ExportId"].clone()));
    }
    ids
}

#[tokio::test]
async fn demo_exports_repeat_for_a_seed_and_the_desk_config_lists_the_topics() {
    let server = Server::start(&[("--demo-tasks", "12")]);
    let first = demo_ids(&server).await;
    assert_eq!(first.len(), 12);
    let reset = server.post_json("/_mock/reset", "{}").await;
    assert_eq!(reset.status(), StatusCode::OK);
    assert_eq!(demo_ids(&server).await, first, "the same seed, the same exports");

    let (_, config) = api_json(server.get("/_desk/config").await).await;
    assert_eq!(config["providers"]["cls"], json!({"enabled": true}), "{config}");
    let topics = config["providers"]["cls_topics"].as_array().unwrap();
    assert_eq!(topics.len(), 4);
    assert_eq!(topics[0], json!({"id": NGINX, "name": "nginx-access", "closed": false}));
    assert!(topics.iter().any(|t| t["id"] == CLOSED && t["closed"] == true));
}

#[tokio::test]
async fn x_tc_language_zh_cn_answers_in_chinese_with_the_same_codes_and_en_us_or_none_in_english() {
    let server = Server::start(&[]);
    let headers = |action: &'static str, language: Option<&'static str>| {
        let mut headers: Headers = vec![("X-TC-Action", action), ("X-TC-Version", "2020-10-16")];
        headers.extend(language.map(|language| ("X-TC-Language", language)));
        headers
    };
    let refused = |response: Value| (response["Error"]["Code"].clone(), response["Error"]["Message"].clone());
    let backwards =
        json!({"TopicId": NGINX, "Count": 10, "Query": "*", "From": 1_700_000_060_000_i64, "To": 1_700_000_000_000_i64})
            .to_string();
    for (language, message) in [
        (Some("zh-CN"), "To：必须晚于 From"),
        (Some("en-US"), "To: must be after From"),
        (None, "To: must be after From"),
        (Some("fr-FR"), "To: must be after From"),
    ] {
        let answer = server.tencent_with(&headers("CreateExport", language), &backwards).await;
        assert_eq!(
            refused(tencent_response(answer).await),
            (json!("InvalidParameterValue"), json!(message)),
            "{language:?}"
        );
        tokio::time::sleep(PACE).await;
    }
    let unknown_topic = json!({"TopicId": "no-such-topic"}).to_string();
    for (language, message) in
        [("zh-CN", "日志主题 `no-such-topic` 不存在。"), ("en-US", "The topic `no-such-topic` does not exist.")]
    {
        let answer = server.tencent_with(&headers("DescribeExports", Some(language)), &unknown_topic).await;
        assert_eq!(
            refused(tencent_response(answer).await),
            (json!("ResourceNotFound.TopicNotExist"), json!(message)),
            "{language}"
        );
        tokio::time::sleep(PACE).await;
    }
    let answer = server.tencent_with(&headers("DeleteExport", Some("zh-CN")), "{}").await;
    assert_eq!(
        refused(tencent_response(answer).await),
        (json!("MissingParameter"), json!("缺少必需参数 `ExportId`。"))
    );
}

/// The names DescribeTopics answers for `params`, checking every topic's fields are of the SDK's types.
async fn topic_names(server: &Server, params: Value) -> (Vec<String>, u64) {
    let response = tencent_response(server.tencent("DescribeTopics", &params.to_string()).await).await;
    assert!(response.get("Error").is_none(), "{params}: {response}");
    let topics = response["Topics"].as_array().expect("Topics");
    for topic in topics {
        for field in ["LogsetId", "TopicId", "TopicName", "CreateTime", "StorageType", "Describes"] {
            assert!(topic[field].is_string(), "{field}: {topic}");
        }
        for field in ["PartitionCount", "MaxSplitPartitions", "Period", "HotPeriod", "BizType"] {
            assert!(topic[field].is_u64(), "{field}: {topic}");
        }
        for field in ["Index", "Status", "AutoSplit", "IsWebTracking"] {
            assert!(topic[field].is_boolean(), "{field}: {topic}");
        }
        assert!(topic["Tags"].as_array().unwrap().iter().all(|tag| tag["Key"].is_string() && tag["Value"].is_string()));
    }
    let names = topics.iter().map(|t| t["TopicName"].as_str().unwrap().to_owned()).collect();
    (names, response["TotalCount"].as_u64().expect("TotalCount"))
}

#[tokio::test]
async fn describe_topics_filters_pages_and_agrees_with_what_create_export_accepts() {
    let server = Server::start(&[]);
    let (all, total) = topic_names(&server, json!({})).await;
    assert_eq!((all.len() as u64, total), (4, 4));
    let (page, total) = topic_names(&server, json!({"Offset": 1, "Limit": 2})).await;
    assert_eq!((page, total), (vec![all[1].clone(), all[2].clone()], 4), "a page of every match");
    let by_name = json!({"Filters": [{"Key": "topicName", "Values": ["BACK"]}]});
    assert_eq!(topic_names(&server, by_name).await, (vec!["app-backend".to_owned()], 1));
    let by_id = json!({"Filters": [{"Key": "topicId", "Values": [CLOSED]}]});
    let response = tencent_response(server.tencent("DescribeTopics", &by_id.to_string()).await).await;
    assert_eq!(response["Topics"][0]["Status"], false, "a closed topic is listed as closed: {response}");
    let unknown = json!({"Filters": [{"Key": "topicId", "Values": ["no-such-topic"]}]});
    assert_eq!(topic_names(&server, unknown).await, (vec![], 0), "a search, not a look-up");

    // Every topic listed exists for CreateExport: the open ones take exports, the closed one refuses.
    let response = tencent_response(server.tencent("DescribeTopics", "{}").await).await;
    for topic in response["Topics"].as_array().unwrap() {
        let params = json!({"TopicId": topic["TopicId"], "Count": 10, "Query": "*", "From": 1_700_000_000_000_i64, "To": 1_700_000_060_000_i64});
        let created = tencent_response(server.tencent("CreateExport", &params.to_string()).await).await;
        let expected = if topic["Status"] == true { None } else { Some("FailedOperation.TopicClosed") };
        assert_eq!(created["Error"]["Code"].as_str(), expected, "{topic}: {created}");
    }

    for (params, code, part) in [
        (
            json!({"Filters": [{"Key": "name", "Values": ["x"]}]}),
            "InvalidParameterValue",
            "filter 1: Key must be one of",
        ),
        (json!({"Filters": [{"Key": "topicId", "Values": []}]}), "InvalidParameterValue", "Values must hold 1 to 100"),
        (json!({"Filters": [{"Key": "topicId"}]}), "MissingParameter", "`Filters.0.Values`"),
        (json!({"Filters": [{"Key": "topicId", "Values": ["a"], "Extra": 1}]}), "InvalidParameter", "Filters"),
        (json!({"Limit": 101}), "InvalidParameterValue", "Limit: must be from 1 to 100, not 101"),
        (json!({"Limit": 0}), "InvalidParameterValue", "Limit: must be from 1 to 100, not 0"),
        (json!({"Offset": -1}), "InvalidParameterValue", "Offset"),
        (json!({"Limit": "20"}), "InvalidParameter", "`Limit`"),
        (json!({"TopicId": NGINX}), "UnknownParameter", "`TopicId`"),
    ] {
        let answer = server.tencent("DescribeTopics", &params.to_string()).await;
        assert_tencent_error(answer, code, &params.to_string(), Some(part)).await;
    }
}

#[tokio::test]
async fn describe_topics_speaks_chinese_when_asked_and_has_its_own_fifty_a_second() {
    let server = Server::start(&[]);
    let zh = [("X-TC-Action", "DescribeTopics"), ("X-TC-Version", "2020-10-16"), ("X-TC-Language", "zh-CN")];
    let answer = server.tencent_with(&zh, &json!({"Limit": 101}).to_string()).await;
    let response = tencent_response(answer).await;
    assert_eq!(response["Error"]["Code"], "InvalidParameterValue");
    assert_eq!(response["Error"]["Message"], "Limit：须在 1 到 100 之间，当前为 101", "{response}");
    let answer = server.tencent_with(&zh, &json!({"Filters": [{"Key": "name", "Values": ["x"]}]}).to_string()).await;
    let message = tencent_response(answer).await["Error"]["Message"].as_str().unwrap().to_owned();
    assert!(message.starts_with("Filters：第 1 个过滤条件：Key 须为"), "{message}");

    // 50 a second, counted apart from the export actions' 20.
    let mut passed = 0;
    for _ in 0..48 {
        let response = tencent_response(server.tencent("DescribeTopics", "{}").await).await;
        passed += usize::from(response.get("Error").is_none());
    }
    assert!(passed >= 45, "DescribeTopics takes 50 a second: {passed}");
    let exports = describe(&server, json!({"TopicId": NGINX})).await;
    assert_eq!(exports["TotalCount"], 0, "DescribeExports has its own budget");
    let mut refused = 0;
    for _ in 0..20 {
        let response = tencent_response(server.tencent("DescribeTopics", "{}").await).await;
        refused += usize::from(response["Error"]["Code"] == "RequestLimitExceeded");
    }
    assert!(refused > 0, "then the limit bites");
}
