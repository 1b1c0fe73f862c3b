//! Huawei Cloud CDN statistics exports: the create form and the task list.
//!
//! The list's paging (`offset`, `limit`) and filters (`task_id`, `task_name`) live in the URL.

use super::OverviewTask;
use crate::api::status::{StatusKind, TaskStatus};
use crate::api::{cdn_stats, ApiError};
use crate::components::time::{ms_to_local_input, optional_time_field, zone_name};
use crate::components::{
    Column, DownloadLink, EnumSelect, Field, OffsetPage, PreviewRequest, StatusBadge, TaskKey, TextInput, TimeEnd,
    TimeRange, Timestamp,
};
use crate::task_page::{
    use_create_form, use_task_list, CreateFormView, CreateSource, Filter, Filters, ListSource, ListWords, Loaded,
    PageShell, Paging, TaskFilterBar, TaskListView, TasksSection,
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
        <PageShell title="CDN statistics exports" intro=INTRO>
            <CreateExportForm on_sending=on_sending on_created=on_created/>
            <TasksSection list=list heading="Export tasks">
                <TaskFilterBar list=list/>
                <TaskListView
                    list=list
                    columns=columns()
                    words=words()
                    caption="CDN statistics export tasks, newest change first"
                    class="cdn-stats-table"
                />
            </TasksSection>
        </PageShell>
    }
}

const INTRO: &str = "Export Huawei Cloud CDN statistics (traffic, requests, top lists, carriers, visitors) as a \
                     file. A task runs for a while; the list refreshes itself until it is done.";

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

/// Everything typed into the create form, as typed: the selects' wire values, the boxes' text.
#[derive(Debug, Clone, PartialEq)]
struct StatsDraft {
    action: String,
    all_domains: bool,
    domains: String,
    start: String,
    end: String,
    /// Empty: let the server choose by the span.
    interval: String,
    stat_type: String,
    service_area: String,
    group_by_domain: bool,
    country: String,
    province: String,
    isp: String,
    language: String,
}

const HOUR_MS: i64 = 3_600_000;

impl StatsDraft {
    /// The form as it opens at `now_ms`: traffic details of the last 24 whole hours.
    fn new(now_ms: i64) -> Self {
        let (start, end) = last_hours(now_ms, 24 * HOUR_MS);
        Self {
            action: StatsAction::ReportsDetail.as_str().to_owned(),
            all_domains: false,
            domains: String::new(),
            start,
            end,
            interval: String::new(),
            stat_type: StatType::Flux.as_str().to_owned(),
            service_area: ServiceArea::MainlandChina.as_str().to_owned(),
            group_by_domain: false,
            country: String::new(),
            province: String::new(),
            isp: String::new(),
            language: Language::En.as_str().to_owned(),
        }
    }

    /// Carrier and top-URL data take no country.
    fn country_allowed(&self) -> bool {
        StatsAction::parse(&self.action).is_none_or(StatsAction::allows_country)
    }
}

/// The `span_ms` up to the last whole hour before `now_ms`, as the time inputs show them.
fn last_hours(now_ms: i64, span_ms: i64) -> (String, String) {
    let end = now_ms - now_ms.rem_euclid(HOUR_MS);
    (ms_to_local_input(end - span_ms), ms_to_local_input(end))
}

/// The create form of statistics exports. The call answers no id: the page finds the new task.
struct StatsForm;

impl CreateSource for StatsForm {
    type Context = ();
    type Draft = StatsDraft;
    type Request = ExportTaskVo;
    type Problems = Violations;
    type Created = ();

    fn request(_: &(), draft: &StatsDraft) -> Result<ExportTaskVo, Violations> {
        let mut violations = Violations::default();
        let start_time = optional_time_field(&mut violations, "start_time", &draft.start);
        let end_time = optional_time_field(&mut violations, "end_time", &draft.end);
        let optional = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let domains = if draft.all_domains {
            Some("all".to_owned())
        } else {
            let list: Vec<&str> =
                draft.domains.split([',', '\n', ' ']).map(str::trim).filter(|d| !d.is_empty()).collect();
            optional(&list.join(","))
        };
        let vo = ExportTaskVo {
            action: optional(&draft.action),
            domain_name: domains,
            start_time,
            end_time,
            group_by: draft.group_by_domain.then(|| "domain".to_owned()),
            interval: optional(&draft.interval).and_then(|s| s.parse().ok()),
            service_area: optional(&draft.service_area),
            stat_type: optional(&draft.stat_type),
            // A disabled field is not sent, and what was typed stays in the box for when the
            // data kind changes back.
            country: optional(&draft.country).filter(|_| draft.country_allowed()),
            province: optional(&draft.province),
            isp: optional(&draft.isp),
            language: optional(&draft.language),
        };
        let checked = vo.validate();
        violations.merge_rules(checked).map(|_| vo)
    }

