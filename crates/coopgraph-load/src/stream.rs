//! Streaming reads of `entities.csv` and `relations.csv`, for tables too large
//! to hold: each row is checked and handed to a callback, and only the id
//! table (id -> kind, for reference checks) is kept in memory.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use coopgraph_model::schema::{EntityKind, RELATION_TYPES, RelationType};
use coopgraph_model::{EntityId, Location, Qid};

use crate::csv_file::{ENTITY_COLUMNS, RELATION_COLUMNS};
use crate::diagnostics::{Diagnostics, suggestion, to_u32};

/// One checked row of `entities.csv`.
#[derive(Debug, Clone, Copy)]
pub struct EntityRow<'a> {
    /// The id.
    pub id: &'a str,
    /// The kind.
    pub kind: EntityKind,
    /// The English label (never empty).
    pub label_en: &'a str,
    /// The Chinese label (may be empty).
    pub label_zh: &'a str,
    /// The Wikidata id, if any.
    pub wikidata: Option<&'a str>,
}

/// One checked row of `relations.csv`.
#[derive(Debug, Clone, Copy)]
pub struct RelationRow<'a> {
    /// Subject id.
    pub subject: &'a str,
    /// Relation type.
    pub relation_type: &'static RelationType,
    /// Object id.
    pub object: &'a str,
    /// The source cell (a citation or a document id).
    pub source: &'a str,
}

/// The ids read from `entities.csv`, with their kinds: what reference checks need.
#[derive(Debug, Default)]
pub struct IdTable {
    kinds: HashMap<Box<str>, EntityKind>,
}

impl IdTable {
    /// The kind of an id, if it was declared.
    pub fn kind(&self, id: &str) -> Option<EntityKind> {
        self.kinds.get(id).copied()
    }

    /// How many ids.
    pub fn len(&self) -> usize {
        self.kinds.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.kinds.is_empty()
    }
}

/// Column (in characters, from 0) where field `index` starts, for a row
/// written with minimal RFC 4180 quoting.
fn column_of(record: &csv::ByteRecord, index: usize) -> u32 {
    let mut column = 0usize;
    for field in record.iter().take(index) {
        let text = String::from_utf8_lossy(field);
        let quoted = text.contains([',', '"', '\n', '\r']);
        column += text.chars().count() + text.matches('"').count() + if quoted { 2 } else { 0 } + 1;
    }
    to_u32(column)
}

struct Reader {
    name: Arc<str>,
    reader: csv::Reader<Box<dyn Read>>,
}

impl Reader {
    fn open(path: &Path, columns: &[&str], d: &mut Diagnostics) -> Option<(Self, Vec<usize>)> {
        let name: Arc<str> = Arc::from(path.display().to_string());
        let file = match std::fs::File::open(path) {
            Ok(f) => f,
            Err(e) => {
                d.push_file(&name, format!("cannot read the file: {e}"));
                return None;
            }
        };
        let boxed: Box<dyn Read> = Box::new(std::io::BufReader::with_capacity(1 << 20, file));
        let mut reader = csv::ReaderBuilder::new().flexible(true).buffer_capacity(1 << 20).from_reader(boxed);
        let header = match reader.byte_headers() {
            Ok(h) => h.clone(),
            Err(e) => {
                d.push_file(&name, format!("unreadable CSV header: {e}"));
                return None;
            }
        };
        let mut order = Vec::new();
        for column in columns {
            match header.iter().position(|h| h == column.as_bytes()) {
                Some(i) => order.push(i),
                None => {
                    let found: Vec<String> = header.iter().map(|h| String::from_utf8_lossy(h).into_owned()).collect();
                    d.push_file(
                        &name,
                        format!(
                            "missing column \"{column}\": expected the columns {}, found {}",
                            columns.join(","),
                            found.join(",")
                        ),
                    );
                    return None;
                }
            }
        }
        Some((Self { name, reader }, order))
    }

    fn at(&self, record: &csv::ByteRecord, order: &[usize], field: usize) -> Location {
        let line = record.position().map_or(0, |p| p.line().saturating_sub(1));
        let index = order.get(field).copied().unwrap_or(0);
        Location {
            file: Arc::clone(&self.name),
            line: to_u32(usize::try_from(line).unwrap_or(usize::MAX)),
            column: column_of(record, index),
        }
    }

