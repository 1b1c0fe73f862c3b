//! [`Watched`]: one task the browser watches, the record the watch keeps (`watch::store`) and the
//! registry's watch loaders read (`KindEntry::watch`). It sits apart from both, so the kinds read
//! what the watch keeps without importing the watch, which imports the registry.
//!
//! ```ignore
//! // A kind's watch loader asks what its watched tasks need beyond their ids:
//! let since = watched.iter().map(|task| task.since_ms).min();
//! let topics: Vec<&str> = watched.iter().map(|task| task.scope.as_str()).collect();
//! ```

/// One watched task: its kind (the kind's page, as the registry names it) and id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Watched {
    pub kind: String,
    pub id: String,
    /// When it was first watched (browser clock, ms).
    pub since_ms: i64,
    /// When a list answer last held it unfinished (browser clock, ms; at most [`SEEN_EVERY_MS`](crate::watch::store::SEEN_EVERY_MS)
    /// stale), for [`GRACE_MS`](crate::watch::store::GRACE_MS); `since_ms` until then.
    pub last_seen_ms: i64,
    /// What the kind needs to find the task again, beyond its id (the kind's `watch` loader reads
    /// it: a CLS export's topic, a refresh task's creation time); empty when nothing.
    pub scope: String,
}
