//! The request journal: the last calls to the cloud API paths, as the mock received and answered
//! them, so a test can check what a client (the dashboard, an SDK) actually sent.
//!
//! It is bounded twice: in entries (`--journal-entries`) and in bytes (`--journal-bytes`), the
//! bytes being each entry's size as JSON, so `GET /_mock/journal` can never build an answer larger
//! than the byte bound whatever clients send. Each entry is cut before it is kept: header values
//! at [`HEADER_VALUE_LIMIT`], all headers at [`HEADERS_LIMIT`], the body at [`BODY_LIMIT`], path
//! and query at [`TARGET_LIMIT`]; an entry still larger than the whole bound loses its body and
//! headers. Every cut is marked (`body_truncated`, `headers_truncated`, `target_truncated`).
//!
//! Entries are written by [`super::intercept`]; the admin API reads and clears them.

use super::clock::EpochMs;
use super::{Resettable, Restart};
use serde::Serialize;
use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;

/// Entries kept by default (`--journal-entries`): enough for a test run or a few minutes of a
/// dashboard refreshing every 3 s.
pub const DEFAULT_ENTRIES: usize = 1000;
/// Bytes kept by default (`--journal-bytes`): a thousand ordinary calls take under 2 MiB, so the
/// default only binds when clients send large bodies or headers.
pub const DEFAULT_BYTES: usize = 16 * 1024 * 1024;
/// The smallest byte bound accepted: room for a few entries cut to their limits.
pub const MIN_BYTES: usize = 16 * 1024;

/// Bytes of a request body kept in an entry. Export requests are a few hundred bytes; the limit
/// only guards memory against a client sending something very large.
pub const BODY_LIMIT: usize = 64 * 1024;
/// Bytes of one header's value kept (repeated headers joined first). Signatures and cookies of
/// real clients are well under it.
pub const HEADER_VALUE_LIMIT: usize = 1024;
/// Bytes of all header names and values of one entry kept; headers past it (in name order) are
/// left out.
pub const HEADERS_LIMIT: usize = 16 * 1024;
/// Bytes of the path and of the query string kept, each.
pub const TARGET_LIMIT: usize = 4 * 1024;
/// Room kept free of entries for the rest of the journal's answer (`{"capacity":…,"entries":[…]}`).
const ANSWER_FRAME_BYTES: usize = 256;

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
    /// At most [`TARGET_LIMIT`] bytes.
    pub path: String,
    /// The raw query string, undecoded, at most [`TARGET_LIMIT`] bytes.
    pub query: Option<String>,
    /// Whether the path or the query was cut.
    pub target_truncated: bool,
    /// Names in lower case; a header sent more than once has its values joined by `, `. Values
    /// are cut at [`HEADER_VALUE_LIMIT`] bytes, all headers at [`HEADERS_LIMIT`].
    pub headers: BTreeMap<String, String>,
    /// Whether a header value was cut or a header left out.
    pub headers_truncated: bool,
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

