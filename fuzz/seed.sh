#!/usr/bin/env bash
# Writes the raw seed corpora into fuzz/corpus-raw/TARGET/ from the repo's
# fixtures and data, for `cargo fuzz cmin` to minimise into fuzz/corpus/.
# Usage: fuzz/seed.sh   (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
raw=fuzz/corpus-raw
rm -rf "$raw"
mkdir -p "$raw"/{toml_data,csv_data,import_chunks,citations_dates,extract_text}

# TOML: every fixture file whole, and the first three records of each data file.
n=0
for f in tests/fixtures/*/*.toml tests/fixtures/extract/data/*.toml; do
  n=$((n + 1)); cp "$f" "$raw/toml_data/fixture-$n.toml"
done
for f in data/*.toml; do
  awk '/^\[\[/ { records++ } records <= 3 { print }' "$f" > "$raw/toml_data/data-$(basename "$f")"
done

# CSV: each fixture folder's entities.csv, a form feed, its relations.csv;
# for the chunked reader, behind a first byte that picks the block size.
for d in tests/fixtures/csv-*/; do
  name=$(basename "$d")
  { cat "$d/entities.csv"; printf '\f'; cat "$d/relations.csv"; } > "$raw/csv_data/$name"
  for size in '\x00' '\x07' '\x20' '\xff'; do
    { printf "$size"; cat "$raw/csv_data/$name"; } > "$raw/import_chunks/$name-$(printf "$size" | od -An -tu1 | tr -d ' ')"
  done
done
# Quoted fields, doubled quotes, CRLF and a record across lines, written here.
printf 'id,type,label_en,label_zh,wikidata\r\nnorthland,country,"Northland, the ""North""",,Q1\r\n"south\nland",country,South,,\n\fsubject,predicate,object,source\nnorthland,cooperates_with,"south\nland",001#2@en\n' \
  > "$raw/csv_data/quoted"
{ printf '\x03'; cat "$raw/csv_data/quoted"; } > "$raw/import_chunks/quoted-3"

# Citations, dates and ids, written here.
i=0
for s in '002#11@en' '001' 'doc-507' '#3' '002#x' '002#0' '002#3@' '002#3@english' '001@zh' 'Doc 1' \
         '2015' '2015-04' '2015-04-01' '2016-02-29' '2015-02-29' '2015-13' '20150' 'Q148' 'Q' 'china' 'un_sc-2' \
         'as of November 2014' 'since 12 March 2015' 'last November' 'this year' '2016年9月10日' '9月20日' '去年' '截至2014年底'; do
  i=$((i + 1)); printf '%s' "$s" > "$raw/citations_dates/seed-$i"
done

# Texts for extract: the fixture report, and short texts written here.
cp tests/fixtures/extract/harbour-report.txt "$raw/extract_text/harbour-report.txt"
printf 'Northland and Harbourland signed a treaty on 3 May 2016.\n\nBy 2015, 39 officers had joined the "Blue Tide" operation.\n' \
  > "$raw/extract_text/english.txt"
printf '2016年9月10日，北方国与海港国签署了引渡条约。\n截至去年底，共有12名警官参加。\n' > "$raw/extract_text/chinese.txt"
