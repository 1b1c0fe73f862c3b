//! The one task table every page shows. Long tables (e.g. 10,000 history rows) render only the
//! rows in view of the browser's window, scrolling with the page; see [`virtual_rows`].
//!
//! Each row is keyed by a [`TaskKey`] (its id, plus a version that changes with the task, so a
//! changed task is drawn again); columns are data ([`Column`]), which also say what the CSV file
//! writes. Most pages get the table through `task_page::TaskListView`; alone:
//!
//! ```ignore
//! view! {
//!     <TaskTable rows=rows columns=columns(t) key=task_key highlighted=highlighted
//!         caption=t.cdn_stats.caption sort=None selection=None/>
//! }
//! ```

mod row_focus;
mod selection;
mod virtual_rows;

use super::csv_file::{CsvCell, CsvTimes};
use crate::hooks::effect;
use leptos::prelude::*;
use row_focus::RowFocus;
pub use selection::Selection;
use std::any::Any;
use std::marker::PhantomData;
use std::sync::Arc;
use virtual_rows::{VirtualRows, ROW_HEIGHT_PX};

/// Identity of a row: the task id, plus a version that changes whenever the task does, so a
/// keyed row is rebuilt when its task moves on (status, progress) and kept when it does not.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TaskKey {
    pub id: String,
    pub version: String,
}

/// One column: its heading and how a row fills its cell. In a long (virtualized) table the columns
/// share the width equally unless the page's CSS gives a column's class a width.
///
/// The same declaration says what the column writes in a CSV file of the list ([`Column::text`],
/// [`Column::time`], [`Column::csv`]; a column without one, such as row actions, is left out of
/// the file) and, for a list the API sorts, which `order_field` its header sorts by
/// ([`Column::sorts_by`]).
pub struct Column<T> {
    pub title: &'static str,
    pub class: &'static str,
    cell: CellFn,
    csv: Option<CsvFn>,
    csv_time: bool,
    sort: Option<&'static str>,
    row: PhantomData<fn(&T)>,
}

/// A cell of a row whose type the table does not know (see [`TableRow`]).
type CellFn = Arc<dyn Fn(&dyn Any) -> Option<AnyView> + Send + Sync>;

/// What a column writes in a CSV file for a row whose type the writer does not know.
pub type CsvFn = Arc<dyn Fn(&dyn Any, &CsvTimes) -> CsvCell + Send + Sync>;

/// A column as the CSV export reads it: its header, whether it holds times (its header then names
/// the zone), and its cell.
#[derive(Clone)]
pub struct CsvColumn {
    pub title: &'static str,
    pub is_time: bool,
    pub cell: CsvFn,
}

impl<T> Clone for Column<T> {
    fn clone(&self) -> Self {
        Self {
            title: self.title,
            class: self.class,
            cell: Arc::clone(&self.cell),
            csv: self.csv.clone(),
            csv_time: self.csv_time,
            sort: self.sort,
            row: PhantomData,
        }
    }
}

impl<T: 'static> Column<T> {
    pub fn new<V: IntoView + 'static>(
        title: &'static str,
        class: &'static str,
        cell: impl Fn(&T) -> V + Send + Sync + 'static,
    ) -> Self {
        let cell: CellFn = Arc::new(move |row: &dyn Any| row.downcast_ref::<T>().map(|row| cell(row).into_any()));
        Self { title, class, cell, csv: None, csv_time: false, sort: None, row: PhantomData }
    }

    /// In a CSV file, the column is this text.
    pub fn text(self, text: impl Fn(&T) -> String + Send + Sync + 'static) -> Self {
        self.csv(move |row, _| text(row))
    }

    /// In a CSV file, the column is text that may hold times (written by `times`, in the chosen zone).
    pub fn csv(mut self, text: impl Fn(&T, &CsvTimes) -> String + Send + Sync + 'static) -> Self {
        self.csv = Some(Arc::new(move |row: &dyn Any, times: &CsvTimes| {
            row.downcast_ref::<T>().map_or(CsvCell::Empty, |row| CsvCell::Text(text(row, times)))
        }));
        self
    }

    /// In a CSV file, the column holds times: [`CsvCell::Time`], written in the chosen zone, which
    /// the header names (or the text the API sent, when it is not a time).
    pub fn time(mut self, cell: impl Fn(&T) -> CsvCell + Send + Sync + 'static) -> Self {
        self.csv =
            Some(Arc::new(move |row: &dyn Any, _: &CsvTimes| row.downcast_ref::<T>().map_or(CsvCell::Empty, &cell)));
        self.csv_time = true;
        self
    }

    /// The header sorts the list by this `order_field` (see [`TableSort`]).
    pub fn sorts_by(mut self, field: &'static str) -> Self {
        self.sort = Some(field);
        self
    }

    /// What the CSV export writes for the column; `None` when it is left out of the file.
    pub fn csv_column(&self) -> Option<CsvColumn> {
        let cell = self.csv.clone()?;
        Some(CsvColumn { title: self.title, is_time: self.csv_time, cell })
    }
}