    fn preview(_: &(), body: &ExportTaskVo) -> PreviewRequest {
        PreviewRequest::of_call(&cdn_stats::create_call(), body)
    }

    async fn create(_: &(), body: ExportTaskVo) -> Result<(), ApiError> {
        cdn_stats::create(&body).await
    }

    fn submit_label(_: &StatsDraft) -> &'static str {
        "Create export task"
    }

    fn created_message(_: &()) -> String {
        "Task created; it is highlighted in the list below.".to_owned()
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
    let now = || js_sys::Date::now() as i64;
    let form = use_create_form::<StatsForm>(|| (), || None, StatsDraft::new(now()), Some(on_sending), on_created);
    let (error_for, invalid) = (move |field| form.check.error_for(field), move |field| form.check.invalid(field));
    let preset = move |span_ms: i64| form.draft.update(|d| (d.start, d.end) = last_hours(now(), span_ms));
    let all_domains = move || form.draft.with(|d| d.all_domains);
    let domains = form.bind(|d| &d.domains, |d| &mut d.domains);

    view! {
        <CreateFormView parts=form.parts() heading="New export task">
            <div class="form-grid">
                <Field label="Data" id="action" error=error_for("action")>
                    <EnumSelect id="action" value=form.bind(|d| &d.action, |d| &mut d.action) options=StatsAction::ALL.iter().map(|a| (a.as_str(), a.label())).collect() invalid=invalid("action")/>
                </Field>
                <Field label="Measure" id="stat_type" error=error_for("stat_type")>
                    <EnumSelect id="stat_type" value=form.bind(|d| &d.stat_type, |d| &mut d.stat_type) options=StatType::ALL.iter().map(|a| (a.as_str(), a.label())).collect() invalid=invalid("stat_type")/>
                </Field>
                <Field label="Domains" id="domain_name" error=error_for("domain_name")
                    hint="One per line or comma-separated, up to 100; *.example.com for a wildcard domain.">
                    <textarea id="domain_name" rows="3" placeholder="www.example.com"
                        prop:value=move || domains.get()
                        on:input=move |ev| domains.set(event_target_value(&ev))
                        disabled=all_domains
                        aria-invalid=move || invalid("domain_name").get().to_string()
                        aria-describedby="domain_name-error"></textarea>
                    <label class="checkbox">
                        <input type="checkbox" id="all_domains" prop:checked=all_domains
                            on:change=move |ev| form.draft.update(|d| d.all_domains = event_target_checked(&ev))/>
                        " All domains of the account"
                    </label>
                </Field>
                <TimeRange
                    from=TimeEnd::new("start_time", format!("From ({})", zone_name()), form.bind(|d| &d.start, |d| &mut d.start), form.check, "start_time")
                    to=TimeEnd::new("end_time", format!("To ({})", zone_name()), form.bind(|d| &d.end, |d| &mut d.end), form.check, "end_time")
                    presets=&[("Last 24 h", 24 * HOUR_MS), ("Last 7 days", 7 * 24 * HOUR_MS), ("Last 30 days", 30 * 24 * HOUR_MS)]
                    on_preset=Callback::new(preset)/>
                <Field label="Granularity" id="interval" error=error_for("interval")
                    hint="Spans over 90 days allow only 1 hour.">
                    <EnumSelect id="interval" value=form.bind(|d| &d.interval, |d| &mut d.interval) invalid=invalid("interval")
                        options=std::iter::once(("", "Automatic")).chain(Interval::ALL.iter().map(|i| (i.as_str(), i.label()))).collect()/>
                </Field>
                <Field label="Service area" id="service_area" error=error_for("service_area")>
                    <EnumSelect id="service_area" value=form.bind(|d| &d.service_area, |d| &mut d.service_area) options=ServiceArea::ALL.iter().map(|a| (a.as_str(), a.label())).collect() invalid=invalid("service_area")/>
                </Field>
                <Field label="File language" id="language" error=error_for("language")>
                    <EnumSelect id="language" value=form.bind(|d| &d.language, |d| &mut d.language) options=Language::ALL.iter().map(|a| (a.as_str(), a.label())).collect() invalid=invalid("language")/>
                </Field>
                <Field label="Grouping" id="group_by" error=error_for("group_by")>
                    <label class="checkbox">
                        <input type="checkbox" id="group_by" prop:checked=move || form.draft.with(|d| d.group_by_domain)
                            on:change=move |ev| form.draft.update(|d| d.group_by_domain = event_target_checked(&ev))/>
                        " One row per domain"
                    </label>
                </Field>
                <Field label="Countries or regions (optional)" id="country" error=error_for("country")
                    hint="Two-letter codes like cn,us, or all. Not for carrier or top-URL data.">
                    <TextInput id="country" value=form.bind(|d| &d.country, |d| &mut d.country) invalid=invalid("country")
                        disabled=Signal::derive(move || !form.draft.with(StatsDraft::country_allowed))/>
                </Field>
                <Field label="Provinces (optional)" id="province" error=error_for("province") hint="Only with country cn.">
                    <TextInput id="province" value=form.bind(|d| &d.province, |d| &mut d.province) invalid=invalid("province")/>
                </Field>
                <Field label="Carrier (optional)" id="isp" error=error_for("isp")>
                    <TextInput id="isp" value=form.bind(|d| &d.isp, |d| &mut d.isp) invalid=invalid("isp")/>
                </Field>
            </div>
        </CreateFormView>
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

    /// A draft that passes, for 2026-11-23 08:00 to 09:00 in the zone the form reads.
    fn valid_draft() -> StatsDraft {
        StatsDraft {
            domains: "a.example.com, b.example.com\nc.example.com".into(),
            start: "2026-11-23T08:00".into(),
            end: "2026-11-23T09:00".into(),
            ..StatsDraft::new(0)
        }
    }

    fn ms(input: &str) -> Option<i64> {
        crate::components::time::local_input_to_ms(input)
    }

    #[test]
    fn a_valid_draft_gives_exactly_the_request_sent() {
        let request = StatsForm::request(&(), &valid_draft()).unwrap();
        assert_eq!(
            request,
            ExportTaskVo {
                action: Some("reports_detail".into()),
                domain_name: Some("a.example.com,b.example.com,c.example.com".into()),
                start_time: ms("2026-11-23T08:00"),
                end_time: ms("2026-11-23T09:00"),
                group_by: None,
                interval: None,
                service_area: Some("mainland_china".into()),
                stat_type: Some("flux".into()),
                country: None,
                province: None,
                isp: None,
                language: Some("en".into()),
            }
        );
        let every_domain =
            StatsDraft { all_domains: true, group_by_domain: true, interval: "3600".into(), ..valid_draft() };
        let request = StatsForm::request(&(), &every_domain).unwrap();
        assert_eq!(
            (request.domain_name.as_deref(), request.group_by.as_deref(), request.interval),
            (Some("all"), Some("domain"), Some(3600))
        );
    }

    #[test]
    fn each_mistake_is_reported_on_its_field() {
        let refused = |draft: StatsDraft| StatsForm::request(&(), &draft).unwrap_err();
        let no_domains = refused(StatsDraft { domains: " ,\n".into(), ..valid_draft() });
        assert!(no_domains.for_field("domain_name").is_some_and(|m| m.contains("is required")));
        let bad_domain = refused(StatsDraft { domains: "a.example.com, not a domain".into(), ..valid_draft() });
        assert!(bad_domain.for_field("domain_name").is_some_and(|m| m.contains("not a domain name")));
        let backwards =
            refused(StatsDraft { start: "2026-11-23T09:00".into(), end: "2026-11-23T08:00".into(), ..valid_draft() });
        assert_eq!(backwards.for_field("end_time"), Some("must be after start_time"));
        // A time that cannot be read is named as such, not as a missing one.
        let unreadable = refused(StatsDraft { start: "yesterday".into(), ..valid_draft() });
        assert_eq!(unreadable.for_field("start_time"), Some("is not a valid date and time"));
        assert_eq!(unreadable.iter().filter(|v| v.field == "start_time").count(), 1);
        let province_alone = refused(StatsDraft { province: "31".into(), ..valid_draft() });
        assert!(province_alone.for_field("province").is_some());
    }

    #[test]
    fn a_country_is_not_sent_with_carrier_or_top_url_data() {
        let with_country = StatsDraft { country: " cn ".into(), ..valid_draft() };
        assert_eq!(StatsForm::request(&(), &with_country).unwrap().country.as_deref(), Some("cn"));
        for action in ["isp_detail", "top_url_detail"] {
            let draft = StatsDraft { action: action.into(), ..with_country.clone() };
            assert!(!draft.country_allowed());
            let request = StatsForm::request(&(), &draft).unwrap();
            assert_eq!(request.country, None, "{action}: the typed country stays in the draft only");
        }
    }

    #[test]
    fn the_form_opens_on_the_last_24_whole_hours() {
        let now = ms("2026-11-23T09:41").unwrap();
        let draft = StatsDraft::new(now);
        assert_eq!((draft.start.as_str(), draft.end.as_str()), ("2026-11-22T09:00", "2026-11-23T09:00"));
        assert_eq!(last_hours(now, 7 * 24 * HOUR_MS).0, "2026-11-16T09:00");
    }
}
