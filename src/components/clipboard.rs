//! Writing text to the clipboard, for "Copy as curl" and every id's copy button.

use crate::i18n::Create;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// What became of a copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CopyOutcome {
    Copied,
    /// The browser's reason, or ours in the reader's language.
    Failed(String),
}

/// Writes `text` to the clipboard and reports how it went. The clipboard API is missing outside
/// secure contexts and may be refused by the browser, so both are outcomes, not panics.
pub fn copy_text(t: &'static Create, text: &str, done: impl FnOnce(CopyOutcome) + 'static) {
    let clipboard = web_sys::window()
        .map(|window| js_sys::Reflect::get(&window.navigator(), &JsValue::from_str("clipboard")))
        .and_then(Result::ok)
        .and_then(|value| value.dyn_into::<web_sys::Clipboard>().ok());
    let Some(clipboard) = clipboard else {
        return done(CopyOutcome::Failed(t.no_clipboard.to_owned()));
    };
    // One outcome from two callbacks: whichever the promise calls takes `done`. Both are
    // forgotten (a few bytes per click): the one never called would otherwise be dropped while
    // the promise still holds it.
    let done = std::rc::Rc::new(std::cell::RefCell::new(Some(done)));
    let on_copied: Closure<dyn FnMut(JsValue)> = Closure::once({
        let done = done.clone();
        move |_: JsValue| {
            if let Some(done) = done.borrow_mut().take() {
                done(CopyOutcome::Copied);
            }
        }
    });
    let on_refused: Closure<dyn FnMut(JsValue)> = Closure::once(move |error: JsValue| {
        let why = js_sys::Reflect::get(&error, &JsValue::from_str("message"))
            .ok()
            .and_then(|message| message.as_string())
            .unwrap_or_else(|| t.browser_refused.to_owned());
        if let Some(done) = done.borrow_mut().take() {
            done(CopyOutcome::Failed(why));
        }
    });
    let _ = clipboard.write_text(text).then2(&on_copied, &on_refused);
    on_copied.forget();
    on_refused.forget();
}
