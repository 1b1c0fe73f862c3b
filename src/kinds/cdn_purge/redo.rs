//! A refresh or preheat task done again, from its own page: "Refresh (or preheat) the N failed
//! URLs again" creates a task of the same type with exactly the URLs that failed, read from every
//! page of the task's detail; "Create again" fills the create form with all of the task's URLs.
//! Both read the URLs the same way ([`task_urls`]) and go through the form's own checks.

use super::form::{self, TaskContent};
use super::pasted_urls::PastedUrlsError;
use crate::api::status::TaskStatus;
use crate::api::{cdn_history, ApiError};
use crate::components::ErrorView;
use crate::i18n::Catalogue;
use crate::router::{navigate, Navigate};
use crate::task_page::create_form::OPEN_KEY;
use crate::task_page::{CountedCreate, DraftOffers};
use export_desk_model::huawei_cdn::history::{ShowHistoryTaskDetailsQuery, UrlStatus, URLS_MAX};
use export_desk_model::huawei_cdn::percent_encode;
use leptos::prelude::*;
use std::collections::HashSet;

/// URLs read a call. Any size the API takes would do; 100 keeps each answer small.
const WALK_PAGE_SIZE: u32 = 100;
/// A task holds at most [`URLS_MAX`] URLs (1,000; directories 100): this many pages cover it,
/// plus one that may come back empty when the last is full. The walk never goes further, whatever
/// an answer says.
const WALK_PAGES_MAX: u32 = (URLS_MAX as u32).div_ceil(WALK_PAGE_SIZE) + 1;

/// What the detail says the task is, for the actions: its counters and its kind.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct TaskShape {
    pub task_type: String,
    pub file_type: String,
    pub status: TaskStatus,
    pub failed: u32,
}

/// Whether the page after one that listed `got` URLs (of `size` asked for) may hold more.
fn more_after(got: usize, size: u32) -> bool {
    got >= size as usize
}

/// The URLs of task `task_id` (of `status`, or all), in the order the detail lists them, each once,
/// reading page after page until a short one. `create_time` goes along as the detail page has it
/// (the detail finds tasks older than 7 days only with it).
async fn task_urls(
    task_id: &str,
    create_time: Option<String>,
    status: Option<UrlStatus>,
) -> Result<Vec<String>, ApiError> {
    let mut urls = Vec::new();
    let mut seen = HashSet::new();
    for number in 1..=WALK_PAGES_MAX {
        let query = ShowHistoryTaskDetailsQuery {
            page_size: Some(WALK_PAGE_SIZE.to_string()),
            page_number: Some(number.to_string()),
            status: status.map(|s| s.as_str().to_owned()),
            create_time: create_time.clone(),
            ..ShowHistoryTaskDetailsQuery::default()
        };
        let answer = cdn_history::details(task_id, &query).await?;
        let got = answer.urls.len();
        for url in answer.urls {
            if seen.insert(url.id) {
                urls.push(url.url);
            }
        }
        if !more_after(got, WALK_PAGE_SIZE) {
            break;
        }
    }
    Ok(urls)
}

/// Why an action did nothing.
#[derive(Debug, Clone)]
enum Failure {
    Call(ApiError),
    /// The form's checks refused the URLs: nothing was sent.
    Refused(PastedUrlsError),
    /// The detail listed no failed URL after all.
    NoneFound,
}

/// What an action came to.
#[derive(Debug, Clone)]
enum Done {
    /// The failed URLs made a new task: its id and how many URLs it holds.
    Redone { id: String, count: usize },
    /// Every URL of the task, read for "Create again".
    Read(TaskContent),
}

/// One action of a task's page: `redo` the failed URLs, or read every URL for "Create again".
/// One action for both, so only one runs at a time and their code is in the bundle once.
#[derive(Debug, Clone)]
struct Intent {
    redo: bool,
    task_id: String,
    create_time: Option<String>,
    shape: TaskShape,
}

