//! Huawei Cloud CDN refresh and preheat tasks ("history"): list, per-URL detail, create.
//!
//! Task status: the API's `status` only says whether URLs are still running (`task_inprocess`)
//! or not (`task_done`); whether they succeeded is in the counters. A done task with any failed
//! URL maps to [`StatusKind::Failed`] (raw `task_done` kept), because those URLs are still stale
//! in the cache and someone has to act; only a done task with no failure is `Succeeded`.

use super::call::Call;
use super::status::{StatusKind, StatusNote, TaskStatus};
use super::{fetch, ApiError, NotSent};
use export_desk_model::huawei_cdn::history::{
    detail_path, CreatePreheatingTasksResponse, CreateRefreshTasksResponse, FileType, HistoryTask, OrderField,
    OrderType, Page, PreheatingTaskRequest, RefreshTaskRequest, ShowHistoryTaskDetailsQuery,
    ShowHistoryTaskDetailsResponse, ShowHistoryTasksQuery, ShowHistoryTasksResponse, TaskStatus as WireStatus,
    TaskType, UrlObject, UrlStatus, HISTORY_TASKS_PATH, PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX, PREHEATING_TASKS_PATH,
    REFRESH_TASKS_PATH,
};

/// ShowHistoryTasks: one page (`page_number`/`page_size`) of tasks, filtered and sorted.
pub async fn list(query: &ShowHistoryTasksQuery) -> Result<ShowHistoryTasksResponse, ApiError> {
    fetch::get_json(&fetch::with_query(HISTORY_TASKS_PATH, &query.to_query_string()), &[]).await
}

/// How deep the list of both file types reaches: each type's first 100,000 tasks (ten calls of
/// 10,000), so a page asked for in the URL cannot make the browser fetch and hold a whole account's
/// history (65,535 pages of 10,000). Deeper pages are one file type's.
pub const MERGED_REACH_MAX: u64 = 100_000;

/// ShowHistoryTasks over files and directories alike. The API lists one file type a call
/// (`file_type` defaults to `file`), so the page asked for is made from both lists: each one's
/// first `page_number × page_size` tasks (in pages of at most 10,000, the most one call returns)
/// hold every task that can come before the page's end; merged in the query's order, the page is
/// cut from them, and the total is both totals. A page ending beyond [`MERGED_REACH_MAX`] is not
/// fetched: the answer is an error that says to choose a file type.
pub async fn list_every_file_type(query: &ShowHistoryTasksQuery) -> Result<ShowHistoryTasksResponse, ApiError> {
    let page = page_of(query);
    let reach = merged_reach(page)?;
    let mut lists = Vec::with_capacity(2);
    for file_type in [FileType::File, FileType::Directory] {
        let mut tasks = Vec::new();
        let mut total = 0;
        for (size, number) in leading_pages(reach) {
            let one_type = ShowHistoryTasksQuery {
                file_type: Some(file_type.as_str().to_owned()),
                page_size: Some(size.to_string()),
                page_number: Some(number.to_string()),
                ..query.clone()
            };
            let answer = list(&one_type).await?;
            total = answer.total;
            let last = answer.tasks.len() < size as usize;
            tasks.extend(answer.tasks);
            if last {
                break;
            }
        }
        lists.push(ShowHistoryTasksResponse { total, tasks });
    }
    let directories = lists.pop().unwrap_or_else(empty);
    let files = lists.pop().unwrap_or_else(empty);
    Ok(merged_page(files, directories, query, page))
}

fn empty() -> ShowHistoryTasksResponse {
    ShowHistoryTasksResponse { total: 0, tasks: Vec::new() }
}

/// How many tasks of each file type the merged `page` needs, or why it is not fetched.
fn merged_reach(page: Page) -> Result<u64, ApiError> {
    let reach = page.offset().saturating_add(u64::from(page.size));
    if reach > MERGED_REACH_MAX {
        return Err(ApiError::NotSent(NotSent::MergedListTooDeep { max: MERGED_REACH_MAX }));
    }
    Ok(reach)
}

