//! The create form of IoTDA exports, with the warning before a sixth unfinished task.

use super::condition;
use crate::api::{iotda, ApiError};
use crate::components::{EnumSelect, Field, LabelledViolations, PreviewRequest, TextInput};
use crate::i18n::Catalogue;
use crate::task_page::{use_create_form, CreateAgain, CreateAgainFrom, CreateFormView, CreateSource};
use export_desk_model::desk::IotdaProject;
use export_desk_model::huawei_iotda::{
    AddExportTask, AppType, ExportFormat, ExportSpec, ExportTask, ResourceType, UNFINISHED_PER_USER_MAX,
};
use export_desk_model::validation::{Rule, Violations};
use leptos::prelude::*;

/// Everything typed into the create form, as typed (so nothing is lost on an error).
#[derive(Debug, Clone, PartialEq)]
struct ExportDraft {
    batch_task_id: String,
    export_format: String,
    app_type: String,
    /// Kept while the scope is the tenant, but sent only for an application scope.
    app_id: String,
}

impl ExportDraft {
    fn new() -> Self {
        Self {
            batch_task_id: String::new(),
            export_format: ExportFormat::Xls.as_str().to_owned(),
            app_type: AppType::Global.as_str().to_owned(),
            app_id: String::new(),
        }
    }

    fn is_app(&self) -> bool {
        self.app_type == AppType::App.as_str()
    }
}

/// The create form of the project's exports. Its request carries the spec it validates to, which
/// the warning before a sixth unfinished task compares with the running ones.
struct ExportForm;

impl CreateSource for ExportForm {
    type Context = IotdaProject;
    type Draft = ExportDraft;
    type Request = (AddExportTask, ExportSpec);
    type Problems = LabelledViolations;
    type Created = ExportTask;

    /// The app id is sent only for an application scope (it scopes nothing otherwise).
    fn request(
        _: &IotdaProject,
        draft: &ExportDraft,
        t: &'static Catalogue,
    ) -> Result<(AddExportTask, ExportSpec), LabelledViolations> {
        let optional = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let batch = optional(&draft.batch_task_id);
        let mut violations = Violations::default();
        if batch.is_none() {
            violations.push("resource_condition", Rule::BatchTaskIdRequired);
        }
        let body = AddExportTask {
            resource_type: Some(ResourceType::BatchTask.as_str().to_owned()),
            resource_condition: batch.as_deref().map(condition),
            export_format: optional(&draft.export_format),
            app_type: optional(&draft.app_type),
            app_id: optional(&draft.app_id).filter(|_| draft.is_app()),
        };
        let checked = body.validate();
        violations
            .merge_rules(checked)
            .map(|spec| (body, spec))
            .map_err(|v| LabelledViolations::new(v, t.iotda.field_labels, t))
    }

    fn preview(project: &IotdaProject, (body, _): &(AddExportTask, ExportSpec)) -> PreviewRequest {
        PreviewRequest::of_call(&iotda::create_call(project), body)
    }

    async fn create(project: &IotdaProject, (body, _): (AddExportTask, ExportSpec)) -> Result<ExportTask, ApiError> {
        iotda::create(project, &body).await
    }

