use crate::router::{self, Location, Navigate};
use export_desk_model::huawei_cdn::percent_encode;
use leptos::prelude::*;

/// The page's query string as state: filters, sort and paging live in the URL, so reload, back
/// and a shared link all show the same page.
///
/// ```ignore
/// let query = use_url_query();
/// let offset = move || query.get("offset").and_then(|v| v.parse().ok()).unwrap_or(0);
/// query.set(&[("offset", Some("20".into()))]); // replaces the history entry, keeps the scroll
/// ```
#[derive(Clone, Copy)]
pub struct UrlQuery {
    location: Location,
}

pub fn use_url_query() -> UrlQuery {
    UrlQuery { location: router::use_location() }
}

impl UrlQuery {
    /// The value of `key`, tracked: a closure reading it re-runs when the URL changes.
    /// An empty value counts as absent.
    pub fn get(&self, key: &str) -> Option<String> {
        self.location
            .query
            .with(|pairs| pairs.iter().rev().find(|(k, v)| k == key && !v.is_empty()).map(|(_, v)| v.clone()))
    }

    /// Every key and value, untracked: what the URL says now (a CSV export keeps the filters it
    /// started with, whatever the page shows meanwhile). Later pairs win, as in [`Self::get`].
    pub fn pairs_untracked(&self) -> Vec<(String, String)> {
        self.location.query.get_untracked()
    }

    /// Applies `changes` (`None` removes a key) and navigates with `replace`, so typing in a
    /// filter does not flood the history, and without scrolling to the top.
    pub fn set(&self, changes: &[(&str, Option<String>)]) {
        // A key given twice counts once, with its last value, as `get` reads it.
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (key, value) in self.location.query.get_untracked() {
            pairs.retain(|(k, _)| *k != key);
            pairs.push((key, value));
        }
        for (key, value) in changes {
            pairs.retain(|(k, _)| k != key);
            if let Some(value) = value.as_ref().filter(|v| !v.is_empty()) {
                pairs.push(((*key).to_owned(), value.clone()));
            }
        }
        pairs.sort();
        let query: Vec<String> =
            pairs.iter().map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v))).collect();
        let path = self.location.path.get_untracked();
        let target = if query.is_empty() { path } else { format!("{path}?{}", query.join("&")) };
        router::navigate(&target, Navigate::STATE);
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
