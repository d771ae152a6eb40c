use crate::support::{coopgraph_in, fixture, root};

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

/// Runs coopgraph with `-o FIFO` (a named pipe made by `mkfifo`), reading
/// the pipe meanwhile; returns the run and what came through the pipe.
fn through_a_fifo(args: &[&str]) -> (crate::support::Run, Vec<u8>, bool) {
    use std::os::unix::fs::FileTypeExt as _;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.nt");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success(), "mkfifo failed");
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).unwrap())
    };
    let mut all = args.to_vec();
    all.extend(["-o", fifo.to_str().unwrap()]);
    // A second name for the pipe, to reach it if `fifo` gets replaced.
    let spare = dir.path().join("spare-name");
    std::fs::hard_link(&fifo, &spare).unwrap();
    let run = crate::support::coopgraph_in(dir.path(), &all);
    let still_a_fifo = std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo();
    // If the pipe was never written (the run failed, or wrote elsewhere),
    // the reader still waits for a writer: open it without blocking (which
    // fails harmlessly when no reader waits) and close it, giving it EOF.
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        const O_NONBLOCK: i32 = 0o4000;
        let _ = std::fs::OpenOptions::new().write(true).custom_flags(O_NONBLOCK).open(&spare);
    }
    let bytes = reader.join().unwrap();
    (run, bytes, still_a_fifo)
}

#[test]
fn outputs_that_are_not_regular_files_are_written_in_place() {
    // `-o /dev/null`, `-o /dev/stdout` or a pipe: renaming a staged file
    // over them would replace the device itself.
    let data = fixture("csv-good");
    let (run, bytes, fifo) = through_a_fifo(&["import", data.to_str().unwrap(), "--no-provenance"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(fifo, "the pipe was replaced by a file");
    assert_eq!(String::from_utf8(bytes).unwrap().lines().count(), 8);

    let mini = fixture("mini");
    let (run, bytes, fifo) = through_a_fifo(&["--data", mini.to_str().unwrap(), "export", "--format", "ntriples"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(fifo, "the pipe was replaced by a file");
    assert!(String::from_utf8(bytes).unwrap().contains("<http"));
}

#[test]
fn an_output_behind_a_symbolic_link_replaces_the_file_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.nt");
    std::fs::write(&real, "old\n").unwrap();
    let link = dir.path().join("link.nt");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let mini = fixture("mini");
    let run = coopgraph_in(
        dir.path(),
        &["--data", mini.to_str().unwrap(), "export", "--format", "ntriples", "-o", link.to_str().unwrap()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert!(std::fs::read_to_string(&real).unwrap().contains("<http"));
}

/// The README's `export | sed` example, run through a shell with the real
/// `sed` on the curated data, prints exactly the lines the README shows.
#[test]
fn readme_export_example_prints_what_the_readme_shows() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let prompt = "$ coopgraph export --format turtle | sed ";
    let at = readme.find(prompt).expect("the README has the export | sed example");
    let command_line = &readme[at + 2..at + readme[at..].find('\n').unwrap()];
    let shown = &readme[at + command_line.len() + 3..];
    let shown = &shown[..shown.find("```").unwrap()];
    let command = command_line.replacen("coopgraph", env!("CARGO_BIN_EXE_coopgraph"), 1);
    let out = std::process::Command::new("sh").arg("-c").arg(&command).current_dir(root()).output().unwrap();
    assert!(out.status.success(), "{command}: {}", String::from_utf8_lossy(&out.stderr));
    let printed = String::from_utf8(out.stdout).unwrap();
    assert!(!printed.is_empty(), "{command} printed nothing");
    assert_eq!(
        printed,
        shown,
        "{command} prints {} lines, the README shows {}",
        printed.lines().count(),
        shown.lines().count()
    );
}
