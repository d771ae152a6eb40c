#!/usr/bin/env bash
# The bundled queries at scale: imports the shared harness's generated data
# (1M relations by default, with provenance) into a store, or takes a store,
# then runs every query of queries/*.rq with its parameters bound to a hub,
# a median and a leaf entity of the data (queries without an entity
# parameter run once, as "overview"), and prints the wall time of each run of
# `coopgraph query run` (store opening and output included), its CPU time
# (user + system: on a loaded machine the wall time says more about the other
# processes), its rows (triples for a CONSTRUCT, which runs with --format
# ntriples) and its status. With OLD_QUERIES=DIR, each run is repeated with the query text of DIR
# (and the binary OLD_COOPGRAPH, when given) and both times are printed
# side by side. A benchmark, not a test: nothing here fails on a slow query.
#
# Usage: bench/queries.sh [RELATIONS]        (default: 1000000)
#
# Environment (all optional):
#   BENCH_DIR      the shared harness, for gen.py (default: ../shared/bench beside the repo)
#   QUERIES_WORK   scratch space for the data, the store and the logs (default /tmp/kg-queries)
#   DATA           the entities.csv + relations.csv folder (default: generated into $QUERIES_WORK)
#   STORE          an existing store imported from DATA (default: imported into $QUERIES_WORK)
#   COOPGRAPH      the binary to measure (default: build this checkout, release)
#   OLD_QUERIES    a folder of older .rq files to time beside the current ones
#   OLD_COOPGRAPH  the binary that runs OLD_QUERIES (default: COOPGRAPH)
#   TIMEOUT        seconds before a query is stopped (default 60)
#   ONLY           a regular expression: run only the queries whose name matches
#   MAX_SORT_ROWS  run COOPGRAPH (not OLD_COOPGRAPH) with --max-sort-rows N, the
#                  server's bound on sorting (status "sort-bound" past it)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bench=$(realpath -m "${BENCH_DIR:-$root/../shared/bench}")
work=$(realpath -m "${QUERIES_WORK:-/tmp/kg-queries}")
relations=${1:-1000000}
timeout=${TIMEOUT:-60}
only=${ONLY:-.}
die() { printf 'error: %s\n' "$*" >&2; exit 2; }
mkdir -p "$work"

if [ -z "${COOPGRAPH:-}" ]; then
    # shellcheck source=../scripts/lib.sh
    (source "$root/scripts/lib.sh" && build_all)
    COOPGRAPH=${CARGO_TARGET_DIR:-$HOME/.cache/coopgraph/target}/release/coopgraph
fi
# Private copies: a concurrent build must not swap a binary mid-run.
cp "$COOPGRAPH" "$work/coopgraph"
cg=$work/coopgraph
old_cg=$cg
if [ -n "${OLD_COOPGRAPH:-}" ]; then
    cp "$OLD_COOPGRAPH" "$work/coopgraph-old"
    old_cg=$work/coopgraph-old
fi
if [ -n "${OLD_QUERIES:-}" ]; then
    old_queries=$(realpath "$OLD_QUERIES")
    [ -d "$old_queries" ] || die "OLD_QUERIES=$OLD_QUERIES is not a folder"
fi

data=$(realpath -m "${DATA:-$work/data-$relations}")
if [ ! -s "$data/relations.csv" ]; then
    [ -z "${DATA:-}" ] || die "no relations.csv in DATA=$DATA"
    [ -f "$bench/gen.py" ] || die "no benchmark harness at $bench (set BENCH_DIR)"
    echo "== generating $relations relations into $data"
    python3 "$bench/gen.py" --relations "$relations" --out "$data" >/dev/null
fi
store=$(realpath -m "${STORE:-$work/store-$relations}")
if [ -z "${STORE:-}" ]; then
    if [ ! -f "$work/store-$relations.done" ] || [ "$work/store-$relations.done" -ot "$data/relations.csv" ]; then
        echo "== importing $data into $store (with provenance)"
        rm -f "$work/store-$relations.done"
        /usr/bin/env time -f '   %e s, %M KiB peak RSS' "$cg" -q import "$data" --store "$store"
        touch "$work/store-$relations.done"
    fi
fi
[ -d "$store" ] || die "no store at $store"

# The entities to bind: per kind, the one with most relations (hub), the one
# in the middle of the degree order (median) and one with a single relation
# (leaf); per source document the same by relations cited. Ties go by id, so
# the same data always gives the same choice.
picks=$work/picks-$relations.tsv
if [ ! -s "$picks" ] || [ "$picks" -ot "$data/relations.csv" ]; then
    python3 - "$data" > "$picks.tmp" <<'EOF'
