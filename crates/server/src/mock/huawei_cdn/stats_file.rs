//! The file a successful statistics export downloads: a CSV with plausible numbers for exactly
//! the requested domains, span, interval and measure.
//!
//! Numbers follow a daily curve (quiet at night, peaking in the evening, Beijing time) with
//! per-domain scale and noise, all derived from the task's seed, so a file is the same every time
//! it is downloaded. Rows are generated while the body streams: a 90-day, 100-domain, 5-minute
//! export never sits in memory.

use crate::mock::seeded;
use bytes::Bytes;
use chrono::DateTime;
use export_desk_model::huawei_cdn::{Domains, ExportSpec, Language, ServiceArea, StatType, StatsAction};
use rand::{Rng, RngCore};
use std::f64::consts::TAU;

/// The mock account's accelerated domains: what `domain_name=all` covers.
pub const DEMO_DOMAINS: [&str; 4] = ["www.example.com", "img.example.com", "video.example.com", "download.example.com"];

/// The domains an export covers, with `all` meaning the mock account's domains. Here, beside
/// [`DEMO_DOMAINS`], because only the file needs it: `stats_exports` uses this module, never the
/// other way round.
fn covered_domains(spec: &ExportSpec) -> Vec<String> {
    match &spec.domains {
        Domains::All => DEMO_DOMAINS.iter().map(|d| (*d).to_owned()).collect(),
        Domains::List(list) => list.clone(),
    }
}

const CARRIERS: [(&str, &str, f64); 5] = [
    ("China Telecom", "中国电信", 0.36),
    ("China Mobile", "中国移动", 0.31),
    ("China Unicom", "中国联通", 0.25),
    ("CERNET", "教育网", 0.03),
    ("Others", "其他", 0.05),
];

/// Rows in one top list (per domain when grouped).
const TOP_ROWS: usize = 100;
/// Bytes gathered before a chunk is sent.
const CHUNK: usize = 64 * 1024;

/// The file's name without extension, which is also the task's name: what, which measure, when.
pub fn stem(spec: &ExportSpec) -> String {
    let when = |ms: i64| {
        DateTime::from_timestamp_millis(ms).map_or_else(String::new, |t| t.format("%Y%m%dT%H%MZ").to_string())
    };
    let measure = match spec.action {
        StatsAction::Uv => String::new(),
        _ => format!("_{}", spec.stat_type.as_str()),
    };
    let granularity = if spec.action.is_top_list() { String::new() } else { format!("_{}s", spec.interval.seconds()) };
    format!("{}{measure}_{}-{}{granularity}", spec.action.as_str(), when(spec.start_ms), when(spec.end_ms))
}

pub fn file_name(spec: &ExportSpec) -> String {
    format!("{}.csv", stem(spec))
}

/// The CSV body, generated chunk by chunk.
pub fn chunks(spec: ExportSpec, seed: u64) -> impl Iterator<Item = Bytes> + Send {
    let mut rows = rows(spec, seed).peekable();
    // A byte-order mark, so spreadsheet programs read the Chinese headings as UTF-8.
    let mut buffer = String::from('\u{feff}');
    std::iter::from_fn(move || {
        while buffer.len() < CHUNK {
            match rows.next() {
                Some(row) => {
                    buffer.push_str(&row);
                    buffer.push_str("\r\n");
                }
                None => break,
            }
        }
        if buffer.is_empty() {
            None
        } else {
            Some(Bytes::from(std::mem::take(&mut buffer)))
        }
    })
}

