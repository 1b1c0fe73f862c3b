//! Huawei Cloud CDN refresh and preheat tasks: the create form, the history list (every filter,
//! every sort order, pages of up to 10,000 rows), and each task's per-URL detail
//! ([`CdnPurgeDetailPage`], route `/cdn/purge/{task_id}`).

mod detail;
mod form;
mod pasted_urls;

pub use detail::CdnPurgeDetailPage;

use super::OverviewTask;
use crate::api::status;
use crate::api::{cdn_history, ApiError};
use crate::components::time::{local_input_to_ms, ms_to_local_input, zone_name};
use crate::components::{Column, NumberedPage, RefreshStatus, StatusBadge, TaskKey, Timestamp};
use crate::hooks::{use_url_query, UrlQuery};
use crate::task_page::{use_task_list, ListSource, ListWords, Paging, TaskListView};
use export_desk_model::huawei_cdn::history::{
    FileType, HistoryTask, OrderField, OrderType, ShowHistoryTasksQuery, ShowHistoryTasksResponse, TaskStatus,
    TaskType, PAGE_NUMBER_MAX, PAGE_SIZE_DEFAULT,
};
use export_desk_model::huawei_cdn::percent_encode;
use form::{CreateContentTaskForm, Created};
use leptos::prelude::*;

/// Page sizes offered; the API allows up to 10,000, which the table renders as a scrolling window.
const PAGE_SIZES: &[u32] = &[PAGE_SIZE_DEFAULT, 100, 1000, 10_000];

/// The URL query keys that filter the list (paging aside), cleared together.
const FILTER_KEYS: &[&str] = &["status", "task_type", "start_date", "end_date"];

/// The list request the URL describes. Values the API would refuse are dropped (a hand-edited
/// link shows the default rather than an error), and paging always travels as the pair the API
/// requires.
fn list_query(get: &dyn Fn(&str) -> Option<String>) -> ShowHistoryTasksQuery {
    let known = |key: &str, parse: fn(&str) -> bool| get(key).filter(|v| parse(v));
    let ms = |key: &str| get(key).filter(|v| v.parse::<u64>().is_ok());
    let page_size = get("page_size").and_then(|v| v.parse().ok()).filter(|s| PAGE_SIZES.contains(s));
    let page_number =
        get("page_number").and_then(|v| v.parse::<u32>().ok()).filter(|n| (1..=PAGE_NUMBER_MAX).contains(n));
    let order_field = known("order_field", |v| OrderField::parse(v).is_some());
    let order_type = known("order_type", |v| OrderType::parse(v).is_some());
    let (order_field, order_type) = match (order_field, order_type) {
        (Some(field), Some(direction)) => (Some(field), Some(direction)),
        _ => (None, None),
    };
    ShowHistoryTasksQuery {
        enterprise_project_id: None,
        page_size: Some(page_size.unwrap_or(PAGE_SIZE_DEFAULT).to_string()),
        page_number: Some(page_number.unwrap_or(1).to_string()),
        status: known("status", |v| TaskStatus::parse(v).is_some()),
        start_date: ms("start_date"),
        end_date: ms("end_date"),
        order_field,
        order_type,
        file_type: Some(known("file_type", |v| FileType::parse(v).is_some()).unwrap_or_else(|| "file".to_owned())),
        task_type: known("task_type", |v| TaskType::parse(v).is_some()),
    }
}

