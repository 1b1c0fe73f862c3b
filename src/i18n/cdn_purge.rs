//! The words of the cdn purge page: the struct, then English, then Simplified Chinese.

/// Every text of this area in one language.
pub struct CdnPurge {
    /// The page's title and its nav link, plural.
    pub title: &'static str,
    /// One task of the kind, for the Overview's kind column.
    pub one: &'static str,
    /// What the page is for, under its title.
    pub intro: &'static str,
}

pub const EN: CdnPurge = CdnPurge {
    title: "CDN refresh and preheat",
    one: "CDN refresh/preheat",
    intro: "Refresh drops cached copies of URLs or directories so the next request fetches them from the origin; preheat fetches files into the cache ahead of demand. Each URL finishes on its own; the list refreshes itself while any task is running.",
};

pub const ZH_CN: CdnPurge = CdnPurge {
    title: "CDN 刷新与预热",
    one: "CDN 刷新/预热",
    intro: "刷新会清除 URL 或目录的缓存，下一次请求将回源获取；预热则提前把文件拉取到缓存中。每个 URL 各自完成；只要有任务在运行，列表就会自动刷新。",
};
