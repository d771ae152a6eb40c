//! The coopgraph dataset as RDF: the mapping to quads, every serialization,
//! the on-disk Oxigraph store, and the bundled SPARQL queries.
//!
//! ```
//! use coopgraph_rdf::{ExportFormat, MappingOptions, Namespaces, map_dataset, write_quads};
//!
//! let dataset = coopgraph_load::load_texts(
//!     &[("data.toml", r#"
//! [[country]]
//! id = "china"
//! label = { en = "China", zh = "中国" }
//! wikidata = "Q148"
//! "#)],
//!     &Default::default(),
//! )
//! .unwrap();
//! let ns = Namespaces::default();
//! let quads = map_dataset(&dataset, &ns, MappingOptions::default());
//! let nt = write_quads(&quads, ExportFormat::NTriples, &ns, Vec::new()).unwrap();
//! let nt = String::from_utf8(nt).unwrap();
//! assert!(nt.contains(r#"<https://w3id.org/coopgraph/china> <http://www.w3.org/2000/01/rdf-schema#label> "中国"@zh ."#));
//! ```
#![deny(missing_docs)]

pub mod export;
pub mod known;
pub mod labels;
pub mod lateral;
pub mod mapping;
pub mod namespaces;
pub mod query;
pub mod shacl;
pub mod sidecar;
pub mod staging;
pub mod store;
pub mod stream;
pub mod vocab;

pub use export::{ExportFormat, write_quads};
pub use mapping::{MappingOptions, QuadSet, map_dataset, statement_iris};
pub use namespaces::Namespaces;
pub use oxigraph;
pub use shacl::{Shapes, ValidationResult};

/// Errors of the RDF layer.
#[derive(Debug, thiserror::Error)]
pub enum RdfError {
    /// Reading or writing a file failed.
    #[error("{0}")]
    Io(String),
    /// The store failed.
    #[error("store error: {0}")]
    Store(String),
    /// A query is malformed or failed.
    #[error("{0}")]
    Query(String),
    /// A query ran past its time limit (zero when the limit struck while results were read).
    #[error("the query ran past its time limit and was stopped{}", if .0.is_zero() { String::new() } else { format!(" after {:?}", .0) })]
    Timeout(std::time::Duration),
    /// A query collected more rows to sort than its bound
    /// ([`query::QueryOptions::max_sort_rows`]) and was stopped.
    #[error(
        "the query was stopped: it collected more than {0} rows to sort (ORDER BY), past its limit (--max-sort-rows); sort \
         fewer rows (filter or aggregate first), or leave out the ORDER BY"
    )]
    SortTooLarge(usize),
    /// The evaluator failed in a way no query should make it (it panicked):
    /// a defect, reported as such, while the process goes on.
    #[error("internal error while evaluating the query (a defect; please report it with the query): {0}")]
    Internal(String),
    /// The request cannot be met as asked (wrong format for the query form, unknown parameter).
    #[error("{0}")]
    Usage(String),
}

impl From<staging::StagingError> for RdfError {
    fn from(e: staging::StagingError) -> Self {
        match e {
            staging::StagingError::Refused(m) => RdfError::Usage(m),
            staging::StagingError::Busy(m) | staging::StagingError::Io(m) => RdfError::Io(m),
        }
    }
}
