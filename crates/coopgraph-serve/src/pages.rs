//! HTML pages: the home page, the page of any resource (entity, source
//! document, or anything else under the base) and the pages of the
//! ontology's classes. Data comes from [`crate::describe`]; markup from
//! [`crate::templates`]. Each page is in the interface language the
//! request asks for ([`crate::i18n`]).

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use crate::error::HttpError;
use crate::i18n::{self, Lang};
use crate::limits::{self, Pool};
use crate::resources::iri_of_path;
use crate::templates::Ui;
use crate::{Shared, describe, templates};

/// An HTML answer in `lang`: it varies by what chooses the language, and
/// when the query string chose it, it sets the cookie that keeps it.
pub(crate) fn in_language(body: String, lang: Lang, asked: bool) -> Response {
    let mut response = Html(body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::VARY, HeaderValue::from_static(i18n::VARY));
    headers.insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(lang.tag()));
    if asked {
        headers.insert(header::SET_COOKIE, i18n::cookie(lang));
    }
    response
}

/// `GET /`: what the dataset is, counts, search, dumps and example queries.
/// Asked for RDF, it answers 303 to the VoID description.
pub async fn home(State(state): State<Shared>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    match crate::negotiate::choose(accept, &crate::resources::RESOURCE_TYPES) {
        Ok("text/html") | Err(_) => {}
        Ok(_) => {
            return (StatusCode::SEE_OTHER, [(header::LOCATION, "/.well-known/void"), (header::VARY, "Accept")])
                .into_response();
        }
    }
    let raw = raw.unwrap_or_default();
    let (lang, asked) = i18n::of_request(&raw, &headers);
    let chosen = form_urlencoded::parse(raw.as_bytes()).find(|(k, _)| k == "example").map(|(_, v)| v.into_owned());
    let ui = Ui::new(lang, "/", &raw);
    in_language(templates::home(&state, &ui, chosen.as_deref()).into_string(), lang, asked)
}

/// `GET /page/{path}?section=KEY&page=N`: the HTML page of `{base}{path}`;
/// `section` and `page` page through one of its lists. A page rendered
/// before for this build is answered at once; rendering one takes a slot
/// of the read pool.
pub async fn resource_page(
    State(state): State<Shared>,
    Path(path): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let raw = raw.unwrap_or_default();
    let (lang, asked) = i18n::of_request(&raw, &headers);
    let paging = describe::Paging::from_query(&raw);
    let key = crate::page_cache::PageKey::new(&path, &paging, lang);
    let snapshot = state.snapshot();
    if let Some(page) = snapshot.pages.get(&key) {
        return in_language(page.to_string(), lang, asked);
    }
    let worker = state.clone();
    let asked_headers = headers.clone();
    let ui = Ui::new(lang, &format!("/page/{path}"), &raw);
    let render = async move {
        let rendered = tokio::task::spawn_blocking(move || {
            snapshot.pages.get_or_render(&key, || render_page(&worker, &snapshot, &ui, &path, &paging))
        })
        .await;
        match rendered {
            Ok(Ok(page)) => in_language(page.to_string(), lang, asked),
            Ok(Err(e)) => e.for_request(&headers).into_response(),
            Err(e) => HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
        }
    };
    limits::with_slot(&state, Pool::Reads, &asked_headers, render).await
}

/// The HTML of the resource at `path` in `snapshot`, rendered from the store.
fn render_page(
    state: &crate::AppState,
    snapshot: &crate::Snapshot,
    ui: &Ui,
    path: &str,
    paging: &describe::Paging,
) -> Result<String, HttpError> {
    let ns = state.ns();
    let store = &snapshot.store;
    let iri = iri_of_path(ns, path)?;
    if !describe::exists(store, &iri)? {
        return Err(HttpError::new(StatusCode::NOT_FOUND, format!("nothing in the dataset is called <{iri}>")));
    }
    if path.starts_with("source/") && !path.contains('#') {
        let view = describe::source(store, ns, &iri, paging)?;
        let size = snapshot.summary.graphs.iter().find(|(g, _)| *g == iri).map(|(_, n)| *n);
        return Ok(templates::source_page(state, ui, &iri, &view, size).into_string());
    }
    if let Some(view) = describe::entity(store, ns, &iri, paging)? {
        return Ok(templates::entity_page(state, ui, &iri, &view).into_string());
    }
    let generic = describe::generic(store, ns, &iri)?;
    Ok(templates::generic_page(state, ui, &iri, &generic).into_string())
}

/// `GET /ontology/{Class}?page=N`: a class of the ontology and its
/// instances, a page at a time (in the store's order; the count is the
/// one kept beside the store).
pub async fn class_page(
    State(state): State<Shared>,
    Path(local): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let raw = raw.unwrap_or_default();
    let (lang, asked) = i18n::of_request(&raw, &headers);
    let paging = describe::Paging::from_query(&raw);
    let ui = Ui::new(lang, &format!("/ontology/{local}"), &raw);
    let worker = state.clone();
    let result = tokio::task::spawn_blocking(move || -> Result<String, HttpError> {
        let ontology = crate::ontology::view(worker.ns(), &crate::resources::ontology_quads()?);
        let Some(term) = ontology.term(&local).filter(|t| t.group == crate::ontology::Group::Class) else {
            return Err(HttpError::new(
                StatusCode::NOT_FOUND,
                format!("the ontology has no class {local:?}; see /ontology for its classes"),
            ));
        };
        let snapshot = worker.snapshot();
        let total = usize::try_from(snapshot.stats.instances(term.iri.as_str())).unwrap_or(usize::MAX);
        let page = if paging.section.as_deref() == Some("instances") { paging.page } else { 1 };
        let (instances, labels) = describe::instances(&snapshot.store, worker.ns(), &term.iri, total, page)?;
        Ok(templates::class_page(&worker, &ui, term, &instances, &labels).into_string())
    })
    .await;
    match result {
        Ok(Ok(body)) => in_language(body, lang, asked),
        Ok(Err(e)) => e.for_request(&headers).into_response(),
        Err(e) => HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}
