//! Tencent Cloud CLS log exports: pick a log topic, export its logs to a file, watch the export
//! run, download the file while CLS keeps it, delete exports.
//!
//! The topic is the list's only filter (DescribeExports has no other, and no sort: newest first),
//! so it lives in the URL as `?topic=…` beside the paging (`offset`, `limit` ≤ 100). Topics come
//! from the account (DescribeTopics, searched), those `/_desk/config` names first as favourites;
//! any other id may be typed, and CLS says whether it exists. The topic picker, the create form and
//! the loaders for the Overview, the watcher and the search live beside this file.

mod form;
pub(super) mod loaders;
mod topic_picker;

use crate::api::status::TaskStatus;
use crate::api::{cls, ApiError};
use crate::byte_size::human_size;
use crate::components::time::{format_local, format_with_zone};
use crate::components::{
    Column, CsvCell, CsvTimes, DownloadLink, LongText, OffsetPage, StatusBadge, TaskKey, Timestamp,
};
use crate::hooks::use_url_query;
use crate::i18n::Catalogue;
use crate::task_page::{
    follow_link, use_task_list, Bulk, CreateAgain, DeleteWords, ListSource, ListWords, PageShell, Paging, RowDelete,
    TaskListView, TasksSection,
};
use export_desk_model::desk::ClsTopic;
use export_desk_model::tencent_cls::{
    DescribeExportsRequest, DescribeExportsResponse, ExportInfo, ExportStatus, Order, SyntaxRule,
    CREATE_TIME_UTC_OFFSET_HOURS, FILE_KEPT_MS, LIMIT_DEFAULT, LIMIT_MAX,
};
use form::CreateExportForm;
use leptos::prelude::*;
use topic_picker::{TopicDirectory, TopicPicker};

/// The kind's address, declared once: the registry's entry and the links of the Overview, the
/// watcher and the search take it from here.
pub(super) const PATH: &str = "/cls/exports";

/// Page sizes offered; DescribeExports allows at most [`LIMIT_MAX`].
const PAGE_SIZES: &[u32] = &[10, 20, 50, LIMIT_MAX];
const MINUTE_MS: i64 = 60_000;
const HOUR_MS: i64 = 60 * MINUTE_MS;

/// One DescribeExports call: the topic and the page asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ListRequest {
    topic_id: String,
    offset: u64,
    limit: u32,
}

/// The exports of one topic: the topic and `offset`/`limit` paging in the URL.
struct ExportList;

impl ListSource for ExportList {
    type Context = ();
    type Query = ListRequest;
    type Answer = DescribeExportsResponse;
    type Row = ExportInfo;
    type Page = OffsetPage;

    const PAGING: Paging = Paging::OFFSET;
    // The topic is chosen, not filtered by: no "Clear filters" takes it away.
    const FILTER_KEYS: &'static [&'static str] = &[];
    const PAGE_SIZES: &'static [u32] = PAGE_SIZES;
    const EXPORT_NAME: &'static str = "cls-exports";

    fn query(url: &dyn Fn(&str) -> Option<String>) -> Option<ListRequest> {
        let limit = url("limit").and_then(|v| v.parse().ok()).filter(|l| PAGE_SIZES.contains(l));
        Some(ListRequest {
            topic_id: topic_of(url)?,
            offset: url("offset").and_then(|v| v.parse().ok()).unwrap_or(0),
            limit: limit.unwrap_or(LIMIT_DEFAULT),
        })
    }

    fn same_filters(a: &ListRequest, b: &ListRequest) -> bool {
        a.topic_id == b.topic_id
    }

    async fn list(_: &(), request: &ListRequest) -> Result<DescribeExportsResponse, ApiError> {
        let call = DescribeExportsRequest {
            topic_id: Some(request.topic_id.clone()),
            offset: Some(i64::try_from(request.offset).unwrap_or(i64::MAX)),
            limit: Some(i64::from(request.limit)),
        };
        cls::describe(&call).await
    }

    fn rows(answer: &DescribeExportsResponse) -> &[ExportInfo] {
        &answer.exports
    }

    fn total(answer: &DescribeExportsResponse) -> Option<u64> {
        Some(answer.total_count)
    }

    fn page(request: &ListRequest, answer: &DescribeExportsResponse) -> OffsetPage {
        OffsetPage { offset: request.offset, limit: request.limit, total: answer.total_count }
    }

    fn page_target(offset: u64) -> Vec<(&'static str, Option<String>)> {
        vec![("offset", (offset > 0).then(|| offset.to_string()))]
    }

    fn key(export: &ExportInfo) -> TaskKey {
        export_key(export)
    }

    fn status(export: &ExportInfo) -> TaskStatus {
        cls::task_status(export)
    }
}

