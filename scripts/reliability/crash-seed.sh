#!/bin/bash
# kill -9 during `seed-demo --force` at spread-out moments; after each kill the site must be the whole previous
# city (400 cases) or, if the kill came after the rename, the whole new one, with integrity_check "ok", and at
# most the killed build's own temporary file beside it (each build removes those of dead builds).
# usage: scripts/reliability/crash-seed.sh [KILLS] [CASES]   (CITYGRID=path/to/citygrid, default .build/debug/citygrid)
# Needs sqlite3. Works only in a private temporary folder.
set -u
kills=${1:-20}; cases=${2:-6000}
bin=${CITYGRID:-$(cd "$(dirname "$0")/../.." && pwd)/.build/debug/citygrid}
command -v sqlite3 >/dev/null || { echo "needs sqlite3" >&2; exit 2; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/citygrid-crash-seed.XXXXXX"); trap 'rm -rf "$dir"' EXIT
export CITYGRID_NOW=2026-11-25T10:30:00+08:00 HOME=$dir
db=$dir/site.sqlite
"$bin" seed-demo --cases 400 --days 2 --seed 1 --db "$db" >/dev/null 2>&1 || { echo "first seed failed" >&2; exit 1; }
start=$(date +%s.%N); "$bin" seed-demo --cases "$cases" --days 2 --seed 3 --db "$dir/timing.sqlite" >/dev/null 2>&1
full=$(echo "$(date +%s.%N) - $start" | bc); rm -f "$dir"/timing.sqlite*
old=0 new=0 bad=0
for i in $(seq 1 "$kills"); do
    delay=$(echo "scale=3; $full * $i * 1.15 / $kills" | bc)     # the last few land after the rename
    "$bin" seed-demo --cases "$cases" --days 2 --seed 3 --force --db "$db" >/dev/null 2>&1 & pid=$!
    sleep "$delay"; kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
    count=$(sqlite3 "$db" "SELECT count(*) FROM service_case" 2>&1); check=$(sqlite3 "$db" "PRAGMA integrity_check" 2>&1)
    temps=$(ls -a "$dir" | grep -c '\.seeding-')
    if [ "$check" = ok ] && [ "$count" = 400 ] && [ "$temps" -le 1 ]; then old=$((old + 1))
    elif [ "$check" = ok ] && [ "$count" = "$cases" ] && [ "$temps" -le 1 ]; then new=$((new + 1))
    else bad=$((bad + 1)); echo "kill $i at ${delay}s: cases=$count integrity=$check temporary files=$temps" >&2; fi
    # Back to the previous city for the next kill.
    [ "$count" = "$cases" ] && "$bin" seed-demo --cases 400 --days 2 --seed 1 --force --db "$db" >/dev/null 2>&1
done
"$bin" seed-demo --cases 10 --days 1 --force --db "$db" >/dev/null 2>&1
left=$(ls -a "$dir" | grep -c '\.seeding-')
printf 'seed of %s cases: %.1f s; %s kills: %s left the previous city, %s the new one, %s anything else; temporary files after the next seed: %s\n' \
    "$cases" "$full" "$kills" "$old" "$new" "$bad" "$left"
[ "$bad" = 0 ] && [ "$left" = 0 ]
