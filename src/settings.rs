//! The dashboard's settings: which backend it talks to, in which time zone it shows times, and
//! the access token of a proxy that asks for one.
//!
//! Three sources, the first that sets a field wins:
//!
//! 1. what the user saved in this browser (`localStorage["export-desk.settings"]`, written by the
//!    Settings page through [`DeskSettings::save`]);
//! 2. the deployment's file **`export-desk.json`**, placed next to `index.html` (served at
//!    [`DEPLOY_FILE_PATH`]), read once at start by [`load`]. For example:
//!
//!    ```json
//!    {"backend_url": "https://desk-api.example.com", "time_zone": "Asia/Shanghai", "language": "zh-CN"}
//!    ```
//!
//!    Every field is optional; an unknown field or a bad value makes the file
//!    [`DeployFile::Invalid`] (reported, and ignored as a whole) rather than half-applied;
//! 3. the defaults: the backend on the dashboard's own origin (relative paths), local time, and
//!    the first of the browser's languages the dashboard speaks (English when none is).
//!
//! The proxy's access token is the exception: it comes from this browser's storage only. The
//! deployment's file is served to anyone who asks, so a token in it would guard nothing; a file
//! that sets one is refused as a whole (see [`DeployFile::Invalid`]).
//!
//! A backend on another origin must allow this origin by CORS (and expose `X-Request-Id`,
//! `Retry-After` and `Content-Disposition`), since every call then leaves the page's origin.
//!
//! Settings live in a context, [`DeskSettings`], which the app provides once [`load`] has read
//! both sources (it waits for them, so nothing is fetched before). Every API call and every shown
//! time reads it when it is made; saving reloads the dashboard, so nothing needs to track it.

use crate::i18n::Lang;
use crate::time_zone::TimeZone;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use export_desk_model::desk::DEPLOY_FILE_PATH;
/// The `localStorage` key of what the user saved.
pub const STORAGE_KEY: &str = "export-desk.settings";

/// Settings as a source gives them (the deployment's file, the browser's storage): a field left
/// out defers to the next source.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsFile {
    /// Absolute `http(s)://host[:port][/prefix]` of the Export Desk server; empty = same origin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backend_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<TimeZone>,
    /// The dashboard's language; left out, the browser's languages decide.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Lang>,
    /// Sent as `X-Desk-Token` on every API call, for a proxy started with
    /// `EXPORT_DESK_ACCESS_TOKEN`. Only ever read from the browser's storage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
}

/// The settings in force.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// Normalised (no trailing `/`); empty means the dashboard's own origin.
    pub backend_url: String,
    pub time_zone: TimeZone,
    /// The language chosen here or by the deployment; `None` follows the browser's languages
    /// (see [`Settings::language_in_force`]).
    pub language: Option<Lang>,
    /// The proxy's access token, when the user entered one.
    pub access_token: Option<String>,
}

/// What became of the deployment's file, for the Settings page to explain.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum DeployFile {
    /// Not read yet.
    #[default]
    NotLoaded,
    /// No file (404, or a host's HTML fallback page): the defaults apply.
    Absent,
    Loaded(SettingsFile),
    /// Present but unusable, and why. Nothing of it is applied.
    Invalid(DeployProblem),
}

/// Why a settings value or file was refused; the Settings page words it in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingsProblem {
    /// Not JSON, an unknown field, or a value of the wrong shape: the JSON reader's own words,
    /// shown as they came (they quote the file's text).
    Json(String),
    /// A server URL that does not start with `http://` or `https://`.
    UrlScheme(String),
    UrlNoHost(String),
    /// A server URL with spaces, a query or a fragment.
    UrlNotPlain(String),
    /// An access token with characters an HTTP header cannot carry.
    TokenNotAscii,
    /// The browser gives no storage (private mode, a policy).
    StorageUnavailable,
    /// The browser refused to store (full, a policy).
    StorageRefused,
}

/// Why the deployment's file was not applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeployProblem {
    /// The request failed: the browser's words.
    Unreadable(String),
    /// Any answer but 200 or 404.
    Http(u16),
    /// It sets `access_token`, which anyone can read there.
    HoldsToken,
    Refused(SettingsProblem),
}

impl SettingsFile {
    /// Parses and checks a settings file's text (the deployment's or the stored one).
    pub fn parse(text: &str) -> Result<Self, SettingsProblem> {
        serde_json::from_str::<Self>(text).map_err(|e| SettingsProblem::Json(e.to_string()))?.normalized()
    }

