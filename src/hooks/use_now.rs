use chrono::{DateTime, Utc};
use leptos::prelude::*;
use std::time::Duration;

/// The current time, ticking every 15 s, for "3 min ago" texts. One clock for the whole app
/// (provided at the root) rather than a timer per table cell.
#[derive(Clone, Copy)]
pub struct Now(ReadSignal<DateTime<Utc>>);

pub fn provide_now() {
    let (now, set_now) = signal(Utc::now());
    if let Ok(handle) = set_interval_with_handle(move || set_now.set(Utc::now()), Duration::from_secs(15)) {
        on_cleanup(move || handle.clear());
    }
    provide_context(Now(now));
}

/// The ticking clock, or a fixed "now" where none was provided (component tests).
pub fn use_now() -> Signal<DateTime<Utc>> {
    match use_context::<Now>() {
        Some(Now(now)) => now.into(),
        None => Signal::stored(Utc::now()),
    }
}
