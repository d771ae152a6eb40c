//! The rules of the data, written once: the checks of a row of
//! `entities.csv` or `relations.csv` and the messages of the checks that
//! need other records (references, kinds, duplicates, citations). The
//! curated reader (`csv_file.rs` and `resolve.rs`) and the streaming reader
//! of `import` (`stream.rs`) both call these functions, so a mistake gets
//! the same verdict, message and position from `build` and `import`.
//!
//! The row checks build a [`Location`] only for an error (the locator is a
//! closure), so the streaming reader's rows cost no allocation.

use coopgraph_model::ids::RESERVED_ENTITY_IDS;
use coopgraph_model::schema::{EntityKind, RELATION_TYPES, RelationType};
use coopgraph_model::{EntityId, Location, Qid, Source, SourceId};
use indexmap::IndexMap;

use crate::diagnostics::{Diagnostics, suggestion};
use crate::stream::{CitationRef, EntityRow};
use crate::text::{TextKind, check_text, passes};

/// Ids looked through for an unknown id's suggestion, at most: past this,
/// an unknown id gets none (comparing it with millions of ids would take
/// longer than the import).
pub const MAX_SUGGESTION_IDS: usize = 100_000;

fn field<'a>(fields: &[&'a str], i: usize) -> &'a str {
    fields.get(i).copied().unwrap_or("")
}

/// What a row of `entities.csv` declares.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EntityCheck<'a> {
    /// The id and kind, when both are good: the row declares its id even if
    /// another field is bad, so that its relations are not also reported as
    /// dangling.
    pub declared: Option<(&'a str, EntityKind)>,
    /// The whole row, when every field is good.
    pub row: Option<EntityRow<'a>>,
}

/// Checks an entity id: a slug, and not one of the reserved path names.
pub(crate) fn check_entity_id(id: &str, at: &dyn Fn() -> Location, d: &mut Diagnostics) -> bool {
    if !EntityId::is_valid(id) {
        d.push(at(), EntityId::new(id).err().map(|e| e.to_string()).unwrap_or_default());
        return false;
    }
    if RESERVED_ENTITY_IDS.contains(&id) {
        d.push(
            at(),
            format!(
                "entity id \"{id}\" is reserved: published IRIs use it as a path ({}); choose another id",
                RESERVED_ENTITY_IDS.join(", ")
            ),
        );
        return false;
    }
    true
}

/// The error of a kind name that is not one.
pub(crate) fn unknown_kind(name: &str) -> String {
    let names: Vec<&str> = EntityKind::ALL.iter().map(|k| k.name()).collect();
    format!(
        "unknown type \"{name}\"{}; expected one of: {}",
        suggestion(&name.to_ascii_lowercase(), names.iter().copied()),
        names.join(", ")
    )
}

/// Checks one row of `entities.csv`, its fields in
/// [`crate::ENTITY_COLUMNS`] order; `at(i)` locates field `i`.
pub(crate) fn check_entity<'a>(f: &[&'a str], at: &dyn Fn(usize) -> Location, d: &mut Diagnostics) -> EntityCheck<'a> {
    let id = field(f, 0);
    let mut ok = check_entity_id(id, &|| at(0), d);
    let id_ok = ok;
    let kind = EntityKind::from_name(field(f, 1));
    if kind.is_none() {
        d.push(at(1), unknown_kind(field(f, 1)));
        ok = false;
    }
    let (label_en, label_zh) = (field(f, 2), field(f, 3));
    if label_en.trim().is_empty() {
        d.push(at(2), "empty label_en: every entity needs an English label");
        ok = false;
    } else if !passes(label_en, TextKind::Line) {
        check_text("label_en", label_en, TextKind::Line, &at(2), d);
        ok = false;
    }
    // A Chinese label of spaces only is no label.
    let label_zh = if label_zh.trim().is_empty() { "" } else { label_zh };
    if !passes(label_zh, TextKind::Line) {
        check_text("label_zh", label_zh, TextKind::Line, &at(3), d);
        ok = false;
    }
    let wikidata = match field(f, 4) {
        "" => None,
        q if Qid::is_valid(q) => Some(q),
        q => {
            d.push(at(4), Qid::new(q).err().map(|e| e.to_string()).unwrap_or_default());
            ok = false;
            None
        }
    };
    let declared = kind.filter(|_| id_ok).map(|k| (id, k));
    let row = declared.filter(|_| ok).map(|(id, kind)| EntityRow { id, kind, label_en, label_zh, wikidata });
    EntityCheck { declared, row }
}

/// The error of a relation type name that is not one.
pub(crate) fn unknown_relation_type(name: &str) -> String {
    format!(
        "unknown relation type \"{name}\"{}; expected one of: {}",
        suggestion(name, RELATION_TYPES.iter().map(|t| t.name)),
        RELATION_TYPES.iter().map(|t| t.name).collect::<Vec<_>>().join(", ")
    )
}

