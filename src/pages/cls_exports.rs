//! Tencent Cloud CLS log exports: pick a log topic, export its logs to a file, watch the export
//! run, download the file while CLS keeps it, delete exports.
//!
//! The topic is the list's only filter (DescribeExports has no other, and no sort: newest first),
//! so it lives in the URL as `?topic=…` beside the paging (`offset`, `limit` ≤ 100). Known topics
//! come from `/_desk/config`; any other id may be typed, and CLS says whether it exists.

use crate::api::{cls, ApiError};
use crate::components::time::{format_local, ms_to_local_input, optional_time_field, zone_name};
use crate::components::{
    focus_first_invalid, violation_lines, Column, ConfirmButton, DateTimeInput, DownloadLink, EnumSelect, ErrorView,
    Field, FormCheck, OffsetPage, Pager, PreviewRequest, RefreshStatus, RequestPreview, StatusBadge, TaskKey,
    TaskTable, Timestamp,
};
use crate::hooks::{use_auto_refresh, use_url_query, RefreshOutcome, UrlQuery};
use crate::DeskResource;
use export_desk_model::desk::ClsTopic;
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

/// A finished DescribeExports call with the request it answers, so the page can tell a fresh
/// answer from one still shown for the previous topic or page.
#[derive(Debug, Clone, PartialEq)]
struct Loaded {
    request: ListRequest,
    result: Result<DescribeExportsResponse, ApiError>,
}

#[component]
pub fn ClsExportsPage() -> impl IntoView {
    let url = use_url_query();
    let desk = use_context::<DeskResource>();
    let config = move || desk.and_then(|desk| desk.get()).and_then(Result::ok);
    let topics = Signal::derive(move || config().map(|c| c.providers.cls_topics).unwrap_or_default());

    let topic = Memo::new({
        let url = url.clone();
        move |_| url.get("topic").map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
    });
    let known_topic = Memo::new(move |_| {
        let id = topic.get()?;
        topics.with(|topics| topics.iter().find(|t| t.id == id).cloned())
    });
    let list_request = Memo::new({
        let url = url.clone();
        move |_| {
            let limit = url.get("limit").and_then(|v| v.parse().ok()).filter(|l| PAGE_SIZES.contains(l));
            Some(ListRequest {
                topic_id: topic.get()?,
                offset: url.get("offset").and_then(|v| v.parse().ok()).unwrap_or(0),
                limit: limit.unwrap_or(LIMIT_DEFAULT),
            })
        }
    });

    let reload = RwSignal::new(0u64);
    let exports = LocalResource::new(move || {
        let request = list_request.get();
        reload.track();
        async move {
            let request = request?;
            let call = DescribeExportsRequest {
                topic_id: Some(request.topic_id.clone()),
                offset: Some(request.offset as i64),
                limit: Some(i64::from(request.limit)),
            };
            let result = cls::describe(&call).await;
            Some(Loaded { request, result })
        }
    });
    // The answer to what the URL asks for now; `None` while that is loading.
    let fresh = Memo::new(move |_| {
        let current = list_request.get()?;
        exports.get().flatten().filter(|loaded| loaded.request == current)
    });
    // The last good page, kept through refreshes and failed loads so rows and scroll stay put.
    let last_good = RwSignal::new(None::<(ListRequest, DescribeExportsResponse)>);
    Effect::new(move |_| {
        if let Some(Some(Loaded { request, result: Ok(list) })) = exports.get() {
            last_good.set(Some((request, list)));
        }
    });
    let shown = Memo::new(move |_| {
        let topic = topic.get()?;
        last_good.get().filter(|(request, _)| request.topic_id == topic)
    });
    let rows = Memo::new(move |_| shown.with(|s| s.as_ref().map(|(_, list)| list.exports.clone()).unwrap_or_default()));
    let page = Memo::new(move |_| {
        shown.with(|s| {
            s.as_ref().map(|(request, list)| OffsetPage {
                offset: request.offset,
                limit: request.limit,
                total: list.total_count,
            })
        })
    });

    let outcome = Signal::derive(move || match exports.get() {
        None => RefreshOutcome::Pending,
        Some(None) => RefreshOutcome::AllFinished,
        Some(Some(Loaded { result: Err(_), .. })) => RefreshOutcome::Failed,
        Some(Some(Loaded { result: Ok(list), .. })) => {
            if list.exports.iter().any(|e| cls::task_status(e).kind.is_unfinished()) {
                RefreshOutcome::Unfinished
            } else {
                RefreshOutcome::AllFinished
            }
        }
    });
    let refresh = use_auto_refresh(outcome, move || reload.update(|n| *n += 1));

    let highlighted = RwSignal::new(None::<String>);
    let on_created = {
        let url = url.clone();
        move |export_id: String| {
            highlighted.set(Some(export_id));
            // The newest export is the first row of the first page.
            url.set(&[("offset", None)]);
            reload.update(|n| *n += 1);
        }
    };

    let deletion = Deletion::new(move || reload.update(|n| *n += 1));
    let (url_for_offset, url_for_limit) = (url.clone(), url.clone());
    let set_offset = move |offset: u64| url_for_offset.set_offset(offset);
    let set_limit = move |limit: u32| url_for_limit.set_limit(limit);
    let first_page = {
        let url = url.clone();
        move |_| url.set(&[("offset", None)])
    };
    let closed = Signal::derive(move || known_topic.with(|t| t.as_ref().is_some_and(|t| t.closed)));
    let heading = move || match (known_topic.get(), topic.get()) {
        (Some(known), _) => format!("Exports of {}", known.name),
        (None, Some(_)) => "Exports of the typed topic".to_owned(),
        (None, None) => "Exports".to_owned(),
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
                    <RefreshStatus refresh=refresh on_refresh=move || reload.update(|n| *n += 1)/>
                </div>
                {move || topic.get().map(|id| view! {
                    <p class="muted cls-topic-line">"Topic id " <code class="cls-topic-id">{id}</code></p>
                })}
                {move || deletion.error.get().map(|error| view! { <ErrorView error=error/> })}
                <p class="form-status" role="status">{move || deletion.done.get()}</p>
                <Transition fallback=|| view! { <p class="loading" role="status">"Loading exports…"</p> }>
                    {move || {
                        exports.track();
                        list_state(topic.get(), fresh.get(), closed.get())
                            .map(|state| state.view(reload, first_page.clone()))
                    }}
                </Transition>
                // One table for the page's life: refreshes only touch the rows that changed.
                <div class="cls-table" hidden=move || rows.with(Vec::is_empty)>
                    <TaskTable
                        rows=rows
                        columns=columns(rows, deletion)
                        key=export_key
                        highlighted=highlighted
                        caption="CLS log exports of the topic, newest first"
                    />
                    <Pager page=page page_sizes=PAGE_SIZES on_offset=set_offset on_limit=set_limit/>
                </div>
            </section>
        </section>
    }
}

