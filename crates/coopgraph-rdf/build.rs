//! Bundles the query library (`queries/*.rq` at the root of the workspace)
//! into the crate, so that an installed `coopgraph` has its queries
//! wherever it runs: writes `$OUT_DIR/bundled_queries.rs`, a table of
//! (file name, text) sorted by name.

#![allow(clippy::print_stdout)] // cargo reads a build script's directives from its stdout

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let dir = manifest.join("../../queries");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "rq"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut table = String::from(
        "/// The bundled queries: (file name, text), sorted by name.\npub static BUNDLED: &[(&str, &str)] = &[\n",
    );
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let _ = writeln!(table, "    ({name:?}, include_str!({:?})),", file.display().to_string());
    }
    table.push_str("];\n");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default()).join("bundled_queries.rs");
    if let Err(e) = std::fs::write(&out, table) {
        println!("cargo:warning=cannot write {}: {e}", out.display());
        std::process::exit(1);
    }
}
