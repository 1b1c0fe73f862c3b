//! The file a completed CLS export downloads: a real `.tar.gz` holding one member, the exported
//! logs as JSON lines or CSV, in the requested order.
//!
//! Each topic of the mock account has a log stream that is a pure function of the mock's seed:
//! every second of time holds a seeded number of logs with seeded fields. An export takes the
//! logs of its span that the topic still kept (its retention, counted back from the export's
//! creation, and nothing later than the creation) and keeps the first `Count` in its order, at
//! most [`FILE_LINES_MAX`]. Simple `field:value` terms of the query are honoured by giving every
//! log that value (see [`Job::new`]).
//!
//! Nothing is held in memory: lines are generated and compressed chunk by chunk while the body
//! streams. A tar header names the member's size before its content, and `FileSize` must be the
//! exact byte count served, so [`measure`] runs the same generator once to learn both.

use crate::mock::seeded;
use bytes::Bytes;
use export_desk_model::tencent_cls::{ExportSpec, Format, Order, TOPICS};
use flate2::write::GzEncoder;
use flate2::Compression;
use rand::seq::IndexedRandom;
use rand::{Rng, RngCore};
use rand_chacha::ChaCha8Rng;
use std::io::Write;

/// (mock) Most lines one exported file holds, whatever `Count` asks: a bound on the work a file
/// costs (about 25 MB of JSON before compression).
pub const FILE_LINES_MAX: u64 = 100_000;
/// Uncompressed bytes gathered before the compressor's output is handed on.
const CHUNK: usize = 64 * 1024;
const TAR_BLOCK: u64 = 512;

/// The fields every CLS log carries besides its own.
const TIMESTAMP: &str = "__TIMESTAMP__";
const SOURCE: &str = "__SOURCE__";
const FILENAME: &str = "__FILENAME__";

/// What a topic's logs look like and how many there are.
pub struct Profile {
    pub topic_id: &'static str,
    /// Logs older than this (counted back from an export's creation) are gone.
    pub retention_days: i64,
    /// Each second holds 0 to this many logs, evenly drawn: the mean rate is half of it.
    pub max_per_second: u64,
    pub filename: &'static str,
    pub sources: &'static [&'static str],
    pub fields: &'static [&'static str],
    kind: Kind,
}

#[derive(Clone, Copy)]
enum Kind {
    Nginx,
    Backend,
    Audit,
    Archive,
}

/// One profile per topic of [`export_desk_model::tencent_cls::TOPICS`], in the same order.
pub const PROFILES: [Profile; 4] = [
    Profile {
        topic_id: "2f6c1d3e-8a47-4b9e-9c21-5d7e3f4a6b80",
        retention_days: TOPICS[0].period_days as i64,
        max_per_second: 8,
        filename: "/var/log/nginx/access.log",
        sources: &["10.0.1.11", "10.0.1.12", "10.0.2.21"],
        fields: &[
            "remote_addr",
            "method",
            "url",
            "status",
            "body_bytes_sent",
            "request_time",
            "http_referer",
            "http_user_agent",
            "host",
        ],
        kind: Kind::Nginx,
    },
    Profile {
        topic_id: "7b1e9a24-3c5d-4e6f-8a90-b1c2d3e4f5a6",
        retention_days: TOPICS[1].period_days as i64,
        max_per_second: 4,
        filename: "/data/app/logs/backend.log",
        sources: &["10.0.3.17", "10.0.3.18"],
        fields: &["level", "logger", "trace_id", "message", "latency_ms"],
        kind: Kind::Backend,
    },
    Profile {
        topic_id: "c4d8e2f1-6a3b-4c7d-9e0f-1a2b3c4d5e6f",
        retention_days: TOPICS[2].period_days as i64,
        max_per_second: 1,
        filename: "/var/log/audit/audit.log",
        sources: &["10.0.9.5"],
        fields: &["user", "action", "resource", "result", "source_ip"],
        kind: Kind::Audit,
    },
    Profile {
        topic_id: "e9f0a1b2-c3d4-4e5f-a6b7-c8d9e0f1a2b3",
        retention_days: TOPICS[3].period_days as i64,
        max_per_second: 1,
        filename: "/var/log/legacy/app.log",
        sources: &["10.0.5.2"],
        fields: &["line"],
        kind: Kind::Archive,
    },
];

