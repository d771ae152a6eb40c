//! `coopgraph extract` on a report we wrote ourselves (tests/fixtures/extract).

use std::path::PathBuf;

use crate::support::{coopgraph_in, fixture, root};

fn report() -> PathBuf {
    fixture("extract/harbour-report.txt")
}

fn data() -> PathBuf {
    fixture("extract/data")
}

fn extract(extra: &[&str]) -> crate::support::Run {
    let data = data();
    let report = report();
    let mut args = vec![
        "--data",
        data.to_str().unwrap(),
        "extract",
        report.to_str().unwrap(),
        "--source",
        "801",
        "--date",
        "2016-11-11",
    ];
    args.extend_from_slice(extra);
    coopgraph_in(&root(), &args)
}

fn json_lines(run: &crate::support::Run) -> Vec<serde_json::Value> {
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn json_lines_carry_every_kind_with_its_evidence() {
    let all = json_lines(&extract(&["--json"]));
    for kind in ["source", "entity", "new_entity", "figure", "date", "relation"] {
        assert!(all.iter().any(|c| c["kind"] == kind), "no {kind}");
    }
    let paragraphs: Vec<Vec<char>> = std::fs::read_to_string(report())
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.chars().collect())
        .collect();
    for c in &all {
        for field in ["paragraph", "lang", "span", "text", "score", "status"] {
            assert!(!c[field].is_null(), "{field} missing in {c}");
        }
        let p = &paragraphs[c["paragraph"].as_u64().unwrap() as usize - 1];
        let (s, e) = (c["span"][0].as_u64().unwrap() as usize, c["span"][1].as_u64().unwrap() as usize);
        let text: String = p[s..e].iter().collect();
        assert_eq!(c["text"], text.as_str(), "{c}");
    }
    // The source record sees the injected token and the page furniture.
    let source = &all[0];
    assert_eq!(source["kind"], "source");
    assert_eq!(source["paragraphs"], 8);
    assert_eq!(source["injected"][0]["token"], "好运彩票app");
    assert!(source["defects"].as_array().unwrap().iter().any(|d| d["paragraph"] == 8));
    assert!(all.iter().all(|c| !c["text"].as_str().unwrap().contains("好运彩票")));
    // Traditional characters match the simplified gazetteer.
    let china_zh = all.iter().find(|c| c["kind"] == "entity" && c["text"] == "中國").unwrap();
    assert_eq!(china_zh["id"], "china");
    assert_eq!(china_zh["lang"], "zh");
    // A figure with its comparator, unit, measure, subject and relative date.
    let cases = all.iter().find(|c| c["kind"] == "figure" && c["unit"] == "cases").unwrap();
    assert_eq!(cases["value"], 3300.0);
    assert_eq!(cases["comparator"], "more than");
    assert_eq!(cases["subject"], "china");
    assert_eq!(cases["measure"], "cases_solved");
    assert_eq!(cases["date"], "2015");
    // A relation with its trigger; the one already curated is known.
    let signed = all.iter().find(|c| c["kind"] == "relation" && c["predicate"] == "signed_with").unwrap();
    assert_eq!(signed["subject"], "china");
    assert_eq!(signed["object"], "harbour_treaty");
    assert_eq!(signed["triggers"][0], "signed");
    assert!(all.iter().all(|c| c["status"] == "pending"));
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let a = extract(&["--json"]);
    let b = extract(&["--json"]);
    assert_eq!(a.stdout, b.stdout);
    let tmp = tempfile::tempdir().unwrap();
    let (one, two) = (tmp.path().join("one.toml"), tmp.path().join("two.toml"));
    assert_eq!(extract(&["-o", one.to_str().unwrap()]).code, 0);
    assert_eq!(extract(&["-o", two.to_str().unwrap()]).code, 0);
    assert_eq!(std::fs::read(&one).unwrap(), std::fs::read(&two).unwrap());
}

#[test]
fn the_draft_marks_each_record_as_a_candidate_with_its_evidence() {
    let tmp = tempfile::tempdir().unwrap();
    let draft = tmp.path().join("801.toml");
    let run = extract(&["-o", draft.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("wrote "), "{}", run.stdout);
    let text = std::fs::read_to_string(&draft).unwrap();
    assert!(
        text.contains("[[relation]]\nsubject = \"china\"\npredicate = \"signed_with\"\nobject = \"harbour_treaty\""),
        "{text}"
    );
    assert!(text.contains("# trigger \"signed\""));
    assert!(text.contains("candidate = { number = "));
    assert!(text.contains("sources = [\"801#3@en\"]"));
}

#[test]
fn plain_output_has_one_line_per_candidate() {
    let run = extract(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = json_lines(&extract(&["--json"]));
    assert_eq!(run.stdout.lines().count(), json.len());
    assert!(
        run.stdout.lines().any(|l| l.contains("relation") && l.contains("china signed_with harbour_treaty")),
        "{}",
        run.stdout
    );
}

#[test]
fn bad_arguments_are_usage_errors() {
    let data = data();
    let report = report();
    let run = coopgraph_in(
        &root(),
        &[
            "--data",
            data.to_str().unwrap(),
            "extract",
            report.to_str().unwrap(),
            "--source",
            "801",
            "--date",
            "2016-13-01",
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--date"), "{}", run.stderr);
    let run =
        coopgraph_in(&root(), &["--data", data.to_str().unwrap(), "extract", "no-such-file.txt", "--source", "801"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("no-such-file.txt"));
}
