//! Reading what pages and documents show from the store, by quad patterns on
//! the store's indexes. Every read starts from the resource asked for, and
//! does work in proportion to what the page shows (counts in proportion to
//! the resource's own relations), never to the size of the store: long
//! lists come a page at a time ([`PAGE_SIZE`] rows, in IRI order).
//!
//! Every function here blocks: handlers call them from `spawn_blocking`.

use std::collections::{BTreeMap, BTreeSet};

use coopgraph_model::schema::{KINDS, KindSpec, RELATION_TYPES, RelationType};
use coopgraph_rdf::oxigraph::model::vocab::{rdf, rdfs};
use coopgraph_rdf::oxigraph::model::{
    GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Term, TermRef, Triple,
};
use coopgraph_rdf::oxigraph::store::{StorageError, Store};
use coopgraph_rdf::vocab;
use coopgraph_rdf::{Namespaces, RdfError};

/// Labels by IRI, then by language.
pub(crate) type Labels = BTreeMap<String, BTreeMap<String, String>>;

/// Rows of one list a page shows at a time.
pub(crate) const PAGE_SIZE: usize = 50;

/// Entries of an unpaged list (a generic resource's links, an entity's
/// mentions) read at most.
pub(crate) const LIST_LIMIT: usize = 500;

fn store_error(e: StorageError) -> RdfError {
    RdfError::Store(e.to_string())
}

/// The lexical value of a literal or the IRI of a node.
pub(crate) fn text(term: &Term) -> String {
    match term {
        Term::Literal(l) => l.value().to_owned(),
        Term::NamedNode(n) => n.as_str().to_owned(),
        other => other.to_string(),
    }
}

/// Which page of which list a request asks for: `?section=KEY&page=N`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Paging {
    /// The list paged (a [`Section::key`], `figures`, `relations` ...);
    /// every other list shows its first page.
    pub(crate) section: Option<String>,
    /// The page of that list, from 1.
    pub(crate) page: usize,
}

impl Paging {
    /// The paging of a query string (`section=member_of&page=2`); missing
    /// or malformed values give the first page.
    pub(crate) fn from_query(raw: &str) -> Self {
        let mut paging = Self { section: None, page: 1 };
        for (k, v) in form_urlencoded::parse(raw.as_bytes()) {
            match &*k {
                "section" => paging.section = Some(v.into_owned()),
                "page" => paging.page = v.parse().unwrap_or(1),
                _ => {}
            }
        }
        paging.page = paging.page.max(1);
        paging
    }

    /// The page of the list `key`.
    fn page_of(&self, key: &str) -> usize {
        if self.section.as_deref() == Some(key) { self.page } else { 1 }
    }
}

/// One page of a list, with the list's length.
#[derive(Debug, Clone)]
pub(crate) struct Page<T> {
    /// The list's name in `?section=`.
    pub(crate) key: String,
    /// Entries in the whole list.
    pub(crate) total: usize,
    /// This page's number, from 1 (past the last page: an empty page).
    pub(crate) page: usize,
    /// The entries of this page.
    pub(crate) rows: Vec<T>,
}

impl<T> Page<T> {
    fn empty(key: &str) -> Self {
        Self { key: key.to_owned(), total: 0, page: 1, rows: Vec::new() }
    }

    /// Pages in the whole list.
    pub(crate) fn pages(&self) -> usize {
        self.total.div_ceil(PAGE_SIZE).max(1)
    }

    /// The range of entries (from 1) this page shows, for "41–50 of 3,701".
    pub(crate) fn shown(&self) -> (usize, usize) {
        let first = (self.page - 1) * PAGE_SIZE;
        (first + 1, first + self.rows.len())
    }
}

/// The entries of `all` (already in their stable order) on page `page`.
fn slice_page<T: Clone>(all: &[T], page: usize) -> Vec<T> {
    let start = (page - 1).saturating_mul(PAGE_SIZE);
    all.iter().skip(start).take(PAGE_SIZE).cloned().collect()
}

/// Reads of one store, in the default graph (the union of the named graphs)
/// unless a graph is given.
struct Reader<'a> {
    store: &'a Store,
    ns: &'a Namespaces,
}

