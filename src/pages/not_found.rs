use crate::i18n;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    let t = &i18n::t().common;
    view! {
        <section class="page">
            <h1>{t.not_found_title}</h1>
            <p>{t.not_found_text}" "<a href="/cdn/stats">{t.not_found_link}</a></p>
        </section>
    }
}
