//! The words of the iotda page: the struct, then English, then Simplified Chinese.

use crate::components::FieldLabels;
use export_desk_model::huawei_iotda::{AppType, ExportFormat};

/// Every text of this area in one language.
pub struct Iotda {
    /// The page's title and its nav link, plural.
    pub title: &'static str,
    /// One task of the kind, for the Overview's kind column.
    pub one: &'static str,
    /// What the page is for, under its title.
    pub intro: &'static str,
    /// The visible label of each field (by wire name) the rules' messages may name.
    pub field_labels: FieldLabels,
    /// Completes "IoTDA exports are not available on this server: …".
    pub no_project: &'static str,

    // The filter bar.
    /// The batch task id's label, in the filter bar and the create form.
    pub batch_task_id: &'static str,
    pub batch_task_id_placeholder: &'static str,
    /// The scope's label: filter, form and column.
    pub scope: &'static str,
    pub scope_whole_tenant: &'static str,
    pub scope_one_application: &'static str,
    pub app_id: &'static str,
    pub app_id_placeholder: &'static str,
    pub filter_button: &'static str,
    pub clear_button: &'static str,

    // The list.
    pub tasks_heading: &'static str,
    pub loading: &'static str,
    pub no_tasks: &'static str,
    pub no_match: &'static str,
    pub order_note: &'static str,
    /// "IoTDA serves one download every 30 seconds: the next is possible in {secs} s."
    pub download_wait: fn(u32) -> String,
    pub caption: &'static str,
    pub column_batch_task: &'static str,
    pub column_status: &'static str,
    pub column_created: &'static str,
    pub column_finished: &'static str,
    pub column_actions: &'static str,
    /// "{progress} % · {rows} rows"
    pub progress: fn(u32, u64) -> String,
    /// "Progress of {export task id}", the progress bar's name.
    pub progress_of: fn(&str) -> String,
    /// A scope as the form's select and the list show it (English: the model's label).
    pub scope_label: fn(AppType) -> &'static str,
    /// A file format as the form's select shows it (English: the model's label).
    pub format_label: fn(ExportFormat) -> &'static str,
    /// The Overview's title of a task: "Batch task {batch task id} ({progress}%)".
    pub overview_batch_task: fn(&str, u32) -> String,
    /// The Overview's title of a task naming no batch task: "{resource type} ({progress}%)".
    pub overview_other: fn(&str, u32) -> String,

    // The row actions.
    pub download: &'static str,
    pub downloading: &'static str,
    /// "Download in {secs} s", while IoTDA would refuse a download.
    pub download_in: fn(u32) -> String,
    /// One row, lower case, for "Delete {thing} {id}".
    pub delete_thing: &'static str,
    pub delete_question: &'static str,

    // The create form.
    pub form_heading: &'static str,
    pub batch_task_id_hint: &'static str,
    pub file_format: &'static str,
    pub app_id_optional: &'static str,
    pub app_id_hint: &'static str,
    pub submit: &'static str,
    /// "Task {id} created; it is highlighted in the list below."
    pub created: fn(&str) -> String,
    /// "{running} export tasks are still running. This one has the same conditions as running
    /// task {id}, which it replaces, so IoTDA accepts it."
    pub limit_replaces: fn(usize, &str) -> String,
    /// "{running} export tasks are still running: IoTDA refuses a new one until …"
    pub limit_refuses: fn(usize) -> String,
}

