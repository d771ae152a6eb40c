//! Dataset -> RDF quads, following the mapping documented in ARCHITECTURE.md.
//!
//! The order of the quads follows the order of the dataset, and duplicates
//! are removed keeping the first, so the output is the same on every run.

use std::collections::HashMap;

use coopgraph_model::date::DatePrecision;
use coopgraph_model::{Citation, Dataset, Entity, Figure, Location, PartialDate, Period, Quantity, Relation, Source};
use indexmap::IndexSet;
use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term, TripleRef};

use crate::namespaces::Namespaces;
use crate::vocab::{self, DCTERMS, OWL, PROV, SKOS, WD};

/// What the mapping writes besides the plain triples.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MappingOptions {
    /// Statement nodes, figures, citations, source graphs and source
    /// descriptions. Without it, only entity descriptions and direct
    /// relation triples are written, in the default graph.
    pub provenance: bool,
}

impl Default for MappingOptions {
    fn default() -> Self {
        Self { provenance: true }
    }
}

/// An ordered set of quads.
#[derive(Debug, Default, Clone)]
pub struct QuadSet {
    quads: IndexSet<Quad>,
    origins: HashMap<NamedNode, Location>,
}

impl QuadSet {
    fn add(&mut self, s: &NamedNode, p: NamedNode, o: impl Into<Term>, g: &GraphName) {
        self.quads.insert(Quad::new(NamedOrBlankNode::from(s.clone()), p, o, g.clone()));
    }

    /// The quads in order.
    pub fn iter(&self) -> impl Iterator<Item = &Quad> {
        self.quads.iter()
    }

    /// The quads as triples, their graph names dropped: the triples of
    /// the union of the graphs, a triple held by several graphs given once
    /// for each (for SHACL, `Shapes::validate_triples`).
    pub fn triples(&self) -> impl Iterator<Item = TripleRef<'_>> {
        self.quads.iter().map(|q| TripleRef::new(q.subject.as_ref(), q.predicate.as_ref(), q.object.as_ref()))
    }

    /// How many quads.
    pub fn len(&self) -> usize {
        self.quads.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.quads.is_empty()
    }

    /// Where in the data files the record behind a node (entity, statement,
    /// figure, measure, source) was declared.
    pub fn origin(&self, node: &NamedNode) -> Option<&Location> {
        self.origins.get(node)
    }

    fn remember(&mut self, node: &NamedNode, origin: Option<&Location>) {
        if let Some(o) = origin {
            self.origins.entry(node.clone()).or_insert_with(|| o.clone());
        }
    }

    /// A set of quads read back (from a store, a file), without origins.
    pub fn from_quads(quads: impl IntoIterator<Item = Quad>) -> Self {
        Self { quads: quads.into_iter().collect(), origins: HashMap::new() }
    }

    /// Consumes the set, giving the quads in order.
    pub fn into_vec(self) -> Vec<Quad> {
        self.quads.into_iter().collect()
    }
}

fn iri(base: &str, local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{base}{local}"))
}

fn lang_literal(text: &str, lang: &str) -> Literal {
    Literal::new_language_tagged_literal(text, lang).unwrap_or_else(|_| Literal::new_simple_literal(text))
}

/// A date as a literal typed by its precision.
pub fn date_literal(date: &PartialDate) -> Literal {
    let datatype = match date.precision() {
        DatePrecision::Year => xsd::G_YEAR,
        DatePrecision::Month => xsd::G_YEAR_MONTH,
        DatePrecision::Day => xsd::DATE,
    };
    Literal::new_typed_literal(date.to_string(), datatype)
}

fn quantity_literal(q: &Quantity) -> Literal {
    match q {
        Quantity::Integer(i) => Literal::from(*i),
        Quantity::Decimal(d) => Literal::new_typed_literal(d.as_str(), xsd::DECIMAL),
    }
}

