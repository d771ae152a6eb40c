//! Review: decisions on a draft's candidates, and the accepted records
//! written into the data files with a TOML editor that keeps their
//! comments, order and layout, each record validated before it is kept.
//!
//! Nothing here touches the disk: the caller reads the files, and writes
//! what [`Review::apply`] returns through a temporary file renamed into
//! place, and the draft (with its decisions) after every decision.

use std::collections::BTreeMap;

use coopgraph_load::{LoadOptions, load_texts};
use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, Value};

use crate::Status;
use crate::draft::DraftError;

/// One candidate of a draft.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The candidate's number.
    pub number: i64,
    /// Its key.
    pub key: String,
    /// Its kind (`relation`).
    pub kind: String,
    /// The record's table name (`relation`, `country`).
    pub table: String,
    /// Where in that array of tables the record is.
    pub index: usize,
    /// Its status.
    pub status: Status,
    /// Its score.
    pub score: f64,
    /// Its paragraph.
    pub paragraph: i64,
}

/// A draft under review.
#[derive(Debug, Clone)]
pub struct Review {
    doc: DocumentMut,
    entries: Vec<Entry>,
}

/// What became of one accepted record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Appended to this data file.
    Added(String),
    /// Its citation merged into an existing record of this file.
    Merged(String),
    /// Nothing to write (a date: it is carried by the facts of its sentence).
    Nothing,
    /// Not written: the data would not validate; the messages say why.
    Invalid(Vec<String>),
}

/// The data file a table goes into.
fn file_for(table: &str) -> Option<&'static str> {
    Some(match table {
        "source" => "sources.toml",
        "country" => "countries.toml",
        "organization" => "organizations.toml",
        "operation" => "operations.toml",
        "treaty" => "treaties.toml",
        "relation" => "relations.toml",
        "figure" => "figures.toml",
        "measure" => "measures.toml",
        _ => return None,
    })
}

impl Review {
    /// Reads a draft.
    pub fn new(draft: &str) -> Result<Self, DraftError> {
        let doc: DocumentMut = draft.parse().map_err(|e: toml_edit::TomlError| DraftError::Syntax(e.to_string()))?;
        let mut entries = Vec::new();
        for (name, item) in doc.iter() {
            let Some(array) = item.as_array_of_tables() else { continue };
            for (index, table) in array.iter().enumerate() {
                let Some(c) = table.get("candidate").and_then(Item::as_inline_table) else { continue };
                let get_str = |k: &str| c.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
                entries.push(Entry {
                    number: c.get("number").and_then(Value::as_integer).unwrap_or(0),
                    key: get_str("key"),
                    kind: get_str("kind"),
                    table: name.to_owned(),
                    index,
                    status: Status::from_name(&get_str("status")).unwrap_or(Status::Pending),
                    score: c
                        .get("score")
                        .and_then(|s| s.as_float().or_else(|| s.as_integer().map(|i| i as f64)))
                        .unwrap_or(0.0),
                    paragraph: c.get("paragraph").and_then(Value::as_integer).unwrap_or(0),
                });
            }
        }
        entries.sort_by_key(|e| e.number);
        Ok(Self { doc, entries })
    }

    /// The document the draft was made from, as given to `extract`.
    pub fn document(&self) -> Option<&str> {
        self.doc.get("document").and_then(Item::as_str)
    }

    /// The source id of the draft.
    pub fn source(&self) -> Option<&str> {
        self.doc.get("source").and_then(Item::as_str)
    }

    /// The candidates, in document order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The record of a candidate.
    pub fn record(&self, number: i64) -> Option<&Table> {
        let e = self.entries.iter().find(|e| e.number == number)?;
        self.doc.get(&e.table)?.as_array_of_tables()?.get(e.index)
    }

    fn record_mut(&mut self, number: i64) -> Option<&mut Table> {
        let e = self.entries.iter().find(|e| e.number == number)?.clone();
        self.doc.get_mut(&e.table)?.as_array_of_tables_mut()?.get_mut(e.index)
    }

    /// The evidence span of a candidate, in characters of its paragraph.
    pub fn span(&self, number: i64) -> Option<(usize, usize)> {
        let c = self.record(number)?.get("candidate")?.as_inline_table()?;
        let a = c.get("span")?.as_array()?;
        let at = |i: usize| a.get(i).and_then(Value::as_integer).and_then(|v| usize::try_from(v).ok());
        Some((at(0)?, at(1)?))
    }

    /// Sets a candidate's status, in the draft too.
    pub fn decide(&mut self, number: i64, status: Status) -> bool {
        let Some(table) = self.record_mut(number) else { return false };
        if let Some(c) = table.get_mut("candidate").and_then(Item::as_inline_table_mut) {
            c.insert("status", Value::from(status.name()));
        }
        if let Some(e) = self.entries.iter_mut().find(|e| e.number == number) {
            e.status = status;
        }
        true
    }

