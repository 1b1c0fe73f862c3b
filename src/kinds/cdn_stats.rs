//! Huawei Cloud CDN statistics exports: the task list, and the page over it; the create form and
//! the loaders for the Overview, the watcher and the search beside this file.
//!
//! The list's paging (`offset`, `limit`) and filters (`task_id`, `task_name`) live in the URL.

mod form;
pub(super) mod loaders;
mod remembered;

use crate::api::status::{StatusKind, TaskStatus};
use crate::api::{cdn_stats, ApiError};
use crate::backend_store;
use crate::components::{
    safe_href, Column, CsvCell, DownloadLink, LongText, OffsetPage, StatusBadge, TaskKey, Timestamp,
};
use crate::hooks::effect;
use crate::i18n::{self, Catalogue};
use crate::task_page::{
    use_task_list, CreateAgain, Filter, Filters, ListSource, ListWords, Loaded, PageShell, Paging, TaskFilterBar,
    TaskListView, TasksSection,
};
use export_desk_model::huawei_cdn::{
    ExportTask, ExportTaskVo, ListExportTasksQuery, ListExportTasksResponse, LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX,
};
use form::CreateExportForm;
use leptos::prelude::*;
use std::collections::HashSet;

/// The kind's address, declared once: the registry's entry and the links of the Overview, the
/// watcher and the search take it from here.
pub(super) const PATH: &str = "/cdn/stats";

/// Page sizes offered; ListExportTasks allows at most [`LIST_LIMIT_MAX`].
const PAGE_SIZES: &[u32] = &[LIST_LIMIT_DEFAULT, 20, 50, LIST_LIMIT_MAX];

/// The list of statistics exports: `offset`/`limit` paging and two filters in the URL.
struct StatsList;

impl ListSource for StatsList {
    type Context = ();
    type Query = ListExportTasksQuery;
    type Answer = ListExportTasksResponse;
    type Row = ExportTask;
    type Page = OffsetPage;

    const PAGING: Paging = Paging::OFFSET;
    const FILTER_KEYS: &'static [&'static str] = &["task_id", "task_name"];
    const PAGE_SIZES: &'static [u32] = PAGE_SIZES;
    const EXPORT_NAME: &'static str = "cdn-stats-exports";

    /// Task id (exact) and name (part of it), applied on submit.
    fn filters(t: &'static crate::i18n::Catalogue) -> Filters {
        stats_filters(t)
    }

    fn query(url: &dyn Fn(&str) -> Option<String>) -> Option<Self::Query> {
        Some(ListExportTasksQuery {
            limit: Some(
                url("limit")
                    .and_then(|v| v.parse().ok())
                    .filter(|l| PAGE_SIZES.contains(l))
                    .unwrap_or(LIST_LIMIT_DEFAULT),
            ),
            offset: Some(url("offset").and_then(|v| v.parse().ok()).unwrap_or(0)),
            task_id: url("task_id"),
            task_name: url("task_name"),
        })
    }

    fn same_filters(a: &Self::Query, b: &Self::Query) -> bool {
        a.task_id == b.task_id && a.task_name == b.task_name
    }

    async fn list(_: &(), query: &Self::Query) -> Result<Self::Answer, ApiError> {
        cdn_stats::list(query).await
    }

    fn rows(answer: &Self::Answer) -> &[ExportTask] {
        &answer.data
    }

    fn total(answer: &Self::Answer) -> Option<u64> {
        Some(answer.total)
    }

    fn page(query: &Self::Query, answer: &Self::Answer) -> OffsetPage {
        OffsetPage {
            offset: query.offset.unwrap_or(0),
            limit: query.limit.unwrap_or(LIST_LIMIT_DEFAULT),
            total: answer.total,
        }
    }

    fn page_target(offset: u64) -> Vec<(&'static str, Option<String>)> {
        vec![("offset", (offset > 0).then(|| offset.to_string()))]
    }

    fn key(task: &ExportTask) -> TaskKey {
        task_key(task)
    }

    fn status(task: &ExportTask) -> TaskStatus {
        cdn_stats::task_status(task)
    }
}

/// Task id (exact) and name (part of it), applied on submit.
fn stats_filters(t: &'static Catalogue) -> Filters {
    let words = &t.cdn_stats;
    Filters::new(
        "filters",
        vec![
            Filter::text("task_id", "filter-task-id", words.filter_task_id, words.filter_task_id_placeholder),
            Filter::text("task_name", "filter-task-name", words.filter_name, words.filter_name_placeholder),
        ],
        t,
    )
    .buttons(Some(words.filter_submit), words.filter_clear)
}

fn words(t: &'static Catalogue) -> ListWords {
    let words = &t.cdn_stats;
    ListWords {
        loading: words.loading,
        no_tasks: Signal::stored(words.no_tasks),
        no_match: words.no_match,
        choose: "",
        gone: "",
    }
}

