//! The words of the cls page: the struct, then English, then Simplified Chinese.

use crate::components::FieldLabels;
use export_desk_model::tencent_cls::{Format, Order};

const MINUTE_MS: i64 = 60_000;
const HOUR_MS: i64 = 60 * MINUTE_MS;

/// Every text of this area in one language.
pub struct Cls {
    /// The page's title and its nav link, plural.
    pub title: &'static str,
    /// One task of the kind, for the Overview's kind column.
    pub one: &'static str,
    /// What the page is for, under its title.
    pub intro: &'static str,
    /// The visible label of each field (by wire name) the rules' messages may name.
    pub field_labels: FieldLabels,

    // The topic picker.
    /// The picker's name for assistive technology.
    pub picker_name: &'static str,
    pub topic: &'static str,
    pub choose_topic: &'static str,
    /// The empty choice while a topic the server did not list is shown.
    pub another_topic: &'static str,
    /// "{topic name} (closed)"
    pub closed_topic: fn(&str) -> String,
    pub or_topic_id: &'static str,
    pub topic_id_hint: &'static str,
    /// An example id: only the words around it are translated.
    pub topic_id_placeholder: &'static str,
    pub show_exports: &'static str,
    pub type_a_topic: &'static str,
    /// The search box over DescribeTopics.
    pub find_topic: &'static str,
    pub find_hint: &'static str,
    /// The select's group of the topics this server names.
    pub favourites: &'static str,
    /// The select's group of the other topics DescribeTopics found.
    pub in_account: &'static str,
    pub searching: &'static str,
    /// "{total} topics", or "{shown} of {total} topics shown" while there are more.
    pub topics_found: fn(u64, u64) -> String,
    pub no_topics: &'static str,
    /// "No topic matches “{search}”.": the words before and after the search, which is shown as
    /// typed (marked as data, not words to translate).
    pub no_topic_matches: [&'static str; 2],
    pub more_topics: &'static str,
    /// Above the error of a failed search: what still works.
    pub topics_failed: &'static str,

    // The list.
    /// "Exports of {topic name}"
    pub heading_of: fn(&str) -> String,
    pub heading_typed: &'static str,
    pub heading: &'static str,
    pub loading: &'static str,
    pub no_exports: &'static str,
    pub no_exports_closed: &'static str,
    pub choose_first: &'static str,
    /// Before the topic's id, under the heading.
    pub topic_id_line: &'static str,
    pub caption: &'static str,
    pub column_export: &'static str,
    pub column_status: &'static str,
    pub column_logs: &'static str,
    pub column_created: &'static str,
    pub column_file: &'static str,
    pub column_actions: &'static str,
    /// "{count} logs · {format} · {order} · {syntax}" (format and order as sent).
    pub logs_shape: fn(u64, &str, &str, &str) -> String,
    /// Why the expiry is "about".
    pub expiry_title: &'static str,
    /// "Kept until about {time}"
    pub kept_until: fn(&str) -> String,
    pub expired: &'static str,
    pub failed_no_file: &'static str,
    pub not_ready: &'static str,
    /// The Overview's title of an export: "{topic name}: {query}".
    pub overview_title: fn(&str, &str) -> String,
    /// One row, lower case, for "Delete {thing} {id}".
    pub delete_thing: &'static str,
    pub delete_question: &'static str,

    // The create form.
    pub form_heading: &'static str,
    /// Why nothing can be sent while no topic is chosen (form and preview).
    pub no_topic: &'static str,
    /// Why nothing can be sent from a closed topic.
    pub topic_closed: &'static str,
    /// "{topic name} is closed: its log collection is switched off, …"
    pub note_closed: fn(&str) -> String,
    /// "From topic {topic name}."
    pub note_from: fn(&str) -> String,
    pub note_typed: &'static str,
    pub query: &'static str,
    pub query_hint: &'static str,
    /// "From ({time zone})"
    pub from: fn(&str) -> String,
    /// "To ({time zone}, excluded)"
    pub to: fn(&str) -> String,
    /// The quick ranges: label and span in milliseconds.
    pub presets: &'static [(&'static str, i64)],
    pub count: &'static str,
    pub count_hint: &'static str,
    pub order: &'static str,
    pub format: &'static str,
    pub syntax: &'static str,
    pub fields: &'static str,
    pub fields_hint: &'static str,
    /// "Topic: {what is wrong with it}"
    pub topic_error: fn(&str) -> String,
    pub submit: &'static str,
    /// "Export {id} created; it is highlighted in the list below."
    pub created: fn(&str) -> String,
    /// An order as the form's select shows it (English: the model's label).
    pub order_label: fn(Order) -> &'static str,
    /// A file format as the form's select shows it (English: the model's label).
    pub format_label: fn(Format) -> &'static str,
}

