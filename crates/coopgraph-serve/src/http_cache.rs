//! HTTP as publishers expect it, for every answer made from the store:
//!
//! - an ETag and a Last-Modified per build of the store, and 304 Not
//!   Modified to a conditional GET or HEAD that matches (checked before any
//!   work is done);
//! - `Cache-Control: public, no-cache`: caches may keep answers but ask
//!   again each time, which costs a 304, since a new build can be swapped
//!   in at any moment;
//! - `charset=utf-8` on every text type that lacks it;
//! - gzip and brotli, negotiated by `Accept-Encoding` ([`compression`]).

use std::hash::{DefaultHasher, Hash, Hasher};
use std::time::{Duration, UNIX_EPOCH};

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};

use crate::Shared;

/// The Cache-Control of answers made from the store.
pub(crate) const CACHE_CONTROL: &str = "public, no-cache";

/// The compression layer: gzip and brotli for bodies that are not
/// compressed already (the gzip dump) and not tiny.
pub(crate) fn compression() -> CompressionLayer<impl Predicate> {
    CompressionLayer::new()
        .gzip(true)
        .br(true)
        .compress_when(DefaultPredicate::new().and(NotForContentType::const_new("application/gzip")))
}

/// The entity tag of an answer: the build of the store, and the
/// negotiation headers that choose among the answer's forms (a weak tag:
/// the compressed and plain bodies are the same answer).
fn entity_tag(build_id: &str, headers: &HeaderMap) -> String {
    let mut h = DefaultHasher::new();
    for name in [header::ACCEPT, header::ACCEPT_LANGUAGE, header::COOKIE] {
        headers.get(&name).map(HeaderValue::as_bytes).hash(&mut h);
    }
    format!("W/\"{build_id}-{:08x}\"", h.finish() & 0xffff_ffff)
}

/// Does `If-None-Match` list `tag` (or `*`)? Weak comparison, as RFC 9110
/// asks for GET and HEAD.
fn none_match_hits(headers: &HeaderMap, tag: &str) -> Option<bool> {
    let value = headers.get(header::IF_NONE_MATCH)?.to_str().ok()?;
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    Some(value.split(',').any(|t| t.trim() == "*" || bare(t) == bare(tag)))
}

/// Is the build no newer than `If-Modified-Since`? Only asked when the
/// request has no `If-None-Match`.
fn not_modified_since(headers: &HeaderMap, built_at: u64) -> bool {
    let Some(since) = headers.get(header::IF_MODIFIED_SINCE).and_then(|v| v.to_str().ok()) else { return false };
    let Ok(since) = httpdate::parse_http_date(since) else { return false };
    let built = UNIX_EPOCH + Duration::from_secs(built_at);
    built <= since
}

/// Middleware: validators and 304s on GET and HEAD; charset on text types.
pub(crate) async fn validate(State(state): State<Shared>, request: Request, next: Next) -> Response {
    let cacheable = matches!(*request.method(), Method::GET | Method::HEAD);
    let snapshot = state.snapshot();
    let tag = entity_tag(&snapshot.stats.build_id, request.headers());
    let last_modified = httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(snapshot.stats.built_at));
    drop(snapshot);
    if cacheable {
        let hit = match none_match_hits(request.headers(), &tag) {
            Some(hit) => hit,
            None => not_modified_since(request.headers(), state.snapshot().stats.built_at),
        };
        if hit {
            let mut answer = StatusCode::NOT_MODIFIED.into_response();
            add_validators(answer.headers_mut(), &tag, &last_modified);
            return answer;
        }
    }
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    add_charset(headers);
    if cacheable && response.status().is_success() {
        add_validators(response.headers_mut(), &tag, &last_modified);
    }
    response
}

fn add_validators(headers: &mut HeaderMap, tag: &str, last_modified: &str) {
    if let Ok(v) = HeaderValue::from_str(tag) {
        headers.insert(header::ETAG, v);
    }
    if let Ok(v) = HeaderValue::from_str(last_modified) {
        headers.insert(header::LAST_MODIFIED, v);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(CACHE_CONTROL));
    let vary = headers.get(header::VARY).and_then(|v| v.to_str().ok()).map(str::to_owned);
    if vary.is_none() {
        headers.insert(header::VARY, HeaderValue::from_static("Accept"));
    }
}

/// Text types whose parameters say nothing of their charset get
/// `charset=utf-8` (everything the server writes is UTF-8). JSON has no
/// charset parameter (RFC 8259) and is left alone.
fn add_charset(headers: &mut HeaderMap) {
    let Some(value) = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else { return };
    let lower = value.to_ascii_lowercase();
    let essence = lower.split(';').next().unwrap_or_default().trim();
    let textual = essence.starts_with("text/")
        || essence.ends_with("+xml")
        || matches!(essence, "application/n-triples" | "application/n-quads" | "application/trig");
    if textual
        && !lower.contains("charset=")
        && let Ok(v) = HeaderValue::from_str(&format!("{value}; charset=utf-8"))
    {
        headers.insert(header::CONTENT_TYPE, v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_differ_by_build_and_by_negotiation() {
        let mut html = HeaderMap::new();
        html.insert(header::ACCEPT, HeaderValue::from_static("text/html"));
        let mut turtle = HeaderMap::new();
        turtle.insert(header::ACCEPT, HeaderValue::from_static("text/turtle"));
        assert_eq!(entity_tag("a", &html), entity_tag("a", &html));
        assert_ne!(entity_tag("a", &html), entity_tag("b", &html));
        assert_ne!(entity_tag("a", &html), entity_tag("a", &turtle));
    }

    #[test]
    fn if_none_match_compares_weakly_and_takes_lists() {
        let tag = "W/\"b1-0000abcd\"";
        let mut h = HeaderMap::new();
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"x\", \"b1-0000abcd\""));
        assert_eq!(none_match_hits(&h, tag), Some(true));
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static("W/\"other\""));
        assert_eq!(none_match_hits(&h, tag), Some(false));
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static("*"));
        assert_eq!(none_match_hits(&h, tag), Some(true));
        assert_eq!(none_match_hits(&HeaderMap::new(), tag), None);
    }

    #[test]
    fn text_types_get_a_charset_once() {
        for (given, expected) in [
            ("text/turtle", "text/turtle; charset=utf-8"),
            ("text/html; charset=utf-8", "text/html; charset=utf-8"),
            ("application/n-triples", "application/n-triples; charset=utf-8"),
            ("application/sparql-results+xml", "application/sparql-results+xml; charset=utf-8"),
            ("application/ld+json", "application/ld+json"),
            ("application/gzip", "application/gzip"),
        ] {
            let mut h = HeaderMap::new();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(given));
            add_charset(&mut h);
            assert_eq!(h.get(header::CONTENT_TYPE).unwrap(), expected);
        }
    }
}