/// The page a query asks for (defaults as the API applies them).
fn page_of(query: &ShowHistoryTasksQuery) -> Page {
    let number = |text: &Option<String>, default| text.as_deref().and_then(|v| v.parse().ok()).unwrap_or(default);
    Page { size: number(&query.page_size, PAGE_SIZE_DEFAULT), number: number(&query.page_number, 1) }
}

/// The calls (page size, page number) that fetch a list's first `rows` tasks: one call when the
/// API allows a page that large, else pages of the largest size.
fn leading_pages(rows: u64) -> Vec<(u32, u32)> {
    let max = u64::from(PAGE_SIZE_MAX);
    if rows <= max {
        return vec![(rows.max(1) as u32, 1)];
    }
    (1..=rows.div_ceil(max)).map(|number| (PAGE_SIZE_MAX, number as u32)).collect()
}

/// Page `page` of the two lists merged in the query's order. Each list is already in that order
/// as the API sorted it, so it is merged, not sorted again; between the two, equal keys go newest
/// first, as the API breaks ties.
fn merged_page(
    files: ShowHistoryTasksResponse,
    directories: ShowHistoryTasksResponse,
    query: &ShowHistoryTasksQuery,
    page: Page,
) -> ShowHistoryTasksResponse {
    let field = query.order_field.as_deref().and_then(OrderField::parse);
    let direction = query.order_type.as_deref().and_then(OrderType::parse);
    // An order field without its direction (or the other way round) is the default order.
    let (field, ascending) = match (field, direction) {
        (Some(field), Some(direction)) => (field, direction == OrderType::Asc),
        _ => (OrderField::CreateTime, false),
    };
    let key = |task: &HistoryTask| -> i64 {
        match field {
            OrderField::TaskType => i64::from(task.task_type != TaskType::Refresh.as_str()),
            OrderField::Total => i64::from(task.total),
            OrderField::Processing => i64::from(task.processing),
            OrderField::Succeed => i64::from(task.succeed),
            OrderField::Failed => i64::from(task.failed),
            OrderField::CreateTime => task.create_time,
        }
    };
    let comes_first = |a: &HistoryTask, b: &HistoryTask| -> bool {
        let (ka, kb) = (key(a), key(b));
        if ka != kb {
            return (ka < kb) == ascending;
        }
        a.create_time >= b.create_time
    };
    let total = files.total + directories.total;
    let (mut files, mut directories) = (files.tasks.into_iter().peekable(), directories.tasks.into_iter().peekable());
    let mut merged = Vec::new();
    loop {
        let next = match (files.peek(), directories.peek()) {
            (Some(file), Some(directory)) if comes_first(file, directory) => files.next(),
            (Some(_), Some(_)) => directories.next(),
            (Some(_), None) => files.next(),
            (None, _) => directories.next(),
        };
        match next {
            Some(task) => merged.push(task),
            None => break,
        }
    }
    let tasks = merged.into_iter().skip(page.offset() as usize).take(page.size as usize).collect();
    ShowHistoryTasksResponse { total, tasks }
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
        Some(UrlStatus::Processing | UrlStatus::Refreshing | UrlStatus::Preheating) => StatusKind::Running,
        None => return TaskStatus::unknown(&url.status),
        Some(UrlStatus::Succeed) => StatusKind::Succeeded,
        Some(UrlStatus::Failed) => StatusKind::Failed,
    };
    TaskStatus::new(kind, &url.status)
}

