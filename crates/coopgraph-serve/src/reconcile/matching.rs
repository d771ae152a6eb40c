//! Reconciliation queries: a batch read from its JSON (every mistake a 400
//! naming the query and what was expected), each query answered on its
//! own from the search index, then checked against the store.
//!
//! Candidates come from the search index ([`SearchIndex::search_kinds`]:
//! the entities of the query's types whose names match the text), or, for
//! a query with properties and no text, from the entities that have its
//! first entity value (a bounded quad pattern). A query that is an entity's
//! id finds that entity first. Each candidate's score is the index's tier
//! (an exact name 100, a name starting with the text 80, holding its words
//! 60, holding it 40, plus up to 19 for how much of the name the text
//! covers), times the share of the query's properties it has; it is a
//! `match` when it is the only candidate with an exact name (or the id)
//! and every property agrees.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use coopgraph_model::schema::KindSpec;
use coopgraph_rdf::Namespaces;
use coopgraph_rdf::oxigraph::model::NamedNode;
use coopgraph_rdf::oxigraph::store::Store;
use coopgraph_search::{Record, SearchIndex, Tier, normalize};
use serde::Serialize;
use serde_json::{Map, Value as Json};

use super::facts;
use super::terms::{self, Property};
use crate::error::HttpError;
use crate::i18n::Lang;

/// Queries in one batch, at most.
pub(crate) const MAX_QUERIES: usize = 100;
/// Candidates of one query when it gives no `limit`.
pub(crate) const DEFAULT_LIMIT: usize = 10;
/// The largest `limit` of one query.
pub(crate) const MAX_LIMIT: usize = 100;
/// Properties of one query, and values of one property, at most.
const MAX_PROPERTIES: usize = 20;
const MAX_VALUES: usize = 20;
/// The longest query text, in characters.
const MAX_TEXT: usize = 200;
/// Candidates read from the index for a query with properties (which may
/// reorder them): this many times its limit, at most [`MAX_WINDOW`].
const WINDOW_FACTOR: usize = 5;
const MAX_WINDOW: usize = 200;
/// Entities a text value of a relation property may name (its exact
/// namesakes in the index).
const NAMESAKES: usize = 5;
/// The most store and index lookups a batch may ask for (candidates read,
/// plus each candidate's checks of each value); a larger batch is refused
/// with 400, to be sent in smaller ones.
pub(crate) const MAX_LOOKUPS: usize = 200_000;

fn bad(message: impl Into<String>) -> HttpError {
    HttpError::new(StatusCode::BAD_REQUEST, message)
}

/// How the types of a query restrict its candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TypeStrict {
    /// Candidates of any of the types (the default).
    Any,
    /// Candidates of every type (one kind per entity: of the one type).
    All,
    /// Any candidate; those of the types score higher.
    Should,
}

/// A value given for a property.
#[derive(Debug, Clone, PartialEq)]
enum Given {
    /// Text, or a number or boolean read as text.
    Text(String),
    /// An entity reconciled before: its id.
    Id(String),
}

/// One reconciliation query, read.
#[derive(Debug, Clone)]
pub(crate) struct Query {
    text: Option<String>,
    kinds: Vec<&'static KindSpec>,
    strict: TypeStrict,
    limit: usize,
    properties: Vec<(Property, Vec<Given>)>,
}

/// Reads a batch: a JSON object of queries by key.
pub(crate) fn parse_batch(ns: &Namespaces, text: &str) -> Result<Vec<(String, Query)>, HttpError> {
    let json: Json = serde_json::from_str(text).map_err(|e| {
        bad(format!(
            "queries: not JSON ({e}); expected an object of queries by key, as {{\"q0\": {{\"query\": \"China\"}}}}"
        ))
    })?;
    let Json::Object(batch) = json else {
        return Err(bad("queries: expected a JSON object of queries by key, as {\"q0\": {\"query\": \"China\"}}"));
    };
    if batch.len() > MAX_QUERIES {
        return Err(bad(format!("queries: {} queries in one batch; at most {MAX_QUERIES}", batch.len())));
    }
    let mut out = Vec::with_capacity(batch.len());
    let mut lookups = 0usize;
    for (key, query) in batch {
        // Every query is checked before any is answered.
        let read = read_query(ns, &key, &query)?;
        lookups = lookups.saturating_add(read.lookups());
        out.push((key, read));
    }
    if lookups > MAX_LOOKUPS {
        return Err(bad(format!(
            "queries: this batch asks for about {lookups} lookups, more than {MAX_LOOKUPS}: send fewer queries \
             at once, or fewer properties and values, or lower limits"
        )));
    }
    Ok(out)
}

