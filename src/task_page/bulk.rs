//! Actions on several rows at once, written once: a kind declares a [`Bulk`], made from its rows'
//! delete (the one [`RowDelete`] its rows' buttons use: the same call and words, declared once)
//! and, when it has one, their download; [`TaskListView`](super::TaskListView) adds the rest —
//! the delete's outcome, a checkbox column ([`Selection`]), and a bar over the table when rows are
//! chosen: "3 selected", Delete, Download, Clear selection.
//!
//! - **One confirmation** for a delete, naming the count and the ids (the first ten).
//! - **One row after another**, [`ROW_SPACING_MS`] apart (never a burst: the account's rate limit is
//!   shared with every other client); a refusal for asking too fast is waited out as the CSV export
//!   does ([`is_rate_limited`], its `Retry-After`, else 1, 2, 4 … s), shown as a countdown.
//! - **A queue** where the provider serves one download at a time (IoTDA: one every 30 s): after
//!   each file the next waits on the kind's own countdown (the one its row buttons show), and the
//!   provider's refusal with its `Retry-After` restarts it.
//! - **Progress** ("3 of 7", a `progressbar`), **Cancel** (the call under way finishes and is
//!   counted; the rest are "not done"), and **an outcome per row** (done, failed with the error's
//!   words, skipped), summed up in a status line when it ends. The list reloads after a delete.
//!
//! The run and the bar are not generic; [`bulk_bar`] is the thin generic shell that reads the
//! chosen rows of a [`ListSource`].
//!
//! ```ignore
//! let delete = RowDelete::new(DeleteWords { thing, question }, |id| async move { cls::delete(&id).await.map(drop) }, reload);
//! let bulk = Bulk::new(delete).download(|e: &ExportInfo| follow_link(&e.cos_path), None);
//! view! { <TaskListView list=list columns=columns(delete) bulk=bulk /* … */ /> }
//! ```

use super::list::TaskList;
use super::list_export::{is_rate_limited, rate_limit_wait_secs, sleep_ms, RATE_LIMIT_RETRIES};
use super::row_delete::{RowDelete, RowDeleteOutcome};
use super::source::ListSource;
use crate::api::ApiError;
use crate::components::{confirm_group, safe_href, ConfirmGroup, Selection};
use crate::hooks::{effect, use_countdown, Countdown};
use crate::i18n::{self, Catalogue};
use leptos::prelude::*;
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Poll, Waker};

type LocalFuture<T> = Pin<Box<dyn Future<Output = T>>>;

/// One row's call, made when the run reaches it (and again after a refusal for asking too fast).
pub type RowCall = Rc<dyn Fn() -> LocalFuture<Result<(), ApiError>>>;

/// The kind's delete of row `id` as a run's row call, each try a new call (written once, not per kind).
fn delete_call(delete: RowDelete, id: String) -> RowCall {
    Rc::new(move || delete.call_for(id.clone()))
}

/// The pause between two rows' calls.
pub const ROW_SPACING_MS: u32 = 250;
/// The most ids the confirmation names; it says how many more.
const IDS_NAMED: usize = 10;

/// A row's download and, when it follows a link, the link: `None` when the row has no file
/// (unfinished, failed, expired).
pub type RowDownload = Option<(RowCall, Option<String>)>;
type DownloadOf<T> = Rc<dyn Fn(&T) -> RowDownload>;

/// What a kind declares to let its rows be chosen and acted on together.
pub struct Bulk<T> {
    /// The rows' own delete: its call and its word (which names the rows) are the bulk delete's.
    delete: RowDelete,
    download: Option<(DownloadOf<T>, Option<Queue>)>,
}

/// A provider's one-download-at-a-time rule.
#[derive(Clone, Copy)]
pub struct Queue {
    /// Seconds after a download before the next one is served.
    pub interval_secs: u32,
    /// The error code of the provider's "too soon" refusal (its `Retry-After` says how long).
    pub too_soon: &'static str,
    /// The countdown the kind shows the wait on, shared with its row buttons.
    pub wait: Countdown,
}

