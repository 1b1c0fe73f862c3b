//! [`FilterBar`]: the one filter bar above every task list, showing the filters a kind declares
//! ([`Filters`], from [`ListSource::filters`]), keeping its controls in step with the URL
//! (back button, "Clear", a shared link) and applying them to it, from the first page. What a
//! filter means and how typed values become URL changes is data, in [`super::filters`]; this file
//! is the view over it.
//!
//! The view is not generic: one copy in the bundle serves every kind. [`TaskFilterBar`] is the
//! thin generic shell that wires it to a [`TaskList`].
//!
//! ```ignore
//! view! { <TaskFilterBar list=list/> }
//! // or, without a list:
//! view! { <FilterBar filters=S::filters(t) on_apply=move |changes: UrlChanges| /* … */ on_clear=move || /* … */ /> }
//! ```

use super::filters::{FilterKind, Filters, UrlChanges};
use super::list::TaskList;
use super::source::ListSource;
use crate::components::time::zone_name;
use crate::components::{focus_first_invalid, Field, FieldMessages};
use crate::hooks::{effect, use_url_query};
use crate::i18n;
use leptos::prelude::*;

/// A list's filter bar, wired to the list: applying a filter shows the first page.
#[component]
pub fn TaskFilterBar<S: ListSource>(list: TaskList<S>) -> impl IntoView {
    view! {
        <FilterBar
            filters=S::filters(i18n::t())
            on_apply=move |changes: UrlChanges| list.apply_filters(changes)
            on_clear=move || list.clear_filters()
        />
    }
}

/// The bar itself. `on_apply` gets the URL changes of the filters applied; `on_clear` takes
/// every filter away.
#[component]
pub fn FilterBar(
    filters: Filters,
    #[prop(into)] on_apply: Callback<UrlChanges>,
    #[prop(into)] on_clear: Callback<()>,
) -> impl IntoView {
    let url = StoredValue::new(use_url_query());
    let (class, submit_label, clear_label, t) = (filters.class, filters.submit, filters.clear, filters.t);
    let read_url = move |filters: &Filters| url.with_value(|url| filters.shown(&|key| url.get(key)));
    let values: Vec<RwSignal<String>> = untrack(|| read_url(&filters)).into_iter().map(RwSignal::new).collect();
    let values = StoredValue::new(values);
    let errors = RwSignal::new(FieldMessages::default());
    let rules_in = crate::i18n::t();
    let filters = StoredValue::new(filters);
    // The controls follow the URL; what they found wrong was about values no longer shown.
    effect(move || {
        let shown = filters.with_value(read_url);
        values.with_value(|values| values.iter().zip(shown).for_each(|(value, shown)| value.set(shown)));
        errors.set(FieldMessages::default());
    });
    let apply = move |changed: Option<usize>| {
        let typed: Vec<String> = values.with_value(|values| values.iter().map(|value| value.get_untracked()).collect());
        let changes =
            filters.with_value(|filters| url.with_value(|url| filters.changes(&typed, &|key| url.get(key), changed)));
        match changes {
            Ok(changes) => {
                errors.set(FieldMessages::default());
                on_apply.run(changes);
            }
            Err(found) => {
                errors.set(filters.with_value(|filters| filters.messages(&found, rules_in)));
                if changed.is_none() {
                    focus_first_invalid();
                }
            }
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        apply(None);
    };
    let clear = move |_| {
        errors.set(FieldMessages::default());
        on_clear.run(());
    };
    let controls = filters.with_value(|filters| {
        filters
            .filters
            .iter()
            .enumerate()
            .map(|(i, filter)| {
                let value = values.with_value(|values| values[i]);
                let enabled_by = filter.enabled_when.and_then(|(key, wanted)| {
                    let j = filters.index(key)?;
                    Some((values.with_value(|values| values[j]), wanted))
                });
                let control = FilterControl {
                    id: filter.id,
                    key: filter.key,
                    value,
                    errors,
                    disabled: Signal::derive(move || {
                        enabled_by.is_some_and(|(other, wanted)| other.with(|v| v != wanted))
                    }),
                    on_change: Callback::new({
                        let at_once = filter.applies_at_once();
                        move |()| {
                            if at_once {
                                apply(Some(i));
                            }
                        }
                    }),
                };
                let label = match filter.kind {
                    FilterKind::Time => (t.time.in_zone)(filter.label, &zone_name()),
                    _ => filter.label.to_owned(),
                };
                let error = Signal::derive({
                    let key = filter.key;
                    move || errors.with(|errors| errors.for_field(key).map(str::to_owned))
                });
                let control = control.view(&filter.kind);
                view! { <Field label=label id=filter.id error=error>{control}</Field> }
            })
            .collect_view()
    });
    view! {
        <form class=class role="search" on:submit=submit novalidate=true>
            {controls}
            <div class="filter-buttons">
                {submit_label.map(|label| view! { <button type="submit" class="button">{label}</button> })}
                <button type="button" class="button subtle" on:click=clear>{clear_label}</button>
            </div>
        </form>
    }
}

/// What one control is bound to.
#[derive(Clone, Copy)]
struct FilterControl {
    id: &'static str,
    key: &'static str,
    value: RwSignal<String>,
    errors: RwSignal<FieldMessages>,
    disabled: Signal<bool>,
    /// Runs when a choice or a time changes (a text box applies with the submit button).
    on_change: Callback<()>,
}

impl FilterControl {
    fn view(self, kind: &FilterKind) -> AnyView {
        let Self { id, key, value, errors, disabled, on_change } = self;
        let invalid = move || errors.with(|errors| errors.for_field(key).is_some()).to_string();
        let described_by = format!("{id}-error");
        match kind {
            FilterKind::Text { placeholder } => view! {
                <input type="search" id=id placeholder=*placeholder prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                    disabled=move || disabled.get() aria-invalid=invalid aria-describedby=described_by/>
            }
            .into_any(),
            FilterKind::Choice { options, .. } => {
                let options = options.iter().map(|&(option, label)| {
                    view! { <option value=option selected=move || value.with(|v| v == option)>{label}</option> }
                });
                view! {
                    <select id=id name=id disabled=move || disabled.get() aria-invalid=invalid aria-describedby=described_by
                        on:change=move |ev| {
                            value.set(event_target_value(&ev));
                            on_change.run(());
                        }>
                        {options.collect_view()}
                    </select>
                }
                .into_any()
            }
            FilterKind::Time => view! {
                <input type="datetime-local" id=id name=id prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev)) on:change=move |_| on_change.run(())
                    disabled=move || disabled.get() aria-invalid=invalid aria-describedby=described_by/>
            }
            .into_any(),
        }
    }
}

/// Checks a kind's declaration: every filter key of the list has a control in its bar (or "Clear
/// filters" would take away what the bar cannot show), and ids and keys are unique.
#[cfg(test)]
pub fn assert_bar_declares_the_filter_keys<S: ListSource>() {
    let filters = S::filters(&i18n::EN);
    for key in S::FILTER_KEYS {
        assert!(filters.index(key).is_some(), "no control for the filter key {key}");
    }
    for (i, filter) in filters.filters.iter().enumerate() {
        assert_eq!(filters.index(filter.key), Some(i), "the key {} is declared twice", filter.key);
        assert!(filters.filters[..i].iter().all(|other| other.id != filter.id), "the id {} is used twice", filter.id);
        for key in filter.enabled_when.map(|(key, _)| key).into_iter().chain(filter.paired_with) {
            assert!(filters.index(key).is_some(), "{} refers to a filter {key} the bar does not have", filter.key);
        }
    }
}
