//! The table of bad inputs: each case is a small data folder with one
//! mistake, the error it must produce, and where.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

use coopgraph_load::{LoadOptions, load_texts};

const SOURCES: &str = r#"
[[source]]
id = "001"
title = "Fox Hunt 2015 news article"
languages = ["en"]
paragraphs = 19
language_paragraphs = { en = [1, 19] }

[[source]]
id = "002"
title = "Ministry of Public Security year report 2024"
languages = ["zh", "en"]
paragraphs = 16
language_paragraphs = { zh = [1, 8], en = [9, 13] }

[[measure]]
id = "suspects_arrested"
label = { en = "suspects arrested", zh = "抓获嫌疑人" }
unit = "people"
"#;

const ENTITIES: &str = r#"
[[country]]
id = "china"
label = { en = "China", zh = "中国" }
wikidata = "Q148"

[[organization]]
id = "interpol"
label = { en = "INTERPOL", zh = "国际刑警组织" }

[[operation]]
id = "fox_hunt_2015"
label = { en = "Fox Hunt 2015", zh = "猎狐2015" }

[[treaty]]
id = "uncac"
label = { en = "United Nations Convention against Corruption", zh = "联合国反腐败公约" }
"#;

struct Case {
    name: &'static str,
    file: &'static str,
    text: &'static str,
    expected: &'static str,
}

