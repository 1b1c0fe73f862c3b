//! The line above a self-refreshing table: when it last loaded, when it loads next (or why not),
//! and a manual refresh.

use crate::components::time::format_with_zone;
use crate::hooks::AutoRefresh;
use crate::i18n;
use leptos::prelude::*;

/// "Updated 19:28:05 · next refresh in 2 s", with the manual refresh button.
#[component]
pub fn RefreshStatus(refresh: AutoRefresh, #[prop(into)] on_refresh: Callback<()>) -> impl IntoView {
    let t = &i18n::t().lists;
    let text = move || {
        let updated = refresh.last_updated.get().map(|ms| (t.updated)(&format_with_zone(ms as i64)));
        let next = match (refresh.hidden.get(), refresh.next_in_secs.get(), refresh.failures.get()) {
            (true, _, _) => t.paused_while_hidden.to_owned(),
            (false, None, _) if refresh.loading.get() => t.refreshing_now.to_owned(),
            (false, None, _) if refresh.stopped.get() => t.not_refreshing.to_owned(),
            (false, Some(secs), 0) => (t.refreshing_in)(secs),
            (false, Some(secs), failures) => (t.retrying_in)(failures, secs),
            (false, None, _) => t.all_finished.to_owned(),
        };
        match updated {
            Some(updated) => format!("{updated} · {next}"),
            None => next,
        }
    };
    view! {
        <div class="refresh-status">
            <span aria-live="off">{text}</span>
            <button type="button" class="button" on:click=move |_| on_refresh.run(())>{t.refresh}</button>
        </div>
    }
}
