//! The graph explorer: `/explore?focus=ID` in a browser (Cytoscape.js,
//! vendored into the binary: [`crate::assets`]), and the bounded JSON of
//! one entity's neighbours it expands nodes with,
//! `/explore/neighbours/ID.json?offset=M&limit=N&relation=NAME&direction=out|in|both`.
//!
//! What the page draws comes from one table each, emitted into the page as
//! JSON: kinds (with their shapes, colours and sizes) from the views'
//! palette, the same as the DOT, GraphML and Cytoscape exports; relation
//! types with their colours from the same palette; the interface's words
//! from [`crate::i18n`]. The script (`assets/explorer.js`) copies none of them.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use coopgraph_model::schema::{KINDS, RELATION_TYPES, RelationType};
use coopgraph_views::palette;
use maud::{PreEscaped, html};
use serde_json::{Value, json};

use crate::describe::{self, ExploreEdge, ExploreNode, NeighbourQuery, Neighbourhood};
use crate::error::HttpError;
use crate::i18n::{self, Lang};
use crate::templates::Ui;
use crate::{AppState, Shared};

/// Links of one answer when `limit` is not given.
pub(crate) const DEFAULT_LIMIT: usize = 50;
/// The largest `limit`.
pub(crate) const MAX_LIMIT: usize = 200;

/// The parameters of a neighbours request, checked: 400 with what was
/// expected for anything else.
fn parse_query(raw: &str) -> Result<NeighbourQuery, HttpError> {
    let bad = |m: String| HttpError::new(StatusCode::BAD_REQUEST, m);
    let mut query =
        NeighbourQuery { offset: 0, limit: DEFAULT_LIMIT, relations: Vec::new(), outgoing: true, incoming: true };
    for (key, value) in form_urlencoded::parse(raw.as_bytes()) {
        match &*key {
            "offset" => {
                query.offset =
                    value.parse().map_err(|_| bad(format!("offset={value:?}: expected a whole number from 0")))?;
            }
            "limit" => {
                query.limit =
                    value.parse().ok().filter(|n| (1..=MAX_LIMIT).contains(n)).ok_or_else(|| {
                        bad(format!("limit={value:?}: expected a whole number from 1 to {MAX_LIMIT}"))
                    })?;
            }
            "relation" => {
                for name in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                    let relation = RELATION_TYPES.iter().find(|r| r.name == name).ok_or_else(|| {
                        let names: Vec<&str> = RELATION_TYPES.iter().map(|r| r.name).collect();
                        bad(format!("relation={name:?}: expected one of {}", names.join(", ")))
                    })?;
                    if !query.relations.iter().any(|r| std::ptr::eq(*r, relation)) {
                        query.relations.push(relation);
                    }
                }
            }
            "direction" => {
                (query.outgoing, query.incoming) = match &*value {
                    "out" => (true, false),
                    "in" => (false, true),
                    "both" => (true, true),
                    other => return Err(bad(format!("direction={other:?}: expected out, in or both"))),
                };
            }
            other => {
                return Err(bad(format!("unknown parameter {other:?}: expected offset, limit, relation or direction")));
            }
        }
    }
    // The schema's order, whatever the order asked in.
    query.relations.sort_by_key(|r| r.index());
    Ok(query)
}

fn node_json(node: &ExploreNode) -> Value {
    json!({
        "id": node.id,
        "iri": node.iri.as_str(),
        "kind": node.kind.map(|k| k.name),
        "labels": node.labels,
        "degree": node.degree,
        "degree_capped": node.degree >= describe::DEGREE_LIMIT,
        "page": format!("/page/{}", node.id),
    })
}

fn edge_json(ns: &coopgraph_rdf::Namespaces, edge: &ExploreEdge) -> Value {
    let dates: serde_json::Map<String, Value> =
        edge.dates.iter().map(|(k, v)| ((*k).to_owned(), Value::String(v.clone()))).collect();
    let mut sources: Vec<&str> = edge.cites.iter().map(|c| c.source.as_str()).collect();
    sources.dedup();
    let id = edge
        .statement
        .as_ref()
        .map_or_else(|| format!("{}.{}.{}", edge.subject, edge.relation.name, edge.object), |s| s.as_str().to_owned());
    json!({
        "id": id,
        "statement": edge.statement.as_ref().map(|s| s.as_str()),
        "relation": edge.relation.name,
        "source": edge.subject,
        "target": edge.object,
        "role": edge.role,
        "dates": dates,
        "earliest": edge.earliest,
        "latest": edge.latest,
        "documents": sources,
        "citations": edge.cites.iter().map(|c| json!({
            "source": c.source,
            "paragraph": c.paragraph,
            "lang": c.lang,
            "iri": format!("{}source/{}#{}", ns.base(), c.source, c.anchor()),
            "href": crate::templates::cite_href(c),
        })).collect::<Vec<_>>(),
    })
}

