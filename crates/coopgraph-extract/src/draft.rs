//! Writing candidates out: JSON Lines for programs, and a draft in the
//! data format of data/README.md for a curator, each record preceded by a
//! comment giving its evidence and marked as a candidate with a
//! `candidate = { ... }` table that review reads and the data never holds.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::{Candidate, Extraction, Fact, Status};

/// Errors reading a draft.
#[derive(Debug, thiserror::Error)]
pub enum DraftError {
    /// The draft is not valid TOML.
    #[error("{0}")]
    Syntax(String),
}

/// A TOML (and JSON) basic string. JSON escapes every control character
/// but DEL (U+007F), which TOML refuses raw in strings and comments, so
/// that one is escaped here.
pub fn quote(text: &str) -> String {
    let json = serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned());
    if json.contains('\u{7f}') { json.replace('\u{7f}', "\\u007f") } else { json }
}

/// One JSON object per candidate, one per line.
pub fn json_lines(extraction: &Extraction) -> String {
    let mut out = String::new();
    for c in &extraction.candidates {
        if let Ok(line) = serde_json::to_string(c) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// The data file a record of this candidate goes into, and its table name.
pub fn record_kind(c: &Candidate) -> (&'static str, &'static str) {
    match &c.fact {
        Fact::Source { .. } => ("sources.toml", "source"),
        Fact::Entity { entity_kind, .. } | Fact::NewEntity { entity_kind, .. } => match *entity_kind {
            "country" => ("countries.toml", "country"),
            "operation" => ("operations.toml", "operation"),
            "treaty" => ("treaties.toml", "treaty"),
            _ => ("organizations.toml", "organization"),
        },
        Fact::Figure { .. } => ("figures.toml", "figure"),
        Fact::Date { .. } => ("", "date"),
        Fact::Relation { .. } => ("relations.toml", "relation"),
    }
}

fn dates_lines(out: &mut String, dates: &crate::FactDates) {
    for (name, value) in [("date", &dates.date), ("start", &dates.start), ("end", &dates.end), ("as_of", &dates.as_of)]
    {
        if let Some(v) = value {
            let _ = writeln!(out, "{name} = {}", quote(v));
        }
    }
}

/// The fields of the record a candidate proposes, in the data's order,
/// without the `candidate` table.
pub fn record_body(c: &Candidate, source: &str, file: Option<&str>) -> String {
    let mut out = String::new();
    let citation = quote(&c.citation(source));
    match &c.fact {
        Fact::Source {
            source, paragraphs, languages, language_paragraphs, defects, injected, document_date, ..
        } => {
            let _ = writeln!(out, "id = {}", quote(source));
            let _ = writeln!(out, "title = {}", quote("(the curator writes the title)"));
            if let Some(d) = document_date {
                let _ = writeln!(out, "date = {}", quote(d));
            }
            let langs: Vec<String> = languages.iter().map(|l| quote(l)).collect();
            let _ = writeln!(out, "languages = [{}]", langs.join(", "));
            if let Some(f) = file {
                let _ = writeln!(out, "file = {}", quote(f));
            }
            let _ = writeln!(out, "paragraphs = {paragraphs}");
            let ranges: Vec<String> =
                language_paragraphs.iter().map(|(l, (a, b))| format!("{l} = [{a}, {b}]")).collect();
            let _ = writeln!(out, "language_paragraphs = {{ {} }}", ranges.join(", "));
            let mut all: Vec<String> =
                defects.iter().map(|d| format!("Paragraph {}: {}.", d.paragraph, d.reason)).collect();
            for i in injected {
                let paragraphs: Vec<String> = i.at.iter().map(|a| a.0.to_string()).collect();
                all.push(format!(
                    "Injected token {} ({} times, paragraphs {}): not an entity.",
                    i.token,
                    i.count,
                    paragraphs.join(", ")
                ));
            }
            if !all.is_empty() {
                let _ = writeln!(out, "defects = [");
                for d in all {
                    let _ = writeln!(out, "    {},", quote(&d));
                }
                let _ = writeln!(out, "]");
            }
        }
        Fact::Entity { id, .. } => {
            let _ = writeln!(out, "id = {}", quote(id));
            let _ = writeln!(out, "sources = [{citation}]");
        }
        Fact::NewEntity { proposed_id, entity_kind, category, label, mentions, .. } => {
            let _ = writeln!(out, "id = {}", quote(proposed_id));
            let _ = writeln!(out, "label = {{ {} = {} }}", c.lang, quote(label));
            // The curated countries never state their default category (a state).
            if !(*entity_kind == "country" && *category == "state") {
                let _ = writeln!(out, "category = {}", quote(category));
            }
            let mut cites: Vec<String> = Vec::new();
            for (p, _, _) in mentions {
                let cite = quote(&format!("{source}#{p}@{}", c.lang));
                if !cites.contains(&cite) {
                    cites.push(cite);
                }
            }
            let _ = writeln!(out, "sources = [{}]", cites.join(", "));
        }
        Fact::Figure { subject, measure, value_text, unit, comparator, dates, .. } => {
            let _ = writeln!(out, "subject = {}", quote(subject.as_deref().unwrap_or("")));
            let _ = writeln!(out, "measure = {}", quote(measure.as_deref().unwrap_or("")));
            let _ = writeln!(out, "value = {value_text}");
            let _ = writeln!(out, "unit = {}", quote(unit));
            dates_lines(&mut out, dates);
            if let Some(comp) = comparator {
                let _ = writeln!(out, "note = {}", quote(&format!("The text gives the number as a bound ({comp}).")));
            }
            let _ = writeln!(out, "sources = [{citation}]");
        }
        Fact::Date { date, relative } => {
            let _ = writeln!(out, "date = {}", quote(date));
            let _ = writeln!(out, "relative = {relative}");
        }
        Fact::Relation { subject, predicate, object, role, dates } => {
            let _ = writeln!(out, "subject = {}", quote(subject));
            let _ = writeln!(out, "predicate = {}", quote(predicate));
            let _ = writeln!(out, "object = {}", quote(object));
            if let Some(r) = role {
                let _ = writeln!(out, "role = {}", quote(r));
            }
            dates_lines(&mut out, dates);
            let _ = writeln!(out, "sources = [{citation}]");
        }
    }
    out
}

/// The draft: every candidate as a record of the data format, preceded by
/// its evidence, marked with its `candidate` table.
pub fn draft_toml(extraction: &Extraction, document: Option<&str>) -> String {
    let mut out = String::new();
    let _ =
        writeln!(out, "# Draft of candidate facts proposed by `coopgraph extract` from source {}.", extraction.source);
    if let Some(d) = document {
        let _ = writeln!(out, "# Document: {d}");
    }
    let _ = writeln!(out, "# Nothing here is in data/ yet: review it with `coopgraph review DRAFT.toml`.");
    let _ =
        writeln!(out, "# Each record's `candidate` table holds its evidence and status; review keeps decisions there.");
    // What review and `serve --drafts` read to show the text around each candidate.
    if let Some(d) = document {
        let _ = writeln!(out, "document = {}", quote(d));
    }
    let file = document.and_then(|d| d.rsplit(['/', '\\']).next());
    for c in &extraction.candidates {
        let (_, table) = record_kind(c);
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "# {} {} ({}, score {}): {} [{}, {}) {}",
            c.candidate,
            c.fact.kind_name(),
            c.status.name(),
            c.score,
            c.citation(&extraction.source),
            c.span.0,
            c.span.1,
            quote(&c.text)
        );
        if !c.triggers.is_empty() {
            let t: Vec<String> = c.triggers.iter().map(|t| quote(t)).collect();
            let _ = writeln!(out, "# trigger {}; {}", t.join(", "), c.reason);
        } else {
            let _ = writeln!(out, "# {}", c.reason);
        }
        let _ = writeln!(out, "[[{table}]]");
        out.push_str(&record_body(c, &extraction.source, file));
        let alternatives = match &c.fact {
            Fact::Entity { alternatives, .. } if !alternatives.is_empty() => {
                let quoted: Vec<String> = alternatives.iter().map(|a| quote(a)).collect();
                format!(", alternatives = [{}]", quoted.join(", "))
            }
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "candidate = {{ number = {}, key = {}, kind = {}, status = {}, paragraph = {}, lang = {}, span = [{}, {}], score = {}{alternatives} }}",
            c.candidate,
            quote(&c.key),
            quote(c.fact.kind_name()),
            quote(c.status.name()),
            c.paragraph,
            quote(c.lang),
            c.span.0,
            c.span.1,
            c.score
        );
    }
    out
}

/// The decisions a draft holds: candidate key -> status.
pub fn decisions(draft: &str) -> Result<BTreeMap<String, Status>, DraftError> {
    let doc: toml_edit::DocumentMut =
        draft.parse().map_err(|e: toml_edit::TomlError| DraftError::Syntax(e.to_string()))?;
    let mut out = BTreeMap::new();
    for (_, item) in doc.iter() {
        let Some(array) = item.as_array_of_tables() else { continue };
        for table in array.iter() {
            let Some(cand) = table.get("candidate").and_then(|c| c.as_inline_table()) else { continue };
            let (Some(key), Some(status)) = (
                cand.get("key").and_then(|k| k.as_str()),
                cand.get("status").and_then(|s| s.as_str()).and_then(Status::from_name),
            ) else {
                continue;
            };
            out.insert(key.to_owned(), status);
        }
    }
    Ok(out)
}

/// Applies a draft's decisions: a candidate rejected there comes back
/// rejected; one accepted there that the data does not hold as proposed
/// (it was accepted with edits, or its writing was interrupted) comes back
/// accepted. What the data holds stays known.
pub fn apply_decisions(extraction: &mut Extraction, decisions: &BTreeMap<String, Status>) {
    for c in &mut extraction.candidates {
        if c.status == Status::Known {
            continue;
        }
        match decisions.get(&c.key) {
            Some(Status::Rejected) => c.status = Status::Rejected,
            // A draft marks an accepted record `known` once it is written.
            Some(Status::Accepted | Status::Known) => c.status = Status::Accepted,
            Some(Status::Pending) | None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use crate::tests::dataset;
    use crate::{ExtractOptions, Extractor};

    #[test]
    fn a_text_with_a_delete_character_still_makes_a_toml_draft() {
        // Found by the fuzz target extract_text: JSON leaves U+007F raw,
        // TOML refuses it in strings and comments, and review could not
        // read the draft extract had written.
        let data = dataset();
        let options = ExtractOptions { source: "900".into(), date: Some("2016".parse().unwrap()), read_as: Vec::new() };
        let ex = Extractor::new(&data).extract("China hosted the Harbour\u{7f} Police Forum.\n", &options);
        let draft = draft_toml(&ex, Some("doc.txt"));
        let parsed: Result<toml_edit::DocumentMut, _> = draft.parse();
        assert!(parsed.is_ok(), "{parsed:?}");
        let quoted = quote("a\u{7f}b\u{1}");
        let value: toml_edit::Value = quoted.parse().unwrap();
        assert_eq!(value.as_str(), Some("a\u{7f}b\u{1}"));
    }

    #[test]
    fn the_draft_is_toml_with_one_marked_record_per_candidate() {
        let data = dataset();
        let options = ExtractOptions { source: "900".into(), date: Some("2016".parse().unwrap()), read_as: Vec::new() };
        let ex = Extractor::new(&data).extract("China is a member of the SCO. It returned 12 fugitives.\n", &options);
        let draft = draft_toml(&ex, Some("notes/doc.txt"));
        let parsed: toml_edit::DocumentMut = draft.parse().unwrap();
        let relations = parsed["relation"].as_array_of_tables().unwrap();
        assert_eq!(relations.get(0).unwrap()["predicate"].as_str(), Some("member_of"));
        let d = decisions(&draft).unwrap();
        assert_eq!(d.len(), ex.candidates.len());
        assert!(d.values().all(|s| *s == Status::Pending));
        let lines = json_lines(&ex);
        for line in lines.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            for field in ["kind", "paragraph", "lang", "span", "text", "score", "status"] {
                assert!(v.get(field).is_some(), "{field} missing in {line}");
            }
        }
    }
}
