//! The per-row download and delete of IoTDA exports. The download's state is shared by every
//! row: IoTDA serves one download per user every 30 s, so one countdown holds every row's button.

use crate::api::status::StatusKind;
use crate::api::{iotda, ApiError};
use crate::hooks::{effect, use_countdown, Countdown};
use crate::i18n::Catalogue;
use crate::task_page::{Bulk, CreateAgain, DeleteWords, Queue, RowCall, RowDelete};
use export_desk_model::desk::IotdaProject;
use export_desk_model::huawei_iotda::{error_code, ExportTask, DOWNLOAD_INTERVAL_MS};
use leptos::prelude::*;
use std::rc::Rc;

/// Fetches a task's file and hands it to the browser to save.
async fn download_and_save(project: IotdaProject, id: String) -> Result<(), ApiError> {
    let file = iotda::download_file(&project, &id).await?;
    file.save(&iotda::download_file_name(&id))
}

#[derive(Clone, Copy)]
pub(super) struct RowActions {
    download: Action<String, Result<(), ApiError>>,
    /// Until IoTDA serves the next download, while it would refuse one.
    pub(super) wait: Countdown,
    /// The last download's failure.
    pub(super) error: RwSignal<Option<ApiError>>,
    pub(super) delete: RowDelete,
    again: CreateAgain,
    /// The words of the language the page was built in.
    t: &'static Catalogue,
}

impl RowActions {
    pub(super) fn new(project: IotdaProject, on_deleted: Callback<()>, t: &'static Catalogue) -> Self {
        let download = Action::new_local({
            let project = project.clone();
            move |id: &String| download_and_save(project.clone(), id.clone())
        });
        // The one delete: the rows' buttons and the bulk delete both make it.
        let delete = RowDelete::new(
            DeleteWords { thing: t.iotda.delete_thing, question: t.iotda.delete_question },
            move |id| {
                let project = project.clone();
                async move { iotda::delete(&project, &id).await }
            },
            on_deleted,
        );
        let actions =
            Self { download, wait: use_countdown(), error: RwSignal::new(None), delete, again: CreateAgain::new(), t };
        effect(move || {
            download.version().track();
            match download.value().get_untracked() {
                None => {}
                Some(Ok(())) => {
                    actions.error.set(None);
                    actions.wait.start(DOWNLOAD_INTERVAL_MS.div_euclid(1000) as u32);
                }
                // The 30 s rule is a wait, not a failure: the buttons count it down.
                Some(Err(error)) if error.code() == Some(error_code::RATE_LIMITED) => {
                    actions.error.set(None);
                    actions.wait.start(error.retry_after_secs().unwrap_or(30).max(1));
                }
                Some(Err(error)) => actions.error.set(Some(error)),
            }
        });
        actions
    }

    /// Several tasks at once: deleted as a row is, or each succeeded one's file, queued one per
    /// 30 s on the countdown the row buttons show.
    pub(super) fn bulk(self, project: IotdaProject) -> Bulk<ExportTask> {
        Bulk::new(self.delete).download(
            move |task: &ExportTask| {
                let succeeded = iotda::task_status(task).kind == StatusKind::Succeeded;
                let (project, id) = (project.clone(), task.export_task_id.clone());
                let call: RowCall = Rc::new(move || Box::pin(download_and_save(project.clone(), id.clone())));
                succeeded.then_some((call, None))
            },
            Some(Queue {
                interval_secs: DOWNLOAD_INTERVAL_MS.div_euclid(1000) as u32,
                too_soon: error_code::RATE_LIMITED,
                wait: self.wait,
            }),
        )
    }

    pub(super) fn cell(self, task: &ExportTask) -> AnyView {
        let id = task.export_task_id.clone();
        let succeeded = iotda::task_status(task).kind == StatusKind::Succeeded;
        let download = succeeded.then(|| {
            let id = id.clone();
            let busy = move || self.download.pending().get();
            let words = &self.t.iotda;
            let text = move || match self.wait.left.get() {
                Some(secs) => (words.download_in)(secs),
                None if busy() => words.downloading.to_owned(),
                None => words.download.to_owned(),
            };
            view! {
                <button type="button" class="button download"
                    disabled=move || busy() || self.wait.left.get().is_some()
                    on:click=move |_| { self.download.dispatch_local(id.clone()); }>
                    {text}
                </button>
            }
        });
        view! {
            <div class="iotda-actions">
                {download}
                {super::form::create_again_button(self.again, task)}
                {self.delete.button(id)}
            </div>
        }
        .into_any()
    }
}
