//! `coopgraph serve`: the real binary on a real socket, spoken to over HTTP.

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use coopgraph_rdf::oxigraph::io::{RdfFormat, RdfParser};
use coopgraph_rdf::oxigraph::model::Quad;

use crate::support::{coopgraph_in, root};

/// The store built once from the bundled data, shared by the tests.
pub(crate) fn store() -> &'static PathBuf {
    static STORE: OnceLock<PathBuf> = OnceLock::new();
    STORE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep();
        let store = dir.join("store");
        let run = coopgraph_in(
            &root(),
            &["build", "--quiet", "--out", dir.join("out").to_str().unwrap(), "--store", store.to_str().unwrap()],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        store
    })
}

/// A running server; killed when dropped.
pub(crate) struct Server {
    child: Child,
    pub(crate) url: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(extra: &[&str]) -> Server {
        Server::start_on(store(), extra)
    }

    /// A server on the store at `store`.
    pub(crate) fn start_on(store: &std::path::Path, extra: &[&str]) -> Server {
        let mut args = vec!["serve", "--store", store.to_str().unwrap(), "--bind", "127.0.0.1:0"];
        args.extend_from_slice(extra);
        let mut child = Command::new(env!("CARGO_BIN_EXE_coopgraph"))
            .args(&args)
            .current_dir(root())
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if let Some(rest) = line.split(" on http://").nth(1) {
                    let address = rest.split('/').next().unwrap().to_owned();
                    let _ = tx.send(address);
                }
                sink.lock().unwrap().push(line);
            }
        });
        let address = rx.recv_timeout(Duration::from_secs(60)).expect("the server did not say where it listens");
        Server { child, url: format!("http://{address}"), log }
    }

    /// The server's process id.
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    pub(crate) fn log(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .max_redirects_will_error(false)
        .build()
        .into()
}

pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) content_type: String,
    pub(crate) location: String,
    pub(crate) vary: String,
    pub(crate) body: Vec<u8>,
}

impl Reply {
    pub(crate) fn text(&self) -> String {
        String::from_utf8(self.body.clone()).unwrap()
    }

    /// The media type without its parameters (`text/turtle`).
    pub(crate) fn media_type(&self) -> &str {
        self.content_type.split(';').next().unwrap_or_default().trim()
    }
}

pub(crate) fn reply(mut response: ureq::http::Response<ureq::Body>) -> Reply {
    let header = |name: &str| {
        response.headers().get_all(name).iter().map(|v| v.to_str().unwrap().to_owned()).collect::<Vec<_>>().join(", ")
    };
    let (content_type, location, vary) = (header("content-type"), header("location"), header("vary"));
    let mut body = Vec::new();
    response.body_mut().as_reader().read_to_end(&mut body).unwrap();
    Reply { status: response.status().as_u16(), content_type, location, vary, body }
}

pub(crate) fn get(url: &str, accept: &str) -> Reply {
    reply(agent().get(url).header("Accept", accept).call().unwrap())
}

fn post_form(url: &str, accept: &str, query: &str) -> Reply {
    reply(agent().post(url).header("Accept", accept).send_form([("query", query)]).unwrap())
}

fn post_body(url: &str, content_type: &str, body: &[u8]) -> Reply {
    reply(agent().post(url).header("Content-Type", content_type).send(body).unwrap())
}

