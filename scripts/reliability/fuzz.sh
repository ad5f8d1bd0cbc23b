#!/usr/bin/env bash
# Fuzzes CityGrid's parsers with libFuzzer: builds the harnesses of Fuzz/ with -sanitize=fuzzer (every module
# instrumented) and runs each for RUNS inputs, starting from the seeds in Fuzz/corpus/NAME (kept in the repo; the
# inputs libFuzzer finds go to a scratch copy). Prints runs, exec/s and crashes per harness; a crashing input is
# kept under the scratch folder and named in the output. Exit 1 if any harness crashed.
#
#   scripts/reliability/fuzz.sh [--runs N] [--only NAME[,NAME…]] [--seconds S] [--keep DIR] [--no-build]
#
# NAME: csv jsonl geojson calendar time theme open311 command. Defaults: 100000 runs each, no time limit.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

runs=100000 only="" seconds=0 keep="" build=1
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs=$2; shift 2 ;;
        --only) only=$2; shift 2 ;;
        --seconds) seconds=$2; shift 2 ;;
        --keep) keep=$2; shift 2 ;;
        --no-build) build=0; shift ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) echo "unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
done

# harness name -> executable
declare -A binary=(
    [csv]=FuzzWorkflow [jsonl]=FuzzWorkflow [geojson]=FuzzWorkflow [calendar]=FuzzWorkflow [time]=FuzzWorkflow
    [theme]=FuzzTheme [open311]=FuzzOpen311 [command]=FuzzCommand
)
order="csv jsonl geojson calendar time theme open311 command"
[ -n "$only" ] && order=${only//,/ }
for name in $order; do [ -n "${binary[$name]:-}" ] || { echo "no harness named $name" >&2; exit 2; }; done

if [ "$build" = 1 ]; then
    echo "building Fuzz/ (libFuzzer, debug)…"
    swift build --package-path Fuzz -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library 2>&1 \
        | grep -E "error:|Compiling Fuzz|Build complete|Build of" | grep -v "^warning" || true
fi
bin=$(swift build --package-path Fuzz --show-bin-path)

scratch=${keep:-$(mktemp -d "${TMPDIR:-/tmp}/citygrid-fuzz.XXXXXX")}
mkdir -p "$scratch"
echo "scratch: $scratch"
# libFuzzer, not Swift's backtracer, must see a crash, so it writes the input out.
export SWIFT_BACKTRACE=enable=no

printf '%-9s %10s %9s %8s %6s  %s\n' harness runs exec/s seconds crash "corpus (seeds → after)"
failed=0
for name in $order; do
    work="$scratch/$name"; mkdir -p "$work/corpus"
    seeds=$(ls "Fuzz/corpus/$name" | wc -l)
    limit=(); [ "$seconds" -gt 0 ] && limit=(-max_total_time="$seconds")
    start=$(date +%s.%N)
    set +e
    CITYGRID_FUZZ_TARGET=$name "$bin/${binary[$name]}" -runs="$runs" "${limit[@]}" -max_len=8192 -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/" "$work/corpus" "Fuzz/corpus/$name" \
        > "$work/log" 2>&1
    rc=$?
    set -e
    end=$(date +%s.%N)
    done_runs=$(grep -oE '^Done [0-9]+ runs' "$work/log" | grep -oE '[0-9]+' || true)
    [ -z "$done_runs" ] && done_runs=$(grep -oE '^#[0-9]+' "$work/log" | tail -1 | tr -d '#')
    secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.0f", b - a }')
    rate=$(grep -oE 'stat::average_exec_per_sec: *[0-9]+' "$work/log" | grep -oE '[0-9]+$' || true)
    [ "${rate:-0}" = 0 ] && rate=$(awk -v r="${done_runs:-0}" -v s="$secs" 'BEGIN { printf "%d", s > 0 ? r / s : r }')
    artifacts=$(ls "$work" | grep -E '^(crash|timeout|oom|leak)-' || true)
    crashes=$(echo -n "$artifacts" | grep -c . || true)
    [ "$rc" != 0 ] && [ "$crashes" = 0 ] && crashes="rc=$rc"
    after=$(( seeds + $(ls "$work/corpus" | wc -l) ))
    printf '%-9s %10s %9s %8s %6s  %s\n' "$name" "${done_runs:-?}" "$rate" "$secs" "$crashes" "$seeds → $after"
    if [ "$rc" != 0 ]; then
        failed=1
        grep -E 'rule broken|Fatal error|ERROR:|SUMMARY' "$work/log" | head -3 | sed 's/^/    /'
        for a in $artifacts; do echo "    input: $work/$a"; done
    fi
done
[ -z "$keep" ] && [ "$failed" = 0 ] && rm -rf "$scratch"
exit $failed