/// What the list area says besides the table: the states that have no rows.
enum ListState {
    NoTopic,
    Loading,
    Failed(ApiError),
    /// The topic has no exports; `closed` says why none can be made either.
    Empty {
        closed: bool,
    },
    /// Exports exist, but not on this page (the list got shorter).
    PastTheEnd,
}

fn list_state(topic: Option<String>, fresh: Option<Loaded>, closed: bool) -> Option<ListState> {
    if topic.is_none() {
        return Some(ListState::NoTopic);
    }
    match fresh.map(|loaded| loaded.result) {
        None => Some(ListState::Loading),
        Some(Err(error)) => Some(ListState::Failed(error)),
        Some(Ok(list)) if list.exports.is_empty() && list.total_count == 0 => Some(ListState::Empty { closed }),
        Some(Ok(list)) if list.exports.is_empty() => Some(ListState::PastTheEnd),
        Some(Ok(_)) => None,
    }
}

impl ListState {
    fn view(self, reload: RwSignal<u64>, first_page: impl Fn(leptos::ev::MouseEvent) + 'static) -> AnyView {
        match self {
            ListState::NoTopic => view! {
                <div class="empty-state" role="status"><p>"Choose a topic above to see its exports."</p></div>
            }
            .into_any(),
            ListState::Loading => view! { <p class="loading" role="status">"Loading exports…"</p> }.into_any(),
            ListState::Failed(error) => view! {
                <ErrorView error=error on_retry=move |_| reload.update(|n| *n += 1)/>
            }
            .into_any(),
            ListState::Empty { closed } => {
                let text = if closed {
                    "This topic has no exports, and as it is closed none can be made."
                } else {
                    "No exports of this topic yet. Create one with the form above."
                };
                view! { <div class="empty-state" role="status"><p>{text}</p></div> }.into_any()
            }
            ListState::PastTheEnd => view! {
                <div class="empty-state" role="status">
                    <p>"Nothing on this page: the list is shorter now."</p>
                    <button type="button" class="button" on:click=first_page>"Go to the first page"</button>
                </div>
            }
            .into_any(),
        }
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

fn columns(rows: Memo<Vec<ExportInfo>>, deletion: Deletion) -> Vec<Column<ExportInfo>> {
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

/// DeleteExport with an inline confirmation: which row asks, the call, and how it went.
#[derive(Clone, Copy)]
struct Deletion {
    confirming: RwSignal<Option<String>>,
    /// Answers the id it deleted with the outcome: another row may be asking by the time it lands.
    action: Action<String, (String, Result<(), ApiError>)>,
    error: RwSignal<Option<ApiError>>,
    done: RwSignal<Option<String>>,
}

impl Deletion {
    fn new(on_deleted: impl Fn() + 'static) -> Self {
        let action = Action::new_local(|id: &String| {
            let id = id.clone();
            async move {
                let result = cls::delete(&id).await.map(drop);
                (id, result)
            }
        });
        let deletion =
            Self { confirming: RwSignal::new(None), action, error: RwSignal::new(None), done: RwSignal::new(None) };
        Effect::new(move |_| {
            action.version().track();
            let Some((id, result)) = action.value().get_untracked() else { return };
            // Only this export's question closes; one asked since stays open.
            if deletion.confirming.get_untracked().as_deref() == Some(id.as_str()) {
                deletion.confirming.set(None);
            }
            match result {
                Ok(()) => {
                    deletion.error.set(None);
                    deletion.done.set(Some(format!("Export {id} deleted.")));
                    on_deleted();
                }
                Err(error) => {
                    deletion.done.set(None);
                    deletion.error.set(Some(error));
                }
            }
        });
        // Asking about a deletion puts the outcome of the last one out of date.
        Effect::new(move |_| {
            if deletion.confirming.with(Option::is_some) {
                deletion.done.set(None);
                deletion.error.set(None);
            }
        });
        deletion
    }

    /// A row's "Delete", confirmed in place.
    fn button(self, id: String) -> impl IntoView {
        let on_confirm = Callback::new({
            let id = id.clone();
            move |()| {
                self.action.dispatch_local(id.clone());
            }
        });
        view! {
            <ConfirmButton
                id=id.clone()
                confirming=self.confirming
                label="Delete"
                aria_label=format!("Delete export {id}")
                question="Delete this export?"
                confirm_label="Yes, delete"
                pending_label="Deleting…"
                pending=self.action.pending()
                on_confirm=on_confirm
            />
        }
    }
}

/// Everything typed into the create form, kept as typed (nothing is lost on an error, nor when
/// the topic changes: the form outlives it).
#[derive(Clone, Copy)]
struct FormState {
    query: RwSignal<String>,
    start: RwSignal<String>,
    end: RwSignal<String>,
    count: RwSignal<String>,
    order: RwSignal<String>,
    format: RwSignal<String>,
    syntax_rule: RwSignal<String>,
    fields: RwSignal<String>,
}

impl FormState {
    fn new() -> Self {
        let end = now_to_the_minute();
        Self {
            query: RwSignal::new("*".to_owned()),
            start: RwSignal::new(ms_to_local_input(end - HOUR_MS)),
            end: RwSignal::new(ms_to_local_input(end)),
            count: RwSignal::new("1000".to_owned()),
            order: RwSignal::new(Order::Desc.as_str().to_owned()),
            format: RwSignal::new(Format::Json.as_str().to_owned()),
            syntax_rule: RwSignal::new(SyntaxRule::DEFAULT.as_str().to_owned()),
            fields: RwSignal::new(String::new()),
        }
    }

    /// Subscribes the running effect to every field (`to_request` reads untracked).
    fn track(self) {
        for text in [self.query, self.start, self.end, self.count, self.order, self.format, self.syntax_rule] {
            text.track();
        }
        self.fields.track();
    }

    /// The CreateExport body, checked by the rules the server applies (the model crate's).
    fn to_request(self, topic_id: Option<String>) -> Result<CreateExportRequest, Violations> {
        let mut violations = Violations::default();
        let from = optional_time_field(&mut violations, "From", &self.start.get_untracked());
        let to = optional_time_field(&mut violations, "To", &self.end.get_untracked());
        let count = match self.count.get_untracked().trim() {
            "" => None,
            text => text.parse::<i64>().map_err(|_| violations.push("Count", count_rule())).ok(),
        };
        let fields: Vec<String> = self
            .fields
            .get_untracked()
            .split([',', '\n'])
            .map(|f| f.trim().to_owned())
            .filter(|f| !f.is_empty())
            .collect();
        let request = CreateExportRequest {
            topic_id,
            count,
            query: Some(self.query.get_untracked()),
            from,
            to,
            order: Some(self.order.get_untracked()),
            format: Some(self.format.get_untracked()),
            syntax_rule: self.syntax_rule.get_untracked().parse().ok(),
            derived_fields: (!fields.is_empty()).then_some(fields),
        };
        if let Err(rules) = request.validate() {
            for rule in rules.iter() {
                if violations.for_field(rule.field).is_none() {
                    violations.push(rule.field, rule.message.clone());
                }
            }
        }
        violations.into_result(request)
    }
}

fn count_rule() -> String {
    format!("must be a whole number from 1 to {COUNT_MAX}")
}

fn now_to_the_minute() -> i64 {
    let now = js_sys::Date::now() as i64;
    now - now.rem_euclid(MINUTE_MS)
}

#[component]
fn CreateExportForm(
    topic: Memo<Option<String>>,
    known_topic: Memo<Option<ClsTopic>>,
    #[prop(into)] closed: Signal<bool>,
    #[prop(into)] on_created: Callback<String>,
) -> impl IntoView {
    let form = FormState::new();
    let check = FormCheck::new(move || {
        form.track();
        form.to_request(topic.get()).err().unwrap_or_default()
    });
    // Answers with the topic it was sent for: the picker stays usable while a create is on its
    // way, and an answer about another topic than the one shown is not this page's to show.
    let create = Action::new_local(|request: &CreateExportRequest| {
        let request = request.clone();
        async move {
            let result = cls::create(&request).await;
            (request.topic_id, result)
        }
    });
    let answer_for_shown_topic = move |sent_for: &Option<String>| *sent_for == topic.get_untracked();
    let created = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        create.version().track();
        match create.value().get_untracked() {
            Some((sent_for, _)) if !answer_for_shown_topic(&sent_for) => created.set(None),
            Some((_, Ok(answer))) => {
                created.set(Some(answer.export_id.clone()));
                on_created.run(answer.export_id);
            }
            Some((_, Err(_))) | None => created.set(None),
        }
    });
    // What the last create answered (a refusal such as `ResourceNotFound.TopicNotExist`, or the
    // new export) was about the topic it was sent for.
    Effect::new(move |previous: Option<()>| {
        topic.track();
        if previous.is_some() {
            create.value().set(None);
            created.set(None);
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if closed.get_untracked() {
            return;
        }
        if let Some(request) = check.submit(form.to_request(topic.get_untracked())) {
            create.dispatch_local(request);
        }
    };
    let (error_for, invalid) = (move |field| check.error_for(field), move |field| check.invalid(field));
    let preset = move |span_ms: i64| {
        let end = now_to_the_minute();
        form.start.set(ms_to_local_input(end - span_ms));
        form.end.set(ms_to_local_input(end));
    };
    let server_error = move || match create.value().get() {
        Some((sent_for, Err(error))) if answer_for_shown_topic(&sent_for) => Some(error),
        _ => None,
    };
    let topic_note = move || match (topic.get(), known_topic.get()) {
        (None, _) => Some("Choose a topic first: the export is made from it.".to_owned()),
        (Some(_), Some(known)) if known.closed => Some(format!(
            "{} is closed: its log collection is switched off, so CLS refuses new exports from it \
             (FailedOperation.TopicClosed). Its existing exports are still listed below.",
            known.name
        )),
        (Some(_), Some(known)) => Some(format!("From topic {}.", known.name)),
        (Some(_), None) => Some("From the typed topic id (not one the server listed).".to_owned()),
    };
    let blocked = move || topic.get().is_none() || closed.get() || create.pending().get();
    let preview = Signal::derive(move || {
        form.track();
        if closed.get() {
            return Err(vec!["The topic is closed: CLS refuses new exports from it.".to_owned()]);
        }
        let request = form.to_request(topic.get()).map_err(|violations| violation_lines(&violations))?;
        Ok(PreviewRequest::of_call(&cls::create_call(), &request))
    });

    view! {
        <form class="create-form" on:submit=submit novalidate=true aria-labelledby="create-heading">
            <h2 id="create-heading">"New log export"</h2>
            <p class="cls-topic-note" class:closed=move || closed.get() role="note">{topic_note}</p>
            <div class="form-grid">
                <div class="field cls-query-field" class:invalid=move || invalid("Query").get()>
                    <label for="export-query">"Query"</label>
                    <textarea id="export-query" name="export-query" rows="2" spellcheck="false"
                        prop:value=move || form.query.get()
                        on:input=move |ev| form.query.set(event_target_value(&ev))
                        aria-invalid=move || invalid("Query").get().to_string()
                        aria-describedby="export-query-error"></textarea>
                    <p class="field-hint">"A search statement, e.g. status:500 AND method:\"POST\"; * for every log. No SQL (| …)."</p>
                    <p class="field-error" id="export-query-error" aria-live="polite">{move || error_for("Query").get()}</p>
                </div>
                <div class="time-range">
                    <Field label=format!("From ({})", zone_name()) id="export-from" error=error_for("From")>
                        <DateTimeInput id="export-from" value=form.start invalid=invalid("From")/>
                    </Field>
                    <Field label=format!("To ({}, excluded)", zone_name()) id="export-to" error=error_for("To")>
                        <DateTimeInput id="export-to" value=form.end invalid=invalid("To")/>
                    </Field>
                    <div class="presets" role="group" aria-label="Quick ranges">
                        <button type="button" class="button subtle" on:click=move |_| preset(15 * MINUTE_MS)>"Last 15 min"</button>
                        <button type="button" class="button subtle" on:click=move |_| preset(HOUR_MS)>"Last hour"</button>
                        <button type="button" class="button subtle" on:click=move |_| preset(24 * HOUR_MS)>"Last 24 h"</button>
                    </div>
                </div>
                <Field label="Count" id="export-count" error=error_for("Count")
                    hint="How many logs to export, 1 to 50,000,000.">
                    <input type="text" inputmode="numeric" id="export-count" name="export-count"
                        prop:value=move || form.count.get()
                        on:input=move |ev| form.count.set(event_target_value(&ev))
                        aria-invalid=move || invalid("Count").get().to_string()
                        aria-describedby="export-count-error"/>
                </Field>
                <Field label="Order" id="export-order" error=error_for("Order")>
                    <EnumSelect id="export-order" value=form.order invalid=invalid("Order")
                        options=Order::ALL.iter().map(|o| (o.as_str(), o.label())).collect()/>
                </Field>
                <Field label="Format" id="export-format" error=error_for("Format")>
                    <EnumSelect id="export-format" value=form.format invalid=invalid("Format")
                        options=Format::ALL.iter().map(|f| (f.as_str(), f.label())).collect()/>
                </Field>
                <Field label="Query syntax" id="export-syntax" error=error_for("SyntaxRule")>
                    <EnumSelect id="export-syntax" value=form.syntax_rule invalid=invalid("SyntaxRule")
                        options=SyntaxRule::ALL.iter().rev().map(|r| (r.as_str(), r.label())).collect()/>
                </Field>
                <Field label="Fields (optional)" id="export-fields" error=error_for("DerivedFields")
                    hint="Comma-separated log fields to keep; empty keeps every field.">
                    <input type="text" id="export-fields" name="export-fields" spellcheck="false"
                        prop:value=move || form.fields.get()
                        on:input=move |ev| form.fields.set(event_target_value(&ev))
                        aria-invalid=move || invalid("DerivedFields").get().to_string()
                        aria-describedby="export-fields-error"/>
                </Field>
            </div>
            {move || error_for("TopicId").get().map(|m| format!("Topic: {m}"))
                .map(|text| view! { <p class="field-error" role="alert">{text}</p> })}
            {move || server_error().map(|error| view! { <ErrorView error=error/> })}
            <div class="form-actions">
                <button type="submit" class="button primary" disabled=blocked>
                    {move || if create.pending().get() { "Creating…" } else { "Create export" }}
                </button>
                <span class="form-status" role="status">
                    {move || created.get().filter(|_| !create.pending().get())
                        .map(|id| format!("Export {id} created; it is highlighted in the list below."))}
                </span>
            </div>
            <RequestPreview request=preview/>
        </form>
    }
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
    fn the_list_state_names_what_has_no_rows() {
        let request = ListRequest { topic_id: "t".into(), offset: 0, limit: 20 };
        let answer = |exports: Vec<ExportInfo>, total_count| Loaded {
            request: request.clone(),
            result: Ok(DescribeExportsResponse { exports, total_count, request_id: "r".into() }),
        };
        let state = |fresh, closed| list_state(Some("t".into()), fresh, closed);
        assert!(matches!(list_state(None, None, false), Some(ListState::NoTopic)));
        assert!(matches!(state(None, false), Some(ListState::Loading)));
        assert!(matches!(state(Some(answer(vec![], 0)), true), Some(ListState::Empty { closed: true })));
        assert!(matches!(state(Some(answer(vec![], 5)), false), Some(ListState::PastTheEnd)));
        assert!(state(Some(answer(vec![export("", Some(1))], 1)), false).is_none());
        let failed = Loaded { request, result: Err(ApiError::Network("down".into())) };
        assert!(matches!(state(Some(failed), false), Some(ListState::Failed(_))));
    }
}
