//! The words of the iotda page: the struct, then English, then Simplified Chinese.

use crate::components::FieldLabels;

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
        ("app_id", "应用 ID"),
    ],
    no_project: "它没有指定要使用的 IoTDA 项目",
};