impl Reader<'_> {
    fn term(&self, local: &str) -> NamedNode {
        self.ns.term(local)
    }

    /// The objects of `(subject, predicate, ?)` in `graph`.
    fn objects(
        &self,
        subject: NamedOrBlankNodeRef<'_>,
        predicate: NamedNodeRef<'_>,
        graph: GraphNameRef<'_>,
    ) -> Result<Vec<Term>, RdfError> {
        self.store
            .quads_for_pattern(Some(subject), Some(predicate), None, Some(graph))
            .map(|q| q.map(|q| q.object).map_err(store_error))
            .collect()
    }

    fn object(&self, subject: NamedOrBlankNodeRef<'_>, predicate: NamedNodeRef<'_>) -> Result<Option<Term>, RdfError> {
        let mut it =
            self.store.quads_for_pattern(Some(subject), Some(predicate), None, Some(GraphNameRef::DefaultGraph));
        it.next().transpose().map(|q| q.map(|q| q.object)).map_err(store_error)
    }

    /// The named subjects of `(?, predicate, object)` in `graph`, in IRI order.
    fn subjects(
        &self,
        predicate: NamedNodeRef<'_>,
        object: TermRef<'_>,
        graph: GraphNameRef<'_>,
    ) -> Result<Vec<NamedNode>, RdfError> {
        let mut out = Vec::new();
        for q in self.store.quads_for_pattern(None, Some(predicate), Some(object), Some(graph)) {
            if let NamedOrBlankNode::NamedNode(n) = q.map_err(store_error)?.subject {
                out.push(n);
            }
        }
        out.sort_unstable_by(|a, b| a.as_str().cmp(b.as_str()));
        out.dedup();
        Ok(out)
    }

    /// Every `(predicate, object)` of `subject`, in order; at most `limit`.
    fn description(&self, subject: NamedOrBlankNodeRef<'_>, limit: usize) -> Result<Vec<(NamedNode, Term)>, RdfError> {
        let mut out = Vec::new();
        for q in self.store.quads_for_pattern(Some(subject), None, None, Some(GraphNameRef::DefaultGraph)).take(limit) {
            let q = q.map_err(store_error)?;
            out.push((q.predicate, q.object));
        }
        out.sort_by_cached_key(|(p, o)| (p.as_str().to_owned(), o.to_string()));
        Ok(out)
    }

    fn has_triples(&self, subject: NamedOrBlankNodeRef<'_>) -> Result<bool, RdfError> {
        let mut it = self.store.quads_for_pattern(Some(subject), None, None, Some(GraphNameRef::DefaultGraph));
        Ok(it.next().transpose().map_err(store_error)?.is_some())
    }

    /// Labels of `nodes`, by language.
    fn labels<'n>(&self, nodes: impl IntoIterator<Item = &'n NamedNode>) -> Result<Labels, RdfError> {
        let mut out = Labels::new();
        for node in nodes {
            if out.contains_key(node.as_str()) {
                continue;
            }
            let mut by_lang = BTreeMap::new();
            let mut values = self.objects(node.into(), rdfs::LABEL, GraphNameRef::DefaultGraph)?;
            values.sort_by_cached_key(Term::to_string);
            for v in values {
                if let Term::Literal(l) = v {
                    by_lang.entry(l.language().unwrap_or("").to_owned()).or_insert_with(|| l.value().to_owned());
                }
            }
            if !by_lang.is_empty() {
                out.insert(node.as_str().to_owned(), by_lang);
            }
        }
        Ok(out)
    }

    /// The kind of `node`, from its classes.
    fn kind(&self, node: &NamedNode) -> Result<Option<&'static KindSpec>, RdfError> {
        let classes = self.objects(node.into(), rdf::TYPE, GraphNameRef::DefaultGraph)?;
        Ok(kind_of_classes(self.ns, &classes))
    }

    /// A citation node: source id, paragraph and language.
    fn cite(&self, node: &Term) -> Result<Option<Cite>, RdfError> {
        let Term::NamedNode(c) = node else { return Ok(None) };
        let Some(Term::NamedNode(source)) = self.object(c.into(), self.term(vocab::SOURCE).as_ref())? else {
            return Ok(None);
        };
        let prefix = format!("{}source/", self.ns.base());
        let Some(id) = source.as_str().strip_prefix(&prefix) else { return Ok(None) };
        let paragraph =
            self.object(c.into(), self.term(vocab::PARAGRAPH).as_ref())?.and_then(|t| text(&t).parse().ok());
        let language = NamedNode::new_unchecked(format!("{}language", vocab::DCTERMS));
        let lang = self.object(c.into(), language.as_ref())?.map(|t| text(&t));
        let anchor = c.as_str().split_once('#').map_or("document", |(_, f)| f).to_owned();
        Ok(Some(Cite { source: id.to_owned(), paragraph, lang, anchor }))
    }

    /// The citations `node` is derived from (`prov:wasDerivedFrom`), in order.
    fn cites_of(&self, node: &NamedNode, only_source: Option<&str>) -> Result<Vec<Cite>, RdfError> {
        let derived = NamedNode::new_unchecked(format!("{}wasDerivedFrom", vocab::PROV));
        let mut cites = Vec::new();
        for c in self.objects(node.into(), derived.as_ref(), GraphNameRef::DefaultGraph)? {
            if let Some(cite) = self.cite(&c)?
                && only_source.is_none_or(|s| s == cite.source)
            {
                cites.push(cite);
            }
        }
        cites.sort();
        cites.dedup();
        Ok(cites)
    }

    /// Dates of a node, as shown: `2011-10 – 2011-12`, `as of 2020`.
    fn period(&self, own: &[(NamedNode, Term)]) -> String {
        let get = |local: &str| {
            let p = self.term(local);
            own.iter().find(|(q, _)| *q == p).map(|(_, o)| text(o))
        };
        period(get(vocab::DATE), get(vocab::START), get(vocab::END), get(vocab::AS_OF))
    }
}

/// Dates as shown: `2011-10 – 2011-12`, `from 2015`, `as of 2020`.
fn period(date: Option<String>, start: Option<String>, end: Option<String>, as_of: Option<String>) -> String {
    let mut parts = Vec::new();
    if let Some(d) = date {
        parts.push(d);
    }
    match (start, end) {
        (Some(s), Some(e)) => parts.push(format!("{s} – {e}")),
        (Some(s), None) => parts.push(format!("from {s}")),
        (None, Some(e)) => parts.push(format!("until {e}")),
        (None, None) => {}
    }
    if let Some(a) = as_of {
        parts.push(format!("as of {a}"));
    }
    parts.join(", ")
}

/// The first kind whose class is among `classes`.
fn kind_of_classes(ns: &Namespaces, classes: &[Term]) -> Option<&'static KindSpec> {
    classes.iter().find_map(|c| match c {
        Term::NamedNode(c) => {
            let name = c.as_str().strip_prefix(ns.vocab())?;
            KINDS.iter().copied().find(|k| k.class_name == name)
        }
        _ => None,
    })
}

/// Does anything describe `iri` (as a subject, or as a named graph)?
pub(crate) fn exists(store: &Store, iri: &NamedNode) -> Result<bool, RdfError> {
    let as_subject =
        store.quads_for_pattern(Some(NamedOrBlankNodeRef::from(iri.as_ref())), None, None, None).next().is_some();
    let as_graph = store.contains_named_graph(iri.as_ref()).map_err(store_error)?;
    Ok(as_subject || as_graph)
}

