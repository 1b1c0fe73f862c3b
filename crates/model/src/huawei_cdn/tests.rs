use super::*;

const HOUR: i64 = 3_600_000;
const START: i64 = 1_763_000_000_000;

fn valid() -> ExportTaskVo {
    ExportTaskVo {
        action: Some("reports_detail".into()),
        domain_name: Some("a.example.com,b.example.com".into()),
        start_time: Some(START),
        end_time: Some(START + 24 * HOUR),
        ..Default::default()
    }
}

fn fields(vo: &ExportTaskVo) -> Vec<&'static str> {
    vo.validate().unwrap_err().iter().map(|v| v.field).collect()
}

#[test]
fn a_minimal_body_gets_the_documented_defaults() {
    let spec = valid().validate().unwrap();
    assert_eq!(spec.interval, Interval::FiveMinutes);
    assert_eq!(spec.service_area, ServiceArea::MainlandChina);
    assert_eq!(spec.stat_type, StatType::Flux);
    assert_eq!(spec.language, Language::Zh);
    assert!(!spec.group_by_domain);
    assert_eq!(spec.domains, Domains::List(vec!["a.example.com".into(), "b.example.com".into()]));
}

#[test]
fn an_empty_body_names_every_required_field() {
    assert_eq!(fields(&ExportTaskVo::default()), ["action", "domain_name", "start_time", "end_time"]);
}

#[test]
fn enums_are_checked_and_the_message_lists_the_allowed_values() {
    let vo = ExportTaskVo { action: Some("everything".into()), stat_type: Some("bytes".into()), ..valid() };
    let err = vo.validate().unwrap_err();
    assert_eq!(err.iter().map(|v| v.field).collect::<Vec<_>>(), ["action", "stat_type"]);
    assert!(err.message_for("action").unwrap().contains("reports_detail"), "{err}");
    assert!(err.message_for("stat_type").unwrap().contains("req_num"), "{err}");
    for area in ["mainland_china", "outside_mainland_china", "global"] {
        assert!(ExportTaskVo { service_area: Some(area.into()), ..valid() }.validate().is_ok());
    }
    assert_eq!(fields(&ExportTaskVo { service_area: Some("moon".into()), ..valid() }), ["service_area"]);
    assert_eq!(fields(&ExportTaskVo { language: Some("fr".into()), ..valid() }), ["language"]);
    assert_eq!(fields(&ExportTaskVo { group_by: Some("country".into()), ..valid() }), ["group_by"]);
}

#[test]
fn interval_is_300_or_3600_and_hourly_only_beyond_90_days() {
    assert_eq!(fields(&ExportTaskVo { interval: Some(60), ..valid() }), ["interval"]);
    assert!(ExportTaskVo { interval: Some(3600), ..valid() }.validate().is_ok());

    let ninety_days = ExportTaskVo { end_time: Some(START + 90 * 24 * HOUR), interval: Some(300), ..valid() };
    assert_eq!(ninety_days.validate().unwrap().interval, Interval::FiveMinutes);
    let longer = ExportTaskVo { end_time: Some(START + 90 * 24 * HOUR + 1), ..ninety_days.clone() };
    assert_eq!(fields(&longer), ["interval"]);
    let defaulted = ExportTaskVo { interval: None, ..longer };
    assert_eq!(defaulted.validate().unwrap().interval, Interval::Hour);
}

#[test]
fn start_must_be_before_end_and_the_span_bounded() {
    assert_eq!(fields(&ExportTaskVo { end_time: Some(START), ..valid() }), ["end_time"]);
    assert_eq!(fields(&ExportTaskVo { end_time: Some(START - HOUR), ..valid() }), ["end_time"]);
    assert_eq!(fields(&ExportTaskVo { start_time: Some(-1), ..valid() }), ["start_time"]);
    let too_long = ExportTaskVo { end_time: Some(START + 367 * 24 * HOUR), interval: Some(3600), ..valid() };
    assert_eq!(fields(&too_long), ["end_time"]);
}

