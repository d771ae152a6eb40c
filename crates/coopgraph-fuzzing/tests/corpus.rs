//! Every file of every corpus in `fuzz/corpus/` (the seeds and what the
//! campaigns kept) through its target's entry point, on stable.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

#[test]
fn every_corpus_file_passes_its_target() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus");
    for target in coopgraph_fuzzing::TARGETS {
        let dir = root.join(target.name);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("no corpus for {} in {}: {e}", target.name, dir.display()))
            .map(|entry| entry.unwrap().path())
            .collect();
        files.sort();
        assert!(!files.is_empty(), "the corpus of {} is empty", target.name);
        for file in files {
            let data = std::fs::read(&file).unwrap();
            let outcome = std::panic::catch_unwind(|| (target.run)(&data));
            assert!(outcome.is_ok(), "{} fails on {}", target.name, file.display());
        }
    }
}

#[test]
fn every_target_has_a_fuzz_target_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let campaign = std::fs::read_to_string(root.join("campaign.sh")).unwrap();
    for target in coopgraph_fuzzing::TARGETS {
        let source = std::fs::read_to_string(root.join("fuzz_targets").join(format!("{}.rs", target.name)))
            .unwrap_or_else(|e| panic!("no fuzz target for {}: {e}", target.name));
        assert!(source.contains(&format!("coopgraph_fuzzing::{}", target.name)), "{}", target.name);
        assert!(manifest.contains(&format!("name = \"{}\"", target.name)), "{} is not in fuzz/Cargo.toml", target.name);
        assert!(
            campaign.lines().any(|l| l.trim_start().starts_with(target.name) && l.contains("max_len=")),
            "fuzz/campaign.sh gives {} no -max_len",
            target.name
        );
    }
}
