//! The CSV file a task list exports: RFC 4180 (fields quoted when they hold a comma, a quote or a
//! line break, quotes doubled, lines ended by CRLF), UTF-8 with a byte-order mark (without one,
//! Excel reads UTF-8 as the system's code page and Chinese comes out garbled), and safe to open
//! in a spreadsheet: a text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is
//! prefixed with `'`, so a task name such as `=HYPERLINK(…)` is shown, never run as a formula
//! (OWASP's "CSV injection"). Times are written in the zone chosen in Settings, which the
//! column's header names.
//!
//! ```ignore
//! let times = CsvTimes::new(settings::time_zone(), zone_name);
//! let mut file = CsvWriter::new(&[("Name", false), ("Created", true)], &times);
//! file.push_row(vec![CsvCell::Text(name), CsvCell::Time(ms)], &times);
//! let bytes = file.finish();
//! ```

use crate::time_text::{self, Shape};
use crate::time_zone;
use crate::time_zone::TimeZone;

/// What a column says about a row in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CsvCell {
    /// Text as the table shows it (data from a provider included): guarded against formulas.
    Text(String),
    /// An instant, written in the chosen zone as `2026-11-23 19:28:05` (which spreadsheets read
    /// as a date and time).
    Time(i64),
    /// Nothing to say (a task not finished has no end time).
    Empty,
}

/// How times are written: the zone and the name the headers give it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvTimes {
    zone: TimeZone,
    zone_name: String,
}

impl CsvTimes {
    /// `zone_name` names the zone in headers ("Asia/Shanghai", "UTC"): see [`zone_name`].
    pub fn new(zone: TimeZone, zone_name: String) -> Self {
        Self { zone, zone_name }
    }

    /// `2026-11-23 19:28:05`, the wall-clock time in the zone.
    pub fn local(&self, ms: i64) -> String {
        time_zone::at(&self.zone, ms)
            .map(|t| time_text::write_local(&t, Shape::Spaced))
            .unwrap_or_else(|| format!("{ms} ms"))
    }

    /// `2026-11-23 19:28:05 UTC+8`: a time inside a sentence, with its offset then.
    pub fn with_offset(&self, ms: i64) -> String {
        format!("{} {}", self.local(ms), time_zone::label_at(&self.zone, ms))
    }

    /// A time column's header: "Created (Asia/Shanghai)".
    pub fn header(&self, title: &str) -> String {
        format!("{title} ({})", self.zone_name)
    }

    /// The file's name: `{stem}-2026-12-04T1530+0800.csv`, the time of the export in the zone
    /// with its offset, without characters a file system refuses (no `:`).
    pub fn file_name(&self, stem: &str, now_ms: i64) -> String {
        let minutes = time_zone::offset_minutes(&self.zone, now_ms).unwrap_or(0);
        let local = time_zone::at(&self.zone, now_ms)
            .map(|t| time_text::write_local(&t, Shape::InputMinutes).replace(':', ""))
            .unwrap_or_default();
        let sign = if minutes < 0 { '-' } else { '+' };
        let (hours, rest) = (minutes.unsigned_abs() / 60, minutes.unsigned_abs() % 60);
        format!("{stem}-{local}{sign}{hours:02}{rest:02}.csv")
    }
}

/// How headers name `zone`: its IANA name, "UTC", or for the browser's own zone the name the
/// browser gives it (`browser_zone`), else its offset now.
pub fn zone_name(zone: &TimeZone, browser_zone: Option<String>, now_ms: i64) -> String {
    match zone {
        TimeZone::Utc => "UTC".to_owned(),
        TimeZone::Named(name) => name.clone(),
        TimeZone::Local => browser_zone.unwrap_or_else(|| time_zone::label_at(zone, now_ms)),
    }
}

/// A CSV file being written, a row at a time.
#[derive(Debug, Clone)]
pub struct CsvWriter {
    text: String,
    rows: u64,
}

/// The UTF-8 byte-order mark, which tells Excel the file is UTF-8.
const BOM: char = '\u{feff}';

impl CsvWriter {
    /// A file with its header row: each column's title, a time column's with the zone named.
    pub fn new(columns: &[(&str, bool)], times: &CsvTimes) -> Self {
        let mut writer = Self { text: String::from(BOM), rows: 0 };
        let headers = columns.iter().map(|(title, is_time)| {
            let title = if *is_time { times.header(title) } else { (*title).to_owned() };
            CsvCell::Text(title)
        });
        writer.push_line(headers, times);
        writer
    }

    pub fn push_row(&mut self, cells: impl IntoIterator<Item = CsvCell>, times: &CsvTimes) {
        self.push_line(cells, times);
        self.rows += 1;
    }

