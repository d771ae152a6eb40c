//! What the server publishes and where: the local path of each IRI of the
//! dataset, the data documents offered for a resource, and the dump files.
//! The handlers serve these addresses and the templates link to them, so
//! both read them here.

use coopgraph_rdf::Namespaces;
use coopgraph_rdf::export::ExportFormat;

/// The local path of an IRI under the base, if it is one.
pub fn local_path<'a>(ns: &Namespaces, iri: &'a str) -> Option<&'a str> {
    iri.strip_prefix(ns.base())
}

/// The data documents of the resource at `path`: (format name, media
/// type, URL path), in [`ExportFormat::DOCUMENTS`] order.
pub fn document_links(path: &str) -> Vec<(&'static str, &'static str, String)> {
    ExportFormat::DOCUMENTS
        .iter()
        .map(|f| (f.facts().label, f.media_type(), format!("/data/{path}.{}", f.extension())))
        .collect()
}

/// A dump file.
#[derive(Debug, Clone, Copy)]
pub struct DumpFile {
    /// File name under `/dumps/`.
    pub file: &'static str,
    /// The serialization.
    pub format: ExportFormat,
    /// True for the gzip-compressed variant.
    pub gzip: bool,
    /// What it holds.
    pub description: &'static str,
}

impl DumpFile {
    /// The media type it is served as: gzip, or its format's.
    pub fn media_type(&self) -> &'static str {
        if self.gzip { "application/gzip" } else { self.format.media_type() }
    }
}

/// Every dump offered.
pub const DUMP_FILES: &[DumpFile] = &[
    DumpFile {
        file: "coopgraph.nq.gz",
        format: ExportFormat::NQuads,
        gzip: true,
        description: "N-Quads, gzip-compressed: every named graph",
    },
    DumpFile {
        file: "coopgraph.nq",
        format: ExportFormat::NQuads,
        gzip: false,
        description: "N-Quads: every named graph",
    },
    DumpFile {
        file: "coopgraph.trig",
        format: ExportFormat::TriG,
        gzip: false,
        description: "TriG: every named graph",
    },
    DumpFile {
        file: "coopgraph.jsonld",
        format: ExportFormat::JsonLd,
        gzip: false,
        description: "JSON-LD: every named graph",
    },
    DumpFile {
        file: "coopgraph.ttl",
        format: ExportFormat::Turtle,
        gzip: false,
        description: "Turtle: the union of the graphs",
    },
    DumpFile {
        file: "coopgraph.nt",
        format: ExportFormat::NTriples,
        gzip: false,
        description: "N-Triples: the union of the graphs",
    },
    DumpFile {
        file: "coopgraph.rdf",
        format: ExportFormat::RdfXml,
        gzip: false,
        description: "RDF/XML: the union of the graphs",
    },
];
