//! The words of finding a task by its id (the Overview's search) and of copying an id: the
//! struct, then English, then Simplified Chinese.

/// Every text of this area in one language.
pub struct Find {
    pub label: &'static str,
    pub hint: &'static str,
    pub submit: &'static str,
    /// Under the field when what was typed holds a space.
    pub has_space: &'static str,
    /// Under the field when what was typed is longer than any id: "At most {max} characters."
    pub too_long: fn(usize) -> String,
    /// "Searching for {id} in {kinds}…"
    pub searching: fn(&str, &str) -> String,
    /// "Found in {kind}: opening it…"
    pub opening: fn(&str) -> String,
    /// Above the list of matches: "{id} was found in:"
    pub found_in: fn(&str) -> String,
    /// "{id} was not found (searched: {what was searched}).", the list joined by `list_separator`.
    pub not_found: fn(&str, &str) -> String,
    pub list_separator: &'static str,
    /// A kind and what of it was searched: "{kind} ({reach})".
    pub searched_kind: fn(&str, &str) -> String,
    /// "{kind} could not be searched."
    pub could_not_search: fn(&str) -> String,
    /// "{kind} were not searched: {reason}."
    pub not_searched: fn(&str, &str) -> String,
    /// When no kind's ids look like what was typed: "{id} does not look like an id the dashboard can find."
    pub no_shape: fn(&str) -> String,
    /// Before the list of every kind's id shape.
    pub shapes_heading: &'static str,
    /// Under "not found", when what was typed also has the shape of a request id.
    pub request_id_note: &'static str,
    /// A match that is a batch task rather than one export: "Exports of batch task {id} ({count})".
    pub batch_task: fn(&str, usize) -> String,

    pub shape_cdn_stats: &'static str,
    pub reach_cdn_stats: &'static str,
    pub shape_cdn_purge: &'static str,
    pub reach_cdn_purge: &'static str,
    pub shape_iotda: &'static str,
    pub reach_iotda: &'static str,
    pub shape_cls: &'static str,
    pub reach_cls: &'static str,

    pub copy_task_id: &'static str,
    pub copy_export_id: &'static str,
    pub copy_request_id: &'static str,
    pub copied: &'static str,
    /// When the clipboard is refused: the id is selected instead. "{why}"
    pub copy_refused: fn(&str) -> String,
}

pub const EN: Find = Find {
    label: "Find a task by its id",
    hint: "A task id, export id or batch task id of any kind. Each cloud whose ids look like it is asked with its own API.",
    submit: "Find",
    has_space: "An id has no spaces.",
    too_long: |max| format!("An id is at most {max} characters."),
    searching: |id, kinds| format!("Searching for {id} in {kinds}…"),
    opening: |kind| format!("Found in {kind}: opening it…"),
    found_in: |id| format!("{id} was found in:"),
    not_found: |id, searched| format!("{id} was not found (searched: {searched})."),
    list_separator: "; ",
    searched_kind: |kind, reach| format!("{kind}, {reach}"),
    could_not_search: |kind| format!("{kind} could not be searched."),
    not_searched: |kind, reason| format!("{kind} were not searched: {reason}."),
    no_shape: |id| format!("{id} does not look like an id the dashboard can find."),
    shapes_heading: "The ids it can find:",
    request_id_note: "If this is a request id (X-Request-Id, RequestId): a request id names one call, not a task, and \
                      no API of these clouds finds a task by it. Quote it to the provider's support.",
    batch_task: |id, count| format!("Exports of batch task {id} ({count})"),

    shape_cdn_stats: "CDN statistics export: a task id of 32 hexadecimal characters",
    reach_cdn_stats: "every export, by task id",
    shape_cdn_purge: "CDN refresh or preheat: a task id of digits",
    reach_cdn_purge: "tasks created in the last 14 days",
    shape_iotda: "IoTDA export: an export task id of 24 hexadecimal characters, or a batch task id of up to 24 of 0-9 and a-f",
    reach_iotda: "every export task of the project (IoTDA keeps at most 50)",
    shape_cls: "CLS log export: export- followed by a UUID, or the UUID alone",
    reach_cls: "the newest 1,000 exports of each configured topic",

    copy_task_id: "Copy task id",
    copy_export_id: "Copy export id",
    copy_request_id: "Copy request id",
    copied: "Copied",
    copy_refused: |why| format!("Could not copy ({why}). The id is selected: press Ctrl+C to copy it."),
};

pub const ZH_CN: Find = Find {
    label: "按 ID 查找任务",
    hint: "任意类型的任务 ID、导出 ID 或批量任务 ID。ID 格式相符的每个云服务都会用其自身的 API 查询。",
    submit: "查找",
    has_space: "ID 不含空格。",
    too_long: |max| format!("ID 最多 {max} 个字符。"),
    searching: |id, kinds| format!("正在{kinds}中查找 {id}…"),
    opening: |kind| format!("已在{kind}中找到，正在打开…"),
    found_in: |id| format!("在以下位置找到 {id}："),
    not_found: |id, searched| format!("未找到 {id}（已查找：{searched}）。"),
    list_separator: "；",
    searched_kind: |kind, reach| format!("{kind}，{reach}"),
    could_not_search: |kind| format!("无法在{kind}中查找。"),
    not_searched: |kind, reason| format!("未在{kind}中查找：{reason}。"),
    no_shape: |id| format!("{id} 不像本工具能查找的任何 ID。"),
    shapes_heading: "可查找的 ID：",
    request_id_note: "如果这是请求 ID（X-Request-Id、RequestId）：请求 ID 标识的是一次调用而不是任务，\
                      这些云服务的 API 都不能按请求 ID 查找任务。请将它提供给云服务商的技术支持。",
    batch_task: |id, count| format!("批量任务 {id} 的导出任务（{count} 个）"),

    shape_cdn_stats: "CDN 统计导出：32 位十六进制字符的任务 ID",
    reach_cdn_stats: "按任务 ID 查找全部导出任务",
    shape_cdn_purge: "CDN 刷新或预热：由数字组成的任务 ID",
    reach_cdn_purge: "最近 14 天内创建的任务",
    shape_iotda: "IoTDA 导出：24 位十六进制字符的导出任务 ID，或最多 24 位（0-9、a-f）的批量任务 ID",
    reach_iotda: "项目的全部导出任务（IoTDA 最多保留 50 个）",
    shape_cls: "CLS 日志导出：export- 加 UUID，或单独的 UUID",
    reach_cls: "每个已配置日志主题最新的 1,000 个导出任务",

    copy_task_id: "复制任务 ID",
    copy_export_id: "复制导出 ID",
    copy_request_id: "复制请求 ID",
    copied: "已复制",
    copy_refused: |why| format!("无法复制（{why}）。ID 已选中：请按 Ctrl+C 复制。"),
};