impl<T: 'static> Bulk<T> {
    /// Chosen rows are deleted as `delete` deletes one, and its outcome shows above the bar.
    pub fn new(delete: RowDelete) -> Self {
        Self { delete, download: None }
    }

    /// Rows download with `download` (a row without a file gives `None` and is skipped), queued
    /// by `queue` where the provider serves one at a time.
    pub fn download(mut self, download: impl Fn(&T) -> RowDownload + 'static, queue: Option<Queue>) -> Self {
        self.download = Some((Rc::new(download), queue));
        self
    }
}

/// A row's download that follows a link (only `http`/`https`) in a hidden frame of its own.
///
/// Not by clicking an `<a download>` as the row's link does: a provider's link (a signed COS URL)
/// is on another origin, where browsers ignore `download`, and a file served to be shown rather
/// than saved would replace the dashboard, ending the run. In a frame, a file served as an
/// attachment is saved and one served to be shown stays out of sight; the outcome offers the link
/// again for that case. The frames stay until the next download run, even when the page is left
/// (removing one early would cancel a file still on its way).
pub fn follow_link(link: &str) -> RowDownload {
    let href = safe_href(link)?.to_owned();
    let call_href = href.clone();
    let call: RowCall = Rc::new(move || {
        let href = call_href.clone();
        Box::pin(async move {
            let failed = ApiError::NotSaved;
            let document = document();
            let frame = document.create_element("iframe").map_err(|_| failed("no frame"))?;
            for (name, value) in
                [("class", FRAME_CLASS), ("hidden", ""), ("tabindex", "-1"), ("aria-hidden", "true"), ("src", &href)]
            {
                frame.set_attribute(name, value).map_err(|_| failed("no frame"))?;
            }
            let body = document.body().ok_or_else(|| failed("no document body"))?;
            body.append_child(&frame).map_err(|_| failed("no frame"))?;
            Ok(())
        })
    });
    Some((call, Some(href)))
}

/// The class of the hidden frames [`follow_link`] downloads in.
const FRAME_CLASS: &str = "bulk-download-frame";

