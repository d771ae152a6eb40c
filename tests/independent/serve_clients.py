#!/usr/bin/env python3
"""Checks `coopgraph serve` with clients no one here wrote.

Run by serve_check.sh, which builds a store, starts the server on loopback,
installs the tools and stops the server afterwards. Every answer the server
gives is compared with what the command line (`coopgraph query run`,
`coopgraph sparql`, `coopgraph export`) gives on the same store:

1. SPARQLWrapper runs SELECT (SPARQL JSON and XML results), ASK and
   CONSTRUCT (Turtle, RDF/XML, JSON-LD, parsed by rdflib), through the three
   ways of the SPARQL 1.1 Protocol (GET, POST form, POST sparql-query):
   every bundled query (queries/*.rq, parameters bound by a final VALUES
   clause, as the home page's examples are) and a few written here.
2. rdflib's own SPARQLStore runs SELECT and ASK; rdflib's Graph().parse(URL)
   dereferences entity and source IRIs (303 then the data document).
3. Comunica (npm, a `sparql` source) runs the same SELECT, ASK and CONSTRUCT
   queries (when --comunica is given: the node_modules folder).
4. curl, with each Accept header, on /sparql, an entity IRI (with -L, and
   without: 303, Location, Vary), a source graph, /ontology and
   /.well-known/void; rdflib parses every RDF response; SPARQL XML, JSON, CSV
   and TSV results are parsed and compared. The gzip N-Quads dump (and every
   other dump) is parsed by rdflib and holds the quads of `coopgraph export`.
5. Headless Chromium loads the home page, /page/china, /page/source/000, a
   search for 湄公河 and the draft of the fixture report at /drafts/801
   (serve_check.sh serves it with --drafts): the DOM text is checked, and
   screenshots are written.
6. Playwright drives Chromium through the query editor (/sparql) and the
   graph explorer (/explore): expanding, filtering, switching languages and
   exporting; the explorer's PNG, SVG and GraphML downloads are parsed
   (signature, XML, networkx).
7. The reconciliation service (/reconcile): its answers validated with
   jsonschema against the W3C Reconciliation Service API 0.2 schemas, and
   the `reconciler` client (PyPI) reconciling a column of names against it
   (reconcile_clients.py).

Usage: serve_clients.py --coopgraph BIN --store DIR --url http://127.0.0.1:PORT/
                        --work DIR [--comunica NODE_MODULES] [--screenshots DIR]
"""

import argparse
import csv
import gzip
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from html import unescape
from pathlib import Path
from urllib.parse import quote, unquote_plus

import rdflib
import reconcile_clients
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.query import Result
from SPARQLWrapper import JSON, JSONLD, POST, POSTDIRECTLY, RDFXML, TURTLE, URLENCODED, XML, SPARQLWrapper

ROOT = Path(__file__).resolve().parents[2]
CG = "https://w3id.org/coopgraph/"
COOP = "https://w3id.org/coopgraph/ontology#"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

# External clients parse queries themselves: they get every prefix declared.
PREFIXES = {
    "coop": COOP,
    "cg": CG,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "wd": "http://www.wikidata.org/entity/",
    "schema": "https://schema.org/",
}
PROLOGUE = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())

failures = []
counts = Counter()


def fail(message):
    failures.append(message)
    print("FAIL", message, flush=True)


def ok(message):
    print("ok", message, flush=True)


# ---------------------------------------------------------------- terms ----


def norm_json_term(t):
    """A SPARQL JSON results term as a comparable tuple."""
    kind = t["type"]
    if kind == "uri":
        return ("uri", t["value"])
    if kind == "bnode":
        return ("bnode",)
    lang = t.get("xml:lang")
    datatype = t.get("datatype")
    if lang:
        return ("literal", t["value"], lang.lower(), None)
    if datatype in (None, XSD_STRING):
        return ("literal", t["value"], None, None)
    return ("literal", t["value"], None, datatype)


def norm_rdflib_term(t):
    if isinstance(t, rdflib.URIRef):
        return ("uri", str(t))
    if isinstance(t, rdflib.BNode):
        return ("bnode",)
    if isinstance(t, rdflib.Literal):
        if t.language:
            return ("literal", str(t), t.language.lower(), None)
        dt = str(t.datatype) if t.datatype is not None else None
        return ("literal", str(t), None, None if dt in (None, XSD_STRING, RDF_LANGSTRING) else dt)
    raise ValueError(f"unexpected term {t!r}")


def rows_of_json(doc):
    """SPARQL JSON results -> (variables, list of rows) or a boolean."""
    if "boolean" in doc:
        return doc["boolean"]
    variables = doc["head"]["vars"]
    rows = [tuple(sorted((v, norm_json_term(b[v])) for v in b)) for b in doc["results"]["bindings"]]
    return variables, rows


def rows_of_xml_dom(dom):
    """SPARQL XML results (a DOM, as SPARQLWrapper gives it) -> rows or boolean."""
    booleans = dom.getElementsByTagName("boolean")
    if booleans:
        return booleans[0].firstChild.data.strip() == "true"
    variables = [v.getAttribute("name") for v in dom.getElementsByTagName("variable")]
    rows = []
    for result in dom.getElementsByTagName("result"):
        row = []
        for binding in result.getElementsByTagName("binding"):
            name = binding.getAttribute("name")
            node = next(n for n in binding.childNodes if n.nodeType == n.ELEMENT_NODE)
            text = "".join(c.data for c in node.childNodes if c.nodeType in (c.TEXT_NODE, c.CDATA_SECTION_NODE))
            if node.tagName == "uri":
                term = ("uri", text)
            elif node.tagName == "bnode":
                term = ("bnode",)
            else:
                lang = node.getAttribute("xml:lang") or None
                dt = node.getAttribute("datatype") or None
                term = norm_json_term(
                    {"type": "literal", "value": text, **({"xml:lang": lang} if lang else {}), **({"datatype": dt} if dt else {})}
                )
            row.append((name, term))
        rows.append(tuple(sorted(row)))
    return variables, rows


def rows_of_rdflib_result(result):
    if result.type == "ASK":
        return bool(result.askAnswer)
    variables = [str(v) for v in result.vars]
    rows = []
    for r in result.bindings:
        rows.append(tuple(sorted((str(k), norm_rdflib_term(v)) for k, v in r.items() if v is not None)))
    return variables, rows


def compare_answers(label, got, expected, ordered):
    """Compares two answers: booleans, (vars, rows) or rdflib graphs."""
    counts["compared"] += 1
    if isinstance(expected, bool):
        if got is not expected and got != expected:
            return fail(f"{label}: ASK answered {got}, coopgraph answers {expected}")
        return ok(f"{label}: ASK {got}")
    if isinstance(expected, rdflib.Graph):
        if not isinstance(got, rdflib.Graph) or not isomorphic(got, expected):
            n = len(got) if isinstance(got, rdflib.Graph) else got
            return fail(f"{label}: graph of {n} triples is not isomorphic to coopgraph's ({len(expected)} triples)")
        return ok(f"{label}: {len(got)} triples, isomorphic")
    if not isinstance(got, tuple):
        return fail(f"{label}: got {type(got).__name__}, expected solutions")
    gvars, grows = got
    evars, erows = expected
    if list(gvars) != list(evars):
        return fail(f"{label}: variables {gvars}, coopgraph's are {evars}")
    if Counter(grows) != Counter(erows):
        missing = Counter(erows) - Counter(grows)
        extra = Counter(grows) - Counter(erows)
        return fail(
            f"{label}: {len(grows)} rows vs {len(erows)}; missing {list(missing)[:2]} extra {list(extra)[:2]}"
        )
    if ordered and grows != erows:
        return fail(f"{label}: the same rows as coopgraph's but in another order (the query has ORDER BY)")
    return ok(f"{label}: {len(grows)} rows{' in order' if ordered else ''}")


