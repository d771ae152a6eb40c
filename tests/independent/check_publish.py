#!/usr/bin/env python3
"""Checks what `coopgraph publish` put into a triplestore, through the
store's own SPARQL endpoint, with clients no one here wrote (rdflib and
plain HTTP).

1. The store holds exactly the named graphs of the N-Quads export under the
   data's base IRI, and each holds the same triples: counted with COUNT(*),
   then read back one by one and compared term by term with what rdflib
   parses from out/coopgraph.nq (IRIs, Chinese literals, language tags,
   datatypes).
2. Sample queries give the same answers from the store as from
   `coopgraph sparql` on coopgraph's own store: label lookups in Chinese,
   counts, graph-by-graph statistics, and bundled library queries
   (queries/*.rq without parameters).

Usage: check_publish.py ENDPOINT OUT_DIR STORE COOPGRAPH
  ENDPOINT   the store's SPARQL endpoint (read-only queries, SPARQL JSON results)
  OUT_DIR    a folder written by `coopgraph build` (for coopgraph.nq, coopgraph.ttl)
  STORE      the store `coopgraph build` loaded
  COOPGRAPH  the coopgraph binary
"""

import json
import re
import subprocess
import sys
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import rdflib
from rdflib import BNode, Literal, URIRef

ROOT = Path(__file__).resolve().parents[2]
failures = []


def fail(message):
    failures.append(message)
    print("FAIL", message)


