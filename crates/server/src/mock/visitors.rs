//! A public demo's visitors (`--demo`). Strangers share one mock, where the clouds would give each
//! its own account, so each visitor (a client address: see [`crate::client`]) gets limits of
//! their own, and no one can use up what everyone shares:
//!
//! - creates and deletes: `--visitor-writes-per-minute` per visitor (a token bucket, bursts
//!   included), answered like the cloud's throttling (HTTP 429 with `Retry-After`);
//! - tasks: `--visitor-tasks` creates per visitor between two scheduled resets, so one visitor
//!   cannot fill the stores until everyone else's tasks are dropped;
//! - CLS's 20 requests per second are counted per visitor, as Tencent counts them per account
//!   (the request carries [`Visitor`] for the CLS handler).
//!
//! Refusals are the mock's own (`MOCK.0429`; Tencent's `RequestLimitExceeded`/`LimitExceeded`),
//! in the provider's envelope, and journaled like any answer.

use super::operations;
use crate::client::{self, ClientKey, IpRange};
use crate::envelope::{self, ErrorFormat};
use crate::rate_limit::RateLimiter;
use crate::request_id::RequestId;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::schedule::ResetSchedule;

/// The visitor a request counts against, for handlers with limits of their own (CLS's rate).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Visitor(pub ClientKey);

/// Visitors whose task counts are kept between resets (about 4 MB of counts); beyond, new
/// visitors share one share until the next reset.
const MAX_COUNTED_VISITORS: usize = 100_000;

/// What each visitor may do (`--visitor-writes-per-minute`, `--visitor-tasks`).
#[derive(Debug, Clone, Copy)]
pub struct Shares {
    /// Creates and deletes per minute, bursts included.
    pub writes_per_minute: u32,
    /// Creates between two resets.
    pub tasks_per_visitor: u32,
}

pub struct Visitors {
    trusted_proxies: Vec<IpRange>,
    writes: RateLimiter<ClientKey>,
    writes_per_minute: u32,
    tasks_per_visitor: u32,
    /// Creates each visitor has made (or has on the way) since the last reset; `None` is the
    /// share of the visitors beyond the table's bound.
    created: Mutex<HashMap<Option<ClientKey>, u32>>,
    schedule: Option<Arc<ResetSchedule>>,
}

impl Visitors {
    /// Visitors told apart behind `trusted_proxies`, each with `shares`.
    pub fn new(trusted_proxies: Vec<IpRange>, shares: Shares, schedule: Option<Arc<ResetSchedule>>) -> Self {
        Self {
            trusted_proxies,
            writes: RateLimiter::per_minute(shares.writes_per_minute),
            writes_per_minute: shares.writes_per_minute,
            tasks_per_visitor: shares.tasks_per_visitor,
            created: Mutex::new(HashMap::new()),
            schedule,
        }
    }

    /// After a reset every visitor may create their share again.
    pub fn new_period(&self) {
        self.created.lock().expect("visitors lock").clear();
    }

    /// Counts a create against `visitor`'s share, if there is room; returns the share it was
    /// counted under, to give back should the create be refused. Once the table holds
    /// [`MAX_COUNTED_VISITORS`], new visitors share one share among them (so a flood of addresses
    /// can use up that one, not lock every newcomer out).
    fn reserve_task(&self, visitor: ClientKey) -> Result<Option<ClientKey>, QuotaRefusal> {
        let mut created = self.created.lock().expect("visitors lock");
        let share = if created.len() >= MAX_COUNTED_VISITORS && !created.contains_key(&Some(visitor)) {
            None
        } else {
            Some(visitor)
        };
        let count = created.entry(share).or_insert(0);
        if *count >= self.tasks_per_visitor {
            return Err(if share.is_some() { QuotaRefusal::Spent } else { QuotaRefusal::TooManyVisitors });
        }
        *count += 1;
        Ok(share)
    }

    /// Gives back a share that made no task (the create was refused); a visitor with nothing
    /// counted takes no room in the table.
    fn release_task(&self, share: Option<ClientKey>) {
        let mut created = self.created.lock().expect("visitors lock");
        if let Some(count) = created.get_mut(&share) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                created.remove(&share);
            }
        }
    }

    /// Seconds until the next reset gives visitors a new share, for `Retry-After`.
    fn seconds_to_next_reset(&self) -> Option<u64> {
        let schedule = self.schedule.as_ref()?;
        let wait_ms = schedule.next_reset_ms().saturating_sub(super::clock::Clock::wall_now_ms()).max(0);
        Some(u64::try_from(wait_ms).unwrap_or(0).div_ceil(1000).max(1))
    }
}

#[derive(Debug, PartialEq, Eq)]
enum QuotaRefusal {
    Spent,
    TooManyVisitors,
}

