//! Measuring extraction honestly: on the curated documents, with `data/`
//! as the answer key, leave-one-document-out. When document N is
//! extracted, the gazetteer holds only the entities other documents cite,
//! so entities first named in N must be proposed as new.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use coopgraph_model::{Citation, Dataset, Entity};
use coopgraph_text::fold;
use serde::Serialize;

use crate::{ExtractOptions, Extractor, Fact};

/// Found of expected, and right of proposed.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct Score {
    /// Expected facts found.
    pub found: usize,
    /// Expected facts.
    pub expected: usize,
    /// Proposed facts that are right.
    pub right: usize,
    /// Proposed facts.
    pub proposed: usize,
}

impl Score {
    fn add(&mut self, other: Score) {
        self.found += other.found;
        self.expected += other.expected;
        self.right += other.right;
        self.proposed += other.proposed;
    }

    /// Recall in percent (100 when nothing was expected).
    pub fn recall(&self) -> f64 {
        if self.expected == 0 { 100.0 } else { 100.0 * self.found as f64 / self.expected as f64 }
    }

    /// Precision in percent (100 when nothing was proposed).
    pub fn precision(&self) -> f64 {
        if self.proposed == 0 { 100.0 } else { 100.0 * self.right as f64 / self.proposed as f64 }
    }
}

/// The scores of one document, or of all.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DocumentScore {
    /// The source id, or `overall`.
    pub source: String,
    /// Known-entity mentions: (entity, paragraph) pairs the data cites.
    pub mentions: Score,
    /// Entities only this document names, proposed as new.
    pub new_entities: Score,
    /// Figures on value, unit and subject, per citing paragraph.
    pub figures: Score,
    /// Explicit relations on subject, predicate and object, per citing paragraph.
    pub relations: Score,
    /// What was missed, for the report: kind of fact -> examples.
    pub missed: BTreeMap<String, Vec<String>>,
}

fn cites(citations: &[Citation], source: &str) -> Vec<u32> {
    citations.iter().filter(|c| c.source.as_str() == source).filter_map(|c| c.paragraph).collect()
}

fn names_of(e: &Entity) -> Vec<String> {
    e.labels.values().chain(e.aliases.values().flatten()).map(|n| fold(n)).collect()
}

/// Whether a proposed name denotes an entity with these names: equal, or
/// one holding the other as most of itself.
fn same_name(proposed: &str, names: &[String]) -> bool {
    let p = fold(proposed);
    let p = p.trim_start_matches("the ");
    names.iter().any(|n| {
        let n = n.trim_start_matches("the ");
        let (pl, nl) = (p.chars().count(), n.chars().count());
        p == n || ((p.contains(n) || n.contains(p)) && pl.min(nl) * 10 >= pl.max(nl) * 6)
    })
}

/// The reading of each injected token that one curator decision would
/// give: the known country the data cites in most of the paragraphs where
/// the token stands, and which extraction did not find there.
fn readings(
    dataset: &Dataset,
    extraction: &crate::Extraction,
    known: &impl Fn(&Entity) -> bool,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Some(Fact::Source { injected, source, .. }) = extraction.candidates.first().map(|c| &c.fact) else {
        return out;
    };
    for token in injected {
        let paragraphs: BTreeSet<u32> = token.at.iter().map(|a| a.0).collect();
        let mut best: Option<(usize, &str)> = None;
        for e in dataset.entities.values().filter(|e| known(e) && e.kind == coopgraph_model::EntityKind::Country) {
            let found: BTreeSet<u32> = extraction
                .candidates
                .iter()
                .filter(|c| matches!(&c.fact, Fact::Entity { id, .. } if id == e.id.as_str()))
                .map(|c| c.paragraph)
                .collect();
            // Where the data says the document speaks of it: its own
            // citations and those of its relations and figures.
            let mut cited: BTreeSet<u32> = cites(&e.sources, source).into_iter().collect();
            for r in dataset.relations.iter().filter(|r| r.subject == e.id || r.object == e.id) {
                cited.extend(cites(&r.sources, source));
            }
            for f in dataset.figures.iter().filter(|f| f.subject == e.id) {
                cited.extend(cites(&f.sources, source));
            }
            let n = cited.iter().filter(|p| paragraphs.contains(p) && !found.contains(p)).count();
            if n >= 2 && best.is_none_or(|(b, _)| n > b) {
                best = Some((n, e.id.as_str()));
            }
        }
        if let Some((_, id)) = best {
            out.push((token.token.clone(), id.to_owned()));
        }
    }
    out
}

