//! [`use_task_list`]: the reactive list every task page shows, written once over a
//! [`ListSource`]:
//!
//! - the query is read from the URL, and the list call follows it (and [`TaskList::reload`]);
//! - an answer counts only for the query it answers ([`ListState`] says "loading" until the
//!   current one's arrives), so a slow answer for the old filters is never shown as the new ones';
//! - the rows of the last good answer stay on screen through a refresh, another page of the same
//!   filters loading, and a failed refresh (under its error), but never under other filters;
//! - it refreshes itself while anything listed is unfinished ([`use_auto_refresh`]), and stops
//!   for good when the source says the thing listed does not exist;
//! - one task can be highlighted (the one just created, or the one a link names: `?task=`);
//!   the one just created is watched until it finishes (`crate::watch`).
//!
//! ```ignore
//! let list = use_task_list::<StatsList>((), Signal::stored(false)); // (context, paused)
//! view! {
//!     <TasksSection list=list heading=t.cdn_stats.tasks_heading>
//!         <TaskFilterBar list=list/>
//!         <TaskListView list=list columns=columns(again, remembered, t) words=words(t) caption=t.cdn_stats.caption class="cdn-stats-table"/>
//!     </TasksSection>
//! }
//! ```

use super::erased::{typed, AnyArc, TypedMemo, TypedSignal};
use super::list_state::ListState;
use super::source::ListSource;
use crate::api::ApiError;
use crate::hooks::{effect, use_auto_refresh, use_url_query, AutoRefresh, RefreshOutcome, UrlQuery};
use crate::router::use_params;
use leptos::prelude::*;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;

/// The URL key naming one task to mark on a list and scroll into view, as links from the Overview
/// and its search do (`/cls/exports?topic=…&task=export-…`). It filters nothing: the link's other
/// keys (a filter, the page) are what put the task on the page shown.
pub const LINKED_TASK_KEY: &str = "task";

/// A finished list call with the query it answers.
pub struct Loaded<S: ListSource> {
    pub query: S::Query,
    pub result: Result<S::Answer, ApiError>,
}

impl<S: ListSource> Clone for Loaded<S> {
    fn clone(&self) -> Self {
        Self { query: self.query.clone(), result: self.result.clone() }
    }
}

/// The state of one list on a page. Copy: hand it to as many closures as need it.
pub struct TaskList<S: ListSource> {
    /// The call the URL asks for now; `None` while something must be chosen first.
    pub query: TypedMemo<Option<S::Query>>,
    /// The latest answer, whichever query it answers; `Some(None)` when nothing was called.
    pub answer: ListAnswer<S>,
    /// The last good answer and its query: what the rows come from.
    pub kept: TypedSignal<Option<(S::Query, S::Answer)>>,
    /// The rows shown: the kept answer's, while its filters are the ones asked for.
    pub rows: Memo<Vec<S::Row>>,
    /// The page the rows are; `None` until a good answer of these filters arrived.
    pub page: Memo<Option<S::Page>>,
    /// What the list area says beside (or instead of) the rows.
    pub state: Memo<ListState>,
    pub refresh: AutoRefresh,
    /// The id of the task to mark, e.g. the one just created.
    pub highlighted: RwSignal<Option<String>>,
    /// What every call needs besides the query (a CSV export makes its own calls).
    pub context: StoredValue<S::Context, LocalStorage>,
    reload: Trigger,
    url: UrlQuery,
    /// Watches a task this list's page created (`None` outside a kind's page).
    watch_created: Option<Callback<(String, String)>>,
}

impl<S: ListSource> Clone for TaskList<S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S: ListSource> Copy for TaskList<S> {}

