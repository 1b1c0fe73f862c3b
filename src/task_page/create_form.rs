//! [`use_create_form`]: the create form every task page shows, written once over a
//! [`CreateSource`]:
//!
//! - everything typed is one plain draft (`S::Draft`) in one signal; the controls edit its fields
//!   through [`CreateForm::bind`] (or `form.draft.update(…)`), and a refused create leaves it as
//!   it was, so nothing typed is lost;
//! - the draft becomes the request by one pure function, [`CreateSource::request`], unit-tested
//!   natively; it drives the field marks ([`FormCheck`], shown from the first submit on), the
//!   request preview and the submit alike;
//! - an answer is shown only if it answers the latest submit (the action keeps only the latest
//!   dispatch's) and the context it was sent for is still the form's (the CLS topic shown);
//! - the previous answer, created or refused, goes on a new submit, when the context changes and
//!   when the draft is edited into new errors, so it never stands beside marks it predates;
//! - the footer (the server's refusal, the submit button and its pending text, the status line,
//!   the request preview) is one non-generic view, [`CreateFormView`]; what is specific to a
//!   kind, its fields, is the view's children.
//!
//! ```ignore
//! struct StatsForm;
//! impl CreateSource for StatsForm {
//!     type Draft = StatsDraft;
//!     fn request(_: &(), draft: &StatsDraft) -> Result<ExportTaskVo, Violations> { … }
//!     …
//! }
//!
//! let form = use_create_form::<StatsForm>(Signal::stored(()), StatsDraft::new(now), None, on_created);
//! let (error_for, invalid) = (move |f| form.check.error_for(f), move |f| form.check.invalid(f));
//! view! {
//!     <CreateFormView parts=form.parts() heading="New export task">
//!         <Field label="Carrier" id="isp" error=error_for("isp")>
//!             <TextInput id="isp" value=form.bind(|d| &d.isp, |d| &mut d.isp) invalid=invalid("isp")/>
//!         </Field>
//!     </CreateFormView>
//! }
//! ```

use crate::api::ApiError;
use crate::components::{Binding, ErrorView, FormCheck, FormProblems, Preview, PreviewRequest, RequestPreview};
use leptos::prelude::*;

/// What a create form must say about itself: its draft, the pure step from draft to request,
/// the call, and the words around them.
// The create call runs on the browser's one thread (`Action::new_local`): its future need not be
// `Send`, so `async fn` (without a `Send` bound) is what the trait means.
#[allow(async_fn_in_trait)]
pub trait CreateSource: 'static {
    /// What the form works in beside the draft: the IoTDA project, the CLS topic shown, or `()`.
    /// An answer counts only while the form's context is still the one it was sent for.
    type Context: Clone + PartialEq + Send + Sync + 'static;
    /// Everything typed, as typed: plain text, flags and choices.
    type Draft: Clone + PartialEq + Send + Sync + 'static;
    /// What is sent.
    type Request: Clone + 'static;
    /// What keeps a draft from being sent.
    type Problems: FormProblems + 'static;
    /// What a successful create answers.
    type Created: Clone + 'static;

    /// The request the draft makes, or what is wrong with it: the form's own reading of what was
    /// typed, then the model's rules (those the server applies). Pure, so tests reach it.
    fn request(context: &Self::Context, draft: &Self::Draft) -> Result<Self::Request, Self::Problems>;

    /// The request as the preview shows it, through the client's own call description.
    fn preview(context: &Self::Context, request: &Self::Request) -> PreviewRequest;

    async fn create(context: &Self::Context, request: Self::Request) -> Result<Self::Created, ApiError>;

    /// The submit button's text while nothing is on its way.
    fn submit_label(draft: &Self::Draft) -> &'static str;

    /// The status line once the create succeeded.
    fn created_message(created: &Self::Created) -> String;

    /// Why nothing can be sent in this context whatever is typed (no topic chosen, a closed one):
    /// the submit button is off and the preview says it instead of a request.
    fn closed(_context: &Self::Context) -> Option<&'static str> {
        None
    }

    /// The draft to go on with once `sent` was created while `now` is typed, or `None` to keep
    /// `now` as it is. When a draft is given the field marks start over, as for a new form.
    fn after_created(_sent: &Self::Draft, _now: &Self::Draft) -> Option<Self::Draft> {
        None
    }
}

