//! The store of statistics export tasks and their lifecycle.
//!
//! A task is `processing` from creation until its finish time (mock clock), then `success` or
//! `fail`, decided at creation from the seeded generator. Transitions are applied lazily: every
//! call first settles the tasks whose finish time has passed, in finish order, so `update_time`
//! is the moment the task finished, not the moment someone looked.
//!
//! Two ordered indexes keep calls cheap however many tasks there are: `by_update` (the list
//! order: newest modification first) and `pending` (unfinished tasks by finish time).

use super::stats_file;
use crate::mock::clock::{Clock, EpochMs};
use crate::mock::{Lifecycle, Resettable, Restart};
use export_desk_model::huawei_cdn::{
    status, Domains, ExportSpec, ExportTask, ExportTaskVo, ListExportTasksResponse, StatsAction,
};
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

/// Creation order; breaks ties between tasks modified in the same millisecond.
type Seq = u64;

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

    /// Seeds the file's numbers, so the same task always downloads the same file.
    pub fn content_seed(&self) -> u64 {
        self.id.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3))
    }
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

pub struct StatsExports {
    clock: Arc<Clock>,
    lifecycle: Lifecycle,
    public_url: Option<String>,
    store: Mutex<Store>,
}

struct Store {
    /// The seed the store started from; demo tasks derive from it.
    seed: u64,
    rng: ChaCha8Rng,
    next_seq: Seq,
    tasks: HashMap<String, Task>,
    by_update: BTreeMap<(EpochMs, Seq), String>,
    pending: BTreeMap<(EpochMs, Seq), String>,
}

impl StatsExports {
    pub fn new(clock: Arc<Clock>, lifecycle: Lifecycle, seed: u64, public_url: Option<String>) -> Self {
        Self { clock, lifecycle, public_url, store: Mutex::new(Store::new(seed)) }
    }

    /// Forgets every task and seeds `count` demo tasks from `seed`: the store a fresh start with
    /// that seed would have, ids and outcomes of later tasks included.
    pub fn reset(&self, seed: u64, count: usize) {
        *self.store.lock().expect("stats store lock") = Store::new(seed);
        self.seed_demo_tasks(count);
    }

    /// Starts a task for a validated request; returns its id.
    pub fn create(&self, spec: ExportSpec) -> String {
        let now = self.clock.now_ms();
        let mut store = self.store.lock().expect("stats store lock");
        store.settle(now);
        let run_ms = store.run_time(self.lifecycle.duration_ms);
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
            let matched = store.tasks.get(id).filter(|task| request.name_matches(&task.name));
            let data: Vec<ExportTask> =
                matched.into_iter().skip(request.offset).take(request.limit).map(wire).collect();
            return ListExportTasksResponse { total: u64::from(matched.is_some()), data };
        }
        let newest_first = store.by_update.values().rev().map(|id| &store.tasks[id]);
        match &request.task_name {
            None => ListExportTasksResponse {
                total: store.tasks.len() as u64,
                data: newest_first.skip(request.offset).take(request.limit).map(wire).collect(),
            },
            Some(_) => {
                let mut total = 0u64;
                let mut data = Vec::new();
                for task in newest_first.filter(|task| request.name_matches(&task.name)) {
                    if total as usize >= request.offset && data.len() < request.limit {
                        data.push(wire(task));
                    }
                    total += 1;
                }
                ListExportTasksResponse { total, data }
            }
        }
    }

    /// The task behind a download link, if its file exists (the task succeeded).
    pub fn downloadable(&self, id: &str) -> Option<Task> {
        let now = self.clock.now_ms();
        let mut store = self.store.lock().expect("stats store lock");
        store.settle(now);
        store.tasks.get(id).filter(|task| task.is_downloadable()).cloned()
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
            let spec = vo.validate().expect("demo tasks obey the rules");
            let run_ms = store.run_time(self.lifecycle.duration_ms);
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
    fn name_matches(&self, name: &str) -> bool {
        self.task_name.as_deref().is_none_or(|wanted| name.to_lowercase().contains(&wanted.to_lowercase()))
    }
}

impl Store {
    fn new(seed: u64) -> Self {
        Self {
            seed,
            rng: ChaCha8Rng::seed_from_u64(seed),
            next_seq: 0,
            tasks: HashMap::new(),
            by_update: BTreeMap::new(),
            pending: BTreeMap::new(),
        }
    }

    fn run_time(&mut self, duration_ms: EpochMs) -> EpochMs {
        let jitter = self.rng.random_range(0.75..=1.25);
        ((duration_ms as f64) * jitter).round() as EpochMs
    }

    fn insert(&mut self, spec: ExportSpec, created_ms: EpochMs, finish_ms: EpochMs, outcome: Outcome) -> String {
        let mut raw = [0u8; 16];
        self.rng.fill_bytes(&mut raw);
        let id: String = raw.iter().map(|b| format!("{b:02x}")).collect();
        let seq = self.next_seq;
        self.next_seq += 1;
        let name = stats_file::stem(&spec);
        let task = Task { id: id.clone(), name, spec, seq, created_ms, finish_ms, outcome, finished: false };
        self.by_update.insert((created_ms, seq), id.clone());
        self.pending.insert((finish_ms, seq), id.clone());
        self.tasks.insert(id.clone(), task);
        id
    }

    /// Finishes, in order, every task whose finish time is not after `now`.
    fn settle(&mut self, now: EpochMs) {
        while let Some(entry) = self.pending.first_entry() {
            if entry.key().0 > now {
                break;
            }
            let id = entry.remove();
            let task = self.tasks.get_mut(&id).expect("pending tasks exist");
            self.by_update.remove(&(task.created_ms, task.seq));
            task.finished = true;
            self.by_update.insert((task.finish_ms, task.seq), id);
        }
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

/// The domains an export covers, with `all` meaning the mock account's domains.
pub fn covered_domains(spec: &ExportSpec) -> Vec<String> {
    match &spec.domains {
        Domains::All => stats_file::DEMO_DOMAINS.iter().map(|d| (*d).to_owned()).collect(),
        Domains::List(list) => list.clone(),
    }
}
