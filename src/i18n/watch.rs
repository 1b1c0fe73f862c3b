//! The words of watching tasks: the notices of a watched task that finished, the header's
//! running-tasks indicator, the Watch toggle and the browser notifications' setting. The struct,
//! then English, then Simplified Chinese.

/// Every text of this area in one language.
pub struct Watch {
    /// The header's indicator: "2 running".
    pub running: fn(usize) -> String,
    /// The indicator as a screen reader names it (it links to the Overview): starts with what it shows.
    pub running_label: fn(usize) -> String,
    /// The notices' region, as a screen reader names it.
    pub notices_label: &'static str,
    /// A watched task succeeded: its kind ("CDN statistics export") and how the Overview names it.
    pub succeeded: fn(&str, &str) -> String,
    /// A watched task failed: its kind and name.
    pub failed: fn(&str, &str) -> String,
    /// A watched task ended neither succeeded nor failed (a CLS export expired: its file is gone).
    pub expired: fn(&str, &str) -> String,
    /// A notice's link to the task on its page.
    pub open_task: &'static str,
    pub dismiss: &'static str,
    /// The Dismiss button as a screen reader names it, beside others: the task's name.
    pub dismiss_label: fn(&str) -> String,
    /// Older notices folded into one line: how many.
    pub earlier: fn(usize) -> String,
    pub dismiss_all: &'static str,
    /// The Overview's column of Watch toggles.
    pub column_watch: &'static str,
    pub watch: &'static str,
    pub stop_watching: &'static str,
    /// The toggles as a screen reader names them, beside others: the task's id.
    pub watch_task: fn(&str) -> String,
    pub stop_watching_task: fn(&str) -> String,
    /// Settings: the section's heading and what it does.
    pub browser_heading: &'static str,
    pub browser_intro: &'static str,
    /// The button that asks the browser for permission (only on a click, never on load).
    pub browser_enable: &'static str,
    pub browser_disable: &'static str,
    pub browser_on: &'static str,
    pub browser_off: &'static str,
    /// While the browser's own question is open.
    pub browser_asking: &'static str,
    /// The browser (or the user, in it) refused permission.
    pub browser_denied: &'static str,
    pub browser_unsupported: &'static str,
    /// A browser notification's body, under the notice's sentence as its title.
    pub browser_body: &'static str,
}

pub const EN: Watch = Watch {
    running: |n| format!("{n} running"),
    running_label: |n| format!("{n} running: watched tasks not finished yet. Open the Overview"),
    notices_label: "Notices about watched tasks",
    succeeded: |kind, name| format!("{kind} “{name}” succeeded."),
    failed: |kind, name| format!("{kind} “{name}” failed."),
    expired: |kind, name| format!("{kind} “{name}” expired: its file is no longer kept."),
    open_task: "Open the task",
    dismiss: "Dismiss",
    dismiss_label: |name| format!("Dismiss the notice about “{name}”"),
    earlier: |n| match n {
        1 => "1 earlier notice".to_owned(),
        n => format!("{n} earlier notices"),
    },
    dismiss_all: "Dismiss all",
    column_watch: "Notify",
    watch: "Watch",
    stop_watching: "Stop watching",
    watch_task: |id| format!("Watch task {id}"),
    stop_watching_task: |id| format!("Stop watching task {id}"),
    browser_heading: "Browser notifications",
    browser_intro: "A task you created here, or chose to watch on the Overview, raises a notice on every page when it succeeds or fails. With browser notifications on, it also raises one while this tab is in the background, and the dashboard checks watched tasks every 45 seconds while the tab is hidden.",
    browser_enable: "Notify me in the browser",
    browser_disable: "Turn off browser notifications",
    browser_on: "Browser notifications are on in this browser.",
    browser_off: "Browser notifications are off: notices show only in this tab.",
    browser_asking: "Waiting for your answer in the browser…",
    browser_denied: "The browser blocks notifications from this site. Allow them in the site's settings (the icon left of the address), then try again.",
    browser_unsupported: "This browser does not offer notifications.",
    browser_body: "Open Export Desk to see it.",
};

pub const ZH_CN: Watch = Watch {
    running: |n| format!("{n} 个运行中"),
    running_label: |n| format!("{n} 个运行中：关注的任务尚未完成。打开总览"),
    notices_label: "关注任务的通知",
    succeeded: |kind, name| format!("{kind}任务“{name}”已成功。"),
    failed: |kind, name| format!("{kind}任务“{name}”已失败。"),
    expired: |kind, name| format!("{kind}任务“{name}”已过期，文件已不再保留。"),
    open_task: "查看任务",
    dismiss: "关闭",
    dismiss_label: |name| format!("关闭关于“{name}”的通知"),
    earlier: |n| format!("另有 {n} 条较早的通知"),
    dismiss_all: "全部关闭",
    column_watch: "通知",
    watch: "关注",
    stop_watching: "取消关注",
    watch_task: |id| format!("关注任务 {id}"),
    stop_watching_task: |id| format!("取消关注任务 {id}"),
    browser_heading: "浏览器通知",
    browser_intro: "在这里创建的任务，或在总览中关注的任务，成功或失败时会在每个页面上显示通知。开启浏览器通知后，此标签页在后台时也会弹出通知，并且标签页隐藏期间每 45 秒检查一次关注的任务。",
    browser_enable: "在浏览器中通知我",
    browser_disable: "关闭浏览器通知",
    browser_on: "此浏览器已开启浏览器通知。",
    browser_off: "浏览器通知已关闭：通知只显示在此标签页中。",
    browser_asking: "正在等待您在浏览器中确认…",
    browser_denied: "浏览器已阻止此网站发送通知。请在网站设置（地址栏左侧的图标）中允许通知，然后重试。",
    browser_unsupported: "此浏览器不支持通知。",
    browser_body: "打开 Export Desk 查看。",
};
