//! Huawei Cloud CDN: statistics export tasks (`/v1/cdn/statistics/export-tasks`); refresh and
//! preheat tasks are in [`history`].
//!
//! Field names, types and documented values follow the official SDK (`huaweicloudsdkcdn` v2,
//! `ExportTaskVo` and `ListExportTasksResponse`). Where the documentation is silent the rules
//! here are the mock's decisions, each marked "(mock)" and listed in the README.

pub mod history;

use crate::time_range;
use crate::validation::{Rule, Violations};
use crate::wire_enum::wire_enum;
use serde::{Deserialize, Deserializer, Serialize};

/// `POST` creates, `GET` lists.
pub const EXPORT_TASKS_PATH: &str = "/v1/cdn/statistics/export-tasks";

/// Error code for a request the rules below refuse (mock: the public code table has no generic
/// parameter error, and the SDK only needs a code it can show).
pub const INVALID_PARAMETER: &str = "CDN.0001";

/// Span after which only hourly data may be exported, in days.
pub const FIVE_MINUTE_SPAN_MAX_DAYS: u32 = 90;
pub const FIVE_MINUTE_SPAN_MAX_MS: i64 = FIVE_MINUTE_SPAN_MAX_DAYS as i64 * DAY_MS;
/// (mock) Longest span accepted at all, in days: the docs name none; a bound keeps generated
/// files finite.
pub const SPAN_MAX_DAYS: u32 = 366;
pub const SPAN_MAX_MS: i64 = SPAN_MAX_DAYS as i64 * DAY_MS;
/// (mock) Most domains one export may name, as the CDN statistics queries allow.
pub const DOMAINS_MAX: usize = 100;
/// Longest page ListExportTasks returns.
pub const LIST_LIMIT_MAX: u32 = 100;
pub const LIST_LIMIT_DEFAULT: u32 = 10;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

wire_enum! {
    /// What an export holds (`action`).
    pub enum StatsAction {
        ReportsDetail = "reports_detail" => "Call-detail data",
        TopUrlDetail = "top_url_detail" => "Top URLs",
        TopUaDetail = "top_ua_detail" => "Top user agents",
        TopRefererDetail = "top_referer_detail" => "Top referers",
        TopIpDetail = "top_ip_detail" => "Top client IPs",
        IspDetail = "isp_detail" => "Carriers",
        TopPathDetail = "top_path_detail" => "Top paths",
        Uv = "uv" => "Unique visitors",
    }
}

impl StatsAction {
    /// Top-N exports list keys (URLs, IPs …) rather than time series.
    pub fn is_top_list(self) -> bool {
        matches!(
            self,
            Self::TopUrlDetail | Self::TopUaDetail | Self::TopRefererDetail | Self::TopIpDetail | Self::TopPathDetail
        )
    }

    /// The docs forbid `country` for carrier data and for top-URL data.
    pub fn allows_country(self) -> bool {
        !matches!(self, Self::IspDetail | Self::TopUrlDetail)
    }
}

wire_enum! {
    /// Which measure is exported (`stat_type`).
    pub enum StatType {
        Flux = "flux" => "Traffic (bytes)",
        ReqNum = "req_num" => "Requests",
    }
}

wire_enum! {
    /// Where the traffic was served (`service_area`); `mainland_china` when omitted.
    pub enum ServiceArea {
        MainlandChina = "mainland_china" => "Chinese mainland",
        OutsideMainlandChina = "outside_mainland_china" => "Outside Chinese mainland",
        Global = "global" => "Global",
    }
}

wire_enum! {
    /// Language of the exported file's headings (`language`); `zh` when omitted.
    pub enum Language {
        Zh = "zh" => "Chinese",
        En = "en" => "English",
    }
}

wire_enum! {
    /// Granularity in seconds (`interval`).
    pub enum Interval {
        FiveMinutes = "300" => "5 minutes",
        Hour = "3600" => "1 hour",
    }
}

impl Interval {
    pub const fn seconds(self) -> i64 {
        match self {
            Self::FiveMinutes => 300,
            Self::Hour => 3600,
        }
    }

    fn from_seconds(seconds: i64) -> Option<Self> {
        Self::ALL.iter().copied().find(|i| i.seconds() == seconds)
    }
}

/// The body of CreateExportTask (`ExportTaskVo`). Every field is optional on the wire; enums are
/// strings here so a wrong value is reported by [`ExportTaskVo::validate`] with the allowed list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ExportTaskVo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// Comma-separated domains, or `all`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain_name: Option<String>,
    /// Milliseconds since the epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_by: Option<String>,
    /// Seconds: 300 or 3600.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_area: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stat_type: Option<String>,
    /// Comma-separated country or region codes, or `all`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub isp: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

