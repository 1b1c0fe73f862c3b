//! One status model for every provider's tasks: each client maps its raw values onto
//! [`StatusKind`], and the raw value is kept so the badge can show what the cloud said.

use crate::i18n::Errors;

/// Where a task is in its life, whatever the provider calls it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatusKind {
    /// Accepted, not started (Tencent `Queuing`, Huawei `waiting`).
    Queued,
    Running,
    Succeeded,
    Failed,
    /// Finished, but the result is gone (Tencent `Expired`).
    Expired,
}

impl StatusKind {
    /// Whether the task can still change, which is what keeps a page refreshing.
    pub fn is_unfinished(self) -> bool {
        matches!(self, StatusKind::Queued | StatusKind::Running)
    }

    /// Stable name for CSS classes and tests.
    pub fn as_str(self) -> &'static str {
        match self {
            StatusKind::Queued => "queued",
            StatusKind::Running => "running",
            StatusKind::Succeeded => "succeeded",
            StatusKind::Failed => "failed",
            StatusKind::Expired => "expired",
        }
    }

    /// Its one word in the reader's language.
    pub fn label(self, t: &Errors) -> &'static str {
        match self {
            StatusKind::Queued => t.queued,
            StatusKind::Running => t.running,
            StatusKind::Succeeded => t.succeeded,
            StatusKind::Failed => t.failed,
            StatusKind::Expired => t.expired,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TaskStatus {
    pub kind: StatusKind,
    /// The provider's own word for it (`success`, `Processing`, `task_done` …).
    pub raw: String,
    /// What the one-word label leaves out, only where the provider's word says more than it (a
    /// done task whose URLs partly failed, a status the documentation does not list): the
    /// badge's tooltip. `None` where the word is the label's synonym (`success`, `fail`).
    pub note: Option<StatusNote>,
}

/// What a status's one word leaves out, worded in the reader's language when shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatusNote {
    /// The provider's word is not one its documentation lists (the word is the status's `raw`).
    Unlisted,
    /// Done to the cloud, but this many of the task's URLs failed.
    UrlsFailed(u32),
}

impl TaskStatus {
    pub fn new(kind: StatusKind, raw: &str) -> Self {
        Self { kind, raw: raw.to_owned(), note: None }
    }

    /// A word the provider's documentation does not list: taken as running, which keeps the page
    /// checking rather than giving up on the task; the note says what the provider said.
    pub fn unknown(raw: &str) -> Self {
        Self::new(StatusKind::Running, raw).with_note(StatusNote::Unlisted)
    }

    pub fn with_note(self, note: StatusNote) -> Self {
        Self { note: Some(note), ..self }
    }

    /// The note in the reader's language, if there is one.
    pub fn note_text(&self, t: &Errors) -> Option<String> {
        self.note.map(|note| match note {
            StatusNote::Unlisted => (t.status_unlisted)(&self.raw),
            StatusNote::UrlsFailed(failed) => (t.urls_failed)(failed),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{EN, ZH_CN};

    #[test]
    fn notes_are_worded_in_the_readers_language() {
        let unknown = TaskStatus::unknown("task_paused");
        assert_eq!(unknown.kind.label(&EN.errors), "Running");
        assert_eq!(unknown.kind.label(&ZH_CN.errors), "处理中");
        assert!(unknown.note_text(&EN.errors).is_some_and(|note| note.contains("“task_paused”")));
        assert_eq!(
            unknown.note_text(&ZH_CN.errors).as_deref(),
            Some("云服务返回的状态“task_paused”不在其文档之列；页面会继续检查。")
        );
        let partly = TaskStatus::new(StatusKind::Failed, "task_done").with_note(StatusNote::UrlsFailed(2));
        assert_eq!(
            partly.note_text(&EN.errors).as_deref(),
            Some("Finished, but 2 URLs failed; the task's page says why.")
        );
        assert_eq!(
            partly.note_text(&ZH_CN.errors).as_deref(),
            Some("已完成，但有 2 个 URL 失败；任务详情页说明了原因。")
        );
        assert_eq!(TaskStatus::new(StatusKind::Succeeded, "success").note_text(&EN.errors), None);
    }
}
