//! The one pager in its three paging styles, in headless Chromium (wasm-bindgen-test): which
//! buttons it shows and enables, what it says, and what a click asks for.
//! Each test mounts into its own container, since all tests of this binary share one page.
#![cfg(target_arch = "wasm32")]

use export_desk::components::{MarkerPage, MarkerPosition, NumberedPage, OffsetPage, Pager};
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

fn button(root: &web_sys::HtmlElement, label: &str) -> Option<web_sys::HtmlButtonElement> {
    root.query_selector(&format!("button[aria-label='{label}']")).unwrap().map(JsCast::unchecked_into)
}

fn range(root: &web_sys::HtmlElement) -> String {
    root.query_selector(".pager-range").unwrap().unwrap().text_content().unwrap_or_default()
}

#[wasm_bindgen_test]
async fn numbered_pages_ask_for_page_numbers_and_sizes() {
    let root = container();
    let page = RwSignal::new(Some(NumberedPage { number: 1, size: 30, total: 95 }));
    let requested = RwSignal::new(None::<u32>);
    let size = RwSignal::new(None::<u32>);
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <Pager page=page page_sizes=&[30, 100, 10_000]
                on_offset=move |n| requested.set(Some(n)) on_limit=move |s| size.set(Some(s))/>
        }
    });
    tick().await;
    assert_eq!(range(&root), "1–30 of 95 · page 1 of 4");
    assert!(button(&root, "First page").unwrap().disabled() && button(&root, "Previous page").unwrap().disabled());
    button(&root, "Next page").unwrap().click();
    assert_eq!(requested.get_untracked(), Some(2));
    button(&root, "Last page").unwrap().click();
    assert_eq!(requested.get_untracked(), Some(4));

    let select: web_sys::HtmlSelectElement = root.query_selector("select").unwrap().unwrap().unchecked_into();
    assert_eq!(select.value(), "30", "the current size is selected");
    select.set_value("10000");
    select.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    assert_eq!(size.get_untracked(), Some(10_000));

    page.set(Some(NumberedPage { number: 4, size: 30, total: 95 }));
    tick().await;
    assert_eq!(range(&root), "91–95 of 95 · page 4 of 4");
    assert!(button(&root, "Next page").unwrap().disabled() && button(&root, "Last page").unwrap().disabled());
    button(&root, "Previous page").unwrap().click();
    assert_eq!(requested.get_untracked(), Some(3));
}

#[wasm_bindgen_test]
async fn marker_pages_have_no_last_page_and_move_along_the_marker_stack() {
    let root = container();
    let first = MarkerPage {
        position: MarkerPosition::first(),
        limit: 10,
        rows: 10,
        total: Some(25),
        last_marker: Some("5f1d0a2b3c4d5e6f7a8b9c0d".into()),
    };
    let page = RwSignal::new(Some(first));
    let requested = RwSignal::new(None::<MarkerPosition>);
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        view! { <Pager page=page page_sizes=&[10, 50] on_offset=move |p| requested.set(Some(p)) on_limit=|_| {}/> }
    });
    tick().await;
    assert!(button(&root, "Last page").is_none(), "marker paging cannot jump to the end");
    assert_eq!(range(&root), "1–10 of 25 · page 1 of 3");
    button(&root, "Next page").unwrap().click();
    let second_at = requested.get_untracked().unwrap();
    assert_eq!(second_at.markers_query().as_deref(), Some("5f1d0a2b3c4d5e6f7a8b9c0d"));

    page.set(Some(MarkerPage {
        position: second_at.clone(),
        limit: 10,
        rows: 10,
        total: None,
        last_marker: Some("4e0c".into()),
    }));
    tick().await;
    assert_eq!(range(&root), "11–20 · page 2", "no page count without a total");
    assert!(!button(&root, "Previous page").unwrap().disabled());
    button(&root, "Previous page").unwrap().click();
    assert_eq!(requested.get_untracked(), Some(MarkerPosition::first()));
}

#[wasm_bindgen_test]
async fn a_pager_still_loading_offers_no_move() {
    let root = container();
    let page = RwSignal::new(None::<OffsetPage>);
    let requested = RwSignal::new(None::<u64>);
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        view! { <Pager page=page page_sizes=&[10] on_offset=move |o| requested.set(Some(o)) on_limit=|_| {}/> }
    });
    tick().await;
    for label in ["First page", "Previous page", "Next page", "Last page"] {
        let b = button(&root, label).unwrap();
        assert!(b.disabled(), "{label}");
        b.click();
    }
    assert_eq!(requested.get_untracked(), None);
    assert_eq!(range(&root), "");
}

#[wasm_bindgen_test]
async fn a_chinese_page_gets_a_chinese_pager() {
    use export_desk::i18n::Lang;
    let root = container();
    let page = RwSignal::new(Some(OffsetPage { offset: 20, limit: 10, total: 95 }));
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <leptos::context::Provider value=Lang::ZhCn>
                <Pager page=page page_sizes=&[10] on_offset=|_: u64| {} on_limit=|_| {}/>
            </leptos::context::Provider>
        }
    });
    tick().await;
    assert_eq!(range(&root), "第 21–30 条，共 95 条 · 第 3/10 页");
    assert!(button(&root, "下一页").is_some() && button(&root, "Next page").is_none());
}
