//! `--reset-every`: the mock returns to its seeded state on a schedule, so a public demo that
//! visitors filled, emptied or vandalised heals by itself. The dashboard shows when the next reset
//! is due (`/_desk/config`), so nobody is surprised when their tasks go.
//!
//! The schedule runs on the wall clock: it is about visitors' time, not the tasks' mock time.

use super::clock::{Clock, EpochMs};
use super::Mock;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// When the next reset is due, shared by the resetting task and `/_desk/config`.
#[derive(Debug)]
pub struct ResetSchedule {
    every: Duration,
    next_wall_ms: AtomicI64,
}

impl ResetSchedule {
    /// A schedule whose first reset is one period from now.
    pub fn starting_now(every: Duration) -> Arc<Self> {
        let schedule = Arc::new(Self { every, next_wall_ms: AtomicI64::new(0) });
        schedule.next_wall_ms.store(schedule.one_period_from_now(), Ordering::Relaxed);
        schedule
    }

    pub fn every(&self) -> Duration {
        self.every
    }

    pub fn every_ms(&self) -> u64 {
        u64::try_from(self.every.as_millis()).unwrap_or(u64::MAX)
    }

    /// The wall-clock time (epoch ms) of the next reset.
    pub fn next_reset_ms(&self) -> EpochMs {
        self.next_wall_ms.load(Ordering::Relaxed)
    }

    fn one_period_from_now(&self) -> EpochMs {
        Clock::wall_now_ms().saturating_add(i64::try_from(self.every.as_millis()).unwrap_or(i64::MAX))
    }

    /// Resets `mock` once a period, for as long as the server runs; `after_reset` runs after each
    /// successful one (the visitors' quotas start afresh). A reset that fails (the state file could not be
    /// written) is logged and tried again at the next period: the mock keeps serving meanwhile.
    pub async fn run(self: Arc<Self>, mock: Mock, after_reset: impl Fn() + Send + 'static) {
        let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + self.every, self.every);
        // A server suspended past several periods resets once, not once per missed period.
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            // Announced before the reset runs, so a dashboard that reads it afterwards never
            // sees a time already past.
            self.next_wall_ms.store(self.one_period_from_now(), Ordering::Relaxed);
            match mock.reset(&mock.start) {
                Ok(()) => {
                    tracing::info!(
                        every_s = self.every.as_secs(),
                        "scheduled reset: the mock is back to its seeded state"
                    );
                    after_reset();
                }
                // Nothing was reset, so visitors keep what they have and what they have used.
                Err(error) => tracing::error!(%error, "scheduled reset failed; trying again at the next period"),
            }
        }
    }
}
