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
pub mod schema_files;
pub mod shacl;
pub mod sidecar;
pub mod staging;
pub mod store;
pub mod vocab;

pub use export::{ExportFormat, write_quads};
pub use mapping::{MappingOptions, QuadSet, map_dataset, statement_iris};
pub use namespaces::Namespaces;
pub use oxigraph;
pub use shacl::{Shapes, ValidationResult};

/// A place in a text: line and column, both from 1 (columns in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct TextPosition {
    /// The line, from 1.
    pub line: usize,
    /// The column, from 1.
    pub column: usize,
}

/// Where in a text an error is: from its first character up to, not
/// including, `end`. A parser that names one place gives one character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// The first character.
    pub start: TextPosition,
    /// Just past the last character.
    pub end: TextPosition,
}

impl Span {
    /// The one character at `line`:`column`.
    pub fn at(line: usize, column: usize) -> Self {
        Span { start: TextPosition { line, column }, end: TextPosition { line, column: column + 1 } }
    }
}

/// What kind of error an [`RdfError`] is: what callers match on to pick an
/// exit code or an HTTP status, never the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// A text (a query, a library file, the shapes) is malformed.
    Syntax,
    /// The text asks for something this implementation does not do.
    Unsupported,
    /// The text asks for something refused here: an update, a SERVICE.
    Refused,
    /// The request cannot be met as asked (a parameter, a result format).
    Usage,
    /// A well-formed query failed while it was evaluated.
    Evaluation,
    /// A query ran past its time limit.
    Timeout,
    /// A query went past a size bound (the rows it sorts).
    TooLarge,
    /// Reading or writing a file or the store failed.
    Io,
    /// A defect: the evaluator panicked.
    Internal,
}

/// Errors of the RDF layer.
#[derive(Debug, thiserror::Error)]
pub enum RdfError {
    /// Reading or writing a file failed.
    #[error("{0}")]
    Io(String),
    /// The store failed.
    #[error("store error: {0}")]
    Store(String),
    /// A text is malformed: `origin` names it (a file, `query`), `span`
    /// places the error when it has a place, `message` says what is wrong.
    #[error("{origin}{}: {message}", .span.map(|s| format!(":{}:{}", s.start.line, s.start.column)).unwrap_or_default())]
    Syntax {
        /// The text's name.
        origin: String,
        /// Where the error is.
        span: Option<Span>,
        /// What is wrong.
        message: String,
    },
    /// The text asks for a feature that is not implemented.
    #[error("{0}")]
    Unsupported(String),
    /// The text asks for something refused here (an update, a SERVICE).
    #[error("{0}")]
    Refused(String),
    /// A well-formed query failed while it was evaluated.
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

impl RdfError {
    /// What kind of error this is.
    pub fn kind(&self) -> ErrorKind {
        match self {
            RdfError::Io(_) | RdfError::Store(_) => ErrorKind::Io,
            RdfError::Syntax { .. } => ErrorKind::Syntax,
            RdfError::Unsupported(_) => ErrorKind::Unsupported,
            RdfError::Refused(_) => ErrorKind::Refused,
            RdfError::Query(_) => ErrorKind::Evaluation,
            RdfError::Timeout(_) => ErrorKind::Timeout,
            RdfError::SortTooLarge(_) => ErrorKind::TooLarge,
            RdfError::Internal(_) => ErrorKind::Internal,
            RdfError::Usage(_) => ErrorKind::Usage,
        }
    }

    /// Where in its text a syntax error is, when it has a place.
    pub fn span(&self) -> Option<Span> {
        match self {
            RdfError::Syntax { span, .. } => *span,
            _ => None,
        }
    }
}

impl From<staging::StagingError> for RdfError {
    fn from(e: staging::StagingError) -> Self {
        match e {
            staging::StagingError::Refused(m) => RdfError::Usage(m),
            staging::StagingError::Busy(m) | staging::StagingError::Io(m) => RdfError::Io(m),
        }
    }
}
