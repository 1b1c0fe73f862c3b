//! The sentences of the rules, in English ([`EN`]) and Simplified Chinese ([`ZH_CN`]), written
//! once for whoever says them: the mock in its error messages (fields by their wire names) and the
//! dashboard under a form's fields (fields by the labels the reader sees).
//!
//! One function a language, each one `match` over every rule: a rule without its sentence in either
//! language fails to compile.

use super::{Rule, UrlRule};
use crate::time_range::{EARLIEST_MS, LATEST_MS, RANGE_TEXT};

/// The rules' sentences in one language.
pub struct Words {
    /// A rule as a sentence without its subject ("must be after From"), naming fields as told.
    pub rule: fn(&Rule, &Naming) -> String,
    /// One URL's problem.
    pub url: fn(&UrlRule) -> String,
    /// Between a field and its rule ("To: must be after From").
    pub colon: &'static str,
    /// Between the rules of one message.
    pub separator: &'static str,
}

/// English, as the API says it.
pub static EN: Words = Words { rule: english, url: english_url, colon: ": ", separator: "; " };

/// Simplified Chinese, as the Chinese consoles say it.
pub static ZH_CN: Words = Words { rule: chinese, url: chinese_url, colon: "：", separator: "；" };

/// How a sentence names fields.
pub struct Naming<'a> {
    /// A field's name from its wire name: the wire name itself for the API, its label for a form.
    pub field: &'a dyn Fn(&'static str) -> &'a str,
    /// Whether the sentence stands beside its own field (on a form), so a rule about a part of the
    /// field (`task_id` of IoTDA's `resource_condition`) need not name that part.
    pub beside_field: bool,
}

impl Naming<'static> {
    /// As the API names fields: by their wire names, the part a rule is about included.
    pub const WIRE: Naming<'static> = Naming { field: &wire_name, beside_field: false };
}