impl Query {
    /// Candidates read from the index for this query.
    fn window(&self) -> usize {
        if self.properties.is_empty() {
            self.limit
        } else {
            self.limit.saturating_mul(WINDOW_FACTOR).clamp(self.limit, MAX_WINDOW)
        }
    }

    /// An upper bound of the lookups the query makes: its candidates, and
    /// for each value given, a search and each candidate's checks of the
    /// entities it names.
    fn lookups(&self) -> usize {
        let window = self.window();
        let values: usize = self.properties.iter().map(|(_, v)| v.len()).sum();
        window.saturating_add(values.saturating_mul(1 + window.saturating_mul(NAMESAKES)))
    }
}

fn read_query(ns: &Namespaces, key: &str, json: &Json) -> Result<Query, HttpError> {
    let at = |what: &str| format!("queries[{key:?}]{what}");
    let Json::Object(fields) = json else {
        return Err(bad(format!(
            "{}: expected an object with \"query\" and optional \"type\", \"limit\", \"properties\", \"type_strict\"",
            at("")
        )));
    };
    for name in fields.keys() {
        if !["query", "type", "limit", "properties", "type_strict"].contains(&name.as_str()) {
            return Err(bad(format!(
                "{}: unknown field {name:?}; expected query, type, limit, properties or type_strict",
                at("")
            )));
        }
    }
    let text = match fields.get("query") {
        None | Some(Json::Null) => None,
        Some(Json::String(s)) if s.trim().is_empty() => None,
        Some(Json::String(s)) if s.chars().count() > MAX_TEXT => {
            return Err(bad(format!("{}: longer than {MAX_TEXT} characters", at(".query"))));
        }
        Some(Json::String(s)) => Some(s.trim().to_owned()),
        Some(_) => return Err(bad(format!("{}: expected a string", at(".query")))),
    };
    let type_ids: Vec<&str> = match fields.get("type") {
        None | Some(Json::Null) => Vec::new(),
        Some(Json::String(s)) => vec![s.as_str()],
        Some(Json::Array(items)) => items
            .iter()
            .map(|t| t.as_str().ok_or_else(|| bad(format!("{}: expected type ids as strings", at(".type")))))
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(bad(format!("{}: expected a type id or an array of them", at(".type")))),
    };
    let mut kinds = Vec::new();
    for id in type_ids {
        let kind = terms::kind_of_type(ns, id).ok_or_else(|| {
            bad(format!("{}: unknown type {id:?}; expected one of {}", at(".type"), terms::type_ids()))
        })?;
        if !kinds.iter().any(|k: &&KindSpec| k.kind == kind.kind) {
            kinds.push(kind);
        }
    }
    let limit = match fields.get("limit") {
        None | Some(Json::Null) => DEFAULT_LIMIT,
        Some(n) => n
            .as_u64()
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0 && *f >= 1.0).map(|f| f as u64))
            .filter(|n| *n >= 1)
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| bad(format!("{}: expected a whole number from 1", at(".limit"))))?
            .min(MAX_LIMIT),
    };
    let strict = match fields.get("type_strict") {
        None | Some(Json::Null) => TypeStrict::Any,
        Some(Json::String(s)) if s == "any" => TypeStrict::Any,
        Some(Json::String(s)) if s == "all" => TypeStrict::All,
        Some(Json::String(s)) if s == "should" => TypeStrict::Should,
        Some(_) => return Err(bad(format!("{}: expected \"any\", \"all\" or \"should\"", at(".type_strict")))),
    };
    let mut properties = Vec::new();
    match fields.get("properties") {
        None | Some(Json::Null) => {}
        Some(Json::Array(items)) => {
            if items.len() > MAX_PROPERTIES {
                return Err(bad(format!("{}: at most {MAX_PROPERTIES} properties", at(".properties"))));
            }
            for (i, item) in items.iter().enumerate() {
                properties.push(read_property(ns, &at(&format!(".properties[{i}]")), item)?);
            }
        }
        Some(_) => return Err(bad(format!("{}: expected an array of {{\"pid\", \"v\"}} objects", at(".properties")))),
    }
    if text.is_none() && properties.is_empty() {
        return Err(bad(format!("{}: expected a non-empty \"query\" or at least one property", at(""))));
    }
    Ok(Query { text, kinds, strict, limit, properties })
}

