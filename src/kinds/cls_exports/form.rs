//! The create form of CLS log exports, made from the topic the page shows.

use super::{HOUR_MS, MINUTE_MS};
use crate::api::{cls, ApiError};
use crate::components::time::{ms_to_local_input, ms_to_local_input_exact, time_field, zone_name};
use crate::components::{EnumSelect, Field, LabelledViolations, PreviewRequest, TextInput, TimeEnd, TimeRange};
use crate::i18n::Catalogue;
use crate::task_page::{use_create_form, CreateAgain, CreateAgainFrom, CreateFormView, CreateSource};
use export_desk_model::desk::ClsTopic;
use export_desk_model::tencent_cls::{CreateExportRequest, ExportInfo, Format, Order, SyntaxRule, COUNT_MAX};
use export_desk_model::validation::{Rule, Violations};
use leptos::prelude::*;

/// Everything typed into the create form, as typed (nothing is lost on an error, nor when the
/// topic changes: the form outlives it).
#[derive(Debug, Clone, PartialEq)]
struct ExportDraft {
    query: String,
    start: String,
    end: String,
    count: String,
    order: String,
    format: String,
    syntax_rule: String,
    /// Comma- or line-separated log fields; empty keeps every field.
    fields: String,
}

impl ExportDraft {
    /// The form as it opens at `now_ms`: every log of the last hour, to the minute.
    fn new(now_ms: i64) -> Self {
        let (start, end) = last_span(now_ms, HOUR_MS);
        Self {
            query: "*".to_owned(),
            start,
            end,
            count: "1000".to_owned(),
            order: Order::Desc.as_str().to_owned(),
            format: Format::Json.as_str().to_owned(),
            syntax_rule: SyntaxRule::DEFAULT.as_str().to_owned(),
            fields: String::new(),
        }
    }
}

/// The `span_ms` up to the minute `now_ms` is in, as the time inputs show them.
fn last_span(now_ms: i64, span_ms: i64) -> (String, String) {
    let end = now_ms - now_ms.rem_euclid(MINUTE_MS);
    (ms_to_local_input(end - span_ms), ms_to_local_input(end))
}