fn wire_name(name: &'static str) -> &'static str {
    name
}

/// The part of a field a rule speaks of, as the sentence's subject: left out beside the field.
fn part(naming: &Naming, part: &'static str) -> String {
    if naming.beside_field {
        String::new()
    } else {
        format!("{} ", (naming.field)(part))
    }
}

fn english(rule: &Rule, naming: &Naming) -> String {
    let name = naming.field;
    match rule {
        Rule::Required => "is required".to_owned(),
        Rule::NotEmpty => "must not be empty".to_owned(),
        Rule::RequiredOneOf { allowed } => format!("is required: one of {}", allowed.join(", ")),
        Rule::RequiredAmong { allowed } => format!("is required (one of {})", allowed.join(", ")),
        Rule::RequiredTime => "is required (milliseconds since the epoch)".to_owned(),
        Rule::RequiredDomains => "is required: one or more domains separated by commas, or `all`".to_owned(),
        Rule::RequiredQuery => "is required: a search statement (`*` exports every log)".to_owned(),
        Rule::RequiredCount { max } => format!("is required: how many logs to export, 1 to {max}"),
        Rule::RequiredCondition => r#"is required: an object such as {"task_id":"<batch task id>"}"#.to_owned(),
        Rule::RequiredWith { other } => format!("is required when {} is given (they go together)", name(other)),
        Rule::OnlyWhen { other, value } => format!("is only allowed when {} is `{value}`", name(other)),
        Rule::NotOneOf { allowed, got } => format!("must be one of {}, not `{got}`", allowed.join(", ")),
        Rule::ValueOrOmitted { value, got } => format!("must be `{value}` or omitted, not `{got}`"),
        Rule::IntegerRange { min, max, got } => format!("must be an integer from {min} to {max}, not `{got}`"),
        Rule::Range { min, max, got } => format!("must be from {min} to {max}, not {got}"),
        Rule::Between { min, max, got } => format!("must be between {min} and {max}, not {got}"),
        Rule::AtLeast { min, got } => format!("must be {min} or more, not {got}"),
        Rule::MaxBytes { max, got } => format!("must be at most {max} bytes, not {got}"),
        Rule::TimeRange { got } => format!("must be {RANGE_TEXT}, not {got}"),
        Rule::NotEpochMs { got } => format!("must be milliseconds since the epoch, not `{got}`"),
        Rule::MustBeAfter { other } => format!("must be after {}", name(other)),
        Rule::NotBefore { other } => format!("must not be before {}", name(other)),
        Rule::AtMostDaysAfter { days, other } => format!("must be at most {days} days after {}", name(other)),
        Rule::IntervalSeconds { got } => format!("must be 300 or 3600 (seconds), not {got}"),
        Rule::HourlyBeyondDays { days } => format!("must be 3600 when the span is longer than {days} days"),
        Rule::NoCountryForThisData => {
            "must be omitted for carrier (isp_detail) and top-URL (top_url_detail) data".to_owned()
        }
        Rule::CountryCodes => "must be `all` or two-letter codes separated by commas, like `cn,us`".to_owned(),
        Rule::ProvinceCodes => "must be `all` or province codes separated by commas".to_owned(),
        Rule::NotADomainName { got } => {
            let shown = if got.is_empty() { "an empty entry".to_owned() } else { format!("`{got}`") };
            format!("{shown} is not a domain name (use `cdn.example.com`, comma-separated, or `all`)")
        }
        Rule::TooManyDomains { count, max } => {
            format!("names {count} domains; at most {max} are allowed (or use `all`)")
        }
        Rule::UrlLine { line, problem } => format!("line {line}: {}", english_url(problem)),
        Rule::ConditionNotJson { got } => {
            format!(r#"must be a JSON object in a string, such as {{"task_id":"<batch task id>"}}, not `{got}`"#)
        }
        Rule::UnknownConditionKey { key } => format!("unknown key `{key}`: a BatchTask export takes only task_id"),
        Rule::ConditionTaskIdRequired => {
            format!(r#"{}is required: {{"task_id":"<batch task id>"}}"#, part(naming, "task_id"))
        }
        Rule::ConditionTaskId { max, got } => format!(
            "{}must be 1 to {max} characters of 0-9 and a-f (a batch task id), not {got}",
            part(naming, "task_id")
        ),
        Rule::HexChars { length, got } => format!("must be {length} hexadecimal characters, not `{got}`"),
        Rule::Identifier { max, got } => format!("must be 1 to {max} letters, digits, `_` or `-`, not `{got}`"),
        Rule::UnfilledProjectId { max, got } => format!(
            "must be 1 to {max} letters, digits, `_` or `-`, not `{got}` (the SDK leaves `{{project_id}}` in the path when its credentials name no project_id)"
        ),
        Rule::NotThePathsProject { got, path } => {
            format!("`{got}` does not match the project_id of the path, `{path}`")
        }
        Rule::SyntaxRule { got } => format!("must be 0 (Lucene) or 1 (CQL), not {got}"),
        Rule::BlankQuery => "must not be blank: write a search statement, or `*` for every log".to_owned(),
        Rule::SqlInExport => "SQL is not supported in exports: remove the `| …` analysis part".to_owned(),
        Rule::TooManyFields { max, got } => format!("must name at most {max} fields, not {got}"),
        Rule::EmptyFieldEntry { position } => format!("entry {position} is empty; name a log field"),
        Rule::FieldNameTooLong { max, got } => format!("field names must be at most {max} bytes; one has {got}"),
        Rule::NotAFieldName { got } => format!(
            "`{got}` is not a log field name: letters, digits and _ - @ /, with `.` between the levels of a nested field"
        ),
        Rule::ChooseDateTime => "is required: choose a date and time".to_owned(),
        Rule::NotADateTime => "is not a valid date and time".to_owned(),
        Rule::WholeNumber { min, max } => format!("must be a whole number from {min} to {max}"),
        Rule::DomainsOrAll => "is required: enter one or more domains, or tick “All domains”".to_owned(),
        Rule::BatchTaskIdRequired => "is required: the id of the batch task whose results to export".to_owned(),
        Rule::TooManyEntries { max, got } => format!("must hold at most {max} entries, not {got}"),
        Rule::FilterKey { position, allowed, got } => format!(
            "filter {position}: Key must be one of {}, or tag:<tag key>, not `{got}`",
            allowed.join(", ")
        ),
        Rule::FilterValues { position, max, got } => {
            format!("filter {position}: Values must hold 1 to {max} values, not {got}")
        }
        Rule::FilterValue { position, key, allowed, got } => {
            format!("filter {position}: {key} must be one of {}, not `{got}`", allowed.join(", "))
        }
    }
}

fn english_url(problem: &UrlRule) -> String {
    match problem {
        UrlRule::NoUrls => "at least one URL is required".to_owned(),
        UrlRule::TooLong { chars, max } => format!("is {chars} characters long, at most {max} are allowed"),
        UrlRule::Whitespace => "contains whitespace".to_owned(),
        UrlRule::NoDomain { url } => format!("`{url}` has no domain name"),
        UrlRule::NotADirectory { url } => format!("`{url}` is not a directory: directory URLs end with `/`"),
        UrlRule::DirectoryPreheat { url } => {
            format!("`{url}` is a directory (it ends with `/`): directories cannot be preheated, only refreshed")
        }
        UrlRule::NotHttp { url } => format!("`{url}` must start with http:// or https://"),
    }
}

/// A name inside a Chinese sentence: a Latin one (a wire name, "批量任务 ID") is set off by a
/// space from the Chinese beside it, as the consoles write it; the sentence is trimmed at its ends.
fn zh(name: &str) -> String {
    let gap = |c: Option<char>| if c.is_some_and(|c| c.is_ascii()) { " " } else { "" };
    format!("{}{name}{}", gap(name.chars().next()), gap(name.chars().next_back()))
}

fn chinese(rule: &Rule, naming: &Naming) -> String {
    let name = |field: &'static str| zh((naming.field)(field));
    let text = match rule {
        Rule::Required => "必填".to_owned(),
        Rule::NotEmpty => "不能为空".to_owned(),
        Rule::RequiredOneOf { allowed } | Rule::RequiredAmong { allowed } => {
            format!("必填，可选值：{}", allowed.join(", "))
        }
        Rule::RequiredTime => "必填（毫秒级时间戳）".to_owned(),
        Rule::RequiredDomains => "必填：一个或多个域名，以英文逗号分隔，或填 `all`".to_owned(),
        Rule::RequiredQuery => "必填：检索语句（`*` 表示导出全部日志）".to_owned(),
        Rule::RequiredCount { max } => format!("必填：要导出的日志条数，1 到 {max}"),
        Rule::RequiredCondition => r#"必填：形如 {"task_id":"<批量任务 ID>"} 的对象"#.to_owned(),
        Rule::RequiredWith { other } => format!("填写{}时必填（二者需同时提供）", name(other)),
        Rule::OnlyWhen { other, value } => format!("仅当{}为 `{value}` 时可填", name(other)),
        Rule::NotOneOf { allowed, got } => format!("取值须为 {} 之一，当前为 `{got}`", allowed.join(", ")),
        Rule::ValueOrOmitted { value, got } => format!("须为 `{value}` 或不填，当前为 `{got}`"),
        Rule::IntegerRange { min, max, got } => format!("须为 {min} 到 {max} 之间的整数，当前为 `{got}`"),
        Rule::Range { min, max, got } | Rule::Between { min, max, got } => {
            format!("须在 {min} 到 {max} 之间，当前为 {got}")
        }
        Rule::AtLeast { min, got } => format!("不能小于 {min}，当前为 {got}"),
        Rule::MaxBytes { max, got } => format!("不能超过 {max} 字节，当前为 {got} 字节"),
        Rule::TimeRange { got } => format!(
            "须为 2000-01-01T00:00:00Z（{EARLIEST_MS}）到 2100-01-01T00:00:00Z（{LATEST_MS}）之间的毫秒级时间戳，当前为 {got}"
        ),
        Rule::NotEpochMs { got } => format!("须为毫秒级时间戳，当前为 `{got}`"),
        Rule::MustBeAfter { other } => format!("必须晚于{}", name(other)),
        Rule::NotBefore { other } => format!("不能早于{}", name(other)),
        Rule::AtMostDaysAfter { days, other } => format!("与{}相隔不能超过 {days} 天", name(other)),
        Rule::IntervalSeconds { got } => format!("须为 300 或 3600（秒），当前为 {got}"),
        Rule::HourlyBeyondDays { days } => format!("时间跨度超过 {days} 天时须为 3600"),
        Rule::NoCountryForThisData => "运营商（isp_detail）和 TOP URL（top_url_detail）数据不能指定".to_owned(),
        Rule::CountryCodes => "须为 `all` 或以英文逗号分隔的两位字母代码，如 `cn,us`".to_owned(),
        Rule::ProvinceCodes => "须为 `all` 或以英文逗号分隔的省份代码".to_owned(),
        Rule::NotADomainName { got } => {
            let shown = if got.is_empty() { "有一项为空，".to_owned() } else { format!("`{got}` 不是域名，") };
            format!("{shown}请填写 `cdn.example.com` 这样的域名（以英文逗号分隔）或 `all`")
        }
        Rule::TooManyDomains { count, max } => format!("填写了 {count} 个域名，最多 {max} 个（或填 `all`）"),
        Rule::UrlLine { line, problem } => format!("第 {line} 行：{}", chinese_url(problem)),
        Rule::ConditionNotJson { got } => {
            format!(r#"须为字符串形式的 JSON 对象，如 {{"task_id":"<批量任务 ID>"}}，当前为 `{got}`"#)
        }
        Rule::UnknownConditionKey { key } => format!("未知的键 `{key}`：BatchTask 导出只接受 task_id"),
        Rule::ConditionTaskIdRequired => format!(r#"{}必填：{{"task_id":"<批量任务 ID>"}}"#, part(naming, "task_id")),
        Rule::ConditionTaskId { max, got } => {
            format!("{}须为 1 到 {max} 个 0-9、a-f 字符（批量任务 ID），当前为 {got}", part(naming, "task_id"))
        }
        Rule::HexChars { length, got } => format!("须为 {length} 位十六进制字符，当前为 `{got}`"),
        Rule::Identifier { max, got } => format!("须为 1 到 {max} 个字母、数字、`_` 或 `-`，当前为 `{got}`"),
        Rule::UnfilledProjectId { max, got } => format!(
            "须为 1 到 {max} 个字母、数字、`_` 或 `-`，当前为 `{got}`（SDK 的认证信息未指定 project_id 时，路径中会留下 `{{project_id}}`）"
        ),
        Rule::NotThePathsProject { got, path } => format!("`{got}` 与路径中的 project_id `{path}` 不一致"),
        Rule::SyntaxRule { got } => format!("须为 0（Lucene）或 1（CQL），当前为 {got}"),
        Rule::BlankQuery => "不能为空：请填写检索语句，或用 `*` 导出全部日志".to_owned(),
        Rule::SqlInExport => "导出不支持 SQL：请去掉 `| …` 分析语句部分".to_owned(),
        Rule::TooManyFields { max, got } => format!("最多 {max} 个字段，当前为 {got} 个"),
        Rule::EmptyFieldEntry { position } => format!("第 {position} 项为空，请填写日志字段"),
        Rule::FieldNameTooLong { max, got } => format!("字段名不能超过 {max} 字节，有一个为 {got} 字节"),
        Rule::NotAFieldName { got } => {
            format!("`{got}` 不是日志字段名：只能包含字母、数字和 _ - @ /，嵌套字段的各级之间用 `.` 分隔")
        }
        Rule::ChooseDateTime => "必填：请选择日期和时间".to_owned(),
        Rule::NotADateTime => "不是有效的日期和时间".to_owned(),
        Rule::WholeNumber { min, max } => format!("须为 {min} 到 {max} 之间的整数"),
        Rule::DomainsOrAll => "必填：请填写一个或多个域名，或勾选“全部域名”".to_owned(),
        Rule::BatchTaskIdRequired => "必填：要导出其结果的批量任务 ID".to_owned(),
        Rule::TooManyEntries { max, got } => format!("最多 {max} 项，当前为 {got} 项"),
        Rule::FilterKey { position, allowed, got } => format!(
            "第 {position} 个过滤条件：Key 须为 {} 之一，或 tag:<标签键>，当前为 `{got}`",
            allowed.join(", ")
        ),
        Rule::FilterValues { position, max, got } => {
            format!("第 {position} 个过滤条件：Values 须包含 1 到 {max} 个值，当前为 {got} 个")
        }
        Rule::FilterValue { position, key, allowed, got } => {
            format!("第 {position} 个过滤条件：{key} 的取值须为 {} 之一，当前为 `{got}`", allowed.join(", "))
        }
    };
    text.trim().to_owned()
}

fn chinese_url(problem: &UrlRule) -> String {
    match problem {
        UrlRule::NoUrls => "至少需要一个 URL".to_owned(),
        UrlRule::TooLong { chars, max } => format!("长度为 {chars} 个字符，最多 {max} 个"),
        UrlRule::Whitespace => "包含空白字符".to_owned(),
        UrlRule::NoDomain { url } => format!("`{url}` 缺少域名"),
        UrlRule::NotADirectory { url } => format!("`{url}` 不是目录：目录 URL 须以 `/` 结尾"),
        UrlRule::DirectoryPreheat { url } => format!("`{url}` 是目录（以 `/` 结尾）：目录只能刷新，不能预热"),
        UrlRule::NotHttp { url } => format!("`{url}` 须以 http:// 或 https:// 开头"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_rule() -> Vec<Rule> {
        let url = || "https://a.example.com/x".to_owned();
        let urls = [
            UrlRule::NoUrls,
            UrlRule::TooLong { chars: 5000, max: 4096 },
            UrlRule::Whitespace,
            UrlRule::NoDomain { url: url() },
            UrlRule::NotADirectory { url: url() },
            UrlRule::DirectoryPreheat { url: url() },
            UrlRule::NotHttp { url: url() },
        ];
        let allowed: &'static [&'static str] = &["a", "b"];
        let got = || "x".to_owned();
        let mut rules = vec![
            Rule::Required,
            Rule::NotEmpty,
            Rule::RequiredOneOf { allowed },
            Rule::RequiredAmong { allowed },
            Rule::RequiredTime,
            Rule::RequiredDomains,
            Rule::RequiredQuery,
            Rule::RequiredCount { max: 9 },
            Rule::RequiredCondition,
            Rule::RequiredWith { other: "page_size" },
            Rule::OnlyWhen { other: "country", value: "cn" },
            Rule::NotOneOf { allowed, got: got() },
            Rule::ValueOrOmitted { value: "domain", got: got() },
            Rule::IntegerRange { min: 1, max: 9, got: got() },
            Rule::Range { min: 1, max: 9, got: 0 },
            Rule::Between { min: 0, max: 9, got: 10 },
            Rule::AtLeast { min: 0, got: -1 },
            Rule::MaxBytes { max: 9, got: 10 },
            Rule::TimeRange { got: 0 },
            Rule::NotEpochMs { got: got() },
            Rule::MustBeAfter { other: "start_time" },
            Rule::NotBefore { other: "start_date" },
            Rule::AtMostDaysAfter { days: 366, other: "start_time" },
            Rule::IntervalSeconds { got: 60 },
            Rule::HourlyBeyondDays { days: 90 },
            Rule::NoCountryForThisData,
            Rule::CountryCodes,
            Rule::ProvinceCodes,
            Rule::NotADomainName { got: got() },
            Rule::NotADomainName { got: String::new() },
            Rule::TooManyDomains { count: 101, max: 100 },
            Rule::ConditionNotJson { got: got() },
            Rule::UnknownConditionKey { key: got() },
            Rule::ConditionTaskIdRequired,
            Rule::ConditionTaskId { max: 24, got: got() },
            Rule::HexChars { length: 24, got: got() },
            Rule::Identifier { max: 36, got: got() },
            Rule::UnfilledProjectId { max: 64, got: "{project_id}".to_owned() },
            Rule::NotThePathsProject { got: got(), path: got() },
            Rule::SyntaxRule { got: 2 },
            Rule::BlankQuery,
            Rule::SqlInExport,
            Rule::TooManyFields { max: 100, got: 101 },
            Rule::EmptyFieldEntry { position: 2 },
            Rule::FieldNameTooLong { max: 256, got: 300 },
            Rule::NotAFieldName { got: got() },
            Rule::ChooseDateTime,
            Rule::NotADateTime,
            Rule::WholeNumber { min: 1, max: 9 },
            Rule::DomainsOrAll,
            Rule::BatchTaskIdRequired,
            Rule::TooManyEntries { max: 10, got: 11 },
            Rule::FilterKey { position: 1, allowed, got: got() },
            Rule::FilterValues { position: 2, max: 100, got: 0 },
            Rule::FilterValue { position: 1, key: "storageType", allowed, got: got() },
        ];
        rules.extend(urls.into_iter().enumerate().map(|(line, problem)| Rule::UrlLine { line: line + 1, problem }));
        rules
    }

    #[test]
    fn every_rule_has_a_sentence_in_both_languages_and_chinese_is_not_english() {
        let labels = |field: &'static str| match field {
            "start_time" => "开始时间",
            other => other,
        };
        let beside = Naming { field: &labels, beside_field: true };
        for rule in every_rule() {
            let english = rule.text(&EN, &Naming::WIRE);
            let chinese = rule.text(&ZH_CN, &Naming::WIRE);
            assert!(!english.trim().is_empty() && !chinese.trim().is_empty(), "{rule:?}");
            assert_ne!(english, chinese, "{rule:?}");
            assert!(chinese.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{rule:?}: {chinese}");
            let on_form = rule.text(&ZH_CN, &beside);
            assert!(!on_form.is_empty() && on_form.trim() == on_form, "{rule:?}: {on_form:?}");
        }
    }

    #[test]
    fn the_other_field_is_named_as_the_reader_knows_it() {
        let after = Rule::MustBeAfter { other: "start_time" };
        let labels = |field: &'static str| if field == "start_time" { "From" } else { field };
        let zh_labels = |field: &'static str| if field == "start_time" { "开始时间" } else { field };
        assert_eq!(after.to_string(), "must be after start_time");
        assert_eq!(after.text(&EN, &Naming { field: &labels, beside_field: true }), "must be after From");
        assert_eq!(after.text(&ZH_CN, &Naming { field: &zh_labels, beside_field: true }), "必须晚于开始时间");
        assert_eq!(after.text(&ZH_CN, &Naming::WIRE), "必须晚于 start_time", "a Latin name is set off by a space");
        let with = Rule::RequiredWith { other: "page_size" };
        assert_eq!(with.text(&ZH_CN, &Naming::WIRE), "填写 page_size 时必填（二者需同时提供）");
    }

    #[test]
    fn beside_its_field_a_rule_about_a_part_of_it_does_not_name_the_part() {
        let rule = Rule::ConditionTaskId { max: 24, got: "\"batch-7\"".to_owned() };
        assert_eq!(
            rule.to_string(),
            "task_id must be 1 to 24 characters of 0-9 and a-f (a batch task id), not \"batch-7\""
        );
        let beside = Naming { field: &|field| field, beside_field: true };
        assert_eq!(
            rule.text(&EN, &beside),
            "must be 1 to 24 characters of 0-9 and a-f (a batch task id), not \"batch-7\""
        );
        assert_eq!(rule.text(&ZH_CN, &beside), "须为 1 到 24 个 0-9、a-f 字符（批量任务 ID），当前为 \"batch-7\"");
        assert!(rule.text(&ZH_CN, &Naming::WIRE).starts_with("task_id 须为"));
    }

    #[test]
    fn url_problems_read_by_line() {
        let rule = Rule::UrlLine { line: 2, problem: UrlRule::NotHttp { url: "ftp://x".to_owned() } };
        assert_eq!(rule.to_string(), "line 2: `ftp://x` must start with http:// or https://");
        assert_eq!(rule.text(&ZH_CN, &Naming::WIRE), "第 2 行：`ftp://x` 须以 http:// 或 https:// 开头");
    }
}
