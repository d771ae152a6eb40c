//! Proposes candidate facts from a new document, each with its evidence,
//! for a curator to review: nothing here writes into `data/`.
//!
//! The curated data is the knowledge: its entities' labels and aliases are
//! the gazetteer ([`gazetteer`]), its measures' labels the lexicon of
//! figures, and the schema's relation table, with the trigger words of each
//! relation type, the grammar. From a text file (paragraph N is the N-th
//! non-blank line) an [`Extractor`] proposes:
//!
//! - a `[[source]]` record (paragraph count, languages, defects, injected tokens);
//! - entity mentions, new entity candidates, figures, dates and relations,
//!   each a [`Candidate`] with paragraph, language, character span, text,
//!   trigger words, score and reason.
//!
//! ```
//! use coopgraph_extract::{ExtractOptions, Extractor, Fact};
//! use coopgraph_load::{LoadOptions, load_texts};
//!
//! let data = load_texts(&[("countries.toml", r#"
//! [[country]]
//! id = "china"
//! label = { en = "China", zh = "中国" }
//! "#)], &LoadOptions::default()).unwrap();
//! let extractor = Extractor::new(&data);
//! let options = ExtractOptions { source: "009".into(), ..ExtractOptions::default() };
//! let found = extractor.extract("In 2015, China's police met.\n中國警方。\n", &options);
//! let mentions: Vec<_> = found.candidates.iter().filter(|c| matches!(c.fact, Fact::Entity { .. })).map(|c| (c.paragraph, c.text.as_str())).collect();
//! assert_eq!(mentions, [(1, "China's"), (2, "中國")]);
//! ```
#![deny(missing_docs)]

pub mod dates;
pub mod document;
pub mod draft;
pub mod evaluate;
pub mod gazetteer;
mod measures;
pub mod names;
pub mod numbers;
pub mod places;
mod relations;
pub mod review;

pub mod source;

use std::collections::{BTreeMap, BTreeSet};

use coopgraph_model::{Dataset, Entity, EntityKind, PartialDate};
use serde::Serialize;

use crate::dates::{DateMention, DateRole};
use crate::document::{Paragraph, paragraphs, sentence_of};
use crate::gazetteer::Gazetteer;
use crate::measures::MeasureLexicon;

/// What a run of extraction is told about the document.
#[derive(Debug, Clone, Default)]
pub struct ExtractOptions {
    /// The id the document gets as a source (`005`).
    pub source: String,
    /// The document's date, for relative dates; else the source's date in
    /// the data, else the first full date of the document.
    pub date: Option<PartialDate>,
    /// A curator's reading of injected tokens: (token, entity id). Each
    /// occurrence of the token is then a mention of that entity (the
    /// token is still reported as injected).
    pub read_as: Vec<(String, String)>,
}

/// Whether a candidate is new, already in the data, or decided in a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// New: to be reviewed.
    Pending,
    /// Already in `data/`, with this citation.
    Known,
    /// Accepted in a draft's review.
    Accepted,
    /// Rejected in a draft's review.
    Rejected,
}

impl Status {
    /// The name written in JSON and drafts.
    pub fn name(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Known => "known",
            Status::Accepted => "accepted",
            Status::Rejected => "rejected",
        }
    }

    /// Reads a status name.
    pub fn from_name(name: &str) -> Option<Self> {
        [Status::Pending, Status::Known, Status::Accepted, Status::Rejected].into_iter().find(|s| s.name() == name)
    }
}

/// The dates a fact holds for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FactDates {
    /// A point in time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The date a status or a count held.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// Start of a period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// End of a period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
}

/// What a candidate proposes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fact {
    /// The `[[source]]` record of the document.
    Source {
        /// The source id.
        source: String,
        /// How many paragraphs.
        paragraphs: u32,
        /// The languages, in tag order.
        languages: Vec<String>,
        /// The language of each paragraph, in order.
        paragraph_langs: Vec<&'static str>,
        /// Paragraph ranges per language.
        language_paragraphs: BTreeMap<&'static str, (u32, u32)>,
        /// Defects seen.
        defects: Vec<source::Defect>,
        /// Tokens that look injected.
        injected: Vec<source::Injected>,
        /// The document's date used for relative dates.
        #[serde(skip_serializing_if = "Option::is_none")]
        document_date: Option<String>,
    },
    /// A known entity named in the text.
    Entity {
        /// The entity.
        id: String,
        /// Its kind.
        entity_kind: &'static str,
        /// Other entities the same name fits.
        alternatives: Vec<String>,
    },
    /// A name the data does not know.
    NewEntity {
        /// A slug id.
        proposed_id: String,
        /// The proposed kind.
        entity_kind: &'static str,
        /// The proposed category.
        category: &'static str,
        /// The label, as written (folded to simplified characters).
        label: String,
        /// Every place it is named: (paragraph, start, end).
        mentions: Vec<(u32, usize, usize)>,
    },
    /// A number about an entity.
    Figure {
        /// The entity the number is about.
        subject: Option<String>,
        /// The proposed measure.
        measure: Option<String>,
        /// The value.
        value: f64,
        /// The value as the data writes it.
        value_text: String,
        /// The unit.
        unit: String,
        /// `more than`, `nearly` ...
        comparator: Option<&'static str>,
        /// When it held.
        #[serde(flatten)]
        dates: FactDates,
    },
    /// A date.
    Date {
        /// The date.
        date: String,
        /// True when resolved against the document's date.
        relative: bool,
    },
    /// A relation between two entities.
    Relation {
        /// Subject entity (known or proposed id).
        subject: String,
        /// The relation type.
        predicate: &'static str,
        /// Object entity.
        object: String,
        /// The role, from the trigger.
        role: Option<&'static str>,
        /// When.
        #[serde(flatten)]
        dates: FactDates,
    },
}