#[test]
fn times_outside_the_accepted_range_are_refused_by_name() {
    // The span is 807 ms, so only the range rule can refuse it: its file would never end.
    let endless = ExportTaskVo { start_time: Some(9_223_372_036_854_775_000), end_time: Some(i64::MAX), ..valid() };
    assert_eq!(fields(&endless), ["start_time", "end_time"]);
    let message = endless.validate().unwrap_err().to_string();
    assert!(message.contains("2100-01-01T00:00:00Z"), "{message}");
    let before_2000 = ExportTaskVo { start_time: Some(0), end_time: Some(HOUR), ..valid() };
    assert_eq!(fields(&before_2000), ["start_time", "end_time"]);
    let at_the_bounds = ExportTaskVo {
        start_time: Some(crate::time_range::LATEST_MS - HOUR),
        end_time: Some(crate::time_range::LATEST_MS),
        ..valid()
    };
    assert!(at_the_bounds.validate().is_ok());
}

#[test]
fn country_is_refused_for_carrier_and_top_url_data() {
    for action in ["isp_detail", "top_url_detail"] {
        let vo = ExportTaskVo { action: Some(action.into()), country: Some("cn".into()), ..valid() };
        assert_eq!(fields(&vo), ["country"], "{action}");
        let without = ExportTaskVo { country: None, ..vo };
        assert!(without.validate().is_ok(), "{action}");
    }
    let vo = ExportTaskVo { action: Some("top_ip_detail".into()), country: Some("cn,us".into()), ..valid() };
    assert_eq!(vo.validate().unwrap().country.as_deref(), Some("cn,us"));
    assert_eq!(fields(&ExportTaskVo { country: Some("China".into()), ..valid() }), ["country"]);
}

#[test]
fn province_needs_country_cn() {
    let vo = ExportTaskVo { country: Some("cn".into()), province: Some("beijing,shanghai".into()), ..valid() };
    assert!(vo.validate().is_ok());
    assert_eq!(fields(&ExportTaskVo { country: Some("us".into()), ..vo.clone() }), ["province"]);
    assert_eq!(fields(&ExportTaskVo { country: None, ..vo }), ["province"]);
}

#[test]
fn domains_are_checked_deduplicated_and_bounded() {
    let all = ExportTaskVo { domain_name: Some("all".into()), ..valid() };
    assert_eq!(all.validate().unwrap().domains, Domains::All);
    let dup = ExportTaskVo { domain_name: Some("A.example.com, a.example.com,*.img.example.com".into()), ..valid() };
    assert_eq!(
        dup.validate().unwrap().domains,
        Domains::List(vec!["a.example.com".into(), "*.img.example.com".into()])
    );
    for bad in ["example", "a..example.com", "a.example.com,", "-a.example.com", "http://a.example.com", "a.b.123"] {
        let vo = ExportTaskVo { domain_name: Some(bad.into()), ..valid() };
        assert_eq!(fields(&vo), ["domain_name"], "{bad}");
    }
    let many: Vec<String> = (0..=DOMAINS_MAX).map(|i| format!("d{i}.example.com")).collect();
    assert_eq!(fields(&ExportTaskVo { domain_name: Some(many.join(",")), ..valid() }), ["domain_name"]);
}

#[test]
fn a_body_round_trips_with_absent_fields_left_out() {
    let json = serde_json::to_string(&valid()).unwrap();
    assert!(!json.contains("null"), "{json}");
    assert_eq!(serde_json::from_str::<ExportTaskVo>(&json).unwrap(), valid());
}

#[test]
fn a_numeric_task_name_as_in_the_doc_example_is_read_as_text() {
    let body = r#"{"total":1,"data":[{"task_id":"2459be350111d2da0f8dc010e0ac4c33","task_name":149751000000,
        "status":"success","download_link":"https://x/y.xlsx","create_time":1,"update_time":2}]}"#;
    let list: ListExportTasksResponse = serde_json::from_str(body).unwrap();
    assert_eq!(list.data[0].task_name, "149751000000");
}

#[test]
fn list_limit_defaults_to_10_and_stops_at_100() {
    assert_eq!(ListExportTasksQuery::default().limit(), Ok(10));
    assert_eq!(ListExportTasksQuery { limit: Some(0), ..Default::default() }.limit(), Ok(0));
    assert_eq!(ListExportTasksQuery { limit: Some(100), ..Default::default() }.limit(), Ok(100));
    assert!(ListExportTasksQuery { limit: Some(101), ..Default::default() }.limit().is_err());
}

#[test]
fn the_query_string_is_encoded_like_the_sdk() {
    let query = ListExportTasksQuery {
        limit: Some(20),
        offset: Some(40),
        task_id: None,
        task_name: Some("flux report/1 ~x".into()),
    };
    assert_eq!(query.to_query_string(), "limit=20&offset=40&task_name=flux%20report%2F1%20~x");
}
