//! What this browser keeps per backend in `localStorage`: the CDN statistics requests it sent
//! (`kinds/cdn_stats/remembered.rs`) and the tasks it watches (`watch/store.rs`). Each is one text
//! under a key naming the backend in force (the dashboard's own origin when none is set), so two
//! servers' tasks never mix. Best effort: a browser without storage, or refusing it, keeps
//! nothing and loses only what would have been remembered; what a text says, and its bounds, are
//! its owner's.
//!
//! ```ignore
//! impl Stored for WatchList {
//!     const KEY_PREFIX: &'static str = "export-desk.watched:";
//!     fn parse(text: &str) -> Self { /* … */ }      // what cannot be read reads as nothing kept
//!     fn to_text(&self) -> String { /* … */ }
//! }
//! let key = backend_store::key_of::<WatchList>(); // the backend in force
//! let mut list: WatchList = backend_store::load(&key);
//! backend_store::save(&key, &list);
//! ```

/// The browser's `localStorage`, if it lets this page have one.
pub fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The key of a `prefix` text for `backend_url` (empty: the dashboard's own `origin`).
fn key_for(prefix: &str, backend_url: &str, origin: &str) -> String {
    let backend = if backend_url.is_empty() { origin } else { backend_url };
    format!("{prefix}{backend}")
}

/// The key of a `prefix` text for the backend in force.
fn key(prefix: &str) -> String {
    let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
    key_for(prefix, &crate::settings::current().backend_url, &origin)
}

fn read(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

fn write(key: &str, text: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(key, text);
    }
}

/// A text kept per backend: under which key prefix, and how it is written and read back. Its
/// bounds are its own: `parse` applies them to what is read, and the type's changes keep them.
pub trait Stored: Default {
    /// The key's prefix; the backend's URL follows it.
    const KEY_PREFIX: &'static str;
    /// What a stored text says; a text that cannot be read reads as nothing kept.
    fn parse(text: &str) -> Self;
    /// The text to store.
    fn to_text(&self) -> String;
}

/// The key of `T`'s text for the backend in force.
pub fn key_of<T: Stored>() -> String {
    key(T::KEY_PREFIX)
}

/// What is stored under `key`; nothing there, or nothing readable, reads as nothing kept.
pub fn load<T: Stored>(key: &str) -> T {
    read(key).map(|text| T::parse(&text)).unwrap_or_default()
}

/// Best effort: a browser without storage, or refusing it, loses only what would have been kept.
pub fn save<T: Stored>(key: &str, value: &T) {
    write(key, &value.to_text());
}

/// Keeps the newest of `entries` (the last ones) that fit in `count_max` entries and `bytes_max`
/// bytes of stored text: `frame` bytes around them, each one's `size`, and a byte between two. One
/// that could never fit goes first, so it does not push out the others.
pub fn keep_newest<T>(
    entries: &mut Vec<T>,
    size: impl Fn(&T) -> usize,
    frame: usize,
    count_max: usize,
    bytes_max: usize,
) {
    entries.retain(|entry| size(entry).saturating_add(frame) <= bytes_max);
    let mut bytes = frame;
    let mut kept = 0;
    for entry in entries.iter().rev() {
        let size = size(entry).saturating_add(usize::from(kept > 0));
        if kept == count_max || bytes.saturating_add(size) > bytes_max {
            break;
        }
        bytes += size;
        kept += 1;
    }
    let dropped = entries.len() - kept;
    entries.drain(..dropped);
}

#[cfg(test)]
mod tests {
    use super::{keep_newest, key_for};

    #[test]
    fn the_newest_entries_that_fit_both_bounds_are_kept() {
        let sized = |entries: &[&str]| entries.iter().map(|e| e.len()).sum::<usize>() + entries.len() - 1;
        let mut entries = vec!["aaaa", "bb", "cc", "dd"];
        keep_newest(&mut entries, |e| e.len(), 0, 3, 100);
        assert_eq!(entries, ["bb", "cc", "dd"], "three at most, the newest");
        let mut entries = vec!["aaaa", "bb", "cc", "dd"];
        keep_newest(&mut entries, |e| e.len(), 2, 10, 9);
        assert_eq!(entries, ["cc", "dd"], "a frame of 2 and 2 + 1 + 2 bytes fit in 9; with bb, 10 would not");
        assert_eq!(2 + sized(&entries), 7);
        let mut entries = vec!["bb", "far too long for the bound", "cc"];
        keep_newest(&mut entries, |e| e.len(), 0, 10, 10);
        assert_eq!(entries, ["bb", "cc"], "one that never fits does not push out the rest");
    }

    #[test]
    fn each_backend_has_its_own_key() {
        assert_eq!(
            key_for("export-desk.watched:", "", "http://localhost:8080"),
            "export-desk.watched:http://localhost:8080"
        );
        assert_eq!(key_for("p:", "https://a.example.com", "x"), "p:https://a.example.com");
        assert_ne!(key_for("p:", "https://a.example.com", "x"), key_for("p:", "https://b.example.com", "x"));
    }
}
