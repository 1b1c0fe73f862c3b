//! Huawei Cloud CDN: cache refresh and preheat ("history") tasks.
//!
//! - `GET /v1.0/cdn/historytasks`: ShowHistoryTasks, one page of tasks.
//! - `GET /v1.0/cdn/historytasks/{history_tasks_id}/detail`: ShowHistoryTaskDetails, the URLs of one task.
//! - `POST /v1.0/cdn/content/refresh-tasks`: CreateRefreshTasks.
//! - `POST /v1.0/cdn/content/preheating-tasks`: CreatePreheatingTasks.
//!
//! Field names and documented values follow the official SDK (`huaweicloudsdkcdn` v1/v2). Query
//! parameters stay strings until validated, so a bad value gets a message naming its parameter.

use crate::validation::{Rule, UrlRule, Violations};
use crate::wire_enum::wire_enum;
use serde::{Deserialize, Serialize};

pub const HISTORY_TASKS_PATH: &str = "/v1.0/cdn/historytasks";
pub const REFRESH_TASKS_PATH: &str = "/v1.0/cdn/content/refresh-tasks";
pub const PREHEATING_TASKS_PATH: &str = "/v1.0/cdn/content/preheating-tasks";

/// The detail path of one task.
pub fn detail_path(task_id: &str) -> String {
    format!("{HISTORY_TASKS_PATH}/{}/detail", super::percent_encode(task_id))
}

pub const PAGE_SIZE_MAX: u32 = 10_000;
pub const PAGE_SIZE_DEFAULT: u32 = 30;
pub const PAGE_NUMBER_MAX: u32 = 65_535;
/// Most URLs one refresh or preheat call may carry.
pub const URLS_MAX: usize = 1000;
/// Most directories one directory refresh may carry.
pub const DIRECTORIES_MAX: usize = 100;
pub const URL_LENGTH_MAX: usize = 4096;
/// The largest legal CreateRefreshTasks or CreatePreheatingTasks body: [`URLS_MAX`] URLs of
/// [`URL_LENGTH_MAX`] characters, each character up to 4 bytes of UTF-8, each URL quoted and
/// followed by a comma, plus 64 KB for the wrapper object, `type`, `mode` and whitespace: about
/// 15.7 MiB. (URLs are counted in characters, as the form counts them, so a body of 1,000 ASCII
/// URLs of 4 KB is about 4 MB and one of Chinese URLs about 12 MB.)
pub const CONTENT_TASK_BODY_MAX_BYTES: usize = URLS_MAX * (URL_LENGTH_MAX * 4 + 3) + 64 * 1024;

/// Error code for too many URLs in one call (CDN's own code table).
pub const TOO_MANY_URLS: &str = "CDN.0110";

wire_enum! {
    /// What a task does (`task_type`, lower case at task level).
    pub enum TaskType {
        Refresh = "refresh" => "Refresh",
        Preheating = "preheating" => "Preheat",
    }
}

impl TaskType {
    /// The upper-case form the same value takes on each URL of a task's detail.
    pub const fn url_task_type(self) -> &'static str {
        match self {
            Self::Refresh => "REFRESH",
            Self::Preheating => "PREHEATING",
        }
    }
}

wire_enum! {
    /// Whether a task still has unfinished URLs (`status`).
    pub enum TaskStatus {
        InProcess = "task_inprocess" => "In progress",
        Done = "task_done" => "Done",
    }
}

wire_enum! {
    /// Whether a task's URLs are files or directories (`file_type`).
    pub enum FileType {
        File = "file" => "Files",
        Directory = "directory" => "Directories",
    }
}

wire_enum! {
    /// Directory refresh mode (`mode`): everything under the directory, or only what changed.
    pub enum RefreshMode {
        All = "all" => "Everything",
        DetectModifyRefresh = "detect_modify_refresh" => "Only changed files",
    }
}

