#!/usr/bin/env bash
# The serving benchmark (issue 13): imports the shared harness's generated
# data with provenance, starts `coopgraph serve` on it, drives it with wrk
# at several connection counts, one run per request kind, and runs the
# peers on the same data in the same run: RickView (HTML resource pages),
# Oxigraph's own server and Virtuoso (/sparql with the bundled queries'
# text). Prints requests/s, p50/p99 latency, non-2xx answers, socket errors
# and the server's peak RSS per kind, start-up times, ratios and the goals.
# A benchmark, not a test: nothing in CI runs it.
#
# Usage: bench/serve.sh [RELATIONS...]        (default: 100000 1000000)
#
# Environment (all optional):
#   COOPGRAPH       the binary to measure (default: build this checkout, release)
#   COOPGRAPH_OLD   an older binary, run beside it on its own store ("old")
#   BENCH_DIR       the shared harness (default: ../shared/bench beside the repo)
#   BENCH_WORK      scratch space (default /tmp/kg-serve; 1M relations need
#                   about 12 GB: data, stores, N-Quads and N-Triples, Virtuoso)
#   BENCH_OUT       where the summary goes as well as stdout (default $BENCH_WORK/summary.md)
#   SERVE_REUSE     1: keep the stores and files of an earlier run of the same size
#   SERVE_SHARED_STORE  1: the old binary serves the new one's store (no second import)
#   SERVE_PEERS     peers to run (default "rickview oxigraph virtuoso"; "" for none)
#   SERVE_PEERS_DIR where the peers are installed once per machine
#                   (default ~/.cache/coopgraph/peers)
#   SERVE_CONNECTIONS  wrk connection counts (default "1 16 64 200")
#   SERVE_DURATION     seconds per wrk run (default 3)
#   SERVE_QUERY_DURATION  seconds per bundled query, alone at 1 connection (default 2; 0 skips)
#   SERVE_SOAK         seconds of the mixed run at 200 connections (default 60; 0 skips)
#   SERVE_TIMEOUT      wrk's per-request timeout in seconds (default 20, above
#                      the server's own 10 s query timeout, so that its 503s
#                      are counted as answers, not as socket timeouts)
#   SERVE_THREADS      wrk threads (default 2, at most the connections)
# Only ratios within one run mean much on a shared machine.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
here=$root/bench
# shellcheck source=../scripts/lib.sh
source "$root/scripts/lib.sh" # say, die, apt_install, build_all (and cd to the root)
bench=$(realpath -m "${BENCH_DIR:-$root/../shared/bench}")
work=$(realpath -m "${BENCH_WORK:-/tmp/kg-serve}")
out=${BENCH_OUT:-$work/summary.md}
peers_dir=${SERVE_PEERS_DIR:-$HOME/.cache/coopgraph/peers}
peers=${SERVE_PEERS-rickview oxigraph virtuoso}
conns=${SERVE_CONNECTIONS:-1 16 64 200}
duration=${SERVE_DURATION:-3}
query_duration=${SERVE_QUERY_DURATION:-2}
soak=${SERVE_SOAK:-60}
timeout=${SERVE_TIMEOUT:-20}
wrk_threads=${SERVE_THREADS:-2}
base_iri=https://w3id.org/coopgraph/
sparql_accept='application/sparql-results+json,application/n-triples;q=0.9'
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)

[ -f "$bench/gen.py" ] || die "no benchmark harness at $bench (set BENCH_DIR)"
command -v wrk >/dev/null 2>&1 || apt_install wrk
command -v curl >/dev/null 2>&1 || apt_install curl
[ -x /usr/bin/time ] || apt_install time
mkdir -p "$work" "$peers_dir"

# ---- the binaries -----------------------------------------------------------

if [ -z "${COOPGRAPH:-}" ]; then
    (build_all)
    COOPGRAPH=$CARGO_TARGET_DIR/release/coopgraph
