//! The on-disk Oxigraph store (RocksDB): built in a staging folder with the
//! bulk loader and swapped in only when complete.

use std::path::{Path, PathBuf};

use oxigraph::model::{GraphName, Quad};
use oxigraph::store::Store;

use crate::RdfError;
use crate::mapping::QuadSet;
use crate::sidecar::{StoreStats, sidecar_dir};
use crate::staging::{Swapped, Target, TargetKind};

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

/// A store built in its staging folder and not yet swapped in; dropped
/// without [`ReadyStore::swap_in`], the staging folder is removed.
#[derive(Debug)]
pub struct ReadyStore {
    staging: PathBuf,
    summary: StoreSummary,
    moved: bool,
}

impl ReadyStore {
    /// What the store holds.
    pub fn summary(&self) -> &StoreSummary {
        &self.summary
    }

    /// Moves the store into place; the previous one stays aside until the
    /// result is finished or undone (see [`Swapped`]).
    pub fn swap_in(mut self, target: &Target) -> Result<Swapped, RdfError> {
        let swapped = target.swap_in(&self.staging)?;
        self.moved = true;
        Ok(swapped)
    }
}

impl Drop for ReadyStore {
    fn drop(&mut self) {
        if !self.moved {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

/// Writes what goes into a store's sidecar folder besides its statistics
/// (the search index), given the finished store and the sidecar folder of
/// its staging copy. Called before the store is swapped in.
pub type SidecarWriter<'a> = dyn FnMut(&Store, &Path) -> Result<(), RdfError> + 'a;

/// Builds a new store for `target` from `quads` in a staging folder beside
/// it, with its sidecar, leaving the target as it is until the result is
/// swapped in.
pub fn load_store(target: &Target, quads: &QuadSet) -> Result<ReadyStore, RdfError> {
    load_store_with(target, quads, &mut |_, _| Ok(()))
}

/// [`load_store`], with `sidecar` writing more into the store's sidecar
/// folder (after the statistics).
pub fn load_store_with(
    target: &Target,
    quads: &QuadSet,
    sidecar: &mut SidecarWriter<'_>,
) -> Result<ReadyStore, RdfError> {
    let staging = target.staging()?;
    // From here on, a failure removes the staging folder (on drop).
    let mut ready =
        ReadyStore { staging, summary: StoreSummary { quads: 0, graphs: 0, union_triples: 0 }, moved: false };
    let store = open_writable(&ready.staging)?;
    let mut loader = store.bulk_loader();
    loader.load_quads(store_quads(quads)).map_err(|e| RdfError::Store(e.to_string()))?;
    loader.commit().map_err(|e| RdfError::Store(e.to_string()))?;
    let stats = finish_sidecar(&store, &ready.staging, sidecar)?;
    drop(store);
    ready.summary = StoreSummary {
        quads: usize::try_from(stats.quads).unwrap_or(usize::MAX),
        graphs: stats.graphs.len(),
        union_triples: usize::try_from(stats.triples).unwrap_or(usize::MAX),
    };
    Ok(ready)
}

/// Builds a new store at `path` from `quads`. The store is written in a
/// staging folder beside `path` and renamed into place at the end; if
/// anything fails, the previous store at `path` is left as it was. A path
/// holding something that is not a coopgraph store is refused.
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
    let target = Target::acquire(path, TargetKind::Store)?;
    let ready = load_store_with(&target, quads, sidecar)?;
    let summary = ready.summary().clone();
    ready.swap_in(&target)?.finish()?;
    Ok(summary)
}

/// Compacts the finished store in `staging`, then writes its sidecar: the
/// statistics, then what `sidecar` adds.
fn finish_sidecar(store: &Store, staging: &Path, sidecar: &mut SidecarWriter<'_>) -> Result<StoreStats, RdfError> {
    compact(store)?;
    let stats = StoreStats::compute(store)?;
    let dir = sidecar_dir(staging);
    stats.write(&dir)?;
    sidecar(store, &dir)?;
    Ok(stats)
}

/// A store being built from a stream of quad batches: the bulk loader runs
/// on its own thread (reading batches from a bounded channel) into a
/// staging folder beside the target, and [`StagedStore::finish`] swaps it
/// into place. Dropped without `finish`, the staging folder is removed and
/// the previous store is untouched.
#[derive(Debug)]
pub struct StagedStore {
    target: Target,
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
    /// Starts a new store for `path` (refused if `path` holds something
    /// that is not a coopgraph store, or another process is writing it).
    pub fn create(path: &Path, options: LoaderOptions) -> Result<Self, RdfError> {
        let target = Target::acquire(path, TargetKind::Store)?;
        let staging = target.staging()?;
        let store = open_writable(&staging)?;
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
        Ok(Self { target, staging, sender: Some(sender), loader: Some(loader), sent: 0 })
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
        self.target.swap_in(&self.staging)?.finish()?;
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
    open_read_only(path)
}

/// Opens (or creates) the on-disk store at `path` for writing.
#[cfg(feature = "rocksdb")]
fn open_writable(path: &Path) -> Result<Store, RdfError> {
    Store::open(path).map_err(|e| RdfError::Store(e.to_string()))
}

/// Opens the on-disk store at `path` for reading.
#[cfg(feature = "rocksdb")]
fn open_read_only(path: &Path) -> Result<Store, RdfError> {
    Store::open_read_only(path)
        .map_err(|e| RdfError::Store(format!("cannot open the store at {}: {e}", path.display())))
}

/// Compacts a finished on-disk store.
#[cfg(feature = "rocksdb")]
fn compact(store: &Store) -> Result<(), RdfError> {
    store.optimize().map_err(|e| RdfError::Store(e.to_string()))
}

/// Built without the `rocksdb` feature (the fuzz project's build), there
/// are stores in memory only: opening one on disk is an error.
#[cfg(not(feature = "rocksdb"))]
fn no_disk_store(path: &Path) -> RdfError {
    RdfError::Store(format!("cannot open the store at {}: built without on-disk stores", path.display()))
}

/// See [`no_disk_store`].
#[cfg(not(feature = "rocksdb"))]
fn open_writable(path: &Path) -> Result<Store, RdfError> {
    Err(no_disk_store(path))
}

/// See [`no_disk_store`].
#[cfg(not(feature = "rocksdb"))]
fn open_read_only(path: &Path) -> Result<Store, RdfError> {
    Err(no_disk_store(path))
}

/// A store in memory has nothing to compact.
#[cfg(not(feature = "rocksdb"))]
fn compact(_store: &Store) -> Result<(), RdfError> {
    Ok(())
}

/// An in-memory store holding `quads`, for `--memory` runs and tests.
pub fn memory_store(quads: &QuadSet) -> Result<Store, RdfError> {
    let store = Store::new().map_err(|e| RdfError::Store(e.to_string()))?;
    store.extend(store_quads(quads)).map_err(|e| RdfError::Store(e.to_string()))?;
    Ok(store)
}
