//! The browser side of the settings every API call's URL rests on, in headless Chromium
//! (wasm-bindgen-test): the deployment's `export-desk.json` and `localStorage`.
//! (`Download::save` is left to end-to-end tests, whose browser can catch a download; here it
//! would land in the Downloads folder of whoever runs the tests.)
#![cfg(target_arch = "wasm32")]

use export_desk::api::ApiError;
use export_desk::settings::{self, DeployFile, DeskSettings, SettingsFile, TimeZone};
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
    assert_eq!((loaded.current.backend_url.as_str(), loaded.current.time_zone), ("", TimeZone::Local));
    let owner = Owner::new();
    let in_force = owner.with(|| DeskSettings::provide(loaded));
    assert_eq!(owner.with(settings::current).api_url("/_desk/config"), "/_desk/config");
    assert_eq!(owner.with(settings::time_zone), TimeZone::Local);

    let saved = in_force
        .save(SettingsFile {
            backend_url: Some("https://desk.example.com/".into()),
            time_zone: Some(TimeZone::Utc),
            access_token: Some(" proxy-token-0123456789 ".into()),
        })
        .unwrap();
    let current = owner.with(settings::current);
    assert_eq!(current.access_token.as_deref(), Some("proxy-token-0123456789"), "kept without the spaces");
    assert_eq!(saved.backend_url, "https://desk.example.com");
    assert_eq!(current.api_url("/"), "https://desk.example.com/");
    assert_eq!(owner.with(settings::time_zone), TimeZone::Utc, "what every shown time reads");
    assert_eq!(in_force.stored().time_zone, Some(TimeZone::Utc));
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
    let Err(ApiError::Network(message)) = answer else { panic!("sent without settings: {answer:?}") };
    assert!(message.contains("not sent"), "{message}");
    // Outside the app, shown times follow the browser's zone.
    assert_eq!(settings::time_zone(), TimeZone::Local);
}
