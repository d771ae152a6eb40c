//! What reconciliation reads of one entity, by quad patterns that start at
//! the entity (or at a relation and its bound end): its kind and names,
//! its values of a property (at most a limit), and whether it has a given
//! value. No read depends on the size of the store.
//!
//! Every function here blocks: handlers call them from `spawn_blocking`.

use coopgraph_model::schema::{KINDS, KindSpec};
use coopgraph_rdf::oxigraph::model::vocab::{rdf, rdfs};
use coopgraph_rdf::oxigraph::model::{GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNode, Term, TermRef};
use coopgraph_rdf::oxigraph::store::Store;
use coopgraph_rdf::{Namespaces, vocab};
use coopgraph_search::{LangText, Record};

use super::terms::Property;
use crate::error::HttpError;
use crate::i18n::Lang;

/// Names of one entity read at most (labels and aliases).
const NAME_LIMIT: usize = 50;

fn store_error(e: impl std::fmt::Display) -> HttpError {
    HttpError::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, format!("reading the store: {e}"))
}

fn owl_same_as() -> NamedNode {
    NamedNode::new_unchecked(format!("{}sameAs", vocab::OWL))
}

/// The objects of `(subject, predicate, ?)`, at most `limit`.
fn objects(
    store: &Store,
    subject: &NamedNode,
    predicate: NamedNodeRef<'_>,
    limit: usize,
) -> Result<Vec<Term>, HttpError> {
    store
        .quads_for_pattern(Some(subject.into()), Some(predicate), None, Some(GraphNameRef::DefaultGraph))
        .take(limit)
        .map(|q| q.map(|q| q.object).map_err(store_error))
        .collect()
}

/// The named subjects of `(?, predicate, object)`, at most `limit`.
fn subjects(
    store: &Store,
    predicate: NamedNodeRef<'_>,
    object: TermRef<'_>,
    limit: usize,
) -> Result<Vec<NamedNode>, HttpError> {
    let mut out = Vec::new();
    for q in store.quads_for_pattern(None, Some(predicate), Some(object), Some(GraphNameRef::DefaultGraph)) {
        if out.len() >= limit {
            break;
        }
        if let NamedOrBlankNode::NamedNode(n) = q.map_err(store_error)?.subject {
            out.push(n);
        }
    }
    Ok(out)
}

/// Is `(subject, predicate, object)` in the store?
fn holds(
    store: &Store,
    subject: &NamedNode,
    predicate: NamedNodeRef<'_>,
    object: TermRef<'_>,
) -> Result<bool, HttpError> {
    let mut it =
        store.quads_for_pattern(Some(subject.into()), Some(predicate), Some(object), Some(GraphNameRef::DefaultGraph));
    Ok(it.next().transpose().map_err(store_error)?.is_some())
}

/// The kind of `iri`, from its classes; `None` when it is no entity.
pub(crate) fn kind(store: &Store, ns: &Namespaces, iri: &NamedNode) -> Result<Option<&'static KindSpec>, HttpError> {
    for class in objects(store, iri, rdf::TYPE, NAME_LIMIT)? {
        if let Term::NamedNode(c) = class
            && let Some(local) = c.as_str().strip_prefix(ns.vocab())
            && let Some(kind) = KINDS.iter().copied().find(|k| k.class_name == local)
        {
            return Ok(Some(kind));
        }
    }
    Ok(None)
}

/// The entity `id` names (a local id or an IRI under the base), if the
/// store holds one.
pub(crate) fn entity_iri(store: &Store, ns: &Namespaces, id: &str) -> Result<Option<NamedNode>, HttpError> {
    let id = id.trim();
    let local = id.strip_prefix(ns.base()).unwrap_or(id);
    let iri = format!("{}{local}", ns.base());
    if ns.entity_id_of(&iri).is_none() {
        return Ok(None);
    }
    let node = NamedNode::new_unchecked(iri);
    Ok(kind(store, ns, &node)?.map(|_| node))
}

/// The record of an entity, as the search index holds it: id, kind,
/// labels and aliases (read from the store); `None` when `iri` is no
/// entity.
pub(crate) fn record(store: &Store, ns: &Namespaces, iri: &NamedNode) -> Result<Option<Record>, HttpError> {
    let Some(kind) = kind(store, ns, iri)? else { return Ok(None) };
    let Some(id) = ns.entity_id_of(iri.as_str()) else { return Ok(None) };
    let texts = |predicate: NamedNodeRef<'_>| -> Result<Vec<LangText>, HttpError> {
        let mut out: Vec<LangText> = objects(store, iri, predicate, NAME_LIMIT)?
            .into_iter()
            .filter_map(|t| match t {
                Term::Literal(l) => Some(LangText::new(l.language().unwrap_or(""), l.value())),
                _ => None,
            })
            .collect();
        out.sort();
        Ok(out)
    };
    let alt_label = NamedNode::new_unchecked(format!("{}altLabel", vocab::SKOS));
    Ok(Some(Record {
        iri: iri.as_str().to_owned(),
        id: id.to_owned(),
        kind: kind.name.to_owned(),
        labels: texts(rdfs::LABEL)?,
        aliases: texts(alt_label.as_ref())?,
    }))
}

/// The entity's description (`dcterms:description`), if it has one.
pub(crate) fn description(store: &Store, iri: &NamedNode) -> Result<Option<String>, HttpError> {
    let predicate = NamedNode::new_unchecked(format!("{}description", vocab::DCTERMS));
    Ok(objects(store, iri, predicate.as_ref(), 1)?.into_iter().find_map(|t| match t {
        Term::Literal(l) => Some(l.value().to_owned()),
        _ => None,
    }))
}