fn counted_status(raw: &str, failed: u32) -> TaskStatus {
    match WireStatus::parse(raw) {
        // "Done" to the cloud, failed to whoever must act: say both.
        Some(WireStatus::Done) if failed > 0 => {
            TaskStatus::new(StatusKind::Failed, raw).with_note(StatusNote::UrlsFailed(failed))
        }
        Some(WireStatus::Done) => TaskStatus::new(StatusKind::Succeeded, raw),
        Some(WireStatus::InProcess) => TaskStatus::new(StatusKind::Running, raw),
        None => TaskStatus::unknown(raw),
    }
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
        assert_eq!(partly_failed.note, Some(StatusNote::UrlsFailed(1)));
        assert_eq!(task_status(&task("task_done", 3, 0, 0)).note, None, "a plain success needs no note");
        assert_eq!(task_status(&task("task_done", 0, 3, 0)).kind, StatusKind::Failed);
        let unknown = task_status(&task("task_paused", 0, 0, 1));
        assert_eq!((unknown.kind, unknown.raw.as_str()), (StatusKind::Running, "task_paused"));
        assert_eq!(unknown.note, Some(StatusNote::Unlisted));
    }

    fn listed(id: &str, file_type: &str, create_time: i64, total: u32) -> HistoryTask {
        HistoryTask { id: id.into(), create_time, total, file_type: file_type.into(), ..task("task_done", total, 0, 0) }
    }

    fn ids(answer: &ShowHistoryTasksResponse) -> Vec<&str> {
        answer.tasks.iter().map(|t| t.id.as_str()).collect()
    }

    fn answer(total: u64, tasks: Vec<HistoryTask>) -> ShowHistoryTasksResponse {
        ShowHistoryTasksResponse { total, tasks }
    }

    #[test]
    fn both_file_types_merge_into_one_page_in_the_querys_order() {
        let files =
            || answer(3, vec![listed("f3", "file", 30, 1), listed("f2", "file", 20, 5), listed("f1", "file", 10, 2)]);
        let directories = || answer(2, vec![listed("d2", "directory", 25, 3), listed("d1", "directory", 5, 9)]);
        let newest = ShowHistoryTasksQuery::default();
        let first = merged_page(files(), directories(), &newest, Page { size: 2, number: 1 });
        assert_eq!((ids(&first), first.total), (vec!["f3", "d2"], 5));
        let second = merged_page(files(), directories(), &newest, Page { size: 2, number: 2 });
        assert_eq!(ids(&second), ["f2", "f1"]);
        let third = merged_page(files(), directories(), &newest, Page { size: 2, number: 3 });
        assert_eq!(ids(&third), ["d1"]);
        // Each list comes sorted by the API; the merge keeps that and orders across them.
        let by_total = ShowHistoryTasksQuery {
            order_field: Some("total".into()),
            order_type: Some("asc".into()),
            ..Default::default()
        };
        let files =
            answer(3, vec![listed("f3", "file", 30, 1), listed("f1", "file", 10, 2), listed("f2", "file", 20, 5)]);
        let directories = answer(2, vec![listed("d2", "directory", 25, 3), listed("d1", "directory", 5, 9)]);
        let page = merged_page(files, directories, &by_total, Page { size: 10, number: 1 });
        assert_eq!(ids(&page), ["f3", "f1", "d2", "f2", "d1"]);
    }

    #[test]
    fn the_leading_rows_are_fetched_in_as_few_calls_as_the_api_allows() {
        assert_eq!(merged_reach(Page { size: 10_000, number: 10 }).unwrap(), 100_000);
        assert_eq!(merged_reach(Page { size: 30, number: 2 }).unwrap(), 60);
        // A deep page of both types is refused before any call, however far the URL asks.
        for page in
            [Page { size: 10_000, number: 11 }, Page { size: 10_000, number: 65_535 }, Page { size: 30, number: 3_334 }]
        {
            assert!(matches!(
                merged_reach(page),
                Err(ApiError::NotSent(NotSent::MergedListTooDeep { max: MERGED_REACH_MAX }))
            ));
        }
        assert_eq!(leading_pages(30), [(30, 1)]);
        assert_eq!(leading_pages(10_000), [(10_000, 1)]);
        assert_eq!(leading_pages(20_000), [(10_000, 1), (10_000, 2)]);
        assert_eq!(leading_pages(10_030), [(10_000, 1), (10_000, 2)]);
        let query = ShowHistoryTasksQuery {
            page_size: Some("100".into()),
            page_number: Some("3".into()),
            ..Default::default()
        };
        assert_eq!(page_of(&query), Page { size: 100, number: 3 });
        assert_eq!(page_of(&ShowHistoryTasksQuery::default()), Page { size: 30, number: 1 });
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
