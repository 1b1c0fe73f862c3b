//! The language catalogues read as a translator would: every area file under `src/i18n/` (and
//! the rule words the model crate shares with the server) has an English and a Chinese value for
//! each key, and each Chinese value is a translation, not a copy.
//!
//! The compiler already refuses a key missing from either language (each catalogue is a struct
//! literal). What it cannot see, and this test does:
//! - a Chinese text left in English (copied across to make it compile);
//! - a parameter the English text shows and the Chinese one drops (`{count}` in one only), or
//!   one that only the Chinese shows;
//! - an empty text.
//!
//! Values are read from the source: a key is a line `    name: value,` (four spaces) inside
//! `pub const EN: … = … {` or `pub const ZH_CN: … = … {`, its value running to the next key.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Texts that are the same in both languages: names and codes, not words to translate.
const SAME_IN_BOTH: &[&str] = &["Export Desk", "UTC", "CDN", "IoTDA", "CLS", "URL", "ID", "JSON", "CSV", "Excel"];

/// The catalogue files: the dashboard's areas, and any file of the model crate that holds words
/// in both languages (the rules' messages).
fn catalogue_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = fs::read_dir(root.join("src/i18n"))
        .expect("src/i18n")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs") && !path.ends_with("mod.rs"))
        .collect();
    let model = root.join("crates/model/src");
    let mut stack = vec![model];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                let text = fs::read_to_string(&path).unwrap();
                if text.contains("pub static ZH_CN") && text.contains("\nfn chinese(") {
                    files.push(path);
                }
            }
        }
    }
    files.sort();
    files
}

/// The source of a function of a file (`fn chinese(…`), to its closing brace at the line start.
fn function_body<'a>(source: &'a str, name: &str) -> Option<&'a str> {
    let start = source.find(&format!("\nfn {name}("))?;
    let end = source[start + 1..].find("\n}").map_or(source.len(), |end| start + 1 + end);
    Some(&source[start..end])
}

/// The model's rule sentences are one `match` a language (`fn english`, `fn chinese`, and the
/// same for URLs): the compiler sees that every rule has its arm in each; this sees that the
/// Chinese arms are Chinese (a sentence copied from English has a space and no Chinese).
fn rule_sentence_problems(name: &str, source: &str) -> (usize, Vec<String>) {
    let mut problems = Vec::new();
    let mut sentences = 0;
    for function in ["chinese", "chinese_url"] {
        let Some(body) = function_body(source, function) else {
            problems.push(format!("{name}: no fn {function}"));
            continue;
        };
        for literal in literals(body) {
            sentences += 1;
            if literal.contains(' ') && has_words_to_translate(&literal) && !literal.chars().any(is_chinese) {
                problems.push(format!("{name}: fn {function} says in English: {literal}"));
            }
        }
    }
    (sentences, problems)
}

/// The keys and their source text in the catalogue literal that starts with `opening`.
fn entries(source: &str, opening: &str) -> Option<BTreeMap<String, String>> {
    let start = source.lines().position(|line| line.starts_with(opening) && line.trim_end().ends_with('{'))?;
    let mut entries = BTreeMap::new();
    let mut current: Option<(String, String)> = None;
    for line in source.lines().skip(start + 1) {
        if line.starts_with("};") || line.starts_with('}') {
            break;
        }
        let key = line
            .strip_prefix("    ")
            .filter(|rest| !rest.starts_with(' ') && !rest.starts_with("//"))
            .and_then(|rest| rest.split_once(':'))
            .filter(|(name, _)| !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
        match key {
            Some((name, value)) => {
                entries.extend(current.take());
                current = Some((name.to_owned(), value.to_owned()));
            }
            None => {
                if let Some((_, value)) = current.as_mut() {
                    value.push('\n');
                    value.push_str(line);
                }
            }
        }
    }
    entries.extend(current);
    Some(entries)
}

/// The string literals of a value, unescaped no further than needed here.
fn literals(value: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '"' {
            continue;
        }
        let mut literal = String::new();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    if let Some(escaped) = chars.next() {
                        literal.push(escaped);
                    }
                }
                '"' => break,
                c => literal.push(c),
            }
        }
        found.push(literal);
    }
    found
}

/// The `{name}` parameters a value's format strings show (`{{` is a literal brace).
fn parameters(value: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for literal in literals(value) {
        let text = literal.replace("{{", "").replace("}}", "");
        let mut rest = text.as_str();
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else { break };
            let name = rest[open + 1..open + close].split(':').next().unwrap_or_default();
            if name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                found.insert(name.to_owned());
            }
            rest = &rest[open + close + 1..];
        }
    }
    found
}

fn is_chinese(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
        || ('\u{3000}'..='\u{303f}').contains(&c)
        || ('\u{ff00}'..='\u{ffef}').contains(&c)
}

