//! Reads one TOML data file into draft records, reporting every problem it
//! can find in the file with its position.

use std::collections::BTreeMap;
use std::sync::Arc;

use coopgraph_model::schema::{COMPARATORS, Comparator, EntityKind, KINDS, RELATION_TYPES, RelationType};
use coopgraph_model::{
    Entity, EntityId, Figure, LangTag, Location, Measure, MeasureId, PartialDate, Period, Qid, Quantity, Relation,
    Source, SourceId,
};
use toml_span::value::{Table, Value, ValueInner};

use crate::diagnostics::{Diagnostics, LineIndex, suggestion};
use crate::draft::{Cited, Draft, DraftEntity, DraftFigure, DraftRelation, parse_citation};
use crate::text::{TextKind, check_text};

/// The record arrays a data file may hold: sources, measures, one per kind
/// of entity (from the schema's table), relations and figures.
fn sections() -> impl Iterator<Item = &'static str> {
    ["source", "measure"].into_iter().chain(kind_names()).chain(["relation", "figure"])
}

const ENTITY_FIELDS: &[&str] = &[
    "id",
    "label",
    "aliases",
    "category",
    "wikidata",
    "description",
    "binding",
    "ordinal",
    "date",
    "start",
    "end",
    "inferred",
    "date_note",
    "sources",
];
const RELATION_FIELDS: &[&str] = &[
    "subject",
    "predicate",
    "object",
    "role",
    "date",
    "start",
    "end",
    "as_of",
    "inferred",
    "date_note",
    "note",
    "implied",
    "sources",
];
const FIGURE_FIELDS: &[&str] = &[
    "subject",
    "measure",
    "value",
    "comparator",
    "unit",
    "date",
    "start",
    "end",
    "as_of",
    "inferred",
    "date_note",
    "counterpart",
    "note",
    "sources",
];
const MEASURE_FIELDS: &[&str] = &["id", "label", "unit", "description"];
const SOURCE_FIELDS: &[&str] = &[
    "id",
    "title",
    "publisher",
    "date",
    "languages",
    "covers",
    "start",
    "end",
    "file",
    "url",
    "paragraphs",
    "language_paragraphs",
    "defects",
];

/// The file being read: its name for messages and its line index.
pub(crate) struct FileContext<'t> {
    pub name: Arc<str>,
    lines: LineIndex<'t>,
}

impl<'t> FileContext<'t> {
    pub(crate) fn new(name: Arc<str>, text: &'t str) -> Self {
        Self { name, lines: LineIndex::new(text) }
    }

    pub(crate) fn at(&self, offset: usize) -> Location {
        let (line, column) = self.lines.position(offset);
        Location { file: Arc::clone(&self.name), line, column }
    }
}

