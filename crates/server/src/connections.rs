//! The accept loop: every connection is served by hyper's HTTP/1, under limits that keep slow or
//! idle clients from starving the others (`axum::serve` has none: a held connection stays open
//! for ever, and enough of them use up the open-file limit until nobody can connect).
//!
//! Each connection is in one phase, and its phase decides when it is closed:
//!
//! | phase | closed when |
//! |---|---|
//! | fresh (no request yet) | its first request's head is not complete `--header-timeout` after connecting |
//! | idle (between requests) | no request starts within `--idle-timeout` |
//! | reading a head | the head is not complete `--header-timeout` after its first byte |
//! | busy (handling a request, sending its answer) | the client reads none of the answer for `--idle-timeout` |
//!
//! A request body that is not complete `--body-timeout` after its head gets a 408 (on cloud paths
//! in the provider's envelope) and the connection is closed.
//!
//! At most `--max-connections` connections are open. When all are taken, a new connection closes
//! one that waits for a request (fresh, idle or reading a head: none of them has a request
//! running) and takes its place, so clients that hold connections without using them cannot lock
//! others out; a browser opens a new connection when a kept-alive one was closed. The one closed
//! is the longest-waiting of the same client address if it has one, else the longest-waiting of
//! all: a client flooding the server with connections only cycles through its own. Only when
//! every connection is busy with a request is the new one closed at once, unanswered.
//!
//! HTTP/1.1 only, as before: browsers speak HTTP/2 only over TLS, which a reverse proxy in front
//! of a public demo terminates.

use crate::client::{ClientKey, IpRange};
use crate::envelope::ErrorFormat;
use crate::request_id::RequestId;
use axum::body::{Body, Bytes};
use axum::extract::ConnectInfo;
use axum::http::{header, HeaderValue, Method, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use export_desk_model::huawei::REQUEST_ID_HEADER;
use futures_util::future::BoxFuture;
use http_body::{Frame, SizeHint};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{ready, Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify, OwnedSemaphorePermit, Semaphore};
use tokio::time::{Instant, Sleep};
use tower::ServiceExt;

/// Open files the process needs besides its connections: the listener, the runtime's epoll and
/// wakers, standard streams, the state file, the log.
const RESERVED_FILES: u64 = 64;
/// Open files a connection can hold: its socket, plus a dashboard file it is sent or (in proxy
/// mode) the upstream connection its call is forwarded on.
const FILES_PER_CONNECTION: u64 = 2;
/// How long the accept loop waits after an error that is not one connection's (EMFILE, ENFILE,
/// ENOMEM), so it retries without spinning.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);
/// How long the accept loop waits for a connection it closed to make room to give up its place;
/// the closed connection's task only has to run once, so this bound is never reached in practice.
const MAKE_ROOM_WAIT: Duration = Duration::from_secs(1);
/// How long a stopping server lets the requests in progress finish before it closes their
/// connections: long enough for a download under way, bounded so that a request that never ends
/// (a client that stopped reading, a slow upstream, a mock latency fault of minutes) cannot keep
/// the process from exiting.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// Repeated warnings (accept errors, refused connections) are logged at most this often.
const WARNING_INTERVAL: Duration = Duration::from_secs(10);

/// The limits [`serve`] keeps to (`--max-connections` and the timeouts in the table above).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    /// Connections open at once, before [`fit_to_open_file_limit`] lowers it.
    pub max_connections: u32,
    pub header_timeout: Duration,
    pub idle_timeout: Duration,
    pub body_timeout: Duration,
}

