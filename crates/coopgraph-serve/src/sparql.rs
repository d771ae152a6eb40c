//! The SPARQL 1.1 Protocol endpoint (`/sparql`): queries by GET, by POST of
//! a form or of `application/sparql-query`; results chosen by `Accept`.
//! Read-only: updates are refused (403), as is SERVICE; every query has a
//! time limit (503 when it strikes) and a result-size limit.

use std::io::Write;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Extension, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use coopgraph_rdf::RdfError;
use coopgraph_rdf::export::{ExportFormat, prefixes};
use coopgraph_rdf::oxigraph::io::{RdfFormat, RdfSerializer};
use coopgraph_rdf::oxigraph::model::{NamedNode, Term, Variable};
use coopgraph_rdf::oxigraph::sparql::{CancellationToken, QueryResults};
use coopgraph_rdf::query::{QueryOptions, ResultFormat, query_error, run_query, write_results};

use crate::error::{HttpError, wants_html};
use crate::limits::Slot;
use crate::negotiate::choose;
use crate::{AppState, Shared};

/// Media types offered for SELECT and ASK, in order of preference.
pub const SOLUTION_TYPES: &[&str] = &[
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "application/json",
    "text/html",
];

/// Media types offered for CONSTRUCT and DESCRIBE, in order of preference.
pub const GRAPH_TYPES: &[&str] =
    &["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml", "text/html"];

/// A query as the protocol delivers it.
#[derive(Debug, Default)]
struct ProtocolRequest {
    query: Option<String>,
    default_graphs: Vec<NamedNode>,
    named_graphs: Vec<NamedNode>,
}

