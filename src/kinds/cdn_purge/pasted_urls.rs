//! The create form's URL box read the way the API will judge it: one URL a line, checked with
//! the model's own rules (`url_problems`, the per-call caps), each problem pointing at the line of
//! the box it came from rather than at the URL's position in the request, in the reader's words.

use crate::i18n::Catalogue;
use export_desk_model::huawei_cdn::history::{url_problems, UrlKind};

/// What is wrong with the box: a summary for the field, and the offending lines (1-based lines of
/// the box, as the user sees them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastedUrlsError {
    pub summary: String,
    pub lines: Vec<LineProblem>,
    /// Between a line's label and its message, in the words' language.
    pub colon: &'static str,
}

/// What is wrong with one line of the box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineProblem {
    /// 1-based, as the box shows it.
    pub line: usize,
    /// The line as the list names it: "Line 2".
    pub label: String,
    pub message: String,
}

/// The URLs of the box, ready to send, or what to fix. Blank lines are skipped and each line is
/// trimmed (pasted lists often carry trailing spaces or `\r`), so neither counts as a problem;
/// whitespace inside a URL still does, as the API refuses it.
/// `t`: the words the problems are said in.
pub fn check_pasted_urls(text: &str, kind: UrlKind, t: &'static Catalogue) -> Result<Vec<String>, PastedUrlsError> {
    let words = t.rules.words;
    let (lines, urls): (Vec<usize>, Vec<String>) = pasted_lines(text).map(|(line, url)| (line, url.to_owned())).unzip();
    if urls.is_empty() {
        return Err(PastedUrlsError { summary: t.rules.urls_needed.to_owned(), lines: Vec::new(), colon: words.colon });
    }
    let (max, _) = kind.max();
    if urls.len() > max {
        let directories = kind == UrlKind::RefreshDirectories;
        let summary = (t.rules.too_many_urls)(urls.len(), max, directories);
        return Err(PastedUrlsError { summary, lines: Vec::new(), colon: words.colon });
    }
    let problems: Vec<LineProblem> = url_problems(&urls, kind)
        .into_iter()
        .map(|problem| {
            let line = lines[problem.line - 1];
            LineProblem { line, label: (t.rules.line)(line), message: problem.rule.text(words) }
        })
        .collect();
    let Some(first) = problems.first() else {
        return Ok(urls);
    };
    let summary = (t.rules.lines_to_fix)(first.line, problems.len());
    Err(PastedUrlsError { summary, lines: problems, colon: words.colon })
}

/// The box's URLs as sent, each with its 1-based line: lines trimmed, blank ones skipped.
pub fn pasted_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().map(|(index, line)| (index + 1, line.trim())).filter(|(_, line)| !line.is_empty())
}

/// The UTF-16 offsets (what a textarea's selection counts in) where 1-based `line` of `text`
/// starts and ends, to select it.
pub fn line_span_utf16(text: &str, line: usize) -> Option<(u32, u32)> {
    let mut start = 0usize;
    for (index, content) in text.split('\n').enumerate() {
        let length = content.encode_utf16().count();
        if index + 1 == line {
            return Some((start as u32, (start + length) as u32));
        }
        start += length + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{EN, ZH_CN};
    use export_desk_model::huawei_cdn::history::DIRECTORIES_MAX;

    fn check_pasted_urls(text: &str, kind: UrlKind) -> Result<Vec<String>, PastedUrlsError> {
        super::check_pasted_urls(text, kind, &EN)
    }

    #[test]
    fn problems_point_at_lines_of_the_box_not_positions_in_the_list() {
        let text =
            "https://www.example.com/a.js\n\n  ftp://www.example.com/b  \r\nhttps://www.example.com/c\nhttp:///x";
        let error = check_pasted_urls(text, UrlKind::RefreshFiles).unwrap_err();
        assert_eq!(error.lines.iter().map(|p| p.line).collect::<Vec<_>>(), vec![3, 5]);
        assert!(error.lines[0].message.contains("http:// or https://"));
        assert_eq!(error.summary, "2 lines need fixing.");
    }

    #[test]
    fn clean_lines_are_trimmed_and_blank_ones_skipped() {
        let urls =
            check_pasted_urls(" https://a.example.com/x \r\n\n\thttps://b.example.com/\n", UrlKind::RefreshFiles);
        assert_eq!(urls.unwrap(), vec!["https://a.example.com/x", "https://b.example.com/"]);
    }

    #[test]
    fn directories_must_end_with_a_slash_and_counts_are_capped() {
        let error = check_pasted_urls("https://a.example.com/static", UrlKind::RefreshDirectories).unwrap_err();
        assert_eq!((error.lines[0].line, error.summary.as_str()), (1, "Line 1 needs fixing."));
        let many: String = (0..=DIRECTORIES_MAX).map(|i| format!("https://a.example.com/{i}/\n")).collect();
        let error = check_pasted_urls(&many, UrlKind::RefreshDirectories).unwrap_err();
        assert!(error.summary.contains("at most 100") && error.lines.is_empty());
        assert!(check_pasted_urls(&many, UrlKind::RefreshFiles).is_ok());
        assert!(check_pasted_urls(" \n ", UrlKind::RefreshFiles).unwrap_err().summary.contains("at least one"));
    }

    #[test]
    fn in_chinese_the_box_is_spoken_of_in_chinese() {
        let error =
            super::check_pasted_urls("https://a.example.com/x\nftp://b", UrlKind::RefreshFiles, &ZH_CN).unwrap_err();
        assert_eq!(error.summary, "第 2 行需要修改。");
        assert_eq!(error.lines[0].message, "`ftp://b` 须以 http:// 或 https:// 开头");
        let empty = super::check_pasted_urls("", UrlKind::Preheat, &ZH_CN).unwrap_err();
        assert_eq!(empty.summary, "请至少填写一个 URL，每行一个。");
    }

    #[test]
    fn a_line_span_counts_utf16_units() {
        let text = "https://例え.jp/a\nftp://x";
        assert_eq!(line_span_utf16(text, 1), Some((0, 15)));
        assert_eq!(line_span_utf16(text, 2), Some((16, 23)));
        assert_eq!(line_span_utf16(text, 3), None);
    }
}