    /// The file with its URL and token checked and normalised (see [`normalize_backend_url`],
    /// [`normalize_access_token`]).
    fn normalized(mut self) -> Result<Self, SettingsProblem> {
        if let Some(url) = &self.backend_url {
            self.backend_url = Some(normalize_backend_url(url)?);
        }
        if let Some(token) = &self.access_token {
            self.access_token = normalize_access_token(token)?;
        }
        Ok(self)
    }
}

impl Settings {
    /// The settings in force: each field from the first source that sets it.
    pub fn resolve(stored: &SettingsFile, deployed: &SettingsFile) -> Self {
        Self {
            backend_url: stored.backend_url.clone().or_else(|| deployed.backend_url.clone()).unwrap_or_default(),
            time_zone: stored.time_zone.clone().or_else(|| deployed.time_zone.clone()).unwrap_or_default(),
            language: stored.language.or(deployed.language),
            access_token: stored.access_token.clone(),
        }
    }

    /// The language to speak: the one chosen, else the first of the browser's the dashboard speaks.
    pub fn language_in_force(&self) -> Lang {
        self.language.unwrap_or_else(Lang::of_browser)
    }

    /// The URL of an API path (`/v1.0/cdn/historytasks?…`, `/` for Tencent) on the backend.
    pub fn api_url(&self, path: &str) -> String {
        join_url(&self.backend_url, path)
    }
}

/// Checks a backend URL: empty (same origin) or `http(s)://host…` with no query or fragment,
/// returned without its trailing `/` so paths can be appended.
pub fn normalize_backend_url(text: &str) -> Result<String, SettingsProblem> {
    let url = text.trim();
    if url.is_empty() {
        return Ok(String::new());
    }
    let rest = ["http://", "https://"]
        .iter()
        .find_map(|scheme| {
            url.get(..scheme.len()).filter(|head| head.eq_ignore_ascii_case(scheme)).map(|_| &url[scheme.len()..])
        })
        .ok_or_else(|| SettingsProblem::UrlScheme(url.to_owned()))?;
    let host = rest.split('/').next().unwrap_or_default();
    if host.is_empty() {
        return Err(SettingsProblem::UrlNoHost(url.to_owned()));
    }
    if url.contains(['?', '#']) || url.chars().any(char::is_whitespace) {
        return Err(SettingsProblem::UrlNotPlain(url.to_owned()));
    }
    Ok(url.trim_end_matches('/').to_owned())
}

/// Checks an access token as typed: spaces around it are dropped, empty means none, and it must
/// be printable ASCII (it travels in an HTTP header, which takes nothing else).
pub fn normalize_access_token(text: &str) -> Result<Option<String>, SettingsProblem> {
    let token = text.trim();
    if token.is_empty() {
        return Ok(None);
    }
    if !token.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
        return Err(SettingsProblem::TokenNotAscii);
    }
    Ok(Some(token.to_owned()))
}

/// `base` + `path`, where `path` starts with `/` and `base` has no trailing `/`.
pub fn join_url(base: &str, path: &str) -> String {
    if base.is_empty() {
        path.to_owned()
    } else {
        format!("{base}{path}")
    }
}

/// The settings in force, with what the user saved and what became of the deployment's file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Loaded {
    pub stored: SettingsFile,
    pub deployed: DeployFile,
    pub current: Settings,
}

/// The app's settings, shared through a context ([`DeskSettings::provide`], read with
/// [`use_settings`]): what every API call and every shown time rests on.
///
/// ```ignore
/// let loaded = settings::load().await;
/// let settings = DeskSettings::provide(loaded); // once, above every page
/// // anywhere below: the settings in force, tracked
/// let zone = settings::current().time_zone;
/// ```
#[derive(Debug, Clone, Copy)]
pub struct DeskSettings(RwSignal<Loaded>);

impl DeskSettings {
    /// Puts what [`load`] read in force for everything under the current owner.
    pub fn provide(loaded: Loaded) -> Self {
        let settings = Self(RwSignal::new(loaded));
        provide_context(settings);
        settings
    }

    // Read untracked: saving reloads the dashboard (the server's description comes from the
    // backend), so no view or call has to follow a change.

    /// The settings in force.
    pub fn current(self) -> Settings {
        self.0.with_untracked(|loaded| loaded.current.clone())
    }

    /// The time zone in force, without cloning the rest.
    pub fn time_zone(self) -> TimeZone {
        self.0.with_untracked(|loaded| loaded.current.time_zone.clone())
    }

    /// What the user saved in this browser (fields left out follow the deployment).
    pub fn stored(self) -> SettingsFile {
        self.0.with_untracked(|loaded| loaded.stored.clone())
    }

