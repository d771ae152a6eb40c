//! The kinds and relation types of model v2 (places, incidents, non-state
//! groups; located_in, targets, responds_to ...) and the comparator of
//! figures, through the loader, the mapping, the built-in shapes and the
//! `conflicting-figures` query.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::path::Path;

use coopgraph_rdf::query::{QueryOptions, ResultFormat, load_library, run_query, write_results};
use coopgraph_rdf::shacl::{BUNDLED_SHAPES, Shapes};
use coopgraph_rdf::store::memory_store;
use coopgraph_rdf::{MappingOptions, Namespaces, map_dataset};

const DATA: &str = r#"
[[source]]
id = "900"
title = "A report we wrote for this test"
languages = ["en"]
paragraphs = 3

[[measure]]
id = "suspects_arrested"
label = { en = "suspects arrested", zh = "抓获犯罪嫌疑人" }
unit = "people"

[[measure]]
id = "requests_handled"
label = { en = "requests handled", zh = "处理请求" }
unit = "requests"

[[measure]]
id = "vessels_escorted"
label = { en = "vessels escorted", zh = "护航船舶" }
unit = "vessels"

[[country]]
id = "freedonia"
label = { en = "Freedonia", zh = "自由国" }

[[operation]]
id = "river_patrol"
label = { en = "River Patrol", zh = "河流巡逻" }
category = "patrol"

[[place]]
id = "blue_river"
label = { en = "Blue River", zh = "蓝河" }
category = "river"

[[place]]
id = "harbour_town"
label = { en = "Harbour Town", zh = "港城" }
category = "port"

[[incident]]
id = "boat_attack"
label = { en = "Attack on two cargo boats", zh = "货船遇袭事件" }
category = "attack"
date = "2011-10"

[[group]]
id = "river_gang"
label = { en = "River Gang", zh = "河帮" }
category = "criminal_group"

[[relation]]
subject = "harbour_town"
predicate = "located_in"
object = "freedonia"
sources = ["900#1@en"]

[[relation]]
subject = "boat_attack"
predicate = "located_in"
object = "blue_river"
sources = ["900#1@en"]

[[relation]]
subject = "river_patrol"
predicate = "deployed_to"
object = "blue_river"
sources = ["900#2@en"]

[[relation]]
subject = "river_patrol"
predicate = "responds_to"
object = "boat_attack"
sources = ["900#2@en"]

[[relation]]
subject = "river_patrol"
predicate = "targets"
object = "river_gang"
sources = ["900#2@en"]

[[figure]]
subject = "river_patrol"
measure = "suspects_arrested"
value = 10000
comparator = ">"
unit = "people"
sources = ["900#3@en"]

[[figure]]
subject = "river_patrol"
measure = "suspects_arrested"
value = 9927
unit = "people"
sources = ["900#2@en"]

[[figure]]
subject = "freedonia"
measure = "requests_handled"
value = 3300
comparator = "≥"
unit = "requests"
sources = ["900#3@en"]

[[figure]]
subject = "freedonia"
measure = "requests_handled"
value = 3500
unit = "requests"
sources = ["900#2@en"]

[[figure]]
subject = "freedonia"
measure = "vessels_escorted"
value = 6000
comparator = ">"
unit = "vessels"
sources = ["900#3@en"]

[[figure]]
subject = "freedonia"
measure = "vessels_escorted"
value = 6100
comparator = ">"
unit = "vessels"
sources = ["900#2@en"]
"#;

#[test]
fn new_kinds_relations_and_comparators_load_map_and_conform() {
    let dataset = coopgraph_load::load_texts(&[("t.toml", DATA)], &Default::default()).unwrap();
    let ns = Namespaces::default();
    let quads = map_dataset(&dataset, &ns, MappingOptions::default());
    let shapes = Shapes::from_turtle(BUNDLED_SHAPES).unwrap();
    let violations = shapes.validate_triples(quads.triples());
    assert!(violations.is_empty(), "{violations:?}");
    let text: Vec<String> = quads.triples().map(|t| t.to_string()).collect();
    let vocab = "https://w3id.org/coopgraph/ontology#";
    assert!(text.iter().any(|t| t.contains(&format!("<{vocab}Place>")) && t.contains("blue_river")));
    assert!(text.iter().any(|t| t.contains(&format!("<{vocab}locatedIn>")) && t.contains("boat_attack")));
    assert!(text.iter().any(|t| t.contains(&format!("<{vocab}comparator> \"≥\""))));
    assert!(
        !text.iter().any(|t| t.contains(&format!("<{vocab}comparator> \"=\""))),
        "= is the default and not written"
    );
}

