//! The home page: every unfinished task, and every task that failed in the last day, of all four
//! kinds in one list, each linking to its own page. It refreshes itself while anything runs. Above
//! the list, the search for any task by its id ([`FindTask`]).
//!
//! Each kind is loaded on its own, so a provider that fails (or is switched off in proxy mode)
//! shows its own error or reason while the others still list their tasks.

use super::find_task::FindTask;
use crate::api::status::{StatusKind, TaskStatus};
use crate::api::ApiError;
use crate::components::{Column, ErrorView, LongText, RefreshStatus, StatusBadge, TaskKey, TaskTable, Timestamp};
use crate::hooks::{use_auto_refresh, RefreshOutcome};
use crate::i18n::{self, Catalogue};
use crate::kinds::{KindEntry, OverviewTask, KINDS, RECENT_MS};
use crate::task_page::PageShell;
use crate::watch::WatchToggle;
use crate::DeskResource;
use export_desk_model::desk::DeskConfig;
use leptos::prelude::*;

type Kind = &'static KindEntry;

/// One task of any kind, as the overview lists it.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    /// The kind's page, which names it.
    kind_path: &'static str,
    kind: &'static str,
    task: OverviewTask,
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
    status.kind.is_unfinished() || (status.kind == StatusKind::Failed && at_ms >= now_ms - RECENT_MS)
}

/// One kind's tasks, or why there are none: switched off (proxy mode without its keys, IoTDA
/// without a project), or failed.
async fn load_kind(kind: Kind, config: DeskConfig, t: &'static Catalogue) -> Loaded {
    if let Some(reason) = kind.off_reason(&config, t) {
        return Loaded::Off(reason);
    }
    let now_ms = js_sys::Date::now() as i64;
    match (kind.overview)(&config, now_ms, t).await {
        Err(error) => Loaded::Failed(error),
        Ok(tasks) => Loaded::Rows(
            tasks
                .into_iter()
                .filter(|task| worth_listing(&task.status, task.changed_ms, now_ms))
                .map(|task| Row { kind_path: kind.path, kind: (kind.one)(t), task })
                .collect(),
        ),
    }
}

/// One kind's answer, with the refresh round it answers: `None` until the server's description
/// is known.
type KindResource = LocalResource<(u64, Option<Result<Loaded, ApiError>>)>;

#[component]
pub fn OverviewPage() -> impl IntoView {
    let t = i18n::t();
    let desk = expect_context::<DeskResource>();
    let reload = RwSignal::new(0u64);
    // One resource a kind, loading side by side: a slow or failing provider holds up no other.
    // `None` while the server's description has not arrived: not an empty answer, which would
    // flash "nothing is running" (and list some kinds before others) before the real one.
    let kinds: Vec<(Kind, KindResource)> = KINDS
        .iter()
        .map(|kind| {
            let loaded = LocalResource::new(move || {
                let round = reload.get();
                let config = desk.get();
                async move {
                    let answer = match config {
                        Some(Ok(config)) => Some(Ok(load_kind(kind, config, t).await)),
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
        rows.sort_by_key(|row| std::cmp::Reverse(row.task.created_ms));
        rows
    });
    let outcome = Signal::derive(move || match settled.get().and_then(|_| loaded.get_untracked()) {
        None => RefreshOutcome::Pending,
        Some(kinds) if kinds.iter().any(|(_, result)| matches!(result, Err(_) | Ok(Loaded::Failed(_)))) => {
            RefreshOutcome::Failed
        }
        Some(_) if rows.with_untracked(|rows| rows.iter().any(|row| row.task.status.kind.is_unfinished())) => {
            RefreshOutcome::Unfinished
        }
        Some(_) => RefreshOutcome::AllFinished,
    });
    let refresh = use_auto_refresh(outcome, move || reload.update(|n| *n += 1));

    view! {
        <PageShell
            title=t.overview.title
            intro=t.overview.intro
            class="page overview-page"
        >
            <FindTask/>
            <div class="tasks-header">
                <h2 id="overview-heading">{t.overview.heading}</h2>
                <RefreshStatus refresh=refresh on_refresh=move || reload.update(|n| *n += 1)/>
            </div>
            <Transition fallback=move || view! { <p class="loading" role="status">{t.overview.loading}</p> }>
                {move || loaded.get().map(|kinds| view! {
                    <KindProblems kinds=kinds on_retry=move || reload.update(|n| *n += 1)/>
                })}
            </Transition>
            <Show
                when=move || !rows.with(Vec::is_empty)
                fallback=move || view! {
                    <Show when=move || loaded.with(Option::is_some)>
                        <div class="empty-state" role="status">
                            <p>{t.overview.empty}</p>
                            <p class="overview-links">
                                {KINDS.iter().map(|kind| view! { <a href=kind.path>{(kind.title)(t)}</a> }).collect_view()}
                            </p>
                        </div>
                    </Show>
                }
            >
                <TaskTable
                    rows=rows
                    columns=columns(t)
                    key=row_key
                    highlighted=Signal::stored(None::<String>)
                    caption=t.overview.caption
                />
            </Show>
        </PageShell>
    }
}

/// The kinds that could not be listed, each with its error (and a retry) or the reason it is off.
#[component]
fn KindProblems(kinds: Vec<(Kind, Result<Loaded, ApiError>)>, #[prop(into)] on_retry: Callback<()>) -> impl IntoView {
    let t = i18n::t();
    kinds
        .into_iter()
        .filter_map(|(kind, loaded)| match loaded {
            Ok(Loaded::Rows(_)) => None,
            Err(error) | Ok(Loaded::Failed(error)) => Some(
                view! {
                    <div class="overview-problem" data-kind=kind.path>
                        <p class="overview-problem-title">{(t.overview.not_listed)((kind.title)(t))}</p>
                        <ErrorView error=error on_retry=move |_| on_retry.run(())/>
                    </div>
                }
                .into_any(),
            ),
            Ok(Loaded::Off(reason)) => Some(
                view! {
                    <p class="overview-off muted" data-kind=kind.path>{(t.overview.not_offered)((kind.title)(t), &reason)}</p>
                }
                .into_any(),
            ),
        })
        .collect_view()
}

fn row_key(row: &Row) -> TaskKey {
    let task = &row.task;
    TaskKey { id: format!("{}:{}", row.kind_path, task.id), version: format!("{}:{}", task.status.raw, task.title) }
}

fn columns(t: &'static Catalogue) -> Vec<Column<Row>> {
    let words = &t.overview;
    vec![
        Column::new(words.column_kind, "col-kind", |row: &Row| view! { <span class="overview-kind">{row.kind}</span> }),
        Column::new(words.column_task, "col-name", move |row: &Row| {
            let task = &row.task;
            let (href, title, id) = (task.href.clone(), task.title.clone(), task.id.clone());
            view! {
                <a href=href class="task-name">{title}</a>
                <LongText text=id class="task-id" code=true copy=t.find.copy_task_id/>
            }
        }),
        Column::new(
            words.column_status,
            "col-status",
            |row: &Row| view! { <StatusBadge status=row.task.status.clone()/> },
        ),
        Column::new(words.column_created, "col-time", |row: &Row| view! { <Timestamp ms=row.task.created_ms/> }),
        // Watch any unfinished task: its notice comes on whatever page is shown (`crate::watch`).
        Column::new(t.watch.column_watch, "col-actions", |row: &Row| {
            row.task.status.kind.is_unfinished().then(
                || view! { <WatchToggle kind=row.kind_path id=row.task.id.clone() scope=row.task.scope.clone()/> },
            )
        }),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

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
