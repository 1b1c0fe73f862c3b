//! The pages that are not a task kind's (those are in [`crate::kinds`]).

mod find_task;
mod not_found;
mod overview;
mod settings;

pub use not_found::NotFound;
pub use overview::OverviewPage;
pub use settings::SettingsPage;
