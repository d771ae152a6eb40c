//! The bulk import of coopgraph (`coopgraph import`), in one place: a data
//! folder's `entities.csv` and `relations.csv`, streamed block by block
//! through the loader's reader and rules (`coopgraph_load::stream`, the
//! same reader and checks as `build`'s, so both refuse the same rows with
//! the same messages), each good row mapped by [`mapping::StreamMapping`]
//! into [`Sinks`] (N-Triples or N-Quads lines, quads for the store), the
//! citations described once in file order ([`Citations`]). The caller
//! says where each block's output goes.
//!
//! ```
//! use coopgraph_import::{Import, ImportOptions, Tables};
//! use coopgraph_load::Diagnostics;
//! use coopgraph_rdf::Namespaces;
//!
//! let ns = Namespaces::new("https://example.org/kg/", "https://example.org/kg/ontology#").unwrap();
//! let import = Import::new(&ns, ImportOptions { provenance: false, lines: Some(false), ..ImportOptions::default() });
//! let tables = Tables::bytes(
//!     b"id,type,label_en,label_zh,wikidata\nchina,country,China,,\ninterpol,organization,Interpol,,\n",
//!     b"subject,predicate,object,source\nchina,member_of,interpol,doc-001\n",
//! );
//! let mut d = Diagnostics::default();
//! let mut out = Vec::new();
//! import
//!     .run(&tables, &mut d, &mut |_, _| {}, &mut |sinks| {
//!         if let Some(lines) = &sinks.lines {
//!             out.extend_from_slice(lines.as_bytes());
//!         }
//!         Ok(())
//!     })
//!     .unwrap();
//! assert!(d.is_empty());
//! let text = String::from_utf8(out).unwrap();
//! assert!(text.ends_with("<https://example.org/kg/china> <https://example.org/kg/ontology#memberOf> <https://example.org/kg/interpol> .\n"));
//! ```
#![deny(missing_docs)]

pub mod mapping;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use coopgraph_load::Diagnostics;
use coopgraph_load::stream::{
    CHUNK_BYTES, IdHash, Sources, StreamOptions, TableSource, stream_entities, stream_relations,
};
use coopgraph_rdf::Namespaces;

pub use mapping::{LineSink, QuadBatch, RelationRecord, Sinks, StreamMapping};

/// The citations described so far, for a mapping that describes each
/// citation node once, where it is first cited (in file order). Holds one
/// entry per distinct source cell.
#[derive(Debug, Default)]
pub struct Citations {
    sources: HashSet<Box<str>, IdHash>,
}

impl Citations {
    /// True the first time a source cell is seen.
    pub fn first_source(&mut self, source: &str) -> bool {
        if self.sources.contains(source) {
            return false;
        }
        self.sources.insert(Box::from(source));
        true
    }
}

/// How an import runs and what it makes.
#[derive(Debug, Clone, Copy)]
pub struct ImportOptions {
    /// The full mapping (named graphs, statement nodes, citations), as
    /// `build` maps the same rows; otherwise entity descriptions and direct
    /// triples only, in the default graph.
    pub provenance: bool,
    /// Worker threads (at least 1). With provenance one worker runs, so
    /// that citations are described where they are first cited.
    pub threads: usize,
    /// Errors kept (the rest are counted).
    pub max_errors: usize,
    /// How many bytes each read adds to a block ([`CHUNK_BYTES`] by default).
    pub block_bytes: usize,
    /// Lines for a file: `Some(true)` N-Quads, `Some(false)` N-Triples.
    pub lines: Option<bool>,
    /// Quads for the store (each quad of a named graph also in the default
    /// graph, with provenance: the store's union).
    pub quads: bool,
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self {
            provenance: true,
            threads: 1,
            max_errors: coopgraph_load::DEFAULT_ERROR_CAP,
            block_bytes: CHUNK_BYTES,
            lines: None,
            quads: false,
        }
    }
}

/// Which table a progress report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// `entities.csv`.
    Entities,
    /// `relations.csv`.
    Relations,
}

/// The two tables of an import and the sources their citations may name.
#[derive(Debug)]
pub enum Tables<'a> {
    /// A data folder: `entities.csv`, `relations.csv` and the `[[source]]`
    /// records of its `*.toml` files.
    Folder(PathBuf),
    /// Tables in memory (named `entities.csv` and `relations.csv` in
    /// messages), with no declared sources.
    Bytes {
        /// `entities.csv`.
        entities: &'a [u8],
        /// `relations.csv`.
        relations: &'a [u8],
    },
}

impl<'a> Tables<'a> {
    /// The tables of a data folder.
    pub fn folder(dir: &Path) -> Self {
        Self::Folder(dir.to_path_buf())
    }

    /// Tables in memory.
    pub fn bytes(entities: &'a [u8], relations: &'a [u8]) -> Self {
        Self::Bytes { entities, relations }
    }
}

/// The import pipeline: built once from its options, then run.
#[derive(Debug)]
pub struct Import {
    mapping: StreamMapping,
    options: ImportOptions,
}

impl Import {
    /// An import minting the IRIs of `ns`.
    pub fn new(ns: &Namespaces, options: ImportOptions) -> Self {
        Self { mapping: StreamMapping::new(ns, options.provenance), options }
    }

