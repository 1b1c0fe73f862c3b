//! What a time zone's clock says at an instant, and which instant a wall-clock time in it means,
//! for the zones Settings offers: the browser's (chrono's `Local`), UTC, and any IANA zone the
//! browser knows ("Asia/Shanghai" for Beijing time). Named zones are read through the browser's
//! `Intl.DateTimeFormat`, so no zone database ships in the wasm.
//!
//! ```ignore
//! let zone = settings::time_zone();
//! let shown = time_zone::at(&zone, ms);               // DateTime<FixedOffset>, for time_text
//! let label = time_zone::offset_label(time_zone::offset_minutes(&zone, ms).unwrap_or(0)); // "UTC+8"
//! let ms = time_zone::instant_of(&zone, &naive);      // what a typed time means
//! ```

use chrono::{DateTime, FixedOffset, Local, NaiveDateTime, Offset, TimeZone as _};
use serde::{Deserialize, Serialize};

const MINUTE_MS: i64 = 60_000;
const DAY_MS: i64 = 86_400_000;

/// The IANA zone of Beijing time (UTC+8 all year), which both clouds' consoles use.
pub const BEIJING: &str = "Asia/Shanghai";

/// The time zone times are shown and entered in. Written as `"local"`, `"utc"` or an IANA zone
/// name (`"Asia/Shanghai"` for Beijing time), in the deployment's file and the browser's storage.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum TimeZone {
    /// The browser's time zone.
    #[default]
    Local,
    Utc,
    /// An IANA zone the browser knows (see this module).
    Named(String),
}

impl TryFrom<String> for TimeZone {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        match text.as_str() {
            "local" => Ok(Self::Local),
            "utc" | "UTC" => Ok(Self::Utc),
            // Whether this browser knows the zone is not asked here: a deployment file is read
            // by every browser, and one that cannot name the zone shows times in UTC, saying so,
            // rather than losing the file's other settings. The Settings page checks what is typed.
            name if is_zone_name(name) => Ok(Self::Named(text)),
            _ => Err(format!(
                "\"{text}\" is not a time zone: use \"local\", \"utc\" or an IANA zone name such as \"{}\"",
                BEIJING
            )),
        }
    }
}

impl From<TimeZone> for String {
    fn from(zone: TimeZone) -> Self {
        match zone {
            TimeZone::Local => "local".to_owned(),
            TimeZone::Utc => "utc".to_owned(),
            TimeZone::Named(name) => name,
        }
    }
}

/// The zone's offset from UTC at `ms`, in minutes east of UTC; `None` when the browser does not
/// know the zone.
pub fn offset_minutes(zone: &TimeZone, ms: i64) -> Option<i32> {
    match zone {
        TimeZone::Utc => Some(0),
        TimeZone::Local => Local.timestamp_millis_opt(ms).single().map(|t| t.offset().fix().local_minus_utc() / 60),
        TimeZone::Named(name) => browser::offset_minutes(name, ms),
    }
}

/// The instant `ms` on the zone's clock (UTC when the browser does not know the zone).
pub fn at(zone: &TimeZone, ms: i64) -> Option<DateTime<FixedOffset>> {
    let offset = FixedOffset::east_opt(offset_minutes(zone, ms).unwrap_or(0) * 60)?;
    offset.timestamp_millis_opt(ms).single()
}

/// The instant a wall-clock time in the zone means: of two (the clock set back), the earlier;
/// `None` for a time the zone's clock skips (set forward) or a zone the browser does not know.
pub fn instant_of(zone: &TimeZone, wall: &NaiveDateTime) -> Option<i64> {
    match zone {
        TimeZone::Utc => Some(wall.and_utc().timestamp_millis()),
        TimeZone::Local => Local.from_local_datetime(wall).earliest().map(|t| t.timestamp_millis()),
        TimeZone::Named(name) => resolve_wall(wall, |ms| browser::offset_minutes(name, ms)),
    }
}

/// `wall` as an instant in a zone whose offset at an instant `offset_at` tells. Any offset in
/// force around `wall` is one of those a day before and a day after (zones change at most once
/// in a day); a candidate counts when the zone really has that offset at the instant it gives.
fn resolve_wall(wall: &NaiveDateTime, offset_at: impl Fn(i64) -> Option<i32>) -> Option<i64> {
    let as_utc = wall.and_utc().timestamp_millis();
    let mut offsets = [offset_at(as_utc - DAY_MS)?, offset_at(as_utc + DAY_MS)?];
    offsets.sort_unstable();
    // The larger offset gives the earlier instant.
    offsets
        .iter()
        .rev()
        .map(|&offset| as_utc - i64::from(offset) * MINUTE_MS)
        .find(|&ms| offset_at(ms).is_some_and(|offset| as_utc - i64::from(offset) * MINUTE_MS == ms))
}

