//! "Download list as CSV", for every list: every row the filters in the URL match (not only the
//! page shown), fetched page after page by the list's own paging in its largest page size, with
//! the columns the table shows (each declared once, with its text: see
//! [`Column::text`](crate::components::Column::text)), times in the chosen zone.
//!
//! - **Pacing:** one call at a time, [`ListSource::EXPORT_SPACING_MS`] apart (no burst).
//! - **Rate limits:** a refusal for asking too fast (HTTP 429, Huawei's gateway `APIGW.0308`,
//!   Tencent's `RequestLimitExceeded…`) is waited out, for its `Retry-After` (at most
//!   [`RETRY_AFTER_MAX_SECS`]) or 1, 2, 4, 8, 16 s, shown as a countdown, up to
//!   [`RATE_LIMIT_RETRIES`] times; then it is an error like any other.
//! - **Cap:** [`EXPORT_ROW_CAP`] rows; the file then says nothing of the rest and the page says
//!   that the cap cut it.
//! - **Cancel** stops at once: the call under way is not waited for and no file is saved.
//! - **An error** shows in the one error view; Retry goes on from the page that failed.
//!
//! The walk itself ([`walk`]) is plain async code over a [`FetchPage`], tested natively with a
//! fake source; [`list_export`] is a thin generic shell that makes the fetcher from a
//! [`ListSource`] and hands it to one non-generic view.
//!
//! ```ignore
//! let export = list_export(list, csv_columns); // TaskListView does this
//! ```

use super::list::TaskList;
use super::source::ListSource;
use crate::api::ApiError;
use crate::components::csv_file::zone_name;
use crate::components::{CsvCell, CsvColumn, CsvTimes, CsvWriter, ErrorView, PageModel, PageStep};
use crate::i18n::{self, Catalogue};
use crate::router::use_params;
use crate::{settings, time_zone};
use leptos::prelude::*;
use std::any::Any;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Most rows an export takes. 10,000 rows make a file of about 1–3 MB, which a browser builds
/// and saves at once; it is one call of refresh/preheat's largest page, and 100 calls of the
/// other lists' (25 s at the export's pace). IoTDA keeps at most 50 tasks, so only refresh/preheat
/// and CLS can reach it.
pub const EXPORT_ROW_CAP: u64 = 10_000;
/// How often a refusal for asking too fast is waited out before it counts as an error.
pub const RATE_LIMIT_RETRIES: u32 = 5;
/// The longest `Retry-After` honoured as given; a longer one is cut to this (the countdown must
/// stay something a person waits for).
pub const RETRY_AFTER_MAX_SECS: u32 = 60;

pub(super) type LocalFuture<T> = Pin<Box<dyn Future<Output = T>>>;

/// Which page to fetch: the list's own query for it, whose type only the fetcher knows.
pub type Cursor = Rc<dyn Any>;

/// One page as the export reads it: the rows as the file's cells, the total when the API says,
/// and the page after it (`None` at the end).
pub struct ExportPage {
    pub rows: Vec<Vec<CsvCell>>,
    pub total: Option<u64>,
    pub next: Option<Cursor>,
}

/// Fetches a page.
pub type FetchPage = Rc<dyn Fn(Cursor) -> LocalFuture<Result<ExportPage, ApiError>>>;

/// Where an export stands: the file so far, the page to fetch next, what the API said of the total.
pub struct Walk {
    file: CsvWriter,
    next: Option<Cursor>,
    total: Option<u64>,
    calls: u32,
    capped: bool,
}

impl Walk {
    /// An export from `first`, into a file with these columns' headers.
    pub fn new(columns: &[CsvColumn], times: &CsvTimes, first: Cursor) -> Self {
        let headers: Vec<(&str, bool)> = columns.iter().map(|c| (c.title, c.is_time)).collect();
        Self { file: CsvWriter::new(&headers, times), next: Some(first), total: None, calls: 0, capped: false }
    }

    pub fn rows(&self) -> u64 {
        self.file.rows()
    }

    pub fn total(&self) -> Option<u64> {
        self.total
    }

