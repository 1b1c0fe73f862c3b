//! Component tests of the shared blocks, in headless Chromium (wasm-bindgen-test).
//! Each test mounts into its own container, since all tests of this binary share one page.
#![cfg(target_arch = "wasm32")]

use export_desk::api::cdn_stats::task_status;
use export_desk::api::status::StatusKind;
use export_desk::components::{Column, DownloadLink, OffsetPage, Pager, RevealedTask, StatusBadge, TaskKey, TaskTable};
use export_desk_model::huawei_cdn::ExportTask;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, KeyboardEvent, KeyboardEventInit};

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

#[wasm_bindgen_test]
async fn a_badge_shows_one_word_and_the_providers_word_only_where_it_says_more() {
    use export_desk::api::status::{StatusNote, TaskStatus};
    let root = container();
    let statuses = vec![
        task_status(&task("a", "success", None, 1)),
        task_status(&task("b", "exporting", None, 1)),
        TaskStatus::new(StatusKind::Failed, "task_done").with_note(StatusNote::UrlsFailed(2)),
    ];
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        statuses.into_iter().map(|status| view! { <StatusBadge status=status/> }).collect_view()
    });
    tick().await;
    let badges = root.query_selector_all(".badge").unwrap();
    let badge = |i: u32| badges.item(i).unwrap().unchecked_into::<HtmlElement>();
    // One word, not "Succeeded success": the provider's synonym adds nothing, so no tooltip.
    assert_eq!(badge(0).inner_text(), "Succeeded");
    assert_eq!(badge(0).get_attribute("title"), None);
    // An undocumented word, and a "done" that failed: the word is the tooltip and hidden text for
    // screen readers; what is seen stays one word.
    assert!(badge(1).get_attribute("title").is_some_and(|t| t.contains("“exporting”")));
    assert_eq!(
        badge(2).get_attribute("title").as_deref(),
        Some("Finished, but 2 URLs failed; the task's page says why.")
    );
    assert_eq!(
        texts(&root, ".badge"),
        [
            "Succeeded".to_owned(),
            format!("Running: {}", badge(1).get_attribute("title").unwrap()),
            "Failed: Finished, but 2 URLs failed; the task's page says why.".to_owned(),
        ]
    );
    assert_eq!(root.query_selector_all(".badge .visually-hidden").unwrap().length(), 2);
}

// ---- The long (virtualized) task table -------------------------------------------------------

/// The app's stylesheet: the virtual body's sticky header, row height and wrapping live there.
fn install_stylesheet() {
    if document().get_element_by_id("main-css").is_none() {
        let style = document().create_element("style").unwrap();
        style.set_id("main-css");
        style.set_text_content(Some(include_str!("../style/main.css")));
        document().head().unwrap().append_child(&style).unwrap();
    }
}

/// Lets the browser render a frame (after which the next tick has run effects it triggered).
async fn frame() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window().request_animation_frame(&resolve).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
    tick().await;
}

/// Tasks `t0 … t{n-1}`, each with a download link (focusable content in every row).
fn numbered_tasks(n: usize) -> Vec<ExportTask> {
    (0..n).map(|i| task(&format!("t{i}"), "success", Some(&format!("https://x/{i}.csv")), 1)).collect()
}

/// The table's focusable region (it does not scroll: the page does).
fn region(root: &HtmlElement) -> HtmlElement {
    root.query_selector(".table-scroll").unwrap().unwrap().unchecked_into()
}

/// How far the table's top edge is above the window's: how far the page has scrolled past it.
fn table_scrolled(root: &HtmlElement) -> f64 {
    -region(root).get_bounding_client_rect().top()
}

fn window_height() -> f64 {
    f64::from(document().document_element().unwrap().client_height())
}

fn attribute(element: &web_sys::Element, name: &str) -> String {
    element.get_attribute(name).unwrap_or_default()
}

