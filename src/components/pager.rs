//! The one pager of every task list, for the three ways the clouds page a list:
//!
//! - [`OffsetPage`]: `offset`/`limit` with a total (CDN statistics exports, CLS `Offset`/`Limit`);
//! - [`NumberedPage`]: 1-based `page_number`/`page_size` with a total (CDN refresh/preheat
//!   history: `page_number` ≤ 65,535, `page_size` ≤ 10,000);
//! - [`MarkerPage`]: `marker` + `offset`, newest first (IoTDA): a page is what comes after the
//!   last id of the page before, so going back needs the stack of those ids ([`MarkerPosition`]),
//!   which lives in the URL query like any other paging state.
//!
//! Each style is a [`PageModel`]: plain arithmetic, tested on its own, that says what the pager
//! shows ([`PagerSummary`]) and where each button leads in the style's own terms
//! ([`PageModel::Target`]: an offset, a page number, a marker position). The [`Pager`] component
//! is a thin generic shell over one non-generic view.
//!
//! ```ignore
//! view! {
//!     <Pager page=list.page page_sizes=S::PAGE_SIZES
//!         on_offset=move |target| list.go_to(target) on_limit=move |size: u32| list.set_page_size(size)/>
//! }
//! ```

use crate::i18n::{self, Lists};
use export_desk_model::huawei_cdn::history::PAGE_NUMBER_MAX;
use export_desk_model::huawei_iotda::LIST_OFFSET_MAX;
use leptos::prelude::*;

/// A button of the pager.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageStep {
    First,
    Prev,
    Next,
    Last,
}

/// What the pager shows, whatever the paging style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagerSummary {
    pub has_prev: bool,
    pub has_next: bool,
    /// Whether "last" leads somewhere (only styles with [`PageModel::HAS_LAST`] show it).
    pub has_last: bool,
    /// The rows shown, among how many.
    pub range: PageRange,
    /// 1-based.
    pub page: u64,
    /// Pages in all, when the total is known.
    pub pages: Option<u64>,
    pub page_size: u32,
}

impl PagerSummary {
    /// "21–30 of 95 · page 3 of 10"; "11–20 · page 2" when the total is unknown.
    pub fn label(&self, t: &Lists) -> String {
        let page = match self.pages {
            Some(pages) => (t.page_of)(self.page, pages),
            None => (t.page)(self.page),
        };
        format!("{} · {page}", self.range.label(t))
    }
}

/// The rows a page shows, among how many.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageRange {
    /// Nothing to list at all: "0 of 0".
    Empty,
    /// No rows here (past the end): "none of 95"; "none" when the total is unknown.
    Nothing { total: Option<u64> },
    /// Rows `first` to `last`, 1-based: "21–30 of 95"; "21–30" when the total is unknown.
    Rows { first: u64, last: u64, total: Option<u64> },
}

impl PageRange {
    fn new(rows_before: u64, rows: u64, total: Option<u64>) -> Self {
        match total {
            Some(0) => PageRange::Empty,
            Some(total) if rows == 0 || rows_before >= total => PageRange::Nothing { total: Some(total) },
            Some(total) => {
                PageRange::Rows { first: rows_before + 1, last: (rows_before + rows).min(total), total: Some(total) }
            }
            None if rows == 0 => PageRange::Nothing { total: None },
            None => PageRange::Rows { first: rows_before + 1, last: rows_before + rows, total: None },
        }
    }

    pub fn label(self, t: &Lists) -> String {
        match self {
            PageRange::Empty => t.range_empty.to_owned(),
            PageRange::Nothing { total: Some(total) } => (t.range_none_of)(total),
            PageRange::Nothing { total: None } => t.range_none.to_owned(),
            PageRange::Rows { first, last, total: Some(total) } => (t.range_of)(first, last, total),
            PageRange::Rows { first, last, total: None } => (t.range)(first, last),
        }
    }
}