    /// What became of the deployment's `export-desk.json`.
    pub fn deploy_file(self) -> DeployFile {
        self.0.with_untracked(|loaded| loaded.deployed.clone())
    }

    /// Saves the user's choice in this browser and puts it in force. Fields left out follow the
    /// deployment again. A refused choice changes nothing.
    pub fn save(self, choice: SettingsFile) -> Result<Settings, SettingsProblem> {
        let choice = choice.normalized()?;
        let text = serde_json::to_string(&choice).map_err(|e| SettingsProblem::Json(e.to_string()))?;
        let storage = local_storage().ok_or(SettingsProblem::StorageUnavailable)?;
        storage.set_item(STORAGE_KEY, &text).map_err(|_| SettingsProblem::StorageRefused)?;
        let current = self.0.with_untracked(|loaded| Settings::resolve(&choice, &loaded.deployed.fields()));
        self.0.update(|loaded| {
            loaded.current = current.clone();
            loaded.stored = choice;
        });
        Ok(current)
    }
}

impl DeployFile {
    /// The fields the file sets; none unless it was loaded and valid.
    fn fields(&self) -> SettingsFile {
        match self {
            DeployFile::Loaded(file) => file.clone(),
            _ => SettingsFile::default(),
        }
    }
}

/// The app's settings, when called under the app: in a component, or in a call a page made
/// (resources and actions run under their page's owner). `None` elsewhere.
pub fn use_settings() -> Option<DeskSettings> {
    use_context()
}

/// The settings in force. Outside the app (a component mounted alone, as in the
/// component tests) the defaults: the page's own origin and local time.
pub fn current() -> Settings {
    use_settings().map(DeskSettings::current).unwrap_or_default()
}

/// The time zone in force; outside the app, the browser's.
pub fn time_zone() -> TimeZone {
    use_settings().map(DeskSettings::time_zone).unwrap_or_default()
}

