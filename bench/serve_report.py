"""Summary of a bench/serve.sh run: per request kind and server, requests/s,
p50 and p99 latency, non-2xx answers, socket errors and peak RSS; start-up
times; the bundled queries one by one; ratios against the peers; the goals
of issue 13 (item 7).

    serve_report.py WORK_DIR RELATIONS...

Standard library only. Reads WORK_DIR/run.txt and, per size,
WORK_DIR/<N>/results.jsonl (one wrk run per line, written by serve.sh from
serve_urls.lua's figures), servers.jsonl (start-up, loads, peak RSS),
workload/workload.json and data/manifest.json.

Requests/s counts every answer; ratios and goals count only 2xx answers
(a fast 503 is no page).
"""

import json
import sys
from pathlib import Path

MIB = 1024  # KiB per MiB

SERVERS = {
    "new": "coopgraph serve",
    "old": "coopgraph serve (old binary)",
    "rickview": "RickView 0.5",
    "oxigraph": "Oxigraph server 0.5.13",
    "virtuoso": "Virtuoso 7.2",
}
KINDS = [
    ("page-hub", "entity page, top hubs"),
    ("page-median", "entity page, median degree"),
    ("page-leaf", "entity page, leaves"),
    ("source", "source page"),
    ("search-en", "search, English"),
    ("search-zh", "search, Chinese"),
    ("data-ttl", "/data/ID.ttl"),
    ("query", "/queries/NAME, all bundled"),
    ("sparql-bundled", "/sparql, bundled queries' text"),
    ("sparql-lookup", "/sparql, simple lookups"),
    ("soak-mix", "mix of all the above but /sparql"),
]


def read(path):
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def jsonl(path):
    out = []
    for line in read(path).splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            pass
    return out


class Run:
    """The figures of one wrk run."""

    def __init__(self, rec):
        w = rec.get("wrk") or {}
        self.failed = "failed" in w or not w
        self.requests = w.get("requests", 0)
        self.seconds = (w.get("duration_us") or 0) / 1e6
        self.p50 = w.get("p50_us", 0) / 1000
        self.p99 = w.get("p99_us", 0) / 1000
        self.max = w.get("max_us", 0) / 1000
        self.non2xx = w.get("non2xx", 0)
        self.partial = w.get("partial", 0)
        self.statuses = w.get("statuses") or {}
        self.errors = {k: w.get(k, 0) for k in ("connect", "read", "write", "timeout")}
        self.rss_kb = max(rec.get("rss_kb") or 0, 0)
        self.hwm_kb = rec.get("hwm_kb") or 0
        self.duration = rec.get("seconds") or 0

    @property
    def rate(self):
        return self.requests / self.seconds if self.seconds > 0 else 0.0

    @property
    def ok_rate(self):
        """Whole 2xx answers per second (Virtuoso's partial answers left out)."""
        good = self.requests - self.non2xx - self.partial
        return good / self.seconds if self.seconds > 0 else 0.0

    @property
    def error_count(self):
        return sum(self.errors.values())

    @property
    def clean(self):
        """Answered, all 2xx, no socket errors."""
        return not self.failed and self.requests > 0 and self.non2xx == 0 and self.partial == 0 and self.error_count == 0


def fmt_rate(x):
    return f"{x:,.0f}" if x >= 10 else f"{x:.1f}"


def fmt_ms(x):
    return f"{x:,.0f}" if x >= 100 else f"{x:.1f}"


def cell(run):
    if run is None:
        return ""
    if run.failed:
        return "wrk failed"
    if run.requests == 0:
        return f"none in {run.duration} s"
    return f"{fmt_rate(run.rate)}/s, {fmt_ms(run.p50)} / {fmt_ms(run.p99)} ms"


def statuses(runs):
    total = {}
    for r in runs:
        for code, n in r.statuses.items():
            total[code] = total.get(code, 0) + n
    partial = sum(r.partial for r in runs)
    parts = [f"{n:,}×{code}" for code, n in sorted(total.items())]
    if partial:
        parts.append(f"{partial:,} partial (200, cut at the time limit)")
    return ", ".join(parts) if parts else "0"


