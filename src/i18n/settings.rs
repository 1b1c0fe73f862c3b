//! The words of settings: the struct, then English, then Simplified Chinese.

/// Every text of this area in one language.
pub struct Settings {}

pub const EN: Settings = Settings {};

pub const ZH_CN: Settings = Settings {};
