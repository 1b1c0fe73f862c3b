//! Finding a task by its id, whatever its kind: what each kind declares in its
//! [`KindEntry`](super::KindEntry) (a [`Finder`]), and the shapes of the ids, checked before any
//! call so a kind is asked only about ids it could have given.
//!
//! Each kind finds an id with its own API's means: CDN statistics exports by ListExportTasks's
//! `task_id` filter; refresh/preheat tasks by ShowHistoryTaskDetails, which answers for one task;
//! IoTDA exports, whose list has no filter by export task, by listing all of them (IoTDA keeps at
//! most 50 a user); CLS exports, whose list filters by topic only, by reading the configured
//! topics' exports, newest first, up to a bound. The Overview's search (`pages::find_task`) runs
//! every kind that recognises the id, side by side. Each kind's recogniser and finder live in its
//! own `loaders.rs`; what they share (the shapes `hex` and `uuid`, the typed id's checks) is here.

use crate::api::ApiError;
use crate::i18n::Catalogue;
use export_desk_model::desk::DeskConfig;
use std::future::Future;
use std::pin::Pin;

/// The longest text taken as an id: longer than any id of the four kinds (a CLS export id is 43
/// characters), short enough to show whole in a message.
pub const ID_MAX_LENGTH: usize = 128;

/// A task (or a set of tasks, for an IoTDA batch task) the search found.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// Where it is shown, marked.
    pub href: String,
    /// How the Overview would name it.
    pub title: String,
}

/// A kind's matches: a local future (gloo-net's are not `Send`).
pub type FindLoad = Pin<Box<dyn Future<Output = Result<Vec<Found>, ApiError>>>>;