/// Where a statement or figure is stated: a source document and paragraph.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Cite {
    /// Source id (`000`).
    pub(crate) source: String,
    pub(crate) paragraph: Option<i64>,
    pub(crate) lang: Option<String>,
    /// The fragment of the citation's IRI (`p2-en`), the paragraph's anchor
    /// on the source page.
    pub(crate) anchor: String,
}

impl Cite {
    /// The anchor of the cited paragraph on its source's page.
    pub(crate) fn anchor(&self) -> &str {
        &self.anchor
    }
}

/// A relation of an entity, seen from that entity.
#[derive(Debug, Clone)]
pub(crate) struct RelationRow {
    pub(crate) other: NamedNode,
    pub(crate) role: Option<String>,
    pub(crate) period: String,
    /// How the dates were resolved, when they were inferred from context.
    pub(crate) date_note: Option<String>,
    pub(crate) note: Option<String>,
    pub(crate) implied: bool,
    pub(crate) cites: Vec<Cite>,
}

/// The relations of one type and direction, a page at a time.
#[derive(Debug, Clone)]
pub(crate) struct Section {
    pub(crate) relation: &'static RelationType,
    /// True when the entity is the subject.
    pub(crate) outgoing: bool,
    /// Related entities (distinct) and this page's rows (one per statement).
    pub(crate) page: Page<RelationRow>,
}

impl Section {
    /// The section's name in `?section=`: `member_of`, or `member_of-in` for
    /// the relations pointing at the entity.
    pub(crate) fn key(relation: &RelationType, outgoing: bool) -> String {
        if outgoing { relation.name.to_owned() } else { format!("{}-in", relation.name) }
    }
}

/// A figure about an entity.
#[derive(Debug, Clone)]
pub(crate) struct FigureRow {
    pub(crate) node: NamedNode,
    pub(crate) measure: NamedNode,
    pub(crate) value: String,
    pub(crate) unit: Option<String>,
    pub(crate) period: String,
    /// How the dates were resolved, when they were inferred from context.
    pub(crate) date_note: Option<String>,
    pub(crate) note: Option<String>,
    pub(crate) counterpart: Option<NamedNode>,
    pub(crate) cites: Vec<Cite>,
    /// Another figure for the same measure (and counterpart) gives a different value.
    pub(crate) conflict: bool,
}

/// Everything an entity page shows.
#[derive(Debug, Clone)]
pub(crate) struct EntityView {
    pub(crate) kind: Option<&'static KindSpec>,
    pub(crate) classes: Vec<NamedNode>,
    pub(crate) description: Option<String>,
    pub(crate) aliases: Vec<(String, String)>,
    pub(crate) wikidata: Option<String>,
    pub(crate) period: String,
    /// How the dates were resolved, when they were inferred from context.
    pub(crate) date_note: Option<String>,
    /// Its own dates by property (`start`, `end`, `date`, `asOf`), as written.
    pub(crate) dates: Vec<(&'static str, String)>,
    pub(crate) binding: Option<String>,
    /// An operation's place in its numbered series.
    pub(crate) ordinal: Option<String>,
    /// Relations by type and direction, in the schema's order; empty
    /// sections left out.
    pub(crate) sections: Vec<Section>,
    /// Distinct entities related to this one, in every section.
    pub(crate) neighbours: usize,
    pub(crate) figures: Page<FigureRow>,
    pub(crate) mentioned_in: Vec<Cite>,
    /// Labels of the entity and of everything the page links to.
    pub(crate) labels: Labels,
    /// Kind class (`Country` ...) of each related entity shown, by IRI.
    pub(crate) kinds: BTreeMap<String, String>,
}

/// The relation type whose property is `property`.
pub(crate) fn relation_type(ns: &Namespaces, property: &NamedNode) -> Option<&'static RelationType> {
    let local = property.as_str().strip_prefix(ns.vocab())?;
    RELATION_TYPES.iter().find(|r| r.property == local)
}

