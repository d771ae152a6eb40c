//! `build` and `import --store` killed with SIGKILL at random moments
//! (seeded): what was there before still opens with its old counts (or,
//! once the run got as far as swapping in, the new ones: never a mix that
//! the order of the swaps rules out, never a broken store), and the next
//! run leaves no staging folder behind.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{coopgraph_in, fixture, root};

/// A small deterministic generator: the moments are the same on every run.
struct XorShift(u64);

impl XorShift {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// Triples in the store's default graph, or None if no store opens there.
fn store_count(dir: &Path, store: &str) -> Option<String> {
    let q = coopgraph_in(
        dir,
        &["sparql", "--store", store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv"],
    );
    (q.code == 0).then_some(q.stdout)
}

/// A kill between the two renames of a swap leaves the previous store
/// moved aside (`.store.old-PID`), and the next run puts it back: count it
/// as the previous store.
fn moved_aside(dir: &Path, previous: &Option<String>) -> Option<String> {
    let aside = std::fs::read_dir(dir.join(".coopgraph"))
        .ok()?
        .any(|e| e.is_ok_and(|e| e.file_name().to_string_lossy().starts_with(".store.old-")));
    aside.then(|| previous.clone()).flatten()
}

fn out_count(dir: &Path) -> Option<usize> {
    std::fs::read_to_string(dir.join("out/coopgraph.nt")).ok().map(|t| t.lines().count())
}

/// Every name under `dir` (one level) and under `dir/.coopgraph`.
fn leftovers(dir: &Path) -> Vec<String> {
    let mut names = Vec::new();
    for d in [dir.to_path_buf(), dir.join(".coopgraph")] {
        if let Ok(entries) = std::fs::read_dir(&d) {
            for e in entries {
                names.push(e.unwrap().file_name().into_string().unwrap());
            }
        }
    }
    names.sort();
    names
}

/// Runs `args` in `dir` and kills it after `delay`; true if it had
/// finished by itself.
fn run_and_kill(dir: &Path, args: &[&str], delay: Duration) -> bool {
    let mut child = Command::new(env!("CARGO_BIN_EXE_coopgraph"))
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(delay);
    let finished = child.try_wait().unwrap().is_some_and(|s| s.success());
    let _ = child.kill();
    let _ = child.wait();
    finished
}

/// How long one run of `args` takes here, to spread the kills over it.
fn duration_of(args: &[&str]) -> Duration {
    let scratch = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let run = coopgraph_in(scratch.path(), args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    started.elapsed()
}

#[test]
fn killed_builds_lose_neither_the_store_nor_the_outputs() {
    let small = fixture("mini");
    let large = root().join("data");
    let small_args = ["--data", small.to_str().unwrap(), "build"];
    let large_args = ["--data", large.to_str().unwrap(), "build"];
    let span = duration_of(&large_args);
    let dir = tempfile::tempdir().unwrap();
    let scratch = tempfile::tempdir().unwrap();
    assert_eq!(coopgraph_in(scratch.path(), &large_args).code, 0);
    let new = (store_count(scratch.path(), ".coopgraph/store"), out_count(scratch.path()));
    assert_eq!(coopgraph_in(dir.path(), &small_args).code, 0);
    let old = (store_count(dir.path(), ".coopgraph/store"), out_count(dir.path()));
    assert!(old.0.is_some() && old.1.is_some() && old != new);
    let clean = leftovers(dir.path());
    let mut rng = XorShift(0x5EED_0001);
    let mut killed_early = 0;
    for _ in 0..20 {
        let delay = Duration::from_millis(rng.below(span.as_millis() as u64 * 11 / 10));
        let finished = run_and_kill(dir.path(), &large_args, delay);
        let out_aside = || {
            std::fs::read_dir(dir.path())
                .unwrap()
                .any(|e| e.unwrap().file_name().to_string_lossy().starts_with(".out.old-"))
                .then_some(old.1)
                .flatten()
        };
        let now = (
            store_count(dir.path(), ".coopgraph/store").or_else(|| moved_aside(dir.path(), &old.0)),
            out_count(dir.path()).or_else(out_aside),
        );
        if finished {
            assert_eq!(now, new);
        } else {
            // The store is swapped in before the outputs.
            let allowed = [old.clone(), (new.0.clone(), old.1), new.clone()];
            assert!(allowed.contains(&now), "killed after {delay:?}: store {:?}, outputs {:?}", now.0, now.1);
            if now == old {
                killed_early += 1;
            }
        }
        let run = coopgraph_in(dir.path(), &small_args);
        assert_eq!(run.code, 0, "the run after a kill: {}", run.stderr);
        assert_eq!((store_count(dir.path(), ".coopgraph/store"), out_count(dir.path())), old);
        assert_eq!(leftovers(dir.path()), clean, "no staging folder survives the next run");
    }
    assert!(killed_early >= 1, "no kill struck before the swap");
}

#[test]
fn killed_imports_lose_nothing() {
    let scratch = tempfile::tempdir().unwrap();
    let large = scratch.path().join("large");
    std::fs::create_dir(&large).unwrap();
    let mut entities = String::from("id,type,label_en,label_zh,wikidata\n");
    let mut relations = String::from("subject,predicate,object,source\n");
    for i in 0..20_000 {
        entities.push_str(&format!("country-{i},Country,Country {i},,\norganization-{i},Organization,Org {i},,\n"));
        relations.push_str(&format!("country-{i},member_of,organization-{},doc-{:03}\n", (i * 7) % 20_000, i % 1000));
    }
    std::fs::write(large.join("entities.csv"), entities).unwrap();
    std::fs::write(large.join("relations.csv"), relations).unwrap();
    let small = fixture("csv-good");
    let small_args = ["import", small.to_str().unwrap(), "--store", ".coopgraph/store"];
    let large_args = ["import", large.to_str().unwrap(), "--store", ".coopgraph/store"];
    let span = duration_of(&large_args);
    assert_eq!(coopgraph_in(scratch.path(), &large_args).code, 0);
    let new = store_count(scratch.path(), ".coopgraph/store");
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(coopgraph_in(dir.path(), &small_args).code, 0);
    let old = store_count(dir.path(), ".coopgraph/store");
    assert!(old.is_some() && old != new);
    let clean = leftovers(dir.path());
    let mut rng = XorShift(0x5EED_0002);
    let mut killed_early = 0;
    for _ in 0..20 {
        let delay = Duration::from_millis(rng.below(span.as_millis() as u64 * 11 / 10));
        let finished = run_and_kill(dir.path(), &large_args, delay);
        let now = store_count(dir.path(), ".coopgraph/store").or_else(|| moved_aside(dir.path(), &old));
        if finished {
            assert_eq!(now, new);
        } else {
            assert!(now == old || now == new, "killed after {delay:?}: store {now:?}");
            if now == old {
                killed_early += 1;
            }
        }
        let run = coopgraph_in(dir.path(), &small_args);
        assert_eq!(run.code, 0, "the run after a kill: {}", run.stderr);
        assert_eq!(store_count(dir.path(), ".coopgraph/store"), old);
        assert_eq!(leftovers(dir.path()), clean, "no staging folder survives the next run");
    }
    assert!(killed_early >= 1, "no kill struck before the swap");
}
