//! Huawei Cloud CDN: statistics export tasks, and cache refresh and preheat tasks.
//!
//! - `POST /v1/cdn/statistics/export-tasks`: CreateExportTask; answers `{}` (the real response
//!   model is empty: clients find the task by listing).
//! - `GET /v1/cdn/statistics/export-tasks`: ListExportTasks.
//! - `GET /_mock/files/cdn-stats/{task_id}/{file}`: where `download_link` points.
//! - `GET /v1.0/cdn/historytasks` and `…/{history_tasks_id}/detail`: ShowHistoryTasks and
//!   ShowHistoryTaskDetails.
//! - `POST /v1.0/cdn/content/refresh-tasks` and `…/preheating-tasks`: CreateRefreshTasks and
//!   CreatePreheatingTasks.
//!
//! Errors use CDN's nested envelope with status 400 and the gateway's request id header.

mod history_tasks;
mod stats_exports;
pub mod stats_file;

pub use history_tasks::{HistoryChange, HistoryTasks};
pub use stats_exports::{ListRequest, StatsChange, StatsExports};

use crate::envelope::{body_too_large_message, HuaweiGateway, HuaweiNested, HUAWEI_GATEWAY_REFUSED};
use crate::mock::state_file::StateError;
use axum::body::{Body, Bytes};
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{DefaultBodyLimit, Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use export_desk_model::huawei_cdn::history::{
    CreatePreheatingTasksResponse, CreateRefreshTasksResponse, PreheatingTaskRequest, RefreshTaskRequest,
    ShowHistoryTaskDetailsQuery, ShowHistoryTaskDetailsResponse, ShowHistoryTasksQuery, ShowHistoryTasksResponse,
    UrlsRefused, CONTENT_TASK_BODY_MAX_BYTES, HISTORY_TASKS_PATH, PREHEATING_TASKS_PATH, REFRESH_TASKS_PATH,
    TOO_MANY_URLS,
};
use export_desk_model::huawei_cdn::{ExportTaskVo, ListExportTasksQuery, EXPORT_TASKS_PATH, INVALID_PARAMETER};
use history_tasks::DetailRefused;

/// The code of a server-side failure (the mock's own: CDN documents none).
const INTERNAL_ERROR: &str = "CDN.0002";
use std::sync::Arc;

/// Where download links point (the mock's stand-in for the object storage the cloud links to).
pub const FILES_PATH: &str = "/_mock/files/cdn-stats";

/// The most a CreateExportTask body may hold: far above its largest legal body (100 domain names
/// of 253 characters and a few short fields, under 30 KB); axum's default, named.
pub const EXPORT_BODY_MAX_BYTES: usize = 2 * 1024 * 1024;

pub fn router(store: Arc<StatsExports>) -> Router {
    Router::new()
        // Another method on a known path is, for Huawei's gateway, an API that does not exist.
        .route(
            EXPORT_TASKS_PATH,
            get(list_tasks).post(create_task).layer(DefaultBodyLimit::max(EXPORT_BODY_MAX_BYTES)).fallback(no_such_api),
        )
        .route(&format!("{FILES_PATH}/{{task_id}}/{{file}}"), get(download).fallback(no_such_api))
        .with_state(store)
}

/// Refresh and preheat tasks: their own store, so their lock never waits on statistics exports.
pub fn history_router(store: Arc<HistoryTasks>) -> Router {
    Router::new()
        .route(HISTORY_TASKS_PATH, get(show_history_tasks).fallback(no_such_api))
        .route(
            &format!("{HISTORY_TASKS_PATH}/{{history_tasks_id}}/detail"),
            get(show_task_details).fallback(no_such_api),
        )
        // A legal refresh body can be several megabytes (1,000 URLs of 4,096 characters).
        .route(
            REFRESH_TASKS_PATH,
            post(create_refresh_tasks).layer(DefaultBodyLimit::max(CONTENT_TASK_BODY_MAX_BYTES)).fallback(no_such_api),
        )
        .route(
            PREHEATING_TASKS_PATH,
            post(create_preheating_tasks)
                .layer(DefaultBodyLimit::max(CONTENT_TASK_BODY_MAX_BYTES))
                .fallback(no_such_api),
        )
        .with_state(store)
}

fn invalid(message: impl Into<String>) -> HuaweiNested {
    HuaweiNested::new(StatusCode::BAD_REQUEST, INVALID_PARAMETER, message)
}

async fn create_task(
    State(store): State<Arc<StatsExports>>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<serde_json::Value>, HuaweiNested> {
    let body = read_body(body, EXPORT_BODY_MAX_BYTES)?;
    let vo: ExportTaskVo = parse_json_object(&body)?;
    let spec = vo.validate().map_err(|violations| invalid(violations.to_string()))?;
    let task_id = store.create(vo, spec).map_err(not_saved)?;
    tracing::info!(%task_id, "created CDN statistics export task");
    Ok(Json(serde_json::json!({})))
}

/// The body, or CDN's envelope for why it could not be had: too large (413, as the gateway
/// refuses it before CDN sees it) or unreadable (400: a malformed chunked body, a connection
/// that broke off), never axum's plain-text answer.
fn read_body(body: Result<Bytes, BytesRejection>, limit: usize) -> Result<Bytes, HuaweiNested> {
    body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            HuaweiNested::new(StatusCode::PAYLOAD_TOO_LARGE, HUAWEI_GATEWAY_REFUSED, body_too_large_message(limit))
        } else {
            invalid(format!("Invalid request body: it could not be read ({})", rejection.body_text()))
        }
    })
}