pub const EN: Cls = Cls {
    title: "CLS log exports",
    one: "CLS log export",
    intro: "Export logs of a Tencent Cloud CLS topic to a file (a .tar.gz of JSON lines or CSV). An export queues, runs, and completes; CLS keeps its file for three days after that. File names carry the export's time in Beijing time (UTC+8), whatever zone the list shows.",
    field_labels: &[
        ("TopicId", "Topic"),
        ("Query", "Query"),
        ("From", "From"),
        ("To", "To"),
        ("Count", "Count"),
        ("Order", "Order"),
        ("Format", "Format"),
        ("SyntaxRule", "Query syntax"),
        ("DerivedFields", "Fields"),
    ],

    picker_name: "Log topic",
    topic: "Topic",
    choose_topic: "Choose a topic…",
    another_topic: "Another topic (typed id)",
    closed_topic: |name| format!("{name} (closed)"),
    or_topic_id: "Or a topic id",
    topic_id_hint: "Any topic of the account, by its id.",
    topic_id_placeholder: "e.g. 2f6c1d3e-8a47-…",
    show_exports: "Show exports",
    type_a_topic: "Type a topic id, or choose a topic from the list.",
    find_topic: "Find a topic",
    find_hint: "Part of a topic's name, or a whole topic id. The topics this server names come first.",
    favourites: "Favourites",
    in_account: "In this account",
    searching: "Looking up topics…",
    topics_found: |shown, total| match (shown, total) {
        (_, 1) => "1 topic".to_owned(),
        (shown, total) if shown < total => format!("{shown} of {total} topics shown"),
        (_, total) => format!("{total} topics"),
    },
    no_topics: "This account has no topics in this region.",
    no_topic_matches: ["No topic matches “", "”."],
    more_topics: "More topics",
    topics_failed: "The account's topics could not be listed; the favourites and a typed topic id still work.",

    heading_of: |name| format!("Exports of {name}"),
    heading_typed: "Exports of the typed topic",
    heading: "Exports",
    loading: "Loading exports…",
    no_exports: "No exports of this topic yet. Create one with the form above.",
    no_exports_closed: "This topic has no exports, and as it is closed none can be made.",
    choose_first: "Choose a topic above to see its exports.",
    topic_id_line: "Topic id ",
    caption: "CLS log exports of the topic, newest first",
    column_export: "Export",
    column_status: "Status",
    column_logs: "Logs",
    column_created: "Created",
    column_file: "File",
    column_actions: "Actions",
    logs_shape: |count, format, order, syntax| format!("{count} logs · {format} · {order} · {syntax}"),
    expiry_title: "CLS deletes the file three days after the export completed. DescribeExports does not say when that was, so this counts from its creation.",
    kept_until: |time| format!("Kept until about {time}"),
    expired: "Expired: the file is gone (CLS keeps files three days).",
    failed_no_file: "No file: the export failed, and CLS gives no reason.",
    not_ready: "Not ready yet",
    overview_title: |topic, query| format!("{topic}: {query}"),
    delete_thing: "export",
    delete_question: "Delete this export?",

    form_heading: "New log export",
    no_topic: "Choose a topic first: the export is made from it.",
    topic_closed: "The topic is closed: CLS refuses new exports from it.",
    note_closed: |name| {
        format!(
            "{name} is closed: its log collection is switched off, so CLS refuses new exports from it \
             (FailedOperation.TopicClosed). Its existing exports are still listed below."
        )
    },
    note_from: |name| format!("From topic {name}."),
    note_typed: "From the typed topic id (not one the server listed).",
    query: "Query",
    query_hint: "A search statement, e.g. status:500 AND method:\"POST\"; * for every log. No SQL (| …).",
    from: |zone| format!("From ({zone})"),
    to: |zone| format!("To ({zone}, excluded)"),
    presets: &[("Last 15 min", 15 * MINUTE_MS), ("Last hour", HOUR_MS), ("Last 24 h", 24 * HOUR_MS)],
    count: "Count",
    count_hint: "How many logs to export, 1 to 50,000,000.",
    order: "Order",
    format: "Format",
    syntax: "Query syntax",
    fields: "Fields (optional)",
    fields_hint: "Comma-separated log fields to keep; empty keeps every field.",
    topic_error: |problem| format!("Topic: {problem}"),
    submit: "Create export",
    created: |id| format!("Export {id} created; it is highlighted in the list below."),
    order_label: Order::label,
    format_label: Format::label,
};

