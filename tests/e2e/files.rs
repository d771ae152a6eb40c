//! Commands delete only what they made: targets that are not ours are
//! refused, a failure leaves the store and the outputs as they were,
//! leftovers of killed runs are cleared, two writers never share a store,
//! and settings that cannot work are usage errors.

use std::path::Path;

use crate::support::{Run, coopgraph_in, fixture};

fn build(dir: &Path, data: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["--data", data.to_str().unwrap(), "build"];
    args.extend_from_slice(extra);
    coopgraph_in(dir, &args)
}

/// Triples in the store's default graph, as `coopgraph sparql` counts them.
pub fn store_count(dir: &Path, store: &str) -> String {
    let q = coopgraph_in(
        dir,
        &["sparql", "--store", store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv"],
    );
    assert_eq!(q.code, 0, "{}", q.stderr);
    q.stdout
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    names
}

#[test]
fn build_refuses_targets_that_are_not_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    for f in ["entities.toml", "relations.toml", "sources.toml"] {
        std::fs::copy(fixture("mini").join(f), data.join(f)).unwrap();
    }
    // --out equal to or inside --data.
    for out in ["data", "data/out", "data/../data"] {
        let run = build(dir.path(), &data, &["--out", out, "--memory"]);
        assert_eq!(run.code, 2, "{out}: {}", run.stderr);
        assert!(run.stderr.contains("the outputs would replace the data"), "{}", run.stderr);
    }
    assert_eq!(names(&data), ["entities.toml", "relations.toml", "sources.toml"]);
    // A folder of other files, and a regular file, as --out or --store.
    let papers = dir.path().join("papers");
    std::fs::create_dir(&papers).unwrap();
    std::fs::write(papers.join("thesis.txt"), "years of work").unwrap();
    std::fs::write(dir.path().join("notes.txt"), "notes").unwrap();
    for (option, path, why) in [
        (
            "--out",
            "papers",
            "holds files coopgraph did not write (no .coopgraph-output marker), not a coopgraph output folder",
        ),
        ("--out", "notes.txt", "is a file, not a coopgraph output folder"),
        (
            "--store",
            "papers",
            "holds files coopgraph did not write (no .coopgraph-store marker), not a coopgraph store",
        ),
        ("--store", "notes.txt", "is a file, not a coopgraph store"),
    ] {
        let run = build(dir.path(), &data, &[option, path]);
        assert_eq!(run.code, 2, "{option} {path}: {}", run.stderr);
        assert_eq!(
            run.stderr,
            format!("error: {path} {why}; refusing to replace it: remove it yourself or choose another path\n")
        );
    }
    assert_eq!(std::fs::read_to_string(papers.join("thesis.txt")).unwrap(), "years of work");
    assert_eq!(std::fs::read_to_string(dir.path().join("notes.txt")).unwrap(), "notes");
    assert_eq!(names(dir.path()), ["data", "notes.txt", "papers"], "nothing written beside them");
    // Empty and missing folders are fine, and so is a target we made.
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    assert_eq!(build(dir.path(), &data, &["--out", "empty", "--store", "fresh"]).code, 0);
    assert!(dir.path().join("empty/.coopgraph-output").exists());
    assert!(dir.path().join("fresh/.coopgraph-store").exists());
    let again = build(dir.path(), &data, &["--out", "empty", "--store", "fresh"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
}

#[test]
fn a_failed_output_step_leaves_the_previous_store() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(build(dir.path(), &fixture("mini"), &[]).code, 0);
    let before = store_count(dir.path(), ".coopgraph/store");
    // The outputs cannot go where a file is: the new store must not come in.
    std::fs::write(dir.path().join("file"), "").unwrap();
    let run = build(dir.path(), &crate::support::root().join("data"), &["--out", "file"]);
    assert_ne!(run.code, 0);
    assert_eq!(store_count(dir.path(), ".coopgraph/store"), before);
}

#[test]
fn leftovers_of_killed_runs_are_removed_and_do_not_block() {
    let dir = tempfile::tempdir().unwrap();
    // A process id above the kernel's limit is never running.
    for leftover in [".out.tmp-4194999", ".coopgraph/.store.tmp-4194999", ".coopgraph/.store.old-4194998"] {
        std::fs::create_dir_all(dir.path().join(leftover).join("sub")).unwrap();
        std::fs::write(dir.path().join(leftover).join("sub/file"), "x").unwrap();
    }
    // The moved-aside copy is ours (marked): with no store in place, it is put back first.
    std::fs::write(dir.path().join(".coopgraph/.store.old-4194998/.coopgraph-store"), "").unwrap();
    std::fs::write(dir.path().join(".out.tmp-4194999.txt"), "not ours").unwrap();
    let run = build(dir.path(), &fixture("mini"), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(names(dir.path()), [".coopgraph", ".out.tmp-4194999.txt", "out"]);
    assert_eq!(names(&dir.path().join(".coopgraph")), ["store"]);
}

#[test]
fn a_second_writer_of_a_store_fails_clearly() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".coopgraph")).unwrap();
    let lock = std::fs::File::create(dir.path().join(".coopgraph/.store.lock")).unwrap();
    lock.try_lock().unwrap();
    std::fs::write(dir.path().join(".coopgraph/.store.lock"), "12345").unwrap();
    let run = build(dir.path(), &fixture("mini"), &[]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: another coopgraph (process 12345) is writing the store at .coopgraph/store; wait for it to finish and run again\n"
    );
    let import =
        coopgraph_in(dir.path(), &["import", fixture("csv-good").to_str().unwrap(), "--store", ".coopgraph/store"]);
    assert_eq!(import.code, 1);
    assert!(import.stderr.contains("is writing the store at .coopgraph/store"), "{}", import.stderr);
    drop(lock);
}

