//! Typed clients of the APIs the dashboard calls, one module per provider, all over [`fetch`].
//!
//! The dashboard calls the clouds' native paths on the backend the settings name (by default
//! its own origin); whether the server mocks or proxies them is invisible here (see
//! `/_desk/config` for which it is). Each client maps its provider's task statuses onto the one
//! [`status::StatusKind`] with a `task_status` function, keeping the raw value.

pub mod call;
pub mod cdn_history;
pub mod cdn_stats;
pub mod cls;
pub mod desk;
mod error;
pub mod fetch;
pub mod iotda;
pub mod status;

pub use error::{ApiError, ErrorWording, NotSent};