    /// Reads every row; `row` gets the fields in column order. Returns the
    /// number of bytes read, for progress.
    fn each(
        &mut self,
        order: &[usize],
        d: &mut Diagnostics,
        progress: &mut dyn FnMut(u64),
        mut row: impl FnMut(&[&str], &dyn Fn(usize) -> Location, &mut Diagnostics) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let width = order.len();
        let mut record = csv::ByteRecord::new();
        let mut rows = 0u64;
        loop {
            match self.reader.read_byte_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line().saturating_sub(1));
                    d.push(
                        Location {
                            file: Arc::clone(&self.name),
                            line: to_u32(usize::try_from(line).unwrap_or(usize::MAX)),
                            column: 0,
                        },
                        format!("unreadable CSV row: {e}"),
                    );
                    continue;
                }
            }
            rows += 1;
            if rows.is_multiple_of(65_536) {
                progress(record.position().map_or(0, csv::Position::byte));
            }
            let header_width = self.reader.byte_headers().map_or(width, csv::ByteRecord::len);
            if record.len() != header_width {
                let (index, what) =
                    if record.len() > header_width { (header_width, "too many") } else { (record.len(), "too few") };
                let line = record.position().map_or(0, |p| p.line().saturating_sub(1));
                let column = if index >= record.len() {
                    column_of(&record, record.len()).saturating_sub(1)
                } else {
                    column_of(&record, index)
                };
                d.push(
                    Location {
                        file: Arc::clone(&self.name),
                        line: to_u32(usize::try_from(line).unwrap_or(usize::MAX)),
                        column,
                    },
                    format!("{what} fields: expected {header_width}, found {}", record.len()),
                );
                continue;
            }
            // At most five columns: a fixed array, no allocation per row.
            let mut fields = [""; 5];
            let mut utf8_ok = true;
            for (slot, &i) in fields.iter_mut().zip(order) {
                match std::str::from_utf8(record.get(i).unwrap_or_default()) {
                    Ok(s) => *slot = s,
                    Err(_) => {
                        utf8_ok = false;
                        break;
                    }
                }
            }
            if !utf8_ok {
                d.push(self.at(&record, order, 0), "the row is not valid UTF-8");
                continue;
            }
            let locate = |i: usize| self.at(&record, order, i);
            row(fields.get(..width).unwrap_or(&fields), &locate, d)?;
        }
        Ok(())
    }
}

fn field<'a>(fields: &[&'a str], i: usize) -> &'a str {
    fields.get(i).copied().unwrap_or("")
}

/// Streams `entities.csv`: checks each row (id, type, English label,
/// Wikidata id, duplicates), hands it to `each`, and returns the id table.
/// Errors go to `d` (which keeps counting past its cap); `each` may fail
/// with an I/O error, which stops the read.
pub fn stream_entities(
    path: &Path,
    d: &mut Diagnostics,
    progress: &mut dyn FnMut(u64),
    mut each: impl FnMut(&EntityRow<'_>) -> std::io::Result<()>,
) -> std::io::Result<IdTable> {
    let mut ids = IdTable::default();
    let Some((mut reader, order)) = Reader::open(path, &ENTITY_COLUMNS, d) else { return Ok(ids) };
    reader.each(&order, d, progress, |f, at, d| {
        let id = field(f, 0);
        let kind = EntityKind::from_name(field(f, 1));
        let mut ok = true;
        if EntityId::new(id).is_err() {
            d.push(
                at(0),
                format!("malformed entity id \"{id}\": expected a slug of lower-case letters, digits, '_' and '-'"),
            );
            ok = false;
        }
        if kind.is_none() {
            d.push(
                at(1),
                format!("unknown type \"{}\"; expected country, organization, operation or treaty", field(f, 1)),
            );
            ok = false;
        }
        if field(f, 2).trim().is_empty() {
            d.push(at(2), "empty label_en: every entity needs an English label");
            ok = false;
        }
        let wikidata = match field(f, 4) {
            "" => None,
            q if Qid::new(q).is_ok() => Some(q),
            q => {
                d.push(
                    at(4),
                    format!("malformed Wikidata id \"{q}\": expected Q followed by digits, such as \"Q148\""),
                );
                ok = false;
                None
            }
        };
        // A row with a good id and type enters the id table even if another
        // field is bad, so its relations are not reported as dangling too.
        let Some(kind) = kind.filter(|_| EntityId::new(id).is_ok()) else { return Ok(()) };
        if ids.kinds.insert(Box::from(id), kind).is_some() {
            d.push(at(0), format!("duplicate entity id \"{id}\""));
            return Ok(());
        }
        if !ok {
            return Ok(());
        }
        each(&EntityRow { id, kind, label_en: field(f, 2), label_zh: field(f, 3), wikidata })
    })?;
    Ok(ids)
}

/// Streams `relations.csv`: checks each row against the id table (dangling
/// references, kinds that the relation type does not allow, unknown types)
/// and hands the good ones to `each`.
pub fn stream_relations(
    path: &Path,
    ids: &IdTable,
    d: &mut Diagnostics,
    progress: &mut dyn FnMut(u64),
    mut each: impl FnMut(&RelationRow<'_>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let Some((mut reader, order)) = Reader::open(path, &RELATION_COLUMNS, d) else { return Ok(()) };
    reader.each(&order, d, progress, |f, at, d| {
        let (subject, predicate, object) = (field(f, 0), field(f, 1), field(f, 2));
        let Some(relation_type) = RelationType::from_name(predicate) else {
            d.push(
                at(1),
                format!(
                    "unknown relation type \"{predicate}\"{}",
                    suggestion(predicate, RELATION_TYPES.iter().map(|t| t.name))
                ),
            );
            return Ok(());
        };
        let sk = ids.kind(subject);
        let ok = ids.kind(object);
        if sk.is_none() {
            d.push(at(0), format!("unknown entity \"{subject}\""));
        }
        if ok.is_none() {
            d.push(at(2), format!("unknown entity \"{object}\""));
        }
        let (Some(sk), Some(ok)) = (sk, ok) else { return Ok(()) };
        if !relation_type.allows(sk, ok) {
            d.push(at(0), format!("{predicate} does not link {sk} \"{subject}\" to {ok} \"{object}\""));
            return Ok(());
        }
        each(&RelationRow { subject, relation_type, object, source: field(f, 3) })
    })
}
