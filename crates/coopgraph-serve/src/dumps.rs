//! Dumps of the whole dataset (every named graph) in each serialization,
//! and gzip-compressed N-Quads. Each is made on first request from the
//! store, kept in memory, and the same bytes are served afterwards.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use coopgraph_rdf::QuadSet;
use coopgraph_rdf::export::{ExportFormat, write_quads};
use coopgraph_rdf::oxigraph::model::{GraphName, Quad};
use coopgraph_rdf::oxigraph::store::Store;
use coopgraph_rdf::{Namespaces, RdfError};
use std::io::Write as _;
use tokio::sync::OnceCell;

use crate::Shared;
use crate::error::HttpError;

/// A dump file.
#[derive(Debug, Clone, Copy)]
pub struct DumpFile {
    /// File name under `/dumps/`.
    pub file: &'static str,
    /// The serialization.
    pub format: ExportFormat,
    /// True for the gzip-compressed variant.
    pub gzip: bool,
    /// Media type of the response.
    pub media_type: &'static str,
    /// What it holds.
    pub description: &'static str,
}

/// Every dump offered.
pub const FILES: &[DumpFile] = &[
    DumpFile {
        file: "coopgraph.nq.gz",
        format: ExportFormat::NQuads,
        gzip: true,
        media_type: "application/gzip",
        description: "N-Quads, gzip-compressed: every named graph",
    },
    DumpFile {
        file: "coopgraph.nq",
        format: ExportFormat::NQuads,
        gzip: false,
        media_type: "application/n-quads",
        description: "N-Quads: every named graph",
    },
    DumpFile {
        file: "coopgraph.trig",
        format: ExportFormat::TriG,
        gzip: false,
        media_type: "application/trig",
        description: "TriG: every named graph",
    },
    DumpFile {
        file: "coopgraph.jsonld",
        format: ExportFormat::JsonLd,
        gzip: false,
        media_type: "application/ld+json",
        description: "JSON-LD: every named graph",
    },
    DumpFile {
        file: "coopgraph.ttl",
        format: ExportFormat::Turtle,
        gzip: false,
        media_type: "text/turtle",
        description: "Turtle: the union of the graphs",
    },
    DumpFile {
        file: "coopgraph.nt",
        format: ExportFormat::NTriples,
        gzip: false,
        media_type: "application/n-triples",
        description: "N-Triples: the union of the graphs",
    },
    DumpFile {
        file: "coopgraph.rdf",
        format: ExportFormat::RdfXml,
        gzip: false,
        media_type: "application/rdf+xml",
        description: "RDF/XML: the union of the graphs",
    },
];

/// The dumps made so far, one slot per file of [`FILES`].
#[derive(Debug, Default)]
pub(crate) struct Dumps {
    slots: [OnceCell<Vec<u8>>; FILES.len()],
}

/// The named-graph quads of the store, sorted, so a dump is the same bytes
/// for the same store. The default graph (the materialised union) is left
/// out: triple formats write the union of the named graphs themselves.
fn dataset(store: &Store) -> Result<QuadSet, RdfError> {
    let mut quads: Vec<Quad> = Vec::new();
    for q in store.iter() {
        let q = q.map_err(|e| RdfError::Store(e.to_string()))?;
        if q.graph_name != GraphName::DefaultGraph {
            quads.push(q);
        }
    }
    quads.sort_by_cached_key(|q| {
        (q.graph_name.to_string(), q.subject.to_string(), q.predicate.to_string(), q.object.to_string())
    });
    Ok(QuadSet::from_quads(quads))
}

/// Makes the bytes of one dump.
pub fn make(store: &Store, ns: &Namespaces, file: &DumpFile) -> Result<Vec<u8>, RdfError> {
    let quads = dataset(store)?;
    let bytes = write_quads(&quads, file.format, ns, Vec::new()).map_err(|e| RdfError::Io(e.to_string()))?;
    if !file.gzip {
        return Ok(bytes);
    }
    // The gzip header carries no file name or time: the same input gives the same bytes.
    let mut encoder = flate2::GzBuilder::new().write(Vec::new(), flate2::Compression::default());
    encoder.write_all(&bytes).map_err(|e| RdfError::Io(e.to_string()))?;
    encoder.finish().map_err(|e| RdfError::Io(e.to_string()))
}

/// `GET /dumps/{file}`.
pub async fn handler(State(state): State<Shared>, Path(file): Path<String>, headers: HeaderMap) -> Response {
    let Some(index) = FILES.iter().position(|d| d.file == file) else {
        let known: Vec<&str> = FILES.iter().map(|d| d.file).collect();
        return HttpError::new(
            StatusCode::NOT_FOUND,
            format!("no dump called {file}; the dumps: {}", known.join(", ")),
        )
        .for_request(&headers)
        .into_response();
    };
    let (Some(slot), Some(dump)) = (state.dumps.slots.get(index), FILES.get(index)) else {
        return HttpError::new(StatusCode::NOT_FOUND, "no such dump").into_response();
    };
    let worker = state.clone();
    let bytes = slot
        .get_or_try_init(|| async move {
            tokio::task::spawn_blocking(move || make(&worker.store, worker.ns(), dump))
                .await
                .map_err(|e| RdfError::Io(e.to_string()))?
        })
        .await;
    match bytes {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, dump.media_type.to_owned()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}\"", dump.file)),
            ],
            bytes.clone(),
        )
            .into_response(),
        Err(e) => HttpError::from(e).into_response(),
    }
}