/// POSTs a 10 MB body by hand: the server answers 413 before reading it
/// all and closes, which HTTP clients report as a broken pipe.
fn status_of_huge_post(url: &str) -> u16 {
    use std::io::Write;
    let address = url.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    let size = 10 * 1024 * 1024;
    let head = format!(
        "POST /sparql HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/sparql-query\r\nContent-Length: {size}\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).unwrap();
    let chunk = vec![b'a'; 64 * 1024];
    for _ in 0..size / chunk.len() {
        if stream.write_all(&chunk).is_err() {
            break;
        }
    }
    let mut answer = String::new();
    let _ = BufReader::new(stream).read_line(&mut answer);
    answer.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
}

pub(crate) fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

fn parse_rdf(body: &[u8], format: RdfFormat) -> Vec<Quad> {
    RdfParser::from_format(format).for_reader(body).collect::<Result<Vec<_>, _>>().unwrap()
}

const MEMBERS: &str = "SELECT ?m ?o WHERE { ?m coop:memberOf ?o } ORDER BY ?m ?o";

#[test]
fn sparql_protocol_answers_like_the_command_line() {
    let server = Server::start(&[]);
    let endpoint = format!("{}/sparql", server.url);
    let cli = coopgraph_in(&root(), &["sparql", MEMBERS, "--format", "json", "--store", store().to_str().unwrap()]);
    assert_eq!(cli.code, 0, "{}", cli.stderr);
    let expected: serde_json::Value = serde_json::from_str(&cli.stdout).unwrap();
    assert!(expected["results"]["bindings"].as_array().unwrap().len() > 3);

    let by_get = get(&format!("{endpoint}?query={}", encode(MEMBERS)), "application/sparql-results+json");
    assert_eq!(by_get.status, 200);
    assert_eq!(by_get.content_type, "application/sparql-results+json");
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&by_get.body).unwrap(), expected);
    let by_form = post_form(&endpoint, "application/sparql-results+json", MEMBERS);
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&by_form.body).unwrap(), expected);
    let direct = reply(
        agent()
            .post(&endpoint)
            .header("Content-Type", "application/sparql-query")
            .header("Accept", "application/json")
            .send(MEMBERS)
            .unwrap(),
    );
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&direct.body).unwrap(), expected);

    let xml = post_form(&endpoint, "application/sparql-results+xml", MEMBERS);
    assert_eq!(xml.content_type, "application/sparql-results+xml; charset=utf-8");
    assert!(xml.text().contains("<uri>https://w3id.org/coopgraph/china</uri>"));
    let csv = post_form(&endpoint, "text/csv", MEMBERS);
    assert!(csv.content_type.starts_with("text/csv"));
    assert!(csv.text().starts_with("m,o\r\n"));
    let tsv = post_form(&endpoint, "text/tab-separated-values", MEMBERS);
    assert!(tsv.text().contains("<https://w3id.org/coopgraph/china>"));
    let ask = post_form(&endpoint, "application/sparql-results+json", "ASK { cg:china coop:memberOf cg:interpol }");
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&ask.body).unwrap()["boolean"], true);

    let construct = "CONSTRUCT { ?m coop:memberOf ?o } WHERE { ?m coop:memberOf ?o }";
    let rows = expected["results"]["bindings"].as_array().unwrap().len();
    for (accept, format) in [
        ("text/turtle", RdfFormat::Turtle),
        ("application/n-triples", RdfFormat::NTriples),
        ("application/rdf+xml", RdfFormat::RdfXml),
        ("application/ld+json", RdfFormat::from_media_type("application/ld+json").unwrap()),
    ] {
        let r = post_form(&endpoint, accept, construct);
        assert_eq!((r.status, r.media_type()), (200, accept));
        assert_eq!(parse_rdf(&r.body, format).len(), rows, "{accept}");
    }
    let html = post_form(&endpoint, "text/html", MEMBERS);
    assert!(html.text().contains("<table>") && html.text().contains(">cg:china<"), "{}", html.text());

    // Nothing the client accepts fits: 406, listing what would.
    let refused = post_form(&endpoint, "image/png", MEMBERS);
    assert_eq!(refused.status, 406);
    assert!(refused.text().contains("application/sparql-results+json"));
    // Named graphs chosen by the protocol.
    let graph = "https://w3id.org/coopgraph/source/000";
    let scoped = get(
        &format!(
            "{endpoint}?query={}&default-graph-uri={}",
            encode("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"),
            encode(graph)
        ),
        "text/csv",
    );
    let in_graph = coopgraph_in(
        &root(),
        &[
            "sparql",
            &format!("SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"),
            "--format",
            "csv",
            "--store",
            store().to_str().unwrap(),
        ],
    );
    assert_eq!(scoped.text(), in_graph.stdout);
}