/// A paging value of a list query (always set by the query builders), as a number.
fn page_param(text: &Option<String>, default: u32) -> u32 {
    text.as_deref().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// The refresh and preheat history: numbered paging, filters and sort order in the URL.
struct HistoryList;

impl ListSource for HistoryList {
    type Context = ();
    type Query = ShowHistoryTasksQuery;
    type Answer = ShowHistoryTasksResponse;
    type Row = HistoryTask;
    type Page = NumberedPage;

    const PAGING: Paging = Paging::NUMBERED;
    const FILTER_KEYS: &'static [&'static str] = FILTER_KEYS;
    const PAGE_SIZES: &'static [u32] = PAGE_SIZES;

    fn query(url: &dyn Fn(&str) -> Option<String>) -> Option<ShowHistoryTasksQuery> {
        Some(list_query(url))
    }

    /// The sort order counts as a filter too: rows in another order would mislead.
    fn same_filters(a: &ShowHistoryTasksQuery, b: &ShowHistoryTasksQuery) -> bool {
        (&a.enterprise_project_id, &a.status, &a.task_type, &a.file_type, &a.start_date, &a.end_date)
            == (&b.enterprise_project_id, &b.status, &b.task_type, &b.file_type, &b.start_date, &b.end_date)
            && (&a.order_field, &a.order_type) == (&b.order_field, &b.order_type)
    }

    async fn list(_: &(), query: &ShowHistoryTasksQuery) -> Result<ShowHistoryTasksResponse, ApiError> {
        cdn_history::list(query).await
    }

    fn rows(answer: &ShowHistoryTasksResponse) -> &[HistoryTask] {
        &answer.tasks
    }

    fn total(answer: &ShowHistoryTasksResponse) -> Option<u64> {
        Some(answer.total)
    }

    fn page(query: &ShowHistoryTasksQuery, answer: &ShowHistoryTasksResponse) -> NumberedPage {
        NumberedPage {
            number: page_param(&query.page_number, 1),
            size: page_param(&query.page_size, PAGE_SIZE_DEFAULT),
            total: answer.total,
        }
    }

    fn page_target(number: u32) -> Vec<(&'static str, Option<String>)> {
        vec![("page_number", (number > 1).then(|| number.to_string()))]
    }

    fn key(task: &HistoryTask) -> TaskKey {
        task_key(task)
    }

    fn status(task: &HistoryTask) -> status::TaskStatus {
        cdn_history::task_status(task)
    }
}

#[component]
pub fn CdnPurgePage() -> impl IntoView {
    let url = use_url_query();
    let list = use_task_list::<HistoryList>((), Signal::stored(false));
    let on_created = move |created: Created| {
        // The first page in the default order, unfiltered, of the new task's file type: where it is listed.
        list.show_created(
            Some(created.id),
            &[
                ("order_field", None),
                ("order_type", None),
                ("file_type", Some(created.file_type.as_str().to_owned()).filter(|t| t != "file")),
            ],
        );
    };
    let query = Memo::new(move |_| list.query.get().unwrap_or_else(|| list_query(&|_| None)));
    let words = ListWords {
        loading: "Loading refresh and preheat tasks…",
        no_tasks: Signal::derive(move || {
            if query.with(|q| q.file_type.as_deref() == Some("directory")) {
                "No directory refreshes yet."
            } else {
                "No refresh or preheat tasks yet. Create one with the form above."
            }
        }),
        no_match: "No tasks match these filters.",
        choose: "",
        gone: "",
    };

    view! {
        <section class="page">
            <header class="page-header">
                <h1>"CDN refresh and preheat"</h1>
                <p class="page-intro">
                    "Refresh drops cached copies of URLs or directories so the next request fetches them from "
                    "the origin; preheat fetches files into the cache ahead of demand. Each URL finishes on its "
                    "own; the list refreshes itself while any task is running."
                </p>
            </header>
            <CreateContentTaskForm on_created=on_created/>
            <section class="tasks purge-tasks" aria-labelledby="tasks-heading">
                <div class="tasks-header">
                    <h2 id="tasks-heading">"Tasks"</h2>
                    <RefreshStatus refresh=list.refresh on_refresh=move || list.reload()/>
                </div>
                <HistoryFilters url=url query=query/>
                <TaskListView list=list columns=columns() words=words caption="CDN refresh and preheat tasks" class="task-list"/>
            </section>
        </section>
    }
}

fn task_key(task: &HistoryTask) -> TaskKey {
    TaskKey {
        id: task.id.clone(),
        version: format!("{}:{}:{}:{}", task.status, task.processing, task.succeed, task.failed),
    }
}

