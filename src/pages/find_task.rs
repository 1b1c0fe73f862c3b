//! The Overview's search: any task id, export id or IoTDA batch task id, found with each kind's
//! own API ([`crate::kinds::find`]). The id is in the URL (`/?find=7620240`), so a link or a
//! reload searches too. Every kind whose ids look like it is asked, side by side; one that fails
//! shows its error while the others still answer. A single match opens the task (marked on its
//! page); several are listed.

use crate::api::ApiError;
use crate::components::ErrorView;
use crate::hooks::{effect, use_url_query};
use crate::i18n::{self, Catalogue};
use crate::kinds::find::{could_be_request_id, typed_id, Found};
use crate::kinds::{KindEntry, KINDS};
use crate::router::{self, Navigate};
use crate::task_page::{any_answer_resource, AnyArc, TypedMemo};
use crate::DeskResource;
use leptos::prelude::*;
use std::sync::Arc;

/// The URL key of the id searched for.
pub const FIND_KEY: &str = "find";

type Kind = &'static KindEntry;

/// What one kind made of the id.
#[derive(Debug, Clone, PartialEq)]
enum KindSearch {
    /// The server does not serve the kind: why.
    Off(String),
    Done(Result<Vec<Found>, ApiError>),
}

/// One kind's answer with the id it is about: `None` until there is an id and the server's
/// description is known. Held as the lists' one erased resource type ([`any_answer_resource`]),
/// which costs no second copy of Leptos's resource code.
type KindAnswer = Option<(String, KindSearch)>;

/// Where a search stands, from every recognising kind's answer so far.
#[derive(Debug, Clone, PartialEq, Default)]
struct Outcome {
    /// The kinds whose ids look like this one.
    asked: Vec<Kind>,
    /// Asked and not answered yet.
    pending: Vec<Kind>,
    found: Vec<(Kind, Found)>,
    failed: Vec<(Kind, ApiError)>,
    /// Searched, nothing found.
    empty: Vec<Kind>,
    off: Vec<(Kind, String)>,
}

impl Outcome {
    fn of(id: &str, answers: Vec<(Kind, Option<KindSearch>)>) -> Self {
        let mut outcome = Outcome::default();
        for (kind, answer) in answers {
            if !(kind.find.recognises)(id) {
                continue;
            }
            outcome.asked.push(kind);
            match answer {
                None => outcome.pending.push(kind),
                Some(KindSearch::Off(reason)) => outcome.off.push((kind, reason)),
                Some(KindSearch::Done(Err(error))) => outcome.failed.push((kind, error)),
                Some(KindSearch::Done(Ok(found))) if found.is_empty() => outcome.empty.push(kind),
                Some(KindSearch::Done(Ok(found))) => outcome.found.extend(found.into_iter().map(|f| (kind, f))),
            }
        }
        outcome
    }

    /// The one match to open: only once every kind asked has answered, none failed (it might hold
    /// another match), and exactly one task was found.
    fn single(&self) -> Option<&(Kind, Found)> {
        match self.found.as_slice() {
            [one] if self.pending.is_empty() && self.failed.is_empty() => Some(one),
            _ => None,
        }
    }
}

/// One kind's search for the id the URL names, as a resource.
async fn search_kind(
    kind: Kind,
    id: String,
    config: Result<export_desk_model::desk::DeskConfig, ApiError>,
    t: &'static Catalogue,
) -> KindSearch {
    match config {
        Err(error) => KindSearch::Done(Err(error)),
        Ok(config) => match kind.off_reason(&config, t) {
            Some(reason) => KindSearch::Off(reason),
            None => KindSearch::Done((kind.find.find)(&config, id, t).await),
        },
    }
}