/// `(task index, aria-rowindex)` of every rendered task row, in DOM order.
fn rendered(root: &HtmlElement) -> Vec<(usize, usize)> {
    let rows = root.query_selector_all("tbody tr[data-task-id]").unwrap();
    (0..rows.length())
        .map(|i| {
            let row: web_sys::Element = rows.item(i).unwrap().unchecked_into();
            let index = attribute(&row, "data-task-id").trim_start_matches('t').parse().unwrap();
            (index, attribute(&row, "aria-rowindex").parse().unwrap())
        })
        .collect()
}

/// Rendered rows are consecutive tasks, each numbered by its place in the whole table.
fn assert_consistent_window(root: &HtmlElement) -> Vec<(usize, usize)> {
    let rows = rendered(root);
    assert!(!rows.is_empty());
    for (n, &(index, row_index)) in rows.iter().enumerate() {
        assert_eq!(index, rows[0].0 + n, "rendered rows are one contiguous run: {rows:?}");
        assert_eq!(row_index, index + 2, "aria-rowindex counts the header as row 1");
    }
    rows
}

/// Height of a body row, as laid out (the component and the stylesheet agree on it).
fn row_height(root: &HtmlElement) -> f64 {
    root.query_selector("tbody tr[data-task-id]").unwrap().unwrap().get_bounding_client_rect().height()
}

fn header_height(root: &HtmlElement) -> f64 {
    root.query_selector("thead").unwrap().unwrap().get_bounding_client_rect().height()
}

/// Every pixel row of the table in the browser's window, below its sticky header, shows a rendered
/// task row, never a spacer: the rendered rows cover what is in view.
fn assert_view_is_filled(root: &HtmlElement) {
    let rect = region(root).get_bounding_client_rect();
    let bottom = rect.bottom().min(window_height()) - 1.0;
    let mut y = rect.top().max(0.0) + header_height(root) + 1.0;
    assert!(y < bottom, "the table is in view: {}..{}", rect.top(), rect.bottom());
    while y < bottom {
        let hit = document().element_from_point((rect.left() + 20.0) as f32, y as f32).unwrap();
        let row = hit.closest("tr").unwrap().unwrap_or_else(|| panic!("no row at y={y}: {}", hit.outer_html()));
        assert!(
            row.has_attribute("data-task-id"),
            "blank in view at y={y} (table {}..{}): {}",
            rect.top(),
            rect.bottom(),
            row.outer_html().chars().take(300).collect::<String>()
        );
        y += 10.0;
    }
}

/// Scrolls the page so the table's top edge is `top` pixels above the window's (as far as the page
/// goes), as a reader scrolling the page would.
async fn scroll_to(root: &HtmlElement, top: f64) {
    let page_y = window().scroll_y().unwrap();
    window().scroll_to_with_x_and_y(0.0, (page_y + top - table_scrolled(root)).round());
    window().dispatch_event(&web_sys::Event::new("scroll").unwrap()).unwrap();
    frame().await;
}

fn press(target: &HtmlElement, key: &str) -> bool {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&event).unwrap();
    event.default_prevented()
}

fn mount_long_table(
    rows: RwSignal<Vec<ExportTask>>,
    highlighted: RwSignal<Option<String>>,
) -> (HtmlElement, leptos::mount::UnmountHandle<impl leptos::tachys::view::Mountable>) {
    mount_long_table_in(rows, highlighted, RevealedTask::new())
}

/// A long table in an app whose memory of the revealed task is `revealed` (the app provides one
/// at its root, so a table mounted anew shares it with the one before).
fn mount_long_table_in(
    rows: RwSignal<Vec<ExportTask>>,
    highlighted: RwSignal<Option<String>>,
    revealed: RevealedTask,
) -> (HtmlElement, leptos::mount::UnmountHandle<impl leptos::tachys::view::Mountable>) {
    install_stylesheet();
    let root = container();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(revealed);
        view! { <TaskTable rows=rows columns=columns() key=key highlighted=highlighted caption="long"/> }
    });
    (root, handle)
}

