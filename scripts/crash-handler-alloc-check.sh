#!/usr/bin/env bash
# Issue 13, defect 11: the crash handler must not allocate (malloc is not async-signal-safe: a crash inside malloc
# would deadlock the handler). Runs `citygrid cases` with the hidden crash hook under gdb, once per way of crashing,
# stops when the fatal signal arrives, then breaks on every allocator entry point while the handler runs.
# Prints the number of allocator calls per signal; exits 1 if there is any.
# usage: scripts/crash-handler-alloc-check.sh [path/to/citygrid]   (default .build/debug/citygrid; needs gdb)
set -u
binary=${1:-.build/debug/citygrid}
command -v gdb >/dev/null || { echo "gdb not found" >&2; exit 2; }
[ -x "$binary" ] || { echo "no $binary (swift build first)" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/citygrid-alloc-XXXXXX")
trap 'rm -rf "$work"' EXIT
status=0
# SIGTRAP is left out: gdb takes it for itself. It runs the same handler code as the others.
for pair in segv:SIGSEGV abort:SIGABRT bus:SIGBUS fpe:SIGFPE fatal:SIGILL; do
    kind=${pair%%:*}; signal=${pair#*:}
    hook=command-$kind; [ "$kind" = fatal ] && hook=command
    cat > "$work/gdb" <<GDB
set pagination off
set confirm off
handle $signal nostop noprint pass
catch signal $signal
run
break malloc
break calloc
break realloc
break free
break posix_memalign
break aligned_alloc
commands 2-7
bt 8
continue
end
continue
continue
GDB
    mkdir -p "$work/$kind"
    CITYGRID_DB="$work/$kind/x.sqlite" XDG_STATE_HOME="$work/$kind" CITYGRID_TEST_CRASH=$hook \
        timeout 120 gdb -batch -nx -x "$work/gdb" --args "$binary" cases > "$work/$kind.out" 2>&1
    calls=$(grep -c '^Breakpoint [0-9.]*, ' "$work/$kind.out")
    reports=$(ls "$work/$kind/citygrid/crash" 2>/dev/null | grep -c '^crash-')
    echo "$signal: $calls allocator calls in the handler, $reports report(s)"
    if [ "$calls" -ne 0 ] || [ "$reports" -ne 1 ]; then
        status=1
        grep -A8 '^Breakpoint [0-9.]*, ' "$work/$kind.out" | head -40
    fi
done
exit $status