/// An offset as people read it beside a time: "UTC", "UTC+8", "UTC-5", "UTC+5:30".
pub fn offset_label(minutes: i32) -> String {
    if minutes == 0 {
        return "UTC".to_owned();
    }
    let sign = if minutes < 0 { '-' } else { '+' };
    let (hours, rest) = (minutes.unsigned_abs() / 60, minutes.unsigned_abs() % 60);
    if rest == 0 {
        format!("UTC{sign}{hours}")
    } else {
        format!("UTC{sign}{hours}:{rest:02}")
    }
}

/// The zone's label at `ms`: its offset then ("UTC+8"). A zone the browser does not know
/// shows its times in UTC (see [`at`]), so it is labelled UTC.
pub fn label_at(zone: &TimeZone, ms: i64) -> String {
    offset_label(offset_minutes(zone, ms).unwrap_or(0))
}

/// Reads the offset `Intl` names with `timeZoneName: "shortOffset"`: "GMT", "GMT+8",
/// "GMT-3:30" (also with U+2212 for the minus sign), in minutes east of UTC.
pub fn parse_gmt_offset(text: &str) -> Option<i32> {
    let rest = text.trim().strip_prefix("GMT").or_else(|| text.trim().strip_prefix("UTC"))?;
    if rest.is_empty() {
        return Some(0);
    }
    let (sign, digits) = match rest.chars().next()? {
        '+' => (1, &rest[1..]),
        '-' => (-1, &rest[1..]),
        '\u{2212}' => (-1, &rest['\u{2212}'.len_utf8()..]),
        _ => return None,
    };
    let (hours, minutes) = digits.split_once(':').unwrap_or((digits, "0"));
    let (hours, minutes): (i32, i32) = (hours.parse().ok()?, minutes.parse().ok()?);
    (hours <= 18 && minutes < 60).then_some(sign * (hours * 60 + minutes))
}

/// Whether `name` has the shape of an IANA zone name (`Area/Location`, such as
/// `America/Argentina/Buenos_Aires`); whether the browser knows it is [`is_known`]'s to say.
pub fn is_zone_name(name: &str) -> bool {
    name.len() <= 64
        && name.contains('/')
        && name.split('/').all(|part| {
            part.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && part.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+'))
        })
}

/// Whether the browser knows the zone (outside a browser, whether it has a zone name's shape).
pub fn is_known(name: &str) -> bool {
    is_zone_name(name) && browser::knows(name)
}

/// The browser's own zone ("Europe/Berlin"), when it says.
pub fn browser_zone() -> Option<String> {
    browser::own_zone()
}

/// Every zone the browser knows, for the Settings page to offer (empty outside a browser).
pub fn known_zones() -> Vec<String> {
    browser::all_zones()
}

#[cfg(target_arch = "wasm32")]
mod browser {
    use js_sys::{Array, Object, Reflect};
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        /// `Intl.DateTimeFormat`, whose constructor throws a `RangeError` for a zone it does not
        /// know: bound here with `catch`, since js-sys's binding would not return the error.
        #[wasm_bindgen(js_namespace = Intl, js_name = DateTimeFormat)]
        type ZoneFormat;
        #[wasm_bindgen(constructor, catch, js_namespace = Intl, js_class = "DateTimeFormat")]
        fn new(locale: &str, options: &Object) -> Result<ZoneFormat, JsValue>;
        /// Throws a `RangeError` for a time outside what a JavaScript `Date` holds (±8.64e15 ms),
        /// which a server could send.
        #[wasm_bindgen(method, catch, js_name = formatToParts)]
        fn format_to_parts(this: &ZoneFormat, ms: f64) -> Result<Array, JsValue>;
        #[wasm_bindgen(method, js_name = resolvedOptions)]
        fn resolved_options(this: &ZoneFormat) -> Object;
        #[wasm_bindgen(catch, js_namespace = Intl, js_name = supportedValuesOf)]
        fn supported_values_of(key: &str) -> Result<Array, JsValue>;
    }

    fn format(zone: Option<&str>) -> Option<ZoneFormat> {
        let options = Object::new();
        if let Some(zone) = zone {
            Reflect::set(&options, &"timeZone".into(), &zone.into()).ok()?;
            Reflect::set(&options, &"timeZoneName".into(), &"shortOffset".into()).ok()?;
        }
        ZoneFormat::new("en-US", &options).ok()
    }

    thread_local! {
        /// The format of the zone asked for last: every time shown asks for the same zone, and
        /// building an `Intl.DateTimeFormat` is far dearer than using one. A cache of a browser
        /// object, not app state.
        static LAST: std::cell::RefCell<Option<(String, ZoneFormat)>> = const { std::cell::RefCell::new(None) };
    }

    pub fn offset_minutes(zone: &str, ms: i64) -> Option<i32> {
        let parts = LAST.with_borrow_mut(|last| {
            if last.as_ref().is_none_or(|(name, _)| name != zone) {
                *last = format(Some(zone)).map(|format| (zone.to_owned(), format));
            }
            last.as_ref().map(|(_, format)| format.format_to_parts(ms as f64))
        })?;
        parts.ok()?.iter().find_map(|part| {
            let kind = Reflect::get(&part, &"type".into()).ok()?.as_string()?;
            let value = Reflect::get(&part, &"value".into()).ok()?.as_string()?;
            (kind == "timeZoneName").then(|| super::parse_gmt_offset(&value)).flatten()
        })
    }

    pub fn knows(zone: &str) -> bool {
        format(Some(zone)).is_some()
    }

    pub fn own_zone() -> Option<String> {
        Reflect::get(&format(None)?.resolved_options(), &"timeZone".into()).ok()?.as_string()
    }

    pub fn all_zones() -> Vec<String> {
        supported_values_of("timeZone")
            .map(|zones| zones.iter().filter_map(|z| z.as_string()).collect())
            .unwrap_or_default()
    }
}

