//! Date-times as text in the three fixed shapes the dashboard reads and writes, by hand: the same
//! results as chrono's `format(…)` and `NaiveDateTime::parse_from_str(…)` with those shapes'
//! format strings, but chrono's format-string machinery (the strftime item parser, the generic
//! parser with every field kind, RFC 2822 included, and the formatter) is not in the bundle:
//! 12 KB brotli measured.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeDelta, TimeZone, Timelike};

/// The shapes, each named by the chrono format string it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `%Y-%m-%dT%H:%M`: what `<input type="datetime-local">` reads and writes.
    InputMinutes,
    /// `%Y-%m-%dT%H:%M:%S`: the same input when seconds were typed.
    InputSeconds,
    /// `%Y-%m-%d %H:%M:%S`: how the dashboard shows a time, and CLS's `CreateTime`.
    Spaced,
}

impl Shape {
    fn date_time_separator(self) -> char {
        match self {
            Self::InputMinutes | Self::InputSeconds => 'T',
            Self::Spaced => ' ',
        }
    }

    fn has_seconds(self) -> bool {
        !matches!(self, Self::InputMinutes)
    }
}

/// `time` in `shape`, as `time.format(format string)` writes it.
pub fn write(time: &NaiveDateTime, shape: Shape) -> String {
    write_parts(time.year(), time.month(), time.day(), &time.time(), shape)
}

/// The wall-clock time of `time` in its own zone, as `time.format(format string)` writes it; also
/// when that lies within a day outside chrono's range of dates, which chrono writes as the day
/// after its last date or before its first (`DateTime::naive_local` would panic there).
pub fn write_local<Tz: TimeZone>(time: &DateTime<Tz>, shape: Shape) -> String {
    let utc = time.naive_utc();
    let offset = time.offset().fix();
    if let Some(local) = utc.checked_add_offset(offset) {
        return write(&local, shape);
    }
    let (wall, _) = utc.time().overflowing_add_signed(TimeDelta::seconds(i64::from(offset.local_minus_utc())));
    if offset.local_minus_utc() > 0 {
        write_parts(NaiveDate::MAX.year() + 1, 1, 1, &wall, shape)
    } else {
        write_parts(NaiveDate::MIN.year() - 1, 12, 31, &wall, shape)
    }
}

fn write_parts(year: i32, month: u32, day: u32, time: &NaiveTime, shape: Shape) -> String {
    // chrono's %Y: four digits, with a sign outside 0..=9999.
    let mut text = if (0..10_000).contains(&year) { format!("{year:04}") } else { format!("{year:+05}") };
    text.push_str(&format!(
        "-{month:02}-{day:02}{}{:02}:{:02}",
        shape.date_time_separator(),
        time.hour(),
        time.minute()
    ));
    if shape.has_seconds() {
        // A leap second reads 60, as chrono's %S writes it.
        text.push_str(&format!(":{:02}", time.second() + time.nanosecond() / 1_000_000_000));
    }
    text
}

/// Reads `text` in `shape` as `NaiveDateTime::parse_from_str(text, format string).ok()` does:
/// whitespace before each number, 1 to 2 digits a field (1 to 4 for the year, or any number after
/// a sign), the literal characters exactly, a space in the shape for any run of whitespace, and
/// nothing after; fields in range and a real date; second 60 as a leap second.
pub fn parse(text: &str, shape: Shape) -> Option<NaiveDateTime> {
    let mut rest = text;
    let year = i32::try_from(year_field(&mut rest)?).ok()?;
    literal(&mut rest, '-')?;
    let month = field(&mut rest, 1..=12)?;
    literal(&mut rest, '-')?;
    let day = field(&mut rest, 1..=31)?;
    match shape.date_time_separator() {
        ' ' => rest = rest.trim_start(),
        separator => literal(&mut rest, separator)?,
    }
    let hour = field(&mut rest, 0..=23)?;
    literal(&mut rest, ':')?;
    let minute = field(&mut rest, 0..=59)?;
    let second = if shape.has_seconds() {
        literal(&mut rest, ':')?;
        field(&mut rest, 0..=60)?
    } else {
        0
    };
    if !rest.is_empty() {
        return None;
    }
    let (second, nano) = if second == 60 { (59, 1_000_000_000) } else { (second, 0) };
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nano)?;
    Some(NaiveDateTime::new(date, time))
}

/// chrono's signed `%Y`: after whitespace, `-` or `+` and any number of digits, or up to 4 digits.
fn year_field(rest: &mut &str) -> Option<i64> {
    *rest = rest.trim_start();
    if let Some(after) = rest.strip_prefix('-') {
        *rest = after;
        digits(rest, usize::MAX).map(|v| -v)
    } else if let Some(after) = rest.strip_prefix('+') {
        *rest = after;
        digits(rest, usize::MAX)
    } else {
        digits(rest, 4)
    }
}

/// A two-digit field (`%m`, `%d`, `%H`, `%M`, `%S`) after whitespace, within `range`.
fn field(rest: &mut &str, range: std::ops::RangeInclusive<u32>) -> Option<u32> {
    *rest = rest.trim_start();
    let value = digits(rest, 2)?;
    u32::try_from(value).ok().filter(|value| range.contains(value))
}

/// 1 to `max` ASCII digits (chrono's `scan::number(s, 1, max)`), without overflow.
fn digits(rest: &mut &str, max: usize) -> Option<i64> {
    let count = rest.bytes().take(max).take_while(u8::is_ascii_digit).count();
    if count == 0 {
        return None;
    }
    let mut value = 0i64;
    for byte in rest[..count].bytes() {
        value = value.checked_mul(10)?.checked_add(i64::from(byte - b'0'))?;
    }
    *rest = &rest[count..];
    Some(value)
}

