//! The fuzz entry point of coopgraph's SPARQL request path: one HTTP
//! request, built from the fuzzer's bytes, sent through the router of
//! `coopgraph serve` with tower's `oneshot`, over an in-memory store of the
//! `tests/fixtures/mini` data with the bundled queries of `queries/`.
//!
//! The cargo-fuzz target `fuzz/fuzz_targets/sparql_request.rs` calls
//! [`sparql_request`] and nothing else, and the stable test
//! `tests/corpus.rs` runs every file of `fuzz/corpus/sparql_request/`
//! through it. It is a crate of its own, apart from `coopgraph-fuzzing`,
//! because it needs the server and so oxigraph: the parsers' targets keep
//! building fast. It takes `coopgraph-rdf` without its `rocksdb` feature,
//! so the fuzz project's nightly build compiles no RocksDB.
//!
//! The input: a first byte picks the request's form ([`Form`], the byte
//! modulo 8), the rest is cut at each `0xFF` byte (never in UTF-8 text)
//! into the query (or the name, path or search words the form takes), the
//! `Accept` header, more header lines (`Name: value`, one a line), and
//! more parameters written as they are into the query string or form body
//! (`default-graph-uri=...&timeout=...`).
//!
//! A defect is a panic anywhere in the server (which aborts the fuzzer) or
//! an answer with a 5xx status other than 503, the documented answer of a
//! query stopped by its time limit, the memory limit or an overload.
//!
//! ```
//! coopgraph_fuzzing_serve::sparql_request(b"\x00SELECT * WHERE { ?s ?p ?o } LIMIT 1");
//! coopgraph_fuzzing_serve::sparql_request(b"");
//! ```
#![deny(missing_docs)]
#![allow(clippy::panic, reason = "a fuzz entry point panics, and only, on a defect it found")]

use std::net::SocketAddr;
use std::path::Path;
use std::sync::LazyLock;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, Method, Request, StatusCode, header};
use coopgraph_load::{LoadOptions, load_texts};
use coopgraph_rdf::query::load_library;
use coopgraph_rdf::store::memory_store;
use coopgraph_rdf::{MappingOptions, Namespaces, map_dataset};
use coopgraph_serve::ServerConfig;
use tower::ServiceExt as _;

/// The byte that separates the parts of an input.
pub const PART_SEPARATOR: u8 = 0xff;

/// The data of the store: `tests/fixtures/mini`, written for the tests.
const FIXTURE: &[(&str, &str)] = &[
    ("data/entities.toml", include_str!("../../../tests/fixtures/mini/entities.toml")),
    ("data/relations.toml", include_str!("../../../tests/fixtures/mini/relations.toml")),
    ("data/sources.toml", include_str!("../../../tests/fixtures/mini/sources.toml")),
];

/// The bundled queries, served at `/queries/NAME`.
const QUERIES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../queries");

/// Header lines read from one input, at most.
const MAX_HEADERS: usize = 16;

/// The forms of request an input's first byte picks (modulo 8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// `GET /sparql?query=QUERY&MORE`, the query percent-encoded.
    Get,
    /// `POST /sparql` with the form body `query=QUERY&MORE`.
    PostForm,
    /// `POST /sparql?MORE` with the query as an `application/sparql-query` body.
    PostDirect,
    /// `POST /sparql?MORE` with the query as the body and no content type
    /// but what the header lines give.
    PostRaw,
    /// `GET /queries/NAME?MORE`, a bundled query with parameters.
    Library,
    /// `GET PATH?MORE`, the path as it is (pages, data documents, dumps, VoID).
    Path,
    /// `HEAD /sparql?query=QUERY&MORE`.
    Head,
    /// `GET /search.json?q=WORDS&MORE`.
    Search,
}

impl Form {
    /// The form a first byte picks.
    pub fn of(byte: u8) -> Self {
        match byte % 8 {
            0 => Self::Get,
            1 => Self::PostForm,
            2 => Self::PostDirect,
            3 => Self::PostRaw,
            4 => Self::Library,
            5 => Self::Path,
            6 => Self::Head,
            _ => Self::Search,
        }
    }
}

