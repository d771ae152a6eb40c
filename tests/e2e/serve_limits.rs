//! `coopgraph serve` under hostile requests and crowds: one pool of slots
//! for every request that reads the store (503 and Retry-After past the
//! queue deadline), a budget per client (429), slow and idle connections
//! cut, a body that comes too slowly answered 408 without holding a slot,
//! a cap on open connections, a query cancelled when its client hangs up, a
//! memory ceiling, a bound on the rows a query sorts, and hostile queries
//! refused at /sparql as on the command line.
//!
//! No test here asserts how fast anything is: the limits are set small and
//! each test waits, generously, for what must happen.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::serve::{Server, get};

/// Runs for hours on the curated store (a three-way cross join, counted),
/// reading the store all the while, so a cancelled token stops it at once.
const RUNAWAY: &str = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }";

fn encoded(query: &str) -> String {
    query
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() { char::from(b).to_string() } else { format!("%{b:02X}") })
        .collect()
}

fn address(server: &Server) -> String {
    server.url.trim_start_matches("http://").to_owned()
}

/// Sends a raw request on a new connection and returns the connection.
fn send(server: &Server, request: &str) -> TcpStream {
    let mut stream = TcpStream::connect(address(server)).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    stream
}

/// Starts the runaway query on a connection of its own.
fn runaway(server: &Server) -> TcpStream {
    send(server, &format!("GET /sparql?query={} HTTP/1.1\r\nHost: x\r\nAccept: text/csv\r\n\r\n", encoded(RUNAWAY)))
}

/// The status line and headers of a raw answer.
fn head_of(stream: &mut TcpStream) -> String {
    stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut seen = Vec::new();
    let mut byte = [0u8; 1];
    while !seen.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => seen.push(byte[0]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&seen).into_owned()
}

/// True once the server closes `stream` (within `limit`).
fn closed_within(stream: &mut TcpStream, limit: Duration) -> bool {
    stream.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
    let until = Instant::now() + limit;
    let mut buffer = [0u8; 4096];
    while Instant::now() < until {
        match stream.read(&mut buffer) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {}
            Err(_) => return true,
        }
    }
    false
}

/// Threads of the server evaluating a query (named `sparql`).
fn query_threads(server: &Server) -> usize {
    let tasks = format!("/proc/{}/task", server.pid());
    let Ok(entries) = std::fs::read_dir(tasks) else { return 0 };
    entries
        .filter_map(Result::ok)
        .filter(|e| std::fs::read_to_string(e.path().join("comm")).is_ok_and(|c| c.trim() == "sparql"))
        .count()
}

