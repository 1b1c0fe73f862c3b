//! The CLS page's choice of log topic: the account's topics as DescribeTopics lists and searches
//! them, the ones `/_desk/config` names first as favourites, or any typed id.
//!
//! The search box asks DescribeTopics as the reader types (a name part is a `topicName` filter, a
//! pasted id a `topicId` one); the topics found fill the select under the favourites, a page at a
//! time ("More topics"). A failed search shows its error and leaves the rest working: the
//! favourites, and typing an id by hand. The topic chosen is the URL's `topic`.

use crate::api::{cls, ApiError};
use crate::components::{focus_first_invalid, ErrorView, Field, TextInput};
use crate::hooks::{effect, UrlQuery};
use export_desk_model::desk::ClsTopic;
use export_desk_model::tencent_cls::{filter_key, DescribeTopicsRequest, Filter, LIMIT_DEFAULT};
use leptos::prelude::*;
use std::time::Duration;

/// How long typing must pause before the box is searched (Enter searches at once).
const SEARCH_PAUSE: Duration = Duration::from_millis(300);

/// What the search box asks DescribeTopics for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum TopicSearch {
    /// An empty box: every topic.
    All,
    /// Part of a name (fuzzy, as CLS matches `topicName`).
    Name(String),
    /// A topic id, pasted whole.
    Id(String),
}

impl TopicSearch {
    /// The box's text, trimmed: a topic id when it is shaped like one (a UUID, as CLS's are).
    pub(super) fn of(text: &str) -> Self {
        let text = text.trim();
        if text.is_empty() {
            Self::All
        } else if is_topic_id(text) {
            Self::Id(text.to_owned())
        } else {
            Self::Name(text.to_owned())
        }
    }

    /// The DescribeTopics call for the page starting at `offset`.
    pub(super) fn request(&self, offset: u64) -> DescribeTopicsRequest {
        let filter = match self {
            Self::All => None,
            Self::Name(name) => Some(Filter::new(filter_key::TOPIC_NAME, name)),
            Self::Id(id) => Some(Filter::new(filter_key::TOPIC_ID, id)),
        };
        DescribeTopicsRequest {
            filters: filter.map(|filter| vec![filter]),
            offset: Some(i64::try_from(offset).unwrap_or(i64::MAX)),
            limit: Some(i64::from(PAGE)),
            ..Default::default()
        }
    }

    /// Whether a favourite is shown under this search: the same test CLS applies, made here.
    pub(super) fn keeps(&self, topic: &ClsTopic) -> bool {
        match self {
            Self::All => true,
            Self::Name(name) => topic.name.to_lowercase().contains(&name.to_lowercase()),
            Self::Id(id) => topic.id == *id,
        }
    }
}

/// Topics asked for at a time: DescribeTopics' default page.
const PAGE: u32 = LIMIT_DEFAULT;

/// `8-4-4-4-12` hexadecimal digits.
fn is_topic_id(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// What DescribeTopics found for one search, page after page.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Found {
    search: TopicSearch,
    topics: Vec<ClsTopic>,
    /// Where the next page starts: the topics the pages held, a topic listed twice (the account
    /// changed between pages) counted each time.
    loaded: u64,
    /// Every match, as `TotalCount` says.
    total: u64,
}

impl Found {
    pub(super) fn first(search: TopicSearch, page: Vec<ClsTopic>, total: u64) -> Self {
        let mut found = Self { search, topics: Vec::new(), loaded: 0, total };
        found.add_page(0, page, total);
        found
    }

    /// Adds the page that starts at `offset`; a page that does not follow the last one changes
    /// nothing. An empty page ends the list whatever the total says, so "More" cannot go round.
    pub(super) fn add_page(&mut self, offset: u64, page: Vec<ClsTopic>, total: u64) {
        if offset != self.loaded {
            return;
        }
        self.loaded += page.len() as u64;
        self.total = if page.is_empty() { self.loaded } else { total };
        for topic in page {
            if !self.topics.iter().any(|known| known.id == topic.id) {
                self.topics.push(topic);
            }
        }
    }

    /// Where the next page starts, while there is one.
    pub(super) fn next_offset(&self) -> Option<u64> {
        (self.loaded < self.total).then_some(self.loaded)
    }
}