/// Sortable headers: the sort in force (the field and whether ascending; `None` when it is no
/// column's), and what a click on a header asks for (its field).
#[derive(Clone, Copy)]
pub struct TableSort {
    pub current: Signal<Option<(String, bool)>>,
    pub on_sort: Callback<&'static str>,
}

/// A row as the table's one view holds it, whatever the page's row type: its key and the row
/// itself behind `Any`, which only its columns' cells read. So the table (its keyed rows, effects
/// and markup) is in the wasm once, not once per row type.
#[derive(Clone)]
struct TableRow {
    key: TaskKey,
    row: Arc<dyn Any + Send + Sync>,
}

/// The page's rows as the one view reads them, without knowing their type: how many there are, the
/// rows of a window as [`TableRow`]s, and where a task is. Only the rows in view are copied and
/// keyed (a 10,000-row page renders about 40), and each read is tracked where it is made.
#[derive(Clone, Copy)]
struct RowSource {
    len: Memo<usize>,
    /// The rows `start..end` (cut to the rows there are).
    window: Callback<(usize, usize), Vec<TableRow>>,
    /// The place of the task with this id.
    position: Callback<String, Option<usize>>,
}

/// A column as the table's one view holds it.
struct TableColumn {
    title: &'static str,
    class: &'static str,
    cell: CellFn,
    sort: Option<&'static str>,
}

/// The task last scrolled into view, app-wide (provided at the root; a table without it keeps its
/// own). A highlighted task stays highlighted through refreshes; revealing it once per task, not
/// on every refresh (nor in a table mounted anew), keeps the page from pulling the reader back to
/// it after they scroll away.
#[derive(Clone, Copy)]
pub struct RevealedTask(StoredValue<Option<String>>);

impl RevealedTask {
    pub fn new() -> Self {
        RevealedTask(StoredValue::new(None))
    }
}

impl Default for RevealedTask {
    fn default() -> Self {
        Self::new()
    }
}

pub fn provide_revealed_task() {
    provide_context(RevealedTask::new());
}

