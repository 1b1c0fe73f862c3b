use super::*;

const FROM: i64 = 1_763_942_400_000;
const HOUR: i64 = 3_600_000;

fn valid() -> CreateExportRequest {
    CreateExportRequest {
        topic_id: Some(TOPICS[0].id.into()),
        count: Some(1000),
        query: Some("*".into()),
        from: Some(FROM),
        to: Some(FROM + HOUR),
        ..Default::default()
    }
}

fn fields(result: Result<impl std::fmt::Debug, Violations>) -> Vec<&'static str> {
    result.unwrap_err().iter().map(|v| v.field).collect()
}

#[test]
fn a_minimal_create_gets_the_documented_defaults() {
    let spec = valid().validate().unwrap();
    assert_eq!((spec.order, spec.format, spec.syntax_rule), (Order::Desc, Format::Json, SyntaxRule::Cql));
    assert_eq!((spec.count, spec.from_ms, spec.to_ms), (1000, FROM, FROM + HOUR));
    assert_eq!(spec.derived_fields, None);
}

#[test]
fn required_parameters_are_named_first_missing_first() {
    let empty = CreateExportRequest::default();
    assert_eq!(empty.missing_parameter(), Some("TopicId"));
    assert_eq!(fields(empty.validate()), ["TopicId", "Count", "Query", "From", "To"]);
    assert_eq!(CreateExportRequest { query: None, ..valid() }.missing_parameter(), Some("Query"));
    assert_eq!(valid().missing_parameter(), None);
    assert_eq!(DescribeExportsRequest::default().missing_parameter(), Some("TopicId"));
    assert_eq!(DeleteExportRequest::default().missing_parameter(), Some("ExportId"));
}

#[test]
fn count_is_one_to_fifty_million() {
    for ok in [1, COUNT_MAX as i64] {
        assert!(CreateExportRequest { count: Some(ok), ..valid() }.validate().is_ok(), "{ok}");
    }
    for bad in [0, -1, COUNT_MAX as i64 + 1] {
        assert_eq!(fields(CreateExportRequest { count: Some(bad), ..valid() }.validate()), ["Count"], "{bad}");
    }
}

#[test]
fn the_span_must_be_forward_and_after_1970() {
    assert_eq!(fields(CreateExportRequest { to: Some(FROM), ..valid() }.validate()), ["To"]);
    assert_eq!(fields(CreateExportRequest { to: Some(FROM - 1), ..valid() }.validate()), ["To"]);
    assert_eq!(fields(CreateExportRequest { from: Some(-5), ..valid() }.validate()), ["From"]);
}

#[test]
fn from_and_to_must_be_in_the_accepted_range() {
    let far = CreateExportRequest { from: Some(i64::MAX - HOUR), to: Some(i64::MAX), ..valid() };
    assert_eq!(fields(far.validate()), ["From", "To"]);
    let message = CreateExportRequest { to: Some(i64::MAX), ..valid() }.validate().unwrap_err().to_string();
    assert!(message.starts_with("To: ") && message.contains("2100-01-01T00:00:00Z"), "{message}");
    let edge = CreateExportRequest { from: Some(crate::time_range::EARLIEST_MS), ..valid() };
    assert!(edge.validate().is_ok());
}

#[test]
fn enums_and_syntax_rule_are_checked_with_the_allowed_values_named() {
    let wrong = CreateExportRequest {
        order: Some("newest".into()),
        format: Some("xml".into()),
        syntax_rule: Some(2),
        ..valid()
    };
    let err = wrong.validate().unwrap_err();
    assert_eq!(err.iter().map(|v| v.field).collect::<Vec<_>>(), ["Order", "Format", "SyntaxRule"]);
    assert!(err.message_for("Order").unwrap().contains("desc, asc"), "{err}");
    assert!(err.message_for("Format").unwrap().contains("json, csv"), "{err}");
    let spec =
        CreateExportRequest { order: Some("asc".into()), format: Some("csv".into()), syntax_rule: Some(0), ..valid() }
            .validate()
            .unwrap();
    assert_eq!((spec.order, spec.format, spec.syntax_rule), (Order::Asc, Format::Csv, SyntaxRule::Lucene));
    let defaulted = CreateExportRequest { order: Some(String::new()), ..valid() }.validate().unwrap();
    assert_eq!(defaulted.order, Order::Desc, "an empty choice is the default");
}