/// Cuts `text` to at most `limit` bytes, at a character boundary; whether it cut anything.
pub fn cut(text: &mut String, limit: usize) -> bool {
    if text.len() <= limit {
        return false;
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    true
}

/// The size of a value as compact JSON, the form the admin API answers in, without building it.
fn json_size(value: &impl Serialize) -> usize {
    struct Counter(usize);
    impl std::io::Write for Counter {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0 += bytes.len();
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut counter = Counter(0);
    // Serializing these plain structs into a writer that never fails cannot fail; were it to,
    // counting the entry as huge drops it rather than overrunning the bound.
    match serde_json::to_writer(&mut counter, value) {
        Ok(()) => counter.0,
        Err(_) => usize::MAX,
    }
}

pub struct Journal {
    max_entries: usize,
    max_bytes: usize,
    state: Mutex<State>,
}

struct State {
    next_seq: u64,
    /// Each entry with its size as JSON plus the comma that separates it in a list.
    entries: VecDeque<(Entry, usize)>,
    /// The sum of those sizes.
    bytes: usize,
}

impl Journal {
    /// A journal of at most `max_entries` calls taking at most `max_bytes` as JSON (at least
    /// [`MIN_BYTES`] is used).
    pub fn new(max_entries: usize, max_bytes: usize) -> Self {
        Self {
            max_entries,
            max_bytes: max_bytes.max(MIN_BYTES),
            state: Mutex::new(State { next_seq: 1, entries: VecDeque::new(), bytes: 0 }),
        }
    }

    pub fn max_entries(&self) -> usize {
        self.max_entries
    }

    pub fn max_bytes(&self) -> usize {
        self.max_bytes
    }

    /// Bytes the entries take as JSON, separators included.
    pub fn bytes(&self) -> usize {
        self.lock().bytes
    }

    /// Appends a call (its `seq` is assigned here), cut to the limits, dropping the oldest
    /// entries until both bounds hold.
    pub fn record(&self, mut entry: Entry) {
        let room = self.max_bytes - ANSWER_FRAME_BYTES;
        entry.target_truncated |= cut(&mut entry.path, TARGET_LIMIT);
        if let Some(query) = entry.query.as_mut() {
            entry.target_truncated |= cut(query, TARGET_LIMIT);
        }
        entry.body_truncated |= cut(&mut entry.body, BODY_LIMIT);
        let mut state = self.lock();
        entry.seq = state.next_seq;
        state.next_seq += 1;
        let mut size = json_size(&entry).saturating_add(1);
        if size > room {
            // Escaped control bytes can make a cut body six times its length; a journal this
            // small keeps what the call was, without what it carried.
            entry.body_truncated |= !entry.body.is_empty();
            entry.body.clear();
            entry.headers_truncated |= !entry.headers.is_empty();
            entry.headers.clear();
            size = json_size(&entry).saturating_add(1);
        }
        if self.max_entries == 0 || size > room {
            return;
        }
        while state.entries.len() >= self.max_entries || state.bytes + size > room {
            let Some((_, dropped)) = state.entries.pop_front() else { break };
            state.bytes -= dropped;
        }
        state.bytes += size;
        state.entries.push_back((entry, size));
    }

    /// The newest `limit` entries of the operation (or of all calls), oldest first.
    pub fn entries(&self, operation: Option<&str>, limit: usize) -> Vec<Entry> {
        let state = self.lock();
        let mut newest_first: Vec<Entry> = state
            .entries
            .iter()
            .rev()
            .map(|(entry, _)| entry)
            .filter(|entry| operation.is_none() || entry.operation == operation)
            .take(limit)
            .cloned()
            .collect();
        newest_first.reverse();
        newest_first
    }

    /// Forgets every entry; returns how many there were.
    pub fn clear(&self) -> usize {
        let mut state = self.lock();
        state.bytes = 0;
        std::mem::take(&mut state.entries).len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().expect("journal lock")
    }
}

impl Default for Journal {
    fn default() -> Self {
        Self::new(DEFAULT_ENTRIES, DEFAULT_BYTES)
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
            target_truncated: false,
            headers: BTreeMap::new(),
            headers_truncated: false,
            body: String::new(),
            body_truncated: false,
            status: 200,
            fault: None,
            elapsed_ms: 0,
        }
    }

    #[test]
    fn keeps_the_newest_entries_in_order_up_to_its_capacity() {
        let journal = Journal::default();
        for _ in 0..DEFAULT_ENTRIES + 5 {
            journal.record(entry(None));
        }
        let all = journal.entries(None, usize::MAX);
        assert_eq!(all.len(), DEFAULT_ENTRIES);
        assert_eq!(all[0].seq, 6, "the five oldest were dropped");
        assert_eq!(all[DEFAULT_ENTRIES - 1].seq, DEFAULT_ENTRIES as u64 + 5);
        let last_two: Vec<u64> = journal.entries(None, 2).iter().map(|e| e.seq).collect();
        assert_eq!(last_two, [DEFAULT_ENTRIES as u64 + 4, DEFAULT_ENTRIES as u64 + 5], "the newest, oldest first");
    }

    #[test]
    fn filters_by_operation_and_clears() {
        let journal = Journal::default();
        journal.record(entry(Some("cdn:ListExportTasks")));
        journal.record(entry(None));
        journal.record(entry(Some("cdn:ListExportTasks")));
        let seqs: Vec<u64> = journal.entries(Some("cdn:ListExportTasks"), 10).iter().map(|e| e.seq).collect();
        assert_eq!(seqs, [1, 3]);
        assert_eq!(journal.clear(), 3);
        assert_eq!(journal.bytes(), 0);
        assert!(journal.entries(None, 10).is_empty());
        journal.record(entry(None));
        assert_eq!(journal.entries(None, 10)[0].seq, 4, "seq keeps counting");
    }

    /// The bound is on the JSON the admin API answers with, escapes included: bodies of control
    /// bytes (six bytes each as JSON) must not let the listing outgrow it.
    #[test]
    fn the_listing_as_json_never_outgrows_the_byte_bound() {
        let max_bytes = 1024 * 1024;
        let journal = Journal::new(1000, max_bytes);
        for n in 0..40 {
            let mut call = entry(None);
            call.body = if n % 2 == 0 { "\u{1}".repeat(100 * 1024) } else { "x".repeat(30 * 1024) };
            call.path = "/p".repeat(5000);
            call.headers.insert("x-big".into(), "v".repeat(900));
            journal.record(call);
            let listing = serde_json::to_vec(&journal.entries(None, usize::MAX)).unwrap();
            assert!(listing.len() + ANSWER_FRAME_BYTES <= max_bytes, "{} bytes after {n}", listing.len());
            assert!(journal.bytes() <= max_bytes);
        }
        let kept = journal.entries(None, usize::MAX);
        assert!(kept.len() > 1, "{}", kept.len());
        let newest = kept.last().unwrap();
        assert_eq!((newest.body.len(), newest.body_truncated), (30 * 1024, false));
        assert!(newest.target_truncated && newest.path.len() == TARGET_LIMIT);
        let escaped = kept.iter().find(|e| e.body.starts_with('\u{1}')).expect("a control-byte body is kept");
        assert!(escaped.body_truncated && escaped.body.len() == BODY_LIMIT, "cut to the body limit");
    }

    #[test]
    fn an_entry_larger_than_a_small_journal_keeps_its_call_without_body_and_headers() {
        let journal = Journal::new(10, MIN_BYTES);
        let mut call = entry(Some("cdn:CreateExportTask"));
        call.body = "\"".repeat(BODY_LIMIT);
        call.headers.insert("cookie".into(), "c".repeat(HEADER_VALUE_LIMIT));
        journal.record(call);
        let kept = journal.entries(None, 10).remove(0);
        assert_eq!((kept.body.as_str(), kept.body_truncated), ("", true));
        assert!(kept.headers.is_empty() && kept.headers_truncated);
        assert_eq!(kept.operation, Some("cdn:CreateExportTask"));
    }

    #[test]
    fn cuts_fall_on_character_boundaries() {
        let mut text = "aé".repeat(10);
        assert!(cut(&mut text, 4));
        assert_eq!(text, "aéa");
        let mut short = "abc".to_owned();
        assert!(!cut(&mut short, 3));
    }
}
