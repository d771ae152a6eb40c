//! Data extension: the properties proposed for a type, and the values of
//! some properties on many entities (at most [`MAX_IDS`] entities and
//! [`MAX_PROPERTIES`] properties a request, at most a `limit` of values of
//! each, [`DEFAULT_VALUES`] unless the property's settings say).

use std::collections::BTreeMap;

use axum::http::StatusCode;
use coopgraph_rdf::Namespaces;
use coopgraph_rdf::oxigraph::store::Store;
use serde::Serialize;
use serde_json::{Map, Value as Json, json};

use super::facts::{self, Value};
use super::matching::TypeRef;
use super::terms::{self, Property};
use crate::error::HttpError;
use crate::i18n::Lang;

/// Entities of one extension request, at most.
pub(crate) const MAX_IDS: usize = 500;
/// Properties of one extension request, at most.
pub(crate) const MAX_PROPERTIES: usize = 30;
/// Values of one property of one entity, when its settings give no limit.
pub(crate) const DEFAULT_VALUES: usize = 50;
/// The largest limit of values a setting may ask for.
pub(crate) const MAX_VALUES: usize = 500;
/// The most values one request may ask for (ids times the limits of its
/// properties); a larger request is refused with 400, to be sent in
/// smaller ones.
pub(crate) const MAX_CELLS: usize = 100_000;

fn bad(message: impl Into<String>) -> HttpError {
    HttpError::new(StatusCode::BAD_REQUEST, message)
}

/// A property as the proposals and the extension's metadata give it.
#[derive(Debug, Serialize)]
pub(crate) struct PropertyRef {
    id: &'static str,
    name: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'static str>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    value_type: Option<TypeRef>,
}

impl PropertyRef {
    pub(crate) fn of(property: Property, lang: Lang, described: bool) -> Self {
        Self {
            id: property.id(),
            name: property.name(lang),
            description: described.then(|| property.description(lang)),
            value_type: None,
        }
    }
}

/// `GET /reconcile/properties?type=T&limit=N`: the properties of a type.
pub(crate) fn propose(
    ns: &Namespaces,
    type_id: Option<&str>,
    limit: Option<&str>,
    lang: Lang,
) -> Result<Json, HttpError> {
    let Some(type_id) = type_id.filter(|t| !t.is_empty()) else {
        return Err(bad(format!("type: expected a type id, one of {}", terms::type_ids())));
    };
    let kind = terms::kind_of_type(ns, type_id)
        .ok_or_else(|| bad(format!("type={type_id:?}: unknown type; expected one of {}", terms::type_ids())))?;
    let limit = match limit.filter(|l| !l.is_empty()) {
        None => None,
        Some(l) => Some(
            l.parse::<usize>()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(|| bad(format!("limit={l:?}: expected a whole number from 1")))?,
        ),
    };
    let properties: Vec<PropertyRef> = terms::properties()
        .filter(|p| p.applies_to(kind.kind))
        .take(limit.unwrap_or(usize::MAX))
        .map(|p| PropertyRef::of(p, lang, true))
        .collect();
    let mut out = json!({ "type": terms::type_id(kind), "properties": properties });
    if let (Some(limit), Json::Object(map)) = (limit, &mut out) {
        map.insert("limit".into(), json!(limit));
    }
    Ok(out)
}

/// One extension request, read.
pub(crate) struct Request {
    ids: Vec<String>,
    properties: Vec<(Property, usize)>,
}

/// Reads `extend={"ids": [...], "properties": [{"id": ..., "settings": {"limit": N}}]}`.
pub(crate) fn parse(ns: &Namespaces, text: &str) -> Result<Request, HttpError> {
    const SHAPE: &str = "{\"ids\": [ID, ...], \"properties\": [{\"id\": PROPERTY}, ...]}";
    let json: Json =
        serde_json::from_str(text).map_err(|e| bad(format!("extend: not JSON ({e}); expected {SHAPE}")))?;
    let Json::Object(fields) = json else { return Err(bad(format!("extend: expected an object {SHAPE}"))) };
    let Some(Json::Array(ids)) = fields.get("ids") else {
        return Err(bad(format!("extend.ids: expected an array of entity ids, as in {SHAPE}")));
    };
    if ids.len() > MAX_IDS {
        return Err(bad(format!("extend.ids: {} ids; at most {MAX_IDS} in one request", ids.len())));
    }
    let ids = ids
        .iter()
        .map(|id| id.as_str().map(str::to_owned).ok_or_else(|| bad("extend.ids: expected entity ids as strings")))
        .collect::<Result<Vec<_>, _>>()?;
    let Some(Json::Array(items)) = fields.get("properties") else {
        return Err(bad(format!("extend.properties: expected an array of {{\"id\": PROPERTY}}, as in {SHAPE}")));
    };
    if items.len() > MAX_PROPERTIES {
        return Err(bad(format!("extend.properties: at most {MAX_PROPERTIES} in one request")));
    }
    let mut properties = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let at = format!("extend.properties[{i}]");
        let id = item
            .get("id")
            .and_then(Json::as_str)
            .ok_or_else(|| bad(format!("{at}.id: expected a property id (one of {})", terms::property_ids())))?;
        let property = terms::property(ns, id).ok_or_else(|| {
            bad(format!("{at}.id: unknown property {id:?}; expected one of {}", terms::property_ids()))
        })?;
        let limit = match item.get("settings").and_then(|s| s.get("limit")) {
            None | Some(Json::Null) => DEFAULT_VALUES,
            Some(Json::String(s)) if s.is_empty() => DEFAULT_VALUES,
            Some(v) => v
                .as_u64()
                .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
                .filter(|n| *n >= 1)
                .and_then(|n| usize::try_from(n).ok())
                .ok_or_else(|| bad(format!("{at}.settings.limit: expected a whole number from 1")))?
                .min(MAX_VALUES),
        };
        properties.push((property, limit));
    }
    let per_id: usize = properties.iter().map(|(_, limit)| limit).sum();
    let cells = ids.len().saturating_mul(per_id);
    if cells > MAX_CELLS {
        return Err(bad(format!(
            "extend: {} ids times {per_id} values each is more than {MAX_CELLS} values: ask for fewer ids at \
             once, or set a lower limit",
            ids.len()
        )));
    }
    Ok(Request { ids, properties })
}

