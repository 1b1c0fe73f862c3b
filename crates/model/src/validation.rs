//! What a failed rule reports: which field, and which rule it broke, with the rule's values.
//!
//! A rule is a code with typed parameters ([`Rule`]), not a sentence: the API says it in English
//! with wire names (its [`Display`](fmt::Display)), a CLS caller who asks for Chinese gets Chinese,
//! and a form says it in the reader's language with the labels the reader sees. The sentences of
//! every rule, in each language, are written once, in [`words`].
//!
//! The one rule every module shares, a client time within [`time_range`], is recorded here
//! ([`Violations::check_time`]): the range itself stays below both this and [`words`], which
//! quotes it.

pub mod words;

use crate::time_range;
use std::fmt;

pub use words::{Naming, Words};

/// A rule a value broke, with what the sentence about it needs. Field names among the
/// parameters (`other`) are wire names, so whoever renders the rule can name them by label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// "is required"
    Required,
    /// "must not be empty"
    NotEmpty,
    /// A required choice: "is required: one of a, b".
    RequiredOneOf { allowed: &'static [&'static str] },
    /// The same in IoTDA's words: "is required (one of a, b)".
    RequiredAmong { allowed: &'static [&'static str] },
    /// A required time: "is required (milliseconds since the epoch)".
    RequiredTime,
    /// CDN's `domain_name`: "is required: one or more domains separated by commas, or `all`".
    RequiredDomains,
    /// CLS's `Query`: "is required: a search statement (`*` exports every log)".
    RequiredQuery,
    /// CLS's `Count`: "is required: how many logs to export, 1 to {max}".
    RequiredCount { max: u64 },
    /// IoTDA's `resource_condition`: "is required: an object such as `{"task_id":"<batch task id>"}`".
    RequiredCondition,
    /// Two fields that travel together: "is required when {other} is given (they go together)".
    RequiredWith { other: &'static str },
    /// "is only allowed when {other} is `{value}`"
    OnlyWhen { other: &'static str, value: &'static str },
    /// "must be one of a, b, not `{got}`"
    NotOneOf { allowed: &'static [&'static str], got: String },
    /// "must be `{value}` or omitted, not `{got}`"
    ValueOrOmitted { value: &'static str, got: String },
    /// A number typed as text: "must be an integer from {min} to {max}, not `{got}`".
    IntegerRange { min: u64, max: u64, got: String },
    /// "must be from {min} to {max}, not {got}"
    Range { min: u64, max: u64, got: i64 },
    /// "must be between {min} and {max}, not {got}"
    Between { min: u64, max: u64, got: i64 },
    /// "must be {min} or more, not {got}"
    AtLeast { min: u64, got: i64 },
    /// "must be at most {max} bytes, not {got}"
    MaxBytes { max: usize, got: usize },
    /// A time outside [`time_range`]: "must be from 2000-01-01T00:00:00Z … not {got}".
    TimeRange { got: i64 },
    /// "must be milliseconds since the epoch, not `{got}`"
    NotEpochMs { got: String },
    /// "must be after {other}"
    MustBeAfter { other: &'static str },
    /// "must not be before {other}"
    NotBefore { other: &'static str },
    /// "must be at most {days} days after {other}"
    AtMostDaysAfter { days: u32, other: &'static str },
    /// CDN's `interval`: "must be 300 or 3600 (seconds), not {got}".
    IntervalSeconds { got: i64 },
    /// CDN's `interval`: "must be 3600 when the span is longer than {days} days".
    HourlyBeyondDays { days: u32 },
    /// CDN's `country` for carrier and top-URL data: "must be omitted for carrier (isp_detail) and
    /// top-URL (top_url_detail) data".
    NoCountryForThisData,
    /// "must be `all` or two-letter codes separated by commas, like `cn,us`"
    CountryCodes,
    /// "must be `all` or province codes separated by commas"
    ProvinceCodes,
    /// "`{got}` is not a domain name (use `cdn.example.com`, comma-separated, or `all`)"; an empty
    /// `got` is "an empty entry".
    NotADomainName { got: String },
    /// "names {count} domains; at most {max} are allowed (or use `all`)"
    TooManyDomains { count: usize, max: usize },
    /// A URL of a refresh or preheat list: "line {line}: {problem}".
    UrlLine { line: usize, problem: UrlRule },
    /// IoTDA's list condition: "must be a JSON object in a string, such as
    /// `{"task_id":"<batch task id>"}`, not `{got}`".
    ConditionNotJson { got: String },
    /// "unknown key `{key}`: a BatchTask export takes only task_id"
    UnknownConditionKey { key: String },
    /// The condition's `task_id`: "task_id is required: `{"task_id":"<batch task id>"}`".
    ConditionTaskIdRequired,
    /// The condition's `task_id`: "task_id must be 1 to {max} characters of 0-9 and a-f (a batch
    /// task id), not {got}" (`got` as JSON).
    ConditionTaskId { max: usize, got: String },
    /// "must be {length} hexadecimal characters, not `{got}`"
    HexChars { length: usize, got: String },
    /// "must be 1 to {max} letters, digits, `_` or `-`, not `{got}`"
    Identifier { max: usize, got: String },
    /// The same about a path's `project_id` that holds the SDK's `{project_id}` placeholder, with
    /// why: " (the SDK leaves `{project_id}` in the path when its credentials name no project_id)".
    UnfilledProjectId { max: usize, got: String },
    /// "`{got}` does not match the project_id of the path, `{path}`"
    NotThePathsProject { got: String, path: String },
    /// CLS's `SyntaxRule`: "must be 0 (Lucene) or 1 (CQL), not {got}".
    SyntaxRule { got: i64 },
    /// "must not be blank: write a search statement, or `*` for every log"
    BlankQuery,
    /// "SQL is not supported in exports: remove the `| …` analysis part"
    SqlInExport,
    /// "must name at most {max} fields, not {got}"
    TooManyFields { max: usize, got: usize },
    /// "entry {position} is empty; name a log field" (1-based)
    EmptyFieldEntry { position: usize },
    /// "field names must be at most {max} bytes; one has {got}"
    FieldNameTooLong { max: usize, got: usize },
    /// "`{got}` is not a log field name: letters, digits and _ - @ /, with `.` between the levels of
    /// a nested field"
    NotAFieldName { got: String },
    /// A form's date picker left empty: "is required: choose a date and time".
    ChooseDateTime,
    /// A form's date picker holding no time: "is not a valid date and time".
    NotADateTime,
    /// A form's number box holding words: "must be a whole number from {min} to {max}".
    WholeNumber { min: u64, max: u64 },
    /// The CDN form's domains, empty with "All domains" not ticked: "is required: enter one or
    /// more domains, or tick “All domains”".
    DomainsOrAll,
    /// The IoTDA form's batch task id: "is required: the id of the batch task whose results to
    /// export".
    BatchTaskIdRequired,
    /// A list too long: "must hold at most {max} entries, not {got}" (CLS's `Filters`).
    TooManyEntries { max: usize, got: usize },
    /// A CLS filter's `Key`: "filter {position}: Key must be one of a, b, or `tag:<tag key>`, not
    /// `{got}`" (1-based).
    FilterKey { position: usize, allowed: &'static [&'static str], got: String },
    /// A CLS filter's `Values`: "filter {position}: Values must hold 1 to {max} values, not {got}".
    FilterValues { position: usize, max: usize, got: usize },
    /// A value a CLS filter's key does not take: "filter {position}: {key} must be one of a, b,
    /// not `{got}`".
    FilterValue { position: usize, key: &'static str, allowed: &'static [&'static str], got: String },
}

/// Why one URL of a refresh or preheat list is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlRule {
    /// The list is empty: "at least one URL is required".
    NoUrls,
    /// "is {chars} characters long, at most {max} are allowed"
    TooLong { chars: usize, max: usize },
    /// "contains whitespace"
    Whitespace,
    /// "`{url}` has no domain name"
    NoDomain { url: String },
    /// "`{url}` is not a directory: directory URLs end with `/`"
    NotADirectory { url: String },
    /// "`{url}` is a directory (it ends with `/`): directories cannot be preheated, only refreshed"
    DirectoryPreheat { url: String },
    /// "`{url}` must start with http:// or https://"
    NotHttp { url: String },
}

impl Rule {
    /// The rule in `words`' language, naming fields as `naming` does.
    pub fn text(&self, words: &Words, naming: &Naming) -> String {
        (words.rule)(self, naming)
    }
}

impl UrlRule {
    /// The problem in `words`' language.
    pub fn text(&self, words: &Words) -> String {
        (words.url)(self)
    }
}

/// As the API says it: English, fields by their wire names.
impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(&words::EN, &Naming::WIRE))
    }
}