pub fn profile(topic_id: &str) -> Option<&'static Profile> {
    PROFILES.iter().find(|profile| profile.topic_id == topic_id)
}

/// Everything needed to generate one export's file, the same way every time.
#[derive(Debug, Clone)]
pub struct Job {
    topic_id: &'static str,
    /// The topic's log stream under the mock's seed; [`Timeline`] reads one stream of it per second.
    logs: ChaCha8Rng,
    /// The logs that exist for this export: `[start_ms, end_ms)`.
    start_ms: i64,
    end_ms: i64,
    order: Order,
    format: Format,
    lines: u64,
    columns: Vec<String>,
    /// Fields the query pins to one value.
    pinned: Vec<(String, String)>,
    /// The archive member's name and modification time.
    pub member_name: String,
    mtime_s: i64,
}

/// Sizes of a file: its member's content and the compressed archive as served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileLayout {
    pub content_len: u64,
    pub file_size: u64,
}

impl Job {
    /// The file of `spec`, created at `created_ms` and finished at `finished_ms`, on a topic
    /// whose logs derive from `seed`. `stem` is the file name without `.tar.gz`.
    ///
    /// The query shapes the logs only when it is a plain conjunction of `field:value` terms
    /// (`status:500 AND method:GET`): every log then has those values. A query with `OR`, `NOT`,
    /// parentheses or wildcards cannot be honoured that way and leaves the logs as they are.
    pub fn new(
        spec: &ExportSpec,
        profile: &'static Profile,
        seed: u64,
        created_ms: i64,
        finished_ms: i64,
        stem: &str,
    ) -> Self {
        let kept_from = created_ms.saturating_sub(profile.retention_days * 86_400_000);
        let pinned = pinned_fields(&spec.query);
        let columns = match spec.derived_fields.as_deref() {
            Some(fields) if !fields.is_empty() => fields.to_vec(),
            _ => {
                let mut columns: Vec<String> =
                    [TIMESTAMP, SOURCE, FILENAME].iter().chain(profile.fields).map(|f| (*f).to_owned()).collect();
                for (field, _) in &pinned {
                    if !columns.contains(field) {
                        columns.push(field.clone());
                    }
                }
                columns
            }
        };
        let extension = match spec.format {
            Format::Json => "json",
            Format::Csv => "csv",
        };
        Self {
            topic_id: profile.topic_id,
            logs: seeded::generator(seed, "cls topic logs", profile.topic_id),
            start_ms: spec.from_ms.max(kept_from),
            end_ms: spec.to_ms.min(created_ms),
            order: spec.order,
            format: spec.format,
            lines: spec.count.min(FILE_LINES_MAX),
            columns,
            pinned,
            member_name: format!("{stem}.{extension}"),
            mtime_s: finished_ms.div_euclid(1000),
        }
    }

