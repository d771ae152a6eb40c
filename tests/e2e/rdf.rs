use crate::support::{coopgraph, coopgraph_in, fixture, root};

#[test]
fn export_writes_each_format_to_stdout_or_a_file() {
    for (format, needle) in [
        ("turtle", "cg:china a coop:Country"),
        ("ntriples", "<https://w3id.org/coopgraph/china> <http://www.w3.org/2000/01/rdf-schema#label> \"中国\"@zh ."),
        ("nquads", "<https://w3id.org/coopgraph/source/001> ."),
        ("trig", "cg:source\\/001 {"),
        ("rdfxml", "<rdf:RDF"),
        ("jsonld", "\"@context\""),
    ] {
        let run = coopgraph("mini", &["export", "--format", format]);
        assert_eq!(run.code, 0, "{format}: {}", run.stderr);
        assert!(
            run.stdout.contains(needle),
            "{format} lacks {needle:?}:\n{}",
            &run.stdout[..run.stdout.len().min(600)]
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("g.nt");
    let run = coopgraph("mini", &["export", "--format", "ntriples", "-o", file.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(std::fs::read_to_string(&file).unwrap().lines().count() > 50);
}

#[test]
fn export_with_another_base_and_vocabulary() {
    let run = coopgraph(
        "mini",
        &[
            "--base",
            "https://example.org/kg/",
            "--vocab",
            "https://example.org/kg/ontology#",
            "export",
            "--format",
            "ntriples",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains(
        "<https://example.org/kg/china> <https://example.org/kg/ontology#memberOf> <https://example.org/kg/apec> ."
    ));
    let bad = coopgraph("mini", &["--base", "https://example.org/kg", "export", "--format", "ntriples"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("must end with '/' or '#'"), "{}", bad.stderr);
}

#[test]
fn sparql_and_library_queries_answer_from_an_in_memory_store() {
    let run = coopgraph(
        "mini",
        &[
            "sparql",
            "--memory",
            "SELECT ?op WHERE { cg:china coop:participatedIn ?op } ORDER BY ?op",
            "--format",
            "tsv",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "?op\n<https://w3id.org/coopgraph/fox_hunt_2014>\n<https://w3id.org/coopgraph/fox_hunt_2015>\n"
    );
    let ask = coopgraph("mini", &["sparql", "--memory", "ASK { cg:china coop:memberOf cg:apec }"]);
    assert_eq!(ask.stdout, "yes\n");
}

#[test]
fn query_errors_are_clear() {
    let run = coopgraph("mini", &["sparql", "--memory", "SELECT ?x WHERE { ?x ?y }"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("query:1:"), "{}", run.stderr);
    let update = coopgraph("mini", &["sparql", "--memory", "DELETE WHERE { ?s ?p ?o }"]);
    assert_eq!(update.code, 2, "updates are refused: {}", update.stderr);
    let service = coopgraph(
        "mini",
        &["sparql", "--memory", "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"],
    );
    assert_eq!(service.code, 2);
    assert!(service.stderr.contains("federated queries are not allowed"), "{}", service.stderr);
    let dir = tempfile::tempdir().unwrap();
    let no_store = coopgraph_in(dir.path(), &["sparql", "ASK {}"]);
    assert_eq!(no_store.code, 2);
    assert!(no_store.stderr.contains("run `coopgraph build` first"), "{}", no_store.stderr);
}

#[test]
fn query_list_and_run_use_the_bundled_library() {
    let queries = root().join("queries");
    let list = coopgraph("mini", &["query", "list", "--queries", queries.to_str().unwrap()]);
    assert_eq!(list.code, 0, "{}", list.stderr);
    assert!(list.stdout.lines().filter(|l| !l.starts_with(' ')).count() >= 15, "{}", list.stdout);
    let unknown =
        coopgraph("mini", &["query", "run", "no-such-query", "--queries", queries.to_str().unwrap(), "--memory"]);
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("no bundled query \"no-such-query\""), "{}", unknown.stderr);
}

#[test]
fn outside_a_checkout_the_queries_built_into_the_binary_are_used() {
    // A folder with data but no queries/: an installed coopgraph.
    let dir = tempfile::tempdir().unwrap();
    let data = fixture("mini");
    let in_repo: Vec<String> = std::fs::read_dir(root().join("queries"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "rq"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    let list = coopgraph_in(dir.path(), &["query", "list"]);
    assert_eq!(list.code, 0, "{}", list.stderr);
    for name in &in_repo {
        assert!(list.stdout.lines().any(|l| l.starts_with(name.as_str())), "{name} missing from:\n{}", list.stdout);
    }
    let run = coopgraph_in(
        dir.path(),
        &["query", "run", "timeline", "--memory", "--data", data.to_str().unwrap(), "--format", "tsv"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with('?'), "{}", run.stdout);
}

#[test]
fn validate_runs_the_shacl_shapes() {
    let run = coopgraph("mini", &["validate"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("conform to"), "{}", run.stdout);
}

/// Our SHACL verdicts on the fixtures equal pyshacl's, recorded in
/// tests/fixtures/shacl/expected.tsv (and rechecked live by
/// tests/independent/check.py, run by scripts/test).
#[test]
fn shacl_verdicts_match_the_recorded_independent_ones() {
    let expected = std::fs::read_to_string(fixture("shacl").join("expected.tsv")).unwrap();
    for line in expected.lines().filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (file, conforms, count) = (cols[0], cols[1] == "true", cols[2].parse::<usize>().unwrap());
        let path = fixture("shacl").join(file);
        let run = coopgraph("mini", &["validate", "--rdf", path.to_str().unwrap()]);
        assert_eq!(run.code == 0, conforms, "{file}: {}", run.stderr);
        assert_eq!(run.stderr.lines().filter(|l| l.contains(": shacl: ")).count(), count, "{file}: {}", run.stderr);
    }
}
