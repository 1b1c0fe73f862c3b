//! Huawei Cloud CDN refresh and preheat tasks: the create form, the history list (every filter,
//! every sort order, pages of up to 10,000 rows), and each task's per-URL detail
//! ([`CdnPurgeDetailPage`], route `/cdn/purge/{task_id}`). The form, the detail page, pasted URLs,
//! redo and the loaders for the Overview, the watcher and the search live beside this file.

mod detail;
mod form;
pub(super) mod loaders;
mod pasted_urls;
mod redo;

pub use detail::CdnPurgeDetailPage;

use crate::api::status;
use crate::api::{cdn_history, ApiError};
use crate::components::{Column, CopyButton, CsvCell, NumberedPage, StatusBadge, TaskKey, Timestamp};
use crate::i18n::{self, Catalogue};
use crate::task_page::{
    use_task_list, Filter, FilterValues, Filters, ListSource, ListWords, PageShell, Paging, SortKeys, TaskFilterBar,
    TaskListView, TasksSection,
};
use export_desk_model::huawei_cdn::history::{
    FileType, HistoryTask, OrderField, OrderType, ShowHistoryTasksQuery, ShowHistoryTasksResponse, TaskStatus,
    TaskType, PAGE_NUMBER_MAX, PAGE_SIZE_DEFAULT,
};
use export_desk_model::huawei_cdn::percent_encode;
use export_desk_model::validation::{Rule, Violations};
use form::{CreateContentTaskForm, Created};
use leptos::prelude::*;

/// The kind's address, declared once: the registry's entry, the task pages' links, the watcher and
/// the redo all take it from here.
pub(super) const PATH: &str = "/cdn/purge";

/// Page sizes offered; the API allows up to 10,000, which the table renders as a scrolling window.
const PAGE_SIZES: &[u32] = &[PAGE_SIZE_DEFAULT, 100, 1000, 10_000];

/// The URL query keys that filter the list (paging aside), cleared together.
const FILTER_KEYS: &[&str] = &["status", "task_type", "file_type", "start_date", "end_date"];

/// The list request the URL describes. Values the API would refuse are dropped (a hand-edited
/// link shows the default rather than an error), and paging always travels as the pair the API
/// requires. No file type means both (the API lists one a call: [`HistoryList::list`] asks for
/// each), so no task is left out by default.
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
        file_type: known("file_type", |v| FileType::parse(v).is_some()),
        task_type: known("task_type", |v| TaskType::parse(v).is_some()),
    }
}

/// The creation range's end may not come before its start: said next to the end, not sent.
fn range_in_order(values: &FilterValues, _t: &'static crate::i18n::Catalogue) -> Result<(), Violations> {
    let ms = |key| values.get(key).and_then(|v| v.parse::<u64>().ok());
    let mut violations = Violations::default();
    if let (Some(from), Some(to)) = (ms("start_date"), ms("end_date")) {
        if to < from {
            violations.push("end_date", Rule::NotBefore { other: "start_date" });
        }
    }
    violations.into_result(())
}

