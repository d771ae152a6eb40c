//! The W3C Reconciliation Service API, version 0.2 (the Entity
//! Reconciliation Community Group's specification), at `/reconcile`, for
//! OpenRefine and other reconciliation clients:
//!
//! - `GET /reconcile`: the service manifest (identifier space the base IRI,
//!   schema space the vocabulary, one default type per entity kind);
//! - `GET|POST /reconcile?queries=BATCH`: reconciliation queries
//!   ([`matching`]), with types, properties, `limit` and `type_strict`;
//! - `GET /reconcile/suggest/{entity,type,property}?prefix=P&cursor=N`:
//!   suggestions, [`SUGGEST_SIZE`] at a time;
//! - `GET /reconcile/preview?id=ID`: an HTML preview of an entity;
//! - `GET /reconcile/properties?type=T`: the properties proposed for a
//!   type, and `GET|POST /reconcile?extend=REQUEST`: their values on many
//!   entities ([`extend`]).
//!
//! Names are in English or Chinese: `lang=en|zh`, else `Accept-Language`
//! (as every page, [`crate::i18n`]). A GET answer is wrapped for JSONP
//! when it gives `callback` (the specification allows JSONP beside CORS,
//! which every answer of the server allows). Every request that reads the
//! store holds a slot of the read pool (it is routed with the other
//! reads); every read is an index lookup or a quad pattern from a bound
//! term, with a limit.

mod extend;
mod facts;
mod matching;
mod terms;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use coopgraph_model::schema::KINDS;
use coopgraph_search::normalize;
use maud::{Markup, html};
use serde_json::{Value as Json, json};

use crate::error::HttpError;
use crate::i18n::{self, Lang};
use crate::templates::href;
use crate::{AppState, Shared};

/// Suggestions of one answer.
pub(crate) const SUGGEST_SIZE: usize = 10;
/// The preview's frame, in pixels.
const PREVIEW_WIDTH: u32 = 420;
const PREVIEW_HEIGHT: u32 = 180;
/// Aliases a preview shows, at most.
const PREVIEW_ALIASES: usize = 8;
/// The longest suggest prefix, in characters.
const MAX_PREFIX: usize = 200;

/// The routes, for the router's group of store reads (which holds a slot
/// around each).
pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route("/reconcile", get(service).post(service))
        .route("/reconcile/suggest/{class}", get(suggest))
        .route("/reconcile/preview", get(preview))
        .route("/reconcile/properties", get(propose))
}

fn bad(message: impl Into<String>) -> HttpError {
    HttpError::new(StatusCode::BAD_REQUEST, message)
}

/// The parameters of a request: its query string, then its form body.
#[derive(Debug, Default)]
struct Params {
    pairs: Vec<(String, String)>,
    /// Came from a GET (JSONP is offered to those only).
    get: bool,
}

impl Params {
    fn read(raw: Option<&str>, headers: &HeaderMap, body: &[u8], get: bool) -> Result<Self, HttpError> {
        let mut pairs: Vec<(String, String)> = form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        if !body.is_empty() {
            let media = headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(';').next())
                .map(|v| v.trim().to_ascii_lowercase())
                .unwrap_or_default();
            if media != "application/x-www-form-urlencoded" {
                return Err(HttpError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    format!(
                        "a body of type {media:?}: expected application/x-www-form-urlencoded with queries= or extend="
                    ),
                ));
            }
            let text = std::str::from_utf8(body).map_err(|_| bad("the form body is not UTF-8"))?;
            pairs.extend(form_urlencoded::parse(text.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())));
        }
        Ok(Self { pairs, get })
    }

    /// The one value of `name`; two are an error.
    fn one(&self, name: &str) -> Result<Option<&str>, HttpError> {
        let mut values = self.pairs.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str());
        let first = values.next();
        if values.next().is_some() {
            return Err(bad(format!("{name} given twice: expected it once")));
        }
        Ok(first)
    }

    /// The language of the names: `lang`, else the request's
    /// (`Accept-Language`, the `lang` cookie), else English.
    fn lang(&self, headers: &HeaderMap) -> Result<Lang, HttpError> {
        match self.one("lang")? {
            None | Some("") => Ok(i18n::of_request("", headers).0),
            Some(tag) => match tag.split(['-', '_']).next().map(str::to_ascii_lowercase).as_deref() {
                Some("en") => Ok(Lang::En),
                Some("zh") => Ok(Lang::Zh),
                _ => Err(bad(format!("lang={tag:?}: expected en or zh"))),
            },
        }
    }

    /// The JSONP callback, checked to be a name (a GET only).
    fn callback(&self) -> Result<Option<String>, HttpError> {
        let Some(name) = self.one("callback")?.filter(|c| !c.is_empty()) else { return Ok(None) };
        let ok = name.len() <= 64
            && name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '$' | '.'));
        if !self.get {
            return Err(bad("callback: JSONP is offered to GET requests only"));
        }
        if !ok {
            return Err(bad(format!("callback={name:?}: expected a JavaScript name (letters, digits, _ $ .)")));
        }
        Ok(Some(name.to_owned()))
    }

    /// A whole number parameter, `default` when absent.
    fn number(&self, name: &str, default: usize) -> Result<usize, HttpError> {
        match self.one(name)?.filter(|v| !v.is_empty()) {
            None => Ok(default),
            Some(v) => v.parse().map_err(|_| bad(format!("{name}={v:?}: expected a whole number from 0"))),
        }
    }
}

