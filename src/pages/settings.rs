//! Settings: which Export Desk server the dashboard talks to, the time zone it shows and takes
//! times in, the language it speaks, and the access token of a proxy that asks for one. Kept in
//! this browser; a deployment can set all but the token in `export-desk.json` next to
//! `index.html` (see [`crate::settings`]), which a saved choice overrides field by field. The token is never shown back, only whether one
//! is set.

use crate::components::Field;
use crate::i18n::{self, Lang, SettingsWords};
use crate::settings::{self, DeployFile, DeployProblem, DeskSettings, Loaded, SettingsFile, SettingsProblem};
use crate::time_zone::TimeZone;
use crate::time_zone::{self, BEIJING};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let t = &i18n::t().settings;
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
        if let Err(problem) = settings::normalize_backend_url(&typed) {
            backend_error.set(Some(problem_text(t, &problem)));
            focus("backend_url");
            return;
        }
        backend_error.set(None);
        let access_token = match settings::normalize_access_token(&token.get_untracked()) {
            Ok(access_token) => access_token,
            Err(problem) => {
                token_error.set(Some(problem_text(t, &problem)));
                focus("access_token");
                return;
            }
        };
        token_error.set(None);
        if let Some(TimeZone::Named(name)) = zone.get_untracked() {
            if !time_zone::is_known(&name) {
                other_error.set(Some((t.zone_unknown)(&name, BEIJING)));
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
            Err(problem) => store_error.set(Some(problem_text(t, &problem))),
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
    let language_choice = move |value: Option<Lang>, label: &'static str, id: &'static str| {
        // The language's own name is in that language: say so, for screen readers.
        let tag = value.map(Lang::tag);
        view! {
            <label class="choice" for=format!("language-{id}") lang=tag>
                <input type="radio" name="language" id=format!("language-{id}")
                    prop:checked=move || language.get() == value
                    on:change=move |_| language.set(value)/>
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
            <h1>{t.title}</h1>
            <p class="page-intro">{t.intro}</p>
            <form class="task-form" on:submit=on_submit novalidate>
                <Field label=t.server_label id="backend_url" error=backend_error hint=t.server_hint>
                    <input type="url" id="backend_url" name="backend_url" placeholder="https://desk.example.com"
                        prop:value=move || backend.get()
                        on:input=move |ev| backend.set(event_target_value(&ev))
                        aria-invalid=move || backend_error.with(Option::is_some).to_string()
                        aria-describedby="backend_url-error"/>
                </Field>
                <Field label=t.token_label id="access_token" error=token_error hint=t.token_hint>
                    <input type="password" id="access_token" name="access_token" autocomplete="off" spellcheck="false"
                        prop:value=move || token.get()
                        on:input=move |ev| token.set(event_target_value(&ev))
                        aria-invalid=move || token_error.with(Option::is_some).to_string()
                        aria-describedby="access_token-error"/>
                </Field>
                <fieldset class="field">
                    <legend>{t.language_legend}</legend>
                    {language_choice(None, t.language_default, "default")}
                    {Lang::ALL.into_iter().map(|lang| language_choice(Some(lang), lang.own_name(), lang.tag())).collect_view()}
                </fieldset>
                <fieldset class="field">
                    <legend>{t.zone_legend}</legend>
                    {zone_choice(None, t.zone_default.to_owned(), "zone-default")}
                    {zone_choice(Some(TimeZone::Local), (t.zone_browser_choice)(&browser_zone(t, &time_zone::label_at(&TimeZone::Local, chrono::Utc::now().timestamp_millis()))), "zone-local")}
                    {zone_choice(Some(TimeZone::Utc), "UTC".to_owned(), "zone-utc")}
                    {zone_choice(Some(TimeZone::Named(BEIJING.to_owned())), zone_text(t, &TimeZone::Named(BEIJING.to_owned())), "zone-beijing")}
                    <label class="choice" for="zone-other">
                        <input type="radio" name="time_zone" id="zone-other"
                            prop:checked=other_chosen
                            on:change=move |_| choose_other()/>
                        {t.zone_other}
                    </label>
                    <input type="text" id="zone-other-name" list="zone-names" autocomplete="off" spellcheck="false"
                        placeholder="Europe/Berlin" aria-label=t.zone_other_aria
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
                <button type="submit" class="button primary">{t.save}</button>
            </form>
            // Not part of the form: it takes effect on its own click (the browser asks then).
            <crate::watch::BrowserNoticeSettings/>
            <h2>{t.in_force}</h2>
            <dl class="settings-now">
                <dt>{t.now_server}</dt>
                <dd id="backend-in-force">
                    {if current.backend_url.is_empty() { t.now_server_own.to_owned() } else { current.backend_url.clone() }}
                </dd>
                <dt>{t.now_zone}</dt>
                <dd id="zone-in-force">{zone_text(t, &current.time_zone)}</dd>
                <dt>{t.now_language}</dt>
                <dd id="language-in-force">
                    {match current.language {
                        Some(lang) => lang.own_name().to_owned(),
                        None => (t.now_language_browser)(current.language_in_force().own_name()),
                    }}
                </dd>
                <dt>{t.now_token}</dt>
                <dd id="token-in-force">
                    {if current.access_token.is_some() { t.token_set } else { t.token_none }}
                </dd>
                <dt>{t.now_deploy_file}</dt>
                <dd id="deploy-file">{deploy_file_text(t, &desk_settings.deploy_file())}</dd>
            </dl>
        </section>
    }
}

fn deploy_file_text(t: &'static SettingsWords, file: &DeployFile) -> String {
    let path = settings::DEPLOY_FILE_PATH;
    match file {
        DeployFile::NotLoaded => (t.deploy_not_loaded)(path),
        DeployFile::Absent => (t.deploy_absent)(path),
        DeployFile::Loaded(file) => {
            let parts: Vec<String> = [
                file.backend_url.as_deref().map(t.sets_server),
                file.time_zone.as_ref().map(|zone| (t.sets_zone)(&zone_text(t, zone))),
                file.language.map(|lang| (t.sets_language)(lang.own_name())),
            ]
            .into_iter()
            .flatten()
            .collect();
            if parts.is_empty() {
                (t.deploy_sets_nothing)(path)
            } else {
                (t.deploy_sets)(path, &parts)
            }
        }
        DeployFile::Invalid(problem) => {
            let why = match problem {
                DeployProblem::Unreadable(error) => (t.deploy_unreadable)(error),
                DeployProblem::Http(status) => (t.deploy_http)(*status),
                DeployProblem::HoldsToken => t.deploy_holds_token.to_owned(),
                DeployProblem::Refused(problem) => problem_text(t, problem),
            };
            (t.deploy_ignored)(path, &why)
        }
    }
}

/// A refused setting in the reader's language (the JSON reader's own words are kept as they came).
fn problem_text(t: &'static SettingsWords, problem: &SettingsProblem) -> String {
    match problem {
        SettingsProblem::Json(message) => (t.problem_json)(message),
        SettingsProblem::UrlScheme(url) => (t.problem_url_scheme)(url),
        SettingsProblem::UrlNoHost(url) => (t.problem_url_no_host)(url),
        SettingsProblem::UrlNotPlain(url) => (t.problem_url_not_plain)(url),
        SettingsProblem::TokenNotAscii => t.problem_token_not_ascii.to_owned(),
        SettingsProblem::StorageUnavailable => t.problem_storage_unavailable.to_owned(),
        SettingsProblem::StorageRefused => t.problem_storage_refused.to_owned(),
    }
}

/// A zone as Settings names it, with its offset now: "this browser's (Europe/Berlin, UTC+1)",
/// "UTC", "Beijing time (UTC+8)", "America/New_York (UTC-5)".
fn zone_text(t: &'static SettingsWords, zone: &TimeZone) -> String {
    let offset = time_zone::label_at(zone, chrono::Utc::now().timestamp_millis());
    match zone {
        TimeZone::Local => (t.zone_browser)(&browser_zone(t, &offset)),
        TimeZone::Utc => "UTC".to_owned(),
        TimeZone::Named(name) if name == BEIJING => (t.zone_beijing)(&offset),
        TimeZone::Named(name) => (t.zone_named)(name, &offset),
    }
}

/// The browser's zone by name and offset ("Europe/Berlin, UTC+1"), or its offset alone when the
/// browser names none.
fn browser_zone(t: &'static SettingsWords, offset: &str) -> String {
    match time_zone::browser_zone() {
        Some(name) => (t.zone_name_offset)(&name, offset),
        None => offset.to_owned(),
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
