#!/usr/bin/env bash
# Issue 13, defect 11: the crash handler must not allocate (malloc is not async-signal-safe: a crash inside malloc
# would deadlock the handler). Runs `citygrid cases` with the hidden crash hook under gdb, once per way of crashing,
# stops when the fatal signal arrives, then breaks on every allocator entry point while the handler runs.
# Then the same for the full-screen console in a private tmux server (terminal restored, standard error captured).
# Prints the number of allocator calls per case; exits 1 if there is any.
# usage: scripts/reliability/crash-handler-alloc-check.sh [path/to/citygrid]   (default .build/debug/citygrid; needs gdb)
set -u
binary=${1:-.build/debug/citygrid}
command -v gdb >/dev/null || { echo "gdb not found" >&2; exit 2; }
[ -x "$binary" ] || { echo "no $binary (swift build first)" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/citygrid-alloc-XXXXXX")
trap 'rm -rf "$work"' EXIT
status=0
# Once stopped at the signal (catchpoint 1): a breakpoint on every allocator function (2-7), each printing where
# it was called from, then on to the handler and the end. Shared by the command and the console runs.
cat > "$work/allocator-breaks.gdb" <<'GDB'
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
source $work/allocator-breaks.gdb
GDB
    mkdir -p "$work/$kind"
    CITYGRID_DB="$work/$kind/x.sqlite" XDG_STATE_HOME="$work/$kind" CITYGRID_TEST_CRASH=$hook \
        timeout 120 gdb -batch -nx -x "$work/gdb" --args "$binary" cases > "$work/$kind.out" 2>&1
    calls=$(grep -c '^Breakpoint [0-9.]*, ' "$work/$kind.out")
    reports=$(ls "$work/$kind/citygrid/crash" 2>/dev/null | grep -c '^crash-')
    echo "$signal: $calls allocator calls in the handler, $reports report(s)"
    # The breakpoints go in only once gdb has stopped at the signal: no stop, no check.
    caught=$(grep -c '^Catchpoint 1 (signal [A-Z]*), ' "$work/$kind.out")
    if [ "$calls" -ne 0 ] || [ "$reports" -ne 1 ] || [ "$caught" -eq 0 ]; then
        status=1
        echo "  (gdb stopped at the signal: $caught time(s))"
        grep -A8 '^Breakpoint [0-9.]*, ' "$work/$kind.out" | head -40
    fi
done

# The console: gdb in a private tmux pane, the program on the pane's terminal, gdb's own output in a file.
if command -v tmux >/dev/null; then
    mkdir -p "$work/console"
    CITYGRID_NOW=2026-11-25T10:30:00+08:00 "$binary" seed-demo --db "$work/console/site.sqlite" --cases 400 --days 3 --seed 7 \
        > "$work/console/seed.out" 2>&1 || { echo "seed-demo failed" >&2; exit 2; }
    absolute=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")
    cat > "$work/console/run.sh" <<RUN
#!/bin/bash
pty=\$(tty)
cat > "$work/console/gdb" <<GDB
set pagination off
set confirm off
handle SIGSEGV nostop noprint pass
handle SIGWINCH nostop noprint pass
catch signal SIGSEGV
run console --db $work/console/site.sqlite --as city-lead-1 --lang en < \$pty > \$pty 2> \$pty
source $work/allocator-breaks.gdb
GDB
LANG=C.UTF-8 TERM=tmux-256color CITYGRID_NOW=2026-11-25T10:30:00+08:00 HOME=$work/console XDG_STATE_HOME=$work/console \\
    CITYGRID_TEST_CRASH=after-first-frame-segv timeout 120 gdb -batch -nx -x $work/console/gdb --args $absolute > $work/console.out 2>&1
echo CHECK-DONE
sleep 60
RUN
    chmod +x "$work/console/run.sh"
    socket="$work/tmux.sock"
    tmux -S "$socket" -f /dev/null new-session -d -s check -x 200 -y 40 "$work/console/run.sh"
    for _ in $(seq 150); do
        tmux -S "$socket" capture-pane -p -t check 2>/dev/null | grep -q CHECK-DONE && break
        sleep 1
    done
    tmux -S "$socket" kill-server 2>/dev/null
    calls=$(grep -c '^Breakpoint [0-9.]*, ' "$work/console.out")
    reports=$(ls "$work/console/citygrid/crash" 2>/dev/null | grep -c '^crash-')
    echo "console, SIGSEGV: $calls allocator calls in the handler, $reports report(s)"
    caught=$(grep -c '^Catchpoint 1 (signal [A-Z]*), ' "$work/console.out")
    if [ "$calls" -ne 0 ] || [ "$reports" -ne 1 ] || [ "$caught" -eq 0 ]; then
        status=1
        echo "  (gdb stopped at the signal: $caught time(s))"
        grep -A8 '^Breakpoint [0-9.]*, ' "$work/console.out" | head -40
    fi
fi
exit $status
