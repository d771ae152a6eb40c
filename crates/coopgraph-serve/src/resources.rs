//! Dereferenceable IRIs (Cool URIs for the Semantic Web, 303 variant): the
//! IRI `{base}ID` is served at `/ID`, which answers 303 See Other to the HTML
//! page `/page/ID` or to a data document `/data/ID.ttl|.nt|.jsonld|.rdf`,
//! chosen by `Accept`. Source documents' named graphs and the ontology are
//! served the same way.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use coopgraph_rdf::export::{ExportFormat, write_quads};
use coopgraph_rdf::oxigraph::io::{RdfFormat, RdfParser};
use coopgraph_rdf::oxigraph::model::{GraphName, NamedNode, Quad, Triple};
use coopgraph_rdf::{Namespaces, QuadSet, RdfError};

use crate::error::HttpError;
use crate::negotiate::choose;
use crate::{AppState, Shared};

/// Media types a resource is offered in, in order of preference: its page,
/// then its data documents ([`ExportFormat::DOCUMENTS`]).
pub static RESOURCE_TYPES: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
    std::iter::once("text/html").chain(ExportFormat::DOCUMENTS.iter().map(|f| f.media_type())).collect()
});

/// The data-document format served as `media_type`.
fn document_format(media_type: &str) -> Option<ExportFormat> {
    ExportFormat::DOCUMENTS.into_iter().find(|f| f.media_type() == media_type)
}

/// The IRI a local path stands for: `/china` is `{base}china`.
pub(crate) fn iri_of_path(ns: &Namespaces, path: &str) -> Result<NamedNode, HttpError> {
    NamedNode::new(format!("{}{}", ns.base(), path.trim_start_matches('/')))
        .map_err(|_| HttpError::new(StatusCode::NOT_FOUND, "this address is not an IRI of the dataset"))
}

fn negotiated(headers: &HeaderMap) -> Result<&'static str, HttpError> {
    let accept = headers
        .get(header::ACCEPT)
        .map(|v| v.to_str())
        .transpose()
        .map_err(|_| HttpError::new(StatusCode::BAD_REQUEST, "the Accept header is not ASCII"))?;
    choose(accept, &RESOURCE_TYPES).map_err(|_| {
        HttpError::new(
            StatusCode::NOT_ACCEPTABLE,
            format!("this resource is available as {}", RESOURCE_TYPES.join(", ")),
        )
    })
}

fn see_other(location: String) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, location), (header::VARY, "Accept".to_owned())]).into_response()
}

/// `GET /{path}`: 303 to the page or the data document of `{base}{path}`.
pub async fn dereference(State(state): State<Shared>, Path(path): Path<String>, headers: HeaderMap) -> Response {
    let result = async {
        let media_type = negotiated(&headers)?;
        let iri = iri_of_path(state.ns(), &path)?;
        let store = state.store();
        let probe = iri.clone();
        let found = tokio::task::spawn_blocking(move || crate::describe::exists(&store, &probe))
            .await
            .map_err(|e| HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))??;
        if !found {
            return Err(HttpError::new(StatusCode::NOT_FOUND, format!("nothing in the dataset is called <{iri}>")));
        }
        Ok(match document_format(media_type) {
            Some(format) => see_other(format!("/data/{path}.{}", format.extension())),
            None => see_other(format!("/page/{path}")),
        })
    }
    .await;
    result.unwrap_or_else(|e| e.for_request(&headers).into_response())
}

/// `GET /data/{path}.{ext}`: the description of `{base}{path}` as RDF.
pub async fn data_document(State(state): State<Shared>, Path(path): Path<String>, headers: HeaderMap) -> Response {
    let Some((stem, media_type, format)) = ExportFormat::DOCUMENTS.into_iter().find_map(|f| {
        path.strip_suffix(&format!(".{}", f.extension())).map(|stem| (stem.to_owned(), f.media_type(), f))
    }) else {
        let known: Vec<String> = ExportFormat::DOCUMENTS.iter().map(|f| format!(".{}", f.extension())).collect();
        return HttpError::new(StatusCode::NOT_FOUND, format!("data documents end in {}", known.join(", ")))
            .for_request(&headers)
            .into_response();
    };
    let worker = state.clone();
    let result = tokio::task::spawn_blocking(move || {
        if stem == "ontology" {
            let quads = ontology_quads()?;
            return write_quads(&quads, format, worker.ns(), Vec::new())
                .map_err(|e| HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()));
        }
        let iri = iri_of_path(worker.ns(), &stem)?;
        let triples = description(&worker, &iri)?;
        if triples.is_empty() {
            return Err(HttpError::new(StatusCode::NOT_FOUND, format!("nothing in the dataset is called <{iri}>")));
        }
        serialize(&worker, triples, format)
    })
    .await;
    match result {
        Ok(Ok(body)) => ([(header::CONTENT_TYPE, media_type)], body).into_response(),
        Ok(Err(e)) => e.for_request(&headers).into_response(),
        Err(e) => HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

/// What the data document of `iri` holds (see [`crate::describe::document`]).
pub(crate) fn description(state: &AppState, iri: &NamedNode) -> Result<Vec<Triple>, HttpError> {
    Ok(crate::describe::document(&state.store(), state.ns(), iri)?)
}

fn serialize(state: &AppState, triples: Vec<Triple>, format: ExportFormat) -> Result<Vec<u8>, HttpError> {
    let quads = QuadSet::from_quads(
        triples.into_iter().map(|t| Quad::new(t.subject, t.predicate, t.object, GraphName::DefaultGraph)),
    );
    write_quads(&quads, format, state.ns(), Vec::new())
        .map_err(|e| HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))
}

/// The bundled ontology as quads (default graph).
pub(crate) fn ontology_quads() -> Result<QuadSet, RdfError> {
    let quads: Result<Vec<Quad>, _> = RdfParser::from_format(RdfFormat::Turtle)
        .for_reader(coopgraph_rdf::vocab::BUNDLED_ONTOLOGY.as_bytes())
        .collect();
    Ok(QuadSet::from_quads(quads.map_err(|e| RdfError::Io(format!("the bundled ontology: {e}")))?))
}

/// `GET /ontology`: the vocabulary, in the format `Accept` asks for.
pub async fn ontology(
    State(state): State<Shared>,
    headers: HeaderMap,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> Response {
    let result = (|| {
        let media_type = negotiated(&headers)?;
        if media_type == "text/turtle" {
            return Ok(
                ([(header::CONTENT_TYPE, "text/turtle")], coopgraph_rdf::vocab::BUNDLED_ONTOLOGY).into_response()
            );
        }
        let quads = ontology_quads()?;
        if media_type == "text/html" {
            let raw = raw.unwrap_or_default();
            let (lang, asked) = crate::i18n::of_request(&raw, &headers);
            let ui = crate::templates::Ui::new(lang, "/ontology", &raw);
            let view = crate::ontology::view(state.ns(), &quads);
            let page = crate::templates::ontology_page(&state, &ui, &view);
            return Ok(crate::pages::in_language(page.into_string(), lang, asked));
        }
        let format = document_format(media_type).unwrap_or(ExportFormat::Turtle);
        let body = write_quads(&quads, format, state.ns(), Vec::new())
            .map_err(|e| HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
        Ok(([(header::CONTENT_TYPE, media_type), (header::VARY, "Accept")], body).into_response())
    })();
    result.unwrap_or_else(|e: HttpError| e.for_request(&headers).into_response())
}