/// Every line of the file, heading first.
pub fn rows(spec: ExportSpec, seed: u64) -> Box<dyn Iterator<Item = String> + Send> {
    let domains = covered_domains(&spec);
    let area = area_factor(spec.service_area);
    let interval_s = spec.interval.seconds();
    let models: Vec<TrafficModel> = domains.iter().map(|d| TrafficModel::new(seed, d, area, interval_s)).collect();
    let zh = spec.language == Language::Zh;
    let text = move |en: &'static str, zh_text: &'static str| if zh { zh_text } else { en };
    let grouped = spec.group_by_domain;

    // Without grouping the domains are summed into one series or list. Groups hold indexes into
    // `domains` and `models`.
    let groups: Vec<Vec<usize>> =
        if grouped { (0..domains.len()).map(|d| vec![d]).collect() } else { vec![(0..domains.len()).collect()] };
    let domain_heading = grouped.then(|| text("Domain", "域名"));

    if spec.action.is_top_list() {
        let key = match spec.action {
            StatsAction::TopUrlDetail => text("URL", "URL"),
            StatsAction::TopUaDetail => text("User agent", "User-Agent"),
            StatsAction::TopRefererDetail => text("Referer", "Referer"),
            StatsAction::TopIpDetail => text("Client IP", "客户端IP"),
            _ => text("Path", "路径"),
        };
        let heading = [
            Some(text("Rank", "排名")),
            domain_heading,
            Some(key),
            Some(measure_heading(&spec, zh)),
            Some(text("Share (%)", "占比(%)")),
        ];
        let heading = heading.into_iter().flatten().collect::<Vec<_>>().join(",");
        let buckets = (spec.end_ms.saturating_sub(spec.start_ms) / (spec.interval.seconds() * 1000)).max(1);
        let body = groups.into_iter().flat_map(move |group| {
            let total: f64 = group.iter().map(|&d| models[d].mean(spec.stat_type) * buckets as f64).sum();
            let label = grouped.then(|| domains[group[0]].clone());
            let first_domain = group.first().map_or_else(String::new, |&d| domains[d].clone());
            let harmonic: f64 = (1..=TOP_ROWS).map(|k| 1.0 / (k as f64).powf(1.1)).sum();
            // One draw per rank, in rank order; every list starts its generator afresh, so a rank
            // has the same key (but for the domain in it) in every group.
            let mut draws = seeded::generator(seed, "cdn top list", "");
            (1..=TOP_ROWS).map(move |rank| {
                let share = 1.0 / (rank as f64).powf(1.1) / harmonic;
                let key = top_key(spec.action, &first_domain, rank, draws.next_u64());
                let cells = [
                    Some(rank.to_string()),
                    label.clone(),
                    Some(csv_cell(&key)),
                    Some(format!("{:.0}", total * share)),
                    Some(format!("{:.2}", share * 100.0)),
                ];
                cells.into_iter().flatten().collect::<Vec<_>>().join(",")
            })
        });
        return Box::new(std::iter::once(heading).chain(body));
    }

    let time_heading = text("Time (UTC)", "时间(UTC)");
    let step_ms = spec.interval.seconds() * 1000;
    let first = spec.start_ms.checked_sub(spec.start_ms.rem_euclid(step_ms));
    // Checked, so the series ends where `i64` would: the model's time range keeps real tasks far
    // from it, but the file must be finite whatever spec it is given.
    let times = move || {
        (0_i64..).map_while(move |i| first?.checked_add(i.checked_mul(step_ms)?)).take_while(move |t| *t < spec.end_ms)
    };
    let carriers = spec.action == StatsAction::IspDetail;
    let heading = [
        Some(time_heading),
        domain_heading,
        carriers.then(|| text("Carrier", "运营商")),
        Some(measure_heading(&spec, zh)),
    ];
    let heading = heading.into_iter().flatten().collect::<Vec<_>>().join(",");
    let shares: Vec<(Option<&'static str>, f64)> = if carriers {
        CARRIERS.iter().map(|(en, zh_name, share)| (Some(if zh { *zh_name } else { *en }), *share)).collect()
    } else {
        vec![(None, 1.0)]
    };
    let series = seeded::generator(seed, "cdn series", "");
    // A bucket's rows at a time (at most 100 domains times 5 carriers), so its draws come in one
    // fixed order: each domain's noise, then each row's jitter.
    let body = times().flat_map(move |t| {
        let stamp =
            DateTime::from_timestamp_millis(t).map_or_else(String::new, |d| d.format("%Y-%m-%d %H:%M:%S").to_string());
        // Each bucket draws from its own stream (ChaCha's stream number is the bucket's time), so
        // a bucket's numbers do not depend on where the span starts.
        let mut draws = series.clone();
        draws.set_stream(t as u64);
        let values: Vec<f64> =
            models.iter().map(|model| model.value(t, spec.stat_type, spec.action, draws.random())).collect();
        let mut rows = Vec::with_capacity(groups.len() * shares.len());
        for group in &groups {
            let value: f64 = group.iter().map(|&d| values[d]).sum();
            for (carrier, share) in &shares {
                let jitter = 0.9 + 0.2 * draws.random::<f64>();
                let cells = [
                    Some(stamp.as_str()),
                    grouped.then(|| domains[group[0]].as_str()),
                    *carrier,
                    Some(&format!("{:.0}", value * share * jitter)),
                ];
                rows.push(cells.into_iter().flatten().collect::<Vec<_>>().join(","));
            }
        }
        rows
    });
    Box::new(std::iter::once(heading).chain(body))
}

fn measure_heading(spec: &ExportSpec, zh: bool) -> &'static str {
    match (spec.action, spec.stat_type, zh) {
        (StatsAction::Uv, _, false) => "Unique visitors",
        (StatsAction::Uv, _, true) => "独立访客数",
        (_, StatType::Flux, false) => "Traffic (Byte)",
        (_, StatType::Flux, true) => "流量(Byte)",
        (_, StatType::ReqNum, false) => "Requests",
        (_, StatType::ReqNum, true) => "请求数",
    }
}

