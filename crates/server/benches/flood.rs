//! The memory flood: runs the release server for 30 s (`FLOOD_SECONDS`) under the largest bodies
//! it accepts for every create operation, sampling its resident memory from `/proc/<pid>/status`,
//! and reports the peak against the configured bound, the requests sent and their answers, and
//! whether a normal list call still answered during and after the flood. A report, not a test:
//!
//! ```text
//! cargo bench -p export-desk-server --bench flood
//! FLOOD_SECONDS=10 FLOOD_WORKERS=4 FLOOD_ARGS="--store-bytes 128MiB" cargo bench -p export-desk-server --bench flood
//! ```
//!
//! The bodies are found, not assumed: before flooding, each operation's free-form part (URL
//! length, the statistics `isp`, the CLS `Query`) is grown by bisection to the largest the server
//! answers 200 to, so the flood follows the model's limits and the server's body limit as they
//! change. URLs are filled with four-byte characters, as the model counts a URL's 4,096 in
//! characters, so a URL may take 16 KB.
//!
//! The bound checked: `--store-bytes` + `--journal-bytes` + three times `--inflight-bytes` (a body
//! is held about three times over while it is parsed and validated) + [`ALLOWANCE`] for everything
//! else (code, runtime, allocator slack). With the defaults: 384 + 16 + 192 + 64 = 656 MiB.

use reqwest::Client;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Memory allowed beyond the stores', the journal's and the bodies' bounds.
const ALLOWANCE: u64 = 64 << 20;
const REFRESH: &str = "/v1.0/cdn/content/refresh-tasks";
const PREHEAT: &str = "/v1.0/cdn/content/preheating-tasks";
const HISTORY: &str = "/v1.0/cdn/historytasks?page_size=10&page_number=1";
const EXPORT_TASKS: &str = "/v1/cdn/statistics/export-tasks";
const CLS_TOPIC: &str = "2f6c1d3e-8a47-4b9e-9c21-5d7e3f4a6b80";
/// The largest size bisection tries for a free-form field: beyond any body limit worth having.
const PROBE_MAX: usize = 32 << 20;

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// The bytes of a size given as the server's flags take them (`384MiB`).
fn flag_bytes(args: &[String], flag: &str, default: u64) -> u64 {
    let Some(text) = args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)) else { return default };
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    let shift = match text[digits.len()..].to_ascii_lowercase().as_str() {
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        _ => 0,
    };
    digits.parse::<u64>().map_or(default, |n| n << shift)
}

