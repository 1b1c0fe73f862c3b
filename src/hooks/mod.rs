//! Reactive helpers shared by the pages, one concern per file.

mod effect;
mod use_auto_refresh;
mod use_countdown;
mod use_now;
mod use_url_query;

pub use effect::effect;
pub use use_auto_refresh::{backoff, use_auto_refresh, AutoRefresh, RefreshOutcome};
pub use use_countdown::{use_countdown, Countdown};
pub use use_now::{provide_now, use_now};
pub use use_url_query::{use_url_query, UrlQuery};
