//! One "Delete → Yes, delete / Cancel" confirmation for everything that acts destructively: a
//! table row's [`ConfirmButton`], and the bulk delete's question under its bar, both built on
//! [`confirm_group`] (the question, the confirm button, Cancel last and described by the
//! question, Escape). Each moves the focus to Cancel when it opens and back to the button that
//! asked when it is cancelled (a row's button by its own rule, the bulk bar's Delete by the bar's).
//!
//! ```ignore
//! view! {
//!     <ConfirmButton id=task_id.clone() confirming=confirming label=t.delete question=t.question
//!         confirm_label=t.yes_delete pending=deleting on_confirm=move |()| delete(task_id.clone())/>
//! }
//! // a question of one's own, elsewhere (the bulk bar):
//! move || asking.get().then(|| confirm_group(ConfirmGroup { question, on_cancel: close, cancel_button: cancel, /* … */ }))
//! ```

use crate::hooks::effect;
use crate::i18n;
use leptos::html;
use leptos::prelude::*;

/// A button that asks before it acts: "Delete" becomes, in place, a group "Delete this export?
/// [Yes, delete] [Cancel]". Nothing happens until the confirm button is pressed.
///
/// - The buttons sharing one `confirming` signal ask one at a time: it holds the `id` of the one
///   asking, so opening another closes the first.
/// - Focus moves to Cancel when the group appears, and back to the button when the group closes
///   (Cancel, Escape, or the page clearing `confirming`) if the focus was in it. Not to the confirm
///   button: a second Enter (a key pressed twice, or held) would then delete without the reader
///   having chosen to. Confirming takes a deliberate move to "Yes, delete" (Shift+Tab, or the
///   pointer). Cancel is described by the question, so a screen reader announces what is asked.
/// - Cancel comes last, where the button was in a right-aligned actions column: the second click
///   of a double click lands on Cancel or the question, never on the confirm button.
/// - Escape anywhere in the group cancels.
/// - While `pending` (the confirmed call runs), the confirm button is disabled and shows
///   `pending_label`.
///
/// The page owns the call: `on_confirm` dispatches it, and the page clears `confirming` when it
/// is done (or keeps the group open to let the user retry after an error).
///
/// ## Usage
///
/// ```
/// # use export_desk::components::ConfirmButton;
/// # use leptos::prelude::*;
/// # async fn delete_export(_id: String) -> Result<(), String> { Ok(()) }
/// /// A row's delete; the table's rows share `confirming`, so one row asks at a time.
/// #[component]
/// fn DeleteExport(id: String, confirming: RwSignal<Option<String>>) -> impl IntoView {
///     let delete = Action::new_local(|id: &String| delete_export(id.clone()));
///     let on_confirm = Callback::new({
///         let id = id.clone();
///         move |()| {
///             delete.dispatch_local(id.clone());
///         }
///     });
///     view! {
///         <ConfirmButton
///             id=id.clone()
///             confirming=confirming
///             label="Delete"
///             aria_label=format!("Delete export {id}")
///             question="Delete this export?"
///             confirm_label="Yes, delete"
///             pending_label="Deleting…"
///             pending=delete.pending()
///             on_confirm=on_confirm
///         />
///     }
/// }
/// ```
#[component]
pub fn ConfirmButton(
    /// Tells this button from the others sharing `confirming`, e.g. the row's task id.
    #[prop(into)]
    id: String,
    /// The id of the button whose confirmation is open, if any.
    confirming: RwSignal<Option<String>>,
    /// The button's text, e.g. "Delete".
    label: &'static str,
    /// The accessible name of the button and of its confirmation group, when `label` alone does
    /// not say what it acts on (every row of a table has a "Delete").
    #[prop(optional, into)]
    aria_label: Option<String>,
    /// What is asked, before the buttons, e.g. "Delete this export?".
    question: &'static str,
    /// The confirm button's text, e.g. "Yes, delete".
    confirm_label: &'static str,
    /// The confirm button's text while the call runs, e.g. "Deleting…"; `confirm_label` if unset.
    #[prop(optional)]
    pending_label: Option<&'static str>,
    /// Whether the confirmed call is running.
    #[prop(into)]
    pending: Signal<bool>,
    /// Runs when the user confirms.
    on_confirm: Callback<()>,
) -> impl IntoView {
    let t = &i18n::t().lists;
    let asking = Memo::new({
        let id = id.clone();
        move |_| confirming.with(|c| c.as_deref() == Some(id.as_str()))
    });
    let ask_button = NodeRef::<html::Button>::new();
    let cancel_button = NodeRef::<html::Button>::new();
    focus_while_asking(asking.into(), ask_button, cancel_button);

    let group_label = aria_label.clone().unwrap_or_else(|| label.to_owned());
    view! {
        <Show
            when=move || asking.get()
            fallback={
                let id = id.clone();
                move || {
                    let id = id.clone();
                    view! {
                        <button type="button" class="button subtle confirm-trigger" node_ref=ask_button
                            aria-label=aria_label.clone()
                            on:click=move |_| confirming.set(Some(id.clone()))>
                            {label}
                        </button>
                    }
                }
            }
        >
            {confirm_group(ConfirmGroup {
                class: "inline-confirm",
                label: group_label.clone(),
                question: question.into(),
                confirm_label: TextProp::from(move || {
                    if pending.get() { pending_label.unwrap_or(confirm_label) } else { confirm_label }
                }),
                cancel_label: t.cancel,
                disabled: pending,
                on_confirm,
                on_cancel: Callback::new(move |()| confirming.set(None)),
                cancel_button,
            })}
        </Show>
    }
}

