//! The home page: every unfinished task, and every task that failed in the last day, of all four
//! kinds in one list, each linking to its own page. It refreshes itself while anything runs.
//!
//! Each kind is loaded on its own, so a provider that fails (or is switched off in proxy mode)
//! shows its own error or reason while the others still list their tasks.

use crate::api::status::TaskStatus;
use crate::api::{self, cdn_history, cdn_stats, cls, iotda, ApiError};
use crate::components::{Column, ErrorView, RefreshStatus, StatusBadge, TaskKey, TaskTable, Timestamp};
use crate::hooks::{use_auto_refresh, RefreshOutcome};
use crate::DeskResource;
use export_desk_model::desk::DeskConfig;
use export_desk_model::huawei_cdn::history::ShowHistoryTasksQuery;
use export_desk_model::huawei_cdn::ListExportTasksQuery;
use export_desk_model::huawei_iotda;
use export_desk_model::tencent_cls::DescribeExportsRequest;
use leptos::prelude::*;
use leptos_router::components::A;

/// How far back a failed task still counts as recent.
const RECENT_MS: i64 = 24 * 3_600_000;

const KINDS: [Kind; 4] = [Kind::CdnStats, Kind::CdnPurge, Kind::Iotda, Kind::Cls];

/// The four task kinds, in the order the overview reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    CdnStats,
    CdnPurge,
    Iotda,
    Cls,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::CdnStats => "CDN statistics export",
            Kind::CdnPurge => "CDN refresh/preheat",
            Kind::Iotda => "IoTDA export",
            Kind::Cls => "CLS log export",
        }
    }

    fn page(self) -> &'static str {
        match self {
            Kind::CdnStats => "/cdn/stats",
            Kind::CdnPurge => "/cdn/purge",
            Kind::Iotda => "/iotda/exports",
            Kind::Cls => "/cls/exports",
        }
    }
}

/// One task of any kind, as the overview lists it.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    kind: Kind,
    id: String,
    title: String,
    status: TaskStatus,
    created_ms: i64,
    /// The task on its own page.
    href: String,
}

/// What one kind contributed: its rows, or why there are none.
#[derive(Debug, Clone, PartialEq)]
enum Loaded {
    Rows(Vec<Row>),
    Failed(ApiError),
    Off(String),
}

/// A task belongs on the overview while it can change, or when it failed within the last day.
fn worth_listing(status: &TaskStatus, at_ms: i64, now_ms: i64) -> bool {
    use crate::api::status::StatusKind;
    status.kind.is_unfinished() || (status.kind == StatusKind::Failed && at_ms >= now_ms - RECENT_MS)
}

async fn load_cdn_stats(now_ms: i64) -> Result<Vec<Row>, ApiError> {
    let query = ListExportTasksQuery { limit: Some(100), offset: Some(0), ..ListExportTasksQuery::default() };
    let list = cdn_stats::list(&query).await?;
    Ok(list
        .data
        .into_iter()
        .map(|task| (cdn_stats::task_status(&task), task))
        .filter(|(status, task)| worth_listing(status, task.update_time, now_ms))
        .map(|(status, task)| Row {
            kind: Kind::CdnStats,
            href: format!("{}?task_id={}", Kind::CdnStats.page(), task.task_id),
            id: task.task_id,
            title: task.task_name,
            status,
            created_ms: task.create_time,
        })
        .collect())
}

