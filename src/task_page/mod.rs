//! The machinery every task page runs on, written once: a page declares its list (a
//! [`ListSource`]) and gets the rest.
//!
//! - [`source`]: the [`ListSource`] trait, what a list must say about itself;
//! - [`list`]: [`use_task_list`], the reactive list (fresh answers only, rows kept through
//!   failures, auto-refresh, highlight, paging);
//! - [`mod@list_export`]: [`list_export()`], "Download list as CSV": every row the filters match,
//!   walked page by page at a steady pace, rate limits waited out, capped, cancellable;
//! - [`list_memory`]: where each list was last left, for the way back to it;
//! - [`list_state`]: the one view of a list's empty, loading and error states;
//! - [`list_view`]: [`TaskListView`], state, table and pager together;
//! - [`page_shell`]: [`PageShell`] and [`TasksSection`], the frame around a kind's own parts;
//! - [`filters`]: [`Filters`], what a list can be filtered by, as data, and how typed values become URL changes;
//! - [`filter_bar`]: [`FilterBar`], the one filter bar, over the filters a source declares;
//! - [`bulk`]: [`Bulk`], a kind's rows chosen and deleted (with its [`RowDelete`]) or downloaded
//!   together: one confirmation, paced, queued where the provider serves one download at a time,
//!   per-row outcome;
//! - [`row_delete`]: [`RowDelete`], a kind's delete, declared once: a row's, confirmed in place and
//!   answered by id, and the bulk delete's;
//! - [`create_form`]: [`use_create_form`] over a [`CreateSource`], the create form (draft,
//!   checks, preview, submit and its answer) and its one view, [`CreateFormView`];
//! - `erased`: [`TypedMemo`] and [`TypedSignal`], one signal type for every list's values.

pub mod bulk;
pub mod create_form;
mod erased;
pub mod filter_bar;
pub mod filters;
pub mod list;
pub mod list_export;
pub mod list_memory;
pub mod list_state;
pub mod list_view;
pub mod page_shell;
pub mod row_delete;
pub mod source;

pub use bulk::{follow_link, Bulk, Queue, RowCall, RowDownload};
pub use create_form::{
    use_create_form, CountedCreate, CreateAgain, CreateAgainFrom, CreateForm, CreateFormParts, CreateFormView,
    CreateSource, CreatesInFlight, DraftOffers, KeptDrafts, Outcome,
};
pub use erased::{AnyArc, TypedMemo, TypedSignal};
pub use filter_bar::{FilterBar, TaskFilterBar};
pub use filters::{wire_options, Filter, FilterKind, FilterValues, Filters, UrlChanges};
pub(crate) use list::any_answer_resource;
pub use list::{filters_in_force, use_task_list, Loaded, TaskList, LINKED_TASK_KEY};
pub use list_export::{list_export, EXPORT_ROW_CAP};
pub use list_memory::{list_href, provide_list_memory, remember_list};
pub use list_state::{ListState, ListStateView, ListWords};
pub use list_view::TaskListView;
pub use page_shell::{PageShell, TasksSection, TasksSectionView};
pub use row_delete::{DeleteWords, RowDelete};
pub use source::{ListSource, Paging, SortKeys};
