//! The words of rules: the struct, then English, then Simplified Chinese.

/// Every text of this area in one language.
pub struct Rules {}

pub const EN: Rules = Rules {};

pub const ZH_CN: Rules = Rules {};
