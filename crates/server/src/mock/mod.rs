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
//! - [`state_file`]: `--state FILE`, the log that lets the stores survive a restart.
//! - [`strict`]: `--verify-signatures`, checking every cloud call's signature as the clouds do.
//!
//! Every provider module owns its store behind its own lock; nothing here blocks across a request.

pub mod admin;
pub mod clock;
pub mod faults;
pub mod huawei_cdn;
pub mod huawei_iotda;
pub mod intercept;
pub mod journal;
pub mod memory;
pub mod operations;
pub mod state_file;
pub mod strict;
pub mod tencent_cls;

use crate::cli::MockOptions;
use crate::envelope::HuaweiGateway;
use axum::response::IntoResponse;
use axum::routing::any;
use axum::Router;
use clock::{Clock, EpochMs};
use memory::StoreBudgets;
pub use memory::MIN_STORE_BYTES;
use serde::{Deserialize, Serialize};
use state_file::{Entry, Header, StateError, StateFile, CLOCK_PART};
use std::sync::Arc;

/// How long tasks run and how often they fail, shared by every provider.
#[derive(Debug, Clone, Copy)]
pub struct Lifecycle {
    /// Mock milliseconds a task runs; each task takes 75–125% of it.
    pub duration_ms: i64,
    /// Share of tasks that end in failure.
    pub fail_rate: f64,
}

impl Lifecycle {
    /// One task's run time, 75–125% of the duration (at least a millisecond), drawn from the
    /// store's seeded generator so a replay draws the same.
    pub fn draw_run_ms(&self, rng: &mut impl rand::Rng) -> EpochMs {
        let jitter = rng.random_range(0.75..=1.25);
        (((self.duration_ms.max(1) as f64) * jitter).round() as EpochMs).max(1)
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

/// How mock time ran at a moment: `mock_ms` when the wall clock read `wall_ms`, running `speed`
/// times as fast. The state file records one at every clock change, so mock time runs on from the
/// last one across a restart, as if the server had never stopped, and never back.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
struct ClockAnchor {
    wall_ms: EpochMs,
    mock_ms: EpochMs,
    speed: f64,
}

impl ClockAnchor {
    fn of(clock: &Clock) -> Self {
        Self { wall_ms: Clock::wall_now_ms(), mock_ms: clock.now_ms(), speed: clock.speed() }
    }

    fn mock_time_at(&self, wall_ms: EpochMs) -> EpochMs {
        self.mock_ms + ((wall_ms - self.wall_ms).max(0) as f64 * self.speed) as EpochMs
    }
}

impl Mock {
    /// The mock for these options; with `--state`, what the state file holds, replayed.
    pub fn new(options: &MockOptions, public_url: Option<String>) -> Result<Self, StateError> {
        let clock = Arc::new(Clock::starting_now(options.speed));
        let duration_ms = i64::try_from(options.task_duration.as_millis()).unwrap_or(i64::MAX);
        let wanted = Header::new(options.seed, options.demo_tasks, duration_ms, options.fail_rate);
        let (state, recovered) = match &options.state {
            Some(path) => {
                let (state, recovered) = StateFile::open(path, wanted.clone(), Arc::clone(&clock))?;
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
        let budgets = StoreBudgets::split(options.store_bytes);
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
        let journal = Arc::new(journal::Journal::new(options.journal_entries, options.journal_bytes));
        let faults = Arc::new(faults::Faults::new(seed));
        let resettable: Vec<Arc<dyn Resettable>> = vec![
            Arc::clone(&cdn_stats) as Arc<dyn Resettable>,
            Arc::clone(&cdn_history) as Arc<dyn Resettable>,
            Arc::clone(&iotda) as Arc<dyn Resettable>,
            Arc::clone(&cls) as Arc<dyn Resettable>,
            Arc::clone(&journal) as Arc<dyn Resettable>,
            Arc::clone(&faults) as Arc<dyn Resettable>,
        ];
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
            inflight: Arc::new(intercept::InFlight::new(options.inflight_bytes)),
            start,
            resettable: resettable.into(),
        };
        match recovered {
            Some(recovered) if !recovered.entries.is_empty() => {
                if recovered.torn_bytes > 0 {
                    tracing::warn!(
                        bytes = recovered.torn_bytes,
                        "the state file's last line was torn (a crash while writing it, never acknowledged): cut off"
                    );
                }
                mock.replay(&recovered.entries, options.speed)?;
            }
            _ => {
                mock.state.commit_clock(&ClockAnchor::of(&mock.clock), |_| ())?;
                mock.reset(&start)?;
            }
        }
        Ok(mock)
    }

    /// Empties and re-seeds every store, the journal and the faults; with `--state`, starts the
    /// file afresh (nothing before a reset matters any more).
    pub fn reset(&self, restart: &Restart) -> Result<(), StateError> {
        self.state.commit_restart(RESET_PART, restart, |_| self.reset_all(restart))?;
        // The file now starts at the reset: it needs the clock's anchor again.
        self.state.commit_clock(&ClockAnchor::of(&self.clock), |_| ())
    }

    fn reset_all(&self, restart: &Restart) {
        for state in self.resettable.iter() {
            state.reset(restart);
        }
    }

    /// Moves mock time forward (never back), recorded in the state file.
    pub fn advance_clock(&self, ms: EpochMs) -> Result<EpochMs, StateError> {
        self.state.commit_clock_with(|clock| {
            let now = clock.advance(ms);
            (now, ClockAnchor::of(clock))
        })
    }

    /// Changes the clock's speed from now on, recorded in the state file.
    pub fn set_clock_speed(&self, speed: f64) -> Result<(), StateError> {
        self.state.commit_clock_with(|clock| {
            clock.set_speed(speed);
            ((), ClockAnchor::of(clock))
        })
    }

    /// Rebuilds the stores from the state file's changes, each at the mock time it was made,
    /// then runs the clock on from where the file says it was. `speed`, the command line's,
    /// applies from now on when it differs from the file's.
    fn replay(&self, entries: &[Entry], speed: f64) -> Result<(), StateError> {
        let mut anchor: Option<ClockAnchor> = None;
        let mut latest = EpochMs::MIN;
        for entry in entries {
            self.clock.stop_at(entry.at_ms);
            latest = latest.max(entry.at_ms);
            match entry.part.as_str() {
                RESET_PART => self.reset_all(&entry.change()?),
                CLOCK_PART => anchor = Some(entry.change()?),
                huawei_cdn::StatsExports::STATE_PART => self.cdn_stats.replay(entry)?,
                huawei_cdn::HistoryTasks::STATE_PART => self.cdn_history.replay(entry)?,
                tencent_cls::ClsExports::STATE_PART => self.cls.replay(entry)?,
                huawei_iotda::ExportTasks::STATE_PART => self.iotda.replay(entry)?,
                other => return Err(StateError::Corrupt(format!("a change of an unknown part `{other}`"))),
            }
        }
        let wall_ms = Clock::wall_now_ms();
        let recorded = anchor.map_or(EpochMs::MIN, |anchor| anchor.mock_time_at(wall_ms));
        let recorded_speed = anchor.map_or(speed, |anchor| anchor.speed);
        self.clock.resume_at(recorded.max(latest), recorded_speed);
        tracing::info!(changes = entries.len(), "replayed the state file");
        if recorded_speed != speed {
            self.set_clock_speed(speed)?;
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
            .merge(admin::router(self.clone()))
    }
}

async fn no_such_api() -> impl IntoResponse {
    HuaweiGateway::no_such_api()
}
