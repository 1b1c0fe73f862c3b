//! The dashboard's words, in English and Simplified Chinese.
//!
//! One [`Catalogue`] per language ([`EN`], [`ZH_CN`]), each a struct literal of every text the
//! dashboard shows: a text missing in either language, or a key a page names that does not exist,
//! fails to compile. Texts with parameters are functions (`fn(u64) -> String`), so a parameter is
//! typed and English can say "1 day" and "2 days" where Chinese says "1 天".
//!
//! The catalogue is split by area (one file each: the header and shared blocks, each page, each
//! task kind), and each file holds its struct with both languages side by side, so changing a
//! text touches one file and a translator sees the English beside the Chinese.
//!
//! The language in force is a context ([`Lang`]), read once when a component is built:
//!
//! ```ignore
//! let t = i18n::t();
//! view! { <h1>{t.settings.title}</h1> }
//! ```
//!
//! Switching the language rebuilds the page under the header (see `Desk` in `lib.rs`), so no text
//! needs to be a reactive closure of its own (a closure a text costs about 18 bytes of wasm more,
//! measured for issue 12). Where the language comes from: [`crate::settings`] (what the user chose
//! in this browser, else the deployment's file, else the browser's languages).

mod bulk;
mod cdn_purge;
mod cdn_stats;
mod cls;
mod common;
mod create;
mod errors;
mod find;
mod iotda;
mod list_export;
mod lists;
mod overview;
mod redo;
mod rules;
mod settings;
mod time;
mod watch;

pub use common::Common;
pub use create::Create;
pub use errors::Errors;
pub use lists::Lists;
pub use settings::Settings as SettingsWords;
pub use time::Time;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A language the dashboard speaks. Written as its BCP 47 tag (`"en"`, `"zh-CN"`) in the
/// deployment's file, the browser's storage and `<html lang>`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Lang {
    #[default]
    En,
    ZhCn,
}

impl Lang {
    /// Every language, in the order the switch offers them.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::ZhCn];

    /// Its BCP 47 tag.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }

    /// Its name in itself, as the switch offers it ("English", "简体中文").
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::ZhCn => "简体中文",
        }
    }

    /// The language a browser's language tag asks for, if the dashboard speaks it: any English
    /// (`en-GB`) is English, and any Chinese written in simplified characters (`zh`, `zh-CN`,
    /// `zh-SG`, `zh-Hans-…`) is Chinese. Traditional Chinese (`zh-TW`, `zh-HK`, `zh-Hant`) is
    /// not offered, so it falls through to the browser's next language.
    pub fn of_browser_tag(tag: &str) -> Option<Lang> {
        let tag = tag.to_ascii_lowercase();
        let mut parts = tag.split(['-', '_']);
        match parts.next()? {
            "en" => Some(Lang::En),
            "zh" => {
                let rest: Vec<&str> = parts.collect();
                let traditional = rest.iter().any(|part| matches!(*part, "hant" | "tw" | "hk" | "mo"));
                let simplified = rest.contains(&"hans");
                (simplified || !traditional).then_some(Lang::ZhCn)
            }
            _ => None,
        }
    }

    /// The first of the browser's preferred languages the dashboard speaks; English otherwise.
    pub fn of_browser() -> Lang {
        let Some(navigator) = web_sys::window().map(|window| window.navigator()) else {
            return Lang::En;
        };
        let languages = navigator.languages();
        let mut tags: Vec<String> = languages.iter().filter_map(|tag| tag.as_string()).collect();
        if tags.is_empty() {
            tags.extend(navigator.language());
        }
        tags.iter().find_map(|tag| Lang::of_browser_tag(tag)).unwrap_or_default()
    }

    /// Its words.
    pub fn catalogue(self) -> &'static Catalogue {
        match self {
            Lang::En => &EN,
            Lang::ZhCn => &ZH_CN,
        }
    }
}

impl TryFrom<String> for Lang {
    type Error = String;

    /// Any tag that names one of the dashboard's languages, as a browser's would (`"zh"`,
    /// `"zh-Hans"`, `"en-US"`), so a deployment's file is not refused as a whole for a variant.
    fn try_from(text: String) -> Result<Self, String> {
        Lang::of_browser_tag(&text)
            .ok_or_else(|| format!("\"{text}\" is not a language of the dashboard: use \"en\" or \"zh-CN\""))
    }
}

impl From<Lang> for String {
    fn from(lang: Lang) -> Self {
        lang.tag().to_owned()
    }
}

