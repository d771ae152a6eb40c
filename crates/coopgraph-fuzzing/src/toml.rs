//! The TOML data files (`data/*.toml`: every kind of record, read by one reader).

use coopgraph_load::{LoadOptions, load_texts};

/// Reads the bytes as one TOML data file, with everything a load checks
/// (records, then references, kinds and citations across the file).
pub fn toml_data(data: &[u8]) {
    // The loader refuses text that is not UTF-8 before any reader sees it.
    let Ok(text) = std::str::from_utf8(data) else { return };
    let files = [("data/fuzz.toml", text)];
    if let Err(errors) = load_texts(&files, &LoadOptions::default()) {
        crate::assert_positions_inside(&files, &errors);
    }
}
