//! The tasks this browser watches, kept in `localStorage` so notices survive a reload and reach
//! every page (the house pattern of `kinds/cdn_stats/remembered.rs`):
//!
//! - one store per backend URL (the dashboard's own origin when none is set), so two backends'
//!   tasks never mix;
//! - bounded in count ([`COUNT_MAX`]) and in bytes ([`BYTES_MAX`], of the stored text), newest
//!   kept;
//! - what cannot be read (edited by hand, another version) is ignored: it reads as empty, and the
//!   next write replaces it.
//!
//! A task is watched until it is seen finished (then it raises its notice and goes), until the
//! user stops watching it, or until its kind's list has not held it for [`GRACE_MS`] since it was
//! last seen unfinished (deleted, or out of the reach of the call that watches it).
//!
//! ```ignore
//! let key = backend_store::key_of::<WatchList>();    // this backend's store
//! let mut list: WatchList = backend_store::load(&key); // empty when missing or unreadable
//! list.add("/cls/exports", "export-1", "topic-1", now_ms);
//! backend_store::save(&key, &list);                  // bounded before it is written
//! ```

use crate::backend_store::Stored;
pub use crate::watched::Watched;

/// The most tasks watched for one backend: more than anyone follows by eye, few enough that a
/// kind's one list call covers them.
pub const COUNT_MAX: usize = 50;
/// The most bytes the stored text of one backend takes.
pub const BYTES_MAX: usize = 8 * 1024;
/// How long a watched task may be missing from its kind's list, counted from when it was last seen
/// unfinished (or from when it was first watched, if never seen), before it is given up: a cloud's
/// list can lag a create by a moment, or another task can push it off a page for a poll or two;
/// after that, the task was deleted or is out of reach.
pub const GRACE_MS: i64 = 60_000;
/// How stale the stored "last seen" may grow before a sighting writes it again: a running task is
/// seen every 3 s, and writing the store (and waking every other tab with a `storage` event) that
/// often would be for nothing. The grace is counted from the stored time plus this, so a task is
/// never given up sooner than [`GRACE_MS`] after it was really last seen.
pub const SEEN_EVERY_MS: i64 = 15_000;
const KEY_PREFIX: &str = "export-desk.watched:";

/// The tasks watched for one backend, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WatchList(Vec<Watched>);

impl Stored for WatchList {
    const KEY_PREFIX: &'static str = KEY_PREFIX;

    /// Reads the stored text; a text that does not read as a whole reads as nothing. The text is a
    /// line a task, `{since_ms}\t{kind}\t{id}\t{last_seen_ms}\t{scope}`: plain text rather than
    /// JSON, as a serde reader and writer of their own would cost the bundle more than the whole
    /// feature's logic. A line of the first version, `{since_ms}\t{kind}\t{id}`, still reads (last
    /// seen when first watched, no scope).
    fn parse(text: &str) -> Self {
        let line = |line: &str| {
            let fields: Vec<&str> = line.split('\t').collect();
            let since_ms: i64 = fields.first()?.parse().ok()?;
            let (kind, id) = (*fields.get(1)?, *fields.get(2)?);
            let (last_seen_ms, scope) = match fields.len() {
                3 => (since_ms, ""),
                5 => (fields[3].parse().ok()?, fields[4]),
                _ => return None,
            };
            storable(kind, id).then(|| Watched {
                kind: kind.to_owned(),
                id: id.to_owned(),
                since_ms,
                last_seen_ms,
                scope: scope.to_owned(),
            })
        };
        let read: Option<Vec<Watched>> = text.lines().filter(|l| !l.is_empty()).map(line).collect();
        let mut read = Self(read.unwrap_or_default());
        read.bound();
        read
    }

    /// The text to store: within [`BYTES_MAX`].
    fn to_text(&self) -> String {
        self.0.iter().map(line_of).collect::<Vec<_>>().join("\n")
    }
}

impl WatchList {
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn contains(&self, kind: &str, id: &str) -> bool {
        self.0.iter().any(|w| w.kind == kind && w.id == id)
    }