/// The detail route of a task. Its creation time goes along: the detail call finds tasks older
/// than 7 days only when given it.
fn detail_href(task: &HistoryTask) -> String {
    format!("/cdn/purge/{}?create_time={}", percent_encode(&task.id), task.create_time)
}

fn columns() -> Vec<Column<HistoryTask>> {
    vec![
        Column::new("Task", "col-id", |t: &HistoryTask| {
            view! { <a class="task-link" href=detail_href(t)>{t.id.clone()}</a> }
        }),
        Column::new("Kind", "col-kind", |t: &HistoryTask| {
            let kind = TaskType::parse(&t.task_type).map_or(t.task_type.clone(), |k| k.label().to_owned());
            let files = FileType::parse(&t.file_type).map_or(t.file_type.clone(), |f| f.label().to_owned());
            view! { <span class="task-kind" data-task-type=t.task_type.clone()>{format!("{kind} · {files}")}</span> }
        }),
        Column::new(
            "Status",
            "col-status",
            |t: &HistoryTask| view! { <StatusBadge status=cdn_history::task_status(t)/> },
        ),
        Column::new("Progress", "col-progress", |t: &HistoryTask| {
            view! { <Progress processing=t.processing succeed=t.succeed failed=t.failed total=t.total/> }
        }),
        Column::new("URLs", "col-total", |t: &HistoryTask| view! { <span class="task-total">{t.total}</span> }),
        Column::new("Created", "col-time", |t: &HistoryTask| view! { <Timestamp ms=t.create_time/> }),
    ]
}

/// A task's progress from its counters: succeeded and failed URLs as two coloured shares of
/// one bar (`processing` counts waiting URLs too, so the three always add up to `total`).
#[component]
fn Progress(processing: u32, succeed: u32, failed: u32, total: u32) -> impl IntoView {
    let done = succeed + failed;
    let share =
        |n: u32| if total == 0 { "0%".to_owned() } else { format!("{:.2}%", f64::from(n) * 100.0 / f64::from(total)) };
    let mut text = format!("{done}/{total} done");
    if failed > 0 {
        text.push_str(&format!(" · {failed} failed"));
    }
    let value_text =
        format!("{done} of {total} URLs done: {succeed} succeeded, {failed} failed, {processing} in progress");
    view! {
        <div class="progress-cell">
            <div class="progress" role="progressbar" aria-label="URLs done" aria-valuemin="0"
                aria-valuemax=total aria-valuenow=done aria-valuetext=value_text>
                <span class="progress-succeed" style:width=share(succeed)></span>
                <span class="progress-failed" style:width=share(failed)></span>
            </div>
            <span class="progress-text">{text}</span>
        </div>
    }
}

