#!/usr/bin/env bash
# The Open311 flood, bounded: a temporary demo site served by `citygrid serve` on 127.0.0.1, thousands of
# half-sent requests from two processes (127.0.0.2 and 127.0.0.3), and meanwhile normal GET and POST requests
# from 127.0.0.1; prints their success rate and p50/p99 latency, the server's CPU and open files, and how long
# the partial connections stay open once the flood stops.
#
#   scripts/reliability/open311-flood.sh [CONNECTIONS_PER_ATTACKER (10000)] [ATTACK_SECONDS (20)]
#
# Environment: CITYGRID (the binary; default .build/release/citygrid, else .build/debug/citygrid),
# FLOOD_SERVE_ARGS (more `serve` options, e.g. "--header-timeout 3600 --max-connections-per-address 9000" to
# see the service without its limits), FLOOD_DAYS (days of demo history, default 30 at 700 cases a day).
# Needs python3 and ss (iproute2). Exits 1 when a normal request failed or partial connections outlived the
# drain. Everything lives in a temporary directory, removed at the end; the server is stopped by its pid.
set -euo pipefail
cd "$(dirname "$0")/../.."
connections="${1:-10000}"
attack_seconds="${2:-20}"
bin="${CITYGRID:-}"
if [[ -z "$bin" ]]; then
    if [[ -x .build/release/citygrid ]]; then bin=.build/release/citygrid; else bin=.build/debug/citygrid; fi
fi
[[ -x "$bin" ]] || { echo "no citygrid binary at $bin: swift build first" >&2; exit 2; }
command -v ss >/dev/null || { echo "ss (iproute2) is needed to count connections" >&2; exit 2; }

tmp="$(mktemp -d "${TMPDIR:-/tmp}/citygrid-flood.XXXXXX")"
server=""
cleanup() {
    if [[ -n "$server" ]] && kill -0 "$server" 2>/dev/null; then
        kill -TERM "$server" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$server" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

db="$tmp/site.sqlite"
"$bin" seed-demo --db "$db" --days "${FLOOD_DAYS:-30}" --seed 7 >/dev/null
key="$("$bin" apikey add --db "$db" --name flood --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')"

# The normal client's budget is raised so that what is measured is the flood, not the rate limits.
# shellcheck disable=SC2086
"$bin" serve --db "$db" --host 127.0.0.1 --port 0 --client-requests-per-minute 60000 --posts-per-minute 60000 \
    ${FLOOD_SERVE_ARGS:-} >"$tmp/serve.out" 2>"$tmp/serve.err" &
server=$!
port=""
for _ in $(seq 100); do
    port="$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$tmp/serve.out" | head -1)"
    [[ -n "$port" ]] && break
    kill -0 "$server" 2>/dev/null || { cat "$tmp/serve.err" >&2; exit 1; }
    sleep 0.1
done
[[ -n "$port" ]] || { echo "the server did not start" >&2; cat "$tmp/serve.err" >&2; exit 1; }
echo "citygrid serve on 127.0.0.1:$port (pid $server, open-file limit $(ulimit -n)), ${FLOOD_SERVE_ARGS:-default limits}"

status=0
python3 scripts/reliability/open311_flood.py --port "$port" --pid "$server" --key "$key" --attackers 2 \
    --connections "$connections" --attack-seconds "$attack_seconds" --drain-seconds 30 || status=$?
kill -0 "$server" 2>/dev/null && echo "the server is still running" || { echo "the server died" >&2; status=1; }
exit "$status"
