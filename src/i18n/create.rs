//! The words every create form ends with: its Close button, the pending submit, and the request
//! preview. The struct, then English, then Simplified Chinese.

/// Every text of this area in one language.
pub struct Create {
    pub close: &'static str,
    /// The submit button while the create is on its way.
    pub creating: &'static str,
    /// The preview's disclosure.
    pub show_request: &'static str,
    pub copy_as_curl: &'static str,
    pub copied: &'static str,
    /// "Could not copy: {why}".
    pub copy_failed: fn(&str) -> String,
    /// Why nothing could be copied, when the page has no clipboard.
    pub no_clipboard: &'static str,
    /// Why nothing could be copied, when the browser gave no reason.
    pub browser_refused: &'static str,
    /// Above the problems of a form that cannot be sent yet.
    pub nothing_sent_yet: &'static str,
    /// Stands for the access token's value, which the preview never shows.
    pub token_not_shown: &'static str,
}

pub const EN: Create = Create {
    close: "Close",
    creating: "Creating…",
    show_request: "Show the request",
    copy_as_curl: "Copy as curl",
    copied: "Copied",
    copy_failed: |why| format!("Could not copy: {why}"),
    no_clipboard: "this browser offers no clipboard here (it needs HTTPS or localhost)",
    browser_refused: "the browser refused",
    nothing_sent_yet: "Nothing would be sent yet; the form has these problems:",
    token_not_shown: "(the access token from Settings, not shown)",
};

pub const ZH_CN: Create = Create {
    close: "关闭",
    creating: "正在创建…",
    show_request: "查看请求",
    copy_as_curl: "复制为 curl 命令",
    copied: "已复制",
    copy_failed: |why| format!("无法复制：{why}"),
    no_clipboard: "此浏览器在这里不提供剪贴板（需要 HTTPS 或 localhost）",
    browser_refused: "浏览器拒绝了操作",
    nothing_sent_yet: "暂时不会发送任何请求，表单有以下问题：",
    token_not_shown: "（设置中的访问令牌，不显示）",
};
