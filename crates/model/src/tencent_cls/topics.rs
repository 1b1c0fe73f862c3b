//! DescribeTopics: the account's log topics, filtered and paged, so a topic can be found by name
//! or id rather than typed.
//!
//! Parameters as the SDK's `DescribeTopicsRequest` names them: `Filters` (at most 10, each a
//! `Key` and 1 to 100 `Values`; a filter matches when any of its values does, and a topic is
//! listed when every filter matches), `Offset` (default 0), `Limit` (1 to 100, default 20),
//! `PreciseSearch` (0 to 3: which of `topicName`/`logsetName` match exactly instead of fuzzily)
//! and `BizType` (0 log topics, the default, or 1 metric topics). The answer is `Topics`
//! (`TopicInfo`, every field typed as the SDK's model) and `TotalCount`, every match.

use super::{paging, Logset, Topic, LIMIT_DEFAULT, LOGSETS, TOPICS};
use crate::validation::{Rule, Violations};
use serde::{Deserialize, Deserializer, Serialize};

/// Most filters one call may carry, and most values one filter may hold (as documented).
pub const FILTERS_MAX: usize = 10;
pub const FILTER_VALUES_MAX: usize = 100;

/// The filter keys DescribeTopics documents, besides `tag:<tag key>`.
pub mod filter_key {
    pub const TOPIC_NAME: &str = "topicName";
    pub const LOGSET_NAME: &str = "logsetName";
    pub const TOPIC_ID: &str = "topicId";
    pub const LOGSET_ID: &str = "logsetId";
    pub const TAG_KEY: &str = "tagKey";
    pub const STORAGE_TYPE: &str = "storageType";
    /// Followed by a tag key: `tag:team` matches the topics whose tag `team` has one of the values.
    pub const TAG_PREFIX: &str = "tag:";
    pub const ALL: &[&str] = &[TOPIC_NAME, LOGSET_NAME, TOPIC_ID, LOGSET_ID, TAG_KEY, STORAGE_TYPE];
}

/// `storageType`'s values: standard (`hot`) and infrequent-access (`cold`) storage.
pub const STORAGE_TYPES: &[&str] = &["hot", "cold"];
/// (mock) Every topic of the mock account is in standard storage.
pub const MOCK_STORAGE_TYPE: &str = "hot";

/// One filter as sent: `{"Key": "topicName", "Values": ["nginx"]}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Filter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<String>>,
}

impl Filter {
    pub fn new(key: &str, value: &str) -> Self {
        Self { key: Some(key.to_owned()), values: Some(vec![value.to_owned()]) }
    }
}

/// DescribeTopics' parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeTopicsRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filters: Option<Vec<Filter>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precise_search: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub biz_type: Option<i64>,
}

/// What a checked filter matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TopicFilter {
    TopicName(Vec<String>),
    LogsetName(Vec<String>),
    TopicId(Vec<String>),
    LogsetId(Vec<String>),
    TagKey(Vec<String>),
    Tag { key: String, values: Vec<String> },
    StorageType(Vec<String>),
}

/// A DescribeTopics that passed every rule, defaults filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicsQuery {
    pub filters: Vec<TopicFilter>,
    pub offset: u64,
    pub limit: u32,
    pub exact_topic_name: bool,
    pub exact_logset_name: bool,
    /// Metric topics (`BizType` 1) rather than log topics.
    pub metric_topics: bool,
}

