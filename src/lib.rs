//! Export Desk's dashboard: create cloud export tasks, watch them run, download the results.
//!
//! - [`api`]: typed clients of the clouds' APIs over one fetch helper.
//! - [`components`]: the blocks every page shares (task table, pager, status badge …).
//! - [`hooks`]: reactive helpers (URL query state, auto-refresh, a ticking clock).
//! - [`pages`]: one module a page.
//! - [`settings`]: which backend to call and the time zone, from the browser and the deployment.

pub mod api;
pub mod components;
pub mod hooks;
pub mod pages;
pub mod settings;

use api::ApiError;
use export_desk_model::desk::{DeskConfig, Mode};
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;

/// What the server said about itself, loaded once for the whole app.
pub type DeskResource = LocalResource<Result<DeskConfig, ApiError>>;

/// The app, once the settings are loaded: every call goes to the backend they name, so nothing
/// may be fetched before (the wait is one small request for the deployment's settings file).
#[component]
pub fn App() -> impl IntoView {
    let settings = LocalResource::new(settings::load);
    move || settings.get().map(|_| view! { <Desk/> })
}

#[component]
fn Desk() -> impl IntoView {
    hooks::provide_now();
    let desk: DeskResource = LocalResource::new(api::desk::config);
    provide_context(desk);
    view! {
        <Router>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <header class="app-header">
                <A href="/" attr:class="brand">"Export Desk"</A>
                <nav class="app-nav" aria-label="Task kinds">
                    <A href="/cdn/stats">"CDN statistics exports"</A>
                    <A href="/cdn/purge">"CDN refresh and preheat"</A>
                    <A href="/iotda/exports">"IoTDA exports"</A>
                    <A href="/cls/exports">"CLS log exports"</A>
                </nav>
                <ServerBadge desk=desk/>
                <A href="/settings" attr:class="settings-link">"Settings"</A>
            </header>
            <main id="main">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=pages::OverviewPage/>
                    <Route path=path!("/cdn/stats") view=pages::CdnStatsPage/>
                    <Route path=path!("/cdn/purge") view=pages::CdnPurgePage/>
                    <Route path=path!("/cdn/purge/:task_id") view=pages::CdnPurgeDetailPage/>
                    <Route path=path!("/iotda/exports") view=pages::IotdaExportsPage/>
                    <Route path=path!("/cls/exports") view=pages::ClsExportsPage/>
                    <Route path=path!("/settings") view=pages::SettingsPage/>
                </Routes>
            </main>
        </Router>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    view! { <pages::NotFound/> }
}

/// Which backend the dashboard is talking to, so nobody mistakes the mock for production.
#[component]
fn ServerBadge(desk: DeskResource) -> impl IntoView {
    move || {
        desk.get().map(|config| match config {
            Ok(config) => {
                let (class, text) = match config.mode {
                    Mode::Mock => ("server-badge mock", "Mock server"),
                    Mode::Proxy => ("server-badge proxy", "Live clouds (proxy)"),
                };
                view! { <span class=class title=format!("Export Desk server {}", config.version)>{text}</span> }
                    .into_any()
            }
            Err(err) => {
                view! { <span class="server-badge down" title=err.to_string()>"Server unreachable"</span> }.into_any()
            }
        })
    }
}
