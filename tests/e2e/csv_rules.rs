//! One table of bad `entities.csv` and `relations.csv` inputs, run through
//! both readers: `build` (the curated path) and `import` (the streaming
//! path). Each row names a mistake and the errors it must give, with their
//! positions; both paths must give exactly those, and refuse (or accept)
//! the same tables.

use std::path::Path;

use crate::support::coopgraph_in;

/// A folder the curated path accepts: two source documents, four
/// entities, three relations.
const SOURCES: &str = "[[source]]\nid = \"doc-001\"\ntitle = \"One\"\n\n[[source]]\nid = \"doc-002\"\ntitle = \"Two\"\nlanguages = [\"en\"]\n";
const ENTITIES: &str = "id,type,label_en,label_zh,wikidata\n\
kalostan,country,Kalostan,卡奥斯坦,Q1\n\
ulennia,Country,\"Ulennia, Republic of\",,\n\
org-one,organization,Org One,组织,\n\
treaty-one,treaty,Treaty One,,Q2\n";
const RELATIONS: &str = "subject,predicate,object,source\n\
kalostan,member_of,org-one,doc-001\n\
kalostan,party_to,treaty-one,doc-002#3@en\n\
ulennia,member_of,org-one,doc-001#1\n";

/// A mistake: the tables it makes and the errors it gives, each as
/// `FILE:LINE:COL: MESSAGE` with the file's name alone.
struct Case {
    name: &'static str,
    entities: String,
    relations: String,
    errors: Vec<String>,
}

fn with_entity(row: &str) -> String {
    format!("{ENTITIES}{row}\n")
}

fn with_relation(row: &str) -> String {
    format!("{RELATIONS}{row}\n")
}

fn case(name: &'static str, entities: String, relations: String, errors: &[&str]) -> Case {
    Case { name, entities, relations, errors: errors.iter().map(|e| (*e).to_owned()).collect() }
}

const KINDS: &str = "country, organization, operation, treaty, place, incident, group";

fn reserved(id: &str) -> String {
    format!(
        "entities.csv:6:1: entity id \"{id}\" is reserved: published IRIs use it as a path (source, statement, figure, measure, graph, ontology, sparql, page, data, search, dumps); choose another id"
    )
}

