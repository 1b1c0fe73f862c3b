//! The browser side of the settings every API call's URL rests on, in headless Chromium
//! (wasm-bindgen-test): the deployment's `export-desk.json` and `localStorage`.
//! (`Download::save` is left to end-to-end tests, whose browser can catch a download; here it
//! would land in the Downloads folder of whoever runs the tests.)
#![cfg(target_arch = "wasm32")]

use export_desk::api::{ApiError, NotSent};
use export_desk::i18n::Lang;
use export_desk::settings::{self, DeployFile, DeskSettings, SettingsFile};
use export_desk::time_zone::TimeZone;
use leptos::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn settings_load_without_a_deployment_file_and_keep_what_the_user_saved() {
    // The test server has no export-desk.json: the defaults apply and the Settings page can say why.
    let storage = window().local_storage().unwrap().unwrap();
    storage.remove_item(settings::STORAGE_KEY).unwrap();
    let loaded = settings::load().await;
    assert_eq!(loaded.deployed, DeployFile::Absent);
    assert_eq!((loaded.current.backend_url.as_str(), &loaded.current.time_zone), ("", &TimeZone::Local));
    let owner = Owner::new();
    let in_force = owner.with(|| DeskSettings::provide(loaded));
    assert_eq!(owner.with(settings::current).api_url("/_desk/config"), "/_desk/config");
    assert_eq!(owner.with(settings::time_zone), TimeZone::Local);

    let saved = in_force
        .save(SettingsFile {
            backend_url: Some("https://desk.example.com/".into()),
            time_zone: Some(TimeZone::Utc),
            language: Some(Lang::ZhCn),
            access_token: Some(" proxy-token-0123456789 ".into()),
        })
        .unwrap();
    let current = owner.with(settings::current);
    assert_eq!(current.access_token.as_deref(), Some("proxy-token-0123456789"), "kept without the spaces");
    assert_eq!(saved.backend_url, "https://desk.example.com");
    assert_eq!(current.api_url("/"), "https://desk.example.com/");
    assert_eq!(owner.with(settings::time_zone), TimeZone::Utc, "what every shown time reads");
    assert_eq!(in_force.stored().time_zone, Some(TimeZone::Utc));
    assert_eq!(current.language_in_force(), Lang::ZhCn, "a chosen language wins over the browser's");
    // What was stored is what a later start reads.
    assert_eq!(settings::load().await.current, saved);
    assert!(in_force
        .save(SettingsFile { backend_url: Some("desk.example.com".into()), ..SettingsFile::default() })
        .is_err());
    assert_eq!(in_force.current(), saved, "a refused choice changes nothing");

    // A stored value that no longer parses is dropped, not fatal.
    storage.set_item(settings::STORAGE_KEY, "{not json").unwrap();
    assert_eq!(settings::load().await.current.backend_url, "");
    storage.remove_item(settings::STORAGE_KEY).unwrap();
}

#[wasm_bindgen_test]
async fn a_call_made_outside_the_app_is_not_sent() {
    // No owner, so no settings: the call cannot know its backend and must not guess one.
    let answer = export_desk::api::desk::config().await;
    assert!(matches!(answer, Err(ApiError::NotSent(NotSent::OutsideTheApp))), "sent without settings: {answer:?}");
    // Outside the app, shown times follow the browser's zone.
    assert_eq!(settings::time_zone(), TimeZone::Local);
}

/// Named zones are read through the browser's `Intl`: offsets with daylight saving, typed times
/// back to instants, and names the browser does not know refused.
#[wasm_bindgen_test]
fn named_time_zones_follow_the_browsers_zone_rules() {
    use export_desk::time_zone;
    let named = |name: &str| TimeZone::Named(name.to_owned());
    let utc = |text: &str| chrono::DateTime::parse_from_rfc3339(text).unwrap().timestamp_millis();
    let winter = utc("2026-01-15T12:00:00Z");
    let summer = utc("2026-07-15T12:00:00Z");
    assert_eq!(time_zone::offset_minutes(&named(time_zone::BEIJING), winter), Some(480));
    assert_eq!(time_zone::offset_minutes(&named(time_zone::BEIJING), summer), Some(480));
    assert_eq!(time_zone::offset_minutes(&named("America/New_York"), winter), Some(-300));
    assert_eq!(time_zone::offset_minutes(&named("America/New_York"), summer), Some(-240));
    assert_eq!(time_zone::offset_minutes(&named("Asia/Kolkata"), summer), Some(330));
    assert_eq!(time_zone::label_at(&named(time_zone::BEIJING), winter), "UTC+8");

    let wall = |text: &str| chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M").unwrap();
    assert_eq!(time_zone::instant_of(&named(time_zone::BEIJING), &wall("2026-01-15T20:00")), Some(winter));
    assert_eq!(time_zone::instant_of(&named("America/New_York"), &wall("2026-07-15T08:00")), Some(summer));
    // 02:30 on 2026-03-08 does not happen in New York (the clocks go from 02:00 to 03:00).
    assert_eq!(time_zone::instant_of(&named("America/New_York"), &wall("2026-03-08T02:30")), None);
    let shown = time_zone::at(&named(time_zone::BEIJING), winter).unwrap();
    assert_eq!(shown.naive_local(), wall("2026-01-15T20:00"));

    assert!(time_zone::is_known("Europe/Berlin"));
    assert!(!time_zone::is_known("Mars/Olympus_Mons"));
    assert!(time_zone::known_zones().iter().any(|zone| zone == "Asia/Shanghai"));
    assert!(time_zone::browser_zone().is_some_and(|zone| !zone.is_empty()));
    // A deployment file is read by every browser: a zone this one does not know keeps the file
    // (its other settings stand) and shows times in UTC, labelled so.
    let unknown = SettingsFile::parse(r#"{"time_zone":"Mars/Olympus_Mons"}"#).unwrap().time_zone.unwrap();
    assert_eq!(unknown, named("Mars/Olympus_Mons"));
    assert_eq!(time_zone::offset_minutes(&unknown, winter), None);
    assert_eq!(time_zone::label_at(&unknown, winter), "UTC");
    // A time beyond what a JavaScript Date holds is not the browser's to format: no offset, no throw.
    assert_eq!(time_zone::offset_minutes(&named(time_zone::BEIJING), i64::MAX), None);
    assert_eq!(
        SettingsFile::parse(r#"{"time_zone":"Asia/Shanghai"}"#).unwrap().time_zone,
        Some(named(time_zone::BEIJING))
    );
}
