//! The mock: the cloud APIs emulated in memory, on the clouds' own paths, so a client (the
//! dashboard, an official SDK) cannot tell it from the real service.
//!
//! - [`clock`]: mock time, which task lifecycles run on.
//! - [`admin`]: the admin API under `/_mock/`: clock, reset, journal, faults.
//! - [`operations`], [`intercept`], [`journal`], [`faults`]: naming each cloud call, recording it
//!   and injecting faults, in one middleware in front of every provider.
//! - [`huawei_cdn`]: Huawei Cloud CDN statistics export tasks (and the files they produce),
//!   cache refresh and preheat tasks.
//! - [`huawei_iotda`]: Huawei Cloud IoTDA resource export tasks and their result files.
//! - [`tencent_cls`]: Tencent Cloud CLS log exports (`POST /` by `X-TC-Action`) and their files.
//!
//! - [`guard`]: who may call: `Host`, `Origin` and CORS for the cloud paths; the admin API's
//!   token, `--demo` switch and same-site rule.
//! - [`visitors`], [`schedule`]: a public demo (`--demo`): per-visitor limits, and resets on a
//!   schedule (`--reset-every`) so a vandalised demo heals.
//! - [`state_file`]: `--state FILE`, the log that lets the stores survive a restart.
//! - [`strict`]: `--verify-signatures`, checking every cloud call's signature as the clouds do.
//! - [`seeded`]: the generators that make files, links and fault patterns repeat for a seed.
//!
//! Every provider module owns its store behind its own lock; nothing here blocks across a request.

pub mod admin;
pub mod clock;
pub mod faults;
pub mod guard;
pub mod huawei_cdn;
pub mod huawei_iotda;
pub mod intercept;
pub mod journal;
pub mod memory;
pub mod operations;
pub mod schedule;
pub mod seeded;
pub mod state_file;
pub mod strict;
pub mod tencent_cls;
pub mod visitors;

use crate::envelope::HuaweiGateway;
use axum::response::IntoResponse;
use axum::routing::any;
use axum::Router;
use clock::{Clock, EpochMs};
use memory::StoreBudgets;
pub use memory::MIN_STORE_BYTES;
use serde::{Deserialize, Serialize};
use state_file::{ClockAnchor, Entry, Header, Snapshot, StateError, StateFile, CLOCK_PART};
use std::path::PathBuf;
use std::sync::{Arc, Weak};
use std::time::Duration;

/// What the mock is built from, as plain values: the command line reads them (`MockOptions`,
/// with the flags, defaults and bounds) and hands them over; the mock knows no flags.
#[derive(Debug, Clone)]
pub struct Config {
    /// Seed for everything random (ids, outcomes, demo tasks, file contents).
    pub seed: u64,
    /// Demo tasks each provider store seeds at start.
    pub demo_tasks: usize,
    /// How long a task runs in mock time (each one 75–125% of it).
    pub task_duration: Duration,
    /// Share of tasks that end in failure, 0 to 1.
    pub fail_rate: f64,
    /// The state file that keeps the tasks across restarts, if any.
    pub state: Option<PathBuf>,
    /// The size the state file is compacted to stay under.
    pub state_max_bytes: u64,
    /// How fast the mock clock runs against the wall clock.
    pub speed: f64,
    /// Memory for the task stores, split between them.
    pub store_bytes: usize,
    /// Cloud calls the request journal keeps, and the bytes they may take.
    pub journal_entries: usize,
    pub journal_bytes: usize,
    /// Bytes of cloud-call bodies handled at once.
    pub inflight_bytes: usize,
}

/// How long tasks run and how often they fail, shared by every provider.
#[derive(Debug, Clone, Copy)]
pub struct Lifecycle {
    /// Mock milliseconds a task runs; each task takes 75–125% of it.
    pub duration_ms: i64,
    /// Share of tasks that end in failure.
    pub fail_rate: f64,
}

