//! The words of actions on several rows at once: the row checkboxes, the bar over the table, its
//! confirmation, progress, queue and the outcome of each row: the struct, then English, then
//! Simplified Chinese. `thing` is a kind's word for one row ("export", "任务").

/// Every text of this area in one language.
pub struct Bulk {
    /// A row's checkbox: "Select {thing} {id}".
    pub select_row: fn(&str, &str) -> String,
    pub select_page: &'static str,
    /// "{n} selected".
    pub selected: fn(usize) -> String,
    pub bar_label: &'static str,
    pub delete: &'static str,
    pub download: &'static str,
    pub clear: &'static str,
    /// The one confirmation: "Delete {n} {thing}s?".
    pub delete_question: fn(usize, &str) -> String,
    /// The ids asked about, bounded: the first ids, and how many more.
    pub ids_more: fn(&str, usize) -> String,
    /// "Yes, delete {n}".
    pub yes_delete: fn(usize) -> String,
    /// "{n} of the selected have no file yet and will be skipped."
    pub download_skips: fn(usize) -> String,
    pub progress_label: &'static str,
    /// "{done} of {total}".
    pub progress: fn(usize, usize) -> String,
    pub cancel: &'static str,
    /// The provider's one-download-at-a-time rule: "Next download in {secs} s".
    pub next_download: fn(u32) -> String,
    /// A refusal for asking too fast, waited out: "… going on in {secs} s."
    pub slowed: fn(u32) -> String,
    pub queue_note: &'static str,
    /// Why a file may not arrive: browsers ask before a site saves several files.
    pub browser_note: &'static str,
    pub outcome_label: &'static str,
    pub deleted: &'static str,
    pub download_started: &'static str,
    pub failed: &'static str,
    pub skipped: &'static str,
    pub not_done: &'static str,
    /// Cancelled while its call was under way.
    pub interrupted: &'static str,
    /// The end: done, failed, skipped, not done (cancelled), and whether it was cancelled.
    pub summary: fn(usize, usize, usize, usize, bool) -> String,
}

pub const EN: Bulk = Bulk {
    select_row: |thing, id| format!("Select {thing} {id}"),
    select_page: "Select all on this page",
    selected: |n| format!("{n} selected"),
    bar_label: "Actions on the selected rows",
    delete: "Delete",
    download: "Download",
    clear: "Clear selection",
    delete_question: |n, thing| if n == 1 { format!("Delete 1 {thing}?") } else { format!("Delete {n} {thing}s?") },
    ids_more: |ids, more| if more == 0 { ids.to_owned() } else { format!("{ids} and {more} more") },
    yes_delete: |n| format!("Yes, delete {n}"),
    download_skips: |n| format!("{n} of the selected have no file to download and will be skipped."),
    progress_label: "Progress of the action on the selected rows",
    progress: |done, total| format!("{done} of {total}"),
    cancel: "Cancel",
    next_download: |secs| format!("Next download in {secs} s"),
    slowed: |secs| format!("The provider asks to slow down: going on in {secs} s."),
    queue_note: "IoTDA serves one download every 30 s: the files download one after another.",
    browser_note:
        "Your browser may ask whether this site may download several files: allow it, or use the links below.",
    outcome_label: "Outcome per row",
    deleted: "Deleted",
    download_started: "Download started",
    failed: "Failed:",
    skipped: "Skipped: no file to download",
    not_done: "Not done: cancelled",
    interrupted: "Cancelled while its call was under way: the list shows whether it was done",
    summary: |done, failed, skipped, not_done, cancelled| {
        let mut parts = vec![format!("{done} done")];
        if failed > 0 {
            parts.push(format!("{failed} failed"));
        }
        if skipped > 0 {
            parts.push(format!("{skipped} skipped"));
        }
        if not_done > 0 {
            parts.push(format!("{not_done} not done"));
        }
        format!("{}: {}.", if cancelled { "Cancelled" } else { "Finished" }, parts.join(", "))
    },
};

pub const ZH_CN: Bulk = Bulk {
    select_row: |thing, id| format!("选择{thing} {id}"),
    select_page: "全选本页",
    selected: |n| format!("已选择 {n} 项"),
    bar_label: "对所选行的操作",
    delete: "删除",
    download: "下载",
    clear: "清除选择",
    delete_question: |n, thing| format!("删除 {n} 个{thing}？"),
    ids_more: |ids, more| if more == 0 { ids.to_owned() } else { format!("{ids} 等另外 {more} 项") },
    yes_delete: |n| format!("确定删除 {n} 项"),
    download_skips: |n| format!("所选项中有 {n} 项没有可下载的文件，将被跳过。"),
    progress_label: "对所选行操作的进度",
    progress: |done, total| format!("已处理 {done} 项，共 {total} 项"),
    cancel: "取消",
    next_download: |secs| format!("{secs} 秒后开始下一个下载"),
    slowed: |secs| format!("云服务要求降低请求频率：{secs} 秒后继续。"),
    queue_note: "IoTDA 每 30 秒只允许下载一次：文件将依次下载。",
    browser_note: "浏览器可能会询问是否允许此网站下载多个文件：请允许，或使用下方的链接。",
    outcome_label: "每行的结果",
    deleted: "已删除",
    download_started: "已开始下载",
    failed: "失败：",
    skipped: "已跳过：没有可下载的文件",
    not_done: "未执行：已取消",
    interrupted: "调用进行中时已取消：是否已完成请以列表为准",
    summary: |done, failed, skipped, not_done, cancelled| {
        let mut parts = vec![format!("{done} 项成功")];
        if failed > 0 {
            parts.push(format!("{failed} 项失败"));
        }
        if skipped > 0 {
            parts.push(format!("{skipped} 项已跳过"));
        }
        if not_done > 0 {
            parts.push(format!("{not_done} 项未执行"));
        }
        format!("{}：{}。", if cancelled { "已取消" } else { "已完成" }, parts.join("，"))
    },
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_naturally_in_both_languages() {
        assert_eq!((EN.delete_question)(1, "export"), "Delete 1 export?");
        assert_eq!((EN.delete_question)(3, "task"), "Delete 3 tasks?");
        assert_eq!((ZH_CN.delete_question)(3, "任务"), "删除 3 个任务？");
        assert_eq!((EN.summary)(5, 1, 1, 0, false), "Finished: 5 done, 1 failed, 1 skipped.");
        assert_eq!((EN.summary)(2, 0, 0, 5, true), "Cancelled: 2 done, 5 not done.");
        assert_eq!((ZH_CN.summary)(5, 1, 0, 0, false), "已完成：5 项成功，1 项失败。");
        assert_eq!((EN.ids_more)("a, b", 3), "a, b and 3 more");
    }
}
