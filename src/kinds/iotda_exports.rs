//! Huawei Cloud IoTDA resource exports: export a batch task's results as a zip, watch the task
//! run, download the file (IoTDA allows one download every 30 s, shown as a countdown), delete.
//!
//! Every call names the project (and instance) `/_desk/config` gives; without one the page says
//! why instead of calling. The list pages by marker (the stack of markers lives in the URL).

use super::OverviewTask;
use crate::api::status::StatusKind;
use crate::api::status::TaskStatus;
use crate::api::{desk, iotda, ApiError};
use crate::components::{
    Column, EnumSelect, ErrorView, Field, KindUnavailable, MarkerPage, MarkerPosition, PreviewRequest, RefreshStatus,
    StatusBadge, TaskKey, Timestamp,
};
use crate::task_page::{
    use_create_form, use_task_list, CreateFormView, CreateSource, DeleteWords, Filter, FilterValues, Filters,
    ListSource, ListWords, Paging, RowDelete, RowDeleteOutcome, TaskFilterBar, TaskListView,
};
use crate::DeskResource;
use export_desk_model::desk::DeskConfig;
use export_desk_model::desk::IotdaProject;
use export_desk_model::huawei_iotda::{
    error_code, AddExportTask, AppType, ExportFormat, ExportSpec, ExportTask, ListExportTasksQuery,
    ListExportTasksResponse, ResourceType, DOWNLOAD_INTERVAL_MS, LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX,
    UNFINISHED_PER_USER_MAX,
};
use export_desk_model::validation::Violations;
use leptos::prelude::*;
use serde_json::{Map, Value};
use std::time::Duration;

const PAGE_SIZES: &[u32] = &[10, 20, LIST_LIMIT_MAX];
/// The URL keys of the list filters; paging keys are `markers`, `offset` and `limit`.
const FILTER_KEYS: [&str; 3] = ["batch_task_id", "app_type", "app_id"];

#[component]
pub fn IotdaExportsPage() -> impl IntoView {
    let desk: DeskResource = use_context().unwrap_or_else(|| LocalResource::new(desk::config));
    view! {
        <section class="page iotda-exports">
            <header class="page-header">
                <h1>"IoTDA exports"</h1>
                <p class="page-intro">
                    "Export the results of a Huawei Cloud IoTDA batch task as a zipped Excel file. A task runs "
                    "for a while; the list refreshes itself until it is done. IoTDA keeps 50 tasks, runs at most "
                    "5 at a time and serves one download every 30 seconds."
                </p>
            </header>
            // Not a Transition: the page's own resources must not hold this one back.
            {move || match desk.get() {
                None => view! { <p class="loading" role="status">"Loading the server's settings…"</p> }.into_any(),
                Some(config) => match config {
                    Err(error) => view! { <ErrorView error=error on_retry=move |_| desk.refetch()/> }.into_any(),
                    Ok(config) => match desk::iotda_project(&config) {
                        Some(project) => view! { <IotdaExports project=project.clone()/> }.into_any(),
                        // The gate says why before this page is built; this is for a page built
                        // without it (no server description in context).
                        None => match super::KindEntry::at("/iotda/exports")
                            .and_then(|kind| (kind.unavailable)(&config).map(|unavailable| (kind, unavailable)))
                        {
                            Some((kind, unavailable)) => view! { <KindUnavailable kind=kind unavailable=unavailable/> }.into_any(),
                            None => ().into_any(),
                        },
                    },
                },
            }}
        </section>
    }
}

/// One ListExportTasks call, with the position and page size it asks for, so the pager
/// describes the page shown, not the one the URL already moved to.
#[derive(Debug, Clone, PartialEq)]
struct TaskQuery {
    position: MarkerPosition,
    limit: u32,
    call: ListExportTasksQuery,
}

/// The batch-task exports of the project: marker paging and three filters in the URL.
struct ExportList;

