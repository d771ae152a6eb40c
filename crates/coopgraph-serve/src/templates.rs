//! HTML templates (maud: checked at compile time, text escaped by default).
//! Pages work without JavaScript; labels carry their language (`lang="zh"`).

use std::collections::BTreeMap;

use axum::http::StatusCode;
use coopgraph_model::schema::RELATION_TYPES;
use coopgraph_rdf::Namespaces;
use coopgraph_rdf::QuadSet;
use coopgraph_rdf::oxigraph::model::{NamedNode, Term};
use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::AppState;
use crate::describe::{Cite, EntityView, GenericView, Page, SourceView};
use crate::svg::{self, Neighbour};

use crate::describe::Labels;

const STYLE: &str = r#"
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC",sans-serif;margin:0;color:#1b1b1b;background:#fafafa;line-height:1.45}
header.top{background:#17324d;color:#fff;padding:.6em 1.2em;display:flex;gap:1.5em;align-items:center;flex-wrap:wrap}
header.top a{color:#fff;text-decoration:none} header.top .brand{font-weight:700;font-size:1.15em}
main{max-width:70em;margin:0 auto;padding:1em 1.2em 3em}
h1{margin:.3em 0 .1em} h1 .zh{font-weight:400;color:#444;margin-left:.4em}
h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:1.6em}
.kind{display:inline-block;padding:.05em .5em;border-radius:.8em;color:#fff;font-size:.85em;vertical-align:middle}
.iri{font-family:ui-monospace,monospace;font-size:.9em;color:#555;word-break:break-all}
table{border-collapse:collapse;width:100%;margin:.5em 0;background:#fff}
th,td{border:1px solid #e1e1e1;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f0f3f6}
.conflict{background:#fff1e6;color:#9a3412;border:1px solid #f59e0b;border-radius:.3em;padding:0 .35em;font-size:.85em;font-weight:600}
.implied{color:#666;font-style:italic}
.muted{color:#666} .cite{font-size:.85em;white-space:nowrap}
textarea{width:100%;font-family:ui-monospace,monospace;font-size:.9em}
svg.neighbourhood{width:100%;max-width:720px;height:auto;background:#fff;border:1px solid #e1e1e1}
svg.neighbourhood text{font-size:12px;font-family:inherit}
.counts{display:flex;gap:1em;flex-wrap:wrap} .counts div{background:#fff;border:1px solid #e1e1e1;padding:.5em .9em;border-radius:.4em}
.counts b{display:block;font-size:1.4em}
ul.legend{list-style:none;padding:0;display:flex;gap:1em;flex-wrap:wrap;font-size:.85em}
ul.legend span{display:inline-block;width:1.4em;height:.3em;vertical-align:middle;margin-right:.3em}
p.pager{margin:.3em 0} ul.toc{columns:2;font-size:.95em}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em} dl.meta dt{font-weight:600}
"#;

/// The page around `body`: head, style and the navigation bar.
pub(crate) fn layout(state: &AppState, title: &str, body: Markup) -> Markup {
    let _ = state;
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · coopgraph" }
                link rel="alternate" type="text/turtle" href="/.well-known/void";
                style { (PreEscaped(STYLE)) }
            }
            body {
                header.top {
                    a.brand href="/" { "coopgraph" }
                    a href="/#search" { "Search" }
                    a href="/sparql" { "SPARQL" }
                    a href="/#dumps" { "Dumps" }
                    a href="/.well-known/void" { "VoID" }
                    a href="/ontology" { "Ontology" }
                }
                main { (body) }
            }
        }
    }
}

/// The English label of `iri`, else any label, else its local name.
pub(crate) fn label_en(ns: &Namespaces, labels: &Labels, iri: &str) -> String {
    labels.get(iri).and_then(|l| l.get("en").or_else(|| l.values().next())).cloned().unwrap_or_else(|| short(ns, iri))
}

fn label_zh<'a>(labels: &'a Labels, iri: &str) -> Option<&'a String> {
    labels.get(iri).and_then(|l| l.get("zh"))
}

/// `cg:china`, `coop:memberOf`, `rdfs:label`, or the IRI itself.
fn short(ns: &Namespaces, iri: &str) -> String {
    coopgraph_rdf::query::short_term(&Term::NamedNode(NamedNode::new_unchecked(iri)), ns)
}

/// The English label of a relation property (`member of`), else its short name.
fn relation_label(ns: &Namespaces, property: &NamedNode) -> String {
    crate::describe::relation_type(ns, property).map_or_else(|| short(ns, property.as_str()), |t| t.label_en.to_owned())
}

/// Where a link to `iri` goes: the local page for IRIs under the base.
pub(crate) fn href(ns: &Namespaces, iri: &str) -> String {
    match crate::resources::local_path(ns, iri) {
        Some("") => "/".to_owned(),
        Some(path) => format!("/page/{}", path.split('#').next().unwrap_or(path)),
        None if iri.starts_with(ns.vocab()) => "/ontology".to_owned(),
        None => iri.to_owned(),
    }
}

fn entity_link(ns: &Namespaces, labels: &Labels, iri: &str) -> Markup {
    html! {
        a href=(href(ns, iri)) { (label_en(ns, labels, iri)) }
        @if let Some(zh) = label_zh(labels, iri) { " " span.muted lang="zh" { (zh) } }
    }
}

fn term(ns: &Namespaces, labels: &Labels, t: &Term) -> Markup {
    match t {
        Term::NamedNode(n) if labels.contains_key(n.as_str()) => entity_link(ns, labels, n.as_str()),
        Term::NamedNode(n) => html! { a href=(href(ns, n.as_str())) { (short(ns, n.as_str())) } },
        Term::Literal(l) => match l.language() {
            Some(lang) => html! { span lang=(lang) { (l.value()) } " " span.muted { "@" (lang) } },
            None => html! { (l.value()) },
        },
        other => html! { (other.to_string()) },
    }
}

fn cites(cites: &[Cite]) -> Markup {
    html! {
        @for (i, c) in cites.iter().enumerate() {
            @if i > 0 { ", " }
            a.cite href=(format!("/page/source/{}", c.source)) {
                "doc " (c.source)
                @if let Some(p) = c.paragraph { " ¶" (p) }
                @if let Some(l) = &c.lang { " (" (l) ")" }
            }
        }
    }
}

fn data_links(path: &str) -> Markup {
    html! {
        p.muted {
            "Data: "
            @for (i, (name, ext)) in [("Turtle", "ttl"), ("JSON-LD", "jsonld"), ("N-Triples", "nt"), ("RDF/XML", "rdf")].iter().enumerate() {
                @if i > 0 { " · " }
                a href=(format!("/data/{path}.{ext}")) { (name) }
            }
        }
    }
}

/// The page of an HTTP error.
pub fn error_page(status: StatusCode, message: &str) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head { meta charset="utf-8"; title { (status.as_u16()) " · coopgraph" } style { (PreEscaped(STYLE)) } }
            body {
                header.top { a.brand href="/" { "coopgraph" } }
                main {
                    h1 { (status.as_u16()) " " (status.canonical_reason().unwrap_or("")) }
                    p { (message) }
                    p { a href="/" { "Back to the home page" } }
                }
            }
        }
    }
}

/// The search box, holding `value`.
pub(crate) fn search_form(value: &str) -> Markup {
    html! {
        form #search action="/search" method="get" {
            label for="q" { "Search by label, in English or Chinese: " }
            input #q type="search" name="q" value=(value) placeholder="Interpol, 湄公河 ...";
            " " button type="submit" { "Search" }
        }
    }
}

/// The home page.
pub fn home(state: &AppState, chosen_example: Option<&str>) -> Markup {
    let snapshot = state.snapshot();
    let s = &snapshot.summary;
    let ns = state.ns();
    let example = chosen_example
        .and_then(|name| state.config.examples.iter().find(|q| q.name == name))
        .or_else(|| state.config.examples.first());
    let example_text = example.map(|q| crate::sparql::example_text(q, ns)).unwrap_or_else(|| {
        "SELECT ?entity ?label WHERE {\n  ?entity a coop:Country ; rdfs:label ?label .\n  FILTER(lang(?label) = \"en\")\n} ORDER BY ?label".to_owned()
    });
    layout(
        state,
        "International cooperation graph",
        html! {
            h1 { "International law-enforcement, judicial and security cooperation" span.zh lang="zh" { "国际执法、司法与安全合作" } }
            p {
                "A knowledge graph of countries, international organizations, operations and treaties, and how they relate "
                "(membership, participation, signature, hosting, deployment ...). Every fact cites the source document and "
                "paragraph it comes from; conflicting figures are kept, each with its source."
            }
            div.counts {
                @for (kind, n) in &s.entities { div { b { (n) } (plural(kind.name)) } }
                div { b { (s.statements) } "relation statements" }
                div { b { (s.figures) } "figures" }
                div { b { (s.graphs.len()) } "named graphs" }
                div { b { (s.triples) } "triples" }
                div { b { (s.quads) } "quads in named graphs" }
            }
            @if let Some(e) = &s.example { p { "For example: " a href=(href(ns, e.as_str())) { (short(ns, e.as_str())) } } }
            h2 { "Search" }
            (search_form(""))
            h2 #sparql { "SPARQL" }
            p { "The endpoint is " code { (state.config.public_url) "sparql" } " (SPARQL 1.1 Protocol; read-only). "
                "The prefixes " code { "coop:" } ", " code { "cg:" } ", " code { "rdfs:" } " and others are predeclared." }
            (query_form(&example_text))
            @if !state.config.examples.is_empty() {
                h3 { "Bundled queries" } p { a href="/queries" { "All of them, with their parameters" } }
                table {
                    tr { th { "query" } th { "what it answers" } th {} }
                    @for q in &state.config.examples {
                        tr {
                            td { a href=(format!("/?example={}#sparql", q.name)) { (q.title) } }
                            td { (q.description) }
                            td { a href=(format!("/queries/{}", q.name)) { "run" } }
                        }
                    }
                }
            }
            h2 #dumps { "Dumps" }
            p { "The whole dataset, every named graph, in each serialization:" }
            ul {
                @for (file, what) in crate::dumps::FILES.iter().map(|d| (d.file, d.description)) {
                    li { a href=(format!("/dumps/{file}")) { (file) } " — " (what) }
                }
            }
            p { "Described in VoID and DCAT at " a href="/.well-known/void" { "/.well-known/void" } "." }
            h2 { "Source documents" }
            ul {
                @for (g, n) in &s.graphs {
                    li { a href=(href(ns, g.as_str())) { (short(ns, g.as_str())) } " — " (n) " triples" }
                }
            }
        },
    )
}

/// `countries`, `organizations`, `operations`, `treaties`.
fn plural(kind: &str) -> String {
    match kind.strip_suffix('y') {
        Some(stem) => format!("{stem}ies"),
        None => format!("{kind}s"),
    }
}

fn query_form(text: &str) -> Markup {
    html! {
        form action="/sparql" method="get" {
            textarea name="query" rows="14" aria-label="SPARQL query" { (text) }
            p { button type="submit" { "Run query" } }
        }
    }
}

/// The page of `/sparql` opened in a browser without a query.
pub fn sparql_form(state: &AppState, text: &str) -> Markup {
    let default = state.config.examples.first().map(|q| crate::sparql::example_text(q, state.ns())).unwrap_or_default();
    layout(
        state,
        "SPARQL",
        html! {
            h1 { "SPARQL query" }
            p { "Results come as HTML here; programs get SPARQL JSON, XML, CSV or TSV (SELECT, ASK) and Turtle, "
                "N-Triples, JSON-LD or RDF/XML (CONSTRUCT, DESCRIBE) by asking with Accept." }
            (query_form(if text.is_empty() { &default } else { text }))
            p { a href="/#sparql" { "Example queries" } }
        },
    )
}

/// The list of bundled queries, with their parameters and links to run them.
pub fn query_list(state: &AppState) -> Markup {
    layout(
        state,
        "Bundled queries",
        html! {
            h1 { "Bundled queries" }
            p { "Each runs at " code { "/queries/NAME?PARAM=VALUE" } " with its parameters bound as "
                code { "coopgraph query run" } " binds them; results by Accept, as at " a href="/sparql" { "/sparql" } "." }
            table {
                tr { th { "query" } th { "what it answers" } th { "parameters (default)" } }
                @for q in &state.config.examples {
                    tr {
                        td { a href=(format!("/queries/{}", q.name)) { (q.name) } }
                        td { b { (q.title) } br; (q.description) " " a href=(format!("/?example={}#sparql", q.name)) { "edit" } }
                        td { @for p in &q.params { code { (p.name) } " (" (p.default) "): " (p.description) br; } }
                    }
                }
            }
        },
    )
}

/// A query result shown as a table.
#[derive(Debug)]
pub enum ResultTable {
    /// ASK.
    Boolean(bool),
    /// SELECT (or the triples of CONSTRUCT and DESCRIBE).
    Solutions {
        /// Column names.
        variables: Vec<String>,
        /// Values, `None` when unbound.
        rows: Vec<Vec<Option<Term>>>,
        /// True when rows were left out.
        more: bool,
    },
}

/// The HTML page of a query's results.
pub fn sparql_results(state: &AppState, query: &str, table: &ResultTable) -> Markup {
    let ns = state.ns();
    let labels = Labels::new();
    layout(
        state,
        "SPARQL results",
        html! {
            h1 { "SPARQL results" }
            @match table {
                ResultTable::Boolean(b) => p { b { @if *b { "yes (true)" } @else { "no (false)" } } },
                ResultTable::Solutions { variables, rows, more } => {
                    p.muted { (rows.len()) " rows" @if *more { " shown; more were left out (use a program, or LIMIT/OFFSET)" } }
                    table {
                        tr { @for v in variables { th { "?" (v) } } }
                        @for row in rows {
                            tr { @for cell in row { td { @if let Some(t) = cell { (term(ns, &labels, t)) } } } }
                        }
                    }
                }
            }
            h2 { "Query" }
            (query_form(query))
        },
    )
}

/// Numbers with thousands separators: `3,701`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "Showing 51–100 of 3,701" with previous and next links, for a list that
/// is longer than one page.
fn pager<T>(path: &str, page: &Page<T>) -> Markup {
    let (first, last) = page.shown();
    let link = |n: usize| format!("/page/{path}?section={}&page={n}#{}", page.key, page.key);
    html! {
        @if page.pages() > 1 {
            p.pager {
                @if page.rows.is_empty() { "Past the end of the list (" (thousands(page.total)) "). " }
                @else { "Showing " (thousands(first)) "–" (thousands(last)) " of " (thousands(page.total)) ". " }
                @if page.page > 1 { a rel="prev" href=(link(page.page - 1)) { "← previous" } " " }
                @if page.page < page.pages() { a rel="next" href=(link(page.page + 1)) { "next →" } " " }
                span.muted { "page " (page.page) " of " (page.pages()) }
            }
        }
    }
}

/// The page of an entity.
pub fn entity_page(state: &AppState, iri: &NamedNode, view: &EntityView) -> Markup {
    let ns = state.ns();
    let labels = &view.labels;
    let path = crate::resources::local_path(ns, iri.as_str()).unwrap_or_default();
    let kind = view.kind;
    let class = kind.map_or("", |k| k.class_name);
    let title = label_en(ns, labels, iri.as_str());
    // The drawing: a bounded sample of neighbours, taken in turns across
    // the sections (in the schema's order), each neighbour once, from the
    // rows the page shows.
    let mut queues: Vec<std::collections::VecDeque<Neighbour>> = view
        .sections
        .iter()
        .map(|s| {
            s.page
                .rows
                .iter()
                .map(|r| Neighbour {
                    href: href(ns, r.other.as_str()),
                    label: label_en(ns, labels, r.other.as_str()),
                    kind_class: view.kinds.get(r.other.as_str()).cloned().unwrap_or_default(),
                    relation: s.relation.label_en.to_owned(),
                    outgoing: s.outgoing,
                })
                .collect()
        })
        .collect();
    let mut neighbours: Vec<Neighbour> = Vec::new();
    while neighbours.len() < svg::MAX_NEIGHBOURS && queues.iter().any(|q| !q.is_empty()) {
        for q in &mut queues {
            if let Some(n) = q.pop_front()
                && neighbours.len() < svg::MAX_NEIGHBOURS
                && !neighbours.iter().any(|m| m.href == n.href)
            {
                neighbours.push(n);
            }
        }
    }
    let left_out = view.neighbours.saturating_sub(neighbours.len());
    let colour_of = |relation: &str| {
        RELATION_TYPES.iter().position(|t| t.label_en == relation).map_or("#999999", svg::relation_colour)
    };
    let drawn = svg::neighbourhood(&title, class, &neighbours, colour_of);
    let mut used: Vec<&str> = neighbours.iter().map(|n| n.relation.as_str()).collect();
    used.sort();
    used.dedup();
    let total_relations: usize = view.sections.iter().map(|s| s.page.total).sum();
    layout(
        state,
        &title,
        html! {
            h1 {
                (title)
                @if let Some(zh) = label_zh(labels, iri.as_str()) { span.zh lang="zh" { (zh) } }
            }
            p {
                @if let Some(k) = kind {
                    span.kind style=(format!("background:{}", svg::kind_colour(k.class_name))) { (k.label_en) " · " span lang="zh" { (k.label_zh) } }
                    " "
                }
                span.iri { (iri.as_str()) }
            }
            @if let Some(d) = &view.description { p { (d) } }
            dl.meta {
                @if let Some(q) = &view.wikidata {
                    dt { "Wikidata" } dd { a href=(format!("https://www.wikidata.org/wiki/{q}")) { (q) } }
                }
                @if !view.period.is_empty() { dt { "Dates" } dd { (view.period) } }
                @if let Some(b) = &view.binding { dt { "Legally binding" } dd { (b) } }
                @if !view.aliases.is_empty() {
                    dt { "Also known as" }
                    dd { @for (i, (lang, a)) in view.aliases.iter().enumerate() { @if i > 0 { "; " } span lang=(lang) { (a) } } }
                }
                @if !view.mentioned_in.is_empty() { dt { "Mentioned in" } dd { (cites(&view.mentioned_in)) } }
                @if !view.classes.is_empty() {
                    dt { "Classes" }
                    dd { @for (i, c) in view.classes.iter().enumerate() { @if i > 0 { ", " } a href=(href(ns, c.as_str())) { (short(ns, c.as_str())) } } }
                }
            }
            (data_links(path))
            @if !neighbours.is_empty() {
                h2 { "Neighbourhood" }
                (PreEscaped(drawn))
                @if left_out > 0 {
                    p.muted { "The drawing shows " (neighbours.len()) " of the " (thousands(view.neighbours))
                        " related entities (the first of each relation type in turn); " (thousands(left_out)) " are left out. "
                        "The lists below have them all." }
                }
                ul.legend {
                    @for r in &used { li { span style=(format!("background:{}", colour_of(r))) {} (r) } }
                    li { "dashed: the relation points at this entity" }
                    @for k in coopgraph_model::schema::KINDS {
                        li { span style=(format!("background:{};height:.7em;width:.7em;border-radius:50%", svg::kind_colour(k.class_name))) {} (k.label_en) }
                    }
                }
            }
            @if !view.sections.is_empty() {
                h2 { "Relations (" (thousands(total_relations)) ")" }
                ul.toc {
                    @for section in &view.sections {
                        li { a href=(format!("#{}", section.page.key)) {
                            @if section.outgoing { (section.relation.label_en) } @else { "← " (section.relation.label_en) }
                        } " " span.muted { (thousands(section.page.total)) } }
                    }
                }
            }
            @for section in &view.sections {
                @let name = section.relation.label_en;
                h3 id=(section.page.key) {
                    @if section.outgoing { (name) } @else { "← " (name) " (this entity is the object)" }
                    " " span.muted { "(" (thousands(section.page.total)) ")" }
                }
                (pager(path, &section.page))
                table {
                    tr { th { @if section.outgoing { "object" } @else { "subject" } } th { "role" } th { "dates" } th { "note" } th { "sources" } }
                    @for r in &section.page.rows {
                        tr {
                            td { (entity_link(ns, labels, r.other.as_str())) }
                            td { @if let Some(role) = &r.role { (role) } }
                            td { (r.period) }
                            td {
                                @if r.implied { span.implied { "implied by the source, not stated outright. " } }
                                @if let Some(n) = &r.note {
                                    @if n.to_lowercase().contains("conflict") || n.to_lowercase().contains("disput") { span.conflict { "conflict" } " " }
                                    (n)
                                }
                            }
                            td { (cites(&r.cites)) }
                        }
                    }
                }
            }
            @if view.figures.total > 0 {
                h2 #figures { "Figures" " " span.muted { "(" (thousands(view.figures.total)) ")" } }
                (pager(path, &view.figures))
                table {
                    tr { th { "measure" } th { "value" } th { "dates" } th { "counterpart" } th { "note" } th { "sources" } }
                    @for f in &view.figures.rows {
                        tr {
                            td { (label_en(ns, labels, f.measure.as_str())) }
                            td { (f.value) @if let Some(u) = &f.unit { " " (u) } @if f.conflict { " " span.conflict title="another source gives a different value" { "conflict" } } }
                            td { (f.period) }
                            td { @if let Some(c) = &f.counterpart { (entity_link(ns, labels, c.as_str())) } }
                            td { @if let Some(n) = &f.note { (n) } }
                            td { (cites(&f.cites)) }
                        }
                    }
                }
            }
        },
    )
}

/// The page of a source document: its description and what it states,
/// each list a page at a time. `triples` is its named graph's size.
pub fn source_page(state: &AppState, iri: &NamedNode, view: &SourceView, triples: Option<u64>) -> Markup {
    let ns = state.ns();
    let labels = &view.labels;
    let path = crate::resources::local_path(ns, iri.as_str()).unwrap_or_default();
    let title_predicate = format!("{}title", coopgraph_rdf::vocab::DCTERMS);
    let title = view
        .about
        .iter()
        .find(|(p, _)| p.as_str() == title_predicate)
        .map_or_else(|| short(ns, iri.as_str()), |(_, o)| crate::describe::text(o));
    let empty = Labels::new();
    layout(
        state,
        &title,
        html! {
            h1 { (title) }
            p { span.kind style="background:#555" { "source document" } " " span.iri { (iri.as_str()) } }
            table {
                @for (p, o) in &view.about {
                    tr { th { (short(ns, p.as_str())) } td { (term(ns, &empty, o)) } }
                }
            }
            (data_links(path))
            @if let Some(n) = triples { p.muted { "Its named graph holds " (n) " triples." } }
            h2 #relations { "Relations it states (" (thousands(view.relations.total)) ")" }
            (pager(path, &view.relations))
            table {
                tr { th { "subject" } th { "relation" } th { "object" } th { "paragraphs" } }
                @for r in &view.relations.rows {
                    tr {
                        td { (entity_link(ns, labels, r.subject.as_str())) }
                        td { (relation_label(ns, &r.property)) }
                        td { (entity_link(ns, labels, r.object.as_str())) }
                        td { (cites(&r.paragraphs)) }
                    }
                }
            }
            h2 #figures { "Figures it gives (" (thousands(view.figures.total)) ")" }
            (pager(path, &view.figures))
            table {
                tr { th { "about" } th { "measure" } th { "value" } th { "paragraphs" } }
                @for f in &view.figures.rows {
                    tr {
                        td { (entity_link(ns, labels, f.about.as_str())) }
                        td { (label_en(ns, labels, f.measure.as_str())) }
                        td { (f.value) @if let Some(u) = &f.unit { " " (u) } }
                        td { (cites(&f.paragraphs)) }
                    }
                }
            }
            h2 #entities { "Entities it mentions (" (thousands(view.entities.total)) ")" }
            (pager(path, &view.entities))
            ul {
                @for (e, c) in &view.entities.rows {
                    li { (entity_link(ns, labels, e.as_str())) " " span.muted { (cites(c)) } }
                }
            }
        },
    )
}

/// The page of any other resource: its triples and what links to it.
pub fn generic_page(state: &AppState, iri: &NamedNode, view: &GenericView) -> Markup {
    let ns = state.ns();
    let labels = &view.labels;
    let path = crate::resources::local_path(ns, iri.as_str()).unwrap_or_default();
    let title = label_en(ns, labels, iri.as_str());
    layout(
        state,
        &title,
        html! {
            h1 { (title) }
            p.iri { (iri.as_str()) }
            (data_links(path))
            table {
                tr { th { "property" } th { "value" } }
                @for (p, o) in &view.outgoing { tr { td { (short(ns, p.as_str())) } td { (term(ns, labels, o)) } } }
            }
            @if !view.incoming.is_empty() {
                h2 { "Linked from" }
                table {
                    tr { th { "subject" } th { "property" } }
                    @for (s, p) in &view.incoming { tr { td { (term(ns, labels, s)) } td { (short(ns, p.as_str())) } } }
                }
                @if view.incoming.len() >= crate::describe::LIST_LIMIT { p.muted { "Only the first " (crate::describe::LIST_LIMIT) " are listed." } }
            }
        },
    )
}

/// The ontology as a page: classes and properties with their labels.
pub fn ontology_page(state: &AppState, quads: &QuadSet) -> Markup {
    let ns = state.ns();
    let mut terms: BTreeMap<String, Vec<(String, Term)>> = BTreeMap::new();
    for q in quads.iter() {
        terms.entry(q.subject.to_string()).or_default().push((q.predicate.as_str().to_owned(), q.object.clone()));
    }
    let empty = Labels::new();
    layout(
        state,
        "Ontology",
        html! {
            h1 { "The coopgraph ontology" }
            p { "Also as " a href="/data/ontology.ttl" { "Turtle" } " (ask /ontology with Accept: text/turtle, application/ld+json, application/n-triples or application/rdf+xml)." }
            @for (subject, props) in &terms {
                h3 id=(subject.trim_matches(|c| c == '<' || c == '>').rsplit('#').next().unwrap_or_default()) { code { (subject) } }
                table {
                    @for (p, o) in props { tr { th { (short(ns, p)) } td { (term(ns, &empty, o)) } } }
                }
            }
        },
    )
}
