//! The query editor at `/sparql` for browsers: YASGUI ([`crate::assets`])
//! over a plain form that works without JavaScript, the bundled queries in
//! a picker with their parameters, and errors shown on the query with the
//! position marked.
//!
//! What the page knows comes from one place each: the prefixes from
//! `coopgraph_rdf::export::prefixes`, the queries and their parameters
//! from the query library (the server's `examples`), the bound text from
//! [`crate::library::bound_text`] (fetched by the picker from
//! `/queries/NAME.rq`), and the error's position from the message the
//! query runner writes (`query:LINE:COL: ...`).

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use coopgraph_rdf::Namespaces;
use coopgraph_rdf::export::prefixes;
use maud::{Markup, PreEscaped, html};

use crate::AppState;
use crate::error::HttpError;

/// The origin the server names in the errors of `/sparql` queries.
const ORIGIN: &str = "query";

/// `text` with a `PREFIX` line for each predeclared prefix it uses and
/// does not declare, so that it reads the same in any editor or endpoint
/// (YASGUI marks an undeclared prefix as an error).
pub(crate) fn with_prefixes(text: &str, ns: &Namespaces) -> String {
    let code: String = text.lines().map(|l| l.split('#').next().unwrap_or_default()).collect::<Vec<_>>().join("\n");
    let lower = code.to_ascii_lowercase();
    let mut head = String::new();
    for (name, iri) in prefixes(ns) {
        let declared = lower.contains(&format!("prefix {name}:"));
        if !declared && uses_prefix(&code, name) {
            head.push_str(&format!("PREFIX {name}: <{iri}>\n"));
        }
    }
    if head.is_empty() { text.to_owned() } else { format!("{head}{text}") }
}

/// Does `code` hold `name:` as a prefixed name (not inside a word, an IRI
/// or a string)?
fn uses_prefix(code: &str, name: &str) -> bool {
    let needle = format!("{name}:");
    let mut in_iri = false;
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    for (at, c) in code.char_indices() {
        match (quote, c) {
            (Some(q), _) if c == q && previous != '\\' => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') if !in_iri => quote = Some(c),
            // `<` opens an IRI unless it compares (`<=`, `< `).
            (None, '<') => in_iri = !code.get(at..).is_some_and(|r| r.starts_with("<=") || r.starts_with("< ")),
            (None, '>') => in_iri = false,
            (None, _)
                if !(in_iri || previous.is_alphanumeric() || "_-:.".contains(previous))
                    && code.get(at..).is_some_and(|rest| rest.starts_with(&needle)) =>
            {
                return true;
            }
            _ => {}
        }
        previous = c;
    }
    false
}

/// The line and column (from 1) that an error of a `/sparql` query names.
pub(crate) fn position(message: &str) -> Option<(usize, usize)> {
    let rest = message.strip_prefix(ORIGIN)?.strip_prefix(':')?;
    let mut parts = rest.splitn(3, ':');
    let line = parts.next()?.parse().ok()?;
    let column = parts.next()?.parse().ok()?;
    Some((line, column))
}

/// The editor's settings, read by `editor.js`: the endpoint, the
/// prefixes, the bundled queries with their parameters, and the text to
/// open with (`None`: what the browser kept from last time).
fn settings(state: &AppState, text: Option<&str>) -> String {
    let ns = state.ns();
    let queries: Vec<serde_json::Value> = state.config.examples.iter().map(crate::library::query_description).collect();
    let prefixes: serde_json::Map<String, serde_json::Value> =
        prefixes(ns).into_iter().map(|(name, iri)| (name.to_owned(), iri.into())).collect();
    // The vocabulary's classes and properties, for completion in the editor
    // (in place of YASGUI's completers, which ask a server elsewhere).
    let terms = crate::resources::ontology_quads().map(|quads| crate::ontology::view(ns, &quads).terms);
    let (mut classes, mut properties) = (Vec::new(), Vec::new());
    for term in terms.iter().flatten() {
        match term.group {
            crate::ontology::Group::Class => classes.push(term.iri.as_str().to_owned()),
            _ => properties.push(term.iri.as_str().to_owned()),
        }
    }
    properties.extend(
        ["rdf:type", "rdf:subject", "rdf:predicate", "rdf:object", "rdfs:label", "skos:altLabel", "owl:sameAs"]
            .iter()
            .filter_map(|short| {
                let (name, local) = short.split_once(':')?;
                let iri = coopgraph_rdf::export::prefixes(ns).into_iter().find(|(n, _)| *n == name)?.1;
                Some(format!("{iri}{local}"))
            }),
    );
    properties.extend([
        "http://purl.org/dc/terms/description".to_owned(),
        "http://www.w3.org/ns/prov#wasDerivedFrom".to_owned(),
    ]);
    classes.sort();
    properties.sort();
    properties.dedup();
    let json = serde_json::json!({
        "endpoint": "/sparql",
        "prefixes": prefixes,
        "queries": queries,
        "classes": classes,
        "properties": properties,
        "text": text,
        "yasgui": crate::assets::yasgui_dir(),
    });
    // Inside <script>: `</` would end it.
    json.to_string().replace("</", "<\\/")
}

