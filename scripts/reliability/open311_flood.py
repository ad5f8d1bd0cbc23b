#!/usr/bin/env python3
"""Flood a running `citygrid serve` with half-sent requests and slow bodies; check normal clients are still served.

Started by open311-flood.sh, which seeds a temporary demo site and starts the server on 127.0.0.1; on its own:
  open311_flood.py --port PORT --pid SERVER_PID --key API_KEY [--attackers 2] [--connections 10000] ...

Attackers: `--attackers` processes, each from its own loopback addresses (`--spread` of them: 127.0.0.2, 127.0.0.3
with a spread of 1; 127.0.10.1..N, 127.0.11.1..N otherwise). Each opens up to `--connections` connections, at most
`--rate` a second, and holds what the server lets it hold. Even-numbered attackers send half a request head and
then trickle one more header byte a second on each connection, never ending the head; odd-numbered ones send a
whole head announcing a 4 KiB body and then trickle one body byte a second. Meanwhile a normal client on 127.0.0.1
alternates GET /requests.json and POST /requests.json (with a reporter's e-mail and phone), a new connection
each, 5 s timeout each. After `--attack-seconds` the attackers stop opening and wait (at most the body timeout
plus 10 s) for the server to close what they hold.

Measured: the normal requests' success rate and p50/p99 latency; the server's open files, CPU, and the connections
it holds (its socket fds, by /proc/PID/net/tcp) per client address and in all, sampled every 0.1 s; how long
each admitted attacking connection lived; and, unloaded, the time and bytes of a page of GET /requests.

Asserted (exit 1 otherwise): every normal request succeeded (only with --expect-normal-success: when the attack
comes from more addresses than the total limit allows for, normal clients may be refused with 503 too); the
attacking connections admitted at once stay within the limits per address and in all (plus `--slack`, 2): an
admitted connection is held from its admission until the server cuts it off one timeout later (its span: from
one timeout before its close, or its opening when answered early, to its close less 0.2 s for the attacker's
own delay in noticing); no attacker had more
connections admitted than its limits allow in the attack's time (one wave a timeout); half-sent heads were
closed within the header timeout and slow bodies within the body timeout (plus 2 s); nothing was left open; the
server's open files stayed within its files before the flood, plus the connections the limits allow, a tenth
more (at least 8) accepted and queued to be refused, and 64; no reporter's e-mail or phone appeared in any
response, header or body. The sockets the server process holds (admitted ones and those queued to be answered
503) are sampled and reported. Every loop is bounded by a count and a deadline.
"""
import argparse
import errno
import http.client
import json
import multiprocessing
import os
import re
import selectors
import socket
import statistics
import sys
import threading
import time
import urllib.parse

HALF_HEAD = (b"POST /requests.json HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
             b"X-Trickle: ")
SLOW_BODY_HEAD = (b"POST /requests.json HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                  b"Content-Length: 4096\r\n\r\napi_key=")
SLACK_SECONDS = 2.0


def die_with_parent():
    """The kernel kills this process when its parent dies (PR_SET_PDEATHSIG), so no attacker outlives the run."""
    try:
        import ctypes
        import signal
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):
        pass


def sources(index, spread):
    if spread <= 1:
        return [f"127.0.0.{2 + index}"]
    return [f"127.0.{10 + index}.{n}" for n in range(1, spread + 1)]


