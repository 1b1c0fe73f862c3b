//! The words of the cdn stats page: the struct, then English, then Simplified Chinese.

use crate::components::FieldLabels;

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
        ("service_area", "服务区域"),
        ("language", "文件语言"),
        ("group_by", "分组"),
        ("country", "国家或地区"),
        ("province", "省份"),
        ("isp", "运营商"),
    ],
};
