//! The on-disk Oxigraph store (RocksDB): built in a staging folder with the
//! bulk loader and swapped in only when complete.

use std::path::{Path, PathBuf};

use oxigraph::model::{GraphName, GraphNameRef, Quad};
use oxigraph::store::Store;

use crate::RdfError;
use crate::mapping::QuadSet;

/// Default location of the store, relative to the working folder.
pub const DEFAULT_STORE_PATH: &str = ".coopgraph/store";

/// What a store build produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreSummary {
    /// Quads in the named graphs.
    pub quads: usize,
    /// Named graphs in the store.
    pub graphs: usize,
    /// Triples in the default graph (the union of the named graphs).
    pub union_triples: usize,
}

/// The quads as the store holds them: every named graph, plus their union
/// as the default graph. Oxigraph's "default graph as union" option
/// repeats a triple once per graph that holds it (a relation cited by three
/// documents would match three times, and a pattern of four such triples 81
/// times); a materialised union is the RDF merge SPARQL users expect.
pub fn store_quads(quads: &QuadSet) -> impl Iterator<Item = Quad> + '_ {
    let union = crate::export::union_triples(quads.iter());
    quads
        .iter()
        .cloned()
        .chain(union.into_iter().map(|t| Quad::new(t.subject, t.predicate, t.object, GraphName::DefaultGraph)))
}

fn sibling(path: &Path, tag: &str) -> PathBuf {
    let name = path.file_name().map_or_else(|| "store".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.{tag}-{}", std::process::id()))
}

/// Builds a new store at `path` from `quads`. The store is written in a
/// staging folder beside `path` and renamed into place at the end; if
/// anything fails, the previous store at `path` is left as it was.
pub fn build_store(path: &Path, quads: &QuadSet) -> Result<StoreSummary, RdfError> {
    let io = |what: &str, e: std::io::Error| RdfError::Io(format!("{what} {}: {e}", path.display()));
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| io("cannot create the folder of", e))?;
    }
    let staging = sibling(path, "tmp");
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(|e| io("cannot clear the staging folder of", e))?;
    }
    let summary = (|| {
        let store = Store::open(&staging)?;
        let mut loader = store.bulk_loader();
        loader.load_quads(store_quads(quads))?;
        loader.commit()?;
        store.optimize()?;
        let union_triples = store.quads_for_pattern(None, None, None, Some(GraphNameRef::DefaultGraph)).count();
        let summary =
            StoreSummary { quads: store.len()? - union_triples, graphs: store.named_graphs().count(), union_triples };
        drop(store);
        Ok::<_, oxigraph::store::StorageError>(summary)
    })();
    let summary = match summary {
        Ok(s) => s,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(RdfError::Store(e.to_string()));
        }
    };
    let old = sibling(path, "old");
    let had_old = path.exists();
    if had_old {
        std::fs::rename(path, &old).map_err(|e| io("cannot move aside the previous store at", e))?;
    }
    if let Err(e) = std::fs::rename(&staging, path) {
        if had_old {
            let _ = std::fs::rename(&old, path);
        }
        let _ = std::fs::remove_dir_all(&staging);
        return Err(io("cannot move the new store into", e));
    }
    if had_old {
        std::fs::remove_dir_all(&old).map_err(|e| io("cannot remove the previous store beside", e))?;
    }
    Ok(summary)
}

/// Opens a built store for reading.
pub fn open_store(path: &Path) -> Result<Store, RdfError> {
    if !path.join("CURRENT").exists() {
        return Err(RdfError::Io(format!(
            "no store at {}: run `coopgraph build` first (or pass --store PATH)",
            path.display()
        )));
    }
    Store::open_read_only(path)
        .map_err(|e| RdfError::Store(format!("cannot open the store at {}: {e}", path.display())))
}

/// An in-memory store holding `quads`, for `--memory` runs and tests.
pub fn memory_store(quads: &QuadSet) -> Result<Store, RdfError> {
    let store = Store::new().map_err(|e| RdfError::Store(e.to_string()))?;
    store.extend(store_quads(quads)).map_err(|e| RdfError::Store(e.to_string()))?;
    Ok(store)
}
