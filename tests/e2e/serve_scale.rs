//! `coopgraph serve` on a store with a hub: pages a list at a time, HTTP
//! validators and compression, and a store swapped in under a running
//! server.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::serve::{Server, get};
use crate::support::{coopgraph_in, root};

/// Members the hub has: several pages of 50.
const MEMBERSHIPS: usize = 320;

/// A CSV folder: a hub country member of `organizations` organizations,
/// and one operation it took part in.
fn hub_tables(dir: &Path, organizations: usize) {
    std::fs::create_dir_all(dir).unwrap();
    let mut entities = String::from("id,type,label_en,label_zh,wikidata\n");
    entities.push_str("country-hub,Country,Hubland,枢纽国,\n");
    entities.push_str("operation-one,Operation,Operation One,一号行动,\n");
    let mut relations = String::from("subject,predicate,object,source\n");
    for i in 0..organizations {
        entities.push_str(&format!("organization-{i:04},Organization,Org {i:04},组织{i:04},\n"));
        relations.push_str(&format!("country-hub,member_of,organization-{i:04},doc-001#{}@en\n", i % 7 + 1));
    }
    relations.push_str("country-hub,participated_in,operation-one,doc-002\n");
    std::fs::write(dir.join("entities.csv"), entities).unwrap();
    std::fs::write(dir.join("relations.csv"), relations).unwrap();
}

fn import(tables: &Path, store: &Path) {
    let run =
        coopgraph_in(&root(), &["import", "--quiet", tables.to_str().unwrap(), "--store", store.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// A store imported from a fresh hub folder, and the folder it is in.
pub(crate) fn hub_store(organizations: usize) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    hub_tables(&dir.path().join("tables"), organizations);
    let store = dir.path().join("store");
    import(&dir.path().join("tables"), &store);
    (dir, store)
}

/// An answer read off the socket as sent: status, headers, and the body
/// with chunked transfer coding undone but any content coding kept.
struct Raw {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Raw {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Every value of a header that may repeat, joined by commas.
    fn all(&self, name: &str) -> String {
        let values: Vec<&str> =
            self.headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str()).collect();
        values.join(", ")
    }
}

fn raw(url: &str, method: &str, path: &str, headers: &[(&str, &str)]) -> Raw {
    let address = url.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n");
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    let status = line.split(' ').nth(1).unwrap().parse().unwrap();
    let mut headers = Vec::new();
    loop {
        line.clear();
        reader.read_line(&mut line).unwrap();
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        let (k, v) = l.split_once(':').unwrap();
        headers.push((k.trim().to_owned(), v.trim().to_owned()));
    }
    let chunked = headers.iter().any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    let mut body = Vec::new();
    if method == "HEAD" || status == 304 {
        return Raw { status, headers, body };
    }
    if chunked {
        loop {
            line.clear();
            reader.read_line(&mut line).unwrap();
            let size = usize::from_str_radix(line.trim().split(';').next().unwrap(), 16).unwrap();
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk).unwrap();
            if size == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..size]);
        }
    } else {
        reader.read_to_end(&mut body).unwrap();
    }
    Raw { status, headers, body }
}

