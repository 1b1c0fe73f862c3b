//! Tencent Cloud CLS log exports: pick a log topic, export its logs to a file, watch the export
//! run, download the file while CLS keeps it, delete exports.
//!
//! The topic is the list's only filter (DescribeExports has no other, and no sort: newest first),
//! so it lives in the URL as `?topic=…` beside the paging (`offset`, `limit` ≤ 100). Known topics
//! come from `/_desk/config`; any other id may be typed, and CLS says whether it exists.

use super::OverviewTask;
use crate::api::status::TaskStatus;
use crate::api::{cls, ApiError};
use crate::components::time::{format_local, ms_to_local_input, optional_time_field, zone_name};
use crate::components::{
    focus_first_invalid, Column, DownloadLink, EnumSelect, Field, OffsetPage, PreviewRequest, RefreshStatus,
    StatusBadge, TaskKey, TimeEnd, TimeRange, Timestamp,
};
use crate::hooks::{use_url_query, UrlQuery};
use crate::task_page::{
    use_create_form, use_task_list, CreateFormView, CreateSource, DeleteWords, ListSource, ListWords, Paging,
    RowDelete, RowDeleteOutcome, TaskListView,
};
use crate::DeskResource;
use export_desk_model::desk::ClsTopic;
use export_desk_model::desk::DeskConfig;
use export_desk_model::tencent_cls::{
    CreateExportRequest, DescribeExportsRequest, DescribeExportsResponse, ExportInfo, ExportStatus, Format, Order,
    SyntaxRule, COUNT_MAX, CREATE_TIME_UTC_OFFSET_HOURS, FILE_KEPT_MS, LIMIT_DEFAULT, LIMIT_MAX,
};
use export_desk_model::validation::Violations;
use leptos::prelude::*;

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

#[component]
pub fn ClsExportsPage() -> impl IntoView {
    let url = use_url_query();
    let desk = use_context::<DeskResource>();
    let config = move || desk.and_then(|desk| desk.get()).and_then(Result::ok);
    let topics = Signal::derive(move || config().map(|c| c.providers.cls_topics).unwrap_or_default());

    let topic = Memo::new({
        let url = url.clone();
        move |_| topic_of(&|key| url.get(key))
    });
    let known_topic = Memo::new(move |_| {
        let id = topic.get()?;
        topics.with(|topics| topics.iter().find(|t| t.id == id).cloned())
    });
    let list = use_task_list::<ExportList>((), Signal::stored(false));
    let on_created = move |export_id: String| list.show_created(Some(export_id), &[]);
    let deletion = RowDelete::new(
        DeleteWords { thing: "export", question: "Delete this export?" },
        |id| async move { cls::delete(&id).await.map(drop) },
        Callback::new(move |()| list.reload()),
    );
    let closed = Signal::derive(move || known_topic.with(|t| t.as_ref().is_some_and(|t| t.closed)));
    let heading = move || match (known_topic.get(), topic.get()) {
        (Some(known), _) => format!("Exports of {}", known.name),
        (None, Some(_)) => "Exports of the typed topic".to_owned(),
        (None, None) => "Exports".to_owned(),
    };
    let words = ListWords {
        loading: "Loading exports…",
        no_tasks: Signal::derive(move || {
            if closed.get() {
                "This topic has no exports, and as it is closed none can be made."
            } else {
                "No exports of this topic yet. Create one with the form above."
            }
        }),
        no_match: "",
        choose: "Choose a topic above to see its exports.",
        gone: "",
    };

    view! {
        <section class="page">
            <header class="page-header">
                <h1>"CLS log exports"</h1>
                <p class="page-intro">
                    "Export logs of a Tencent Cloud CLS topic to a file (a .tar.gz of JSON lines or CSV). "
                    "An export queues, runs, and completes; CLS keeps its file for three days after that."
                </p>
            </header>
            <TopicPicker url=url.clone() topics=topics topic=topic/>
            <CreateExportForm topic=topic known_topic=known_topic closed=closed on_created=on_created/>
            <section class="tasks" aria-labelledby="tasks-heading">
                <div class="tasks-header">
                    <h2 id="tasks-heading">{heading}</h2>
                    <RefreshStatus refresh=list.refresh on_refresh=move || list.reload()/>
                </div>
                {move || topic.get().map(|id| view! {
                    <p class="muted cls-topic-line">"Topic id " <code class="cls-topic-id">{id}</code></p>
                })}
                <RowDeleteOutcome delete=deletion/>
                <TaskListView
                    list=list
                    columns=columns(list.rows, deletion)
                    words=words
                    caption="CLS log exports of the topic, newest first"
                    class="cls-table"
                />
            </section>
        </section>
    }
}

