//! Running the binary and comparing its output.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

/// A fixture data folder under tests/fixtures.
pub fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

/// The result of one run.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Self {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8(o.stdout).unwrap(),
            stderr: String::from_utf8(o.stderr).unwrap(),
        }
    }
}

/// Runs `coopgraph` with `args` in `dir` (no colours: output is a pipe).
pub fn coopgraph_in(dir: &Path, args: &[&str]) -> Run {
    Command::new(env!("CARGO_BIN_EXE_coopgraph"))
        .args(args)
        .current_dir(dir)
        .env_remove("CLICOLOR_FORCE")
        .output()
        .unwrap()
        .into()
}

/// Runs `coopgraph --data FIXTURE args...` from the repository root.
pub fn coopgraph(fixture_name: &str, args: &[&str]) -> Run {
    let data = fixture(fixture_name);
    let mut all = vec!["--data", data.to_str().unwrap()];
    all.extend_from_slice(args);
    coopgraph_in(&root(), &all)
}

/// Compares text with an expected file, printing a line diff on mismatch.
/// Set COOPGRAPH_BLESS=1 to rewrite the expected file.
pub fn assert_matches_file(actual: &str, expected_file: &str) {
    let path = root().join("tests/expected").join(expected_file);
    if std::env::var_os("COOPGRAPH_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if expected != actual {
        let mut diff = String::new();
        let (e, a): (Vec<_>, Vec<_>) = (expected.lines().collect(), actual.lines().collect());
        for i in 0..e.len().max(a.len()) {
            match (e.get(i), a.get(i)) {
                (Some(x), Some(y)) if x == y => {}
                (x, y) => diff.push_str(&format!(
                    "line {}:\n  - {}\n  + {}\n",
                    i + 1,
                    x.unwrap_or(&"<none>"),
                    y.unwrap_or(&"<none>")
                )),
            }
        }
        panic!("output differs from tests/expected/{expected_file} (COOPGRAPH_BLESS=1 rewrites it):\n{diff}");
    }
}
