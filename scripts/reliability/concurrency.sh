#!/usr/bin/env bash
# Concurrent writers: N writer processes x M transitions (urges of one shared case, of each writer's own case,
# accepts racing on fresh reported cases) plus a live console in tmux (private socket), on a private demo site.
# Checks 0 lost, 0 doubled, nothing written by a refused command, every refusal a documented exit code expected
# for its command, gapless history, the console alive and quitting with 0, integrity_check ok. Prints throughput
# and p50/p99 per command.
#
#   scripts/reliability/concurrency.sh [--writers N] [--transitions M] [--seed N] [--cases N] [--no-console]
#
# Defaults: 8 writers x 200 transitions, seed 1, a 400-case demo city. Exit 1 on any failure.
# KEEP=1 keeps the scratch folder; CITYGRID_BIN picks the binary (default: the debug build).
set -euo pipefail
source "$(dirname "$0")/common.sh"

writers=8 transitions=200 seed=1 cases=400 console=1
while [ $# -gt 0 ]; do
    case "$1" in
        --writers) writers=$2; shift 2 ;;
        --transitions) transitions=$2; shift 2 ;;
        --seed) seed=$2; shift 2 ;;
        --cases) cases=$2; shift 2 ;;
        --no-console) console=0; shift ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) echo "unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
done
CG=$(citygrid_binary)
make_scratch concurrency
SOCKET="$SCRATCH/tmux.sock"
cleanup_tmux() { [ -S "$SOCKET" ] && tmux -S "$SOCKET" kill-server 2>/dev/null || true; }
CLEANUP_HOOKS+=(cleanup_tmux)
seed_demo "$SCRATCH/site.sqlite" "$cases" 3
echo "concurrency: $writers writers x $transitions transitions, seed $seed, $cases cases, $CG"
socket_args=()
[ "$console" = 1 ] && command -v tmux >/dev/null && socket_args=(--socket "$SOCKET")
python3 "$ROOT/scripts/reliability/concurrency.py" --binary "$CG" --db "$SCRATCH/site.sqlite" --home "$SCRATCH" \
    --writers "$writers" --transitions "$transitions" --seed "$seed" --now "$NOW" "${socket_args[@]}"