/// Checks a citation cell (`SOURCE`, `SOURCE#PARAGRAPH`,
/// `SOURCE#PARAGRAPH@LANG`) without allocating in the common case; the
/// same verdicts and messages as the data files' citations
/// ([`crate::parse_citation`]).
pub fn citation(text: &str) -> Result<CitationRef<'_>, String> {
    if SourceId::is_valid(text) {
        return Ok(CitationRef { source: text, paragraph: None, lang: None });
    }
    let parsed = crate::parse_citation(text)?;
    let (rest, lang) = match text.rsplit_once('@') {
        Some((rest, lang)) => (rest, Some(lang)),
        None => (text, None),
    };
    let source = rest.split_once('#').map_or(rest, |(s, _)| s);
    Ok(CitationRef { source, paragraph: parsed.paragraph, lang })
}

/// The row checks of `relations.csv` that need no other record: the
/// relation type and the citation's syntax. The subject and object are
/// checked by [`reference`] (streaming) or by `resolve` (curated).
pub(crate) fn check_relation_fields<'a>(
    f: &[&'a str],
    at: &dyn Fn(usize) -> Location,
    d: &mut Diagnostics,
) -> (Option<&'static RelationType>, Option<CitationRef<'a>>) {
    let relation_type = RelationType::from_name(field(f, 1));
    if relation_type.is_none() {
        d.push(at(1), unknown_relation_type(field(f, 1)));
    }
    let cited = match citation(field(f, 3)) {
        Ok(c) => Some(c),
        Err(e) => {
            d.push(at(3), e);
            None
        }
    };
    (relation_type, cited)
}

/// The error of a reference to an id that no record declares, with the
/// closest declared id when there is one.
pub(crate) fn unknown_entity<'c>(id: &str, ids: impl IntoIterator<Item = &'c str>) -> String {
    format!("unknown entity \"{id}\"{}", suggestion(id, ids))
}

/// The error of a relation whose kinds its type does not allow, and
/// whether it stands at the object (otherwise at the subject).
pub(crate) fn wrong_kinds(
    rt: &RelationType,
    subject: &str,
    sk: EntityKind,
    object: &str,
    ok: EntityKind,
) -> (bool, String) {
    if !rt.subject_kinds().contains(&sk) {
        let message = format!(
            "{} expects {} as subject, but \"{subject}\" is {}",
            rt.name,
            kinds_list(&rt.subject_kinds()),
            a_kind(sk)
        );
        return (false, message);
    }
    let objects: Vec<EntityKind> = rt.allowed.iter().filter(|(s, _)| *s == sk).map(|(_, o)| *o).collect();
    let message = format!(
        "{} from {} expects {} as object, but \"{object}\" is {}",
        rt.name,
        a_kind(sk),
        kinds_list(&objects),
        a_kind(ok)
    );
    (true, message)
}

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

/// The error of a second record of the same relation.
pub(crate) fn duplicate_relation(subject: &str, rt: &RelationType, object: &str, first: &Location) -> String {
    format!(
        "duplicate relation {subject} {} {object} (first at {first}): merge the two records and list both citations in \"sources\"",
        rt.name
    )
}

/// The error of a second declaration of an id.
pub(crate) fn duplicate_id(what: &str, id: &str, first: Option<&Location>) -> String {
    let first = first.map_or_else(String::new, |l| format!(": first declared at {l}"));
    format!("duplicate {what} id \"{id}\"{first}")
}

/// The source documents a data folder declares, by id.
pub type Sources = IndexMap<SourceId, Source>;

/// Checks a citation against the declared sources: the source exists, the
/// paragraph is inside it and inside the cited language version. A folder
/// that declares no source at all (tables alone, as a benchmark's) has its
/// citations taken by id, unchecked.
pub(crate) fn check_cited(d: &mut Diagnostics, sources: &Sources, c: CitationRef<'_>, at: &dyn Fn() -> Location) {
    if sources.is_empty() {
        return;
    }
    let Some(source) = sources.get(c.source) else {
        let mut ids: Vec<&str> = sources.keys().map(|s| s.as_str()).collect();
        ids.sort_unstable();
        d.push(
            at(),
            format!("unknown source \"{}\"{}; declare it in a [[source]] record", c.source, suggestion(c.source, ids)),
        );
        return;
    };
    if let (Some(p), Some(max)) = (c.paragraph, source.paragraphs)
        && p > max
    {
        d.push(at(), format!("paragraph {p} is past the end of source \"{}\", which has {max} paragraphs", c.source));
        return;
    }
    let Some(lang) = c.lang else { return };
    if !source.languages.is_empty() && !source.languages.iter().any(|l| l.as_str() == lang) {
        let langs: Vec<_> = source.languages.iter().map(|l| l.as_str()).collect();
        d.push(
            at(),
            format!("source \"{}\" has no \"{lang}\" version; its languages are {}", c.source, langs.join(", ")),
        );
        return;
    }
    if let (Some(p), Some((first, last))) =
        (c.paragraph, source.language_paragraphs.iter().find(|(l, _)| l.as_str() == lang).map(|(_, r)| r))
        && (p < *first || p > *last)
    {
        d.push(
            at(),
            format!(
                "paragraph {p} of source \"{}\" is not in its \"{lang}\" version (paragraphs {first} to {last})",
                c.source
            ),
        );
    }
}