fn literal(rest: &mut &str, expected: char) -> Option<()> {
    *rest = rest.strip_prefix(expected)?;
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHAPES: [(Shape, &str); 3] = [
        (Shape::InputMinutes, "%Y-%m-%dT%H:%M"),
        (Shape::InputSeconds, "%Y-%m-%dT%H:%M:%S"),
        (Shape::Spaced, "%Y-%m-%d %H:%M:%S"),
    ];

    /// A fixed-seed xorshift.
    struct Random(u64);

    impl Random {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    fn same_parse(text: &str) {
        for (shape, format) in SHAPES {
            assert_eq!(parse(text, shape), NaiveDateTime::parse_from_str(text, format).ok(), "{text:?} as {format}");
        }
    }

    #[test]
    fn writes_what_chrono_writes() {
        let mut random = Random(0x2545_f491_4f6c_dd1d);
        let min = NaiveDateTime::MIN.and_utc().timestamp_millis();
        let span = NaiveDateTime::MAX.and_utc().timestamp_millis().abs_diff(min);
        let mut times: Vec<NaiveDateTime> = (0..20_000)
            .map(|_| min.wrapping_add((random.next() % span) as i64))
            .chain([0, 1_700_000_000_000, -62_135_596_800_000, 253_402_300_799_000, -62_198_755_200_000])
            .filter_map(|ms| chrono::DateTime::from_timestamp_millis(ms).map(|t| t.naive_utc()))
            .collect();
        let leap = NaiveDate::from_ymd_opt(2016, 12, 31).unwrap().and_hms_milli_opt(23, 59, 59, 1_500).unwrap();
        times.extend([NaiveDateTime::MIN, NaiveDateTime::MAX, leap]);
        for time in times {
            for (shape, format) in SHAPES {
                assert_eq!(write(&time, shape), time.format(format).to_string(), "{time:?} as {format}");
            }
        }
    }

    #[test]
    fn writes_wall_clock_times_as_chrono_does_up_to_the_ends_of_its_range() {
        let (min, max) =
            (NaiveDateTime::MIN.and_utc().timestamp_millis(), NaiveDateTime::MAX.and_utc().timestamp_millis());
        for hours in [-23i32, -8, -1, 0, 1, 5, 8, 14, 23] {
            let zone = chrono::FixedOffset::east_opt(hours * 3600 + 1800 * hours.signum()).unwrap();
            for ms in
                [min, min + 3_600_000, min + 86_400_000, 0, 1_700_000_000_123, max - 86_400_000, max - 3_600_000, max]
            {
                let time = zone.timestamp_millis_opt(ms).unwrap();
                for (shape, format) in SHAPES {
                    assert_eq!(write_local(&time, shape), time.format(format).to_string(), "{ms} in {zone}");
                }
            }
        }
    }

    #[test]
    fn reads_what_chrono_reads() {
        for text in [
            "2026-11-23T08:30",
            "2026-11-23T08:30:15",
            "2026-11-23 08:30:15",
            "2026-11-23    08:30:15",
            "2026-11-2308:30:15",
            " 2026-1-3T8:3",
            "2026-11-23T08:30:60",
            "2026-02-29T00:00",
            "2024-02-29T00:00",
            "+12345-01-01T00:00",
            "-0001-12-31 23:59:59",
            "-99999999999999999999-01-01T00:00",
            "20260-11-23T08:30",
            "2026-11-23T24:00",
            "2026-11-23T08:30 ",
            "2026-11-23\t08:30:15",
            "2026-11-23\u{3000}08:30:15",
            "2026-11-23T 08: 30",
            "2026-11-23T08:30:15.5",
            "23/11/2026 08:30",
            "",
            "-",
            "+",
        ] {
            same_parse(text);
        }
    }

    #[test]
    fn reads_mangled_inputs_as_chrono_does() {
        // Valid texts of each shape, mangled: characters replaced, inserted and dropped.
        const ALPHABET: [char; 14] = ['0', '1', '5', '9', '-', '+', ':', 'T', ' ', '\t', '\u{a0}', 'x', '.', '6'];
        let mut random = Random(0x9e37_79b9_7f4a_7c15);
        let starts = ["2026-11-23T08:30", "2026-11-23T08:30:15", "2026-11-23 08:30:15", "0999-01-09 00:00:60"];
        for _ in 0..200_000 {
            let mut text: Vec<char> = starts[random.below(starts.len() as u64) as usize].chars().collect();
            for _ in 0..=random.below(3) {
                let at = random.below(text.len() as u64 + 1) as usize;
                let c = ALPHABET[random.below(ALPHABET.len() as u64) as usize];
                match random.below(3) {
                    0 if at < text.len() => text[at] = c,
                    1 if at < text.len() => {
                        text.remove(at);
                    }
                    _ => text.insert(at, c),
                }
            }
            same_parse(&text.into_iter().collect::<String>());
        }
    }

    #[test]
    fn reads_what_it_writes() {
        let time = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap().and_hms_opt(8, 30, 15).unwrap();
        assert_eq!(parse(&write(&time, Shape::Spaced), Shape::Spaced), Some(time));
        assert_eq!(parse(&write(&time, Shape::InputSeconds), Shape::InputSeconds), Some(time));
        assert_eq!(write(&time, Shape::InputMinutes), "2026-11-23T08:30");
    }
}
