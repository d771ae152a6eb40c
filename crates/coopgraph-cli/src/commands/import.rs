//! `coopgraph import DIR [-o FILE.nq|.nt] [--store PATH]`: streaming CSV to
//! RDF and/or the on-disk store.

use std::io::{IsTerminal, Write as _};
use std::path::Path;
use std::process::ExitCode;
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use anyhow::Context as _;
use coopgraph_load::Diagnostics;
use coopgraph_load::stream::{Repeats, StreamOptions, TableSource, stream_entities, stream_relations};
use coopgraph_rdf::store::{LoaderOptions, StagedStore};
use coopgraph_rdf::stream::{LineSink, QuadBatch, RelationRecord, Sinks, StreamMapping};
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
    let provenance = !args.no_provenance;
    let mapping = StreamMapping::new(&ns, provenance);
    // Numbering repeated relations needs file order: one parsing thread.
    let threads = if provenance {
        1
    } else {
        args.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, std::num::NonZero::get))
    };
    let options = StreamOptions { threads, max_errors: cli.max_errors, ..StreamOptions::default() };
    let entities = args.dir.join("entities.csv");
    let relations = args.dir.join("relations.csv");
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);

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
    let (want_lines, want_quads, nq) = (file.is_some(), store.is_some(), graphs(args));
    // Output buffers go back to a pool once written.
    let pool: Mutex<Vec<Vec<u8>>> = Mutex::new(Vec::new());
    let init = || Sinks {
        lines: want_lines.then(|| {
            let spare = pool.lock().unwrap_or_else(PoisonError::into_inner).pop();
            spare.map_or_else(|| LineSink::new(nq), |buf| LineSink::with_buffer(nq, buf))
        }),
        quads: want_quads.then(|| QuadBatch::new(provenance)),
    };
    let mut written = 0u64;
    let mut consume = |sinks: Sinks, d: &Diagnostics| -> std::io::Result<()> {
        if !d.is_empty() {
            return Ok(()); // Nothing will be kept: stop writing, keep checking.
        }
        if let (Some(lines), Some(f)) = (sinks.lines, file.as_mut()) {
            written += lines.count();
            f.write_large(lines.as_bytes())?;
            pool.lock().unwrap_or_else(PoisonError::into_inner).push(lines.into_buffer());
        }
        if let (Some(quads), Some(s)) = (sinks.quads, store.as_mut()) {
            if !want_lines {
                written += quads.len() as u64;
            }
            s.send(quads.into_quads()).map_err(std::io::Error::other)?;
        }
        Ok(())
    };
    let repeats = Mutex::new(Repeats::default());
    let mut d = Diagnostics::with_cap(cli.max_errors);

    let result = (|| -> std::io::Result<()> {
        let b = bar(cli, size(&entities), "entities");
        let ids = stream_entities(
            TableSource::File(&entities),
            options,
            &mut d,
            &mut |p| b.set_position(p),
            &init,
            &|s, row| mapping.entity(s, row.id, row.kind, row.label_en, row.label_zh, row.wikidata),
            &mut consume,
        )?;
        b.finish_and_clear();
        let b = bar(cli, size(&relations), "relations");
        stream_relations(
            TableSource::File(&relations),
            &ids,
            options,
            &mut d,
            &mut |p| b.set_position(p),
            &init,
            &|s, row| {
                let (occurrence, describe_citation) = if provenance {
                    let mut r = repeats.lock().unwrap_or_else(PoisonError::into_inner);
                    (r.occurrence(row), r.first_source(row.source))
                } else {
                    (1, false)
                };
                mapping.relation(
                    s,
                    &RelationRecord {
                        subject: row.subject,
                        relation_type: row.relation_type,
                        object: row.object,
                        source: row.citation.source,
                        paragraph: row.citation.paragraph,
                        lang: row.citation.lang,
                        occurrence,
                        describe_citation,
                    },
                );
            },
            &mut consume,
        )?;
        b.finish_and_clear();
        Ok(())
    })();
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
    // Machine-readable figures, as the benchmark harness reads them.
    anstream::println!("triples={written}");
    anstream::println!("elapsed_s={elapsed:.3}");
    Ok(ExitCode::SUCCESS)
}