/// The JSON answer: see README, "Explorer".
fn answer_json(ns: &coopgraph_rdf::Namespaces, id: &str, query: &NeighbourQuery, found: &Neighbourhood) -> Value {
    let shown = query.offset.saturating_add(found.links).min(found.total);
    let left_out = found.total - shown;
    let next = (left_out > 0).then(|| {
        let mut url = format!("/explore/neighbours/{id}.json?offset={shown}&limit={}", query.limit);
        if !query.relations.is_empty() {
            let names: Vec<&str> = query.relations.iter().map(|r| r.name).collect();
            url.push_str(&format!("&relation={}", names.join(",")));
        }
        match (query.outgoing, query.incoming) {
            (true, false) => url.push_str("&direction=out"),
            (false, true) => url.push_str("&direction=in"),
            _ => {}
        }
        url
    });
    json!({
        "focus": node_json(&found.focus),
        "offset": query.offset,
        "limit": query.limit,
        "total": found.total,
        "links": found.links,
        "left_out": left_out,
        "next": next,
        "counts": found.counts.iter().map(|c| json!({
            "relation": c.relation.name,
            "direction": if c.outgoing { "out" } else { "in" },
            "count": c.count,
        })).collect::<Vec<_>>(),
        "nodes": found.nodes.iter().map(node_json).collect::<Vec<_>>(),
        "edges": found.edges.iter().map(|e| edge_json(ns, e)).collect::<Vec<_>>(),
    })
}

/// `GET /explore/neighbours/{ID}.json`: one page of the neighbours of an
/// entity (the route's layer holds a slot of the read pool).
pub(crate) async fn neighbours(
    State(state): State<Shared>,
    Path(file): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let answer = async {
        let id = file.strip_suffix(".json").ok_or_else(|| {
            HttpError::new(StatusCode::NOT_FOUND, format!("{file:?}: expected an entity id followed by .json"))
        })?;
        let entity = coopgraph_model::EntityId::new(id)
            .map_err(|e| HttpError::new(StatusCode::BAD_REQUEST, format!("{id:?} is not an entity id: {e}")))?;
        let query = parse_query(raw.as_deref().unwrap_or_default())?;
        let iri = state.ns().entity(&entity);
        let worker = state.clone();
        let asked = query.clone();
        let found = tokio::task::spawn_blocking(move || {
            describe::neighbours(&worker.snapshot().store, worker.ns(), &iri, &asked)
        })
        .await
        .map_err(|e| HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))??;
        let found = found.ok_or_else(|| {
            HttpError::new(StatusCode::NOT_FOUND, format!("no entity of the dataset has the id {id:?}"))
        })?;
        Ok::<_, HttpError>(answer_json(state.ns(), id, &query, &found))
    };
    match answer.await {
        Ok(body) => {
            let mut response = body.to_string().into_response();
            response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            response
        }
        Err(e) => e.into_response(),
    }
}

fn relation_json(relation: &RelationType) -> Value {
    let (colour, line) = palette::relation_style(relation);
    json!({
        "name": relation.name,
        "label_en": relation.label_en,
        "label_zh": relation.label_zh,
        "colour": colour,
        "line_style": if line == "bold" { "solid" } else { line },
        "width": if line == "bold" { 3.0 } else { 1.5 },
    })
}