/// A JSON answer, or JSONP when a callback was given.
fn answer(json: &Json, callback: Option<&str>, lang: Lang) -> Response {
    let text = json.to_string();
    let mut response = match callback {
        Some(name) => ([(header::CONTENT_TYPE, "application/javascript")], format!("{name}({text});")).into_response(),
        None => ([(header::CONTENT_TYPE, "application/json")], text).into_response(),
    };
    let headers = response.headers_mut();
    headers.insert(header::VARY, HeaderValue::from_static(i18n::VARY));
    headers.insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(lang.tag()));
    response
}

/// The request body, read by `limits::read_body` within its limits.
fn body_of(state: &AppState, body: Result<Bytes, BytesRejection>) -> Result<Bytes, HttpError> {
    body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            crate::limits::body_too_large(state.config.max_body_bytes)
        } else {
            HttpError::new(e.status(), format!("cannot read the request body: {e}"))
        }
    })
}

/// Runs `work` on a blocking thread (the slot is held by the route layer).
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, HttpError> + Send + 'static,
) -> Result<T, HttpError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
}

/// `GET|POST /reconcile`: the manifest, or the answers to `queries`, or
/// the values of `extend`.
async fn service(
    State(state): State<Shared>,
    method: axum::http::Method,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let result = async {
        let body = body_of(&state, body)?;
        let params = Params::read(raw.as_deref(), &headers, &body, method == axum::http::Method::GET)?;
        let lang = params.lang(&headers)?;
        let callback = params.callback()?;
        let queries = params.one("queries")?.map(str::to_owned);
        let extend = params.one("extend")?.map(str::to_owned);
        let json = match (queries, extend) {
            (Some(_), Some(_)) => return Err(bad("queries and extend in one request: expected one of them")),
            (Some(text), None) => {
                let batch = matching::parse_batch(state.ns(), &text)?;
                let worker = state.clone();
                blocking(move || {
                    let snapshot = worker.snapshot();
                    let sources =
                        matching::Sources { store: &snapshot.store, index: &snapshot.search, ns: worker.ns(), lang };
                    matching::answer_batch(&sources, &batch).map(Json::Object)
                })
                .await?
            }
            (None, Some(text)) => {
                let request = extend::parse(state.ns(), &text)?;
                let worker = state.clone();
                blocking(move || extend::extend(&worker.snapshot().store, worker.ns(), &request, lang)).await?
            }
            (None, None) => manifest(&state, lang),
        };
        Ok::<_, HttpError>(answer(&json, callback.as_deref(), lang))
    };
    result.await.unwrap_or_else(IntoResponse::into_response)
}

/// The service URL of the suggest and proposal services: the public URL
/// without its last `/` (their paths start with one).
fn service_url(state: &AppState) -> String {
    state.config.public_url.trim_end_matches('/').to_owned()
}

/// The service manifest.
fn manifest(state: &AppState, lang: Lang) -> Json {
    let ns = state.ns();
    let public = &state.config.public_url;
    let service = service_url(state);
    let path = |p: &str| json!({ "service_url": service, "service_path": p });
    let types: Vec<Json> =
        KINDS.iter().map(|k| json!({ "id": terms::type_id(k), "name": terms::type_name(k, lang) })).collect();
    json!({
        "versions": ["0.1", "0.2"],
        "name": lang.t("coopgraph: law-enforcement and security cooperation", "coopgraph：执法与安全合作"),
        "identifierSpace": ns.base(),
        "schemaSpace": ns.vocab(),
        "documentation": public,
        "serviceVersion": env!("CARGO_PKG_VERSION"),
        "view": { "url": format!("{public}page/{{{{id}}}}") },
        "preview": {
            "url": format!("{public}reconcile/preview?id={{{{id}}}}&lang={}", lang.tag()),
            "width": PREVIEW_WIDTH,
            "height": PREVIEW_HEIGHT,
        },
        "defaultTypes": types,
        "suggest": {
            "entity": path("/reconcile/suggest/entity"),
            "type": path("/reconcile/suggest/type"),
            "property": path("/reconcile/suggest/property"),
        },
        "extend": {
            "propose_properties": path("/reconcile/properties"),
            "property_settings": [{
                "name": "limit",
                "label": lang.t("Values per entity", "每个实体的值数"),
                "type": "number",
                "default": extend::DEFAULT_VALUES,
                "help_text": lang.t(
                    "The most values fetched for one entity (at most 500).",
                    "每个实体最多取回的值数（不超过 500）。",
                ),
            }],
        },
    })
}

