//! The on-disk Oxigraph store (RocksDB): built in a staging folder with the
//! bulk loader and swapped in only when complete.

use std::path::{Path, PathBuf};

use oxigraph::model::{GraphName, Quad};
use oxigraph::store::Store;

use crate::RdfError;
use crate::mapping::QuadSet;
use crate::sidecar::{StoreStats, sidecar_dir};

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

/// Makes sure the folder of `path` exists and gives an empty staging path
/// beside it, where a new store is built before it is swapped in.
fn prepare_staging(path: &Path) -> Result<PathBuf, RdfError> {
    let io = |what: &str, e: std::io::Error| RdfError::Io(format!("{what} {}: {e}", path.display()));
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| io("cannot create the folder of", e))?;
    }
    let staging = sibling(path, "tmp");
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(|e| io("cannot clear the staging folder of", e))?;
    }
    Ok(staging)
}

/// Writes what goes into a store's sidecar folder besides its statistics
/// (the search index), given the finished store and the sidecar folder of
/// its staging copy. Called before the store is swapped in.
pub type SidecarWriter<'a> = dyn FnMut(&Store, &Path) -> Result<(), RdfError> + 'a;

/// Builds a new store at `path` from `quads`. The store is written in a
/// staging folder beside `path` and renamed into place at the end; if
/// anything fails, the previous store at `path` is left as it was.
pub fn build_store(path: &Path, quads: &QuadSet) -> Result<StoreSummary, RdfError> {
    build_store_with(path, quads, &mut |_, _| Ok(()))
}

/// [`build_store`], with `sidecar` writing more into the store's sidecar
/// folder (after the statistics) before the swap.
pub fn build_store_with(
    path: &Path,
    quads: &QuadSet,
    sidecar: &mut SidecarWriter<'_>,
) -> Result<StoreSummary, RdfError> {
    let staging = prepare_staging(path)?;
    let built = (|| {
        let store = Store::open(&staging).map_err(|e| RdfError::Store(e.to_string()))?;
        let mut loader = store.bulk_loader();
        loader.load_quads(store_quads(quads)).map_err(|e| RdfError::Store(e.to_string()))?;
        loader.commit().map_err(|e| RdfError::Store(e.to_string()))?;
        finish_sidecar(&store, &staging, sidecar)
    })();
    let summary = match built {
        Ok(stats) => StoreSummary {
            quads: usize::try_from(stats.quads).unwrap_or(usize::MAX),
            graphs: stats.graphs.len(),
            union_triples: usize::try_from(stats.triples).unwrap_or(usize::MAX),
        },
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    swap_in(path, &staging)?;
    Ok(summary)
}

/// Compacts the finished store in `staging`, then writes its sidecar: the
/// statistics, then what `sidecar` adds. The store is closed on return.
fn finish_sidecar(store: &Store, staging: &Path, sidecar: &mut SidecarWriter<'_>) -> Result<StoreStats, RdfError> {
    store.optimize().map_err(|e| RdfError::Store(e.to_string()))?;
    let stats = StoreStats::compute(store)?;
    let dir = sidecar_dir(staging);
    stats.write(&dir)?;
    sidecar(store, &dir)?;
    Ok(stats)
}

/// Renames the finished store at `staging` to `path`, moving any previous
/// store aside first and removing it only once the new one is in place.
fn swap_in(path: &Path, staging: &Path) -> Result<(), RdfError> {
    let io = |what: &str, e: std::io::Error| RdfError::Io(format!("{what} {}: {e}", path.display()));
    let old = sibling(path, "old");
    let had_old = path.exists();
    if had_old {
        std::fs::rename(path, &old).map_err(|e| io("cannot move aside the previous store at", e))?;
    }
    if let Err(e) = std::fs::rename(staging, path) {
        if had_old {
            let _ = std::fs::rename(&old, path);
        }
        let _ = std::fs::remove_dir_all(staging);
        return Err(io("cannot move the new store into", e));
    }
    if had_old {
        std::fs::remove_dir_all(&old).map_err(|e| io("cannot remove the previous store beside", e))?;
    }
    Ok(())
}

/// A store being built from a stream of quad batches: the bulk loader runs
/// on its own thread (reading batches from a bounded channel) into a
/// staging folder beside the target, and [`StagedStore::finish`] swaps it
/// into place. Dropped without `finish`, the staging folder is removed and
/// the previous store is untouched.
#[derive(Debug)]
pub struct StagedStore {
    path: PathBuf,
    staging: PathBuf,
    sender: Option<std::sync::mpsc::SyncSender<Vec<Quad>>>,
    loader: Option<std::thread::JoinHandle<Result<Store, oxigraph::store::StorageError>>>,
    sent: u64,
}

/// Settings of the bulk loader.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoaderOptions {
    /// Threads building index files (Oxigraph's default: the cores available).
    pub threads: Option<usize>,
    /// Memory the loader's batches may take, in megabytes (Oxigraph's
    /// default: batches of a million quads per thread).
    pub max_memory_mb: Option<usize>,
}

