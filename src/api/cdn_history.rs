//! Huawei Cloud CDN refresh and preheat tasks ("history"): list, per-URL detail, create.
//!
//! Task status: the API's `status` only says whether URLs are still running (`task_inprocess`)
//! or not (`task_done`); whether they succeeded is in the counters. A done task with any failed
//! URL maps to [`StatusKind::Failed`] (raw `task_done` kept), because those URLs are still stale
//! in the cache and someone has to act; only a done task with no failure is `Succeeded`.

use super::call::Call;
use super::status::{StatusKind, TaskStatus};
use super::{fetch, ApiError};
use export_desk_model::huawei_cdn::history::{
    detail_path, CreatePreheatingTasksResponse, CreateRefreshTasksResponse, HistoryTask, PreheatingTaskRequest,
    RefreshTaskRequest, ShowHistoryTaskDetailsQuery, ShowHistoryTaskDetailsResponse, ShowHistoryTasksQuery,
    ShowHistoryTasksResponse, TaskStatus as WireStatus, UrlObject, UrlStatus, HISTORY_TASKS_PATH,
    PREHEATING_TASKS_PATH, REFRESH_TASKS_PATH,
};

/// ShowHistoryTasks: one page (`page_number`/`page_size`) of tasks, filtered and sorted.
pub async fn list(query: &ShowHistoryTasksQuery) -> Result<ShowHistoryTasksResponse, ApiError> {
    fetch::get_json(&fetch::with_query(HISTORY_TASKS_PATH, &query.to_query_string()), &[]).await
}

/// ShowHistoryTaskDetails: one task with one page of its URLs.
pub async fn details(
    task_id: &str,
    query: &ShowHistoryTaskDetailsQuery,
) -> Result<ShowHistoryTaskDetailsResponse, ApiError> {
    fetch::get_json(&fetch::with_query(&detail_path(task_id), &query.to_query_string()), &[]).await
}

/// CreateRefreshTasks; answers the new task's id (`refresh_task`).
pub async fn create_refresh(request: &RefreshTaskRequest) -> Result<CreateRefreshTasksResponse, ApiError> {
    let call = refresh_call();
    fetch::post_json(&call.path, &call.header_refs(), request).await
}

/// What [`create_refresh`] sends besides its body.
pub fn refresh_call() -> Call {
    Call::post(REFRESH_TASKS_PATH, Vec::new())
}

/// CreatePreheatingTasks; answers the new task's id (`preheating_task`).
pub async fn create_preheating(request: &PreheatingTaskRequest) -> Result<CreatePreheatingTasksResponse, ApiError> {
    let call = preheating_call();
    fetch::post_json(&call.path, &call.header_refs(), request).await
}

/// What [`create_preheating`] sends besides its body.
pub fn preheating_call() -> Call {
    Call::post(PREHEATING_TASKS_PATH, Vec::new())
}

/// The shared status of a listed task (see the module doc for `task_done` with failed URLs).
pub fn task_status(task: &HistoryTask) -> TaskStatus {
    counted_status(&task.status, task.failed)
}

/// The same for the task a detail answer describes.
pub fn detail_status(detail: &ShowHistoryTaskDetailsResponse) -> TaskStatus {
    counted_status(&detail.status, detail.failed)
}

/// The shared status of one URL: `waiting` is queued; `processing`, `refreshing` and
/// `preheating` are running; `succeed` and `failed` are final. Anything undocumented is taken as
/// running, which keeps the page refreshing rather than giving up on a URL.
pub fn url_status(url: &UrlObject) -> TaskStatus {
    let kind = match UrlStatus::parse(&url.status) {
        Some(UrlStatus::Waiting) => StatusKind::Queued,
        Some(UrlStatus::Processing | UrlStatus::Refreshing | UrlStatus::Preheating) | None => StatusKind::Running,
        Some(UrlStatus::Succeed) => StatusKind::Succeeded,
        Some(UrlStatus::Failed) => StatusKind::Failed,
    };
    TaskStatus::new(kind, &url.status)
}

fn counted_status(raw: &str, failed: u32) -> TaskStatus {
    let kind = match WireStatus::parse(raw) {
        Some(WireStatus::Done) if failed > 0 => StatusKind::Failed,
        Some(WireStatus::Done) => StatusKind::Succeeded,
        Some(WireStatus::InProcess) | None => StatusKind::Running,
    };
    TaskStatus::new(kind, raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(status: &str, succeed: u32, failed: u32, processing: u32) -> HistoryTask {
        HistoryTask {
            id: "7620240".into(),
            task_type: "refresh".into(),
            status: status.into(),
            processing,
            succeed,
            failed,
            total: succeed + failed + processing,
            create_time: 1_700_000_000_000,
            file_type: "file".into(),
        }
    }

    fn url(status: &str) -> UrlObject {
        UrlObject {
            id: "762024000001".into(),
            url: "https://www.example.com/a.js".into(),
            status: status.into(),
            create_time: 1_700_000_000_000,
            task_id: "7620240".into(),
            task_type: "REFRESH".into(),
            fail_classify: None,
            fail_desc: None,
        }
    }

    #[test]
    fn tasks_map_by_status_and_failed_urls_keeping_the_raw_value() {
        let running = task_status(&task("task_inprocess", 1, 1, 2));
        assert_eq!((running.kind, running.raw.as_str()), (StatusKind::Running, "task_inprocess"));
        assert_eq!(task_status(&task("task_done", 3, 0, 0)).kind, StatusKind::Succeeded);
        let partly_failed = task_status(&task("task_done", 2, 1, 0));
        assert_eq!((partly_failed.kind, partly_failed.raw.as_str()), (StatusKind::Failed, "task_done"));
        assert_eq!(task_status(&task("task_done", 0, 3, 0)).kind, StatusKind::Failed);
        let unknown = task_status(&task("task_paused", 0, 0, 1));
        assert_eq!((unknown.kind, unknown.raw.as_str()), (StatusKind::Running, "task_paused"));
    }

    #[test]
    fn a_detail_answer_maps_like_its_task() {
        let detail = ShowHistoryTaskDetailsResponse {
            id: "7620240".into(),
            task_type: "preheating".into(),
            status: "task_done".into(),
            urls: vec![url("failed")],
            create_time: 1,
            processing: 0,
            succeed: 0,
            failed: 1,
            total: 1,
            file_type: "file".into(),
        };
        assert_eq!(detail_status(&detail).kind, StatusKind::Failed);
    }

    #[test]
    fn every_documented_url_status_maps() {
        let kind = |raw: &str| url_status(&url(raw)).kind;
        assert_eq!(kind("waiting"), StatusKind::Queued);
        assert_eq!(kind("processing"), StatusKind::Running);
        assert_eq!(kind("refreshing"), StatusKind::Running);
        assert_eq!(kind("preheating"), StatusKind::Running);
        assert_eq!(kind("succeed"), StatusKind::Succeeded);
        assert_eq!(kind("failed"), StatusKind::Failed);
        let unknown = url_status(&url("blocked"));
        assert_eq!((unknown.kind, unknown.raw.as_str()), (StatusKind::Running, "blocked"));
    }
}
