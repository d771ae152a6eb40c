//! Search: `/search?q=TEXT&page=N` as an HTML page, and `/search.json` (or
//! `/search` with `Accept: application/json`) for autocompletion widgets.
//! Both read the store's search index (`coopgraph-search`), never the store.
//!
//! Parameters: `q` the text; `lang` the language of the labels shown first
//! and of the order of ties (`en` or `zh`; by default the script of the
//! text: Chinese for Han characters); HTML pages by `page` (from 1, of
//! [`PAGE_SIZE`] hits); JSON by `offset` and `limit` (default
//! [`JSON_LIMIT`], at most [`MAX_JSON_LIMIT`]).

use std::path::Path;
use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use coopgraph_model::schema::{KINDS, KindSpec};
use coopgraph_rdf::Namespaces;
use coopgraph_rdf::oxigraph::store::Store;
use coopgraph_search::{Hit, SearchIndex, SearchPage};
use maud::{Markup, html};
use serde::Serialize;

use crate::error::HttpError;
use crate::limits::{self, Pool};
use crate::templates::{href, layout, search_form};
use crate::{AppState, ServeError, Shared, access_log, svg};

/// Hits on one HTML page.
pub(crate) const PAGE_SIZE: usize = 20;
/// Hits of a JSON answer when `limit` is not given.
pub(crate) const JSON_LIMIT: usize = 10;
/// The largest `limit` of a JSON answer.
pub(crate) const MAX_JSON_LIMIT: usize = 100;
/// The longest search text, in characters.
const MAX_TEXT: usize = 200;

/// The search index of the store: the one written beside it (in its
/// sidecar folder) when there is one, else one built in memory now, with a
/// line in the log (stores written before the index existed or before it
/// held kinds, and in-memory stores).
pub(crate) fn open_index(store: &Store, store_path: Option<&Path>, ns: &Namespaces) -> Result<SearchIndex, ServeError> {
    if let Some(path) = store_path {
        let sidecar = coopgraph_rdf::sidecar::sidecar_dir(path);
        match coopgraph_rdf::labels::open_search_index(&sidecar)? {
            Some(index) if index.has_kinds() => return Ok(index),
            Some(_) => access_log::note(&format!(
                "the search index of the store at {} has no kinds, which reconciliation by type needs (it was \
                 written by an older coopgraph; rebuild it with `coopgraph build` or `coopgraph import --store`); \
                 building one in memory",
                path.display()
            )),
            None => access_log::note(&format!(
                "the store at {} has no search index (rebuild it with `coopgraph build` or `coopgraph import --store`); \
                 building one in memory",
                path.display()
            )),
        }
    }
    Ok(coopgraph_rdf::labels::search_index_in_ram(store, ns)?)
}

/// The parameters of a search request.
#[derive(Debug, Default)]
struct Params {
    text: String,
    lang: Option<String>,
    page: Option<String>,
    offset: Option<String>,
    limit: Option<String>,
}

impl Params {
    fn parse(raw: Option<&str>) -> Self {
        let mut params = Params::default();
        for (key, value) in form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
            let value = value.into_owned();
            match &*key {
                "q" => params.text = value.trim().to_owned(),
                "lang" => params.lang = Some(value),
                "page" => params.page = Some(value),
                "offset" => params.offset = Some(value),
                "limit" => params.limit = Some(value),
                _ => {}
            }
        }
        params
    }

    /// The language asked for, else the script of the text.
    fn lang(&self) -> Result<&'static str, HttpError> {
        match self.lang.as_deref() {
            None | Some("") => Ok(coopgraph_text::Script::of(&self.text).lang()),
            Some("en") => Ok("en"),
            Some("zh") => Ok("zh"),
            Some(other) => Err(HttpError::new(StatusCode::BAD_REQUEST, format!("lang={other:?}: expected en or zh"))),
        }
    }
}

