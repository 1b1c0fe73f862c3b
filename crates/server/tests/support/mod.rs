//! Shared by the real-HTTP test binaries: a running `export-desk` process and checks of the
//! answers every cloud API owes (request id, JSON, the providers' error envelopes).
//!
//! Each test binary uses its own subset, so unused items are expected here.
#![allow(dead_code)]

pub mod proxy;

use reqwest::header::{HeaderMap, CONTENT_TYPE};
use reqwest::{Client, Method, StatusCode};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

/// Written into the test dashboard's `index.html`, to recognise it when served.
pub const MARKER: &str = "export-desk-http-test-marker";

// ---------------------------------------------------------------------------------------------
// The server under test
// ---------------------------------------------------------------------------------------------

/// The first line a server prints ("… listening on …"), or "" if it prints none within a minute.
/// Read on a thread, so a silent server fails the test instead of hanging it; the thread then
/// drains the output until the process ends.
pub fn first_line(stdout: std::process::ChildStdout) -> String {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        let _ = reader.read_line(&mut line);
        let _ = sender.send(line);
        let _ = std::io::copy(&mut reader, &mut std::io::sink());
    });
    receiver.recv_timeout(Duration::from_secs(60)).unwrap_or_default()
}

/// A running `export-desk` process, killed (and its dashboard folder removed) on drop.
pub struct Server {
    pub child: Child,
    pub base: String,
    pub dist: PathBuf,
    pub http: Client,
}

impl Server {
    /// Starts the binary with test defaults (no demo tasks, no failures, 300 ms tasks); each
    /// `(flag, value)` in `overrides` replaces the default of that flag or is added.
    pub fn start(overrides: &[(&str, &str)]) -> Self {
        Self::start_via(&[], overrides)
    }

    /// [`start`](Self::start), with the files the server writes limited to `blocks` blocks of
    /// 512 bytes (`ulimit -f`) when given: a full disk, for the server's purposes.
    pub fn start_with_file_size_limit(blocks: Option<u64>, overrides: &[(&str, &str)]) -> Self {
        match blocks {
            None => Self::start(overrides),
            // `exec`: the limited shell becomes the server, so killing it kills the server.
            Some(blocks) => {
                Self::start_via(&["sh", "-c", &format!("ulimit -f {blocks} && exec \"$0\" \"$@\"")], overrides)
            }
        }
    }

    /// Like [`Server::start`], the binary run by `wrapper` (a program and its arguments, the
    /// binary and its options appended), e.g. a shell that lowers `ulimit -n` first.
    pub fn start_via(wrapper: &[&str], overrides: &[(&str, &str)]) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dist = std::env::temp_dir().join(format!(
            "export-desk-http-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dist).expect("create the dashboard folder");
        std::fs::write(dist.join("index.html"), format!("<!doctype html><title>{MARKER}</title>\n"))
            .expect("write index.html");

        let dist_arg = dist.to_str().expect("temp dir is UTF-8").to_owned();
        let mut options: Vec<(&str, &str)> = vec![
            ("--port", "0"),
            ("--bind", "127.0.0.1"),
            ("--dist", &dist_arg),
            ("--task-duration", "300ms"),
            ("--fail-rate", "0"),
            ("--demo-tasks", "0"),
            // Quiet: the expected 404s and 503s would log; panics still reach stderr.
            ("--log", "off"),
        ];
        for &(flag, value) in overrides {
            match options.iter_mut().find(|(f, _)| *f == flag) {
                Some(option) => option.1 = value,
                None => options.push((flag, value)),
            }
        }

        let binary = env!("CARGO_BIN_EXE_export-desk");
        let mut command = Command::new(wrapper.first().copied().unwrap_or(binary));
        if let Some((_, wrapper_args)) = wrapper.split_first() {
            command.args(wrapper_args).arg(binary);
        }
        command.args(options.iter().flat_map(|(flag, value)| [*flag, *value]));
        command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::inherit());
        // The environment must not configure the server behind the test's back.
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("EXPORT_DESK_") {
                command.env_remove(name);
            }
        }
        command.env_remove("RUST_LOG");
        let mut child = command.spawn().expect("start the export-desk binary");

        let line = first_line(child.stdout.take().expect("piped stdout"));
        let base = line.trim().strip_prefix("Export Desk (mock) listening on ").map(str::to_owned);
        let http = Client::builder().no_proxy().build().expect("HTTP client");
        let server = Self { child, base: base.clone().unwrap_or_default(), dist, http };
        assert!(base.is_some(), "the server did not print its URL; it printed {line:?}");
        assert!(server.base.starts_with("http://127.0.0.1:"), "unexpected base URL {}", server.base);
        server
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn request(&self, method: Method, path: &str) -> reqwest::Response {
        self.http.request(method, self.url(path)).send().await.expect("request reaches the server")
    }

    /// A POST with a JSON body given as text (so malformed bodies can be sent too).
    pub async fn post_json(&self, path: &str, body: &str) -> reqwest::Response {
        self.http
            .post(self.url(path))
            .header(CONTENT_TYPE, "application/json")
            .body(body.to_owned())
            .send()
            .await
            .expect("request reaches the server")
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.request(Method::GET, path).await
    }

    /// Downloads a link; asserts a request id on the answer.
    pub async fn download(&self, link: &str) -> reqwest::Response {
        let answer = self.http.get(link).send().await.expect("download reaches the server");
        assert_request_id(answer.headers());
        answer
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dist);
    }
}

