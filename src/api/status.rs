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
}

impl TaskStatus {
    pub fn new(kind: StatusKind, raw: &str) -> Self {
        Self { kind, raw: raw.to_owned() }
    }
}
