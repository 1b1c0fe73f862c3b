//! The words of the cdn stats page: the struct, then English, then Simplified Chinese.

use crate::components::FieldLabels;
use export_desk_model::huawei_cdn::{Interval, Language, ServiceArea, StatType, StatsAction};

const HOUR_MS: i64 = 3_600_000;

/// Every text of this area in one language.
pub struct CdnStats {
    /// The page's title and its nav link, plural.
    pub title: &'static str,
    /// One task of the kind, for the Overview's kind column.
    pub one: &'static str,
    /// What the page is for, under its title.
    pub intro: &'static str,
    /// The visible label of each field (by wire name) the rules' messages may name.
    pub field_labels: FieldLabels,

    // The list and its filters.
    pub tasks_heading: &'static str,
    pub filter_task_id: &'static str,
    pub filter_task_id_placeholder: &'static str,
    pub filter_name: &'static str,
    pub filter_name_placeholder: &'static str,
    pub filter_submit: &'static str,
    pub filter_clear: &'static str,
    pub loading: &'static str,
    pub no_tasks: &'static str,
    pub no_match: &'static str,
    pub caption: &'static str,
    pub column_name: &'static str,
    pub column_task_id: &'static str,
    pub column_status: &'static str,
    pub column_created: &'static str,
    pub column_updated: &'static str,
    pub column_file: &'static str,
    /// A failed task's file cell: the cloud says nothing of why.
    pub no_file_failed: &'static str,
    /// An unfinished task's file cell.
    pub not_ready: &'static str,

    // The create form. Labels that the rules' messages name match `field_labels`.
    pub form_heading: &'static str,
    pub submit: &'static str,
    /// Said once the cloud accepted the task (it answers no id).
    pub created: &'static str,
    pub label_action: &'static str,
    pub label_stat_type: &'static str,
    pub label_domains: &'static str,
    pub domains_hint: &'static str,
    pub all_domains: &'static str,
    /// "From ({time zone})".
    pub from: fn(&str) -> String,
    /// "To ({time zone})".
    pub to: fn(&str) -> String,
    /// The quick ranges: each label with its span in milliseconds.
    pub presets: &'static [(&'static str, i64)],
    pub label_interval: &'static str,
    pub interval_hint: &'static str,
    /// The granularity left to the server.
    pub interval_automatic: &'static str,
    pub label_service_area: &'static str,
    pub label_language: &'static str,
    pub label_group_by: &'static str,
    pub group_by_domain: &'static str,
    pub label_country: &'static str,
    pub country_hint: &'static str,
    pub label_province: &'static str,
    pub province_hint: &'static str,
    pub label_isp: &'static str,

    // The choices of the provider's enums, as the selects offer them.
    pub action: fn(StatsAction) -> &'static str,
    pub stat_type: fn(StatType) -> &'static str,
    pub interval: fn(Interval) -> &'static str,
    pub service_area: fn(ServiceArea) -> &'static str,
    /// The language of the exported file's headings.
    pub language: fn(Language) -> &'static str,
}

pub const EN: CdnStats = CdnStats {
    title: "CDN statistics exports",
    one: "CDN statistics export",
    intro: "Export Huawei Cloud CDN statistics (traffic, requests, top lists, carriers, visitors) as a file. A task runs for a while; the list refreshes itself until it is done. Task names carry their time range in UTC (…T1100Z is 11:00 UTC), whatever zone the list shows.",
    field_labels: &[
        ("action", "Data"),
        ("stat_type", "Measure"),
        ("domain_name", "Domains"),
        ("start_time", "From"),
        ("end_time", "To"),
        ("interval", "Granularity"),
        ("service_area", "Service area"),
        ("language", "File language"),
        ("group_by", "Grouping"),
        ("country", "Countries or regions"),
        ("province", "Provinces"),
        ("isp", "Carrier"),
    ],

    tasks_heading: "Export tasks",
    filter_task_id: "Task ID",
    filter_task_id_placeholder: "exact id",
    filter_name: "Name contains",
    filter_name_placeholder: "part of the name",
    filter_submit: "Filter",
    filter_clear: "Clear",
    loading: "Loading export tasks…",
    no_tasks: "No export tasks yet. Create one with the form above.",
    no_match: "No export tasks match these filters.",
    caption: "CDN statistics export tasks, newest change first",
    column_name: "Name",
    column_task_id: "Task ID",
    column_status: "Status",
    column_created: "Created",
    column_updated: "Updated",
    column_file: "File",
    no_file_failed: "No file: the export failed, and CDN gives no reason.",
    not_ready: "Not ready",

    form_heading: "New export task",
    submit: "Create export task",
    created: "Task created; it is highlighted in the list below.",
    label_action: "Data",
    label_stat_type: "Measure",
    label_domains: "Domains",
    domains_hint: "One per line or comma-separated, up to 100; *.example.com for a wildcard domain.",
    all_domains: "All domains of the account",
    from: |zone| format!("From ({zone})"),
    to: |zone| format!("To ({zone})"),
    presets: &[("Last 24 h", 24 * HOUR_MS), ("Last 7 days", 7 * 24 * HOUR_MS), ("Last 30 days", 30 * 24 * HOUR_MS)],
    label_interval: "Granularity",
    interval_hint: "Spans over 90 days allow only 1 hour.",
    interval_automatic: "Automatic",
    label_service_area: "Service area",
    label_language: "File language",
    label_group_by: "Grouping",
    group_by_domain: "One row per domain",
    label_country: "Countries or regions (optional)",
    country_hint: "Two-letter codes like cn,us, or all.",
    label_province: "Provinces (optional)",
    province_hint: "Province codes separated by commas, or all.",
    label_isp: "Carrier (optional)",

    action: |action| match action {
        StatsAction::ReportsDetail => "Call-detail data",
        StatsAction::TopUrlDetail => "Top URLs",
        StatsAction::TopUaDetail => "Top user agents",
        StatsAction::TopRefererDetail => "Top referers",
        StatsAction::TopIpDetail => "Top client IPs",
        StatsAction::IspDetail => "Carriers",
        StatsAction::TopPathDetail => "Top paths",
        StatsAction::Uv => "Unique visitors",
    },
    stat_type: |stat_type| match stat_type {
        StatType::Flux => "Traffic (bytes)",
        StatType::ReqNum => "Requests",
    },
    interval: |interval| match interval {
        Interval::FiveMinutes => "5 minutes",
        Interval::Hour => "1 hour",
    },
    service_area: |area| match area {
        ServiceArea::MainlandChina => "Chinese mainland",
        ServiceArea::OutsideMainlandChina => "Outside Chinese mainland",
        ServiceArea::Global => "Global",
    },
    language: |language| match language {
        Language::Zh => "Chinese",
        Language::En => "English",
    },
};

