//! Publishing against a scripted HTTP server on loopback.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpListener;
use std::thread::JoinHandle;

use coopgraph_rdf::oxigraph::model::{Literal, Triple};

use super::*;

/// A request as the test server saw it.
#[derive(Debug)]
struct Seen {
    /// `METHOD TARGET`.
    line: String,
    /// Header lines, lower-cased names.
    headers: Vec<(String, String)>,
    body: String,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// A server answering each connection with the next scripted answer
/// (status, extra header lines, body), then stopping; gives what it saw.
fn serve(script: Vec<(u16, &'static str, String)>) -> (String, JoinHandle<Vec<Seen>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let mut seen = Vec::new();
        for (status, headers, body) in script {
            let (stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let line = line.trim_end().rsplit_once(' ').unwrap().0.to_owned();
            let mut header_lines = Vec::new();
            loop {
                let mut h = String::new();
                reader.read_line(&mut h).unwrap();
                let h = h.trim_end();
                if h.is_empty() {
                    break;
                }
                let (n, v) = h.split_once(':').unwrap();
                header_lines.push((n.trim().to_ascii_lowercase(), v.trim().to_owned()));
            }
            let length: usize =
                header_lines.iter().find(|(n, _)| n == "content-length").map_or(0, |(_, v)| v.parse().unwrap());
            let mut request_body = vec![0; length];
            reader.read_exact(&mut request_body).unwrap();
            seen.push(Seen { line, headers: header_lines, body: String::from_utf8(request_body).unwrap() });
            let mut stream = stream;
            write!(
                stream,
                "HTTP/1.1 {status} X\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )
            .unwrap();
            stream.flush().unwrap();
        }
        seen
    });
    (base, handle)
}

fn count_json(n: u64) -> String {
    format!(
        r#"{{ "head": {{ "vars": ["n"] }}, "results": {{ "bindings": [ {{ "n": {{ "type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "{n}" }} }} ] }} }}"#
    )
}

fn graph(name: &str, n: usize) -> NamedGraph {
    let name = NamedNode::new(format!("https://w3id.org/coopgraph/source/{name}")).unwrap();
    let triples = (0..n)
        .map(|i| {
            Triple::new(
                NamedNode::new(format!("https://w3id.org/coopgraph/e{i}")).unwrap(),
                NamedNode::new("http://www.w3.org/2000/01/rdf-schema#label").unwrap(),
                Literal::new_language_tagged_literal(format!("中国 {i}"), "zh").unwrap(),
            )
        })
        .collect();
    NamedGraph { name, triples }
}

fn target(base: &str, method: WriteMethod) -> Target {
    Target {
        endpoint: Url::parse("--endpoint", &format!("{base}/sparql")).unwrap(),
        graph_store: Url::parse("--graph-store", &format!("{base}/sparql-graph-crud-auth")).unwrap(),
        update: Url::parse("--update-endpoint", &format!("{base}/update")).unwrap(),
        method,
        graph_param: GraphParam::Auto,
    }
}

fn fast(credentials: Option<Credentials>) -> Settings {
    Settings {
        credentials,
        batch_size: 2,
        retry: RetryPolicy { attempts: 3, first_delay: Duration::ZERO },
        timeout: Duration::from_secs(30),
    }
}

#[test]
fn graphs_go_as_put_then_post_and_are_counted_back() {
    let (base, server) = serve(vec![
        (201, "", String::new()),
        (200, "", String::new()),
        (200, "Content-Type: application/sparql-results+json\r\n", count_json(3)),
    ]);
    let mut publisher = Publisher::new(target(&base, WriteMethod::GraphStore), fast(None));
    let mut events = Vec::new();
    let report = publisher
        .publish(&[graph("001", 3)], &mut |e| {
            if let Event::Batch { batch, batches, .. } = e {
                events.push((batch, batches));
            }
        })
        .unwrap();
    let seen = server.join().unwrap();
    assert_eq!(events, [(1, 2), (2, 2)]);
    let g = "https%3A%2F%2Fw3id.org%2Fcoopgraph%2Fsource%2F001";
    assert_eq!(seen[0].line, format!("PUT /sparql-graph-crud-auth?graph-uri={g}"));
    assert_eq!(seen[1].line, format!("POST /sparql-graph-crud-auth?graph-uri={g}"));
    assert_eq!(seen[0].header("content-type"), Some("application/n-triples"));
    assert_eq!(seen[0].body.lines().count(), 2);
    assert_eq!(seen[1].body.lines().count(), 1);
    assert!(
        seen[0].body.starts_with(
            "<https://w3id.org/coopgraph/e0> <http://www.w3.org/2000/01/rdf-schema#label> \"中国 0\"@zh .\n"
        )
    );
    assert_eq!(seen[2].line, "POST /sparql");
    assert_eq!(seen[2].header("accept"), Some("application/sparql-results+json"));
    assert!(seen[2].body.starts_with("query=SELECT%20%28COUNT%28%2A%29"), "{}", seen[2].body);
    assert_eq!(
        report.graphs,
        [GraphCount { graph: "https://w3id.org/coopgraph/source/001".into(), local: 3, remote: 3, requests: 2 }]
    );
    assert!(report.matches());
    assert_eq!((report.requests, report.retries), (3, 0));
}

#[test]
fn a_503_is_tried_again_and_the_retry_is_reported() {
    let (base, server) = serve(vec![(503, "", "busy".to_owned()), (201, "", String::new()), (200, "", count_json(1))]);
    let mut publisher = Publisher::new(target(&base, WriteMethod::GraphStore), fast(None));
    let mut notices = Vec::new();
    let report = publisher
        .publish(&[graph("002", 1)], &mut |e| {
            if let Event::Retry(n) = e {
                notices.push((n.attempt, n.attempts, n.reason.clone()));
            }
        })
        .unwrap();
    let seen = server.join().unwrap();
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[0].line, seen[1].line, "the same PUT, again");
    assert_eq!(seen[0].body, seen[1].body);
    assert_eq!(notices, [(1, 3, "HTTP 503: busy".to_owned())]);
    assert_eq!((report.retries, report.requests), (1, 2));
    assert!(report.matches());
}

#[test]
fn after_the_last_try_the_error_names_the_request_and_the_last_answer() {
    let (base, server) =
        serve(vec![(502, "", String::new()), (503, "", String::new()), (500, "", "<h1>down</h1>".into())]);
    let mut publisher = Publisher::new(target(&base, WriteMethod::GraphStore), fast(None));
    let e = publisher.publish(&[graph("003", 1)], &mut |_| {}).unwrap_err().to_string();
    server.join().unwrap();
    assert_eq!(
        e,
        format!(
            "PUT {base}/sparql-graph-crud-auth?graph-uri=https%3A%2F%2Fw3id.org%2Fcoopgraph%2Fsource%2F003 failed 3 times; last: HTTP 500: down"
        )
    );
}

#[test]
fn a_closed_port_is_tried_again_then_reported() {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}");
    let mut publisher = Publisher::new(target(&base, WriteMethod::GraphStore), fast(None));
    let mut retries = 0;
    let e = publisher
        .publish(&[graph("003", 1)], &mut |e| {
            if matches!(e, Event::Retry(_)) {
                retries += 1;
            }
        })
        .unwrap_err();
    assert!(matches!(e, PublishError::GaveUp { attempts: 3, .. }), "{e}");
    assert_eq!(retries, 2);
}

