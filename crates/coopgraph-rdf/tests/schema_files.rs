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

/// A bundled query that lists the entity classes (to pick an entity's kind
/// among its classes) lists every kind of the schema table, so a new kind
/// cannot silently drop out of `find-entities`, `timeline` or
/// `missing-translations`.
#[test]
fn queries_that_list_every_kind_list_the_schema_kinds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let classes: Vec<String> =
        coopgraph_model::schema::KINDS.iter().map(|k| format!("coop:{}", k.class_name)).collect();
    let mut checked = 0;
    for entry in std::fs::read_dir(root.join("queries")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "rq") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        // Queries about some kinds only (members are countries or
        // organizations) name fewer than four; these name them all.
        let named = ["coop:Country", "coop:Organization", "coop:Operation", "coop:Treaty"];
        if !named.iter().all(|c| text.contains(c)) || !text.contains("?kind_class") {
            continue;
        }
        checked += 1;
        let missing: Vec<&String> = classes.iter().filter(|c| !text.contains(c.as_str())).collect();
        assert!(missing.is_empty(), "{} does not list {missing:?}", path.display());
    }
    assert!(checked >= 3, "find-entities, timeline and missing-translations list the kinds");
}