/// Every text of the dashboard in one language, by area.
pub struct Catalogue {
    /// The language these are the words of.
    pub lang: Lang,
    /// The header, the shared blocks (tables, pager, forms, errors, times) and the task-page machinery.
    pub common: Common,
    /// The task-list machinery: list states, filter bar, pager, refresh line, a row's delete.
    pub lists: Lists,
    /// A list's CSV export and sortable headers.
    pub list_export: list_export::ListExport,
    /// Actions on several rows at once: selection, the bulk bar, its progress and outcome.
    pub bulk: bulk::Bulk,
    /// What every create form ends with: the pending submit and the request preview.
    pub create: Create,
    /// Relative times, zones in labels, a typed time's problems.
    pub time: Time,
    /// The error view's wording of failed calls, and the status words.
    pub errors: Errors,
    pub overview: overview::Overview,
    /// Finding a task by its id, and copying ids.
    pub find: find::Find,
    pub settings: settings::Settings,
    pub cdn_stats: cdn_stats::CdnStats,
    pub cdn_purge: cdn_purge::CdnPurge,
    pub iotda: iotda::Iotda,
    pub cls: cls::Cls,
    /// The model's rules, as a form shows them.
    pub rules: rules::Rules,
    /// Doing a task again: "Create again", the failed URLs again, remembered requests.
    pub redo: redo::Redo,
    /// Watched tasks: their notices, the running count, the Watch toggle, browser notifications.
    pub watch: watch::Watch,
}

/// The English catalogue.
pub static EN: Catalogue = Catalogue {
    lang: Lang::En,
    common: common::EN,
    lists: lists::EN,
    list_export: list_export::EN,
    bulk: bulk::EN,
    create: create::EN,
    time: time::EN,
    errors: errors::EN,
    overview: overview::EN,
    find: find::EN,
    settings: settings::EN,
    cdn_stats: cdn_stats::EN,
    cdn_purge: cdn_purge::EN,
    iotda: iotda::EN,
    cls: cls::EN,
    rules: rules::EN,
    redo: redo::EN,
    watch: watch::EN,
};

/// The Simplified Chinese catalogue.
pub static ZH_CN: Catalogue = Catalogue {
    lang: Lang::ZhCn,
    common: common::ZH_CN,
    lists: lists::ZH_CN,
    list_export: list_export::ZH_CN,
    bulk: bulk::ZH_CN,
    create: create::ZH_CN,
    time: time::ZH_CN,
    errors: errors::ZH_CN,
    overview: overview::ZH_CN,
    find: find::ZH_CN,
    settings: settings::ZH_CN,
    cdn_stats: cdn_stats::ZH_CN,
    cdn_purge: cdn_purge::ZH_CN,
    iotda: iotda::ZH_CN,
    cls: cls::ZH_CN,
    rules: rules::ZH_CN,
    redo: redo::ZH_CN,
    watch: watch::ZH_CN,
};

/// The language the page is being built in (provided by `Desk` for everything under the header).
/// Outside the app (a component mounted alone, as in the component tests) English.
pub fn lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}

/// The words of the language in force. Call it while a component is built (it reads a context)
/// and keep the reference: it is `Copy` and `'static`, so closures and callbacks can hold it.
pub fn t() -> &'static Catalogue {
    lang().catalogue()
}

/// The language the user chose, shared by the header's switch and the Settings page: a change
/// rebuilds the page in the new language and is remembered in this browser.
#[derive(Debug, Clone, Copy)]
pub struct LanguageChoice {
    pub lang: RwSignal<Lang>,
    /// Set by the header's switch just before the rebuild it causes, so the new switch takes
    /// keyboard focus back.
    pub switched: StoredValue<bool>,
}

impl LanguageChoice {
    pub fn new(lang: Lang) -> Self {
        Self { lang: RwSignal::new(lang), switched: StoredValue::new(false) }
    }
}

/// Puts `<html lang>` in step with the language, for screen readers, fonts and the browser's
/// own texts (date pickers).
pub fn set_document_lang(lang: Lang) {
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("lang", lang.tag());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_tags_choose_the_language_they_ask_for() {
        assert_eq!(Lang::of_browser_tag("en-GB"), Some(Lang::En));
        assert_eq!(Lang::of_browser_tag("zh-CN"), Some(Lang::ZhCn));
        assert_eq!(Lang::of_browser_tag("zh"), Some(Lang::ZhCn));
        assert_eq!(Lang::of_browser_tag("zh-Hans-HK"), Some(Lang::ZhCn));
        assert_eq!(Lang::of_browser_tag("zh-TW"), None);
        assert_eq!(Lang::of_browser_tag("zh-Hant"), None);
        assert_eq!(Lang::of_browser_tag("de-DE"), None);
        assert_eq!(Lang::of_browser_tag(""), None);
    }

    #[test]
    fn tags_read_back_as_their_language_and_others_are_refused() {
        for lang in Lang::ALL {
            assert_eq!(Lang::try_from(lang.tag().to_owned()), Ok(lang));
        }
        assert_eq!(Lang::try_from("ZH-cn".to_owned()), Ok(Lang::ZhCn));
        assert_eq!(Lang::try_from("zh-Hans".to_owned()), Ok(Lang::ZhCn));
        assert_eq!(Lang::try_from("en-US".to_owned()), Ok(Lang::En));
        assert!(Lang::try_from("fr".to_owned()).unwrap_err().contains("zh-CN"));
        assert!(Lang::try_from("zh-TW".to_owned()).is_err(), "no catalogue in Traditional Chinese");
    }
}