    /// Edits a field of a candidate's record (`id=new_id`, `role=host`,
    /// `value=12`, `label.en=Name`); the value is TOML when it parses as
    /// TOML, else a string.
    pub fn edit(&mut self, number: i64, field: &str, value: &str) -> bool {
        let Some(table) = self.record_mut(number) else { return false };
        let parsed: Value = value.parse().unwrap_or_else(|_| Value::from(value));
        match field.split_once('.') {
            Some((outer, inner)) => {
                let item = table.entry(outer).or_insert(Item::Value(Value::InlineTable(toml_edit::InlineTable::new())));
                if let Some(t) = item.as_inline_table_mut() {
                    t.insert(inner, parsed);
                } else {
                    return false;
                }
            }
            None => {
                table.insert(field, Item::Value(parsed));
            }
        }
        true
    }

    /// The draft as text, decisions included.
    pub fn draft_text(&self) -> String {
        self.doc.to_string()
    }

    /// Writes every candidate decided `accepted` and not yet applied into
    /// `files` (data file name -> text), the `[[source]]` record first.
    /// Each record is validated with the loader before it is kept; one that
    /// does not validate is left out, marked pending again, and its
    /// outcome says why. Applied candidates are marked `known`.
    pub fn apply(&mut self, files: &mut BTreeMap<String, String>) -> Vec<(i64, Outcome)> {
        let mut order: Vec<Entry> = self.entries.iter().filter(|e| e.status == Status::Accepted).cloned().collect();
        order.sort_by_key(|e| (e.table != "source", e.number));
        let mut outcomes = Vec::new();
        for e in order {
            let Some(record) = self.record(e.number).cloned() else { continue };
            let Some(file) = file_for(&e.table) else {
                self.decide(e.number, Status::Known);
                outcomes.push((e.number, Outcome::Nothing));
                continue;
            };
            let existed = files.get(file).cloned();
            let before = existed.clone().unwrap_or_default();
            let errors_before = validation_errors(files);
            let outcome = match merge_record(&before, &e.table, &record) {
                Ok((after, merged)) => {
                    files.insert(file.to_owned(), after);
                    let errors_after = validation_errors(files);
                    let new_errors: Vec<String> =
                        errors_after.into_iter().filter(|m| !errors_before.contains(m)).collect();
                    if new_errors.is_empty() {
                        if merged { Outcome::Merged(file.to_owned()) } else { Outcome::Added(file.to_owned()) }
                    } else {
                        match existed {
                            Some(text) => files.insert(file.to_owned(), text),
                            None => files.remove(file),
                        };
                        Outcome::Invalid(new_errors)
                    }
                }
                Err(message) => Outcome::Invalid(vec![message]),
            };
            let status = if matches!(outcome, Outcome::Invalid(_)) { Status::Pending } else { Status::Known };
            self.decide(e.number, status);
            outcomes.push((e.number, outcome));
        }
        outcomes
    }
}

/// The loader's messages for these files (empty when they load).
pub fn validation_errors(files: &BTreeMap<String, String>) -> Vec<String> {
    let named: Vec<(String, &str)> = files.iter().map(|(n, t)| (format!("data/{n}"), t.as_str())).collect();
    let borrowed: Vec<(&str, &str)> = named.iter().map(|(n, t)| (n.as_str(), *t)).collect();
    match load_texts(&borrowed, &LoadOptions { max_errors: 1000 }) {
        Ok(_) => Vec::new(),
        Err(d) => d.iter().map(|d| d.to_string()).collect(),
    }
}

/// The record without its `candidate` table, with a blank line before it.
fn clean(record: &Table) -> Table {
    let mut t = record.clone();
    t.remove("candidate");
    t.decor_mut().set_prefix("\n");
    t
}