/// How the evaluation treats injected tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Readings {
    /// As extracted: an injected token is nothing.
    None,
    /// With one curator decision per injected token: what it reads as.
    Curator,
}

/// Evaluates extraction on `documents` (source id, text) against `dataset`.
pub fn evaluate(dataset: &Dataset, documents: &[(String, String)], mode: Readings) -> Vec<DocumentScore> {
    let mut all = Vec::new();
    let mut overall = DocumentScore { source: "overall".into(), ..DocumentScore::default() };
    for (source, text) in documents {
        let others = |e: &Entity| e.sources.iter().any(|c| c.source.as_str() != source);
        let extractor = Extractor::with_gazetteer(dataset, others);
        let date = dataset.sources.get(source.as_str()).and_then(|s| s.date);
        let mut options = ExtractOptions { source: source.clone(), date, read_as: Vec::new() };
        let mut extraction = extractor.extract(text, &options);
        if mode == Readings::Curator {
            options.read_as = readings(dataset, &extraction, &others);
            #[cfg(test)]
            if std::env::var_os("COOPGRAPH_SHOW_READINGS").is_some() {
                #[allow(clippy::print_stdout)]
                {
                    println!("{source}: {:?}", options.read_as);
                }
            }
            if !options.read_as.is_empty() {
                extraction = extractor.extract(text, &options);
            }
        }
        #[cfg(test)]
        if std::env::var("COOPGRAPH_SHOW_DOC").is_ok_and(|d| d == *source) {
            #[allow(clippy::print_stdout)]
            for c in &extraction.candidates {
                println!("{} p{} {:?} {:?}", c.fact.kind_name(), c.paragraph, c.text, c.fact);
            }
        }
        let mut score = DocumentScore { source: source.clone(), ..DocumentScore::default() };
        let mut missed: BTreeMap<String, Vec<String>> = BTreeMap::new();

        // Known mentions.
        let mut found_mentions: BTreeSet<(String, u32)> = BTreeSet::new();
        for c in &extraction.candidates {
            if let Fact::Entity { id, alternatives, .. } = &c.fact {
                found_mentions.insert((id.clone(), c.paragraph));
                for a in alternatives {
                    found_mentions.insert((a.clone(), c.paragraph));
                }
            }
        }
        for e in dataset.entities.values().filter(|e| others(e)) {
            for p in cites(&e.sources, source) {
                score.mentions.expected += 1;
                if found_mentions.contains(&(e.id.to_string(), p)) {
                    score.mentions.found += 1;
                } else {
                    missed.entry("mention".into()).or_default().push(format!("{}#{p} {}", e.id, e.label("en")));
                }
            }
        }
        let proposed_mentions = extraction.candidates.iter().filter(|c| matches!(c.fact, Fact::Entity { .. })).count();
        score.mentions.proposed = proposed_mentions;
        score.mentions.right = extraction
            .candidates
            .iter()
            .filter(|c| match &c.fact {
                Fact::Entity { id, .. } => {
                    dataset.entity(id).is_some_and(|e| cites(&e.sources, source).contains(&c.paragraph))
                }
                _ => false,
            })
            .count();

        // New entities, and the map from proposed ids to the data's ids.
        let new_ones: Vec<&Entity> =
            dataset.entities.values().filter(|e| !others(e) && !cites(&e.sources, source).is_empty()).collect();
        let mut id_map: BTreeMap<String, String> = BTreeMap::new();
        let proposals: Vec<(&String, &String)> = extraction
            .candidates
            .iter()
            .filter_map(|c| match &c.fact {
                Fact::NewEntity { proposed_id, label, .. } => Some((proposed_id, label)),
                _ => None,
            })
            .collect();
        score.new_entities.proposed = proposals.len();
        for e in &new_ones {
            score.new_entities.expected += 1;
            let names = names_of(e);
            let hits: Vec<&String> =
                proposals.iter().filter(|(_, label)| same_name(label, &names)).map(|(id, _)| *id).collect();
            if hits.is_empty() {
                missed.entry(format!("new {}", e.kind)).or_default().push(format!("{} ({})", e.id, e.label("en")));
            } else {
                score.new_entities.found += 1;
                for h in hits {
                    id_map.entry(h.clone()).or_insert_with(|| e.id.to_string());
                }
            }
        }
        score.new_entities.right = proposals.iter().filter(|(id, _)| id_map.contains_key(*id)).count();
        let real = |id: &str| id_map.get(id).cloned().unwrap_or_else(|| id.to_owned());

        // Figures.
        let mut expected_figures: Vec<(String, String, String, u32)> = Vec::new();
        for f in &dataset.figures {
            for p in cites(&f.sources, source) {
                expected_figures.push((f.subject.to_string(), f.value.to_string(), f.unit.clone(), p));
            }
        }
        let proposed_figures: Vec<(String, String, String, u32)> = extraction
            .candidates
            .iter()
            .filter_map(|c| match &c.fact {
                Fact::Figure { subject, value_text, unit, .. } => Some((
                    subject.as_deref().map(real).unwrap_or_default(),
                    value_text.clone(),
                    unit.clone(),
                    c.paragraph,
                )),
                _ => None,
            })
            .collect();
        score.figures = match_sets(&expected_figures, &proposed_figures, |e, p| e == p);
        #[cfg(test)]
        if std::env::var_os("COOPGRAPH_SHOW_RELATIONS").is_some() {
            #[allow(clippy::print_stdout)]
            for (c, f) in
                extraction.candidates.iter().filter(|c| matches!(c.fact, Fact::Figure { .. })).zip(&proposed_figures)
            {
                let right = expected_figures.contains(f);
                println!(
                    "FIG {} {} {source}#{} {} {} {} {:?}",
                    if right { "R" } else { "W" },
                    c.score,
                    f.3,
                    f.0,
                    f.1,
                    f.2,
                    c.text
                );
            }
        }
        for e in &expected_figures {
            if !proposed_figures.contains(e) {
                let near = proposed_figures.iter().any(|p| p.1 == e.1 && p.3 == e.3);
                missed
                    .entry(if near { "figure (subject or unit)" } else { "figure (number)" }.into())
                    .or_default()
                    .push(format!("{}#{} {} {} {}", source, e.3, e.0, e.1, e.2));
            }
        }

        // Explicit relations.
        let mut expected_relations: Vec<(String, String, String, u32)> = Vec::new();
        for r in dataset.relations.iter().filter(|r| !r.implied) {
            for p in cites(&r.sources, source) {
                expected_relations.push((
                    r.subject.to_string(),
                    r.relation_type.name.to_owned(),
                    r.object.to_string(),
                    p,
                ));
            }
        }
        let proposed_relations: Vec<(String, String, String, u32)> = extraction
            .candidates
            .iter()
            .filter_map(|c| match &c.fact {
                Fact::Relation { subject, predicate, object, .. } => {
                    Some((real(subject), (*predicate).to_owned(), real(object), c.paragraph))
                }
                _ => None,
            })
            .collect();
        let symmetric = |p: &str| coopgraph_model::RelationType::from_name(p).is_some_and(|r| r.symmetric);
        let same_relation = |e: &(String, String, String, u32), p: &(String, String, String, u32)| {
            e.1 == p.1 && e.3 == p.3 && ((e.0 == p.0 && e.2 == p.2) || (symmetric(&e.1) && e.0 == p.2 && e.2 == p.0))
        };
        score.relations = match_sets(&expected_relations, &proposed_relations, same_relation);
        #[cfg(test)]
        if std::env::var_os("COOPGRAPH_SHOW_RELATIONS").is_some() {
            #[allow(clippy::print_stdout)]
            for c in &extraction.candidates {
                if let Fact::Relation { subject, predicate, object, .. } = &c.fact {
                    let p = (real(subject), (*predicate).to_owned(), real(object), c.paragraph);
                    let right = expected_relations.iter().any(|e| same_relation(e, &p));
                    println!(
                        "REL {} {} {source}#{} {} {} {} | {}",
                        if right { "R" } else { "W" },
                        c.score,
                        c.paragraph,
                        p.0,
                        p.1,
                        p.2,
                        c.reason
                    );
                }
            }
        }
        for e in &expected_relations {
            if !proposed_relations.iter().any(|p| same_relation(e, p)) {
                missed
                    .entry(format!("relation {}", e.1))
                    .or_default()
                    .push(format!("{}#{} {} {} {}", source, e.3, e.0, e.1, e.2));
            }
        }
        score.missed = missed;
        overall.mentions.add(score.mentions);
        overall.new_entities.add(score.new_entities);
        overall.figures.add(score.figures);
        overall.relations.add(score.relations);
        for (k, v) in &score.missed {
            overall.missed.entry(k.clone()).or_default().extend(v.iter().cloned());
        }
        all.push(score);
    }
    all.push(overall);
    all
}

