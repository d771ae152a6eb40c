//! The mapping of streamed CSV rows (`coopgraph import`), written quad by
//! quad into a [`QuadSink`]: N-Triples or N-Quads lines ([`LineSink`]) or
//! oxigraph quads for the store's bulk loader ([`QuadBatch`]).
//!
//! With provenance (the default), a row maps as `map_dataset` maps the same
//! record read by the curated loader: the entity in the reference graph
//! (kind and default category classes, labels, Wikidata link); the relation
//! in the named graph of its source document (the direct triple, its
//! statement node with `coop:implied false` and `prov:wasDerivedFrom` its
//! citation, the citation node). Without provenance, only the entity
//! descriptions and direct triples, in the default graph: the benchmark's
//! canonical mapping when the namespaces are its own.

use std::io::Write;

use coopgraph_model::schema::{EntityKind, RELATION_TYPES, RelationType};
use coopgraph_rdf::Namespaces;
use coopgraph_rdf::oxigraph::model::vocab::{rdf, rdfs, xsd};
use coopgraph_rdf::oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use coopgraph_rdf::vocab::{self, DCTERMS, OWL, PROV, WD};

/// An IRI as the concatenation of its parts (no allocation to pass one).
pub type Iri<'a> = &'a [&'a str];

/// The object of a quad.
#[derive(Debug, Clone, Copy)]
pub enum Object<'a> {
    /// An IRI.
    Iri(Iri<'a>),
    /// A language-tagged string (text, tag).
    Lang(&'a str, &'a str),
    /// A plain string.
    Plain(&'a str),
    /// An `xsd:boolean`.
    Boolean(bool),
    /// An `xsd:integer`.
    Integer(u32),
}

/// Receives the quads of the mapping (`None`: the default graph).
pub trait QuadSink {
    /// One quad.
    fn quad(&mut self, s: Iri<'_>, p: Iri<'_>, o: Object<'_>, g: Option<Iri<'_>>);
}

fn escape_into(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    if !bytes.iter().any(|b| matches!(b, b'"' | b'\\' | b'\n' | b'\r')) {
        out.extend_from_slice(bytes);
        return;
    }
    for &b in bytes {
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.push(b),
        }
    }
}

/// N-Triples (graphs dropped) or N-Quads lines in a buffer, with canonical
/// escaping (`"` `\` LF CR only).
#[derive(Debug, Default)]
pub struct LineSink {
    buf: Vec<u8>,
    graphs: bool,
    count: u64,
}

impl LineSink {
    /// An empty buffer; `graphs` writes N-Quads, otherwise N-Triples (the
    /// union of the graphs: each quad's triple).
    pub fn new(graphs: bool) -> Self {
        Self::with_buffer(graphs, Vec::with_capacity(1 << 22))
    }

    /// The same, writing into `buf` (cleared): reusing buffers spares the
    /// page faults of fresh multi-megabyte allocations.
    pub fn with_buffer(graphs: bool, mut buf: Vec<u8>) -> Self {
        buf.clear();
        Self { buf, graphs, count: 0 }
    }

    /// The buffer, for reuse.
    pub fn into_buffer(self) -> Vec<u8> {
        self.buf
    }

    fn iri(&mut self, parts: Iri<'_>) {
        self.buf.push(b'<');
        for p in parts {
            self.buf.extend_from_slice(p.as_bytes());
        }
        self.buf.push(b'>');
    }

    /// Lines written.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Writes the buffer out and empties it.
    pub fn write_to(&mut self, out: &mut impl Write) -> std::io::Result<()> {
        out.write_all(&self.buf)?;
        self.buf.clear();
        Ok(())
    }

    /// The lines written so far.
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf
    }
}

/// The length of an IRI's parts.
fn iri_len(parts: Iri<'_>) -> usize {
    parts.iter().map(|p| p.len()).sum()
}

