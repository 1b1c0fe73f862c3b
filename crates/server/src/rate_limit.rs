//! Token-bucket rate limits on the wall clock, one bucket per key: the mock's CLS actions (20
//! requests per second each, as documented; per visitor in `--demo`), the proxy's providers (at
//! or below the clouds' documented limits, so the proxy refuses before the cloud would), and a
//! public demo's visitors.
//!
//! Wall clock, not mock time: a limit protects a service from load, which happens in real seconds
//! whatever the mock clock's speed. A full bucket lets a burst of `burst` calls through at once,
//! then one every `1/per_second` s.
//!
//! Keys may come from strangers (a visitor's address), so the number of buckets is bounded: a full
//! bucket is the same as no bucket, so full ones are forgotten first, and past the bound the
//! longest-unused goes.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Buckets kept at most: 100,000 visitors' buckets take a few megabytes.
const MAX_BUCKETS: usize = 100_000;

pub struct RateLimiter<K = &'static str> {
    per_second: f64,
    burst: f64,
    buckets: Mutex<HashMap<K, Bucket>>,
}

#[derive(Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl<K: Hash + Eq + Clone> RateLimiter<K> {
    /// `per_second` calls a second, in bursts of as many.
    pub fn new(per_second: u32) -> Self {
        Self::with_burst(f64::from(per_second), f64::from(per_second))
    }

    /// `per_minute` calls a minute, in bursts of as many.
    pub fn per_minute(per_minute: u32) -> Self {
        Self::with_burst(f64::from(per_minute) / 60.0, f64::from(per_minute))
    }

    fn with_burst(per_second: f64, burst: f64) -> Self {
        Self { per_second, burst, buckets: Mutex::new(HashMap::new()) }
    }

    /// Whether a call counted under `key` may run now; counts it if so. When it may not, how long
    /// until it may.
    pub fn admit(&self, key: K) -> Result<(), Duration> {
        self.admit_at(key, Instant::now())
    }

    fn admit_at(&self, key: K, now: Instant) -> Result<(), Duration> {
        let mut buckets = self.buckets.lock().expect("rate limiter lock");
        if buckets.len() >= MAX_BUCKETS && !buckets.contains_key(&key) {
            self.forget_idle(&mut buckets, now);
        }
        let bucket = buckets.entry(key).or_insert(Bucket { tokens: self.burst, at: now });
        bucket.tokens = self.refilled(bucket, now);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - bucket.tokens) / self.per_second))
        }
    }

    fn refilled(&self, bucket: &Bucket, now: Instant) -> f64 {
        let refill = now.saturating_duration_since(bucket.at).as_secs_f64() * self.per_second;
        (bucket.tokens + refill).min(self.burst)
    }

    /// Drops the buckets that are full again (they admit as a new one would), and if that frees
    /// too little, the least recently used half: the bound holds whatever the keys.
    fn forget_idle(&self, buckets: &mut HashMap<K, Bucket>, now: Instant) {
        buckets.retain(|_, bucket| self.refilled(bucket, now) < self.burst);
        if buckets.len() >= MAX_BUCKETS {
            let mut times: Vec<Instant> = buckets.values().map(|bucket| bucket.at).collect();
            let middle = times.len() / 2;
            let (_, median, _) = times.select_nth_unstable(middle);
            let median = *median;
            buckets.retain(|_, bucket| bucket.at > median);
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

    #[test]
    fn a_burst_of_twenty_passes_then_one_per_fiftieth_of_a_second() {
        let limiter = RateLimiter::new(20);
        let start = Instant::now();
        assert!((0..20).all(|_| limiter.admit_at("CreateExport", start).is_ok()));
        let wait = limiter.admit_at("CreateExport", start).unwrap_err();
        assert_eq!(wait, Duration::from_millis(50), "the 21st in the same instant waits for one token");
        assert!(limiter.admit_at("DescribeExports", start).is_ok(), "each action has its own bucket");
        assert!(limiter.admit_at("CreateExport", start + Duration::from_millis(40)).is_err());
        assert!(limiter.admit_at("CreateExport", start + Duration::from_millis(60)).is_ok());
        let later = start + Duration::from_secs(5);
        let admitted = (0..30).filter(|_| limiter.admit_at("CreateExport", later).is_ok()).count();
        assert_eq!(admitted, 20, "never more than 20 saved");
    }

    #[test]
    fn per_minute_limits_refill_over_a_minute() {
        let limiter = RateLimiter::per_minute(6);
        let start = Instant::now();
        assert!((0..6).all(|_| limiter.admit_at(1_u32, start).is_ok()));
        assert_eq!(limiter.admit_at(1, start), Err(Duration::from_secs(10)));
        assert!(limiter.admit_at(1, start + Duration::from_secs(10)).is_ok());
    }

    #[test]
    fn reset_refills() {
        let limiter = RateLimiter::new(20);
        let now = Instant::now();
        (0..20).for_each(|_| assert!(limiter.admit_at("DeleteExport", now).is_ok()));
        limiter.reset();
        assert!(limiter.admit_at("DeleteExport", now).is_ok());
    }

    #[test]
    fn the_number_of_buckets_is_bounded_whatever_the_keys() {
        let limiter = RateLimiter::per_minute(1);
        let start = Instant::now();
        for key in 0..MAX_BUCKETS as u64 + 10 {
            // Every bucket is spent, so none is idle: the oldest half must go.
            assert!(limiter.admit_at(key, start + Duration::from_micros(key)).is_ok());
        }
        let kept = limiter.buckets.lock().unwrap().len();
        assert!(kept <= MAX_BUCKETS, "{kept}");
        let newest = MAX_BUCKETS as u64 + 9;
        let wait = limiter.admit_at(newest, start + Duration::from_micros(newest));
        assert!(wait.is_err(), "the newest visitors are still counted");
    }
}
