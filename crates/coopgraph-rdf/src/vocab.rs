//! The vocabulary the mapping writes: the ontology's own terms (mirrored in
//! `ontology/coopgraph.ttl`, checked by a test) and the external ones.

use coopgraph_model::schema::{KINDS, RELATION_TYPES};

/// RDF.
pub const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
/// RDF Schema.
pub const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
/// OWL.
pub const OWL: &str = "http://www.w3.org/2002/07/owl#";
/// XML Schema datatypes.
pub const XSD: &str = "http://www.w3.org/2001/XMLSchema#";
/// SKOS.
pub const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
/// DCMI terms.
pub const DCTERMS: &str = "http://purl.org/dc/terms/";
/// PROV-O.
pub const PROV: &str = "http://www.w3.org/ns/prov#";
/// Wikidata entities.
pub const WD: &str = "http://www.wikidata.org/entity/";
/// schema.org.
pub const SCHEMA: &str = "https://schema.org/";

/// Class of relation statement nodes.
pub const RELATION_STATEMENT: &str = "RelationStatement";
/// Class of figure nodes.
pub const FIGURE_CLASS: &str = "Figure";
/// Class of measures.
pub const MEASURE_CLASS: &str = "Measure";
/// Class of source documents.
pub const SOURCE_DOCUMENT: &str = "SourceDocument";
/// Class of citations (a paragraph of a source in one language).
pub const CITATION: &str = "Citation";

/// Entity -> citation where a source names it.
pub const MENTIONED_IN: &str = "mentionedIn";
/// Entity -> one of its figures.
pub const FIGURE: &str = "figure";
/// Figure -> the entity it is about.
pub const ABOUT: &str = "about";
/// Figure -> its measure.
pub const MEASURE: &str = "measure";
/// Figure -> a second entity it concerns.
pub const COUNTERPART: &str = "counterpart";
/// Citation -> its source document.
pub const SOURCE: &str = "source";

/// Role of the subject in a relation.
pub const ROLE: &str = "role";
/// Point in time.
pub const DATE: &str = "date";
/// Start of a period.
pub const START: &str = "start";
/// End of a period.
pub const END: &str = "end";
/// Date a status or figure held on.
pub const AS_OF: &str = "asOf";
/// First day a dated node's dates cover (`xsd:date`), for date filters.
pub const EARLIEST_DATE: &str = "earliestDate";
/// Last day a dated node's dates cover (`xsd:date`), for date filters.
pub const LATEST_DATE: &str = "latestDate";
/// True on a node whose dates were resolved from context, not stated.
pub const DATE_INFERRED: &str = "dateInferred";
/// How an inferred date was resolved, in the curators' words.
pub const DATE_NOTE: &str = "dateNote";
/// A note in the curators' words.
pub const NOTE: &str = "note";
/// Whether the text only implies the relation.
pub const IMPLIED: &str = "implied";
/// Whether a treaty binds its parties.
pub const BINDING: &str = "binding";
/// An operation's place in a numbered series.
pub const ORDINAL: &str = "ordinal";
/// A figure's number.
pub const VALUE: &str = "value";
/// How a figure's value relates to the number meant (`≥`), when not `=`.
pub const COMPARATOR: &str = "comparator";
/// A figure's or measure's unit.
pub const UNIT: &str = "unit";
/// A citation's paragraph number.
pub const PARAGRAPH: &str = "paragraph";
/// File name of a source's copy.
pub const FILE_NAME: &str = "fileName";
/// Number of paragraphs of a source.
pub const PARAGRAPH_COUNT: &str = "paragraphCount";
/// A known defect of a source's copy.
pub const DEFECT: &str = "defect";

/// The fixed terms (not generated from the schema table).
pub const FIXED_TERMS: &[&str] = &[
    RELATION_STATEMENT,
    FIGURE_CLASS,
    MEASURE_CLASS,
    SOURCE_DOCUMENT,
    CITATION,
    MENTIONED_IN,
    FIGURE,
    ABOUT,
    MEASURE,
    COUNTERPART,
    SOURCE,
    ROLE,
    DATE,
    START,
    END,
    AS_OF,
    EARLIEST_DATE,
    LATEST_DATE,
    DATE_INFERRED,
    DATE_NOTE,
    NOTE,
    IMPLIED,
    BINDING,
    ORDINAL,
    VALUE,
    COMPARATOR,
    UNIT,
    PARAGRAPH,
    FILE_NAME,
    PARAGRAPH_COUNT,
    DEFECT,
];

/// Every local name of the vocabulary the code uses: the fixed terms plus
/// the classes and properties of the schema table.
pub fn all_terms() -> Vec<&'static str> {
    let mut terms: Vec<&'static str> = FIXED_TERMS.to_vec();
    for kind in KINDS {
        terms.push(kind.class_name);
        terms.extend(kind.categories.iter().map(|c| c.class_name));
    }
    terms.extend(RELATION_TYPES.iter().map(|r| r.property));
    terms.sort_unstable();
    terms.dedup();
    terms
}

/// The project's ontology (`ontology/coopgraph.ttl`), built in so the server
/// can publish it at its namespace.
pub const BUNDLED_ONTOLOGY: &str = include_str!("../../../ontology/coopgraph.ttl");