/// One paging style's arithmetic.
pub trait PageModel: Clone + Send + Sync + 'static {
    /// Where a button leads, in the style's own terms.
    type Target: Send + Sync + 'static;
    /// Whether the style can jump to the last page (marker paging cannot).
    const HAS_LAST: bool;
    fn summary(&self) -> PagerSummary;
    /// Where `step` leads; `None` when it leads nowhere.
    fn target(&self, step: PageStep) -> Option<Self::Target>;
}

// ---------------------------------------------------------------------------------------------
// offset / limit
// ---------------------------------------------------------------------------------------------

/// Where an offset/limit page stands in its result set. Moves target an offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OffsetPage {
    pub offset: u64,
    pub limit: u32,
    pub total: u64,
}

impl OffsetPage {
    fn step(&self) -> u64 {
        u64::from(self.limit.max(1))
    }

    /// Number of pages; an empty result still has one (empty) page.
    pub fn page_count(&self) -> u64 {
        self.total.div_ceil(self.step()).max(1)
    }

    /// 1-based number of the page `offset` falls on.
    pub fn page_number(&self) -> u64 {
        self.offset / self.step() + 1
    }

    pub fn has_prev(&self) -> bool {
        self.offset > 0
    }

    pub fn has_next(&self) -> bool {
        // Saturating: the offset comes from the URL, which may say anything.
        self.offset.saturating_add(self.step()) < self.total
    }

    /// One page back; from past the end, the last page.
    pub fn prev_offset(&self) -> u64 {
        self.offset.saturating_sub(self.step()).min(self.last_offset())
    }

    pub fn next_offset(&self) -> u64 {
        self.offset.saturating_add(self.step())
    }

    /// Offset of the last page's first row.
    pub fn last_offset(&self) -> u64 {
        (self.page_count() - 1) * self.step()
    }

    /// "21–40 of 95", or "0 of 0" when empty; an offset past the end shows "none of 95".
    pub fn range(&self) -> PageRange {
        let rows = self.total.saturating_sub(self.offset).min(self.step());
        PageRange::new(self.offset, rows, Some(self.total))
    }
}

impl PageModel for OffsetPage {
    type Target = u64;
    const HAS_LAST: bool = true;

    fn summary(&self) -> PagerSummary {
        PagerSummary {
            has_prev: self.has_prev(),
            has_next: self.has_next(),
            has_last: self.has_next(),
            range: self.range(),
            page: self.page_number(),
            pages: Some(self.page_count()),
            page_size: self.limit,
        }
    }

