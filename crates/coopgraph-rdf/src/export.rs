//! Writes quads in every RDF serialization.

use std::io::Write;

use indexmap::IndexMap;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, NamedOrBlankNode, Quad, Triple};

use crate::mapping::QuadSet;
use crate::namespaces::Namespaces;
use crate::vocab::{DCTERMS, OWL, PROV, RDF, RDFS, SCHEMA, SKOS, WD, XSD};

/// The serializations `coopgraph export` and `coopgraph build` write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    /// Turtle (the union of the graphs, grouped by subject, with prefixes).
    Turtle,
    /// N-Triples (the union of the graphs).
    NTriples,
    /// N-Quads (every named graph).
    NQuads,
    /// TriG (every named graph, with prefixes).
    TriG,
    /// RDF/XML (the union of the graphs).
    RdfXml,
    /// JSON-LD 1.1 (every named graph, with a prefix context).
    JsonLd,
}

impl ExportFormat {
    /// Every format, in the order `build` writes them.
    pub const ALL: [ExportFormat; 6] = [
        ExportFormat::Turtle,
        ExportFormat::NTriples,
        ExportFormat::NQuads,
        ExportFormat::TriG,
        ExportFormat::RdfXml,
        ExportFormat::JsonLd,
    ];

    /// Name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::Turtle => "turtle",
            ExportFormat::NTriples => "ntriples",
            ExportFormat::NQuads => "nquads",
            ExportFormat::TriG => "trig",
            ExportFormat::RdfXml => "rdfxml",
            ExportFormat::JsonLd => "jsonld",
        }
    }

    /// File extension `build` uses.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Turtle => "ttl",
            ExportFormat::NTriples => "nt",
            ExportFormat::NQuads => "nq",
            ExportFormat::TriG => "trig",
            ExportFormat::RdfXml => "rdf",
            ExportFormat::JsonLd => "jsonld",
        }
    }

    /// The Oxigraph format.
    pub fn rdf_format(self) -> RdfFormat {
        match self {
            ExportFormat::Turtle => RdfFormat::Turtle,
            ExportFormat::NTriples => RdfFormat::NTriples,
            ExportFormat::NQuads => RdfFormat::NQuads,
            ExportFormat::TriG => RdfFormat::TriG,
            ExportFormat::RdfXml => RdfFormat::RdfXml,
            ExportFormat::JsonLd => RdfFormat::from_extension("jsonld").unwrap_or(RdfFormat::NQuads),
        }
    }

    /// The media type.
    pub fn media_type(self) -> &'static str {
        self.rdf_format().media_type()
    }

    /// True when the format keeps named graphs.
    pub fn keeps_graphs(self) -> bool {
        self.rdf_format().supports_datasets()
    }
}

/// The prefixes written in Turtle, TriG, RDF/XML and JSON-LD.
pub fn prefixes(ns: &Namespaces) -> Vec<(&'static str, String)> {
    vec![
        ("coop", ns.vocab().to_owned()),
        ("cg", ns.base().to_owned()),
        ("rdf", RDF.to_owned()),
        ("rdfs", RDFS.to_owned()),
        ("owl", OWL.to_owned()),
        ("xsd", XSD.to_owned()),
        ("skos", SKOS.to_owned()),
        ("dcterms", DCTERMS.to_owned()),
        ("prov", PROV.to_owned()),
        ("wd", WD.to_owned()),
        ("schema", SCHEMA.to_owned()),
    ]
}

/// The union of the graphs as triples: duplicates removed, grouped by
/// subject in order of first appearance.
pub fn union_triples<'a>(quads: impl IntoIterator<Item = &'a Quad>) -> Vec<Triple> {
    let mut by_subject: IndexMap<NamedOrBlankNode, indexmap::IndexSet<Triple>> = IndexMap::new();
    for q in quads {
        by_subject.entry(q.subject.clone()).or_default().insert(Triple::new(
            q.subject.clone(),
            q.predicate.clone(),
            q.object.clone(),
        ));
    }
    by_subject.into_values().flatten().collect()
}

