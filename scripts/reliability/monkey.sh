#!/usr/bin/env bash
# Monkey test of the console: random keys and resizes in a pty against `citygrid console` on a private demo site
# (CITYGRID_NOW fixed). Checks 0 crashes, 0 stalls over 2 s, the terminal restored at every exit.
#
#   scripts/reliability/monkey.sh [--keys N] [--resizes N] [--seed N] [--cases N] [--batch N] [--max-seconds S]
#                              [--stall-seconds S]
#
# Defaults: 100000 keys, 200 random resizes (10x3 to 250x80), seed 1, a 400-case demo city, no time limit
# (--max-seconds stops early and reports the keys sent). Exit 1 on any failure.
# KEEP=1 keeps the scratch folder; CITYGRID_BIN picks the binary (default: the debug build).
set -euo pipefail
source "$(dirname "$0")/common.sh"

keys=100000 resizes=200 seed=1 cases=400 batch=50 max_seconds=0 stall=2
while [ $# -gt 0 ]; do
    case "$1" in
        --keys) keys=$2; shift 2 ;;
        --resizes) resizes=$2; shift 2 ;;
        --seed) seed=$2; shift 2 ;;
        --cases) cases=$2; shift 2 ;;
        --batch) batch=$2; shift 2 ;;
        --max-seconds) max_seconds=$2; shift 2 ;;
        --stall-seconds) stall=$2; shift 2 ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) echo "unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
done
CG=$(citygrid_binary)
make_scratch monkey
seed_demo "$SCRATCH/site.sqlite" "$cases" 3
echo "monkey: $keys keys, $resizes resizes, seed $seed, $cases cases, $CG"
python3 "$ROOT/scripts/reliability/monkey.py" --binary "$CG" --db "$SCRATCH/site.sqlite" --home "$SCRATCH" \
    --keys "$keys" --resizes "$resizes" --seed "$seed" --batch "$batch" --now "$NOW" --max-seconds "$max_seconds" --stall-seconds "$stall" --progress && rc=0 || rc=$?
integrity=$(sqlite3 "$SCRATCH/site.sqlite" 'PRAGMA integrity_check')
echo "integrity: $integrity"
[ "$integrity" = ok ] || rc=1
exit $rc
