//! Fault injection: per operation, added latency and forced errors, so a client's handling of a
//! slow or failing cloud can be tested against the mock.
//!
//! Whether a call gets the error is drawn from a generator seeded per rule (the rule's own `seed`,
//! else the mock's), so the same rule over the same sequence of calls of its operation fails the
//! same calls every time, whatever other traffic the mock sees meanwhile.

use super::operations::{self, Operation};
use super::{Resettable, Restart};
use axum::http::StatusCode;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

/// More than any client's timeout worth testing; a typo of extra zeros should not hang a call for hours.
pub const MAX_LATENCY_MS: u64 = 600_000;
/// Longest `error_code`, in bytes: the clouds' codes are a few dozen characters
/// (`FailedOperation.TopicClosed`). With one rule per operation, rules take a few kilobytes each
/// at most, however they are posted.
pub const MAX_ERROR_CODE_BYTES: usize = 128;
/// Longest `error_msg`, in bytes.
pub const MAX_ERROR_MSG_BYTES: usize = 4096;

/// A rule as the admin API receives it; [`Rule::from_request`] checks it and fills the defaults.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleRequest {
    pub operation: String,
    #[serde(default)]
    pub latency_ms: u64,
    pub error_rate: Option<f64>,
    pub error_code: Option<String>,
    pub http_status: Option<u16>,
    pub error_msg: Option<String>,
    pub times: Option<u32>,
    pub seed: Option<u64>,
}

/// A fault rule in force. It is listed in the shape it is posted in, so a listed rule can be
/// posted again as it is.
#[derive(Debug, Clone, Serialize)]
#[serde(into = "RuleView")]
pub struct Rule {
    pub operation: &'static str,
    pub latency_ms: u64,
    /// Share of calls that get the error; 0 when the rule only adds latency.
    pub error_rate: f64,
    pub error: Option<ForcedError>,
    /// Calls left before the rule removes itself; `None` for no limit.
    pub times: Option<u32>,
    pub seed: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForcedError {
    pub code: String,
    pub status: StatusCode,
    pub message: String,
}

#[derive(Serialize)]
struct RuleView {
    operation: &'static str,
    latency_ms: u64,
    error_rate: Option<f64>,
    error_code: Option<String>,
    http_status: Option<u16>,
    error_msg: Option<String>,
    times: Option<u32>,
    seed: u64,
}

impl From<Rule> for RuleView {
    fn from(rule: Rule) -> Self {
        let has_error = rule.error.is_some();
        let (error_code, http_status, error_msg) = match rule.error {
            Some(error) => (Some(error.code), Some(error.status.as_u16()), Some(error.message)),
            None => (None, None, None),
        };
        Self {
            operation: rule.operation,
            latency_ms: rule.latency_ms,
            error_rate: has_error.then_some(rule.error_rate),
            error_code,
            http_status,
            error_msg,
            times: rule.times,
            seed: rule.seed,
        }
    }
}

impl Rule {
    /// Checks a requested rule; the error says what to change, in the request's own field names.
    pub fn from_request(request: RuleRequest, default_seed: u64) -> Result<Self, String> {
        let operation = operations::by_name(&request.operation).ok_or_else(|| {
            format!("unknown operation `{}`; known operations: {}", request.operation, operations::known_names())
        })?;
        if request.latency_ms > MAX_LATENCY_MS {
            return Err(format!("latency_ms must be at most {MAX_LATENCY_MS}, not {}", request.latency_ms));
        }
        if request.times == Some(0) {
            return Err("times must be at least 1 (leave it out for a rule that never expires)".to_owned());
        }
        if let Some(code) = request.error_code.as_deref().filter(|code| code.len() > MAX_ERROR_CODE_BYTES) {
            return Err(format!("error_code must be at most {MAX_ERROR_CODE_BYTES} bytes, not {}", code.len()));
        }
        if let Some(message) = request.error_msg.as_deref().filter(|message| message.len() > MAX_ERROR_MSG_BYTES) {
            return Err(format!("error_msg must be at most {MAX_ERROR_MSG_BYTES} bytes, not {}", message.len()));
        }
        let error = match request.error_code {
            Some(code) if code.trim().is_empty() => return Err("error_code must not be empty".to_owned()),
            Some(code) => Some(forced_error(operation, code, request.http_status, request.error_msg)?),
            None if request.error_rate.is_some() || request.http_status.is_some() || request.error_msg.is_some() => {
                return Err("error_rate, http_status and error_msg need an error_code to send".to_owned());
            }
            None => None,
        };
        let error_rate = match request.error_rate {
            Some(rate) if !(0.0..=1.0).contains(&rate) => {
                return Err(format!("error_rate must be from 0 to 1, not {rate}"));
            }
            Some(rate) => rate,
            None if error.is_some() => 1.0,
            None => 0.0,
        };
        if error.is_none() && request.latency_ms == 0 {
            return Err("the rule does nothing: give latency_ms, error_code or both".to_owned());
        }
        Ok(Self {
            operation: operation.name,
            latency_ms: request.latency_ms,
            error_rate,
            error,
            times: request.times,
            seed: request.seed.unwrap_or(default_seed),
        })
    }
}

fn forced_error(
    operation: &Operation,
    code: String,
    status: Option<u16>,
    message: Option<String>,
) -> Result<ForcedError, String> {
    let status = match status {
        None => operation.errors.default_status(),
        // 200 is allowed: CDN's error-code table lists its errors with HTTP 200, and a client
        // should be testable against that too.
        Some(number @ 200..=599) => StatusCode::from_u16(number).map_err(|err| format!("http_status: {err}"))?,
        Some(number) => return Err(format!("http_status must be from 200 to 599, not {number}")),
    };
    let message = message.unwrap_or_else(|| format!("Fault injected by the mock: {code}"));
    Ok(ForcedError { code, status, message })
}

/// What a call gets from the rules in force.
#[derive(Debug, Clone, Default)]
pub struct Verdict {
    pub latency: Duration,
    pub error: Option<ForcedError>,
}

pub struct Faults {
    state: Mutex<State>,
}

struct State {
    /// The seed of rules that bring none of their own: the mock's, as of start or the last reset.
    seed: u64,
    rules: BTreeMap<&'static str, Active>,
}

struct Active {
    rule: Rule,
    rng: ChaCha8Rng,
}

impl Faults {
    pub fn new(seed: u64) -> Self {
        Self { state: Mutex::new(State { seed, rules: BTreeMap::new() }) }
    }

