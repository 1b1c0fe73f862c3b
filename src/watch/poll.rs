//! The watcher's one loop, for every kind: each kind that has watched tasks is asked for them
//! through its registry entry's watch loader (`KindEntry::watch`: the narrowest query that holds
//! them), and a watched task seen final raises its notice.
//!
//! The cadence is the auto-refresh's (`hooks::use_auto_refresh`): every 3 s while the tab is
//! shown; after a failure 6 s, doubling up to a minute, for that kind only (a failing kind holds
//! up no other); nothing while the tab is hidden, unless browser notifications are on, and then
//! every [`HIDDEN_EVERY_MS`]. Showing the tab again checks at once.
//!
//! ```ignore
//! poll::start(watcher, desk, language); // once, from `Watcher::provide`; runs for the app's life
//! ```

use super::store::{self, Seen, Watched};
use super::{browser, Notice, Watcher};
use crate::hooks::backoff;
use crate::i18n::{Catalogue, LanguageChoice};
use crate::kinds::entry::{KindEntry, OverviewTask};
use crate::DeskResource;
use leptos::prelude::*;
use std::time::Duration;

/// The cadence while the tab is shown: the auto-refresh's.
const EVERY_MS: f64 = 3_000.0;
/// The cadence in a hidden tab with browser notifications on: gentle on the account's rate limits
/// and the device (a background tab that asks every 3 s for hours is what browsers throttle, and
/// a person away from the tab does not need the news within seconds), yet a notice comes within a
/// minute of the end. Chrome throttles a hidden tab's timers to once a minute after 5 minutes
/// anyway, so a shorter one would not hold.
pub const HIDDEN_EVERY_MS: f64 = 45_000.0;

#[derive(Clone, Copy, Default)]
struct KindPoll {
    in_flight: bool,
    failures: u32,
    /// When its last answer came (browser clock); 0: never asked.
    last_ms: f64,
}

/// How long after its last answer a kind is asked again.
fn wait_ms(failures: u32, every_ms: f64) -> f64 {
    if failures == 0 {
        every_ms
    } else {
        (backoff(failures).as_millis() as f64).max(every_ms)
    }
}

pub(super) fn start(watcher: Watcher, desk: DeskResource, language: LanguageChoice) {
    let polls = StoredValue::new(vec![KindPoll::default(); watcher.kinds.len()]);
    // The calls read the settings in force from the app's context.
    let owner = StoredValue::new(Owner::current());
    let tick = move || {
        let hidden = document().hidden();
        if hidden {
            // The browser may have withdrawn its permission since (its site settings): then a
            // hidden tab would poll for notifications it cannot show.
            if watcher.browser_on.get_untracked() && browser::permission() != browser::Permission::Granted {
                watcher.browser_on.set(false);
            }
            if !watcher.browser_on.get_untracked() {
                return;
            }
        }
        let Some(Ok(config)) = desk.get_untracked() else { return };
        let t = language.lang.get_untracked().catalogue();
        let now = js_sys::Date::now();
        let every = if hidden { HIDDEN_EVERY_MS } else { EVERY_MS };
        for (index, kind) in watcher.kinds.iter().enumerate() {
            let watched: Vec<Watched> =
                watcher.watched.with_untracked(|list| list.of_kind(kind.path).cloned().collect());
            if watched.is_empty() || kind.off_reason(&config, t).is_some() {
                continue;
            }
            let due = polls.with_value(|polls| {
                let poll = polls[index];
                !poll.in_flight && now - poll.last_ms >= wait_ms(poll.failures, every)
            });
            if !due {
                continue;
            }
            polls.update_value(|polls| polls[index].in_flight = true);
            let config = config.clone();
            let ask = async move {
                let answer = (kind.watch)(&config, &watched, now as i64, t).await;
                let done = js_sys::Date::now();
                polls.try_update_value(|polls| {
                    let poll = &mut polls[index];
                    poll.in_flight = false;
                    poll.last_ms = done;
                    poll.failures = if answer.is_ok() { 0 } else { poll.failures.saturating_add(1) };
                });
                if let Ok(tasks) = answer {
                    settle(watcher, kind, &tasks, done as i64, t, owner.get_value());
                }
            };
            match owner.get_value() {
                Some(owner) => owner.with(|| leptos::task::spawn_local_scoped(ask)),
                None => leptos::task::spawn_local(ask),
            }
        }
    };
    // A one-second ticker while anything is watched: it asks only the kinds that are due.
    let timer = StoredValue::new(None::<IntervalHandle>);
    let watching = Memo::new(move |_| watcher.watched.with(|list| !list.is_empty()));
    crate::hooks::effect(move || {
        if watching.get() {
            if timer.with_value(Option::is_none) {
                tick();
                timer.set_value(set_interval_with_handle(tick, Duration::from_secs(1)).ok());
            }
        } else if let Some(handle) = timer.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    });
    let visibility = window_event_listener(leptos::ev::visibilitychange, move |_| {
        if watching.get_untracked() {
            tick();
        }
    });
    on_cleanup(move || {
        visibility.remove();
        if let Some(handle) = timer.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    });
}

/// What a kind's answer means for its watched tasks: the finished ones raise their notice and
/// go, the missing ones go after the grace (see [`store::keeps_watching`]).
fn settle(
    watcher: Watcher,
    kind: &'static KindEntry,
    tasks: &[OverviewTask],
    now_ms: i64,
    t: &'static Catalogue,
    owner: Option<Owner>,
) {
    let mut finished: Vec<OverviewTask> = Vec::new();
    // Read again from the store: a task another tab already announced is not announced twice.
    watcher.change(|list| {
        let watched: Vec<Watched> = list.of_kind(kind.path).cloned().collect();
        for entry in watched {
            let task = tasks.iter().find(|task| task.id == entry.id);
            let seen = match task {
                None => Seen::Missing,
                Some(task) if task.status.kind.is_unfinished() => Seen::Unfinished,
                Some(_) => Seen::Finished,
            };
            if seen == Seen::Unfinished {
                list.seen_unfinished(kind.path, &entry.id, now_ms);
            }
            if !store::keeps_watching(&entry, seen, now_ms) {
                list.remove(kind.path, &entry.id);
            }
            if let (Seen::Finished, Some(task)) = (seen, task) {
                finished.push(task.clone());
            }
        }
    });
    // A browser notification only while the reader is elsewhere: in the tab, the notice is enough.
    let away = document().hidden() || !document().has_focus().unwrap_or(true);
    let mut notices = Vec::new();
    for task in finished {
        let notice = Notice {
            seq: 0,
            kind,
            outcome: task.status.kind,
            download: task.download.clone(),
            href: task.href.clone(),
            title: task.title.clone(),
            id: task.id.clone(),
        };
        if away && watcher.browser_on.get_untracked() {
            let tag = format!("{}:{}", kind.path, task.id);
            browser::show(
                &super::view::sentence(&notice, t),
                t.watch.browser_body,
                &tag,
                task.href.clone(),
                owner.clone(),
            );
        }
        notices.push(notice);
    }
    watcher.notify(notices, t);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kind_waits_its_cadence_and_backs_off_after_failures() {
        assert_eq!(wait_ms(0, EVERY_MS), 3_000.0);
        assert_eq!(wait_ms(0, HIDDEN_EVERY_MS), 45_000.0);
        assert_eq!(wait_ms(1, EVERY_MS), 6_000.0);
        assert_eq!(wait_ms(1, HIDDEN_EVERY_MS), 45_000.0, "never faster than the hidden cadence");
        assert_eq!(wait_ms(9, EVERY_MS), 60_000.0);
    }
}
