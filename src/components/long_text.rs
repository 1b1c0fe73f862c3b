//! A long identifier or file name that a narrow table cuts to one line.

use leptos::prelude::*;

/// A long value, e.g. an export id or a file name. On a phone-sized screen a table cuts it to one
/// line with an ellipsis (`.long-text` in style/main.css) instead of breaking it over many. The
/// whole value stays in the text, so selecting it copies all of it and a screen reader reads all
/// of it; it is the tooltip too, and the element takes focus, where it shows whole, so a keyboard
/// user can read it as well. `code` sets it in the monospace of an id.
#[component]
pub fn LongText(
    #[prop(into)] text: String,
    /// Classes added to `long-text`, e.g. `task-id`.
    #[prop(optional)]
    class: &'static str,
    #[prop(optional)] code: bool,
) -> impl IntoView {
    let class = if class.is_empty() { "long-text".to_owned() } else { format!("long-text {class}") };
    let title = text.clone();
    if code {
        view! { <code class=class title=title tabindex="0">{text}</code> }.into_any()
    } else {
        view! { <span class=class title=title tabindex="0">{text}</span> }.into_any()
    }
}
