//! The words of what went wrong and where a task is: how the one error view words each kind of
//! failed call, and the one-word statuses with their notes. A provider's own code and message,
//! and a browser's own error text, are shown as they came. The struct, then English, then
//! Simplified Chinese.

/// Every text of this area in one language.
pub struct Errors {
    /// A provider's refusal that came with HTTP 200 (Tencent's way), where the status says nothing.
    pub refused: &'static str,
    /// "The cloud API refused the request (HTTP {status})".
    pub refused_http: fn(u16) -> String,
    /// An error status without a provider's envelope: "The server answered HTTP {status}".
    pub server_answered: fn(u16) -> String,
    /// What stands for a body that was empty.
    pub empty_body: &'static str,
    pub unreachable: &'static str,
    /// The browser's own reason, then the question: "{reason}. Is it running?".
    pub is_it_running: fn(&str) -> String,
    pub not_understood: &'static str,
    /// A page the dashboard would not fetch.
    pub page_not_asked: &'static str,
    /// Why the refresh/preheat list of both file types stops at task {max}.
    pub merged_list_too_deep: fn(u64) -> String,
    /// A call the dashboard would not send, made outside the app.
    pub call_not_sent: &'static str,
    /// A downloaded file the browser would not save; the browser's step follows.
    pub not_saved: &'static str,
    pub outside_the_app: &'static str,
    /// Before the request id to quote to support.
    pub request_id: &'static str,
    pub retry: &'static str,

    pub queued: &'static str,
    pub running: &'static str,
    pub succeeded: &'static str,
    pub failed: &'static str,
    pub expired: &'static str,
    /// A status word the provider's documentation does not list (the word, as it came).
    pub status_unlisted: fn(&str) -> String,
    /// A finished task whose URLs partly failed: "Finished, but {n} URL(s) failed; …".
    pub urls_failed: fn(u32) -> String,
    /// A badge's note as a screen reader hears it after the word: ": {note}".
    pub after_status: fn(&str) -> String,
}

pub const EN: Errors = Errors {
    refused: "The cloud API refused the request",
    refused_http: |status| format!("The cloud API refused the request (HTTP {status})"),
    server_answered: |status| format!("The server answered HTTP {status}"),
    empty_body: "(empty body)",
    unreachable: "The server could not be reached",
    is_it_running: |reason| format!("{reason}. Is it running?"),
    not_understood: "The server's answer was not understood",
    page_not_asked: "The dashboard did not ask for this page",
    merged_list_too_deep: |max| {
        format!(
            "files and directories are listed together only up to task {max} (the API lists them apart, so a \
             deeper page would mean fetching both lists up to it); choose Files or Directories under File type \
             to go further"
        )
    },
    call_not_sent: "The call was not sent",
    not_saved: "The browser could not save the file",
    outside_the_app: "it was made outside the dashboard",
    request_id: "Request id: ",
    retry: "Retry",

    queued: "Queued",
    running: "Running",
    succeeded: "Succeeded",
    failed: "Failed",
    expired: "Expired",
    status_unlisted: |raw| {
        format!("The cloud says “{raw}”, a status its documentation does not list; the page keeps checking.")
    },
    urls_failed: |failed| {
        format!("Finished, but {failed} URL{} failed; the task's page says why.", if failed == 1 { "" } else { "s" })
    },
    after_status: |note| format!(": {note}"),
};

pub const ZH_CN: Errors = Errors {
    refused: "云 API 拒绝了请求",
    refused_http: |status| format!("云 API 拒绝了请求（HTTP {status}）"),
    server_answered: |status| format!("服务器返回 HTTP {status}"),
    empty_body: "（响应体为空）",
    unreachable: "无法连接服务器",
    is_it_running: |reason| format!("{reason}。服务器是否在运行？"),
    not_understood: "无法识别服务器的响应",
    page_not_asked: "控制台未请求此页",
    merged_list_too_deep: |max| {
        format!(
            "文件和目录合并列出时最多只到第 {max} 条任务（API 分开列出二者，更靠后的页需要把两个列表都取到该处）；\
             如需继续查看，请在“文件类型”中选择“文件”或“目录”。"
        )
    },
    call_not_sent: "请求未发送",
    not_saved: "浏览器未能保存文件",
    outside_the_app: "该请求是在控制台之外发起的",
    request_id: "请求 ID：",
    retry: "重试",

    queued: "排队中",
    running: "处理中",
    succeeded: "成功",
    failed: "失败",
    expired: "已过期",
    status_unlisted: |raw| format!("云服务返回的状态“{raw}”不在其文档之列；页面会继续检查。"),
    urls_failed: |failed| format!("已完成，但有 {failed} 个 URL 失败；任务详情页说明了原因。"),
    after_status: |note| format!("：{note}"),
};
