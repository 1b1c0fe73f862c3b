//! [`use_create_form`]: the create form every task page shows, written once over a
//! [`CreateSource`]:
//!
//! - everything typed is one plain draft (`S::Draft`) in one signal; the controls edit its fields
//!   through [`CreateForm::bind`] (or `form.draft.update(…)`), and a refused create leaves it as
//!   it was, so nothing typed is lost;
//! - the draft becomes the request by one pure function, [`CreateSource::request`], unit-tested
//!   natively; it drives the field marks ([`FormCheck`], shown from the first submit on), the
//!   request preview and the submit alike;
//! - an answer is shown only if it answers the latest submit and the context it was sent for is
//!   still the form's (the CLS topic shown): each carries a ticket, and every submit and change
//!   of context takes a new one;
//! - the previous answer, created or refused, goes on a new submit, when the context changes and
//!   when the draft is edited into new errors, so it never stands beside marks it predates;
//! - what is the same for every kind is written once and not generic (the marks, the answer and
//!   its tickets, and the view): the footer (the server's refusal, the submit button and its
//!   pending text, the status line, the request preview) is one view, [`CreateFormView`], whose
//!   children are what is specific to a kind, its fields. So a kind adds to the bundle only its
//!   own draft, request, call and fields;
//! - the list comes first: the form opens from a button above the list and stays open, with its
//!   draft, until a create succeeds or it is closed; the URL remembers that it is open
//!   ([`OPEN_KEY`]), and a closed form keeps what was typed for when it opens again;
//! - a language switch rebuilds the page in the new words: the draft of each form goes across
//!   ([`KeptDrafts`]), so switching loses nothing typed;
//! - "Create again" ([`CreateAgain`]) fills the form with a draft made from a task
//!   ([`CreateAgainFrom::draft_of`], pure and tested natively for every kind): the draft is offered
//!   through [`DraftOffers`] (above the pages, so an offer made on a task's own page reaches the
//!   form on its list's page), the form opens with focus in it and says which task filled it. A
//!   draft the user had typed is not lost: the note offers to restore it.
//!
//! ```ignore
//! struct StatsForm;
//! impl CreateSource for StatsForm {
//!     type Context = ();
//!     type Draft = StatsDraft;
//!     type Request = ExportTaskVo;
//!     type Problems = LabelledViolations; // the rules' violations, said with the fields' labels
//!     type Created = ExportTaskVo;
//!     fn request(_: &(), draft: &StatsDraft, t: &'static Catalogue) -> Result<ExportTaskVo, LabelledViolations> { /* … */ }
//!     /* preview, create, submit_label, created_message (after_created is optional) */
//! }
//!
//! let form = use_create_form::<StatsForm>(|| (), || None, StatsDraft::new(now), None, on_created);
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
use crate::hooks::{effect, use_url_query};
use crate::i18n::{self, Catalogue};
use leptos::prelude::*;
use std::any::{Any, TypeId};
use std::sync::Arc;
use wasm_bindgen::JsCast;

/// The drafts of the create forms on the page when the language switched, held above the page
/// (provided once by the app, outside what a switch rebuilds) until the rebuilt forms take them
/// back. One a form type; a draft not taken back (the form was not rebuilt) goes with the next
/// switch's.
#[derive(Clone, Copy)]
pub struct KeptDrafts(StoredValue<Vec<(TypeId, Arc<dyn Any + Send + Sync>)>>);

impl KeptDrafts {
    pub fn provide() {
        provide_context(Self(StoredValue::new(Vec::new())));
    }

    fn keep<S: CreateSource>(self, draft: S::Draft) {
        self.0.update_value(|kept| {
            kept.retain(|(form, _)| *form != TypeId::of::<S>());
            kept.push((TypeId::of::<S>(), Arc::new(draft)));
        });
    }

    fn take<S: CreateSource>(self) -> Option<S::Draft> {
        let mut taken = None;
        self.0.update_value(|kept| {
            if let Some(at) = kept.iter().position(|(form, _)| *form == TypeId::of::<S>()) {
                taken = Some(kept.remove(at).1);
            }
        });
        taken.and_then(|draft| draft.downcast_ref::<S::Draft>().cloned())
    }
}

/// Drafts made from tasks ("Create again") on their way to the create form of their kind, on this
/// page or on the page the offer goes to. Provided once by the app, outside what a page change or
/// a language switch rebuilds; the form of the offer's kind takes it as soon as it exists.
#[derive(Clone, Copy)]
pub struct DraftOffers(RwSignal<Option<DraftOffer>>);

