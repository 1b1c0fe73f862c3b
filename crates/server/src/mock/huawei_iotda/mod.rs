//! Huawei Cloud IoTDA: resource export tasks.
//!
//! - `POST /v5/iot/{project_id}/export-tasks`: CreateExportTask; answers 201 with the task.
//! - `GET /v5/iot/{project_id}/export-tasks`: ListExportTasks (marker + offset paging).
//! - `GET /v5/iot/{project_id}/export-tasks/{export_task_id}/file`: ShowExportTask, the result
//!   zip (at most one download per user every 30 s).
//! - `DELETE /v5/iot/{project_id}/export-tasks/{export_task_id}`: DeleteExportTask; answers 204.
//!
//! Every error is IoTDA's flat `{"error_code":"IOTDA.xxxxxx","error_msg":"…"}`, malformed input
//! included; the request id travels in the `X-Request-Id` header, added for every answer.

mod file;
mod store;
mod zip;

pub use store::{CreateRefused, DownloadRefused, ExportFile, ExportTasks, NoSuchTask};

use crate::envelope::{body_too_large_message, HuaweiGateway, HUAWEI_GATEWAY_REFUSED};
use crate::mock::state_file::StateError;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{DefaultBodyLimit, Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get};
use axum::{Json, Router};
use export_desk_model::huawei::ErrorBody;
use export_desk_model::huawei_iotda::{
    error_code, is_task_id, list_error_code, AddExportTask, ExportTask, ListExportTasksQuery, ListExportTasksResponse,
    Owner, DOWNLOAD_INTERVAL_MS, EXPORT_FILE_PATH, EXPORT_TASKS_PATH, EXPORT_TASK_PATH, INSTANCE_ID_HEADER,
    PROJECT_ID_HEADER, TASK_ID_LENGTH, UNFINISHED_PER_USER_MAX,
};
use std::sync::Arc;

/// The most a CreateExportTask body may hold: far above its largest legal body (a few short
/// fields); axum's default, named.
pub const BODY_MAX_BYTES: usize = 2 * 1024 * 1024;

pub fn router(store: Arc<ExportTasks>) -> Router {
    Router::new()
        // Another method on a known path is, for Huawei's gateway, an API that does not exist.
        .route(
            EXPORT_TASKS_PATH,
            get(list_tasks).post(create_task).layer(DefaultBodyLimit::max(BODY_MAX_BYTES)).fallback(no_such_api),
        )
        .route(EXPORT_TASK_PATH, delete(delete_task).fallback(no_such_api))
        .route(EXPORT_FILE_PATH, get(download_file).fallback(no_such_api))
        .with_state(store)
}

/// An IoTDA error: the flat envelope (the same shape the API gateway uses), and for the download
/// rate limit a `Retry-After` header with the seconds to wait, so a client can count down.
#[derive(Debug)]
pub struct IotdaError {
    status: StatusCode,
    body: ErrorBody,
    retry_after_s: Option<i64>,
}

impl IotdaError {
    fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self { status, body: ErrorBody::new(code, message), retry_after_s: None }
    }

    fn invalid(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, error_code::INVALID_INPUT, message)
    }

    fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, error_code::BAD_REQUEST, message)
    }
}

impl IntoResponse for IotdaError {
    fn into_response(self) -> Response {
        let mut response = HuaweiGateway { status: self.status, body: self.body }.into_response();
        if let Some(seconds) = self.retry_after_s {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

async fn no_such_api() -> HuaweiGateway {
    HuaweiGateway::no_such_api()
}

async fn create_task(
    State(store): State<Arc<ExportTasks>>,
    project_id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<ExportTask>), IotdaError> {
    let owner = owner(project_id.map(|Path(p)| p), &headers)?;
    require_json_media_type(&headers)?;
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            // The gateway refuses it before IoTDA sees it.
            IotdaError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                HUAWEI_GATEWAY_REFUSED,
                body_too_large_message(BODY_MAX_BYTES),
            )
        } else {
            IotdaError::bad_request(format!("Invalid request body: {}", rejection.body_text()))
        }
    })?;
    let request: AddExportTask = parse_json_object(&body)?;
    let spec = request.validate().map_err(|violations| IotdaError::invalid(violations.to_string()))?;
    let task = store.create(&owner, spec).map_err(not_saved)?.map_err(|refused| match refused {
        CreateRefused::TooManyUnfinished(count) => IotdaError::new(
            StatusCode::FORBIDDEN,
            error_code::TOO_MANY_UNFINISHED,
            format!(
                "The number of unfinished export tasks has reached the upper limit: {count} are running, at most \
                 {UNFINISHED_PER_USER_MAX} per user. Wait for one to finish or delete one, then create the task again."
            ),
        ),
    })?;
    tracing::info!(task_id = %task.export_task_id, project_id = %owner.project_id, "created IoTDA export task");
    Ok((StatusCode::CREATED, Json(task)))
}