/// Reads an entity; `None` if `iri` is not an instance of a kind.
pub(crate) fn entity(
    store: &Store,
    ns: &Namespaces,
    iri: &NamedNode,
    paging: &Paging,
) -> Result<Option<EntityView>, RdfError> {
    let r = Reader { store, ns };
    let types = r.objects(iri.into(), rdf::TYPE, GraphNameRef::DefaultGraph)?;
    let Some(kind) = kind_of_classes(ns, &types) else { return Ok(None) };
    // Only the predicates the page shows: a hub's own triples also hold
    // thousands of direct relation triples.
    let own_values = |p: &NamedNode| r.objects(iri.into(), p.as_ref(), GraphNameRef::DefaultGraph);
    let pred = |iri: String| NamedNode::new_unchecked(iri);
    let mut dates = Vec::new();
    let mut written = Vec::new();
    for local in [vocab::DATE, vocab::START, vocab::END, vocab::AS_OF] {
        let p = r.term(local);
        if let Some(o) = own_values(&p)?.into_iter().next() {
            written.push((local, text(&o)));
            dates.push((p, o));
        }
    }
    let mut classes: Vec<NamedNode> =
        types.iter().filter_map(|t| if let Term::NamedNode(n) = t { Some(n.clone()) } else { None }).collect();
    classes.sort_unstable_by(|a, b| a.as_str().cmp(b.as_str()));
    let mut view = EntityView {
        kind: Some(kind),
        classes,
        description: own_values(&pred(format!("{}description", vocab::DCTERMS)))?.first().map(text),
        aliases: Vec::new(),
        wikidata: own_values(&pred(format!("{}sameAs", vocab::OWL)))?
            .iter()
            .find_map(|o| text(o).strip_prefix(vocab::WD).map(str::to_owned)),
        period: r.period(&dates),
        date_note: own_values(&r.term(vocab::DATE_NOTE))?.first().map(text),
        dates: written,
        binding: own_values(&r.term(vocab::BINDING))?.first().map(text),
        ordinal: own_values(&r.term(vocab::ORDINAL))?.first().map(text),
        sections: Vec::new(),
        neighbours: 0,
        figures: Page::empty("figures"),
        mentioned_in: Vec::new(),
        labels: Labels::new(),
        kinds: BTreeMap::new(),
    };
    for o in own_values(&pred(format!("{}altLabel", vocab::SKOS)))? {
        if let Term::Literal(l) = o {
            view.aliases.push((l.language().unwrap_or("").to_owned(), l.value().to_owned()));
        }
    }
    view.aliases.sort();
    for o in own_values(&r.term(vocab::MENTIONED_IN))?.iter().take(LIST_LIMIT) {
        if let Some(c) = r.cite(o)? {
            view.mentioned_in.push(c);
        }
    }
    view.mentioned_in.sort();
    view.mentioned_in.dedup();

    let mut everyone: BTreeSet<String> = BTreeSet::new();
    let mut shown: Vec<NamedNode> = vec![iri.clone()];
    for relation in RELATION_TYPES {
        let property = r.term(relation.property);
        for outgoing in [true, false] {
            let others: Vec<NamedNode> = if outgoing {
                let mut v: Vec<NamedNode> = r
                    .objects(iri.into(), property.as_ref(), GraphNameRef::DefaultGraph)?
                    .into_iter()
                    .filter_map(|t| if let Term::NamedNode(n) = t { Some(n) } else { None })
                    .collect();
                v.sort_unstable_by(|a, b| a.as_str().cmp(b.as_str()));
                v.dedup();
                v
            } else {
                r.subjects(property.as_ref(), iri.into(), GraphNameRef::DefaultGraph)?
            };
            if others.is_empty() {
                continue;
            }
            everyone.extend(others.iter().map(|n| n.as_str().to_owned()));
            let key = Section::key(relation, outgoing);
            let page = paging.page_of(&key);
            let mut rows = Vec::new();
            for other in slice_page(&others, page) {
                let (s, o) = if outgoing { (iri, &other) } else { (&other, iri) };
                let ids = (ns.entity_id_of(s.as_str()), ns.entity_id_of(o.as_str()));
                let statements = match ids {
                    (Some(s), Some(o)) => statements_of(&r, s, relation.name, o)?,
                    _ => Vec::new(),
                };
                if statements.is_empty() {
                    let row = RelationRow {
                        other: other.clone(),
                        role: None,
                        period: String::new(),
                        date_note: None,
                        note: None,
                        implied: false,
                        cites: Vec::new(),
                    };
                    rows.push(row);
                }
                for st in statements {
                    rows.push(statement_row(&r, &st, &other)?);
                }
                shown.push(other);
            }
            view.sections.push(Section { relation, outgoing, page: Page { key, total: others.len(), page, rows } });
        }
    }
    view.neighbours = everyone.len();
    view.figures = figures_of(&r, iri, paging.page_of("figures"))?;
    for f in &view.figures.rows {
        shown.push(f.measure.clone());
        shown.extend(f.counterpart.clone());
    }
    view.labels = r.labels(&shown)?;
    for s in &view.sections {
        for row in &s.page.rows {
            if !view.kinds.contains_key(row.other.as_str())
                && let Some(k) = r.kind(&row.other)?
            {
                view.kinds.insert(row.other.as_str().to_owned(), k.class_name.to_owned());
            }
        }
    }
    Ok(Some(view))
}

/// The statement nodes of `subject relation object` that exist:
/// `statement/s.rel.o`, then `.2`, `.3` ... (the mapping's numbering).
fn statements_of(r: &Reader<'_>, subject: &str, relation: &str, object: &str) -> Result<Vec<NamedNode>, RdfError> {
    let (Ok(s), Ok(o)) = (coopgraph_model::EntityId::new(subject), coopgraph_model::EntityId::new(object)) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for n in 1.. {
        let st = r.ns.statement(&s, relation, &o, n);
        if !r.has_triples(st.as_ref().into())? {
            break;
        }
        out.push(st);
    }
    Ok(out)
}

/// A statement node as a row of the page of one of its ends.
fn statement_row(r: &Reader<'_>, st: &NamedNode, other: &NamedNode) -> Result<RelationRow, RdfError> {
    let own = r.description(st.into(), LIST_LIMIT)?;
    let get = |local: &str| {
        let p = r.term(local);
        own.iter().find(|(q, _)| *q == p).map(|(_, o)| text(o))
    };
    Ok(RelationRow {
        other: other.clone(),
        role: get(vocab::ROLE),
        period: r.period(&own),
        date_note: get(vocab::DATE_NOTE),
        note: get(vocab::NOTE),
        implied: get(vocab::IMPLIED).is_some_and(|v| v == "true"),
        cites: r.cites_of(st, None)?,
    })
}

/// How many figures of an entity are compared with each other for
/// conflicts; past it, only the figures of one page are.
const CONFLICT_SCAN: usize = 1000;

/// What makes two figures comparable (measure, counterpart) and their value.
type FigureKey = (Option<Term>, Option<Term>, Option<Term>);