/// One value of a property.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Value {
    /// Text (a label, a Wikidata id).
    Text(String),
    /// Another entity.
    Entity(NamedNode),
}

/// The values of `property` on `iri`, at most `limit`, in a stable order.
/// A relation that reads the same both ways is read in both directions.
pub(crate) fn values(
    store: &Store,
    ns: &Namespaces,
    iri: &NamedNode,
    property: Property,
    limit: usize,
) -> Result<Vec<Value>, HttpError> {
    let mut out = match property {
        Property::Label(lang) => objects(store, iri, rdfs::LABEL, NAME_LIMIT)?
            .into_iter()
            .filter_map(|t| match t {
                Term::Literal(l) if l.language() == Some(lang.tag()) => Some(Value::Text(l.value().to_owned())),
                _ => None,
            })
            .collect(),
        Property::Wikidata => objects(store, iri, owl_same_as().as_ref(), NAME_LIMIT)?
            .into_iter()
            .filter_map(|t| match t {
                Term::NamedNode(n) => n.as_str().strip_prefix(vocab::WD).map(|q| Value::Text(q.to_owned())),
                _ => None,
            })
            .collect(),
        Property::Relation(r) => {
            let predicate = ns.term(r.property);
            let mut found: Vec<Value> = objects(store, iri, predicate.as_ref(), limit)?
                .into_iter()
                .filter_map(|t| match t {
                    Term::NamedNode(n) => Some(Value::Entity(n)),
                    _ => None,
                })
                .collect();
            if r.symmetric && found.len() < limit {
                let more = subjects(store, predicate.as_ref(), iri.into(), limit - found.len())?;
                found.extend(more.into_iter().map(Value::Entity));
            }
            found
        }
    };
    out.sort();
    out.dedup();
    out.truncate(limit);
    Ok(out)
}

/// Does `iri` have `value` as a value of the relation `property`? (Names
/// are compared by the caller, from the record.)
pub(crate) fn links_to(
    store: &Store,
    ns: &Namespaces,
    iri: &NamedNode,
    property: Property,
    value: &NamedNode,
) -> Result<bool, HttpError> {
    match property {
        Property::Relation(r) => {
            let predicate = ns.term(r.property);
            Ok(holds(store, iri, predicate.as_ref(), value.into())?
                || (r.symmetric && holds(store, value, predicate.as_ref(), iri.into())?))
        }
        Property::Wikidata => Ok(holds(store, iri, owl_same_as().as_ref(), value.into())?),
        Property::Label(_) => Ok(false),
    }
}

/// The entities that have `value` for the relation `property` (or the
/// Wikidata item `value`), at most `limit`: the candidates of a query that
/// gives no name.
pub(crate) fn having(
    store: &Store,
    ns: &Namespaces,
    property: Property,
    value: &NamedNode,
    limit: usize,
) -> Result<Vec<NamedNode>, HttpError> {
    match property {
        Property::Relation(r) => {
            let predicate = ns.term(r.property);
            let mut found = subjects(store, predicate.as_ref(), value.into(), limit)?;
            if r.symmetric && found.len() < limit {
                for t in objects(store, value, predicate.as_ref(), limit - found.len())? {
                    if let Term::NamedNode(n) = t {
                        found.push(n);
                    }
                }
            }
            Ok(found)
        }
        Property::Wikidata => subjects(store, owl_same_as().as_ref(), value.into(), limit),
        Property::Label(_) => Ok(Vec::new()),
    }
}

/// The Wikidata item a value names (`Q148`, `wd:Q148` or its IRI).
pub(crate) fn wikidata_item(text: &str) -> Option<NamedNode> {
    let text = text.trim();
    let id = text.strip_prefix(vocab::WD).or_else(|| text.strip_prefix("wd:")).unwrap_or(text);
    let digits = id.strip_prefix('Q').or_else(|| id.strip_prefix('q'))?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(NamedNode::new_unchecked(format!("{}Q{digits}", vocab::WD)))
}

/// The name of an entity to show in `lang`: its label in `lang`, else in
/// English, else its id.
pub(crate) fn name_of(record: &Record, lang: Lang) -> String {
    record.label(lang.tag()).unwrap_or(&record.id).to_owned()
}

/// The label of `iri` in `lang` (else English, else any), read from the
/// store; its local id when it has none.
pub(crate) fn label(store: &Store, ns: &Namespaces, iri: &NamedNode, lang: Lang) -> Result<String, HttpError> {
    let mut labels: Vec<(String, String)> = objects(store, iri, rdfs::LABEL, NAME_LIMIT)?
        .into_iter()
        .filter_map(|t| match t {
            Term::Literal(l) => Some((l.language().unwrap_or("").to_owned(), l.value().to_owned())),
            _ => None,
        })
        .collect();
    labels.sort();
    let find = |tag: &str| labels.iter().find(|(l, _)| l == tag).map(|(_, v)| v.clone());
    Ok(find(lang.tag())
        .or_else(|| find("en"))
        .or_else(|| labels.first().map(|(_, v)| v.clone()))
        .unwrap_or_else(|| ns.entity_id_of(iri.as_str()).unwrap_or(iri.as_str()).to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wikidata_items_are_read_in_their_three_spellings() {
        let q = Some(NamedNode::new_unchecked("http://www.wikidata.org/entity/Q148"));
        assert_eq!(wikidata_item("Q148"), q);
        assert_eq!(wikidata_item(" wd:Q148"), q);
        assert_eq!(wikidata_item("http://www.wikidata.org/entity/Q148"), q);
        for bad in ["", "Q", "Q14x", "P31", "148"] {
            assert_eq!(wikidata_item(bad), None, "{bad}");
        }
    }
}