wire_enum! {
    /// Fields the task list can be sorted by (`order_field`).
    pub enum OrderField {
        TaskType = "task_type" => "Type",
        Total = "total" => "URLs",
        Processing = "processing" => "In progress",
        Succeed = "succeed" => "Succeeded",
        Failed = "failed" => "Failed",
        CreateTime = "create_time" => "Created",
    }
}

wire_enum! {
    /// Sort direction (`order_type`).
    pub enum OrderType {
        Desc = "desc" => "Descending",
        Asc = "asc" => "Ascending",
    }
}

wire_enum! {
    /// The state of one URL of a task. The mock uses `waiting`, `processing`, `succeed` and
    /// `failed`; `refreshing` and `preheating` are documented filter values it accepts.
    pub enum UrlStatus {
        Processing = "processing" => "In progress",
        Succeed = "succeed" => "Succeeded",
        Failed = "failed" => "Failed",
        Waiting = "waiting" => "Waiting",
        Refreshing = "refreshing" => "Refreshing",
        Preheating = "preheating" => "Preheating",
    }
}

wire_enum! {
    /// Why a URL failed (`fail_classify`).
    pub enum FailClassify {
        OriginError = "ORIGIN_ERROR" => "Origin error",
        InnerError = "INNER_ERROR" => "Internal error",
        UnknownError = "UNKNOWN_ERROR" => "Unknown error",
    }
}

/// One task of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryTask {
    pub id: String,
    pub task_type: String,
    pub status: String,
    pub processing: u32,
    pub succeed: u32,
    pub failed: u32,
    pub total: u32,
    pub create_time: i64,
    pub file_type: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShowHistoryTasksResponse {
    pub total: u64,
    pub tasks: Vec<HistoryTask>,
}

/// One URL of a task's detail. `fail_classify` and `fail_desc` only when it failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UrlObject {
    pub id: String,
    pub url: String,
    pub status: String,
    pub create_time: i64,
    pub task_id: String,
    pub task_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_classify: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_desc: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShowHistoryTaskDetailsResponse {
    pub id: String,
    pub task_type: String,
    pub status: String,
    pub urls: Vec<UrlObject>,
    pub create_time: i64,
    pub processing: u32,
    pub succeed: u32,
    pub failed: u32,
    pub total: u32,
    pub file_type: String,
}

/// The parameters of ShowHistoryTasks as received (every one optional, every one text).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShowHistoryTasksQuery {
    pub enterprise_project_id: Option<String>,
    pub page_size: Option<String>,
    pub page_number: Option<String>,
    pub status: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub order_field: Option<String>,
    pub order_type: Option<String>,
    pub file_type: Option<String>,
    pub task_type: Option<String>,
}

/// ShowHistoryTasks after defaults and checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryFilter {
    pub page: Page,
    pub status: Option<TaskStatus>,
    pub start_ms: Option<i64>,
    pub end_ms: Option<i64>,
    pub order_field: OrderField,
    pub order_type: OrderType,
    pub file_type: FileType,
    pub task_type: Option<TaskType>,
}

/// A page by number, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub size: u32,
    pub number: u32,
}

impl Page {
    /// How many items come before this page.
    pub fn offset(self) -> u64 {
        // Cannot overflow: both factors are 32-bit. Page numbers start at 1; a 0 made by hand is
        // read as the first page rather than wrapping.
        u64::from(self.number.saturating_sub(1)) * u64::from(self.size)
    }
}

