//! The words of the cdn stats page: the struct, then English, then Simplified Chinese.

/// Every text of this area in one language.
pub struct CdnStats {
    /// The page's title and its nav link, plural.
    pub title: &'static str,
    /// One task of the kind, for the Overview's kind column.
    pub one: &'static str,
    /// What the page is for, under its title.
    pub intro: &'static str,
}

pub const EN: CdnStats = CdnStats {
    title: "CDN statistics exports",
    one: "CDN statistics export",
    intro: "Export Huawei Cloud CDN statistics (traffic, requests, top lists, carriers, visitors) as a file. A task runs for a while; the list refreshes itself until it is done. Task names carry their time range in UTC (…T1100Z is 11:00 UTC), whatever zone the list shows.",
};

pub const ZH_CN: CdnStats = CdnStats {
    title: "CDN 统计导出",
    one: "CDN 统计导出",
    intro: "把华为云 CDN 的统计数据（流量、请求数、TOP 排行、运营商、访客）导出为文件。任务要运行一段时间，列表会自动刷新直到完成。任务名中的时间范围是 UTC 时间（…T1100Z 即 UTC 11:00），与列表所用的时区无关。",
};
