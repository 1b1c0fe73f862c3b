//! The mock's admin API, under the reserved prefix `/_mock/` (no cloud API lives there): move the
//! clock, reset and re-seed every store, read the request journal, inject faults. It is what
//! tests and demos drive the mock with; clients of the cloud APIs never call it.
//!
//! JSON in and out. Bad input answers 400 `{"error":"…"}` saying what to change; the admin API
//! has its own error shape because it is not a cloud API and should not pass for one.

use super::clock::{self, EpochMs};
use super::faults::{Rule, RuleRequest};
use super::journal;
use super::operations::{self, Operation, OPERATIONS};
use super::state_file::{StateError, MAX_DEMO_TASKS};
use super::{Mock, Restart};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, delete, get, post, put, MethodRouter};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

pub fn router(mock: Mock) -> Router {
    Router::new()
        .route("/_mock/clock", only("GET", get(clock)))
        .route("/_mock/clock/advance", only("POST", post(advance_clock)))
        .route("/_mock/clock/speed", only("PUT", put(set_speed)))
        .route("/_mock/reset", only("POST", post(reset)))
        .route("/_mock/journal", only("GET, DELETE", get(read_journal).delete(clear_journal)))
        .route("/_mock/faults", only("GET, POST, DELETE", get(list_faults).post(add_fault).delete(remove_all_faults)))
        .route("/_mock/faults/{operation}", only("DELETE", delete(remove_fault)))
        .route("/_mock/operations", only("GET", get(list_operations)))
        .route("/_mock/{*rest}", any(no_such_endpoint))
        // The prefix itself, which `{*rest}` (one segment or more) does not cover.
        .route("/_mock", any(no_such_endpoint))
        .route("/_mock/", any(no_such_endpoint))
        .with_state(mock)
}

/// Answers the methods `routes` does not serve with a 405 in the admin's shape (axum's own 405
/// has no body); `allowed` names the served ones, for the `Allow` header and the message.
fn only(allowed: &'static str, routes: MethodRouter<Mock>) -> MethodRouter<Mock> {
    routes.fallback(move |method: Method, uri: Uri| wrong_method(method, uri, allowed))
}

/// A refused admin call: `{"error":"…"}` with a 4xx status (5xx when the state file failed).
#[derive(Debug)]
pub struct AdminError {
    status: StatusCode,
    message: String,
}

impl AdminError {
    fn bad_request(message: impl Into<String>) -> Self {
        Self { status: StatusCode::BAD_REQUEST, message: message.into() }
    }

    /// The change was made but not written to the state file, so it would not survive a restart.
    fn not_saved(error: StateError) -> Self {
        tracing::error!(%error, "could not record an admin change");
        Self { status: StatusCode::INTERNAL_SERVER_ERROR, message: format!("the change could not be saved: {error}") }
    }
}

impl IntoResponse for AdminError {
    fn into_response(self) -> Response {
        (self.status, Json(json!({"error": self.message}))).into_response()
    }
}

/// Reads a JSON object body; an empty body is `{}`, so calls whose fields are all optional can
/// send nothing. Unknown fields are refused (the request types say so), so a misspelt field
/// cannot be silently ignored.
fn json_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, AdminError> {
    let body = if body.trim_ascii().is_empty() { b"{}".as_slice() } else { body };
    if body.trim_ascii_start().first() != Some(&b'{') {
        return Err(AdminError::bad_request("the body must be a JSON object"));
    }
    let invalid = |err: &dyn std::fmt::Display| AdminError::bad_request(format!("invalid body: {err}"));
    let mut json = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut json).map_err(|err| invalid(&err))?;
    json.end().map_err(|err| invalid(&err))?;
    Ok(value)
}

// ---------------------------------------------------------------------------------------------
// Clock
// ---------------------------------------------------------------------------------------------

/// Answers are typed rather than `json!` so fields keep a reading order (`json!` sorts them).
#[derive(Serialize)]
struct ClockState {
    now_ms: EpochMs,
    /// The same instant for people: RFC 3339 in UTC.
    now: Option<String>,
    speed: f64,
}

