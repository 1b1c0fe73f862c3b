//! What this browser keeps per backend in `localStorage`: the CDN statistics requests it sent
//! (`kinds/cdn_stats/remembered.rs`) and the tasks it watches (`watch/store.rs`). Each is one text
//! under a key naming the backend in force (the dashboard's own origin when none is set), so two
//! servers' tasks never mix. Best effort: a browser without storage, or refusing it, keeps
//! nothing and loses only what would have been remembered; what a text says, and its bounds, are
//! its owner's.
//!
//! ```ignore
//! let key = backend_store::key("export-desk.watched:");
//! let list = backend_store::read(&key).map(|text| WatchList::parse(&text)).unwrap_or_default();
//! backend_store::write(&key, &list.to_text());
//! ```

/// The browser's `localStorage`, if it lets this page have one.
pub fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The key of a `prefix` text for `backend_url` (empty: the dashboard's own `origin`).
pub fn key_for(prefix: &str, backend_url: &str, origin: &str) -> String {
    let backend = if backend_url.is_empty() { origin } else { backend_url };
    format!("{prefix}{backend}")
}

/// The key of a `prefix` text for the backend in force.
pub fn key(prefix: &str) -> String {
    let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
    key_for(prefix, &crate::settings::current().backend_url, &origin)
}

pub fn read(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

pub fn write(key: &str, text: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(key, text);
    }
}

#[cfg(test)]
mod tests {
    use super::key_for;

    #[test]
    fn each_backend_has_its_own_key() {
        assert_eq!(
            key_for("export-desk.watched:", "", "http://localhost:8080"),
            "export-desk.watched:http://localhost:8080"
        );
        assert_eq!(key_for("p:", "https://a.example.com", "x"), "p:https://a.example.com");
        assert_ne!(key_for("p:", "https://a.example.com", "x"), key_for("p:", "https://b.example.com", "x"));
    }
}