def sparql(endpoint, query):
    """SPARQL JSON results of `query` from the endpoint (HTTP POST, form-encoded)."""
    body = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(
        endpoint, data=body, headers={"Accept": "application/sparql-results+json",
                                      "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def term(binding):
    """An rdflib term from one SPARQL JSON binding."""
    kind = binding["type"]
    if kind == "uri":
        return URIRef(binding["value"])
    if kind == "bnode":
        return BNode(binding["value"])
    lang = binding.get("xml:lang")
    datatype = binding.get("datatype")
    if lang:
        return Literal(binding["value"], lang=lang)
    if datatype and datatype != str(rdflib.XSD.string):
        return Literal(binding["value"], datatype=URIRef(datatype))
    return Literal(binding["value"])


CITATION = re.compile(r"^\d{3}(#\d+)?(@[a-z]+)?$")


def rows(results):
    """The rows of SPARQL JSON results as a multiset of (variable, term) tuples;
    literals compared by lexical form, language and datatype. SPARQL leaves
    the order of GROUP_CONCAT undefined, so lists of citations ("002#7@zh
    002#13@en") are compared as sorted lists."""
    def key(t):
        if isinstance(t, Literal):
            text = str(t)
            tokens = text.split(" ")
            if len(tokens) > 1 and all(CITATION.match(x) for x in tokens):
                text = " ".join(sorted(tokens))
            return ("literal", text, (t.language or "").lower(), str(t.datatype or ""))
        return (type(t).__name__, str(t))
    out = Counter()
    for row in results["results"]["bindings"]:
        out[tuple(sorted((v, key(term(b))) for v, b in row.items()))] += 1
    return out


def prefixes(out_dir):
    """PREFIX declarations for the prefixes the Turtle export declares."""
    lines = []
    for line in (out_dir / "coopgraph.ttl").read_text(encoding="utf-8").splitlines():
        if not line.startswith("@prefix"):
            break
        _, name, iri, _ = line.split()
        lines.append(f"PREFIX {name} {iri}")
    return "\n".join(lines) + "\n"


def widened(triple):
    """The triple as Virtuoso's N-Triples loader keeps it: an xsd:integer
    beyond the 32-bit range comes back as an xsd:decimal with the same
    digits. (Virtuoso 7.2; the only change of a term this check accepts.)"""
    s, p, o = triple
    if isinstance(o, Literal) and o.datatype == rdflib.XSD.integer and abs(int(o)) > 2**31 - 1:
        return (s, p, Literal(str(o), datatype=rdflib.XSD.decimal))
    return None


def check_graphs(endpoint, out_dir):
    dataset = rdflib.Dataset()
    dataset.parse(out_dir / "coopgraph.nq", format="nquads")
    ours = {}
    for s, p, o, g in dataset.quads((None, None, None, None)):
        if g is not None:
            ours.setdefault(str(getattr(g, "identifier", g)), set()).add((s, p, o))
    base = min(ours, key=len).rsplit("/", 2)[0] + "/"
    listed = sparql(endpoint, f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{base}")) }}')
    theirs = {b["g"]["value"] for b in listed["results"]["bindings"]}
    if theirs != set(ours):
        fail(f"graphs under {base} in the store {sorted(theirs)} != ours {sorted(ours)}")
    print(f"{'graph':<45} {'ours':>6} {'count':>6} {'read':>6}")
    for g in sorted(ours):
        expected = ours[g]
        counted = sparql(endpoint, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}")
        n = int(counted["results"]["bindings"][0]["n"]["value"])
        read = sparql(endpoint, f"SELECT ?s ?p ?o WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}")
        got = {(term(b["s"]), term(b["p"]), term(b["o"])) for b in read["results"]["bindings"]}
        print(f"{g:<45} {len(expected):>6} {n:>6} {len(got):>6}")
        if n != len(expected):
            fail(f"<{g}>: the store counts {n} triples, the export has {len(expected)}")
        missing, extra = expected - got, got - expected
        known = {t for t in missing if widened(t) in extra}
        if known:
            print(f"  note: the store keeps {len(known)} xsd:integer values beyond 32 bits as xsd:decimal "
                  f"(same digits), e.g. {sorted(known)[0][2]!r}")
            missing -= known
            extra -= {widened(t) for t in known}
        if missing or extra:
            fail(f"<{g}>: {len(missing)} triples missing from the store (e.g. {sorted(missing)[:2]}), "
                 f"{len(extra)} not ours (e.g. {sorted(extra)[:2]})")
    return base


# Sample queries, written for any SPARQL 1.1 store. In Virtuoso the default
# graph is every graph (its own system graphs too, and a triple stated in
# three graphs matches three times), so they keep to our vocabulary and
# count DISTINCT things.
SAMPLES = {
    "Chinese label of China": 'SELECT ?label WHERE { cg:china rdfs:label ?label FILTER(lang(?label) = "zh") }',
    "entity with a Chinese label": 'SELECT ?e WHERE { ?e rdfs:label "上海合作组织"@zh }',
    "Chinese aliases of the SCO": 'SELECT ?alias WHERE { cg:sco skos:altLabel ?alias FILTER(lang(?alias) = "zh") }',
    "members of INTERPOL": "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m coop:memberOf cg:interpol }",
    "entities per class": "SELECT ?class (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?class "
                          "FILTER(?class IN (coop:Country, coop:Organization, coop:Operation, coop:Treaty)) } "
                          "GROUP BY ?class",
    "statements per source graph": "SELECT ?g (COUNT(DISTINCT ?st) AS ?n) WHERE { GRAPH ?g { ?st a coop:RelationStatement } } "
                                   "GROUP BY ?g",
    "dated figures": "SELECT ?subject ?value ?date WHERE { GRAPH ?g { ?f a coop:Figure ; coop:value ?value ; "
                     "coop:about ?subject ; coop:asOf ?date } } ORDER BY ?subject ?value",
}

# Library queries without parameters, run as they are (prefixes prepended).
# Left out, as Virtuoso 7.2's query engine answers them otherwise on the same
# triples: conflicting-figures (no rows), timeline (STR() of dates),
# treaties-and-parties and missing-translations (GROUP_CONCAT over no values).
LIBRARY = ["source-documents", "provenance-overview", "disputed-participants", "figure-unit-check",
           "implied-relations", "deployments"]


def ours_answer(coopgraph, store, text):
    run = subprocess.run([coopgraph, "sparql", "--store", str(store), "--format", "json", text],
                         capture_output=True, text=True, cwd=ROOT)
    if run.returncode != 0:
        raise RuntimeError(f"coopgraph sparql failed: {run.stderr}")
    return json.loads(run.stdout)


def check_samples(endpoint, out_dir, store, coopgraph):
    head = prefixes(out_dir)
    samples = dict(SAMPLES)
    for name in LIBRARY:
        samples[f"queries/{name}.rq"] = (ROOT / "queries" / f"{name}.rq").read_text(encoding="utf-8")
    for name, text in samples.items():
        query = head + text
        try:
            ours = rows(ours_answer(coopgraph, store, query))
        except RuntimeError as e:
            fail(f"{name}: {e}")
            continue
        try:
            theirs = rows(sparql(endpoint, query))
        except Exception as e:  # noqa: BLE001 - any failure of the store is a failure of the check
            fail(f"{name}: the store cannot answer: {e}")
            continue
        total = sum(ours.values())
        if not total:
            fail(f"{name}: coopgraph gives no rows; a sample query must have an answer")
        elif ours != theirs:
            fail(f"{name}: {total} rows from coopgraph, {sum(theirs.values())} from the store; "
                 f"only ours: {list((ours - theirs).elements())[:2]}, only theirs: {list((theirs - ours).elements())[:2]}")
        else:
            example = next(iter(ours))
            print(f"same answer ({total} rows): {name}; e.g. {dict(example)}")


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    endpoint, out_dir, store, coopgraph = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
    check_graphs(endpoint, out_dir)
    check_samples(endpoint, out_dir, store, coopgraph)
    if failures:
        print(f"{len(failures)} publish checks failed")
        sys.exit(1)
    print("publish checks passed: the store holds our graphs and answers the sample queries as coopgraph does")


if __name__ == "__main__":
    main()
