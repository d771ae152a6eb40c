//! Reading what pages and documents show from the store, with SPARQL. Every
//! function here blocks: handlers call them from `spawn_blocking`.

use std::collections::BTreeMap;
use std::time::Duration;

use coopgraph_model::schema::{KINDS, KindSpec, RELATION_TYPES, RelationType};
use coopgraph_rdf::oxigraph::model::{NamedNode, Term};
use coopgraph_rdf::oxigraph::sparql::QueryResults;
use coopgraph_rdf::oxigraph::store::Store;
use coopgraph_rdf::query::{QueryOptions, run_query};
use coopgraph_rdf::{Namespaces, RdfError};
use indexmap::IndexMap;

/// Labels by IRI, then by language.
pub(crate) type Labels = BTreeMap<String, BTreeMap<String, String>>;

/// One row of a SELECT: variable name to value.
pub(crate) type Row = BTreeMap<String, Term>;

/// Runs an internal SELECT and collects its rows.
pub(crate) fn select(store: &Store, ns: &Namespaces, text: &str, timeout: Duration) -> Result<Vec<Row>, RdfError> {
    let options = QueryOptions { timeout: Some(timeout), ..QueryOptions::default() };
    let results = run_query(store, ns, text, Vec::new(), &options, "page query")?;
    let QueryResults::Solutions(solutions) = results else {
        return Err(RdfError::Query("an internal query is not a SELECT".into()));
    };
    let mut rows = Vec::new();
    for solution in solutions {
        let solution = solution.map_err(|e| coopgraph_rdf::query::query_error(e, &options))?;
        rows.push(solution.iter().map(|(v, t)| (v.as_str().to_owned(), t.clone())).collect());
    }
    Ok(rows)
}

/// The lexical value of a literal or the IRI of a node.
pub(crate) fn text(term: &Term) -> String {
    match term {
        Term::Literal(l) => l.value().to_owned(),
        Term::NamedNode(n) => n.as_str().to_owned(),
        other => other.to_string(),
    }
}

fn get_text(row: &Row, var: &str) -> Option<String> {
    row.get(var).map(text)
}

fn get_iri(row: &Row, var: &str) -> Option<NamedNode> {
    match row.get(var) {
        Some(Term::NamedNode(n)) => Some(n.clone()),
        _ => None,
    }
}

