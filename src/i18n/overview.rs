//! The words of the Overview: the struct, then English, then Simplified Chinese.

/// Every text of this area in one language.
pub struct Overview {
    pub title: &'static str,
    pub intro: &'static str,
    pub heading: &'static str,
    pub loading: &'static str,
    pub empty: &'static str,
    pub caption: &'static str,
    /// "{kind title} could not be listed."
    pub not_listed: fn(&str) -> String,
    /// "{kind title} are not offered: {reason}."
    pub not_offered: fn(&str, &str) -> String,
    pub column_kind: &'static str,
    pub column_task: &'static str,
    pub column_status: &'static str,
    pub column_created: &'static str,
}

pub const EN: Overview = Overview {
    title: "Overview",
    intro: "Every task still running, and every task that failed in the last 24 hours, of all kinds.",
    heading: "Tasks that need a look",
    loading: "Loading tasks of every kind…",
    empty: "Nothing is running, and nothing failed in the last 24 hours.",
    caption: "Unfinished and recently failed tasks of every kind, newest first",
    not_listed: |kind| format!("{kind} could not be listed."),
    not_offered: |kind, reason| format!("{kind} are not offered: {reason}."),
    column_kind: "Kind",
    column_task: "Task",
    column_status: "Status",
    column_created: "Created",
};

pub const ZH_CN: Overview = Overview {
    title: "总览",
    intro: "所有类型中仍在运行的任务，以及最近 24 小时内失败的任务。",
    heading: "需要关注的任务",
    loading: "正在加载所有类型的任务…",
    empty: "没有正在运行的任务，最近 24 小时内也没有失败的任务。",
    caption: "所有类型中未完成和最近失败的任务，最新的在前",
    not_listed: |kind| format!("无法列出{kind}任务。"),
    not_offered: |kind, reason| format!("不提供{kind}：{reason}。"),
    column_kind: "类型",
    column_task: "任务",
    column_status: "状态",
    column_created: "创建时间",
};