#[derive(Clone)]
struct DraftOffer {
    form: TypeId,
    draft: Arc<dyn Any + Send + Sync>,
    /// The task it was made from, as the form's note names it.
    from: String,
}

impl DraftOffers {
    pub fn provide() {
        provide_context(Self(RwSignal::new(None)));
    }

    /// Offers `draft`, made from task `from`, to the create form of `S`. The newest offer wins.
    pub fn offer<S: CreateSource>(self, draft: S::Draft, from: String) {
        self.0.set(Some(DraftOffer { form: TypeId::of::<S>(), draft: Arc::new(draft), from }));
    }

    /// The offer for the form of `S`, taken (tracked: the form's effect re-runs on a new offer).
    fn take<S: CreateSource>(self) -> Option<(S::Draft, String)> {
        let mine = self.0.with(|offer| offer.as_ref().is_some_and(|o| o.form == TypeId::of::<S>()));
        if !mine {
            return None;
        }
        let offer = self.0.try_update(Option::take).flatten()?;
        offer.draft.downcast_ref::<S::Draft>().cloned().map(|draft| (draft, offer.from))
    }
}

/// A create form that can be filled from a task of type `T` (a listed row, a remembered request).
pub trait CreateAgainFrom<T>: CreateSource {
    /// The draft that creates a task like `task` again, or `None` where the task does not say
    /// enough (a value the form cannot show). Pure, so every kind's mapping is tested natively.
    fn draft_of(task: &T) -> Option<Self::Draft>;
}

/// The "Create again" buttons of a page: each offers the draft made from its task to the create
/// form of its kind ([`DraftOffers`]). Built while the page is built; `Copy`, for every row.
#[derive(Clone, Copy)]
pub struct CreateAgain {
    offers: Option<DraftOffers>,
    t: &'static Catalogue,
}

impl CreateAgain {
    pub fn new() -> Self {
        Self { offers: use_context::<DraftOffers>(), t: i18n::t() }
    }

    /// The button for `task` (named by `id`), if the form of `S` can be filled from it. `go_to`:
    /// the address of that form's page (with [`OPEN_KEY`]) when it is not the page shown.
    pub fn button<S: CreateAgainFrom<T>, T>(self, task: &T, id: String, go_to: Option<String>) -> Option<AnyView> {
        let (draft, offers) = (S::draft_of(task)?, self.offers?);
        let label = (self.t.redo.create_again_from)(&id);
        let on_click = Callback::new(move |()| {
            offers.offer::<S>(draft.clone(), id.clone());
            if let Some(href) = &go_to {
                crate::router::navigate(href, crate::router::Navigate::LINK);
            }
        });
        Some(view! { <CreateAgainButton text=self.t.redo.create_again label=label on_click=on_click/> }.into_any())
    }
}

impl Default for CreateAgain {
    fn default() -> Self {
        Self::new()
    }
}

/// One "Create again" button; not generic, so every kind shares it.
#[component]
fn CreateAgainButton(text: &'static str, label: String, on_click: Callback<()>) -> impl IntoView {
    view! {
        <button type="button" class="button subtle create-again" aria-label=label on:click=move |_| on_click.run(())>
            {text}
        </button>
    }
}

/// What the form says at its top after "Create again" filled it.
#[derive(Debug, Clone, PartialEq)]
enum FillNote {
    /// Filled from task `from`; `earlier_kept`: a draft the user had typed was replaced and can
    /// be restored.
    Filled { from: String, earlier_kept: bool },
    /// The typed draft is back.
    Restored,
}

/// Whether a draft about to be replaced by a filled one is the user's own typing, worth keeping:
/// not the form as it opened, not what the last fill put there, not the same as the new draft.
fn typed_by_user<D: PartialEq>(now: &D, opened_on: &D, last_filled: Option<&D>, new: &D) -> bool {
    now != opened_on && Some(now) != last_filled && now != new
}

/// The typed draft to keep for "Restore" once `new` replaces `now`: `now` when it is the user's
/// own typing, else the one kept before (a fill replacing a fill keeps what was typed first).
fn kept_after_fill<D: PartialEq>(
    kept: Option<D>,
    now: D,
    opened_on: &D,
    last_filled: Option<&D>,
    new: &D,
) -> Option<D> {
    if typed_by_user(&now, opened_on, last_filled, new) {
        Some(now)
    } else {
        kept
    }
}

