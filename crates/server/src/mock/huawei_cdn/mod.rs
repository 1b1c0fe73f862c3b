//! Huawei Cloud CDN: statistics export tasks.
//!
//! - `POST /v1/cdn/statistics/export-tasks`: CreateExportTask; answers `{}` (the real response
//!   model is empty: clients find the task by listing).
//! - `GET /v1/cdn/statistics/export-tasks`: ListExportTasks.
//! - `GET /_mock/files/cdn-stats/{task_id}/{file}`: where `download_link` points.
//!
//! Errors use CDN's nested envelope with status 400 and the gateway's request id header.

mod stats_exports;
pub mod stats_file;

pub use stats_exports::{ListRequest, StatsExports};

use crate::envelope::{HuaweiGateway, HuaweiNested};
use axum::body::{Body, Bytes};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use export_desk_model::huawei_cdn::{ExportTaskVo, ListExportTasksQuery, EXPORT_TASKS_PATH, INVALID_PARAMETER};
use std::sync::Arc;

/// Where download links point (the mock's stand-in for the object storage the cloud links to).
pub const FILES_PATH: &str = "/_mock/files/cdn-stats";

pub fn router(store: Arc<StatsExports>) -> Router {
    Router::new()
        // Another method on a known path is, for Huawei's gateway, an API that does not exist.
        .route(EXPORT_TASKS_PATH, get(list_tasks).post(create_task).fallback(no_such_api))
        .route(&format!("{FILES_PATH}/{{task_id}}/{{file}}"), get(download).fallback(no_such_api))
        .with_state(store)
}

fn invalid(message: impl Into<String>) -> HuaweiNested {
    HuaweiNested::new(StatusCode::BAD_REQUEST, INVALID_PARAMETER, message)
}

async fn create_task(
    State(store): State<Arc<StatsExports>>,
    body: Bytes,
) -> Result<Json<serde_json::Value>, HuaweiNested> {
    let vo = parse_export_task(&body)?;
    let spec = vo.validate().map_err(|violations| invalid(violations.to_string()))?;
    let task_id = store.create(spec);
    tracing::info!(%task_id, "created CDN statistics export task");
    Ok(Json(serde_json::json!({})))
}

/// The body must be a JSON object: serde would also fill the fields from an array, by position.
/// A value of the wrong type is reported with the field's name (`interval: invalid type …`).
fn parse_export_task(body: &[u8]) -> Result<ExportTaskVo, HuaweiNested> {
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
