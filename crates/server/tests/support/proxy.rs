//! A proxy-mode `export-desk` process in front of a mock one, with throwaway credentials and
//! every provider's endpoint pointing at the mock: what the proxy tests and the fuzz suite run.

use super::Server;
use reqwest::Client;
use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const HUAWEI_AK: &str = "PROXYTESTHUAWEIAK01";
pub const HUAWEI_SK: &str = "proxy-test-huawei-secret-9f3a";
pub const TENCENT_ID: &str = "AKIDproxytesttencentid02";
pub const TENCENT_KEY: &str = "proxy-test-tencent-secret-7c1e";
pub const TOKEN: &str = "proxy-test-access-token-5d2b";
pub const SECRETS: [&str; 5] = [HUAWEI_AK, HUAWEI_SK, TENCENT_ID, TENCENT_KEY, TOKEN];

pub const DOMAIN_ID: &str = "proxytestdomain0001";
pub const PROJECT: &str = "0e7a6d2c9b8f4e1d8c3b5a7f6e2d1c0b";
pub const INSTANCE: &str = "proxy-test-instance";
pub const IOTDA_REGION: &str = "cn-north-4";
pub const CLS_REGION: &str = "ap-guangzhou";

// ---------------------------------------------------------------------------------------------
// The proxy process
// ---------------------------------------------------------------------------------------------

/// A running proxy; its stderr (logs at `debug`) is collected for the secret-leak checks.
pub struct Proxy {
    pub child: Child,
    pub base: String,
    pub http: Client,
    pub stderr: Arc<Mutex<String>>,
}

impl Proxy {
    /// Proxy pointing every provider at `upstream` with the test credentials, plus `extra` env.
    pub fn start(upstream: &str, extra: &[(&str, &str)]) -> Self {
        let mut env = full_env(upstream);
        for &(name, value) in extra {
            env.retain(|(n, _)| *n != name);
            env.push((name, value.to_owned()));
        }
        let env: Vec<(&str, &str)> = env.iter().map(|(n, v)| (*n, v.as_str())).collect();
        Self::start_with(&env, &[]).unwrap_or_else(|stderr| panic!("the proxy did not start:\n{stderr}"))
    }

    /// Starts the binary in proxy mode with exactly `env` (nothing inherited); `Err` holds what it
    /// printed when it exits instead of serving.
    pub fn start_with(env: &[(&str, &str)], args: &[&str]) -> Result<Self, String> {
        let dist = std::env::temp_dir().join("export-desk-proxy-test-no-dist");
        let mut command = Command::new(env!("CARGO_BIN_EXE_export-desk"));
        command
            .args(["--mode", "proxy", "--port", "0", "--bind", "127.0.0.1", "--log", "debug"])
            .arg("--dist")
            .arg(&dist)
            .args(args)
            .env_clear()
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("start the export-desk binary");
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut pipe = child.stderr.take().expect("piped stderr");
        let sink = Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut buffer = [0u8; 4096];
            while let Ok(read) = pipe.read(&mut buffer) {
                if read == 0 {
                    break;
                }
                sink.lock().unwrap().push_str(&String::from_utf8_lossy(&buffer[..read]));
            }
        });
        let line = super::first_line(child.stdout.take().expect("piped stdout"));
        match line.trim().strip_prefix("Export Desk (proxy) listening on ") {
            Some(base) => {
                Ok(Self { child, base: base.to_owned(), http: Client::builder().no_proxy().build().unwrap(), stderr })
            }
            None => {
                let deadline = Instant::now() + Duration::from_secs(10);
                while child.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
                    std::thread::sleep(Duration::from_millis(20));
                }
                let _ = child.kill();
                let _ = child.wait();
                std::thread::sleep(Duration::from_millis(50));
                let text = stderr.lock().unwrap().clone();
                Err(format!("stdout {line:?}\n{text}"))
            }
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn host(&self) -> &str {
        self.base.strip_prefix("http://").unwrap()
    }

    pub fn logs(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn full_env(upstream: &str) -> Vec<(&'static str, String)> {
    vec![
        ("CLOUD_SDK_AK", HUAWEI_AK.into()),
        ("CLOUD_SDK_SK", HUAWEI_SK.into()),
        ("TENCENTCLOUD_SECRET_ID", TENCENT_ID.into()),
        ("TENCENTCLOUD_SECRET_KEY", TENCENT_KEY.into()),
        ("EXPORT_DESK_CDN_DOMAIN_ID", DOMAIN_ID.into()),
        ("EXPORT_DESK_CDN_ENDPOINT", upstream.into()),
        ("EXPORT_DESK_IOTDA_PROJECT_ID", PROJECT.into()),
        ("EXPORT_DESK_IOTDA_REGION", IOTDA_REGION.into()),
        ("EXPORT_DESK_IOTDA_INSTANCE_ID", INSTANCE.into()),
        ("EXPORT_DESK_IOTDA_ENDPOINT", upstream.into()),
        // An instance access address signs derived; the test covers that scheme on IoTDA.
        ("EXPORT_DESK_IOTDA_SIGNING", "derived".into()),
        ("EXPORT_DESK_CLS_REGION", CLS_REGION.into()),
        ("EXPORT_DESK_CLS_ENDPOINT", upstream.into()),
    ]
}

/// The mock upstream and a proxy in front of it.
pub fn pair(extra: &[(&str, &str)]) -> (Server, Proxy) {
    let mock = Server::start(&[]);
    let proxy = Proxy::start(&mock.base, extra);
    (mock, proxy)
}
