//! End-to-end tests: the real `coopgraph` binary on fixture data folders.
//! One test binary with themed modules, as ripgrep does.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

mod support;

mod build;
mod cli;
mod csv_rules;
mod extract;
mod files;
mod import;
mod kill;
mod path;
mod publish;
mod queries;
mod rdf;
mod review;
mod serve;
mod serve_editor;
mod serve_explore;
mod serve_limits;
mod serve_pages;
mod serve_reconcile;
mod serve_scale;
mod stats;
mod validate;
mod views;
