//! The command line. Every option can also come from an `EXPORT_DESK_*` environment variable,
//! which is how a container or a demo portal configures the server.
//!
//! It sits on top: it reads the flags and hands plain values to the modules that use them
//! ([`MockOptions::config`] builds the mock's [`Config`](crate::mock::Config),
//! [`MockOptions::strict`] its signature keys, [`ConnectionOptions::config`] the accept loop's
//! [`Config`](crate::connections::Config), [`Cli::proxy`] proxy mode's
//! [`Options`](crate::proxy::Options)); no module below imports it, only the wiring in `lib.rs`
//! and `main.rs` does.

use crate::client::IpRange;
use crate::duration;
use crate::secret::SecretKey;
use clap::Parser;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone, Parser)]
#[command(
    name = "export-desk",
    version,
    about = "Export Desk: the dashboard for cloud export tasks, served with a faithful mock of the cloud APIs.",
    long_about = "Export Desk serves its dashboard and, on the same origin and under the clouds' own paths, a mock \
of the cloud export APIs (Huawei Cloud CDN and IoTDA, Tencent Cloud CLS). Open the printed URL in a browser."
)]
pub struct Cli {
    /// `mock` serves emulated cloud APIs; `proxy` forwards the dashboard's calls to the real clouds,
    /// signed with credentials from the environment (see README, "Use it with your real accounts").
    #[arg(long, env = "EXPORT_DESK_MODE", value_enum, default_value_t = Mode::Mock)]
    pub mode: Mode,

    /// Proxy mode: the TOML configuration file (account and project ids, regions, endpoints,
    /// allowed origins). Secrets are read from the environment only.
    #[arg(long, env = "EXPORT_DESK_CONFIG")]
    pub config: Option<PathBuf>,

    /// Address to listen on.
    #[arg(long, env = "EXPORT_DESK_BIND", default_value = "127.0.0.1")]
    pub bind: IpAddr,

    /// Port to listen on; 0 picks a free one (the URL printed at start names it).
    #[arg(long, env = "EXPORT_DESK_PORT", default_value_t = 8080)]
    pub port: u16,

    /// The built dashboard (trunk's output folder).
    #[arg(long, env = "EXPORT_DESK_DIST", default_value = "dist")]
    pub dist: PathBuf,

    /// Base URL put in front of download links, for a server behind a reverse proxy
    /// (default: the scheme-less Host the request came to, over http).
    #[arg(long, env = "EXPORT_DESK_PUBLIC_URL")]
    pub public_url: Option<String>,

    #[command(flatten)]
    pub mock: MockOptions,

    #[command(flatten)]
    pub access: AccessOptions,

    #[command(flatten)]
    pub connections: ConnectionOptions,

    /// Log filter (tracing's EnvFilter syntax); RUST_LOG wins when set.
    #[arg(long, env = "EXPORT_DESK_LOG", default_value = "info")]
    pub log: String,
}

/// What the server does with the cloud API paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Mode {
    Mock,
    Proxy,
}

impl Mode {
    /// The word in the start line (`Export Desk (mock) listening on …`).
    pub fn label(self) -> &'static str {
        match self {
            Self::Mock => "mock",
            Self::Proxy => "proxy",
        }
    }
}

impl From<Mode> for export_desk_model::desk::Mode {
    /// The same choice as the server's modules (and `/_desk/config`) know it.
    fn from(mode: Mode) -> Self {
        match mode {
            Mode::Mock => Self::Mock,
            Mode::Proxy => Self::Proxy,
        }
    }
}

impl Cli {
    /// What proxy mode starts from: its configuration file, and the command line's settings it
    /// shares with the mock.
    pub fn proxy(&self) -> crate::proxy::Options {
        crate::proxy::Options {
            config_file: self.config.clone(),
            allowed_origins: self.access.allowed_origins.clone(),
            allowed_hosts: self.access.allowed_hosts.clone(),
            public_url: self.public_url.clone(),
            dist: self.dist.clone(),
        }
    }
}

/// How the mock behaves. Defaults suit a person clicking around; tests shorten the durations.
#[derive(Debug, Clone, clap::Args)]
pub struct MockOptions {
    /// Seed for everything random in the mock (ids, outcomes, demo tasks, file contents),
    /// so a run can be repeated exactly.
    #[arg(long, env = "EXPORT_DESK_SEED", default_value_t = 1)]
    pub seed: u64,

