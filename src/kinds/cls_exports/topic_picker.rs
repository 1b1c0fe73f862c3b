//! The CLS page's choice of log topic: one the server lists, or any typed id.

use crate::components::{focus_first_invalid, Field, TextInput};
use crate::hooks::{effect, UrlQuery};
use export_desk_model::desk::ClsTopic;
use leptos::prelude::*;

/// Choose a known topic from the list, or type any topic id.
#[component]
pub(super) fn TopicPicker(url: UrlQuery, topics: Signal<Vec<ClsTopic>>, topic: Memo<Option<String>>) -> impl IntoView {
    let words = &crate::i18n::t().cls;
    let typed = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    // The box follows the URL (a pick from the list, back, a shared link).
    effect(move || typed.set(topic.get().unwrap_or_default()));
    let choose = move |id: String| {
        error.set(None);
        url.set(&[("topic", Some(id)), ("offset", None)]);
    };
    let pick = move |ev: leptos::ev::Event| {
        let id = event_target_value(&ev);
        if !id.is_empty() {
            choose(id);
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = typed.get_untracked().trim().to_owned();
        if id.is_empty() {
            error.set(Some(words.type_a_topic.to_owned()));
            focus_first_invalid();
        } else {
            choose(id);
        }
    };
    let is_known = move || topic.get().is_some_and(|id| topics.with(|t| t.iter().any(|t| t.id == id)));
    view! {
        <form class="topic-picker" role="search" aria-label=words.picker_name on:submit=submit novalidate=true>
            <div class="field">
                <label for="topic-select">{words.topic}</label>
                <select id="topic-select" on:change=pick>
                    <option value="" selected=move || !is_known()>
                        {move || if topic.get().is_some() { words.another_topic } else { words.choose_topic }}
                    </option>
                    <For each=move || topics.get() key=|t| t.id.clone() let:t>
                        {
                            let id = t.id.clone();
                            let label = if t.closed { (words.closed_topic)(&t.name) } else { t.name.clone() };
                            view! {
                                <option value=t.id.clone() selected=move || topic.get().as_deref() == Some(id.as_str())>
                                    {label}
                                </option>
                            }
                        }
                    </For>
                </select>
            </div>
            <Field label=words.or_topic_id id="topic-id" error=error hint=words.topic_id_hint>
                <TextInput id="topic-id" value=typed invalid=Signal::derive(move || error.with(Option::is_some))
                    attr:placeholder=words.topic_id_placeholder attr:spellcheck="false"/>
            </Field>
            <button type="submit" class="button">{words.show_exports}</button>
        </form>
    }
}
