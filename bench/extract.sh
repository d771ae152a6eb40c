#!/usr/bin/env bash
# The speed benchmark of `coopgraph extract` (issue 17: 1 MB of text in
# under a second). Generates a mixed English/Chinese text of about 1 MB from
# the report we wrote for the tests (tests/fixtures/extract), with its
# numbers and years varied from copy to copy, and times the extractor on it
# with the gazetteer of data/, through the crate's `speed` example (release
# build; the library only, not the CLI and its RDF store).
#
# Usage: bench/extract.sh [MEGABYTES]        (default: 1)
#
# Environment (all optional):
#   BENCH_WORK   scratch space for the generated text (default /tmp/coopgraph-extract-bench)
#   RUNS         extraction runs; the median is reported (default 5)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
megabytes=${1:-1}
work=${BENCH_WORK:-/tmp/coopgraph-extract-bench}
mkdir -p "$work"
text="$work/mixed-${megabytes}mb.txt"

python3 - "$root/tests/fixtures/extract/harbour-report.txt" "$text" "$megabytes" <<'PY'
import random, re, sys

source, target, megabytes = sys.argv[1], sys.argv[2], float(sys.argv[3])
lines = [l for l in open(source, encoding="utf-8").read().splitlines() if l.strip()]
rng = random.Random(17)  # the same text on every run

def vary(digits):
    if len(digits) == 4 and digits[:2] in ("19", "20"):
        return str(rng.randint(2001, 2024))
    if len(digits) == 2 and digits[0] in "01":
        return digits  # months and days stay dates
    return str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in digits[1:])

MONTHS = "January February March April May June July August September October November December".split()
size, out = 0, []
limit = int(megabytes * 1_000_000)
while size < limit:
    # One copy of the report in a shuffled order, each number replaced by
    # another of as many digits, each year by another year.
    copy = lines[:]
    rng.shuffle(copy)
    for line in copy:
        line = re.sub(r"\d+", lambda m: vary(m.group(0)), line)
        # A date before each sentence, so that copies differ (a line that
        # repeats an earlier one is a defect and is skipped).
        if line.rstrip()[-1:] in ".。;；":
            year, month, day = rng.randint(2001, 2024), rng.randint(1, 12), rng.randint(1, 28)
            han = sum(1 for c in line if "\u4e00" <= c <= "\u9fff")
            if han * 2 > len(line):
                line = f"{year}年{month}月{day}日，{line}"
            else:
                line = f"On {day} {MONTHS[month - 1]} {year}, {line}"
        out.append(line)
        size += len(line.encode("utf-8")) + 1
with open(target, "w", encoding="utf-8") as f:
    f.write("\n".join(out) + "\n")
PY

cargo build --release --locked -p coopgraph-extract --example speed >&2
target=${CARGO_TARGET_DIR:-$root/target}
"$target/release/examples/speed" "$text" --data "$root/data" --runs "${RUNS:-5}"
