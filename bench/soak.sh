#!/usr/bin/env bash
# The soak (issue 19, item 5): `coopgraph serve` with its default limits
# under wrk's 200 connections for 60 s on a mixed workload (entity and
# source pages, search, /data documents, bundled queries, simple /sparql
# lookups), while beside it a slowloris crowd sends headers one byte a
# second, slow clients trickle POST bodies, and a few runaway queries (a
# sorted cross join, a chain of OPTIONALs, starred property paths) run one
# after another (bench/soak_clients.py). Prints the requests served, the
# non-2xx answers by status, p50/p99 latency, socket errors, the crowd's
# fate, and the server's RSS before, at its peak and after; then asks for a
# normal page and prints its status line and title. A benchmark, not a
# test: nothing in CI runs it.
#
# Usage: bench/soak.sh [curated] [1m]           (default: both)
#
#   curated  the store `coopgraph build` makes of this checkout's data/,
#            built into the scratch space
#   1m       a store of 1M generated relations: $STORE, served read-only
#            (never written), or else gen.py's data imported as
#            bench/serve.sh imports it
#
# Environment (all optional):
#   COOPGRAPH        the binary to measure (default: build this checkout, release)
#   STORE            the 1M-relation store to serve (read-only); its data
#                    folder (gen.py's CSV files, for the workload) is
#                    $STORE_DATA, default STORE/../data
#   BENCH_DIR        the shared harness with gen.py (default: ../shared/bench beside the repo)
#   SOAK_WORK        scratch space (default /tmp/kg-soak)
#   SOAK_SECONDS     seconds of wrk (default 60)
#   SOAK_CONNECTIONS wrk connections (default 200)
#   SOAK_SLOWLORIS   slowloris connections (default 200)
#   SOAK_SLOW_BODIES slow-body connections (default 20)
#   SOAK_RUNAWAYS    connections running runaway queries (default 3)
#   SOAK_TIMEOUT     wrk's per-request timeout in seconds (default 20)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
here=$root/bench
# shellcheck source=../scripts/lib.sh
source "$root/scripts/lib.sh" # say, die, apt_install, build_all (and cd to the root)
bench=$(realpath -m "${BENCH_DIR:-$root/../shared/bench}")
work=$(realpath -m "${SOAK_WORK:-/tmp/kg-soak}")
seconds=${SOAK_SECONDS:-60}
conns=${SOAK_CONNECTIONS:-200}
timeout=${SOAK_TIMEOUT:-20}
wrk_threads=2
base_iri=https://w3id.org/coopgraph/
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(curated 1m)

command -v wrk >/dev/null 2>&1 || apt_install wrk
command -v curl >/dev/null 2>&1 || apt_install curl
mkdir -p "$work"

if [ -z "${COOPGRAPH:-}" ]; then
    (build_all)
    COOPGRAPH=$CARGO_TARGET_DIR/release/coopgraph
fi
declare -A bin
bin[new]=$work/coopgraph
cp "$COOPGRAPH" "${bin[new]}" # a private copy: a concurrent build must not swap it mid-run

# shellcheck source=serve_lib.sh
source "$here/serve_lib.sh" # kb, run_wrk, start_serve, stop_server, wait_idle, ...
trap stop_server EXIT

# curated_mix DATA OUT: the curated store's request mix, one target a line:
# every entity's page and Turtle document, the source pages, searches of
# labels, every bundled query with its defaults, and one-entity lookups.
curated_mix() {
    python3 - "$1" "$root/queries" > "$2" <<'EOF'
import sys, tomllib, urllib.parse
from pathlib import Path
q = lambda s: urllib.parse.quote(s, safe="")
ids, labels, sources = [], [], []
for f in sorted(Path(sys.argv[1]).glob("*.toml")):
    for kind, table in tomllib.loads(f.read_text(encoding="utf-8")).items():
        for record in table if isinstance(table, list) else []:
            if not (isinstance(record, dict) and isinstance(record.get("id"), str)):
                continue
            if kind == "source":
                sources.append(record["id"])
            elif kind in ("country", "organization", "operation", "treaty"):
                ids.append(record["id"])
                label = record.get("label")
                if isinstance(label, dict):
                    labels += [v for v in label.values() if isinstance(v, str)]
lines = [f"/page/{i}" for i in ids] + [f"/data/{i}.ttl" for i in ids] + [f"/page/source/{i}" for i in sources]
lines += [f"/search?q={q(l.split()[0])}" for l in labels[::3]]
lines += [f"/queries/{p.stem}" for p in sorted(Path(sys.argv[2]).glob("*.rq"))]
lines += [f"/sparql?query={q(f'SELECT ?p ?o WHERE {{ cg:{i} ?p ?o }} LIMIT 20')}" for i in ids[::4]]
print("\n".join(lines))
EOF
}