pub const ZH_CN: Cls = Cls {
    title: "CLS 日志下载",
    one: "CLS 日志下载",
    intro: "把腾讯云 CLS 日志主题的日志下载为文件（JSON 行或 CSV 格式的 .tar.gz）。下载任务会排队、运行、完成；完成后 CLS 将文件保留三天。文件名中的时间是北京时间（UTC+8），与列表所用的时区无关。",
    field_labels: &[
        ("TopicId", "日志主题"),
        ("Query", "检索语句"),
        ("From", "开始时间"),
        ("To", "结束时间"),
        ("Count", "日志条数"),
        ("Order", "排序"),
        ("Format", "格式"),
        ("SyntaxRule", "检索语法"),
        ("DerivedFields", "字段"),
    ],

    picker_name: "日志主题",
    topic: "日志主题",
    choose_topic: "选择日志主题…",
    another_topic: "其他日志主题（输入的 ID）",
    closed_topic: |name| format!("{name}（已关闭）"),
    or_topic_id: "或输入日志主题 ID",
    topic_id_hint: "账号下的任意日志主题，按 ID 指定。",
    topic_id_placeholder: "例如 2f6c1d3e-8a47-…",
    show_exports: "查看下载任务",
    type_a_topic: "请输入日志主题 ID，或从列表中选择日志主题。",
    find_topic: "查找日志主题",
    find_hint: "输入主题名称的一部分，或完整的主题 ID。本服务配置的主题排在最前。",
    favourites: "常用主题",
    in_account: "账号下的其他主题",
    searching: "正在查询日志主题…",
    topics_found: |shown, total| {
        if shown < total {
            format!("已显示 {shown} 个，共 {total} 个日志主题")
        } else {
            format!("共 {total} 个日志主题")
        }
    },
    no_topics: "此账号在该地域下没有日志主题。",
    no_topic_matches: ["没有与“", "”匹配的日志主题。"],
    more_topics: "更多日志主题",
    topics_failed: "无法列出账号下的日志主题；常用主题和手动输入的主题 ID 仍可使用。",

    heading_of: |name| format!("{name} 的下载任务"),
    heading_typed: "所输入日志主题的下载任务",
    heading: "下载任务",
    loading: "正在加载下载任务…",
    no_exports: "此日志主题还没有下载任务。请用上方的表单创建。",
    no_exports_closed: "此日志主题没有下载任务；主题已关闭，无法再创建。",
    choose_first: "请在上方选择日志主题，查看其下载任务。",
    topic_id_line: "日志主题 ID ",
    caption: "该日志主题的 CLS 日志下载任务，最新的在前",
    column_export: "下载任务",
    column_status: "状态",
    column_logs: "日志",
    column_created: "创建时间",
    column_file: "文件",
    column_actions: "操作",
    logs_shape: |count, format, order, syntax| format!("{count} 条日志 · {format} · {order} · {syntax}"),
    expiry_title: "下载任务完成三天后 CLS 会删除文件。DescribeExports 不返回完成时间，因此这里从创建时间算起。",
    kept_until: |time| format!("约保留至 {time}"),
    expired: "已过期：文件已删除（CLS 保留文件三天）。",
    failed_no_file: "无文件：下载任务失败，CLS 未给出原因。",
    not_ready: "尚未就绪",
    overview_title: |topic, query| format!("{topic}：{query}"),
    delete_thing: "下载任务",
    delete_question: "删除此下载任务？",

    form_heading: "新建日志下载任务",
    no_topic: "请先选择日志主题：下载任务从它创建。",
    topic_closed: "该日志主题已关闭：CLS 拒绝从中创建新的下载任务。",
    note_closed: |name| {
        format!(
            "{name} 已关闭：日志采集已停止，CLS 拒绝从中创建新的下载任务（FailedOperation.TopicClosed）。\
             已有的下载任务仍列在下方。"
        )
    },
    note_from: |name| format!("来自日志主题 {name}。"),
    note_typed: "来自输入的日志主题 ID（不是服务器列出的主题）。",
    query: "检索语句",
    query_hint: "检索语句，例如 status:500 AND method:\"POST\"；* 表示全部日志。不支持 SQL（| …）。",
    from: |zone| format!("开始时间（{zone}）"),
    to: |zone| format!("结束时间（{zone}，不含）"),
    presets: &[("最近 15 分钟", 15 * MINUTE_MS), ("最近 1 小时", HOUR_MS), ("最近 24 小时", 24 * HOUR_MS)],
    count: "日志条数",
    count_hint: "要下载的日志条数，1 到 50,000,000。",
    order: "排序",
    format: "格式",
    syntax: "检索语法",
    fields: "字段（可选）",
    fields_hint: "要保留的日志字段，用逗号分隔；留空则保留所有字段。",
    topic_error: |problem| format!("日志主题：{problem}"),
    submit: "创建下载任务",
    created: |id| format!("下载任务 {id} 已创建，已在下方列表中高亮显示。"),
    order_label: |order| match order {
        Order::Desc => "最新的在前",
        Order::Asc => "最早的在前",
    },
    format_label: |format| match format {
        Format::Json => "JSON（每行一个对象）",
        Format::Csv => "CSV",
    },
};