/// `GET /reconcile/suggest/{entity,type,property}?prefix=P&cursor=N`
/// (entities also by `type=T`).
async fn suggest(
    State(state): State<Shared>,
    Path(class): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let result = async {
        let params = Params::read(raw.as_deref(), &headers, &[], true)?;
        let lang = params.lang(&headers)?;
        let callback = params.callback()?;
        let prefix = params.one("prefix")?.unwrap_or_default().trim().to_owned();
        if prefix.chars().count() > MAX_PREFIX {
            return Err(bad(format!("prefix: longer than {MAX_PREFIX} characters")));
        }
        let cursor = params.number("cursor", 0)?;
        let folded = normalize(&prefix);
        let result: Vec<Json> = match class.as_str() {
            "entity" => {
                let kinds = match params.one("type")?.filter(|t| !t.is_empty()) {
                    None => Vec::new(),
                    Some(t) => vec![terms::kind_of_type(state.ns(), t).ok_or_else(|| {
                        bad(format!("type={t:?}: unknown type; expected one of {}", terms::type_ids()))
                    })?],
                };
                let worker = state.clone();
                blocking(move || suggest_entities(&worker, &prefix, &kinds, cursor, lang)).await?
            }
            "type" => KINDS
                .iter()
                .filter(|k| [k.class_name, k.label_en, k.label_zh].iter().any(|t| terms::starts(&folded, t)))
                .skip(cursor)
                .take(SUGGEST_SIZE)
                .map(|k| {
                    json!({
                        "id": terms::type_id(k),
                        "name": terms::type_name(k, lang),
                        "description": lang.t(k.comment_en, k.comment_zh),
                    })
                })
                .collect(),
            "property" => terms::properties()
                .filter(|p| [p.id(), p.name(Lang::En), p.name(Lang::Zh)].iter().any(|t| terms::starts(&folded, t)))
                .skip(cursor)
                .take(SUGGEST_SIZE)
                .map(|p| json!({ "id": p.id(), "name": p.name(lang), "description": p.description(lang) }))
                .collect(),
            other => {
                return Err(HttpError::new(
                    StatusCode::NOT_FOUND,
                    format!("no suggest service {other:?}: expected entity, type or property"),
                ));
            }
        };
        Ok(answer(&json!({ "result": result }), callback.as_deref(), lang))
    };
    result.await.unwrap_or_else(IntoResponse::into_response)
}

