//! One file a page.

mod cdn_purge;
mod cdn_stats;
mod cls_exports;
mod iotda_exports;
mod not_found;
mod overview;
mod settings;

pub use cdn_purge::{CdnPurgeDetailPage, CdnPurgePage};
pub use cdn_stats::CdnStatsPage;
pub use cls_exports::ClsExportsPage;
pub use iotda_exports::IotdaExportsPage;
pub use not_found::NotFound;
pub use overview::OverviewPage;
pub use settings::SettingsPage;