/// A whole number parameter, `default` when absent.
fn number(name: &str, value: Option<&str>, default: usize, min: usize) -> Result<usize, HttpError> {
    let Some(value) = value.filter(|v| !v.is_empty()) else { return Ok(default) };
    value.parse::<usize>().ok().filter(|n| *n >= min).ok_or_else(|| {
        HttpError::new(StatusCode::BAD_REQUEST, format!("{name}={value:?}: expected a whole number from {min}"))
    })
}

/// The answer to a search: from the cache of this build, or run on a
/// blocking thread holding a slot of the read pool.
async fn run(
    state: &Shared,
    headers: &HeaderMap,
    text: &str,
    lang: &'static str,
    offset: usize,
    limit: usize,
) -> Result<Arc<SearchPage>, Refused> {
    if text.chars().count() > MAX_TEXT {
        return Err(Refused::Error(HttpError::new(
            StatusCode::BAD_REQUEST,
            format!("search text longer than {MAX_TEXT} characters"),
        )));
    }
    let key = (text.to_owned(), lang, offset, limit);
    let snapshot = state.snapshot();
    if let Some(found) = snapshot.answers.get(&key) {
        return Ok(found);
    }
    let _slot = limits::take(state, Pool::Reads, headers).await.map_err(Refused::Busy)?;
    tokio::task::spawn_blocking(move || {
        snapshot.answers.get_or_make(&key, || snapshot.search.search(&key.0, lang, offset, limit).map(Arc::new))
    })
    .await
    .map_err(|e| Refused::Error(HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())))?
    .map_err(|e| Refused::Error(HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())))
}

/// Why a search has no answer.
enum Refused {
    /// The request's own fault, or the index's.
    Error(HttpError),
    /// No slot freed up in time: the 503 with Retry-After to send.
    Busy(Response),
}

impl From<HttpError> for Refused {
    fn from(e: HttpError) -> Self {
        Self::Error(e)
    }
}

/// `GET /search`: the HTML page, or JSON when the client prefers it.
pub async fn page(State(state): State<Shared>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    if let Ok("application/json") = crate::negotiate::choose(accept, &["text/html", "application/json"]) {
        return json_answer(&state, &headers, raw.as_deref()).await;
    }
    let params = Params::parse(raw.as_deref());
    let answer = async {
        let lang = params.lang()?;
        let page = number("page", params.page.as_deref(), 1, 1)?;
        if params.text.is_empty() {
            return Ok(search_page(&state, &params.text, lang, page, &SearchPage::default()));
        }
        let offset = (page - 1).saturating_mul(PAGE_SIZE);
        let found = run(&state, &headers, &params.text, lang, offset, PAGE_SIZE).await?;
        Ok::<_, Refused>(search_page(&state, &params.text, lang, page, &found))
    };
    match answer.await {
        Ok(markup) => ([(header::VARY, "Accept")], Html(markup.into_string())).into_response(),
        Err(Refused::Error(e)) => e.for_request(&headers).into_response(),
        Err(Refused::Busy(response)) => response,
    }
}

/// `GET /search.json`: hits as JSON.
pub async fn json(State(state): State<Shared>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    json_answer(&state, &headers, raw.as_deref()).await
}

/// The JSON answer (see README, "Search").
#[derive(Debug, Serialize)]
struct JsonAnswer {
    query: String,
    lang: &'static str,
    total: usize,
    offset: usize,
    limit: usize,
    results: Vec<JsonHit>,
}

#[derive(Debug, Serialize)]
struct JsonHit {
    id: String,
    iri: String,
    label: String,
    /// The label in the other language, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    other_label: Option<String>,
    kind: String,
    url: String,
    #[serde(rename = "match")]
    tier: &'static str,
}

