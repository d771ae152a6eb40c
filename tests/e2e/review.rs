//! `coopgraph review` on a draft of the fixture report: the batch flags,
//! a golden diff of the data files, a kill that loses nothing, the
//! interactive program driven through tmux, and re-extraction that
//! proposes nothing already decided.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{assert_matches_file, coopgraph_in, fixture, root};

/// A scratch copy of the fixture data folder, with a draft of the report.
struct Scratch {
    _dir: tempfile::TempDir,
    data: PathBuf,
    draft: PathBuf,
}

impl Scratch {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir(&data).unwrap();
        for e in std::fs::read_dir(fixture("extract/data")).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), data.join(e.file_name())).unwrap();
        }
        let draft = dir.path().join("801.toml");
        let s = Scratch { _dir: dir, data, draft };
        let run = s.run(&[
            "extract",
            s.report().to_str().unwrap(),
            "--source",
            "801",
            "--date",
            "2016-11-11",
            "-o",
            s.draft.to_str().unwrap(),
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        s
    }

    fn report(&self) -> PathBuf {
        fixture("extract/harbour-report.txt")
    }

    fn run(&self, args: &[&str]) -> crate::support::Run {
        let mut all = vec!["--data", self.data.to_str().unwrap()];
        all.extend_from_slice(args);
        coopgraph_in(&root(), &all)
    }

    /// Candidates as JSON, with the draft's decisions.
    fn candidates(&self) -> Vec<serde_json::Value> {
        let run = self.run(&[
            "extract",
            self.report().to_str().unwrap(),
            "--source",
            "801",
            "--date",
            "2016-11-11",
            "--draft",
            self.draft.to_str().unwrap(),
            "--json",
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    }

    /// The number of the first candidate for which `pick` holds.
    fn number(&self, pick: impl Fn(&serde_json::Value) -> bool) -> String {
        self.candidates().iter().find(|c| pick(c)).unwrap()["candidate"].to_string()
    }

    fn data_file(&self, name: &str) -> String {
        std::fs::read_to_string(self.data.join(name)).unwrap()
    }
}

fn is(c: &serde_json::Value, kind: &str, field: &str, value: &str) -> bool {
    c["kind"] == kind && c[field] == value
}

/// The candidate with this key, as re-extraction gives it.
fn by_key<'a>(all: &'a [serde_json::Value], key: &str) -> Option<&'a serde_json::Value> {
    all.iter().find(|c| c["key"] == key)
}

/// The accepted candidates of the golden test, by what they propose.
fn golden_picks(s: &Scratch) -> (Vec<String>, String) {
    let source = s.number(|c| c["kind"] == "source");
    let signed = s.number(|c| is(c, "relation", "predicate", "signed_with") && c["subject"] == "china");
    let forum = s.number(|c| is(c, "new_entity", "proposed_id", "harbour_police_forum"));
    let hosted = s.number(|c| is(c, "relation", "subject", "harbour_police_forum"));
    let cases = s.number(|c| is(c, "figure", "unit", "cases"));
    let mention = s.number(|c| is(c, "entity", "id", "china") && c["paragraph"] == 3);
    let sco = s.number(|c| is(c, "entity", "id", "sco"));
    let rejected = s.number(|c| is(c, "new_entity", "proposed_id", "coastal_watch_exercise"));
    (vec![source, signed, forum, hosted, cases, mention, sco], rejected)
}