/// One page of the figures about `iri`, in IRI order.
fn figures_of(r: &Reader<'_>, iri: &NamedNode, page: usize) -> Result<Page<FigureRow>, RdfError> {
    let nodes = r.subjects(r.term(vocab::ABOUT).as_ref(), iri.into(), GraphNameRef::DefaultGraph)?;
    let (measure, value, counterpart) = (r.term(vocab::MEASURE), r.term(vocab::VALUE), r.term(vocab::COUNTERPART));
    let key_of = |f: &NamedNode| -> Result<FigureKey, RdfError> {
        Ok((
            r.object(f.into(), measure.as_ref())?,
            r.object(f.into(), counterpart.as_ref())?,
            r.object(f.into(), value.as_ref())?,
        ))
    };
    let compared: Vec<&NamedNode> = if nodes.len() <= CONFLICT_SCAN { nodes.iter().collect() } else { Vec::new() };
    let mut keys = Vec::new();
    for f in &compared {
        keys.push(key_of(f)?);
    }
    let mut rows = Vec::new();
    for f in slice_page(&nodes, page) {
        let own = r.description(f.as_ref().into(), LIST_LIMIT)?;
        let get = |p: &NamedNode| own.iter().find(|(q, _)| q == p).map(|(_, o)| o.clone());
        let Some(Term::NamedNode(m)) = get(&measure) else { continue };
        let Some(v) = get(&value) else { continue };
        let cp = match get(&counterpart) {
            Some(Term::NamedNode(n)) => Some(n),
            _ => None,
        };
        let mine = (Some(Term::NamedNode(m.clone())), cp.clone().map(Term::NamedNode), Some(v.clone()));
        let conflict = keys.iter().any(|k| k.0 == mine.0 && k.1 == mine.1 && k.2 != mine.2);
        rows.push(FigureRow {
            node: f.clone(),
            measure: m,
            value: figure_value(&v, get(&r.term(vocab::COMPARATOR))),
            unit: get(&r.term(vocab::UNIT)).map(|t| text(&t)),
            period: r.period(&own),
            date_note: get(&r.term(vocab::DATE_NOTE)).map(|t| text(&t)),
            note: get(&r.term(vocab::NOTE)).map(|t| text(&t)),
            counterpart: cp,
            cites: r.cites_of(&f, None)?,
            conflict,
        });
    }
    if compared.is_empty() {
        // Too many to compare: flag conflicts within the page.
        let snapshot = rows.clone();
        for f in &mut rows {
            f.conflict = snapshot.iter().any(|g| {
                g.node != f.node && g.measure == f.measure && g.counterpart == f.counterpart && g.value != f.value
            });
        }
    }
    Ok(Page { key: "figures".into(), total: nodes.len(), page, rows })
}

/// One statement a source document makes.
#[derive(Debug, Clone)]
pub(crate) struct StatedRelation {
    pub(crate) subject: NamedNode,
    pub(crate) property: NamedNode,
    pub(crate) object: NamedNode,
    pub(crate) paragraphs: Vec<Cite>,
}

/// A figure's value as a page shows it: led by its comparator when the
/// figure is a bound or an estimate (`> 10000`), alone when exact.
fn figure_value(value: &Term, comparator: Option<Term>) -> String {
    match comparator.map(|c| text(&c)) {
        Some(c) if c != "=" => format!("{c} {}", text(value)),
        _ => text(value),
    }
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
#[derive(Debug, Clone)]
pub(crate) struct SourceView {
    /// The source's own description: predicate to values.
    pub(crate) about: Vec<(NamedNode, Term)>,
    pub(crate) relations: Page<StatedRelation>,
    pub(crate) figures: Page<StatedFigure>,
    pub(crate) entities: Page<(NamedNode, Vec<Cite>)>,
    /// The paragraphs of it that are cited, in paragraph order (at most
    /// [`LIST_LIMIT`]), each with how many statements, figures and
    /// mentions cite it (counted up to [`CITED_COUNT_LIMIT`]).
    pub(crate) paragraphs: Vec<(Cite, usize)>,
    pub(crate) labels: Labels,
}

/// Citers of one paragraph counted at most, on a source page.
pub(crate) const CITED_COUNT_LIMIT: usize = 10_000;

/// Reads what a source document states (its named graph), a page of each
/// list at a time.
pub(crate) fn source(
    store: &Store,
    ns: &Namespaces,
    graph: &NamedNode,
    paging: &Paging,
) -> Result<SourceView, RdfError> {
    let r = Reader { store, ns };
    let id = graph.as_str().strip_prefix(&format!("{}source/", ns.base())).unwrap_or_default().to_owned();
    let in_graph = GraphNameRef::NamedNode(graph.as_ref());
    let about = r.description(graph.into(), LIST_LIMIT)?;

    let statement_class = r.term(vocab::RELATION_STATEMENT);
    let statements = r.subjects(rdf::TYPE, statement_class.as_ref().into(), in_graph)?;
    let page = paging.page_of("relations");
    let mut relations = Vec::new();
    for st in slice_page(&statements, page) {
        let one = |p: NamedNodeRef<'_>| -> Result<Option<NamedNode>, RdfError> {
            Ok(r.objects(st.as_ref().into(), p, in_graph)?.into_iter().find_map(|t| match t {
                Term::NamedNode(n) => Some(n),
                _ => None,
            }))
        };
        let (Some(s), Some(p), Some(o)) = (one(rdf::SUBJECT)?, one(rdf::PREDICATE)?, one(rdf::OBJECT)?) else {
            continue;
        };
        relations.push(StatedRelation { subject: s, property: p, object: o, paragraphs: r.cites_of(&st, Some(&id))? });
    }
    let relations = Page { key: "relations".into(), total: statements.len(), page, rows: relations };

    let figure_class = r.term(vocab::FIGURE_CLASS);
    let figure_nodes = r.subjects(rdf::TYPE, figure_class.as_ref().into(), in_graph)?;
    let page = paging.page_of("figures");
    let mut figures = Vec::new();
    for f in slice_page(&figure_nodes, page) {
        let own = r.description(f.as_ref().into(), LIST_LIMIT)?;
        let get = |local: &str| {
            let p = r.term(local);
            own.iter().find(|(q, _)| *q == p).map(|(_, o)| o.clone())
        };
        let (Some(Term::NamedNode(a)), Some(Term::NamedNode(m)), Some(v)) =
            (get(vocab::ABOUT), get(vocab::MEASURE), get(vocab::VALUE))
        else {
            continue;
        };
        figures.push(StatedFigure {
            about: a,
            measure: m,
            value: figure_value(&v, get(vocab::COMPARATOR)),
            unit: get(vocab::UNIT).map(|t| text(&t)),
            paragraphs: r.cites_of(&f, Some(&id))?,
        });
    }
    let figures = Page { key: "figures".into(), total: figure_nodes.len(), page, rows: figures };

    // Entities mentioned: through the citations of this source.
    let citations = r.subjects(r.term(vocab::SOURCE).as_ref(), graph.into(), GraphNameRef::DefaultGraph)?;
    let mentioned = r.term(vocab::MENTIONED_IN);
    let mut by_entity: BTreeMap<String, (NamedNode, Vec<Cite>)> = BTreeMap::new();
    let derived = NamedNode::new_unchecked(format!("{}wasDerivedFrom", vocab::PROV));
    let mut paragraphs = Vec::new();
    for c in &citations {
        let cite = r.cite(&Term::NamedNode(c.clone()))?;
        if let Some(cite) = &cite
            && paragraphs.len() < LIST_LIMIT
        {
            let object = TermRef::from(c.as_ref());
            let citers = [derived.as_ref(), mentioned.as_ref()]
                .into_iter()
                .map(|p| {
                    store
                        .quads_for_pattern(None, Some(p), Some(object), Some(GraphNameRef::DefaultGraph))
                        .take(CITED_COUNT_LIMIT)
                        .count()
                })
                .sum::<usize>()
                .min(CITED_COUNT_LIMIT);
            paragraphs.push((cite.clone(), citers));
        }
        for e in r.subjects(mentioned.as_ref(), c.into(), GraphNameRef::DefaultGraph)? {
            let entry = by_entity.entry(e.as_str().to_owned()).or_insert_with(|| (e.clone(), Vec::new()));
            entry.1.extend(cite.clone());
        }
    }
    let all: Vec<(NamedNode, Vec<Cite>)> = by_entity
        .into_values()
        .map(|(e, mut c)| {
            c.sort();
            c.dedup();
            (e, c)
        })
        .collect();
    let page = paging.page_of("entities");
    let entities = Page { key: "entities".into(), total: all.len(), page, rows: slice_page(&all, page) };

    let mut nodes: Vec<NamedNode> = Vec::new();
    for r in &relations.rows {
        nodes.extend([r.subject.clone(), r.object.clone()]);
    }
    for f in &figures.rows {
        nodes.extend([f.about.clone(), f.measure.clone()]);
    }
    nodes.extend(entities.rows.iter().map(|(e, _)| e.clone()));
    let labels = r.labels(&nodes)?;
    paragraphs.sort();
    Ok(SourceView { about, relations, figures, entities, paragraphs, labels })
}