#[wasm_bindgen_test]
async fn a_long_table_renders_only_the_rows_in_view_numbered_by_their_place() {
    let rows = RwSignal::new(numbered_tasks(10_000));
    let (root, _handle) = mount_long_table(rows, RwSignal::new(None));
    frame().await;

    let table = root.query_selector("table").unwrap().unwrap();
    assert_eq!(attribute(&table, "aria-rowcount"), "10001");
    let header = root.query_selector("thead tr").unwrap().unwrap();
    assert_eq!(attribute(&header, "aria-rowindex"), "1");
    let top = assert_consistent_window(&root);
    assert!(top.len() <= 100, "{} rows rendered", top.len());
    assert_eq!(top[0], (0, 2));
    scroll_to(&root, 0.0).await;
    assert_view_is_filled(&root);
    // The spacers keep the page's scrollbar as long as all rows would make it.
    let region = region(&root);
    let row_height = row_height(&root);
    let full = header_height(&root) + 10_000.0 * row_height;
    assert!((f64::from(region.offset_height()) - full).abs() <= 2.0, "{} vs {full}", region.offset_height());
    assert_eq!(region.tab_index(), 0, "the table's region takes keyboard focus");

    scroll_to(&root, f64::from(region.offset_height()) / 2.0).await;
    let middle = assert_consistent_window(&root);
    assert!(middle.len() <= 100, "{} rows rendered", middle.len());
    let first_in_view = ((table_scrolled(&root) - header_height(&root)) / row_height).floor() as usize;
    assert!((4990..5000).contains(&first_in_view), "{first_in_view}");
    assert!(middle[0].0 <= first_in_view && middle.last().unwrap().0 > first_in_view + 5, "{middle:?}");
    assert_view_is_filled(&root);

    // The end: the last row is rendered and numbered 10 001.
    scroll_to(&root, f64::from(region.offset_height())).await;
    assert_eq!(assert_consistent_window(&root).last(), Some(&(9999, 10_001)));
    assert_view_is_filled(&root);
}

#[wasm_bindgen_test]
async fn scrolling_keeps_the_rows_that_stay_in_view_and_a_refresh_renumbers_them() {
    let rows = RwSignal::new(numbered_tasks(10_000));
    let (root, _handle) = mount_long_table(rows, RwSignal::new(None));
    frame().await;
    scroll_to(&root, 100_000.0).await;
    let tag_rendered_rows = || {
        let rendered = root.query_selector_all("tbody tr[data-task-id]").unwrap();
        for i in 0..rendered.length() {
            rendered.item(i).unwrap().unchecked_into::<web_sys::Element>().set_attribute("data-seen", "").unwrap();
        }
    };
    let seen = |id: &str| {
        root.query_selector(&format!("tr[data-task-id='{id}']")).unwrap().map(|row| row.has_attribute("data-seen"))
    };
    tag_rendered_rows();
    let before = rendered(&root);

    // Three rows down: the overlap keeps its DOM nodes, only the new edge is built.
    scroll_to(&root, 100_000.0 + 3.0 * row_height(&root)).await;
    let after = assert_consistent_window(&root);
    assert_eq!(after[0].0, before[0].0 + 3);
    for &(index, _) in &after {
        let kept = index <= before.last().unwrap().0;
        assert_eq!(seen(&format!("t{index}")), Some(kept), "row t{index}");
    }

    // A refresh adding a task on top and moving one on: only those two rows are built, and every
    // kept row moves one place down in the numbering.
    tag_rendered_rows();
    let (first, _) = after[0];
    let changed = format!("t{}", first + 2);
    rows.update(|rows| {
        rows[first + 2] = task(&changed, "fail", None, 2);
        rows.insert(0, task("fresh", "processing", None, 3));
    });
    frame().await;
    let table = root.query_selector("table").unwrap().unwrap();
    assert_eq!(attribute(&table, "aria-rowcount"), "10002");
    let kept = root.query_selector(&format!("tr[data-task-id='t{}']", first + 3)).unwrap().unwrap();
    assert!(kept.has_attribute("data-seen"));
    assert_eq!(attribute(&kept, "aria-rowindex"), (first + 3 + 3).to_string());
    assert_eq!(seen(&changed), Some(false), "the changed task's row is rebuilt");
}

