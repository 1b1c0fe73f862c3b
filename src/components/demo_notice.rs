//! The notice under the header of a public demo (`--demo`) or a mock that resets itself
//! (`--reset-every`): what a visitor creates is shared and goes at the next reset, and when that
//! is, so nobody is surprised when their tasks vanish.

use crate::components::time::{format_with_zone, relative};
use crate::hooks::use_now;
use crate::i18n::{self, Catalogue};
use crate::DeskResource;
use export_desk_model::desk::Demo;
use leptos::prelude::*;

#[component]
pub fn DemoNotice(desk: DeskResource) -> impl IntoView {
    let t = i18n::t();
    let now = use_now();
    move || {
        let demo = desk.get()?.ok()?.demo?;
        let next_reset = demo.next_reset_after(now.get().timestamp_millis());
        Some(view! {
            <p class="demo-notice" role="note">{describe(&demo, next_reset, now.get(), t)}</p>
        })
    }
}

/// The notice's words: who sees what is created, when it goes, and a visitor's share.
fn describe(demo: &Demo, next_reset: Option<i64>, now: chrono::DateTime<chrono::Utc>, t: &Catalogue) -> String {
    let words = &t.common;
    let mut text = if demo.public { words.demo_public } else { words.demo_resets }.to_owned();
    if let Some(at) = next_reset {
        text.push_str(&(words.demo_next_reset)(&format_with_zone(at), &relative(at, now, &t.time)));
    }
    if let Some(tasks) = demo.tasks_per_visitor {
        text.push_str(&(words.demo_tasks_per_visitor)(tasks));
    }
    text
}