/// The URL's key for an open create form (`?new=1`).
pub const OPEN_KEY: &str = "new";
/// The id of the form itself, which the button that opens it controls.
const PANEL_ID: &str = "create-panel";

/// What a create form must say about itself: its draft, the pure step from draft to request,
/// the call, and the words around them.
// The create call runs on the browser's one thread (`spawn_local_scoped`): its future need not be
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
    /// `t`: the words of the language in force, for the form's own messages.
    fn request(
        context: &Self::Context,
        draft: &Self::Draft,
        t: &'static Catalogue,
    ) -> Result<Self::Request, Self::Problems>;

    /// The request as the preview shows it, through the client's own call description.
    fn preview(context: &Self::Context, request: &Self::Request) -> PreviewRequest;

    async fn create(context: &Self::Context, request: Self::Request) -> Result<Self::Created, ApiError>;

    /// The submit button's text while nothing is on its way.
    fn submit_label(draft: &Self::Draft, t: &'static Catalogue) -> &'static str;

    /// The status line once the create succeeded.
    fn created_message(created: &Self::Created, t: &'static Catalogue) -> String;

    /// The draft to go on with once `created` was made while `now` is typed, or `None` to keep
    /// `now` as it is. When a draft is given the field marks start over, as for a new form.
    fn after_created(_created: &Self::Created, _now: &Self::Draft) -> Option<Self::Draft> {
        None
    }
}

/// What the last create came to, as the footer shows it.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// The status line's text, and whether the form is as it was sent (then it closes; a draft
    /// edited while the create was on its way stays open in front of its author).
    Created {
        message: String,
        unchanged: bool,
    },
    Refused(ApiError),
}

/// What every create form keeps whatever its kind: the last answer and what is on its way. Not
/// generic, so its effects are in the bundle once for all kinds.
#[derive(Clone, Copy)]
struct FormState {
    outcome: RwSignal<Option<Outcome>>,
    /// Creates sent and not answered yet.
    in_flight: RwSignal<u32>,
    /// The ticket an answer must carry to be shown: every submit and every change of context
    /// takes a new one, so only the latest submit in the context shown is answered.
    latest: StoredValue<u64>,
    /// Why nothing can be sent now whatever is typed, if so.
    blocked: Callback<(), Option<&'static str>>,
    /// Every form's creates on their way, app-wide (see [`CreatesInFlight`]).
    app_wide: Option<CreatesInFlight>,
    /// What "Create again" last did to the form, as its note says it.
    note: RwSignal<Option<FillNote>>,
    /// How many times "Create again" filled the form: each opens it with focus in it.
    fills: RwSignal<u32>,
}

/// How many creates, of any form, are on their way: the language switch waits for none, since
/// the page it rebuilds would drop their answers (and the user, seeing none, would create again).
/// Provided once by the app, above what a switch rebuilds.
#[derive(Clone, Copy)]
pub struct CreatesInFlight(pub RwSignal<u32>);

impl CreatesInFlight {
    pub fn provide() {
        provide_context(Self(RwSignal::new(0)));
    }

    /// One more create on its way.
    fn start(self) {
        self.0.update(|n| *n += 1);
    }

    /// A create answered: counted down even once the page that sent it is gone.
    fn end(self) {
        self.0.try_update(|n| *n = n.saturating_sub(1));
    }
}

/// Counts a create made outside a form (a task page's "redo") as one on its way, as a form's
/// submit is, so the language switch waits for its answer too. Made while the component is built
/// (it takes the app's [`CreatesInFlight`]); [`CountedCreate::start`] counts one create until the
/// [`Counting`] it answers is dropped: hold it across the call and the showing of its answer.
///
/// ```ignore
/// let counted = CountedCreate::new();
/// spawn_local_scoped(async move {
///     let _counting = counted.start();
///     let result = form::create(request).await;
///     /* the answer shown */              // counted down at the block's end
/// });
/// ```
#[derive(Clone, Copy)]
pub struct CountedCreate(Option<CreatesInFlight>);

/// One create counted on its way, until dropped (answered, or its task dropped).
pub struct Counting(Option<CreatesInFlight>);

impl Drop for Counting {
    fn drop(&mut self) {
        if let Some(count) = self.0 {
            count.end();
        }
    }
}

