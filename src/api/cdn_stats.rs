//! Huawei Cloud CDN statistics export tasks: create, list.

use super::call::Call;
use super::status::{StatusKind, TaskStatus};
use super::{fetch, ApiError};
use export_desk_model::huawei_cdn::{
    status, ExportTask, ExportTaskVo, ListExportTasksQuery, ListExportTasksResponse, EXPORT_TASKS_PATH,
};

/// CreateExportTask. The cloud answers with no task id: list to find the task.
pub async fn create(body: &ExportTaskVo) -> Result<(), ApiError> {
    let call = create_call();
    let _: serde_json::Value = fetch::post_json(&call.path, &call.header_refs(), body).await?;
    Ok(())
}

/// What [`create`] sends besides its body.
pub fn create_call() -> Call {
    Call::post(EXPORT_TASKS_PATH, Vec::new())
}

/// ListExportTasks: one page, newest modification first.
pub async fn list(query: &ListExportTasksQuery) -> Result<ListExportTasksResponse, ApiError> {
    fetch::get_json(&fetch::with_query(EXPORT_TASKS_PATH, &query.to_query_string()), &[]).await
}

/// The shared status of a task. Only `success`/`fail` are documented; anything else is taken to
/// be still running, which keeps the page refreshing rather than giving up on a task.
pub fn task_status(task: &ExportTask) -> TaskStatus {
    let kind = match task.status.as_str() {
        status::SUCCESS => StatusKind::Succeeded,
        status::FAIL => StatusKind::Failed,
        // No in-progress value is documented; `processing` is the one the mock uses, and anything
        // else is taken as still on its way too, with a note saying what the cloud said.
        status::PROCESSING => StatusKind::Running,
        _ => return TaskStatus::unknown(&task.status),
    };
    TaskStatus::new(kind, &task.status)
}