/// A source document that could not be read for the evaluation.
#[derive(Debug, thiserror::Error)]
#[error("cannot read source {source_id} at {path}: {error}")]
pub struct DocumentError {
    /// The source id.
    pub source_id: String,
    /// Where its file was looked for.
    pub path: std::path::PathBuf,
    /// Why it could not be read.
    #[source]
    pub error: std::io::Error,
}

/// The documents of every source of `dataset` that names a `file`, read
/// from `dir`: (source id, text), in source order.
pub fn documents_in(dataset: &Dataset, dir: &std::path::Path) -> Result<Vec<(String, String)>, DocumentError> {
    let mut documents = Vec::new();
    for s in dataset.sources.values() {
        let Some(name) = &s.file else { continue };
        let path = dir.join(name);
        let text = std::fs::read_to_string(&path).map_err(|error| DocumentError {
            source_id: s.id.to_string(),
            path: path.clone(),
            error,
        })?;
        documents.push((s.id.to_string(), text));
    }
    Ok(documents)
}

/// Both runs of the evaluation: as extracted, and with one curator
/// decision per injected token. `coopgraph extract --evaluate` and the
/// crate's `evaluate` example print it.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// As extracted: an injected token is nothing.
    pub as_extracted: Vec<DocumentScore>,
    /// With the curator's reading of each injected token.
    pub curator_reading: Vec<DocumentScore>,
}