/// The instances of `class`, one page of them in the store's order (its
/// index of types: stable for a build), of `total` (the count kept beside
/// the store), with their labels. Reading page N costs N pages.
pub(crate) fn instances(
    store: &Store,
    ns: &Namespaces,
    class: &NamedNode,
    total: usize,
    page: usize,
) -> Result<(Page<NamedNode>, Labels), RdfError> {
    let r = Reader { store, ns };
    let rows = instance_iris(store, class, (page - 1).saturating_mul(PAGE_SIZE), PAGE_SIZE)?;
    let labels = r.labels(&rows)?;
    Ok((Page { key: "instances".into(), total, page, rows }, labels))
}

/// Each named instance of `class` in the store's order, from the `skip`th,
/// at most `take` of them (the sitemap's pages).
pub(crate) fn instance_iris(
    store: &Store,
    class: &NamedNode,
    skip: usize,
    take: usize,
) -> Result<Vec<NamedNode>, RdfError> {
    let mut out = Vec::new();
    for q in store
        .quads_for_pattern(None, Some(rdf::TYPE), Some(class.as_ref().into()), Some(GraphNameRef::DefaultGraph))
        .skip(skip)
        .take(take)
    {
        if let NamedOrBlankNode::NamedNode(n) = q.map_err(store_error)?.subject {
            out.push(n);
        }
    }
    Ok(out)
}

/// Any other resource: what it states and what points at it.
#[derive(Debug, Clone, Default)]
pub(crate) struct GenericView {
    pub(crate) outgoing: Vec<(NamedNode, Term)>,
    pub(crate) incoming: Vec<(Term, NamedNode)>,
    pub(crate) labels: Labels,
}

/// Reads a resource that is neither an entity nor a source: at most
/// [`LIST_LIMIT`] triples each way.
pub(crate) fn generic(store: &Store, ns: &Namespaces, iri: &NamedNode) -> Result<GenericView, RdfError> {
    let r = Reader { store, ns };
    let mut view = GenericView { outgoing: r.description(iri.into(), LIST_LIMIT)?, ..GenericView::default() };
    for q in store.quads_for_pattern(None, None, Some(iri.into()), Some(GraphNameRef::DefaultGraph)).take(LIST_LIMIT) {
        let q = q.map_err(store_error)?;
        view.incoming.push((q.subject.into(), q.predicate));
    }
    view.incoming.sort_by_cached_key(|(s, p)| (p.as_str().to_owned(), s.to_string()));
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
    view.labels = r.labels(&nodes)?;
    Ok(view)
}

