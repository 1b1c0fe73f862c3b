//! One refresh or preheat task (route `/cdn/purge/{task_id}`): its progress and its URLs, each
//! with its own status and, when it failed, why; filtered by status or part of the URL.

use super::{page_param, Options, Progress};
use crate::api::cdn_history;
use crate::components::{
    Column, ErrorView, NumberedPage, Pager, RefreshStatus, StatusBadge, TaskKey, TaskTable, Timestamp,
};
use crate::hooks::{use_auto_refresh, use_url_query, RefreshOutcome, UrlQuery};
use export_desk_model::huawei_cdn::history::{
    FailClassify, FileType, ShowHistoryTaskDetailsQuery, ShowHistoryTaskDetailsResponse, TaskType, UrlObject,
    UrlStatus, PAGE_NUMBER_MAX, PAGE_SIZE_DEFAULT,
};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

const PAGE_SIZES: &[u32] = &[PAGE_SIZE_DEFAULT, 100, 1000, 10_000];

fn detail_query(url: &UrlQuery) -> ShowHistoryTaskDetailsQuery {
    let page_size = url.get("page_size").and_then(|v| v.parse().ok()).filter(|s| PAGE_SIZES.contains(s));
    let page_number =
        url.get("page_number").and_then(|v| v.parse::<u32>().ok()).filter(|n| (1..=PAGE_NUMBER_MAX).contains(n));
    ShowHistoryTaskDetailsQuery {
        enterprise_project_id: None,
        page_size: Some(page_size.unwrap_or(PAGE_SIZE_DEFAULT).to_string()),
        page_number: Some(page_number.unwrap_or(1).to_string()),
        status: url.get("status").filter(|v| UrlStatus::parse(v).is_some()),
        url: url.get("url"),
        create_time: url.get("create_time").filter(|v| v.parse::<u64>().is_ok()),
    }
}

