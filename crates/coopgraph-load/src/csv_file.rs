//! Reads `entities.csv` and `relations.csv`, the spreadsheet form of the model.

use std::collections::BTreeMap;
use std::sync::Arc;

use coopgraph_model::schema::{EntityKind, RELATION_TYPES, RelationType};
use coopgraph_model::{Entity, EntityId, LangTag, Location, Period, Qid, Relation};

use crate::diagnostics::{Diagnostics, suggestion, to_u32};
use crate::draft::{Cited, Draft, DraftEntity, DraftRelation, parse_citation};
use crate::text::{TextKind, check_text};

/// Columns of `entities.csv`.
pub const ENTITY_COLUMNS: [&str; 5] = ["id", "type", "label_en", "label_zh", "wikidata"];
/// Columns of `relations.csv`.
pub const RELATION_COLUMNS: [&str; 4] = ["subject", "predicate", "object", "source"];

/// A CSV file being read: finds the line and column of each field in the raw text.
struct CsvFile<'t> {
    name: Arc<str>,
    text: &'t str,
}

impl CsvFile<'_> {
    /// Line and column (from 0) where field `index` of the record starting at
    /// byte `start` (on line `line`, from 0) begins; past the last field,
    /// the end of the record.
    fn field_at(&self, start: usize, line: u32, index: usize) -> Location {
        let mut line = line;
        let mut column = 0u32;
        let mut field = 0usize;
        let mut quoted = false;
        for c in self.text.get(start..).unwrap_or("").chars() {
            if field == index {
                break;
            }
            match c {
                '"' => quoted = !quoted,
                ',' if !quoted => {
                    field += 1;
                }
                '\n' if !quoted => break,
                '\n' => {
                    line += 1;
                    column = 0;
                    continue;
                }
                _ => {}
            }
            column += 1;
        }
        Location { file: Arc::clone(&self.name), line, column }
    }

    /// Reads the rows, checking the header and the number of fields. Calls
    /// `row` with the fields in `columns` order and a function that locates
    /// each field.
    fn rows(
        &self,
        columns: &[&str],
        d: &mut Diagnostics,
        mut row: impl FnMut(&[&str], &dyn Fn(usize) -> Location, &mut Diagnostics),
    ) {
        let mut reader = csv::ReaderBuilder::new().flexible(true).has_headers(false).from_reader(self.text.as_bytes());
        let mut records = reader.records();
        let header = match records.next() {
            Some(Ok(h)) => h,
            Some(Err(e)) => {
                let file = Location { file: Arc::clone(&self.name), line: 0, column: 0 };
                d.push_syntax(file, None, format!("unreadable CSV header: {e}"));
                return;
            }
            None => {
                d.push_file(&self.name, format!("empty file: expected a header row {}", columns.join(",")));
                return;
            }
        };
        let mut order = Vec::with_capacity(columns.len());
        let mut header_ok = true;
        for (i, name) in header.iter().enumerate() {
            if !columns.contains(&name) {
                let at = self.field_at(0, 0, i);
                d.push(
                    at,
                    format!(
                        "unknown column \"{name}\"{}; expected the columns {}",
                        suggestion(name, columns.iter().copied()),
                        columns.join(",")
                    ),
                );
                header_ok = false;
            }
        }
        for column in columns {
            match header.iter().position(|h| h == *column) {
                Some(i) => order.push(i),
                None => {
                    d.push_file(
                        &self.name,
                        format!("missing column \"{column}\": expected the columns {}", columns.join(",")),
                    );
                    header_ok = false;
                }
            }
        }
        if !header_ok {
            return;
        }
        let width = header.len();
        for result in records {
            let record = match result {
                Ok(r) => r,
                Err(e) => {
                    let at = e.position().map_or_else(
                        || Location { file: Arc::clone(&self.name), line: 0, column: 0 },
                        |p| Location {
                            file: Arc::clone(&self.name),
                            line: to_u32(p.line().saturating_sub(1) as usize),
                            column: 0,
                        },
                    );
                    d.push_syntax(at, None, format!("unreadable CSV row: {e}"));
                    if d.is_full() {
                        return;
                    }
                    continue;
                }
            };
            let (start, line) = record.position().map_or((0, 0), |p| {
                (
                    usize::try_from(p.byte()).unwrap_or(0),
                    to_u32(usize::try_from(p.line()).unwrap_or(1).saturating_sub(1)),
                )
            });
            if record.len() == 1 && record.get(0) == Some("") {
                continue; // a blank line
            }
            if record.len() != width {
                let (index, what) = if record.len() > width { (width, "too many") } else { (record.len(), "too few") };
                d.push(
                    self.field_at(start, line, index),
                    format!(
                        "{what} fields: expected {width} ({}), found {}",
                        header.iter().collect::<Vec<_>>().join(","),
                        record.len()
                    ),
                );
                if d.is_full() {
                    return;
                }
                continue;
            }
            let fields: Vec<&str> = order.iter().map(|&i| record.get(i).unwrap_or("")).collect();
            let locate = |i: usize| self.field_at(start, line, order.get(i).copied().unwrap_or(0));
            row(&fields, &locate, d);
            if d.is_full() {
                return;
            }
        }
    }
}

