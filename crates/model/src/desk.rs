//! `GET /_desk/config`: the non-secret facts the dashboard needs about the server it talks to.

use serde::{Deserialize, Serialize};

pub const CONFIG_PATH: &str = "/_desk/config";

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
}