fn wait_until(limit: Duration, mut condition: impl FnMut() -> bool) -> bool {
    let until = Instant::now() + limit;
    while Instant::now() < until {
        if condition() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    condition()
}

#[test]
fn queries_wait_for_their_own_slots_and_an_overload_gets_503_with_retry_after_while_pages_are_served() {
    let server = Server::start_on(
        crate::serve::store(),
        &["--max-concurrent", "1", "--max-concurrent-reads", "1", "--queue-timeout", "1", "--timeout", "600"],
    );
    // A runaway query holds the one query slot.
    let _busy = runaway(&server);
    assert!(wait_until(Duration::from_secs(30), || query_threads(&server) == 1), "the query started");
    for path in ["/sparql?query=ASK%7B%7D", "/queries/country-participation"] {
        let mut stream = send(&server, &format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
        let head = head_of(&mut stream);
        assert!(head.starts_with("HTTP/1.1 503"), "{path}: {head}");
        assert!(head.to_ascii_lowercase().contains("retry-after: 1\r\n"), "{path}: {head}");
    }
    // Everything else that reads the store has a pool of its own: one slot
    // here, taken in turn by each request.
    for path in [
        "/page/china",
        "/search?q=china",
        "/search.json?q=china",
        "/data/china.ttl",
        "/explore/neighbours/china.json",
        "/explore?focus=china",
        "/dumps/coopgraph.nq.gz",
        "/.well-known/void",
        "/ontology/Country",
        "/sitemaps/Country-1.xml",
        "/sitemap.xml",
        "/robots.txt",
        "/",
        "/queries",
    ] {
        let mut stream = send(&server, &format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
        let head = head_of(&mut stream);
        assert!(head.starts_with("HTTP/1.1 200"), "{path}: {head}");
    }
    let mut stream =
        send(&server, "GET /china HTTP/1.1\r\nHost: x\r\nAccept: text/turtle\r\nConnection: close\r\n\r\n");
    let head = head_of(&mut stream);
    assert!(head.starts_with("HTTP/1.1 303"), "/china: {head}");
    assert_eq!(query_threads(&server), 1, "never more query threads than slots");
}

#[test]
fn a_client_that_hangs_up_cancels_its_query_and_frees_its_slot() {
    // One slot, and a queue long enough that a request waiting behind a
    // query nobody stopped would still be waiting when it is asked for.
    let server = Server::start_on(
        crate::serve::store(),
        &["--max-concurrent", "1", "--queue-timeout", "600", "--timeout", "600"],
    );
    let client = runaway(&server);
    assert!(wait_until(Duration::from_secs(30), || query_threads(&server) == 1), "the query started");
    drop(client);
    assert!(
        wait_until(Duration::from_secs(60), || query_threads(&server) == 0),
        "the query was still running long after its client left"
    );
    // The slot is free: the next query is answered, not queued behind it.
    let mut next = send(
        &server,
        "GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nAccept: text/csv\r\nConnection: close\r\n\r\n",
    );
    let head = head_of(&mut next);
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(
        server.log().iter().any(|l| l.contains("GET /sparql?query=SELECT") && l.contains(" 499 - ")),
        "the hung-up request is logged with nginx's 499: {:?}",
        server.log()
    );
}

#[test]
fn a_slow_client_is_cut_after_the_header_timeout() {
    let server = Server::start_on(crate::serve::store(), &["--header-timeout", "1", "--idle-timeout", "600"]);
    // Slowloris: one byte at a time, the headers never end.
    let mut slow = send(&server, "GET / HTTP/1.1\r\nHost: x\r\n");
    let mut trickle = slow.try_clone().unwrap();
    let trickling = std::thread::spawn(move || {
        for _ in 0..120 {
            if trickle.write_all(b"X").is_err() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(500));
        }
        false
    });
    assert!(closed_within(&mut slow, Duration::from_secs(60)), "a slow client was never cut");
    drop(slow);
    assert!(trickling.join().unwrap(), "the server still took bytes from the slow client");
    // Others are answered.
    assert_eq!(get(&format!("{}/queries", server.url), "application/json").status, 200);
}

#[test]
fn a_body_trickled_after_the_headers_is_cut_with_408_and_holds_no_slot() {
    // One slot and a short queue: a slow body that held the slot would get
    // the normal client below a 503.
    let server = Server::start_on(
        crate::serve::store(),
        &["--max-concurrent", "1", "--queue-timeout", "1", "--body-timeout", "4", "--header-timeout", "600"],
    );
    // The headers come at once and promise 100,000 bytes; the body trickles.
    let mut slow = send(
        &server,
        "POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: 100000\r\n\r\nS",
    );
    let mut trickle = slow.try_clone().unwrap();
    let trickling = std::thread::spawn(move || {
        for _ in 0..240 {
            if trickle.write_all(b"E").is_err() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(500));
        }
        false
    });
    std::thread::sleep(Duration::from_millis(500));
    // Meanwhile a normal client is answered: reading a body takes no slot.
    for _ in 0..3 {
        let mut normal = send(
            &server,
            "GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nAccept: text/csv\r\nConnection: close\r\n\r\n",
        );
        let head = head_of(&mut normal);
        assert!(head.starts_with("HTTP/1.1 200"), "a normal client beside a slow body: {head}");
    }
    // The slow client is answered 408 and cut.
    let head = head_of(&mut slow);
    assert!(head.starts_with("HTTP/1.1 408"), "{head}");
    assert!(head.to_ascii_lowercase().contains("connection: close\r\n"), "{head}");
    assert!(closed_within(&mut slow, Duration::from_secs(60)), "the slow body's connection stayed open");
    drop(slow);
    assert!(trickling.join().unwrap(), "the server still took bytes of the slow body");
    assert!(server.log().iter().any(|l| l.contains("POST /sparql") && l.contains(" 408 ")), "{:?}", server.log());
}

#[test]
fn an_idle_connection_is_cut_after_the_idle_timeout() {
    let server = Server::start_on(crate::serve::store(), &["--header-timeout", "600", "--idle-timeout", "1"]);
    // Keep-alive: answered, then closed when nothing follows.
    let mut idle = send(&server, "GET /queries HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n\r\n");
    assert!(head_of(&mut idle).starts_with("HTTP/1.1 200"));
    assert!(closed_within(&mut idle, Duration::from_secs(60)), "an idle keep-alive connection was never cut");
    // A connection that never sends anything.
    let mut silent = TcpStream::connect(address(&server)).unwrap();
    assert!(closed_within(&mut silent, Duration::from_secs(60)), "a silent connection was never cut");
}

#[test]
fn past_the_connection_cap_a_client_is_refused_with_503_and_answered_once_idle_ones_are_cut() {
    let server = Server::start_on(
        crate::serve::store(),
        &["--max-connections", "4", "--idle-timeout", "2", "--header-timeout", "600"],
    );
    // Four silent connections take every place; they are never closed here.
    let held: Vec<TcpStream> = (0..4).map(|_| TcpStream::connect(address(&server)).unwrap()).collect();
    std::thread::sleep(Duration::from_millis(300));
    let mut fifth = send(&server, "GET /queries HTTP/1.1\r\nHost: x\r\n\r\n");
    let head = head_of(&mut fifth);
    assert!(head.starts_with("HTTP/1.1 503"), "{head}");
    assert!(head.contains("Retry-After: 5\r\n"), "{head}");
    assert!(closed_within(&mut fifth, Duration::from_secs(10)), "the refused connection stayed open");
    // The server cuts the idle ones, and a normal client is answered.
    assert!(
        wait_until(Duration::from_secs(60), || get(&format!("{}/queries", server.url), "application/json").status
            == 200),
        "a normal client was never answered"
    );
    drop(held);
}

#[test]
fn a_client_past_its_budget_gets_429_with_retry_after_and_the_default_has_none() {
    let server = Server::start_on(crate::serve::store(), &["--client-requests", "3"]);
    for _ in 0..3 {
        assert_eq!(get(&format!("{}/queries", server.url), "application/json").status, 200);
    }
    let mut stream = send(&server, "GET /queries HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    let head = head_of(&mut stream);
    assert!(head.starts_with("HTTP/1.1 429"), "{head}");
    assert!(head.to_ascii_lowercase().contains("retry-after: 20\r\n"), "one request back every 20 s: {head}");
    drop(server);
    let unlimited = Server::start_on(crate::serve::store(), &[]);
    for _ in 0..200 {
        assert_eq!(get(&format!("{}/page/china", unlimited.url), "text/html").status, 200);
    }
}

#[test]
fn hostile_queries_are_refused_at_the_endpoint() {
    let server = Server::start_on(crate::serve::store(), &["--timeout", "2"]);
    let nested = format!("SELECT * WHERE {}?s ?p ?o{}", "{ ".repeat(1000), " }".repeat(1000));
    let union = format!("SELECT * WHERE {{ {} }}", vec!["{ ?s ?p ?o }"; 1000].join(" UNION "));
    for query in [nested.as_str(), union.as_str()] {
        let reply = get(&format!("{}/sparql?query={}", server.url, encoded(query)), "text/csv");
        assert_eq!(reply.status, 400, "{}", reply.text());
        assert!(reply.text().contains("query:1:"), "{}", reply.text());
        assert!(reply.text().contains("nest deeper than"), "{}", reply.text());
    }
    let parentheses = format!("SELECT * WHERE {{ ?s ?p ?o FILTER ({}?o{}) }}", "(".repeat(1000), ")".repeat(1000));
    let reply = get(&format!("{}/sparql?query={}", server.url, encoded(&parentheses)), "text/csv");
    assert_eq!(reply.status, 400, "{}", reply.text());
    assert!(reply.text().contains("query:1:"), "{}", reply.text());
    for service in [
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE SILENT <http://example.org/sparql> { ?s ?p ?o } }",
        "select * where { ?s ?p ?o optional { service silent <http://example.org/sparql> { ?s ?q ?x } } }",
        "SELECT * WHERE { { SELECT ?s WHERE { SERVICE SILENT <http://example.org/sparql> { ?s ?p ?o } } } }",
        "ASK { FILTER EXISTS { SERVICE SILENT <http://example.org/sparql> { ?s ?p ?o } } }",
    ] {
        let reply = get(&format!("{}/sparql?query={}", server.url, encoded(service)), "text/csv");
        assert_eq!(reply.status, 403, "{service}: {}", reply.text());
    }
    // The time limit holds whatever the operators: a cross join that reads
    // the store, OPTIONALs nested 60 deep and property paths that work in
    // memory.
    let optionals = format!(
        "SELECT (COUNT(*) AS ?n) WHERE {{ ?a0 ?b0 ?c0 {} }}",
        (1..60).map(|i| format!("OPTIONAL {{ ?a{i} ?b{i} ?c{i} }}")).collect::<Vec<_>>().join(" ")
    );
    let path = "SELECT (COUNT(*) AS ?n) WHERE { ?a (!rdf:type)*/(!rdf:type)*/(!rdf:type)*/(!rdf:type)* ?b . ?c (<urn:x>|!<urn:y>)* ?d }";
    for query in [RUNAWAY, optionals.as_str(), path] {
        let reply = get(&format!("{}/sparql?query={}", server.url, encoded(query)), "text/csv");
        assert_eq!(reply.status, 503, "{query}: {}", reply.text());
        assert!(reply.text().contains("time limit"), "{query}: {}", reply.text());
    }
    // The server is still answering.
    assert_eq!(get(&format!("{}/sparql?query=ASK%7B%7D", server.url), "text/csv").status, 200);
}

#[test]
fn a_sort_past_its_row_bound_is_stopped_with_413_and_its_thread_frees_the_slot() {
    // Oxigraph collects all 23 million rows of this cross join, then sorts
    // them in one step that no token stops: without a bound its thread
    // sorts on, holding the one slot, long after a time limit answered.
    let sort = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f";
    let server = Server::start_on(
        crate::serve::store(),
        &["--max-sort-rows", "20000", "--max-concurrent", "1", "--queue-timeout", "600", "--timeout", "600"],
    );
    let reply = get(&format!("{}/sparql?query={}", server.url, encoded(sort)), "text/csv");
    assert_eq!(reply.status, 413, "{}", reply.text());
    assert!(reply.text().contains("more than 20000 rows to sort"), "{}", reply.text());
    assert!(
        wait_until(Duration::from_secs(60), || query_threads(&server) == 0),
        "the sort's thread ran on after its answer"
    );
    let mut next = send(
        &server,
        "GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nAccept: text/csv\r\nConnection: close\r\n\r\n",
    );
    let head = head_of(&mut next);
    assert!(head.starts_with("HTTP/1.1 200"), "the next query waits for no sort: {head}");
    // A sort within the bound is answered whole.
    let small = "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 3";
    let reply = get(&format!("{}/sparql?query={}", server.url, encoded(small)), "text/csv");
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.text().lines().count(), 4, "{}", reply.text());
}

#[test]
fn a_query_that_passes_the_memory_ceiling_is_stopped_and_the_server_keeps_serving() {
    // Keeps every distinct pair of triples (23 million rows) in memory,
    // reading the store as it goes, so that a cancelled token stops it.
    let cross = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?a ?c ?d ?f WHERE { ?a ?b ?c . ?d ?e ?f } }";
    let server = Server::start_on(crate::serve::store(), &["--max-memory-mib", "200", "--timeout", "600"]);
    let reply = get(&format!("{}/sparql?query={}", server.url, encoded(cross)), "text/csv");
    assert_eq!(reply.status, 503, "{}", reply.text());
    assert!(reply.text().contains("memory passed its limit of 200 MiB"), "{}", reply.text());
    // The log line comes through the server's stderr, maybe after the answer.
    assert!(
        wait_until(Duration::from_secs(10), || server.log().iter().any(|l| l.contains("stopped 1 queries under way"))),
        "{:?}",
        server.log()
    );
    assert!(
        wait_until(Duration::from_secs(60), || get(&format!("{}/sparql?query=ASK%7B%7D", server.url), "text/csv")
            .status
            == 200),
        "queries were refused long after the stopped one: {:?}",
        server.log()
    );
    assert_eq!(get(&format!("{}/page/china", server.url), "text/html").status, 200);
}

