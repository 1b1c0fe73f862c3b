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
        let anchor = self.state.lock().expect("clock lock");
        anchor.at_ms + (anchor.at.elapsed().as_secs_f64() * 1000.0 * anchor.speed) as EpochMs
    }

    /// Moves mock time forward (never back: tasks must not un-finish).
    pub fn advance(&self, ms: EpochMs) {
        let mut anchor = self.state.lock().expect("clock lock");
        anchor.at_ms += ms.max(0);
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
    fn speed_scales_elapsed_time() {
        let clock = Clock::starting_at(0, 1000.0);
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert!(clock.now_ms() >= 20_000);
    }
}