fn read_pairs(pairs: &[(String, String)], into: &mut ProtocolRequest) -> Result<(), HttpError> {
    for (key, value) in pairs {
        match key.as_str() {
            "query" => {
                if into.query.is_some() {
                    return Err(HttpError::new(StatusCode::BAD_REQUEST, "more than one `query` parameter"));
                }
                into.query = Some(value.clone());
            }
            "update" | "using-graph-uri" | "using-named-graph-uri" => {
                return Err(read_only());
            }
            "default-graph-uri" | "named-graph-uri" => {
                let iri = NamedNode::new(value.as_str()).map_err(|e| {
                    HttpError::new(StatusCode::BAD_REQUEST, format!("{key}: \"{value}\" is not an absolute IRI: {e}"))
                })?;
                if key == "default-graph-uri" {
                    into.default_graphs.push(iri);
                } else {
                    into.named_graphs.push(iri);
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn pairs(text: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(text.as_bytes()).into_owned().collect()
}

fn read_only() -> HttpError {
    HttpError::new(StatusCode::FORBIDDEN, "updates are refused: this SPARQL endpoint is read-only")
}

/// `GET /sparql?query=...`; without a query, browsers get the query form.
pub async fn get_query(
    State(state): State<Shared>,
    slot: Option<Extension<Slot>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let mut request = ProtocolRequest::default();
    if let Err(e) = read_pairs(&pairs(raw.as_deref().unwrap_or_default()), &mut request) {
        return e.for_request(&headers).into_response();
    }
    match request.query.take() {
        None if wants_html(&headers) => crate::editor::page(&state, &pairs(raw.as_deref().unwrap_or_default())),
        None => HttpError::new(
            StatusCode::BAD_REQUEST,
            "missing the `query` parameter: GET /sparql?query=SELECT... or POST the query (SPARQL 1.1 Protocol)",
        )
        .into_response(),
        Some(query) => respond(state, slot, headers, query, request).await,
    }
}

/// `POST /sparql` with a form (`query=`) or an `application/sparql-query` body.
pub async fn post_query(
    State(state): State<Shared>,
    slot: Option<Extension<Slot>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match body {
        Ok(b) => b,
        Err(e) => {
            // The body was read by `limits::read_body`, within both limits.
            let status = e.status();
            if status == StatusCode::PAYLOAD_TOO_LARGE {
                return crate::limits::body_too_large(state.config.max_body_bytes).into_response();
            }
            return HttpError::new(status, format!("cannot read the request body: {e}")).into_response();
        }
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let mut request = ProtocolRequest::default();
    let result = (|| {
        read_pairs(&pairs(raw.as_deref().unwrap_or_default()), &mut request)?;
        match content_type.as_str() {
            "application/x-www-form-urlencoded" => {
                let text = std::str::from_utf8(&body)
                    .map_err(|_| HttpError::new(StatusCode::BAD_REQUEST, "the form body is not UTF-8"))?;
                read_pairs(&pairs(text), &mut request)
            }
            "application/sparql-query" => {
                let text = String::from_utf8(body.to_vec())
                    .map_err(|_| HttpError::new(StatusCode::BAD_REQUEST, "the query body is not UTF-8"))?;
                if request.query.replace(text).is_some() {
                    return Err(HttpError::new(StatusCode::BAD_REQUEST, "a query both in the URL and in the body"));
                }
                Ok(())
            }
            "application/sparql-update" => Err(read_only()),
            other => Err(HttpError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!(
                    "cannot read a body of type \"{other}\": send application/x-www-form-urlencoded (query=...) \
                     or application/sparql-query"
                ),
            )),
        }
    })();
    if let Err(e) = result {
        return e.into_response();
    }
    match request.query.take() {
        None => HttpError::new(StatusCode::BAD_REQUEST, "missing the `query` parameter").into_response(),
        Some(query) => respond(state, slot, headers, query, request).await,
    }
}

/// A query's answer, serialized.
struct Answer {
    media_type: &'static str,
    body: Vec<u8>,
}

async fn respond(
    state: Shared,
    slot: Option<Extension<Slot>>,
    headers: HeaderMap,
    query: String,
    request: ProtocolRequest,
) -> Response {
    let shown = query.clone();
    respond_bound(state, slot, headers, query, request, Vec::new(), shown).await
}

/// Cancels the query's token when dropped: at the end of the request, or
/// when the client hangs up and the server drops the request.
struct CancelOnDrop(CancellationToken);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

/// Runs `query` with `bindings` substituted; `shown` is the text a browser
/// sees on the results page and on an error page (the query as bound).
async fn respond_bound(
    state: Shared,
    slot: Option<Extension<Slot>>,
    headers: HeaderMap,
    query: String,
    request: ProtocolRequest,
    bindings: Vec<(Variable, Term)>,
    shown: String,
) -> Response {
    let html = wants_html(&headers);
    let accept = match headers.get(header::ACCEPT).map(HeaderValue::to_str) {
        None => None,
        Some(Ok(a)) => Some(a.to_owned()),
        Some(Err(_)) => {
            return HttpError::new(StatusCode::BAD_REQUEST, "the Accept header is not ASCII").into_response();
        }
    };
    if state.config.max_memory_bytes > 0 && state.running.over_memory() {
        let message = format!(
            "the server's memory is over its limit of {} MiB: queries are refused until it falls; try again in a few \
             seconds",
            state.config.max_memory_bytes / (1024 * 1024)
        );
        return crate::limits::with_retry_after(
            HttpError::new(StatusCode::SERVICE_UNAVAILABLE, message).for_request(&headers),
            5,
        );
    }
    // The request's slot (taken by `limits::query_slot`) is also held by the
    // query's thread, until it stops.
    let slot = slot.map(|Extension(slot)| slot);
    let token = CancellationToken::new();
    let _cancel = CancelOnDrop(token.clone());
    let registered = state.running.register(token.clone());
    let timer = {
        let token = token.clone();
        let limit = state.config.query_timeout;
        tokio::spawn(async move {
            tokio::time::sleep(limit).await;
            token.cancel();
        })
    };
    let worker = state.clone();
    let text = shown.clone();
    let answer = tokio::task::spawn_blocking(move || {
        evaluate(&worker, slot, &query, &text, &request, bindings, accept.as_deref(), token)
    })
    .await;
    timer.abort();
    if registered.over_memory() {
        let message = format!(
            "the query was stopped: the server's memory passed its limit of {} MiB while it ran; ask for less (add \
             LIMIT, avoid joins without shared variables)",
            state.config.max_memory_bytes / (1024 * 1024)
        );
        return crate::limits::with_retry_after(
            HttpError::new(StatusCode::SERVICE_UNAVAILABLE, message).for_request(&headers),
            5,
        );
    }
    match answer {
        Ok(Ok(answer)) => {
            ([(header::CONTENT_TYPE, answer.media_type), (header::VARY, "Accept")], answer.body).into_response()
        }
        Ok(Err(e)) if html => crate::editor::error_page(&state, &e, &shown),
        Ok(Err(e)) => e.into_response(),
        Err(e) => HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, format!("the query failed: {e}")).into_response(),
    }
}

/// A writer that refuses to grow past a limit.
struct Limited {
    buffer: Vec<u8>,
    limit: usize,
    exceeded: bool,
}

impl Write for Limited {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        if self.buffer.len() + data.len() > self.limit {
            self.exceeded = true;
            return Err(std::io::Error::other("result too large"));
        }
        self.buffer.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn too_large(limit: usize) -> HttpError {
    HttpError::new(
        StatusCode::BAD_REQUEST,
        format!(
            "the result is larger than this server's limit of {} MiB: add LIMIT or ask for less",
            limit / (1024 * 1024)
        ),
    )
}

#[allow(clippy::too_many_arguments)] // the request's parts, taken apart once by the handler
fn evaluate(
    state: &AppState,
    slot: Option<Slot>,
    query: &str,
    shown: &str,
    request: &ProtocolRequest,
    bindings: Vec<(Variable, Term)>,
    accept: Option<&str>,
    token: CancellationToken,
) -> Result<Answer, HttpError> {
    let ns = state.ns();
    let snapshot = state.snapshot();
    let options = QueryOptions {
        timeout: Some(state.config.query_timeout),
        union_default_graph: false,
        default_graphs: (!request.default_graphs.is_empty()).then(|| request.default_graphs.clone()),
        named_graphs: (!request.named_graphs.is_empty()).then(|| request.named_graphs.clone()),
        cancellation: Some(token),
        hold: slot.map(|s| std::sync::Arc::new(s) as std::sync::Arc<dyn std::any::Any + Send + Sync>),
        cardinalities: Some(snapshot.cardinalities.clone()),
        max_sort_rows: (state.config.max_sort_rows > 0).then_some(state.config.max_sort_rows),
    };
    let results = run_query(&snapshot.store, ns, query, bindings, &options, "query")?;
    let offers = match results {
        QueryResults::Graph(_) => GRAPH_TYPES,
        _ => SOLUTION_TYPES,
    };
    let media_type = choose(accept, offers).map_err(|_| {
        HttpError::new(
            StatusCode::NOT_ACCEPTABLE,
            format!("none of the types in the Accept header can carry this result; available: {}", offers.join(", ")),
        )
    })?;
    let mut out = Limited { buffer: Vec::new(), limit: state.config.max_result_bytes, exceeded: false };
    let written = match media_type {
        "text/html" => {
            return html_results(state, shown, results, &options)
                .map(|body| Answer { media_type: "text/html; charset=utf-8", body: body.into_bytes() });
        }
        "text/turtle" | "application/n-triples" | "application/ld+json" | "application/rdf+xml" => {
            write_graph(results, media_type, state, &options, &mut out)
        }
        other => {
            let format = match other {
                "application/sparql-results+xml" => ResultFormat::Xml,
                "text/csv" => ResultFormat::Csv,
                "text/tab-separated-values" => ResultFormat::Tsv,
                _ => ResultFormat::Json,
            };
            write_results(results, format, ns, &mut out).map(drop)
        }
    };
    if out.exceeded {
        return Err(too_large(out.limit));
    }
    written.map_err(|e| match e {
        // The limit struck while results were read: name it.
        RdfError::Timeout(_) => HttpError::from(RdfError::Timeout(state.config.query_timeout)),
        other => HttpError::from(other),
    })?;
    let media_type = match media_type {
        "application/json" => "application/sparql-results+json",
        "text/csv" => "text/csv; charset=utf-8",
        "text/tab-separated-values" => "text/tab-separated-values; charset=utf-8",
        other => other,
    };
    Ok(Answer { media_type, body: out.buffer })
}

fn write_graph(
    results: QueryResults<'_>,
    media_type: &str,
    state: &AppState,
    options: &QueryOptions,
    out: &mut Limited,
) -> Result<(), RdfError> {
    let QueryResults::Graph(triples) = results else {
        return Err(RdfError::Usage("not a graph result".into()));
    };
    let format = ExportFormat::from_media_type(media_type).map_or(RdfFormat::Turtle, ExportFormat::rdf_format);
    let io = |e: std::io::Error| RdfError::Io(e.to_string());
    let mut serializer = RdfSerializer::from_format(format);
    if format != RdfFormat::NTriples {
        for (name, iri) in prefixes(state.ns()) {
            serializer = serializer.with_prefix(name, iri).map_err(|e| RdfError::Io(e.to_string()))?;
        }
    }
    let mut writer = serializer.for_writer(out);
    for triple in triples {
        let triple = triple.map_err(|e| query_error(e, options))?;
        writer.serialize_triple(&triple).map_err(io)?;
    }
    writer.finish().map_err(io)?;
    Ok(())
}

/// Rows shown in an HTML result table.
const HTML_ROWS: usize = 2000;

/// One row of an HTML result table (`None`: unbound).
type TableRow = Vec<Option<Term>>;

/// The first [`HTML_ROWS`] results as table rows, and whether more were left out.
fn capped<T>(
    results: impl Iterator<Item = Result<T, coopgraph_rdf::oxigraph::sparql::QueryEvaluationError>>,
    options: &QueryOptions,
    row: impl Fn(T) -> TableRow,
) -> Result<(Vec<TableRow>, bool), HttpError> {
    let mut rows = Vec::new();
    for result in results {
        let result = result.map_err(|e| HttpError::from(query_error(e, options)))?;
        if rows.len() == HTML_ROWS {
            return Ok((rows, true));
        }
        rows.push(row(result));
    }
    Ok((rows, false))
}

fn html_results(
    state: &AppState,
    query: &str,
    results: QueryResults<'_>,
    options: &QueryOptions,
) -> Result<String, HttpError> {
    let table = match results {
        QueryResults::Boolean(b) => crate::templates::ResultTable::Boolean(b),
        QueryResults::Solutions(solutions) => {
            let variables: Vec<String> = solutions.variables().iter().map(|v| v.as_str().to_owned()).collect();
            let (rows, more) = capped(solutions, options, |s| s.values().to_vec())?;
            crate::templates::ResultTable::Solutions { variables, rows, more }
        }
        QueryResults::Graph(triples) => {
            let (rows, more) = capped(triples, options, |t| {
                vec![Some(Term::from(t.subject)), Some(Term::from(t.predicate)), Some(t.object)]
            })?;
            crate::templates::ResultTable::Solutions {
                variables: vec!["subject".into(), "predicate".into(), "object".into()],
                rows,
                more,
            }
        }
    };
    Ok(crate::templates::sparql_results(state, query, &table).into_string())
}

/// The text of a bundled query with its parameters bound (`given`, else
/// their defaults), to read, edit and run anywhere ([`bind_in_text`]), and
/// a comment naming `/queries/NAME?...`. Each group that reads a parameter
/// sees its value, as when the runner substitutes it (`coopgraph query
/// run`), down to a FILTER NOT EXISTS in one branch of a UNION, and the
/// planner starts from it as it does there; a test runs every bundled
/// query both ways and compares the answers.
pub fn bound_text(
    query: &coopgraph_rdf::query::LibraryQuery,
    given: &[(String, String)],
    ns: &coopgraph_rdf::Namespaces,
) -> Result<String, RdfError> {
    let text = query.text.trim_end();
    let bindings = query.bindings(given, ns)?;
    if bindings.is_empty() {
        return Ok(text.to_owned());
    }
    let values: Vec<(&str, String)> = bindings.iter().map(|(v, t)| (v.as_str(), sparql_term(t, ns))).collect();
    let params: Vec<String> = query
        .params
        .iter()
        .map(|p| {
            let value = given.iter().rev().find(|(k, _)| k == &p.name).map_or(p.default.as_str(), |(_, v)| v.as_str());
            form_urlencoded::Serializer::new(String::new()).append_pair(&p.name, value).finish()
        })
        .collect();
    let mut out = format!(
        "# Parameters bound below; /queries/{}?{} runs it exactly as `coopgraph query run`.\n",
        query.name,
        params.join("&")
    );
    out.push_str(&bind_in_text(text, &values));
    Ok(out)
}

/// `text` with the variables `values` names bound to their terms by a
/// VALUES block at the start of each group where one is in scope (named in
/// it or in a group inside it), as the runner shows a parameter to the
/// planner ([`coopgraph_rdf::query`]'s rewrite): its greedy join order then
/// starts from the value and follows the patterns that share its variable.
/// Like the runner, it leaves out a UNION branch that walks a `*` or `+`
/// path (and what that branch holds): with the value's one row beside it,
/// Oxigraph walks the path from every node of the store before the join;
/// the group around the branch binds the variable on its rows all the same.
fn bind_in_text(text: &str, values: &[(&str, String)]) -> String {
    let names: Vec<&str> = values.iter().map(|(name, _)| *name).collect();
    let vars: Vec<String> = values.iter().map(|(name, _)| format!("?{name}")).collect();
    let terms: Vec<&str> = values.iter().map(|(_, term)| term.as_str()).collect();
    let block = format!(" VALUES ({}) {{ ({}) }}", vars.join(" "), terms.join(" "));
    let mut out = String::with_capacity(text.len() + 256);
    let mut last = 0;
    for at in groups_in_scope(text, &names) {
        out.push_str(text.get(last..at).unwrap_or_default());
        out.push_str(&block);
        last = at;
    }
    out.push_str(text.get(last..).unwrap_or_default());
    out
}

/// The text of a bundled query bound to its defaults (the examples).
pub fn example_text(query: &coopgraph_rdf::query::LibraryQuery, ns: &coopgraph_rdf::Namespaces) -> String {
    bound_text(query, &[], ns).unwrap_or_else(|_| query.text.trim_end().to_owned())
}

/// A term as SPARQL writes it: a prefixed name where one fits, else the
/// IRI or literal in full.
fn sparql_term(term: &Term, ns: &coopgraph_rdf::Namespaces) -> String {
    if let Term::NamedNode(n) = term {
        for (name, iri) in prefixes(ns) {
            if let Some(local) = n.as_str().strip_prefix(iri.as_str())
                && local.chars().next().is_some_and(|c| c.is_alphanumeric() || c == '_')
                && !local.ends_with('.')
                && local.chars().all(|c| c.is_alphanumeric() || "_-.".contains(c))
            {
                return format!("{name}:{local}");
            }
        }
    }
    term.to_string()
}

/// What a `{` opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Brace {
    /// A group graph pattern.
    Group,
    /// A group holding a sub-select (`{ SELECT ...`): its text outside the
    /// sub-select's WHERE group is the sub-select's projection, GROUP BY
    /// and ORDER BY.
    SubSelect,
    /// A VALUES data block or a CONSTRUCT template: no patterns inside.
    Data,
}

/// One `{ ... }` of a query, as [`groups_in_scope`] reads it.
#[derive(Debug)]
struct Braces {
    /// The byte offset just after the `{`.
    after: usize,
    kind: Brace,
    parent: Option<usize>,
    /// One of the variables is named in it, outside the braces inside it
    /// (not as a BIND's `AS ?v`).
    named: bool,
    /// A `*` or `+` follows an IRI or a `)` in it: a path of any length.
    closure: bool,
    /// It is a branch of a UNION.
    union_branch: bool,
}

/// The byte offsets just after the `{` of every group of `text` in which
/// one of the variables `names` is in scope, in order, except UNION
/// branches that walk a closure and what they hold (see [`bind_in_text`]).
/// Strings, IRIs and comments are skipped; so are VALUES data blocks and
/// CONSTRUCT templates, and the groups around sub-selects (no place for
/// VALUES); a sub-select puts a variable in scope around it only when it
/// returns it. The scan is a loop over the characters.
fn groups_in_scope(text: &str, names: &[&str]) -> Vec<usize> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let at = |i: usize| chars.get(i).map(|(_, c)| *c);
    let offset_of = |i: usize| chars.get(i).map_or(text.len(), |(o, _)| *o);
    let mut all: Vec<Braces> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut closed: Vec<usize> = Vec::new(); // in the order they close
    let mut pending_data = false; // after VALUES or CONSTRUCT, before its `{`
    let mut last_word = String::new();
    let mut previous = ' '; // the last character that is not a space
    let mut i = 0;
    while let Some(c) = at(i) {
        let offset = offset_of(i);
        match c {
            '#' => {
                while at(i).is_some_and(|c| c != '\n') {
                    i += 1;
                }
                continue;
            }
            '"' | '\'' => {
                let long = at(i + 1) == Some(c) && at(i + 2) == Some(c);
                let width = if long { 3 } else { 1 };
                i += width;
                while let Some(d) = at(i) {
                    if d == '\\' {
                        i += 2;
                        continue;
                    }
                    if d == c && (!long || (at(i + 1) == Some(c) && at(i + 2) == Some(c))) {
                        i += width;
                        break;
                    }
                    i += 1;
                }
                previous = c;
                last_word.clear();
                continue;
            }
            '<' => {
                // An IRI runs to `>` without spaces; else `<` compares.
                let mut j = i + 1;
                while at(j).is_some_and(|d| d != '>' && !d.is_whitespace() && !"<{}\"".contains(d)) {
                    j += 1;
                }
                if at(j) == Some('>') {
                    i = j + 1;
                    previous = '>';
                } else {
                    i += 1;
                    previous = '<';
                }
                last_word.clear();
                continue;
            }
            '{' => {
                let rest = text.get(offset + 1..).unwrap_or_default().trim_start();
                let kind = if pending_data {
                    Brace::Data
                } else if rest.get(..6).is_some_and(|w| w.eq_ignore_ascii_case("select")) {
                    Brace::SubSelect
                } else {
                    Brace::Group
                };
                pending_data = false;
                all.push(Braces {
                    after: offset + 1,
                    kind,
                    parent: open.last().copied(),
                    named: false,
                    closure: false,
                    union_branch: last_word.eq_ignore_ascii_case("union"),
                });
                open.push(all.len() - 1);
            }
            '}' => {
                if let Some(n) = open.pop() {
                    let rest = text.get(offset + 1..).unwrap_or_default().trim_start();
                    if rest.get(..5).is_some_and(|w| w.eq_ignore_ascii_case("union"))
                        && let Some(b) = all.get_mut(n)
                    {
                        b.union_branch = true;
                    }
                    closed.push(n);
                }
            }
            '*' | '+' if previous.is_alphanumeric() || previous == '>' || previous == ')' => {
                if let Some(b) = open.last().and_then(|n| all.get_mut(*n)) {
                    b.closure = true;
                }
            }
            '?' | '$' => {
                let mut j = i + 1;
                while at(j).is_some_and(|d| d.is_alphanumeric() || d == '_') {
                    j += 1;
                }
                let name: String = chars.get(i + 1..j).unwrap_or_default().iter().map(|(_, c)| *c).collect();
                if names.contains(&name.as_str())
                    && !last_word.eq_ignore_ascii_case("as")
                    && let Some(b) = open.last().and_then(|n| all.get_mut(*n))
                {
                    b.named = true;
                }
                i = j.max(i + 1);
                previous = '?';
                last_word.clear();
                continue;
            }
            c if c.is_ascii_alphabetic() => {
                let mut j = i;
                while at(j).is_some_and(|d| d.is_alphanumeric() || "_-:".contains(d)) {
                    j += 1;
                }
                let word: String = chars.get(i..j).unwrap_or_default().iter().map(|(_, c)| *c).collect();
                if word.eq_ignore_ascii_case("values") || word.eq_ignore_ascii_case("construct") {
                    pending_data = true;
                }
                if word.eq_ignore_ascii_case("where") {
                    pending_data = false; // CONSTRUCT WHERE { ... }: a group
                }
                previous = word.chars().last().unwrap_or(' ');
                last_word = word;
                i = j;
                continue;
            }
            c if c.is_whitespace() => {
                i += 1;
                continue;
            }
            _ => {}
        }
        if !c.is_whitespace() {
            previous = c;
            last_word.clear();
        }
        i += 1;
    }
    // In scope: named in a group or in one inside it (through a sub-select
    // only when it names the variable outside its WHERE group); children
    // close before their parents.
    let mut scope: Vec<bool> = all.iter().map(|b| b.named).collect();
    let mut closure: Vec<bool> = all.iter().map(|b| b.closure).collect();
    for n in closed {
        let (Some(b), Some(&in_scope), Some(&walks)) = (all.get(n), scope.get(n), closure.get(n)) else { continue };
        let Some(parent) = b.parent else { continue };
        let parent_is_group = all.get(parent).is_some_and(|p| p.kind == Brace::Group);
        let passes = match b.kind {
            Brace::Group => true,
            Brace::SubSelect => b.named,
            Brace::Data => false,
        };
        if passes
            && in_scope
            && let Some(s) = scope.get_mut(parent)
        {
            *s = true;
        }
        if b.kind == Brace::Group
            && walks
            && parent_is_group
            && let Some(w) = closure.get_mut(parent)
        {
            *w = true;
        }
    }
    // Left out: closure-walking UNION branches and the groups they hold,
    // down to the next sub-select.
    let mut left_out = vec![false; all.len()];
    for (n, b) in all.iter().enumerate() {
        let inherited = b.parent.is_some_and(|p| {
            left_out.get(p).copied().unwrap_or(false) && all.get(p).is_some_and(|p| p.kind == Brace::Group)
        });
        let here = b.kind == Brace::Group && b.union_branch && closure.get(n).copied().unwrap_or(false);
        if let Some(l) = left_out.get_mut(n) {
            *l = inherited || here;
        }
    }
    all.iter()
        .enumerate()
        .filter(|(n, b)| {
            b.kind == Brace::Group
                && scope.get(*n).copied().unwrap_or(false)
                && !left_out.get(*n).copied().unwrap_or(false)
        })
        .map(|(_, b)| b.after)
        .collect()
}

/// A bundled query as JSON: its name, title, description and parameters
/// (name, default, description). `GET /queries` and the query editor's
/// picker both list the queries this way.
pub(crate) fn query_description(q: &coopgraph_rdf::query::LibraryQuery) -> serde_json::Value {
    serde_json::json!({
        "name": q.name,
        "title": q.title,
        "description": q.description,
        "params": q.params.iter().map(|p| serde_json::json!({
            "name": p.name,
            "default": p.default,
            "description": p.description,
        })).collect::<Vec<_>>(),
    })
}

/// `GET /queries`: the bundled queries with their parameters (HTML, or JSON
/// for programs).
pub async fn list_queries(State(state): State<Shared>, headers: HeaderMap) -> Response {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    match choose(accept, &["text/html", "application/json"]) {
        Ok("application/json") => {
            let list: Vec<serde_json::Value> = state
                .config
                .examples
                .iter()
                .map(|q| {
                    let mut described = query_description(q);
                    if let Some(fields) = described.as_object_mut() {
                        fields.insert("url".into(), format!("{}queries/{}", state.config.public_url, q.name).into());
                    }
                    described
                })
                .collect();
            ([(header::CONTENT_TYPE, "application/json")], serde_json::Value::Array(list).to_string()).into_response()
        }
        Ok(_) => Html(crate::templates::query_list(&state).into_string()).into_response(),
        Err(_) => HttpError::new(StatusCode::NOT_ACCEPTABLE, "the list is available as text/html or application/json")
            .into_response(),
    }
}

/// `GET /queries/{name}?PARAM=VALUE...`: runs a bundled query with its
/// parameters bound exactly as `coopgraph query run NAME --param ...`
/// does; results by `Accept` as at `/sparql` (a browser's page shows the
/// query as bound). `GET /queries/{name}.rq?PARAM=VALUE...` answers the
/// bound text itself, with the PREFIX lines it needs, for the editor.
pub async fn library_query(
    State(state): State<Shared>,
    slot: Option<Extension<Slot>>,
    axum::extract::Path(name): axum::extract::Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let (name, text_only) = match name.strip_suffix(".rq") {
        Some(stem) => (stem.to_owned(), true),
        None => (name, false),
    };
    let Some(query) = state.config.examples.iter().find(|q| q.name == name) else {
        let known: Vec<&str> = state.config.examples.iter().map(|q| q.name.as_str()).collect();
        return HttpError::new(
            StatusCode::NOT_FOUND,
            format!("no bundled query called \"{name}\"; the queries: {}", known.join(", ")),
        )
        .for_request(&headers)
        .into_response();
    };
    let given = pairs(raw.as_deref().unwrap_or_default());
    let bindings = match query.bindings(&given, state.ns()) {
        Ok(b) => b,
        Err(e) => return HttpError::new(StatusCode::BAD_REQUEST, e.to_string()).for_request(&headers).into_response(),
    };
    let shown = match bound_text(query, &given, state.ns()) {
        Ok(t) => t,
        Err(e) => return HttpError::new(StatusCode::BAD_REQUEST, e.to_string()).for_request(&headers).into_response(),
    };
    if text_only {
        let text = crate::editor::with_prefixes(&shown, state.ns());
        return ([(header::CONTENT_TYPE, "application/sparql-query; charset=utf-8")], text).into_response();
    }
    let text = query.text.clone();
    respond_bound(state, slot, headers, text, ProtocolRequest::default(), bindings, shown).await
}

#[cfg(test)]
mod tests {
    use super::groups_in_scope;

    /// `text` with `@` at each place [`groups_in_scope`] finds for `?v`.
    fn marked(text: &str) -> String {
        let mut out = text.to_owned();
        for at in groups_in_scope(text, &["v"]).into_iter().rev() {
            out.insert(at, '@');
        }
        out
    }

    #[test]
    fn values_go_into_each_group_where_the_parameter_is_in_scope() {
        assert_eq!(marked("SELECT * WHERE { ?s ?p ?v }"), "SELECT * WHERE {@ ?s ?p ?v }");
        assert_eq!(
            marked("SELECT * WHERE { { ?s ?p ?v } UNION { ?s ?p ?o } FILTER NOT EXISTS { ?o ?q ?v } }"),
            "SELECT * WHERE {@ {@ ?s ?p ?v } UNION { ?s ?p ?o } FILTER NOT EXISTS {@ ?o ?q ?v } }"
        );
        // Sub-selects: their own WHERE group, and around them only when they return it.
        assert_eq!(
            marked("SELECT ?v WHERE { { SELECT ?v WHERE { ?v ?p ?o } } }"),
            "SELECT ?v WHERE {@ { SELECT ?v WHERE {@ ?v ?p ?o } } }"
        );
        assert_eq!(
            marked("SELECT ?o WHERE { { SELECT ?o WHERE { ?v ?p ?o } } }"),
            "SELECT ?o WHERE { { SELECT ?o WHERE {@ ?v ?p ?o } } }"
        );
        // A UNION branch that walks a closure is left out, with what it holds.
        assert_eq!(
            marked("SELECT * WHERE { { ?s ?p ?v } UNION { ?s coop:partOf*/coop:in ?v { ?s ?q ?v } } }"),
            "SELECT * WHERE {@ {@ ?s ?p ?v } UNION { ?s coop:partOf*/coop:in ?v { ?s ?q ?v } } }"
        );
        assert_eq!(marked("SELECT * WHERE { ?s coop:partOf+ ?v }"), "SELECT * WHERE {@ ?s coop:partOf+ ?v }");
        // Templates, data blocks, strings, IRIs, comments and BIND targets are not uses.
        assert_eq!(
            marked("CONSTRUCT { ?v ?p ?o } WHERE { VALUES ?p { <urn:x?v> } ?v ?p ?o }"),
            "CONSTRUCT { ?v ?p ?o } WHERE {@ VALUES ?p { <urn:x?v> } ?v ?p ?o }"
        );
        let none = "SELECT * WHERE { ?s ?p \"{ ?v }\" # { ?v }\n FILTER(?o < 3) { ?s ?q ?value BIND(1 AS ?v) } }";
        assert_eq!(marked(none), none);
        assert_eq!(marked("ASK { $v ?p ?o }"), "ASK {@ $v ?p ?o }");
    }
}