/// The topic the URL names, trimmed; `None` when it names none.
fn topic_of(url: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    url("topic").map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

/// The page, given the topics the server's description names (none when it could not be loaded):
/// the favourites, listed before the account's other topics.
#[component]
pub fn ClsExportsPage(topics: Vec<ClsTopic>) -> impl IntoView {
    let catalogue = crate::i18n::t();
    let t = &catalogue.cls;
    let url = use_url_query();
    let topics = Signal::stored(topics);

    let topic = Memo::new(move |_| topic_of(&|key| url.get(key)));
    let directory = TopicDirectory::new(topics, topic);
    let known_topic = Memo::new(move |_| directory.get(&topic.get()?));
    let list = use_task_list::<ExportList>((), Signal::stored(false));
    // Watched with its topic, which the watcher asks even when it is not a favourite.
    let on_created =
        move |export_id: String| list.show_created_in(Some(export_id), &topic.get_untracked().unwrap_or_default(), &[]);
    // The one delete: the rows' buttons and the bulk delete both make it.
    let deletion = RowDelete::new(
        DeleteWords { thing: t.delete_thing, question: t.delete_question },
        |id| async move { cls::delete(&id).await.map(drop) },
        Callback::new(move |()| list.reload()),
    );
    let again = CreateAgain::new();
    let closed = Signal::derive(move || known_topic.with(|t| t.as_ref().is_some_and(|t| t.closed)));
    let heading = move || match (known_topic.get(), topic.get()) {
        (Some(known), _) => (t.heading_of)(&known.name),
        (None, Some(_)) => t.heading_typed.to_owned(),
        (None, None) => t.heading.to_owned(),
    };
    let words = ListWords {
        loading: t.loading,
        no_tasks: Signal::derive(move || if closed.get() { t.no_exports_closed } else { t.no_exports }),
        no_match: "",
        choose: t.choose_first,
        gone: "",
    };

    view! {
        <PageShell title=t.title intro=t.intro>
            <TopicPicker url=url directory=directory topic=topic/>
            <CreateExportForm topic=topic known_topic=known_topic closed=closed on_created=on_created/>
            <TasksSection list=list heading=heading>
                {move || topic.get().map(|id| view! {
                    <p class="muted cls-topic-line">{t.topic_id_line} <code class="cls-topic-id">{id}</code></p>
                })}
                <TaskListView
                    list=list
                    columns=columns(list.rows, deletion, again, catalogue)
                    words=words
                    caption=t.caption
                    class="cls-table"
                    bulk=bulk(deletion)
                />
            </TasksSection>
        </PageShell>
    }
}

/// Several exports at once: deleted as a row is, or each completed one's file by its link (as the
/// row's own).
fn bulk(deletion: RowDelete) -> Bulk<ExportInfo> {
    Bulk::new(deletion).download(
        |e: &ExportInfo| {
            let completed = ExportStatus::parse(&e.status) == Some(ExportStatus::Completed);
            completed.then(|| follow_link(&e.cos_path)).flatten()
        },
        None,
    )
}

fn export_key(export: &ExportInfo) -> TaskKey {
    TaskKey { id: export.export_id.clone(), version: format!("{}:{}", export.status, export.file_size) }
}

fn columns(
    rows: Memo<Vec<ExportInfo>>,
    deletion: RowDelete,
    again: CreateAgain,
    t: &'static Catalogue,
) -> Vec<Column<ExportInfo>> {
    let words = &t.cls;
    vec![
        Column::new(words.column_export, "col-name", move |e: &ExportInfo| {
            view! {
                <LongText text=e.export_id.clone() class="task-id" code=true copy=t.find.copy_export_id/>
                <LongText text=e.file_name.clone() class="cls-file-name muted"/>
            }
        })
        // Two lines in one cell, as the table shows them.
        .text(|e| format!("{}\n{}", e.export_id, e.file_name)),
        Column::new(
            words.column_status,
            "col-status",
            |e: &ExportInfo| view! { <StatusBadge status=cls::task_status(e)/> },
        )
        .text(move |e| cls::task_status(e).kind.label(&t.errors).to_owned()),
        Column::new(words.column_logs, "col-logs", move |e: &ExportInfo| {
            view! {
                <code class="cls-query">{e.query.clone()}</code>
                <span class="muted cls-range">
                    <span>{format!("{} →", format_local(e.from))}</span>
                    " "
                    <span>{format_with_zone(e.to)}</span>
                </span>
                // The format by its name (JSON, CSV), the same in both languages; the order in words.
                <span class="muted cls-shape">{logs_shape(e, t)}</span>
            }
        })
        .csv(move |e, times| {
            format!("{}\n{} → {}\n{}", e.query, times.local(e.from), times.with_offset(e.to), logs_shape(e, t))
        }),
        Column::new(words.column_created, "col-time", |e: &ExportInfo| match created_ms(e) {
            Some(ms) => view! { <Timestamp ms=ms/> }.into_any(),
            None => view! { <span>{e.create_time.clone()}</span> }.into_any(),
        })
        .time(|e| created_ms(e).map_or_else(|| CsvCell::Text(e.create_time.clone()), CsvCell::Time)),
        Column::new(words.column_file, "col-file", move |e: &ExportInfo| file_cell(e, t))
            .csv(move |e, times| file_text(e, t, times)),
        Column::new(words.column_actions, "col-actions", move |e: &ExportInfo| {
            let id = e.export_id.clone();
            let completed = ExportStatus::parse(&e.status) == Some(ExportStatus::Completed);
            // The link is read from the latest listing: each hands out a fresh one-hour link.
            let link = {
                let id = id.clone();
                move || rows.with(|rows| rows.iter().find(|r| r.export_id == id).map(|r| r.cos_path.clone()))
            };
            let again = form::create_again_button(again, e);
            view! {
                <div class="cls-actions">
                    {completed.then_some(move || view! { <DownloadLink link=link()/> })}
                    {again}
                    {deletion.button(id)}
                </div>
            }
        }),
    ]
}

/// "1,000 logs · JSON · newest first · CQL": what an export holds, in the reader's words.
fn logs_shape(e: &ExportInfo, t: &'static Catalogue) -> String {
    let words = &t.cls;
    let syntax = SyntaxRule::ALL.iter().find(|r| r.number() == e.syntax_rule).map_or("?", |r| r.label());
    (words.logs_shape)(
        e.count,
        &e.format.to_ascii_uppercase(),
        Order::parse(&e.order).map_or(e.order.as_str(), words.order_label),
        syntax,
    )
}

/// The file cell in words, for the CSV file: size and how long it is kept, or why there is none.
fn file_text(export: &ExportInfo, t: &'static Catalogue, times: &CsvTimes) -> String {
    let words = &t.cls;
    match ExportStatus::parse(&export.status) {
        Some(ExportStatus::Completed) => match expires_about(export) {
            Some(ms) => format!("{}\n{}", human_size(export.file_size), (words.kept_until)(&times.with_offset(ms))),
            None => human_size(export.file_size),
        },
        Some(ExportStatus::Expired) => format!("{}\n{}", human_size(export.file_size), words.expired),
        Some(ExportStatus::Failed) => words.failed_no_file.to_owned(),
        _ => words.not_ready.to_owned(),
    }
}

/// File size and how long CLS keeps the file, by status.
fn file_cell(export: &ExportInfo, t: &'static Catalogue) -> AnyView {
    let words = &t.cls;
    match ExportStatus::parse(&export.status) {
        Some(ExportStatus::Completed) => {
            let expiry = expires_about(export).map(|ms| {
                view! {
                    <span class="muted cls-expiry" title=words.expiry_title>
                        {(words.kept_until)(&format_with_zone(ms))}
                    </span>
                }
            });
            view! { <span class="cls-size">{human_size(export.file_size)}</span> {expiry} }.into_any()
        }
        Some(ExportStatus::Expired) => view! {
            <span class="cls-size">{human_size(export.file_size)}</span>
            <span class="muted cls-expiry">{words.expired}</span>
        }
        .into_any(),
        // DescribeExports has no field for why an export failed: say that, rather than nothing.
        Some(ExportStatus::Failed) => view! { <span class="muted no-file">{words.failed_no_file}</span> }.into_any(),
        _ => view! { <span class="muted">{words.not_ready}</span> }.into_any(),
    }
}

/// When the export was created: `CreateTimestamp`, else `CreateTime` read as China Standard Time.
fn created_ms(export: &ExportInfo) -> Option<i64> {
    export.create_timestamp.or_else(|| {
        let naive = crate::time_text::parse(export.create_time.trim(), crate::time_text::Shape::Spaced)?;
        Some(naive.and_utc().timestamp_millis() - i64::from(CREATE_TIME_UTC_OFFSET_HOURS) * HOUR_MS)
    })
}

/// The earliest the file can expire: three days after completion, which is after creation.
fn expires_about(export: &ExportInfo) -> Option<i64> {
    created_ms(export).map(|ms| ms + FILE_KEPT_MS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn export(create_time: &str, create_timestamp: Option<i64>) -> ExportInfo {
        ExportInfo {
            topic_id: "t".into(),
            export_id: "export-1".into(),
            query: "*".into(),
            file_name: "log.tar.gz".into(),
            file_size: 0,
            order: "desc".into(),
            format: "json".into(),
            count: 10,
            status: "Completed".into(),
            from: 0,
            to: 1,
            cos_path: String::new(),
            create_time: create_time.into(),
            syntax_rule: 1,
            derived_fields: None,
            create_timestamp,
        }
    }

    #[test]
    fn creation_is_the_timestamp_or_the_china_standard_time_text() {
        assert_eq!(created_ms(&export("garbage", Some(42))), Some(42));
        // 2026-11-23 16:30:00 in UTC+8 is 08:30:00 UTC.
        let utc = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap().and_hms_opt(8, 30, 0).unwrap();
        assert_eq!(created_ms(&export("2026-11-23 16:30:00", None)), Some(utc.and_utc().timestamp_millis()));
        assert_eq!(created_ms(&export("23/11/2026", None)), None);
        assert_eq!(expires_about(&export("", Some(1_000))), Some(1_000 + 3 * 24 * HOUR_MS));
    }

    #[test]
    fn no_topic_means_no_call_and_a_topic_is_trimmed() {
        assert_eq!(ExportList::query(&|_| None), None);
        assert_eq!(ExportList::query(&|key| (key == "topic").then(|| "   ".into())), None);
        let request = ExportList::query(&|key| match key {
            "topic" => Some(" t-1 ".into()),
            "limit" => Some("7".into()),
            "offset" => Some("40".into()),
            _ => None,
        });
        assert_eq!(request, Some(ListRequest { topic_id: "t-1".into(), offset: 40, limit: LIMIT_DEFAULT }));
    }
}
