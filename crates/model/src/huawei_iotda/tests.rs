use super::*;
use serde_json::json;

fn body(value: Value) -> AddExportTask {
    serde_json::from_value(value).expect("a well-typed body")
}

fn fields(violations: &Violations) -> Vec<&'static str> {
    violations.iter().map(|v| v.field).collect()
}

fn query(pairs: &[(&str, &str)]) -> ListExportTasksQuery {
    let mut q = ListExportTasksQuery::default();
    for (key, value) in pairs {
        let value = Some((*value).to_owned());
        match *key {
            "resource_type" => q.resource_type = value,
            "resource_condition" => q.resource_condition = value,
            "limit" => q.limit = value,
            "marker" => q.marker = value,
            "offset" => q.offset = value,
            "app_type" => q.app_type = value,
            "app_id" => q.app_id = value,
            other => unreachable!("{other}"),
        }
    }
    q
}

#[test]
fn a_minimal_body_gets_the_documented_defaults() {
    let spec =
        body(json!({"resource_type": "BatchTask", "resource_condition": {"task_id": "5f1a2b3c4d5e6f7a8b9c0d1e"}}))
            .validate()
            .unwrap();
    assert_eq!(spec.resource_type, ResourceType::BatchTask);
    assert_eq!(spec.batch_task_id, "5f1a2b3c4d5e6f7a8b9c0d1e");
    assert_eq!(spec.export_format, ExportFormat::Xls);
    assert_eq!(spec.app_type, AppType::Global);
    assert_eq!(spec.app_id, None);
    assert_eq!(Value::Object(spec.resource_condition()), json!({"task_id": "5f1a2b3c4d5e6f7a8b9c0d1e"}));
    assert_eq!(spec.to_request().validate().unwrap(), spec, "the request a spec gives validates back to it");
}

#[test]
fn required_fields_and_enums_are_checked_together() {
    let err = AddExportTask::default().validate().unwrap_err();
    assert_eq!(fields(&err), ["resource_type", "resource_condition"]);
    let err = body(json!({
        "resource_type": "BatchTasks",
        "resource_condition": {"task_id": "abc"},
        "export_format": "xlsx",
        "app_type": "global",
        "app_id": "has space"
    }))
    .validate()
    .unwrap_err();
    assert_eq!(fields(&err), ["resource_type", "export_format", "app_type", "app_id"]);
    assert!(err.message_for("resource_type").unwrap().contains("BatchTask"));
    assert!(err.message_for("app_type").unwrap().contains("GLOBAL, APP"));
}

#[test]
fn the_condition_names_one_batch_task() {
    let check =
        |condition: Value| body(json!({"resource_type": "BatchTask", "resource_condition": condition})).validate();
    assert!(check(json!({"task_id": "0123456789abcdef01234567"})).is_ok());
    for (condition, mentions) in [
        (json!({}), "task_id is required"),
        (json!({"task_id": "ABC"}), "0-9 and a-f"),
        (json!({"task_id": "0123456789abcdef012345678"}), "1 to 24"),
        (json!({"task_id": 42}), "not 42"),
        (json!({"task_id": ""}), "batch task id"),
        (json!({"task_id": "abc", "device_id": "x"}), "unknown key `device_id`"),
    ] {
        let err = check(condition.clone()).unwrap_err();
        assert_eq!(fields(&err), ["resource_condition"], "{condition}");
        assert!(err.to_string().contains(mentions), "{condition}: {err}");
    }
}

