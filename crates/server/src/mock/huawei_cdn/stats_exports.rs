//! The store of statistics export tasks and their lifecycle.
//!
//! A task is `processing` from creation until its finish time (mock clock), then `success` or
//! `fail`, decided at creation from the seeded generator. Transitions are applied lazily: every
//! call first settles the tasks whose finish time has passed, in finish order, so `update_time`
//! is the moment the task finished, not the moment someone looked.
//!
//! The tasks live in `by_update`, ordered as the list shows them (newest modification first), so
//! a page is a walk of one tree without a lookup per task; `ids` finds a task by id and `pending`
//! holds the unfinished ones by finish time, so settling never looks at finished tasks.

use super::stats_file;
use crate::mock::clock::{Clock, EpochMs};
use crate::mock::memory::{self, optional_text_bytes, text_bytes};
use crate::mock::state_file::{self, Compacted, Entry, RngState, Snapshot, SnapshotWriter, StateError, StateFile};
use crate::mock::{Lifecycle, Resettable, Restart};
use export_desk_model::huawei_cdn::{
    status, Domains, ExportSpec, ExportTask, ExportTaskVo, ListExportTasksResponse, StatsAction,
};
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::io;
use std::sync::{Arc, Mutex};

/// Creation order; breaks ties between tasks modified in the same millisecond.
type Seq = u64;

/// Tasks kept; creating more drops the least recently modified. The docs give no limit. Memory is
/// bounded by the store's byte budget (`--store-bytes`; a task takes about 1 KB, more with long
/// domain lists); this bounds what a list call may have to walk.
pub const TASKS_KEPT_MAX: usize = 1_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Success,
    Fail,
}

#[derive(Debug, Clone)]
pub struct Task {
    pub id: String,
    pub name: String,
    pub spec: ExportSpec,
    seq: Seq,
    created_ms: EpochMs,
    finish_ms: EpochMs,
    outcome: Outcome,
    finished: bool,
}

impl Task {
    fn update_ms(&self) -> EpochMs {
        if self.finished {
            self.finish_ms
        } else {
            self.created_ms
        }
    }

    pub fn status(&self) -> &'static str {
        match (self.finished, self.outcome) {
            (false, _) => status::PROCESSING,
            (true, Outcome::Success) => status::SUCCESS,
            (true, Outcome::Fail) => status::FAIL,
        }
    }

    pub fn is_downloadable(&self) -> bool {
        self.finished && self.outcome == Outcome::Success
    }

    /// The estimate of the heap bytes the task takes in the store, which the byte budget counts:
    /// its slot in `by_update` (B-tree nodes run about two thirds full), its entries in `ids`
    /// (a hash table with room to grow) and `pending` (while it runs; counted throughout), both
    /// copies of its id, its name and what its spec holds on the heap. Its name's count is
    /// [`name_count_heap_bytes`], shared by the tasks of one name. Measured against the allocator
    /// in `tests/store_bytes.rs`.
    fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        let key = size_of::<(EpochMs, Seq)>();
        let in_maps = (key + size_of::<Task>()) * 3 / 2 + (size_of::<String>() + key) * 2 + key * 3;
        let spec = &self.spec;
        let domains = match &spec.domains {
            Domains::All => 0,
            Domains::List(list) => {
                memory::vec_bytes(list.len(), size_of::<String>()) + list.iter().map(|d| text_bytes(d)).sum::<usize>()
            }
        };
        in_maps
            + 2 * text_bytes(&self.id)
            + text_bytes(&self.name)
            + domains
            + optional_text_bytes(spec.country.as_deref())
            + optional_text_bytes(spec.province.as_deref())
            + optional_text_bytes(spec.isp.as_deref())
    }

    /// Seeds the file's numbers, so the same task always downloads the same file. The id alone
    /// suffices: it was itself drawn from the store's generator, which the mock's seed seeds.
    pub fn content_seed(&self) -> u64 {
        crate::mock::seeded::generator(0, "cdn statistics file", &self.id).next_u64()
    }
}

/// The estimate of the heap bytes of a name's entry in `name_counts` (a hash table with room to
/// grow) and its copy of the name.
fn name_count_heap_bytes(name: &str) -> usize {
    (std::mem::size_of::<String>() + std::mem::size_of::<usize>()) * 2 + text_bytes(name)
}

