//! Huawei Cloud IoTDA resource exports: export a batch task's results as a zip, watch the task
//! run, download the file (IoTDA allows one download every 30 s, shown as a countdown), delete.
//!
//! Every call names the project (and instance) `/_desk/config` gives; the gate hands it to the
//! page, and says why instead when there is none. The list pages by marker (the stack of markers
//! lives in the URL). The create form, the row actions and the loaders for the Overview, the
//! watcher and the search live beside this file.

mod form;
pub(super) mod loaders;
mod row_actions;

use crate::api::status::TaskStatus;
use crate::api::{iotda, ApiError};
use crate::components::{
    Column, CsvCell, ErrorView, LongText, MarkerPage, MarkerPosition, StatusBadge, TaskKey, Timestamp,
};
use crate::hooks::effect;
use crate::i18n::Catalogue;
use crate::task_page::{
    use_task_list, Filter, FilterValues, Filters, ListSource, ListWords, PageShell, Paging, TaskFilterBar,
    TaskListView, TasksSection,
};
use export_desk_model::desk::IotdaProject;
use export_desk_model::huawei_iotda::{
    AppType, ExportTask, ListExportTasksQuery, ListExportTasksResponse, ResourceType, LIST_LIMIT_DEFAULT,
    LIST_LIMIT_MAX,
};
use export_desk_model::validation::Violations;
use form::CreateExportForm;
use leptos::prelude::*;
use row_actions::RowActions;
use serde_json::{Map, Value};

/// The kind's address, declared once: the registry's entry and the links of the Overview, the
/// watcher and the search take it from here.
pub(super) const PATH: &str = "/iotda/exports";

const PAGE_SIZES: &[u32] = &[10, 20, LIST_LIMIT_MAX];
/// The URL keys of the list filters; paging keys are `markers`, `offset` and `limit`.
const FILTER_KEYS: [&str; 3] = ["batch_task_id", "app_type", "app_id"];

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
    const EXPORT_NAME: &'static str = "iotda-exports";

    /// Batch task and scope, applied on submit and checked by the API's own rules; the
    /// application id only for an application scope.
    fn filters(t: &'static crate::i18n::Catalogue) -> Filters {
        let catalogue = t;
        let t = &t.iotda;
        let app = AppType::App.as_str();
        Filters::new(
            "filters iotda-filters",
            vec![
                Filter::text("batch_task_id", "filter-batch-task-id", t.batch_task_id, t.batch_task_id_placeholder),
                Filter::choice(
                    "app_type",
                    "filter-app-type",
                    t.scope,
                    [("", t.scope_whole_tenant), (app, t.scope_one_application)],
                ),
                Filter::text("app_id", "filter-app-id", t.app_id, t.app_id_placeholder).enabled_when("app_type", app),
            ],
            catalogue,
        )
        .buttons(Some(t.filter_button), t.clear_button)
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

/// The page, given the project the gate found in the server's description.
#[component]
pub fn IotdaExportsPage(project: IotdaProject) -> impl IntoView {
    let catalogue = crate::i18n::t();
    let t = &catalogue.iotda;
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
            async move { all_tasks(&project).await }
        }
    });
    // The unfinished tasks of the last census that answered. A failed refresh keeps them, as the
    // list keeps its rows: one refused call must not hide the warning (nor stop the refreshing)
    // while the tasks it counted are still running as far as anyone knows.
    let unfinished_tasks = RwSignal::new(Vec::new());
    // How the last census went, on the page as `data-census` ("answered", "failed"): what a test
    // waits for before it reads the warning, instead of waiting for time.
    let census_outcome = RwSignal::new("pending");
    effect(move || match census.get() {
        Some(Ok(tasks)) => {
            let unfinished = iotda::unfinished(tasks);
            // Set only on a change: each set would wake the list's refresh schedule again.
            if census_unfinished.get_untracked() == unfinished.is_empty() {
                census_unfinished.set(!unfinished.is_empty());
            }
            if unfinished_tasks.with_untracked(|shown| *shown != unfinished) {
                unfinished_tasks.set(unfinished);
            }
            census_outcome.set("answered");
        }
        Some(Err(_)) => census_outcome.set("failed"),
        None => {}
    });
    let on_created = Callback::new(move |task: ExportTask| list.show_created(Some(task.export_task_id), &[]));
    let actions = RowActions::new(project.clone(), Callback::new(move |()| list.reload()), catalogue);
    let words = ListWords {
        loading: t.loading,
        no_tasks: Signal::stored(t.no_tasks),
        no_match: t.no_match,
        choose: "",
        gone: "",
    };

    view! {
        <PageShell title=t.title intro=t.intro class="page iotda-exports">
            <CreateExportForm project=project.clone() unfinished=Signal::from(unfinished_tasks) on_created=on_created/>
            <TasksSection list=list heading=t.tasks_heading>
                <TaskFilterBar list=list/>
                <p class="muted iotda-order" data-census=move || census_outcome.get()>{t.order_note}</p>
                {move || actions.error.get().map(|error| view! { <ErrorView error=error/> })}
                {move || actions.wait.left.get().map(|secs| view! {
                    <p class="iotda-download-wait" role="timer">
                        {(t.download_wait)(secs)}
                    </p>
                })}
                <TaskListView
                    list=list
                    columns=columns(actions, catalogue)
                    words=words
                    caption=t.caption
                    class="iotda-table"
                    bulk=actions.bulk(project.clone())
                />
            </TasksSection>
        </PageShell>
    }
}