async fn run(intent: Intent, t: &'static Catalogue) -> Result<Done, Failure> {
    let status = intent.redo.then_some(UrlStatus::Failed);
    let urls = task_urls(&intent.task_id, intent.create_time, status).await.map_err(Failure::Call)?;
    let content = TaskContent { task_type: intent.shape.task_type, file_type: intent.shape.file_type, urls };
    if !intent.redo {
        return Ok(Done::Read(content));
    }
    if content.urls.is_empty() {
        return Err(Failure::NoneFound);
    }
    let request = form::request_again(&content, t).ok_or(Failure::NoneFound)?.map_err(Failure::Refused)?;
    let created = form::create(request).await.map_err(Failure::Call)?;
    Ok(Done::Redone { id: created.id, count: created.urls.len() })
}

/// Whether the task offers its failed URLs again: finished, some failed, and of a type the form
/// knows.
fn offers_redo(shape: &TaskShape) -> bool {
    shape.failed > 0 && !shape.status.kind.is_unfinished() && form::known_kind(&shape.task_type, &shape.file_type)
}

/// What an action that ended came to, and what it was for: the link to the new task leads to
/// another task of this same view, which must not show the first one's outcome.
#[derive(Debug, Clone)]
struct Ended {
    redo: bool,
    task_id: String,
    result: Result<Done, Failure>,
}

