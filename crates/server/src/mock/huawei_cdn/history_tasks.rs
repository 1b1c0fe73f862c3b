//! The store of refresh and preheat tasks and the progress of their URLs.
//!
//! Each URL waits, is processed, then succeeds or fails; its three moments and its outcome are
//! drawn from the seeded generator when the task is created. A URL's status is therefore a pure
//! function of mock time, and a task's counters are recomputed from its URLs only while it is
//! unfinished (finished tasks keep fixed counters), so `processing + succeed + failed == total`
//! at every moment and a list call never waits on a background worker.
//!
//! Tasks are kept oldest first in one deque. Mock time never runs back, so creation order is also
//! `create_time` order: a date range is two binary searches, a task id (a number counting up) is
//! an index, and eviction pops the front. A list call is one pass over the tasks in the range
//! (two for orders other than `create_time`, which count the sort keys instead of sorting: every
//! key is a small number, at most the 1,000 URLs of a task), never a sort of the whole store, so
//! a page of a million tasks costs milliseconds.

use crate::mock::clock::{Clock, EpochMs};
use crate::mock::memory::{self, text_bytes};
use crate::mock::state_file::{
    self, Compacted, Entry, RngState, Snapshot, SnapshotWriter, StateError, StateFile, TASK_DURATION_MAX_MS,
};
use crate::mock::{Lifecycle, Resettable, Restart};
use export_desk_model::huawei_cdn::history::{
    ContentTaskSpec, DetailFilter, FailClassify, FileType, HistoryFilter, HistoryTask, OrderField, OrderType,
    PreheatingTaskRequest, RefreshMode, RefreshTaskRequest, ShowHistoryTaskDetailsResponse, ShowHistoryTasksResponse,
    TaskStatus, TaskType, UrlObject, UrlStatus, UrlsRefused, URLS_MAX,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

/// Task ids count up from here, numeric as in the docs' example (`"7620240"`).
const FIRST_TASK_ID: u64 = 7_620_240;
/// (mock) URLs kept across all tasks; the oldest tasks are dropped beyond it. Memory is bounded by
/// the store's byte budget (`--store-bytes`); this bounds the tasks a list call walks (a million
/// one-URL tasks at most, see the module comment). The cloud keeps history for 15 days only.
pub const URLS_KEPT_MAX: usize = 1_000_000;
/// Without `create_time`, details are found for tasks of the last 7 days; with it, 15 at most.
const DETAIL_DEFAULT_WINDOW_MS: EpochMs = 7 * DAY_MS;
const DETAIL_MAX_WINDOW_MS: EpochMs = 15 * DAY_MS;
const DAY_MS: EpochMs = 24 * 3_600_000;

#[derive(Debug, Clone)]
struct UrlEntry {
    url: String,
    /// When processing starts (before it, the URL is waiting) and when it ends.
    start_ms: EpochMs,
    finish_ms: EpochMs,
    failure: Option<FailClassify>,
}

impl UrlEntry {
    fn status(&self, now: EpochMs) -> UrlStatus {
        if now < self.start_ms {
            UrlStatus::Waiting
        } else if now < self.finish_ms {
            UrlStatus::Processing
        } else if self.failure.is_some() {
            UrlStatus::Failed
        } else {
            UrlStatus::Succeed
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Counts {
    processing: u32,
    succeed: u32,
    failed: u32,
}

#[derive(Debug, Clone)]
struct Task {
    /// Creation order; the id is `FIRST_TASK_ID + seq`.
    seq: u64,
    task_type: TaskType,
    file_type: FileType,
    created_ms: EpochMs,
    /// When the last URL finishes.
    done_ms: EpochMs,
    urls: Vec<UrlEntry>,
    /// Valid once the task is done; recomputed from the URLs before that.
    final_counts: Counts,
}

impl Task {
    fn new(seq: u64, task_type: TaskType, file_type: FileType, created_ms: EpochMs, urls: Vec<UrlEntry>) -> Self {
        let done_ms = urls.iter().map(|u| u.finish_ms).max().unwrap_or(created_ms);
        let final_counts = Counts {
            processing: 0,
            succeed: urls.iter().filter(|u| u.failure.is_none()).count() as u32,
            failed: urls.iter().filter(|u| u.failure.is_some()).count() as u32,
        };
        Self { seq, task_type, file_type, created_ms, done_ms, urls, final_counts }
    }

    fn id(&self) -> String {
        (FIRST_TASK_ID + self.seq).to_string()
    }

    /// The estimate of the heap bytes the task takes, which the byte budget counts: its slot in
    /// the deque (which doubles as it grows, so half again for its free slots), its URL vector and
    /// each URL's text. Measured against the allocator in `tests/store_bytes.rs`.
    fn heap_bytes(&self) -> usize {
        std::mem::size_of::<Task>() * 3 / 2
            + memory::vec_bytes(self.urls.len(), std::mem::size_of::<UrlEntry>())
            + self.urls.iter().map(|url| text_bytes(&url.url)).sum::<usize>()
    }

    fn counts(&self, now: EpochMs) -> Counts {
        if now >= self.done_ms {
            return self.final_counts;
        }
        let mut counts = Counts::default();
        for url in &self.urls {
            match url.status(now) {
                UrlStatus::Succeed => counts.succeed += 1,
                UrlStatus::Failed => counts.failed += 1,
                _ => counts.processing += 1,
            }
        }
        counts
    }

    fn status(&self, now: EpochMs) -> TaskStatus {
        if now >= self.done_ms {
            TaskStatus::Done
        } else {
            TaskStatus::InProcess
        }
    }

    fn to_wire(&self, now: EpochMs) -> HistoryTask {
        let counts = self.counts(now);
        HistoryTask {
            id: self.id(),
            task_type: self.task_type.as_str().to_owned(),
            status: self.status(now).as_str().to_owned(),
            processing: counts.processing,
            succeed: counts.succeed,
            failed: counts.failed,
            total: self.urls.len() as u32,
            create_time: self.created_ms,
            file_type: self.file_type.as_str().to_owned(),
        }
    }

    /// The task's value of a sort field; every one but `create_time` is a small number (at most
    /// the URLs of one task), which is what lets [`Store::page_sorted_by`] count instead of sort.
    fn sort_key(&self, field: OrderField, now: EpochMs) -> usize {
        let counts = || self.counts(now);
        match field {
            OrderField::TaskType => self.task_type as usize,
            OrderField::Total => self.urls.len(),
            OrderField::Processing => counts().processing as usize,
            OrderField::Succeed => counts().succeed as usize,
            OrderField::Failed => counts().failed as usize,
            OrderField::CreateTime => unreachable!("create_time is the order tasks are kept in"),
        }
    }
}

/// Why a detail call found nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DetailRefused {
    NoSuchTask,
    CreateTimeTooOld,
}

/// What the state file records of this store: the request as it came, checked again on replay.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HistoryChange {
    Refresh(RefreshTaskRequest),
    Preheat(PreheatingTaskRequest),
}

impl HistoryChange {
    fn validate(&self) -> Result<ContentTaskSpec, UrlsRefused> {
        match self {
            Self::Refresh(request) => request.validate(),
            Self::Preheat(request) => request.validate(),
        }
    }
}

pub struct HistoryTasks {
    clock: Arc<Clock>,
    state: Arc<StateFile>,
    lifecycle: Lifecycle,
    seed: u64,
    /// Most heap bytes the tasks may take, by [`Task::heap_bytes`].
    byte_budget: usize,
    store: Mutex<Store>,
}

struct Store {
    rng: ChaCha8Rng,
    next_seq: u64,
    /// Oldest first; sorted by `created_ms` and by `seq` alike (see the module comment).
    tasks: VecDeque<Task>,
    urls_kept: usize,
    /// The sum of the tasks' [`Task::heap_bytes`].
    bytes_kept: usize,
    byte_budget: usize,
}

impl Store {
    fn new(seed: u64, byte_budget: usize) -> Self {
        Self {
            rng: ChaCha8Rng::seed_from_u64(seed ^ 0x6869_7374_6f72_7921),
            next_seq: 0,
            tasks: VecDeque::new(),
            urls_kept: 0,
            bytes_kept: 0,
            byte_budget,
        }
    }

    fn insert(&mut self, spec: ContentTaskSpec, created_ms: EpochMs, lifecycle: Lifecycle) -> String {
        let seq = self.next_seq;
        self.next_seq += 1;
        let run = lifecycle.duration_ms.max(1);
        let urls: Vec<UrlEntry> = spec
            .urls
            .into_iter()
            .map(|url| {
                // Waiting up to a fifth of the run, finishing between 75% and 125% of it.
                let start_ms = created_ms + self.rng.random_range(0..=run / 5);
                let finish_ms = (created_ms + self.rng.random_range(run * 3 / 4..=run * 5 / 4)).max(start_ms + 1);
                let failure = self
                    .rng
                    .random_bool(lifecycle.fail_rate)
                    .then(|| FailClassify::ALL[self.rng.random_range(0..FailClassify::ALL.len())]);
                UrlEntry { url, start_ms, finish_ms, failure }
            })
            .collect();
        let task = Task::new(seq, spec.task_type, spec.file_type, created_ms, urls);
        let id = task.id();
        self.push(task);
        id
    }

    /// Keeps a task as the newest, dropping the oldest beyond the URL limit.
    fn push(&mut self, mut task: Task) {
        self.urls_kept += task.urls.len();
        // The clock never runs back, so this keeps the deque in creation order; a caller passing
        // an older time (a replay gone wrong) still gets a sorted store.
        task.created_ms = task.created_ms.max(self.tasks.back().map_or(EpochMs::MIN, |t| t.created_ms));
        self.bytes_kept += task.heap_bytes();
        self.tasks.push_back(task);
        self.evict_oldest();
    }

    /// Drops the oldest tasks while the URL cap or the byte budget is exceeded, but never the
    /// task just created: its id was handed out (a budget below one task keeps that one task).
    fn evict_oldest(&mut self) {
        while (self.urls_kept > URLS_KEPT_MAX || self.bytes_kept > self.byte_budget) && self.tasks.len() > 1 {
            let Some(task) = self.tasks.pop_front() else { break };
            self.urls_kept -= task.urls.len();
            self.bytes_kept -= task.heap_bytes();
        }
    }

    fn get(&self, id: &str) -> Option<&Task> {
        // Ids are canonical decimal numbers: `07620240` is not `7620240`.
        let seq = id.parse::<u64>().ok().filter(|n| n.to_string() == id)?.checked_sub(FIRST_TASK_ID)?;
        let front = self.tasks.front()?.seq;
        self.tasks.get(usize::try_from(seq.checked_sub(front)?).ok()?)
    }

    /// The tasks created within `start..=end`, oldest first.
    fn created_within(&self, start: Option<EpochMs>, end: Option<EpochMs>) -> impl DoubleEndedIterator<Item = &Task> {
        let from = start.map_or(0, |start| self.tasks.partition_point(|t| t.created_ms < start));
        let to = end.map_or(self.tasks.len(), |end| self.tasks.partition_point(|t| t.created_ms <= end));
        self.tasks.range(from..to.max(from))
    }

    /// One page in the order of a sort key, ties newest first, and how many match: counts the
    /// matches per key value, finds the key values the page spans, then collects just those.
    fn page_sorted_by<'a>(
        &'a self,
        matching: impl Fn() -> Box<dyn DoubleEndedIterator<Item = &'a Task> + 'a>,
        key: impl Fn(&Task) -> usize,
        ascending: bool,
        offset: usize,
        size: usize,
    ) -> (usize, Vec<&'a Task>) {
        let mut per_key: Vec<usize> = Vec::new();
        for task in matching() {
            let k = key(task);
            if k >= per_key.len() {
                per_key.resize(k + 1, 0);
            }
            per_key[k] += 1;
        }
        let total: usize = per_key.iter().sum();
        let order: Vec<usize> =
            if ascending { (0..per_key.len()).collect() } else { (0..per_key.len()).rev().collect() };
        // Walk the key values in order to where the page starts and ends.
        let mut wanted: Vec<(usize, usize, usize)> = Vec::new(); // (key, skip, take)
        let mut before = 0;
        // Saturating: an offset past every task (up to 65,534 pages of 10,000) must not wrap.
        let page_end = offset.saturating_add(size);
        for k in order {
            let count = per_key[k];
            let (start, end) = (before, before + count);
            before = end;
            if count == 0 || end <= offset {
                continue;
            }
            if start >= page_end {
                break;
            }
            let skip = offset.saturating_sub(start);
            let take = page_end.min(end) - start - skip;
            wanted.push((k, skip, take));
        }
        let mut pages: Vec<Vec<&Task>> = wanted.iter().map(|&(_, _, take)| Vec::with_capacity(take)).collect();
        let mut skipped = vec![0; wanted.len()];
        let mut slot_of_key: Vec<Option<usize>> = vec![None; per_key.len()];
        for (slot, &(k, _, _)) in wanted.iter().enumerate() {
            slot_of_key[k] = Some(slot);
        }
        for task in matching().rev() {
            let Some(slot) = slot_of_key.get(key(task)).copied().flatten() else { continue };
            let (_, skip, take) = wanted[slot];
            if skipped[slot] < skip {
                skipped[slot] += 1;
            } else if pages[slot].len() < take {
                pages[slot].push(task);
            }
        }
        (total, pages.into_iter().flatten().collect())
    }
}

impl HistoryTasks {
    /// The part of the state file this store's changes are recorded under.
    pub const STATE_PART: &'static str = "cdn_history";

    /// A store without a byte budget; the mock gives it its share with
    /// [`with_byte_budget`](Self::with_byte_budget).
    pub fn new(state: Arc<StateFile>, clock: Arc<Clock>, lifecycle: Lifecycle, seed: u64) -> Self {
        Self { clock, state, lifecycle, seed, byte_budget: usize::MAX, store: Mutex::new(Store::new(seed, usize::MAX)) }
    }

    /// Bounds the tasks' estimated heap bytes; the oldest tasks are dropped beyond it.
    pub fn with_byte_budget(mut self, bytes: usize) -> Self {
        self.byte_budget = bytes;
        self.store.get_mut().unwrap_or_else(std::sync::PoisonError::into_inner).byte_budget = bytes;
        self
    }

    /// The estimated heap bytes of the tasks kept (what the budget bounds) and how many tasks.
    pub fn accounted(&self) -> (usize, usize) {
        let store = self.store.lock().expect("history store lock");
        (store.bytes_kept, store.tasks.len())
    }

    /// Starts a refresh or preheat task for a request, recorded in the state file; returns its
    /// id, or why the request's URLs were refused.
    pub fn create(&self, request: HistoryChange) -> Result<Result<String, UrlsRefused>, StateError> {
        let spec = match request.validate() {
            Ok(spec) => spec,
            Err(refused) => return Ok(Err(refused)),
        };
        self.state.commit(Self::STATE_PART, &request, |_| Ok(self.start(spec)))
    }

    /// Applies a change read back from the state file, at the mock time the clock is stopped at.
    pub fn replay(&self, entry: &Entry) -> Result<(), StateError> {
        if let Some(line) = entry.compacted()? {
            return self.restore(line);
        }
        let change: HistoryChange = entry.change()?;
        let spec = change
            .validate()
            .map_err(|_| StateError::Corrupt("a recorded refresh or preheat task is invalid".into()))?;
        self.start(spec);
        Ok(())
    }

    fn start(&self, spec: ContentTaskSpec) -> String {
        let now = self.clock.now_ms();
        let mut store = self.store.lock().expect("history store lock");
        store.insert(spec, now, self.lifecycle)
    }

    /// Empties the store and seeds `count` demo tasks from the last week, all but the newest
    /// finished, deterministically from the seed.
    pub fn reset(&self, seed: u64, count: usize) {
        let mut store = Store::new(seed, self.byte_budget);
        let now = self.clock.now_ms();
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x6465_6d6f);
        let domains = super::stats_file::DEMO_DOMAINS;
        let mut created: Vec<EpochMs> = (0..count).map(|_| now - rng.random_range(60_000..7 * DAY_MS)).collect();
        created.sort_unstable();
        for (index, created_ms) in created.into_iter().enumerate() {
            let newest = index + 1 == count;
            let task_type = if rng.random_bool(0.6) { TaskType::Refresh } else { TaskType::Preheating };
            let file_type = if task_type == TaskType::Refresh && rng.random_bool(0.25) {
                FileType::Directory
            } else {
                FileType::File
            };
            let domain = domains[rng.random_range(0..domains.len())];
            let urls = (0..rng.random_range(1..=12))
                .map(|n| match file_type {
                    FileType::Directory => format!("https://{domain}/static/v{n}/"),
                    FileType::File => format!("https://{domain}/assets/app.{n}.js"),
                })
                .collect();
            let spec = ContentTaskSpec { task_type, file_type, mode: RefreshMode::All, urls };
            let created_ms = if newest { now } else { created_ms };
            store.insert(spec, created_ms, self.lifecycle);
        }
        *self.store.lock().expect("history store lock") = store;
    }

    /// Re-seeds with the seed given at start.
    pub fn seed_demo_tasks(&self, count: usize) {
        self.reset(self.seed, count);
    }

    /// One page of the tasks matching `filter`, and how many match.
    pub fn list(&self, filter: &HistoryFilter) -> ShowHistoryTasksResponse {
        let now = self.clock.now_ms();
        let store = self.store.lock().expect("history store lock");
        let matches = |task: &&Task| {
            task.file_type == filter.file_type
                && filter.task_type.is_none_or(|t| task.task_type == t)
                && filter.status.is_none_or(|s| task.status(now) == s)
        };
        let matching = || -> Box<dyn DoubleEndedIterator<Item = &Task> + '_> {
            Box::new(store.created_within(filter.start_ms, filter.end_ms).filter(matches))
        };
        let offset = usize::try_from(filter.page.offset()).unwrap_or(usize::MAX);
        let size = filter.page.size as usize;
        let ascending = filter.order_type == OrderType::Asc;
        let (total, page): (usize, Vec<&Task>) = match filter.order_field {
            OrderField::CreateTime if ascending => page_of(matching(), offset, size),
            OrderField::CreateTime => page_of(matching().rev(), offset, size),
            field => store.page_sorted_by(matching, |task| task.sort_key(field, now), ascending, offset, size),
        };
        ShowHistoryTasksResponse { total: total as u64, tasks: page.into_iter().map(|t| t.to_wire(now)).collect() }
    }

    /// One task with a page of its URLs.
    pub fn detail(&self, id: &str, filter: &DetailFilter) -> Result<ShowHistoryTaskDetailsResponse, DetailRefused> {
        let now = self.clock.now_ms();
        let window = match filter.create_time {
            Some(at) if at < now - DETAIL_MAX_WINDOW_MS => return Err(DetailRefused::CreateTimeTooOld),
            Some(at) => at.min(now - DETAIL_DEFAULT_WINDOW_MS),
            None => now - DETAIL_DEFAULT_WINDOW_MS,
        };
        let store = self.store.lock().expect("history store lock");
        let task = store.get(id).filter(|t| t.created_ms >= window).ok_or(DetailRefused::NoSuchTask)?;
        let wanted = |url: &&UrlEntry| {
            let status = url.status(now);
            let status_ok = filter.status.is_none_or(|want| match want {
                UrlStatus::Refreshing => task.task_type == TaskType::Refresh && status == UrlStatus::Processing,
                UrlStatus::Preheating => task.task_type == TaskType::Preheating && status == UrlStatus::Processing,
                want => status == want,
            });
            status_ok && filter.url.as_deref().is_none_or(|part| url.url.contains(part))
        };
        let offset = usize::try_from(filter.page.offset()).unwrap_or(usize::MAX);
        let (_, urls) =
            page_of(task.urls.iter().enumerate().filter(|(_, url)| wanted(url)), offset, filter.page.size as usize);
        let counts = task.counts(now);
        Ok(ShowHistoryTaskDetailsResponse {
            id: task.id(),
            task_type: task.task_type.as_str().to_owned(),
            status: task.status(now).as_str().to_owned(),
            urls: urls.into_iter().map(|(index, url)| url_to_wire(task, index, url, now)).collect(),
            create_time: task.created_ms,
            processing: counts.processing,
            succeed: counts.succeed,
            failed: counts.failed,
            total: task.urls.len() as u32,
            file_type: task.file_type.as_str().to_owned(),
        })
    }
}