    fn profile(&self) -> &'static Profile {
        profile(self.topic_id).expect("jobs are made for known topics")
    }

    /// The member's text, line by line (CSV: the heading first), each with its `\n`.
    pub fn lines(&self) -> impl Iterator<Item = String> + Send + '_ {
        let heading = (self.format == Format::Csv)
            .then(|| self.columns.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(",") + "\n");
        let logs = Timeline::new(self).take(usize::try_from(self.lines).unwrap_or(usize::MAX));
        heading.into_iter().chain(logs.map(move |log| self.render(&log)))
    }

    fn render(&self, log: &Log) -> String {
        let profile = self.profile();
        let value = |column: &str| -> Option<String> {
            if let Some((_, pinned)) = self.pinned.iter().find(|(field, _)| field == column) {
                return Some(pinned.clone());
            }
            match column {
                TIMESTAMP => Some(log.time_ms.to_string()),
                SOURCE => Some(log.source.to_owned()),
                FILENAME => Some(profile.filename.to_owned()),
                _ => profile.fields.iter().position(|f| *f == column).map(|i| log.values[i].clone()),
            }
        };
        let mut line = String::with_capacity(256);
        match self.format {
            Format::Json => {
                line.push('{');
                let mut first = true;
                for column in &self.columns {
                    let Some(text) = value(column) else { continue };
                    if !first {
                        line.push(',');
                    }
                    first = false;
                    line.push_str(&serde_json::Value::from(column.as_str()).to_string());
                    line.push(':');
                    // Queries cannot pin the time (see `pinned_fields`), so it is always a number.
                    if column == TIMESTAMP {
                        line.push_str(&text);
                    } else {
                        line.push_str(&serde_json::Value::from(text).to_string());
                    }
                }
                line.push('}');
            }
            Format::Csv => {
                let cells: Vec<String> =
                    self.columns.iter().map(|c| value(c).map(|t| csv_cell(&t)).unwrap_or_default()).collect();
                line.push_str(&cells.join(","));
            }
        }
        line.push('\n');
        line
    }

    /// The archive as served, chunk by chunk. `content_len` is the member's size, from [`measure`].
    pub fn archive(self, content_len: u64) -> impl Iterator<Item = Bytes> + Send {
        let header = tar_header(&self.member_name, content_len, self.mtime_s);
        // tar's `Builder` would write the member whole in one call; the body streams, so only the
        // header is tar's, and the padding and end blocks below are written as the lines run out.
        let padding = (TAR_BLOCK - content_len % TAR_BLOCK) % TAR_BLOCK;
        let mut encoder = Some(GzEncoder::new(Vec::with_capacity(CHUNK), Compression::fast()));
        let mut pending = header.as_bytes().to_vec();
        let mut lines = OwnedLines::new(self);
        std::iter::from_fn(move || loop {
            let gz = encoder.as_mut()?;
            let more = loop {
                if pending.len() >= CHUNK {
                    break true;
                }
                match lines.next() {
                    Some(line) => pending.extend_from_slice(line.as_bytes()),
                    None => break false,
                }
            };
            gz.write_all(&pending).expect("writing to memory");
            pending.clear();
            if !more {
                // End of archive: pad the member to a whole block, then two empty blocks.
                gz.write_all(&vec![0; (padding + 2 * TAR_BLOCK) as usize]).expect("writing to memory");
                let rest = encoder.take()?.finish().expect("writing to memory");
                return Some(Bytes::from(rest));
            }
            let out = std::mem::take(gz.get_mut());
            if !out.is_empty() {
                return Some(Bytes::from(out));
            }
        })
    }
}

/// The member's size and the archive's, by generating the file once (twice for the text: the
/// tar header before the content names its size).
pub fn measure(job: &Job) -> FileLayout {
    let content_len: u64 = job.lines().map(|line| line.len() as u64).sum();
    let file_size = job.clone().archive(content_len).map(|chunk| chunk.len() as u64).sum();
    FileLayout { content_len, file_size }
}

/// [`Job::lines`] for a job it owns, so a streaming body can hold it.
struct OwnedLines {
    job: Job,
    timeline: Timeline,
    heading_done: bool,
    left: u64,
}

impl OwnedLines {
    fn new(job: Job) -> Self {
        let timeline = Timeline::new(&job);
        Self { heading_done: job.format != Format::Csv, left: job.lines, timeline, job }
    }
}

impl Iterator for OwnedLines {
    type Item = String;

    fn next(&mut self) -> Option<String> {
        if !self.heading_done {
            self.heading_done = true;
            return self.job.lines().next();
        }
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        self.timeline.next().map(|log| self.job.render(&log))
    }
}

/// One log of a topic's stream.
struct Log {
    time_ms: i64,
    source: &'static str,
    values: Vec<String>,
}

/// A topic's logs within `[start_ms, end_ms)`, oldest or newest first, one second at a time.
struct Timeline {
    profile: &'static Profile,
    logs: ChaCha8Rng,
    start_ms: i64,
    end_ms: i64,
    forward: bool,
    /// The next second to open, and the last one there is (inclusive, in walking direction).
    second: i64,
    last_second: i64,
    /// Logs of the open second, stored so that `pop` yields them in walking order.
    pending: Vec<Log>,
}

