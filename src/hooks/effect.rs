//! [`effect`]: an effect whose scheduling code is in the bundle once, however many effects the
//! app has.
//!
//! `Effect::new` is generic over its closure, so every effect (and every instance of a generic
//! one: a list's per kind, a table's per row type) brought its own copy of Leptos's effect loop,
//! about 0.9 KB of wasm each. Every effect of the app goes through this one instead: handing
//! Leptos one boxed closure type leaves each effect only its own body. It runs exactly as
//! `Effect::new` does.
//!
//! ```ignore
//! effect(move || {
//!     if check.has_errors() {
//!         outcome.set(None);
//!     }
//! });
//! ```

use leptos::prelude::Effect;

/// `Effect::new(move |_| f())`, with the effect loop shared by every effect.
pub fn effect(f: impl FnMut() + 'static) {
    boxed_effect(Box::new(f));
}

fn boxed_effect(mut f: Box<dyn FnMut()>) {
    Effect::new(move |_| f());
}
