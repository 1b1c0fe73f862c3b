//! Keeps keyboard focus in the task table across refreshes.
//!
//! A row is keyed by its task's id *and* version, so a refresh that moves a task on (status,
//! progress) replaces its `<tr>`. A control focused in the old row leaves the document with it
//! and the browser drops focus to `<body>`: a keyboard user watching a running task would be sent
//! back to the top of the page every few seconds. [`RowFocus`] remembers which row and which of its
//! controls had focus before the rows are patched, and focuses the same control afterwards.
//!
//! ```ignore
//! let focus = RowFocus::capture(&tbody);      // before the rows change
//! // … rows patched …
//! if let Some(focus) = focus { focus.restore(&tbody, &region) } // on the next animation frame
//! ```

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

/// What a row offers to the keyboard, in tab order.
const CONTROLS: &str = "a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex='-1'])";

/// Which control of which task's row had keyboard focus.
pub struct RowFocus {
    /// The element that had focus: if it is still in the document, nothing was lost.
    focused: Element,
    task_id: String,
    /// Its position among the row's controls, so the rebuilt row's matching control gets focus.
    control: usize,
}

impl RowFocus {
    /// Where focus is, if it is on a control inside one of `body`'s rows.
    pub fn capture(body: &HtmlElement) -> Option<Self> {
        let focused = document()?.active_element()?;
        if !body.contains(Some(&focused)) {
            return None;
        }
        let row = focused.closest("tr[data-task-id]").ok()??;
        let task_id = row.get_attribute("data-task-id")?;
        let control = controls(&row).iter().position(|control| control == &focused)?;
        Some(Self { focused, task_id, control })
    }

    /// Focuses the same control of the task's row (the browser scrolls it into view if it is not),
    /// or the table's region when the task is no longer listed. Does nothing when focus was not lost: the old control is still in the
    /// document, or the reader has moved focus elsewhere since.
    pub fn restore(self, body: &HtmlElement, region: &HtmlElement) {
        if self.focused.is_connected() {
            return;
        }
        let Some(document) = document() else { return };
        let focus_was_dropped = match document.active_element() {
            None => true,
            Some(active) => document.body().is_some_and(|page| page.is_same_node(Some(&active))),
        };
        if !focus_was_dropped {
            return;
        }
        let target = row_of(body, &self.task_id).and_then(|row| {
            let controls = controls(&row);
            let control = self.control.min(controls.len().checked_sub(1)?);
            controls.into_iter().nth(control)
        });
        // Focus stays inside the table the reader was working in, even when the task has gone; the
        // region is as tall as the table, so focusing it leaves the page where it is.
        match target.and_then(|control| control.dyn_into::<HtmlElement>().ok()) {
            Some(control) => _ = control.focus(),
            None => super::virtual_rows::focus_without_scrolling(region),
        }
    }
}

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// The row of a task, found by comparing attributes: ids come from the server and are never
/// pasted into a selector.
fn row_of(body: &HtmlElement, task_id: &str) -> Option<Element> {
    let rows = body.query_selector_all("tr[data-task-id]").ok()?;
    (0..rows.length())
        .filter_map(|index| rows.item(index)?.dyn_into::<Element>().ok())
        .find(|row| row.get_attribute("data-task-id").as_deref() == Some(task_id))
}

fn controls(row: &Element) -> Vec<Element> {
    let Ok(found) = row.query_selector_all(CONTROLS) else { return Vec::new() };
    (0..found.length()).filter_map(|index| found.item(index)?.dyn_into::<Element>().ok()).collect()
}
