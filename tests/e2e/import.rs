use std::collections::BTreeSet;
use std::path::Path;

use crate::support::{coopgraph_in, fixture};

const KG: [&str; 4] = ["--base", "https://example.org/kg/", "--vocab", "https://example.org/kg/ontology#"];

#[test]
fn import_streams_the_canonical_mapping() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.nt");
    let data = fixture("csv-good");
    let mut args = KG.to_vec();
    args.extend(["import", data.to_str().unwrap(), "--no-provenance", "-o", out.to_str().unwrap()]);
    let run = coopgraph_in(dir.path(), &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("triples=8\nelapsed_s="), "{}", run.stdout);
    let nt = std::fs::read_to_string(&out).unwrap();
    assert_eq!(
        nt,
        "<https://example.org/kg/country-000001> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://example.org/kg/ontology#Country> .\n\
         <https://example.org/kg/country-000001> <http://www.w3.org/2000/01/rdf-schema#label> \"Kalostan (officially \\\"Kalostan Union\\\")\"@en .\n\
         <https://example.org/kg/country-000001> <http://www.w3.org/2000/01/rdf-schema#label> \"卡奥斯坦\"@zh .\n\
         <https://example.org/kg/country-000001> <http://www.w3.org/2002/07/owl#sameAs> <http://www.wikidata.org/entity/Q1> .\n\
         <https://example.org/kg/organization-000001> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://example.org/kg/ontology#Organization> .\n\
         <https://example.org/kg/organization-000001> <http://www.w3.org/2000/01/rdf-schema#label> \"Org, with comma\"@en .\n\
         <https://example.org/kg/organization-000001> <http://www.w3.org/2000/01/rdf-schema#label> \"组织\"@zh .\n\
         <https://example.org/kg/country-000001> <https://example.org/kg/ontology#memberOf> <https://example.org/kg/organization-000001> .\n"
    );
}

#[test]
fn import_reports_every_bad_row_with_its_position_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.nt");
    let data = fixture("csv-bad");
    let run = coopgraph_in(dir.path(), &["import", data.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    let e = data.join("entities.csv");
    let r = data.join("relations.csv");
    let expected = [
        format!(
            "{}:3:41: error: malformed Wikidata id \"17\": expected Q followed by digits, such as \"Q148\"",
            e.display()
        ),
        format!(
            "{}:2:26: error: unknown entity \"organization-000002\" (did you mean \"organization-000001\"?)",
            r.display()
        ),
        format!(
            "{}:3:31: error: member_of from an organization expects organization as object, but \"country-000001\" is a country",
            r.display()
        ),
        format!("{}:4:25: error: too few fields: expected 4 (subject,predicate,object,source), found 2", r.display()),
        "4 errors in the data".to_owned(),
    ];
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines, expected, "{}", run.stderr);
    assert!(!out.exists(), "no output after errors");
}

fn lines(path: &Path) -> BTreeSet<String> {
    std::fs::read_to_string(path).unwrap().lines().map(str::to_owned).collect()
}