#[test]
fn a_401_without_credentials_asks_for_them() {
    let digest = "WWW-Authenticate: Digest realm=\"SPARQL\", nonce=\"n1\", qop=\"auth\", algorithm=\"MD5\"\r\n";
    let (base, server) = serve(vec![(401, digest, String::new())]);
    let mut publisher = Publisher::new(target(&base, WriteMethod::GraphStore), fast(None));
    let e = publisher.publish(&[graph("004", 1)], &mut |_| {}).unwrap_err().to_string();
    server.join().unwrap();
    assert!(e.ends_with("asks for credentials (HTTP 401): pass --user NAME and --password-file FILE"), "{e}");
}

#[test]
fn refused_credentials_are_reported_after_one_answer_to_the_challenge() {
    let digest = "WWW-Authenticate: Digest realm=\"SPARQL\", nonce=\"n1\", qop=\"auth\", algorithm=\"MD5\"\r\n";
    let (base, server) = serve(vec![(401, digest, String::new()), (401, digest, String::new())]);
    let credentials = Credentials { user: "dba".into(), password: "wrong".into() };
    let mut publisher = Publisher::new(target(&base, WriteMethod::GraphStore), fast(Some(credentials)));
    let e = publisher.publish(&[graph("004", 1)], &mut |_| {}).unwrap_err().to_string();
    let seen = server.join().unwrap();
    assert_eq!(seen.len(), 2, "no loop of tries with refused credentials");
    assert!(
        e.ends_with(
            "refused the credentials of user \"dba\" (HTTP 401): check --user and the password in --password-file"
        ),
        "{e}"
    );
}

#[test]
fn digest_challenges_are_answered_and_reused() {
    let digest =
        "WWW-Authenticate: Digest realm=\"SPARQL\", nonce=\"n1\", opaque=\"o\", qop=\"auth\", algorithm=\"MD5\"\r\n";
    let (base, server) = serve(vec![
        (401, digest, String::new()),
        (201, "", String::new()),
        (201, "", String::new()),
        (200, "", count_json(3)),
    ]);
    let credentials = Credentials { user: "dba".into(), password: "dba".into() };
    let mut publisher = Publisher::new(target(&base, WriteMethod::GraphStore), fast(Some(credentials)));
    let report = publisher.publish(&[graph("005", 3)], &mut |_| {}).unwrap();
    let seen = server.join().unwrap();
    assert!(seen[0].header("authorization").is_none());
    let first = seen[1].header("authorization").unwrap();
    assert!(first.starts_with("Digest username=\"dba\", realm=\"SPARQL\", nonce=\"n1\""), "{first}");
    assert!(first.contains("nc=00000001"), "{first}");
    let target_uri = seen[1].line.split_once(' ').unwrap().1;
    assert!(first.contains(&format!("uri=\"{target_uri}\"")), "digest signs the request target: {first}");
    let second = seen[2].header("authorization").unwrap();
    assert!(second.contains("nc=00000002"), "the nonce is reused: {second}");
    assert!(seen[3].header("authorization").unwrap().starts_with("Digest "));
    assert!(report.matches());
}

