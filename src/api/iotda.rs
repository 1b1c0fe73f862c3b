//! Huawei Cloud IoTDA resource export tasks: create, list, download the file, delete.
//!
//! Every call names the project and instance `/_desk/config` gives ([`IotdaProject`], see
//! [`super::desk::iotda_project`]): the project in the path and in `X-Project-Id` (as the SDK
//! sends both), the instance in `Instance-Id` when there is one.
//!
//! Task status: `Processing` is running, `Success` succeeded, `Failed` failed. IoTDA documents no
//! queued state. Anything undocumented is taken as running, which keeps the page refreshing
//! rather than giving up on a task.

use super::call::Call;
use super::status::{StatusKind, TaskStatus};
use super::{fetch, ApiError};
use export_desk_model::desk::IotdaProject;
use export_desk_model::huawei_iotda::{
    export_file_path, export_task_path, export_tasks_path, AddExportTask, ExportTask, ListExportTasksQuery,
    ListExportTasksResponse, TaskStatus as WireStatus, INSTANCE_ID_HEADER, PROJECT_ID_HEADER,
};

/// CreateExportTask; answers the new task.
pub async fn create(project: &IotdaProject, body: &AddExportTask) -> Result<ExportTask, ApiError> {
    let call = create_call(project);
    fetch::post_json(&call.path, &call.header_refs(), body).await
}

/// What [`create`] sends besides its body.
pub fn create_call(project: &IotdaProject) -> Call {
    let headers = headers(project).into_iter().map(|(name, value)| (name, value.to_owned())).collect();
    Call::post(export_tasks_path(&project.project_id), headers)
}

/// ListExportTasks: one page below `marker` (newest first), `offset` more skipped.
pub async fn list(project: &IotdaProject, query: &ListExportTasksQuery) -> Result<ListExportTasksResponse, ApiError> {
    let path = fetch::with_query(&export_tasks_path(&project.project_id), &query.to_query_string());
    fetch::get_json(&path, &headers(project)).await
}

/// ShowExportTask, which is IoTDA's file download: the export's zip, fetched so a refusal
/// (`IOTDA.021101` with `Retry-After` for the one-download-per-30-s rule) reaches the page as an
/// error; hand the result to the browser with [`fetch::Download::save`] and
/// [`download_file_name`].
pub async fn download_file(project: &IotdaProject, export_task_id: &str) -> Result<fetch::Download, ApiError> {
    fetch::download(&export_file_path(&project.project_id, export_task_id), &headers(project)).await
}

/// The name to save a download under when the answer names none.
pub fn download_file_name(export_task_id: &str) -> String {
    format!("{export_task_id}.zip")
}

/// DeleteExportTask.
pub async fn delete(project: &IotdaProject, export_task_id: &str) -> Result<(), ApiError> {
    fetch::delete(&export_task_path(&project.project_id, export_task_id), &headers(project)).await
}

/// The shared status of a task (see the module doc).
pub fn task_status(task: &ExportTask) -> TaskStatus {
    let kind = match WireStatus::parse(&task.status) {
        Some(WireStatus::Success) => StatusKind::Succeeded,
        Some(WireStatus::Failed) => StatusKind::Failed,
        Some(WireStatus::Processing) => StatusKind::Running,
        None => return TaskStatus::unknown(&task.status),
    };
    TaskStatus::new(kind, &task.status)
}

/// The unfinished of `tasks`: IoTDA refuses a sixth (`UNFINISHED_PER_USER_MAX`), so a form can
/// warn before sending. A user has at most 50 tasks, so one 50-row page sees them all.
pub fn unfinished(tasks: Vec<ExportTask>) -> Vec<ExportTask> {
    tasks.into_iter().filter(|task| task_status(task).kind.is_unfinished()).collect()
}

fn headers(project: &IotdaProject) -> Vec<(&'static str, &str)> {
    let mut headers = vec![(PROJECT_ID_HEADER, project.project_id.as_str())];
    if let Some(instance) = project.instance_id.as_deref().filter(|id| !id.is_empty()) {
        headers.push((INSTANCE_ID_HEADER, instance));
    }
    headers
}

/// A listed task as IoTDA answers one (no condition, the tenant's scope), for tests.
#[cfg(test)]
pub(crate) fn sample_task(status: &str) -> ExportTask {
    ExportTask {
        export_task_id: "5f1d0a2b3c4d5e6f7a8b9c0d".into(),
        resource_type: "BatchTask".into(),
        resource_condition: serde_json::Map::new(),
        export_format: "xls".into(),
        status: status.into(),
        export_count: 0,
        progress: 10,
        create_time: "2026-11-23T08:30:00.000Z".into(),
        end_time: None,
        app_type: "GLOBAL".into(),
        app_id: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_status_maps_and_unknown_ones_keep_running() {
        assert_eq!(task_status(&sample_task("Processing")).kind, StatusKind::Running);
        assert_eq!(task_status(&sample_task("Success")).kind, StatusKind::Succeeded);
        assert_eq!(task_status(&sample_task("Failed")).kind, StatusKind::Failed);
        let unknown = task_status(&sample_task("Cancelled"));
        assert_eq!((unknown.kind, unknown.raw.as_str()), (StatusKind::Running, "Cancelled"));
        // Wire values are case-sensitive: `success` is not IoTDA's word.
        assert_eq!(task_status(&sample_task("success")).kind, StatusKind::Running);
    }

    #[test]
    fn unfinished_tasks_are_counted_for_the_five_task_warning() {
        let tasks =
            [sample_task("Processing"), sample_task("Success"), sample_task("Processing"), sample_task("Failed")];
        assert_eq!(unfinished(tasks.to_vec()).len(), 2);
        assert!(unfinished(Vec::new()).is_empty());
    }

    #[test]
    fn calls_name_the_project_and_the_instance_only_when_set() {
        let project = IotdaProject { project_id: "p1".into(), instance_id: None };
        assert_eq!(headers(&project), vec![(PROJECT_ID_HEADER, "p1")]);
        let empty = IotdaProject { project_id: "p1".into(), instance_id: Some(String::new()) };
        assert_eq!(headers(&empty).len(), 1);
        let instance = IotdaProject { project_id: "p1".into(), instance_id: Some("i-1".into()) };
        assert_eq!(headers(&instance), vec![(PROJECT_ID_HEADER, "p1"), (INSTANCE_ID_HEADER, "i-1")]);
        assert_eq!(download_file_name("abc"), "abc.zip");
    }
}
