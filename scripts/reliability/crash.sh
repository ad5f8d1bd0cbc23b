#!/usr/bin/env bash
# kill -9 at random points of a one-transaction import, a --batch import (then resumed), a bulk action over every
# dispatched case, seed-demo --force over an existing city, and single transitions, on a private demo site.
# After each kill: PRAGMA integrity_check ok and all-or-nothing (whole batches, each line once after the resume).
#
#   scripts/reliability/crash.sh [--kills N] [--modes import,batch,bulk,seed,single] [--lines N] [--batch N]
#                                [--cases N] [--seed N]
#
# Defaults: 20 kills per mode, 5000-line files, batches of 100, a 1500-case demo city. Exit 1 on any failure.
# KEEP=1 keeps the scratch folder; CITYGRID_BIN picks the binary (default: the debug build).
set -euo pipefail
source "$(dirname "$0")/common.sh"

kills=20 modes=import,batch,bulk,seed,single lines=5000 batch=100 cases=1500 seed=1
while [ $# -gt 0 ]; do
    case "$1" in
        --kills) kills=$2; shift 2 ;;
        --modes) modes=$2; shift 2 ;;
        --lines) lines=$2; shift 2 ;;
        --batch) batch=$2; shift 2 ;;
        --cases) cases=$2; shift 2 ;;
        --seed) seed=$2; shift 2 ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) echo "unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
done
CG=$(citygrid_binary)
make_scratch crash
seed_demo "$SCRATCH/site.sqlite" "$cases" 3
echo "crash: $kills kills per mode ($modes), $lines-line imports in batches of $batch, $cases cases, $CG"
python3 "$ROOT/scripts/reliability/crash.py" --binary "$CG" --db "$SCRATCH/site.sqlite" --home "$SCRATCH" \
    --kills "$kills" --modes "$modes" --lines "$lines" --batch "$batch" --seed "$seed" --now "$NOW"
