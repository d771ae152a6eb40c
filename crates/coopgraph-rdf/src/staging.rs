//! The paths commands replace (the store, the output folder) and how they
//! are replaced without deleting anything coopgraph did not make.
//!
//! A [`Target`] is taken before a command writes anything:
//!
//! - it holds an advisory lock on a file beside the path (`.NAME.lock`), so
//!   that two writers never work on one path; the second fails at once,
//!   naming the first one's process id;
//! - it removes the staging folders (`.NAME.tmp-PID`, `.NAME.old-PID`) left
//!   beside the path by runs that were killed (their process is gone), and
//!   puts back a previous copy that a killed run had moved aside;
//! - it refuses a path that exists and is neither empty nor one of ours: a
//!   folder we made holds a marker file (`.coopgraph-store`,
//!   `.coopgraph-output`), written into the staging folder before it is
//!   swapped in. Folders made by versions that wrote no marker are
//!   recognised by their contents (only RocksDB files and the sidecar
//!   folder `coopgraph/`, or only the names `build` writes).
//!
//! [`Target::swap_in`] then moves a finished staging folder into place and
//! keeps the previous one aside until [`Swapped::finish`], so that a command
//! replacing two targets can put the first back if the second fails.

use std::fs::File;
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

/// What a target holds, which decides its marker and how it is named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetKind {
    /// An Oxigraph store (`--store`).
    Store,
    /// The folder of `build`'s outputs (`--out`).
    Output,
}

impl TargetKind {
    /// The marker file written inside every target of this kind.
    pub fn marker(self) -> &'static str {
        match self {
            TargetKind::Store => ".coopgraph-store",
            TargetKind::Output => ".coopgraph-output",
        }
    }

    fn what(self) -> &'static str {
        match self {
            TargetKind::Store => "store",
            TargetKind::Output => "output folder",
        }
    }

    /// True for a folder entry that a target of this kind made before
    /// markers were written.
    fn legacy_entry(self, name: &str) -> bool {
        match self {
            TargetKind::Store => {
                ["CURRENT", "IDENTITY", "LOCK", "LOG", crate::sidecar::SIDECAR].contains(&name)
                    || ["LOG.old.", "MANIFEST-", "OPTIONS-"].iter().any(|p| name.starts_with(p))
                    || [".sst", ".log", ".blob"].iter().any(|s| name.ends_with(s))
            }
            TargetKind::Output => {
                ["stats.json", "stats.txt", "views"].contains(&name) || name.starts_with("coopgraph.")
            }
        }
    }
}

/// Why a target cannot be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StagingError {
    /// The path holds something coopgraph did not make, or the settings
    /// ask for something unsafe (an output folder inside the data).
    #[error("{0}")]
    Refused(String),
    /// Another process is writing the same path.
    #[error("{0}")]
    Busy(String),
    /// The file system failed.
    #[error("{0}")]
    Io(String),
}

fn io_error(what: &str, path: &Path, e: &std::io::Error) -> StagingError {
    StagingError::Io(format!("{what} {}: {e}", path.display()))
}

/// The folder holding `path` (`.` for a bare name).
fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn file_name_of(path: &Path) -> String {
    path.file_name().map_or_else(|| "target".into(), |n| n.to_string_lossy().into_owned())
}

/// A hidden path beside `target` for process `pid`: `.NAME.WHAT-PID`.
pub fn sibling(target: &Path, what: &str, pid: u32) -> PathBuf {
    parent_of(target).join(format!(".{}.{what}-{pid}", file_name_of(target)))
}

/// True when process `pid` is running. Where that cannot be known (no
/// `/proc`), false: the caller holds the target's lock, so no live writer
/// can own a staging folder of it.
fn alive(pid: u32) -> bool {
    pid == std::process::id() || Path::new("/proc").join(pid.to_string()).exists()
}

/// An advisory lock on `.NAME.lock` beside a target, holding the writer's
/// process id; released and removed on drop.
#[derive(Debug)]
struct Lock {
    path: PathBuf,
    file: File,
}

fn same_file(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        match (file.metadata(), std::fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        path.exists()
    }
}