#[test]
fn iris_dereference_with_content_negotiation() {
    let server = Server::start(&[]);
    let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    let page = get(&format!("{}/china", server.url), browser);
    assert_eq!((page.status, page.location.as_str()), (303, "/page/china"));
    assert!(page.vary.contains("Accept"));
    for (accept, ext, format) in [
        ("text/turtle", "ttl", RdfFormat::Turtle),
        ("application/n-triples", "nt", RdfFormat::NTriples),
        ("application/ld+json", "jsonld", RdfFormat::from_media_type("application/ld+json").unwrap()),
        ("application/rdf+xml", "rdf", RdfFormat::RdfXml),
    ] {
        let see = get(&format!("{}/china", server.url), accept);
        assert_eq!(see.status, 303, "{accept}");
        assert_eq!(see.location, format!("/data/china.{ext}"));
        let doc = get(&format!("{}{}", server.url, see.location), "*/*");
        assert_eq!((doc.status, doc.media_type()), (200, accept));
        let quads = parse_rdf(&doc.body, format);
        assert!(
            quads.iter().any(|q| q.subject.to_string() == "<https://w3id.org/coopgraph/china>"
                && q.object.to_string() == "\"中国\"@zh"),
            "{accept}"
        );
    }
    // A source document's named graph at its IRI.
    let source = get(&format!("{}/source/000", server.url), "text/turtle");
    assert_eq!(source.location, "/data/source/000.ttl");
    let graph = parse_rdf(&get(&format!("{}/data/source/000.ttl", server.url), "*/*").body, RdfFormat::Turtle);
    assert!(graph.len() > 100, "{}", graph.len());
    // The ontology at its namespace.
    let ontology = get(&format!("{}/ontology", server.url), "text/turtle");
    assert_eq!(ontology.status, 200);
    assert!(parse_rdf(&ontology.body, RdfFormat::Turtle).len() > 100);
    // Unknown names and unacceptable types.
    assert_eq!(get(&format!("{}/no_such_entity", server.url), "text/turtle").status, 404);
    assert_eq!(get(&format!("{}/china", server.url), "image/png").status, 406);
}

#[test]
fn pages_show_labels_relations_figures_and_sources() {
    let server = Server::start(&[]);
    let home = get(&format!("{}/", server.url), "text/html").text();
    for needle in ["37</b>countries", "name=\"query\"", "/dumps/coopgraph.nq.gz", "/search", "Bundled queries"] {
        assert!(home.contains(needle), "home page lacks {needle}");
    }
    let china = get(&format!("{}/page/china", server.url), "text/html").text();
    for needle in ["中国", "https://www.wikidata.org/wiki/Q148", "<svg", "member of", "doc 000", "Figures"] {
        assert!(china.contains(needle), "entity page lacks {needle}");
    }
    let mekong = get(&format!("{}/page/safe_mekong_2", server.url), "text/html").text();
    assert!(mekong.contains("class=\"conflict\""), "conflicting figures are flagged");
    // 004's "more than 10,000" is a bound beside 000's exact 9,927.
    assert!(mekong.contains("&gt; 10000 people") && mekong.contains(">9927 people"), "{mekong}");
    let patrol = get(&format!("{}/page/mekong_joint_patrol_51", server.url), "text/html").text();
    assert!(patrol.contains("<dt>Number in its series</dt><dd>51</dd>"), "the ordinal is shown");
    let source = get(&format!("{}/page/source/004", server.url), "text/html").text();
    assert!(source.contains("Relations it states") && source.contains("Figures it gives"));
    assert!(source.contains("&gt; 10000 people"), "the source page shows the bound too");
    let search = get(&format!("{}/search?q={}", server.url, encode("湄公河")), "text/html").text();
    assert!(search.contains("/page/mekong_mechanism"), "{search}");
    let english = get(&format!("{}/search?q=interpol", server.url), "text/html").text();
    assert!(english.contains("/page/interpol"));
    let missing = get(&format!("{}/page/nothing_here", server.url), "text/html");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("<html"));
}

