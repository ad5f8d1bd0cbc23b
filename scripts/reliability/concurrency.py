#!/usr/bin/env python3
"""Concurrent writers against one site (run through concurrency.sh).

WRITERS processes each run TRANSITIONS `citygrid` commands at once with the others: urges of one case shared by
all writers, urges of the writer's own case, and accepts racing on a few fresh reported cases (only the first
accept of a case can succeed; the others must be refused with exit 4). Every command carries a unique note, so
each history row names the command that wrote it. Meanwhile a live console (tmux, private socket) follows the
shared case and redraws. Then it checks: every command that exited 0 wrote exactly one history row (0 lost,
0 doubled), no command that failed wrote one, each race case was accepted once, every exit code is a documented
one and expected for its command, the history of each case is gapless, the console is still alive and quits
with status 0, and PRAGMA integrity_check is ok. Figures: throughput and latency percentiles per command.
"""
import argparse
import json
import os
import random
import sqlite3
import subprocess
import sys
import time

DOCUMENTED = {0: "done", 2: "invalid input", 3: "refused (role)", 4: "refused (state)", 5: "not found",
              6: "database problem", 64: "usage"}
EXPECTED = {"urge-shared": {0}, "urge-own": {0}, "accept-race": {0, 4}}


def env_for(args):
    return {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": args.home, "CITYGRID_NOW": args.now,
            "SWIFT_BACKTRACE": "enable=no"}


def run(args, argv):
    start = time.monotonic()
    with open(os.path.join(args.home, "empty"), "rb") as empty:
        p = subprocess.run([args.binary] + argv + ["--db", args.db], env=env_for(args), stdin=empty,
                           capture_output=True, text=True)
    return p.returncode, time.monotonic() - start, (p.stdout + p.stderr).strip()


def writer(args):
    """One writer process: its commands and what each returned, as JSON lines."""
    plan = json.load(open(args.plan))
    rng = random.Random(args.seed * 1000 + args.writer)
    own = plan["own"][args.writer]
    out = open(os.path.join(args.home, "writer-%d.jsonl" % args.writer), "w")
    while not os.path.exists(os.path.join(args.home, "go")):  # start together
        time.sleep(0.01)
    for i in range(args.transitions):
        tag = "cc-w%d-%d" % (args.writer, i)
        x = rng.random()
        if x < 0.4:
            op, case, argv = "urge-shared", plan["shared"], ["case", "urge", str(plan["shared"]),
                                                             "--as", rng.choice(["city-lead-1", "city-supervisor"])]
        elif x < 0.8:
            op, case, argv = "urge-own", own, ["case", "urge", str(own), "--as", rng.choice(["city-lead-1", "city-lead-2"])]
        else:
            case = rng.choice(plan["race"])
            op, argv = "accept-race", ["case", "accept", str(case), "--as", "city-intake-%d" % rng.randint(1, 4)]
        rc, seconds, text = run(args, argv + ["--note", tag])
        out.write(json.dumps(dict(tag=tag, op=op, case=case, rc=rc, seconds=seconds, text=text[-300:])) + "\n")
        out.flush()