    /// Whether the cap cut the export short.
    pub fn capped(&self) -> bool {
        self.capped
    }

    /// List calls answered so far.
    pub fn calls(&self) -> u32 {
        self.calls
    }

    pub fn finish(self) -> Vec<u8> {
        self.file.finish()
    }
}

/// What the page shows while an export runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WalkProgress {
    /// Rows in the file so far, and in all when the API says.
    Rows { rows: u64, total: Option<u64> },
    /// Waiting out a rate limit: seconds left, and which retry this is.
    RateLimited { secs: u32, attempt: u32 },
}

/// How a walk ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WalkEnd {
    /// Every row (or the cap's worth) is in the file.
    Done,
    Cancelled,
    /// A call failed; walking again goes on from the page that failed.
    Failed(ApiError),
}

/// What a walk needs besides its state.
pub struct WalkEnv {
    pub fetch: FetchPage,
    /// Resolves after the given milliseconds.
    pub sleep: Rc<dyn Fn(u32) -> LocalFuture<()>>,
    pub cancelled: Rc<dyn Fn() -> bool>,
    pub progress: Rc<dyn Fn(WalkProgress)>,
    pub spacing_ms: u32,
    pub cap: u64,
    pub times: CsvTimes,
}

/// Whether the provider refused because it was asked too fast.
pub fn is_rate_limited(error: &ApiError) -> bool {
    match error {
        ApiError::Provider { status, code, .. } => {
            *status == 429 || code == "APIGW.0308" || code.starts_with("RequestLimitExceeded")
        }
        ApiError::Http { status, .. } => *status == 429,
        _ => false,
    }
}

/// Seconds to wait before retry `attempt` (1-based): what the provider asked, within
/// [`RETRY_AFTER_MAX_SECS`], else doubling from 1 s.
pub fn rate_limit_wait_secs(error: &ApiError, attempt: u32) -> u32 {
    match error.retry_after_secs() {
        Some(secs) => secs.clamp(1, RETRY_AFTER_MAX_SECS),
        None => 1u32 << attempt.saturating_sub(1).min(5),
    }
}

/// Fetches pages into the walk's file until the list ends, the cap is reached, the walk is
/// cancelled or a call fails; hands the walk back (to resume after a failure, or to save).
pub async fn walk(mut walk: Walk, env: &WalkEnv) -> (Walk, WalkEnd) {
    while let Some(cursor) = walk.next.clone() {
        if walk.calls > 0 {
            (env.sleep)(env.spacing_ms).await;
            if (env.cancelled)() {
                return (walk, WalkEnd::Cancelled);
            }
        }
        let mut attempt = 0;
        let page = loop {
            let answer = (env.fetch)(Rc::clone(&cursor)).await;
            if (env.cancelled)() {
                return (walk, WalkEnd::Cancelled);
            }
            match answer {
                Ok(page) => break page,
                Err(error) if is_rate_limited(&error) && attempt < RATE_LIMIT_RETRIES => {
                    attempt += 1;
                    // A second at a time, so the countdown moves and Cancel is heard.
                    for secs in (1..=rate_limit_wait_secs(&error, attempt)).rev() {
                        (env.progress)(WalkProgress::RateLimited { secs, attempt });
                        (env.sleep)(1000).await;
                        if (env.cancelled)() {
                            return (walk, WalkEnd::Cancelled);
                        }
                    }
                }
                Err(error) => return (walk, WalkEnd::Failed(error)),
            }
        };
        walk.calls += 1;
        walk.total = page.total.or(walk.total);
        let room = env.cap.saturating_sub(walk.rows());
        let fetched = page.rows.len() as u64;
        for row in page.rows.into_iter().take(usize::try_from(room).unwrap_or(usize::MAX)) {
            walk.file.push_row(row, &env.times);
        }
        // An empty page ends the walk whatever it says follows, so a list that keeps answering
        // nothing cannot keep it going.
        walk.next = page.next.filter(|_| fetched > 0);
        if fetched > room || (walk.rows() >= env.cap && walk.next.is_some()) {
            walk.capped = true;
            walk.next = None;
        }
        (env.progress)(WalkProgress::Rows { rows: walk.rows(), total: walk.total });
    }
    (walk, WalkEnd::Done)
}

