//! The statistics exports this browser asked for. ListExportTasks says nothing of what a task was
//! created with (a name, a status, times) and CreateExportTask answers no id, so "Create again"
//! on a statistics export needs the request the dashboard sent: it is remembered here, in
//! `localStorage`, and tied to the task the page found for it (the newest task it had not seen,
//! which the page highlights).
//!
//! - one store per backend URL (the dashboard's own origin when none is set), so two backends'
//!   requests never mix;
//! - bounded in count ([`COUNT_MAX`]) and in bytes ([`BYTES_MAX`], of the stored text), newest
//!   kept; a request bigger than the whole budget is not remembered;
//! - what cannot be read (edited by hand, another version, another app) is ignored: a corrupted
//!   store reads as empty, and the next write replaces it.

use crate::backend_store::Stored;
use export_desk_model::huawei_cdn::ExportTaskVo;
use serde::{Deserialize, Serialize};

/// The most requests remembered for one backend.
pub const COUNT_MAX: usize = 20;
/// The most bytes the stored text of one backend takes.
pub const BYTES_MAX: usize = 16 * 1024;
const KEY_PREFIX: &str = "export-desk.stats-requests:";

/// One request sent, and the task it made once the page found it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Remembered {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_id: Option<String>,
    pub sent_ms: i64,
    pub request: ExportTaskVo,
}

/// The requests remembered for one backend, oldest first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RememberedRequests(Vec<Remembered>);

impl Stored for RememberedRequests {
    const KEY_PREFIX: &'static str = KEY_PREFIX;

    /// Reads the stored text; a text that does not read as a whole reads as nothing (see the
    /// module's comment). Read as a whole, not entry by entry: a lenient reader costs the bundle
    /// a second JSON deserializer, for a store only this dashboard writes.
    fn parse(text: &str) -> Self {
        let mut read = Self(serde_json::from_str(text).unwrap_or_default());
        read.bound();
        read
    }

    /// The text to store: within [`BYTES_MAX`].
    fn to_text(&self) -> String {
        serde_json::to_string(&self.0).unwrap_or_else(|_| "[]".to_owned())
    }
}

impl RememberedRequests {
    /// A request was sent (and accepted) at `sent_ms`.
    pub fn sent(&mut self, request: ExportTaskVo, sent_ms: i64) {
        self.0.push(Remembered { task_id: None, sent_ms, request });
        self.bound();
    }

    /// The page found `task_id` as the task `request` made: the newest remembered sending of that
    /// request not tied to a task yet is tied to it.
    pub fn found(&mut self, request: &ExportTaskVo, task_id: &str) {
        if self.0.iter().any(|entry| entry.task_id.as_deref() == Some(task_id)) {
            return;
        }
        if let Some(entry) = self.0.iter_mut().rev().find(|entry| entry.task_id.is_none() && entry.request == *request)
        {
            entry.task_id = Some(task_id.to_owned());
        }
        // The id lengthens the entry's text: the bounds hold after it too.
        self.bound();
    }

    /// The request that made `task_id`, if this browser sent it.
    pub fn for_task(&self, task_id: &str) -> Option<&ExportTaskVo> {
        self.0.iter().rev().find(|entry| entry.task_id.as_deref() == Some(task_id)).map(|entry| &entry.request)
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Keeps the newest entries that fit both bounds. One that could never fit is dropped first,
    /// so it does not push out the others.
    fn bound(&mut self) {
        crate::backend_store::keep_newest(
            &mut self.0,
            |entry| serde_json::to_string(entry).map_or(usize::MAX, |text| text.len()),
            2,
            COUNT_MAX,
            BYTES_MAX,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(domain: &str) -> ExportTaskVo {
        ExportTaskVo {
            action: Some("reports_detail".into()),
            domain_name: Some(domain.into()),
            start_time: Some(1_700_000_000_000),
            end_time: Some(1_700_003_600_000),
            stat_type: Some("flux".into()),
            ..ExportTaskVo::default()
        }
    }

    #[test]
    fn a_request_is_tied_to_the_task_found_for_it_and_read_back_from_storage() {
        let mut store = RememberedRequests::default();
        store.sent(request("a.example.com"), 1);
        store.sent(request("b.example.com"), 2);
        store.found(&request("a.example.com"), "task-a");
        assert_eq!(store.for_task("task-a"), Some(&request("a.example.com")));
        assert_eq!(store.for_task("task-b"), None, "not found yet");
        store.found(&request("c.example.com"), "task-c");
        assert_eq!(store.for_task("task-c"), None, "a request never sent is tied to nothing");
        // The same request sent twice: each task gets one sending, the newest first.
        store.sent(request("a.example.com"), 3);
        store.found(&request("a.example.com"), "task-a2");
        store.found(&request("a.example.com"), "task-a2");
        assert_eq!(store.0.iter().filter(|e| e.task_id.as_deref() == Some("task-a2")).count(), 1);
        assert_eq!(store.0.last().unwrap().task_id.as_deref(), Some("task-a2"));
        assert_eq!(RememberedRequests::parse(&store.to_text()), store);
    }

    #[test]
    fn the_newest_are_kept_within_the_count() {
        let mut store = RememberedRequests::default();
        for i in 0..COUNT_MAX + 5 {
            store.sent(request(&format!("d{i}.example.com")), i as i64);
        }
        assert_eq!(store.len(), COUNT_MAX);
        assert_eq!(store.0[0].sent_ms, 5, "the oldest went");
        assert_eq!(store.0.last().unwrap().sent_ms, (COUNT_MAX + 4) as i64);
    }

    #[test]
    fn the_newest_are_kept_within_the_bytes_and_a_request_bigger_than_them_is_not_kept() {
        let mut store = RememberedRequests::default();
        let long = |n: usize, i: usize| (0..n).map(|j| format!("d{i}x{j}.example.com")).collect::<Vec<_>>().join(",");
        for i in 0..10 {
            store.sent(request(&long(100, i)), i as i64);
        }
        assert!(store.to_text().len() <= BYTES_MAX, "{}", store.to_text().len());
        assert!(store.len() < 10 && !store.is_empty());
        assert_eq!(store.0.last().unwrap().sent_ms, 9, "the newest stays");
        let before = store.clone();
        store.sent(request(&long(2000, 99)), 100);
        assert_eq!(store, before, "a request over the whole budget is not kept, and pushes nothing out");
        store.sent(request("a.example.com"), 101);
        assert_eq!(store.0.last().unwrap().sent_ms, 101);
    }

    #[test]
    fn a_corrupted_store_reads_as_empty() {
        let good = serde_json::to_string(&Remembered { task_id: None, sent_ms: 7, request: request("a.example.com") });
        let good = good.unwrap();
        for text in ["", "null", "{", "{\"a\":1}", "[1,2", "\u{0}", &format!("[42, {good}]"), &format!("[{good}")] {
            assert!(RememberedRequests::parse(text).is_empty(), "{text:?}");
        }
        let read = RememberedRequests::parse(&format!("[{good}]"));
        assert_eq!(read.len(), 1);
        assert_eq!(read.0[0].sent_ms, 7);
        // Too many entries written by hand are bounded as they are read.
        let many = format!("[{}]", vec![serde_json::to_string(&read.0[0]).unwrap(); COUNT_MAX * 2].join(","));
        assert_eq!(RememberedRequests::parse(&many).len(), COUNT_MAX);
    }
}
