//! The request journal: the last [`CAPACITY`] calls to the cloud API paths, as the mock received
//! and answered them, so a test can check what a client (the dashboard, an SDK) actually sent.
//!
//! Entries are written by [`super::intercept`]; the admin API reads and clears them.

use super::clock::EpochMs;
use super::{Resettable, Restart};
use serde::Serialize;
use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;

/// Calls kept; older ones are dropped first. Enough for a test run or a few minutes of a
/// dashboard refreshing every 3 s, small enough to list in one answer.
pub const CAPACITY: usize = 1000;

/// Bytes of a request body kept in an entry. Export requests are a few hundred bytes; the limit
/// only guards memory against a client sending something very large.
pub const BODY_LIMIT: usize = 64 * 1024;

/// One call, as the admin API lists it.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// Counts every call recorded since the server started; clearing does not restart it.
    pub seq: u64,
    /// Mock time when the call arrived.
    pub time_ms: EpochMs,
    /// The `X-Request-Id` the answer carried.
    pub request_id: Option<String>,
    /// The operation's name (`cdn:ListExportTasks`), or `None` for a call the mock does not know.
    pub operation: Option<&'static str>,
    pub method: String,
    pub path: String,
    /// The raw query string, undecoded.
    pub query: Option<String>,
    /// Names in lower case; a header sent more than once has its values joined by `, `.
    pub headers: BTreeMap<String, String>,
    /// The body as text (bytes that are not UTF-8 become U+FFFD), at most [`BODY_LIMIT`] bytes.
    pub body: String,
    pub body_truncated: bool,
    pub status: u16,
    /// What fault injection did to the call, if a rule applied.
    pub fault: Option<AppliedFault>,
    /// Wall-clock milliseconds from arrival to the answer's head, injected latency included.
    pub elapsed_ms: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct AppliedFault {
    pub latency_ms: u64,
    /// The forced error's code, when the draw made it fire.
    pub error_code: Option<String>,
}

pub struct Journal {
    state: Mutex<State>,
}

struct State {
    next_seq: u64,
    entries: VecDeque<Entry>,
}

impl Journal {
    pub fn new() -> Self {
        Self { state: Mutex::new(State { next_seq: 1, entries: VecDeque::with_capacity(CAPACITY) }) }
    }

    /// Appends a call (its `seq` is assigned here), dropping the oldest when full.
    pub fn record(&self, mut entry: Entry) {
        let mut state = self.state.lock().expect("journal lock");
        entry.seq = state.next_seq;
        state.next_seq += 1;
        if state.entries.len() == CAPACITY {
            state.entries.pop_front();
        }
        state.entries.push_back(entry);
    }

    /// The newest `limit` entries of the operation (or of all calls), oldest first.
    pub fn entries(&self, operation: Option<&str>, limit: usize) -> Vec<Entry> {
        let state = self.state.lock().expect("journal lock");
        let mut newest_first: Vec<Entry> = state
            .entries
            .iter()
            .rev()
            .filter(|entry| operation.is_none() || entry.operation == operation)
            .take(limit)
            .cloned()
            .collect();
        newest_first.reverse();
        newest_first
    }

    /// Forgets every entry; returns how many there were.
    pub fn clear(&self) -> usize {
        let mut state = self.state.lock().expect("journal lock");
        std::mem::take(&mut state.entries).len()
    }
}

impl Default for Journal {
    fn default() -> Self {
        Self::new()
    }
}

impl Resettable for Journal {
    fn reset(&self, _restart: &Restart) {
        self.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(operation: Option<&'static str>) -> Entry {
        Entry {
            seq: 0,
            time_ms: 0,
            request_id: None,
            operation,
            method: "GET".into(),
            path: "/v1/x".into(),
            query: None,
            headers: BTreeMap::new(),
            body: String::new(),
            body_truncated: false,
            status: 200,
            fault: None,
            elapsed_ms: 0,
        }
    }

    #[test]
    fn keeps_the_newest_entries_in_order_up_to_its_capacity() {
        let journal = Journal::new();
        for _ in 0..CAPACITY + 5 {
            journal.record(entry(None));
        }
        let all = journal.entries(None, usize::MAX);
        assert_eq!(all.len(), CAPACITY);
        assert_eq!(all[0].seq, 6, "the five oldest were dropped");
        assert_eq!(all[CAPACITY - 1].seq, CAPACITY as u64 + 5);
        let last_two: Vec<u64> = journal.entries(None, 2).iter().map(|e| e.seq).collect();
        assert_eq!(last_two, [CAPACITY as u64 + 4, CAPACITY as u64 + 5], "the newest, oldest first");
    }

    #[test]
    fn filters_by_operation_and_clears() {
        let journal = Journal::new();
        journal.record(entry(Some("cdn:ListExportTasks")));
        journal.record(entry(None));
        journal.record(entry(Some("cdn:ListExportTasks")));
        let seqs: Vec<u64> = journal.entries(Some("cdn:ListExportTasks"), 10).iter().map(|e| e.seq).collect();
        assert_eq!(seqs, [1, 3]);
        assert_eq!(journal.clear(), 3);
        assert!(journal.entries(None, 10).is_empty());
        journal.record(entry(None));
        assert_eq!(journal.entries(None, 10)[0].seq, 4, "seq keeps counting");
    }
}
