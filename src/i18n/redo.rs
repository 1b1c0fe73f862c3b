//! The words of doing a task again: "Create again" (a create form filled from a task, written once
//! for every kind), the refresh/preheat detail's "… the N failed URLs again", and the CDN
//! statistics page's remembered requests. The struct, then English, then Simplified Chinese.

/// Every text of this area in one language.
pub struct Redo {
    /// A task's "Create again" button.
    pub create_again: &'static str,
    /// The same button as a screen reader names it, beside many others: "Create again from task {id}".
    pub create_again_from: fn(&str) -> String,
    /// At the top of a form just filled from a task: "Filled in from task {id}. Check it, then create."
    pub filled_from: fn(&str) -> String,
    /// After that, when the fill replaced a draft the user had typed.
    pub earlier_kept: &'static str,
    /// The button that puts the typed draft back.
    pub restore_typed: &'static str,
    /// Said once the typed draft is back.
    pub restored: &'static str,

    /// The detail's button: refresh (true) or preheat, the number of failed URLs.
    pub redo_failed: fn(bool, u32) -> String,
    /// The same button while it reads the URLs and creates the task.
    pub redoing: fn(bool) -> String,
    /// Before the new task's link: "Created task ".
    pub redone_before: &'static str,
    /// After the link: the number of URLs it holds.
    pub redone_after: fn(usize) -> String,
    /// The failed URLs do not pass the form's checks: above the form's own problems.
    pub redo_refused: &'static str,
    /// The task's pages listed no failed URL after all.
    pub redo_none_found: &'static str,
    /// "Create again" on a refresh/preheat task while its URLs are read.
    pub reading_urls: &'static str,
    /// The detail's "Create again" when the task has URLs the form would refuse or none.
    pub again_unreadable: &'static str,
}

pub const EN: Redo = Redo {
    create_again: "Create again",
    create_again_from: |id| format!("Create again from task {id}"),
    filled_from: |id| format!("Filled in from task {id}. Check it, then create."),
    earlier_kept: "What you had typed before is kept.",
    restore_typed: "Restore what I had typed",
    restored: "What you had typed is back.",
    redo_failed: |refresh, n| {
        let verb = if refresh { "Refresh" } else { "Preheat" };
        match n {
            1 => format!("{verb} the failed URL again"),
            n => format!("{verb} the {n} failed URLs again"),
        }
    },
    redoing: |refresh| {
        if refresh {
            "Refreshing the failed URLs again…".to_owned()
        } else {
            "Preheating the failed URLs again…".to_owned()
        }
    },
    redone_before: "Created task ",
    redone_after: |n| match n {
        1 => " with the failed URL.".to_owned(),
        n => format!(" with the {n} failed URLs."),
    },
    redo_refused: "Nothing was created: the failed URLs do not pass the form's checks.",
    redo_none_found: "Nothing was created: the task lists no failed URL any more.",
    reading_urls: "Reading the task's URLs…",
    again_unreadable: "The task's URLs could not be put in the form: they do not pass its checks.",
};

pub const ZH_CN: Redo = Redo {
    create_again: "再次创建",
    create_again_from: |id| format!("按任务 {id} 再次创建"),
    filled_from: |id| format!("已按任务 {id} 填写表单，请检查后创建。"),
    earlier_kept: "之前输入的内容已保留。",
    restore_typed: "恢复之前输入的内容",
    restored: "之前输入的内容已恢复。",
    redo_failed: |refresh, n| {
        let verb = if refresh { "刷新" } else { "预热" };
        format!("重新{verb}失败的 {n} 个 URL")
    },
    redoing: |refresh| {
        if refresh {
            "正在重新刷新失败的 URL…".to_owned()
        } else {
            "正在重新预热失败的 URL…".to_owned()
        }
    },
    redone_before: "已创建任务 ",
    redone_after: |n| format!("，包含 {n} 个失败的 URL。"),
    redo_refused: "未创建任务：失败的 URL 未通过表单检查。",
    redo_none_found: "未创建任务：该任务已没有失败的 URL。",
    reading_urls: "正在读取任务的 URL…",
    again_unreadable: "无法将任务的 URL 填入表单：未通过表单检查。",
};