/// Why no export can be made now whatever is typed: no topic chosen (said in the form and its
/// preview), or one CLS has closed.
fn blocked(topic: Option<&str>, closed: bool, t: &'static Catalogue) -> Option<&'static str> {
    match (topic, closed) {
        (None, _) => Some(t.cls.no_topic),
        (Some(_), true) => Some(t.cls.topic_closed),
        (Some(_), false) => None,
    }
}

/// The line above the form saying what the export is made from: the topic chosen (a known one
/// by its name, closed or not, or a typed id), or that one must be chosen.
fn topic_note(topic: Option<&str>, known: Option<&ClsTopic>, t: &Catalogue) -> String {
    let words = &t.cls;
    match (topic, known) {
        (None, _) => words.no_topic.to_owned(),
        (Some(_), Some(known)) if known.closed => (words.note_closed)(&known.name),
        (Some(_), Some(known)) => (words.note_from)(&known.name),
        (Some(_), None) => words.note_typed.to_owned(),
    }
}

/// The create form of log exports. Its context is the topic shown: an answer counts only while
/// its topic is still shown.
struct ExportForm;

impl CreateSource for ExportForm {
    type Context = Option<String>;
    type Draft = ExportDraft;
    type Request = CreateExportRequest;
    type Problems = LabelledViolations;
    /// The new export's id.
    type Created = String;

    fn request(
        topic: &Option<String>,
        draft: &ExportDraft,
        t: &'static Catalogue,
    ) -> Result<CreateExportRequest, LabelledViolations> {
        let mut violations = Violations::default();
        let from = time_field(&mut violations, "From", &draft.start);
        let to = time_field(&mut violations, "To", &draft.end);
        let count = match draft.count.trim() {
            "" => None,
            text => text
                .parse::<i64>()
                .map_err(|_| violations.push("Count", Rule::WholeNumber { min: 1, max: COUNT_MAX }))
                .ok(),
        };
        let fields: Vec<String> =
            draft.fields.split([',', '\n']).map(|f| f.trim().to_owned()).filter(|f| !f.is_empty()).collect();
        let request = CreateExportRequest {
            topic_id: topic.clone(),
            count,
            query: Some(draft.query.clone()),
            from,
            to,
            order: Some(draft.order.clone()),
            format: Some(draft.format.clone()),
            syntax_rule: draft.syntax_rule.parse().ok(),
            derived_fields: (!fields.is_empty()).then_some(fields),
        };
        let checked = request.validate();
        violations.merge_rules(checked).map(|_| request).map_err(|v| LabelledViolations::new(v, t.cls.field_labels, t))
    }

    fn preview(_: &Option<String>, request: &CreateExportRequest) -> PreviewRequest {
        PreviewRequest::of_call(&cls::create_call(), request)
    }

    async fn create(_: &Option<String>, request: CreateExportRequest) -> Result<String, ApiError> {
        cls::create(&request).await.map(|answer| answer.export_id)
    }

    fn submit_label(_: &ExportDraft, t: &'static Catalogue) -> &'static str {
        t.cls.submit
    }

    fn created_message(export_id: &String, t: &'static Catalogue) -> String {
        (t.cls.created)(export_id)
    }
}

/// An export as DescribeExports lists it gives back every field it was created with: the
/// request it came from (its topic is the one shown, whose exports the list holds).
impl CreateAgainFrom<ExportInfo> for ExportForm {
    fn draft_of(export: &ExportInfo) -> Option<ExportDraft> {
        Some(ExportDraft {
            query: export.query.clone(),
            start: ms_to_local_input_exact(export.from),
            end: ms_to_local_input_exact(export.to),
            count: export.count.to_string(),
            order: export.order.clone(),
            format: export.format.clone(),
            syntax_rule: export.syntax_rule.to_string(),
            fields: export.derived_fields.as_deref().unwrap_or_default().join(", "),
        })
    }
}

/// A listed export's "Create again" button.
pub(super) fn create_again_button(again: CreateAgain, export: &ExportInfo) -> Option<AnyView> {
    again.button::<ExportForm, _>(export, export.export_id.clone(), None)
}

#[component]
pub(super) fn CreateExportForm(
    topic: Memo<Option<String>>,
    known_topic: Memo<Option<ClsTopic>>,
    #[prop(into)] closed: Signal<bool>,
    #[prop(into)] on_created: Callback<String>,
) -> impl IntoView {
    let catalogue = crate::i18n::t();
    let t = &catalogue.cls;
    let now = || js_sys::Date::now() as i64;
    let why_blocked = move || blocked(topic.get().as_deref(), closed.get(), catalogue);
    let form =
        use_create_form::<ExportForm>(move || topic.get(), why_blocked, ExportDraft::new(now()), None, on_created);
    let (error_for, invalid) = (move |field| form.check.error_for(field), move |field| form.check.invalid(field));
    let preset = move |span_ms: i64| form.draft.update(|d| (d.start, d.end) = last_span(now(), span_ms));
    let topic_note = move || topic_note(topic.get().as_deref(), known_topic.get().as_ref(), catalogue);
    let query = form.bind(|d| &d.query, |d| &mut d.query);

    view! {
        <CreateFormView parts=form.parts() heading=t.form_heading>
            <p class="cls-topic-note" class:closed=move || closed.get() role="note">{topic_note}</p>
            <div class="form-grid">
                <div class="field cls-query-field" class:invalid=move || invalid("Query").get()>
                    <label for="export-query">{t.query}</label>
                    <textarea id="export-query" name="export-query" rows="2" spellcheck="false"
                        prop:value=move || query.get()
                        on:input=move |ev| query.set(event_target_value(&ev))
                        aria-invalid=move || invalid("Query").get().to_string()
                        aria-describedby="export-query-error"></textarea>
                    <p class="field-hint">{t.query_hint}</p>
                    <p class="field-error" id="export-query-error" aria-live="polite">{move || error_for("Query").get()}</p>
                </div>
                <TimeRange
                    from=TimeEnd::new("export-from", (t.from)(&zone_name()), form.bind(|d| &d.start, |d| &mut d.start), form.check, "From")
                    to=TimeEnd::new("export-to", (t.to)(&zone_name()), form.bind(|d| &d.end, |d| &mut d.end), form.check, "To")
                    presets=t.presets
                    on_preset=Callback::new(preset)/>
                <Field label=t.count id="export-count" error=error_for("Count") hint=t.count_hint>
                    <TextInput id="export-count" value=form.bind(|d| &d.count, |d| &mut d.count) invalid=invalid("Count")
                        attr:inputmode="numeric"/>
                </Field>
                <Field label=t.order id="export-order" error=error_for("Order")>
                    <EnumSelect id="export-order" value=form.bind(|d| &d.order, |d| &mut d.order) invalid=invalid("Order")
                        options=Order::ALL.iter().map(|o| (o.as_str(), (t.order_label)(*o))).collect()/>
                </Field>
                <Field label=t.format id="export-format" error=error_for("Format")>
                    <EnumSelect id="export-format" value=form.bind(|d| &d.format, |d| &mut d.format) invalid=invalid("Format")
                        options=Format::ALL.iter().map(|f| (f.as_str(), (t.format_label)(*f))).collect()/>
                </Field>
                <Field label=t.syntax id="export-syntax" error=error_for("SyntaxRule")>
                    <EnumSelect id="export-syntax" value=form.bind(|d| &d.syntax_rule, |d| &mut d.syntax_rule) invalid=invalid("SyntaxRule")
                        options=SyntaxRule::ALL.iter().rev().map(|r| (r.as_str(), r.label())).collect()/>
                </Field>
                <Field label=t.fields id="export-fields" error=error_for("DerivedFields") hint=t.fields_hint>
                    <TextInput id="export-fields" value=form.bind(|d| &d.fields, |d| &mut d.fields)
                        invalid=invalid("DerivedFields") attr:spellcheck="false"/>
                </Field>
            </div>
            {move || error_for("TopicId").get().map(|m| (t.topic_error)(&m))
                .map(|text| view! { <p class="field-error" role="alert">{text}</p> })}
        </CreateFormView>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::FormProblems;

    fn topic(id: &str) -> Option<String> {
        Some(id.into())
    }

    /// A draft that passes: 37 logs of 2026-11-23 08:00 to 09:00 in the zone the form reads.
    fn valid_draft() -> ExportDraft {
        ExportDraft {
            query: "status:500".into(),
            start: "2026-11-23T08:00".into(),
            end: "2026-11-23T09:00".into(),
            count: " 37 ".into(),
            fields: "a, b\n\nc".into(),
            ..ExportDraft::new(0)
        }
    }

    #[test]
    fn a_valid_draft_gives_exactly_the_request_sent() {
        let ms = crate::components::time::local_input_to_ms;
        let request = ExportForm::request(&topic("t-1"), &valid_draft(), &crate::i18n::EN).unwrap();
        assert_eq!(
            request,
            CreateExportRequest {
                topic_id: Some("t-1".into()),
                count: Some(37),
                query: Some("status:500".into()),
                from: ms("2026-11-23T08:00"),
                to: ms("2026-11-23T09:00"),
                order: Some("desc".into()),
                format: Some("json".into()),
                syntax_rule: Some(1),
                derived_fields: Some(vec!["a".into(), "b".into(), "c".into()]),
            }
        );
        let every_field = ExportForm::request(
            &topic("t-1"),
            &ExportDraft { fields: " , ".into(), ..valid_draft() },
            &crate::i18n::EN,
        );
        assert_eq!(every_field.unwrap().derived_fields, None);
    }

    #[test]
    fn each_mistake_is_reported_on_its_field() {
        let refused = |draft: ExportDraft| ExportForm::request(&topic("t-1"), &draft, &crate::i18n::EN).unwrap_err();
        let zero = refused(ExportDraft { count: "0".into(), ..valid_draft() });
        assert_eq!(zero.for_field("Count"), Some("must be from 1 to 50000000, not 0"));
        let words = refused(ExportDraft { count: "twelve".into(), ..valid_draft() });
        assert_eq!(words.for_field("Count"), Some("must be a whole number from 1 to 50000000"));
        assert_eq!(
            words.lines(),
            ["Count: must be a whole number from 1 to 50000000"],
            "the rule about a missing count is not added"
        );
        let backwards =
            refused(ExportDraft { start: "2026-11-23T09:00".into(), end: "2026-11-23T08:00".into(), ..valid_draft() });
        assert_eq!(backwards.for_field("To"), Some("must be after From"));
        let unreadable = refused(ExportDraft { end: "soon".into(), ..valid_draft() });
        assert_eq!(unreadable.for_field("To"), Some("is not a valid date and time"));
        let sql = refused(ExportDraft { query: "* | select count(*)".into(), ..valid_draft() });
        assert!(sql.for_field("Query").is_some_and(|m| m.contains("SQL")));
        let no_topic = ExportForm::request(&None, &valid_draft(), &crate::i18n::EN).unwrap_err();
        assert!(no_topic.for_field("TopicId").is_some());
        let no_start = refused(ExportDraft { start: String::new(), ..valid_draft() });
        assert_eq!(no_start.for_field("From"), Some("is required: choose a date and time"));
        let in_chinese = ExportForm::request(
            &topic("t-1"),
            &ExportDraft { count: "0".into(), ..valid_draft() },
            &crate::i18n::ZH_CN,
        );
        assert_eq!(in_chinese.unwrap_err().lines(), ["日志条数：须在 1 到 50000000 之间，当前为 0"]);
    }

    #[test]
    fn a_blank_query_and_malformed_field_names_are_refused_by_the_models_rules() {
        let refused = |draft: ExportDraft| ExportForm::request(&topic("t-1"), &draft, &crate::i18n::EN).unwrap_err();
        for blank in ["", "  \n "] {
            let message = refused(ExportDraft { query: blank.into(), ..valid_draft() });
            assert!(message.for_field("Query").is_some_and(|m| m.contains("must not be blank")), "{blank:?}");
        }
        for malformed in ["a b", "<x>"] {
            let fields = format!("status, {malformed}");
            let problems = refused(ExportDraft { fields, ..valid_draft() });
            let message = problems.for_field("DerivedFields").unwrap();
            assert!(message.contains(&format!("`{malformed}` is not a log field name")), "{message}");
            assert!(problems.lines()[0].starts_with("Fields: "), "{:?}", problems.lines());
        }
    }

    #[test]
    fn nothing_is_sent_without_a_topic_or_from_a_closed_one() {
        let en = &crate::i18n::EN;
        assert_eq!(blocked(Some("t-1"), false, en), None);
        assert_eq!(blocked(None, false, en), Some("Choose a topic first: the export is made from it."));
        assert!(blocked(Some("t-1"), true, en).is_some_and(|reason| reason.contains("closed")));
        assert_eq!(blocked(Some("t-1"), true, &crate::i18n::ZH_CN), Some(crate::i18n::ZH_CN.cls.topic_closed));
    }

    #[test]
    fn the_topic_note_names_the_topic_in_the_language_in_force() {
        let open = ClsTopic { id: "t-1".into(), name: "nginx-access".into(), closed: false };
        let closed = ClsTopic { id: "t-9".into(), name: "legacy-archive".into(), closed: true };
        assert_eq!(topic_note(Some("t-1"), Some(&open), &crate::i18n::EN), "From topic nginx-access.");
        assert_eq!(topic_note(Some("t-1"), Some(&open), &crate::i18n::ZH_CN), "来自日志主题 nginx-access。");
        assert!(topic_note(Some("t-9"), Some(&closed), &crate::i18n::EN)
            .starts_with("legacy-archive is closed: its log collection is switched off"));
        assert_eq!(
            topic_note(Some("t-9"), Some(&closed), &crate::i18n::ZH_CN),
            "legacy-archive 已关闭：日志采集已停止，CLS 拒绝从中创建新的下载任务（FailedOperation.TopicClosed）。\
             已有的下载任务仍列在下方。"
        );
        assert_eq!(topic_note(None, None, &crate::i18n::ZH_CN), crate::i18n::ZH_CN.cls.no_topic);
        assert_eq!(
            ExportForm::created_message(&"export-1".to_owned(), &crate::i18n::ZH_CN),
            "下载任务 export-1 已创建，已在下方列表中高亮显示。"
        );
    }

    #[test]
    fn create_again_gives_back_the_request_a_listed_export_was_made_with() {
        let request = ExportForm::request(&topic("t-1"), &valid_draft(), &crate::i18n::EN).unwrap();
        let listed = ExportInfo {
            topic_id: "t-1".into(),
            export_id: "e-1".into(),
            query: request.query.clone().unwrap(),
            file_name: String::new(),
            file_size: 0,
            order: "asc".into(),
            format: "csv".into(),
            count: 37,
            status: "Completed".into(),
            from: request.from.unwrap(),
            // Made elsewhere, not on a whole minute: the seconds come along.
            to: request.to.unwrap() + 17_000,
            cos_path: String::new(),
            create_time: String::new(),
            syntax_rule: 0,
            derived_fields: Some(vec!["a".into(), "b".into()]),
            create_timestamp: None,
        };
        let draft = ExportForm::draft_of(&listed).unwrap();
        assert_eq!((draft.start.as_str(), draft.end.as_str()), ("2026-11-23T08:00", "2026-11-23T09:00:17"));
        let again = ExportForm::request(&topic("t-1"), &draft, &crate::i18n::EN).unwrap();
        assert_eq!(
            again,
            CreateExportRequest {
                topic_id: Some("t-1".into()),
                count: Some(37),
                query: Some("status:500".into()),
                from: Some(listed.from),
                to: Some(listed.to),
                order: Some("asc".into()),
                format: Some("csv".into()),
                syntax_rule: Some(0),
                derived_fields: Some(vec!["a".into(), "b".into()]),
            }
        );
        let every_field = ExportInfo { derived_fields: None, ..listed };
        let draft = ExportForm::draft_of(&every_field).unwrap();
        assert_eq!(ExportForm::request(&topic("t-1"), &draft, &crate::i18n::EN).unwrap().derived_fields, None);
    }

    #[test]
    fn the_form_opens_on_the_last_hour_to_the_minute() {
        let now = crate::components::time::local_input_to_ms("2026-11-23T09:41").unwrap() + 30_000;
        let draft = ExportDraft::new(now);
        assert_eq!((draft.start.as_str(), draft.end.as_str()), ("2026-11-23T08:41", "2026-11-23T09:41"));
        assert_eq!(last_span(now, 15 * MINUTE_MS).0, "2026-11-23T09:26");
    }
}
