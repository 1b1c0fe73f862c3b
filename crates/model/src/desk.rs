//! `GET /_desk/config`: the non-secret facts the dashboard needs about the server it talks to.

use serde::{Deserialize, Serialize};

pub const CONFIG_PATH: &str = "/_desk/config";
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
}