impl fmt::Display for UrlRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(&words::EN))
    }
}

/// One broken rule. `field` is the wire name of the field (or of the first of several fields a
/// cross-field rule involves), so a form can show the message next to the right control.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub field: &'static str,
    pub rule: Rule,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.rule)
    }
}

/// Every rule a request broke, in field order. Never empty when returned as an error.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Violations(pub Vec<Violation>);

impl Violations {
    pub fn push(&mut self, field: &'static str, rule: Rule) {
        self.0.push(Violation { field, rule });
    }

    /// Records a violation naming `field` unless `ms` is in [`time_range`]; returns whether it was.
    pub fn check_time(&mut self, field: &'static str, ms: i64) -> bool {
        if time_range::contains(ms) {
            true
        } else {
            self.push(field, Rule::TimeRange { got: ms });
            false
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The first rule `field` broke, for showing beside that field's control.
    pub fn for_field(&self, field: &str) -> Option<&Rule> {
        self.0.iter().find(|v| v.field == field).map(|v| &v.rule)
    }

    /// The first rule `field` broke, as the API says it (English, wire names).
    pub fn message_for(&self, field: &str) -> Option<String> {
        self.for_field(field).map(Rule::to_string)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Violation> {
        self.0.iter()
    }

    /// What the model's rules said about a request, joined to what a form found while building
    /// it (a time it could not read, a count that is not a number): `Ok` only when neither found
    /// anything. A rule about a field that already has a message is left out, as the form's own
    /// message is the more precise one (the rule only saw the value missing).
    pub fn merge_rules<T>(mut self, rules: Result<T, Violations>) -> Result<T, Violations> {
        match rules {
            Ok(checked) => self.into_result(checked),
            Err(rules) => {
                for rule in rules.0 {
                    if self.for_field(rule.field).is_none() {
                        self.0.push(rule);
                    }
                }
                Err(self)
            }
        }
    }

    /// `Ok(value)` when nothing was broken, so a validator can end with `violations.into_result(x)`.
    pub fn into_result<T>(self, value: T) -> Result<T, Violations> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    /// Every violation as `field: rule` in `words`' language, fields by their wire names, joined
    /// by "; " (the API's one message for them all).
    pub fn text(&self, words: &Words) -> String {
        let lines: Vec<String> =
            self.0.iter().map(|v| format!("{}{}{}", v.field, words.colon, v.rule.text(words, &Naming::WIRE))).collect();
        lines.join(words.separator)
    }
}

/// As the API says it: English, wire names.
impl fmt::Display for Violations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(&words::EN))
    }
}

