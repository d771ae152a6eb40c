#!/usr/bin/env bash
# One fuzzing campaign of one target, with that target's flags, on a copy of
# its corpus; then the copy and the committed corpus merged down (-merge=1,
# what `cargo fuzz cmin` does) into fuzz/corpus/TARGET/: the inputs that give
# distinct coverage. The target must be built first:
#   cargo +nightly fuzz build -s none TARGET
# Usage (from anywhere): fuzz/campaign.sh TARGET [RUNS [SECONDS]]
#   RUNS     executions to stop at (default 10000000)
#   SECONDS  time to stop at (default 0: none)
# The binary is the one cargo fuzz builds, under $CARGO_TARGET_DIR (or
# fuzz/target). An interrupted run (Ctrl-C) is merged like a finished one;
# a crash is saved in fuzz/artifacts/TARGET/ and ends the script with
# libFuzzer's status, the corpus left as it was. See FUZZING.md.
set -euo pipefail

# All in a function, which bash reads whole before it runs: editing this
# file during a campaign cannot change what the campaign does next.
main() {
  cd "$(dirname "$0")"
  local target=${1:?usage: fuzz/campaign.sh TARGET [RUNS [SECONDS]]}
  local runs=${2:-10000000}
  local seconds=${3:-0}

  # Each target's -max_len (FUZZING.md, "Sanitizer and build", says why)
  # and extra flags: one line a target (the stable corpus tests check it).
  local max_len
  local extra=()
  case "$target" in
    citations_dates) max_len=256 ;;
    toml_data) max_len=8192 ;;
    csv_data) max_len=2048 ;;
    import_chunks) max_len=1024 ;;
    extract_text) max_len=2048 ;;
    # The server logs one line a request on standard error.
    sparql_request) max_len=8192; extra=(-close_fd_mask=2) ;;
    *) echo "error: no fuzz target $target (see fuzz/Cargo.toml)" >&2; return 2 ;;
  esac

  local bin="${CARGO_TARGET_DIR:-target}/x86_64-unknown-linux-gnu/release/$target"
  if [ ! -x "$bin" ]; then
    echo "error: $bin is not built: cargo +nightly fuzz build -s none $target" >&2
    return 2
  fi

  local scratch
  scratch=$(mktemp -d "${TMPDIR:-/tmp}/coopgraph-fuzz-$target.XXXXXX")
  # shellcheck disable=SC2064 # the folder is known now
  trap "rm -rf '$scratch'" EXIT
  mkdir -p "$scratch/run" "$scratch/merged" "artifacts/$target"
  cp corpus/"$target"/* "$scratch/run/"

  local status=0
  "$bin" -runs="$runs" -max_total_time="$seconds" -max_len="$max_len" -reload=0 -print_final_stats=1 \
    -artifact_prefix="artifacts/$target/" "${extra[@]}" "$scratch/run" || status=$?
  # 72: interrupted (libFuzzer's -interrupted_exitcode); merge what it kept.
  if [ "$status" -ne 0 ] && [ "$status" -ne 72 ]; then
    echo "error: $target stopped with status $status: see fuzz/artifacts/$target/" >&2
    return "$status"
  fi

  "$bin" -merge=1 -max_len="$max_len" "${extra[@]}" "$scratch/merged" "corpus/$target" "$scratch/run"
  rm -rf "corpus/$target"
  cp -r "$scratch/merged" "corpus/$target"
  echo "corpus/$target: $(find "corpus/$target" -type f | wc -l) files, $(du -sb "corpus/$target" | cut -f1) bytes" >&2
}

main "$@"
