#!/usr/bin/env python3
"""Random keys and resizes against `citygrid console` in a pseudo-terminal (run through monkey.sh).

Sends KEYS random keys (printable text, CJK and invalid UTF-8, arrows and paging, F-keys, Esc and Enter storms,
raw escape sequences, control keys, `:` commands, the forms behind n/x and the action letters) in batches, with
random resizes between 10x3 and 250x80. After each batch it waits for the output to settle, then changes the
window size by one column and times the first byte of the redraw: no byte within 2 s is a stall. A console
that exits by itself (a form's quit confirmation) is checked like the final quit and started again; any other
end is a crash. At the end the console quits with Esc and q, and must exit 0 with the terminal as it was
(termios unchanged, alternate screen left, cursor shown).
"""
import argparse
import json
import fcntl
import os
import random
import select
import signal
import struct
import subprocess
import sys
import termios
import time

STALL_SECONDS = 2.0
HANG_SECONDS = 30.0

ARROWS = ["\x1b[A", "\x1b[B", "\x1b[C", "\x1b[D", "\x1bOA", "\x1bOB", "\x1bOC", "\x1bOD"]
PAGING = ["\x1b[5~", "\x1b[6~", "\x1b[H", "\x1b[F", "\x1b[1~", "\x1b[4~", "\x1b[2~", "\x1b[3~", "\t", "\x1b[Z",
          "\x7f", "\x08"]
FKEYS = ["\x1bOP", "\x1bOQ", "\x1bOR", "\x1bOS", "\x1b[15~", "\x1b[17~", "\x1b[18~", "\x1b[19~", "\x1b[20~",
         "\x1b[21~", "\x1b[23~", "\x1b[24~", "\x1b[1;2P", "\x1b[15;5~"]
# q quits at once outside a text field; it is left out of random text (the run quits on purpose at the end).
PRINTABLE = [chr(c) for c in range(0x20, 0x7f) if chr(c) != "q"]
TEXT = ["看一下", "垃圾满溢", "井盖", "路灯", "é", "e\u0301", "\u202e", "\u200b", "😀", "👩‍👩‍👧", "\ufeff", "Ｑ"]
ACTION_LETTERS = list("AVYNFJDEHTXSOZMCPBLKWURQ")
VIEW_KEYS = list("jkhlgG12/socr> bniuxmw[]v*e+-:?3")
COMMANDS = [
    "case {id}", "filter overdue", "filter state {state}", "filter district 110101", "filter category 0102",
    "filter {text}", "filter clear", "sort {sort} {dir}", "theme {theme}", "lang {lang}", "measure {measure}",
    "measure category event 0102", "as {login}", "roles", "help", "inbox", "handover", "undo", "board {board}",
    "export monkey-export.csv", "export monkey-board.md", "dispatch {id} {dept} {text}", "verify {id} {text}",
    "file {id} event 0102 {text}", "request-extension {id} {hours} {text}", "merge {id} {id}", "accept {id}",
    "close {id}", "urge {id} {text}", "{text}", "", "case", "filter state", "sort", "{id}",
]
STATES = ["reported", "verifying", "accepted", "filed", "dispatched", "handled", "checking", "x"]
SORTS = ["due", "id", "state", "category", "nope"]


