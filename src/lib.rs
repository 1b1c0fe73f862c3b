//! Export Desk's dashboard: create cloud export tasks, watch them run, download the results.
//!
//! - [`api`]: typed clients of the clouds' APIs over one fetch helper.
//! - [`byte_size`]: byte counts as people read them (`1.5 KiB`).
//! - [`components`]: the blocks every page shares (task table, pager, status badge …).
//! - [`fixed`]: floats as fixed-point text without the float formatter (bundle size).
//! - [`hooks`]: reactive helpers (URL query state, auto-refresh, a ticking clock).
//! - [`kinds`]: one module a task kind, and the registry that drives nav, routes, gating and the Overview.
//! - [`pages`]: the pages that are not a kind's (Overview, Settings, not found).
//! - [`settings`]: which backend to call and the time zone, from the browser and the deployment.
//! - [`task_page`]: the machinery every task page runs on (list, states, filters, create form, delete).
//! - [`time_text`]: date-times as text in the dashboard's fixed shapes, without chrono's format strings.

pub mod api;
pub mod byte_size;
pub mod components;
pub mod fixed;
pub mod hooks;
pub mod kinds;
pub mod pages;
pub mod settings;
pub mod task_page;
pub mod time_text;

use api::ApiError;
use components::{DemoNotice, ProviderGate};
use export_desk_model::desk::{DeskConfig, Mode};
use kinds::KindEntry;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::hooks::{use_location, use_params_map};
use leptos_router::path;
use wasm_bindgen::JsCast;

/// What the server said about itself, loaded once for the whole app.
pub type DeskResource = LocalResource<Result<DeskConfig, ApiError>>;

/// The app, once the settings are loaded: every call goes to the backend they name, so nothing
/// may be fetched before (the wait is one small request for the deployment's settings file).
#[component]
pub fn App() -> impl IntoView {
    let loaded = LocalResource::new(settings::load);
    move || {
        loaded.get().map(|loaded| {
            settings::DeskSettings::provide(loaded);
            view! { <Desk/> }
        })
    }
}

#[component]
fn Desk() -> impl IntoView {
    hooks::provide_now();
    components::provide_revealed_task();
    task_page::provide_list_memory();
    let desk: DeskResource = LocalResource::new(api::desk::config);
    provide_context(desk);
    view! {
        <Router>
            <a class="skip-link" href="#main" on:click=skip_to_main>"Skip to content"</a>
            <header class="app-header">
                <A href="/" attr:class="brand">"Export Desk"</A>
                <nav class="app-nav" aria-label="Task kinds">
                    {kinds::KINDS.iter().map(|kind| view! {
                        <A href=kind.path attr:data-off=off(desk, kind) attr:title=off(desk, kind)>{kind.title}</A>
                    }).collect_view()}
                </nav>
                <ServerBadge desk=desk/>
                <A href="/settings" attr:class="settings-link">"Settings"</A>
            </header>
            <DemoNotice desk=desk/>
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=pages::OverviewPage/>
                    // Every kind's page and task page, from the registry; a page of a cloud the
                    // server does not offer says why instead (see ProviderGate).
                    <Route path=path!("/:section/:kind") view=|| view! { <KindRoute detail=false/> }/>
                    <Route path=path!("/:section/:kind/:task_id") view=|| view! { <KindRoute detail=true/> }/>
                    <Route path=path!("/settings") view=pages::SettingsPage/>
                </Routes>
            </main>
        </Router>
    }
}

/// The skip link moves keyboard focus to the page itself. The router would take the `#main`
/// link for a navigation and leave focus in the header, so the link does it by hand.
fn skip_to_main(event: leptos::ev::MouseEvent) {
    event.prevent_default();
    let main = document().get_element_by_id("main").and_then(|main| main.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(main) = main {
        let _ = main.focus();
    }
}

/// For a nav link: why the server does not serve the kind, when it does not (the page says more).
fn off(desk: DeskResource, kind: &'static KindEntry) -> impl Fn() -> Option<String> + Send + Sync + Clone + 'static {
    move || {
        let config = desk.get()?.ok()?;
        kind.off_reason(&config).map(|reason| format!("Not offered by this server: {reason}"))
    }
}

/// The page of the kind the route names (`/cdn/stats`), or of one of its tasks
/// (`/cdn/purge/{task_id}`), behind its gate; any other path is not found. Built anew only when
/// the kind changes: the router keeps this route's view across its parameters.
#[component]
fn KindRoute(detail: bool) -> impl IntoView {
    let params = use_params_map();
    let kind = Memo::new(move |_| {
        let path =
            params.with(|p| format!("/{}/{}", p.get("section").unwrap_or_default(), p.get("kind").unwrap_or_default()));
        KindEntry::at(&path).filter(|kind| !detail || kind.detail.is_some())
    });
    // Where the kind's list is left, for the way back from one of its tasks. The location moves
    // on to the next page's before this one is gone: only the list's own path counts.
    if !detail {
        let location = use_location();
        hooks::effect(move || {
            let path = location.pathname.get();
            if kind.with(|kind| kind.is_some_and(|kind| kind.path == path)) {
                location.search.with(|search| task_page::remember_list(&path, search));
            }
        });
    }
    move || match kind.get() {
        None => view! { <pages::NotFound/> }.into_any(),
        Some(kind) => {
            let page = if detail { kind.detail.unwrap_or(kind.page) } else { kind.page };
            view! { <ProviderGate kind=kind page=page/> }.into_any()
        }
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
