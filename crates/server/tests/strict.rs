//! Strict mode (`--verify-signatures`) over real HTTP, each test against its own `export-desk`
//! process. Requests are signed with the project's signing library (itself checked byte for byte
//! against the official SDKs in `signing.rs`), then sent as they are or changed after signing.
//!
//! Covered: correctly signed CDN, IoTDA (also derived `V11-HMAC-SHA256`) and CLS calls succeed;
//! unsigned, malformed, wrong-secret, unknown-key, tampered (body, path, query, signed header,
//! timestamp) and 20-minutes-off calls get the providers' own authentication errors; the wall
//! clock judges, not the mock clock; refusals are journaled; configured credentials replace the
//! defaults; the admin API, the dashboard, download links and unknown paths are never checked;
//! and without strict mode signatures are ignored entirely.

mod support;

use chrono::{DateTime, Duration as ChronoDuration, Utc};
use export_desk_server::mock::strict::{
    DEFAULT_HUAWEI_AK, DEFAULT_HUAWEI_SK, DEFAULT_TENCENT_SECRET_ID, DEFAULT_TENCENT_SECRET_KEY,
};
use export_desk_server::sign::{huawei, tencent, SignableRequest, Signed};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::*;

const STRICT: (&str, &str) = ("--verify-signatures", "true");
const CDN_TASKS: &str = "/v1/cdn/statistics/export-tasks";
const DOMAIN_ID: &str = "0123456789abcdef0123456789abcdef";
const PROJECT: &str = "fedcba9876543210fedcba9876543210";
const NGINX_TOPIC: &str = "2f6c1d3e-8a47-4b9e-9c21-5d7e3f4a6b80";
const AUTH_PREFIX: &str = "Incorrect IAM authentication information: ";

fn iotda_tasks(project: &str) -> String {
    format!("/v5/iot/{project}/export-tasks")
}

/// A valid CDN CreateExportTask body: one day of hourly data for two domains.
fn cdn_export_body() -> Vec<u8> {
    json!({
        "action": "reports_detail",
        "domain_name": "a.example.com,b.example.com",
        "start_time": 1_763_942_400_000_i64,
        "end_time": 1_763_942_400_000_i64 + 24 * 3_600_000,
        "interval": 3600,
        "language": "en",
    })
    .to_string()
    .into_bytes()
}

fn iotda_export_body() -> Vec<u8> {
    json!({"resource_type": "BatchTask", "resource_condition": {"task_id": "5f1a2b3c4d5e6f7a8b9c0d1e"}})
        .to_string()
        .into_bytes()
}

/// A CLS CreateExport body for the last ten minutes of the demo nginx topic.
fn cls_export_body() -> Value {
    let now = Utc::now().timestamp_millis();
    json!({"TopicId": NGINX_TOPIC, "Count": 10, "Query": "*", "From": now - 600_000, "To": now})
}