/// The URL values a list's query is read from, with `changes` applied (later pairs win).
fn overlaid(base: &[(String, String)], changes: &[(&str, Option<String>)]) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> =
        base.iter().filter(|(key, _)| !changes.iter().any(|(k, _)| k == key)).cloned().collect();
    pairs.extend(changes.iter().filter_map(|(key, value)| value.clone().map(|v| ((*key).to_owned(), v))));
    pairs
}

fn query_of<S: ListSource>(pairs: &[(String, String)]) -> Option<S::Query> {
    S::query(&|key| pairs.iter().rev().find(|(k, v)| k == key && !v.is_empty()).map(|(_, v)| v.clone()))
}

/// The URL values every page of an export is read from: `pairs` (the URL's, the route's
/// parameters among them) in the largest page size, from the first page, filters as they are. A
/// page's position is laid over them. `S::query` of them is `None` when the list lists nothing yet
/// (a CLS page without a topic).
fn export_pairs<S: ListSource>(pairs: &[(String, String)]) -> Vec<(String, String)> {
    let size = S::PAGE_SIZES.iter().max().map(u32::to_string);
    let mut changes: Vec<(&str, Option<String>)> = vec![(S::PAGING.size_key, size)];
    changes.extend(S::PAGING.position_keys.iter().map(|key| (*key, None)));
    overlaid(pairs, &changes)
}

/// The fetcher of an export of `S`: each page by the list's own call; the page after it where
/// the list's pager would go next, laid over the export's URL values (`pairs`, see
/// [`export_pairs`]), so every page keeps the filters and the largest page size.
fn fetcher<S: ListSource>(
    context: S::Context,
    columns: Rc<[CsvColumn]>,
    times: CsvTimes,
    pairs: Rc<Vec<(String, String)>>,
) -> FetchPage {
    Rc::new(move |cursor: Cursor| {
        let (context, columns, times, pairs) = (context.clone(), Rc::clone(&columns), times.clone(), Rc::clone(&pairs));
        Box::pin(async move {
            let Some(query) = cursor.downcast_ref::<S::Query>() else {
                return Err(ApiError::Decode("an export's page of another list".to_owned()));
            };
            let answer = S::list(&context, query).await?;
            let rows = S::rows(&answer)
                .iter()
                .map(|row| columns.iter().map(|column| (column.cell)(row as &dyn Any, &times)).collect())
                .collect();
            let next = S::page(query, &answer).target(PageStep::Next).and_then(|target| {
                let changes = S::page_target(target);
                query_of::<S>(&overlaid(&pairs, &changes))
            });
            Ok(ExportPage { rows, total: S::total(&answer), next: next.map(|q| Rc::new(q) as Cursor) })
        })
    })
}

/// What an export's start needs: the fetcher and its first page, for the filters in the URL now.
type Start = Rc<dyn Fn() -> Option<(FetchPage, Cursor)>>;

/// The button, and while it runs the progress bar and Cancel, for the list `list` with the
/// columns of its table (those that declare their text). A plain function rather than a
/// component: a component's props and builder would be in the wasm once per kind.
pub fn list_export<S: ListSource>(list: TaskList<S>, columns: Rc<[CsvColumn]>) -> AnyView {
    let context = list.context.get_value();
    let t = i18n::t();
    let zone = settings::time_zone();
    let now = chrono::Utc::now().timestamp_millis();
    let times = CsvTimes::new(zone.clone(), zone_name(&zone, time_zone::browser_zone(), now));
    let url = list.url();
    let params = use_params();
    let start: Start = {
        let (columns, times) = (Rc::clone(&columns), times.clone());
        Rc::new(move || {
            let mut pairs = url.pairs_untracked();
            for key in ["section", "kind", "task_id"] {
                if let Some(value) = untrack(|| params.get(key)) {
                    pairs.push((key.to_owned(), value));
                }
            }
            let pairs = export_pairs::<S>(&pairs);
            let first = query_of::<S>(&pairs)?;
            let fetch = fetcher::<S>(context.clone(), Rc::clone(&columns), times.clone(), Rc::new(pairs));
            Some((fetch, Rc::new(first) as Cursor))
        })
    };
    let available = Signal::derive(move || list.query.with(Option::is_some));
    list_export_view(ExportParts {
        t,
        columns,
        times,
        start,
        available,
        spacing_ms: S::EXPORT_SPACING_MS,
        name: S::EXPORT_NAME,
    })
}

