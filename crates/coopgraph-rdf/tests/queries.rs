//! The data-driven harness of the bundled query library: every
//! `queries/*.rq` runs with its default parameters against an on-disk store
//! built from `data/`, and its table must equal `tests/expected/queries/NAME.txt`.
//! `COOPGRAPH_BLESS=1` rewrites the expected files (review the diff).
//! Each query runs a second time with the server's bound on sorting, whose
//! counted sorts must give the same table.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::path::Path;

use coopgraph_rdf::query::{DEFAULT_MAX_SORT_ROWS, QueryOptions, ResultFormat, load_library, run_query, write_results};
use coopgraph_rdf::store::{build_store, open_store};
use coopgraph_rdf::{MappingOptions, Namespaces, map_dataset};

#[test]
fn every_bundled_query_gives_its_expected_results() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dataset = coopgraph_load::load_dir(&root.join("data")).unwrap();
    let ns = Namespaces::default();
    let dir = tempfile::tempdir().unwrap();
    let store_path = dir.path().join("store");
    build_store(&store_path, &map_dataset(&dataset, &ns, MappingOptions::default())).unwrap();
    let store = open_store(&store_path).unwrap();

    let library = load_library(&root.join("queries")).unwrap();
    assert!(library.len() >= 15, "the library has {} queries", library.len());
    let bless = std::env::var_os("COOPGRAPH_BLESS").is_some();
    let mut failures = Vec::new();
    for q in &library {
        let table = |options: &QueryOptions| {
            let bindings = q.bindings(&[], &ns).unwrap();
            let results = run_query(&store, &ns, &q.text, bindings, options, &q.name)
                .unwrap_or_else(|e| panic!("{}: {e}", q.name));
            String::from_utf8(write_results(results, ResultFormat::Table, &ns, Vec::new()).unwrap()).unwrap()
        };
        let bounded = table(&QueryOptions { max_sort_rows: Some(DEFAULT_MAX_SORT_ROWS), ..QueryOptions::default() });
        let table = table(&QueryOptions::default());
        if bounded != table {
            failures.push(format!("{} with counted sorts differs:\n{bounded}", q.name));
        }
        let expected_path = root.join("tests/expected/queries").join(format!("{}.txt", q.name));
        if bless {
            std::fs::create_dir_all(expected_path.parent().unwrap()).unwrap();
            std::fs::write(&expected_path, &table).unwrap();
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != table {
            failures.push(format!("{} differs from {}:\n{table}", q.name, expected_path.display()));
        }
        if table.ends_with("(0 rows)\n") {
            failures.push(format!("{} returns no rows on the curated data", q.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
