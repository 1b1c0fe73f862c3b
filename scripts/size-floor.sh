#!/usr/bin/env bash
# scripts/size-floor.sh: what Leptos costs before Export Desk adds a line, as the dashboard is built and served
# (release profile, wasm-bindgen, wasm-opt -Oz from binaryen 132, brotli -q 11). A report for the size budget
# (README, "Size and speed"), never a test. Builds benches/size-floor twice, with and without leptos_router,
# in target/size-floor (about 3 minutes from clean).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/setup.sh
. scripts/setup.sh
ensure_rust_target && ensure_wasm_bindgen && ensure_node_modules && ensure_brotli
_path_prepend "$REPO/node_modules/.bin"
_check_wasm_opt

out="$REPO/target/size-floor"
wasm_opt_features=(--enable-bulk-memory --enable-bulk-memory-opt --enable-nontrapping-float-to-int --enable-sign-ext
    --enable-mutable-globals --enable-reference-types --enable-multivalue)
kb() { awk -v b="$1" 'BEGIN { printf "%.1f KB", b / 1000 }'; }

printf 'Leptos floor, brotli (1 KB = 1000 bytes):\n'
for variant in counter router; do
    features=()
    [[ "$variant" == router ]] && features=(--features router)
    _step "building the $variant app…"
    cargo build --quiet --release --target wasm32-unknown-unknown --manifest-path benches/size-floor/Cargo.toml \
        --target-dir "$out/cargo" "${features[@]}"
    rm -rf "$out/$variant"
    wasm-bindgen --target web --no-typescript --out-dir "$out/$variant" \
        "$out/cargo/wasm32-unknown-unknown/release/size-floor.wasm"
    wasm-opt -Oz "${wasm_opt_features[@]}" "$out/$variant/size-floor_bg.wasm" -o "$out/$variant/size-floor_bg.wasm"
    wasm="$(brotli -c -q 11 "$out/$variant/size-floor_bg.wasm" | wc -c)"
    js="$(brotli -c -q 11 "$out/$variant/size-floor.js" | wc -c)"
    printf '  %-8s wasm %9s   js glue %8s\n' "$variant" "$(kb "$wasm")" "$(kb "$js")"
done
