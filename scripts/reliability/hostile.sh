#!/usr/bin/env bash
# Hostile input and a hostile host, on a private demo site: special-file targets, absurd times, NUL and escape
# bytes in text arguments and files, a full disk (small tmpfs in a private mount namespace), the database deleted,
# replaced or made read-only under a running console (tmux, private socket), a reader of another Unix user.
# Each check prints PASS/FAIL with the issue 13 defect it guards; exit 1 on any FAIL.
#
#   scripts/reliability/hostile.sh [--groups special,times,refusals,text,disk,console,user] [--cases N]
#
# KEEP=1 keeps the scratch folder; CITYGRID_BIN picks the binary (default: the debug build).
set -euo pipefail
source "$(dirname "$0")/common.sh"

groups=special,times,refusals,text,disk,console,user cases=200
while [ $# -gt 0 ]; do
    case "$1" in
        --groups) groups=$2; shift 2 ;;
        --cases) cases=$2; shift 2 ;;
        -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
        *) echo "unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
done
CG=$(citygrid_binary)
make_scratch hostile
seed_demo "$SCRATCH/site.sqlite" "$cases" 3
echo "hostile: $groups, $cases cases, $CG"
python3 "$ROOT/scripts/reliability/hostile.py" --binary "$CG" --db "$SCRATCH/site.sqlite" --home "$SCRATCH" \
    --now "$NOW" --groups "$groups"
