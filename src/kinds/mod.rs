//! The task kinds, one module each, and the registry ([`KINDS`]) that drives the app around
//! them: the nav, the routes, whether this server can serve a kind (and why not), and what each
//! kind contributes to the Overview.
//!
//! A kind module holds only what is specific to it — its list declaration (a
//! [`ListSource`](crate::task_page::ListSource)), columns, filters and create form — over the
//! machinery in [`crate::task_page`]. Adding a kind is a module here and one [`KindEntry`] in
//! [`KINDS`] (the README's Development section walks through it). What an entry is lives in
//! [`entry`]; the gate that stands in for a page the server cannot serve in [`gate`].
//!
//! ```ignore
//! // The nav and the routes: one link and one page a kind.
//! for kind in KINDS.iter() { /* <a href=kind.path>{(kind.title)(t)}</a> */ }
//! let entry = KindEntry::at("/cls/exports");            // the kind whose page is at a path
//! let off = entry.and_then(|kind| kind.off_reason(&config, t)); // why this server cannot serve it
//! let page = entry.map(|kind| (kind.page)(Some(&config))); // its page, inside its gate
//! // The Overview, the watcher and the search call an entry's loaders:
//! let newest = (kind.overview)(&config, now_ms, t);      // a local future of OverviewTasks
//! ```

mod cdn_purge;
mod cdn_stats;
mod cls_exports;
pub mod entry;
pub mod find;
pub mod gate;
mod iotda_exports;

use crate::api::desk;
pub use entry::{KindEntry, OverviewTask, Provider, Unavailable, RECENT_MS};
use find::Finder;
use leptos::prelude::*;

impl KindEntry {
    /// The entry whose page is at `path`.
    pub fn at(path: &str) -> Option<&'static KindEntry> {
        KINDS.iter().find(|kind| kind.path == path)
    }
}

/// The kinds, in the order of the nav and the Overview.
pub static KINDS: [KindEntry; 4] = [
    KindEntry {
        path: cdn_stats::PATH,
        slug: "cdn-stats",
        title: |t| t.cdn_stats.title,
        intro: |t| t.cdn_stats.intro,
        one: |t| t.cdn_stats.one,
        provider: Provider::Cdn,
        unavailable: None,
        page: |_| view! { <cdn_stats::CdnStatsPage/> }.into_any(),
        detail: None,
        overview: |_, now_ms, t| Box::pin(cdn_stats::loaders::overview_tasks(now_ms, t)),
        watch: |_, watched, _, _| {
            Box::pin(cdn_stats::loaders::watched_tasks(watched.iter().map(|w| w.id.clone()).collect()))
        },
        find: Finder {
            recognises: cdn_stats::loaders::is_cdn_stats_task_id,
            shape: |t| t.find.shape_cdn_stats,
            reach: |t| t.find.reach_cdn_stats,
            find: |_, id, _| Box::pin(cdn_stats::loaders::find(id)),
        },
    },
    KindEntry {
        path: cdn_purge::PATH,
        slug: "cdn-purge",
        title: |t| t.cdn_purge.title,
        intro: |t| t.cdn_purge.intro,
        one: |t| t.cdn_purge.one,
        provider: Provider::Cdn,
        unavailable: None,
        page: |_| view! { <cdn_purge::CdnPurgePage/> }.into_any(),
        detail: Some(|_| view! { <cdn_purge::CdnPurgeDetailPage/> }.into_any()),
        overview: |_, now_ms, t| Box::pin(cdn_purge::loaders::overview_tasks(now_ms, t)),
        watch: |_, watched, now_ms, t| {
            Box::pin(cdn_purge::loaders::watched_tasks(cdn_purge::loaders::watch_since(watched, now_ms), t))
        },
        find: Finder {
            recognises: cdn_purge::loaders::is_cdn_purge_task_id,
            shape: |t| t.find.shape_cdn_purge,
            reach: |t| t.find.reach_cdn_purge,
            find: |_, id, t| Box::pin(cdn_purge::loaders::find(id, t)),
        },
    },
    KindEntry {
        path: iotda_exports::PATH,
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
        overview: |config, now_ms, t| Box::pin(iotda_exports::loaders::overview_tasks(config.clone(), now_ms, t)),
        // ListExportTasks lists IoTDA's 50 newest in one call: as narrow as the API goes.
        watch: |config, _, now_ms, t| Box::pin(iotda_exports::loaders::overview_tasks(config.clone(), now_ms, t)),
        find: Finder {
            recognises: iotda_exports::loaders::is_iotda_id,
            shape: |t| t.find.shape_iotda,
            reach: |t| t.find.reach_iotda,
            find: |config, id, t| Box::pin(iotda_exports::loaders::find(config.clone(), id, t)),
        },
    },
    KindEntry {
        path: cls_exports::PATH,
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
        overview: |config, now_ms, t| Box::pin(cls_exports::loaders::overview_tasks(config.clone(), now_ms, t)),
        watch: |config, watched, now_ms, t| {
            let topics = cls_exports::loaders::watched_topics(config, watched);
            Box::pin(cls_exports::loaders::tasks_of(topics, cls_exports::loaders::GoneTopic::HasNoExports, now_ms, t))
        },
        find: Finder {
            recognises: cls_exports::loaders::is_cls_export_id,
            shape: |t| t.find.shape_cls,
            reach: |t| t.find.reach_cls,
            find: |config, id, t| Box::pin(cls_exports::loaders::find(config.clone(), id, t)),
        },
    },
];
