//! Settings: which Export Desk server the dashboard talks to, the time zone it shows and takes
//! times in, and the access token of a proxy that asks for one. Kept in this browser; a deployment
//! can set the first two in `export-desk.json` next to `index.html` (see [`crate::settings`]),
//! which a saved choice overrides field by field. The token is never shown back, only whether one
//! is set.

use crate::components::Field;
use crate::settings::{self, DeployFile, DeskSettings, Loaded, SettingsFile, TimeZone};
use crate::time_zone::{self, BEIJING};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

#[component]
pub fn SettingsPage() -> impl IntoView {
    // Under the app there always are settings; a page mounted alone starts from the defaults.
    let desk_settings = settings::use_settings().unwrap_or_else(|| DeskSettings::provide(Loaded::default()));
    let saved = desk_settings.stored();
    let backend = RwSignal::new(saved.backend_url.clone().unwrap_or_default());
    // `None`: follow the deployment's file (or the default).
    let zone = RwSignal::new(saved.time_zone.clone());
    // What is typed as "another zone", kept while another choice is made.
    let other_zone = RwSignal::new(match &saved.time_zone {
        Some(TimeZone::Named(name)) if name != BEIJING => name.clone(),
        _ => String::new(),
    });
    let other_error = RwSignal::new(None::<String>);
    let backend_error = RwSignal::new(None::<String>);
    // `None`: follow the deployment's file (or the browser's languages).
    let language = RwSignal::new(saved.language);
    let token = RwSignal::new(saved.access_token.clone().unwrap_or_default());
    let token_error = RwSignal::new(None::<String>);
    let store_error = RwSignal::new(None::<String>);

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let typed = backend.get_untracked();
        if let Err(message) = settings::normalize_backend_url(&typed) {
            backend_error.set(Some(message));
            focus("backend_url");
            return;
        }
        backend_error.set(None);
        let access_token = match settings::normalize_access_token(&token.get_untracked()) {
            Ok(access_token) => access_token,
            Err(message) => {
                token_error.set(Some(message));
                focus("access_token");
                return;
            }
        };
        token_error.set(None);
        if let Some(TimeZone::Named(name)) = zone.get_untracked() {
            if !time_zone::is_known(&name) {
                other_error.set(Some(format!(
                    "This browser does not know the time zone \"{name}\": choose one from the list, such as {BEIJING}."
                )));
                focus("zone-other-name");
                return;
            }
        }
        other_error.set(None);
        let choice = SettingsFile {
            backend_url: (!typed.trim().is_empty()).then(|| typed.trim().to_owned()),
            time_zone: zone.get_untracked(),
            language: language.get_untracked(),
            access_token,
        };
        match desk_settings.save(choice) {
            // Every page reads the settings when it loads, and the server's description
            // (`/_desk/config`) comes from the backend: start afresh with the new ones.
            Ok(_) => reload(),
            Err(message) => store_error.set(Some(message)),
        }
    };
    let zone_choice = move |value: Option<TimeZone>, label: String, id: &'static str| {
        let checked = value.clone();
        view! {
            <label class="choice" for=id>
                <input type="radio" name="time_zone" id=id
                    prop:checked=move || zone.with(|zone| *zone == checked)
                    on:change=move |_| {
                        other_error.set(None);
                        zone.set(value.clone());
                    }/>
                {label}
            </label>
        }
    };
    let other_chosen = move || zone.with(|zone| matches!(zone, Some(TimeZone::Named(name)) if name != BEIJING));
    let choose_other = move || zone.set(Some(TimeZone::Named(other_zone.get_untracked().trim().to_owned())));
    let known_zones = time_zone::known_zones();
    let current = desk_settings.current();
    view! {
        <section class="page settings-page">
            <h1>"Settings"</h1>
            <p class="page-intro">"Kept in this browser. Saving reloads the dashboard with the new settings."</p>
            <form class="task-form" on:submit=on_submit novalidate>
                <Field label="Export Desk server" id="backend_url" error=backend_error
                    hint="Leave empty for the server this page came from. Another origin must allow this one (CORS).">
                    <input type="url" id="backend_url" name="backend_url" placeholder="https://desk.example.com"
                        prop:value=move || backend.get()
                        on:input=move |ev| backend.set(event_target_value(&ev))
                        aria-invalid=move || backend_error.with(Option::is_some).to_string()
                        aria-describedby="backend_url-error"/>
                </Field>
                <Field label="Proxy access token" id="access_token" error=token_error
                    hint="Only for a proxy started with EXPORT_DESK_ACCESS_TOKEN: sent with every call as X-Desk-Token. Kept in this browser only.">
                    <input type="password" id="access_token" name="access_token" autocomplete="off" spellcheck="false"
                        prop:value=move || token.get()
                        on:input=move |ev| token.set(event_target_value(&ev))
                        aria-invalid=move || token_error.with(Option::is_some).to_string()
                        aria-describedby="access_token-error"/>
                </Field>
                <fieldset class="field">
                    <legend>"Time zone for times shown and typed"</legend>
                    {zone_choice(None, "As the deployment sets it (default: this browser's)".to_owned(), "zone-default")}
                    {zone_choice(Some(TimeZone::Local), format!("This browser's time zone: {}", zone_text(&TimeZone::Local)), "zone-local")}
                    {zone_choice(Some(TimeZone::Utc), "UTC".to_owned(), "zone-utc")}
                    {zone_choice(Some(TimeZone::Named(BEIJING.to_owned())), zone_text(&TimeZone::Named(BEIJING.to_owned())), "zone-beijing")}
                    <label class="choice" for="zone-other">
                        <input type="radio" name="time_zone" id="zone-other"
                            prop:checked=other_chosen
                            on:change=move |_| choose_other()/>
                        "Another zone (IANA name):"
                    </label>
                    <input type="text" id="zone-other-name" list="zone-names" autocomplete="off" spellcheck="false"
                        placeholder="Europe/Berlin" aria-label="Another time zone, by IANA name"
                        prop:value=move || other_zone.get()
                        on:input=move |ev| {
                            other_zone.set(event_target_value(&ev));
                            choose_other();
                        }
                        aria-invalid=move || other_error.with(Option::is_some).to_string()
                        aria-describedby="zone-other-name-error"/>
                    <datalist id="zone-names">
                        {known_zones.into_iter().map(|name| view! { <option value=name></option> }).collect_view()}
                    </datalist>
                    <p class="field-error" id="zone-other-name-error" aria-live="polite">{move || other_error.get()}</p>
                </fieldset>
                <p class="field-error" role="alert">{move || store_error.get()}</p>
                <button type="submit" class="button primary">"Save settings"</button>
            </form>
            <h2>"In force now"</h2>
            <dl class="settings-now">
                <dt>"Server"</dt>
                <dd id="backend-in-force">
                    {if current.backend_url.is_empty() { "This page's own origin".to_owned() } else { current.backend_url.clone() }}
                </dd>
                <dt>"Time zone"</dt>
                <dd id="zone-in-force">{zone_text(&current.time_zone)}</dd>
                <dt>"Proxy access token"</dt>
                <dd id="token-in-force">
                    {if current.access_token.is_some() { "Set in this browser, sent with every call" } else { "None" }}
                </dd>
                <dt>"Deployment file"</dt>
                <dd id="deploy-file">{deploy_file_text(&desk_settings.deploy_file())}</dd>
            </dl>
        </section>
    }
}

