#!/usr/bin/env python3
"""Checks `coopgraph serve`'s reconciliation service (/reconcile) with
tools no one here wrote:

1. jsonschema validates real answers of the server against the JSON schemas
   of the W3C Reconciliation Service API 0.2 (vendored in
   reconciliation-api/0.2, see its README): the manifest in both languages,
   a batch of queries (and the batch sent), suggest for entities, types and
   properties, property proposals, a data extension (and the request sent).
   A broken answer must fail the same schemas, so the check can fail.
2. reconciler (PyPI), a pandas client of the API that takes any endpoint,
   reconciles a column of country names against the server, with a type
   and with a property mapped from another column.

Run by serve_clients.py (driven by serve_check.sh) as one of its sections,
or alone: reconcile_clients.py --url http://127.0.0.1:PORT/
"""

import argparse
import json
import sys
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

SCHEMAS = Path(__file__).resolve().parent / "reconciliation-api" / "0.2"

MEKONG = "Mekong River Law Enforcement and Security Cooperation Mechanism"
BATCH = {
    "q0": {"query": "China", "type": "Country"},
    "q1": {"query": "上海合作組織", "limit": 3},
    "q2": {
        "query": "Thailand",
        "type": ["Country"],
        "type_strict": "any",
        "properties": [{"pid": "memberOf", "v": MEKONG}, {"pid": "label_zh", "v": "泰国"}],
    },
    "q3": {"properties": [{"pid": "memberOf", "v": {"id": "mekong_mechanism", "name": MEKONG}}], "type": "Country"},
    "q4": {"query": "Atlantis", "type": "Country"},
}
EXTEND = {"ids": ["china", "thailand", "no_such_entity"], "properties": [{"id": "memberOf", "settings": {"limit": 5}}, {"id": "label_zh"}]}


def registry():
    """Every vendored schema, by its $id, so that "$ref": "type.json" resolves."""
    resources = []
    for path in sorted(SCHEMAS.glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append((schema["$id"], Resource.from_contents(schema, default_specification=DRAFT7)))
    return Registry().with_resources(resources)


def validator(name, reg):
    schema = json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema, registry=reg)


def fetch(url, form=None, accept="application/json"):
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    request = urllib.request.Request(url, data=data, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=30) as response:
        body = response.read().decode("utf-8")
        return response.headers.get_content_type(), body


def get_json(url):
    kind, body = fetch(url)
    if kind != "application/json":
        raise AssertionError(f"{url}: {kind}, expected application/json")
    return json.loads(body)


class Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.text = []

    def handle_data(self, data):
        self.text.append(data)


