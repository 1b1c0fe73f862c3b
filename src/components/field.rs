use leptos::prelude::*;

/// A labelled form control with its validation message underneath. The control itself is the
/// child; give it `id=…` equal to `id` here and `aria-describedby=format!("{id}-error")`.
#[component]
pub fn Field(
    #[prop(into)] label: String,
    id: &'static str,
    #[prop(into)] error: Signal<Option<String>>,
    /// What the control takes; may follow other choices (a closure).
    #[prop(optional, into)]
    hint: MaybeProp<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="field" class:invalid=move || error.with(Option::is_some)>
            <label for=id>{label}</label>
            {children()}
            {move || hint.get().map(|hint| view! { <p class="field-hint">{hint}</p> })}
            <p class="field-error" id=format!("{id}-error") aria-live="polite">{move || error.get()}</p>
        </div>
    }
}

/// One field of a form's draft as a control sees it: how to read it (tracked) and where an edit
/// goes. A form keeps its whole draft in one signal (see
/// [`CreateForm::bind`](crate::task_page::CreateForm::bind)), so a control is handed this rather
/// than a signal of its own. Two callbacks rather than a `Signal`: reading one is the same code for
/// every field type, where a `Signal<T>` brings its own reading code per `T` into the bundle.
pub struct Binding<T: 'static> {
    read: Callback<(), T>,
    write: Callback<T>,
}

impl<T: 'static> Clone for Binding<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: 'static> Copy for Binding<T> {}

impl<T: 'static> Binding<T> {
    pub fn new(read: Callback<(), T>, write: Callback<T>) -> Self {
        Self { read, write }
    }

    /// The value now, tracked.
    pub fn get(self) -> T {
        self.read.run(())
    }

    pub fn set(self, value: T) {
        self.write.run(value);
    }
}

/// A control of its own, outside any draft, binds to a signal.
impl<T: Clone + Send + Sync + 'static> From<RwSignal<T>> for Binding<T> {
    fn from(signal: RwSignal<T>) -> Self {
        Self::new(Callback::new(move |()| signal.get()), Callback::new(move |value| signal.set(value)))
    }
}

/// A `<select>` over a provider enum's wire values, each shown by its label alone: the wire value
/// is API jargon, and beside the label it cut the text in a narrow select ("Chinese mainland
/// (mainland_c"); the request preview shows what is sent.
#[component]
pub fn EnumSelect(
    id: &'static str,
    #[prop(into)] value: Binding<String>,
    options: Vec<(&'static str, &'static str)>,
    #[prop(into)] invalid: Signal<bool>,
) -> impl IntoView {
    view! {
        <select id=id name=id
            on:change=move |ev| value.set(event_target_value(&ev))
            aria-invalid=move || invalid.get().to_string()
            aria-describedby=format!("{id}-error")>
            {options.into_iter().map(|(wire, label)| {
                view! { <option value=wire selected=move || value.get() == wire>{label}</option> }
            }).collect_view()}
        </select>
    }
}

/// A one-line text box of a form, described by its error line; `disabled` greys it out while
/// another choice makes it meaningless (what was typed stays).
#[component]
pub fn TextInput(
    id: &'static str,
    #[prop(into)] value: Binding<String>,
    #[prop(into)] invalid: Signal<bool>,
    #[prop(optional, into)] disabled: Signal<bool>,
) -> impl IntoView {
    view! {
        <input type="text" id=id name=id
            prop:value=move || value.get()
            on:input=move |ev| value.set(event_target_value(&ev))
            disabled=move || disabled.get()
            aria-invalid=move || invalid.get().to_string()
            aria-describedby=format!("{id}-error")/>
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
