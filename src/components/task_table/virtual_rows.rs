//! The non-generic half of the task table's virtualized body: where the rows sit in the window,
//! which of them to render, and how scrolling, paging keys and the highlight move that window.
//! Kept free of the row type so it is compiled once, whatever the table lists.
//!
//! A long table has no scroll box of its own: it scrolls with the page (one scrollbar), its
//! header sticking to the top of the browser's window. So the rows to render follow from the
//! page's scroll position and where the table sits on the page, read together as the table's
//! top edge relative to the window's ([`Geometry::scroll_top`]).
//!
//! ```ignore
//! let virtual_rows = VirtualRows::new(len);             // len: Memo<usize>, the rows listed
//! view! {
//!     <div node_ref=virtual_rows.region on:keydown=move |e| virtual_rows.on_keydown(&e)>
//!         <tbody node_ref=virtual_rows.body>{/* rows of virtual_rows.window.get() */}</tbody>
//!     </div>
//! }
//! virtual_rows.reveal(index, id);                       // scroll a highlighted row into view
//! ```

use crate::hooks::effect;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{FocusOptions, HtmlElement, KeyboardEvent, ScrollIntoViewOptions, ScrollLogicalPosition};

/// Nominal height of a body row in virtual mode, in CSS pixels. The table hands it to the
/// stylesheet as `--task-row-height`, so CSS and the window arithmetic share this one number; the
/// real pitch is still measured from the rendered rows, so larger text only makes rows taller.
pub(super) const ROW_HEIGHT_PX: u32 = 56;

/// Tables up to this many rows render every row: a page of the paged lists stays plain DOM that
/// the browser scrolls and finds (Ctrl+F) itself; only longer tables pay for a window.
pub(super) const VIRTUALIZE_ABOVE: usize = 100;

/// Rows rendered beyond each edge of the viewport, so a fast scroll or Tab onto the next row's
/// link finds it already in the DOM (focusing it scrolls the page, which moves the window).
const OVERSCAN: usize = 8;

/// Viewport height assumed until the table has been laid out (about a screenful).
const UNMEASURED_VIEWPORT_PX: f64 = 800.0;

/// The table's place in the browser's window as last read from the DOM, in CSS pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Geometry {
    /// How far the table's top edge is above the window's top edge: how far the table is scrolled
    /// past, as if the window were its scroll box. Negative while the table starts lower down the
    /// page than the window's top (then its first rows are the ones in view).
    pub scroll_top: f64,
    /// Height of the window; once the table's top has scrolled past, its sticky header covers the
    /// first `body_top` pixels.
    pub viewport_height: f64,
    /// Offset of the first body row from the table's top: the height of the (sticky) header.
    pub body_top: f64,
    /// Distance from one row's top to the next.
    pub row_height: f64,
}

impl Default for Geometry {
    fn default() -> Self {
        Self {
            scroll_top: 0.0,
            viewport_height: UNMEASURED_VIEWPORT_PX,
            body_top: 0.0,
            row_height: f64::from(ROW_HEIGHT_PX),
        }
    }
}

/// The rows `start..end` to render for `len` rows: all of them for a small table, otherwise the
/// ones in view plus the overscan.
pub(super) fn rendered_range(len: usize, geometry: &Geometry) -> (usize, usize) {
    if len <= VIRTUALIZE_ABOVE {
        return (0, len);
    }
    let row = geometry.row_height;
    let in_view = (geometry.viewport_height / row).ceil() as usize + 1;
    // Clamped so a stale offset (rows just removed, the browser clamping scrollTop) still
    // renders the last screenful instead of an empty stretch.
    let first =
        (((geometry.scroll_top - geometry.body_top) / row).floor().max(0.0) as usize).min(len.saturating_sub(in_view));
    (first.saturating_sub(OVERSCAN), (first + in_view + OVERSCAN).min(len))
}