impl Evaluation {
    /// Evaluates `documents` (source id, text) against `dataset`, in both modes.
    pub fn run(dataset: &Dataset, documents: &[(String, String)]) -> Self {
        Self {
            as_extracted: evaluate(dataset, documents, Readings::None),
            curator_reading: evaluate(dataset, documents, Readings::Curator),
        }
    }

    /// The two tables, each followed by what it missed, by kind of fact.
    pub fn text(&self) -> String {
        format!(
            "As extracted (leave-one-document-out, data/ as the answer key):\n{}\nWith one curator decision per injected token (what it reads as):\n{}",
            report(&self.as_extracted),
            report(&self.curator_reading)
        )
    }

    /// One JSON object per document and mode, with `"mode"` set to
    /// `as_extracted` or `curator_reading`.
    pub fn json_lines(&self) -> String {
        let line = |mode: &str, s: &DocumentScore| {
            serde_json::to_value(s).ok().map(|mut v| {
                if let Some(object) = v.as_object_mut() {
                    object.insert("mode".to_owned(), serde_json::Value::from(mode));
                }
                v.to_string() + "\n"
            })
        };
        self.as_extracted
            .iter()
            .filter_map(|s| line("as_extracted", s))
            .chain(self.curator_reading.iter().filter_map(|s| line("curator_reading", s)))
            .collect()
    }