/// What the last create came to, as the footer shows it.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// The status line's text.
    Created(String),
    Refused(ApiError),
}

/// A create on its way: the request and the context it was sent for.
type Sent<S> = (<S as CreateSource>::Context, <S as CreateSource>::Request);
/// Its answer, with the context it was sent for.
type Answer<S> = (<S as CreateSource>::Context, Result<<S as CreateSource>::Created, ApiError>);

/// One create form on a page. Copy: hand it to as many closures as need it.
pub struct CreateForm<S: CreateSource> {
    /// Everything typed.
    pub draft: RwSignal<S::Draft>,
    pub context: Memo<S::Context>,
    /// The field marks, from the first submit on.
    pub check: FormCheck,
    action: Action<Sent<S>, Answer<S>>,
    outcome: RwSignal<Option<Outcome>>,
    /// The draft of the latest create sent, for [`CreateSource::after_created`].
    sent: StoredValue<Option<S::Draft>>,
    on_sending: Option<Callback<()>>,
}

impl<S: CreateSource> Clone for CreateForm<S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S: CreateSource> Copy for CreateForm<S> {}

/// Builds the create form of `S`, opening on `draft`. `on_sending` runs as a valid request is
/// sent, before any answer; `on_created` when the cloud has accepted it (and the answer still
/// counts).
pub fn use_create_form<S: CreateSource>(
    context: Signal<S::Context>,
    draft: S::Draft,
    on_sending: Option<Callback<()>>,
    on_created: Callback<S::Created>,
) -> CreateForm<S> {
    let draft = RwSignal::new(draft);
    let context = Memo::new(move |_| context.get());
    let check = FormCheck::new(move || {
        let context = context.get();
        draft.with(|draft| S::request(&context, draft)).err().map(|problems| problems.violations()).unwrap_or_default()
    });
    let action = Action::new_local(|(context, request): &Sent<S>| {
        let (context, request) = (context.clone(), request.clone());
        async move {
            let result = S::create(&context, request).await;
            (context, result)
        }
    });
    let form = CreateForm {
        draft,
        context,
        check,
        action,
        outcome: RwSignal::new(None),
        sent: StoredValue::new(None),
        on_sending,
    };
    Effect::new(move |_| {
        action.version().track();
        let Some((sent_for, result)) = action.value().get_untracked() else { return };
        // An answer about another context (a topic no longer shown) is not this form's to show;
        // the change of context has cleared what was shown.
        if sent_for != context.get_untracked() {
            return;
        }
        match result {
            Ok(created) => {
                form.outcome.set(Some(Outcome::Created(S::created_message(&created))));
                let next = form.sent.with_value(|sent| {
                    sent.as_ref().and_then(|sent| draft.with_untracked(|now| S::after_created(sent, now)))
                });
                if let Some(next) = next {
                    draft.set(next);
                    check.reset();
                }
                on_created.run(created);
            }
            Err(error) => form.outcome.set(Some(Outcome::Refused(error))),
        }
    });
    Effect::new(move |previous: Option<()>| {
        context.track();
        if previous.is_some() {
            form.outcome.set(None);
        }
    });
    // A draft edited into new errors makes the last answer out of date.
    Effect::new(move |_| {
        if check.has_errors() {
            form.outcome.set(None);
        }
    });
    form
}

