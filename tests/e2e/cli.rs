use crate::support::{coopgraph_in, root};

#[test]
fn help_teaches_with_examples() {
    let run = coopgraph_in(&root(), &["--help"]);
    assert_eq!(run.code, 0);
    for needle in ["build", "validate", "stats", "path", "Examples:", "coopgraph path china interpol", "Exit codes"] {
        assert!(run.stdout.contains(needle), "--help lacks {needle:?}:\n{}", run.stdout);
    }
}

#[test]
fn usage_errors_exit_2() {
    let run = coopgraph_in(&root(), &["frobnicate"]);
    assert_eq!(run.code, 2);
    let run = coopgraph_in(&root(), &["path", "china"]);
    assert_eq!(run.code, 2);
}
