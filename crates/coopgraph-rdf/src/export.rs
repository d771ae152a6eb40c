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
    /// The formats a resource's data document, VoID and the ontology are
    /// served in, in order of preference (the triple formats, and JSON-LD).
    pub const DOCUMENTS: [ExportFormat; 4] =
        [ExportFormat::Turtle, ExportFormat::JsonLd, ExportFormat::NTriples, ExportFormat::RdfXml];

    /// Every format, in the order `build` writes them.
    pub const ALL: [ExportFormat; 6] = [
        ExportFormat::Turtle,
        ExportFormat::NTriples,
        ExportFormat::NQuads,
        ExportFormat::TriG,
        ExportFormat::RdfXml,
        ExportFormat::JsonLd,
    ];

    /// Its facts: the one table of names, media types and extensions.
    pub fn facts(self) -> &'static FormatFacts {
        match self {
            ExportFormat::Turtle => &TURTLE,
            ExportFormat::NTriples => &NTRIPLES,
            ExportFormat::NQuads => &NQUADS,
            ExportFormat::TriG => &TRIG,
            ExportFormat::RdfXml => &RDFXML,
            ExportFormat::JsonLd => &JSONLD,
        }
    }

    /// Name on the command line.
    pub fn name(self) -> &'static str {
        self.facts().name
    }

    /// File extension `build` uses.
    pub fn extension(self) -> &'static str {
        self.facts().extension
    }

    /// The media type it is served as.
    pub fn media_type(self) -> &'static str {
        self.facts().media_type
    }

    /// True when the format keeps named graphs.
    pub fn keeps_graphs(self) -> bool {
        self.facts().holds_graphs
    }

    /// The format named `name` on the command line.
    pub fn from_name(name: &str) -> Option<Self> {
        FORMATS.iter().find(|f| f.name == name).map(|f| f.format)
    }

    /// The format served as `media_type` (its essence, lower case).
    pub fn from_media_type(media_type: &str) -> Option<Self> {
        FORMATS.iter().find(|f| f.media_type == media_type).map(|f| f.format)
    }

    /// The format whose files end in `.extension`.
    pub fn from_extension(extension: &str) -> Option<Self> {
        FORMATS.iter().find(|f| f.extension == extension).map(|f| f.format)
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
}

/// What is known of one serialization: the one table that the CLI
/// (`export --format`, `build`'s files), the server's content negotiation
/// (data documents, VoID, the ontology, CONSTRUCT results) and the dumps
/// read.
#[derive(Debug)]
pub struct FormatFacts {
    /// The format.
    pub format: ExportFormat,
    /// Name on the command line (`turtle`).
    pub name: &'static str,
    /// Name for people (`Turtle`).
    pub label: &'static str,
    /// The media type it is served as.
    pub media_type: &'static str,
    /// File extension, without the dot.
    pub extension: &'static str,
    /// True when it holds named graphs (otherwise it gets their union).
    pub holds_graphs: bool,
}

static TURTLE: FormatFacts = FormatFacts {
    format: ExportFormat::Turtle,
    name: "turtle",
    label: "Turtle",
    media_type: "text/turtle",
    extension: "ttl",
    holds_graphs: false,
};

static NTRIPLES: FormatFacts = FormatFacts {
    format: ExportFormat::NTriples,
    name: "ntriples",
    label: "N-Triples",
    media_type: "application/n-triples",
    extension: "nt",
    holds_graphs: false,
};

static NQUADS: FormatFacts = FormatFacts {
    format: ExportFormat::NQuads,
    name: "nquads",
    label: "N-Quads",
    media_type: "application/n-quads",
    extension: "nq",
    holds_graphs: true,
};

static TRIG: FormatFacts = FormatFacts {
    format: ExportFormat::TriG,
    name: "trig",
    label: "TriG",
    media_type: "application/trig",
    extension: "trig",
    holds_graphs: true,
};

static RDFXML: FormatFacts = FormatFacts {
    format: ExportFormat::RdfXml,
    name: "rdfxml",
    label: "RDF/XML",
    media_type: "application/rdf+xml",
    extension: "rdf",
    holds_graphs: false,
};

static JSONLD: FormatFacts = FormatFacts {
    format: ExportFormat::JsonLd,
    name: "jsonld",
    label: "JSON-LD",
    media_type: "application/ld+json",
    extension: "jsonld",
    holds_graphs: true,
};

/// Every format's facts, in the order of [`ExportFormat::ALL`].
pub static FORMATS: [&FormatFacts; 6] = [&TURTLE, &NTRIPLES, &NQUADS, &TRIG, &RDFXML, &JSONLD];

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

#[cfg(test)]
mod tests {
    #[test]
    fn the_table_of_facts_agrees_with_oxigraph_and_lists_every_format() {
        for (i, format) in super::ExportFormat::ALL.into_iter().enumerate() {
            let facts = format.facts();
            assert_eq!(facts.format, format);
            assert!(std::ptr::eq(facts, super::FORMATS[i]), "{format:?} out of order");
            let rdf = format.rdf_format();
            assert_eq!(facts.media_type, rdf.media_type(), "{format:?}");
            assert_eq!(facts.extension, rdf.file_extension(), "{format:?}");
            assert_eq!(facts.holds_graphs, rdf.supports_datasets(), "{format:?}");
            assert_eq!(facts.label, rdf.name(), "{format:?}");
            assert_eq!(super::ExportFormat::from_name(facts.name), Some(format));
            assert_eq!(super::ExportFormat::from_media_type(facts.media_type), Some(format));
            assert_eq!(super::ExportFormat::from_extension(facts.extension), Some(format));
        }
    }
}
