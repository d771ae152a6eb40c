//! The records of the dataset: entities, relations, figures, measures and
//! sources, each remembering where in the data files it was declared.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use indexmap::IndexMap;

use crate::date::{PartialDate, Period};
use crate::ids::{EntityId, LangTag, MeasureId, Qid, SourceId};
use crate::schema::{CategorySpec, EntityKind, RelationType};

/// A position in a data file: the file, and line and column counted from 0
/// (printed from 1).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Location {
    /// The file, as the user named it (relative paths stay relative).
    pub file: Arc<str>,
    /// Line, from 0.
    pub line: u32,
    /// Column in characters, from 0.
    pub column: u32,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line + 1, self.column + 1)
    }
}

/// A reference to a source document, optionally to one paragraph in one
/// language version: written `002#9@zh`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Citation {
    /// The document.
    pub source: SourceId,
    /// The paragraph, counted from 1 (see data/README.md for how).
    pub paragraph: Option<u32>,
    /// Which language version of a bilingual document.
    pub lang: Option<LangTag>,
}

impl fmt::Display for Citation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.source)?;
        if let Some(p) = self.paragraph {
            write!(f, "#{p}")?;
        }
        if let Some(l) = &self.lang {
            write!(f, "@{l}")?;
        }
        Ok(())
    }
}

/// Labels keyed by language tag, in tag order (`en` before `zh`).
pub type Labels = BTreeMap<LangTag, String>;

/// A country, organization, operation or treaty.
#[derive(Debug, Clone)]
pub struct Entity {
    /// Stable id.
    pub id: EntityId,
    /// Kind.
    pub kind: EntityKind,
    /// Category within the kind.
    pub category: &'static CategorySpec,
    /// Preferred labels, one per language.
    pub labels: Labels,
    /// Other names (acronyms, former or long names) per language.
    pub aliases: BTreeMap<LangTag, Vec<String>>,
    /// The Wikidata item for the same thing.
    pub wikidata: Option<Qid>,
    /// One line in our own words.
    pub description: Option<String>,
    /// For treaties: whether the instrument binds its parties.
    pub binding: Option<bool>,
    /// For operations: its place in a numbered series (the 51st joint
    /// patrol is 51), when the sources number it.
    pub ordinal: Option<u32>,
    /// When the entity began and ended (founded, launched, adopted).
    pub period: Period,
    /// Where the sources mention it.
    pub sources: Vec<Citation>,
    /// Where the record is.
    pub origin: Option<Location>,
}

impl Entity {
    /// The label in `lang`, else in English, else any label.
    pub fn label(&self, lang: &str) -> &str {
        self.labels
            .iter()
            .find(|(tag, _)| tag.as_str() == lang)
            .or_else(|| self.labels.iter().find(|(tag, _)| tag.as_str() == "en"))
            .or_else(|| self.labels.iter().next())
            .map_or(self.id.as_str(), |(_, text)| text.as_str())
    }

    /// The label in exactly `lang`, if there is one.
    pub fn label_in(&self, lang: &str) -> Option<&str> {
        self.labels.iter().find(|(tag, _)| tag.as_str() == lang).map(|(_, t)| t.as_str())
    }

    /// Whether the instrument binds its parties: the record's `binding`, or
    /// its category's default. `None` for entities that are not treaties.
    pub fn is_binding(&self) -> Option<bool> {
        self.binding.or(self.category.binding)
    }
}

/// A typed, qualified link between two entities.
#[derive(Debug, Clone)]
pub struct Relation {
    /// Subject entity.
    pub subject: EntityId,
    /// Relation type.
    pub relation_type: &'static RelationType,
    /// Object entity.
    pub object: EntityId,
    /// Role of the subject (host, organizer, observer ...).
    pub role: Option<String>,
    /// Dates.
    pub period: Period,
    /// A note in our own words.
    pub note: Option<String>,
    /// True when the text implies the relation rather than stating it.
    pub implied: bool,
    /// The documents that state it.
    pub sources: Vec<Citation>,
    /// Where the record is.
    pub origin: Option<Location>,
}