impl Resettable for HistoryTasks {
    fn reset(&self, restart: &Restart) {
        HistoryTasks::reset(self, restart.seed, restart.demo_tasks);
    }
}

/// The store's generator and counter, in a compacted state file.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoreSnapshot {
    rng: RngState,
    next_seq: u64,
}

/// One task as it is, in a compacted state file. Each URL is `[url, start, finish, failure]`,
/// the times in milliseconds after the task's creation: compact, as a task may hold 1,000 URLs.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TaskSnapshot {
    seq: u64,
    task_type: String,
    file_type: String,
    created_ms: EpochMs,
    urls: Vec<(String, EpochMs, EpochMs, Option<String>)>,
}

type HistoryLine = Compacted<StoreSnapshot, TaskSnapshot>;

impl Snapshot for HistoryTasks {
    fn write_snapshot(&self, out: &mut SnapshotWriter<'_>) -> std::io::Result<()> {
        let store = self.store.lock().expect("history store lock");
        let head = StoreSnapshot { rng: RngState::of(&store.rng), next_seq: store.next_seq };
        out.line(Self::STATE_PART, &HistoryLine::Snapshot(head))?;
        for task in &store.tasks {
            let urls = task
                .urls
                .iter()
                .map(|url| {
                    let failure = url.failure.map(|f| f.as_str().to_owned());
                    (url.url.clone(), url.start_ms - task.created_ms, url.finish_ms - task.created_ms, failure)
                })
                .collect();
            let line = HistoryLine::Restore(TaskSnapshot {
                seq: task.seq,
                task_type: task.task_type.as_str().to_owned(),
                file_type: task.file_type.as_str().to_owned(),
                created_ms: task.created_ms,
                urls,
            });
            out.line(Self::STATE_PART, &line)?;
        }
        Ok(())
    }
}

