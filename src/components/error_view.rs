use crate::api::ApiError;
use leptos::prelude::*;

/// How every failed call is shown: what happened, the provider's code and message, and the
/// request id to quote to support. `on_retry` adds a retry button.
#[component]
pub fn ErrorView(error: ApiError, #[prop(optional, into)] on_retry: Option<Callback<()>>) -> impl IntoView {
    let (title, detail) = match &error {
        // Tencent refuses with HTTP 200, where the status says nothing.
        ApiError::Provider { status: 200, code, message, .. } => {
            ("The cloud API refused the request".to_owned(), Some((code.clone(), message.clone())))
        }
        ApiError::Provider { status, code, message, .. } => {
            (format!("The cloud API refused the request (HTTP {status})"), Some((code.clone(), message.clone())))
        }
        ApiError::Http { status, body, .. } => {
            (format!("The server answered HTTP {status}"), Some((String::new(), body.clone())))
        }
        ApiError::Network(message) => {
            ("The server could not be reached".to_owned(), Some((String::new(), format!("{message}. Is it running?"))))
        }
        ApiError::Decode(message) => {
            ("The server's answer was not understood".to_owned(), Some((String::new(), message.clone())))
        }
        ApiError::NotSent(message) => {
            ("The dashboard did not ask for this page".to_owned(), Some((String::new(), message.clone())))
        }
    };
    let request_id = error.request_id().map(str::to_owned);
    view! {
        <div class="error-view" role="alert">
            <p class="error-title">{title}</p>
            {detail.map(|(code, message)| view! {
                <p class="error-detail">
                    {(!code.is_empty()).then(|| view! { <code class="error-code">{code}</code>" " })}
                    <span class="error-message">{message}</span>
                </p>
            })}
            {request_id.map(|id| view! {
                <p class="error-request-id">"Request id: "<code>{id}</code></p>
            })}
            {on_retry.map(|retry| view! {
                <button type="button" class="button" on:click=move |_| retry.run(())>"Retry"</button>
            })}
        </div>
    }
}
