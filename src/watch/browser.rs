//! The browser's notifications: offered by a button (Settings), never asked for on load; the
//! choice is remembered in this browser (`localStorage`, not per backend: it is the browser's
//! permission), and counts only while the browser still permits them.
//!
//! ```ignore
//! if browser::supported() && browser::permission() == browser::Permission::Granted {
//!     browser::show(&title, &sentence, &tag, href, Owner::current()); // a click opens `href`
//! }
//! browser::remember_choice(true); // after the user's click on "Turn on" was granted
//! ```

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

const KEY: &str = "export-desk.browser-notices";

/// What the browser says about notifications from this site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// No Notification API (an old or locked-down browser, an insecure origin).
    Unsupported,
    /// Not asked yet.
    Ask,
    Granted,
    Denied,
}

pub fn supported() -> bool {
    web_sys::window()
        .is_some_and(|window| js_sys::Reflect::has(&window, &JsValue::from_str("Notification")).unwrap_or(false))
}

pub fn permission() -> Permission {
    if !supported() {
        return Permission::Unsupported;
    }
    match web_sys::Notification::permission() {
        web_sys::NotificationPermission::Granted => Permission::Granted,
        web_sys::NotificationPermission::Denied => Permission::Denied,
        _ => Permission::Ask,
    }
}

/// Whether the user turned them on in this browser.
fn chosen() -> bool {
    crate::backend_store::storage().and_then(|s| s.get_item(KEY).ok().flatten()).is_some_and(|v| v == "on")
}

/// On: chosen in this browser and still permitted by it.
pub fn chosen_and_permitted() -> bool {
    chosen() && permission() == Permission::Granted
}

pub fn remember_choice(on: bool) {
    if let Some(storage) = crate::backend_store::storage() {
        let _ = if on { storage.set_item(KEY, "on") } else { storage.remove_item(KEY) };
    }
}

/// Asks the browser (it shows its own question): only ever from a click.
pub async fn ask() -> Permission {
    if !supported() {
        return Permission::Unsupported;
    }
    if let Ok(promise) = web_sys::Notification::request_permission() {
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    }
    permission()
}

/// Shows a notification; a click on it brings the tab forward and opens `href` there. `tag`
/// names the task, so a second notice of it replaces the first rather than stacking.
/// `owner`: the app's, whose router the click moves.
pub fn show(title: &str, body: &str, tag: &str, href: String, owner: Option<leptos::prelude::Owner>) {
    let options = web_sys::NotificationOptions::new();
    options.set_body(body);
    options.set_tag(tag);
    let Ok(notification) = web_sys::Notification::new_with_options(title, &options) else { return };
    let shown = notification.clone();
    let on_click = Closure::once_into_js(move || {
        if let Some(window) = web_sys::window() {
            let _ = window.focus();
        }
        match owner {
            Some(owner) => owner.with(|| crate::router::navigate(&href, crate::router::Navigate::LINK)),
            None => drop(web_sys::window().map(|window| window.location().assign(&href))),
        }
        shown.close();
    });
    notification.set_onclick(Some(on_click.unchecked_ref()));
}
