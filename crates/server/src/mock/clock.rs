//! Mock time. Task lifecycles are computed from it, never from the wall clock, so the mock can run
//! faster than real time (`--speed`) and a test can move time forward.

use std::sync::Mutex;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch, as the clouds count them.
pub type EpochMs = i64;

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
        let now_ms = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as EpochMs);
        Self::starting_at(now_ms, speed)
    }

    pub fn starting_at(at_ms: EpochMs, speed: f64) -> Self {
        Self { state: Mutex::new(Anchor { at: Instant::now(), at_ms, speed }) }
    }

    pub fn now_ms(&self) -> EpochMs {
        self.state.lock().expect("clock lock").now_ms()
    }

    /// Moves mock time forward (never back: tasks must not un-finish) and returns the new time.
    pub fn advance(&self, ms: EpochMs) -> EpochMs {
        let mut anchor = self.state.lock().expect("clock lock");
        anchor.at_ms = anchor.at_ms.saturating_add(ms.max(0));
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
        *anchor = Anchor { at: Instant::now(), at_ms: now_ms, speed };
    }
}

impl Anchor {
    fn now_ms(&self) -> EpochMs {
        self.at_ms + (self.at.elapsed().as_secs_f64() * 1000.0 * self.speed) as EpochMs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_now_forward_and_never_back() {
        let clock = Clock::starting_at(1_000, 0.000_001);
        clock.advance(5_000);
        assert!((6_000..6_100).contains(&clock.now_ms()));
        clock.advance(-10_000);
        assert!(clock.now_ms() >= 6_000);
    }

    #[test]
    fn slowing_down_keeps_the_time_already_run() {
        let clock = Clock::starting_at(0, 1000.0);
        std::thread::sleep(std::time::Duration::from_millis(20));
        let before = clock.now_ms();
        clock.set_speed(0.000_001);
        assert_eq!(clock.speed(), 0.000_001);
        assert!(clock.now_ms() >= before, "time never jumps back on a speed change");
    }

    #[test]
    fn speed_scales_elapsed_time() {
        let clock = Clock::starting_at(0, 1000.0);
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert!(clock.now_ms() >= 20_000);
    }
}