impl Lifecycle {
    /// One task's run time, 75–125% of the duration (at least a millisecond, at most a century),
    /// drawn from the store's seeded generator so a replay draws the same. The bound keeps a task's
    /// end (its start, at most 2100, plus this) far inside `i64` whatever duration is configured.
    pub fn draw_run_ms(&self, rng: &mut impl rand::Rng) -> EpochMs {
        const RUN_MS_MAX: EpochMs = 100 * 366 * 86_400_000;
        let jitter = rng.random_range(0.75..=1.25);
        (((self.duration_ms.max(1) as f64) * jitter).round() as EpochMs).clamp(1, RUN_MS_MAX)
    }
}

/// What a reset starts from: the inputs of a fresh start (the clock aside, which never runs back).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Restart {
    pub seed: u64,
    /// Demo tasks each provider store seeds.
    pub demo_tasks: usize,
}

/// State that `POST /_mock/reset` empties and re-seeds: every provider store, the journal, the faults.
pub trait Resettable: Send + Sync {
    /// Leaves the state as a fresh start with `restart` would, deterministically for its seed.
    fn reset(&self, restart: &Restart);
}

/// Everything the mock serves.
#[derive(Clone)]
pub struct Mock {
    pub clock: Arc<Clock>,
    /// Where changes are recorded (`--state`), or nowhere.
    pub state: Arc<StateFile>,
    pub cdn_stats: Arc<huawei_cdn::StatsExports>,
    pub cdn_history: Arc<huawei_cdn::HistoryTasks>,
    pub iotda: Arc<huawei_iotda::ExportTasks>,
    pub cls: Arc<tencent_cls::ClsExports>,
    pub journal: Arc<journal::Journal>,
    pub faults: Arc<faults::Faults>,
    /// Bounds the bytes of request bodies handled at once (`--inflight-bytes`).
    pub inflight: Arc<intercept::InFlight>,
    /// What a reset without arguments returns to: the command line's seed and demo tasks.
    pub start: Restart,
    /// Everything a reset starts afresh.
    resettable: Arc<[Arc<dyn Resettable>]>,
}

/// The part name of resets in the state file.
const RESET_PART: &str = "reset";

