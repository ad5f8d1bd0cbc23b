#!/usr/bin/env python3
"""kill -9 at random points of citygrid's writes (run through crash.sh).

Modes (each run KILLS times, the kill at a random moment between the start and a little past the time an
uninterrupted run takes, measured first):
  import   one-transaction `import reports`: afterwards none or all of the file's reports exist.
  batch    `import reports --skip-bad --batch B`: only whole batches, a prefix of the file; then the import is
           finished with `--resume` when this build has it (else with `--from-line` after the committed prefix)
           and every line must exist exactly once.
  bulk     `bulk urge` over every dispatched case: none or all of the batch's history rows.
  seed     `seed-demo --force` over an existing city: the old city intact or the new one complete (issue 13
           defect 10: a killed seed must not leave an empty or partial city).
  single   `case accept` of a fresh reported case: reported with no accept row, or accepted with exactly one.
After every kill PRAGMA integrity_check must be ok. Prints kills per mode and how many landed mid-write.
"""
import argparse
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

MODES = ["import", "batch", "bulk", "seed", "single"]


class Crash:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.failures = []
        self.figures = {}
        self.env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": args.home, "CITYGRID_NOW": args.now,
                    "SWIFT_BACKTRACE": "enable=no"}
        self.empty = os.path.join(args.home, "empty")
        open(self.empty, "wb").close()
        self.has_resume = self.help_mentions(["import", "reports"], "--resume")

    def help_mentions(self, words, flag):
        return flag in self.run(words + ["--help"], db=False)[1]

    def run(self, argv, db=True):
        with open(self.empty, "rb") as empty:
            p = subprocess.run([self.args.binary] + argv + (["--db", self.args.db] if db else []), env=self.env,
                               stdin=empty, capture_output=True, text=True)
        return p.returncode, p.stdout + p.stderr

    def killed(self, argv, delay, db=None):
        """Starts citygrid, kills it with SIGKILL after DELAY seconds; returns (exit status, killed mid-run)."""
        out = open(os.path.join(self.args.home, "killed.log"), "wb")
        with open(self.empty, "rb") as empty:
            p = subprocess.Popen([self.args.binary] + argv + ["--db", db or self.args.db], env=self.env, stdin=empty,
                                 stdout=out, stderr=out)
        deadline = time.monotonic() + delay
        while time.monotonic() < deadline and p.poll() is None:
            time.sleep(min(0.002, max(0, deadline - time.monotonic())))
        mid = p.poll() is None
        if mid:
            p.send_signal(signal.SIGKILL)
        status = p.wait()
        out.close()
        return status, mid

    def last_output(self):
        with open(os.path.join(self.args.home, "killed.log"), "rb") as f:
            return f.read()[-300:].decode(errors="replace").strip()

    def timed(self, argv, db=None):
        start = time.monotonic()
        with open(self.empty, "rb") as empty:
            p = subprocess.run([self.args.binary] + argv + ["--db", db or self.args.db], env=self.env, stdin=empty,
                               capture_output=True, text=True)
        if p.returncode != 0:
            raise SystemExit("uninterrupted run failed: %s\n%s" % (" ".join(argv), p.stdout + p.stderr))
        return time.monotonic() - start

    def query(self, sql, params=(), db=None):
        c = sqlite3.connect(db or self.args.db)
        try:
            return c.execute(sql, params).fetchall()
        finally:
            c.close()

    def integrity(self, what, db=None):
        try:
            result = self.query("PRAGMA integrity_check", db=db)[0][0]
        except sqlite3.DatabaseError as e:
            result = str(e)
        if result != "ok":
            self.failures.append("%s: integrity_check: %s" % (what, result))
        return result == "ok"

    def count(self, mode, mid):
        f = self.figures.setdefault(mode, dict(kills=0, mid=0))
        f["kills"] += 1
        f["mid"] += 1 if mid else 0

    # Modes

    def csv(self, tag, lines):
        path = os.path.join(self.args.home, tag + ".csv")
        with open(path, "w") as f:
            f.write("kind,category,cell,description\n")
            for i in range(lines):
                f.write("event,0102,110101001001001,%s-%d\n" % (tag, i))
        return path

    def imported(self, tag):
        return [int(r[0].rsplit("-", 1)[1]) for r in
                self.query("SELECT description FROM service_case WHERE description LIKE ?", (tag + "-%",))]

    def mode_import(self, k):
        lines = self.args.lines
        full = self.timed(["import", "reports", self.csv("timing-import", lines), "--as", "city-intake-1"])
        for i in range(k):
            tag = "crash-import-%d" % i
            status, mid = self.killed(["import", "reports", self.csv(tag, lines), "--as", "city-intake-1"],
                                      self.rng.uniform(0, full * 1.2))
            self.count("import", mid)
            if not self.integrity("import kill %d" % i):
                continue
            n = len(self.imported(tag))
            if n not in (0, lines) or (not mid and status == 0 and n != lines):
                self.failures.append("import kill %d: %d of %d reports committed (expected none or all)" % (i, n, lines))

    def mode_batch(self, k):
        lines, batch = self.args.lines, self.args.batch
        base = ["--as", "city-intake-1", "--skip-bad", "--batch", str(batch),
                "--rejects", os.path.join(self.args.home, "rejects.csv")]
        full = self.timed(["import", "reports", self.csv("timing-batch", lines)] + base)
        self.figures["batch-resume"] = "--resume" if self.has_resume else "--from-line (no --resume in this build)"
        for i in range(k):
            tag = "crash-batch-%d" % i
            path = self.csv(tag, lines)
            status, mid = self.killed(["import", "reports", path] + base, self.rng.uniform(0, full * 1.2))
            self.count("batch", mid)
            if not self.integrity("batch kill %d" % i):
                continue
            got = sorted(self.imported(tag))
            n = len(got)
            if got != list(range(n)) or (n % batch != 0 and n != lines):
                self.failures.append("batch kill %d: %d reports committed, not whole batches of %d from the start" % (
                    i, n, batch))
                continue
            if n == lines:
                # Killed after the last batch: nothing to resume, and a rerun must be refused (exit 4).
                rc, text = self.run(["import", "reports", path] + base)
                if self.has_resume and rc != 4:
                    self.failures.append("batch kill %d: a rerun of a finished import gave exit %d, not 4: %s" % (
                        i, rc, text.strip()[-200:]))
                rc = 0
            elif n == 0:
                # Killed before the first batch committed: nothing is recorded, so it is imported anew.
                rc, text = self.run(["import", "reports", path] + base)
            elif self.has_resume:
                rc, text = self.run(["import", "reports", path, "--resume"] + base)
            else:
                rc, text = self.run(["import", "reports", path, "--from-line", str(n + 2)] + base)
            got = sorted(self.imported(tag))
            if rc != 0 or got != list(range(lines)):
                dup = len(got) - len(set(got))
                self.failures.append("batch kill %d: after resuming (exit %d) %d lines stored, %d doubled, expected %d "
                                     "once each: %s" % (i, rc, len(set(got)), dup, lines, text.strip()[-200:]))

    def mode_bulk(self, k):
        ids = [r[0] for r in self.query("SELECT id FROM service_case WHERE state = 'dispatched'")]
        full = self.timed(["bulk", "urge", "--as", "city-lead-1", "--filter", "state=dispatched", "--note", "timing"])
        self.figures["bulk-cases"] = len(ids)
        for i in range(k):
            note = "crash-bulk-%d" % i
            status, mid = self.killed(["bulk", "urge", "--as", "city-lead-1", "--filter", "state=dispatched",
                                       "--note", note], self.rng.uniform(0, full * 1.2))
            self.count("bulk", mid)
            if not self.integrity("bulk kill %d" % i):
                continue
            # bulk records the note as "NOTE (bulk #N)"
            n = self.query("SELECT count(*) FROM history WHERE note = ? OR note LIKE ?", (note, note + " (bulk #%"))[0][0]
            if n not in (0, len(ids)) or (not mid and status == 0 and n != len(ids)):
                self.failures.append("bulk kill %d: %d of %d cases urged (expected none or all; exit %d%s): %s" % (
                    i, n, len(ids), status, ", killed" if mid else "", self.last_output()))

    def cases_in(self, db):
        try:
            return self.query("SELECT count(*) FROM service_case", db=db)[0][0]
        except sqlite3.DatabaseError:
            return None

    def mode_seed(self, k):
        target = os.path.join(self.args.home, "seeded.sqlite")
        argv = ["seed-demo", "--cases", str(self.args.seed_cases), "--days", "2", "--seed", "3", "--force"]
        full = self.timed(argv, db=target)
        for i in range(k):
            old = self.cases_in(target)
            status, mid = self.killed(argv, self.rng.uniform(0, full * 1.2), db=target)
            self.count("seed", mid)
            if not os.path.exists(target):
                self.failures.append("seed kill %d: the city is gone (defect 10)" % i)
            elif self.integrity("seed kill %d (defect 10)" % i, db=target):
                n = self.cases_in(target)
                if n not in (old, self.args.seed_cases):
                    self.failures.append("seed kill %d: %s cases, expected the old city (%d) or the new one (%d) "
                                         "(defect 10)" % (i, "no case table" if n is None else n, old,
                                                          self.args.seed_cases))
            if self.cases_in(target) != self.args.seed_cases:  # a complete city again for the next kill
                for path in (target, target + "-wal", target + "-shm", target + "-journal"):
                    if os.path.exists(path):
                        os.remove(path)
                self.timed(argv, db=target)

    def fresh_case(self, description):
        rc, text = self.run(["report", "--as", "city-intake-1", "--kind", "event", "--category", "0102", "--cell",
                             "110101001001001", "--description", description, "--json"])
        return int(text.split('"id" :')[1].split(",")[0]) if rc == 0 else None

    def mode_single(self, k):
        timing = self.fresh_case("crash-single-timing")
        full = self.timed(["case", "accept", str(timing), "--as", "city-intake-2"])
        for i in range(k):
            case = self.fresh_case("crash-single-%d" % i)
            if case is None:
                self.failures.append("single %d: report failed" % i)
                continue
            status, mid = self.killed(["case", "accept", str(case), "--as", "city-intake-2", "--note", "crash-single"],
                                      self.rng.uniform(0, full))
            self.count("single", mid)
            if not self.integrity("single kill %d" % i):
                continue
            state = self.query("SELECT state FROM service_case WHERE id = ?", (case,))[0][0]
            rows = self.query("SELECT count(*) FROM history WHERE case_id = ? AND action = 'accept'", (case,))[0][0]
            if (state, rows) not in (("reported", 0), ("accepted", 1)) or (status == 0 and rows != 1):
                self.failures.append("single kill %d: case %d %s with %d accept rows" % (i, case, state, rows))

    def report(self, elapsed):
        for mode in self.args.modes:
            f = self.figures.get(mode, dict(kills=0, mid=0))
            extra = ""
            if mode == "batch":
                extra = ", resumed with " + self.figures.get("batch-resume", "?")
            if mode == "bulk":
                extra = ", %s cases per bulk action" % self.figures.get("bulk-cases", "?")
            print("  %-6s %3d kills, %3d while running (the rest after it had finished)%s" % (mode, f["kills"], f["mid"], extra))
        print("%d kills in %.0f s; failures %d" % (sum(f["kills"] for m, f in self.figures.items() if isinstance(f, dict)),
                                                  elapsed, len(self.failures)))
        for f in self.failures[:30]:
            print("FAILURE " + f)
        return 1 if self.failures else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--home", required=True)
    parser.add_argument("--kills", type=int, default=20, help="kills per mode")
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--lines", type=int, default=5000, help="lines per imported file")
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--seed-cases", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--now", default="2026-11-25T10:30:00+08:00")
    args = parser.parse_args()
    args.modes = [m for m in args.modes.split(",") if m]
    unknown = [m for m in args.modes if m not in MODES]
    if unknown:
        parser.error("unknown mode %s (modes: %s)" % (",".join(unknown), ",".join(MODES)))
    crash = Crash(args)
    start = time.monotonic()
    for mode in args.modes:
        getattr(crash, "mode_" + mode)(args.kills)
    return crash.report(time.monotonic() - start)


if __name__ == "__main__":
    sys.exit(main())
