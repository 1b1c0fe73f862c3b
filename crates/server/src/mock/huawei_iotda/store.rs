//! The store of IoTDA export tasks, their lifecycle and the documented per-user rules.
//!
//! Tasks belong to an [`Owner`] (project + instance). A task is `Processing` from creation until
//! its end, then `Success`, or `Failed` partway through; its run time and outcome are drawn from
//! the seeded generator at creation, so status, `progress` and `export_count` are pure functions
//! of mock time and no call waits on a background worker.
//!
//! Each owner's tasks sit in a map ordered by id. Ids sort by creation, which is exactly the
//! documented list order (newest, i.e. largest id, first; `marker` = list ids below it), so a list
//! call walks one owner's at most 50 tasks backwards from the marker. Owners themselves are
//! bounded too, so a flood of creates under ever new project ids cannot exhaust memory.

use super::file;
use crate::mock::clock::{Clock, EpochMs};
use crate::mock::memory::{optional_text_bytes, text_bytes};
use crate::mock::state_file::{
    self, Compacted, Entry, RngState, Snapshot, SnapshotWriter, StateError, StateFile, TASK_DURATION_MAX_MS,
};
use crate::mock::{Lifecycle, Resettable, Restart};
use export_desk_model::huawei_iotda::{
    AppType, ExportFormat, ExportSpec, ExportTask, ListExportTasksResponse, ListFilter, Owner, Page, ResourceType,
    TaskStatus, DEMO_PROJECT_ID, DOWNLOAD_INTERVAL_MS, TASKS_PER_USER_MAX, UNFINISHED_PER_USER_MAX,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;
use std::sync::{Arc, Mutex};

/// (mock) Owners (project + instance) kept. Beyond it, or beyond the store's byte budget
/// (`--store-bytes`), the owner whose last task creation is oldest is forgotten with its tasks:
/// at most 50,000 tasks in all, about 20 MB.
pub const OWNERS_KEPT_MAX: usize = 1000;
/// Where in its run a failing task gives up: somewhere between a tenth and nine tenths.
const FAILURE_POINT: std::ops::Range<f64> = 0.1..0.9;
/// The app demo tasks with `app_type` `APP` belong to.
const DEMO_APP_ID: &str = "smart-meter-app";
const HOUR_MS: EpochMs = 3_600_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Success,
    Failed,
}

#[derive(Debug, Clone)]
struct Task {
    id: String,
    spec: ExportSpec,
    created_ms: EpochMs,
    /// How long the whole export would take: progress is the share of it elapsed.
    run_ms: EpochMs,
    /// When it finished: after `run_ms` when it succeeds, partway when it fails.
    end_ms: EpochMs,
    outcome: Outcome,
    /// Rows of the finished file.
    rows: u64,
}

impl Task {
    /// The estimate of the heap bytes the task takes, which the byte budget counts: its slot in
    /// the owner's B-tree (nodes run about two thirds full), both copies of its id (key and
    /// field) and its spec's texts. Measured against the allocator in `tests/store_bytes.rs`.
    fn heap_bytes(&self) -> usize {
        (std::mem::size_of::<String>() + std::mem::size_of::<Task>()) * 3 / 2
            + 2 * text_bytes(&self.id)
            + text_bytes(&self.spec.batch_task_id)
            + optional_text_bytes(self.spec.app_id.as_deref())
    }

    fn status(&self, now: EpochMs) -> TaskStatus {
        match (now >= self.end_ms, self.outcome) {
            (false, _) => TaskStatus::Processing,
            (true, Outcome::Success) => TaskStatus::Success,
            (true, Outcome::Failed) => TaskStatus::Failed,
        }
    }

    /// Mock milliseconds of the run done by `now` (frozen at the failure for a failed task).
    fn elapsed(&self, now: EpochMs) -> i128 {
        i128::from((now.min(self.end_ms) - self.created_ms).max(0))
    }

    /// 1–99 while running (the share of the run elapsed, at least 1 as documented), 100 once
    /// succeeded; a failed task keeps the progress it had when it failed.
    fn progress(&self, now: EpochMs) -> u32 {
        if self.status(now) == TaskStatus::Success {
            return 100;
        }
        (self.elapsed(now) * 100 / i128::from(self.run_ms.max(1))).clamp(1, 99) as u32
    }

    /// Rows written so far: none at the start, in step with the run, all of them once succeeded.
    fn export_count(&self, now: EpochMs) -> u64 {
        if self.status(now) == TaskStatus::Success {
            return self.rows;
        }
        let written = i128::from(self.rows) * self.elapsed(now) / i128::from(self.run_ms.max(1));
        (written.clamp(0, i128::from(self.rows.saturating_sub(1)))) as u64
    }

