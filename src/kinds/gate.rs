//! A page whose cloud the server does not offer (proxy mode without that provider's keys) is
//! replaced by the server's reason, so the user reads why instead of watching every call be
//! refused, and no call is made that could only fail. A kind's other requirements (IoTDA's
//! project) are gated the same way.
//!
//! ```ignore
//! view! { <ProviderGate kind=kind page=kind.page/> } // a kind route's view, in `lib.rs`
//! ```

use super::entry::{KindEntry, Provider, Unavailable};
use crate::api::ApiError;
use crate::components::ErrorView;
use crate::i18n;
use crate::task_page::PageShell;
use crate::DeskResource;
use export_desk_model::desk::DeskConfig;
use leptos::prelude::*;

#[derive(Debug, Clone, PartialEq)]
enum Gate {
    Waiting,
    /// Show the page, with the server's description when it was loaded.
    Open(Option<DeskConfig>),
    /// A kind with a requirement cannot be judged without the description, which failed to load.
    Failed(ApiError),
    Off(String),
    Unavailable(Unavailable),
}

/// Shows the kind's page (`page`, given the server's description) when the server serves
/// `kind`, else a page titled with the kind saying why not: a requirement it misses (IoTDA's
/// project), or its cloud not offered. When the description could not be loaded, a kind without
/// a requirement is shown (its own calls then show the error) and one with a requirement shows the
/// error and Retry. Without a description in context at all (a component mounted alone; the app
/// always provides one) the page is given none, and a kind with a requirement shows nothing.
#[component]
pub fn ProviderGate(kind: &'static KindEntry, page: fn(Option<&DeskConfig>) -> AnyView) -> impl IntoView {
    let t = i18n::t();
    let desk = use_context::<DeskResource>();
    // A memo, so the page is built once and not again each time the description is re-read.
    let gate = Memo::new(move |_| match desk.map(|desk| desk.get()) {
        None => Gate::Open(None),
        Some(None) => Gate::Waiting,
        Some(Some(Err(error))) if kind.unavailable.is_some() => Gate::Failed(error),
        Some(Some(Err(_))) => Gate::Open(None),
        Some(Some(Ok(config))) => match (kind.missing(&config, t), kind.provider.off_reason(&config, t)) {
            (Some(unavailable), _) => Gate::Unavailable(unavailable),
            (None, Some(reason)) => Gate::Off(reason),
            (None, None) => Gate::Open(Some(config)),
        },
    });
    move || match gate.get() {
        Gate::Waiting => view! { <p class="loading" role="status">{t.common.loading_server_settings}</p> }.into_any(),
        Gate::Open(config) => page(config.as_ref()),
        Gate::Failed(error) => view! {
            <PageShell title=(kind.title)(t) intro=(kind.intro)(t)>
                <ErrorView error=error on_retry=move |_| desk.into_iter().for_each(|desk| desk.refetch())/>
            </PageShell>
        }
        .into_any(),
        Gate::Off(reason) => view! {
            <PageShell title=(kind.title)(t)>
                <ProviderOff provider=kind.provider reason=reason/>
            </PageShell>
        }
        .into_any(),
        Gate::Unavailable(unavailable) => view! {
            <PageShell title=(kind.title)(t)>
                <KindUnavailable kind=kind unavailable=unavailable/>
            </PageShell>
        }
        .into_any(),
    }
}

/// The explanation: which cloud is not offered, the server's reason, and where that is changed.
#[component]
fn ProviderOff(provider: Provider, reason: String) -> impl IntoView {
    let t = &i18n::t().common;
    view! {
        <div class="empty-state provider-off" role="status">
            <p>{(t.provider_off)(provider.label())}</p>
            <p class="provider-off-reason">{(t.server_says)(&reason)}</p>
            <p class="muted">{t.provider_keys_where}</p>
        </div>
    }
}

/// The explanation of a requirement the kind misses on this server (`{slug}-unavailable`).
#[component]
fn KindUnavailable(kind: &'static KindEntry, unavailable: Unavailable) -> impl IntoView {
    let t = i18n::t();
    view! {
        <div class=format!("empty-state {}-unavailable", kind.slug) role="status">
            <p>{(t.common.kind_unavailable)((kind.title)(t), unavailable.why)}</p>
            {unavailable.detail.map(|detail| view! { <p class="muted">{detail}</p> })}
        </div>
    }
}
