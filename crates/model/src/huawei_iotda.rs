//! Huawei Cloud IoTDA: resource export tasks (`/v5/iot/{project_id}/export-tasks`).
//!
//! - `POST …/export-tasks`: CreateExportTask (`AddExportTask` body, answers the [`ExportTask`]).
//! - `GET …/export-tasks`: ListExportTasks (marker + offset paging, newest first).
//! - `GET …/export-tasks/{export_task_id}/file`: ShowExportTask, which downloads the result zip.
//! - `DELETE …/export-tasks/{export_task_id}`: DeleteExportTask.
//!
//! Field names and documented values follow the official SDK (`huaweicloudsdkiotda` v5,
//! `AddExportTask`, `ExportTask`, `ListExportTasksRequest`). Query parameters stay text until
//! validated, so a bad value gets a message naming its parameter. Where the documentation is
//! silent the rules here are the mock's decisions, each marked "(mock)" and listed in the README.

use crate::validation::{Rule, Violations};
use crate::wire_enum::wire_enum;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// `POST` creates, `GET` lists (axum's `{param}` syntax, which is also the docs' notation).
pub const EXPORT_TASKS_PATH: &str = "/v5/iot/{project_id}/export-tasks";
/// `DELETE` removes one task.
pub const EXPORT_TASK_PATH: &str = "/v5/iot/{project_id}/export-tasks/{export_task_id}";
/// `GET` downloads one task's result file (the SDK calls this ShowExportTask).
pub const EXPORT_FILE_PATH: &str = "/v5/iot/{project_id}/export-tasks/{export_task_id}/file";

/// Optional header naming the IoTDA instance; the SDK signs and sends it on all four calls.
pub const INSTANCE_ID_HEADER: &str = "Instance-Id";
/// The project the SDK's `BasicCredentials` name; sent alongside the same value in the path.
pub const PROJECT_ID_HEADER: &str = "X-Project-Id";
/// (mock) The project the mock's demo tasks belong to, so a fresh dashboard has something to show.
pub const DEMO_PROJECT_ID: &str = "0e7a6d2c9b8f4e1d8c3b5a7f6e2d1c0b";

pub const LIST_LIMIT_MIN: u32 = 1;
pub const LIST_LIMIT_MAX: u32 = 50;
pub const LIST_LIMIT_DEFAULT: u32 = 10;
pub const LIST_OFFSET_MAX: u32 = 500;
/// Where a listing starts when no marker is given: above every id.
pub const DEFAULT_MARKER: &str = "ffffffffffffffffffffffff";
/// Export task ids and markers: 24 hexadecimal characters.
pub const TASK_ID_LENGTH: usize = 24;
/// Batch task ids: at most 24 characters, lower-case hex (the batch task API's rule).
pub const BATCH_TASK_ID_MAX_LENGTH: usize = 24;
/// App ids: at most 36 letters, digits, `_` or `-` (the rule IoTDA's other APIs document).
pub const APP_ID_MAX_LENGTH: usize = 36;
/// (mock) Longest accepted `Instance-Id` and `project_id`; the docs give no format.
pub const INSTANCE_ID_MAX_LENGTH: usize = 64;
pub const PROJECT_ID_MAX_LENGTH: usize = 64;

/// Documented: at most 50 export tasks per user; creating more removes the oldest.
pub const TASKS_PER_USER_MAX: usize = 50;
/// Documented: at most 5 unfinished export tasks per user.
pub const UNFINISHED_PER_USER_MAX: usize = 5;
/// Documented: one file download per user every 30 s.
pub const DOWNLOAD_INTERVAL_MS: i64 = 30_000;

