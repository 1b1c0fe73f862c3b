//! The notice under the header of a public demo (`--demo`) or a mock that resets itself
//! (`--reset-every`): what a visitor creates is shared and goes at the next reset, and when that
//! is, so nobody is surprised when their tasks vanish.

use crate::components::time::{format_with_zone, relative};
use crate::hooks::use_now;
use crate::DeskResource;
use export_desk_model::desk::Demo;
use leptos::prelude::*;

#[component]
pub fn DemoNotice(desk: DeskResource) -> impl IntoView {
    let now = use_now();
    move || {
        let demo = desk.get()?.ok()?.demo?;
        let next_reset = demo.next_reset_after(now.get().timestamp_millis());
        Some(view! {
            <p class="demo-notice" role="note">{describe(&demo, next_reset, now.get())}</p>
        })
    }
}

/// The notice's words: who sees what is created, when it goes, and a visitor's share.
fn describe(demo: &Demo, next_reset: Option<i64>, now: chrono::DateTime<chrono::Utc>) -> String {
    let mut text = if demo.public {
        "Public demo: the tasks here are made up, and everything created is seen by every visitor.".to_owned()
    } else {
        "This mock resets itself on a schedule.".to_owned()
    };
    if let Some(at) = next_reset {
        text.push_str(&format!(
            " Everything returns to the starting tasks at {}, {}.",
            format_with_zone(at),
            relative(at, now)
        ));
    }
    if let Some(tasks) = demo.tasks_per_visitor {
        text.push_str(&format!(" Each visitor can create up to {tasks} tasks between resets."));
    }
    text
}