#[wasm_bindgen_test]
async fn a_far_highlighted_row_is_rendered_and_scrolled_into_view_once() {
    let rows = RwSignal::new(numbered_tasks(10_000));
    let highlighted = RwSignal::new(None::<String>);
    let revealed = RevealedTask::new();
    let (root, handle) = mount_long_table_in(rows, highlighted, revealed);
    frame().await;
    scroll_to(&root, 0.0).await;
    highlighted.set(Some("t9000".into()));
    frame().await;
    frame().await;

    let row = root.query_selector("tr.highlight").unwrap().expect("the highlighted row is rendered");
    assert_eq!(attribute(&row, "data-task-id"), "t9000");
    assert_eq!(attribute(&row, "aria-rowindex"), "9002");
    let shown = row.get_bounding_client_rect();
    assert!(shown.top() >= header_height(&root) - 0.5, "not under the sticky header: {}", shown.top());
    assert!(shown.bottom() <= window_height() + 0.5, "{} > {}", shown.bottom(), window_height());
    assert_consistent_window(&root);
    assert_view_is_filled(&root);
    drop(handle);

    // A page that rebuilds its table on refresh, with the same highlight, is not pulled back to it.
    window().scroll_to_with_x_and_y(0.0, 0.0);
    let (root, _handle) = mount_long_table_in(rows, highlighted, revealed);
    frame().await;
    frame().await;
    assert_eq!(window().scroll_y().unwrap(), 0.0);
    assert_eq!(rendered(&root)[0], (0, 2));
}

#[wasm_bindgen_test]
async fn page_keys_on_the_focused_table_scroll_it_by_whole_rows() {
    let rows = RwSignal::new(numbered_tasks(10_000));
    let (root, _handle) = mount_long_table(rows, RwSignal::new(None));
    frame().await;
    scroll_to(&root, 0.0).await;
    let region = region(&root);
    region.focus().unwrap();
    let row_height = row_height(&root);
    let page = ((window_height() - header_height(&root)) / row_height).floor() * row_height;
    let near = |actual: f64, expected: f64| (actual - expected).abs() <= 1.0;

    // The keys scroll the page (there is no other scrollbar) by whole rows of the table.
    assert!(press(&region, "PageDown"));
    frame().await;
    assert!(near(table_scrolled(&root), page), "{} vs {page}", table_scrolled(&root));
    assert!(press(&region, "PageDown"));
    assert!(press(&region, "PageUp"));
    frame().await;
    assert!(near(table_scrolled(&root), page), "{} vs {page}", table_scrolled(&root));

    assert!(press(&region, "End"));
    frame().await;
    let end = f64::from(region.offset_height()) - window_height();
    assert!(near(table_scrolled(&root), end), "the table's end at the window's: {} vs {end}", table_scrolled(&root));
    assert_eq!(assert_consistent_window(&root).last(), Some(&(9999, 10_001)));
    assert_view_is_filled(&root);

    assert!(press(&region, "Home"));
    frame().await;
    assert!(near(table_scrolled(&root), 0.0), "{}", table_scrolled(&root));
    assert_eq!(assert_consistent_window(&root)[0], (0, 2));

    // Other keys, and keys pressed on a link in a row, are left to the browser.
    assert!(!press(&region, "ArrowDown"));
    let link: HtmlElement = root.query_selector("a.download").unwrap().unwrap().unchecked_into();
    assert!(!press(&link, "PageDown"));
}

#[wasm_bindgen_test]
async fn focus_in_a_row_scrolled_out_of_the_window_moves_to_the_table() {
    let rows = RwSignal::new(numbered_tasks(10_000));
    let (root, _handle) = mount_long_table(rows, RwSignal::new(None));
    frame().await;
    scroll_to(&root, 0.0).await;
    let link: HtmlElement = root.query_selector("a.download").unwrap().unwrap().unchecked_into();
    link.focus().unwrap();
    scroll_to(&root, 200_000.0).await;
    let scrolled = table_scrolled(&root);
    assert!(!link.is_connected(), "the first row left the DOM");
    assert_eq!(document().active_element(), Some(region(&root).into()));
    assert_eq!(table_scrolled(&root), scrolled, "taking the focus did not move the page");
}

