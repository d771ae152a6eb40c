use std::path::Path;

use crate::support::{Run, coopgraph_in, fixture};

fn build(dir: &Path, data: &Path) -> Run {
    coopgraph_in(dir, &["--data", data.to_str().unwrap(), "build"])
}

/// Every file under `out` (recursively), by path relative to it; SVG files
/// (written only where Graphviz is installed) are left out.
fn read_all(out: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for e in std::fs::read_dir(out).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().into_string().unwrap();
        if e.path().is_dir() {
            files.extend(read_all(&e.path()).into_iter().map(|(n, b)| (format!("{name}/{n}"), b)));
        } else if !name.ends_with(".svg") {
            files.push((name, std::fs::read(e.path()).unwrap()));
        }
    }
    files.sort();
    files
}

#[test]
fn build_writes_every_output_and_the_store_deterministically() {
    let dir = tempfile::tempdir().unwrap();
    let run = build(dir.path(), &fixture("mini"));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("store .coopgraph/store:"), "{}", run.stdout);
    assert!(run.stdout.contains("as the default graph"), "{}", run.stdout);
    let first = read_all(&dir.path().join("out"));
    let names: Vec<&str> = first.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            ".coopgraph-output",
            "coopgraph.cytoscape.json",
            "coopgraph.dot",
            "coopgraph.graphml",
            "coopgraph.jsonld",
            "coopgraph.nq",
            "coopgraph.nt",
            "coopgraph.rdf",
            "coopgraph.trig",
            "coopgraph.ttl",
            "stats.json",
            "stats.txt",
            "views/anti-corruption.dot",
            "views/memberships.dot"
        ]
    );
    let run = build(dir.path(), &fixture("mini"));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(first == read_all(&dir.path().join("out")), "outputs differ between two builds");
    let mut leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    leftovers.sort();
    assert_eq!(leftovers, ["out", ".coopgraph"].map(std::ffi::OsString::from).into_iter().rev().collect::<Vec<_>>());
    let stores: Vec<_> =
        std::fs::read_dir(dir.path().join(".coopgraph")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(stores, vec![std::ffi::OsString::from("store")], "no staging store left behind");
}

#[test]
fn a_failed_build_leaves_the_previous_outputs_and_store_untouched() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(build(dir.path(), &fixture("mini")).code, 0);
    let before = read_all(&dir.path().join("out"));
    let run = build(dir.path(), &fixture("broken"));
    assert_eq!(run.code, 1);
    assert!(before == read_all(&dir.path().join("out")));
    let q = coopgraph_in(
        dir.path(),
        &["sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s coop:memberOf ?o }", "--format", "csv"],
    );
    assert_eq!(q.code, 0, "{}", q.stderr);
    assert_eq!(q.stdout, "n\r\n1\r\n");
}

#[test]
fn memory_builds_skip_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let data = fixture("mini");
    let run = coopgraph_in(dir.path(), &["--data", data.to_str().unwrap(), "build", "--memory"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("store skipped (--memory)"));
    assert!(!dir.path().join(".coopgraph").exists());
    assert!(dir.path().join("out/coopgraph.ttl").exists());
}