/// Reads `text` (the contents of the file `name`) into `draft`.
pub(crate) fn read_toml(name: Arc<str>, text: &str, draft: &mut Draft, d: &mut Diagnostics) {
    let ctx = FileContext::new(name, text);
    let mut root = match toml_span::parse(text) {
        Ok(root) => root,
        Err(e) => {
            let mut message = format!("invalid TOML: {e}");
            if looks_like_bare_date(text, e.span.start) {
                message.push_str("; dates are written as quoted strings, such as \"2015-04-01\"");
            }
            d.push_syntax(ctx.at(e.span.start), Some(ctx.at(e.span.end)), message);
            return;
        }
    };
    let ValueInner::Table(table) = root.take() else {
        d.push(ctx.at(0), "expected a TOML document of record arrays such as [[country]]");
        return;
    };
    let mut records: Vec<(&'static str, Value<'_>)> = Vec::new();
    for (key, mut value) in table {
        let Some(section) = sections().find(|s| *s == key.name) else {
            d.push(
                ctx.at(key.span.start),
                format!(
                    "unknown record type \"{}\"{}; expected one of: {}",
                    key.name,
                    suggestion(&key.name, sections()),
                    sections().collect::<Vec<_>>().join(", ")
                ),
            );
            continue;
        };
        match value.take() {
            ValueInner::Array(items) => records.extend(items.into_iter().map(|item| (section, item))),
            other => d.push(
                ctx.at(key.span.start),
                format!(
                    "\"{section}\" must be an array of tables, written [[{section}]]; found a {}",
                    other.type_str()
                ),
            ),
        }
    }
    // Keep the order of the file, whatever the section names.
    records.sort_by_key(|(_, v)| v.span.start);
    for (section, mut item) in records {
        let span = item.span;
        let ValueInner::Table(table) = item.take() else {
            d.push(ctx.at(span.start), format!("each \"{section}\" entry must be a table, written [[{section}]]"));
            continue;
        };
        let mut record = Record { ctx: &ctx, section, table, at: ctx.at(span.start) };
        match section {
            "source" => {
                if let Some(s) = read_source(&mut record, d) {
                    draft.sources.push(s);
                }
                record.finish(SOURCE_FIELDS, d);
            }
            "measure" => {
                if let Some(m) = read_measure(&mut record, d) {
                    draft.measures.push(m);
                }
                record.finish(MEASURE_FIELDS, d);
            }
            "relation" => {
                if let Some(r) = read_relation(&mut record, draft, d) {
                    draft.relations.push(r);
                }
                record.finish(RELATION_FIELDS, d);
            }
            "figure" => {
                if let Some(f) = read_figure(&mut record, draft, d) {
                    draft.figures.push(f);
                }
                record.finish(FIGURE_FIELDS, d);
            }
            kind_name => {
                if let Some(kind) = EntityKind::from_name(kind_name)
                    && let Some(e) = read_entity(kind, &mut record, d)
                {
                    draft.entities.push(e);
                }
                record.finish(ENTITY_FIELDS, d);
            }
        }
    }
}

fn looks_like_bare_date(text: &str, offset: usize) -> bool {
    let tail: Vec<u8> = text.as_bytes().iter().skip(offset.saturating_sub(10)).take(20).copied().collect();
    tail.windows(7).any(|w| {
        w.iter().take(4).all(u8::is_ascii_digit) && w.get(4) == Some(&b'-') && w.iter().skip(5).all(u8::is_ascii_digit)
    })
}

/// One record being read: fields are taken out one by one, and what is left
/// at the end is reported as unknown.
struct Record<'c, 't, 'de> {
    ctx: &'c FileContext<'t>,
    section: &'static str,
    table: Table<'de>,
    at: Location,
}