impl QuadSink for LineSink {
    fn quad(&mut self, s: Iri<'_>, p: Iri<'_>, o: Object<'_>, g: Option<Iri<'_>>) {
        // Room for the whole line at once (escapes and datatypes aside):
        // one capacity check instead of one per piece failing.
        let object = match o {
            Object::Iri(o) => iri_len(o),
            Object::Lang(text, lang) => text.len() + lang.len(),
            Object::Plain(text) => text.len(),
            Object::Boolean(_) | Object::Integer(_) => 0,
        };
        let graph = g.filter(|_| self.graphs).map_or(0, iri_len);
        self.buf.reserve(iri_len(s) + iri_len(p) + object + graph + 16);
        self.iri(s);
        self.buf.push(b' ');
        self.iri(p);
        self.buf.push(b' ');
        match o {
            Object::Iri(o) => self.iri(o),
            Object::Lang(text, lang) => {
                self.buf.push(b'"');
                escape_into(&mut self.buf, text);
                self.buf.extend_from_slice(b"\"@");
                self.buf.extend_from_slice(lang.as_bytes());
            }
            Object::Plain(text) => {
                self.buf.push(b'"');
                escape_into(&mut self.buf, text);
                self.buf.push(b'"');
            }
            Object::Boolean(b) => {
                self.buf.extend_from_slice(if b { b"\"true\"^^" } else { b"\"false\"^^" });
                self.iri(&[xsd::BOOLEAN.as_str()]);
            }
            Object::Integer(i) => {
                let _ = write!(self.buf, "\"{i}\"^^");
                self.iri(&[xsd::INTEGER.as_str()]);
            }
        }
        if let Some(g) = g.filter(|_| self.graphs) {
            self.buf.push(b' ');
            self.iri(g);
        }
        self.buf.extend_from_slice(b" .\n");
        self.count += 1;
    }
}

/// Oxigraph quads for the store. With `union`, every quad in a named graph
/// is also given in the default graph, which the store holds as the
/// materialised union of its named graphs (as `store::store_quads` does).
#[derive(Debug, Default)]
pub struct QuadBatch {
    quads: Vec<Quad>,
    union: bool,
}

fn node(parts: Iri<'_>) -> NamedNode {
    NamedNode::new_unchecked(parts.concat())
}

impl QuadBatch {
    /// An empty batch.
    pub fn new(union: bool) -> Self {
        Self { quads: Vec::new(), union }
    }

    /// The quads, in order.
    pub fn into_quads(self) -> Vec<Quad> {
        self.quads
    }

    /// How many quads.
    pub fn len(&self) -> usize {
        self.quads.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.quads.is_empty()
    }
}

impl QuadSink for QuadBatch {
    fn quad(&mut self, s: Iri<'_>, p: Iri<'_>, o: Object<'_>, g: Option<Iri<'_>>) {
        let object: Term = match o {
            Object::Iri(o) => node(o).into(),
            Object::Lang(text, lang) => Literal::new_language_tagged_literal(text, lang)
                .unwrap_or_else(|_| Literal::new_simple_literal(text))
                .into(),
            Object::Plain(text) => Literal::new_simple_literal(text).into(),
            Object::Boolean(b) => Literal::from(b).into(),
            Object::Integer(i) => Literal::from(i64::from(i)).into(),
        };
        let subject = NamedOrBlankNode::from(node(s));
        let predicate = node(p);
        match g {
            Some(g) => {
                if self.union {
                    self.quads.push(Quad::new(
                        subject.clone(),
                        predicate.clone(),
                        object.clone(),
                        GraphName::DefaultGraph,
                    ));
                }
                self.quads.push(Quad::new(subject, predicate, object, GraphName::NamedNode(node(g))));
            }
            None => self.quads.push(Quad::new(subject, predicate, object, GraphName::DefaultGraph)),
        }
    }
}

/// Lines for a file, quads for a store, or both.
#[derive(Debug, Default)]
pub struct Sinks {
    /// The file's lines.
    pub lines: Option<LineSink>,
    /// The store's quads.
    pub quads: Option<QuadBatch>,
}

impl QuadSink for Sinks {
    fn quad(&mut self, s: Iri<'_>, p: Iri<'_>, o: Object<'_>, g: Option<Iri<'_>>) {
        if let Some(l) = &mut self.lines {
            l.quad(s, p, o, g);
        }
        if let Some(q) = &mut self.quads {
            q.quad(s, p, o, g);
        }
    }
}

/// One relation row as the mapping needs it.
#[derive(Debug, Clone, Copy)]
pub struct RelationRecord<'a> {
    /// Subject id.
    pub subject: &'a str,
    /// Relation type.
    pub relation_type: &'static RelationType,
    /// Object id.
    pub object: &'a str,
    /// The cited source document's id.
    pub source: &'a str,
    /// The cited paragraph.
    pub paragraph: Option<u32>,
    /// The cited language version.
    pub lang: Option<&'a str>,
    /// True when the citation node has not been described yet (in the
    /// graph of its source).
    pub describe_citation: bool,
}

