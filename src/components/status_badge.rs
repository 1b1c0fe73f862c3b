use crate::api::status::TaskStatus;
use crate::i18n;
use leptos::prelude::*;

/// A task's status in one word of the reader's language, coloured by kind. The provider's own
/// word is not repeated beside it ("Succeeded success"); where it says more than the word (a done
/// task with failed URLs, a status the documentation does not list), the note is the tooltip
/// and, for screen readers, hidden text after the word (a tooltip alone reaches neither keyboards
/// nor readers).
#[component]
pub fn StatusBadge(status: TaskStatus) -> impl IntoView {
    let t = &i18n::t().errors;
    let note = status.note_text(t);
    let TaskStatus { kind, raw, .. } = status;
    let title = note.clone();
    view! {
        <span class=format!("badge badge-{}", kind.as_str()) data-status=kind.as_str() data-raw=raw title=title>
            {kind.label(t)}
            {note.map(|note| view! { <span class="visually-hidden">{(t.after_status)(&note)}</span> })}
        </span>
    }
}