impl Timeline {
    fn new(job: &Job) -> Self {
        let first = job.start_ms.div_euclid(1000);
        let last = job.end_ms.saturating_sub(1).div_euclid(1000);
        let forward = job.order == Order::Asc;
        let empty = job.end_ms <= job.start_ms;
        let (second, last_second) = match (empty, forward) {
            // Walk nothing: start past the end.
            (true, _) => (1, 0),
            (false, true) => (first, last),
            (false, false) => (last, first),
        };
        Self {
            profile: job.profile(),
            logs: job.logs.clone(),
            start_ms: job.start_ms,
            end_ms: job.end_ms,
            forward,
            second,
            last_second,
            pending: Vec::new(),
        }
    }

    fn open(&mut self, second: i64) {
        // Each second is its own ChaCha stream (the stream number is the second), read from its
        // start: a second's logs are the same whichever export, order or span reads them.
        let draws = &mut self.logs;
        draws.set_stream(second as u64);
        draws.set_word_pos(0);
        let count = draws.random_range(0..=self.profile.max_per_second);
        let mut offsets: Vec<i64> = (0..count).map(|_| draws.random_range(0..1000)).collect();
        offsets.sort_unstable();
        // Every log of the second is drawn, even one outside the span, so the draws of those
        // after it do not depend on where the span cuts the second.
        let (sources, kind) = (self.profile.sources, self.profile.kind);
        let drawn: Vec<(i64, &'static str, Vec<String>)> =
            offsets.into_iter().map(|offset| (offset, pick(draws, sources), values(kind, draws))).collect();
        self.pending = drawn
            .into_iter()
            .filter_map(|(offset, source, values)| {
                // Checked: a second at the end of `i64` has no room for its milliseconds.
                let time_ms = second.checked_mul(1000)?.checked_add(offset)?;
                (self.start_ms..self.end_ms).contains(&time_ms).then_some(Log { time_ms, source, values })
            })
            .collect();
        if self.forward {
            self.pending.reverse();
        }
    }
}

impl Iterator for Timeline {
    type Item = Log;

