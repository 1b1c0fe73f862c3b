//! The form that creates a refresh or preheat task from a pasted list of URLs, checked line by
//! line with the model's rules before anything is sent.

use super::pasted_urls::{check_pasted_urls, line_span_utf16, PastedUrlsError};
use crate::api::{cdn_history, ApiError};
use crate::components::{ErrorView, Field, Preview, PreviewRequest, RequestPreview};
use export_desk_model::huawei_cdn::history::{
    FileType, PreheatingTaskBody, PreheatingTaskRequest, RefreshMode, RefreshTaskBody, RefreshTaskRequest, TaskType,
};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

/// A task the form created: its id, and the file type the list must show to find it.
#[derive(Debug, Clone)]
pub struct Created {
    pub id: String,
    pub file_type: FileType,
}

/// The request to send, one of the two create calls.
#[derive(Clone)]
enum CreateRequest {
    Refresh(RefreshTaskRequest),
    Preheat(PreheatingTaskRequest),
}

/// Everything typed, kept as typed: a refused submit loses nothing.
#[derive(Clone, Copy)]
struct FormState {
    task_type: RwSignal<TaskType>,
    file_type: RwSignal<FileType>,
    mode: RwSignal<RefreshMode>,
    urls: RwSignal<String>,
}

impl FormState {
    /// Directories can only be refreshed (preheating fetches files), so a preheat is always files;
    /// the choice stays as made, for when the user switches back to refresh.
    fn effective_file_type(self) -> FileType {
        match self.task_type.get() {
            TaskType::Refresh => self.file_type.get(),
            TaskType::Preheating => FileType::File,
        }
    }

    fn to_request(self) -> Result<(CreateRequest, FileType), PastedUrlsError> {
        let file_type = self.effective_file_type();
        let urls = self.urls.with(|text| check_pasted_urls(text, file_type))?;
        let request = match self.task_type.get() {
            TaskType::Refresh => CreateRequest::Refresh(RefreshTaskRequest {
                refresh_task: Some(RefreshTaskBody {
                    file_type: Some(file_type.as_str().to_owned()),
                    // The mode only means something for directories; files are sent without one.
                    mode: (file_type == FileType::Directory).then(|| self.mode.get().as_str().to_owned()),
                    zh_url_encode: None,
                    urls: Some(urls),
                }),
            }),
            TaskType::Preheating => CreateRequest::Preheat(PreheatingTaskRequest {
                preheating_task: Some(PreheatingTaskBody { zh_url_encode: None, urls: Some(urls) }),
            }),
        };
        Ok((request, file_type))
    }
}

/// The request [`send`] would make, through the clients' own call descriptions.
fn preview(request: &CreateRequest) -> PreviewRequest {
    match request {
        CreateRequest::Refresh(body) => PreviewRequest::of_call(&cdn_history::refresh_call(), body),
        CreateRequest::Preheat(body) => PreviewRequest::of_call(&cdn_history::preheating_call(), body),
    }
}

async fn send(request: CreateRequest) -> Result<String, ApiError> {
    match request {
        CreateRequest::Refresh(body) => cdn_history::create_refresh(&body).await.map(|r| r.refresh_task),
        CreateRequest::Preheat(body) => cdn_history::create_preheating(&body).await.map(|r| r.preheating_task),
    }
}