/// The explorer's settings, read by `explorer.js`: the tables it draws by
/// and the words of its interface in the page's language.
fn settings(lang: Lang, focus: Option<&str>) -> String {
    let t = |en: &'static str, zh: &'static str| lang.t(en, zh);
    let kinds: Vec<Value> = KINDS
        .iter()
        .map(|k| {
            let style = palette::kind_style(k.kind);
            json!({
                "class": k.class_name,
                "name": k.name,
                "label_en": k.label_en,
                "label_zh": k.label_zh,
                "fill": style.fill,
                "border": style.border,
                "shape": style.cytoscape_shape,
                "yed_shape": style.yed_shape,
                "size": style.size,
            })
        })
        .collect();
    let words = json!({
        "search": t("Start from an entity", "从实体开始"),
        "search_hint": t("type a name, then pick it", "输入名称后选择"),
        "empty": t("Pick an entity to start from, then click a node to expand its neighbours.", "选择一个起始实体，然后点击节点展开其关联实体。"),
        "more": t("more", "更多"),
        "left_out": t("links not loaded yet; click the node again to load more", "条关系尚未载入；再次点击节点以载入更多"),
        "loaded": t("loaded", "已载入"),
        "nodes": t("nodes", "节点"),
        "edges": t("edges", "边"),
        "hidden": t("hidden by filters", "被筛选隐藏"),
        "open_page": t("Open its page", "打开页面"),
        "statement": t("statement", "陈述"),
        "sources": t("sources", "来源"),
        "dates": t("dates", "日期"),
        "role": t("role", "角色"),
        "degree": t("relations", "关系数"),
        "collapsed": t("leaves collapsed; click to show them", "个叶节点已折叠；点击展开"),
        "all_documents": t("every source document", "所有来源文献"),
        "error": t("Could not load the neighbours", "无法载入关联实体"),
        "no_match": t("nothing found", "未找到"),
    });
    let json = json!({
        "neighbours": "/explore/neighbours/",
        "search": "/search.json",
        "limit": DEFAULT_LIMIT,
        "degree_limit": describe::DEGREE_LIMIT,
        "lang": lang.tag(),
        "focus": focus,
        "kinds": kinds,
        "relations": RELATION_TYPES.iter().map(relation_json).collect::<Vec<_>>(),
        "words": words,
    });
    // Inside <script>: `</` would end it.
    json.to_string().replace("</", "<\\/")
}

/// `GET /explore?focus=ID&lang=zh`: the explorer's page. It reads nothing
/// of the store itself: the script asks for each node's neighbours.
pub(crate) async fn page(State(state): State<Shared>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let raw = raw.unwrap_or_default();
    let (lang, asked) = i18n::of_request(&raw, &headers);
    let mut focus = None;
    let mut embedded = false;
    for (key, value) in form_urlencoded::parse(raw.as_bytes()) {
        match &*key {
            "embed" => match &*value {
                "1" => embedded = true,
                "0" | "" => embedded = false,
                other => {
                    let mut error =
                        HttpError::new(StatusCode::BAD_REQUEST, format!("embed={other:?}: expected 1 or 0"));
                    error.html = true;
                    return error.into_response();
                }
            },
            "focus" if !value.is_empty() => match coopgraph_model::EntityId::new(&value) {
                Ok(_) => focus = Some(value.into_owned()),
                Err(e) => {
                    let mut error =
                        HttpError::new(StatusCode::BAD_REQUEST, format!("focus={value:?}: expected an entity id: {e}"));
                    error.html = true;
                    return error.into_response();
                }
            },
            _ => {}
        }
    }
    let ui = Ui::new(lang, "/explore", &raw);
    let body = explorer_page(&state, &ui, focus.as_deref(), embedded).into_string();
    crate::pages::in_language(body, lang, asked)
}