#[test]
fn basic_challenges_are_answered() {
    let (base, server) =
        serve(vec![(401, "WWW-Authenticate: Basic realm=\"store\"\r\n", String::new()), (204, "", String::new())]);
    let credentials = Credentials { user: "Aladdin".into(), password: "open sesame".into() };
    let mut publisher = Publisher::new(target(&base, WriteMethod::GraphStore), fast(Some(credentials)));
    let name = NamedNode::new("urn:g").unwrap();
    publisher.write_graph(&NamedGraph { name, triples: Vec::new() }, (1, 1), &mut |_| {}).unwrap();
    let seen = server.join().unwrap();
    assert_eq!(seen[1].header("authorization"), Some("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="));
    assert_eq!(seen[1].line, "PUT /sparql-graph-crud-auth?graph-uri=urn%3Ag", "an empty graph still replaces");
}

#[test]
fn sparql_update_drops_then_inserts() {
    let (base, server) = serve(vec![(200, "", String::new()), (200, "", String::new()), (200, "", count_json(2))]);
    let mut publisher = Publisher::new(target(&base, WriteMethod::Update), fast(None));
    let report = publisher.publish(&[graph("006", 3)], &mut |_| {}).unwrap();
    let seen = server.join().unwrap();
    assert_eq!(seen[0].line, "POST /update");
    assert_eq!(seen[0].header("content-type"), Some("application/sparql-update"));
    assert!(seen[0].body.starts_with(
        "DROP SILENT GRAPH <https://w3id.org/coopgraph/source/006> ;\nINSERT DATA { GRAPH <https://w3id.org/coopgraph/source/006> {\n"
    ));
    assert!(seen[1].body.starts_with("INSERT DATA"));
    assert_eq!(seen[1].body.lines().count(), 3);
    assert!(!report.matches(), "2 counted back for 3 sent");
    assert_eq!((report.local_total(), report.remote_total()), (3, 2));
}

#[test]
fn other_4xx_answers_stop_at_once_with_the_server_s_words() {
    let (base, server) = serve(vec![(403, "", "<h3>Error 42000</h3><xmp>SQ110: Permission denied</xmp>".into())]);
    let mut publisher = Publisher::new(target(&base, WriteMethod::GraphStore), fast(None));
    let e = publisher.publish(&[graph("007", 1)], &mut |_| {}).unwrap_err().to_string();
    assert_eq!(server.join().unwrap().len(), 1);
    assert!(e.contains("was refused with HTTP 403: Error 42000 SQ110: Permission denied (this account"), "{e}");
}

#[test]
fn count_answers_are_checked() {
    assert_eq!(parse_count(&count_json(42)), Ok(42));
    assert!(parse_count("<html>").unwrap_err().contains("expected SPARQL JSON results"));
    assert!(parse_count(r#"{"results": {"bindings": []}}"#).unwrap_err().contains("exactly one result row, got 0"));
    assert!(
        parse_count(r#"{"results": {"bindings": [{"n": {"value": "x"}}]}}"#)
            .unwrap_err()
            .contains("whole number for ?n, got \"x\"")
    );
    let g = NamedNode::new("urn:g").unwrap();
    assert_eq!(count_query(&g), "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:g> { ?s ?p ?o } }");
}

#[test]
fn a_bad_count_answer_names_the_endpoint_and_graph() {
    let (base, server) = serve(vec![(201, "", String::new()), (200, "", "<html>not json</html>".into())]);
    let mut publisher = Publisher::new(target(&base, WriteMethod::GraphStore), fast(None));
    let e = publisher.publish(&[graph("008", 1)], &mut |_| {}).unwrap_err().to_string();
    server.join().unwrap();
    assert!(
        e.starts_with(&format!(
            "cannot read the count of graph <https://w3id.org/coopgraph/source/008> from {base}/sparql: expected SPARQL JSON results"
        )),
        "{e}"
    );
}

#[test]
fn a_store_that_never_answers_is_reported_with_the_time_limit() {
    // Accepts the connection and reads, but never answers.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let holder = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut sink = Vec::new();
        let _ = stream.read_to_end(&mut sink);
    });
    let mut settings = fast(None);
    settings.retry.attempts = 1;
    settings.timeout = Duration::from_millis(300);
    let mut publisher = Publisher::new(target(&base, WriteMethod::GraphStore), settings);
    let e = publisher.publish(&[graph("009", 1)], &mut |_| {}).unwrap_err().to_string();
    drop(publisher);
    assert!(e.ends_with("failed 1 time; last: no complete answer within 0.3 s (see --timeout)"), "{e}");
    holder.join().unwrap();
}