fn cases() -> Vec<Case> {
    let e = ENTITIES.to_owned();
    let r = RELATIONS.to_owned();
    let types = coopgraph_model::schema::RELATION_TYPES.iter().map(|t| t.name).collect::<Vec<_>>().join(", ");
    let unknown_type = format!(
        "relations.csv:5:10: unknown relation type \"membr_of\" (did you mean \"member_of\"?); expected one of: {types}"
    );
    let mut cases = vec![
        case("the good tables", e.clone(), r.clone(), &[]),
        case(
            "a malformed id",
            with_entity("Bad Id,country,Bad,,"),
            r.clone(),
            &[
                "entities.csv:6:1: malformed entity id \"Bad Id\": expected a slug of lower-case letters, digits, '_' and '-', such as \"safe_mekong\"",
            ],
        ),
        case(
            "an unknown kind",
            with_entity("x1,kountry,X,,"),
            r.clone(),
            &[&format!(
                "entities.csv:6:4: unknown type \"kountry\" (did you mean \"country\"?); expected one of: {KINDS}"
            )],
        ),
        case(
            "an empty English label",
            with_entity("x2,country, ,,"),
            r.clone(),
            &["entities.csv:6:12: empty label_en: every entity needs an English label"],
        ),
        case(
            "a control character in a label",
            with_entity("x3,country,X\u{1b}Y,,"),
            r.clone(),
            &[
                "entities.csv:6:12: label_en holds the control character U+001B at character 2: text may hold no control characters other than tabs and line breaks",
            ],
        ),
        case(
            "a malformed Wikidata id",
            with_entity("x4,country,X,,17"),
            r.clone(),
            &["entities.csv:6:15: malformed Wikidata id \"17\": expected Q followed by digits, such as \"Q148\""],
        ),
        case(
            "a duplicate entity",
            with_entity("org-one,organization,Again,,"),
            r.clone(),
            &["entities.csv:6:1: duplicate entity id \"org-one\": first declared at entities.csv:4:1"],
        ),
        case(
            "an unknown relation type",
            e.clone(),
            with_relation("kalostan,membr_of,org-one,doc-001"),
            &[&unknown_type],
        ),
        case(
            "kinds the relation type does not link",
            e.clone(),
            with_relation("treaty-one,member_of,org-one,doc-001"),
            &[
                "relations.csv:5:1: member_of expects country or organization as subject, but \"treaty-one\" is a treaty",
            ],
        ),
        case(
            "an object of the wrong kind",
            e.clone(),
            with_relation("ulennia,member_of,kalostan,doc-001"),
            &[
                "relations.csv:5:19: member_of from a country expects organization as object, but \"kalostan\" is a country",
            ],
        ),
        case(
            "a dangling reference",
            e.clone(),
            with_relation("ulennia,party_to,treaty-two,doc-001"),
            &["relations.csv:5:18: unknown entity \"treaty-two\" (did you mean \"treaty-one\"?)"],
        ),
        case(
            "a malformed reference",
            e.clone(),
            with_relation("Ulennia,party_to,treaty-one,doc-001"),
            &[
                "relations.csv:5:1: malformed entity id \"Ulennia\": expected a slug of lower-case letters, digits, '_' and '-', such as \"safe_mekong\"",
            ],
        ),
        case(
            "a duplicate relation row",
            e.clone(),
            with_relation("kalostan,member_of,org-one,doc-002"),
            &[
                "relations.csv:5:1: duplicate relation kalostan member_of org-one (first at relations.csv:2:1): merge the two records and list both citations in \"sources\"",
            ],
        ),
        case(
            "a malformed citation",
            e.clone(),
            with_relation("ulennia,party_to,treaty-one,doc-001#x"),
            &[
                "relations.csv:5:29: malformed paragraph number \"x\" in citation \"doc-001#x\": expected SOURCE#PARAGRAPH@LANG, such as \"002#11@en\"",
            ],
        ),
        case(
            "an undeclared source",
            e.clone(),
            with_relation("ulennia,party_to,treaty-one,doc-003"),
            &[
                "relations.csv:5:29: unknown source \"doc-003\" (did you mean \"doc-001\"?); declare it in a [[source]] record",
            ],
        ),
        case(
            "a language the source has no version in",
            e.clone(),
            with_relation("ulennia,party_to,treaty-one,doc-002#1@zh"),
            &["relations.csv:5:29: source \"doc-002\" has no \"zh\" version; its languages are en"],
        ),
        case(
            "an unbalanced quote",
            e.clone(),
            format!("{RELATIONS}ulennia,party_to,\"treaty-one,doc-001\n"),
            &[
                "relations.csv:5:18: unclosed quote: the quoted field that opens here runs to the end of the file; close it with \" or double the quotes inside it (\"\")",
            ],
        ),
        case(
            "too few fields",
            e.clone(),
            with_relation("ulennia,party_to,treaty-one"),
            &["relations.csv:5:28: too few fields: expected 4 (subject,predicate,object,source), found 3"],
        ),
        case(
            "too many fields",
            with_entity("x5,country,X,,,extra"),
            r.clone(),
            &["entities.csv:6:16: too many fields: expected 5 (id,type,label_en,label_zh,wikidata), found 6"],
        ),
        case(
            "an unknown column",
            e.replacen("wikidata", "wikidta", 1),
            r.clone(),
            &[
                "entities.csv:1:27: unknown column \"wikidta\" (did you mean \"wikidata\"?); expected the columns id,type,label_en,label_zh,wikidata",
                "entities.csv:1:1: missing column \"wikidata\": expected the columns id,type,label_en,label_zh,wikidata",
                // Without the table of ids, every reference is unknown.
                "relations.csv:2:1: unknown entity \"kalostan\"",
                "relations.csv:2:20: unknown entity \"org-one\"",
                "relations.csv:3:1: unknown entity \"kalostan\"",
                "relations.csv:3:19: unknown entity \"treaty-one\"",
                "relations.csv:4:1: unknown entity \"ulennia\"",
                "relations.csv:4:19: unknown entity \"org-one\"",
            ],
        ),
        case("a byte-order mark", format!("\u{feff}{ENTITIES}"), format!("\u{feff}{RELATIONS}"), &[]),
        case(
            "a byte-order mark before a bad header",
            format!("\u{feff}{ENTITIES}"),
            format!("\u{feff}{}", RELATIONS.replacen("source", "sauce", 1)),
            &[
                "relations.csv:1:26: unknown column \"sauce\"; expected the columns subject,predicate,object,source",
                "relations.csv:1:1: missing column \"source\": expected the columns subject,predicate,object,source",
            ],
        ),
        case("CR LF line ends", e.replace('\n', "\r\n"), r.replace('\n', "\r\n"), &[]),
        case(
            "CR LF line ends and a bad row",
            e.replace('\n', "\r\n"),
            with_relation("ulennia,party_to,treaty-one").replace('\n', "\r\n"),
            &["relations.csv:5:28: too few fields: expected 4 (subject,predicate,object,source), found 3"],
        ),
        case(
            "CR-only line ends",
            e.replace('\n', "\r"),
            r.clone(),
            &[
                "entities.csv:1:35: a carriage return without a line feed: line ends must be LF or CR LF (convert the file's line ends)",
                "relations.csv:2:1: unknown entity \"kalostan\"",
                "relations.csv:2:20: unknown entity \"org-one\"",
                "relations.csv:3:1: unknown entity \"kalostan\"",
                "relations.csv:3:19: unknown entity \"treaty-one\"",
                "relations.csv:4:1: unknown entity \"ulennia\"",
                "relations.csv:4:19: unknown entity \"org-one\"",
            ],
        ),
        case(
            "a carriage return inside a row",
            with_entity("x6,country,X\rY,,"),
            r.clone(),
            &[
                "entities.csv:6:13: a carriage return without a line feed: line ends must be LF or CR LF (convert the file's line ends)",
            ],
        ),
        case(
            "blank lines, then a bad row",
            format!("{ENTITIES}\n\n"),
            format!("{RELATIONS}\n\nulennia,party_to,treaty-two,doc-001\n"),
            &["relations.csv:7:18: unknown entity \"treaty-two\" (did you mean \"treaty-one\"?)"],
        ),
        case(
            "a label over two lines, then a bad row",
            format!("{ENTITIES}x7,country,\"Two\nlines\",,\nx8,country,X,,Q\n"),
            r.clone(),
            &["entities.csv:8:15: malformed Wikidata id \"Q\": expected Q followed by digits, such as \"Q148\""],
        ),
    ];
    for id in ["source", "page", "data", "search", "dumps"] {
        let row = format!("{id},country,X,,");
        cases.push(Case {
            name: "a reserved id",
            entities: with_entity(&row),
            relations: r.clone(),
            errors: vec![reserved(id)],
        });
    }
    cases
}