/// Choose a known topic from the list, or type any topic id.
#[component]
fn TopicPicker(url: UrlQuery, topics: Signal<Vec<ClsTopic>>, topic: Memo<Option<String>>) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    // The box follows the URL (a pick from the list, back, a shared link).
    Effect::new(move |_| typed.set(topic.get().unwrap_or_default()));
    let choose = {
        let url = url.clone();
        move |id: String| {
            error.set(None);
            url.set(&[("topic", Some(id)), ("offset", None)]);
        }
    };
    let pick = {
        let choose = choose.clone();
        move |ev: leptos::ev::Event| {
            let id = event_target_value(&ev);
            if !id.is_empty() {
                choose(id);
            }
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = typed.get_untracked().trim().to_owned();
        if id.is_empty() {
            error.set(Some("Type a topic id, or choose a topic from the list.".to_owned()));
            focus_first_invalid();
        } else {
            choose(id);
        }
    };
    let is_known = move || topic.get().is_some_and(|id| topics.with(|t| t.iter().any(|t| t.id == id)));
    view! {
        <form class="topic-picker" role="search" aria-label="Log topic" on:submit=submit novalidate=true>
            <div class="field">
                <label for="topic-select">"Topic"</label>
                <select id="topic-select" on:change=pick>
                    <option value="" selected=move || !is_known()>
                        {move || if topic.get().is_some() { "Another topic (typed id)" } else { "Choose a topic…" }}
                    </option>
                    <For each=move || topics.get() key=|t| t.id.clone() let:t>
                        {
                            let id = t.id.clone();
                            let label = if t.closed { format!("{} (closed)", t.name) } else { t.name.clone() };
                            view! {
                                <option value=t.id.clone() selected=move || topic.get().as_deref() == Some(id.as_str())>
                                    {label}
                                </option>
                            }
                        }
                    </For>
                </select>
            </div>
            <Field label="Or a topic id" id="topic-id" error=error hint="Any topic of the account, by its id.">
                <input type="text" id="topic-id" name="topic-id" placeholder="e.g. 2f6c1d3e-8a47-…" spellcheck="false"
                    prop:value=move || typed.get()
                    on:input=move |ev| typed.set(event_target_value(&ev))
                    aria-invalid=move || error.with(Option::is_some).to_string()
                    aria-describedby="topic-id-error"/>
            </Field>
            <button type="submit" class="button">"Show exports"</button>
        </form>
    }
}

fn export_key(export: &ExportInfo) -> TaskKey {
    TaskKey { id: export.export_id.clone(), version: format!("{}:{}", export.status, export.file_size) }
}

