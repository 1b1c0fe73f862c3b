//! The proxy's configuration: a TOML file (`--config`) for the settings, environment variables
//! for the secrets and for any setting (an environment variable wins over the file).
//!
//! Secrets come only from the environment, under the names the clouds' SDK examples use
//! (`CLOUD_SDK_AK`/`CLOUD_SDK_SK`, `TENCENTCLOUD_SECRET_ID`/`TENCENTCLOUD_SECRET_KEY`): a config file
//! gets copied, committed and shared, and one holding a key would leak it. A file that names a
//! secret is refused with a message saying where the secret goes instead.
//!
//! Loading collects every problem before failing, so one start names everything to fix. A
//! provider without credentials is not a problem: it is disabled, with the reason, which
//! `/_desk/config` reports. Asking for a provider explicitly (`enabled = true`) without its
//! credentials, or half a key pair, is a problem.

use crate::duration;
use crate::secret::SecretKey;
use export_desk_model::desk::ClsTopic;
use reqwest::Url;
use serde::Deserialize;
use std::path::Path;
use std::time::Duration;

pub const HUAWEI_AK_ENV: &str = "CLOUD_SDK_AK";
pub const HUAWEI_SK_ENV: &str = "CLOUD_SDK_SK";
pub const TENCENT_SECRET_ID_ENV: &str = "TENCENTCLOUD_SECRET_ID";
pub const TENCENT_SECRET_KEY_ENV: &str = "TENCENTCLOUD_SECRET_KEY";
pub const ACCESS_TOKEN_ENV: &str = "EXPORT_DESK_ACCESS_TOKEN";

/// CDN is a global service: one endpoint for every account.
pub const CDN_DEFAULT_ENDPOINT: &str = "https://cdn.myhuaweicloud.com";
/// CLS's nearest-region endpoint; the region itself travels in `X-TC-Region`.
pub const CLS_DEFAULT_ENDPOINT: &str = "https://cls.tencentcloudapi.com";

pub const DEFAULT_UPSTREAM_TIMEOUT: Duration = Duration::from_secs(30);
/// Dashboard bodies are a few hundred bytes; a refresh task of 1000 long URLs stays well below.
pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;
/// Tencent's documented limit for a signed POST, the largest any allowlisted call may need.
pub const MAX_BODY_BYTES_LIMIT: usize = 10 * 1024 * 1024;
const MAX_UPSTREAM_TIMEOUT: Duration = Duration::from_secs(600);
/// Short tokens can be guessed by anyone who can reach the port.
pub const ACCESS_TOKEN_MIN_CHARS: usize = 16;

/// Everything the proxy runs with. `Debug` never shows a secret ([`SecretKey`] hides itself).
#[derive(Debug, Clone)]
pub struct ProxyConfig {
    pub upstream_timeout: Duration,
    pub max_body_bytes: usize,
    /// Origins (`https://desk.example.com`) whose pages may call the proxy; empty: same origin only.
    pub allowed_origins: Vec<String>,
    /// `Host` names accepted besides IP addresses and `localhost` (DNS-rebinding defence).
    pub allowed_hosts: Vec<String>,
    /// When set, every cloud call must carry it in [`super::TOKEN_HEADER`].
    pub access_token: Option<SecretKey>,
    pub cdn: Availability<CdnTarget>,
    pub iotda: Availability<IotdaTarget>,
    pub cls: Availability<ClsTarget>,
}

/// A provider the proxy forwards to, or the reason it does not.
#[derive(Debug, Clone)]
pub enum Availability<T> {
    Enabled(T),
    Disabled(String),
}

impl<T> Availability<T> {
    pub fn enabled(&self) -> Option<&T> {
        match self {
            Self::Enabled(target) => Some(target),
            Self::Disabled(_) => None,
        }
    }
}

/// Where a provider's calls go: the base URL (scheme, host, port; never a path) and the `Host`
/// header that goes with it, which the signature covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upstream {
    pub base: String,
    pub host: String,
}

#[derive(Debug, Clone)]
pub struct HuaweiKeys {
    pub access_key: SecretKey,
    pub secret_key: SecretKey,
}

#[derive(Debug, Clone)]
pub struct TencentKeys {
    pub secret_id: SecretKey,
    pub secret_key: SecretKey,
}