def attacker(index, args, results):
    """Opens connections from its addresses and trickles; reports counts and the lifetimes of what it held."""
    die_with_parent()
    kind = "half-sent head" if index % 2 == 0 else "slow body"
    first_bytes, trickle = (HALF_HEAD, b"a") if index % 2 == 0 else (SLOW_BODY_HEAD, b"x")
    addresses = sources(index, args.spread)
    sel = selectors.DefaultSelector()
    stats = dict(kind=kind, sources=addresses, attempts=0, connect_errors=0, answered_503=0, answered_408=0,
                 answered_other=0, closed_silently=0, reset=0, held_max=0, held_at_end=0, drained_after=None,
                 longest_admitted=0.0, admitted=0, other_lines={})
    held = {}  # socket -> [opened at, bytes received, head sent, source address]
    timeout = args.header_timeout if index % 2 == 0 else args.body_timeout
    spans = []  # (source address, admitted, closed) of each admitted connection, by the clock of time.monotonic
    start = time.monotonic()
    stop_opening = start + args.attack_seconds
    give_up = stop_opening + args.body_timeout + 10
    interval = 1.0 / args.rate

    def finish(sock, now, reset=False):
        opened, data, _, source = held.pop(sock)
        sel.unregister(sock)
        sock.close()
        lifetime = now - opened
        refused = data.startswith(b"HTTP/1.1 503") or (reset and not data and lifetime < 0.5)
        if not refused:
            stats["admitted"] += 1
            stats["longest_admitted"] = max(stats["longest_admitted"], lifetime)
            # Cut off by its timer one timeout after its admission; answered early (429) soon after its opening.
            spans.append((source, max(opened, now - timeout), now))
        if data.startswith(b"HTTP/1.1 503"):
            stats["answered_503"] += 1
        elif data.startswith(b"HTTP/1.1 408"):
            stats["answered_408"] += 1
        elif data:
            stats["answered_other"] += 1
            line = data.split(b"\r\n", 1)[0].decode("latin-1")[:40]
            stats["other_lines"][line] = stats["other_lines"].get(line, 0) + 1
        elif reset:
            stats["reset"] += 1
        else:
            stats["closed_silently"] += 1

    next_open = start
    next_trickle = start + 1
    stopped_at = None
    turn = 0
    while True:
        now = time.monotonic()
        if now >= give_up:
            break
        if stopped_at is None and (now >= stop_opening or stats["attempts"] >= args.connections):
            stopped_at = now
        if stopped_at is not None and not held:
            stats["drained_after"] = round(now - stopped_at, 2)
            break
        opened = 0
        while stopped_at is None and now >= next_open and opened < 50 and stats["attempts"] < args.connections:
            next_open += interval
            opened += 1
            stats["attempts"] += 1
            turn += 1
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            source = addresses[turn % len(addresses)]
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
            held[sock] = [now, b"", False, source]
            sel.register(sock, selectors.EVENT_WRITE)
        stats["held_max"] = max(stats["held_max"], len(held))
        if now >= next_trickle:
            next_trickle = now + 1
            for sock, state in list(held.items()):
                if state[2] and not state[1]:
                    try:
                        sock.send(trickle)
                    except OSError:
                        finish(sock, now, reset=True)
        for key, events in sel.select(timeout=0.02):
            sock = key.fileobj
            if sock not in held:
                continue
            now = time.monotonic()
            if events & selectors.EVENT_WRITE and not held[sock][2]:
                try:
                    sock.send(first_bytes)
                    held[sock][2] = True
                    sel.modify(sock, selectors.EVENT_READ)
                except OSError:
                    finish(sock, now, reset=True)
                continue
            try:
                data = sock.recv(4096)
            except OSError:
                finish(sock, now, reset=True)
                continue
            if data:
                held[sock][1] += data
            else:
                finish(sock, now)
    stats["held_at_end"] = len(held)
    stats["spans"] = spans
    stats["longest_admitted"] = round(stats["longest_admitted"], 2)
    for sock in list(held):
        sel.unregister(sock)
        sock.close()
    results.put(stats)


