//! The files written from the schema table are committed as generated:
//! `ontology/coopgraph.ttl`, `ontology/shapes.ttl` and `data/README.md`
//! hold blocks between `BEGIN generated` / `END generated` markers, and
//! `ontology/context.jsonld` is generated whole. A file out of step fails
//! this test, naming it; `COOPGRAPH_BLESS=1` rewrites it (review the diff).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::path::Path;

use coopgraph_rdf::schema_files::{Model, generated_files};

#[test]
fn generated_files_are_in_step_with_the_schema_table() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let bless = std::env::var_os("COOPGRAPH_BLESS").is_some();
    let mut stale = Vec::new();
    for file in generated_files(&Model::schema()) {
        let path = root.join(file.path);
        let existing = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", file.path));
        let wanted = file.apply(&existing).unwrap_or_else(|e| panic!("{e}"));
        if wanted != existing {
            if bless {
                std::fs::write(&path, &wanted).unwrap();
            } else {
                stale.push(file.path);
            }
        }
    }
    assert!(
        stale.is_empty(),
        "out of step with crates/coopgraph-model/src/schema.rs: {stale:?}; rerun with COOPGRAPH_BLESS=1 and review the diff"
    );
}