fn columns(rows: Memo<Vec<ExportInfo>>, deletion: RowDelete) -> Vec<Column<ExportInfo>> {
    vec![
        Column::new("Export", "col-name", |e: &ExportInfo| {
            view! {
                <code class="task-id">{e.export_id.clone()}</code>
                <span class="cls-file-name muted">{e.file_name.clone()}</span>
            }
        }),
        Column::new("Status", "col-status", |e: &ExportInfo| view! { <StatusBadge status=cls::task_status(e)/> }),
        Column::new("Logs", "col-logs", |e: &ExportInfo| {
            let syntax = SyntaxRule::ALL.iter().find(|r| r.number() == e.syntax_rule).map_or("?", |r| r.label());
            view! {
                <code class="cls-query">{e.query.clone()}</code>
                <span class="muted cls-range">
                    <span>{format!("{} →", format_local(e.from))}</span>
                    " "
                    <span>{format_local(e.to)}</span>
                </span>
                <span class="muted cls-shape">
                    {format!("{} logs · {} · {} · {syntax}", e.count, e.format, e.order)}
                </span>
            }
        }),
        Column::new("Created", "col-time", |e: &ExportInfo| match created_ms(e) {
            Some(ms) => view! { <Timestamp ms=ms/> }.into_any(),
            None => view! { <span>{e.create_time.clone()}</span> }.into_any(),
        }),
        Column::new("File", "col-file", |e: &ExportInfo| file_cell(e)),
        Column::new("Actions", "col-actions", move |e: &ExportInfo| {
            let id = e.export_id.clone();
            let completed = ExportStatus::parse(&e.status) == Some(ExportStatus::Completed);
            // The link is read from the latest listing: each hands out a fresh one-hour link.
            let link = {
                let id = id.clone();
                move || rows.with(|rows| rows.iter().find(|r| r.export_id == id).map(|r| r.cos_path.clone()))
            };
            view! {
                <div class="cls-actions">
                    {completed.then_some(move || view! { <DownloadLink link=link()/> })}
                    {deletion.button(id)}
                </div>
            }
        }),
    ]
}

/// File size and how long CLS keeps the file, by status.
fn file_cell(export: &ExportInfo) -> AnyView {
    match ExportStatus::parse(&export.status) {
        Some(ExportStatus::Completed) => {
            let expiry = expires_about(export).map(|ms| {
                view! {
                    <span class="muted cls-expiry"
                        title="CLS deletes the file three days after the export completed. DescribeExports does not say when that was, so this counts from its creation.">
                        "Kept until about " {format_local(ms)}
                    </span>
                }
            });
            view! { <span class="cls-size">{human_size(export.file_size)}</span> {expiry} }.into_any()
        }
        Some(ExportStatus::Expired) => view! {
            <span class="cls-size">{human_size(export.file_size)}</span>
            <span class="muted cls-expiry">"Expired: the file is gone (CLS keeps files three days)."</span>
        }
        .into_any(),
        Some(ExportStatus::Failed) => view! { <span class="muted">"No file"</span> }.into_any(),
        _ => view! { <span class="muted">"Not ready yet"</span> }.into_any(),
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

/// `512 B`, `1.5 KiB`, `23 MiB`: binary units, one decimal below ten.
fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["KiB", "MiB", "GiB", "TiB", "PiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if value < 10.0 {
        format!("{} {}", crate::fixed::fixed(value, 1), UNITS[unit])
    } else {
        format!("{} {}", crate::fixed::fixed(value, 0), UNITS[unit])
    }
}

/// Everything typed into the create form, as typed (nothing is lost on an error, nor when the
/// topic changes: the form outlives it).
#[derive(Debug, Clone, PartialEq)]
struct ExportDraft {
    query: String,
    start: String,
    end: String,
    count: String,
    order: String,
    format: String,
    syntax_rule: String,
    /// Comma- or line-separated log fields; empty keeps every field.
    fields: String,
}

impl ExportDraft {
    /// The form as it opens at `now_ms`: every log of the last hour, to the minute.
    fn new(now_ms: i64) -> Self {
        let (start, end) = last_span(now_ms, HOUR_MS);
        Self {
            query: "*".to_owned(),
            start,
            end,
            count: "1000".to_owned(),
            order: Order::Desc.as_str().to_owned(),
            format: Format::Json.as_str().to_owned(),
            syntax_rule: SyntaxRule::DEFAULT.as_str().to_owned(),
            fields: String::new(),
        }
    }
}

/// The `span_ms` up to the minute `now_ms` is in, as the time inputs show them.
fn last_span(now_ms: i64, span_ms: i64) -> (String, String) {
    let end = now_ms - now_ms.rem_euclid(MINUTE_MS);
    (ms_to_local_input(end - span_ms), ms_to_local_input(end))
}

/// Said in the form and its preview while no topic is chosen.
const NO_TOPIC: &str = "Choose a topic first: the export is made from it.";

/// Why no export can be made now whatever is typed: no topic chosen, or one CLS has closed.
fn blocked(topic: Option<&str>, closed: bool) -> Option<&'static str> {
    match (topic, closed) {
        (None, _) => Some(NO_TOPIC),
        (Some(_), true) => Some("The topic is closed: CLS refuses new exports from it."),
        (Some(_), false) => None,
    }
}