fn citations(t: &Table) -> Vec<String> {
    t.get("sources")
        .and_then(Item::as_array)
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

/// Whether two records state the same fact (citations aside): same id for
/// entities and sources; same fields otherwise (data/README.md: "If the
/// same relation is already there with the same role and dates, add your
/// citation to its sources").
fn same_fact(table: &str, a: &Table, b: &Table) -> bool {
    let fields: &[&str] = match table {
        "relation" => &["subject", "predicate", "object", "role", "date", "start", "end", "as_of"],
        "figure" => &["subject", "measure", "value", "unit", "date", "start", "end", "as_of"],
        _ => &["id"],
    };
    fields.iter().all(|f| {
        let va = a.get(f).map(|i| i.to_string().trim().to_owned());
        let vb = b.get(f).map(|i| i.to_string().trim().to_owned());
        va == vb
    })
}

/// Adds `record` to the data file `text` under `[[table]]`, or merges its
/// citations into the record that states the same fact. Returns the new
/// text and whether it merged.
pub fn merge_record(text: &str, table: &str, record: &Table) -> Result<(String, bool), String> {
    let mut doc: DocumentMut =
        text.parse().map_err(|e: toml_edit::TomlError| format!("cannot edit the data file: {e}"))?;
    let new = clean(record);
    let existing = doc.get_mut(table).and_then(Item::as_array_of_tables_mut);
    if let Some(array) = existing {
        let found = array.iter().position(|old| same_fact(table, old, &new));
        if let Some(old) = found.and_then(|i| array.get_mut(i)) {
            let mut cites = citations(old);
            let before = cites.len();
            for c in citations(&new) {
                if !cites.contains(&c) {
                    cites.push(c);
                }
            }
            if cites.len() != before || table == "source" {
                let mut arr = Array::new();
                for c in cites {
                    arr.push(c);
                }
                old.insert("sources", Item::Value(Value::Array(arr)));
            }
            return Ok((doc.to_string(), true));
        }
        array.push(new);
    } else {
        let mut array = ArrayOfTables::new();
        array.push(new);
        doc.insert(table, Item::ArrayOfTables(array));
    }
    Ok((doc.to_string(), false))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use crate::draft::draft_toml;
    use crate::tests::{FIXTURE_DATA, dataset};
    use crate::{ExtractOptions, Extractor};

    fn files() -> BTreeMap<String, String> {
        FIXTURE_DATA.iter().map(|(n, t)| ((*n).to_owned(), (*t).to_owned())).collect()
    }

    fn review() -> Review {
        let data = dataset();
        let options = ExtractOptions { source: "900".into(), date: Some("2016".parse().unwrap()), read_as: Vec::new() };
        let ex = Extractor::new(&data)
            .extract("China is a member of the SCO and hosted the Harbour Police Forum.\n", &options);
        Review::new(&draft_toml(&ex, Some("doc.txt"))).unwrap()
    }

    fn number_of(r: &Review, key_prefix: &str) -> i64 {
        r.entries().iter().find(|e| e.key.starts_with(key_prefix)).unwrap().number
    }

    #[test]
    fn accepted_records_land_in_their_files_and_validate() {
        let mut r = review();
        let mut files = files();
        for prefix in ["source:", "relation:china:member_of:sco", "entity:china", "new_entity:harbour_police_forum"] {
            let n = number_of(&r, prefix);
            assert!(r.decide(n, Status::Accepted));
        }
        let outcomes = r.apply(&mut files);
        assert_eq!(outcomes.len(), 4, "{outcomes:?}");
        assert!(outcomes.iter().all(|(_, o)| matches!(o, Outcome::Added(_) | Outcome::Merged(_))), "{outcomes:?}");
        assert!(files["sources.toml"].contains("id = \"900\""));
        assert!(files["relations.toml"].contains("predicate = \"member_of\""));
        assert!(!files["relations.toml"].contains("candidate"));
        assert!(files["countries.toml"].contains("sources = [\"900#1@en\"]"), "{}", files["countries.toml"]);
        assert!(files["organizations.toml"].contains("id = \"harbour_police_forum\""));
        assert!(validation_errors(&files).is_empty());
        // The comments and layout of the existing file are kept.
        assert!(files["organizations.toml"].starts_with(FIXTURE_DATA[1].1));
        // Accepting again merges rather than duplicates.
        let n = number_of(&r, "relation:china:member_of:sco");
        r.decide(n, Status::Accepted);
        let again = r.apply(&mut files);
        assert!(matches!(again[0].1, Outcome::Merged(_)));
        assert_eq!(files["relations.toml"].matches("[[relation]]").count(), 1);
    }

    #[test]
    fn a_record_that_does_not_validate_is_not_written() {
        let mut r = review();
        let mut files = files();
        let n = number_of(&r, "relation:china:member_of:sco");
        r.edit(n, "object", "atlantis");
        r.decide(n, Status::Accepted);
        let outcomes = r.apply(&mut files);
        let Outcome::Invalid(why) = &outcomes[0].1 else { panic!("{outcomes:?}") };
        assert!(why.iter().any(|m| m.contains("atlantis")), "{why:?}");
        assert!(!files.contains_key("relations.toml"));
        assert_eq!(r.entries().iter().find(|e| e.number == n).unwrap().status, Status::Pending);
    }

    #[test]
    fn decisions_are_kept_in_the_draft() {
        let mut r = review();
        let n = number_of(&r, "relation:china:member_of:sco");
        r.decide(n, Status::Rejected);
        let again = Review::new(&r.draft_text()).unwrap();
        assert_eq!(again.entries().iter().find(|e| e.number == n).unwrap().status, Status::Rejected);
        let d = crate::draft::decisions(&r.draft_text()).unwrap();
        assert_eq!(d.values().filter(|s| **s == Status::Rejected).count(), 1);
    }
}
