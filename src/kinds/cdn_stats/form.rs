//! The create form of CDN statistics exports: what data, of which domains, over which time.

use crate::api::{cdn_stats, ApiError};
use crate::components::time::{ms_to_local_input, ms_to_local_input_exact, time_field, zone_name};
use crate::components::{EnumSelect, Field, LabelledViolations, PreviewRequest, TextInput, TimeEnd, TimeRange};
use crate::i18n::{self, Catalogue};
use crate::task_page::{use_create_form, CreateAgain, CreateAgainFrom, CreateFormView, CreateSource};
use export_desk_model::huawei_cdn::{ExportTaskVo, Interval, Language, ServiceArea, StatType, StatsAction};
use export_desk_model::validation::{Rule, Violations};
use leptos::prelude::*;

/// Everything typed into the create form, as typed: the selects' wire values, the boxes' text.
#[derive(Debug, Clone, PartialEq)]
struct StatsDraft {
    action: String,
    all_domains: bool,
    domains: String,
    start: String,
    end: String,
    /// Empty: let the server choose by the span.
    interval: String,
    stat_type: String,
    service_area: String,
    group_by_domain: bool,
    country: String,
    province: String,
    isp: String,
    language: String,
}

const HOUR_MS: i64 = 3_600_000;

impl StatsDraft {
    /// The form as it opens at `now_ms`: traffic details of the last 24 whole hours.
    fn new(now_ms: i64) -> Self {
        let (start, end) = last_hours(now_ms, 24 * HOUR_MS);
        Self {
            action: StatsAction::ReportsDetail.as_str().to_owned(),
            all_domains: false,
            domains: String::new(),
            start,
            end,
            interval: String::new(),
            stat_type: StatType::Flux.as_str().to_owned(),
            service_area: ServiceArea::MainlandChina.as_str().to_owned(),
            group_by_domain: false,
            country: String::new(),
            province: String::new(),
            isp: String::new(),
            language: Language::En.as_str().to_owned(),
        }
    }

    /// Carrier and top-URL data take no country.
    fn country_allowed(&self) -> bool {
        StatsAction::parse(&self.action).is_none_or(StatsAction::allows_country)
    }

    /// Provinces only mean something for China (`country` exactly `cn`, as the API reads it).
    fn province_allowed(&self) -> bool {
        self.country_allowed() && self.country.trim() == "cn"
    }
}

/// The `span_ms` up to the last whole hour before `now_ms`, as the time inputs show them.
fn last_hours(now_ms: i64, span_ms: i64) -> (String, String) {
    let end = now_ms - now_ms.rem_euclid(HOUR_MS);
    (ms_to_local_input(end - span_ms), ms_to_local_input(end))
}

/// The create form of statistics exports. The call answers no id: the page finds the new task,
/// and is handed the request that made it, to remember it for "Create again".
struct StatsForm;

impl CreateSource for StatsForm {
    type Context = ();
    type Draft = StatsDraft;
    type Request = ExportTaskVo;
    type Problems = LabelledViolations;
    /// The request that was accepted.
    type Created = ExportTaskVo;

    fn request(_: &(), draft: &StatsDraft, t: &'static Catalogue) -> Result<ExportTaskVo, LabelledViolations> {
        let mut violations = Violations::default();
        let start_time = time_field(&mut violations, "start_time", &draft.start);
        let end_time = time_field(&mut violations, "end_time", &draft.end);
        let optional = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let domains = if draft.all_domains {
            Some("all".to_owned())
        } else {
            let list: Vec<&str> =
                draft.domains.split([',', '\n', ' ']).map(str::trim).filter(|d| !d.is_empty()).collect();
            optional(&list.join(","))
        };
        if domains.is_none() {
            violations.push("domain_name", Rule::DomainsOrAll);
        }
        let vo = ExportTaskVo {
            action: optional(&draft.action),
            domain_name: domains,
            start_time,
            end_time,
            group_by: draft.group_by_domain.then(|| "domain".to_owned()),
            interval: optional(&draft.interval).and_then(|s| s.parse().ok()),
            service_area: optional(&draft.service_area),
            stat_type: optional(&draft.stat_type),
            // A hidden field is not sent, and what was typed stays in the draft for when the
            // choice it depends on changes back.
            country: optional(&draft.country).filter(|_| draft.country_allowed()),
            province: optional(&draft.province).filter(|_| draft.province_allowed()),
            isp: optional(&draft.isp),
            language: optional(&draft.language),
        };
        let checked = vo.validate();
        violations.merge_rules(checked).map(|_| vo).map_err(|v| LabelledViolations::new(v, t.cdn_stats.field_labels, t))
    }

