//! `coopgraph publish`: its help and its answers to bad arguments. Publishing
//! into a real store is checked by tests/independent/publish_virtuoso.sh.

use std::net::TcpListener;

use crate::support::{Run, coopgraph, coopgraph_in, root};

const VIRTUOSO: [&str; 4] =
    ["--endpoint", "http://127.0.0.1:8890/sparql", "--graph-store", "http://127.0.0.1:8890/sparql-graph-crud-auth"];

fn publish(extra: &[&str]) -> Run {
    let mut args = vec!["publish"];
    args.extend_from_slice(extra);
    coopgraph("mini", &args)
}

fn assert_usage_error(run: &Run, needle: &str) {
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains(needle), "stderr lacks {needle:?}:\n{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
}

#[test]
fn help_teaches_with_examples_for_virtuoso_and_fuseki() {
    let run = coopgraph_in(&root(), &["publish", "--help"]);
    assert_eq!(run.code, 0);
    for needle in [
        "Examples:",
        "--graph-store http://localhost:8890/sparql-graph-crud-auth --user dba --password-file",
        "--graph-store http://localhost:3030/ds/data",
        "--method update",
        "--graph-param",
        "graph-uri",
        "count",
    ] {
        assert!(run.stdout.contains(needle), "publish --help lacks {needle:?}:\n{}", run.stdout);
    }
}

#[test]
fn an_endpoint_is_required() {
    let run = publish(&[]);
    assert_usage_error(&run, "--endpoint <URL>");
}

#[test]
fn urls_are_checked_and_named() {
    let run = publish(&["--endpoint", "localhost:8890/sparql", "--graph-store", "http://h/gsp"]);
    assert_usage_error(
        &run,
        "error: --endpoint \"localhost:8890/sparql\" is not a usable URL: it must start with http:// or https://",
    );
    let run = publish(&["--endpoint", "http://h/sparql", "--graph-store", "http://h:port/gsp"]);
    assert_usage_error(&run, "error: --graph-store \"http://h:port/gsp\" is not a usable URL: its port \"port\"");
    let run = publish(&["--endpoint", "http://h/sparql", "--method", "update", "--update-endpoint", "ftp://h/u"]);
    assert_usage_error(&run, "error: --update-endpoint \"ftp://h/u\" is not a usable URL");
}

#[test]
fn the_graph_store_protocol_needs_a_graph_store_url() {
    let run = publish(&["--endpoint", "http://127.0.0.1:8890/sparql", "--method", "graph-store"]);
    assert_usage_error(&run, "error: --graph-store URL is needed to write with the Graph Store Protocol");
    assert!(run.stderr.contains("or write with --method update"), "{}", run.stderr);
}

#[test]
fn credentials_come_as_a_pair_from_a_file() {
    let mut args = VIRTUOSO.to_vec();
    args.extend(["--user", "dba"]);
    assert_usage_error(&publish(&args), "--password-file <FILE>");

    let mut args = VIRTUOSO.to_vec();
    args.extend(["--password-file", "dba.pass"]);
    assert_usage_error(&publish(&args), "--user <NAME>");

    let mut args = VIRTUOSO.to_vec();
    args.extend(["--password", "dba"]);
    assert_usage_error(&publish(&args), "unexpected argument '--password'");

    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.pass");
    let mut args = VIRTUOSO.to_vec();
    args.extend(["--user", "dba", "--password-file", missing.to_str().unwrap()]);
    assert_usage_error(&publish(&args), &format!("error: cannot read --password-file {}: ", missing.display()));

    let empty = dir.path().join("empty.pass");
    std::fs::write(&empty, "\nsecond line\n").unwrap();
    let mut args = VIRTUOSO.to_vec();
    args.extend(["--user", "dba", "--password-file", empty.to_str().unwrap()]);
    assert_usage_error(
        &publish(&args),
        &format!("error: --password-file {} has an empty first line; expected the password there", empty.display()),
    );
}

#[test]
fn numbers_are_checked() {
    let mut args = VIRTUOSO.to_vec();
    args.extend(["--batch-size", "0"]);
    assert_usage_error(&publish(&args), "invalid value '0' for '--batch-size <N>'");
    let mut args = VIRTUOSO.to_vec();
    args.extend(["--retries", "many"]);
    assert_usage_error(&publish(&args), "invalid value 'many' for '--retries <N>'");
    let mut args = VIRTUOSO.to_vec();
    args.extend(["--method", "sparql"]);
    assert_usage_error(&publish(&args), "invalid value 'sparql' for '--method <METHOD>'");
}