/// Serves `app` on `listener` until `shutdown` completes; then stops accepting and waits for the
/// open connections to finish their requests, for at most `SHUTDOWN_GRACE`. Never fails: an
/// accept error is logged and retried.
///
/// `trusted_proxies` are exempt from the per-client share of the connections (a reverse proxy
/// carries every client's connections; it has to share them out itself).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    config: Config,
    trusted_proxies: Vec<IpRange>,
    shutdown: impl Future<Output = ()>,
) {
    let max_connections = fit_to_open_file_limit(config.max_connections);
    let per_client = per_client_share(max_connections);
    // The places kept for clients below their share: a quarter.
    let reserve = max_connections as usize / 4;
    let limits = Limits {
        header_timeout: config.header_timeout,
        idle_timeout: config.idle_timeout,
        body_timeout: config.body_timeout,
    };
    let permits = Arc::new(Semaphore::new(max_connections as usize));
    let registry = Arc::new(Registry::default());
    let (stop_sender, stop) = watch::channel(false);
    let mut accept_warning = Throttle::default();
    let mut refusal_warning = Throttle::default();
    let mut refused_in_total: u64 = 0;
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    // One client's failed handshake is not the server's problem; anything else
                    // (out of file descriptors or memory) may pass, so wait briefly and go on.
                    if !is_connection_error(&err) {
                        if accept_warning.due() {
                            tracing::warn!(error = %err, "cannot accept connections; retrying");
                        }
                        tokio::time::sleep(ACCEPT_BACKOFF).await;
                    }
                    continue;
                }
            },
        };
        let client = ClientKey::of(peer.ip());
        let exempt = trusted_proxies.iter().any(|range| range.contains(peer.ip()));
        // Only when places run short: a client with many connections and room to spare (a
        // script, a busy office behind one address) is no one's problem.
        let crowded = permits.available_permits() <= reserve;
        let permit = if !exempt && crowded && registry.count_of(client) >= per_client {
            // The client holds its whole share: it may only take the place of one of its own
            // waiting connections, and waits for that one (not another client's) to be given back.
            if registry.close_longest_waiting_of(client) {
                tokio::time::timeout(MAKE_ROOM_WAIT, permits.clone().acquire_owned()).await.ok().and_then(Result::ok)
            } else {
                None
            }
        } else {
            admit(&permits, &registry, peer.ip()).await
        };
        let Some(permit) = permit else {
            // Every connection (or every one of this client's share) has a request running:
            // closing this one unanswered is all that keeps the open files bounded, and one client
            // from taking every place. Clients retry.
            drop(stream);
            refused_in_total += 1;
            if refusal_warning.due() {
                tracing::warn!(
                    max_connections,
                    per_client,
                    refused_in_total,
                    "at the connection limit, or a client at its share, with every connection busy; closing new ones"
                );
            }
            continue;
        };
        let slot = Arc::new(Slot::new(peer.ip(), Instant::now()));
        let registration = Registration { id: registry.add(slot.clone()), registry: registry.clone(), _permit: permit };
        let service =
            ConnectionService { app: app.clone(), slot: slot.clone(), peer, body_timeout: limits.body_timeout };
        tokio::spawn(serve_connection(stream, peer, service, slot, limits, stop.clone(), registration));
    }
    drop(listener);
    let _ = stop_sender.send(true);
    // Each connection holds a permit until its task ends: having them all back means every
    // connection has finished.
    if tokio::time::timeout(SHUTDOWN_GRACE, permits.acquire_many(max_connections)).await.is_err() {
        let busy = max_connections as usize - permits.available_permits();
        tracing::warn!(
            busy,
            grace_secs = SHUTDOWN_GRACE.as_secs(),
            "requests still running after the shutdown grace; closing them"
        );
    }
}

/// The connections one client (an IPv4 address, an IPv6 /56) may hold once places run short (a
/// quarter or fewer free): an eighth of all of them, at least 8 (a browser opens 6). So no one
/// client can keep every place busy: the last quarter is for clients within their share.
fn per_client_share(max_connections: u32) -> usize {
    (max_connections as usize / 8).max(8)
}

