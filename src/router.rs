//! The dashboard's router: the address bar as signals, same-origin links that navigate without a
//! reload, back and forward, and the page a path shows.
//!
//! The dashboard has four shapes of path (`/`, `/settings`, `/{section}/{kind}` and
//! `/{section}/{kind}/{task_id}`), so a route is a plain enum read from the path ([`Route::of`]),
//! not a tree of route components. Why not `leptos_router`: see the README's "Size and speed".
//!
//! ```ignore
//! router::provide();                       // once, at the top of the app
//! let location = router::use_location();   // tracked: location.path.get(), location.search.get()
//! router::navigate("/cdn/stats?offset=20", Navigate { replace: true, scroll: false });
//! let task_id = router::use_params().get("task_id");
//! view! { <a href="/settings" aria-current=router::current_page("/settings")>"Settings"</a> }
//! ```

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Where the dashboard is: the path and the query string (with its `?`, or empty).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Address {
    pub path: String,
    pub search: String,
}

impl Address {
    /// Splits `/a/b?x=1#frag` into its path and query (the fragment is not the router's).
    pub fn parse(href: &str) -> Self {
        let href = href.split('#').next().unwrap_or_default();
        let (path, search) = match href.find('?') {
            Some(at) => (&href[..at], &href[at..]),
            None => (href, ""),
        };
        let path = if path.is_empty() { "/" } else { path };
        Self { path: path.to_owned(), search: if search == "?" { String::new() } else { search.to_owned() } }
    }

    /// The query's pairs, decoded, in their order (`+` is a space, as forms send it).
    pub fn query(&self) -> Vec<(String, String)> {
        let decode = |part: &str| {
            let spaced = part.replace('+', " ");
            percent_encoding::percent_decode_str(&spaced).decode_utf8_lossy().into_owned()
        };
        self.search
            .trim_start_matches('?')
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                (decode(key), decode(value))
            })
            .collect()
    }
}

/// The page a path shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Overview,
    Settings,
    /// A kind's page (`/cdn/stats`), or one of its tasks (`/cdn/purge/{task_id}`) when `detail`.
    /// Whether the kind exists is the registry's to say.
    Kind {
        path: String,
        detail: bool,
    },
    NotFound,
}

impl Route {
    /// The route of `path` (decoded segments; a trailing slash is ignored).
    pub fn of(path: &str) -> Self {
        let segments = segments(path);
        match segments.as_slice() {
            [] => Route::Overview,
            [settings] if settings == "settings" => Route::Settings,
            [section, kind] => Route::Kind { path: format!("/{section}/{kind}"), detail: false },
            [section, kind, _] => Route::Kind { path: format!("/{section}/{kind}"), detail: true },
            _ => Route::NotFound,
        }
    }
}

fn segments(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|segment| !segment.is_empty())
        .map(|segment| percent_encoding::percent_decode_str(segment).decode_utf8_lossy().into_owned())
        .collect()
}

/// The address, tracked.
#[derive(Clone, Copy)]
pub struct Location {
    pub path: Memo<String>,
    pub search: Memo<String>,
    /// The query's pairs, decoded.
    pub query: Memo<Vec<(String, String)>>,
}

#[derive(Clone, Copy)]
struct RouterState {
    address: RwSignal<Address>,
    location: Location,
}

/// How [`navigate`] moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Navigate {
    /// Replace the history entry (a filter typed) rather than add one (a link followed).
    pub replace: bool,
    /// Scroll to the top, as a new page does.
    pub scroll: bool,
}

impl Navigate {
    /// A link followed: a new history entry, at the top of the page.
    pub const LINK: Self = Self { replace: false, scroll: true };
    /// State kept in the URL: the same entry, where the page was.
    pub const STATE: Self = Self { replace: true, scroll: false };
}

/// Starts the router for the app (once, under the app's owner): reads the address, follows back
/// and forward, and takes over clicks on same-origin links.
pub fn provide() {
    let address = RwSignal::new(browser_address());
    let path = Memo::new(move |_| address.with(|a| a.path.clone()));
    let search = Memo::new(move |_| address.with(|a| a.search.clone()));
    let query = Memo::new(move |_| address.with(Address::query));
    provide_context(RouterState { address, location: Location { path, search, query } });
    // The listeners live as long as the page: the app is never unmounted.
    std::mem::forget(window_event_listener(ev::popstate, move |_| address.set(browser_address())));
    std::mem::forget(window_event_listener(ev::click, move |event| {
        if let Some(href) = link_to_follow(&event) {
            event.prevent_default();
            go(address, &href, Navigate::LINK);
        }
    }));
}

fn state() -> RouterState {
    use_context::<RouterState>().expect("router::provide runs at the top of the app")
}

/// Where the dashboard is, tracked.
pub fn use_location() -> Location {
    state().location
}

