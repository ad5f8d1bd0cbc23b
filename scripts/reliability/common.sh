# Shared by the reliability scripts: the binary, a private scratch folder, a demo site.
# shellcheck shell=bash

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$PWD
NOW=${CITYGRID_NOW:-2026-11-25T10:30:00+08:00}
export SWIFT_BACKTRACE=${SWIFT_BACKTRACE:-enable=no}

# citygrid as built (`swift build`), or $CITYGRID_BIN.
citygrid_binary() {
    if [ -n "${CITYGRID_BIN:-}" ]; then echo "$CITYGRID_BIN"; return; fi
    local bin
    bin=$(swift build --show-bin-path 2>/dev/null)/citygrid
    [ -x "$bin" ] || { echo "no citygrid at $bin: run swift build first (or set CITYGRID_BIN)" >&2; exit 2; }
    echo "$bin"
}

# Functions run on exit before the scratch folder goes (tmux servers, background processes).
CLEANUP_HOOKS=()
cleanup() {
    local hook
    for hook in "${CLEANUP_HOOKS[@]}"; do "$hook" || true; done
    if [ "${KEEP:-0}" != 1 ]; then rm -rf "$SCRATCH"; else echo "scratch kept: $SCRATCH"; fi
}

# A private scratch folder, removed on exit unless KEEP=1; with its own null device (never the host's /dev/null).
make_scratch() {
    SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/citygrid-${1:-reliability}.XXXXXX")
    mknod "$SCRATCH/null" c 1 3 2>/dev/null || mkfifo "$SCRATCH/null"
    trap cleanup EXIT
    trap 'exit 130' INT TERM
}

# seed_demo DB CASES DAYS: a small demo city.
seed_demo() {
    CITYGRID_NOW=$NOW "$CG" seed-demo --db "$1" --cases "${2:-400}" --days "${3:-3}" --seed 7 > "$SCRATCH/seed.log" 2>&1 \
        || { echo "seed-demo failed:" >&2; cat "$SCRATCH/seed.log" >&2; exit 1; }
}
