//! `coopgraph dot` and the graph exports (GraphML, Cytoscape.js).

use crate::support::{assert_matches_file, coopgraph};

#[test]
fn dot_of_the_fixture_matches_the_expected_text() {
    let run = coopgraph("mini", &["dot"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_matches_file(&run.stdout, "mini.dot");
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
}

#[test]
fn dot_in_chinese_with_edge_labels_matches_the_expected_text() {
    let run = coopgraph("mini", &["dot", "--lang", "zh", "--edge-labels"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_matches_file(&run.stdout, "mini-zh-edge-labels.dot");
}

#[test]
fn selection_flags_narrow_the_view() {
    let run = coopgraph("mini", &["dot", "--focus", "fox_hunt_2015", "--depth", "1"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_matches_file(&run.stdout, "mini-focus-fox_hunt_2015.dot");
    let run = coopgraph("mini", &["dot", "--kinds", "country,treaty"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.contains("\"sky_net\"[label"), "{}", run.stdout);
    assert!(run.stdout.contains("\"china\"[label"), "{}", run.stdout);
    let run = coopgraph("mini", &["dot", "--relations", "part_of"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.contains("\"china\"[label"), "{}", run.stdout);
    let all = coopgraph("mini", &["dot"]).stdout;
    let later = coopgraph("mini", &["dot", "--since", "2099"]).stdout;
    assert!(later.len() < all.len());
}

#[test]
fn unknown_names_are_usage_errors_with_a_hint() {
    for (args, hint) in [
        (&["dot", "--focus", "chna"][..], "did you mean \"china\"?"),
        (&["dot", "--kinds", "contry"][..], "did you mean \"country\"?"),
        (&["dot", "--relations", "memberof"][..], "did you mean \"member_of\"?"),
        (&["dot", "--since", "2015-13"][..], "--since"),
    ] {
        let run = coopgraph("mini", args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(hint), "{args:?}: {}", run.stderr);
    }
}

fn graphviz() -> bool {
    std::process::Command::new("dot").arg("-V").output().is_ok_and(|o| o.status.success())
}

#[test]
fn svg_has_one_group_per_node_and_edge() {
    if !graphviz() {
        eprintln!("Graphviz `dot` is not installed: skipped (sudo apt-get install graphviz fonts-noto-cjk)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("mini.svg");
    let run = coopgraph("mini", &["dot", "--format", "svg", "-o", svg.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(&svg).unwrap();
    let dot = coopgraph("mini", &["dot"]).stdout;
    // The legend draws a node per kind and two points and an edge per relation type shown.
    let legend_edges = dot.lines().filter(|l| l.contains("\"legend:") && l.contains("->")).count();
    let legend_nodes = dot.lines().filter(|l| l.contains("\"legend:") && !l.contains("->")).count();
    assert!(legend_nodes > 0);
    assert_eq!(text.matches("class=\"node\"").count(), 10 + legend_nodes);
    assert_eq!(text.matches("class=\"edge\"").count(), 8 + legend_edges);
}

#[test]
fn graph_exports_carry_every_node_and_edge() {
    let run = coopgraph("mini", &["export", "--format", "graphml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.matches("<node ").count(), 10);
    assert_eq!(run.stdout.matches("<edge ").count(), 8);
    assert!(run.stdout.contains("<data key=\"n_label_zh\">中国</data>"), "{}", run.stdout);
    let run = coopgraph("mini", &["export", "--format", "cytoscape"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["elements"]["nodes"].as_array().unwrap().len(), 10);
    assert_eq!(json["elements"]["edges"].as_array().unwrap().len(), 8);
}

#[test]
fn graph_exports_are_styled_laid_out_and_linked_to_the_rdf() {
    let run = coopgraph("mini", &["export", "--format", "cytoscape"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["layout"]["name"], "preset");
    let style = json["style"].as_array().unwrap();
    assert!(style.iter().any(|s| s["selector"] == "node" && s["style"]["label"] == "data(label)"));
    assert!(style.iter().any(|s| s["selector"] == "edge" && s["style"]["line-color"] == "data(colour)"));
    let nodes = json["elements"]["nodes"].as_array().unwrap();
    let china = nodes.iter().find(|n| n["data"]["id"] == "china").unwrap();
    assert_eq!(china["data"]["iri"], "https://w3id.org/coopgraph/china");
    assert_eq!(china["data"]["colour"], "#cfe2f3", "the DOT views' colour of countries");
    assert!(china["position"]["x"].as_f64().is_some());
    let edges = json["elements"]["edges"].as_array().unwrap();
    for e in edges {
        let d = &e["data"];
        assert!(d["iri"].as_str().unwrap().starts_with("https://w3id.org/coopgraph/statement/"), "{d}");
        assert!(d["citation_iris"].as_str().unwrap().starts_with("https://w3id.org/coopgraph/source/"), "{d}");
        assert!(d["colour"].as_str().unwrap().starts_with('#'));
    }
    // Edge colours follow the relation type, as in DOT.
    let member_of: Vec<&serde_json::Value> = edges.iter().filter(|e| e["data"]["relation"] == "member_of").collect();
    assert!(member_of.iter().all(|e| e["data"]["colour"] == "#1f77b4"), "{member_of:?}");
    let run = coopgraph("mini", &["export", "--format", "graphml"]);
    for needle in [
        "yfiles.type=\"nodegraphics\"",
        "<y:Shape type=\"ellipse\"/>",
        "<y:Fill color=\"#cfe2f3\"",
        "<y:LineStyle color=\"#1f77b4\"",
        "attr.name=\"r\" attr.type=\"int\"",
        "<data key=\"n_iri\">https://w3id.org/coopgraph/china</data>",
        "<data key=\"e_citations\">",
    ] {
        assert!(run.stdout.contains(needle), "GraphML lacks {needle}");
    }
    assert_eq!(coopgraph("mini", &["export", "--format", "graphml"]).stdout, run.stdout, "byte-identical on a re-run");
}

#[test]
fn hubs_can_be_hidden_and_an_empty_selection_fails() {
    let all = coopgraph("mini", &["dot"]).stdout;
    assert!(all.contains("\"china\"["));
    let hidden = coopgraph("mini", &["dot", "--hide", "china"]);
    assert_eq!(hidden.code, 0, "{}", hidden.stderr);
    assert!(!hidden.stdout.contains("\"china\""), "{}", hidden.stdout);
    let hubs = coopgraph("mini", &["dot", "--max-degree", "3"]);
    assert_eq!(hubs.code, 0, "{}", hubs.stderr);
    assert!(!hubs.stdout.contains("\"china\"["), "china has more than 3 relations");
    let focused = coopgraph("mini", &["dot", "--focus", "apec", "--depth", "2", "--hide", "china"]);
    assert_eq!(focused.code, 0, "{}", focused.stderr);
    assert!(!focused.stdout.contains("\"china\""), "{}", focused.stdout);
    let typo = coopgraph("mini", &["dot", "--hide", "chna"]);
    assert_eq!(typo.code, 2);
    assert!(typo.stderr.contains("china"), "{}", typo.stderr);
    let empty = coopgraph("mini", &["dot", "--since", "2030"]);
    assert_eq!(empty.code, 1, "{}", empty.stderr);
    assert!(empty.stderr.contains("the selection is empty"), "{}", empty.stderr);
    assert!(empty.stdout.is_empty());
}

#[test]
fn a_query_and_a_source_select_relations() {
    let run = coopgraph("mini", &["dot", "--query", "entity-neighbourhood", "--param", "entity=apec", "--memory"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let edges: Vec<&str> = run.stdout.lines().filter(|l| l.contains("->") && !l.contains("legend:")).collect();
    assert_eq!(
        edges,
        [
            "  \"china\" -> \"apec\" [color=\"#1f77b4\" style=\"solid\"];",
            "  \"apec\" -> \"beijing_declaration_anticorruption\" [color=\"#ff7f0e\" style=\"solid\"];"
        ]
    );
    let run = coopgraph("mini", &["dot", "--query", "entity-neighbourhod", "--memory"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("did you mean \"entity-neighbourhood\"?"), "{}", run.stderr);
    let run = coopgraph("mini", &["dot", "--source", "00x"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("did you mean \"001\"?"), "{}", run.stderr);
}

#[test]
fn without_graphviz_the_message_says_how_to_install_it() {
    let empty = tempfile::tempdir().unwrap();
    let data = crate::support::fixture("mini");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_coopgraph"))
        .args(["--data", data.to_str().unwrap(), "dot", "--format", "svg"])
        .env("PATH", empty.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("sudo apt-get install graphviz fonts-noto-cjk"), "{stderr}");
}
