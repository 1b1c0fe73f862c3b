//! Mock time. Task lifecycles are computed from it, never from the wall clock, so the mock can run
//! faster than real time (`--speed`) and a test can move time forward.

use std::sync::Mutex;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch, as the clouds count them.
pub type EpochMs = i64;

/// The fastest the clock may run: a mock day passes in 86 ms of real time, which is faster than
/// any demo or test needs. The bound keeps mock time far from overflow: from today it takes weeks
/// of real time at this speed to reach [`LATEST_MS`].
pub const MAX_SPEED: f64 = 1_000_000.0;

/// The latest time the mock clock shows: the last time the clouds accept from a client (the
/// model's [`time_range`](export_desk_model::time_range)), so every task time, and every sum of
/// one with a task's run time or a file's span, stays far inside `i64`. The clock stops there.
pub const LATEST_MS: EpochMs = export_desk_model::time_range::LATEST_MS;

/// The earliest time the mock clock shows (a wall clock before it, such as a machine without a
/// real-time clock reading 1970, starts the mock here): the first time the clouds accept.
pub const EARLIEST_MS: EpochMs = export_desk_model::time_range::EARLIEST_MS;

/// A speed the clock can run at: `0` (stopped) to [`MAX_SPEED`]; anything else (NaN, negative,
/// too fast) is clamped, so no caller can make the clock's arithmetic overflow.
fn bounded_speed(speed: f64) -> f64 {
    if speed.is_nan() {
        0.0
    } else {
        speed.clamp(0.0, MAX_SPEED)
    }
}

pub struct Clock {
    state: Mutex<Anchor>,
}

/// Mock time is `at_ms` when the wall clock read `at`, and runs `speed` times as fast since then.
struct Anchor {
    at: Instant,
    at_ms: EpochMs,
    speed: f64,
}

impl Clock {
    /// A clock that reads the current wall-clock time now.
    pub fn starting_now(speed: f64) -> Self {
        Self::starting_at(Self::wall_now_ms(), speed)
    }

    pub fn starting_at(at_ms: EpochMs, speed: f64) -> Self {
        Self { state: Mutex::new(Anchor::new(at_ms, speed)) }
    }

    pub fn now_ms(&self) -> EpochMs {
        self.state.lock().expect("clock lock").now_ms()
    }

    /// Moves mock time forward (never back: tasks must not un-finish), at most to [`LATEST_MS`],
    /// and returns the new time.
    pub fn advance(&self, ms: EpochMs) -> EpochMs {
        let mut anchor = self.state.lock().expect("clock lock");
        let now_ms = anchor.now_ms();
        *anchor = Anchor::new(now_ms.saturating_add(ms.max(0)), anchor.speed);
        anchor.now_ms()
    }

    pub fn speed(&self) -> f64 {
        self.state.lock().expect("clock lock").speed
    }

    /// Changes the speed from now on. Re-anchoring at the current reading keeps time continuous:
    /// a new speed must not make the time already run count again, faster or slower.
    pub fn set_speed(&self, speed: f64) {
        let mut anchor = self.state.lock().expect("clock lock");
        let now_ms = anchor.now_ms();
        *anchor = Anchor::new(now_ms, speed);
    }
}

impl Clock {
    /// Stops the clock at `at_ms`, back in time if need be. Only a replay of the state file does
    /// this: it applies each change at the mock time it was made, with no time running between.
    pub fn stop_at(&self, at_ms: EpochMs) {
        *self.state.lock().expect("clock lock") = Anchor::new(at_ms, 0.0);
    }

    /// Runs `change` with the clock standing still at its current reading, which `change` is
    /// given: everything it reads from the clock is that one instant, the one the state file
    /// records for it. Afterwards time runs on as if it had never stopped.
    pub fn hold<T>(&self, change: impl FnOnce(EpochMs) -> T) -> T {
        let (running, at_ms) = {
            let mut anchor = self.state.lock().expect("clock lock");
            let at_ms = anchor.now_ms();
            let stopped = Anchor::new(at_ms, 0.0);
            (std::mem::replace(&mut *anchor, stopped), at_ms)
        };
        let result = change(at_ms);
        *self.state.lock().expect("clock lock") = running;
        result
    }

    /// Runs the clock again from `at_ms` at `speed`, after a replay.
    pub fn resume_at(&self, at_ms: EpochMs, speed: f64) {
        *self.state.lock().expect("clock lock") = Anchor::new(at_ms, speed);
    }

    /// The wall-clock time now, in the clouds' units.
    pub fn wall_now_ms() -> EpochMs {
        SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as EpochMs)
    }
}

impl Anchor {
    /// An anchor at `at_ms` now, both bounded: mock time within `EARLIEST_MS..=LATEST_MS`, the
    /// speed within `0..=MAX_SPEED`.
    fn new(at_ms: EpochMs, speed: f64) -> Self {
        Self { at: Instant::now(), at_ms: at_ms.clamp(EARLIEST_MS, LATEST_MS), speed: bounded_speed(speed) }
    }

    /// The reading now, never past [`LATEST_MS`]. The float product saturates on conversion
    /// (`as` does), and the sum is checked, so no elapsed time or speed can wrap it.
    fn now_ms(&self) -> EpochMs {
        let run_ms = (self.at.elapsed().as_secs_f64() * 1000.0 * self.speed) as EpochMs;
        self.at_ms.saturating_add(run_ms).min(LATEST_MS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_now_forward_and_never_back() {
        let clock = Clock::starting_at(EARLIEST_MS + 1_000, 0.000_001);
        clock.advance(5_000);
        assert!((EARLIEST_MS + 6_000..EARLIEST_MS + 6_100).contains(&clock.now_ms()));
        clock.advance(-10_000);
        assert!(clock.now_ms() >= EARLIEST_MS + 6_000);
    }

    #[test]
    fn slowing_down_keeps_the_time_already_run() {
        let clock = Clock::starting_at(EARLIEST_MS, 1000.0);
        std::thread::sleep(std::time::Duration::from_millis(20));
        let before = clock.now_ms();
        clock.set_speed(0.000_001);
        assert_eq!(clock.speed(), 0.000_001);
        assert!(clock.now_ms() >= before, "time never jumps back on a speed change");
    }

    #[test]
    fn no_advance_or_speed_moves_the_clock_past_its_latest_time() {
        let clock = Clock::starting_at(LATEST_MS - 10, MAX_SPEED);
        assert_eq!(clock.advance(i64::MAX), LATEST_MS);
        assert_eq!(clock.now_ms(), LATEST_MS);
        clock.set_speed(1e300);
        assert_eq!(clock.speed(), MAX_SPEED);
        clock.set_speed(f64::NAN);
        assert_eq!(clock.speed(), 0.0);
        assert_eq!(clock.now_ms(), LATEST_MS);
        let started_late = Clock::starting_at(i64::MAX, f64::INFINITY);
        assert_eq!((started_late.now_ms(), started_late.speed()), (LATEST_MS, MAX_SPEED));
        let started_early = Clock::starting_at(i64::MIN, -1.0);
        assert_eq!((started_early.now_ms(), started_early.speed()), (EARLIEST_MS, 0.0));
    }

    #[test]
    fn speed_scales_elapsed_time() {
        let clock = Clock::starting_at(EARLIEST_MS, 1000.0);
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert!(clock.now_ms() >= EARLIEST_MS + 20_000);
    }
}
