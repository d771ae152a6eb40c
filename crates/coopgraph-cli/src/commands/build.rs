//! `coopgraph build`: data -> checked dataset -> graph -> RDF -> store and outputs.

use std::process::ExitCode;

use anyhow::Context as _;
use coopgraph_rdf::staging::{self, Target, TargetKind};
use coopgraph_rdf::{ExportFormat, MappingOptions, map_dataset, store, write_quads};

use crate::cli::{BuildArgs, Cli};
use crate::output::{Failure, GOOD, Progress, StagedDir, staging_failure};

pub fn run(cli: &Cli, args: &BuildArgs) -> Result<ExitCode, Failure> {
    let ns = super::namespaces(cli)?;
    if staging::is_within(&args.out, &cli.data) {
        return Err(Failure::Usage(format!(
            "--out {} is the data folder {} or inside it: the outputs would replace the data; choose another folder",
            args.out.display(),
            cli.data.display()
        )));
    }
    // Both targets are taken (locked, checked, cleared of what killed runs
    // left) before any work, so that a refusal comes at once.
    let staged = StagedDir::new(&args.out).map_err(staging_failure)?;
    let store_target = if args.memory {
        None
    } else {
        Some(Target::acquire(&args.store, TargetKind::Store).map_err(staging_failure)?)
    };
    let progress = Progress::start(cli.quiet);
    let dataset = super::load(cli, &progress)?;

    progress.step("assembling the graph");
    let report = super::stats::StatsReport::new(&dataset, 10, "en");

    progress.step("mapping to RDF");
    let quads = map_dataset(&dataset, &ns, MappingOptions::default());

    progress.step("writing outputs");
    std::fs::write(staged.path().join("stats.json"), report.to_json()).context("cannot write stats.json")?;
    std::fs::write(staged.path().join("stats.txt"), report.to_text()).context("cannot write stats.txt")?;
    for format in ExportFormat::ALL {
        let file = staged.path().join(format!("coopgraph.{}", format.extension()));
        let bytes = write_quads(&quads, format, &ns, Vec::new())
            .with_context(|| format!("cannot serialize {}", format.name()))?;
        std::fs::write(&file, bytes).with_context(|| format!("cannot write {}", file.display()))?;
    }

    progress.step("drawing the views");
    write_views(&dataset, &ns, staged.path())?;

    let ready = match &store_target {
        Some(target) => {
            progress.step(&format!("loading the store {}", args.store.display()));
            let mut search_index =
                |s: &_, dir: &std::path::Path| coopgraph_rdf::labels::write_search_index(s, dir, &ns).map(drop);
            Some(store::load_store_with(target, &quads, &mut search_index).map_err(|e| Failure::Run(e.into()))?)
        }
        None => None,
    };
    // Both are ready: swap in the store, then the outputs; if the outputs
    // cannot be moved in, the previous store is put back.
    let summary = ready.as_ref().map(|r| r.summary().clone());
    let swapped = match (ready, &store_target) {
        (Some(ready), Some(target)) => Some(ready.swap_in(target).map_err(|e| Failure::Run(e.into()))?),
        _ => None,
    };
    if let Err(e) = staged.commit() {
        if let Some(s) = swapped {
            let _ = s.undo();
        }
        return Err(Failure::Run(
            anyhow::Error::from(e).context(format!("cannot move the outputs into {}", args.out.display())),
        ));
    }
    if let Some(s) = swapped {
        s.finish().map_err(|e| Failure::Run(e.into()))?;
    }
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
/// curated views under views/; SVG too when Graphviz is installed, for
/// views of up to `LARGE_VIEW` entities.
fn write_views(
    dataset: &coopgraph_model::Dataset,
    ns: &coopgraph_rdf::Namespaces,
    out: &std::path::Path,
) -> Result<(), Failure> {
    use coopgraph_views::{CURATED_VIEWS, DotOptions, ImageFormat, View};
    let svg = coopgraph_views::graphviz_available();
    let write = |path: std::path::PathBuf, bytes: &[u8]| {
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))
    };
    let draw = |stem: std::path::PathBuf, view: &View<'_>, options: &DotOptions| -> Result<(), Failure> {
        let dot = coopgraph_views::to_dot(view, options);
        write(stem.with_extension("dot"), dot.as_bytes())?;
        // Graphviz's layout grows much faster than the graph: a view too
        // large to read is written as DOT only (`coopgraph dot` with
        // filters draws a part of it).
        if svg && view.entities.len() <= coopgraph_views::LARGE_VIEW {
            let image = coopgraph_views::render(&dot, ImageFormat::Svg).map_err(super::dot::view_failure)?;
            write(stem.with_extension("svg"), &image)?;
        }
        Ok(())
    };
    let all = View::all(dataset);
    draw(out.join("coopgraph"), &all, &DotOptions::default())?;
    let graph = |format| super::export::graph_export(dataset, ns, &all, format);
    write(out.join("coopgraph.graphml"), graph(super::export::GraphFormat::GraphMl).as_bytes())?;
    write(out.join("coopgraph.cytoscape.json"), graph(super::export::GraphFormat::Cytoscape).as_bytes())?;
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
