//! What the registry (`KINDS`) asks of this kind outside its page: the Overview's newest exports of each favourite
//! topic, the watcher's topics (those its watched exports name), and the search, topic by topic. Each answers
//! `OverviewTask`s or `Found`s, which link back into the kind's list. For the watcher, a topic CLS says no
//! longer exists counts as one without exports, so one deleted topic holds up no other watched export; the
//! Overview and the search show the refusal, as a favourite that does not exist (a typo, another region) is
//! the operator's to see.

use super::created_ms;
use crate::api::status::StatusKind;
use crate::api::{cls, ApiError};
use crate::i18n::Catalogue;
use crate::kinds::find::{self, Found};
use crate::kinds::OverviewTask;
use crate::watched::Watched;
use export_desk_model::desk::{ClsTopic, DeskConfig};
use export_desk_model::tencent_cls::{DescribeExportsRequest, LIMIT_DEFAULT, LIMIT_MAX};

/// For the Overview: the newest 100 exports of each topic the server names.
pub(in crate::kinds) async fn overview_tasks(
    config: DeskConfig,
    now_ms: i64,
    t: &'static Catalogue,
) -> Result<Vec<OverviewTask>, ApiError> {
    tasks_of(config.providers.cls_topics.clone(), GoneTopic::Fails, now_ms, t).await
}

/// What a topic CLS says does not exist does to an answer of several topics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::kinds) enum GoneTopic {
    /// The answer fails with CLS's refusal: the Overview shows it, with its request id.
    Fails,
    /// The topic counts as one without exports: the watcher's, where an export's topic can be
    /// deleted after it was watched, and its exports then go missing and expire after the grace.
    HasNoExports,
}

/// The topics the watcher asks: those its watched exports name (their scope: an export created
/// on a topic that is not a favourite is found there), and the favourites when an export names
/// none (watched before exports kept their topic). At most one a watched export; DescribeExports
/// filters by topic only, so each is one call.
pub(in crate::kinds) fn watched_topics(config: &DeskConfig, watched: &[Watched]) -> Vec<ClsTopic> {
    let favourites = &config.providers.cls_topics;
    let mut topics: Vec<ClsTopic> = Vec::new();
    let mut add = |topic: ClsTopic| {
        if !topics.iter().any(|known| known.id == topic.id) {
            topics.push(topic);
        }
    };
    for entry in watched {
        if entry.scope.is_empty() {
            favourites.iter().cloned().for_each(&mut add);
        } else {
            // A favourite keeps its name; another topic is named by its id.
            let named = favourites.iter().find(|topic| topic.id == entry.scope).cloned();
            add(named.unwrap_or_else(|| ClsTopic {
                id: entry.scope.clone(),
                name: entry.scope.clone(),
                closed: false,
            }));
        }
    }
    topics
}

/// The newest [`LIMIT_MAX`] exports of each topic.
pub(in crate::kinds) async fn tasks_of(
    topics: Vec<ClsTopic>,
    gone: GoneTopic,
    now_ms: i64,
    t: &'static Catalogue,
) -> Result<Vec<OverviewTask>, ApiError> {
    let mut tasks = Vec::new();
    for topic in &topics {
        let request = DescribeExportsRequest {
            topic_id: Some(topic.id.clone()),
            offset: Some(0),
            limit: Some(i64::from(LIMIT_MAX)),
        };
        let answer = match cls::describe(&request).await {
            Ok(answer) => answer,
            // A deleted topic's watched exports go missing (and expire after the grace) rather than
            // failing every other topic's answer for good.
            Err(error) if gone == GoneTopic::HasNoExports && topic_is_gone(&error) => continue,
            Err(error) => return Err(error),
        };
        tasks.extend(answer.exports.into_iter().enumerate().map(|(index, export)| {
            let created_ms = created_ms(&export).unwrap_or(now_ms);
            OverviewTask {
                href: export_href(&topic.id, index as u64, &export.export_id),
                status: cls::task_status(&export),
                download: (cls::task_status(&export).kind == StatusKind::Succeeded).then(|| export.cos_path.clone()),
                title: (t.cls.overview_title)(&topic.name, &export.query),
                id: export.export_id,
                created_ms,
                changed_ms: created_ms,
                scope: topic.id.clone(),
            }
        }));
    }
    Ok(tasks)
}

/// Whether CLS says the topic no longer exists (deleted since it was configured or watched).
fn topic_is_gone(error: &ApiError) -> bool {
    error.code() == Some(export_desk_model::tencent_cls::code::TOPIC_NOT_EXIST)
}

/// An export on its topic's list, marked: on the page of the default size that holds the
/// `index`-th export (newest first) when it was listed.
fn export_href(topic_id: &str, index: u64, export_id: &str) -> String {
    let encode = export_desk_model::huawei_cdn::percent_encode;
    let page_offset = index / u64::from(LIMIT_DEFAULT) * u64::from(LIMIT_DEFAULT);
    let offset = if page_offset > 0 { format!("&offset={page_offset}") } else { String::new() };
    format!(
        "{}?topic={}{offset}&{}={}",
        super::PATH,
        encode(topic_id),
        crate::task_page::LINKED_TASK_KEY,
        encode(export_id)
    )
}

/// How many pages of [`LIMIT_MAX`] exports of each topic the search reads at most: DescribeExports
/// filters by topic only, so an export is found by reading its topic's list, newest first.
const FIND_PAGES_MAX: u64 = 10;

/// For the search: the configured topics' exports, topic by topic, newest first, up to
/// [`FIND_PAGES_MAX`] pages each, until the export is found (an export id names one export).
pub(in crate::kinds) async fn find(
    config: DeskConfig,
    id: String,
    t: &'static Catalogue,
) -> Result<Vec<Found>, ApiError> {
    let limit = u64::from(LIMIT_MAX);
    for topic in &config.providers.cls_topics {
        for page in 0..FIND_PAGES_MAX {
            let offset = page * limit;
            let request = DescribeExportsRequest {
                topic_id: Some(topic.id.clone()),
                offset: Some(i64::try_from(offset).unwrap_or(i64::MAX)),
                limit: Some(i64::from(LIMIT_MAX)),
            };
            let answer = cls::describe(&request).await?;
            let mut exports = answer.exports.iter().enumerate();
            if let Some((index, export)) = exports.find(|(_, export)| find::same_cls_export(&export.export_id, &id)) {
                return Ok(vec![Found {
                    href: export_href(&topic.id, offset + index as u64, &export.export_id),
                    title: (t.cls.overview_title)(&topic.name, &export.query),
                }]);
            }
            if (answer.exports.len() as u64) < limit || offset + limit >= answer.total_count {
                break;
            }
        }
    }
    Ok(Vec::new())
}

/// A CLS export id: `export-` and a UUID as DescribeExports lists it, or the bare UUID CreateExport's
/// documented example answers.
pub(in crate::kinds) fn is_cls_export_id(text: &str) -> bool {
    crate::kinds::find::uuid(text.strip_prefix("export-").unwrap_or(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_to_an_export_opens_the_page_of_the_default_size_that_holds_it() {
        let id = "export-57196a6a-7622-47be-bc92-d2ebea959a0f";
        assert_eq!(export_href("t 1", 0, id), format!("/cls/exports?topic=t%201&task={id}"));
        assert_eq!(export_href("t", 19, id), format!("/cls/exports?topic=t&task={id}"));
        assert_eq!(export_href("t", 20, id), format!("/cls/exports?topic=t&offset=20&task={id}"));
        assert_eq!(export_href("t", 999, id), format!("/cls/exports?topic=t&offset=980&task={id}"));
    }
}