def check(base, fail, ok, counts=None):
    """Runs every check against the server at `base` (ending in /)."""
    endpoint = base + "reconcile"
    reg = registry()

    def validate(schema, doc, label):
        errors = sorted(validator(schema, reg).iter_errors(doc), key=lambda e: list(e.path))
        if counts is not None:
            counts["schema_validated"] += 1
        if errors:
            fail(f"{label}: not valid against {schema}.json: {errors[0].message} at {list(errors[0].path)}")
        else:
            ok(f"{label}: valid against {schema}.json")

    manifest = get_json(endpoint)
    validate("manifest", manifest, "GET /reconcile")
    validate("manifest", get_json(endpoint + "?lang=zh"), "GET /reconcile?lang=zh")
    if manifest.get("identifierSpace") != "https://w3id.org/coopgraph/":
        fail(f"manifest identifierSpace: {manifest.get('identifierSpace')}")

    validate("reconciliation-query-batch", BATCH, "the query batch sent")
    kind, body = fetch(endpoint, {"queries": json.dumps(BATCH)})
    answer = json.loads(body)
    validate("reconciliation-result-batch", answer, "POST /reconcile queries=")
    top = {k: [(c["id"], c["match"]) for c in v["result"]] for k, v in answer.items()}
    expected = {"q0": [("china", True)], "q2": [("thailand", True)], "q4": []}
    for key, want in expected.items():
        if top.get(key) != want:
            fail(f"query {key}: {top.get(key)}, expected {want}")
    if top.get("q1", [None])[0] != ("sco", True):
        fail(f"query q1 (traditional characters): {top.get('q1')}")
    if sorted(i for i, _ in top.get("q3", [])) != ["china", "laos", "myanmar", "thailand"]:
        fail(f"query q3 (members of the Mekong mechanism): {top.get('q3')}")
    # The validator can fail: a candidate without its id does not pass.
    broken = json.loads(body)
    del broken["q0"]["result"][0]["id"]
    if not list(validator("reconciliation-result-batch", reg).iter_errors(broken)):
        fail("a result without an id passed the schema: the check cannot fail")

    for what, schema, prefix in [
        ("entity", "suggest-entities-response", "shanghai"),
        ("type", "suggest-types-response", "coun"),
        ("property", "suggest-properties-response", "member"),
    ]:
        doc = get_json(f"{endpoint}/suggest/{what}?prefix={urllib.parse.quote(prefix)}")
        validate(schema, doc, f"suggest {what} {prefix!r}")
        if not doc["result"]:
            fail(f"suggest {what} {prefix!r}: nothing suggested")
    doc = get_json(f"{endpoint}/suggest/entity?prefix={urllib.parse.quote('湄公河')}&lang=zh&cursor=1")
    validate("suggest-entities-response", doc, "suggest entity 湄公河, cursor 1")

    proposal = get_json(f"{endpoint}/properties?type=Country&limit=10")
    validate("data-extension-property-proposal", proposal, "GET /reconcile/properties?type=Country")
    validate("data-extension-query", EXTEND, "the extension request sent")
    kind, body = fetch(endpoint, {"extend": json.dumps(EXTEND)})
    extension = json.loads(body)
    validate("data-extension-response", extension, "POST /reconcile extend=")
    thailand = [v.get("id") for v in extension["rows"]["thailand"]["memberOf"]]
    if thailand != ["mekong_mechanism"]:
        fail(f"extend: thailand memberOf {thailand}")
    if len(extension["rows"]["china"]["memberOf"]) != 5:
        fail(f"extend: china memberOf with limit 5 gave {extension['rows']['china']['memberOf']}")

    preview = manifest["preview"]["url"].replace("{{id}}", urllib.parse.quote("sco", safe=""))
    kind, html = fetch(preview, accept="text/html")
    parser = Text()
    parser.feed(html)
    text = "".join(parser.text)
    if kind != "text/html" or "Shanghai Cooperation Organisation" not in text or "上海合作组织" not in text:
        fail(f"preview of sco: {kind}, text {text[:200]!r}")
    else:
        ok("preview of sco: HTML with both names")

    check_reconciler(endpoint, fail, ok)


def check_reconciler(endpoint, fail, ok):
    """The `reconciler` package (PyPI) against the endpoint."""
    import pandas as pd
    from reconciler import reconcile

    frame = pd.DataFrame(
        {
            "country": ["China", "Thailand", "Laos", "Atlantis"],
            # By name or by id (the client cuts values past 50 characters).
            "organization": ["Shanghai Cooperation Organisation", "mekong_mechanism", "mekong_mechanism", "SCO"],
        }
    )
    plain = reconcile(frame["country"], type_id="Country", reconciliation_endpoint=endpoint)
    got = {row.input_value: (row.id if isinstance(row.id, str) else None, bool(row.match)) for row in plain.itertuples()}
    want = {"China": ("china", True), "Thailand": ("thailand", True), "Laos": ("laos", True), "Atlantis": (None, False)}
    if got != want:
        fail(f"reconciler, type Country: {got}, expected {want}")
    else:
        ok(f"reconciler, type Country: {got}")
    mapped = reconcile(
        frame["country"], type_id="Country", property_mapping={"memberOf": frame["organization"]}, reconciliation_endpoint=endpoint
    )
    scores = {row.input_value: float(row.score) for row in mapped.itertuples() if isinstance(row.id, str)}
    if scores != {"China": 100.0, "Thailand": 100.0, "Laos": 100.0}:
        fail(f"reconciler with memberOf mapped: scores {scores}")
    else:
        ok(f"reconciler with memberOf mapped: scores {scores}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True, help="the server, ending in /")
    args = ap.parse_args()
    base = args.url if args.url.endswith("/") else args.url + "/"
    failures = []

    def fail(message):
        failures.append(message)
        print("FAIL", message, flush=True)

    check(base, fail, lambda m: print("ok", m, flush=True))
    if failures:
        print(f"{len(failures)} failure(s)")
        sys.exit(1)
    print("all reconciliation checks passed")


if __name__ == "__main__":
    main()