    fn next(&mut self) -> Option<Log> {
        loop {
            if let Some(log) = self.pending.pop() {
                return Some(log);
            }
            let done = if self.forward { self.second > self.last_second } else { self.second < self.last_second };
            if done {
                return None;
            }
            let second = self.second;
            self.second += if self.forward { 1 } else { -1 };
            self.open(second);
        }
    }
}

fn values(kind: Kind, draws: &mut ChaCha8Rng) -> Vec<String> {
    match kind {
        Kind::Nginx => {
            const PATHS: [&str; 8] = [
                "/",
                "/index.html",
                "/api/v1/orders",
                "/api/v1/orders/detail",
                "/static/app.js",
                "/static/style.css",
                "/images/banner.jpg",
                "/api/v1/login",
            ];
            const AGENTS: [&str; 4] = [
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
                "okhttp/4.12.0",
                "curl/8.5.0",
            ];
            let status = match draws.random_range(0..100) {
                0..=79 => "200",
                80..=87 => "304",
                88..=91 => "301",
                92..=96 => "404",
                97..=98 => "500",
                _ => "502",
            };
            let method = pick(draws, &["GET", "GET", "GET", "GET", "GET", "POST", "POST", "PUT", "DELETE"]);
            let path = pick(draws, &PATHS);
            let url = if path.starts_with("/api/") {
                format!("{path}?id={}", draws.random_range(0..100_000))
            } else {
                path.into()
            };
            vec![
                format!(
                    "{}.{}.{}.{}",
                    1 + draws.random_range(0..223),
                    draws.random_range(0..256),
                    draws.random_range(0..256),
                    1 + draws.random_range(0..254)
                ),
                method.into(),
                url,
                status.into(),
                draws.random_range(0..200_000).to_string(),
                format!("{:.3}", draws.random_range(0..2_000) as f64 / 1000.0),
                pick(draws, &["-", "https://www.example.com/", "https://m.example.com/list"]).into(),
                pick(draws, &AGENTS).into(),
                "www.example.com".into(),
            ]
        }
        Kind::Backend => {
            let level = match draws.random_range(0..100) {
                0..=74 => "INFO",
                75..=89 => "WARN",
                90..=96 => "ERROR",
                _ => "DEBUG",
            };
            let message = match level {
                "ERROR" => pick(
                    draws,
                    &[
                        "payment gateway timed out after 3 retries",
                        "failed to write order to database: deadlock detected",
                        "upstream returned 502 Bad Gateway",
                    ],
                ),
                "WARN" => {
                    pick(draws, &["slow query took over 500 ms", "cache miss rate above 30%", "retrying request"])
                }
                _ => pick(draws, &["order created", "user signed in", "request handled", "cache refreshed"]),
            };
            vec![
                level.into(),
                pick(draws, &["order.service", "payment.client", "user.repository", "http.server"]).into(),
                format!("{:016x}{:016x}", draws.next_u64(), draws.next_u64()),
                message.into(),
                draws.random_range(0..1_500).to_string(),
            ]
        }
        Kind::Audit => vec![
            pick(draws, &["alice", "bob", "carol", "deploy-bot", "ops-oncall"]).into(),
            pick(draws, &["Login", "Logout", "CreateExport", "DeleteExport", "ModifyTopic", "SearchLog"]).into(),
            format!("qcs::cls:ap-guangzhou:uin/100000000001:topic/{}", pick(draws, &["nginx-access", "app-backend"])),
            if draws.random_range(0..10) == 0 { "Denied" } else { "Success" }.into(),
            format!("203.0.113.{}", 1 + draws.random_range(0..254)),
        ],
        Kind::Archive => vec![format!("legacy record {}", draws.random_range(0..1_000_000))],
    }
}

/// The fields a plain conjunction of `field:value` terms pins, or none when the query is
/// anything more (see [`Job::new`]). `*` and an empty query pin nothing.
pub fn pinned_fields(query: &str) -> Vec<(String, String)> {
    let mut pinned: Vec<(String, String)> = Vec::new();
    for token in tokens(query) {
        if matches!(token.as_str(), "AND" | "and" | "&&" | "*") {
            continue;
        }
        let Some((field, value)) = token.split_once(':') else { return Vec::new() };
        let value = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(value);
        let plain_field = !field.is_empty() && field.chars().all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
        let plain_value = !value.is_empty() && !value.contains(['*', '?', '(', ')', '[', ']', '{', '}']);
        if !plain_field || !plain_value || field == TIMESTAMP || matches!(field, "NOT" | "OR") {
            return Vec::new();
        }
        match pinned.iter_mut().find(|(f, _)| f == field) {
            // `a:1 AND a:2` matches nothing real; the mock keeps the last and does not pretend.
            Some(entry) => entry.1 = value.to_owned(),
            None => pinned.push((field.to_owned(), value.to_owned())),
        }
    }
    pinned
}

/// Splits on whitespace outside double quotes.
fn tokens(query: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in query.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                current.push(c);
            }
            c if c.is_whitespace() && !quoted => {
                if !current.is_empty() {
                    tokens.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        tokens.push(current);
    }
    tokens
}

/// The member's POSIX ustar header: a regular file `name` of `size` bytes, mode 0644, owned by
/// uid/gid 0 named `cls`, modified at `mtime_s` (a time before 1970, which the field cannot hold,
/// reads as the epoch).
fn tar_header(name: &str, size: u64, mtime_s: i64) -> tar::Header {
    let mut header = tar::Header::new_ustar();
    // Member names are `exports::file_name`'s: a plain file name of under 100 bytes (a test there
    // checks the longest), which the header's name field always holds.
    header.set_path(name).expect("a member name is a plain file name that fits a ustar header");
    header.set_entry_type(tar::EntryType::Regular);
    header.set_mode(0o644);
    header.set_uid(0);
    header.set_gid(0);
    header.set_size(size);
    header.set_mtime(u64::try_from(mtime_s).unwrap_or(0));
    header.set_username("cls").expect("a short user name fits");
    header.set_groupname("cls").expect("a short group name fits");
    header.set_cksum();
    header
}

/// Quotes a cell when CSV needs it.
fn csv_cell(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// One of `options`, evenly drawn.
fn pick<'a>(draws: &mut ChaCha8Rng, options: &[&'a str]) -> &'a str {
    options.choose(draws).copied().expect("option lists are not empty")
}

#[cfg(test)]
mod tests {
    use super::*;
    use export_desk_model::tencent_cls::{CreateExportRequest, TOPICS};
    use std::io::Read;