fi
# Private copies: a concurrent build must not swap a binary mid-run.
declare -A bin
bin[new]=$work/coopgraph
cp "$COOPGRAPH" "${bin[new]}"
targets=(new)
if [ -n "${COOPGRAPH_OLD:-}" ]; then
    bin[old]=$work/coopgraph-old
    cp "$COOPGRAPH_OLD" "${bin[old]}"
    targets+=(old)
fi

# Peers, built or installed once per machine outside the clone.
rickview=$peers_dir/rickview/bin/rickview
oxigraph=$peers_dir/oxigraph/bin/oxigraph
for peer in $peers; do
    case $peer in
        rickview)
            if [ ! -x "$rickview" ]; then
                say "installing RickView 0.5 into $peers_dir/rickview (once per machine)"
                CARGO_TARGET_DIR=$peers_dir/rickview-target nice -n 5 \
                    cargo install rickview --version '^0.5' --locked --root "$peers_dir/rickview" >&2
            fi ;;
        oxigraph)
            if [ ! -x "$oxigraph" ]; then
                say "building oxigraph-cli 0.5.13 into $peers_dir/oxigraph (once per machine; RocksDB: about 25 minutes)"
                CARGO_TARGET_DIR=$peers_dir/oxigraph-target nice -n 5 \
                    cargo install oxigraph-cli --version 0.5.13 --locked --root "$peers_dir/oxigraph" >&2
            fi ;;
        virtuoso)
            ensure_virtuoso ;;
        *) die "unknown peer \"$peer\" in SERVE_PEERS (rickview, oxigraph, virtuoso)" ;;
    esac
done
targets+=($peers)

{
    echo "coopgraph: $(cd "$root" && git describe --always --dirty 2>/dev/null || echo unknown) (checkout), $("${bin[new]}" --version 2>/dev/null || true), sha256 $(sha256sum "${bin[new]}" | cut -c1-12)"
    [ -n "${bin[old]:-}" ] && echo "old:       $("${bin[old]}" --version 2>/dev/null || true), sha256 $(sha256sum "${bin[old]}" | cut -c1-12) ($COOPGRAPH_OLD)"
    echo "command:   bench/serve.sh ${sizes[*]}"
    echo "date:      $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "cpu:       $(nproc) cores available, load average $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "memory:    $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
    echo "wrk:       $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2), $wrk_threads threads, connections $conns, ${duration} s per run, ${query_duration} s per bundled query, soak ${soak} s, timeout ${timeout} s"
    for peer in $peers; do
        case $peer in
            rickview) echo "rickview:  $(grep -o '"rickview [^ ]*' "$peers_dir/rickview/.crates.toml" | tr -d '"')" ;;
            oxigraph) echo "oxigraph:  $(grep -o '"oxigraph-cli [^ ]*' "$peers_dir/oxigraph/.crates.toml" | tr -d '"')" ;;
            virtuoso) echo "virtuoso:  $(dpkg-query -W -f='${Version}' virtuoso-opensource 2>/dev/null)" ;;
        esac
    done
} > "$work/run.txt"
cat "$work/run.txt" >&2

# shellcheck source=serve_lib.sh
source "$here/serve_lib.sh" # free_port, kb, run_wrk, start_coopgraph, stop_server, ...
trap stop_server EXIT

# ---- the servers ------------------------------------------------------------

start_rickview() {
    local n=$1 d=$work/$1 port hub
    port=$(free_port)
    mkdir -p "$d/rickview-run"
    hub=$(head -n 1 "$d/workload/rickview-page-hub.txt")
    started_at=$(now)
    # RickView loads its file on the first request that needs the graph, so
    # start-up is measured to the first entity page.
    (cd "$d/rickview-run" && RICKVIEW_KB_FILE="$d/all.nt" RICKVIEW_NAMESPACE=$base_iri RICKVIEW_PORT=$port \
        RICKVIEW_BASE="" RICKVIEW_TITLE=coopgraph RICKVIEW_LOG_LEVEL=warn exec "$rickview") > "$d/serve-rickview.log" 2>&1 &
    pid=$!
    url=http://127.0.0.1:$port/
    wait_answer "http://127.0.0.1:$port$hub" 1800
}

