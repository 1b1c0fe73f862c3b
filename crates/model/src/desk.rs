//! `GET /_desk/config`: the non-secret facts the dashboard needs about the server it talks to.

use serde::{Deserialize, Serialize};

pub const CONFIG_PATH: &str = "/_desk/config";
/// Where the dashboard reads its deployment's settings file: beside `index.html`, which trunk
/// serves at the site root (no `public_url`), and never through the backend, since it may name
/// the backend. An Export Desk server without such a file in its `--dist` answers with an empty
/// one (the defaults), so a normal load logs no failed request.
pub const DEPLOY_FILE_PATH: &str = "/export-desk.json";
/// The header carrying a proxy's shared access token (`EXPORT_DESK_ACCESS_TOKEN`), when it has one.
pub const ACCESS_TOKEN_HEADER: &str = "X-Desk-Token";

/// Whether the server emulates the clouds or forwards to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Mock,
    Proxy,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeskConfig {
    pub mode: Mode,
    /// The server's version, shown in the dashboard footer so a bug report names it.
    pub version: String,
    pub providers: Providers,
    /// A public demo, or a mock that resets itself on a schedule; absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub demo: Option<Demo>,
}

/// What a visitor of a public demo (`--demo`) or of a self-resetting mock (`--reset-every`) should
/// know before they rely on what they create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Demo {
    /// A public demo, shared by strangers.
    pub public: bool,
    /// The mock returns to its seeded state this often (wall-clock milliseconds); `None`: never.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reset_every_ms: Option<u64>,
    /// When the next reset is due: wall-clock milliseconds since the epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_reset_ms: Option<i64>,
    /// In a public demo: the tasks one visitor may create between two resets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tasks_per_visitor: Option<u32>,
}

impl Demo {
    /// The first reset still to come at `now_ms`: the announced one, or, when the dashboard has
    /// not asked again since it passed, the one a whole number of periods after it.
    pub fn next_reset_after(&self, now_ms: i64) -> Option<i64> {
        let next = self.next_reset_ms?;
        if next > now_ms {
            return Some(next);
        }
        let every = i64::try_from(self.reset_every_ms?).ok().filter(|every| *every > 0)?;
        let periods = now_ms.saturating_sub(next) / every + 1;
        next.checked_add(periods.checked_mul(every)?)
    }
}

/// One entry per task kind. A disabled kind (in proxy mode: no credentials configured) carries
/// the reason, so the dashboard can explain instead of failing on every call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Providers {
    pub cdn_stats: ProviderStatus,
    /// Tencent CLS log exports.
    #[serde(default = "ProviderStatus::disabled_by_default")]
    pub cls: ProviderStatus,
    /// The CLS topics exports can be made from (in mock mode: the mock account's fixed topics).
    #[serde(default)]
    pub cls_topics: Vec<ClsTopic>,
    /// Huawei IoTDA resource exports (in mock mode, demo tasks live in
    /// [`crate::huawei_iotda::DEMO_PROJECT_ID`]).
    #[serde(default = "ProviderStatus::disabled_by_default")]
    pub iotda: ProviderStatus,
    /// The IoTDA project (and instance) the dashboard's IoTDA calls must use; `None` when IoTDA
    /// is not offered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iotda_project: Option<IotdaProject>,
}

/// Where IoTDA export tasks live: the `{project_id}` of every path (also sent as `X-Project-Id`)
/// and, when set, the `Instance-Id` header, which keeps one instance's tasks apart from another's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IotdaProject {
    pub project_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<String>,
}

/// A CLS log topic the dashboard can offer in its export form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClsTopic {
    pub id: String,
    pub name: String,
    /// Collection switched off: CLS refuses exports from it (`FailedOperation.TopicClosed`).
    #[serde(default)]
    pub closed: bool,
}

/// A topic DescribeTopics listed: closed when its `Status` (collection) is off.
impl From<crate::tencent_cls::TopicBrief> for ClsTopic {
    fn from(topic: crate::tencent_cls::TopicBrief) -> Self {
        Self { id: topic.topic_id, name: topic.topic_name, closed: topic.status == Some(false) }
    }
}

impl From<&crate::tencent_cls::Topic> for ClsTopic {
    fn from(topic: &crate::tencent_cls::Topic) -> Self {
        Self { id: topic.id.to_owned(), name: topic.name.to_owned(), closed: topic.closed }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProviderStatus {
    pub enabled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl ProviderStatus {
    pub fn enabled() -> Self {
        Self { enabled: true, reason: None }
    }

    /// What a server that does not report a provider offers: nothing.
    fn disabled_by_default() -> Self {
        Self { enabled: false, reason: Some("not offered by this server".to_owned()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_iotda_project_is_optional_and_left_out_when_absent() {
        let older = r#"{"mode":"mock","version":"0.1.0","providers":{"cdn_stats":{"enabled":true}}}"#;
        let config: DeskConfig = serde_json::from_str(older).unwrap();
        assert_eq!(config.providers.iotda_project, None);
        assert!(!config.providers.iotda.enabled);
        assert!(!serde_json::to_string(&config).unwrap().contains("iotda_project"));

        let project = IotdaProject { project_id: "p".into(), instance_id: Some("i".into()) };
        let text = serde_json::to_string(&project).unwrap();
        assert_eq!(text, r#"{"project_id":"p","instance_id":"i"}"#);
        let without_instance: IotdaProject = serde_json::from_str(r#"{"project_id":"p"}"#).unwrap();
        assert_eq!(without_instance.instance_id, None);
    }

    #[test]
    fn the_next_reset_is_always_in_the_future() {
        let demo =
            Demo { public: true, reset_every_ms: Some(1_000), next_reset_ms: Some(10_000), tasks_per_visitor: None };
        assert_eq!(demo.next_reset_after(9_000), Some(10_000));
        assert_eq!(demo.next_reset_after(10_000), Some(11_000), "due now: the next one");
        assert_eq!(demo.next_reset_after(12_500), Some(13_000));
        let never = Demo { reset_every_ms: None, next_reset_ms: None, ..demo };
        assert_eq!(never.next_reset_after(0), None);
        let older = r#"{"mode":"mock","version":"0.1.0","providers":{"cdn_stats":{"enabled":true}}}"#;
        assert_eq!(serde_json::from_str::<DeskConfig>(older).unwrap().demo, None);
    }
}