impl Mock {
    /// The mock for this configuration; with a state file, what the file holds, replayed.
    pub fn new(config: &Config, public_url: Option<String>) -> Result<Self, StateError> {
        let clock = Arc::new(Clock::starting_now(config.speed));
        let duration_ms = i64::try_from(config.task_duration.as_millis()).unwrap_or(i64::MAX);
        let wanted = Header::new(config.seed, config.demo_tasks, duration_ms, config.fail_rate);
        // A state file's header is held to these bounds when it is read; options are too, so a
        // mock without a file cannot start with a run that overflows mock time.
        wanted.check().map_err(StateError::Options)?;
        let (state, recovered) = match &config.state {
            Some(path) => {
                let (state, recovered) =
                    StateFile::open(path, wanted.clone(), config.state_max_bytes, Arc::clone(&clock))?;
                (state, Some(recovered))
            }
            None => (StateFile::in_memory(Arc::clone(&clock)), None),
        };
        let state = Arc::new(state);
        let header = recovered.as_ref().map_or_else(|| wanted.clone(), |recovered| recovered.header.clone());
        if header != wanted {
            tracing::warn!(
                seed = header.seed,
                demo_tasks = header.demo_tasks,
                task_duration_ms = header.task_duration_ms,
                fail_rate = header.fail_rate,
                "the state file keeps the options it was made with (its tasks depend on them); \
                 the command line's differ and are ignored: move the file away to use them"
            );
        }
        let lifecycle = Lifecycle { duration_ms: header.task_duration_ms, fail_rate: header.fail_rate };
        let seed = header.seed;
        let budgets = StoreBudgets::split(config.store_bytes);
        let cdn_stats = Arc::new(
            huawei_cdn::StatsExports::new(Arc::clone(&state), Arc::clone(&clock), lifecycle, seed, public_url.clone())
                .with_byte_budget(budgets.cdn_stats),
        );
        let cdn_history = Arc::new(
            huawei_cdn::HistoryTasks::new(Arc::clone(&state), Arc::clone(&clock), lifecycle, seed)
                .with_byte_budget(budgets.cdn_history),
        );
        let iotda = Arc::new(
            huawei_iotda::ExportTasks::new(Arc::clone(&state), Arc::clone(&clock), lifecycle, seed)
                .with_byte_budget(budgets.iotda),
        );
        let cls = Arc::new(
            tencent_cls::ClsExports::new(Arc::clone(&state), Arc::clone(&clock), lifecycle, seed, public_url)
                .with_byte_budget(budgets.cls),
        );
        let journal = Arc::new(journal::Journal::new(config.journal_entries, config.journal_bytes));
        let faults = Arc::new(faults::Faults::new(seed));
        let resettable: Vec<Arc<dyn Resettable>> = vec![
            Arc::clone(&cdn_stats) as Arc<dyn Resettable>,
            Arc::clone(&cdn_history) as Arc<dyn Resettable>,
            Arc::clone(&iotda) as Arc<dyn Resettable>,
            Arc::clone(&cls) as Arc<dyn Resettable>,
            Arc::clone(&journal) as Arc<dyn Resettable>,
            Arc::clone(&faults) as Arc<dyn Resettable>,
        ];
        state.register_snapshots(vec![
            Arc::downgrade(&cdn_stats) as Weak<dyn Snapshot>,
            Arc::downgrade(&cdn_history) as Weak<dyn Snapshot>,
            Arc::downgrade(&iotda) as Weak<dyn Snapshot>,
            Arc::downgrade(&cls) as Weak<dyn Snapshot>,
        ]);
        let start = Restart { seed, demo_tasks: header.demo_tasks };
        let mock = Self {
            clock,
            state,
            cdn_stats,
            cdn_history,
            iotda,
            cls,
            journal,
            faults,
            inflight: Arc::new(intercept::InFlight::new(config.inflight_bytes)),
            start,
            resettable: resettable.into(),
        };
        match recovered {
            Some(recovered) if !recovered.is_empty() => {
                if recovered.torn_bytes > 0 {
                    tracing::warn!(
                        bytes = recovered.torn_bytes,
                        "the state file's last line was torn (a crash while writing it, never acknowledged): cut off"
                    );
                }
                let compacted_len = mock.replay(recovered.entries(), config.speed)?;
                mock.state.start_compacting_from(compacted_len);
            }
            // A new file: the reset writes it whole, with the clock's anchor.
            _ => mock.reset(&start)?,
        }
        Ok(mock)
    }

    /// Empties and re-seeds every store, the journal and the faults; with `--state`, starts the
    /// file afresh (nothing before a reset matters any more) with the reset and the clock's anchor.
    pub fn reset(&self, restart: &Restart) -> Result<(), StateError> {
        self.state.commit_restart(RESET_PART, restart, |_| self.reset_all(restart))
    }

    fn reset_all(&self, restart: &Restart) {
        for state in self.resettable.iter() {
            state.reset(restart);
        }
    }

    /// Moves mock time forward (never back), recorded in the state file.
    pub fn advance_clock(&self, ms: EpochMs) -> Result<EpochMs, StateError> {
        // As `Clock::advance` does it, planned here so that a failed write leaves the clock as it was.
        self.state.commit_clock(|now, speed| (now.saturating_add(ms.max(0)).min(clock::LATEST_MS), speed))
    }

    /// Changes the clock's speed from now on, recorded in the state file.
    pub fn set_clock_speed(&self, speed: f64) -> Result<(), StateError> {
        // As `Clock::set_speed` does it: re-anchored at the current reading.
        self.state.commit_clock(|now, _| (now, speed.clamp(f64::MIN_POSITIVE, clock::MAX_SPEED))).map(|_| ())
    }

