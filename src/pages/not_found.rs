use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="page">
            <h1>"Page not found"</h1>
            <p>"There is no page at this address. "<A href="/cdn/stats">"Go to the CDN statistics exports"</A>"."</p>
        </section>
    }
}