/// The codes IoTDA answers with. The first four are in IoTDA's public error-code table; the
/// `IOTDA.0240xx` ones are the mock's (mock), because the public sources name no code for these
/// export-task situations.
pub mod error_code {
    /// 400: a parameter breaks a documented rule (IoTDA's generic "Invalid input data.").
    pub const INVALID_INPUT: &str = "IOTDA.000006";
    /// 400: the request itself is malformed: bad JSON, wrong field types, wrong media type.
    pub const BAD_REQUEST: &str = "IOTDA.000008";
    /// 400: `limit` outside 1–50 (IoTDA's documented code for exactly that).
    pub const LIMIT_OUT_OF_RANGE: &str = "IOTDA.000017";
    /// 403: a request rate limit (IoTDA's documented rate-limit code), here the 30 s download rule.
    pub const RATE_LIMITED: &str = "IOTDA.021101";
    /// 404 (mock): no export task with that id for this user.
    pub const TASK_NOT_FOUND: &str = "IOTDA.024001";
    /// 403 (mock): the user already has 5 unfinished export tasks.
    pub const TOO_MANY_UNFINISHED: &str = "IOTDA.024002";
    /// 404 (mock): the task is still running, so its file does not exist yet.
    pub const FILE_NOT_READY: &str = "IOTDA.024003";
    /// 404 (mock): the task failed, so it has no file.
    pub const EXPORT_FAILED: &str = "IOTDA.024004";
}

/// The list path for a project.
pub fn export_tasks_path(project_id: &str) -> String {
    format!("/v5/iot/{}/export-tasks", crate::huawei_cdn::percent_encode(project_id))
}

/// The path that deletes a task.
pub fn export_task_path(project_id: &str, export_task_id: &str) -> String {
    format!("{}/{}", export_tasks_path(project_id), crate::huawei_cdn::percent_encode(export_task_id))
}

/// The path that downloads a task's file.
pub fn export_file_path(project_id: &str, export_task_id: &str) -> String {
    format!("{}/file", export_task_path(project_id, export_task_id))
}

wire_enum! {
    /// What is exported (`resource_type`). The docs also write "BatchTasks" once; the SDK and
    /// every example say `BatchTask`, the only value accepted.
    pub enum ResourceType {
        BatchTask = "BatchTask" => "Batch task results",
    }
}

wire_enum! {
    /// The format inside the downloaded zip (`export_format`); `xls` when omitted.
    pub enum ExportFormat {
        Xls = "xls" => "Excel (.xls)",
    }
}

wire_enum! {
    /// Scope of a task (`app_type`): the whole tenant (default) or one application.
    pub enum AppType {
        Global = "GLOBAL" => "Tenant",
        App = "APP" => "Application",
    }
}

wire_enum! {
    /// Where a task is (`status`).
    pub enum TaskStatus {
        Processing = "Processing" => "Processing",
        Success = "Success" => "Succeeded",
        Failed = "Failed" => "Failed",
    }
}

impl TaskStatus {
    pub fn is_finished(self) -> bool {
        self != Self::Processing
    }
}

/// The wire enums travel as their wire strings inside validated specs (which the persistence
/// layer logs), and a stored value that is no longer valid fails loudly on replay.
macro_rules! serde_as_wire_string {
    ($($name:ident),+) => {$(
        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                Self::parse(&text).ok_or_else(|| {
                    serde::de::Error::custom(format!("must be one of {}, not `{text}`", Self::WIRE.join(", ")))
                })
            }
        }
    )+};
}

serde_as_wire_string!(ResourceType, ExportFormat, AppType, TaskStatus);

/// CreateExportTask's body (`AddExportTask`). Enums are strings so a wrong value is reported by
/// [`AddExportTask::validate`] with the allowed list; `resource_condition` is an object here
/// (and a JSON string in ListExportTasks' query).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AddExportTask {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_condition: Option<Map<String, Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub export_format: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
}

/// A CreateExportTask body that passed the rules, defaults applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportSpec {
    pub resource_type: ResourceType,
    /// `resource_condition.task_id`: the batch task whose results are exported.
    pub batch_task_id: String,
    pub export_format: ExportFormat,
    pub app_type: AppType,
    /// Kept as given; it scopes the task only with `app_type` `APP` (absent = the default app).
    pub app_id: Option<String>,
}

