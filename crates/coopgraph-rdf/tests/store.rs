//! The on-disk store: built with the bulk loader, queried back, and swapped
//! in atomically so a failed build leaves the previous store usable.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use coopgraph_rdf::query::{QueryOptions, ResultFormat, run_query, write_results};
use coopgraph_rdf::store::{build_store, open_store};
use coopgraph_rdf::{MappingOptions, Namespaces, RdfError, map_dataset};

const DATA: &str = r#"
[[source]]
id = "001"
title = "Fox Hunt article"
paragraphs = 19

[[country]]
id = "china"
label = { en = "China", zh = "中国" }

[[organization]]
id = "interpol"
label = { en = "INTERPOL", zh = "国际刑警组织" }

[[relation]]
subject = "china"
predicate = "member_of"
object = "interpol"
start = "1984"
sources = ["001#8"]
"#;

fn count(path: &std::path::Path) -> String {
    let store = open_store(path).unwrap();
    let ns = Namespaces::default();
    let r = run_query(
        &store,
        &ns,
        "SELECT (COUNT(*) AS ?n) WHERE { ?s coop:memberOf ?o }",
        vec![],
        &QueryOptions::default(),
        "t",
    )
    .unwrap();
    String::from_utf8(write_results(r, ResultFormat::Csv, &ns, Vec::new()).unwrap()).unwrap()
}

#[test]
fn a_built_store_answers_union_queries() {
    let dataset = coopgraph_load::load_texts(&[("d.toml", DATA)], &Default::default()).unwrap();
    let quads = map_dataset(&dataset, &Namespaces::default(), MappingOptions::default());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    let summary = build_store(&path, &quads).unwrap();
    assert_eq!(summary.quads, quads.len());
    assert_eq!(summary.graphs, 2, "the reference graph and the graph of source 001");
    assert_eq!(summary.union_triples, coopgraph_rdf::export::union_triples(quads.iter()).len());
    assert_eq!(count(&path), "n\r\n1\r\n");
}

#[test]
fn rebuilding_replaces_the_store_and_leaves_no_staging_folder() {
    let dataset = coopgraph_load::load_texts(&[("d.toml", DATA)], &Default::default()).unwrap();
    let quads = map_dataset(&dataset, &Namespaces::default(), MappingOptions::default());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    build_store(&path, &quads).unwrap();
    build_store(&path, &quads).unwrap();
    let names: Vec<_> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert_eq!(names, vec!["store"]);
    assert_eq!(count(&path), "n\r\n1\r\n");
}

#[test]
fn a_failed_build_leaves_the_previous_store_usable() {
    let dataset = coopgraph_load::load_texts(&[("d.toml", DATA)], &Default::default()).unwrap();
    let quads = map_dataset(&dataset, &Namespaces::default(), MappingOptions::default());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    build_store(&path, &quads).unwrap();
    // Make the staging folder impossible to create: a file in its place that
    // cannot be removed as a folder.
    let staging = dir.path().join(format!(".store.tmp-{}", std::process::id()));
    std::fs::write(&staging, "in the way").unwrap();
    assert!(build_store(&path, &quads).is_err());
    assert_eq!(count(&path), "n\r\n1\r\n");
}

#[test]
fn opening_a_missing_store_says_how_to_build_one() {
    let dir = tempfile::tempdir().unwrap();
    let Err(e) = open_store(&dir.path().join("nothing")) else { panic!("opened a store that does not exist") };
    let e = e.to_string();
    assert!(e.contains("run `coopgraph build` first"), "{e}");
}

