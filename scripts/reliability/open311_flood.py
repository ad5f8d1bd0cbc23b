#!/usr/bin/env python3
"""Flood a running `citygrid serve` with half-sent requests and measure whether normal clients are still served.

Started by open311-flood.sh, which seeds a temporary demo site and starts the server; run on its own:
  open311_flood.py --port PORT --pid SERVER_PID --key API_KEY [--attackers 2] [--connections 10000] ...

Attackers: `--attackers` processes, each from its own loopback address (127.0.0.2, 127.0.0.3, ...), open up to
`--connections` connections each, at most `--rate` a second, and send half a request head on each, never the
rest; they hold what the server lets them hold. Meanwhile a normal client on 127.0.0.1 alternates
GET /requests.json and POST /requests.json, a new connection each, 5 s timeout each. After `--attack-seconds`
the attackers stop opening and wait (at most `--drain-seconds`) for the server to close what they hold.

Every loop is bounded by a count and a deadline. Prints the figures, and exits 1 when a normal request failed
(other than a 429/503) or partial connections were still open at the end.
"""
import argparse
import errno
import http.client
import json
import multiprocessing
import os
import selectors
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse

HALF_HEAD = b"POST /requests.json HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Le"


def attacker(index, args, results):
    """Opens half-sent connections from 127.0.0.(2+index); reports counts and when its last held one closed."""
    source = f"127.0.0.{2 + index}"
    sel = selectors.DefaultSelector()
    stats = dict(source=source, attempts=0, connect_errors=0, answered_503=0, answered_408=0, closed_silently=0,
                 reset=0, held_max=0, held_at_stop=0, held_at_end=0, drained_after=None)
    held = {}  # socket -> bytes received
    start = time.monotonic()
    stop_opening = start + args.attack_seconds
    give_up = stop_opening + args.drain_seconds
    interval = 1.0 / args.rate

    def finish(sock, reset=False):
        data = held.pop(sock, b"")
        sel.unregister(sock)
        sock.close()
        if reset and not data:
            stats["reset"] += 1
        elif data.startswith(b"HTTP/1.1 503"):
            stats["answered_503"] += 1
        elif data.startswith(b"HTTP/1.1 408"):
            stats["answered_408"] += 1
        else:
            stats["closed_silently"] += 1

    next_open = start
    stopped = False
    while True:
        now = time.monotonic()
        if now >= give_up:
            break
        if not stopped and (now >= stop_opening or stats["attempts"] >= args.connections):
            stopped = True
            stats["held_at_stop"] = len(held)
            stop_time = now
        if stopped and not held:
            stats["drained_after"] = round(now - stop_time, 2)
            break
        # Open what the pace allows (at most 50 a turn), then serve events for a moment.
        opened = 0
        while not stopped and now >= next_open and opened < 50 and stats["attempts"] < args.connections:
            next_open += interval
            opened += 1
            stats["attempts"] += 1
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            try:
                sock.bind((source, 0))
                sock.setblocking(False)
                code = sock.connect_ex(("127.0.0.1", args.port))
                if code not in (0, errno.EINPROGRESS):
                    raise OSError(code, os.strerror(code))
            except OSError:
                stats["connect_errors"] += 1
                sock.close()
                continue
            held[sock] = b""
            sel.register(sock, selectors.EVENT_WRITE)
        stats["held_max"] = max(stats["held_max"], len(held))
        for key, events in sel.select(timeout=0.02):
            sock = key.fileobj
            if events & selectors.EVENT_WRITE:
                try:
                    sock.send(HALF_HEAD)
                    sel.modify(sock, selectors.EVENT_READ)
                except OSError:
                    finish(sock, reset=True)
                continue
            try:
                data = sock.recv(4096)
            except OSError:
                finish(sock, reset=True)
                continue
            if data:
                held[sock] += data
            else:
                finish(sock)
    stats["held_at_end"] = len(held)
    for sock in list(held):
        sel.unregister(sock)
        sock.close()
    results.put(stats)


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def partial_connections(port):
    """Server-side established connections from the attackers' addresses (ss)."""
    out = subprocess.run(["ss", "-Htn", "state", "established", f"( sport = :{port} )"], capture_output=True, text=True).stdout
    return sum(1 for line in out.splitlines() if line.split() and not line.split()[-1].startswith("127.0.0.1:"))


def server_sample(pid):
    """(open files, CPU seconds) of the server process."""
    try:
        files = len(os.listdir(f"/proc/{pid}/fd"))
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        return files, (int(fields[11]) + int(fields[12])) / ticks
    except OSError:
        return None, None


