use leptos::prelude::*;

/// A labelled form control with its validation message underneath. The control itself is the
/// child; give it `id=…` equal to `id` here and `aria-describedby=format!("{id}-error")`.
#[component]
pub fn Field(
    #[prop(into)] label: String,
    id: &'static str,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] hint: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="field" class:invalid=move || error.with(Option::is_some)>
            <label for=id>{label}</label>
            {children()}
            {hint.map(|hint| view! { <p class="field-hint">{hint}</p> })}
            <p class="field-error" id=format!("{id}-error") aria-live="polite">{move || error.get()}</p>
        </div>
    }
}

/// A `<select>` over a provider enum's wire values, each labelled `Label (wire)` (an empty
/// wire value, "none", shows its label alone).
#[component]
pub fn EnumSelect(
    id: &'static str,
    value: RwSignal<String>,
    options: Vec<(&'static str, &'static str)>,
    #[prop(into)] invalid: Signal<bool>,
) -> impl IntoView {
    view! {
        <select id=id name=id
            on:change=move |ev| value.set(event_target_value(&ev))
            aria-invalid=move || invalid.get().to_string()
            aria-describedby=format!("{id}-error")>
            {options.into_iter().map(|(wire, label)| {
                let text = if wire.is_empty() { label.to_owned() } else { format!("{label} ({wire})") };
                view! { <option value=wire selected=move || value.get() == wire>{text}</option> }
            }).collect_view()}
        </select>
    }
}

/// Moves keyboard focus to the first field with an error (after the view has marked it), so
/// the user lands where there is something to fix.
pub fn focus_first_invalid() {
    request_animation_frame(|| {
        let element = document().query_selector("[aria-invalid='true']").ok().flatten();
        if let Some(element) = element.and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok()) {
            let _ = element.focus();
        }
    });
}