pub const ZH_CN: CdnStats = CdnStats {
    title: "CDN 统计导出",
    one: "CDN 统计导出",
    intro: "把华为云 CDN 的统计数据（流量、请求数、TOP 排行、运营商、访客）导出为文件。任务要运行一段时间，列表会自动刷新直到完成。任务名中的时间范围是 UTC 时间（…T1100Z 即 UTC 11:00），与列表所用的时区无关。",
    field_labels: &[
        ("action", "数据"),
        ("stat_type", "指标"),
        ("domain_name", "域名"),
        ("start_time", "开始时间"),
        ("end_time", "结束时间"),
        ("interval", "时间粒度"),
        ("service_area", "服务范围"),
        ("language", "文件语言"),
        ("group_by", "分组"),
        ("country", "国家或地区"),
        ("province", "省份"),
        ("isp", "运营商"),
    ],

    tasks_heading: "导出任务",
    filter_task_id: "任务 ID",
    filter_task_id_placeholder: "完整 ID",
    filter_name: "名称包含",
    filter_name_placeholder: "名称的一部分",
    filter_submit: "筛选",
    filter_clear: "清除",
    loading: "正在加载导出任务…",
    no_tasks: "还没有导出任务。可用上方的表单创建。",
    no_match: "没有符合筛选条件的导出任务。",
    caption: "CDN 统计导出任务，最近变更的在前",
    column_name: "名称",
    column_task_id: "任务 ID",
    column_status: "状态",
    column_created: "创建时间",
    column_updated: "更新时间",
    column_file: "文件",
    no_file_failed: "无文件：导出失败，CDN 未给出原因。",
    not_ready: "未就绪",

    form_heading: "新建导出任务",
    submit: "创建导出任务",
    created: "任务已创建，已在下方列表中高亮显示。",
    label_action: "数据",
    label_stat_type: "指标",
    label_domains: "域名",
    domains_hint: "每行一个或用逗号分隔，最多 100 个；泛域名写作 *.example.com。",
    all_domains: "账号下的全部域名",
    from: |zone| format!("开始时间（{zone}）"),
    to: |zone| format!("结束时间（{zone}）"),
    presets: &[("最近 24 小时", 24 * HOUR_MS), ("最近 7 天", 7 * 24 * HOUR_MS), ("最近 30 天", 30 * 24 * HOUR_MS)],
    label_interval: "时间粒度",
    interval_hint: "时间跨度超过 90 天时只能选 1 小时。",
    interval_automatic: "自动",
    label_service_area: "服务范围",
    label_language: "文件语言",
    label_group_by: "分组",
    group_by_domain: "每个域名一行",
    label_country: "国家或地区（可选）",
    country_hint: "两位字母代码，如 cn,us，或 all。",
    label_province: "省份（可选）",
    province_hint: "省份代码，用逗号分隔，或 all。",
    label_isp: "运营商（可选）",

    action: |action| match action {
        StatsAction::ReportsDetail => "话单数据",
        StatsAction::TopUrlDetail => "TOP URL",
        StatsAction::TopUaDetail => "TOP UA",
        StatsAction::TopRefererDetail => "TOP Referer",
        StatsAction::TopIpDetail => "TOP 客户端 IP",
        StatsAction::IspDetail => "运营商",
        StatsAction::TopPathDetail => "TOP 路径",
        StatsAction::Uv => "独立访客（UV）",
    },
    stat_type: |stat_type| match stat_type {
        StatType::Flux => "流量（字节）",
        StatType::ReqNum => "请求数",
    },
    interval: |interval| match interval {
        Interval::FiveMinutes => "5 分钟",
        Interval::Hour => "1 小时",
    },
    service_area: |area| match area {
        ServiceArea::MainlandChina => "中国大陆",
        ServiceArea::OutsideMainlandChina => "中国大陆境外",
        ServiceArea::Global => "全球",
    },
    language: |language| match language {
        Language::Zh => "中文",
        Language::En => "英文",
    },
};
