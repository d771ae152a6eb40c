use crate::support::{coopgraph, fixture};

#[test]
fn valid_data_passes() {
    let run = coopgraph("mini", &["validate"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("is valid: 10 entities, 8 relations, 1 figures, 1 measures, 1 sources"),
        "{}",
        run.stdout
    );
}

#[test]
fn broken_data_lists_every_error_with_its_position_and_exits_1() {
    let run = coopgraph("broken", &["validate"]);
    assert_eq!(run.code, 1);
    let file = fixture("broken").join("data.toml");
    let file = file.display();
    let expected = [
        format!("{file}:9:13: error: malformed Wikidata id \"148\": expected Q followed by digits, such as \"Q148\""),
        format!("{file}:13:33: error: empty label for language \"zh\""),
        format!(
            "{file}:19:10: error: field \"start\": malformed date \"2015-13\": the month must be 01 to 12; expected YYYY, YYYY-MM or YYYY-MM-DD"
        ),
        format!("{file}:16:12: error: unknown entity \"chna\" (did you mean \"china\"?)"),
        format!("{file}:20:13: error: paragraph 40 is past the end of source \"001\", which has 19 paragraphs"),
        "5 errors in the data".to_owned(),
    ];
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines, expected, "{}", run.stderr);
    assert!(!run.stderr.contains('\u{1b}'), "no colours in a pipe");
}

#[test]
fn max_errors_caps_the_list() {
    let run = coopgraph("broken", &["--max-errors", "2", "validate"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr.lines().filter(|l| l.contains(": error: ")).count(), 2);
    assert!(run.stderr.contains("... and 3 more errors not listed"), "{}", run.stderr);
}

#[test]
fn colour_can_be_forced() {
    let run = coopgraph("broken", &["--color", "always", "validate"]);
    assert!(run.stderr.contains("\u{1b}["), "{}", run.stderr);
}

#[test]
fn a_missing_data_folder_is_an_error() {
    let run = coopgraph("does-not-exist", &["validate"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("cannot read the data folder"), "{}", run.stderr);
}