    const NOW: i64 = 1_763_942_400_000;
    const MINUTE: i64 = 60_000;

    fn job(topic: usize, edit: impl FnOnce(&mut CreateExportRequest)) -> Job {
        let mut request = CreateExportRequest {
            topic_id: Some(TOPICS[topic].id.into()),
            count: Some(50),
            query: Some("*".into()),
            from: Some(NOW - 10 * MINUTE),
            to: Some(NOW),
            ..Default::default()
        };
        edit(&mut request);
        let spec = request.validate().unwrap();
        Job::new(&spec, profile(&spec.topic_id).unwrap(), 9, NOW, NOW + MINUTE, "log_test")
    }

    /// The one member of a job's archive, read back with `tar` (which checks the header's
    /// checksum), and its header's fields checked.
    fn unpack(job: &Job) -> (String, Vec<u8>, FileLayout) {
        let layout = measure(job);
        let archive: Vec<u8> = job.clone().archive(layout.content_len).flat_map(|chunk| chunk.to_vec()).collect();
        assert_eq!(archive.len() as u64, layout.file_size, "the measured size is the served size");
        let mut tar = Vec::new();
        flate2::read::GzDecoder::new(archive.as_slice()).read_to_end(&mut tar).unwrap();
        assert_eq!(tar.len() % 512, 0);
        assert!(tar.ends_with(&[0; 1024]), "two empty blocks end the archive");
        let mut reader = tar::Archive::new(tar.as_slice());
        let mut entries = reader.entries().unwrap();
        let mut member = entries.next().expect("one member").unwrap();
        let header = member.header();
        assert_eq!(&header.as_bytes()[257..265], b"ustar\x0000", "a POSIX ustar header");
        assert_eq!(header.entry_type(), tar::EntryType::Regular);
        assert_eq!((header.mode().unwrap(), header.uid().unwrap(), header.gid().unwrap()), (0o644, 0, 0));
        assert_eq!((header.username().unwrap(), header.groupname().unwrap()), (Some("cls"), Some("cls")));
        assert_eq!(header.mtime().unwrap(), u64::try_from(job.mtime_s).unwrap_or(0));
        assert_eq!(header.size().unwrap(), layout.content_len);
        let name = member.path().unwrap().to_str().unwrap().to_owned();
        let mut content = Vec::new();
        member.read_to_end(&mut content).unwrap();
        drop(member);
        assert!(entries.next().is_none(), "nothing but the member");
        (name, content, layout)
    }

    fn json_lines(job: &Job) -> Vec<serde_json::Value> {
        let (_, content, _) = unpack(job);
        String::from_utf8(content).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    }

    #[test]
    fn every_topic_has_a_profile() {
        for topic in TOPICS {
            assert!(profile(topic.id).is_some(), "{}", topic.name);
        }
    }

    #[test]
    fn json_exports_hold_count_logs_newest_first_within_the_span() {
        let job = job(0, |_| {});
        let (name, _, _) = unpack(&job);
        assert_eq!(name, "log_test.json");
        let logs = json_lines(&job);
        assert_eq!(logs.len(), 50);
        let times: Vec<i64> = logs.iter().map(|l| l["__TIMESTAMP__"].as_i64().unwrap()).collect();
        assert!(times.windows(2).all(|w| w[0] >= w[1]), "desc");
        assert!(times.iter().all(|t| (NOW - 10 * MINUTE..NOW).contains(t)));
        assert!(logs[0]["status"].is_string() && logs[0]["__SOURCE__"].is_string());
    }