const CASES: &[Case] = &[
    Case {
        name: "TOML syntax error",
        file: "t.toml",
        text: "[[country]\nid = \"x\"\n",
        expected: "t.toml:1:11: invalid TOML: expected a right bracket, found a newline",
    },
    Case {
        name: "unquoted date",
        file: "t.toml",
        text: "[[relation]]\nsubject = \"china\"\nstart = 2015-04-01\n",
        expected: "t.toml:3:9: invalid TOML: invalid number; dates are written as quoted strings, such as \"2015-04-01\"",
    },
    Case {
        name: "unknown record type",
        file: "t.toml",
        text: "[[contry]]\nid = \"x\"\n",
        expected: "t.toml:1:3: unknown record type \"contry\" (did you mean \"country\"?); expected one of: source, measure, country, organization, operation, treaty, place, incident, group, relation, figure",
    },
    Case {
        name: "unknown field",
        file: "t.toml",
        text: "[[country]]\nid = \"japan\"\nlable = { en = \"Japan\" }\nlabel = { en = \"Japan\" }\n",
        expected: "t.toml:3:1: unknown field \"lable\" in country (did you mean \"label\"?); expected one of: id, label, aliases, category, wikidata, description, binding, ordinal, date, start, end, inferred, date_note, sources",
    },
    Case {
        name: "missing required id",
        file: "t.toml",
        text: "[[country]]\nlabel = { en = \"Japan\" }\n",
        expected: "t.toml:1:1: country is missing the required field \"id\"",
    },
    Case {
        name: "missing required label",
        file: "t.toml",
        text: "[[organization]]\nid = \"asean\"\n",
        expected: "t.toml:1:1: organization is missing the required field \"label\"",
    },
    Case {
        name: "duplicate id",
        file: "t.toml",
        text: "[[organization]]\nid = \"china\"\nlabel = { en = \"China\" }\n",
        expected: "t.toml:2:7: duplicate entity id \"china\": first declared at e.toml:3:7",
    },
    Case {
        name: "reserved id",
        file: "t.toml",
        text: "[[organization]]\nid = \"source\"\nlabel = { en = \"Source\" }\n",
        expected: "t.toml:2:7: entity id \"source\" is reserved: published IRIs use it as a path (source, statement, figure, measure, graph, ontology, sparql, page, data, search, dumps); choose another id",
    },
    Case {
        name: "malformed id",
        file: "t.toml",
        text: "[[country]]\nid = \"South Korea\"\nlabel = { en = \"South Korea\" }\n",
        expected: "t.toml:2:7: field \"id\": malformed entity id \"South Korea\": expected a slug of lower-case letters, digits, '_' and '-', such as \"safe_mekong\"",
    },
    Case {
        name: "dangling reference with did-you-mean",
        file: "t.toml",
        text: "[[relation]]\nsubject = \"chna\"\npredicate = \"member_of\"\nobject = \"interpol\"\nsources = [\"001#3@en\"]\n",
        expected: "t.toml:2:12: unknown entity \"chna\" (did you mean \"china\"?)",
    },
    Case {
        name: "relation between wrong kinds (subject)",
        file: "t.toml",
        text: "[[relation]]\nsubject = \"uncac\"\npredicate = \"member_of\"\nobject = \"interpol\"\nsources = [\"001#3@en\"]\n",
        expected: "t.toml:2:12: member_of expects country or organization as subject, but \"uncac\" is a treaty",
    },
    Case {
        name: "relation between wrong kinds (object)",
        file: "t.toml",
        text: "[[relation]]\nsubject = \"china\"\npredicate = \"member_of\"\nobject = \"uncac\"\nsources = [\"001#3@en\"]\n",
        expected: "t.toml:4:11: member_of from a country expects organization as object, but \"uncac\" is a treaty",
    },
    Case {
        name: "unknown relation type",
        file: "t.toml",
        text: "[[relation]]\nsubject = \"china\"\npredicate = \"membr_of\"\nobject = \"interpol\"\nsources = [\"001#3@en\"]\n",
        expected: "t.toml:3:14: unknown relation type \"membr_of\" (did you mean \"member_of\"?); expected one of: member_of, signed_with, party_to, participated_in, part_of, deployed_to, hosted_by, initiated_by, cooperates_with, established_under, negotiated, negotiates_with, consults_with, submitted_to, adopted_at, targets, responds_to, located_in",
    },
    Case {
        name: "malformed date",
        file: "t.toml",
        text: "[[relation]]\nsubject = \"china\"\npredicate = \"member_of\"\nobject = \"interpol\"\nstart = \"1984-13\"\nsources = [\"001#3@en\"]\n",
        expected: "t.toml:5:10: field \"start\": malformed date \"1984-13\": the month must be 01 to 12; expected YYYY, YYYY-MM or YYYY-MM-DD",
    },
    Case {
        name: "period ends before it starts",
        file: "t.toml",
        text: "[[relation]]\nsubject = \"china\"\npredicate = \"participated_in\"\nobject = \"fox_hunt_2015\"\nstart = \"2015-04\"\nend = \"2014-12\"\nsources = [\"001#2@en\"]\n",
        expected: "t.toml:6:8: the period ends (2014-12) before it starts (2015-04)",
    },
    Case {
        name: "malformed QID",
        file: "t.toml",
        text: "[[country]]\nid = \"japan\"\nlabel = { en = \"Japan\" }\nwikidata = \"q17\"\n",
        expected: "t.toml:4:13: malformed Wikidata id \"q17\": expected Q followed by digits, such as \"Q148\"",
    },
    Case {
        name: "wrong value type",
        file: "t.toml",
        text: "[[country]]\nid = \"japan\"\nlabel = { en = \"Japan\" }\nwikidata = 17\n",
        expected: "t.toml:4:12: field \"wikidata\" of country: expected a string, found integer",
    },
    Case {
        name: "malformed language tag",
        file: "t.toml",
        text: "[[country]]\nid = \"japan\"\nlabel = { english = \"Japan\" }\n",
        expected: "t.toml:3:11: in \"label\": malformed language tag \"english\": expected a BCP 47 tag such as \"en\", \"zh\" or \"zh-Hant\"",
    },
    Case {
        name: "empty label",
        file: "t.toml",
        text: "[[country]]\nid = \"japan\"\nlabel = { en = \"Japan\", zh = \"\" }\n",
        expected: "t.toml:3:30: empty label for language \"zh\"",
    },
    Case {
        name: "unknown source id",
        file: "t.toml",
        text: "[[relation]]\nsubject = \"china\"\npredicate = \"member_of\"\nobject = \"interpol\"\nsources = [\"009#3@en\"]\n",
        expected: "t.toml:5:13: unknown source \"009\" (did you mean \"001\"?); declare it in a [[source]] record",
    },
    Case {
        name: "paragraph past the end",
        file: "t.toml",
        text: "[[relation]]\nsubject = \"china\"\npredicate = \"member_of\"\nobject = \"interpol\"\nsources = [\"001#25@en\"]\n",
        expected: "t.toml:5:13: paragraph 25 is past the end of source \"001\", which has 19 paragraphs",
    },
    Case {
        name: "paragraph zero",
        file: "t.toml",
        text: "[[relation]]\nsubject = \"china\"\npredicate = \"member_of\"\nobject = \"interpol\"\nsources = [\"001#0@en\"]\n",
        expected: "t.toml:5:13: paragraph 0 in citation \"001#0@en\": paragraphs are counted from 1",
    },
    Case {
        name: "paragraph outside its language version",
        file: "t.toml",
        text: "[[relation]]\nsubject = \"china\"\npredicate = \"member_of\"\nobject = \"interpol\"\nsources = [\"002#3@en\"]\n",
        expected: "t.toml:5:13: paragraph 3 of source \"002\" is not in its \"en\" version (paragraphs 9 to 13)",
    },
    Case {
        name: "citation in a language the source lacks",
        file: "t.toml",
        text: "[[relation]]\nsubject = \"china\"\npredicate = \"member_of\"\nobject = \"interpol\"\nsources = [\"001#3@zh\"]\n",
        expected: "t.toml:5:13: source \"001\" has no \"zh\" version; its languages are en",
    },
    Case {
        name: "relation without sources",
        file: "t.toml",
        text: "[[relation]]\nsubject = \"china\"\npredicate = \"member_of\"\nobject = \"interpol\"\n",
        expected: "t.toml:1:1: relation is missing the required field \"sources\"",
    },
    Case {
        name: "unknown category",
        file: "t.toml",
        text: "[[operation]]\nid = \"safe_mekong\"\nlabel = { en = \"Safe Mekong\" }\ncategory = \"campain\"\n",
        expected: "t.toml:4:13: unknown operation category \"campain\" (did you mean \"campaign\"?); expected one of: campaign, joint_operation, patrol, peacekeeping, exercise, escort, relief, event",
    },
    Case {
        name: "unknown role",
        file: "t.toml",
        text: "[[relation]]\nsubject = \"china\"\npredicate = \"participated_in\"\nobject = \"fox_hunt_2015\"\nrole = \"hots\"\nsources = [\"001#2@en\"]\n",
        expected: "t.toml:5:9: unknown role \"hots\" for participated_in (did you mean \"host\"?); expected one of: participant, host, co_host, organizer, lead, observer, contributor",
    },
    Case {
        name: "binding on a country",
        file: "t.toml",
        text: "[[country]]\nid = \"japan\"\nlabel = { en = \"Japan\" }\nbinding = true\n",
        expected: "t.toml:4:11: field \"binding\" applies to treaties only, not to a country",
    },
    Case {
        name: "ordinal on a country",
        file: "t.toml",
        text: "[[country]]\nid = \"japan\"\nlabel = { en = \"Japan\" }\nordinal = 3\n",
        expected: "t.toml:4:11: field \"ordinal\" applies to operations only, not to a country",
    },
    Case {
        name: "ordinal zero",
        file: "t.toml",
        text: "[[operation]]\nid = \"patrol_0\"\nlabel = { en = \"Patrol\" }\nordinal = 0\n",
        expected: "t.toml:4:11: field \"ordinal\": expected a positive whole number",
    },
    Case {
        name: "inferred date without a note",
        file: "t.toml",
        text: "[[operation]]\nid = \"op\"\nlabel = { en = \"Op\" }\ndate = \"2014-11\"\ninferred = true\n",
        expected: "t.toml:5:12: field \"inferred\" = true needs a \"date_note\" saying how the date was resolved from context",
    },
    Case {
        name: "date note without inferred",
        file: "t.toml",
        text: "[[operation]]\nid = \"op\"\nlabel = { en = \"Op\" }\ndate = \"2014-11\"\ndate_note = \"From the report's date.\"\n",
        expected: "t.toml:5:14: field \"date_note\" explains an inferred date: set inferred = true, or remove the note",
    },
    Case {
        name: "inferred without a date",
        file: "t.toml",
        text: "[[operation]]\nid = \"op\"\nlabel = { en = \"Op\" }\ninferred = true\ndate_note = \"From the report's date.\"\n",
        expected: "t.toml:4:12: field \"inferred\": the record has no date (date, start, end or as_of) to mark as inferred",
    },
    Case {
        name: "relation to itself",
        file: "t.toml",
        text: "[[relation]]\nsubject = \"china\"\npredicate = \"cooperates_with\"\nobject = \"china\"\nsources = [\"001#2@en\"]\n",
        expected: "t.toml:4:11: relation links \"china\" to itself",
    },
    Case {
        name: "duplicate relation",
        file: "t.toml",
        text: "[[relation]]\nsubject = \"china\"\npredicate = \"member_of\"\nobject = \"interpol\"\nsources = [\"001#2@en\"]\n\n[[relation]]\nsubject = \"china\"\npredicate = \"member_of\"\nobject = \"interpol\"\nsources = [\"001#3@en\"]\n",
        expected: "t.toml:7:1: duplicate relation china member_of interpol (first at t.toml:1:1): merge the two records and list both citations in \"sources\"",
    },
    Case {
        name: "figure with an unknown measure",
        file: "t.toml",
        text: "[[figure]]\nsubject = \"fox_hunt_2015\"\nmeasure = \"suspects_arested\"\nvalue = 857\nunit = \"people\"\nsources = [\"001#16@en\"]\n",
        expected: "t.toml:3:12: unknown measure \"suspects_arested\" (did you mean \"suspects_arrested\"?); declare it in a [[measure]] record",
    },
    Case {
        name: "figure value that is not a number",
        file: "t.toml",
        text: "[[figure]]\nsubject = \"fox_hunt_2015\"\nmeasure = \"suspects_arrested\"\nvalue = \"about 800\"\nunit = \"people\"\nsources = [\"001#16@en\"]\n",
        expected: "t.toml:4:10: field \"value\": \"about 800\" is not a number; expected digits with an optional decimal point",
    },
    Case {
        name: "figure with an unknown comparator",
        file: "t.toml",
        text: "[[figure]]\nsubject = \"fox_hunt_2015\"\nmeasure = \"suspects_arrested\"\nvalue = 800\ncomparator = \">=\"\nunit = \"people\"\nsources = [\"001#16@en\"]\n",
        expected: "t.toml:5:15: field \"comparator\": unknown comparator \">=\"; expected one of = > ≥ < ≤ ~",
    },
    Case {
        name: "malformed citation",
        file: "t.toml",
        text: "[[relation]]\nsubject = \"china\"\npredicate = \"member_of\"\nobject = \"interpol\"\nsources = [\"001 para 3\"]\n",
        expected: "t.toml:5:13: malformed citation \"001 para 3\": expected SOURCE#PARAGRAPH@LANG, such as \"002#11@en\"",
    },
    Case {
        name: "CSV row with too many fields",
        file: "entities.csv",
        text: "id,type,label_en,label_zh,wikidata\njapan,country,Japan,日本,Q17,extra\n",
        expected: "entities.csv:2:28: too many fields: expected 5 (id,type,label_en,label_zh,wikidata), found 6",
    },
    Case {
        name: "CSV row with too few fields",
        file: "entities.csv",
        text: "id,type,label_en,label_zh,wikidata\njapan,country,Japan\n",
        expected: "entities.csv:2:20: too few fields: expected 5 (id,type,label_en,label_zh,wikidata), found 3",
    },
    Case {
        name: "CSV quoted field spanning lines, then too few fields",
        file: "relations.csv",
        text: "subject,predicate,object,source\nchina,member_of,interpol,001#3@en\n\"chi\nna\",member_of\n",
        expected: "relations.csv:4:14: too few fields: expected 4 (subject,predicate,object,source), found 2",
    },
    Case {
        name: "CSV unknown type",
        file: "entities.csv",
        text: "id,type,label_en,label_zh,wikidata\njapan,contry,Japan,日本,Q17\n",
        expected: "entities.csv:2:7: unknown type \"contry\" (did you mean \"country\"?); expected one of: country, organization, operation, treaty, place, incident, group",
    },
    Case {
        name: "CSV unknown column",
        file: "entities.csv",
        text: "id,type,label_en,label_cn,wikidata\n",
        expected: "entities.csv:1:18: unknown column \"label_cn\" (did you mean \"label_en\"?); expected the columns id,type,label_en,label_zh,wikidata",
    },
    Case {
        name: "CSV dangling reference",
        file: "relations.csv",
        text: "subject,predicate,object,source\nchina,member_of,interpl,001#3@en\n",
        expected: "relations.csv:2:17: unknown entity \"interpl\" (did you mean \"interpol\"?)",
    },
    Case {
        name: "CSV malformed QID",
        file: "entities.csv",
        text: "id,type,label_en,label_zh,wikidata\njapan,country,Japan,日本,17\n",
        expected: "entities.csv:2:24: malformed Wikidata id \"17\": expected Q followed by digits, such as \"Q148\"",
    },
    Case {
        name: "NUL in a TOML label (an escape)",
        file: "t.toml",
        text: "[[country]]\nid = \"japan\"\nlabel = { en = \"Ja\\u0000pan\" }\n",
        expected: "t.toml:3:17: label \"en\" holds the control character U+0000 at character 3: text may hold no control characters other than tabs and line breaks",
    },
    Case {
        name: "control character in a TOML description",
        file: "t.toml",
        text: "[[country]]\nid = \"japan\"\nlabel = { en = \"Japan\" }\ndescription = \"bell \\u0007\"\n",
        expected: "t.toml:4:16: field \"description\" holds the control character U+0007 at character 6: text may hold no control characters other than tabs and line breaks",
    },
    Case {
        name: "NUL in a CSV label",
        file: "entities.csv",
        text: "id,type,label_en,label_zh,wikidata\njapan,country,Ja\u{0}pan,日本,Q17\n",
        expected: "entities.csv:2:15: label_en holds the control character U+0000 at character 3: text may hold no control characters other than tabs and line breaks",
    },
    Case {
        name: "escape character in a quoted CSV label",
        file: "entities.csv",
        text: "id,type,label_en,label_zh,wikidata\njapan,country,Japan,\"日\n\u{1b}本\",Q17\n",
        expected: "entities.csv:2:21: label_zh holds the control character U+001B at character 3: text may hold no control characters other than tabs and line breaks",
    },
];

