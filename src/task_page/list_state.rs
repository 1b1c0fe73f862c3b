//! [`ListState`] and its one view: what a task list says when it has no rows to show, or
//! above the rows it kept — loading, nothing yet, nothing matching, a page past the end, an error
//! with a retry, something to choose first, or a thing that does not exist.
//!
//! ```ignore
//! view! { <ListStateView state=list.state words=WORDS on_retry=/* … */ on_first_page=/* … */ on_clear_filters=/* … */ /> }
//! ```

use crate::api::ApiError;
use crate::components::ErrorView;
use crate::i18n;
use leptos::prelude::*;

#[derive(Debug, Clone, PartialEq)]
pub enum ListState {
    /// Something must be chosen before anything can be listed (a CLS topic).
    Choose,
    /// The answer for these filters and this page has not arrived yet.
    Loading,
    /// The answer is here, with rows: nothing to say.
    Rows,
    /// Not one task yet.
    NoTasks,
    /// Tasks exist, but none match the filters.
    NoMatch,
    /// Tasks match, but not on this page: the list got shorter.
    PastTheEnd,
    /// The call failed; a retry may help. Rows kept from before stay below.
    Failed(ApiError),
    /// What is listed does not exist: no retry can help.
    Gone(ApiError),
}

impl ListState {
    /// The state of an empty answer: `total` is what the query matches in all, when the answer
    /// says; `filtered` and `paged` whether the URL sets a filter or a later page.
    pub fn empty(total: Option<u64>, filtered: bool, paged: bool) -> Self {
        match total {
            Some(total) if total > 0 => ListState::PastTheEnd,
            None if paged => ListState::PastTheEnd,
            _ if filtered => ListState::NoMatch,
            _ => ListState::NoTasks,
        }
    }
}

/// A list's own words for its states (the ways out of an empty list are the machinery's).
#[derive(Clone, Copy)]
pub struct ListWords {
    pub loading: &'static str,
    /// No tasks at all; may depend on the page (a closed CLS topic, a directory list).
    pub no_tasks: Signal<&'static str>,
    pub no_match: &'static str,
    /// What to choose first, for lists that need a choice.
    pub choose: &'static str,
    /// What does not exist, for lists of one thing's parts.
    pub gone: &'static str,
}

/// The list area's message for `state` (nothing for [`ListState::Rows`]). Not generic: one copy
/// in the bundle serves every list.
#[component]
pub fn ListStateView(
    state: Memo<ListState>,
    words: ListWords,
    #[prop(into)] on_retry: Callback<()>,
    #[prop(into)] on_first_page: Callback<()>,
    #[prop(into)] on_clear_filters: Callback<()>,
) -> impl IntoView {
    let t = &i18n::t().lists;
    move || {
        let (message, way_out): (&'static str, Option<(&'static str, Callback<()>)>) = match state.get() {
            ListState::Rows => return ().into_any(),
            ListState::Loading => {
                return view! { <p class="loading" role="status">{words.loading}</p> }.into_any();
            }
            ListState::Failed(error) => {
                return view! { <ErrorView error=error on_retry=move |_| on_retry.run(())/> }.into_any();
            }
            ListState::Gone(error) => {
                return view! {
                    <div class="empty-state gone" role="status"><p>{words.gone}</p></div>
                    <ErrorView error=error/>
                }
                .into_any();
            }
            ListState::Choose => (words.choose, None),
            ListState::NoTasks => (words.no_tasks.get(), None),
            ListState::NoMatch => (words.no_match, Some((t.clear_filters, on_clear_filters))),
            // The filters stay: the tasks they match are on the earlier pages.
            ListState::PastTheEnd => (t.past_the_end, Some((t.go_to_first_page, on_first_page))),
        };
        view! {
            <div class="empty-state" role="status">
                <p>{message}</p>
                {way_out.map(|(label, action)| view! {
                    <button type="button" class="button" on:click=move |_| action.run(())>{label}</button>
                })}
            </div>
        }
        .into_any()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_answer_names_why_it_is_empty() {
        assert_eq!(ListState::empty(Some(0), false, false), ListState::NoTasks);
        assert_eq!(ListState::empty(Some(0), true, false), ListState::NoMatch);
        assert_eq!(ListState::empty(Some(3), true, false), ListState::PastTheEnd, "the total counts the matches");
        assert_eq!(ListState::empty(None, true, false), ListState::NoMatch);
        assert_eq!(ListState::empty(None, false, true), ListState::PastTheEnd);
        assert_eq!(ListState::empty(None, false, false), ListState::NoTasks);
    }
}