/// The values of the properties on the entities: `{"meta": [...], "rows": {...}}`.
/// An id the store does not hold gets no values.
pub(crate) fn extend(store: &Store, ns: &Namespaces, request: &Request, lang: Lang) -> Result<Json, HttpError> {
    let meta: Vec<PropertyRef> = request
        .properties
        .iter()
        .map(|(p, _)| {
            let mut r = PropertyRef::of(*p, lang, false);
            r.value_type = p
                .value_kind()
                .map(|k| TypeRef { id: terms::type_id(k.spec()), name: terms::type_name(k.spec(), lang) });
            r
        })
        .collect();
    let mut rows = Map::new();
    // Names of the entities named as values, read once per request.
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for id in &request.ids {
        let mut row = Map::new();
        let iri = facts::entity_iri(store, ns, id)?;
        for (property, limit) in &request.properties {
            let mut cells = Vec::new();
            if let Some(iri) = &iri {
                for value in facts::values(store, ns, iri, *property, *limit)? {
                    match value {
                        Value::Text(text) => cells.push(json!({ "str": text })),
                        Value::Entity(other) => {
                            let Some(other_id) = ns.entity_id_of(other.as_str()) else { continue };
                            let name = match names.get(other.as_str()) {
                                Some(n) => n.clone(),
                                None => {
                                    let n = facts::label(store, ns, &other, lang)?;
                                    names.insert(other.as_str().to_owned(), n.clone());
                                    n
                                }
                            };
                            cells.push(json!({ "id": other_id, "name": name }));
                        }
                    }
                }
            }
            row.insert(property.id().to_owned(), Json::Array(cells));
        }
        rows.insert(id.clone(), Json::Object(row));
    }
    Ok(json!({ "meta": meta, "rows": rows }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_country_is_offered_its_names_and_the_relations_it_may_hold() {
        let ns = Namespaces::default();
        let answer = propose(&ns, Some("Country"), None, Lang::En).unwrap();
        let ids: Vec<&str> = answer["properties"].as_array().unwrap().iter().filter_map(|p| p["id"].as_str()).collect();
        assert_eq!(ids.get(..3), Some(&["label_en", "label_zh", "wikidata"][..]));
        assert!(ids.contains(&"memberOf"));
        assert!(!ids.contains(&"establishedUnder"), "{ids:?}");
        assert_eq!(answer["type"], "Country");
        let two = propose(&ns, Some("country"), Some("2"), Lang::Zh).unwrap();
        assert_eq!(two["properties"].as_array().map(Vec::len), Some(2));
        assert_eq!(two["limit"], 2);
        assert_eq!(two["properties"][0]["name"], "英文名称");
    }

    #[test]
    fn bad_proposals_and_requests_say_what_was_expected() {
        let ns = Namespaces::default();
        assert!(propose(&ns, None, None, Lang::En).unwrap_err().message.contains("expected a type id"));
        assert!(propose(&ns, Some("Person"), None, Lang::En).unwrap_err().message.contains("unknown type"));
        assert!(propose(&ns, Some("Country"), Some("0"), Lang::En).unwrap_err().message.contains("from 1"));
        for (text, expected) in [
            ("nope", "extend: not JSON"),
            ("[]", "extend: expected an object"),
            (r#"{"properties": []}"#, "extend.ids: expected an array"),
            (r#"{"ids": [1], "properties": []}"#, "expected entity ids as strings"),
            (r#"{"ids": ["china"]}"#, "extend.properties: expected an array"),
            (r#"{"ids": ["china"], "properties": [{"id": "colour"}]}"#, "unknown property \"colour\""),
            (r#"{"ids": ["china"], "properties": [{"id": "memberOf", "settings": {"limit": -1}}]}"#, "settings.limit"),
        ] {
            let e = parse(&ns, text).err().unwrap();
            assert_eq!(e.status, StatusCode::BAD_REQUEST);
            assert!(e.message.contains(expected), "{text}: {}", e.message);
        }
        let ids: Vec<String> = (0..MAX_IDS).map(|i| format!("\"e{i}\"")).collect();
        let heavy = format!(
            r#"{{"ids": [{}], "properties": [{{"id": "memberOf", "settings": {{"limit": 500}}}}]}}"#,
            ids.join(",")
        );
        assert!(parse(&ns, &heavy).err().unwrap().message.contains("more than 100000 values"));
        let read = parse(&ns, r#"{"ids": ["china"], "properties": [{"id": "member_of", "settings": {"limit": "3"}}]}"#)
            .unwrap();
        assert_eq!(read.properties.first().map(|p| p.1), Some(3));
    }
}
