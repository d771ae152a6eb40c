//! Shared test fixtures and the table of sentences with their expected
//! candidates, in both languages.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use coopgraph_load::{LoadOptions, load_texts};
use coopgraph_model::Dataset;

use crate::{ExtractOptions, Extractor, Fact, Status};

/// A small gazetteer of our own (not the curated data).
pub const FIXTURE_DATA: &[(&str, &str)] = &[
    (
        "countries.toml",
        r#"
[[country]]
id = "china"
label = { en = "China", zh = "中国" }
aliases = { en = ["PRC"] }

[[country]]
id = "chile"
label = { en = "Chile", zh = "智利" }

[[country]]
id = "united_states"
label = { en = "United States", zh = "美国" }
aliases = { en = ["US"] }
"#,
    ),
    (
        "organizations.toml",
        r#"
[[organization]]
id = "sco"
label = { en = "Shanghai Cooperation Organisation", zh = "上海合作组织" }
aliases = { en = ["SCO"], zh = ["上合组织"] }

[[organization]]
id = "interpol"
label = { en = "International Criminal Police Organization", zh = "国际刑警组织" }
aliases = { en = ["Interpol"] }

[[organization]]
id = "un"
label = { en = "United Nations", zh = "联合国" }
aliases = { en = ["UN"] }

[[organization]]
id = "brics"
label = { en = "BRICS", zh = "金砖国家" }
aliases = { en = ["Harbourland, Chile and China"] }

[[organization]]
id = "unsc"
label = { en = "United Nations Security Council", zh = "联合国安理会" }
"#,
    ),
    (
        "operations.toml",
        r#"
[[operation]]
id = "patrol_a"
label = { en = "Mekong patrol" }

[[operation]]
id = "patrol_b"
label = { en = "First Mekong patrol" }
aliases = { en = ["Mekong patrol"] }

[[operation]]
id = "harbour_watch"
label = { en = "Harbour Watch", zh = "港口守望行动" }
"#,
    ),
    (
        "treaties.toml",
        r#"
[[treaty]]
id = "harbour_treaty"
label = { en = "Harbour Treaty", zh = "港口条约" }
"#,
    ),
    (
        "measures.toml",
        r#"
[[measure]]
id = "fugitives_returned"
label = { en = "fugitives returned", zh = "追回外逃人员" }
unit = "people"

[[measure]]
id = "assets_recovered"
label = { en = "assets recovered", zh = "追赃金额" }
unit = "CNY"

[[measure]]
id = "cases_solved"
label = { en = "cases solved", zh = "破获案件" }
unit = "cases"
"#,
    ),
];

pub fn dataset() -> Dataset {
    load_texts(FIXTURE_DATA, &LoadOptions::default()).unwrap()
}

fn extract(text: &str, date: &str) -> Vec<crate::Candidate> {
    let data = dataset();
    let options = ExtractOptions { source: "900".into(), date: Some(date.parse().unwrap()), read_as: Vec::new() };
    Extractor::new(&data).extract(text, &options).candidates
}

/// (sentence, document date, expected facts as short strings).
const TABLE: &[(&str, &str, &[&str])] = &[
    (
        "China returned more than 3,453 fugitives last year.",
        "2015-04",
        &["entity china", "date 2014 relative", "figure china fugitives_returned 3453 people more than date=2014"],
    ),
    ("中國追回95.1億元追贓金額。", "2016", &["entity china", "figure china assets_recovered 9510000000 CNY -"]),
    (
        "去年，中国破获案件3300余起。",
        "2016-11-11",
        &["date 2015 relative", "entity china", "figure china cases_solved 3300 cases more than date=2015"],
    ),
    (
        "China is a member of the SCO and Interpol.",
        "2016",
        &[
            "entity china",
            "entity sco",
            "entity interpol",
            "relation china member_of sco member",
            "relation china member_of interpol member",
        ],
    ),
    (
        "中国加入了《港口安全公约》。",
        "2016",
        &["entity china", "new_entity treaty convention 港口安全公约", "relation china party_to treaty_"],
    ),
    (
        "Chile hosted the Harbour Police Forum on 2016-05-04.",
        "2016",
        &[
            "entity chile",
            "new_entity organization forum Harbour Police Forum",
            "date 2016-05-04 absolute",
            "relation harbour_police_forum hosted_by chile -",
        ],
    ),
    // A name that holds known names states relations with them.
    ("Chile hosted the Second SCO Harbour Meeting.", "2016", &["relation second_sco_harbour_meeting hosted_by sco -"]),
    // Both sides after "between", in a list whose names carry articles.
    (
        "Police cooperation between the United States, the PRC and Chile grew.",
        "2016",
        &["relation united_states cooperates_with china -", "relation united_states cooperates_with chile -"],
    ),
    // An ISO date right after a Han character.
    ("中国于2016-05-04签署《港口条约》。", "2016", &["date 2016-05-04 absolute"]),
];

fn describe(c: &crate::Candidate) -> String {
    match &c.fact {
        Fact::Source { .. } => "source".to_owned(),
        Fact::Entity { id, .. } => format!("entity {id}"),
        Fact::NewEntity { entity_kind, category, label, .. } => format!("new_entity {entity_kind} {category} {label}"),
        Fact::Figure { subject, measure, value_text, unit, comparator, dates, .. } => format!(
            "figure {} {} {value_text} {unit} {}{}",
            subject.as_deref().unwrap_or("?"),
            measure.as_deref().unwrap_or("?"),
            comparator.unwrap_or("-"),
            dates.date.as_ref().map(|d| format!(" date={d}")).unwrap_or_default()
        ),
        Fact::Date { date, relative } => format!("date {date} {}", if *relative { "relative" } else { "absolute" }),
        Fact::Relation { subject, predicate, object, role, .. } => {
            format!("relation {subject} {predicate} {object} {}", role.unwrap_or("-"))
        }
    }
}