impl std::error::Error for Violations {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merged_rules_keep_the_forms_own_message_and_add_the_others() {
        let mut form = Violations::default();
        form.push("start_time", Rule::NotADateTime);
        let mut rules = Violations::default();
        rules.push("start_time", Rule::Required);
        rules.push("domain_name", Rule::Required);
        let merged = form.merge_rules::<()>(Err(rules)).unwrap_err();
        assert_eq!(merged.for_field("start_time"), Some(&Rule::NotADateTime));
        assert_eq!(merged.message_for("start_time").as_deref(), Some("is not a valid date and time"));
        assert_eq!(merged.message_for("domain_name").as_deref(), Some("is required"));
        assert_eq!(merged.iter().count(), 2);
    }

    #[test]
    fn rules_that_pass_give_their_value_only_when_the_form_found_nothing_either() {
        assert_eq!(Violations::default().merge_rules(Ok(7)), Ok(7));
        let mut form = Violations::default();
        form.push("Count", Rule::WholeNumber { min: 1, max: 9 });
        assert_eq!(form.clone().merge_rules(Ok(7)), Err(form));
    }

    #[test]
    fn the_api_reads_every_violation_as_field_then_rule_in_english() {
        let mut v = Violations::default();
        v.push("end_time", Rule::MustBeAfter { other: "start_time" });
        v.push("interval", Rule::IntervalSeconds { got: 60 });
        assert_eq!(
            v.to_string(),
            "end_time: must be after start_time; interval: must be 300 or 3600 (seconds), not 60"
        );
        assert_eq!(v.text(&words::ZH_CN), "end_time：必须晚于 start_time；interval：须为 300 或 3600（秒），当前为 60");
    }

    #[test]
    fn a_time_outside_the_range_is_refused_naming_the_field_and_the_range() {
        let mut v = Violations::default();
        assert!(
            v.check_time("start_time", time_range::EARLIEST_MS) && v.check_time("start_time", time_range::LATEST_MS)
        );
        assert!(v.is_empty());
        assert!(!v.check_time("start_time", i64::MAX));
        let message = v.message_for("start_time").unwrap_or_default();
        assert!(message.contains("2000-01-01T00:00:00Z") && message.contains("2100-01-01T00:00:00Z"), "{message}");
        assert!(message.contains(&i64::MAX.to_string()), "{message}");
    }
}
