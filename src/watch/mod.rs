//! Watching tasks, app-wide: a task created through a create form, or one the user chose to watch
//! (the Overview's Watch toggle), raises a notice on whatever page is shown when it succeeds or
//! fails, and, when the user turned them on, a browser notification while the tab is in the
//! background. The tab's title and the header count the watched tasks still running.
//!
//! - [`store`]: the watched tasks, in `localStorage` per backend, bounded;
//! - `poll`: one loop for every kind, asking each kind with watched tasks for them through the
//!   registry's watch loader (`KindEntry::watch`: the narrowest query that holds them), on the
//!   auto-refresh's cadence, with a gentle one in a hidden tab when notifications are on;
//! - [`browser`]: the browser's Notification API, asked only on a click;
//! - [`view`]: the notices, the header's indicator, the Watch toggle, the Settings section.
//!
//! ```ignore
//! let watcher = Watcher::provide(desk, language, &KINDS); // once, in `Desk`
//! watcher.watch(kind.path, id, scope);                  // what `TaskList::show_created_in` does
//! ```

pub mod browser;
mod poll;
pub mod store;
mod view;

pub use view::{BrowserNoticeSettings, Notices, RunningIndicator, WatchToggle};

use crate::backend_store;
use crate::kinds::entry::KindEntry;
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
    /// How it ended: succeeded, failed, or another final state (a CLS export's Expired).
    pub outcome: crate::api::status::StatusKind,
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
    /// What the screen reader's status line says: the notices of the last answer, joined; set only
    /// when notices come (a dismissal says nothing), and always different from what it said
    /// before, so two equal sentences in a row are both read.
    announce: RwSignal<String>,
    next_seq: StoredValue<u64>,
    /// The server's description, for which kinds it serves.
    desk: DeskResource,
    /// The kinds whose tasks are watched: the registry, handed in by the app (the kinds' pages
    /// use the watcher, so it names no kind itself).
    kinds: &'static [KindEntry],
    /// Browser notifications: chosen on in this browser and permitted by it.
    browser_on: RwSignal<bool>,
    key: StoredValue<String>,
}

impl Watcher {
    /// Provides the watcher of the tasks of `kinds` and starts its loop.
    pub fn provide(desk: DeskResource, language: crate::i18n::LanguageChoice, kinds: &'static [KindEntry]) -> Self {
        let key = backend_store::key_of::<WatchList>();
        let watcher = Self {
            watched: RwSignal::new(backend_store::load(&key)),
            notices: RwSignal::new(Vec::new()),
            announce: RwSignal::new(String::new()),
            next_seq: StoredValue::new(0),
            desk,
            kinds,
            browser_on: RwSignal::new(browser::chosen_and_permitted()),
            key: StoredValue::new(key),
        };
        provide_context(watcher);
        poll::start(watcher, desk, language);
        watcher
    }

    /// Changes the stored list, read again first (another tab may have changed it), then shown.
    /// Written and shown only when something changed: the poll calls this on every answer, and a
    /// write wakes every other tab (`storage` events) and every effect reading the list.
    fn change(self, change: impl FnOnce(&mut WatchList)) {
        let mut list: WatchList = self.key.with_value(|key| backend_store::load(key));
        let stored = list.clone();
        change(&mut list);
        if list != stored {
            self.key.with_value(|key| backend_store::save(key, &list));
        }
        if self.watched.with_untracked(|shown| *shown != list) {
            self.watched.set(list);
        }
    }

    /// Watches the task `id` of the kind whose page is `kind`; `scope`: what the kind needs to find
    /// it again besides its id (see [`store::Watched::scope`]), empty when nothing.
    pub fn watch(self, kind: &'static str, id: &str, scope: &str) {
        let now = js_sys::Date::now() as i64;
        self.change(|list| list.add(kind, id, scope, now));
    }

    pub fn unwatch(self, kind: &'static str, id: &str) {
        self.change(|list| list.remove(kind, id));
    }

    /// Whether the task is watched (tracked).
    pub fn is_watched(self, kind: &str, id: &str) -> bool {
        self.watched.with(|list| list.contains(kind, id))
    }

    /// How many watched tasks still run (tracked): every watched task is, until seen finished,
    /// except those of a kind this server does not serve (switched off since): nobody asks about
    /// them, so counting them would keep "(1)" in the title for good. They stay in the store and
    /// count again if the kind comes back. Before the server's description is in, all count.
    pub fn running(self) -> usize {
        let config = self.desk.get();
        let served = |kind: &str| match &config {
            Some(Ok(config)) => self
                .kinds
                .iter()
                .find(|entry| entry.path == kind)
                .is_some_and(|entry| entry.off_reason(config, &crate::i18n::EN).is_none()),
            _ => true,
        };
        self.watched.with(|list| list.iter().filter(|w| served(&w.kind)).count())
    }

    /// Raises the notices of one answer; the status line reads them as one text.
    fn notify(self, new: Vec<Notice>, t: &'static crate::i18n::Catalogue) {
        if new.is_empty() {
            return;
        }
        let said = new.iter().map(|notice| view::sentence(notice, t)).collect::<Vec<_>>().join(" ");
        self.notices.update(|notices| {
            for mut notice in new {
                let seq = self.next_seq.get_value() + 1;
                self.next_seq.set_value(seq);
                notice.seq = seq;
                notices.push(notice);
            }
            let over = notices.len().saturating_sub(NOTICES_MAX);
            notices.drain(..over);
        });
        // A text equal to the one before is not read again: a no-break space, there or not, makes
        // each announcement differ from the last.
        self.announce.update(|announce| {
            let nbsp = if announce.ends_with('\u{a0}') { "" } else { "\u{a0}" };
            *announce = format!("{said}{nbsp}");
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
pub fn watch_created() -> Option<Callback<(String, String)>> {
    let (watcher, KindOfPage(kind)) = (use_context::<Watcher>()?, use_context::<KindOfPage>()?);
    Some(Callback::new(move |(id, scope): (String, String)| watcher.watch(kind.path, &id, &scope)))
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
    fn a_task_that_ended_neither_succeeded_nor_failed_is_said_as_what_it_is() {
        use crate::api::status::StatusKind;
        let notice = |outcome| super::Notice {
            seq: 0,
            kind: crate::kinds::KindEntry::at("/cls/exports").expect("the CLS kind"),
            id: "e".into(),
            title: "nginx: status:500".into(),
            outcome,
            href: String::new(),
            download: None,
        };
        let en = &crate::i18n::EN;
        assert_eq!(
            super::view::sentence(&notice(StatusKind::Expired), en),
            "CLS log export “nginx: status:500” expired: its file is no longer kept."
        );
        assert!(super::view::sentence(&notice(StatusKind::Succeeded), en).ends_with("succeeded."));
        assert!(super::view::sentence(&notice(StatusKind::Failed), en).ends_with("failed."));
        assert!(super::view::sentence(&notice(StatusKind::Expired), &crate::i18n::ZH_CN).contains("已过期"));
    }

    #[test]
    fn the_title_counts_running_tasks_only_when_there_are_some() {
        assert_eq!(super::tab_title(0, "Export Desk"), "Export Desk");
        assert_eq!(super::tab_title(2, "Export Desk"), "(2) Export Desk");
    }
}