async fn load_cdn_purge(now_ms: i64) -> Result<Vec<Row>, ApiError> {
    let mut rows = Vec::new();
    // The history lists files and directories apart (`file_type` defaults to `file`).
    for file_type in ["file", "directory"] {
        let query = ShowHistoryTasksQuery {
            page_size: Some("1000".to_owned()),
            page_number: Some("1".to_owned()),
            start_date: Some((now_ms - RECENT_MS).to_string()),
            file_type: Some(file_type.to_owned()),
            ..ShowHistoryTasksQuery::default()
        };
        let list = cdn_history::list(&query).await?;
        rows.extend(
            list.tasks
                .into_iter()
                .map(|task| (cdn_history::task_status(&task), task))
                .filter(|(status, task)| worth_listing(status, task.create_time, now_ms))
                .map(|(status, task)| Row {
                    kind: Kind::CdnPurge,
                    href: format!("{}/{}", Kind::CdnPurge.page(), task.id),
                    title: format!(
                        "{} of {} {}{}",
                        if task.task_type == "refresh" { "Refresh" } else { "Preheat" },
                        task.total,
                        task.file_type,
                        if task.total == 1 { "" } else { "s" }
                    ),
                    id: task.id,
                    status,
                    created_ms: task.create_time,
                }),
        );
    }
    Ok(rows)
}

async fn load_iotda(config: &DeskConfig, now_ms: i64) -> Loaded {
    let Some(project) = api::desk::iotda_project(config) else {
        return Loaded::Off("no IoTDA project is configured".to_owned());
    };
    let query = huawei_iotda::ListExportTasksQuery {
        resource_type: Some("BatchTask".to_owned()),
        limit: Some("50".to_owned()),
        ..huawei_iotda::ListExportTasksQuery::default()
    };
    match iotda::list(project, &query).await {
        Err(error) => Loaded::Failed(error),
        Ok(list) => Loaded::Rows(
            list.export_tasks
                .into_iter()
                .map(|task| (iotda::task_status(&task), iso_ms(&task.create_time), task))
                .filter(|(status, created, _)| worth_listing(status, *created, now_ms))
                .map(|(status, created_ms, task)| Row {
                    kind: Kind::Iotda,
                    href: Kind::Iotda.page().to_owned(),
                    title: match task.resource_condition.get("task_id").and_then(|id| id.as_str()) {
                        Some(batch) => format!("Batch task {batch} ({}%)", task.progress),
                        None => format!("{} ({}%)", task.resource_type, task.progress),
                    },
                    id: task.export_task_id,
                    status,
                    created_ms,
                })
                .collect(),
        ),
    }
}

async fn load_cls(config: &DeskConfig, now_ms: i64) -> Result<Vec<Row>, ApiError> {
    let mut rows = Vec::new();
    for topic in &config.providers.cls_topics {
        let request = DescribeExportsRequest { topic_id: Some(topic.id.clone()), offset: Some(0), limit: Some(100) };
        let answer = cls::describe(&request).await?;
        rows.extend(
            answer
                .exports
                .into_iter()
                .map(|export| (cls::task_status(&export), export.create_timestamp.map_or(now_ms, |ms| ms), export))
                .filter(|(status, created, _)| worth_listing(status, *created, now_ms))
                .map(|(status, created_ms, export)| Row {
                    kind: Kind::Cls,
                    href: format!("{}?topic={}", Kind::Cls.page(), topic.id),
                    title: format!("{}: {}", topic.name, export.query),
                    id: export.export_id,
                    status,
                    created_ms,
                }),
        );
    }
    Ok(rows)
}

/// `2026-11-25T08:30:00.000Z` as epoch milliseconds; an unreadable time counts as now, so an
/// unfinished or failed task is listed rather than hidden.
fn iso_ms(text: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(text).map_or_else(|_| js_sys::Date::now() as i64, |t| t.timestamp_millis())
}

/// One kind's tasks, or why there are none: switched off (proxy mode without its keys), or failed.
async fn load_kind(kind: Kind, config: DeskConfig) -> Loaded {
    let now_ms = js_sys::Date::now() as i64;
    let providers = &config.providers;
    let status = match kind {
        Kind::CdnStats | Kind::CdnPurge => &providers.cdn_stats,
        Kind::Iotda => &providers.iotda,
        Kind::Cls => &providers.cls,
    };
    if !status.enabled {
        return Loaded::Off(status.reason.clone().unwrap_or_else(|| "switched off".to_owned()));
    }
    let rows = match kind {
        Kind::CdnStats => load_cdn_stats(now_ms).await,
        Kind::CdnPurge => load_cdn_purge(now_ms).await,
        Kind::Iotda => return load_iotda(&config, now_ms).await,
        Kind::Cls => load_cls(&config, now_ms).await,
    };
    rows.map_or_else(Loaded::Failed, Loaded::Rows)
}