/// What the data document of `iri` holds, complete: its own triples; for
/// an entity, the statement and figure nodes about it; for a source
/// document, the triples of its named graph. Sorted, without repeats.
pub(crate) fn document(store: &Store, ns: &Namespaces, iri: &NamedNode) -> Result<Vec<Triple>, RdfError> {
    let r = Reader { store, ns };
    let mut out: Vec<Triple> = Vec::new();
    let add_node = |node: NamedOrBlankNodeRef<'_>, out: &mut Vec<Triple>| -> Result<(), RdfError> {
        for q in store.quads_for_pattern(Some(node), None, None, Some(GraphNameRef::DefaultGraph)) {
            let q = q.map_err(store_error)?;
            out.push(Triple::new(q.subject, q.predicate, q.object));
        }
        Ok(())
    };
    add_node(iri.into(), &mut out)?;
    for p in [rdf::SUBJECT, rdf::OBJECT] {
        for st in r.subjects(p, iri.into(), GraphNameRef::DefaultGraph)? {
            add_node(st.as_ref().into(), &mut out)?;
        }
    }
    for f in r.subjects(r.term(vocab::ABOUT).as_ref(), iri.into(), GraphNameRef::DefaultGraph)? {
        add_node(f.as_ref().into(), &mut out)?;
    }
    for q in store.quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(iri.as_ref()))) {
        let q = q.map_err(store_error)?;
        out.push(Triple::new(q.subject, q.predicate, q.object));
    }
    out.sort_by_cached_key(|t| (t.subject.to_string(), t.predicate.to_string(), t.object.to_string()));
    out.dedup();
    Ok(out)
}

/// Counts shown on the home page and in the VoID description, from the
/// statistics written with the store.
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

impl Summary {
    /// The summary of a store's statistics.
    pub(crate) fn of(stats: &coopgraph_rdf::sidecar::StoreStats, ns: &Namespaces) -> Self {
        let class = |local: &str| ns.term(local).as_str().to_owned();
        Self {
            triples: stats.triples,
            quads: stats.quads,
            entities: KINDS.iter().map(|k| (*k, stats.instances(&class(k.class_name)))).collect(),
            statements: stats.instances(&class(vocab::RELATION_STATEMENT)),
            figures: stats.instances(&class(vocab::FIGURE_CLASS)),
            graphs: stats.graphs.iter().map(|(g, n)| (NamedNode::new_unchecked(g.clone()), *n)).collect(),
            distinct_subjects: stats.distinct_subjects,
            distinct_objects: stats.distinct_objects,
            properties: stats.properties.len() as u64,
            classes: stats.classes.len() as u64,
            example: KINDS
                .first()
                .and_then(|k| stats.example(&class(k.class_name)))
                .map(|e| NamedNode::new_unchecked(e.to_owned())),
        }
    }
}

/// Which links of an entity the explorer asks for: `?limit=N&offset=M`,
/// of the relation types `relations` (all when empty) in the directions
/// asked.
#[derive(Debug, Clone)]
pub(crate) struct NeighbourQuery {
    /// Links skipped (the earlier pages).
    pub(crate) offset: usize,
    /// Links returned at most.
    pub(crate) limit: usize,
    /// The relation types followed, in the schema's order; empty: all.
    pub(crate) relations: Vec<&'static RelationType>,
    /// Follow the relations the entity is the subject of.
    pub(crate) outgoing: bool,
    /// Follow the relations the entity is the object of.
    pub(crate) incoming: bool,
}

/// A node of the explorer: an entity with what is known of it cheaply.
#[derive(Debug, Clone)]
pub(crate) struct ExploreNode {
    pub(crate) iri: NamedNode,
    /// Its entity id (`china`).
    pub(crate) id: String,
    pub(crate) kind: Option<&'static KindSpec>,
    /// Its labels by language.
    pub(crate) labels: BTreeMap<String, String>,
    /// Its direct relations, both ways, counted up to [`DEGREE_LIMIT`].
    pub(crate) degree: usize,
}