#[test]
fn same_conditions_ignore_app_id_only_for_tenant_tasks() {
    let spec = |app_type: &str, app_id: Option<&str>, task: &str| {
        body(json!({"resource_type": "BatchTask", "resource_condition": {"task_id": task}, "app_type": app_type, "app_id": app_id}))
            .validate()
            .unwrap()
    };
    assert!(spec("GLOBAL", Some("a"), "ab").same_conditions(&spec("GLOBAL", None, "ab")));
    assert!(!spec("GLOBAL", None, "ab").same_conditions(&spec("GLOBAL", None, "cd")));
    assert!(!spec("APP", Some("a"), "ab").same_conditions(&spec("APP", Some("b"), "ab")));
    assert!(spec("APP", None, "ab").same_conditions(&spec("APP", None, "ab")));
    assert!(!spec("APP", None, "ab").same_conditions(&spec("GLOBAL", None, "ab")));
}

#[test]
fn list_defaults_are_the_documented_ones() {
    let filter = query(&[("resource_type", "BatchTask")]).validate().unwrap();
    assert_eq!(filter.limit, 10);
    assert_eq!(filter.offset, 0);
    assert_eq!(filter.marker, DEFAULT_MARKER);
    assert_eq!(filter.batch_task_id, None);
    assert_eq!(filter.app_type, AppType::Global);
}

#[test]
fn list_requires_resource_type() {
    let err = query(&[]).validate().unwrap_err();
    assert_eq!(fields(&err), ["resource_type"]);
    assert_eq!(list_error_code(&err), error_code::INVALID_INPUT);
    let err = query(&[("resource_type", "Device")]).validate().unwrap_err();
    assert!(err.message_for("resource_type").unwrap().contains("not `Device`"));
}

#[test]
fn limit_and_offset_bounds_are_exact() {
    let with = |pairs: &[(&str, &str)]| {
        let mut all = vec![("resource_type", "BatchTask")];
        all.extend_from_slice(pairs);
        query(&all).validate()
    };
    assert_eq!(with(&[("limit", "1"), ("offset", "500")]).map(|f| (f.limit, f.offset)), Ok((1, 500)));
    assert_eq!(with(&[("limit", "50"), ("offset", "0")]).map(|f| (f.limit, f.offset)), Ok((50, 0)));
    for limit in ["0", "51", "-1", "ten", "1.5"] {
        let err = with(&[("limit", limit)]).unwrap_err();
        assert_eq!(list_error_code(&err), error_code::LIMIT_OUT_OF_RANGE, "limit={limit}");
        assert!(err.message_for("limit").unwrap().contains("1 to 50"));
    }
    for offset in ["501", "-1", "x"] {
        let err = with(&[("offset", offset)]).unwrap_err();
        assert_eq!(list_error_code(&err), error_code::INVALID_INPUT, "offset={offset}");
        assert!(err.message_for("offset").unwrap().contains("0 to 500"));
    }
    let both = with(&[("limit", "0"), ("offset", "501")]).unwrap_err();
    assert_eq!(list_error_code(&both), error_code::INVALID_INPUT, "a mix of problems is generic");
}

#[test]
fn markers_are_24_hex_characters() {
    let with = |marker: &str| query(&[("resource_type", "BatchTask"), ("marker", marker)]).validate();
    assert_eq!(with("00000000000000000000000A").unwrap().marker, "00000000000000000000000a");
    for bad in ["fff", "ffffffffffffffffffffffffff", "gggggggggggggggggggggggg"] {
        assert!(with(bad).unwrap_err().for_field("marker").is_some(), "{bad}");
    }
}