fn read_property(ns: &Namespaces, at: &str, json: &Json) -> Result<(Property, Vec<Given>), HttpError> {
    let Json::Object(fields) = json else {
        return Err(bad(format!("{at}: expected an object {{\"pid\": PROPERTY, \"v\": VALUE}}")));
    };
    let pid = fields
        .get("pid")
        .and_then(Json::as_str)
        .ok_or_else(|| bad(format!("{at}.pid: expected a property id (one of {})", terms::property_ids())))?;
    let property = terms::property(ns, pid)
        .ok_or_else(|| bad(format!("{at}.pid: unknown property {pid:?}; expected one of {}", terms::property_ids())))?;
    let one = |v: &Json| -> Result<Given, HttpError> {
        match v {
            Json::String(s) => Ok(Given::Text(s.clone())),
            Json::Number(n) => Ok(Given::Text(n.to_string())),
            Json::Bool(b) => Ok(Given::Text(b.to_string())),
            Json::Object(o) => match o.get("id") {
                Some(Json::String(id)) => Ok(Given::Id(id.clone())),
                _ => Err(bad(format!("{at}.v: an entity value needs an \"id\" string"))),
            },
            _ => Err(bad(format!("{at}.v: expected a string, number, boolean or {{\"id\"}}, or an array of them"))),
        }
    };
    let values = match fields.get("v") {
        Some(Json::Array(items)) => {
            if items.len() > MAX_VALUES {
                return Err(bad(format!("{at}.v: at most {MAX_VALUES} values")));
            }
            items.iter().map(one).collect::<Result<Vec<_>, _>>()?
        }
        Some(v) => vec![one(v)?],
        None => return Err(bad(format!("{at}.v: expected the value to compare"))),
    };
    Ok((property, values))
}

/// A type as a candidate gives it.
#[derive(Debug, Serialize)]
pub(crate) struct TypeRef {
    pub(crate) id: &'static str,
    pub(crate) name: &'static str,
}

/// A matching feature of a candidate.
#[derive(Debug, Serialize)]
struct Feature {
    id: &'static str,
    value: f64,
}

/// One candidate of a query.
#[derive(Debug, Serialize)]
pub(crate) struct Candidate {
    id: String,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(rename = "type")]
    types: Vec<TypeRef>,
    score: f64,
    features: Vec<Feature>,
    #[serde(rename = "match")]
    matched: bool,
}

/// The answer to one query.
#[derive(Debug, Serialize)]
pub(crate) struct Answer {
    result: Vec<Candidate>,
}

/// What the queries read: the store and its index.
pub(crate) struct Sources<'a> {
    pub(crate) store: &'a Store,
    pub(crate) index: &'a SearchIndex,
    pub(crate) ns: &'a Namespaces,
    pub(crate) lang: Lang,
}

/// Answers every query of a batch read by [`parse_batch`].
pub(crate) fn answer_batch(sources: &Sources<'_>, batch: &[(String, Query)]) -> Result<Map<String, Json>, HttpError> {
    let mut out = Map::new();
    for (key, query) in batch {
        let answer = answer(sources, query)?;
        out.insert(key.clone(), serde_json::to_value(answer).map_err(internal)?);
    }
    Ok(out)
}

fn internal(e: impl std::fmt::Display) -> HttpError {
    HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
}

/// How a candidate was found.
struct Found {
    record: Record,
    /// The name score (0 to 100).
    name: f64,
    /// An exact name, or the id.
    exact: bool,
}

