//! Component tests of the shared blocks, in headless Chromium (wasm-bindgen-test).
//! Each test mounts into its own container, since all tests of this binary share one page.
#![cfg(target_arch = "wasm32")]

use export_desk::api::cdn_stats::task_status;
use export_desk::api::status::StatusKind;
use export_desk::components::{Column, DownloadLink, OffsetPage, Pager, StatusBadge, TaskKey, TaskTable};
use export_desk_model::huawei_cdn::ExportTask;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn container() -> web_sys::HtmlElement {
    let element = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&element).unwrap();
    element.unchecked_into()
}

/// Lets pending reactive effects run.
async fn tick() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

fn texts(root: &web_sys::HtmlElement, selector: &str) -> Vec<String> {
    let nodes = root.query_selector_all(selector).unwrap();
    (0..nodes.length()).map(|i| nodes.item(i).unwrap().text_content().unwrap_or_default()).collect()
}

fn task(id: &str, status: &str, link: Option<&str>, update_time: i64) -> ExportTask {
    ExportTask {
        task_id: id.into(),
        task_name: format!("name-{id}"),
        status: status.into(),
        download_link: link.map(Into::into),
        create_time: 1_700_000_000_000,
        update_time,
    }
}

fn columns() -> Vec<Column<ExportTask>> {
    vec![
        Column::new("Name", "col-name", |t: &ExportTask| t.task_name.clone()),
        Column::new("Status", "col-status", |t: &ExportTask| view! { <StatusBadge status=task_status(t)/> }),
        Column::new("File", "col-file", |t: &ExportTask| view! { <DownloadLink link=t.download_link.clone()/> }),
    ]
}

fn key(t: &ExportTask) -> TaskKey {
    TaskKey { id: t.task_id.clone(), version: t.update_time.to_string() }
}

#[wasm_bindgen_test]
async fn the_task_table_renders_rows_badges_and_only_safe_links() {
    let root = container();
    let rows = RwSignal::new(vec![
        task("a", "success", Some("http://127.0.0.1/f.csv"), 2),
        task("b", "processing", None, 1),
        task("c", "success", Some("javascript:alert(1)"), 1),
    ]);
    let highlighted = RwSignal::new(Some("b".to_owned()));
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        view! { <TaskTable rows=rows columns=columns() key=key highlighted=highlighted caption="test"/> }
    });
    tick().await;

    assert_eq!(texts(&root, "tbody tr .col-name"), ["name-a", "name-b", "name-c"]);
    let statuses: Vec<String> = (0..3)
        .map(|i| {
            let badge = root.query_selector_all(".badge").unwrap().item(i).unwrap();
            badge.unchecked_into::<web_sys::Element>().get_attribute("data-status").unwrap()
        })
        .collect();
    assert_eq!(statuses, ["succeeded", "running", "succeeded"]);
    let links = root.query_selector_all("a.download").unwrap();
    assert_eq!(links.length(), 1, "the javascript: link must not be rendered");
    let href = links.item(0).unwrap().unchecked_into::<web_sys::Element>().get_attribute("href");
    assert_eq!(href.as_deref(), Some("http://127.0.0.1/f.csv"));
    let marked = root.query_selector("tr.highlight").unwrap().unwrap();
    assert_eq!(marked.get_attribute("data-task-id").as_deref(), Some("b"));

    // A task that moves on is re-rendered; the highlight follows the signal.
    rows.update(|rows| rows[1] = task("b", "success", Some("https://x/y.csv"), 3));
    highlighted.set(None);
    tick().await;
    assert_eq!(root.query_selector_all("a.download").unwrap().length(), 2);
    assert!(root.query_selector("tr.highlight").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn names_from_the_server_are_text_never_markup() {
    let root = container();
    let rows = RwSignal::new(vec![ExportTask {
        task_name: "<img src=x onerror=alert(1)>".into(),
        ..task("x", "fail", None, 1)
    }]);
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        view! { <TaskTable rows=rows columns=columns() key=key highlighted=Signal::stored(None::<String>) caption="test"/> }
    });
    tick().await;
    assert!(root.query_selector("img").unwrap().is_none());
    assert_eq!(texts(&root, "tbody .col-name"), ["<img src=x onerror=alert(1)>"]);
}

#[wasm_bindgen_test]
async fn the_pager_disables_what_leads_nowhere_and_reports_moves() {
    let root = container();
    let page = RwSignal::new(Some(OffsetPage { offset: 0, limit: 10, total: 25 }));
    let requested = RwSignal::new(None::<u64>);
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <Pager page=page page_sizes=&[10, 20] on_offset=move |o| requested.set(Some(o)) on_limit=|_| {}/>
        }
    });
    tick().await;
    let button = |label: &str| -> web_sys::HtmlButtonElement {
        root.query_selector(&format!("button[aria-label='{label}']")).unwrap().unwrap().unchecked_into()
    };
    assert!(button("First page").disabled() && button("Previous page").disabled());
    assert!(!button("Next page").disabled());
    assert_eq!(texts(&root, ".pager-range"), ["1–10 of 25 · page 1 of 3"]);
    button("Last page").click();
    assert_eq!(requested.get_untracked(), Some(20));

    page.set(Some(OffsetPage { offset: 20, limit: 10, total: 25 }));
    tick().await;
    assert!(button("Next page").disabled());
    assert_eq!(texts(&root, ".pager-range"), ["21–25 of 25 · page 3 of 3"]);
}

#[wasm_bindgen_test]
fn cdn_statuses_map_onto_the_shared_model_keeping_the_raw_value() {
    let status = |raw: &str| task_status(&task("t", raw, None, 1));
    assert_eq!(status("success").kind, StatusKind::Succeeded);
    assert_eq!(status("fail").kind, StatusKind::Failed);
    // Undocumented values are taken as still running, so the page keeps watching them.
    let unknown = status("exporting");
    assert_eq!((unknown.kind, unknown.raw.as_str()), (StatusKind::Running, "exporting"));
    assert!(unknown.kind.is_unfinished() && !status("success").kind.is_unfinished());
}