impl HistoryTasks {
    /// Applies a line a compaction wrote: the store emptied to its generator and counter, or one
    /// task put back as it was.
    fn restore(&self, line: HistoryLine) -> Result<(), StateError> {
        let corrupt = |what: &str| StateError::Corrupt(format!("a compacted refresh or preheat task {what}"));
        let mut store = self.store.lock().expect("history store lock");
        match line {
            HistoryLine::Snapshot(head) => {
                let mut fresh = Store::new(self.seed, store.byte_budget);
                fresh.rng = head.rng.restore()?;
                fresh.next_seq = head.next_seq;
                *store = fresh;
            }
            HistoryLine::Restore(task) => {
                let task_type = TaskType::parse(&task.task_type).ok_or_else(|| corrupt("has an unknown type"))?;
                let file_type = FileType::parse(&task.file_type).ok_or_else(|| corrupt("has an unknown file type"))?;
                let created_ms = state_file::check_time("a creation time", task.created_ms)?;
                // Ids are the position in the store: tasks come back one after the other.
                let in_order = store.tasks.back().is_none_or(|last| last.seq.checked_add(1) == Some(task.seq))
                    && task.seq < store.next_seq;
                if !in_order || task.urls.is_empty() || task.urls.len() > URLS_MAX {
                    return Err(corrupt("is out of order or has too many URLs"));
                }
                let offsets = 0..=2 * TASK_DURATION_MAX_MS;
                let urls = task
                    .urls
                    .into_iter()
                    .map(|(url, start, finish, failure)| {
                        if !offsets.contains(&start) || !offsets.contains(&finish) {
                            return Err(corrupt("has a URL time out of range"));
                        }
                        let failure = match failure {
                            None => None,
                            Some(text) => {
                                Some(FailClassify::parse(&text).ok_or_else(|| corrupt("has an unknown failure"))?)
                            }
                        };
                        Ok(UrlEntry { url, start_ms: created_ms + start, finish_ms: created_ms + finish, failure })
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                store.push(Task::new(task.seq, task_type, file_type, created_ms, urls));
            }
        }
        Ok(())
    }
}

fn url_to_wire(task: &Task, index: usize, url: &UrlEntry, now: EpochMs) -> UrlObject {
    let status = url.status(now);
    let failure = url.failure.filter(|_| status == UrlStatus::Failed);
    let task_id = task.id();
    UrlObject {
        id: format!("{task_id}{index:05}"),
        url: url.url.clone(),
        status: status.as_str().to_owned(),
        create_time: task.created_ms,
        task_id,
        task_type: task.task_type.url_task_type().to_owned(),
        fail_classify: failure.map(|f| f.as_str().to_owned()),
        fail_desc: failure.map(|f| fail_description(f).to_owned()),
    }
}

fn fail_description(classify: FailClassify) -> &'static str {
    match classify {
        FailClassify::OriginError => "The origin server answered 404 Not Found for this URL.",
        FailClassify::InnerError => "A CDN node did not confirm the operation in time.",
        FailClassify::UnknownError => "The operation failed for an unknown reason; submit it again.",
    }
}

/// Counts everything `items` yields and keeps the page `offset..offset + size`.
fn page_of<T>(items: impl Iterator<Item = T>, offset: usize, size: usize) -> (usize, Vec<T>) {
    let mut page = Vec::with_capacity(size.min(1024));
    let mut total = 0;
    for item in items {
        if total >= offset && page.len() < size {
            page.push(item);
        }
        total += 1;
    }
    (total, page)
}

#[cfg(test)]
mod tests {
    use super::*;
    use export_desk_model::huawei_cdn::history::{Page, ShowHistoryTasksQuery};