impl<S: CreateSource> CreateForm<S> {
    /// One field of the draft for a control: `get` reads it, `get_mut` is where an edit goes.
    /// The value is memoized, so editing one field does not touch the others' controls.
    pub fn bind<T>(self, get: fn(&S::Draft) -> &T, get_mut: fn(&mut S::Draft) -> &mut T) -> Binding<T>
    where
        T: Clone + PartialEq + Send + Sync + 'static,
    {
        let draft = self.draft;
        Binding {
            value: Memo::new(move |_| draft.with(|d| get(d).clone())).into(),
            set: Callback::new(move |value| draft.update(|d| *get_mut(d) = value)),
        }
    }

    /// What is wrong with the draft, once the user has tried to submit (tracked): for a kind
    /// that shows more than a message per field, such as the refresh form's list of lines.
    pub fn shown_problems(self) -> Option<S::Problems> {
        if !self.check.tried() {
            return None;
        }
        let context = self.context.get();
        self.draft.with(|draft| S::request(&context, draft)).err()
    }

    /// Sends the draft's request, or marks what is wrong with it.
    pub fn submit(self) {
        let context = self.context.get_untracked();
        if S::closed(&context).is_some() || self.action.pending().get_untracked() {
            return;
        }
        self.outcome.set(None);
        let request = self.draft.with_untracked(|draft| S::request(&context, draft));
        if let Some(request) = self.check.submit(request) {
            if let Some(on_sending) = self.on_sending {
                on_sending.run(());
            }
            self.sent.set_value(Some(self.draft.get_untracked()));
            self.action.dispatch_local((context, request));
        }
    }

    /// Whether a create is on its way.
    pub fn pending(self) -> Signal<bool> {
        self.action.pending().into()
    }

    fn preview(self) -> Preview {
        let context = self.context.get();
        if let Some(reason) = S::closed(&context) {
            return Err(vec![reason.to_owned()]);
        }
        match self.draft.with(|draft| S::request(&context, draft)) {
            Ok(request) => Ok(S::preview(&context, &request)),
            Err(problems) => Err(problems.lines()),
        }
    }

    /// The signals [`CreateFormView`] shows.
    pub fn parts(self) -> CreateFormParts {
        CreateFormParts {
            submit: Callback::new(move |()| self.submit()),
            submit_label: Signal::derive(move || self.draft.with(S::submit_label)),
            pending: self.pending(),
            closed: Signal::derive(move || self.context.with(|context| S::closed(context).is_some())),
            outcome: self.outcome.into(),
            preview: Signal::derive(move || self.preview()),
        }
    }
}

/// What the one create form view needs from a [`CreateForm`], whatever its kind.
#[derive(Clone, Copy)]
pub struct CreateFormParts {
    submit: Callback<()>,
    submit_label: Signal<&'static str>,
    pending: Signal<bool>,
    closed: Signal<bool>,
    outcome: Signal<Option<Outcome>>,
    preview: Signal<Preview>,
}

/// A create form: its heading, the kind's fields (the children), then what every form ends
/// with: the server's refusal, the submit button ("Creating…" while on its way), the status line
/// and the request preview.
#[component]
pub fn CreateFormView(
    parts: CreateFormParts,
    heading: &'static str,
    #[prop(default = "create-form")] class: &'static str,
    children: Children,
) -> impl IntoView {
    let CreateFormParts { submit, submit_label, pending, closed, outcome, preview } = parts;
    let refusal = move || match outcome.get() {
        Some(Outcome::Refused(error)) => Some(view! { <ErrorView error=error/> }),
        _ => None,
    };
    let created = move || match outcome.get() {
        Some(Outcome::Created(message)) if !pending.get() => Some(message),
        _ => None,
    };
    view! {
        <form class=class novalidate=true aria-labelledby="create-heading"
            on:submit=move |ev| {
                ev.prevent_default();
                submit.run(());
            }>
            <h2 id="create-heading">{heading}</h2>
            {children()}
            {refusal}
            <div class="form-actions">
                <button type="submit" class="button primary" disabled=move || pending.get() || closed.get()>
                    {move || if pending.get() { "Creating…" } else { submit_label.get() }}
                </button>
                <span class="form-status" role="status">{created}</span>
            </div>
            <RequestPreview request=preview/>
        </form>
    }
}
