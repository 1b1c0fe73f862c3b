//! [`ListSource`]: what the list machinery needs to know about one list of tasks (or of a task's
//! URLs) — how the URL says which page and filters, the call that lists them, and how to read
//! its answer. Everything else a list does ([`use_task_list`](super::use_task_list)) is written
//! once over it.
//!
//! ```ignore
//! struct CdnStatsList;
//! impl ListSource for CdnStatsList {
//!     type Context = ();
//!     type Query = ListExportTasksQuery;
//!     type Answer = ListExportTasksResponse;
//!     type Row = ExportTask;
//!     type Page = OffsetPage;
//!     const PAGING: Paging = Paging::OFFSET;
//!     const FILTER_KEYS: &'static [&'static str] = &["task_id", "task_name"];
//!     const PAGE_SIZES: &'static [u32] = &[10, 20, 50, 100];
//!     fn query(url: &dyn Fn(&str) -> Option<String>) -> Option<Self::Query> { /* … */ }
//!     async fn list(_: &(), query: &Self::Query) -> Result<Self::Answer, ApiError> { cdn_stats::list(query).await }
//!     /* … */
//! }
//! ```

use super::filters::Filters;
use crate::api::status::TaskStatus;
use crate::api::ApiError;
use crate::components::{PageModel, TaskKey};
use crate::i18n::Catalogue;

/// The URL keys of one paging style: which key holds the page size, and which keys move through
/// the pages (removed to show the first page).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub size_key: &'static str,
    pub position_keys: &'static [&'static str],
}

impl Paging {
    /// `offset`/`limit` (CDN statistics exports, CLS).
    pub const OFFSET: Paging = Paging { size_key: "limit", position_keys: &["offset"] };
    /// `page_number`/`page_size` (CDN refresh/preheat history and a task's URLs).
    pub const NUMBERED: Paging = Paging { size_key: "page_size", position_keys: &["page_number"] };
    /// `marker` stack plus `offset` (IoTDA).
    pub const MARKER: Paging = Paging { size_key: "limit", position_keys: &["markers", "offset"] };
}

/// How a list's sort lives in the URL: the field and the direction, each under its key; without
/// both, the API's default order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SortKeys {
    pub field_key: &'static str,
    pub direction_key: &'static str,
    pub ascending: &'static str,
    pub descending: &'static str,
    /// The order in force when the URL names none: the field, and whether ascending.
    pub default: (&'static str, bool),
}

/// One list the machinery can show. Implemented by a unit struct per list; nothing here is state.
// The futures are local: the dashboard is single-threaded wasm and gloo-net's futures are not
// `Send`, so `async fn` (without a `Send` bound) is what the trait means.
#[allow(async_fn_in_trait)]
pub trait ListSource: 'static {
    /// What every call needs besides the query: an IoTDA project, or nothing.
    type Context: Clone + 'static;
    /// One list call's parameters, as read from the URL.
    type Query: Clone + PartialEq + Send + Sync + 'static;
    /// The provider's answer to a list call.
    type Answer: Clone + Send + Sync + 'static;
    type Row: Clone + PartialEq + Send + Sync + 'static;
    /// How the pager describes a page of this list.
    type Page: PageModel + PartialEq;

    const PAGING: Paging;
    /// The URL keys of the filters (paging and sort aside): "Clear filters" removes them, and a
    /// list with one of them set that comes back empty says "no match" rather than "none yet".
    const FILTER_KEYS: &'static [&'static str];
    /// The page sizes the pager offers, each one the API accepts. A CSV export walks the pages
    /// in the largest.
    const PAGE_SIZES: &'static [u32];

    /// The CSV export's file name before its time: `cdn-purge-tasks` gives
    /// `cdn-purge-tasks-2026-12-04T1530+0800.csv`.
    const EXPORT_NAME: &'static str = "tasks";
    /// The least time between two list calls of a CSV export, in milliseconds: a steady pace
    /// well under the provider's documented rate limit (which the account shares with every other
    /// client), never a burst. 250 ms is 4 calls a second, a fifth of the lowest limit of the
    /// four lists (CLS's 20 a second); a kind may declare its own.
    const EXPORT_SPACING_MS: u32 = 250;
    /// The URL keys of the API's sort, when it sorts (refresh/preheat): the table's headers then
    /// sort, for columns declared with `Column::sorts_by`.
    const SORT: Option<SortKeys> = None;

    /// The filter bar above the list ([`TaskFilterBar`](super::TaskFilterBar)), in the words of
    /// `t`: none unless declared.
    fn filters(t: &'static Catalogue) -> Filters {
        Filters::new("filters", Vec::new(), t)
    }

    /// The list call the URL asks for. Values the API would refuse fall back to defaults, so a
    /// hand-edited link shows a list rather than an error. `None`: something must be chosen
    /// before anything can be listed (a CLS topic); nothing is called.
    fn query(url: &dyn Fn(&str) -> Option<String>) -> Option<Self::Query>;

    /// Whether two queries list the same tasks, paging aside: rows of one may stand in for the
    /// other's while it loads or after it failed; rows of other filters may not.
    fn same_filters(a: &Self::Query, b: &Self::Query) -> bool;

    async fn list(context: &Self::Context, query: &Self::Query) -> Result<Self::Answer, ApiError>;

    fn rows(answer: &Self::Answer) -> &[Self::Row];

    /// How many rows the query matches in all, when the answer says.
    fn total(answer: &Self::Answer) -> Option<u64>;

    /// The pager's description of the page `answer` is for.
    fn page(query: &Self::Query, answer: &Self::Answer) -> Self::Page;

    /// The URL changes that show the page a pager button leads to.
    fn page_target(target: <Self::Page as PageModel>::Target) -> Vec<(&'static str, Option<String>)>;

    fn key(row: &Self::Row) -> TaskKey;

    fn status(row: &Self::Row) -> TaskStatus;

    /// Whether anything listed can still change, which keeps the list refreshing.
    fn unfinished(answer: &Self::Answer) -> bool {
        Self::rows(answer).iter().any(|row| Self::status(row).kind.is_unfinished())
    }

    /// Whether the error says that what is listed does not exist, so asking again cannot help
    /// (a task's detail after `CDN.0001`): the list says so and stops refreshing.
    fn is_gone(_error: &ApiError) -> bool {
        false
    }
}