class Console:
    """One `citygrid console` process on a pty pair this script owns."""

    def __init__(self, argv, env, cwd, size):
        self.master, self.slave = os.openpty()
        self.set_size(*size)
        self.initial_modes = termios.tcgetattr(self.slave)
        fcntl.fcntl(self.master, fcntl.F_SETFL, fcntl.fcntl(self.master, fcntl.F_GETFL) | os.O_NONBLOCK)

        def controlling_tty():
            # A parent (a test runner) may have blocked or ignored signals: the console gets the defaults, as from
            # a login shell, so SIGWINCH reaches it.
            signal.pthread_sigmask(signal.SIG_SETMASK, [])
            for sig in (signal.SIGWINCH, signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGTSTP, signal.SIGCONT):
                signal.signal(sig, signal.SIG_DFL)
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.process = subprocess.Popen(argv, stdin=self.slave, stdout=self.slave, stderr=self.slave, env=env,
                                        cwd=cwd, preexec_fn=controlling_tty, close_fds=True)
        self.tail = b""
        self.bytes_out = 0
        self.last_output = time.monotonic()

    def set_size(self, cols, rows):
        self.size = (cols, rows)
        fcntl.ioctl(self.master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

    def drain(self, timeout=0.0):
        """Reads what the console wrote; returns the number of bytes."""
        got = 0
        while True:
            ready, _, _ = select.select([self.master], [], [], timeout)
            if not ready:
                return got
            try:
                data = os.read(self.master, 65536)
            except BlockingIOError:
                return got
            except OSError:  # EIO: the console's side is closed
                return got
            if not data:
                return got
            got += len(data)
            self.bytes_out += len(data)
            self.tail = (self.tail + data)[-65536:]
            self.last_output = time.monotonic()
            timeout = 0.0

    def write(self, data):
        view = memoryview(data)
        while view:
            try:
                n = os.write(self.master, view)
                view = view[n:]
            except BlockingIOError:
                # The console is not reading: keep reading its output so it can never block on writing.
                self.drain(0.01)
                if self.process.poll() is not None:
                    return

    def wait_quiet(self, quiet, limit):
        start = time.monotonic()
        while time.monotonic() - start < limit:
            if self.drain(quiet) == 0:
                return True
            if self.process.poll() is not None:
                return True
        return False

    def pending(self):
        """Input bytes the console has not read yet."""
        return struct.unpack("i", fcntl.ioctl(self.slave, termios.FIONREAD, b"\0\0\0\0"))[0]

    def catch_up(self, limit):
        """Waits until the console has read every key sent; returns the seconds it took (limit if it did not)."""
        start = time.monotonic()
        while self.alive() and self.pending() > 0 and time.monotonic() - start < limit:
            self.drain(0.02)
        return time.monotonic() - start

    def alive(self):
        return self.process.poll() is None

    def restored(self):
        """What is wrong with the terminal after the console ended (empty: nothing)."""
        problems = []
        modes = termios.tcgetattr(self.slave)
        if modes != self.initial_modes:
            problems.append("terminal modes not restored (lflag %#o, was %#o)" % (modes[3], self.initial_modes[3]))
        out = self.tail
        if out.rfind(b"\x1b[?1049h") > out.rfind(b"\x1b[?1049l"):
            problems.append("still in the alternate screen")
        if out.rfind(b"\x1b[?25l") > out.rfind(b"\x1b[?25h"):
            problems.append("cursor left hidden")
        return problems

    def close(self):
        if self.alive():
            self.process.kill()
            self.process.wait()
        os.close(self.master)
        os.close(self.slave)


class Monkey:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.recent = []
        self.stats = dict(keys=0, batches=0, resizes=0, probes=0, stalls=0, hangs=0, crashes=0, clean_quits=0,
                          restore_failures=0, sessions=0)
        self.latencies = []
        self.backlogs = []
        self.failures = []
        self.log = open(args.log, "w") if args.log else None

    def note(self, *event):
        if self.log:
            self.log.write(json.dumps(event) + "\n")

    # Keys

    def word(self):
        r = self.rng.random()
        if r < 0.5:
            return "".join(self.rng.choice("abcdefghijklmnoprstuvwxyz0123456789-") for _ in range(self.rng.randint(1, 8)))
        if r < 0.7:
            return self.rng.choice(TEXT)
        if r < 0.85:
            return "".join(chr(self.rng.randint(0x20, 0x7e)) for _ in range(self.rng.randint(1, 12))).replace("q", "Q")
        return "\x1b]0;title\x07\x1b[31m" if r < 0.95 else "x" * self.rng.randint(100, 600)

    def command(self):
        r = self.rng
        text = r.choice(COMMANDS).format(
            id=r.choice(["1", "2", "17", "42", "250", "399", "400", "0", "-1", "99999999999999999999", "x"]),
            state=r.choice(STATES), text=self.word(), sort=r.choice(SORTS), dir=r.choice(["asc", "desc", ""]),
            theme=r.choice(["default", "light", "high-contrast", "mono", "nope"]), lang=r.choice(["zh", "en", "fr"]),
            measure=r.choice(["open", "overdue", "new-today", "filed", "on-time-closure", "rework", "bogus"]),
            login=r.choice(["city-dispatcher-1", "city-lead-1", "city-intake-1", "nobody"]),
            board=r.choice(["district", "street", "department", "inspector", "x"]),
            dept=r.choice(["SANIT", "ROADS", "110101", "X"]), hours=r.choice(["24", "0", "-3", "inf", "nan", "1e9", "2.5"]))
        return ":" + text + r.choice(["\r", "\r", "\r", "\t", "\x1b", "\x7f\r"])

    def form(self):
        r = self.rng
        keys = r.choice(["n", "x", "\r", r.choice(ACTION_LETTERS)])
        for _ in range(r.randint(0, 8)):
            keys += r.choice(["\t", "\x1b[Z", "\x1b[A", "\x1b[B", self.word(), "\x7f", "\x15", "\r"])
        return keys + r.choice(["\r", "\x1b", "", "\r\r"])

    def key(self):
        r = self.rng
        x = r.random()
        if x < 0.25:
            return r.choice(PRINTABLE)
        if x < 0.40:
            return r.choice(VIEW_KEYS)
        if x < 0.52:
            return r.choice(ARROWS + PAGING)
        if x < 0.58:
            return r.choice(["\r", "\x1b"])
        if x < 0.60:
            return r.choice(["\r", "\x1b", "\x1b\x1b"]) * r.randint(5, 40)
        if x < 0.64:
            return r.choice(FKEYS)
        if x < 0.68:
            return chr(r.randint(0, 0x1f))
        if x < 0.72:
            params = ";".join(str(r.randint(0, 300)) for _ in range(r.randint(0, 4)))
            return "\x1b" + r.choice(["[", "O", "[?", "]", "P", "", "[<"]) + params + chr(r.randint(0x20, 0x7e))
        if x < 0.82:
            return self.command()
        if x < 0.92:
            return self.form()
        if x < 0.96:
            return r.choice(ACTION_LETTERS)
        if x < 0.98:
            return r.choice(TEXT)
        return bytes(r.randint(0x80, 0xff) for _ in range(r.randint(1, 4)))

    def random_size(self):
        return (self.rng.randint(10, 250), self.rng.randint(3, 80))

    # Sessions

    def start(self):
        a = self.args
        login = self.rng.choice(a.logins)
        lang = self.rng.choice(["zh", "en"])
        size = self.random_size()
        self.note("start", login, lang, size)
        self.launch(login, lang, size)

    def launch(self, login, lang, size):
        a = self.args
        argv = [a.binary, "console", "--db", a.db, "--as", login, "--lang", lang]
        env = {"PATH": "/usr/bin:/bin", "HOME": a.home, "LANG": "C.UTF-8", "TERM": "xterm-256color",
               "CITYGRID_NOW": a.now, "SWIFT_BACKTRACE": "enable=no"}
        self.console = Console(argv, env, a.home, size)
        self.stats["sessions"] += 1
        self.console.wait_quiet(0.3, 20)

    def ended(self, why):
        """The console is gone: a clean exit (status 0, terminal restored) or a crash."""
        c = self.console
        deadline = time.monotonic() + 10
        while c.alive() and time.monotonic() < deadline:
            c.drain(0.1)
        if c.alive():
            c.process.kill()
            why += " (did not end within 10 s: killed)"
        c.drain(0.2)
        status = c.process.wait()
        problems = c.restored()
        if status == 0 and not problems:
            self.stats["clean_quits"] += 1
        else:
            if status != 0:
                self.stats["crashes"] += 1
            if problems:
                self.stats["restore_failures"] += 1
            text = c.tail[-3000:].decode("utf-8", "replace")
            if self.args.dump:
                with open(self.args.dump, "ab") as f:
                    f.write(b"\n==== %s\n" % why.encode() + c.tail)
            self.failures.append("%s: exit status %s; %s\n  last keys: %s\n  last output: %r" % (
                why, status, "; ".join(problems) or "terminal restored", self.keys_text(40), text[-600:]))
        c.close()

    def keys_text(self, n):
        return "[" + ", ".join(repr(k if len(k) <= 40 else k[:20] + "…(%d)" % len(k)) for k in self.recent[-n:]) + "]"

    def probe(self):
        """Waits for the console to read every key sent and settle, then changes the width by one column and
        times the first byte of the redraw."""
        c = self.console
        backlog = c.catch_up(HANG_SECONDS)
        self.backlogs.append(backlog)
        if backlog >= HANG_SECONDS:
            self.failures.append("the console read no key for %ds (last keys %s)" % (HANG_SECONDS, self.keys_text(20)))
        if not c.wait_quiet(0.05, HANG_SECONDS):
            self.failures.append("output never settled for %ds (last keys %s)" % (HANG_SECONDS, self.keys_text(20)))
        if not c.alive():
            return
        cols, rows = c.size
        c.set_size(cols + 1 if cols < 250 else cols - 1, rows)
        start = time.monotonic()
        while time.monotonic() - start < HANG_SECONDS:
            if c.drain(0.05) > 0 or not c.alive():
                break
        latency = time.monotonic() - start
        if not c.alive():
            return
        self.stats["probes"] += 1
        self.latencies.append(latency)
        if latency > self.args.stall_seconds:
            self.stats["stalls"] += 1
            self.failures.append("stall: %.1f s before the console redrew (last keys %s)" % (latency, self.keys_text(20)))
            if latency >= HANG_SECONDS:
                self.stats["hangs"] += 1
                c.process.kill()

    def run(self):
        a = self.args
        started = time.monotonic()
        self.start()
        resize_every = max(1, a.keys // max(1, a.resizes))
        next_resize = resize_every
        while self.stats["keys"] < a.keys:
            if a.max_seconds and time.monotonic() - started > a.max_seconds:
                print("  time budget of %d s reached after %d keys: stopping early" % (a.max_seconds, self.stats["keys"]),
                      flush=True)
                break
            for _ in range(a.batch):
                if self.stats["keys"] >= a.keys:
                    break
                k = self.key()
                data = k if isinstance(k, bytes) else k.encode("utf-8", "surrogatepass")
                self.recent = (self.recent + [k])[-200:]
                self.note("key", data.decode("latin-1"))
                self.console.write(data)
                self.stats["keys"] += 1
                self.console.drain(0)
                if self.stats["keys"] >= next_resize:
                    next_resize += resize_every
                    size = self.random_size()
                    self.note("resize", size)
                    self.console.set_size(*size)
                    self.stats["resizes"] += 1
                if not self.console.alive():
                    break
            self.stats["batches"] += 1
            if self.console.alive():
                self.note("probe")
                self.probe()
            if not self.console.alive():
                self.ended("console ended during the run")
                self.start()
            if a.progress and self.stats["batches"] % 200 == 0:
                print("  %d keys, %d sessions, %d failures, %.0f s" % (self.stats["keys"], self.stats["sessions"],
                                                                        len(self.failures), time.monotonic() - started),
                      flush=True)
        self.finish(started)

    def finish(self, started):
        """The deliberate end: leave forms and overlays, then quit."""
        c = self.console
        c.catch_up(HANG_SECONDS)
        c.set_size(100, 30)
        for _ in range(3):
            c.write(b"\x1b")
            c.wait_quiet(0.1, 5)
        c.write(b"q")
        deadline = time.monotonic() + 15
        while c.alive() and time.monotonic() < deadline:
            c.drain(0.1)
            if c.alive() and b"(y/n)" in c.tail[-400:]:
                c.write(b"y")
        self.ended("final quit (Esc Esc Esc q)")
        self.elapsed = time.monotonic() - started

    def report(self):
        s = self.stats
        lat = sorted(self.latencies) or [0.0]
        p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000
        print("keys %d in %d batches, %d random resizes (+%d probe resizes), %.0f s (%.0f keys/s)" % (
            s["keys"], s["batches"], s["resizes"], s["probes"], self.elapsed, s["keys"] / max(self.elapsed, 0.001)))
        print("sessions %d: clean quits %d, crashes %d, terminal not restored %d" % (
            s["sessions"], s["clean_quits"], s["crashes"], s["restore_failures"]))
        print("redraw after a probe resize: p50 %.0f ms, p99 %.0f ms, max %.0f ms; stalls over %.0f s: %d (hangs %d)" % (
            p(0.5), p(0.99), lat[-1] * 1000, self.args.stall_seconds, s["stalls"], s["hangs"]))
        b = sorted(self.backlogs) or [0.0]
        print("time to read the keys of a batch (%d keys): p50 %.2f s, max %.1f s" % (
            self.args.batch, b[len(b) // 2], b[-1]))
        for f in self.failures[:20]:
            print("FAILURE " + f)
        return 0 if not self.failures else 1


def replay(args):
    """Plays a --log file back: each session's keys, resizes and probes in order, then the final quit."""
    monkey = Monkey(args)
    started = time.monotonic()
    monkey.console = None
    for line in open(args.replay):
        event = json.loads(line)
        kind = event[0]
        if kind == "start":
            if monkey.console is not None:
                monkey.ended("console ended during the run")
            monkey.launch(event[1], event[2], tuple(event[3]))
        elif kind == "key":
            data = event[1].encode("latin-1")
            monkey.recent = (monkey.recent + [data.decode("utf-8", "replace")])[-200:]
            monkey.console.write(data)
            monkey.stats["keys"] += 1
            monkey.console.drain(0)
        elif kind == "resize":
            monkey.console.set_size(*event[1])
        elif kind == "probe":
            monkey.probe()
    monkey.finish(started)
    sys.exit(monkey.report())


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--home", required=True, help="working folder (exports land here)")
    parser.add_argument("--keys", type=int, default=100_000)
    parser.add_argument("--resizes", type=int, default=200)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--now", default="2026-11-25T10:30:00+08:00")
    parser.add_argument("--logins", default="city-dispatcher-1,city-lead-1,city-intake-1")
    parser.add_argument("--progress", action="store_true")
    parser.add_argument("--stall-seconds", type=float, default=STALL_SECONDS,
                        help="a redraw slower than this is a stall (default 2; swift test uses a hang limit instead)")
    parser.add_argument("--max-seconds", type=int, default=0, help="stop sending keys after this long (0: no limit)")
    parser.add_argument("--log", help="write every key, resize and probe to this file (JSON lines)")
    parser.add_argument("--replay", help="play a --log file back instead of random keys")
    parser.add_argument("--dump", help="append the console's last output to this file on a failure")
    args = parser.parse_args()
    args.logins = args.logins.split(",")
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    if args.replay:
        replay(args)
    monkey = Monkey(args)
    monkey.run()
    sys.exit(monkey.report())


if __name__ == "__main__":
    main()