/// `GET /sparql` from a browser, without a query: the editor. With
/// `example=NAME` (and its parameters) it opens on that bundled query,
/// bound.
pub(crate) fn page(state: &AppState, pairs: &[(String, String)]) -> Response {
    let ns = state.ns();
    let chosen = pairs
        .iter()
        .find(|(k, _)| k == "example")
        .and_then(|(_, name)| state.config.examples.iter().find(|q| &q.name == name));
    let text = match chosen {
        Some(q) => {
            let given: Vec<(String, String)> = pairs.iter().filter(|(k, _)| k != "example").cloned().collect();
            match crate::library::bound_text(q, &given, ns) {
                Ok(t) => Some(t),
                Err(e) => {
                    let mut error = HttpError::new(StatusCode::BAD_REQUEST, e.to_string());
                    error.html = true;
                    return error.into_response();
                }
            }
        }
        None => None,
    };
    let shown = text.clone().unwrap_or_else(|| {
        state.config.examples.first().map(|q| crate::library::example_text(q, ns)).unwrap_or_default()
    });
    let editor_text = text.as_deref().map(|t| with_prefixes(t, ns));
    Html(editor_page(state, &shown, editor_text.as_deref(), None).into_string()).into_response()
}

/// The answer to a browser whose query failed: the editor again, holding
/// the query, with the error and the query's text shown with the position
/// marked.
pub(crate) fn error_page(state: &AppState, error: &HttpError, query: &str) -> Response {
    let page = editor_page(state, query, Some(query), Some(error));
    (error.status, Html(page.into_string())).into_response()
}

/// The query's lines, numbered, the line at `at` marked and its column
/// pointed at.
fn marked_query(query: &str, at: Option<(usize, usize)>) -> Markup {
    html! {
        pre.query-at {
            @for (n, line) in query.lines().enumerate() {
                @if at.is_some_and(|(l, _)| l == n + 1) {
                    @let column = at.map_or(1, |(_, c)| c.max(1));
                    @let before: String = line.chars().take(column - 1).collect();
                    @let here: String = line.chars().skip(column - 1).take(1).collect();
                    @let after: String = line.chars().skip(column).collect();
                    span.at-line { span.n { (n + 1) } (before) mark.at { @if here.is_empty() { " " } @else { (here) } } (after) }
                    "\n"
                } @else {
                    span.n { (n + 1) } (line) "\n"
                }
            }
        }
    }
}

fn editor_page(state: &AppState, shown: &str, editor_text: Option<&str>, error: Option<&HttpError>) -> Markup {
    let yasgui = crate::assets::yasgui_dir();
    let own = crate::assets::editor_dir();
    let head = html! {
        link rel="stylesheet" href=(format!("{yasgui}/yasgui.min.css"));
        link rel="stylesheet" href=(format!("{own}/editor.css"));
    };
    let body = html! {
        h1 { "SPARQL query" }
        p { "Results come as a table here; programs get SPARQL JSON, XML, CSV or TSV (SELECT, ASK) and Turtle, "
            "N-Triples, JSON-LD or RDF/XML (CONSTRUCT, DESCRIBE) by asking with Accept. The prefixes "
            @for (i, (name, _)) in prefixes(state.ns()).iter().enumerate() { @if i > 0 { ", " } code { (name) ":" } }
            " are predeclared." }
        @if let Some(e) = error {
            div #query-error .query-error role="alert" {
                p { b { (e.status.as_u16()) " " (e.status.canonical_reason().unwrap_or("")) } ": " (e.message) }
                (marked_query(shown, position(&e.message)))
            }
        }
        @if !state.config.examples.is_empty() {
            details #bundled-queries {
                summary { "Bundled queries" }
                ul {
                    @for q in &state.config.examples {
                        li { a href=(format!("/sparql?example={}", q.name)) { (q.title) } " — " (q.description) }
                    }
                }
            }
        }
        div #query-picker hidden {}
        form #plain-form action="/sparql" method="get" {
            textarea name="query" rows="16" aria-label="SPARQL query" { (shown) }
            p { button type="submit" { "Run query" } }
        }
        div #yasgui {}
        script #editor-settings type="application/json" { (PreEscaped(settings(state, editor_text))) }
        script src=(format!("{yasgui}/yasgui.min.js")) {}
        script src=(format!("{own}/editor.js")) {}
    };
    let ui = crate::templates::Ui::default();
    crate::templates::layout_in(state, &ui, "SPARQL", head, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_declared_where_used_and_not_declared() {
        let ns = Namespaces::default();
        let text = with_prefixes("SELECT ?m WHERE { ?m coop:memberOf cg:sco } # rdfs:label", &ns);
        assert!(text.starts_with("PREFIX coop: <"), "{text}");
        assert!(text.contains("PREFIX cg: <"), "{text}");
        assert!(!text.contains("PREFIX rdfs:"), "{text}");
        let declared = "PREFIX coop: <x:>\nSELECT * WHERE { ?a coop:b \"rdf:no\" ; <http://e/rdf:x> ?c }";
        assert_eq!(with_prefixes(declared, &ns), declared);
    }

    #[test]
    fn the_position_of_an_error_is_read_from_its_message() {
        assert_eq!(position("query:3:14: SPARQL syntax error: expected ..."), Some((3, 14)));
        assert_eq!(position("the query timed out"), None);
        assert_eq!(position("queryx:1:2: no"), None);
    }

    #[test]
    fn the_marked_line_holds_the_column() {
        let out = marked_query("SELECT *\nWHERE { ?s ?p }", Some((2, 9))).into_string();
        assert!(out.contains("WHERE { <mark class=\"at\">?</mark>s ?p }"), "{out}");
        let end = marked_query("SELECT", Some((1, 7))).into_string();
        assert!(end.contains("<mark class=\"at\"> </mark>"), "{end}");
    }
}
