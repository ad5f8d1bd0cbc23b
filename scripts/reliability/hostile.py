#!/usr/bin/env python3
"""Hostile input and a hostile host (run through hostile.sh). Every check prints PASS or FAIL with the issue 13
defect it guards (0: no defect number, a property that held when the suite was written); exit 1 on any FAIL.

  special files  export/import targets that are a character device (own mknod, never the host's /dev/null), a
                 FIFO, a directory, and `-` (defect 1)
  absurd times   far future and past instants, a frozen-until-2100 case, offsets beyond 14:00, 2026-02-30, an
                 imported year -100000; afterwards stats and the bulletin still run (defect 2)
  NUL, escapes   NUL in an imported or piped description (defect 8); escape and bell bytes stored as given and
                 neutralised in `case show` (8); in every bad option value, never echoed raw (defect 9)
  full disk      a small tmpfs in a private mount namespace: a one-transaction import is all or nothing, a
                 --batch import keeps whole batches and says where to resume (defect 6), writes work again after
  under a console  the database deleted, replaced, made read-only (read-only bind mount) under a running
                 console: it survives and quits with 0, and says the file changed (defect 4)
  other user     a reader without write permission leaves no side files the owner cannot use (defect 5)
"""
import argparse
import json
import os
import shutil
import stat
import subprocess
import sys
import threading
import time

ESC = "\x1b]0;pwned\x07\x1b[2J\x1b[31m"