impl ShowHistoryTasksQuery {
    /// Applies the documented defaults and rules: `page_size` 1–10000 (default 30) and
    /// `page_number` 1–65535 (default 1) go together; `order_field` without `order_type` (or the
    /// other way round) falls back to `create_time` descending; `file_type` defaults to `file`.
    pub fn validate(&self) -> Result<HistoryFilter, Violations> {
        let mut v = Violations::default();
        let page = page(&mut v, self.page_size.as_deref(), self.page_number.as_deref());
        let status = enum_param(&mut v, "status", self.status.as_deref(), TaskStatus::parse, TaskStatus::WIRE);
        let start_ms = epoch_ms(&mut v, "start_date", self.start_date.as_deref());
        let end_ms = epoch_ms(&mut v, "end_date", self.end_date.as_deref());
        if let (Some(start), Some(end)) = (start_ms, end_ms) {
            if end < start {
                v.push("end_date", Rule::NotBefore { other: "start_date" });
            }
        }
        let order_field =
            enum_param(&mut v, "order_field", self.order_field.as_deref(), OrderField::parse, OrderField::WIRE);
        let order_type =
            enum_param(&mut v, "order_type", self.order_type.as_deref(), OrderType::parse, OrderType::WIRE);
        let (order_field, order_type) = match (order_field, order_type) {
            (Some(field), Some(direction)) => (field, direction),
            _ => (OrderField::CreateTime, OrderType::Desc),
        };
        let file_type = enum_param(&mut v, "file_type", self.file_type.as_deref(), FileType::parse, FileType::WIRE)
            .unwrap_or(FileType::File);
        let task_type = enum_param(&mut v, "task_type", self.task_type.as_deref(), TaskType::parse, TaskType::WIRE);
        v.into_result(HistoryFilter {
            page: page.unwrap_or(Page { size: PAGE_SIZE_DEFAULT, number: 1 }),
            status,
            start_ms,
            end_ms,
            order_field,
            order_type,
            file_type,
            task_type,
        })
    }

    /// The query string this query travels as, keys in the SDK's (sorted) order.
    pub fn to_query_string(&self) -> String {
        let fields = [
            ("end_date", &self.end_date),
            ("enterprise_project_id", &self.enterprise_project_id),
            ("file_type", &self.file_type),
            ("order_field", &self.order_field),
            ("order_type", &self.order_type),
            ("page_number", &self.page_number),
            ("page_size", &self.page_size),
            ("start_date", &self.start_date),
            ("status", &self.status),
            ("task_type", &self.task_type),
        ];
        query_string(&fields)
    }
}

/// The parameters of ShowHistoryTaskDetails as received.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShowHistoryTaskDetailsQuery {
    pub enterprise_project_id: Option<String>,
    pub page_size: Option<String>,
    pub page_number: Option<String>,
    pub status: Option<String>,
    pub url: Option<String>,
    pub create_time: Option<String>,
}

/// ShowHistoryTaskDetails after defaults and checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetailFilter {
    pub page: Page,
    pub status: Option<UrlStatus>,
    pub url: Option<String>,
    pub create_time: Option<i64>,
}

impl ShowHistoryTaskDetailsQuery {
    pub fn validate(&self) -> Result<DetailFilter, Violations> {
        let mut v = Violations::default();
        let page = page(&mut v, self.page_size.as_deref(), self.page_number.as_deref());
        let status = enum_param(&mut v, "status", self.status.as_deref(), UrlStatus::parse, UrlStatus::WIRE);
        let create_time = epoch_ms(&mut v, "create_time", self.create_time.as_deref());
        let url = self.url.as_deref().map(str::trim).filter(|u| !u.is_empty()).map(str::to_owned);
        v.into_result(DetailFilter {
            page: page.unwrap_or(Page { size: PAGE_SIZE_DEFAULT, number: 1 }),
            status,
            url,
            create_time,
        })
    }

    pub fn to_query_string(&self) -> String {
        let fields = [
            ("create_time", &self.create_time),
            ("enterprise_project_id", &self.enterprise_project_id),
            ("page_number", &self.page_number),
            ("page_size", &self.page_size),
            ("status", &self.status),
            ("url", &self.url),
        ];
        query_string(&fields)
    }
}