    pub fn default_seed(&self) -> u64 {
        self.lock().seed
    }

    /// Puts the rule in force for its operation, replacing any earlier one: one rule per operation
    /// keeps what a call gets obvious. The generator starts afresh, so re-adding a rule repeats
    /// its pattern.
    pub fn set(&self, rule: Rule) {
        // The operation is mixed into the seed, so two operations with rules of the same seed do
        // not fail in lockstep.
        let rng = super::seeded::generator(rule.seed, "fault rule", rule.operation);
        self.lock().rules.insert(rule.operation, Active { rule, rng });
    }

    /// The rules in force, by operation name.
    pub fn rules(&self) -> Vec<Rule> {
        self.lock().rules.values().map(|active| active.rule.clone()).collect()
    }

    /// Removes the operation's rule (or every rule); returns how many were removed.
    pub fn remove(&self, operation: Option<&str>) -> usize {
        let mut state = self.lock();
        match operation {
            Some(name) => usize::from(state.rules.remove(name).is_some()),
            None => std::mem::take(&mut state.rules).len(),
        }
    }

    /// Decides a call of `operation`: counts it against the rule's `times` and draws whether the
    /// error fires. Every call draws, so the pattern depends only on the call's position.
    pub fn judge(&self, operation: &str) -> Option<Verdict> {
        let mut state = self.lock();
        let active = state.rules.get_mut(operation)?;
        let fires = active.rng.random_bool(active.rule.error_rate);
        let verdict = Verdict {
            latency: Duration::from_millis(active.rule.latency_ms),
            error: active.rule.error.clone().filter(|_| fires),
        };
        if let Some(times) = active.rule.times.as_mut() {
            *times -= 1;
            if *times == 0 {
                state.rules.remove(operation);
            }
        }
        Some(verdict)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().expect("faults lock")
    }
}

impl Resettable for Faults {
    fn reset(&self, restart: &Restart) {
        let mut state = self.lock();
        state.seed = restart.seed;
        state.rules.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(json: serde_json::Value) -> Result<Rule, String> {
        let request: RuleRequest = serde_json::from_value(json).map_err(|err| err.to_string())?;
        Rule::from_request(request, 9)
    }

    fn pattern(faults: &Faults, calls: usize) -> Vec<bool> {
        (0..calls).map(|_| faults.judge("cdn:ListExportTasks").is_some_and(|v| v.error.is_some())).collect()
    }

    #[test]
    fn an_error_code_alone_always_fires_with_the_providers_default_status() {
        let rule = request(serde_json::json!({"operation": "cdn:ListExportTasks", "error_code": "CDN.0005"})).unwrap();
        assert_eq!(rule.error_rate, 1.0);
        assert_eq!(rule.seed, 9, "the mock's seed by default");
        let error = rule.error.unwrap();
        assert_eq!(error.status, StatusCode::BAD_REQUEST);
        assert!(error.message.contains("CDN.0005"), "{}", error.message);
    }

    #[test]
    fn rules_that_cannot_be_meant_are_refused_with_the_reason() {
        let cases = [
            (serde_json::json!({"operation": "cdn:Nope", "latency_ms": 5}), "cdn:ListExportTasks"),
            (serde_json::json!({"operation": "cdn:ListExportTasks"}), "does nothing"),
            (serde_json::json!({"operation": "cdn:ListExportTasks", "error_rate": 0.5}), "need an error_code"),
            (
                serde_json::json!({"operation": "cdn:ListExportTasks", "error_code": "X", "error_rate": 2}),
                "from 0 to 1",
            ),
            (
                serde_json::json!({"operation": "cdn:ListExportTasks", "error_code": "X", "http_status": 99}),
                "200 to 599",
            ),
            (serde_json::json!({"operation": "cdn:ListExportTasks", "latency_ms": 1, "times": 0}), "at least 1"),
            (serde_json::json!({"operation": "cdn:ListExportTasks", "latency_ms": 600_001}), "at most"),
            (serde_json::json!({"operation": "cdn:ListExportTasks", "error_code": "X".repeat(129)}), "at most 128"),
            (
                serde_json::json!({"operation": "cdn:ListExportTasks", "error_code": "X", "error_msg": "m".repeat(4097)}),
                "at most 4096",
            ),
        ];
        for (json, mentions) in cases {
            let error = request(json.clone()).unwrap_err();
            assert!(error.contains(mentions), "{json}: {error}");
        }
    }

    #[test]
    fn the_same_rule_fails_the_same_calls_and_expires_after_its_times() {
        let faults = Faults::new(1);
        let rule = request(serde_json::json!({
            "operation": "cdn:ListExportTasks", "error_code": "CDN.0005", "error_rate": 0.5, "times": 40
        }))
        .unwrap();
        faults.set(rule.clone());
        let first = pattern(&faults, 40);
        assert!(first.contains(&true) && first.contains(&false), "{first:?}");
        assert!(faults.judge("cdn:ListExportTasks").is_none(), "expired after 40 calls");
        faults.set(rule);
        assert_eq!(pattern(&faults, 40), first);
    }

    #[test]
    fn reset_clears_the_rules_and_changes_the_default_seed() {
        let faults = Faults::new(1);
        faults.set(request(serde_json::json!({"operation": "cdn:ListExportTasks", "latency_ms": 5})).unwrap());
        faults.reset(&Restart { seed: 4, demo_tasks: 0 });
        assert!(faults.rules().is_empty());
        assert_eq!(faults.default_seed(), 4);
    }
}
