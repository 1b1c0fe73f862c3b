//! The smallest Leptos app worth the name (one counter), with or without `leptos_router`: what
//! any dashboard on this stack downloads before its first page of its own.

use leptos::prelude::*;

#[component]
fn Counter() -> impl IntoView {
    let (count, set_count) = signal(0);
    view! { <button on:click=move |_| set_count.update(|n| *n += 1)>"Clicked " {count} " times"</button> }
}

#[cfg(feature = "router")]
#[component]
fn App() -> impl IntoView {
    use leptos_router::components::{Route, Router, Routes, A};
    use leptos_router::path;
    view! {
        <Router>
            <nav><A href="/">"Counter"</A> <A href="/about">"About"</A></nav>
            <main>
                <Routes fallback=|| "Not found">
                    <Route path=path!("/") view=Counter/>
                    <Route path=path!("/about") view=|| view! { <p>"About"</p> }/>
                </Routes>
            </main>
        </Router>
    }
}

#[cfg(not(feature = "router"))]
#[component]
fn App() -> impl IntoView {
    view! { <Counter/> }
}

fn main() {
    leptos::mount::mount_to_body(App)
}