/// `(VmRSS, VmHWM)` in bytes.
fn memory_of(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        line.split_whitespace().nth(1)?.parse::<u64>().ok().map(|kb| kb * 1024)
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

#[derive(Clone, Copy, Debug)]
enum Op {
    Refresh,
    Preheat,
    Stats,
    Iotda,
    Cls,
}

const OPS: [Op; 5] = [Op::Refresh, Op::Preheat, Op::Stats, Op::Iotda, Op::Cls];

/// A URL of `bytes` bytes (at least its prefix) filled with four-byte characters.
fn url(n: u64, i: usize, bytes: usize) -> String {
    let mut url = format!("https://flood.example.com/{n}/{i}/");
    while url.len() + 4 <= bytes {
        url.push('\u{1F30A}');
    }
    while url.len() < bytes {
        url.push('w');
    }
    url
}

/// The request of `op` number `n` with its free-form part `size` bytes long.
fn body(op: Op, n: u64, size: usize) -> (String, String, Vec<(&'static str, String)>) {
    match op {
        Op::Refresh | Op::Preheat => {
            let urls: Vec<String> = (0..1000).map(|i| url(n, i, size)).collect();
            let (path, key) =
                if matches!(op, Op::Refresh) { (REFRESH, "refresh_task") } else { (PREHEAT, "preheating_task") };
            (path.into(), json!({ key: {"type": "file", "urls": urls} }).to_string(), Vec::new())
        }
        Op::Stats => {
            // A hundred domains of 253 characters (four labels of 63), and `isp` `size` long.
            let domains: Vec<String> = (0..100)
                .map(|d| format!("{}.{}.{}.{d:02}{}", "a".repeat(63), "b".repeat(63), "c".repeat(63), "z".repeat(59)))
                .collect();
            let start = 1_763_942_400_000_i64 + (n as i64 % 1000) * 3_600_000;
            let body = json!({"action": "reports_detail", "domain_name": domains.join(","), "start_time": start,
                "end_time": start + 86_400_000, "isp": "i".repeat(size.max(1))});
            (EXPORT_TASKS.into(), body.to_string(), Vec::new())
        }
        Op::Iotda => {
            let project = format!("{n:0>64}");
            let body = json!({"resource_type": "BatchTask", "resource_condition": {"task_id": format!("{:024x}", n)},
                "app_type": "APP", "app_id": format!("{n:0>36}")});
            (format!("/v5/iot/{project}/export-tasks"), body.to_string(), vec![("Instance-Id", format!("{n:0>64}"))])
        }
        Op::Cls => {
            let fields: Vec<String> = (0..100).map(|f| format!("{f:0>256}")).collect();
            let now = 1_800_000_000_000_i64;
            let body = json!({"TopicId": CLS_TOPIC, "Count": 1000, "Query": "q".repeat(size.max(1)), "From": now - 60_000,
                "To": now, "DerivedFields": fields});
            let headers = vec![("X-TC-Action", "CreateExport".to_owned()), ("X-TC-Version", "2020-10-16".to_owned())];
            ("/".into(), body.to_string(), headers)
        }
    }
}

/// What an answer was: the HTTP status, or for Tencent's 200s the error code inside.
async fn outcome(answer: reqwest::Response) -> String {
    let status = answer.status().as_u16();
    let text = answer.text().await.unwrap_or_default();
    match serde_json::from_str::<Value>(&text)
        .ok()
        .and_then(|v| v["Response"]["Error"]["Code"].as_str().map(str::to_owned))
    {
        Some(code) => format!("{status} {code}"),
        None => status.to_string(),
    }
}

/// A request ready to send again and again: the large bodies are built once (their tasks need not
/// differ), IoTDA's per call (each under a project of its own, to churn through the owners).
#[derive(Clone)]
struct Prepared {
    path: String,
    body: bytes::Bytes,
    headers: Vec<(&'static str, String)>,
}

fn prepare(op: Op, n: u64, size: usize) -> Prepared {
    let (path, body, headers) = body(op, n, size);
    Prepared { path, body: body.into(), headers }
}

async fn send(http: &Client, base: &str, op: Op, n: u64, size: usize, cookie: &str) -> String {
    send_prepared(http, base, prepare(op, n, size), cookie).await
}

async fn send_prepared(http: &Client, base: &str, prepared: Prepared, cookie: &str) -> String {
    let Prepared { path, body, headers } = prepared;
    let mut request = http.post(format!("{base}{path}")).header("content-type", "application/json").body(body);
    for (name, value) in headers {
        request = request.header(name, value);
    }
    if !cookie.is_empty() {
        request = request.header("cookie", cookie);
    }
    match request.send().await {
        Ok(answer) => outcome(answer).await,
        Err(err) => format!("error: {err}"),
    }
}

/// The largest size of `op`'s free-form part in `low..=high` the server creates a task for.
async fn largest_accepted(http: &Client, base: &str, op: Op, mut low: usize, mut high: usize) -> usize {
    let accepted = |outcome: &str| outcome == "200" || outcome == "201";
    if !accepted(&send(http, base, op, 0, low, "").await) {
        return 0;
    }
    while low < high {
        let mid = low + (high - low).div_ceil(2);
        // CLS answers 20 calls a second; bisection stays under it.
        tokio::time::sleep(Duration::from_millis(60)).await;
        if accepted(&send(http, base, op, 0, mid, "").await) {
            low = mid;
        } else {
            high = mid - 1;
        }
    }
    low
}

#[tokio::main]
async fn main() {
    let seconds: u64 = env_or("FLOOD_SECONDS", 30);
    let workers: usize = env_or("FLOOD_WORKERS", 8);
    let cookie_bytes: usize = env_or("FLOOD_HEADER_BYTES", 16 * 1024);
    let binary = std::env::var("FLOOD_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_export-desk").to_owned());
    let extra: Vec<String> =
        std::env::var("FLOOD_ARGS").unwrap_or_default().split_whitespace().map(str::to_owned).collect();
    let bound = flag_bytes(&extra, "--store-bytes", 384 << 20)
        + flag_bytes(&extra, "--journal-bytes", 16 << 20)
        + 3 * flag_bytes(&extra, "--inflight-bytes", 64 << 20)
        + ALLOWANCE;

    let dist = std::env::temp_dir().join(format!("export-desk-flood-{}", std::process::id()));
    std::fs::create_dir_all(&dist).expect("a dashboard folder");
    let mut child = Command::new(&binary)
        .args(["--port", "0", "--log", "off", "--dist"])
        .arg(&dist)
        .args(&extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the server");
    let pid = child.id();
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("the start line");
    let base = line.trim().rsplit(' ').next().unwrap_or_default().to_owned();
    assert!(base.starts_with("http://"), "the server printed {line:?}");
    let http = Client::builder().no_proxy().timeout(Duration::from_secs(60)).build().expect("HTTP client");
    println!("flood report: {binary} {}", extra.join(" "));
    println!("{workers} workers for {seconds} s, a {cookie_bytes}-byte cookie on every create");
    let idle = memory_of(pid).unwrap_or_default();

    let mut prepared = BTreeMap::new();
    for (op, low, high) in [
        (Op::Refresh, 64, 16 * 1024 + 64),
        (Op::Preheat, 64, 16 * 1024 + 64),
        (Op::Stats, 1, PROBE_MAX),
        (Op::Iotda, 0, 0),
        (Op::Cls, 1, 64 * 1024),
    ] {
        let size = largest_accepted(&http, &base, op, low, high).await;
        let (_, body, _) = body(op, 1, size);
        println!("  {op:?}: largest accepted free-form part {size} B, a body of {} B", body.len());
        prepared.insert(format!("{op:?}"), prepare(op, 1, size));
    }

    let stop = Arc::new(AtomicBool::new(false));
    let peak_rss = Arc::new(AtomicU64::new(0));
    let sampler = {
        let (stop, peak_rss) = (Arc::clone(&stop), Arc::clone(&peak_rss));
        tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                if let Some((rss, _)) = memory_of(pid) {
                    peak_rss.fetch_max(rss, Ordering::Relaxed);
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
    };
    // A person's list calls, once a second, during the flood.
    let lists = Arc::new(Mutex::new(BTreeMap::<String, u64>::new()));
    let lister = {
        let (stop, lists, http, base) = (Arc::clone(&stop), Arc::clone(&lists), http.clone(), base.clone());
        tokio::spawn(async move {
            let mut slowest = Duration::ZERO;
            while !stop.load(Ordering::Relaxed) {
                let started = Instant::now();
                let got = match http.get(format!("{base}{HISTORY}")).send().await {
                    Ok(answer) => outcome(answer).await,
                    Err(err) => format!("error: {err}"),
                };
                slowest = slowest.max(started.elapsed());
                *lists.lock().expect("lists").entry(got).or_default() += 1;
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            slowest
        })
    };

    let counts = Arc::new(Mutex::new(BTreeMap::<(String, String), u64>::new()));
    let sent_bytes = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let cookie = "c".repeat(cookie_bytes);
    let mut flooders = Vec::new();
    for worker in 0..workers {
        let (http, base, counts, prepared, cookie, sent_bytes) = (
            http.clone(),
            base.clone(),
            Arc::clone(&counts),
            prepared.clone(),
            cookie.clone(),
            Arc::clone(&sent_bytes),
        );
        flooders.push(tokio::spawn(async move {
            let mut n = 1_000 + worker as u64;
            while Instant::now() < deadline {
                let op = OPS[(n as usize / workers) % OPS.len()];
                let request = match op {
                    Op::Iotda => prepare(op, n, 0),
                    _ => prepared[&format!("{op:?}")].clone(),
                };
                sent_bytes.fetch_add(request.body.len() as u64, Ordering::Relaxed);
                let got = send_prepared(&http, &base, request, &cookie).await;
                *counts.lock().expect("counts").entry((format!("{op:?}"), got)).or_default() += 1;
                n += workers as u64;
            }
        }));
    }
    for flooder in flooders {
        flooder.await.expect("a flood worker");
    }
    stop.store(true, Ordering::Relaxed);
    let slowest_list = lister.await.expect("the list caller");
    sampler.await.expect("the sampler");

    let after = match http.get(format!("{base}{HISTORY}")).send().await {
        Ok(answer) => outcome(answer).await,
        Err(err) => format!("error: {err}"),
    };
    let journal = http.get(format!("{base}/_mock/journal")).send().await.expect("the journal");
    let journal_bytes = journal.bytes().await.map_or(0, |b| b.len());
    let (rss, hwm) = memory_of(pid).unwrap_or_default();
    let mib = |b: u64| b as f64 / (1 << 20) as f64;

    println!("\nrequests and answers:");
    let total: u64 = counts.lock().expect("counts").values().sum();
    for ((op, got), count) in counts.lock().expect("counts").iter() {
        println!("  {op:<8} {got:<40} {count}");
    }
    println!("  {total} requests, {:.0} MiB of bodies", mib(sent_bytes.load(Ordering::Relaxed)));
    println!("list calls during the flood: {:?}, slowest {slowest_list:.1?}", lists.lock().expect("lists"));
    println!("list call after the flood: {after}");
    println!("GET /_mock/journal after the flood: {journal_bytes} B");
    println!(
        "memory: idle {:.0} MiB; peak sampled VmRSS {:.0} MiB; VmHWM {:.0} MiB; VmRSS at the end {:.0} MiB",
        mib(idle.0),
        mib(peak_rss.load(Ordering::Relaxed)),
        mib(hwm),
        mib(rss)
    );
    let verdict = if hwm < bound && after == "200" { "within" } else { "OVER" };
    println!(
        "bound (store + journal + 3 x in-flight bytes + {} MiB): {:.0} MiB -> peak {verdict} the bound",
        ALLOWANCE >> 20,
        mib(bound)
    );
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dist);
}