#[test]
fn a_hub_is_paged_with_counts_and_links() {
    let (_dir, store) = hub_store(MEMBERSHIPS);
    let server = Server::start_on(&store, &[]);
    let page = get(&format!("{}/page/country-hub", server.url), "text/html").text();
    // Counts for each relation type, the first page of 50, links onward.
    assert!(page.contains("Relations (321)"), "{page}");
    assert!(page.contains(r#"<h3 id="member_of">member of <span class="muted">(320)</span></h3>"#), "{page}");
    assert!(page.contains("Showing 1–50 of 320."), "{page}");
    assert!(page.contains(r#"href="/page/country-hub?section=member_of&amp;page=2#member_of">next →"#), "{page}");
    assert!(!page.contains("← previous"), "the first page has no previous link");
    assert!(page.contains("/page/organization-0049\"") && !page.contains("/page/organization-0050\""), "{page}");
    // The drawing is a bounded sample and says what it left out.
    assert!(page.contains("The drawing shows 20 of the 321 related entities"), "{page}");
    assert!(page.contains("301 are left out"), "{page}");
    // Page 2 continues in IRI order, with its citations.
    let second = get(&format!("{}/page/country-hub?section=member_of&page=2", server.url), "text/html").text();
    assert!(second.contains("Showing 51–100 of 320."), "{second}");
    assert!(second.contains("/page/organization-0050\"") && second.contains("/page/organization-0099\""));
    assert!(!second.contains("/page/organization-0049\"") && !second.contains("/page/organization-0100\""));
    assert!(second.contains("← previous") && second.contains("page 2 of 7"));
    assert!(second.contains("doc doc-001 ¶2 (en)"), "citations are shown on every page: {second}");
    // The last page has the rest, and no next link; past it, an empty page.
    let last = get(&format!("{}/page/country-hub?section=member_of&page=7", server.url), "text/html").text();
    assert!(last.contains("Showing 301–320 of 320.") && !last.contains("next →"), "{last}");
    let past = get(&format!("{}/page/country-hub?section=member_of&page=99", server.url), "text/html");
    assert_eq!(past.status, 200);
    assert!(past.text().contains("Past the end of the list (320)."));
    // The other end of the relations pages the same way.
    let org = get(&format!("{}/page/organization-0007", server.url), "text/html").text();
    assert!(
        org.contains(
            r#"<h3 id="member_of-in">← member of (this entity is the object) <span class="muted">(1)</span></h3>"#
        ),
        "{org}"
    );
    // A source page counts and pages what its graph states.
    let source = get(&format!("{}/page/source/doc-001", server.url), "text/html").text();
    assert!(source.contains("Relations it states (320)"), "{source}");
    assert!(
        source.contains(r#"href="/page/source/doc-001?section=relations&amp;page=2#relations">next →"#),
        "{source}"
    );
    // The data document stays complete.
    let nt = get(&format!("{}/data/country-hub.nt", server.url), "application/n-triples").text();
    assert_eq!(nt.lines().filter(|l| l.contains("#memberOf> <")).count(), MEMBERSHIPS, "every direct triple");
    let statements =
        nt.lines().filter(|l| l.contains("rdf-syntax-ns#predicate> <https://w3id.org/coopgraph/ontology#memberOf>"));
    assert_eq!(statements.count(), MEMBERSHIPS, "every statement node");
}

#[test]
fn validators_give_304_and_text_types_say_utf8() {
    let server = Server::start_on(&crate_store(), &[]);
    let first = raw(&server.url, "GET", "/data/china.ttl", &[("Accept", "text/turtle")]);
    assert_eq!(first.status, 200);
    assert_eq!(first.header("content-type"), Some("text/turtle; charset=utf-8"));
    assert_eq!(first.header("cache-control"), Some("public, no-cache"));
    let tag = first.header("etag").expect("an ETag").to_owned();
    let modified = first.header("last-modified").expect("a Last-Modified").to_owned();
    let again = raw(&server.url, "GET", "/data/china.ttl", &[("Accept", "text/turtle"), ("If-None-Match", &tag)]);
    assert_eq!(again.status, 304);
    assert_eq!(again.header("etag"), Some(tag.as_str()));
    assert!(again.body.is_empty());
    let since = raw(&server.url, "GET", "/page/china", &[("If-Modified-Since", &modified)]);
    assert_eq!(since.status, 304);
    let other =
        raw(&server.url, "GET", "/data/china.ttl", &[("Accept", "text/turtle"), ("If-None-Match", "W/\"nope\"")]);
    assert_eq!(other.status, 200);
    // HEAD: the headers of GET, no body.
    let head = raw(&server.url, "HEAD", "/page/china", &[]);
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-type"), Some("text/html; charset=utf-8"));
    assert!(head.body.is_empty());
    // The VoID description is Turtle with a charset too (Chinese titles).
    let void = raw(&server.url, "GET", "/.well-known/void", &[]);
    assert_eq!(void.header("content-type"), Some("text/turtle; charset=utf-8"));
}

#[test]
fn gzip_and_brotli_bodies_decode_to_the_same_bytes() {
    let server = Server::start_on(&crate_store(), &[]);
    for path in ["/page/china", "/data/china.ttl", "/dumps/coopgraph.nt"] {
        let plain = raw(&server.url, "GET", path, &[]);
        assert_eq!(plain.status, 200, "{path}");
        assert_eq!(plain.header("content-encoding"), None);
        let gzip = raw(&server.url, "GET", path, &[("Accept-Encoding", "gzip")]);
        assert_eq!(gzip.header("content-encoding"), Some("gzip"), "{path}");
        let mut decoded = Vec::new();
        flate2::read::GzDecoder::new(&gzip.body[..]).read_to_end(&mut decoded).unwrap();
        assert_eq!(decoded, plain.body, "{path}: gzip");
        let br = raw(&server.url, "GET", path, &[("Accept-Encoding", "br")]);
        assert_eq!(br.header("content-encoding"), Some("br"), "{path}");
        let mut decoded = Vec::new();
        brotli::Decompressor::new(&br.body[..], 4096).read_to_end(&mut decoded).unwrap();
        assert_eq!(decoded, plain.body, "{path}: brotli");
        let vary = br.all("vary").to_ascii_lowercase();
        assert!(vary.contains("accept-encoding") && vary.contains("accept"), "{path}: {vary}");
    }
    // The gzip dump is not compressed twice.
    let dump = raw(&server.url, "GET", "/dumps/coopgraph.nq.gz", &[("Accept-Encoding", "gzip, br")]);
    assert_eq!((dump.status, dump.header("content-encoding")), (200, None));
}

#[test]
fn the_server_answers_from_a_store_swapped_in_under_it() {
    let (dir, store) = hub_store(60);
    let server = Server::start_on(&store, &["--reload-interval", "1"]);
    let url = format!("{}/page/country-hub", server.url);
    assert!(get(&url, "text/html").text().contains("Relations (61)"));
    // The import wrote the search index beside the store: the server reads it.
    assert!(store.join("coopgraph/search").is_dir());
    assert!(!server.log().iter().any(|l| l.contains("no search index")), "{:?}", server.log());
    let search = format!("{}/search.json?q=org+0070", server.url);
    let hits =
        |text: String| -> u64 { serde_json::from_str::<serde_json::Value>(&text).unwrap()["total"].as_u64().unwrap() };
    assert_eq!(hits(get(&search, "*/*").text()), 0, "org 0070 is not in the first store");
    let before = raw(&server.url, "GET", "/page/country-hub", &[]).header("etag").unwrap().to_owned();
    // A new import into the same path, while the server runs.
    hub_tables(&dir.path().join("tables"), 75);
    import(&dir.path().join("tables"), &store);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let page = get(&url, "text/html").text();
        if page.contains("Relations (76)") {
            break;
        }
        assert!(Instant::now() < deadline, "the server still serves the old store: {:?}", server.log());
        std::thread::sleep(Duration::from_millis(200));
    }
    let after = raw(&server.url, "GET", "/page/country-hub", &[]).header("etag").unwrap().to_owned();
    assert_ne!(before, after, "a new build has a new ETag");
    // Search answers from the new build's index, swapped in with it.
    assert_eq!(hits(get(&search, "*/*").text()), 1, "org 0070 is in the new store");
    assert!(server.log().iter().any(|l| l.contains("a new build of the store was swapped in")), "{:?}", server.log());
}

/// The store of the bundled data (built once, shared with the serve tests).
fn crate_store() -> PathBuf {
    crate::serve::store().clone()
}
