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
    /// Other entities the same words could name (an entity mention).
    pub alternatives: Vec<String>,
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
    /// Not written yet: it names new entities of the draft (candidate
    /// number, id) that are not accepted yet. It stays accepted, and is
    /// written once they are.
    Waiting(Vec<(i64, String)>),
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
                    alternatives: c
                        .get("alternatives")
                        .and_then(Value::as_array)
                        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
                        .unwrap_or_default(),
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

    /// Where to look for the draft's document, in order: as named
    /// (absolute, or relative to the working folder), then relative to the
    /// draft's folder, then beside the draft.
    pub fn document_paths(&self, draft_dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let Some(named) = self.document() else { return Vec::new() };
        let given = std::path::PathBuf::from(named);
        let mut out = vec![given.clone(), draft_dir.join(&given)];
        if let Some(name) = given.file_name() {
            out.push(draft_dir.join(name));
        }
        out
    }

    /// The source id of the draft.
    pub fn source(&self) -> Option<&str> {
        // The id of the draft's `[[source]]` record.
        let sources = self.doc.get("source").and_then(Item::as_array_of_tables)?;
        sources.get(0)?.get("id").and_then(Item::as_str)
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

    /// The fields of a candidate's record as `(name, TOML value)`, in
    /// order, without its `candidate` table.
    pub fn fields(&self, number: i64) -> Vec<(String, String)> {
        self.record(number)
            .map(|r| {
                r.iter()
                    .filter(|(k, _)| *k != "candidate")
                    .map(|(k, v)| (k.to_owned(), v.to_string().trim().to_owned()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The evidence the draft gives above a candidate's record: its
    /// comment lines, without the `#`.
    pub fn evidence(&self, number: i64) -> Vec<String> {
        let Some(prefix) = self.record(number).and_then(|r| r.decor().prefix()).and_then(|p| p.as_str()) else {
            return Vec::new();
        };
        // The draft's own heading sits above the first record, a blank line apart.
        let own = prefix.trim_end().rsplit("\n\n").next().unwrap_or_default();
        own.lines()
            .filter_map(|l| l.trim().strip_prefix('#'))
            .map(|l| l.trim().to_owned())
            .filter(|l| !l.is_empty())
            .collect()
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
    /// `value=12`, `label.en=Name`, `date=2015`). Text fields take the
    /// value as text (a date `2015` stays a string); `value`, `implied`,
    /// `binding`, `paragraphs`, and anything written as a TOML string,
    /// array or table (`"..."`, `[...]`, `{...}`) are read as TOML. An
    /// empty value (`date=`) removes the field. A new field goes before
    /// `sources`, where the data has it.
    ///
    /// A new entity's new `id` is also written into the records of the
    /// draft not written yet that name it (pending, or accepted and waiting
    /// for it; as subject, object or counterpart), so its relations and
    /// figures follow it.
    pub fn edit(&mut self, number: i64, field: &str, value: &str) -> bool {
        if field == "id" && self.entries.iter().any(|e| e.number == number && e.kind == "new_entity") {
            let old = self.record(number).and_then(|r| r.get("id")).and_then(Item::as_str).map(str::to_owned);
            if let Some(old) = old {
                self.rename_references(&old, value.trim().trim_matches('"'));
            }
        }
        let Some(table) = self.record_mut(number) else { return false };
        let value = value.trim();
        let as_toml =
            matches!(field, "value" | "implied" | "binding" | "paragraphs") || value.starts_with(['"', '[', '{']);
        let parsed: Value =
            if as_toml { value.parse().unwrap_or_else(|_| Value::from(value)) } else { Value::from(value) };
        let remove = value.is_empty();
        match field.split_once('.') {
            Some((outer, inner)) => {
                if remove {
                    if let Some(t) = table.get_mut(outer).and_then(Item::as_inline_table_mut) {
                        t.remove(inner);
                        t.fmt();
                    }
                    return true;
                }
                let item = table.entry(outer).or_insert(Item::Value(Value::InlineTable(toml_edit::InlineTable::new())));
                if let Some(t) = item.as_inline_table_mut() {
                    t.insert(inner, parsed);
                    // `{ en = "A", zh = "B" }`, as the data is typed.
                    t.fmt();
                } else {
                    return false;
                }
            }
            None if remove => {
                table.remove(field);
            }
            None => {
                let new_key = !table.contains_key(field);
                table.insert(field, Item::Value(parsed));
                if new_key {
                    keep_last(table, &["sources", "candidate"]);
                }
            }
        }
        true
    }

    /// The new entities of the draft, not written yet and not rejected,
    /// that `record` names (as subject, object or counterpart).
    fn waiting_for(&self, record: &Table) -> Vec<(i64, String)> {
        let named: Vec<&str> =
            ["subject", "object", "counterpart"].iter().filter_map(|f| record.get(f).and_then(Item::as_str)).collect();
        self.entries
            .iter()
            .filter(|e| e.kind == "new_entity" && matches!(e.status, Status::Pending | Status::Accepted))
            .filter_map(|e| {
                let id = self.record(e.number)?.get("id")?.as_str()?;
                named.contains(&id).then(|| (e.number, id.to_owned()))
            })
            .collect()
    }

    /// Points the records not written yet (pending, or accepted and
    /// waiting) that name `old` at `new`.
    fn rename_references(&mut self, old: &str, new: &str) {
        let pending: Vec<i64> = self
            .entries
            .iter()
            .filter(|e| matches!(e.status, Status::Pending | Status::Accepted))
            .map(|e| e.number)
            .collect();
        for n in pending {
            let Some(table) = self.record_mut(n) else { continue };
            for field in ["subject", "object", "counterpart"] {
                if table.get(field).and_then(Item::as_str) == Some(old)
                    && let Some(Item::Value(v)) = table.get_mut(field)
                {
                    let decor = v.decor().clone();
                    *v = Value::from(new);
                    *v.decor_mut() = decor;
                }
            }
        }
    }

    /// The draft as text, decisions included.
    pub fn draft_text(&self) -> String {
        self.doc.to_string()
    }

    /// Writes every candidate decided `accepted` and not yet applied into
    /// `files` (data file name -> text), the `[[source]]` record first.
    /// A record goes where the data already holds the same fact (its
    /// citation is then merged into that record's `sources`), else after
    /// the last record of its kind, in the file of its kind (data/README.md:
    /// `countries.toml` ...) or the file that already holds that kind.
    /// Each record is validated with the loader before it is kept; one that
    /// does not validate is left out, marked pending again, and its
    /// outcome says why. Applied candidates are marked `known`. Applying
    /// again is harmless: a record already written only merges.
    pub fn apply(&mut self, files: &mut BTreeMap<String, String>) -> Vec<(i64, Outcome)> {
        let mut order: Vec<Entry> = self.entries.iter().filter(|e| e.status == Status::Accepted).cloned().collect();
        // The source, then entities, then what names them.
        order.sort_by_key(|e| (e.table != "source", !ENTITY_TABLES.contains(&e.table.as_str()), e.number));
        let mut outcomes = Vec::new();
        for e in order {
            let Some(record) = self.record(e.number).cloned() else { continue };
            let Some(file) = target_file(files, &e.table, &record) else {
                self.decide(e.number, Status::Known);
                outcomes.push((e.number, Outcome::Nothing));
                continue;
            };
            let existed = files.get(&file).cloned();
            let before = existed.clone().unwrap_or_default();
            let errors_before = validation_errors(files);
            let outcome = match merge_record(&before, &e.table, &record) {
                Ok((after, merged)) => {
                    files.insert(file.clone(), after);
                    let errors_after = validation_errors(files);
                    let new_errors: Vec<String> =
                        errors_after.into_iter().filter(|m| !errors_before.contains(m)).collect();
                    if new_errors.is_empty() {
                        if merged { Outcome::Merged(file) } else { Outcome::Added(file) }
                    } else {
                        match existed {
                            Some(text) => files.insert(file, text),
                            None => files.remove(&file),
                        };
                        let waiting = self.waiting_for(&record);
                        if waiting.is_empty() { Outcome::Invalid(new_errors) } else { Outcome::Waiting(waiting) }
                    }
                }
                Err(message) => Outcome::Invalid(vec![message]),
            };
            let status = match outcome {
                Outcome::Invalid(_) => Status::Pending,
                Outcome::Waiting(_) => Status::Accepted,
                _ => Status::Known,
            };
            self.decide(e.number, status);
            outcomes.push((e.number, outcome));
        }
        outcomes
    }
}

/// The tables of entity records.
const ENTITY_TABLES: &[&str] = &["country", "organization", "operation", "treaty"];

/// Moves `keys` (those present) to the end of `table`, in this order,
/// keeping their formatting.
fn keep_last(table: &mut Table, keys: &[&str]) {
    let mut moved = Vec::new();
    for k in keys {
        let key = table.key(k).cloned();
        if let (Some(key), Some(item)) = (key, table.remove(k)) {
            moved.push((key, item));
        }
    }
    for (key, item) in moved {
        table.insert_formatted(&key, item);
    }
}

/// The data file a record of `table` goes into: the file holding the same
/// fact, else the file of its kind if it holds that kind, else the first
/// file (in name order) that does, else the file of its kind. `None` for a
/// candidate that writes nothing (a date).
fn target_file(files: &BTreeMap<String, String>, table: &str, record: &Table) -> Option<String> {
    let own = file_for(table)?;
    let new = clean(record);
    let mut holding = Vec::new();
    for (name, text) in files {
        let Ok(doc) = text.parse::<DocumentMut>() else { continue };
        let Some(array) = doc.get(table).and_then(Item::as_array_of_tables) else { continue };
        if array.iter().any(|old| same_fact(table, old, &new)) {
            return Some(name.clone());
        }
        if !array.is_empty() {
            holding.push(name.clone());
        }
    }
    if holding.iter().any(|n| n == own) {
        return Some(own.to_owned());
    }
    Some(holding.into_iter().next().unwrap_or_else(|| own.to_owned()))
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
/// A new table, not a copy: a copy would keep its position in the draft,
/// and toml_edit writes tables in position order, so it would land
/// wherever the draft had it rather than after the last one of its kind.
fn clean(record: &Table) -> Table {
    let mut t = Table::new();
    for (key, item) in record.iter() {
        if key == "candidate" {
            continue;
        }
        match record.key(key) {
            Some(k) => t.insert_formatted(k, item.clone()),
            None => t.insert(key, item.clone()),
        };
    }
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

/// Adds `record` to the data file `text` under `[[table]]`, after the last
/// record of that kind, or merges its citations into the record that
/// states the same fact (a source already there is left as it is).
/// Returns the new text and whether it merged.
pub fn merge_record(text: &str, table: &str, record: &Table) -> Result<(String, bool), String> {
    let mut doc: DocumentMut =
        text.parse().map_err(|e: toml_edit::TomlError| format!("cannot edit the data file: {e}"))?;
    let mut new = clean(record);
    if text.trim().is_empty() {
        // The first record of a new file: no blank line above it.
        new.decor_mut().set_prefix("");
    }
    let existing = doc.get_mut(table).and_then(Item::as_array_of_tables_mut);
    if let Some(array) = existing {
        let found = array.iter().position(|old| same_fact(table, old, &new));
        if let Some(old) = found.and_then(|i| array.get_mut(i)) {
            if table != "source" {
                merge_citations(old, &citations(&new));
            }
            return Ok((doc.to_string(), true));
        }
        // A table without a position is written after the last one of its array.
        array.push(new);
    } else {
        let mut array = ArrayOfTables::new();
        array.push(new);
        doc.insert(table, Item::ArrayOfTables(array));
    }
    Ok((doc.to_string(), false))
}

/// The order the curated data lists citations in: by document, then
/// paragraph (`000#1@zh`, `000#3@en`, `001#1@en`, `002#10@en`).
fn citation_order(c: &str) -> (String, u64, String) {
    let (doc, rest) = c.split_once('#').unwrap_or((c, ""));
    let (paragraph, lang) = rest.split_once('@').unwrap_or((rest, ""));
    (doc.to_owned(), paragraph.parse().unwrap_or(0), lang.to_owned())
}

/// Adds the citations `old` lacks to its `sources`, each before the first
/// one that comes after it in document and paragraph order (or adds
/// `sources` when it has none).
fn merge_citations(old: &mut Table, new: &[String]) {
    let mut cites = citations(old);
    let missing: Vec<&String> = new.iter().filter(|c| !cites.contains(c)).collect();
    if missing.is_empty() {
        return;
    }
    for c in missing {
        let at = cites.iter().position(|o| citation_order(o) > citation_order(c)).unwrap_or(cites.len());
        cites.insert(at, c.clone());
    }
    let mut array = Array::new();
    for c in &cites {
        array.push(c.as_str());
    }
    array.fmt();
    if let Some(Item::Value(v @ Value::Array(_))) = old.get_mut("sources") {
        let decor = v.decor().clone();
        *v = Value::Array(array);
        *v.decor_mut() = decor;
        return;
    }
    old.insert("sources", Item::Value(Value::Array(array)));
    keep_last(old, &["candidate"]);
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
    fn a_new_entity_renamed_takes_its_relations_along() {
        let mut r = review();
        let forum = number_of(&r, "new_entity:harbour_police_forum");
        assert!(r.edit(forum, "id", "harbour_forum"));
        assert!(r.edit(forum, "label.en", "Harbour Police Forum"));
        let hosted = r
            .entries()
            .iter()
            .find(|e| e.key.contains(":harbour_police_forum") && e.kind == "relation")
            .expect("the fixture sentence proposes a relation to the forum");
        let fields = r.fields(hosted.number);
        assert!(fields.iter().any(|(_, v)| v == "\"harbour_forum\""), "{fields:?}");
        let fields = r.fields(forum);
        assert!(fields.contains(&("id".to_owned(), "\"harbour_forum\"".to_owned())), "{fields:?}");
        // A date stays text, a value is a number.
        let china = number_of(&r, "relation:china:member_of:sco");
        assert!(r.edit(china, "start", "2015"));
        assert!(r.fields(china).contains(&("start".to_owned(), "\"2015\"".to_owned())));
    }

    #[test]
    fn a_relation_accepted_before_its_new_entity_is_renamed_follows_the_new_id() {
        // Found curating a real document: the relation waited for the new
        // entity, the entity's id was then edited, and the relation was
        // written with the old id, so it did not validate.
        let mut r = review();
        let mut files = files();
        let source = number_of(&r, "source:");
        let forum = number_of(&r, "new_entity:harbour_police_forum");
        let hosted = r
            .entries()
            .iter()
            .find(|e| e.kind == "relation" && e.key.contains(":harbour_police_forum"))
            .map(|e| e.number)
            .expect("the fixture sentence proposes a relation to the forum");
        assert!(r.decide(source, Status::Accepted));
        assert!(r.decide(hosted, Status::Accepted));
        let first = r.apply(&mut files);
        assert!(first.iter().any(|(n, o)| *n == hosted && matches!(o, Outcome::Waiting(_))), "{first:?}");
        assert!(r.edit(forum, "id", "harbour_forum"));
        assert!(r.decide(forum, Status::Accepted));
        let outcomes = r.apply(&mut files);
        assert!(outcomes.iter().all(|(_, o)| !matches!(o, Outcome::Invalid(_))), "{outcomes:?}");
        assert!(outcomes.iter().any(|(n, o)| *n == hosted && matches!(o, Outcome::Added(_))), "{outcomes:?}");
        assert!(files["relations.toml"].contains("\"harbour_forum\""), "{}", files["relations.toml"]);
        assert!(!files["relations.toml"].contains("harbour_police_forum"));
        assert!(validation_errors(&files).is_empty(), "{:?}", validation_errors(&files));
    }

    #[test]
    fn a_mention_merges_into_the_file_that_holds_its_entity() {
        let mut r = review();
        let mut files: BTreeMap<String, String> = files();
        // One file holding every entity, as some data folders have.
        let all: String = ["organizations.toml", "countries.toml"].iter().filter_map(|n| files.remove(*n)).collect();
        files.insert("entities.toml".to_owned(), all);
        for prefix in ["source:", "entity:china", "new_entity:harbour_police_forum"] {
            let n = number_of(&r, prefix);
            r.decide(n, Status::Accepted);
        }
        let outcomes = r.apply(&mut files);
        assert!(outcomes.iter().all(|(_, o)| matches!(o, Outcome::Added(_) | Outcome::Merged(_))), "{outcomes:?}");
        assert!(!files.contains_key("countries.toml") && !files.contains_key("organizations.toml"), "{files:?}");
        let text = &files["entities.toml"];
        assert!(text.contains("sources = [\"900#1@en\"]"), "{text}");
        // The new organization goes after the last organization, before the countries.
        let forum = text.find("harbour_police_forum").unwrap();
        assert!(text.rfind("id = \"unsc\"").unwrap() < forum, "{text}");
        assert!(forum < text.find("[[country]]").unwrap(), "{text}");
        assert!(validation_errors(&files).is_empty(), "{:?}", validation_errors(&files));
    }

    #[test]
    fn citations_are_merged_in_document_and_paragraph_order() {
        let mut t = Table::new();
        let mut a = Array::new();
        for c in ["000#1@zh", "000#3@en", "002#10@en"] {
            a.push(c);
        }
        t.insert("sources", Item::Value(Value::Array(a)));
        merge_citations(&mut t, &["001#2@en".to_owned(), "002#4@zh".to_owned(), "000#3@en".to_owned()]);
        assert_eq!(citations(&t), ["000#1@zh", "000#3@en", "001#2@en", "002#4@zh", "002#10@en"]);
        assert_eq!(
            t.get("sources").unwrap().to_string().trim(),
            r#"["000#1@zh", "000#3@en", "001#2@en", "002#4@zh", "002#10@en"]"#
        );
    }

    #[test]
    fn edits_keep_the_layout_of_the_data() {
        let mut r = review();
        let forum = number_of(&r, "new_entity:harbour_police_forum");
        assert!(r.edit(forum, "label.zh", "港口警务论坛"));
        assert!(r.edit(forum, "start", "2016"));
        let fields = r.fields(forum);
        let names: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names.last(), Some(&"sources"), "{names:?}");
        assert!(names.contains(&"start"));
        let label = &fields.iter().find(|(k, _)| k == "label").unwrap().1;
        assert_eq!(label, r#"{ en = "Harbour Police Forum", zh = "港口警务论坛" }"#);
        assert!(r.edit(forum, "start", ""));
        assert!(!r.fields(forum).iter().any(|(k, _)| k == "start"));
    }

    #[test]
    fn a_relation_waits_for_the_new_entity_it_names() {
        let mut r = review();
        let mut files = files();
        let source = number_of(&r, "source:");
        let forum = number_of(&r, "new_entity:harbour_police_forum");
        let Some(hosted) = r
            .entries()
            .iter()
            .find(|e| e.kind == "relation" && e.key.contains("harbour_police_forum"))
            .map(|e| e.number)
        else {
            return;
        };
        r.decide(source, Status::Accepted);
        r.decide(hosted, Status::Accepted);
        let outcomes = r.apply(&mut files);
        let waiting = outcomes.iter().find(|(n, _)| *n == hosted).unwrap();
        assert_eq!(waiting.1, Outcome::Waiting(vec![(forum, "harbour_police_forum".to_owned())]));
        assert_eq!(r.entries().iter().find(|e| e.number == hosted).unwrap().status, Status::Accepted);
        r.decide(forum, Status::Accepted);
        let outcomes = r.apply(&mut files);
        assert!(outcomes.iter().all(|(_, o)| matches!(o, Outcome::Added(_))), "{outcomes:?}");
        assert!(validation_errors(&files).is_empty());
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
