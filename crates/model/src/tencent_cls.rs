//! Tencent Cloud CLS (Cloud Log Service, API version 2020-10-16): log export tasks.
//!
//! Every call is `POST /` with a JSON body, the action named by the `X-TC-Action` header:
//! `CreateExport`, `DescribeExports`, `DeleteExport`, and `DescribeTopics` to find a topic. Answers come in Tencent Cloud API 3.0's
//! envelope, `{"Response":{…,"RequestId":…}}`, errors included (HTTP 200,
//! `{"Response":{"Error":{"Code","Message"},"RequestId"}}`).
//!
//! Field names are Tencent's PascalCase ones, as the official SDK (`tencentcloud-sdk-python-cls`,
//! `cls/v20201016/models.py`) and `tccli`'s `api.json` spell them. Requests keep every field
//! optional and enums as strings, so that a missing or wrong value reaches [`validation`] and
//! gets an error naming the parameter (and the server can tell `MissingParameter` from
//! `InvalidParameterValue`). Rules the docs do not give are the mock's, marked "(mock)" and listed
//! in the README.
//!
//! [`validation`]: crate::validation

use crate::time_range;
use crate::validation::{Rule, Violations};
use crate::wire_enum::wire_enum;
use serde::{Deserialize, Serialize};

/// The API version every CLS call names in `X-TC-Version`.
pub const VERSION: &str = "2020-10-16";
/// The header naming the action (`CreateExport` …).
pub const ACTION_HEADER: &str = "X-TC-Action";
/// The header naming the API version.
pub const VERSION_HEADER: &str = "X-TC-Version";
/// The header naming the language of error messages (API 3.0's common parameter `Language`):
/// `zh-CN` or `en-US`, which is what an absent or other value means.
pub const LANGUAGE_HEADER: &str = "X-TC-Language";

/// The actions of log exports, as `X-TC-Action` names them.
pub mod action {
    pub const CREATE_EXPORT: &str = "CreateExport";
    pub const DESCRIBE_EXPORTS: &str = "DescribeExports";
    pub const DELETE_EXPORT: &str = "DeleteExport";
    /// The account's log topics, for choosing one to export from.
    pub const DESCRIBE_TOPICS: &str = "DescribeTopics";
    pub const ALL: [&str; 4] = [CREATE_EXPORT, DESCRIBE_EXPORTS, DELETE_EXPORT, DESCRIBE_TOPICS];
}

/// Error codes: Tencent Cloud API 3.0's common codes and CLS's own, as `errorcodes.py` spells them.
pub mod code {
    pub const MISSING_PARAMETER: &str = "MissingParameter";
    /// A parameter of the wrong JSON type, or a body that is not a JSON object.
    pub const INVALID_PARAMETER: &str = "InvalidParameter";
    /// A parameter of the right type but outside its range or enum.
    pub const INVALID_PARAMETER_VALUE: &str = "InvalidParameterValue";
    pub const UNKNOWN_PARAMETER: &str = "UnknownParameter";
    pub const INVALID_ACTION: &str = "InvalidAction";
    pub const NO_SUCH_VERSION: &str = "NoSuchVersion";
    pub const REQUEST_LIMIT_EXCEEDED: &str = "RequestLimitExceeded";
    pub const TOPIC_NOT_EXIST: &str = "ResourceNotFound.TopicNotExist";
    pub const EXPORT_NOT_EXIST: &str = "ResourceNotFound.ExportNotExist";
    /// Too many export tasks (on a topic, in the mock).
    pub const EXPORT_LIMIT_EXCEEDED: &str = "LimitExceeded.Export";
    /// The topic's log collection is switched off.
    pub const TOPIC_CLOSED: &str = "FailedOperation.TopicClosed";
    pub const INTERNAL_ERROR: &str = "InternalError";
}

/// Most logs one export may ask for (the older international doc said 10 million).
pub const COUNT_MAX: u64 = 50_000_000;
/// Longest page DescribeExports returns, and its default.
pub const LIMIT_MAX: u32 = 100;
pub const LIMIT_DEFAULT: u32 = 20;