struct Mapper<'a> {
    ns: &'a Namespaces,
    out: QuadSet,
}

impl Mapper<'_> {
    fn t(&self, local: &str) -> NamedNode {
        self.ns.term(local)
    }

    fn period(&mut self, s: &NamedNode, period: &Period, g: &GraphName) {
        for (local, date) in [
            (vocab::DATE, period.date),
            (vocab::START, period.start),
            (vocab::END, period.end),
            (vocab::AS_OF, period.as_of),
        ] {
            if let Some(d) = date {
                self.out.add(s, self.t(local), date_literal(&d), g);
            }
        }
        if let Some((first, last)) = period.day_bounds() {
            self.out.add(s, self.t(vocab::EARLIEST_DATE), Literal::new_typed_literal(first, xsd::DATE), g);
            self.out.add(s, self.t(vocab::LATEST_DATE), Literal::new_typed_literal(last, xsd::DATE), g);
        }
        if let Some(note) = &period.inferred {
            self.out.add(s, self.t(vocab::DATE_INFERRED), Literal::from(true), g);
            self.out.add(s, self.t(vocab::DATE_NOTE), lang_literal(note, "en"), g);
        }
    }

    fn citation(&mut self, c: &Citation, g: &GraphName) -> NamedNode {
        let node = self.ns.citation(c);
        self.out.add(&node, rdf::TYPE.into_owned(), self.t(vocab::CITATION), g);
        self.out.add(&node, self.t(vocab::SOURCE), self.ns.source(&c.source), g);
        if let Some(p) = c.paragraph {
            self.out.add(&node, self.t(vocab::PARAGRAPH), Literal::from(i64::from(p)), g);
        }
        if let Some(l) = &c.lang {
            self.out.add(&node, iri(DCTERMS, "language"), Literal::new_simple_literal(l.as_str()), g);
        }
        node
    }

    fn source(&mut self, source: &Source, g: &GraphName) {
        let s = self.ns.source(&source.id);
        self.out.remember(&s, source.origin.as_ref());
        for class in [self.t(vocab::SOURCE_DOCUMENT), iri(PROV, "Entity"), iri(DCTERMS, "BibliographicResource")] {
            self.out.add(&s, rdf::TYPE.into_owned(), class, g);
        }
        self.out.add(&s, iri(DCTERMS, "title"), lang_literal(&source.title, "en"), g);
        if let Some(p) = &source.publisher {
            self.out.add(&s, iri(DCTERMS, "publisher"), Literal::new_simple_literal(p), g);
        }
        if let Some(d) = &source.date {
            self.out.add(&s, iri(DCTERMS, "issued"), date_literal(d), g);
        }
        for l in &source.languages {
            self.out.add(&s, iri(DCTERMS, "language"), Literal::new_simple_literal(l.as_str()), g);
        }
        if let Some(c) = &source.covers {
            self.out.add(&s, iri(DCTERMS, "description"), lang_literal(c, "en"), g);
        }
        self.period(&s, &source.period, g);
        if let Some(f) = &source.file {
            self.out.add(&s, self.t(vocab::FILE_NAME), Literal::new_simple_literal(f), g);
        }
        if let Some(u) = &source.url {
            self.out.add(&s, iri(DCTERMS, "source"), Literal::new_simple_literal(u), g);
        }
        if let Some(n) = source.paragraphs {
            self.out.add(&s, self.t(vocab::PARAGRAPH_COUNT), Literal::from(i64::from(n)), g);
        }
        for d in &source.defects {
            self.out.add(&s, self.t(vocab::DEFECT), lang_literal(d, "en"), g);
        }
    }

    fn entity(&mut self, e: &Entity, g: &GraphName, provenance: bool) {
        let s = self.ns.entity(&e.id);
        self.out.remember(&s, e.origin.as_ref());
        let spec = e.kind.spec();
        self.out.add(&s, rdf::TYPE.into_owned(), self.t(spec.class_name), g);
        if provenance {
            self.out.add(&s, rdf::TYPE.into_owned(), self.t(e.category.class_name), g);
        }
        for (lang, label) in &e.labels {
            self.out.add(&s, rdfs::LABEL.into_owned(), lang_literal(label, lang.as_str()), g);
        }
        if let Some(q) = &e.wikidata {
            self.out.add(&s, iri(OWL, "sameAs"), iri(WD, q.as_str()), g);
        }
        if !provenance {
            return;
        }
        for (lang, names) in &e.aliases {
            for name in names {
                self.out.add(&s, iri(SKOS, "altLabel"), lang_literal(name, lang.as_str()), g);
            }
        }
        if let Some(d) = &e.description {
            self.out.add(&s, iri(DCTERMS, "description"), lang_literal(d, "en"), g);
        }
        if let Some(b) = e.is_binding() {
            self.out.add(&s, self.t(vocab::BINDING), Literal::from(b), g);
        }
        if let Some(n) = e.ordinal {
            self.out.add(
                &s,
                self.t(vocab::ORDINAL),
                // xsd:integer, not positiveInteger: Oxigraph keeps derived
                // integer types as xsd:integer, and a dump gives back what
                // was exported.
                Literal::from(i64::from(n)),
                g,
            );
        }
        self.period(&s, &e.period, g);
        for c in &e.sources {
            // The citation node is described in the graph of its source.
            let node = self.citation(c, &GraphName::NamedNode(self.ns.source(&c.source)));
            self.out.add(&s, self.t(vocab::MENTIONED_IN), node, g);
        }
    }

    fn relation(&mut self, r: &Relation, n: usize) {
        let s = self.ns.entity(&r.subject);
        let p = self.t(r.relation_type.property);
        let o = self.ns.entity(&r.object);
        let st = self.ns.statement(&r.subject, r.relation_type.name, &r.object, n);
        self.out.remember(&st, r.origin.as_ref());
        for c in &r.sources {
            let g = GraphName::NamedNode(self.ns.source(&c.source));
            self.out.add(&s, p.clone(), o.clone(), &g);
            self.out.add(&st, rdf::TYPE.into_owned(), self.t(vocab::RELATION_STATEMENT), &g);
            self.out.add(&st, rdf::SUBJECT.into_owned(), s.clone(), &g);
            self.out.add(&st, rdf::PREDICATE.into_owned(), p.clone(), &g);
            self.out.add(&st, rdf::OBJECT.into_owned(), o.clone(), &g);
            if let Some(role) = &r.role {
                self.out.add(&st, self.t(vocab::ROLE), Literal::new_simple_literal(role), &g);
            }
            self.period(&st, &r.period, &g);
            if let Some(note) = &r.note {
                self.out.add(&st, self.t(vocab::NOTE), lang_literal(note, "en"), &g);
            }
            self.out.add(&st, self.t(vocab::IMPLIED), Literal::from(r.implied), &g);
            // Every citation of the relation is listed in every graph that holds it,
            // so each source's graph shows who else states the same thing.
            for other in &r.sources {
                let cite = self.citation(other, &g);
                self.out.add(&st, iri(PROV, "wasDerivedFrom"), cite, &g);
            }
        }
    }

    fn figure(&mut self, f: &Figure, n: usize) {
        let subject = self.ns.entity(&f.subject);
        let node = self.ns.figure(&f.subject, &f.measure, n);
        self.out.remember(&node, f.origin.as_ref());
        for c in &f.sources {
            let g = GraphName::NamedNode(self.ns.source(&c.source));
            self.out.add(&subject, self.t(vocab::FIGURE), node.clone(), &g);
            self.out.add(&node, rdf::TYPE.into_owned(), self.t(vocab::FIGURE_CLASS), &g);
            self.out.add(&node, self.t(vocab::ABOUT), subject.clone(), &g);
            self.out.add(&node, self.t(vocab::MEASURE), self.ns.measure(&f.measure), &g);
            self.out.add(&node, self.t(vocab::VALUE), quantity_literal(&f.value), &g);
            if !f.comparator.is_exact() {
                self.out.add(&node, self.t(vocab::COMPARATOR), Literal::new_simple_literal(f.comparator.symbol), &g);
            }
            self.out.add(&node, self.t(vocab::UNIT), Literal::new_simple_literal(&f.unit), &g);
            self.period(&node, &f.period, &g);
            if let Some(cp) = &f.counterpart {
                self.out.add(&node, self.t(vocab::COUNTERPART), self.ns.entity(cp), &g);
            }
            if let Some(note) = &f.note {
                self.out.add(&node, self.t(vocab::NOTE), lang_literal(note, "en"), &g);
            }
            for other in &f.sources {
                let cite = self.citation(other, &g);
                self.out.add(&node, iri(PROV, "wasDerivedFrom"), cite, &g);
            }
        }
    }
}