#[derive(Debug, Clone)]
pub struct CdnTarget {
    pub upstream: Upstream,
    pub keys: HuaweiKeys,
    /// The account id, sent as `X-Domain-Id` (CDN takes global credentials).
    pub domain_id: String,
}

/// How IoTDA calls are signed: the SDK's plain scheme on the regional endpoint, the derived
/// (`V11-HMAC-SHA256`) one on a standard/enterprise instance's own access address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IotdaSigning {
    Sdk,
    Derived,
}

#[derive(Debug, Clone)]
pub struct IotdaTarget {
    pub upstream: Upstream,
    pub keys: HuaweiKeys,
    pub project_id: String,
    /// The region id (`cn-north-4`): the default endpoint's and the derived signature's scope.
    pub region: String,
    pub instance_id: Option<String>,
    pub signing: IotdaSigning,
}

#[derive(Debug, Clone)]
pub struct ClsTarget {
    pub upstream: Upstream,
    pub keys: TencentKeys,
    /// Sent as `X-TC-Region` (`ap-guangzhou`).
    pub region: String,
    /// Offered in the dashboard's export form; the proxy does not forward `DescribeTopics`.
    pub topics: Vec<ClsTopic>,
}

/// Why the proxy cannot start: every problem found, one per line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the proxy configuration is incomplete or inconsistent:\n  - {}", .problems.join("\n  - "))]
pub struct ConfigError {
    pub problems: Vec<String>,
}