/// `Offset` and `Limit` as every CLS list action reads them (DescribeExports, DescribeTopics): 0 or
/// more, and 1 to [`LIMIT_MAX`] (default [`LIMIT_DEFAULT`]). A value out of range is a violation
/// (the defaults stand in for it meanwhile).
fn paging(v: &mut Violations, offset: Option<i64>, limit: Option<i64>) -> (u64, u32) {
    let offset = match offset {
        None => 0,
        Some(offset) if offset < 0 => {
            v.push("Offset", Rule::AtLeast { min: 0, got: offset });
            0
        }
        Some(offset) => offset as u64,
    };
    let limit = match limit {
        None => LIMIT_DEFAULT,
        Some(limit) if !(1..=i64::from(LIMIT_MAX)).contains(&limit) => {
            v.push("Limit", Rule::Range { min: 1, max: LIMIT_MAX.into(), got: limit });
            LIMIT_DEFAULT
        }
        Some(limit) => limit as u32,
    };
    (offset, limit)
}
/// The documented rate limit of each of the three export actions.
pub const REQUESTS_PER_SECOND: u32 = 20;
/// DescribeTopics' documented rate limit.
pub const TOPICS_REQUESTS_PER_SECOND: u32 = 50;
/// (mock) Longest `Query`: what CLS documents for search statements (12 KB).
pub const QUERY_MAX_BYTES: usize = 12 * 1024;
/// (mock) Most `DerivedFields` entries, and the longest field name.
pub const DERIVED_FIELDS_MAX: usize = 100;
pub const FIELD_NAME_MAX: usize = 256;
/// How long an export's file stays downloadable after it completes; then the export is `Expired`.
pub const FILE_KEPT_MS: i64 = 3 * 24 * 3_600_000;
/// How long a `CosPath` link works after it was handed out.
pub const COS_PATH_VALID_MS: i64 = 3_600_000;
/// `CreateTime` is written in China Standard Time (UTC+8), as the console shows times.
pub const CREATE_TIME_UTC_OFFSET_HOURS: i32 = 8;

wire_enum! {
    /// Time order of the exported logs (`Order`); `desc` when omitted.
    pub enum Order {
        Desc = "desc" => "Newest first",
        Asc = "asc" => "Oldest first",
    }
}

wire_enum! {
    /// The exported file's format (`Format`); `json` when omitted.
    pub enum Format {
        Json = "json" => "JSON (one object per line)",
        Csv = "csv" => "CSV",
    }
}

wire_enum! {
    /// The search syntax `Query` is written in (`SyntaxRule`, a number on the wire).
    pub enum SyntaxRule {
        Lucene = "0" => "Lucene",
        Cql = "1" => "CQL",
    }
}

impl SyntaxRule {
    /// CreateExport's default per the current SDK and Chinese docs (the international doc says 0).
    pub const DEFAULT: Self = Self::Cql;

    pub const fn number(self) -> u64 {
        match self {
            Self::Lucene => 0,
            Self::Cql => 1,
        }
    }

    pub fn from_number(number: i64) -> Option<Self> {
        Self::ALL.iter().copied().find(|rule| rule.number() as i64 == number)
    }
}

wire_enum! {
    /// Where an export is (`Status`): queued, running, finished either way, or its file gone
    /// three days after completion.
    pub enum ExportStatus {
        Queuing = "Queuing" => "Queued",
        Processing = "Processing" => "Running",
        Completed = "Completed" => "Completed",
        Failed = "Failed" => "Failed",
        Expired = "Expired" => "Expired",
    }
}

impl ExportStatus {
    pub fn is_unfinished(self) -> bool {
        matches!(self, Self::Queuing | Self::Processing)
    }
}

/// Wire enums inside validated specs travel as their wire strings.
macro_rules! serde_as_wire_str {
    ($($name:ident),+) => {$(
        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let wire = String::deserialize(deserializer)?;
                Self::parse(&wire).ok_or_else(|| {
                    serde::de::Error::custom(format!("`{wire}` is not one of {}", Self::WIRE.join(", ")))
                })
            }
        }
    )+};
}

serde_as_wire_str!(Order, Format, SyntaxRule);

/// A log topic of the mock account. The mock knows exactly these; any other `TopicId` is
/// `ResourceNotFound.TopicNotExist`. DescribeTopics lists them with these facts (see [`TopicInfo`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Topic {
    /// UUID-shaped, as real topic ids are.
    pub id: &'static str,
    pub name: &'static str,
    /// Log collection switched off: exports are refused with `FailedOperation.TopicClosed`, and
    /// DescribeTopics says `"Status": false`.
    pub closed: bool,
    /// The logset it belongs to (one of [`LOGSETS`]).
    pub logset_id: &'static str,
    /// `yyyy-MM-dd HH:mm:ss`, China Standard Time, as `CreateTime` is written.
    pub create_time: &'static str,
    /// How long its logs are kept (`Period`, days): exports find nothing older.
    pub period_days: u32,
    pub partition_count: u32,
    /// `Describes`.
    pub description: &'static str,
    /// `Tags`, as `(Key, Value)`.
    pub tags: &'static [(&'static str, &'static str)],
}