/// The server, built once: a runtime on this thread and the router.
struct Server {
    runtime: tokio::runtime::Runtime,
    router: Router,
}

static SERVER: LazyLock<Result<Server, String>> = LazyLock::new(start);

fn start() -> Result<Server, String> {
    let dataset = load_texts(FIXTURE, &LoadOptions::default()).map_err(|e| e.to_string())?;
    let ns = Namespaces::default();
    let store = memory_store(&map_dataset(&dataset, &ns, MappingOptions::default())).map_err(|e| e.to_string())?;
    let mut config = ServerConfig::new(SocketAddr::from(([127, 0, 0, 1], 0)), ns);
    // Short limits, so that a costly query costs the fuzzer little: past
    // them the server answers 503 (time) or stops the result (size).
    config.query_timeout = Duration::from_secs(2);
    config.max_body_bytes = 64 * 1024;
    config.max_result_bytes = 1024 * 1024;
    config.examples = load_library(Path::new(QUERIES)).map_err(|e| e.to_string())?;
    config.store_label = "tests/fixtures/mini (in memory)".into();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
    let router = {
        let _entered = runtime.enter();
        coopgraph_serve::router(store, config).map_err(|e| e.to_string())?
    };
    Ok(Server { runtime, router })
}

/// `bytes` percent-encoded as a form value.
fn encoded(bytes: &[u8]) -> String {
    form_urlencoded::byte_serialize(bytes).collect()
}

/// `?` and the parameters, or nothing.
fn query_string(pairs: &[&[u8]]) -> Vec<u8> {
    let joined: Vec<&[u8]> = pairs.iter().copied().filter(|p| !p.is_empty()).collect();
    if joined.is_empty() { Vec::new() } else { [b"?".as_slice(), joined.join(b"&".as_slice()).as_slice()].concat() }
}

/// The request the bytes describe, or `None` for bytes that make no HTTP
/// request (a URI or header that does not parse): nothing to send.
pub fn request_of(data: &[u8]) -> Option<Request<Body>> {
    let (&first, rest) = data.split_first()?;
    let mut parts = rest.split(|&b| b == PART_SEPARATOR);
    let text = parts.next().unwrap_or_default();
    let accept = parts.next();
    let lines = parts.next().unwrap_or_default();
    let more = parts.next().unwrap_or_default();
    let query = format!("query={}", encoded(text));
    let (method, target, body, content_type): (Method, Vec<u8>, Vec<u8>, Option<&str>) = match Form::of(first) {
        Form::Get => {
            (Method::GET, [b"/sparql".as_slice(), &*query_string(&[query.as_bytes(), more])].concat(), Vec::new(), None)
        }
        Form::Head => (
            Method::HEAD,
            [b"/sparql".as_slice(), &*query_string(&[query.as_bytes(), more])].concat(),
            Vec::new(),
            None,
        ),
        Form::PostForm => (
            Method::POST,
            b"/sparql".to_vec(),
            query_string(&[query.as_bytes(), more]).get(1..).unwrap_or_default().to_vec(),
            Some("application/x-www-form-urlencoded"),
        ),
        Form::PostDirect => (
            Method::POST,
            [b"/sparql".as_slice(), &*query_string(&[more])].concat(),
            text.to_vec(),
            Some("application/sparql-query"),
        ),
        Form::PostRaw => (Method::POST, [b"/sparql".as_slice(), &*query_string(&[more])].concat(), text.to_vec(), None),
        Form::Library => (
            Method::GET,
            [b"/queries/".as_slice(), encoded(text).as_bytes(), &*query_string(&[more])].concat(),
            Vec::new(),
            None,
        ),
        Form::Path => (Method::GET, [text, &*query_string(&[more])].concat(), Vec::new(), None),
        Form::Search => {
            let words = format!("q={}", encoded(text));
            (
                Method::GET,
                [b"/search.json".as_slice(), &*query_string(&[words.as_bytes(), more])].concat(),
                Vec::new(),
                None,
            )
        }
    };
    let mut builder = Request::builder().method(method).uri(target.as_slice());
    if let Some(content_type) = content_type {
        builder = builder.header(header::CONTENT_TYPE, content_type);
    }
    if let Some(accept) = accept {
        builder = builder.header(header::ACCEPT, HeaderValue::from_bytes(accept).ok()?);
    }
    for line in lines.split(|&b| b == b'\n').filter(|l| !l.is_empty()).take(MAX_HEADERS) {
        let at = line.iter().position(|&b| b == b':')?;
        let name = HeaderName::from_bytes(line.get(..at)?).ok()?;
        let value = HeaderValue::from_bytes(line.get(at + 1..)?.trim_ascii()).ok()?;
        builder = builder.header(name, value);
    }
    builder.body(Body::from(body)).ok()
}