fn query_string(fields: &[(&str, &Option<String>)]) -> String {
    fields
        .iter()
        .filter_map(|(key, value)| {
            value.as_deref().filter(|v| !v.is_empty()).map(|v| format!("{key}={}", super::percent_encode(v)))
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// `page_size` and `page_number` are documented to travel together; one alone is refused
/// (mock: the docs state the pairing but not what happens when it is broken).
fn page(v: &mut Violations, size: Option<&str>, number: Option<&str>) -> Option<Page> {
    let size = size.filter(|s| !s.is_empty());
    let number = number.filter(|s| !s.is_empty());
    let (size, number) = match (size, number) {
        (None, None) => return None,
        (Some(_), None) => {
            v.push("page_number", Rule::RequiredWith { other: "page_size" });
            return None;
        }
        (None, Some(_)) => {
            v.push("page_size", Rule::RequiredWith { other: "page_number" });
            return None;
        }
        (Some(size), Some(number)) => (size, number),
    };
    let size = bounded(v, "page_size", size, PAGE_SIZE_MAX);
    let number = bounded(v, "page_number", number, PAGE_NUMBER_MAX);
    Some(Page { size: size?, number: number? })
}

fn bounded(v: &mut Violations, field: &'static str, text: &str, max: u32) -> Option<u32> {
    match text.trim().parse::<u32>() {
        Ok(n) if (1..=max).contains(&n) => Some(n),
        _ => {
            v.push(field, Rule::IntegerRange { min: 1, max: max.into(), got: text.to_owned() });
            None
        }
    }
}

/// A time parameter: an integer of milliseconds since the epoch, within [`crate::time_range`].
fn epoch_ms(v: &mut Violations, field: &'static str, text: Option<&str>) -> Option<i64> {
    let text = text.map(str::trim).filter(|s| !s.is_empty())?;
    match text.parse::<i64>() {
        Ok(ms) => v.check_time(field, ms).then_some(ms),
        Err(_) => {
            v.push(field, Rule::NotEpochMs { got: text.to_owned() });
            None
        }
    }
}

fn enum_param<T>(
    v: &mut Violations,
    field: &'static str,
    text: Option<&str>,
    parse: fn(&str) -> Option<T>,
    allowed: &'static [&'static str],
) -> Option<T> {
    let text = text.filter(|s| !s.is_empty())?;
    let parsed = parse(text);
    if parsed.is_none() {
        v.push(field, Rule::NotOneOf { allowed, got: text.to_owned() });
    }
    parsed
}

/// CreateRefreshTasks' body: `{"refresh_task": {...}}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefreshTaskRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_task: Option<RefreshTaskBody>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefreshTaskBody {
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub file_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zh_url_encode: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urls: Option<Vec<String>>,
}

/// CreatePreheatingTasks' body: `{"preheating_task": {...}}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreheatingTaskRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preheating_task: Option<PreheatingTaskBody>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreheatingTaskBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zh_url_encode: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urls: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateRefreshTasksResponse {
    pub refresh_task: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatePreheatingTasksResponse {
    pub preheating_task: String,
}

/// A refresh or preheat call that passed the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentTaskSpec {
    pub task_type: TaskType,
    pub file_type: FileType,
    pub mode: RefreshMode,
    pub urls: Vec<String>,
}

/// Why a refresh or preheat call was refused: too many URLs has its own code (CDN.0110).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlsRefused {
    TooMany(String),
    Invalid(Violations),
}

/// A URL list problem, with the 1-based line of the offending URL so a form can point at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlProblem {
    pub line: usize,
    pub rule: UrlRule,
}

impl RefreshTaskRequest {
    pub fn validate(&self) -> Result<ContentTaskSpec, UrlsRefused> {
        let Some(task) = &self.refresh_task else {
            return Err(missing("refresh_task"));
        };
        let mut v = Violations::default();
        let file_type = enum_param(&mut v, "type", task.file_type.as_deref(), FileType::parse, FileType::WIRE)
            .unwrap_or(FileType::File);
        let mode = enum_param(&mut v, "mode", task.mode.as_deref(), RefreshMode::parse, RefreshMode::WIRE)
            .unwrap_or(RefreshMode::All);
        let urls = task.urls.as_deref().unwrap_or_default();
        let kind = UrlKind::refreshing(file_type);
        check_counts(urls, kind)?;
        for problem in url_problems(urls, kind) {
            v.push("urls", Rule::UrlLine { line: problem.line, problem: problem.rule });
        }
        v.into_result(ContentTaskSpec { task_type: TaskType::Refresh, file_type, mode, urls: urls.to_vec() })
            .map_err(UrlsRefused::Invalid)
    }
}