impl AddExportTask {
    /// Applies the documented rules: `resource_type` and `resource_condition` required,
    /// `resource_type` `BatchTask` with a `{"task_id": "<batch task id>"}` condition (mock: other
    /// keys are refused, since a batch task export has no other filter), `export_format` `xls`
    /// (default), `app_type` `GLOBAL` (default) or `APP`, `app_id` in IoTDA's app id syntax.
    pub fn validate(&self) -> Result<ExportSpec, Violations> {
        let mut v = Violations::default();
        let resource_type = match non_empty(self.resource_type.as_deref()) {
            None => {
                v.push("resource_type", Rule::RequiredAmong { allowed: ResourceType::WIRE });
                None
            }
            Some(text) => enum_value(&mut v, "resource_type", text, ResourceType::parse, ResourceType::WIRE),
        };
        let batch_task_id = match &self.resource_condition {
            None => {
                v.push("resource_condition", Rule::RequiredCondition);
                None
            }
            Some(condition) => batch_task_condition(&mut v, condition, true).flatten(),
        };
        let export_format = non_empty(self.export_format.as_deref()).map_or(Some(ExportFormat::Xls), |text| {
            enum_value(&mut v, "export_format", text, ExportFormat::parse, ExportFormat::WIRE)
        });
        let app_type = non_empty(self.app_type.as_deref())
            .map_or(Some(AppType::Global), |text| enum_value(&mut v, "app_type", text, AppType::parse, AppType::WIRE));
        let app_id = app_id(&mut v, self.app_id.as_deref());
        match (resource_type, batch_task_id, export_format, app_type) {
            (Some(resource_type), Some(batch_task_id), Some(export_format), Some(app_type)) if v.is_empty() => {
                Ok(ExportSpec { resource_type, batch_task_id, export_format, app_type, app_id })
            }
            _ => Err(v),
        }
    }
}

impl ExportSpec {
    /// The condition as it travels in an [`ExportTask`].
    pub fn resource_condition(&self) -> Map<String, Value> {
        let mut condition = Map::new();
        condition.insert("task_id".to_owned(), Value::String(self.batch_task_id.clone()));
        condition
    }

    /// Whether a new task with `other`'s conditions overwrites this one's result: same resource,
    /// condition and format, in the same scope (`app_id` counts only for `APP` tasks, as it
    /// scopes nothing otherwise).
    pub fn same_conditions(&self, other: &ExportSpec) -> bool {
        self.resource_type == other.resource_type
            && self.batch_task_id == other.batch_task_id
            && self.export_format == other.export_format
            && self.app_type == other.app_type
            && (self.app_type == AppType::Global || self.app_id == other.app_id)
    }

    /// The body that creates this spec (for the dashboard's form and the mock's demo tasks).
    pub fn to_request(&self) -> AddExportTask {
        AddExportTask {
            resource_type: Some(self.resource_type.as_str().to_owned()),
            resource_condition: Some(self.resource_condition()),
            export_format: Some(self.export_format.as_str().to_owned()),
            app_type: Some(self.app_type.as_str().to_owned()),
            app_id: self.app_id.clone(),
        }
    }
}

/// One export task as IoTDA answers it (create, list). `end_time` only once it has finished,
/// `app_id` only when one was given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportTask {
    pub export_task_id: String,
    pub resource_type: String,
    pub resource_condition: Map<String, Value>,
    pub export_format: String,
    pub status: String,
    /// Rows exported so far; when the task succeeded, the rows in its file.
    pub export_count: u64,
    /// 1–100; 100 once it succeeded.
    pub progress: u32,
    /// `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`, UTC.
    pub create_time: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    pub app_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
}

/// The paging part of a list answer: `count` matches in all, `marker` = the last listed id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page {
    pub count: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListExportTasksResponse {
    pub export_tasks: Vec<ExportTask>,
    pub page: Page,
}

/// ListExportTasks' query as received: every parameter optional text until validated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListExportTasksQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    /// A JSON object *as a string*, e.g. `{"task_id":"…"}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_condition: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
}

/// ListExportTasks after defaults and checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListFilter {
    pub resource_type: ResourceType,
    /// `resource_condition.task_id`, when the list is filtered by batch task.
    pub batch_task_id: Option<String>,
    pub limit: u32,
    /// Lower-case; only ids below it are listed.
    pub marker: String,
    /// Matches skipped after the marker.
    pub offset: u32,
    pub app_type: AppType,
    pub app_id: Option<String>,
}

