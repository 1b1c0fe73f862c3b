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
//! - [`rate_limit`]: token buckets, for the mock's documented limits and the proxy's own.
//! - [`sign`]: request signing as the official SDKs sign (Huawei AK/SK, Tencent TC3), and its
//!   verification, for the proxy and the mock's strict mode.

pub mod cli;
pub mod connections;
pub mod envelope;
pub mod mock;
pub mod proxy;
pub mod rate_limit;
pub mod request_id;
pub mod sign;
pub mod web;

use axum::Router;
use std::net::SocketAddr;
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
        cli::Mode::Proxy => proxy::routes(cli)?,
    };
    Ok(routes
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
    let mock = mock::Mock::new(&cli.mock, cli.public_url.clone())?;
    let desk = web::DeskInfo::mock();
    let mut routes = Router::new().merge(mock.router()).merge(web::router(&cli.dist, desk));
    if let Some(strict) = mock::strict::Strict::from_options(&cli.mock) {
        // Inside the journal and faults: a refused call is journaled, a forced fault answers first.
        routes = routes.layer(axum::middleware::from_fn_with_state(strict, mock::strict::verify_signatures));
    }
    // Inside the request id, so forced errors and journal entries carry the id the client gets.
    Ok(routes.layer(axum::middleware::from_fn_with_state(mock, mock::intercept::cloud_calls)))
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
    connections::serve(listener, app, cli.connections, shutdown_signal()).await;
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
