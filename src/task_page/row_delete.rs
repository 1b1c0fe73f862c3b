//! [`RowDelete`]: the delete of a table's rows, written once and declared once by a kind (its word,
//! its question and its call) — "Delete" asks in place
//! ([`ConfirmButton`]; the rows share one question, so opening one closes another), the call runs,
//! and its answer, which names the row it deleted, closes only that row's question (another row
//! may be asking by the time it lands). Then the list reloads and the page says "Export … deleted.",
//! or shows the error; asking again puts either out of date.
//!
//! The same declaration is the bulk delete's: handed to [`TaskListView`](super::TaskListView) as
//! `bulk=Bulk::new(delete)`, it places the outcome above the table and lets chosen rows be deleted
//! together with the same call and words ([`bulk`](super::bulk)), so a kind never writes its
//! delete twice.
//!
//! A kind with a delete always declares its `Bulk` (today CLS and IoTDA): `TaskListView` places the
//! outcome only through it, so a delete handed to the rows alone would delete with no word said.
//!
//! Not generic: ids are strings and the call is boxed, so one copy in the bundle serves every kind.
//!
//! ```ignore
//! let delete = RowDelete::new(
//!     DeleteWords { thing: "export", question: "Delete this export?" },
//!     |id| async move { cls::delete(&id).await.map(drop) },
//!     Callback::new(move |()| list.reload()),
//! );
//! Column::new("Actions", "col-actions", move |e: &ExportInfo| delete.button(e.export_id.clone()))
//! view! { <TaskListView list=list columns=columns bulk=Bulk::new(delete) /* … */ /> } // the outcome, the bulk delete
//! ```

use crate::api::ApiError;
use crate::components::{ConfirmButton, ErrorView};
use crate::hooks::effect;
use crate::i18n::{self, Lists};
use leptos::prelude::*;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

/// The delete call of one row, by id: shared by the row's button and the bulk delete.
type DeleteCall = Rc<dyn Fn(String) -> Pin<Box<dyn Future<Output = Result<(), ApiError>>>>>;

/// What a kind calls its rows, in the words of the delete.
#[derive(Debug, Clone, Copy)]
pub struct DeleteWords {
    /// One row, lower case, in the reader's language: the button is named "Delete {thing} {id}"
    /// and the page says "{Thing} {id} deleted." afterwards.
    pub thing: &'static str,
    /// What the confirmation asks, e.g. "Delete this export?".
    pub question: &'static str,
}

/// The rows' delete and how the last one went. Copy: hand it to every row's cell.
#[derive(Clone, Copy)]
pub struct RowDelete {
    /// The id of the row asking, if one is.
    confirming: RwSignal<Option<String>>,
    /// Answers with the id it deleted.
    action: Action<String, (String, Result<(), ApiError>)>,
    /// The call, for the bulk delete to make as the rows' own.
    call: StoredValue<DeleteCall, LocalStorage>,
    error: RwSignal<Option<ApiError>>,
    done: RwSignal<Option<String>>,
    words: DeleteWords,
    /// The shared words, of the language the page was built in.
    t: &'static Lists,
}

impl RowDelete {
    /// `call` deletes the row with that id; `on_deleted` runs after each delete that worked. Made
    /// while the page is built (it reads the language).
    pub fn new<F, Fut>(words: DeleteWords, call: F, on_deleted: Callback<()>) -> Self
    where
        F: Fn(String) -> Fut + 'static,
        Fut: Future<Output = Result<(), ApiError>> + 'static,
    {
        Self::with_call(words, Rc::new(move |id| Box::pin(call(id))), on_deleted)
    }

    fn with_call(words: DeleteWords, call: DeleteCall, on_deleted: Callback<()>) -> Self {
        let t = &i18n::t().lists;
        let stored = StoredValue::new_local(Rc::clone(&call));
        let action = Action::new_local(move |id: &String| {
            let (id, answer) = (id.clone(), call(id.clone()));
            async move { (id, answer.await) }
        });
        let delete = Self {
            confirming: RwSignal::new(None),
            action,
            call: stored,
            error: RwSignal::new(None),
            done: RwSignal::new(None),
            words,
            t,
        };
        effect(move || {
            action.version().track();
            let Some((id, result)) = action.value().get_untracked() else { return };
            if delete.confirming.get_untracked().as_deref() == Some(id.as_str()) {
                delete.confirming.set(None);
            }
            match result {
                Ok(()) => {
                    delete.error.set(None);
                    delete.done.set(Some((t.deleted)(words.thing, &id)));
                    on_deleted.run(());
                }
                Err(error) => {
                    delete.done.set(None);
                    delete.error.set(Some(error));
                }
            }
        });
        // Asking about a delete puts the outcome of the last one out of date.
        effect(move || {
            if delete.confirming.with(Option::is_some) {
                delete.clear_outcome();
            }
        });
        delete
    }

    /// Forgets the last delete's outcome, which a new question (of this row or of several) puts
    /// out of date.
    pub(super) fn clear_outcome(self) {
        self.done.set(None);
        self.error.set(None);
    }

    /// The kind's word and question.
    pub(super) fn words(self) -> DeleteWords {
        self.words
    }

    /// The kind's delete of row `id`, as the rows' buttons make it, for the bulk delete to make
    /// when its run reaches the row. Once the page is gone, a call that never answers: nothing is
    /// left to show it (and the run ends with the page).
    pub(super) fn call_for(self, id: String) -> Pin<Box<dyn Future<Output = Result<(), ApiError>>>> {
        self.call.try_with_value(|call| call(id)).unwrap_or_else(|| Box::pin(std::future::pending()))
    }

    /// A row's "Delete", confirmed in place.
    pub fn button(self, id: String) -> AnyView {
        let on_confirm = Callback::new({
            let id = id.clone();
            move |()| {
                self.action.dispatch_local(id.clone());
            }
        });
        let t = self.t;
        view! {
            <ConfirmButton
                id=id.clone()
                confirming=self.confirming
                label=t.delete
                aria_label=(t.delete_named)(self.words.thing, &id)
                question=self.words.question
                confirm_label=t.yes_delete
                pending_label=t.deleting
                pending=self.action.pending()
                on_confirm=on_confirm
            />
        }
        .into_any()
    }
}

/// How the last delete went: its error, or the status line saying what was deleted. Placed once
/// a list, by its bulk bar (`TaskListView`'s `bulk`), so not offered outside the machinery.
#[component]
pub(super) fn RowDeleteOutcome(delete: RowDelete) -> impl IntoView {
    view! {
        {move || delete.error.get().map(|error| view! { <ErrorView error=error/> })}
        <p class="form-status row-delete-outcome" role="status">{move || delete.done.get()}</p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_names_the_thing_and_the_id() {
        let (en, zh) = (&i18n::EN.lists, &i18n::ZH_CN.lists);
        assert_eq!((en.deleted)("export", "export-1"), "Export export-1 deleted.");
        assert_eq!((en.deleted)("task", "0a1b"), "Task 0a1b deleted.");
        assert_eq!((en.delete_named)("export", "export-1"), "Delete export export-1");
        assert_eq!((zh.deleted)("导出任务", "export-1"), "已删除导出任务 export-1。");
        assert_eq!((zh.delete_named)("导出任务", "export-1"), "删除导出任务 export-1");
    }
}