#[component]
pub fn FindTask() -> impl IntoView {
    let t = i18n::t();
    let words = &t.find;
    let desk = expect_context::<DeskResource>();
    let url = use_url_query();
    let in_url = Memo::new(move |_| url.get(FIND_KEY));
    let checked = TypedMemo::new(move || in_url.get().map(|raw| typed_id(&raw, t)));
    let wanted = Memo::new(move |_| match checked.get() {
        Some(Ok(id)) => id,
        _ => None,
    });
    let typed = RwSignal::new(in_url.get_untracked().unwrap_or_default());
    // The field's error: what was typed and refused, or the URL's id when it is no id.
    let field_error = RwSignal::new(None::<String>);
    effect(move || {
        // Back and forward change the URL under the field: it follows.
        let raw = in_url.get();
        typed.set(raw.unwrap_or_default());
        field_error.set(match checked.get_untracked() {
            Some(Err(why)) => Some(why),
            _ => None,
        });
    });
    let again = RwSignal::new(0u64);
    let searches: Vec<(Kind, LocalResource<AnyArc>)> = KINDS
        .iter()
        .map(|kind| {
            let resource = any_answer_resource(Box::new(move || {
                let id = wanted.get();
                let config = desk.get();
                again.track();
                Box::pin(async move {
                    let answer: KindAnswer = match (id.filter(|id| (kind.find.recognises)(id)), config) {
                        (Some(id), Some(config)) => Some((id.clone(), search_kind(kind, id, config, t).await)),
                        _ => None,
                    };
                    Arc::new(answer) as AnyArc
                })
            }));
            (kind, resource)
        })
        .collect();
    let searches = StoredValue::new(searches);
    let outcome = TypedMemo::new(move || {
        let id = wanted.get()?;
        let answers = searches.with_value(|searches| {
            searches
                .iter()
                .map(|(kind, resource)| {
                    // A kind's answer counts only for the id it is about: one for the last id
                    // stays in the resource while the new search runs.
                    let answer = resource.with(|answer| {
                        let answer = answer.as_ref()?.downcast_ref::<KindAnswer>()?.as_ref()?;
                        (answer.0 == id).then(|| answer.1.clone())
                    });
                    (*kind, answer)
                })
                .collect()
        });
        Some((id.clone(), Outcome::of(&id, answers)))
    });
    // One match: open it. The search's own entry becomes the plain Overview first, so Back from
    // the task returns there rather than to a search that would open the task again.
    effect(move || {
        outcome.with(|outcome| {
            if let Some((_, outcome)) = outcome {
                if let Some((_, found)) = outcome.single() {
                    let href = found.href.clone();
                    url.set(&[(FIND_KEY, None)]);
                    router::navigate(&href, Navigate::LINK);
                }
            }
        });
    });

    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        match typed_id(&typed.get_untracked(), t) {
            Err(why) => field_error.set(Some(why)),
            Ok(id) => {
                field_error.set(None);
                // The same id again searches again.
                if id == wanted.get_untracked() {
                    again.update(|n| *n += 1);
                }
                url.set(&[(FIND_KEY, id)]);
            }
        }
    };
    let described = move || match field_error.get() {
        Some(_) => "find-id-hint find-id-error",
        None => "find-id-hint",
    };

    view! {
        <section class="find-task">
            <form role="search" class="find-form" aria-labelledby="find-id-label" novalidate on:submit=on_submit>
                <div class="field" class:invalid=move || field_error.with(Option::is_some)>
                    <label id="find-id-label" for="find-id">{words.label}</label>
                    <div class="find-row">
                        <input id="find-id" type="search" autocomplete="off" spellcheck="false"
                            aria-describedby=described
                            aria-invalid=move || field_error.with(Option::is_some).then_some("true")
                            prop:value=move || typed.get()
                            on:input=move |ev| typed.set(event_target_value(&ev))/>
                        <button type="submit" class="button primary">{words.submit}</button>
                    </div>
                    <p id="find-id-hint" class="field-hint">{words.hint}</p>
                    {move || field_error.get().map(|why| view! { <p id="find-id-error" class="field-error">{why}</p> })}
                </div>
            </form>
            {move || outcome.get().map(|(id, outcome)| view! {
                <SearchOutcome id=id outcome=outcome on_retry=move || again.update(|n| *n += 1)/>
            })}
        </section>
    }
}