fn tier_score(tier: Tier) -> f64 {
    match tier {
        Tier::Exact => 100.0,
        Tier::Prefix => 80.0,
        Tier::Word => 60.0,
        Tier::Substring => 40.0,
    }
}

/// How much of the closest name holding `text` (or its words) it covers
/// (0 to 1).
fn coverage(text: &str, record: &Record) -> f64 {
    let text = normalize(text);
    let words: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let length = text.chars().count() as f64;
    record
        .labels
        .iter()
        .chain(&record.aliases)
        .map(|t| normalize(&t.text))
        .filter(|n| n.contains(&text) || (!words.is_empty() && words.iter().all(|w| n.contains(w))))
        .map(|n| n.chars().count() as f64)
        .filter(|n| *n > 0.0)
        .map(|n| (length / n).min(1.0))
        .fold(0.0, f64::max)
}

fn answer(sources: &Sources<'_>, query: &Query) -> Result<Answer, HttpError> {
    let Sources { store, index, ns, lang } = *sources;
    let filter: Vec<&str> = match query.strict {
        TypeStrict::Should => Vec::new(),
        TypeStrict::Any | TypeStrict::All => query.kinds.iter().map(|k| k.name).collect(),
    };
    if query.strict == TypeStrict::All && query.kinds.len() > 1 {
        // An entity has one kind: none is of two.
        return Ok(Answer { result: Vec::new() });
    }
    let wanted = |record: &Record| filter.is_empty() || filter.contains(&record.kind.as_str());
    let window = query.window();
    let mut found: Vec<Found> = Vec::new();
    if let Some(text) = &query.text {
        if let Some(iri) = facts::entity_iri(store, ns, text)?
            && let Some(record) = facts::record(store, ns, &iri)?
            && wanted(&record)
        {
            found.push(Found { record, name: 100.0, exact: true });
        }
        let page = index.search_kinds(text, lang.tag(), &filter, 0, window).map_err(internal)?;
        for hit in page.hits {
            if found.iter().any(|f| f.record.iri == hit.record.iri) {
                continue;
            }
            let name = match hit.tier {
                Tier::Exact => 100.0,
                tier => tier_score(tier) + (19.0 * coverage(text, &hit.record)).floor(),
            };
            found.push(Found { record: hit.record, name, exact: hit.tier == Tier::Exact });
        }
    } else {
        for record in by_properties(sources, query, window)? {
            if wanted(&record) {
                found.push(Found { record, name: 0.0, exact: false });
            }
        }
    }
    // What each property's values name, resolved once per query.
    let mut resolved: Vec<(Property, Vec<Resolved>)> = Vec::with_capacity(query.properties.len());
    for (property, values) in &query.properties {
        let mut all = Vec::new();
        for v in values {
            all.push(resolve(sources, *property, v)?);
        }
        resolved.push((*property, all));
    }
    let mut scored = Vec::with_capacity(found.len());
    for f in found {
        let mut agree = 0usize;
        let iri = NamedNode::new_unchecked(f.record.iri.clone());
        for (property, values) in &resolved {
            if agrees(store, ns, &iri, &f.record, *property, values)? {
                agree += 1;
            }
        }
        let total = resolved.len();
        let share = if total == 0 { 1.0 } else { agree as f64 / total as f64 };
        let named = query.text.is_some();
        let mut score = if named { f.name * (1.0 + 2.0 * share) / 3.0 } else { 100.0 * share };
        let of_type = query.kinds.is_empty() || query.kinds.iter().any(|k| k.name == f.record.kind);
        if !of_type {
            score *= 0.8;
        }
        let score = (score * 10.0).round() / 10.0;
        let certain = (f.exact || !named) && agree == total && of_type && (named || total > 0);
        let mut features = vec![Feature { id: "name", value: f.name }];
        if total > 0 {
            features.push(Feature { id: "properties", value: (share * 100.0).round() / 100.0 });
        }
        scored.push((certain, score, f.record, features));
    }
    // Best first; ties keep the index's order (stable sort).
    scored.sort_by(|a, b| b.1.total_cmp(&a.1));
    scored.truncate(query.limit);
    let certain = scored.iter().filter(|c| c.0).count();
    let result = scored
        .into_iter()
        .map(|(sure, score, record, features)| candidate(ns, lang, record, score, features, sure && certain == 1))
        .collect();
    Ok(Answer { result })
}