    /// The watched tasks of `kind`.
    pub fn of_kind<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Watched> + 'a {
        self.0.iter().filter(move |w| w.kind == kind)
    }

    /// Watches a task (once; watching it again keeps when it was first watched). A kind or id
    /// that cannot be a line of the store (empty, or holding a tab or a line break: no cloud's ids
    /// do) is not watched; a scope that cannot be part of one is not kept.
    pub fn add(&mut self, kind: &str, id: &str, scope: &str, now_ms: i64) {
        if storable(kind, id) && !self.contains(kind, id) {
            let scope = if storable("k", scope) { scope } else { "" };
            self.0.push(Watched {
                kind: kind.to_owned(),
                id: id.to_owned(),
                since_ms: now_ms,
                last_seen_ms: now_ms,
                scope: scope.to_owned(),
            });
            self.bound();
        }
    }

    /// Writes down that a list answer held the task unfinished at `now_ms`, when what is written is
    /// [`SEEN_EVERY_MS`] old or more (so a running task does not rewrite the store every poll).
    pub fn seen_unfinished(&mut self, kind: &str, id: &str, now_ms: i64) {
        let mut changed = false;
        for entry in self.0.iter_mut().filter(|w| w.kind == kind && w.id == id) {
            if now_ms.saturating_sub(entry.last_seen_ms) >= SEEN_EVERY_MS {
                entry.last_seen_ms = now_ms;
                changed = true;
            }
        }
        // A longer time is a longer line: the byte bound holds after it too.
        if changed {
            self.bound();
        }
    }

    /// Every watched task, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = &Watched> {
        self.0.iter()
    }

    pub fn remove(&mut self, kind: &str, id: &str) {
        self.0.retain(|w| !(w.kind == kind && w.id == id));
    }

    /// Keeps the newest entries that fit both bounds; one that could never fit goes first.
    fn bound(&mut self) {
        crate::backend_store::keep_newest(&mut self.0, |entry| line_of(entry).len(), 0, COUNT_MAX, BYTES_MAX);
    }
}

fn line_of(entry: &Watched) -> String {
    format!("{}\t{}\t{}\t{}\t{}", entry.since_ms, entry.kind, entry.id, entry.last_seen_ms, entry.scope)
}

fn storable(kind: &str, id: &str) -> bool {
    let plain = |text: &str| !text.is_empty() && !text.contains(['\t', '\n', '\r']);
    plain(kind) && plain(id)
}

/// What a watched task's kind said about it in one list answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    /// Listed, still queued or running.
    Unfinished,
    /// Listed, and final: its notice is due.
    Finished,
    /// Not in the answer.
    Missing,
}