    /// Rebuilds the stores from the state file's changes, each at the mock time it was made,
    /// then runs the clock on from where the file says it was. `speed`, the command line's,
    /// applies from now on when it differs from the file's.
    ///
    /// Returns where the file's compacted part (its last reset or compaction) ends.
    fn replay(&self, entries: impl Iterator<Item = Result<Entry, StateError>>, speed: f64) -> Result<u64, StateError> {
        let mut anchor: Option<ClockAnchor> = None;
        let mut latest = EpochMs::MIN;
        let mut compacted_len = 0;
        let mut replayed = 0usize;
        for entry in entries {
            let entry = entry?;
            replayed += 1;
            self.clock.stop_at(entry.at_ms);
            latest = latest.max(entry.at_ms);
            self.replay_one(&entry, &mut anchor).map_err(|error| error.on_line(entry.line))?;
            if entry.part == RESET_PART || entry.is_compacted() {
                compacted_len = entry.end;
            }
        }
        let wall_ms = Clock::wall_now_ms();
        let recorded = anchor.map_or(EpochMs::MIN, |anchor| anchor.mock_time_at(wall_ms));
        let recorded_speed = anchor.map_or(speed, |anchor| anchor.speed);
        self.clock.resume_at(recorded.max(latest), recorded_speed);
        tracing::info!(lines = replayed, "replayed the state file");
        if recorded_speed != speed {
            self.set_clock_speed(speed)?;
        }
        Ok(compacted_len)
    }

    fn replay_one(&self, entry: &Entry, anchor: &mut Option<ClockAnchor>) -> Result<(), StateError> {
        match entry.part.as_str() {
            RESET_PART => {
                let restart: Restart = entry.change()?;
                if restart.demo_tasks > state_file::MAX_DEMO_TASKS {
                    return Err(StateError::Corrupt(format!(
                        "a reset to {} demo tasks, more than {}",
                        restart.demo_tasks,
                        state_file::MAX_DEMO_TASKS
                    )));
                }
                self.reset_all(&restart);
            }
            CLOCK_PART => {
                let recorded: ClockAnchor = entry.change()?;
                recorded.check()?;
                *anchor = Some(recorded);
            }
            huawei_cdn::StatsExports::STATE_PART => self.cdn_stats.replay(entry)?,
            huawei_cdn::HistoryTasks::STATE_PART => self.cdn_history.replay(entry)?,
            tencent_cls::ClsExports::STATE_PART => self.cls.replay(entry)?,
            huawei_iotda::ExportTasks::STATE_PART => self.iotda.replay(entry)?,
            other => return Err(StateError::Corrupt(format!("a change of an unknown part `{other}`"))),
        }
        Ok(())
    }

    pub fn router(&self) -> Router {
        Router::new()
            .merge(huawei_cdn::router(Arc::clone(&self.cdn_stats)))
            .merge(huawei_cdn::history_router(Arc::clone(&self.cdn_history)))
            .merge(huawei_iotda::router(Arc::clone(&self.iotda)))
            .merge(tencent_cls::router(Arc::clone(&self.cls)))
            // Unknown paths under the clouds' prefixes answer as Huawei's gateway does, never
            // with the dashboard's index.html.
            .route("/v1/{*rest}", any(no_such_api))
            .route("/v1.0/{*rest}", any(no_such_api))
            .route("/v5/{*rest}", any(no_such_api))
            // The prefixes themselves, which `{*rest}` (one segment or more) does not cover.
            .route("/v1", any(no_such_api))
            .route("/v1/", any(no_such_api))
            .route("/v1.0", any(no_such_api))
            .route("/v1.0/", any(no_such_api))
            .route("/v5", any(no_such_api))
            .route("/v5/", any(no_such_api))
            .merge(admin::router(self.clone()))
    }
}

async fn no_such_api() -> impl IntoResponse {
    HuaweiGateway::no_such_api()
}

#[cfg(test)]
mod tests {
    use super::*;
    use export_desk_model::huawei_cdn::history::RefreshTaskRequest;
    use export_desk_model::huawei_cdn::ExportTaskVo;
    use export_desk_model::huawei_iotda::{AddExportTask, Owner};
    use export_desk_model::tencent_cls::CreateExportRequest;
    use std::path::{Path, PathBuf};