/// A candidate as the answer gives it.
fn candidate(
    _ns: &Namespaces,
    lang: Lang,
    record: Record,
    score: f64,
    features: Vec<Feature>,
    matched: bool,
) -> Candidate {
    let kind = coopgraph_model::schema::EntityKind::from_name(&record.kind).map(|k| k.spec());
    let name = facts::name_of(&record, lang);
    let description = record.label_in(lang.other().tag()).filter(|other| *other != name).map(str::to_owned);
    Candidate {
        id: record.id,
        name,
        description,
        types: kind.map(|k| TypeRef { id: terms::type_id(k), name: terms::type_name(k, lang) }).into_iter().collect(),
        score,
        features,
        matched,
    }
}

/// The candidates of a query without text: the entities that have the
/// entity value of its first property that names one.
fn by_properties(sources: &Sources<'_>, query: &Query, window: usize) -> Result<Vec<Record>, HttpError> {
    let Sources { store, ns, .. } = *sources;
    for (property, values) in &query.properties {
        let mut out: BTreeMap<String, Record> = BTreeMap::new();
        match property {
            Property::Label(lang) => {
                for v in values {
                    let (Given::Text(t) | Given::Id(t)) = v;
                    let page = sources.index.search(t, lang.tag(), 0, window).map_err(internal)?;
                    for hit in page.hits.into_iter().filter(|h| h.tier == Tier::Exact) {
                        out.insert(hit.record.iri.clone(), hit.record);
                    }
                }
            }
            Property::Wikidata | Property::Relation(_) => {
                for v in values {
                    for target in resolve(sources, *property, v)?.targets {
                        for iri in facts::having(store, ns, *property, &target, window)? {
                            if let Some(record) = facts::record(store, ns, &iri)? {
                                out.insert(record.iri.clone(), record);
                            }
                        }
                    }
                }
            }
        }
        if !out.is_empty() {
            return Ok(out.into_values().take(window).collect());
        }
    }
    Ok(Vec::new())
}

/// A given value, resolved: the entities (or Wikidata item) it names, and
/// its text folded for comparing names.
struct Resolved {
    targets: Vec<NamedNode>,
    folded: String,
}

fn resolve(sources: &Sources<'_>, property: Property, given: &Given) -> Result<Resolved, HttpError> {
    let Sources { store, index, ns, lang } = *sources;
    let text = match given {
        Given::Text(t) | Given::Id(t) => t.as_str(),
    };
    let folded = normalize(text);
    let targets = match property {
        Property::Label(_) => Vec::new(),
        Property::Wikidata => facts::wikidata_item(text).into_iter().collect(),
        Property::Relation(r) => {
            if let Some(iri) = facts::entity_iri(store, ns, text)? {
                vec![iri]
            } else if matches!(given, Given::Id(_)) {
                Vec::new()
            } else {
                // A name: the entities of the relation's other end called that.
                let mut kinds: Vec<&str> = r.object_kinds().iter().map(|k| k.name()).collect();
                if r.symmetric {
                    kinds.extend(r.subject_kinds().iter().map(|k| k.name()));
                }
                index
                    .search_kinds(text, lang.tag(), &kinds, 0, NAMESAKES)
                    .map_err(internal)?
                    .hits
                    .into_iter()
                    .filter(|h| h.tier == Tier::Exact)
                    .map(|h| NamedNode::new_unchecked(h.record.iri))
                    .collect()
            }
        }
    };
    Ok(Resolved { targets, folded })
}