    /// Demo tasks created at start so the first screen is not empty (at most 100000).
    #[arg(long, env = "EXPORT_DESK_DEMO_TASKS", default_value_t = 24, value_parser = parse_demo_tasks)]
    pub demo_tasks: usize,

    /// How long a new task runs before it finishes, in mock time (e.g. 500ms, 20s, 2m).
    /// Each task takes between 75% and 125% of it; at most a year (8784h).
    #[arg(long, env = "EXPORT_DESK_TASK_DURATION", default_value = "20s", value_parser = parse_task_duration)]
    pub task_duration: Duration,

    /// Share of new tasks that end in failure, from 0 to 1.
    #[arg(long, env = "EXPORT_DESK_FAIL_RATE", default_value_t = 0.1, value_parser = parse_rate)]
    pub fail_rate: f64,

    /// Keep the mock's tasks in this file across restarts (created if missing). Every change is
    /// on disk before it is answered. The file keeps the seed, task duration and fail rate it
    /// was made with; a reset (`POST /_mock/reset`) starts it afresh.
    #[arg(long, env = "EXPORT_DESK_STATE")]
    pub state: Option<PathBuf>,

    /// The size the state file is compacted to stay under (e.g. 128MiB), unless the tasks alone
    /// come near it; it is also compacted whenever it outgrows twice its live content plus 1 MiB.
    #[arg(long, env = "EXPORT_DESK_STATE_MAX_BYTES", default_value = "128MiB", value_parser = parse_state_max_bytes)]
    pub state_max_bytes: u64,

    /// How fast the mock clock runs against the wall clock (2 = twice as fast).
    #[arg(long, env = "EXPORT_DESK_SPEED", default_value_t = 1.0, value_parser = parse_speed)]
    pub speed: f64,

    /// Strict mode: cloud API calls must carry a valid signature made with the test credentials
    /// below (Huawei AK/SK, Tencent TC3), or they get the provider's own authentication error.
    /// Off by default: then any signature, or none, is accepted.
    #[arg(
        long,
        env = "EXPORT_DESK_VERIFY_SIGNATURES",
        default_value_t = false,
        num_args = 0..=1,
        default_missing_value = "true",
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    pub verify_signatures: bool,

    /// The Huawei access key (AK) strict mode accepts.
    #[arg(long, env = "EXPORT_DESK_MOCK_HUAWEI_AK", default_value = crate::mock::strict::DEFAULT_HUAWEI_AK)]
    pub mock_huawei_ak: String,

    /// The secret key (SK) of that AK. A throwaway test value by default; never logged.
    #[arg(
        long,
        env = "EXPORT_DESK_MOCK_HUAWEI_SK",
        hide_env_values = true,
        default_value = crate::mock::strict::DEFAULT_HUAWEI_SK
    )]
    pub mock_huawei_sk: SecretKey,

    /// The Tencent SecretId strict mode accepts.
    #[arg(
        long,
        env = "EXPORT_DESK_MOCK_TENCENT_SECRET_ID",
        default_value = crate::mock::strict::DEFAULT_TENCENT_SECRET_ID
    )]
    pub mock_tencent_secret_id: String,

    /// The SecretKey of that SecretId. A throwaway test value by default; never logged.
    #[arg(
        long,
        env = "EXPORT_DESK_MOCK_TENCENT_SECRET_KEY",
        hide_env_values = true,
        default_value = crate::mock::strict::DEFAULT_TENCENT_SECRET_KEY
    )]
    pub mock_tencent_secret_key: SecretKey,

    /// Memory for the mock's task stores, in bytes (suffixes KiB, MiB, GiB), split between them:
    /// half for CDN refresh/preheat tasks, a quarter for CDN statistics exports, an eighth each
    /// for IoTDA and CLS exports. A store over its share forgets its oldest tasks.
    #[arg(long, env = "EXPORT_DESK_STORE_BYTES", default_value = "384MiB", value_parser = parse_store_bytes)]
    pub store_bytes: usize,

    /// Cloud calls the request journal (`GET /_mock/journal`) keeps; 0 keeps none.
    #[arg(long, env = "EXPORT_DESK_JOURNAL_ENTRIES", default_value_t = crate::mock::journal::DEFAULT_ENTRIES)]
    pub journal_entries: usize,

    /// Bytes the journal's entries may take as JSON (suffixes KiB, MiB, GiB); its answer is never
    /// larger. Large headers and bodies are cut before they are kept.
    #[arg(long, env = "EXPORT_DESK_JOURNAL_BYTES", default_value = "16MiB", value_parser = parse_journal_bytes)]
    pub journal_bytes: usize,

    /// Bytes of cloud-call bodies handled at once (suffixes KiB, MiB, GiB); a call whose body does
    /// not fit waits its turn. A body takes about three times its size while it is parsed.
    #[arg(long, env = "EXPORT_DESK_INFLIGHT_BYTES", default_value = "64MiB", value_parser = parse_inflight_bytes)]
    pub inflight_bytes: usize,
}

