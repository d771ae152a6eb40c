//! Loads the coopgraph data files and checks them, reporting every problem
//! with its file, line and column.
//!
//! A data folder holds `*.toml` files of records (see `data/README.md`) and,
//! optionally, `entities.csv` and `relations.csv`. [`load_dir`] reads them
//! all, checks each record on its own, then checks what needs every file
//! (unique ids, references, kinds, citations), and returns either the
//! [`Dataset`] or every problem found (up to a cap).
//!
//! This crate knows nothing of RDF or of any output format.
//!
//! ```
//! use coopgraph_load::{load_texts, LoadOptions};
//!
//! let files = [
//!     ("data/countries.toml", r#"
//! [[country]]
//! id = "china"
//! label = { en = "China", zh = "中国" }
//!
//! [[country]]
//! id = "chile"
//! label = { en = "Chile" }
//! "#),
//!     ("data/relations.toml", r#"
//! [[relation]]
//! subject = "chna"
//! predicate = "member_of"
//! object = "interpol"
//! sources = ["001#3@en"]
//! "#),
//! ];
//! let errors = load_texts(&files, &LoadOptions::default()).unwrap_err();
//! let first = errors.iter().next().unwrap().to_string();
//! assert_eq!(first, r#"data/relations.toml:3:12: unknown entity "chna" (did you mean "china"?)"#);
//! ```
#![deny(missing_docs)]

mod csv_file;
mod diagnostics;
mod draft;
pub mod id_table;
mod resolve;
mod rules;
pub mod stream;
mod text;
mod toml_file;

use std::path::Path;
use std::sync::Arc;

pub use coopgraph_model::Dataset;
pub use csv_file::{ENTITY_COLUMNS, RELATION_COLUMNS};
pub use diagnostics::{DEFAULT_ERROR_CAP, Diagnostic, DiagnosticKind, Diagnostics, did_you_mean};
pub use draft::parse_citation;
pub use rules::Sources;
pub use text::{MAX_LABEL_CHARS, MAX_TEXT_CHARS};

/// Settings of a load.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Stop keeping errors after this many (they are still counted).
    pub max_errors: usize,
}

impl Default for LoadOptions {
    fn default() -> Self {
        Self { max_errors: DEFAULT_ERROR_CAP }
    }
}

/// What kind of data file a file name denotes, if any.
fn file_role(name: &str) -> Option<FileRole> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    match base {
        "entities.csv" => Some(FileRole::EntitiesCsv),
        "relations.csv" => Some(FileRole::RelationsCsv),
        _ if base.ends_with(".toml") => Some(FileRole::Toml),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum FileRole {
    Toml,
    EntitiesCsv,
    RelationsCsv,
}

/// Loads every data file in `dir` with the default options.
pub fn load_dir(dir: &Path) -> Result<Dataset, Diagnostics> {
    load_dir_with(dir, &LoadOptions::default())
}

/// Loads every data file in `dir`: `*.toml` in name order, then
/// `entities.csv`, then `relations.csv`.
pub fn load_dir_with(dir: &Path, options: &LoadOptions) -> Result<Dataset, Diagnostics> {
    let mut d = Diagnostics::with_cap(options.max_errors);
    let dir_name: Arc<str> = Arc::from(dir.display().to_string());
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            d.push_io(&dir_name, format!("cannot read the data folder: {e}"));
            return Err(d);
        }
    };
    // Every entry with a data file's name, whatever its type: symbolic
    // links are followed, and anything that is not then a regular file is
    // an error (see `regular_file`), never skipped in silence.
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| file_role(n).is_some())
        .collect();
    names.sort_by(|a, b| (file_role(a), a).cmp(&(file_role(b), b)));
    if names.is_empty() {
        d.push_file(&dir_name, "no data files here: expected *.toml files, entities.csv or relations.csv");
        return Err(d);
    }
    let mut texts = Vec::with_capacity(names.len());
    for name in &names {
        let path = dir.join(name);
        let shown = path.display().to_string();
        if let Err(message) = regular_file(&path) {
            d.push_file(&Arc::from(shown.as_str()), message);
            continue;
        }
        match std::fs::read(&path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => texts.push((shown, text)),
                Err(e) => {
                    let offset = e.utf8_error().valid_up_to();
                    let prefix = String::from_utf8_lossy(e.as_bytes().get(..offset).unwrap_or_default()).into_owned();
                    let line = prefix.matches('\n').count();
                    let column = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count());
                    d.push(
                        coopgraph_model::Location {
                            file: Arc::from(shown.as_str()),
                            line: diagnostics::to_u32(line),
                            column: diagnostics::to_u32(column),
                        },
                        "the file is not valid UTF-8 text",
                    );
                }
            },
            Err(e) => d.push_io(&Arc::from(shown.as_str()), format!("cannot read the file: {e}")),
        }
    }
    let borrowed: Vec<(&str, &str)> = texts.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    load_into(&borrowed, d)
}

