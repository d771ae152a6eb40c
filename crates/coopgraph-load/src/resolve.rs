//! Checks that need every file: unique ids, references that resolve, kinds
//! that fit the relation type, citations inside their source.

use std::collections::HashMap;

use coopgraph_model::{Dataset, EntityKind, Location};

use crate::diagnostics::{Diagnostics, suggestion};
use crate::draft::{Cited, Draft};
use crate::rules::{Sources, check_cited, duplicate_id, duplicate_relation, unknown_entity, wrong_kinds};
use crate::stream::CitationRef;

/// Turns the draft into a dataset, or reports why it cannot.
pub(crate) fn resolve(draft: Draft, d: &mut Diagnostics) -> Dataset {
    let mut dataset = Dataset::default();

    for source in draft.sources {
        if let Some(first) = dataset.sources.get(source.id.as_str()) {
            duplicate(d, "source", source.id.as_str(), source.origin.as_ref(), first.origin.as_ref());
        } else {
            dataset.sources.insert(source.id.clone(), source);
        }
    }
    for measure in draft.measures {
        if let Some(first) = dataset.measures.get(measure.id.as_str()) {
            duplicate(d, "measure", measure.id.as_str(), measure.origin.as_ref(), first.origin.as_ref());
        } else {
            dataset.measures.insert(measure.id.clone(), measure);
        }
    }
    let mut entity_citations = Vec::new();
    for draft_entity in draft.entities {
        let entity = draft_entity.entity;
        if let Some(first) = dataset.entities.get(entity.id.as_str()) {
            duplicate(d, "entity", entity.id.as_str(), entity.origin.as_ref(), first.origin.as_ref());
        } else {
            entity_citations.extend(draft_entity.sources);
            dataset.entities.insert(entity.id.clone(), entity);
        }
    }
    let ids: Vec<&str> = dataset.entities.keys().map(|k| k.as_str()).collect();
    let kinds: HashMap<&str, EntityKind> = dataset.entities.values().map(|e| (e.id.as_str(), e.kind)).collect();
    let unknown = |d: &mut Diagnostics, id: &str, at: &Location| {
        d.push(at.clone(), unknown_entity(id, ids.iter().copied()));
    };
    let sources = &dataset.sources;
    let check_citations = |d: &mut Diagnostics, cited: &[Cited]| {
        for c in cited {
            check_citation(d, sources, c);
        }
    };
    check_citations(d, &entity_citations);
    for (id, at) in &draft.loose_refs {
        if !kinds.contains_key(id.as_str()) {
            unknown(d, id.as_str(), at);
        }
    }
    check_citations(d, &draft.loose_citations);

    let mut relations = Vec::with_capacity(draft.relations.len());
    let mut seen: HashMap<String, Location> = HashMap::new();
    for r in draft.relations {
        let rel = &r.relation;
        let subject_kind = kinds.get(rel.subject.as_str()).copied();
        let object_kind = kinds.get(rel.object.as_str()).copied();
        if subject_kind.is_none() {
            unknown(d, rel.subject.as_str(), &r.subject_at);
        }
        if object_kind.is_none() {
            unknown(d, rel.object.as_str(), &r.object_at);
        }
        check_citations(d, &r.sources);
        let (Some(sk), Some(ok)) = (subject_kind, object_kind) else { continue };
        let rt = rel.relation_type;
        if !rt.allows(sk, ok) {
            let (at_object, message) = wrong_kinds(rt, rel.subject.as_str(), sk, rel.object.as_str(), ok);
            d.push(if at_object { r.object_at.clone() } else { r.subject_at.clone() }, message);
            continue;
        }
        let key = format!("{}\u{0}{}\u{0}{}\u{0}{:?}\u{0}{:?}", rel.subject, rt.name, rel.object, rel.role, rel.period);
        if let Some(first) = seen.get(&key) {
            d.push(r.at.clone(), duplicate_relation(rel.subject.as_str(), rt, rel.object.as_str(), first));
            continue;
        }
        seen.insert(key, r.at.clone());
        relations.push(r.relation);
    }
    dataset.relations = relations;

    let measure_ids: Vec<&str> = dataset.measures.keys().map(|m| m.as_str()).collect();
    let mut figures = Vec::with_capacity(draft.figures.len());
    for f in draft.figures {
        let fig = &f.figure;
        let mut ok = true;
        if !kinds.contains_key(fig.subject.as_str()) {
            unknown(d, fig.subject.as_str(), &f.subject_at);
            ok = false;
        }
        if let (Some(c), Some(at)) = (&fig.counterpart, &f.counterpart_at)
            && !kinds.contains_key(c.as_str())
        {
            unknown(d, c.as_str(), at);
            ok = false;
        }
        if !dataset.measures.contains_key(fig.measure.as_str()) {
            d.push(
                f.measure_at.clone(),
                format!(
                    "unknown measure \"{}\"{}; declare it in a [[measure]] record",
                    fig.measure,
                    suggestion(fig.measure.as_str(), measure_ids.iter().copied())
                ),
            );
            ok = false;
        }
        check_citations(d, &f.sources);
        if ok {
            figures.push(f.figure);
        }
    }
    dataset.figures = figures;
    dataset
}

/// False (with an error) for an id the published IRIs reserve.
pub(crate) fn not_reserved(id: &coopgraph_model::EntityId, at: &Location, d: &mut Diagnostics) -> bool {
    crate::rules::check_entity_id(id.as_str(), &|| at.clone(), d)
}

fn duplicate(d: &mut Diagnostics, what: &str, id: &str, at: Option<&Location>, first: Option<&Location>) {
    let at = at.cloned().unwrap_or_else(|| Location { file: "".into(), line: 0, column: 0 });
    d.push(at, duplicate_id(what, id, first));
}

fn check_citation(d: &mut Diagnostics, sources: &Sources, cited: &Cited) {
    let c = &cited.citation;
    let lang = c.lang.as_ref().map(|l| l.as_str());
    let cited_ref = CitationRef { source: c.source.as_str(), paragraph: c.paragraph, lang };
    check_cited(d, sources, cited_ref, &|| cited.at.clone());
}
