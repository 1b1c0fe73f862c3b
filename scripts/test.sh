#!/usr/bin/env bash
# scripts/test.sh: every check and test, in order, stopping at the first failing stage:
#   tools → format → clippy (native) → clippy (wasm) → docs → native tests → wasm component tests (headless Chromium)
#   → release build (dashboard + server, store scale report) → SDK conformance (official cloud SDKs against the mock, pytest)
#   → end-to-end browser tests (node --test tests/e2e/*.test.mjs)
# Missing tools are installed first (about 13 minutes on a fresh machine; seconds when present).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/setup.sh
. scripts/setup.sh

STAGES=10
stage_no=0
stage_name=""
stage_start=$SECONDS

# Close the previous stage's timing and open the next one with a banner.
stage() {
    if ((stage_no > 0)); then printf '  (%s: %ds)\n' "$stage_name" $((SECONDS - stage_start)); fi
    stage_no=$((stage_no + 1))
    stage_name="$1"
    stage_start=$SECONDS
    printf '\n━━━━ stage %d/%d: %s ━━━━\n' "$stage_no" "$STAGES" "$stage_name"
}

# On any failure (set -e), say which stage failed: the last lines of a long cargo log do not.
on_exit() {
    local rc=$?
    if ((rc != 0)); then
        printf '\n✗ FAILED at stage %d/%d: %s (exit %d, after %ds)\n' \
            "$stage_no" "$STAGES" "${stage_name:-start}" "$rc" "$SECONDS" >&2
    fi
}
trap on_exit EXIT

stage "tools (installs only what is missing)"
ensure_test_tools

stage "format: cargo fmt --check"
cargo fmt --all -- --check

stage "clippy (native): cargo clippy --workspace --all-targets"
cargo clippy --workspace --all-targets -- -D warnings

# The dashboard's wasm-only code (cfg(target_arch = "wasm32")) is linted only when built for wasm.
stage "clippy (wasm): cargo clippy -p export-desk --target wasm32-unknown-unknown"
cargo clippy -p export-desk --target wasm32-unknown-unknown --all-targets -- -D warnings

# The module comments are the code's map (each says what it is for, with a usage example): a link that no
# longer leads anywhere fails here rather than misleading a reader. (An `ignore` example is only tokenised, not
# compiled: that its calls match the API is the reviewer's to check.)
stage "docs: cargo doc -D warnings (model, server, and the dashboard for wasm)"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps -p export-desk-model -p export-desk-server
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps -p export-desk --target wasm32-unknown-unknown

stage "native tests: cargo test --workspace"
cargo test --workspace

# Runs through wasm-bindgen-test-runner (.cargo/config.toml) in headless Chromium via chromedriver.
# Only the dashboard crate: the server's tokio networking does not build for wasm.
stage "wasm component tests: cargo test -p export-desk --target wasm32-unknown-unknown"
# chromedriver leaves each test binary's Chromium profile (about 100 MB) in TMPDIR and never removes it: repeated
# runs filled the disk. A TMPDIR of the stage's own goes when the stage does, pass or fail.
wasm_test_tmp="$(mktemp -d)"
wasm_tests_status=0
CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}" TMPDIR="$wasm_test_tmp" \
    cargo test -p export-desk --target wasm32-unknown-unknown || wasm_tests_status=$?
rm -rf "$wasm_test_tmp"
((wasm_tests_status == 0)) || exit "$wasm_tests_status"

stage "release build: dashboard (trunk) and server"
build_dashboard --release
_step "building the server: cargo build --release -p export-desk-server…"
cargo build --release -p export-desk-server
# How list calls scale to a million tasks: a report to read, never a pass/fail gate.
_step "store scale report: cargo bench -p export-desk-server --bench store_scale…"
cargo bench -p export-desk-server --bench store_scale

# The official SDKs (huaweicloudsdkcdn, huaweicloudsdkiotda, tencentcloud-sdk-python-cls, pinned in
# tests/sdk/requirements.txt and installed into .venv-sdk by ensure_test_tools) against a mock that the suite
# starts from target/release/export-desk. No bytecode or pytest cache is written into the tree.
stage "SDK conformance: pytest tests/sdk (official SDKs against the mock)"
EXPORT_DESK_BIN="$PWD/target/release/export-desk" PYTHONDONTWRITEBYTECODE=1 \
    .venv-sdk/bin/python -m pytest tests/sdk -q -p no:cacheprovider

# The e2e tests start target/release/export-desk --dist dist themselves and drive /usr/bin/chromium
# with playwright-core.
stage "end-to-end tests: node --test tests/e2e/"
shopt -s nullglob
e2e_tests=(tests/e2e/*.test.mjs)
shopt -u nullglob
if ((${#e2e_tests[@]} == 0)); then
    _warn "no tests/e2e/*.test.mjs yet: end-to-end stage skipped"
else
    node --test "${e2e_tests[@]}"
fi

printf '  (%s: %ds)\n' "$stage_name" $((SECONDS - stage_start))
printf '\nall stages passed (%d stages in %dm%02ds)\n' "$STAGES" $((SECONDS / 60)) $((SECONDS % 60))
