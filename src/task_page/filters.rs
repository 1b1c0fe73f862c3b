//! Filters as data: what a kind declares its list can be filtered by ([`Filters`], from
//! [`ListSource::filters`](super::ListSource::filters)), and how the values typed in the bar become
//! URL changes. The bar that shows them is [`super::filter_bar`].
//!
//! - A [`FilterKind::Text`] applies (trimmed) with the submit button, so typing sends no request
//!   per key; a [`FilterKind::Choice`] with it, or at once; a [`FilterKind::Time`] (typed in the
//!   zone chosen in Settings, epoch milliseconds in the URL) at once, when it changes.
//! - A control shows the value in force: one the URL carries but the list would ignore (not one of
//!   the choices, half of a pair) shows as the default the list falls back to.
//! - [`Filter::enabled_when`]: a filter that only means something beside another's value; while
//!   disabled it keeps what was typed and applies as absent.
//! - [`Filter::paired_with`]: two filters the API takes only together (a sort field and its
//!   direction): changing one applies both, and one without the other counts as neither.
//! - [`Filters::check`]: a rule over the whole bar (the model's own validation, a date range),
//!   run on the URL values about to be applied. What it finds is shown beside the filters it
//!   names and nothing is applied; a submit also moves the focus to the first of them.
//!
//! ```ignore
//! impl ListSource for StatsList {
//!     const FILTER_KEYS: &'static [&'static str] = &["task_id", "task_name"];
//!     fn filters(t: &'static Catalogue) -> Filters {
//!         let words = &t.cdn_stats;
//!         Filters::new("filters", vec![
//!             Filter::text("task_id", "filter-task-id", words.filter_task_id, words.exact_id),
//!             Filter::text("task_name", "filter-task-name", words.filter_name, words.part_of_name),
//!         ], t)
//!         .buttons(Some(words.filter), t.lists.clear)
//!     }
//!     /* … */
//! }
//! ```

use crate::components::time::{local_input_to_ms, ms_to_local_input};
use crate::components::FieldMessages;
use crate::i18n::Catalogue;
use export_desk_model::validation::{Naming, Rule, Violations};

