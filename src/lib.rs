//! Export Desk's dashboard: create cloud export tasks, watch them run, download the results.
//!
//! - [`api`]: typed clients of the clouds' APIs over one fetch helper.
//! - [`byte_size`]: byte counts as people read them (`1.5 KiB`).
//! - [`components`]: the blocks every page shares (task table, pager, status badge …).
//! - [`fixed`]: floats as fixed-point text without the float formatter (bundle size).
//! - [`hooks`]: reactive helpers (URL query state, auto-refresh, a ticking clock).
//! - [`kinds`]: one module a task kind, and the registry that drives nav, routes, gating and the Overview.
//! - [`pages`]: the pages that are not a kind's (Overview, Settings, not found).
//! - [`router`]: the address as signals, in-app links, back and forward, the route of a path.
//! - [`settings`]: which backend to call and the time zone, from the browser and the deployment.
//! - [`task_page`]: the machinery every task page runs on (list, states, filters, create form, delete).
//! - [`time_text`]: date-times as text in the dashboard's fixed shapes, without chrono's format strings.
//! - [`time_zone`]: the chosen zone's clock (browser, UTC or any IANA zone, through `Intl`).

pub mod api;
pub mod byte_size;
pub mod components;
pub mod fixed;
pub mod hooks;
pub mod kinds;
pub mod pages;
pub mod router;
pub mod settings;
pub mod task_page;
pub mod time_text;
pub mod time_zone;

use api::ApiError;
use components::{DemoNotice, ProviderGate};
use export_desk_model::desk::{DeskConfig, Mode};
use kinds::KindEntry;
use leptos::prelude::*;
use router::Route;
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
    router::provide();
    // The page changes only when the route does: a kind's page stays across its task ids and
    // its query (which it reads itself).
    let location = router::use_location();
    let route = Memo::new(move |_| location.path.with(|path| Route::of(path)));
    let page = move || match route.get() {
        Route::Overview => view! { <pages::OverviewPage/> }.into_any(),
        Route::Settings => view! { <pages::SettingsPage/> }.into_any(),
        // Every kind's page and task page, from the registry; a page of a cloud the server does
        // not offer says why instead (see ProviderGate).
        Route::Kind { path, detail } => view! { <KindRoute path=path detail=detail/> }.into_any(),
        Route::NotFound => view! { <pages::NotFound/> }.into_any(),
    };
    view! {
        <a class="skip-link" href="#main" on:click=skip_to_main>"Skip to content"</a>
        <header class="app-header">
            <a href="/" class="brand" aria-current=router::current_page("/")>"Export Desk"</a>
            <nav class="app-nav" aria-label="Task kinds">
                {kinds::KINDS.iter().map(|kind| view! {
                    <a href=kind.path aria-current=router::current_page(kind.path) data-off=off(desk, kind) title=off(desk, kind)>{kind.title}</a>
                }).collect_view()}
            </nav>
            <ServerBadge desk=desk/>
            <a href="/settings" class="settings-link" aria-current=router::current_page("/settings")>"Settings"</a>
        </header>
        <DemoNotice desk=desk/>
        <main id="main" tabindex="-1">{page}</main>
    }
}

/// The skip link moves keyboard focus to the page itself (a jump to `#main` alone would leave
/// focus in the header in some browsers), so the link does it by hand.
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

/// The page of the kind at `path` (`/cdn/stats`), or of one of its tasks
/// (`/cdn/purge/{task_id}`), behind its gate; a kind that is not in the registry, or has no task
/// pages, is not found. Built anew only when the route changes, not with the task id or query.
#[component]
fn KindRoute(path: String, detail: bool) -> impl IntoView {
    let Some(kind) = KindEntry::at(&path).filter(|kind| !detail || kind.detail.is_some()) else {
        return view! { <pages::NotFound/> }.into_any();
    };
    // Where the kind's list is left, for the way back from one of its tasks. The location moves
    // on to the next page's before this one is gone: only the list's own path counts.
    if !detail {
        let location = router::use_location();
        hooks::effect(move || {
            let path = location.path.get();
            if kind.path == path {
                location.search.with(|search| task_page::remember_list(&path, search));
            }
        });
    }
    let page = if detail { kind.detail.unwrap_or(kind.page) } else { kind.page };
    view! { <ProviderGate kind=kind page=page/> }.into_any()
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
