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

    progress.step("drawing the views");
    write_views(&dataset, staged.path())?;

    // The store is swapped in before the outputs, so that a failure here
    // leaves both the previous store and the previous outputs in place.
    let summary = if args.memory {
        None
    } else {
        progress.step(&format!("loading the store {}", args.store.display()));
        let mut search_index =
            |s: &_, dir: &std::path::Path| coopgraph_rdf::labels::write_search_index(s, dir, &ns).map(drop);
        Some(store::build_store_with(&args.store, &quads, &mut search_index).map_err(|e| Failure::Run(e.into()))?)
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
            "  {} quads written to {} (ttl, nt, nq, trig, rdf, jsonld, stats, dot, graphml, views/)",
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

/// Writes the whole graph as DOT, GraphML and Cytoscape.js JSON, and the
/// curated views under views/; SVG too when Graphviz is installed.
fn write_views(dataset: &coopgraph_model::Dataset, out: &std::path::Path) -> Result<(), Failure> {
    use coopgraph_views::{CURATED_VIEWS, DotOptions, ImageFormat, View};
    let svg = coopgraph_views::graphviz_available();
    let write = |path: std::path::PathBuf, bytes: &[u8]| {
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))
    };
    let draw = |stem: std::path::PathBuf, view: &View<'_>, options: &DotOptions| -> Result<(), Failure> {
        let dot = coopgraph_views::to_dot(view, options);
        write(stem.with_extension("dot"), dot.as_bytes())?;
        if svg {
            let image = coopgraph_views::render(&dot, ImageFormat::Svg).map_err(super::dot::view_failure)?;
            write(stem.with_extension("svg"), &image)?;
        }
        Ok(())
    };
    let all = View::all(dataset);
    draw(out.join("coopgraph"), &all, &DotOptions::default())?;
    write(out.join("coopgraph.graphml"), coopgraph_views::to_graphml(&all).as_bytes())?;
    write(out.join("coopgraph.cytoscape.json"), coopgraph_views::to_cytoscape(&all).as_bytes())?;
    let views = out.join("views");
    std::fs::create_dir_all(&views).with_context(|| format!("cannot create {}", views.display()))?;
    for curated in CURATED_VIEWS {
        let Some(selection) = curated.selection(dataset) else { continue };
        let options = DotOptions {
            title: Some(curated.title.to_owned()),
            edge_labels: curated.focus.is_some(),
            ..DotOptions::default()
        };
        draw(views.join(curated.name), &selection.apply(dataset), &options)?;
    }
    Ok(())
}