/// The scroll offset that shows row `index` whole below the sticky header, moving as little as
/// possible; `None` when it already is.
pub(super) fn offset_revealing(index: usize, geometry: &Geometry) -> Option<f64> {
    let row = geometry.row_height;
    let top = geometry.body_top + index as f64 * row;
    if top < geometry.scroll_top + geometry.body_top {
        Some(top - geometry.body_top)
    } else if top + row > geometry.scroll_top + geometry.viewport_height {
        Some(top + row - geometry.viewport_height)
    } else {
        None
    }
}

/// The keys the container handles itself, so paging lands on whole rows below the sticky header
/// (the browser's own paging knows neither).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum PagingKey {
    PageUp,
    PageDown,
    Home,
    End,
}

impl PagingKey {
    fn from_key(key: &str) -> Option<Self> {
        match key {
            "PageUp" => Some(Self::PageUp),
            "PageDown" => Some(Self::PageDown),
            "Home" => Some(Self::Home),
            "End" => Some(Self::End),
            _ => None,
        }
    }
}

/// Where `key` scrolls to. A page is the rows wholly visible under the header: after PageDown the
/// row that was cut off at the bottom is the first one, after PageUp the old first row is cut off
/// at the bottom, so nothing is skipped either way.
pub(super) fn offset_after_key(key: PagingKey, geometry: &Geometry, max_scroll: f64) -> f64 {
    // Offsets within a hair of a row boundary count as on it (zoom makes them fractional).
    const SLACK: f64 = 0.01;
    let row = geometry.row_height;
    let page = ((geometry.viewport_height - geometry.body_top) / row).floor().max(1.0);
    let position = geometry.scroll_top / row;
    let target = match key {
        PagingKey::Home => 0.0,
        PagingKey::End => max_scroll,
        PagingKey::PageDown => ((position + SLACK).floor() + page) * row,
        PagingKey::PageUp => ((position - SLACK).ceil() - page) * row,
    };
    target.clamp(0.0, max_scroll.max(0.0))
}

/// Scroll state of one table and the window of rows it implies. `Copy`: all of it is signals.
#[derive(Clone, Copy)]
pub(super) struct VirtualRows {
    /// The table's focusable region: what focus falls back to, and what takes the paging keys. It
    /// does not scroll itself; the page does.
    pub region: NodeRef<html::Div>,
    pub body: NodeRef<html::Tbody>,
    geometry: RwSignal<Geometry>,
    /// Whether the table is long enough to render only a window.
    pub is_virtual: Memo<bool>,
    /// The rendered rows, `start..end`.
    pub window: Memo<(usize, usize)>,
    len: Memo<usize>,
}

impl VirtualRows {
    pub fn new(len: Memo<usize>) -> Self {
        let geometry = RwSignal::new(Geometry::default());
        let this = Self {
            region: NodeRef::new(),
            body: NodeRef::new(),
            geometry,
            is_virtual: Memo::new(move |_| len.get() > VIRTUALIZE_ABOVE),
            // A small table never reads the geometry, so scrolling it recomputes nothing.
            window: Memo::new(move |_| {
                let len = len.get();
                if len <= VIRTUALIZE_ABOVE {
                    (0, len)
                } else {
                    geometry.with(|geometry| rendered_range(len, geometry))
                }
            }),
            len,
        };
        // Measure once the table is in the document, again whenever it turns long (in the next
        // frame, when the rows have re-rendered with the long table's styles), and whenever the rows
        // change, since the content above the table and the rows' height may have changed with them.
        effect(move || {
            len.track();
            if this.is_virtual.get() && this.region.get().is_some() {
                request_animation_frame(move || this.measure());
            }
        });
        // The page's scroll moves the window of rows (browsers fire at most one `scroll` a frame,
        // so no extra throttling is needed); a resize changes how many rows are in view.
        let scroll = window_event_listener(leptos::ev::scroll, move |_| this.measure());
        let resize = window_event_listener(leptos::ev::resize, move |_| this.measure());
        on_cleanup(move || {
            scroll.remove();
            resize.remove();
        });
        this
    }