impl DescribeTopicsRequest {
    pub const PARAMETERS: &'static [&'static str] = &["Filters", "Offset", "Limit", "PreciseSearch", "BizType"];

    /// The first part of a filter that is absent, as API 3.0 names it (`Filters.0.Key`); no
    /// top-level parameter is required.
    pub fn missing_parameter(&self) -> Option<String> {
        self.filters.iter().flatten().enumerate().find_map(|(index, filter)| {
            if filter.key.is_none() {
                Some(format!("Filters.{index}.Key"))
            } else if filter.values.is_none() {
                Some(format!("Filters.{index}.Values"))
            } else {
                None
            }
        })
    }

    /// At most 10 filters of documented keys with 1 to 100 values each (`storageType`: `hot` or
    /// `cold`), Offset ≥ 0, Limit 1 to 100, PreciseSearch 0 to 3, BizType 0 or 1.
    pub fn validate(&self) -> Result<TopicsQuery, Violations> {
        let mut v = Violations::default();
        let sent = self.filters.as_deref().unwrap_or_default();
        if sent.len() > FILTERS_MAX {
            v.push("Filters", Rule::TooManyEntries { max: FILTERS_MAX, got: sent.len() });
        }
        let mut filters = Vec::new();
        for (index, filter) in sent.iter().enumerate().take(FILTERS_MAX) {
            let position = index + 1;
            let key = filter.key.as_deref().unwrap_or_default();
            let values = filter.values.clone().unwrap_or_default();
            if values.is_empty() || values.len() > FILTER_VALUES_MAX {
                v.push("Filters", Rule::FilterValues { position, max: FILTER_VALUES_MAX, got: values.len() });
                continue;
            }
            let checked = match key {
                filter_key::TOPIC_NAME => TopicFilter::TopicName(values),
                filter_key::LOGSET_NAME => TopicFilter::LogsetName(values),
                filter_key::TOPIC_ID => TopicFilter::TopicId(values),
                filter_key::LOGSET_ID => TopicFilter::LogsetId(values),
                filter_key::TAG_KEY => TopicFilter::TagKey(values),
                filter_key::STORAGE_TYPE => {
                    if let Some(bad) = values.iter().find(|value| !STORAGE_TYPES.contains(&value.as_str())) {
                        v.push(
                            "Filters",
                            Rule::FilterValue {
                                position,
                                key: filter_key::STORAGE_TYPE,
                                allowed: STORAGE_TYPES,
                                got: bad.clone(),
                            },
                        );
                        continue;
                    }
                    TopicFilter::StorageType(values)
                }
                _ => match key.strip_prefix(filter_key::TAG_PREFIX).filter(|tag| !tag.is_empty()) {
                    Some(tag) => TopicFilter::Tag { key: tag.to_owned(), values },
                    None => {
                        v.push("Filters", Rule::FilterKey { position, allowed: filter_key::ALL, got: key.to_owned() });
                        continue;
                    }
                },
            };
            filters.push(checked);
        }
        let (offset, limit) = paging(&mut v, self.offset, self.limit);
        let precise = match self.precise_search {
            None => 0,
            Some(precise) if !(0..=3).contains(&precise) => {
                v.push("PreciseSearch", Rule::Range { min: 0, max: 3, got: precise });
                0
            }
            Some(precise) => precise,
        };
        let metric_topics = match self.biz_type {
            None | Some(0) => false,
            Some(1) => true,
            Some(other) => {
                v.push("BizType", Rule::Range { min: 0, max: 1, got: other });
                false
            }
        };
        v.into_result(TopicsQuery {
            filters,
            offset,
            limit,
            exact_topic_name: precise & 1 != 0,
            exact_logset_name: precise & 2 != 0,
            metric_topics,
        })
    }
}

impl TopicsQuery {
    /// No filters, the first page: every log topic.
    pub fn all() -> Self {
        Self {
            filters: Vec::new(),
            offset: 0,
            limit: LIMIT_DEFAULT,
            exact_topic_name: false,
            exact_logset_name: false,
            metric_topics: false,
        }
    }

    /// Whether `topic` passes every filter.
    pub fn matches(&self, topic: &Topic) -> bool {
        if self.metric_topics {
            return false; // the mock account has log topics only
        }
        let logset = logset(topic.logset_id);
        let name_matches = |exact: bool, name: &str, wanted: &str| {
            if exact {
                name == wanted
            } else {
                name.to_lowercase().contains(&wanted.to_lowercase())
            }
        };
        self.filters.iter().all(|filter| match filter {
            TopicFilter::TopicName(values) => {
                values.iter().any(|value| name_matches(self.exact_topic_name, topic.name, value))
            }
            TopicFilter::LogsetName(values) => logset.is_some_and(|logset| {
                values.iter().any(|value| name_matches(self.exact_logset_name, logset.name, value))
            }),
            TopicFilter::TopicId(values) => values.iter().any(|value| value == topic.id),
            TopicFilter::LogsetId(values) => values.iter().any(|value| value == topic.logset_id),
            TopicFilter::TagKey(values) => topic.tags.iter().any(|(key, _)| values.iter().any(|value| value == key)),
            TopicFilter::Tag { key, values } => {
                topic.tags.iter().any(|(k, v)| k == key && values.iter().any(|value| value == v))
            }
            TopicFilter::StorageType(values) => values.iter().any(|value| value == MOCK_STORAGE_TYPE),
        })
    }