/// The task table every page uses. Rows are keyed by [`TaskKey`], so a refresh touches only the
/// rows whose task changed, and keyboard focus inside a rebuilt row moves to the same control of
/// its new row (or to the table, when the task is gone); `highlighted` marks one task, e.g. the one just created, and scrolls it
/// into view once when it shows up.
///
/// Up to 100 rows are all rendered; longer tables render the rows in view plus a few, between two
/// spacers that keep the page's scrollbar true; the table's focusable region takes
/// PageUp/PageDown/Home/End and scrolls the page by whole rows. Either way the table carries `aria-rowcount` (rows plus the header row) and each row
/// its `aria-rowindex`, so assistive technology knows the full length.
#[component]
pub fn TaskTable<T>(
    #[prop(into)] rows: Signal<Vec<T>>,
    columns: Vec<Column<T>>,
    key: fn(&T) -> TaskKey,
    #[prop(into)] highlighted: Signal<Option<String>>,
    /// Names the table for screen readers.
    caption: &'static str,
    /// Headers that sort the list, for columns declared with [`Column::sorts_by`].
    #[prop(default = None)]
    sort: Option<TableSort>,
    /// A checkbox column for actions on several rows at once.
    #[prop(default = None)]
    selection: Option<Selection>,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
{
    let rows = RowSource {
        len: Memo::new(move |_| rows.with(Vec::len)),
        window: Callback::new(move |(start, end): (usize, usize)| {
            rows.with(|rows| {
                let window = rows.get(start..end.min(rows.len())).unwrap_or_default();
                window.iter().map(|row| TableRow { key: key(row), row: Arc::new(row.clone()) }).collect()
            })
        }),
        position: Callback::new(move |id: String| rows.with(|rows| rows.iter().position(|row| key(row).id == id))),
    };
    let columns = columns
        .into_iter()
        .map(|c| TableColumn { title: c.title, class: c.class, cell: c.cell, sort: c.sort })
        .collect();
    task_table_view(rows, columns, highlighted, caption, sort, selection)
}

/// A column's header: a button that sorts by its field where the list sorts by it, its `aria-sort`
/// saying the order in force (on the one header sorted by, as ARIA asks).
fn heading(column: &TableColumn, sort: Option<TableSort>) -> AnyView {
    let (Some(field), Some(sort)) = (column.sort, sort) else {
        return view! { <th scope="col" class=column.class>{column.title}</th> }.into_any();
    };
    let order = move || {
        sort.current.with(|current| match current {
            Some((sorted, ascending)) if sorted == field => Some(*ascending),
            _ => None,
        })
    };
    view! {
        <th
            scope="col"
            class=column.class
            aria-sort=move || order().map(|ascending| if ascending { "ascending" } else { "descending" })
        >
            <button type="button" class="sort-button" data-sort=field on:click=move |_| sort.on_sort.run(field)>
                {column.title}
                <span class="sort-mark" aria-hidden="true">
                    {move || match order() {
                        Some(true) => "▲",
                        Some(false) => "▼",
                        None => "↕",
                    }}
                </span>
            </button>
        </th>
    }
    .into_any()
}

/// The table itself: not generic (see [`RowSource`]).
fn task_table_view(
    rows: RowSource,
    columns: Vec<TableColumn>,
    highlighted: Signal<Option<String>>,
    caption: &'static str,
    sort: Option<TableSort>,
    selection: Option<Selection>,
) -> impl IntoView {
    let len = rows.len;
    let virtual_rows = VirtualRows::new(len);

    let RevealedTask(revealed) = use_context().unwrap_or_default();
    effect(move || {
        let Some(id) = highlighted.get() else { return };
        if revealed.with_value(|revealed| revealed.as_deref() == Some(id.as_str())) {
            return;
        }
        // Reads (so tracks) the rows only until the task is revealed: a task not listed yet is
        // revealed when the refresh that brings it arrives.
        let Some(index) = rows.position.run(id.clone()) else { return };
        revealed.set_value(Some(id.clone()));
        virtual_rows.reveal(index, id);
    });

    let column_count = columns.len() + usize::from(selection.is_some());
    let select_all = selection.map(Selection::heading);
    let headings = columns.iter().map(|c| heading(c, sort)).collect_view();
    let columns = Arc::new(columns);
    let spacer = move |height: fn(VirtualRows) -> String| {
        move || {
            virtual_rows.is_virtual.get().then(|| {
                view! {
                    <tr class="spacer" aria-hidden="true">
                        <td colspan=column_count style:height=move || height(virtual_rows)></td>
                    </tr>
                }
            })
        }
    };
    view! {
        <div
            class="table-scroll"
            class:virtual=move || virtual_rows.is_virtual.get()
            style=format!("--task-row-height: {ROW_HEIGHT_PX}px")
            role="region"
            aria-label=caption
            tabindex="0"
            node_ref=virtual_rows.region
            on:keydown=move |event| virtual_rows.on_keydown(&event)
        >
            <table class="task-table" aria-rowcount=move || len.get() + 1>
                <caption class="visually-hidden">{caption}</caption>
                <thead><tr aria-rowindex="1">{select_all}{headings}</tr></thead>
                <tbody node_ref=virtual_rows.body>
                    {spacer(VirtualRows::space_above)}
                    <ForEnumerate
                        each=move || {
                            // Runs before the rows are patched: a row rebuilt for a changed task takes
                            // its focused control with it, so note where focus was and put it back.
                            if let Some(focus) = virtual_rows.body.get_untracked().and_then(|body| RowFocus::capture(&body)) {
                                let (body, region) = (virtual_rows.body, virtual_rows.region);
                                request_animation_frame(move || {
                                    if let (Some(body), Some(region)) = (body.try_get_untracked().flatten(), region.try_get_untracked().flatten()) {
                                        focus.restore(&body, &region);
                                    }
                                });
                            }
                            let (start, end) = virtual_rows.window.get();
                            rows.window.run((start, end))
                        }
                        key=|row: &TableRow| row.key.clone()
                        children=move |position, row: TableRow| {
                            let id = row.key.id.clone();
                            let select = selection.map(|selection| selection.cell(id.clone()));
                            let cells = columns
                                .iter()
                                .map(|c| view! { <td class=c.class data-label=c.title>{(c.cell)(&*row.row)}</td> })
                                .collect_view();
                            let marked = {
                                let id = id.clone();
                                move || highlighted.with(|h| h.as_deref() == Some(id.as_str()))
                            };
                            // 1-based, and the header is row 1.
                            let row_index = move || virtual_rows.first_rendered() + position.get() + 2;
                            view! { <tr data-task-id=id aria-rowindex=row_index class:highlight=marked>{select}{cells}</tr> }
                        }
                    />
                    {spacer(VirtualRows::space_below)}
                </tbody>
            </table>
        </div>
    }
}
