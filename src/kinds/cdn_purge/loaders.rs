//! What the registry (`KINDS`) asks of this kind outside its page: the Overview's tasks of the last day, the watcher's
//! small pages since the oldest watched task, and the search through ShowHistoryTaskDetails. Each answers
//! `OverviewTask`s or `Found`s, which link back into the kind's list.

use super::{detail, PATH};
use crate::api::{cdn_history, ApiError};
use crate::i18n::Catalogue;
use crate::kinds::find::Found;
use crate::kinds::{OverviewTask, RECENT_MS};
use crate::watched::Watched;
use export_desk_model::huawei_cdn::history::{FileType, ShowHistoryTaskDetailsQuery, ShowHistoryTasksQuery};
use export_desk_model::huawei_cdn::percent_encode;

/// For the Overview: the tasks of the last day, files and directories (the history lists them
/// apart: `file_type` defaults to `file`).
pub(in crate::kinds) async fn overview_tasks(
    now_ms: i64,
    t: &'static Catalogue,
) -> Result<Vec<OverviewTask>, ApiError> {
    history_tasks(now_ms - RECENT_MS, 1000, t).await
}

/// How far before a watched task's creation (or, not knowing it, its first watch) the watcher's
/// query starts: the browser's clock may be behind the cloud's, whose `create_time` the
/// `start_date` filters on.
const WATCH_MARGIN_MS: i64 = 10 * 60_000;
/// Rows a page for the watcher: the tasks created since the oldest watched one, of one file type.
/// A person's few tasks of the last minutes fit many times over; the Overview's 1000 every 3 s
/// would be a heavy poll.
const WATCH_PAGE_SIZE: u32 = 100;

/// Where the watcher's query starts: before the oldest watched task's creation (its scope, when
/// watched from the Overview) or first watch, and never more than a day back (the Overview's
/// reach, as far as a task is watched from).
pub(in crate::kinds) fn watch_since(watched: &[Watched], now_ms: i64) -> i64 {
    let began = |w: &Watched| w.scope.parse::<i64>().map_or(w.since_ms, |created| created.min(w.since_ms));
    let oldest = watched.iter().map(began).min().unwrap_or(now_ms);
    (oldest - WATCH_MARGIN_MS).max(now_ms - RECENT_MS)
}

/// For the watcher: the tasks created since `start_ms`, a small page of each file type.
pub(in crate::kinds) async fn watched_tasks(
    start_ms: i64,
    t: &'static Catalogue,
) -> Result<Vec<OverviewTask>, ApiError> {
    history_tasks(start_ms, WATCH_PAGE_SIZE, t).await
}

/// The tasks created since `start_ms`, the first `page_size` of files and of directories.
async fn history_tasks(start_ms: i64, page_size: u32, t: &'static Catalogue) -> Result<Vec<OverviewTask>, ApiError> {
    let mut tasks = Vec::new();
    for file_type in [FileType::File, FileType::Directory] {
        let query = ShowHistoryTasksQuery {
            page_size: Some(page_size.to_string()),
            page_number: Some("1".to_owned()),
            start_date: Some(start_ms.to_string()),
            file_type: Some(file_type.as_str().to_owned()),
            ..ShowHistoryTasksQuery::default()
        };
        let list = cdn_history::list(&query).await?;
        tasks.extend(list.tasks.into_iter().map(|task| OverviewTask {
            href: format!("{PATH}/{}", percent_encode(&task.id)),
            status: cdn_history::task_status(&task),
            download: None,
            title: (t.cdn_purge.overview_title)(task.task_type == "refresh", task.total, &task.file_type),
            // Where the watcher's query must start to hold it.
            scope: task.create_time.to_string(),
            id: task.id,
            created_ms: task.create_time,
            changed_ms: task.create_time,
        }));
    }
    Ok(tasks)
}

/// How far back the search looks: 14 of the 15 days ShowHistoryTaskDetails reaches with a
/// `create_time`, the day left over for a browser clock behind the cloud's (a `create_time` older
/// than 15 days by the cloud's clock is refused).
const FIND_REACH_MS: i64 = 14 * 24 * 3_600_000;

/// For the search: ShowHistoryTaskDetails of the id (one URL of it), which answers only for a
/// task that exists, created since the `create_time` given.
pub(in crate::kinds) async fn find(id: String, t: &'static Catalogue) -> Result<Vec<Found>, ApiError> {
    let since = js_sys::Date::now() as i64 - FIND_REACH_MS;
    let query = ShowHistoryTaskDetailsQuery {
        page_size: Some("1".to_owned()),
        page_number: Some("1".to_owned()),
        create_time: Some(since.to_string()),
        ..ShowHistoryTaskDetailsQuery::default()
    };
    match cdn_history::details(&id, &query).await {
        Ok(task) => Ok(vec![Found {
            href: format!("{PATH}/{}?create_time={}", percent_encode(&task.id), task.create_time),
            title: (t.cdn_purge.overview_title)(task.task_type == "refresh", task.total, &task.file_type),
        }]),
        Err(error) if detail::no_such_task(&error) => Ok(Vec::new()),
        Err(error) => Err(error),
    }
}

/// A refresh or preheat task's id: digits (the documented `"7620240"`), at most 20 (a 64-bit number).
pub(in crate::kinds) fn is_cdn_purge_task_id(text: &str) -> bool {
    (1..=20).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit())
}
