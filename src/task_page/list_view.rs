//! [`TaskListView`]: a [`TaskList`] on screen — its state message, then one
//! table for the page's life (a refresh touches only the rows whose task changed, so focus and
//! scroll survive it) and the pager. A thin generic shell: the state view is not generic, and
//! the table and pager are shells of their own.
//!
//! A kind with a delete hands it over as `bulk=Bulk::new(delete)` (the [`RowDelete`] its rows'
//! buttons use): the view shows its outcome above the table, and rows can be chosen and deleted
//! together with it (and downloaded together, with [`Bulk::download`]).
//!
//! ```ignore
//! view! { <TaskListView list=list columns=columns() words=WORDS caption="…" class="cdn-stats-table"/> }
//! view! { <TaskListView list=list columns=columns(delete) bulk=Bulk::new(delete) /* … */ /> }
//! ```

use super::bulk::{bulk_bar, Bulk};
use super::list::TaskList;
use super::list_export::list_export;
use super::list_state::{ListStateView, ListWords};
#[cfg(doc)]
use super::row_delete::RowDelete;
use super::source::{ListSource, SortKeys};
use crate::components::{Column, CsvColumn, Pager, TableSort, TaskTable};
use leptos::prelude::*;
use std::rc::Rc;

#[component]
pub fn TaskListView<S: ListSource>(
    list: TaskList<S>,
    columns: Vec<Column<S::Row>>,
    words: ListWords,
    /// Names the table for screen readers.
    caption: &'static str,
    /// The class of the block holding the table and the pager.
    class: &'static str,
    /// The rows' delete, declared once, and their download: the delete's outcome shows above the
    /// table, and rows can be chosen and deleted or downloaded together (see [`Bulk`]).
    #[prop(optional)]
    bulk: Option<Bulk<S::Row>>,
) -> impl IntoView {
    // The columns that say what they write in a file; with none, no export is offered.
    let csv_columns: Rc<[CsvColumn]> = columns.iter().filter_map(Column::csv_column).collect();
    let export = (!csv_columns.is_empty()).then(|| list_export(list, csv_columns));
    let sort = S::SORT.map(|keys| table_sort(list, keys));
    let (selection, bar) = bulk.map(|bulk| bulk_bar(list, bulk)).unzip();
    view! {
        <ListStateView
            state=list.state
            words=words
            on_retry=move || list.reload()
            on_first_page=move || list.first_page()
            on_clear_filters=move || list.clear_filters()
        />
        // The delete's outcome and the bar, outside the block hidden with no rows: a delete that
        // empties the page keeps its outcome on screen (and the focus on it).
        {bar}
        <div class=class hidden=move || list.rows.with(Vec::is_empty)>
            {export}
            <TaskTable
                rows=list.rows
                columns=columns
                key=S::key
                highlighted=list.highlighted
                caption=caption
                sort=sort
                selection=selection
            />
            <Pager
                page=list.page
                page_sizes=S::PAGE_SIZES
                on_offset=move |target| list.go_to(target)
                on_limit=move |size: u32| list.set_page_size(size)
            />
        </div>
    }
}

/// The headers' sort over the URL's sort keys: the order in force (the API's default when the URL
/// names none), and a click that sorts by a column, descending first and the other way when it
/// is the column sorted by already, from the first page. The filter bar's sort controls follow
/// the URL, so both stay in step.
fn table_sort<S: ListSource>(list: TaskList<S>, keys: SortKeys) -> TableSort {
    let url = list.url();
    let current = Signal::derive(move || {
        let direction = url.get(keys.direction_key).filter(|d| *d == keys.ascending || *d == keys.descending);
        match (url.get(keys.field_key), direction) {
            (Some(field), Some(direction)) => Some((field, direction == keys.ascending)),
            _ => Some((keys.default.0.to_owned(), keys.default.1)),
        }
    });
    let on_sort = Callback::new(move |field: &'static str| {
        let ascending = match current.get_untracked() {
            Some((sorted, ascending)) if sorted == field => !ascending,
            _ => false,
        };
        let direction = if ascending { keys.ascending } else { keys.descending };
        list.apply_filters(vec![
            (keys.field_key, Some(field.to_owned())),
            (keys.direction_key, Some(direction.to_owned())),
        ]);
    });
    TableSort { current, on_sort }
}