/// A figure's value: exact integer, or a decimal kept as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Quantity {
    /// An integer.
    Integer(i64),
    /// A decimal number in canonical text form (`1.5`).
    Decimal(String),
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Quantity::Integer(i) => write!(f, "{i}"),
            Quantity::Decimal(d) => f.write_str(d),
        }
    }
}

/// A number a source gives about an entity ("a claim").
#[derive(Debug, Clone)]
pub struct Figure {
    /// The entity the number is about.
    pub subject: EntityId,
    /// What is measured.
    pub measure: MeasureId,
    /// The value.
    pub value: Quantity,
    /// How the value relates to the number meant: `=` unless the text gives a bound or an estimate.
    pub comparator: &'static crate::schema::Comparator,
    /// The unit (people, cases, treaties, CNY ...).
    pub unit: String,
    /// When the value held.
    pub period: Period,
    /// A second entity the figure is about, e.g. the country fugitives came back from.
    pub counterpart: Option<EntityId>,
    /// A note in our own words.
    pub note: Option<String>,
    /// The documents that give the number.
    pub sources: Vec<Citation>,
    /// Where the record is.
    pub origin: Option<Location>,
}

/// A declared measure that figures report.
#[derive(Debug, Clone)]
pub struct Measure {
    /// Id used by figures.
    pub id: MeasureId,
    /// Labels per language.
    pub labels: Labels,
    /// The usual unit.
    pub unit: Option<String>,
    /// What is counted, in one line.
    pub description: Option<String>,
    /// Where the record is.
    pub origin: Option<Location>,
}

/// A document the dataset is curated from.
#[derive(Debug, Clone)]
pub struct Source {
    /// Id used in citations.
    pub id: SourceId,
    /// Title.
    pub title: String,
    /// Who published it.
    pub publisher: Option<String>,
    /// When it was published.
    pub date: Option<PartialDate>,
    /// The languages of its versions.
    pub languages: Vec<LangTag>,
    /// What it covers, in our own words.
    pub covers: Option<String>,
    /// The period it covers.
    pub period: Period,
    /// File name of the copy we worked from.
    pub file: Option<String>,
    /// Original address, if known.
    pub url: Option<String>,
    /// How many paragraphs it has; citations must stay within.
    pub paragraphs: Option<u32>,
    /// For each language version, the paragraphs it spans.
    pub language_paragraphs: BTreeMap<LangTag, (u32, u32)>,
    /// Known defects of the copy (boilerplate, spam, garbled tokens).
    pub defects: Vec<String>,
    /// Where the record is.
    pub origin: Option<Location>,
}

/// The whole dataset, in a deterministic order (files by name, records in
/// file order).
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    /// Entities by id.
    pub entities: IndexMap<EntityId, Entity>,
    /// Relations.
    pub relations: Vec<Relation>,
    /// Figures.
    pub figures: Vec<Figure>,
    /// Measures by id.
    pub measures: IndexMap<MeasureId, Measure>,
    /// Sources by id.
    pub sources: IndexMap<SourceId, Source>,
}

impl Dataset {
    /// The entity with this id.
    pub fn entity(&self, id: &str) -> Option<&Entity> {
        self.entities.get(id)
    }

    /// Number of entities of each kind, in kind order.
    pub fn count_by_kind(&self) -> Vec<(EntityKind, usize)> {
        EntityKind::ALL.iter().map(|&k| (k, self.entities.values().filter(|e| e.kind == k).count())).collect()
    }

    /// Number of relations of each type, in declaration order.
    pub fn count_by_relation_type(&self) -> Vec<(&'static RelationType, usize)> {
        crate::schema::RELATION_TYPES
            .iter()
            .map(|r| (r, self.relations.iter().filter(|rel| rel.relation_type == r).count()))
            .collect()
    }
}