/// Goes to `href` (a path with an optional query) inside the dashboard.
pub fn navigate(href: &str, how: Navigate) {
    go(state().address, href, how);
}

fn go(address: RwSignal<Address>, href: &str, how: Navigate) {
    // A link to where the dashboard already is makes no new history entry, as in a browser.
    let here = address.with_untracked(|a| Address::parse(href) == *a);
    let how = Navigate { replace: how.replace || here, ..how };
    if let Ok(history) = window().history() {
        let no_state = wasm_bindgen::JsValue::NULL;
        let _ = if how.replace {
            history.replace_state_with_url(&no_state, "", Some(href))
        } else {
            history.push_state_with_url(&no_state, "", Some(href))
        };
    }
    address.set(Address::parse(href));
    if how.scroll {
        window().scroll_to_with_x_and_y(0.0, 0.0);
    }
}

fn browser_address() -> Address {
    let location = window().location();
    Address {
        path: location.pathname().unwrap_or_else(|_| "/".to_owned()),
        search: location.search().unwrap_or_default(),
    }
}

/// The in-app address a click follows, if the router should take it: a plain left click on a
/// same-origin link that opens in this tab and is not a download, nor only a jump within the page.
fn link_to_follow(event: &ev::MouseEvent) -> Option<String> {
    if event.default_prevented()
        || event.button() != 0
        || event.meta_key()
        || event.ctrl_key()
        || event.shift_key()
        || event.alt_key()
    {
        return None;
    }
    let target: web_sys::Element = event.target()?.dyn_into().ok()?;
    let link: web_sys::HtmlAnchorElement = target.closest("a[href]").ok()??.dyn_into().ok()?;
    let opens_elsewhere = !matches!(link.target().as_str(), "" | "_self");
    if opens_elsewhere || link.has_attribute("download") || link.origin() != window().location().origin().ok()? {
        return None;
    }
    let here = window().location();
    let same_page = link.pathname() == here.pathname().ok()? && link.search() == here.search().ok()?;
    if same_page && !link.hash().is_empty() {
        return None;
    }
    Some(format!("{}{}", link.pathname(), link.search()))
}

/// For a nav link to `href`: `aria-current="page"` while the dashboard is on that page or under
/// it (`/cdn/purge` on a task of it); `/` only on the Overview itself.
pub fn current_page(href: &'static str) -> impl Fn() -> Option<&'static str> + Send + Sync + Clone + 'static {
    let path = use_location().path;
    move || path.with(|path| is_under(path, href).then_some("page"))
}

fn is_under(path: &str, href: &str) -> bool {
    let path = path.trim_end_matches('/');
    let href = href.trim_end_matches('/');
    path == href || (!href.is_empty() && path.strip_prefix(href).is_some_and(|rest| rest.starts_with('/')))
}

/// The route's parameters: `section`, `kind` and `task_id` of `/{section}/{kind}/{task_id}`.
#[derive(Clone, Copy)]
pub struct Params(Memo<String>);

pub fn use_params() -> Params {
    Params(use_location().path)
}

impl Params {
    /// The parameter's value, tracked, decoded.
    pub fn get(self, key: &str) -> Option<String> {
        let at = ["section", "kind", "task_id"].iter().position(|name| *name == key)?;
        self.0.with(|path| segments(path).into_iter().nth(at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_split_into_path_and_decoded_query() {
        let address = Address::parse("/cdn/stats?task_id=a%20b&x=1+2&empty=&flag#top");
        assert_eq!(address.path, "/cdn/stats");
        assert_eq!(address.search, "?task_id=a%20b&x=1+2&empty=&flag");
        assert_eq!(
            address.query(),
            [("task_id", "a b"), ("x", "1 2"), ("empty", ""), ("flag", "")].map(|(k, v)| (k.to_owned(), v.to_owned()))
        );
        assert_eq!(Address::parse(""), Address { path: "/".into(), search: String::new() });
        assert_eq!(Address::parse("/a?").search, "");
    }

    #[test]
    fn paths_name_their_route() {
        assert_eq!(Route::of("/"), Route::Overview);
        assert_eq!(Route::of("/settings/"), Route::Settings);
        assert_eq!(Route::of("/cdn/stats"), Route::Kind { path: "/cdn/stats".into(), detail: false });
        assert_eq!(Route::of("/cdn/purge/123"), Route::Kind { path: "/cdn/purge".into(), detail: true });
        assert_eq!(Route::of("/a/b/c/d"), Route::NotFound);
        assert_eq!(Route::of("/nothing"), Route::NotFound);
    }

    #[test]
    fn nav_links_are_current_on_their_page_and_under_it() {
        assert!(is_under("/cdn/purge", "/cdn/purge"));
        assert!(is_under("/cdn/purge/42", "/cdn/purge"));
        assert!(!is_under("/cdn/purgeable", "/cdn/purge"));
        assert!(is_under("/", "/"));
        assert!(!is_under("/settings", "/"));
    }
}