/// A place for a new connection from `client`: a free one, or the place of a connection that
/// waits for a request (see [`Registry::close_longest_waiting`]); `None` when every connection is
/// busy with a request.
async fn admit(permits: &Arc<Semaphore>, registry: &Registry, client: IpAddr) -> Option<OwnedSemaphorePermit> {
    if let Ok(permit) = permits.clone().try_acquire_owned() {
        return Some(permit);
    }
    if !registry.close_longest_waiting(client) {
        return None;
    }
    tokio::time::timeout(MAKE_ROOM_WAIT, permits.clone().acquire_owned()).await.ok()?.ok()
}

fn is_connection_error(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::ConnectionRefused | io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset
    )
}

/// Raises the soft open-file limit to the hard limit, and lowers `wanted` (with a warning) to the
/// connections the limit allows, so the server never runs out of file descriptors.
pub fn fit_to_open_file_limit(wanted: u32) -> u32 {
    let Some(open_files) = raise_open_file_limit() else {
        return wanted;
    };
    let allowed = open_files.saturating_sub(RESERVED_FILES) / FILES_PER_CONNECTION;
    let allowed = u32::try_from(allowed).unwrap_or(u32::MAX).max(1);
    if wanted > allowed {
        tracing::warn!(
            max_connections = wanted,
            open_file_limit = open_files,
            lowered_to = allowed,
            "the open-file limit (ulimit -n) is too low for --max-connections; serving fewer connections"
        );
        allowed
    } else {
        wanted
    }
}

/// The soft RLIMIT_NOFILE after raising it as far as the hard limit lets an unprivileged process.
#[cfg(unix)]
fn raise_open_file_limit() -> Option<u64> {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit only writes the struct it is given, which lives for the call.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
        return None;
    }
    if limit.rlim_cur < limit.rlim_max {
        let raised = libc::rlimit { rlim_cur: limit.rlim_max, rlim_max: limit.rlim_max };
        // SAFETY: setrlimit only reads the struct it is given. It fails (macOS, a hard limit of
        // "unlimited") without changing anything; the current limit then stands.
        if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } == 0 {
            limit = raised;
        }
    }
    #[allow(clippy::useless_conversion)] // rlim_t is u64 on Linux, not everywhere.
    u64::try_from(limit.rlim_cur).ok()
}

#[cfg(not(unix))]
fn raise_open_file_limit() -> Option<u64> {
    None
}

/// Logs a repeated condition at most once per [`WARNING_INTERVAL`].
#[derive(Default)]
struct Throttle(Option<Instant>);

impl Throttle {
    fn due(&mut self) -> bool {
        let now = Instant::now();
        let due = self.0.is_none_or(|last| now.duration_since(last) >= WARNING_INTERVAL);
        if due {
            self.0 = Some(now);
        }
        due
    }
}

// ---------------------------------------------------------------------------------------------
// One connection
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy)]
struct Limits {
    header_timeout: Duration,
    idle_timeout: Duration,
    body_timeout: Duration,
}

/// Why the server closed a connection itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Closing {
    HeaderTimeout,
    IdleTimeout,
    AnswerNotRead,
    MadeRoom,
}

