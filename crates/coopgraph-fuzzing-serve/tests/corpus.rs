//! Every file of `fuzz/corpus/sparql_request/` (the seeds and what the
//! campaigns kept) through the entry point of the target, on stable.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

#[test]
fn every_corpus_file_passes_the_sparql_request_target() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/sparql_request");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("no corpus in {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "the corpus of sparql_request is empty");
    for file in files {
        let data = std::fs::read(&file).unwrap();
        let outcome = std::panic::catch_unwind(|| coopgraph_fuzzing_serve::sparql_request(&data));
        assert!(outcome.is_ok(), "sparql_request fails on {}", file.display());
    }
}

#[test]
fn the_target_has_a_fuzz_target_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let source = std::fs::read_to_string(root.join("fuzz_targets/sparql_request.rs")).unwrap();
    assert!(source.contains("coopgraph_fuzzing_serve::sparql_request"));
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"sparql_request\""));
}