    /// Index of the first rendered row, for the rows' `aria-rowindex`.
    pub fn first_rendered(self) -> usize {
        self.window.get().0
    }

    /// Height of the spacer standing in for the rows above the window.
    pub fn space_above(self) -> String {
        let (start, _) = self.window.get();
        pixels(start as f64 * self.geometry.with(|g| g.row_height))
    }

    /// Height of the spacer standing in for the rows below the window.
    pub fn space_below(self) -> String {
        let (_, end) = self.window.get();
        let below = self.len.get().saturating_sub(end);
        pixels(below as f64 * self.geometry.with(|g| g.row_height))
    }

    /// Reads where the table is in the window, the window's height and the rows' pitch; called on
    /// every `scroll` of the page and on resize.
    pub fn measure(self) {
        // Also called from a frame callback, which may run after the table has been disposed.
        if !self.is_virtual.try_get_untracked().unwrap_or(false) {
            return;
        }
        let (Some(Some(region)), Some(Some(body)), Some(old)) =
            (self.region.try_get_untracked(), self.body.try_get_untracked(), self.geometry.try_get_untracked())
        else {
            return;
        };
        // The layout viewport without a horizontal scrollbar: what the rows can be seen in.
        let window_height = document().document_element().map_or(0, |root| root.client_height());
        let new = Geometry {
            scroll_top: -region.get_bounding_client_rect().top(),
            // A document not laid out (a hidden frame) reports 0: keep the last useful height.
            viewport_height: if window_height > 0 { f64::from(window_height) } else { old.viewport_height },
            body_top: f64::from(body.offset_top()),
            row_height: row_pitch(&body).unwrap_or(old.row_height),
        };
        if new != old {
            self.geometry.set(new);
        }
        self.keep_focus_in_view(&region);
    }

    /// A focused link in a row that scrolls out of the window would vanish with its row and drop
    /// focus to the page; hand focus to the table's region first, so the keyboard stays in the
    /// table. Without scrolling: the region is as tall as the table and the reader is where they are.
    fn keep_focus_in_view(self, region: &HtmlElement) {
        let Some(active) = document().active_element() else { return };
        if active == **region || !region.contains(Some(&active)) {
            return;
        }
        let Some(index) = active
            .closest("tr[aria-rowindex]")
            .ok()
            .flatten()
            .and_then(|row| row.get_attribute("aria-rowindex"))
            .and_then(|index| index.parse::<usize>().ok())
            .and_then(|index| index.checked_sub(2))
        else {
            return;
        };
        let (start, end) = self.window.get_untracked();
        if !(start..end).contains(&index) {
            focus_without_scrolling(region);
        }
    }

    /// PageUp/PageDown/Home/End on the focused table region scroll the page by whole rows of the
    /// table: the browser's own paging knows neither the rows nor the sticky header. Keys pressed
    /// on a link or button inside a row keep the browser's meaning.
    pub fn on_keydown(self, event: &KeyboardEvent) {
        if !self.is_virtual.get_untracked()
            || event.alt_key()
            || event.ctrl_key()
            || event.meta_key()
            || event.shift_key()
        {
            return;
        }
        let Some(key) = PagingKey::from_key(&event.key()) else { return };
        let Some(region) = self.region.get_untracked() else { return };
        if event.target().as_ref() != Some(region.unchecked_ref()) {
            return;
        }
        event.prevent_default();
        self.measure();
        let geometry = self.geometry.get_untracked();
        // The furthest the table scrolls: its bottom edge at the window's bottom edge.
        let max_scroll = f64::from(region.offset_height()) - geometry.viewport_height;
        self.scroll_table_to(offset_after_key(key, &geometry, max_scroll));
    }

