//! The names of the cloud operations the mock knows, and how to tell from a request which one it
//! is. Faults are set and the journal is filtered by these names, so they are the admin API's
//! vocabulary: `cdn:ListExportTasks`, later `iotda:…` and `cls:…`.
//!
//! Requests are matched here rather than by the router, so an operation can carry faults before
//! its handler exists, and no handler needs code of its own to be observed.

use crate::envelope::ErrorFormat;
use axum::http::{HeaderMap, Method};
use serde::Serialize;

/// One cloud operation: its name, how a request for it looks, and its provider's error envelope.
#[derive(Debug, Clone, Serialize)]
pub struct Operation {
    pub name: &'static str,
    #[serde(flatten)]
    pub route: Route,
    /// The envelope a forced error for this operation answers in.
    pub errors: ErrorFormat,
}

#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Route {
    /// A REST call; `{name}` in the path stands for any one path segment.
    Rest {
        #[serde(serialize_with = "method_name")]
        method: Method,
        path: &'static str,
    },
    /// Tencent Cloud API 3.0: every call is `POST /`, the action named by the `X-TC-Action` header.
    TencentAction { action: &'static str },
}

fn method_name<S: serde::Serializer>(method: &Method, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(method.as_str())
}

/// Every operation the admin API can name. Adding one is one row.
pub const OPERATIONS: &[Operation] = &[
    Operation::huawei_cdn("cdn:CreateExportTask", Method::POST, "/v1/cdn/statistics/export-tasks"),
    Operation::huawei_cdn("cdn:ListExportTasks", Method::GET, "/v1/cdn/statistics/export-tasks"),
    Operation::huawei_cdn("cdn:ShowHistoryTasks", Method::GET, "/v1.0/cdn/historytasks"),
    Operation::huawei_cdn(
        "cdn:ShowHistoryTaskDetails",
        Method::GET,
        "/v1.0/cdn/historytasks/{history_tasks_id}/detail",
    ),
    Operation::huawei_cdn("cdn:CreateRefreshTasks", Method::POST, "/v1.0/cdn/content/refresh-tasks"),
    Operation::huawei_cdn("cdn:CreatePreheatingTasks", Method::POST, "/v1.0/cdn/content/preheating-tasks"),
    Operation::huawei_iotda("iotda:CreateExportTask", Method::POST, "/v5/iot/{project_id}/export-tasks"),
    Operation::huawei_iotda("iotda:ListExportTasks", Method::GET, "/v5/iot/{project_id}/export-tasks"),
    Operation::huawei_iotda(
        "iotda:ShowExportTask",
        Method::GET,
        "/v5/iot/{project_id}/export-tasks/{export_task_id}/file",
    ),
    Operation::huawei_iotda(
        "iotda:DeleteExportTask",
        Method::DELETE,
        "/v5/iot/{project_id}/export-tasks/{export_task_id}",
    ),
    Operation::tencent("cls:CreateExport", "CreateExport"),
    Operation::tencent("cls:DescribeExports", "DescribeExports"),
    Operation::tencent("cls:DeleteExport", "DeleteExport"),
    Operation::tencent("cls:DescribeTopics", "DescribeTopics"),
];

/// The header naming a Tencent Cloud API 3.0 action.
pub const TENCENT_ACTION_HEADER: &str = "X-TC-Action";

impl Operation {
    /// A Huawei Cloud CDN call: errors in CDN's nested envelope.
    pub const fn huawei_cdn(name: &'static str, method: Method, path: &'static str) -> Self {
        Self { name, route: Route::Rest { method, path }, errors: ErrorFormat::HuaweiNested }
    }

    /// A Huawei Cloud IoTDA call: errors in the flat envelope.
    pub const fn huawei_iotda(name: &'static str, method: Method, path: &'static str) -> Self {
        Self { name, route: Route::Rest { method, path }, errors: ErrorFormat::HuaweiFlat }
    }

    /// A Tencent Cloud API 3.0 action.
    pub const fn tencent(name: &'static str, action: &'static str) -> Self {
        Self { name, route: Route::TencentAction { action }, errors: ErrorFormat::Tencent }
    }