#[test]
fn batch_flags_write_the_accepted_records_as_a_curator_would() {
    let s = Scratch::new();
    let before = s.candidates();
    let (accept, rejected) = golden_picks(&s);
    let keys: Vec<String> = accept
        .iter()
        .map(|n| {
            before.iter().find(|c| c["candidate"].as_i64() == n.parse().ok()).unwrap()["key"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    let rejected_key = before.iter().find(|c| c["candidate"].as_i64() == rejected.parse().ok()).unwrap()["key"].clone();
    let run = s.run(&["review", s.draft.to_str().unwrap(), "--accept", &accept.join(","), "--reject", &rejected]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("added to sources.toml"), "{}", run.stdout);
    // Read line by line: tests/expected/extract-review/README.md says what a curator would check.
    for name in ["sources.toml", "entities.toml", "relations.toml", "figures.toml"] {
        assert_matches_file(&s.data_file(name), &format!("extract-review/{name}"));
    }
    let names: Vec<String> =
        std::fs::read_dir(&s.data).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(names.len(), 5, "no other file is made: {names:?}");
    let run = s.run(&["validate"]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    // Re-extraction with the draft proposes nothing already decided.
    let all = s.candidates();
    assert_eq!(by_key(&all, rejected_key.as_str().unwrap()).unwrap()["status"], "rejected");
    for key in &keys {
        match by_key(&all, key) {
            Some(c) => assert_eq!(c["status"], "known", "{key}: {c}"),
            // An accepted new entity is now known: its name is a mention.
            None => assert!(key.starts_with("new_entity:"), "{key} is no longer proposed"),
        }
    }
    let forum: Vec<&serde_json::Value> = all.iter().filter(|c| c["id"] == "harbour_police_forum").collect();
    assert!(!forum.is_empty() && forum.iter().all(|c| c["kind"] == "entity" && c["status"] == "known"), "{forum:?}");
    assert!(all.iter().all(|c| c["proposed_id"] != "harbour_police_forum"));
    // Without the draft, the rejected one is pending again; the rest stays known.
    let plain = s.run(&["extract", s.report().to_str().unwrap(), "--source", "801", "--date", "2016-11-11", "--json"]);
    let plain: Vec<serde_json::Value> = plain.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(by_key(&plain, rejected_key.as_str().unwrap()).unwrap()["status"], "pending");
    let pending = all.iter().filter(|c| c["status"] == "pending").count();
    assert_eq!(pending, plain.iter().filter(|c| c["status"] == "pending").count() - 1);
    assert!(pending > 5, "{pending}");
}

#[test]
fn accept_above_takes_every_pending_candidate_over_the_score() {
    let s = Scratch::new();
    let over: Vec<serde_json::Value> =
        s.candidates().into_iter().filter(|c| c["score"].as_f64().unwrap() >= 0.95).collect();
    assert!(over.len() >= 3, "{over:?}");
    let run = s.run(&["review", s.draft.to_str().unwrap(), "--accept-above", "0.95"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    // Known-entity mentions score 0.95: their citations are merged, and
    // they need the source record, which scores 1 and is written first.
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), over.len(), "{}", run.stdout);
    assert!(lines[0].ends_with(": added to sources.toml"), "{}", run.stdout);
    assert!(lines[1..].iter().all(|l| l.contains("merged in entities.toml")), "{}", run.stdout);
    let entities = s.data_file("entities.toml");
    assert!(entities.contains("sources = [\"800#1@en\", \"801#3@en\""), "{entities}");
    assert_eq!(s.run(&["validate"]).code, 0);
    // Everything under the score is still pending, everything over it known.
    for c in s.candidates() {
        let expected = if c["score"].as_f64().unwrap() >= 0.95 { "known" } else { "pending" };
        assert_eq!(c["status"], expected, "{c}");
    }
}

#[test]
fn a_record_that_does_not_validate_is_not_written_and_says_why() {
    let s = Scratch::new();
    // A relation cited from a source that is not in the data.
    let signed = s.number(|c| is(c, "relation", "predicate", "signed_with") && c["subject"] == "china");
    let before = s.data_file("relations.toml");
    let run = s.run(&["review", s.draft.to_str().unwrap(), "--accept", &signed]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stdout.contains("not written"), "{}", run.stdout);
    assert!(run.stdout.contains("801"), "{}", run.stdout);
    assert_eq!(s.data_file("relations.toml"), before);
}

#[test]
fn bad_numbers_are_usage_errors() {
    let s = Scratch::new();
    let run = s.run(&["review", s.draft.to_str().unwrap(), "--accept", "9999"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("no candidate 9999"), "{}", run.stderr);
}

fn wait_for(what: &str, mut ready: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ready() {
        assert!(start.elapsed() < Duration::from_secs(30), "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_kill_during_review_loses_no_decision() {
    let s = Scratch::new();
    let mut child = Command::new(env!("CARGO_BIN_EXE_coopgraph"))
        .args(["--data", s.data.to_str().unwrap(), "review", s.draft.to_str().unwrap()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // The first pending candidate is the source record: accept it, reject the next.
    stdin.write_all(b"a\nr\n").unwrap();
    stdin.flush().unwrap();
    let draft = s.draft.clone();
    wait_for("two decisions in the draft", || {
        let text = std::fs::read_to_string(&draft).unwrap_or_default();
        text.contains("status = \"rejected\"") && text.contains("status = \"known\"")
    });
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    // The draft still reads, with both decisions.
    let all = s.candidates();
    assert!(all.iter().any(|c| c["status"] == "rejected"));
    assert_eq!(all[0]["status"], "known");
    assert!(s.data_file("sources.toml").contains("id = \"801\""));
    assert_eq!(s.run(&["validate"]).code, 0);
    // Nothing half-written is left beside the files.
    let names: Vec<String> =
        std::fs::read_dir(&s.data).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
}

/// Every file of the data folder and the draft, by name.
fn snapshot(s: &Scratch) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(&s.data)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read_to_string(e.path()).unwrap()))
        .collect();
    out.sort();
    out
}

#[test]
fn a_kill_at_any_moment_leaves_whole_files_and_a_rerun_finishes_the_job() {
    // The batch review uninterrupted, for comparison.
    let whole = Scratch::new();
    let args =
        |s: &Scratch| vec!["review".to_owned(), s.draft.display().to_string(), "--accept-above".into(), "0.9".into()];
    let run = whole.run(&args(&whole).iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let expected = snapshot(&whole);
    // Killed (SIGKILL) after 0, 5, 10 ... ms: wherever the kill falls, each
    // file is whole (the data validates, the draft reads), and running the
    // same command again ends where the uninterrupted run ended.
    for delay in (0..60).step_by(5) {
        let s = Scratch::new();
        let mut child = Command::new(env!("CARGO_BIN_EXE_coopgraph"))
            .arg("--data")
            .arg(&s.data)
            .args(args(&s))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill();
        child.wait().unwrap();
        let validate = s.run(&["validate"]);
        assert_eq!(validate.code, 0, "after a kill at {delay} ms: {}", validate.stderr);
        assert!(!s.candidates().is_empty(), "the draft reads after a kill at {delay} ms");
        // A kill in the middle of a write can leave its temporary file
        // (hidden, not *.toml: the loader never reads it); never a data file cut short.
        let pid = child.id();
        let names: Vec<String> = std::fs::read_dir(&s.data)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            names.iter().all(|n| (n.ends_with(".toml") && !n.starts_with('.'))
                || (n.starts_with('.') && n.ends_with(&format!(".tmp-{pid}")))),
            "{names:?}"
        );
        let run = s.run(&args(&s).iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(snapshot(&s), expected, "the rerun after a kill at {delay} ms");
    }
}

fn tmux(socket: &str, args: &[&str]) -> String {
    let out = Command::new("tmux").arg("-L").arg(socket).args(args).output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn have_tmux() -> bool {
    let found = Command::new("tmux").arg("-V").output().is_ok_and(|o| o.status.success());
    if !found && std::env::var_os("COOPGRAPH_REQUIRE_TMUX").is_some() {
        panic!("tmux is needed for the interactive review test (scripts/test installs it)");
    }
    found
}

#[test]
fn the_interactive_review_runs_in_a_terminal() {
    if !have_tmux() {
        return;
    }
    let s = Scratch::new();
    let socket = format!("coopgraph-review-{}", std::process::id());
    let command = format!(
        "{} --data {} review {}; sleep 30",
        env!("CARGO_BIN_EXE_coopgraph"),
        s.data.display(),
        s.draft.display()
    );
    tmux(&socket, &["new-session", "-d", "-x", "200", "-y", "50", "-s", "review", &command]);
    let screen = || tmux(&socket, &["capture-pane", "-p", "-t", "review"]);
    wait_for("the first candidate", || screen().contains("[1/"));
    let first = screen();
    assert!(first.contains("source"), "{first}");
    assert!(first.contains("a accept"), "{first}");
    tmux(&socket, &["send-keys", "-t", "review", "a", "Enter"]);
    wait_for("the second candidate", || screen().contains("[2/"));
    let second = screen();
    assert!(second.contains("added to sources.toml"), "{second}");
    assert!(second.contains('»') && second.contains('«'), "the span is marked: {second}");
    tmux(&socket, &["send-keys", "-t", "review", "r", "Enter"]);
    wait_for("the third candidate", || screen().contains("[3/"));
    tmux(&socket, &["send-keys", "-t", "review", "b", "Enter"]);
    wait_for("back to the second", || screen().matches("[2/").count() >= 2);
    tmux(&socket, &["send-keys", "-t", "review", "q", "Enter"]);
    wait_for("the summary", || screen().contains("review saved in"));
    tmux(&socket, &["kill-server"]);
    let draft = std::fs::read_to_string(&s.draft).unwrap();
    assert_eq!(draft.matches("status = \"rejected\"").count(), 1);
    assert!(s.data_file("sources.toml").contains("id = \"801\""));
}

#[test]
fn serve_shows_each_draft_read_only_with_its_candidates_in_place() {
    use crate::serve::{Server, get, store};
    let s = Scratch::new();
    let (accept, rejected) = golden_picks(&s);
    let run = s.run(&["review", s.draft.to_str().unwrap(), "--accept", &accept[..2].join(","), "--reject", &rejected]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let dir = s.draft.parent().unwrap().to_str().unwrap().to_owned();
    let server = Server::start_on(store(), &["--drafts", &dir]);

    let index = get(&format!("{}/drafts", server.url), "text/html");
    assert_eq!(index.status, 200);
    assert!(index.text().contains("href=\"/drafts/801\""), "{}", index.text());

    let page = get(&format!("{}/drafts/801", server.url), "text/html");
    assert_eq!(page.status, 200);
    assert_eq!(page.media_type(), "text/html");
    let html = page.text();
    // Every paragraph of the document, with its language.
    for n in 1..=8 {
        assert!(html.contains(&format!("id=\"p{n}\"")), "paragraph {n}: {html}");
    }
    assert!(html.contains("<p class=\"para\" id=\"p6\" lang=\"zh\">"), "{html}");
    assert!(html.contains("<p class=\"para\" id=\"p2\" lang=\"en\">"), "{html}");
    // The candidates in place, with their status: written, rejected, pending.
    assert!(html.contains("<mark class=\"known\""), "{html}");
    assert!(html.contains("<mark class=\"rejected\" title=\"#"), "{html}");
    assert!(html.contains("<mark class=\"pending\""), "{html}");
    assert!(html.contains(">Harbour Treaty</mark>"), "{html}");
    assert!(html.contains("中國"), "{html}");
    // The document's text is escaped.
    assert!(html.contains("&quot;") && !html.contains("\"Harbour Watch\""), "{html}");
    assert!(!html.contains("<script"), "{html}");

    // Read at run time: a decision made now shows on the next request.
    let pending_before = html.matches("class=\"status pending\"").count();
    let next = s.number(|c| c["status"] == "pending" && c["kind"] == "relation");
    assert_eq!(s.run(&["review", s.draft.to_str().unwrap(), "--reject", &next]).code, 0);
    let again = get(&format!("{}/drafts/801", server.url), "text/html").text();
    assert_eq!(again.matches("class=\"status pending\"").count(), pending_before - 1);

    assert_eq!(get(&format!("{}/drafts/802", server.url), "text/html").status, 404);
    assert_eq!(get(&format!("{}/drafts/..%2F801", server.url), "text/html").status, 404);
    assert_eq!(get(&format!("{}/drafts/.801", server.url), "text/html").status, 404);
}
