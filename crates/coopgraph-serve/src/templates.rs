//! HTML templates (maud: checked at compile time, text escaped by default).
//! Pages work without JavaScript; labels carry their language (`lang="zh"`).

use std::collections::BTreeMap;

use axum::http::StatusCode;
use coopgraph_model::schema::RELATION_TYPES;
use coopgraph_rdf::Namespaces;
use coopgraph_rdf::oxigraph::model::{NamedNode, Term};
use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::AppState;
use crate::describe::{Cite, EntityView, GenericView, Page, SourceView};
use crate::svg::{self, Neighbour};

use crate::describe::Labels;
use crate::i18n::Lang;

const STYLE: &str = r#"
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC",sans-serif;margin:0;color:#1b1b1b;background:#fafafa;line-height:1.45}
header.top{background:#17324d;color:#fff;padding:.6em 1.2em;display:flex;gap:1.5em;align-items:center;flex-wrap:wrap}
header.top a{color:#fff;text-decoration:none} header.top a.lang{margin-left:auto;border:1px solid #fff6;border-radius:.3em;padding:0 .4em} header.top .brand{font-weight:700;font-size:1.15em}
main{max-width:70em;margin:0 auto;padding:1em 1.2em 3em}
h1{margin:.3em 0 .1em} h1 .zh{font-weight:400;color:#444;margin-left:.4em}
h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:1.6em}
.kind{display:inline-block;padding:.05em .5em;border-radius:.8em;color:#fff;font-size:.85em;vertical-align:middle}
.iri{font-family:ui-monospace,monospace;font-size:.9em;color:#555;word-break:break-all}
table{border-collapse:collapse;width:100%;margin:.5em 0;background:#fff}
th,td{border:1px solid #e1e1e1;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f0f3f6}
.conflict{background:#fff1e6;color:#9a3412;border:1px solid #f59e0b;border-radius:.3em;padding:0 .35em;font-size:.85em;font-weight:600}
.implied,.inferred{color:#666;font-style:italic}
.muted{color:#666} .cite{font-size:.85em;white-space:nowrap}
textarea{width:100%;font-family:ui-monospace,monospace;font-size:.9em}
svg.neighbourhood{width:100%;max-width:720px;height:auto;background:#fff;border:1px solid #e1e1e1}
svg.neighbourhood text{font-size:12px;font-family:inherit}
.counts{display:flex;gap:1em;flex-wrap:wrap} .counts div{background:#fff;border:1px solid #e1e1e1;padding:.5em .9em;border-radius:.4em}
.counts b{display:block;font-size:1.4em}
ol.paragraphs{list-style:none;padding:0;columns:3} ol.paragraphs li:target{background:#fff3bf}
ul.legend{list-style:none;padding:0;display:flex;gap:1em;flex-wrap:wrap;font-size:.85em}
ul.legend span{display:inline-block;width:1.4em;height:.3em;vertical-align:middle;margin-right:.3em}
p.explore-panel{background:#fff;border:1px solid #e1e1e1;border-radius:.4em;padding:.4em .8em} iframe.explore-embed{width:100%;height:26em;border:1px solid #e1e1e1;border-radius:.4em;background:#fff} p.pager{margin:.3em 0} ul.toc{columns:2;font-size:.95em}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em} dl.meta dt{font-weight:600}
"#;

/// The page around `body`: head, style and the navigation bar, in English.
pub(crate) fn layout(state: &AppState, title: &str, body: Markup) -> Markup {
    layout_in(state, &Ui::default(), title, html! {}, body)
}

/// How a page is shown: its interface language, and where it is (for the
/// language switch; `None`: a page without one).
#[derive(Debug, Clone, Default)]
pub(crate) struct Ui {
    pub(crate) lang: Lang,
    /// The page's path and query string without `lang`.
    pub(crate) here: Option<String>,
}

impl Ui {
    /// The interface of a page at `path` with query string `query`.
    pub(crate) fn new(lang: Lang, path: &str, query: &str) -> Self {
        let kept: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
            .filter(|(k, _)| k != "lang")
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let mut here = path.to_owned();
        if !kept.is_empty() {
            here.push('?');
            here.push_str(&form_urlencoded::Serializer::new(String::new()).extend_pairs(kept).finish());
        }
        Self { lang, here: Some(here) }
    }

    /// The text in the page's language.
    pub(crate) fn t(&self, en: &'static str, zh: &'static str) -> &'static str {
        self.lang.t(en, zh)
    }

    /// A kind's name in the page's language.
    pub(crate) fn t_kind(&self, kind: &coopgraph_model::schema::KindSpec) -> &'static str {
        match self.lang {
            Lang::En => kind.label_en,
            Lang::Zh => kind.label_zh,
        }
    }

    /// This page in `lang`.
    fn switch_to(&self, lang: Lang) -> Option<String> {
        let here = self.here.as_deref()?;
        let join = if here.contains('?') { '&' } else { '?' };
        Some(format!("{here}{join}lang={}", lang.tag()))
    }
}

/// The page around `body` in the language of `ui`, with `head` (alternate
/// links, embedded data) added to its head.
pub(crate) fn layout_in(state: &AppState, ui: &Ui, title: &str, head: Markup, body: Markup) -> Markup {
    let _ = state;
    let other = ui.lang.other();
    html! {
        (DOCTYPE)
        html lang=(ui.lang.tag()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · coopgraph" }
                link rel="alternate" type="text/turtle" href="/.well-known/void" title="VoID";
                (head)
                style { (PreEscaped(STYLE)) }
            }
            body {
                header.top {
                    a.brand href="/" { "coopgraph" }
                    a href="/#search" { (ui.t("Search", "搜索")) }
                    a href="/sparql" { "SPARQL" }
                    a href="/#dumps" { (ui.t("Dumps", "数据转储")) }
                    a href="/.well-known/void" { "VoID" }
                    a href="/ontology" { (ui.t("Ontology", "本体")) }
                    @if let Some(link) = ui.switch_to(other) {
                        a.lang href=(link) hreflang=(other.tag()) lang=(other.tag()) { (other.name()) }
                    }
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
    if let Some(local) = iri.strip_prefix(ns.vocab()) {
        return if local.is_empty() { "/ontology".to_owned() } else { format!("/ontology#{local}") };
    }
    if iri == ns.vocab().trim_end_matches(['#', '/']) {
        return "/ontology".to_owned();
    }
    match crate::catalog::local_path(ns, iri) {
        Some("") => "/".to_owned(),
        Some(path) => format!("/page/{path}"),
        None => iri.to_owned(),
    }
}

/// The label of `iri` in `lang`, else in English, else any, else its local name.
pub(crate) fn label_in(ns: &Namespaces, labels: &Labels, iri: &str, lang: Lang) -> String {
    match labels.get(iri).and_then(|l| l.get(lang.tag())) {
        Some(l) => l.clone(),
        None => label_en(ns, labels, iri),
    }
}

/// A link to an entity labelled in `lang`, with its label in the other language after it.
fn entity_link(ns: &Namespaces, labels: &Labels, iri: &str, lang: Lang) -> Markup {
    let first = labels.get(iri).and_then(|l| l.get(lang.tag())).map(|_| lang).unwrap_or(Lang::En);
    let second = labels.get(iri).and_then(|l| l.get(first.other().tag()));
    html! {
        a href=(href(ns, iri)) lang=(first.tag()) { (label_in(ns, labels, iri, lang)) }
        @if let Some(other) = second { " " span.muted lang=(first.other().tag()) { (other) } }
    }
}

fn term(ns: &Namespaces, labels: &Labels, t: &Term) -> Markup {
    match t {
        Term::NamedNode(n) if labels.contains_key(n.as_str()) => entity_link(ns, labels, n.as_str(), Lang::En),
        Term::NamedNode(n) => html! { a href=(href(ns, n.as_str())) { (short(ns, n.as_str())) } },
        Term::Literal(l) => match l.language() {
            Some(lang) => html! { span lang=(lang) { (l.value()) } " " span.muted { "@" (lang) } },
            None => html! { (l.value()) },
        },
        other => html! { (other.to_string()) },
    }
}

/// Where a citation links: its source's page, at the paragraph's anchor
/// (the fragment of the citation's IRI).
pub(crate) fn cite_href(c: &Cite) -> String {
    format!("/page/source/{}#{}", c.source, c.anchor())
}

fn cites(cites: &[Cite]) -> Markup {
    html! {
        @for (i, c) in cites.iter().enumerate() {
            @if i > 0 { ", " }
            a.cite href=(cite_href(c)) {
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
            @for (i, (name, _, url)) in crate::catalog::document_links(path).iter().enumerate() {
                @if i > 0 { " · " }
                a href=(url) { (name) }
            }
        }
    }
}

/// `<link rel="alternate">` to each data document of the resource at `path`.
fn alternate_links(path: &str) -> Markup {
    html! {
        @for (name, media_type, url) in crate::catalog::document_links(path) {
            link rel="alternate" type=(media_type) href=(url) title=(name);
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
pub(crate) fn home(state: &AppState, ui: &Ui, chosen_example: Option<&str>) -> Markup {
    let snapshot = state.snapshot();
    let s = &snapshot.summary;
    let ns = state.ns();
    let example = chosen_example
        .and_then(|name| state.config.examples.iter().find(|q| q.name == name))
        .or_else(|| state.config.examples.first());
    let example_text = example.map(|q| crate::library::example_text(q, ns)).unwrap_or_else(|| {
        "SELECT ?entity ?label WHERE {\n  ?entity a coop:Country ; rdfs:label ?label .\n  FILTER(lang(?label) = \"en\")\n} ORDER BY ?label".to_owned()
    });
    layout_in(
        state,
        ui,
        ui.t("International cooperation graph", "国际合作知识图谱"),
        html! { link rel="sitemap" type="application/xml" href="/sitemap.xml"; },
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
            h2 { (ui.t("Search", "搜索")) }
            (search_form(""))
            h2 #sparql { "SPARQL" }
            p { "The endpoint is " code { (state.config.public_url) "sparql" } " (SPARQL 1.1 Protocol; read-only). "
                "The prefixes " code { "coop:" } ", " code { "cg:" } ", " code { "rdfs:" } " and others are predeclared." }
            (query_form(&example_text))
            @if !state.config.examples.is_empty() {
                h3 { (ui.t("Bundled queries", "内置查询")) } p { a href="/queries" { "All of them, with their parameters" } }
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
            h2 #dumps { (ui.t("Dumps", "数据转储")) }
            p { "The whole dataset, every named graph, in each serialization:" }
            ul {
                @for (file, what) in crate::catalog::DUMP_FILES.iter().map(|d| (d.file, d.description)) {
                    li { a href=(format!("/dumps/{file}")) { (file) } " — " (what) }
                }
            }
            p { "Described in VoID and DCAT at " a href="/.well-known/void" { "/.well-known/void" } "." }
            h2 #classes { (ui.t("Entities by class", "按类浏览实体")) }
            p { @for (i, k) in coopgraph_model::schema::KINDS.iter().enumerate() {
                @if i > 0 { " · " } a href=(format!("/ontology/{}", k.class_name)) { (ui.t_kind(k)) }
            } }
            h2 { (ui.t("Source documents", "来源文件")) }
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
                        td { b { (q.title) } br; (q.description) " " a href=(format!("/sparql?example={}", q.name)) { "edit" } }
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
    pager_at(&format!("/page/{path}"), page)
}

/// The pager of a list on the page at `at` (a URL path).
fn pager_at<T>(at: &str, page: &Page<T>) -> Markup {
    let (first, last) = page.shown();
    let link = |n: usize| format!("{at}?section={}&page={n}#{}", page.key, page.key);
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

/// A relation type's label in `lang`.
fn relation_name(relation: &coopgraph_model::schema::RelationType, lang: Lang) -> &'static str {
    match lang {
        Lang::En => relation.label_en,
        Lang::Zh => relation.label_zh,
    }
}

/// The page of an entity.
pub(crate) fn entity_page(state: &AppState, ui: &Ui, iri: &NamedNode, view: &EntityView) -> Markup {
    let ns = state.ns();
    let labels = &view.labels;
    let path = crate::catalog::local_path(ns, iri.as_str()).unwrap_or_default();
    let kind = view.kind;
    let class = kind.map_or("", |k| k.class_name);
    let title = label_in(ns, labels, iri.as_str(), ui.lang);
    let page_url = format!("{}page/{path}", state.config.public_url);
    let json_ld = crate::schema_org::entity(ns, iri, &page_url, view);
    let head = html! {
        (alternate_links(path))
        script type="application/ld+json" { (PreEscaped(json_ld)) }
    };
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
    let colour_of =
        |relation: &str| RELATION_TYPES.iter().find(|t| t.label_en == relation).map_or("#999999", svg::relation_colour);
    let drawn = svg::neighbourhood(&title, class, &neighbours, colour_of);
    let mut used: Vec<&str> = neighbours.iter().map(|n| n.relation.as_str()).collect();
    used.sort();
    used.dedup();
    let total_relations: usize = view.sections.iter().map(|s| s.page.total).sum();
    layout_in(
        state,
        ui,
        &title,
        head,
        html! {
            h1 {
                span lang=(if labels.get(iri.as_str()).is_some_and(|l| l.contains_key(ui.lang.tag())) { ui.lang.tag() } else { "en" }) { (title) }
                @if let Some(other) = labels.get(iri.as_str()).and_then(|l| l.get(ui.lang.other().tag())).filter(|o| **o != title) {
                    span.zh lang=(ui.lang.other().tag()) { (other) }
                }
            }
            p {
                @if let Some(k) = kind {
                    span.kind style=(format!("background:{}", svg::kind_colour(k.class_name))) {
                        a href=(format!("/ontology/{}", k.class_name)) style="color:inherit" { (k.label_en) " · " span lang="zh" { (k.label_zh) } }
                    }
                    " "
                }
                span.iri { (iri.as_str()) }
            }
            @if let Some(d) = &view.description { p { (d) } }
            dl.meta {
                @if let Some(q) = &view.wikidata {
                    dt { "Wikidata" } dd { a href=(format!("https://www.wikidata.org/wiki/{q}")) { (q) } }
                }
                @if !view.period.is_empty() { dt { (ui.t("Dates", "日期")) } dd { (dates(ui, &view.period, view.date_note.as_deref())) } }
                @if let Some(b) = &view.binding { dt { (ui.t("Legally binding", "具有法律约束力")) } dd { (b) } }
                @if let Some(n) = &view.ordinal { dt { (ui.t("Number in its series", "序号")) } dd { (n) } }
                @if !view.aliases.is_empty() {
                    dt { (ui.t("Also known as", "别名")) }
                    dd { @for (i, (lang, a)) in view.aliases.iter().enumerate() { @if i > 0 { "; " } span lang=(lang) { (a) } } }
                }
                @if !view.mentioned_in.is_empty() { dt { (ui.t("Mentioned in", "提及于")) } dd { (cites(&view.mentioned_in)) } }
                @if !view.classes.is_empty() {
                    dt { (ui.t("Classes", "类")) }
                    dd { @for (i, c) in view.classes.iter().enumerate() { @if i > 0 { ", " } a href=(href(ns, c.as_str())) { (short(ns, c.as_str())) } } }
                }
            }
            (data_links(path))
            @if let Some(id) = ns.entity_id_of(iri.as_str()) {
                p.explore-panel {
                    a href=(format!("/explore?focus={id}")) { (ui.t("Open in the graph explorer", "在关系图浏览中打开")) }
                    " " span.muted { (ui.t("(expand neighbours, filter by kind, relation type, source and period, export)", "（展开关联实体，按类型、关系类型、来源和时期筛选，导出）")) }
                }
                iframe.explore-embed src=(format!("/explore?focus={id}&embed=1{}", if ui.lang == Lang::Zh { "&lang=zh" } else { "" })) loading="lazy"
                    title=(ui.t("The graph explorer on this entity", "以此实体为起点的关系图浏览")) {}
            }
            @if !neighbours.is_empty() {
                h2 { (ui.t("Neighbourhood", "关联实体")) }
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
                h2 { (ui.t("Relations", "关系")) " (" (thousands(total_relations)) ")" }
                ul.toc {
                    @for section in &view.sections {
                        li { a href=(format!("#{}", section.page.key)) {
                            @if section.outgoing { (relation_name(section.relation, ui.lang)) } @else { "← " (relation_name(section.relation, ui.lang)) }
                        } " " span.muted { (thousands(section.page.total)) } }
                    }
                }
            }
            @for section in &view.sections {
                @let name = relation_name(section.relation, ui.lang);
                h3 id=(section.page.key) {
                    @if section.outgoing { (name) } @else { "← " (name) " " (ui.t("(this entity is the object)", "（本实体为宾语）")) }
                    " " span.muted { "(" (thousands(section.page.total)) ")" }
                }
                (pager(path, &section.page))
                table {
                    tr {
                        th { @if section.outgoing { (ui.t("object", "宾语")) } @else { (ui.t("subject", "主语")) } }
                        th { (ui.t("role", "角色")) } th { (ui.t("dates", "日期")) } th { (ui.t("note", "备注")) } th { (ui.t("sources", "来源")) }
                    }
                    @for r in &section.page.rows {
                        tr {
                            td { (entity_link(ns, labels, r.other.as_str(), ui.lang)) }
                            td { @if let Some(role) = &r.role { (role) } }
                            td { (dates(ui, &r.period, r.date_note.as_deref())) }
                            td {
                                @if r.implied { span.implied { (ui.t("implied by the source, not stated outright. ", "来源隐含而未明确表述。")) } }
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
                h2 #figures { (ui.t("Figures", "数据")) " " span.muted { "(" (thousands(view.figures.total)) ")" } }
                (pager(path, &view.figures))
                table {
                    tr {
                        th { (ui.t("measure", "指标")) } th { (ui.t("value", "数值")) } th { (ui.t("dates", "日期")) }
                        th { (ui.t("counterpart", "对方")) } th { (ui.t("note", "备注")) } th { (ui.t("sources", "来源")) }
                    }
                    @for f in &view.figures.rows {
                        tr {
                            td { (label_en(ns, labels, f.measure.as_str())) }
                            td { (f.value) @if let Some(u) = &f.unit { " " (u) } @if f.conflict { " " span.conflict title="another source gives a different value" { "conflict" } } }
                            td { (dates(ui, &f.period, f.date_note.as_deref())) }
                            td { @if let Some(c) = &f.counterpart { (entity_link(ns, labels, c.as_str(), ui.lang)) } }
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
pub(crate) fn source_page(
    state: &AppState,
    ui: &Ui,
    iri: &NamedNode,
    view: &SourceView,
    triples: Option<u64>,
) -> Markup {
    let ns = state.ns();
    let labels = &view.labels;
    let path = crate::catalog::local_path(ns, iri.as_str()).unwrap_or_default();
    let title_predicate = format!("{}title", coopgraph_rdf::vocab::DCTERMS);
    let title = view
        .about
        .iter()
        .find(|(p, _)| p.as_str() == title_predicate)
        .map_or_else(|| short(ns, iri.as_str()), |(_, o)| crate::describe::text(o));
    let empty = Labels::new();
    layout_in(
        state,
        ui,
        &title,
        alternate_links(path),
        html! {
            h1 { (title) }
            p { span.kind style="background:#555" { (ui.t("source document", "来源文件")) } " " span.iri { (iri.as_str()) } }
            table {
                @for (p, o) in &view.about {
                    tr { th { (short(ns, p.as_str())) } td { (term(ns, &empty, o)) } }
                }
            }
            (data_links(path))
            @if let Some(n) = triples { p.muted { "Its named graph holds " (n) " triples." } }
            @if !view.paragraphs.is_empty() {
                h2 #paragraphs { (ui.t("Paragraphs cited", "被引用的段落")) " (" (thousands(view.paragraphs.len())) ")" }
                p.muted { (ui.t("Each citation of this document links here, to its paragraph and language version.", "本文件的每条引文都链接到此处对应的段落和语言版本。")) }
                ol.paragraphs {
                    @for (c, n) in &view.paragraphs {
                        li id=(c.anchor()) {
                            a href=(format!("#{}", c.anchor())) {
                                @if let Some(p) = c.paragraph { "¶" (p) } @else { (ui.t("the whole document", "全文")) }
                                @if let Some(l) = &c.lang { " (" (l) ")" }
                            }
                            " " span.muted { (c.source) "#" (c.anchor()) " · " (ui.t("cited by", "被引用")) " " (thousands(*n)) }
                        }
                    }
                }
            }
            h2 #relations { (ui.t("Relations it states", "所述关系")) " (" (thousands(view.relations.total)) ")" }
            (pager(path, &view.relations))
            table {
                tr { th { "subject" } th { "relation" } th { "object" } th { "paragraphs" } }
                @for r in &view.relations.rows {
                    tr {
                        td { (entity_link(ns, labels, r.subject.as_str(), ui.lang)) }
                        td { (relation_label(ns, &r.property)) }
                        td { (entity_link(ns, labels, r.object.as_str(), ui.lang)) }
                        td { (cites(&r.paragraphs)) }
                    }
                }
            }
            h2 #figures { (ui.t("Figures it gives", "所给数据")) " (" (thousands(view.figures.total)) ")" }
            (pager(path, &view.figures))
            table {
                tr { th { "about" } th { "measure" } th { "value" } th { "paragraphs" } }
                @for f in &view.figures.rows {
                    tr {
                        td { (entity_link(ns, labels, f.about.as_str(), ui.lang)) }
                        td { (label_en(ns, labels, f.measure.as_str())) }
                        td { (f.value) @if let Some(u) = &f.unit { " " (u) } }
                        td { (cites(&f.paragraphs)) }
                    }
                }
            }
            h2 #entities { (ui.t("Entities it mentions", "提及的实体")) " (" (thousands(view.entities.total)) ")" }
            (pager(path, &view.entities))
            ul {
                @for (e, c) in &view.entities.rows {
                    li { (entity_link(ns, labels, e.as_str(), ui.lang)) " " span.muted { (cites(c)) } }
                }
            }
        },
    )
}

/// The page of any other resource: its triples and what links to it.
pub(crate) fn generic_page(state: &AppState, ui: &Ui, iri: &NamedNode, view: &GenericView) -> Markup {
    let ns = state.ns();
    let labels = &view.labels;
    let path = crate::catalog::local_path(ns, iri.as_str()).unwrap_or_default();
    let title = label_en(ns, labels, iri.as_str());
    layout_in(
        state,
        ui,
        &title,
        alternate_links(path),
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

/// A term of the ontology (or any IRI) as a link: `coop:` terms to their
/// anchor on the ontology page.
fn vocab_link(ns: &Namespaces, iri: &NamedNode) -> Markup {
    html! { a href=(href(ns, iri.as_str())) { code { (short(ns, iri.as_str())) } } }
}

/// Dates as shown, followed, when they were inferred from context, by how
/// they were resolved (`coop:dateNote`).
fn dates(ui: &Ui, period: &str, date_note: Option<&str>) -> Markup {
    html! {
        (period)
        @if let Some(note) = date_note {
            " " span.inferred { "(" (ui.t("inferred: ", "推定：")) (note) ")" }
        }
    }
}

fn expr(ns: &Namespaces, e: &crate::ontology::Expr, lang: Lang) -> Markup {
    use crate::ontology::Expr;
    html! {
        @match e {
            Expr::Named(n) => (vocab_link(ns, n)),
            Expr::Union(members) => {
                @for (i, m) in members.iter().enumerate() {
                    @if i > 0 { " " (lang.t("or", "或")) " " }
                    (vocab_link(ns, m))
                }
            }
            Expr::Other(text) => code { (text) },
        }
    }
}

fn exprs(ns: &Namespaces, list: &[crate::ontology::Expr], lang: Lang) -> Markup {
    html! {
        @for (i, e) in list.iter().enumerate() { @if i > 0 { "; " } (expr(ns, e, lang)) }
    }
}

/// The text in `lang`, else in English, else any.
fn in_lang(texts: &BTreeMap<String, String>, lang: Lang) -> Option<&String> {
    texts.get(lang.tag()).or_else(|| texts.get("en")).or_else(|| texts.values().next())
}

/// The ontology as a page: every class and property with its labels,
/// comment, super-terms, domain, range and alignments, each at the anchor
/// of its local name; classes with their number of instances and a link
/// to the page listing them.
pub(crate) fn ontology_page(state: &AppState, ui: &Ui, view: &crate::ontology::OntologyView) -> Markup {
    use crate::ontology::Group;
    let ns = state.ns();
    let snapshot = state.snapshot();
    let lang = ui.lang;
    let title = in_lang(&view.title, lang).cloned().unwrap_or_else(|| "Ontology".to_owned());
    let groups = [Group::Class, Group::ObjectProperty, Group::DatatypeProperty, Group::Other];
    let heading = |g: Group| if lang == Lang::Zh { g.heading().1 } else { g.heading().0 };
    layout_in(
        state,
        ui,
        &title,
        html! {
            link rel="alternate" type="text/turtle" href="/data/ontology.ttl" title="Turtle";
            link rel="alternate" type="application/ld+json" href="/data/ontology.jsonld" title="JSON-LD";
        },
        html! {
            h1 { (title) }
            @if let Some(d) = in_lang(&view.description, lang) { p { (d) } }
            p.muted {
                "Namespace " code { (ns.vocab()) } " (prefix " code { "coop:" } ")"
                @if let Some(v) = &view.version { ", version " (v) }
                ". " (ui.t("Also as", "其他格式：")) " " a href="/data/ontology.ttl" { "Turtle" } " · " a href="/data/ontology.jsonld" { "JSON-LD" }
                " · " a href="/data/ontology.nt" { "N-Triples" } " · " a href="/data/ontology.rdf" { "RDF/XML" }
            }
            @for g in groups {
                @let terms: Vec<_> = view.terms.iter().filter(|t| t.group == g).collect();
                @if !terms.is_empty() {
                    h2 id=(format!("group-{g:?}")) { (heading(g)) " (" (terms.len()) ")" }
                    ul.toc { @for t in &terms { li { a href=(format!("#{}", t.local)) { code { (t.local) } } " " span.muted { (in_lang(&t.labels, lang).map(String::as_str).unwrap_or_default()) } } } }
                }
            }
            @for t in &view.terms {
                section.term id=(t.local) {
                    h3 {
                        code { "coop:" (t.local) }
                        @if let Some(en) = t.labels.get("en") { " " span lang="en" { (en) } }
                        @if let Some(zh) = t.labels.get("zh") { " " span.muted lang="zh" { (zh) } }
                    }
                    @for (l, c) in &t.comments { p lang=(l) { (c) } }
                    dl.meta {
                        dt { "IRI" } dd.iri { (t.iri.as_str()) }
                        @if !t.supers.is_empty() {
                            dt { @if t.group == Group::Class { (ui.t("Subclass of", "父类")) } @else { (ui.t("Subproperty of", "父属性")) } }
                            dd { (exprs(ns, &t.supers, lang)) }
                        }
                        @if !t.subterms.is_empty() {
                            dt { @if t.group == Group::Class { (ui.t("Subclasses", "子类")) } @else { (ui.t("Subproperties", "子属性")) } }
                            dd { @for (i, s) in t.subterms.iter().enumerate() { @if i > 0 { ", " } (vocab_link(ns, s)) } }
                        }
                        @if !t.domain.is_empty() { dt { (ui.t("Domain", "定义域")) } dd { (exprs(ns, &t.domain, lang)) } }
                        @if !t.range.is_empty() { dt { (ui.t("Range", "值域")) } dd { (exprs(ns, &t.range, lang)) } }
                        @if !t.matches.is_empty() {
                            dt { (ui.t("Matches", "对应")) }
                            dd { @for (i, (p, o)) in t.matches.iter().enumerate() { @if i > 0 { "; " } (short(ns, p.as_str())) " " (vocab_link(ns, o)) } }
                        }
                        @if t.group == Group::Class {
                            dt { (ui.t("Instances", "实例")) }
                            dd { a href=(format!("/ontology/{}", t.local)) { (thousands(usize::try_from(snapshot.stats.instances(t.iri.as_str())).unwrap_or(usize::MAX))) } }
                        }
                    }
                }
            }
        },
    )
}

/// The page of a class: its definition and its instances, a page at a time.
pub(crate) fn class_page(
    state: &AppState,
    ui: &Ui,
    term: &crate::ontology::TermView,
    instances: &Page<NamedNode>,
    labels: &Labels,
) -> Markup {
    let ns = state.ns();
    let lang = ui.lang;
    let label = in_lang(&term.labels, lang).cloned().unwrap_or_else(|| term.local.clone());
    let path = format!("ontology/{}", term.local);
    layout_in(
        state,
        ui,
        &label,
        html! {},
        html! {
            h1 { (label) " " span.muted { code { "coop:" (term.local) } } }
            @if let Some(c) = in_lang(&term.comments, lang) { p { (c) } }
            p { a href=(format!("/ontology#{}", term.local)) { (ui.t("Its definition in the ontology", "本体中的定义")) } }
            h2 #instances { (ui.t("Instances", "实例")) " (" (thousands(instances.total)) ")" }
            (pager_at(&format!("/{path}"), instances))
            ul { @for e in &instances.rows { li { (entity_link(ns, labels, e.as_str(), lang)) } } }
            (pager_at(&format!("/{path}"), instances))
        },
    )
}
