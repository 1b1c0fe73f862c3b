//! The words of rules: the struct, then English, then Simplified Chinese.
//!
//! The sentences of the model's rules are written once, in the model
//! ([`export_desk_model::validation::words`]), where the mock finds them too; this area points at
//! them and adds what only the dashboard says about a form (the refresh form's pasted URL list).

use export_desk_model::validation::words::{self, Words};

/// Every text of this area in one language.
pub struct Rules {
    /// The model's rules in this language ("must be after From").
    pub words: &'static Words,
    /// The refresh form's URL box holds no URL.
    pub urls_needed: &'static str,
    /// The box holds more URLs (or directories, when the flag is set) than one task takes:
    /// "1001 URLs: at most 1000 go in one task; split the list."
    pub too_many_urls: fn(count: usize, max: usize, directories: bool) -> String,
    /// Under the box, how many lines are wrong: "Line 2 needs fixing." for one (its line), "3
    /// lines need fixing." for more.
    pub lines_to_fix: fn(first: usize, count: usize) -> String,
    /// A line of the box, as its problem is listed: "Line 2".
    pub line: fn(usize) -> String,
}

pub const EN: Rules = Rules {
    words: &words::EN,
    urls_needed: "Enter at least one URL, one per line.",
    too_many_urls: |count, max, directories| {
        let what = if directories { "directories" } else { "URLs" };
        format!("{count} {what}: at most {max} go in one task; split the list.")
    },
    lines_to_fix: |first, count| match count {
        1 => format!("Line {first} needs fixing."),
        _ => format!("{count} lines need fixing."),
    },
    line: |line| format!("Line {line}"),
};

pub const ZH_CN: Rules = Rules {
    words: &words::ZH_CN,
    urls_needed: "请至少填写一个 URL，每行一个。",
    too_many_urls: |count, max, directories| {
        let what = if directories { "目录" } else { " URL" };
        format!("共 {count} 个{what}，一个任务最多 {max} 个，请分批提交。")
    },
    lines_to_fix: |first, count| match count {
        1 => format!("第 {first} 行需要修改。"),
        _ => format!("有 {count} 行需要修改。"),
    },
    line: |line| format!("第 {line} 行"),
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_box_is_spoken_of_in_both_languages() {
        assert_eq!((EN.too_many_urls)(101, 100, true), "101 directories: at most 100 go in one task; split the list.");
        assert_eq!((ZH_CN.too_many_urls)(1001, 1000, false), "共 1001 个 URL，一个任务最多 1000 个，请分批提交。");
        assert_eq!((ZH_CN.too_many_urls)(101, 100, true), "共 101 个目录，一个任务最多 100 个，请分批提交。");
        assert_eq!(
            ((EN.lines_to_fix)(2, 1), (EN.lines_to_fix)(2, 3)),
            ("Line 2 needs fixing.".into(), "3 lines need fixing.".into())
        );
        assert_eq!(((ZH_CN.lines_to_fix)(2, 1), (ZH_CN.line)(2)), ("第 2 行需要修改。".into(), "第 2 行".into()));
    }
}