/// The streaming mapping, with its namespaces.
#[derive(Debug, Clone)]
pub struct StreamMapping {
    base: String,
    vocab: String,
    /// `Namespaces`' prefixes of source documents and statements, and the
    /// reference graph.
    sources: String,
    statements: String,
    reference: String,
    provenance: bool,
    /// Whole IRIs used on every row, joined once (one piece to copy
    /// instead of two): each kind's class, each relation type's property,
    /// `rdf:type`, `rdfs:label`, `owl:sameAs`.
    classes: Vec<(EntityKind, String)>,
    properties: Vec<String>,
    rdf_type: String,
    rdfs_label: String,
    owl_same_as: String,
}

impl StreamMapping {
    /// The mapping with the IRIs of `ns`; `provenance` selects the full
    /// mapping (named graphs, statement nodes, citations).
    pub fn new(ns: &Namespaces, provenance: bool) -> Self {
        let vocab = ns.vocab().to_owned();
        Self {
            base: ns.base().to_owned(),
            sources: ns.source_prefix(),
            statements: ns.statement_prefix(),
            reference: ns.reference_graph_iri(),
            classes: EntityKind::ALL.iter().map(|&k| (k, format!("{vocab}{}", k.spec().class_name))).collect(),
            properties: RELATION_TYPES.iter().map(|t| format!("{vocab}{}", t.property)).collect(),
            vocab,
            provenance,
            rdf_type: rdf::TYPE.as_str().to_owned(),
            rdfs_label: rdfs::LABEL.as_str().to_owned(),
            owl_same_as: format!("{OWL}sameAs"),
        }
    }

    /// The class IRI of a kind.
    fn class(&self, kind: EntityKind) -> &str {
        self.classes.iter().find(|(k, _)| *k == kind).map_or("", |(_, iri)| iri.as_str())
    }

    /// The property IRI of a relation type.
    fn property(&self, relation_type: &'static RelationType) -> &str {
        RELATION_TYPES
            .iter()
            .position(|t| std::ptr::eq(t, relation_type))
            .and_then(|i| self.properties.get(i))
            .map_or("", String::as_str)
    }

    /// True for the full mapping.
    pub fn provenance(&self) -> bool {
        self.provenance
    }

    /// One entity: kind class (and default category class), English and
    /// Chinese labels (the latter when not empty), Wikidata link.
    pub fn entity(
        &self,
        sink: &mut impl QuadSink,
        id: &str,
        kind: EntityKind,
        label_en: &str,
        label_zh: &str,
        wikidata: Option<&str>,
    ) {
        let s: Iri<'_> = &[&self.base, id];
        let reference: Iri<'_> = &[&self.reference];
        let g = self.provenance.then_some(reference);
        let rdf_type: Iri<'_> = &[&self.rdf_type];
        sink.quad(s, rdf_type, Object::Iri(&[self.class(kind)]), g);
        if self.provenance
            && let Some(category) = kind.category(kind.spec().default_category)
        {
            sink.quad(s, rdf_type, Object::Iri(&[&self.vocab, category.class_name]), g);
        }
        let label: Iri<'_> = &[&self.rdfs_label];
        sink.quad(s, label, Object::Lang(label_en, "en"), g);
        if !label_zh.is_empty() {
            sink.quad(s, label, Object::Lang(label_zh, "zh"), g);
        }
        if let Some(q) = wikidata {
            sink.quad(s, &[&self.owl_same_as], Object::Iri(&[WD, q]), g);
        }
    }