impl MockOptions {
    /// What the mock is built from.
    pub fn config(&self) -> crate::mock::Config {
        crate::mock::Config {
            seed: self.seed,
            demo_tasks: self.demo_tasks,
            task_duration: self.task_duration,
            fail_rate: self.fail_rate,
            state: self.state.clone(),
            state_max_bytes: self.state_max_bytes,
            speed: self.speed,
            store_bytes: self.store_bytes,
            journal_entries: self.journal_entries,
            journal_bytes: self.journal_bytes,
            inflight_bytes: self.inflight_bytes,
        }
    }

    /// Strict mode as the options ask: `None` unless `--verify-signatures`.
    pub fn strict(&self) -> Option<crate::mock::strict::Strict> {
        self.verify_signatures.then(|| {
            crate::mock::strict::Strict::new(crate::mock::strict::Keys {
                huawei_ak: self.mock_huawei_ak.clone(),
                huawei_sk: self.mock_huawei_sk.expose().to_owned(),
                tencent_secret_id: self.mock_tencent_secret_id.clone(),
                tencent_secret_key: self.mock_tencent_secret_key.expose().to_owned(),
            })
        })
    }
}

/// Who may call, and how much: the options a server reachable by strangers needs. `--demo` is
/// what a public demo portal runs (see README, "Run a public demo").
#[derive(Debug, Clone, clap::Args)]
pub struct AccessOptions {
    /// Public demo mode: the admin API (`/_mock/`) is off unless `--admin-token` is set, each
    /// visitor (client address) gets its own rate limits and task quota, and the mock returns to
    /// its seeded state every `--reset-every`.
    #[arg(
        long,
        env = "EXPORT_DESK_DEMO",
        default_value_t = false,
        num_args = 0..=1,
        default_missing_value = "true",
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    pub demo: bool,

    /// Token the admin API (`/_mock/`) asks for in `Authorization: Bearer <token>` (at least 16
    /// characters). Without it the admin API is open, except in `--demo`, where it is off.
    #[arg(long, env = "EXPORT_DESK_ADMIN_TOKEN", hide_env_values = true, value_parser = parse_admin_token)]
    pub admin_token: Option<SecretKey>,

    /// Origins whose pages may call this server, with CORS (comma-separated, e.g.
    /// `https://desk.example.com`): a dashboard hosted elsewhere. Default: same origin only.
    #[arg(long, env = "EXPORT_DESK_ALLOWED_ORIGINS", value_delimiter = ',', value_parser = parse_origin_arg)]
    pub allowed_origins: Vec<String>,

    /// Host names accepted in `Host` besides IP addresses, `localhost` and `--public-url`'s host
    /// (comma-separated): a request addressed to any other name is refused (DNS rebinding).
    #[arg(long, env = "EXPORT_DESK_ALLOWED_HOSTS", value_delimiter = ',', value_parser = parse_host_arg)]
    pub allowed_hosts: Vec<String>,

    /// Reverse proxies whose `X-Forwarded-For` names the client (comma-separated addresses or
    /// CIDR ranges, e.g. `127.0.0.1,10.0.0.0/8`). Other peers are the client themselves.
    #[arg(long, env = "EXPORT_DESK_TRUSTED_PROXIES", value_delimiter = ',', value_parser = IpRange::parse)]
    pub trusted_proxies: Vec<IpRange>,