/// Does the candidate have one of the values given for `property`?
fn agrees(
    store: &Store,
    ns: &Namespaces,
    iri: &NamedNode,
    record: &Record,
    property: Property,
    values: &[Resolved],
) -> Result<bool, HttpError> {
    for v in values {
        let hit = match property {
            Property::Label(lang) => record
                .labels
                .iter()
                .chain(&record.aliases)
                .filter(|t| t.lang == lang.tag())
                .any(|t| normalize(&t.text) == v.folded),
            Property::Wikidata | Property::Relation(_) => {
                let mut any = false;
                for target in &v.targets {
                    if facts::links_to(store, ns, iri, property, target)? {
                        any = true;
                        break;
                    }
                }
                any
            }
        };
        if hit {
            return Ok(true);
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Result<Query, HttpError> {
        let ns = Namespaces::default();
        let value: Json = serde_json::from_str(json).unwrap();
        read_query(&ns, "q0", &value)
    }

    #[test]
    fn a_full_query_reads_with_types_by_any_name() {
        let q = read(
            r#"{"query":"China","type":["Country","country"],"limit":3,"type_strict":"should",
                "properties":[{"pid":"member_of","v":["sco",{"id":"asean"}]},{"pid":"label_zh","v":"中国"}]}"#,
        )
        .unwrap();
        assert_eq!(q.text.as_deref(), Some("China"));
        assert_eq!(q.kinds.len(), 1);
        assert_eq!(q.limit, 3);
        assert_eq!(q.strict, TypeStrict::Should);
        assert_eq!(q.properties.len(), 2);
        assert_eq!(q.properties.first().map(|p| p.1.len()), Some(2));
    }

    #[test]
    fn mistakes_are_named_with_what_was_expected() {
        for (json, expected) in [
            (r#"{"query": 3}"#, "queries[\"q0\"].query: expected a string"),
            (r#"{"query": "x", "type": "Person"}"#, "unknown type \"Person\"; expected one of Country"),
            (r#"{"query": "x", "limit": 0}"#, ".limit: expected a whole number from 1"),
            (r#"{"query": "x", "limit": 1.5}"#, ".limit: expected a whole number from 1"),
            (r#"{"query": "x", "type_strict": "some"}"#, "expected \"any\", \"all\" or \"should\""),
            (r#"{"query": "x", "properties": [{"pid": "colour", "v": "red"}]}"#, "unknown property \"colour\""),
            (r#"{"query": "x", "properties": [{"pid": "memberOf"}]}"#, ".v: expected the value"),
            (r#"{"query": "x", "properties": {}}"#, ".properties: expected an array"),
            (r#"{"query": ""}"#, "expected a non-empty \"query\" or at least one property"),
            (r#"{"qeury": "x"}"#, "unknown field \"qeury\""),
            (r#"[]"#, "expected an object"),
        ] {
            let e = read(json).unwrap_err();
            assert_eq!(e.status, StatusCode::BAD_REQUEST);
            assert!(e.message.contains(expected), "{json}: {}", e.message);
        }
    }

    #[test]
    fn a_batch_is_an_object_of_bounded_size() {
        let ns = Namespaces::default();
        assert!(parse_batch(&ns, "[1]").unwrap_err().message.contains("expected a JSON object"));
        assert!(parse_batch(&ns, "{").unwrap_err().message.contains("not JSON"));
        let many: Map<String, Json> =
            (0..=MAX_QUERIES).map(|i| (format!("q{i}"), serde_json::json!({"query": "x"}))).collect();
        let text = Json::Object(many).to_string();
        assert!(parse_batch(&ns, &text).unwrap_err().message.contains("at most 100"));
        assert_eq!(parse_batch(&ns, r#"{"a":{"query":"x"},"b":{"query":"y"}}"#).unwrap().len(), 2);
        // Within the count of queries, but too much work: refused before any.
        let values: Vec<String> = (0..MAX_VALUES).map(|i| format!("\"v{i}\"")).collect();
        let properties: Vec<String> =
            (0..MAX_PROPERTIES).map(|_| format!(r#"{{"pid":"memberOf","v":[{}]}}"#, values.join(","))).collect();
        let heavy: Vec<String> = (0..MAX_QUERIES)
            .map(|i| format!(r#""q{i}":{{"query":"x","limit":100,"properties":[{}]}}"#, properties.join(",")))
            .collect();
        let e = parse_batch(&ns, &format!("{{{}}}", heavy.join(","))).err().unwrap();
        assert!(e.message.contains("more than 200000"), "{}", e.message);
    }
}