fn type_name(value: &ValueInner<'_>) -> &'static str {
    value.type_str()
}

impl<'de> Record<'_, '_, 'de> {
    fn take(&mut self, key: &str) -> Option<Value<'de>> {
        self.table.remove(key)
    }

    fn loc(&self, value: &Value<'_>) -> Location {
        self.ctx.at(value.span.start)
    }

    fn wrong_type(&self, d: &mut Diagnostics, key: &str, value: &mut Value<'_>, expected: &str) {
        let at = self.loc(value);
        let found = type_name(&value.take());
        d.push(at, format!("field \"{key}\" of {}: expected {expected}, found {found}", self.section));
    }

    fn missing(&self, d: &mut Diagnostics, key: &str) {
        d.push(self.at.clone(), format!("{} is missing the required field \"{key}\"", self.section));
    }

    /// A non-empty string, checked as text (control characters, length).
    fn string(&mut self, key: &str, d: &mut Diagnostics) -> Option<(String, Location)> {
        let (s, at) = self.raw_string(key, d)?;
        check_text(&format!("field \"{key}\""), &s, TextKind::Free, &at, d).then_some((s, at))
    }

    /// A non-empty string, unchecked: ids, whose own check is stricter.
    fn raw_string(&mut self, key: &str, d: &mut Diagnostics) -> Option<(String, Location)> {
        let mut value = self.take(key)?;
        let at = self.loc(&value);
        match value.as_str() {
            Some(s) if s.trim().is_empty() => {
                d.push(at, format!("field \"{key}\" of {} is empty", self.section));
                None
            }
            Some(s) => Some((s.to_owned(), at)),
            None => {
                self.wrong_type(d, key, &mut value, "a string");
                None
            }
        }
    }

    fn required_string(&mut self, key: &str, d: &mut Diagnostics) -> Option<(String, Location)> {
        if !self.table.contains_key(key) {
            self.missing(d, key);
            return None;
        }
        self.string(key, d)
    }

    fn text(&mut self, key: &str, d: &mut Diagnostics) -> Option<String> {
        self.string(key, d).map(|(s, _)| s)
    }

    /// Whether the field `key` may be read on a record of the kind
    /// `kind_name`: when it is given on a kind it does not apply to (it
    /// applies to `only`), it is taken, an error is reported at its value and
    /// the answer is no.
    fn applies(&mut self, key: &str, applies: bool, only: &str, kind_name: &str, d: &mut Diagnostics) -> bool {
        match self.table.get(key).map(|v| self.loc(v)) {
            Some(at) if !applies => {
                self.take(key);
                d.push(at, format!("field \"{key}\" applies to {only} only, not to a {kind_name}"));
                false
            }
            _ => true,
        }
    }

    /// A whole number from 1 up (`paragraphs`, `ordinal`).
    fn positive(&mut self, key: &str, d: &mut Diagnostics) -> Option<u32> {
        let value = self.take(key)?;
        match value.as_integer().filter(|n| *n > 0).and_then(|n| u32::try_from(n).ok()) {
            Some(n) => Some(n),
            None => {
                d.push(self.loc(&value), format!("field \"{key}\": expected a positive whole number"));
                None
            }
        }
    }

    fn bool(&mut self, key: &str, d: &mut Diagnostics) -> Option<bool> {
        let mut value = self.take(key)?;
        match value.as_bool() {
            Some(b) => Some(b),
            None => {
                self.wrong_type(d, key, &mut value, "true or false");
                None
            }
        }
    }

    fn date(&mut self, key: &str, d: &mut Diagnostics) -> Option<(PartialDate, Location)> {
        let (text, at) = self.string(key, d)?;
        match text.parse::<PartialDate>() {
            Ok(date) => Some((date, at)),
            Err(e) => {
                d.push(at, format!("field \"{key}\": {e}"));
                None
            }
        }
    }

    fn period(&mut self, d: &mut Diagnostics, with_as_of: bool) -> Period {
        let date = self.date("date", d).map(|(x, _)| x);
        let start = self.date("start", d);
        let end = self.date("end", d);
        let as_of = if with_as_of { self.date("as_of", d).map(|(x, _)| x) } else { None };
        if let (Some((s, _)), Some((e, at))) = (&start, &end)
            && e.wholly_before(s)
        {
            d.push(at.clone(), format!("the period ends ({e}) before it starts ({s})"));
        }
        Period { date, start: start.map(|(x, _)| x), end: end.map(|(x, _)| x), as_of, inferred: None }
    }

    /// The period of an entity, relation or figure: its dates, and whether
    /// they were resolved from context (`inferred = true`, with the
    /// `date_note` saying how).
    fn dated(&mut self, d: &mut Diagnostics, with_as_of: bool) -> Period {
        let mut period = self.period(d, with_as_of);
        let inferred_at = self.table.get("inferred").map(|v| self.loc(v));
        let inferred = self.bool("inferred", d);
        let note = self.string("date_note", d);
        match (inferred, note) {
            (Some(true), Some((note, _))) => {
                if period.is_empty() {
                    if let Some(at) = inferred_at {
                        d.push(at, "field \"inferred\": the record has no date (date, start, end or as_of) to mark as inferred");
                    }
                } else {
                    period.inferred = Some(note);
                }
            }
            (Some(true), None) => {
                if let Some(at) = inferred_at {
                    d.push(
                        at,
                        "field \"inferred\" = true needs a \"date_note\" saying how the date was resolved from context",
                    );
                }
            }
            (_, Some((_, at))) => {
                d.push(at, "field \"date_note\" explains an inferred date: set inferred = true, or remove the note");
            }
            _ => {}
        }
        period
    }

    fn id<T>(
        &mut self,
        key: &str,
        d: &mut Diagnostics,
        check: fn(&str) -> Result<T, coopgraph_model::ids::IdError>,
    ) -> Option<(T, Location)> {
        if !self.table.contains_key(key) {
            self.missing(d, key);
            return None;
        }
        let (text, at) = self.raw_string(key, d)?;
        match check(&text) {
            Ok(id) => Some((id, at)),
            Err(e) => {
                d.push(at, format!("field \"{key}\": {e}"));
                None
            }
        }
    }

    fn list(&mut self, key: &str, d: &mut Diagnostics) -> Vec<(String, Location)> {
        let Some(mut value) = self.take(key) else { return Vec::new() };
        let span = value.span;
        let ValueInner::Array(items) = value.take() else {
            d.push(
                self.ctx.at(span.start),
                format!("field \"{key}\" of {}: expected an array of strings", self.section),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items {
            let at = self.loc(&item);
            match item.as_str() {
                Some(s) if s.trim().is_empty() => d.push(at, format!("empty string in \"{key}\"")),
                Some(s) if !check_text(&format!("an item of \"{key}\""), s, TextKind::Line, &at, d) => {}
                Some(s) => out.push((s.to_owned(), at)),
                None => d.push(at, format!("field \"{key}\": expected an array of strings")),
            }
        }
        out
    }

    fn lang_key(&self, key: &str, lang: &str, at: Location, d: &mut Diagnostics) -> Option<LangTag> {
        match LangTag::new(lang) {
            Ok(tag) => Some(tag),
            Err(e) => {
                d.push(at, format!("in \"{key}\": {e}"));
                None
            }
        }
    }

    /// `label = { en = "...", zh = "..." }`.
    fn labels(&mut self, key: &str, d: &mut Diagnostics) -> BTreeMap<LangTag, String> {
        let mut out = BTreeMap::new();
        let Some(mut value) = self.take(key) else { return out };
        let span = value.span;
        let ValueInner::Table(table) = value.take() else {
            d.push(
                self.ctx.at(span.start),
                format!("field \"{key}\" of {}: expected a table of labels by language, such as {{ en = \"China\", zh = \"中国\" }}", self.section),
            );
            return out;
        };
        for (lang, text) in table {
            let at = self.ctx.at(lang.span.start);
            let Some(tag) = self.lang_key(key, &lang.name, at, d) else { continue };
            let at = self.loc(&text);
            match text.as_str() {
                Some(s) if s.trim().is_empty() => d.push(at, format!("empty label for language \"{tag}\"")),
                Some(s) if !check_text(&format!("label \"{tag}\""), s, TextKind::Line, &at, d) => {}
                Some(s) => {
                    out.insert(tag, s.to_owned());
                }
                None => d.push(at, format!("label \"{tag}\": expected a string")),
            }
        }
        out
    }

    /// `aliases = { en = ["SCO"], zh = ["上合组织"] }`.
    fn aliases(&mut self, d: &mut Diagnostics) -> BTreeMap<LangTag, Vec<String>> {
        let mut out = BTreeMap::new();
        let Some(mut value) = self.take("aliases") else { return out };
        let span = value.span;
        let ValueInner::Table(table) = value.take() else {
            d.push(
                self.ctx.at(span.start),
                "field \"aliases\": expected a table of arrays by language, such as { en = [\"SCO\"], zh = [\"上合组织\"] }",
            );
            return out;
        };
        for (lang, mut list) in table {
            let at = self.ctx.at(lang.span.start);
            let Some(tag) = self.lang_key("aliases", &lang.name, at, d) else { continue };
            let list_at = self.loc(&list);
            let ValueInner::Array(items) = list.take() else {
                d.push(list_at, format!("aliases \"{tag}\": expected an array of strings"));
                continue;
            };
            let mut names = Vec::new();
            for item in items {
                let at = self.loc(&item);
                match item.as_str() {
                    Some(s) if s.trim().is_empty() => d.push(at, "empty alias"),
                    Some(s) if !check_text(&format!("an alias \"{tag}\""), s, TextKind::Line, &at, d) => {}
                    Some(s) => names.push(s.to_owned()),
                    None => d.push(at, format!("aliases \"{tag}\": expected an array of strings")),
                }
            }
            out.insert(tag, names);
        }
        out
    }

    fn citations(&mut self, d: &mut Diagnostics) -> Vec<Cited> {
        self.list("sources", d)
            .into_iter()
            .filter_map(|(text, at)| match parse_citation(&text) {
                Ok(citation) => Some(Cited { citation, at }),
                Err(e) => {
                    d.push(at, e);
                    None
                }
            })
            .collect()
    }

    /// Reports the fields nobody took.
    fn finish(self, allowed: &[&str], d: &mut Diagnostics) {
        for (key, _) in self.table {
            let message = if allowed.contains(&key.name.as_ref()) {
                format!("field \"{}\" has the wrong type or is misplaced", key.name)
            } else {
                format!(
                    "unknown field \"{}\" in {}{}; expected one of: {}",
                    key.name,
                    self.section,
                    suggestion(&key.name, allowed.iter().copied()),
                    allowed.join(", ")
                )
            };
            d.push(self.ctx.at(key.span.start), message);
        }
    }
}

fn read_entity(kind: EntityKind, r: &mut Record<'_, '_, '_>, d: &mut Diagnostics) -> Option<DraftEntity> {
    let id = r.id("id", d, EntityId::new).filter(|(id, at)| crate::resolve::not_reserved(id, at, d));
    let has_label = r.table.contains_key("label");
    let errors_before = d.total();
    let labels = r.labels("label", d);
    if !has_label {
        r.missing(d, "label");
    } else if labels.is_empty() && d.total() == errors_before {
        d.push(
            r.at.clone(),
            format!("{} has no label: give at least one, such as label = {{ en = \"...\" }}", kind.name()),
        );
    }
    let aliases = r.aliases(d);
    let spec = kind.spec();
    let category = match r.string("category", d) {
        Some((name, at)) => match kind.category(&name) {
            Some(c) => Some(c),
            None => {
                d.push(
                    at,
                    format!(
                        "unknown {} category \"{name}\"{}; expected one of: {}",
                        spec.name,
                        suggestion(&name, spec.categories.iter().map(|c| c.name)),
                        spec.categories.iter().map(|c| c.name).collect::<Vec<_>>().join(", ")
                    ),
                );
                None
            }
        },
        None => kind.category(spec.default_category),
    };
    let wikidata = r.string("wikidata", d).and_then(|(text, at)| match Qid::new(&text) {
        Ok(q) => Some(q),
        Err(e) => {
            d.push(at, e.to_string());
            None
        }
    });
    let description = r.text("description", d);
    let binding = if r.applies("binding", kind == EntityKind::Treaty, "treaties", spec.name, d) {
        r.bool("binding", d)
    } else {
        None
    };
    let ordinal = if r.applies("ordinal", kind == EntityKind::Operation, "operations", spec.name, d) {
        r.positive("ordinal", d)
    } else {
        None
    };
    let period = r.dated(d, false);
    let sources = r.citations(d);
    let (id, at) = id?;
    if labels.is_empty() {
        return None;
    }
    let entity = Entity {
        id,
        kind,
        category: category?,
        labels,
        aliases,
        wikidata,
        description,
        binding,
        ordinal,
        period,
        sources: sources.iter().map(|c| c.citation.clone()).collect(),
        origin: Some(at),
    };
    Some(DraftEntity { entity, sources })
}

fn entity_ref(r: &mut Record<'_, '_, '_>, key: &str, d: &mut Diagnostics) -> Option<(EntityId, Location)> {
    r.id(key, d, EntityId::new)
}

fn read_relation(r: &mut Record<'_, '_, '_>, draft: &mut Draft, d: &mut Diagnostics) -> Option<DraftRelation> {
    let subject = entity_ref(r, "subject", d);
    let predicate = r.required_string("predicate", d).and_then(|(name, at)| match RelationType::from_name(&name) {
        Some(t) => Some(t),
        None => {
            d.push(
                at,
                format!(
                    "unknown relation type \"{name}\"{}; expected one of: {}",
                    suggestion(&name, RELATION_TYPES.iter().map(|t| t.name)),
                    RELATION_TYPES.iter().map(|t| t.name).collect::<Vec<_>>().join(", ")
                ),
            );
            None
        }
    });
    let object = entity_ref(r, "object", d);
    let role = r.string("role", d);
    let period = r.dated(d, true);
    let note = r.text("note", d);
    let implied = r.bool("implied", d).unwrap_or(false);
    let has_sources = r.table.contains_key("sources");
    let sources = r.citations(d);
    if !has_sources {
        r.missing(d, "sources");
    } else if sources.is_empty() {
        d.push(r.at.clone(), "a relation needs at least one citation in \"sources\"");
    }
    let Some(relation_type) = predicate else {
        draft.loose_refs.extend(subject.into_iter().chain(object));
        draft.loose_citations.extend(sources);
        return None;
    };
    let role = match role {
        Some((role, at)) if !relation_type.roles.contains(&role.as_str()) => {
            if relation_type.roles.is_empty() {
                d.push(at, format!("relation type \"{relation_type}\" takes no role"));
            } else {
                d.push(
                    at,
                    format!(
                        "unknown role \"{role}\" for {relation_type}{}; expected one of: {}",
                        suggestion(&role, relation_type.roles.iter().copied()),
                        relation_type.roles.join(", ")
                    ),
                );
            }
            None
        }
        other => other.map(|(role, _)| role),
    };
    let ((subject, subject_at), (object, object_at)) = (subject?, object?);
    if subject == object {
        d.push(object_at.clone(), format!("relation links \"{subject}\" to itself"));
    }
    let relation = Relation {
        subject,
        relation_type,
        object,
        role,
        period,
        note,
        implied,
        sources: sources.iter().map(|c| c.citation.clone()).collect(),
        origin: Some(r.at.clone()),
    };
    Some(DraftRelation { relation, at: r.at.clone(), subject_at, object_at, sources })
}

fn quantity(r: &mut Record<'_, '_, '_>, d: &mut Diagnostics) -> Option<Quantity> {
    let Some(mut value) = r.take("value") else {
        r.missing(d, "value");
        return None;
    };
    let at = r.loc(&value);
    match value.take() {
        ValueInner::Integer(i) => Some(Quantity::Integer(i)),
        ValueInner::Float(f) if f.is_finite() => {
            let text = f.to_string();
            Some(Quantity::Decimal(if text.contains('.') { text } else { format!("{text}.0") }))
        }
        ValueInner::String(s) => parse_decimal(&s).or_else(|| {
            d.push(
                at,
                format!("field \"value\": \"{s}\" is not a number; expected digits with an optional decimal point"),
            );
            None
        }),
        other => {
            d.push(at, format!("field \"value\" of figure: expected a number, found {}", other.type_str()));
            None
        }
    }
}

fn parse_decimal(s: &str) -> Option<Quantity> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |p: &str| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit());
    if !all_digits(int) {
        return None;
    }
    if !s.contains('.') {
        return s.parse().ok().map(Quantity::Integer);
    }
    all_digits(frac).then(|| Quantity::Decimal(s.to_owned()))
}

