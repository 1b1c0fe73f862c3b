//! Huawei Cloud CDN refresh and preheat tasks: the create form, the history list (every filter,
//! every sort order, pages of up to 10,000 rows), and each task's per-URL detail
//! ([`CdnPurgeDetailPage`], route `/cdn/purge/{task_id}`).

mod detail;
mod form;
mod pasted_urls;

pub use detail::CdnPurgeDetailPage;

use crate::api::{cdn_history, ApiError};
use crate::components::time::{local_input_to_ms, ms_to_local_input, zone_name};
use crate::components::{
    Column, ErrorView, NumberedPage, Pager, RefreshStatus, StatusBadge, TaskKey, TaskTable, Timestamp,
};
use crate::hooks::{use_auto_refresh, use_url_query, RefreshOutcome, UrlQuery};
use export_desk_model::huawei_cdn::history::{
    FileType, HistoryTask, OrderField, OrderType, ShowHistoryTasksQuery, ShowHistoryTasksResponse, TaskStatus,
    TaskType, PAGE_NUMBER_MAX, PAGE_SIZE_DEFAULT,
};
use export_desk_model::huawei_cdn::percent_encode;
use form::{CreateContentTaskForm, Created};
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use std::cell::RefCell;

/// Page sizes offered; the API allows up to 10,000, which the table renders as a scrolling window.
const PAGE_SIZES: &[u32] = &[PAGE_SIZE_DEFAULT, 100, 1000, 10_000];

thread_local! {
    /// The list's query string as last shown, so the way back from a task's detail returns to
    /// the same filters, sort and page.
    static LIST_SEARCH: RefCell<String> = const { RefCell::new(String::new()) };
}

/// The list as it was last shown.
fn list_href() -> String {
    LIST_SEARCH
        .with_borrow(|search| if search.is_empty() { "/cdn/purge".to_owned() } else { format!("/cdn/purge?{search}") })
}

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

#[component]
pub fn CdnPurgePage() -> impl IntoView {
    let url = use_url_query();
    let location = use_location();
    Effect::new(move |_| {
        // The location moves on to the detail's before this page is gone: keep only the list's own query.
        if location.pathname.with(|path| path == "/cdn/purge") {
            LIST_SEARCH.set(location.search.get());
        }
    });
    let query = Memo::new({
        let url = url.clone();
        move |_| list_query(&|key| url.get(key))
    });
    let reload = RwSignal::new(0u64);
    let tasks = LocalResource::new(move || {
        let query = query.get();
        reload.track();
        async move {
            let result = cdn_history::list(&query).await;
            Loaded { query, result }
        }
    });

    // One table stays mounted across loads: its rows are replaced when an answer arrives, so
    // keyed rows and the scroll position of a 10,000-row page survive each refresh.
    let rows = RwSignal::new(Vec::<HistoryTask>::new());
    let total = RwSignal::new(None::<u64>);
    // The query the rows answer: a failed refresh keeps them only while the filters are the same.
    let rows_query = RwSignal::new(None::<ShowHistoryTasksQuery>);
    Effect::new(move |_| {
        tasks.with(|loaded| {
            if let Some(Loaded { query, result: Ok(list) }) = loaded {
                rows.set(list.tasks.clone());
                total.set(Some(list.total));
                rows_query.set(Some(query.clone()));
            }
        });
    });
    let page = Memo::new(move |_| {
        let query = query.get();
        total.get().map(|total| NumberedPage {
            number: page_param(&query.page_number, 1),
            size: page_param(&query.page_size, PAGE_SIZE_DEFAULT),
            total,
        })
    });
    let highlighted = RwSignal::new(None::<String>);

    let outcome = Signal::derive(move || {
        tasks.with(|loaded| match loaded.as_ref().map(|loaded| &loaded.result) {
            None => RefreshOutcome::Pending,
            Some(Err(_)) => RefreshOutcome::Failed,
            Some(Ok(list)) if list.tasks.iter().any(|t| cdn_history::task_status(t).kind.is_unfinished()) => {
                RefreshOutcome::Unfinished
            }
            Some(Ok(_)) => RefreshOutcome::AllFinished,
        })
    });
    let refresh = use_auto_refresh(outcome, move || reload.update(|n| *n += 1));
    let on_created = {
        let url = url.clone();
        move |created: Created| {
            highlighted.set(Some(created.id));
            // The first page in the default order, unfiltered, of the new task's file type: where it is listed.
            let mut changes: Vec<(&str, Option<String>)> = FILTER_KEYS.iter().map(|key| (*key, None)).collect();
            changes.extend([
                ("page_number", None),
                ("order_field", None),
                ("order_type", None),
                ("file_type", Some(created.file_type.as_str().to_owned()).filter(|t| t != "file")),
            ]);
            url.set(&changes);
            reload.update(|n| *n += 1);
        }
    };
    // Read in place (`with`): a 10,000-row answer is not cloned to look at it.
    // After a failed refresh the last rows stay, under the error, so the reader keeps their place
    // (focus, scroll); rows of other filters go, as they would contradict the filters shown.
    let failed = move || tasks.with(|loaded| matches!(loaded, Some(Loaded { result: Err(_), .. })));
    let rows_match_filters =
        move || rows_query.with(|shown| shown.as_ref().is_some_and(|shown| same_filters(shown, &query.get())));
    let show_table = move || !rows.with(Vec::is_empty) && (!failed() || rows_match_filters());
    let (url_for_states, url_for_pages, url_for_sizes) = (url.clone(), url.clone(), url.clone());

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
                    <RefreshStatus refresh=refresh on_refresh=move || reload.update(|n| *n += 1)/>
                </div>
                <HistoryFilters url=url.clone() query=query/>
                <Transition fallback=|| view! { <p class="loading" role="status">"Loading refresh and preheat tasks…"</p> }>
                    {
                        move || tasks.with(|loaded| loaded.as_ref().map(|loaded| match &loaded.result {
                            Err(error) => view! {
                                <ErrorView error=error.clone() on_retry=move |_| reload.update(|n| *n += 1)/>
                            }.into_any(),
                            Ok(list) if list.tasks.is_empty() => empty_state(list.total, &query.get(), url_for_states.clone()),
                            Ok(_) => ().into_any(),
                        }))
                    }
                </Transition>
                <div class="task-list" hidden=move || !show_table()>
                    <TaskTable
                        rows=rows
                        columns=columns()
                        key=task_key
                        highlighted=highlighted
                        caption="CDN refresh and preheat tasks"
                    />
                    <Pager
                        page=page
                        page_sizes=PAGE_SIZES
                        on_offset=move |number: u32| url_for_pages.set_page_number(number)
                        on_limit=move |size: u32| url_for_sizes.set_page_size(size)
                    />
                </div>
            </section>
        </section>
    }
}