/// Whether a watched task stays watched after a list answer said `seen` at `now_ms`: a missing
/// one for [`GRACE_MS`] after it was last seen unfinished (or first watched).
pub fn keeps_watching(watched: &Watched, seen: Seen, now_ms: i64) -> bool {
    match seen {
        Seen::Unfinished => true,
        Seen::Finished => false,
        Seen::Missing => now_ms.saturating_sub(watched.last_seen_ms) < GRACE_MS + SEEN_EVERY_MS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_task_is_watched_once_and_read_back_from_storage() {
        let mut list = WatchList::default();
        list.add("/cdn/stats", "a", "", 1);
        list.add("/cdn/stats", "a", "", 2);
        list.add("/cls/exports", "a", "topic-1", 3);
        assert_eq!(list.len(), 2);
        assert_eq!(list.of_kind("/cdn/stats").next().map(|w| w.since_ms), Some(1), "the first watch counts");
        assert!(list.contains("/cls/exports", "a") && !list.contains("/iotda/exports", "a"));
        assert_eq!(WatchList::parse(&list.to_text()), list);
        assert_eq!(list.of_kind("/cls/exports").next().map(|w| w.scope.as_str()), Some("topic-1"));
        list.remove("/cdn/stats", "a");
        assert_eq!(list.len(), 1);
    }

    #[test]
    fn the_newest_are_kept_within_the_count_and_the_bytes() {
        let mut list = WatchList::default();
        for i in 0..COUNT_MAX + 5 {
            list.add("/cdn/purge", &i.to_string(), "", i as i64);
        }
        assert_eq!(list.len(), COUNT_MAX);
        assert_eq!(list.0[0].id, "5", "the oldest went");
        let mut list = WatchList::default();
        for i in 0..40 {
            list.add("/cdn/purge", &format!("{i}{}", "x".repeat(500)), "", i);
        }
        assert!(list.to_text().len() <= BYTES_MAX, "{}", list.to_text().len());
        assert_eq!(list.0.last().map(|w| w.since_ms), Some(39), "the newest stays");
        let before = list.clone();
        list.add("/cdn/purge", &"y".repeat(BYTES_MAX), "", 99);
        assert_eq!(list, before, "an entry over the whole budget is not kept and pushes nothing out");
    }

    #[test]
    fn a_corrupted_store_reads_as_empty() {
        for text in ["", "{", "[]", "5\tk", "x\tk\ti", "5\tk\ti\nnot a line", "5\t\ti", "5\tk\ti\t6", "5\tk\ti\tx\ts"] {
            assert!(WatchList::parse(text).is_empty(), "{text:?}");
        }
        assert_eq!(WatchList::parse("5\tk\ti\n6\tk\tj\n").len(), 2);
        let mut list = WatchList::default();
        list.add("k", "a\nb", "", 1);
        list.add("k", "", "", 1);
        assert!(list.is_empty(), "an id that cannot be a line is not watched");
        list.add("k", "a", "bad\tscope", 1);
        assert_eq!(
            list.of_kind("k").next().map(|w| w.scope.as_str()),
            Some(""),
            "a scope that cannot be stored is not"
        );
    }

    #[test]
    fn an_entry_of_the_first_version_still_reads() {
        let list = WatchList::parse("5\t/cls/exports\tabc\n7\t/cls/exports\tdef\t9\ttopic-2");
        let entries: Vec<_> = list.iter().cloned().collect();
        assert_eq!(
            entries[0],
            Watched {
                kind: "/cls/exports".into(),
                id: "abc".into(),
                since_ms: 5,
                last_seen_ms: 5,
                scope: String::new()
            }
        );
        assert_eq!((entries[1].last_seen_ms, entries[1].scope.as_str()), (9, "topic-2"));
    }

    #[test]
    fn a_missing_task_is_given_up_a_grace_after_it_was_last_seen_and_a_finished_one_at_once() {
        let mut list = WatchList::default();
        list.add("k", "i", "", 1_000);
        let watched = |list: &WatchList| list.iter().next().cloned().unwrap();
        assert!(keeps_watching(&watched(&list), Seen::Unfinished, i64::MAX));
        assert!(!keeps_watching(&watched(&list), Seen::Finished, 1_000));
        // Never seen: from when it was first watched.
        assert!(keeps_watching(&watched(&list), Seen::Missing, 1_000 + GRACE_MS));
        assert!(!keeps_watching(&watched(&list), Seen::Missing, 1_000 + GRACE_MS + SEEN_EVERY_MS));
        // Watched for ten minutes, seen running all along: missing once, it is not given up at once.
        let mut seen_at = 1_000;
        for now in (1_000..=601_000).step_by(3_000) {
            list.seen_unfinished("k", "i", now);
            seen_at = now;
        }
        let stored = watched(&list).last_seen_ms;
        assert!(
            seen_at - stored < SEEN_EVERY_MS && stored > 1_000,
            "written down, at most {SEEN_EVERY_MS} ms stale: {stored}"
        );
        assert!(keeps_watching(&watched(&list), Seen::Missing, seen_at + 3_000));
        assert!(
            keeps_watching(&watched(&list), Seen::Missing, seen_at + GRACE_MS - 1),
            "a full grace after the last sighting"
        );
        assert!(!keeps_watching(&watched(&list), Seen::Missing, seen_at + GRACE_MS + SEEN_EVERY_MS));
        // A sighting soon after the last one changes nothing (no store write).
        let before = list.clone();
        list.seen_unfinished("k", "i", stored + SEEN_EVERY_MS - 1);
        assert_eq!(list, before);
    }
}