#[test]
fn a_query_past_its_time_limit_is_stopped() {
    // 4,000 triples, joined with themselves through a filter: sixteen million
    // comparisons, seconds of work, bounded even if the limit did not strike.
    let mut text = String::from("[[source]]\nid = \"001\"\ntitle = \"t\"\n");
    for i in 0..1000 {
        text.push_str(&format!("[[country]]\nid = \"c{i}\"\nlabel = {{ en = \"Country {i}\" }}\n"));
    }
    let dataset = coopgraph_load::load_texts(&[("d.toml", text.as_str())], &Default::default()).unwrap();
    let ns = Namespaces::default();
    let store = coopgraph_rdf::store::memory_store(&map_dataset(&dataset, &ns, MappingOptions::default())).unwrap();
    let options = QueryOptions { timeout: Some(std::time::Duration::from_millis(100)), ..QueryOptions::default() };
    let q = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . FILTER(CONCAT(STR(?c), STR(?f)) != \"x\") }";
    let result = run_query(&store, &ns, q, vec![], &options, "t")
        .and_then(|r| write_results(r, ResultFormat::Csv, &ns, Vec::new()));
    let Err(e) = result else { panic!("the query finished within its time limit") };
    assert!(e.to_string().contains("time limit"), "{e}");
}

/// A store of 1,000 countries labelled "Country N".
fn countries() -> (coopgraph_rdf::oxigraph::store::Store, Namespaces) {
    let mut text = String::from("[[source]]\nid = \"001\"\ntitle = \"t\"\n");
    for i in 0..1000 {
        text.push_str(&format!("[[country]]\nid = \"c{i}\"\nlabel = {{ en = \"Country {i}\" }}\n"));
    }
    let dataset = coopgraph_load::load_texts(&[("d.toml", text.as_str())], &Default::default()).unwrap();
    let ns = Namespaces::default();
    let store = coopgraph_rdf::store::memory_store(&map_dataset(&dataset, &ns, MappingOptions::default())).unwrap();
    (store, ns)
}

fn csv(
    store: &coopgraph_rdf::oxigraph::store::Store,
    ns: &Namespaces,
    q: &str,
    options: &QueryOptions,
) -> Result<String, RdfError> {
    let results = run_query(store, ns, q, vec![], options, "t")?;
    let out = write_results(results, ResultFormat::Csv, ns, Vec::new())?;
    Ok(String::from_utf8(out).unwrap())
}

#[test]
fn a_sort_past_its_row_bound_is_stopped_and_one_within_it_is_answered_whole() {
    let (store, ns) = countries();
    let sorted = "SELECT ?c ?l WHERE { ?c rdfs:label ?l FILTER(STRSTARTS(?l, \"Country\")) } ORDER BY DESC(?l)";
    let within = QueryOptions { max_sort_rows: Some(5000), ..QueryOptions::default() };
    let answer = csv(&store, &ns, sorted, &within).unwrap();
    let lines: Vec<&str> = answer.lines().collect();
    assert_eq!(lines.len(), 1001, "{answer}");
    assert_eq!(lines.first().copied(), Some("c,l"), "the counting variable is never projected");
    assert!(lines.get(1).is_some_and(|l| l.ends_with(",Country 999")), "{:?}", lines.get(1));
    let star = csv(&store, &ns, "SELECT * WHERE { ?c rdfs:label ?l } ORDER BY ?l", &within).unwrap();
    assert_eq!(star.lines().next(), Some("c,l"), "SELECT * lists only the query's variables");
    // Past the bound: stopped, whatever the time limit, in a sub-select too.
    let past = QueryOptions {
        max_sort_rows: Some(100),
        timeout: Some(std::time::Duration::from_secs(600)),
        ..QueryOptions::default()
    };
    let nested = "SELECT (COUNT(*) AS ?n) WHERE { { SELECT ?l WHERE { ?c rdfs:label ?l } ORDER BY ?l } }";
    for q in [sorted, nested] {
        let e = csv(&store, &ns, q, &past).unwrap_err();
        assert!(matches!(e, RdfError::SortTooLarge(100)), "{q}: {e}");
        assert!(e.to_string().contains("more than 100 rows to sort"), "{e}");
    }
    // No bound, no counting: the same query is answered.
    assert_eq!(csv(&store, &ns, sorted, &QueryOptions::default()).unwrap().lines().count(), 1001);
}

#[test]
fn syntax_errors_name_the_position() {
    let store = coopgraph_rdf::store::memory_store(&Default::default()).unwrap();
    let result = run_query(
        &store,
        &Namespaces::default(),
        "SELECT ?x WHERE {\n  ?x ?y \n}",
        vec![],
        &QueryOptions::default(),
        "q.rq",
    );
    let Err(e) = result else { panic!("a malformed query ran") };
    let e = e.to_string();
    assert!(e.starts_with("q.rq:3:") && e.contains(": SPARQL syntax error: expected"), "{e}");
}

#[test]
fn a_path_that_is_not_a_store_is_refused_and_left_alone() {
    let dataset = coopgraph_load::load_texts(&[("d.toml", DATA)], &Default::default()).unwrap();
    let quads = map_dataset(&dataset, &Namespaces::default(), MappingOptions::default());
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("papers");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("thesis.txt"), "years of work").unwrap();
    let e = build_store(&folder, &quads).unwrap_err();
    assert!(matches!(e, coopgraph_rdf::RdfError::Usage(_)), "{e}");
    assert!(e.to_string().contains("not a coopgraph store"), "{e}");
    assert_eq!(std::fs::read_to_string(folder.join("thesis.txt")).unwrap(), "years of work");
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, "notes").unwrap();
    assert!(build_store(&file, &quads).is_err());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "notes");
    let mut names: Vec<_> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    assert_eq!(names, ["notes.txt", "papers"], "nothing left beside them");
    // A store we built is ours: rebuilding it is fine.
    let store = dir.path().join("store");
    build_store(&store, &quads).unwrap();
    assert!(store.join(".coopgraph-store").exists());
    build_store(&store, &quads).unwrap();
}