def most_at_once(spans, jitter=0.2):
    """The most admitted connections held at once, in all and from one address, from their (address, admitted,
    closed) spans; each span's end is taken `jitter` seconds early, for the attacker noticing a close late."""
    events = []
    for source, start, end in spans:
        if end - jitter > start:
            events.append((start, 1, source))
            events.append((end - jitter, -1, source))
    events.sort(key=lambda e: (e[0], e[1]))  # at the same instant, a close before an admission
    total = best_total = best_address = 0
    per = {}
    for _, step, source in events:
        total += step
        per[source] = per.get(source, 0) + step
        best_total = max(best_total, total)
        best_address = max(best_address, per[source])
    return best_total, best_address


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def held_by_server(port, pid):
    """Connections the server process holds (its socket fds, not those still in the kernel's accept queue), by
    client address: its fds' socket inodes matched against /proc/PID/net/tcp."""
    inodes = set()
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
        lines = open(f"/proc/{pid}/net/tcp").read().splitlines()[1:]
    except OSError:
        return {}
    counts = {}
    for line in lines:
        fields = line.split()
        # sl local rem st tx_queue:rx_queue tr retrnsmt uid timeout inode
        if len(fields) < 10 or fields[9] not in inodes or fields[3] == "0A":  # 0A: listening
            continue
        if int(fields[1].split(":")[1], 16) != port:
            continue
        peer = ".".join(str(b) for b in reversed(bytes.fromhex(fields[2].split(":")[0])))
        counts[peer] = counts.get(peer, 0) + 1
    return counts


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
    """(status or error name, seconds, body bytes, headers and body as text)."""
    start = time.monotonic()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5, source_address=("127.0.0.1", 0))
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        payload = response.read()
        conn.close()
        text = "\n".join(f"{k}: {v}" for k, v in response.getheaders()) + "\n" + payload.decode("utf-8", "replace")
        return response.status, time.monotonic() - start, len(payload), text
    except (OSError, http.client.HTTPException) as error:
        return f"{type(error).__name__}", time.monotonic() - start, 0, ""


class Sampler(threading.Thread):
    """Every 0.1 s: the server's open files and the connections it holds per client address."""

    def __init__(self, port, pid):
        super().__init__(daemon=True)
        self.port, self.pid = port, pid
        self.halt = threading.Event()
        self.max_files = 0
        self.max_total = 0
        self.max_per_address = {}
        self.samples = 0

    def run(self):
        while not self.halt.is_set():
            files, _ = server_sample(self.pid)
            counts = held_by_server(self.port, self.pid)
            self.samples += 1
            self.max_files = max(self.max_files, files or 0)
            self.max_total = max(self.max_total, sum(counts.values()))
            for peer, n in counts.items():
                self.max_per_address[peer] = max(self.max_per_address.get(peer, 0), n)
            self.halt.wait(0.1)


