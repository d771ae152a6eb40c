//! `coopgraph import DIR [-o FILE.nq|.nt] [--store PATH]`: streaming CSV to
//! RDF and/or the on-disk store.

use std::io::{IsTerminal, Write as _};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context as _;
use coopgraph_import::{Import, ImportOptions, Table, Tables};
use coopgraph_load::Diagnostics;
use coopgraph_rdf::store::{LoaderOptions, StagedStore};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::{Cli, ImportArgs, ImportFormatArg};
use crate::output::{Failure, GOOD, StagedFile};

fn bar(cli: &Cli, bytes: u64, what: &str) -> ProgressBar {
    if cli.quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::with_draw_target(Some(bytes), ProgressDrawTarget::hidden());
    }
    let bar = ProgressBar::new(bytes);
    if let Ok(style) =
        ProgressStyle::with_template("{msg:10} {wide_bar} {bytes}/{total_bytes} {bytes_per_sec} ETA {eta}")
    {
        bar.set_style(style);
    }
    bar.set_message(what.to_owned());
    bar
}

fn graphs(args: &ImportArgs) -> bool {
    match args.format {
        Some(f) => f == ImportFormatArg::Nq,
        None => !args.output.as_ref().and_then(|p| p.extension()).is_some_and(|e| e.eq_ignore_ascii_case("nt")),
    }
}

pub fn run(cli: &Cli, args: &ImportArgs) -> Result<ExitCode, Failure> {
    let ns = super::namespaces(cli)?;
    let started = Instant::now();
    let mut file = args
        .output
        .as_deref()
        .map(|p| StagedFile::create(p).with_context(|| format!("cannot create {}", p.display())))
        .transpose()?;
    // The store this import replaces, if any (said when it is done: a
    // server on it switches to the new one).
    let previous = args.store.as_deref().and_then(|p| coopgraph_rdf::sidecar::StoreStats::read(p).ok().flatten());
    let mut store = match &args.store {
        Some(path) => Some(
            StagedStore::create(path, LoaderOptions { threads: None, max_memory_mb: Some(args.loader_memory) })
                .map_err(super::query::rdf_failure)?,
        ),
        None => None,
    };
    let import = Import::new(
        &ns,
        ImportOptions {
            provenance: !args.no_provenance,
            threads: args
                .threads
                .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, std::num::NonZero::get)),
            max_errors: cli.max_errors,
            lines: file.is_some().then(|| graphs(args)),
            quads: store.is_some(),
            ..ImportOptions::default()
        },
    );
    let size = |name: &str| std::fs::metadata(args.dir.join(name)).map(|m| m.len()).unwrap_or(0);
    let mut shown: Option<(Table, ProgressBar)> = None;
    let mut progress = |table: Table, at: u64| {
        if shown.as_ref().is_none_or(|(t, _)| *t != table) {
            if let Some((_, b)) = &shown {
                b.finish_and_clear();
            }
            let (file, what) = match table {
                Table::Entities => ("entities.csv", "entities"),
                Table::Relations => ("relations.csv", "relations"),
            };
            shown = Some((table, bar(cli, size(file), what)));
        }
        if let Some((_, b)) = &shown {
            b.set_position(at);
        }
    };
    let mut written = 0u64;
    let mut write = |sinks: &mut coopgraph_import::Sinks| -> std::io::Result<()> {
        if let (Some(lines), Some(f)) = (&sinks.lines, file.as_mut()) {
            written += lines.count();
            f.write_large(lines.as_bytes())?;
        }
        if let (Some(quads), Some(s)) = (sinks.quads.take(), store.as_mut()) {
            if sinks.lines.is_none() {
                written += quads.len() as u64;
            }
            s.send(quads.into_quads()).map_err(std::io::Error::other)?;
        }
        Ok(())
    };
    let mut d = Diagnostics::with_cap(cli.max_errors);
    let result = import.run(&Tables::folder(&args.dir), &mut d, &mut progress, &mut write);
    if let Some((_, b)) = &shown {
        b.finish_and_clear();
    }
    let target = args.output.as_ref().or(args.store.as_ref()).map_or_else(String::new, |p| p.display().to_string());
    let flushed = result.and_then(|()| file.as_mut().map_or(Ok(()), |f| f.writer().flush()));
    if let Err(e) = flushed {
        return Err(Failure::Run(anyhow::Error::from(e).context(format!("cannot write {target}"))));
    }
    if !d.is_empty() {
        return Err(Failure::Data(d));
    }
    if let Some(s) = store {
        let mut search_index =
            |s: &_, dir: &std::path::Path| coopgraph_rdf::labels::write_search_index(s, dir, &ns).map(drop);
        s.finish_with(&mut search_index).map_err(|e| Failure::Run(e.into()))?;
    }
    if let Some(f) = file {
        f.commit().with_context(|| format!("cannot move the output into {target}"))?;
    }
    let elapsed = started.elapsed().as_secs_f64();
    if !cli.quiet {
        let into: Vec<String> = args
            .output
            .iter()
            .map(|p| p.display().to_string())
            .chain(args.store.iter().map(|p| format!("the store at {}", p.display())))
            .collect();
        anstream::eprintln!("{GOOD}imported{GOOD:#} {} into {}", args.dir.display(), into.join(" and "));
        if let (Some(prev), Some(path)) = (&previous, &args.store) {
            anstream::eprintln!(
                "  it replaced the store that was there ({} triples, build {}); a `coopgraph serve` on {} answers from the new one within its --reload-interval",
                prev.triples,
                prev.build_id,
                path.display()
            );
        }
    }
    // Machine-readable figures, as the benchmark harness reads them:
    // `triples=` for N-Triples, `quads=` where the output holds graphs
    // (N-Quads, or the store alone). With a file and a store, the count is
    // the file's lines.
    let unit = if args.output.as_ref().map_or(args.store.is_some(), |_| graphs(args)) { "quads" } else { "triples" };
    anstream::println!("{unit}={written}");
    anstream::println!("elapsed_s={elapsed:.3}");
    Ok(ExitCode::SUCCESS)
}
