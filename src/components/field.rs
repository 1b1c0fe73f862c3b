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