impl ListSource for ExportList {
    type Context = IotdaProject;
    type Query = TaskQuery;
    type Answer = ListExportTasksResponse;
    type Row = ExportTask;
    type Page = MarkerPage;

    const PAGING: Paging = Paging::MARKER;
    const FILTER_KEYS: &'static [&'static str] = &FILTER_KEYS;
    const PAGE_SIZES: &'static [u32] = PAGE_SIZES;

    /// Batch task and scope, applied on submit and checked by the API's own rules; the
    /// application id only for an application scope.
    fn filters() -> Filters {
        let app = AppType::App.as_str();
        Filters::new(
            "filters iotda-filters",
            vec![
                Filter::text("batch_task_id", "filter-batch-task-id", "Batch task id", "exact id"),
                Filter::choice(
                    "app_type",
                    "filter-app-type",
                    "Scope",
                    [("", "Whole tenant"), (app, "One application")],
                ),
                Filter::text("app_id", "filter-app-id", "Application id", "default application")
                    .enabled_when("app_type", app),
            ],
        )
        .buttons(Some("Filter"), "Clear")
        .check(filters_the_api_accepts)
    }

    fn query(url: &dyn Fn(&str) -> Option<String>) -> Option<TaskQuery> {
        let position = MarkerPosition::from_query(url("markers").as_deref(), url("offset").as_deref());
        let limit =
            url("limit").and_then(|v| v.parse().ok()).filter(|l| PAGE_SIZES.contains(l)).unwrap_or(LIST_LIMIT_DEFAULT);
        let call = ListExportTasksQuery {
            resource_type: Some(ResourceType::BatchTask.as_str().to_owned()),
            resource_condition: url("batch_task_id").map(|id| condition_json(&id)),
            limit: Some(limit.to_string()),
            marker: position.marker().map(str::to_owned),
            offset: (position.request_offset() > 0).then(|| position.request_offset().to_string()),
            app_type: url("app_type"),
            app_id: url("app_id"),
        };
        Some(TaskQuery { position, limit, call })
    }

    fn same_filters(a: &TaskQuery, b: &TaskQuery) -> bool {
        let (a, b) = (&a.call, &b.call);
        (&a.resource_type, &a.resource_condition, &a.app_type, &a.app_id)
            == (&b.resource_type, &b.resource_condition, &b.app_type, &b.app_id)
    }

    async fn list(project: &IotdaProject, query: &TaskQuery) -> Result<ListExportTasksResponse, ApiError> {
        iotda::list(project, &query.call).await
    }

    fn rows(answer: &ListExportTasksResponse) -> &[ExportTask] {
        &answer.export_tasks
    }

    fn total(answer: &ListExportTasksResponse) -> Option<u64> {
        Some(answer.page.count)
    }

    fn page(query: &TaskQuery, answer: &ListExportTasksResponse) -> MarkerPage {
        MarkerPage {
            position: query.position.clone(),
            limit: query.limit,
            rows: answer.export_tasks.len() as u32,
            total: Some(answer.page.count),
            last_marker: answer.page.marker.clone(),
        }
    }

    fn page_target(position: MarkerPosition) -> Vec<(&'static str, Option<String>)> {
        vec![("markers", position.markers_query()), ("offset", position.offset_query())]
    }

    fn key(task: &ExportTask) -> TaskKey {
        task_key(task)
    }

    fn status(task: &ExportTask) -> TaskStatus {
        iotda::task_status(task)
    }
}