/// The status and JSON body of an API answer; asserts the request id and a JSON content type.
pub async fn api_json(answer: reqwest::Response) -> (StatusCode, Value) {
    let status = answer.status();
    assert_request_id(answer.headers());
    let content_type = header(answer.headers(), CONTENT_TYPE.as_str());
    let text = answer.text().await.expect("answer body");
    assert!(content_type.starts_with("application/json"), "{status}: content type {content_type:?}, body {text:?}");
    let value = serde_json::from_str(&text).unwrap_or_else(|err| panic!("{status}: body is not JSON ({err}): {text}"));
    (status, value)
}

pub fn header(headers: &HeaderMap, name: &str) -> String {
    headers.get(name).map(|v| v.to_str().expect("ASCII header").to_owned()).unwrap_or_default()
}

pub fn assert_request_id(headers: &HeaderMap) {
    let id = header(headers, "x-request-id");
    assert!(is_hex_id(&id), "X-Request-Id is 32 lower-case hex digits, not {id:?}");
}

pub fn is_hex_id(text: &str) -> bool {
    text.len() == 32 && text.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f'))
}

/// Asserts CDN's error envelope, exactly: 400, `{"error":{"error_code":"CDN.0001","error_msg":…}}`,
/// and that the message mentions `mentions` (when given).
pub async fn assert_invalid(answer: reqwest::Response, case: &str, mentions: Option<&str>) {
    assert_cdn_error(answer, "CDN.0001", case, mentions).await;
}

/// Asserts CDN's error envelope with status 400 and `code`; returns the message.
pub async fn assert_cdn_error(answer: reqwest::Response, code: &str, case: &str, mentions: Option<&str>) -> String {
    let (status, body) = api_json(answer).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{case}: {body}");
    let keys = |value: &Value| value.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>()).unwrap_or_default();
    assert_eq!(keys(&body), ["error"], "{case}: {body}");
    assert_eq!(keys(&body["error"]), ["error_code", "error_msg"], "{case}: {body}");
    assert_eq!(body["error"]["error_code"], code, "{case}: {body}");
    let message = body["error"]["error_msg"].as_str().unwrap_or_default().to_owned();
    assert!(!message.trim().is_empty(), "{case}: empty error_msg");
    if let Some(field) = mentions {
        assert!(message.contains(field), "{case}: error_msg should mention `{field}`: {message}");
    }
    message
}

/// Asserts the gateway's flat 404 for an API that does not exist.
pub async fn assert_no_such_api(answer: reqwest::Response, case: &str) {
    let (status, body) = api_json(answer).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{case}: {body}");
    assert_eq!(body["error_code"], "APIGW.0101", "{case}: {body}");
    assert!(body["error_msg"].as_str().is_some_and(|m| !m.is_empty()), "{case}: {body}");
    assert!(body.get("error").is_none(), "{case}: the gateway's envelope is flat: {body}");
}

// ---------------------------------------------------------------------------------------------
// Tencent Cloud API 3.0
// ---------------------------------------------------------------------------------------------

impl Server {
    /// A Tencent call as the SDK sends it: `POST /`, the action and version headers, a JSON body
    /// given as text (so malformed bodies can be sent too).
    pub async fn tencent(&self, action: &str, body: &str) -> reqwest::Response {
        self.tencent_with(&[("X-TC-Action", action), ("X-TC-Version", "2020-10-16")], body).await
    }

    /// `POST /` with exactly these headers (besides `Content-Type: application/json`).
    pub async fn tencent_with(&self, headers: &[(&str, &str)], body: &str) -> reqwest::Response {
        let mut request = self.http.post(self.url("/")).header(CONTENT_TYPE, "application/json").body(body.to_owned());
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send().await.expect("request reaches the server")
    }
}

/// Checks what every Tencent answer owes (HTTP 200, `Content-Type` exactly `application/json`,
/// a `{"Response":{…}}` envelope whose `RequestId` is the `X-Request-Id` header) and returns the
/// inside of `Response`.
pub async fn tencent_response(answer: reqwest::Response) -> Value {
    let status = answer.status();
    let content_type = header(answer.headers(), CONTENT_TYPE.as_str());
    let request_id = header(answer.headers(), "x-request-id");
    let text = answer.text().await.expect("answer body");
    assert_eq!(status, StatusCode::OK, "Tencent answers everything with 200: {text}");
    assert_eq!(content_type, "application/json", "exactly, or the SDK ignores errors: {text}");
    let body: Value = serde_json::from_str(&text).unwrap_or_else(|err| panic!("not JSON ({err}): {text}"));
    let keys: Vec<&String> = body.as_object().map(|o| o.keys().collect()).unwrap_or_default();
    assert_eq!(keys, ["Response"], "{text}");
    assert!(is_hex_id(&request_id), "X-Request-Id {request_id:?}");
    assert_eq!(body["Response"]["RequestId"], request_id.as_str(), "body and header carry the same id: {text}");
    body["Response"].clone()
}

/// Asserts a Tencent error with `code` (and a message mentioning `mentions`); returns the message.
pub async fn assert_tencent_error(answer: reqwest::Response, code: &str, case: &str, mentions: Option<&str>) -> String {
    let response = tencent_response(answer).await;
    let keys: Vec<&String> = response.as_object().map(|o| o.keys().collect()).unwrap_or_default();
    assert_eq!(keys, ["Error", "RequestId"], "{case}: {response}");
    let error_keys: Vec<&String> = response["Error"].as_object().map(|o| o.keys().collect()).unwrap_or_default();
    assert_eq!(error_keys, ["Code", "Message"], "{case}: {response}");
    assert_eq!(response["Error"]["Code"], code, "{case}: {response}");
    let message = response["Error"]["Message"].as_str().unwrap_or_default().to_owned();
    assert!(!message.trim().is_empty(), "{case}: empty Message");
    if let Some(text) = mentions {
        assert!(message.contains(text), "{case}: Message should mention `{text}`: {message}");
    }
    message
}
