//! A long identifier or file name that a narrow table cuts to one line, and the one copy button
//! every id shown has.

use super::clipboard::{copy_text, CopyOutcome};
use crate::i18n;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// A long value, e.g. an export id or a file name. On a phone-sized screen a table cuts it to one
/// line with an ellipsis (`.long-text` in style/main.css) instead of breaking it over many. The
/// whole value stays in the text, so selecting it copies all of it and a screen reader reads all
/// of it; it is the tooltip too. `code` sets it in the monospace of an id.
///
/// With `copy` (the button's label: "Copy task id"), a button beside it puts the value on the
/// clipboard and says so politely ("Copied"); where the browser refuses, the value is selected
/// instead, for Ctrl+C. The button is the value's one Tab stop, and focusing it shows the value
/// whole. Without `copy` the value itself takes focus, where it shows whole, so a keyboard user
/// can read it as well.
#[component]
pub fn LongText(
    #[prop(into)] text: String,
    /// Classes added to `long-text`, e.g. `task-id`.
    #[prop(optional)]
    class: &'static str,
    #[prop(optional)] code: bool,
    /// The copy button's label; no button without one.
    #[prop(optional)]
    copy: Option<&'static str>,
) -> impl IntoView {
    let class = if class.is_empty() { "long-text".to_owned() } else { format!("long-text {class}") };
    let title = text.clone();
    let Some(label) = copy else {
        return if code {
            view! { <code class=class title=title tabindex="0">{text}</code> }.into_any()
        } else {
            view! { <span class=class title=title tabindex="0">{text}</span> }.into_any()
        };
    };
    let value = if code {
        view! { <code class=class title=title>{text.clone()}</code> }.into_any()
    } else {
        view! { <span class=class title=title>{text.clone()}</span> }.into_any()
    };
    view! { <span class="copyable">{value}<CopyButton text=text label=label/></span> }.into_any()
}

/// The one copy button of every id shown: right after the value it copies (a [`LongText`], or a
/// link naming the task), labelled `label` ("Copy task id"). It puts `text` on the clipboard and
/// says "Copied" politely (a status, cleared when the button loses focus); where the browser
/// refuses, it selects the value before it instead, for Ctrl+C, and says so.
#[component]
pub fn CopyButton(#[prop(into)] text: String, label: &'static str) -> impl IntoView {
    let t = i18n::t();
    let button = NodeRef::<leptos::html::Button>::new();
    let said = RwSignal::new(None::<String>);
    let copy = move |_| {
        said.set(None);
        copy_text(&t.create, &text, move |outcome| match outcome {
            CopyOutcome::Copied => said.set(Some(t.find.copied.to_owned())),
            CopyOutcome::Failed(why) => {
                select_value_before(button);
                said.set(Some((t.find.copy_refused)(&why)));
            }
        });
    };
    view! {
        <button type="button" class="copy-button" aria-label=label title=label node_ref=button
            on:click=copy on:blur=move |_| said.set(None)>
            <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
                <rect x="5.5" y="5.5" width="8" height="9" rx="1.5"/>
                <path d="M3.5 10.5h-1a1 1 0 0 1-1-1v-7a1 1 0 0 1 1-1h6a1 1 0 0 1 1 1v1"/>
            </svg>
        </button>
        <span class="copy-status" class:said=move || said.with(Option::is_some) role="status">
            {move || said.get()}
        </span>
    }
}

/// Selects the value before a copy button the browser refused, so Ctrl+C copies it.
fn select_value_before(button: NodeRef<leptos::html::Button>) {
    let value = button.get_untracked().and_then(|button| button.previous_element_sibling());
    let selection = web_sys::window().and_then(|window| window.get_selection().ok().flatten());
    if let (Some(value), Some(selection)) = (value, selection) {
        let _ = selection.select_all_children(value.unchecked_ref());
    }
}