/// Filters and paging of a list call, already validated.
#[derive(Debug, Clone, Default)]
pub struct ListRequest {
    pub limit: usize,
    pub offset: usize,
    pub task_id: Option<String>,
    /// Case-insensitive substring of the name (mock: the docs do not say how names match).
    pub task_name: Option<String>,
}

/// What the state file records of this store: the request as it came, checked again on replay.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatsChange {
    Create(ExportTaskVo),
}

pub struct StatsExports {
    clock: Arc<Clock>,
    state: Arc<StateFile>,
    lifecycle: Lifecycle,
    public_url: Option<String>,
    /// Most heap bytes the tasks may take, by [`Task::heap_bytes`].
    byte_budget: usize,
    store: Mutex<Store>,
}

struct Store {
    /// The seed the store started from; demo tasks derive from it.
    seed: u64,
    rng: ChaCha8Rng,
    next_seq: Seq,
    by_update: BTreeMap<(EpochMs, Seq), Task>,
    /// Each task's key in `by_update`.
    ids: HashMap<String, (EpochMs, Seq)>,
    /// Unfinished tasks by finish time, to their key in `by_update`.
    pending: BTreeMap<(EpochMs, Seq), (EpochMs, Seq)>,
    /// How many tasks bear each name. Names repeat (they are built from the request), so a name
    /// filter counts its matches over the distinct names instead of over every task.
    name_counts: HashMap<String, usize>,
    /// The last task a compacted file's replay restored: they come in creation order, which
    /// keeps their keys unique.
    last_restored_seq: Option<Seq>,
    /// The sum of the tasks' [`Task::heap_bytes`].
    bytes_kept: usize,
    byte_budget: usize,
}

impl StatsExports {
    /// The part of the state file this store's changes are recorded under.
    pub const STATE_PART: &'static str = "cdn_stats";

    pub fn new(
        state: Arc<StateFile>,
        clock: Arc<Clock>,
        lifecycle: Lifecycle,
        seed: u64,
        public_url: Option<String>,
    ) -> Self {
        Self {
            clock,
            state,
            lifecycle,
            public_url,
            byte_budget: usize::MAX,
            store: Mutex::new(Store::new(seed, usize::MAX)),
        }
    }

    /// Bounds the tasks' estimated heap bytes; the least recently modified are dropped beyond it.
    pub fn with_byte_budget(mut self, bytes: usize) -> Self {
        self.byte_budget = bytes;
        self.store.get_mut().unwrap_or_else(std::sync::PoisonError::into_inner).byte_budget = bytes;
        self
    }

    /// The estimated heap bytes of the tasks kept (what the budget bounds) and how many tasks.
    pub fn accounted(&self) -> (usize, usize) {
        let store = self.store.lock().expect("stats store lock");
        (store.bytes_kept, store.by_update.len())
    }

    /// Forgets every task and seeds `count` demo tasks from `seed`: the store a fresh start with
    /// that seed would have, ids and outcomes of later tasks included.
    pub fn reset(&self, seed: u64, count: usize) {
        *self.store.lock().expect("stats store lock") = Store::new(seed, self.byte_budget);
        self.seed_demo_tasks(count);
    }

    /// Starts a task for a request and its validated spec, recorded in the state file; returns its id.
    pub fn create(&self, request: ExportTaskVo, spec: ExportSpec) -> Result<String, StateError> {
        self.state.commit(Self::STATE_PART, &StatsChange::Create(request), |_| self.start(spec))
    }

    /// Applies a change read back from the state file, at the mock time the clock is stopped at.
    pub fn replay(&self, entry: &Entry) -> Result<(), StateError> {
        if let Some(line) = entry.compacted()? {
            return self.restore(line, entry.at_ms);
        }
        match entry.change()? {
            StatsChange::Create(request) => {
                let spec = request
                    .validate()
                    .map_err(|v| StateError::Corrupt(format!("a recorded export is invalid: {v}")))?;
                self.start(spec);
            }
        }
        Ok(())
    }

