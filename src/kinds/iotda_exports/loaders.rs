//! What the registry (`KINDS`) asks of this kind outside its page: the Overview's (and the watcher's) every task of the
//! project, and the search by export or batch task. Each answers `OverviewTask`s or `Found`s, which link back into the
//! kind's list.

use super::{all_tasks, batch_task_id, parse_time};
use crate::api::{desk, iotda, ApiError};
use crate::i18n::Catalogue;
use crate::kinds::find::Found;
use crate::kinds::OverviewTask;
use crate::task_page::LINKED_TASK_KEY;
use export_desk_model::desk::DeskConfig;
use export_desk_model::huawei_iotda::ExportTask;
use serde_json::Value;

/// Where the Overview and the search link a task. ListExportTasks filters by the batch task an
/// export reads (`resource_condition`), not by the export task's own id, and there is no call
/// showing one task: so the link filters the list to its batch task (`batch_task_id`, a filter the
/// API applies: usually that one task, as IoTDA overwrites an export of the same batch task) and
/// names the task (`task`), to be highlighted and scrolled into view among them.
fn task_href(task: &ExportTask) -> String {
    let batch = batch_task_id(task);
    let mut query = vec![(LINKED_TASK_KEY, task.export_task_id.as_str())];
    if !batch.is_empty() {
        query.insert(0, ("batch_task_id", batch.as_str()));
    }
    let query: Vec<String> = query
        .iter()
        .map(|(key, value)| format!("{key}={}", export_desk_model::huawei_cdn::percent_encode(value)))
        .collect();
    format!("{}?{}", super::PATH, query.join("&"))
}

/// How the Overview names a task: its batch task (or what it exports) and its progress.
fn overview_title(task: &ExportTask, t: &Catalogue) -> String {
    let words = &t.iotda;
    match task.resource_condition.get("task_id").and_then(Value::as_str) {
        Some(batch) => (words.overview_batch_task)(batch, task.progress),
        None => (words.overview_other)(&task.resource_type, task.progress),
    }
}

/// For the Overview: every task of the project.
pub(in crate::kinds) async fn overview_tasks(
    config: DeskConfig,
    now_ms: i64,
    t: &'static Catalogue,
) -> Result<Vec<OverviewTask>, ApiError> {
    let Some(project) = desk::iotda_project(&config) else { return Ok(Vec::new()) };
    Ok(all_tasks(project)
        .await?
        .into_iter()
        .map(|task| {
            // An unreadable time counts as now, so an unfinished or failed task is listed rather than hidden.
            let created_ms = parse_time(&task.create_time).unwrap_or(now_ms);
            OverviewTask {
                href: task_href(&task),
                status: iotda::task_status(&task),
                // A download obeys IoTDA's one a 30 s: the notice leads to the row's button.
                download: None,
                title: overview_title(&task, t),
                id: task.export_task_id,
                created_ms,
                changed_ms: created_ms,
                scope: String::new(),
            }
        })
        .collect())
}

/// For the search: every export task of the project (one page of 50 is all IoTDA keeps), matched
/// by its own id, and by the batch task it exports, as the list has no filter by export task.
pub(in crate::kinds) async fn find(
    config: DeskConfig,
    id: String,
    t: &'static Catalogue,
) -> Result<Vec<Found>, ApiError> {
    let Some(project) = desk::iotda_project(&config) else { return Ok(Vec::new()) };
    let tasks = all_tasks(project).await?;
    let mut found: Vec<Found> = tasks
        .iter()
        .filter(|task| task.export_task_id.eq_ignore_ascii_case(&id))
        .map(|task| Found { href: task_href(task), title: overview_title(task, t) })
        .collect();
    let of_batch: Vec<&ExportTask> = tasks.iter().filter(|task| batch_task_id(task) == id).collect();
    if let Some(first) = of_batch.first() {
        let href = match of_batch.len() {
            1 => task_href(first),
            _ => format!("{}?batch_task_id={}", super::PATH, export_desk_model::huawei_cdn::percent_encode(&id)),
        };
        found.push(Found { href, title: (t.find.batch_task)(&id, of_batch.len()) });
    }
    Ok(found)
}

/// An IoTDA export task id (24 hexadecimal characters) or a batch task id (up to 24 of `0-9a-f`,
/// the rule ListExportTasks's condition is checked by).
pub(in crate::kinds) fn is_iotda_id(text: &str) -> bool {
    export_desk_model::huawei_iotda::is_task_id(text) || export_desk_model::huawei_iotda::is_batch_task_id(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::iotda_exports::{condition, ExportList};
    use crate::task_page::ListSource;
    use serde_json::Map;

    #[test]
    fn an_overview_link_filters_to_the_batch_task_and_names_the_export() {
        let task = ExportTask {
            export_task_id: "65a1b2c3d4e5f60718293a4b".into(),
            resource_condition: condition("0a1b"),
            ..crate::api::iotda::sample_task("Processing")
        };
        assert_eq!(task_href(&task), "/iotda/exports?batch_task_id=0a1b&task=65a1b2c3d4e5f60718293a4b");
        let query = ExportList::query(&|key| match key {
            "batch_task_id" => Some("0a1b".to_owned()),
            LINKED_TASK_KEY => Some(task.export_task_id.clone()),
            _ => None,
        })
        .unwrap();
        assert_eq!(query.call.resource_condition.as_deref(), Some(r#"{"task_id":"0a1b"}"#), "the API filters by it");
        let without_batch = ExportTask { resource_condition: Map::new(), ..task };
        assert_eq!(task_href(&without_batch), "/iotda/exports?task=65a1b2c3d4e5f60718293a4b");
    }

    #[test]
    fn the_overview_names_a_task_in_the_language_in_force() {
        let task = ExportTask { resource_condition: condition("0a1b"), ..crate::api::iotda::sample_task("Processing") };
        assert_eq!(overview_title(&task, &crate::i18n::EN), "Batch task 0a1b (10%)");
        assert_eq!(overview_title(&task, &crate::i18n::ZH_CN), "批量任务 0a1b（10%）");
        let without_batch = ExportTask { resource_condition: Map::new(), ..task };
        assert_eq!(overview_title(&without_batch, &crate::i18n::ZH_CN), "BatchTask（10%）");
    }
}
