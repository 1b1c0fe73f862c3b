//! The request preview every create form shows: the exact HTTP request the form would send
//! (method, absolute URL, headers, JSON body), and the same request as a `curl` command to copy.
//!
//! A [`PreviewRequest`] is built from the client's own [`Call`] description (the one the real
//! call is sent with) and the validated body the form would send, so the preview cannot show a
//! request other than the one sent. While the form is invalid the preview lists what is wrong
//! instead of a request the server would refuse.

use super::clipboard::{copy_text, CopyOutcome};
use crate::api::call::Call;
use crate::i18n::{self, Create};
use crate::settings;
use export_desk_model::desk::ACCESS_TOKEN_HEADER;
use leptos::prelude::*;
use serde::Serialize;

/// One HTTP request, described for people: nothing here is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewRequest {
    pub method: String,
    /// Absolute, as `curl` needs it: the configured backend, or the dashboard's own origin.
    pub url: String,
    pub headers: Vec<(String, String)>,
    /// Pretty-printed JSON: the same value the call sends compactly.
    pub body: Option<String>,
}

/// The shell variable a copied `curl` reads the proxy access token from: the token is a secret,
/// so it is neither shown nor put on the clipboard.
pub const TOKEN_VARIABLE: &str = "EXPORT_DESK_TOKEN";

/// What a form's preview shows: the request, or the problems that keep the form from sending it.
pub type Preview = Result<PreviewRequest, Vec<String>>;

impl PreviewRequest {
    /// The request `call` sends with `body`, on the backend the settings name.
    pub fn of_call<B: Serialize + ?Sized>(call: &Call, body: &B) -> Self {
        // Generic only for serializing; the rest is one non-generic function in the bundle.
        let body = serde_json::to_string_pretty(body).ok();
        let settings = settings::current();
        Self::describe(call, &settings.api_url(&call.path), &page_origin(), settings.access_token.as_deref(), body)
    }

    /// The pure core of [`of_call`](Self::of_call): `api_url` is the path on the configured
    /// backend, relative when the backend is the page's own `origin`.
    pub fn describe(
        call: &Call,
        api_url: &str,
        origin: &str,
        access_token: Option<&str>,
        body: Option<String>,
    ) -> Self {
        let url = if api_url.starts_with('/') { format!("{origin}{api_url}") } else { api_url.to_owned() };
        let headers =
            call.sent_headers(access_token, body.is_some()).into_iter().map(|(name, value)| (name.to_owned(), value));
        Self { method: call.method.to_owned(), url, headers: headers.collect(), body }
    }

    /// The request as text: a request line, the headers, a blank line and the body; the access
    /// token is not shown, which `t` says in the reader's language.
    pub fn to_text(&self, t: &Create) -> String {
        let mut text = format!("{} {}\n", self.method, self.url);
        for (name, value) in &self.headers {
            if name == ACCESS_TOKEN_HEADER {
                text.push_str(&format!("{name}: {}\n", t.token_not_shown));
            } else {
                text.push_str(&format!("{name}: {value}\n"));
            }
        }
        if let Some(body) = &self.body {
            text.push('\n');
            text.push_str(body);
            text.push('\n');
        }
        text
    }

    /// The request as a POSIX shell `curl` command, one option a line; every value is
    /// single-quoted, so nothing in it (`$`, `!`, `'`, spaces, non-ASCII) is interpreted. The one
    /// exception is the access token, read from `TOKEN_VARIABLE` instead of being copied.
    pub fn to_curl(&self) -> String {
        let mut parts = vec![format!("curl -X {} {}", shell_quote(&self.method), shell_quote(&self.url))];
        parts.extend(self.headers.iter().map(|(name, value)| {
            if name == ACCESS_TOKEN_HEADER {
                format!("-H \"{name}: ${{{TOKEN_VARIABLE}}}\"")
            } else {
                format!("-H {}", shell_quote(&format!("{name}: {value}")))
            }
        }));
        if let Some(body) = &self.body {
            parts.push(format!("--data-raw {}", shell_quote(body)));
        }
        parts.join(" \\\n  ")
    }
}

/// `text` in single quotes for a POSIX shell: a `'` inside closes the quotes, adds an escaped
/// `\'` and reopens them, the one way to put a single quote in a single-quoted word.
pub fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

fn page_origin() -> String {
    web_sys::window().and_then(|window| window.location().origin().ok()).unwrap_or_default()
}