    fn start(&self, spec: ExportSpec) -> String {
        let now = self.clock.now_ms();
        let mut store = self.store.lock().expect("stats store lock");
        store.settle(now);
        let run_ms = self.lifecycle.draw_run_ms(&mut store.rng);
        let outcome = if store.rng.random_bool(self.lifecycle.fail_rate) { Outcome::Fail } else { Outcome::Success };
        store.insert(spec, now, now + run_ms, outcome)
    }

    /// One page, newest modification first, and the number of matches.
    pub fn list(&self, request: &ListRequest, link_base: &str) -> ListExportTasksResponse {
        let now = self.clock.now_ms();
        let mut store = self.store.lock().expect("stats store lock");
        store.settle(now);
        let base = self.public_url.as_deref().unwrap_or(link_base);
        let wire = |task: &Task| to_wire(task, base);

        if let Some(id) = request.task_id.as_deref() {
            let matched = store.get(id).filter(|task| request.name_matches(&task.name));
            let data: Vec<ExportTask> =
                matched.into_iter().skip(request.offset).take(request.limit).map(wire).collect();
            return ListExportTasksResponse { total: u64::from(matched.is_some()), data };
        }
        let newest_first = store.by_update.values().rev();
        match &request.task_name {
            None => ListExportTasksResponse {
                total: store.by_update.len() as u64,
                data: newest_first.skip(request.offset).take(request.limit).map(wire).collect(),
            },
            Some(_) => {
                let matching: HashMap<&str, usize> = store
                    .name_counts
                    .iter()
                    .filter(|(name, _)| request.name_matches(name))
                    .map(|(name, count)| (name.as_str(), *count))
                    .collect();
                let total: usize = matching.values().sum();
                // Stops at the page's end: a common name is found near the top at once.
                let data = if request.offset >= total {
                    Vec::new()
                } else {
                    newest_first
                        .filter(|task| matching.contains_key(task.name.as_str()))
                        .skip(request.offset)
                        .take(request.limit)
                        .map(wire)
                        .collect()
                };
                ListExportTasksResponse { total: total as u64, data }
            }
        }
    }

    /// The task behind a download link, if its file exists (the task succeeded).
    pub fn downloadable(&self, id: &str) -> Option<Task> {
        let now = self.clock.now_ms();
        let mut store = self.store.lock().expect("stats store lock");
        store.settle(now);
        store.get(id).filter(|task| task.is_downloadable()).cloned()
    }

    /// Fills the store with `count` tasks from the last week, all but the newest two finished,
    /// deterministic for a given seed (relative to the clock's start).
    pub fn seed_demo_tasks(&self, count: usize) {
        let now = self.clock.now_ms();
        let mut store = self.store.lock().expect("stats store lock");
        let mut rng = ChaCha8Rng::seed_from_u64(store.seed ^ 0xdead_beef);
        const HOUR: EpochMs = 3_600_000;
        let hour_now = now - now % HOUR;
        for i in 0..count {
            let still_running = i + 2 >= count;
            let created = if still_running {
                now - rng.random_range(0..2_000)
            } else {
                now - rng.random_range(HOUR..7 * 24 * HOUR)
            };
            let action = StatsAction::ALL[rng.random_range(0..StatsAction::ALL.len())];
            let span_days = [1, 1, 3, 7, 30][rng.random_range(0..5)];
            let end_ms = hour_now - rng.random_range(0..72) * HOUR;
            let vo = ExportTaskVo {
                action: Some(action.as_str().to_owned()),
                domain_name: Some(
                    stats_file::DEMO_DOMAINS[..rng.random_range(1..=stats_file::DEMO_DOMAINS.len())].join(","),
                ),
                start_time: Some(end_ms - span_days * 24 * HOUR),
                end_time: Some(end_ms),
                interval: Some(if span_days > 7 { 3600 } else { 300 }),
                stat_type: Some(if rng.random_bool(0.5) { "flux" } else { "req_num" }.to_owned()),
                group_by: rng.random_bool(0.3).then(|| "domain".to_owned()),
                language: Some("en".to_owned()),
                ..ExportTaskVo::default()
            };
            // Demo tasks obey the rules, unless the clock stands so near the earliest time the
            // clouds accept that their span reaches before it: such a task is left out.
            let Ok(spec) = vo.validate() else { continue };
            let run_ms = self.lifecycle.draw_run_ms(&mut store.rng);
            let outcome = if rng.random_bool(0.15) { Outcome::Fail } else { Outcome::Success };
            let finish = if still_running { now + run_ms } else { created + run_ms.min(now - created) };
            store.insert(spec, created, finish, outcome);
        }
        store.settle(now);
    }
}

