//! The browser side of the settings every API call's URL rests on, in headless Chromium
//! (wasm-bindgen-test): the deployment's `export-desk.json` and `localStorage`.
//! (`Download::save` is left to end-to-end tests, whose browser can catch a download; here it
//! would land in the Downloads folder of whoever runs the tests.)
#![cfg(target_arch = "wasm32")]

use export_desk::settings::{self, DeployFile, SettingsFile, TimeZone};
use leptos::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn settings_load_without_a_deployment_file_and_keep_what_the_user_saved() {
    // The test server has no export-desk.json: the defaults apply and the Settings page can say why.
    let storage = window().local_storage().unwrap().unwrap();
    storage.remove_item(settings::STORAGE_KEY).unwrap();
    let loaded = settings::load().await;
    assert_eq!(settings::deploy_file(), DeployFile::Absent);
    assert_eq!((loaded.backend_url.as_str(), loaded.time_zone), ("", TimeZone::Local));
    assert_eq!(settings::api_url("/_desk/config"), "/_desk/config");

    let saved = settings::save(SettingsFile {
        backend_url: Some("https://desk.example.com/".into()),
        time_zone: Some(TimeZone::Utc),
        access_token: Some(" proxy-token-0123456789 ".into()),
    })
    .unwrap();
    assert_eq!(settings::access_token().as_deref(), Some("proxy-token-0123456789"), "kept without the spaces");
    assert_eq!(saved.backend_url, "https://desk.example.com");
    assert_eq!(settings::api_url("/"), "https://desk.example.com/");
    assert_eq!(settings::stored().time_zone, Some(TimeZone::Utc));
    // What was stored is what a later start reads.
    assert_eq!(settings::load().await, saved);
    assert!(settings::save(SettingsFile { backend_url: Some("desk.example.com".into()), ..SettingsFile::default() })
        .is_err());
    assert_eq!(settings::current(), saved, "a refused choice changes nothing");

    // A stored value that no longer parses is dropped, not fatal.
    storage.set_item(settings::STORAGE_KEY, "{not json").unwrap();
    assert_eq!(settings::load().await.backend_url, "");
    storage.remove_item(settings::STORAGE_KEY).unwrap();
    settings::load().await;
}
