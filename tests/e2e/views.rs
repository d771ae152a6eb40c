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