    fn to_wire(&self, now: EpochMs) -> ExportTask {
        let status = self.status(now);
        ExportTask {
            export_task_id: self.id.clone(),
            resource_type: self.spec.resource_type.as_str().to_owned(),
            resource_condition: self.spec.resource_condition(),
            export_format: self.spec.export_format.as_str().to_owned(),
            status: status.as_str().to_owned(),
            export_count: self.export_count(now),
            progress: self.progress(now),
            create_time: iotda_time(self.created_ms),
            end_time: status.is_finished().then(|| iotda_time(self.end_ms)),
            app_type: self.spec.app_type.as_str().to_owned(),
            app_id: self.spec.app_id.clone(),
        }
    }
}

/// `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`, the documented time format.
fn iotda_time(ms: EpochMs) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map_or_else(String::new, |at| at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
}

/// Why a create was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreateRefused {
    /// The owner already has this many unfinished tasks (the documented maximum).
    TooManyUnfinished(usize),
}

/// No task with that id for that owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoSuchTask;

/// Why a download was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DownloadRefused {
    NoSuchTask,
    /// Still running, at this progress.
    NotReady {
        progress: u32,
    },
    Failed,
    /// The owner downloaded a file less than 30 s ago; mock milliseconds until the next may start.
    TooSoon {
        wait_ms: EpochMs,
    },
}

/// What a granted download serves; the archive is built outside the store's lock.
#[derive(Debug, Clone)]
pub struct ExportFile {
    pub export_task_id: String,
    batch_task_id: String,
    finished_ms: EpochMs,
    seed: u64,
}

impl ExportFile {
    pub fn file_name(&self) -> String {
        file::archive_name(&self.export_task_id)
    }

    pub fn archive(&self) -> Vec<u8> {
        file::archive(self.seed, &self.batch_task_id, self.finished_ms)
    }
}

/// What the state file records of this store. Downloads are not recorded: the 30 s window they
/// open is a rate limit, not state worth keeping across a restart.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IotdaChange {
    Create { owner: Owner, spec: ExportSpec },
    Delete { owner: Owner, export_task_id: String },
}

pub struct ExportTasks {
    clock: Arc<Clock>,
    state: Arc<StateFile>,
    lifecycle: Lifecycle,
    seed: u64,
    /// Most heap bytes owners and tasks may take, by [`owner_heap_bytes`] and [`Task::heap_bytes`].
    byte_budget: usize,
    store: Mutex<Store>,
}

struct Store {
    /// The seed the store started from; file contents derive from it.
    seed: u64,
    rng: ChaCha8Rng,
    /// Ids are this prefix and a counter, both in hex: they sort by creation, as the documented
    /// paging needs, and look like IoTDA's 24-hex-digit ids.
    id_prefix: u32,
    next_counter: u64,
    owners: HashMap<Owner, OwnerTasks>,
    /// Owners by their latest creation, for forgetting the least active one.
    by_activity: BTreeMap<u64, Owner>,
    next_activity: u64,
    /// The sum of the owners' and tasks' estimated heap bytes.
    bytes_kept: usize,
    byte_budget: usize,
}

/// The estimate of the heap bytes an owner takes besides its tasks: its entry in `owners` (a hash
/// table with room to grow), its entry in `by_activity`, both copies of its ids, and the first
/// node of its tasks' B-tree, which has room for 11 tasks however few it holds.
fn owner_heap_bytes(owner: &Owner) -> usize {
    use std::mem::size_of;
    (size_of::<Owner>() + size_of::<OwnerTasks>()) * 2
        + 11 * (size_of::<String>() + size_of::<Task>())
        + (size_of::<u64>() + size_of::<Owner>()) * 3 / 2
        + 2 * (text_bytes(&owner.project_id) + optional_text_bytes(owner.instance_id.as_deref()))
}

#[derive(Default)]
struct OwnerTasks {
    tasks: BTreeMap<String, Task>,
    /// Mock time of the last file served, for the one-download-per-30-s rule.
    last_download_ms: Option<EpochMs>,
    /// Its key in `by_activity`; `None` until its first task.
    activity: Option<u64>,
}

impl ExportTasks {
    /// The part of the state file this store's changes are recorded under.
    pub const STATE_PART: &'static str = "iotda";

    /// A store without a byte budget; the mock gives it its share with
    /// [`with_byte_budget`](Self::with_byte_budget).
    pub fn new(state: Arc<StateFile>, clock: Arc<Clock>, lifecycle: Lifecycle, seed: u64) -> Self {
        Self { clock, state, lifecycle, seed, byte_budget: usize::MAX, store: Mutex::new(Store::new(seed, usize::MAX)) }
    }