    /// Scrolls the page so the table's top edge is `offset` above the window's top edge (as far as
    /// the page scrolls), and renders the rows that brings into view.
    fn scroll_table_to(self, offset: f64) {
        let moved = offset - self.geometry.get_untracked().scroll_top;
        let page = window();
        let (x, y) = (page.scroll_x().unwrap_or(0.0), page.scroll_y().unwrap_or(0.0));
        page.scroll_to_with_x_and_y(x, (y + moved).round());
        self.measure();
    }

    /// Scrolls row `index` (task `id`) into view: in a long table the page first jumps to the
    /// row's computed position, which renders it; then the row itself is brought into view (rows
    /// taller than the measured pitch put it a little off the computed place).
    pub fn reveal(self, index: usize, id: String) {
        if self.is_virtual.get_untracked() && self.region.get_untracked().is_some() {
            self.measure();
            if let Some(offset) = offset_revealing(index, &self.geometry.get_untracked()) {
                self.scroll_table_to(offset);
            }
        }
        let body = self.body;
        // After the window has re-rendered, which happens before the next frame.
        request_animation_frame(move || {
            let Some(row) = body.try_get_untracked().flatten().and_then(|body| rendered_row(&body, &id)) else {
                return;
            };
            let options = ScrollIntoViewOptions::new();
            options.set_block(ScrollLogicalPosition::Nearest);
            row.scroll_into_view_with_scroll_into_view_options(&options);
        });
    }
}

/// Focuses `element` and leaves the page where it is.
pub(super) fn focus_without_scrolling(element: &HtmlElement) {
    let options = FocusOptions::new();
    options.set_prevent_scroll(true);
    _ = element.focus_with_options(&options);
}

/// `{value}px`, the number as JavaScript writes it: the same shortest digits as Rust's `{value}`
/// for any height a table has, without Rust's float formatter in the bundle (see [`crate::fixed`]).
fn pixels(value: f64) -> String {
    let number = js_sys::Number::from(value).to_string_with_radix(10).map(String::from);
    format!("{}px", number.unwrap_or_else(|_| "0".to_owned()))
}

/// Distance between consecutive rendered rows, from the first and last of them.
fn row_pitch(body: &HtmlElement) -> Option<f64> {
    let rows = body.query_selector_all("tr[aria-rowindex]").ok()?;
    let count = rows.length();
    if count < 2 {
        return None;
    }
    let top = |i| rows.item(i).and_then(|row| row.dyn_into::<HtmlElement>().ok()).map(|row| row.offset_top());
    let span = f64::from(top(count - 1)? - top(0)?);
    let pitch = span / f64::from(count - 1);
    (pitch > 0.0).then_some(pitch)
}

