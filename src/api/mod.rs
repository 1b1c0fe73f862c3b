//! Typed clients of the APIs the dashboard calls, one module per provider, all over [`fetch`].
//!
//! The dashboard calls the clouds' native paths on its own origin; whether the server mocks or
//! proxies them is invisible here (see `/_desk/config` for which it is).

pub mod cdn_stats;
pub mod desk;
mod error;
pub mod fetch;
pub mod status;

pub use error::ApiError;
