#!/usr/bin/env bash
# Writes the raw seed corpora into fuzz/corpus-raw/TARGET/ from the repo's
# fixtures and data, for `cargo fuzz cmin` to minimise into fuzz/corpus/.
# Usage: fuzz/seed.sh   (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
raw=fuzz/corpus-raw
rm -rf "$raw"
mkdir -p "$raw"/{toml_data,csv_data,import_chunks,citations_dates,extract_text,sparql_request}

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

# SPARQL requests: a first byte picks the form (see coopgraph-fuzzing-serve),
# then the query, 0xFF, the Accept header, 0xFF, header lines, 0xFF, more
# parameters. Every bundled query in the three forms of the protocol, and
# each by name with its default parameters.
for f in queries/*.rq; do
  name=$(basename "$f" .rq)
  for form in 0 1 2; do
    { printf "\\x0$form"; cat "$f"; } > "$raw/sparql_request/$name-$form"
  done
  { printf '\x04%s' "$name"; } > "$raw/sparql_request/$name-4"
done
# Queries of the e2e tests (tests/e2e/*.rs), with Accept headers and
# parameters; paths, searches and headers of the other routes. A line is
# FORM|QUERY, then tab-separated the Accept header, a header line and more
# parameters.
i=0
while IFS= read -r line; do
  i=$((i + 1))
  { printf "\\x0${line%%|*}"; printf '%s' "${line#*|}" | tr '\t' '\377'; } > "$raw/sparql_request/e2e-$i"
done <<'SEEDS'
0|ASK {}	application/sparql-results+json
0|ASK { cg:china coop:memberOf cg:apec }	text/csv
1|CONSTRUCT { ?m coop:memberOf ?o } WHERE { ?m coop:memberOf ?o }	text/turtle
2|SELECT (COUNT(*) AS ?n) WHERE { ?a (!rdf:type)*/(!rdf:type)* ?b . ?c (<urn:x>|!<urn:y>)* ?d }	application/sparql-results+xml
0|SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }
6|SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }	text/tab-separated-values
0|SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE SILENT <http://example.org/sparql> { ?s ?q ?x } } }
2|SELECT * WHERE { { SELECT ?s WHERE { SERVICE SILENT <http://example.org/sparql> { ?s ?p ?o } } } }
1|ASK { FILTER EXISTS { SERVICE SILENT <http://example.org/sparql> { ?s ?p ?o } } }
0|SELECT ?m ?o WHERE { ?m coop:memberOf ?o } ORDER BY ?m ?o	text/html
0|SELECT ?op WHERE { cg:china coop:participatedIn ?op } ORDER BY ?op	application/json		default-graph-uri=urn:x&named-graph-uri=urn:y
0|SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 5
0|SELECT ?x WHERE { ?x ?y }
2|DESCRIBE ?s WHERE { ?s ?p ?o } LIMIT 2	application/n-triples
3|INSERT DATA { <urn:a> <urn:b> <urn:c> }		Content-Type: application/sparql-update
1|INSERT DATA { <urn:a> <urn:b> <urn:c> }	*/*		update=DELETE%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D
3|SELECT * WHERE { ?s ?p ?o } LIMIT 1		Content-Type: application/sparql-query; charset=utf-8
2|CONSTRUCT WHERE { ?s ?p ?o } LIMIT 3		Content-Type: application/x-www-form-urlencoded
0|SELECT * WHERE { ?s ?p ?o } LIMIT 2	text/html	Accept-Encoding: gzip, br
4|entity-neighbourhood				entity=china
4|cooperation-partners				entity=australia&limit=x
5|/	text/html
5|/page/china	text/html	If-None-Match: "x"
5|/data/china.ttl
5|/china	application/ld+json
5|/.well-known/void	text/turtle
5|/dumps/coopgraph.nt.gz
5|/ontology	application/rdf+xml
5|/queries	application/json
5|/search?q=China
5|/drafts/x
7|China	application/json
7|中国			limit=2
SEEDS