    /// Rows written, the header aside.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Bytes written so far.
    pub fn len(&self) -> usize {
        self.text.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    pub fn finish(self) -> Vec<u8> {
        self.text.into_bytes()
    }

    fn push_line(&mut self, cells: impl IntoIterator<Item = CsvCell>, times: &CsvTimes) {
        for (index, cell) in cells.into_iter().enumerate() {
            if index > 0 {
                self.text.push(',');
            }
            match cell {
                CsvCell::Text(text) => push_field(&mut self.text, &text),
                CsvCell::Time(ms) => push_field(&mut self.text, &times.local(ms)),
                CsvCell::Empty => {}
            }
        }
        self.text.push_str("\r\n");
    }
}

/// One field: a leading formula character neutralised, then quoted if it must be.
fn push_field(out: &mut String, text: &str) {
    let formula = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let quoted = text.contains([',', '"', '\r', '\n']);
    if quoted {
        out.push('"');
    }
    if formula {
        out.push('\'');
    }
    if quoted {
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc() -> CsvTimes {
        CsvTimes::new(TimeZone::Utc, "UTC".to_owned())
    }

    fn text_of(writer: CsvWriter) -> String {
        String::from_utf8(writer.finish()).unwrap()
    }

    #[test]
    fn starts_with_a_bom_and_ends_lines_with_crlf() {
        let times = utc();
        let mut file = CsvWriter::new(&[("Name", false), ("Created", true)], &times);
        file.push_row([CsvCell::Text("刷新任务".into()), CsvCell::Time(1_795_451_805_054)], &times);
        let text = text_of(file);
        assert!(text.starts_with('\u{feff}'));
        assert_eq!(&text.as_bytes()[..3], &[0xEF, 0xBB, 0xBF], "the UTF-8 byte-order mark");
        assert_eq!(text, "\u{feff}Name,Created (UTC)\r\n刷新任务,2026-11-23 16:36:45\r\n");
    }

    #[test]
    fn quotes_what_rfc_4180_says_must_be_quoted() {
        let times = utc();
        let mut file = CsvWriter::new(&[("a", false), ("b", false), ("c", false), ("d", false)], &times);
        file.push_row(
            [
                CsvCell::Text("plain".into()),
                CsvCell::Text("a, b".into()),
                CsvCell::Text("say \"hi\"".into()),
                CsvCell::Text("two\nlines".into()),
            ],
            &times,
        );
        file.push_row(
            [CsvCell::Empty, CsvCell::Text(String::new()), CsvCell::Empty, CsvCell::Text("x".into())],
            &times,
        );
        assert_eq!(
            text_of(file).trim_start_matches('\u{feff}'),
            "a,b,c,d\r\nplain,\"a, b\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n,,,x\r\n"
        );
    }

    #[test]
    fn a_cell_that_would_be_a_formula_is_shown_as_text() {
        let times = utc();
        let mut file = CsvWriter::new(&[("a", false); 6], &times);
        let cells = ["=1+1", "+cmd", "-2", "@SUM(A1)", "\tx", "=HYPERLINK(\"http://x\",\"y\")"];
        file.push_row(cells.iter().map(|c| CsvCell::Text((*c).to_owned())), &times);
        let text = text_of(file);
        let row = text.lines().nth(1).unwrap();
        assert_eq!(row, "'=1+1,'+cmd,'-2,'@SUM(A1),'\tx,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
        // Inside the text the characters are data, not a formula's start.
        let mut inner = CsvWriter::new(&[("a", false)], &times);
        inner.push_row([CsvCell::Text("a=b".into())], &times);
        assert!(text_of(inner).ends_with("a=b\r\n"));
    }

    #[test]
    fn times_are_written_in_the_zone_the_header_names() {
        let ms = 1_795_451_805_054; // 2026-11-23T16:36:45Z
        let utc = utc();
        assert_eq!(utc.local(ms), "2026-11-23 16:36:45");
        assert_eq!(utc.header("Created"), "Created (UTC)");
        assert_eq!(utc.file_name("cdn-purge-tasks", ms), "cdn-purge-tasks-2026-11-23T1636+0000.csv");
        assert_eq!(zone_name(&TimeZone::Utc, Some("Europe/Berlin".into()), ms), "UTC");
        assert_eq!(zone_name(&TimeZone::Named("Asia/Shanghai".into()), None, ms), "Asia/Shanghai");
        assert_eq!(zone_name(&TimeZone::Local, Some("Europe/Berlin".into()), ms), "Europe/Berlin");
        // The browser's own zone, written with its own offset (chrono's Local natively).
        let local = CsvTimes::new(TimeZone::Local, "here".into());
        let offset = time_zone::offset_minutes(&TimeZone::Local, ms).unwrap();
        let wall = chrono::DateTime::from_timestamp_millis(ms + i64::from(offset) * 60_000).unwrap().naive_utc();
        assert_eq!(local.local(ms), time_text::write(&wall, Shape::Spaced));
        let mut file = CsvWriter::new(&[("Created", true)], &local);
        file.push_row([CsvCell::Time(ms)], &local);
        assert_eq!(text_of(file), format!("\u{feff}Created (here)\r\n{}\r\n", local.local(ms)));
    }

    #[test]
    fn file_names_carry_the_offset_east_and_west() {
        // No IANA zones outside a browser; the name's shape from the offset arithmetic alone.
        let times = utc();
        assert!(times.file_name("cls-exports", 0).ends_with("1970-01-01T0000+0000.csv"));
        assert_eq!(times.with_offset(0), "1970-01-01 00:00:00 UTC");
    }

    #[test]
    fn counts_rows_not_the_header() {
        let times = utc();
        let mut file = CsvWriter::new(&[("a", false)], &times);
        assert!(file.is_empty());
        file.push_row([CsvCell::Text("1".into())], &times);
        file.push_row([CsvCell::Text("2".into())], &times);
        assert_eq!(file.rows(), 2);
        assert!(file.len() > 10);
    }
}