#[component]
pub fn CreateContentTaskForm(#[prop(into)] on_created: Callback<Created>) -> impl IntoView {
    let form = FormState {
        task_type: RwSignal::new(TaskType::Refresh),
        file_type: RwSignal::new(FileType::File),
        mode: RwSignal::new(RefreshMode::All),
        urls: RwSignal::new(String::new()),
    };
    let tried = RwSignal::new(false);
    // After the first submit the problems follow the box as it is edited (re-checked on each
    // change of any field, since the rules depend on the task and file type).
    let problems = Memo::new(move |_| if tried.get() { form.to_request().err() } else { None });
    let create = Action::new_local(|(request, file_type): &(CreateRequest, FileType)| {
        let (request, file_type) = (request.clone(), *file_type);
        async move { send(request).await.map(|id| Created { id, file_type }) }
    });
    let created_id = RwSignal::new(None::<String>);
    // The box as it was sent: text typed while the create was on its way is the next list, not
    // this one, and stays.
    let sent_urls = StoredValue::new(String::new());
    Effect::new(move |_| {
        create.version().track();
        match create.value().get_untracked() {
            Some(Ok(created)) => {
                created_id.set(Some(created.id.clone()));
                // The task holds the URLs now; an emptied box is ready for the next list.
                if sent_urls.with_value(|sent| form.urls.with_untracked(|urls| urls == sent)) {
                    form.urls.set(String::new());
                }
                tried.set(false);
                on_created.run(created);
            }
            Some(Err(_)) | None => created_id.set(None),
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        tried.set(true);
        match untrack(|| form.to_request()) {
            Ok(request) => {
                sent_urls.set_value(form.urls.get_untracked());
                create.dispatch_local(request);
            }
            Err(error) => point_at_line(error.lines.first().map(|p| p.line)),
        }
    };
    let summary = Signal::derive(move || problems.with(|p| p.as_ref().map(|p| p.summary.clone())));
    let server_error = move || match create.value().get() {
        Some(Err(error)) => Some(error),
        _ => None,
    };
    let is_refresh = move || form.task_type.get() == TaskType::Refresh;
    let directory = move || form.effective_file_type() == FileType::Directory;
    let request_preview = Signal::derive(move || -> Preview {
        match form.to_request() {
            Ok((request, _)) => Ok(preview(&request)),
            Err(error) => Err(std::iter::once(error.summary)
                .chain(error.lines.into_iter().map(|p| format!("Line {}: {}", p.line, p.message)))
                .collect()),
        }
    });

    view! {
        <form class="create-form purge-form" on:submit=submit novalidate=true aria-labelledby="create-heading">
            <h2 id="create-heading">"New refresh or preheat task"</h2>
            <div class="purge-choices">
                <fieldset>
                    <legend>"Task"</legend>
                    <Choice name="task_type" value=TaskType::Refresh current=form.task_type label="Refresh (drop cached copies)"/>
                    <Choice name="task_type" value=TaskType::Preheating current=form.task_type label="Preheat (fetch into the cache)"/>
                </fieldset>
                <fieldset disabled=move || !is_refresh()>
                    <legend>"What the lines name"</legend>
                    <Choice name="file_type" value=FileType::File current=form.file_type label="Files"/>
                    <Choice name="file_type" value=FileType::Directory current=form.file_type label="Directories (refresh only)"/>
                </fieldset>
                <fieldset disabled=move || !directory()>
                    <legend>"Directory refresh"</legend>
                    <Choice name="mode" value=RefreshMode::All current=form.mode label="Everything under it"/>
                    <Choice name="mode" value=RefreshMode::DetectModifyRefresh current=form.mode label="Only changed files"/>
                </fieldset>
            </div>
            <Field label="URLs, one per line" id="urls" error=summary
                hint="http:// or https:// with a domain, no spaces, up to 4096 characters each; at most 1000 files or 100 directories (ending in /) a task.">
                <textarea id="urls" name="urls" rows="6" spellcheck="false"
                    placeholder="https://www.example.com/index.html"
                    prop:value=move || form.urls.get()
                    on:input=move |ev| form.urls.set(event_target_value(&ev))
                    aria-invalid=move || problems.with(Option::is_some).to_string()
                    aria-describedby="urls-error urls-problems"></textarea>
            </Field>
            <ul id="urls-problems" class="url-problems">
                {move || problems.with(|p| p.as_ref().map(|p| p.lines.clone()).unwrap_or_default()).into_iter().map(|problem| {
                    let line = problem.line;
                    view! {
                        <li data-line=line>
                            <button type="button" class="button subtle" on:click=move |_| point_at_line(Some(line))>
                                {format!("Line {line}")}
                            </button>
                            " "<span class="url-problem-message">{problem.message}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {move || server_error().map(|error| view! { <ErrorView error=error/> })}
            <div class="form-actions">
                <button type="submit" class="button primary" disabled=move || create.pending().get()>
                    {move || match (create.pending().get(), form.task_type.get()) {
                        (true, _) => "Creating…",
                        (false, TaskType::Refresh) => "Create refresh task",
                        (false, TaskType::Preheating) => "Create preheat task",
                    }}
                </button>
                <span class="form-status" role="status">
                    {move || created_id.get().filter(|_| !create.pending().get()).map(|id| format!("Task {id} created; it is highlighted in the list below."))}
                </span>
            </div>
            <RequestPreview request=request_preview/>
        </form>
    }
}

/// One radio button of a provider enum.
#[component]
fn Choice<T>(name: &'static str, value: T, current: RwSignal<T>, label: &'static str) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + std::fmt::Display + 'static,
{
    let id = format!("{name}-{value}");
    let label_for = id.clone();
    view! {
        <label class="radio" for=label_for>
            <input type="radio" id=id name=name value=value.to_string()
                prop:checked=move || current.get() == value
                on:change=move |_| current.set(value)/>
            " "{label}
        </label>
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