#[component]
pub fn CdnStatsPage() -> impl IntoView {
    let t = i18n::t();
    let list = use_task_list::<StatsList>((), Signal::stored(false));

    // The create call returns no id: the new task is the newest one this page had not seen when
    // the create was sent. Known ids are frozen then, not when the answer comes, because a refresh
    // landing while the create is on its way may already list the new task.
    let seen: StoredValue<HashSet<String>> = StoredValue::new(HashSet::new());
    let seen_before_create: StoredValue<HashSet<String>> = StoredValue::new(HashSet::new());
    let awaiting_new_task = StoredValue::new(false);
    // The requests this browser sent to this backend, for "Create again" (see `remembered`): the
    // request of the create awaiting its task is tied to the task found.
    let storage_key = StoredValue::new(backend_store::key_of::<remembered::RememberedRequests>());
    let remembered =
        RwSignal::new(storage_key.with_value(|key| backend_store::load::<remembered::RememberedRequests>(key)));
    let awaiting_request: StoredValue<Option<ExportTaskVo>> = StoredValue::new(None);
    let remember = move |change: &dyn Fn(&mut remembered::RememberedRequests)| {
        // Read again first: another tab may have sent requests since.
        let mut stored = storage_key.with_value(|key| backend_store::load::<remembered::RememberedRequests>(key));
        change(&mut stored);
        storage_key.with_value(|key| backend_store::save(key, &stored));
        remembered.set(stored);
    };
    effect(move || {
        list.answer.with(|loaded| {
            let Some(Some(Loaded { query, result: Ok(answer) })) = loaded else { return };
            // Only the first unfiltered page, which the create asked for, is where to look: an
            // answer for the page shown before may hold an older task this page never saw.
            if awaiting_new_task.get_value() && Some(query) == list.query.get_untracked().as_ref() {
                let newest_unseen = seen_before_create.with_value(|known| {
                    answer.data.iter().filter(|t| !known.contains(&t.task_id)).max_by_key(|t| t.create_time).cloned()
                });
                if let Some(task) = newest_unseen {
                    awaiting_new_task.set_value(false);
                    if let Some(request) = awaiting_request.try_update_value(Option::take).flatten() {
                        remember(&|stored| stored.found(&request, &task.task_id));
                    }
                    list.created_found(task.task_id);
                }
            }
            seen.update_value(|seen| seen.extend(answer.data.iter().map(|t| t.task_id.clone())));
        });
    });
    let on_sending = move || {
        seen.update_value(|seen| {
            list.answer.with_untracked(|loaded| {
                if let Some(Some(Loaded { result: Ok(answer), .. })) = loaded {
                    seen.extend(answer.data.iter().map(|t| t.task_id.clone()));
                }
            });
        });
        seen_before_create.set_value(seen.get_value());
    };
    let on_created = move |sent: ExportTaskVo| {
        remember(&|stored| stored.sent(sent.clone(), js_sys::Date::now() as i64));
        awaiting_request.set_value(Some(sent));
        awaiting_new_task.set_value(true);
        list.show_created(None, &[]);
    };
    let again = CreateAgain::new();

    view! {
        <PageShell title=t.cdn_stats.title intro=t.cdn_stats.intro>
            <CreateExportForm on_sending=on_sending on_created=on_created/>
            <TasksSection list=list heading=t.cdn_stats.tasks_heading>
                <TaskFilterBar list=list/>
                <TaskListView
                    list=list
                    columns=columns(again, remembered, t)
                    words=words(t)
                    caption=t.cdn_stats.caption
                    class="cdn-stats-table"
                />
            </TasksSection>
        </PageShell>
    }
}

/// The version covers the download link as well: a listing may hand out a new link for the same
/// finished task, and the row, built once per key, must not keep offering the old one.
fn task_key(task: &ExportTask) -> TaskKey {
    let link = task.download_link.as_deref().unwrap_or_default();
    TaskKey { id: task.task_id.clone(), version: format!("{}:{}:{link}", task.update_time, task.status) }
}

