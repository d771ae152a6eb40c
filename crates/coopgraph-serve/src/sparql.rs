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
use crate::library::{bound_text, query_description};
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
