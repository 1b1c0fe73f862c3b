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
    let search = without_open_form(search);
    let search = search.as_str();
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

/// `search` without the key of an open create form: an open form is not part of where the list
/// was, and its draft is gone with the page.
fn without_open_form(search: &str) -> String {
    let open_form = format!("{}=", super::create_form::OPEN_KEY);
    let kept: Vec<&str> = search
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| !pair.is_empty() && !pair.starts_with(&open_form))
        .collect();
    if kept.is_empty() {
        String::new()
    } else {
        format!("?{}", kept.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::without_open_form;

    #[test]
    fn the_way_back_to_a_list_does_not_reopen_its_form() {
        assert_eq!(without_open_form("?new=1&status=task_done"), "?status=task_done");
        assert_eq!(without_open_form("?offset=20&new=1"), "?offset=20");
        assert_eq!(without_open_form("?new=1"), "");
        assert_eq!(without_open_form(""), "");
        assert_eq!(without_open_form("?newest=1"), "?newest=1");
    }
}