fn columns(
    again: CreateAgain,
    remembered: RwSignal<remembered::RememberedRequests>,
    t: &'static Catalogue,
) -> Vec<Column<ExportTask>> {
    let words = &t.cdn_stats;
    vec![
        Column::new(
            words.column_name,
            "col-name",
            |task: &ExportTask| view! { <span class="task-name">{task.task_name.clone()}</span> },
        )
        .text(|task| task.task_name.clone()),
        Column::new(words.column_task_id, "col-id", move |task: &ExportTask| {
            view! { <LongText text=task.task_id.clone() class="task-id" code=true copy=t.find.copy_task_id/> }
        })
        .text(|task| task.task_id.clone()),
        Column::new(
            words.column_status,
            "col-status",
            |task: &ExportTask| view! { <StatusBadge status=cdn_stats::task_status(task)/> },
        )
        .text(move |task| cdn_stats::task_status(task).kind.label(&t.errors).to_owned()),
        Column::new(words.column_created, "col-time", |task: &ExportTask| view! { <Timestamp ms=task.create_time/> })
            .time(|task| CsvCell::Time(task.create_time)),
        Column::new(words.column_updated, "col-time", |task: &ExportTask| view! { <Timestamp ms=task.update_time/> })
            .time(|task| CsvCell::Time(task.update_time)),
        Column::new(words.column_file, "col-actions", move |task: &ExportTask| {
            let status = cdn_stats::task_status(task).kind;
            let file = match status {
                StatusKind::Succeeded => view! { <DownloadLink link=task.download_link.clone()/> }.into_any(),
                // ListExportTasks has no field for why a task failed: say that, rather than nothing.
                StatusKind::Failed => view! { <span class="muted no-file">{words.no_file_failed}</span> }.into_any(),
                _ => view! { <span class="muted">{words.not_ready}</span> }.into_any(),
            };
            // Only a task this browser asked for can be made again: tied to its request as the
            // page finds it, so the button may come after the row.
            let id = task.task_id.clone();
            let again = move || {
                let sent = remembered.with(|r| r.for_task(&id).cloned())?;
                form::create_again_button(again, &sent, id.clone())
            };
            view! { <div class="stats-actions">{file}{again}</div> }.into_any()
        })
        // In the file, the link itself (the button's target), so the list can be worked through.
        .text(move |task| match cdn_stats::task_status(task).kind {
            StatusKind::Succeeded => task.download_link.as_deref().and_then(safe_href).unwrap_or_default().to_owned(),
            StatusKind::Failed => words.no_file_failed.to_owned(),
            _ => words.not_ready.to_owned(),
        }),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::task_page::filter_bar::assert_bar_declares_the_filter_keys;

    #[test]
    fn the_filters_apply_trimmed_from_the_first_page() {
        assert_bar_declares_the_filter_keys::<StatsList>();
        let typed = [" 0a1b ".to_owned(), "uv_".to_owned()];
        let changes = StatsList::filters(&crate::i18n::EN).changes(&typed, &|_| None, None).unwrap();
        assert_eq!(changes, vec![("task_id", Some("0a1b".to_owned())), ("task_name", Some("uv_".to_owned()))]);
    }

    #[test]
    fn the_filters_speak_chinese_when_asked() {
        let filters = stats_filters(&crate::i18n::ZH_CN);
        let labels: Vec<&str> = filters.filters.iter().map(|f| f.label).collect();
        assert_eq!(labels, ["任务 ID", "名称包含"]);
        assert_eq!(StatsList::filters(&crate::i18n::EN).filters[1].label, "Name contains");
    }

    fn task(id: &str, status: &str, link: Option<&str>) -> ExportTask {
        ExportTask {
            task_id: id.into(),
            task_name: "reports_detail_flux".into(),
            status: status.into(),
            download_link: link.map(Into::into),
            create_time: 1,
            update_time: 2,
        }
    }

    #[test]
    fn paging_keeps_the_filters_and_other_filters_do_not() {
        let first = ListExportTasksQuery {
            limit: Some(10),
            offset: Some(0),
            task_name: Some("uv_".into()),
            ..Default::default()
        };
        let next = ListExportTasksQuery { offset: Some(10), limit: Some(20), ..first.clone() };
        assert!(StatsList::same_filters(&first, &next));
        assert!(!StatsList::same_filters(&first, &ListExportTasksQuery { task_name: None, ..first.clone() }));
        assert!(!StatsList::same_filters(&first, &ListExportTasksQuery { task_id: Some("t".into()), ..first.clone() }));
    }

    #[test]
    fn the_url_is_read_with_the_documented_defaults() {
        let query = StatsList::query(&|key| match key {
            "limit" => Some("77".into()),
            "offset" => Some("20".into()),
            "task_name" => Some("uv_".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!(
            (query.limit, query.offset),
            (Some(LIST_LIMIT_DEFAULT), Some(20)),
            "a page size not offered falls back"
        );
        assert_eq!((query.task_name.as_deref(), query.task_id), (Some("uv_"), None));
    }

    #[test]
    fn a_row_is_rebuilt_when_its_task_or_its_link_changes() {
        let running = task_key(&task("a", "processing", None));
        assert_eq!(running, task_key(&task("a", "processing", None)), "an unchanged task keeps its row");
        let done = task_key(&task("a", "success", Some("https://x/1.csv")));
        assert_ne!(running, done);
        assert_ne!(done, task_key(&task("a", "success", Some("https://x/2.csv"))));
    }
}
