#!/usr/bin/env bash
# scripts/run.sh [SERVER FLAGS...]: install what the build needs (only what is missing), build the dashboard and
# the server in release mode, then run the server on dist/. Flags and EXPORT_DESK_* variables go to the server:
#   ./scripts/run.sh --port 8080        ./scripts/run.sh --help
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/setup.sh
. scripts/setup.sh

ensure_build_tools
build_dashboard --release

_step "building the server: cargo build --release -p export-desk-server…"
cargo build --release -p export-desk-server

# exec: the server gets this process's signals (Ctrl-C) directly; it prints its own URL.
exec ./target/release/export-desk --dist dist "$@"