/// One kind's answer, with the refresh round it answers: `None` until the server's description
/// is known.
type KindResource = LocalResource<(u64, Option<Result<Loaded, ApiError>>)>;

#[component]
pub fn OverviewPage() -> impl IntoView {
    let desk = expect_context::<DeskResource>();
    let reload = RwSignal::new(0u64);
    // One resource a kind, loading side by side: a slow or failing provider holds up no other.
    // `None` while the server's description has not arrived: not an empty answer, which would
    // flash "nothing is running" (and list some kinds before others) before the real one.
    let kinds: Vec<(Kind, KindResource)> = KINDS
        .into_iter()
        .map(|kind| {
            let loaded = LocalResource::new(move || {
                let round = reload.get();
                let config = desk.get();
                async move {
                    let answer = match config {
                        Some(Ok(config)) => Some(Ok(load_kind(kind, config).await)),
                        Some(Err(error)) => Some(Err(error)),
                        None => None,
                    };
                    (round, answer)
                }
            });
            (kind, loaded)
        })
        .collect();
    let kinds = StoredValue::new(kinds);
    // Every kind's answer so far; `None` until all four have answered once.
    let loaded = Memo::new(move |_| {
        kinds.with_value(|kinds| {
            kinds
                .iter()
                .map(|(kind, resource)| resource.get().and_then(|(_, answer)| answer).map(|result| (*kind, result)))
                .collect::<Option<Vec<_>>>()
        })
    });
    // The round every kind has answered, once all have: it changes once a round even when the
    // answers are the same as the last round's (a task still "processing"), which `loaded` does
    // not, and the refresher needs to hear of every finished round to schedule the next.
    let settled = Memo::new(move |_| {
        kinds.with_value(|kinds| {
            let mut rounds = kinds.iter().map(|(_, resource)| match resource.get() {
                Some((round, Some(_))) => Some(round),
                _ => None,
            });
            let first = rounds.next().flatten()?;
            rounds.all(|round| round == Some(first)).then_some(first)
        })
    });
    let rows = Memo::new(move |_| {
        let mut rows: Vec<Row> = loaded.with(|loaded| {
            loaded
                .iter()
                .flatten()
                .filter_map(|(_, result)| match result {
                    Ok(Loaded::Rows(rows)) => Some(rows.clone()),
                    _ => None,
                })
                .flatten()
                .collect()
        });
        rows.sort_by_key(|row| std::cmp::Reverse(row.created_ms));
        rows
    });
    let outcome = Signal::derive(move || match settled.get().and_then(|_| loaded.get_untracked()) {
        None => RefreshOutcome::Pending,
        Some(kinds) if kinds.iter().any(|(_, result)| matches!(result, Err(_) | Ok(Loaded::Failed(_)))) => {
            RefreshOutcome::Failed
        }
        Some(_) if rows.with_untracked(|rows| rows.iter().any(|row| row.status.kind.is_unfinished())) => {
            RefreshOutcome::Unfinished
        }
        Some(_) => RefreshOutcome::AllFinished,
    });
    let refresh = use_auto_refresh(outcome, move || reload.update(|n| *n += 1));

    view! {
        <section class="page overview-page">
            <header class="page-header">
                <h1>"Overview"</h1>
                <p class="page-intro">
                    "Every task still running, and every task that failed in the last 24 hours, of all kinds."
                </p>
            </header>
            <div class="tasks-header">
                <h2 id="overview-heading">"Tasks that need a look"</h2>
                <RefreshStatus refresh=refresh on_refresh=move || reload.update(|n| *n += 1)/>
            </div>
            <Transition fallback=|| view! { <p class="loading" role="status">"Loading tasks of every kind…"</p> }>
                {move || loaded.get().map(|kinds| view! {
                    <KindProblems kinds=kinds on_retry=move || reload.update(|n| *n += 1)/>
                })}
            </Transition>
            <Show
                when=move || !rows.with(Vec::is_empty)
                fallback=move || view! {
                    <Show when=move || loaded.with(Option::is_some)>
                        <div class="empty-state" role="status">
                            <p>"Nothing is running, and nothing failed in the last 24 hours."</p>
                            <p class="overview-links">
                                {KINDS.map(|kind| view! {
                                    <A href=kind.page()>{kind.label()}"s"</A>
                                }).collect_view()}
                            </p>
                        </div>
                    </Show>
                }
            >
                <TaskTable
                    rows=rows
                    columns=columns()
                    key=row_key
                    highlighted=Signal::stored(None::<String>)
                    caption="Unfinished and recently failed tasks of every kind, newest first"
                />
            </Show>
        </section>
    }
}