# soak NAME STORE MIX PAGE: one soak of the server on STORE, PAGE being the
# normal page asked for at the end.
soak() {
    local name=$1 store=$2 mix=$3 page=$4 d=$work/$1
    mkdir -p "$d"
    rm -rf "$d/wrk"
    rm -f "$d/results.jsonl"
    say "=== soak: $name ($store), $(wc -l < "$mix") request targets"
    start_serve "$store" "$d/serve.log"
    local before crowd_log=$d/crowd.txt load
    before=$(kb VmRSS "$pid")
    say "  answers after $up s, RSS $((before / 1024)) MiB"
    # The crowd starts first and runs a little past wrk.
    python3 "$here/soak_clients.py" "$url" "$((seconds + 5))" --slowloris "${SOAK_SLOWLORIS:-200}" \
        --slow-bodies "${SOAK_SLOW_BODIES:-20}" --runaways "${SOAK_RUNAWAYS:-3}" > "$crowd_log" 2>&1 &
    local crowd=$!
    sleep 3
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    run_wrk "$name" new soak-mix "$mix" "$conns" "$seconds" "" text/html
    wait "$crowd" || true
    wait_idle "$pid"
    local after hwm answer
    after=$(kb VmRSS "$pid")
    hwm=$(kb VmHWM "$pid")
    answer=$(curl -s -o "$d/last-page.html" -w '%{http_code} in %{time_total} s' --max-time 30 "${url%/}$page" || echo "no answer")
    local alive=yes
    kill -0 "$pid" 2>/dev/null || alive=no
    stop_server
    python3 - "$d/results.jsonl" "$crowd_log" "$before" "$after" "$hwm" "$load" "$page" "$answer" "$d/last-page.html" "$alive" <<'EOF'
import json, re, sys
results, crowd_log, before, after, hwm, load, page, answer, html, alive = sys.argv[1:]
run = json.loads(open(results).read().splitlines()[-1])
w = run["wrk"]
crowd = {}
for line in open(crowd_log):
    if line.startswith("SOAK-JSON "):
        crowd = json.loads(line[len("SOAK-JSON "):])
mib = lambda kb: int(kb) / 1024
secs = w["duration_us"] / 1e6
ok = w["requests"] - w["non2xx"]
print(f"  load average at the start: {load}")
print(f"  wrk: {w['requests']} requests in {secs:.1f} s ({w['requests'] / secs:.1f}/s), {ok} answered 2xx")
print(f"  non-2xx by status: {json.dumps(w['statuses']) if w['statuses'] else 'none'}")
print(f"  latency p50 {w['p50_us'] / 1000:.1f} ms, p99 {w['p99_us'] / 1000:.1f} ms, max {w['max_us'] / 1000:.1f} ms")
print(f"  socket errors: connect {w['connect']}, read {w['read']}, write {w['write']}, timeout {w['timeout']}")
for kind, c in crowd.items():
    if kind == "runaways":
        print(f"  runaway queries: {sum(c['statuses'].values())} answered, by status {json.dumps(c['statuses'])}, "
              f"median wait {c['cut_after_s_median']} s, longest {c['cut_after_s_max']} s")
        continue
    print(f"  {kind}: {c['opened']} connections opened, {c['cut']} cut by the server (median after "
          f"{c['cut_after_s_median']} s, longest {c['cut_after_s_max']} s; answers before the cut "
          f"{json.dumps(c['statuses'])}), at most {c['open_max']} open at once, {c['refused']} could not connect")
print(f"  RSS: before {mib(before):.0f} MiB, peak during wrk {mib(run['rss_kb']):.0f} MiB "
      f"(high-water mark {mib(hwm):.0f} MiB), after {mib(after):.0f} MiB")
title = re.search(r"<title>(.*?)</title>", open(html, encoding="utf-8", errors="replace").read() or "", re.S)
print(f"  still answering at the end: GET {page} -> {answer}, title \"{title.group(1).strip() if title else ''}\"; "
      f"server alive: {alive}")
EOF
}

for target in "${targets[@]}"; do
    case $target in
        curated)
            d=$work/curated
            mkdir -p "$d"
            rm -rf "$d/store" "$d/out"
            say "building the curated store into $d/store"
            "${bin[new]}" -q build --store "$d/store" --out "$d/out" > "$d/build.log" 2>&1 \
                || { tail -n 5 "$d/build.log" >&2; die "coopgraph build failed: see $d/build.log"; }
            curated_mix "$root/data" "$d/mix.txt"
            soak curated "$d/store" "$d/mix.txt" /page/china ;;
        1m)
            d=$work/1m
            mkdir -p "$d"
            store=${STORE:-}
            data=${STORE_DATA:-}
            if [ -n "$store" ]; then
                data=${data:-$(dirname "$store")/data}
            else
                [ -f "$bench/gen.py" ] || die "no benchmark harness at $bench (set BENCH_DIR, or STORE)"
                data=$d/data
                grep -q '"relations": 1000000,' "$data/manifest.json" 2>/dev/null \
                    || python3 "$bench/gen.py" --relations 1000000 --out "$data" >&2
                store=$d/store
                [ -f "$store/coopgraph/stats.json" ] || {
                    rm -rf "$store"
                    say "importing 1M relations into $store"
                    "${bin[new]}" -q import "$data" --store "$store" >&2
                }
            fi
            # Seeded: the same data gives the same files, so an earlier run's are kept.
            [ -f "$d/workload/workload.json" ] && [ "$d/workload/workload.json" -nt "$data/relations.csv" ] \
                || python3 "$here/serve_workload.py" "$data" "$root/queries" "$d/workload" --base "$base_iri"
            w=$d/workload
            { cat "$w"/page-*.txt "$w/source.txt" "$w"/search-*.txt "$w/data-ttl.txt" "$w/query.txt"
              sed 's|^|/sparql?|' "$w/sparql-lookup.txt"; } > "$d/mix.txt"
            soak 1m "$store" "$d/mix.txt" "$(head -n 1 "$w/page-hub.txt")" ;;
        *) die "unknown soak \"$target\" (curated, 1m)" ;;
    esac
done