/// Builds the list of `S` for the current route. `also_unfinished` keeps it refreshing for a
/// reason outside the page shown (IoTDA's count of all unfinished tasks); it is read only after
/// a good answer.
///
/// The source reads the route's parameters (`/cdn/purge/:task_id`) and, under other names, the
/// URL's query.
pub fn use_task_list<S: ListSource>(context: S::Context, also_unfinished: Signal<bool>) -> TaskList<S> {
    let url = use_url_query();
    let params = use_params();
    let query = TypedMemo::new(move || S::query(&|key| params.get(key).or_else(|| url.get(key))));
    let reload = Trigger::new();
    let stored_context = StoredValue::new_local(context.clone());
    let answer = ListAnswer::<S>::new(Box::new(move || {
        let query = query.get();
        reload.track();
        let context = context.clone();
        Box::pin(async move {
            let loaded = match query {
                Some(query) => {
                    let result = S::list(&context, &query).await;
                    Some(Loaded::<S> { query, result })
                }
                None => None,
            };
            Arc::new(Some(loaded)) as AnyAnswer
        })
    }));
    let kept = TypedSignal::new(None::<(S::Query, S::Answer)>);
    effect(move || {
        answer.with(|loaded| {
            if let Some(Some(Loaded { query, result: Ok(answer) })) = loaded {
                kept.set(Some((query.clone(), answer.clone())));
            }
        });
    });
    // Rows of the same filters stand in while another page loads or a refresh fails; rows that
    // other filters chose do not, as they would contradict the filters shown above them.
    let shows_kept = move || {
        let current = query.get();
        kept.with(|kept| match (kept, current) {
            (Some((kept_query, _)), Some(current)) => S::same_filters(kept_query, &current),
            _ => false,
        })
    };
    let rows = Memo::new(move |_| {
        if !shows_kept() {
            return Vec::new();
        }
        kept.with(|kept| kept.as_ref().map(|(_, answer)| S::rows(answer).to_vec()).unwrap_or_default())
    });
    let page = Memo::new(move |_| {
        if !shows_kept() {
            return None;
        }
        kept.with(|kept| kept.as_ref().map(|(query, answer)| S::page(query, answer)))
    });
    let state = Memo::new(move |_| {
        let Some(current) = query.get() else { return ListState::Choose };
        answer.with(|loaded| match loaded {
            Some(Some(loaded)) if loaded.query == current => match &loaded.result {
                Err(error) if S::is_gone(error) => ListState::Gone(error.clone()),
                Err(error) => ListState::Failed(error.clone()),
                Ok(answer) if !S::rows(answer).is_empty() => ListState::Rows,
                Ok(answer) => {
                    let paged = S::PAGING.position_keys.iter().any(|key| url.get(key).is_some());
                    let route = |key: &str| params.get(key);
                    let filtered = filters_in_force::<S>(&|key| url.get(key), &route);
                    ListState::empty(S::total(answer), filtered, paged)
                }
            },
            _ => ListState::Loading,
        })
    });
    // A derived signal, not a memo: the refresher must hear every finished load, even one whose
    // outcome is the same as the last (see `use_auto_refresh`).
    let outcome = Signal::derive(move || {
        answer.with(|loaded| match loaded {
            None => RefreshOutcome::Pending,
            Some(None) => RefreshOutcome::AllFinished,
            Some(Some(Loaded { result: Err(error), .. })) if S::is_gone(error) => RefreshOutcome::Stopped,
            Some(Some(Loaded { result: Err(_), .. })) => RefreshOutcome::Failed,
            Some(Some(Loaded { result: Ok(answer), .. })) => {
                if S::unfinished(answer) || also_unfinished.get() {
                    RefreshOutcome::Unfinished
                } else {
                    RefreshOutcome::AllFinished
                }
            }
        })
    });
    let refresh = use_auto_refresh(outcome, move || reload.notify());
    let highlighted = RwSignal::new(None);
    // A link naming one task marks it, whenever the URL names another (see `LINKED_TASK_KEY`).
    let linked_task = Memo::new(move |_| url.get(LINKED_TASK_KEY));
    effect(move || {
        if let Some(id) = linked_task.get() {
            highlighted.set(Some(id));
        }
    });
    TaskList {
        query,
        answer,
        kept,
        rows,
        page,
        state,
        refresh,
        highlighted,
        context: stored_context,
        reload,
        url: use_url_query(),
        watch_created: crate::watch::watch_created(),
    }
}

/// Whether the URL sets a filter the list actually applies: a filter key with a value the source
/// drops (`?status=bogus`) filters nothing, so an empty answer is "none yet", not "no match".
/// `route` gives the route's parameters (a task's id), which are not filters.
pub fn filters_in_force<S: ListSource>(
    url: &dyn Fn(&str) -> Option<String>,
    route: &dyn Fn(&str) -> Option<String>,
) -> bool {
    let named = S::FILTER_KEYS.iter().any(|key| url(key).is_some());
    let current = S::query(&|key| route(key).or_else(|| url(key)));
    let unfiltered = S::query(route);
    named
        && match (current, unfiltered) {
            (Some(current), Some(unfiltered)) => !S::same_filters(&current, &unfiltered),
            (current, _) => current.is_some(),
        }
}

/// A list's latest answer, as [`TaskList::answer`] reads it: `None` until the first call is
/// answered, `Some(None)` when nothing was called, else the call and its result.
pub type LatestAnswer<S> = Option<Option<Loaded<S>>>;

/// Every list's answer as the one resource type: Leptos's resource code (its loop, future and
/// storage) is then in the bundle once, not once per kind. Holds a [`LatestAnswer`] of its list.
type AnyAnswer = AnyArc;

/// The resource of a list's answer (see [`TaskList::answer`]): read it with [`ListAnswer::with`].
pub struct ListAnswer<S: ListSource> {
    resource: LocalResource<AnyAnswer>,
    source: PhantomData<fn() -> S>,
}

