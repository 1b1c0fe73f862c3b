//! What watching shows: the notices (on every page, under the page), the header's running-tasks
//! indicator, the Watch toggle (the Overview's rows) and the Settings section that turns browser
//! notifications on. Not generic: in the bundle once for every kind.
//!
//! ```ignore
//! view! { <RunningIndicator/> }                  // in the header: "2 running", a link to the Overview
//! view! { <Notices/> }                           // once, under the page
//! view! { <WatchToggle kind=kind.path id=task.id scope=task.scope/> }
//! view! { <BrowserNoticeSettings/> }             // on the Settings page
//! ```

use super::browser::{self, Permission};
use super::{Notice, Watcher};
use crate::api::status::StatusKind;
use crate::components::safe_href;
use crate::i18n::{self, Catalogue};
use leptos::prelude::*;

/// How many notices show in full; older ones fold into one line (with Dismiss all).
const SHOWN: usize = 3;

/// A notice's sentence: "CDN statistics export “uv_1” succeeded."
pub(super) fn sentence(notice: &Notice, t: &'static Catalogue) -> String {
    let kind = (notice.kind.one)(t);
    let said = match notice.outcome {
        StatusKind::Succeeded => t.watch.succeeded,
        StatusKind::Failed => t.watch.failed,
        // Final, yet neither: a CLS export whose file is gone.
        StatusKind::Expired | StatusKind::Queued | StatusKind::Running => t.watch.expired,
    };
    said(kind, &notice.title)
}

/// A notice's `data-status`, for its colour.
fn status_name(outcome: StatusKind) -> &'static str {
    match outcome {
        StatusKind::Succeeded => "succeeded",
        StatusKind::Failed => "failed",
        _ => "expired",
    }
}