#[component]
fn IotdaExports(project: IotdaProject) -> impl IntoView {
    // Whether any task of the user is unfinished (from the census below): keeps the list refreshing.
    let census_unfinished = RwSignal::new(false);
    let list = use_task_list::<ExportList>(project.clone(), census_unfinished.into());
    // Every task of the user (IoTDA keeps at most 50, one page of 50), whatever page is shown:
    // what the five-unfinished warning counts and what keeps the page refreshing. Loaded again
    // with every reload of the list (refresh, create, delete), not with its paging or filters.
    let census = LocalResource::new({
        let project = project.clone();
        move || {
            list.track_reloads();
            let project = project.clone();
            async move {
                let query = ListExportTasksQuery {
                    resource_type: Some(ResourceType::BatchTask.as_str().to_owned()),
                    limit: Some(LIST_LIMIT_MAX.to_string()),
                    ..Default::default()
                };
                iotda::list(&project, &query).await.map(|list| list.export_tasks)
            }
        }
    });
    let unfinished_tasks = Signal::derive(move || match census.get() {
        Some(Ok(tasks)) => tasks.into_iter().filter(|t| iotda::task_status(t).kind.is_unfinished()).collect(),
        _ => Vec::new(),
    });
    Effect::new(move |_| {
        census_unfinished.set(matches!(census.get(), Some(Ok(tasks)) if iotda::unfinished(&tasks) > 0));
    });
    let refresh_now = move || list.reload();
    let on_created = Callback::new(move |task: ExportTask| list.show_created(Some(task.export_task_id), &[]));
    let actions = RowActions::new(project.clone(), Callback::new(move |()| refresh_now()));
    let words = ListWords {
        loading: "Loading export tasks…",
        no_tasks: Signal::stored("No export tasks yet. Create one with the form above."),
        no_match: "No export tasks match these filters.",
        choose: "",
        gone: "",
    };

    view! {
        <CreateExportForm project=project.clone() unfinished=unfinished_tasks on_created=on_created/>
        <section class="tasks" aria-labelledby="tasks-heading">
            <div class="tasks-header">
                <h2 id="tasks-heading">"Export tasks"</h2>
                <RefreshStatus refresh=list.refresh on_refresh=move || refresh_now()/>
            </div>
            <TaskFilterBar list=list/>
            <p class="muted iotda-order">"Newest first, the only order IoTDA lists in."</p>
            {move || actions.error.get().map(|error| view! { <ErrorView error=error/> })}
            <RowDeleteOutcome delete=actions.delete/>
            {move || actions.wait_left.get().map(|secs| view! {
                <p class="iotda-download-wait" role="timer">
                    {format!("IoTDA serves one download every 30 seconds: the next is possible in {secs} s.")}
                </p>
            })}
            <TaskListView
                list=list
                columns=columns(actions)
                words=words
                caption="IoTDA export tasks, newest first"
                class="iotda-table"
            />
        </section>
    }
}

/// The filters as ListExportTasks would check them; the condition's errors belong to the batch task id.
fn filters_the_api_accepts(values: &FilterValues) -> Result<(), Violations> {
    let query = ListExportTasksQuery {
        resource_type: Some(ResourceType::BatchTask.as_str().to_owned()),
        resource_condition: values.get("batch_task_id").map(condition_json),
        app_type: values.get("app_type").map(str::to_owned),
        app_id: values.get("app_id").map(str::to_owned),
        ..Default::default()
    };
    query.validate().map(drop).map_err(|found| {
        let mut violations = Violations::default();
        for rule in found.iter() {
            let key = if rule.field == "resource_condition" { "batch_task_id" } else { rule.field };
            violations.push(key, rule.message.clone());
        }
        violations
    })
}

/// `{"task_id":"…"}`: the condition as ListExportTasks takes it, a JSON object in a string.
fn condition_json(batch_task_id: &str) -> String {
    Value::Object(condition(batch_task_id)).to_string()
}

fn condition(batch_task_id: &str) -> Map<String, Value> {
    let mut condition = Map::new();
    condition.insert("task_id".to_owned(), Value::String(batch_task_id.to_owned()));
    condition
}

fn task_key(task: &ExportTask) -> TaskKey {
    TaskKey { id: task.export_task_id.clone(), version: format!("{}:{}", task.status, task.progress) }
}