/// One statement between the entity and a neighbour.
#[derive(Debug, Clone)]
pub(crate) struct ExploreEdge {
    /// The statement node (`None` for a direct triple without one).
    pub(crate) statement: Option<NamedNode>,
    pub(crate) relation: &'static RelationType,
    pub(crate) subject: String,
    pub(crate) object: String,
    pub(crate) role: Option<String>,
    /// The dates as written (`date`, `start`, `end`, `asOf`).
    pub(crate) dates: Vec<(&'static str, String)>,
    /// The first and last day the dates cover (`xsd:date`), for filters.
    pub(crate) earliest: Option<String>,
    pub(crate) latest: Option<String>,
    pub(crate) cites: Vec<Cite>,
}

/// The links of one entity of one relation type and direction, counted.
#[derive(Debug, Clone)]
pub(crate) struct LinkCount {
    pub(crate) relation: &'static RelationType,
    pub(crate) outgoing: bool,
    pub(crate) count: usize,
}

/// One page of an entity's neighbours, for the explorer.
#[derive(Debug, Clone)]
pub(crate) struct Neighbourhood {
    pub(crate) focus: ExploreNode,
    /// Links of the relation types and directions asked for, by type and direction.
    pub(crate) counts: Vec<LinkCount>,
    /// Every link of those (the sum of `counts`).
    pub(crate) total: usize,
    /// The neighbours of this page's links, each once, in the links' order.
    pub(crate) nodes: Vec<ExploreNode>,
    /// The links of this page (a neighbour may have several statements).
    pub(crate) edges: Vec<ExploreEdge>,
    /// Links on this page.
    pub(crate) links: usize,
}

/// Relations of a node counted at most for its degree: the explorer only
/// needs to know whether a node is a hub.
pub(crate) const DEGREE_LIMIT: usize = 500;

/// Direct relations of `node` (both ways, every type), counted up to
/// [`DEGREE_LIMIT`]: at most that many quads read, plus one index seek
/// per relation type and direction.
fn degree_of(r: &Reader<'_>, node: &NamedNode) -> usize {
    let mut n = 0;
    for relation in RELATION_TYPES {
        let p = r.term(relation.property);
        for outgoing in [true, false] {
            let left = DEGREE_LIMIT - n;
            if left == 0 {
                return n;
            }
            n += if outgoing {
                r.store
                    .quads_for_pattern(Some(node.into()), Some(p.as_ref()), None, Some(GraphNameRef::DefaultGraph))
                    .take(left)
                    .count()
            } else {
                r.store
                    .quads_for_pattern(None, Some(p.as_ref()), Some(node.into()), Some(GraphNameRef::DefaultGraph))
                    .take(left)
                    .count()
            };
        }
    }
    n
}

fn explore_node(r: &Reader<'_>, iri: &NamedNode, kind: Option<&'static KindSpec>) -> Result<ExploreNode, RdfError> {
    let kind = match kind {
        Some(k) => Some(k),
        None => r.kind(iri)?,
    };
    let labels = r.labels([iri])?.remove(iri.as_str()).unwrap_or_default();
    Ok(ExploreNode {
        iri: iri.clone(),
        id: r.ns.entity_id_of(iri.as_str()).unwrap_or(iri.as_str()).to_owned(),
        kind,
        labels,
        degree: degree_of(r, iri),
    })
}

/// One page of the neighbours of entity `iri` (`None` if it is not an
/// instance of a kind). Links come in a stable order: relation types in
/// the schema's order, the entity's own (outgoing) before those pointing
/// at it, then the store's index order, which holds for a build. Work is
/// in proportion to the page (`offset + limit` links read, each with its
/// statements, citations and the neighbour's bounded degree), plus the
/// counts of the entity's own links by type, as the entity page counts.
pub(crate) fn neighbours(
    store: &Store,
    ns: &Namespaces,
    iri: &NamedNode,
    query: &NeighbourQuery,
) -> Result<Option<Neighbourhood>, RdfError> {
    let r = Reader { store, ns };
    let types = r.objects(iri.into(), rdf::TYPE, GraphNameRef::DefaultGraph)?;
    let Some(kind) = kind_of_classes(ns, &types) else { return Ok(None) };
    let focus = explore_node(&r, iri, Some(kind))?;
    let relations: Vec<&'static RelationType> =
        if query.relations.is_empty() { RELATION_TYPES.iter().collect() } else { query.relations.clone() };
    let directions: Vec<bool> =
        [true, false].into_iter().filter(|out| if *out { query.outgoing } else { query.incoming }).collect();
    let graph = Some(GraphNameRef::DefaultGraph);
    let mut out = Neighbourhood { focus, counts: Vec::new(), total: 0, nodes: Vec::new(), edges: Vec::new(), links: 0 };
    // Links before this page still to skip, and room left on it.
    let (mut skip, mut room) = (query.offset, query.limit);
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for relation in relations {
        let property = r.term(relation.property);
        for &outgoing in &directions {
            let others = || -> Box<dyn Iterator<Item = Result<NamedNode, RdfError>> + '_> {
                let quads = if outgoing {
                    store.quads_for_pattern(Some(iri.into()), Some(property.as_ref()), None, graph)
                } else {
                    store.quads_for_pattern(None, Some(property.as_ref()), Some(iri.into()), graph)
                };
                Box::new(quads.filter_map(move |q| match q {
                    Err(e) => Some(Err(store_error(e))),
                    Ok(q) => match if outgoing { q.object } else { Term::from(q.subject) } {
                        Term::NamedNode(n) => Some(Ok(n)),
                        _ => None,
                    },
                }))
            };
            let count = others().count();
            if count == 0 {
                continue;
            }
            out.counts.push(LinkCount { relation, outgoing, count });
            out.total += count;
            if skip >= count {
                skip -= count;
                continue;
            }
            if room == 0 {
                continue;
            }
            let page: Vec<NamedNode> = others().skip(skip).take(room).collect::<Result<_, _>>()?;
            skip = 0;
            room -= page.len();
            out.links += page.len();
            for other in page {
                let (s, o) = if outgoing { (iri, &other) } else { (&other, iri) };
                let ids = (ns.entity_id_of(s.as_str()), ns.entity_id_of(o.as_str()));
                let (Some(sid), Some(oid)) = ids else { continue };
                let statements = statements_of(&r, sid, relation.name, oid)?;
                let bare = ExploreEdge {
                    statement: None,
                    relation,
                    subject: sid.to_owned(),
                    object: oid.to_owned(),
                    role: None,
                    dates: Vec::new(),
                    earliest: None,
                    latest: None,
                    cites: Vec::new(),
                };
                if statements.is_empty() {
                    out.edges.push(bare.clone());
                }
                for st in statements {
                    let own = r.description(st.as_ref().into(), LIST_LIMIT)?;
                    let get = |local: &str| {
                        let p = r.term(local);
                        own.iter().find(|(q, _)| *q == p).map(|(_, o)| text(o))
                    };
                    let dates = [vocab::DATE, vocab::START, vocab::END, vocab::AS_OF]
                        .into_iter()
                        .filter_map(|local| get(local).map(|v| (local, v)))
                        .collect();
                    out.edges.push(ExploreEdge {
                        role: get(vocab::ROLE),
                        dates,
                        earliest: get(vocab::EARLIEST_DATE),
                        latest: get(vocab::LATEST_DATE),
                        cites: r.cites_of(&st, None)?,
                        statement: Some(st),
                        ..bare.clone()
                    });
                }
                if seen.insert(other.as_str().to_owned()) {
                    out.nodes.push(explore_node(&r, &other, None)?);
                }
            }
        }
    }
    Ok(Some(out))
}