#[test]
fn settings_that_cannot_work_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let csv = fixture("csv-good");
    for args in [
        vec!["import", csv.to_str().unwrap(), "--store", "s", "--loader-memory", "0"],
        vec!["import", csv.to_str().unwrap(), "-o", "x.nq", "--threads", "0"],
        vec!["sparql", "--memory", "ASK {}", "--timeout", "0"],
        vec!["--max-errors", "0", "validate"],
        vec!["serve", "--memory", "--max-concurrent", "0"],
    ] {
        let run = coopgraph_in(dir.path(), &args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("invalid value"), "{args:?}: {}", run.stderr);
    }
    assert_eq!(names(dir.path()), Vec::<String>::new());
}

#[cfg(unix)]
#[test]
fn links_and_folders_in_the_data_are_treated_alike_by_validate_and_import() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::os::unix::fs::symlink(fixture("csv-good").join("entities.csv"), data.join("entities.csv")).unwrap();
    std::os::unix::fs::symlink(fixture("csv-good").join("relations.csv"), data.join("relations.csv")).unwrap();
    std::fs::copy(fixture("csv-provenance").join("sources.toml"), data.join("sources.toml")).unwrap();
    let d = data.to_str().unwrap();
    let validate = coopgraph_in(dir.path(), &["--data", d, "validate"]);
    assert_eq!(validate.code, 0, "linked files are read: {}", validate.stderr);
    let import = coopgraph_in(dir.path(), &["import", d, "-o", "a.nq"]);
    assert_eq!(import.code, 0, "{}", import.stderr);

    std::fs::remove_file(data.join("relations.csv")).unwrap();
    std::fs::create_dir(data.join("relations.csv")).unwrap();
    let expected = format!(
        "{}:1:1: error: is a folder, not a data file\n1 error in the data\n",
        data.join("relations.csv").display()
    );
    let validate = coopgraph_in(dir.path(), &["--data", d, "validate"]);
    assert_eq!(validate.code, 1);
    assert_eq!(validate.stderr, expected);
    let import = coopgraph_in(dir.path(), &["import", d, "-o", "b.nq"]);
    assert_eq!(import.code, 1);
    assert_eq!(import.stderr, expected);
}

#[test]
fn what_validate_accepts_build_builds() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::write(
        data.join("entities.csv"),
        format!(
            "id,type,label_en,label_zh,wikidata\njapan,country,Ja\u{0}pan,,\n{},country,Long,,\n",
            "a".repeat(100_000)
        ),
    )
    .unwrap();
    let d = data.to_str().unwrap();
    let e = data.join("entities.csv");
    let expected = format!(
        "{0}:2:15: error: label_en holds the control character U+0000 at character 3: text may hold no control characters other than tabs and line breaks\n\
         {0}:3:1: error: entity id of 100000 bytes is too long: at most 100\n2 errors in the data\n",
        e.display()
    );
    for args in [vec!["--data", d, "validate"], vec!["--data", d, "build", "--memory"]] {
        let run = coopgraph_in(dir.path(), &args);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
        assert_eq!(run.stderr, expected, "{args:?}");
    }
}