/// Sends the request the bytes describe (see the crate's documentation)
/// through the router and reads the whole answer. Panics on an answer with
/// a 5xx status other than 503.
pub fn sparql_request(data: &[u8]) {
    let server = match &*SERVER {
        Ok(server) => server,
        Err(e) => panic!("the fixture server does not start: {e}"),
    };
    let Some(request) = request_of(data) else { return };
    let shown = format!("{} {}", request.method(), request.uri());
    let (status, body) = server.runtime.block_on(async {
        let response = match server.router.clone().oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        };
        let status = response.status();
        // A result stream stopped by the server (too large) ends the body
        // early: the status tells what the client was promised.
        let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap_or_default();
        (status, body)
    });
    if status.is_server_error() && status != StatusCode::SERVICE_UNAVAILABLE {
        panic!("{shown} was answered {status}: {}", String::from_utf8_lossy(&body));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_on_the_fixture_is_answered() {
        let request = request_of(b"\x00SELECT * WHERE { ?s ?p ?o } LIMIT 1\xffapplication/sparql-results+json");
        let request = request.unwrap();
        assert_eq!(request.uri().path(), "/sparql");
        assert!(request.uri().query().unwrap().starts_with("query=SELECT"));
        assert_eq!(request.headers()[header::ACCEPT], "application/sparql-results+json");
        sparql_request(b"\x00SELECT * WHERE { ?s ?p ?o } LIMIT 1");
    }

    #[test]
    fn each_form_makes_its_request() {
        let form = request_of(b"\x01ASK {}\xff\xff\xffdefault-graph-uri=urn:x").unwrap();
        assert_eq!(form.method(), Method::POST);
        assert_eq!(form.headers()[header::CONTENT_TYPE], "application/x-www-form-urlencoded");
        let direct = request_of(b"\x02ASK {}\xff\xffX-Test: 1\n\xfftimeout=1").unwrap();
        assert_eq!(direct.uri().query(), Some("timeout=1"));
        assert_eq!(direct.headers()["x-test"], "1");
        assert_eq!(request_of(b"\x04entity-neighbourhood").unwrap().uri().path(), "/queries/entity-neighbourhood");
        assert_eq!(request_of(b"\x05/page/china").unwrap().uri().path(), "/page/china");
        assert_eq!(request_of(b"\x06ASK {}").unwrap().method(), Method::HEAD);
        assert_eq!(request_of(b"\x07China").unwrap().uri().query(), Some("q=China"));
        // A path that is no URI, a header line without a colon: no request.
        assert!(request_of(b"\x05no path").is_none());
        assert!(request_of(b"\x00ASK {}\xff\xffno colon").is_none());
        assert!(request_of(b"").is_none());
    }

    #[test]
    fn the_explorer_s_requests_never_fail_the_server() {
        for more in [
            "",
            "limit=0",
            "limit=99999999999999999999999",
            "offset=18446744073709551615",
            "relation=%FF",
            "direction=",
            "x",
        ] {
            for path in [
                "/explore/neighbours/china.json",
                "/explore/neighbours/%C3%A9.json",
                "/explore/neighbours/.json",
                "/explore",
            ] {
                sparql_request(&[b"\x05", path.as_bytes(), b"\xff\xff\xff", more.as_bytes()].concat());
            }
        }
        sparql_request(b"\x05/explore\xff\xff\xfffocus=%00");
    }

    #[test]
    fn every_form_of_a_plain_query_passes() {
        for form in 0..8u8 {
            sparql_request(&[[form].as_slice(), b"SELECT ?s WHERE { ?s ?p ?o } LIMIT 3".as_slice()].concat());
        }
    }
}