/// What [`confirm_group`] shows and does.
pub struct ConfirmGroup {
    /// The group's class: `inline-confirm` in a row, `bulk-confirm` under the bulk bar.
    pub class: &'static str,
    /// The group's accessible name, e.g. "Delete export export-1".
    pub label: String,
    /// What is asked, before the buttons; Cancel is described by it, so a screen reader
    /// announces what is asked when the focus lands there.
    pub question: TextProp,
    /// The confirm button's text, e.g. "Yes, delete" or "Yes, delete 3".
    pub confirm_label: TextProp,
    pub cancel_label: &'static str,
    /// The confirm button is disabled while this holds (the confirmed call runs).
    pub disabled: Signal<bool>,
    pub on_confirm: Callback<()>,
    /// Cancel, or Escape anywhere in the group.
    pub on_cancel: Callback<()>,
    /// Cancel, to be focused first.
    pub cancel_button: NodeRef<html::Button>,
}

/// "Question? \[Yes, …\] \[Cancel\]": the question, the confirm button, and Cancel last (the second
/// click of a double click lands on Cancel or the question, never on the confirm button). Not
/// generic and not a component: one copy in the bundle for every confirmation.
pub fn confirm_group(group: ConfirmGroup) -> AnyView {
    let ConfirmGroup {
        class,
        label,
        question,
        confirm_label,
        cancel_label,
        disabled,
        on_confirm,
        on_cancel,
        cancel_button,
    } = group;
    let question_id = next_question_id();
    view! {
        <span class=class role="group" aria-label=label
            on:keydown=move |ev| if ev.key() == "Escape" { on_cancel.run(()) }>
            <span class="confirm-question" id=question_id.clone()>{move || question.get()}</span>
            <button type="button" class="button danger confirm-yes"
                disabled=disabled on:click=move |_| on_confirm.run(())>
                {move || confirm_label.get()}
            </button>
            <button type="button" class="button subtle confirm-cancel" node_ref=cancel_button
                aria-describedby=question_id on:click=move |_| on_cancel.run(())>{cancel_label}</button>
        </span>
    }
    .into_any()
}

/// Moves the focus as a confirmation opens and closes: the opening removes or hides the focused
/// button, so the focus goes to Cancel once the group is rendered (not to the confirm button: a
/// second Enter, a key pressed twice or held, would then act without the reader having chosen
/// to; confirming takes a deliberate move, Shift+Tab or the pointer); on closing it goes back to
/// `ask_button`, unless it went on elsewhere meanwhile (e.g. to another row's confirmation, whose
/// opening closed this one).
fn focus_while_asking(asking: Signal<bool>, ask_button: NodeRef<html::Button>, cancel_button: NodeRef<html::Button>) {
    let mut was_asking = None;
    effect(move || {
        let now_asking = asking.get();
        match (was_asking, now_asking) {
            // Opened: only the asking button's own click opens it, so the user is right here.
            (Some(false), true) => focus_next_frame(cancel_button, false),
            (Some(true), false) => focus_next_frame(ask_button, true),
            _ => {}
        }
        was_asking = Some(now_asking);
    });
}

/// A page-unique id for a question, which its Cancel button refers to. Counted rather than made
/// from the row's id: ids are server text, and an `id` attribute must not hold spaces.
fn next_question_id() -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    format!("confirm-question-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// Focuses `button` on the next animation frame, after the swap has rendered it. With
/// `only_if_lost`, only when the focus fell to the page (its holder was removed), so a change
/// made elsewhere never pulls the focus from where the user is.
fn focus_next_frame(button: NodeRef<html::Button>, only_if_lost: bool) {
    request_animation_frame(move || {
        let lost = || document().active_element().is_none_or(|active| active.tag_name() == "BODY");
        if only_if_lost && !lost() {
            return;
        }
        if let Some(button) = button.try_get_untracked().flatten() {
            let _ = button.focus();
        }
    });
}
