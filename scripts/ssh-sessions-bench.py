#!/usr/bin/env python3
"""How many console sessions `citygrid serve-ssh` holds open at once, and how the console answers among them.

Builds a demo site in a private temporary folder, registers one ed25519 key, starts serve-ssh on a free port of
127.0.0.1, then opens N consoles with the real OpenSSH client (`ssh -tt`), each in a window of one private tmux
server. With all N open (and, unless --idle, each of them given a key a second), a probe console is timed from a
keypress to the screen showing its effect (the help overlay opening and closing), read by polling tmux.

Prints one JSON object per N. Traffic goes to 127.0.0.1 only; every process started is stopped at the end.

usage: scripts/ssh-sessions-bench.py [--binary .build/release/citygrid] [--sessions 0,20,50] [--probes 30] [--idle]
"""
import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time


def run(args, **kw):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kw)


class Tmux:
    def __init__(self, folder):
        self.socket = os.path.join(folder, "tmux.sock")
        self.started = False

    def cmd(self, *args):
        return subprocess.run(["tmux", "-S", self.socket, "-f", os.path.join(os.path.dirname(self.socket), "empty")] + list(args),
                              capture_output=True, text=True)

    def window(self, name, command, width=100, height=30):
        if not self.started:
            self.cmd("new-session", "-d", "-s", "b", "-n", name, "-x", str(width), "-y", str(height), command)
            self.started = True
        else:
            self.cmd("new-window", "-d", "-t", "b", "-n", name, command)

    def screen(self, name):
        return self.cmd("capture-pane", "-p", "-t", "b:" + name).stdout

    def keys(self, name, *keys):
        self.cmd("send-keys", "-t", "b:" + name, *keys)

    def kill(self):
        if self.started:
            self.cmd("kill-server")


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid):
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def wait_for(predicate, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.005)
    return False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/citygrid")
    parser.add_argument("--sessions", default="0,20,50")
    parser.add_argument("--probes", type=int, default=30)
    parser.add_argument("--idle", action="store_true", help="leave the N consoles idle instead of a key a second each")
    opts = parser.parse_args()
    binary = os.path.abspath(opts.binary)
    for tool in ("ssh", "ssh-keygen", "tmux"):
        if not shutil.which(tool):
            sys.exit(f"needs {tool}")

    folder = tempfile.mkdtemp(prefix="cg-ssh-bench-")
    os.chmod(folder, 0o700)
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": folder, "CITYGRID_NOW": "2026-11-25T10:30:00+08:00"}
    open(os.path.join(folder, "empty"), "w").close()
    open(os.path.join(folder, "ssh_config"), "w").close()
    db = os.path.join(folder, "site.sqlite")
    server = None
    tmux = Tmux(folder)
    try:
        run([binary, "seed-demo", "--db", db], env=env)
        key = os.path.join(folder, "id")
        run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key])
        run([binary, "operator", "key", "add", "city-dispatcher-1", key + ".pub", "--as", "admin", "--db", db], env=env)
        out = open(os.path.join(folder, "serve.out"), "w")
        server = subprocess.Popen([binary, "serve-ssh", "--db", db, "--port", "0", "--max-sessions", "500",
                                   "--max-sessions-per-operator", "500"], env=env, stdout=out, stderr=subprocess.STDOUT,
                                  stdin=open(os.path.join(folder, "empty")))
        port = None
        for _ in range(300):
            m = re.search(r"listening on 127\.0\.0\.1:(\d+)", open(os.path.join(folder, "serve.out")).read())
            if m:
                port = int(m.group(1))
                break
            time.sleep(0.1)
        if not port:
            sys.exit("serve-ssh did not start: " + open(os.path.join(folder, "serve.out")).read())
        ssh = (f"env HOME={folder} LANG=en_US.UTF-8 ssh -tt -F {folder}/ssh_config -p {port} -i {key} -o IdentitiesOnly=yes "
               f"-o BatchMode=yes -o UserKnownHostsFile={folder}/known -o StrictHostKeyChecking=accept-new -o SendEnv=LANG "
               f"city-dispatcher-1@127.0.0.1")
        # The first connection records the host key; the rest then need no prompt.
        run(["ssh", "-F", f"{folder}/ssh_config", "-p", str(port), "-i", key, "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
             "-o", f"UserKnownHostsFile={folder}/known", "-o", "StrictHostKeyChecking=accept-new", "city-dispatcher-1@127.0.0.1",
             "cases", "--limit", "1"], env={"HOME": folder, "PATH": "/usr/bin:/bin"}, stdin=open(os.path.join(folder, "empty")))
        tmux.window("hold", "sleep 100000")   # keeps the tmux server up while windows come and go

        def probe(window):
            samples = []
            for _ in range(opts.probes):
                t = time.monotonic()
                tmux.keys(window, "?")
                if wait_for(lambda: "Help" in tmux.screen(window), 10):
                    samples.append((time.monotonic() - t) * 1000)
                t = time.monotonic()
                tmux.keys(window, "Escape")
                if wait_for(lambda: "Help ·" not in tmux.screen(window), 10):
                    samples.append((time.monotonic() - t) * 1000)
                time.sleep(0.05)
            samples.sort()
            return {"median": round(statistics.median(samples), 1), "p95": round(samples[int(len(samples) * 0.95) - 1], 1),
                    "max": round(samples[-1], 1), "samples": len(samples)}

        # The same probe on a console run here, without SSH: what the harness itself costs.
        tmux.window("local", f"env HOME={folder} LANG=C.UTF-8 TERM=tmux-256color CITYGRID_NOW={env['CITYGRID_NOW']} "
                             f"{binary} console --db {db} --as city-dispatcher-1 --lang en")
        wait_for(lambda: "Queue: mine" in tmux.screen("local"), 60)
        time.sleep(1)
        print(json.dumps({"sessions": "none: a local console, no SSH", "probe_key_to_screen_ms": probe("local")}), flush=True)
        tmux.keys("local", "q")

        opened = 0
        results = []
        stop = threading.Event()
        for target in [int(n) for n in opts.sessions.split(",")]:
            t0 = time.monotonic()
            for i in range(opened, target):
                tmux.window(f"s{i}", ssh)
            ok = all(wait_for(lambda i=i: "Queue: mine" in tmux.screen(f"s{i}"), 60) for i in range(opened, target))
            open_seconds = time.monotonic() - t0
            opened = target
            busy = None
            if not opts.idle and opened > 0:
                stop.clear()

                def keep_busy(n=opened):
                    k = 0
                    while not stop.is_set():
                        tmux.keys(f"s{k % n}", "j" if (k // n) % 2 == 0 else "k")
                        k += 1
                        stop.wait(1.0 / n)
                busy = threading.Thread(target=keep_busy, daemon=True)
                busy.start()
            tmux.window("probe", ssh)
            wait_for(lambda: "Queue: mine" in tmux.screen("probe"), 60)
            time.sleep(1)
            timing = probe("probe")
            stop.set()
            if busy:
                busy.join()
            consoles = children(server.pid)
            results.append({
                "sessions": opened, "all_open": ok, "seconds_to_open": round(open_seconds, 1),
                "background": "idle" if opts.idle or opened == 0 else "a key a second each",
                "probe_key_to_screen_ms": timing,
                "server_rss_mib": round(rss_kib(server.pid) / 1024, 1),
                "consoles_rss_mib_each": round(sum(rss_kib(p) for p in consoles) / 1024 / max(1, len(consoles)), 1),
                "console_processes": len(consoles),
            })
            print(json.dumps(results[-1]), flush=True)
            tmux.keys("probe", "q")
            wait_for(lambda: len(children(server.pid)) <= opened, 10)
            tmux.cmd("kill-window", "-t", "b:probe")
    finally:
        tmux.kill()
        if server:
            server.send_signal(signal.SIGTERM)
            server.wait()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