/// The body must be a JSON object: serde would also fill the fields from an array, by position.
/// A value of the wrong type is reported with the field's name (`interval: invalid type …`).
fn parse_json_object<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, HuaweiNested> {
    let malformed = |err: &dyn std::fmt::Display| invalid(format!("Invalid request body: {err}"));
    if body.trim_ascii_start().first() != Some(&b'{') {
        return Err(invalid("Invalid request body: expected a JSON object"));
    }
    let mut json = serde_json::Deserializer::from_slice(body);
    let vo = serde_path_to_error::deserialize(&mut json).map_err(|err| malformed(&err))?;
    json.end().map_err(|err| malformed(&err))?;
    Ok(vo)
}

async fn no_such_api() -> HuaweiGateway {
    HuaweiGateway::no_such_api()
}

async fn list_tasks(
    State(store): State<Arc<StatsExports>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Json<export_desk_model::huawei_cdn::ListExportTasksResponse>, HuaweiNested> {
    let query = parse_list_query(raw.as_deref().unwrap_or_default())?;
    let limit = query.limit().map_err(|v| invalid(v.to_string()))?;
    let request = ListRequest {
        limit: limit as usize,
        offset: usize::try_from(query.offset.unwrap_or(0)).unwrap_or(usize::MAX),
        task_id: query.task_id.filter(|s| !s.is_empty()),
        task_name: query.task_name.filter(|s| !s.is_empty()),
    };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1");
    Ok(Json(store.list(&request, &format!("http://{host}"))))
}

/// Reads the query by hand so that `limit=ten` or `offset=-1` gets CDN's envelope, not axum's text.
fn parse_list_query(raw: &str) -> Result<ListExportTasksQuery, HuaweiNested> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(raw).map_err(|err| invalid(format!("Invalid query string: {err}")))?;
    let mut query = ListExportTasksQuery::default();
    for (key, value) in pairs {
        match key.as_str() {
            "limit" => {
                query.limit = Some(
                    value
                        .parse()
                        .map_err(|_| invalid(format!("limit must be an integer from 0 to 100, not `{value}`")))?,
                )
            }
            "offset" => {
                query.offset = Some(
                    value
                        .parse()
                        .map_err(|_| invalid(format!("offset must be an integer of 0 or more, not `{value}`")))?,
                )
            }
            "task_id" => query.task_id = Some(value),
            "task_name" => query.task_name = Some(value),
            // Real gateways ignore parameters an API does not declare; so does the mock.
            _ => {}
        }
    }
    Ok(query)
}

async fn show_history_tasks(
    State(store): State<Arc<HistoryTasks>>,
    RawQuery(raw): RawQuery,
) -> Result<Json<ShowHistoryTasksResponse>, HuaweiNested> {
    let query: ShowHistoryTasksQuery = parse_query(raw.as_deref())?;
    let filter = query.validate().map_err(|v| invalid(v.to_string()))?;
    Ok(Json(store.list(&filter)))
}