/// A ShowHistoryTasks answer with the query it answers.
struct Loaded {
    query: ShowHistoryTasksQuery,
    result: Result<ShowHistoryTasksResponse, ApiError>,
}

/// Whether two queries list the same tasks, paging and sorting aside.
fn same_filters(a: &ShowHistoryTasksQuery, b: &ShowHistoryTasksQuery) -> bool {
    (&a.enterprise_project_id, &a.status, &a.task_type, &a.file_type, &a.start_date, &a.end_date)
        == (&b.enterprise_project_id, &b.status, &b.task_type, &b.file_type, &b.start_date, &b.end_date)
}

fn empty_state(total: u64, query: &ShowHistoryTasksQuery, url: UrlQuery) -> AnyView {
    let filtered =
        query.status.is_some() || query.task_type.is_some() || query.start_date.is_some() || query.end_date.is_some();
    let (message, action, keys): (&str, &str, &[&str]) = if total > 0 {
        ("Nothing on this page: the list is shorter now.", "Go to the first page", &["page_number"])
    } else if filtered {
        ("No tasks match these filters.", "Clear filters", FILTER_KEYS)
    } else if query.file_type.as_deref() == Some("directory") {
        ("No directory refreshes yet.", "", &[])
    } else {
        ("No refresh or preheat tasks yet. Create one with the form above.", "", &[])
    };
    view! {
        <div class="empty-state" role="status">
            <p>{message}</p>
            {(!action.is_empty()).then(|| view! {
                <button type="button" class="button" on:click=move |_| {
                    url.set(&keys.iter().map(|key| (*key, None)).collect::<Vec<_>>())
                }>{action}</button>
            })}
        </div>
    }
    .into_any()
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
    let share = |n: u32| {
        if total == 0 {
            "0%".to_owned()
        } else {
            format!("{}%", crate::fixed::fixed(f64::from(n) * 100.0 / f64::from(total), 2))
        }
    };
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