fn deploy_file_text(file: &DeployFile) -> String {
    let path = settings::DEPLOY_FILE_PATH;
    match file {
        DeployFile::NotLoaded => format!("{path} has not been read yet"),
        DeployFile::Absent => format!("none ({path} is not there): the defaults apply"),
        DeployFile::Loaded(file) => format!(
            "{path} sets {}",
            match (&file.backend_url, file.time_zone.as_ref().map(zone_text)) {
                (Some(url), Some(zone)) => format!("the server {url} and the time zone {zone}"),
                (Some(url), None) => format!("the server {url}"),
                (None, Some(zone)) => format!("the time zone {zone}"),
                (None, None) => "nothing: the defaults apply".to_owned(),
            }
        ),
        DeployFile::Invalid(message) => format!("{path} is ignored: {message}"),
    }
}

/// A zone as Settings names it, with its offset now: "this browser's (Europe/Berlin, UTC+1)",
/// "UTC", "Beijing time (UTC+8)", "America/New_York (UTC-5)".
fn zone_text(zone: &TimeZone) -> String {
    let offset = time_zone::label_at(zone, chrono::Utc::now().timestamp_millis());
    match zone {
        TimeZone::Local => match time_zone::browser_zone() {
            Some(name) => format!("this browser's ({name}, {offset})"),
            None => format!("this browser's ({offset})"),
        },
        TimeZone::Utc => "UTC".to_owned(),
        TimeZone::Named(name) if name == BEIJING => format!("Beijing time ({offset})"),
        TimeZone::Named(name) => format!("{name} ({offset})"),
    }
}

fn focus(id: &str) {
    if let Some(element) = document().get_element_by_id(id) {
        use wasm_bindgen::JsCast;
        if let Ok(element) = element.dyn_into::<web_sys::HtmlElement>() {
            let _ = element.focus();
        }
    }
}

fn reload() {
    let _ = window().location().reload();
}
