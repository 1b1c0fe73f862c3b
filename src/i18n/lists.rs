//! The words of the task-list machinery every page shares: the list's states, the filter bar, the
//! pager, the refresh line, and a row's delete with its confirmation. The struct, then English,
//! then Simplified Chinese.

/// Every text of this area in one language.
pub struct Lists {
    /// The empty state's way out when the filters match nothing.
    pub clear_filters: &'static str,
    /// A filter bar's button that takes every filter away, unless the kind names it otherwise.
    pub clear: &'static str,
    /// A page past the end of a list that got shorter.
    pub past_the_end: &'static str,
    pub go_to_first_page: &'static str,

    /// The pager's accessible name.
    pub pages: &'static str,
    pub first_page: &'static str,
    pub previous_page: &'static str,
    pub next_page: &'static str,
    pub last_page: &'static str,
    /// The text of the "previous page" button (its accessible name is `previous_page`).
    pub previous: &'static str,
    pub next: &'static str,
    /// The page-size choice's label; the select follows it.
    pub rows_per_page: &'static str,
    /// The range of an empty list: "0 of 0".
    pub range_empty: &'static str,
    /// A page past the end of `total` rows: "none of 95".
    pub range_none_of: fn(u64) -> String,
    /// A page without rows, the total unknown: "none".
    pub range_none: &'static str,
    /// "21–30 of 95" (first, last, total).
    pub range_of: fn(u64, u64, u64) -> String,
    /// "21–30", the total unknown.
    pub range: fn(u64, u64) -> String,
    /// "page 3 of 10".
    pub page_of: fn(u64, u64) -> String,
    /// "page 2", the number of pages unknown.
    pub page: fn(u64) -> String,

    /// "Updated {time}", the time of the last load with its zone.
    pub updated: fn(&str) -> String,
    pub paused_while_hidden: &'static str,
    pub refreshing_now: &'static str,
    pub not_refreshing: &'static str,
    /// "refreshing in {secs} s while tasks run".
    pub refreshing_in: fn(u32) -> String,
    /// "{failures} failed load(s), retrying in {secs} s".
    pub retrying_in: fn(u32, u32) -> String,
    pub all_finished: &'static str,
    pub refresh: &'static str,

    /// A row's delete button.
    pub delete: &'static str,
    /// The delete button's accessible name: "Delete {thing} {id}".
    pub delete_named: fn(&str, &str) -> String,
    pub yes_delete: &'static str,
    pub deleting: &'static str,
    /// The status line after a delete: "{Thing} {id} deleted."
    pub deleted: fn(&str, &str) -> String,
    /// The confirmation's way back.
    pub cancel: &'static str,
}

pub const EN: Lists = Lists {
    clear_filters: "Clear filters",
    clear: "Clear",
    past_the_end: "Nothing on this page: the list is shorter now.",
    go_to_first_page: "Go to the first page",

    pages: "Pages",
    first_page: "First page",
    previous_page: "Previous page",
    next_page: "Next page",
    last_page: "Last page",
    previous: "‹ Previous",
    next: "Next ›",
    rows_per_page: "Rows per page ",
    range_empty: "0 of 0",
    range_none_of: |total| format!("none of {total}"),
    range_none: "none",
    range_of: |first, last, total| format!("{first}–{last} of {total}"),
    range: |first, last| format!("{first}–{last}"),
    page_of: |page, pages| format!("page {page} of {pages}"),
    page: |page| format!("page {page}"),

    updated: |time| format!("Updated {time}"),
    paused_while_hidden: "auto-refresh paused while the tab is hidden",
    refreshing_now: "refreshing…",
    not_refreshing: "not refreshing: retrying cannot help",
    refreshing_in: |secs| format!("refreshing in {secs} s while tasks run"),
    retrying_in: |failures, secs| format!("{failures} failed load(s), retrying in {secs} s"),
    all_finished: "all tasks finished",
    refresh: "Refresh",

    delete: "Delete",
    delete_named: |thing, id| format!("Delete {thing} {id}"),
    yes_delete: "Yes, delete",
    deleting: "Deleting…",
    deleted: |thing, id| format!("{} {id} deleted.", capitalised(thing)),
    cancel: "Cancel",
};

pub const ZH_CN: Lists = Lists {
    clear_filters: "清除筛选",
    clear: "清除",
    past_the_end: "此页没有内容：列表已变短。",
    go_to_first_page: "回到第一页",

    pages: "分页",
    first_page: "首页",
    previous_page: "上一页",
    next_page: "下一页",
    last_page: "末页",
    previous: "‹ 上一页",
    next: "下一页 ›",
    rows_per_page: "每页条数 ",
    range_empty: "共 0 条",
    range_none_of: |total| format!("无（共 {total} 条）"),
    range_none: "无",
    range_of: |first, last, total| format!("第 {first}–{last} 条，共 {total} 条"),
    range: |first, last| format!("第 {first}–{last} 条"),
    page_of: |page, pages| format!("第 {page}/{pages} 页"),
    page: |page| format!("第 {page} 页"),

    updated: |time| format!("更新于 {time}"),
    paused_while_hidden: "标签页在后台，自动刷新已暂停",
    refreshing_now: "正在刷新…",
    not_refreshing: "已停止刷新：重试无济于事",
    refreshing_in: |secs| format!("任务运行中，{secs} 秒后刷新"),
    retrying_in: |failures, secs| format!("加载失败 {failures} 次，{secs} 秒后重试"),
    all_finished: "所有任务已结束",
    refresh: "刷新",

    delete: "删除",
    delete_named: |thing, id| format!("删除{thing} {id}"),
    yes_delete: "确认删除",
    deleting: "正在删除…",
    deleted: |thing, id| format!("已删除{thing} {id}。"),
    cancel: "取消",
};

/// "export" → "Export". ASCII only: Unicode's case tables would cost the bundle kilobytes for
/// words that are English.
fn capitalised(word: &str) -> String {
    let (first, rest) = word.split_at(word.chars().next().map_or(0, char::len_utf8));
    format!("{}{rest}", first.to_ascii_uppercase())
}
