use leptos::prelude::*;
use std::sync::Arc;

/// Identity of a row: the task id, plus a version that changes whenever the task does, so a
/// keyed row is rebuilt when its task moves on (status, progress) and kept when it does not.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TaskKey {
    pub id: String,
    pub version: String,
}

/// One column: its heading and how a row fills its cell.
pub struct Column<T> {
    pub title: &'static str,
    pub class: &'static str,
    cell: Arc<dyn Fn(&T) -> AnyView + Send + Sync>,
}

impl<T> Clone for Column<T> {
    fn clone(&self) -> Self {
        Self { title: self.title, class: self.class, cell: Arc::clone(&self.cell) }
    }
}

impl<T> Column<T> {
    pub fn new<V: IntoView + 'static>(
        title: &'static str,
        class: &'static str,
        cell: impl Fn(&T) -> V + Send + Sync + 'static,
    ) -> Self {
        Self { title, class, cell: Arc::new(move |row| cell(row).into_any()) }
    }
}

/// The task table every page uses. Rows are keyed by [`TaskKey`], so a refresh touches only the
/// rows whose task changed; `highlighted` marks (and scrolls to) one task, e.g. the one just created.
#[component]
pub fn TaskTable<T>(
    #[prop(into)] rows: Signal<Vec<T>>,
    columns: Vec<Column<T>>,
    key: fn(&T) -> TaskKey,
    #[prop(into)] highlighted: Signal<Option<String>>,
    /// Names the table for screen readers.
    caption: &'static str,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
{
    let headings = columns.iter().map(|c| view! { <th scope="col" class=c.class>{c.title}</th> }).collect_view();
    let columns = Arc::new(columns);
    view! {
        <div class="table-scroll">
            <table class="task-table">
                <caption class="visually-hidden">{caption}</caption>
                <thead><tr>{headings}</tr></thead>
                <tbody>
                    <For each=move || rows.get() key=key children=move |row| {
                        let id = key(&row).id;
                        let cells = columns
                            .iter()
                            .map(|c| view! { <td class=c.class>{(c.cell)(&row)}</td> })
                            .collect_view();
                        let marked = {
                            let id = id.clone();
                            move || highlighted.with(|h| h.as_deref() == Some(id.as_str()))
                        };
                        view! { <tr data-task-id=id class:highlight=marked>{cells}</tr> }
                    }/>
                </tbody>
            </table>
        </div>
    }
}