    /// Bounds the owners' and tasks' estimated heap bytes; the least active owners are forgotten
    /// beyond it.
    pub fn with_byte_budget(mut self, bytes: usize) -> Self {
        self.byte_budget = bytes;
        self.store.get_mut().unwrap_or_else(std::sync::PoisonError::into_inner).byte_budget = bytes;
        self
    }

    /// The estimated heap bytes kept (what the budget bounds) and how many tasks.
    pub fn accounted(&self) -> (usize, usize) {
        let store = self.store.lock().expect("iotda store lock");
        (store.bytes_kept, store.owners.values().map(|o| o.tasks.len()).sum())
    }

    /// Starts an export for `owner`, recorded in the state file; the task as created.
    pub fn create(&self, owner: &Owner, spec: ExportSpec) -> Result<Result<ExportTask, CreateRefused>, StateError> {
        let change = IotdaChange::Create { owner: owner.clone(), spec: spec.clone() };
        self.state.commit_unless_refused(Self::STATE_PART, &change, |now| self.create_at(owner, spec, now))
    }

    /// Applies a change read back from the state file, at the mock time it was made. A change
    /// refused again was refused when made too (its line outlived a crash before it was taken
    /// back): it changes nothing now either.
    pub fn replay(&self, entry: &Entry) -> Result<(), StateError> {
        if let Some(line) = entry.compacted()? {
            return self.restore(line);
        }
        match entry.change()? {
            IotdaChange::Create { owner, spec } => {
                // Recorded after validation: what does not validate the same again is not ours.
                if spec.to_request().validate().as_ref() != Ok(&spec) {
                    return Err(StateError::Corrupt("a recorded IoTDA export task breaks the rules".into()));
                }
                if let Err(refused) = self.create_at(&owner, spec, entry.at_ms) {
                    tracing::debug!(?refused, line = entry.line, "a recorded IoTDA export was refused again");
                }
            }
            IotdaChange::Delete { owner, export_task_id } => {
                if self.delete_at(&owner, &export_task_id, entry.at_ms).is_err() {
                    tracing::debug!(line = entry.line, "a recorded IoTDA deletion found no task again");
                }
            }
        }
        Ok(())
    }

    /// [`create`](Self::create) at mock time `now`. Applies the documented rules in this order:
    /// at most 5 unfinished tasks (the task this one replaces does not count); a task with the
    /// same conditions is replaced (removed, its id gone); beyond 50 tasks the oldest go.
    pub fn create_at(&self, owner: &Owner, spec: ExportSpec, now: EpochMs) -> Result<ExportTask, CreateRefused> {
        let mut store = self.store.lock().expect("iotda store lock");
        let existing = store.owners.get(owner);
        let replaced = existing
            .and_then(|o| o.tasks.values().find(|task| task.spec.same_conditions(&spec)))
            .map(|task| task.id.clone());
        let unfinished = existing.map_or(0, |o| {
            o.tasks
                .values()
                .filter(|task| Some(&task.id) != replaced.as_ref() && task.status(now) == TaskStatus::Processing)
                .count()
        });
        if unfinished >= UNFINISHED_PER_USER_MAX {
            return Err(CreateRefused::TooManyUnfinished(unfinished));
        }
        let run_ms = self.lifecycle.draw_run_ms(&mut store.rng);
        let (outcome, share) = if store.rng.random_bool(self.lifecycle.fail_rate) {
            (Outcome::Failed, store.rng.random_range(FAILURE_POINT))
        } else {
            (Outcome::Success, 1.0)
        };
        let end_ms = now + ((run_ms as f64) * share).round() as EpochMs;
        if let Some(id) = replaced {
            store.remove_task(owner, &id);
        }
        let task = store.insert(owner, spec, now, run_ms, end_ms, outcome);
        Ok(task.to_wire(now))
    }

    /// One page of `owner`'s tasks matching `filter`, newest first, below the marker and after
    /// `offset` matches; `count` is every match, whatever the marker.
    pub fn list(&self, owner: &Owner, filter: &ListFilter) -> ListExportTasksResponse {
        let now = self.clock.now_ms();
        let store = self.store.lock().expect("iotda store lock");
        let Some(tasks) = store.owners.get(owner) else {
            return ListExportTasksResponse { export_tasks: Vec::new(), page: Page { count: 0, marker: None } };
        };
        let matches = |task: &&Task| filter.matches(&task.spec);
        let count = tasks.tasks.values().filter(matches).count() as u64;
        let below_marker = (Bound::Unbounded, Bound::Excluded(filter.marker.as_str()));
        let page: Vec<&Task> = tasks
            .tasks
            .range::<str, _>(below_marker)
            .rev()
            .map(|(_, task)| task)
            .filter(matches)
            .skip(filter.offset as usize)
            .take(filter.limit as usize)
            .collect();
        ListExportTasksResponse {
            page: Page { count, marker: page.last().map(|task| task.id.clone()) },
            export_tasks: page.into_iter().map(|task| task.to_wire(now)).collect(),
        }
    }