/// The error lines of a run, with the folder's path taken out of each
/// position and the closing count left out, sorted (the two paths report
/// in different orders: `build` checks references once every file is read).
fn errors(stderr: &str, dir: &Path) -> Vec<String> {
    let prefix = format!("{}/", dir.display());
    let mut lines: Vec<String> = stderr
        .lines()
        .filter(|l| !l.ends_with(" in the data"))
        .map(|l| l.replace(&prefix, "").replacen(": error: ", ": ", 1))
        .collect();
    lines.sort();
    lines
}

#[test]
fn both_readers_give_every_mistake_the_same_error_at_the_same_position() {
    let scratch = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for (n, c) in cases().iter().enumerate() {
        let dir = scratch.path().join(format!("case-{n}"));
        let data = dir.join("data");
        std::fs::create_dir_all(&data).unwrap();
        std::fs::write(data.join("sources.toml"), SOURCES).unwrap();
        std::fs::write(data.join("entities.csv"), &c.entities).unwrap();
        std::fs::write(data.join("relations.csv"), &c.relations).unwrap();
        let shown = data.to_str().unwrap();
        let build = coopgraph_in(&dir, &["--data", shown, "build", "--memory", "--out", "out"]);
        let import = coopgraph_in(&dir, &["import", shown, "-o", "out.nq"]);
        let mut expected = c.errors.clone();
        expected.sort();
        let code = if expected.is_empty() { 0 } else { 1 };
        let (from_build, from_import) = (errors(&build.stderr, &data), errors(&import.stderr, &data));
        let from_build: Vec<String> = if build.code == 0 { Vec::new() } else { from_build };
        let from_import: Vec<String> = if import.code == 0 { Vec::new() } else { from_import };
        if build.code != code || import.code != code || from_build != expected || from_import != expected {
            failures.push(format!(
                "{}: expected (exit {code}) {expected:#?}\n  build (exit {}): {from_build:#?}\n  import (exit {}): {from_import:#?}",
                c.name, build.code, import.code
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
