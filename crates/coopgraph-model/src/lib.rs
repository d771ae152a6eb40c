//! The coopgraph domain model: what the knowledge graph is made of, declared
//! once, and the graph it assembles into.
//!
//! - [`schema`]: the entity kinds and relation types, as one table that every
//!   other crate reads;
//! - [`dataset`]: the records (entities, relations, figures, measures,
//!   sources) with their qualifiers, citations and file positions;
//! - [`ids`] and [`date`]: checked identifiers and partial dates;
//! - [`graph`]: the dataset as a petgraph graph with paths, centrality and
//!   components.
//!
//! This crate reads no files and knows nothing of RDF.
//!
//! ```
//! use coopgraph_model::schema::{EntityKind, RelationType};
//!
//! let member_of = RelationType::from_name("member_of").unwrap();
//! assert!(member_of.allows(EntityKind::Country, EntityKind::Organization));
//! assert!(!member_of.allows(EntityKind::Treaty, EntityKind::Organization));
//! ```
#![deny(missing_docs)]

pub mod dataset;
pub mod date;
pub mod graph;
pub mod ids;
pub mod schema;

pub use dataset::{Citation, Dataset, Entity, Figure, Location, Measure, Quantity, Relation, Source};
pub use date::{PartialDate, Period};
pub use graph::CoopGraph;
pub use ids::{EntityId, LangTag, MeasureId, Qid, SourceId};
pub use schema::{EntityKind, RELATION_TYPES, RelationType, Trigger};