/// One request as it goes over the wire: before signing, the headers the client sets; after, all of them.
#[derive(Debug, Clone)]
struct Wire {
    method: Method,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Wire {
    /// A Huawei call as the SDK prepares it: JSON content type (even without a body), a user agent,
    /// the account header (`X-Domain-Id` for CDN, `X-Project-Id` for IoTDA); the query canonical.
    fn huawei(method: Method, path: &str, query: &str, body: Vec<u8>) -> Self {
        let account = if path.starts_with("/v5/") { ("X-Project-Id", PROJECT) } else { ("X-Domain-Id", DOMAIN_ID) };
        Self {
            method,
            path: path.to_owned(),
            query: huawei::canonical_query(query),
            headers: vec![
                ("Content-Type".into(), "application/json".into()),
                ("User-Agent".into(), "huaweicloud-usdk-python/3.0; strict-mode-test".into()),
                (account.0.into(), account.1.into()),
            ],
            body,
        }
    }

    /// A CLS call as the Tencent SDK prepares it.
    fn cls(action: &str, body: &Value) -> Self {
        Self {
            method: Method::POST,
            path: "/".into(),
            query: String::new(),
            headers: vec![
                ("Content-Type".into(), "application/json".into()),
                ("X-TC-Action".into(), action.into()),
                ("X-TC-Version".into(), "2020-10-16".into()),
                ("X-TC-Region".into(), "ap-guangzhou".into()),
            ],
            body: body.to_string().into_bytes(),
        }
    }

    fn with_signed(self, signed: Signed) -> Self {
        Self { headers: signed.headers, ..self }
    }

    fn sign_with<T>(&self, host: &str, sign: impl FnOnce(&SignableRequest<'_>) -> T) -> T {
        let pairs: Vec<(&str, &str)> = self.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        sign(&SignableRequest {
            method: self.method.as_str(),
            host,
            path: &self.path,
            query: &self.query,
            headers: &pairs,
            body: &self.body,
        })
    }

    fn huawei_signed(self, server: &Server, ak: &str, sk: &str, scheme: huawei::Scheme<'_>, at: DateTime<Utc>) -> Self {
        let credentials = huawei::Credentials { access_key: ak, secret_key: sk };
        let signed = self.sign_with(host(server), |request| huawei::sign(request, &credentials, scheme, at));
        self.with_signed(signed)
    }

    /// Signed now with the default test credentials.
    fn huawei_ok(self, server: &Server) -> Self {
        self.huawei_signed(server, DEFAULT_HUAWEI_AK, DEFAULT_HUAWEI_SK, huawei::Scheme::Sdk, Utc::now())
    }

    fn tencent_signed(self, server: &Server, id: &str, key: &str, at: DateTime<Utc>) -> Self {
        let credentials = tencent::Credentials { secret_id: id, secret_key: key, token: None };
        let signed = self.sign_with(host(server), |request| {
            tencent::sign(request, &credentials, tencent::CLS_SERVICE, at, tencent::Payload::Signed)
        });
        self.with_signed(signed)
    }

    fn tencent_ok(self, server: &Server) -> Self {
        self.tencent_signed(server, DEFAULT_TENCENT_SECRET_ID, DEFAULT_TENCENT_SECRET_KEY, Utc::now())
    }

    /// Replaces a header's value (any case), or adds it.
    fn set_header(mut self, name: &str, value: &str) -> Self {
        match self.headers.iter_mut().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
            Some(header) => header.1 = value.to_owned(),
            None => self.headers.push((name.to_owned(), value.to_owned())),
        }
        self
    }

    fn header(&self, name: &str) -> &str {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map_or("", |(_, v)| v.as_str())
    }

    async fn send(&self, server: &Server) -> reqwest::Response {
        let mut url = server.url(&self.path);
        if !self.query.is_empty() {
            url = format!("{url}?{}", self.query);
        }
        let mut request = server.http.request(self.method.clone(), url).body(self.body.clone());
        for (name, value) in &self.headers {
            // reqwest writes the Host of the URL itself: the same value the request was signed with.
            if !name.eq_ignore_ascii_case("host") {
                request = request.header(name, value);
            }
        }
        request.send().await.expect("request reaches the server")
    }
}

/// The `Host` the client sends: the server's `127.0.0.1:<port>`.
fn host(server: &Server) -> &str {
    server.base.strip_prefix("http://").expect("an http base URL")
}

/// Asserts the gateway's IAM authentication error, exactly: 401, flat
/// `{"error_code":"APIGW.0301","error_msg":…,"request_id":…}`, the request id also in the header.
/// Returns what follows the message's fixed prefix.
async fn assert_huawei_refused(answer: reqwest::Response, case: &str, mentions: &str) -> String {
    let request_id = header(answer.headers(), "x-request-id");
    let (status, body) = api_json(answer).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{case}: {body}");
    let keys: Vec<&String> = body.as_object().map(|o| o.keys().collect()).unwrap_or_default();
    assert_eq!(keys, ["error_code", "error_msg", "request_id"], "{case}: {body}");
    assert_eq!(body["error_code"], "APIGW.0301", "{case}: {body}");
    assert_eq!(body["request_id"], request_id.as_str(), "{case}: header and body carry the same id");
    let message = body["error_msg"].as_str().unwrap_or_default();
    let detail = message.strip_prefix(AUTH_PREFIX).unwrap_or_else(|| panic!("{case}: {message}"));
    assert!(detail.contains(mentions), "{case}: the message should mention {mentions:?}: {message}");
    detail.to_owned()
}

/// Asserts a 2xx answer in JSON; returns the body.
async fn assert_accepted(answer: reqwest::Response, case: &str) -> Value {
    let (status, body) = api_json(answer).await;
    assert!(status.is_success(), "{case}: {status} {body}");
    body
}

/// Asserts a Tencent answer that is not an error; returns the inside of `Response`.
async fn assert_tencent_ok(answer: reqwest::Response, case: &str) -> Value {
    let response = tencent_response(answer).await;
    assert!(response.get("Error").is_none(), "{case}: {response}");
    response
}

#[tokio::test]
async fn correctly_signed_cdn_iotda_and_cls_calls_succeed() {
    let server = Server::start(&[STRICT]);

    let created = Wire::huawei(Method::POST, CDN_TASKS, "", cdn_export_body()).huawei_ok(&server).send(&server).await;
    assert_eq!(assert_accepted(created, "cdn create").await, json!({}));
    // A query the SDK encodes (a space) and sorts.
    let list = Wire::huawei(Method::GET, CDN_TASKS, "offset=0&limit=10&task_name=no such name", vec![]);
    assert_eq!(list.query, "limit=10&offset=0&task_name=no%20such%20name");
    let page = assert_accepted(list.huawei_ok(&server).send(&server).await, "cdn list").await;
    assert_eq!(page["total"], 0, "{page}");
    let page = Wire::huawei(Method::GET, CDN_TASKS, "limit=10", vec![]).huawei_ok(&server).send(&server).await;
    assert_eq!(assert_accepted(page, "cdn list").await["total"], 1);

    let created = Wire::huawei(Method::POST, &iotda_tasks(PROJECT), "", iotda_export_body())
        .set_header("Content-Type", "application/json;charset=utf-8")
        .huawei_ok(&server)
        .send(&server)
        .await;
    let task = assert_accepted(created, "iotda create").await;
    let task_id = task["export_task_id"].as_str().expect("a task id").to_owned();
    let list = Wire::huawei(Method::GET, &iotda_tasks(PROJECT), "resource_type=BatchTask&limit=10", vec![])
        .huawei_ok(&server)
        .send(&server)
        .await;
    assert_eq!(assert_accepted(list, "iotda list").await["export_tasks"][0]["export_task_id"], task_id.as_str());
    let delete = Wire::huawei(Method::DELETE, &format!("{}/{task_id}", iotda_tasks(PROJECT)), "", vec![])
        .huawei_ok(&server)
        .send(&server)
        .await;
    assert!(delete.status().is_success(), "iotda delete: {}", delete.status());

    let created = Wire::cls("CreateExport", &cls_export_body()).tencent_ok(&server).send(&server).await;
    let export_id = assert_tencent_ok(created, "cls create").await["ExportId"].as_str().expect("ExportId").to_owned();
    let described =
        Wire::cls("DescribeExports", &json!({"TopicId": NGINX_TOPIC})).tencent_ok(&server).send(&server).await;
    let described = assert_tencent_ok(described, "cls describe").await;
    assert_eq!(described["Exports"][0]["ExportId"], export_id.as_str(), "{described}");
}

#[tokio::test]
async fn unsigned_and_malformed_calls_get_the_providers_authentication_errors() {
    let server = Server::start(&[STRICT]);
    let cdn_list = || Wire::huawei(Method::GET, CDN_TASKS, "limit=10", vec![]);

    let unsigned = cdn_list().send(&server).await;
    assert_huawei_refused(unsigned, "unsigned cdn", "x-auth-token not found").await;
    let unsigned = Wire::huawei(Method::POST, &iotda_tasks(PROJECT), "", iotda_export_body()).send(&server).await;
    assert_huawei_refused(unsigned, "unsigned iotda", "x-auth-token not found").await;
    let token = cdn_list().set_header("X-Auth-Token", "MIIEXAMPLETOKEN").send(&server).await;
    assert_huawei_refused(token, "iam token", "decrypt token fail").await;
    let bearer = cdn_list().set_header("Authorization", "Bearer abc").send(&server).await;
    assert_huawei_refused(bearer, "other scheme", "unsupported signing algorithm").await;
    let no_date = cdn_list().huawei_ok(&server);
    let no_date = Wire { headers: no_date.headers.into_iter().filter(|(n, _)| n != "X-Sdk-Date").collect(), ..no_date };
    assert_huawei_refused(no_date.send(&server).await, "no date", "X-Sdk-Date").await;

    let cls = || Wire::cls("DescribeExports", &json!({"TopicId": NGINX_TOPIC}));
    let unsigned = cls().send(&server).await;
    assert_tencent_error(unsigned, "AuthFailure.InvalidAuthorization", "unsigned cls", Some("Authorization")).await;
    let other_scheme = cls().set_header("Authorization", "HmacSHA256 abc").send(&server).await;
    assert_tencent_error(other_scheme, "AuthFailure.InvalidAuthorization", "other scheme", None).await;
    let other_service = cls().tencent_ok(&server);
    let wrong_scope = other_service.header("Authorization").replace("/cls/", "/cvm/");
    let other_service = other_service.set_header("Authorization", &wrong_scope).send(&server).await;
    assert_tencent_error(other_service, "AuthFailure.InvalidAuthorization", "cvm scope", Some("cls")).await;

    // A well-signed call passes the gateway and meets the service's own checks.
    let unknown_action = Wire::cls("RunInstances", &json!({})).tencent_ok(&server).send(&server).await;
    assert_tencent_error(unknown_action, "InvalidAction", "signed unknown action", Some("RunInstances")).await;
}

#[tokio::test]
async fn a_wrong_secret_or_an_unknown_key_is_refused() {
    let server = Server::start(&[STRICT]);
    let now = Utc::now();

    let wrong_sk = Wire::huawei(Method::GET, CDN_TASKS, "limit=10", vec![])
        .huawei_signed(&server, DEFAULT_HUAWEI_AK, "not-the-secret", huawei::Scheme::Sdk, now)
        .send(&server)
        .await;
    let detail = assert_huawei_refused(wrong_sk, "wrong sk", "verify aksk signature fail").await;
    // The gateway shows its canonical request, newlines as `|`, for the client author to compare.
    assert!(
        detail
            .contains("canonicalRequest:GET|/v1/cdn/statistics/export-tasks/|limit=10|content-type:application/json|"),
        "{detail}"
    );
    let unknown_ak = Wire::huawei(Method::GET, CDN_TASKS, "", vec![])
        .huawei_signed(&server, "NOSUCHAK0000", DEFAULT_HUAWEI_SK, huawei::Scheme::Sdk, now)
        .send(&server)
        .await;
    assert_huawei_refused(unknown_ak, "unknown ak", "ak NOSUCHAK0000 not exist").await;

    let cls = || Wire::cls("DescribeExports", &json!({"TopicId": NGINX_TOPIC}));
    let wrong_key = cls().tencent_signed(&server, DEFAULT_TENCENT_SECRET_ID, "not-the-key", now).send(&server).await;
    assert_tencent_error(wrong_key, "AuthFailure.SignatureFailure", "wrong key", Some("signature")).await;
    let unknown_id = cls().tencent_signed(&server, "AKIDnosuch", DEFAULT_TENCENT_SECRET_KEY, now).send(&server).await;
    assert_tencent_error(unknown_id, "AuthFailure.SecretIdNotFound", "unknown id", Some("SecretId")).await;
}

#[tokio::test]
async fn a_request_changed_after_signing_is_refused() {
    let server = Server::start(&[STRICT]);

    let create = || Wire::huawei(Method::POST, CDN_TASKS, "", cdn_export_body()).huawei_ok(&server);
    let mut body = create();
    body.body = String::from_utf8(body.body).unwrap().replace("reports_detail", "top_url_detail").into_bytes();
    assert_huawei_refused(body.send(&server).await, "tampered body", "verify aksk signature fail").await;
    let signed_header = create().set_header("X-Domain-Id", "ffffffffffffffffffffffffffffffff");
    assert_huawei_refused(signed_header.send(&server).await, "tampered signed header", "x-domain-id:ffff").await;
    let user_agent = create().set_header("User-Agent", "curl/8");
    assert_huawei_refused(user_agent.send(&server).await, "tampered user agent", "user-agent:curl/8").await;
    // Headers outside the signature may change on the way (a proxy adds some): still accepted.
    let unsigned_header = create().set_header("Accept", "application/json").set_header("X-Forwarded-For", "10.0.0.1");
    assert_eq!(assert_accepted(unsigned_header.send(&server).await, "unsigned header").await, json!({}));

    let list = || Wire::huawei(Method::GET, CDN_TASKS, "limit=10&offset=0", vec![]).huawei_ok(&server);
    let query = Wire { query: "limit=100&offset=0".into(), ..list() };
    assert_huawei_refused(query.send(&server).await, "tampered query", "limit=100").await;
    let extra_parameter = Wire { query: "limit=10&offset=0&task_id=x".into(), ..list() };
    assert_huawei_refused(extra_parameter.send(&server).await, "added parameter", "task_id=x").await;
    let other_project = Wire {
        path: iotda_tasks("00000000000000000000000000000000"),
        ..Wire::huawei(Method::GET, &iotda_tasks(PROJECT), "", vec![]).huawei_ok(&server)
    };
    assert_huawei_refused(
        other_project.send(&server).await,
        "tampered path",
        "/v5/iot/00000000000000000000000000000000/",
    )
    .await;

    let describe = || Wire::cls("DescribeExports", &json!({"TopicId": NGINX_TOPIC})).tencent_ok(&server);
    let body = Wire { body: json!({"TopicId": "another"}).to_string().into_bytes(), ..describe() };
    assert_tencent_error(body.send(&server).await, "AuthFailure.SignatureFailure", "tampered body", None).await;
    let spaced =
        Wire { body: json!({"TopicId": NGINX_TOPIC}).to_string().replace(':', ": ").into_bytes(), ..describe() };
    assert_tencent_error(spaced.send(&server).await, "AuthFailure.SignatureFailure", "re-serialised body", None).await;
    let signed = describe();
    let later = (signed.header("X-TC-Timestamp").parse::<i64>().unwrap() + 1).to_string();
    let timestamp = signed.set_header("X-TC-Timestamp", &later);
    assert_tencent_error(timestamp.send(&server).await, "AuthFailure.SignatureFailure", "tampered timestamp", None)
        .await;
    let content_type = describe().set_header("Content-Type", "application/json; charset=utf-8");
    assert_tencent_error(content_type.send(&server).await, "AuthFailure.SignatureFailure", "content type", None).await;
}

#[tokio::test]
async fn a_signature_twenty_minutes_off_has_expired_and_the_wall_clock_judges() {
    let server = Server::start(&[STRICT]);
    let minutes = |m: i64| Utc::now() + ChronoDuration::minutes(m);
    let cdn = |at| {
        Wire::huawei(Method::GET, CDN_TASKS, "", vec![]).huawei_signed(
            &server,
            DEFAULT_HUAWEI_AK,
            DEFAULT_HUAWEI_SK,
            huawei::Scheme::Sdk,
            at,
        )
    };
    let cls = |at| {
        Wire::cls("DescribeExports", &json!({"TopicId": NGINX_TOPIC})).tencent_signed(
            &server,
            DEFAULT_TENCENT_SECRET_ID,
            DEFAULT_TENCENT_SECRET_KEY,
            at,
        )
    };

    for offset in [-20, 20] {
        let case = format!("huawei {offset} minutes");
        let detail = assert_huawei_refused(cdn(minutes(offset)).send(&server).await, &case, "signature expired").await;
        assert!(detail.contains("15 minutes"), "{case}: {detail}");
        let case = format!("tencent {offset} minutes");
        assert_tencent_error(
            cls(minutes(offset)).send(&server).await,
            "AuthFailure.SignatureExpire",
            &case,
            Some("five minutes"),
        )
        .await;
    }
    // Inside the windows: Huawei allows 15 minutes, Tencent 5.
    assert_accepted(cdn(minutes(-10)).send(&server).await, "huawei 10 minutes ago").await;
    assert_tencent_ok(cls(minutes(-4)).send(&server).await, "tencent 4 minutes ago").await;

    // Mock time two days ahead: the SDKs still sign with the real time, and that is what counts.
    let advance = server.post_json("/_mock/clock/advance", &json!({"seconds": 2 * 86_400}).to_string()).await;
    assert_eq!(advance.status(), StatusCode::OK);
    assert_accepted(cdn(Utc::now()).send(&server).await, "huawei after the mock clock jumped").await;
    assert_tencent_ok(cls(Utc::now()).send(&server).await, "tencent after the mock clock jumped").await;
}

#[tokio::test]
async fn a_derived_v11_signature_is_accepted_for_iotda_with_its_service() {
    let server = Server::start(&[STRICT]);
    let derived = |service| huawei::Scheme::Derived { region_id: "cn-north-4", service };
    let list = || Wire::huawei(Method::GET, &iotda_tasks(PROJECT), "resource_type=BatchTask&limit=5", vec![]);

    let signed = list().huawei_signed(&server, DEFAULT_HUAWEI_AK, DEFAULT_HUAWEI_SK, derived("iotdm"), Utc::now());
    assert!(signed.header("Authorization").starts_with("V11-HMAC-SHA256 Credential="));
    assert_accepted(signed.send(&server).await, "derived iotdm").await;

    let other = list().huawei_signed(&server, DEFAULT_HUAWEI_AK, DEFAULT_HUAWEI_SK, derived("cdn"), Utc::now());
    assert_huawei_refused(other.send(&server).await, "derived for another service", "\"iotdm\"").await;
    let wrong_sk = list().huawei_signed(&server, DEFAULT_HUAWEI_AK, "not-the-secret", derived("iotdm"), Utc::now());
    assert_huawei_refused(wrong_sk.send(&server).await, "derived, wrong sk", "verify aksk signature fail").await;
}

#[tokio::test]
async fn admin_dashboard_downloads_and_unknown_paths_are_never_checked() {
    let server = Server::start(&[STRICT]);

    let index = server.get("/").await;
    assert_eq!(index.status(), StatusCode::OK);
    assert!(index.text().await.unwrap().contains(MARKER), "the dashboard");
    for path in ["/_desk/config", "/_mock/clock", "/_mock/journal", "/_mock/faults"] {
        let (status, body) = api_json(server.get(path).await).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
    }
    let (status, body) = api_json(server.post_json("/_mock/reset", "{}").await).await;
    assert_eq!(status, StatusCode::OK, "reset: {body}");
    // The gateway finds the API before it authenticates: an unknown one is a 404, signed or not.
    assert_no_such_api(server.get("/v1/cdn/no-such-api").await, "unknown path").await;

    let created = Wire::huawei(Method::POST, CDN_TASKS, "", cdn_export_body()).huawei_ok(&server).send(&server).await;
    assert_accepted(created, "create").await;
    let advance = server.post_json("/_mock/clock/advance", &json!({"seconds": 60}).to_string()).await;
    assert_eq!(advance.status(), StatusCode::OK);
    let page = Wire::huawei(Method::GET, CDN_TASKS, "", vec![]).huawei_ok(&server).send(&server).await;
    let page = assert_accepted(page, "list").await;
    let link = page["data"][0]["download_link"].as_str().unwrap_or_else(|| panic!("a finished task: {page}"));
    let download = server.download(link).await;
    assert_eq!(download.status(), StatusCode::OK, "a download link needs no signature: {link}");
}

#[tokio::test]
async fn refusals_are_journaled_and_faults_answer_before_the_signature_check() {
    let server = Server::start(&[STRICT]);

    let refused = Wire::huawei(Method::GET, CDN_TASKS, "", vec![]).send(&server).await;
    let request_id = header(refused.headers(), "x-request-id");
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    let (_, journal) = api_json(server.get("/_mock/journal?operation=cdn:ListExportTasks").await).await;
    let entry = &journal["entries"][0];
    assert_eq!((&entry["status"], &entry["request_id"]), (&json!(401), &json!(request_id)), "{journal}");

    let fault = json!({"operation": "cdn:ListExportTasks", "error_code": "CDN.0005"}).to_string();
    let (status, body) = api_json(server.post_json("/_mock/faults", &fault).await).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let forced = Wire::huawei(Method::GET, CDN_TASKS, "", vec![]).send(&server).await;
    assert_cdn_error(forced, "CDN.0005", "forced fault, unsigned", None).await;
}

#[tokio::test]
async fn configured_credentials_replace_the_defaults() {
    let server = Server::start(&[
        STRICT,
        ("--mock-huawei-ak", "MYTESTAK"),
        ("--mock-huawei-sk", "my-test-sk"),
        ("--mock-tencent-secret-id", "AKIDmytest"),
        ("--mock-tencent-secret-key", "my-test-key"),
    ]);
    let cdn = || Wire::huawei(Method::GET, CDN_TASKS, "", vec![]);
    let mine = cdn().huawei_signed(&server, "MYTESTAK", "my-test-sk", huawei::Scheme::Sdk, Utc::now());
    assert_accepted(mine.send(&server).await, "configured AK/SK").await;
    let default = cdn().huawei_ok(&server).send(&server).await;
    assert_huawei_refused(default, "default AK", &format!("ak {DEFAULT_HUAWEI_AK} not exist")).await;

    let cls = || Wire::cls("DescribeExports", &json!({"TopicId": NGINX_TOPIC}));
    let mine = cls().tencent_signed(&server, "AKIDmytest", "my-test-key", Utc::now()).send(&server).await;
    assert_tencent_ok(mine, "configured SecretId/Key").await;
    let default = cls().tencent_ok(&server).send(&server).await;
    assert_tencent_error(default, "AuthFailure.SecretIdNotFound", "default SecretId", None).await;
}

#[tokio::test]
async fn without_strict_mode_signatures_are_ignored() {
    let server = Server::start(&[]);
    let cdn = || Wire::huawei(Method::GET, CDN_TASKS, "", vec![]);
    assert_accepted(cdn().send(&server).await, "unsigned").await;
    assert_accepted(cdn().set_header("Authorization", "Bearer abc").send(&server).await, "garbage").await;
    let wrong =
        cdn().huawei_signed(&server, "ANYAK", "any-sk", huawei::Scheme::Sdk, Utc::now() - ChronoDuration::days(3));
    assert_accepted(wrong.send(&server).await, "unknown key, expired").await;

    let cls = || Wire::cls("DescribeExports", &json!({"TopicId": NGINX_TOPIC}));
    assert_tencent_ok(cls().send(&server).await, "unsigned cls").await;
    let wrong = cls().tencent_signed(&server, "AKIDany", "any-key", Utc::now()).send(&server).await;
    assert_tencent_ok(wrong, "unknown SecretId").await;
}
