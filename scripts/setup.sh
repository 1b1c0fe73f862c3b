#!/usr/bin/env bash
# scripts/setup.sh: tool installers and the dashboard build, shared by scripts/run.sh and scripts/test.sh.
#
#   . scripts/setup.sh; ensure_trunk; build_dashboard     # sourced: defines functions, changes nothing else
#   scripts/setup.sh ensure_node_modules build_dashboard   # run: calls the named functions in order
#
# Every ensure_* function checks first and installs only what is missing or at the wrong version, so they are
# cheap to call on every run. Versions are pinned to ones measured to work on this kind of machine, where only the
# package registries are reachable (so nothing may download prebuilt binaries from elsewhere); see the README.
#
# Sourcing must not change the caller's shell options (a `set -e` would close an interactive shell on the first
# failure), so these functions do not rely on errexit: each checks its own steps and returns non-zero on failure.
# The scripts that source this file set `set -euo pipefail` themselves; run directly, this file sets it too.

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION="0.21.14"     # 0.22.x needs a newer rustc than the machine's 1.95
WASM_OPT_VERSION="132"      # npm binaryen@132; never Debian's binaryen 108 (the built app crashes at start)
TWIGGY_VERSION="0.8.0"      # names the wasm's largest items in the size report
SIZE_BUDGET_BYTES=300000    # first-load budget, brotli-compressed (1 KB = 1000 bytes)

# ---------------------------------------------------------------------------------------------------- messages
_ok() { printf '✓ %s\n' "$*"; }
_step() { printf '→ %s\n' "$*"; }
_warn() { printf '⚠ %s\n' "$*" >&2; }
_fail() {
    printf '✗ %s\n' "$*" >&2
    return 1
}

# Put a directory first on PATH (moving it there if it is already further down) and forget cached lookups.
_path_prepend() {
    local dir="$1" rest=":$PATH:"
    while [[ "$rest" == *":$dir:"* ]]; do rest="${rest//:"$dir":/:}"; done
    rest="${rest#:}"
    rest="${rest%:}"
    export PATH="$dir${rest:+:$rest}"
    hash -r
}

# Wait for a `cargo install NAME` that is already running (a second one would compile it all again).
_wait_for_cargo_install() {
    local name="$1" pids
    command -v pgrep >/dev/null 2>&1 || return 0
    # The pattern matches a cargo command line, not a shell whose text merely mentions the words.
    pids="$(pgrep -f "(^|/)cargo install( .*)? $name( |\$)")" || return 0
    _step "waiting for the cargo install of $name already running (pid ${pids//$'\n'/ })…"
    while pgrep -f "(^|/)cargo install( .*)? $name( |\$)" >/dev/null; do sleep 10; done
}

