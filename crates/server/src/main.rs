//! The `export-desk` binary: parse the command line, set up logging, serve until interrupted.

use clap::Parser;
use export_desk_server::cli::Cli;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    ignore_file_size_signal();
    let cli = Cli::parse();
    export_desk_server::mock::memory::return_large_buffers_to_the_system();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(&cli.log)),
        )
        .with_writer(std::io::stderr)
        .init();
    match export_desk_server::serve(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("export-desk: {err}");
            ExitCode::FAILURE
        }
    }
}

/// A write past the file-size limit (`ulimit -f`) raises SIGXFSZ, which kills the process by
/// default. Ignored, the write fails with `EFBIG` instead, which the state file handles like a
/// full disk: the change is refused and undone, and the server goes on.
fn ignore_file_size_signal() {
    #[cfg(unix)]
    // SAFETY: only sets one signal's disposition (process-wide) to "ignore": no handler code
    // ever runs, so there is nothing that could run at an unsafe moment.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}