#[component]
pub fn CdnPurgeDetailPage() -> impl IntoView {
    let params = use_params_map();
    let task_id = Memo::new(move |_| params.with(|p| p.get("task_id").unwrap_or_default()));
    let url = use_url_query();
    let query = Memo::new({
        let url = url.clone();
        move |_| detail_query(&url)
    });
    let reload = RwSignal::new(0u64);
    let detail = LocalResource::new(move || {
        let (id, query) = (task_id.get(), query.get());
        reload.track();
        async move { cdn_history::details(&id, &query).await }
    });
    let rows = RwSignal::new(Vec::<UrlObject>::new());
    let task = RwSignal::new(None::<ShowHistoryTaskDetailsResponse>);
    Effect::new(move |_| {
        detail.with(|loaded| {
            if let Some(Ok(answer)) = loaded {
                rows.set(answer.urls.clone());
                task.set(Some(ShowHistoryTaskDetailsResponse {
                    id: answer.id.clone(),
                    task_type: answer.task_type.clone(),
                    status: answer.status.clone(),
                    // The URLs are the table's rows; the summary needs only the counters.
                    urls: Vec::new(),
                    create_time: answer.create_time,
                    processing: answer.processing,
                    succeed: answer.succeed,
                    failed: answer.failed,
                    total: answer.total,
                    file_type: answer.file_type.clone(),
                }));
            }
        });
    });
    let outcome = Signal::derive(move || {
        detail.with(|loaded| match loaded {
            None => RefreshOutcome::Pending,
            Some(Err(_)) => RefreshOutcome::Failed,
            Some(Ok(answer)) if cdn_history::detail_status(answer).kind.is_unfinished() => RefreshOutcome::Unfinished,
            Some(Ok(_)) => RefreshOutcome::AllFinished,
        })
    });
    let refresh = use_auto_refresh(outcome, move || reload.update(|n| *n += 1));
    // The answer has no count of the URLs a filter matches: the task's counters give it (see
    // `filtered_total`), and a page shorter than the page size is the last one whatever they say.
    let page = Memo::new(move |_| {
        let query = query.get();
        let shown = rows.with(Vec::len) as u64;
        task.with(|task| {
            task.as_ref().map(|task| {
                let (number, size) =
                    (page_param(&query.page_number, 1), page_param(&query.page_size, PAGE_SIZE_DEFAULT));
                let before = u64::from(number.max(1) - 1) * u64::from(size);
                let mut total = filtered_total(task, query.status.as_deref());
                if shown < u64::from(size) && shown > 0 {
                    total = before + shown;
                }
                NumberedPage { number, size, total }
            })
        })
    });
    let failed = move || detail.with(|loaded| matches!(loaded, Some(Err(_))));
    let show_table = move || !rows.with(Vec::is_empty) && !failed();
    let (url_for_states, url_for_pages, url_for_sizes) = (url.clone(), url.clone(), url.clone());

    view! {
        <section class="page purge-detail">
            <p class="back"><a href=super::list_href()>"← All refresh and preheat tasks"</a></p>
            <header class="page-header">
                <h1>{move || format!("Task {}", task_id.get())}</h1>
            </header>
            <section class="tasks" aria-labelledby="urls-heading">
                <div class="tasks-header">
                    <h2 id="urls-heading">"URLs"</h2>
                    <RefreshStatus refresh=refresh on_refresh=move || reload.update(|n| *n += 1)/>
                </div>
                {move || task.get().map(|task| view! { <TaskSummary task=task/> })}
                <UrlFilters url=url.clone()/>
                <Transition fallback=|| view! { <p class="loading" role="status">"Loading the task…"</p> }>
                    {
                        move || detail.with(|loaded| loaded.as_ref().map(|result| match result {
                            Err(error) => view! {
                                <ErrorView error=error.clone() on_retry=move |_| reload.update(|n| *n += 1)/>
                            }.into_any(),
                            Ok(answer) if answer.urls.is_empty() => {
                                let url = url_for_states.clone();
                                view! {
                                    <div class="empty-state" role="status">
                                        <p>"No URLs of this task match these filters."</p>
                                        <button type="button" class="button" on:click=move |_| {
                                            url.set(&[("status", None), ("url", None), ("page_number", None)])
                                        }>"Clear filters"</button>
                                    </div>
                                }.into_any()
                            }
                            Ok(_) => ().into_any(),
                        }))
                    }
                </Transition>
                <div class="task-list" hidden=move || !show_table()>
                    <TaskTable rows=rows columns=columns() key=url_key highlighted=Signal::stored(None::<String>) caption="URLs of the task"/>
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
fn TaskSummary(task: ShowHistoryTaskDetailsResponse) -> impl IntoView {
    let kind = TaskType::parse(&task.task_type).map_or(task.task_type.clone(), |t| t.label().to_owned());
    let files = FileType::parse(&task.file_type).map_or(task.file_type.clone(), |t| t.label().to_owned());
    view! {
        <dl class="task-summary">
            <div><dt>"Kind"</dt><dd>{format!("{kind} · {files}")}</dd></div>
            <div><dt>"Status"</dt><dd><StatusBadge status=cdn_history::detail_status(&task)/></dd></div>
            <div><dt>"Progress"</dt><dd>
                <Progress processing=task.processing succeed=task.succeed failed=task.failed total=task.total/>
            </dd></div>
            <div><dt>"Created"</dt><dd><Timestamp ms=task.create_time/></dd></div>
        </dl>
    }
}

/// Status applies at once; the URL search on submit, so typing sends no request per key.
#[component]
fn UrlFilters(url: UrlQuery) -> impl IntoView {
    let search = RwSignal::new(String::new());
    Effect::new({
        let url = url.clone();
        move |_| search.set(url.get("url").unwrap_or_default())
    });
    let status = {
        let url = url.clone();
        Signal::derive(move || url.get("status").unwrap_or_default())
    };
    let set_status = {
        let url = url.clone();
        move |value: String| url.set(&[("status", Some(value)), ("page_number", None)])
    };
    let apply = {
        let url = url.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            url.set(&[("url", Some(search.get_untracked().trim().to_owned())), ("page_number", None)]);
        }
    };
    let clear = move |_| url.set(&[("status", None), ("url", None), ("page_number", None)]);
    view! {
        <form class="filters" role="search" on:submit=apply>
            <label>
                "URL status"
                <Options id="url-status" selected=status on_change=set_status
                    options=std::iter::once(("", "Any")).chain(UrlStatus::ALL.iter().map(|s| (s.as_str(), s.label()))).collect()/>
            </label>
            <label>
                "URL contains"
                <input type="search" id="url-search" placeholder="part of the URL" prop:value=move || search.get()
                    on:input=move |ev| search.set(event_target_value(&ev))/>
            </label>
            <button type="submit" class="button">"Search"</button>
            <button type="button" class="button subtle" on:click=clear>"Clear"</button>
        </form>
    }
}

fn url_key(url: &UrlObject) -> TaskKey {
    TaskKey { id: url.id.clone(), version: url.status.clone() }
}

fn columns() -> Vec<Column<UrlObject>> {
    vec![
        Column::new(
            "URL",
            "col-url",
            |u: &UrlObject| view! { <span class="url-text" title=u.url.clone()>{u.url.clone()}</span> },
        ),
        Column::new("Status", "col-status", |u: &UrlObject| view! { <StatusBadge status=cdn_history::url_status(u)/> }),
        Column::new("Why it failed", "col-reason", |u: &UrlObject| {
            let class =
                u.fail_classify.as_ref().map(|c| FailClassify::parse(c).map_or(c.clone(), |f| f.label().to_owned()));
            match (class, u.fail_desc.clone()) {
                (None, None) => view! { <span class="muted">"—"</span> }.into_any(),
                (class, desc) => view! {
                    <span class="fail-reason">
                        {class.map(|c| view! { <strong class="fail-classify">{c}</strong>" " })}
                        <span class="fail-desc">{desc}</span>
                    </span>
                }
                .into_any(),
            }
        }),
        Column::new("Created", "col-time", |u: &UrlObject| view! { <Timestamp ms=u.create_time/> }),
    ]
}
