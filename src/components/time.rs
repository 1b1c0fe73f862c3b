//! Times as the clouds send them (milliseconds since the epoch) shown in the time zone chosen in
//! Settings (the browser's by default, UTC, Beijing time or any IANA zone), each with its zone
//! ("UTC+8"), and the `datetime-local` input that turns what a person types, in that same zone,
//! back into epoch milliseconds.

use super::{Binding, Field, FormCheck};
use crate::hooks::use_now;
use crate::i18n::{self, Time};
use crate::settings;
use crate::time_text::{self, Shape};
use crate::time_zone;
use chrono::{DateTime, Utc};
use leptos::prelude::*;

/// How the chosen zone is named next to time inputs and in sentences: its offset now ("UTC+8",
/// "UTC"). A time shown in a table carries the offset of its own instant instead.
pub fn zone_name() -> String {
    time_zone::label_at(&settings::time_zone(), Utc::now().timestamp_millis())
}

/// `2026-11-23 19:28:05` in the chosen time zone.
pub fn format_local(ms: i64) -> String {
    time_zone::at(&settings::time_zone(), ms)
        .map(|t| time_text::write_local(&t, Shape::Spaced))
        .unwrap_or_else(|| format!("{ms} ms"))
}

/// `2026-11-23 19:28:05 UTC+8`: the time in the chosen zone with the zone's offset then, for a
/// time in a sentence.
pub fn format_with_zone(ms: i64) -> String {
    format!("{} {}", format_local(ms), zone_at(ms))
}

/// The chosen zone's offset at `ms`, as [`format_local`] shows it: "UTC+8".
pub fn zone_at(ms: i64) -> String {
    time_zone::label_at(&settings::time_zone(), ms)
}

/// "just now", "5 min ago", "3 h ago", "2 days ago", or "in 4 min" for a time ahead ("刚刚",
/// "5 分钟前", "4 分钟后" in Chinese), rounded to the nearest unit.
pub fn relative(ms: i64, now: DateTime<Utc>, t: &Time) -> String {
    let delta = now.timestamp_millis() - ms;
    let (ahead, secs) = (delta < 0, delta.unsigned_abs() / 1000);
    let (amount, ago, ahead_by) = match secs {
        0..=44 => return t.just_now.to_owned(),
        45..=5_399 => ((secs + 30) / 60, t.minutes_ago, t.in_minutes),
        5_400..=79_199 => ((secs + 1_800) / 3_600, t.hours_ago, t.in_hours),
        _ => ((secs + 43_200) / 86_400, t.days_ago, t.in_days),
    };
    if ahead {
        ahead_by(amount)
    } else {
        ago(amount)
    }
}

/// Parses a `datetime-local` value as a time in the chosen zone. `None` for anything else,
/// including a local time that does not exist (skipped by a daylight-saving change).
pub fn local_input_to_ms(value: &str) -> Option<i64> {
    let value = value.trim();
    let naive =
        time_text::parse(value, Shape::InputMinutes).or_else(|| time_text::parse(value, Shape::InputSeconds))?;
    time_zone::instant_of(&settings::time_zone(), &naive)
}

/// A form's required time field: the instant typed, or `None` with a message for `field` added
/// to `violations` (so the form shows it beside the input, in a picker's terms rather than the
/// wire's "milliseconds since the epoch").
pub fn time_field(
    violations: &mut export_desk_model::validation::Violations,
    field: &'static str,
    text: &str,
) -> Option<i64> {
    if text.trim().is_empty() {
        violations.push(field, export_desk_model::validation::Rule::ChooseDateTime);
        return None;
    }
    let ms = local_input_to_ms(text);
    if ms.is_none() {
        violations.push(field, export_desk_model::validation::Rule::NotADateTime);
    }
    ms
}

/// The `datetime-local` value for an instant, in the chosen zone.
pub fn ms_to_local_input(ms: i64) -> String {
    time_zone::at(&settings::time_zone(), ms)
        .map(|t| time_text::write_local(&t, Shape::InputMinutes))
        .unwrap_or_default()
}

/// `ms` as a time input holds it, to the second when it is not on a whole minute (a task made
/// elsewhere, filled into a form by "Create again": the form sends what it shows, so the seconds
/// must show). Milliseconds are dropped: the inputs hold none.
pub fn ms_to_local_input_exact(ms: i64) -> String {
    let shape = if ms.rem_euclid(60_000) == 0 { Shape::InputMinutes } else { Shape::InputSeconds };
    time_zone::at(&settings::time_zone(), ms).map(|t| time_text::write_local(&t, shape)).unwrap_or_default()
}

