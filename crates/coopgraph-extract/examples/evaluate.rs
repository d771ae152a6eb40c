//! The leave-one-document-out evaluation without the CLI (and without the
//! RDF store it links): the same library calls as `coopgraph extract
//! --evaluate`, printing the same tables.
//!
//! ```text
//! cargo run --release -p coopgraph-extract --example evaluate -- --documents DIR [--data data] [--json] [--missed]
//! ```
//!
//! `--missed` adds every fact missed, one per line under its kind.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use coopgraph_extract::evaluate::{Evaluation, documents_in};

const USAGE: &str = "usage: evaluate --documents DIR [--data DIR] [--json] [--missed]\n";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "evaluate: {e}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let (mut data, mut documents, mut json, mut missed) = (PathBuf::from("data"), None, false, false);
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        match arg.to_str() {
            Some("--data") => data = args.next().map(PathBuf::from).ok_or(USAGE)?,
            Some("--documents") => documents = args.next().map(PathBuf::from),
            Some("--json") => json = true,
            Some("--missed") => missed = true,
            _ => return Err(USAGE.into()),
        }
    }
    let documents = documents.ok_or(USAGE)?;
    let dataset = coopgraph_load::load_dir(&data)?;
    let evaluation = Evaluation::run(&dataset, &documents_in(&dataset, &documents)?);
    let mut out = if json { evaluation.json_lines() } else { evaluation.text() };
    if missed {
        out.push_str(&evaluation.missed());
    }
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(())
}