fn errors_of(case: &Case) -> Vec<String> {
    let files = [("s.toml", SOURCES), ("e.toml", ENTITIES), (case.file, case.text)];
    match load_texts(&files, &LoadOptions::default()) {
        Ok(_) => Vec::new(),
        Err(d) => d.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn the_base_data_is_valid() {
    let files = [("s.toml", SOURCES), ("e.toml", ENTITIES)];
    assert!(load_texts(&files, &LoadOptions::default()).is_ok());
}

#[test]
fn every_bad_input_gives_its_error_and_position() {
    assert!(CASES.len() >= 25);
    let mut failures = Vec::new();
    for case in CASES {
        let errors = errors_of(case);
        if !errors.iter().any(|e| e == case.expected) {
            failures.push(format!(
                "case \"{}\":\n  expected: {}\n  got:\n    {}",
                case.name,
                case.expected,
                errors.join("\n    ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn long_ids_and_labels_are_refused_at_their_position() {
    let id = "a".repeat(100_000);
    let label = "b".repeat(coopgraph_load::MAX_LABEL_CHARS + 1);
    let toml = format!(
        "[[country]]\nid = \"{id}\"\nlabel = {{ en = \"x\" }}\n\n[[country]]\nid = \"y\"\nlabel = {{ en = \"{label}\" }}\n"
    );
    let csv = format!("id,type,label_en,label_zh,wikidata\n{id},country,Japan,,\nz,country,{label},,\n");
    let files = [("s.toml", SOURCES), ("t.toml", toml.as_str()), ("entities.csv", csv.as_str())];
    let errors: Vec<String> =
        load_texts(&files, &LoadOptions::default()).unwrap_err().iter().map(ToString::to_string).collect();
    assert_eq!(
        errors,
        [
            "t.toml:2:7: field \"id\": entity id of 100000 bytes is too long: at most 100",
            "t.toml:7:17: label \"en\" is too long: 501 characters, at most 500",
            "entities.csv:2:1: entity id of 100000 bytes is too long: at most 100",
            "entities.csv:3:11: label_en is too long: 501 characters, at most 500",
        ]
    );
}

#[test]
fn all_errors_are_reported_in_one_pass() {
    let text = "[[country]]\nid = \"Bad Id\"\nlabel = { en = \"\" }\nwikidata = \"x\"\n\n\
                [[relation]]\nsubject = \"nowhere\"\npredicate = \"nope\"\nobject = \"china\"\nsources = [\"777\"]\n";
    let errors = errors_of(&Case { name: "", file: "t.toml", text, expected: "" });
    assert_eq!(errors.len(), 6, "{errors:#?}");
}

#[test]
fn the_error_list_is_capped() {
    let mut text = String::new();
    for i in 0..50 {
        text.push_str(&format!("[[relation]]\nsubject = \"x{i}\"\npredicate = \"member_of\"\nobject = \"interpol\"\nsources = [\"001#1@en\"]\n"));
    }
    let files = [("s.toml", SOURCES), ("e.toml", ENTITIES), ("t.toml", text.as_str())];
    let errors = load_texts(&files, &LoadOptions { max_errors: 10 }).unwrap_err();
    assert_eq!(errors.iter().count(), 10);
    assert_eq!(errors.total(), 50);
}

/// A small deterministic generator, so the mutation test needs no crate.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

#[test]
fn no_input_makes_the_loader_panic() {
    const PIECES: &[&str] = &[
        "\"", "[", "]", "[[", "=", "\n", "{", "}", ",", "#", "@", "-", "9999", "中", "\\", "'", "\u{0}", "''' ",
        "1e400",
    ];
    let base = format!(
        "{SOURCES}\n{ENTITIES}\n[[relation]]\nsubject = \"china\"\npredicate = \"member_of\"\nobject = \"interpol\"\nstart = \"1984\"\nsources = [\"001#3@en\"]\n"
    );
    let csv = "id,type,label_en,label_zh,wikidata\njapan,country,\"Ja,pan\",日本,Q17\n";
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    for _ in 0..3000 {
        for (name, original) in [("m.toml", base.as_str()), ("entities.csv", csv)] {
            let mut chars: Vec<char> = original.chars().collect();
            for _ in 0..1 + rng.below(4) {
                let at = rng.below(chars.len());
                match rng.below(3) {
                    0 if at < chars.len() => {
                        chars.remove(at);
                    }
                    1 => chars.splice(at..at, PIECES[rng.below(PIECES.len())].chars()).for_each(drop),
                    _ => chars.truncate(at),
                }
            }
            let text: String = chars.into_iter().collect();
            let _ = load_texts(&[(name, text.as_str())], &LoadOptions::default());
        }
    }
}

#[cfg(unix)]
#[test]
fn links_in_the_data_folder_are_followed_and_other_files_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::write(data.join("s.toml"), SOURCES).unwrap();
    std::fs::write(dir.path().join("elsewhere.toml"), ENTITIES).unwrap();
    std::os::unix::fs::symlink(dir.path().join("elsewhere.toml"), data.join("e.toml")).unwrap();
    let dataset = coopgraph_load::load_dir(&data).unwrap();
    assert_eq!(dataset.entities.len(), 4, "the linked file is read");

    std::fs::create_dir(data.join("relations.csv")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("missing.toml"), data.join("x.toml")).unwrap();
    let errors: Vec<String> = coopgraph_load::load_dir(&data).unwrap_err().iter().map(ToString::to_string).collect();
    let shown = |name: &str| data.join(name).display().to_string();
    assert_eq!(
        errors,
        [
            format!(
                "{}:1:1: is a symbolic link that leads nowhere: No such file or directory (os error 2)",
                shown("x.toml")
            ),
            format!("{}:1:1: is a folder, not a data file", shown("relations.csv")),
        ]
    );
}
