//! A countdown of whole seconds from the browser's clock, for a wait the user has to sit out
//! (IoTDA serves one download every 30 s): `left` says how long, `None` once it is over. It
//! stops by itself at zero and with the component that made it.
//!
//! ```ignore
//! let wait = use_countdown();
//! wait.start(30);
//! view! { {move || wait.left.get().map(|secs| format!("The next is possible in {secs} s."))} }
//! ```

use leptos::prelude::*;
use std::time::Duration;

#[derive(Clone, Copy)]
pub struct Countdown {
    /// Seconds left while counting; `None` once over (or never started).
    pub left: ReadSignal<Option<u32>>,
    set_left: WriteSignal<Option<u32>>,
    timer: StoredValue<Option<IntervalHandle>>,
}

pub fn use_countdown() -> Countdown {
    let (left, set_left) = signal(None);
    let countdown = Countdown { left, set_left, timer: StoredValue::new(None) };
    on_cleanup(move || countdown.stop());
    countdown
}

impl Countdown {
    /// Counts `secs` down from now, replacing any countdown running.
    pub fn start(self, secs: u32) {
        self.stop();
        let until = js_sys::Date::now() + f64::from(secs) * 1000.0;
        // Gone with its page: no timer that nothing would stop.
        if self.set_left.try_set(Some(secs)).is_some() {
            return;
        }
        let handle = set_interval_with_handle(
            move || {
                let left = ((until - js_sys::Date::now()) / 1000.0).ceil().max(0.0) as u32;
                if left == 0 {
                    self.stop();
                    self.set_left.try_set(None);
                } else {
                    self.set_left.try_set(Some(left));
                }
            },
            Duration::from_millis(250),
        );
        self.timer.set_value(handle.ok());
    }

    fn stop(self) {
        if let Some(handle) = self.timer.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    }
}
