//! The form that creates a refresh or preheat task from a pasted list of URLs, checked line by
//! line with the model's rules before anything is sent.

use super::pasted_urls::{check_pasted_urls, line_span_utf16, pasted_lines, PastedUrlsError};
use crate::api::{cdn_history, ApiError};
use crate::components::{Binding, Field, FieldMessages, FormProblems, PreviewRequest};
use crate::i18n::{self, Catalogue};
use crate::task_page::{use_create_form, CreateAgainFrom, CreateFormView, CreateSource, DraftOffers};
use export_desk_model::huawei_cdn::history::{
    FileType, PreheatingTaskBody, PreheatingTaskRequest, RefreshMode, RefreshTaskBody, RefreshTaskRequest, TaskType,
    UrlKind,
};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

/// A task the form created: its id and the URLs it holds.
#[derive(Debug, Clone)]
pub struct Created {
    pub id: String,
    pub urls: Vec<String>,
}

/// The request to send, one of the two create calls.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum CreateRequest {
    Refresh(RefreshTaskRequest),
    Preheat(PreheatingTaskRequest),
}

/// Everything typed, as typed: a refused submit loses nothing.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ContentDraft {
    task_type: TaskType,
    /// As chosen, kept while a preheat hides the choice (see [`url_kind`](Self::url_kind)).
    file_type: FileType,
    mode: RefreshMode,
    /// One URL a line, as pasted.
    urls: String,
}

impl ContentDraft {
    fn new() -> Self {
        Self { task_type: TaskType::Refresh, file_type: FileType::File, mode: RefreshMode::All, urls: String::new() }
    }

    /// What the lines name, by the rules they must follow. Directories can only be refreshed
    /// (preheating fetches files), so a preheat is files whatever the hidden choice says; the
    /// choice stays as made, for when the user switches back to refresh.
    fn url_kind(&self) -> UrlKind {
        match self.task_type {
            TaskType::Refresh => UrlKind::refreshing(self.file_type),
            TaskType::Preheating => UrlKind::Preheat,
        }
    }
}

/// The refresh or preheat form.
struct ContentTaskForm;

impl CreateSource for ContentTaskForm {
    type Context = ();
    type Draft = ContentDraft;
    type Request = CreateRequest;
    type Problems = PastedUrlsError;
    type Created = Created;

    /// Only what applies to the task chosen is sent: a preheat carries neither the file type nor
    /// the mode chosen for a refresh (its URLs must be files), a file refresh no mode.
    fn request(_: &(), draft: &ContentDraft, t: &'static Catalogue) -> Result<CreateRequest, PastedUrlsError> {
        let kind = draft.url_kind();
        let file_type = kind.file_type();
        let urls = check_pasted_urls(&draft.urls, kind, t)?;
        let request = match draft.task_type {
            TaskType::Refresh => CreateRequest::Refresh(RefreshTaskRequest {
                refresh_task: Some(RefreshTaskBody {
                    file_type: Some(file_type.as_str().to_owned()),
                    // The mode only means something for directories; files are sent without one.
                    mode: (file_type == FileType::Directory).then(|| draft.mode.as_str().to_owned()),
                    zh_url_encode: None,
                    urls: Some(urls),
                }),
            }),
            TaskType::Preheating => CreateRequest::Preheat(PreheatingTaskRequest {
                preheating_task: Some(PreheatingTaskBody { zh_url_encode: None, urls: Some(urls) }),
            }),
        };
        Ok(request)
    }

    fn preview(_: &(), request: &CreateRequest) -> PreviewRequest {
        match request {
            CreateRequest::Refresh(body) => PreviewRequest::of_call(&cdn_history::refresh_call(), body),
            CreateRequest::Preheat(body) => PreviewRequest::of_call(&cdn_history::preheating_call(), body),
        }
    }

    async fn create(_: &(), request: CreateRequest) -> Result<Created, ApiError> {
        let (id, urls) = match request {
            CreateRequest::Refresh(body) => {
                let urls = body.refresh_task.as_ref().and_then(|task| task.urls.clone());
                (cdn_history::create_refresh(&body).await.map(|r| r.refresh_task)?, urls)
            }
            CreateRequest::Preheat(body) => {
                let urls = body.preheating_task.as_ref().and_then(|task| task.urls.clone());
                (cdn_history::create_preheating(&body).await.map(|r| r.preheating_task)?, urls)
            }
        };
        Ok(Created { id, urls: urls.unwrap_or_default() })
    }

