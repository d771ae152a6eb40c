"""The fixed, seeded request mix of bench/serve.sh, from the shared harness's
generated CSV files and the bundled queries.

    serve_workload.py DATA_DIR QUERIES_DIR OUT_DIR [--seed 42] [--base IRI] [--vocab IRI]

Standard library only. Writes into OUT_DIR, one request per line (wrk's
serve_urls.lua cycles through a file):

  page-hub.txt, page-median.txt, page-leaf.txt  /page/ID of entities sampled by
                                   degree (relations as subject or object in
                                   relations.csv): the top hubs, entities of
                                   the median degree, entities of the lowest
                                   degree
  rickview-page-*.txt              the same entities as RickView paths (/ID)
  source.txt                       /page/source/doc-NNN
  search-en.txt, search-zh.txt     /search?q= with words of English labels and
                                   Chinese labels (whole, and prefixes)
  data-ttl.txt                     /data/ID.ttl of the sampled entities
  query.txt, query-NAME.txt        /queries/NAME?PARAM=VALUE, every bundled
                                   query with its parameters bound to real
                                   entities (all of them, and one file each)
  sparql-bundled.txt, sparql-NAME.txt
                                   query=TEXT (to append to an endpoint's path
                                   and `?`): the same queries' text with PREFIX
                                   lines and the same values bound by a VALUES
                                   block at the start of every WHERE group,
                                   as the server's own example_text does
  sparql-lookup.txt                query=TEXT of simple one-entity lookups
  workload.json                    what was sampled (ids, degrees, terms)

Every choice comes from random.Random(seed), so one seed and one data folder
give the same files.
"""

import argparse
import csv
import json
import random
import re
import sys
import urllib.parse
from collections import Counter
from pathlib import Path

PER_BAND = 8  # entities per degree band (hubs, median, leaves)
PER_QUERY = 6  # bindings per bundled query

