//! Watching tasks, app-wide: a task created through a create form, or one the user chose to watch
//! (the Overview's Watch toggle), raises a notice on whatever page is shown when it succeeds or
//! fails, and, when the user turned them on, a browser notification while the tab is in the
//! background. The tab's title and the header count the watched tasks still running.
//!
//! - [`store`]: the watched tasks, in `localStorage` per backend, bounded;
//! - [`poll`]: one loop for every kind, asking each kind with watched tasks for its tasks through
//!   the registry's Overview loader (one call a kind, whatever the number of its watched tasks), on
//!   the auto-refresh's cadence, with a gentle one in a hidden tab when notifications are on;
//! - [`browser`]: the browser's Notification API, asked only on a click;
//! - [`view`]: the notices, the header's indicator, the Watch toggle, the Settings section.
//!
//! ```ignore
//! let watcher = Watcher::provide(desk, language);      // once, in `Desk`
//! watcher.watch(kind.path, id);                         // what `TaskList::show_created` does
//! ```

pub mod browser;
mod poll;
pub mod store;
mod view;

pub use view::{BrowserNoticeSettings, Notices, RunningIndicator, WatchToggle};

use crate::kinds::KindEntry;
use crate::DeskResource;
use leptos::prelude::*;
use store::WatchList;

/// The kind whose page is shown, provided by its route, so the machinery under it (the list's
/// created task) knows which kind a task id belongs to.
#[derive(Clone, Copy)]
pub struct KindOfPage(pub &'static KindEntry);

/// The most notices kept at once; older ones go (they are folded away long before).
const NOTICES_MAX: usize = 20;

/// A watched task that finished, as its notice says it.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    /// Told apart from the others, for Dismiss.
    pub seq: u64,
    pub kind: &'static KindEntry,
    pub id: String,
    /// How the Overview names it, in the language of the answer it came in.
    pub title: String,
    pub failed: bool,
    /// The task on its page, marked.
    pub href: String,
    /// Its file, when the kind's list gives a link to follow.
    pub download: Option<String>,
}

/// The app-wide watcher: provided once by the app, above what a language switch or a page change
/// rebuilds. `Copy`.
#[derive(Clone, Copy)]
pub struct Watcher {
    watched: RwSignal<WatchList>,
    notices: RwSignal<Vec<Notice>>,
    next_seq: StoredValue<u64>,
    /// Browser notifications: chosen on in this browser and permitted by it.
    browser_on: RwSignal<bool>,
    key: StoredValue<String>,
}

impl Watcher {
    /// Provides the watcher and starts its loop.
    pub fn provide(desk: DeskResource, language: crate::i18n::LanguageChoice) -> Self {
        let key = store::browser::key();
        let watcher = Self {
            watched: RwSignal::new(store::browser::load(&key)),
            notices: RwSignal::new(Vec::new()),
            next_seq: StoredValue::new(0),
            browser_on: RwSignal::new(browser::chosen_and_permitted()),
            key: StoredValue::new(key),
        };
        provide_context(watcher);
        poll::start(watcher, desk, language);
        watcher
    }

    /// Changes the stored list, read again first (another tab may have changed it), then shown.
    fn change(self, change: impl FnOnce(&mut WatchList)) {
        let mut list = self.key.with_value(|key| store::browser::load(key));
        change(&mut list);
        self.key.with_value(|key| store::browser::save(key, &list));
        self.watched.set(list);
    }

    /// Watches the task `id` of the kind whose page is `kind`.
    pub fn watch(self, kind: &'static str, id: &str) {
        let now = js_sys::Date::now() as i64;
        self.change(|list| list.add(kind, id, now));
    }

    pub fn unwatch(self, kind: &'static str, id: &str) {
        self.change(|list| list.remove(kind, id));
    }

    /// Whether the task is watched (tracked).
    pub fn is_watched(self, kind: &str, id: &str) -> bool {
        self.watched.with(|list| list.contains(kind, id))
    }

    /// How many watched tasks still run (tracked): every watched task is, until seen finished.
    pub fn running(self) -> usize {
        self.watched.with(WatchList::len)
    }

    fn notify(self, mut notice: Notice) {
        let seq = self.next_seq.get_value() + 1;
        self.next_seq.set_value(seq);
        notice.seq = seq;
        self.notices.update(|notices| {
            notices.push(notice);
            let over = notices.len().saturating_sub(NOTICES_MAX);
            notices.drain(..over);
        });
    }

    pub fn dismiss(self, seq: u64) {
        self.notices.update(|notices| notices.retain(|n| n.seq != seq));
    }

    pub fn dismiss_all(self) {
        self.notices.set(Vec::new());
    }

    /// Whether browser notifications are on (tracked).
    pub fn browser_on(self) -> bool {
        self.browser_on.get()
    }

    pub fn set_browser_on(self, on: bool) {
        browser::remember_choice(on);
        self.browser_on.set(on);
    }
}

/// For the task list of the kind shown: watches a task it created. `None` outside a kind's page
/// or the app.
pub fn watch_created() -> Option<Callback<String>> {
    let (watcher, KindOfPage(kind)) = (use_context::<Watcher>()?, use_context::<KindOfPage>()?);
    Some(Callback::new(move |id: String| watcher.watch(kind.path, &id)))
}

/// The tab's title: the number of watched tasks running before the name, "(2) Export Desk".
pub fn tab_title(running: usize, brand: &str) -> String {
    match running {
        0 => brand.to_owned(),
        n => format!("({n}) {brand}"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_title_counts_running_tasks_only_when_there_are_some() {
        assert_eq!(super::tab_title(0, "Export Desk"), "Export Desk");
        assert_eq!(super::tab_title(2, "Export Desk"), "(2) Export Desk");
    }
}