    fn store(fail_rate: f64) -> (Arc<Clock>, HistoryTasks) {
        let clock = Arc::new(Clock::starting_at(1_800_000_000_000, 0.000_001));
        let lifecycle = Lifecycle { duration_ms: 10_000, fail_rate };
        (Arc::clone(&clock), HistoryTasks::new(Arc::new(StateFile::in_memory(Arc::clone(&clock))), clock, lifecycle, 7))
    }

    fn spec(urls: usize) -> ContentTaskSpec {
        ContentTaskSpec {
            task_type: TaskType::Refresh,
            file_type: FileType::File,
            mode: RefreshMode::All,
            urls: (0..urls).map(|i| format!("https://www.example.com/{i}")).collect(),
        }
    }

    fn all() -> HistoryFilter {
        ShowHistoryTasksQuery::default().validate().unwrap()
    }

    #[test]
    fn counters_add_up_at_every_moment_and_the_task_finishes() {
        let (clock, tasks) = store(0.3);
        let id = tasks.start(spec(200));
        let mut seen_partial = false;
        for _ in 0..30 {
            let task = &tasks.list(&all()).tasks[0];
            assert_eq!(task.id, id);
            assert_eq!(task.processing + task.succeed + task.failed, task.total);
            seen_partial |= task.processing > 0 && task.succeed + task.failed > 0;
            clock.advance(500);
        }
        let task = &tasks.list(&all()).tasks[0];
        assert!(seen_partial, "URLs finish at different moments");
        assert_eq!((task.status.as_str(), task.processing), ("task_done", 0));
        assert!(task.failed > 20 && task.succeed > 100, "{task:?}");
    }