    fn preview(_: &(), body: &ExportTaskVo) -> PreviewRequest {
        PreviewRequest::of_call(&cdn_stats::create_call(), body)
    }

    async fn create(_: &(), body: ExportTaskVo) -> Result<ExportTaskVo, ApiError> {
        cdn_stats::create(&body).await.map(|()| body)
    }

    fn submit_label(_: &StatsDraft, t: &'static Catalogue) -> &'static str {
        t.cdn_stats.submit
    }

    fn created_message(_: &ExportTaskVo, t: &'static Catalogue) -> String {
        t.cdn_stats.created.to_owned()
    }
}

/// A request this browser sent (the list says nothing of what a task was made with): the draft
/// that sends it again. Domains go one a line, as typed.
impl CreateAgainFrom<ExportTaskVo> for StatsForm {
    fn draft_of(sent: &ExportTaskVo) -> Option<StatsDraft> {
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        let all_domains = sent.domain_name.as_deref() == Some("all");
        let domains =
            if all_domains { String::new() } else { text(&sent.domain_name).split(',').collect::<Vec<_>>().join("\n") };
        Some(StatsDraft {
            action: text(&sent.action),
            all_domains,
            domains,
            start: sent.start_time.map(ms_to_local_input_exact).unwrap_or_default(),
            end: sent.end_time.map(ms_to_local_input_exact).unwrap_or_default(),
            interval: sent.interval.map(|i| i.to_string()).unwrap_or_default(),
            stat_type: text(&sent.stat_type),
            service_area: text(&sent.service_area),
            group_by_domain: sent.group_by.as_deref() == Some("domain"),
            country: text(&sent.country),
            province: text(&sent.province),
            isp: text(&sent.isp),
            language: text(&sent.language),
        })
    }
}

/// The "Create again" button of task `task_id`, made by `sent`.
pub(super) fn create_again_button(again: CreateAgain, sent: &ExportTaskVo, task_id: String) -> Option<AnyView> {
    again.button::<StatsForm, _>(sent, task_id, None)
}

#[component]
pub(super) fn CreateExportForm(
    /// Runs as a valid request is sent, before any answer.
    #[prop(into)]
    on_sending: Callback<()>,
    /// Runs when the cloud has accepted the task, with the request it accepted.
    #[prop(into)]
    on_created: Callback<ExportTaskVo>,
) -> impl IntoView {
    let words = &i18n::t().cdn_stats;
    let now = || js_sys::Date::now() as i64;
    let form = use_create_form::<StatsForm>(|| (), || None, StatsDraft::new(now()), Some(on_sending), on_created);
    let (error_for, invalid) = (move |field| form.check.error_for(field), move |field| form.check.invalid(field));
    let preset = move |span_ms: i64| form.draft.update(|d| (d.start, d.end) = last_hours(now(), span_ms));
    let all_domains = move || form.draft.with(|d| d.all_domains);
    let domains = form.bind(|d| &d.domains, |d| &mut d.domains);

    view! {
        <CreateFormView parts=form.parts() heading=words.form_heading>
            <div class="form-grid">
                <Field label=words.label_action id="action" error=error_for("action")>
                    <EnumSelect id="action" value=form.bind(|d| &d.action, |d| &mut d.action) options=options(StatsAction::ALL, StatsAction::as_str, words.action) invalid=invalid("action")/>
                </Field>
                <Field label=words.label_stat_type id="stat_type" error=error_for("stat_type")>
                    <EnumSelect id="stat_type" value=form.bind(|d| &d.stat_type, |d| &mut d.stat_type) options=options(StatType::ALL, StatType::as_str, words.stat_type) invalid=invalid("stat_type")/>
                </Field>
                <Field label=words.label_domains id="domain_name" error=error_for("domain_name")
                    hint=words.domains_hint>
                    <textarea id="domain_name" rows="3" placeholder="www.example.com"
                        prop:value=move || domains.get()
                        on:input=move |ev| domains.set(event_target_value(&ev))
                        disabled=all_domains
                        aria-invalid=move || invalid("domain_name").get().to_string()
                        aria-describedby="domain_name-error"></textarea>
                    <label class="checkbox">
                        <input type="checkbox" id="all_domains" prop:checked=all_domains
                            on:change=move |ev| form.draft.update(|d| d.all_domains = event_target_checked(&ev))/>
                        " "{words.all_domains}
                    </label>
                </Field>
                <TimeRange
                    from=TimeEnd::new("start_time", (words.from)(&zone_name()), form.bind(|d| &d.start, |d| &mut d.start), form.check, "start_time")
                    to=TimeEnd::new("end_time", (words.to)(&zone_name()), form.bind(|d| &d.end, |d| &mut d.end), form.check, "end_time")
                    presets=words.presets
                    on_preset=Callback::new(preset)/>
                <Field label=words.label_interval id="interval" error=error_for("interval")
                    hint=words.interval_hint>
                    <EnumSelect id="interval" value=form.bind(|d| &d.interval, |d| &mut d.interval) invalid=invalid("interval")
                        options=std::iter::once(("", words.interval_automatic)).chain(options(Interval::ALL, Interval::as_str, words.interval)).collect()/>
                </Field>
                <Field label=words.label_service_area id="service_area" error=error_for("service_area")>
                    <EnumSelect id="service_area" value=form.bind(|d| &d.service_area, |d| &mut d.service_area) options=options(ServiceArea::ALL, ServiceArea::as_str, words.service_area) invalid=invalid("service_area")/>
                </Field>
                <Field label=words.label_language id="language" error=error_for("language")>
                    <EnumSelect id="language" value=form.bind(|d| &d.language, |d| &mut d.language) options=options(Language::ALL, Language::as_str, words.language) invalid=invalid("language")/>
                </Field>
                <Field label=words.label_group_by id="group_by" error=error_for("group_by")>
                    <label class="checkbox">
                        <input type="checkbox" id="group_by" prop:checked=move || form.draft.with(|d| d.group_by_domain)
                            on:change=move |ev| form.draft.update(|d| d.group_by_domain = event_target_checked(&ev))/>
                        " "{words.group_by_domain}
                    </label>
                </Field>
                // Hidden, not greyed, where the data chosen takes none: carrier and top-URL data
                // have no country, and provinces are China's.
                <div class="field-slot" hidden=move || !form.draft.with(StatsDraft::country_allowed)>
                    <Field label=words.label_country id="country" error=error_for("country")
                        hint=words.country_hint>
                        <TextInput id="country" value=form.bind(|d| &d.country, |d| &mut d.country) invalid=invalid("country")/>
                    </Field>
                </div>
                <div class="field-slot" hidden=move || !form.draft.with(StatsDraft::province_allowed)>
                    <Field label=words.label_province id="province" error=error_for("province")
                        hint=words.province_hint>
                        <TextInput id="province" value=form.bind(|d| &d.province, |d| &mut d.province) invalid=invalid("province")/>
                    </Field>
                </div>
                <Field label=words.label_isp id="isp" error=error_for("isp")>
                    <TextInput id="isp" value=form.bind(|d| &d.isp, |d| &mut d.isp) invalid=invalid("isp")/>
                </Field>
            </div>
        </CreateFormView>
    }
}

/// A select's options over a provider enum: each wire value with its label in the language in force.
fn options<E: Copy>(
    all: &'static [E],
    wire: fn(E) -> &'static str,
    label: fn(E) -> &'static str,
) -> Vec<(&'static str, &'static str)> {
    all.iter().map(|&value| (wire(value), label(value))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::FormProblems;

    /// A draft that passes, for 2026-11-23 08:00 to 09:00 in the zone the form reads.
    fn valid_draft() -> StatsDraft {
        StatsDraft {
            domains: "a.example.com, b.example.com\nc.example.com".into(),
            start: "2026-11-23T08:00".into(),
            end: "2026-11-23T09:00".into(),
            ..StatsDraft::new(0)
        }
    }

    fn ms(input: &str) -> Option<i64> {
        crate::components::time::local_input_to_ms(input)
    }

    #[test]
    fn a_valid_draft_gives_exactly_the_request_sent() {
        let request = StatsForm::request(&(), &valid_draft(), &crate::i18n::EN).unwrap();
        assert_eq!(
            request,
            ExportTaskVo {
                action: Some("reports_detail".into()),
                domain_name: Some("a.example.com,b.example.com,c.example.com".into()),
                start_time: ms("2026-11-23T08:00"),
                end_time: ms("2026-11-23T09:00"),
                group_by: None,
                interval: None,
                service_area: Some("mainland_china".into()),
                stat_type: Some("flux".into()),
                country: None,
                province: None,
                isp: None,
                language: Some("en".into()),
            }
        );
        let every_domain =
            StatsDraft { all_domains: true, group_by_domain: true, interval: "3600".into(), ..valid_draft() };
        let request = StatsForm::request(&(), &every_domain, &crate::i18n::EN).unwrap();
        assert_eq!(
            (request.domain_name.as_deref(), request.group_by.as_deref(), request.interval),
            (Some("all"), Some("domain"), Some(3600))
        );
    }

    #[test]
    fn each_mistake_is_reported_on_its_field() {
        let refused = |draft: StatsDraft| StatsForm::request(&(), &draft, &crate::i18n::EN).unwrap_err();
        let no_domains = refused(StatsDraft { domains: " ,\n".into(), ..valid_draft() });
        assert_eq!(
            no_domains.for_field("domain_name"),
            Some("is required: enter one or more domains, or tick “All domains”")
        );
        let bad_domain = refused(StatsDraft { domains: "a.example.com, not a domain".into(), ..valid_draft() });
        assert!(bad_domain.for_field("domain_name").is_some_and(|m| m.contains("not a domain name")));
        let backwards_draft =
            || StatsDraft { start: "2026-11-23T09:00".into(), end: "2026-11-23T08:00".into(), ..valid_draft() };
        let backwards = refused(backwards_draft());
        assert_eq!(backwards.for_field("end_time"), Some("must be after From"), "named by its label");
        assert!(backwards.lines().contains(&"To: must be after From".to_owned()), "{:?}", backwards.lines());
        let in_chinese = StatsForm::request(&(), &backwards_draft(), &crate::i18n::ZH_CN).unwrap_err();
        assert_eq!(in_chinese.for_field("end_time"), Some("必须晚于开始时间"), "in the reader's language");
        assert!(in_chinese.lines().contains(&"结束时间：必须晚于开始时间".to_owned()), "{:?}", in_chinese.lines());
        let no_start = refused(StatsDraft { start: " ".into(), ..valid_draft() });
        assert_eq!(no_start.for_field("start_time"), Some("is required: choose a date and time"));
        // A time that cannot be read is named as such, not as a missing one.
        let unreadable = refused(StatsDraft { start: "yesterday".into(), ..valid_draft() });
        assert_eq!(unreadable.for_field("start_time"), Some("is not a valid date and time"));
        assert_eq!(unreadable.rules().iter().filter(|v| v.field == "start_time").count(), 1);
        let bad_province = refused(StatsDraft { country: "cn".into(), province: "3 1".into(), ..valid_draft() });
        assert!(bad_province.for_field("province").is_some());
    }

    #[test]
    fn a_country_is_not_sent_with_carrier_or_top_url_data() {
        let with_country = StatsDraft { country: " cn ".into(), ..valid_draft() };
        assert_eq!(StatsForm::request(&(), &with_country, &crate::i18n::EN).unwrap().country.as_deref(), Some("cn"));
        for action in ["isp_detail", "top_url_detail"] {
            let draft = StatsDraft { action: action.into(), ..with_country.clone() };
            assert!(!draft.country_allowed());
            let request = StatsForm::request(&(), &draft, &crate::i18n::EN).unwrap();
            assert_eq!(request.country, None, "{action}: the typed country stays in the draft only");
        }
    }

    #[test]
    fn provinces_are_sent_only_with_china() {
        let with_province = StatsDraft { country: "cn".into(), province: "31".into(), ..valid_draft() };
        assert_eq!(StatsForm::request(&(), &with_province, &crate::i18n::EN).unwrap().province.as_deref(), Some("31"));
        for country in ["", "us", "cn,us"] {
            let draft = StatsDraft { country: country.into(), ..with_province.clone() };
            assert!(!draft.province_allowed());
            let request = StatsForm::request(&(), &draft, &crate::i18n::EN).unwrap();
            assert_eq!(request.province, None, "{country:?}: the typed provinces stay in the draft only");
        }
        let carrier = StatsDraft { action: "isp_detail".into(), ..with_province };
        assert_eq!(
            StatsForm::request(&(), &carrier, &crate::i18n::EN).unwrap().province,
            None,
            "no country, so no provinces"
        );
    }

    #[test]
    fn the_choices_and_time_labels_are_in_the_language_in_force() {
        let (en, zh) = (&crate::i18n::EN.cdn_stats, &crate::i18n::ZH_CN.cdn_stats);
        assert_eq!((zh.from)("Asia/Shanghai"), "开始时间（Asia/Shanghai）");
        assert_eq!((en.to)("Europe/Berlin"), "To (Europe/Berlin)");
        assert_eq!(
            options(ServiceArea::ALL, ServiceArea::as_str, zh.service_area),
            [("mainland_china", "中国大陆"), ("outside_mainland_china", "中国大陆境外"), ("global", "全球")]
        );
        // English keeps the labels the model has always given.
        assert!(StatsAction::ALL.iter().all(|&a| (en.action)(a) == a.label()));
        assert!(StatType::ALL.iter().all(|&a| (en.stat_type)(a) == a.label()));
        assert!(Interval::ALL.iter().all(|&a| (en.interval)(a) == a.label()));
        assert!(ServiceArea::ALL.iter().all(|&a| (en.service_area)(a) == a.label()));
        assert!(Language::ALL.iter().all(|&a| (en.language)(a) == a.label()));
        assert_eq!(
            StatsForm::created_message(&ExportTaskVo::default(), &crate::i18n::ZH_CN),
            "任务已创建，已在下方列表中高亮显示。"
        );
    }

    #[test]
    fn create_again_sends_the_remembered_request_again() {
        let every_field = StatsDraft {
            action: "reports_detail".into(),
            interval: "300".into(),
            group_by_domain: true,
            country: "cn".into(),
            province: "31,32".into(),
            isp: "dianxin".into(),
            language: "zh".into(),
            ..valid_draft()
        };
        for draft in [valid_draft(), every_field, StatsDraft { all_domains: true, ..valid_draft() }] {
            let sent = StatsForm::request(&(), &draft, &crate::i18n::EN).unwrap();
            let again = StatsForm::draft_of(&sent).unwrap();
            assert_eq!(StatsForm::request(&(), &again, &crate::i18n::EN).unwrap(), sent, "{draft:?}");
        }
        let sent = StatsForm::request(&(), &valid_draft(), &crate::i18n::EN).unwrap();
        let again = StatsForm::draft_of(&sent).unwrap();
        assert_eq!(again.domains, "a.example.com\nb.example.com\nc.example.com", "one a line");
        // Not on a whole minute (a remembered request edited by hand): the seconds show.
        let odd = ExportTaskVo { start_time: sent.start_time.map(|ms| ms + 5_000), ..sent };
        assert_eq!(StatsForm::draft_of(&odd).unwrap().start, "2026-11-23T08:00:05");
    }

    #[test]
    fn the_form_opens_on_the_last_24_whole_hours() {
        let now = ms("2026-11-23T09:41").unwrap();
        let draft = StatsDraft::new(now);
        assert_eq!((draft.start.as_str(), draft.end.as_str()), ("2026-11-22T09:00", "2026-11-23T09:00"));
        assert_eq!(last_hours(now, 7 * 24 * HOUR_MS).0, "2026-11-16T09:00");
    }
}