    /// One relation: its direct triple, and with provenance its statement
    /// node and citation in the graph of its source.
    pub fn relation(&self, sink: &mut impl QuadSink, r: &RelationRecord<'_>) {
        let s: Iri<'_> = &[&self.base, r.subject];
        let p: Iri<'_> = &[self.property(r.relation_type)];
        let o: Iri<'_> = &[&self.base, r.object];
        if !self.provenance {
            sink.quad(s, p, Object::Iri(o), None);
            return;
        }
        let g: Iri<'_> = &[&self.sources, r.source];
        sink.quad(s, p, Object::Iri(o), Some(g));
        // Each (subject, type, object) is one row: the readers refuse a
        // repeated one, so no statement needs a `.2` suffix.
        let st: Iri<'_> = &[&self.statements, r.subject, ".", r.relation_type.name, ".", r.object];
        sink.quad(st, &[rdf::TYPE.as_str()], Object::Iri(&[&self.vocab, vocab::RELATION_STATEMENT]), Some(g));
        sink.quad(st, &[rdf::SUBJECT.as_str()], Object::Iri(s), Some(g));
        sink.quad(st, &[rdf::PREDICATE.as_str()], Object::Iri(p), Some(g));
        sink.quad(st, &[rdf::OBJECT.as_str()], Object::Iri(o), Some(g));
        sink.quad(st, &[&self.vocab, vocab::IMPLIED], Object::Boolean(false), Some(g));
        let fragment = Namespaces::citation_fragment(r.paragraph, r.lang);
        let cite: Iri<'_> = &[&self.sources, r.source, &fragment];
        if r.describe_citation {
            sink.quad(cite, &[rdf::TYPE.as_str()], Object::Iri(&[&self.vocab, vocab::CITATION]), Some(g));
            sink.quad(cite, &[&self.vocab, vocab::SOURCE], Object::Iri(g), Some(g));
            if let Some(n) = r.paragraph {
                sink.quad(cite, &[&self.vocab, vocab::PARAGRAPH], Object::Integer(n), Some(g));
            }
            if let Some(l) = r.lang {
                sink.quad(cite, &[DCTERMS, "language"], Object::Plain(l), Some(g));
            }
        }
        sink.quad(st, &[PROV, "wasDerivedFrom"], Object::Iri(cite), Some(g));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ns() -> Namespaces {
        Namespaces::new("https://example.org/kg/", "https://example.org/kg/ontology#").unwrap()
    }

    fn record(describe_citation: bool) -> RelationRecord<'static> {
        RelationRecord {
            subject: "country-000009",
            relation_type: RelationType::from_name("member_of").unwrap(),
            object: "organization-000001",
            source: "doc-001",
            paragraph: None,
            lang: None,
            describe_citation,
        }
    }

    #[test]
    fn canonical_mapping_escapes_like_canonical_ntriples() {
        let m = StreamMapping::new(&ns(), false);
        let mut s = LineSink::new(false);
        m.entity(
            &mut s,
            "country-000009",
            EntityKind::Country,
            "Kalostan (officially \"Kalostan Union\")",
            "卡奥斯坦",
            None,
        );
        m.relation(&mut s, &record(true));
        assert_eq!(s.count(), 4);
        let mut out = Vec::new();
        s.write_to(&mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<https://example.org/kg/country-000009> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://example.org/kg/ontology#Country> .\n\
             <https://example.org/kg/country-000009> <http://www.w3.org/2000/01/rdf-schema#label> \"Kalostan (officially \\\"Kalostan Union\\\")\"@en .\n\
             <https://example.org/kg/country-000009> <http://www.w3.org/2000/01/rdf-schema#label> \"卡奥斯坦\"@zh .\n\
             <https://example.org/kg/country-000009> <https://example.org/kg/ontology#memberOf> <https://example.org/kg/organization-000001> .\n"
        );
    }

    #[test]
    fn lines_and_quads_agree() {
        let m = StreamMapping::new(&ns(), true);
        let mut sinks = Sinks { lines: Some(LineSink::new(true)), quads: Some(QuadBatch::new(false)) };
        m.entity(&mut sinks, "country-000009", EntityKind::Country, "A \"b\"\\", "乙", Some("Q5"));
        m.relation(&mut sinks, &record(true));
        m.relation(&mut sinks, &RelationRecord { paragraph: Some(3), lang: Some("en"), ..record(true) });
        let (Some(mut lines), Some(quads)) = (sinks.lines, sinks.quads) else { unreachable!() };
        let mut out = Vec::new();
        lines.write_to(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let expected: String = quads.into_quads().iter().map(|q| format!("{q} .\n")).collect();
        assert_eq!(text, expected);
        assert!(text.contains("<https://example.org/kg/statement/country-000009.member_of.organization-000001>"));
        assert!(text.contains("<https://example.org/kg/source/doc-001#p3-en>"));
    }
}