    /// Whether the call makes a task (`cdn:CreateRefreshTasks`, `cls:CreateExport`, …).
    pub fn is_create(&self) -> bool {
        self.verb().starts_with("Create")
    }

    /// Whether the call changes what is stored: a create or a delete.
    pub fn is_write(&self) -> bool {
        self.is_create() || self.verb().starts_with("Delete")
    }

    /// `CreateExport` of `cls:CreateExport`.
    fn verb(&self) -> &'static str {
        self.name.split_once(':').map_or(self.name, |(_, verb)| verb)
    }

    fn matches(&self, method: &Method, path: &str, headers: &HeaderMap) -> bool {
        match &self.route {
            Route::Rest { method: wanted, path: template } => wanted == method && path_matches(template, path),
            Route::TencentAction { action } => {
                method == Method::POST
                    && path == "/"
                    && headers.get(TENCENT_ACTION_HEADER).is_some_and(|value| value.as_bytes() == action.as_bytes())
            }
        }
    }
}

/// The operation a request calls, if it is one the mock knows.
pub fn identify(method: &Method, path: &str, headers: &HeaderMap) -> Option<&'static Operation> {
    identify_in(OPERATIONS, method, path, headers)
}

fn identify_in<'a>(table: &'a [Operation], method: &Method, path: &str, headers: &HeaderMap) -> Option<&'a Operation> {
    table.iter().find(|operation| operation.matches(method, path, headers))
}

pub fn by_name(name: &str) -> Option<&'static Operation> {
    OPERATIONS.iter().find(|operation| operation.name == name)
}

/// The known names, for error messages that should say what would have been accepted.
pub fn known_names() -> String {
    OPERATIONS.iter().map(|operation| operation.name).collect::<Vec<_>>().join(", ")
}

/// Whether the path is one the clouds' APIs live on: these calls are journaled and can carry
/// faults, whether or not the mock knows the operation.
pub fn is_cloud_api(method: &Method, path: &str) -> bool {
    const PREFIXES: [&str; 3] = ["/v1/", "/v1.0/", "/v5/"];
    PREFIXES.iter().any(|prefix| path.starts_with(prefix) || path == prefix.trim_end_matches('/'))
        || (method == Method::POST && path == "/")
}

