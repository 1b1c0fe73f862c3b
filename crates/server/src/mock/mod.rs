//! The mock: the cloud APIs emulated in memory, on the clouds' own paths, so a client (the
//! dashboard, an official SDK) cannot tell it from the real service.
//!
//! - [`clock`]: mock time, which task lifecycles run on.
//! - [`admin`]: the admin API under `/_mock/`: clock, reset, journal, faults.
//! - [`operations`], [`intercept`], [`journal`], [`faults`]: naming each cloud call, recording it
//!   and injecting faults, in one middleware in front of every provider.
//! - [`huawei_cdn`]: Huawei Cloud CDN statistics export tasks (and the files they produce),
//!   cache refresh and preheat tasks.
//!
//! Every provider module owns its store behind its own lock; nothing here blocks across a request.

pub mod admin;
pub mod clock;
pub mod faults;
pub mod huawei_cdn;
pub mod intercept;
pub mod journal;
pub mod operations;

use crate::cli::MockOptions;
use crate::envelope::HuaweiGateway;
use axum::response::IntoResponse;
use axum::routing::any;
use axum::Router;
use clock::Clock;
use std::sync::Arc;

/// How long tasks run and how often they fail, shared by every provider.
#[derive(Debug, Clone, Copy)]
pub struct Lifecycle {
    /// Mock milliseconds a task runs; each task takes 75–125% of it.
    pub duration_ms: i64,
    /// Share of tasks that end in failure.
    pub fail_rate: f64,
}

/// What a reset starts from: the inputs of a fresh start (the clock aside, which never runs back).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    pub cdn_stats: Arc<huawei_cdn::StatsExports>,
    pub cdn_history: Arc<huawei_cdn::HistoryTasks>,
    pub journal: Arc<journal::Journal>,
    pub faults: Arc<faults::Faults>,
    /// What a reset without arguments returns to: the command line's seed and demo tasks.
    pub start: Restart,
    /// Everything a reset starts afresh.
    resettable: Arc<[Arc<dyn Resettable>]>,
}

impl Mock {
    pub fn new(options: &MockOptions, public_url: Option<String>) -> Self {
        let clock = Arc::new(Clock::starting_now(options.speed));
        let lifecycle = Lifecycle {
            duration_ms: i64::try_from(options.task_duration.as_millis()).unwrap_or(i64::MAX),
            fail_rate: options.fail_rate,
        };
        let cdn_stats =
            Arc::new(huawei_cdn::StatsExports::new(Arc::clone(&clock), lifecycle, options.seed, public_url));
        cdn_stats.seed_demo_tasks(options.demo_tasks);
        let cdn_history = Arc::new(huawei_cdn::HistoryTasks::new(Arc::clone(&clock), lifecycle, options.seed));
        cdn_history.seed_demo_tasks(options.demo_tasks);
        let journal = Arc::new(journal::Journal::new());
        let faults = Arc::new(faults::Faults::new(options.seed));
        let resettable: Vec<Arc<dyn Resettable>> = vec![
            Arc::clone(&cdn_stats) as Arc<dyn Resettable>,
            Arc::clone(&cdn_history) as Arc<dyn Resettable>,
            Arc::clone(&journal) as Arc<dyn Resettable>,
            Arc::clone(&faults) as Arc<dyn Resettable>,
        ];
        let start = Restart { seed: options.seed, demo_tasks: options.demo_tasks };
        Self { clock, cdn_stats, cdn_history, journal, faults, start, resettable: resettable.into() }
    }

    /// Empties and re-seeds every store, the journal and the faults.
    pub fn reset(&self, restart: &Restart) {
        for state in self.resettable.iter() {
            state.reset(restart);
        }
    }

    pub fn router(&self) -> Router {
        Router::new()
            .merge(huawei_cdn::router(Arc::clone(&self.cdn_stats)))
            .merge(huawei_cdn::history_router(Arc::clone(&self.cdn_history)))
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