impl CountedCreate {
    pub fn new() -> Self {
        Self(use_context())
    }

    /// A create starts: counted until the answer is dropped.
    #[must_use = "the create is counted until this is dropped"]
    pub fn start(self) -> Counting {
        if let Some(count) = self.0 {
            count.start();
        }
        Counting(self.0)
    }
}

impl Default for CountedCreate {
    fn default() -> Self {
        Self::new()
    }
}

impl FormState {
    /// `track_context` reads (tracks) the context.
    fn new(check: FormCheck, track_context: Callback<()>, blocked: Callback<(), Option<&'static str>>) -> Self {
        let state = Self {
            outcome: RwSignal::new(None),
            in_flight: RwSignal::new(0),
            latest: StoredValue::new(0),
            blocked,
            app_wide: use_context(),
            note: RwSignal::new(None),
            fills: RwSignal::new(0),
        };
        // An answer about another context (the topic shown before) is not this form's to show.
        let mut first_run = true;
        effect(move || {
            track_context.run(());
            if !std::mem::take(&mut first_run) {
                state.latest.update_value(|ticket| *ticket += 1);
                state.outcome.set(None);
            }
        });
        // A draft edited into new errors makes the last answer out of date.
        effect(move || {
            if check.has_errors() {
                state.outcome.set(None);
            }
        });
        state
    }

    /// A create is sent: the last answer goes. Answers the ticket its answer must carry.
    fn sending(self) -> u64 {
        self.outcome.set(None);
        self.in_flight.update(|n| *n += 1);
        if let Some(app_wide) = self.app_wide {
            app_wide.start();
        }
        self.latest.update_value(|ticket| *ticket += 1);
        self.latest.get_value()
    }

    /// A create answered: whether the answer is still the one to show (not when another submit
    /// or context came since, nor once the form is gone).
    fn answered(self, ticket: u64) -> bool {
        self.in_flight.try_update(|n| *n = n.saturating_sub(1));
        // Counted down even when the form is gone (the user went to another page meanwhile).
        if let Some(app_wide) = self.app_wide {
            app_wide.end();
        }
        self.latest.try_get_value() == Some(ticket)
    }

    fn pending(self) -> Signal<bool> {
        let in_flight = self.in_flight;
        Signal::derive(move || in_flight.get() > 0)
    }
}

/// One create form on a page. Copy: hand it to as many closures as need it.
pub struct CreateForm<S: CreateSource> {
    /// Everything typed.
    pub draft: RwSignal<S::Draft>,
    /// The context now (tracked).
    pub context: Callback<(), S::Context>,
    /// The field marks, from the first submit on.
    pub check: FormCheck,
    state: FormState,
    on_sending: Option<Callback<()>>,
    on_created: Callback<S::Created>,
    /// Puts back the draft a "Create again" replaced.
    restore: Callback<()>,
    /// The words of the language the form was built in.
    pub t: &'static Catalogue,
}

impl<S: CreateSource> Clone for CreateForm<S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S: CreateSource> Copy for CreateForm<S> {}

