//! What the registry (`KINDS`) asks of this kind outside its page: the Overview's newest exports, the watcher's by the
//! `task_id` filter, and the search. Each answers `OverviewTask`s or `Found`s, which link back into the kind's list.

use crate::api::status::StatusKind;
use crate::api::{cdn_stats, ApiError};
use crate::i18n::Catalogue;
use crate::kinds::find::Found;
use crate::kinds::OverviewTask;
use export_desk_model::huawei_cdn::{ExportTask, ListExportTasksQuery, LIST_LIMIT_MAX};

/// For the Overview: the newest 100 exports (the most one call lists).
pub(in crate::kinds) async fn overview_tasks(
    _now_ms: i64,
    _t: &'static Catalogue,
) -> Result<Vec<OverviewTask>, ApiError> {
    let query =
        ListExportTasksQuery { limit: Some(LIST_LIMIT_MAX), offset: Some(0), ..ListExportTasksQuery::default() };
    Ok(cdn_stats::list(&query).await?.data.into_iter().map(overview_task).collect())
}

fn overview_task(task: ExportTask) -> OverviewTask {
    OverviewTask {
        href: task_href(&task.task_id),
        status: cdn_stats::task_status(&task),
        download: (cdn_stats::task_status(&task).kind == StatusKind::Succeeded)
            .then(|| task.download_link.clone())
            .flatten(),
        id: task.task_id,
        title: task.task_name,
        created_ms: task.create_time,
        changed_ms: task.update_time,
        scope: String::new(),
    }
}

/// The most watched exports asked for one by one (ListExportTasks filtered by `task_id`: a row
/// each); with more, the newest [`LIST_LIMIT_MAX`] in one call cost fewer calls.
const WATCH_ONE_BY_ONE_MAX: usize = 3;

/// For the watcher: each watched export by the API's `task_id` filter while there are few of
/// them, else the Overview's newest [`LIST_LIMIT_MAX`].
pub(in crate::kinds) async fn watched_tasks(ids: Vec<String>) -> Result<Vec<OverviewTask>, ApiError> {
    let queries: Vec<ListExportTasksQuery> = if ids.len() > WATCH_ONE_BY_ONE_MAX {
        vec![ListExportTasksQuery { limit: Some(LIST_LIMIT_MAX), offset: Some(0), ..ListExportTasksQuery::default() }]
    } else {
        // The filter may let more than the one id through: a few rows are enough to hold it.
        let one = |id| ListExportTasksQuery { limit: Some(10), offset: Some(0), task_id: Some(id), task_name: None };
        ids.into_iter().map(one).collect()
    };
    let mut tasks = Vec::new();
    for query in queries {
        tasks.extend(cdn_stats::list(&query).await?.data.into_iter().map(overview_task));
    }
    Ok(tasks)
}

/// A task on the list: filtered to it by `task_id` (the API's own filter), and marked.
fn task_href(id: &str) -> String {
    let id = export_desk_model::huawei_cdn::percent_encode(id);
    format!("{}?task_id={id}&{}={id}", super::PATH, crate::task_page::LINKED_TASK_KEY)
}

/// For the search: ListExportTasks filtered by `task_id`. Only a task with exactly that id counts,
/// whatever else the filter lets through.
pub(in crate::kinds) async fn find(id: String) -> Result<Vec<Found>, ApiError> {
    let query = ListExportTasksQuery {
        limit: Some(LIST_LIMIT_MAX),
        offset: Some(0),
        task_id: Some(id.clone()),
        task_name: None,
    };
    let list = cdn_stats::list(&query).await?;
    Ok(list
        .data
        .into_iter()
        .filter(|task| task.task_id.eq_ignore_ascii_case(&id))
        .map(|task| Found { href: task_href(&task.task_id), title: task.task_name })
        .collect())
}

/// A CDN statistics export's `task_id`: 32 hexadecimal characters, the documented example's shape
/// (`2459be350111d2da0f8dc010e0ac4c33`) and the mock's.
pub(in crate::kinds) fn is_cdn_stats_task_id(text: &str) -> bool {
    crate::kinds::find::hex(text, 32)
}