async fn serve_connection(
    stream: TcpStream,
    peer: SocketAddr,
    service: ConnectionService,
    slot: Arc<Slot>,
    limits: Limits,
    mut stop: watch::Receiver<bool>,
    _registration: Registration,
) {
    let io = TokioIo::new(Watched { stream, slot: slot.clone() });
    let mut builder = hyper::server::conn::http1::Builder::new();
    // hyper's own header timer runs from the end of one answer to the next head, so it would
    // close idle connections after the header timeout; the phases above time heads and idleness
    // apart.
    builder.header_read_timeout(None);
    // A client that shuts its sending side after the request (one-shot tools do, and a client
    // that gives up on a body) still gets its answer; the phases' timeouts bound such connections.
    builder.half_close(true);
    let connection = builder.serve_connection(io, service);
    tokio::pin!(connection);
    let mut stopping = false;
    loop {
        let wake_at = match slot.verdict(Instant::now(), &limits) {
            Verdict::Close(reason) => {
                tracing::debug!(%peer, ?reason, "closing connection");
                return;
            }
            Verdict::KeepUntil(at) => at,
        };
        let timer = async move {
            match wake_at {
                Some(at) => tokio::time::sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            result = connection.as_mut() => {
                if let Err(err) = result {
                    tracing::debug!(%peer, error = %err, "connection ended with an error");
                }
                return;
            }
            // Either way the verdict is taken again at the top of the loop.
            () = timer => {}
            () = slot.changed.notified() => {}
            _ = stop.changed(), if !stopping => {
                // Answers in progress are finished; idle connections close now.
                stopping = true;
                connection.as_mut().graceful_shutdown();
            }
        }
    }
}

/// Ends a connection's registration when its task ends, then gives its place back.
struct Registration {
    registry: Arc<Registry>,
    id: u64,
    _permit: OwnedSemaphorePermit,
}

impl Drop for Registration {
    fn drop(&mut self) {
        self.registry.remove(self.id);
    }
}

/// The open connections, to find the one to close when a new one needs its place.
#[derive(Default)]
struct Registry {
    slots: Mutex<HashMap<u64, Arc<Slot>>>,
    next_id: AtomicU64,
}

impl Registry {
    fn add(&self, slot: Arc<Slot>) -> u64 {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        self.slots.lock().unwrap_or_else(PoisonError::into_inner).insert(id, slot);
        id
    }

    fn remove(&self, id: u64) {
        self.slots.lock().unwrap_or_else(PoisonError::into_inner).remove(&id);
    }

    /// How many connections `client` holds.
    fn count_of(&self, client: ClientKey) -> usize {
        let slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        slots.values().filter(|slot| ClientKey::of(slot.client) == client).count()
    }

    /// Closes the longest-waiting connection of `client`; false if all of its connections are
    /// busy with a request.
    fn close_longest_waiting_of(&self, client: ClientKey) -> bool {
        let slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        let mut waiting: Vec<(Instant, &Arc<Slot>)> = slots
            .values()
            .filter(|slot| ClientKey::of(slot.client) == client)
            .filter_map(|slot| slot.state().waiting_since().map(|since| (since, slot)))
            .collect();
        waiting.sort_by_key(|(since, _)| *since);
        waiting.into_iter().any(|(_, slot)| slot.close_if_waiting())
    }

    /// Makes room for a new connection from `client`: closes the longest-waiting connection of
    /// that same client if it has one waiting, otherwise the longest-waiting connection of any
    /// client. So a client flooding the server with connections only ever closes its own, and a
    /// connection of another client, once it has its place, keeps it until its request runs.
    /// False if every connection is busy. A connection may turn busy between the look and the
    /// close, so the next one is tried then.
    fn close_longest_waiting(&self, client: IpAddr) -> bool {
        let slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        let mut waiting: Vec<(bool, Instant, &Arc<Slot>)> = slots
            .values()
            .filter_map(|slot| slot.state().waiting_since().map(|since| (slot.client != client, since, slot)))
            .collect();
        // The client's own first (false sorts first), each group oldest first.
        waiting.sort_by_key(|(other_client, since, _)| (*other_client, *since));
        waiting.into_iter().any(|(_, _, slot)| slot.close_if_waiting())
    }
}

/// A connection's phase, shared by its task, its socket wrapper and its service.
#[derive(Debug)]
struct Slot {
    /// The client's address: a new connection makes room among its own first.
    client: IpAddr,
    state: Mutex<SlotState>,
    /// Wakes the connection's task when the phase changes, so it takes its verdict again.
    changed: Notify,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct SlotState {
    phase: Phase,
    /// Since when the socket has refused the answer's bytes (the client reads nothing).
    write_stalled_since: Option<Instant>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Connected, no request yet.
    Fresh { since: Instant },
    /// Its last answer is sent; waiting for the next request.
    Idle { since: Instant },
    /// Idle since `since`; a head began arriving at `started`.
    Head { since: Instant, started: Instant },
    /// A request is being handled or its answer sent.
    Busy,
    /// Closed to make room for a new connection.
    Closed,
}

/// What a connection's task does next.
#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    /// Keep serving; look again at this time (if any) or when the phase changes.
    KeepUntil(Option<Instant>),
    Close(Closing),
}

impl SlotState {
    /// Since when the connection has waited for a request, if it is waiting: only those can be
    /// closed to make room (no request is lost). One still sending an answer is not waiting.
    fn waiting_since(&self) -> Option<Instant> {
        match self.phase {
            _ if self.write_stalled_since.is_some() => None,
            Phase::Fresh { since } | Phase::Idle { since } | Phase::Head { since, .. } => Some(since),
            Phase::Busy | Phase::Closed => None,
        }
    }

    fn verdict(&self, now: Instant, limits: &Limits) -> Verdict {
        let deadline = match self.phase {
            Phase::Closed => return Verdict::Close(Closing::MadeRoom),
            Phase::Fresh { since } => since.checked_add(limits.header_timeout).map(|at| (at, Closing::HeaderTimeout)),
            Phase::Head { started, .. } => {
                started.checked_add(limits.header_timeout).map(|at| (at, Closing::HeaderTimeout))
            }
            // An idle connection may still be handing the end of its last answer to a client
            // that stopped reading; the stall counts then.
            Phase::Idle { since } => self
                .write_stalled_since
                .map_or(since, |stalled| stalled.max(since))
                .checked_add(limits.idle_timeout)
                .map(|at| (at, Closing::IdleTimeout)),
            Phase::Busy => self
                .write_stalled_since
                .and_then(|stalled| stalled.checked_add(limits.idle_timeout))
                .map(|at| (at, Closing::AnswerNotRead)),
        };
        match deadline {
            Some((at, reason)) if at <= now => Verdict::Close(reason),
            Some((at, _)) => Verdict::KeepUntil(Some(at)),
            None => Verdict::KeepUntil(None),
        }
    }
}

impl Slot {
    fn new(client: IpAddr, now: Instant) -> Self {
        Self {
            client,
            state: Mutex::new(SlotState { phase: Phase::Fresh { since: now }, write_stalled_since: None }),
            changed: Notify::new(),
        }
    }

    fn state(&self) -> SlotState {
        *self.lock()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, SlotState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn verdict(&self, now: Instant, limits: &Limits) -> Verdict {
        self.state().verdict(now, limits)
    }

    /// Changes the state; wakes the task if the change matters to its verdict.
    fn update(&self, change: impl FnOnce(&mut SlotState)) {
        let mut state = self.lock();
        let before = *state;
        change(&mut state);
        let changed = *state != before;
        drop(state);
        if changed {
            self.changed.notify_one();
        }
    }

    /// Bytes came in: an idle connection starts reading a head (and its header timer).
    fn bytes_arrived(&self) {
        self.update(|state| {
            if let Phase::Idle { since } = state.phase {
                state.phase = Phase::Head { since, started: Instant::now() };
            }
        });
    }

    /// The socket took bytes (`stalled` false) or none (`stalled` true) of the answer.
    fn wrote(&self, stalled: bool) {
        let mut state = self.lock();
        match (stalled, state.write_stalled_since) {
            (true, None) => {
                state.write_stalled_since = Some(Instant::now());
                drop(state);
                self.changed.notify_one();
            }
            // Progress only moves a deadline later: the task finds that out when it wakes.
            (false, Some(_)) => state.write_stalled_since = None,
            _ => {}
        }
    }

    /// A request arrived; false if the connection was closed to make room meanwhile.
    fn begin_request(&self) -> bool {
        let mut accepted = true;
        self.update(|state| match state.phase {
            Phase::Closed => accepted = false,
            _ => state.phase = Phase::Busy,
        });
        accepted
    }

    /// The answer's last bytes went to hyper (or it was dropped).
    fn end_request(&self) {
        self.update(|state| {
            if state.phase == Phase::Busy {
                state.phase = Phase::Idle { since: Instant::now() };
            }
        });
    }

    fn close_if_waiting(&self) -> bool {
        let mut closed = false;
        self.update(|state| {
            if state.waiting_since().is_some() {
                state.phase = Phase::Closed;
                closed = true;
            }
        });
        closed
    }
}

/// The connection's socket, telling its slot when bytes arrive and when the client stops reading.
struct Watched {
    stream: TcpStream,
    slot: Arc<Slot>,
}

impl AsyncRead for Watched {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let filled = buf.filled().len();
        let result = Pin::new(&mut self.stream).poll_read(cx, buf);
        if matches!(result, Poll::Ready(Ok(()))) && buf.filled().len() > filled {
            self.slot.bytes_arrived();
        }
        result
    }
}

impl AsyncWrite for Watched {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.stream).poll_write(cx, data);
        self.slot.wrote(result.is_pending());
        result
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.stream).poll_write_vectored(cx, data);
        self.slot.wrote(result.is_pending());
        result
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