/// The explorer's page; `embedded` is its compact form that entity pages
/// frame (`?embed=1`): the graph and its details without the controls, the
/// site's header or the title, and links that open in the framing page.
fn explorer_page(state: &AppState, ui: &Ui, focus: Option<&str>, embedded: bool) -> maud::Markup {
    let lib = crate::assets::cytoscape_dir();
    let own = crate::assets::explorer_dir();
    let head = html! {
        link rel="stylesheet" href=(format!("{own}/explorer.css"));
        @if embedded { base target="_top"; }
    };
    let t = |en, zh| ui.t(en, zh);
    let body = html! {
        @if !embedded { h1 { (t("Graph explorer", "关系图浏览")) } }
        noscript { p { (t("The explorer needs JavaScript; every entity's page lists its relations without it.", "浏览器需要启用 JavaScript；每个实体的页面无需脚本即可列出其关系。")) } }
        div #explorer class=[embedded.then_some("embedded")] {
            aside #explorer-controls {
                form #explorer-search autocomplete="off" {
                    label for="explorer-q" { (t("Start from an entity", "从实体开始")) }
                    input #explorer-q type="search" name="q" placeholder=(t("China, SCO, 中国…", "中国、上合组织…"));
                    ul #explorer-hits role="listbox" {}
                }
                fieldset #filter-kinds { legend { (t("Kinds", "类型")) } }
                fieldset #filter-relations { legend { (t("Relation types", "关系类型")) } }
                fieldset {
                    legend { (t("Source document", "来源文献")) }
                    select #filter-source {}
                }
                fieldset #filter-period {
                    legend { (t("Period", "时期")) }
                    label { (t("from", "自")) " " input #period-from type="range"; output #period-from-out {} }
                    label { (t("to", "至")) " " input #period-to type="range"; output #period-to-out {} }
                    label { input #period-undated type="checkbox" checked; " " (t("keep undated relations", "保留无日期的关系")) }
                }
                fieldset {
                    legend { (t("Hubs", "枢纽节点")) }
                    label { (t("hide nodes with more relations than", "隐藏关系数超过此值的节点")) " " input #hub-max type="number" min="1" placeholder="—"; }
                    label { input #hub-collapse type="checkbox"; " " (t("collapse the leaves of hubs", "折叠枢纽节点的叶节点")) }
                }
                fieldset {
                    legend { (t("Labels", "标签")) }
                    select #label-lang {
                        option value="en" selected[ui.lang == Lang::En] { "English" }
                        option value="zh" selected[ui.lang == Lang::Zh] { "中文" }
                    }
                }
                fieldset {
                    legend { (t("Export", "导出")) }
                    button #export-png type="button" { "PNG" }
                    button #export-svg type="button" { "SVG" }
                    button #export-graphml type="button" title=(t("the selected nodes and edges, or all shown", "所选节点和边，未选择时为所有显示的")) { "GraphML" }
                }
            }
            div #explorer-main {
                div #explorer-status role="status" {}
                div #cy {}
                div #explorer-info {}
            }
        }
        script #explorer-settings type="application/json" { (PreEscaped(settings(ui.lang, focus))) }
        script src=(format!("{lib}/cytoscape.min.js")) {}
        script src=(format!("{own}/explorer.js")) {}
    };
    crate::templates::layout_in(state, ui, ui.t("Graph explorer", "关系图浏览"), head, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_checked_with_what_was_expected() {
        let q = parse_query("offset=50&limit=10&relation=participated_in,member_of&direction=out").unwrap();
        assert_eq!((q.offset, q.limit, q.outgoing, q.incoming), (50, 10, true, false));
        let names: Vec<&str> = q.relations.iter().map(|r| r.name).collect();
        let mut by_schema = names.clone();
        by_schema.sort_by_key(|n| RELATION_TYPES.iter().position(|r| r.name == *n));
        assert_eq!(names, by_schema, "relations come in the schema's order");
        for (raw, expected) in [
            ("limit=0", "expected a whole number from 1 to 200"),
            ("limit=201", "expected a whole number from 1 to 200"),
            ("offset=-1", "expected a whole number from 0"),
            ("relation=friend_of", "expected one of "),
            ("direction=up", "expected out, in or both"),
            ("depth=2", "expected offset, limit, relation or direction"),
        ] {
            let e = parse_query(raw).unwrap_err();
            assert_eq!(e.status, StatusCode::BAD_REQUEST, "{raw}");
            assert!(e.message.contains(expected), "{raw}: {}", e.message);
        }
        assert_eq!(parse_query("").unwrap().limit, DEFAULT_LIMIT);
    }

    #[test]
    fn the_settings_carry_the_palette_of_every_kind_and_relation_type() {
        let s: Value = serde_json::from_str(&settings(Lang::Zh, Some("china"))).unwrap();
        assert_eq!(s["kinds"].as_array().unwrap().len(), KINDS.len());
        assert_eq!(s["relations"].as_array().unwrap().len(), RELATION_TYPES.len());
        let country = KINDS.iter().find(|k| k.class_name == "Country").unwrap();
        assert_eq!(s["kinds"][0]["fill"], palette::kind_style(country.kind).fill);
        assert_eq!(s["relations"][0]["colour"], palette::relation_style(&RELATION_TYPES[0]).0);
        assert_eq!(s["lang"], "zh");
        assert_eq!(s["words"]["search"], "从实体开始");
    }
}