#[test]
fn void_and_dumps_describe_the_same_data() {
    let server = Server::start(&[]);
    let void = get(&format!("{}/.well-known/void", server.url), "text/turtle");
    assert_eq!((void.status, void.content_type.as_str()), (200, "text/turtle; charset=utf-8"));
    let triples = parse_rdf(&void.body, RdfFormat::Turtle);
    let value = |predicate: &str| {
        triples
            .iter()
            .find(|q| q.subject.to_string() == "<https://w3id.org/coopgraph/>" && q.predicate.as_str() == predicate)
            .map(|q| q.object.to_string())
    };
    let export = coopgraph_in(&root(), &["export", "--format", "nquads"]);
    let quads = parse_rdf(export.stdout.as_bytes(), RdfFormat::NQuads);
    let union: std::collections::HashSet<_> =
        quads.iter().map(|q| (q.subject.clone(), q.predicate.clone(), q.object.clone())).collect();
    assert_eq!(
        value("http://rdfs.org/ns/void#triples"),
        Some(format!("\"{}\"^^<http://www.w3.org/2001/XMLSchema#integer>", union.len()))
    );
    assert_eq!(
        value("http://purl.org/dc/terms/license").as_deref(),
        Some("<https://creativecommons.org/licenses/by/4.0/>")
    );
    // The address actually bound, not the port 0 asked for.
    assert!(void.text().contains(&format!("<{}/sparql>", server.url)), "{}", void.text());

    let dump = get(&format!("{}/dumps/coopgraph.nq.gz", server.url), "*/*");
    assert_eq!((dump.status, dump.content_type.as_str()), (200, "application/gzip"));
    let mut nquads = Vec::new();
    flate2::read::GzDecoder::new(&dump.body[..]).read_to_end(&mut nquads).unwrap();
    let dumped = parse_rdf(&nquads, RdfFormat::NQuads);
    let as_set = |q: &[Quad]| q.iter().map(ToString::to_string).collect::<std::collections::BTreeSet<_>>();
    assert_eq!(as_set(&dumped), as_set(&quads), "the dump holds exactly the exported quads");
    // The same bytes every time.
    assert_eq!(get(&format!("{}/dumps/coopgraph.nq.gz", server.url), "*/*").body, dump.body);
    for file in ["coopgraph.ttl", "coopgraph.nt", "coopgraph.trig", "coopgraph.rdf", "coopgraph.jsonld", "coopgraph.nq"]
    {
        assert_eq!(get(&format!("{}/dumps/{file}", server.url), "*/*").status, 200, "{file}");
    }
}

#[test]
fn bundled_queries_run_by_name_as_on_the_command_line() {
    let server = Server::start(&[]);
    let web =
        get(&format!("{}/queries/members-of-organization?org=sco", server.url), "application/sparql-results+json");
    assert_eq!(web.status, 200, "{}", web.text());
    let cli = coopgraph_in(
        &root(),
        &[
            "query",
            "run",
            "members-of-organization",
            "--param",
            "org=sco",
            "--format",
            "json",
            "--store",
            store().to_str().unwrap(),
        ],
    );
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&web.body).unwrap(),
        serde_json::from_str::<serde_json::Value>(&cli.stdout).unwrap()
    );
    let unknown = get(&format!("{}/queries/members-of-organization?nope=1", server.url), "*/*");
    assert_eq!(unknown.status, 400);
    assert!(unknown.text().contains("no parameter \"nope\""), "{}", unknown.text());
    assert_eq!(get(&format!("{}/queries/no-such-query", server.url), "*/*").status, 404);
    let list: serde_json::Value =
        serde_json::from_slice(&get(&format!("{}/queries", server.url), "application/json").body).unwrap();
    assert!(list.as_array().unwrap().iter().any(|q| q["name"] == "members-of-organization"));
}