/// The filters and the sort order. Choices apply at once; the date range applies when both ends
/// make sense, and an end before the start is pointed out next to it instead of being sent.
#[component]
fn HistoryFilters(url: UrlQuery, query: Memo<ShowHistoryTasksQuery>) -> impl IntoView {
    let start = RwSignal::new(String::new());
    let end = RwSignal::new(String::new());
    let range_error = RwSignal::new(None::<String>);
    Effect::new({
        let url = url.clone();
        move |_| {
            let as_input =
                |key: &str| url.get(key).and_then(|v| v.parse().ok()).map(ms_to_local_input).unwrap_or_default();
            start.set(as_input("start_date"));
            end.set(as_input("end_date"));
        }
    });
    let apply_dates = {
        let url = url.clone();
        move || {
            let (start_text, end_text) = (start.get_untracked(), end.get_untracked());
            let parse = |text: &str| {
                if text.trim().is_empty() {
                    Ok(None)
                } else {
                    local_input_to_ms(text).map(Some).ok_or(())
                }
            };
            match (parse(&start_text), parse(&end_text)) {
                (Ok(Some(from)), Ok(Some(to))) if to < from => {
                    range_error.set(Some("must not be before From".to_owned()));
                }
                (Ok(from), Ok(to)) => {
                    range_error.set(None);
                    url.set(&[
                        ("start_date", from.map(|ms| ms.to_string())),
                        ("end_date", to.map(|ms| ms.to_string())),
                        ("page_number", None),
                    ]);
                }
                _ => range_error.set(Some("is not a valid date and time".to_owned())),
            }
        }
    };
    let choice = {
        let url = url.clone();
        move |key: &'static str| {
            let url = url.clone();
            move |value: String| url.set(&[(key, Some(value)), ("page_number", None)])
        }
    };
    // The API takes a sort field only with its direction: changing one sends both.
    let sort = {
        let url = url.clone();
        move |field: Option<String>, direction: Option<String>| {
            let (field, direction) = query.with_untracked(|q| {
                (field.or_else(|| q.order_field.clone()), direction.or_else(|| q.order_type.clone()))
            });
            let field = field.unwrap_or_else(|| OrderField::CreateTime.as_str().to_owned());
            let direction = direction.unwrap_or_else(|| OrderType::Desc.as_str().to_owned());
            url.set(&[("order_field", Some(field)), ("order_type", Some(direction)), ("page_number", None)]);
        }
    };
    // The controls show the query in force, so a value the URL carries but the list ignores
    // (unknown, or a sort field without its direction) shows as the default it falls back to.
    let selected = move |pick: fn(&ShowHistoryTasksQuery) -> Option<&str>, default: &'static str| {
        Signal::derive(move || query.with(|q| pick(q).unwrap_or(default).to_owned()))
    };
    let clear = {
        let url = url.clone();
        move |_| {
            range_error.set(None);
            url.set(&FILTER_KEYS.iter().map(|key| (*key, None)).chain([("page_number", None)]).collect::<Vec<_>>())
        }
    };
    let (apply_start, apply_end) = (apply_dates.clone(), apply_dates);
    let sort_by_field = sort.clone();
    view! {
        <form class="filters purge-filters" role="search" on:submit=|ev| ev.prevent_default()>
            <label>
                "Status"
                <Options id="filter-status" selected=selected(|q| q.status.as_deref(), "") on_change=choice("status")
                    options=std::iter::once(("", "Any")).chain(TaskStatus::ALL.iter().map(|s| (s.as_str(), s.label()))).collect()/>
            </label>
            <label>
                "Task"
                <Options id="filter-task-type" selected=selected(|q| q.task_type.as_deref(), "") on_change=choice("task_type")
                    options=std::iter::once(("", "Refresh and preheat")).chain(TaskType::ALL.iter().map(|s| (s.as_str(), s.label()))).collect()/>
            </label>
            <label>
                "Lines name"
                <Options id="filter-file-type" selected=selected(|q| q.file_type.as_deref(), "file") on_change=choice("file_type")
                    options=FileType::ALL.iter().map(|s| (s.as_str(), s.label())).collect()/>
            </label>
            <label>
                {format!("Created from ({})", zone_name())}
                <input type="datetime-local" id="filter-start" prop:value=move || start.get()
                    on:input=move |ev| start.set(event_target_value(&ev)) on:change=move |_| apply_start()/>
            </label>
            <label>
                {format!("Created until ({})", zone_name())}
                <input type="datetime-local" id="filter-end" prop:value=move || end.get()
                    on:input=move |ev| end.set(event_target_value(&ev)) on:change=move |_| apply_end()
                    aria-invalid=move || range_error.with(Option::is_some).to_string() aria-describedby="filter-end-error"/>
                <span class="field-error" id="filter-end-error" aria-live="polite">{move || range_error.get()}</span>
            </label>
            <label>
                "Sort by"
                <Options id="order-field" selected=selected(|q| q.order_field.as_deref(), "create_time")
                    on_change=move |value: String| sort_by_field(Some(value), None)
                    options=OrderField::ALL.iter().map(|s| (s.as_str(), s.label())).collect()/>
            </label>
            <label>
                "Order"
                <Options id="order-type" selected=selected(|q| q.order_type.as_deref(), "desc")
                    on_change=move |value: String| sort(None, Some(value))
                    options=OrderType::ALL.iter().map(|s| (s.as_str(), s.label())).collect()/>
            </label>
            <button type="button" class="button subtle" on:click=clear>"Clear filters"</button>
        </form>
    }
}