#[test]
fn the_list_condition_is_a_json_string() {
    let with = |condition: &str| query(&[("resource_type", "BatchTask"), ("resource_condition", condition)]).validate();
    assert_eq!(with(r#"{"task_id":"abc123"}"#).unwrap().batch_task_id.as_deref(), Some("abc123"));
    assert_eq!(with("{}").unwrap().batch_task_id, None, "an empty object filters nothing");
    for bad in [r#"{"task_id":"#, r#"["abc"]"#, r#""abc""#, r#"{"task_id":"XYZ"}"#, r#"{"other":"a"}"#] {
        let err = with(bad).unwrap_err();
        assert_eq!(fields(&err), ["resource_condition"], "{bad}");
    }
}

#[test]
fn list_filters_match_by_batch_task_and_app() {
    let spec = |app_type: &str, app_id: Option<&str>| {
        body(json!({"resource_type": "BatchTask", "resource_condition": {"task_id": "ab"}, "app_type": app_type, "app_id": app_id}))
            .validate()
            .unwrap()
    };
    let filter = |pairs: &[(&str, &str)]| {
        let mut all = vec![("resource_type", "BatchTask")];
        all.extend_from_slice(pairs);
        query(&all).validate().unwrap()
    };
    let tenant = filter(&[]);
    assert!(tenant.matches(&spec("GLOBAL", None)) && tenant.matches(&spec("APP", Some("a"))), "tenant-wide");
    let app_a = filter(&[("app_type", "APP"), ("app_id", "a")]);
    assert!(app_a.matches(&spec("APP", Some("a"))));
    assert!(!app_a.matches(&spec("APP", Some("b"))) && !app_a.matches(&spec("GLOBAL", None)));
    let default_app = filter(&[("app_type", "APP")]);
    assert!(default_app.matches(&spec("APP", None)) && !default_app.matches(&spec("APP", Some("a"))));
    assert!(!filter(&[("resource_condition", r#"{"task_id":"cd"}"#)]).matches(&spec("GLOBAL", None)));
}

#[test]
fn query_strings_are_sorted_and_encoded_like_the_sdk() {
    let q = query(&[
        ("resource_type", "BatchTask"),
        ("resource_condition", r#"{"task_id":"ab"}"#),
        ("limit", "5"),
        ("app_type", "APP"),
    ]);
    assert_eq!(
        q.to_query_string(),
        "app_type=APP&limit=5&resource_condition=%7B%22task_id%22%3A%22ab%22%7D&resource_type=BatchTask"
    );
}

#[test]
fn owners_are_checked() {
    let owner =
        Owner::new("0e7a6d2c9b8f4e1d8c3b5a7f6e2d1c0b", Some("inst-1"), Some("0e7a6d2c9b8f4e1d8c3b5a7f6e2d1c0b"));
    assert_eq!(owner.unwrap().instance_id.as_deref(), Some("inst-1"));
    assert_eq!(Owner::new("p1", Some(""), None).unwrap().instance_id, None, "an empty header is no header");
    let err = Owner::new("{project_id}", Some("a b"), Some("other")).unwrap_err();
    assert_eq!(fields(&err), ["project_id", "X-Project-Id", "Instance-Id"]);
    assert!(err.message_for("project_id").unwrap().contains("credentials name no project_id"));
}

#[test]
fn paths_fill_the_templates() {
    assert_eq!(export_tasks_path("p1"), "/v5/iot/p1/export-tasks");
    assert_eq!(export_task_path("p1", "ab"), "/v5/iot/p1/export-tasks/ab");
    assert_eq!(export_file_path("p1", "ab"), "/v5/iot/p1/export-tasks/ab/file");
    assert_eq!(
        EXPORT_FILE_PATH.replace("{project_id}", "p1").replace("{export_task_id}", "ab"),
        export_file_path("p1", "ab")
    );
}

#[test]
fn specs_and_statuses_travel_as_wire_strings() {
    let spec = body(json!({"resource_type": "BatchTask", "resource_condition": {"task_id": "ab"}, "app_type": "APP"}))
        .validate()
        .unwrap();
    let text = serde_json::to_string(&spec).unwrap();
    assert!(text.contains(r#""resource_type":"BatchTask""#) && text.contains(r#""app_type":"APP""#), "{text}");
    assert_eq!(serde_json::from_str::<ExportSpec>(&text).unwrap(), spec);
    assert!(serde_json::from_str::<TaskStatus>(r#""Done""#).is_err());
    assert!(TaskStatus::Failed.is_finished() && !TaskStatus::Processing.is_finished());
}