struct ExportParts {
    t: &'static Catalogue,
    columns: Rc<[CsvColumn]>,
    times: CsvTimes,
    start: Start,
    /// Whether there is a list to export (a CLS topic chosen).
    available: Signal<bool>,
    spacing_ms: u32,
    name: &'static str,
}

/// What the export area shows.
#[derive(Debug, Clone, PartialEq, Eq)]
enum ExportState {
    Idle,
    Running(WalkProgress),
    Failed { error: ApiError, rows: u64 },
    Saved { rows: u64, total: Option<u64>, capped: bool, file: String },
    SaveFailed(ApiError),
    Cancelled,
}

/// Resolves after `ms` milliseconds (a browser timer).
pub(super) fn sleep_ms(ms: u32) -> LocalFuture<()> {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(window) = web_sys::window() {
            let _ = window
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, i32::try_from(ms).unwrap_or(i32::MAX));
        }
    });
    Box::pin(async move {
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    })
}

fn list_export_view(parts: ExportParts) -> AnyView {
    let ExportParts { t, columns, times, start, available, spacing_ms, name } = parts;
    let words = &t.list_export;
    let state = RwSignal::new(ExportState::Idle);
    // The run under way: its cancel flag, and after a failure the walk to resume.
    let cancel_flag: StoredValue<Option<Arc<AtomicBool>>> = StoredValue::new(None);
    let paused = StoredValue::new_local(None::<(Walk, FetchPage)>);
    let download_button = NodeRef::<leptos::html::Button>::new();
    let cancel_button = NodeRef::<leptos::html::Button>::new();
    on_cleanup(move || {
        if let Some(flag) = cancel_flag.try_get_value().flatten() {
            flag.store(true, Ordering::Relaxed);
        }
    });

    // The walk's calls read the settings (the backend, the token) from the page's context, so it
    // runs under the page's owner, as a resource's call does.
    let owner = Owner::current();
    let run = {
        let times = times.clone();
        Rc::new(move |walk_state: Walk, fetch: FetchPage| {
            let times = times.clone();
            let flag = Arc::new(AtomicBool::new(false));
            cancel_flag.set_value(Some(Arc::clone(&flag)));
            let env = WalkEnv {
                fetch: Rc::clone(&fetch),
                sleep: Rc::new(sleep_ms),
                cancelled: Rc::new({
                    let flag = Arc::clone(&flag);
                    move || flag.load(Ordering::Relaxed)
                }),
                progress: Rc::new(move |progress| {
                    state.try_set(ExportState::Running(progress));
                }),
                spacing_ms,
                cap: EXPORT_ROW_CAP,
                times: times.clone(),
            };
            state.set(ExportState::Running(WalkProgress::Rows { rows: walk_state.rows(), total: walk_state.total() }));
            request_animation_frame(move || {
                if let Some(button) = cancel_button.get_untracked() {
                    let _ = button.focus();
                }
            });
            let task = async move {
                let (walked, end) = walk(walk_state, &env).await;
                if flag.load(Ordering::Relaxed) {
                    return; // Cancel has already said so.
                }
                let next = match end {
                    WalkEnd::Done => {
                        let (rows, total, capped) = (walked.rows(), walked.total(), walked.capped());
                        let file = times.file_name(name, chrono::Utc::now().timestamp_millis());
                        let download = crate::api::fetch::Download {
                            bytes: walked.finish(),
                            file_name: Some(file.clone()),
                            content_type: "text/csv;charset=utf-8".to_owned(),
                        };
                        match download.save(&file) {
                            Ok(()) => ExportState::Saved { rows, total, capped, file },
                            Err(error) => ExportState::SaveFailed(error),
                        }
                    }
                    WalkEnd::Failed(error) => {
                        let rows = walked.rows();
                        let _ = paused.try_set_value(Some((walked, fetch)));
                        ExportState::Failed { error, rows }
                    }
                    WalkEnd::Cancelled => ExportState::Cancelled,
                };
                let _ = cancel_flag.try_set_value(None);
                state.try_set(next);
                if let Some(button) = download_button.try_get_untracked().flatten() {
                    let _ = button.focus();
                }
            };
            match &owner {
                Some(owner) => owner.with(|| leptos::task::spawn_local_scoped(task)),
                None => leptos::task::spawn_local(task),
            }
        })
    };
    let begin = {
        let (run, columns, times) = (Rc::clone(&run), Rc::clone(&columns), times.clone());
        move |_| {
            let Some((fetch, first)) = start() else { return };
            paused.set_value(None);
            run(Walk::new(&columns, &times, first), fetch);
        }
    };
    // A callback holds only what may cross threads; the run is kept beside it.
    let stored_run = StoredValue::new_local(Rc::clone(&run));
    let resume = Callback::new(move |()| {
        if let Some((walk_state, fetch)) = paused.try_update_value(Option::take).flatten() {
            if let Some(run) = stored_run.try_get_value() {
                run(walk_state, fetch);
            }
        }
    });
    let cancel = move |_| {
        if let Some(flag) = cancel_flag.get_value() {
            flag.store(true, Ordering::Relaxed);
        }
        cancel_flag.set_value(None);
        paused.set_value(None);
        state.set(ExportState::Cancelled);
        request_animation_frame(move || {
            if let Some(button) = download_button.get_untracked() {
                let _ = button.focus();
            }
        });
    };
    let running = move || matches!(state.get(), ExportState::Running(_));
    let failed = move || matches!(state.get(), ExportState::Failed { .. });

    view! {
        <div class="list-export">
            <button
                type="button"
                class="button list-export-download"
                node_ref=download_button
                disabled=move || running() || !available.get()
                title=(words.download_hint)(EXPORT_ROW_CAP)
                on:click=begin
            >
                {words.download}
            </button>
            {move || (running() || failed()).then(|| view! {
                <button type="button" class="button list-export-cancel" node_ref=cancel_button on:click=cancel>
                    {words.cancel}
                </button>
            })}
            <div class="list-export-status" role="status">
                {move || match state.get() {
                    ExportState::Running(WalkProgress::Rows { rows, total }) => {
                        let max = total.map_or(rows, |total| total.min(EXPORT_ROW_CAP)).max(rows);
                        let text = (words.progress)(rows, total);
                        view! {
                            <div class="list-export-progress">
                                <div class="progress" role="progressbar" aria-label=words.progress_label
                                    aria-valuemin="0" aria-valuemax=max aria-valuenow=rows aria-valuetext=text.clone()>
                                    <span class="progress-succeed"
                                        style:width=format!("{}%", (rows * 100).checked_div(max).unwrap_or(0))></span>
                                </div>
                                <span class="list-export-count">{text}</span>
                            </div>
                        }
                        .into_any()
                    }
                    ExportState::Running(WalkProgress::RateLimited { secs, attempt }) => view! {
                        <p class="list-export-wait" role="timer">
                            {(words.rate_limited)(secs, attempt, RATE_LIMIT_RETRIES)}
                        </p>
                    }
                    .into_any(),
                    ExportState::Failed { error, rows } => view! {
                        <ErrorView error=error on_retry=resume/>
                        <p class="muted list-export-kept">{(words.failed_after)(rows)}</p>
                    }
                    .into_any(),
                    ExportState::Saved { rows, total, capped: false, file } => {
                        let _ = total;
                        view! { <p class="list-export-saved">{(words.saved)(rows, &file)}</p> }.into_any()
                    }
                    ExportState::Saved { rows, total, capped: true, file } => view! {
                        <p class="list-export-saved list-export-capped">{(words.capped)(rows, total, &file)}</p>
                    }
                    .into_any(),
                    ExportState::SaveFailed(error) => view! { <ErrorView error=error/> }.into_any(),
                    ExportState::Cancelled => {
                        view! { <p class="muted list-export-cancelled">{words.cancelled}</p> }.into_any()
                    }
                    ExportState::Idle => ().into_any(),
                }}
            </div>
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time_zone::TimeZone;
    use std::cell::{Cell, RefCell};
    use std::task::{Context, Poll, Waker};

    /// Runs a future whose every await is ready (the fake source and sleep are).
    fn run_ready<T>(future: impl Future<Output = T>) -> T {
        let mut future = std::pin::pin!(future);
        let mut context = Context::from_waker(Waker::noop());
        for _ in 0..1_000_000 {
            if let Poll::Ready(value) = future.as_mut().poll(&mut context) {
                return value;
            }
        }
        panic!("the walk did not finish");
    }

    fn times() -> CsvTimes {
        CsvTimes::new(TimeZone::Utc, "UTC".to_owned())
    }

    fn columns() -> Vec<CsvColumn> {
        let id: crate::components::CsvFn =
            Arc::new(|row: &dyn Any, _: &CsvTimes| CsvCell::Text(row.downcast_ref::<u64>().unwrap().to_string()));
        let at: crate::components::CsvFn =
            Arc::new(|row: &dyn Any, _: &CsvTimes| CsvCell::Time(*row.downcast_ref::<u64>().unwrap() as i64 * 1000));
        vec![
            CsvColumn { title: "Id", is_time: false, cell: id },
            CsvColumn { title: "Created", is_time: true, cell: at },
        ]
    }

    /// A list of `total` rows (0, 1, 2 …) in pages of `size` by offset, whose calls are answered
    /// by `script` in turn (an error, or `None` for the page), then by pages.
    struct Fake {
        total: u64,
        size: u64,
        script: RefCell<Vec<Option<ApiError>>>,
        calls: Cell<u32>,
    }

    impl Fake {
        fn new(total: u64, size: u64, script: Vec<Option<ApiError>>) -> Rc<Self> {
            Rc::new(Self { total, size, script: RefCell::new(script), calls: Cell::new(0) })
        }

        fn fetch(self: &Rc<Self>) -> FetchPage {
            let fake = Rc::clone(self);
            let columns = columns();
            Rc::new(move |cursor: Cursor| {
                fake.calls.set(fake.calls.get() + 1);
                let offset = *cursor.downcast_ref::<u64>().unwrap();
                let scripted = if fake.script.borrow().is_empty() { None } else { fake.script.borrow_mut().remove(0) };
                let result = match scripted {
                    Some(error) => Err(error),
                    None => {
                        let end = (offset + fake.size).min(fake.total);
                        let rows = (offset..end)
                            .map(|n| columns.iter().map(|c| (c.cell)(&n as &dyn Any, &times())).collect())
                            .collect();
                        let next = (end < fake.total).then(|| Rc::new(end) as Cursor);
                        Ok(ExportPage { rows, total: Some(fake.total), next })
                    }
                };
                Box::pin(std::future::ready(result))
            })
        }
    }

    struct Recorded {
        sleeps: Rc<RefCell<Vec<u32>>>,
        progress: Rc<RefCell<Vec<WalkProgress>>>,
    }

    fn make_env(fetch: FetchPage, cap: u64, cancel_after_sleeps: Option<usize>) -> (WalkEnv, Recorded) {
        let sleeps = Rc::new(RefCell::new(Vec::new()));
        let progress = Rc::new(RefCell::new(Vec::new()));
        let cancelled = {
            let sleeps = Rc::clone(&sleeps);
            move || cancel_after_sleeps.is_some_and(|n| sleeps.borrow().len() >= n)
        };
        let env = WalkEnv {
            fetch,
            sleep: Rc::new({
                let sleeps = Rc::clone(&sleeps);
                move |ms| {
                    sleeps.borrow_mut().push(ms);
                    Box::pin(std::future::ready(()))
                }
            }),
            cancelled: Rc::new(cancelled),
            progress: Rc::new({
                let progress = Rc::clone(&progress);
                move |p| progress.borrow_mut().push(p)
            }),
            spacing_ms: 250,
            cap,
            times: times(),
        };
        (env, Recorded { sleeps, progress })
    }

    fn start() -> Walk {
        Walk::new(&columns(), &times(), Rc::new(0u64))
    }

    fn lines(walk: Walk) -> Vec<String> {
        String::from_utf8(walk.finish()).unwrap().split("\r\n").map(str::to_owned).collect()
    }

    #[test]
    fn walks_every_page_paced_and_writes_every_row() {
        let fake = Fake::new(25, 10, vec![]);
        let (env, recorded) = make_env(fake.fetch(), 1000, None);
        let (walked, end) = run_ready(walk(start(), &env));
        assert_eq!(end, WalkEnd::Done);
        assert_eq!((walked.rows(), walked.total(), walked.capped(), walked.calls()), (25, Some(25), false, 3));
        assert_eq!(*recorded.sleeps.borrow(), [250, 250], "a pause between calls, none before the first");
        assert_eq!(recorded.progress.borrow().last(), Some(&WalkProgress::Rows { rows: 25, total: Some(25) }));
        let lines = lines(walked);
        assert_eq!(lines[0], "\u{feff}Id,Created (UTC)");
        assert_eq!(lines[1], "0,1970-01-01 00:00:00");
        assert_eq!(lines[25], "24,1970-01-01 00:00:24");
        assert_eq!(lines.len(), 27, "header, 25 rows, and the empty rest after the last CRLF");
    }

    #[test]
    fn stops_at_the_cap_and_says_so() {
        let fake = Fake::new(95, 10, vec![]);
        let (env, _) = make_env(fake.fetch(), 42, None);
        let (walked, end) = run_ready(walk(start(), &env));
        assert_eq!(end, WalkEnd::Done);
        assert_eq!((walked.rows(), walked.total(), walked.capped()), (42, Some(95), true));
        assert_eq!(fake.calls.get(), 5, "no call beyond the page that reached the cap");

        // Exactly the cap, and nothing after it: not cut.
        let fake = Fake::new(40, 10, vec![]);
        let (env, _) = make_env(fake.fetch(), 40, None);
        let (walked, _) = run_ready(walk(start(), &env));
        assert_eq!((walked.rows(), walked.capped()), (40, false));
        // The cap reached at a page's end with more to come: cut.
        let fake = Fake::new(41, 10, vec![]);
        let (env, _) = make_env(fake.fetch(), 40, None);
        let (walked, _) = run_ready(walk(start(), &env));
        assert_eq!((walked.rows(), walked.capped(), fake.calls.get()), (40, true, 4));
    }

    #[test]
    fn cancel_stops_before_the_next_call() {
        let fake = Fake::new(100, 10, vec![]);
        // Cancelled during the second pause: two pages fetched, no third call.
        let (env, _) = make_env(fake.fetch(), 1000, Some(2));
        let (walked, end) = run_ready(walk(start(), &env));
        assert_eq!(end, WalkEnd::Cancelled);
        assert_eq!((fake.calls.get(), walked.rows()), (2, 20));
    }

    fn throttled(retry_after: Option<u32>) -> ApiError {
        ApiError::Provider {
            status: 429,
            code: "APIGW.0308".into(),
            message: "The throttling threshold has been reached".into(),
            request_id: None,
            retry_after_secs: retry_after,
        }
    }

    #[test]
    fn a_rate_limit_is_waited_out_with_a_countdown_then_the_walk_goes_on() {
        let fake = Fake::new(15, 10, vec![None, Some(throttled(None)), Some(throttled(Some(3)))]);
        let (env, recorded) = make_env(fake.fetch(), 1000, None);
        let (walked, end) = run_ready(walk(start(), &env));
        assert_eq!(end, WalkEnd::Done);
        assert_eq!(walked.rows(), 15);
        // The pause, 1 s of backoff (no Retry-After), then the 3 s asked for, a second at a time.
        assert_eq!(*recorded.sleeps.borrow(), [250, 1000, 1000, 1000, 1000]);
        let waits: Vec<WalkProgress> = recorded
            .progress
            .borrow()
            .iter()
            .copied()
            .filter(|p| matches!(p, WalkProgress::RateLimited { .. }))
            .collect();
        assert_eq!(
            waits,
            [
                WalkProgress::RateLimited { secs: 1, attempt: 1 },
                WalkProgress::RateLimited { secs: 3, attempt: 2 },
                WalkProgress::RateLimited { secs: 2, attempt: 2 },
                WalkProgress::RateLimited { secs: 1, attempt: 2 },
            ]
        );
    }

    #[test]
    fn retries_are_bounded_and_other_errors_fail_at_once_and_resume() {
        let script = vec![Some(throttled(None)); RATE_LIMIT_RETRIES as usize + 1];
        let fake = Fake::new(5, 10, script);
        let (env, recorded) = make_env(fake.fetch(), 1000, None);
        let (walked, end) = run_ready(walk(start(), &env));
        assert_eq!(end, WalkEnd::Failed(throttled(None)));
        assert_eq!(walked.rows(), 0);
        assert_eq!(recorded.sleeps.borrow().len(), 1 + 2 + 4 + 8 + 16, "1, 2, 4, 8 and 16 s");

        let down = ApiError::Http { status: 502, body: "bad gateway".into(), request_id: None };
        let fake = Fake::new(25, 10, vec![None, Some(down.clone())]);
        let (env, _) = make_env(fake.fetch(), 1000, None);
        let (walked, end) = run_ready(walk(start(), &env));
        assert_eq!((end, walked.rows(), fake.calls.get()), (WalkEnd::Failed(down), 10, 2));
        // Retry: on from the page that failed, the rows fetched kept.
        let (walked, end) = run_ready(walk(walked, &env));
        assert_eq!((end, walked.rows(), fake.calls.get()), (WalkEnd::Done, 25, 4));
        let lines = lines(walked);
        assert_eq!((lines[10].as_str(), lines[11].as_str()), ("9,1970-01-01 00:00:09", "10,1970-01-01 00:00:10"));
    }

    #[test]
    fn knows_a_rate_limit_when_it_sees_one() {
        assert!(is_rate_limited(&throttled(None)));
        let tencent = ApiError::Provider {
            status: 200,
            code: "RequestLimitExceeded.UinLimitExceeded".into(),
            message: String::new(),
            request_id: None,
            retry_after_secs: None,
        };
        assert!(is_rate_limited(&tencent));
        assert!(is_rate_limited(&ApiError::Http { status: 429, body: String::new(), request_id: None }));
        let refused = ApiError::Provider {
            status: 400,
            code: "CDN.0001".into(),
            message: String::new(),
            request_id: None,
            retry_after_secs: None,
        };
        assert!(!is_rate_limited(&refused));
        assert_eq!(rate_limit_wait_secs(&throttled(Some(600)), 1), RETRY_AFTER_MAX_SECS);
        assert_eq!(rate_limit_wait_secs(&throttled(Some(0)), 1), 1);
        assert_eq!(rate_limit_wait_secs(&throttled(None), 3), 4);
    }

    #[test]
    fn the_first_page_keeps_the_filters_and_asks_for_the_largest_page() {
        let pairs = vec![("offset".to_owned(), "40".to_owned()), ("limit".to_owned(), "10".to_owned())];
        let changes = [("limit", Some("100".to_owned())), ("offset", None)];
        let mut over = overlaid(&pairs, &changes);
        over.sort();
        assert_eq!(over, vec![("limit".to_owned(), "100".to_owned())]);
    }
}