class Hostile:
    def __init__(self, args):
        self.args = args
        self.results = []
        self.env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": args.home, "CITYGRID_NOW": args.now,
                    "SWIFT_BACKTRACE": "enable=no"}
        self.empty = os.path.join(args.home, "empty")
        open(self.empty, "wb").close()
        self.copies = 0

    def check(self, defect, name, ok, detail=""):
        self.results.append((defect, name, bool(ok)))
        print("%s  defect %-2s %s%s" % ("PASS" if ok else "FAIL", defect or "-", name,
                                       "" if ok or not detail else ": " + detail.replace("\n", " ")[:300]), flush=True)

    def run(self, argv, db=None, stdin=b"", prefix=(), timeout=120):
        full = list(prefix) + [self.args.binary] + argv + (["--db", db] if db else [])
        try:
            p = subprocess.run(full, env=self.env, input=stdin, capture_output=True, timeout=timeout)
            return p.returncode, p.stdout, p.stderr
        except subprocess.TimeoutExpired:
            return -999, b"", b"timed out"

    def copy(self):
        """A fresh copy of the demo site for one group of checks."""
        self.copies += 1
        folder = os.path.join(self.args.home, "copy-%d" % self.copies)
        os.mkdir(folder)
        path = os.path.join(folder, "site.sqlite")
        shutil.copy(self.args.db, path)
        return path

    def sql(self, db, query):
        p = subprocess.run(["sqlite3", db, query], capture_output=True, text=True)
        return p.stdout.strip()

    def dispatched(self, db, skip=0):
        return self.sql(db, "SELECT id FROM service_case WHERE state = 'dispatched' ORDER BY id LIMIT 1 OFFSET %d" % skip)

    # Defect 1

    def special_files(self):
        db = self.copy()
        home = os.path.dirname(db)
        null = os.path.join(home, "null")
        os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        rc, out, err = self.run(["export", "cases", "--out", null], db=db)
        self.check(1, "export --out CHAR-DEVICE keeps the device",
                   stat.S_ISCHR(os.lstat(null).st_mode), "exit %d, now %s" % (rc, oct(os.lstat(null).st_mode)))
        if not stat.S_ISCHR(os.lstat(null).st_mode):
            os.remove(null)
            os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        bad = os.path.join(home, "bad.csv")
        open(bad, "w").write("kind,category,cell,description\nevent,0102,110101001001001,fine\nevent,9999,1,bad\n")
        rc, out, err = self.run(["import", "reports", bad, "--as", "city-intake-1", "--skip-bad", "--rejects", null], db=db)
        self.check(1, "import --rejects CHAR-DEVICE keeps the device",
                   stat.S_ISCHR(os.lstat(null).st_mode), "exit %d, now %s" % (rc, oct(os.lstat(null).st_mode)))

        fifo = os.path.join(home, "fifo")
        os.mkfifo(fifo)
        got = []

        def reader():
            with open(fifo, "rb") as f:
                got.append(f.read())
        t = threading.Thread(target=reader, daemon=True)
        t.start()
        rc, out, err = self.run(["export", "cases", "--out", fifo], db=db, timeout=60)
        is_fifo = stat.S_ISFIFO(os.lstat(fifo).st_mode)
        if is_fifo and t.is_alive():  # nothing was written through it: unblock the reader
            fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            os.close(fd)
        t.join(5)
        self.check(1, "export --out FIFO writes through the FIFO", is_fifo and got and got[0].startswith(b"id,"),
                   "exit %d, fifo kept: %s, read %d bytes" % (rc, is_fifo, len(got[0]) if got else 0))

        folder = os.path.join(home, "folder")
        os.mkdir(folder)
        open(os.path.join(folder, "keep"), "w").write("keep")
        rc, out, err = self.run(["export", "cases", "--out", folder], db=db)
        self.check(1, "export --out DIRECTORY is refused (exit 2), the directory untouched",
                   rc == 2 and os.path.isdir(folder) and os.path.exists(os.path.join(folder, "keep")), "exit %d" % rc)

        cwd = os.getcwd()
        os.chdir(home)
        try:
            rc, out, err = self.run(["export", "cases", "--out", "-"], db=db)
        finally:
            os.chdir(cwd)
        self.check(1, "export --out - writes to standard output",
                   rc == 0 and out.startswith(b"id,") and not os.path.exists(os.path.join(home, "-")), "exit %d" % rc)

    # Defect 2

    def absurd_times(self):
        db = self.copy()
        case, other = self.dispatched(db), self.dispatched(db, 1)
        report = ["report", "--as", "city-intake-1", "--kind", "event", "--category", "0102", "--cell",
                  "110101001001001", "--description", "time check"]
        for what, argv in [
            ("case urge --at 9999-12-31T23:59:59Z", ["case", "urge", case, "--as", "city-lead-1", "--at", "9999-12-31T23:59:59Z"]),
            ("report --at 0001-01-01T00:00:00Z", report + ["--at", "0001-01-01T00:00:00Z"]),
            ("case urge --at 2100-01-01T00:00:00Z", ["case", "urge", other, "--as", "city-lead-1", "--at", "2100-01-01T00:00:00Z"]),
            ("report --at with offset +15:00", report + ["--at", "2026-11-25T10:00:00+15:00"]),
            ("report --at 2026-02-30T10:00:00+08:00", report + ["--at", "2026-02-30T10:00:00+08:00"]),
        ]:
            rc, out, err = self.run(argv, db=db)
            self.check(2, what + " is refused with exit 2", rc == 2, "exit %d %s" % (rc, (out + err).decode(errors="replace")))
        imp = os.path.join(os.path.dirname(db), "times.csv")
        open(imp, "w").write("kind,category,cell,description,reported_at\nevent,0102,110101001001001,old,-100000-01-01T00:00:00Z\n")
        rc, out, err = self.run(["import", "reports", imp, "--as", "city-intake-1"], db=db)
        self.check(2, "import of reported_at year -100000 is refused with exit 2", rc == 2, "exit %d" % rc)
        for argv in (["stats"], ["bulletin", "daily"]):
            rc, out, err = self.run(argv, db=db)
            self.check(2, "%s still runs after the absurd times (no crash)" % " ".join(argv), 0 <= rc < 128 and rc != 6,
                       "exit %d %s" % (rc, err.decode(errors="replace")[-200:]))
        rc, out, err = self.run(["case", "urge", case, "--as", "city-lead-1", "--note", "after"], db=db)
        self.check(2, "the case still takes actions after the absurd times", rc == 0, "exit %d %s" % (rc, err[-200:]))

    # Refusals that held when the suite was written: roles, regions and departments, with README's exit codes.
    def refusals(self):
        db = self.copy()
        self.run(["report", "--as", "city-intake-1", "--kind", "event", "--category", "0102", "--cell",
                  "110101001001001", "--description", "refusal check"], db=db)
        reported = self.sql(db, "SELECT max(id) FROM service_case WHERE state = 'reported'")
        filed = self.sql(db, "SELECT id FROM service_case WHERE state = 'filed' AND cell_code NOT LIKE '110101%' ORDER BY id LIMIT 1")
        dispatched = self.dispatched(db)
        before = self.sql(db, "SELECT count(*) FROM history")
        for what, argv, code in [
            ("a dispatcher accepting a report (an intake's action) is refused with exit 3",
             ["case", "accept", reported, "--as", "city-dispatcher-1"], 3),
            ("an intake operator handling a dispatched case (a department's action) is refused with exit 3",
             ["case", "handle", dispatched, "--as", "city-intake-1"], 3),
            ("a district dispatcher cannot see another district's case (exit 5, not found in its region)",
             ["case", "dispatch", filed, "--to", "SANIT", "--as", "110101-dispatcher-1"], 5),
            ("an unknown operator is refused (exit 5)", ["case", "urge", dispatched, "--as", "nobody-at-all"], 5),
        ]:
            rc, out, err = self.run(argv, db=db)
            self.check(None, what, rc == code, "exit %d %s" % (rc, err.decode(errors="replace")[-200:]))
        self.check(None, "refused commands wrote no history", self.sql(db, "SELECT count(*) FROM history") == before)

    # Defects 8 and 9

    def nul_and_escapes(self):
        db = self.copy()
        home = os.path.dirname(db)
        csv = os.path.join(home, "nul.csv")
        open(csv, "wb").write(b"kind,category,cell,description\nevent,0102,110101001001001,nul-csv\x00hidden\n")
        rc, out, err = self.run(["import", "reports", csv, "--as", "city-intake-1"], db=db)
        stored = self.sql(db, "SELECT count(*) FROM service_case WHERE description LIKE 'nul-csv%'")
        self.check(8, "a NUL in an imported CSV description is refused", rc == 2 and stored == "0", "exit %d, stored %s" % (rc, stored))
        jsonl = os.path.join(home, "nul.jsonl")
        open(jsonl, "w").write(json.dumps(dict(kind="event", category="0102", cell="110101001001001",
                                               description="nul-jsonl\u0000hidden")) + "\n")
        rc, out, err = self.run(["import", "reports", jsonl, "--as", "city-intake-1"], db=db)
        stored = self.sql(db, "SELECT count(*) FROM service_case WHERE description LIKE 'nul-jsonl%'")
        self.check(8, "a NUL in an imported JSONL description is refused", rc == 2 and stored == "0", "exit %d, stored %s" % (rc, stored))
        report = ["report", "--as", "city-intake-1", "--kind", "event", "--category", "0102", "--cell",
                  "110101001001001", "--description", "-"]
        rc, out, err = self.run(report, db=db, stdin=b"piped\x00hidden")
        self.check(8, "a NUL in a piped description is refused", rc == 2, "exit %d" % rc)
        rc, out, err = self.run(report, db=db, stdin=b"\x00")
        self.check(8, "a description of only NUL is refused as empty", rc == 2, "exit %d" % rc)

        rc, out, err = self.run(report[:-1] + [ESC + "escape-text", "--json"], db=db)
        case = json.loads(out)["id"] if rc == 0 else None
        self.check(8, "escape bytes in a description are stored as given", case is not None and
                   self.sql(db, "SELECT instr(description, char(27)) > 0 FROM service_case WHERE id = %s" % case) == "1",
                   "exit %d" % rc)
        if case is not None:
            rc, out, err = self.run(["case", "show", str(case)], db=db)
            self.check(8, "case show neutralises escape and bell bytes", rc == 0 and b"\x1b" not in out + err
                       and b"\x07" not in out + err, "exit %d" % rc)

        dispatched = self.dispatched(db)
        for argv in [["case", "show", ESC], ["case", ESC, dispatched, "--as", "city-lead-1"],
                     ["cases", "--state", ESC], ["bulk", "urge", "--as", "city-lead-1", "--ids", ESC],
                     ["stats", "--by", ESC], ["cases", "--limit", ESC],
                     ["case", "request-extension", dispatched, "--as", "city-lead-1", "--hours", ESC],
                     ["export", "cases", "--format", ESC], ["case", "urge", dispatched, "--as", ESC],
                     ["cases", "--region", ESC], ["overdue", "--as", ESC]]:
            rc, out, err = self.run(argv, db=db)
            shown = " ".join(a if a != ESC else "ESC" for a in argv)
            self.check(9, "error for `%s` echoes no escape or bell byte" % shown,
                       rc != 0 and b"\x1b" not in out + err and b"\x07" not in out + err,
                       "exit %d: %r" % (rc, (out + err)[:160]))

    # Full disk

    def full_disk(self):
        """Runs itself in a private mount namespace with a small tmpfs (see full_disk_inside)."""
        if os.geteuid() != 0 or not shutil.which("unshare"):
            print("SKIP  full disk: needs root and unshare")
            return
        p = subprocess.run(["unshare", "-m", "--propagation", "private", sys.executable, os.path.abspath(__file__),
                            "--binary", self.args.binary, "--db", self.copy(), "--home", self.args.home,
                            "--now", self.args.now, "--inside", "full-disk"], capture_output=True, text=True)
        sys.stdout.write(p.stdout)
        for line in p.stdout.splitlines():
            if line.startswith(("PASS", "FAIL")):
                defect = line.split()[2]
                self.results.append((int(defect) if defect.isdigit() else 0, line, line.startswith("PASS")))
        if p.returncode not in (0, 1):
            self.check(0, "full-disk checks ran", False, p.stderr[-300:])

    def full_disk_inside(self):
        small = os.path.join(self.args.home, "small")
        os.mkdir(small)
        size = os.path.getsize(self.args.db)
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=%dk" % (size // 1024 + 1536), "tmpfs", small], check=True)
        db = os.path.join(small, "site.sqlite")
        shutil.copy(self.args.db, db)
        filler = os.path.join(small, "filler")
        with open(filler, "wb") as f:  # leave about 300 KB free
            free = os.statvfs(small).f_bavail * os.statvfs(small).f_frsize
            f.write(b"\0" * max(0, free - 300 * 1024))
        lines = 20000
        csv = os.path.join(self.args.home, "big.csv")
        with open(csv, "w") as f:
            f.write("kind,category,cell,description\n")
            for i in range(lines):
                f.write("event,0102,110101001001001,disk-one-%d filler text to take some room on the disk\n" % i)
        rc, out, err = self.run(["import", "reports", csv, "--as", "city-intake-1"], db=db)
        n = self.sql(db, "SELECT count(*) FROM service_case WHERE description LIKE 'disk-one-%'")
        ok = self.sql(db, "PRAGMA integrity_check")
        self.check(0, "full disk: a one-transaction import fails cleanly, all or nothing, integrity ok",
                   rc in (1, 6) and n in ("0", str(lines)) and ok == "ok", "exit %d, %s rows, integrity %s: %s" % (
                       rc, n, ok, (out + err).decode(errors="replace")[-200:]))
        batch = 200
        os.truncate(filler, max(0, os.path.getsize(filler) - 1024 * 1024))  # room for a few batches
        csv2 = csv.replace("big", "big2")
        with open(csv2, "w") as f:
            f.write("kind,category,cell,description\n")
            for i in range(lines):
                f.write("event,0102,110101001001001,disk-batch-%d filler text to take some room on the disk\n" % i)
        rc, out, err = self.run(["import", "reports", csv2, "--as", "city-intake-1", "--skip-bad", "--batch", str(batch),
                                 "--rejects", os.path.join(self.args.home, "rejects.csv")], db=db)
        n = int(self.sql(db, "SELECT count(*) FROM service_case WHERE description LIKE 'disk-batch-%'") or 0)
        ok = self.sql(db, "PRAGMA integrity_check")
        text = (out + err).decode(errors="replace")
        self.check(0, "full disk: a --batch import fails cleanly with whole batches, integrity ok",
                   rc in (1, 6) and n % batch == 0 and ok == "ok", "exit %d, %d rows, integrity %s" % (rc, n, ok))
        self.check(6, "full disk: a --batch import says the line to resume from",
                   rc != 0 and ("--resume" in text or "--from-line %d" % (n + 2) in text or "line %d" % (n + 2) in text),
                   "exit %d after %d rows: %s" % (rc, n, text[-200:]))
        os.remove(filler)
        case = self.dispatched(db)
        rc, out, err = self.run(["case", "urge", case, "--as", "city-lead-1", "--note", "after the disk was full"], db=db)
        self.check(0, "full disk: writes work again once there is room", rc == 0, "exit %d %s" % (rc, err[-200:]))
        subprocess.run(["umount", small])

    # Under a running console

    def tmux(self, *words):
        return subprocess.run(["tmux", "-S", self.socket] + list(words), capture_output=True, text=True).stdout

    def console_start(self, db, name):
        e = " ".join("%s=%s" % kv for kv in self.env.items())
        self.tmux("-f", self.empty, "new-session", "-d", "-s", name, "-x", "130", "-y", "35",
                  "env %s TERM=xterm-256color %s console --db %s --as city-lead-1 --lang en; echo EXITED $?; sleep 120"
                  % (e, self.args.binary, db))
        return self.wait_screen(name, lambda s: "Queue" in s, 60)

    def wait_screen(self, name, predicate, seconds):
        screen = ""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            screen = self.tmux("capture-pane", "-p", "-t", name)
            if predicate(screen):
                return screen
            time.sleep(0.2)
        return screen

    def notice(self, before, after):
        """The console's own word that it stopped writing (its status tag), or a line about the database that was
        not on the screen before."""
        if "WRITES STOPPED" in after or "已停止写入" in after:
            return "WRITES STOPPED" not in before and "已停止写入" not in before
        old = set(before.splitlines())
        return any(("database" in line.lower() or "数据库" in line) and line not in old for line in after.splitlines())

    def console_quits(self, name, what, status=0):
        """Quits the console; it must end by itself with `status` (6: it stopped writing, README's exit codes) and
        say nothing more than one line on the way out."""
        self.tmux("send-keys", "-t", name, "Escape", "Escape", "q")
        screen = self.wait_screen(name, lambda s: "EXITED" in s, 30)
        if "(y/n)" in screen:
            self.tmux("send-keys", "-t", name, "y")
            screen = self.wait_screen(name, lambda s: "EXITED" in s, 30)
        self.check(4 if status else 0, "console survives the database %s and quits with %d" % (what, status),
                   "EXITED %d" % status in screen, screen[-300:])

    def under_console(self):
        if not shutil.which("tmux"):
            print("SKIP  under a console: needs tmux")
            return
        self.socket = os.path.join(self.args.home, "tmux.sock")
        try:
            # Deleted.
            db = self.copy()
            before = self.console_start(db, "deleted")
            for side in ("", "-wal", "-shm"):
                if os.path.exists(db + side):
                    os.remove(db + side)
            self.tmux("send-keys", "-t", "deleted", "C-l", "j")
            after = self.wait_screen("deleted", lambda s: self.notice(before, s), 10)
            self.check(4, "console says so when its database file is deleted", self.notice(before, after), after[-200:])
            self.console_quits("deleted", "deleted", 6)
            # Replaced: a site with one more case, moved over the file.
            db = self.copy()
            other = self.copy()
            self.run(["report", "--as", "city-intake-1", "--kind", "event", "--category", "0102", "--cell",
                      "110101001001001", "--description", "REPLACED-MARKER"], db=other)
            before = self.console_start(db, "replaced")
            for side in ("-wal", "-shm"):
                if os.path.exists(other + side):
                    os.remove(other + side)
            os.rename(other, db)
            self.tmux("send-keys", "-t", "replaced", "C-l", "j")
            after = self.wait_screen("replaced", lambda s: "REPLACED-MARKER" in s or self.notice(before, s), 10)
            self.check(4, "console follows or reports a database file replaced under it",
                       "REPLACED-MARKER" in after or self.notice(before, after), after[-200:])
            self.console_quits("replaced", "replaced", 6)
            # Read-only: the folder bind-mounted read-only in the console's own mount namespace (own tmux server).
            self.tmux("kill-server")
            db = self.copy()
            folder = os.path.dirname(db)
            e = " ".join("%s=%s" % kv for kv in self.env.items())
            subprocess.run(["unshare", "-m", "--propagation", "private", "tmux", "-S", self.socket, "-f", self.empty,
                            "new-session", "-d", "-s", "readonly", "-x", "130", "-y", "35",
                            "env %s TERM=xterm-256color %s console --db %s --as city-lead-1 --lang en; echo EXITED $?; "
                            "sleep 120" % (e, self.args.binary, db)])
            self.wait_screen("readonly", lambda s: "Queue" in s, 60)
            pid = self.tmux("list-panes", "-t", "readonly", "-F", "#{pane_pid}").strip()
            subprocess.run(["nsenter", "-t", pid, "-m", "sh", "-c",
                            "mount --bind %s %s && mount -o remount,ro,bind %s" % (folder, folder, folder)], check=True)
            self.tmux("send-keys", "-t", "readonly", "C-l", "j", "k")
            time.sleep(2)
            self.console_quits("readonly", "made read-only (read-only mount)")
        finally:
            self.tmux("kill-server")

    # Defect 5

    def other_user(self):
        if os.geteuid() != 0 or not shutil.which("setpriv"):
            print("SKIP  other user: needs root and setpriv")
            return
        db = self.copy()
        folder = os.path.dirname(db)
        os.chmod(self.args.home, 0o711)
        os.chmod(folder, 0o1777)
        os.chmod(db, 0o644)
        rc, out, err = self.run(["cases", "--limit", "3"], db=db,
                                prefix=["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"])
        foreign = [n for n in os.listdir(folder) if os.lstat(os.path.join(folder, n)).st_uid == 65534]
        self.check(5, "a reader without write permission reads and leaves no side files",
                   rc == 0 and not foreign, "exit %d, files of the reader: %s %s" % (rc, foreign, err[-200:]))
        rc, out, err = self.run(["case", "urge", self.dispatched(db), "--as", "city-lead-1", "--note", "owner"], db=db)
        self.check(5, "the owner still writes after another user read", rc == 0, "exit %d %s" % (rc, err[-200:]))
        os.chmod(self.args.home, 0o700)

    def report(self):
        failed = [r for r in self.results if not r[2]]
        by = {}
        for d, _, ok in self.results:
            by.setdefault(d, [0, 0])[0 if ok else 1] += 1
        print("%d checks: %d pass, %d fail" % (len(self.results), len(self.results) - len(failed), len(failed)))
        print("failing defects: " + (", ".join(str(d) if d else "none (a property)" for d in
                                         sorted({d for d, _, ok in failed})) or "none"))
        return 1 if failed else 0


GROUPS = ["special", "times", "refusals", "text", "disk", "console", "user"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--home", required=True)
    parser.add_argument("--now", default="2026-11-25T10:30:00+08:00")
    parser.add_argument("--groups", default=",".join(GROUPS))
    parser.add_argument("--inside", help=argparse.SUPPRESS)
    args = parser.parse_args()
    h = Hostile(args)
    if args.inside == "full-disk":
        h.full_disk_inside()
        return 1 if any(not r[2] for r in h.results) else 0
    run = {"special": h.special_files, "times": h.absurd_times, "refusals": h.refusals, "text": h.nul_and_escapes, "disk": h.full_disk,
           "console": h.under_console, "user": h.other_user}
    for group in args.groups.split(","):
        if group not in run:
            parser.error("unknown group %s (groups: %s)" % (group, ",".join(GROUPS)))
        run[group]()
    return h.report()


if __name__ == "__main__":
    sys.exit(main())