#[test]
fn conflicting_figures_reads_the_comparators() {
    let dataset = coopgraph_load::load_texts(&[("t.toml", DATA)], &Default::default()).unwrap();
    let ns = Namespaces::default();
    let store = memory_store(&map_dataset(&dataset, &ns, MappingOptions::default())).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let library = load_library(&root.join("queries")).unwrap();
    let q = library.iter().find(|q| q.name == "conflicting-figures").unwrap();
    let results =
        run_query(&store, &ns, &q.text, q.bindings(&[], &ns).unwrap(), &QueryOptions::default(), &q.name).unwrap();
    let csv = String::from_utf8(write_results(results, ResultFormat::Csv, &ns, Vec::new()).unwrap()).unwrap();
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    // "more than 10,000" and 9,927 cannot both hold; "at least 3,300" and
    // 3,500 can, and so can two lower bounds.
    assert_eq!(rows.len(), 1, "{csv}");
    assert!(rows.iter().all(|r| r.contains("River Patrol") && r.contains("10000") && r.contains("9927")), "{csv}");
    assert!(rows.iter().all(|r| r.ends_with(">,=") || r.ends_with("=,>")), "{csv}");
}

#[test]
fn day_bounds_let_xsd_date_filters_keep_years_and_months() {
    // The incident is dated "2011-10": a gYearMonth, which no xsd:date
    // filter compares with. Its day bounds do.
    let dataset = coopgraph_load::load_texts(&[("t.toml", DATA)], &Default::default()).unwrap();
    let ns = Namespaces::default();
    let store = memory_store(&map_dataset(&dataset, &ns, MappingOptions::default())).unwrap();
    let ask = |filter: &str| {
        let text = format!(
            "SELECT ?first ?last WHERE {{ cg:boat_attack coop:earliestDate ?first ; coop:latestDate ?last . {filter} }}"
        );
        let results = run_query(&store, &ns, &text, Vec::new(), &QueryOptions::default(), "test").unwrap();
        String::from_utf8(write_results(results, ResultFormat::Csv, &ns, Vec::new()).unwrap()).unwrap()
    };
    assert_eq!(ask(""), "first,last\r\n2011-10-01,2011-10-31\r\n");
    assert_eq!(ask("FILTER(?last >= \"2011-10-15\"^^xsd:date)").lines().count(), 2, "mid-October keeps it");
    assert_eq!(ask("FILTER(?first > \"2011-10-31\"^^xsd:date)").lines().count(), 1, "November drops it");

    // The timeline's window reads the same bounds.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let library = load_library(&root.join("queries")).unwrap();
    let q = library.iter().find(|q| q.name == "timeline").unwrap();
    let rows = |given: &[(&str, &str)]| {
        let given: Vec<(String, String)> = given.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        let results =
            run_query(&store, &ns, &q.text, q.bindings(&given, &ns).unwrap(), &QueryOptions::default(), &q.name)
                .unwrap();
        String::from_utf8(write_results(results, ResultFormat::Csv, &ns, Vec::new()).unwrap()).unwrap()
    };
    assert!(rows(&[]).contains("boat_attack"));
    assert!(rows(&[("since", "2011-10-31"), ("until", "2011-10-31")]).contains("boat_attack"));
    assert!(!rows(&[("since", "2011-11-01")]).contains("boat_attack"));
    let refused = q.bindings(&[("since".to_owned(), "2011".to_owned())], &ns).unwrap_err().to_string();
    assert!(refused.contains("not a day; expected YYYY-MM-DD"), "{refused}");
}