# ------------------------------------------------------------ the queries ----


class Query:
    def __init__(self, name, text, form, ordered, library_run=None):
        self.name = name
        self.text = text  # with PREFIX declarations, runnable anywhere
        self.form = form  # select | ask | construct
        self.ordered = ordered
        # The clients' answers are compared with `coopgraph sparql` on the
        # same text; a bundled query's is also compared with `coopgraph
        # query run NAME --param ...` (argv after `coopgraph`).
        self.cli = ["sparql", text]
        self.library_run = library_run


def query_form(text):
    # IRIs hold no spaces; `<` and `>` with spaces round them are operators.
    body = re.sub(r"#[^\n]*", "", re.sub(r"<[^<>\"{}|^`\\\s]*>", "<>", text))
    body = re.sub(r"PREFIX\s+\S*\s*<>", "", body, flags=re.I)
    m = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", body, re.I)
    return m.group(1).lower()


def top_level_order_by(text):
    """True when the outermost query has ORDER BY (after its last `}`)."""
    body = re.sub(r"#[^\n]*", "", text)
    return re.search(r"ORDER\s+BY", body[body.rfind("}") :], re.I) is not None


def strip_comments(text):
    """Drops the full-line comments (the header): SPARQLWrapper guesses the
    query form from the text and takes "copy" in a comment for COPY."""
    return "".join(line for line in text.splitlines(keepends=True) if not line.lstrip().startswith("#"))


def bind(text, names, terms):
    """Binds parameters as `coopgraph query run` does (it substitutes the
    variables everywhere): a VALUES block opens every group that follows
    WHERE or ASK, so that sub-queries and their filters see the values too."""
    body = strip_comments(text).strip() + "\n"
    if not names:
        return body
    clause = f" VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}"
    bound, n = re.subn(r"\b(WHERE|ASK)(\s*)\{", lambda m: m.group(0) + clause, body, flags=re.I)
    if n == 0:
        raise ValueError("no WHERE or ASK group to bind the parameters in")
    return bound


def library_queries(extra_params):
    """Every bundled query with its default parameters, plus the given
    (name, {param: value}) variants, bound by a final VALUES clause."""
    queries = []
    runs = [(p.stem, {}) for p in sorted((ROOT / "queries").glob("*.rq"))] + extra_params
    for name, given in runs:
        text = (ROOT / "queries" / f"{name}.rq").read_text()
        params = []
        for line in text.splitlines():
            m = re.match(r"#\s*param:\s*(\S+)\s+(\S+)\s+(\S+)", line)
            if m:
                params.append(m.groups())
        values_vars, values_terms, cli = [], [], ["query", "run", name]
        for pname, kind, default in params:
            value = given.get(pname, default)
            if pname in given:
                cli += ["--param", f"{pname}={value}"]
            if kind == "entity":
                term = f"<{CG}{value}>"
            elif kind == "string":
                term = json.dumps(value, ensure_ascii=False)
            elif kind == "integer":
                term = str(int(value))
            elif kind == "iri":
                term = f"<{value}>"
            elif kind == "date":
                term = f'"{value}"^^<http://www.w3.org/2001/XMLSchema#date>'
            else:
                raise ValueError(f"{name}: unknown parameter kind {kind}")
            values_vars.append(f"?{pname}")
            values_terms.append(term)
        full = PROLOGUE + bind(text, values_vars, values_terms)
        label = name + "".join(f" {k}={v}" for k, v in given.items())
        queries.append(Query(label, full, query_form(text), top_level_order_by(text), library_run=cli))
    return queries


ADHOC = [
    # Language-tagged labels in both languages, typed dates, GRAPH.
    (
        "labels-of-sco-members",
        """SELECT ?member ?label WHERE { ?member coop:memberOf cg:sco ; rdfs:label ?label }
           ORDER BY ?member ?label""",
    ),
    (
        "statements-per-graph",
        """SELECT ?g (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a coop:RelationStatement } }
           GROUP BY ?g ORDER BY ?g""",
    ),
    (
        "figures-with-values",
        """SELECT ?f ?value ?unit ?start WHERE { ?f a coop:Figure ; coop:value ?value ; coop:unit ?unit .
           OPTIONAL { ?f coop:start ?start } } ORDER BY ?f""",
    ),
    (
        "chinese-labels-mekong",
        """SELECT DISTINCT ?e ?zh WHERE { ?e rdfs:label ?zh FILTER(lang(?zh) = "zh" && CONTAINS(?zh, "湄公河")) }""",
    ),
    ("ask-china-in-sco", "ASK { cg:china coop:memberOf cg:sco }"),
    ("ask-nothing", 'ASK { cg:china rdfs:label "no such label"@en }'),
    (
        "construct-labels-zh",
        """CONSTRUCT { ?e rdfs:label ?zh ; a ?kind } WHERE { ?e rdfs:label ?zh ; a ?kind
           FILTER(lang(?zh) = "zh" && ?kind IN (coop:Country, coop:Organization)) }""",
    ),
    (
        "construct-china-figures",
        """CONSTRUCT { ?f ?p ?o } WHERE { ?f coop:about cg:china ; a coop:Figure ; ?p ?o }""",
    ),
]


def adhoc_queries():
    out = []
    for name, body in ADHOC:
        out.append(Query(name, PROLOGUE + body + "\n", query_form(body), top_level_order_by(body)))
    return out


# -------------------------------------------------------------- coopgraph ----


class Coopgraph:
    def __init__(self, binary, store):
        self.binary = binary
        self.store = store
        self.cache = {}

    def run(self, argv, fmt):
        cmd = [self.binary, "--quiet", *argv, "--format", fmt, "--store", str(self.store)]
        p = subprocess.run(cmd, capture_output=True, cwd=ROOT)
        if p.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd[1:4])}: exit {p.returncode}: {p.stderr.decode()[-500:]}")
        return p.stdout

    def answer(self, q, argv=None):
        """coopgraph's answer to q: (vars, rows), a boolean or a graph."""
        argv = argv or q.cli
        key = (q.form, tuple(argv))
        if key not in self.cache:
            if q.form in ("construct", "describe"):
                self.cache[key] = rdflib.Graph().parse(data=self.run(argv, "ntriples").decode(), format="nt")
            else:
                self.cache[key] = rows_of_json(json.loads(self.run(argv, "json")))
        return self.cache[key]


# ------------------------------------------------------------------- HTTP ----


