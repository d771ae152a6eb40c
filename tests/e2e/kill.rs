//! `build` and `import --store` killed with SIGKILL at 24 moments each,
//! seeded and spread over the whole run (one moment in each 24th of 1.1
//! times its length, so from the first reads to the swap and past the end):
//! what was there before still opens with its old counts and every output
//! file is as it was (or, once the run got as far as swapping in, the new
//! ones: never a mix that the order of the swaps rules out, never a broken
//! store), and the next run leaves no staging folder behind. The tests
//! assert outcomes only; the moments are fractions of a measured run, so a
//! slow machine moves them, not the verdicts. A kill between the two
//! renames of a swap is also made by hand in `files.rs`.

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash as _, Hasher as _};
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

/// The staging folder `.NAME.old-PID` in `parent`, if a run left one.
fn aside(parent: &Path, name: &str) -> Option<String> {
    let prefix = format!(".{name}.old-");
    std::fs::read_dir(parent)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with(&prefix))
}

/// The store's count, or, after a kill between the two renames of a swap
/// (the previous store moved aside to `.store.old-PID`, which the next run
/// puts back), the count of that moved-aside copy.
fn store_or_aside(dir: &Path) -> Option<String> {
    store_count(dir, ".coopgraph/store").or_else(|| {
        let name = aside(&dir.join(".coopgraph"), "store")?;
        store_count(dir, &format!(".coopgraph/{name}"))
    })
}

/// Every file under `dir` (recursively) with a hash of its bytes, or None
/// if there is no such folder.
fn digest(dir: &Path) -> Option<BTreeMap<String, u64>> {
    let mut files = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).ok()? {
            let path = e.unwrap().path();
            if path.is_dir() {
                todo.push(path);
            } else {
                let mut h = DefaultHasher::new();
                std::fs::read(&path).unwrap().hash(&mut h);
                files.insert(path.strip_prefix(dir).unwrap().to_string_lossy().into_owned(), h.finish());
            }
        }
    }
    Some(files)
}

/// The outputs' files, or those of the previous outputs moved aside by a
/// kill between the two renames of their swap.
fn outputs_or_aside(dir: &Path) -> Option<BTreeMap<String, u64>> {
    digest(&dir.join("out")).or_else(|| digest(&dir.join(aside(dir, "out")?)))
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

/// How many moments each test kills at.
const KILLS: u64 = 24;

/// The `i`-th of `KILLS` moments over 1.1 times `span`: one at a seeded
/// place in each slice, so that the kills cover the whole run.
fn moment(rng: &mut XorShift, i: u64, span: Duration) -> Duration {
    let slice = span.as_micros() as u64 * 11 / 10 / KILLS;
    Duration::from_micros(i * slice + rng.below(slice))
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
    let new = (store_count(scratch.path(), ".coopgraph/store"), digest(&scratch.path().join("out")));
    assert_eq!(coopgraph_in(dir.path(), &small_args).code, 0);
    let old = (store_count(dir.path(), ".coopgraph/store"), digest(&dir.path().join("out")));
    assert!(old.0.is_some() && old.1.is_some() && old.0 != new.0 && old.1 != new.1);
    let clean = leftovers(dir.path());
    let mut rng = XorShift(0x5EED_0001);
    let mut killed_early = 0;
    for i in 0..KILLS {
        let delay = moment(&mut rng, i, span);
        let finished = run_and_kill(dir.path(), &large_args, delay);
        let now = (store_or_aside(dir.path()), outputs_or_aside(dir.path()));
        let what = |(store, out): &(Option<String>, Option<BTreeMap<String, u64>>)| {
            let name = |same_old: bool, same_new: bool| match (same_old, same_new) {
                (true, _) => "old",
                (_, true) => "new",
                _ => "neither old nor new",
            };
            format!("store {}, outputs {}", name(*store == old.0, *store == new.0), name(*out == old.1, *out == new.1))
        };
        if finished {
            assert_eq!(now, new, "finished after {delay:?}: {}", what(&now));
        } else {
            // The store is swapped in before the outputs.
            let allowed = [old.clone(), (new.0.clone(), old.1.clone()), new.clone()];
            assert!(allowed.contains(&now), "killed after {delay:?}: {}", what(&now));
            if now == old {
                killed_early += 1;
            }
        }
        let run = coopgraph_in(dir.path(), &small_args);
        assert_eq!(run.code, 0, "the run after a kill: {}", run.stderr);
        assert_eq!((store_count(dir.path(), ".coopgraph/store"), digest(&dir.path().join("out"))), old);
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
    for i in 0..2_000 {
        entities.push_str(&format!("country-{i},Country,Country {i},,\norganization-{i},Organization,Org {i},,\n"));
        relations.push_str(&format!("country-{i},member_of,organization-{},doc-{:03}\n", (i * 7) % 2_000, i % 1000));
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
    for i in 0..KILLS {
        let delay = moment(&mut rng, i, span);
        let finished = run_and_kill(dir.path(), &large_args, delay);
        let now = store_or_aside(dir.path());
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
