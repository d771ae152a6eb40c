//! Reads `entities.csv` and `relations.csv`, the spreadsheet form of the
//! model, for `build` and `validate`: with the reader and the rules of
//! `import` (`stream.rs`, `rules.rs`), so both paths say the same.

use std::collections::BTreeMap;
use std::sync::Arc;

use coopgraph_model::{Entity, EntityId, LangTag, Period, Qid, Relation};

use crate::diagnostics::Diagnostics;
use crate::draft::{Cited, Draft, DraftEntity, DraftRelation, parse_citation};
use crate::rules::{check_entity, check_relation_fields};
use crate::stream::read_table;

/// Columns of `entities.csv`.
pub const ENTITY_COLUMNS: [&str; 5] = ["id", "type", "label_en", "label_zh", "wikidata"];
/// Columns of `relations.csv`.
pub const RELATION_COLUMNS: [&str; 4] = ["subject", "predicate", "object", "source"];

fn field<'a>(fields: &[&'a str], i: usize) -> &'a str {
    fields.get(i).copied().unwrap_or("")
}

/// Reads `entities.csv`: the streaming reader's records and row rules
/// ([`crate::rules`]), the records kept in the draft.
pub(crate) fn read_entities_csv(name: Arc<str>, text: &str, draft: &mut Draft, d: &mut Diagnostics) {
    read_table(&name, text, &ENTITY_COLUMNS, d, |f, at, d| {
        let checked = check_entity(f, at, d);
        // A row with a good id and type declares its id even when another
        // field is bad (the errors keep the data from being used).
        let Some((id, kind)) = checked.declared else { return };
        let (Ok(id), Some(category)) = (EntityId::new(id), kind.category(kind.spec().default_category)) else {
            return;
        };
        let mut labels = BTreeMap::new();
        labels.insert(LangTag::en(), field(f, 2).to_owned());
        let (mut wikidata, label_zh) = (None, checked.row.map_or("", |r| r.label_zh));
        if !label_zh.is_empty() {
            labels.insert(LangTag::zh(), label_zh.to_owned());
        }
        if let Some(q) = checked.row.and_then(|r| r.wikidata) {
            wikidata = Qid::new(q).ok();
        }
        draft.entities.push(DraftEntity {
            entity: Entity {
                id,
                kind,
                category,
                labels,
                aliases: BTreeMap::new(),
                wikidata,
                description: None,
                binding: None,
                ordinal: None,
                period: Period::default(),
                sources: Vec::new(),
                origin: Some(at(0)),
            },
            sources: Vec::new(),
        });
    });
}

/// Reads `relations.csv`: the streaming reader's records and row rules; the
/// references and citations are checked with every file's records
/// (`resolve`), those of a row that fails its own checks too.
pub(crate) fn read_relations_csv(name: Arc<str>, text: &str, draft: &mut Draft, d: &mut Diagnostics) {
    read_table(&name, text, &RELATION_COLUMNS, d, |f, at, d| {
        let reference = |i: usize, d: &mut Diagnostics| match EntityId::new(field(f, i)) {
            Ok(id) => Some((id, at(i))),
            Err(e) => {
                d.push(at(i), e.to_string());
                None
            }
        };
        let subject = reference(0, d);
        let (relation_type, cited) = check_relation_fields(f, at, d);
        let object = reference(2, d);
        let source = cited.and_then(|_| parse_citation(field(f, 3)).ok()).map(|citation| Cited { citation, at: at(3) });
        let (Some((subject, subject_at)), Some(relation_type), Some((object, object_at)), Some(source)) =
            (subject.clone(), relation_type, object.clone(), source.clone())
        else {
            // Checked against every file all the same, as the streaming
            // reader checks them.
            draft.loose_refs.extend(subject.into_iter().chain(object));
            draft.loose_citations.extend(source);
            return;
        };
        let row_at = at(0);
        draft.relations.push(DraftRelation {
            relation: Relation {
                subject,
                relation_type,
                object,
                role: None,
                period: Period::default(),
                note: None,
                implied: false,
                sources: vec![source.citation.clone()],
                origin: Some(row_at.clone()),
            },
            at: row_at,
            subject_at,
            object_at,
            sources: vec![source],
        });
    });
}
