//! The validation state of a create form, shared by every page's form.
//!
//! A form is checked by the model's rules (the same ones the mock applies) before anything is
//! sent. Until the first submit nothing is marked, so a half-typed form does not shout; from
//! then on the marks follow the fields as they are edited, and each message sits next to its
//! field.
//!
//! The create forms get theirs from [`use_create_form`](crate::task_page::use_create_form); by
//! hand it reads:
//!
//! ```ignore
//! let draft = RwSignal::new(Draft::new(now));
//! let check = FormCheck::new(Callback::new(move |()| draft.with(to_request).err().unwrap_or_default()));
//! let submit = move |ev: SubmitEvent| {
//!     ev.prevent_default();
//!     if let Some(body) = check.submit(draft.with_untracked(to_request)) {
//!         create.dispatch_local(body);
//!     }
//! };
//! view! { <Field label="Name" id="name" error=check.error_for("name")> /* … */ </Field> }
//! ```

use super::focus_first_invalid;
use crate::hooks::effect;
use leptos::prelude::*;

/// What a form shows beside its fields: a message a field (the first it has), in the reader's
/// words, by the field's wire name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldMessages(pub Vec<(&'static str, String)>);

impl FieldMessages {
    pub fn push(&mut self, field: &'static str, message: String) {
        self.0.push((field, message));
    }

    /// The first message about `field`.
    pub fn for_field(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|(name, _)| *name == field).map(|(_, message)| message.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// What keeps a form's draft from being sent, as the form shows it, in the reader's language.
/// Most forms report the model's rules ([`LabelledViolations`](super::LabelledViolations)); the
/// refresh/preheat form reports its pasted URLs line by line.
pub trait FormProblems {
    /// The violations as the form shows them: a message by field, next to its control.
    fn violations(&self) -> FieldMessages;

    /// What the request preview lists instead of a request.
    fn lines(&self) -> Vec<String>;

    /// Puts the keyboard where the first thing to fix is, once the view has marked it.
    fn point_at(&self) {
        focus_first_invalid();
    }
}

/// The violations shown on a form, by field, and whether the user has tried to submit it.
#[derive(Clone, Copy)]
pub struct FormCheck {
    shown: RwSignal<FieldMessages>,
    tried: RwSignal<bool>,
}

impl FormCheck {
    /// `violations` answers what is wrong with the form as it is now; it must read (track) the
    /// form's fields, so the marks follow them once the user has tried to submit. A callback
    /// rather than a generic closure: the effect here is then one function for every form.
    pub fn new(violations: Callback<(), FieldMessages>) -> Self {
        let check = Self { shown: RwSignal::new(FieldMessages::default()), tried: RwSignal::new(false) };
        effect(move || {
            if check.tried.get() {
                check.shown.set(violations.run(()));
            }
        });
        check
    }

    /// On submit: the request, when the form is valid; otherwise `None`, with every problem
    /// shown next to its field and the keyboard on the first of them.
    pub fn submit<T, P: FormProblems>(self, request: Result<T, P>) -> Option<T> {
        match request {
            Ok(request) => {
                self.mark(None);
                Some(request)
            }
            Err(problems) => {
                self.mark(Some(&problems));
                None
            }
        }
    }

    fn mark(self, problems: Option<&dyn FormProblems>) {
        self.tried.set(true);
        self.shown.set(problems.map(FormProblems::violations).unwrap_or_default());
        if let Some(problems) = problems {
            problems.point_at();
        }
    }

    /// Back to the state before the first submit: nothing marked until the next one (a form
    /// emptied for the next task must not shout about its empty fields).
    pub fn reset(self) {
        self.tried.set(false);
        self.shown.set(FieldMessages::default());
    }

    /// Whether the user has tried to submit since the form opened (or was [reset](Self::reset)).
    pub fn tried(self) -> bool {
        self.tried.get()
    }

    /// Whether any field is marked now.
    pub fn has_errors(self) -> bool {
        self.shown.with(|shown| !shown.is_empty())
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