/// The batch task a task exports (`resource_condition.task_id`).
fn batch_task_id(task: &ExportTask) -> String {
    task.resource_condition.get("task_id").and_then(Value::as_str).unwrap_or_default().to_owned()
}

/// IoTDA's `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'` as epoch milliseconds.
fn parse_time(text: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(text).ok().map(|t| t.timestamp_millis())
}

fn time_cell(text: Option<&str>) -> AnyView {
    match text {
        None => view! { <span class="muted">"—"</span> }.into_any(),
        Some(text) => match parse_time(text) {
            Some(ms) => view! { <Timestamp ms=ms/> }.into_any(),
            None => view! { <span>{text.to_owned()}</span> }.into_any(),
        },
    }
}

fn columns(actions: RowActions) -> Vec<Column<ExportTask>> {
    vec![
        Column::new("Batch task", "col-name", |t: &ExportTask| {
            view! {
                <code class="task-name iotda-batch">{batch_task_id(t)}</code>
                <span class="task-id">{t.export_task_id.clone()}</span>
            }
        }),
        Column::new("Scope", "col-scope", |t: &ExportTask| {
            let scope = AppType::parse(&t.app_type).map_or(t.app_type.clone(), |a| a.label().to_owned());
            let app = t.app_id.clone().map(|id| format!(" {id}")).unwrap_or_default();
            view! { <span class="iotda-scope">{scope}{app}</span> }
        }),
        Column::new("Status", "col-status", |t: &ExportTask| {
            let progress = t.progress.min(100);
            let label = format!("{progress} % · {} rows", t.export_count);
            view! {
                <StatusBadge status=iotda::task_status(t)/>
                <div class="iotda-progress">
                    <progress max="100" value=progress aria-label=format!("Progress of {}", t.export_task_id)></progress>
                    <span class="iotda-progress-label">{label}</span>
                </div>
            }
        }),
        Column::new("Created", "col-time", |t: &ExportTask| time_cell(Some(&t.create_time))),
        Column::new("Finished", "col-time", |t: &ExportTask| time_cell(t.end_time.as_deref())),
        Column::new("Actions", "col-actions", move |t: &ExportTask| actions.cell(t)),
    ]
}

/// The per-row download and delete. The download's state is shared by every row: IoTDA serves
/// one download per user every 30 s, so the countdown holds every row's button.
#[derive(Clone, Copy)]
struct RowActions {
    download: Action<String, Result<(), ApiError>>,
    /// Seconds until IoTDA serves the next download, while it would refuse one.
    wait_left: RwSignal<Option<u32>>,
    /// The last download's failure.
    error: RwSignal<Option<ApiError>>,
    delete: RowDelete,
}

impl RowActions {
    fn new(project: IotdaProject, on_deleted: Callback<()>) -> Self {
        let download = Action::new_local({
            let project = project.clone();
            move |id: &String| {
                let (project, id) = (project.clone(), id.clone());
                async move {
                    let file = iotda::download_file(&project, &id).await?;
                    file.save(&iotda::download_file_name(&id))
                }
            }
        });
        let delete = RowDelete::new(
            DeleteWords { thing: "task", question: "Delete this task?" },
            move |id| {
                let project = project.clone();
                async move { iotda::delete(&project, &id).await }
            },
            on_deleted,
        );
        let actions = Self { download, wait_left: RwSignal::new(None), error: RwSignal::new(None), delete };
        let countdown = Countdown::new(actions.wait_left);
        Effect::new(move |_| {
            download.version().track();
            match download.value().get_untracked() {
                None => {}
                Some(Ok(())) => {
                    actions.error.set(None);
                    countdown.start(DOWNLOAD_INTERVAL_MS.div_euclid(1000) as u32);
                }
                // The 30 s rule is a wait, not a failure: the buttons count it down.
                Some(Err(error)) if error.code() == Some(error_code::RATE_LIMITED) => {
                    actions.error.set(None);
                    countdown.start(error.retry_after_secs().unwrap_or(30).max(1));
                }
                Some(Err(error)) => actions.error.set(Some(error)),
            }
        });
        actions
    }

