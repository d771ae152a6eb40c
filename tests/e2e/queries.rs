//! Hostile queries: nesting that would overflow a stack, operators that
//! run past the time limit, SERVICE and updates in every disguise. Each is
//! answered with a message and exit 2 (or the time limit), never an abort.

use std::path::Path;

use crate::support::{Run, coopgraph, coopgraph_in, fixture};

fn sparql(query: &str, extra: &[&str]) -> Run {
    let mut args = vec!["sparql", "--memory", query];
    args.extend_from_slice(extra);
    coopgraph("mini", &args)
}

/// `query run FILE` on a library file holding `body`.
fn query_run(dir: &Path, body: &str, extra: &[&str]) -> Run {
    let file = dir.join("hostile.rq");
    std::fs::write(&file, format!("# title: hostile\n{body}\n")).unwrap();
    let data = fixture("mini");
    let mut args = vec!["--data", data.to_str().unwrap(), "query", "run", file.to_str().unwrap(), "--memory"];
    args.extend_from_slice(extra);
    coopgraph_in(dir, &args)
}

fn nested_groups(n: usize) -> String {
    format!("SELECT * WHERE {}?s ?p ?o{}", "{ ".repeat(n), " }".repeat(n))
}

fn union_of(n: usize) -> String {
    let branches = vec!["{ ?s ?p ?o }"; n].join(" UNION ");
    format!("SELECT * WHERE {{ {branches} }}")
}

fn nested_parentheses(n: usize) -> String {
    format!("SELECT * WHERE {{ ?s ?p ?o FILTER ({}?o{}) }}", "(".repeat(n), ")".repeat(n))
}

#[test]
fn queries_nested_too_deeply_are_refused_with_their_position() {
    let dir = tempfile::tempdir().unwrap();
    // The 65th bracket is the one too deep: column 16 + 2 * 64.
    let groups = sparql(&nested_groups(1000), &[]);
    assert_eq!(groups.code, 2, "{}", groups.stderr);
    assert_eq!(
        groups.stderr,
        "error: query:1:144: SPARQL syntax error: brackets nest deeper than 64 levels here; simplify the query\n"
    );
    let parentheses = sparql(&nested_parentheses(1000), &[]);
    assert_eq!(parentheses.code, 2, "{}", parentheses.stderr);
    assert!(parentheses.stderr.contains("query:1:"), "{}", parentheses.stderr);
    assert!(parentheses.stderr.contains("brackets nest deeper than 64"), "{}", parentheses.stderr);
    let union = sparql(&union_of(1000), &[]);
    assert_eq!(union.code, 2, "{}", union.stderr);
    assert!(
        union.stderr.contains("query:1:1: SPARQL syntax error: the query's operators nest deeper"),
        "{}",
        union.stderr
    );
    for body in [nested_groups(1000), union_of(1000), nested_parentheses(1000)] {
        let run = query_run(dir.path(), &body, &[]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(run.stderr.contains("hostile.rq:"), "{}", run.stderr);
        assert!(run.stderr.contains("nest deeper than"), "{}", run.stderr);
    }
    // Brackets in strings, IRIs and comments do not count, and queries
    // within the limits run.
    let quoted = format!(
        "SELECT ?s WHERE {{ ?s ?p ?o # {}\n FILTER (?o != \"{}\" && ?o != <http://example.org/{}>) }} LIMIT 1",
        "{".repeat(100),
        "[".repeat(100),
        "(".repeat(100)
    );
    let ok = sparql(&quoted, &["--format", "csv"]);
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    assert_eq!(sparql(&nested_groups(60), &["--format", "csv"]).code, 0);
    assert_eq!(sparql(&union_of(100), &["--format", "csv"]).code, 0);
}

#[test]
fn the_time_limit_holds_for_operators_that_work_in_memory() {
    // Each would run for hours: the limit must stop it.
    let optionals = format!(
        "SELECT (COUNT(*) AS ?n) WHERE {{ ?a0 ?b0 ?c0 {} }}",
        (1..60).map(|i| format!("OPTIONAL {{ ?a{i} ?b{i} ?c{i} }}")).collect::<Vec<_>>().join(" ")
    );
    let path = "SELECT (COUNT(*) AS ?n) WHERE { ?a (!rdf:type)*/(!rdf:type)*/(!rdf:type)*/(!rdf:type)* ?b . ?c (<urn:x>|!<urn:y>)* ?d }";
    for query in [optionals.as_str(), path] {
        let run = sparql(query, &["--timeout", "1"]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(run.stderr.contains("time limit"), "{}", run.stderr);
    }
}

#[test]
fn a_sort_past_max_sort_rows_stops_the_command_as_it_stops_the_server() {
    let cross = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f";
    let run = sparql(cross, &["--max-sort-rows", "1000", "--format", "csv"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("more than 1000 rows to sort"), "{}", run.stderr);
    assert!(run.stderr.contains("--max-sort-rows"), "{}", run.stderr);
    // Within the bound the sorted answer is the one without it.
    let small = "SELECT ?s ?o WHERE { ?s rdfs:label ?o } ORDER BY ?o ?s LIMIT 20";
    let bounded = sparql(small, &["--max-sort-rows", "100000", "--format", "csv"]);
    assert_eq!(bounded.code, 0, "{}", bounded.stderr);
    assert_eq!(bounded.stdout, sparql(small, &["--format", "csv"]).stdout);
    assert_eq!(bounded.stdout.lines().count(), 21, "{}", bounded.stdout);
}

#[test]
fn service_and_updates_are_refused_in_any_form() {
    for query in [
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE SILENT <http://example.org/sparql> { ?s ?p ?o } }",
        "select * where { service silent <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE SILENT <http://example.org/sparql> { ?s ?q ?x } } }",
        "SELECT * WHERE { { SELECT ?s WHERE { SERVICE SILENT <http://example.org/sparql> { ?s ?p ?o } } } }",
        "ASK { FILTER EXISTS { SERVICE SILENT <http://example.org/sparql> { ?s ?p ?o } } }",
    ] {
        let run = sparql(query, &[]);
        assert_eq!(run.code, 2, "{query}: {}", run.stderr);
        assert!(run.stderr.contains("federated queries are not allowed"), "{query}: {}", run.stderr);
    }
    for update in ["DELETE WHERE { ?s ?p ?o }", "insert data { <urn:a> <urn:b> <urn:c> }", "CLEAR ALL"] {
        let run = sparql(update, &[]);
        assert_eq!(run.code, 2, "{update}: {}", run.stderr);
        assert!(run.stderr.contains("updates are refused"), "{update}: {}", run.stderr);
    }
}

#[test]
fn an_unknown_entity_given_as_a_parameter_is_refused_with_a_suggestion() {
    let root = crate::support::root();
    let run = coopgraph_in(&root, &["query", "run", "members-of-organization", "-p", "org=sco2", "--memory"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("parameter org: no entity \"sco2\" in the store (did you mean \"sco\"?)"),
        "{}",
        run.stderr
    );
    let known = coopgraph_in(&root, &["query", "run", "members-of-organization", "-p", "org=sco", "--memory"]);
    assert_eq!(known.code, 0, "{}", known.stderr);
    let help = coopgraph_in(&root, &["query", "--help"]);
    assert!(
        help.stdout.contains("Examples:") && help.stdout.contains("query run members-of-organization"),
        "{}",
        help.stdout
    );
}
