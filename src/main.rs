use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(message: &str);
}

fn main() {
    // A panic's message and its file and line in the console (the wasm then stops at
    // `unreachable`). Not console_error_panic_hook, which adds the JS stack trace: 0.45 KB more of
    // the first load (brotli) for a trace of minified wasm frames.
    std::panic::set_hook(Box::new(|info| console_error(&info.to_string())));
    leptos::mount::mount_to_body(export_desk::App);
}