    /// Return the mock to its seeded state this often (e.g. `1h`; `off` for never), so a
    /// vandalised demo heals. Default: `1h` with `--demo`, never without.
    #[arg(long, env = "EXPORT_DESK_RESET_EVERY", value_parser = parse_reset_every)]
    pub reset_every: Option<ResetEvery>,

    /// `--demo`: creates and deletes one visitor may send per minute (burst included).
    #[arg(long, env = "EXPORT_DESK_VISITOR_WRITES_PER_MINUTE", default_value_t = 30,
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub visitor_writes_per_minute: u32,

    /// `--demo`: tasks one visitor may create between two resets.
    #[arg(long, env = "EXPORT_DESK_VISITOR_TASKS", default_value_t = 100,
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub visitor_tasks: u32,
}

/// The least an admin token may have: long enough that it cannot be guessed by trying.
pub const ADMIN_TOKEN_MIN_CHARS: usize = 16;

/// The reset period `--demo` uses when `--reset-every` is not given.
pub const DEMO_RESET_EVERY: Duration = Duration::from_secs(3600);

/// Resets at least a second apart: what a test needs; a demo wants minutes or hours.
pub const RESET_EVERY_MIN: Duration = Duration::from_secs(1);

impl AccessOptions {
    /// How often the mock resets itself, if at all.
    pub fn reset_period(&self) -> Option<Duration> {
        match self.reset_every {
            Some(ResetEvery::Every(period)) => Some(period),
            Some(ResetEvery::Never) => None,
            None if self.demo => Some(DEMO_RESET_EVERY),
            None => None,
        }
    }
}

/// `--reset-every`: a period, or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResetEvery {
    Every(Duration),
    Never,
}

fn parse_reset_every(text: &str) -> Result<ResetEvery, String> {
    if matches!(text.trim(), "off" | "never" | "0") {
        return Ok(ResetEvery::Never);
    }
    let period = duration::parse(text)?;
    if period < RESET_EVERY_MIN {
        return Err(format!("resets must be at least {}s apart (or `off`)", RESET_EVERY_MIN.as_secs()));
    }
    if period > Duration::from_secs(366 * 24 * 3600) {
        return Err("give a period of at most a year (or `off`)".to_owned());
    }
    Ok(ResetEvery::Every(period))
}

fn parse_admin_token(text: &str) -> Result<SecretKey, String> {
    if text.chars().count() < ADMIN_TOKEN_MIN_CHARS {
        return Err(format!("the admin token must have at least {ADMIN_TOKEN_MIN_CHARS} characters"));
    }
    if !text.bytes().all(|b| b.is_ascii_graphic()) {
        return Err("the admin token must be printable ASCII without spaces (it travels in a header)".to_owned());
    }
    Ok(SecretKey::from(text.to_owned()))
}

fn parse_origin_arg(text: &str) -> Result<String, String> {
    crate::access::parse_origin(text.trim())
}

fn parse_host_arg(text: &str) -> Result<String, String> {
    crate::access::parse_host(text.trim())
}

/// Connection limits, so slow or idle clients cannot starve others. Defaults fit a 1 GiB demo
/// machine; see README, "Limits".
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct ConnectionOptions {
    /// Connections served at once. When all are taken, a new connection closes one waiting for a
    /// request (its client's own longest-waiting, else anyone's) and takes its place; if every
    /// one is busy with a request, the new one is closed.
    /// Lowered at start (with a warning) to what the open-file limit allows.
    #[arg(long, env = "EXPORT_DESK_MAX_CONNECTIONS", default_value_t = 512, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub max_connections: u32,

    /// A request's head (request line and headers) must arrive within this time from its first
    /// byte, and a new connection's first request within this time of connecting (slowloris).
    #[arg(long, env = "EXPORT_DESK_HEADER_TIMEOUT", default_value = "10s", value_parser = parse_timeout)]
    pub header_timeout: Duration,

    /// A kept-alive connection with no request for this long is closed; so is one whose client
    /// reads none of its answer for this long.
    #[arg(long, env = "EXPORT_DESK_IDLE_TIMEOUT", default_value = "60s", value_parser = parse_timeout)]
    pub idle_timeout: Duration,

    /// A request's body must arrive in full within this time of its head; otherwise the answer is
    /// 408 (in the provider's envelope on cloud paths) and the connection is closed.
    #[arg(long, env = "EXPORT_DESK_BODY_TIMEOUT", default_value = "30s", value_parser = parse_timeout)]
    pub body_timeout: Duration,
}