/// The change was made but could not be written to the state file, so it would not survive a
/// restart: the client is told it failed. IoTDA documents no internal error; `IOTDA.000001` is the
/// mock's own.
fn not_saved(error: StateError) -> IotdaError {
    tracing::error!(%error, "could not record an IoTDA change");
    IotdaError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "IOTDA.000001",
        format!("The change could not be saved: {error}"),
    )
}

async fn list_tasks(
    State(store): State<Arc<ExportTasks>>,
    project_id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Json<ListExportTasksResponse>, IotdaError> {
    let owner = owner(project_id.map(|Path(p)| p), &headers)?;
    // Every parameter is optional text until validated, so any value reaches the rule that names
    // it; unknown parameters are ignored, as the gateway does.
    let query: ListExportTasksQuery = serde_urlencoded::from_str(raw.as_deref().unwrap_or_default())
        .map_err(|err| IotdaError::invalid(format!("Invalid query string: {err}")))?;
    let filter = query.validate().map_err(|violations| {
        IotdaError::new(StatusCode::BAD_REQUEST, list_error_code(&violations), violations.to_string())
    })?;
    Ok(Json(store.list(&owner, &filter)))
}

async fn delete_task(
    State(store): State<Arc<ExportTasks>>,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
) -> Result<StatusCode, IotdaError> {
    let (owner, task_id) = owner_and_task(path, &headers)?;
    store.delete(&owner, &task_id).map_err(not_saved)?.map_err(|NoSuchTask| not_found(&task_id))?;
    tracing::info!(%task_id, project_id = %owner.project_id, "deleted IoTDA export task");
    Ok(StatusCode::NO_CONTENT)
}

async fn download_file(
    State(store): State<Arc<ExportTasks>>,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, IotdaError> {
    let (owner, task_id) = owner_and_task(path, &headers)?;
    let file = store.download(&owner, &task_id).map_err(|refused| match refused {
        DownloadRefused::NoSuchTask => not_found(&task_id),
        DownloadRefused::NotReady { progress } => IotdaError::new(
            StatusCode::NOT_FOUND,
            error_code::FILE_NOT_READY,
            format!(
                "The export file of task {task_id} does not exist yet: the task is Processing ({progress}%). \
                 Download it once its status is Success."
            ),
        ),
        DownloadRefused::Failed => IotdaError::new(
            StatusCode::NOT_FOUND,
            error_code::EXPORT_FAILED,
            format!(
                "Export task {task_id} failed, so it has no file. Create a task with the same conditions to export again."
            ),
        ),
        DownloadRefused::TooSoon { wait_ms } => {
            let seconds = (wait_ms + 999) / 1000;
            IotdaError {
                retry_after_s: Some(seconds),
                ..IotdaError::new(
                    StatusCode::FORBIDDEN,
                    error_code::RATE_LIMITED,
                    format!(
                        "Request reached the maximum rate limit: export files can be downloaded once every {} seconds \
                         per user. Try again in {seconds} s.",
                        DOWNLOAD_INTERVAL_MS / 1000
                    ),
                )
            }
        }
    })?;
    let name = file.file_name();
    let archive = file.archive();
    Ok((
        [
            (header::CONTENT_TYPE, "application/zip".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        archive,
    )
        .into_response())
}

fn not_found(task_id: &str) -> IotdaError {
    IotdaError::new(
        StatusCode::NOT_FOUND,
        error_code::TASK_NOT_FOUND,
        format!("The export task {task_id} does not exist: it was deleted, replaced or never created for this user."),
    )
}

/// Whose tasks a call addresses: the path's project and the `Instance-Id` header.
fn owner(project_id: Result<String, PathRejection>, headers: &HeaderMap) -> Result<Owner, IotdaError> {
    let project_id =
        project_id.map_err(|rejection| IotdaError::invalid(format!("Invalid path: {}", rejection.body_text())))?;
    let text = |name: &str| headers.get(name).map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
    let instance_id = text(INSTANCE_ID_HEADER);
    let header_project = text(PROJECT_ID_HEADER);
    Owner::new(&project_id, instance_id.as_deref(), header_project.as_deref())
        .map_err(|violations| IotdaError::invalid(violations.to_string()))
}

fn owner_and_task(
    path: Result<Path<(String, String)>, PathRejection>,
    headers: &HeaderMap,
) -> Result<(Owner, String), IotdaError> {
    let (project_id, task_id) = match path {
        Ok(Path(pair)) => (Ok(pair.0), pair.1),
        Err(rejection) => (Err(rejection), String::new()),
    };
    let owner = owner(project_id, headers)?;
    if !is_task_id(&task_id) {
        return Err(IotdaError::invalid(format!(
            "export_task_id: must be {TASK_ID_LENGTH} hexadecimal characters, not `{task_id}`"
        )));
    }
    Ok((owner, task_id))
}

/// The SDK sends `application/json;charset=utf-8`; IoTDA refuses other media types with
/// IOTDA.000008. A request without a `Content-Type` is read as JSON all the same.
fn require_json_media_type(headers: &HeaderMap) -> Result<(), IotdaError> {
    let Some(value) = headers.get(header::CONTENT_TYPE) else { return Ok(()) };
    let text = String::from_utf8_lossy(value.as_bytes());
    let media_type = text.split(';').next().unwrap_or_default().trim();
    if media_type.eq_ignore_ascii_case("application/json") {
        Ok(())
    } else {
        Err(IotdaError::bad_request(format!("Unsupported Content-Type `{text}`: send application/json")))
    }
}

/// The body must be one JSON object: serde would also fill the fields from an array, by
/// position. A value of the wrong type is reported with the field's name; `resource_condition`
/// gets a hint, since ListExportTasks takes it as a string and callers mix the two up.
fn parse_json_object<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, IotdaError> {
    if body.trim_ascii_start().first() != Some(&b'{') {
        return Err(IotdaError::bad_request("Invalid request body: expected a JSON object"));
    }
    let mut json = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut json).map_err(|err| {
        let hint = if err.path().to_string().starts_with("resource_condition") {
            " (on create resource_condition is an object, e.g. {\"task_id\":\"<batch task id>\"})"
        } else {
            ""
        };
        IotdaError::bad_request(format!("Invalid request body: {err}{hint}"))
    })?;
    json.end().map_err(|err| IotdaError::bad_request(format!("Invalid request body: {err}")))?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use crate::mock::operations::identify;
    use axum::http::{HeaderMap, Method};
    use export_desk_model::huawei_iotda::{export_file_path, export_task_path, export_tasks_path};

    #[test]
    fn the_operations_table_names_every_iotda_call() {
        let headers = HeaderMap::new();
        let name = |method: Method, path: &str| identify(&method, path, &headers).map(|operation| operation.name);
        let tasks = export_tasks_path("0e7a6d2c9b8f4e1d8c3b5a7f6e2d1c0b");
        let task = export_task_path("p", "5f1a2b3c4d5e6f7a8b9c0d1e");
        let file = export_file_path("p", "5f1a2b3c4d5e6f7a8b9c0d1e");
        assert_eq!(name(Method::POST, &tasks), Some("iotda:CreateExportTask"));
        assert_eq!(name(Method::GET, &tasks), Some("iotda:ListExportTasks"));
        assert_eq!(name(Method::GET, &file), Some("iotda:ShowExportTask"));
        assert_eq!(name(Method::DELETE, &task), Some("iotda:DeleteExportTask"));
        assert_eq!(name(Method::GET, &task), None, "there is no task details API");
    }
}
