#!/usr/bin/env bash
# The Open311 flood of issue 13 (defect 7), bounded and on 127.0.0.1 only: a temporary demo site served by
# `citygrid serve` on a free port, two attacking processes opening thousands of connections (one sends half a
# request head and trickles a header byte a second, the other sends a head and trickles a slow body), and
# meanwhile a normal client alternating GET and POST /requests.json. Two rounds against the same server:
#   1. the attackers each from one address (127.0.0.2, 127.0.0.3): normal requests must all succeed;
#   2. the attackers spread over 40 addresses each (127.0.10.x, 127.0.11.x), more than the total limit allows
#      for: the total stays bounded (normal clients may then be answered 503 with Retry-After; reported only).
# Both rounds check the connections the server holds against its limits, that half-sent heads are closed within
# the header timeout and slow bodies within the body timeout, the server's open files, that nothing is left
# open, and that no reporter e-mail or phone appears in any response. Round 1 also measures the time and bytes
# of a page of GET /requests. Prints the figures; exits 1 when an assertion failed.
#
#   scripts/reliability/open311-flood.sh [CONNECTIONS_PER_ATTACKER (10000)] [ATTACK_SECONDS (20)]
#
# Environment: CITYGRID (the binary; default .build/release/citygrid, else .build/debug/citygrid),
# FLOOD_DAYS (days of demo history at 700 cases a day, default 30), FLOOD_HEADER_TIMEOUT (10), FLOOD_BODY_TIMEOUT
# (30), FLOOD_PER_ADDRESS (32): the server's options, defaults as `serve`'s. Needs python3; reads the
# server's /proc entries (run as its user or root). Everything lives in a private temporary directory, removed at
# the end; the server and the flood processes are stopped by their pids on any exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
connections="${1:-10000}"
attack_seconds="${2:-20}"
header_timeout="${FLOOD_HEADER_TIMEOUT:-10}"
body_timeout="${FLOOD_BODY_TIMEOUT:-30}"
per_address="${FLOOD_PER_ADDRESS:-32}"
bin="${CITYGRID:-}"
if [[ -z "$bin" ]]; then
    if [[ -x .build/release/citygrid ]]; then bin=.build/release/citygrid; else bin=.build/debug/citygrid; fi
fi
[[ -x "$bin" ]] || { echo "no citygrid binary at $bin: swift build first" >&2; exit 2; }
command -v python3 >/dev/null || { echo "python3 is needed" >&2; exit 2; }

tmp="$(mktemp -d "${TMPDIR:-/tmp}/citygrid-flood.XXXXXX")"
server=""
flood=""
stop() {  # stop PID: TERM, up to 5 s, then KILL
    local pid="$1"
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
cleanup() {
    stop "$flood"
    stop "$server"
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

db="$tmp/site.sqlite"
seed_start=$(date +%s.%N)
"$bin" seed-demo --db "$db" --days "${FLOOD_DAYS:-30}" --seed 7 >/dev/null
key="$("$bin" apikey add --db "$db" --name flood --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')"
files_limit="$(ulimit -n)"
max_connections=$(( files_limit / 2 - 32 )); (( max_connections > 1024 )) && max_connections=1024
echo "demo site: $(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from service_case').fetchone()[0])" "$db" 2>/dev/null || echo '?') cases, seeded in $(python3 -c "import sys; print(round(float(sys.argv[2]) - float(sys.argv[1]), 1))" "$seed_start" "$(date +%s.%N)") s"

# The normal client's request budget is raised so that what is measured is the flood, not the rate limits.
"$bin" serve --db "$db" --host 127.0.0.1 --port 0 --client-requests-per-minute 60000 --posts-per-minute 60000 \
    --header-timeout "$header_timeout" --body-timeout "$body_timeout" --max-connections-per-address "$per_address" \
    --max-connections "$max_connections" >"$tmp/serve.out" 2>"$tmp/serve.err" &
server=$!
port=""
for _ in $(seq 100); do
    port="$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$tmp/serve.out" | head -1)"
    [[ -n "$port" ]] && break
    kill -0 "$server" 2>/dev/null || { cat "$tmp/serve.err" >&2; exit 1; }
    sleep 0.1
done
[[ -n "$port" ]] || { echo "the server did not start" >&2; cat "$tmp/serve.err" >&2; exit 1; }
echo "citygrid serve ($bin) on 127.0.0.1:$port, pid $server, open-file limit $files_limit;" \
     "limits: $per_address connections a client address, $max_connections in all," \
     "header timeout ${header_timeout} s, body timeout ${body_timeout} s"

status=0
flood_round() {
    python3 scripts/reliability/open311_flood.py --port "$port" --pid "$server" --key "$key" --attackers 2 \
        --connections "$connections" --header-timeout "$header_timeout" --body-timeout "$body_timeout" \
        --per-address "$per_address" --max-connections "$max_connections" "$@" &
    flood=$!
    local rc=0
    wait "$flood" || rc=$?
    flood=""
    return "$rc"
}
flood_round --attack-seconds "$attack_seconds" --spread 1 --expect-normal-success --pages \
    --title "round 1: two attackers, one address each" || status=1
echo
flood_round --attack-seconds "$(( attack_seconds / 2 > 5 ? attack_seconds / 2 : 5 ))" --spread 40 \
    --title "round 2: two attackers over 40 addresses each" || status=1
echo
if kill -0 "$server" 2>/dev/null; then echo "the server is still running"; else echo "FAIL: the server died" >&2; status=1; fi
if grep -qiE "fatal|precondition|crash" "$tmp/serve.err"; then echo "FAIL: the server's error output:" >&2; cat "$tmp/serve.err" >&2; status=1; fi
echo "overall: $([[ $status == 0 ]] && echo OK || echo FAILED)"
exit "$status"
