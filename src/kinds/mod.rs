//! The task kinds, one module each: what is specific to the kind (its list, columns, filters and
//! create form) over the machinery in [`crate::task_page`].

mod cdn_purge;
mod cdn_stats;
mod cls_exports;
mod iotda_exports;

pub use cdn_purge::{CdnPurgeDetailPage, CdnPurgePage};
pub use cdn_stats::CdnStatsPage;
pub use cls_exports::ClsExportsPage;
pub use iotda_exports::IotdaExportsPage;