    #[test]
    fn ascending_csv_starts_with_a_heading_and_the_oldest_log() {
        let job = job(1, |r| {
            r.order = Some("asc".into());
            r.format = Some("csv".into());
        });
        let (name, content, _) = unpack(&job);
        assert_eq!(name, "log_test.csv");
        let text = String::from_utf8(content).unwrap();
        let rows: Vec<&str> = text.lines().collect();
        assert_eq!(rows[0], "__TIMESTAMP__,__SOURCE__,__FILENAME__,level,logger,trace_id,message,latency_ms");
        assert_eq!(rows.len(), 51);
        let times: Vec<i64> = rows[1..].iter().map(|r| r.split(',').next().unwrap().parse().unwrap()).collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]), "asc");
        assert!(times[0] < NOW - 9 * MINUTE, "starts at the beginning of the span: {}", times[0]);
    }

    #[test]
    fn a_span_with_fewer_logs_than_count_exports_what_there_is() {
        // The future holds no logs yet, and audit-trail logs at most once a second.
        let job = job(2, |r| {
            r.from = Some(NOW - 20_000);
            r.to = Some(NOW + 3_600_000);
            r.count = Some(1_000);
        });
        let logs = json_lines(&job);
        assert!(logs.len() <= 20 && !logs.is_empty(), "{}", logs.len());
        let older_than_retention = job_with_span(NOW - 400 * 86_400_000, NOW - 300 * 86_400_000);
        assert!(json_lines(&older_than_retention).is_empty());
    }

    fn job_with_span(from: i64, to: i64) -> Job {
        job(2, |r| {
            r.from = Some(from);
            r.to = Some(to);
        })
    }

    #[test]
    fn simple_field_terms_pin_values_and_derived_fields_pick_columns() {
        let job = job(0, |r| {
            r.query = Some(r#"status:500 AND method:"POST""#.into());
            r.derived_fields = Some(vec!["status".into(), "method".into(), "url".into(), "nope".into()]);
        });
        for log in json_lines(&job) {
            let keys: Vec<&String> = log.as_object().unwrap().keys().collect();
            assert_eq!(keys.len(), 3, "{log}");
            assert_eq!((log["status"].as_str(), log["method"].as_str()), (Some("500"), Some("POST")));
        }
        assert!(pinned_fields("status:500 OR status:404").is_empty());
        assert!(pinned_fields("NOT status:200").is_empty());
        assert!(pinned_fields("url:/api*").is_empty());
        assert_eq!(pinned_fields("* AND level:ERROR"), [("level".to_owned(), "ERROR".to_owned())]);
    }

    #[test]
    fn a_span_at_the_end_of_i64_makes_a_finite_file() {
        // What the model's time range and the clock's bound refuse; made here directly.
        let request = CreateExportRequest {
            topic_id: Some(TOPICS[3].id.into()),
            count: Some(50),
            query: Some("*".into()),
            from: Some(NOW - MINUTE),
            to: Some(NOW),
            ..Default::default()
        };
        let mut spec = request.validate().unwrap();
        spec.from_ms = i64::MAX - 5_000;
        spec.to_ms = i64::MAX;
        let job = Job::new(&spec, profile(&spec.topic_id).unwrap(), 9, i64::MAX, i64::MAX, "log_test");
        let logs: Vec<String> = job.lines().collect();
        assert!(logs.len() <= 50, "{}", logs.len());
        let mut early = spec.clone();
        (early.from_ms, early.to_ms) = (i64::MIN, i64::MIN + 1);
        let job = Job::new(&early, profile(&spec.topic_id).unwrap(), 9, i64::MIN, i64::MIN, "log_test");
        assert_eq!(job.lines().count(), 0);
    }

    #[test]
    fn a_log_is_the_same_whichever_span_or_order_reads_it() {
        // The second span starts inside a second (at .500) and runs the other way.
        let wide = json_lines(&job(0, |r| r.count = Some(10_000)));
        let narrow = json_lines(&job(0, |r| {
            r.count = Some(10_000);
            r.from = Some(NOW - 5 * MINUTE + 500);
            r.order = Some("asc".into());
        }));
        let time = |log: &serde_json::Value| log["__TIMESTAMP__"].as_i64().unwrap();
        let mut overlap: Vec<_> = wide.into_iter().filter(|log| time(log) >= NOW - 5 * MINUTE + 500).collect();
        overlap.reverse();
        assert!(!narrow.is_empty());
        assert_eq!(narrow, overlap);
    }

    #[test]
    fn files_repeat_exactly_and_count_is_capped() {
        let a = job(0, |_| {});
        assert_eq!(unpack(&a).1, unpack(&a).1);
        let huge = job(0, |r| {
            r.count = Some(50_000_000);
            r.from = Some(NOW - 2 * 86_400_000);
        });
        assert_eq!(huge.lines().count() as u64, FILE_LINES_MAX);
    }
}