/// Builds the create form of `S`, opening on `draft`.
///
/// - `context` reads the form's context; what it reads should notify only when the context
///   changes (a memo, or nothing reactive): each change makes the answer on its way out of date;
/// - `blocked` reads why nothing can be sent now whatever is typed (CLS: no topic chosen, a closed
///   one): the submit button is off and the preview says it instead of a request;
/// - `on_sending` runs as a valid request is sent, before any answer; `on_created` when the cloud
///   has accepted it (and the answer still counts).
pub fn use_create_form<S: CreateSource>(
    context: impl Fn() -> S::Context + Send + Sync + 'static,
    blocked: impl Fn() -> Option<&'static str> + Send + Sync + 'static,
    draft: S::Draft,
    on_sending: Option<Callback<()>>,
    on_created: Callback<S::Created>,
) -> CreateForm<S> {
    let t = i18n::t();
    let kept = use_context::<KeptDrafts>();
    let opened_on = StoredValue::new(draft.clone());
    let draft = RwSignal::new(kept.and_then(KeptDrafts::take::<S>).unwrap_or(draft));
    // Built anew by a language switch: what was typed goes across to the form in the new words.
    if let (Some(kept), Some(language)) = (kept, use_context::<i18n::LanguageChoice>()) {
        on_cleanup(move || {
            if language.switched.try_get_value() == Some(true) {
                if let Some(typed) = draft.try_get_untracked() {
                    kept.keep::<S>(typed);
                }
            }
        });
    }
    // A callback rather than a `Signal<S::Context>`: reading it is then the same code for every
    // kind.
    let context = Callback::new(move |()| context());
    let violations = Callback::new(move |()| {
        let context = context.run(());
        let problems = draft.with(|draft| S::request(&context, draft, t).err());
        problems.map(|problems| problems.violations()).unwrap_or_default()
    });
    let check = FormCheck::new(violations);
    let blocked = Callback::new(move |()| blocked());
    let state = FormState::new(check, Callback::new(move |()| drop(context.run(()))), blocked);
    // "Create again": a draft offered for this form replaces what is typed, which stays
    // recoverable when it was the user's own.
    let earlier: StoredValue<Option<S::Draft>> = StoredValue::new(None);
    let last_filled: StoredValue<Option<S::Draft>> = StoredValue::new(None);
    if let Some(offers) = use_context::<DraftOffers>() {
        effect(move || {
            let Some((filled, from)) = offers.take::<S>() else { return };
            let (now, kept) = (draft.get_untracked(), earlier.try_update_value(Option::take).flatten());
            let kept = last_filled
                .with_value(|last| opened_on.with_value(|o| kept_after_fill(kept, now, o, last.as_ref(), &filled)));
            let earlier_kept = kept.is_some();
            earlier.set_value(kept);
            last_filled.set_value(Some(filled.clone()));
            draft.set(filled);
            check.reset();
            state.outcome.set(None);
            state.note.set(Some(FillNote::Filled { from, earlier_kept }));
            state.fills.update(|n| *n += 1);
        });
    }
    let restore = Callback::new(move |()| {
        if let Some(typed) = earlier.try_update_value(Option::take).flatten() {
            draft.set(typed);
            check.reset();
            state.note.set(Some(FillNote::Restored));
        }
    });
    CreateForm { draft, context, check, state, on_sending, on_created, restore, t }
}

impl<S: CreateSource> CreateForm<S> {
    /// One field of the draft for a control: `get` reads it, `get_mut` is where an edit goes.
    pub fn bind<T>(self, get: fn(&S::Draft) -> &T, get_mut: fn(&mut S::Draft) -> &mut T) -> Binding<T>
    where
        T: Clone + Send + Sync + 'static,
    {
        let draft = self.draft;
        Binding::new(
            Callback::new(move |()| draft.with(|d| get(d).clone())),
            Callback::new(move |value| draft.update(|d| *get_mut(d) = value)),
        )
    }

    /// What is wrong with the draft, once the user has tried to submit (tracked): for a kind
    /// that shows more than a message per field, such as the refresh form's list of lines.
    pub fn shown_problems(self) -> Option<S::Problems> {
        if !self.check.tried() {
            return None;
        }
        let context = self.context.run(());
        self.draft.with(|draft| S::request(&context, draft, self.t).err())
    }

    /// Sends the draft's request, or marks what is wrong with it.
    pub fn submit(self) {
        if untrack(|| self.state.blocked.run(())).is_some() || self.state.in_flight.get_untracked() > 0 {
            return;
        }
        let context = untrack(|| self.context.run(()));
        let checked = self.draft.with_untracked(|draft| S::request(&context, draft, self.t));
        let Some(request) = self.check.submit(checked) else { return };
        if let Some(on_sending) = self.on_sending {
            on_sending.run(());
        }
        let ticket = self.state.sending();
        let sent = self.draft.get_untracked();
        let (state, check, draft, on_created, t) = (self.state, self.check, self.draft, self.on_created, self.t);
        // Scoped: the call reads the settings in force from its owner's context.
        leptos::task::spawn_local_scoped(async move {
            let result = S::create(&context, request).await;
            if !state.answered(ticket) {
                return;
            }
            match result {
                Ok(created) => {
                    let unchanged = draft.with_untracked(|now| *now == sent);
                    state.outcome.set(Some(Outcome::Created { message: S::created_message(&created, t), unchanged }));
                    state.note.set(None);
                    if let Some(next) = draft.with_untracked(|now| S::after_created(&created, now)) {
                        draft.set(next);
                        check.reset();
                    }
                    on_created.run(created);
                }
                Err(error) => state.outcome.set(Some(Outcome::Refused(error))),
            }
        });
    }

