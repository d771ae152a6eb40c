use crate::support::{assert_matches_file, coopgraph};

#[test]
fn path_prints_the_chain_with_relations_and_sources() {
    let run = coopgraph("mini", &["path", "fox_hunt_2014", "apec"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_matches_file(&run.stdout, "mini-path-fox_hunt_2014-apec.txt");
}

#[test]
fn path_follows_relations_against_their_direction() {
    let run = coopgraph("mini", &["path", "sky_net", "canada", "--lang", "zh"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines[0], "天网 (sky_net)");
    assert!(lines[1].starts_with("  <-part_of- 猎狐2015 (fox_hunt_2015)"), "{}", run.stdout);
    assert!(
        lines[2].starts_with("  <-participated_in- 中国 (china)  [role organizer; from 2015-04; source 001#2@en]"),
        "{}",
        run.stdout
    );
    assert!(lines[3].starts_with("  -cooperates_with-> 加拿大 (canada)"), "{}", run.stdout);
}

#[test]
fn unknown_id_is_a_usage_error_with_a_suggestion() {
    let run = coopgraph("mini", &["path", "chna", "apec"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("unknown entity \"chna\" (did you mean \"china\"?)"), "{}", run.stderr);
}

#[test]
fn unconnected_entities_have_no_path() {
    let run = coopgraph("mini", &["path", "china", "g20"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("no path between \"china\" and \"g20\""), "{}", run.stderr);
}