def tmux(args, *words, check=True):
    return subprocess.run(["tmux", "-S", args.socket] + list(words), capture_output=True, text=True, check=check).stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--home", required=True)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--transitions", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--now", default="2026-11-25T10:30:00+08:00")
    parser.add_argument("--socket", help="tmux socket for the live console (none: no console)")
    parser.add_argument("--writer", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--plan", help=argparse.SUPPRESS)
    args = parser.parse_args()
    open(os.path.join(args.home, "empty"), "wb").close()
    if args.writer is not None:
        writer(args)
        return 0

    failures = []
    db = sqlite3.connect(args.db)
    dispatched = [r[0] for r in db.execute("SELECT id FROM service_case WHERE state = 'dispatched' ORDER BY id")]
    if len(dispatched) < args.writers + 1:
        print("the demo city has only %d dispatched cases: seed more (--cases)" % len(dispatched))
        return 2
    race = []
    for k in range(max(3, args.writers // 2)):
        rc, _, text = run(args, ["report", "--as", "city-intake-1", "--kind", "event", "--category", "0102",
                                 "--cell", "110101001001001", "--description", "race %d" % k, "--json"])
        if rc != 0:
            print("report failed: %s" % text)
            return 1
        race.append(json.loads(text)["id"])
    plan = dict(shared=dispatched[0], own=dispatched[1:args.writers + 1], race=race)
    plan_path = os.path.join(args.home, "plan.json")
    json.dump(plan, open(plan_path, "w"))
    before = {r[0]: r[1] for r in db.execute("SELECT case_id, count(*) FROM history GROUP BY case_id")}
    db.close()

    # The live console, following the shared case.
    console = None
    if args.socket:
        e = env_for(args)
        command = ("env " + " ".join("%s=%s" % kv for kv in e.items()) + " TERM=xterm-256color %s console --db %s "
                   "--as city-lead-1 --lang en; echo EXITED $?; sleep 120") % (args.binary, args.db)
        tmux(args, "-f", os.path.join(args.home, "empty"), "new-session", "-d", "-s", "live", "-x", "120", "-y", "35",
             command)
        console = "live"
        for _ in range(300):
            if "Queue" in tmux(args, "capture-pane", "-p", "-t", console):
                break
            time.sleep(0.1)
        tmux(args, "send-keys", "-t", console, ":", "case %d" % plan["shared"], "Enter")

    writers = [subprocess.Popen([sys.executable, os.path.abspath(__file__), "--binary", args.binary, "--db", args.db,
                                 "--home", args.home, "--transitions", str(args.transitions), "--seed", str(args.seed),
                                 "--now", args.now, "--writer", str(w), "--plan", plan_path])
               for w in range(args.writers)]
    time.sleep(0.5)
    started = time.monotonic()
    open(os.path.join(args.home, "go"), "w").close()
    redraws = 0
    deadline = started + 30 * 60
    while any(w.poll() is None for w in writers) and time.monotonic() < deadline:
        if console:
            tmux(args, "send-keys", "-t", console, random.choice(["j", "k", "C-l"]))
            if "EXITED" in tmux(args, "capture-pane", "-p", "-t", console):
                failures.append("the live console ended during the run")
                console = None
            redraws += 1
        time.sleep(0.5)
    for w in writers:
        if w.poll() is None:
            w.kill()
            failures.append("a writer did not finish within 30 minutes")
        w.wait()
    elapsed = time.monotonic() - started

    results = []
    for w in range(args.writers):
        results += [json.loads(line) for line in open(os.path.join(args.home, "writer-%d.jsonl" % w))]
    if len(results) != args.writers * args.transitions:
        failures.append("%d results, expected %d" % (len(results), args.writers * args.transitions))

    db = sqlite3.connect(args.db)
    rows = {}
    for note, case, action, n in db.execute("SELECT note, case_id, action, count(*) FROM history WHERE note LIKE 'cc-w%' "
                                            "GROUP BY note"):
        rows[note] = (case, action, n)
    succeeded = [r for r in results if r["rc"] == 0]
    lost = [r for r in succeeded if r["tag"] not in rows]
    doubled = [r for r in succeeded if rows.get(r["tag"], (0, 0, 1))[2] > 1]
    phantom = [r for r in results if r["rc"] != 0 and r["tag"] in rows]
    wrong_case = [r for r in succeeded if r["tag"] in rows and rows[r["tag"]][0] != r["case"]]
    undocumented = [r for r in results if r["rc"] not in DOCUMENTED]
    unexpected = [r for r in results if r["rc"] in DOCUMENTED and r["rc"] not in EXPECTED[r["op"]]]
    for name, items in [("lost", lost), ("doubled", doubled), ("written though refused", phantom),
                        ("written to another case", wrong_case), ("undocumented exit code", undocumented),
                        ("unexpected refusal", unexpected)]:
        for r in items[:5]:
            failures.append("%s: %s %s case %s exit %s: %s" % (name, r["tag"], r["op"], r["case"], r["rc"], r["text"]))
    for case in race:
        accepts = [r for r in succeeded if r["op"] == "accept-race" and r["case"] == case]
        tried = [r for r in results if r["op"] == "accept-race" and r["case"] == case]
        stored = db.execute("SELECT count(*) FROM history WHERE case_id = ? AND action = 'accept'", (case,)).fetchone()[0]
        if tried and (len(accepts) != 1 or stored != 1):
            failures.append("race case %d: %d accepts succeeded, %d stored (expected 1 and 1)" % (case, len(accepts), stored))
    touched = set([plan["shared"]] + plan["own"] + race)
    for case in touched:
        seqs = [r[0] for r in db.execute("SELECT seq FROM history WHERE case_id = ? ORDER BY seq", (case,))]
        if seqs != list(range(len(seqs))):
            failures.append("case %d: history seq has gaps or repeats" % case)
        expected = before.get(case, 0) + len([r for r in succeeded if r["case"] == case])
        if case in race:
            expected = 1 + len([r for r in succeeded if r["case"] == case])
        if len(seqs) != expected:
            failures.append("case %d: %d history rows, expected %d" % (case, len(seqs), expected))
    integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
    if integrity != "ok":
        failures.append("integrity_check: " + integrity)
    db.close()

    if console:
        tmux(args, "send-keys", "-t", console, "Escape", "Escape", "q")
        screen = ""
        for _ in range(150):
            screen = tmux(args, "capture-pane", "-p", "-t", console)
            if "EXITED" in screen:
                break
            time.sleep(0.1)
        if "EXITED 0" not in screen:
            failures.append("the live console did not quit with status 0:\n" + screen[-800:])

    codes = {}
    for r in results:
        codes[r["rc"]] = codes.get(r["rc"], 0) + 1
    print("%d writers x %d transitions = %d commands in %.1f s: %.1f commands/s (%d succeeded)" % (
        args.writers, args.transitions, len(results), elapsed, len(results) / max(elapsed, 0.001), len(succeeded)))
    print("exit codes: " + ", ".join("%d (%s) %d" % (c, DOCUMENTED.get(c, "UNDOCUMENTED"), n) for c, n in sorted(codes.items())))
    for op in sorted(EXPECTED):
        t = sorted(r["seconds"] for r in results if r["op"] == op)
        if t:
            q = lambda p: t[min(len(t) - 1, int(p * len(t)))] * 1000
            print("  %-12s %5d commands: p50 %4.0f ms, p99 %5.0f ms, max %5.0f ms" % (op, len(t), q(0.5), q(0.99), t[-1] * 1000))
    print("lost %d, doubled %d, written though refused %d, undocumented exit codes %d, unexpected refusals %d" % (
        len(lost), len(doubled), len(phantom), len(undocumented), len(unexpected)))
    print("live console: %s, %d redraw keys during the run; integrity_check: %s" % (
        "on" if args.socket else "off", redraws, integrity))
    for f in failures[:30]:
        print("FAILURE " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
