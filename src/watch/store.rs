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
//! user stops watching it, or until its kind's list no longer holds it (deleted, or out of the
//! reach of the call that watches it; see [`GRACE_MS`]).

/// The most tasks watched for one backend: more than anyone follows by eye, few enough that a
/// kind's one list call covers them.
pub const COUNT_MAX: usize = 50;
/// The most bytes the stored text of one backend takes.
pub const BYTES_MAX: usize = 8 * 1024;
/// How long a watched task may be missing from its kind's list before it is given up: a cloud's
/// list can lag a create by a moment; after that, the task was deleted or is out of reach.
pub const GRACE_MS: i64 = 60_000;
const KEY_PREFIX: &str = "export-desk.watched:";

/// One watched task: its kind (the kind's page, as the registry names it) and id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Watched {
    pub kind: String,
    pub id: String,
    /// When it was first watched (browser clock, ms), for [`GRACE_MS`].
    pub since_ms: i64,
}

/// The tasks watched for one backend, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WatchList(Vec<Watched>);

impl WatchList {
    /// Reads the stored text; a text that does not read as a whole reads as nothing. The text is a
    /// line a task, `{since_ms}\t{kind}\t{id}`: plain text rather than JSON, as a serde reader and
    /// writer of their own would cost the bundle more than the whole feature's logic.
    pub fn parse(text: &str) -> Self {
        let line = |line: &str| {
            let mut fields = line.splitn(3, '\t');
            let since_ms = fields.next()?.parse().ok()?;
            let (kind, id) = (fields.next()?, fields.next()?);
            storable(kind, id).then(|| Watched { kind: kind.to_owned(), id: id.to_owned(), since_ms })
        };
        let read: Option<Vec<Watched>> = text.lines().filter(|l| !l.is_empty()).map(line).collect();
        let mut read = Self(read.unwrap_or_default());
        read.bound();
        read
    }

    /// The text to store: within [`BYTES_MAX`].
    pub fn to_text(&self) -> String {
        self.0.iter().map(line_of).collect::<Vec<_>>().join("\n")
    }

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
    /// do) is not watched.
    pub fn add(&mut self, kind: &str, id: &str, now_ms: i64) {
        if storable(kind, id) && !self.contains(kind, id) {
            self.0.push(Watched { kind: kind.to_owned(), id: id.to_owned(), since_ms: now_ms });
            self.bound();
        }
    }

    pub fn remove(&mut self, kind: &str, id: &str) {
        self.0.retain(|w| !(w.kind == kind && w.id == id));
    }

    /// Keeps the newest entries that fit both bounds; one that could never fit goes first.
    fn bound(&mut self) {
        let size = |entry: &Watched| line_of(entry).len();
        self.0.retain(|entry| size(entry) <= BYTES_MAX);
        let mut bytes: usize = 0;
        let mut kept = 0;
        for entry in self.0.iter().rev() {
            let size = size(entry).saturating_add(usize::from(kept > 0));
            if kept == COUNT_MAX || bytes.saturating_add(size) > BYTES_MAX {
                break;
            }
            bytes += size;
            kept += 1;
        }
        let dropped = self.0.len() - kept;
        self.0.drain(..dropped);
    }
}

