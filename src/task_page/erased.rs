//! Signals whose values only their list knows the type of: each is one signal type for every
//! list (the value behind `Arc<dyn Any>`), read back typed. Leptos's signal and memo code is
//! instantiated per value type, so a memo of each kind's query and a signal of each kind's
//! answer brought their own copies of it; these keep one.
//!
//! ```ignore
//! let query = TypedMemo::new(move || S::query(&|key| url.get(key))); // reads back as Option<S::Query>
//! let kept = TypedSignal::new(None::<(S::Query, S::Answer)>);
//! kept.with(|kept| kept.is_some());
//! ```

use leptos::prelude::*;
use std::any::Any;
use std::marker::PhantomData;
use std::sync::Arc;

pub type AnyArc = Arc<dyn Any + Send + Sync>;

/// A value and how to compare it with another of its type (a memo notifies only on a change).
#[derive(Clone)]
pub struct Comparable {
    value: AnyArc,
    same: fn(&dyn Any, &dyn Any) -> bool,
}

impl PartialEq for Comparable {
    fn eq(&self, other: &Self) -> bool {
        (self.same)(&*self.value, &*other.value)
    }
}

fn same<T: PartialEq + 'static>(a: &dyn Any, b: &dyn Any) -> bool {
    a.downcast_ref::<T>() == b.downcast_ref::<T>()
}

/// The value behind an erased signal, as the type it was made with (which its wrapper ensures).
pub(super) fn typed<T: 'static>(value: &dyn Any) -> &T {
    value.downcast_ref().expect("an erased signal holds its own type")
}

/// A signal of one type for every `T` (`inner`), read back as `T`. Copy, as Leptos's signals are.
pub struct Typed<Inner, T> {
    inner: Inner,
    value: PhantomData<fn() -> T>,
}

impl<Inner: Copy, T> Clone for Typed<Inner, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<Inner: Copy, T> Copy for Typed<Inner, T> {}

/// `Memo<T>` over one memo type for every `T`.
pub type TypedMemo<T> = Typed<Memo<Comparable>, T>;

/// `RwSignal<T>` over one signal type for every `T`.
pub type TypedSignal<T> = Typed<RwSignal<AnyArc>, T>;

impl<T: Clone + PartialEq + Send + Sync + 'static> TypedMemo<T> {
    pub fn new(f: impl Fn() -> T + Send + Sync + 'static) -> Self {
        let f = Box::new(move || Comparable { value: Arc::new(f()), same: same::<T> });
        Self { inner: comparable_memo(f), value: PhantomData }
    }

    /// Reads the value (tracked).
    pub fn with<R>(self, read: impl FnOnce(&T) -> R) -> R {
        self.inner.with(|value| read(typed(&*value.value)))
    }

    /// The value (tracked).
    pub fn get(self) -> T {
        self.with(T::clone)
    }

    /// The value, untracked.
    pub fn get_untracked(self) -> T {
        self.inner.with_untracked(|value| typed::<T>(&*value.value).clone())
    }
}

/// Not generic: the one memo of every [`TypedMemo`].
fn comparable_memo(f: Box<dyn Fn() -> Comparable + Send + Sync>) -> Memo<Comparable> {
    Memo::new(move |_| f())
}

impl<T: Send + Sync + 'static> TypedSignal<T> {
    pub fn new(value: T) -> Self {
        Self { inner: RwSignal::new(Arc::new(value)), value: PhantomData }
    }

    /// Reads the value (tracked).
    pub fn with<R>(self, read: impl FnOnce(&T) -> R) -> R {
        self.inner.with(|value| read(typed(&**value)))
    }

    pub fn set(self, value: T) {
        self.inner.set(Arc::new(value));
    }
}