    fn stream_options(&self) -> StreamOptions {
        // Describing each citation where it is first cited needs file order.
        let threads = if self.options.provenance { 1 } else { self.options.threads.max(1) };
        StreamOptions { threads, max_errors: self.options.max_errors, block_bytes: self.options.block_bytes }
    }

    /// Reads the tables, checks every row (errors to `d`) and hands each
    /// block's mapped output to `write`, in file order, until the first
    /// error: after one, reading goes on to report every error but
    /// nothing more is written. `progress` gets the bytes read of each
    /// table. Fails only when reading a table or `write` fails.
    pub fn run(
        &self,
        tables: &Tables<'_>,
        d: &mut Diagnostics,
        progress: &mut dyn FnMut(Table, u64),
        write: &mut dyn FnMut(&mut Sinks) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let (entities_path, relations_path);
        let (entities, relations, sources) = match tables {
            Tables::Folder(dir) => {
                entities_path = dir.join("entities.csv");
                relations_path = dir.join("relations.csv");
                let sources = coopgraph_load::read_sources(dir, d);
                (TableSource::File(&entities_path), TableSource::File(&relations_path), sources)
            }
            Tables::Bytes { entities, relations } => (
                TableSource::Bytes { name: "entities.csv", data: entities },
                TableSource::Bytes { name: "relations.csv", data: relations },
                Sources::default(),
            ),
        };
        let options = self.stream_options();
        let (lines, quads, provenance) = (self.options.lines, self.options.quads, self.options.provenance);
        // Output buffers go back to a pool once written.
        let pool: Mutex<Vec<Vec<u8>>> = Mutex::new(Vec::new());
        let init = || Sinks {
            lines: lines.map(|graphs| {
                let spare = pool.lock().unwrap_or_else(PoisonError::into_inner).pop();
                spare.map_or_else(|| LineSink::new(graphs), |buf| LineSink::with_buffer(graphs, buf))
            }),
            quads: quads.then(|| QuadBatch::new(provenance)),
        };
        let mut consume = |mut sinks: Sinks, d: &Diagnostics| -> std::io::Result<()> {
            if !d.is_empty() {
                return Ok(()); // Nothing will be kept: stop writing, keep checking.
            }
            write(&mut sinks)?;
            if let Some(l) = sinks.lines {
                pool.lock().unwrap_or_else(PoisonError::into_inner).push(l.into_buffer());
            }
            Ok(())
        };
        let mapping = &self.mapping;
        let ids = stream_entities(
            entities,
            options,
            d,
            &mut |p| progress(Table::Entities, p),
            &init,
            &|s, row| mapping.entity(s, row.id, row.kind, row.label_en, row.label_zh, row.wikidata),
            &mut consume,
        )?;
        let citations = Mutex::new(Citations::default());
        stream_relations(
            relations,
            &ids,
            &sources,
            options,
            d,
            &mut |p| progress(Table::Relations, p),
            &init,
            &|s, row| {
                let describe_citation =
                    provenance && citations.lock().unwrap_or_else(PoisonError::into_inner).first_source(row.source);
                mapping.relation(
                    s,
                    &RelationRecord {
                        subject: row.subject,
                        relation_type: row.relation_type,
                        object: row.object,
                        source: row.citation.source,
                        paragraph: row.citation.paragraph,
                        lang: row.citation.lang,
                        describe_citation,
                    },
                );
            },
            &mut consume,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ns() -> Namespaces {
        Namespaces::new("https://example.org/kg/", "https://example.org/kg/ontology#").unwrap()
    }

    /// The N-Quads lines and errors of an import of two tables in blocks of `size`.
    fn lines(entities: &[u8], relations: &[u8], size: usize, threads: usize) -> (String, Vec<String>) {
        let options = ImportOptions { lines: Some(true), block_bytes: size, threads, ..ImportOptions::default() };
        let import = Import::new(&ns(), options);
        let mut d = Diagnostics::with_cap(1000);
        let mut out = Vec::new();
        import
            .run(&Tables::bytes(entities, relations), &mut d, &mut |_, _| {}, &mut |sinks| {
                if let Some(l) = &sinks.lines {
                    out.extend_from_slice(l.as_bytes());
                }
                Ok(())
            })
            .unwrap();
        (String::from_utf8(out).unwrap(), d.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn each_citation_is_described_once_in_file_order() {
        let entities = b"id,type,label_en,label_zh,wikidata\na,country,A,,\nb,organization,B,,\nc,organization,C,,\n";
        let relations = b"subject,predicate,object,source\na,member_of,b,doc-1#2@en\na,member_of,c,doc-1#2@en\n";
        let (text, errors) = lines(entities, relations, CHUNK_BYTES, 1);
        assert!(errors.is_empty(), "{errors:?}");
        let described =
            text.lines().filter(|l| l.contains("#p2-en> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"));
        assert_eq!(described.count(), 1, "{text}");
        // The same output whatever the block size.
        for size in 1..=relations.len() {
            assert_eq!(lines(entities, relations, size, 2), (text.clone(), Vec::new()), "blocks of {size} bytes");
        }
    }
}