fn area_factor(area: ServiceArea) -> f64 {
    match area {
        ServiceArea::MainlandChina => 1.0,
        ServiceArea::OutsideMainlandChina => 0.3,
        ServiceArea::Global => 1.3,
    }
}

/// Traffic of one domain over time, in bytes, requests or visitors per bucket.
#[derive(Clone, Copy)]
struct TrafficModel {
    /// Bytes per five minutes at the daily average: 100 MB to 10 GB depending on the domain.
    scale: f64,
    /// Average object size of the domain: 40 KB to 400 KB.
    object_size: f64,
    interval_s: i64,
}

impl TrafficModel {
    /// The model of `domain` in a file seeded with `seed`: the same domain in the same file, the
    /// same scale.
    fn new(seed: u64, domain: &str, area: f64, interval_s: i64) -> Self {
        let mut draws = seeded::generator(seed, "cdn domain", domain);
        let scale = 10f64.powf(8.0 + 2.0 * draws.random::<f64>()) * area;
        let object_size = 40_000.0 * 10f64.powf(draws.random::<f64>());
        Self { scale, object_size, interval_s }
    }

    fn mean(&self, stat: StatType) -> f64 {
        let bytes = self.scale * self.interval_s as f64 / 300.0;
        match stat {
            StatType::Flux => bytes,
            StatType::ReqNum => bytes / self.object_size,
        }
    }

    /// The bucket at `t_ms`; `unit_noise` (drawn from 0 to 1) moves it by up to 15% either way.
    fn value(&self, t_ms: i64, stat: StatType, action: StatsAction, unit_noise: f64) -> f64 {
        // Beijing time of day in hours; traffic bottoms out around 04:00 and peaks around 21:00.
        let hour = ((t_ms / 1000 + 8 * 3600).rem_euclid(86_400)) as f64 / 3600.0;
        let daily = 0.25 + 1.5 * (0.5 - 0.5 * ((hour - 4.5) / 24.0 * TAU).cos()).powf(1.6);
        let noise = 0.85 + 0.3 * unit_noise;
        let bytes = self.scale * self.interval_s as f64 / 300.0 * daily * noise;
        match (action, stat) {
            // A visitor fetches about 5 MB of a site per bucket.
            (StatsAction::Uv, _) => bytes / 5_000_000.0,
            (_, StatType::Flux) => bytes,
            (_, StatType::ReqNum) => bytes / self.object_size,
        }
    }
}

/// The key of `rank` in a top list, from one drawn number `n`.
fn top_key(action: StatsAction, domain: &str, rank: usize, n: u64) -> String {
    const AGENTS: [&str; 6] = [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
        "okhttp/4.12.0",
        "curl/8.5.0",
    ];
    let domain = if domain.is_empty() { DEMO_DOMAINS[0] } else { domain.trim_start_matches("*.") };
    match action {
        StatsAction::TopUrlDetail => format!(
            "https://{domain}/static/{:x}/asset-{rank}.{}",
            n % 4096,
            ["jpg", "js", "css", "mp4", "png"][rank % 5]
        ),
        StatsAction::TopUaDetail => format!("{} build/{}", AGENTS[rank % AGENTS.len()], rank),
        StatsAction::TopRefererDetail => format!(
            "https://{}/page/{}",
            ["www.example.org", "news.example.net", "m.example.com"][rank % 3],
            n % 10_000
        ),
        StatsAction::TopIpDetail => {
            format!("{}.{}.{}.{}", 1 + n % 223, (n >> 8) % 256, (n >> 16) % 256, 1 + (n >> 24) % 254)
        }
        _ => format!("/{}/{}/item-{rank}", ["static", "video", "api", "download"][rank % 4], n % 1000),
    }
}