    fn submit_label(draft: &ContentDraft, t: &'static Catalogue) -> &'static str {
        match draft.task_type {
            TaskType::Refresh => t.cdn_purge.submit_refresh,
            TaskType::Preheating => t.cdn_purge.submit_preheat,
        }
    }

    fn created_message(created: &Created, t: &'static Catalogue) -> String {
        (t.cdn_purge.created)(&created.id)
    }

    /// The form starts over for the next task. The box is emptied only when it still holds
    /// exactly the URLs the task now holds: text typed while the create was on its way is the
    /// next list, and stays.
    fn after_created(created: &Created, now: &ContentDraft) -> Option<ContentDraft> {
        let holds_the_task = pasted_lines(&now.urls).map(|(_, url)| url).eq(created.urls.iter().map(String::as_str));
        let urls = if holds_the_task { String::new() } else { now.urls.clone() };
        Some(ContentDraft { urls, ..now.clone() })
    }
}

/// The box's problems are one message for the field (the summary) and a list of lines, each a
/// button that selects its line.
impl FormProblems for PastedUrlsError {
    fn violations(&self) -> FieldMessages {
        FieldMessages(vec![("urls", self.summary.clone())])
    }

    fn lines(&self) -> Vec<String> {
        let lines = self.lines.iter().map(|p| format!("{}{}{}", p.label, self.colon, p.message));
        std::iter::once(self.summary.clone()).chain(lines).collect()
    }

    fn point_at(&self) {
        point_at_line(self.lines.first().map(|p| p.line));
    }
}

/// A refresh or preheat task as its detail describes it (the list says no URLs): what "Create
/// again" and the failed URLs' redo start from.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct TaskContent {
    /// The detail's wire values.
    pub task_type: String,
    pub file_type: String,
    pub urls: Vec<String>,
}

/// The task's type, file type and URLs. The detail does not say a directory refresh's mode: the
/// draft has the API's default (`all`, every file of the directory, which refreshes at least what
/// the original did). `None` for a type the API does not document.
impl CreateAgainFrom<TaskContent> for ContentTaskForm {
    fn draft_of(task: &TaskContent) -> Option<ContentDraft> {
        let task_type = TaskType::parse(&task.task_type)?;
        let file_type = match task_type {
            TaskType::Refresh => FileType::parse(&task.file_type)?,
            TaskType::Preheating => FileType::File,
        };
        Some(ContentDraft { task_type, file_type, mode: RefreshMode::All, urls: task.urls.join("\n") })
    }
}

/// Whether the form can take a task of this type and file type (the detail's wire values).
pub(super) fn known_kind(task_type: &str, file_type: &str) -> bool {
    let task = TaskContent { task_type: task_type.to_owned(), file_type: file_type.to_owned(), urls: Vec::new() };
    ContentTaskForm::draft_of(&task).is_some()
}

/// Offers the form on the list's page a draft of `task` (named by `id`); `false` when the task's
/// type is one the form does not know.
pub(super) fn offer_again(offers: DraftOffers, task: &TaskContent, id: String) -> bool {
    match ContentTaskForm::draft_of(task) {
        Some(draft) => {
            offers.offer::<ContentTaskForm>(draft, id);
            true
        }
        None => false,
    }
}

/// The request that does `task` again, checked exactly as the form checks what is typed (the
/// model's URL rules and caps): `None` for a type the form does not know.
pub(super) fn request_again(
    task: &TaskContent,
    t: &'static Catalogue,
) -> Option<Result<CreateRequest, PastedUrlsError>> {
    ContentTaskForm::draft_of(task).map(|draft| ContentTaskForm::request(&(), &draft, t))
}

/// Sends a request made by [`request_again`].
pub(super) async fn create(request: CreateRequest) -> Result<Created, ApiError> {
    ContentTaskForm::create(&(), request).await
}