def page_costs(port, runs=5):
    """Unloaded: median time and bytes of pages of GET /requests.json; rows and whether a Link header came."""
    figures = []
    for label, path, size in [("page 1 of 50 (default)", "/requests.json", 50),
                              ("page 1 of 200 (maximum)", "/requests.json?page_size=200", 200),
                              ("page 5 of 200", "/requests.json?page_size=200&page=5", 200),
                              ("page 1 of 200, XML", "/requests.xml?page_size=200", 200)]:
        times, size_bytes, rows, link = [], 0, 0, False
        for _ in range(runs):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            start = time.monotonic()
            conn.request("GET", path)
            response = conn.getresponse()
            payload = response.read()
            times.append(time.monotonic() - start)
            conn.close()
            size_bytes = len(payload)
            link = response.getheader("Link") is not None
            rows = len(json.loads(payload)) if path.startswith("/requests.json") else payload.count(b"<request>")
        figures.append((label, statistics.median(times), size_bytes, rows, size, link))
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--attackers", type=int, default=2)
    parser.add_argument("--spread", type=int, default=1, help="client addresses each attacker uses")
    parser.add_argument("--connections", type=int, default=10000, help="connections each attacker opens")
    parser.add_argument("--rate", type=float, default=500, help="connections a second, each attacker")
    parser.add_argument("--attack-seconds", type=float, default=20)
    parser.add_argument("--interval", type=float, default=0.1, help="seconds between normal requests")
    parser.add_argument("--header-timeout", type=float, default=10, help="the server's, to check against")
    parser.add_argument("--body-timeout", type=float, default=30, help="the server's, to check against")
    parser.add_argument("--per-address", type=int, default=32, help="the server's limit, to check against")
    parser.add_argument("--max-connections", type=int, default=1024, help="the server's limit, to check against")
    parser.add_argument("--slack", type=int, default=2, help="allowance in counting connections admitted at once")
    parser.add_argument("--expect-normal-success", action="store_true")
    parser.add_argument("--pages", action="store_true", help="measure the pages of GET /requests first")
    parser.add_argument("--title", default="Open311 flood")
    args = parser.parse_args()
    problems = []
    # Stopped from outside (the shell script's cleanup): exit normally, which terminates the attackers too.
    import signal
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    listing = http.client.HTTPConnection("127.0.0.1", args.port, timeout=10)
    listing.request("GET", "/requests.json?page_size=1")
    cell = json.loads(listing.getresponse().read())[0]["address_id"]
    listing.close()
    pages = page_costs(args.port) if args.pages else []
    for label, _, _, rows, size, link in pages:
        if rows > size or not link:
            problems.append(f"{label}: {rows} rows (at most {size}), Link header {'present' if link else 'missing'}")

    files_before, cpu_start = server_sample(args.pid)
    sampler = Sampler(args.port, args.pid)
    sampler.start()
    results = multiprocessing.Queue()
    attackers = [multiprocessing.Process(target=attacker, args=(i, args, results), daemon=True) for i in range(args.attackers)]
    wall_start = time.monotonic()
    for process in attackers:
        process.start()

    outcomes = {"GET": [], "POST": []}
    leaks = 0
    turn = 0
    while time.monotonic() < wall_start + args.attack_seconds:
        turn += 1
        if turn % 2:
            outcome = normal_request(args.port, "GET", "/requests.json")
            outcomes["GET"].append(outcome)
        else:
            body = urllib.parse.urlencode({"api_key": args.key, "service_code": "event-0102", "address_id": cell,
                                           "description": f"flood check {turn}", "first_name": "Flood",
                                           "last_name": "Reporter", "email": f"flood-reporter-{turn}@example.org",
                                           "phone": f"139{turn:08d}"})
            outcome = normal_request(args.port, "POST", "/requests.json", body)
            outcomes["POST"].append(outcome)
        if "flood-reporter" in outcome[3] or re.search(r"139\d{8}", outcome[3]):
            leaks += 1
        time.sleep(args.interval)
    _, cpu_at_attack_end = server_sample(args.pid)
    reports = [results.get(timeout=args.attack_seconds + args.body_timeout + 60) for _ in attackers]
    for process in attackers:
        process.join(timeout=10)
    time.sleep(1)
    # The listing after the flood, two pages of each format: still no reporter's details.
    posted_seen = 0
    for path in ("/requests.json?page_size=200", "/requests.json?page_size=200&page=2", "/requests.xml?page_size=200"):
        outcome = normal_request(args.port, "GET", path)
        if outcome[0] != 200:
            problems.append(f"GET {path} after the flood: {outcome[0]}")
        if "flood-reporter" in outcome[3] or re.search(r"139\d{8}", outcome[3]):
            leaks += 1
        posted_seen += outcome[3].count("flood check")
    left_by_peer = {}
    for _ in range(20):  # a connection being closed right now gets 2 s
        left_by_peer = held_by_server(args.port, args.pid)
        if not left_by_peer:
            break
        time.sleep(0.1)
    left = sum(left_by_peer.values())
    sampler.halt.set()
    sampler.join(timeout=5)

    addresses = [a for r in reports for a in r["sources"]]
    allowed = min(args.max_connections, len(addresses) * args.per_address + 1)
    print(f"== {args.title} ==")
    print(f"attackers: {args.attackers} processes from {len(addresses)} addresses, at most {args.connections} connections"
          f" each, {args.rate:.0f}/s each, for {args.attack_seconds:.0f} s; server limits: {args.per_address} a client"
          f" address, {args.max_connections} in all, header timeout {args.header_timeout:g} s, body timeout"
          f" {args.body_timeout:g} s")
    for r in reports:
        print(f"  {r['kind']} ({r['sources'][0]}{'…' if len(r['sources']) > 1 else ''}): {r['attempts']} opened"
              f" ({r['connect_errors']} failed to connect); answered 503 at once {r['answered_503']}, reset at once or"
              f" later {r['reset']}, cut off with 408 {r['answered_408']}, other answers {r['answered_other']} {r['other_lines'] or ''}, closed"
              f" silently {r['closed_silently']}; admitted {r['admitted']}, the longest lived"
              f" {r['longest_admitted']:.1f} s; held at most {r['held_max']} at a time (client side), {r['held_at_end']}"
              f" at the end (all closed {r['drained_after']} s after it stopped opening)")
        bound = (args.header_timeout if r["kind"] == "half-sent head" else args.body_timeout) + SLACK_SECONDS
        if r["longest_admitted"] > bound:
            problems.append(f"a {r['kind']} lived {r['longest_admitted']:.1f} s (bound {bound:g} s)")
        if r["held_at_end"]:
            problems.append(f"{r['held_at_end']} {r['kind']} connections still open at the end")
    for method in ("GET", "POST"):
        runs = outcomes[method]
        ok = [r for r in runs if isinstance(r[0], int) and r[0] < 400]
        latencies = [r[1] * 1000 for r in runs]
        codes = {}
        for r in runs:
            codes[str(r[0])] = codes.get(str(r[0]), 0) + 1
        print(f"normal {method} /requests.json from 127.0.0.1 during the flood: {len(ok)}/{len(runs)} succeeded"
              f" ({100 * len(ok) / max(1, len(runs)):.1f} %), p50 {percentile(latencies, 50):.1f} ms,"
              f" p99 {percentile(latencies, 99):.1f} ms, max {max(latencies):.1f} ms; statuses {codes}")
        if args.expect_normal_success and len(ok) != len(runs):
            problems.append(f"{len(runs) - len(ok)} normal {method} requests failed")
        if not runs:
            problems.append(f"no normal {method} request was made")
    if cpu_start is not None and cpu_at_attack_end is not None:
        print(f"server CPU during the flood: {100 * (cpu_at_attack_end - cpu_start) / args.attack_seconds:.0f} % of one core")
    attackers_max = max((n for peer, n in sampler.max_per_address.items() if peer != "127.0.0.1"), default=0)
    at_once_total, at_once_address = most_at_once([span for r in reports for span in r["spans"]])
    print(f"admitted attacking connections held at once (each from one timeout before the server cut it off, or"
          f" its opening, to its close): at most {at_once_address} from one address (limit {args.per_address}), {at_once_total} in"
          f" all (limit {args.max_connections})")
    print(f"sockets the server process held ({sampler.samples} samples, every 0.1 s): at most {sampler.max_total} in all,"
          f" {attackers_max} from one attacking address, {sampler.max_per_address.get('127.0.0.1', 0)} from 127.0.0.1"
          f" (admitted ones plus those accepted and queued to be answered 503 and closed); {left} left at the end")
    if at_once_address > args.per_address + args.slack:
        problems.append(f"{at_once_address} connections from one address were admitted at once (limit {args.per_address})")
    if at_once_total > args.max_connections + args.slack:
        problems.append(f"{at_once_total} connections were admitted at once (limit {args.max_connections})")
    for r in reports:
        timeout = args.header_timeout if r["kind"] == "half-sent head" else args.body_timeout
        waves = int(args.attack_seconds // timeout) + 1
        bound = min(args.max_connections, len(r["sources"]) * args.per_address) * waves
        if r["admitted"] > bound:
            problems.append(f"{r['admitted']} {r['kind']} connections were admitted, more than the limits allow in"
                            f" {args.attack_seconds:g} s ({bound}: {waves} waves of {timeout:g} s)")
    if left:
        problems.append(f"{left} connections still held by the server at the end: {left_by_peer}")
    refusing = max(8, allowed // 10)
    file_bound = (files_before or 0) + allowed + refusing + 64
    print(f"server open files: {files_before} before, at most {sampler.max_files} during the flood"
          f" (bound {file_bound}: before + {allowed} connections the limits allow + {refusing} being refused + 64)")
    if sampler.max_files > file_bound:
        problems.append(f"the server had {sampler.max_files} open files (bound {file_bound})")
    print(f"reporter e-mail or phone in any response (bodies and headers, {posted_seen} flood posts on the"
          f" listing's pages afterwards): {leaks}")
    if leaks:
        problems.append(f"{leaks} responses carried a reporter's e-mail or phone")
    for label, median, size_bytes, rows, _, _ in pages:
        print(f"GET {label}, unloaded: {median * 1000:.1f} ms median of 5, {size_bytes / 1024:.1f} KiB, {rows} rows,"
              f" budget {1 + int(rows // 25)} requests' worth")
    for problem in problems:
        print(f"FAIL: {problem}")
    print("OK" if not problems else f"{len(problems)} failure(s)")
    sys.exit(0 if not problems else 1)


if __name__ == "__main__":
    main()