impl ListExportTasksQuery {
    /// Applies the documented rules: `resource_type` required (`BatchTask`), `limit` 1–50
    /// (default 10), `marker` 24 hex characters (default `ffffffffffffffffffffffff`), `offset`
    /// 0–500 (default 0), `resource_condition` a JSON object in a string, `app_type`
    /// `GLOBAL` (default) or `APP`.
    pub fn validate(&self) -> Result<ListFilter, Violations> {
        let mut v = Violations::default();
        let resource_type = match non_empty(self.resource_type.as_deref()) {
            None => {
                v.push("resource_type", Rule::RequiredAmong { allowed: ResourceType::WIRE });
                None
            }
            Some(text) => enum_value(&mut v, "resource_type", text, ResourceType::parse, ResourceType::WIRE),
        };
        let batch_task_id = match non_empty(self.resource_condition.as_deref()) {
            None => None,
            Some(text) => match serde_json::from_str::<Value>(text) {
                Ok(Value::Object(condition)) => batch_task_condition(&mut v, &condition, false).flatten(),
                Ok(_) | Err(_) => {
                    v.push("resource_condition", Rule::ConditionNotJson { got: text.to_owned() });
                    None
                }
            },
        };
        let limit = bounded(&mut v, "limit", self.limit.as_deref(), LIST_LIMIT_MIN, LIST_LIMIT_MAX)
            .unwrap_or(LIST_LIMIT_DEFAULT);
        let offset = bounded(&mut v, "offset", self.offset.as_deref(), 0, LIST_OFFSET_MAX).unwrap_or(0);
        let marker = match non_empty(self.marker.as_deref()) {
            None => DEFAULT_MARKER.to_owned(),
            Some(text) if is_task_id(text) => text.to_ascii_lowercase(),
            Some(text) => {
                v.push("marker", Rule::HexChars { length: TASK_ID_LENGTH, got: text.to_owned() });
                DEFAULT_MARKER.to_owned()
            }
        };
        let app_type = non_empty(self.app_type.as_deref())
            .map_or(Some(AppType::Global), |text| enum_value(&mut v, "app_type", text, AppType::parse, AppType::WIRE));
        let app_id = app_id(&mut v, self.app_id.as_deref());
        match (resource_type, app_type) {
            (Some(resource_type), Some(app_type)) if v.is_empty() => {
                Ok(ListFilter { resource_type, batch_task_id, limit, marker, offset, app_type, app_id })
            }
            _ => Err(v),
        }
    }

    /// The query string this query travels as, keys in the SDK's (sorted) order.
    pub fn to_query_string(&self) -> String {
        let fields = [
            ("app_id", &self.app_id),
            ("app_type", &self.app_type),
            ("limit", &self.limit),
            ("marker", &self.marker),
            ("offset", &self.offset),
            ("resource_condition", &self.resource_condition),
            ("resource_type", &self.resource_type),
        ];
        fields
            .iter()
            .filter_map(|(key, value)| {
                let value = value.as_deref().filter(|v| !v.is_empty())?;
                Some(format!("{key}={}", crate::huawei_cdn::percent_encode(value)))
            })
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// The code a refused list query answers with: `limit` has its own documented code.
pub fn list_error_code(violations: &Violations) -> &'static str {
    if !violations.is_empty() && violations.iter().all(|v| v.field == "limit") {
        error_code::LIMIT_OUT_OF_RANGE
    } else {
        error_code::INVALID_INPUT
    }
}

impl ListFilter {
    /// Whether a task created with `spec` is listed. Without `app_type=APP` the list is
    /// tenant-wide (every task); with it, only tasks of that app (absent `app_id` = default app).
    pub fn matches(&self, spec: &ExportSpec) -> bool {
        spec.resource_type == self.resource_type
            && self.batch_task_id.as_deref().is_none_or(|id| id == spec.batch_task_id)
            && match self.app_type {
                AppType::Global => true,
                AppType::App => spec.app_type == AppType::App && spec.app_id == self.app_id,
            }
    }
}

/// Whose tasks a call sees: the documented per-user limits apply to one owner.
///
/// (mock) The user is the project of the path; tasks are further kept apart per `Instance-Id`,
/// as IoTDA instances do not share data (no header = the project's default instance).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Owner {
    pub project_id: String,
    pub instance_id: Option<String>,
}