impl Fact {
    /// The candidate kind's name (`figure`).
    pub fn kind_name(&self) -> &'static str {
        match self {
            Fact::Source { .. } => "source",
            Fact::Entity { .. } => "entity",
            Fact::NewEntity { .. } => "new_entity",
            Fact::Figure { .. } => "figure",
            Fact::Date { .. } => "date",
            Fact::Relation { .. } => "relation",
        }
    }

    fn order(&self) -> u8 {
        match self {
            Fact::Source { .. } => 0,
            Fact::Entity { .. } => 1,
            Fact::NewEntity { .. } => 2,
            Fact::Date { .. } => 3,
            Fact::Figure { .. } => 4,
            Fact::Relation { .. } => 5,
        }
    }
}

/// One proposed fact with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    /// Its number in the document's candidates, from 1, in document order.
    pub candidate: usize,
    /// A key naming the fact, the same on every run (for decisions).
    pub key: String,
    /// The paragraph, from 1.
    pub paragraph: u32,
    /// The paragraph's language.
    pub lang: &'static str,
    /// `[start, end)` in characters of the paragraph.
    pub span: (usize, usize),
    /// Exactly the characters of the span.
    pub text: String,
    /// The words that triggered it.
    pub triggers: Vec<String>,
    /// How sure, from 0 to 1.
    pub score: f64,
    /// Why it is proposed.
    pub reason: String,
    /// New, known, or decided.
    pub status: Status,
    /// What it proposes.
    #[serde(flatten)]
    pub fact: Fact,
}

impl Candidate {
    /// The citation of its evidence: `SOURCE#PARA@LANG`.
    pub fn citation(&self, source: &str) -> String {
        format!("{source}#{}@{}", self.paragraph, self.lang)
    }
}

/// Everything proposed from one document.
#[derive(Debug, Clone)]
pub struct Extraction {
    /// The source id.
    pub source: String,
    /// Candidates, in document order.
    pub candidates: Vec<Candidate>,
}

/// An entity named in a sentence, known or proposed.
#[derive(Debug, Clone)]
pub(crate) struct Occurrence {
    pub start: usize,
    pub end: usize,
    pub id: String,
    pub kind: EntityKind,
    /// Known, or a new name found by a sure sign (quotes, a title, a
    /// capitalised English name), not only by a Chinese head word.
    pub sure: bool,
}

/// Builds candidates from text, with the data as gazetteer and lexicon.
#[derive(Debug)]
pub struct Extractor<'d> {
    dataset: &'d Dataset,
    gazetteer: Gazetteer,
    measures: MeasureLexicon,
    /// What the data already cites, as "kind|fields|citation" keys.
    known: std::collections::HashSet<String>,
}