/// Which domains an export covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Domains {
    /// Every domain of the account (`all`).
    All,
    List(Vec<String>),
}

/// A CreateExportTask body that passed every rule, with defaults filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportSpec {
    pub action: StatsAction,
    pub domains: Domains,
    pub start_ms: i64,
    pub end_ms: i64,
    pub interval: Interval,
    pub group_by_domain: bool,
    pub service_area: ServiceArea,
    pub stat_type: StatType,
    pub country: Option<String>,
    pub province: Option<String>,
    pub isp: Option<String>,
    pub language: Language,
}

impl ExportTaskVo {
    /// Checks the documented rules (enums, `interval` 300/3600 with hourly-only spans over 90
    /// days, no `country` for carrier or top-URL data, start before end) and the mock's own
    /// (action, domains and times required, times in [`time_range`]; domain syntax; bounded span
    /// and domain count).
    pub fn validate(&self) -> Result<ExportSpec, Violations> {
        let mut v = Violations::default();

        let action = required_enum(&mut v, "action", self.action.as_deref(), StatsAction::parse, StatsAction::WIRE);
        let domains = match self.domain_name.as_deref().map(str::trim) {
            None | Some("") => {
                v.push("domain_name", Rule::RequiredDomains);
                None
            }
            Some(list) => parse_domains(&mut v, list),
        };

        let start = self.start_time;
        let end = self.end_time;
        for (field, value) in [("start_time", start), ("end_time", end)] {
            match value {
                None => v.push(field, Rule::RequiredTime),
                Some(ms) => {
                    v.check_time(field, ms);
                }
            }
        }
        let span = match (start, end) {
            (Some(s), Some(e)) if time_range::contains(s) && time_range::contains(e) => {
                if e <= s {
                    v.push("end_time", Rule::MustBeAfter { other: "start_time" });
                    None
                } else if e - s > SPAN_MAX_MS {
                    v.push("end_time", Rule::AtMostDaysAfter { days: SPAN_MAX_DAYS, other: "start_time" });
                    None
                } else {
                    Some(e - s)
                }
            }
            _ => None,
        };

        let interval = match self.interval {
            None => Some(match span {
                Some(span) if span > FIVE_MINUTE_SPAN_MAX_MS => Interval::Hour,
                _ => Interval::FiveMinutes,
            }),
            Some(seconds) => match Interval::from_seconds(seconds) {
                None => {
                    v.push("interval", Rule::IntervalSeconds { got: seconds });
                    None
                }
                Some(Interval::FiveMinutes) if span.is_some_and(|s| s > FIVE_MINUTE_SPAN_MAX_MS) => {
                    v.push("interval", Rule::HourlyBeyondDays { days: FIVE_MINUTE_SPAN_MAX_DAYS });
                    None
                }
                Some(interval) => Some(interval),
            },
        };

        let group_by_domain = match self.group_by.as_deref() {
            None | Some("") => false,
            Some("domain") => true,
            Some(other) => {
                v.push("group_by", Rule::ValueOrOmitted { value: "domain", got: other.to_owned() });
                false
            }
        };
        let service_area =
            optional_enum(&mut v, "service_area", self.service_area.as_deref(), ServiceArea::parse, ServiceArea::WIRE)
                .unwrap_or(ServiceArea::MainlandChina);
        let stat_type = optional_enum(&mut v, "stat_type", self.stat_type.as_deref(), StatType::parse, StatType::WIRE)
            .unwrap_or(StatType::Flux);
        let language = optional_enum(&mut v, "language", self.language.as_deref(), Language::parse, Language::WIRE)
            .unwrap_or(Language::Zh);

        let country = non_empty(self.country.as_deref());
        if let Some(country) = country {
            if action.is_some_and(|a| !a.allows_country()) {
                v.push("country", Rule::NoCountryForThisData);
            } else if !is_code_list(country, 2, 2) {
                v.push("country", Rule::CountryCodes);
            }
        }
        let province = non_empty(self.province.as_deref());
        if let Some(province) = province {
            if country != Some("cn") {
                v.push("province", Rule::OnlyWhen { other: "country", value: "cn" });
            } else if !is_code_list(province, 1, 32) {
                v.push("province", Rule::ProvinceCodes);
            }
        }
        let isp = non_empty(self.isp.as_deref());

        match (action, domains, self.start_time, self.end_time, interval) {
            (Some(action), Some(domains), Some(start_ms), Some(end_ms), Some(interval)) => v.into_result(ExportSpec {
                action,
                domains,
                start_ms,
                end_ms,
                interval,
                group_by_domain,
                service_area,
                stat_type,
                country: country.map(str::to_owned),
                province: province.map(str::to_owned),
                isp: isp.map(str::to_owned),
                language,
            }),
            _ => Err(v),
        }
    }
}

fn non_empty(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|s| !s.is_empty())
}