    /// Removes a task, running or not (a running export is abandoned), recorded in the state file.
    pub fn delete(&self, owner: &Owner, id: &str) -> Result<Result<(), NoSuchTask>, StateError> {
        let change = IotdaChange::Delete { owner: owner.clone(), export_task_id: id.to_owned() };
        self.state.commit_unless_refused(Self::STATE_PART, &change, |now| self.delete_at(owner, id, now))
    }

    /// [`delete`](Self::delete) as a replayed mutation: deleting does not depend on the time,
    /// which is taken only so that every mutation is logged and replayed the same way.
    pub fn delete_at(&self, owner: &Owner, id: &str, _now: EpochMs) -> Result<(), NoSuchTask> {
        let mut store = self.store.lock().expect("iotda store lock");
        store.remove_task(owner, &id.to_ascii_lowercase()).map(|_| ()).ok_or(NoSuchTask)
    }

    /// Grants a download of a succeeded task's file, at most one per owner every 30 s.
    pub fn download(&self, owner: &Owner, id: &str) -> Result<ExportFile, DownloadRefused> {
        self.download_at(owner, id, self.clock.now_ms())
    }

    /// [`download`](Self::download) at mock time `now`. A refused call (unknown, unfinished or
    /// failed task, or too soon) does not start a new 30 s window: only a served file does, so
    /// a client polling for a file cannot lock itself out.
    pub fn download_at(&self, owner: &Owner, id: &str, now: EpochMs) -> Result<ExportFile, DownloadRefused> {
        let mut store = self.store.lock().expect("iotda store lock");
        let seed = store.seed;
        let tasks = store.owners.get_mut(owner).ok_or(DownloadRefused::NoSuchTask)?;
        let task = tasks.tasks.get(&id.to_ascii_lowercase()).ok_or(DownloadRefused::NoSuchTask)?;
        match task.status(now) {
            TaskStatus::Processing => return Err(DownloadRefused::NotReady { progress: task.progress(now) }),
            TaskStatus::Failed => return Err(DownloadRefused::Failed),
            TaskStatus::Success => {}
        }
        if let Some(last) = tasks.last_download_ms {
            let wait_ms = last + DOWNLOAD_INTERVAL_MS - now;
            if wait_ms > 0 {
                return Err(DownloadRefused::TooSoon { wait_ms });
            }
        }
        let file = ExportFile {
            export_task_id: task.id.clone(),
            batch_task_id: task.spec.batch_task_id.clone(),
            finished_ms: task.end_ms,
            seed,
        };
        tasks.last_download_ms = Some(now);
        Ok(file)
    }

    /// Forgets every task and seeds `count` demo tasks for [`DEMO_PROJECT_ID`] (no instance)
    /// from the last week, all but the newest two finished, deterministically from `seed`. Only
    /// the newest 50 stay, as for any user.
    pub fn reset(&self, seed: u64, count: usize) {
        let now = self.clock.now_ms();
        let mut store = Store::new(seed, self.byte_budget);
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x696f_7464_615f_6578);
        let owner = Owner { project_id: DEMO_PROJECT_ID.to_owned(), instance_id: None };
        let mut created: Vec<EpochMs> = (0..count)
            .map(|i| {
                let running = i + 2 >= count;
                now - if running { rng.random_range(0..2_000) } else { rng.random_range(HOUR_MS..7 * 24 * HOUR_MS) }
            })
            .collect();
        // Ids must grow with creation time; the running (newest) tasks sort last.
        created.sort_unstable();
        for (i, created_ms) in created.into_iter().enumerate() {
            let running = i + 2 >= count;
            let batch_task_id: String =
                (0..24).map(|_| char::from_digit(rng.random_range(0..16), 16).unwrap_or('0')).collect();
            let app = rng.random_bool(0.2);
            let spec = ExportSpec {
                resource_type: ResourceType::BatchTask,
                batch_task_id,
                export_format: ExportFormat::Xls,
                app_type: if app { AppType::App } else { AppType::Global },
                app_id: app.then(|| DEMO_APP_ID.to_owned()),
            };
            let full_run = self.lifecycle.draw_run_ms(&mut store.rng);
            let run_ms = if running { full_run } else { full_run.min(now - created_ms) };
            let (outcome, share) = if rng.random_bool(0.15) {
                (Outcome::Failed, rng.random_range(FAILURE_POINT))
            } else {
                (Outcome::Success, 1.0)
            };
            let end_ms = created_ms + ((run_ms as f64) * share).round() as EpochMs;
            store.insert(&owner, spec, created_ms, run_ms, end_ms, outcome);
        }
        *self.store.lock().expect("iotda store lock") = store;
    }

    /// Re-seeds with the seed given at start.
    pub fn seed_demo_tasks(&self, count: usize) {
        self.reset(self.seed, count);
    }
}

