//! Huawei Cloud CDN statistics exports: the create form and the task list.
//!
//! The list's paging (`offset`, `limit`) and filters (`task_id`, `task_name`) live in the URL.

use super::OverviewTask;
use crate::api::status::{StatusKind, TaskStatus};
use crate::api::{cdn_stats, ApiError};
use crate::components::time::{ms_to_local_input, optional_time_field, zone_name};
use crate::components::{
    violation_lines, Column, DateTimeInput, DownloadLink, EnumSelect, ErrorView, Field, FormCheck, OffsetPage,
    PreviewRequest, RefreshStatus, RequestPreview, StatusBadge, TaskKey, Timestamp,
};
use crate::task_page::{
    use_task_list, Filter, Filters, ListSource, ListWords, Loaded, Paging, TaskFilterBar, TaskListView,
};
use export_desk_model::huawei_cdn::{
    ExportTask, ExportTaskVo, Interval, Language, ListExportTasksQuery, ListExportTasksResponse, ServiceArea, StatType,
    StatsAction, LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX,
};
use export_desk_model::validation::Violations;
use leptos::prelude::*;
use std::collections::HashSet;

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

    /// Task id (exact) and name (part of it), applied on submit.
    fn filters() -> Filters {
        Filters::new(
            "filters",
            vec![
                Filter::text("task_id", "filter-task-id", "Task ID", "exact id"),
                Filter::text("task_name", "filter-task-name", "Name contains", "part of the name"),
            ],
        )
        .buttons(Some("Filter"), "Clear")
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

fn words() -> ListWords {
    ListWords {
        loading: "Loading export tasks…",
        no_tasks: Signal::stored("No export tasks yet. Create one with the form above."),
        no_match: "No export tasks match these filters.",
        choose: "",
        gone: "",
    }
}

#[component]
pub fn CdnStatsPage() -> impl IntoView {
    let list = use_task_list::<StatsList>((), Signal::stored(false));

    // The create call returns no id: the new task is the newest one this page had not seen when
    // the create was sent. Known ids are frozen then, not when the answer comes, because a refresh
    // landing while the create is on its way may already list the new task.
    let seen: StoredValue<HashSet<String>> = StoredValue::new(HashSet::new());
    let seen_before_create: StoredValue<HashSet<String>> = StoredValue::new(HashSet::new());
    let awaiting_new_task = StoredValue::new(false);
    Effect::new(move |_| {
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
                    list.highlighted.set(Some(task.task_id));
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
    let on_created = move || {
        awaiting_new_task.set_value(true);
        list.show_created(None, &[]);
    };

    view! {
        <section class="page">
            <header class="page-header">
                <h1>"CDN statistics exports"</h1>
                <p class="page-intro">
                    "Export Huawei Cloud CDN statistics (traffic, requests, top lists, carriers, visitors) "
                    "as a file. A task runs for a while; the list refreshes itself until it is done."
                </p>
            </header>
            <CreateExportForm on_sending=on_sending on_created=on_created/>
            <section class="tasks" aria-labelledby="tasks-heading">
                <div class="tasks-header">
                    <h2 id="tasks-heading">"Export tasks"</h2>
                    <RefreshStatus refresh=list.refresh on_refresh=move || list.reload()/>
                </div>
                <TaskFilterBar list=list/>
                <TaskListView
                    list=list
                    columns=columns()
                    words=words()
                    caption="CDN statistics export tasks, newest change first"
                    class="cdn-stats-table"
                />
            </section>
        </section>
    }
}

/// The version covers the download link as well: a listing may hand out a new link for the same
/// finished task, and the row, built once per key, must not keep offering the old one.
fn task_key(task: &ExportTask) -> TaskKey {
    let link = task.download_link.as_deref().unwrap_or_default();
    TaskKey { id: task.task_id.clone(), version: format!("{}:{}:{link}", task.update_time, task.status) }
}

fn columns() -> Vec<Column<ExportTask>> {
    vec![
        Column::new(
            "Name",
            "col-name",
            |t: &ExportTask| view! { <span class="task-name">{t.task_name.clone()}</span> },
        ),
        Column::new("Task ID", "col-id", |t: &ExportTask| view! { <code class="task-id">{t.task_id.clone()}</code> }),
        Column::new("Status", "col-status", |t: &ExportTask| view! { <StatusBadge status=cdn_stats::task_status(t)/> }),
        Column::new("Created", "col-time", |t: &ExportTask| view! { <Timestamp ms=t.create_time/> }),
        Column::new("Updated", "col-time", |t: &ExportTask| view! { <Timestamp ms=t.update_time/> }),
        Column::new("File", "col-actions", |t: &ExportTask| {
            let status = cdn_stats::task_status(t).kind;
            match status {
                StatusKind::Succeeded => view! { <DownloadLink link=t.download_link.clone()/> }.into_any(),
                StatusKind::Failed => view! { <span class="muted">"No file"</span> }.into_any(),
                _ => view! { <span class="muted">"Not ready"</span> }.into_any(),
            }
        }),
    ]
}

/// Everything typed into the create form, kept as typed (so nothing is lost on an error).
#[derive(Clone, Copy)]
struct FormState {
    action: RwSignal<String>,
    all_domains: RwSignal<bool>,
    domains: RwSignal<String>,
    start: RwSignal<String>,
    end: RwSignal<String>,
    interval: RwSignal<String>,
    stat_type: RwSignal<String>,
    service_area: RwSignal<String>,
    group_by_domain: RwSignal<bool>,
    country: RwSignal<String>,
    province: RwSignal<String>,
    isp: RwSignal<String>,
    language: RwSignal<String>,
}

const HOUR_MS: i64 = 3_600_000;

impl FormState {
    fn new() -> Self {
        let now = js_sys::Date::now() as i64;
        let end = now - now.rem_euclid(HOUR_MS);
        Self {
            action: RwSignal::new(StatsAction::ReportsDetail.as_str().to_owned()),
            all_domains: RwSignal::new(false),
            domains: RwSignal::new(String::new()),
            start: RwSignal::new(ms_to_local_input(end - 24 * HOUR_MS)),
            end: RwSignal::new(ms_to_local_input(end)),
            interval: RwSignal::new(String::new()),
            stat_type: RwSignal::new(StatType::Flux.as_str().to_owned()),
            service_area: RwSignal::new(ServiceArea::MainlandChina.as_str().to_owned()),
            group_by_domain: RwSignal::new(false),
            country: RwSignal::new(String::new()),
            province: RwSignal::new(String::new()),
            isp: RwSignal::new(String::new()),
            language: RwSignal::new(Language::En.as_str().to_owned()),
        }
    }

    /// Subscribes the running effect to every field, so it re-validates as the user types
    /// (`to_request` reads untracked, as it also runs in the submit handler).
    fn track(self) {
        for text in [self.action, self.domains, self.start, self.end, self.interval, self.stat_type] {
            text.track();
        }
        for text in [self.service_area, self.country, self.province, self.isp, self.language] {
            text.track();
        }
        self.all_domains.track();
        self.group_by_domain.track();
    }

    /// The request body, checked by the same rules the server applies.
    fn to_request(self) -> Result<ExportTaskVo, Violations> {
        let mut violations = Violations::default();
        let start_time = optional_time_field(&mut violations, "start_time", &self.start.get_untracked());
        let end_time = optional_time_field(&mut violations, "end_time", &self.end.get_untracked());
        let optional = |s: String| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let domains = if self.all_domains.get_untracked() {
            Some("all".to_owned())
        } else {
            let text = self.domains.get_untracked();
            let list: Vec<&str> = text.split([',', '\n', ' ']).map(str::trim).filter(|d| !d.is_empty()).collect();
            optional(list.join(","))
        };
        let vo = ExportTaskVo {
            action: optional(self.action.get_untracked()),
            domain_name: domains,
            start_time,
            end_time,
            group_by: self.group_by_domain.get_untracked().then(|| "domain".to_owned()),
            interval: optional(self.interval.get_untracked()).and_then(|s| s.parse().ok()),
            service_area: optional(self.service_area.get_untracked()),
            stat_type: optional(self.stat_type.get_untracked()),
            // A disabled field is not sent: carrier and top-URL data take no country, and what
            // was typed stays in the box for when the data kind changes back.
            country: optional(self.country.get_untracked())
                .filter(|_| StatsAction::parse(&self.action.get_untracked()).is_none_or(StatsAction::allows_country)),
            province: optional(self.province.get_untracked()),
            isp: optional(self.isp.get_untracked()),
            language: optional(self.language.get_untracked()),
        };
        if let Err(rules) = vo.validate() {
            for rule in rules.iter() {
                if violations.for_field(rule.field).is_none() {
                    violations.push(rule.field, rule.message.clone());
                }
            }
        }
        violations.into_result(vo)
    }
}

#[component]
fn CreateExportForm(
    /// Runs as a valid request is sent, before any answer.
    #[prop(into)]
    on_sending: Callback<()>,
    /// Runs when the cloud has accepted the task.
    #[prop(into)]
    on_created: Callback<()>,
) -> impl IntoView {
    let form = FormState::new();
    let check = FormCheck::new(move || {
        form.track();
        form.to_request().err().unwrap_or_default()
    });
    let create = Action::new_local(|body: &ExportTaskVo| {
        let body = body.clone();
        async move { cdn_stats::create(&body).await }
    });
    let created_ok = RwSignal::new(false);
    Effect::new(move |_| {
        create.version().track();
        match create.value().get_untracked() {
            Some(Ok(())) => {
                created_ok.set(true);
                on_created.run(());
            }
            Some(Err(_)) | None => created_ok.set(false),
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(body) = check.submit(form.to_request()) {
            on_sending.run(());
            create.dispatch_local(body);
        }
    };
    let (error_for, invalid) = (move |field| check.error_for(field), move |field| check.invalid(field));
    let preset = move |hours: i64| {
        let now = js_sys::Date::now() as i64;
        let end = now - now.rem_euclid(HOUR_MS);
        form.start.set(ms_to_local_input(end - hours * HOUR_MS));
        form.end.set(ms_to_local_input(end));
    };
    let country_allowed = move || StatsAction::parse(&form.action.get()).is_none_or(StatsAction::allows_country);
    let server_error = move || match create.value().get() {
        Some(Err(error)) => Some(error),
        _ => None,
    };
    let preview = Signal::derive(move || {
        form.track();
        let body = form.to_request().map_err(|violations| violation_lines(&violations))?;
        Ok(PreviewRequest::of_call(&cdn_stats::create_call(), &body))
    });

    view! {
        <form class="create-form" on:submit=submit novalidate=true aria-labelledby="create-heading">
            <h2 id="create-heading">"New export task"</h2>
            <div class="form-grid">
                <Field label="Data" id="action" error=error_for("action")>
                    <EnumSelect id="action" value=form.action options=StatsAction::ALL.iter().map(|a| (a.as_str(), a.label())).collect() invalid=invalid("action")/>
                </Field>
                <Field label="Measure" id="stat_type" error=error_for("stat_type")>
                    <EnumSelect id="stat_type" value=form.stat_type options=StatType::ALL.iter().map(|a| (a.as_str(), a.label())).collect() invalid=invalid("stat_type")/>
                </Field>
                <Field label="Domains" id="domain_name" error=error_for("domain_name")
                    hint="One per line or comma-separated, up to 100; *.example.com for a wildcard domain.">
                    <textarea id="domain_name" rows="3" placeholder="www.example.com"
                        prop:value=move || form.domains.get()
                        on:input=move |ev| form.domains.set(event_target_value(&ev))
                        disabled=move || form.all_domains.get()
                        aria-invalid=move || invalid("domain_name").get().to_string()
                        aria-describedby="domain_name-error"></textarea>
                    <label class="checkbox">
                        <input type="checkbox" id="all_domains" prop:checked=move || form.all_domains.get()
                            on:change=move |ev| form.all_domains.set(event_target_checked(&ev))/>
                        " All domains of the account"
                    </label>
                </Field>
                <div class="time-range">
                    <Field label=format!("From ({})", zone_name()) id="start_time" error=error_for("start_time")>
                        <DateTimeInput id="start_time" value=form.start invalid=invalid("start_time")/>
                    </Field>
                    <Field label=format!("To ({})", zone_name()) id="end_time" error=error_for("end_time")>
                        <DateTimeInput id="end_time" value=form.end invalid=invalid("end_time")/>
                    </Field>
                    <div class="presets" role="group" aria-label="Quick ranges">
                        <button type="button" class="button subtle" on:click=move |_| preset(24)>"Last 24 h"</button>
                        <button type="button" class="button subtle" on:click=move |_| preset(7 * 24)>"Last 7 days"</button>
                        <button type="button" class="button subtle" on:click=move |_| preset(30 * 24)>"Last 30 days"</button>
                    </div>
                </div>
                <Field label="Granularity" id="interval" error=error_for("interval")
                    hint="Spans over 90 days allow only 1 hour.">
                    <EnumSelect id="interval" value=form.interval invalid=invalid("interval")
                        options=std::iter::once(("", "Automatic")).chain(Interval::ALL.iter().map(|i| (i.as_str(), i.label()))).collect()/>
                </Field>
                <Field label="Service area" id="service_area" error=error_for("service_area")>
                    <EnumSelect id="service_area" value=form.service_area options=ServiceArea::ALL.iter().map(|a| (a.as_str(), a.label())).collect() invalid=invalid("service_area")/>
                </Field>
                <Field label="File language" id="language" error=error_for("language")>
                    <EnumSelect id="language" value=form.language options=Language::ALL.iter().map(|a| (a.as_str(), a.label())).collect() invalid=invalid("language")/>
                </Field>
                <Field label="Grouping" id="group_by" error=error_for("group_by")>
                    <label class="checkbox">
                        <input type="checkbox" id="group_by" prop:checked=move || form.group_by_domain.get()
                            on:change=move |ev| form.group_by_domain.set(event_target_checked(&ev))/>
                        " One row per domain"
                    </label>
                </Field>
                <Field label="Countries or regions (optional)" id="country" error=error_for("country")
                    hint="Two-letter codes like cn,us, or all. Not for carrier or top-URL data.">
                    <TextInput id="country" value=form.country invalid=invalid("country") disabled=Signal::derive(move || !country_allowed())/>
                </Field>
                <Field label="Provinces (optional)" id="province" error=error_for("province") hint="Only with country cn.">
                    <TextInput id="province" value=form.province invalid=invalid("province") disabled=Signal::derive(|| false)/>
                </Field>
                <Field label="Carrier (optional)" id="isp" error=error_for("isp")>
                    <TextInput id="isp" value=form.isp invalid=invalid("isp") disabled=Signal::derive(|| false)/>
                </Field>
            </div>
            {move || server_error().map(|error| view! { <ErrorView error=error/> })}
            <div class="form-actions">
                <button type="submit" class="button primary" disabled=move || create.pending().get()>
                    {move || if create.pending().get() { "Creating…" } else { "Create export task" }}
                </button>
                <span class="form-status" role="status">
                    {move || (created_ok.get() && !create.pending().get()).then_some("Task created; it is highlighted in the list below.")}
                </span>
            </div>
            <RequestPreview request=preview/>
        </form>
    }
}

#[component]
fn TextInput(
    id: &'static str,
    value: RwSignal<String>,
    #[prop(into)] invalid: Signal<bool>,
    #[prop(into)] disabled: Signal<bool>,
) -> impl IntoView {
    view! {
        <input type="text" id=id name=id
            prop:value=move || value.get()
            on:input=move |ev| value.set(event_target_value(&ev))
            disabled=move || disabled.get()
            aria-invalid=move || invalid.get().to_string()
            aria-describedby=format!("{id}-error")/>
    }
}

/// For the Overview: the newest 100 exports (the most one call lists).
pub(super) async fn overview_tasks(_now_ms: i64) -> Result<Vec<OverviewTask>, ApiError> {
    let query =
        ListExportTasksQuery { limit: Some(LIST_LIMIT_MAX), offset: Some(0), ..ListExportTasksQuery::default() };
    let list = cdn_stats::list(&query).await?;
    Ok(list
        .data
        .into_iter()
        .map(|task| OverviewTask {
            href: format!("/cdn/stats?task_id={}", task.task_id),
            status: cdn_stats::task_status(&task),
            id: task.task_id,
            title: task.task_name,
            created_ms: task.create_time,
            changed_ms: task.update_time,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::task_page::filter_bar::assert_bar_declares_the_filter_keys;

    #[test]
    fn the_filters_apply_trimmed_from_the_first_page() {
        assert_bar_declares_the_filter_keys::<StatsList>();
        let typed = [" 0a1b ".to_owned(), "uv_".to_owned()];
        let changes = StatsList::filters().changes(&typed, &|_| None, None).unwrap();
        assert_eq!(changes, vec![("task_id", Some("0a1b".to_owned())), ("task_name", Some("uv_".to_owned()))]);
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
