//! Export Desk's server: one origin that serves the dashboard and, under the clouds' own API
//! paths, a mock of those APIs.
//!
//! - [`cli`]: the options, each also an environment variable.
//! - [`connections`]: the accept loop, with the connection limits and timeouts.
//! - [`mock`]: the emulated cloud APIs — state, clock, one module per provider — and the admin API
//!   (`/_mock/`) that moves the clock, resets, journals calls and injects faults.
//! - [`proxy`]: proxy mode, forwarding the dashboard's cloud calls to the real clouds, signed.
//! - [`web`]: the built dashboard and `/_desk/config`.
//! - [`envelope`]: errors in each provider's own format, so clients parse them as the real thing.
//! - [`request_id`]: the id every response carries, for support questions and logs.
//! - [`request_target`]: authority- and absolute-form targets, refused in a cloud envelope.
//! - [`access`]: who may call, in both modes: `Host`, `Origin`, CORS.
//! - [`client`]: which client a request comes from (the peer, or what trusted proxies say).
//! - [`rate_limit`]: token buckets, for the mock's documented limits, the proxy's own and a
//!   public demo's visitors.
//! - [`secret`]: secret keys and tokens, whose `Debug` output never shows them.
//! - [`duration`]: durations as people write them (`20s`, `2m`), for the options and the proxy's
//!   configuration.
//! - [`sign`]: request signing as the official SDKs sign (Huawei AK/SK, Tencent TC3), and its
//!   verification, for the proxy and the mock's strict mode.

pub mod access;
pub mod cli;
pub mod client;
pub mod connections;
pub mod duration;
pub mod envelope;
pub mod mock;
pub mod proxy;
pub mod rate_limit;
pub mod request_id;
pub mod request_target;
pub mod secret;
pub mod sign;
pub mod web;

use axum::Router;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::trace::TraceLayer;

/// Why the server could not start or stopped early.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("server failed: {0}")]
    Serve(#[from] std::io::Error),
    #[error(transparent)]
    State(#[from] mock::state_file::StateError),
    #[error(transparent)]
    ProxyConfig(#[from] proxy::config::ConfigError),
}

/// The whole application: the cloud API paths (mocked, or forwarded by the proxy), then the
/// dashboard for every other path.
pub fn app(cli: &cli::Cli) -> Result<Router, ServeError> {
    let routes = match cli.mode {
        cli::Mode::Mock => {
            if let Some(config) = &cli.config {
                tracing::warn!(config = %config.display(), "--config applies to proxy mode only; ignored");
            }
            mock_routes(cli)?
        }
        // Inside the request id, so refusals carry the id the client gets.
        cli::Mode::Proxy => {
            if cli.access.demo || cli.access.admin_token.is_some() || cli.access.reset_every.is_some() {
                tracing::warn!("--demo, --admin-token and --reset-every apply to mock mode only; ignored");
            }
            proxy::routes(&cli.proxy())?
        }
    };
    Ok(routes
        .layer(axum::middleware::from_fn_with_state(
            export_desk_model::desk::Mode::from(cli.mode),
            request_target::refuse_non_path_targets,
        ))
        .layer(axum::middleware::from_fn(request_id::assign))
        // Statically built assets come precompressed; this covers API answers (a full page of tasks).
        .layer(CompressionLayer::new().quality(CompressionLevel::Fastest).compress_when(
            // Archives (CLS export files) are compressed already, and must keep their exact size.
            DefaultPredicate::new().and(NotForContentType::const_new("application/gzip")),
        ))
        .layer(TraceLayer::new_for_http()))
}

/// The mock's cloud APIs in front of the dashboard.
fn mock_routes(cli: &cli::Cli) -> Result<Router, ServeError> {
    let mock = mock::Mock::new(&cli.mock.config(), cli.public_url.clone())?;
    let options = &cli.access;
    let resets = options.reset_period().map(mock::schedule::ResetSchedule::starting_now);
    let visitors = options.demo.then(|| {
        let shares = mock::visitors::Shares {
            writes_per_minute: options.visitor_writes_per_minute,
            tasks_per_visitor: options.visitor_tasks,
        };
        Arc::new(mock::visitors::Visitors::new(options.trusted_proxies.clone(), shares, resets.clone()))
    });
    if let Some(schedule) = &resets {
        start_resets(schedule, &mock, visitors.clone());
    }
    let public_demo = options.demo.then_some(options.visitor_tasks);
    let desk = web::DeskInfo::mock(public_demo, resets);
    let mut routes = Router::new().merge(mock.router()).merge(web::router(&cli.dist, desk));
    if let Some(visitors) = visitors {
        // Innermost: a call refused for its signature uses up none of the visitor's limits.
        routes = routes.layer(axum::middleware::from_fn_with_state(visitors, mock::visitors::limit));
    }
    if let Some(strict) = cli.mock.strict() {
        // Inside the journal and faults: a refused call is journaled, a forced fault answers first.
        routes = routes.layer(axum::middleware::from_fn_with_state(strict, mock::strict::verify_signatures));
    }
    // Inside the request id, so forced errors and journal entries carry the id the client gets.
    let routes = routes.layer(axum::middleware::from_fn_with_state(mock, mock::intercept::cloud_calls));
    // Outermost: a call from a host or origin not served is refused before anything sees it.
    let access =
        access::Access::new(options.allowed_origins.clone(), options.allowed_hosts.clone(), cli.public_url.as_deref());
    let guard = Arc::new(mock::guard::Guard::new(access, options.admin_token.clone(), options.demo));
    Ok(routes.layer(axum::middleware::from_fn_with_state(guard, mock::guard::check)))
}

/// Runs the reset schedule for as long as the server does (on the running Tokio runtime; an
/// app built outside one, as some in-process tests do, has no schedule).
fn start_resets(
    schedule: &Arc<mock::schedule::ResetSchedule>,
    mock: &mock::Mock,
    visitors: Option<Arc<mock::visitors::Visitors>>,
) {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        tracing::warn!("no async runtime: the mock will not reset itself");
        return;
    };
    let after_reset = move || {
        if let Some(visitors) = &visitors {
            visitors.new_period();
        }
    };
    runtime.spawn(Arc::clone(schedule).run(mock.clone(), after_reset));
    tracing::info!(every_s = schedule.every().as_secs(), "the mock resets itself to its seeded state on a schedule");
}

/// Binds, prints the URL to open (tests read that line to learn the port) and serves until
/// Ctrl-C or SIGTERM; then finishes the requests in progress.
pub async fn serve(cli: cli::Cli) -> Result<(), ServeError> {
    let addr = SocketAddr::new(cli.bind, cli.port);
    let listener = TcpListener::bind(addr).await.map_err(|source| ServeError::Bind { addr, source })?;
    let local = listener.local_addr()?;
    if !cli.dist.join("index.html").is_file() {
        tracing::warn!(dist = %cli.dist.display(), "no built dashboard found; the API works, the pages do not");
    }
    let app = app(&cli)?;
    println!("Export Desk ({}) listening on http://{local}", cli.mode.label());
    connections::serve(listener, app, cli.connections.config(), cli.access.trusted_proxies.clone(), shutdown_signal())
        .await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