impl ConnectionOptions {
    /// The limits the accept loop keeps to.
    pub fn config(&self) -> crate::connections::Config {
        crate::connections::Config {
            max_connections: self.max_connections,
            header_timeout: self.header_timeout,
            idle_timeout: self.idle_timeout,
            body_timeout: self.body_timeout,
        }
    }
}

/// A duration above zero: a zero timeout would close every connection at once.
fn parse_timeout(text: &str) -> Result<Duration, String> {
    let timeout = duration::parse(text)?;
    if timeout.is_zero() {
        Err(format!("`{text}`: a timeout must be longer than zero"))
    } else {
        Ok(timeout)
    }
}

/// `65536`, `64KiB`, `384MiB`, `1GiB` (K, M, G, KB, MB, GB mean the same powers of 1024).
pub fn parse_bytes(text: &str) -> Result<usize, String> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: usize = number.parse().map_err(|_| format!("`{text}` is not a size like 65536, 64KiB or 384MiB"))?;
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        _ => return Err(format!("unknown unit in `{text}`: use KiB, MiB or GiB")),
    };
    number.checked_mul(1 << shift).ok_or_else(|| format!("`{text}` is too large"))
}

fn at_least(text: &str, least: usize, least_text: &str) -> Result<usize, String> {
    let bytes = parse_bytes(text)?;
    if bytes < least {
        return Err(format!("`{text}` is below the least allowed, {least_text}"));
    }
    Ok(bytes)
}

fn parse_state_max_bytes(text: &str) -> Result<u64, String> {
    parse_bytes(text).map(|bytes| bytes as u64)
}

fn parse_store_bytes(text: &str) -> Result<usize, String> {
    at_least(text, crate::mock::MIN_STORE_BYTES, "1MiB")
}

fn parse_journal_bytes(text: &str) -> Result<usize, String> {
    at_least(text, crate::mock::journal::MIN_BYTES, "16KiB")
}

fn parse_inflight_bytes(text: &str) -> Result<usize, String> {
    at_least(text, 1 << 20, "1MiB")
}

/// The mock's bound on demo tasks (a state file's and `/_mock/reset`'s too): a slip of extra digits
/// would otherwise stall the start and every scheduled reset.
fn parse_demo_tasks(text: &str) -> Result<usize, String> {
    let max = crate::mock::state_file::MAX_DEMO_TASKS;
    match text.trim().parse::<usize>() {
        Ok(count) if count <= max => Ok(count),
        _ => Err(format!("`{text}` is not a number of demo tasks from 0 to {max}")),
    }
}

/// A task duration within the mock's bound (a state file's too): a task's run is added to mock
/// times, which must stay far from overflowing.
fn parse_task_duration(text: &str) -> Result<Duration, String> {
    let run = duration::parse(text)?;
    let max_ms = crate::mock::state_file::TASK_DURATION_MAX_MS;
    if run.as_millis() <= max_ms as u128 {
        Ok(run)
    } else {
        Err(format!("`{text}` is longer than a task may run, a year ({}h)", max_ms / 3_600_000))
    }
}

fn parse_rate(text: &str) -> Result<f64, String> {
    let rate: f64 = text.parse().map_err(|_| format!("`{text}` is not a number"))?;
    if (0.0..=1.0).contains(&rate) {
        Ok(rate)
    } else {
        Err(format!("{rate} is outside 0..=1"))
    }
}