fn count(dir: &Path, store: &Path, query: &str) -> String {
    let q = coopgraph_in(dir, &["sparql", query, "--format", "csv", "--store", store.to_str().unwrap()]);
    assert_eq!(q.code, 0, "{}", q.stderr);
    q.stdout.lines().last().unwrap_or_default().trim().to_owned()
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

#[test]
fn import_by_default_writes_the_full_mapping_of_the_curated_pipeline() {
    let dir = tempfile::tempdir().unwrap();
    let data = fixture("csv-provenance");
    let (exported, imported, triples) =
        (dir.path().join("export.nq"), dir.path().join("import.nq"), dir.path().join("import.nt"));
    let run = coopgraph_in(
        dir.path(),
        &["--data", data.to_str().unwrap(), "export", "--format", "nquads", "-o", exported.to_str().unwrap()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = coopgraph_in(dir.path(), &["import", data.to_str().unwrap(), "-o", imported.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // N-Quads hold graphs: the count says quads, as `build` does.
    assert!(run.stdout.starts_with("quads=32\n"), "{}", run.stdout);
    // The same quads as the curated mapping of the same rows, except the
    // descriptions of the source documents, which the CSV does not have.
    let expected: BTreeSet<String> = lines(&exported)
        .into_iter()
        .filter(|l| !(l.starts_with("<https://w3id.org/coopgraph/source/doc-") && l.ends_with("/graph/reference> .")))
        .collect();
    assert_eq!(lines(&imported), expected);
    assert!(expected.iter().any(|l| l.contains("/statement/country-000001.member_of.organization-000002>")));
    assert!(expected.iter().any(|l| l.contains("/source/doc-002#p3-en> <http://purl.org/dc/terms/language> \"en\"")));

    // N-Triples: the same statements without their graphs.
    let run = coopgraph_in(dir.path(), &["import", data.to_str().unwrap(), "-o", triples.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let without_graphs: BTreeSet<String> = expected
        .iter()
        .map(|l| {
            let cut = l.trim_end_matches(" .").rfind(" <").unwrap();
            format!("{} .", &l[..cut])
        })
        .collect();
    assert_eq!(lines(&triples), without_graphs);
    // --format overrides the extension.
    let run = coopgraph_in(
        dir.path(),
        &["import", data.to_str().unwrap(), "--format", "nq", "-o", triples.to_str().unwrap()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(lines(&triples), expected);
}

#[test]
fn import_builds_the_store_and_replaces_it_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("stores/kg");
    let run = coopgraph_in(
        dir.path(),
        &["import", fixture("csv-good").to_str().unwrap(), "--no-provenance", "--store", store.to_str().unwrap()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("replaced"), "a new store replaces nothing: {}", run.stderr);
    assert_eq!(count(dir.path(), &store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"), "8");
    assert_eq!(count(dir.path(), &store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"), "0");

    // The full mapping replaces it: named graphs, and their union as the default graph.
    let data = fixture("csv-provenance");
    let nq = dir.path().join("full.nq");
    let run = coopgraph_in(
        dir.path(),
        &["import", data.to_str().unwrap(), "--store", store.to_str().unwrap(), "-o", nq.to_str().unwrap()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("it replaced the store that was there (8 triples, build ")
            && run.stderr.contains("answers from the new one"),
        "the import says what it replaced: {}",
        run.stderr
    );
    let quads = lines(&nq);
    let union: BTreeSet<String> = quads
        .iter()
        .map(|l| {
            let cut = l.trim_end_matches(" .").rfind(" <").unwrap();
            l[..cut].to_owned()
        })
        .collect();
    assert_eq!(
        count(dir.path(), &store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"),
        quads.len().to_string()
    );
    assert_eq!(count(dir.path(), &store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"), union.len().to_string());
    assert_eq!(
        count(dir.path(), &store, "SELECT (COUNT(*) AS ?n) WHERE { ?s coop:memberOf ?o }"),
        "2",
        "a relation is one triple in the default graph"
    );

    // A failed import changes nothing and leaves no staging folder behind.
    let run =
        coopgraph_in(dir.path(), &["import", fixture("csv-bad").to_str().unwrap(), "--store", store.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert_eq!(
        count(dir.path(), &store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"),
        quads.len().to_string()
    );
    assert_eq!(names(&dir.path().join("stores")), vec!["kg"]);
}

#[test]
fn a_failed_import_leaves_the_previous_output_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.nq");
    std::fs::write(&out, "previous\n").unwrap();
    let run = coopgraph_in(dir.path(), &["import", fixture("csv-bad").to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous\n");
    assert_eq!(names(dir.path()), vec!["out.nq"], "no temporary file left behind");
}

#[test]
fn errors_in_a_large_file_give_row_and_column_and_are_capped() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let mut entities = String::from("id,type,label_en,label_zh,wikidata\ncountry-000001,Country,A,甲,\n");
    for i in 1..=60_000 {
        entities.push_str(&format!("organization-{i:06},Organization,\"B, \"\"b\"\"\",乙,Q2\n"));
    }
    std::fs::write(data.join("entities.csv"), entities).unwrap();
    // Several read blocks (over 1 MiB); every 10,000th row names an unknown
    // object (too far from every id for a suggestion).
    let mut rel = String::from("subject,predicate,object,source\n");
    for i in 1..=60_000 {
        let object = if i % 10_000 == 0 { "nowhere-999999".to_owned() } else { format!("organization-{i:06}") };
        rel.push_str(&format!("country-000001,member_of,{object},doc-{:03}\n", i % 1000));
    }
    assert!(rel.len() > 3 << 20);
    std::fs::write(data.join("relations.csv"), rel).unwrap();
    let out = dir.path().join("out.nq");
    let run =
        coopgraph_in(dir.path(), &["--max-errors", "4", "import", data.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    let r = data.join("relations.csv");
    let mut expected: Vec<String> = [10_000, 20_000, 30_000, 40_000]
        .iter()
        .map(|row| format!("{}:{}:26: error: unknown entity \"nowhere-999999\"", r.display(), row + 1))
        .collect();
    expected.push("... and 2 more errors not listed (raise --max-errors to see them)".to_owned());
    expected.push("6 errors in the data".to_owned());
    let got: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(got, expected, "{}", run.stderr);
    assert!(!out.exists());
}

#[test]
fn the_progress_bar_is_hidden_when_stderr_is_not_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.nq");
    let data = fixture("csv-good");
    let run = coopgraph_in(dir.path(), &["import", data.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, format!("imported {} into {}\n", data.display(), out.display()));
}

#[test]
fn quoted_relation_rows_take_the_general_path_with_the_same_positions() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::copy(fixture("csv-good").join("entities.csv"), data.join("entities.csv")).unwrap();
    std::fs::write(
        data.join("relations.csv"),
        "subject,predicate,object,source\n\"country-000001\",member_of,organization-000001,doc-001\ncountry-000001,\"member_of\",organization-000002,doc-001\n",
    )
    .unwrap();
    let run = coopgraph_in(dir.path(), &["import", data.to_str().unwrap(), "--no-provenance", "-o", "out.nt"]);
    assert_eq!(run.code, 1);
    let r = data.join("relations.csv");
    assert_eq!(
        run.stderr.lines().collect::<Vec<_>>(),
        vec![
            format!(
                "{}:3:28: error: unknown entity \"organization-000002\" (did you mean \"organization-000001\"?)",
                r.display()
            ),
            "1 error in the data".to_owned()
        ]
    );
}

#[test]
fn import_reports_a_duplicate_id_where_it_stands() {
    // Columns in another order and a label over two lines: the error must
    // still point at the id of the second declaration (line 5, column 9).
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::write(
        data.join("entities.csv"),
        "type,id,label_en,label_zh,wikidata\n\
         Country,country-000001,A,甲,\n\
         Country,country-000002,\"Two\nlines\",乙,\n\
         Country,country-000001,C,丙,\n",
    )
    .unwrap();
    std::fs::write(data.join("relations.csv"), "subject,predicate,object,source\n").unwrap();
    let out = dir.path().join("out.nt");
    let run = coopgraph_in(dir.path(), &["import", data.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let e = data.join("entities.csv");
    let expected = format!(
        "{}:5:9: error: duplicate entity id \"country-000001\": first declared at {}:2:9\n1 error in the data\n",
        e.display(),
        e.display()
    );
    assert_eq!(run.stderr, expected);
    assert!(!out.exists());
}