/// The number of each relation's statement node among the records of the
/// same triple (1, then 2, 3 ... in file order): the `.2` of
/// `statement/s.rel.o.2`.
fn statement_numbers(relations: &[Relation]) -> Vec<usize> {
    let mut seen: HashMap<(&str, &str, &str), usize> = HashMap::new();
    relations
        .iter()
        .map(|r| {
            let n = seen.entry((r.subject.as_str(), r.relation_type.name, r.object.as_str())).or_insert(0);
            *n += 1;
            *n
        })
        .collect()
}

/// The IRI of each relation's statement node, in the order of
/// `dataset.relations`, as [`map_dataset`] writes them.
pub fn statement_iris(dataset: &Dataset, ns: &Namespaces) -> Vec<NamedNode> {
    dataset
        .relations
        .iter()
        .zip(statement_numbers(&dataset.relations))
        .map(|(r, n)| ns.statement(&r.subject, r.relation_type.name, &r.object, n))
        .collect()
}

/// Maps a dataset to quads.
pub fn map_dataset(dataset: &Dataset, ns: &Namespaces, options: MappingOptions) -> QuadSet {
    let mut m = Mapper { ns, out: QuadSet::default() };
    let reference =
        if options.provenance { GraphName::NamedNode(ns.reference_graph()) } else { GraphName::DefaultGraph };
    if options.provenance {
        for source in dataset.sources.values() {
            m.source(source, &reference);
        }
        for measure in dataset.measures.values() {
            let s = ns.measure(&measure.id);
            m.out.remember(&s, measure.origin.as_ref());
            m.out.add(&s, rdf::TYPE.into_owned(), m.t(vocab::MEASURE_CLASS), &reference);
            for (lang, label) in &measure.labels {
                m.out.add(&s, rdfs::LABEL.into_owned(), lang_literal(label, lang.as_str()), &reference);
            }
            if let Some(u) = &measure.unit {
                m.out.add(&s, m.t(vocab::UNIT), Literal::new_simple_literal(u), &reference);
            }
            if let Some(d) = &measure.description {
                m.out.add(&s, iri(DCTERMS, "description"), lang_literal(d, "en"), &reference);
            }
        }
    }
    for entity in dataset.entities.values() {
        m.entity(entity, &reference, options.provenance);
    }
    for (r, n) in dataset.relations.iter().zip(statement_numbers(&dataset.relations)) {
        if options.provenance {
            m.relation(r, n);
        } else {
            let s = ns.entity(&r.subject);
            let p = m.t(r.relation_type.property);
            m.out.add(&s, p, ns.entity(&r.object), &GraphName::DefaultGraph);
        }
    }
    if options.provenance {
        let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
        for f in &dataset.figures {
            let n = seen.entry((f.subject.as_str(), f.measure.as_str())).or_insert(0);
            *n += 1;
            m.figure(f, *n);
        }
    }
    m.out
}