/// Entities whose names start with `prefix` (the search index's order: exact
/// names, then prefixes, words, substrings), the entity it is the id of
/// first.
fn suggest_entities(
    state: &AppState,
    prefix: &str,
    kinds: &[&'static coopgraph_model::schema::KindSpec],
    cursor: usize,
    lang: Lang,
) -> Result<Vec<Json>, HttpError> {
    if prefix.is_empty() {
        return Ok(Vec::new());
    }
    let snapshot = state.snapshot();
    let ns = state.ns();
    let names: Vec<&str> = kinds.iter().map(|k| k.name).collect();
    let mut records = Vec::new();
    if cursor == 0
        && let Some(iri) = facts::entity_iri(&snapshot.store, ns, prefix)?
        && let Some(record) = facts::record(&snapshot.store, ns, &iri)?
        && (names.is_empty() || names.contains(&record.kind.as_str()))
    {
        records.push(record);
    }
    let page = snapshot
        .search
        .search_kinds(prefix, lang.tag(), &names, cursor, SUGGEST_SIZE)
        .map_err(|e| HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    for hit in page.hits {
        if !records.iter().any(|r| r.iri == hit.record.iri) {
            records.push(hit.record);
        }
    }
    records.truncate(SUGGEST_SIZE);
    Ok(records
        .into_iter()
        .map(|record| {
            let name = facts::name_of(&record, lang);
            let kind = coopgraph_model::schema::EntityKind::from_name(&record.kind).map(|k| k.spec());
            let mut item = json!({ "id": record.id, "name": name });
            if let Json::Object(map) = &mut item {
                if let Some(other) = record.label_in(lang.other().tag()).filter(|o| *o != name) {
                    map.insert("description".into(), json!(other));
                }
                if let Some(k) = kind {
                    map.insert(
                        "notable".into(),
                        json!([{ "id": terms::type_id(k), "name": terms::type_name(k, lang) }]),
                    );
                }
            }
            item
        })
        .collect())
}

/// `GET /reconcile/properties?type=T&limit=N`.
async fn propose(State(state): State<Shared>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let result = (|| {
        let params = Params::read(raw.as_deref(), &headers, &[], true)?;
        let lang = params.lang(&headers)?;
        let callback = params.callback()?;
        let json = extend::propose(state.ns(), params.one("type")?, params.one("limit")?, lang)?;
        Ok::<_, HttpError>(answer(&json, callback.as_deref(), lang))
    })();
    result.unwrap_or_else(IntoResponse::into_response)
}

/// `GET /reconcile/preview?id=ID`: a small HTML page of the entity: its
/// names in both languages, kind, description, Wikidata item and a link
/// to its page.
async fn preview(State(state): State<Shared>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let result = async {
        let params = Params::read(raw.as_deref(), &headers, &[], true)?;
        let lang = params.lang(&headers)?;
        let Some(id) = params.one("id")?.filter(|i| !i.trim().is_empty()).map(str::to_owned) else {
            return Err(bad("id: expected the id of an entity, as /reconcile/preview?id=china"));
        };
        let worker = state.clone();
        let markup = blocking(move || {
            let snapshot = worker.snapshot();
            let ns = worker.ns();
            let store = &snapshot.store;
            let found = facts::entity_iri(store, ns, &id)?;
            let Some((iri, record)) =
                found.and_then(|iri| facts::record(store, ns, &iri).transpose().map(|r| (iri, r)))
            else {
                return Err(HttpError::new(StatusCode::NOT_FOUND, format!("no entity has the id {id:?}")));
            };
            let record = record?;
            let description = facts::description(store, &iri)?;
            let wikidata = facts::values(store, ns, &iri, terms::Property::Wikidata, 1)?;
            Ok(preview_page(&worker, lang, &record, description.as_deref(), wikidata.first()))
        })
        .await?;
        let mut response = axum::response::Html(markup.into_string()).into_response();
        response.headers_mut().insert(header::VARY, HeaderValue::from_static(i18n::VARY));
        response.headers_mut().insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(lang.tag()));
        Ok::<_, HttpError>(response)
    };
    result.await.unwrap_or_else(IntoResponse::into_response)
}

fn preview_page(
    state: &AppState,
    lang: Lang,
    record: &coopgraph_search::Record,
    description: Option<&str>,
    wikidata: Option<&facts::Value>,
) -> Markup {
    let name = facts::name_of(record, lang);
    let other = record.label_in(lang.other().tag()).filter(|o| *o != name);
    let kind = coopgraph_model::schema::EntityKind::from_name(&record.kind).map(|k| k.spec());
    let page = format!("{}{}", state.config.public_url, href(state.ns(), &record.iri).trim_start_matches('/'));
    let aliases: Vec<&str> = record.aliases.iter().map(|a| a.text.as_str()).take(PREVIEW_ALIASES).collect();
    html! {
        (maud::DOCTYPE)
        html lang=(lang.tag()) {
            head {
                meta charset="utf-8";
                title { (name) }
                style { "body{font:14px/1.4 system-ui,sans-serif;margin:8px}h1{font-size:16px;margin:0}.muted{color:#555}p{margin:4px 0}" }
            }
            body {
                h1 {
                    a href=(page) target="_blank" { (name) }
                    @if let Some(other) = other { " " span.muted lang=(lang.other().tag()) { (other) } }
                }
                p.muted {
                    @if let Some(k) = kind { (terms::type_name(k, lang)) " · " }
                    code { (record.id) }
                    @if let Some(facts::Value::Text(q)) = wikidata {
                        " · " a href=(format!("{}{q}", coopgraph_rdf::vocab::WD)) target="_blank" { "Wikidata " (q) }
                    }
                }
                @if !aliases.is_empty() {
                    p { (lang.t("Also: ", "又称：")) (aliases.join(" · ")) }
                }
                @if let Some(d) = description { p { (d) } }
            }
        }
    }
}
