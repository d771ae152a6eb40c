"""The hostile crowd of bench/soak.sh, run beside wrk's normal load:

  slowloris    connections sending a request's headers one byte a second,
               never ending them; each comes back when the server cuts it
  slow bodies  POST /sparql with complete headers promising a body of
               100,000 bytes, then one byte of it a second; each comes back
               when the server answers or cuts it
  runaways     queries that would run for hours (a cross join sorted, a
               chain of OPTIONALs, property paths under a star), one after
               another on a few connections

    soak_clients.py URL SECONDS [--slowloris N] [--slow-bodies N] [--runaways N]

Standard library only. Runs SECONDS, then prints one line,
`SOAK-JSON {...}`: per kind, the connections opened, how many the server
cut (or answered 408, for the slow bodies) and after how long, and the
runaways' answers by status with their longest wait.
"""

import argparse
import json
import socket
import threading
import time
import urllib.parse
from collections import Counter

# Each would run for hours on any store of coopgraph's: the time limit,
# the sort bound or the memory ceiling must stop it.
RUNAWAY_QUERIES = [
    "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f",
    "SELECT (COUNT(*) AS ?n) WHERE { ?a0 ?b0 ?c0 "
    + " ".join(f"OPTIONAL {{ ?a{i} ?b{i} ?c{i} }}" for i in range(1, 60))
    + " }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?a (!rdf:type)*/(!rdf:type)*/(!rdf:type)*/(!rdf:type)* ?b }",
]


class Tally:
    """Counts shared by the threads of one kind."""

    def __init__(self):
        self.lock = threading.Lock()
        self.opened = 0
        self.cut = 0
        self.refused = 0  # could not connect, or answered before sending anything
        self.open_now = 0
        self.open_max = 0
        self.cut_after = []  # seconds from connect to the server's cut
        self.statuses = Counter()

    def add(self, **counts):
        with self.lock:
            for k, v in counts.items():
                setattr(self, k, getattr(self, k) + v)
            self.open_max = max(self.open_max, self.open_now)

    def summary(self):
        after = sorted(self.cut_after)
        return {
            "opened": self.opened,
            "cut": self.cut,
            "refused": self.refused,
            "open_max": self.open_max,
            "cut_after_s_median": round(after[len(after) // 2], 1) if after else None,
            "cut_after_s_max": round(after[-1], 1) if after else None,
            "statuses": dict(sorted(self.statuses.items())),
        }


def status_of(reply):
    """The status of a raw HTTP answer, or 0."""
    parts = reply.split(b" ", 2)
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0


def trickler(host, port, deadline, tally, head, byte):
    """Sends `head` at once, then `byte` once a second, until the server
    answers or closes; then starts again, until the deadline."""
    while time.monotonic() < deadline:
        try:
            s = socket.create_connection((host, port), timeout=10)
        except OSError:
            tally.add(refused=1)
            time.sleep(1)
            continue
        began = time.monotonic()
        tally.add(opened=1, open_now=1)
        s.settimeout(1)
        reply = b""
        try:
            s.sendall(head)
            while time.monotonic() < deadline:
                try:
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    reply += chunk
                    continue
                except socket.timeout:
                    pass
                s.sendall(byte)
        except OSError:
            pass
        finally:
            s.close()
        if time.monotonic() < deadline:
            status = status_of(reply)
            with tally.lock:
                tally.cut += 1
                tally.cut_after.append(time.monotonic() - began)
                if status:
                    tally.statuses[status] += 1
        tally.add(open_now=-1)


def runaway(host, port, deadline, tally, offset):
    """Sends the runaway queries one after another, each on a connection
    of its own, and records the answer's status and wait."""
    i = offset
    while time.monotonic() < deadline:
        query = RUNAWAY_QUERIES[i % len(RUNAWAY_QUERIES)]
        i += 1
        target = "/sparql?query=" + urllib.parse.quote(query, safe="")
        began = time.monotonic()
        try:
            s = socket.create_connection((host, port), timeout=10)
        except OSError:
            tally.add(refused=1)
            time.sleep(1)
            continue
        tally.add(opened=1)
        s.settimeout(120)
        reply = b""
        try:
            s.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\nAccept: text/csv\r\nConnection: close\r\n\r\n".encode())
            while b"\r\n" not in reply:
                chunk = s.recv(4096)
                if not chunk:
                    break
                reply += chunk
        except OSError:
            pass
        finally:
            s.close()
        waited = time.monotonic() - began
        with tally.lock:
            tally.statuses[status_of(reply)] += 1
            tally.cut_after.append(waited)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("url")
    ap.add_argument("seconds", type=float)
    ap.add_argument("--slowloris", type=int, default=200)
    ap.add_argument("--slow-bodies", type=int, default=20)
    ap.add_argument("--runaways", type=int, default=3)
    args = ap.parse_args()
    where = urllib.parse.urlsplit(args.url)
    host, port = where.hostname, where.port or 80
    deadline = time.monotonic() + args.seconds
    kinds = {"slowloris": Tally(), "slow_bodies": Tally(), "runaways": Tally()}
    threads = []
    loris = (b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ", b"a")
    body = (
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: 100000\r\n\r\nS",
        b"E",
    )
    for _ in range(args.slowloris):
        threads.append(threading.Thread(target=trickler, args=(host, port, deadline, kinds["slowloris"], *loris)))
    for _ in range(args.slow_bodies):
        threads.append(threading.Thread(target=trickler, args=(host, port, deadline, kinds["slow_bodies"], *body)))
    for n in range(args.runaways):
        threads.append(threading.Thread(target=runaway, args=(host, port, deadline, kinds["runaways"], n)))
    for t in threads:
        t.daemon = True
        t.start()
        time.sleep(0.005)  # not all in the same millisecond
    for t in threads:
        t.join(timeout=max(0.0, deadline - time.monotonic()) + 130)
    print("SOAK-JSON " + json.dumps({k: v.summary() for k, v in kinds.items()}), flush=True)


if __name__ == "__main__":
    main()
