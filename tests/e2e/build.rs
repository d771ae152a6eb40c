use crate::support::{coopgraph_in, fixture};

fn build(out: &std::path::Path, data: &std::path::Path) -> crate::support::Run {
    coopgraph_in(out.parent().unwrap(), &["--data", data.to_str().unwrap(), "build", "--out", out.to_str().unwrap()])
}

#[test]
fn build_writes_outputs_deterministically() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let run = build(&out, &fixture("mini"));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let first = std::fs::read(out.join("stats.json")).unwrap();
    let run = build(&out, &fixture("mini"));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(first, std::fs::read(out.join("stats.json")).unwrap());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers, vec![std::ffi::OsString::from("out")], "no staging folders left behind");
}

#[test]
fn a_failed_build_leaves_the_previous_outputs_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    assert_eq!(build(&out, &fixture("mini")).code, 0);
    let before = std::fs::read(out.join("stats.json")).unwrap();
    let run = build(&out, &fixture("broken"));
    assert_eq!(run.code, 1);
    assert_eq!(before, std::fs::read(out.join("stats.json")).unwrap());
}
