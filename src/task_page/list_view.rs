//! [`TaskListView`]: a [`TaskList`](super::TaskList) on screen — its state message, then one
//! table for the page's life (a refresh touches only the rows whose task changed, so focus and
//! scroll survive it) and the pager. A thin generic shell: the state view is not generic, and
//! the table and pager are shells of their own.
//!
//! ```ignore
//! view! { <TaskListView list=list columns=columns() words=WORDS caption="…" class="cdn-stats-table"/> }
//! ```

use super::list::TaskList;
use super::list_state::{ListStateView, ListWords};
use super::source::ListSource;
use crate::components::{Column, Pager, TaskTable};
use leptos::prelude::*;

#[component]
pub fn TaskListView<S: ListSource>(
    list: TaskList<S>,
    columns: Vec<Column<S::Row>>,
    words: ListWords,
    /// Names the table for screen readers.
    caption: &'static str,
    /// The class of the block holding the table and the pager.
    class: &'static str,
) -> impl IntoView {
    view! {
        <ListStateView
            state=list.state
            words=words
            on_retry=move || list.reload()
            on_first_page=move || list.first_page()
            on_clear_filters=move || list.clear_filters()
        />
        <div class=class hidden=move || list.rows.with(Vec::is_empty)>
            <TaskTable rows=list.rows columns=columns key=S::key highlighted=list.highlighted caption=caption/>
            <Pager
                page=list.page
                page_sizes=S::PAGE_SIZES
                on_offset=move |target| list.go_to(target)
                on_limit=move |size: u32| list.set_page_size(size)
            />
        </div>
    }
}
