//! Entity parameters checked against the store before a bundled query
//! runs: an id that names nothing in the store would give an empty answer
//! that looks like "no results", so the CLI refuses it with the nearest id
//! the store holds (`parameter org: no entity "sco2" in the store (did you
//! mean "sco"?)`). The check reads the store's index from the parameter's
//! IRI; only a miss reads the ids of the store's entities (one pass over
//! the kinds' type index) to find the nearest one.

use coopgraph_model::schema::KINDS;
use oxigraph::model::vocab::rdf;
use oxigraph::model::{NamedOrBlankNode, Term, Variable};
use oxigraph::store::Store;

use crate::query::{LibraryQuery, ParamKind};
use crate::{Namespaces, RdfError};

/// An entity parameter that names nothing in the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownEntity {
    /// The parameter (`org`).
    pub param: String,
    /// The id given (`sco2`).
    pub id: String,
    /// The ids of the store's entities, sorted: where to look for the
    /// nearest one (`coopgraph_load::did_you_mean`).
    pub known: Vec<String>,
}

/// The first entity parameter of `query` among those `given` whose bound
/// IRI is in no triple of `store` as a subject (defaults are not checked:
/// they name entities of the curated data).
pub fn unknown_entity_param(
    query: &LibraryQuery,
    given: &[(String, String)],
    bindings: &[(Variable, Term)],
    store: &Store,
    ns: &Namespaces,
) -> Result<Option<UnknownEntity>, RdfError> {
    let asked = |name: &str| given.iter().any(|(k, _)| k == name);
    for p in query.params.iter().filter(|p| p.kind == ParamKind::Entity && asked(&p.name)) {
        let Some((_, Term::NamedNode(iri))) = bindings.iter().find(|(v, _)| v.as_str() == p.name) else { continue };
        let subject = NamedOrBlankNode::from(iri.clone());
        if store.quads_for_pattern(Some(subject.as_ref()), None, None, None).next().is_some() {
            continue;
        }
        let id = ns.entity_id_of(iri.as_str()).unwrap_or(iri.as_str()).to_owned();
        return Ok(Some(UnknownEntity { param: p.name.clone(), id, known: entity_ids(store, ns)? }));
    }
    Ok(None)
}

/// The ids of the store's entities (instances of a kind), in the store's order.
fn entity_ids(store: &Store, ns: &Namespaces) -> Result<Vec<String>, RdfError> {
    let mut out = Vec::new();
    for kind in KINDS {
        let class = ns.term(kind.class_name);
        let object = Term::NamedNode(class);
        for q in store.quads_for_pattern(None, Some(rdf::TYPE), Some(object.as_ref()), None) {
            let q = q.map_err(|e| RdfError::Store(e.to_string()))?;
            if let NamedOrBlankNode::NamedNode(n) = q.subject
                && let Some(id) = ns.entity_id_of(n.as_str())
            {
                out.push(id.to_owned());
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}