fn clock_state(mock: &Mock) -> ClockState {
    let now_ms = mock.clock.now_ms();
    let now = chrono::DateTime::from_timestamp_millis(now_ms)
        .map(|time| time.to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
    ClockState { now_ms, now, speed: mock.clock.speed() }
}

async fn clock(State(mock): State<Mock>) -> Json<ClockState> {
    Json(clock_state(&mock))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AdvanceRequest {
    ms: Option<i64>,
    seconds: Option<f64>,
}

async fn advance_clock(State(mock): State<Mock>, body: Bytes) -> Result<Json<ClockState>, AdminError> {
    let request: AdvanceRequest = json_body(&body)?;
    let ms = match (request.ms, request.seconds) {
        (Some(ms), None) => ms,
        (None, Some(seconds)) if seconds.is_finite() && seconds.abs() < 1e15 => (seconds * 1000.0).round() as i64,
        (None, Some(seconds)) => {
            return Err(AdminError::bad_request(format!("seconds must be a number below 1e15, not {seconds}")));
        }
        _ => return Err(AdminError::bad_request("give exactly one of ms and seconds, e.g. {\"seconds\": 30}")),
    };
    if ms < 0 {
        return Err(AdminError::bad_request("the mock clock never runs backwards: give 0 or more"));
    }
    // Checked here so the client learns why; the clock itself also stops at its latest time.
    let now_ms = mock.clock.now_ms();
    if now_ms.checked_add(ms).is_none_or(|then| then > clock::LATEST_MS) {
        return Err(AdminError::bad_request(format!(
            "advancing by {ms} ms would move the mock clock past its latest time, \
             2100-01-01T00:00:00Z ({}): it is now {now_ms}, so give at most {} ms",
            clock::LATEST_MS,
            clock::LATEST_MS.saturating_sub(now_ms)
        )));
    }
    mock.advance_clock(ms).map_err(AdminError::not_saved)?;
    Ok(Json(clock_state(&mock)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SpeedRequest {
    speed: f64,
}

async fn set_speed(State(mock): State<Mock>, body: Bytes) -> Result<Json<ClockState>, AdminError> {
    let request: SpeedRequest = json_body(&body)?;
    if !(request.speed.is_finite() && request.speed > 0.0 && request.speed <= clock::MAX_SPEED) {
        return Err(AdminError::bad_request(format!(
            "speed must be a positive number of at most {}, not {}",
            clock::MAX_SPEED,
            request.speed
        )));
    }
    mock.set_clock_speed(request.speed).map_err(AdminError::not_saved)?;
    Ok(Json(clock_state(&mock)))
}

// ---------------------------------------------------------------------------------------------
// Reset
// ---------------------------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ResetRequest {
    seed: Option<u64>,
    demo_tasks: Option<usize>,
}

#[derive(Serialize)]
struct ResetDone {
    seed: u64,
    demo_tasks: usize,
    now_ms: EpochMs,
}

async fn reset(State(mock): State<Mock>, body: Bytes) -> Result<Json<ResetDone>, AdminError> {
    let request: ResetRequest = json_body(&body)?;
    let restart = Restart {
        seed: request.seed.unwrap_or(mock.start.seed),
        demo_tasks: request.demo_tasks.unwrap_or(mock.start.demo_tasks),
    };
    if restart.demo_tasks > MAX_DEMO_TASKS {
        return Err(AdminError::bad_request(format!(
            "demo_tasks must be at most {MAX_DEMO_TASKS}, not {}",
            restart.demo_tasks
        )));
    }
    mock.reset(&restart).map_err(AdminError::not_saved)?;
    tracing::info!(seed = restart.seed, demo_tasks = restart.demo_tasks, "mock reset");
    Ok(Json(ResetDone { seed: restart.seed, demo_tasks: restart.demo_tasks, now_ms: mock.clock.now_ms() }))
}

// ---------------------------------------------------------------------------------------------
// Journal
// ---------------------------------------------------------------------------------------------

#[derive(Serialize)]
struct JournalPage {
    /// Most entries kept (`--journal-entries`).
    capacity: usize,
    /// Most bytes the entries take as JSON (`--journal-bytes`); no answer here is larger.
    capacity_bytes: usize,
    /// Oldest first.
    entries: Vec<journal::Entry>,
}

async fn read_journal(State(mock): State<Mock>, RawQuery(raw): RawQuery) -> Result<Json<JournalPage>, AdminError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.as_deref().unwrap_or_default())
        .map_err(|err| AdminError::bad_request(format!("invalid query string: {err}")))?;
    let capacity = mock.journal.max_entries();
    let mut operation = None;
    let mut limit = capacity;
    for (key, value) in pairs {
        match key.as_str() {
            "operation" => operation = Some(known_operation(&value)?),
            "limit" => {
                let most = capacity.max(1);
                limit = value.parse().ok().filter(|n| (1..=most).contains(n)).ok_or_else(|| {
                    AdminError::bad_request(format!("limit must be an integer from 1 to {most}, not `{value}`"))
                })?;
            }
            _ => return Err(AdminError::bad_request(format!("unknown parameter `{key}`: use operation and limit"))),
        }
    }
    Ok(Json(JournalPage {
        capacity,
        capacity_bytes: mock.journal.max_bytes(),
        entries: mock.journal.entries(operation, limit),
    }))
}

async fn clear_journal(State(mock): State<Mock>) -> Json<Value> {
    Json(json!({"removed": mock.journal.clear()}))
}

// ---------------------------------------------------------------------------------------------
// Faults
// ---------------------------------------------------------------------------------------------

#[derive(Serialize)]
struct FaultList {
    faults: Vec<Rule>,
}

async fn list_faults(State(mock): State<Mock>) -> Json<FaultList> {
    Json(FaultList { faults: mock.faults.rules() })
}

async fn add_fault(State(mock): State<Mock>, body: Bytes) -> Result<Json<Rule>, AdminError> {
    if body.trim_ascii().is_empty() {
        return Err(AdminError::bad_request(
            "give a rule, e.g. {\"operation\":\"cdn:ListExportTasks\",\"error_code\":\"CDN.0005\"}",
        ));
    }
    let request: RuleRequest = json_body(&body)?;
    let rule = Rule::from_request(request, mock.faults.default_seed()).map_err(AdminError::bad_request)?;
    mock.faults.set(rule.clone());
    tracing::info!(operation = rule.operation, "fault rule set");
    Ok(Json(rule))
}

async fn remove_all_faults(State(mock): State<Mock>) -> Json<Value> {
    Json(json!({"removed": mock.faults.remove(None)}))
}

async fn remove_fault(State(mock): State<Mock>, Path(operation): Path<String>) -> Result<Json<Value>, AdminError> {
    let name = known_operation(&operation)?;
    Ok(Json(json!({"removed": mock.faults.remove(Some(name))})))
}

fn known_operation(name: &str) -> Result<&'static str, AdminError> {
    operations::by_name(name).map(|operation| operation.name).ok_or_else(|| {
        AdminError::bad_request(format!("unknown operation `{name}`; known operations: {}", operations::known_names()))
    })
}

#[derive(Serialize)]
struct OperationList {
    operations: &'static [Operation],
}

async fn list_operations() -> Json<OperationList> {
    Json(OperationList { operations: OPERATIONS })
}

// ---------------------------------------------------------------------------------------------
// Anything else under the prefix
// ---------------------------------------------------------------------------------------------

async fn wrong_method(method: Method, uri: Uri, allowed: &'static str) -> Response {
    let error = AdminError {
        status: StatusCode::METHOD_NOT_ALLOWED,
        message: format!("{method} is not allowed on {}; use {allowed}", uri.path()),
    };
    ([(header::ALLOW, allowed)], error).into_response()
}

async fn no_such_endpoint(method: Method, uri: Uri) -> AdminError {
    AdminError {
        status: StatusCode::NOT_FOUND,
        message: format!(
            "no admin endpoint {method} {}; the admin API has /_mock/clock, /_mock/clock/advance, \
             /_mock/clock/speed, /_mock/reset, /_mock/journal, /_mock/faults and /_mock/operations",
            uri.path()
        ),
    }
}