/// A logset of the mock account: what DescribeTopics' `logsetId` and `logsetName` filters match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Logset {
    pub id: &'static str,
    pub name: &'static str,
}

pub const LOGSETS: &[Logset] = &[
    Logset { id: "5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", name: "web-production" },
    Logset { id: "6b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e", name: "security" },
    Logset { id: "7c3d4e5f-6a7b-4c8d-8e9f-1a2b3c4d5e6f", name: "archive" },
];

/// The mock account's topics, fixed so that scripts and docs can name them.
pub const TOPICS: &[Topic] = &[
    Topic {
        id: "2f6c1d3e-8a47-4b9e-9c21-5d7e3f4a6b80",
        name: "nginx-access",
        closed: false,
        logset_id: LOGSETS[0].id,
        create_time: "2025-03-10 09:12:45",
        period_days: 30,
        partition_count: 2,
        description: "Access logs of the web tier's nginx",
        tags: &[("env", "production"), ("team", "web")],
    },
    Topic {
        id: "7b1e9a24-3c5d-4e6f-8a90-b1c2d3e4f5a6",
        name: "app-backend",
        closed: false,
        logset_id: LOGSETS[0].id,
        create_time: "2025-06-02 14:03:10",
        period_days: 15,
        partition_count: 1,
        description: "Application logs of the backend services",
        tags: &[("env", "production"), ("team", "backend")],
    },
    Topic {
        id: "c4d8e2f1-6a3b-4c7d-9e0f-1a2b3c4d5e6f",
        name: "audit-trail",
        closed: false,
        logset_id: LOGSETS[1].id,
        create_time: "2024-11-20 08:30:00",
        period_days: 180,
        partition_count: 1,
        description: "Who did what, kept for half a year",
        tags: &[("env", "production"), ("team", "security")],
    },
    Topic {
        id: "e9f0a1b2-c3d4-4e5f-a6b7-c8d9e0f1a2b3",
        name: "legacy-archive",
        closed: true,
        logset_id: LOGSETS[2].id,
        create_time: "2023-08-15 17:45:20",
        period_days: 7,
        partition_count: 1,
        description: "The old application's logs; collection switched off",
        tags: &[("env", "legacy")],
    },
];

pub fn topic(id: &str) -> Option<&'static Topic> {
    TOPICS.iter().find(|topic| topic.id == id)
}

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

/// CreateExport's parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateExportRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic_id: Option<String>,
    /// How many logs to export, 1 to 50 million.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<i64>,
    /// The search statement; SQL (`| select …`) is not supported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// Milliseconds since the epoch; logs from `From` (inclusive) to `To` (exclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub syntax_rule: Option<i64>,
    /// The fields each exported log keeps; all of them when omitted or empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub derived_fields: Option<Vec<String>>,
}

/// A CreateExport that passed every rule, defaults filled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportSpec {
    pub topic_id: String,
    pub count: u64,
    pub query: String,
    pub from_ms: i64,
    pub to_ms: i64,
    pub order: Order,
    pub format: Format,
    pub syntax_rule: SyntaxRule,
    /// As given (echoed by DescribeExports); `None` or empty means every field.
    pub derived_fields: Option<Vec<String>>,
}