#[test]
fn an_order_by_over_mixed_terms_is_answered_and_the_server_keeps_serving() {
    // The fuzz seed of issue 19 (FUZZING.md): Oxigraph's sort compared the
    // fixture's literals in no total order and panicked, killing the
    // query's thread, and the client got 400 "stopped without an answer".
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let out = dir.path().join("out");
    let run = crate::support::coopgraph(
        "mini",
        &["build", "--quiet", "--out", out.to_str().unwrap(), "--store", store.to_str().unwrap()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let server = Server::start_on(&store, &[]);
    // The minimal query (FUZZING.md): numbers and strings, 30 of each.
    let pairs = (0..30).map(|i| format!("{i} \"{i}\"")).collect::<Vec<_>>().join(" ");
    let minimal = format!("SELECT ?o WHERE {{ VALUES ?o {{ {pairs} }} }} ORDER BY ?o");
    for (sort, rows) in [
        ("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 5", 5),
        ("SELECT ?o WHERE { ?s ?p ?o } ORDER BY DESC(?o) LIMIT 7", 7),
        (minimal.as_str(), 60),
    ] {
        let reply = get(&format!("{}/sparql?query={}", server.url, encoded(sort)), "text/csv");
        assert_eq!(reply.status, 200, "{sort}: {}", reply.text());
        assert_eq!(reply.text().lines().count(), rows + 1, "{sort}: {}", reply.text());
    }
    // Numbers among strings are still sorted by value.
    let reply = get(
        &format!(
            "{}/sparql?query={}",
            server.url,
            encoded("SELECT ?o WHERE { VALUES ?o { 10 \"5\" 9 1.5 } } ORDER BY ?o")
        ),
        "text/csv",
    );
    assert_eq!(reply.text().replace("\r\n", "\n"), "o\n1.5\n9\n10\n5\n");
    assert_eq!(get(&format!("{}/sparql?query=ASK%7B%7D", server.url), "text/csv").status, 200);
}