/// How a kind finds one of its tasks by id.
pub struct Finder {
    /// Whether the id has the shape of the kind's ids: only then is the kind asked.
    pub recognises: fn(&str) -> bool,
    /// The kind's ids in words, for a reader whose id no kind recognises.
    pub shape: fn(&'static Catalogue) -> &'static str,
    /// What of the kind a search covers, for "not found (searched: …)".
    pub reach: fn(&'static Catalogue) -> &'static str,
    /// Its matches for the id (trimmed, recognised), found with the kind's API.
    pub find: fn(&DeskConfig, String, &'static Catalogue) -> FindLoad,
}

/// What was typed, as an id: trimmed; `Err` says what is wrong with it.
pub fn typed_id(typed: &str, t: &'static Catalogue) -> Result<Option<String>, String> {
    let id = typed.trim();
    if id.is_empty() {
        return Ok(None);
    }
    if id.chars().any(char::is_whitespace) {
        return Err(t.find.has_space.to_owned());
    }
    if id.chars().count() > ID_MAX_LENGTH {
        return Err((t.find.too_long)(ID_MAX_LENGTH));
    }
    Ok(Some(id.to_owned()))
}

/// `length` hexadecimal digits, in either case (for the kinds' id recognisers).
pub(super) fn hex(text: &str, length: usize) -> bool {
    text.len() == length && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// `8-4-4-4-12` hexadecimal digits.
pub(super) fn uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5 && groups.iter().zip([8, 4, 4, 4, 12]).all(|(group, length)| hex(group, length))
}

/// Whether a CLS export's id is the one searched for, typed with or without `export-`.
pub fn same_cls_export(listed: &str, wanted: &str) -> bool {
    let bare = |id: &str| id.strip_prefix("export-").unwrap_or(id).to_ascii_lowercase();
    bare(listed) == bare(wanted)
}

/// The shapes of the request ids the clouds answer with: Huawei's `X-Request-Id` is 32
/// hexadecimal characters, Tencent's `RequestId` a UUID. They name a call, not a task.
pub fn could_be_request_id(text: &str) -> bool {
    hex(text, 32) || uuid(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{EN, ZH_CN};

    const CDN_STATS: &str = "2459be350111d2da0f8dc010e0ac4c33";
    const PURGE: &str = "7620240";
    const IOTDA: &str = "65a1f0c2d3e4f5a6b7c8d9e0";
    const CLS: &str = "export-57196a6a-7622-47be-bc92-d2ebea959a0f";

    /// The pages of the kinds whose registry entry recognises an id, in the registry's order.
    fn kinds(id: &str) -> Vec<&'static str> {
        crate::kinds::KINDS.iter().filter(|kind| (kind.find.recognises)(id)).map(|kind| kind.path).collect()
    }

    #[test]
    fn each_kind_recognises_its_own_ids() {
        assert_eq!(kinds(CDN_STATS), ["/cdn/stats"]);
        assert_eq!(kinds(&CDN_STATS.to_ascii_uppercase()), ["/cdn/stats"], "hex in either case");
        // A refresh task's digits are also the shape of an IoTDA batch task id: both are asked.
        assert_eq!(kinds(PURGE), ["/cdn/purge", "/iotda/exports"]);
        assert_eq!(kinds(IOTDA), ["/iotda/exports"]);
        assert_eq!(kinds(&IOTDA.to_ascii_uppercase()), ["/iotda/exports"], "an export task id in capitals");
        assert_eq!(kinds("ab12"), ["/iotda/exports"], "a short batch task id");
        assert_eq!(kinds(CLS), ["/cls/exports"]);
        assert_eq!(kinds(&CLS["export-".len()..]), ["/cls/exports"], "the bare UUID of CreateExport's example");
    }

    #[test]
    fn near_misses_are_no_kinds_id() {
        for id in [
            "2459be350111d2da0f8dc010e0ac4c3",   // 31 hex
            "2459be350111d2da0f8dc010e0ac4c33a", // 33 hex: too long for a batch task too
            "2459be350111d2da0f8dc010e0ac4c3g",  // not hex
            "123456789012345678901234567",       // 27 digits
            "export-57196a6a-7622-47be-bc92",    // a cut UUID
            "export-57196a6a76227-47be-bc92-d2ebea959a0f",
            "task-57196a6a-7622-47be-bc92-d2ebea959a0f",
            "ABCDEF", // a batch task id is lower case
            "x",
        ] {
            assert!(kinds(id).is_empty(), "{id}");
        }
    }

    #[test]
    fn request_ids_are_told_apart_from_nothing_but_by_their_shape() {
        assert!(could_be_request_id("542e3d1f0a9b4c8d7e6f5a4b3c2d1e0f"), "Huawei's X-Request-Id");
        assert!(could_be_request_id("6ee0a5e2-3c5b-4a6c-8a1e-2f0c9b7d4e11"), "Tencent's RequestId");
        assert!(!could_be_request_id(PURGE) && !could_be_request_id(IOTDA) && !could_be_request_id(CLS));
    }

    #[test]
    fn a_cls_export_matches_with_or_without_its_prefix() {
        assert!(same_cls_export(CLS, CLS));
        assert!(same_cls_export(CLS, &CLS["export-".len()..]));
        assert!(same_cls_export(CLS, &CLS.to_ascii_uppercase().replace("EXPORT-", "export-")));
        assert!(!same_cls_export(CLS, "export-57196a6a-7622-47be-bc92-d2ebea959a0e"));
    }

    #[test]
    fn what_is_typed_is_trimmed_and_checked_in_the_readers_language() {
        assert_eq!(typed_id(&format!("  {PURGE}\n"), &EN), Ok(Some(PURGE.to_owned())));
        assert_eq!(typed_id("   ", &EN), Ok(None));
        assert_eq!(typed_id("76 20", &EN), Err("An id has no spaces.".to_owned()));
        assert_eq!(typed_id("76 20", &ZH_CN), Err("ID 不含空格。".to_owned()));
        assert!(typed_id(&"a".repeat(ID_MAX_LENGTH), &EN).unwrap().is_some());
        assert_eq!(typed_id(&"a".repeat(ID_MAX_LENGTH + 1), &EN), Err("An id is at most 128 characters.".to_owned()));
    }
}
