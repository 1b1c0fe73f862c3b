//! Wire types of the cloud export APIs Export Desk speaks, and the rules a request must obey.
//!
//! Both the server (mock and proxy) and the dashboard (compiled to WebAssembly) use this crate,
//! so every field, enum value and limit is written down exactly once. It stays serde-only and
//! small because it ships inside the browser bundle.
//!
//! One module per provider; `validation` holds the error type their rules report with, and
//! `time_range` the one range every client time must fall in.

pub mod desk;
pub mod huawei;
pub mod huawei_cdn;
pub mod huawei_iotda;
pub mod percent;
pub mod tencent_cls;
pub mod time_range;
pub mod validation;

mod wire_enum;