    fn preview(self) -> Preview {
        if let Some(reason) = self.state.blocked.run(()) {
            return Err(vec![reason.to_owned()]);
        }
        let context = self.context.run(());
        match self.draft.with(|draft| S::request(&context, draft, self.t)) {
            Ok(request) => Ok(S::preview(&context, &request)),
            Err(problems) => Err(problems.lines()),
        }
    }

    /// The signals [`CreateFormView`] shows.
    pub fn parts(self) -> CreateFormParts {
        CreateFormParts {
            submit: Callback::new(move |()| self.submit()),
            submit_label: Callback::new(move |()| self.draft.with(|draft| S::submit_label(draft, self.t))),
            pending: self.state.pending(),
            blocked: self.state.blocked,
            outcome: self.state.outcome,
            preview: Signal::derive(move || self.preview()),
            note: self.state.note,
            fills: self.state.fills,
            restore: self.restore,
        }
    }
}

/// What the one create form view needs from a [`CreateForm`], whatever its kind.
#[derive(Clone, Copy)]
pub struct CreateFormParts {
    submit: Callback<()>,
    submit_label: Callback<(), &'static str>,
    pending: Signal<bool>,
    blocked: Callback<(), Option<&'static str>>,
    outcome: RwSignal<Option<Outcome>>,
    preview: Signal<Preview>,
    note: RwSignal<Option<FillNote>>,
    fills: RwSignal<u32>,
    restore: Callback<()>,
}

/// A create form behind the button that opens it (its heading is the button's text), with the
/// status line of the last create beside the button. Open, it shows the heading and a Close
/// button, the kind's fields (the children), then what every form ends with: the server's
/// refusal, the submit button ("Creating…" while on its way) and the request preview. A create
/// that succeeds closes it; the status line says what was made.
#[component]
pub fn CreateFormView(
    parts: CreateFormParts,
    heading: &'static str,
    #[prop(default = "create-form")] class: &'static str,
    children: Children,
) -> impl IntoView {
    let catalogue = i18n::t();
    let t = &catalogue.create;
    let CreateFormParts { submit, submit_label, pending, blocked, outcome, preview, note, fills, restore } = parts;
    let url = use_url_query();
    let open = Memo::new(move |_| url.get(OPEN_KEY).is_some());
    let set_open = move |open: bool| url.set(&[(OPEN_KEY, open.then(|| "1".to_owned()))]);
    // Filled by "Create again": the form opens (if it was closed) with focus on its first field.
    let fills_shown = StoredValue::new(0u32);
    effect(move || {
        let count = fills.get();
        if count > fills_shown.get_value() {
            fills_shown.set_value(count);
            if !open.get_untracked() {
                set_open(true);
            }
            focus_after_render(FIRST_FIELD);
        }
    });
    let words = &catalogue.redo;
    let note_text = move || {
        note.get().map(|note| match note {
            FillNote::Filled { from, earlier_kept } => view! {
                {(words.filled_from)(&from)}
                {earlier_kept.then(|| view! {
                    " "{words.earlier_kept}" "
                    <button type="button" class="button subtle restore-draft" on:click=move |_| {
                        restore.run(());
                        focus_after_render(FIRST_FIELD);
                    }>{words.restore_typed}</button>
                })}
            }
            .into_any(),
            FillNote::Restored => words.restored.into_any(),
        })
    };
    // What was made is said beside the button, so the form closes, unless it was edited while
    // the create was on its way.
    effect(move || {
        if matches!(outcome.get(), Some(Outcome::Created { unchanged: true, .. })) && open.get_untracked() {
            // Focus inside a form about to be hidden would fall to the top of the document: it
            // goes to the button that opens the form again, beside the status line.
            let focus_inside = document()
                .get_element_by_id(PANEL_ID)
                .is_some_and(|panel| panel.contains(document().active_element().as_ref().map(|e| e.unchecked_ref())));
            set_open(false);
            if focus_inside {
                focus_after_render(".create-toggle");
            }
        }
    });
    let refusal = move || match outcome.get() {
        Some(Outcome::Refused(error)) => Some(view! { <ErrorView error=error/> }),
        _ => None,
    };
    let created = move || match outcome.get() {
        Some(Outcome::Created { message, .. }) if !pending.get() => Some(message),
        _ => None,
    };
    let toggle = move |_| {
        let opening = !open.get_untracked();
        set_open(opening);
        if opening {
            focus_after_render(FIRST_FIELD);
        }
    };
    let close = move |_| {
        set_open(false);
        focus_after_render(".create-toggle");
    };
    view! {
        <section class=class>
            <div class="create-bar">
                <button type="button" class="button primary create-toggle" aria-controls=PANEL_ID
                    aria-expanded=move || open.get().to_string() on:click=toggle>
                    {heading}
                </button>
                <span class="form-status" role="status">{created}</span>
            </div>
            <form id=PANEL_ID class="create-panel" novalidate=true aria-labelledby="create-heading"
                hidden=move || !open.get()
                on:submit=move |ev| {
                    ev.prevent_default();
                    submit.run(());
                }>
                <div class="create-head">
                    <h2 id="create-heading">{heading}</h2>
                    <button type="button" class="button subtle" on:click=close>{t.close}</button>
                </div>
                // Always there, so a screen reader announces the note as it appears.
                <p class="form-filled" role="status">{note_text}</p>
                {children()}
                {refusal}
                <div class="form-actions">
                    <button type="submit" class="button primary" disabled=move || pending.get() || blocked.run(()).is_some()>
                        {move || if pending.get() { t.creating } else { submit_label.run(()) }}
                    </button>
                </div>
                <RequestPreview request=preview/>
            </form>
        </section>
    }
}

