//! The frame every task page shares, written once so a kind declares only its words: the page
//! with its title and intro ([`PageShell`]), and the tasks part with its heading and the list's
//! refresh status ([`TasksSection`], a thin generic shell over the non-generic
//! [`TasksSectionView`]). The ids and classes here are what the e2e tests and the CSS look for.
//!
//! ```ignore
//! view! {
//!     <PageShell title="CDN statistics exports" intro="Export Huawei Cloud CDN statistics …">
//!         <CreateExportForm /* … */ />
//!         <TasksSection list=list heading="Export tasks">
//!             <TaskFilterBar list=list/>
//!             <TaskListView list=list /* … */ />
//!         </TasksSection>
//!     </PageShell>
//! }
//! ```

use super::list::TaskList;
use super::source::ListSource;
use crate::components::RefreshStatus;
use crate::hooks::AutoRefresh;
use leptos::prelude::*;

/// A page: `<section class="page">`, its header (title, then the intro if any), its content.
#[component]
pub fn PageShell(
    #[prop(into)] title: TextProp,
    /// What the page is for, under the title.
    #[prop(optional)]
    intro: Option<&'static str>,
    /// The section's classes: `page`, and any of the page's own.
    #[prop(default = "page")]
    class: &'static str,
    /// Shown above the header (a way back to a list).
    #[prop(optional)]
    above: Option<AnyView>,
    children: Children,
) -> impl IntoView {
    view! {
        <section class=class>
            {above}
            <header class="page-header">
                <h1>{move || title.get()}</h1>
                {intro.map(|intro| view! { <p class="page-intro">{intro}</p> })}
            </header>
            {children()}
        </section>
    }
}

/// The tasks part of a page: its heading beside the list's refresh status and button, then the
/// list (filters, table, pager) as `children`.
#[component]
pub fn TasksSection<S: ListSource>(
    list: TaskList<S>,
    #[prop(into)] heading: TextProp,
    /// The heading's id, which labels the section.
    #[prop(default = "tasks-heading")]
    heading_id: &'static str,
    #[prop(default = "tasks")] class: &'static str,
    children: Children,
) -> impl IntoView {
    let on_refresh = Callback::new(move |()| list.reload());
    TasksSectionView(TasksSectionViewProps { heading, heading_id, class, refresh: list.refresh, on_refresh, children })
}

/// [`TasksSection`] without the list: what it shows is not generic.
#[component]
pub fn TasksSectionView(
    heading: TextProp,
    heading_id: &'static str,
    class: &'static str,
    refresh: AutoRefresh,
    on_refresh: Callback<()>,
    children: Children,
) -> impl IntoView {
    view! {
        <section class=class aria-labelledby=heading_id>
            <div class="tasks-header">
                <h2 id=heading_id>{move || heading.get()}</h2>
                <RefreshStatus refresh=refresh on_refresh=on_refresh/>
            </div>
            {children()}
        </section>
    }
}