    #[test]
    fn failed_urls_say_why_and_detail_pages_filter() {
        let (clock, tasks) = store(0.5);
        let id = tasks.start(spec(40));
        clock.advance(60_000);
        let filter = |status: Option<UrlStatus>, size: u32, number: u32| DetailFilter {
            page: Page { size, number },
            status,
            url: None,
            create_time: None,
        };
        let failed = tasks.detail(&id, &filter(Some(UrlStatus::Failed), 100, 1)).unwrap();
        assert_eq!(failed.urls.len() as u32, failed.failed);
        assert!(failed.urls.iter().all(|u| u.fail_classify.is_some() && u.fail_desc.is_some()));
        assert!(failed.urls.iter().all(|u| u.task_type == "REFRESH" && u.task_id == id));
        let second = tasks.detail(&id, &filter(None, 15, 2)).unwrap();
        assert_eq!(second.urls.first().map(|u| u.url.as_str()), Some("https://www.example.com/15"));
        assert_eq!(tasks.detail("nope", &filter(None, 10, 1)), Err(DetailRefused::NoSuchTask));
    }

    #[test]
    fn orders_and_filters() {
        let (clock, tasks) = store(0.0);
        for n in [3, 1, 2] {
            tasks.start(spec(n));
            clock.advance(1);
        }
        let mut by_total = all();
        (by_total.order_field, by_total.order_type) = (OrderField::Total, OrderType::Asc);
        let totals: Vec<u32> = tasks.list(&by_total).tasks.iter().map(|t| t.total).collect();
        assert_eq!(totals, vec![1, 2, 3]);
        let newest_first: Vec<u32> = tasks.list(&all()).tasks.iter().map(|t| t.total).collect();
        assert_eq!(newest_first, vec![2, 1, 3]);
        let mut directories = all();
        directories.file_type = FileType::Directory;
        assert_eq!(tasks.list(&directories).total, 0);
        let mut done = all();
        done.status = Some(TaskStatus::Done);
        assert_eq!(tasks.list(&done).total, 0);
        clock.advance(60_000);
        assert_eq!(tasks.list(&done).total, 3);
    }

