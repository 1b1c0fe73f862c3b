//! The words of the header and of what every page shares (tables, pager, forms, errors, times,
//! the task-page machinery): the struct, then English, then Simplified Chinese.

/// Every text of this area in one language.
pub struct Common {
    pub skip_to_content: &'static str,
    pub brand: &'static str,
    /// The nav's accessible name.
    pub nav_label: &'static str,
    pub settings_link: &'static str,
    /// A nav link's tooltip when the server does not serve the kind: the reason follows.
    pub not_offered: fn(&str) -> String,
    pub language_label: &'static str,
    /// Why the language switch is off for a moment.
    pub language_wait: &'static str,
    pub server_mock: &'static str,
    pub server_proxy: &'static str,
    pub server_unreachable: &'static str,
    /// The server badge's tooltip, with the server's version.
    pub server_version: fn(&str) -> String,
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub not_found_link: &'static str,
    /// A cloud the server does not offer, when the server gives no reason.
    pub switched_off: &'static str,
    pub loading_server_settings: &'static str,
    /// "{cloud} is not offered by this Export Desk server."
    pub provider_off: fn(&str) -> String,
    /// The server's own reason, quoted.
    pub server_says: fn(&str) -> String,
    pub provider_keys_where: &'static str,
    /// "{kind title} are not available on this server: {why}."
    pub kind_unavailable: fn(&str, &str) -> String,
    /// A finished task's download button, unless the kind names it otherwise.
    pub download: &'static str,
    /// The notice of a public demo.
    pub demo_public: &'static str,
    /// The notice of a mock that resets itself.
    pub demo_resets: &'static str,
    /// The next reset, after the notice: " Everything returns to the starting tasks at {time}, {how soon}."
    pub demo_next_reset: fn(&str, &str) -> String,
    /// A visitor's share, after the notice: " Each visitor can create up to {n} tasks between resets."
    pub demo_tasks_per_visitor: fn(u32) -> String,
}

pub const EN: Common = Common {
    skip_to_content: "Skip to content",
    brand: "Export Desk",
    nav_label: "Task kinds",
    settings_link: "Settings",
    not_offered: |reason| format!("Not offered by this server: {reason}"),
    language_label: "Language",
    language_wait: "Waiting for a create to be answered",
    server_mock: "Mock server",
    server_proxy: "Live clouds (proxy)",
    server_unreachable: "Server unreachable",
    server_version: |version| format!("Export Desk server {version}"),
    not_found_title: "Page not found",
    not_found_text: "There is no page at this address.",
    not_found_link: "Go to the CDN statistics exports",
    switched_off: "switched off",
    loading_server_settings: "Loading the server's settings…",
    provider_off: |cloud| format!("{cloud} is not offered by this Export Desk server."),
    server_says: |reason| format!("The server says: {reason}."),
    provider_keys_where: "Its keys are set where the server runs (proxy mode); nothing here can change that.",
    kind_unavailable: |kind, why| format!("{kind} are not available on this server: {why}."),
    download: "Download",
    demo_public: "Public demo: the tasks here are made up, and everything created is seen by every visitor.",
    demo_resets: "This mock resets itself on a schedule.",
    demo_next_reset: |at, when| format!(" Everything returns to the starting tasks at {at}, {when}."),
    demo_tasks_per_visitor: |tasks| format!(" Each visitor can create up to {tasks} tasks between resets."),
};

pub const ZH_CN: Common = Common {
    skip_to_content: "跳到正文",
    brand: "Export Desk",
    nav_label: "任务类型",
    settings_link: "设置",
    not_offered: |reason| format!("此服务器不提供：{reason}"),
    language_label: "语言",
    language_wait: "正在等待创建请求的响应",
    server_mock: "模拟服务器",
    server_proxy: "真实云（代理）",
    server_unreachable: "无法连接服务器",
    server_version: |version| format!("Export Desk 服务器 {version}"),
    not_found_title: "页面不存在",
    not_found_text: "此地址没有页面。",
    not_found_link: "前往 CDN 统计导出",
    switched_off: "已关闭",
    loading_server_settings: "正在加载服务器设置…",
    provider_off: |cloud| format!("此 Export Desk 服务器不提供 {cloud}。"),
    server_says: |reason| format!("服务器说明：{reason}。"),
    provider_keys_where: "它的密钥在服务器运行的地方（代理模式）设置，在这里无法更改。",
    kind_unavailable: |kind, why| format!("此服务器无法使用{kind}：{why}。"),
    download: "下载",
    demo_public: "公开演示：这里的任务都是虚构的，所创建的内容所有访问者都能看到。",
    demo_resets: "此模拟服务器会定时重置。",
    demo_next_reset: |at, when| format!("所有内容将于 {at}（{when}）恢复为初始任务。"),
    demo_tasks_per_visitor: |tasks| format!("两次重置之间，每位访问者最多可创建 {tasks} 个任务。"),
};