    fn target(&self, step: PageStep) -> Option<u64> {
        match step {
            PageStep::First | PageStep::Prev if !self.has_prev() => None,
            PageStep::Next | PageStep::Last if !self.has_next() => None,
            PageStep::First => Some(0),
            PageStep::Prev => Some(self.prev_offset()),
            PageStep::Next => Some(self.next_offset()),
            PageStep::Last => Some(self.last_offset()),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// page_number / page_size
// ---------------------------------------------------------------------------------------------

/// A 1-based page by number (CDN history). Moves target a page number, never above the API's
/// 65,535: rows beyond `65,535 × size` cannot be paged to (a larger page size reaches them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberedPage {
    /// 1-based; 0 reads as 1.
    pub number: u32,
    pub size: u32,
    pub total: u64,
}

impl NumberedPage {
    fn number(&self) -> u32 {
        self.number.max(1)
    }

    fn step(&self) -> u64 {
        u64::from(self.size.max(1))
    }

    /// Pages the API can reach: at least one, at most `PAGE_NUMBER_MAX`.
    pub fn page_count(&self) -> u32 {
        let pages = self.total.div_ceil(self.step()).max(1);
        u32::try_from(pages).unwrap_or(u32::MAX).min(PAGE_NUMBER_MAX)
    }

    pub fn has_prev(&self) -> bool {
        self.number() > 1
    }

    pub fn has_next(&self) -> bool {
        self.number() < self.page_count()
    }

    /// One page back; from past the end, the last page.
    pub fn prev_number(&self) -> u32 {
        (self.number() - 1).clamp(1, self.page_count())
    }

    pub fn range(&self) -> PageRange {
        let rows_before = u64::from(self.number() - 1) * self.step();
        let rows = self.total.saturating_sub(rows_before).min(self.step());
        PageRange::new(rows_before, rows, Some(self.total))
    }
}

impl PageModel for NumberedPage {
    type Target = u32;
    const HAS_LAST: bool = true;

    fn summary(&self) -> PagerSummary {
        PagerSummary {
            has_prev: self.has_prev(),
            has_next: self.has_next(),
            has_last: self.has_next(),
            range: self.range(),
            page: u64::from(self.number()),
            pages: Some(u64::from(self.page_count())),
            page_size: self.size,
        }
    }

    fn target(&self, step: PageStep) -> Option<u32> {
        match step {
            PageStep::First | PageStep::Prev if !self.has_prev() => None,
            PageStep::Next | PageStep::Last if !self.has_next() => None,
            PageStep::First => Some(1),
            PageStep::Prev => Some(self.prev_number()),
            PageStep::Next => Some(self.number() + 1),
            PageStep::Last => Some(self.page_count()),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// marker + offset
// ---------------------------------------------------------------------------------------------

/// Where a marker-paged list stands: the stack of markers (each the last id of a page before;
/// the top one is this page's `marker`) and `offset`, rows skipped after the top marker.
///
/// Next pushes the current page's last id, Prev pops it: marker pages do not shift when tasks
/// are created or deleted above them, which is why the API has markers. `offset` (capped at the
/// API's 500) is honoured when a link carries one and counts as pages after the top marker;
/// from such a page the pager keeps moving by offset while it stays within the cap, and by marker
/// beyond it (whence page numbers count from the marker stack again). The stack also moves by
/// offset once it holds [`MarkerPosition::MAX_MARKERS`], so the URL stays bounded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MarkerPosition {
    pub markers: Vec<String>,
    pub offset: u32,
}

impl MarkerPosition {
    /// Most markers kept (and put in a URL). IoTDA keeps at most 50 tasks per user, so even one
    /// row a page needs only 49.
    pub const MAX_MARKERS: usize = 100;
    /// The API's cap on `offset`.
    pub const OFFSET_MAX: u32 = LIST_OFFSET_MAX;

    /// The first page: no marker (the API's default, above every id), no offset.
    pub fn first() -> Self {
        Self::default()
    }

    /// Reads the position from URL query values: `markers` comma-separated (letters, digits,
    /// `-`, `_`), `offset` a number (capped at 500). A stack that is malformed or too long is
    /// dropped whole, offset included, since a page number built on part of it would be wrong:
    /// the list starts again at its first page.
    pub fn from_query(markers: Option<&str>, offset: Option<&str>) -> Self {
        let stack: Vec<String> =
            markers.filter(|m| !m.is_empty()).map(|m| m.split(',').map(str::to_owned).collect()).unwrap_or_default();
        let well_formed = stack.len() <= Self::MAX_MARKERS
            && stack
                .iter()
                .all(|m| !m.is_empty() && m.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        if !well_formed {
            return Self::first();
        }
        let offset = offset.and_then(|o| o.trim().parse::<u64>().ok()).unwrap_or(0);
        Self { markers: stack, offset: offset.min(u64::from(Self::OFFSET_MAX)) as u32 }
    }

    /// The `markers` query value, `None` on the first page.
    pub fn markers_query(&self) -> Option<String> {
        (!self.markers.is_empty()).then(|| self.markers.join(","))
    }

    /// The `offset` query value, `None` when 0.
    pub fn offset_query(&self) -> Option<String> {
        (self.offset > 0).then(|| self.offset.to_string())
    }

    /// The `marker` to request with (`None`: the API's default, the newest rows).
    pub fn marker(&self) -> Option<&str> {
        self.markers.last().map(String::as_str)
    }

    /// The `offset` to request with, within the API's cap.
    pub fn request_offset(&self) -> u32 {
        self.offset.min(Self::OFFSET_MAX)
    }
}

/// A loaded marker page: where it is and what the answer said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkerPage {
    pub position: MarkerPosition,
    pub limit: u32,
    /// Rows on this page.
    pub rows: u32,
    /// Matches in all (IoTDA's `page.count`), when the API gives it.
    pub total: Option<u64>,
    /// The answer's marker: this page's last id (`None` on an empty page).
    pub last_marker: Option<String>,
}

impl MarkerPage {
    fn step(&self) -> u32 {
        self.limit.max(1)
    }

    fn rows_before(&self) -> u64 {
        self.position.markers.len() as u64 * u64::from(self.step()) + u64::from(self.position.request_offset())
    }

    /// 1-based: one page per marker, and the offset's pages after the top one.
    pub fn page_number(&self) -> u64 {
        self.position.markers.len() as u64 + 1 + u64::from(self.position.request_offset().div_ceil(self.step()))
    }

    /// Pages in all, when the total is known.
    pub fn page_count(&self) -> Option<u64> {
        self.total.map(|total| total.div_ceil(u64::from(self.step())).max(1))
    }

    pub fn has_prev(&self) -> bool {
        !self.position.markers.is_empty() || self.position.offset > 0
    }

    /// A full page with a marker to go on from, unless the total says nothing follows.
    pub fn has_next(&self) -> bool {
        self.last_marker.is_some()
            && self.rows >= self.step()
            && self.total.is_none_or(|total| self.rows_before() + u64::from(self.rows) < total)
            && self.next_position().is_some()
    }

    fn next_position(&self) -> Option<MarkerPosition> {
        let position = &self.position;
        let offset_fits = position.offset + self.step() <= MarkerPosition::OFFSET_MAX;
        if offset_fits && (position.offset > 0 || position.markers.len() >= MarkerPosition::MAX_MARKERS) {
            return Some(MarkerPosition { markers: position.markers.clone(), offset: position.offset + self.step() });
        }
        if position.markers.len() >= MarkerPosition::MAX_MARKERS {
            return None;
        }
        let mut markers = position.markers.clone();
        markers.push(self.last_marker.clone()?);
        Some(MarkerPosition { markers, offset: 0 })
    }

    fn prev_position(&self) -> MarkerPosition {
        let position = &self.position;
        if position.offset > 0 {
            return MarkerPosition {
                markers: position.markers.clone(),
                offset: position.offset.saturating_sub(self.step()),
            };
        }
        let mut markers = position.markers.clone();
        markers.pop();
        MarkerPosition { markers, offset: 0 }
    }
}

impl PageModel for MarkerPage {
    type Target = MarkerPosition;
    const HAS_LAST: bool = false;

    fn summary(&self) -> PagerSummary {
        PagerSummary {
            has_prev: self.has_prev(),
            has_next: self.has_next(),
            has_last: false,
            range: PageRange::new(self.rows_before(), u64::from(self.rows), self.total),
            page: self.page_number(),
            pages: self.page_count(),
            page_size: self.limit,
        }
    }

    fn target(&self, step: PageStep) -> Option<MarkerPosition> {
        match step {
            PageStep::First | PageStep::Prev if !self.has_prev() => None,
            PageStep::First => Some(MarkerPosition::first()),
            PageStep::Prev => Some(self.prev_position()),
            PageStep::Next if self.has_next() => self.next_position(),
            PageStep::Next | PageStep::Last => None,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The component
// ---------------------------------------------------------------------------------------------

/// A reactive source of the current page, whichever kind of signal holds it. Leptos' generic
/// `into` conversion cannot tell the compiler which paging style a `Pager` has; these impls,
/// one per signal type, can.
pub trait PageSignal<P: Send + Sync + 'static> {
    fn into_page_signal(self) -> Signal<Option<P>>;
}

impl<P: Send + Sync + 'static> PageSignal<P> for Signal<Option<P>> {
    fn into_page_signal(self) -> Signal<Option<P>> {
        self
    }
}

impl<P: Send + Sync + 'static> PageSignal<P> for RwSignal<Option<P>> {
    fn into_page_signal(self) -> Signal<Option<P>> {
        self.into()
    }
}

impl<P: Send + Sync + 'static> PageSignal<P> for ReadSignal<Option<P>> {
    fn into_page_signal(self) -> Signal<Option<P>> {
        self.into()
    }
}

impl<P: PartialEq + Send + Sync + 'static> PageSignal<P> for Memo<Option<P>> {
    fn into_page_signal(self) -> Signal<Option<P>> {
        self.into()
    }
}

/// First / previous / next / last (where the style has a last page), the range shown, and the
/// page-size choice. `page` is any signal of an `Option` of one style's page ([`OffsetPage`],
/// [`NumberedPage`], [`MarkerPage`]; `None` while loading); `on_offset` gets where a button leads
/// in that style's terms (an offset, a page number, a [`MarkerPosition`]); `on_limit` the page
/// size chosen.
#[component]
pub fn Pager<P: PageModel, S: PageSignal<P>>(
    page: S,
    page_sizes: &'static [u32],
    #[prop(into)] on_offset: Callback<P::Target>,
    #[prop(into)] on_limit: Callback<u32>,
) -> impl IntoView {
    let t = &i18n::t().lists;
    let page = page.into_page_signal();
    // A derived signal (one boxed closure), memoised inside the view: one memo type for every
    // paging style instead of one a style (bundle size).
    let summary = Signal::derive(move || page.with(|p| p.as_ref().map(PageModel::summary)));
    let go = Callback::new(move |step: PageStep| {
        if let Some(target) = page.with_untracked(|p| p.as_ref().and_then(|p| p.target(step))) {
            on_offset.run(target);
        }
    });
    pager_view(t, summary, P::HAS_LAST, page_sizes, go, on_limit)
}

fn pager_view(
    t: &'static Lists,
    summary: Signal<Option<PagerSummary>>,
    has_last: bool,
    page_sizes: &'static [u32],
    go: Callback<PageStep>,
    on_limit: Callback<u32>,
) -> AnyView {
    let summary = Memo::new(move |_| summary.get());
    let enabled = move |f: fn(&PagerSummary) -> bool| summary.with(|s| s.as_ref().is_some_and(f));
    let current_size = move || summary.with(|s| s.as_ref().map(|s| s.page_size));
    view! {
        <nav class="pager" aria-label=t.pages>
            <button type="button" class="button" aria-label=t.first_page
                disabled=move || !enabled(|s| s.has_prev) on:click=move |_| go.run(PageStep::First)>"«"</button>
            <button type="button" class="button" aria-label=t.previous_page
                disabled=move || !enabled(|s| s.has_prev) on:click=move |_| go.run(PageStep::Prev)>{t.previous}</button>
            <span class="pager-range" aria-live="polite">
                {move || summary.with(|s| s.as_ref().map(|s| s.label(t)))}
            </span>
            <button type="button" class="button" aria-label=t.next_page
                disabled=move || !enabled(|s| s.has_next) on:click=move |_| go.run(PageStep::Next)>{t.next}</button>
            {has_last.then(|| view! {
                <button type="button" class="button" aria-label=t.last_page
                    disabled=move || !enabled(|s| s.has_last) on:click=move |_| go.run(PageStep::Last)>"»"</button>
            })}
            <label class="pager-size">
                {t.rows_per_page}
                <select on:change=move |ev| {
                    if let Ok(size) = event_target_value(&ev).parse() {
                        on_limit.run(size);
                    }
                }>
                    {page_sizes.iter().map(|size| view! {
                        <option value=size.to_string() selected=move || current_size() == Some(*size)>{size.to_string()}</option>
                    }).collect_view()}
                </select>
            </label>
        </nav>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::ZH_CN;

    const EN: &Lists = &crate::i18n::EN.lists;

    #[test]
    fn the_summary_reads_in_chinese_too() {
        let zh = &ZH_CN.lists;
        assert_eq!(page(20, 10, 95).summary().label(zh), "第 21–30 条，共 95 条 · 第 3/10 页");
        assert_eq!(page(0, 10, 0).summary().label(zh), "共 0 条 · 第 1/1 页");
        assert_eq!(page(200, 10, 95).range().label(zh), "无（共 95 条）");
        assert_eq!(marker_page(&["m1"], 0, 10, 10, None, Some("m2")).summary().label(zh), "第 11–20 条 · 第 2 页");
        assert_eq!(marker_page(&[], 0, 10, 0, None, None).summary().label(zh), "无 · 第 1 页");
    }

    fn page(offset: u64, limit: u32, total: u64) -> OffsetPage {
        OffsetPage { offset, limit, total }
    }

    #[test]
    fn counts_pages_and_ranges() {
        let p = page(20, 10, 95);
        assert_eq!((p.page_number(), p.page_count()), (3, 10));
        assert_eq!(p.range().label(EN), "21–30 of 95");
        assert_eq!(p.summary().label(EN), "21–30 of 95 · page 3 of 10");
        assert_eq!(page(90, 10, 95).range().label(EN), "91–95 of 95");
        assert_eq!(page(0, 10, 0).range().label(EN), "0 of 0");
        assert_eq!(page(0, 10, 0).page_count(), 1);
        assert_eq!(page(200, 10, 95).range().label(EN), "none of 95");
    }

    #[test]
    fn moves_stay_inside_the_result() {
        let first = page(0, 10, 95);
        assert!(!first.has_prev() && first.has_next());
        assert_eq!(first.next_offset(), 10);
        assert_eq!(first.last_offset(), 90);
        let last = page(90, 10, 95);
        assert!(last.has_prev() && !last.has_next());
        assert_eq!(last.prev_offset(), 80);
        assert_eq!(page(5, 10, 95).prev_offset(), 0);
        assert!(!page(0, 10, 10).has_next());
        assert_eq!(page(0, 10, 10).last_offset(), 0);
        assert_eq!(page(200, 10, 95).prev_offset(), 90, "back from past the end is the last page");
    }

    #[test]
    fn offset_targets_are_none_where_the_button_is_disabled() {
        let first = page(0, 10, 25);
        assert_eq!((first.target(PageStep::First), first.target(PageStep::Prev)), (None, None));
        assert_eq!((first.target(PageStep::Next), first.target(PageStep::Last)), (Some(10), Some(20)));
        let last = page(20, 10, 25);
        assert_eq!((last.target(PageStep::Next), last.target(PageStep::Last)), (None, None));
        assert_eq!((last.target(PageStep::First), last.target(PageStep::Prev)), (Some(0), Some(10)));
        let empty = page(0, 10, 0);
        assert!(!empty.summary().has_prev && !empty.summary().has_next);
    }

    #[test]
    fn a_zero_limit_does_not_divide_by_zero() {
        let p = page(0, 0, 5);
        assert_eq!(p.page_count(), 5);
        assert_eq!(p.next_offset(), 1);
        assert_eq!(numbered(1, 0, 5).page_count(), 5);
        assert_eq!(marker_page(&[], 0, 0, 0, Some(5), None).page_number(), 1);
    }

    fn numbered(number: u32, size: u32, total: u64) -> NumberedPage {
        NumberedPage { number, size, total }
    }

    #[test]
    fn numbered_pages_count_from_one() {
        let p = numbered(3, 30, 95);
        assert_eq!(p.page_count(), 4);
        assert_eq!(p.summary().label(EN), "61–90 of 95 · page 3 of 4");
        assert_eq!(numbered(4, 30, 95).range().label(EN), "91–95 of 95");
        assert_eq!(numbered(1, 30, 0).summary().label(EN), "0 of 0 · page 1 of 1");
        assert_eq!(numbered(9, 30, 95).range().label(EN), "none of 95");
        assert_eq!(numbered(0, 30, 95).summary().label(EN), "1–30 of 95 · page 1 of 4", "page 0 reads as 1");
    }

    #[test]
    fn numbered_moves_stay_within_the_result_and_the_api_limit() {
        let first = numbered(1, 30, 95);
        assert_eq!((first.target(PageStep::First), first.target(PageStep::Prev)), (None, None));
        assert_eq!((first.target(PageStep::Next), first.target(PageStep::Last)), (Some(2), Some(4)));
        let last = numbered(4, 30, 95);
        assert_eq!((last.target(PageStep::Next), last.target(PageStep::Last)), (None, None));
        assert_eq!((last.target(PageStep::First), last.target(PageStep::Prev)), (Some(1), Some(3)));
        assert_eq!(numbered(9, 30, 95).target(PageStep::Prev), Some(4), "back from past the end is the last page");
        // A full last page: no page after it.
        assert!(!numbered(2, 10, 20).has_next());

        // 10 rows a page over a million rows: the API stops at page 65,535.
        let huge = numbered(65_534, 10, 1_000_000);
        assert_eq!(huge.page_count(), PAGE_NUMBER_MAX);
        assert_eq!(huge.target(PageStep::Next), Some(65_535));
        assert_eq!(huge.target(PageStep::Last), Some(65_535));
        let at_limit = numbered(65_535, 10, 1_000_000);
        assert_eq!(at_limit.target(PageStep::Next), None);
        assert_eq!(at_limit.summary().label(EN), "655341–655350 of 1000000 · page 65535 of 65535");
        // The largest page size reaches every row the API can hold.
        assert_eq!(numbered(1, 10_000, 1_000_000).page_count(), 100);
    }

    fn marker_page(
        markers: &[&str],
        offset: u32,
        limit: u32,
        rows: u32,
        total: Option<u64>,
        last: Option<&str>,
    ) -> MarkerPage {
        MarkerPage {
            position: MarkerPosition { markers: markers.iter().map(|m| (*m).to_owned()).collect(), offset },
            limit,
            rows,
            total,
            last_marker: last.map(str::to_owned),
        }
    }

    #[test]
    fn next_pushes_the_last_id_and_prev_pops_it() {
        let first = marker_page(&[], 0, 10, 10, Some(25), Some("m1"));
        assert_eq!(first.summary().label(EN), "1–10 of 25 · page 1 of 3");
        assert!(!first.has_prev() && first.has_next());
        let second_at = first.target(PageStep::Next).unwrap();
        assert_eq!(second_at, MarkerPosition { markers: vec!["m1".into()], offset: 0 });
        assert_eq!(second_at.marker(), Some("m1"));

        let second = marker_page(&["m1"], 0, 10, 10, Some(25), Some("m2"));
        assert_eq!(second.summary().label(EN), "11–20 of 25 · page 2 of 3");
        let third_at = second.target(PageStep::Next).unwrap();
        assert_eq!(third_at.markers, ["m1", "m2"]);

        let third = marker_page(&["m1", "m2"], 0, 10, 5, Some(25), Some("m3"));
        assert_eq!(third.summary().label(EN), "21–25 of 25 · page 3 of 3");
        assert!(!third.has_next(), "a short page is the end");
        assert_eq!(third.target(PageStep::Next), None);
        assert_eq!(third.target(PageStep::Prev).unwrap().markers, ["m1"]);
        assert_eq!(third.target(PageStep::First), Some(MarkerPosition::first()));
        assert_eq!(third.target(PageStep::Last), None, "marker paging has no last page");
        assert!(!MarkerPage::HAS_LAST && !third.summary().has_last);
    }

    #[test]
    fn a_full_page_ends_the_list_when_the_total_says_so() {
        let exactly_full = marker_page(&["m1"], 0, 10, 10, Some(20), Some("m2"));
        assert!(!exactly_full.has_next());
        // Without a total a full page may have more after it; the page number stands alone.
        let unknown = marker_page(&["m1"], 0, 10, 10, None, Some("m2"));
        assert!(unknown.has_next());
        assert_eq!(unknown.summary().label(EN), "11–20 · page 2");
        assert_eq!(marker_page(&[], 0, 10, 0, None, None).summary().label(EN), "none · page 1");
    }

    #[test]
    fn empty_and_emptied_marker_pages() {
        let empty = marker_page(&[], 0, 10, 0, Some(0), None);
        assert_eq!(empty.summary().label(EN), "0 of 0 · page 1 of 1");
        assert!(!empty.has_prev() && !empty.has_next());
        // The rows after a marker were deleted meanwhile: nothing here, but the way back is open.
        let emptied = marker_page(&["m1", "m2"], 0, 10, 0, Some(12), None);
        assert_eq!(emptied.summary().label(EN), "none of 12 · page 3 of 2");
        assert!(emptied.has_prev() && !emptied.has_next());
        assert_eq!(emptied.target(PageStep::Prev).unwrap().markers, ["m1"]);
    }

    #[test]
    fn an_offset_from_a_link_counts_as_pages_and_moves_by_offset_within_the_cap() {
        let p = marker_page(&["m1"], 20, 10, 10, Some(100), Some("m4"));
        assert_eq!(p.page_number(), 4);
        assert_eq!(p.summary().label(EN), "31–40 of 100 · page 4 of 10");
        assert_eq!(p.target(PageStep::Next), Some(MarkerPosition { markers: vec!["m1".into()], offset: 30 }));
        assert_eq!(p.target(PageStep::Prev), Some(MarkerPosition { markers: vec!["m1".into()], offset: 10 }));
        // An offset that is not a whole number of pages goes back to the marker's own page.
        let odd = marker_page(&[], 5, 10, 10, Some(100), Some("x"));
        assert_eq!(odd.page_number(), 2);
        assert_eq!(odd.target(PageStep::Prev), Some(MarkerPosition::first()));
        // At the cap the pager moves on by marker again.
        let capped = marker_page(&[], 500, 50, 50, Some(1000), Some("m11"));
        assert_eq!(capped.target(PageStep::Next), Some(MarkerPosition { markers: vec!["m11".into()], offset: 0 }));
    }

    #[test]
    fn the_stack_is_bounded_and_then_moves_by_offset() {
        let full: Vec<String> = (0..MarkerPosition::MAX_MARKERS).map(|i| format!("m{i}")).collect();
        let full_refs: Vec<&str> = full.iter().map(String::as_str).collect();
        let at_cap = marker_page(&full_refs, 0, 50, 50, None, Some("last"));
        let next = at_cap.target(PageStep::Next).unwrap();
        assert_eq!((next.markers.len(), next.offset), (MarkerPosition::MAX_MARKERS, 50));
        let exhausted = marker_page(&full_refs, 500, 50, 50, None, Some("last"));
        assert!(!exhausted.has_next() && exhausted.target(PageStep::Next).is_none());
    }

    #[test]
    fn positions_round_trip_through_the_url_query() {
        let position = MarkerPosition { markers: vec!["5f1d0a2b3c4d5e6f7a8b9c0d".into(), "m-2_b".into()], offset: 20 };
        let (markers, offset) = (position.markers_query(), position.offset_query());
        assert_eq!(markers.as_deref(), Some("5f1d0a2b3c4d5e6f7a8b9c0d,m-2_b"));
        assert_eq!(MarkerPosition::from_query(markers.as_deref(), offset.as_deref()), position);
        let first = MarkerPosition::first();
        assert_eq!((first.markers_query(), first.offset_query(), first.marker()), (None, None, None));
        assert_eq!(MarkerPosition::from_query(None, None), first);
        assert_eq!(MarkerPosition::from_query(Some(""), Some("")), first);
    }

    #[test]
    fn the_url_offset_is_capped_at_500_and_bad_stacks_start_over() {
        assert_eq!(MarkerPosition::from_query(None, Some("9999")).offset, 500);
        assert_eq!(MarkerPosition::from_query(None, Some("-1")).offset, 0);
        assert_eq!(MarkerPosition::from_query(Some("a,b"), Some("x")).offset, 0);
        assert_eq!(MarkerPosition::from_query(Some("a,,b"), Some("20")), MarkerPosition::first());
        assert_eq!(MarkerPosition::from_query(Some("a,b c"), None), MarkerPosition::first());
        assert_eq!(MarkerPosition::from_query(Some("a%2Cb"), None), MarkerPosition::first());
        let too_many = vec!["m"; MarkerPosition::MAX_MARKERS + 1].join(",");
        assert_eq!(MarkerPosition::from_query(Some(&too_many), None), MarkerPosition::first());
        let position = MarkerPosition { markers: vec![], offset: 900 };
        assert_eq!(position.request_offset(), 500, "a hand-built position is capped when requested");
    }
}
