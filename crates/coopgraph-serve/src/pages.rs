//! HTML pages: the home page and the page of any resource (entity,
//! source document, or anything else under the base). Data comes from
//! [`crate::describe`]; markup from [`crate::templates`].

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use crate::error::HttpError;
use crate::limits::{self, Pool};
use crate::resources::iri_of_path;
use crate::{Shared, describe, templates};

/// `GET /`: what the dataset is, counts, search, dumps and example queries.
/// Asked for RDF, it answers 303 to the VoID description.
pub async fn home(State(state): State<Shared>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    match crate::negotiate::choose(accept, crate::resources::RESOURCE_TYPES) {
        Ok("text/html") | Err(_) => {}
        Ok(_) => {
            return (StatusCode::SEE_OTHER, [(header::LOCATION, "/.well-known/void"), (header::VARY, "Accept")])
                .into_response();
        }
    }
    let chosen = form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "example")
        .map(|(_, v)| v.into_owned());
    Html(templates::home(&state, chosen.as_deref()).into_string()).into_response()
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
    let paging = describe::Paging::from_query(raw.as_deref().unwrap_or_default());
    let key = crate::page_cache::PageKey::new(&path, &paging);
    let snapshot = state.snapshot();
    if let Some(page) = snapshot.pages.get(&key) {
        return Html(page.to_string()).into_response();
    }
    let worker = state.clone();
    let asked = headers.clone();
    let render = async move {
        let rendered = tokio::task::spawn_blocking(move || {
            snapshot.pages.get_or_render(&key, || render_page(&worker, &snapshot, &path, &paging))
        })
        .await;
        match rendered {
            Ok(Ok(page)) => Html(page.to_string()).into_response(),
            Ok(Err(e)) => e.for_request(&headers).into_response(),
            Err(e) => HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
        }
    };
    limits::with_slot(&state, Pool::Reads, &asked, render).await
}

/// The HTML of the resource at `path` in `snapshot`, rendered from the store.
fn render_page(
    state: &crate::AppState,
    snapshot: &crate::Snapshot,
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
        return Ok(templates::source_page(state, &iri, &view, size).into_string());
    }
    if let Some(view) = describe::entity(store, ns, &iri, paging)? {
        return Ok(templates::entity_page(state, &iri, &view).into_string());
    }
    let generic = describe::generic(store, ns, &iri)?;
    Ok(templates::generic_page(state, &iri, &generic).into_string())
}