    fn cell(self, task: &ExportTask) -> AnyView {
        let id = task.export_task_id.clone();
        let succeeded = iotda::task_status(task).kind == StatusKind::Succeeded;
        let download = succeeded.then(|| {
            let id = id.clone();
            let busy = move || self.download.pending().get();
            let text = move || match self.wait_left.get() {
                Some(secs) => format!("Download in {secs} s"),
                None if busy() => "Downloading…".to_owned(),
                None => "Download".to_owned(),
            };
            view! {
                <button type="button" class="button download"
                    disabled=move || busy() || self.wait_left.get().is_some()
                    on:click=move |_| { self.download.dispatch_local(id.clone()); }>
                    {text}
                </button>
            }
        });
        view! {
            <div class="iotda-actions">
                {download}
                {self.delete.button(id)}
            </div>
        }
        .into_any()
    }
}

/// Counts whole seconds down into `left` (`None` once over), from the browser's clock.
#[derive(Clone, Copy)]
struct Countdown {
    left: RwSignal<Option<u32>>,
    timer: StoredValue<Option<IntervalHandle>>,
}

impl Countdown {
    fn new(left: RwSignal<Option<u32>>) -> Self {
        let countdown = Self { left, timer: StoredValue::new(None) };
        on_cleanup(move || countdown.stop());
        countdown
    }

    fn start(self, secs: u32) {
        self.stop();
        let until = js_sys::Date::now() + f64::from(secs) * 1000.0;
        self.left.set(Some(secs));
        let handle = set_interval_with_handle(
            move || {
                let left = ((until - js_sys::Date::now()) / 1000.0).ceil().max(0.0) as u32;
                if left == 0 {
                    self.stop();
                    self.left.try_set(None);
                } else {
                    self.left.try_set(Some(left));
                }
            },
            Duration::from_millis(250),
        );
        self.timer.set_value(handle.ok());
    }

    fn stop(self) {
        if let Some(handle) = self.timer.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    }
}

/// Everything typed into the create form, as typed (so nothing is lost on an error).
#[derive(Debug, Clone, PartialEq)]
struct ExportDraft {
    batch_task_id: String,
    export_format: String,
    app_type: String,
    /// Kept while the scope is the tenant, but sent only for an application scope.
    app_id: String,
}

impl ExportDraft {
    fn new() -> Self {
        Self {
            batch_task_id: String::new(),
            export_format: ExportFormat::Xls.as_str().to_owned(),
            app_type: AppType::Global.as_str().to_owned(),
            app_id: String::new(),
        }
    }

    fn is_app(&self) -> bool {
        self.app_type == AppType::App.as_str()
    }
}

/// The create form of the project's exports. Its request carries the spec it validates to, which
/// the warning before a sixth unfinished task compares with the running ones.
struct ExportForm;

impl CreateSource for ExportForm {
    type Context = IotdaProject;
    type Draft = ExportDraft;
    type Request = (AddExportTask, ExportSpec);
    type Problems = Violations;
    type Created = ExportTask;

    /// The app id is sent only for an application scope (it scopes nothing otherwise).
    fn request(_: &IotdaProject, draft: &ExportDraft) -> Result<(AddExportTask, ExportSpec), Violations> {
        let optional = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let batch = optional(&draft.batch_task_id);
        let mut violations = Violations::default();
        if batch.is_none() {
            violations.push("resource_condition", "Enter the id of the batch task whose results to export.");
        }
        let body = AddExportTask {
            resource_type: Some(ResourceType::BatchTask.as_str().to_owned()),
            resource_condition: batch.as_deref().map(condition),
            export_format: optional(&draft.export_format),
            app_type: optional(&draft.app_type),
            app_id: optional(&draft.app_id).filter(|_| draft.is_app()),
        };
        let checked = body.validate();
        violations.merge_rules(checked).map(|spec| (body, spec))
    }

