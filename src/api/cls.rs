//! Tencent Cloud CLS log exports: create, list (Offset/Limit), delete; and the account's topics
//! (DescribeTopics) to choose one from. The file is `CosPath`, a
//! presigned link valid for an hour, so downloading is a plain link (see `DownloadLink`).
//!
//! Task status: `Queuing` is queued, `Processing` running, `Completed` succeeded, `Failed`
//! failed, and `Expired` (the file removed three days after completion) expired. Anything
//! undocumented is taken as running, which keeps the page refreshing rather than giving up.

use super::call::Call;
use super::status::{StatusKind, TaskStatus};
use super::{fetch, ApiError};
use export_desk_model::tencent_cls::{
    action, CreateExportRequest, CreateExportResponse, DeleteExportRequest, DeleteExportResponse,
    DescribeExportsRequest, DescribeExportsResponse, DescribeTopicsRequest, ExportInfo, ExportStatus, TopicsPage,
    VERSION,
};

/// CreateExport; answers the new export's id.
pub async fn create(request: &CreateExportRequest) -> Result<CreateExportResponse, ApiError> {
    fetch::tencent_call(action::CREATE_EXPORT, VERSION, request).await
}

/// What [`create`] sends besides its body: the path and headers [`fetch::tencent_call`] builds
/// from the same action and version.
pub fn create_call() -> Call {
    Call::post(fetch::TENCENT_PATH, fetch::tencent_headers(action::CREATE_EXPORT, VERSION))
}

/// DescribeExports: one page (`Offset`/`Limit`) of a topic's exports, newest first.
pub async fn describe(request: &DescribeExportsRequest) -> Result<DescribeExportsResponse, ApiError> {
    fetch::tencent_call(action::DESCRIBE_EXPORTS, VERSION, request).await
}

/// DescribeTopics: one page of the account's topics that pass the filters, and how many do (read
/// as far as choosing a topic needs).
pub async fn describe_topics(request: &DescribeTopicsRequest) -> Result<TopicsPage, ApiError> {
    fetch::tencent_call(action::DESCRIBE_TOPICS, VERSION, request).await
}

/// DeleteExport, in any state (a queued or running export is cancelled).
pub async fn delete(export_id: &str) -> Result<DeleteExportResponse, ApiError> {
    let request = DeleteExportRequest { export_id: Some(export_id.to_owned()) };
    fetch::tencent_call(action::DELETE_EXPORT, VERSION, &request).await
}

/// The shared status of an export (see the module doc).
pub fn task_status(export: &ExportInfo) -> TaskStatus {
    let kind = match ExportStatus::parse(&export.status) {
        Some(ExportStatus::Queuing) => StatusKind::Queued,
        Some(ExportStatus::Processing) => StatusKind::Running,
        None => return TaskStatus::unknown(&export.status),
        Some(ExportStatus::Completed) => StatusKind::Succeeded,
        Some(ExportStatus::Failed) => StatusKind::Failed,
        Some(ExportStatus::Expired) => StatusKind::Expired,
    };
    TaskStatus::new(kind, &export.status)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn export(status: &str) -> ExportInfo {
        ExportInfo {
            topic_id: "2f6c1d3e-8a47-4b9e-9c21-5d7e3f4a6b80".into(),
            export_id: "export-57196a6a-7622-47be-bc92-d2ebea959a0f".into(),
            query: "*".into(),
            file_name: "log.tar.gz".into(),
            file_size: 0,
            order: "desc".into(),
            format: "json".into(),
            count: 100,
            status: status.into(),
            from: 0,
            to: 1,
            cos_path: String::new(),
            create_time: "2026-11-23 16:30:00".into(),
            syntax_rule: 1,
            derived_fields: None,
            create_timestamp: None,
        }
    }

    #[test]
    fn every_documented_status_maps_keeping_the_raw_value() {
        let kind = |raw: &str| task_status(&export(raw)).kind;
        assert_eq!(kind("Queuing"), StatusKind::Queued);
        assert_eq!(kind("Processing"), StatusKind::Running);
        assert_eq!(kind("Completed"), StatusKind::Succeeded);
        assert_eq!(kind("Failed"), StatusKind::Failed);
        assert_eq!(kind("Expired"), StatusKind::Expired);
        assert!(StatusKind::Queued.is_unfinished() && !StatusKind::Expired.is_unfinished());
        let unknown = task_status(&export("Paused"));
        assert_eq!((unknown.kind, unknown.raw.as_str()), (StatusKind::Running, "Paused"));
    }

    #[test]
    fn delete_sends_the_export_id_under_its_pascal_case_name() {
        let request = DeleteExportRequest { export_id: Some("export-1".into()) };
        assert_eq!(serde_json::to_string(&request).unwrap(), r#"{"ExportId":"export-1"}"#);
    }
}
