use crate::api::status::TaskStatus;
use leptos::prelude::*;

/// A task's status: the shared label, coloured by kind, with the provider's own word beside it
/// when that says something the label does not.
#[component]
pub fn StatusBadge(status: TaskStatus) -> impl IntoView {
    let kind = status.kind;
    let raw_differs = !status.raw.eq_ignore_ascii_case(kind.label());
    let title = format!("{} (provider status: {})", kind.label(), status.raw);
    view! {
        <span class=format!("badge badge-{}", kind.as_str()) data-status=kind.as_str() title=title>
            {kind.label()}
            {raw_differs.then(|| view! { <span class="badge-raw">{status.raw.clone()}</span> })}
        </span>
    }
}