    /// Counting the keys must page exactly as sorting everything would, for every field,
    /// direction, page size and filter, with unfinished tasks among them.
    #[test]
    fn every_sort_order_pages_like_a_full_sort() {
        let (clock, tasks) = store(0.4);
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for n in 0..120 {
            let mut task = spec(rng.random_range(1..9));
            if n % 3 == 0 {
                task.task_type = TaskType::Preheating;
            }
            tasks.start(task);
            clock.advance(if n < 100 { 200 } else { 1 });
        }
        let now = clock.now_ms();
        let every_page = |filter: &HistoryFilter| {
            let mut seen = Vec::new();
            let mut page = filter.clone();
            page.page.number = 1;
            loop {
                let answer = tasks.list(&page);
                if answer.tasks.is_empty() {
                    break (answer.total, seen);
                }
                seen.extend(answer.tasks);
                page.page.number += 1;
            }
        };
        for field in OrderField::ALL.iter().copied().filter(|f| *f != OrderField::CreateTime) {
            for order_type in [OrderType::Asc, OrderType::Desc] {
                for (size, task_type) in [(7, None), (50, Some(TaskType::Refresh)), (1, Some(TaskType::Preheating))] {
                    let mut filter = all();
                    (filter.order_field, filter.order_type, filter.task_type) = (field, order_type, task_type);
                    filter.page.size = size;
                    let (total, got) = every_page(&filter);
                    let store = tasks.store.lock().unwrap();
                    let mut expected: Vec<&Task> =
                        store.tasks.iter().filter(|t| task_type.is_none_or(|tt| t.task_type == tt)).collect();
                    expected.sort_by(|a, b| {
                        let (ka, kb) = (a.sort_key(field, now), b.sort_key(field, now));
                        let primary = if order_type == OrderType::Asc { ka.cmp(&kb) } else { kb.cmp(&ka) };
                        primary.then(b.seq.cmp(&a.seq))
                    });
                    let expected: Vec<HistoryTask> = expected.iter().map(|t| t.to_wire(now)).collect();
                    assert_eq!(total as usize, expected.len(), "{field:?} {order_type:?} {size}");
                    assert_eq!(got, expected, "{field:?} {order_type:?} {size} {task_type:?}");
                }
            }
        }
    }

