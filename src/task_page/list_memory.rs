//! Where each list was last left: its query string (filters, sort, page), so a way back to it —
//! from a task's own page to its list — returns to the same place. App-wide state in a context
//! ([`provide_list_memory`] at the root); the route of each kind's list records it as it is shown
//! (a task's own page is not a list to return to, so it is not recorded).
//!
//! ```ignore
//! provide_list_memory();                                  // once, at the root
//! view! { <a href=list_href("/cdn/purge")>"← All tasks"</a> }   // "/cdn/purge?status=task_done"
//! ```

use leptos::prelude::*;

/// The last query string of each list page, by path.
#[derive(Clone, Copy)]
pub struct ListMemory(StoredValue<Vec<(String, String)>>);

pub fn provide_list_memory() {
    provide_context(ListMemory(StoredValue::new(Vec::new())));
}

/// Notes that the list at `path` shows `search` now (a no-op without the context).
pub fn remember_list(path: &str, search: &str) {
    if let Some(ListMemory(memory)) = use_context::<ListMemory>() {
        memory.update_value(|lists| match lists.iter_mut().find(|(p, _)| p == path) {
            Some((_, last)) => search.clone_into(last),
            None => lists.push((path.to_owned(), search.to_owned())),
        });
    }
}

/// The list at `path` as it was last shown (plain `path` when it never was).
pub fn list_href(path: &str) -> String {
    let search = use_context::<ListMemory>()
        .and_then(|ListMemory(memory)| {
            memory.with_value(|lists| lists.iter().find(|(p, _)| p == path).map(|(_, s)| s.clone()))
        })
        .unwrap_or_default();
    let search = search.trim_start_matches('?');
    if search.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{search}")
    }
}
