//! One file a page.

mod cdn_stats;
mod not_found;

pub use cdn_stats::CdnStatsPage;
pub use not_found::NotFound;