    fn temp_path(name: &str) -> PathBuf {
        // In memory where there is such a file system: thousands of starts, each flushing the
        // file to disk, would take minutes on a disk.
        let shm = Path::new("/dev/shm");
        let base = if shm.is_dir() { shm.to_owned() } else { std::env::temp_dir() };
        let dir = base.join(format!("export-desk-mock-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir.join("state.jsonl")
    }

    fn config(path: &Path) -> Config {
        config_compacting_at(path, 128 << 20)
    }

    fn config_compacting_at(path: &Path, max_bytes: u64) -> Config {
        Config {
            seed: 3,
            demo_tasks: 2,
            task_duration: Duration::from_secs(20),
            fail_rate: 0.3,
            state: Some(path.to_owned()),
            state_max_bytes: max_bytes,
            speed: 1.0,
            store_bytes: 384 << 20,
            journal_entries: journal::DEFAULT_ENTRIES,
            journal_bytes: 16 << 20,
            inflight_bytes: 64 << 20,
        }
    }

    /// A state file with a change of every kind, compacted (so with a snapshot of every store)
    /// before the last few.
    fn a_state_file_of_every_change(path: &Path) {
        let mock = Mock::new(&config_compacting_at(path, 2 << 10), None).unwrap();
        let vo: ExportTaskVo = serde_json::from_value(serde_json::json!({"action": "reports_detail",
            "domain_name": "a.example.com", "start_time": 1_763_942_400_000_i64, "end_time": 1_764_028_800_000_i64}))
        .unwrap();
        let spec = vo.validate().unwrap();
        mock.cdn_stats.create(vo, spec).unwrap();
        let refresh: RefreshTaskRequest = serde_json::from_value(
            serde_json::json!({"refresh_task": {"type": "file", "urls": ["https://a.example.com/a.js"]}}),
        )
        .unwrap();
        mock.cdn_history.create(huawei_cdn::HistoryChange::Refresh(refresh)).unwrap().unwrap();
        let owner = Owner { project_id: "p1".into(), instance_id: None };
        let add: AddExportTask = serde_json::from_value(
            serde_json::json!({"resource_type": "BatchTask", "resource_condition": {"task_id": "b1"}}),
        )
        .unwrap();
        let task = mock.iotda.create(&owner, add.validate().unwrap()).unwrap().unwrap();
        mock.advance_clock(5_000).unwrap();
        mock.iotda.delete(&owner, &task.export_task_id).unwrap().unwrap();
        let cls: CreateExportRequest = serde_json::from_value(serde_json::json!({"TopicId":
            "2f6c1d3e-8a47-4b9e-9c21-5d7e3f4a6b80", "Count": 10, "Query": "*", "From": 1_763_942_400_000_i64,
            "To": 1_763_946_000_000_i64}))
        .unwrap();
        let id = mock.cls.create(cls.validate().unwrap()).unwrap().unwrap();
        mock.cls.delete(&id).unwrap();
        mock.set_clock_speed(2.0).unwrap();
    }

    /// Options outside the mock's bounds are refused at the start, with or without a state file,
    /// rather than overflowing when the first task's run is drawn.
    #[test]
    fn options_outside_the_bounds_are_refused_not_run() {
        let without_file = |config: Config| Config { state: None, ..config };
        let too_long = Config {
            task_duration: Duration::from_secs(2_000_000_000_000_000),
            ..without_file(config(Path::new("unused")))
        };
        let error = Mock::new(&too_long, None).err().expect("refused");
        assert!(matches!(error, StateError::Options(_)) && error.to_string().contains("task_duration_ms"), "{error}");
        let too_many =
            Config { demo_tasks: state_file::MAX_DEMO_TASKS + 1, ..without_file(config(Path::new("unused"))) };
        assert!(matches!(Mock::new(&too_many, None), Err(StateError::Options(_))));
        let a_year =
            Config { task_duration: Duration::from_secs(366 * 86_400), ..without_file(config(Path::new("unused"))) };
        assert!(Mock::new(&a_year, None).is_ok());
    }

    /// Whatever a file holds, the start either succeeds or names what is wrong: never a panic.
    /// Every truncation and many byte changes of a file holding every kind of change.
    #[test]
    fn no_file_content_panics_the_start() {
        let good = temp_path("fuzz-source");
        a_state_file_of_every_change(&good);
        let bytes = std::fs::read(&good).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("\"snapshot\"") && text.contains("\"restore\""), "compacted: {text}");
        assert!(!text.lines().last().unwrap().contains("\"restore\""), "and changes after it: {text}");
        let path = temp_path("fuzz");
        let config = config(&path);
        let mut variants: Vec<Vec<u8>> = (0..bytes.len()).map(|len| bytes[..len].to_vec()).collect();
        let replacements: [&[u8]; 8] = [b"9", b"-", b"\"", b"}", b"1e308", b"99999999999999999999", b"-1", b"\n"];
        for at in (0..bytes.len()).step_by(5) {
            for (n, replacement) in replacements.iter().enumerate() {
                if (at + n) % 4 == 0 {
                    let mut variant = bytes.clone();
                    variant.splice(at..at + 1, replacement.iter().copied());
                    variants.push(variant);
                }
            }
            let mut flipped = bytes.clone();
            flipped[at] ^= 0x5a;
            variants.push(flipped);
        }
        let mut refused = 0;
        for variant in &variants {
            std::fs::write(&path, variant).unwrap();
            match Mock::new(&config, None) {
                Ok(_) => {}
                Err(error) => {
                    refused += 1;
                    let message = error.to_string();
                    assert!(message.contains("line "), "names the line: {message}");
                }
            }
        }
        assert!(refused > variants.len() / 4, "most damage is caught: {refused} of {}", variants.len());
        for file in [good, path] {
            let _ = std::fs::remove_dir_all(file.parent().unwrap());
        }
    }

    /// A change whose line outlived a crash before it was taken back (the store refused it)
    /// replays as the same refusal: the start succeeds and nothing changed.
    #[test]
    fn a_refused_change_left_in_the_file_replays_as_a_refusal() {
        let path = temp_path("refused-kept");
        let mock = Mock::new(&config(&path), None).unwrap();
        let owner = Owner { project_id: "p1".into(), instance_id: None };
        let mut lines = Vec::new();
        for batch in ["b1", "b2", "b3", "b4", "b5", "b6"] {
            let add: AddExportTask = serde_json::from_value(
                serde_json::json!({"resource_type": "BatchTask", "resource_condition": {"task_id": batch}}),
            )
            .unwrap();
            let spec = add.validate().unwrap();
            let created = mock.iotda.create(&owner, spec.clone()).unwrap();
            lines.push(serde_json::json!({"at_ms": mock.clock.now_ms(), "part": huawei_iotda::ExportTasks::STATE_PART,
                "change": {"create": {"owner": owner, "spec": spec}}}));
            assert_eq!(created.is_err(), batch == "b6", "five unfinished at most");
        }
        let before = std::fs::read_to_string(&path).unwrap();
        assert_eq!(before.lines().count(), 3 + 5, "header, reset, clock, five creates: not the refused one");
        drop(mock);
        let mut text = before;
        text.push_str(&format!("{}\n", lines[5]));
        text.push_str(&format!(
            "{{\"at_ms\":{},\"part\":\"cls\",\"change\":{{\"delete\":{{\"export_id\":\"export-none\"}}}}}}\n",
            1_800_000_000_000_i64
        ));
        std::fs::write(&path, text).unwrap();
        let mock = Mock::new(&config(&path), None).unwrap();
        let query: export_desk_model::huawei_iotda::ListExportTasksQuery =
            serde_json::from_value(serde_json::json!({"resource_type": "BatchTask"})).unwrap();
        let listed = mock.iotda.list(&owner, &query.validate().unwrap());
        assert_eq!(listed.page.count, 5);
    }
}
