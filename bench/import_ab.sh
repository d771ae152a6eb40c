#!/usr/bin/env bash
# Two builds of `coopgraph import` side by side on the same tables, in one
# run, and Oxigraph's own loader on the same N-Quads: what a change to the
# import path costs (ARCHITECTURE.md: the import's data flow).
#
# Usage: COOPGRAPH_OLD=path/to/old COOPGRAPH=path/to/new bench/import_ab.sh DATA [RUNS]
#
#   DATA          a folder of entities.csv and relations.csv (for instance the
#                 shared harness's gen.py output, as bench/run.sh makes it)
#   RUNS          runs of each contender and path (default 5), old and new
#                 taking turns, the first of each pair alternating
# Environment (all optional):
#   COOPGRAPH     the new binary (default: this checkout's release build)
#   COOPGRAPH_OLD the old binary (required)
#   OXIGRAPH      oxigraph-cli's binary for its `load` (default: the one
#                 bench/serve.sh builds, ~/.cache/coopgraph/peers/oxigraph/bin/oxigraph;
#                 skipped when absent)
#   BENCH_WORK    scratch space (default /tmp/kg-import-ab; about 4 GB at 1M relations)
#   BENCH_PATHS   which paths to time (default "nt store"; the store path takes
#                 minutes a run at 1M relations on 2 busy cores)
#
# Paths timed: N-Triples without provenance (`-o out.nt --no-provenance`,
# the harness's canonical mapping), and the store with provenance
# (`--store`, the full mapping: 15.8M quads at 1M relations). Then
# `oxigraph load` of the N-Quads of the full mapping into a fresh store.
# Prints wall time (median), peak RSS (median) and new/old speed ratios.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
data=$(realpath "${1:?usage: COOPGRAPH_OLD=old COOPGRAPH=new bench/import_ab.sh DATA [RUNS]}")
runs=${2:-5}
work=$(realpath -m "${BENCH_WORK:-/tmp/kg-import-ab}")
new=${COOPGRAPH:-${CARGO_TARGET_DIR:-$HOME/.cache/coopgraph/target}/release/coopgraph}
old=${COOPGRAPH_OLD:?set COOPGRAPH_OLD to the binary to compare with}
oxigraph=${OXIGRAPH:-$HOME/.cache/coopgraph/peers/oxigraph/bin/oxigraph}
paths=${BENCH_PATHS:-nt store}

die() { printf 'error: %s\n' "$*" >&2; exit 2; }
[ -x /usr/bin/time ] || die "needs GNU time at /usr/bin/time (apt-get install time)"
[ -f "$data/entities.csv" ] && [ -f "$data/relations.csv" ] || die "no entities.csv and relations.csv in $data"
mkdir -p "$work"
# Private copies: a concurrent build must not swap a binary mid-run.
cp "$new" "$work/new"
cp "$old" "$work/old"
ns=(--base https://example.org/kg/ --vocab https://example.org/kg/ontology#)

# run NAME PATH: one timed import; appends "seconds kib" to $work/NAME-PATH.txt.
run() {
    local who=$1 path=$2
    rm -rf "$work/out.nt" "$work/store" "$work/.store.lock"
    local args
    case $path in
        nt) args=(import "$data" --no-provenance -o "$work/out.nt") ;;
        store) args=(import "$data" --store "$work/store") ;;
    esac
    /usr/bin/time -f '%e %M' -o "$work/time.txt" "$work/$who" -q "${ns[@]}" "${args[@]}" > "$work/log-$who-$path.txt" 2>&1 \
        || die "$who $path failed: see $work/log-$who-$path.txt"
    cat "$work/time.txt" >> "$work/$who-$path.txt"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

rm -f "$work"/{old,new}-{nt,store}.txt "$work/oxigraph-load.txt"
for path in $paths; do
    for i in $(seq 1 "$runs"); do
        if [ $((i % 2)) -eq 1 ]; then run old "$path"; run new "$path"; else run new "$path"; run old "$path"; fi
    done
done
rm -rf "$work/out.nt" "$work/store"

{
    echo "data:      $data ($(($(wc -l < "$data/relations.csv") - 1)) relations)"
    echo "old:       $old ($("$work/old" --version))"
    echo "new:       $new ($("$work/new" --version))"
    echo "machine:   $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
    echo
    echo "| path | old (s) | new (s) | new speed / old | old peak RSS (MiB) | new peak RSS (MiB) |"
    echo "|---|---|---|---|---|---|"
    for path in $paths; do
        o=$(cut -d' ' -f1 "$work/old-$path.txt" | median)
        n=$(cut -d' ' -f1 "$work/new-$path.txt" | median)
        om=$(cut -d' ' -f2 "$work/old-$path.txt" | median)
        nm=$(cut -d' ' -f2 "$work/new-$path.txt" | median)
        label=$([ "$path" = nt ] && echo "N-Triples, --no-provenance" || echo "--store, with provenance")
        awk -v l="$label" -v o="$o" -v n="$n" -v om="$om" -v nm="$nm" -v r="$runs" \
            'BEGIN { printf "| %s (median of %d) | %.2f | %.2f | %.2fx | %.0f | %.0f |\n", l, r, o, n, o / n, om / 1024, nm / 1024 }'
    done
} > "$work/summary.md"

if [ -x "$oxigraph" ] && [ -s "$work/new-store.txt" ]; then
    # The same quads as the store's, as N-Quads, loaded by Oxigraph's own
    # bulk loader, against `import --store` of the new binary.
    "$work/new" -q "${ns[@]}" import "$data" -o "$work/full.nq" > /dev/null
    for i in $(seq 1 "$runs"); do
        rm -rf "$work/oxstore"
        /usr/bin/time -f '%e %M' -o "$work/time.txt" "$oxigraph" load --location "$work/oxstore" --file "$work/full.nq" \
            > "$work/log-oxigraph.txt" 2>&1 || die "oxigraph load failed: see $work/log-oxigraph.txt"
        cat "$work/time.txt" >> "$work/oxigraph-load.txt"
    done
    rm -rf "$work/oxstore" "$work/full.nq"
    x=$(cut -d' ' -f1 "$work/oxigraph-load.txt" | median)
    xm=$(cut -d' ' -f2 "$work/oxigraph-load.txt" | median)
    n=$(cut -d' ' -f1 "$work/new-store.txt" | median)
    nm=$(cut -d' ' -f2 "$work/new-store.txt" | median)
    {
        echo
        echo "| the same quads into a store | wall (s) | peak RSS (MiB) |"
        echo "|---|---|---|"
        awk -v s="$n" -v m="$nm" 'BEGIN { printf "| coopgraph import --store (new, from the CSV tables) | %.2f | %.0f |\n", s, m / 1024 }'
        awk -v s="$x" -v m="$xm" -v v="$("$oxigraph" --version)" \
            'BEGIN { printf "| %s load (from their N-Quads) | %.2f | %.0f |\n", v, s, m / 1024 }'
        awk -v n="$n" -v x="$x" 'BEGIN { printf "\ncoopgraph takes %.2fx the time of Oxigraph'"'"'s loader\n", n / x }'
    } >> "$work/summary.md"
fi
cat "$work/summary.md"