impl Resettable for StatsExports {
    fn reset(&self, restart: &Restart) {
        StatsExports::reset(self, restart.seed, restart.demo_tasks);
    }
}

impl ListRequest {
    /// Names are ASCII (they are built from the request), so an ASCII case-insensitive search
    /// matches as a full one would, without lower-casing a copy of every name.
    fn name_matches(&self, name: &str) -> bool {
        self.task_name.as_deref().is_none_or(|wanted| {
            let (name, wanted) = (name.as_bytes(), wanted.as_bytes());
            wanted.is_empty() || name.windows(wanted.len()).any(|window| window.eq_ignore_ascii_case(wanted))
        })
    }
}

impl Store {
    fn new(seed: u64, byte_budget: usize) -> Self {
        Self {
            seed,
            rng: ChaCha8Rng::seed_from_u64(seed),
            next_seq: 0,
            by_update: BTreeMap::new(),
            ids: HashMap::new(),
            pending: BTreeMap::new(),
            name_counts: HashMap::new(),
            last_restored_seq: None,
            bytes_kept: 0,
            byte_budget,
        }
    }

    fn insert(&mut self, spec: ExportSpec, created_ms: EpochMs, finish_ms: EpochMs, outcome: Outcome) -> String {
        let mut raw = [0u8; 16];
        self.rng.fill_bytes(&mut raw);
        let id: String = raw.iter().map(|b| format!("{b:02x}")).collect();
        let seq = self.next_seq;
        self.next_seq += 1;
        self.put(id.clone(), spec, seq, created_ms, finish_ms, outcome);
        id
    }

    /// Stores a task, unfinished (settling finishes it), and drops the least recently modified
    /// beyond the limit.
    fn put(
        &mut self,
        id: String,
        spec: ExportSpec,
        seq: Seq,
        created_ms: EpochMs,
        finish_ms: EpochMs,
        outcome: Outcome,
    ) {
        let name = stats_file::stem(&spec);
        let name_of_new = name.clone();
        let task = Task { id: id.clone(), name, spec, seq, created_ms, finish_ms, outcome, finished: false };
        self.bytes_kept += task.heap_bytes();
        self.by_update.insert((created_ms, seq), task);
        self.pending.insert((finish_ms, seq), (created_ms, seq));
        self.ids.insert(id.clone(), (created_ms, seq));
        let count = self.name_counts.entry(name_of_new.clone()).or_default();
        if *count == 0 {
            self.bytes_kept += name_count_heap_bytes(&name_of_new);
        }
        *count += 1;
        // Never the task just created (its id is handed out): a budget below one task keeps it.
        while (self.by_update.len() > TASKS_KEPT_MAX || self.bytes_kept > self.byte_budget) && self.by_update.len() > 1
        {
            let Some((_, oldest)) = self.by_update.pop_first() else { break };
            self.bytes_kept -= oldest.heap_bytes();
            self.ids.remove(&oldest.id);
            if let Some(count) = self.name_counts.get_mut(&oldest.name) {
                *count -= 1;
                if *count == 0 {
                    self.name_counts.remove(&oldest.name);
                    self.bytes_kept -= name_count_heap_bytes(&oldest.name);
                }
            }
            self.pending.remove(&(oldest.finish_ms, oldest.seq));
        }
    }

    fn get(&self, id: &str) -> Option<&Task> {
        self.ids.get(id).and_then(|key| self.by_update.get(key))
    }

    /// Finishes, in order, every task whose finish time is not after `now`.
    fn settle(&mut self, now: EpochMs) {
        while let Some(entry) = self.pending.first_entry() {
            if entry.key().0 > now {
                break;
            }
            let key = entry.remove();
            let mut task = self.by_update.remove(&key).expect("pending tasks are stored");
            task.finished = true;
            let finished_key = (task.finish_ms, task.seq);
            self.ids.insert(task.id.clone(), finished_key);
            self.by_update.insert(finished_key, task);
        }
    }
}