    /// The page asked for of the mock account's matching topics, newest created first (the docs
    /// give no order), and how many match in all.
    pub fn page_of_mock_topics(&self) -> (Vec<TopicInfo>, u64) {
        let mut matching: Vec<&Topic> = TOPICS.iter().filter(|topic| self.matches(topic)).collect();
        matching.sort_by(|a, b| b.create_time.cmp(a.create_time));
        let total = matching.len() as u64;
        let offset = usize::try_from(self.offset).unwrap_or(usize::MAX);
        let page = matching.into_iter().skip(offset).take(self.limit as usize).map(TopicInfo::of).collect();
        (page, total)
    }
}

pub fn logset(id: &str) -> Option<&'static Logset> {
    LOGSETS.iter().find(|logset| logset.id == id)
}

/// A `null` where a value is expected reads as the value's default: the cloud may send `null`
/// for an empty list.
fn null_as_default<'de, D: Deserializer<'de>, T: Default + Deserialize<'de>>(deserializer: D) -> Result<T, D::Error> {
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeTopicsResponse {
    #[serde(default, deserialize_with = "null_as_default")]
    pub topics: Vec<TopicInfo>,
    /// Every matching topic, not just this page.
    #[serde(default)]
    pub total_count: u64,
    pub request_id: String,
}

/// DescribeTopics' answer as the dashboard reads it: only what choosing a topic needs. Each field
/// a reader deserializes costs its code in the wasm; the rest of `TopicInfo` is skipped.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TopicsPage {
    #[serde(default, deserialize_with = "null_as_default")]
    pub topics: Vec<TopicBrief>,
    #[serde(default)]
    pub total_count: u64,
}

/// A topic's id, name and whether collection is on (`Status`; a topic that does not say is open).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TopicBrief {
    pub topic_id: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub topic_name: String,
    #[serde(default)]
    pub status: Option<bool>,
}

/// A tag of a topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Tag {
    pub key: String,
    pub value: String,
}

/// One topic as DescribeTopics lists it: the fields of the SDK's `TopicInfo` the mock knows,
/// typed as there. The others (`AssumerName`, `RoleName`, `KeyId`, `Extends`, …) belong to topics
/// other services made or to features the mock does not have, and are left out, as the cloud
/// leaves out what is not set. Reading, everything but the id and name may be missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TopicInfo {
    #[serde(default, deserialize_with = "null_as_default")]
    pub logset_id: String,
    pub topic_id: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub topic_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_count: Option<u64>,
    /// Whether the topic is indexed (searchable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<bool>,
    /// `yyyy-MM-dd HH:mm:ss`, China Standard Time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_time: Option<String>,
    /// Whether collection is on: `false` for a closed topic (exports refused).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_split: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_split_partitions: Option<u64>,
    /// `hot` (standard) or `cold` (infrequent access).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_type: Option<String>,
    /// Days the logs are kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub describes: Option<String>,
    /// Days in standard storage before moving to infrequent access; 0: never moved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hot_period: Option<u64>,
    /// 0 a log topic, 1 a metric topic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub biz_type: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_web_tracking: Option<bool>,
}

impl TopicInfo {
    /// A mock topic as DescribeTopics answers it.
    pub fn of(topic: &Topic) -> Self {
        Self {
            logset_id: topic.logset_id.to_owned(),
            topic_id: topic.id.to_owned(),
            topic_name: topic.name.to_owned(),
            partition_count: Some(topic.partition_count.into()),
            index: Some(true),
            create_time: Some(topic.create_time.to_owned()),
            status: Some(!topic.closed),
            tags: Some(
                topic.tags.iter().map(|(key, value)| Tag { key: (*key).into(), value: (*value).into() }).collect(),
            ),
            auto_split: Some(true),
            max_split_partitions: Some(50),
            storage_type: Some(MOCK_STORAGE_TYPE.to_owned()),
            period: Some(topic.period_days.into()),
            describes: Some(topic.description.to_owned()),
            hot_period: Some(0),
            biz_type: Some(0),
            is_web_tracking: Some(false),
        }
    }

