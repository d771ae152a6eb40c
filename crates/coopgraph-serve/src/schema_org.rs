//! schema.org markup for search engines: each entity page embeds a JSON-LD
//! description of its entity (`<script type="application/ld+json">`), typed
//! by the schema's table of kinds ([`coopgraph_model::schema::SCHEMA_ORG_TYPES`]).
//! The context is inline (`@vocab` schema.org), so that a reader needs no
//! network to expand it.

use coopgraph_rdf::Namespaces;
use coopgraph_rdf::oxigraph::model::NamedNode;
use coopgraph_rdf::vocab;
use serde_json::{Value, json};

use crate::describe::EntityView;

/// Language-tagged values, in language order.
fn tagged(values: impl IntoIterator<Item = (String, String)>) -> Vec<Value> {
    values.into_iter().map(|(lang, v)| json!({ "@value": v, "@language": lang })).collect()
}

/// The JSON-LD of the entity `iri` shown at `page_url`, as text safe to put
/// inside a `<script>` element.
pub(crate) fn entity(ns: &Namespaces, iri: &NamedNode, page_url: &str, view: &EntityView) -> String {
    let kind_type = view.kind.map_or("Thing", |k| {
        let category = view
            .classes
            .iter()
            .filter_map(|c| c.as_str().strip_prefix(ns.vocab()))
            .find(|c| k.categories.iter().any(|cat| cat.class_name == *c));
        k.schema_org_type(category)
    });
    let mut doc = serde_json::Map::new();
    doc.insert("@context".into(), json!({ "@vocab": vocab::SCHEMA }));
    doc.insert("@type".into(), json!(kind_type));
    doc.insert("@id".into(), json!(iri.as_str()));
    doc.insert("url".into(), json!(page_url));
    doc.insert("mainEntityOfPage".into(), json!(page_url));
    if let Some(id) = ns.entity_id_of(iri.as_str()) {
        doc.insert("identifier".into(), json!(id));
    }
    if let Some(labels) = view.labels.get(iri.as_str()) {
        doc.insert("name".into(), json!(tagged(labels.iter().map(|(l, v)| (l.clone(), v.clone())))));
    }
    if !view.aliases.is_empty() {
        doc.insert("alternateName".into(), json!(tagged(view.aliases.iter().cloned())));
    }
    if let Some(d) = &view.description {
        doc.insert("description".into(), json!({ "@value": d, "@language": "en" }));
    }
    if let Some(q) = &view.wikidata {
        doc.insert("sameAs".into(), json!(format!("{}{q}", vocab::WD)));
    }
    // Dates: an event's start and end; a treaty's date is when it was made.
    for (local, value) in &view.dates {
        let key = match (kind_type, *local) {
            ("Event", l) if l == vocab::START || l == vocab::DATE => "startDate",
            ("Event", l) if l == vocab::END => "endDate",
            ("Legislation", l) if l == vocab::DATE || l == vocab::START => "legislationDate",
            (_, l) if l == vocab::START => "foundingDate",
            (_, l) if l == vocab::END => "dissolutionDate",
            _ => continue,
        };
        if !doc.contains_key(key) {
            doc.insert(key.into(), json!(value));
        }
    }
    // `</script>` or `<!--` inside a string must not end the element.
    Value::Object(doc).to_string().replace('<', "\\u003c")
}
