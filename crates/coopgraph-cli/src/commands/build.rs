//! `coopgraph build`: data -> checked dataset -> graph -> RDF -> store and outputs.

use std::process::ExitCode;

use anyhow::Context as _;
use coopgraph_rdf::{ExportFormat, MappingOptions, map_dataset, store, write_quads};

use crate::cli::{BuildArgs, Cli};
use crate::output::{Failure, GOOD, Progress, StagedDir};

pub fn run(cli: &Cli, args: &BuildArgs) -> Result<ExitCode, Failure> {
    let ns = super::namespaces(cli)?;
    let progress = Progress::start(cli.quiet);
    let dataset = super::load(cli, &progress)?;

    progress.step("assembling the graph");
    let report = super::stats::StatsReport::new(&dataset, 10, "en");

    progress.step("mapping to RDF");
    let quads = map_dataset(&dataset, &ns, MappingOptions::default());

    progress.step("writing outputs");
    let staged = StagedDir::new(&args.out).with_context(|| format!("cannot prepare {}", args.out.display()))?;
    std::fs::write(staged.path().join("stats.json"), report.to_json()).context("cannot write stats.json")?;
    std::fs::write(staged.path().join("stats.txt"), report.to_text()).context("cannot write stats.txt")?;
    for format in ExportFormat::ALL {
        let file = staged.path().join(format!("coopgraph.{}", format.extension()));
        let bytes = write_quads(&quads, format, &ns, Vec::new())
            .with_context(|| format!("cannot serialize {}", format.name()))?;
        std::fs::write(&file, bytes).with_context(|| format!("cannot write {}", file.display()))?;
    }

    // The store is swapped in before the outputs, so that a failure here
    // leaves both the previous store and the previous outputs in place.
    let summary = if args.memory {
        None
    } else {
        progress.step(&format!("loading the store {}", args.store.display()));
        Some(store::build_store(&args.store, &quads).map_err(|e| Failure::Run(e.into()))?)
    };
    staged.commit().with_context(|| format!("cannot move the outputs into {}", args.out.display()))?;
    progress.finish();

    if !cli.quiet {
        anstream::println!(
            "{GOOD}built{GOOD:#} {} entities, {} relations, {} figures from {}",
            dataset.entities.len(),
            dataset.relations.len(),
            dataset.figures.len(),
            cli.data.display(),
        );
        anstream::println!(
            "  {} quads written to {} (ttl, nt, nq, trig, rdf, jsonld, stats)",
            quads.len(),
            args.out.display()
        );
        match summary {
            Some(s) => {
                anstream::println!(
                    "  store {}: {} quads in {} named graphs, their union ({} triples) as the default graph",
                    args.store.display(),
                    s.quads,
                    s.graphs,
                    s.union_triples
                )
            }
            None => anstream::println!("  store skipped (--memory)"),
        }
    }
    Ok(ExitCode::SUCCESS)
}
