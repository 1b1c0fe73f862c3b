use leptos::prelude::*;

/// Where an offset/limit page stands in its result set. All the pager's arithmetic lives here,
/// away from the view, so it can be tested on its own.
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
        self.offset + self.step() < self.total
    }

    pub fn prev_offset(&self) -> u64 {
        self.offset.saturating_sub(self.step())
    }

    pub fn next_offset(&self) -> u64 {
        self.offset + self.step()
    }

    /// Offset of the last page's first row.
    pub fn last_offset(&self) -> u64 {
        (self.page_count() - 1) * self.step()
    }

    /// "21–40 of 95", or "0 of 0" when empty; an offset past the end shows "none of 95".
    pub fn range_label(&self) -> String {
        if self.total == 0 {
            return "0 of 0".to_owned();
        }
        if self.offset >= self.total {
            return format!("none of {}", self.total);
        }
        let last = (self.offset + self.step()).min(self.total);
        format!("{}–{} of {}", self.offset + 1, last, self.total)
    }
}

/// First / previous / next / last, the range shown, and the page-size choice.
#[component]
pub fn Pager(
    #[prop(into)] page: Signal<Option<OffsetPage>>,
    page_sizes: &'static [u32],
    #[prop(into)] on_offset: Callback<u64>,
    #[prop(into)] on_limit: Callback<u32>,
) -> impl IntoView {
    let with_page = move |f: fn(&OffsetPage) -> bool| page.with(|p| p.as_ref().is_some_and(f));
    let go = move |target: fn(&OffsetPage) -> u64| {
        if let Some(p) = page.get_untracked() {
            on_offset.run(target(&p));
        }
    };
    let current_limit = move || page.with(|p| p.map(|p| p.limit));
    view! {
        <nav class="pager" aria-label="Pages">
            <button type="button" class="button" aria-label="First page"
                disabled=move || !with_page(OffsetPage::has_prev) on:click=move |_| go(|_| 0)>"«"</button>
            <button type="button" class="button" aria-label="Previous page"
                disabled=move || !with_page(OffsetPage::has_prev) on:click=move |_| go(OffsetPage::prev_offset)>"‹ Prev"</button>
            <span class="pager-range" aria-live="polite">
                {move || page.get().map(|p| format!("{} · page {} of {}", p.range_label(), p.page_number(), p.page_count()))}
            </span>
            <button type="button" class="button" aria-label="Next page"
                disabled=move || !with_page(OffsetPage::has_next) on:click=move |_| go(OffsetPage::next_offset)>"Next ›"</button>
            <button type="button" class="button" aria-label="Last page"
                disabled=move || !with_page(OffsetPage::has_next) on:click=move |_| go(OffsetPage::last_offset)>"»"</button>
            <label class="pager-size">
                "Rows per page "
                <select on:change=move |ev| {
                    if let Ok(limit) = event_target_value(&ev).parse() {
                        on_limit.run(limit);
                    }
                }>
                    {page_sizes.iter().map(|size| view! {
                        <option value=size.to_string() selected=move || current_limit() == Some(*size)>{size.to_string()}</option>
                    }).collect_view()}
                </select>
            </label>
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::OffsetPage;

    fn page(offset: u64, limit: u32, total: u64) -> OffsetPage {
        OffsetPage { offset, limit, total }
    }

    #[test]
    fn counts_pages_and_ranges() {
        let p = page(20, 10, 95);
        assert_eq!((p.page_number(), p.page_count()), (3, 10));
        assert_eq!(p.range_label(), "21–30 of 95");
        assert_eq!(page(90, 10, 95).range_label(), "91–95 of 95");
        assert_eq!(page(0, 10, 0).range_label(), "0 of 0");
        assert_eq!(page(0, 10, 0).page_count(), 1);
        assert_eq!(page(200, 10, 95).range_label(), "none of 95");
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
    }

    #[test]
    fn a_zero_limit_does_not_divide_by_zero() {
        let p = page(0, 0, 5);
        assert_eq!(p.page_count(), 5);
        assert_eq!(p.next_offset(), 1);
    }
}