#[test]
fn a_built_store_keeps_its_statistics_inside_its_folder() {
    use coopgraph_rdf::sidecar::{StoreStats, sidecar_dir};
    let dataset = coopgraph_load::load_texts(&[("d.toml", DATA)], &Default::default()).unwrap();
    let ns = Namespaces::default();
    let quads = map_dataset(&dataset, &ns, MappingOptions::default());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    let mut seen = None;
    let summary = coopgraph_rdf::store::build_store_with(&path, &quads, &mut |_, sidecar| {
        // More is written into the sidecar of the staging copy, before the swap.
        std::fs::write(sidecar.join("extra"), b"x").unwrap();
        seen = Some(sidecar.to_path_buf());
        Ok(())
    })
    .unwrap();
    assert!(!seen.unwrap().starts_with(&path), "the sidecar was written before the store was swapped in");
    assert_eq!(std::fs::read(sidecar_dir(&path).join("extra")).unwrap(), b"x");
    let stats = StoreStats::read(&path).unwrap().expect("statistics beside the store");
    assert_eq!(stats.quads as usize, summary.quads);
    assert_eq!(stats.triples as usize, summary.union_triples);
    assert_eq!(stats.graphs.len(), 2);
    assert_eq!(stats.graphs.iter().map(|(_, n)| *n).sum::<u64>(), stats.quads);
    assert_eq!(stats.instances(ns.term("Country").as_str()), 1);
    assert_eq!(stats.instances(ns.term("RelationStatement").as_str()), 1);
    assert_eq!(stats.example(ns.term("Organization").as_str()), Some("https://w3id.org/coopgraph/interpol"));
    let props = stats.properties.iter().find(|(p, _)| p.ends_with("#memberOf")).map(|(_, n)| *n);
    assert_eq!(props, Some(1));
    // The store with its sidecar still opens and answers; a rebuild has a new build id.
    assert_eq!(count(&path), "n\r\n1\r\n");
    build_store(&path, &quads).unwrap();
    let again = StoreStats::read(&path).unwrap().unwrap();
    assert_ne!(again.build_id, stats.build_id);
    assert_eq!((again.triples, again.quads), (stats.triples, stats.quads));
    // A store without statistics reads as none.
    std::fs::remove_file(sidecar_dir(&path).join("stats.json")).unwrap();
    assert_eq!(StoreStats::read(&path).unwrap(), None);
}
