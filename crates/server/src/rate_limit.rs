//! Token-bucket rate limits on the wall clock, one bucket per key: the mock's CLS actions (20
//! requests per second each, as documented) and the proxy's providers (at or below the clouds'
//! documented limits, so the proxy refuses before the cloud would).
//!
//! Wall clock, not mock time: a limit protects a service from load, which happens in real seconds
//! whatever the mock clock's speed. A full bucket lets a burst of `per_second` calls through at
//! once, then one every `1/per_second` s.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

pub struct RateLimiter {
    per_second: f64,
    buckets: Mutex<HashMap<&'static str, Bucket>>,
}

#[derive(Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl RateLimiter {
    pub fn new(per_second: u32) -> Self {
        Self { per_second: f64::from(per_second), buckets: Mutex::new(HashMap::new()) }
    }

    /// Whether a call counted under `key` may run now; counts it if so.
    pub fn admit(&self, key: &'static str) -> bool {
        self.admit_at(key, Instant::now())
    }

    fn admit_at(&self, key: &'static str, now: Instant) -> bool {
        let mut buckets = self.buckets.lock().expect("rate limiter lock");
        let bucket = buckets.entry(key).or_insert(Bucket { tokens: self.per_second, at: now });
        let refill = now.saturating_duration_since(bucket.at).as_secs_f64() * self.per_second;
        bucket.tokens = (bucket.tokens + refill).min(self.per_second);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    /// Full buckets again, as after a fresh start.
    pub fn reset(&self) {
        self.buckets.lock().expect("rate limiter lock").clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_burst_of_twenty_passes_then_one_per_fiftieth_of_a_second() {
        let limiter = RateLimiter::new(20);
        let start = Instant::now();
        assert!((0..20).all(|_| limiter.admit_at("CreateExport", start)));
        assert!(!limiter.admit_at("CreateExport", start), "the 21st in the same instant");
        assert!(limiter.admit_at("DescribeExports", start), "each action has its own bucket");
        assert!(!limiter.admit_at("CreateExport", start + Duration::from_millis(40)));
        assert!(limiter.admit_at("CreateExport", start + Duration::from_millis(60)));
        let later = start + Duration::from_secs(5);
        assert_eq!((0..30).filter(|_| limiter.admit_at("CreateExport", later)).count(), 20, "never more than 20 saved");
    }

    #[test]
    fn reset_refills() {
        let limiter = RateLimiter::new(20);
        let now = Instant::now();
        (0..20).for_each(|_| assert!(limiter.admit_at("DeleteExport", now)));
        limiter.reset();
        assert!(limiter.admit_at("DeleteExport", now));
    }
}
