//! The words of the cdn purge page: the struct, then English, then Simplified Chinese.

use export_desk_model::huawei_cdn::history::{
    FailClassify, FileType, OrderField, OrderType, RefreshMode, TaskStatus, TaskType, UrlKind, UrlStatus,
};

/// Every text of this area in one language.
pub struct CdnPurge {
    /// The page's title and its nav link, plural.
    pub title: &'static str,
    /// One task of the kind, for the Overview's kind column.
    pub one: &'static str,
    /// What the page is for, under its title.
    pub intro: &'static str,

    // The list of tasks and its filters.
    pub tasks_heading: &'static str,
    pub loading: &'static str,
    pub no_tasks: &'static str,
    pub no_match: &'static str,
    pub caption: &'static str,
    pub column_task: &'static str,
    pub column_kind: &'static str,
    pub column_status: &'static str,
    pub column_progress: &'static str,
    pub column_urls: &'static str,
    pub column_created: &'static str,
    /// A filter's choice of every value.
    pub any: &'static str,
    pub filter_status: &'static str,
    pub filter_task_type: &'static str,
    /// The task-type filter's choice of both.
    pub both_task_types: &'static str,
    pub filter_file_type: &'static str,
    /// The file-type filter's choice of both.
    pub both_file_types: &'static str,
    pub created_from: &'static str,
    pub created_until: &'static str,
    pub sort_by: &'static str,
    pub sort_order: &'static str,
    pub clear_filters: &'static str,
    /// The Overview's title of a task: refresh or preheat, its URL count and its file type (the
    /// wire value).
    pub overview_title: fn(bool, u32, &str) -> String,

    // A task's progress.
    pub progress_label: &'static str,
    /// "{done}/{total} done".
    pub progress_done: fn(u32, u32) -> String,
    /// " · {failed} failed", after the count done.
    pub progress_failed: fn(u32) -> String,
    /// What a screen reader says of the bar: done, total, succeeded, failed, in progress.
    pub progress_value: fn(u32, u32, u32, u32, u32) -> String,

    // The create form.
    pub form_heading: &'static str,
    pub legend_task: &'static str,
    pub choose_refresh: &'static str,
    pub choose_preheat: &'static str,
    pub legend_file_type: &'static str,
    pub legend_mode: &'static str,
    /// A directory refresh's mode, as the radio buttons offer it.
    pub mode: fn(RefreshMode) -> &'static str,
    pub urls_label: &'static str,
    /// What the URL box takes for the task chosen.
    pub url_hint: fn(UrlKind) -> &'static str,
    pub submit_refresh: &'static str,
    pub submit_preheat: &'static str,
    /// "Task {id} created; …".
    pub created: fn(&str) -> String,

    // One task's page.
    /// "Task {id}".
    pub detail_title: fn(&str) -> String,
    pub back_to_tasks: &'static str,
    pub urls_heading: &'static str,
    pub detail_loading: &'static str,
    pub detail_no_urls: &'static str,
    pub detail_no_match: &'static str,
    pub detail_gone: &'static str,
    pub urls_caption: &'static str,
    pub column_url: &'static str,
    pub column_why_failed: &'static str,
    pub filter_url_status: &'static str,
    pub filter_url: &'static str,
    pub filter_url_placeholder: &'static str,
    pub search: &'static str,
    pub clear: &'static str,

    // The choices of the provider's enums.
    pub task_type: fn(TaskType) -> &'static str,
    pub task_status: fn(TaskStatus) -> &'static str,
    pub file_type: fn(FileType) -> &'static str,
    pub order_field: fn(OrderField) -> &'static str,
    pub order_type: fn(OrderType) -> &'static str,
    pub url_status: fn(UrlStatus) -> &'static str,
    pub fail_classify: fn(FailClassify) -> &'static str,
}