def errors(runs):
    e = {k: sum(r.errors[k] for r in runs) for k in ("connect", "read", "write", "timeout")}
    if not any(e.values()):
        return "0"
    return " ".join(f"{k} {v:,}" for k, v in e.items() if v)


def ratio(a, b):
    return a / b if a and b else None


def fmt_ratio(r):
    return "-" if r is None else f"{r:.2f}x"


def goal(ok):
    return "-" if ok is None else ("met" if ok else "**NOT met**")


def size_report(work, n, out, goals, by_size):
    d = work / str(n)
    manifest = json.loads(read(d / "data" / "manifest.json") or "{}")
    workload = json.loads(read(d / "workload" / "workload.json") or "{}")
    results = jsonl(d / "results.jsonl")
    servers = jsonl(d / "servers.jsonl")
    if not results:
        return
    runs = {}
    for rec in results:
        runs[(rec["target"], rec["kind"], rec["conns"])] = Run(rec)
    by_size[n] = runs
    conns = sorted({c for (_, k, c) in runs if not k.startswith(("query:", "sparql:")) and k != "soak-mix"})
    targets = [t for t in SERVERS if any(k[0] == t for k in runs)]
    out += [f"## {n:,} relations ({manifest.get('entities', 0):,} entities)", ""]

    # Preparation and servers.
    prep = {s["target"]: s for s in servers if s.get("event") == "prepare"}
    if prep:
        what = {
            "import-store-new": "coopgraph import --store (with provenance)",
            "import-store-old": "coopgraph import --store, old binary",
            "import-nq": "coopgraph import -o all.nq (for Virtuoso)",
            "import-nt": "coopgraph import -o all.nt (for RickView)",
        }
        out += ["| preparation | wall s | peak RSS MiB |", "|---|---:|---:|"]
        for key, label in what.items():
            if key in prep:
                p = prep[key]
                out.append(f"| {label} | {p['seconds']:.1f} | {p['hwm_kb'] / MIB:,.0f} |")
        out.append("")
    start = {s["target"]: s for s in servers if s.get("event") == "start"}
    end = {s["target"]: s for s in servers if s.get("event") == "end"}
    load = {s["target"]: s for s in servers if s.get("event") == "load"}
    out += ["| server | start-up s | RSS at start MiB | peak RSS MiB | note |", "|---|---:|---:|---:|---|"]
    for t in targets:
        s, e = start.get(t, {}), end.get(t, {})
        up = s.get("seconds", -1)
        note = ""
        if t == "rickview":
            note = "start-up to the first entity page (the file is loaded then)"
        if t == "virtuoso" and t in load:
            lo = load[t]
            note = f"then bulk load {lo['seconds']:.1f} s, {lo.get('quads', 0):,} quads"
        peak = f"{e['hwm_kb'] / MIB:,.0f}" if e else "run stopped"
        out.append(
            f"| {SERVERS[t]} | {'no answer' if up == -1 else f'{up:.2f}'} | "
            f"{s.get('rss_kb', 0) / MIB:,.0f} | {peak} | {note} |"
        )
    out.append("")

    # Request kinds.
    head = "| request kind | server | " + " | ".join(f"{c} conn." for c in conns) + " | non-2xx | socket errors | peak RSS MiB |"
    out += [
        "Each cell: answers per second, p50 / p99 latency. Non-2xx and socket errors summed over the connection counts; peak RSS of the server during these runs.",
        "",
        head,
        "|---|---|" + "---:|" * len(conns) + "---|---|---:|",
    ]
    for kind, label in KINDS:
        for t in targets:
            row = [runs.get((t, kind, c)) for c in conns]
            if kind == "soak-mix":
                row = [runs.get((t, kind, 200))]
            present = [r for r in row if r is not None]
            if not present:
                continue
            if kind == "soak-mix":
                r = present[0]
                cells = [""] * len(conns)
                if 200 in conns:
                    cells[conns.index(200)] = cell(r) + f" ({r.duration} s)"
            else:
                cells = [cell(r) for r in row]
            rss = max(r.rss_kb for r in present) / MIB
            out.append(
                f"| {label} | {SERVERS[t]} | " + " | ".join(cells) + f" | {statuses(present)} | {errors(present)} | {rss:,.0f} |"
            )
    out.append("")

    # Bundled queries one by one.
    names = sorted({k.split(":", 1)[1] for (_, k, _) in runs if k.startswith(("query:", "sparql:"))})
    if names:
        cols = [("new", "query", "/queries/NAME")] + [(t, "sparql", f"{SERVERS[t]} /sparql") for t in targets if t != "rickview"]
        out += [
            "Bundled queries, each alone at 1 connection for the run's query duration, cycling through its bindings "
            "(workload.json lists them): answers per second, p50 / max latency, and the non-2xx answers.",
            "",
            "| query | " + " | ".join(c[2] for c in cols) + " |",
            "|---|" + "---|" * len(cols),
        ]
        for q in names:
            cells = []
            for t, prefix, _ in cols:
                r = runs.get((t, f"{prefix}:{q}", 1))
                if r is None:
                    cells.append("")
                    continue
                text = cell(r).replace(f"{fmt_ms(r.p99)} ms", f"{fmt_ms(r.max)} ms") if r.requests else cell(r)
                if r.non2xx or r.partial:
                    text += f" ({statuses([r])})"
                if r.error_count:
                    text += f" (errors: {errors([r])})"
                cells.append(text)
            out.append(f"| {q} | " + " | ".join(cells) + " |")
        out.append("")

    # Ratios, on 2xx answers per second.
    lines = []
    for band in ("hub", "median", "leaf"):
        rs = [
            f"{c}: {fmt_ratio(ratio(runs[('new', f'page-{band}', c)].ok_rate, runs[('rickview', f'page-{band}', c)].ok_rate))}"
            for c in conns
            if ("new", f"page-{band}", c) in runs and ("rickview", f"page-{band}", c) in runs
        ]
        if rs:
            lines.append(f"- HTML entity pages ({band}), coopgraph / RickView, by connections: " + ", ".join(rs))
    for peer in ("oxigraph", "virtuoso"):
        for kind in ("sparql-bundled", "sparql-lookup"):
            rs = [
                f"{c}: {fmt_ratio(ratio(runs[('new', kind, c)].ok_rate, runs[(peer, kind, c)].ok_rate))}"
                for c in conns
                if ("new", kind, c) in runs and (peer, kind, c) in runs
            ]
            if rs:
                lines.append(f"- {kind}, coopgraph / {SERVERS[peer]}, by connections: " + ", ".join(rs))
    if "old" in targets:
        rs = [
            f"{kind} {fmt_ratio(ratio(runs[('new', kind, 16)].ok_rate, runs[('old', kind, 16)].ok_rate))}"
            for kind, _ in KINDS
            if ("new", kind, 16) in runs and ("old", kind, 16) in runs
        ]
        if rs:
            lines.append("- new / old binary at 16 connections: " + ", ".join(rs))
    if lines:
        out += ["Ratios of 2xx answers per second (above 1: coopgraph answers more):", ""] + lines + [""]

    # The goals of issue 13, at 1M relations.
    if n == 1_000_000:
        at = 16

        def worst(kinds):
            rs = [runs.get(("new", k, at)) for k in kinds]
            rs = [r for r in rs if r is not None]
            if not rs:
                return None, "-"
            p99 = max(r.p99 for r in rs)
            bad = sum(r.non2xx + r.error_count for r in rs)
            done = sum(r.requests for r in rs)
            return rs, f"p99 {fmt_ms(p99)} ms" + (f", {bad:,} of {done:,} not 2xx or failed" if bad or not done else "")

        for kinds, label, limit in (
            (["page-hub", "page-median", "page-leaf"], "entity pages (hubs included) p99 ≤ 50 ms at 16 connections", 50),
            (["search-en", "search-zh"], "search p99 ≤ 20 ms at 16 connections", 20),
        ):
            rs, measured = worst(kinds)
            ok = None if rs is None else all(r.clean and r.p99 <= limit for r in rs)
            goals.append((label, measured, goal(ok)))
        qs = [(q, runs.get(("new", f"query:{q}", 1))) for q in names]
        qs = [(q, r) for q, r in qs if r is not None]
        if qs:
            good = [q for q, r in qs if r.clean and r.max <= 1000]
            slow = [q for q, r in qs if q not in good]
            measured = f"{len(good)} of {len(qs)} within 1 s, all 2xx"
            if slow:
                measured += "; not: " + ", ".join(slow)
            goals.append(("every bundled query ≤ 1 s, parameters bound to real entities", measured, goal(not slow)))
        soak = runs.get(("new", "soak-mix", 200))
        if soak:
            measured = f"{soak.duration} s: {soak.requests:,} answers, non-2xx {statuses([soak])}, socket errors {errors([soak])}"
            goals.append(("0 errors at 200 connections for 60 s", measured, goal(soak.clean and soak.duration >= 60)))
        for band in ("hub", "median", "leaf"):
            a, b = runs.get(("new", f"page-{band}", at)), runs.get(("rickview", f"page-{band}", at))
            if a and b:
                r = ratio(a.ok_rate, b.ok_rate)
                goals.append(
                    (
                        f"HTML pages per second ≥ RickView's ({band}, 16 connections)",
                        f"{fmt_rate(a.ok_rate)} vs {fmt_rate(b.ok_rate)}/s: {fmt_ratio(r)}",
                        goal(r is not None and r >= 1),
                    )
                )
        for peer in ("oxigraph", "virtuoso"):
            a, b = runs.get(("new", "sparql-bundled", at)), runs.get((peer, "sparql-bundled", at))
            if a and b:
                r = ratio(a.ok_rate, b.ok_rate)
                goals.append(
                    (
                        f"/sparql throughput on the bundled queries ≥ {SERVERS[peer]}'s (16 connections)",
                        f"{fmt_rate(a.ok_rate)} vs {fmt_rate(b.ok_rate)} 2xx/s: {fmt_ratio(r)}",
                        goal(r is not None and r >= 1),
                    )
                )
        s = start.get("new")
        if s:
            up = s.get("seconds", -1)
            goals.append(("start-up < 1 s", "no answer" if up == -1 else f"{up:.2f} s", goal(0 <= up < 1)))
        e = end.get("new")
        if e:
            goals.append(("serve's RSS ≤ 512 MiB", f"{e['hwm_kb'] / MIB:,.0f} MiB peak", goal(e["hwm_kb"] <= 512 * MIB)))


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    work = Path(sys.argv[1])
    sizes = [int(n) for n in sys.argv[2:]]
    out = ["# coopgraph serve: serving benchmark", ""]
    run = read(work / "run.txt").strip()
    if run:
        out += ["```", run, "```", ""]
    goals, by_size = [], {}
    for n in sizes:
        size_report(work, n, out, goals, by_size)
    # 10M against 1M: page and search latencies within 2x.
    if 1_000_000 in by_size:
        for big in sorted(k for k in by_size if k >= 10_000_000):
            for kind in ("page-hub", "page-median", "page-leaf", "search-en", "search-zh"):
                a, b = by_size[1_000_000].get(("new", kind, 16)), by_size[big].get(("new", kind, 16))
                if a and b and a.requests and b.requests:
                    r = ratio(b.p99, a.p99)
                    goals.append(
                        (
                            f"{big // 1_000_000}M: {kind} p99 within 2x of 1M (16 connections)",
                            f"{fmt_ms(b.p99)} vs {fmt_ms(a.p99)} ms: {fmt_ratio(r)}",
                            goal(r is not None and r <= 2 and b.clean),
                        )
                    )
    if goals:
        out += ["## Goals (issue 13, item 7; at 1M relations)", "", "| goal | measured | verdict |", "|---|---|---|"]
        out += [f"| {g} | {m} | {v} |" for g, m, v in goals]
        out.append("")
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
