//! Checks that need every file: unique ids, references that resolve, kinds
//! that fit the relation type, citations inside their source.

use std::collections::{HashMap, HashSet};

use coopgraph_model::{Dataset, EntityKind, Location};
use indexmap::IndexMap;

use crate::diagnostics::{Diagnostics, suggestion};
use crate::draft::{Cited, Draft};

fn a_kind(kind: EntityKind) -> String {
    let name = kind.name();
    let article = if name.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
    format!("{article} {name}")
}

fn kinds_list(kinds: &[EntityKind]) -> String {
    let names: Vec<_> = kinds.iter().map(|k| k.name()).collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

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
        d.push(at.clone(), format!("unknown entity \"{id}\"{}", suggestion(id, ids.iter().copied())));
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
            let (at, message) = if !rt.subject_kinds().contains(&sk) {
                (
                    &r.subject_at,
                    format!(
                        "{} expects {} as subject, but \"{}\" is {}",
                        rt.name,
                        kinds_list(&rt.subject_kinds()),
                        rel.subject,
                        a_kind(sk)
                    ),
                )
            } else {
                let objects: Vec<EntityKind> = rt.allowed.iter().filter(|(s, _)| *s == sk).map(|(_, o)| *o).collect();
                (
                    &r.object_at,
                    format!(
                        "{} from {} expects {} as object, but \"{}\" is {}",
                        rt.name,
                        a_kind(sk),
                        kinds_list(&objects),
                        rel.object,
                        a_kind(ok)
                    ),
                )
            };
            d.push(at.clone(), message);
            continue;
        }
        let key = format!("{}\u{0}{}\u{0}{}\u{0}{:?}\u{0}{:?}", rel.subject, rt.name, rel.object, rel.role, rel.period);
        if let Some(first) = seen.get(&key) {
            d.push(
                r.at.clone(),
                format!(
                    "duplicate relation {} {} {} (first at {first}): merge the two records and list both citations in \"sources\"",
                    rel.subject, rt.name, rel.object
                ),
            );
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
    if coopgraph_model::ids::RESERVED_ENTITY_IDS.contains(&id.as_str()) {
        d.push(
            at.clone(),
            format!(
                "entity id \"{id}\" is reserved: published IRIs use it as a path ({}); choose another id",
                coopgraph_model::ids::RESERVED_ENTITY_IDS.join(", ")
            ),
        );
        return false;
    }
    true
}

fn duplicate(d: &mut Diagnostics, what: &str, id: &str, at: Option<&Location>, first: Option<&Location>) {
    let at = at.cloned().unwrap_or_else(|| Location { file: "".into(), line: 0, column: 0 });
    let first = first.map_or_else(String::new, |l| format!(": first declared at {l}"));
    d.push(at, format!("duplicate {what} id \"{id}\"{first}"));
}

fn check_citation(
    d: &mut Diagnostics,
    sources: &IndexMap<coopgraph_model::SourceId, coopgraph_model::Source>,
    cited: &Cited,
) {
    let c = &cited.citation;
    let Some(source) = sources.get(c.source.as_str()) else {
        let ids: HashSet<&str> = sources.keys().map(|s| s.as_str()).collect();
        let mut ids: Vec<&str> = ids.into_iter().collect();
        ids.sort_unstable();
        d.push(
            cited.at.clone(),
            format!(
                "unknown source \"{}\"{}; declare it in a [[source]] record",
                c.source,
                suggestion(c.source.as_str(), ids)
            ),
        );
        return;
    };
    if let (Some(p), Some(max)) = (c.paragraph, source.paragraphs)
        && p > max
    {
        d.push(
            cited.at.clone(),
            format!("paragraph {p} is past the end of source \"{}\", which has {max} paragraphs", c.source),
        );
        return;
    }
    if let Some(lang) = &c.lang {
        if !source.languages.is_empty() && !source.languages.contains(lang) {
            let langs: Vec<_> = source.languages.iter().map(|l| l.as_str()).collect();
            d.push(
                cited.at.clone(),
                format!("source \"{}\" has no \"{lang}\" version; its languages are {}", c.source, langs.join(", ")),
            );
            return;
        }
        if let (Some(p), Some((first, last))) = (c.paragraph, source.language_paragraphs.get(lang))
            && (p < *first || p > *last)
        {
            d.push(
                cited.at.clone(),
                format!(
                    "paragraph {p} of source \"{}\" is not in its \"{lang}\" version (paragraphs {first} to {last})",
                    c.source
                ),
            );
        }
    }
}