/// The create form of log exports. Its context is the topic shown: an answer counts only while
/// its topic is still shown.
struct ExportForm;

impl CreateSource for ExportForm {
    type Context = Option<String>;
    type Draft = ExportDraft;
    type Request = CreateExportRequest;
    type Problems = Violations;
    /// The new export's id.
    type Created = String;

    fn request(topic: &Option<String>, draft: &ExportDraft) -> Result<CreateExportRequest, Violations> {
        let mut violations = Violations::default();
        let from = optional_time_field(&mut violations, "From", &draft.start);
        let to = optional_time_field(&mut violations, "To", &draft.end);
        let count = match draft.count.trim() {
            "" => None,
            text => text
                .parse::<i64>()
                .map_err(|_| violations.push("Count", format!("must be a whole number from 1 to {COUNT_MAX}")))
                .ok(),
        };
        let fields: Vec<String> =
            draft.fields.split([',', '\n']).map(|f| f.trim().to_owned()).filter(|f| !f.is_empty()).collect();
        let request = CreateExportRequest {
            topic_id: topic.clone(),
            count,
            query: Some(draft.query.clone()),
            from,
            to,
            order: Some(draft.order.clone()),
            format: Some(draft.format.clone()),
            syntax_rule: draft.syntax_rule.parse().ok(),
            derived_fields: (!fields.is_empty()).then_some(fields),
        };
        let checked = request.validate();
        violations.merge_rules(checked).map(|_| request)
    }

    fn preview(_: &Option<String>, request: &CreateExportRequest) -> PreviewRequest {
        PreviewRequest::of_call(&cls::create_call(), request)
    }

    async fn create(_: &Option<String>, request: CreateExportRequest) -> Result<String, ApiError> {
        cls::create(&request).await.map(|answer| answer.export_id)
    }

    fn submit_label(_: &ExportDraft) -> &'static str {
        "Create export"
    }

    fn created_message(export_id: &String) -> String {
        format!("Export {export_id} created; it is highlighted in the list below.")
    }
}