fn line_of(entry: &Watched) -> String {
    format!("{}\t{}\t{}", entry.since_ms, entry.kind, entry.id)
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

/// Whether a watched task stays watched after a list answer said `seen` at `now_ms`.
pub fn keeps_watching(watched: &Watched, seen: Seen, now_ms: i64) -> bool {
    match seen {
        Seen::Unfinished => true,
        Seen::Finished => false,
        Seen::Missing => now_ms.saturating_sub(watched.since_ms) < GRACE_MS,
    }
}

/// The storage key of the tasks watched on `backend_url` (empty: the dashboard's own `origin`).
pub fn storage_key(backend_url: &str, origin: &str) -> String {
    let backend = if backend_url.is_empty() { origin } else { backend_url };
    format!("{KEY_PREFIX}{backend}")
}

/// The browser's store (outside a browser, nothing).
pub mod browser {
    use super::WatchList;

    pub(crate) fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }

    /// The key for the backend in force.
    pub fn key() -> String {
        let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
        super::storage_key(&crate::settings::current().backend_url, &origin)
    }

    pub fn load(key: &str) -> WatchList {
        storage()
            .and_then(|storage| storage.get_item(key).ok().flatten())
            .map(|text| WatchList::parse(&text))
            .unwrap_or_default()
    }

    /// Best effort: a browser refusing storage still watches, for as long as the tab lives.
    pub fn save(key: &str, list: &WatchList) {
        if let Some(storage) = storage() {
            let _ = storage.set_item(key, &list.to_text());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_task_is_watched_once_and_read_back_from_storage() {
        let mut list = WatchList::default();
        list.add("/cdn/stats", "a", 1);
        list.add("/cdn/stats", "a", 2);
        list.add("/cls/exports", "a", 3);
        assert_eq!(list.len(), 2);
        assert_eq!(list.of_kind("/cdn/stats").next().map(|w| w.since_ms), Some(1), "the first watch counts");
        assert!(list.contains("/cls/exports", "a") && !list.contains("/iotda/exports", "a"));
        assert_eq!(WatchList::parse(&list.to_text()), list);
        list.remove("/cdn/stats", "a");
        assert_eq!(list.len(), 1);
    }

    #[test]
    fn the_newest_are_kept_within_the_count_and_the_bytes() {
        let mut list = WatchList::default();
        for i in 0..COUNT_MAX + 5 {
            list.add("/cdn/purge", &i.to_string(), i as i64);
        }
        assert_eq!(list.len(), COUNT_MAX);
        assert_eq!(list.0[0].id, "5", "the oldest went");
        let mut list = WatchList::default();
        for i in 0..40 {
            list.add("/cdn/purge", &format!("{i}{}", "x".repeat(500)), i);
        }
        assert!(list.to_text().len() <= BYTES_MAX, "{}", list.to_text().len());
        assert_eq!(list.0.last().map(|w| w.since_ms), Some(39), "the newest stays");
        let before = list.clone();
        list.add("/cdn/purge", &"y".repeat(BYTES_MAX), 99);
        assert_eq!(list, before, "an entry over the whole budget is not kept and pushes nothing out");
    }

    #[test]
    fn a_corrupted_store_reads_as_empty() {
        for text in ["", "{", "[]", "5\tk", "x\tk\ti", "5\tk\ti\nnot a line", "5\t\ti"] {
            assert!(WatchList::parse(text).is_empty(), "{text:?}");
        }
        assert_eq!(WatchList::parse("5\tk\ti\n6\tk\tj\n").len(), 2);
        let mut list = WatchList::default();
        list.add("k", "a\nb", 1);
        list.add("k", "", 1);
        assert!(list.is_empty(), "an id that cannot be a line is not watched");
    }

    #[test]
    fn a_missing_task_is_given_up_after_the_grace_and_a_finished_one_at_once() {
        let watched = Watched { kind: "k".into(), id: "i".into(), since_ms: 1_000 };
        assert!(keeps_watching(&watched, Seen::Unfinished, i64::MAX));
        assert!(!keeps_watching(&watched, Seen::Finished, 1_000));
        assert!(keeps_watching(&watched, Seen::Missing, 1_000 + GRACE_MS - 1));
        assert!(!keeps_watching(&watched, Seen::Missing, 1_000 + GRACE_MS));
    }

    #[test]
    fn each_backend_has_its_own_store() {
        assert_eq!(storage_key("", "http://localhost:8080"), "export-desk.watched:http://localhost:8080");
        assert_ne!(storage_key("https://a.example.com", "x"), storage_key("https://b.example.com", "x"));
    }
}
