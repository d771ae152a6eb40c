//! The one place every IRI is built from: the base of the data and the
//! namespace of the vocabulary.

use coopgraph_model::{Citation, EntityId, MeasureId, SourceId};
use oxigraph::model::NamedNode;

/// Default base of entity and data IRIs: a permanent identifier.
pub const DEFAULT_BASE: &str = "https://w3id.org/coopgraph/";
/// Default namespace of the ontology's terms.
pub const DEFAULT_VOCAB: &str = "https://w3id.org/coopgraph/ontology#";

/// Entity ids that would collide with the paths the mapping uses under the base.
pub use coopgraph_model::ids::RESERVED_ENTITY_IDS as RESERVED_IDS;

/// The base IRI of the data and the namespace of the vocabulary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Namespaces {
    base: String,
    vocab: String,
}

/// Why a namespace was refused.
#[derive(Debug, Clone, thiserror::Error)]
#[error("invalid {what} \"{value}\": {reason}")]
pub struct NamespaceError {
    what: &'static str,
    value: String,
    reason: String,
}

impl Default for Namespaces {
    fn default() -> Self {
        Self { base: DEFAULT_BASE.to_owned(), vocab: DEFAULT_VOCAB.to_owned() }
    }
}

fn check(what: &'static str, value: &str) -> Result<(), NamespaceError> {
    let err = |reason: &str| NamespaceError { what, value: value.to_owned(), reason: reason.to_owned() };
    NamedNode::new(value).map_err(|e| err(&e.to_string()))?;
    if !value.ends_with(['/', '#']) {
        return Err(err("it must end with '/' or '#' so that ids can be appended"));
    }
    Ok(())
}

impl Namespaces {
    /// Checked namespaces: both must be absolute IRIs ending in `/` or `#`.
    pub fn new(base: &str, vocab: &str) -> Result<Self, NamespaceError> {
        check("base IRI", base)?;
        check("vocabulary namespace", vocab)?;
        Ok(Self { base: base.to_owned(), vocab: vocab.to_owned() })
    }

    /// The base IRI.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The vocabulary namespace.
    pub fn vocab(&self) -> &str {
        &self.vocab
    }

    fn iri(text: String) -> NamedNode {
        NamedNode::new_unchecked(text)
    }

    /// A term of the vocabulary (`memberOf`).
    pub fn term(&self, local: &str) -> NamedNode {
        Self::iri(format!("{}{local}", self.vocab))
    }

    /// An entity.
    pub fn entity(&self, id: &EntityId) -> NamedNode {
        Self::iri(format!("{}{id}", self.base))
    }

    /// A source document, also the name of its graph.
    pub fn source(&self, id: &SourceId) -> NamedNode {
        Self::iri(format!("{}{id}", self.source_prefix()))
    }

    /// What every source document's IRI starts with: `{base}source/`.
    pub fn source_prefix(&self) -> String {
        format!("{}source/", self.base)
    }

    /// A citation: a paragraph of a source, in one language version.
    pub fn citation(&self, c: &Citation) -> NamedNode {
        let lang = c.lang.as_ref().map(|l| l.as_str());
        Self::iri(format!("{}{}{}", self.source_prefix(), c.source, Self::citation_fragment(c.paragraph, lang)))
    }

    /// The fragment a citation adds to its source's IRI: `#p{N}-{lang}`,
    /// `#p{N}`, `#{lang}`, or `#document` for the whole document.
    pub fn citation_fragment(paragraph: Option<u32>, lang: Option<&str>) -> std::borrow::Cow<'static, str> {
        match (paragraph, lang) {
            (Some(p), Some(l)) => format!("#p{p}-{l}").into(),
            (Some(p), None) => format!("#p{p}").into(),
            (None, Some(l)) => format!("#{l}").into(),
            (None, None) => "#document".into(),
        }
    }

    /// A measure.
    pub fn measure(&self, id: &MeasureId) -> NamedNode {
        Self::iri(format!("{}measure/{id}", self.base))
    }

    /// A relation statement; `n` counts records of the same triple from 1.
    pub fn statement(&self, subject: &EntityId, relation: &str, object: &EntityId, n: usize) -> NamedNode {
        let suffix = if n > 1 { format!(".{n}") } else { String::new() };
        Self::iri(format!("{}{subject}.{relation}.{object}{suffix}", self.statement_prefix()))
    }

    /// What every relation statement's IRI starts with: `{base}statement/`
    /// (then `{subject}.{relation}.{object}`, and `.{n}` from the second
    /// record of a triple).
    pub fn statement_prefix(&self) -> String {
        format!("{}statement/", self.base)
    }

    /// A figure; `n` counts figures of the same subject and measure from 1.
    pub fn figure(&self, subject: &EntityId, measure: &MeasureId, n: usize) -> NamedNode {
        Self::iri(format!("{}figure/{subject}.{measure}.{n}", self.base))
    }

    /// The graph of curated reference data (entities, measures, sources).
    pub fn reference_graph(&self) -> NamedNode {
        Self::iri(self.reference_graph_iri())
    }

    /// The reference graph's IRI as text.
    pub fn reference_graph_iri(&self) -> String {
        format!("{}graph/reference", self.base)
    }

    /// The entity id of an IRI under the base, if it is one.
    pub fn entity_id_of<'a>(&self, iri: &'a str) -> Option<&'a str> {
        let rest = iri.strip_prefix(self.base.as_str())?;
        EntityId::new(rest).ok().map(|_| rest)
    }
}