/// The store's generator and counter, in a compacted state file.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoreSnapshot {
    seed: u64,
    rng: RngState,
    next_seq: Seq,
}

/// One task as it is, in a compacted state file: the request it was made from (checked again
/// when read back) and everything that was drawn for it.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TaskSnapshot {
    id: String,
    request: ExportTaskVo,
    seq: Seq,
    created_ms: EpochMs,
    finish_ms: EpochMs,
    failed: bool,
}

type StatsLine = Compacted<StoreSnapshot, TaskSnapshot>;

impl Snapshot for StatsExports {
    fn write_snapshot(&self, out: &mut SnapshotWriter<'_>) -> io::Result<()> {
        let store = self.store.lock().expect("stats store lock");
        let head = StoreSnapshot { seed: store.seed, rng: RngState::of(&store.rng), next_seq: store.next_seq };
        out.line(Self::STATE_PART, &StatsLine::Snapshot(head))?;
        let mut tasks: Vec<&Task> = store.by_update.values().collect();
        tasks.sort_unstable_by_key(|task| task.seq);
        for task in tasks {
            let line = StatsLine::Restore(TaskSnapshot {
                id: task.id.clone(),
                request: request_of(&task.spec),
                seq: task.seq,
                created_ms: task.created_ms,
                finish_ms: task.finish_ms,
                failed: task.outcome == Outcome::Fail,
            });
            out.line(Self::STATE_PART, &line)?;
        }
        Ok(())
    }
}

impl StatsExports {
    /// Applies a line a compaction wrote: the store emptied to its generator and counter, or one
    /// task put back as it was.
    fn restore(&self, line: StatsLine, now: EpochMs) -> Result<(), StateError> {
        let corrupt = |what: &str| StateError::Corrupt(format!("a compacted CDN statistics export {what}"));
        let mut store = self.store.lock().expect("stats store lock");
        match line {
            StatsLine::Snapshot(head) => {
                let mut fresh = Store::new(head.seed, store.byte_budget);
                fresh.rng = head.rng.restore()?;
                fresh.next_seq = head.next_seq;
                *store = fresh;
            }
            StatsLine::Restore(task) => {
                let spec = task.request.validate().map_err(|v| corrupt(&format!("is invalid: {v}")))?;
                let created_ms = state_file::check_time("a creation time", task.created_ms)?;
                let finish_ms = state_file::check_time("a finish time", task.finish_ms)?;
                let in_order = store.last_restored_seq.is_none_or(|last| task.seq > last) && task.seq < store.next_seq;
                if !in_order || store.ids.contains_key(&task.id) {
                    return Err(corrupt("repeats a task or is out of order"));
                }
                store.last_restored_seq = Some(task.seq);
                let outcome = if task.failed { Outcome::Fail } else { Outcome::Success };
                store.put(task.id, spec, task.seq, created_ms, finish_ms, outcome);
                store.settle(now);
            }
        }
        Ok(())
    }
}

/// The request that validates to `spec`: what a compacted file records of a task's spec.
fn request_of(spec: &ExportSpec) -> ExportTaskVo {
    ExportTaskVo {
        action: Some(spec.action.as_str().to_owned()),
        domain_name: Some(match &spec.domains {
            Domains::All => "all".to_owned(),
            Domains::List(list) => list.join(","),
        }),
        start_time: Some(spec.start_ms),
        end_time: Some(spec.end_ms),
        group_by: spec.group_by_domain.then(|| "domain".to_owned()),
        interval: Some(spec.interval.seconds()),
        service_area: Some(spec.service_area.as_str().to_owned()),
        stat_type: Some(spec.stat_type.as_str().to_owned()),
        country: spec.country.clone(),
        province: spec.province.clone(),
        isp: spec.isp.clone(),
        language: Some(spec.language.as_str().to_owned()),
    }
}