/// Removes the frames of earlier downloads.
fn remove_download_frames() {
    if let Ok(frames) = document().query_selector_all(&format!("iframe.{FRAME_CLASS}")) {
        for index in 0..frames.length() {
            let Some(frame) = frames.item(index) else { continue };
            if let Some(parent) = frame.parent_node() {
                let _ = parent.remove_child(&frame);
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Act {
    Delete,
    Download,
}

/// How one row went.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Done,
    Failed(ApiError),
    Skipped,
    NotDone,
    /// Cancelled while its call was under way.
    Interrupted,
}

/// One row of a run: its id, its call (`None`: skipped), and for a link the link, shown again
/// beside the outcome in case the browser held the file back.
struct Job {
    id: String,
    call: Option<RowCall>,
    link: Option<String>,
}

/// What the bar shows of the run under way or the last one.
#[derive(Clone, Default)]
struct Run {
    act: Option<Act>,
    total: usize,
    outcomes: Vec<(String, Outcome, Option<String>)>,
    finished: bool,
    cancelled: bool,
}

/// How many of the given rows have a file to download.
type CountFiles = Rc<dyn Fn(&[String]) -> usize>;

/// The rows chosen, as jobs of an act.
type Prepare = Rc<dyn Fn(Act, &[String]) -> Vec<Job>>;

/// The checkbox column and, above the table, the outcome of the rows' delete and the bar for
/// `list`, as `bulk` declares them: chosen rows are deleted with that same delete (its call and
/// words) and, if declared, downloaded. The bar is a plain function's view, not a component (a
/// component's builder would be in the wasm once per kind).
pub fn bulk_bar<S: ListSource>(list: TaskList<S>, bulk: Bulk<S::Row>) -> (Selection, AnyView) {
    let Bulk { delete, download } = bulk;
    let t = i18n::t();
    let page = Memo::new(move |_| list.rows.with(|rows| rows.iter().map(|row| S::key(row).id).collect::<Vec<_>>()));
    let thing = delete.words().thing;
    let selection = Selection {
        chosen: RwSignal::new(Vec::new()),
        page,
        row_label: Callback::new(move |id: String| (t.bulk.select_row)(thing, &id)),
        all_label: t.bulk.select_page,
        select_all: NodeRef::new(),
    };
    // The choice holds only rows on the page shown: a deleted task, another page or other filters
    // drop the rest, so an action never reaches a row out of sight.
    effect(move || page.with(|page| selection.keep_only(page)));
    let queue = download.as_ref().and_then(|(_, queue)| *queue);
    let can_download: Option<CountFiles> = download.as_ref().map(|(download, _)| {
        let download = Rc::clone(download);
        Rc::new(move |ids: &[String]| {
            list.rows
                .with(|rows| rows.iter().filter(|row| ids.contains(&S::key(row).id) && download(row).is_some()).count())
        }) as CountFiles
    });
    let prepare: Prepare = Rc::new(move |act, ids| {
        list.rows.with_untracked(|rows| {
            ids.iter()
                .filter_map(|id| {
                    let row = rows.iter().find(|row| S::key(row).id == *id)?;
                    let (call, link) = match (act, &download) {
                        (Act::Delete, _) => (Some(delete_call(delete, id.clone())), None),
                        (Act::Download, Some((download, _))) => {
                            download(row).map_or((None, None), |(c, l)| (Some(c), l))
                        }
                        (Act::Download, None) => (None, None),
                    };
                    Some(Job { id: id.clone(), call, link })
                })
                .collect()
        })
    });
    let view = bulk_view(BarParts {
        row_delete: delete,
        t,
        thing,
        selection,
        prepare,
        can_download,
        queue,
        on_deleted: Callback::new(move |()| list.reload()),
    });
    (selection, view)
}

struct BarParts {
    /// The rows' own delete, whose outcome shows above the bar.
    row_delete: RowDelete,
    t: &'static Catalogue,
    thing: &'static str,
    selection: Selection,
    prepare: Prepare,
    /// How many of the given rows have a file; `None` when the kind has no download.
    can_download: Option<CountFiles>,
    queue: Option<Queue>,
    on_deleted: Callback<()>,
}

/// A run's Cancel: heard at once, even by a call under way or a wait.
#[derive(Default)]
struct Cancel {
    cancelled: Cell<bool>,
    waker: RefCell<Option<Waker>>,
}

impl Cancel {
    fn cancel(&self) {
        self.cancelled.set(true);
        if let Some(waker) = self.waker.take() {
            waker.wake();
        }
    }

    fn is_cancelled(&self) -> bool {
        self.cancelled.get()
    }

    /// The future's output, or `None` as soon as the run is cancelled.
    async fn unless<T>(&self, mut future: LocalFuture<T>) -> Option<T> {
        std::future::poll_fn(|context| {
            if self.is_cancelled() {
                return Poll::Ready(None);
            }
            match future.as_mut().poll(context) {
                Poll::Ready(value) => Poll::Ready(Some(value)),
                Poll::Pending => {
                    self.waker.replace(Some(context.waker().clone()));
                    Poll::Pending
                }
            }
        })
        .await
    }

    /// Waits until `countdown` is over; `false` when cancelled first.
    async fn wait_out(&self, countdown: Countdown) -> bool {
        while countdown.left.try_get_untracked().flatten().is_some() {
            if self.unless(sleep_ms(250)).await.is_none() {
                return false;
            }
        }
        !self.is_cancelled()
    }
}

fn bulk_view(parts: BarParts) -> AnyView {
    let BarParts { row_delete, t, thing, selection, prepare, can_download, queue, on_deleted } = parts;
    let words = &t.bulk;
    let chosen = selection.chosen;
    let run = RwSignal::new(Run::default());
    let asking = RwSignal::new(false);
    // Waits for a refusal for asking too fast; a queue's waits are on the kind's countdown.
    let slowed = use_countdown();
    let cancel_flag = StoredValue::new_local(None::<Rc<Cancel>>);
    on_cleanup(move || {
        if let Some(flag) = cancel_flag.try_get_value().flatten() {
            flag.cancel();
        }
    });
    let delete_button = NodeRef::<leptos::html::Button>::new();
    let summary_line = NodeRef::<leptos::html::P>::new();
    let cancel_button = NodeRef::<leptos::html::Button>::new();
    let focus = move |button: NodeRef<leptos::html::Button>| {
        request_animation_frame(move || {
            if let Some(button) = button.try_get_untracked().flatten() {
                let _ = button.focus();
            }
        });
    };
    let running = move || run.with(|run| run.act.is_some() && !run.finished);
    let owner = Owner::current();

    let start = Rc::new(move |act: Act| {
        asking.set(false);
        let jobs = prepare(act, &chosen.get_untracked());
        if jobs.is_empty() {
            return;
        }
        if act == Act::Download {
            remove_download_frames();
        }
        let flag = Rc::new(Cancel::default());
        cancel_flag.set_value(Some(Rc::clone(&flag)));
        run.set(Run { act: Some(act), total: jobs.len(), ..Run::default() });
        let task = async move {
            let mut called = false;
            for Job { id, call, link } in jobs {
                let outcome = match call {
                    _ if flag.is_cancelled() => Outcome::NotDone,
                    None => Outcome::Skipped,
                    Some(call) => {
                        if called && flag.unless(sleep_ms(ROW_SPACING_MS)).await.is_none() {
                            Outcome::NotDone
                        } else {
                            called = true;
                            run_row(call, act, queue, slowed, &flag).await
                        }
                    }
                };
                let deleted = act == Act::Delete && outcome == Outcome::Done;
                run.try_update(|run| run.outcomes.push((id.clone(), outcome, link)));
                if deleted {
                    chosen.try_update(|chosen| chosen.retain(|chosen| *chosen != id));
                }
            }
            let cancelled = flag.is_cancelled();
            run.try_update(|run| {
                run.finished = true;
                run.cancelled = cancelled;
            });
            let _ = cancel_flag.try_set_value(None);
            if act == Act::Delete {
                on_deleted.try_run(());
            }
            // Cancel, focused, is gone with the run: the focus goes to the line saying how it went.
            request_animation_frame(move || {
                let lost = document().active_element().is_none_or(|element| element.tag_name() == "BODY");
                if lost {
                    if let Some(line) = summary_line.try_get_untracked().flatten() {
                        let _ = line.focus();
                    }
                }
            });
        };
        // The page left (another page, or the language switched) ends the run where it waits:
        // nothing of the page it belonged to is touched after that.
        match &owner {
            Some(owner) => owner.with(|| leptos::task::spawn_local_scoped_with_cancellation(task)),
            None => leptos::task::spawn_local(task),
        }
        focus(cancel_button);
    });
    let cancel = move |_| {
        if let Some(flag) = cancel_flag.try_get_value().flatten() {
            flag.cancel();
        }
    };

    let has_download = can_download.is_some();
    // Held as local values: the view's closures must be `Send`.
    let can_download = StoredValue::new_local(can_download);
    let start = StoredValue::new_local(start);
    let count = move || chosen.with(Vec::len);
    let skips =
        move || can_download.with_value(|can| can.as_ref().map_or(0, |can| count() - can(&chosen.get()).min(count())));
    let question = TextProp::from(move || {
        let ids = chosen.get();
        let named = ids.iter().take(IDS_NAMED).cloned().collect::<Vec<_>>().join(", ");
        format!(
            "{} {}",
            (words.delete_question)(ids.len(), thing),
            (words.ids_more)(&named, ids.len().saturating_sub(IDS_NAMED))
        )
    });
    let download_button = has_download.then(|| {
        view! {
            <button type="button" class="button bulk-download" disabled=running
                on:click=move |_| start.with_value(|start| start(Act::Download))>{words.download}</button>
        }
    });
    // The row delete's confirmation group (question, "Yes, delete 3", Cancel last, Escape), under
    // the bar: the question names the count and the first ids. Not a `ConfirmButton`: that one
    // swaps its button for the question in place, sized for a table cell; this question is a
    // paragraph and Delete stays in the bar. Nor its focus rule (back to the button when the
    // question closes and the focus fell to the page): here "Yes" starts a run whose Cancel takes
    // the focus, so only Cancel and Escape hand it back to Delete.
    let confirm_cancel = NodeRef::<leptos::html::Button>::new();
    let close_question = move || {
        asking.set(false);
        focus(delete_button);
    };
    let confirm = move || {
        confirm_group(ConfirmGroup {
            class: "bulk-confirm",
            label: words.delete.to_owned(),
            question: question.clone(),
            confirm_label: TextProp::from(move || (words.yes_delete)(count())),
            cancel_label: words.cancel,
            disabled: Signal::stored(false),
            on_confirm: Callback::new(move |()| start.with_value(|start| start(Act::Delete))),
            on_cancel: Callback::new(move |()| close_question()),
            cancel_button: confirm_cancel,
        })
    };

    view! {
        <RowDeleteOutcome delete=row_delete/>
        <div class="bulk" hidden=move || count() == 0 && run.with(|run| run.act.is_none())>
            <div class="bulk-bar" role="group" aria-label=words.bar_label hidden=move || count() == 0>
                <span class="bulk-count">{move || (words.selected)(count())}</span>
                <button type="button" class="button danger bulk-delete" node_ref=delete_button
                    disabled=running on:click=move |_| {
                        // The question of several rows puts the last row's delete out of date.
                        row_delete.clear_outcome();
                        asking.set(true);
                        focus(confirm_cancel);
                    }>
                    {words.delete}
                </button>
                {download_button}
                <button type="button" class="button subtle bulk-clear" disabled=running
                    on:click=move |_| {
                        chosen.set(Vec::new());
                        // The bar, and this button with it, goes: the focus goes to the choosing.
                        selection.focus_choosing();
                    }>{words.clear}</button>
            </div>
            {move || (skips() > 0 && !running()).then(|| view! { <p class="muted bulk-skips">{(words.download_skips)(skips())}</p> })}
            {move || asking.get().then(&confirm)}
            {move || running().then(|| view! {
                <button type="button" class="button bulk-cancel" node_ref=cancel_button on:click=cancel>
                    {words.cancel}
                </button>
            })}
            // Always in the page, so screen readers read the line out when it is filled in.
            <p class="bulk-summary" role="status" tabindex="-1" node_ref=summary_line>
                {move || run.with(|run| summary(run, t))}
            </p>
            {move || run_view(run.get(), t, queue, slowed)}
        </div>
    }
    .into_any()
}

/// Whether the provider refused because it was asked too fast (in a queue: too soon).
fn too_fast(error: &ApiError, queue: Option<Queue>) -> bool {
    is_rate_limited(error) || queue.is_some_and(|queue| error.code() == Some(queue.too_soon))
}

/// Runs one row's call, waiting out the provider's "not so fast" (and, in a queue, the interval
/// before it), up to [`RATE_LIMIT_RETRIES`] times.
async fn run_row(call: RowCall, act: Act, queue: Option<Queue>, slowed: Countdown, cancel: &Cancel) -> Outcome {
    let queue = queue.filter(|_| act == Act::Download);
    let mut attempt = 0;
    loop {
        if let Some(queue) = queue {
            if !cancel.wait_out(queue.wait).await {
                return Outcome::NotDone;
            }
        }
        // Cancelled while the call is under way: whether the provider did it is for the list to say.
        let Some(answer) = cancel.unless(call()).await else { return Outcome::Interrupted };
        match answer {
            Ok(()) => {
                if let Some(queue) = queue {
                    queue.wait.start(queue.interval_secs);
                }
                return Outcome::Done;
            }
            Err(error) if attempt < RATE_LIMIT_RETRIES && too_fast(&error, queue) => {
                attempt += 1;
                let countdown = queue.map_or(slowed, |queue| queue.wait);
                countdown.start(rate_limit_wait_secs(&error, attempt));
                if !cancel.wait_out(countdown).await {
                    return Outcome::NotDone;
                }
            }
            Err(error) => return Outcome::Failed(error),
        }
    }
}

/// "Finished: 6 done, 1 failed.", once the run is over.
fn summary(run: &Run, t: &'static Catalogue) -> Option<String> {
    let count = |wanted: fn(&Outcome) -> bool| run.outcomes.iter().filter(|(_, outcome, _)| wanted(outcome)).count();
    run.finished.then(|| {
        (t.bulk.summary)(
            count(|o| *o == Outcome::Done),
            count(|o| matches!(o, Outcome::Failed(_))),
            count(|o| *o == Outcome::Skipped),
            count(|o| matches!(o, Outcome::NotDone | Outcome::Interrupted)),
            run.cancelled,
        )
    })
}

/// The run's progress (while it runs: the bar, and the wait if there is one) and each row's outcome.
fn run_view(run: Run, t: &'static Catalogue, queue: Option<Queue>, slowed: Countdown) -> Option<AnyView> {
    let (words, errors) = (&t.bulk, &t.errors);
    let act = run.act?;
    let done = run.outcomes.len();
    let progress = (!run.finished).then(|| {
        let text = (words.progress)(done, run.total);
        let percent = (done * 100).checked_div(run.total).unwrap_or(0);
        let wait = move || {
            if let Some(secs) = slowed.left.get() {
                return Some((words.slowed)(secs));
            }
            let queue = queue.filter(|_| act == Act::Download)?;
            queue.wait.left.get().map(words.next_download)
        };
        view! {
            <div class="bulk-progress">
                <div class="progress" role="progressbar" aria-label=words.progress_label aria-valuemin="0"
                    aria-valuemax=run.total aria-valuenow=done aria-valuetext=text.clone()>
                    <span class="progress-succeed" style:width=format!("{percent}%")></span>
                </div>
                <span class="bulk-progress-text">{text}</span>
                <span class="bulk-wait" role="timer">{wait}</span>
            </div>
        }
    });
    let notes = (act == Act::Download).then(|| {
        view! {
            {queue.map(|_| view! { <p class="muted bulk-note">{words.queue_note}</p> })}
            <p class="muted bulk-note">{words.browser_note}</p>
        }
    });
    let done_word = if act == Act::Delete { words.deleted } else { words.download_started };
    let rows = run
        .outcomes
        .into_iter()
        .map(|(id, outcome, link)| {
            // A failure in the error view's words: the dashboard's title, then the provider's code
            // and message as they came.
            let mut said = None;
            let (class, text) = match &outcome {
                Outcome::Done => ("done", done_word.to_owned()),
                Outcome::Failed(error) => {
                    let wording = error.wording(errors);
                    said = Some((wording.code, wording.detail));
                    ("failed", format!("{} {}", words.failed, wording.title))
                }
                Outcome::Skipped => ("skipped", words.skipped.to_owned()),
                Outcome::NotDone => ("not-done", words.not_done.to_owned()),
                Outcome::Interrupted => ("not-done", words.interrupted.to_owned()),
            };
            let said = said.map(|(code, detail)| {
                view! { " "{code.map(|code| view! { <code>{code}</code>" " })}<span class="error-message">{detail}</span> }
            });
            let link = link.filter(|_| outcome == Outcome::Done).map(|href| {
                view! { <a class="bulk-link" href=href download="" rel="noopener noreferrer">{words.download}</a> }
            });
            let shown = id.clone();
            view! {
                <li class=format!("bulk-outcome {class}") data-task-id=id>
                    <code>{shown}</code>" "<span>{text}</span>{said}" "{link}
                </li>
            }
        })
        .collect_view();
    Some(
        view! {
            {progress}
            {notes}
            <ul class="bulk-outcomes" aria-label=words.outcome_label>{rows}</ul>
        }
        .into_any(),
    )
}