impl CreateExportRequest {
    /// Every parameter the action declares; anything else is `UnknownParameter`.
    pub const PARAMETERS: &'static [&'static str] =
        &["TopicId", "Count", "Query", "From", "To", "Order", "Format", "SyntaxRule", "DerivedFields"];

    /// The first required parameter that is absent (`MissingParameter` names it).
    pub fn missing_parameter(&self) -> Option<&'static str> {
        [
            ("TopicId", self.topic_id.is_none()),
            ("Count", self.count.is_none()),
            ("Query", self.query.is_none()),
            ("From", self.from.is_none()),
            ("To", self.to.is_none()),
        ]
        .into_iter()
        .find_map(|(name, missing)| missing.then_some(name))
    }

    /// Checks every documented rule (Count 1 to 50 million, no SQL, From before To, the enums
    /// and SyntaxRule 0/1) and the mock's bounds (Query length, DerivedFields size, From and To
    /// in [`time_range`]). Absent
    /// required parameters are reported too, so a form can mark them.
    pub fn validate(&self) -> Result<ExportSpec, Violations> {
        let mut v = Violations::default();
        let topic_id = required_text(&mut v, "TopicId", self.topic_id.as_deref());

        let count = match self.count {
            None => {
                v.push("Count", Rule::RequiredCount { max: COUNT_MAX });
                None
            }
            Some(count) if !(1..=COUNT_MAX as i64).contains(&count) => {
                v.push("Count", Rule::Range { min: 1, max: COUNT_MAX, got: count });
                None
            }
            Some(count) => Some(count as u64),
        };

        match self.query.as_deref() {
            None => v.push("Query", Rule::RequiredQuery),
            // Required means a statement, not an empty string: CLS's console and search refuse a
            // blank one, and `*` is how every log is asked for.
            Some(query) if query.trim().is_empty() => v.push("Query", Rule::BlankQuery),
            Some(query) if query.len() > QUERY_MAX_BYTES => {
                v.push("Query", Rule::MaxBytes { max: QUERY_MAX_BYTES, got: query.len() })
            }
            Some(query) if has_sql(query) => v.push("Query", Rule::SqlInExport),
            Some(_) => {}
        }

        for (field, value) in [("From", self.from), ("To", self.to)] {
            match value {
                None => v.push(field, Rule::RequiredTime),
                Some(ms) => {
                    v.check_time(field, ms);
                }
            }
        }
        if let (Some(from), Some(to)) = (self.from, self.to) {
            if time_range::contains(from) && time_range::contains(to) && to <= from {
                v.push("To", Rule::MustBeAfter { other: "From" });
            }
        }

        let order = optional_enum(&mut v, "Order", self.order.as_deref(), Order::parse, Order::WIRE);
        let format = optional_enum(&mut v, "Format", self.format.as_deref(), Format::parse, Format::WIRE);
        let syntax_rule = match self.syntax_rule {
            None => SyntaxRule::DEFAULT,
            Some(number) => SyntaxRule::from_number(number).unwrap_or_else(|| {
                v.push("SyntaxRule", Rule::SyntaxRule { got: number });
                SyntaxRule::DEFAULT
            }),
        };

        if let Some(fields) = &self.derived_fields {
            if fields.len() > DERIVED_FIELDS_MAX {
                v.push("DerivedFields", Rule::TooManyFields { max: DERIVED_FIELDS_MAX, got: fields.len() });
            } else if let Some(position) = fields.iter().position(|f| f.trim().is_empty()) {
                v.push("DerivedFields", Rule::EmptyFieldEntry { position: position + 1 });
            } else if let Some(long) = fields.iter().find(|f| f.len() > FIELD_NAME_MAX) {
                v.push("DerivedFields", Rule::FieldNameTooLong { max: FIELD_NAME_MAX, got: long.len() });
            } else if let Some(bad) = fields.iter().find(|f| !is_field_name(f)) {
                v.push("DerivedFields", Rule::NotAFieldName { got: bad.clone() });
            }
        }

        match (topic_id, count, &self.query, self.from, self.to) {
            (Some(topic_id), Some(count), Some(query), Some(from_ms), Some(to_ms)) if v.is_empty() => Ok(ExportSpec {
                topic_id: topic_id.to_owned(),
                count,
                query: query.clone(),
                from_ms,
                to_ms,
                order: order.unwrap_or(Order::Desc),
                format: format.unwrap_or(Format::Json),
                syntax_rule,
                derived_fields: self.derived_fields.clone(),
            }),
            _ => Err(v),
        }
    }
}

/// Most levels of a nested field name (`a.b.c`), as CLS's key-value index allows.
pub const FIELD_LEVELS_MAX: usize = 10;

/// Whether `name` can name a log field: CLS index keys are ASCII letters, digits and `_ - @ /`,
/// nested with `.` (at most [`FIELD_LEVELS_MAX`] levels, none empty). CLS's API pages do not
/// state the rule for `DerivedFields`; this is the index's key rule (KeyValueInfo), which is what
/// a field to export has to be, so spaces, `<x>` and the like are refused \[inferred\].
pub fn is_field_name(name: &str) -> bool {
    let levels: Vec<&str> = name.split('.').collect();
    levels.len() <= FIELD_LEVELS_MAX
        && levels
            .iter()
            .all(|level| !level.is_empty() && level.bytes().all(|b| b.is_ascii_alphanumeric() || b"_-@/".contains(&b)))
}

/// Whether a statement has an analysis (SQL) part: a `|` outside double quotes.
fn has_sql(query: &str) -> bool {
    let mut quoted = false;
    let mut escaped = false;
    for c in query.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            '|' if !quoted => return true,
            _ => {}
        }
    }
    false
}

/// DescribeExports' parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeExportsRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
}

