//! The words of times: how long ago or ahead, a label with its zone, and what a typed time may
//! lack. The zone itself ("UTC+8") and the times' digits are the same in every language. The
//! struct, then English, then Simplified Chinese.

/// Every text of this area in one language.
pub struct Time {
    /// Under 45 seconds either way.
    pub just_now: &'static str,
    /// "{n} min ago".
    pub minutes_ago: fn(u64) -> String,
    /// "{n} h ago".
    pub hours_ago: fn(u64) -> String,
    /// "1 day ago", "{n} days ago".
    pub days_ago: fn(u64) -> String,
    /// "in {n} min".
    pub in_minutes: fn(u64) -> String,
    /// "in {n} h".
    pub in_hours: fn(u64) -> String,
    /// "in 1 day", "in {n} days".
    pub in_days: fn(u64) -> String,
    /// A time control's label with the zone its times are in: "{label} ({zone})".
    pub in_zone: fn(&str, &str) -> String,
    /// The accessible name of a time range's presets.
    pub quick_ranges: &'static str,
}

pub const EN: Time = Time {
    just_now: "just now",
    minutes_ago: |n| format!("{n} min ago"),
    hours_ago: |n| format!("{n} h ago"),
    days_ago: |n| format!("{n} day{} ago", plural(n)),
    in_minutes: |n| format!("in {n} min"),
    in_hours: |n| format!("in {n} h"),
    in_days: |n| format!("in {n} day{}", plural(n)),
    in_zone: |label, zone| format!("{label} ({zone})"),
    quick_ranges: "Quick ranges",
};

pub const ZH_CN: Time = Time {
    just_now: "刚刚",
    minutes_ago: |n| format!("{n} 分钟前"),
    hours_ago: |n| format!("{n} 小时前"),
    days_ago: |n| format!("{n} 天前"),
    in_minutes: |n| format!("{n} 分钟后"),
    in_hours: |n| format!("{n} 小时后"),
    in_days: |n| format!("{n} 天后"),
    in_zone: |label, zone| format!("{label}（{zone}）"),
    quick_ranges: "快捷选择",
};

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