/// One page of a search: what was asked and what came back.
type PageAnswer = (TopicSearch, u64, Result<(Vec<ClsTopic>, u64), ApiError>);

/// Asks DescribeTopics for one page. Every call of the page goes through this one function, so its
/// code is in the bundle once.
fn fetch_page(asked: &(TopicSearch, u64)) -> impl std::future::Future<Output = PageAnswer> + 'static {
    let (search, offset) = asked.clone();
    async move {
        let page = cls::describe_topics(&search.request(offset)).await;
        let page = page.map(|page| (page.topics.into_iter().map(ClsTopic::from).collect(), page.total_count));
        (search, offset, page)
    }
}

/// The topics the page knows by name: the favourites, what the searches found, and the URL's
/// topic looked up by id. The page reads its topic's name and whether it is closed from here.
#[derive(Clone, Copy)]
pub(super) struct TopicDirectory {
    favourites: Signal<Vec<ClsTopic>>,
    found: RwSignal<Option<Found>>,
    looked_up: RwSignal<Option<ClsTopic>>,
}

impl TopicDirectory {
    pub(super) fn new(favourites: Signal<Vec<ClsTopic>>, topic: Memo<Option<String>>) -> Self {
        let looked_up = RwSignal::new(None);
        // A topic the favourites do not name (a shared link, a pick from a search) is looked up,
        // so the page can say its name and whether it is closed. A failed look-up leaves it a
        // typed id.
        let lookup = Action::new_local(fetch_page);
        effect(move || {
            let id = topic.get().filter(|id| favourites.with(|f| !f.iter().any(|t| t.id == *id)));
            if let Some(id) = id {
                untrack(|| lookup.dispatch((TopicSearch::Id(id), 0)));
            }
        });
        effect(move || {
            if let Some((TopicSearch::Id(id), _, Ok((topics, _)))) = lookup.value().get() {
                looked_up.set(topics.into_iter().find(|t| t.id == id));
            }
        });
        Self { favourites, found: RwSignal::new(None), looked_up }
    }

    /// The topic with this id, if any list knows it.
    pub(super) fn get(&self, id: &str) -> Option<ClsTopic> {
        let find = |topics: &[ClsTopic]| topics.iter().find(|t| t.id == id).cloned();
        self.favourites
            .with(|f| find(f))
            .or_else(|| self.found.with(|found| found.as_ref().and_then(|found| find(&found.topics))))
            .or_else(|| self.looked_up.get().filter(|t| t.id == id))
    }
}

