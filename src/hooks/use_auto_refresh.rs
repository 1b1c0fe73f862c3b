//! [`use_auto_refresh`]: a list reloads itself while anything on it can still change, and says
//! so ([`AutoRefresh`], the "updated 3 s ago · next in 2 s" line): every 3 s while the tab is
//! shown, backing off after failures ([`backoff`], also the watcher's), never while the tab is
//! hidden, and not at all once every task is final or what is listed is gone. Its users: the task list
//! machinery (`task_page::list`), so every kind's list, and the Overview.
//!
//! ```ignore
//! let refresh = use_auto_refresh(outcome, move || reload.notify()); // outcome: Signal<RefreshOutcome>
//! view! { <RefreshStatus refresh=refresh on_refresh=move |()| reload.notify()/> } // the line above a table
//! ```

use super::effect;
use leptos::ev;
use leptos::prelude::*;
use std::time::Duration;

/// How the last load went, as far as refreshing is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefreshOutcome {
    /// Nothing loaded yet (or a load is in flight).
    Pending,
    /// Loaded, and some task can still change: keep refreshing.
    Unfinished,
    /// Loaded, and every task is final: nothing to wait for.
    AllFinished,
    Failed,
    /// Failed in a way no retry can change (what is listed does not exist): no more loads until
    /// the user asks for one.
    Stopped,
}

/// What the refresher is doing, for the "auto-refresh" line above a table.
#[derive(Clone, Copy)]
pub struct AutoRefresh {
    /// When data last arrived (ms since the epoch, browser clock).
    pub last_updated: ReadSignal<Option<f64>>,
    /// Seconds until the next automatic load, `None` when none is scheduled.
    pub next_in_secs: ReadSignal<Option<u32>>,
    /// Loads failed in a row; retries back off while this grows.
    pub failures: ReadSignal<u32>,
    /// A load is on its way: one the timer started, or one `outcome` is still waiting for.
    pub loading: ReadSignal<bool>,
    pub hidden: ReadSignal<bool>,
    /// Refreshing stopped because retrying cannot help ([`RefreshOutcome::Stopped`]).
    pub stopped: ReadSignal<bool>,
}

const EVERY: Duration = Duration::from_secs(3);
const BACKOFF_MAX: Duration = Duration::from_secs(60);

/// Reloads a list while it has unfinished tasks.
///
/// - every 3 s while `outcome` says something is unfinished;
/// - after a failure, again after 6 s, 12 s … up to a minute;
/// - nothing while the tab is hidden, and at once when it becomes visible again if a load was due;
/// - nothing once every task is final (a manual refresh or a new task starts it again, because
///   they change `outcome`).
///
/// `outcome` must notify on every completed load, even when its value is unchanged (a derived
/// signal over the resource does; a memo would not), because each load schedules the next; and
/// only once a failed load, because each `Failed` it hears counts one more failure.
///
/// ```ignore
/// let outcome = Signal::derive(move || match tasks.get() { /* … */ });
/// let refresh = use_auto_refresh(outcome, move || reload.update(|n| *n += 1));
/// ```
pub fn use_auto_refresh(
    outcome: Signal<RefreshOutcome>,
    reload: impl Fn() + Clone + Send + Sync + 'static,
) -> AutoRefresh {
    let (last_updated, set_last_updated) = signal(None::<f64>);
    let (next_in_secs, set_next_in_secs) = signal(None::<u32>);
    let (failures, set_failures) = signal(0u32);
    let (loading, set_loading) = signal(false);
    let (hidden, set_hidden) = signal(document_hidden());
    let (stopped, set_stopped) = signal(false);
    // A load that came due while hidden runs when the tab is shown again.
    let due_while_hidden = StoredValue::new(false);
    let timer = StoredValue::new(None::<IntervalHandle>);

    let stop_timer = move || {
        if let Some(handle) = timer.try_update_value(Option::take).flatten() {
            handle.clear();
        }
        set_next_in_secs.set(None);
    };

    let schedule = {
        let reload = reload.clone();
        move |after: Duration| {
            stop_timer();
            let left = std::cell::Cell::new(after.as_secs().max(1) as u32);
            set_next_in_secs.set(Some(left.get()));
            let reload = reload.clone();
            // A one-second ticker both counts down for the user and fires the load.
            let handle = set_interval_with_handle(
                move || {
                    left.set(left.get().saturating_sub(1));
                    if left.get() > 0 {
                        set_next_in_secs.set(Some(left.get()));
                        return;
                    }
                    stop_timer();
                    if document_hidden() {
                        due_while_hidden.set_value(true);
                    } else {
                        set_loading.set(true);
                        reload();
                    }
                },
                Duration::from_secs(1),
            );
            timer.set_value(handle.ok());
        }
    };

    effect(move || match outcome.get() {
        RefreshOutcome::Stopped => {
            stop_timer();
            set_loading.set(false);
            set_stopped.set(true);
        }
        RefreshOutcome::Pending => {
            set_stopped.set(false);
            stop_timer();
            set_loading.set(true);
        }
        RefreshOutcome::Unfinished => {
            set_stopped.set(false);
            set_loading.set(false);
            set_last_updated.set(Some(js_sys::Date::now()));
            set_failures.set(0);
            schedule(EVERY);
        }
        RefreshOutcome::AllFinished => {
            set_stopped.set(false);
            set_loading.set(false);
            set_last_updated.set(Some(js_sys::Date::now()));
            set_failures.set(0);
            stop_timer();
        }
        RefreshOutcome::Failed => {
            set_stopped.set(false);
            set_loading.set(false);
            let failed = failures.get_untracked() + 1;
            set_failures.set(failed);
            schedule(backoff(failed));
        }
    });

    let visibility = window_event_listener(ev::visibilitychange, move |_| {
        let now_hidden = document_hidden();
        set_hidden.set(now_hidden);
        if !now_hidden && due_while_hidden.get_value() {
            due_while_hidden.set_value(false);
            set_loading.set(true);
            reload();
        }
    });
    on_cleanup(move || {
        visibility.remove();
        stop_timer();
    });

    AutoRefresh { last_updated, next_in_secs, failures, loading, hidden, stopped }
}

/// 6 s after the first failure, doubling, at most a minute.
pub fn backoff(failures: u32) -> Duration {
    let doubled = EVERY.saturating_mul(2u32.saturating_pow(failures.min(10)));
    doubled.min(BACKOFF_MAX)
}

fn document_hidden() -> bool {
    leptos::prelude::document().hidden()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_a_minute() {
        assert_eq!(backoff(1), Duration::from_secs(6));
        assert_eq!(backoff(2), Duration::from_secs(12));
        assert_eq!(backoff(4), Duration::from_secs(48));
        assert_eq!(backoff(5), BACKOFF_MAX);
        assert_eq!(backoff(100), BACKOFF_MAX);
    }
}
