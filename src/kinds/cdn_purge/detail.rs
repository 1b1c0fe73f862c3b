//! One refresh or preheat task (route `/cdn/purge/{task_id}`): its progress and its URLs, each
//! with its own status and, when it failed, why; filtered by status or part of the URL.

use super::redo::{TaskActions, TaskShape};
use super::{kind_text, labelled, page_param, Progress};
use crate::api::status::TaskStatus;
use crate::api::{cdn_history, ApiError};
use crate::components::{Column, CsvCell, NumberedPage, StatusBadge, TaskKey, Timestamp};
use crate::hooks::use_url_query;
use crate::i18n::{self, Catalogue};
use crate::router::use_params;
use crate::task_page::{
    list_href, use_task_list, Filter, Filters, ListSource, ListWords, PageShell, Paging, TaskFilterBar, TaskListView,
    TasksSection,
};
use export_desk_model::huawei_cdn::history::{
    FailClassify, ShowHistoryTaskDetailsQuery, ShowHistoryTaskDetailsResponse, UrlObject, UrlStatus, PAGE_NUMBER_MAX,
    PAGE_SIZE_DEFAULT,
};
use leptos::prelude::*;

const PAGE_SIZES: &[u32] = &[PAGE_SIZE_DEFAULT, 100, 1000, 10_000];

/// One task's detail call: its id (from the route) and the URL filters and page.
#[derive(Debug, Clone, PartialEq)]
struct DetailQuery {
    task_id: String,
    query: ShowHistoryTaskDetailsQuery,
}

/// The status applies at once; the URL search on submit, so typing sends no request per key.
fn url_filters(t: &'static Catalogue) -> Filters {
    let words = &t.cdn_purge;
    let statuses =
        std::iter::once(("", words.any)).chain(labelled(UrlStatus::ALL, UrlStatus::as_str, words.url_status));
    Filters::new(
        "filters",
        vec![
            Filter::choice("status", "url-status", words.filter_url_status, statuses).at_once(),
            Filter::text("url", "url-search", words.filter_url, words.filter_url_placeholder),
        ],
        t,
    )
    .buttons(Some(words.search), words.clear)
}

/// The URLs of one task: numbered paging and two filters in the URL.
struct TaskUrls;

impl ListSource for TaskUrls {
    type Context = ();
    type Query = DetailQuery;
    type Answer = ShowHistoryTaskDetailsResponse;
    type Row = UrlObject;
    type Page = NumberedPage;

    const PAGING: Paging = Paging::NUMBERED;
    const FILTER_KEYS: &'static [&'static str] = &["status", "url"];
    const PAGE_SIZES: &'static [u32] = PAGE_SIZES;
    const EXPORT_NAME: &'static str = "cdn-purge-task-urls";
    /// ShowHistoryTaskDetails allows 30 calls a second a tenant, as the history does.
    const EXPORT_SPACING_MS: u32 = 250;

    /// The status applies at once; the URL search on submit, so typing sends no request per key.
    fn filters(t: &'static crate::i18n::Catalogue) -> Filters {
        url_filters(t)
    }

    fn query(url: &dyn Fn(&str) -> Option<String>) -> Option<DetailQuery> {
        let page_size = url("page_size").and_then(|v| v.parse().ok()).filter(|s| PAGE_SIZES.contains(s));
        let page_number =
            url("page_number").and_then(|v| v.parse::<u32>().ok()).filter(|n| (1..=PAGE_NUMBER_MAX).contains(n));
        let query = ShowHistoryTaskDetailsQuery {
            enterprise_project_id: None,
            page_size: Some(page_size.unwrap_or(PAGE_SIZE_DEFAULT).to_string()),
            page_number: Some(page_number.unwrap_or(1).to_string()),
            status: url("status").filter(|v| UrlStatus::parse(v).is_some()),
            url: url("url"),
            create_time: url("create_time").filter(|v| v.parse::<u64>().is_ok()),
        };
        Some(DetailQuery { task_id: url("task_id").unwrap_or_default(), query })
    }

    fn same_filters(a: &DetailQuery, b: &DetailQuery) -> bool {
        (&a.task_id, &a.query.status, &a.query.url) == (&b.task_id, &b.query.status, &b.query.url)
    }

    async fn list(_: &(), detail: &DetailQuery) -> Result<ShowHistoryTaskDetailsResponse, ApiError> {
        cdn_history::details(&detail.task_id, &detail.query).await
    }

    fn rows(answer: &ShowHistoryTaskDetailsResponse) -> &[UrlObject] {
        &answer.urls
    }

    /// The answer has no count of the URLs a filter matches (see [`filtered_total`]).
    fn total(_: &ShowHistoryTaskDetailsResponse) -> Option<u64> {
        None
    }

    /// A page shorter than the page size is the last one, whatever the counters say.
    fn page(detail: &DetailQuery, answer: &ShowHistoryTaskDetailsResponse) -> NumberedPage {
        let query = &detail.query;
        let (number, size) = (page_param(&query.page_number, 1), page_param(&query.page_size, PAGE_SIZE_DEFAULT));
        let shown = answer.urls.len() as u64;
        let before = u64::from(number.max(1) - 1) * u64::from(size);
        let mut total = filtered_total(answer, query.status.as_deref());
        if shown < u64::from(size) && shown > 0 {
            total = before + shown;
        }
        NumberedPage { number, size, total }
    }

    fn page_target(number: u32) -> Vec<(&'static str, Option<String>)> {
        vec![("page_number", (number > 1).then(|| number.to_string()))]
    }

    fn key(url: &UrlObject) -> TaskKey {
        TaskKey { id: url.id.clone(), version: url.status.clone() }
    }

    fn status(url: &UrlObject) -> TaskStatus {
        cdn_history::url_status(url)
    }

    /// The task's own status, not its URLs': it runs until every URL is done. Only its kind is
    /// read, never the note's words.
    fn unfinished(answer: &ShowHistoryTaskDetailsResponse) -> bool {
        cdn_history::detail_status(answer).kind.is_unfinished()
    }

    /// No such task in the days searched (see [`no_such_task`]).
    fn is_gone(error: &ApiError) -> bool {
        no_such_task(error)
    }
}

