//! The words of the cls page: the struct, then English, then Simplified Chinese.

use crate::components::FieldLabels;

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
};

pub const ZH_CN: Cls = Cls {
    title: "CLS 日志导出",
    one: "CLS 日志导出",
    intro: "把腾讯云 CLS 日志主题的日志导出为文件（JSON 行或 CSV 格式的 .tar.gz）。导出任务会排队、运行、完成；完成后 CLS 将文件保留三天。文件名中的时间是北京时间（UTC+8），与列表所用的时区无关。",
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
};