    fn submit_label(_: &ExportDraft, t: &'static Catalogue) -> &'static str {
        t.iotda.submit
    }

    fn created_message(task: &ExportTask, t: &'static Catalogue) -> String {
        (t.iotda.created)(&task.export_task_id)
    }
}

/// A listed task gives back what it was created with: its batch task, format and scope.
impl CreateAgainFrom<ExportTask> for ExportForm {
    fn draft_of(task: &ExportTask) -> Option<ExportDraft> {
        Some(ExportDraft {
            batch_task_id: super::batch_task_id(task),
            export_format: task.export_format.clone(),
            app_type: task.app_type.clone(),
            app_id: task.app_id.clone().unwrap_or_default(),
        })
    }
}

/// A listed task's "Create again" button.
pub(super) fn create_again_button(again: CreateAgain, task: &ExportTask) -> Option<AnyView> {
    again.button::<ExportForm, _>(task, task.export_task_id.clone(), None)
}

/// The warning before a sixth unfinished task (`running` of them): the task the new one
/// replaces, which IoTDA then accepts, or that IoTDA refuses it.
fn limit_warning_text(running: usize, replaces: Option<&ExportTask>, t: &Catalogue) -> String {
    match replaces {
        Some(task) => (t.iotda.limit_replaces)(running, &task.export_task_id),
        None => (t.iotda.limit_refuses)(running),
    }
}

/// The spec a listed task was created with, to tell whether a new one replaces it.
fn spec_of(task: &ExportTask) -> Option<ExportSpec> {
    AddExportTask {
        resource_type: Some(task.resource_type.clone()),
        resource_condition: Some(task.resource_condition.clone()),
        export_format: Some(task.export_format.clone()),
        app_type: Some(task.app_type.clone()),
        app_id: task.app_id.clone(),
    }
    .validate()
    .ok()
}

#[component]
pub(super) fn CreateExportForm(
    project: IotdaProject,
    /// The user's unfinished tasks, for the warning before a sixth.
    #[prop(into)]
    unfinished: Signal<Vec<ExportTask>>,
    on_created: Callback<ExportTask>,
) -> impl IntoView {
    let form = use_create_form::<ExportForm>(move || project.clone(), || None, ExportDraft::new(), None, on_created);
    // IoTDA refuses a sixth unfinished task, unless the new one replaces a running one (same
    // conditions): say so before the user sends it.
    let limit_warning = Memo::new(move |_| {
        let running = unfinished.get();
        if running.len() < UNFINISHED_PER_USER_MAX {
            return None;
        }
        let project = form.context.run(());
        let request = form.draft.with(|draft| ExportForm::request(&project, draft, form.t));
        let replaces = request.ok().and_then(|(_, spec)| {
            running.iter().find(|task| spec_of(task).is_some_and(|other| other.same_conditions(&spec))).cloned()
        });
        Some(limit_warning_text(running.len(), replaces.as_ref(), form.t))
    });
    let error_for = move |field| form.check.error_for(field);
    let invalid = move |field| form.check.invalid(field);
    let export_format = form.bind(|d| &d.export_format, |d| &mut d.export_format);
    let t = &form.t.iotda;

    view! {
        <CreateFormView parts=form.parts() heading=t.form_heading>
            <div class="form-grid">
                <Field label=t.batch_task_id id="batch_task_id" error=error_for("resource_condition")
                    hint=t.batch_task_id_hint>
                    <TextInput id="batch_task_id" value=form.bind(|d| &d.batch_task_id, |d| &mut d.batch_task_id)
                        invalid=invalid("resource_condition") attr:autocomplete="off" attr:spellcheck="false"/>
                </Field>
                <Field label=t.file_format id="export_format" error=error_for("export_format")>
                    <select id="export_format" name="export_format"
                        on:change=move |ev| export_format.set(event_target_value(&ev))
                        aria-invalid=move || invalid("export_format").get().to_string() aria-describedby="export_format-error">
                        {ExportFormat::ALL.iter().map(|format| view! {
                            <option value=format.as_str() selected=move || export_format.get() == format.as_str()>
                                {(t.format_label)(*format)}
                            </option>
                        }).collect_view()}
                    </select>
                </Field>
                <Field label=t.scope id="app_type" error=error_for("app_type")>
                    <EnumSelect id="app_type" value=form.bind(|d| &d.app_type, |d| &mut d.app_type)
                        options=AppType::ALL.iter().map(|scope| (scope.as_str(), (t.scope_label)(*scope))).collect()
                        invalid=invalid("app_type")/>
                </Field>
                // Only an application scope has an application: hidden otherwise (what was typed
                // stays in the draft, unsent).
                <div class="field-slot" hidden=move || !form.draft.with(ExportDraft::is_app)>
                    <Field label=t.app_id_optional id="app_id" error=error_for("app_id")
                        hint=t.app_id_hint>
                        <TextInput id="app_id" value=form.bind(|d| &d.app_id, |d| &mut d.app_id) invalid=invalid("app_id")
                            attr:autocomplete="off"/>
                    </Field>
                </div>
            </div>
            {move || limit_warning.get().map(|text| view! { <p class="iotda-limit-warning" role="status">{text}</p> })}
        </CreateFormView>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::FormProblems;

    #[test]
    fn a_listed_task_gives_back_the_spec_it_was_created_with() {
        let task = ExportTask { resource_condition: condition("0a1b"), ..crate::api::iotda::sample_task("Processing") };
        let spec = spec_of(&task).unwrap();
        assert_eq!(spec.batch_task_id, "0a1b");
        assert_eq!(super::super::batch_task_id(&task), "0a1b");
        let request = spec.to_request().validate().unwrap();
        assert!(request.same_conditions(&spec));
    }

    #[test]
    fn create_again_gives_back_the_request_a_listed_task_was_made_with() {
        let app = ExportDraft { app_type: "APP".into(), app_id: "my_app".into(), ..valid_draft() };
        let (sent, _) = ExportForm::request(&project(), &app, &crate::i18n::EN).unwrap();
        let listed = ExportTask {
            resource_condition: sent.resource_condition.clone().unwrap(),
            export_format: "xls".into(),
            app_type: "APP".into(),
            app_id: Some("my_app".into()),
            ..crate::api::iotda::sample_task("Success")
        };
        let draft = ExportForm::draft_of(&listed).unwrap();
        assert_eq!(draft.batch_task_id, "0a1b");
        assert_eq!(ExportForm::request(&project(), &draft, &crate::i18n::EN).unwrap().0, sent);
        let tenant = ExportTask { app_type: "GLOBAL".into(), app_id: None, ..listed };
        let (again, _) =
            ExportForm::request(&project(), &ExportForm::draft_of(&tenant).unwrap(), &crate::i18n::EN).unwrap();
        assert_eq!((again.app_type.as_deref(), again.app_id), (Some("GLOBAL"), None));
    }

    fn project() -> IotdaProject {
        IotdaProject { project_id: "p1".into(), instance_id: None }
    }

    fn valid_draft() -> ExportDraft {
        ExportDraft { batch_task_id: " 0a1b ".into(), ..ExportDraft::new() }
    }

    #[test]
    fn a_valid_draft_gives_exactly_the_request_sent() {
        let (body, spec) = ExportForm::request(&project(), &valid_draft(), &crate::i18n::EN).unwrap();
        assert_eq!(
            body,
            AddExportTask {
                resource_type: Some("BatchTask".into()),
                resource_condition: Some(condition("0a1b")),
                export_format: Some("xls".into()),
                app_type: Some("GLOBAL".into()),
                app_id: None,
            }
        );
        assert_eq!((spec.batch_task_id.as_str(), spec.app_type), ("0a1b", AppType::Global));
    }

    #[test]
    fn the_app_id_is_sent_only_for_an_application_scope() {
        let typed = ExportDraft { app_id: "my_app".into(), ..valid_draft() };
        assert_eq!(
            ExportForm::request(&project(), &typed, &crate::i18n::EN).unwrap().0.app_id,
            None,
            "the tenant scope takes none"
        );
        let app = ExportDraft { app_type: "APP".into(), ..typed };
        let (body, spec) = ExportForm::request(&project(), &app, &crate::i18n::EN).unwrap();
        assert_eq!((body.app_type.as_deref(), body.app_id.as_deref()), (Some("APP"), Some("my_app")));
        assert_eq!(spec.app_id.as_deref(), Some("my_app"));
    }

    #[test]
    fn the_sixth_task_warning_is_composed_in_the_language_in_force() {
        let running = ExportTask { export_task_id: "65a1b2".into(), ..crate::api::iotda::sample_task("Processing") };
        let english = limit_warning_text(5, Some(&running), &crate::i18n::EN);
        assert!(english.starts_with(
            "5 export tasks are still running. This one has the same conditions as running task 65a1b2, which"
        ));
        assert_eq!(
            limit_warning_text(5, Some(&running), &crate::i18n::ZH_CN),
            "仍有 5 个导出任务在运行。此任务与运行中的任务 65a1b2 条件相同，会替换它，因此 IoTDA 会接受。"
        );
        assert!(limit_warning_text(6, None, &crate::i18n::ZH_CN).starts_with("仍有 6 个导出任务在运行：在其中一个完成"));
        assert_eq!(
            ExportForm::created_message(&running, &crate::i18n::ZH_CN),
            "任务 65a1b2 已创建，已在下方列表中高亮显示。"
        );
    }

    #[test]
    fn each_mistake_is_reported_on_its_field() {
        let refused = |draft: ExportDraft| ExportForm::request(&project(), &draft, &crate::i18n::EN).unwrap_err();
        let empty = refused(ExportDraft::new());
        assert_eq!(
            empty.for_field("resource_condition"),
            Some("is required: the id of the batch task whose results to export")
        );
        assert_eq!(empty.rules().iter().count(), 1, "the model's own words about the missing condition are left out");
        let not_hex = refused(ExportDraft { batch_task_id: "batch-7".into(), ..valid_draft() });
        assert_eq!(
            not_hex.for_field("resource_condition"),
            Some("must be 1 to 24 characters of 0-9 and a-f (a batch task id), not \"batch-7\""),
            "no API field name under the field's own label"
        );
        assert!(not_hex.lines()[0].starts_with("Batch task id: must be"), "{:?}", not_hex.lines());
        let bad_app = refused(ExportDraft { app_type: "APP".into(), app_id: "my app".into(), ..valid_draft() });
        assert!(bad_app.for_field("app_id").is_some_and(|m| m.contains("letters, digits")));
        // A bad app id typed for the tenant scope is not sent, so not refused either.
        let ignored = ExportDraft { app_id: "my app".into(), ..valid_draft() };
        assert!(ExportForm::request(&project(), &ignored, &crate::i18n::EN).is_ok());
    }
}