    /// Every fact each run missed, one line per fact under its kind.
    pub fn missed(&self) -> String {
        let mut out = String::new();
        for (mode, scores) in [("as extracted", &self.as_extracted), ("curator reading", &self.curator_reading)] {
            let Some(overall) = scores.last() else { continue };
            let _ = writeln!(out, "missed ({mode}):");
            for (kind, items) in &overall.missed {
                for item in items {
                    let _ = writeln!(out, "  {kind:<28} {item}");
                }
            }
        }
        out
    }
}

/// Found of expected (each expected fact at most once) and right of
/// proposed (a proposed fact is right when it matches an expected one).
fn match_sets<T>(expected: &[T], proposed: &[T], same: impl Fn(&T, &T) -> bool) -> Score {
    Score {
        found: expected.iter().filter(|e| proposed.iter().any(|p| same(e, p))).count(),
        expected: expected.len(),
        right: proposed.iter().filter(|p| expected.iter().any(|e| same(e, p))).count(),
        proposed: proposed.len(),
    }
}

/// The report as an aligned table, then what the overall run missed, by kind.
pub fn report(scores: &[DocumentScore]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<8} {:>16} {:>16} {:>26} {:>26}",
        "source", "known mentions", "new entities", "figures (recall/prec.)", "relations (recall/prec.)"
    );
    for s in scores {
        let _ = writeln!(
            out,
            "{:<8} {:>16} {:>16} {:>26} {:>26}",
            s.source,
            format!("{:.0}% ({}/{})", s.mentions.recall(), s.mentions.found, s.mentions.expected),
            format!("{:.0}% ({}/{})", s.new_entities.recall(), s.new_entities.found, s.new_entities.expected),
            format!(
                "{:.0}% / {:.0}% ({}/{}, {}/{})",
                s.figures.recall(),
                s.figures.precision(),
                s.figures.found,
                s.figures.expected,
                s.figures.right,
                s.figures.proposed
            ),
            format!(
                "{:.0}% / {:.0}% ({}/{}, {}/{})",
                s.relations.recall(),
                s.relations.precision(),
                s.relations.found,
                s.relations.expected,
                s.relations.right,
                s.relations.proposed
            ),
        );
    }
    if let Some(overall) = scores.last() {
        let _ = writeln!(out, "\nmissed, by kind of fact (overall):");
        for (kind, items) in &overall.missed {
            let _ = writeln!(out, "  {kind:<28} {:>4}", items.len());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::print_stdout)]
    use super::*;

    /// Runs the evaluation on the real documents when COOPGRAPH_SOURCES
    /// names their folder (they stay outside the repository).
    #[test]
    fn evaluation_on_the_curated_documents() {
        let Some(dir) = std::env::var_os("COOPGRAPH_SOURCES") else { return };
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
        let data = coopgraph_load::load_dir(&root).unwrap();
        let docs: Vec<(String, String)> = data
            .sources
            .values()
            .map(|s| {
                (
                    s.id.to_string(),
                    std::fs::read_to_string(std::path::Path::new(&dir).join(s.file.as_deref().unwrap())).unwrap(),
                )
            })
            .collect();
        let scores = evaluate(&data, &docs, Readings::None);
        println!("{}", report(&scores));
        let scores = evaluate(&data, &docs, Readings::Curator);
        println!("{}", report(&scores));
        if std::env::var_os("COOPGRAPH_MISSED").is_some() {
            println!("{:#?}", scores.last().unwrap().missed);
        }
    }
}