fn parse_speed(text: &str) -> Result<f64, String> {
    let speed: f64 = text.parse().map_err(|_| format!("`{text}` is not a number"))?;
    let max = crate::mock::clock::MAX_SPEED;
    if speed.is_finite() && speed > 0.0 && speed <= max {
        Ok(speed)
    } else {
        Err(format!("{speed} must be a positive number of at most {max}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_mode_is_off_by_default_and_has_working_test_credentials() {
        let cli = Cli::try_parse_from(["export-desk"]).unwrap();
        assert!(!cli.mock.verify_signatures);
        assert!(cli.mock.strict().is_none());
        assert_eq!(cli.mock.mock_huawei_ak, crate::mock::strict::DEFAULT_HUAWEI_AK);
        assert_eq!(cli.mock.mock_huawei_sk.expose(), crate::mock::strict::DEFAULT_HUAWEI_SK);
        assert_eq!(cli.mock.mock_tencent_secret_key.expose(), crate::mock::strict::DEFAULT_TENCENT_SECRET_KEY);
        for args in [&["export-desk", "--verify-signatures"][..], &["export-desk", "--verify-signatures", "true"]] {
            let cli = Cli::try_parse_from(args).unwrap();
            assert!(cli.mock.verify_signatures, "{args:?}");
            let strict = format!("{:?}", cli.mock.strict().expect("strict mode is on"));
            assert!(strict.contains(crate::mock::strict::DEFAULT_HUAWEI_AK), "{strict}");
        }
        let off = Cli::try_parse_from(["export-desk", "--verify-signatures", "false"]).unwrap();
        assert!(!off.mock.verify_signatures && off.mock.strict().is_none());
    }

    #[test]
    fn the_mocks_config_is_what_the_flags_say() {
        let cli = Cli::try_parse_from([
            "export-desk",
            "--seed=7",
            "--demo-tasks=3",
            "--task-duration=2m",
            "--fail-rate=0.5",
            "--state=/tmp/mock.jsonl",
            "--state-max-bytes=2MiB",
            "--speed=4",
            "--store-bytes=2MiB",
            "--journal-entries=9",
            "--journal-bytes=32KiB",
            "--inflight-bytes=3MiB",
        ])
        .unwrap();
        let config = cli.mock.config();
        assert_eq!((config.seed, config.demo_tasks, config.task_duration), (7, 3, Duration::from_secs(120)));
        assert_eq!((config.fail_rate, config.speed), (0.5, 4.0));
        assert_eq!(config.state.as_deref(), Some(std::path::Path::new("/tmp/mock.jsonl")));
        assert_eq!((config.state_max_bytes, config.store_bytes), (2 << 20, 2 << 20));
        assert_eq!((config.journal_entries, config.journal_bytes, config.inflight_bytes), (9, 32 << 10, 3 << 20));
    }

    #[test]
    fn demo_tasks_and_task_duration_are_held_to_the_mocks_bounds() {
        let parses = |flag: &str| Cli::try_parse_from(["export-desk", flag]).is_ok();
        assert!(parses("--demo-tasks=100000") && !parses("--demo-tasks=100001") && !parses("--demo-tasks=-1"));
        assert!(parses("--task-duration=8784h") && !parses("--task-duration=8785h"));
        // Before the bound, this started a mock whose first task's run overflowed.
        assert!(!parses("--task-duration=2000000000000000"));
    }

    #[test]
    fn secret_keys_never_show_in_debug_output() {
        let cli = Cli::try_parse_from([
            "export-desk",
            "--mock-huawei-sk",
            "hw-sk-value",
            "--mock-tencent-secret-key",
            "tc-key-value",
        ])
        .unwrap();
        let debug = format!("{cli:?}");
        assert!(!debug.contains("hw-sk-value") && !debug.contains("tc-key-value"), "{debug}");
        assert_eq!(cli.mock.mock_huawei_sk.expose(), "hw-sk-value");
    }

    #[test]
    fn access_options_are_checked_as_they_are_read() {
        let cli = Cli::try_parse_from([
            "export-desk",
            "--allowed-origins",
            "https://a.example, http://localhost:3000",
            "--trusted-proxies",
            "127.0.0.1,10.0.0.0/8,fd00::/8",
            "--admin-token",
            "0123456789abcdef",
        ])
        .unwrap();
        assert_eq!(cli.access.allowed_origins, ["https://a.example", "http://localhost:3000"]);
        let trusted = &cli.access.trusted_proxies;
        assert!(trusted[0].contains("127.0.0.1".parse().unwrap()));
        assert!(trusted[1].contains("10.200.3.4".parse().unwrap()));
        assert!(!trusted[1].contains("11.0.0.1".parse().unwrap()));
        assert!(trusted[2].contains("fd12::1".parse().unwrap()));
        assert!(trusted[0].contains("::ffff:127.0.0.1".parse().unwrap()), "IPv4-mapped peers count as IPv4");
        assert_eq!(cli.access.reset_period(), None, "no resets outside demo mode unless asked");
        for bad in [
            &["export-desk", "--admin-token", "short"][..],
            &["export-desk", "--allowed-origins", "https://a.example/app"],
            &["export-desk", "--trusted-proxies", "10.0.0.0/33"],
            &["export-desk", "--reset-every", "500ms"],
        ] {
            assert!(Cli::try_parse_from(bad).is_err(), "{bad:?}");
        }
        let demo = Cli::try_parse_from(["export-desk", "--demo"]).unwrap();
        assert_eq!(demo.access.reset_period(), Some(DEMO_RESET_EVERY));
        let never = Cli::try_parse_from(["export-desk", "--demo", "--reset-every", "off"]).unwrap();
        assert_eq!(never.access.reset_period(), None);
    }

    #[test]
    fn connection_limits_have_defaults_and_refuse_zero() {
        let cli = Cli::try_parse_from(["export-desk"]).unwrap();
        assert_eq!(cli.connections.max_connections, 512);
        assert_eq!(cli.connections.header_timeout, Duration::from_secs(10));
        assert_eq!(cli.connections.idle_timeout, Duration::from_secs(60));
        assert_eq!(cli.connections.body_timeout, Duration::from_secs(30));
        assert!(Cli::try_parse_from(["export-desk", "--max-connections", "0"]).is_err());
        assert!(Cli::try_parse_from(["export-desk", "--header-timeout", "0s"]).is_err());
        let short = Cli::try_parse_from(["export-desk", "--idle-timeout", "500ms"]).unwrap();
        assert_eq!(short.connections.idle_timeout, Duration::from_millis(500));
        let config = short.connections.config();
        assert_eq!((config.max_connections, config.idle_timeout), (512, Duration::from_millis(500)));
        assert_eq!((config.header_timeout, config.body_timeout), (Duration::from_secs(10), Duration::from_secs(30)));
    }

    #[test]
    fn proxy_mode_gets_the_flags_it_shares_with_the_mock() {
        let cli = Cli::try_parse_from([
            "export-desk",
            "--mode=proxy",
            "--config=/etc/desk.toml",
            "--allowed-origins=https://a.example",
            "--allowed-hosts=desk.example",
            "--public-url=https://desk.example",
            "--dist=/srv/dist",
        ])
        .unwrap();
        assert_eq!(export_desk_model::desk::Mode::from(cli.mode), export_desk_model::desk::Mode::Proxy);
        let options = cli.proxy();
        assert_eq!(options.config_file.as_deref(), Some(std::path::Path::new("/etc/desk.toml")));
        assert_eq!(
            (options.allowed_origins, options.allowed_hosts),
            (vec!["https://a.example".to_owned()], vec!["desk.example".to_owned()])
        );
        assert_eq!(options.public_url.as_deref(), Some("https://desk.example"));
        assert_eq!(options.dist, std::path::Path::new("/srv/dist"));
    }

    #[test]
    fn sizes_take_binary_units_and_memory_flags_have_bounded_defaults() {
        assert_eq!(parse_bytes("65536"), Ok(65_536));
        assert_eq!(parse_bytes("64KiB"), Ok(65_536));
        assert_eq!(parse_bytes("384MiB"), Ok(384 << 20));
        assert_eq!(parse_bytes("1G"), Ok(1 << 30));
        assert!(parse_bytes("lots").is_err() && parse_bytes("3TiB").is_err());
        assert!(parse_bytes("99999999999999999999GiB").is_err());
        let cli = Cli::try_parse_from(["export-desk"]).unwrap();
        assert_eq!((cli.mock.store_bytes, cli.mock.journal_bytes), (384 << 20, 16 << 20));
        assert_eq!((cli.mock.journal_entries, cli.mock.inflight_bytes), (1000, 64 << 20));
        assert!(Cli::try_parse_from(["export-desk", "--store-bytes", "1KiB"]).is_err());
        assert!(Cli::try_parse_from(["export-desk", "--journal-bytes", "1KiB"]).is_err());
    }

    #[test]
    fn rates_and_speeds_are_bounded() {
        assert_eq!(parse_rate("0"), Ok(0.0));
        assert!(parse_rate("1.5").is_err());
        assert!(parse_speed("0").is_err());
        assert_eq!(parse_speed("60"), Ok(60.0));
        assert!(parse_speed("1e300").is_err());
    }
}