// ---------------------------------------------------------------------------------------------
// One request
// ---------------------------------------------------------------------------------------------

/// The application as one connection's requests reach it: marked busy until their answer is
/// sent, with the client's address (`ConnectInfo<SocketAddr>`) and a deadline on the body.
#[derive(Clone)]
struct ConnectionService {
    app: Router,
    slot: Arc<Slot>,
    peer: SocketAddr,
    body_timeout: Duration,
}

impl hyper::service::Service<Request<Incoming>> for ConnectionService {
    type Response = Response;
    type Error = Infallible;
    type Future = BoxFuture<'static, Result<Response, Infallible>>;

    fn call(&self, request: Request<Incoming>) -> Self::Future {
        if !self.slot.begin_request() {
            // Closed to make room just as this request arrived: its task drops the connection
            // at once, so the request is not run and gets no answer.
            return Box::pin(std::future::pending());
        }
        let busy = Busy(self.slot.clone());
        let (mut parts, body) = request.into_parts();
        parts.extensions.insert(ConnectInfo(self.peer));
        let timed_out = Arc::new(AtomicBool::new(false));
        let body = if http_body::Body::is_end_stream(&body) {
            Body::new(body)
        } else {
            Body::new(DeadlineBody {
                inner: Body::new(body),
                deadline: Box::pin(tokio::time::sleep(self.body_timeout)),
                limit: self.body_timeout,
                timed_out: timed_out.clone(),
            })
        };
        let method = parts.method.clone();
        let path = parts.uri.path().to_owned();
        let app = self.app.clone();
        let limit = self.body_timeout;
        Box::pin(async move {
            let Ok(answer) = app.oneshot(Request::from_parts(parts, body)).await;
            // The handler saw the body fail and answered as it answers a broken body; the
            // client is told what happened instead.
            let answer = if timed_out.load(Ordering::Acquire) {
                body_timeout_answer(&method, &path, &answer, limit)
            } else {
                answer
            };
            Ok(answer.map(|inner| Body::new(AnswerBody { inner, busy: Some(busy) })))
        })
    }
}