impl Lock {
    fn take(target: &Path, kind: TargetKind) -> Result<Self, StagingError> {
        let path = parent_of(target).join(format!(".{}.lock", file_name_of(target)));
        // The holder removes the file when it is done: a lock won on a file
        // that is no longer at `path` protects nothing, so try again.
        for _ in 0..100 {
            let mut file = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(|e| io_error("cannot create the lock file", &path, &e))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => {
                    let mut holder = String::new();
                    let _ = file.read_to_string(&mut holder);
                    let holder = holder.trim();
                    let by = if holder.is_empty() { String::new() } else { format!(" (process {holder})") };
                    return Err(StagingError::Busy(format!(
                        "another coopgraph{by} is writing the {} at {}; wait for it to finish and run again",
                        kind.what(),
                        target.display()
                    )));
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(io_error("cannot lock", &path, &e)),
            }
            if same_file(&file, &path) {
                let _ = file.set_len(0);
                let _ = write!(file, "{}", std::process::id());
                return Ok(Self { path, file });
            }
        }
        Err(StagingError::Busy(format!("cannot lock {}: it keeps being replaced", path.display())))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still held, so that whoever opened it meanwhile
        // sees a file no longer at the path and takes a fresh one.
        let _ = std::fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// A path a command is about to replace, locked for this process.
#[derive(Debug)]
pub struct Target {
    path: PathBuf,
    kind: TargetKind,
    _lock: Lock,
}

impl Target {
    /// Takes `path` for writing: creates its folder, takes the lock,
    /// clears what killed runs left, and refuses a path that is not ours.
    pub fn acquire(path: &Path, kind: TargetKind) -> Result<Self, StagingError> {
        let parent = parent_of(path);
        std::fs::create_dir_all(&parent).map_err(|e| io_error("cannot create the folder", &parent, &e))?;
        let lock = Lock::take(path, kind)?;
        clear_stale(path)?;
        check_ours(path, kind)?;
        Ok(Self { path: path.to_path_buf(), kind, _lock: lock })
    }

    /// The path being replaced.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// An empty staging folder path beside the target for this process
    /// (not created).
    pub fn staging(&self) -> Result<PathBuf, StagingError> {
        let staging = sibling(&self.path, "tmp", std::process::id());
        if staging.exists() {
            std::fs::remove_dir_all(&staging).map_err(|e| io_error("cannot clear", &staging, &e))?;
        }
        Ok(staging)
    }

    /// Marks the finished folder `staging` as ours and renames it to the
    /// target, moving any previous target aside (removed by
    /// [`Swapped::finish`], put back by [`Swapped::undo`]).
    pub fn swap_in(&self, staging: &Path) -> Result<Swapped, StagingError> {
        let marker = staging.join(self.kind.marker());
        std::fs::write(&marker, "written by coopgraph; it replaces this folder only when this file is here\n")
            .map_err(|e| io_error("cannot write", &marker, &e))?;
        let old = sibling(&self.path, "old", std::process::id());
        let had_old = std::fs::symlink_metadata(&self.path).is_ok();
        if had_old {
            std::fs::rename(&self.path, &old).map_err(|e| {
                io_error(&format!("cannot move aside the previous {} at", self.kind.what()), &self.path, &e)
            })?;
        }
        if let Err(e) = std::fs::rename(staging, &self.path) {
            if had_old {
                let _ = std::fs::rename(&old, &self.path);
            }
            return Err(io_error(&format!("cannot move the new {} into", self.kind.what()), &self.path, &e));
        }
        Ok(Swapped { path: self.path.clone(), old: had_old.then_some(old), settled: false })
    }
}

/// A target just swapped in, its previous copy still aside.
#[derive(Debug)]
pub struct Swapped {
    path: PathBuf,
    old: Option<PathBuf>,
    settled: bool,
}

impl Swapped {
    /// Removes the previous copy.
    pub fn finish(mut self) -> Result<(), StagingError> {
        self.settled = true;
        match self.old.take() {
            Some(old) => std::fs::remove_dir_all(&old).map_err(|e| io_error("cannot remove", &old, &e)),
            None => Ok(()),
        }
    }

    /// Removes the new target and puts the previous copy back.
    pub fn undo(mut self) -> Result<(), StagingError> {
        self.settled = true;
        let _ = std::fs::remove_dir_all(&self.path);
        match self.old.take() {
            Some(old) => std::fs::rename(&old, &self.path).map_err(|e| io_error("cannot put back", &self.path, &e)),
            None => Ok(()),
        }
    }
}

impl Drop for Swapped {
    fn drop(&mut self) {
        if !self.settled
            && let Some(old) = self.old.take()
        {
            let _ = std::fs::remove_dir_all(old);
        }
    }
}

/// The process id in a staging name `.NAME.WHAT-PID` of `target`, with WHAT.
fn staging_pid<'a>(target_name: &str, entry: &'a str) -> Option<(&'a str, u32)> {
    let rest = entry.strip_prefix('.')?.strip_prefix(target_name)?.strip_prefix('.')?;
    let (what, pid) = rest.rsplit_once('-')?;
    if !["tmp", "old"].contains(&what) {
        return None;
    }
    Some((what, pid.parse().ok()?))
}

/// Removes the staging folders and files of dead processes beside `target`;
/// if the target is missing (a run was killed between its two renames),
/// the newest previous copy is put back first.
pub fn clear_stale(target: &Path) -> Result<(), StagingError> {
    let parent = parent_of(target);
    let name = file_name_of(target);
    let Ok(entries) = std::fs::read_dir(&parent) else { return Ok(()) };
    let mut stale: Vec<(String, PathBuf)> = Vec::new();
    for entry in entries.filter_map(Result::ok) {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if let Some((what, pid)) = staging_pid(&name, &file_name)
            && !alive(pid)
        {
            stale.push((what.to_owned(), entry.path()));
        }
    }
    stale.sort();
    if std::fs::symlink_metadata(target).is_err()
        && let Some((_, old)) = stale.iter().find(|(what, _)| what == "old")
    {
        std::fs::rename(old, target).map_err(|e| io_error("cannot put back the previous copy of", target, &e))?;
    }
    for (_, path) in stale {
        let removed = match std::fs::symlink_metadata(&path) {
            Ok(m) if m.is_dir() => std::fs::remove_dir_all(&path),
            Ok(_) => std::fs::remove_file(&path),
            Err(_) => Ok(()),
        };
        removed.map_err(|e| io_error("cannot remove the leftover", &path, &e))?;
    }
    Ok(())
}

/// Refuses a `path` that exists and is neither an empty folder nor a
/// target of `kind` that coopgraph made.
pub fn check_ours(path: &Path, kind: TargetKind) -> Result<(), StagingError> {
    let refuse = |why: &str| {
        StagingError::Refused(format!(
            "{} {why}, not a coopgraph {}; refusing to replace it: remove it yourself or choose another path",
            path.display(),
            kind.what()
        ))
    };
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io_error("cannot read", path, &e)),
    };
    if meta.file_type().is_symlink() {
        return Err(refuse("is a symbolic link"));
    }
    if !meta.is_dir() {
        return Err(refuse("is a file"));
    }
    if path.join(kind.marker()).is_file() {
        return Ok(());
    }
    let entries = std::fs::read_dir(path).map_err(|e| io_error("cannot read", path, &e))?;
    let names: Vec<String> =
        entries.filter_map(Result::ok).map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    if names.iter().all(|n| kind.legacy_entry(n)) {
        return Ok(());
    }
    Err(refuse(&format!("holds files coopgraph did not write (no {} marker)", kind.marker())))
}

