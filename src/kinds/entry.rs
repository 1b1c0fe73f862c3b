//! What a kind declares to the app around its page ([`KindEntry`]): its paths, titles, cloud,
//! requirements, pages and the loaders the Overview, the watcher and the search call, and the
//! shapes they answer in ([`OverviewTask`]). Types only: the registry of the kinds themselves is
//! [`super::KINDS`], so what the kinds' pages use (the watcher, the gate) can name an entry
//! without depending on every kind.

use super::find::Finder;
use crate::api::status::TaskStatus;
use crate::api::ApiError;
use crate::i18n::Catalogue;
use crate::watched::Watched;
use export_desk_model::desk::{DeskConfig, ProviderStatus};
use leptos::prelude::*;
use std::future::Future;
use std::pin::Pin;

/// The `/_desk/config` entries pages depend on. Both CDN pages go with `cdn_stats`: the proxy
/// enables or disables CDN as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    Cdn,
    Iotda,
    Cls,
}

impl Provider {
    pub fn status(self, config: &DeskConfig) -> &ProviderStatus {
        match self {
            Provider::Cdn => &config.providers.cdn_stats,
            Provider::Iotda => &config.providers.iotda,
            Provider::Cls => &config.providers.cls,
        }
    }

    /// The cloud service's name: a product name, the same in every language the dashboard speaks.
    pub fn label(self) -> &'static str {
        match self {
            Provider::Cdn => "Huawei Cloud CDN",
            Provider::Iotda => "Huawei Cloud IoTDA",
            Provider::Cls => "Tencent Cloud CLS",
        }
    }

    /// Why the server does not offer it, when it does not (`None` while it is offered). The
    /// server's own reason is shown as it came.
    pub fn off_reason(self, config: &DeskConfig, t: &'static Catalogue) -> Option<String> {
        let status = self.status(config);
        (!status.enabled).then(|| status.reason.clone().unwrap_or_else(|| t.common.switched_off.to_owned()))
    }
}

/// How far back a failed task still counts as recent, for the Overview.
pub const RECENT_MS: i64 = 24 * 3_600_000;

/// A task as the Overview lists it, whatever its kind.
#[derive(Debug, Clone, PartialEq)]
pub struct OverviewTask {
    pub id: String,
    pub title: String,
    pub status: TaskStatus,
    pub created_ms: i64,
    /// When it last changed, for "failed in the last day" (its creation where the API says no more).
    pub changed_ms: i64,
    /// The task on its own page.
    pub href: String,
    /// Its file, where the list gives a link to follow (a watched task's notice offers it).
    pub download: Option<String>,
    /// What the kind's [`KindEntry::watch`] needs to find it again besides its id (kept with a
    /// watched task); empty when nothing.
    pub scope: String,
}

/// A kind's tasks for the Overview: a local future (gloo-net's are not `Send`).
pub type OverviewLoad = Pin<Box<dyn Future<Output = Result<Vec<OverviewTask>, ApiError>>>>;

/// Why a server that offers the kind's cloud still cannot serve the kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unavailable {
    /// Completes "… are not available on this server: ".
    pub why: &'static str,
    /// What the server said about it, if anything.
    pub detail: Option<String>,
}

/// Everything the app needs to know about a kind besides its page.
pub struct KindEntry {
    /// Its page's route: two static segments (see the routes in `lib.rs`).
    pub path: &'static str,
    /// A short name for CSS classes (`{slug}-unavailable`).
    pub slug: &'static str,
    /// The page's title and the nav link, plural: "CDN statistics exports".
    pub title: fn(&'static Catalogue) -> &'static str,
    /// What the page is for, under its title (also where the gate stands in for the page).
    pub intro: fn(&'static Catalogue) -> &'static str,
    /// One task of the kind, for the Overview's kind column: "CDN statistics export".
    pub one: fn(&'static Catalogue) -> &'static str,
    pub provider: Provider,
    /// A requirement beyond the provider being offered (IoTDA needs a project). A kind with one
    /// is shown only once the server's description is loaded and meets it (see `ProviderGate`).
    pub unavailable: Option<fn(&DeskConfig, &'static Catalogue) -> Option<Unavailable>>,
    /// Its page, given the server's description the gate opened on: under the app always there
    /// for a kind with a requirement; for another kind, missing when it could not be loaded.
    pub page: fn(Option<&DeskConfig>) -> AnyView,
    /// The page of one task, at `{path}/{task_id}`, for kinds that have one.
    pub detail: Option<fn(Option<&DeskConfig>) -> AnyView>,
    /// Its unfinished and recent tasks, for the Overview.
    pub overview: fn(&DeskConfig, i64, &'static Catalogue) -> OverviewLoad,
    /// Its watched tasks' state, for the watcher (`crate::watch`): the narrowest call that holds
    /// them, widened by what their scopes name (`Watched::scope`). Polled every 3 s, so no wider
    /// than it must be.
    pub watch: fn(&DeskConfig, &[Watched], i64, &'static Catalogue) -> OverviewLoad,
    /// How the Overview's search finds one of its tasks by id (see [`find`](super::find)).
    pub find: Finder,
}

/// Kinds are told apart by their page.
impl PartialEq for KindEntry {
    fn eq(&self, other: &Self) -> bool {
        self.path == other.path
    }
}

impl std::fmt::Debug for KindEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.path)
    }
}

impl KindEntry {
    /// Why the server does not serve the kind, when it does not: its cloud is off, or a
    /// requirement is missing.
    pub fn off_reason(&self, config: &DeskConfig, t: &'static Catalogue) -> Option<String> {
        self.provider.off_reason(config, t).or_else(|| self.missing(config, t).map(|u| u.why.to_owned()))
    }

    /// The requirement the server does not meet, if the kind has one.
    pub fn missing(&self, config: &DeskConfig, t: &'static Catalogue) -> Option<Unavailable> {
        self.unavailable.and_then(|unavailable| unavailable(config, t))
    }
}
