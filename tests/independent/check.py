#!/usr/bin/env python3
"""Checks coopgraph's outputs with tools no one here wrote.

1. rdflib parses every export `coopgraph build` wrote, and each one holds the
   same graph: the triple formats (Turtle, N-Triples, RDF/XML) are isomorphic
   to the union of the N-Quads graphs; the dataset formats (N-Quads, TriG,
   JSON-LD) hold the same quads, graph by graph.
2. pyshacl gives, on every SHACL fixture, the verdict and the number of
   results recorded in tests/fixtures/shacl/expected.tsv (which the Rust
   end-to-end test checks coopgraph's own validator against), and finds the
   curated data's RDF conforming, as `coopgraph validate` does.
3. networkx reads the GraphML `coopgraph build` wrote and finds as many nodes
   and edges as the statistics count (entities, relations), with the kind and
   relation type of each.

Usage: check.py OUT_DIR  (a folder written by `coopgraph build`)
"""

import sys
from pathlib import Path

import json

import networkx
import rdflib
from rdflib.compare import isomorphic
from pyshacl import validate

ROOT = Path(__file__).resolve().parents[2]
failures = []


def fail(message):
    failures.append(message)
    print("FAIL", message)


def quads_of(dataset):
    return {(s, p, o, getattr(g, "identifier", g)) for s, p, o, g in dataset.quads((None, None, None, None)) if g is not None}


def check_exports(out):
    reference = rdflib.Dataset()
    reference.parse(out / "coopgraph.nq", format="nquads")
    ref_quads = quads_of(reference)
    union = rdflib.Graph()
    for s, p, o, _ in ref_quads:
        union.add((s, p, o))
    print(f"reference: {len(ref_quads)} quads, {len(union)} distinct triples")
    for name, fmt in [("coopgraph.ttl", "turtle"), ("coopgraph.nt", "nt"), ("coopgraph.rdf", "xml")]:
        g = rdflib.Graph()
        g.parse(out / name, format=fmt)
        if not isomorphic(g, union):
            fail(f"{name}: not isomorphic to the union of the N-Quads ({len(g)} vs {len(union)} triples)")
        else:
            print(f"ok {name}: {len(g)} triples, isomorphic")
    for name, fmt in [("coopgraph.trig", "trig"), ("coopgraph.jsonld", "json-ld")]:
        d = rdflib.Dataset()
        d.parse(out / name, format=fmt)
        q = quads_of(d)
        if q != ref_quads:
            fail(f"{name}: {len(q)} quads, {len(q - ref_quads)} extra, {len(ref_quads - q)} missing")
        else:
            print(f"ok {name}: {len(q)} quads, the same as the N-Quads")
    return union


def check_shacl(union):
    shapes = rdflib.Graph().parse(ROOT / "ontology/shapes.ttl", format="turtle")
    fixtures = ROOT / "tests/fixtures/shacl"
    for line in (fixtures / "expected.tsv").read_text().splitlines():
        if not line.strip():
            continue
        name, conforms, count = line.split("\t")
        data = rdflib.Graph().parse(fixtures / name, format="turtle")
        ok, results, _ = validate(data, shacl_graph=shapes, inference="none")
        n = len(list(results.subjects(rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/shacl#ValidationResult"))))
        if ok != (conforms == "true") or n != int(count):
            fail(f"pyshacl on {name}: conforms={ok} results={n}, expected {conforms} {count}")
        else:
            print(f"ok pyshacl {name}: conforms={ok} results={n}")
    ok, _, text = validate(union, shacl_graph=shapes, inference="none")
    if not ok:
        fail("pyshacl: the curated data's RDF does not conform:\n" + text[:2000])
    else:
        print("ok pyshacl: the curated data's RDF conforms")


def check_graphml(out):
    graph = networkx.read_graphml(out / "coopgraph.graphml", force_multigraph=True)
    stats = json.loads((out / "stats.json").read_text(encoding="utf-8"))
    nodes, edges = graph.number_of_nodes(), graph.number_of_edges()
    if (nodes, edges) != (stats["entities"]["total"], stats["relations"]["total"]):
        fail(f"GraphML: networkx reads {nodes} nodes and {edges} edges, "
             f"the statistics count {stats['entities']['total']} and {stats['relations']['total']}")
    elif any("kind" not in data for _, data in graph.nodes(data=True)) or any(
        "relation" not in data for _, _, data in graph.edges(data=True)
    ):
        fail("GraphML: a node without its kind or an edge without its relation type")
    else:
        print(f"ok networkx: GraphML holds {nodes} nodes and {edges} edges")


def main():
    out = Path(sys.argv[1])
    union = check_exports(out)
    check_shacl(union)
    check_graphml(out)
    if failures:
        print(f"{len(failures)} independent check(s) failed")
        sys.exit(1)
    print("all independent checks passed")


if __name__ == "__main__":
    main()