/// The project's JSON-LD context (`ontology/context.jsonld`), built in.
pub const BUNDLED_CONTEXT: &str = include_str!("../../../ontology/context.jsonld");

/// The `@context` written into JSON-LD exports: the project's context when the
/// namespaces are the defaults it was written for, else plain prefix
/// definitions of the chosen namespaces. Terms in a context never change the
/// meaning of the absolute IRIs the serializer writes; they let JSON-LD tools
/// compact the document.
fn jsonld_context(ns: &Namespaces) -> serde_json::Value {
    let bundled =
        serde_json::from_str::<serde_json::Value>(BUNDLED_CONTEXT).ok().and_then(|v| v.get("@context").cloned());
    match bundled {
        Some(context) if *ns == Namespaces::default() => context,
        _ => serde_json::Value::Object(
            prefixes(ns).into_iter().map(|(name, iri)| (name.to_owned(), serde_json::Value::String(iri))).collect(),
        ),
    }
}

/// Writes the quads in `format`.
pub fn write_quads<W: Write>(quads: &QuadSet, format: ExportFormat, ns: &Namespaces, writer: W) -> std::io::Result<W> {
    if format.keeps_graphs() {
        // Group by graph (in order of first appearance) so TriG and JSON-LD
        // write each graph once.
        let mut by_graph: IndexMap<&GraphName, Vec<&Quad>> = IndexMap::new();
        for q in quads.iter() {
            by_graph.entry(&q.graph_name).or_default().push(q);
        }
        let grouped = by_graph.into_values().flatten().map(|q| Ok(q.clone()));
        write_stream(grouped, format, ns, writer)
    } else {
        let union = union_triples(quads.iter())
            .into_iter()
            .map(|t| Ok(Quad::new(t.subject, t.predicate, t.object, GraphName::DefaultGraph)));
        write_stream(union, format, ns, writer)
    }
}

/// Writes a stream of quads in `format` as they come, holding none of them:
/// formats with graphs write each quad (give them grouped by graph), the
/// others each quad's triple (give each triple once). Used for the dumps the
/// server streams from the store.
pub fn write_stream<W: Write>(
    quads: impl IntoIterator<Item = std::io::Result<Quad>>,
    format: ExportFormat,
    ns: &Namespaces,
    mut writer: W,
) -> std::io::Result<W> {
    if format == ExportFormat::JsonLd {
        // The serializer writes expanded JSON-LD (an array of graphs); wrap it
        // in a document that carries the context.
        let context = serde_json::to_string(&jsonld_context(ns)).map_err(std::io::Error::other)?;
        writer.write_all(b"{\"@context\":")?;
        writer.write_all(context.as_bytes())?;
        writer.write_all(b",\"@graph\":")?;
        let mut writer = serialize(quads, format, ns, writer)?;
        writer.write_all(b"}\n")?;
        return Ok(writer);
    }
    serialize(quads, format, ns, writer)
}

fn serialize<W: Write>(
    quads: impl IntoIterator<Item = std::io::Result<Quad>>,
    format: ExportFormat,
    ns: &Namespaces,
    writer: W,
) -> std::io::Result<W> {
    let mut serializer = RdfSerializer::from_format(format.rdf_format());
    if !matches!(format, ExportFormat::NTriples | ExportFormat::NQuads) {
        for (name, iri) in prefixes(ns) {
            serializer = serializer.with_prefix(name, iri).map_err(std::io::Error::other)?;
        }
    }
    let mut out = serializer.for_writer(writer);
    let graphs = format.keeps_graphs();
    for q in quads {
        let q = q?;
        if graphs {
            out.serialize_quad(&q)?;
        } else {
            out.serialize_triple(oxigraph::model::TripleRef::new(&q.subject, &q.predicate, &q.object))?;
        }
    }
    out.finish()
}