/// True when `inner` is `outer` or lies inside it (after resolving links
/// and `..`; paths that do not exist yet are resolved from their nearest
/// existing folder).
pub fn is_within(inner: &Path, outer: &Path) -> bool {
    fn resolve(path: &Path) -> Option<PathBuf> {
        let mut missing = Vec::new();
        let mut existing = path.to_path_buf();
        loop {
            if let Ok(found) = std::fs::canonicalize(&existing) {
                return Some(missing.iter().rev().fold(found, |p: PathBuf, part| p.join(part)));
            }
            missing.push(existing.file_name()?.to_os_string());
            existing = parent_of(&existing);
        }
    }
    match (resolve(inner), resolve(outer)) {
        (Some(i), Some(o)) => i.starts_with(o),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staging_names_give_their_process() {
        assert_eq!(staging_pid("store", ".store.tmp-123"), Some(("tmp", 123)));
        assert_eq!(staging_pid("store", ".store.old-9"), Some(("old", 9)));
        assert_eq!(staging_pid("store", ".store.lock"), None);
        assert_eq!(staging_pid("store", ".storex.tmp-1"), None);
        assert_eq!(staging_pid("out", ".out.tmp-x"), None);
    }

    #[test]
    fn foreign_folders_and_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        assert!(check_ours(&target, TargetKind::Output).is_ok(), "missing is fine");
        std::fs::create_dir(&target).unwrap();
        assert!(check_ours(&target, TargetKind::Output).is_ok(), "empty is fine");
        std::fs::write(target.join("notes.txt"), "mine").unwrap();
        let e = check_ours(&target, TargetKind::Output).unwrap_err();
        assert!(matches!(e, StagingError::Refused(_)), "{e}");
        std::fs::write(target.join(".coopgraph-output"), "").unwrap();
        assert!(check_ours(&target, TargetKind::Output).is_ok());
        assert!(check_ours(&target.join(".coopgraph-output"), TargetKind::Store).is_err(), "a file");
        let legacy = dir.path().join("old-out");
        std::fs::create_dir_all(legacy.join("views")).unwrap();
        std::fs::write(legacy.join("coopgraph.ttl"), "").unwrap();
        assert!(check_ours(&legacy, TargetKind::Output).is_ok());
        assert!(check_ours(&legacy, TargetKind::Store).is_err());
    }

    #[test]
    fn a_second_writer_is_refused_until_the_first_is_done() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("store");
        let first = Target::acquire(&target, TargetKind::Store).unwrap();
        let e = Target::acquire(&target, TargetKind::Store).unwrap_err();
        assert!(matches!(e, StagingError::Busy(_)), "{e}");
        assert!(e.to_string().contains(&format!("(process {})", std::process::id())), "{e}");
        drop(first);
        let again = Target::acquire(&target, TargetKind::Store).unwrap();
        drop(again);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "the lock file is removed");
    }

    #[test]
    fn leftovers_of_dead_runs_are_removed_and_a_moved_aside_target_comes_back() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("store");
        // A process id above the kernel's maximum is never running.
        let dead = 4_194_999;
        std::fs::create_dir_all(sibling(&target, "tmp", dead).join("x")).unwrap();
        std::fs::create_dir_all(sibling(&target, "old", dead)).unwrap();
        std::fs::write(sibling(&target, "old", dead).join(".coopgraph-store"), "").unwrap();
        let t = Target::acquire(&target, TargetKind::Store).unwrap();
        assert!(target.join(".coopgraph-store").exists(), "the previous copy is back");
        let staging = t.staging().unwrap();
        std::fs::create_dir(&staging).unwrap();
        t.swap_in(&staging).unwrap().finish().unwrap();
        drop(t);
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["store"]);
    }

    #[test]
    fn a_swap_can_be_undone() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("coopgraph.ttl"), "old").unwrap();
        let t = Target::acquire(&target, TargetKind::Output).unwrap();
        let staging = t.staging().unwrap();
        std::fs::create_dir(&staging).unwrap();
        std::fs::write(staging.join("coopgraph.ttl"), "new").unwrap();
        t.swap_in(&staging).unwrap().undo().unwrap();
        assert_eq!(std::fs::read_to_string(target.join("coopgraph.ttl")).unwrap(), "old");
    }

    #[test]
    fn paths_within() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir(&data).unwrap();
        assert!(is_within(&data, &data));
        assert!(is_within(&data.join("out/x"), &data));
        assert!(is_within(&dir.path().join("data/../data/out"), &data));
        assert!(!is_within(&dir.path().join("out"), &data));
    }
}
