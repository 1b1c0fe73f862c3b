//! The one rule for every time a client sends: milliseconds since the epoch from
//! 2000-01-01T00:00:00Z to 2100-01-01T00:00:00Z, both included.
//!
//! (mock) The clouds document their times only as "milliseconds since the epoch" (int64). Their
//! data (CDN statistics, refresh history, CLS logs) starts long after 2000 and never lies a century
//! ahead, so no real request is refused; a fixed range (rather than one relative to now) keeps a
//! request that is valid today valid tomorrow and lets the dashboard check it without a clock.
//! The bound is what keeps every sum of a client time and a span (`start + 366 days`, a row
//! time `first + i * step`) far from `i64` overflow, so no task can describe an endless file.
//!
//! Only the range lives here, so the rules' sentences ([`crate::validation::words`]) can quote it;
//! recording a time outside it is [`Violations::check_time`](crate::validation::Violations::check_time).

/// 2000-01-01T00:00:00Z.
pub const EARLIEST_MS: i64 = 946_684_800_000;
/// 2100-01-01T00:00:00Z. Also the latest time the mock clock may show.
pub const LATEST_MS: i64 = 4_102_444_800_000;

/// The range in words, for messages.
pub const RANGE_TEXT: &str =
    "from 2000-01-01T00:00:00Z (946684800000) to 2100-01-01T00:00:00Z (4102444800000) in milliseconds since the epoch";

/// Whether `ms` is a time the clouds accept.
pub const fn contains(ms: i64) -> bool {
    EARLIEST_MS <= ms && ms <= LATEST_MS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bounds_are_the_stated_instants_and_both_are_included() {
        // Days from the epoch to each bound, times a day's milliseconds.
        assert_eq!(EARLIEST_MS, 10_957 * 86_400_000);
        assert_eq!(LATEST_MS, 47_482 * 86_400_000);
        assert!(contains(EARLIEST_MS) && contains(LATEST_MS));
        for outside in [EARLIEST_MS - 1, LATEST_MS + 1, -1, 0, i64::MIN, i64::MAX] {
            assert!(!contains(outside), "{outside}");
        }
    }
}