/// The rendered row of task `id`, compared as an attribute value since ids are server text.
fn rendered_row(body: &HtmlElement, id: &str) -> Option<web_sys::Element> {
    let rows = body.query_selector_all("tr[data-task-id]").ok()?;
    (0..rows.length())
        .filter_map(|i| rows.item(i)?.dyn_into::<web_sys::Element>().ok())
        .find(|row| row.get_attribute("data-task-id").as_deref() == Some(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 600 px window with a 40 px header and 50 px rows.
    fn at(scroll_top: f64) -> Geometry {
        Geometry { scroll_top, viewport_height: 600.0, body_top: 40.0, row_height: 50.0 }
    }

    #[test]
    fn small_tables_render_every_row_wherever_they_are_scrolled() {
        assert_eq!(rendered_range(0, &at(0.0)), (0, 0));
        assert_eq!(rendered_range(VIRTUALIZE_ABOVE, &at(3000.0)), (0, VIRTUALIZE_ABOVE));
    }

    #[test]
    fn long_tables_render_the_rows_in_view_plus_overscan() {
        // 600 / 50 = 12 rows in view, one more for a row cut at both edges.
        assert_eq!(rendered_range(10_000, &at(0.0)), (0, 13 + OVERSCAN));
        // At 250 000 px the row under the header's top edge is (250 000 − 40) / 50 → 4999.
        assert_eq!(rendered_range(10_000, &at(250_000.0)), (4999 - OVERSCAN, 4999 + 13 + OVERSCAN));
        assert_eq!(rendered_range(VIRTUALIZE_ABOVE + 1, &at(0.0)), (0, 13 + OVERSCAN));
    }

    #[test]
    fn a_table_lower_down_the_page_renders_its_first_rows_and_follows_the_page() {
        // The table starts 300 px below the window's top: its first rows are the ones in view.
        assert_eq!(rendered_range(10_000, &at(-300.0)), (0, 13 + OVERSCAN));
        assert_eq!(rendered_range(10_000, &at(-1e6)), (0, 13 + OVERSCAN));
        // Scrolled 1040 px past the table's top: rows from (1040 − 40) / 50 = 20 are in view.
        assert_eq!(rendered_range(10_000, &at(1040.0)), (20 - OVERSCAN, 20 + 13 + OVERSCAN));
    }

    #[test]
    fn an_offset_past_the_end_still_renders_the_last_screenful() {
        let (start, end) = rendered_range(1000, &at(1e9));
        assert_eq!(end, 1000);
        assert_eq!(start, 1000 - 13 - OVERSCAN);
    }

    #[test]
    fn revealing_moves_only_as_far_as_needed() {
        // Row 3 spans 190..240 and the view shows 40..600 below the header: no move.
        assert_eq!(offset_revealing(3, &at(0.0)), None);
        // Row 9000 is far below: its bottom edge goes to the viewport's bottom edge.
        assert_eq!(offset_revealing(9000, &at(0.0)), Some(40.0 + 9001.0 * 50.0 - 600.0));
        // Row 10 is above the view: its top goes just under the sticky header.
        assert_eq!(offset_revealing(10, &at(5000.0)), Some(500.0));
        // Half hidden under the header counts as hidden.
        assert_eq!(offset_revealing(10, &at(520.0)), Some(500.0));
    }

    #[test]
    fn paging_moves_by_whole_visible_rows_and_stays_in_range() {
        // (600 − 40) / 50 → 11 whole rows a page.
        assert_eq!(offset_after_key(PagingKey::PageDown, &at(0.0), 1e6), 550.0);
        assert_eq!(offset_after_key(PagingKey::PageUp, &at(550.0), 1e6), 0.0);
        // From between rows, PageDown counts from the partly hidden first row, PageUp from the next.
        assert_eq!(offset_after_key(PagingKey::PageDown, &at(620.0), 1e6), (12.0 + 11.0) * 50.0);
        assert_eq!(offset_after_key(PagingKey::PageUp, &at(620.0), 1e6), (13.0 - 11.0) * 50.0);
        assert_eq!(offset_after_key(PagingKey::PageUp, &at(100.0), 1e6), 0.0);
        assert_eq!(offset_after_key(PagingKey::PageDown, &at(9_900.0), 10_000.0), 10_000.0);
        assert_eq!(offset_after_key(PagingKey::Home, &at(9_900.0), 10_000.0), 0.0);
        assert_eq!(offset_after_key(PagingKey::End, &at(0.0), 10_000.0), 10_000.0);
    }

    #[test]
    fn a_viewport_shorter_than_a_row_still_pages() {
        let tiny = Geometry { viewport_height: 60.0, ..at(0.0) };
        assert_eq!(offset_after_key(PagingKey::PageDown, &tiny, 1e6), 50.0);
    }

    #[test]
    fn only_the_four_paging_keys_are_taken() {
        assert_eq!(PagingKey::from_key("PageDown"), Some(PagingKey::PageDown));
        assert_eq!(PagingKey::from_key("End"), Some(PagingKey::End));
        assert_eq!(PagingKey::from_key("ArrowDown"), None);
        assert_eq!(PagingKey::from_key(" "), None);
    }
}