/// The middleware in front of the mock's cloud paths in `--demo`: names the visitor on every
/// request, and holds their creates and deletes to their limits.
pub async fn limit(State(visitors): State<Arc<Visitors>>, mut request: Request, next: Next) -> Response {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>();
    let Some(address) = client::address(peer, request.headers(), &visitors.trusted_proxies) else {
        return next.run(request).await;
    };
    let visitor = ClientKey::of(address);
    request.extensions_mut().insert(Visitor(visitor));
    let operation = operations::identify(request.method(), request.uri().path(), request.headers());
    let Some(operation) = operation.filter(|operation| operation.is_write()) else {
        return next.run(request).await;
    };
    let request_id = request.extensions().get::<RequestId>().map(|id| id.0.clone()).unwrap_or_default();
    let refuse = |tencent_code: &str, message: String, retry_after: Option<u64>| {
        let format = operation.errors;
        let (status, code) = match format {
            ErrorFormat::Tencent => (StatusCode::OK, tencent_code),
            _ => (StatusCode::TOO_MANY_REQUESTS, "MOCK.0429"),
        };
        let mut response = format.error(status, code, &message, &request_id);
        if let Some(seconds) = retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        tracing::info!(%visitor, operation = operation.name, "demo visitor limit: {message}");
        response
    };
    if let Err(wait) = visitors.writes.admit(visitor) {
        let message = format!(
            "This public demo accepts {} creates and deletes a minute from each visitor; try again in a moment.",
            visitors.writes_per_minute
        );
        return refuse("RequestLimitExceeded", message, Some(seconds_rounded_up(wait)));
    }
    if !operation.is_create() {
        return next.run(request).await;
    }
    let share = match visitors.reserve_task(visitor) {
        Ok(share) => share,
        Err(refusal) => {
            let when = match visitors.seconds_to_next_reset() {
                Some(seconds) => format!("the demo resets in {}", describe_wait(seconds)),
                None => "an administrator resets the demo".to_owned(),
            };
            let message = match refusal {
            QuotaRefusal::Spent => format!(
                "This public demo keeps at most {} new tasks from each visitor between resets, and you have created them; \
                 you can create more after {when}.",
                visitors.tasks_per_visitor
            ),
            QuotaRefusal::TooManyVisitors => {
                format!("This public demo has had too many visitors since its last reset, and the newest have used up the tasks they share; you can create more after {when}.")
            }
        };
            return refuse("LimitExceeded", message, visitors.seconds_to_next_reset());
        }
    };
    let response = next.run(request).await;
    if envelope::is_error(&response) {
        visitors.release_task(share);
    }
    response
}

fn seconds_rounded_up(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

/// "40 s", "12 min", "2 h 5 min": how long until the next reset, for a person.
fn describe_wait(seconds: u64) -> String {
    match seconds {
        0..=59 => format!("{seconds} s"),
        60..=3599 => format!("{} min", seconds.div_ceil(60)),
        _ => format!("{} h {} min", seconds / 3600, (seconds % 3600).div_ceil(60)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn visitors(tasks_per_visitor: u32) -> Visitors {
        Visitors::new(Vec::new(), Shares { writes_per_minute: 30, tasks_per_visitor }, None)
    }

    #[test]
    fn each_visitor_has_their_own_share_until_the_next_period() {
        let visitors = visitors(2);
        let a = ClientKey::of("192.0.2.1".parse().unwrap());
        let b = ClientKey::of("192.0.2.2".parse().unwrap());
        assert!(visitors.reserve_task(a).is_ok() && visitors.reserve_task(a).is_ok());
        assert!(visitors.reserve_task(a).is_err(), "a's share is spent");
        assert_eq!(visitors.reserve_task(b), Ok(Some(b)), "b's is not");
        visitors.release_task(Some(a));
        assert!(visitors.reserve_task(a).is_ok(), "a refused create gives its share back");
        visitors.new_period();
        assert!(visitors.reserve_task(a).is_ok() && visitors.reserve_task(a).is_ok());
    }

    #[test]
    fn refused_creates_take_no_room_and_a_full_table_shares_one_share() {
        let visitors = visitors(2);
        let key = |n: u32| ClientKey::of(std::net::IpAddr::V4(n.into()));
        for n in 0..MAX_COUNTED_VISITORS as u32 + 10 {
            let share = visitors.reserve_task(key(n)).expect("room");
            visitors.release_task(share);
        }
        assert!(visitors.created.lock().unwrap().is_empty(), "refused creates leave nothing behind");
        for n in 0..MAX_COUNTED_VISITORS as u32 {
            assert_eq!(visitors.reserve_task(key(n)), Ok(Some(key(n))));
        }
        let late = key(u32::MAX);
        assert_eq!(visitors.reserve_task(late), Ok(None), "a newcomer to a full table shares the last share");
        assert_eq!(visitors.reserve_task(key(u32::MAX - 1)), Ok(None));
        assert_eq!(visitors.reserve_task(late), Err(QuotaRefusal::TooManyVisitors));
        assert_eq!(visitors.reserve_task(key(0)), Ok(Some(key(0))), "counted visitors keep their own share");
    }

    #[test]
    fn waits_read_as_a_person_would_say_them() {
        assert_eq!(describe_wait(40), "40 s");
        assert_eq!(describe_wait(61), "2 min");
        assert_eq!(describe_wait(3600 + 5 * 60), "1 h 5 min");
        assert_eq!(seconds_rounded_up(Duration::from_millis(1001)), 2);
    }
}