    #[test]
    fn ids_are_found_only_in_their_canonical_form() {
        let (_, tasks) = store(0.0);
        let id = tasks.start(spec(1));
        let store = tasks.store.lock().unwrap();
        assert!(store.get(&id).is_some());
        assert!(store.get(&format!("0{id}")).is_none());
        assert!(store.get("1").is_none() && store.get("").is_none() && store.get("99999999999999999999999").is_none());
    }

    #[test]
    fn the_oldest_tasks_go_when_the_byte_budget_is_exceeded_but_never_the_newest() {
        let (_, tasks) = store(0.0);
        let tasks = tasks.with_byte_budget(300_000);
        let long = |n: usize| ContentTaskSpec {
            urls: (0..100).map(|i| format!("https://www.example.com/{n}/{i}/{}", "x".repeat(1000))).collect(),
            ..spec(0)
        };
        let ids: Vec<String> = (0..10).map(|n| tasks.start(long(n))).collect();
        let (bytes, kept) = tasks.accounted();
        assert!(bytes <= 300_000 && kept == 2, "{bytes} bytes in {kept} tasks");
        let listed: Vec<String> = tasks.list(&all()).tasks.into_iter().map(|t| t.id).collect();
        assert_eq!(listed, [ids[9].clone(), ids[8].clone()], "the newest stay");
        let huge = ContentTaskSpec { urls: vec!["x".repeat(400_000)], ..spec(0) };
        let id = tasks.start(huge);
        assert_eq!(tasks.list(&all()).tasks.iter().map(|t| t.id.clone()).collect::<Vec<_>>(), [id]);
        assert_eq!(tasks.start(spec(1)), (FIRST_TASK_ID + 11).to_string(), "ids go on counting");
    }

    #[test]
    fn demo_tasks_repeat_for_a_seed() {
        let (_, tasks) = store(0.1);
        tasks.reset(5, 12);
        let first = tasks.list(&all());
        tasks.reset(5, 12);
        assert_eq!(tasks.list(&all()), first);
        assert!(first.total > 0);
    }
}