/// Counts shown on the home page and in the VoID description.
#[derive(Debug, Clone, Default)]
pub(crate) struct Summary {
    /// Triples in the default graph (the union).
    pub(crate) triples: u64,
    /// Quads in named graphs.
    pub(crate) quads: u64,
    /// Entities per kind, in the order of [`KINDS`].
    pub(crate) entities: Vec<(&'static KindSpec, u64)>,
    /// Relation statements.
    pub(crate) statements: u64,
    /// Figures.
    pub(crate) figures: u64,
    /// Named graphs with their sizes.
    pub(crate) graphs: Vec<(NamedNode, u64)>,
    /// Distinct subjects, objects, properties and classes of the union.
    pub(crate) distinct_subjects: u64,
    pub(crate) distinct_objects: u64,
    pub(crate) properties: u64,
    pub(crate) classes: u64,
    /// An entity to show as an example (the first country).
    pub(crate) example: Option<NamedNode>,
}

fn count(store: &Store, ns: &Namespaces, query: &str, timeout: Duration) -> Result<u64, RdfError> {
    let rows = select(store, ns, query, timeout)?;
    Ok(rows.first().and_then(|r| get_text(r, "n")).and_then(|n| n.parse().ok()).unwrap_or(0))
}

/// Reads the counts once at start-up.
pub(crate) fn summary(store: &Store, ns: &Namespaces, timeout: Duration) -> Result<Summary, RdfError> {
    // Start-up reads the whole store once; allow it more than one query's limit.
    let timeout = timeout.max(Duration::from_secs(600));
    let mut s = Summary {
        triples: count(store, ns, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", timeout)?,
        quads: count(store, ns, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", timeout)?,
        statements: count(store, ns, "SELECT (COUNT(*) AS ?n) WHERE { ?s a coop:RelationStatement }", timeout)?,
        figures: count(store, ns, "SELECT (COUNT(*) AS ?n) WHERE { ?s a coop:Figure }", timeout)?,
        distinct_subjects: count(store, ns, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }", timeout)?,
        distinct_objects: count(store, ns, "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }", timeout)?,
        properties: count(store, ns, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }", timeout)?,
        classes: count(store, ns, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }", timeout)?,
        ..Summary::default()
    };
    for spec in KINDS {
        let q = format!("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e a coop:{} }}", spec.class_name);
        s.entities.push((spec, count(store, ns, &q, timeout)?));
    }
    let graphs = select(
        store,
        ns,
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
        timeout,
    )?;
    for row in graphs {
        if let (Some(g), Some(n)) = (get_iri(&row, "g"), get_text(&row, "n").and_then(|n| n.parse().ok())) {
            s.graphs.push((g, n));
        }
    }
    let example = select(store, ns, "SELECT ?e WHERE { ?e a coop:Country } ORDER BY ?e LIMIT 1", timeout)?;
    s.example = example.first().and_then(|r| get_iri(r, "e"));
    Ok(s)
}

/// Does anything describe `iri` (as a subject, or as a named graph)?
pub(crate) fn exists(store: &Store, iri: &NamedNode) -> Result<bool, RdfError> {
    use coopgraph_rdf::oxigraph::model::NamedOrBlankNodeRef;
    let as_subject =
        store.quads_for_pattern(Some(NamedOrBlankNodeRef::from(iri.as_ref())), None, None, None).next().is_some();
    let as_graph = store.contains_named_graph(iri.as_ref()).map_err(|e| RdfError::Store(e.to_string()))?;
    Ok(as_subject || as_graph)
}

/// Labels of `nodes`, by language (`en`, `zh`, ...).
pub(crate) fn labels(
    store: &Store,
    ns: &Namespaces,
    nodes: impl IntoIterator<Item = NamedNode>,
    timeout: Duration,
) -> Result<BTreeMap<String, BTreeMap<String, String>>, RdfError> {
    let values: Vec<String> = nodes.into_iter().map(|n| n.to_string()).collect();
    let mut out: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for chunk in values.chunks(200) {
        let q = format!("SELECT ?x ?l WHERE {{ VALUES ?x {{ {} }} ?x rdfs:label ?l }} ORDER BY ?x ?l", chunk.join(" "));
        for row in select(store, ns, &q, timeout)? {
            if let (Some(x), Some(Term::Literal(l))) = (get_iri(&row, "x"), row.get("l")) {
                let lang = l.language().unwrap_or("").to_owned();
                out.entry(x.as_str().to_owned()).or_default().entry(lang).or_insert_with(|| l.value().to_owned());
            }
        }
    }
    Ok(out)
}

/// Where a statement or figure is stated: a source document and paragraph.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Cite {
    /// Source id (`000`).
    pub(crate) source: String,
    pub(crate) paragraph: Option<i64>,
    pub(crate) lang: Option<String>,
}

impl Cite {
    fn from_row(row: &Row, ns: &Namespaces) -> Option<Cite> {
        let graph = get_iri(row, "srcg")?;
        let prefix = format!("{}source/", ns.base());
        let source = graph.as_str().strip_prefix(&prefix)?.to_owned();
        Some(Cite {
            source,
            paragraph: get_text(row, "para").and_then(|p| p.parse().ok()),
            lang: get_text(row, "lang"),
        })
    }
}

/// Adds the citation of `row` to `cites` unless it is there already.
fn add_cite(cites: &mut Vec<Cite>, row: &Row, ns: &Namespaces) {
    if let Some(c) = Cite::from_row(row, ns)
        && !cites.contains(&c)
    {
        cites.push(c);
    }
}

/// Dates of a statement or figure, as shown: `2011-10 – 2011-12`, `as of 2020`.
fn period(row: &Row) -> String {
    let mut parts = Vec::new();
    if let Some(d) = get_text(row, "date") {
        parts.push(d);
    }
    match (get_text(row, "start"), get_text(row, "end")) {
        (Some(s), Some(e)) => parts.push(format!("{s} – {e}")),
        (Some(s), None) => parts.push(format!("from {s}")),
        (None, Some(e)) => parts.push(format!("until {e}")),
        (None, None) => {}
    }
    if let Some(a) = get_text(row, "asof") {
        parts.push(format!("as of {a}"));
    }
    parts.join(", ")
}

/// A relation of an entity, seen from that entity.
#[derive(Debug, Clone)]
pub(crate) struct RelationRow {
    pub(crate) relation: Option<&'static RelationType>,
    pub(crate) property: NamedNode,
    /// True when the entity is the subject.
    pub(crate) outgoing: bool,
    pub(crate) other: NamedNode,
    pub(crate) role: Option<String>,
    pub(crate) period: String,
    pub(crate) note: Option<String>,
    pub(crate) implied: bool,
    pub(crate) cites: Vec<Cite>,
}

/// A figure about an entity.
#[derive(Debug, Clone)]
pub(crate) struct FigureRow {
    pub(crate) node: NamedNode,
    pub(crate) measure: NamedNode,
    pub(crate) value: String,
    pub(crate) unit: Option<String>,
    pub(crate) period: String,
    pub(crate) note: Option<String>,
    pub(crate) counterpart: Option<NamedNode>,
    pub(crate) cites: Vec<Cite>,
    /// Another figure for the same measure gives a different value.
    pub(crate) conflict: bool,
}

/// Everything an entity page shows.
#[derive(Debug, Clone, Default)]
pub(crate) struct EntityView {
    pub(crate) kind: Option<&'static KindSpec>,
    pub(crate) classes: Vec<NamedNode>,
    pub(crate) description: Option<String>,
    pub(crate) aliases: Vec<(String, String)>,
    pub(crate) wikidata: Option<String>,
    pub(crate) period: String,
    pub(crate) binding: Option<String>,
    pub(crate) relations: Vec<RelationRow>,
    pub(crate) figures: Vec<FigureRow>,
    pub(crate) mentioned_in: Vec<Cite>,
    /// Labels of the entity and of everything it links to.
    pub(crate) labels: BTreeMap<String, BTreeMap<String, String>>,
    /// Kind class (`Country` ...) of each related entity, by IRI.
    pub(crate) kinds: BTreeMap<String, String>,
}

/// The relation type whose property is `property`.
pub(crate) fn relation_type(ns: &Namespaces, property: &NamedNode) -> Option<&'static RelationType> {
    let local = property.as_str().strip_prefix(ns.vocab())?;
    RELATION_TYPES.iter().find(|r| r.property == local)
}

/// Reads an entity (or any resource with relations and figures).
pub(crate) fn entity(
    store: &Store,
    ns: &Namespaces,
    iri: &NamedNode,
    timeout: Duration,
) -> Result<EntityView, RdfError> {
    let mut view = EntityView::default();
    let e = iri.to_string();
    let own = select(store, ns, &format!("SELECT ?p ?o WHERE {{ {e} ?p ?o }} ORDER BY ?p ?o"), timeout)?;
    for row in &own {
        let (Some(p), Some(o)) = (get_iri(row, "p"), row.get("o")) else { continue };
        let local = p.as_str();
        if local == coopgraph_rdf::oxigraph::model::vocab::rdf::TYPE.as_str() {
            if let Term::NamedNode(c) = o {
                view.classes.push(c.clone());
                if let Some(name) = c.as_str().strip_prefix(ns.vocab()) {
                    view.kind = view.kind.or_else(|| KINDS.iter().copied().find(|k| k.class_name == name));
                }
            }
        } else if local == format!("{}description", coopgraph_rdf::vocab::DCTERMS) {
            view.description = Some(text(o));
        } else if local == format!("{}altLabel", coopgraph_rdf::vocab::SKOS) {
            if let Term::Literal(l) = o {
                view.aliases.push((l.language().unwrap_or("").to_owned(), l.value().to_owned()));
            }
        } else if local == format!("{}sameAs", coopgraph_rdf::vocab::OWL) {
            if let Some(q) = text(o).strip_prefix(coopgraph_rdf::vocab::WD) {
                view.wikidata = Some(q.to_owned());
            }
        } else if local == ns.term(coopgraph_rdf::vocab::BINDING).as_str() {
            view.binding = Some(text(o));
        }
    }
    let mut dates = Row::new();
    for (var, term) in [("date", "date"), ("start", "start"), ("end", "end"), ("asof", "asOf")] {
        if let Some(row) = own.iter().find(|r| get_iri(r, "p").is_some_and(|p| p == ns.term(term)))
            && let Some(o) = row.get("o")
        {
            dates.insert(var.to_owned(), o.clone());
        }
    }
    view.period = period(&dates);

    let relations = select(
        store,
        ns,
        &format!(
            "SELECT ?st ?s ?p ?o ?role ?date ?start ?end ?asof ?note ?implied ?srcg ?para ?lang WHERE {{
               {{ ?st rdf:subject {e} }} UNION {{ ?st rdf:object {e} }}
               ?st a coop:RelationStatement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
               OPTIONAL {{ ?st coop:role ?role }} OPTIONAL {{ ?st coop:date ?date }}
               OPTIONAL {{ ?st coop:start ?start }} OPTIONAL {{ ?st coop:end ?end }}
               OPTIONAL {{ ?st coop:asOf ?asof }} OPTIONAL {{ ?st coop:note ?note }}
               OPTIONAL {{ ?st coop:implied ?implied }}
               OPTIONAL {{ ?st prov:wasDerivedFrom ?c . ?c coop:source ?srcg .
                          OPTIONAL {{ ?c coop:paragraph ?para }} OPTIONAL {{ ?c dcterms:language ?lang }} }}
             }} ORDER BY ?p ?s ?o ?st ?srcg ?para ?lang"
        ),
        timeout,
    )?;
    let mut by_statement: IndexMap<String, RelationRow> = IndexMap::new();
    for row in &relations {
        let (Some(st), Some(s), Some(p), Some(o)) =
            (get_iri(row, "st"), get_iri(row, "s"), get_iri(row, "p"), get_iri(row, "o"))
        else {
            continue;
        };
        let outgoing = &s == iri;
        let entry = by_statement.entry(st.as_str().to_owned()).or_insert_with(|| RelationRow {
            relation: relation_type(ns, &p),
            property: p.clone(),
            outgoing,
            other: if outgoing { o.clone() } else { s.clone() },
            role: get_text(row, "role"),
            period: period(row),
            note: get_text(row, "note"),
            implied: get_text(row, "implied").is_some_and(|v| v == "true"),
            cites: Vec::new(),
        });
        add_cite(&mut entry.cites, row, ns);
    }
    view.relations = by_statement.into_values().collect();

    let figures = select(
        store,
        ns,
        &format!(
            "SELECT ?f ?m ?v ?u ?date ?start ?end ?asof ?note ?cp ?srcg ?para ?lang WHERE {{
               ?f coop:about {e} ; coop:measure ?m ; coop:value ?v .
               OPTIONAL {{ ?f coop:unit ?u }} OPTIONAL {{ ?f coop:date ?date }}
               OPTIONAL {{ ?f coop:start ?start }} OPTIONAL {{ ?f coop:end ?end }}
               OPTIONAL {{ ?f coop:asOf ?asof }} OPTIONAL {{ ?f coop:note ?note }}
               OPTIONAL {{ ?f coop:counterpart ?cp }}
               OPTIONAL {{ ?f prov:wasDerivedFrom ?c . ?c coop:source ?srcg .
                          OPTIONAL {{ ?c coop:paragraph ?para }} OPTIONAL {{ ?c dcterms:language ?lang }} }}
             }} ORDER BY ?m ?f ?srcg ?para ?lang"
        ),
        timeout,
    )?;
    let mut by_figure: IndexMap<String, FigureRow> = IndexMap::new();
    for row in &figures {
        let (Some(f), Some(m), Some(v)) = (get_iri(row, "f"), get_iri(row, "m"), get_text(row, "v")) else { continue };
        let entry = by_figure.entry(f.as_str().to_owned()).or_insert_with(|| FigureRow {
            node: f.clone(),
            measure: m.clone(),
            value: v,
            unit: get_text(row, "u"),
            period: period(row),
            note: get_text(row, "note"),
            counterpart: get_iri(row, "cp"),
            cites: Vec::new(),
            conflict: false,
        });
        add_cite(&mut entry.cites, row, ns);
    }
    let mut figures: Vec<FigureRow> = by_figure.into_values().collect();
    // Figures for the same measure (and counterpart) that disagree are flagged.
    let snapshot = figures.clone();
    for f in &mut figures {
        f.conflict = snapshot.iter().any(|g| {
            g.node != f.node && g.measure == f.measure && g.counterpart == f.counterpart && g.value != f.value
        });
    }
    view.figures = figures;

    let mentions = select(
        store,
        ns,
        &format!(
            "SELECT DISTINCT ?srcg ?para ?lang WHERE {{ {e} coop:mentionedIn ?c . ?c coop:source ?srcg .
               OPTIONAL {{ ?c coop:paragraph ?para }} OPTIONAL {{ ?c dcterms:language ?lang }} }} ORDER BY ?srcg ?para ?lang"
        ),
        timeout,
    )?;
    view.mentioned_in = mentions.iter().filter_map(|r| Cite::from_row(r, ns)).collect();

    let mut nodes = vec![iri.clone()];
    nodes.extend(view.relations.iter().map(|r| r.other.clone()));
    nodes.extend(view.figures.iter().map(|f| f.measure.clone()));
    nodes.extend(view.figures.iter().filter_map(|f| f.counterpart.clone()));
    nodes.sort();
    nodes.dedup();
    view.labels = labels(store, ns, nodes, timeout)?;
    let others: Vec<String> = view
        .relations
        .iter()
        .map(|r| r.other.to_string())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let classes: Vec<String> = KINDS.iter().map(|k| format!("coop:{}", k.class_name)).collect();
    for chunk in others.chunks(200) {
        let q = format!(
            "SELECT ?x ?c WHERE {{ VALUES ?x {{ {} }} VALUES ?c {{ {} }} ?x a ?c }}",
            chunk.join(" "),
            classes.join(" ")
        );
        for row in select(store, ns, &q, timeout)? {
            if let (Some(x), Some(c)) = (get_iri(&row, "x"), get_iri(&row, "c"))
                && let Some(name) = c.as_str().strip_prefix(ns.vocab())
            {
                view.kinds.insert(x.as_str().to_owned(), name.to_owned());
            }
        }
    }
    Ok(view)
}