#[component]
fn CreateExportForm(
    topic: Memo<Option<String>>,
    known_topic: Memo<Option<ClsTopic>>,
    #[prop(into)] closed: Signal<bool>,
    #[prop(into)] on_created: Callback<String>,
) -> impl IntoView {
    let now = || js_sys::Date::now() as i64;
    let why_blocked = move || blocked(topic.get().as_deref(), closed.get());
    let form =
        use_create_form::<ExportForm>(move || topic.get(), why_blocked, ExportDraft::new(now()), None, on_created);
    let (error_for, invalid) = (move |field| form.check.error_for(field), move |field| form.check.invalid(field));
    let preset = move |span_ms: i64| form.draft.update(|d| (d.start, d.end) = last_span(now(), span_ms));
    let topic_note = move || match (topic.get(), known_topic.get()) {
        (None, _) => Some(NO_TOPIC.to_owned()),
        (Some(_), Some(known)) if known.closed => Some(format!(
            "{} is closed: its log collection is switched off, so CLS refuses new exports from it \
             (FailedOperation.TopicClosed). Its existing exports are still listed below.",
            known.name
        )),
        (Some(_), Some(known)) => Some(format!("From topic {}.", known.name)),
        (Some(_), None) => Some("From the typed topic id (not one the server listed).".to_owned()),
    };
    let (query, count, fields) = (
        form.bind(|d| &d.query, |d| &mut d.query),
        form.bind(|d| &d.count, |d| &mut d.count),
        form.bind(|d| &d.fields, |d| &mut d.fields),
    );

    view! {
        <CreateFormView parts=form.parts() heading="New log export">
            <p class="cls-topic-note" class:closed=move || closed.get() role="note">{topic_note}</p>
            <div class="form-grid">
                <div class="field cls-query-field" class:invalid=move || invalid("Query").get()>
                    <label for="export-query">"Query"</label>
                    <textarea id="export-query" name="export-query" rows="2" spellcheck="false"
                        prop:value=move || query.get()
                        on:input=move |ev| query.set(event_target_value(&ev))
                        aria-invalid=move || invalid("Query").get().to_string()
                        aria-describedby="export-query-error"></textarea>
                    <p class="field-hint">"A search statement, e.g. status:500 AND method:\"POST\"; * for every log. No SQL (| …)."</p>
                    <p class="field-error" id="export-query-error" aria-live="polite">{move || error_for("Query").get()}</p>
                </div>
                <TimeRange
                    from=TimeEnd::new("export-from", format!("From ({})", zone_name()), form.bind(|d| &d.start, |d| &mut d.start), form.check, "From")
                    to=TimeEnd::new("export-to", format!("To ({}, excluded)", zone_name()), form.bind(|d| &d.end, |d| &mut d.end), form.check, "To")
                    presets=&[("Last 15 min", 15 * MINUTE_MS), ("Last hour", HOUR_MS), ("Last 24 h", 24 * HOUR_MS)]
                    on_preset=Callback::new(preset)/>
                <Field label="Count" id="export-count" error=error_for("Count")
                    hint="How many logs to export, 1 to 50,000,000.">
                    <input type="text" inputmode="numeric" id="export-count" name="export-count"
                        prop:value=move || count.get()
                        on:input=move |ev| count.set(event_target_value(&ev))
                        aria-invalid=move || invalid("Count").get().to_string()
                        aria-describedby="export-count-error"/>
                </Field>
                <Field label="Order" id="export-order" error=error_for("Order")>
                    <EnumSelect id="export-order" value=form.bind(|d| &d.order, |d| &mut d.order) invalid=invalid("Order")
                        options=Order::ALL.iter().map(|o| (o.as_str(), o.label())).collect()/>
                </Field>
                <Field label="Format" id="export-format" error=error_for("Format")>
                    <EnumSelect id="export-format" value=form.bind(|d| &d.format, |d| &mut d.format) invalid=invalid("Format")
                        options=Format::ALL.iter().map(|f| (f.as_str(), f.label())).collect()/>
                </Field>
                <Field label="Query syntax" id="export-syntax" error=error_for("SyntaxRule")>
                    <EnumSelect id="export-syntax" value=form.bind(|d| &d.syntax_rule, |d| &mut d.syntax_rule) invalid=invalid("SyntaxRule")
                        options=SyntaxRule::ALL.iter().rev().map(|r| (r.as_str(), r.label())).collect()/>
                </Field>
                <Field label="Fields (optional)" id="export-fields" error=error_for("DerivedFields")
                    hint="Comma-separated log fields to keep; empty keeps every field.">
                    <input type="text" id="export-fields" name="export-fields" spellcheck="false"
                        prop:value=move || fields.get()
                        on:input=move |ev| fields.set(event_target_value(&ev))
                        aria-invalid=move || invalid("DerivedFields").get().to_string()
                        aria-describedby="export-fields-error"/>
                </Field>
            </div>
            {move || error_for("TopicId").get().map(|m| format!("Topic: {m}"))
                .map(|text| view! { <p class="field-error" role="alert">{text}</p> })}
        </CreateFormView>
    }
}