/// Choose a topic from the favourites or the account's topics (searched), or type any topic id.
#[component]
pub(super) fn TopicPicker(url: UrlQuery, directory: TopicDirectory, topic: Memo<Option<String>>) -> impl IntoView {
    let words = &crate::i18n::t().cls;
    let typed = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let search_text = RwSignal::new(String::new());
    let search = RwSignal::new(TopicSearch::All);
    let found = directory.found;
    let favourites = directory.favourites;

    let load = Action::new_local(fetch_page);
    let failure = RwSignal::new(None::<ApiError>);
    // A new search starts afresh; answers count only for the search still in the box.
    effect(move || {
        let search = search.get();
        untrack(|| {
            found.set(None);
            failure.set(None);
            load.dispatch((search, 0));
        });
    });
    effect(move || {
        let Some((answered, offset, page)) = load.value().get() else { return };
        if answered != search.get_untracked() {
            return;
        }
        match page {
            Ok((topics, total)) => {
                failure.set(None);
                found.update(|found| match found {
                    Some(found) => found.add_page(offset, topics, total),
                    None if offset == 0 => *found = Some(Found::first(answered, topics, total)),
                    None => {}
                });
            }
            Err(error) => failure.set(Some(error)),
        }
    });

    let pending_search = StoredValue::new(None::<TimeoutHandle>);
    let apply_search = move || {
        if let Some(handle) = pending_search.get_value() {
            handle.clear();
        }
        pending_search.set_value(None);
        let next = TopicSearch::of(&search_text.get_untracked());
        if next != search.get_untracked() {
            search.set(next);
        }
    };
    let on_search_input = move |ev: leptos::ev::Event| {
        search_text.set(event_target_value(&ev));
        if let Some(handle) = pending_search.get_value() {
            handle.clear();
        }
        pending_search.set_value(set_timeout_with_handle(apply_search, SEARCH_PAUSE).ok());
    };
    let on_search_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Enter" {
            // Enter searches now, rather than submitting the typed id below.
            ev.prevent_default();
            apply_search();
        }
    };

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

    // The select's options, rebuilt whole when the topic, the search or what it found changes:
    // the favourites the search keeps, then the account's others; the topic chosen stays listed
    // whatever the search.
    let options = move || {
        let current = topic.get();
        let mut shown_favourites: Vec<ClsTopic> =
            search.with(|search| favourites.with(|f| f.iter().filter(|t| search.keeps(t)).cloned().collect()));
        let is_favourite = |id: &str| favourites.with(|f| f.iter().any(|t| t.id == id));
        let mut others: Vec<ClsTopic> = found.with(|found| {
            found.iter().flat_map(|f| f.topics.iter()).filter(|t| !is_favourite(&t.id)).cloned().collect()
        });
        if let Some(chosen) = current.as_deref().and_then(|id| directory.get(id)) {
            let group = if is_favourite(&chosen.id) { &mut shown_favourites } else { &mut others };
            if !group.iter().any(|t| t.id == chosen.id) {
                group.insert(0, chosen);
            }
        }
        let listed = shown_favourites.iter().chain(&others).any(|t| current.as_deref() == Some(t.id.as_str()));
        let option = |t: &ClsTopic| {
            let label = if t.closed { (words.closed_topic)(&t.name) } else { t.name.clone() };
            let selected = current.as_deref() == Some(t.id.as_str());
            view! { <option value=t.id.clone() selected=selected>{label}</option> }
        };
        let group = |label: &'static str, class: &'static str, topics: &[ClsTopic]| {
            (!topics.is_empty()).then(|| {
                view! { <optgroup label=label class=class>{topics.iter().map(option).collect_view()}</optgroup> }
            })
        };
        view! {
            <option value="" selected=!listed>
                {if current.is_some() { words.another_topic } else { words.choose_topic }}
            </option>
            {group(words.favourites, "topic-favourites", &shown_favourites)}
            {group(words.in_account, "topic-account", &others)}
        }
    };
    let status = move || {
        if load.pending().get() {
            return words.searching.into_any();
        }
        found.with(|found| match found {
            None => ().into_any(),
            Some(found) if found.total == 0 => match &found.search {
                TopicSearch::All => words.no_topics.into_any(),
                TopicSearch::Name(text) | TopicSearch::Id(text) => {
                    let [before, after] = words.no_topic_matches;
                    view! { {before} <span class="topic-search-term" data-raw="">{text.clone()}</span> {after} }
                        .into_any()
                }
            },
            Some(found) => (words.topics_found)(found.loaded.min(found.total), found.total).into_any(),
        })
    };
    let select = NodeRef::<leptos::html::Select>::new();
    // Set while "More topics" loads the last page: the button then goes, and focus moves to the
    // list it filled rather than being lost with it.
    let more_pressed = StoredValue::new(false);
    let has_more = Memo::new(move |_| found.with(|f| f.as_ref().and_then(Found::next_offset).is_some()));
    let more = move |_| {
        if load.pending().get_untracked() {
            return;
        }
        if let Some(offset) = found.with_untracked(|f| f.as_ref().and_then(Found::next_offset)) {
            more_pressed.set_value(true);
            load.dispatch((search.get_untracked(), offset));
        }
    };
    effect(move || {
        if !has_more.get() && more_pressed.get_value() {
            more_pressed.set_value(false);
            if let Some(select) = select.get_untracked() {
                let _ = select.focus();
            }
        }
    });

    view! {
        <form class="topic-picker" role="search" aria-label=words.picker_name on:submit=submit novalidate=true>
            <div class="field">
                <label for="topic-search">{words.find_topic}</label>
                <input type="search" id="topic-search" autocomplete="off" spellcheck="false"
                    aria-describedby="topic-search-hint topic-found"
                    prop:value=move || search_text.get() on:input=on_search_input on:keydown=on_search_key/>
                <p class="field-hint" id="topic-search-hint">{words.find_hint}</p>
            </div>
            <div class="field">
                <label for="topic-select">{words.topic}</label>
                <select id="topic-select" node_ref=select on:change=pick aria-describedby="topic-found">
                    {options}
                </select>
                <p class="field-hint topics-status" id="topic-found" role="status">{status}</p>
                // One button while there are more (not one per page), so focus stays on it; not
                // disabled while loading, which would drop its focus.
                {move || has_more.get().then(|| view! {
                    <button type="button" class="button topics-more" on:click=more
                        aria-disabled=move || load.pending().get().to_string()>{words.more_topics}</button>
                })}
            </div>
            {move || failure.get().map(|error| view! {
                <div class="topics-error">
                    <p class="muted">{words.topics_failed}</p>
                    <ErrorView error=error on_retry=move |_| {
                        failure.set(None);
                        let offset = found.with_untracked(|f| f.as_ref().map_or(0, |f| f.loaded));
                        load.dispatch((search.get_untracked(), offset));
                    }/>
                </div>
            })}
            <Field label=words.or_topic_id id="topic-id" error=error hint=words.topic_id_hint>
                <TextInput id="topic-id" value=typed invalid=Signal::derive(move || error.with(Option::is_some))
                    attr:placeholder=words.topic_id_placeholder attr:spellcheck="false"/>
            </Field>
            <button type="submit" class="button">{words.show_exports}</button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topic(id: &str, name: &str) -> ClsTopic {
        ClsTopic { id: id.into(), name: name.into(), closed: false }
    }

    #[test]
    fn a_pasted_id_searches_by_id_and_anything_else_by_name() {
        assert_eq!(TopicSearch::of("   "), TopicSearch::All);
        assert_eq!(TopicSearch::of(" nginx "), TopicSearch::Name("nginx".into()));
        let id = "2f6c1d3e-8a47-4b9e-9c21-5d7e3f4a6b80";
        assert_eq!(TopicSearch::of(&format!(" {id}\n")), TopicSearch::Id(id.into()));
        assert_eq!(TopicSearch::of("2f6c1d3e-8a47"), TopicSearch::Name("2f6c1d3e-8a47".into()));
        assert_eq!(
            serde_json::to_string(&TopicSearch::Name("ngi".into()).request(20)).unwrap(),
            r#"{"Filters":[{"Key":"topicName","Values":["ngi"]}],"Offset":20,"Limit":20}"#
        );
        assert_eq!(serde_json::to_string(&TopicSearch::All.request(0)).unwrap(), r#"{"Offset":0,"Limit":20}"#);
        assert!(serde_json::to_string(&TopicSearch::Id(id.into()).request(0)).unwrap().contains(r#""Key":"topicId""#));
    }

    #[test]
    fn favourites_are_kept_by_the_same_test_cls_applies() {
        let nginx = topic("2f6c1d3e-8a47-4b9e-9c21-5d7e3f4a6b80", "nginx-access");
        assert!(TopicSearch::Name("ACCESS".into()).keeps(&nginx));
        assert!(!TopicSearch::Name("backend".into()).keeps(&nginx));
        assert!(TopicSearch::Id(nginx.id.clone()).keeps(&nginx));
        assert!(TopicSearch::All.keeps(&nginx));
    }

    #[test]
    fn pages_add_up_only_in_order_and_more_is_offered_until_the_total() {
        let mut found = Found::first(TopicSearch::All, vec![topic("a", "a"), topic("b", "b")], 6);
        assert_eq!(found.next_offset(), Some(2));
        found.add_page(4, vec![topic("e", "e")], 6);
        assert_eq!(found.topics.len(), 2, "a page that does not follow is not added");
        found.add_page(2, vec![topic("c", "c"), topic("b", "b")], 6);
        assert_eq!(found.topics.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), ["a", "b", "c"]);
        assert_eq!(found.next_offset(), Some(4), "the offset counts what the pages held");
        found.add_page(4, vec![topic("d", "d")], 6);
        assert_eq!(found.next_offset(), Some(5));
        found.add_page(5, vec![], 6);
        assert_eq!(found.next_offset(), None, "an empty page ends the list");
        let none = Found::first(TopicSearch::Name("x".into()), vec![], 0);
        assert_eq!(none.next_offset(), None);
    }
}
