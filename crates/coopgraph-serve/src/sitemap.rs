//! For crawlers: `/robots.txt`, and the sitemaps of every HTML page worth
//! indexing. `/sitemap.xml` is a sitemap index (read from the counts kept
//! beside the store, no store read): one sitemap of the site's own pages
//! (home, ontology, class pages, source documents), then for each kind the
//! pages of its entities, [`PER_SITEMAP`] to a file (the protocol allows
//! 50,000), at `/sitemaps/KIND-N.xml`, each read from the store's index of
//! types from where it starts.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use coopgraph_model::schema::KINDS;

use crate::Shared;
use crate::error::HttpError;

/// Entity pages listed in one sitemap.
pub(crate) const PER_SITEMAP: usize = 50_000;

const XML: &str = "application/xml";

/// Text escaped for XML.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// `GET /robots.txt`: crawl the pages, not the endpoints or the dumps.
pub async fn robots(State(state): State<Shared>) -> Response {
    let body = format!(
        "# coopgraph: the HTML pages are for crawlers; queries, search and dumps are not.\n\
         User-agent: *\nDisallow: /sparql\nDisallow: /queries/\nDisallow: /search\nDisallow: /dumps/\n\
         Sitemap: {}sitemap.xml\n",
        state.config.public_url
    );
    ([(header::CONTENT_TYPE, "text/plain")], body).into_response()
}

/// The sitemaps of one kind's entities: (file name, class IRI, entities).
fn kind_sitemaps(state: &crate::AppState) -> Vec<(String, String, usize, usize)> {
    let snapshot = state.snapshot();
    let mut out = Vec::new();
    for k in KINDS {
        let class = state.ns().term(k.class_name);
        let n = usize::try_from(snapshot.stats.instances(class.as_str())).unwrap_or(usize::MAX);
        for part in 0..n.div_ceil(PER_SITEMAP) {
            out.push((format!("{}-{}.xml", k.class_name, part + 1), class.as_str().to_owned(), part, n));
        }
    }
    out
}

/// `GET /sitemap.xml`: the sitemap index.
pub async fn index(State(state): State<Shared>) -> Response {
    let public = &state.config.public_url;
    let mut body = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut files = vec!["pages.xml".to_owned()];
    files.extend(kind_sitemaps(&state).into_iter().map(|(f, ..)| f));
    for f in files {
        body.push_str(&format!("  <sitemap><loc>{}</loc></sitemap>\n", escape(&format!("{public}sitemaps/{f}"))));
    }
    body.push_str("</sitemapindex>\n");
    ([(header::CONTENT_TYPE, XML)], body).into_response()
}

fn urlset(urls: impl IntoIterator<Item = String>) -> String {
    let mut body = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for u in urls {
        body.push_str(&format!("  <url><loc>{}</loc></url>\n", escape(&u)));
    }
    body.push_str("</urlset>\n");
    body
}

/// `GET /sitemaps/{file}`: `pages.xml`, or `KIND-N.xml`.
pub async fn sitemap(State(state): State<Shared>, Path(file): Path<String>, headers: HeaderMap) -> Response {
    let public = state.config.public_url.clone();
    if file == "pages.xml" {
        let ns = state.ns();
        let mut urls = vec![public.clone(), format!("{public}ontology")];
        urls.extend(KINDS.iter().map(|k| format!("{public}ontology/{}", k.class_name)));
        let snapshot = state.snapshot();
        let sources = format!("{}source/", ns.base());
        urls.extend(
            snapshot
                .summary
                .graphs
                .iter()
                .filter_map(|(g, _)| g.as_str().strip_prefix(&sources))
                .map(|id| format!("{public}page/source/{id}")),
        );
        return ([(header::CONTENT_TYPE, XML)], urlset(urls)).into_response();
    }
    let Some((_, class, part, _)) = kind_sitemaps(&state).into_iter().find(|(f, ..)| *f == file) else {
        return HttpError::new(StatusCode::NOT_FOUND, format!("no sitemap is called {file}; see /sitemap.xml"))
            .for_request(&headers)
            .into_response();
    };
    let worker = state.clone();
    let read = tokio::task::spawn_blocking(move || {
        let class = coopgraph_rdf::oxigraph::model::NamedNode::new_unchecked(class);
        let store = worker.store();
        crate::describe::instance_iris(&store, &class, part.saturating_mul(PER_SITEMAP), PER_SITEMAP)
    })
    .await;
    match read {
        Ok(Ok(iris)) => {
            let ns = state.ns();
            let urls = iris
                .iter()
                .filter_map(|i| crate::catalog::local_path(ns, i.as_str()))
                .map(|p| format!("{public}page/{p}"));
            ([(header::CONTENT_TYPE, XML)], urlset(urls.collect::<Vec<_>>())).into_response()
        }
        Ok(Err(e)) => HttpError::from(e).for_request(&headers).into_response(),
        Err(e) => {
            HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).for_request(&headers).into_response()
        }
    }
}