/// A DescribeExports that passed every rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportsPage {
    pub topic_id: String,
    pub offset: u64,
    pub limit: u32,
}

impl DescribeExportsRequest {
    pub const PARAMETERS: &'static [&'static str] = &["TopicId", "Offset", "Limit"];

    pub fn missing_parameter(&self) -> Option<&'static str> {
        self.topic_id.is_none().then_some("TopicId")
    }

    /// TopicId required, Offset ≥ 0 (default 0), Limit 1 to 100 (default 20).
    pub fn validate(&self) -> Result<ExportsPage, Violations> {
        let mut v = Violations::default();
        let topic_id = required_text(&mut v, "TopicId", self.topic_id.as_deref());
        let (offset, limit) = paging(&mut v, self.offset, self.limit);
        match topic_id {
            Some(topic_id) => v.into_result(ExportsPage { topic_id: topic_id.to_owned(), offset, limit }),
            None => Err(v),
        }
    }
}

/// DeleteExport's parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteExportRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub export_id: Option<String>,
}

impl DeleteExportRequest {
    pub const PARAMETERS: &'static [&'static str] = &["ExportId"];

    pub fn missing_parameter(&self) -> Option<&'static str> {
        self.export_id.is_none().then_some("ExportId")
    }

    /// The id of the export to delete.
    pub fn validate(&self) -> Result<String, Violations> {
        let mut v = Violations::default();
        let id = required_text(&mut v, "ExportId", self.export_id.as_deref());
        match id {
            Some(id) => v.into_result(id.to_owned()),
            None => Err(v),
        }
    }
}

fn required_text<'a>(v: &mut Violations, field: &'static str, value: Option<&'a str>) -> Option<&'a str> {
    match value {
        None => {
            v.push(field, Rule::Required);
            None
        }
        Some(text) if text.trim().is_empty() => {
            v.push(field, Rule::NotEmpty);
            None
        }
        Some(text) => Some(text),
    }
}

/// An empty string counts as omitted: a form's "default" choice sends nothing else.
fn optional_enum<T>(
    v: &mut Violations,
    field: &'static str,
    value: Option<&str>,
    parse: fn(&str) -> Option<T>,
    allowed: &'static [&'static str],
) -> Option<T> {
    let value = value.filter(|s| !s.is_empty())?;
    let parsed = parse(value);
    if parsed.is_none() {
        v.push(field, Rule::NotOneOf { allowed, got: value.to_owned() });
    }
    parsed
}

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

/// Tencent Cloud API 3.0's outer object: every answer, success or error, is `{"Response":{…}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope<T> {
    #[serde(rename = "Response")]
    pub response: T,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateExportResponse {
    pub export_id: String,
    pub request_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeExportsResponse {
    pub exports: Vec<ExportInfo>,
    /// Every export of the topic, not just this page.
    pub total_count: u64,
    pub request_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteExportResponse {
    pub request_id: String,
}

/// One export task as DescribeExports lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ExportInfo {
    pub topic_id: String,
    pub export_id: String,
    pub query: String,
    /// `log_<uin>_<topic id>_<yyyyMMdd>_<HHmmss>_<unix seconds>.tar.gz`.
    pub file_name: String,
    /// Bytes of the file `CosPath` serves; 0 until the export completes.
    pub file_size: u64,
    pub order: String,
    pub format: String,
    /// The number of logs asked for (there is no `LogCount` field).
    pub count: u64,
    pub status: String,
    pub from: i64,
    pub to: i64,
    /// A download link valid for an hour; empty unless `Status` is `Completed`.
    pub cos_path: String,
    /// `yyyy-MM-dd HH:mm:ss`, China Standard Time.
    pub create_time: String,
    pub syntax_rule: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub derived_fields: Option<Vec<String>>,
    /// Milliseconds since the epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_timestamp: Option<i64>,
}

/// An error answer's inside: `{"Error":{"Code","Message"},"RequestId"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ErrorResponse {
    pub error: ApiError,
    pub request_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ApiError {
    pub code: String,
    pub message: String,
}

impl ErrorResponse {
    /// Reads an answer as the SDK does: an error when `Response.Error` is there. `None` for a
    /// success or for a body that is not Tencent's envelope at all.
    pub fn parse(body: &str) -> Option<Self> {
        let envelope: Envelope<serde_json::Value> = serde_json::from_str(body).ok()?;
        envelope.response.get("Error")?;
        serde_json::from_value(envelope.response).ok()
    }
}

mod topics;
pub use topics::*;

#[cfg(test)]
mod tests;