/// Whether ShowHistoryTaskDetails said there is no such task: `CDN.0001` (invalid parameter),
/// which, with every other parameter checked before sending, can only be about the task id.
pub(super) fn no_such_task(error: &ApiError) -> bool {
    error.code() == Some(export_desk_model::huawei_cdn::INVALID_PARAMETER)
}

#[component]
pub fn CdnPurgeDetailPage() -> impl IntoView {
    let t = i18n::t();
    let words = &t.cdn_purge;
    let params = use_params();
    let task_id = Memo::new(move |_| params.get("task_id").unwrap_or_default());
    let list = use_task_list::<TaskUrls>((), Signal::stored(false));
    // The summary needs only the counters of the last good answer (of this task).
    let task = Memo::new(move |_| {
        let id = task_id.get();
        list.kept.with(|kept| {
            kept.as_ref().filter(|(query, _)| query.task_id == id).map(|(_, answer)| TaskCounters::of(answer))
        })
    });
    let shape = Signal::derive(move || {
        task.get().map(|task| TaskShape {
            task_type: task.task_type,
            file_type: task.file_type,
            status: task.status,
            failed: task.failed,
        })
    });
    let url = use_url_query();
    let create_time = Signal::derive(move || url.get("create_time").filter(|v| v.parse::<u64>().is_ok()));
    let list_words = ListWords {
        loading: words.detail_loading,
        no_tasks: Signal::stored(words.detail_no_urls),
        no_match: words.detail_no_match,
        choose: "",
        gone: words.detail_gone,
    };

    let back = view! { <p class="back"><a href=list_href(super::PATH)>{words.back_to_tasks}</a></p> };
    view! {
        <PageShell title=move || (words.detail_title)(&task_id.get()) class="page purge-detail" above=back.into_any()>
            <TasksSection list=list heading=words.urls_heading heading_id="urls-heading">
                {move || task.get().map(|task| view! { <TaskSummary task=task/> })}
                <TaskActions task_id=task_id create_time=create_time shape=shape/>
                <TaskFilterBar list=list/>
                <TaskListView list=list columns=columns(t) words=list_words caption=words.urls_caption class="task-list"/>
            </TasksSection>
        </PageShell>
    }
}

/// What the summary shows of a detail answer: everything but its URLs.
#[derive(Debug, Clone, PartialEq)]
struct TaskCounters {
    task_type: String,
    file_type: String,
    status: TaskStatus,
    create_time: i64,
    processing: u32,
    succeed: u32,
    failed: u32,
    total: u32,
}

