//! The mock: the cloud APIs emulated in memory, on the clouds' own paths, so a client (the
//! dashboard, an official SDK) cannot tell it from the real service.
//!
//! - [`clock`]: mock time, which task lifecycles run on.
//! - [`huawei_cdn`]: Huawei Cloud CDN statistics export tasks (and the files they produce),
//!   cache refresh and preheat tasks.
//!
//! Every provider module owns its store behind its own lock; nothing here blocks across a request.

pub mod clock;
pub mod huawei_cdn;

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

/// Everything the mock serves.
#[derive(Clone)]
pub struct Mock {
    pub clock: Arc<Clock>,
    pub cdn_stats: Arc<huawei_cdn::StatsExports>,
    pub cdn_history: Arc<huawei_cdn::HistoryTasks>,
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
        Self { clock, cdn_stats, cdn_history }
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
            .route("/_mock/{*rest}", any(no_such_api))
    }
}

async fn no_such_api() -> impl IntoResponse {
    HuaweiGateway::no_such_api()
}