pub const EN: CdnPurge = CdnPurge {
    title: "CDN refresh and preheat",
    one: "CDN refresh/preheat",
    intro: "Refresh drops cached copies of URLs or directories so the next request fetches them from the origin; preheat fetches files into the cache ahead of demand. Each URL finishes on its own; the list refreshes itself while any task is running.",

    tasks_heading: "Tasks",
    loading: "Loading refresh and preheat tasks…",
    no_tasks: "No refresh or preheat tasks yet. Create one with the form above.",
    no_match: "No tasks match these filters.",
    caption: "CDN refresh and preheat tasks",
    column_task: "Task",
    column_kind: "Kind",
    column_status: "Status",
    column_progress: "Progress",
    column_urls: "URLs",
    column_created: "Created",
    any: "Any",
    filter_status: "Status",
    filter_task_type: "Task",
    both_task_types: "Refresh and preheat",
    filter_file_type: "File type",
    both_file_types: "Files and directories",
    created_from: "Created from",
    created_until: "Created until",
    sort_by: "Sort by",
    sort_order: "Order",
    clear_filters: "Clear filters",
    overview_title: |refresh, total, file_type| {
        let what = match (FileType::parse(file_type), total == 1) {
            (Some(FileType::File), true) => "file",
            (Some(FileType::File), false) => "files",
            (Some(FileType::Directory), true) => "directory",
            (Some(FileType::Directory), false) => "directories",
            (None, _) => file_type,
        };
        format!("{} of {total} {what}", if refresh { "Refresh" } else { "Preheat" })
    },

    progress_label: "URLs done",
    progress_done: |done, total| format!("{done}/{total} done"),
    progress_failed: |failed| format!(" · {failed} failed"),
    progress_value: |done, total, succeed, failed, processing| {
        format!("{done} of {total} URLs done: {succeed} succeeded, {failed} failed, {processing} in progress")
    },

    form_heading: "New refresh or preheat task",
    legend_task: "Task",
    choose_refresh: "Refresh (drop cached copies)",
    choose_preheat: "Preheat (fetch into the cache)",
    legend_file_type: "What the lines name",
    legend_mode: "Directory refresh",
    mode: |mode| match mode {
        RefreshMode::All => "Everything under it",
        RefreshMode::DetectModifyRefresh => "Only changed files",
    },
    urls_label: "URLs, one per line",
    url_hint: |kind| match kind {
        UrlKind::RefreshFiles => {
            "http:// or https:// with a domain, no spaces, up to 4096 characters each; at most 1000 files a task."
        }
        UrlKind::RefreshDirectories => {
            "Directories end with /: http:// or https:// with a domain, no spaces, up to 4096 characters each; at most 100 a task."
        }
        UrlKind::Preheat => {
            "Files only (directories, ending with /, cannot be preheated): http:// or https:// with a domain, no spaces, up to 4096 characters each; at most 1000 a task."
        }
    },
    submit_refresh: "Create refresh task",
    submit_preheat: "Create preheat task",
    created: |id| format!("Task {id} created; it is highlighted in the list below."),

    detail_title: |id| format!("Task {id}"),
    back_to_tasks: "← All refresh and preheat tasks",
    urls_heading: "URLs",
    detail_loading: "Loading the task…",
    detail_no_urls: "This task has no URLs.",
    detail_no_match: "No URLs of this task match these filters.",
    detail_gone: "No such task: it does not exist, or is older than the days the detail call searches.",
    urls_caption: "URLs of the task",
    column_url: "URL",
    column_why_failed: "Why it failed",
    filter_url_status: "URL status",
    filter_url: "URL contains",
    filter_url_placeholder: "part of the URL",
    search: "Search",
    clear: "Clear",

    task_type: |task_type| match task_type {
        TaskType::Refresh => "Refresh",
        TaskType::Preheating => "Preheat",
    },
    task_status: |status| match status {
        TaskStatus::InProcess => "In progress",
        TaskStatus::Done => "Done",
    },
    file_type: |file_type| match file_type {
        FileType::File => "Files",
        FileType::Directory => "Directories",
    },
    order_field: |field| match field {
        OrderField::TaskType => "Type",
        OrderField::Total => "URLs",
        OrderField::Processing => "In progress",
        OrderField::Succeed => "Succeeded",
        OrderField::Failed => "Failed",
        OrderField::CreateTime => "Created",
    },
    order_type: |order| match order {
        OrderType::Desc => "Descending",
        OrderType::Asc => "Ascending",
    },
    url_status: |status| match status {
        UrlStatus::Processing => "In progress",
        UrlStatus::Succeed => "Succeeded",
        UrlStatus::Failed => "Failed",
        UrlStatus::Waiting => "Waiting",
        UrlStatus::Refreshing => "Refreshing",
        UrlStatus::Preheating => "Preheating",
    },
    fail_classify: |class| match class {
        FailClassify::OriginError => "Origin error",
        FailClassify::InnerError => "Internal error",
        FailClassify::UnknownError => "Unknown error",
    },
};