/// The first field of the form, where focus goes as it opens.
const FIRST_FIELD: &str = "#create-panel input:not([disabled]), #create-panel select, #create-panel textarea";

/// Focuses the first element `selector` finds once the view has been updated (a form just shown).
fn focus_after_render(selector: &str) {
    let selector = selector.to_owned();
    request_animation_frame(move || {
        let element = document().query_selector(&selector).ok().flatten();
        if let Some(element) = element.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = element.focus();
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tickets alone, without the effects (which need the browser's executor), counted in
    /// `app_wide` as well.
    fn state(owner: &Owner, app_wide: CreatesInFlight) -> FormState {
        owner.with(|| FormState {
            outcome: RwSignal::new(None),
            in_flight: RwSignal::new(0),
            latest: StoredValue::new(0),
            blocked: Callback::new(|()| None),
            app_wide: Some(app_wide),
            note: RwSignal::new(None),
            fills: RwSignal::new(0),
        })
    }

    #[test]
    fn only_the_latest_submit_is_answered_and_never_once_the_form_is_gone() {
        let app = Owner::new();
        let app_wide = app.with(|| CreatesInFlight(RwSignal::new(0)));
        let owner = Owner::new();
        let state = state(&owner, app_wide);
        let first = state.sending();
        let second = state.sending();
        assert_eq!(state.in_flight.get_untracked(), 2);
        assert_eq!(app_wide.0.get_untracked(), 2, "the language switch waits for both");
        assert!(!state.answered(first), "an answer to an older submit is not shown");
        assert!(state.answered(second));
        assert_eq!(state.in_flight.get_untracked(), 0);
        // A change of context takes a new ticket, as the effect does.
        let sent = state.sending();
        state.latest.update_value(|ticket| *ticket += 1);
        assert!(!state.answered(sent), "an answer about the topic shown before is not shown");
        let late = state.sending();
        drop(owner);
        assert!(!state.answered(late), "a form that is gone answers nothing");
        assert_eq!(app_wide.0.get_untracked(), 0, "every create answered, even the gone form's");
    }

    #[test]
    fn only_a_draft_the_user_typed_is_kept_when_create_again_fills_the_form() {
        let (opened, filled, typed, next) = ("opened", "filled", "typed", "next");
        assert!(!typed_by_user(&opened, &opened, None, &filled), "the form as it opened is nothing to keep");
        assert!(typed_by_user(&typed, &opened, None, &filled));
        assert!(!typed_by_user(&filled, &opened, Some(&filled), &next), "what the last fill put there");
        assert!(typed_by_user(&typed, &opened, Some(&filled), &next), "edited after a fill");
        assert!(!typed_by_user(&next, &opened, Some(&filled), &next), "the same as the new draft");
        // Typed, filled, filled again: what was typed is still the one to restore.
        let kept = kept_after_fill(None, typed, &opened, None, &filled);
        assert_eq!(kept, Some(typed));
        assert_eq!(kept_after_fill(kept, filled, &opened, Some(&filled), &next), Some(typed));
        assert_eq!(kept_after_fill(None, opened, &opened, None, &filled), None);
    }
}