/// Reads the browser's saved settings and the deployment's file, and resolves the settings in
/// force from them; [`DeskSettings::provide`] puts them in force.
pub async fn load() -> Loaded {
    let stored = read_storage();
    let deployed = fetch_deploy_file().await;
    let current = Settings::resolve(&stored, &deployed.fields());
    Loaded { stored, deployed, current }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// A stored value that no longer parses (edited by hand, written by an older version) is
/// dropped rather than blocking the app: the user can save again.
fn read_storage() -> SettingsFile {
    local_storage()
        .and_then(|storage| storage.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|text| SettingsFile::parse(&text).ok())
        .unwrap_or_default()
}

async fn fetch_deploy_file() -> DeployFile {
    let response = match gloo_net::http::Request::get(DEPLOY_FILE_PATH).send().await {
        Ok(response) => response,
        Err(error) => return DeployFile::Invalid(DeployProblem::Unreadable(error.to_string())),
    };
    // A static host that answers every unknown path with the app's page (an SPA fallback) has
    // no file either.
    let html = response.headers().get("Content-Type").is_some_and(|t| t.starts_with("text/html"));
    if response.status() == 404 || html {
        return DeployFile::Absent;
    }
    if !response.ok() {
        return DeployFile::Invalid(DeployProblem::Http(response.status()));
    }
    match response.text().await {
        Ok(text) => match SettingsFile::parse(&text) {
            Ok(file) if file.access_token.is_some() => DeployFile::Invalid(DeployProblem::HoldsToken),
            Ok(file) => DeployFile::Loaded(file),
            Err(problem) => DeployFile::Invalid(DeployProblem::Refused(problem)),
        },
        Err(error) => DeployFile::Invalid(DeployProblem::Unreadable(error.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_urls_are_checked_and_lose_their_trailing_slash() {
        assert_eq!(normalize_backend_url("").unwrap(), "");
        assert_eq!(normalize_backend_url("  ").unwrap(), "");
        assert_eq!(normalize_backend_url("https://desk.example.com/").unwrap(), "https://desk.example.com");
        assert_eq!(normalize_backend_url("HTTP://127.0.0.1:8080/api//").unwrap(), "HTTP://127.0.0.1:8080/api");
        assert_eq!(
            normalize_backend_url("desk.example.com"),
            Err(SettingsProblem::UrlScheme("desk.example.com".into()))
        );
        assert!(normalize_backend_url("ftp://desk.example.com").is_err());
        assert_eq!(normalize_backend_url("https:///path"), Err(SettingsProblem::UrlNoHost("https:///path".into())));
        assert!(matches!(normalize_backend_url("https://desk.example.com/?x=1"), Err(SettingsProblem::UrlNotPlain(_))));
        assert!(normalize_backend_url("https://desk.example.com/#top").is_err());
        assert!(normalize_backend_url("https://desk example.com").is_err());
    }

    #[test]
    fn paths_join_the_backend_or_stay_relative() {
        let same_origin = Settings::default();
        assert_eq!(same_origin.api_url("/_desk/config"), "/_desk/config");
        let remote = Settings { backend_url: "https://desk.example.com/api".into(), ..Settings::default() };
        assert_eq!(
            remote.api_url("/v1.0/cdn/historytasks?page_size=30"),
            "https://desk.example.com/api/v1.0/cdn/historytasks?page_size=30"
        );
        assert_eq!(remote.api_url("/"), "https://desk.example.com/api/");
    }

    #[test]
    fn the_user_choice_wins_over_the_deployment_which_wins_over_defaults() {
        let deployed = SettingsFile {
            backend_url: Some("https://a.example".into()),
            time_zone: Some(TimeZone::Utc),
            language: Some(Lang::ZhCn),
            access_token: Some("never-taken-from-the-deployment".into()),
        };
        let stored =
            SettingsFile { time_zone: Some(TimeZone::Local), language: Some(Lang::En), ..SettingsFile::default() };
        assert_eq!(
            Settings::resolve(&stored, &deployed),
            Settings {
                backend_url: "https://a.example".into(),
                time_zone: TimeZone::Local,
                language: Some(Lang::En),
                access_token: None
            }
        );
        let stored = SettingsFile {
            backend_url: Some(String::new()),
            access_token: Some("t0ken".into()),
            ..SettingsFile::default()
        };
        assert_eq!(
            Settings::resolve(&stored, &deployed),
            Settings {
                backend_url: String::new(),
                time_zone: TimeZone::Utc,
                language: Some(Lang::ZhCn),
                access_token: Some("t0ken".into())
            }
        );
        assert_eq!(Settings::resolve(&SettingsFile::default(), &SettingsFile::default()), Settings::default());
    }

    #[test]
    fn settings_files_are_parsed_strictly() {
        let file = SettingsFile::parse(r#"{"backend_url":"https://a.example/","time_zone":"utc","language":"zh-CN"}"#)
            .unwrap();
        assert_eq!(
            file,
            SettingsFile {
                backend_url: Some("https://a.example".into()),
                time_zone: Some(TimeZone::Utc),
                language: Some(Lang::ZhCn),
                access_token: None
            }
        );
        let json_problem = |text| match SettingsFile::parse(text) {
            Err(SettingsProblem::Json(message)) => message,
            other => panic!("{text}: {other:?}"),
        };
        assert!(json_problem(r#"{"language":"fr"}"#).contains("zh-CN"));
        assert_eq!(SettingsFile::parse("{}").unwrap(), SettingsFile::default());
        assert!(json_problem(r#"{"backend":"https://a.example"}"#).contains("unknown field"));
        assert!(json_problem(r#"{"time_zone":"cet"}"#).contains("Asia/Shanghai"));
        let beijing = SettingsFile::parse(r#"{"time_zone":"Asia/Shanghai"}"#).unwrap();
        assert_eq!(beijing.time_zone, Some(TimeZone::Named("Asia/Shanghai".into())));
        assert_eq!(serde_json::to_string(&beijing).unwrap(), r#"{"time_zone":"Asia/Shanghai"}"#);
        assert_eq!(
            SettingsFile::parse(r#"{"backend_url":"a.example"}"#),
            Err(SettingsProblem::UrlScheme("a.example".into()))
        );
        assert!(SettingsFile::parse("not json").is_err());
        let saved = SettingsFile { time_zone: Some(TimeZone::Local), ..SettingsFile::default() };
        assert_eq!(serde_json::to_string(&saved).unwrap(), r#"{"time_zone":"local"}"#);
    }

    #[test]
    fn access_tokens_are_trimmed_and_must_fit_in_a_header() {
        assert_eq!(normalize_access_token("  ").unwrap(), None);
        assert_eq!(normalize_access_token(" abc-DEF_123~! ").unwrap().as_deref(), Some("abc-DEF_123~!"));
        assert_eq!(normalize_access_token("toké"), Err(SettingsProblem::TokenNotAscii));
        assert!(normalize_access_token("a\nb").is_err());
        let stored = SettingsFile::parse(r#"{"access_token":"  s3cret  "}"#).unwrap();
        assert_eq!(stored.access_token.as_deref(), Some("s3cret"));
    }
}