#[test]
fn table_of_sentences_gives_the_expected_candidates() {
    for (text, date, expected) in TABLE {
        let got: Vec<String> = extract(text, date).iter().skip(1).map(describe).collect();
        for e in *expected {
            assert!(got.iter().any(|g| g.starts_with(e)), "{text}: expected {e:?} in {got:#?}");
        }
    }
}

#[test]
fn spans_fall_on_characters_and_match_the_text() {
    let text = "China's ＳＣＯ partners; 中國與上合組織在聯合國框架內合作，追回95.1億元。\n\"Harbour Watch\" began in October 2014 with 12 people.\n";
    let paragraphs: Vec<Vec<char>> = text.lines().map(|l| l.chars().collect()).collect();
    let all = extract(text, "2016");
    assert!(all.len() > 8, "{all:#?}");
    for c in &all {
        let p = &paragraphs[(c.paragraph - 1) as usize];
        assert!(c.span.0 <= c.span.1 && c.span.1 <= p.len(), "{c:?}");
        let slice: String = p[c.span.0..c.span.1].iter().collect();
        assert_eq!(slice, c.text, "{c:?}");
    }
}

#[test]
fn injected_tokens_and_boilerplate_never_become_entities() {
    let text = "好运彩票app's harbour policy\n好运彩票app signed the Harbour Treaty with Chile. 好运彩票app hosted talks.\n分享到:\n";
    let all = extract(text, "2016");
    let Fact::Source { injected, defects, .. } = &all[0].fact else { panic!() };
    assert_eq!(injected[0].token, "好运彩票app");
    assert!(defects.iter().any(|d| d.paragraph == 3));
    for c in &all {
        assert!(!c.text.contains("好运"), "{c:?}");
        assert_ne!(c.paragraph, 3, "{c:?}");
    }
}

#[test]
fn the_same_input_gives_the_same_candidates() {
    let text = "China hosted the Harbour Police Forum. 中国参加了港口守望行动。\n";
    assert_eq!(extract(text, "2016"), extract(text, "2016"));
}

#[test]
fn facts_already_cited_are_known() {
    let files: Vec<(&str, &str)> = FIXTURE_DATA
        .iter()
        .copied()
        .chain([(
            "relations.toml",
            "[[relation]]\nsubject = \"china\"\npredicate = \"member_of\"\nobject = \"sco\"\nsources = [\"900#1@en\"]\n\n[[source]]\nid = \"900\"\ntitle = \"t\"\nparagraphs = 1\n",
        )])
        .collect();
    let data = load_texts(&files, &LoadOptions::default()).unwrap();
    let options = ExtractOptions { source: "900".into(), date: None, read_as: Vec::new() };
    let all = Extractor::new(&data).extract("China is a member of the SCO.", &options).candidates;
    let rel = all.iter().find(|c| c.fact.kind_name() == "relation").unwrap();
    assert_eq!(rel.status, Status::Known);
    assert_eq!(all[0].status, Status::Known);
}

#[test]
fn the_fixture_report_gives_every_kind_of_candidate() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/extract");
    let data = coopgraph_load::load_dir(&root.join("data")).unwrap();
    let text = std::fs::read_to_string(root.join("harbour-report.txt")).unwrap();
    let options =
        ExtractOptions { source: "801".into(), date: Some("2016-11-11".parse().unwrap()), read_as: Vec::new() };
    let ex = Extractor::new(&data).extract(&text, &options);
    if std::env::var_os("COOPGRAPH_SHOW").is_some() {
        print!("{}", crate::draft::json_lines(&ex));
    }
    for kind in ["source", "entity", "new_entity", "figure", "date", "relation"] {
        assert!(ex.candidates.iter().any(|c| c.fact.kind_name() == kind), "no {kind}");
    }
}

#[test]
fn folded_positions_map_every_original_character() {
    let p = &crate::document::paragraphs("ＳＣＯ ﬁnal 聯合國")[0];
    assert_eq!(p.folded_at.len(), p.chars.len() + 1);
    for (i, &f) in p.folded_at.iter().enumerate().take(p.chars.len()) {
        assert_eq!(p.folded.original_span(f..f + 1).map(|r| r.start), Some(i));
    }
    assert_eq!(p.folded_at.last(), Some(&p.folded_chars.len()));
}

/// Prints how long 1 MB of text takes (run with COOPGRAPH_TIME=1 in release).
#[test]
fn a_megabyte_of_text() {
    if std::env::var_os("COOPGRAPH_TIME").is_none() {
        return;
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/extract");
    let data = coopgraph_load::load_dir(&root.join("data")).unwrap();
    let one = std::fs::read_to_string(root.join("harbour-report.txt")).unwrap();
    let mut text = String::new();
    let mut n = 0;
    while text.len() < 1 << 20 {
        for line in one.lines().filter(|l| !l.trim().is_empty()) {
            n += 1;
            text.push_str(&format!("{n}: {line}\n"));
        }
    }
    let options =
        ExtractOptions { source: "801".into(), date: Some("2016-11-11".parse().unwrap()), read_as: Vec::new() };
    let start = std::time::Instant::now();
    let ex = Extractor::new(&data).extract(&text, &options);
    #[allow(clippy::print_stdout)]
    {
        println!("{} bytes, {} candidates, {:?}", text.len(), ex.candidates.len(), start.elapsed());
    }
}