# The version of a crate as recorded in Cargo.lock (first [[package]] with that name).
_lock_version() {
    awk -v want="name = \"$1\"" '
        $0 == "[[package]]" { in_pkg = 0 }
        $0 == want          { in_pkg = 1 }
        in_pkg && /^version = / { gsub(/"/, "", $3); print $3; exit }
    ' "$REPO/Cargo.lock"
}

# The value of KEY in [SECTION] of Trunk.toml (plain `key = "value"` lines only, which is all Trunk.toml has).
_trunk_toml_value() {
    awk -v section="[$1]" -v key="$2" '
        /^[[:space:]]*\[/ { current = $0; gsub(/[[:space:]]/, "", current) }
        current == section && $0 ~ "^[[:space:]]*" key "[[:space:]]*=" { split($0, parts, "\""); print parts[2]; exit }
    ' "$REPO/Trunk.toml"
}

# ------------------------------------------------------------------------------------------------------- rust
# Make cargo available when rustup is installed but this shell has not read ~/.cargo/env (e.g. CI, cron).
ensure_cargo() {
    if ! command -v cargo >/dev/null 2>&1 && [[ -f "$HOME/.cargo/env" ]]; then
        # shellcheck source=/dev/null
        . "$HOME/.cargo/env"
    fi
    command -v cargo >/dev/null 2>&1 || _fail "cargo not found: install Rust with rustup, then run this again"
}

ensure_rust_target() {
    ensure_cargo || return 1
    command -v rustup >/dev/null 2>&1 || {
        _fail "rustup not found: the wasm32-unknown-unknown target is installed with rustup"
        return 1
    }
    if rustup target list --installed | grep -qx 'wasm32-unknown-unknown'; then
        _ok "rust target wasm32-unknown-unknown"
    else
        _step "adding rust target wasm32-unknown-unknown (a few seconds)…"
        rustup target add wasm32-unknown-unknown || return 1
    fi
}

# rustfmt and clippy are rustup components that a minimal toolchain profile leaves out.
ensure_rust_components() {
    ensure_cargo || return 1
    local missing=()
    cargo fmt --version >/dev/null 2>&1 || missing+=(rustfmt)
    cargo clippy --version >/dev/null 2>&1 || missing+=(clippy)
    if ((${#missing[@]} == 0)); then
        _ok "rustfmt $(cargo fmt --version | awk '{print $2}'), clippy $(cargo clippy --version | awk '{print $2}')"
        return 0
    fi
    _step "adding rust components ${missing[*]} (under a minute)…"
    rustup component add "${missing[@]}" || return 1
}

# _ensure_cargo_tool BINARY VERSION_LINE CRATE VERSION DURATION: `cargo install CRATE --locked --version VERSION`
# unless `BINARY --version` already prints VERSION_LINE (DURATION says how long the install takes on 2 cores).
_ensure_cargo_tool() {
    local binary="$1" want="$2" crate="$3" version="$4" duration="$5" have
    _wait_for_cargo_install "$crate"
    have="$("$binary" --version 2>/dev/null)" || have=""
    if [[ "$have" == "$want" ]]; then
        _ok "$crate $version"
        return 0
    fi
    _step "installing $crate $version ($duration on 2 cores; found: ${have:-none})…"
    cargo install "$crate" --locked --version "$version" || {
        _fail "cargo install $crate $version failed"
        return 1
    }
    hash -r
    have="$("$binary" --version 2>/dev/null)" || have=""
    [[ "$have" == "$want" ]] || _fail "installed $crate $version, but the $binary first on PATH" \
        "($(command -v "$binary")) reports '${have:-nothing}': remove it or put ~/.cargo/bin first on PATH"
}

ensure_trunk() {
    ensure_cargo || return 1
    export TRUNK_SKIP_VERSION_CHECK=true # its update check calls an API that is not reachable here
    _ensure_cargo_tool trunk "trunk $TRUNK_VERSION" trunk "$TRUNK_VERSION" "about 10 minutes"
}

# twiggy (crates.io) names the largest items of the dashboard's wasm in the size report.
ensure_twiggy() {
    ensure_cargo || return 1
    _ensure_cargo_tool twiggy "twiggy-opt $TWIGGY_VERSION" twiggy "$TWIGGY_VERSION" "about 2 minutes"
}

# Trunk.toml is normally in the repository; write the known-good one only when it is missing.
_write_trunk_toml() {
    local bindgen="$1"
    _step "Trunk.toml is missing: writing one (offline, wasm-bindgen $bindgen, wasm-opt version_$WASM_OPT_VERSION)"
    cat >"$REPO/Trunk.toml" <<EOF
# trunk builds the dashboard (index.html) into dist/. See the README (Development) for the toolchain.
[build]
target = "index.html"
dist = "dist"
# Never download tools: only the package registries are reachable, so a missing tool must be a clear error.
offline = true
filehash = true

[tools]
# Must equal the wasm-bindgen version in Cargo.lock (scripts/setup.sh checks this).
wasm_bindgen = "$bindgen"
# binaryen 132 from npm (package.json); Debian's binaryen 108 produces a wasm that crashes at start.
wasm_opt = "version_$WASM_OPT_VERSION"
EOF
}

# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly; it also provides
# wasm-bindgen-test-runner, the cargo runner for the wasm component tests.
ensure_wasm_bindgen() {
    ensure_cargo || return 1
    [[ -f "$REPO/Cargo.lock" ]] || {
        _step "Cargo.lock is missing: generating it"
        (cd "$REPO" && cargo generate-lockfile) || return 1
    }
    local want pinned have
    want="$(_lock_version wasm-bindgen)"
    [[ -n "$want" ]] || {
        _fail "no wasm-bindgen package in Cargo.lock"
        return 1
    }

    # Check Trunk.toml before a long compile: trunk refuses to build with a mismatched wasm-bindgen.
    [[ -f "$REPO/Trunk.toml" ]] || _write_trunk_toml "$want"
    pinned="$(_trunk_toml_value tools wasm_bindgen)"
    if [[ "$pinned" != "$want" ]]; then
        _fail "Trunk.toml [tools] wasm_bindgen = \"${pinned:-<missing>}\" but Cargo.lock has wasm-bindgen $want." \
            "Fix: set wasm_bindgen = \"$want\" in Trunk.toml (or pin the crate: cargo update -p wasm-bindgen --precise ${pinned:-<version>})."
        return 1
    fi

    _wait_for_cargo_install wasm-bindgen-cli
    have="$(wasm-bindgen --version 2>/dev/null)" || have=""
    if [[ "$have" == "wasm-bindgen $want" ]] && command -v wasm-bindgen-test-runner >/dev/null 2>&1; then
        _ok "wasm-bindgen $want (= Cargo.lock and Trunk.toml)"
        return 0
    fi
    # No --locked: wasm-bindgen-cli's own lockfile pins a crate version the registry no longer has.
    # --force replaces a different version or a binary not installed by cargo.
    _step "installing wasm-bindgen-cli $want (2 to 5 minutes on 2 cores; found: ${have:-none})…"
    cargo install wasm-bindgen-cli --version "=$want" --force || {
        _fail "cargo install wasm-bindgen-cli $want failed"
        return 1
    }
    hash -r
    have="$(wasm-bindgen --version 2>/dev/null)" || have=""
    [[ "$have" == "wasm-bindgen $want" ]] || _fail "installed wasm-bindgen-cli $want, but the wasm-bindgen first" \
        "on PATH ($(command -v wasm-bindgen)) reports '${have:-nothing}'"
}

# The wasm component tests run through `cargo test --target wasm32-unknown-unknown`, which needs this runner.
ensure_cargo_config() {
    local cfg="$REPO/.cargo/config.toml"
    if [[ ! -f "$cfg" ]]; then
        _step "writing .cargo/config.toml (wasm tests run with wasm-bindgen-test-runner)"
        mkdir -p "$REPO/.cargo" || return 1
        cat >"$cfg" <<'EOF'
# `cargo test --target wasm32-unknown-unknown` runs the test wasm in headless Chromium through
# wasm-bindgen-test-runner (installed with wasm-bindgen-cli by scripts/setup.sh).
[target.wasm32-unknown-unknown]
runner = "wasm-bindgen-test-runner"
EOF
    elif grep -q 'wasm-bindgen-test-runner' "$cfg"; then
        _ok ".cargo/config.toml (wasm test runner)"
    else
        _fail ".cargo/config.toml has no wasm-bindgen-test-runner: add" \
            "[target.wasm32-unknown-unknown] runner = \"wasm-bindgen-test-runner\""
    fi
}

# -------------------------------------------------------------------------------------------------------- npm
_check_wasm_opt() {
    local have
    have="$(wasm-opt --version 2>/dev/null)" || have=""
    [[ "$have" =~ version\ $WASM_OPT_VERSION([^0-9]|$) ]] || {
        _fail "wasm-opt first on PATH ($(command -v wasm-opt || echo none)) reports '${have:-nothing}'," \
            "not version $WASM_OPT_VERSION: run ensure_node_modules (npm binaryen@$WASM_OPT_VERSION)"
        return 1
    }
}

# binaryen (wasm-opt) and playwright-core from package.json, then node_modules/.bin first on PATH: trunk runs
# the first wasm-opt on PATH, which must never be Debian's binaryen 108.
ensure_node_modules() {
    local node_major
    if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
        _fail "node and npm not found: install Node.js 20 or newer with npm (binaryen 132 requires node >= 20)"
        return 1
    fi
    node_major="$(node -p 'process.versions.node.split(".")[0]')" || return 1
    ((node_major >= 20)) || {
        _fail "node $(node --version) is too old: binaryen $WASM_OPT_VERSION from npm requires node >= 20"
        return 1
    }

    local marker="$REPO/node_modules/.package-lock.json"
    if [[ ! -f "$marker" || "$REPO/package.json" -nt "$marker" ||
        (-f "$REPO/package-lock.json" && "$REPO/package-lock.json" -nt "$marker") ]]; then
        if [[ -f "$REPO/package-lock.json" ]]; then
            _step "installing npm dev tools: npm ci (binaryen $WASM_OPT_VERSION, playwright-core, axe-core; a few seconds)…"
            (cd "$REPO" && npm ci --no-fund --no-audit) || {
                _fail "npm ci failed (if package.json changed, run npm install and commit package-lock.json)"
                return 1
            }
        else
            _step "installing npm dev tools: npm install (no package-lock.json yet; a few seconds)…"
            (cd "$REPO" && npm install --no-fund --no-audit) || return 1
        fi
    fi
    _path_prepend "$REPO/node_modules/.bin"
    _check_wasm_opt || return 1
    _ok "node_modules: wasm-opt $WASM_OPT_VERSION (npm binaryen), playwright-core" \
        "$(node -p 'require(process.argv[1]).version' "$REPO/node_modules/playwright-core/package.json" 2>/dev/null || echo '?')"
}

# ----------------------------------------------------------------------------------------------------- apt
# ensure_apt PKG...: install the Debian packages that are not installed yet (apt-get update only if needed).
ensure_apt() {
    local pkg status missing=() sudo=()
    for pkg in "$@"; do
        status="$(dpkg -s "$pkg" 2>/dev/null)" || status=""
        if [[ "$status" == *"Status: install ok installed"* ]]; then
            _ok "$pkg $(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null)"
        else
            missing+=("$pkg")
        fi
    done
    ((${#missing[@]})) || return 0

    if [[ "$(id -u)" != 0 ]]; then
        command -v sudo >/dev/null 2>&1 || {
            _fail "need root or sudo to apt-get install ${missing[*]}"
            return 1
        }
        sudo=(sudo)
    fi
    _step "installing ${missing[*]} with apt-get (about a minute)…"
    # On a fresh machine unattended-upgrades often holds apt's and dpkg's locks for minutes, and
    # apt-get fails at once ("Could not get lock"). Wait for them instead, up to 10 minutes:
    # DPkg::Lock::Timeout makes apt-get wait for dpkg's locks, but (apt 2.6) not for the package
    # lists' lock `update` takes nor the archives' lock `install` takes, which the unattended
    # download holds alone; those are retried.
    local lock_wait=(-o DPkg::Lock::Timeout=600) action args output waited
    for action in update install; do
        if [[ "$action" == update ]]; then
            args=(update -qq)
        else
            args=(install -y -qq -o Dpkg::Use-Pty=0 "${missing[@]}")
        fi
        waited=0
        until output="$("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${lock_wait[@]}" "${args[@]}" 2>&1)"; do
            if [[ "$output" != *"Could not get lock"* ]] || ((waited >= 600)); then
                printf '%s\n' "$output" >&2
                _fail "apt-get ${args[*]} failed"
                return 1
            fi
            ((waited)) || _step "another apt-get or dpkg holds a lock apt-get $action needs; waiting for it…"
            sleep 5
            waited=$((waited + 5))
        done
        [[ -z "$output" ]] || printf '%s\n' "$output"
    done
}

# Debian's Chromium and ChromeDriver (/usr/bin/chromium, /usr/bin/chromedriver) for the browser tests,
# and a font with Chinese glyphs (WenQuanYi Zen Hei, 7.5 MB), so the pages in Chinese are laid out,
# measured at 390 px and photographed with real characters rather than empty boxes.
ensure_browser() {
    ensure_apt chromium chromium-driver fonts-wqy-zenhei || return 1
    [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]] ||
        _fail "chromium-driver is installed but /usr/bin/chromium or /usr/bin/chromedriver is missing"
}

# brotli precompresses dist/ (the server serves the .br siblings) and measures the size budget.
ensure_brotli() {
    ensure_apt brotli
}

# ------------------------------------------------------------------------------------------------- python
SDK_VENV="$REPO/.venv-sdk"
SDK_REQUIREMENTS="$REPO/tests/sdk/requirements.txt"

# The official cloud SDKs the conformance suite (tests/sdk) drives, pinned in tests/sdk/requirements.txt, in a
# venv of their own at .venv-sdk. The venv keeps the hash of the requirements it was built from; when the file
# changes, the venv is built again from scratch, so it holds exactly the pinned set (pip alone never removes a
# package that was dropped from the list).
ensure_sdk_venv() {
    local want have="" marker="$SDK_VENV/requirements.sha256"
    [[ -f "$SDK_REQUIREMENTS" ]] || {
        _fail "$SDK_REQUIREMENTS is missing"
        return 1
    }
    command -v python3 >/dev/null 2>&1 || ensure_apt python3 || return 1
    want="$(sha256sum "$SDK_REQUIREMENTS")" || return 1
    want="${want%% *}"
    [[ -f "$marker" ]] && have="$(<"$marker")"
    if [[ "$have" == "$want" ]] && "$SDK_VENV/bin/python" -m pytest --version >/dev/null 2>&1; then
        _ok ".venv-sdk: official cloud SDKs as pinned in tests/sdk/requirements.txt"
        return 0
    fi

    if [[ -n "$have" ]]; then
        _step "tests/sdk/requirements.txt changed: building .venv-sdk again (python3 -m venv)…"
    else
        _step "creating .venv-sdk (python3 -m venv)…"
    fi
    rm -rf "$SDK_VENV" || return 1
    # Debian's python3 has no venv module (ensurepip) until python3-venv is installed; the failed attempt
    # leaves a venv without pip behind, so it is removed before trying again.
    if ! python3 -m venv "$SDK_VENV" >/dev/null 2>&1; then
        rm -rf "$SDK_VENV"
        ensure_apt python3-venv || return 1
        python3 -m venv "$SDK_VENV" || {
            rm -rf "$SDK_VENV"
            _fail "python3 -m venv .venv-sdk failed even with python3-venv installed"
            return 1
        }
    fi
    _step "installing the official cloud SDKs into .venv-sdk from PyPI (tests/sdk/requirements.txt; about a minute)…"
    "$SDK_VENV/bin/python" -m pip install --disable-pip-version-check --no-input -q -r "$SDK_REQUIREMENTS" || {
        _fail "pip install -r tests/sdk/requirements.txt failed (PyPI unreachable, or a pinned version is gone?)"
        return 1
    }
    # Written last: an interrupted install leaves no marker, so the next run starts over.
    printf '%s\n' "$want" >"$marker" || return 1
    _ok ".venv-sdk: $("$SDK_VENV/bin/python" -m pip list --disable-pip-version-check --format=freeze 2>/dev/null |
        grep -Ei '^(huaweicloudsdk(cdn|iotda)|tencentcloud-sdk-python-cls|pytest)==' | paste -sd ' ' -)"
}

# ---------------------------------------------------------------------------------------------------- build
# build_dashboard [--release]: always a release build (the bundle size matters); the flag is accepted for clarity.
build_dashboard() {
    local arg
    for arg in "$@"; do
        [[ "$arg" == --release ]] || {
            _fail "build_dashboard: unknown argument '$arg'"
            return 1
        }
    done
    ensure_cargo || return 1
    export TRUNK_SKIP_VERSION_CHECK=true
    _path_prepend "$REPO/node_modules/.bin"
    _check_wasm_opt || return 1
    command -v brotli >/dev/null 2>&1 || {
        _fail "brotli not found: run ensure_brotli"
        return 1
    }

    _step "building the dashboard: trunk build --release (about 90 s from clean, 15 s after a small change)…"
    (cd "$REPO" && trunk build --release) || {
        _fail "trunk build --release failed"
        return 1
    }
    compress_dist || return 1
    report_dist_size
    report_wasm_contributors
}

# Precompress every text asset in dist/ next to itself (name.br, name.gz) for the server to serve.
compress_dist() {
    local dist="$REPO/dist" file
    [[ -d "$dist" ]] || {
        _fail "no dist/ to compress"
        return 1
    }
    # Drop compressed files whose original is gone (a rebuild renames hashed files).
    while IFS= read -r -d '' file; do
        [[ -e "${file%.*}" ]] || rm -f "$file"
    done < <(find "$dist" -type f \( -name '*.br' -o -name '*.gz' \) -print0)

    _step "precompressing dist/ (brotli -q 11, gzip -9)…"
    while IFS= read -r -d '' file; do
        brotli -f -k -q 11 "$file" || return 1
        gzip -f -k -9 "$file" || return 1
    done < <(find "$dist" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' -o -name '*.html' \) -print0)
}

# Report (never fail on) the brotli size of the first load against the budget.
report_dist_size() {
    local dist="$REPO/dist" file served first=0 total=0 lines=""
    while IFS= read -r -d '' file; do
        if [[ -f "$file.br" ]]; then served="$(stat -c %s "$file.br")"; else served="$(stat -c %s "$file")"; fi
        total=$((total + served))
        case "$file" in
        *.html | *.js | *.wasm | *.css)
            first=$((first + served))
            lines+="$(printf '%9.1f KB  %s' "$(awk -v b="$served" 'BEGIN { print b / 1000 }')" "${file#"$dist"/}")"$'\n'
            ;;
        esac
    done < <(find "$dist" -type f ! -name '*.br' ! -name '*.gz' -print0 | sort -z)

    printf 'dashboard size, brotli (1 KB = 1000 bytes):\n%s' "$lines"
    awk -v first="$first" -v total="$total" -v budget="$SIZE_BUDGET_BYTES" 'BEGIN {
        verdict = first <= budget ? sprintf("within budget, %.1f KB to spare", (budget - first) / 1000) \
                                  : sprintf("OVER BUDGET by %.1f KB", (first - budget) / 1000)
        printf "  first load (html+js+wasm+css): %.1f KB of the %.0f KB budget: %s\n", first / 1000, budget / 1000, verdict
        printf "  total (every file in dist, brotli where precompressed): %.1f KB\n", total / 1000
    }'
}

# The value of attribute NAME on index.html's rust link (data-trunk rel="rust"), empty when it has none.
_rust_link_attr() {
    sed -n '/data-trunk rel="rust"/p' "$REPO/index.html" | grep -o "$1=\"[^\"]*\"" | head -n 1 | cut -d '"' -f 2
}

# Report (never fail on) the wasm's 15 largest items, named, so that a regression in the size report has a name.
# The release profile does not strip (Cargo.toml), so the wasm-bindgen output trunk keeps in
# target/wasm-bindgen/release still has the function names; wasm-opt with index.html's flags plus -g (names kept)
# gives the shipped code's sizes under those names, in about 20 s and without a second cargo build. What ships in
# dist/ is trunk's own wasm-opt output, which has no names.
report_wasm_contributors() {
    command -v twiggy >/dev/null 2>&1 || {
        _warn "twiggy not found: the wasm's largest items are not reported (ensure_twiggy installs it)"
        return 0
    }
    local target="${CARGO_TARGET_DIR:-$REPO/target}"
    [[ "$target" == /* ]] || target="$REPO/$target"
    local bindgen="$target/wasm-bindgen/release/export-desk-dashboard_bg.wasm" named="$target/size-report/named_bg.wasm"
    local level params
    level="$(_rust_link_attr data-wasm-opt)"
    params="$(_rust_link_attr data-wasm-opt-params)"
    [[ -f "$bindgen" ]] || {
        _warn "no $bindgen: the wasm's largest items are not reported"
        return 0
    }
    mkdir -p "${named%/*}" || return 0
    # shellcheck disable=SC2086 # the params are a space-separated list, as trunk splits them
    wasm-opt "-O$level" $params -g "$bindgen" -o "$named" || {
        _warn "wasm-opt -g on $bindgen failed: the wasm's largest items are not reported"
        return 0
    }
    # twiggy's csv: Name,ShallowSize,ShallowSizePercent,RetainedSize,RetainedSizePercent (a name with a comma or a
    # quote is quoted). The names section exists only in this copy, so it is left out. Names are Rust's v0
    # symbols (.cargo/config.toml): crate hashes and the paths of core/alloc are dropped to keep them readable.
    # Each item also counts towards the module of the dashboard or model it first names (a generic of the
    # framework instantiated for `kinds::cls_exports` counts there), or else towards its crate: what a
    # regression's name is looked up by.
    twiggy top -n 1000000 -f csv "$named" | awk -v q='"' '
        NR == 1 { next }
        {
            line = $0
            if (!match(line, /,[0-9]+,[^,]*,[^,]*,[^,]*$/)) next
            name = substr(line, 1, RSTART - 1)
            split(substr(line, RSTART + 1), fields, ",")
            if (substr(name, 1, 1) == q) { name = substr(name, 2, length(name) - 2); gsub(q q, q, name) }
            if (name ~ /names" subsection$/) next
            gsub(/\[[0-9a-f]+\]/, "", name)
            gsub(/(core|alloc)::(marker|ops::function|sync|boxed|future::future|fmt|any)::/, "", name)
            size = fields[1] + 0
            total += size
            if (++n <= 15) items = items sprintf("%9.1f KB  %s\n", size / 1000, length(name) > 150 ? substr(name, 1, 149) "…" : name)
            if (name ~ /^data segment/) group = "(data: strings and tables)"
            else if (match(name, /export_desk(_model)?::[a-z_0-9]+(::[a-z_0-9]+)?/)) group = substr(name, RSTART, RLENGTH)
            else if (match(name, /[a-z_][a-z_0-9]*::/)) group = substr(name, RSTART, RLENGTH - 2)
            else if (name ~ /^import /) group = "(imports from JavaScript)"
            else group = "(other)"
            by_group[group] += size
        }
        END {
            printf "largest items of the wasm, after wasm-opt, before compression (twiggy top; names kept only for this report):\n%s", items
            printf "largest modules and crates (%.1f KB in all, before compression):\n", total / 1000
            for (shown = 0; shown < 15; shown++) {
                best = ""
                for (group in by_group) if (best == "" || by_group[group] > by_group[best]) best = group
                if (best == "") break
                printf "%9.1f KB  %s\n", by_group[best] / 1000, best
                delete by_group[best]
            }
        }'
}

# ---------------------------------------------------------------------------------------------------- groups
# Everything `trunk build` and the server build need.
ensure_build_tools() {
    ensure_rust_target && ensure_trunk && ensure_wasm_bindgen && ensure_node_modules && ensure_brotli
}

# Everything the full test run needs.
ensure_test_tools() {
    ensure_rust_components && ensure_build_tools && ensure_twiggy && ensure_cargo_config && ensure_browser &&
        ensure_sdk_venv
}

# Run directly: call the named functions in order.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    set -euo pipefail
    if (($# == 0)); then
        echo "usage: $0 FUNCTION... (e.g. ensure_build_tools build_dashboard); or source it from another script" >&2
        exit 2
    fi
    for fn in "$@"; do
        declare -F "$fn" >/dev/null || {
            echo "$0: no function '$fn'" >&2
            exit 2
        }
        "$fn"
    done
fi