/// URL changes: `(key, None)` removes the key.
pub type UrlChanges = Vec<(&'static str, Option<String>)>;

/// A rule over a whole bar: what it finds wrong, by URL key, in the words of the catalogue given.
pub type FilterCheck = fn(&FilterValues, &'static Catalogue) -> Result<(), Violations>;

/// Everything a filter bar shows and how it applies. Built by
/// [`ListSource::filters`](super::ListSource::filters).
#[derive(Clone)]
pub struct Filters {
    /// The classes of the `<form>`, e.g. `"filters purge-filters"`.
    pub class: &'static str,
    pub filters: Vec<Filter>,
    /// The submit button's text ("Filter", "Search"); `None` when every filter applies at once.
    pub submit: Option<&'static str>,
    /// The text of the button that takes every filter away ("Clear", "Clear filters").
    pub clear: &'static str,
    /// A rule over the whole bar, given the URL values about to be applied. Its violations name
    /// filters by URL key.
    pub check: Option<FilterCheck>,
    /// The words of the language the bar is shown in (its own messages, and the check's).
    pub t: &'static Catalogue,
}

/// One filter: a URL key and the control that sets it.
#[derive(Clone)]
pub struct Filter {
    /// The key in the URL's query.
    pub key: &'static str,
    /// The control's DOM id (its error line is `{id}-error`).
    pub id: &'static str,
    /// The control's label; a time's gets the zone after it.
    pub label: &'static str,
    pub kind: FilterKind,
    /// Enabled only while the filter with this key holds this value.
    pub enabled_when: Option<(&'static str, &'static str)>,
    /// The key of the filter this one travels with.
    pub paired_with: Option<&'static str>,
}

#[derive(Clone)]
pub enum FilterKind {
    /// Typed text, applied trimmed with the submit button.
    Text { placeholder: &'static str },
    /// One of `options` (URL value, label); `default` is what no value in the URL means.
    Choice { options: Vec<(&'static str, &'static str)>, default: &'static str, at_once: bool },
    /// A date and time in the zone chosen in Settings, epoch milliseconds in the URL; applied
    /// when it changes.
    Time,
}

/// The values a bar is about to put in the URL, by key (`None`: absent), for [`Filters::check`].
#[derive(Debug, Clone, PartialEq)]
pub struct FilterValues(Vec<(&'static str, Option<String>)>);

impl FilterValues {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| *k == key).and_then(|(_, v)| v.as_deref())
    }
}

impl Filters {
    /// A bar of `filters` with a "Clear" button, no submit button (see [`Filters::buttons`]) and
    /// no check, in the words of `t`.
    pub fn new(class: &'static str, filters: Vec<Filter>, t: &'static Catalogue) -> Self {
        Self { class, filters, submit: None, clear: t.lists.clear, check: None, t }
    }

    pub fn buttons(self, submit: Option<&'static str>, clear: &'static str) -> Self {
        Self { submit, clear, ..self }
    }

    pub fn check(self, check: FilterCheck) -> Self {
        Self { check: Some(check), ..self }
    }

    pub(super) fn index(&self, key: &str) -> Option<usize> {
        self.filters.iter().position(|filter| filter.key == key)
    }

    /// Each filter's URL value as the list reads it: `None` when absent, not one the filter can
    /// hold, or half of a pair.
    fn in_force(&self, url: &dyn Fn(&str) -> Option<String>) -> Vec<Option<String>> {
        let own: Vec<Option<String>> = self.filters.iter().map(|filter| filter.read(url)).collect();
        self.filters
            .iter()
            .zip(&own)
            .map(|(filter, value)| {
                let partner_missing =
                    filter.paired_with.and_then(|key| self.index(key)).is_some_and(|i| own[i].is_none());
                value.clone().filter(|_| !partner_missing)
            })
            .collect()
    }

    /// What `found` says beside each filter, in `t`'s language. The fields a rule names are named
    /// by their filters' labels in quotes (must not be before “Created from”), as a filter's label
    /// is a phrase.
    pub fn messages(&self, found: &Violations, t: &'static Catalogue) -> FieldMessages {
        let quoted: Vec<(&'static str, String)> =
            self.filters.iter().map(|filter| (filter.key, format!("“{}”", filter.label))).collect();
        let label = |key: &'static str| -> &str {
            quoted.iter().find(|(k, _)| *k == key).map_or(key, |(_, label)| label.as_str())
        };
        let naming = Naming { field: &label, beside_field: true };
        FieldMessages(found.iter().map(|v| (v.field, v.rule.text(t.rules.words, &naming))).collect())
    }

    /// What each control shows for the URL: the value in force, else the default.
    pub fn shown(&self, url: &dyn Fn(&str) -> Option<String>) -> Vec<String> {
        self.filters.iter().zip(self.in_force(url)).map(|(filter, value)| filter.show(value)).collect()
    }

    /// The URL changes that apply `typed` (what each control holds): every filter (`changed:
    /// None`, the submit button), or the one changed at once with the filter it is paired with
    /// (and, for a time, with the other times).
    /// The others keep the URL's values. `Err`: a time that is not one, or what the check found;
    /// nothing is applied then.
    pub fn changes(
        &self,
        typed: &[String],
        url: &dyn Fn(&str) -> Option<String>,
        changed: Option<usize>,
    ) -> Result<UrlChanges, Violations> {
        let applied: Vec<usize> = match changed {
            None => (0..self.filters.len()).collect(),
            // A time applies with the other times typed: a range's two ends travel together, so an
            // end refused before (say, before its start) is not lost when the other end changes.
            Some(i) => (0..self.filters.len())
                .filter(|&j| {
                    j == i
                        || self.filters[i].paired_with.and_then(|key| self.index(key)) == Some(j)
                        || (matches!(self.filters[i].kind, FilterKind::Time)
                            && matches!(self.filters[j].kind, FilterKind::Time))
                })
                .collect(),
        };
        let mut violations = Violations::default();
        let mut values = self.in_force(url);
        for &i in &applied {
            let filter = &self.filters[i];
            values[i] = filter.url_value(&typed[i]).unwrap_or_else(|problem| {
                violations.push(filter.key, problem);
                None
            });
        }
        let enabled: Vec<bool> = self
            .filters
            .iter()
            .map(|filter| match filter.enabled_when {
                None => true,
                Some((key, wanted)) => self.index(key).is_some_and(|j| values[j].as_deref() == Some(wanted)),
            })
            .collect();
        for (value, enabled) in values.iter_mut().zip(enabled) {
            if !enabled {
                *value = None;
            }
        }
        let values = FilterValues(self.filters.iter().map(|filter| filter.key).zip(values).collect());
        if let (true, Some(check)) = (violations.is_empty(), self.check) {
            check(&values, self.t)?;
        }
        violations.into_result(applied.iter().map(|&i| values.0[i].clone()).collect())
    }
}

impl Filter {
    /// A text filter, applied with the submit button.
    pub fn text(key: &'static str, id: &'static str, label: &'static str, placeholder: &'static str) -> Self {
        Self::new(key, id, label, FilterKind::Text { placeholder })
    }

    /// A choice among `options` (URL value, label), applied with the submit button; the first
    /// option is the default.
    pub fn choice(
        key: &'static str,
        id: &'static str,
        label: &'static str,
        options: impl IntoIterator<Item = (&'static str, &'static str)>,
    ) -> Self {
        let options: Vec<_> = options.into_iter().collect();
        let default = options.first().map_or("", |(value, _)| *value);
        Self::new(key, id, label, FilterKind::Choice { options, default, at_once: false })
    }

    /// A date and time, applied when it changes.
    pub fn time(key: &'static str, id: &'static str, label: &'static str) -> Self {
        Self::new(key, id, label, FilterKind::Time)
    }

    fn new(key: &'static str, id: &'static str, label: &'static str, kind: FilterKind) -> Self {
        Self { key, id, label, kind, enabled_when: None, paired_with: None }
    }

    /// A choice that applies as soon as it is made.
    pub fn at_once(mut self) -> Self {
        if let FilterKind::Choice { at_once, .. } = &mut self.kind {
            *at_once = true;
        }
        self
    }

    /// A choice whose absence means `value` rather than its first option.
    pub fn default_value(mut self, value: &'static str) -> Self {
        if let FilterKind::Choice { default, .. } = &mut self.kind {
            *default = value;
        }
        self
    }

    pub fn enabled_when(self, key: &'static str, value: &'static str) -> Self {
        Self { enabled_when: Some((key, value)), ..self }
    }

    pub fn paired_with(self, key: &'static str) -> Self {
        Self { paired_with: Some(key), ..self }
    }

    /// This filter's URL value, if it is one the filter can hold.
    fn read(&self, url: &dyn Fn(&str) -> Option<String>) -> Option<String> {
        let value = url(self.key)?;
        match &self.kind {
            FilterKind::Text { .. } => Some(value),
            FilterKind::Choice { options, .. } => options.iter().any(|(option, _)| *option == value).then_some(value),
            FilterKind::Time => value.parse::<u64>().is_ok().then_some(value),
        }
    }

    /// What the control shows for a URL value in force.
    fn show(&self, value: Option<String>) -> String {
        match (&self.kind, value) {
            (FilterKind::Choice { default, .. }, None) => (*default).to_owned(),
            (_, None) => String::new(),
            (FilterKind::Time, Some(ms)) => ms.parse().map(ms_to_local_input).unwrap_or_default(),
            (_, Some(value)) => value,
        }
    }

    /// The URL value a control's content stands for (`None`: none), or what is wrong with it.
    fn url_value(&self, typed: &str) -> Result<Option<String>, Rule> {
        let typed = typed.trim();
        match &self.kind {
            _ if typed.is_empty() => Ok(None),
            FilterKind::Time => local_input_to_ms(typed).map(|ms| Some(ms.to_string())).ok_or(Rule::NotADateTime),
            _ => Ok(Some(typed.to_owned())),
        }
    }

    pub(super) fn applies_at_once(&self) -> bool {
        match self.kind {
            FilterKind::Text { .. } => false,
            FilterKind::Choice { at_once, .. } => at_once,
            FilterKind::Time => true,
        }
    }
}

/// The options of a choice among a provider enum's values: `(wire value, label)` each.
///
/// ```ignore
/// Filter::choice("status", "filter-status", "Status", std::iter::once(("", "Any")).chain(wire_options!(TaskStatus)))
/// ```
#[macro_export]
macro_rules! wire_options {
    ($enum:ty) => {
        <$enum>::ALL.iter().map(|value| (value.as_str(), value.label()))
    };
}
pub use wire_options;

#[cfg(test)]
mod tests {
    use super::*;

    /// A bar with one filter of every sort: text, a scoped text, choices at once and on submit,
    /// a pair, times, and a rule across them.
    fn bar() -> Filters {
        // A rule across filters: "done" needs a start, wherever the start comes from.
        fn done_needs_a_start(values: &FilterValues, _: &'static Catalogue) -> Result<(), Violations> {
            let mut violations = Violations::default();
            if values.get("status") == Some("done") && values.get("from").is_none() {
                violations.push("from", Rule::RequiredWith { other: "status" });
            }
            violations.into_result(())
        }
        Filters::new(
            "filters",
            vec![
                Filter::text("name", "f-name", "Name", "part of it"),
                Filter::choice("scope", "f-scope", "Scope", [("", "All"), ("APP", "One app")]),
                Filter::text("app", "f-app", "App", "").enabled_when("scope", "APP"),
                Filter::choice("status", "f-status", "Status", [("", "Any"), ("done", "Done")]).at_once(),
                Filter::choice("field", "f-field", "Sort by", [("total", "Total"), ("time", "Time")])
                    .default_value("time")
                    .at_once()
                    .paired_with("order"),
                Filter::choice("order", "f-order", "Order", [("asc", "Up"), ("desc", "Down")])
                    .default_value("desc")
                    .at_once()
                    .paired_with("field"),
                Filter::time("from", "f-from", "From"),
                Filter::time("to", "f-to", "To"),
            ],
            &crate::i18n::EN,
        )
        .buttons(Some("Filter"), "Clear")
        .check(done_needs_a_start)
    }

    fn url_of<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |key| pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| (*v).to_owned())
    }

    fn typed(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| (*v).to_owned()).collect()
    }

    #[test]
    fn the_controls_show_the_values_in_force_and_defaults_for_the_rest() {
        let from = 1_700_000_000_000_i64;
        let from_text = from.to_string();
        let shown = bar().shown(&url_of(&[
            ("name", "uv_"),
            ("scope", "GLOBAL"),
            ("status", "done"),
            ("field", "total"),
            ("from", &from_text),
            ("to", "yesterday"),
        ]));
        assert_eq!(
            shown,
            typed(&["uv_", "", "", "done", "time", "desc", &ms_to_local_input(from), ""]),
            "an unknown choice, a sort field without its direction and a time that is not one show as the defaults"
        );
        let paired = bar().shown(&url_of(&[("field", "total"), ("order", "asc")]));
        assert_eq!(&paired[4..6], &typed(&["total", "asc"])[..]);
    }

    #[test]
    fn submit_applies_every_filter_trimmed_and_a_disabled_one_as_absent() {
        let bar = bar();
        let changes = bar.changes(&typed(&["  uv_ ", "", "app-1", "", "time", "desc", "", ""]), &url_of(&[]), None);
        assert_eq!(
            changes.unwrap(),
            vec![
                ("name", Some("uv_".to_owned())),
                ("scope", None),
                ("app", None),
                ("status", None),
                ("field", Some("time".to_owned())),
                ("order", Some("desc".to_owned())),
                ("from", None),
                ("to", None),
            ]
        );
        let scoped =
            bar.changes(&typed(&["", "APP", "app-1", "", "time", "desc", "", ""]), &url_of(&[]), None).unwrap();
        assert_eq!(scoped[2], ("app", Some("app-1".to_owned())), "enabled by its scope, the app id goes");
    }

    #[test]
    fn a_change_at_once_applies_that_filter_and_its_pair_only() {
        let bar = bar();
        let url = url_of(&[("name", "kept"), ("from", "1700000000000")]);
        // Typed but not submitted: the name box says "half-typed"; the status changes at once.
        let now = typed(&["half-typed", "", "", "done", "time", "desc", "", ""]);
        assert_eq!(bar.changes(&now, &url, Some(3)).unwrap(), vec![("status", Some("done".to_owned()))]);
        let sort = typed(&["", "", "", "", "total", "desc", "", ""]);
        assert_eq!(
            bar.changes(&sort, &url, Some(4)).unwrap(),
            vec![("field", Some("total".to_owned())), ("order", Some("desc".to_owned()))],
            "the API takes a sort field only with its direction"
        );
    }

    #[test]
    fn a_time_applies_as_epoch_milliseconds() {
        let bar = bar();
        // A whole minute: what a datetime-local input holds.
        let to = 1_700_003_580_000_i64;
        let mut now = bar.shown(&url_of(&[]));
        now[7] = ms_to_local_input(to);
        assert_eq!(
            bar.changes(&now, &url_of(&[]), Some(7)).unwrap(),
            vec![("from", None), ("to", Some(to.to_string()))]
        );
        now[7] = "not a time".to_owned();
        let refused = bar.changes(&now, &url_of(&[]), Some(7)).unwrap_err();
        assert_eq!(refused.for_field("to"), Some(&Rule::NotADateTime));
        assert_eq!(bar.messages(&refused, &crate::i18n::EN).for_field("to"), Some("is not a valid date and time"));
        assert_eq!(bar.messages(&refused, &crate::i18n::ZH_CN).for_field("to"), Some("不是有效的日期和时间"));
        now[7] = String::new();
        assert_eq!(
            bar.changes(&now, &url_of(&[]), Some(7)).unwrap(),
            vec![("from", None), ("to", None)],
            "emptied, its key goes"
        );
    }

    #[test]
    fn a_time_applies_with_the_other_times_typed_so_no_end_of_a_range_is_lost() {
        let bar = bar();
        let (day, start) = (86_400_000_i64, 1_700_000_040_000_i64);
        let (start_text, end_text) = (start.to_string(), (start + 10 * day).to_string());
        let pairs = [("from", start_text.as_str()), ("to", end_text.as_str())];
        let url = url_of(&pairs);
        // The start was moved past the end before (and refused by the page's range rule); now the
        // end moves past it too: both ends as typed go, not the URL's old start.
        let mut now = bar.shown(&url);
        now[6] = ms_to_local_input(start + 15 * day);
        now[7] = ms_to_local_input(start + 20 * day);
        assert_eq!(
            bar.changes(&now, &url, Some(7)).unwrap(),
            vec![("from", Some((start + 15 * day).to_string())), ("to", Some((start + 20 * day).to_string()))]
        );
    }

    #[test]
    fn the_check_sees_the_values_the_url_would_hold_and_holds_back_what_breaks_it() {
        let bar = bar();
        let mut now = bar.shown(&url_of(&[]));
        now[3] = "done".to_owned();
        let refused = bar.changes(&now, &url_of(&[]), Some(3)).unwrap_err();
        assert_eq!(refused.for_field("from"), Some(&Rule::RequiredWith { other: "status" }));
        let status =
            bar.filters.iter().find(|filter| filter.key == "status").map(|filter| filter.label).unwrap_or_default();
        let said = bar.messages(&refused, &crate::i18n::EN);
        assert_eq!(
            said.for_field("from"),
            Some(format!("is required when “{status}” is given (they go together)").as_str()),
            "the other filter by its label"
        );
        // The start already in the URL counts, though this change does not apply it.
        let with_start = url_of(&[("from", "1700000000000")]);
        assert_eq!(bar.changes(&now, &with_start, Some(3)).unwrap(), vec![("status", Some("done".to_owned()))]);
    }
}