/// Outside a browser (the native unit tests) no named zone is known.
#[cfg(not(target_arch = "wasm32"))]
mod browser {
    pub fn offset_minutes(_zone: &str, _ms: i64) -> Option<i32> {
        None
    }

    pub fn knows(_zone: &str) -> bool {
        true
    }

    pub fn own_zone() -> Option<String> {
        None
    }

    pub fn all_zones() -> Vec<String> {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn wall(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, min, 0).unwrap()
    }

    fn ms(wall: NaiveDateTime) -> i64 {
        wall.and_utc().timestamp_millis()
    }

    /// A zone at UTC+1 that moves to UTC+2 at 2026-03-29 01:00 UTC and back at 2026-10-25
    /// 01:00 UTC, as Central Europe does.
    fn central_europe(at: i64) -> Option<i32> {
        let summer = ms(wall(2026, 3, 29, 1, 0))..ms(wall(2026, 10, 25, 1, 0));
        Some(if summer.contains(&at) { 120 } else { 60 })
    }

    #[test]
    fn wall_times_resolve_across_clock_changes() {
        let resolve = |w| resolve_wall(&w, central_europe);
        // Winter and summer: one reading each.
        assert_eq!(resolve(wall(2026, 1, 10, 12, 0)), Some(ms(wall(2026, 1, 10, 11, 0))));
        assert_eq!(resolve(wall(2026, 7, 10, 12, 0)), Some(ms(wall(2026, 7, 10, 10, 0))));
        // 02:30 on the spring day does not exist on that clock.
        assert_eq!(resolve(wall(2026, 3, 29, 2, 30)), None);
        // 02:30 on the autumn day happens twice: the earlier is taken.
        assert_eq!(resolve(wall(2026, 10, 25, 2, 30)), Some(ms(wall(2026, 10, 25, 0, 30))));
        // A fixed zone, as Beijing time.
        assert_eq!(resolve_wall(&wall(2026, 11, 23, 8, 0), |_| Some(480)), Some(ms(wall(2026, 11, 23, 0, 0))));
        assert_eq!(resolve_wall(&wall(2026, 11, 23, 8, 0), |_| None), None);
    }

    #[test]
    fn offsets_read_as_people_write_them() {
        assert_eq!(offset_label(0), "UTC");
        assert_eq!(offset_label(480), "UTC+8");
        assert_eq!(offset_label(-300), "UTC-5");
        assert_eq!(offset_label(330), "UTC+5:30");
        assert_eq!(offset_label(-570), "UTC-9:30");
        assert_eq!(parse_gmt_offset("GMT"), Some(0));
        assert_eq!(parse_gmt_offset("GMT+8"), Some(480));
        assert_eq!(parse_gmt_offset("GMT-3:30"), Some(-210));
        assert_eq!(parse_gmt_offset("GMT\u{2212}5"), Some(-300));
        assert_eq!(parse_gmt_offset("GMT+5:45"), Some(345));
        assert_eq!(parse_gmt_offset("CET"), None);
        assert_eq!(parse_gmt_offset("GMT+99"), None);
    }

    #[test]
    fn zone_names_have_the_iana_shape() {
        for name in ["Asia/Shanghai", "America/Argentina/Buenos_Aires", "Etc/GMT+8", "America/Port-au-Prince"] {
            assert!(is_zone_name(name), "{name}");
        }
        for name in ["cet", "UTC", "", "Asia/", "/Shanghai", "Asia/Shang hai", "Asia/<x>", &"A/".repeat(40)] {
            assert!(!is_zone_name(name), "{name}");
        }
    }

    #[test]
    fn utc_and_the_browser_zone_need_no_intl() {
        let noon = ms(wall(2026, 11, 23, 12, 0));
        assert_eq!(offset_minutes(&TimeZone::Utc, noon), Some(0));
        assert_eq!(label_at(&TimeZone::Utc, noon), "UTC");
        assert_eq!(instant_of(&TimeZone::Utc, &wall(2026, 11, 23, 12, 0)), Some(noon));
        assert_eq!(at(&TimeZone::Utc, noon).unwrap().naive_local(), wall(2026, 11, 23, 12, 0));
        // Outside a browser a named zone is unknown: shown in UTC, and labelled so.
        let beijing = TimeZone::Named(BEIJING.to_owned());
        assert_eq!(label_at(&beijing, noon), "UTC");
        assert_eq!(instant_of(&beijing, &wall(2026, 11, 23, 12, 0)), None);
    }
}