/// Every element in every cell of the rendered rows lies within its cell: nothing is clipped or
/// spills over a neighbour.
fn assert_cells_are_whole(root: &HtmlElement) {
    let cells = root.query_selector_all("tbody tr[data-task-id] td").unwrap();
    assert!(cells.length() > 0);
    for i in 0..cells.length() {
        let cell: HtmlElement = cells.item(i).unwrap().unchecked_into();
        let bounds = cell.get_bounding_client_rect();
        assert!(cell.scroll_width() <= cell.client_width(), "overflows its cell: {}", cell.outer_html());
        let parts = cell.query_selector_all("*").unwrap();
        for j in 0..parts.length() {
            let part: web_sys::Element = parts.item(j).unwrap().unchecked_into();
            let rect = part.get_bounding_client_rect();
            let inside = rect.left() >= bounds.left() - 0.5
                && rect.right() <= bounds.right() + 0.5
                && rect.top() >= bounds.top() - 0.5
                && rect.bottom() <= bounds.bottom() + 0.5;
            assert!(inside, "cut by its cell ({bounds:?}): {}", part.outer_html());
        }
    }
}

#[wasm_bindgen_test]
async fn a_long_table_scrolls_with_the_page_wherever_it_sits_and_shows_whole_cells() {
    install_stylesheet();
    let root = container();
    // A narrow column of the page (a phone's), with content above the table.
    root.style().set_property("width", "320px").unwrap();
    let above = document().create_element("div").unwrap();
    above.set_attribute("style", "height: 1500px").unwrap();
    root.append_child(&above).unwrap();
    // Long unbroken names and a provider status beside each badge, which a narrow cell must wrap.
    let tasks = (0..10_000)
        .map(|i| ExportTask {
            task_name: format!("statistics-export-of-every-domain-{i:05}-without-any-space"),
            ..task(&format!("t{i}"), if i % 2 == 0 { "task_done_with_warnings" } else { "fail" }, None, 1)
        })
        .collect();
    let rows = RwSignal::new(tasks);
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        view! { <TaskTable rows=rows columns=columns() key=key highlighted=Signal::stored(None::<String>) caption="page"/> }
    });
    frame().await;

    // No scroll box of its own: the table is as tall as its rows, the page scrolls.
    let region = region(&root);
    assert_eq!(
        window().get_computed_style(&region).unwrap().unwrap().get_property_value("overflow-y").unwrap(),
        "visible"
    );
    assert!(
        region.scroll_height() <= region.client_height() + 1,
        "{} > {}",
        region.scroll_height(),
        region.client_height()
    );
    assert!(document().document_element().unwrap().scroll_height() > 10_000 * 56, "the page holds every row's height");

    // The page's top in view, the table below the fold: its first rows are the ones rendered.
    window().scroll_to_with_x_and_y(0.0, 0.0);
    window().dispatch_event(&web_sys::Event::new("scroll").unwrap()).unwrap();
    frame().await;
    if region.get_bounding_client_rect().top() > 0.0 {
        assert_eq!(rendered(&root)[0], (0, 2));
    }

    // Scrolled 3000 px past the table's top: the page's position and the table's place on it
    // decide the rows, the header sticks to the window's top, and the rows fill the window.
    scroll_to(&root, 3000.0).await;
    frame().await;
    let row_height = row_height(&root);
    assert!(row_height > 56.0, "the narrow cells wrap, so rows grow: {row_height}");
    let first_in_view = ((table_scrolled(&root) - header_height(&root)) / row_height).floor() as usize;
    let window_rows = assert_consistent_window(&root);
    assert!(
        window_rows[0].0 <= first_in_view && first_in_view < window_rows[0].0 + 20,
        "{first_in_view}: {window_rows:?}"
    );
    let heading = root.query_selector("thead th").unwrap().unwrap().get_bounding_client_rect();
    assert!(heading.top().abs() <= 0.5, "the header sticks to the window's top: {}", heading.top());
    assert_view_is_filled(&root);
    assert_cells_are_whole(&root);
    window().scroll_to_with_x_and_y(0.0, 0.0);
}

