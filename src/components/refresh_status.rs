//! The line above a self-refreshing table: when it last loaded, when it loads next (or why not),
//! and a manual refresh.

use crate::components::time::format_with_zone;
use crate::hooks::AutoRefresh;
use leptos::prelude::*;

/// "Updated 19:28:05 · next refresh in 2 s", with the manual refresh button.
#[component]
pub fn RefreshStatus(refresh: AutoRefresh, #[prop(into)] on_refresh: Callback<()>) -> impl IntoView {
    let text = move || {
        let updated =
            refresh.last_updated.get().map(|ms| format!("Updated {}", format_with_zone(ms as i64))).unwrap_or_default();
        let next = match (refresh.hidden.get(), refresh.next_in_secs.get(), refresh.failures.get()) {
            (true, _, _) => "auto-refresh paused while the tab is hidden".to_owned(),
            (false, None, _) if refresh.loading.get() => "refreshing…".to_owned(),
            (false, None, _) if refresh.stopped.get() => "not refreshing: retrying cannot help".to_owned(),
            (false, Some(secs), 0) => format!("refreshing in {secs} s while tasks run"),
            (false, Some(secs), failures) => format!("{failures} failed load(s), retrying in {secs} s"),
            (false, None, _) => "all tasks finished".to_owned(),
        };
        if updated.is_empty() {
            next
        } else {
            format!("{updated} · {next}")
        }
    };
    view! {
        <div class="refresh-status">
            <span aria-live="off">{text}</span>
            <button type="button" class="button" on:click=move |_| on_refresh.run(())>"Refresh"</button>
        </div>
    }
}
