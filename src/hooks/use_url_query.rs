use export_desk_model::huawei_cdn::percent_encode;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use std::sync::Arc;

/// The page's query string as state: filters, sort and paging live in the URL, so reload, back
/// and a shared link all show the same page.
///
/// ```ignore
/// let query = use_url_query();
/// let offset = move || query.get("offset").and_then(|v| v.parse().ok()).unwrap_or(0);
/// query.set(&[("offset", Some("20".into()))]); // replaces the history entry, keeps the scroll
/// ```
#[derive(Clone)]
pub struct UrlQuery {
    location: leptos_router::location::Location,
    navigate: Navigate,
}

/// The router's navigate function, boxed so [`UrlQuery`] can be stored and cloned.
type Navigate = Arc<dyn Fn(&str, NavigateOptions) + Send + Sync>;

pub fn use_url_query() -> UrlQuery {
    let navigate = use_navigate();
    UrlQuery { location: use_location(), navigate: Arc::new(move |to, options| navigate(to, options)) }
}

impl UrlQuery {
    /// The value of `key`, tracked: a closure reading it re-runs when the URL changes.
    /// An empty value counts as absent.
    pub fn get(&self, key: &str) -> Option<String> {
        self.location.query.with(|map| map.get_str(key).filter(|v| !v.is_empty()).map(str::to_owned))
    }

    /// Applies `changes` (`None` removes a key) and navigates with `replace`, so typing in a
    /// filter does not flood the history, and without scrolling to the top.
    pub fn set(&self, changes: &[(&str, Option<String>)]) {
        let mut pairs: Vec<(String, String)> = self
            .location
            .query
            .with_untracked(|map| map.latest_values().map(|(k, v)| (k.to_string(), v.to_owned())).collect());
        for (key, value) in changes {
            pairs.retain(|(k, _)| k != key);
            if let Some(value) = value.as_ref().filter(|v| !v.is_empty()) {
                pairs.push(((*key).to_owned(), value.clone()));
            }
        }
        pairs.sort();
        let query: Vec<String> =
            pairs.iter().map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v))).collect();
        let path = self.location.pathname.get_untracked();
        let target = if query.is_empty() { path } else { format!("{path}?{}", query.join("&")) };
        (self.navigate)(&target, NavigateOptions { replace: true, scroll: false, ..Default::default() });
    }

    /// For a list paged by `offset`/`limit`: shows the page at `offset` (the first page has no key).
    pub fn set_offset(&self, offset: u64) {
        self.set(&[("offset", (offset > 0).then(|| offset.to_string()))]);
    }

    /// For a list paged by `offset`/`limit`: a new page size, shown from the first page.
    pub fn set_limit(&self, limit: u32) {
        self.set(&[("limit", Some(limit.to_string())), ("offset", None)]);
    }

    /// For a list paged by `page_number`/`page_size`: shows page `number` (page 1 has no key).
    pub fn set_page_number(&self, number: u32) {
        self.set(&[("page_number", (number > 1).then(|| number.to_string()))]);
    }

    /// For a list paged by `page_number`/`page_size`: a new page size, shown from page 1.
    pub fn set_page_size(&self, size: u32) {
        self.set(&[("page_size", Some(size.to_string())), ("page_number", None)]);
    }
}