#[wasm_bindgen_test]
async fn a_focused_control_in_a_long_table_is_scrolled_into_view_and_kept_through_a_refresh() {
    let rows = RwSignal::new(numbered_tasks(10_000));
    let (root, _handle) = mount_long_table(rows, RwSignal::new(None));
    frame().await;
    scroll_to(&root, 100_000.0).await;

    // Tab onto a link rendered below the window (the overscan): the page scrolls to show it and the
    // window of rows follows, keeping its row.
    let below = rendered(&root).into_iter().map(|(index, _)| index).find(|&index| {
        let row = root.query_selector(&format!("tr[data-task-id='t{index}']")).unwrap().unwrap();
        row.get_bounding_client_rect().top() > window_height()
    });
    let index = below.expect("rows are rendered below the window");
    let link: HtmlElement =
        root.query_selector(&format!("tr[data-task-id='t{index}'] a.download")).unwrap().unwrap().unchecked_into();
    link.focus().unwrap();
    frame().await;
    let shown = link.get_bounding_client_rect();
    assert!(shown.bottom() <= window_height() + 0.5 && shown.top() >= 0.0, "{} in view", shown.bottom());
    assert!(link.is_connected());
    assert_eq!(document().active_element(), Some(link.clone().into()));
    assert_view_is_filled(&root);

    // A refresh rebuilds that row (its task moved on): the same control of the new row has focus.
    rows.update(|rows| rows[index] = task(&format!("t{index}"), "success", Some("https://x/new.csv"), 2));
    frame().await;
    frame().await;
    assert!(!link.is_connected(), "the row was rebuilt");
    let active = document().active_element().expect("something has focus");
    assert_eq!(active.get_attribute("href").as_deref(), Some("https://x/new.csv"));
    let shown = active.get_bounding_client_rect();
    assert!(shown.bottom() <= window_height() + 0.5 && shown.top() >= 0.0, "still in view");
    window().scroll_to_with_x_and_y(0.0, 0.0);
}

#[wasm_bindgen_test]
async fn a_table_of_a_hundred_rows_renders_them_all_with_the_same_numbering() {
    install_stylesheet();
    let root = container();
    let rows = RwSignal::new(numbered_tasks(100));
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        view! { <TaskTable rows=rows columns=columns() key=key highlighted=Signal::stored(None::<String>) caption="small"/> }
    });
    frame().await;
    let all = assert_consistent_window(&root);
    assert_eq!(all.len(), 100);
    assert_eq!((all[0], all[99]), ((0, 2), (99, 101)));
    assert_eq!(attribute(&root.query_selector("table").unwrap().unwrap(), "aria-rowcount"), "101");
    assert!(root.query_selector("tr.spacer").unwrap().is_none());
    assert!(!region(&root).class_list().contains("virtual"));

    // One more row and it becomes a windowed table.
    rows.update(|rows| rows.push(task("t100", "success", None, 1)));
    frame().await;
    assert!(region(&root).class_list().contains("virtual"));
    assert_eq!(root.query_selector_all("tr.spacer").unwrap().length(), 2);
    assert!(rendered(&root).len() < 100);
    let full = header_height(&root) + 101.0 * row_height(&root);
    assert!((f64::from(region(&root).offset_height()) - full).abs() <= 2.0, "rows measured in the long layout");
    assert_eq!(attribute(&root.query_selector("table").unwrap().unwrap(), "aria-rowcount"), "102");
}