/// The filters as ListExportTasks would check them; the condition's errors belong to the batch task id.
fn filters_the_api_accepts(values: &FilterValues, _t: &'static crate::i18n::Catalogue) -> Result<(), Violations> {
    let query = ListExportTasksQuery {
        resource_type: Some(ResourceType::BatchTask.as_str().to_owned()),
        resource_condition: values.get("batch_task_id").map(condition_json),
        app_type: values.get("app_type").map(str::to_owned),
        app_id: values.get("app_id").map(str::to_owned),
        ..Default::default()
    };
    query.validate().map(drop).map_err(|mut found| {
        for violation in &mut found.0 {
            if violation.field == "resource_condition" {
                violation.field = "batch_task_id";
            }
        }
        found
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

fn columns(actions: RowActions, t: &'static Catalogue) -> Vec<Column<ExportTask>> {
    let catalogue = t;
    let words = &t.iotda;
    vec![
        Column::new(words.column_batch_task, "col-name", move |t: &ExportTask| {
            view! {
                <code class="task-name iotda-batch">{batch_task_id(t)}</code>
                <LongText text=t.export_task_id.clone() class="task-id" copy=catalogue.find.copy_task_id/>
            }
        })
        // Two lines in one cell, as the table shows them.
        .text(|t| format!("{}\n{}", batch_task_id(t), t.export_task_id)),
        Column::new(
            words.scope,
            "col-scope",
            move |t: &ExportTask| view! { <span class="iotda-scope">{scope_text(t, catalogue)}</span> },
        )
        .text(move |task| scope_text(task, catalogue)),
        Column::new(words.column_status, "col-status", move |t: &ExportTask| {
            let progress = t.progress.min(100);
            let label = (words.progress)(progress, t.export_count);
            view! {
                <StatusBadge status=iotda::task_status(t)/>
                <div class="iotda-progress">
                    <progress max="100" value=progress aria-label=(words.progress_of)(&t.export_task_id)></progress>
                    <span class="iotda-progress-label">{label}</span>
                </div>
            }
        })
        .text(move |task| {
            let status = iotda::task_status(task).kind.label(&t.errors);
            format!("{status}\n{}", (words.progress)(task.progress.min(100), task.export_count))
        }),
        Column::new(words.column_created, "col-time", |t: &ExportTask| time_cell(Some(&t.create_time)))
            .time(|t| time_csv(Some(&t.create_time))),
        Column::new(words.column_finished, "col-time", |t: &ExportTask| time_cell(t.end_time.as_deref()))
            .time(|t| time_csv(t.end_time.as_deref())),
        Column::new(words.column_actions, "col-actions", move |t: &ExportTask| actions.cell(t)),
    ]
}

/// "Whole tenant", or "One application meter-b".
fn scope_text(task: &ExportTask, t: &'static Catalogue) -> String {
    let words = &t.iotda;
    let scope = AppType::parse(&task.app_type).map_or(task.app_type.clone(), |a| (words.scope_label)(a).to_owned());
    let app = task.app_id.clone().map(|id| format!(" {id}")).unwrap_or_default();
    format!("{scope}{app}")
}

/// A time as the file holds it: in the chosen zone, or as IoTDA sent it when it is not one.
fn time_csv(text: Option<&str>) -> CsvCell {
    match text {
        None => CsvCell::Empty,
        Some(text) => parse_time(text).map_or_else(|| CsvCell::Text(text.to_owned()), CsvCell::Time),
    }
}

/// Every batch-task export of the user: IoTDA keeps at most 50, so one page of 50 is all of them.
async fn all_tasks(project: &IotdaProject) -> Result<Vec<ExportTask>, ApiError> {
    let query = ListExportTasksQuery {
        resource_type: Some(ResourceType::BatchTask.as_str().to_owned()),
        limit: Some(LIST_LIMIT_MAX.to_string()),
        ..ListExportTasksQuery::default()
    };
    iotda::list(project, &query).await.map(|list| list.export_tasks)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::task_page::filter_bar::assert_bar_declares_the_filter_keys;

    #[test]
    fn the_filters_are_checked_by_the_api_rules_and_the_app_id_needs_an_application_scope() {
        assert_bar_declares_the_filter_keys::<ExportList>();
        let filters = ExportList::filters(&crate::i18n::EN);
        let typed = |values: [&str; 3]| values.map(str::to_owned);
        let refused = filters.changes(&typed(["zz", "", ""]), &|_| None, None).unwrap_err();
        assert!(
            matches!(
                refused.for_field("batch_task_id"),
                Some(export_desk_model::validation::Rule::ConditionTaskId { .. })
            ),
            "{refused}"
        );
        let shown = filters.messages(&refused, &crate::i18n::EN);
        assert!(
            shown.for_field("batch_task_id").is_some_and(|message| message.starts_with("must be 1 to 24")),
            "{shown:?}"
        );
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
}