impl PreheatingTaskRequest {
    pub fn validate(&self) -> Result<ContentTaskSpec, UrlsRefused> {
        let Some(task) = &self.preheating_task else {
            return Err(missing("preheating_task"));
        };
        let urls = task.urls.as_deref().unwrap_or_default();
        check_counts(urls, UrlKind::Preheat)?;
        let mut v = Violations::default();
        for problem in url_problems(urls, UrlKind::Preheat) {
            v.push("urls", Rule::UrlLine { line: problem.line, problem: problem.rule });
        }
        v.into_result(ContentTaskSpec {
            task_type: TaskType::Preheating,
            file_type: FileType::File,
            mode: RefreshMode::All,
            urls: urls.to_vec(),
        })
        .map_err(UrlsRefused::Invalid)
    }
}

fn missing(field: &'static str) -> UrlsRefused {
    let mut v = Violations::default();
    v.push(field, Rule::Required);
    UrlsRefused::Invalid(v)
}

/// What the URLs of one call name, which decides the rules they must follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlKind {
    /// Files to refresh.
    RefreshFiles,
    /// Directories to refresh (each ending in `/`).
    RefreshDirectories,
    /// Files to preheat: directories cannot be preheated, so none may end in `/`.
    Preheat,
}

impl UrlKind {
    /// The kind of a refresh of `file_type`.
    pub const fn refreshing(file_type: FileType) -> Self {
        match file_type {
            FileType::File => Self::RefreshFiles,
            FileType::Directory => Self::RefreshDirectories,
        }
    }

    /// The file type the task is listed under.
    pub const fn file_type(self) -> FileType {
        match self {
            Self::RefreshFiles | Self::Preheat => FileType::File,
            Self::RefreshDirectories => FileType::Directory,
        }
    }

    /// Most URLs one call of this kind may carry, and what they are called.
    pub const fn max(self) -> (usize, &'static str) {
        match self {
            Self::RefreshFiles | Self::Preheat => (URLS_MAX, "URLs"),
            Self::RefreshDirectories => (DIRECTORIES_MAX, "directories"),
        }
    }
}

fn check_counts(urls: &[String], kind: UrlKind) -> Result<(), UrlsRefused> {
    let (max, what) = kind.max();
    if urls.len() > max {
        return Err(UrlsRefused::TooMany(format!(
            "The number of URLs to be preheated or refreshed exceeds the upper limit: {} {what}, at most {max} per call",
            urls.len()
        )));
    }
    Ok(())
}

/// Every URL that breaks a rule: `http://` or `https://` with a host, at most 4096 characters,
/// no whitespace; directory refreshes name directories (ending in `/`), and preheats name files
/// only ("directories cannot be preheated", and a URL ending in `/` is how a directory is named).
/// An empty list is one problem on line 1. Shared by the mock (which refuses) and the form (which
/// points at lines).
pub fn url_problems(urls: &[String], kind: UrlKind) -> Vec<UrlProblem> {
    if urls.is_empty() {
        return vec![UrlProblem { line: 1, rule: UrlRule::NoUrls }];
    }
    let mut problems = Vec::new();
    for (index, url) in urls.iter().enumerate() {
        let problem = |rule: UrlRule| UrlProblem { line: index + 1, rule };
        let chars = url.chars().count();
        let rest = url.strip_prefix("http://").or_else(|| url.strip_prefix("https://"));
        if chars > URL_LENGTH_MAX {
            problems.push(problem(UrlRule::TooLong { chars, max: URL_LENGTH_MAX }));
        } else if url.chars().any(char::is_whitespace) {
            problems.push(problem(UrlRule::Whitespace));
        } else if let Some(rest) = rest {
            let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
            if host.is_empty() {
                problems.push(problem(UrlRule::NoDomain { url: url.clone() }));
            } else if kind == UrlKind::RefreshDirectories && !url.ends_with('/') {
                problems.push(problem(UrlRule::NotADirectory { url: url.clone() }));
            } else if kind == UrlKind::Preheat && names_a_directory(url) {
                problems.push(problem(UrlRule::DirectoryPreheat { url: url.clone() }));
            }
        } else {
            problems.push(problem(UrlRule::NotHttp { url: url.clone() }));
        }
    }
    problems
}