fn has_words_to_translate(text: &str) -> bool {
    let mut rest = text.to_owned();
    for same in SAME_IN_BOTH {
        rest = rest.replace(same, "");
    }
    // A word of three letters or more outside code spans and placeholders.
    let mut in_code = false;
    let mut in_placeholder = false;
    let mut run = 0;
    for c in rest.chars() {
        match c {
            '`' => in_code = !in_code,
            '{' => in_placeholder = true,
            '}' => in_placeholder = false,
            c if c.is_ascii_alphabetic() && !in_code && !in_placeholder => {
                run += 1;
                if run >= 3 {
                    return true;
                }
            }
            _ => run = 0,
        }
    }
    false
}

#[test]
fn every_text_is_in_both_languages_with_the_same_parameters() {
    let files = catalogue_files();
    assert!(files.len() >= 8, "the catalogue's area files: {files:?}");
    let mut problems = Vec::new();
    let mut keys = 0;
    for file in &files {
        let source = fs::read_to_string(file).unwrap();
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        if source.contains("\nfn chinese(") {
            let (sentences, found) = rule_sentence_problems(&name, &source);
            keys += sentences;
            problems.extend(found);
            continue;
        }
        let english = entries(&source, "pub const EN:").or_else(|| entries(&source, "pub static EN:"));
        let chinese = entries(&source, "pub const ZH_CN:").or_else(|| entries(&source, "pub static ZH_CN:"));
        let (Some(english), Some(chinese)) = (english, chinese) else {
            problems.push(format!("{name}: no EN and ZH_CN catalogue"));
            continue;
        };
        for (key, english_value) in &english {
            let Some(chinese_value) = chinese.get(key) else { continue };
            keys += 1;
            let (english_texts, chinese_texts) = (literals(english_value), literals(chinese_value));
            if english_texts.iter().any(|text| !text.is_empty()) && chinese_texts.iter().all(String::is_empty) {
                problems.push(format!("{name}: {key} is empty in Chinese"));
            }
            // Words in English, and none in Chinese; or an English sentence copied as it is (a
            // wire name such as `start_time` or `Query` may well stand in both).
            let english_words = english_texts.iter().any(|text| has_words_to_translate(text));
            let chinese_words = chinese_texts.iter().any(|text| text.chars().any(is_chinese));
            let copied_sentence = chinese_texts
                .iter()
                .any(|text| text.contains(' ') && has_words_to_translate(text) && english_texts.contains(text));
            if english_words && (!chinese_words || copied_sentence) {
                problems.push(format!("{name}: {key} is still English in Chinese: {}", chinese_value.trim()));
            }
            // A positional `{}` (English's plural "s", a capitalised word) has no name to match.
            let (english_parameters, chinese_parameters) = (parameters(english_value), parameters(chinese_value));
            let positional = english_parameters.contains("") || chinese_parameters.contains("");
            if !positional && english_parameters != chinese_parameters {
                problems.push(format!(
                    "{name}: {key} shows {english_parameters:?} in English but {chinese_parameters:?} in Chinese"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{} problem(s) in {keys} keys:\n{}", problems.len(), problems.join("\n"));
    assert!(keys > 50, "only {keys} keys read: the reader no longer understands the catalogue files");
}

#[test]
fn the_reader_sees_copies_and_lost_parameters() {
    let source = r#"
pub const EN: Words = Words {
    title: "Export tasks",
    count: |n| format!("{n} tasks"),
    brand: "Export Desk",
    long: |a, b| {
        format!("{a} and {b}")
    },
};

pub const ZH_CN: Words = Words {
    title: "Export tasks",
    count: |n| format!("任务"),
    brand: "Export Desk",
    long: |a, b| {
        format!("{a} 和 {b}")
    },
};
"#;
    let english = entries(source, "pub const EN:").unwrap();
    let chinese = entries(source, "pub const ZH_CN:").unwrap();
    assert_eq!(english.len(), 4);
    assert_eq!(parameters(&english["long"]), BTreeSet::from(["a".to_owned(), "b".to_owned()]));
    assert_eq!(parameters(&chinese["long"]), parameters(&english["long"]));
    assert!(parameters(&chinese["count"]).is_empty());
    assert!(has_words_to_translate(&literals(&chinese["title"])[0]));
    assert!(!has_words_to_translate(&literals(&chinese["brand"])[0]));
    assert!(!has_words_to_translate("`{url}` 必须是 {count} 个"));
    assert!(is_chinese('任') && is_chinese('，') && !is_chinese('a'));
    let rules = "fn wire() {}\nfn chinese(rule: &Rule) -> String {\n    match rule {\n        A => \"必填\".to_owned(),\n        B => \"must be after\".to_owned(),\n    }\n}\nfn chinese_url() {\n    \"网址\"\n}\n";
    let (sentences, problems) = rule_sentence_problems("words.rs", rules);
    assert_eq!(sentences, 3);
    assert_eq!(problems, ["words.rs: fn chinese says in English: must be after"]);
}