impl StagedStore {
    /// Starts a new store for `path`.
    pub fn create(path: &Path, options: LoaderOptions) -> Result<Self, RdfError> {
        let staging = prepare_staging(path)?;
        let store = Store::open(&staging).map_err(|e| RdfError::Store(e.to_string()))?;
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<Quad>>(2);
        let loader = std::thread::spawn(move || {
            let mut loader = store.bulk_loader();
            if let Some(n) = options.threads {
                loader = loader.with_num_threads(n);
            }
            if let Some(mb) = options.max_memory_mb {
                loader = loader.with_max_memory_size_in_megabytes(mb);
            }
            loader.load_quads(receiver.into_iter().flatten())?;
            loader.commit()?;
            Ok(store)
        });
        Ok(Self { path: path.to_path_buf(), staging, sender: Some(sender), loader: Some(loader), sent: 0 })
    }

    /// Hands a batch to the loader (waits while two batches are queued).
    pub fn send(&mut self, quads: Vec<Quad>) -> Result<(), RdfError> {
        self.sent += quads.len() as u64;
        let ok = self.sender.as_ref().is_some_and(|s| s.send(quads).is_ok());
        if ok { Ok(()) } else { Err(self.stop().err().unwrap_or_else(|| RdfError::Store("the loader stopped".into()))) }
    }

    /// Quads handed over so far (named-graph quads and their union copies,
    /// before the store removes duplicates).
    pub fn sent(&self) -> u64 {
        self.sent
    }

    fn stop(&mut self) -> Result<Option<Store>, RdfError> {
        self.sender = None;
        match self.loader.take().map(std::thread::JoinHandle::join) {
            None => Ok(None),
            Some(Ok(Ok(store))) => Ok(Some(store)),
            Some(Ok(Err(e))) => Err(RdfError::Store(e.to_string())),
            Some(Err(_)) => Err(RdfError::Store("the loader thread failed".into())),
        }
    }

    /// Waits for the loader, commits, writes the statistics, and swaps the
    /// new store into place.
    pub fn finish(self) -> Result<StoreStats, RdfError> {
        self.finish_with(&mut |_, _| Ok(()))
    }

    /// [`StagedStore::finish`], with `sidecar` writing more into the
    /// store's sidecar folder before the swap.
    pub fn finish_with(mut self, sidecar: &mut SidecarWriter<'_>) -> Result<StoreStats, RdfError> {
        let store = self.stop()?.ok_or_else(|| RdfError::Store("the loader stopped".into()))?;
        let stats = finish_sidecar(&store, &self.staging, sidecar)?;
        drop(store);
        swap_in(&self.path, &self.staging)?;
        Ok(stats)
    }
}

impl Drop for StagedStore {
    fn drop(&mut self) {
        let _ = self.stop();
        if self.staging.exists() {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
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
