use super::LongText;
use crate::api::ApiError;
use crate::i18n;
use leptos::prelude::*;

/// How every failed call is shown, in the reader's language: what happened, the provider's code
/// and message (as they came), and the request id to quote to support. `on_retry` adds a retry
/// button.
#[component]
pub fn ErrorView(error: ApiError, #[prop(optional, into)] on_retry: Option<Callback<()>>) -> impl IntoView {
    let catalogue = i18n::t();
    let t = &catalogue.errors;
    let copy_label = catalogue.find.copy_request_id;
    let wording = error.wording(t);
    let request_id = error.request_id().map(str::to_owned);
    view! {
        <div class="error-view" role="alert">
            <p class="error-title">{wording.title}</p>
            <p class="error-detail">
                {wording.code.map(|code| view! { <code class="error-code">{code}</code>" " })}
                <span class="error-message">{wording.detail}</span>
            </p>
            {request_id.map(|id| view! {
                <p class="error-request-id">
                    {t.request_id}<LongText text=id code=true copy=copy_label/>
                </p>
            })}
            {on_retry.map(|retry| view! {
                <button type="button" class="button" on:click=move |_| retry.run(())>{t.retry}</button>
            })}
        </div>
    }
}