impl TaskCounters {
    fn of(answer: &ShowHistoryTaskDetailsResponse) -> Self {
        Self {
            task_type: answer.task_type.clone(),
            file_type: answer.file_type.clone(),
            status: cdn_history::detail_status(answer),
            create_time: answer.create_time,
            processing: answer.processing,
            succeed: answer.succeed,
            failed: answer.failed,
            total: answer.total,
        }
    }
}

/// How many URLs the filter matches, from the task's counters: exact for no filter, `succeed`
/// and `failed`; an upper bound for the running statuses (`processing` counts waiting URLs too)
/// and for a URL search, which only the task's total bounds.
fn filtered_total(task: &ShowHistoryTaskDetailsResponse, status: Option<&str>) -> u64 {
    let by_status = match status.and_then(UrlStatus::parse) {
        None => task.total,
        Some(UrlStatus::Succeed) => task.succeed,
        Some(UrlStatus::Failed) => task.failed,
        Some(_) => task.processing,
    };
    u64::from(by_status)
}

#[component]
fn TaskSummary(task: TaskCounters) -> impl IntoView {
    let t = i18n::t();
    let words = &t.cdn_purge;
    view! {
        <dl class="task-summary">
            <div><dt>{words.column_kind}</dt><dd>{kind_text(t, &task.task_type, &task.file_type)}</dd></div>
            <div><dt>{words.column_status}</dt><dd><StatusBadge status=task.status/></dd></div>
            <div><dt>{words.column_progress}</dt><dd>
                <Progress processing=task.processing succeed=task.succeed failed=task.failed total=task.total/>
            </dd></div>
            <div><dt>{words.column_created}</dt><dd><Timestamp ms=task.create_time/></dd></div>
        </dl>
    }
}

fn columns(t: &'static Catalogue) -> Vec<Column<UrlObject>> {
    let words = &t.cdn_purge;
    vec![
        Column::new(
            words.column_url,
            "col-url",
            |u: &UrlObject| view! { <span class="url-text" title=u.url.clone()>{u.url.clone()}</span> },
        )
        .text(|u| u.url.clone()),
        Column::new(
            words.column_status,
            "col-status",
            |u: &UrlObject| view! { <StatusBadge status=cdn_history::url_status(u)/> },
        )
        .text(move |u| cdn_history::url_status(u).kind.label(&t.errors).to_owned()),
        Column::new(words.column_why_failed, "col-reason", move |u: &UrlObject| {
            match (fail_class(u, t), u.fail_desc.clone()) {
                (None, None) => view! { <span class="muted">"—"</span> }.into_any(),
                (class, desc) => view! {
                    <span class="fail-reason">
                        {class.map(|c| view! { <strong class="fail-classify">{c}</strong>" " })}
                        <span class="fail-desc">{desc}</span>
                    </span>
                }
                .into_any(),
            }
        })
        .text(move |u| {
            let parts = [fail_class(u, t), u.fail_desc.clone()];
            parts.into_iter().flatten().collect::<Vec<_>>().join(" ")
        }),
        Column::new(words.column_created, "col-time", |u: &UrlObject| view! { <Timestamp ms=u.create_time/> })
            .time(|u| CsvCell::Time(u.create_time)),
    ]
}

/// Why a URL failed, by class, in the reader's words; a class the API does not document as it came.
fn fail_class(u: &UrlObject, t: &'static Catalogue) -> Option<String> {
    let words = &t.cdn_purge;
    u.fail_classify.as_ref().map(|c| FailClassify::parse(c).map_or(c.clone(), |f| (words.fail_classify)(f).to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::task_page::filter_bar::assert_bar_declares_the_filter_keys;

    #[test]
    fn the_status_applies_alone_and_the_search_with_the_button() {
        assert_bar_declares_the_filter_keys::<TaskUrls>();
        let filters = TaskUrls::filters(&crate::i18n::EN);
        let url = |key: &str| (key == "url").then(|| "alpha".to_owned());
        let typed = ["failed".to_owned(), "half-typed".to_owned()];
        assert_eq!(filters.changes(&typed, &url, Some(0)).unwrap(), vec![("status", Some("failed".to_owned()))]);
        assert_eq!(
            filters.shown(&|key| (key == "status").then(|| "bogus".to_owned())),
            ["", ""],
            "an unknown status shows as Any"
        );
    }
}