#[test]
fn queries_refuse_sql_and_length_beyond_12_kb() {
    let sql = CreateExportRequest { query: Some("status:500 | select count(*)".into()), ..valid() };
    assert_eq!(fields(sql.validate()), ["Query"]);
    let quoted_pipe = CreateExportRequest { query: Some(r#"message:"a|b""#.into()), ..valid() };
    assert!(quoted_pipe.validate().is_ok(), "a pipe inside quotes is text, not SQL");
    for blank in ["", " ", "\t\n"] {
        let refused = CreateExportRequest { query: Some(blank.into()), ..valid() }.validate().unwrap_err();
        assert!(refused.message_for("Query").unwrap().contains("must not be blank"), "{blank:?}: {refused}");
    }
    let long = CreateExportRequest { query: Some("a".repeat(QUERY_MAX_BYTES + 1)), ..valid() };
    assert_eq!(fields(long.validate()), ["Query"]);
}

#[test]
fn derived_fields_are_bounded_and_named() {
    let fine = CreateExportRequest { derived_fields: Some(vec!["status".into(), "url".into()]), ..valid() };
    assert_eq!(fine.validate().unwrap().derived_fields.unwrap(), ["status", "url"]);
    let blank = CreateExportRequest { derived_fields: Some(vec!["status".into(), " ".into()]), ..valid() };
    assert!(blank.validate().unwrap_err().message_for("DerivedFields").unwrap().contains("entry 2"));
    let many = CreateExportRequest { derived_fields: Some(vec!["f".into(); DERIVED_FIELDS_MAX + 1]), ..valid() };
    assert_eq!(fields(many.validate()), ["DerivedFields"]);
    let nested = ["__TAG__.pod_name", "a.b.c", "user-agent", "x@y", "k8s/ns", "中"];
    for (name, fine) in nested.iter().zip([true, true, true, true, true, false]) {
        let request = CreateExportRequest { derived_fields: Some(vec![(*name).into()]), ..valid() };
        assert_eq!(request.validate().is_ok(), fine, "{name}");
    }
    for malformed in ["a b", "<x>", "a..b", ".a", "a.", "a\"b"] {
        let request = CreateExportRequest { derived_fields: Some(vec!["status".into(), malformed.into()]), ..valid() };
        let message = request.validate().unwrap_err();
        let message = message.message_for("DerivedFields").unwrap();
        assert!(message.contains(&format!("`{malformed}` is not a log field name")), "{message}");
    }
    let deep = CreateExportRequest { derived_fields: Some(vec![["a"; FIELD_LEVELS_MAX + 1].join(".")]), ..valid() };
    assert_eq!(fields(deep.validate()), ["DerivedFields"]);
}

#[test]
fn describe_pages_are_1_to_100_with_default_20() {
    let request = DescribeExportsRequest { topic_id: Some("t".into()), ..Default::default() };
    assert_eq!(request.validate().unwrap(), ExportsPage { topic_id: "t".into(), offset: 0, limit: 20 });
    for bad in [0, 101, -3] {
        assert_eq!(fields(DescribeExportsRequest { limit: Some(bad), ..request.clone() }.validate()), ["Limit"]);
    }
    assert_eq!(fields(DescribeExportsRequest { offset: Some(-1), ..request.clone() }.validate()), ["Offset"]);
    let last = DescribeExportsRequest { offset: Some(40), limit: Some(100), ..request };
    assert_eq!((last.validate().unwrap().offset, last.validate().unwrap().limit), (40, 100));
    let blank = DescribeExportsRequest { topic_id: Some(" ".into()), ..Default::default() };
    assert_eq!(fields(blank.validate()), ["TopicId"]);
}

#[test]
fn requests_travel_with_pascal_case_names_and_omit_absent_fields() {
    let text = serde_json::to_string(&CreateExportRequest { order: Some("asc".into()), ..valid() }).unwrap();
    let expected = format!(
        r#"{{"TopicId":"{}","Count":1000,"Query":"*","From":{FROM},"To":{},"Order":"asc"}}"#,
        TOPICS[0].id,
        FROM + HOUR
    );
    assert_eq!(text, expected);
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    for name in json.as_object().unwrap().keys() {
        assert!(CreateExportRequest::PARAMETERS.contains(&name.as_str()), "{name}");
    }
    let delete: DeleteExportRequest = serde_json::from_str(r#"{"ExportId":"export-1"}"#).unwrap();
    assert_eq!(delete.validate().unwrap(), "export-1");
}

#[test]
fn specs_round_trip_through_json_with_wire_values() {
    let spec = CreateExportRequest { format: Some("csv".into()), ..valid() }.validate().unwrap();
    let json = serde_json::to_value(&spec).unwrap();
    assert_eq!(
        (json["format"].as_str(), json["order"].as_str(), json["syntax_rule"].as_str()),
        (Some("csv"), Some("desc"), Some("1"))
    );
    assert_eq!(serde_json::from_value::<ExportSpec>(json).unwrap(), spec);
    assert!(serde_json::from_str::<Order>(r#""sideways""#).is_err());
}

#[test]
fn answers_are_wrapped_in_response_and_errors_parse_as_the_sdk_reads_them() {
    let answer = Envelope { response: DeleteExportResponse { request_id: "r1".into() } };
    assert_eq!(serde_json::to_string(&answer).unwrap(), r#"{"Response":{"RequestId":"r1"}}"#);
    let error = r#"{"Response":{"Error":{"Code":"ResourceNotFound.ExportNotExist","Message":"no"},"RequestId":"r2"}}"#;
    let parsed = ErrorResponse::parse(error).unwrap();
    assert_eq!((parsed.error.code.as_str(), parsed.request_id.as_str()), ("ResourceNotFound.ExportNotExist", "r2"));
    assert_eq!(ErrorResponse::parse(r#"{"Response":{"RequestId":"r3"}}"#), None);
    assert_eq!(ErrorResponse::parse("<html>"), None);
}

#[test]
fn topics_have_unique_uuid_shaped_ids() {
    let is_uuid = |id: &str| {
        let groups: Vec<usize> = id.split('-').map(str::len).collect();
        groups == [8, 4, 4, 4, 12] && id.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
    };
    for topic in TOPICS {
        assert!(is_uuid(topic.id), "{}", topic.id);
        assert_eq!(super::topic(topic.id), Some(topic));
    }
    assert!(TOPICS.iter().any(|t| t.closed) && TOPICS.iter().any(|t| !t.closed));
    assert_eq!(super::topic("nope"), None);
}