    fn preview(project: &IotdaProject, (body, _): &(AddExportTask, ExportSpec)) -> PreviewRequest {
        PreviewRequest::of_call(&iotda::create_call(project), body)
    }

    async fn create(project: &IotdaProject, (body, _): (AddExportTask, ExportSpec)) -> Result<ExportTask, ApiError> {
        iotda::create(project, &body).await
    }

    fn submit_label(_: &ExportDraft) -> &'static str {
        "Create export task"
    }

    fn created_message(task: &ExportTask) -> String {
        format!("Task {} created; it is highlighted in the list below.", task.export_task_id)
    }
}

/// The spec a listed task was created with, to tell whether a new one replaces it.
fn spec_of(task: &ExportTask) -> Option<ExportSpec> {
    AddExportTask {
        resource_type: Some(task.resource_type.clone()),
        resource_condition: Some(task.resource_condition.clone()),
        export_format: Some(task.export_format.clone()),
        app_type: Some(task.app_type.clone()),
        app_id: task.app_id.clone(),
    }
    .validate()
    .ok()
}

#[component]
fn CreateExportForm(
    project: IotdaProject,
    /// The user's unfinished tasks, for the warning before a sixth.
    #[prop(into)]
    unfinished: Signal<Vec<ExportTask>>,
    on_created: Callback<ExportTask>,
) -> impl IntoView {
    let form = use_create_form::<ExportForm>(move || project.clone(), || None, ExportDraft::new(), None, on_created);
    // IoTDA refuses a sixth unfinished task, unless the new one replaces a running one (same
    // conditions): say so before the user sends it.
    let limit_warning = Memo::new(move |_| {
        let running = unfinished.get();
        if running.len() < UNFINISHED_PER_USER_MAX {
            return None;
        }
        let project = form.context.run(());
        let request = form.draft.with(|draft| ExportForm::request(&project, draft));
        let replaces = request.ok().and_then(|(_, spec)| {
            running.iter().find(|task| spec_of(task).is_some_and(|other| other.same_conditions(&spec))).cloned()
        });
        Some(match replaces {
            Some(task) => format!(
                "{} export tasks are still running. This one has the same conditions as running task {}, \
                 which it replaces, so IoTDA accepts it.",
                running.len(),
                task.export_task_id
            ),
            None => format!(
                "{} export tasks are still running: IoTDA refuses a new one until one of them finishes \
                 (or is deleted). Re-exporting the batch task of a running task replaces it.",
                running.len()
            ),
        })
    });
    let error_for = move |field| form.check.error_for(field);
    let invalid = move |field| move || form.check.invalid(field).get().to_string();
    let (batch_task_id, export_format, app_id) = (
        form.bind(|d| &d.batch_task_id, |d| &mut d.batch_task_id),
        form.bind(|d| &d.export_format, |d| &mut d.export_format),
        form.bind(|d| &d.app_id, |d| &mut d.app_id),
    );

    view! {
        <CreateFormView parts=form.parts() heading="New export task">
            <div class="form-grid">
                <Field label="Batch task id" id="batch_task_id" error=error_for("resource_condition")
                    hint="Up to 24 characters of 0-9 and a-f, as IoTDA's batch task list shows it.">
                    <input type="text" id="batch_task_id" name="batch_task_id" autocomplete="off" spellcheck="false"
                        prop:value=move || batch_task_id.get()
                        on:input=move |ev| batch_task_id.set(event_target_value(&ev))
                        aria-invalid=invalid("resource_condition") aria-describedby="batch_task_id-error"/>
                </Field>
                <Field label="File format" id="export_format" error=error_for("export_format")>
                    <select id="export_format" name="export_format"
                        on:change=move |ev| export_format.set(event_target_value(&ev))
                        aria-invalid=invalid("export_format") aria-describedby="export_format-error">
                        {ExportFormat::ALL.iter().map(|format| view! {
                            <option value=format.as_str() selected=move || export_format.get() == format.as_str()>
                                {format.label()}
                            </option>
                        }).collect_view()}
                    </select>
                </Field>
                <Field label="Scope" id="app_type" error=error_for("app_type")>
                    <EnumSelect id="app_type" value=form.bind(|d| &d.app_type, |d| &mut d.app_type)
                        options=AppType::ALL.iter().map(|scope| (scope.as_str(), scope.label())).collect()
                        invalid=form.check.invalid("app_type")/>
                </Field>
                <Field label="Application id (optional)" id="app_id" error=error_for("app_id")
                    hint="For an application scope; empty means the default application.">
                    <input type="text" id="app_id" name="app_id" autocomplete="off"
                        prop:value=move || app_id.get()
                        on:input=move |ev| app_id.set(event_target_value(&ev))
                        disabled=move || !form.draft.with(ExportDraft::is_app)
                        aria-invalid=invalid("app_id") aria-describedby="app_id-error"/>
                </Field>
            </div>
            {move || limit_warning.get().map(|text| view! { <p class="iotda-limit-warning" role="status">{text}</p> })}
        </CreateFormView>
    }
}

