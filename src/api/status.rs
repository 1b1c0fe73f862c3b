//! One status model for every provider's tasks: each client maps its raw values onto
//! [`StatusKind`], and the raw value is kept so the badge can show what the cloud said.

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

    pub fn label(self) -> &'static str {
        match self {
            StatusKind::Queued => "Queued",
            StatusKind::Running => "Running",
            StatusKind::Succeeded => "Succeeded",
            StatusKind::Failed => "Failed",
            StatusKind::Expired => "Expired",
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
    pub note: Option<String>,
}

impl TaskStatus {
    pub fn new(kind: StatusKind, raw: &str) -> Self {
        Self { kind, raw: raw.to_owned(), note: None }
    }

    /// A word the provider's documentation does not list: taken as running, which keeps the page
    /// checking rather than giving up on the task; the note says what the provider said.
    pub fn unknown(raw: &str) -> Self {
        let note =
            format!("The cloud says “{raw}”, a status its documentation does not list; the page keeps checking.");
        Self { note: Some(note), ..Self::new(StatusKind::Running, raw) }
    }

    pub fn with_note(self, note: String) -> Self {
        Self { note: Some(note), ..self }
    }
}