#[test]
fn abuse_gets_the_right_status_and_the_server_keeps_serving() {
    let server = Server::start(&["--timeout", "1"]);
    let endpoint = format!("{}/sparql", server.url);
    let update = reply(agent().post(&endpoint).send_form([("update", "INSERT DATA { <a:b> <a:b> <a:b> }")]).unwrap());
    assert_eq!(update.status, 403);
    assert_eq!(post_form(&endpoint, "*/*", "INSERT DATA { <a:b> <a:b> <a:b> }").status, 403);
    assert_eq!(post_body(&endpoint, "application/sparql-update", b"CLEAR ALL").status, 403);
    let service = post_form(&endpoint, "*/*", "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }");
    assert_eq!(service.status, 403);
    assert!(service.text().contains("SERVICE"));
    let slow = post_form(&endpoint, "*/*", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }");
    assert_eq!(slow.status, 503);
    assert!(slow.text().contains("time limit"), "{}", slow.text());
    assert_eq!(status_of_huge_post(&server.url), 413);
    let malformed = post_form(&endpoint, "*/*", "SELECT ?x WHERE { ?x ?y }");
    assert_eq!(malformed.status, 400);
    assert!(malformed.text().contains("query:1:"), "{}", malformed.text());
    assert_eq!(post_form(&endpoint, "this is not a media type", MEMBERS).status, 406);
    assert_eq!(post_body(&endpoint, "text/plain", MEMBERS.as_bytes()).status, 415);
    assert_eq!(get(&endpoint, "application/sparql-results+json").status, 400);

    // 200 clients at once: every one answered in full.
    let handles: Vec<_> = (0..200)
        .map(|_| {
            let endpoint = endpoint.clone();
            std::thread::spawn(move || {
                let r = post_form(&endpoint, "application/sparql-results+json", MEMBERS);
                (r.status, r.body.len())
            })
        })
        .collect();
    let answers: Vec<(u16, usize)> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert!(answers.iter().all(|(status, _)| *status == 200), "{answers:?}");
    assert!(answers.windows(2).all(|w| w[0].1 == w[1].1), "every client got the same answer");
    assert_eq!(get(&format!("{}/page/china", server.url), "text/html").status, 200);
    // One log line per request (read from the server's stderr by a thread:
    // give it a moment to catch up).
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut log = server.log();
    while log.iter().filter(|l| l.contains("POST /sparql 200")).count() < 200 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
        log = server.log();
    }
    assert!(log.iter().filter(|l| l.contains("POST /sparql 200")).count() >= 200, "{}", log.len());
    assert!(log.iter().any(|l| l.contains("POST /sparql 503")));
}

#[test]
fn sigterm_stops_the_server_gracefully() {
    let mut server = Server::start(&[]);
    assert_eq!(get(&format!("{}/", server.url), "text/html").status, 200);
    let pid = server.child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let status = server.child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !server.log().iter().any(|l| l.contains("shutting down")) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(server.log().iter().any(|l| l.contains("shutting down")), "{:?}", server.log());
}