// ---------------------------------------------------------------------------------------------
// The file
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    #[serde(default)]
    proxy: ProxySection,
    #[serde(default)]
    cdn: CdnSection,
    #[serde(default)]
    iotda: IotdaSection,
    #[serde(default)]
    cls: ClsSection,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProxySection {
    upstream_timeout: Option<String>,
    max_body_bytes: Option<usize>,
    allowed_origins: Option<Vec<String>>,
    allowed_hosts: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CdnSection {
    enabled: Option<bool>,
    domain_id: Option<String>,
    endpoint: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct IotdaSection {
    enabled: Option<bool>,
    project_id: Option<String>,
    region: Option<String>,
    endpoint: Option<String>,
    instance_id: Option<String>,
    signing: Option<IotdaSigning>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClsSection {
    enabled: Option<bool>,
    region: Option<String>,
    endpoint: Option<String>,
    topics: Option<Vec<TopicEntry>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TopicEntry {
    id: String,
    name: String,
}

/// Key names that would hold a secret: refused in the file, with directions to the environment.
const SECRET_KEY_NAMES: [&str; 10] =
    ["ak", "sk", "access_key", "secret_key", "secret_id", "secret", "access_token", "token", "password", "key"];

/// One setting: where it lives in the file and which environment variable overrides it.
struct Setting {
    key: &'static str,
    env: &'static str,
}

impl Setting {
    fn name(&self) -> String {
        format!("`{}` (env {})", self.key, self.env)
    }
}

const UPSTREAM_TIMEOUT: Setting = Setting { key: "proxy.upstream_timeout", env: "EXPORT_DESK_UPSTREAM_TIMEOUT" };
const MAX_BODY_BYTES: Setting = Setting { key: "proxy.max_body_bytes", env: "EXPORT_DESK_MAX_BODY_BYTES" };
const ALLOWED_ORIGINS: Setting = Setting { key: "proxy.allowed_origins", env: "EXPORT_DESK_ALLOWED_ORIGINS" };
const ALLOWED_HOSTS: Setting = Setting { key: "proxy.allowed_hosts", env: "EXPORT_DESK_ALLOWED_HOSTS" };
const CDN_ENABLED: Setting = Setting { key: "cdn.enabled", env: "EXPORT_DESK_CDN_ENABLED" };
const CDN_DOMAIN_ID: Setting = Setting { key: "cdn.domain_id", env: "EXPORT_DESK_CDN_DOMAIN_ID" };
const CDN_ENDPOINT: Setting = Setting { key: "cdn.endpoint", env: "EXPORT_DESK_CDN_ENDPOINT" };
const IOTDA_ENABLED: Setting = Setting { key: "iotda.enabled", env: "EXPORT_DESK_IOTDA_ENABLED" };
const IOTDA_PROJECT_ID: Setting = Setting { key: "iotda.project_id", env: "EXPORT_DESK_IOTDA_PROJECT_ID" };
const IOTDA_REGION: Setting = Setting { key: "iotda.region", env: "EXPORT_DESK_IOTDA_REGION" };
const IOTDA_ENDPOINT: Setting = Setting { key: "iotda.endpoint", env: "EXPORT_DESK_IOTDA_ENDPOINT" };
const IOTDA_INSTANCE_ID: Setting = Setting { key: "iotda.instance_id", env: "EXPORT_DESK_IOTDA_INSTANCE_ID" };
const IOTDA_SIGNING: Setting = Setting { key: "iotda.signing", env: "EXPORT_DESK_IOTDA_SIGNING" };
const CLS_ENABLED: Setting = Setting { key: "cls.enabled", env: "EXPORT_DESK_CLS_ENABLED" };
const CLS_REGION: Setting = Setting { key: "cls.region", env: "EXPORT_DESK_CLS_REGION" };
const CLS_ENDPOINT: Setting = Setting { key: "cls.endpoint", env: "EXPORT_DESK_CLS_ENDPOINT" };

/// Reads settings with their environment overrides, collecting problems as it goes.
struct Reader<'e> {
    env: &'e dyn Fn(&str) -> Option<String>,
    problems: Vec<String>,
}

impl Reader<'_> {
    /// The variable's value; an empty one counts as unset (a blank line in an env file).
    fn var(&self, name: &str) -> Option<String> {
        (self.env)(name).map(|value| value.trim().to_owned()).filter(|value| !value.is_empty())
    }

    fn text(&self, setting: &Setting, file: Option<String>) -> Option<String> {
        self.var(setting.env).or(file.map(|value| value.trim().to_owned()).filter(|value| !value.is_empty()))
    }

    fn flag(&mut self, setting: &Setting, file: Option<bool>) -> Option<bool> {
        match self.var(setting.env) {
            None => file,
            Some(value) => match value.to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" | "on" => Some(true),
                "false" | "0" | "no" | "off" => Some(false),
                _ => {
                    self.problems.push(format!("{} must be true or false, not {value:?}", setting.name()));
                    None
                }
            },
        }
    }

    fn list(&self, setting: &Setting, file: Option<Vec<String>>) -> Vec<String> {
        match self.var(setting.env) {
            Some(value) => {
                value.split(',').map(|item| item.trim().to_owned()).filter(|item| !item.is_empty()).collect()
            }
            None => file.unwrap_or_default(),
        }
    }

    /// An identifier the clouds put in paths and headers: letters, digits, `-`, `_`.
    fn id(&mut self, setting: &Setting, value: Option<String>) -> Option<String> {
        let value = value?;
        if is_plain_id(&value) {
            Some(value)
        } else {
            self.problems.push(format!(
                "{} must be letters, digits, `-` and `_` only (at most 128), not {value:?}",
                setting.name()
            ));
            None
        }
    }

    fn required(&mut self, setting: &Setting, value: Option<String>, why: &str) -> Option<String> {
        if value.is_none() {
            self.problems.push(format!("{} is missing: {why}", setting.name()));
        }
        value
    }

    /// The endpoint given, or the default. Only an explicit endpoint may be plain `http` (a
    /// private endpoint inside a trusted network, or a local mock in tests).
    fn endpoint(&mut self, setting: &Setting, given: Option<String>, default: &str) -> Option<Upstream> {
        match given {
            None => parse_endpoint(default).ok(),
            Some(given) => match parse_endpoint(&given) {
                Ok(upstream) => {
                    if upstream.base.starts_with("http://") {
                        tracing::warn!(
                            setting = setting.key,
                            endpoint = %upstream.base,
                            "a plain-http upstream: signed calls travel unencrypted (fine for a local mock, not for a cloud)"
                        );
                    }
                    Some(upstream)
                }
                Err(why) => {
                    self.problems.push(format!("{} = {given:?}: {why}", setting.name()));
                    None
                }
            },
        }
    }
}

/// A value safe to put in a path segment or header unchanged: what account, project and instance
/// ids and region names are.
pub fn is_plain_id(value: &str) -> bool {
    (1..=128).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// `scheme://host[:port]` with nothing else: a path would be dropped by the SDKs, credentials in a
/// URL would leak into logs.
pub fn parse_endpoint(text: &str) -> Result<Upstream, String> {
    let url = Url::parse(text).map_err(|err| format!("not a URL ({err})"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("the scheme must be https (or http for a private endpoint), not {}", url.scheme()));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("credentials do not belong in the URL".to_owned());
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err("give scheme, host and port only: no path, query or fragment".to_owned());
    }
    let host = url.host_str().filter(|host| !host.is_empty()).ok_or("the URL has no host")?;
    let host = match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    };
    Ok(Upstream { base: format!("{}://{host}", url.scheme()), host })
}

impl ProxyConfig {
    /// Reads `file` (if any) and the environment through `env`, checked as a whole.
    pub fn load(file: Option<&Path>, env: &dyn Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let mut reader = Reader { env, problems: Vec::new() };
        let parsed = match file {
            None => FileConfig::default(),
            Some(path) => match std::fs::read_to_string(path) {
                Ok(text) => match parse_file(&text) {
                    Ok(parsed) => parsed,
                    Err(why) => return Err(ConfigError { problems: vec![format!("{}: {why}", path.display())] }),
                },
                Err(err) => {
                    return Err(ConfigError { problems: vec![format!("cannot read {}: {err}", path.display())] })
                }
            },
        };
        let config = Self::build(&mut reader, parsed);
        match config {
            Some(config) if reader.problems.is_empty() => Ok(config),
            _ => Err(ConfigError { problems: reader.problems }),
        }
    }

    fn build(reader: &mut Reader<'_>, file: FileConfig) -> Option<Self> {
        let upstream_timeout = match reader.text(&UPSTREAM_TIMEOUT, file.proxy.upstream_timeout) {
            None => Some(DEFAULT_UPSTREAM_TIMEOUT),
            Some(text) => match duration::parse(&text) {
                Ok(timeout) if !timeout.is_zero() && timeout <= MAX_UPSTREAM_TIMEOUT => Some(timeout),
                Ok(_) => {
                    reader.problems.push(format!("{} must be above 0 and at most 10m", UPSTREAM_TIMEOUT.name()));
                    None
                }
                Err(why) => {
                    reader.problems.push(format!("{}: {why}", UPSTREAM_TIMEOUT.name()));
                    None
                }
            },
        };
        let max_body_bytes = match reader.var(MAX_BODY_BYTES.env) {
            Some(text) => text.parse::<usize>().ok(),
            None => Some(file.proxy.max_body_bytes.unwrap_or(DEFAULT_MAX_BODY_BYTES)),
        }
        .filter(|bytes| (1..=MAX_BODY_BYTES_LIMIT).contains(bytes));
        if max_body_bytes.is_none() {
            reader
                .problems
                .push(format!("{} must be a number of bytes from 1 to {MAX_BODY_BYTES_LIMIT}", MAX_BODY_BYTES.name()));
        }
        let mut allowed_origins = Vec::new();
        for origin in reader.list(&ALLOWED_ORIGINS, file.proxy.allowed_origins) {
            match crate::access::parse_origin(&origin) {
                Ok(origin) => allowed_origins.push(origin),
                Err(why) => reader.problems.push(format!("{}: {origin:?}: {why}", ALLOWED_ORIGINS.name())),
            }
        }
        let mut allowed_hosts = Vec::new();
        for host in reader.list(&ALLOWED_HOSTS, file.proxy.allowed_hosts) {
            match crate::access::parse_host(&host) {
                Ok(host) => allowed_hosts.push(host),
                Err(why) => reader.problems.push(format!("{}: {why}", ALLOWED_HOSTS.name())),
            }
        }
        let access_token = reader.var(ACCESS_TOKEN_ENV);
        if access_token.as_ref().is_some_and(|token| token.chars().count() < ACCESS_TOKEN_MIN_CHARS) {
            reader.problems.push(format!("{ACCESS_TOKEN_ENV} must be at least {ACCESS_TOKEN_MIN_CHARS} characters"));
        }

        let huawei = key_pair(reader, HUAWEI_AK_ENV, HUAWEI_SK_ENV, "Huawei Cloud")
            .map(|(access_key, secret_key)| HuaweiKeys { access_key, secret_key });
        let tencent = key_pair(reader, TENCENT_SECRET_ID_ENV, TENCENT_SECRET_KEY_ENV, "Tencent Cloud")
            .map(|(secret_id, secret_key)| TencentKeys { secret_id, secret_key });

        let cdn = cdn(reader, file.cdn, huawei.as_ref());
        let iotda = iotda(reader, file.iotda, huawei.as_ref());
        let cls = cls(reader, file.cls, tencent);
        Some(Self {
            upstream_timeout: upstream_timeout?,
            max_body_bytes: max_body_bytes?,
            allowed_origins,
            allowed_hosts,
            access_token: access_token.map(SecretKey::from),
            cdn: cdn?,
            iotda: iotda?,
            cls: cls?,
        })
    }
}

fn parse_file(text: &str) -> Result<FileConfig, String> {
    let table: toml::Table = toml::from_str(text).map_err(|err| format!("not valid TOML: {err}"))?;
    let mut secrets = Vec::new();
    find_secret_keys(&table, "", &mut secrets);
    if !secrets.is_empty() {
        return Err(format!(
            "{} would hold a secret; secrets are read from the environment only ({HUAWEI_AK_ENV}, {HUAWEI_SK_ENV}, \
             {TENCENT_SECRET_ID_ENV}, {TENCENT_SECRET_KEY_ENV}, {ACCESS_TOKEN_ENV}), so a config file can be shared safely",
            secrets.join(", ")
        ));
    }
    FileConfig::deserialize(table).map_err(|err| err.to_string())
}

fn find_secret_keys(table: &toml::Table, prefix: &str, found: &mut Vec<String>) {
    for (key, value) in table {
        let path = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
        if SECRET_KEY_NAMES.contains(&key.to_ascii_lowercase().as_str()) {
            found.push(format!("`{path}`"));
        }
        if let toml::Value::Table(inner) = value {
            find_secret_keys(inner, &path, found);
        }
    }
}

/// Both halves of a key pair, or neither; half a pair is a mistake worth stopping for.
fn key_pair(reader: &mut Reader<'_>, id_env: &str, key_env: &str, cloud: &str) -> Option<(SecretKey, SecretKey)> {
    match (reader.var(id_env), reader.var(key_env)) {
        (Some(id), Some(key)) => Some((SecretKey::from(id), SecretKey::from(key))),
        (None, None) => None,
        (Some(_), None) => {
            reader.problems.push(format!("{id_env} is set but {key_env} is not: {cloud} needs both"));
            None
        }
        (None, Some(_)) => {
            reader.problems.push(format!("{key_env} is set but {id_env} is not: {cloud} needs both"));
            None
        }
    }
}

/// Whether a provider is wanted: `enabled` unset means "if its credentials are there".
fn wanted<K: Clone>(
    reader: &mut Reader<'_>,
    setting: &Setting,
    enabled: Option<bool>,
    keys: Option<&K>,
    missing_keys: &str,
) -> Result<K, String> {
    match (reader.flag(setting, enabled), keys) {
        (Some(false), _) => Err(format!("switched off in the configuration ({} = false)", setting.key)),
        (_, Some(keys)) => Ok(keys.clone()),
        (Some(true), None) => {
            reader.problems.push(format!("{} is true but {missing_keys}", setting.name()));
            Err(String::new())
        }
        (None, None) => Err(missing_keys.to_owned()),
    }
}

fn cdn(reader: &mut Reader<'_>, file: CdnSection, keys: Option<&HuaweiKeys>) -> Option<Availability<CdnTarget>> {
    let missing = format!("no Huawei Cloud credentials ({HUAWEI_AK_ENV} and {HUAWEI_SK_ENV} are not set)");
    let keys = match wanted(reader, &CDN_ENABLED, file.enabled, keys, &missing) {
        Ok(keys) => keys,
        Err(reason) => return Some(Availability::Disabled(reason)),
    };
    let domain_id = reader.text(&CDN_DOMAIN_ID, file.domain_id);
    let domain_id = reader.required(&CDN_DOMAIN_ID, domain_id, "CDN takes the account id as X-Domain-Id");
    let domain_id = reader.id(&CDN_DOMAIN_ID, domain_id);
    let endpoint = reader.text(&CDN_ENDPOINT, file.endpoint);
    let upstream = reader.endpoint(&CDN_ENDPOINT, endpoint, CDN_DEFAULT_ENDPOINT);
    Some(Availability::Enabled(CdnTarget { upstream: upstream?, keys, domain_id: domain_id? }))
}

fn iotda(reader: &mut Reader<'_>, file: IotdaSection, keys: Option<&HuaweiKeys>) -> Option<Availability<IotdaTarget>> {
    let missing = format!("no Huawei Cloud credentials ({HUAWEI_AK_ENV} and {HUAWEI_SK_ENV} are not set)");
    let keys = match wanted(reader, &IOTDA_ENABLED, file.enabled, keys, &missing) {
        Ok(keys) => keys,
        Err(reason) => return Some(Availability::Disabled(reason)),
    };
    let project_id = reader.text(&IOTDA_PROJECT_ID, file.project_id);
    let project_id = reader.required(&IOTDA_PROJECT_ID, project_id, "IoTDA paths and X-Project-Id carry it");
    let project_id = reader.id(&IOTDA_PROJECT_ID, project_id);
    let region = reader.text(&IOTDA_REGION, file.region);
    let region = reader.required(&IOTDA_REGION, region, "it names the endpoint and scopes derived signatures");
    let region = reader.id(&IOTDA_REGION, region);
    let instance_id = reader.text(&IOTDA_INSTANCE_ID, file.instance_id);
    let instance_id = match instance_id {
        Some(id) => Some(reader.id(&IOTDA_INSTANCE_ID, Some(id))?),
        None => None,
    };
    let endpoint = reader.text(&IOTDA_ENDPOINT, file.endpoint);
    let signing = match reader.var(IOTDA_SIGNING.env) {
        Some(text) => match text.as_str() {
            "sdk" => Some(IotdaSigning::Sdk),
            "derived" => Some(IotdaSigning::Derived),
            _ => {
                reader.problems.push(format!("{} must be `sdk` or `derived`, not {text:?}", IOTDA_SIGNING.name()));
                return None;
            }
        },
        None => file.signing,
    };
    let region = region?;
    let default_endpoint = format!("https://iotda.{region}.myhuaweicloud.com");
    let upstream = reader.endpoint(&IOTDA_ENDPOINT, endpoint, &default_endpoint)?;
    // The SDK signs instance access addresses (`….iotda-app.<region>.myhuaweicloud.com`) with the
    // derived scheme and the regional endpoint with the plain one.
    let signing = signing.unwrap_or(if upstream.host.contains(".iotda-app.") {
        IotdaSigning::Derived
    } else {
        IotdaSigning::Sdk
    });
    Some(Availability::Enabled(IotdaTarget { upstream, keys, project_id: project_id?, region, instance_id, signing }))
}

fn cls(reader: &mut Reader<'_>, file: ClsSection, keys: Option<TencentKeys>) -> Option<Availability<ClsTarget>> {
    let missing =
        format!("no Tencent Cloud credentials ({TENCENT_SECRET_ID_ENV} and {TENCENT_SECRET_KEY_ENV} are not set)");
    let keys = match wanted(reader, &CLS_ENABLED, file.enabled, keys.as_ref(), &missing) {
        Ok(keys) => keys,
        Err(reason) => return Some(Availability::Disabled(reason)),
    };
    let region = reader.text(&CLS_REGION, file.region);
    let region = reader.required(&CLS_REGION, region, "CLS calls name their region in X-TC-Region");
    let region = reader.id(&CLS_REGION, region);
    let endpoint = reader.text(&CLS_ENDPOINT, file.endpoint);
    let upstream = reader.endpoint(&CLS_ENDPOINT, endpoint, CLS_DEFAULT_ENDPOINT);
    let topics = file
        .topics
        .unwrap_or_default()
        .into_iter()
        .map(|topic| ClsTopic { id: topic.id, name: topic.name, closed: false })
        .collect();
    Some(Availability::Enabled(ClsTarget { upstream: upstream?, keys, region: region?, topics }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn load(file: Option<&str>, vars: &[(&str, &str)]) -> Result<ProxyConfig, ConfigError> {
        let vars: HashMap<String, String> = vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        let env = move |name: &str| vars.get(name).cloned();
        match file {
            None => ProxyConfig::load(None, &env),
            Some(text) => {
                let path =
                    std::env::temp_dir().join(format!("export-desk-proxy-config-{}.toml", rand::random::<u64>()));
                std::fs::write(&path, text).unwrap();
                let result = ProxyConfig::load(Some(&path), &env);
                std::fs::remove_file(&path).unwrap();
                result
            }
        }
    }

    const ALL_KEYS: [(&str, &str); 4] = [
        (HUAWEI_AK_ENV, "HWAK"),
        (HUAWEI_SK_ENV, "hw-secret"),
        (TENCENT_SECRET_ID_ENV, "TCID"),
        (TENCENT_SECRET_KEY_ENV, "tc-secret"),
    ];

    #[test]
    fn without_credentials_every_provider_is_disabled_with_the_reason() {
        let config = load(None, &[]).unwrap();
        let Availability::Disabled(reason) = &config.cdn else { panic!("{config:?}") };
        assert!(reason.contains(HUAWEI_AK_ENV), "{reason}");
        assert!(matches!(&config.cls, Availability::Disabled(reason) if reason.contains(TENCENT_SECRET_ID_ENV)));
        assert!(config.iotda.enabled().is_none());
        assert_eq!(config.upstream_timeout, DEFAULT_UPSTREAM_TIMEOUT);
    }

    #[test]
    fn a_full_configuration_from_file_and_environment() {
        let file = r#"
            [proxy]
            upstream_timeout = "5s"
            allowed_origins = ["https://desk.example.com"]
            [cdn]
            domain_id = "from-file"
            [iotda]
            project_id = "p1"
            region = "cn-north-4"
            instance_id = "i-1"
            [cls]
            region = "ap-guangzhou"
            topics = [{ id = "t-1", name = "nginx" }]
        "#;
        let mut vars = ALL_KEYS.to_vec();
        vars.push(("EXPORT_DESK_CDN_DOMAIN_ID", "from-env"));
        let config = load(Some(file), &vars).unwrap();
        assert_eq!(config.upstream_timeout, Duration::from_secs(5));
        assert_eq!(config.allowed_origins, ["https://desk.example.com"]);
        let cdn = config.cdn.enabled().unwrap();
        assert_eq!(cdn.domain_id, "from-env", "the environment wins");
        assert_eq!(cdn.upstream, Upstream { base: CDN_DEFAULT_ENDPOINT.into(), host: "cdn.myhuaweicloud.com".into() });
        let iotda = config.iotda.enabled().unwrap();
        assert_eq!(iotda.upstream.host, "iotda.cn-north-4.myhuaweicloud.com");
        assert_eq!((iotda.signing, iotda.instance_id.as_deref()), (IotdaSigning::Sdk, Some("i-1")));
        let cls = config.cls.enabled().unwrap();
        assert_eq!((cls.region.as_str(), cls.topics.len()), ("ap-guangzhou", 1));
        let debug = format!("{config:?}");
        assert!(!debug.contains("hw-secret") && !debug.contains("tc-secret"), "{debug}");
    }

    #[test]
    fn every_missing_piece_is_named_at_once() {
        let err = load(None, &ALL_KEYS).unwrap_err();
        let text = err.to_string();
        for name in ["cdn.domain_id", "EXPORT_DESK_IOTDA_PROJECT_ID", "iotda.region", "EXPORT_DESK_CLS_REGION"] {
            assert!(text.contains(name), "{name} in {text}");
        }
    }

    #[test]
    fn half_a_key_pair_or_a_provider_asked_for_without_keys_stops_start_up() {
        let err = load(None, &[(HUAWEI_AK_ENV, "ak")]).unwrap_err().to_string();
        assert!(err.contains("CLOUD_SDK_SK is not"), "{err}");
        let err = load(None, &[(TENCENT_SECRET_KEY_ENV, "k")]).unwrap_err().to_string();
        assert!(err.contains("TENCENTCLOUD_SECRET_ID is not"), "{err}");
        let err = load(Some("[cls]\nenabled = true\nregion = \"ap-guangzhou\"\n"), &[]).unwrap_err().to_string();
        assert!(err.contains("cls.enabled") && err.contains(TENCENT_SECRET_ID_ENV), "{err}");
    }

    #[test]
    fn a_provider_switched_off_needs_nothing_else() {
        let vars = [(HUAWEI_AK_ENV, "a"), (HUAWEI_SK_ENV, "b"), ("EXPORT_DESK_IOTDA_ENABLED", "false")];
        let config = load(Some("[cdn]\ndomain_id = \"d\"\n"), &vars).unwrap();
        assert!(config.cdn.enabled().is_some());
        assert!(matches!(&config.iotda, Availability::Disabled(reason) if reason.contains("iotda.enabled = false")));
    }

    #[test]
    fn secrets_and_unknown_keys_in_the_file_are_refused() {
        let err = load(Some("[cdn]\nsecret_key = \"x\"\n"), &[]).unwrap_err().to_string();
        assert!(err.contains("`cdn.secret_key`") && err.contains("environment only"), "{err}");
        assert!(!err.contains("\"x\""), "the value is not repeated: {err}");
        let err = load(Some("[cdn]\ndomian_id = \"x\"\n"), &[]).unwrap_err().to_string();
        assert!(err.contains("domian_id"), "{err}");
        let err = load(Some("[cdn\n"), &[]).unwrap_err().to_string();
        assert!(err.contains("not valid TOML"), "{err}");
    }

    #[test]
    fn endpoints_are_scheme_host_and_port_only() {
        assert_eq!(
            parse_endpoint("http://127.0.0.1:8787").unwrap(),
            Upstream { base: "http://127.0.0.1:8787".into(), host: "127.0.0.1:8787".into() }
        );
        assert_eq!(parse_endpoint("https://x.example/").unwrap().host, "x.example");
        for bad in ["ftp://x", "https://x/v1", "https://u:p@x", "https://x?a=1", "x.example", "https://x#f"] {
            assert!(parse_endpoint(bad).is_err(), "{bad}");
        }
        let derived = load(
            None,
            &[
                (HUAWEI_AK_ENV, "a"),
                (HUAWEI_SK_ENV, "b"),
                ("EXPORT_DESK_CDN_ENABLED", "false"),
                ("EXPORT_DESK_IOTDA_PROJECT_ID", "p"),
                ("EXPORT_DESK_IOTDA_REGION", "cn-north-4"),
                ("EXPORT_DESK_IOTDA_ENDPOINT", "https://abc.st1.iotda-app.cn-north-4.myhuaweicloud.com"),
            ],
        )
        .unwrap();
        assert_eq!(derived.iotda.enabled().unwrap().signing, IotdaSigning::Derived, "instance addresses sign derived");
    }

    #[test]
    fn origins_hosts_tokens_and_limits_are_checked() {
        let bad = [
            ("EXPORT_DESK_ALLOWED_ORIGINS", "https://desk.example.com/app"),
            ("EXPORT_DESK_ALLOWED_HOSTS", "http://desk.example.com"),
            (ACCESS_TOKEN_ENV, "short"),
            ("EXPORT_DESK_MAX_BODY_BYTES", "0"),
            ("EXPORT_DESK_UPSTREAM_TIMEOUT", "0s"),
        ];
        let err = load(None, &bad).unwrap_err();
        assert_eq!(err.problems.len(), bad.len(), "{err}");
        let good = [
            ("EXPORT_DESK_ALLOWED_ORIGINS", "https://a.example, http://localhost:3000"),
            ("EXPORT_DESK_ALLOWED_HOSTS", "Desk.Example.com"),
            (ACCESS_TOKEN_ENV, "0123456789abcdef"),
        ];
        let config = load(None, &good).unwrap();
        assert_eq!(config.allowed_origins, ["https://a.example", "http://localhost:3000"]);
        assert_eq!(config.allowed_hosts, ["desk.example.com"]);
        assert_eq!(config.access_token.as_ref().map(SecretKey::expose), Some("0123456789abcdef"));
    }
}