/// One statement a source document makes.
#[derive(Debug, Clone)]
pub(crate) struct StatedRelation {
    pub(crate) subject: NamedNode,
    pub(crate) property: NamedNode,
    pub(crate) object: NamedNode,
    pub(crate) paragraphs: Vec<Cite>,
}

/// One figure a source document gives.
#[derive(Debug, Clone)]
pub(crate) struct StatedFigure {
    pub(crate) about: NamedNode,
    pub(crate) measure: NamedNode,
    pub(crate) value: String,
    pub(crate) unit: Option<String>,
    pub(crate) paragraphs: Vec<Cite>,
}

/// Everything a source page shows.
#[derive(Debug, Clone, Default)]
pub(crate) struct SourceView {
    /// The source's own description: predicate to values.
    pub(crate) about: Vec<(NamedNode, Term)>,
    pub(crate) relations: Vec<StatedRelation>,
    pub(crate) figures: Vec<StatedFigure>,
    pub(crate) entities: Vec<(NamedNode, Vec<Cite>)>,
    pub(crate) triples_in_graph: u64,
    pub(crate) labels: BTreeMap<String, BTreeMap<String, String>>,
}

/// Reads what a source document states (its named graph).
pub(crate) fn source(
    store: &Store,
    ns: &Namespaces,
    graph: &NamedNode,
    timeout: Duration,
) -> Result<SourceView, RdfError> {
    let g = graph.to_string();
    let mut view = SourceView::default();
    for row in select(store, ns, &format!("SELECT ?p ?o WHERE {{ {g} ?p ?o }} ORDER BY ?p ?o"), timeout)? {
        if let (Some(p), Some(o)) = (get_iri(&row, "p"), row.get("o")) {
            view.about.push((p, o.clone()));
        }
    }
    view.triples_in_graph =
        count(store, ns, &format!("SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {g} {{ ?s ?p ?o }} }}"), timeout)?;
    let cite_pattern = format!(
        "OPTIONAL {{ ?x prov:wasDerivedFrom ?c . ?c coop:source ?srcg . FILTER(?srcg = {g})
                     OPTIONAL {{ ?c coop:paragraph ?para }} OPTIONAL {{ ?c dcterms:language ?lang }} }}"
    );
    let relations = select(
        store,
        ns,
        &format!(
            "SELECT ?x ?s ?p ?o ?srcg ?para ?lang WHERE {{ GRAPH {g} {{
               ?x a coop:RelationStatement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o . {cite_pattern} }}
             }} ORDER BY ?p ?s ?o ?x ?para ?lang"
        ),
        timeout,
    )?;
    let mut by_statement: IndexMap<String, StatedRelation> = IndexMap::new();
    for row in &relations {
        let (Some(x), Some(s), Some(p), Some(o)) =
            (get_iri(row, "x"), get_iri(row, "s"), get_iri(row, "p"), get_iri(row, "o"))
        else {
            continue;
        };
        let entry = by_statement.entry(x.as_str().to_owned()).or_insert_with(|| StatedRelation {
            subject: s,
            property: p,
            object: o,
            paragraphs: Vec::new(),
        });
        add_cite(&mut entry.paragraphs, row, ns);
    }
    view.relations = by_statement.into_values().collect();
    let figures = select(
        store,
        ns,
        &format!(
            "SELECT ?x ?a ?m ?v ?u ?srcg ?para ?lang WHERE {{ GRAPH {g} {{
               ?x a coop:Figure ; coop:about ?a ; coop:measure ?m ; coop:value ?v . OPTIONAL {{ ?x coop:unit ?u }} {cite_pattern} }}
             }} ORDER BY ?a ?m ?x ?para ?lang"
        ),
        timeout,
    )?;
    let mut by_figure: IndexMap<String, StatedFigure> = IndexMap::new();
    for row in &figures {
        let (Some(x), Some(a), Some(m), Some(v)) =
            (get_iri(row, "x"), get_iri(row, "a"), get_iri(row, "m"), get_text(row, "v"))
        else {
            continue;
        };
        let entry = by_figure.entry(x.as_str().to_owned()).or_insert_with(|| StatedFigure {
            about: a,
            measure: m,
            value: v,
            unit: get_text(row, "u"),
            paragraphs: Vec::new(),
        });
        add_cite(&mut entry.paragraphs, row, ns);
    }
    view.figures = by_figure.into_values().collect();
    let entities = select(
        store,
        ns,
        &format!(
            "SELECT ?e ?srcg ?para ?lang WHERE {{ ?e coop:mentionedIn ?c . ?c coop:source ?srcg . FILTER(?srcg = {g})
               OPTIONAL {{ ?c coop:paragraph ?para }} OPTIONAL {{ ?c dcterms:language ?lang }} }} ORDER BY ?e ?para ?lang"
        ),
        timeout,
    )?;
    let mut by_entity: IndexMap<String, (NamedNode, Vec<Cite>)> = IndexMap::new();
    for row in &entities {
        let Some(e) = get_iri(row, "e") else { continue };
        let entry = by_entity.entry(e.as_str().to_owned()).or_insert_with(|| (e.clone(), Vec::new()));
        add_cite(&mut entry.1, row, ns);
    }
    view.entities = by_entity.into_values().collect();
    let mut nodes: Vec<NamedNode> = Vec::new();
    for r in &view.relations {
        nodes.extend([r.subject.clone(), r.object.clone()]);
    }
    for f in &view.figures {
        nodes.extend([f.about.clone(), f.measure.clone()]);
    }
    nodes.extend(view.entities.iter().map(|(e, _)| e.clone()));
    nodes.sort();
    nodes.dedup();
    view.labels = labels(store, ns, nodes, timeout)?;
    Ok(view)
}