#[test]
fn serve_refuses_bad_options_clearly() {
    let run = coopgraph_in(&root(), &["serve", "--store", "/nonexistent/store"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no store at /nonexistent/store"), "{}", run.stderr);
    let run = coopgraph_in(&root(), &["serve", "--memory", "--base-url", "ftp://x"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--base-url"), "{}", run.stderr);
}

/// `/search.json?PARAMS` as JSON.
fn search_json(server: &Server, params: &str) -> serde_json::Value {
    let reply = get(&format!("{}/search.json?{params}", server.url), "*/*");
    assert_eq!(reply.status, 200, "{params}: {}", reply.text());
    assert!(reply.content_type.starts_with("application/json"), "{}", reply.content_type);
    serde_json::from_slice(&reply.body).unwrap()
}

/// The (id, match) pairs of a JSON search answer.
fn search_hits(answer: &serde_json::Value) -> Vec<(String, String)> {
    answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| (hit["id"].as_str().unwrap().to_owned(), hit["match"].as_str().unwrap().to_owned()))
        .collect()
}

#[test]
fn search_ranks_exact_then_prefix_then_word_then_substring() {
    let server = Server::start(&[]);
    let answer = search_json(&server, "q=china&lang=en&limit=100");
    let hits = search_hits(&answer);
    assert_eq!(hits.first(), Some(&("china".to_owned(), "exact".to_owned())), "{answer}");
    assert_eq!(answer["total"].as_u64(), Some(hits.len() as u64));
    // Tiers never go back, and each tier is in label order.
    let tier = |m: &str| ["exact", "prefix", "word", "substring"].iter().position(|t| *t == m).unwrap();
    let ranks: Vec<usize> = hits.iter().map(|(_, m)| tier(m)).collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{ranks:?}");
    for wanted in ["prefix", "word"] {
        assert!(hits.iter().any(|(_, m)| m == wanted), "no {wanted} hit for china: {answer}");
    }
    let results = answer["results"].as_array().unwrap();
    for pair in results.windows(2) {
        if pair[0]["match"] == pair[1]["match"] {
            let (a, b) = (pair[0]["label"].as_str().unwrap(), pair[1]["label"].as_str().unwrap());
            assert!(a.to_lowercase() <= b.to_lowercase(), "{a} before {b}");
        }
    }
    // An alias counts as a name: "Interpol" is the alias of the organization.
    let interpol = search_json(&server, "q=INTERPOL");
    assert_eq!(search_hits(&interpol).first(), Some(&("interpol".to_owned(), "exact".to_owned())), "{interpol}");
    // Every hit carries what a widget shows and links to.
    let first = &results[0];
    assert_eq!(first["label"], "China");
    assert_eq!(first["other_label"], "中国");
    assert_eq!(first["kind"], "country");
    assert_eq!(first["iri"], "https://w3id.org/coopgraph/china");
    assert_eq!(first["url"].as_str().unwrap(), format!("{}/page/china", server.url));
}

#[test]
fn search_finds_simplified_and_traditional_chinese_alike() {
    let server = Server::start(&[]);
    for query in ["中国", "中國"] {
        let answer = search_json(&server, &format!("q={}", encode(query)));
        assert_eq!(answer["lang"], "zh", "the script of the text picks the language");
        assert_eq!(search_hits(&answer).first(), Some(&("china".to_owned(), "exact".to_owned())), "{query}: {answer}");
        assert_eq!(answer["results"][0]["label"], "中国");
        assert_eq!(answer["results"][0]["other_label"], "China");
    }
    // The alias 湄公河联合巡逻执法, typed in traditional characters.
    let simplified = search_json(&server, &format!("q={}&limit=100", encode("湄公河联合巡逻执法")));
    let traditional = search_json(&server, &format!("q={}&limit=100", encode("湄公河聯合巡邏執法")));
    assert_eq!(search_hits(&traditional), search_hits(&simplified));
    assert_eq!(search_hits(&traditional).first(), Some(&("mekong_joint_patrol".to_owned(), "exact".to_owned())));
    // A part of a Chinese name is a substring hit.
    let part = search_hits(&search_json(&server, &format!("q={}&limit=100", encode("聯合巡邏"))));
    assert!(part.contains(&("mekong_joint_patrol".to_owned(), "substring".to_owned())), "{part:?}");
}

#[test]
fn search_pages_are_stable_and_linked() {
    let server = Server::start(&[]);
    let all = search_json(&server, "q=china&lang=en&limit=100");
    let total = all["total"].as_u64().unwrap() as usize;
    assert!(total > 20, "the curated data has more than a page of hits for china: {total}");
    // JSON pages of 7 add up to the whole list.
    let mut paged = Vec::new();
    for offset in (0..total + 7).step_by(7) {
        let page = search_json(&server, &format!("q=china&lang=en&offset={offset}&limit=7"));
        assert_eq!(page["total"].as_u64(), Some(total as u64));
        assert_eq!((page["offset"].as_u64(), page["limit"].as_u64()), (Some(offset as u64), Some(7)));
        paged.extend(search_hits(&page));
    }
    assert_eq!(paged, search_hits(&all));
    // HTML pages of 20, linked to each other.
    let first = get(&format!("{}/search?q=china&lang=en", server.url), "text/html");
    assert_eq!(first.status, 200);
    let first = first.text();
    assert!(first.contains(&format!("{total} entities match")), "{first}");
    assert!(first.contains("rel=\"next\" href=\"/search?q=china&amp;lang=en&amp;page=2\""), "{first}");
    assert!(!first.contains("rel=\"prev\""));
    assert!(first.contains("href=\"/page/china\""));
    assert_eq!(first.matches("<li data-match=").count(), 20);
    let second = get(&format!("{}/search?q=china&lang=en&page=2", server.url), "text/html").text();
    assert!(second.contains("rel=\"prev\" href=\"/search?q=china&amp;lang=en&amp;page=1\""), "{second}");
    let last_page = total.div_ceil(20);
    let last = get(&format!("{}/search?q=china&lang=en&page={last_page}", server.url), "text/html").text();
    assert!(!last.contains("rel=\"next\""));
    assert_eq!(last.matches("<li data-match=").count(), total - (last_page - 1) * 20);
    // The order of hits on the HTML pages is the JSON order.
    let ids_on = |html: &str| -> Vec<String> {
        html.split("<li data-match=")
            .skip(1)
            .map(|li| li.split("href=\"/page/").nth(1).unwrap().split('"').next().unwrap().to_owned())
            .collect()
    };
    let html_ids: Vec<String> = ids_on(&first).into_iter().chain(ids_on(&second)).collect();
    let json_ids: Vec<String> = search_hits(&all).into_iter().map(|(id, _)| id).take(40).collect();
    assert_eq!(html_ids, json_ids);
}

#[test]
fn search_answers_json_by_negotiation_and_refuses_bad_parameters() {
    let server = Server::start(&[]);
    let negotiated = get(&format!("{}/search?q=sco", server.url), "application/json");
    assert_eq!(negotiated.status, 200);
    assert!(negotiated.content_type.starts_with("application/json"));
    assert!(negotiated.vary.contains("Accept"));
    let answer: serde_json::Value = serde_json::from_slice(&negotiated.body).unwrap();
    assert_eq!(search_hits(&answer).first(), Some(&("sco".to_owned(), "exact".to_owned())));
    // Query syntax of search engines means nothing here; nothing fails.
    for odd in ["*:*", "\"", "(", "a AND b", "~", "\\", "[", "title:sco", "%", "ＳＣＯ"] {
        let reply = get(&format!("{}/search.json?q={}", server.url, encode(odd)), "*/*");
        assert_eq!(reply.status, 200, "{odd}: {}", reply.text());
        let html = get(&format!("{}/search?q={}", server.url, encode(odd)), "text/html");
        assert_eq!(html.status, 200, "{odd}");
    }
    assert_eq!(search_json(&server, "q=")["total"], 0);
    assert_eq!(search_json(&server, "q=china&limit=5000")["limit"], 100);
    for bad in ["q=china&page=0", "q=china&page=x", "q=china&lang=fr", &format!("q={}", "a".repeat(201))] {
        assert_eq!(get(&format!("{}/search?{bad}", server.url), "text/html").status, 400, "{bad}");
    }
    assert_eq!(get(&format!("{}/search.json?q=china&offset=-1", server.url), "*/*").status, 400);
}

#[test]
fn serve_reads_the_index_built_with_the_store_or_builds_one() {
    let server = Server::start(&[]);
    let answer = search_json(&server, "q=sco");
    assert!(!server.log().iter().any(|l| l.contains("no search index")), "{:?}", server.log());
    // An in-memory store gets an index built at start-up, with the same answers.
    let memory = Server::start(&["--memory"]);
    assert_eq!(search_json(&memory, "q=sco"), {
        let mut expected = answer.clone();
        for hit in expected["results"].as_array_mut().unwrap() {
            let url = hit["url"].as_str().unwrap().replace(&server.url, &memory.url);
            hit["url"] = url.into();
        }
        expected
    });
}