#[test]
fn a_store_that_does_not_answer_is_an_error_after_the_retries() {
    // A port nobody listens on: bound, then freed.
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}");
    let run = publish(&[
        "--endpoint",
        &format!("{base}/sparql"),
        "--graph-store",
        &format!("{base}/sparql-graph-crud-auth"),
        "--retries",
        "0",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(&format!(
            "error: PUT {base}/sparql-graph-crud-auth?graph-uri=https%3A%2F%2Fw3id.org%2Fcoopgraph%2Fgraph%2Freference failed 1 time; last: "
        )),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty(), "{}", run.stdout);
}

#[test]
fn a_store_path_that_holds_no_store_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = VIRTUOSO.to_vec();
    args.extend(["--store", dir.path().to_str().unwrap()]);
    assert_usage_error(&publish(&args), &format!("error: no store at {}", dir.path().display()));
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap(), 16).unwrap());
            i += 3;
        } else {
            out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// A stand-in Graph Store on loopback, for as many requests as come: a PUT
/// to `/gsp?graph=IRI` replaces the graph's set of N-Triples lines, a POST
/// adds to it, and a count query on `/sparql` gives the size of the set,
/// plus `skew`. Gives its base URL.
fn stand_in_store(skew: i64) -> String {
    use std::collections::{HashMap, HashSet};
    use std::io::{BufRead as _, BufReader, Read as _, Write as _};
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let mut graphs: HashMap<String, HashSet<String>> = HashMap::new();
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let mut length = 0;
            loop {
                let mut h = String::new();
                reader.read_line(&mut h).unwrap();
                if h.trim().is_empty() {
                    break;
                }
                if let Some((name, value)) = h.split_once(':')
                    && name.eq_ignore_ascii_case("content-length")
                {
                    length = value.trim().parse().unwrap();
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            let body = String::from_utf8(body).unwrap();
            let mut parts = line.split(' ');
            let (method, target) = (parts.next().unwrap(), parts.next().unwrap());
            let (status, answer) = if let Some(graph) = target.strip_prefix("/gsp?graph=") {
                let set = graphs.entry(percent_decode(graph)).or_default();
                if method == "PUT" {
                    set.clear();
                }
                set.extend(body.lines().map(str::to_owned));
                ("201 Created", String::new())
            } else if target == "/sparql" {
                let query = percent_decode(body.strip_prefix("query=").unwrap());
                let graph = query.split_once("GRAPH <").unwrap().1.split_once('>').unwrap().0;
                let n = graphs.get(graph).map_or(0, HashSet::len) as i64 + skew;
                (
                    "200 OK",
                    format!(
                        r#"{{"head":{{"vars":["n"]}},"results":{{"bindings":[{{"n":{{"type":"literal","value":"{n}"}}}}]}}}}"#
                    ),
                )
            } else {
                ("404 Not Found", String::new())
            };
            let mut stream = stream;
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
                answer.len()
            );
        }
    });
    base
}

fn stand_in_args(base: &str) -> Vec<String> {
    ["--endpoint", &format!("{base}/sparql"), "--graph-store", &format!("{base}/gsp")].map(str::to_owned).to_vec()
}

#[test]
fn graphs_are_sent_in_batches_and_counted_back() {
    let base = stand_in_store(0);
    let mut args = stand_in_args(&base);
    args.extend(["--batch-size", "7"].map(str::to_owned));
    let run = publish(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows: Vec<Vec<&str>> =
        run.stdout.lines().filter(|l| l.starts_with("https://")).map(|l| l.split_whitespace().collect()).collect();
    assert!(rows.len() >= 2, "{}", run.stdout);
    for row in &rows {
        let (sent, stored, requests): (usize, usize, usize) =
            (row[1].parse().unwrap(), row[2].parse().unwrap(), row[3].parse().unwrap());
        assert!(sent > 0);
        assert_eq!(sent, stored, "{}", run.stdout);
        assert_eq!(requests, sent.div_ceil(7), "batches of 7: {}", run.stdout);
        assert_eq!(row[4], "ok");
    }
    assert!(rows.windows(2).all(|w| w[0][0] < w[1][0]), "graphs in IRI order: {}", run.stdout);
    assert!(run.stdout.ends_with("every count matches\n"), "{}", run.stdout);
    // Publishing again replaces every graph: the same counts.
    let again = publish(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(again.stdout.replace(&base, ""), run.stdout.replace(&base, ""));
}

#[test]
fn a_count_that_differs_is_shown_in_the_table_and_exits_1() {
    let base = stand_in_store(-1);
    let mut args = stand_in_args(&base);
    args.push("--quiet".to_owned());
    let run = publish(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(run.code, 1, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines[0].starts_with("graph "), "the table shows even with --quiet: {}", run.stdout);
    assert!(lines.iter().filter(|l| l.starts_with("https://")).all(|l| l.ends_with("differs by -1")), "{}", run.stdout);
    assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
    assert!(run.stderr.contains("graphs hold another number of triples in the store than were sent"), "{}", run.stderr);
}
