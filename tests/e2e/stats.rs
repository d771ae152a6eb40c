use crate::support::{assert_matches_file, coopgraph};

#[test]
fn stats_text_matches_expected() {
    let run = coopgraph("mini", &["stats"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_matches_file(&run.stdout, "mini-stats.txt");
}

#[test]
fn stats_json_has_counts_per_kind_and_type() {
    let run = coopgraph("mini", &["stats", "--json", "--lang", "zh"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["entities"]["total"], 10);
    assert_eq!(v["entities"]["by_type"][0]["name"], "country");
    assert_eq!(v["entities"]["by_type"][0]["count"], 3);
    let by_type = v["relations"]["by_type"].as_array().unwrap();
    let count = |name: &str| by_type.iter().find(|t| t["name"] == name).unwrap()["count"].as_u64().unwrap();
    assert_eq!(count("participated_in"), 2);
    assert_eq!(count("cooperates_with"), 2);
    assert_eq!(count("deployed_to"), 0);
    assert_eq!(v["graph"]["top_degree"][0]["id"], "china");
    assert_eq!(v["graph"]["top_degree"][0]["label"], "中国");
    assert_eq!(v["graph"]["components"], 2);
}

#[test]
fn stats_are_deterministic() {
    let a = coopgraph("mini", &["stats", "--json"]);
    let b = coopgraph("mini", &["stats", "--json"]);
    assert_eq!(a.stdout, b.stdout);
}
