#!/usr/bin/env bash
# The curated path's growth: `validate` (SHACL included) and `build --memory`
# of data folders with 25k, 50k and 100k relations of the shared benchmark
# (gen.py's entities.csv and relations.csv, which the curated loader reads as
# they are, plus a sources.toml declaring the 1,000 documents doc-000 to
# doc-999 their source cells cite). Prints the wall time of each run and the
# ratio of the largest size to the smallest; the goal is under 4x for 4x
# the relations.
#
# Usage: bench/curated.sh [RELATIONS...]      (default: 25000 50000 100000)
#
# Environment (all optional):
#   BENCH_DIR   the shared harness holding gen.py (default: ../shared/bench beside the repo)
#   BENCH_WORK  scratch space (default /tmp/coopgraph-curated)
#   COOPGRAPH   the binary to measure (default: build this checkout, release)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bench=$(realpath -m "${BENCH_DIR:-$root/../shared/bench}")
work=$(realpath -m "${BENCH_WORK:-/tmp/coopgraph-curated}")
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(25000 50000 100000)

die() { printf 'error: %s\n' "$*" >&2; exit 2; }
[ -f "$bench/gen.py" ] || die "no gen.py at $bench (set BENCH_DIR)"
mkdir -p "$work"
if [ -z "${COOPGRAPH:-}" ]; then
    # shellcheck source=../scripts/lib.sh
    (source "$root/scripts/lib.sh" && build_all)
    COOPGRAPH=${CARGO_TARGET_DIR:-$HOME/.cache/coopgraph/target}/release/coopgraph
fi
# A private copy: a concurrent build must not swap the binary mid-run.
cp "$COOPGRAPH" "$work/coopgraph"
cg=$work/coopgraph

seconds() { # COMMAND... -> wall seconds on stdout; the command's output goes to a log
    local start end
    start=$(date +%s.%N)
    "$@" > "$work/last.log" 2>&1 || { cat "$work/last.log" >&2; die "failed: $*"; }
    end=$(date +%s.%N)
    python3 -c "print(f'{$end - $start:.2f}')"
}

printf '%-10s %12s %14s\n' relations validate_s build_memory_s
declare -A validate build
for n in "${sizes[@]}"; do
    data=$work/data-$n
    if [ ! -f "$data/sources.toml" ]; then
        python3 "$bench/gen.py" --relations "$n" --out "$data" > /dev/null
        rm -f "$data/manifest.json"
        for i in $(seq 0 999); do
            printf '[[source]]\nid = "doc-%03d"\ntitle = "Benchmark document %d"\n\n' "$i" "$i"
        done > "$data/sources.toml"
    fi
    validate[$n]=$(seconds "$cg" --data "$data" validate)
    build[$n]=$(seconds "$cg" --data "$data" build --memory --out "$work/out-$n")
    printf '%-10s %12s %14s\n' "$n" "${validate[$n]}" "${build[$n]}"
done
first=${sizes[0]}
last=${sizes[${#sizes[@]}-1]}
ratio() { python3 -c "print(f'{$1 / max($2, 0.01):.2f}')"; }
echo "ratio $last/$first: validate $(ratio "${validate[$last]}" "${validate[$first]}")x, build --memory $(ratio "${build[$last]}" "${build[$first]}")x"