/// For the Overview: the newest 100 exports of each topic the server names.
pub(super) async fn overview_tasks(config: DeskConfig, now_ms: i64) -> Result<Vec<OverviewTask>, ApiError> {
    let mut tasks = Vec::new();
    for topic in &config.providers.cls_topics {
        let request = DescribeExportsRequest {
            topic_id: Some(topic.id.clone()),
            offset: Some(0),
            limit: Some(i64::from(LIMIT_MAX)),
        };
        let answer = cls::describe(&request).await?;
        tasks.extend(answer.exports.into_iter().map(|export| {
            let created_ms = created_ms(&export).unwrap_or(now_ms);
            OverviewTask {
                href: format!("/cls/exports?topic={}", topic.id),
                status: cls::task_status(&export),
                title: format!("{}: {}", topic.name, export.query),
                id: export.export_id,
                created_ms,
                changed_ms: created_ms,
            }
        }));
    }
    Ok(tasks)
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
    fn sizes_read_in_binary_units() {
        assert_eq!(human_size(0), "0 B");
        assert_eq!(human_size(1023), "1023 B");
        assert_eq!(human_size(1024), "1.0 KiB");
        assert_eq!(human_size(1536), "1.5 KiB");
        assert_eq!(human_size(20 * 1024 * 1024), "20 MiB");
        assert_eq!(human_size(u64::MAX), "16384 PiB");
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

    fn topic(id: &str) -> Option<String> {
        Some(id.into())
    }

    /// A draft that passes: 37 logs of 2026-11-23 08:00 to 09:00 in the zone the form reads.
    fn valid_draft() -> ExportDraft {
        ExportDraft {
            query: "status:500".into(),
            start: "2026-11-23T08:00".into(),
            end: "2026-11-23T09:00".into(),
            count: " 37 ".into(),
            fields: "a, b\n\nc".into(),
            ..ExportDraft::new(0)
        }
    }

    #[test]
    fn a_valid_draft_gives_exactly_the_request_sent() {
        let ms = crate::components::time::local_input_to_ms;
        let request = ExportForm::request(&topic("t-1"), &valid_draft()).unwrap();
        assert_eq!(
            request,
            CreateExportRequest {
                topic_id: Some("t-1".into()),
                count: Some(37),
                query: Some("status:500".into()),
                from: ms("2026-11-23T08:00"),
                to: ms("2026-11-23T09:00"),
                order: Some("desc".into()),
                format: Some("json".into()),
                syntax_rule: Some(1),
                derived_fields: Some(vec!["a".into(), "b".into(), "c".into()]),
            }
        );
        let every_field = ExportForm::request(&topic("t-1"), &ExportDraft { fields: " , ".into(), ..valid_draft() });
        assert_eq!(every_field.unwrap().derived_fields, None);
    }

    #[test]
    fn each_mistake_is_reported_on_its_field() {
        let refused = |draft: ExportDraft| ExportForm::request(&topic("t-1"), &draft).unwrap_err();
        let zero = refused(ExportDraft { count: "0".into(), ..valid_draft() });
        assert_eq!(zero.for_field("Count"), Some("must be from 1 to 50000000, not 0"));
        let words = refused(ExportDraft { count: "twelve".into(), ..valid_draft() });
        assert_eq!(words.for_field("Count"), Some("must be a whole number from 1 to 50000000"));
        assert_eq!(words.iter().count(), 1, "the rule about a missing count is not added: {words}");
        let backwards =
            refused(ExportDraft { start: "2026-11-23T09:00".into(), end: "2026-11-23T08:00".into(), ..valid_draft() });
        assert_eq!(backwards.for_field("To"), Some("must be after From"));
        let unreadable = refused(ExportDraft { end: "soon".into(), ..valid_draft() });
        assert_eq!(unreadable.for_field("To"), Some("is not a valid date and time"));
        let sql = refused(ExportDraft { query: "* | select count(*)".into(), ..valid_draft() });
        assert!(sql.for_field("Query").is_some_and(|m| m.contains("SQL")));
        let no_topic = ExportForm::request(&None, &valid_draft()).unwrap_err();
        assert!(no_topic.for_field("TopicId").is_some());
    }

    #[test]
    fn nothing_is_sent_without_a_topic_or_from_a_closed_one() {
        assert_eq!(blocked(Some("t-1"), false), None);
        assert_eq!(blocked(None, false), Some(NO_TOPIC));
        assert!(blocked(Some("t-1"), true).is_some_and(|reason| reason.contains("closed")));
    }

    #[test]
    fn the_form_opens_on_the_last_hour_to_the_minute() {
        let now = crate::components::time::local_input_to_ms("2026-11-23T09:41").unwrap() + 30_000;
        let draft = ExportDraft::new(now);
        assert_eq!((draft.start.as_str(), draft.end.as_str()), ("2026-11-23T08:41", "2026-11-23T09:41"));
        assert_eq!(last_span(now, 15 * MINUTE_MS).0, "2026-11-23T09:26");
    }
}
