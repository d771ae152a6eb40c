//! Dumps of the whole dataset (every named graph) in each serialization,
//! and gzip-compressed N-Quads, streamed from the store as they are
//! written: the same store gives the same bytes, and memory stays flat.

use std::io::Write;

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use coopgraph_rdf::export::{ExportFormat, write_stream};
use coopgraph_rdf::oxigraph::model::{GraphNameRef, NamedNode, NamedOrBlankNode, Quad};
use coopgraph_rdf::oxigraph::store::Store;
use coopgraph_rdf::{Namespaces, RdfError};

use crate::Shared;
use crate::catalog::{DUMP_FILES, DumpFile};
use crate::error::HttpError;

/// The quads of a dump straight from the store, in the store's order (the
/// same for the same store): formats with graphs get every named graph, in
/// IRI order, without the default graph (the materialised union); triple
/// formats get the default graph, the union, each triple once.
fn store_quads<'a>(
    store: &'a Store,
    format: ExportFormat,
) -> Result<Box<dyn Iterator<Item = std::io::Result<Quad>> + 'a>, RdfError> {
    let io = |e: coopgraph_rdf::oxigraph::store::StorageError| std::io::Error::other(e.to_string());
    if !format.keeps_graphs() {
        let union = store.quads_for_pattern(None, None, None, Some(GraphNameRef::DefaultGraph));
        return Ok(Box::new(union.map(move |q| q.map_err(io))));
    }
    let mut graphs: Vec<NamedNode> = Vec::new();
    for g in store.named_graphs() {
        if let NamedOrBlankNode::NamedNode(n) = g.map_err(|e| RdfError::Store(e.to_string()))? {
            graphs.push(n);
        }
    }
    graphs.sort_unstable_by(|a, b| a.as_str().cmp(b.as_str()));
    Ok(Box::new(
        graphs
            .into_iter()
            .flat_map(move |g| store.quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(g.as_ref()))))
            .map(move |q| q.map_err(io)),
    ))
}

/// Writes one dump of `store` into `out`, streaming: nothing but the
/// serializer's buffer is held.
pub fn write_dump<W: Write>(store: &Store, ns: &Namespaces, file: &DumpFile, out: W) -> Result<W, RdfError> {
    let quads = store_quads(store, file.format)?;
    let io = |e: std::io::Error| RdfError::Io(e.to_string());
    if !file.gzip {
        return write_stream(quads, file.format, ns, out).map_err(io);
    }
    // The gzip header carries no file name or time: the same store gives the same bytes.
    let encoder = flate2::GzBuilder::new().write(out, flate2::Compression::default());
    write_stream(quads, file.format, ns, encoder).map_err(io)?.finish().map_err(io)
}

/// A writer that hands its bytes to the response body in chunks; it fails
/// once the client has gone, which stops the dump being written.
struct BodyWriter {
    sender: tokio::sync::mpsc::Sender<std::io::Result<Bytes>>,
    buffer: Vec<u8>,
}

/// Bytes handed to the body at a time.
const CHUNK: usize = 64 * 1024;

impl BodyWriter {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buffer, Vec::with_capacity(CHUNK)));
        self.sender
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client went away"))
    }
}

impl Write for BodyWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= CHUNK {
            self.send()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

/// `GET /dumps/{file}`: streamed from the store as it is written, so memory
/// stays flat however large the dump.
pub async fn handler(State(state): State<Shared>, Path(file): Path<String>, headers: HeaderMap) -> Response {
    let Some(dump) = DUMP_FILES.iter().find(|d| d.file == file) else {
        let known: Vec<&str> = DUMP_FILES.iter().map(|d| d.file).collect();
        return HttpError::new(
            StatusCode::NOT_FOUND,
            format!("no dump called {file}; the dumps: {}", known.join(", ")),
        )
        .for_request(&headers)
        .into_response();
    };
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<std::io::Result<Bytes>>(4);
    let store = state.store();
    let ns = state.ns().clone();
    tokio::task::spawn_blocking(move || {
        let writer = BodyWriter { sender: sender.clone(), buffer: Vec::with_capacity(CHUNK) };
        let finished =
            write_dump(&store, &ns, dump, writer).and_then(|mut w| w.send().map_err(|e| RdfError::Io(e.to_string())));
        if let Err(e) = finished {
            // The body ends with an error: the client sees a cut answer, never a complete-looking one.
            let _ = sender.blocking_send(Err(std::io::Error::other(e.to_string())));
        }
    });
    let stream = futures_util::stream::poll_fn(move |cx| receiver.poll_recv(cx));
    (
        [
            (header::CONTENT_TYPE, dump.media_type().to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}\"", dump.file)),
        ],
        Body::from_stream(stream),
    )
        .into_response()
}
