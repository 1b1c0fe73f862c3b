//! The validation state of a create form, shared by every page's form.
//!
//! A form is checked by the model's rules (the same ones the mock applies) before anything is
//! sent. Until the first submit nothing is marked, so a half-typed form does not shout; from
//! then on the marks follow the fields as they are edited, and each message sits next to its
//! field.
//!
//! ```ignore
//! let form = FormState::new();
//! let check = FormCheck::new(move || {
//!     form.track();
//!     form.to_request().err().unwrap_or_default()
//! });
//! let submit = move |ev: SubmitEvent| {
//!     ev.prevent_default();
//!     if let Some(body) = check.submit(form.to_request()) {
//!         create.dispatch_local(body);
//!     }
//! };
//! view! { <Field label="Name" id="name" error=check.error_for("name")> … </Field> }
//! ```

use super::focus_first_invalid;
use export_desk_model::validation::Violations;
use leptos::prelude::*;

/// The violations shown on a form, by field, and whether the user has tried to submit it.
#[derive(Clone, Copy)]
pub struct FormCheck {
    shown: RwSignal<Violations>,
    tried: RwSignal<bool>,
}

impl FormCheck {
    /// `violations` answers what is wrong with the form as it is now; it must read (track) the
    /// form's fields, so the marks follow them once the user has tried to submit.
    pub fn new(violations: impl Fn() -> Violations + 'static) -> Self {
        let check = Self { shown: RwSignal::new(Violations::default()), tried: RwSignal::new(false) };
        Effect::new(move |_| {
            if check.tried.get() {
                check.shown.set(violations());
            }
        });
        check
    }

    /// On submit: the request, when the form is valid; otherwise `None`, with every violation
    /// shown next to its field and the keyboard focus on the first of them.
    pub fn submit<T>(self, request: Result<T, Violations>) -> Option<T> {
        self.tried.set(true);
        match request {
            Ok(request) => {
                self.shown.set(Violations::default());
                Some(request)
            }
            Err(violations) => {
                self.shown.set(violations);
                focus_first_invalid();
                None
            }
        }
    }

    /// The message to show next to `field`, if it has one.
    pub fn error_for(self, field: &'static str) -> Signal<Option<String>> {
        Signal::derive(move || self.shown.with(|shown| shown.for_field(field).map(str::to_owned)))
    }

    /// Whether `field` is marked invalid (for `aria-invalid` and the field's style).
    pub fn invalid(self, field: &'static str) -> Signal<bool> {
        Signal::derive(move || self.shown.with(|shown| shown.for_field(field).is_some()))
    }
}
