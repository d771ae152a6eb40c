//! HTML pages: the home page, search, and the page of any resource (entity,
//! source document, or anything else under the base). Data comes from
//! [`crate::describe`]; markup from [`crate::templates`].

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use crate::error::HttpError;
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

/// `GET /search?q=TEXT`: entities whose English or Chinese label holds TEXT.
pub async fn search(State(state): State<Shared>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let needle = form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "q")
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default();
    if needle.is_empty() {
        return Html(templates::search(&state, "", &[], &Default::default()).into_string()).into_response();
    }
    if needle.chars().count() > 200 {
        return HttpError::new(StatusCode::BAD_REQUEST, "search text longer than 200 characters")
            .for_request(&headers)
            .into_response();
    }
    let worker = state.clone();
    let text = needle.clone();
    let found = tokio::task::spawn_blocking(move || {
        describe::search(&worker.store(), worker.ns(), &text, worker.config.query_timeout)
    })
    .await;
    match found {
        Ok(Ok((hits, labels))) => {
            Html(templates::search(&state, &needle, &hits, &labels).into_string()).into_response()
        }
        Ok(Err(e)) => HttpError::from(e).for_request(&headers).into_response(),
        Err(e) => HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

/// `GET /page/{path}?section=KEY&page=N`: the HTML page of `{base}{path}`;
/// `section` and `page` page through one of its lists.
pub async fn resource_page(
    State(state): State<Shared>,
    Path(path): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let worker = state.clone();
    let paging = describe::Paging::from_query(raw.as_deref().unwrap_or_default());
    let rendered = tokio::task::spawn_blocking(move || -> Result<String, HttpError> {
        let ns = worker.ns();
        let snapshot = worker.snapshot();
        let store = &snapshot.store;
        let iri = iri_of_path(ns, &path)?;
        if !describe::exists(store, &iri)? {
            return Err(HttpError::new(StatusCode::NOT_FOUND, format!("nothing in the dataset is called <{iri}>")));
        }
        if path.starts_with("source/") && !path.contains('#') {
            let view = describe::source(store, ns, &iri, &paging)?;
            let size = snapshot.summary.graphs.iter().find(|(g, _)| *g == iri).map(|(_, n)| *n);
            return Ok(templates::source_page(&worker, &iri, &view, size).into_string());
        }
        if let Some(view) = describe::entity(store, ns, &iri, &paging)? {
            return Ok(templates::entity_page(&worker, &iri, &view).into_string());
        }
        let generic = describe::generic(store, ns, &iri)?;
        Ok(templates::generic_page(&worker, &iri, &generic).into_string())
    })
    .await;
    match rendered {
        Ok(Ok(page)) => Html(page).into_response(),
        Ok(Err(e)) => e.for_request(&headers).into_response(),
        Err(e) => HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}