fn read_figure(r: &mut Record<'_, '_, '_>, draft: &mut Draft, d: &mut Diagnostics) -> Option<DraftFigure> {
    let subject = entity_ref(r, "subject", d);
    let measure = r.id("measure", d, MeasureId::new);
    let value = quantity(r, d);
    let comparator = match r.raw_string("comparator", d) {
        None => Some(Comparator::exact()),
        Some((text, at)) => {
            let found = Comparator::from_symbol(&text);
            if found.is_none() {
                let known: Vec<&str> = COMPARATORS.iter().map(|c| c.symbol).collect();
                d.push(
                    at,
                    format!("field \"comparator\": unknown comparator \"{text}\"; expected one of {}", known.join(" ")),
                );
            }
            found
        }
    };
    let unit = r.required_string("unit", d);
    let period = r.dated(d, true);
    let counterpart = if r.table.contains_key("counterpart") { entity_ref(r, "counterpart", d) } else { None };
    let note = r.text("note", d);
    let has_sources = r.table.contains_key("sources");
    let sources = r.citations(d);
    if !has_sources {
        r.missing(d, "sources");
    } else if sources.is_empty() {
        d.push(r.at.clone(), "a figure needs at least one citation in \"sources\"");
    }
    let (Some((subject, subject_at)), Some((measure, measure_at)), Some(value), Some((unit, _)), Some(comparator)) =
        (subject.clone(), measure, value, unit, comparator)
    else {
        draft.loose_refs.extend(subject.into_iter().chain(counterpart));
        draft.loose_citations.extend(sources);
        return None;
    };
    let figure = Figure {
        subject,
        measure,
        value,
        comparator,
        unit,
        period,
        counterpart: counterpart.as_ref().map(|(c, _)| c.clone()),
        note,
        sources: sources.iter().map(|c| c.citation.clone()).collect(),
        origin: Some(r.at.clone()),
    };
    Some(DraftFigure { figure, subject_at, measure_at, counterpart_at: counterpart.map(|(_, at)| at), sources })
}