/// The notices of watched tasks that finished. They stay until dismissed (no notice vanishes by
/// itself, WCAG 2.2.1); the newest `SHOWN` show in full. A screen reader hears each new one once
/// from a polite status line (`Watcher::announce`: set when notices come, never on a dismissal):
/// the list itself is rebuilt on every change, and a live list would read the notices already
/// there again.
#[component]
pub fn Notices() -> impl IntoView {
    let t = i18n::t();
    let words = &t.watch;
    let Some(watcher) = use_context::<Watcher>() else { return ().into_any() };
    let announce = watcher.announce;
    let earlier = move || watcher.notices.with(|notices| notices.len().saturating_sub(SHOWN));
    let shown = move || {
        watcher.notices.with(|notices| {
            let from = notices.len().saturating_sub(SHOWN);
            notices[from..]
                .iter()
                .map(|notice| {
                    let seq = notice.seq;
                    let download = notice.download.as_deref().and_then(safe_href).map(|href| {
                        view! {
                            <a class="button download" href=href.to_owned() download="" rel="noopener noreferrer">
                                {t.common.download}
                            </a>
                        }
                    });
                    view! {
                        <div class="notice" data-status=status_name(notice.outcome)
                            data-task-id=notice.id.clone()>
                            <p class="notice-text">{sentence(notice, t)}</p>
                            <p class="notice-actions">
                                <a class="button subtle notice-open" href=notice.href.clone()>{words.open_task}</a>
                                {download}
                                <button type="button" class="button subtle notice-dismiss"
                                    aria-label=(words.dismiss_label)(&notice.title)
                                    on:click=move |_| {
                                        watcher.dismiss(seq);
                                        focus_after_dismiss();
                                    }>{words.dismiss}</button>
                            </p>
                        </div>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <section class="notices" aria-label=words.notices_label>
            <p class="visually-hidden" role="status">{move || announce.get()}</p>
            {move || (earlier() > 0).then(|| view! {
                <p class="notice-earlier">
                    {(words.earlier)(earlier())}" "
                    <button type="button" class="button subtle" on:click=move |_| {
                        watcher.dismiss_all();
                        focus_after_dismiss();
                    }>{words.dismiss_all}</button>
                </p>
            })}
            {shown}
        </section>
    }
    .into_any()
}

/// Keyboard focus was on a Dismiss button now gone: it goes to the next notice's, else to the page.
fn focus_after_dismiss() {
    request_animation_frame(|| {
        let next = document().query_selector(".notice-dismiss").ok().flatten();
        let target = next.or_else(|| document().get_element_by_id("main"));
        if let Some(element) = target.and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok()) {
            let _ = element.focus();
        }
    });
}

/// The button that replaced the one clicked (Enable ↔ Turn off) takes keyboard focus, which
/// would otherwise fall to the page; with no button left (no support), the section's status.
fn focus_browser_button() {
    request_animation_frame(|| {
        let button = document().query_selector(".browser-notices button").ok().flatten();
        let target = button.or_else(|| document().query_selector(".browser-notices-state").ok().flatten());
        if let Some(element) = target.and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok()) {
            let _ = element.focus();
        }
    });
}

/// The header's count of watched tasks still running, linking to the Overview; nothing at 0.
#[component]
pub fn RunningIndicator() -> impl IntoView {
    let words = &i18n::t().watch;
    let watcher = use_context::<Watcher>();
    move || {
        let running = watcher.map_or(0, Watcher::running);
        (running > 0).then(|| {
            view! {
                <a href="/" class="running-indicator" aria-label=(words.running_label)(running)>
                    {(words.running)(running)}
                </a>
            }
        })
    }
}

/// Watch / Stop watching one task (`kind`: its kind's page; `scope`: what the kind needs to find it
/// again, see `store::Watched::scope`).
#[component]
pub fn WatchToggle(kind: &'static str, id: String, scope: String) -> impl IntoView {
    let words = &i18n::t().watch;
    let watcher = use_context::<Watcher>()?;
    let id = StoredValue::new(id);
    let scope = StoredValue::new(scope);
    let watched = move || id.with_value(|id| watcher.is_watched(kind, id));
    let toggle = move |_| {
        id.with_value(|id| {
            if watched() {
                watcher.unwatch(kind, id)
            } else {
                scope.with_value(|scope| watcher.watch(kind, id, scope))
            }
        });
    };
    Some(view! {
        <button type="button" class="button subtle watch-toggle" on:click=toggle
            aria-label=move || id.with_value(|id| if watched() { (words.stop_watching_task)(id) } else { (words.watch_task)(id) })>
            {move || if watched() { words.stop_watching } else { words.watch }}
        </button>
    })
}

/// What the Settings section shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BrowserState {
    Unsupported,
    Off,
    Asking,
    On,
    Denied,
}

/// Settings: browser notifications, on an explicit click (the browser's question comes only then),
/// with an off switch; a refusal is explained.
#[component]
pub fn BrowserNoticeSettings() -> impl IntoView {
    let words = &i18n::t().watch;
    let watcher = use_context::<Watcher>();
    let on = watcher.is_some_and(|w| w.browser_on.get_untracked());
    let state = RwSignal::new(match browser::permission() {
        Permission::Unsupported => BrowserState::Unsupported,
        Permission::Denied => BrowserState::Denied,
        _ if on => BrowserState::On,
        _ => BrowserState::Off,
    });
    let enable = move |_| {
        let Some(watcher) = watcher else { return };
        state.set(BrowserState::Asking);
        leptos::task::spawn_local(async move {
            let answer = browser::ask().await;
            watcher.set_browser_on(answer == Permission::Granted);
            let shown = state.try_set(match answer {
                Permission::Granted => BrowserState::On,
                Permission::Denied => BrowserState::Denied,
                Permission::Unsupported => BrowserState::Unsupported,
                Permission::Ask => BrowserState::Off,
            });
            if shown.is_none() {
                focus_browser_button();
            }
        });
    };
    let disable = move |_| {
        if let Some(watcher) = watcher {
            watcher.set_browser_on(false);
        }
        state.set(BrowserState::Off);
        focus_browser_button();
    };
    let said = move || match state.get() {
        BrowserState::Unsupported => words.browser_unsupported,
        BrowserState::Off => words.browser_off,
        BrowserState::Asking => words.browser_asking,
        BrowserState::On => words.browser_on,
        BrowserState::Denied => words.browser_denied,
    };
    view! {
        <section class="browser-notices" aria-labelledby="browser-notices-heading">
            <h2 id="browser-notices-heading">{words.browser_heading}</h2>
            <p class="muted">{words.browser_intro}</p>
            <p class="browser-notices-state" role="status">{said}</p>
            {move || match state.get() {
                BrowserState::Unsupported => None,
                BrowserState::On => Some(view! {
                    <button type="button" class="button" on:click=disable>{words.browser_disable}</button>
                }.into_any()),
                other => Some(view! {
                    <button type="button" class="button primary" disabled=other == BrowserState::Asking
                        on:click=enable>{words.browser_enable}</button>
                }.into_any()),
            }}
        </section>
    }
}