impl Owner {
    /// Checks the path's `project_id`, the `Instance-Id` header (empty = absent) and, when sent,
    /// that `X-Project-Id` names the same project as the path (the SDK sends both from one value).
    pub fn new(
        project_id: &str,
        instance_id: Option<&str>,
        header_project_id: Option<&str>,
    ) -> Result<Self, Violations> {
        let mut v = Violations::default();
        if !is_identifier(project_id, PROJECT_ID_MAX_LENGTH) {
            let (max, got) = (PROJECT_ID_MAX_LENGTH, project_id.to_owned());
            // The SDK leaves `{project_id}` in the path when its credentials name no project.
            let rule = if project_id.contains('{') {
                Rule::UnfilledProjectId { max, got }
            } else {
                Rule::Identifier { max, got }
            };
            v.push("project_id", rule);
        }
        if let Some(header) = non_empty(header_project_id) {
            if header != project_id {
                v.push(
                    "X-Project-Id",
                    Rule::NotThePathsProject { got: header.to_owned(), path: project_id.to_owned() },
                );
            }
        }
        let instance_id = non_empty(instance_id);
        if let Some(id) = instance_id {
            if !is_identifier(id, INSTANCE_ID_MAX_LENGTH) {
                v.push("Instance-Id", Rule::Identifier { max: INSTANCE_ID_MAX_LENGTH, got: id.to_owned() });
            }
        }
        v.into_result(Self { project_id: project_id.to_owned(), instance_id: instance_id.map(str::to_owned) })
    }
}

/// Whether `text` can be an export task id or marker: 24 hexadecimal characters.
pub fn is_task_id(text: &str) -> bool {
    text.len() == TASK_ID_LENGTH && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Checks a `resource_condition` object. `Some(Some(id))` for a valid `task_id`; `Some(None)`
/// for an empty object when `task_id` is optional (a list filter); `None` when refused.
fn batch_task_condition(v: &mut Violations, condition: &Map<String, Value>, required: bool) -> Option<Option<String>> {
    let mut valid = true;
    for key in condition.keys().filter(|key| key.as_str() != "task_id") {
        v.push("resource_condition", Rule::UnknownConditionKey { key: key.clone() });
        valid = false;
    }
    let task_id = match condition.get("task_id") {
        None if required => {
            v.push("resource_condition", Rule::ConditionTaskIdRequired);
            return None;
        }
        None => None,
        Some(Value::String(id)) if is_batch_task_id(id) => Some(id.clone()),
        Some(other) => {
            v.push(
                "resource_condition",
                Rule::ConditionTaskId { max: BATCH_TASK_ID_MAX_LENGTH, got: other.to_string() },
            );
            return None;
        }
    };
    valid.then_some(task_id)
}

/// Whether `id` can be a batch task id as a `resource_condition` names it: 1 to
/// [`BATCH_TASK_ID_MAX_LENGTH`] characters of `0-9a-f`.
pub fn is_batch_task_id(id: &str) -> bool {
    (1..=BATCH_TASK_ID_MAX_LENGTH).contains(&id.len()) && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn app_id(v: &mut Violations, text: Option<&str>) -> Option<String> {
    let text = non_empty(text)?;
    if is_identifier(text, APP_ID_MAX_LENGTH) {
        Some(text.to_owned())
    } else {
        v.push("app_id", Rule::Identifier { max: APP_ID_MAX_LENGTH, got: text.to_owned() });
        None
    }
}

fn is_identifier(text: &str, max: usize) -> bool {
    (1..=max).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
}

fn bounded(v: &mut Violations, field: &'static str, text: Option<&str>, min: u32, max: u32) -> Option<u32> {
    let text = non_empty(text)?;
    match text.parse::<u32>() {
        Ok(n) if (min..=max).contains(&n) => Some(n),
        _ => {
            v.push(field, Rule::IntegerRange { min: min.into(), max: max.into(), got: text.to_owned() });
            None
        }
    }
}

fn enum_value<T>(
    v: &mut Violations,
    field: &'static str,
    text: &str,
    parse: fn(&str) -> Option<T>,
    allowed: &'static [&'static str],
) -> Option<T> {
    let parsed = parse(text);
    if parsed.is_none() {
        v.push(field, Rule::NotOneOf { allowed, got: text.to_owned() });
    }
    parsed
}

fn non_empty(text: Option<&str>) -> Option<&str> {
    text.filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests;