/// The actions of a task's page: the failed URLs again, and "Create again". Plain signals and a
/// scoped task rather than an `Action`: the same behaviour for less code in the bundle.
#[component]
pub(super) fn TaskActions(
    task_id: Memo<String>,
    #[prop(into)] create_time: Signal<Option<String>>,
    #[prop(into)] shape: Signal<Option<TaskShape>>,
) -> impl IntoView {
    let catalogue = crate::i18n::t();
    let words = &catalogue.redo;
    let offers = use_context::<DraftOffers>();
    let watcher = use_context::<crate::watch::Watcher>();
    // A redo is a create like a form's: counted while on its way, so the language switch waits
    // for its answer (a switch would rebuild this page and drop it).
    let counted = CountedCreate::new();
    // Which action is on its way (`true`: the redo), if one is: one at a time, never twice.
    let running: RwSignal<Option<bool>> = RwSignal::new(None);
    let ended: RwSignal<Option<Ended>> = RwSignal::new(None);

    let start = move |redo: bool| {
        if running.get_untracked().is_some() {
            return;
        }
        let Some(shape) = shape.get_untracked() else { return };
        let intent = Intent { redo, task_id: task_id.get_untracked(), create_time: create_time.get_untracked(), shape };
        running.set(Some(redo));
        ended.set(None);
        leptos::task::spawn_local_scoped(async move {
            let task_id = intent.task_id.clone();
            // Counted down at the end of this block, once the answer is shown (or dropped).
            let _counting = redo.then(|| counted.start());
            let result = run(intent, catalogue).await;
            // The new task is watched like one the form created, even if the page was left since.
            if let (Ok(Done::Redone { id, .. }), Some(watcher)) = (&result, watcher) {
                watcher.watch(super::PATH, id, "");
            }
            // The page was left while the action ran: nothing to show, nowhere to go from.
            if running.try_set(None).is_some() {
                return;
            }
            // "Create again": every URL of the task, into the form on the list's page.
            if let (Ok(Done::Read(content)), Some(offers)) = (&result, offers) {
                if form::offer_again(offers, content, task_id.clone()) {
                    navigate(&format!("{}?{OPEN_KEY}=1", super::PATH), Navigate::LINK);
                    return;
                }
            }
            ended.try_set(Some(Ended { redo, task_id, result }));
        });
    };
    let busy = move || running.get().is_some();
    let outcome = move || ended.get().filter(|ended| ended.task_id == task_id.get());

    let redo_button = move || {
        let shape = shape.get().filter(offers_redo)?;
        let refresh = shape.task_type == "refresh";
        Some(view! {
            <button type="button" class="button primary redo-failed" disabled=busy on:click=move |_| start(true)>
                {move || if running.get() == Some(true) { (words.redoing)(refresh) } else { (words.redo_failed)(refresh, shape.failed) }}
            </button>
        })
    };
    let again_button = move || {
        shape.get().filter(|s| form::known_kind(&s.task_type, &s.file_type))?;
        Some(view! {
            <button type="button" class="button create-again" disabled=busy on:click=move |_| start(false)>
                {move || if running.get() == Some(false) { words.reading_urls } else { words.create_again }}
            </button>
        })
    };
    let created = move || match outcome()?.result {
        Ok(Done::Redone { id, count }) => Some(view! {
            {words.redone_before}
            <a class="redone-link" href=format!("{}/{}", super::PATH, percent_encode(&id))>{id.clone()}</a>
            {(words.redone_after)(count)}
        }),
        _ => None,
    };
    let failure = move || {
        let Ended { redo, result, .. } = outcome()?;
        // Why nothing was created, and the lines the form's checks found wrong.
        let (why, lines) = match result {
            Ok(Done::Redone { .. }) => return None,
            Err(Failure::Call(error)) => {
                return Some(
                    view! { <ErrorView error=error on_retry=Callback::new(move |()| start(redo))/> }.into_any(),
                )
            }
            Ok(Done::Read(_)) => (words.again_unreadable, Vec::new()),
            Err(Failure::NoneFound) => (words.redo_none_found, Vec::new()),
            Err(Failure::Refused(problems)) => {
                let lines = problems.lines.iter().map(|p| format!("{}{}{}", p.label, problems.colon, p.message));
                let why = if redo { words.redo_refused } else { words.again_unreadable };
                (why, std::iter::once(problems.summary.clone()).chain(lines).collect())
            }
        };
        Some(
            view! {
                <div class="redo-refused" role="alert">
                    <p>{why}</p>
                    <ul>{lines.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
                </div>
            }
            .into_any(),
        )
    };

    view! {
        <div class="task-actions">
            {redo_button}
            {again_button}
        </div>
        // Always there, so the new task's link is announced as it appears.
        <p class="redo-status" role="status">{created}</p>
        {failure}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::status::StatusKind;

    #[test]
    fn the_walk_is_bounded_by_the_most_urls_a_task_can_hold() {
        assert_eq!(WALK_PAGES_MAX, 11, "1,000 URLs in pages of 100, and one more that may be empty");
        assert!(more_after(100, 100));
        assert!(!more_after(99, 100), "a short page is the last");
        assert!(!more_after(0, 100));
    }

    fn shape(task_type: &str, kind: StatusKind, failed: u32) -> TaskShape {
        TaskShape {
            task_type: task_type.into(),
            file_type: "file".into(),
            status: TaskStatus { kind, raw: String::new(), note: None },
            failed,
        }
    }

    #[test]
    fn the_failed_urls_are_offered_again_only_when_the_task_is_done_and_some_failed() {
        assert!(offers_redo(&shape("refresh", StatusKind::Failed, 3)));
        assert!(offers_redo(&shape("preheating", StatusKind::Succeeded, 1)));
        assert!(!offers_redo(&shape("refresh", StatusKind::Succeeded, 0)), "none failed");
        assert!(!offers_redo(&shape("refresh", StatusKind::Running, 3)), "unfinished: more may fail");
        assert!(!offers_redo(&shape("purge", StatusKind::Failed, 3)), "a type the form does not know");
    }

    #[test]
    fn the_button_says_the_real_number_in_both_languages() {
        let (en, zh) = (&crate::i18n::EN.redo, &crate::i18n::ZH_CN.redo);
        assert_eq!((en.redo_failed)(true, 3), "Refresh the 3 failed URLs again");
        assert_eq!((en.redo_failed)(false, 1), "Preheat the failed URL again");
        assert_eq!((zh.redo_failed)(true, 3), "重新刷新失败的 3 个 URL");
        assert_eq!((zh.redo_failed)(false, 1), "重新预热失败的 1 个 URL");
    }
}