import csv, collections, sys
data = sys.argv[1]
kind, label = {}, {}
with open(f"{data}/entities.csv", newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        kind[row["id"]] = row["type"]
        label[row["id"]] = row["label_en"]
degree = collections.Counter({i: 0 for i in kind})
docs = collections.Counter()
first_org = {}  # an organization each entity is a member of (first row)
with open(f"{data}/relations.csv", newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        degree[row["subject"]] += 1
        degree[row["object"]] += 1
        docs[row["source"].split("#")[0]] += 1
        if row["predicate"] == "member_of":
            first_org.setdefault(row["subject"], row["object"])
def tiers(items):
    ranked = sorted(items, key=lambda x: (-x[1], x[0]))
    leaves = [x for x in ranked if x[1] == 1] or ranked[-1:]
    return {"hub": ranked[0][0], "median": ranked[len(ranked) // 2][0], "leaf": leaves[-1][0]}
for k in ("Country", "Organization", "Operation", "Treaty"):
    for tier, i in tiers([(i, d) for i, d in degree.items() if kind[i] == k]).items():
        print(k, tier, i, label[i], sep="\t")
# Members with an organization, for the two-entity queries.
for tier, i in tiers([(i, d) for i, d in degree.items() if kind[i] == "Country" and i in first_org]).items():
    print("Member", tier, i, first_org[i], sep="\t")
for tier, i in tiers(list(docs.items())).items():
    print("Source", tier, i, "", sep="\t")
EOF
    mv "$picks.tmp" "$picks"
fi
pick() { awk -F'\t' -v k="$1" -v t="$2" -v c="$3" '$1 == k && $2 == t { print $c; exit }' "$picks"; }

# The value of parameter NAME for TIER: the kind of entity each parameter of
# the library takes.
value_of() {
    local name=$1 tier=$2
    case $name in
        org) pick Organization "$tier" 3 ;;
        country | host | initiator | entity | subject) pick Country "$tier" 3 ;;
        member) pick Member "$tier" 3 ;;
        object) pick Member "$tier" 4 ;;
        operation | campaign) pick Operation "$tier" 3 ;;
        text) pick Country "$tier" 4 ;;
        source) pick Source "$tier" 3 ;;
        lang) echo zh ;;
        *) return 1 ;;
    esac
}
# Runs one query; prints "SECONDS CPU_SECONDS ROWS STATUS" (CPU: user + system
# time of the process, which a loaded machine stretches less than the wall time).
run_one() {
    local bin=$1 dir=$2 name=$3; shift 3
    local args=() p start end status rows format=tsv header=1
    for p in "$@"; do args+=(--param "$p"); done
    if [ "$bin" = "$cg" ] && [ -n "${MAX_SORT_ROWS:-}" ]; then args+=(--max-sort-rows "$MAX_SORT_ROWS"); fi
    # A CONSTRUCT query prints a graph: N-Triples, one triple a row, no header.
    if grep -qi '^[[:space:]]*CONSTRUCT' "$dir/$name.rq" 2>/dev/null; then
        format=ntriples header=0
    fi
    start=$(date +%s.%N)
    if /usr/bin/env time -f '%U %S' -o "$work/cpu.txt" \
        "$bin" -q query run "$name" --queries "$dir" --store "$store" --timeout "$timeout" \
        --format "$format" "${args[@]}" > "$work/out.tsv" 2> "$work/err.txt"; then
        status=ok
    elif grep -q 'rows to sort' "$work/err.txt"; then
        status=sort-bound
    elif grep -qi 'time' "$work/err.txt"; then
        status=timeout
    else
        status="error:$(head -c 60 "$work/err.txt" | tr -s ' \n\t' ' ')"
    fi
    end=$(date +%s.%N)
    rows=$(($(wc -l < "$work/out.tsv") - header))
    [ "$rows" -ge 0 ] || rows=0
    printf '%.3f %.2f %s %s\n' "$(echo "$end - $start" | bc -l)" \
        "$(awk '{ s = $1 + $2 } END { print s + 0 }' "$work/cpu.txt")" "$rows" "$status"
}

echo "coopgraph: $(cd "$root" && git describe --always --dirty 2>/dev/null || echo unknown), $("$cg" --version)"
echo "store:     $store ($relations relations, with provenance)"
echo "date:      $(date -u '+%Y-%m-%d %H:%M:%S UTC'), $(nproc) cores, timeout ${timeout} s"
[ -z "${MAX_SORT_ROWS:-}" ] || echo "sorts:     at most $MAX_SORT_ROWS rows (--max-sort-rows) for $COOPGRAPH"
# What every run costs besides the query: process start and store opening.
printf '# title: The floor of a run\n\nASK {}\n' > "$work/floor.rq"
echo "floor:     $(run_one "$cg" "$root/queries" "$work/floor.rq" | cut -d' ' -f1) s a run (ASK {}: process start, store opening)"
echo
header="| query | entity | parameters | rows | s | cpu s | status |"
rule="|---|---|---|---:|---:|---:|---|"
if [ -n "${OLD_QUERIES:-}" ]; then
    header="| query | entity | parameters | rows | s | cpu s | status | old rows | old s | old cpu s | old status |"
    rule="|---|---|---|---:|---:|---:|---|---:|---:|---:|---|"
fi
echo "$header"
echo "$rule"
for file in "$root"/queries/*.rq; do
    name=$(basename "$file" .rq)
    [[ $name =~ $only ]] || continue
    params=$(sed -n 's/^# param: \([a-z_]*\) .*/\1/p' "$file")
    tiers="hub median leaf"
    entity_param=0
    # Parameters that name no entity (a language, a date window) keep the
    # query's default or a fixed value: the query runs once, as "overview".
    for p in $params; do case $p in lang | since | until) ;; *) entity_param=1 ;; esac; done
    [ "$entity_param" = 1 ] || tiers=overview
    for tier in $tiers; do
        bound=()
        for p in $params; do
            case $p in since | until) continue ;; esac
            v=$(value_of "$p" "${tier/overview/hub}") || die "$name: no value for parameter $p"
            bound+=("$p=$v")
        done
        shown=$(printf '%s ' "${bound[@]}")
        read -r secs cpu rows status < <(run_one "$cg" "$root/queries" "$name" "${bound[@]}")
        line="| $name | $tier | ${shown% } | $rows | $secs | $cpu | $status |"
        if [ -n "${OLD_QUERIES:-}" ]; then
            if [ -f "$old_queries/$name.rq" ]; then
                read -r osecs ocpu orows ostatus < <(run_one "$old_cg" "$old_queries" "$name" "${bound[@]}")
                line="$line $orows | $osecs | $ocpu | $ostatus |"
            else
                line="$line | | | not in OLD_QUERIES |"
            fi
        fi
        echo "$line"
    done
done
