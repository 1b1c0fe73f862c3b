//! Building blocks every task page shares: one table, one pager, one status badge, one error
//! view, time display and inputs, form fields, download links, an inline confirmation, a public
//! demo's notice.

mod clipboard;
mod confirm_button;
pub mod csv_file;
mod demo_notice;
mod download_link;
mod error_view;
mod field;
mod form_check;
mod form_words;
mod long_text;
mod pager;
mod refresh_status;
mod request_preview;
mod status_badge;
mod task_table;
pub mod time;

pub use confirm_button::{confirm_group, ConfirmButton, ConfirmGroup};
pub use csv_file::{CsvCell, CsvTimes, CsvWriter};
pub use demo_notice::DemoNotice;
pub use download_link::{safe_href, DownloadLink};
pub use error_view::ErrorView;
pub use field::{focus_first_invalid, Binding, EnumSelect, Field, TextInput};
pub use form_check::{FieldMessages, FormCheck, FormProblems};
pub use form_words::{FieldLabels, LabelledViolations};
pub use long_text::{CopyButton, LongText};
pub use pager::{
    MarkerPage, MarkerPosition, NumberedPage, OffsetPage, PageModel, PageRange, PageSignal, PageStep, Pager,
    PagerSummary,
};
pub use refresh_status::RefreshStatus;
pub use request_preview::{shell_quote, Preview, PreviewRequest, RequestPreview};
pub use status_badge::StatusBadge;
pub use task_table::{
    provide_revealed_task, Column, CsvColumn, CsvFn, RevealedTask, Selection, TableSort, TaskKey, TaskTable,
};
pub use time::{DateTimeInput, TimeEnd, TimeRange, Timestamp};