/// Whether a URL names a directory: its path (before any `?` or `#`) ends with `/`.
fn names_a_directory(url: &str) -> bool {
    url.split(['?', '#']).next().unwrap_or_default().ends_with('/')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> ShowHistoryTasksQuery {
        let mut q = ShowHistoryTasksQuery::default();
        for (key, value) in pairs {
            let value = Some((*value).to_owned());
            match *key {
                "page_size" => q.page_size = value,
                "page_number" => q.page_number = value,
                "status" => q.status = value,
                "order_field" => q.order_field = value,
                "order_type" => q.order_type = value,
                "file_type" => q.file_type = value,
                "start_date" => q.start_date = value,
                "end_date" => q.end_date = value,
                _ => unreachable!("{key}"),
            }
        }
        q
    }

    #[test]
    fn defaults_are_the_documented_ones() {
        let filter = query(&[]).validate().unwrap();
        assert_eq!(filter.page, Page { size: 30, number: 1 });
        assert_eq!((filter.order_field, filter.order_type), (OrderField::CreateTime, OrderType::Desc));
        assert_eq!(filter.file_type, FileType::File);
    }

    #[test]
    fn paging_bounds_and_pairing() {
        assert_eq!(
            query(&[("page_size", "10000"), ("page_number", "65535")]).validate().unwrap().page,
            Page { size: 10_000, number: 65_535 }
        );
        let err = query(&[("page_size", "10001"), ("page_number", "0")]).validate().unwrap_err();
        assert!(err.message_for("page_size").unwrap().contains("1 to 10000"));
        assert!(err.message_for("page_number").unwrap().contains("1 to 65535"));
        let err = query(&[("page_size", "50")]).validate().unwrap_err();
        assert!(err.message_for("page_number").unwrap().contains("go together"));
    }

    #[test]
    fn order_field_needs_its_order_type() {
        let alone = query(&[("order_field", "total")]).validate().unwrap();
        assert_eq!((alone.order_field, alone.order_type), (OrderField::CreateTime, OrderType::Desc));
        let paired = query(&[("order_field", "total"), ("order_type", "asc")]).validate().unwrap();
        assert_eq!((paired.order_field, paired.order_type), (OrderField::Total, OrderType::Asc));
        let err = query(&[("order_field", "name"), ("order_type", "up")]).validate().unwrap_err();
        assert_eq!(err.0.len(), 2);
    }

    #[test]
    fn enums_and_dates_are_checked() {
        let err = query(&[("status", "done"), ("file_type", "dir"), ("start_date", "yesterday")]).validate();
        let err = err.unwrap_err();
        assert!(err.message_for("status").unwrap().contains("task_inprocess, task_done"));
        assert!(err.for_field("file_type").is_some());
        assert!(err.for_field("start_date").is_some());
        let err = query(&[("start_date", "2000"), ("end_date", "1000")]).validate().unwrap_err();
        assert!(err.for_field("end_date").is_some());
    }

    #[test]
    fn dates_outside_the_accepted_range_are_refused_by_name() {
        let err = query(&[("start_date", "9223372036854775807"), ("end_date", "-1")]).validate().unwrap_err();
        assert!(err.message_for("start_date").unwrap().contains("2100-01-01T00:00:00Z"), "{err}");
        assert!(err.message_for("end_date").unwrap().contains("2000-01-01T00:00:00Z"), "{err}");
        let details = ShowHistoryTaskDetailsQuery { create_time: Some("4102444800001".into()), ..Default::default() };
        assert!(details.validate().unwrap_err().for_field("create_time").is_some());
        let fine = ShowHistoryTaskDetailsQuery { create_time: Some("1763942400000".into()), ..Default::default() };
        assert_eq!(fine.validate().unwrap().create_time, Some(1_763_942_400_000));
    }

    fn refresh(file_type: Option<&str>, urls: Vec<String>) -> Result<ContentTaskSpec, UrlsRefused> {
        RefreshTaskRequest {
            refresh_task: Some(RefreshTaskBody {
                file_type: file_type.map(str::to_owned),
                urls: Some(urls),
                ..Default::default()
            }),
        }
        .validate()
    }

    #[test]
    fn url_rules_point_at_the_offending_lines() {
        let urls = vec![
            "https://www.example.com/a.js".to_owned(),
            "ftp://www.example.com/b".to_owned(),
            format!("https://www.example.com/{}", "x".repeat(4096)),
            "http:///nohost".to_owned(),
        ];
        let problems = url_problems(&urls, UrlKind::RefreshFiles);
        assert_eq!(problems.iter().map(|p| p.line).collect::<Vec<_>>(), vec![2, 3, 4]);
        assert!(matches!(refresh(None, urls), Err(UrlsRefused::Invalid(v)) if v.0.len() == 3));
        assert!(refresh(None, vec!["https://www.example.com/".to_owned()]).is_ok());
    }

    #[test]
    fn url_counts_have_their_own_error() {
        let files: Vec<String> = (0..1001).map(|i| format!("https://www.example.com/{i}")).collect();
        assert!(matches!(refresh(None, files[..1000].to_vec()), Ok(spec) if spec.urls.len() == 1000));
        assert!(matches!(refresh(None, files), Err(UrlsRefused::TooMany(_))));
        let dirs: Vec<String> = (0..101).map(|i| format!("https://www.example.com/{i}/")).collect();
        assert!(refresh(Some("directory"), dirs[..100].to_vec()).is_ok());
        assert!(matches!(refresh(Some("directory"), dirs), Err(UrlsRefused::TooMany(_))));
        let not_dir = refresh(Some("directory"), vec!["https://www.example.com/a.js".to_owned()]);
        assert!(matches!(not_dir, Err(UrlsRefused::Invalid(v)) if v.0[0].rule.to_string().contains("not a directory")));
    }

    #[test]
    fn preheating_takes_files_only_and_requires_its_wrapper() {
        let missing = PreheatingTaskRequest::default().validate();
        assert!(matches!(missing, Err(UrlsRefused::Invalid(v)) if v.for_field("preheating_task").is_some()));
        let ok = PreheatingTaskRequest {
            preheating_task: Some(PreheatingTaskBody {
                urls: Some(vec!["http://a.example.com/x".into()]),
                ..Default::default()
            }),
        }
        .validate()
        .unwrap();
        assert_eq!((ok.task_type, ok.file_type), (TaskType::Preheating, FileType::File));
    }

    #[test]
    fn a_preheat_refuses_directories_by_line() {
        let preheat = |urls: &[&str]| {
            PreheatingTaskRequest {
                preheating_task: Some(PreheatingTaskBody {
                    urls: Some(urls.iter().map(|u| (*u).to_owned()).collect()),
                    ..Default::default()
                }),
            }
            .validate()
        };
        let refused = preheat(&["https://a.example.com/x.js", "https://a.example.com/static/"]);
        let Err(UrlsRefused::Invalid(v)) = refused else { panic!("{refused:?}") };
        let message = v.message_for("urls").unwrap();
        assert!(message.starts_with("line 2: ") && message.contains("cannot be preheated"), "{message}");
        assert!(preheat(&["https://a.example.com/"]).is_err(), "the root is a directory too");
        assert!(preheat(&["https://a.example.com/x.js?v=a/"]).is_ok(), "a slash in the query is not the path's");
        assert!(refresh(None, vec!["https://a.example.com/static/".to_owned()]).is_ok(), "refreshing it is fine");
    }
}