/// The keys of every fact the data holds with each of its citations.
fn known_facts(dataset: &Dataset) -> std::collections::HashSet<String> {
    let mut out = std::collections::HashSet::new();
    for e in dataset.entities.values() {
        for c in &e.sources {
            out.insert(format!("entity|{}|{c}", e.id));
        }
    }
    for r in &dataset.relations {
        for c in &r.sources {
            out.insert(format!("relation|{}|{}|{}|{c}", r.subject, r.relation_type.name, r.object));
            if r.relation_type.symmetric {
                out.insert(format!("relation|{}|{}|{}|{c}", r.object, r.relation_type.name, r.subject));
            }
        }
    }
    for f in &dataset.figures {
        for c in &f.sources {
            out.insert(format!("figure|{}|{}|{}|{c}", f.subject, f.measure, f.value));
        }
    }
    out
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

impl<'d> Extractor<'d> {
    /// An extractor that knows every entity of `dataset`.
    pub fn new(dataset: &'d Dataset) -> Self {
        Self::with_gazetteer(dataset, |_| true)
    }

    /// An extractor that knows only the entities `keep` accepts (the
    /// others must be found as new).
    pub fn with_gazetteer(dataset: &'d Dataset, keep: impl Fn(&Entity) -> bool) -> Self {
        Self {
            dataset,
            gazetteer: Gazetteer::new(dataset, keep),
            measures: MeasureLexicon::new(dataset),
            known: known_facts(dataset),
        }
    }

    /// Proposes every candidate of `text`.
    pub fn extract(&self, text: &str, options: &ExtractOptions) -> Extraction {
        let paragraphs = paragraphs(text);
        let doc_date = options
            .date
            .or_else(|| self.dataset.sources.get(options.source.as_str()).and_then(|s| s.date))
            .or_else(|| {
                paragraphs.iter().find_map(|p| {
                    dates::find_dates(p.folded.text(), None)
                        .into_iter()
                        .find(|d| d.date.day().is_some())
                        .map(|d| d.date)
                })
            });
        let mut out: Vec<Candidate> = Vec::new();
        let defects = source::defects(&paragraphs);
        let injected = source::injected(&paragraphs);
        let mut langs: BTreeSet<String> = BTreeSet::new();
        for p in &paragraphs {
            langs.insert(p.lang.to_owned());
        }
        let source_known = self.dataset.sources.contains_key(options.source.as_str());
        let first_lang = paragraphs.first().map_or("en", |p| p.lang);
        let skipped: BTreeSet<u32> =
            defects.iter().filter(|d| !d.reason.starts_with('h')).map(|d| d.paragraph).collect();
        let skip = |n: u32| skipped.contains(&n);
        out.push(Candidate {
            candidate: 0,
            key: format!("source:{}", options.source),
            paragraph: 1,
            lang: first_lang,
            span: (0, 0),
            text: String::new(),
            triggers: Vec::new(),
            score: 1.0,
            reason: format!(
                "{} paragraphs; {} defects seen; {} injected tokens",
                paragraphs.len(),
                defects.len(),
                injected.len()
            ),
            status: if source_known { Status::Known } else { Status::Pending },
            fact: Fact::Source {
                source: options.source.clone(),
                paragraphs: u32::try_from(paragraphs.len()).unwrap_or(u32::MAX),
                languages: langs.into_iter().collect(),
                paragraph_langs: paragraphs.iter().map(|p| p.lang).collect(),
                language_paragraphs: source::language_paragraphs(&paragraphs, &defects),
                defects: defects.clone(),
                injected: injected.clone(),
                document_date: doc_date.as_ref().map(ToString::to_string),
            },
        });
        let injected_spans: Vec<(u32, usize, usize)> = injected.iter().flat_map(|i| i.at.iter().copied()).collect();
        let mut new_names: BTreeMap<String, usize> = BTreeMap::new();
        // Deployments named so far, by category and number, with the
        // language, label and id of the first name.
        let mut deployments: BTreeMap<(&'static str, Option<u64>), (&'static str, String, String)> = BTreeMap::new();
        let mut last_subject: Option<String> = None;
        // Known organizations named so far, in document order, for "the ministry".
        let mut bodies_named: Vec<String> = Vec::new();
        for p in &paragraphs {
            if skip(p.number) {
                continue;
            }
            let mut occurrences: Vec<Occurrence> = Vec::new();
            // Known entities.
            let mut mentions = self.gazetteer.mentions(p);
            for (token, id) in &options.read_as {
                for &(ip, s, e) in &injected_spans {
                    if ip == p.number && p.slice(s, e) == *token && !mentions.iter().any(|m| m.start < e && s < m.end) {
                        mentions.push(gazetteer::Mention {
                            start: s,
                            end: e,
                            ids: vec![id.clone()],
                            read_as: true,
                            initial: false,
                            anaphor: false,
                        });
                    }
                }
            }
            if p.lang == "en" {
                let anaphors = self.definite_references(p, &mentions, &bodies_named);
                mentions.extend(anaphors);
            }
            mentions.sort_by_key(|m| (m.start, m.end));
            for m in mentions.iter().filter(|m| !m.anaphor) {
                if let Some(id) = m.ids.first()
                    && self.gazetteer.kind(id) == Some(EntityKind::Organization)
                {
                    bodies_named.push(id.clone());
                }
            }
            for m in &mentions {
                let Some(id) = m.ids.first() else { continue };
                let kind = self.gazetteer.kind(id).unwrap_or(EntityKind::Organization);
                let citation = format!("{}#{}@{}", options.source, p.number, p.lang);
                let known = self.known.contains(&format!("entity|{id}|{citation}"));
                out.push(Candidate {
                    candidate: 0,
                    key: format!("entity:{id}@{}:{}", p.number, m.start),
                    paragraph: p.number,
                    lang: p.lang,
                    span: (m.start, m.end),
                    text: p.slice(m.start, m.end),
                    triggers: Vec::new(),
                    score: round2(if m.read_as || m.initial || m.anaphor {
                        0.5
                    } else if m.ids.len() > 1 {
                        0.9 / m.ids.len() as f64
                    } else {
                        0.95
                    }),
                    reason: if m.read_as {
                        "an injected token the curator reads as this entity".to_owned()
                    } else if m.anaphor {
                        "a definite description (\"the ministry\") of the body of that kind named last".to_owned()
                    } else if m.initial {
                        "the first character of a known country's Chinese name, in a run of such characters".to_owned()
                    } else if m.ids.len() > 1 {
                        "a name several known entities share".to_owned()
                    } else {
                        "a label or alias of a known entity".to_owned()
                    },
                    status: if known { Status::Known } else { Status::Pending },
                    fact: Fact::Entity {
                        id: id.clone(),
                        entity_kind: kind.name(),
                        alternatives: m.ids.iter().skip(1).cloned().collect(),
                    },
                });
                // "the ministry" is named, but it is no sure sign of what a
                // sentence is about.
                occurrences.push(Occurrence { start: m.start, end: m.end, id: id.clone(), kind, sure: !m.anaphor });
            }
            // New names.
            let mut found = if p.lang == "zh" {
                names::chinese_names(&p.folded_chars)
            } else {
                self.english_names_reading(p, &mentions)
            };
            let countries: Vec<(usize, usize)> = mentions
                .iter()
                .filter(|m| m.ids.first().and_then(|id| self.gazetteer.kind(id)) == Some(EntityKind::Country))
                .filter_map(|m| if p.lang == "zh" { folded_range(p, m.start, m.end) } else { Some((m.start, m.end)) })
                .collect();
            let chars = if p.lang == "zh" { &p.folded_chars } else { &p.chars };
            for n in names::listed_countries(chars, &countries, p.lang == "zh") {
                if !found.iter().any(|f| f.start < n.end && n.start < f.end) {
                    found.push(n);
                }
            }
            if p.lang == "zh" {
                let places = names::destinations(&p.folded_chars, &found);
                found.extend(places);
            } else {
                let deployments = names::english_deployments(&p.chars, &countries);
                let free: Vec<names::NameMention> = deployments
                    .iter()
                    .filter(|n| n.kind == EntityKind::Operation)
                    .filter(|n| !found.iter().any(|f| f.start < n.end && n.start < f.end))
                    .cloned()
                    .collect();
                for d in deployments.into_iter().filter(|d| d.kind == EntityKind::Country) {
                    if free.iter().any(|n| n.start <= d.start && d.end <= n.end) {
                        found.push(d);
                    }
                }
                found.extend(free);
            }
            if p.lang == "en" {
                let incidents: Vec<names::NameMention> = names::english_incidents(&p.chars, &countries)
                    .into_iter()
                    .filter(|n| !found.iter().any(|f| f.start < n.end && n.start < f.end))
                    .collect();
                found.extend(incidents);
            }
            // Places, outside the names found.
            let places = if p.lang == "zh" {
                places::chinese_places(chars, &found)
            } else {
                places::english_places(chars, &found, &countries)
            };
            found.extend(places);
            // Deployments numbered in their names (`第十支`, "10th"), for the
            // count of deployments their country has sent.
            let mut numbered: Vec<(usize, usize, u64)> = Vec::new();
            // Provinces of China named, which lie in China.
            let mut provinces: Vec<Occurrence> = Vec::new();
            for n in found {
                // Spans of folded characters map back to the original.
                let (start, end) = if p.lang == "zh" {
                    match p.folded.original_span(n.start..n.end) {
                        Some(r) => (r.start, r.end),
                        None => continue,
                    }
                } else {
                    (n.start, n.end)
                };
                // A country listed inside a known name that is a list of
                // names ("Brazil, Russia, ..." for a group) is still proposed.
                let hides = |m: &gazetteer::Mention| {
                    n.kind != EntityKind::Country
                        || m.ids.first().and_then(|id| self.gazetteer.kind(id)) == Some(EntityKind::Country)
                };
                if mentions.iter().any(|m| m.start <= start && end <= m.end && hides(m)) {
                    continue;
                }
                // A country's name holds no known body's or operation's name.
                let other_kind = |m: &gazetteer::Mention| {
                    m.ids.first().and_then(|id| self.gazetteer.kind(id)).is_some_and(|k| k != EntityKind::Country)
                };
                if n.kind == EntityKind::Country
                    && mentions.iter().any(|m| start <= m.start && m.end <= end && other_kind(m))
                {
                    continue;
                }
                // A head word inside a known name belongs to that name.
                let head =
                    n.head.and_then(|(hs, he)| if p.lang == "zh" { map_span(p, hs, he) } else { Some((hs, he)) });
                if head.is_some_and(|(hs, he)| mentions.iter().any(|m| m.start <= hs && he <= m.end)) {
                    continue;
                }
                // A name around an injected token is kept only where the
                // curator reads the token as an entity.
                let read_inside = |s: usize, e: usize| mentions.iter().any(|m| m.read_as && (m.start, m.end) == (s, e));
                if injected_spans.iter().any(|&(ip, s, e)| ip == p.number && s < end && start < e && !read_inside(s, e))
                {
                    continue;
                }
                let mut label = coopgraph_text::fold(&n.name);
                let mut proposed_id = names::slug(&n.name, n.kind);
                // A shorter name that ends a longer new one of the same kind
                // named before it ("the special campaign" after "the X
                // special campaign") refers to that one.
                if !new_names.contains_key(&label)
                    && let Some((longer, id)) = new_names.iter().find_map(|(l, &index)| match out.get(index) {
                        Some(Candidate { fact: Fact::NewEntity { proposed_id, entity_kind, .. }, .. })
                            if *entity_kind == n.kind.name() && names::refers_back(&label, l) =>
                        {
                            Some((l.clone(), proposed_id.clone()))
                        }
                        _ => None,
                    })
                {
                    (label, proposed_id) = (longer, id);
                }
                if n.kind == EntityKind::Operation
                    && n.category == "peacekeeping"
                    && let Some(k) = names::ordinal_of(&n.name).filter(|k| *k >= 2)
                {
                    numbered.push((start, end, k));
                }
                // The same deployment named in the other language of the
                // document (`第十支赴A维和警队`, "the 10th ... force to A"):
                // one candidate, by its category and number.
                let deployment = n.kind == EntityKind::Operation
                    && (n.name.contains('赴') || n.reason.starts_with("a deployment named"));
                if deployment {
                    match deployments.get(&(n.category, names::ordinal_of(&n.name))) {
                        Some((lang, l, id)) if *lang != p.lang => (label, proposed_id) = (l.clone(), id.clone()),
                        Some(_) => {}
                        None => {
                            deployments.insert(
                                (n.category, names::ordinal_of(&n.name)),
                                (p.lang, label.clone(), proposed_id.clone()),
                            );
                        }
                    }
                }
                if self.gazetteer.contains(&proposed_id) {
                    continue;
                }
                occurrences.push(Occurrence {
                    start,
                    end,
                    id: proposed_id.clone(),
                    kind: n.kind,
                    sure: n.reason != "name ending in a head word"
                        && !n.reason.starts_with("the place")
                        && n.kind != EntityKind::Place,
                });
                if n.reason == places::PROVINCE_REASON {
                    provinces.push(Occurrence { start, end, id: proposed_id.clone(), kind: n.kind, sure: false });
                }
                if let Some(&index) = new_names.get(&label) {
                    if let Some(Candidate { fact: Fact::NewEntity { mentions, .. }, .. }) = out.get_mut(index) {
                        mentions.push((p.number, start, end));
                    }
                    continue;
                }
                new_names.insert(label.clone(), out.len());
                out.push(Candidate {
                    candidate: 0,
                    key: format!("new_entity:{proposed_id}"),
                    paragraph: p.number,
                    lang: p.lang,
                    span: (start, end),
                    text: p.slice(start, end),
                    triggers: Vec::new(),
                    score: if n.reason.starts_with("capitalised") || n.reason.starts_with("name ending") {
                        0.6
                    } else {
                        0.7
                    },
                    reason: n.reason.to_owned(),
                    status: Status::Pending,
                    fact: Fact::NewEntity {
                        proposed_id,
                        entity_kind: n.kind.name(),
                        category: n.category,
                        label: n.name.clone(),
                        mentions: vec![(p.number, start, end)],
                    },
                });
            }
            // A name that holds a known one states a relation between them.
            let known_inside: Vec<Occurrence> =
                occurrences.iter().filter(|o| self.gazetteer.contains(&o.id)).cloned().collect();
            let new_outside: Vec<Occurrence> =
                occurrences.iter().filter(|o| !self.gazetteer.contains(&o.id)).cloned().collect();
            let inner: Vec<Occurrence> = known_inside
                .iter()
                .chain(new_outside.iter().filter(|o| matches!(o.kind, EntityKind::Country | EntityKind::Organization)))
                .cloned()
                .collect();
            let held = relations::held_names(p, &new_outside, &inner);
            let sentences = p.sentences();
            let mut already = relations::known_pairs(p, self.dataset, &options.source, &sentences, &known_inside);
            already.extend(relations::shapes(p, &occurrences));
            already.extend(relations::places_within(p, &occurrences));
            if let Some(country) = self.gazetteer.country_labelled(places::PROVINCES_COUNTRY) {
                let country =
                    Occurrence { start: 0, end: 0, id: country.to_owned(), kind: EntityKind::Country, sure: false };
                already.extend(relations::lies_in(&provinces, &country, places::PROVINCE_REASON));
            }
            // A known name inside a longer new one ("Fox Hunt" in "Fox Hunt
            // 2015") stays a mention, but the facts of the sentence are the
            // longer name's.
            let spans: Vec<(usize, usize, bool)> =
                occurrences.iter().map(|o| (o.start, o.end, self.gazetteer.contains(&o.id))).collect();
            // So does a new body's name inside a new event's.
            let events: Vec<(usize, usize)> = occurrences
                .iter()
                .filter(|o| o.kind == EntityKind::Operation && !self.gazetteer.contains(&o.id))
                .map(|o| (o.start, o.end))
                .collect();
            occurrences.retain(|o| {
                let new_body_inside = o.kind == EntityKind::Organization
                    && !self.gazetteer.contains(&o.id)
                    && events.iter().any(|&(s, e)| s <= o.start && o.end <= e && (s, e) != (o.start, o.end));
                let known_inside = self.gazetteer.contains(&o.id)
                    && spans
                        .iter()
                        .any(|&(s, e, known)| !known && s <= o.start && o.end <= e && (s, e) != (o.start, o.end));
                !(new_body_inside || known_inside)
            });
            occurrences.sort_by_key(|o| (o.start, o.end));
            // Dates, outside names.
            let inside_name = |s: usize, e: usize| occurrences.iter().any(|o| o.start <= s && e <= o.end);
            let date_mentions: Vec<DateMention> = dates::find_dates(p.folded.text(), doc_date.as_ref())
                .into_iter()
                .filter_map(|mut d| {
                    let (s, e) = map_span(p, d.start, d.end)?;
                    (d.start, d.end) = (s, e);
                    Some(d)
                })
                .filter(|d| !inside_name(d.start, d.end))
                .collect();
            for d in &date_mentions {
                out.push(Candidate {
                    candidate: 0,
                    key: format!("date:{}@{}:{}", d.date, p.number, d.start),
                    paragraph: p.number,
                    lang: p.lang,
                    span: (d.start, d.end),
                    text: p.slice(d.start, d.end),
                    triggers: Vec::new(),
                    score: if d.relative { 0.7 } else { 0.9 },
                    reason: if d.relative {
                        format!(
                            "a relative date, resolved against the document's date {}",
                            doc_date.as_ref().map_or_else(String::new, ToString::to_string)
                        )
                    } else {
                        "an absolute date".to_owned()
                    },
                    status: Status::Pending,
                    fact: Fact::Date { date: d.date.to_string(), relative: d.relative },
                });
            }
            // Figures.
            for mut n in numbers::find_numbers(p.folded.text()) {
                let Some((s, e)) = map_span(p, n.start, n.end) else { continue };
                n.at = map_span(p, n.at, n.at + 1).map_or(s, |r| r.0);
                (n.start, n.end) = (s, e);
                if inside_name(n.start, n.end)
                    || in_quotes(p, n.start)
                    || date_mentions.iter().any(|d| d.start < n.end && n.start < d.end)
                {
                    continue;
                }
                let (ss, se) = sentence_of(&sentences, n.at).unwrap_or((0, p.chars.len()));
                let in_sentence: Vec<&Occurrence> = occurrences
                    .iter()
                    .filter(|o| ss <= o.start && o.end <= se && o.kind != EntityKind::Treaty)
                    .collect();
                // The subject: the sentence's first entity found by a sure
                // sign, else the subject of the figures before, else its
                // first name.
                // An operation the sentence opens with ("In the X, ...",
                // "在X中，...") is what its numbers count.
                let frame = in_sentence
                    .iter()
                    .find(|o| o.kind == EntityKind::Operation && o.end <= n.start && opens(p, ss, o.start, o.end));
                // A count of what belongs to a name ("X的12名队员", "12
                // members of the X") is about that name.
                let possessor = in_sentence.iter().find(|o| {
                    if p.lang == "zh" {
                        // "为期4天的X": a duration before a name is the name's.
                        let duration = matches!(n.unit.as_str(), "days" | "years") && o.start > n.end;
                        (o.end < n.start && p.slice(o.end, n.start) == "的")
                            || (duration && p.slice(n.end, o.start) == "的")
                    } else {
                        o.start > n.end && matches!(p.slice(n.end, o.start).as_str(), " of the " | " of ")
                    }
                });
                // The clause the number stands in (from the last comma):
                // its first sure name that is no object of a preposition
                // says what the number is about ("when A and B were hit,
                // C sent aid to the three countries").
                let clause_start = (ss..n.start)
                    .rev()
                    .find(|&k| p.chars.get(k).is_some_and(|c| matches!(c, ',' | '，' | ';' | '；' | ':' | '：')))
                    .map_or(ss, |k| k + 1);
                let governed = |o: &Occurrence| {
                    (p.lang == "en" && relations::after_preposition(p, o.start))
                        || (p.lang == "zh"
                            && o.start > 0
                            && p.chars.get(o.start - 1).is_some_and(|c| "与同和向对及在从赴".contains(*c)))
                };
                let clause_subject =
                    in_sentence.iter().find(|o| o.sure && clause_start <= o.start && o.end <= n.start && !governed(o));
                // Chinese leaves out a subject the sentences before gave:
                // a sentence whose names all follow a preposition
                // (`向X派遣...2455人次`) counts for the subject before.
                let carried =
                    if p.lang == "zh" && !in_sentence.iter().any(|o| o.sure && !governed(o) && o.end <= n.start) {
                        last_subject.clone()
                    } else {
                        None
                    };
                let subject = frame
                    .or(clause_subject)
                    .map(|o| o.id.clone())
                    .or(carried)
                    .or_else(|| in_sentence.iter().find(|o| o.sure).map(|o| o.id.clone()))
                    .or_else(|| last_subject.clone())
                    .or_else(|| in_sentence.first().map(|o| o.id.clone()));
                if let Some(s) = &subject {
                    last_subject = Some(s.clone());
                }
                // A count of an instrument's own items ("ten principles"
                // after the X Principles) is about that instrument.
                let instrument = numbers::item_word(&n.unit, p.lang).and_then(|word| {
                    occurrences.iter().rev().find(|o| {
                        o.kind == EntityKind::Treaty
                            && o.end <= n.start
                            && coopgraph_text::fold(&p.slice(o.start, o.end)).contains(word)
                    })
                });
                let subject = instrument.map(|o| o.id.clone()).or_else(|| possessor.map(|o| o.id.clone())).or(subject);
                let sentence = p.slice(ss, se);
                let measure = self.measures.best(&sentence, p.lang, &n.unit);
                let dates = fact_dates(&date_mentions, ss, se, n.at);
                let known =
                    self.figure_known(subject.as_deref(), measure.as_deref(), &n.value_text, &options.source, p);
                out.push(Candidate {
                    candidate: 0,
                    key: format!(
                        "figure:{}:{}:{}:{}@{}",
                        subject.as_deref().unwrap_or("?"),
                        measure.as_deref().unwrap_or("?"),
                        n.value_text,
                        n.unit,
                        p.number
                    ),
                    paragraph: p.number,
                    lang: p.lang,
                    span: (n.start, n.end),
                    text: p.slice(n.start, n.end),
                    triggers: n.comparator.map(|c| vec![c.to_owned()]).unwrap_or_default(),
                    score: round2(
                        0.5 + if subject.is_some() { 0.2 } else { 0.0 } + if measure.is_some() { 0.2 } else { 0.0 },
                    ),
                    reason: format!(
                        "a number with its unit{}{}",
                        if subject.is_some() { "; subject: the nearest entity before it in the sentence" } else { "" },
                        if measure.is_some() { "; measure: the best match of the measures' labels" } else { "" }
                    ),
                    status: if known { Status::Known } else { Status::Pending },
                    fact: Fact::Figure {
                        subject,
                        measure,
                        value: n.value,
                        value_text: n.value_text.clone(),
                        unit: n.unit.clone(),
                        comparator: n.comparator,
                        dates,
                    },
                });
            }
            // The tenth contingent a country sends tells that it has sent
            // ten: the country named in the deployment's name, not where it goes.
            for &(start, end, k) in &numbered {
                let sender = mentions.iter().find(|m| {
                    start <= m.start
                        && m.end <= end
                        && m.ids.first().and_then(|id| self.gazetteer.kind(id)) == Some(EntityKind::Country)
                        && !(m.start > 0 && p.chars.get(m.start - 1) == Some(&'赴'))
                        && !p.slice(m.start.saturating_sub(4), m.start).ends_with(" to ")
                });
                let Some(subject) = sender.and_then(|m| m.ids.first()).cloned() else { continue };
                let (ss, se) = sentence_of(&sentences, start).unwrap_or((0, p.chars.len()));
                let unit = "contingents".to_owned();
                let measure = self.measures.best(&p.slice(ss, se), p.lang, &unit);
                let value_text = k.to_string();
                let known = self.figure_known(Some(&subject), measure.as_deref(), &value_text, &options.source, p);
                out.push(Candidate {
                    candidate: 0,
                    key: format!(
                        "figure:{subject}:{}:{value_text}:{unit}@{}",
                        measure.as_deref().unwrap_or("?"),
                        p.number
                    ),
                    paragraph: p.number,
                    lang: p.lang,
                    span: (start, end),
                    text: p.slice(start, end),
                    triggers: Vec::new(),
                    score: 0.6,
                    reason: "the number of a deployment in its name counts the deployments its country has sent"
                        .to_owned(),
                    status: if known { Status::Known } else { Status::Pending },
                    fact: Fact::Figure {
                        subject: Some(subject),
                        measure,
                        value: k as f64,
                        value_text,
                        unit,
                        comparator: None,
                        dates: fact_dates(&date_mentions, ss, se, start),
                    },
                });
            }
            // Relations.
            let held = held.into_iter().map(|mut r| {
                r.sentence = sentence_of(&sentences, r.start).unwrap_or(r.sentence);
                r
            });
            for r in held.chain(relations::find(p, &sentences, &occurrences)).chain(already) {
                let dates = fact_dates(&date_mentions, r.sentence.0, r.sentence.1, r.trigger_at);
                let known = self.relation_known(&r.subject, r.predicate, &r.object, &options.source, p);
                out.push(Candidate {
                    candidate: 0,
                    key: format!("relation:{}:{}:{}@{}", r.subject, r.predicate, r.object, p.number),
                    paragraph: p.number,
                    lang: p.lang,
                    span: (r.start, r.end),
                    text: p.slice(r.start, r.end),
                    triggers: if r.trigger.is_empty() { Vec::new() } else { vec![r.trigger.to_owned()] },
                    score: r.score,
                    reason: r.reason,
                    status: if known { Status::Known } else { Status::Pending },
                    fact: Fact::Relation {
                        subject: r.subject,
                        predicate: r.predicate,
                        object: r.object,
                        role: r.role,
                        dates,
                    },
                });
            }
        }
        // Document order; the source record first.
        out.sort_by(|a, b| {
            (a.fact.order() != 0, a.paragraph, a.span.0, a.fact.order(), a.span.1, &a.key).cmp(&(
                b.fact.order() != 0,
                b.paragraph,
                b.span.0,
                b.fact.order(),
                b.span.1,
                &b.key,
            ))
        });
        let mut seen = BTreeSet::new();
        out.retain(|c| seen.insert(c.key.clone()));
        for (i, c) in out.iter_mut().enumerate() {
            c.candidate = i + 1;
        }
        Extraction { source: options.source.clone(), candidates: out }
    }

    /// The new English names of `p`, where an injected token the curator
    /// reads as an entity stands as a capitalised word, so that the names
    /// around it are found (`TOKEN-Japan Exercise`), with the entity's
    /// label in their own labels.
    fn english_names_reading(&self, p: &Paragraph, mentions: &[gazetteer::Mention]) -> Vec<names::NameMention> {
        let read: Vec<&gazetteer::Mention> = mentions.iter().filter(|m| m.read_as).collect();
        if read.is_empty() {
            return names::english_names(&p.chars);
        }
        let mut chars = p.chars.clone();
        let mut labels: Vec<(String, String)> = Vec::new();
        for m in &read {
            let stand_in: String = (m.start..m.end).enumerate().map(|(k, _)| if k == 0 { 'Q' } else { 'q' }).collect();
            for (k, c) in stand_in.chars().enumerate() {
                if let Some(slot) = chars.get_mut(m.start + k) {
                    *slot = c;
                }
            }
            let label = m.ids.first().and_then(|id| self.dataset.entity(id)).map(|e| e.label("en").to_owned());
            labels.push((stand_in, label.unwrap_or_default()));
        }
        let mut found = names::english_names(&chars);
        for n in &mut found {
            let mut label = chars.get(n.start..n.end).map(|c| c.iter().collect::<String>()).unwrap_or_default();
            for (stand_in, entity_label) in &labels {
                label = label.replace(stand_in.as_str(), entity_label);
            }
            n.name = label;
        }
        found
    }

    /// "the ministry", "the bureau" ...: the known organization named last
    /// before it (in this paragraph or an earlier one) whose English label
    /// holds that word.
    fn definite_references(
        &self,
        p: &Paragraph,
        mentions: &[gazetteer::Mention],
        named_before: &[String],
    ) -> Vec<gazetteer::Mention> {
        const NOUNS: &[&str] = &["ministry", "bureau", "department", "procuratorate", "commission", "office"];
        let lower: Vec<char> = p.chars.iter().map(|c| c.to_ascii_lowercase()).collect();
        let mut out = Vec::new();
        for noun in NOUNS {
            let pattern: Vec<char> = format!("the {noun}").chars().collect();
            let n = pattern.len();
            for at in 0..lower.len().saturating_sub(n - 1) {
                if lower.get(at..at + n) != Some(&pattern[..]) {
                    continue;
                }
                let (start, end) = (at + 4, at + n);
                let word_before = at == 0 || lower.get(at - 1).is_some_and(|c| !c.is_alphanumeric());
                let word_after = lower.get(end).is_none_or(|c| !c.is_alphanumeric());
                // "the Ministry of ..." is a name, not a reference back.
                let named = p.slice(end, end + 4) == " of " || p.chars.get(start).is_some_and(|c| c.is_uppercase());
                if !word_before || !word_after || named || mentions.iter().any(|m| m.start < end && start < m.end) {
                    continue;
                }
                let earlier = mentions
                    .iter()
                    .filter(|m| m.end <= start && !m.anaphor)
                    .filter_map(|m| m.ids.first())
                    .filter(|id| self.gazetteer.kind(id) == Some(EntityKind::Organization));
                let holds = |id: &&String| {
                    self.dataset.entity(id).is_some_and(|e| {
                        e.label("en").to_lowercase().split(|c: char| !c.is_alphanumeric()).any(|w| w == *noun)
                    })
                };
                let antecedent = earlier
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .find(holds)
                    .or_else(|| named_before.iter().rev().find(|id| holds(id)));
                if let Some(id) = antecedent {
                    out.push(gazetteer::Mention {
                        start,
                        end,
                        ids: vec![id.clone()],
                        read_as: false,
                        initial: false,
                        anaphor: true,
                    });
                }
            }
        }
        out
    }

    fn figure_known(
        &self,
        subject: Option<&str>,
        measure: Option<&str>,
        value: &str,
        source: &str,
        p: &Paragraph,
    ) -> bool {
        let (Some(subject), Some(measure)) = (subject, measure) else { return false };
        self.known.contains(&format!("figure|{subject}|{measure}|{value}|{source}#{}@{}", p.number, p.lang))
    }

    fn relation_known(&self, subject: &str, predicate: &str, object: &str, source: &str, p: &Paragraph) -> bool {
        self.known.contains(&format!("relation|{subject}|{predicate}|{object}|{source}#{}@{}", p.number, p.lang))
    }
}

/// Whether the sentence from `ss` opens with a frame around the name at
/// `at..end`: `In the X`, `During the X`, `在X中`, `在A承办的X中`.
fn opens(p: &Paragraph, ss: usize, at: usize, end: usize) -> bool {
    let before = coopgraph_text::fold(p.slice(ss, at).trim());
    let before = before.trim_start_matches(|c: char| c.is_ascii_punctuation() || c == '，' || c == ' ');
    if p.lang == "zh" {
        // 在X中 / 在A承办的X中: the frame closes right after the name.
        // 在X期间: during X.
        return before.contains('在')
            && (p.chars.get(end).is_some_and(|c| *c == '中') || p.slice(end, end + 2) == "期间");
    }
    matches!(before, "in" | "in the" | "during" | "during the" | "through" | "through the")
}

/// Whether character `at` of `p` stands inside curly quotation marks
/// (`“百名红通人员”`): a number there is part of a name or a slogan.
fn in_quotes(p: &Paragraph, at: usize) -> bool {
    let mut depth = 0usize;
    for c in p.chars.iter().take(at) {
        match c {
            '“' | '「' | '『' => depth += 1,
            '”' | '」' | '』' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    depth > 0
}

/// The original span of folded characters `start..end` of `p`.
fn map_span(p: &Paragraph, start: usize, end: usize) -> Option<(usize, usize)> {
    p.folded.original_span(start..end).map(|r| (r.start, r.end))
}

/// The folded characters of original characters `start..end` of `p`.
fn folded_range(p: &Paragraph, start: usize, end: usize) -> Option<(usize, usize)> {
    let (a, b) = (*p.folded_at.get(start)?, *p.folded_at.get(end)?);
    (a < b).then_some((a, b))
}

/// The dates of a fact at character `at` of a sentence `ss..se`: the
/// nearest date before it in the sentence, else the first after it.
fn fact_dates(dates: &[DateMention], ss: usize, se: usize, at: usize) -> FactDates {
    let in_sentence: Vec<&DateMention> = dates.iter().filter(|d| ss <= d.start && d.end <= se).collect();
    let chosen = in_sentence.iter().rev().find(|d| d.end <= at).or_else(|| in_sentence.first());
    let mut out = FactDates::default();
    if let Some(d) = chosen {
        let text = d.date.to_string();
        match d.role {
            DateRole::AsOf => out.as_of = Some(text),
            DateRole::Since => out.start = Some(text),
            DateRole::At => out.date = Some(text),
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests;