/// A `<select>` over wire values and their labels, showing `selected`.
#[component]
fn Options(
    id: &'static str,
    #[prop(into)] selected: Signal<String>,
    /// Gets the value chosen.
    #[prop(into)]
    on_change: Callback<String>,
    options: Vec<(&'static str, &'static str)>,
) -> impl IntoView {
    view! {
        <select id=id name=id on:change=move |ev| on_change.run(event_target_value(&ev))>
            {options.into_iter().map(|(wire, label)| {
                view! { <option value=wire selected=move || selected.with(|s| s == wire)>{label}</option> }
            }).collect_view()}
        </select>
    }
}

/// For the Overview: the tasks of the last day, files and directories (the history lists them
/// apart: `file_type` defaults to `file`).
pub(super) async fn overview_tasks(now_ms: i64) -> Result<Vec<OverviewTask>, ApiError> {
    let mut tasks = Vec::new();
    for file_type in [FileType::File, FileType::Directory] {
        let query = ShowHistoryTasksQuery {
            page_size: Some("1000".to_owned()),
            page_number: Some("1".to_owned()),
            start_date: Some((now_ms - super::RECENT_MS).to_string()),
            file_type: Some(file_type.as_str().to_owned()),
            ..ShowHistoryTasksQuery::default()
        };
        let list = cdn_history::list(&query).await?;
        tasks.extend(list.tasks.into_iter().map(|task| OverviewTask {
            href: format!("/cdn/purge/{}", task.id),
            status: cdn_history::task_status(&task),
            title: format!(
                "{} of {} {}{}",
                if task.task_type == "refresh" { "Refresh" } else { "Preheat" },
                task.total,
                task.file_type,
                if task.total == 1 { "" } else { "s" }
            ),
            id: task.id,
            created_ms: task.create_time,
            changed_ms: task.create_time,
        }));
    }
    Ok(tasks)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query_of(pairs: &[(&str, &str)]) -> ShowHistoryTasksQuery {
        let pairs: Vec<(String, String)> = pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        list_query(&|key| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()))
    }

    #[test]
    fn an_empty_url_asks_for_the_documented_defaults_with_paging_as_a_pair() {
        let query = query_of(&[]);
        assert_eq!((query.page_size.as_deref(), query.page_number.as_deref()), (Some("30"), Some("1")));
        assert_eq!(query.file_type.as_deref(), Some("file"));
        assert!(query.validate().is_ok());
        assert_eq!((query.order_field, query.order_type, query.status, query.task_type), (None, None, None, None));
    }

    #[test]
    fn every_filter_and_order_travels_and_the_model_accepts_it() {
        let query = query_of(&[
            ("status", "task_done"),
            ("task_type", "preheating"),
            ("file_type", "directory"),
            ("start_date", "1700000000000"),
            ("end_date", "1700086400000"),
            ("order_field", "total"),
            ("order_type", "asc"),
            ("page_size", "10000"),
            ("page_number", "2"),
        ]);
        assert_eq!(
            query.to_query_string(),
            "end_date=1700086400000&file_type=directory&order_field=total&order_type=asc&page_number=2\
             &page_size=10000&start_date=1700000000000&status=task_done&task_type=preheating"
        );
        assert!(query.validate().is_ok());
    }

    #[test]
    fn values_the_api_would_refuse_fall_back_to_defaults() {
        let query = query_of(&[
            ("status", "done"),
            ("file_type", "dir"),
            ("page_size", "77"),
            ("page_number", "0"),
            ("start_date", "yesterday"),
            ("order_field", "total"),
        ]);
        assert_eq!((query.status, query.start_date), (None, None));
        assert_eq!(query.file_type.as_deref(), Some("file"));
        assert_eq!((query.page_size.as_deref(), query.page_number.as_deref()), (Some("30"), Some("1")));
        assert_eq!((query.order_field, query.order_type), (None, None), "a sort field alone is dropped");
    }
}
