//! Rows chosen for an action on several at once: a checkbox in each row and "select all on this
//! page" in the header (indeterminate when some are chosen). The choice is kept by task id, so a
//! refresh that rebuilds a row keeps it checked; it holds only rows on the page shown (see
//! [`Selection::keep_only`]), so an action never reaches a row the reader cannot see.
//!
//! ```ignore
//! let selection = Selection { chosen: RwSignal::new(Vec::new()), page, row_label, all_label, select_all: NodeRef::new() };
//! view! { <TaskTable /* … */ selection=Some(selection)/> }
//! effect(move || selection.keep_only(&page.get()));   // what `task_page::bulk` does
//! ```

use leptos::prelude::*;

/// Which rows are chosen, and the words of the checkboxes. Copy: every row's cell holds it.
#[derive(Clone, Copy)]
pub struct Selection {
    /// The chosen task ids, in the order they were chosen.
    pub chosen: RwSignal<Vec<String>>,
    /// The ids of the rows on the page shown.
    pub page: Memo<Vec<String>>,
    /// A row's checkbox's accessible name, from its id ("Select export export-1").
    pub row_label: Callback<String, String>,
    /// The header checkbox's accessible name.
    pub all_label: &'static str,
    /// The header checkbox.
    pub select_all: NodeRef<leptos::html::Input>,
}

impl Selection {
    /// Drops every chosen id that is not on the page shown (a task deleted, another page or other
    /// filters shown); touches the signal only when that changes something.
    pub fn keep_only(self, page: &[String]) {
        if self.chosen.with_untracked(|chosen| chosen.iter().any(|id| !page.contains(id))) {
            self.chosen.update(|chosen| chosen.retain(|id| page.contains(id)));
        }
    }

    /// Moves the focus to the header's checkbox, or where the heading row is out of sight (a
    /// phone's cards) to the first row's: for a control that goes away with the choice ("Clear selection").
    pub fn focus_choosing(self) {
        use wasm_bindgen::JsCast;
        let Some(all) = self.select_all.get_untracked() else { return };
        // A phone's cards keep the heading row for screen readers only, clipped to a pixel: no
        // place for a visible focus.
        let heading = all.closest("thead").ok().flatten().map(|thead| thead.get_bounding_client_rect());
        let shown = heading.is_some_and(|rect| rect.width() > 1.0 && rect.height() > 1.0);
        let target = if shown {
            Some(web_sys::HtmlElement::from(all))
        } else {
            all.closest("table")
                .ok()
                .flatten()
                .and_then(|table| table.query_selector("input.row-select").ok().flatten())
                .and_then(|first| first.dyn_into::<web_sys::HtmlElement>().ok())
        };
        if let Some(target) = target {
            let _ = target.focus();
        }
    }

    fn set(self, id: &str, on: bool) {
        self.chosen.update(|chosen| {
            chosen.retain(|chosen| chosen != id);
            if on {
                chosen.push(id.to_owned());
            }
        });
    }

    /// A row's checkbox.
    pub(super) fn cell(self, id: String) -> AnyView {
        let label = self.row_label.run(id.clone());
        let checked = {
            let id = id.clone();
            move || self.chosen.with(|chosen| chosen.contains(&id))
        };
        view! {
            <td class="col-select">
                <input type="checkbox" class="row-select" aria-label=label prop:checked=checked
                    on:change=move |event| self.set(&id, event_target_checked(&event))/>
            </td>
        }
        .into_any()
    }

    /// The header's checkbox: checked when every row of the page is chosen, indeterminate when some.
    pub(super) fn heading(self) -> AnyView {
        let chosen_here = move || {
            let chosen = self.chosen.get();
            self.page.with(|page| (page.iter().filter(|id| chosen.contains(id)).count(), page.len()))
        };
        let all = move || matches!(chosen_here(), (n, len) if n > 0 && n == len);
        let some = move || matches!(chosen_here(), (n, len) if n > 0 && n < len);
        let on_change = move |event| {
            let on = event_target_checked(&event);
            let page = self.page.get_untracked();
            self.chosen.update(|chosen| {
                chosen.retain(|id| !page.contains(id));
                if on {
                    chosen.extend(page);
                }
            });
        };
        view! {
            <th scope="col" class="col-select">
                <input type="checkbox" class="select-page" aria-label=self.all_label node_ref=self.select_all
                    prop:checked=all prop:indeterminate=some on:change=on_change/>
            </th>
        }
        .into_any()
    }
}