/// A paging value of a list query (always set by the query builders), as a number.
fn page_param(text: &Option<String>, default: u32) -> u32 {
    text.as_deref().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// The options of a choice over a provider enum: each wire value with its label in the language
/// in force.
fn labelled<E: Copy>(
    all: &'static [E],
    wire: fn(E) -> &'static str,
    label: fn(E) -> &'static str,
) -> impl Iterator<Item = (&'static str, &'static str)> {
    all.iter().map(move |&value| (wire(value), label(value)))
}

/// Every choice applies at once, and so does each end of the creation range; the sort field and
/// its direction travel as the pair the API requires. "Clear filters" keeps the order (it is not
/// in [`FILTER_KEYS`]).
fn history_filters(t: &'static Catalogue) -> Filters {
    let words = &t.cdn_purge;
    let any = |label| std::iter::once(("", label));
    let statuses = any(words.any).chain(labelled(TaskStatus::ALL, TaskStatus::as_str, words.task_status));
    let task_types = any(words.both_task_types).chain(labelled(TaskType::ALL, TaskType::as_str, words.task_type));
    let file_types = any(words.both_file_types).chain(labelled(FileType::ALL, FileType::as_str, words.file_type));
    let order_fields = labelled(OrderField::ALL, OrderField::as_str, words.order_field);
    let order_field = Filter::choice("order_field", "order-field", words.sort_by, order_fields);
    let order_types = labelled(OrderType::ALL, OrderType::as_str, words.order_type);
    let order_type = Filter::choice("order_type", "order-type", words.sort_order, order_types);
    Filters::new(
        "filters purge-filters",
        vec![
            Filter::choice("status", "filter-status", words.filter_status, statuses).at_once(),
            Filter::choice("task_type", "filter-task-type", words.filter_task_type, task_types).at_once(),
            Filter::choice("file_type", "filter-file-type", words.filter_file_type, file_types).at_once(),
            Filter::time("start_date", "filter-start", words.created_from),
            Filter::time("end_date", "filter-end", words.created_until),
            order_field.default_value(OrderField::CreateTime.as_str()).at_once().paired_with("order_type"),
            order_type.default_value(OrderType::Desc.as_str()).at_once().paired_with("order_field"),
        ],
        t,
    )
    .buttons(None, words.clear_filters)
    .check(range_in_order)
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
    const EXPORT_NAME: &'static str = "cdn-purge-tasks";
    /// ShowHistoryTasks allows 30 calls a second a tenant; an export of both file types makes two
    /// calls a page, so half the default pace keeps it at the same share.
    const EXPORT_SPACING_MS: u32 = 500;
    const SORT: Option<SortKeys> = Some(SortKeys {
        field_key: "order_field",
        direction_key: "order_type",
        ascending: "asc",
        descending: "desc",
        default: ("create_time", false),
    });

    /// Every choice applies at once, and so does each end of the creation range; the sort field
    /// and its direction travel as the pair the API requires. "Clear filters" keeps the order
    /// (it is not in [`FILTER_KEYS`]).
    fn filters(t: &'static crate::i18n::Catalogue) -> Filters {
        history_filters(t)
    }

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
        match query.file_type {
            Some(_) => cdn_history::list(query).await,
            None => cdn_history::list_every_file_type(query).await,
        }
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
    let t = i18n::t();
    let words = &t.cdn_purge;
    let list = use_task_list::<HistoryList>((), Signal::stored(false));
    let on_created = move |created: Created| {
        // The first page in the default order, unfiltered (both file types): where it is listed.
        list.show_created(Some(created.id), &[("order_field", None), ("order_type", None)]);
    };
    let list_words = ListWords {
        loading: words.loading,
        no_tasks: Signal::stored(words.no_tasks),
        no_match: words.no_match,
        choose: "",
        gone: "",
    };

    view! {
        <PageShell title=words.title intro=words.intro>
            <CreateContentTaskForm on_created=on_created/>
            <TasksSection list=list heading=words.tasks_heading class="tasks purge-tasks">
                <TaskFilterBar list=list/>
                <TaskListView list=list columns=columns(t) words=list_words caption=words.caption class="task-list"/>
            </TasksSection>
        </PageShell>
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
    format!("{PATH}/{}?create_time={}", percent_encode(&task.id), task.create_time)
}

/// What a task does and to what ("Refresh · Files"), in the page's words; a value the API does
/// not document shows as it came.
fn kind_text(t: &'static Catalogue, task_type: &str, file_type: &str) -> String {
    let words = &t.cdn_purge;
    let kind = TaskType::parse(task_type).map_or(task_type, |kind| (words.task_type)(kind));
    let files = FileType::parse(file_type).map_or(file_type, |files| (words.file_type)(files));
    format!("{kind} · {files}")
}

fn columns(t: &'static Catalogue) -> Vec<Column<HistoryTask>> {
    let words = &t.cdn_purge;
    vec![
        Column::new(words.column_task, "col-id", move |task: &HistoryTask| {
            view! {
                <span class="copyable">
                    <a class="task-link long-text" href=detail_href(task) title=task.id.clone()>{task.id.clone()}</a>
                    <CopyButton text=task.id.clone() label=t.find.copy_task_id/>
                </span>
            }
        })
        .text(|task| task.id.clone()),
        Column::new(words.column_kind, "col-kind", move |task: &HistoryTask| {
            let kind = kind_text(t, &task.task_type, &task.file_type);
            view! { <span class="task-kind" data-task-type=task.task_type.clone()>{kind}</span> }
        })
        .text(move |task| kind_text(t, &task.task_type, &task.file_type))
        .sorts_by(OrderField::TaskType.as_str()),
        Column::new(
            words.column_status,
            "col-status",
            move |task: &HistoryTask| view! { <StatusBadge status=cdn_history::task_status(task)/> },
        )
        .text(move |task| cdn_history::task_status(task).kind.label(&t.errors).to_owned()),
        Column::new(words.column_progress, "col-progress", |task: &HistoryTask| {
            view! { <Progress processing=task.processing succeed=task.succeed failed=task.failed total=task.total/> }
        })
        .text(move |task| progress_text(t, task.succeed, task.failed, task.total)),
        Column::new(
            words.column_urls,
            "col-total",
            |task: &HistoryTask| view! { <span class="task-total">{task.total}</span> },
        )
        .text(|task| task.total.to_string())
        .sorts_by(OrderField::Total.as_str()),
        Column::new(words.column_created, "col-time", |task: &HistoryTask| view! { <Timestamp ms=task.create_time/> })
            .time(|task| CsvCell::Time(task.create_time))
            .sorts_by(OrderField::CreateTime.as_str()),
    ]
}

/// "3 of 5 done, 1 failed": a task's progress in words, as its bar's caption says it.
fn progress_text(t: &'static Catalogue, succeed: u32, failed: u32, total: u32) -> String {
    let words = &t.cdn_purge;
    let mut text = (words.progress_done)(succeed + failed, total);
    if failed > 0 {
        text.push_str(&(words.progress_failed)(failed));
    }
    text
}

/// A task's progress from its counters: succeeded and failed URLs as two coloured shares of
/// one bar (`processing` counts waiting URLs too, so the three always add up to `total`).
#[component]
fn Progress(processing: u32, succeed: u32, failed: u32, total: u32) -> impl IntoView {
    let catalogue = i18n::t();
    let words = &catalogue.cdn_purge;
    let done = succeed + failed;
    let share = |n: u32| {
        if total == 0 {
            "0%".to_owned()
        } else {
            format!("{}%", crate::fixed::fixed(f64::from(n) * 100.0 / f64::from(total), 2))
        }
    };
    let text = progress_text(catalogue, succeed, failed, total);
    let value_text = (words.progress_value)(done, total, succeed, failed, processing);
    view! {
        <div class="progress-cell">
            <div class="progress" role="progressbar" aria-label=words.progress_label aria-valuemin="0"
                aria-valuemax=total aria-valuenow=done aria-valuetext=value_text>
                <span class="progress-succeed" style:width=share(succeed)></span>
                <span class="progress-failed" style:width=share(failed)></span>
            </div>
            <span class="progress-text">{text}</span>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::time::ms_to_local_input;
    use crate::task_page::filter_bar::assert_bar_declares_the_filter_keys;

    #[test]
    fn the_bar_shows_the_order_in_force_and_holds_back_a_range_ending_before_it_starts() {
        assert_bar_declares_the_filter_keys::<HistoryList>();
        let filters = HistoryList::filters(&crate::i18n::EN);
        let url = |pairs: &'static [(&'static str, &'static str)]| {
            move |key: &str| pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| (*v).to_owned())
        };
        // A sort field alone is dropped by the list, so the controls show the default order.
        let shown = filters.shown(&url(&[("order_field", "total")]));
        assert_eq!(&shown[5..], &["create_time".to_owned(), "desc".to_owned()]);
        assert_eq!(shown[2], "", "the file type starts at both: no task is left out");
        let Some(file_type) = filters.filters.iter().find(|f| f.key == "file_type") else { panic!("no file type") };
        assert_eq!(file_type.label, "File type");
        assert_eq!(list_query(&url(&[("order_field", "total")])).order_field, None);

        // A whole minute, as the input holds: the start goes along as typed when the end changes.
        let start = url(&[("start_date", "1699999980000")]);
        let mut typed = filters.shown(&start);
        typed[4] = ms_to_local_input(1_699_999_980_000 - 86_400_000);
        let refused = filters.changes(&typed, &start, Some(4)).unwrap_err();
        assert_eq!(refused.for_field("end_date"), Some(&Rule::NotBefore { other: "start_date" }));
        let shown = filters.messages(&refused, &crate::i18n::EN);
        assert_eq!(shown.for_field("end_date"), Some("must not be before “Created from”"));
        typed[4] = ms_to_local_input(1_700_086_380_000); // a whole minute, as the input holds
        assert_eq!(
            filters.changes(&typed, &start, Some(4)).unwrap(),
            vec![("start_date", Some("1699999980000".to_owned())), ("end_date", Some("1700086380000".to_owned()))]
        );
    }

    #[test]
    fn chinese_titles_statuses_and_choices() {
        let zh = &crate::i18n::ZH_CN;
        let task = HistoryTask {
            id: "7620240".into(),
            task_type: "refresh".into(),
            status: "task_done".into(),
            processing: 0,
            succeed: 1,
            failed: 2,
            total: 3,
            create_time: 1,
            file_type: "directory".into(),
        };
        let note = cdn_history::task_status(&task).note_text(&zh.errors);
        assert_eq!(note.as_deref(), Some("已完成，但有 2 个 URL 失败；任务详情页说明了原因。"));
        assert_eq!((zh.cdn_purge.overview_title)(true, 3, "directory"), "刷新 3 个目录");
        assert_eq!((zh.cdn_purge.overview_title)(false, 1, "file"), "预热 1 个文件");
        assert_eq!((crate::i18n::EN.cdn_purge.overview_title)(false, 1, "file"), "Preheat of 1 file");
        assert_eq!((crate::i18n::EN.cdn_purge.overview_title)(true, 3, "directory"), "Refresh of 3 directories");
        assert_eq!(kind_text(zh, "preheating", "file"), "预热 · 文件");
        assert_eq!(kind_text(&crate::i18n::EN, "refresh", "folder"), "Refresh · folder", "undocumented: as it came");
        let filters = history_filters(zh);
        let Some(file_type) = filters.filters.iter().find(|f| f.key == "file_type") else { panic!("no file type") };
        assert_eq!(file_type.label, "文件类型");
    }

    #[test]
    fn english_keeps_the_labels_the_model_gives() {
        let en = &crate::i18n::EN.cdn_purge;
        assert!(TaskType::ALL.iter().all(|&v| (en.task_type)(v) == v.label()));
        assert!(TaskStatus::ALL.iter().all(|&v| (en.task_status)(v) == v.label()));
        assert!(FileType::ALL.iter().all(|&v| (en.file_type)(v) == v.label()));
        assert!(OrderField::ALL.iter().all(|&v| (en.order_field)(v) == v.label()));
        assert!(OrderType::ALL.iter().all(|&v| (en.order_type)(v) == v.label()));
        use export_desk_model::huawei_cdn::history::{FailClassify, UrlStatus};
        assert!(UrlStatus::ALL.iter().all(|&v| (en.url_status)(v) == v.label()));
        assert!(FailClassify::ALL.iter().all(|&v| (en.fail_classify)(v) == v.label()));
    }

    #[test]
    fn only_a_filter_the_list_applies_makes_an_empty_list_a_no_match() {
        let url = |pairs: &'static [(&'static str, &'static str)]| {
            move |key: &str| pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| (*v).to_owned())
        };
        let no_route = |_: &str| None;
        assert!(crate::task_page::filters_in_force::<HistoryList>(&url(&[("status", "task_done")]), &no_route));
        assert!(!crate::task_page::filters_in_force::<HistoryList>(&url(&[("status", "bogus")]), &no_route));
        assert!(crate::task_page::filters_in_force::<HistoryList>(&url(&[("file_type", "directory")]), &no_route));
        assert!(!crate::task_page::filters_in_force::<HistoryList>(&url(&[("file_type", "dirs")]), &no_route));
        assert!(!crate::task_page::filters_in_force::<HistoryList>(&url(&[]), &no_route));
    }

    fn query_of(pairs: &[(&str, &str)]) -> ShowHistoryTasksQuery {
        let pairs: Vec<(String, String)> = pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        list_query(&|key| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()))
    }

    #[test]
    fn an_empty_url_asks_for_the_documented_defaults_with_paging_as_a_pair() {
        let query = query_of(&[]);
        assert_eq!((query.page_size.as_deref(), query.page_number.as_deref()), (Some("30"), Some("1")));
        assert_eq!(query.file_type, None, "both file types, each asked for in its own call");
        assert!(query.validate().is_ok());
        let files = query_of(&[("file_type", "file")]);
        assert_eq!(files.file_type.as_deref(), Some("file"), "files alone, when chosen");
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
        assert_eq!((query.status, query.start_date, query.file_type), (None, None, None));
        assert_eq!((query.page_size.as_deref(), query.page_number.as_deref()), (Some("30"), Some("1")));
        assert_eq!((query.order_field, query.order_type), (None, None), "a sort field alone is dropped");
    }
}
