//! The fuzz entry points of coopgraph's parsers of outside input, one
//! function per target, each taking the fuzzer's bytes.
//!
//! The cargo-fuzz targets in `fuzz/fuzz_targets/` (a cargo project of its
//! own, built on nightly) call these functions and nothing else, and the
//! stable test `tests/corpus.rs` runs every file of `fuzz/corpus/TARGET/`
//! through the same function, so the seed corpora and every input a
//! campaign kept are regression tests on stable.
//!
//! A function returns nothing: bad input is the parsers' business and must
//! come back as errors. It panics only on a defect: a panic inside a parser,
//! an error placed outside the text it is about, two readers that disagree
//! (the import's chunked reader at some block size and the same reader in
//! one block; the import's citation check and the loader's), a date that
//! does not print back as itself, or an extraction whose candidates do not
//! quote their text or whose draft `review` cannot read.
//!
//! ```
//! coopgraph_fuzzing::citations_dates(b"002#11@en");
//! for target in coopgraph_fuzzing::TARGETS {
//!     (target.run)(b"");
//! }
//! ```
#![deny(missing_docs)]
#![allow(clippy::panic, reason = "a fuzz entry point panics, and only, on a defect it found")]

mod csv;
mod extract;
mod scalars;
mod toml;

pub use crate::csv::{csv_data, import_chunks};
pub use crate::extract::extract_text;
pub use crate::scalars::citations_dates;
pub use crate::toml::toml_data;

/// A fuzz target: its name (the file in `fuzz/fuzz_targets/` and the folder
/// in `fuzz/corpus/`) and its entry point.
#[derive(Debug, Clone, Copy)]
pub struct Target {
    /// The name.
    pub name: &'static str,
    /// The entry point.
    pub run: fn(&[u8]),
}

/// Every fuzz target.
pub const TARGETS: &[Target] = &[
    Target { name: "toml_data", run: toml_data },
    Target { name: "csv_data", run: csv_data },
    Target { name: "import_chunks", run: import_chunks },
    Target { name: "citations_dates", run: citations_dates },
    Target { name: "extract_text", run: extract_text },
];

/// Checks that every error of a load points into the text of its file:
/// a line that exists, and a column at most the length of that line (the
/// end of a line is a fair place for "expected more").
pub(crate) fn assert_positions_inside(files: &[(&str, &str)], errors: &coopgraph_load::Diagnostics) {
    for e in errors.iter() {
        let Some((_, text)) = files.iter().find(|(name, _)| **name == *e.location.file) else {
            panic!("an error names a file that was not read: {e}");
        };
        let line = usize::try_from(e.location.line).unwrap_or(usize::MAX);
        let column = usize::try_from(e.location.column).unwrap_or(usize::MAX);
        let Some(line_text) = text.split('\n').nth(line) else {
            panic!("an error points past the last line of its file: {e}");
        };
        assert!(
            column <= line_text.chars().count(),
            "an error points past the end of its line ({} characters): {e}",
            line_text.chars().count()
        );
    }
}