    /// Closed: collection switched off (`Status` false). A topic that does not say is open.
    pub fn is_closed(&self) -> bool {
        self.status == Some(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(filters: Vec<Filter>) -> DescribeTopicsRequest {
        DescribeTopicsRequest { filters: Some(filters), ..Default::default() }
    }

    fn names(query: &TopicsQuery) -> Vec<String> {
        query.page_of_mock_topics().0.into_iter().map(|t| t.topic_name).collect()
    }

    #[test]
    fn no_filter_lists_every_topic_newest_first_with_the_documented_defaults() {
        let query = DescribeTopicsRequest::default().validate().unwrap();
        assert_eq!(query, TopicsQuery::all());
        assert_eq!(names(&query), ["app-backend", "nginx-access", "audit-trail", "legacy-archive"]);
        assert_eq!(query.page_of_mock_topics().1, 4);
    }

    #[test]
    fn names_match_fuzzily_without_case_unless_precise_search_says_exact() {
        let fuzzy = request(vec![Filter::new("topicName", "ACC")]).validate().unwrap();
        assert_eq!(names(&fuzzy), ["nginx-access"]);
        let mut exact = request(vec![Filter::new("topicName", "nginx")]);
        exact.precise_search = Some(1);
        assert!(names(&exact.validate().unwrap()).is_empty());
        exact.filters = Some(vec![Filter::new("topicName", "nginx-access")]);
        assert_eq!(names(&exact.validate().unwrap()), ["nginx-access"]);
        // 2 makes only logset names exact.
        let mut logset = request(vec![Filter::new("logsetName", "web"), Filter::new("topicName", "app")]);
        assert_eq!(names(&logset.clone().validate().unwrap()), ["app-backend"]);
        logset.precise_search = Some(2);
        assert!(names(&logset.validate().unwrap()).is_empty());
    }

    #[test]
    fn values_of_a_filter_are_alternatives_and_filters_all_apply() {
        let ids = Filter {
            key: Some("topicId".into()),
            values: Some(vec![TOPICS[0].id.into(), TOPICS[3].id.into(), "nope".into()]),
        };
        assert_eq!(names(&request(vec![ids.clone()]).validate().unwrap()), ["nginx-access", "legacy-archive"]);
        let both = request(vec![ids, Filter::new("logsetId", LOGSETS[2].id)]);
        assert_eq!(names(&both.validate().unwrap()), ["legacy-archive"]);
        assert_eq!(names(&request(vec![Filter::new("tag:team", "security")]).validate().unwrap()), ["audit-trail"]);
        assert_eq!(names(&request(vec![Filter::new("tagKey", "team")]).validate().unwrap()).len(), 3);
        assert_eq!(names(&request(vec![Filter::new("storageType", "cold")]).validate().unwrap()).len(), 0);
        let metrics = DescribeTopicsRequest { biz_type: Some(1), ..Default::default() };
        assert!(names(&metrics.validate().unwrap()).is_empty(), "the mock has no metric topics");
    }

    #[test]
    fn paging_counts_every_match() {
        let query = DescribeTopicsRequest { offset: Some(1), limit: Some(2), ..Default::default() }.validate().unwrap();
        let (page, total) = query.page_of_mock_topics();
        assert_eq!((page.len(), total), (2, 4));
        assert_eq!(page[0].topic_name, "nginx-access");
        let past = DescribeTopicsRequest { offset: Some(9), ..Default::default() }.validate().unwrap();
        assert_eq!(past.page_of_mock_topics(), (vec![], 4));
    }

    #[test]
    fn bad_filters_and_bounds_name_what_to_change() {
        let rule = |request: DescribeTopicsRequest| request.validate().unwrap_err().0.remove(0);
        let bad_key = rule(request(vec![Filter::new("name", "x")]));
        assert_eq!(bad_key.field, "Filters");
        assert_eq!(
            bad_key.rule.to_string(),
            "filter 1: Key must be one of topicName, logsetName, topicId, logsetId, tagKey, storageType, or tag:<tag key>, not `name`"
        );
        assert!(matches!(rule(request(vec![Filter::new("tag:", "x")])).rule, Rule::FilterKey { .. }));
        let empty = Filter { key: Some("topicId".into()), values: Some(vec![]) };
        assert_eq!(
            rule(request(vec![Filter::new("topicId", "a"), empty])).rule,
            Rule::FilterValues { position: 2, max: 100, got: 0 }
        );
        assert!(matches!(rule(request(vec![Filter::new("storageType", "warm")])).rule, Rule::FilterValue { .. }));
        let eleven = request(vec![Filter::new("topicId", "a"); 11]);
        assert_eq!(rule(eleven).rule, Rule::TooManyEntries { max: 10, got: 11 });
        let limit = DescribeTopicsRequest { limit: Some(101), ..Default::default() };
        assert_eq!(rule(limit).to_string(), "Limit: must be from 1 to 100, not 101");
        assert_eq!(rule(DescribeTopicsRequest { limit: Some(0), ..Default::default() }).field, "Limit");
        assert_eq!(rule(DescribeTopicsRequest { offset: Some(-1), ..Default::default() }).field, "Offset");
        assert_eq!(
            rule(DescribeTopicsRequest { precise_search: Some(4), ..Default::default() }).field,
            "PreciseSearch"
        );
        assert_eq!(rule(DescribeTopicsRequest { biz_type: Some(2), ..Default::default() }).field, "BizType");
        let missing = request(vec![Filter::new("topicId", "a"), Filter { key: Some("topicId".into()), values: None }]);
        assert_eq!(missing.missing_parameter().as_deref(), Some("Filters.1.Values"));
        assert_eq!(request(vec![Filter::default()]).missing_parameter().as_deref(), Some("Filters.0.Key"));
    }

    #[test]
    fn topic_info_has_the_sdk_fields_and_reads_a_sparse_cloud_answer() {
        let closed = TopicInfo::of(TOPICS.iter().find(|t| t.closed).unwrap());
        let json = serde_json::to_value(&closed).unwrap();
        assert_eq!(json["Status"], false);
        assert_eq!(json["Period"], 7);
        assert_eq!(json["Tags"][0]["Key"], "env");
        assert_eq!(json["PartitionCount"], 1);
        assert_eq!(json["StorageType"], "hot");
        assert!(closed.is_closed());
        let sparse: DescribeTopicsResponse =
            serde_json::from_str(r#"{"Topics":null,"TotalCount":0,"RequestId":"r"}"#).unwrap();
        assert!(sparse.topics.is_empty());
        let minimal: TopicInfo = serde_json::from_str(r#"{"TopicId":"t","TopicName":"n","Tags":null}"#).unwrap();
        assert!(!minimal.is_closed() && minimal.tags.is_none());
        // The dashboard's reading of the mock's own answer.
        let answer = DescribeTopicsResponse { topics: vec![closed], total_count: 4, request_id: "r".into() };
        let page: TopicsPage = serde_json::from_value(serde_json::to_value(&answer).unwrap()).unwrap();
        assert_eq!(page.total_count, 4);
        assert_eq!(page.topics[0].status, Some(false));
        assert_eq!(page.topics[0].topic_name, "legacy-archive");
    }

    #[test]
    fn every_topic_is_in_a_known_logset() {
        for topic in TOPICS {
            assert!(logset(topic.logset_id).is_some(), "{}", topic.name);
        }
    }

    #[test]
    fn a_request_sends_only_what_is_set() {
        let request = DescribeTopicsRequest {
            filters: Some(vec![Filter::new("topicName", "nginx")]),
            offset: Some(0),
            limit: Some(20),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_string(&request).unwrap(),
            r#"{"Filters":[{"Key":"topicName","Values":["nginx"]}],"Offset":0,"Limit":20}"#
        );
    }
}