/// What a search came to so far: a status line, the matches, and each kind's error.
#[component]
fn SearchOutcome(id: String, outcome: Outcome, #[prop(into)] on_retry: Callback<()>) -> impl IntoView {
    let t = i18n::t();
    let words = &t.find;
    let titles =
        |kinds: &[Kind]| kinds.iter().map(|kind| (kind.title)(t)).collect::<Vec<_>>().join(words.list_separator);
    let status = if outcome.asked.is_empty() {
        (words.no_shape)(&id)
    } else if let Some((kind, _)) = outcome.single() {
        (words.opening)((kind.title)(t))
    } else if !outcome.pending.is_empty() {
        (words.searching)(&id, &titles(&outcome.pending))
    } else if !outcome.found.is_empty() {
        (words.found_in)(&id)
    } else if outcome.failed.is_empty() && !outcome.empty.is_empty() {
        let searched: Vec<String> =
            outcome.empty.iter().map(|kind| (words.searched_kind)((kind.title)(t), (kind.find.reach)(t))).collect();
        (words.not_found)(&id, &searched.join(words.list_separator))
    } else {
        String::new()
    };
    let nothing_found = outcome.pending.is_empty() && outcome.found.is_empty() && !outcome.asked.is_empty();
    let request_id_note = (nothing_found && could_be_request_id(&id)).then_some(words.request_id_note);
    let shapes = outcome.asked.is_empty().then(|| {
        view! {
            <p>{words.shapes_heading}</p>
            <ul class="find-shapes">
                {KINDS.iter().map(|kind| view! { <li>{(kind.find.shape)(t)}</li> }).collect_view()}
            </ul>
        }
    });
    let matches = (outcome.single().is_none() && !outcome.found.is_empty()).then(|| {
        view! {
            <ul class="find-matches">
                {outcome.found.iter().map(|(kind, found)| view! {
                    <li>
                        <span class="find-kind">{(kind.one)(t)}</span>
                        <a href=found.href.clone() class="task-name">{found.title.clone()}</a>
                    </li>
                }).collect_view()}
            </ul>
        }
    });
    let off = outcome
        .off
        .iter()
        .map(|(kind, reason)| view! { <p class="find-off muted">{(words.not_searched)((kind.title)(t), reason)}</p> })
        .collect_view();
    let failed = outcome
        .failed
        .into_iter()
        .map(|(kind, error)| {
            view! {
                <div class="find-problem" data-kind=kind.path>
                    <p class="find-problem-title">{(words.could_not_search)((kind.title)(t))}</p>
                    <ErrorView error=error on_retry=move |_| on_retry.run(())/>
                </div>
            }
        })
        .collect_view();
    view! {
        <div class="find-outcome">
            <p class="find-status" role="status">{status}</p>
            {shapes}
            {matches}
            {request_id_note.map(|note| view! { <p class="find-note muted">{note}</p> })}
            {off}
            {failed}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(href: &str) -> Found {
        Found { href: href.into(), title: "t".into() }
    }

    const PURGE_ID: &str = "7620240";

    fn kind(path: &str) -> Kind {
        KindEntry::at(path).unwrap()
    }

    #[test]
    fn only_the_kinds_whose_ids_look_like_it_count() {
        // Digits: a refresh task's id, and the shape of an IoTDA batch task id.
        let answers = KINDS.iter().map(|kind| (kind, None)).collect();
        let outcome = Outcome::of(PURGE_ID, answers);
        assert_eq!(outcome.asked, [kind("/cdn/purge"), kind("/iotda/exports")]);
        assert_eq!(outcome.pending, outcome.asked);
        assert_eq!(outcome.single(), None);
    }

    #[test]
    fn one_match_opens_only_when_every_kind_asked_answered_and_none_failed() {
        let answer = |purge: Option<KindSearch>, iotda: Option<KindSearch>| {
            Outcome::of(PURGE_ID, vec![(kind("/cdn/purge"), purge), (kind("/iotda/exports"), iotda)])
        };
        let hit = || Some(KindSearch::Done(Ok(vec![found("/cdn/purge/7620240")])));
        let none = || Some(KindSearch::Done(Ok(Vec::new())));
        assert_eq!(answer(hit(), None).single(), None, "IoTDA has not answered");
        assert_eq!(answer(hit(), none()).single().map(|(_, f)| f.href.as_str()), Some("/cdn/purge/7620240"));
        let failed = Some(KindSearch::Done(Err(ApiError::Network("down".into()))));
        let outcome = answer(hit(), failed);
        assert_eq!((outcome.single(), outcome.found.len(), outcome.failed.len()), (None, 1, 1));
        let off = Some(KindSearch::Off("no project".into()));
        assert!(answer(hit(), off).single().is_some(), "a kind the server does not serve hides nothing");
        let two = answer(hit(), Some(KindSearch::Done(Ok(vec![found("/iotda/exports?batch_task_id=7620240")]))));
        assert_eq!((two.single(), two.found.len()), (None, 2));
        assert_eq!(answer(none(), none()).empty.len(), 2);
    }
}
