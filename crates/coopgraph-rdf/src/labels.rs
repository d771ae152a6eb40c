//! The names of a finished store's entities, read for the search index: one
//! rule for `build` and `import`, both of which write the index into the
//! store's sidecar folder (`search/`) before the store is swapped in.
//!
//! Entities are the instances of the kind classes of
//! `coopgraph_model::schema::KINDS` in the default graph (the union), in
//! kind order; each gets its `rdfs:label`s and `skos:altLabel`s, read by
//! index lookups (`quads_for_pattern`) from the entity, never by a scan.

use std::path::{Path, PathBuf};

use coopgraph_model::schema::KINDS;
use coopgraph_search::{LangText, Record, SearchIndex};
use oxigraph::model::{GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Term};
use oxigraph::store::Store;

use crate::{Namespaces, RdfError, vocab};

/// The name of the search index's folder inside a store's sidecar folder.
pub const SEARCH_DIR: &str = "search";

/// The search index's folder inside the sidecar folder `sidecar`.
pub fn search_dir(sidecar: &Path) -> PathBuf {
    sidecar.join(SEARCH_DIR)
}

/// The search record of every entity of `store`, kind by kind; within a
/// kind in the store's index order (the same for the same data).
pub fn entity_records<'a>(store: &'a Store, ns: &'a Namespaces) -> impl Iterator<Item = Result<Record, RdfError>> + 'a {
    let rdf_type = NamedNode::new_unchecked(format!("{}type", vocab::RDF));
    let label = NamedNode::new_unchecked(format!("{}label", vocab::RDFS));
    let alt_label = NamedNode::new_unchecked(format!("{}altLabel", vocab::SKOS));
    KINDS.iter().flat_map(move |kind| {
        let class = ns.term(kind.class_name);
        let instances = store.quads_for_pattern(
            None,
            Some(rdf_type.as_ref()),
            Some(class.as_ref().into()),
            Some(GraphNameRef::DefaultGraph),
        );
        let (label, alt_label) = (label.clone(), alt_label.clone());
        instances.filter_map(move |quad| {
            let quad = match quad {
                Ok(quad) => quad,
                Err(e) => return Some(Err(store_error(e))),
            };
            let NamedOrBlankNode::NamedNode(entity) = quad.subject else { return None };
            Some(record(store, ns, entity.as_ref(), kind.name, label.as_ref(), alt_label.as_ref()))
        })
    })
}

/// One entity's record.
fn record(
    store: &Store,
    ns: &Namespaces,
    entity: NamedNodeRef<'_>,
    kind: &str,
    label: NamedNodeRef<'_>,
    alt_label: NamedNodeRef<'_>,
) -> Result<Record, RdfError> {
    let texts = |property: NamedNodeRef<'_>| -> Result<Vec<LangText>, RdfError> {
        let mut texts = Vec::new();
        for quad in store.quads_for_pattern(
            Some(NamedOrBlankNodeRef::from(entity)),
            Some(property),
            None,
            Some(GraphNameRef::DefaultGraph),
        ) {
            if let Term::Literal(literal) = quad.map_err(store_error)?.object {
                texts.push(LangText::new(literal.language().unwrap_or(""), literal.value()));
            }
        }
        texts.sort();
        Ok(texts)
    };
    let iri = entity.as_str();
    Ok(Record {
        iri: iri.to_owned(),
        id: ns.entity_id_of(iri).unwrap_or(iri).to_owned(),
        kind: kind.to_owned(),
        labels: texts(label)?,
        aliases: texts(alt_label)?,
    })
}

fn store_error(e: oxigraph::store::StorageError) -> RdfError {
    RdfError::Store(e.to_string())
}

fn search_error(e: coopgraph_search::SearchError) -> RdfError {
    RdfError::Store(e.to_string())
}

/// Writes the search index of `store` into `search_dir(sidecar)`: what
/// `build` and `import` pass to the store as its sidecar writer. Returns the
/// number of entities indexed.
pub fn write_search_index(store: &Store, sidecar: &Path, ns: &Namespaces) -> Result<u64, RdfError> {
    index_records(store, ns, |records| SearchIndex::build(&search_dir(sidecar), records)).map(|index| index.len())
}

/// The search index of `store`, built in memory (for a store without one
/// on disk, such as `serve --memory`'s).
pub fn search_index_in_ram(store: &Store, ns: &Namespaces) -> Result<SearchIndex, RdfError> {
    index_records(store, ns, |records| SearchIndex::in_ram(records))
}

/// Hands the records of `store` to `index` as one stream that stops at the
/// first store error; that error is returned in place of the index.
fn index_records(
    store: &Store,
    ns: &Namespaces,
    index: impl FnOnce(&mut dyn Iterator<Item = Record>) -> Result<SearchIndex, coopgraph_search::SearchError>,
) -> Result<SearchIndex, RdfError> {
    let mut failed = None;
    let mut records = entity_records(store, ns).map_while(|r| r.map_err(|e| failed = Some(e)).ok());
    let built = index(&mut records).map_err(search_error)?;
    match failed {
        Some(e) => Err(e),
        None => Ok(built),
    }
}

/// Opens the search index in the sidecar folder `sidecar`, `None` when the
/// store has none.
pub fn open_search_index(sidecar: &Path) -> Result<Option<SearchIndex>, RdfError> {
    let dir = search_dir(sidecar);
    if !dir.is_dir() {
        return Ok(None);
    }
    SearchIndex::open(&dir).map(Some).map_err(search_error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MappingOptions, map_dataset};

    fn curated_store() -> (Store, Namespaces) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
        let dataset = coopgraph_load::load_dir(&root).unwrap();
        let ns = Namespaces::default();
        let quads = map_dataset(&dataset, &ns, MappingOptions::default());
        (crate::store::memory_store(&quads).unwrap(), ns)
    }

    #[test]
    fn every_entity_of_the_curated_data_has_a_record_with_its_names() {
        let (store, ns) = curated_store();
        let records: Vec<Record> = entity_records(&store, &ns).collect::<Result<_, _>>().unwrap();
        assert_eq!(records.len(), 176);
        let sco = records.iter().find(|r| r.id == "sco").unwrap();
        assert_eq!(sco.kind, "organization");
        assert_eq!(sco.label("en"), Some("Shanghai Cooperation Organisation"));
        assert_eq!(sco.label_in("zh"), Some("上海合作组织"));
        assert!(sco.aliases.contains(&LangText::new("en", "SCO")));
        // Again, the same records in the same order.
        let again: Vec<Record> = entity_records(&store, &ns).collect::<Result<_, _>>().unwrap();
        assert_eq!(again, records);
    }

    #[test]
    fn the_index_on_disk_and_in_memory_answer_alike() {
        let (store, ns) = curated_store();
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(write_search_index(&store, dir.path(), &ns).unwrap(), 176);
        let disk = open_search_index(dir.path()).unwrap().unwrap();
        let memory = search_index_in_ram(&store, &ns).unwrap();
        for query in ["sco", "上合", "上海合作組織", "mekong", "interpol"] {
            assert_eq!(disk.search(query, "en", 0, 20).unwrap(), memory.search(query, "en", 0, 20).unwrap(), "{query}");
        }
        assert_eq!(
            disk.search("上海合作組織", "zh", 0, 1).unwrap().hits.first().map(|h| h.record.id.as_str()),
            Some("sco")
        );
        assert!(open_search_index(&dir.path().join("none")).unwrap().is_none());
    }
}