/// Not an assertion: prints how long the long table takes to mount and to follow a scroll, next to
/// a plain table rendering all 10,000 rows with the same cells, so runs can be compared. Shown with
/// `cargo test … -- --nocapture`; the numbers are those of the (unoptimized) test build.
#[wasm_bindgen_test]
async fn report_render_times_of_ten_thousand_rows() {
    let now = || window().performance().unwrap().now();
    install_stylesheet();
    let rows = RwSignal::new(numbered_tasks(10_000));

    let started = now();
    let (root, handle) = mount_long_table(rows, RwSignal::new(None));
    let mounted = now() - started;
    frame().await;
    let first_frame = now() - started;
    let in_dom = rendered(&root).len();

    // Time from the scroll event until its rows are in the DOM (effects run within one tick).
    let table_top = window().scroll_y().unwrap() - table_scrolled(&root);
    let scroll_step = |top: f64| async move {
        let started = now();
        window().scroll_to_with_x_and_y(0.0, table_top + top);
        window().dispatch_event(&web_sys::Event::new("scroll").unwrap()).unwrap();
        tick().await;
        let took = now() - started;
        frame().await;
        took
    };
    let mut jumps = Vec::new();
    for step in 1..=20 {
        jumps.push(scroll_step(f64::from(step) * 20_000.0).await);
    }
    let row = row_height(&root);
    let mut rows_by_one = Vec::new();
    for step in 1..=20 {
        rows_by_one.push(scroll_step(400_000.0 + f64::from(step) * row).await);
    }
    assert_consistent_window(&root);
    drop(handle);

    let plain_root = container();
    let all = numbered_tasks(10_000);
    let plain_started = now();
    let plain = leptos::mount::mount_to(plain_root.clone(), move || {
        view! {
            <table><tbody>
                <For each=move || all.clone() key=key children=move |t| view! {
                    <tr>
                        <td>{t.task_name.clone()}</td>
                        <td><StatusBadge status=task_status(&t)/></td>
                        <td><DownloadLink link=t.download_link.clone()/></td>
                    </tr>
                }/>
            </tbody></table>
        }
    });
    let plain_mounted = now() - plain_started;
    frame().await;
    let plain_first_frame = now() - plain_started;
    drop(plain);

    let stats = |times: &[f64]| {
        let mean = times.iter().sum::<f64>() / times.len() as f64;
        format!("mean {mean:.1} ms, max {:.1} ms", times.iter().copied().fold(0.0, f64::max))
    };
    console_log!(
        "REPORT task table, 10,000 rows: virtualized mount {mounted:.1} ms, to first frame {first_frame:.1} ms \
         ({in_dom} rows in the DOM); scroll to rows updated: 20 jumps of 20,000 px {}, 20 steps of one row {}; \
         plain table of all 10,000 rows, same cells: mount {plain_mounted:.1} ms, to first frame {plain_first_frame:.1} ms",
        stats(&jumps),
        stats(&rows_by_one),
    );
}

#[wasm_bindgen_test]
async fn the_request_preview_opens_on_demand_shows_text_never_markup_and_lists_problems() {
    use export_desk::api::call::Call;
    use export_desk::components::{Preview, PreviewRequest, RequestPreview};
    let root = container();
    let call = Call::post("/", vec![("X-TC-Action", "CreateExport".to_owned())]);
    let request = PreviewRequest::describe(
        &call,
        "/",
        "http://desk.test",
        None,
        Some(r#"{"Query": "<img src=x onerror=alert(1)>"}"#.to_owned()),
    );
    let preview = RwSignal::new(Err::<PreviewRequest, _>(vec!["Count: must be a whole number".to_owned()]) as Preview);
    let _handle = leptos::mount::mount_to(root.clone(), move || view! { <RequestPreview request=preview/> });
    tick().await;
    assert!(root.query_selector(".request-preview-invalid").unwrap().is_none(), "closed: nothing is computed");

    let details: web_sys::Element = root.query_selector("details.request-preview").unwrap().unwrap();
    details.set_attribute("open", "").unwrap();
    details.dispatch_event(&web_sys::Event::new("toggle").unwrap()).unwrap();
    tick().await;
    assert_eq!(texts(&root, ".request-preview-invalid li"), ["Count: must be a whole number"]);
    assert!(root.query_selector("button").unwrap().is_none(), "nothing to copy while invalid");

    preview.set(Ok(request));
    tick().await;
    assert!(root.query_selector("img").unwrap().is_none());
    assert_eq!(
        texts(&root, ".request-preview-text"),
        ["POST http://desk.test/\nX-TC-Action: CreateExport\nContent-Type: application/json\n\n\
          {\"Query\": \"<img src=x onerror=alert(1)>\"}\n"]
    );
    assert_eq!(texts(&root, ".request-preview-actions button"), ["Copy as curl"]);
}