/// Checks that a data file is, once symbolic links are followed, a regular
/// file: the one rule `build`, `validate` and `import` share. A folder, a
/// device or a named pipe (which would block the reader) is refused with
/// the reason, as is a link that leads nowhere.
pub(crate) fn regular_file(path: &Path) -> Result<(), String> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() => Ok(()),
        Ok(m) if m.is_dir() => Err("is a folder, not a data file".to_owned()),
        Ok(_) => Err("is not a regular file (a device, pipe or socket): data files must be regular files".to_owned()),
        Err(e) if std::fs::symlink_metadata(path).is_ok() => Err(format!("is a symbolic link that leads nowhere: {e}")),
        Err(e) => Err(format!("cannot read the file: {e}")),
    }
}

/// The source documents that the `*.toml` files of `dir` declare, for
/// `import`, which reads a folder's tables and checks their citations
/// against them with the rules of `build`. The errors of those files (and
/// duplicate source ids) go to `d`; a folder without TOML files declares
/// no source.
pub fn read_sources(dir: &Path, d: &mut Diagnostics) -> rules::Sources {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|n| file_role(n) == Some(FileRole::Toml))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut draft = draft::Draft::default();
    for name in &names {
        let path = dir.join(name);
        let shown: Arc<str> = Arc::from(path.display().to_string());
        if let Err(message) = regular_file(&path) {
            d.push_file(&shown, message);
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(text) => toml_file::read_toml(shown, &text, &mut draft, d),
            Err(e) => d.push_io(&shown, format!("cannot read the file: {e}")),
        }
    }
    let mut sources = rules::Sources::default();
    for source in draft.sources {
        if let Some(first) = sources.get(source.id.as_str()) {
            let at = source.origin.clone().unwrap_or_else(|| coopgraph_model::Location {
                file: "".into(),
                line: 0,
                column: 0,
            });
            d.push(at, rules::duplicate_id("source", source.id.as_str(), first.origin.as_ref()));
        } else {
            sources.insert(source.id.clone(), source);
        }
    }
    sources
}

/// Loads data from in-memory files, each a (name, contents) pair; the name
/// decides how it is read (`*.toml`, `entities.csv`, `relations.csv`) and
/// appears in messages. Files are read in the order given.
pub fn load_texts(files: &[(&str, &str)], options: &LoadOptions) -> Result<Dataset, Diagnostics> {
    load_into(files, Diagnostics::with_cap(options.max_errors))
}

fn load_into(files: &[(&str, &str)], mut d: Diagnostics) -> Result<Dataset, Diagnostics> {
    let mut draft = draft::Draft::default();
    for (name, text) in files {
        let shown: Arc<str> = Arc::from(*name);
        match file_role(name) {
            Some(FileRole::Toml) => toml_file::read_toml(shown, text, &mut draft, &mut d),
            Some(FileRole::EntitiesCsv) => csv_file::read_entities_csv(shown, text, &mut draft, &mut d),
            Some(FileRole::RelationsCsv) => csv_file::read_relations_csv(shown, text, &mut draft, &mut d),
            None => d.push_file(&shown, "not a data file: expected a .toml file, entities.csv or relations.csv"),
        }
    }
    let dataset = resolve::resolve(draft, &mut d);
    if d.is_empty() { Ok(dataset) } else { Err(d) }
}