pub const EN: Iotda = Iotda {
    title: "IoTDA exports",
    one: "IoTDA export",
    intro: "Export the results of a Huawei Cloud IoTDA batch task as a zipped Excel file. A task runs for a while; the list refreshes itself until it is done. IoTDA keeps 50 tasks, runs at most 5 at a time and serves one download every 30 seconds.",
    field_labels: &[
        ("resource_condition", "Batch task id"),
        ("task_id", "Batch task id"),
        ("export_format", "File format"),
        ("app_type", "Scope"),
        ("app_id", "Application id"),
    ],
    no_project: "it names no IoTDA project to work in",

    batch_task_id: "Batch task id",
    batch_task_id_placeholder: "exact id",
    scope: "Scope",
    scope_whole_tenant: "Whole tenant",
    scope_one_application: "One application",
    app_id: "Application id",
    app_id_placeholder: "default application",
    filter_button: "Filter",
    clear_button: "Clear",

    tasks_heading: "Export tasks",
    loading: "Loading export tasks…",
    no_tasks: "No export tasks yet. Create one with the form above.",
    no_match: "No export tasks match these filters.",
    order_note: "Newest first, the only order IoTDA lists in.",
    download_wait: |secs| format!("IoTDA serves one download every 30 seconds: the next is possible in {secs} s."),
    caption: "IoTDA export tasks, newest first",
    column_batch_task: "Batch task",
    column_status: "Status",
    column_created: "Created",
    column_finished: "Finished",
    column_actions: "Actions",
    progress: |progress, rows| format!("{progress} % · {rows} rows"),
    progress_of: |id| format!("Progress of {id}"),
    scope_label: AppType::label,
    format_label: ExportFormat::label,
    overview_batch_task: |batch, progress| format!("Batch task {batch} ({progress}%)"),
    overview_other: |resource_type, progress| format!("{resource_type} ({progress}%)"),

    download: "Download",
    downloading: "Downloading…",
    download_in: |secs| format!("Download in {secs} s"),
    delete_thing: "task",
    delete_question: "Delete this task?",

    form_heading: "New export task",
    batch_task_id_hint: "Up to 24 characters of 0-9 and a-f, as IoTDA's batch task list shows it.",
    file_format: "File format",
    app_id_optional: "Application id (optional)",
    app_id_hint: "Empty means the default application.",
    submit: "Create export task",
    created: |id| format!("Task {id} created; it is highlighted in the list below."),
    limit_replaces: |running, id| {
        format!(
            "{running} export tasks are still running. This one has the same conditions as running task {id}, \
             which it replaces, so IoTDA accepts it."
        )
    },
    limit_refuses: |running| {
        format!(
            "{running} export tasks are still running: IoTDA refuses a new one until one of them finishes \
             (or is deleted). Re-exporting the batch task of a running task replaces it."
        )
    },
};

pub const ZH_CN: Iotda = Iotda {
    title: "IoTDA 导出",
    one: "IoTDA 导出",
    intro: "把华为云 IoTDA 批量任务的结果导出为压缩的 Excel 文件。任务要运行一段时间，列表会自动刷新直到完成。IoTDA 最多保留 50 个任务，同时最多运行 5 个，每 30 秒只提供一次下载。",
    field_labels: &[
        ("resource_condition", "批量任务 ID"),
        ("task_id", "批量任务 ID"),
        ("export_format", "文件格式"),
        ("app_type", "范围"),
        ("app_id", "资源空间 ID"),
    ],
    no_project: "它没有指定要使用的 IoTDA 项目",

    batch_task_id: "批量任务 ID",
    batch_task_id_placeholder: "完整 ID",
    scope: "范围",
    scope_whole_tenant: "整个租户",
    scope_one_application: "单个资源空间",
    app_id: "资源空间 ID",
    app_id_placeholder: "默认资源空间",
    filter_button: "筛选",
    clear_button: "清除",

    tasks_heading: "导出任务",
    loading: "正在加载导出任务…",
    no_tasks: "还没有导出任务。请用上方的表单创建。",
    no_match: "没有符合筛选条件的导出任务。",
    order_note: "最新的在前，IoTDA 只按这种顺序列出。",
    download_wait: |secs| format!("IoTDA 每 30 秒只提供一次下载：{secs} 秒后可再次下载。"),
    caption: "IoTDA 导出任务，最新的在前",
    column_batch_task: "批量任务",
    column_status: "状态",
    column_created: "创建时间",
    column_finished: "完成时间",
    column_actions: "操作",
    progress: |progress, rows| format!("{progress} % · {rows} 条"),
    progress_of: |id| format!("{id} 的进度"),
    scope_label: |scope| match scope {
        AppType::Global => "租户",
        AppType::App => "资源空间",
    },
    format_label: |format| match format {
        ExportFormat::Xls => "Excel（.xls）",
    },
    overview_batch_task: |batch, progress| format!("批量任务 {batch}（{progress}%）"),
    overview_other: |resource_type, progress| format!("{resource_type}（{progress}%）"),

    download: "下载",
    downloading: "正在下载…",
    download_in: |secs| format!("{secs} 秒后可下载"),
    delete_thing: "任务",
    delete_question: "删除此任务？",

    form_heading: "新建导出任务",
    batch_task_id_hint: "最多 24 个字符，只含 0-9 和 a-f，与 IoTDA 批量任务列表中显示的一致。",
    file_format: "文件格式",
    app_id_optional: "资源空间 ID（可选）",
    app_id_hint: "留空表示默认资源空间。",
    submit: "创建导出任务",
    created: |id| format!("任务 {id} 已创建，已在下方列表中高亮显示。"),
    limit_replaces: |running, id| {
        format!("仍有 {running} 个导出任务在运行。此任务与运行中的任务 {id} 条件相同，会替换它，因此 IoTDA 会接受。")
    },
    limit_refuses: |running| {
        format!(
            "仍有 {running} 个导出任务在运行：在其中一个完成（或被删除）之前，IoTDA 会拒绝新任务。\
             重新导出运行中任务的批量任务会替换该任务。"
        )
    },
};
