//! The task kinds, one module each, and the registry ([`KINDS`]) that drives the app around
//! them: the nav, the routes, whether this server can serve a kind (and why not), and what each
//! kind contributes to the Overview.
//!
//! A kind module holds only what is specific to it — its list declaration (a
//! [`ListSource`](crate::task_page::ListSource)), columns, filters and create form — over the
//! machinery in [`crate::task_page`]. Adding a kind is a module here and one [`KindEntry`] in
//! [`KINDS`] (the README's Development section walks through it).

mod cdn_purge;
mod cdn_stats;
mod cls_exports;
pub mod find;
mod iotda_exports;

use crate::api::status::TaskStatus;
use crate::api::{desk, ApiError};
use crate::components::Provider;
use crate::i18n::Catalogue;
use crate::watch::store::Watched;
use export_desk_model::desk::DeskConfig;
use find::Finder;
use leptos::prelude::*;
use std::future::Future;
use std::pin::Pin;

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
    /// How the Overview's search finds one of its tasks by id (see [`find`]).
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

    /// The entry whose page is at `path`.
    pub fn at(path: &str) -> Option<&'static KindEntry> {
        KINDS.iter().find(|kind| kind.path == path)
    }
}

/// The kinds, in the order of the nav and the Overview.
pub static KINDS: [KindEntry; 4] = [
    KindEntry {
        path: "/cdn/stats",
        slug: "cdn-stats",
        title: |t| t.cdn_stats.title,
        intro: |t| t.cdn_stats.intro,
        one: |t| t.cdn_stats.one,
        provider: Provider::Cdn,
        unavailable: None,
        page: |_| view! { <cdn_stats::CdnStatsPage/> }.into_any(),
        detail: None,
        overview: |_, now_ms, t| Box::pin(cdn_stats::overview_tasks(now_ms, t)),
        watch: |_, watched, _, _| Box::pin(cdn_stats::watched_tasks(watched.iter().map(|w| w.id.clone()).collect())),
        find: Finder {
            recognises: find::is_cdn_stats_task_id,
            shape: |t| t.find.shape_cdn_stats,
            reach: |t| t.find.reach_cdn_stats,
            find: |_, id, _| Box::pin(cdn_stats::find(id)),
        },
    },
    KindEntry {
        path: "/cdn/purge",
        slug: "cdn-purge",
        title: |t| t.cdn_purge.title,
        intro: |t| t.cdn_purge.intro,
        one: |t| t.cdn_purge.one,
        provider: Provider::Cdn,
        unavailable: None,
        page: |_| view! { <cdn_purge::CdnPurgePage/> }.into_any(),
        detail: Some(|_| view! { <cdn_purge::CdnPurgeDetailPage/> }.into_any()),
        overview: |_, now_ms, t| Box::pin(cdn_purge::overview_tasks(now_ms, t)),
        watch: |_, watched, now_ms, t| Box::pin(cdn_purge::watched_tasks(cdn_purge::watch_since(watched, now_ms), t)),
        find: Finder {
            recognises: find::is_cdn_purge_task_id,
            shape: |t| t.find.shape_cdn_purge,
            reach: |t| t.find.reach_cdn_purge,
            find: |_, id, t| Box::pin(cdn_purge::find(id, t)),
        },
    },
    KindEntry {
        path: "/iotda/exports",
        slug: "iotda",
        title: |t| t.iotda.title,
        intro: |t| t.iotda.intro,
        one: |t| t.iotda.one,
        provider: Provider::Iotda,
        unavailable: Some(|config, t| match desk::iotda_project(config) {
            Some(_) => None,
            None => Some(Unavailable { why: t.iotda.no_project, detail: config.providers.iotda.reason.clone() }),
        }),
        // The gate opens without a description only where there is none in context at all (a
        // component mounted alone): nothing to show without a project.
        page: |config| match config.and_then(desk::iotda_project) {
            Some(project) => view! { <iotda_exports::IotdaExportsPage project=project.clone()/> }.into_any(),
            None => ().into_any(),
        },
        detail: None,
        overview: |config, now_ms, t| Box::pin(iotda_exports::overview_tasks(config.clone(), now_ms, t)),
        // ListExportTasks lists IoTDA's 50 newest in one call: as narrow as the API goes.
        watch: |config, _, now_ms, t| Box::pin(iotda_exports::overview_tasks(config.clone(), now_ms, t)),
        find: Finder {
            recognises: find::is_iotda_id,
            shape: |t| t.find.shape_iotda,
            reach: |t| t.find.reach_iotda,
            find: |config, id, t| Box::pin(iotda_exports::find(config.clone(), id, t)),
        },
    },
    KindEntry {
        path: "/cls/exports",
        slug: "cls",
        title: |t| t.cls.title,
        intro: |t| t.cls.intro,
        one: |t| t.cls.one,
        provider: Provider::Cls,
        unavailable: None,
        page: |config| {
            let topics = config.map(|config| config.providers.cls_topics.clone()).unwrap_or_default();
            view! { <cls_exports::ClsExportsPage topics=topics/> }.into_any()
        },
        detail: None,
        overview: |config, now_ms, t| Box::pin(cls_exports::overview_tasks(config.clone(), now_ms, t)),
        watch: |config, watched, now_ms, t| {
            let topics = cls_exports::watched_topics(config, watched);
            Box::pin(cls_exports::tasks_of(topics, now_ms, t))
        },
        find: Finder {
            recognises: find::is_cls_export_id,
            shape: |t| t.find.shape_cls,
            reach: |t| t.find.reach_cls,
            find: |config, id, t| Box::pin(cls_exports::find(config.clone(), id, t)),
        },
    },
];