pub const ZH_CN: CdnPurge = CdnPurge {
    title: "CDN 刷新与预热",
    one: "CDN 刷新/预热",
    intro: "刷新会清除 URL 或目录的缓存，下一次请求将回源获取；预热则提前把文件拉取到缓存中。每个 URL 各自完成；只要有任务在运行，列表就会自动刷新。",

    tasks_heading: "任务",
    loading: "正在加载刷新和预热任务…",
    no_tasks: "还没有刷新或预热任务。可用上方的表单创建。",
    no_match: "没有符合筛选条件的任务。",
    caption: "CDN 刷新和预热任务",
    column_task: "任务",
    column_kind: "类型",
    column_status: "状态",
    column_progress: "进度",
    column_urls: "URL 数",
    column_created: "创建时间",
    any: "全部",
    filter_status: "状态",
    filter_task_type: "任务类型",
    both_task_types: "刷新和预热",
    filter_file_type: "文件类型",
    both_file_types: "文件和目录",
    created_from: "创建时间起",
    created_until: "创建时间止",
    sort_by: "排序字段",
    sort_order: "排序方式",
    clear_filters: "清除筛选",
    overview_title: |refresh, total, file_type| {
        let what = match FileType::parse(file_type) {
            Some(FileType::File) => "文件",
            Some(FileType::Directory) => "目录",
            None => file_type,
        };
        format!("{} {total} 个{what}", if refresh { "刷新" } else { "预热" })
    },

    progress_label: "URL 完成情况",
    progress_done: |done, total| format!("已完成 {done}/{total}"),
    progress_failed: |failed| format!(" · {failed} 个失败"),
    progress_value: |done, total, succeed, failed, processing| {
        format!("{total} 个 URL 已完成 {done} 个：成功 {succeed} 个，失败 {failed} 个，处理中 {processing} 个")
    },

    form_heading: "新建刷新或预热任务",
    legend_task: "任务类型",
    choose_refresh: "刷新（清除缓存）",
    choose_preheat: "预热（提前拉取到缓存）",
    legend_file_type: "每行填写的是",
    legend_mode: "目录刷新方式",
    mode: |mode| match mode {
        RefreshMode::All => "刷新目录下的全部资源",
        RefreshMode::DetectModifyRefresh => "仅刷新有变更的资源",
    },
    urls_label: "URL，每行一个",
    url_hint: |kind| match kind {
        UrlKind::RefreshFiles => {
            "以 http:// 或 https:// 开头并带域名，不含空格，每个最长 4096 个字符；每个任务最多 1000 个文件。"
        }
        UrlKind::RefreshDirectories => {
            "目录以 / 结尾：以 http:// 或 https:// 开头并带域名，不含空格，每个最长 4096 个字符；每个任务最多 100 个。"
        }
        UrlKind::Preheat => {
            "只能预热文件（以 / 结尾的目录不能预热）：以 http:// 或 https:// 开头并带域名，不含空格，每个最长 4096 个字符；每个任务最多 1000 个。"
        }
    },
    submit_refresh: "创建刷新任务",
    submit_preheat: "创建预热任务",
    created: |id| format!("任务 {id} 已创建，已在下方列表中高亮显示。"),

    detail_title: |id| format!("任务 {id}"),
    back_to_tasks: "← 全部刷新和预热任务",
    urls_heading: "URL 列表",
    detail_loading: "正在加载任务…",
    detail_no_urls: "此任务没有 URL。",
    detail_no_match: "此任务没有符合筛选条件的 URL。",
    detail_gone: "没有这个任务：它不存在，或早于详情查询能查到的天数。",
    urls_caption: "任务的 URL",
    column_url: "URL",
    column_why_failed: "失败原因",
    filter_url_status: "URL 状态",
    filter_url: "URL 包含",
    filter_url_placeholder: "URL 的一部分",
    search: "搜索",
    clear: "清除",

    task_type: |task_type| match task_type {
        TaskType::Refresh => "刷新",
        TaskType::Preheating => "预热",
    },
    task_status: |status| match status {
        TaskStatus::InProcess => "处理中",
        TaskStatus::Done => "已完成",
    },
    file_type: |file_type| match file_type {
        FileType::File => "文件",
        FileType::Directory => "目录",
    },
    order_field: |field| match field {
        OrderField::TaskType => "类型",
        OrderField::Total => "URL 数",
        OrderField::Processing => "处理中",
        OrderField::Succeed => "成功",
        OrderField::Failed => "失败",
        OrderField::CreateTime => "创建时间",
    },
    order_type: |order| match order {
        OrderType::Desc => "降序",
        OrderType::Asc => "升序",
    },
    url_status: |status| match status {
        UrlStatus::Processing => "处理中",
        UrlStatus::Succeed => "成功",
        UrlStatus::Failed => "失败",
        UrlStatus::Waiting => "排队中",
        UrlStatus::Refreshing => "刷新中",
        UrlStatus::Preheating => "预热中",
    },
    fail_classify: |class| match class {
        FailClassify::OriginError => "源站错误",
        FailClassify::InnerError => "内部错误",
        FailClassify::UnknownError => "未知错误",
    },
};