async fn json_answer(state: &Shared, headers: &HeaderMap, raw: Option<&str>) -> Response {
    let params = Params::parse(raw);
    let answer = async {
        let lang = params.lang()?;
        let offset = number("offset", params.offset.as_deref(), 0, 0)?;
        let limit = number("limit", params.limit.as_deref(), JSON_LIMIT, 0)?.min(MAX_JSON_LIMIT);
        let found = if params.text.is_empty() {
            Arc::new(SearchPage::default())
        } else {
            run(state, headers, &params.text, lang, offset, limit).await?
        };
        let results = found
            .hits
            .iter()
            .map(|hit| JsonHit {
                id: hit.record.id.clone(),
                iri: hit.record.iri.clone(),
                label: hit.record.label(lang).unwrap_or(&hit.record.id).to_owned(),
                other_label: hit.record.label_in(other(lang)).map(str::to_owned),
                kind: hit.record.kind.clone(),
                url: public_link(state, &hit.record.iri),
                tier: hit.tier.name(),
            })
            .collect();
        Ok::<_, Refused>(JsonAnswer { query: params.text.clone(), lang, total: found.total, offset, limit, results })
    };
    match answer.await {
        Ok(body) => match serde_json::to_string(&body) {
            Ok(text) => ([(header::CONTENT_TYPE, "application/json"), (header::VARY, "Accept")], text).into_response(),
            Err(e) => HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
        },
        Err(Refused::Error(e)) => e.into_response(),
        Err(Refused::Busy(response)) => response,
    }
}

/// The other of the two languages.
fn other(lang: &str) -> &'static str {
    if lang == "zh" { "en" } else { "zh" }
}

/// The absolute URL of the page of `iri` on this server.
fn public_link(state: &AppState, iri: &str) -> String {
    let local = href(state.ns(), iri);
    match local.strip_prefix('/') {
        Some(path) => format!("{}{path}", state.config.public_url),
        None => local,
    }
}

/// The search link of another page of the same search.
fn page_link(text: &str, lang: &str, page: usize) -> String {
    let query: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("q", text)
        .append_pair("lang", lang)
        .append_pair("page", &page.to_string())
        .finish();
    format!("/search?{query}")
}

fn kind_spec(name: &str) -> Option<&'static KindSpec> {
    KINDS.iter().copied().find(|k| k.name == name)
}

fn hit_item(state: &AppState, lang: &str, hit: &Hit) -> Markup {
    let record = &hit.record;
    let label = record.label(lang).unwrap_or(&record.id);
    let shown_lang = if record.label_in(lang).is_some() { lang } else { "en" };
    let second = record.label_in(other(lang)).filter(|l| *l != label);
    html! {
        li data-match=(hit.tier.name()) {
            a href=(href(state.ns(), &record.iri)) lang=(shown_lang) { (label) }
            @if let Some(second) = second { " " span.muted lang=(other(lang)) { (second) } }
            @if let Some(k) = kind_spec(&record.kind) {
                " " span.kind style=(format!("background:{}", svg::kind_colour(k.class_name))) {
                    (if lang == "zh" { k.label_zh } else { k.label_en })
                }
            }
        }
    }
}

/// The HTML page of results.
fn search_page(state: &AppState, text: &str, lang: &str, page: usize, found: &SearchPage) -> Markup {
    let first = (page - 1).saturating_mul(PAGE_SIZE);
    let pages = found.total.div_ceil(PAGE_SIZE);
    layout(
        state,
        "Search",
        html! {
            h1 { "Search" }
            (search_form(text))
            @if !text.is_empty() {
                p.muted #summary {
                    (found.total) @if found.total == 1 { " entity matches “" } @else { " entities match “" } (text) "”"
                    @if !found.hits.is_empty() {
                        "; " (first + 1) "–" (first + found.hits.len()) " shown (page " (page) " of " (pages) ")"
                    }
                    ". Exact names first, then names that start with the text, then names holding its words, then names holding it."
                }
                ol #hits start=(first + 1) {
                    @for hit in &found.hits { (hit_item(state, lang, hit)) }
                }
                nav.pager {
                    @if page > 1 { a rel="prev" href=(page_link(text, lang, (page - 1).min(pages.max(1)))) { "← previous" } }
                    @if page > 1 && page < pages { " · " }
                    @if page < pages { a rel="next" href=(page_link(text, lang, page + 1)) { "next →" } }
                }
            }
        },
    )
}