/// For the Overview: every task of the project (IoTDA keeps at most 50: one page).
pub(super) async fn overview_tasks(config: DeskConfig, now_ms: i64) -> Result<Vec<OverviewTask>, ApiError> {
    let Some(project) = desk::iotda_project(&config) else { return Ok(Vec::new()) };
    let query = ListExportTasksQuery {
        resource_type: Some(ResourceType::BatchTask.as_str().to_owned()),
        limit: Some(LIST_LIMIT_MAX.to_string()),
        ..ListExportTasksQuery::default()
    };
    let list = iotda::list(project, &query).await?;
    Ok(list
        .export_tasks
        .into_iter()
        .map(|task| {
            // An unreadable time counts as now, so an unfinished or failed task is listed rather than hidden.
            let created_ms = parse_time(&task.create_time).unwrap_or(now_ms);
            OverviewTask {
                href: "/iotda/exports".to_owned(),
                status: iotda::task_status(&task),
                title: match task.resource_condition.get("task_id").and_then(Value::as_str) {
                    Some(batch) => format!("Batch task {batch} ({}%)", task.progress),
                    None => format!("{} ({}%)", task.resource_type, task.progress),
                },
                id: task.export_task_id,
                created_ms,
                changed_ms: created_ms,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::task_page::filter_bar::assert_bar_declares_the_filter_keys;

    #[test]
    fn the_filters_are_checked_by_the_api_rules_and_the_app_id_needs_an_application_scope() {
        assert_bar_declares_the_filter_keys::<ExportList>();
        let filters = ExportList::filters();
        let typed = |values: [&str; 3]| values.map(str::to_owned);
        let refused = filters.changes(&typed(["zz", "", ""]), &|_| None, None).unwrap_err();
        assert!(refused.for_field("batch_task_id").is_some_and(|message| message.contains("0-9 and a-f")), "{refused}");
        let tenant = filters.changes(&typed(["0a1b", "", "meter-b"]), &|_| None, None).unwrap();
        assert_eq!(tenant, vec![("batch_task_id", Some("0a1b".to_owned())), ("app_type", None), ("app_id", None)]);
        let app = filters.changes(&typed(["", "APP", "meter-b"]), &|_| None, None).unwrap();
        assert_eq!(app[1..], [("app_type", Some("APP".to_owned())), ("app_id", Some("meter-b".to_owned()))]);
    }

    #[test]
    fn the_list_condition_is_a_json_object_in_a_string() {
        assert_eq!(condition_json("0a1b"), r#"{"task_id":"0a1b"}"#);
        let query = ListExportTasksQuery {
            resource_type: Some("BatchTask".into()),
            resource_condition: Some(condition_json("0a1b")),
            ..Default::default()
        };
        assert_eq!(query.validate().unwrap().batch_task_id.as_deref(), Some("0a1b"));
    }

    #[test]
    fn iotda_times_are_read_as_utc_milliseconds() {
        assert_eq!(parse_time("1970-01-01T00:00:01.500Z"), Some(1_500));
        assert_eq!(parse_time("yesterday"), None);
    }

    #[test]
    fn a_listed_task_gives_back_the_spec_it_was_created_with() {
        let task = ExportTask {
            export_task_id: "5f1d0a2b3c4d5e6f7a8b9c0d".into(),
            resource_type: "BatchTask".into(),
            resource_condition: condition("0a1b"),
            export_format: "xls".into(),
            status: "Processing".into(),
            export_count: 0,
            progress: 10,
            create_time: "2026-11-23T08:30:00.000Z".into(),
            end_time: None,
            app_type: "GLOBAL".into(),
            app_id: None,
        };
        let spec = spec_of(&task).unwrap();
        assert_eq!(spec.batch_task_id, "0a1b");
        assert_eq!(batch_task_id(&task), "0a1b");
        let request = spec.to_request().validate().unwrap();
        assert!(request.same_conditions(&spec));
    }

    fn project() -> IotdaProject {
        IotdaProject { project_id: "p1".into(), instance_id: None }
    }

    fn valid_draft() -> ExportDraft {
        ExportDraft { batch_task_id: " 0a1b ".into(), ..ExportDraft::new() }
    }

    #[test]
    fn a_valid_draft_gives_exactly_the_request_sent() {
        let (body, spec) = ExportForm::request(&project(), &valid_draft()).unwrap();
        assert_eq!(
            body,
            AddExportTask {
                resource_type: Some("BatchTask".into()),
                resource_condition: Some(condition("0a1b")),
                export_format: Some("xls".into()),
                app_type: Some("GLOBAL".into()),
                app_id: None,
            }
        );
        assert_eq!((spec.batch_task_id.as_str(), spec.app_type), ("0a1b", AppType::Global));
    }

    #[test]
    fn the_app_id_is_sent_only_for_an_application_scope() {
        let typed = ExportDraft { app_id: "my_app".into(), ..valid_draft() };
        assert_eq!(ExportForm::request(&project(), &typed).unwrap().0.app_id, None, "the tenant scope takes none");
        let app = ExportDraft { app_type: "APP".into(), ..typed };
        let (body, spec) = ExportForm::request(&project(), &app).unwrap();
        assert_eq!((body.app_type.as_deref(), body.app_id.as_deref()), (Some("APP"), Some("my_app")));
        assert_eq!(spec.app_id.as_deref(), Some("my_app"));
    }

    #[test]
    fn each_mistake_is_reported_on_its_field() {
        let refused = |draft: ExportDraft| ExportForm::request(&project(), &draft).unwrap_err();
        let empty = refused(ExportDraft::new());
        assert_eq!(
            empty.for_field("resource_condition"),
            Some("Enter the id of the batch task whose results to export.")
        );
        assert_eq!(empty.iter().count(), 1, "the model's own words about the missing condition are left out: {empty}");
        let not_hex = refused(ExportDraft { batch_task_id: "batch-7".into(), ..valid_draft() });
        assert!(not_hex.for_field("resource_condition").is_some_and(|m| m.contains("0-9 and a-f")));
        let bad_app = refused(ExportDraft { app_type: "APP".into(), app_id: "my app".into(), ..valid_draft() });
        assert!(bad_app.for_field("app_id").is_some_and(|m| m.contains("letters, digits")));
        // A bad app id typed for the tenant scope is not sent, so not refused either.
        let ignored = ExportDraft { app_id: "my app".into(), ..valid_draft() };
        assert!(ExportForm::request(&project(), &ignored).is_ok());
    }
}