async fn show_task_details(
    State(store): State<Arc<HistoryTasks>>,
    task_id: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Result<Json<ShowHistoryTaskDetailsResponse>, HuaweiNested> {
    // An id that does not decode (`%FF`) gets CDN's envelope, not axum's plain text.
    let Path(task_id) = task_id.map_err(|rejection| invalid(format!("history_tasks_id: {}", rejection.body_text())))?;
    let query: ShowHistoryTaskDetailsQuery = parse_query(raw.as_deref())?;
    let filter = query.validate().map_err(|v| invalid(v.to_string()))?;
    store.detail(&task_id, &filter).map(Json).map_err(|refused| match refused {
        DetailRefused::NoSuchTask => invalid(format!(
            "history_tasks_id: no task `{task_id}` created in the searched days (the last 7; pass create_time to search up to 15 days back)"
        )),
        DetailRefused::CreateTimeTooOld => invalid("create_time: must be within the last 15 days"),
    })
}

async fn create_refresh_tasks(
    State(store): State<Arc<HistoryTasks>>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<CreateRefreshTasksResponse>, HuaweiNested> {
    let body = read_body(body, CONTENT_TASK_BODY_MAX_BYTES)?;
    let request: RefreshTaskRequest = parse_json_object(&body)?;
    let refresh_task = store.create(HistoryChange::Refresh(request)).map_err(not_saved)?.map_err(refused_urls)?;
    tracing::info!(task_id = %refresh_task, "created CDN refresh task");
    Ok(Json(CreateRefreshTasksResponse { refresh_task }))
}

async fn create_preheating_tasks(
    State(store): State<Arc<HistoryTasks>>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<CreatePreheatingTasksResponse>, HuaweiNested> {
    let body = read_body(body, CONTENT_TASK_BODY_MAX_BYTES)?;
    let request: PreheatingTaskRequest = parse_json_object(&body)?;
    let preheating_task = store.create(HistoryChange::Preheat(request)).map_err(not_saved)?.map_err(refused_urls)?;
    tracing::info!(task_id = %preheating_task, "created CDN preheat task");
    Ok(Json(CreatePreheatingTasksResponse { preheating_task }))
}

/// The task was made but could not be written to the state file: the client is told it failed,
/// since it would not survive a restart. The docs give no code for internal errors.
fn not_saved(error: StateError) -> HuaweiNested {
    tracing::error!(%error, "could not record a CDN change");
    HuaweiNested::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        INTERNAL_ERROR,
        format!("The change could not be saved: {error}"),
    )
}

fn refused_urls(refused: UrlsRefused) -> HuaweiNested {
    match refused {
        UrlsRefused::TooMany(message) => HuaweiNested::new(StatusCode::BAD_REQUEST, TOO_MANY_URLS, message),
        UrlsRefused::Invalid(violations) => invalid(violations.to_string()),
    }
}

/// Every parameter is optional text until validated, so any value parses and reaches the
/// rules that name it; unknown parameters are ignored, as the gateway does.
fn parse_query<T: serde::de::DeserializeOwned>(raw: Option<&str>) -> Result<T, HuaweiNested> {
    serde_urlencoded::from_str(raw.unwrap_or_default()).map_err(|err| invalid(format!("Invalid query string: {err}")))
}

async fn download(State(store): State<Arc<StatsExports>>, Path((task_id, file)): Path<(String, String)>) -> Response {
    let Some(task) = store.downloadable(&task_id) else {
        return (StatusCode::NOT_FOUND, "No such export file: the task does not exist or has not succeeded.\n")
            .into_response();
    };
    if file != stats_file::file_name(&task.spec) {
        return (StatusCode::NOT_FOUND, "No such export file.\n").into_response();
    }
    let seed = task.content_seed();
    let chunks = stats_file::chunks(task.spec, seed).map(Ok::<_, std::convert::Infallible>);
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")),
        ],
        Body::from_stream(futures_util::stream::iter(chunks)),
    )
        .into_response()
}