/// Quotes a cell when CSV needs it (commas, quotes; user agents have both).
fn csv_cell(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use export_desk_model::huawei_cdn::ExportTaskVo;

    const DAY: i64 = 86_400_000;
    const START: i64 = 1_763_942_400_000; // 2025-11-24T00:00Z

    fn spec(action: &str, extra: impl FnOnce(&mut ExportTaskVo)) -> ExportSpec {
        let mut vo = ExportTaskVo {
            action: Some(action.into()),
            domain_name: Some("a.example.com,b.example.com".into()),
            start_time: Some(START),
            end_time: Some(START + DAY),
            language: Some("en".into()),
            ..Default::default()
        };
        extra(&mut vo);
        vo.validate().unwrap()
    }

    fn lines(spec: &ExportSpec) -> Vec<String> {
        let bytes: Vec<u8> = chunks(spec.clone(), 42).flat_map(|b| b.to_vec()).collect();
        let text = String::from_utf8(bytes).unwrap();
        text.trim_start_matches('\u{feff}').split("\r\n").filter(|l| !l.is_empty()).map(str::to_owned).collect()
    }

    #[test]
    fn a_time_series_has_one_row_per_bucket_summed_over_domains() {
        let rows = lines(&spec("reports_detail", |_| {}));
        assert_eq!(rows[0], "Time (UTC),Traffic (Byte)");
        assert_eq!(rows.len(), 1 + 288);
        assert!(rows[1].starts_with("2025-11-24 00:00:00,"));
        assert!(rows[288].starts_with("2025-11-24 23:55:00,"));
        let value: f64 = rows[1].split(',').nth(1).unwrap().parse().unwrap();
        assert!(value > 0.0);
    }

    #[test]
    fn grouping_by_domain_gives_a_row_per_domain_and_hourly_interval_fewer_rows() {
        let rows = lines(&spec("reports_detail", |vo| {
            vo.group_by = Some("domain".into());
            vo.interval = Some(3600);
            vo.stat_type = Some("req_num".into());
        }));
        assert_eq!(rows[0], "Time (UTC),Domain,Requests");
        assert_eq!(rows.len(), 1 + 24 * 2);
        assert!(rows[1].contains(",a.example.com,") && rows[2].contains(",b.example.com,"));
    }

    #[test]
    fn carrier_data_splits_each_bucket_by_carrier_in_chinese_when_asked() {
        let rows = lines(&spec("isp_detail", |vo| {
            vo.language = Some("zh".into());
            vo.interval = Some(3600);
        }));
        assert_eq!(rows[0], "时间(UTC),运营商,流量(Byte)");
        assert_eq!(rows.len(), 1 + 24 * CARRIERS.len());
        assert!(rows[1].contains("中国电信"));
    }

    #[test]
    fn top_lists_rank_keys_and_shares_add_up() {
        let rows = lines(&spec("top_ua_detail", |_| {}));
        assert_eq!(rows[0], "Rank,User agent,Traffic (Byte),Share (%)");
        assert_eq!(rows.len(), 1 + TOP_ROWS);
        assert!(rows[1].starts_with("1,\"Mozilla"), "user agents with commas are quoted: {}", rows[1]);
        let values: Vec<f64> = rows[1..].iter().map(|r| r.rsplit(',').nth(1).unwrap().parse().unwrap()).collect();
        assert!(values.windows(2).all(|w| w[0] >= w[1]), "ranked by value");
    }

    #[test]
    fn a_span_at_the_end_of_i64_still_makes_a_finite_file() {
        // What the model's time range refuses; made here directly, as an older state file could hold it.
        let mut spec = spec("reports_detail", |_| {});
        spec.start_ms = 9_223_372_036_854_775_000;
        spec.end_ms = i64::MAX;
        let rows = lines(&spec);
        assert_eq!(rows.len(), 2, "the heading and the one bucket before i64 ends: {rows:?}");
        spec.start_ms = i64::MIN;
        spec.end_ms = i64::MIN + 1;
        assert!(lines(&spec).len() <= 2);
        spec.action = StatsAction::TopIpDetail;
        spec.end_ms = i64::MAX;
        assert_eq!(lines(&spec).len(), 1 + TOP_ROWS);
    }

    #[test]
    fn a_bucket_is_the_same_whichever_span_holds_it() {
        let rows = |start_hours: i64| {
            lines(&spec("isp_detail", |vo| {
                vo.start_time = Some(START + start_hours * 3_600_000);
                vo.group_by = Some("domain".into());
            }))
        };
        let whole = rows(0);
        let later = rows(6);
        // Each 5-minute bucket has 2 domains × 5 carriers rows; six hours are 72 buckets.
        assert_eq!(later[1..], whole[1 + 72 * 10..]);
    }

    #[test]
    fn the_same_task_downloads_the_same_file() {
        let spec = spec("uv", |_| {});
        assert_eq!(lines(&spec), lines(&spec));
        assert_eq!(lines(&spec)[0], "Time (UTC),Unique visitors");
    }

    #[test]
    fn names_say_what_the_file_holds() {
        assert_eq!(
            file_name(&spec("reports_detail", |_| {})),
            "reports_detail_flux_20251124T0000Z-20251125T0000Z_300s.csv"
        );
        assert_eq!(stem(&spec("uv", |vo| vo.interval = Some(3600))), "uv_20251124T0000Z-20251125T0000Z_3600s");
        assert_eq!(stem(&spec("top_url_detail", |_| {})), "top_url_detail_flux_20251124T0000Z-20251125T0000Z");
    }
}