/// Holds a connection busy; dropped when the answer's body is done (or dropped unsent).
struct Busy(Arc<Slot>);

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.end_request();
    }
}

/// The answer's body, keeping its connection busy until its last frame is taken.
struct AnswerBody {
    inner: Body,
    busy: Option<Busy>,
}

impl http_body::Body for AnswerBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let frame = ready!(Pin::new(&mut self.inner).poll_frame(cx));
        if frame.is_none() {
            self.busy = None;
        }
        Poll::Ready(frame)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// A request body that fails once `limit` has passed since its head arrived: a body trickled a
/// byte at a time cannot hold a handler for ever.
struct DeadlineBody {
    inner: Body,
    deadline: Pin<Box<Sleep>>,
    limit: Duration,
    timed_out: Arc<AtomicBool>,
}

#[derive(Debug, thiserror::Error)]
#[error("the request body did not arrive within {0:?}")]
struct BodyTimedOut(Duration);

impl http_body::Body for DeadlineBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = &mut *self;
        // Bytes that are there are taken even past the deadline; it ends only a wait.
        if let Poll::Ready(frame) = Pin::new(&mut this.inner).poll_frame(cx) {
            return Poll::Ready(frame);
        }
        if this.deadline.as_mut().poll(cx).is_ready() {
            this.timed_out.store(true, Ordering::Release);
            return Poll::Ready(Some(Err(axum::Error::new(BodyTimedOut(this.limit)))));
        }
        Poll::Pending
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    // Kept, so the handlers' body limits still refuse a too-long Content-Length at once.
    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// 408 for a body that did not arrive in time: in the provider's envelope on cloud paths