# The prefixes `coopgraph sparql` and the server predeclare
# (coopgraph-rdf's export::prefixes), for servers that do not.
FIXED_PREFIXES = [
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("owl", "http://www.w3.org/2002/07/owl#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("dcterms", "http://purl.org/dc/terms/"),
    ("prov", "http://www.w3.org/ns/prov#"),
    ("wd", "http://www.wikidata.org/entity/"),
    ("schema", "https://schema.org/"),
]

# The kind of entity each parameter name of queries/*.rq takes.
PARAM_TYPES = {
    "country": "Country",
    "host": "Country",
    "member": "Country",
    "initiator": "Country",
    "org": "Organization",
    "campaign": "Operation",
    "operation": "Operation",
}
# Pairs of entity parameters bound from one relation row of this predicate.
PAIRS = {("member", "org"): "member_of", ("subject", "object"): None}


def read_params(path):
    """The `# param: NAME TYPE DEFAULT ...` lines of a query's header."""
    params = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        m = re.match(r"#\s*param:\s*(\S+)\s+(\S+)\s+(\S+)", line)
        if m:
            params.append((m.group(1), m.group(2), m.group(3)))
    return params


def where_braces(text):
    """Offsets just after the `{` of every `WHERE {` outside comments (the
    rule of coopgraph-serve's find_where_brace)."""
    out = []
    lower = text.lower()
    for m in re.finditer(r"(?<![a-z0-9])where\s*\{", lower):
        line_start = lower.rfind("\n", 0, m.start()) + 1
        if "#" in lower[line_start : m.start()]:
            continue
        out.append(m.end())
    return out


def with_values(text, bindings):
    """The query text with `VALUES (?a ?b) { (x y) }` at the start of every
    WHERE group."""
    if not bindings:
        return text
    names = " ".join(f"?{k}" for k, _ in bindings)
    terms = " ".join(t for _, t in bindings)
    block = f" VALUES ({names}) {{ ({terms}) }}"
    out, last = [], 0
    for at in where_braces(text):
        out.append(text[last:at])
        out.append(block)
        last = at
    out.append(text[last:])
    return "".join(out)


def sparql_string(value):
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def spread(rng, ids, degree, n):
    """n ids: the top hubs, the median degree and the lowest degree, a third each."""
    if not ids:
        return []
    ranked = sorted(ids, key=lambda i: (-degree[i], i))
    k = max(1, n // 3)
    mid = len(ranked) // 2
    picks = ranked[:k] + ranked[max(0, mid - k // 2) : mid - k // 2 + k] + ranked[-k:]
    rng.shuffle(picks)
    return picks[:n]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data")
    ap.add_argument("queries")
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--base", default="https://w3id.org/coopgraph/")
    ap.add_argument("--vocab", default="https://w3id.org/coopgraph/ontology#")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    data, out = Path(args.data), Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    entities = {}  # id -> (type, en, zh)
    with open(data / "entities.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            entities[row["id"]] = (row["type"], row["label_en"], row["label_zh"])
    degree = Counter()
    sources = set()
    rows_by_pred = {}
    with open(data / "relations.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            degree[row["subject"]] += 1
            degree[row["object"]] += 1
            sources.add(row["source"].split("#")[0])
            rows_by_pred.setdefault(row["predicate"], []).append((row["subject"], row["object"]))
    linked = sorted(i for i in entities if degree[i] > 0)
    by_type = {}
    for i in linked:
        by_type.setdefault(entities[i][0], []).append(i)

    # Entity pages across degrees.
    ranked = sorted(linked, key=lambda i: (-degree[i], i))
    hubs = ranked[:PER_BAND]
    median_degree = degree[ranked[len(ranked) // 2]]
    median = rng.sample([i for i in linked if degree[i] == median_degree], PER_BAND)
    low = degree[ranked[-1]]
    leaves = rng.sample([i for i in linked if degree[i] == low], PER_BAND)
    bands = {"hub": hubs, "median": median, "leaf": leaves}
    sample = hubs + median + leaves

    def write(name, lines):
        (out / f"{name}.txt").write_text("".join(line + "\n" for line in lines), encoding="utf-8")

    for band, ids in bands.items():
        write(f"page-{band}", [f"/page/{i}" for i in ids])
        write(f"rickview-page-{band}", [f"/{i}" for i in ids])
    docs = rng.sample(sorted(sources), min(PER_BAND * 2, len(sources)))
    write("source", [f"/page/source/{d}" for d in docs])
    write("data-ttl", [f"/data/{i}.ttl" for i in sample])

    # Search terms from the labels of entities sampled at random: a whole
    # word of the English label and its first four letters; the whole
    # Chinese label and its first three characters.
    # The word is the rarest of its label, so it names a few entities
    # rather than every "Operation".
    word_count = Counter(w.lower() for _, en, _ in entities.values() for w in re.findall(r"\w+", en))
    terms_en, terms_zh = [], []
    for i in rng.sample(sorted(entities), PER_BAND * 2):
        _, en, zh = entities[i]
        words = [w for w in re.findall(r"\w+", en) if len(w) >= 5]
        if words:
            w = min(words, key=lambda w: (word_count[w.lower()], w))
            terms_en += [w, w[:4].lower()]
        if zh:
            terms_zh += [zh, zh[:3]]
    q = urllib.parse.quote
    write("search-en", [f"/search?q={q(t)}" for t in terms_en])
    write("search-zh", [f"/search?q={q(t)}" for t in terms_zh])

    # Bundled queries with their parameters bound to real entities.
    prefixes = [("coop", args.vocab), ("cg", args.base)] + FIXED_PREFIXES
    prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in prefixes)
    all_query, all_sparql, bound_record = [], [], {}
    for path in sorted(Path(args.queries).glob("*.rq")):
        name = path.stem
        params = read_params(path)
        text = path.read_text(encoding="utf-8")
        names = tuple(p for p, _, _ in params)
        bindings_list = []
        if not params:
            bindings_list = [[]]
        elif names in PAIRS:
            pred = PAIRS[names]
            pool = rows_by_pred.get(pred, []) if pred else [r for rs in rows_by_pred.values() for r in rs]
            # Pairs whose first entity spans the degrees.
            by_subject = {}
            for s, o in pool:
                by_subject.setdefault(s, o)
            for s in spread(rng, sorted(by_subject), degree, PER_QUERY):
                bindings_list.append([(names[0], "entity", s), (names[1], "entity", by_subject[s])])
        else:
            for _ in range(PER_QUERY):
                bindings_list.append([])
            for pname, ptype, _default in params:
                if ptype == "entity":
                    pool = by_type.get(PARAM_TYPES.get(pname, ""), linked)
                    values = spread(rng, pool, degree, PER_QUERY)
                elif pname == "source":
                    values = rng.sample(sorted(sources), PER_QUERY)
                elif pname == "lang":
                    values = ["zh", "en"] * (PER_QUERY // 2)
                elif pname == "text":
                    values = rng.sample(terms_en, PER_QUERY)
                else:
                    values = [_default] * PER_QUERY
                for b, v in zip(bindings_list, values):
                    b.append((pname, ptype, v))
        q_lines, s_lines = [], []
        for b in bindings_list:
            query_string = "&".join(f"{k}={q(v)}" for k, _, v in b)
            q_lines.append(f"/queries/{name}" + (f"?{query_string}" if query_string else ""))
            terms = [(k, f"<{args.base}{v}>" if t == "entity" else sparql_string(v)) for k, t, v in b]
            s_lines.append("query=" + q(prologue + with_values(text, terms), safe=""))
        write(f"query-{name}", q_lines)
        write(f"sparql-{name}", s_lines)
        all_query += q_lines
        all_sparql += s_lines
        bound_record[name] = [{k: v for k, _, v in b} for b in bindings_list]
    write("query", all_query)
    write("sparql-bundled", all_sparql)

    lookups = []
    orgs = spread(rng, by_type.get("Organization", []), degree, PER_BAND)
    for o in orgs:
        lookups.append(f"SELECT ?m WHERE {{ ?m coop:memberOf cg:{o} }} LIMIT 5")
    for i in sample[:PER_BAND]:
        lookups.append(f"SELECT ?p ?o WHERE {{ cg:{i} ?p ?o }} LIMIT 20")
    write("sparql-lookup", ["query=" + q(prologue + text, safe="") for text in lookups])

    info = {
        "seed": args.seed,
        "entities": len(entities),
        "linked_entities": len(linked),
        "degree": {band: [[i, degree[i]] for i in ids] for band, ids in bands.items()},
        "sources": docs,
        "search_en": terms_en,
        "search_zh": terms_zh,
        "queries": bound_record,
    }
    (out / "workload.json").write_text(json.dumps(info, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
