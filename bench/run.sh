#!/usr/bin/env bash
# The scale benchmark of `coopgraph import`: generates 100k, 1M and 10M
# relations with the shared harness, runs coopgraph beside its peers on the
# same files (N-Triples path), then compares the store path with Oxigraph's
# own bulk loader on the equivalent N-Triples file, and prints wall time,
# peak RSS, triples per second and the ratios the scale issue asks for.
#
# Usage: bench/run.sh [RELATIONS...]        (default: 100000 1000000 10000000)
#
# Environment (all optional):
#   BENCH_DIR    the shared harness (default: ../shared/bench beside the repo)
#   BENCH_VENV   its Python venvs, made by its setup.sh (default /tmp/kg-bench-venv)
#   BENCH_WORK   scratch space for data, outputs, stores, logs (default /tmp/kg-bench;
#                10M relations need about 8 GB while it runs)
#   COOPGRAPH    the binary to measure (default: build this checkout, release)
#   BENCH_PEERS  peers of run_peers.sh run beside ours (default: "naive
#                pyoxigraph-stream morphkgc" up to 1M relations, "naive
#                pyoxigraph-stream" above). By default pyoxigraph-stream runs
#                first, right after gen.py: the kernel is still writing the
#                freshly generated CSV files back to disk then, which slows
#                whichever contender comes first, and pyoxigraph-stream is
#                in none of the goals. coopgraph, the naive floor and
#                Morph-KGC then run in that order.
#   BENCH_STORE  0 skips the store comparison (default 1)
#   BENCH_OUT    where the summary goes as well as stdout (default $BENCH_WORK/summary.md)
# One run per contender and size, as run_peers.sh does; only ratios within
# one run mean much on a shared machine.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bench=$(realpath -m "${BENCH_DIR:-$root/../shared/bench}")
venv=$(realpath -m "${BENCH_VENV:-/tmp/kg-bench-venv}")
work=$(realpath -m "${BENCH_WORK:-/tmp/kg-bench}")
out=${BENCH_OUT:-$work/summary.md}
store=${BENCH_STORE:-1}
py=$venv/peers/bin/python
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000 10000000)

die() { printf 'error: %s\n' "$*" >&2; exit 2; }
[ -f "$bench/run_peers.sh" ] || die "no benchmark harness at $bench (set BENCH_DIR)"
[ -x /usr/bin/time ] || die "needs GNU time at /usr/bin/time (apt-get install time)"
[ -x "$py" ] || die "no venv at $venv: run BENCH_VENV=$venv bash $bench/setup.sh"
mkdir -p "$work"

if [ -z "${COOPGRAPH:-}" ]; then
    # shellcheck source=../scripts/lib.sh
    (source "$root/scripts/lib.sh" && build_all)
    COOPGRAPH=${CARGO_TARGET_DIR:-$HOME/.cache/coopgraph/target}/release/coopgraph
fi
# A private copy: a concurrent build must not swap the binary mid-run.
cp "$COOPGRAPH" "$work/coopgraph"
cg=$work/coopgraph
ns="--base https://example.org/kg/ --vocab https://example.org/kg/ontology#"
{
    echo "coopgraph: $(cd "$root" && git describe --always --dirty 2>/dev/null || echo unknown), $("$cg" --version 2>/dev/null || true)"
    echo "command:   bench/run.sh ${sizes[*]}"
} > "$work/run.txt"

for n in "${sizes[@]}"; do
    if [ -n "${BENCH_PEERS:-}" ]; then
        order="custom $BENCH_PEERS"
    elif [ "$n" -le 1000000 ]; then
        order="pyoxigraph-stream custom naive morphkgc"
    else
        order="pyoxigraph-stream custom naive"
    fi
    echo "=== $n relations, in this order: $order"
    BENCH_CUSTOM_CMD="$cg -q $ns import {data} --no-provenance -o {out}" \
    BENCH_CUSTOM_DESC="coopgraph import --no-provenance, N-Triples (release build)" \
    BENCH_PEERS="$order" BENCH_VENV="$venv" BENCH_WORK="$work" \
    BENCH_RESULTS="$work/$n/results-peers.md" BENCH_KEEP=1 \
        bash "$bench/run_peers.sh" "$n"
    d=$work/$n
    rm -f "$d"/time-store-* "$d"/count-store-* "$d"/log-store-*
    if [ "$store" = 1 ]; then
        [ -s "$d/out-custom.nt" ] || die "no N-Triples output of coopgraph at $d/out-custom.nt"
        for who in coopgraph oxigraph; do
            rm -rf "$d/store-$who"
            echo "== store: $who"
            if [ "$who" = coopgraph ]; then
                cmd=("$cg" -q $ns import "$d/data" --no-provenance --store "$d/store-$who")
            else
                cmd=("$py" "$root/bench/oxigraph_store.py" load "$d/out-custom.nt" "$d/store-$who")
            fi
            /usr/bin/time -v -o "$d/time-store-$who.txt" "${cmd[@]}" > "$d/log-store-$who.txt" 2>&1 \
                || echo "failed: see $d/log-store-$who.txt"
            grep -E 'Elapsed|Maximum resident' "$d/time-store-$who.txt" | sed 's/^\s*/   /'
            "$py" "$root/bench/oxigraph_store.py" count "$d/store-$who" > "$d/count-store-$who.txt" 2>&1 || true
            echo "   quads in the store: $(cat "$d/count-store-$who.txt")"
            rm -rf "$d/store-$who"
        done
    fi
    rm -f "$d"/out-*.nt
done

"$py" "$root/bench/report.py" "$work" "${sizes[@]}" | tee "$out"