/// A time cell: the time in the chosen zone and its offset, with how long ago underneath; the
/// exact UTC instant on hover.
#[component]
pub fn Timestamp(ms: i64) -> impl IntoView {
    let t = &i18n::t().time;
    let now = use_now();
    let utc = DateTime::<Utc>::from_timestamp_millis(ms);
    let iso = utc.map(|t| t.to_rfc3339()).unwrap_or_default();
    view! {
        <time datetime=iso.clone() title=iso class="timestamp">
            <span class="timestamp-local">{format_local(ms)}</span>
            " "
            <span class="timestamp-zone">{zone_at(ms)}</span>
            <span class="timestamp-relative">{move || relative(ms, now.get(), t)}</span>
        </time>
    }
}

/// A local date-and-time input bound to `value` (the raw text, kept as typed even when invalid).
#[component]
pub fn DateTimeInput(
    id: &'static str,
    #[prop(into)] value: Binding<String>,
    #[prop(into)] invalid: Signal<bool>,
) -> impl IntoView {
    view! {
        <input
            type="datetime-local"
            id=id
            name=id
            prop:value=move || value.get()
            on:input=move |ev| value.set(event_target_value(&ev))
            aria-invalid=move || invalid.get().to_string()
            aria-describedby=format!("{id}-error")
        />
    }
}

/// One end of a [`TimeRange`]: its input's id and label, the draft's text, and its marks.
pub struct TimeEnd {
    pub id: &'static str,
    pub label: String,
    pub value: Binding<String>,
    pub error: Signal<Option<String>>,
    pub invalid: Signal<bool>,
}

impl TimeEnd {
    /// The end `id` labelled `label`, marked by `check`'s messages about `field`.
    pub fn new(id: &'static str, label: String, value: Binding<String>, check: FormCheck, field: &'static str) -> Self {
        Self { id, label, value, error: check.error_for(field), invalid: check.invalid(field) }
    }
}

/// A form's time range: From and To in the chosen zone, and quick ranges that set both. A preset
/// is a label and a span in milliseconds; `on_preset` gets the span.
#[component]
pub fn TimeRange(
    from: TimeEnd,
    to: TimeEnd,
    presets: &'static [(&'static str, i64)],
    on_preset: Callback<i64>,
) -> impl IntoView {
    let t = &i18n::t().time;
    let end = |end: TimeEnd| {
        view! {
            <Field label=end.label id=end.id error=end.error>
                <DateTimeInput id=end.id value=end.value invalid=end.invalid/>
            </Field>
        }
    };
    view! {
        <div class="time-range">
            {end(from)}
            {end(to)}
            <div class="presets" role="group" aria-label=t.quick_ranges>
                {presets.iter().map(|&(label, span_ms)| view! {
                    <button type="button" class="button subtle" on:click=move |_| on_preset.run(span_ms)>{label}</button>
                }).collect_view()}
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_times_read_naturally() {
        let now = DateTime::<Utc>::from_timestamp_millis(10_000_000_000).unwrap();
        let ago = |secs: i64| relative(10_000_000_000 - secs * 1000, now, &i18n::EN.time);
        assert_eq!(ago(10), "just now");
        assert_eq!(ago(90), "2 min ago");
        assert_eq!(ago(3 * 3600), "3 h ago");
        assert_eq!(ago(86_400), "1 day ago");
        assert_eq!(ago(5 * 86_400), "5 days ago");
        assert_eq!(ago(-240), "in 4 min");
        assert_eq!(ago(-86_400), "in 1 day");
        assert_eq!(ago(-3 * 86_400), "in 3 days");
    }

    #[test]
    fn relative_times_in_chinese_have_no_plural() {
        let now = DateTime::<Utc>::from_timestamp_millis(10_000_000_000).unwrap();
        let ago = |secs: i64| relative(10_000_000_000 - secs * 1000, now, &i18n::ZH_CN.time);
        assert_eq!(ago(10), "刚刚");
        assert_eq!(ago(180), "3 分钟前");
        assert_eq!(ago(3 * 3600), "3 小时前");
        assert_eq!(ago(86_400), "1 天前");
        assert_eq!(ago(5 * 86_400), "5 天前");
        assert_eq!(ago(-240), "4 分钟后");
        assert_eq!(ago(-2 * 86_400), "2 天后");
    }

    #[test]
    fn a_time_field_says_whether_it_is_missing_or_unreadable() {
        use export_desk_model::validation::Rule;
        let mut violations = export_desk_model::validation::Violations::default();
        assert_eq!(time_field(&mut violations, "from", " "), None);
        assert_eq!(time_field(&mut violations, "to", "tomorrow"), None);
        assert_eq!(violations.for_field("from"), Some(&Rule::ChooseDateTime));
        assert_eq!(violations.for_field("to"), Some(&Rule::NotADateTime));
    }

    #[test]
    fn input_values_round_trip_through_epoch_milliseconds() {
        let ms = local_input_to_ms("2026-11-23T08:30").unwrap();
        assert_eq!(ms_to_local_input(ms), "2026-11-23T08:30");
        assert_eq!(local_input_to_ms("2026-11-23T08:30:15"), Some(ms + 15_000));
        assert_eq!(local_input_to_ms("23/11/2026 08:30"), None);
        assert_eq!(local_input_to_ms(""), None);
    }
}
