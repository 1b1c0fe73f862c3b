//! Export Desk's dashboard: create cloud export tasks, watch them run, download the results.
//!
//! - [`api`]: typed clients of the clouds' APIs over one fetch helper.
//! - [`byte_size`]: byte counts as people read them (`1.5 KiB`).
//! - [`components`]: the blocks every page shares (task table, pager, status badge …).
//! - [`fixed`]: floats as fixed-point text without the float formatter (bundle size).
//! - [`hooks`]: reactive helpers (URL query state, auto-refresh, a ticking clock).
//! - [`i18n`]: the dashboard's words in English and Simplified Chinese, one catalogue a language.
//! - [`kinds`]: one module a task kind, and the registry that drives nav, routes, gating and the Overview.
//! - [`pages`]: the pages that are not a kind's (Overview, Settings, not found).
//! - [`router`]: the address as signals, in-app links, back and forward, the route of a path.
//! - [`settings`]: which backend to call and the time zone, from the browser and the deployment.
//! - [`task_page`]: the machinery every task page runs on (list, states, filters, create form, delete).
//! - [`time_text`]: date-times as text in the dashboard's fixed shapes, without chrono's format strings.
//! - [`time_zone`]: the chosen zone's clock (browser, UTC or any IANA zone, through `Intl`).
//! - [`mod@watch`]: watched tasks, app-wide: notices when they finish, the running count, browser notifications.
//! - [`watched`]: one watched task's record, which the watch keeps and the kinds' watch loaders read.

pub mod api;
pub mod backend_store;
pub mod byte_size;
pub mod components;
pub mod fixed;
pub mod hooks;
pub mod i18n;
pub mod kinds;
pub mod pages;
pub mod router;
pub mod settings;
pub mod task_page;
pub mod time_text;
pub mod time_zone;
pub mod watch;
pub mod watched;

use api::ApiError;
use components::DemoNotice;
use export_desk_model::desk::{DeskConfig, Mode};
use kinds::gate::ProviderGate;
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
    task_page::KeptDrafts::provide();
    task_page::CreatesInFlight::provide();
    task_page::DraftOffers::provide();
    let desk: DeskResource = LocalResource::new(api::desk::config);
    provide_context(desk);
    router::provide();
    // The page changes only when the route does: a kind's page stays across its task ids and
    // its query (which it reads itself).
    // The language: chosen on a switch (header, Settings), else by the deployment, else the
    // browser's. A change rebuilds everything under it in the new words (see `i18n`).
    let language = i18n::LanguageChoice::new(settings::current().language_in_force());
    provide_context(language);
    hooks::effect(move || i18n::set_document_lang(language.lang.get()));
    // Above the language switch and the pages: watching goes on across both.
    let watcher = watch::Watcher::provide(desk, language, &kinds::KINDS);
    hooks::effect(move || {
        let brand = language.lang.get().catalogue().common.brand;
        document().set_title(&watch::tab_title(watcher.running(), brand));
    });
    move || {
        let lang = language.lang.get();
        view! { <leptos::context::Provider value=lang><Shell desk=desk/></leptos::context::Provider> }
    }
}

/// The header and the page, in the language in force.
#[component]
fn Shell(desk: DeskResource) -> impl IntoView {
    let t = i18n::t();
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
        <a class="skip-link" href="#main" on:click=skip_to_main>{t.common.skip_to_content}</a>
        <header class="app-header">
            <a href="/" class="brand" aria-current=router::current_page("/")>{t.common.brand}</a>
            <nav class="app-nav" aria-label=t.common.nav_label>
                {kinds::KINDS.iter().map(|kind| view! {
                    <a href=kind.path aria-current=router::current_page(kind.path) data-off=off(desk, kind) title=off(desk, kind)>{(kind.title)(t)}</a>
                }).collect_view()}
            </nav>
            <watch::RunningIndicator/>
            <ServerBadge desk=desk/>
            <a href="/settings" class="settings-link" aria-current=router::current_page("/settings")>{t.common.settings_link}</a>
            <LanguageSwitch/>
        </header>
        <DemoNotice desk=desk/>
        <main id="main" tabindex="-1">{page}</main>
        <watch::Notices/>
    }
}

/// The header's language switch: takes effect at once (the page is rebuilt in the new words,
/// keeping its address) and is remembered in this browser. Keyboard focus stays on the switch.
#[component]
fn LanguageSwitch() -> impl IntoView {
    const ID: &str = "language-switch";
    let t = i18n::t();
    let Some(language) = use_context::<i18n::LanguageChoice>() else {
        return ().into_any();
    };
    // Built anew by the switch it made: put focus back where the user left it.
    if language.switched.get_value() {
        language.switched.set_value(false);
        request_animation_frame(|| focus_by_id(ID));
    }
    let on_change = move |ev: leptos::ev::Event| {
        let Some(lang) = i18n::Lang::ALL.into_iter().find(|lang| lang.tag() == event_target_value(&ev)) else {
            return;
        };
        // Remembered like any other setting; a browser that refuses storage still switches.
        if let Some(settings) = settings::use_settings() {
            let _ = settings.save(settings::SettingsFile { language: Some(lang), ..settings.stored() });
        }
        language.switched.set_value(true);
        language.lang.set(lang);
    };
    // Not while a create is on its way: the rebuilt page would not show its answer.
    let creating = use_context::<task_page::CreatesInFlight>().map(|in_flight| in_flight.0);
    let busy = move || creating.is_some_and(|count| count.get() > 0);
    view! {
        <select id=ID class="language-switch" aria-label=t.common.language_label on:change=on_change
            disabled=busy title=move || busy().then_some(t.common.language_wait)>
            {i18n::Lang::ALL.into_iter().map(|lang| view! {
                <option value=lang.tag() lang=lang.tag() selected=lang == t.lang>{lang.own_name()}</option>
            }).collect_view()}
        </select>
    }
    .into_any()
}

fn focus_by_id(id: &str) {
    let element = document().get_element_by_id(id).and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        let _ = element.focus();
    }
}

/// The skip link moves keyboard focus to the page itself (a jump to `#main` alone would leave
/// focus in the header in some browsers), so the link does it by hand.
fn skip_to_main(event: leptos::ev::MouseEvent) {
    event.prevent_default();
    focus_by_id("main");
}

/// For a nav link: why the server does not serve the kind, when it does not (the page says more).
fn off(desk: DeskResource, kind: &'static KindEntry) -> impl Fn() -> Option<String> + Send + Sync + Clone + 'static {
    let t = i18n::t();
    move || {
        let config = desk.get()?.ok()?;
        kind.off_reason(&config, t).map(|reason| (t.common.not_offered)(&reason))
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
    provide_context(watch::KindOfPage(kind));
    view! { <ProviderGate kind=kind page=page/> }.into_any()
}

/// Which backend the dashboard is talking to, so nobody mistakes the mock for production.
#[component]
fn ServerBadge(desk: DeskResource) -> impl IntoView {
    let t = i18n::t();
    move || {
        desk.get().map(|config| match config {
            Ok(config) => {
                let (class, text) = match config.mode {
                    Mode::Mock => ("server-badge mock", t.common.server_mock),
                    Mode::Proxy => ("server-badge proxy", t.common.server_proxy),
                };
                view! { <span class=class title=(t.common.server_version)(&config.version)>{text}</span> }.into_any()
            }
            Err(err) => {
                let wording = err.wording(&t.errors);
                let title = format!("{}: {}", wording.title, wording.detail);
                view! { <span class="server-badge down" title=title>{t.common.server_unreachable}</span> }.into_any()
            }
        })
    }
}