def normal_request(port, method, path, body=None):
    start = time.monotonic()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5, source_address=("127.0.0.1", 0))
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        payload = response.read()
        conn.close()
        return response.status, time.monotonic() - start, len(payload)
    except (OSError, http.client.HTTPException) as error:
        return f"{type(error).__name__}", time.monotonic() - start, 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--attackers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=10000, help="connections each attacker opens")
    parser.add_argument("--rate", type=float, default=500, help="connections a second, each attacker")
    parser.add_argument("--attack-seconds", type=float, default=20)
    parser.add_argument("--drain-seconds", type=float, default=30)
    parser.add_argument("--interval", type=float, default=0.1, help="seconds between normal requests")
    args = parser.parse_args()

    # A cell to post to, from the listing itself (and its size, cost and paging, unloaded).
    listing = http.client.HTTPConnection("127.0.0.1", args.port, timeout=10)
    listing.request("GET", "/requests.json?page_size=1")
    cell = json.loads(listing.getresponse().read())[0]["address_id"]
    listing.close()
    unloaded = {}
    for label, path in [("page of 50 (default)", "/requests.json"), ("page of 200 (maximum)", "/requests.json?page_size=200")]:
        runs = [normal_request(args.port, "GET", path) for _ in range(5)]
        unloaded[label] = (statistics.median(r[1] for r in runs), runs[0][2])

    results = multiprocessing.Queue()
    attackers = [multiprocessing.Process(target=attacker, args=(i, args, results)) for i in range(args.attackers)]
    cpu_start = server_sample(args.pid)[1]
    wall_start = time.monotonic()
    for process in attackers:
        process.start()

    outcomes = {"GET": [], "POST": []}
    samples = []  # (t, partial connections, server files)
    attack_end = wall_start + args.attack_seconds
    cpu_at_attack_end = None
    turn = 0
    next_sample = wall_start
    while time.monotonic() < attack_end:
        turn += 1
        if turn % 2:
            outcomes["GET"].append(normal_request(args.port, "GET", "/requests.json"))
        else:
            body = urllib.parse.urlencode({"api_key": args.key, "service_code": "event-0102", "address_id": cell,
                                           "description": f"flood check {turn}"})
            outcomes["POST"].append(normal_request(args.port, "POST", "/requests.json", body))
        if time.monotonic() >= next_sample:
            next_sample += 1
            samples.append((round(time.monotonic() - wall_start, 1), partial_connections(args.port), server_sample(args.pid)[0]))
        time.sleep(args.interval)
    cpu_at_attack_end = server_sample(args.pid)[1]
    held_at_attack_end = partial_connections(args.port)

    # Drain: how long until the server has closed every partial connection.
    drained_after = None
    drain_deadline = time.monotonic() + args.drain_seconds
    stop = time.monotonic()
    while time.monotonic() < drain_deadline:
        if partial_connections(args.port) == 0:
            drained_after = round(time.monotonic() - stop, 1)
            break
        time.sleep(0.25)
    left = partial_connections(args.port)
    reports = [results.get(timeout=args.drain_seconds + args.attack_seconds + 30) for _ in attackers]
    for process in attackers:
        process.join(timeout=10)

    print("== Open311 flood ==")
    print(f"attackers: {args.attackers} processes from {', '.join(r['source'] for r in reports)}, "
          f"{args.connections} connections each at most, {args.rate:.0f}/s each, for {args.attack_seconds:.0f} s")
    for r in reports:
        print(f"  {r['source']}: {r['attempts']} opened ({r['connect_errors']} failed to connect); answered 503 at once: "
              f"{r['answered_503']}; cut off with 408: {r['answered_408']}; closed silently: {r['closed_silently']}; reset: "
              f"{r['reset']}; held at most {r['held_max']} at a time, {r['held_at_stop']} when it stopped opening, "
              f"{r['held_at_end']} at the end (all closed {r['drained_after']} s after it stopped)")
    for method in ("GET", "POST"):
        runs = outcomes[method]
        ok = [r for r in runs if isinstance(r[0], int) and r[0] < 400]
        latencies = [r[1] * 1000 for r in runs]
        codes = {}
        for r in runs:
            codes[str(r[0])] = codes.get(str(r[0]), 0) + 1
        print(f"normal {method} /requests.json during the flood: {len(ok)}/{len(runs)} succeeded "
              f"({100 * len(ok) / max(1, len(runs)):.1f} %), p50 {percentile(latencies, 50):.1f} ms, "
              f"p99 {percentile(latencies, 99):.1f} ms, max {max(latencies):.1f} ms; statuses {codes}")
    if cpu_start is not None and cpu_at_attack_end is not None:
        print(f"server CPU during the flood: {100 * (cpu_at_attack_end - cpu_start) / args.attack_seconds:.0f} % of one core")
    print(f"server open files: at most {max(s[2] or 0 for s in samples)} (sampled each second)")
    print(f"partial connections open on the server: at most {max(s[1] for s in samples)} during the flood, "
          f"{held_at_attack_end} when it stopped, 0 after {drained_after} s" if drained_after is not None else
          f"partial connections still open {args.drain_seconds:.0f} s after the flood: {left}")
    for label, (median, size) in unloaded.items():
        print(f"GET /requests.json, {label}, unloaded: {median * 1000:.1f} ms median, {size / 1024:.1f} KiB")
    failed = sum(1 for m in outcomes.values() for r in m if not (isinstance(r[0], int) and r[0] < 400))
    sys.exit(0 if failed == 0 and left == 0 else 1)


if __name__ == "__main__":
    main()