fn required_enum<T>(
    v: &mut Violations,
    field: &'static str,
    value: Option<&str>,
    parse: fn(&str) -> Option<T>,
    allowed: &'static [&'static str],
) -> Option<T> {
    match non_empty(value) {
        None => {
            v.push(field, Rule::RequiredOneOf { allowed });
            None
        }
        Some(_) => optional_enum(v, field, value, parse, allowed),
    }
}

fn optional_enum<T>(
    v: &mut Violations,
    field: &'static str,
    value: Option<&str>,
    parse: fn(&str) -> Option<T>,
    allowed: &'static [&'static str],
) -> Option<T> {
    let value = non_empty(value)?;
    let parsed = parse(value);
    if parsed.is_none() {
        v.push(field, Rule::NotOneOf { allowed, got: value.to_owned() });
    }
    parsed
}

fn parse_domains(v: &mut Violations, list: &str) -> Option<Domains> {
    if list == "all" {
        return Some(Domains::All);
    }
    let names: Vec<&str> = list.split(',').map(str::trim).collect();
    if let Some(bad) = names.iter().find(|n| !is_domain_name(n)) {
        v.push("domain_name", Rule::NotADomainName { got: (*bad).to_owned() });
        return None;
    }
    if names.len() > DOMAINS_MAX {
        v.push("domain_name", Rule::TooManyDomains { count: names.len(), max: DOMAINS_MAX });
        return None;
    }
    let mut unique: Vec<String> = Vec::with_capacity(names.len());
    for name in names {
        let name = name.to_ascii_lowercase();
        if !unique.contains(&name) {
            unique.push(name);
        }
    }
    Some(Domains::List(unique))
}

/// A host name as CDN accepts it for acceleration: letters, digits and hyphens in dot-separated
/// labels, at least two labels, optionally one leading `*.` wildcard.
pub fn is_domain_name(name: &str) -> bool {
    let bare = name.strip_prefix("*.").unwrap_or(name);
    let labels: Vec<&str> = bare.split('.').collect();
    bare.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels.last().is_some_and(|tld| tld.chars().any(|c| c.is_ascii_alphabetic()))
}

fn is_code_list(list: &str, min: usize, max: usize) -> bool {
    list == "all"
        || list.split(',').map(str::trim).all(|code| {
            (min..=max).contains(&code.len()) && code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

/// Status values. Only `success` and `fail` are documented; `processing` is the mock's choice for
/// a task still running (the docs name no in-progress value).
pub mod status {
    pub const PROCESSING: &str = "processing";
    pub const SUCCESS: &str = "success";
    pub const FAIL: &str = "fail";
}

/// One row of ListExportTasks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportTask {
    pub task_id: String,
    /// Typed string, but the doc example shows a number: accept both.
    #[serde(deserialize_with = "string_or_number")]
    pub task_name: String,
    pub status: String,
    /// Present once `status` is `success`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub download_link: Option<String>,
    /// Milliseconds since the epoch.
    pub create_time: i64,
    pub update_time: i64,
}

/// ListExportTasks' answer: `total` counts every match, `data` is the requested page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListExportTasksResponse {
    pub total: u64,
    pub data: Vec<ExportTask>,
}

/// ListExportTasks' query. Filters are optional; an empty string means "no filter".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListExportTasksQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_name: Option<String>,
}

impl ListExportTasksQuery {
    /// The page size after defaults, or why it is refused (0–100, default 10).
    pub fn limit(&self) -> Result<u32, Violations> {
        let limit = self.limit.unwrap_or(LIST_LIMIT_DEFAULT);
        let mut v = Violations::default();
        if limit > LIST_LIMIT_MAX {
            v.push("limit", Rule::Between { min: 0, max: LIST_LIMIT_MAX.into(), got: limit.into() });
        }
        v.into_result(limit)
    }

    /// The query string this query travels as, keys in the SDK's (sorted) order.
    pub fn to_query_string(&self) -> String {
        let mut pairs = Vec::new();
        if let Some(limit) = self.limit {
            pairs.push(format!("limit={limit}"));
        }
        if let Some(offset) = self.offset {
            pairs.push(format!("offset={offset}"));
        }
        for (key, value) in [("task_id", &self.task_id), ("task_name", &self.task_name)] {
            if let Some(value) = value.as_deref().filter(|s| !s.is_empty()) {
                pairs.push(format!("{key}={}", percent_encode(value)));
            }
        }
        pairs.join("&")
    }
}

pub use crate::percent::percent_encode;

fn string_or_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        Text(String),
        Number(serde_json::Number),
    }
    Ok(match Either::deserialize(deserializer)? {
        Either::Text(text) => text,
        Either::Number(number) => number.to_string(),
    })
}

#[cfg(test)]
mod tests;