start_oxigraph() {
    local n=$1 d=$work/$1 port
    port=$(free_port)
    rm -rf "$d/store-oxigraph"
    cp -a "$d/store-new" "$d/store-oxigraph"
    started_at=$(now)
    # The same 10 s limit per query as coopgraph serve's default.
    "$oxigraph" serve-read-only --location "$d/store-oxigraph" --bind "127.0.0.1:$port" --timeout-s 10 \
        > "$d/serve-oxigraph.log" 2>&1 &
    pid=$!
    url=http://127.0.0.1:$port/
    wait_answer "${url}query?query=ASK%7B%7D" 600
}

# A private Virtuoso as tests/independent/publish_virtuoso.sh starts it,
# with the buffers of the packaged ini's 2 GB line, the data folder allowed
# for the bulk loader, no cap on result rows (the packaged 10,000 would cut
# answers that the other servers give whole), and queries cut at 10 s like
# the others' (Virtuoso then answers 200 with what it has, and an
# X-SQL-State header, counted as partial).
start_virtuoso() {
    local n=$1 d=$work/$1 db=$work/$1/virtuoso sql_port http_port
    sql_port=$(free_port)
    http_port=$(free_port)
    rm -rf "$db"
    mkdir -p "$db"
    awk -v dir="$db" -v data="$d/virtuoso-load" -v sqlport="$sql_port" -v httpport="$http_port" '
    /^\[/ { section = $0 }
    function key() { k = $0; sub(/[ \t]*=.*/, "", k); return k }
    section == "[Database]" && /^(DatabaseFile|ErrorLogFile|LockFile|TransactionFile|xa_persistent_file)[ \t]*=/ {
        ext["DatabaseFile"] = "db"; ext["ErrorLogFile"] = "log"; ext["LockFile"] = "lck"
        ext["TransactionFile"] = "trx"; ext["xa_persistent_file"] = "pxa"
        k = key(); print k " = " dir "/virtuoso." ext[k]; next
    }
    section == "[TempDatabase]" && /^(DatabaseFile|TransactionFile)[ \t]*=/ {
        k = key(); print k " = " dir "/virtuoso-temp." (k == "DatabaseFile" ? "db" : "trx"); next
    }
    section == "[Parameters]" && /^ServerPort[ \t]*=/ { print "ServerPort = 127.0.0.1:" sqlport; next }
    section == "[Parameters]" && /^DirsAllowed[ \t]*=/ { print "DirsAllowed = ., /usr/share/virtuoso-opensource-7/vad, " data; next }
    section == "[Parameters]" && /^NumberOfBuffers[ \t]*=/ { print "NumberOfBuffers = 170000"; next }
    section == "[Parameters]" && /^MaxDirtyBuffers[ \t]*=/ { print "MaxDirtyBuffers = 130000"; next }
    section == "[HTTPServer]" && /^ServerPort[ \t]*=/ { print "ServerPort = 127.0.0.1:" httpport; next }
    section == "[SPARQL]" && /^ResultSetMaxRows[ \t]*=/ { print "ResultSetMaxRows = 10000000"; next }
    section == "[SPARQL]" && /^MaxQueryExecutionTime[ \t]*=/ { print "MaxQueryExecutionTime = 10"; next }
    { print }
    ' /etc/virtuoso-opensource-7/virtuoso.ini > "$db/virtuoso.ini"
    started_at=$(now)
    (cd "$db" && virtuoso-t -c virtuoso.ini +wait) > "$db/start.log" 2>&1 \
        || { cat "$db/start.log" >&2; die "virtuoso-t did not start"; }
    pid=$(sed -n 's/^VIRT_PID=//p' "$db/virtuoso.lck")
    url=http://127.0.0.1:$http_port/
    wait_answer "${url}sparql?query=ASK%7B%7D" 600
    [ "$up" != -1 ] || die "Virtuoso did not answer on ${url}sparql"
    # The same N-Quads, by Virtuoso's own bulk loader.
    local t0 load_s
    t0=$(now)
    isql-vt "$sql_port" dba dba \
        exec="ld_dir('$d/virtuoso-load', 'all.nq', 'urn:coopgraph:unnamed'); rdf_loader_run(); checkpoint;" \
        > "$db/load.log" 2>&1 || { tail -n 5 "$db/load.log" >&2; die "Virtuoso's bulk loader failed"; }
    load_s=$(since "$t0")
    local quads
    quads=$(isql-vt "$sql_port" dba dba exec="SPARQL SELECT COUNT(*) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), '$base_iri')) };" 2>/dev/null \
        | awk '/^[0-9]+[ \t]*$/ {print $1; exit}')
    json_record "$d/servers.jsonl" target=virtuoso event=load \
        seconds="$load_s" \
        quads="${quads:-0}" hwm_kb="$(kb VmHWM "$pid")"
}

# ---- one size -----------------------------------------------------------------

# timed N WHAT COMMAND...: runs under GNU time, records wall time and peak RSS.
timed() {
    local n=$1 what=$2 d=$work/$1
    shift 2
    /usr/bin/time -v -o "$d/time-$what.txt" "$@" > "$d/log-$what.txt" 2>&1 \
        || { tail -n 5 "$d/log-$what.txt" >&2; die "$what failed: see $d/log-$what.txt"; }
    local wall rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$d/time-$what.txt")
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$d/time-$what.txt")
    json_record "$d/servers.jsonl" target="$what" event=prepare seconds="$wall" hwm_kb="$rss"
    say "  $what: ${wall} s, peak RSS $((rss / 1024)) MiB"
}

bench_size() {
    local n=$1 d=$work/$1
    mkdir -p "$d"
    rm -rf "$d/wrk"
    rm -f "$d/results.jsonl" "$d/servers.jsonl"
    say "=== $n relations"
    if ! grep -q "\"relations\": $n," "$d/data/manifest.json" 2>/dev/null; then
        rm -rf "$d/data"
        python3 "$bench/gen.py" --relations "$n" --out "$d/data" >&2
    fi
    # Each binary imports its own store (a newer one may write more beside
    # it); the peers get the new binary's quads.
    # SERVE_REUSE=1 keeps the stores and files of an earlier run of the same
    # size (a store counts when its statistics were written); SERVE_SHARED_STORE=1
    # has the old binary serve the new one's store (same layout; the servers
    # never run at once).
    for which in "${!bin[@]}"; do
        if [ "$which" = old ] && [ "${SERVE_SHARED_STORE:-0}" = 1 ]; then
            continue
        fi
        if [ "${SERVE_REUSE:-0}" = 1 ] && [ -f "$d/store-$which/coopgraph/stats.json" ]; then
            say "  import-store-$which: kept from an earlier run (SERVE_REUSE=1)"
            continue
        fi
        rm -rf "$d/store-$which"
        timed "$n" "import-store-$which" "${bin[$which]}" -q import "$d/data" --store "$d/store-$which"
    done
    if [ -n "${bin[old]:-}" ] && [ "${SERVE_SHARED_STORE:-0}" = 1 ]; then
        rm -rf "$d/store-old"
        ln -s "$d/store-new" "$d/store-old"
    fi
    if [ "${SERVE_REUSE:-0}" != 1 ]; then
        rm -rf "$d/virtuoso-load" "$d/all.nt"
    fi
    mkdir -p "$d/virtuoso-load"
    case " $peers " in *" virtuoso "*)
        [ -s "$d/virtuoso-load/all.nq" ] ||
            timed "$n" import-nq "${bin[new]}" -q import "$d/data" -o "$d/virtuoso-load/all.nq" ;;
    esac
    case " $peers " in *" rickview "*)
        [ -s "$d/all.nt" ] || timed "$n" import-nt "${bin[new]}" -q import "$d/data" -o "$d/all.nt" ;;
    esac
    python3 "$here/serve_workload.py" "$d/data" "$root/queries" "$d/workload" --base "$base_iri"
    local w=$d/workload
    local main_kinds="page-hub page-median page-leaf source search-en search-zh data-ttl query"
    local names
    names=$(cd "$root/queries" && ls -- *.rq | sed 's/\.rq$//')

    for target in "${targets[@]}"; do
        say "== $target"
        case $target in
            new | old) start_coopgraph "$n" "$target" ;;
            rickview) start_rickview "$n" ;;
            oxigraph) start_oxigraph "$n" ;;
            virtuoso) start_virtuoso "$n" ;;
        esac
        say "  answers after $up s, RSS $(($(kb VmRSS "$pid") / 1024)) MiB"
        json_record "$d/servers.jsonl" target="$target" event=start seconds="$up" rss_kb="$(kb VmRSS "$pid")"
        case $target in
            new | old)
                for c in $conns; do
                    for kind in $main_kinds; do
                        run_wrk "$n" "$target" "$kind" "$w/$kind.txt" "$c" "$duration" "" \
                            "$([ "$kind" = query ] && echo "$sparql_accept" || echo text/html)"
                    done
                    run_wrk "$n" "$target" sparql-bundled "$w/sparql-bundled.txt" "$c" "$duration" /sparql "$sparql_accept"
                    run_wrk "$n" "$target" sparql-lookup "$w/sparql-lookup.txt" "$c" "$duration" /sparql "$sparql_accept"
                done
                [ "$query_duration" -gt 0 ] && for q in $names; do
                    run_wrk "$n" "$target" "query:$q" "$w/query-$q.txt" 1 "$query_duration" "" "$sparql_accept"
                    run_wrk "$n" "$target" "sparql:$q" "$w/sparql-$q.txt" 1 "$query_duration" /sparql "$sparql_accept"
                done
                if [ "$soak" -gt 0 ]; then
                    cat "$w"/page-*.txt "$w/source.txt" "$w"/search-*.txt "$w/data-ttl.txt" "$w/query.txt" > "$w/mix.txt"
                    run_wrk "$n" "$target" soak-mix "$w/mix.txt" 200 "$soak" "" text/html
                fi ;;
            rickview)
                for c in $conns; do
                    for band in hub median leaf; do
                        run_wrk "$n" rickview "page-$band" "$w/rickview-page-$band.txt" "$c" "$duration" "" text/html
                    done
                done ;;
            oxigraph | virtuoso)
                local path=/sparql
                [ "$target" = oxigraph ] && path=/query
                for c in $conns; do
                    run_wrk "$n" "$target" sparql-bundled "$w/sparql-bundled.txt" "$c" "$duration" "$path" "$sparql_accept"
                    run_wrk "$n" "$target" sparql-lookup "$w/sparql-lookup.txt" "$c" "$duration" "$path" "$sparql_accept"
                done
                [ "$query_duration" -gt 0 ] && for q in $names; do
                    run_wrk "$n" "$target" "sparql:$q" "$w/sparql-$q.txt" 1 "$query_duration" "$path" "$sparql_accept"
                done ;;
        esac
        json_record "$d/servers.jsonl" target="$target" event=end hwm_kb="$(kb VmHWM "$pid")"
        stop_server
        [ "$target" = oxigraph ] && rm -rf "$d/store-oxigraph"
        [ "$target" = virtuoso ] && rm -rf "$d/virtuoso"
    done
    rm -rf "$d/virtuoso-load" "$d/all.nt"
}

for n in "${sizes[@]}"; do
    bench_size "$n"
done
python3 "$here/serve_report.py" "$work" "${sizes[@]}" | tee "$out"