impl<S: ListSource> Clone for ListAnswer<S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S: ListSource> Copy for ListAnswer<S> {}

impl<S: ListSource> ListAnswer<S> {
    fn new(fetch: Box<dyn Fn() -> Pin<Box<dyn Future<Output = AnyAnswer>>>>) -> Self {
        Self { resource: any_answer_resource(fetch), source: PhantomData }
    }

    /// Reads the latest answer (tracked).
    pub fn with<R>(self, read: impl FnOnce(&LatestAnswer<S>) -> R) -> R {
        self.resource.with(|answer| Self::read(answer, read))
    }

    /// Reads the latest answer without tracking it.
    pub fn with_untracked<R>(self, read: impl FnOnce(&LatestAnswer<S>) -> R) -> R {
        self.resource.with_untracked(|answer| Self::read(answer, read))
    }

    fn read<R>(answer: &Option<AnyAnswer>, read: impl FnOnce(&LatestAnswer<S>) -> R) -> R {
        match answer {
            Some(answer) => read(typed::<LatestAnswer<S>>(&**answer)),
            // Not answered yet.
            None => read(&None),
        }
    }
}

/// Not generic: the one instance of the resource code for every list (and the Overview's search).
pub(crate) fn any_answer_resource(
    fetch: Box<dyn Fn() -> Pin<Box<dyn Future<Output = AnyAnswer>>>>,
) -> LocalResource<AnyAnswer> {
    LocalResource::new(fetch)
}

impl<S: ListSource> TaskList<S> {
    /// Lists again now (the refresh button, after a create or delete).
    pub fn reload(self) {
        self.reload.notify();
    }

    /// Subscribes the running effect or resource to every reload of the list (the refresh button,
    /// auto-refresh, a create or delete), but not to its paging or filters.
    pub fn track_reloads(self) {
        self.reload.track();
    }

    /// The URL's query the list follows.
    pub fn url(self) -> UrlQuery {
        self.url
    }

    /// Applies `changes` to the URL, which the list follows.
    pub fn set_url(self, changes: &[(&str, Option<String>)]) {
        self.url.set(changes);
    }

    /// Applies a filter bar's changes, from the first page.
    pub fn apply_filters(self, mut changes: Vec<(&'static str, Option<String>)>) {
        changes.extend(S::PAGING.position_keys.iter().map(|key| (*key, None)));
        self.set_url(&changes);
    }

    /// The first page, filters kept.
    pub fn first_page(self) {
        self.set_url(&S::PAGING.position_keys.iter().map(|key| (*key, None)).collect::<Vec<_>>());
    }

    /// Every filter off, from the first page.
    pub fn clear_filters(self) {
        let keys = S::FILTER_KEYS.iter().chain(S::PAGING.position_keys);
        self.set_url(&keys.map(|key| (*key, None)).collect::<Vec<_>>());
    }

    /// Shows the page a pager button leads to.
    pub fn go_to(self, target: <S::Page as crate::components::PageModel>::Target) {
        self.set_url(&S::page_target(target));
    }

    /// A new page size, shown from the first page.
    pub fn set_page_size(self, size: u32) {
        let mut changes = vec![(S::PAGING.size_key, Some(size.to_string()))];
        changes.extend(S::PAGING.position_keys.iter().map(|key| (*key, None)));
        self.set_url(&changes);
    }

    /// Marks `id` and shows the newest tasks unfiltered, where a task just created is listed. A
    /// task created with its id known is watched (see `crate::watch`); one whose create answers no
    /// id is, once the page finds it ([`TaskList::created_found`]).
    pub fn show_created(self, id: Option<String>, extra: &[(&'static str, Option<String>)]) {
        self.show_created_in(id, "", extra);
    }

    /// [`TaskList::show_created`], the task watched with `scope`: what its kind needs to find it
    /// again (`crate::watch::store::Watched::scope`).
    pub fn show_created_in(self, id: Option<String>, scope: &str, extra: &[(&'static str, Option<String>)]) {
        if let (Some(id), Some(watch)) = (&id, self.watch_created) {
            watch.run((id.clone(), scope.to_owned()));
        }
        self.highlighted.set(id);
        let keys = S::FILTER_KEYS.iter().chain(S::PAGING.position_keys);
        let mut changes: Vec<(&str, Option<String>)> = keys.map(|key| (*key, None)).collect();
        changes.extend(extra.iter().cloned());
        self.set_url(&changes);
        self.reload();
    }

    /// The page found `id` as the task it just created (a create that answers no id): marked and
    /// watched.
    pub fn created_found(self, id: String) {
        if let Some(watch) = self.watch_created {
            watch.run((id.clone(), String::new()));
        }
        self.highlighted.set(Some(id));
    }
}