fn read_measure(r: &mut Record<'_, '_, '_>, d: &mut Diagnostics) -> Option<Measure> {
    let id = r.id("id", d, MeasureId::new);
    let labels = r.labels("label", d);
    let unit = r.text("unit", d);
    let description = r.text("description", d);
    let (id, at) = id?;
    Some(Measure { id, labels, unit, description, origin: Some(at) })
}

fn read_source(r: &mut Record<'_, '_, '_>, d: &mut Diagnostics) -> Option<Source> {
    let id = r.id("id", d, SourceId::new);
    let title = r.required_string("title", d);
    let publisher = r.text("publisher", d);
    let date = r.date("date", d).map(|(x, _)| x);
    let languages: Vec<LangTag> =
        r.list("languages", d).into_iter().filter_map(|(text, at)| r.lang_key("languages", &text, at, d)).collect();
    let covers = r.text("covers", d);
    let period = r.period(d, false);
    let file = r.text("file", d);
    let url = r.text("url", d);
    let paragraphs = r.positive("paragraphs", d);
    let mut language_paragraphs = BTreeMap::new();
    if let Some(mut value) = r.take("language_paragraphs") {
        let at = r.loc(&value);
        if let ValueInner::Table(table) = value.take() {
            for (lang, range) in table {
                let at = r.ctx.at(lang.span.start);
                let Some(tag) = r.lang_key("language_paragraphs", &lang.name, at, d) else { continue };
                let bounds: Vec<i64> =
                    range.as_array().map(|a| a.iter().filter_map(Value::as_integer).collect()).unwrap_or_default();
                match bounds.as_slice() {
                    &[first, last] if first >= 1 && last >= first => {
                        let (Ok(first), Ok(last)) = (u32::try_from(first), u32::try_from(last)) else { continue };
                        if paragraphs.is_some_and(|p| last > p) {
                            d.push(
                                r.loc(&range),
                                format!(
                                    "paragraph range of \"{tag}\" ends after the last paragraph ({})",
                                    paragraphs.unwrap_or(0)
                                ),
                            );
                        }
                        language_paragraphs.insert(tag, (first, last));
                    }
                    _ => d.push(
                        r.loc(&range),
                        format!("paragraphs of \"{tag}\": expected [FIRST, LAST] with 1 <= FIRST <= LAST"),
                    ),
                }
            }
        } else {
            d.push(at, "field \"language_paragraphs\": expected a table such as { zh = [1, 2], en = [3, 4] }");
        }
    }
    let defects = r.list("defects", d).into_iter().map(|(s, _)| s).collect();
    let (id, at) = id?;
    Some(Source {
        id,
        title: title?.0,
        publisher,
        date,
        languages,
        covers,
        period,
        file,
        url,
        paragraphs,
        language_paragraphs,
        defects,
        origin: Some(at),
    })
}

/// The kind names a data file uses, for messages elsewhere.
pub(crate) fn kind_names() -> impl Iterator<Item = &'static str> {
    KINDS.iter().map(|k| k.name)
}