/// The kinds that could not be listed, each with its error (and a retry) or the reason it is off.
#[component]
fn KindProblems(kinds: Vec<(Kind, Result<Loaded, ApiError>)>, #[prop(into)] on_retry: Callback<()>) -> impl IntoView {
    kinds
        .into_iter()
        .filter_map(|(kind, loaded)| match loaded {
            Ok(Loaded::Rows(_)) => None,
            Err(error) | Ok(Loaded::Failed(error)) => Some(
                view! {
                    <div class="overview-problem" data-kind=kind.page()>
                        <p class="overview-problem-title">{kind.label()}"s could not be listed."</p>
                        <ErrorView error=error on_retry=move |_| on_retry.run(())/>
                    </div>
                }
                .into_any(),
            ),
            Ok(Loaded::Off(reason)) => Some(
                view! {
                    <p class="overview-off muted" data-kind=kind.page()>{kind.label()}"s are not offered: "{reason}"."</p>
                }
                .into_any(),
            ),
        })
        .collect_view()
}

fn row_key(row: &Row) -> TaskKey {
    TaskKey { id: format!("{}:{}", row.kind.page(), row.id), version: format!("{}:{}", row.status.raw, row.title) }
}

fn columns() -> Vec<Column<Row>> {
    vec![
        Column::new("Kind", "col-kind", |row: &Row| view! { <span class="overview-kind">{row.kind.label()}</span> }),
        Column::new("Task", "col-name", |row: &Row| {
            let (href, title, id) = (row.href.clone(), row.title.clone(), row.id.clone());
            view! {
                <A href=href attr:class="task-name">{title}</A>
                <code class="task-id">{id}</code>
            }
        }),
        Column::new("Status", "col-status", |row: &Row| view! { <StatusBadge status=row.status.clone()/> }),
        Column::new("Created", "col-time", |row: &Row| view! { <Timestamp ms=row.created_ms/> }),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::status::StatusKind;

    #[test]
    fn running_tasks_are_listed_and_failures_only_while_recent() {
        let now = 1_800_000_000_000;
        let status = |kind| TaskStatus::new(kind, "raw");
        assert!(worth_listing(&status(StatusKind::Running), now - 10 * RECENT_MS, now));
        assert!(worth_listing(&status(StatusKind::Queued), now, now));
        assert!(worth_listing(&status(StatusKind::Failed), now - RECENT_MS + 1, now));
        assert!(!worth_listing(&status(StatusKind::Failed), now - RECENT_MS - 1, now));
        assert!(!worth_listing(&status(StatusKind::Succeeded), now, now));
        assert!(!worth_listing(&status(StatusKind::Expired), now, now));
    }
}