/// Any other resource: what it states and what points at it.
#[derive(Debug, Clone, Default)]
pub(crate) struct GenericView {
    pub(crate) outgoing: Vec<(NamedNode, Term)>,
    pub(crate) incoming: Vec<(Term, NamedNode)>,
    pub(crate) labels: BTreeMap<String, BTreeMap<String, String>>,
}

/// How many incoming links a generic page lists.
pub(crate) const INCOMING_LIMIT: usize = 500;

/// Reads a resource that is neither an entity nor a source.
pub(crate) fn generic(
    store: &Store,
    ns: &Namespaces,
    iri: &NamedNode,
    timeout: Duration,
) -> Result<GenericView, RdfError> {
    let x = iri.to_string();
    let mut view = GenericView::default();
    for row in select(store, ns, &format!("SELECT ?p ?o WHERE {{ {x} ?p ?o }} ORDER BY ?p ?o"), timeout)? {
        if let (Some(p), Some(o)) = (get_iri(&row, "p"), row.get("o")) {
            view.outgoing.push((p, o.clone()));
        }
    }
    let q = format!("SELECT ?s ?p WHERE {{ ?s ?p {x} }} ORDER BY ?p ?s LIMIT {INCOMING_LIMIT}");
    for row in select(store, ns, &q, timeout)? {
        if let (Some(s), Some(p)) = (row.get("s"), get_iri(&row, "p")) {
            view.incoming.push((s.clone(), p));
        }
    }
    let mut nodes = vec![iri.clone()];
    for (_, o) in &view.outgoing {
        if let Term::NamedNode(n) = o {
            nodes.push(n.clone());
        }
    }
    for (s, _) in &view.incoming {
        if let Term::NamedNode(n) = s {
            nodes.push(n.clone());
        }
    }
    nodes.sort();
    nodes.dedup();
    view.labels = labels(store, ns, nodes, timeout)?;
    Ok(view)
}