/// A trailing slash is a different path to the gateway, so segments must match one for one.
fn path_matches(template: &str, path: &str) -> bool {
    let mut wanted = template.split('/');
    let mut given = path.split('/');
    loop {
        match (wanted.next(), given.next()) {
            (None, None) => return true,
            (Some(w), Some(g)) if w.starts_with('{') && w.ends_with('}') => {
                if g.is_empty() {
                    return false;
                }
            }
            (Some(w), Some(g)) if w == g => {}
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn writes_are_the_creates_and_deletes() {
        let writes: Vec<&str> = OPERATIONS.iter().filter(|op| op.is_write()).map(|op| op.name).collect();
        assert_eq!(
            writes,
            [
                "cdn:CreateExportTask",
                "cdn:CreateRefreshTasks",
                "cdn:CreatePreheatingTasks",
                "iotda:CreateExportTask",
                "iotda:DeleteExportTask",
                "cls:CreateExport",
                "cls:DeleteExport"
            ]
        );
        assert!(by_name("iotda:DeleteExportTask").is_some_and(|op| op.is_write() && !op.is_create()));
    }

    const TABLE: &[Operation] = &[
        Operation::huawei_cdn("cdn:ShowHistoryTaskDetails", Method::GET, "/v1.0/cdn/historytasks/{id}/detail"),
        Operation::huawei_iotda("iotda:ListExportTasks", Method::GET, "/v5/iot/{project_id}/export-tasks"),
        Operation::tencent("cls:DescribeExports", "DescribeExports"),
    ];

    fn find(method: Method, path: &str, action: Option<&str>) -> Option<&'static str> {
        let mut headers = HeaderMap::new();
        if let Some(action) = action {
            headers.insert(TENCENT_ACTION_HEADER, HeaderValue::from_str(action).unwrap());
        }
        identify_in(TABLE, &method, path, &headers).map(|operation| operation.name)
    }

    #[test]
    fn rest_calls_match_by_method_and_path_with_placeholders_for_one_segment() {
        assert_eq!(find(Method::GET, "/v1.0/cdn/historytasks/42/detail", None), Some("cdn:ShowHistoryTaskDetails"));
        assert_eq!(find(Method::GET, "/v5/iot/p1/export-tasks", None), Some("iotda:ListExportTasks"));
        assert_eq!(find(Method::POST, "/v5/iot/p1/export-tasks", None), None, "another method");
        assert_eq!(find(Method::GET, "/v1.0/cdn/historytasks//detail", None), None, "an empty segment");
        assert_eq!(find(Method::GET, "/v1.0/cdn/historytasks/a/b/detail", None), None, "two segments");
        assert_eq!(find(Method::GET, "/v5/iot/p1/export-tasks/", None), None, "a trailing slash");
    }

    #[test]
    fn tencent_calls_match_by_action_header_on_post_root() {
        assert_eq!(find(Method::POST, "/", Some("DescribeExports")), Some("cls:DescribeExports"));
        assert_eq!(find(Method::POST, "/", Some("describeexports")), None, "actions are case-sensitive");
        assert_eq!(find(Method::POST, "/", None), None);
        assert_eq!(find(Method::GET, "/", Some("DescribeExports")), None);
    }

    #[test]
    fn the_table_knows_the_cdn_calls_and_names_are_unique() {
        let headers = HeaderMap::new();
        let list = identify(&Method::GET, "/v1/cdn/statistics/export-tasks", &headers).map(|o| o.name);
        assert_eq!(list, Some("cdn:ListExportTasks"));
        let create = identify(&Method::POST, "/v1/cdn/statistics/export-tasks", &headers).map(|o| o.name);
        assert_eq!(create, Some("cdn:CreateExportTask"));
        let mut names: Vec<&str> = OPERATIONS.iter().map(|operation| operation.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), OPERATIONS.len());
        assert!(by_name("cdn:CreateRefreshTasks").is_some() && by_name("cdn:Nope").is_none());
    }

    #[test]
    fn the_table_agrees_with_the_paths_the_providers_serve() {
        use export_desk_model::huawei_cdn::history::{HISTORY_TASKS_PATH, PREHEATING_TASKS_PATH, REFRESH_TASKS_PATH};
        use export_desk_model::huawei_cdn::EXPORT_TASKS_PATH;
        let path = |name: &str| match by_name(name).map(|operation| &operation.route) {
            Some(Route::Rest { path, .. }) => *path,
            other => panic!("{name}: {other:?}"),
        };
        assert_eq!(path("cdn:ListExportTasks"), EXPORT_TASKS_PATH);
        assert_eq!(path("cdn:ShowHistoryTasks"), HISTORY_TASKS_PATH);
        assert_eq!(path("cdn:CreateRefreshTasks"), REFRESH_TASKS_PATH);
        assert_eq!(path("cdn:CreatePreheatingTasks"), PREHEATING_TASKS_PATH);
        let detail = export_desk_model::huawei_cdn::history::detail_path("abc");
        assert!(path_matches(path("cdn:ShowHistoryTaskDetails"), &detail), "{detail}");
    }

    #[test]
    fn cloud_api_paths_are_the_provider_prefixes_and_tencent_post_root() {
        for (method, path) in
            [(Method::GET, "/v1/x"), (Method::GET, "/v1.0"), (Method::DELETE, "/v5/a"), (Method::POST, "/")]
        {
            assert!(is_cloud_api(&method, path), "{method} {path}");
        }
        for (method, path) in
            [(Method::GET, "/"), (Method::GET, "/v10/x"), (Method::GET, "/_mock/clock"), (Method::GET, "/app.js")]
        {
            assert!(!is_cloud_api(&method, path), "{method} {path}");
        }
    }
}
