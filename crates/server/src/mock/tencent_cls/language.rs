//! The language of a Tencent Cloud API 3.0 answer's error message: the common header
//! `X-TC-Language` asks for `zh-CN` or `en-US`; without it (or with another value) the cloud
//! answers in English. Only the message changes: codes are the same in both.

use axum::http::HeaderMap;
use export_desk_model::tencent_cls::LANGUAGE_HEADER;
use export_desk_model::validation::words::{self, Words};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    EnUs,
    ZhCn,
}

impl Language {
    /// What `X-TC-Language` asks for.
    pub fn of(headers: &HeaderMap) -> Self {
        match headers.get(LANGUAGE_HEADER).map(|value| value.as_bytes()) {
            Some(b"zh-CN") => Self::ZhCn,
            _ => Self::EnUs,
        }
    }

    /// The model's rules in this language.
    pub fn words(self) -> &'static Words {
        match self {
            Self::EnUs => &words::EN,
            Self::ZhCn => &words::ZH_CN,
        }
    }

    /// The message in this language (only that one is written).
    pub fn say(self, english: impl FnOnce() -> String, chinese: impl FnOnce() -> String) -> String {
        match self {
            Self::EnUs => english(),
            Self::ZhCn => chinese(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn only_zh_cn_asks_for_chinese() {
        let with = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(LANGUAGE_HEADER, HeaderValue::from_static(value));
            Language::of(&headers)
        };
        assert_eq!(with("zh-CN"), Language::ZhCn);
        assert_eq!(with("en-US"), Language::EnUs);
        assert_eq!(with("fr-FR"), Language::EnUs);
        assert_eq!(Language::of(&HeaderMap::new()), Language::EnUs);
    }
}