def curl(url, accept=None, follow=False, method="GET", data=None, content_type=None, out=None):
    """Real curl: returns (status, headers dict of lists, body bytes)."""
    with tempfile.NamedTemporaryFile() as headers_file:
        cmd = ["curl", "-sS", "--max-time", "60", "-D", headers_file.name, "-X", method]
        if follow:
            cmd.append("-L")
        if accept is not None:
            cmd += ["-H", f"Accept: {accept}"]
        if content_type:
            cmd += ["-H", f"Content-Type: {content_type}"]
        if data is not None:
            cmd += ["--data-binary", "@-"]
        cmd += ["-o", str(out) if out else "-", url]
        p = subprocess.run(cmd, input=data, capture_output=True)
        if p.returncode != 0:
            raise RuntimeError(f"curl {url}: exit {p.returncode}: {p.stderr.decode()}")
        raw = Path(headers_file.name).read_text(encoding="latin-1")
    # With -L the file holds every response's headers: keep the last.
    blocks = [b for b in re.split(r"\r?\n\r?\n", raw) if b.strip()]
    last = blocks[-1].splitlines()
    status = int(last[0].split()[1])
    headers = {}
    for line in last[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers.setdefault(k.strip().lower(), []).append(v.strip())
    return status, headers, (Path(out).read_bytes() if out else p.stdout)


RDF_FORMATS = [
    ("text/turtle", "turtle", "ttl"),
    ("application/n-triples", "nt", "nt"),
    ("application/ld+json", "json-ld", "jsonld"),
    ("application/rdf+xml", "xml", "rdf"),
]


def parse_graph(label, body, fmt):
    counts["rdf_parsed"] += 1
    try:
        return rdflib.Graph().parse(data=body, format=fmt)
    except Exception as e:  # noqa: BLE001 - any parser error is the finding
        fail(f"{label}: rdflib cannot parse the {fmt} response: {e}")
        return rdflib.Graph()


def media_type(headers):
    return headers.get("content-type", [""])[0].split(";")[0].strip().lower()


# ------------------------------------------------------------ the checks ----


def check_library_binding(queries, cg):
    """The bound texts the clients run give what `coopgraph query run` gives
    (which substitutes the parameters): else the comparison below would be
    of another question. Where a final VALUES cannot reproduce the
    substitution, the clients are still compared with `coopgraph sparql`."""
    for q in queries:
        if q.library_run is None:
            continue
        counts["compared"] += 1
        label = f"bound text of {q.name} vs `coopgraph {' '.join(q.library_run)}`"
        run = cg.answer(q, q.library_run)
        same = cg.answer(q)
        if isinstance(run, rdflib.Graph):
            equal = isomorphic(run, same)
        else:
            equal = run == same if isinstance(run, bool) else Counter(run[1]) == Counter(same[1])
        if equal:
            ok(label)
        else:
            print(f"note: {label}: the VALUES blocks do not reproduce the substitution of the parameters "
                  f"(a group reads the parameter before it is joined with them); the clients are compared "
                  f"with `coopgraph sparql` on the same bound text")


def check_home_examples(base, queries, cg):
    """The home page's "run" links of the bundled queries (/queries/NAME)
    answer as `coopgraph query run NAME` (defaults) does, and /queries/NAME
    with parameters as `coopgraph query run NAME --param ...`."""
    _, _, body = curl(base, "text/html")
    links = sorted(set(re.findall(r'href="/queries/([a-z0-9-]+)"', body.decode("utf-8"))))
    defaults = {q.name: q for q in queries if q.library_run is not None and "=" not in q.name}
    n = 0
    for name in links:
        q = defaults.get(name)
        if q is None:
            continue
        url = f"{base}queries/{name}"
        accept = "text/turtle" if q.form == "construct" else "application/sparql-results+json"
        status, _, answer = curl(url, accept)
        counts["curl"] += 1
        label = f"home page example {name}"
        if status != 200:
            fail(f"{label}: {status}")
            continue
        got = parse_graph(label, answer, "turtle") if q.form == "construct" else rows_of_json(json.loads(answer))
        compare_answers(label + " vs `coopgraph query run`", got, cg.answer(q, q.library_run), q.ordered)
        n += 1
    if n != len(defaults):
        fail(f"the home page links {n} of the {len(defaults)} bundled queries")
    for q in queries:
        if q.library_run is None or "=" not in q.name:
            continue
        name = q.library_run[2]
        params = [q.library_run[i + 1] for i, a in enumerate(q.library_run) if a == "--param"]
        if not params:
            continue
        query_string = "&".join(f"{p.split('=', 1)[0]}={quote(p.split('=', 1)[1])}" for p in params)
        accept = "text/turtle" if q.form == "construct" else "application/sparql-results+json"
        status, _, answer = curl(f"{base}queries/{name}?{query_string}", accept)
        counts["curl"] += 1
        label = f"/queries/{name}?{query_string}"
        if status != 200:
            fail(f"{label}: {status}")
            continue
        got = parse_graph(label, answer, "turtle") if q.form == "construct" else rows_of_json(json.loads(answer))
        compare_answers(label + " vs `coopgraph query run`", got, cg.answer(q, q.library_run), q.ordered)


def check_sparqlwrapper(endpoint, queries, cg):
    methods = [("GET", None), ("POST form", URLENCODED), ("POST sparql-query", POSTDIRECTLY)]
    n = 0
    for i, q in enumerate(queries):
        expected = cg.answer(q)
        method_name, request_method = methods[i % len(methods)]
        formats = {"select": [JSON, XML], "ask": [JSON, XML], "construct": [TURTLE, RDFXML, JSONLD]}[q.form]
        for fmt in formats:
            sw = SPARQLWrapper(endpoint)
            sw.setQuery(q.text)
            sw.setReturnFormat(fmt)
            if request_method is not None:
                sw.setMethod(POST)
                sw.setRequestMethod(request_method)
            label = f"SPARQLWrapper {q.name} ({fmt}, {method_name})"
            try:
                converted = sw.query().convert()
            except Exception as e:  # noqa: BLE001
                fail(f"{label}: {e}")
                continue
            if fmt == JSON:
                got = rows_of_json(converted)
            elif fmt == XML:
                got = rows_of_xml_dom(converted)
            elif isinstance(converted, rdflib.Graph):
                got = converted
            else:
                got = parse_graph(label, converted, {TURTLE: "turtle", JSONLD: "json-ld"}[fmt])
            compare_answers(label, got, expected, q.ordered)
            n += 1
    counts["sparqlwrapper"] = n


def check_rdflib_sparqlstore(endpoint, queries, cg):
    store = SPARQLStore(endpoint, returnFormat="xml")
    graph = rdflib.Graph(store=store)
    n = 0
    for q in queries:
        label = f"rdflib SPARQLStore {q.name}"
        try:
            result = graph.query(q.text)
            if q.form == "construct":
                got = rdflib.Graph()
                for triple in result:
                    got.add(triple)
            else:
                got = rows_of_rdflib_result(result)
        except Exception as e:  # noqa: BLE001
            fail(f"{label}: {e}")
            continue
        compare_answers(label, got, cg.answer(q), q.ordered)
        n += 1
    counts["rdflib_sparqlstore"] = n


def check_comunica(endpoint, queries, cg, node_modules, work):
    spec = work / "comunica-queries.json"
    spec.write_text(json.dumps([{"name": q.name, "query": q.text} for q in queries], ensure_ascii=False))
    env = {"NODE_PATH": str(node_modules), "PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(work)}
    started = time.monotonic()
    p = subprocess.run(
        ["node", str(ROOT / "tests/independent/comunica/run.js"), endpoint, str(spec)],
        capture_output=True,
        env=env,
        timeout=600,
    )
    if p.returncode != 0:
        return fail(f"Comunica failed (exit {p.returncode}): {p.stderr.decode()[-2000:]}")
    answers = json.loads(p.stdout)
    print(f"Comunica answered {len(answers)} queries in {time.monotonic() - started:.1f}s")
    by_name = {q.name: q for q in queries}
    for a in answers:
        q = by_name[a["name"]]
        label = f"Comunica {q.name}"
        if a["type"] == "boolean":
            got = a["result"]
        elif a["type"] == "bindings":
            doc = json.loads(a["result"])
            if "vars" not in doc["head"]:
                # Comunica leaves head.vars out when it cannot tell the
                # variables (seen with FILTER NOT EXISTS in a sub-query).
                print(f"note: Comunica {q.name}: no head.vars in its results; rows compared alone")
                doc["head"]["vars"] = cg.answer(q)[0]
            got = rows_of_json(doc)
        else:
            got = parse_graph(label, a["result"], "nt")
        compare_answers(label, got, cg.answer(q), q.ordered)
    counts["comunica"] = len(answers)


def check_sparql_accept(base, cg):
    """curl on /sparql with each Accept header, for SELECT, ASK and CONSTRUCT."""
    endpoint = base + "sparql"
    select = Query(
        "curl-select",
        PROLOGUE + "SELECT ?m ?label ?kind WHERE { ?m coop:memberOf cg:sco ; rdfs:label ?label ; a ?kind } ORDER BY ?m ?label ?kind",
        "select",
        True,
    )
    expected = cg.answer(select)
    url = f"{endpoint}?query={quote(select.text)}"
    for accept, want_type in [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("text/html", "text/html"),
        (None, "application/sparql-results+json"),
    ]:
        label = f"curl /sparql SELECT Accept: {accept}"
        status, headers, body = curl(url, accept)
        counts["curl"] += 1
        if status != 200 or media_type(headers) != want_type:
            fail(f"{label}: {status} {media_type(headers)}, expected 200 {want_type}")
            continue
        if "Accept" not in ", ".join(headers.get("vary", [])):
            fail(f"{label}: no Vary: Accept")
        if want_type == "application/sparql-results+json":
            compare_answers(label, rows_of_json(json.loads(body)), expected, True)
        elif want_type == "application/sparql-results+xml":
            compare_answers(label, rows_of_rdflib_result(Result.parse(io.BytesIO(body), format="xml")), expected, True)
        elif want_type == "text/tab-separated-values":
            compare_answers(label, rows_of_rdflib_result(Result.parse(io.BytesIO(body), format="tsv")), expected, True)
        elif want_type == "text/csv":
            # CSV loses term kinds: compare the values, then the bytes with the CLI's.
            table = list(csv.reader(io.StringIO(body.decode("utf-8"))))
            want = [[dict(r).get(v, (None, ""))[1] for v in expected[0]] for r in expected[1]]
            if table[0] != expected[0] or table[1:] != want:
                fail(f"{label}: CSV holds {len(table) - 1} rows that differ from coopgraph's")
            elif body != cg.run(select.cli, "csv"):
                fail(f"{label}: CSV bytes differ from `coopgraph sparql --format csv`")
            else:
                counts["compared"] += 1
                ok(f"{label}: {len(table) - 1} rows, the bytes of `coopgraph sparql --format csv`")
        else:
            text = body.decode("utf-8")
            missing = [r for r in ("<table", "中国", "China") if r not in text]
            if missing:
                fail(f"{label}: the HTML table lacks {missing}")
            else:
                ok(f"{label}: an HTML table with the labels")
    # ASK in each results format.
    ask = "ASK { cg:china coop:memberOf cg:sco }"
    url = f"{endpoint}?query={quote(PROLOGUE + ask)}"
    for accept in ("application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values"):
        label = f"curl /sparql ASK Accept: {accept}"
        status, headers, body = curl(url, accept)
        counts["curl"] += 1
        if status != 200 or media_type(headers) != accept:
            fail(f"{label}: {status} {media_type(headers)}")
            continue
        if accept.endswith("json"):
            got = json.loads(body).get("boolean")
        elif accept.endswith("xml"):
            got = Result.parse(io.BytesIO(body), format="xml").askAnswer
        else:
            got = body.decode().strip().splitlines()[-1].strip() == "true"
        compare_answers(label, got, True, False)
    # CONSTRUCT in each RDF format (POST of a form, as curl --data-urlencode does).
    construct = Query("curl-construct", PROLOGUE + ADHOC[6][1], "construct", False)
    expected = cg.answer(construct)
    for accept, fmt, _ in RDF_FORMATS:
        label = f"curl /sparql CONSTRUCT Accept: {accept}"
        status, headers, body = curl(
            endpoint, accept, method="POST", data=("query=" + quote(construct.text)).encode(),
            content_type="application/x-www-form-urlencoded",
        )
        counts["curl"] += 1
        if status != 200 or media_type(headers) != accept:
            fail(f"{label}: {status} {media_type(headers)}")
            continue
        compare_answers(label, parse_graph(label, body, fmt), expected, False)
    status, headers, _ = curl(f"{endpoint}?query={quote(select.text)}", "image/png")
    counts["curl"] += 1
    if status != 406:
        fail(f"curl /sparql Accept: image/png: {status}, expected 406")
    else:
        ok("curl /sparql Accept: image/png: 406")


def description_query(iri):
    x = f"<{iri}>"
    return (
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {{ BIND({x} AS ?s) ?s ?p ?o }} UNION {{ ?s rdf:subject {x} ; ?p ?o }}"
        f" UNION {{ ?s rdf:object {x} ; ?p ?o }} UNION {{ ?s coop:about {x} ; ?p ?o }}"
        f" UNION {{ GRAPH {x} {{ ?s ?p ?o }} }} }}"
    )


def check_resource(base, path, cg, must_have):
    """A dereferenceable IRI: 303 per Accept, then each data document parsed."""
    iri = CG + path
    expected = cg.answer(Query(path, description_query(iri), "construct", False))
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
    for accept, location in [(None, f"/page/{path}"), (browser, f"/page/{path}"), ("text/html", f"/page/{path}")] + [
        (a, f"/data/{path}.{ext}") for a, _, ext in RDF_FORMATS
    ]:
        label = f"curl /{path} Accept: {accept}"
        status, headers, _ = curl(base + path, accept)
        counts["curl"] += 1
        got = (status, headers.get("location", [None])[0], "Accept" in ", ".join(headers.get("vary", [])))
        if got != (303, location, True):
            fail(f"{label}: {got}, expected (303, {location}, Vary: Accept)")
        else:
            ok(f"{label}: 303 to {location}, Vary: Accept")
    graphs = []
    for accept, fmt, _ in RDF_FORMATS:
        label = f"curl -L /{path} Accept: {accept}"
        status, headers, body = curl(base + path, accept, follow=True)
        counts["curl"] += 1
        if status != 200 or media_type(headers) != accept:
            fail(f"{label}: {status} {media_type(headers)}")
            continue
        g = parse_graph(label, body, fmt)
        graphs.append(g)
        compare_answers(label, g, expected, False)
    for s, p, o in must_have:
        if graphs and (s, p, o) not in graphs[0]:
            fail(f"/{path}: the document lacks {s.n3()} {p.n3()} {o.n3()}")
    # rdflib dereferences the IRI itself (its own Accept header, following the 303).
    label = f"rdflib Graph().parse({base}{path})"
    try:
        g = rdflib.Graph().parse(base + path)
        counts["rdf_parsed"] += 1
        compare_answers(label, g, expected, False)
    except Exception as e:  # noqa: BLE001
        fail(f"{label}: {e}")
    status, _, _ = curl(base + path, "image/png")
    if status != 406:
        fail(f"curl /{path} Accept: image/png: {status}, expected 406")
    status, _, _ = curl(base + path + "_no_such_thing", "text/turtle")
    if status != 404:
        fail(f"curl /{path}_no_such_thing: {status}, expected 404")


def check_ontology(base):
    expected = rdflib.Graph().parse(ROOT / "ontology/coopgraph.ttl", format="turtle")
    for accept, fmt, _ in RDF_FORMATS:
        label = f"curl /ontology Accept: {accept}"
        status, headers, body = curl(base + "ontology", accept)
        counts["curl"] += 1
        if status != 200 or media_type(headers) != accept:
            fail(f"{label}: {status} {media_type(headers)}")
            continue
        compare_answers(label + " vs ontology/coopgraph.ttl", parse_graph(label, body, fmt), expected, False)
    status, headers, body = curl(base + "ontology", "text/html")
    counts["curl"] += 1
    if status != 200 or media_type(headers) != "text/html" or b"<html" not in body.lower():
        fail(f"curl /ontology Accept: text/html: {status} {media_type(headers)}")


SCHEMA = "https://schema.org/"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def check_crawler_pages(base, cg):
    """The sitemaps (read with ElementTree) list every entity's page, and
    each page's embedded schema.org JSON-LD parses with rdflib into a typed,
    named description of the entity."""
    import xml.etree.ElementTree as ET

    q = "SELECT ?e WHERE { VALUES ?k { coop:Country coop:Organization coop:Operation coop:Treaty } ?e a ?k }"
    entities = {dict(row)["e"][1] for row in cg.answer(Query("entities", q, "select", False))[1]}
    status, _, body = curl(base + "robots.txt")
    counts["curl"] += 1
    if status != 200 or f"Sitemap: {base}sitemap.xml".encode() not in body:
        fail(f"curl /robots.txt: {status}, no Sitemap line for {base}sitemap.xml")
    status, _, body = curl(base + "sitemap.xml")
    counts["curl"] += 1
    index = ET.fromstring(body)
    listed = set()
    for loc in index.iter(SITEMAP_NS + "loc"):
        status, _, xml = curl(loc.text)
        counts["curl"] += 1
        if status != 200:
            fail(f"curl {loc.text}: {status}")
            continue
        listed |= {u.text for u in ET.fromstring(xml).iter(SITEMAP_NS + "loc")}
    wanted = {base + "page/" + e[len(CG):] for e in entities}
    if not wanted <= listed:
        fail(f"the sitemaps leave out {len(wanted - listed)} entity pages, such as {sorted(wanted - listed)[:3]}")
    else:
        ok(f"the sitemaps list all {len(wanted)} entity pages ({len(listed)} URLs in all)")
    typed = 0
    for e in sorted(entities):
        page = base + "page/" + e[len(CG):]
        status, _, html = curl(page, "text/html")
        counts["curl"] += 1
        found = re.search(rb'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        if status != 200 or not found:
            fail(f"curl {page}: {status}, no JSON-LD")
            continue
        try:
            g = rdflib.Graph().parse(data=found.group(1).decode(), format="json-ld")
        except Exception as err:  # noqa: BLE001
            fail(f"rdflib cannot parse the JSON-LD of {page}: {err}")
            continue
        counts["rdf_parsed"] += 1
        subject = rdflib.URIRef(e)
        types = [t for t in g.objects(subject, rdflib.RDF.type) if str(t).startswith(SCHEMA)]
        names = list(g.objects(subject, rdflib.URIRef(SCHEMA + "name")))
        if not types or not names:
            fail(f"{page}: the JSON-LD gives {e} no schema.org type ({types}) or no name ({names})")
            continue
        typed += 1
    ok(f"rdflib parsed the schema.org JSON-LD of {typed} entity pages, each typed and named")
    # Every coop: link on the ontology page and an entity page has its anchor there.
    _, _, ontology = curl(base + "ontology", "text/html")
    anchors = set(re.findall(rb'id="([^"]+)"', ontology))
    for path in ["ontology", "page/china", "page/source/000"]:
        _, _, html = curl(base + path, "text/html")
        links = set(re.findall(rb'href="/ontology#([^"]+)"', html))
        missing = links - anchors
        if not links or missing:
            fail(f"/{path}: {len(links)} coop: links, {sorted(missing)[:5]} without an anchor on /ontology")
        else:
            ok(f"/{path}: all {len(links)} coop: links resolve to anchors of /ontology")


def check_void(base, cg):
    graphs = []
    for accept, fmt, _ in RDF_FORMATS:
        label = f"curl /.well-known/void Accept: {accept}"
        status, headers, body = curl(base + ".well-known/void", accept)
        counts["curl"] += 1
        if status != 200 or media_type(headers) != accept:
            fail(f"{label}: {status} {media_type(headers)}")
            continue
        graphs.append((label, parse_graph(label, body, fmt)))
    if not graphs:
        return
    first = graphs[0][1]
    for label, g in graphs[1:]:
        compare_answers(label + " vs the Turtle", g, first, False)
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    (total,) = cg.answer(
        Query("triples", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "select", False)
    )[1]
    n_triples = int(dict(total)["n"][1])
    announced = {int(o) for o in first.objects(None, void.triples)}
    if n_triples not in announced:
        fail(f"VoID: void:triples {sorted(announced)} do not include the store's {n_triples} triples")
    else:
        ok(f"VoID: void:triples {n_triples}, as the store counts")
    endpoints = {str(o) for o in first.objects(None, void.sparqlEndpoint)}
    if endpoints != {base + "sparql"}:
        fail(f"VoID: void:sparqlEndpoint {endpoints}, expected {base}sparql (the address the server listens on)")
    dumps = sorted({str(o) for o in first.objects(None, void.dataDump)})
    if not dumps:
        fail("VoID: no void:dataDump")
    return [d[d.index("/dumps/") + 1 :] for d in dumps if "/dumps/" in d]


def quads_of(dataset):
    out = set()
    for s, p, o, g in dataset.quads((None, None, None, None)):
        gid = getattr(g, "identifier", g)
        if isinstance(s, rdflib.BNode) or isinstance(o, rdflib.BNode):
            s = s if not isinstance(s, rdflib.BNode) else rdflib.BNode("b")
            o = o if not isinstance(o, rdflib.BNode) else rdflib.BNode("b")
        out.add((s, p, o, gid))
    return out


def check_dumps(base, cg, work, dump_paths):
    exported = cg_export_nquads(cg, work)
    reference = rdflib.Dataset()
    reference.parse(data=exported, format="nquads")
    ref_quads = quads_of(reference)
    n_lines = sum(1 for line in exported.splitlines() if line.strip())
    union = rdflib.Graph()
    for s, p, o, _ in ref_quads:
        union.add((s, p, o))
    out = work / "coopgraph.nq.gz"
    status, headers, _ = curl(base + "dumps/coopgraph.nq.gz", out=out)
    counts["curl"] += 1
    if status != 200:
        return fail(f"/dumps/coopgraph.nq.gz: {status}")
    text = gzip.decompress(out.read_bytes()).decode("utf-8")
    d = rdflib.Dataset()
    d.parse(data=text, format="nquads")
    counts["rdf_parsed"] += 1
    got = quads_of(d)
    n_dump_lines = sum(1 for line in text.splitlines() if line.strip())
    counts["compared"] += 1
    if got != ref_quads or n_dump_lines != n_lines:
        fail(
            f"/dumps/coopgraph.nq.gz: {len(got)} quads ({n_dump_lines} lines), `coopgraph export --format nquads` "
            f"has {len(ref_quads)} ({n_lines} lines); {len(got - ref_quads)} extra, {len(ref_quads - got)} missing"
        )
    else:
        ok(f"/dumps/coopgraph.nq.gz: {len(got)} quads, the same as `coopgraph export --format nquads`")
    formats = {
        "coopgraph.nq": ("nquads", True),
        "coopgraph.trig": ("trig", True),
        "coopgraph.jsonld": ("json-ld", True),
        "coopgraph.ttl": ("turtle", False),
        "coopgraph.nt": ("nt", False),
        "coopgraph.rdf": ("xml", False),
    }
    listed = {p.split("/", 1)[1] for p in dump_paths}
    if not {"coopgraph.nq.gz", *formats} <= listed:
        fail(f"VoID lists the dumps {sorted(listed)}, expected at least {sorted({'coopgraph.nq.gz', *formats})}")
    for name, (fmt, quads) in formats.items():
        status, _, body = curl(base + "dumps/" + name)
        counts["curl"] += 1
        label = f"/dumps/{name}"
        if status != 200:
            fail(f"{label}: {status}")
            continue
        counts["rdf_parsed"] += 1
        counts["compared"] += 1
        try:
            if quads:
                ds = rdflib.Dataset()
                ds.parse(data=body, format=fmt)
                same = quads_of(ds) == ref_quads
            else:
                same = isomorphic(rdflib.Graph().parse(data=body, format=fmt), union)
        except Exception as e:  # noqa: BLE001
            fail(f"{label}: rdflib cannot parse it as {fmt}: {e}")
            continue
        if same:
            ok(f"{label}: parsed by rdflib as {fmt}, the same {'quads' if quads else 'graph'} as the export")
        else:
            fail(f"{label}: not the same {'quads' if quads else 'graph'} as `coopgraph export`")


def cg_export_nquads(cg, work):
    p = subprocess.run(
        [cg.binary, "--quiet", "export", "--format", "nquads"], capture_output=True, cwd=ROOT
    )
    if p.returncode != 0:
        raise RuntimeError(f"coopgraph export: {p.stderr.decode()}")
    return p.stdout.decode("utf-8")


# --------------------------------------------------------------- browser ----

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def chromium(args, work):
    profile = tempfile.mkdtemp(prefix="chromium-", dir=work)
    try:
        p = subprocess.run(
            ["chromium", *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            timeout=120,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    if p.returncode != 0:
        raise RuntimeError(f"chromium {args[-1]}: exit {p.returncode}: {p.stderr.decode()[-1500:]}")
    return p.stdout.decode("utf-8")


def dom_text(dom):
    dom = re.sub(r"<(style|script)\b.*?</\1>", " ", dom, flags=re.S | re.I)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", dom)))


def check_browser(base, cg, work, screenshots):
    n_entities = {}
    for kind in ("Country", "Organization", "Operation", "Treaty"):
        q = f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e a coop:{kind} }}"
        (row,) = cg.answer(Query(kind, q, "select", False))[1]
        n_entities[kind] = int(dict(row)["n"][1])
    pages = {
        "home": (
            "",
            [
                f"{n_entities['Country']} countries",
                f"{n_entities['Organization']} organizations",
                f"{n_entities['Operation']} operations",
                f"{n_entities['Treaty']} treaties",
                "国际执法、司法与安全合作",
                "Bundled queries",
                "Members of an organization",
            ],
            [r'<form[^>]*action="/search"', r'<input[^>]*name="q"', r'<form[^>]*action="/sparql"', r"<textarea[^>]*name=\"query\""],
        ),
        "entity-china": (
            "page/china",
            ["China", "中国", "中华人民共和国", "Q148", "Shanghai Cooperation Organisation"],
            [r'href="https?://www\.wikidata\.org/(wiki|entity)/Q148"', r"<svg", r"<table"],
        ),
        "source-000": (
            "page/source/000",
            ["Relations it states", "New Progress in the Legal Protection of Human Rights in China"],
            [r"<table"],
        ),
        "search-mekong": (
            "search?q=" + quote("湄公河"),
            ["湄公河", "Mekong River Joint Patrol", "中老缅泰湄公河联合巡逻执法"],
            [r'href="/page/mekong_joint_patrol"'],
        ),
        "conflict": ("page/safe_mekong_2", ["Safe Mekong"], [r'class="conflict"']),
        # A draft of the fixture report (serve_check.sh writes it under --drafts):
        # the paragraphs in their language, candidates marked with their status.
        "draft-801": (
            "drafts/801",
            # (a name inside one highlight: highlights cut the text between names)
            ["Draft 801", "Harbour Treaty", "港口安全公約", "pending", "record proposed"],
            [r'<p class="para" id="p6" lang="zh"', r'<mark class="pending"', r'<a href="#c\d+"'],
        ),
        "ontology": ("ontology", ["member of", "成员", "Domain", "Range"], [r'id="memberOf"', r'href="/ontology#Country"']),
        "entity-china-zh": ("page/china?lang=zh", ["中国", "关系"], [r'<html lang="zh"', r'application/ld\+json']),
        "class-operation": ("ontology/Operation", ["Instances"], [r'rel="next"']),
        # The SPARQL form's answer, as a browser gets it (Accept: text/html).
        "sparql-html": (
            "sparql?query=" + quote("SELECT ?label WHERE { cg:china rdfs:label ?label } ORDER BY ?label"),
            ["China", "中国"],
            [r"<table", r"<textarea"],
        ),
    }
    for name, (path, texts, patterns) in pages.items():
        label = f"Chromium --dump-dom /{path}"
        try:
            dom = chromium(["--dump-dom", base + path], work)
        except Exception as e:  # noqa: BLE001
            fail(f"{label}: {e}")
            continue
        counts["dom_checked"] += 1
        text = dom_text(dom)
        missing = [t for t in texts if t not in text] + [p for p in patterns if not re.search(p, dom)]
        if missing:
            fail(f"{label}: the DOM lacks {missing}")
        else:
            ok(f"{label}: {len(texts)} texts and {len(patterns)} elements found")
    shots = [
        ("home", ""),
        ("entity-china", "page/china"),
        ("entity-china-zh", "page/china?lang=zh"),
        ("source-000", "page/source/000"),
        ("ontology", "ontology"),
        ("draft-801", "drafts/801"),
    ]
    for name, path in shots:
        target = work / f"{name}.png"
        label = f"Chromium --screenshot /{path}"
        try:
            chromium([f"--screenshot={target}", "--window-size=1280,2000", base + path], work)
        except Exception as e:  # noqa: BLE001
            fail(f"{label}: {e}")
            continue
        data = target.read_bytes() if target.exists() else b""
        if not data.startswith(b"\x89PNG") or len(data) < 20000:
            fail(f"{label}: no PNG written, or an almost empty one ({len(data)} bytes)")
            continue
        counts["screenshots"] += 1
        ok(f"{label}: {target.name}, {len(data)} bytes")
        if screenshots:
            screenshots.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(target, screenshots / f"{name}.png")


def run_playwright(script, label, base, shots, expected, node_modules):
    """Runs tests/independent/browser/SCRIPT with Node (playwright-core on
    NODE_PATH) against the server at BASE, its screenshots into SHOTS and
    EXPECTED as JSON; each `ok ...` or `FAIL ...` line it prints is reported
    under LABEL, and an exit without a FAIL line fails with its stderr."""
    env = dict(os.environ, NODE_PATH=str(node_modules))
    p = subprocess.run(
        ["node", str(ROOT / "tests" / "independent" / "browser" / script), base, str(shots), json.dumps(expected)],
        capture_output=True,
        timeout=300,
        env=env,
    )
    for line in p.stdout.decode("utf-8").splitlines():
        if line.startswith("ok "):
            ok(f"Playwright {label}: {line[3:]}")
        elif line.startswith("FAIL "):
            fail(f"Playwright {label}: {line[5:]}")
    if p.returncode != 0 and b"FAIL" not in p.stdout:
        fail(f"Playwright {label}: exit {p.returncode}: {p.stderr.decode()[-1500:]}")


def check_editor(base, cg, work, screenshots, node_modules):
    """The query editor at /sparql in Chromium, driven by Playwright
    (browser/editor.js): the editor replaces the plain form, a bundled query
    picked with its parameter and run shows as many rows as `coopgraph query
    run` gives, a typed query (its prefix declared by the completer) as many
    as `coopgraph sparql`, a bad query has its position marked, the plain
    form works without JavaScript, and no request leaves the server."""
    picked = cg.answer(Query("picked", "", "select", False), ["query", "run", "members-of-organization", "--param", "org=sco"])
    typed_query = "SELECT ?m WHERE { ?m coop:memberOf cg:sco } ORDER BY ?m"
    typed = cg.answer(Query("typed", typed_query, "select", True))
    expected = {"picked": len(picked[1]), "typed": len(typed[1]), "typed_query": typed_query}
    shots = work / "editor-shots"
    shots.mkdir(parents=True, exist_ok=True)
    run_playwright("editor.js", "/sparql", base, shots, expected, node_modules)
    for shot in sorted(shots.glob("*.png")):
        counts["screenshots"] += 1
        if screenshots:
            screenshots.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(shot, screenshots / shot.name)


def check_explorer_svg(base, downloads, start, start_label_zh):
    """The explorer's SVG downloads (in English, then with the labels in
    Chinese), against what the browser said was visible (svg-views.json):
    each parses as an SVG 1.1 document in UTF-8 with one shape per visible
    node and one path per visible edge, each node titled with its IRI and
    labelled in the language chosen (the entity started from in Chinese
    after the switch), and the nodes of a kind filled with the
    palette's colour for it as /explore's settings give it."""
    import xml.etree.ElementTree as ET

    page = curl(base + "explore", accept="text/html")[2].decode("utf-8")
    settings = page.split('<script id="explorer-settings" type="application/json">')[1].split("</script>")[0]
    fills = {k["name"]: k["fill"].lower() for k in json.loads(settings)["kinds"]}
    try:
        views = json.loads((downloads / "svg-views.json").read_text())
    except (OSError, ValueError) as e:
        fail(f"explorer SVG: no record of the views: {e}")
        return
    ns = "{http://www.w3.org/2000/svg}"

    def label_of(group):
        """A node's label: its <text>, or its lines (<tspan>s) broken at spaces."""
        text = group.find(ns + "text")
        if text is None:
            return ""
        spans = text.findall(ns + "tspan")
        return " ".join(t.text or "" for t in spans) if spans else text.text or ""

    shapes = {ns + t for t in ("ellipse", "rect", "polygon", "circle", "path")}
    for lang, name in (("en", "explorer.svg"), ("zh", "explorer-zh.svg")):
        view = views[lang]
        try:
            raw = (downloads / name).read_bytes()
            root = ET.fromstring(raw)
        except (OSError, ET.ParseError) as e:
            fail(f"explorer SVG ({lang}): {e}")
            continue
        classes = [(g, (g.get("class") or "").split()) for g in root.iter(ns + "g")]
        nodes = [g for g, c in classes if "node" in c]
        edges = [g for g, c in classes if "edge" in c]
        one_shape = all(sum(1 for c in g if c.tag in shapes) == 1 for g in nodes)
        one_line = all(sum(1 for c in g if c.tag == ns + "path") == 1 for g in edges)
        by_title = {g.find(ns + "title").text: g for g in nodes if g.find(ns + "title") is not None}
        expected = [n for n in view["nodes"] if n["iri"]]
        labelled = [n for n in expected if n["iri"] in by_title and label_of(by_title[n["iri"]]) == n["label"]]
        kind = Counter(n["kind"] for n in expected if n["kind"] in fills).most_common(1)[0][0]
        of_kind = [by_title[n["iri"]] for n in expected if n["kind"] == kind and n["iri"] in by_title]
        coloured = [g for g in of_kind if [c.get("fill", "").lower() for c in g if c.tag in shapes] == [fills[kind]]]
        header = raw.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
        focus = next((n for n in expected if n["id"] == start), None)
        focus_text = label_of(by_title[focus["iri"]]) if focus and focus["iri"] in by_title else None
        chinese = lang != "zh" or focus_text == start_label_zh
        if (
            root.tag == ns + "svg"
            and root.get("version") == "1.1"
            and header
            and len(nodes) == len(view["nodes"])
            and len(edges) == view["edges"]
            and one_shape
            and one_line
            and len(labelled) == len(expected)
            and of_kind
            and len(coloured) == len(of_kind)
            and chinese
        ):
            ok(
                f"explorer SVG ({lang}): SVG 1.1 in UTF-8, {len(nodes)} nodes with one shape each and {len(edges)} edges "
                f"with one path each as shown, {len(labelled)} titled with their IRIs and labelled as shown "
                f"({start} as {focus_text}), the {len(of_kind)} of kind {kind} filled {fills[kind]} as in the palette"
            )
        else:
            fail(
                f"explorer SVG ({lang}): root {root.tag} version {root.get('version')}, header {header}, "
                f"{len(nodes)} nodes (shown {len(view['nodes'])}), {len(edges)} edges (shown {view['edges']}), "
                f"one shape each {one_shape}, one path each {one_line}, {len(labelled)} of {len(expected)} labelled, "
                f"{len(coloured)} of {len(of_kind)} {kind} filled {fills[kind]}, {start} labelled {focus_text}"
            )


def check_explorer(base, cg, work, screenshots, node_modules):
    """The graph explorer at /explore in Chromium, driven by Playwright
    (browser/explorer.js): starting from China picked in the search box it
    draws as many neighbours as the neighbours JSON lists, a click expands
    a node, the filters and hub controls hide what they say, the labels
    and the interface switch to Chinese, and the downloads parse: the PNG
    by its signature, the SVGs as XML drawing what was shown
    (check_explorer_svg), the GraphML of the selection with networkx (its
    nodes the ones selected, with the CLI's attributes)."""
    import xml.etree.ElementTree as ET

    import networkx

    first = json.loads(curl(base + "explore/neighbours/china.json?limit=50", accept="application/json")[2])
    expected = {
        "start": "china",
        "start_label": first["focus"]["labels"]["en"],
        "start_label_zh": first["focus"]["labels"]["zh"],
        "neighbours": len(first["nodes"]),
    }
    shots = work / "explorer-shots"
    shutil.rmtree(shots, ignore_errors=True)
    shots.mkdir(parents=True, exist_ok=True)
    run_playwright("explorer.js", "/explore", base, shots, expected, node_modules)
    downloads = shots / "downloads"
    png = downloads / "explorer.png"
    if png.exists() and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n":
        ok(f"explorer PNG: a PNG of {png.stat().st_size} bytes")
    else:
        fail("explorer PNG: missing or not a PNG")
    check_explorer_svg(base, downloads, expected["start"], expected["start_label_zh"])
    graphml = downloads / "selection.graphml"
    try:
        selected = json.loads((downloads / "selection.json").read_text())
        g = networkx.read_graphml(graphml)
        nodes_ok = sorted(g.nodes) == sorted(selected["nodes"])
        attrs_ok = all(
            {"kind", "label", "iri", "colour", "r", "g", "b", "size", "x", "y"} <= set(d) for _, d in g.nodes(data=True)
        )
        edges_ok = g.number_of_edges() == selected["edges"] and all(
            {"relation", "label", "label_zh", "colour"} <= set(d) for _, _, d in g.edges(data=True)
        )
        cited = [d for _, _, d in g.edges(data=True) if "citations" in d and "citation_iris" in d]
        if nodes_ok and attrs_ok and edges_ok and cited:
            ok(
                f"explorer GraphML: networkx reads the {g.number_of_nodes()} selected nodes and {g.number_of_edges()} edges "
                f"with the CLI's attributes ({len(cited)} edges with citations)"
            )
        else:
            fail(
                f"explorer GraphML: nodes {sorted(g.nodes)} (selected {selected['nodes']}), attributes {attrs_ok}, "
                f"{g.number_of_edges()} edges (expected {selected['edges']}), {len(cited)} cited"
            )
    except Exception as e:  # noqa: BLE001 - a file that does not parse is the failure reported
        fail(f"explorer GraphML: {type(e).__name__}: {e}")
    for shot in sorted(shots.glob("*.png")):
        counts["screenshots"] += 1
        if screenshots:
            screenshots.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(shot, screenshots / shot.name)


# ------------------------------------------------------------------ main ----


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--coopgraph", required=True)
    ap.add_argument("--store", required=True, type=Path)
    ap.add_argument("--url", required=True, help="the server, ending in /")
    ap.add_argument("--work", required=True, type=Path)
    ap.add_argument("--comunica", type=Path, help="node_modules holding @comunica/query-sparql")
    ap.add_argument("--playwright", type=Path, help="node_modules holding playwright-core")
    ap.add_argument("--screenshots", type=Path, help="also copy the screenshots here")
    args = ap.parse_args()
    base = args.url if args.url.endswith("/") else args.url + "/"
    endpoint = base + "sparql"
    cg = Coopgraph(args.coopgraph, args.store)
    started = time.monotonic()

    queries = library_queries(
        [
            ("members-of-organization", {"org": "sco"}),
            ("is-member", {"member": "china", "org": "sco"}),
            ("is-member", {"member": "united_states", "org": "brics"}),
            ("entity-neighbourhood", {"entity": "china"}),
            ("find-entities", {"text": "湄公河"}),
        ]
    ) + adhoc_queries()
    forms = Counter(q.form for q in queries)
    print(f"{len(queries)} queries: {dict(forms)}")

    sections = [("bound library queries", lambda: check_library_binding(queries, cg))]
    sections.append(("home page examples and /queries/NAME", lambda: check_home_examples(base, queries, cg)))
    sections += [
        ("SPARQLWrapper", lambda: check_sparqlwrapper(endpoint, queries, cg)),
        ("rdflib SPARQLStore", lambda: check_rdflib_sparqlstore(endpoint, queries, cg)),
    ]
    if args.comunica:
        sections.append(("Comunica", lambda: check_comunica(endpoint, queries, cg, args.comunica, args.work)))
    sections += [
        ("curl /sparql", lambda: check_sparql_accept(base, cg)),
        (
            "curl /china",
            lambda: check_resource(
                base,
                "china",
                cg,
                [
                    (rdflib.URIRef(CG + "china"), rdflib.RDFS.label, rdflib.Literal("中国", lang="zh")),
                    (rdflib.URIRef(CG + "china"), rdflib.OWL.sameAs, rdflib.URIRef("http://www.wikidata.org/entity/Q148")),
                ],
            ),
        ),
        ("curl /source/000", lambda: check_resource(base, "source/000", cg, [])),
        ("curl /ontology", lambda: check_ontology(base)),
        ("sitemaps and schema.org JSON-LD", lambda: check_crawler_pages(base, cg)),
    ]
    sections.append(
        ("reconciliation: JSON schemas and reconciler", lambda: reconcile_clients.check(base, fail, ok, counts))
    )
    dump_paths = []

    def void_and_dumps():
        dump_paths.extend(check_void(base, cg) or [])
        check_dumps(base, cg, args.work, dump_paths)

    sections += [
        ("VoID and dumps", void_and_dumps),
        ("Chromium", lambda: check_browser(base, cg, args.work, args.screenshots)),
    ]
    if args.playwright:
        sections.append(
            ("Playwright: the query editor", lambda: check_editor(base, cg, args.work, args.screenshots, args.playwright))
        )
        sections.append(
            ("Playwright: the explorer", lambda: check_explorer(base, cg, args.work, args.screenshots, args.playwright))
        )
    for name, run in sections:
        t = time.monotonic()
        print(f"--- {name}", flush=True)
        try:
            run()
        except Exception as e:  # noqa: BLE001 - report and go on with the other clients
            fail(f"{name}: {type(e).__name__}: {e}")
        print(f"--- {name}: {time.monotonic() - t:.1f}s", flush=True)

    print(
        f"summary: {counts['compared']} answers compared with coopgraph's; "
        f"SPARQLWrapper {counts['sparqlwrapper']} requests, rdflib SPARQLStore {counts['rdflib_sparqlstore']}, "
        f"Comunica {counts['comunica']}; curl {counts['curl']} requests; rdflib parsed {counts['rdf_parsed']} RDF documents; "
        f"{counts['schema_validated']} reconciliation answers validated against the API's schemas; "
        f"Chromium checked {counts['dom_checked']} DOMs and took {counts['screenshots']} screenshots; "
        f"{time.monotonic() - started:.0f}s"
    )
    if failures:
        print(f"{len(failures)} failure(s)")
        sys.exit(1)
    print("all serve checks passed")


if __name__ == "__main__":
    main()