/// (Tencent's in an HTTP 200, as Tencent reports every error), the admin API's `{"error"}`
/// under `/_mock/`, text elsewhere. The connection closes after it: the rest of the body is
/// still on its way.
fn body_timeout_answer(method: &Method, path: &str, handler_answer: &Response, limit: Duration) -> Response {
    let request_id = handler_answer
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|id| id.to_str().ok())
        .map_or_else(|| RequestId::generate().0, str::to_owned);
    let message =
        format!("The request body did not arrive within {} seconds of the request's headers.", limit.as_secs_f64());
    let mut answer = if crate::mock::operations::is_cloud_api(method, path) {
        match crate::envelope::ErrorFormat::for_path(method, path) {
            ErrorFormat::Tencent => ErrorFormat::Tencent.error(StatusCode::OK, "InvalidRequest", &message, &request_id),
            format => format.error(StatusCode::REQUEST_TIMEOUT, "DESK.0408", &message, &request_id),
        }
    } else if path == "/_mock" || path.starts_with("/_mock/") {
        (StatusCode::REQUEST_TIMEOUT, Json(serde_json::json!({ "error": message }))).into_response()
    } else {
        (StatusCode::REQUEST_TIMEOUT, message).into_response()
    };
    if let Ok(id) = HeaderValue::from_str(&request_id) {
        answer.headers_mut().insert(REQUEST_ID_HEADER, id);
    }
    answer.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
    answer
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits = Limits {
        header_timeout: Duration::from_secs(10),
        idle_timeout: Duration::from_secs(60),
        body_timeout: Duration::from_secs(30),
    };

    fn state(phase: Phase) -> SlotState {
        SlotState { phase, write_stalled_since: None }
    }

    #[test]
    fn each_phase_has_its_own_deadline() {
        let t0 = Instant::now();
        let secs = Duration::from_secs;
        let fresh = state(Phase::Fresh { since: t0 });
        assert_eq!(fresh.verdict(t0, &LIMITS), Verdict::KeepUntil(Some(t0 + secs(10))));
        assert_eq!(fresh.verdict(t0 + secs(10), &LIMITS), Verdict::Close(Closing::HeaderTimeout));

        let idle = state(Phase::Idle { since: t0 });
        assert_eq!(idle.verdict(t0 + secs(30), &LIMITS), Verdict::KeepUntil(Some(t0 + secs(60))));
        assert_eq!(idle.verdict(t0 + secs(60), &LIMITS), Verdict::Close(Closing::IdleTimeout));

        // A head begun late in an idle spell gets the header timeout from its first byte.
        let head = state(Phase::Head { since: t0, started: t0 + secs(55) });
        assert_eq!(head.verdict(t0 + secs(60), &LIMITS), Verdict::KeepUntil(Some(t0 + secs(65))));
        assert_eq!(head.verdict(t0 + secs(65), &LIMITS), Verdict::Close(Closing::HeaderTimeout));

        // A request in progress is never timed out by the connection, unless its answer stalls.
        assert_eq!(state(Phase::Busy).verdict(t0 + secs(3600), &LIMITS), Verdict::KeepUntil(None));
        let stalled = SlotState { phase: Phase::Busy, write_stalled_since: Some(t0) };
        assert_eq!(stalled.verdict(t0 + secs(60), &LIMITS), Verdict::Close(Closing::AnswerNotRead));

        assert_eq!(state(Phase::Closed).verdict(t0, &LIMITS), Verdict::Close(Closing::MadeRoom));
    }

    #[test]
    fn huge_timeouts_mean_no_deadline_rather_than_an_overflow() {
        let t0 = Instant::now();
        let limits = Limits { header_timeout: Duration::MAX, idle_timeout: Duration::MAX, body_timeout: Duration::MAX };
        assert_eq!(state(Phase::Fresh { since: t0 }).verdict(t0, &limits), Verdict::KeepUntil(None));
        assert_eq!(state(Phase::Idle { since: t0 }).verdict(t0, &limits), Verdict::KeepUntil(None));
    }

    const CLIENT: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 1));
    const OTHER_CLIENT: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 2));

    #[test]
    fn only_connections_waiting_for_a_request_make_room() {
        let t0 = Instant::now();
        let registry = Registry::default();
        let busy = Arc::new(Slot::new(CLIENT, t0));
        assert!(busy.begin_request());
        let older = Arc::new(Slot::new(CLIENT, t0));
        let newer = Arc::new(Slot::new(CLIENT, t0 + Duration::from_secs(1)));
        for slot in [&busy, &newer, &older] {
            registry.add(slot.clone());
        }
        assert!(registry.close_longest_waiting(CLIENT));
        assert_eq!(older.state().phase, Phase::Closed);
        assert!(!older.begin_request(), "a request on a closed connection is not run");
        assert!(registry.close_longest_waiting(CLIENT));
        assert_eq!(newer.state().phase, Phase::Closed);
        assert!(!registry.close_longest_waiting(CLIENT), "the busy connection stays");
        assert_eq!(busy.state().phase, Phase::Busy);
    }

    #[test]
    fn a_client_makes_room_among_its_own_connections_first() {
        let t0 = Instant::now();
        let registry = Registry::default();
        let others = Arc::new(Slot::new(OTHER_CLIENT, t0));
        let own = Arc::new(Slot::new(CLIENT, t0 + Duration::from_secs(5)));
        registry.add(others.clone());
        registry.add(own.clone());
        assert!(registry.close_longest_waiting(CLIENT));
        assert_eq!(own.state().phase, Phase::Closed, "its own, though younger");
        assert_ne!(others.state().phase, Phase::Closed);
        // With none of its own waiting, the longest-waiting of anyone's.
        assert!(registry.close_longest_waiting(CLIENT));
        assert_eq!(others.state().phase, Phase::Closed);
    }

    #[tokio::test]
    async fn handlers_see_the_clients_address() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let app = Router::new().route(
            "/",
            axum::routing::get(|ConnectInfo(peer): ConnectInfo<SocketAddr>| async move { peer.to_string() }),
        );
        let config = Config {
            max_connections: 4,
            header_timeout: LIMITS.header_timeout,
            idle_timeout: LIMITS.idle_timeout,
            body_timeout: LIMITS.body_timeout,
        };
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(serve(listener, app, config, Vec::new(), async {
            let _ = stopped.await;
        }));
        let mut client = tokio::net::TcpStream::connect(address).await.unwrap();
        let local = client.local_addr().unwrap();
        client.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await.unwrap();
        let mut answer = String::new();
        client.read_to_string(&mut answer).await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 200") && answer.ends_with(&local.to_string()), "{answer}");
        let _ = stop.send(());
        server.await.unwrap();
    }

    #[test]
    fn a_connection_sending_an_answer_is_not_closed_to_make_room() {
        let slot = Slot::new(CLIENT, Instant::now());
        assert!(slot.begin_request());
        slot.end_request();
        slot.wrote(true);
        assert!(!slot.close_if_waiting());
        slot.wrote(false);
        assert!(slot.close_if_waiting());
    }
}