fn field<'a>(fields: &[&'a str], i: usize) -> &'a str {
    fields.get(i).copied().unwrap_or("")
}

fn check_id(text: &str, at: Location, d: &mut Diagnostics) -> Option<(EntityId, Location)> {
    match EntityId::new(text) {
        Ok(id) => Some((id, at)),
        Err(e) => {
            d.push(at, e.to_string());
            None
        }
    }
}

/// Reads `entities.csv`.
pub(crate) fn read_entities_csv(name: Arc<str>, text: &str, draft: &mut Draft, d: &mut Diagnostics) {
    let file = CsvFile { name, text };
    file.rows(&ENTITY_COLUMNS, d, |f, at, d| {
        let id = check_id(field(f, 0), at(0), d).filter(|(id, at)| crate::resolve::not_reserved(id, at, d));
        let kind = EntityKind::from_name(field(f, 1));
        if kind.is_none() {
            let names: Vec<&str> = crate::toml_file::kind_names().collect();
            d.push(
                at(1),
                format!(
                    "unknown type \"{}\"{}; expected one of: {}",
                    field(f, 1),
                    suggestion(&field(f, 1).to_ascii_lowercase(), names.iter().copied()),
                    names.join(", ")
                ),
            );
        }
        let mut labels = BTreeMap::new();
        if field(f, 2).trim().is_empty() {
            d.push(at(2), "empty label_en: every entity needs an English label");
        } else if check_text("label_en", field(f, 2), TextKind::Line, &at(2), d) {
            labels.insert(LangTag::en(), field(f, 2).to_owned());
        }
        if !field(f, 3).trim().is_empty() && check_text("label_zh", field(f, 3), TextKind::Line, &at(3), d) {
            labels.insert(LangTag::zh(), field(f, 3).to_owned());
        }
        let wikidata = match field(f, 4) {
            "" => None,
            q => match Qid::new(q) {
                Ok(q) => Some(q),
                Err(e) => {
                    d.push(at(4), e.to_string());
                    None
                }
            },
        };
        let (Some((id, id_at)), Some(kind)) = (id, kind) else { return };
        if labels.is_empty() {
            return;
        }
        let Some(category) = kind.category(kind.spec().default_category) else { return };
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
                origin: Some(id_at),
            },
            sources: Vec::new(),
        });
    });
}

/// Reads `relations.csv`.
pub(crate) fn read_relations_csv(name: Arc<str>, text: &str, draft: &mut Draft, d: &mut Diagnostics) {
    let file = CsvFile { name, text };
    file.rows(&RELATION_COLUMNS, d, |f, at, d| {
        let subject = check_id(field(f, 0), at(0), d);
        let relation_type = RelationType::from_name(field(f, 1));
        if relation_type.is_none() {
            d.push(
                at(1),
                format!(
                    "unknown relation type \"{}\"{}; expected one of: {}",
                    field(f, 1),
                    suggestion(field(f, 1), RELATION_TYPES.iter().map(|t| t.name)),
                    RELATION_TYPES.iter().map(|t| t.name).collect::<Vec<_>>().join(", ")
                ),
            );
        }
        let object = check_id(field(f, 2), at(2), d);
        let source = match parse_citation(field(f, 3)) {
            Ok(citation) => Some(Cited { citation, at: at(3) }),
            Err(e) => {
                d.push(at(3), e);
                None
            }
        };
        let (Some((subject, subject_at)), Some(relation_type), Some((object, object_at)), Some(source)) =
            (subject, relation_type, object, source)
        else {
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