/// A `<details>` disclosure, closed at first, that shows the request a form would send and
/// copies it as `curl`. The preview is only computed while open. All of it is text, never markup.
#[component]
pub fn RequestPreview(#[prop(into)] request: Signal<Preview>) -> impl IntoView {
    let t = &i18n::t().create;
    let open = RwSignal::new(false);
    // The outcome is kept with the command it was about, so an edit to the form after copying
    // does not leave "Copied" under a request that was not copied.
    let copied = RwSignal::new(None::<(String, CopyOutcome)>);
    let copy = move |_| {
        copied.set(None);
        let Ok(request) = request.get_untracked() else { return };
        let curl = request.to_curl();
        copy_text(t, &curl, {
            let curl = curl.clone();
            move |outcome| copied.set(Some((curl, outcome)))
        });
    };
    let content = move || match request.get() {
        Ok(request) => {
            let curl = request.to_curl();
            let outcome =
                move || copied.with(|copied| copied.as_ref().filter(|(c, _)| *c == curl).map(|(_, o)| o.clone()));
            let failed = outcome.clone();
            view! {
                <pre class="request-preview-text">{request.to_text(t)}</pre>
                <div class="request-preview-actions">
                    <button type="button" class="button subtle" on:click=copy>{t.copy_as_curl}</button>
                    <span class="request-preview-status" role="status"
                        class:failed=move || matches!(failed(), Some(CopyOutcome::Failed(_)))>
                        {move || match outcome() {
                            Some(CopyOutcome::Copied) => t.copied.to_owned(),
                            Some(CopyOutcome::Failed(why)) => (t.copy_failed)(&why),
                            None => String::new(),
                        }}
                    </span>
                </div>
            }
            .into_any()
        }
        Err(problems) => view! {
            <div class="request-preview-invalid">
                <p>{t.nothing_sent_yet}</p>
                <ul>{problems.into_iter().map(|problem| view! { <li>{problem}</li> }).collect_view()}</ul>
            </div>
        }
        .into_any(),
    };
    view! {
        <details class="request-preview"
            on:toggle=move |ev| open.set(event_target::<web_sys::Element>(&ev).has_attribute("open"))>
            <summary>{t.show_request}</summary>
            {move || open.get().then(content)}
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EN: &Create = &i18n::EN.create;

    fn post(body: Option<&str>) -> PreviewRequest {
        let call = Call::post("/", vec![("X-TC-Action", "CreateExport".into())]);
        PreviewRequest::describe(&call, "/", "http://127.0.0.1:8080", None, body.map(str::to_owned))
    }

    #[test]
    fn single_quotes_are_closed_escaped_and_reopened() {
        assert_eq!(shell_quote("plain"), "'plain'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote("''"), r"''\'''\'''");
        assert_eq!(shell_quote(""), "''");
        // Nothing else is special inside single quotes.
        assert_eq!(shell_quote("$HOME `id` \\ !"), "'$HOME `id` \\ !'");
    }

    #[test]
    fn a_post_becomes_method_url_headers_and_raw_data() {
        let request = post(Some("{\n  \"Query\": \"level:'ERROR'\"\n}"));
        assert_eq!(request.url, "http://127.0.0.1:8080/");
        assert_eq!(
            request.to_curl(),
            "curl -X 'POST' 'http://127.0.0.1:8080/' \\\n  \
             -H 'X-TC-Action: CreateExport' \\\n  \
             -H 'Content-Type: application/json' \\\n  \
             --data-raw '{\n  \"Query\": \"level:'\\''ERROR'\\''\"\n}'"
        );
        assert_eq!(
            request.to_text(EN),
            "POST http://127.0.0.1:8080/\nX-TC-Action: CreateExport\nContent-Type: application/json\n\n\
             {\n  \"Query\": \"level:'ERROR'\"\n}\n"
        );
    }

    #[test]
    fn unicode_passes_through_untouched() {
        let request = post(Some(r#"{"Query":"城市 = 'café' ✓"}"#));
        assert!(
            request.to_curl().ends_with(r#"--data-raw '{"Query":"城市 = '\''café'\'' ✓"}'"#),
            "{}",
            request.to_curl()
        );
    }

    #[test]
    fn without_a_body_there_is_no_data_and_no_content_type() {
        let request = post(None);
        assert_eq!(request.headers, vec![("X-TC-Action".to_owned(), "CreateExport".to_owned())]);
        assert_eq!(request.to_curl(), "curl -X 'POST' 'http://127.0.0.1:8080/' \\\n  -H 'X-TC-Action: CreateExport'");
        assert_eq!(request.to_text(EN), "POST http://127.0.0.1:8080/\nX-TC-Action: CreateExport\n");
    }

    #[test]
    fn a_get_keeps_its_query_inside_the_quotes() {
        let call = Call {
            method: "GET",
            path: "/v1.0/cdn/historytasks?page_size=30&status=task_done".into(),
            headers: vec![],
        };
        let request = PreviewRequest::describe(&call, &call.path, "https://desk.example.com", None, None);
        assert_eq!(
            request.to_curl(),
            "curl -X 'GET' 'https://desk.example.com/v1.0/cdn/historytasks?page_size=30&status=task_done'"
        );
    }

    #[test]
    fn a_configured_backend_url_is_used_as_it_is() {
        let call = Call::post("/v1/p1/exports", vec![("X-Project-Id", "p1".into())]);
        let request = PreviewRequest::describe(
            &call,
            "https://api.example.com/desk/v1/p1/exports",
            "http://127.0.0.1:8080",
            None,
            Some("{}".into()),
        );
        assert_eq!(request.url, "https://api.example.com/desk/v1/p1/exports");
        assert_eq!(request.method, "POST");
    }

    #[test]
    fn the_access_token_is_neither_shown_nor_copied() {
        let call = Call::post("/v1/cdn/statistics/export-tasks", Vec::new());
        let request = PreviewRequest::describe(&call, &call.path, "http://h", Some("s3cret'"), Some("{}".into()));
        assert_eq!(request.headers[0], ("X-Desk-Token".to_owned(), "s3cret'".to_owned()), "it is sent");
        assert!(!request.to_text(EN).contains("s3cret") && !request.to_curl().contains("s3cret"));
        assert!(request.to_text(EN).contains("X-Desk-Token: (the access token from Settings, not shown)\n"));
        assert!(request.to_text(&i18n::ZH_CN.create).contains("X-Desk-Token: （设置中的访问令牌，不显示）\n"));
        assert!(
            request.to_curl().contains(" \\\n  -H \"X-Desk-Token: ${EXPORT_DESK_TOKEN}\" \\\n"),
            "{}",
            request.to_curl()
        );
    }
}