fn to_wire(task: &Task, link_base: &str) -> ExportTask {
    ExportTask {
        task_id: task.id.clone(),
        task_name: task.name.clone(),
        status: task.status().to_owned(),
        download_link: task
            .is_downloadable()
            .then(|| format!("{link_base}{}/{}/{}", super::FILES_PATH, task.id, stats_file::file_name(&task.spec))),
        create_time: task.created_ms,
        update_time: task.update_ms(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exports() -> (Arc<Clock>, StatsExports) {
        let clock = Arc::new(Clock::starting_at(1_800_000_000_000, 0.000_001));
        let lifecycle = Lifecycle { duration_ms: 1_000, fail_rate: 0.2 };
        let state = Arc::new(StateFile::in_memory(Arc::clone(&clock)));
        (Arc::clone(&clock), StatsExports::new(state, clock, lifecycle, 5, None))
    }

    fn request(action: StatsAction, day: i64) -> ExportTaskVo {
        let start = 1_763_942_400_000 + day * 86_400_000;
        ExportTaskVo {
            action: Some(action.as_str().to_owned()),
            domain_name: Some("a.example.com".to_owned()),
            start_time: Some(start),
            end_time: Some(start + 86_400_000),
            ..ExportTaskVo::default()
        }
    }

    #[test]
    fn the_least_recently_modified_tasks_go_when_the_byte_budget_is_exceeded() {
        let (_, exports) = exports();
        let exports = exports.with_byte_budget(20_000);
        let mut ids = Vec::new();
        for n in 0..40 {
            let mut vo = request(StatsAction::ALL[n % StatsAction::ALL.len()], 0);
            vo.isp = Some("i".repeat(1_000));
            let spec = vo.validate().unwrap();
            ids.push(exports.create(vo, spec).unwrap());
        }
        let (bytes, kept) = exports.accounted();
        assert!(bytes <= 20_000 && (5..40).contains(&kept), "{bytes} bytes in {kept} tasks");
        let listed = exports.list(&ListRequest { limit: 100, ..ListRequest::default() }, "http://h").data;
        let newest: Vec<&String> = ids.iter().rev().take(kept).collect();
        assert_eq!(listed.iter().map(|t| &t.task_id).collect::<Vec<_>>(), newest);
    }

    /// The name filter counts over distinct names and stops at the page's end; it must agree
    /// with filtering every task, on every page, as tasks finish and move to the top.
    #[test]
    fn name_filters_page_like_a_scan_of_every_task() {
        let (clock, exports) = exports();
        for n in 0..60 {
            let vo = request(StatsAction::ALL[n % StatsAction::ALL.len()], (n % 4) as i64);
            let spec = vo.validate().unwrap();
            exports.create(vo, spec).unwrap();
            clock.advance(if n % 7 == 0 { 2_000 } else { 10 });
        }
        let everything = exports.list(&ListRequest { limit: 100, ..ListRequest::default() }, "http://h").data;
        for wanted in ["UV", "detail_flux_20251125", "top_", "nothing-like-this", ""] {
            let expected: Vec<&ExportTask> =
                everything.iter().filter(|t| t.task_name.to_lowercase().contains(&wanted.to_lowercase())).collect();
            for (offset, limit) in [(0, 7), (5, 3), (expected.len().saturating_sub(2), 10), (500, 10)] {
                let request = ListRequest { limit, offset, task_id: None, task_name: Some(wanted.to_owned()) };
                let answer = exports.list(&request, "http://h");
                assert_eq!(answer.total as usize, expected.len(), "{wanted:?}");
                let want: Vec<&ExportTask> = expected.iter().skip(offset).take(limit).copied().collect();
                assert_eq!(answer.data.iter().collect::<Vec<_>>(), want, "{wanted:?} {offset} {limit}");
            }
        }
    }

    /// A compacted file records a task's spec as a request; it must validate to the same spec,
    /// for every field a request can set.
    #[test]
    fn a_spec_survives_the_trip_through_its_request() {
        let (_, exports) = exports();
        exports.seed_demo_tasks(200);
        let store = exports.store.lock().unwrap();
        let mut specs: Vec<ExportSpec> = store.by_update.values().map(|task| task.spec.clone()).collect();
        let mut full = request(StatsAction::ALL[0], 1);
        full.domain_name = Some("all".to_owned());
        full.country = Some("cn".to_owned());
        full.province = Some("all".to_owned());
        full.isp = Some("telecom".to_owned());
        full.service_area = Some("global".to_owned());
        specs.push(full.validate().unwrap());
        for spec in specs {
            assert_eq!(request_of(&spec).validate().as_ref(), Ok(&spec));
        }
    }
}