#[component]
pub fn CreateContentTaskForm(#[prop(into)] on_created: Callback<Created>) -> impl IntoView {
    let words = &i18n::t().cdn_purge;
    let form = use_create_form::<ContentTaskForm>(|| (), || None, ContentDraft::new(), None, on_created);
    // After the first submit the lines follow the box as it is edited (and the task and file
    // type, which the rules depend on).
    let problems = Memo::new(move |_| form.shown_problems());
    let is_refresh = move || form.draft.with(|d| d.task_type == TaskType::Refresh);
    let directory = move || form.draft.with(|d| d.url_kind() == UrlKind::RefreshDirectories);
    let task_type = form.bind(|d| &d.task_type, |d| &mut d.task_type);
    let file_type = form.bind(|d| &d.file_type, |d| &mut d.file_type);
    let mode = form.bind(|d| &d.mode, |d| &mut d.mode);
    let urls = form.bind(|d| &d.urls, |d| &mut d.urls);

    view! {
        <CreateFormView parts=form.parts() heading=words.form_heading class="create-form purge-form">
            <div class="purge-choices">
                <fieldset>
                    <legend>{words.legend_task}</legend>
                    {choice("task_type", TaskType::Refresh, task_type, words.choose_refresh)}
                    {choice("task_type", TaskType::Preheating, task_type, words.choose_preheat)}
                </fieldset>
                // Choices that do not apply are hidden, not greyed: a preheat is files only, and
                // only a directory refresh has a mode. The draft keeps them for switching back.
                <fieldset hidden=move || !is_refresh()>
                    <legend>{words.legend_file_type}</legend>
                    {choice("file_type", FileType::File, file_type, (words.file_type)(FileType::File))}
                    {choice("file_type", FileType::Directory, file_type, (words.file_type)(FileType::Directory))}
                </fieldset>
                <fieldset hidden=move || !directory()>
                    <legend>{words.legend_mode}</legend>
                    {choice("mode", RefreshMode::All, mode, (words.mode)(RefreshMode::All))}
                    {choice("mode", RefreshMode::DetectModifyRefresh, mode, (words.mode)(RefreshMode::DetectModifyRefresh))}
                </fieldset>
            </div>
            <Field label=words.urls_label id="urls" error=form.check.error_for("urls")
                hint=Signal::derive(move || Some((words.url_hint)(form.draft.with(ContentDraft::url_kind))))>
                <textarea id="urls" name="urls" rows="6" spellcheck="false"
                    placeholder="https://www.example.com/index.html"
                    prop:value=move || urls.get()
                    on:input=move |ev| urls.set(event_target_value(&ev))
                    aria-invalid=move || form.check.invalid("urls").get().to_string()
                    aria-describedby="urls-error urls-problems"></textarea>
            </Field>
            <ul id="urls-problems" class="url-problems">
                {move || problems.with(|p| p.as_ref().map(|p| p.lines.clone()).unwrap_or_default()).into_iter().map(|problem| {
                    let line = problem.line;
                    view! {
                        <li data-line=line>
                            <button type="button" class="button subtle" on:click=move |_| point_at_line(Some(line))>
                                {problem.label}
                            </button>
                            " "<span class="url-problem-message">{problem.message}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </CreateFormView>
    }
}

/// One radio button of a provider enum: `wire` is its value, `checked` whether it is the one
/// chosen. Not generic, so the three enums share it.
#[component]
fn Choice(
    name: &'static str,
    wire: String,
    #[prop(into)] checked: Signal<bool>,
    on_choose: Callback<()>,
    label: &'static str,
) -> impl IntoView {
    let id = format!("{name}-{wire}");
    let label_for = id.clone();
    view! {
        <label class="radio" for=label_for>
            <input type="radio" id=id name=name value=wire
                prop:checked=move || checked.get()
                on:change=move |_| on_choose.run(())/>
            " "{label}
        </label>
    }
}

/// The radio button for `value` of the draft field `current` edits.
fn choice<T>(name: &'static str, value: T, current: Binding<T>, label: &'static str) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + std::fmt::Display + 'static,
{
    view! {
        <Choice name=name wire=value.to_string() label=label
            checked=Signal::derive(move || current.get() == value)
            on_choose=Callback::new(move |()| current.set(value))/>
    }
}

/// Focuses the URL box and, when `line` is given, selects that line, so the keyboard lands on
/// what to fix.
fn point_at_line(line: Option<usize>) {
    request_animation_frame(move || {
        let Some(textarea) = document().get_element_by_id("urls") else { return };
        let Ok(textarea) = textarea.dyn_into::<web_sys::HtmlElement>() else { return };
        let _ = textarea.focus();
        let Some(line) = line else { return };
        // The textarea's own selection API, reached without pulling another web-sys binding into
        // the bundle: `value` and `setSelectionRange` are all it takes.
        let value = js_sys::Reflect::get(&textarea, &JsValue::from_str("value")).ok().and_then(|v| v.as_string());
        let select = js_sys::Reflect::get(&textarea, &JsValue::from_str("setSelectionRange"))
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        if let (Some(value), Some(select)) = (value, select) {
            if let Some((start, end)) = line_span_utf16(&value, line) {
                let _ = select.call2(&textarea, &start.into(), &end.into());
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(task_type: TaskType, file_type: FileType, urls: &str) -> ContentDraft {
        ContentDraft { task_type, file_type, mode: RefreshMode::DetectModifyRefresh, urls: urls.into() }
    }

    fn refresh(file_type: &str, mode: Option<&str>, urls: &[&str]) -> CreateRequest {
        CreateRequest::Refresh(RefreshTaskRequest {
            refresh_task: Some(RefreshTaskBody {
                file_type: Some(file_type.into()),
                mode: mode.map(Into::into),
                zh_url_encode: None,
                urls: Some(urls.iter().map(|u| u.to_string()).collect()),
            }),
        })
    }

    #[test]
    fn files_are_refreshed_without_a_mode_and_directories_with_one() {
        let files =
            draft(TaskType::Refresh, FileType::File, " https://a.example.com/x.js \n\nhttps://a.example.com/y.js");
        assert_eq!(
            ContentTaskForm::request(&(), &files, &crate::i18n::EN).unwrap(),
            refresh("file", None, &["https://a.example.com/x.js", "https://a.example.com/y.js"])
        );
        let directories = draft(TaskType::Refresh, FileType::Directory, "https://a.example.com/static/");
        assert_eq!(
            ContentTaskForm::request(&(), &directories, &crate::i18n::EN).unwrap(),
            refresh("directory", Some("detect_modify_refresh"), &["https://a.example.com/static/"])
        );
    }

    #[test]
    fn a_preheat_is_always_files_whatever_was_chosen_for_a_refresh() {
        let preheat = draft(TaskType::Preheating, FileType::Directory, "https://a.example.com/x.js");
        let expected = CreateRequest::Preheat(PreheatingTaskRequest {
            preheating_task: Some(PreheatingTaskBody {
                zh_url_encode: None,
                urls: Some(vec!["https://a.example.com/x.js".into()]),
            }),
        });
        assert_eq!(
            ContentTaskForm::request(&(), &preheat, &crate::i18n::EN).unwrap(),
            expected,
            "no file type, no mode"
        );
        assert_eq!(ContentTaskForm::submit_label(&preheat, &crate::i18n::EN), "Create preheat task");
    }

    #[test]
    fn a_preheat_cannot_carry_a_directory_and_the_hidden_choice_comes_back_with_refresh() {
        let urls = "https://a.example.com/x.js\nhttps://a.example.com/static/";
        let preheat = draft(TaskType::Preheating, FileType::Directory, urls);
        let refused = ContentTaskForm::request(&(), &preheat, &crate::i18n::EN).unwrap_err();
        assert_eq!(refused.lines.iter().map(|p| p.line).collect::<Vec<_>>(), vec![2]);
        assert!(refused.lines[0].message.contains("cannot be preheated"), "{refused:?}");
        // Back to refresh, the directory choice made before is in force again.
        let refresh_again = ContentDraft { task_type: TaskType::Refresh, ..preheat };
        let directories = ContentDraft { urls: "https://a.example.com/static/".into(), ..refresh_again };
        let request = ContentTaskForm::request(&(), &directories, &crate::i18n::EN).unwrap();
        assert_eq!(request, refresh("directory", Some("detect_modify_refresh"), &["https://a.example.com/static/"]));
    }

    fn content(task_type: &str, file_type: &str, urls: &[&str]) -> TaskContent {
        TaskContent {
            task_type: task_type.into(),
            file_type: file_type.into(),
            urls: urls.iter().map(|u| u.to_string()).collect(),
        }
    }

    #[test]
    fn a_task_done_again_keeps_its_type_file_type_and_exactly_its_urls() {
        let en = &crate::i18n::EN;
        let urls = ["https://a.example.com/x.js", "https://a.example.com/y.js"];
        let files = request_again(&content("refresh", "file", &urls), en).unwrap().unwrap();
        assert_eq!(files, refresh("file", None, &urls));
        let directories = request_again(&content("refresh", "directory", &["https://a.example.com/static/"]), en);
        assert_eq!(
            directories.unwrap().unwrap(),
            refresh("directory", Some("all"), &["https://a.example.com/static/"]),
            "the detail says no mode: the API's default"
        );
        let preheat = request_again(&content("preheating", "file", &urls), en).unwrap().unwrap();
        assert_eq!(
            preheat,
            CreateRequest::Preheat(PreheatingTaskRequest {
                preheating_task: Some(PreheatingTaskBody {
                    zh_url_encode: None,
                    urls: Some(urls.iter().map(|u| u.to_string()).collect()),
                }),
            })
        );
        assert_eq!(request_again(&content("purge", "file", &urls), en), None, "an undocumented type");
        assert_eq!(request_again(&content("refresh", "folder", &urls), en), None);
        let draft = ContentTaskForm::draft_of(&content("refresh", "directory", &["https://a.example.com/s/"]));
        assert_eq!(draft.map(|d| (d.task_type, d.file_type)), Some((TaskType::Refresh, FileType::Directory)));
    }

    #[test]
    fn failed_urls_the_form_would_refuse_create_nothing_and_say_why() {
        let zh = &crate::i18n::ZH_CN;
        // A directory among a file refresh's URLs, as a hand-edited task could hold.
        let refused = request_again(&content("refresh", "file", &["https://a.example.com/x.js", "ftp://b"]), zh);
        let problems = refused.unwrap().unwrap_err();
        assert_eq!(problems.lines.iter().map(|p| p.line).collect::<Vec<_>>(), vec![2]);
        assert_eq!(problems.summary, "第 2 行需要修改。");
        let too_many: Vec<String> = (0..101).map(|i| format!("https://a.example.com/{i}/")).collect();
        let task = TaskContent { task_type: "refresh".into(), file_type: "directory".into(), urls: too_many };
        let refused = request_again(&task, &crate::i18n::EN).unwrap().unwrap_err();
        assert!(refused.summary.contains("at most 100"), "{refused:?}");
        let none = request_again(&content("refresh", "file", &[]), &crate::i18n::EN).unwrap().unwrap_err();
        assert!(none.summary.contains("at least one URL"));
    }

    #[test]
    fn the_url_hint_follows_the_task() {
        let url_hint = crate::i18n::EN.cdn_purge.url_hint;
        assert!(url_hint(UrlKind::Preheat).contains("cannot be preheated"));
        assert!(url_hint(UrlKind::RefreshDirectories).contains("at most 100"));
        assert!(url_hint(UrlKind::RefreshFiles).contains("at most 1000"));
    }

    #[test]
    fn chinese_says_what_was_created_and_which_lines_to_fix() {
        let zh = &crate::i18n::ZH_CN;
        let created = Created { id: "7620240".into(), urls: Vec::new() };
        assert_eq!(ContentTaskForm::created_message(&created, zh), "任务 7620240 已创建，已在下方列表中高亮显示。");
        assert_eq!(
            ContentTaskForm::created_message(&created, &crate::i18n::EN),
            "Task 7620240 created; it is highlighted in the list below."
        );
        let preheat = draft(TaskType::Preheating, FileType::File, "https://a.example.com/x.js");
        assert_eq!(ContentTaskForm::submit_label(&preheat, zh), "创建预热任务");
        let bad = draft(TaskType::Refresh, FileType::File, "https://a.example.com/x.js\nftp://a.example.com/y");
        let problems = ContentTaskForm::request(&(), &bad, zh).unwrap_err();
        let lines = problems.lines();
        assert_eq!(lines[0], "第 2 行需要修改。");
        assert!(lines[1].starts_with("第 2 行："), "{lines:?}");
    }

    #[test]
    fn a_bad_line_is_reported_by_its_line_on_the_url_field() {
        let bad = draft(TaskType::Refresh, FileType::File, "https://a.example.com/x.js\nftp://a.example.com/y");
        let problems = ContentTaskForm::request(&(), &bad, &crate::i18n::EN).unwrap_err();
        assert_eq!(problems.lines.iter().map(|p| p.line).collect::<Vec<_>>(), vec![2]);
        assert_eq!(problems.violations().for_field("urls"), Some("Line 2 needs fixing."));
        let preview = problems.lines();
        assert_eq!(preview[0], "Line 2 needs fixing.");
        assert!(preview[1].starts_with("Line 2: ") && preview[1].contains("http:// or https://"), "{preview:?}");
        let empty = ContentTaskForm::request(&(), &draft(TaskType::Refresh, FileType::File, " \n"), &crate::i18n::EN)
            .unwrap_err();
        assert!(empty.violations().for_field("urls").is_some_and(|m| m.contains("at least one URL")));
    }

    #[test]
    fn the_box_is_emptied_only_when_it_still_holds_what_the_task_holds() {
        let now = draft(TaskType::Refresh, FileType::File, " https://a.example.com/x.js\n\n");
        let created = Created { id: "t".into(), urls: vec!["https://a.example.com/x.js".into()] };
        let next = ContentTaskForm::after_created(&created, &now).unwrap();
        assert_eq!(next, ContentDraft { urls: String::new(), ..now.clone() }, "the choices stay");
        let typed_since =
            ContentDraft { urls: "https://a.example.com/x.js\nhttps://a.example.com/next.js".into(), ..now };
        assert_eq!(ContentTaskForm::after_created(&created, &typed_since), Some(typed_since));
    }
}