impl Resettable for ExportTasks {
    fn reset(&self, restart: &Restart) {
        ExportTasks::reset(self, restart.seed, restart.demo_tasks);
    }
}

/// The owner the demo tasks belong to, whom `/_desk/config` names for the dashboard.
fn is_demo_owner(owner: &Owner) -> bool {
    owner.project_id == DEMO_PROJECT_ID && owner.instance_id.is_none()
}

/// The store's generator and counters, in a compacted state file.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoreSnapshot {
    seed: u64,
    rng: RngState,
    id_prefix: u32,
    next_counter: u64,
    next_activity: u64,
}

/// One owner and its tasks as they are, in a compacted state file. The last download's time is
/// not kept, as the log does not keep downloads either (see [`IotdaChange`]).
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct OwnerSnapshot {
    owner: Owner,
    activity: u64,
    tasks: Vec<TaskSnapshot>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TaskSnapshot {
    id: String,
    spec: ExportSpec,
    created_ms: EpochMs,
    run_ms: EpochMs,
    end_ms: EpochMs,
    failed: bool,
}

type IotdaLine = Compacted<StoreSnapshot, OwnerSnapshot>;

impl Snapshot for ExportTasks {
    fn write_snapshot(&self, out: &mut SnapshotWriter<'_>) -> std::io::Result<()> {
        let store = self.store.lock().expect("iotda store lock");
        let head = StoreSnapshot {
            seed: store.seed,
            rng: RngState::of(&store.rng),
            id_prefix: store.id_prefix,
            next_counter: store.next_counter,
            next_activity: store.next_activity,
        };
        out.line(Self::STATE_PART, &IotdaLine::Snapshot(head))?;
        for (owner, owned) in &store.owners {
            // Every owner got its activity with its first task; one without is not kept.
            let Some(activity) = owned.activity else { continue };
            let tasks = owned
                .tasks
                .values()
                .map(|task| TaskSnapshot {
                    id: task.id.clone(),
                    spec: task.spec.clone(),
                    created_ms: task.created_ms,
                    run_ms: task.run_ms,
                    end_ms: task.end_ms,
                    failed: task.outcome == Outcome::Failed,
                })
                .collect();
            let line = OwnerSnapshot { owner: owner.clone(), activity, tasks };
            out.line(Self::STATE_PART, &IotdaLine::Restore(line))?;
        }
        Ok(())
    }
}

impl ExportTasks {
    /// Applies a line a compaction wrote: the store emptied to its generator and counters, or one
    /// owner's tasks put back as they were.
    fn restore(&self, line: IotdaLine) -> Result<(), StateError> {
        let corrupt = |what: &str| StateError::Corrupt(format!("a compacted IoTDA owner {what}"));
        let mut store = self.store.lock().expect("iotda store lock");
        match line {
            IotdaLine::Snapshot(head) => {
                let mut fresh = Store::new(head.seed, store.byte_budget);
                fresh.rng = head.rng.restore()?;
                fresh.id_prefix = head.id_prefix;
                fresh.next_counter = head.next_counter;
                fresh.next_activity = head.next_activity;
                *store = fresh;
            }
            IotdaLine::Restore(owned) => {
                // Activities order the owners for eviction: each must be unique and already given.
                let activity_ok =
                    owned.activity < store.next_activity && !store.by_activity.contains_key(&owned.activity);
                if store.owners.contains_key(&owned.owner)
                    || store.owners.len() >= OWNERS_KEPT_MAX
                    || owned.tasks.len() > TASKS_PER_USER_MAX
                    || !activity_ok
                {
                    return Err(corrupt("repeats, or breaks the limits"));
                }
                let mut tasks = BTreeMap::new();
                let runs = 0..=2 * TASK_DURATION_MAX_MS;
                for task in owned.tasks {
                    if task.spec.to_request().validate().as_ref() != Ok(&task.spec) || !runs.contains(&task.run_ms) {
                        return Err(corrupt("has a task that breaks the rules"));
                    }
                    let created_ms = state_file::check_time("a creation time", task.created_ms)?;
                    let end_ms = state_file::check_time("an end time", task.end_ms)?;
                    let rows = file::row_count(store.seed, &task.spec.batch_task_id);
                    let outcome = if task.failed { Outcome::Failed } else { Outcome::Success };
                    let restored = Task {
                        id: task.id.clone(),
                        spec: task.spec,
                        created_ms,
                        run_ms: task.run_ms,
                        end_ms,
                        outcome,
                        rows,
                    };
                    let bytes = restored.heap_bytes();
                    if tasks.insert(task.id, restored).is_some() {
                        return Err(corrupt("has a task twice"));
                    }
                    store.bytes_kept += bytes;
                }
                store.bytes_kept += owner_heap_bytes(&owned.owner);
                store.by_activity.insert(owned.activity, owned.owner.clone());
                let restored = OwnerTasks { tasks, last_download_ms: None, activity: Some(owned.activity) };
                store.owners.insert(owned.owner, restored);
            }
        }
        Ok(())
    }
}

impl Store {
    fn new(seed: u64, byte_budget: usize) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x696f_7464_615f_7473);
        // Below 0x80000000 and a 40-bit counter start: every id stays under the default
        // marker `ffffffffffffffffffffffff`.
        let id_prefix = rng.random_range(0x1000_0000..0x8000_0000);
        let next_counter = rng.random_range(0..1u64 << 40);
        Self {
            seed,
            rng,
            id_prefix,
            next_counter,
            owners: HashMap::new(),
            by_activity: BTreeMap::new(),
            next_activity: 0,
            bytes_kept: 0,
            byte_budget,
        }
    }

    /// Removes one of the owner's tasks, keeping the byte count.
    fn remove_task(&mut self, owner: &Owner, id: &str) -> Option<Task> {
        let task = self.owners.get_mut(owner)?.tasks.remove(id)?;
        self.bytes_kept -= task.heap_bytes();
        Some(task)
    }

    fn insert(
        &mut self,
        owner: &Owner,
        spec: ExportSpec,
        created_ms: EpochMs,
        run_ms: EpochMs,
        end_ms: EpochMs,
        outcome: Outcome,
    ) -> &Task {
        let id = format!("{:08x}{:016x}", self.id_prefix, self.next_counter);
        self.next_counter += 1;
        let rows = file::row_count(self.seed, &spec.batch_task_id);
        let task = Task { id: id.clone(), spec, created_ms, run_ms, end_ms, outcome, rows };

        let activity = self.next_activity;
        self.next_activity += 1;
        if !self.owners.contains_key(owner) {
            self.bytes_kept += owner_heap_bytes(owner);
        }
        let tasks = self.owners.entry(owner.clone()).or_default();
        if let Some(previous) = tasks.activity.replace(activity) {
            self.by_activity.remove(&previous);
        }
        self.by_activity.insert(activity, owner.clone());
        self.bytes_kept += task.heap_bytes();
        tasks.tasks.insert(id.clone(), task);
        // Documented: creating beyond 50 tasks removes the earliest ones, finished or not.
        while tasks.tasks.len() > TASKS_PER_USER_MAX {
            if let Some((_, earliest)) = tasks.tasks.pop_first() {
                self.bytes_kept -= earliest.heap_bytes();
            }
        }
        // Never forgotten: the owner just created for (its task's id is handed out), and the demo
        // project, which the dashboard shows every visitor (on the real cloud, other users' tasks
        // cannot push an account's out).
        while self.owners.len() > OWNERS_KEPT_MAX || self.bytes_kept > self.byte_budget {
            let least_active = self.by_activity.iter().find(|(_, other)| !is_demo_owner(other) && *other != owner);
            let Some((&activity, least_active)) = least_active else { break };
            let least_active = least_active.clone();
            self.by_activity.remove(&activity);
            if let Some(forgotten) = self.owners.remove(&least_active) {
                self.bytes_kept -=
                    owner_heap_bytes(&least_active) + forgotten.tasks.values().map(Task::heap_bytes).sum::<usize>();
            }
        }
        &self.owners[owner].tasks[&id]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl ExportTasks {
        fn create_in_memory(&self, owner: &Owner, spec: ExportSpec) -> Result<ExportTask, CreateRefused> {
            self.create(owner, spec).expect("no state file in unit tests")
        }

        fn delete_in_memory(&self, owner: &Owner, id: &str) -> Result<(), NoSuchTask> {
            self.delete(owner, id).expect("no state file in unit tests")
        }
    }
    use export_desk_model::huawei_iotda::ListExportTasksQuery;

    const START: EpochMs = 1_800_000_000_000;

    fn store(fail_rate: f64) -> (Arc<Clock>, ExportTasks) {
        let clock = Arc::new(Clock::starting_at(START, 0.000_001));
        let lifecycle = Lifecycle { duration_ms: 10_000, fail_rate };
        (Arc::clone(&clock), ExportTasks::new(Arc::new(StateFile::in_memory(Arc::clone(&clock))), clock, lifecycle, 7))
    }

    fn owner(project: &str) -> Owner {
        Owner { project_id: project.to_owned(), instance_id: None }
    }

    fn spec(batch: &str) -> ExportSpec {
        ExportSpec {
            resource_type: ResourceType::BatchTask,
            batch_task_id: batch.to_owned(),
            export_format: ExportFormat::Xls,
            app_type: AppType::Global,
            app_id: None,
        }
    }

    fn all(limit: u32) -> ListFilter {
        let query = ListExportTasksQuery {
            resource_type: Some("BatchTask".into()),
            limit: Some(limit.to_string()),
            ..Default::default()
        };
        query.validate().unwrap()
    }

    #[test]
    fn progress_climbs_to_100_and_the_count_reaches_the_files_rows() {
        let (clock, tasks) = store(0.0);
        let created = tasks.create_in_memory(&owner("p"), spec("ab")).unwrap();
        assert_eq!((created.status.as_str(), created.progress, created.export_count), ("Processing", 1, 0));
        assert_eq!(created.end_time, None);
        let mut last = (1, 0);
        loop {
            clock.advance(700);
            let task = tasks.list(&owner("p"), &all(10)).export_tasks.remove(0);
            assert!((task.progress, task.export_count) >= last, "never goes back: {task:?}");
            last = (task.progress, task.export_count);
            if task.status == "Success" {
                assert_eq!(task.progress, 100);
                assert_eq!(task.export_count, file::row_count(7, "ab"));
                assert!(task.end_time.is_some());
                break;
            }
            assert!(task.progress < 100, "{task:?}");
        }
    }

    #[test]
    fn failed_tasks_stop_partway_and_have_no_file() {
        let (clock, tasks) = store(1.0);
        let task = tasks.create_in_memory(&owner("p"), spec("ab")).unwrap();
        clock.advance(20_000);
        let failed = tasks.list(&owner("p"), &all(10)).export_tasks.remove(0);
        assert_eq!(failed.status, "Failed");
        assert!((10..=90).contains(&failed.progress), "{failed:?}");
        assert!(failed.export_count < file::row_count(7, "ab"));
        let refused = tasks.download(&owner("p"), &task.export_task_id).unwrap_err();
        assert_eq!(refused, DownloadRefused::Failed);
    }

    #[test]
    fn at_most_five_unfinished_but_a_same_condition_task_replaces_its_predecessor() {
        let (clock, tasks) = store(0.0);
        let first = tasks.create_in_memory(&owner("p"), spec("a1")).unwrap();
        for batch in ["a2", "a3", "a4", "a5"] {
            tasks.create_in_memory(&owner("p"), spec(batch)).unwrap();
        }
        assert_eq!(tasks.create_in_memory(&owner("p"), spec("a6")), Err(CreateRefused::TooManyUnfinished(5)));
        assert!(tasks.create_in_memory(&owner("q"), spec("a6")).is_ok(), "limits are per user");
        let again = tasks.create_in_memory(&owner("p"), spec("a1")).expect("replacing does not add an unfinished task");
        assert!(again.export_task_id > first.export_task_id);
        let ids: Vec<String> =
            tasks.list(&owner("p"), &all(50)).export_tasks.into_iter().map(|t| t.export_task_id).collect();
        assert_eq!(ids.len(), 5);
        assert!(!ids.contains(&first.export_task_id), "the replaced task is gone");
        clock.advance(20_000);
        assert!(tasks.create_in_memory(&owner("p"), spec("a6")).is_ok(), "finished tasks do not count");
    }

    #[test]
    fn the_51st_task_evicts_the_oldest_and_ids_grow() {
        let (clock, tasks) = store(0.0);
        let mut ids = Vec::new();
        for n in 0..51 {
            ids.push(tasks.create_in_memory(&owner("p"), spec(&format!("{n:x}"))).unwrap().export_task_id);
            clock.advance(15_000);
        }
        assert!(ids.windows(2).all(|pair| pair[0] < pair[1]), "ids sort by creation");
        let listed = tasks.list(&owner("p"), &all(50));
        assert_eq!(listed.page.count, 50);
        let newest_first: Vec<String> = ids[1..].iter().rev().cloned().collect();
        assert_eq!(listed.export_tasks.iter().map(|t| t.export_task_id.clone()).collect::<Vec<_>>(), newest_first);
        assert_eq!(tasks.delete_in_memory(&owner("p"), &ids[0]), Err(NoSuchTask));
    }

    #[test]
    fn downloads_are_one_per_30_seconds_per_owner() {
        let (clock, tasks) = store(0.0);
        let a = tasks.create_in_memory(&owner("p"), spec("a")).unwrap().export_task_id;
        let b = tasks.create_in_memory(&owner("p"), spec("b")).unwrap().export_task_id;
        assert!(matches!(tasks.download(&owner("p"), &a), Err(DownloadRefused::NotReady { progress: 1 })));
        clock.advance(20_000);
        assert!(tasks.download(&owner("p"), &a).is_ok(), "a refusal did not start the window");
        clock.advance(10_000);
        assert!(
            matches!(tasks.download(&owner("p"), &b), Err(DownloadRefused::TooSoon { wait_ms }) if (19_000..=20_000).contains(&wait_ms))
        );
        assert_eq!(tasks.download(&owner("q"), &a).unwrap_err(), DownloadRefused::NoSuchTask, "owners are apart");
        clock.advance(20_000);
        assert!(tasks.download(&owner("p"), &b.to_ascii_uppercase()).is_ok(), "ids are hex, either case");
    }

    #[test]
    fn owners_are_bounded() {
        let (_, tasks) = store(0.0);
        for n in 0..=OWNERS_KEPT_MAX {
            tasks.create_in_memory(&owner(&format!("p{n}")), spec("a")).unwrap();
        }
        assert_eq!(tasks.list(&owner("p0"), &all(10)).page.count, 0, "the least active owner was forgotten");
        assert_eq!(tasks.list(&owner("p1"), &all(10)).page.count, 1);
    }

    #[test]
    fn a_flood_of_new_projects_never_pushes_out_the_demo_project() {
        let (_, tasks) = store(0.0);
        tasks.reset(5, 6);
        let demo = owner(DEMO_PROJECT_ID);
        let seeded = tasks.list(&demo, &all(50)).page.count;
        assert!(seeded > 0);
        for n in 0..OWNERS_KEPT_MAX * 2 {
            tasks.create_in_memory(&owner(&format!("flood{n}")), spec("a")).unwrap();
        }
        assert_eq!(tasks.list(&demo, &all(50)).page.count, seeded, "the demo project's tasks are all there");
        assert_eq!(tasks.list(&owner("flood0"), &all(10)).page.count, 0, "the flood's oldest went instead");
    }

    #[test]
    fn the_least_active_owners_go_when_the_byte_budget_is_exceeded() {
        let (_, tasks) = store(0.0);
        let tasks = tasks.with_byte_budget(40_000);
        for n in 0..100 {
            let project = format!("{n:0>64}");
            tasks.create_in_memory(&owner(&project), spec("a")).unwrap();
        }
        let (bytes, kept) = tasks.accounted();
        assert!(bytes <= 40_000 && (10..100).contains(&kept), "{bytes} bytes in {kept} tasks");
        assert_eq!(tasks.list(&owner(&format!("{:0>64}", 0)), &all(10)).page.count, 0, "the least active is gone");
        assert_eq!(tasks.list(&owner(&format!("{:0>64}", 99)), &all(10)).page.count, 1);
        let deleted = tasks.list(&owner(&format!("{:0>64}", 99)), &all(10)).export_tasks.remove(0);
        tasks.delete_in_memory(&owner(&format!("{:0>64}", 99)), &deleted.export_task_id).unwrap();
        assert!(tasks.accounted().0 < bytes, "a deletion gives its bytes back");
    }

    #[test]
    fn demo_tasks_repeat_for_a_seed_and_obey_the_rules() {
        let (_, tasks) = store(0.1);
        tasks.reset(5, 60);
        let demo = owner(DEMO_PROJECT_ID);
        let first = tasks.list(&demo, &all(50));
        tasks.reset(5, 60);
        assert_eq!(tasks.list(&demo, &all(50)), first);
        assert_eq!(first.page.count, 50, "only the newest 50 stay");
        let running = first.export_tasks.iter().filter(|t| t.status == "Processing").count();
        assert_eq!(running, 2);
        assert!(first.export_tasks.windows(2).all(|p| p[0].create_time >= p[1].create_time));
    }
}
