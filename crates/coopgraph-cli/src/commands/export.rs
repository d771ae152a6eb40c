//! `coopgraph export`.

use std::io::Write as _;
use std::process::ExitCode;

use anyhow::Context as _;
use coopgraph_rdf::{ExportFormat, MappingOptions, map_dataset, write_quads};

use crate::cli::{Cli, ExportArgs, ExportFormatArg};
use crate::output::{Failure, Progress, write_file_atomically};

/// The library format of a command-line format name, found by its name in
/// the table of format facts; `None` for the graph formats (GraphML,
/// Cytoscape.js), which the views crate writes.
pub fn export_format(arg: ExportFormatArg) -> Option<ExportFormat> {
    use clap::ValueEnum as _;
    arg.to_possible_value().and_then(|value| ExportFormat::from_name(value.get_name()))
}

/// Which graph (not RDF) format to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphFormat {
    /// GraphML, with yEd's and Gephi's attributes.
    GraphMl,
    /// Cytoscape.js JSON, with its stylesheet and preset layout.
    Cytoscape,
}

/// A view of `dataset` as GraphML or Cytoscape.js JSON, its nodes and
/// edges carrying their IRIs (entities, statement nodes, citations) from
/// `ns`, as the RDF mapping writes them.
pub fn graph_export(
    dataset: &coopgraph_model::Dataset,
    ns: &coopgraph_rdf::Namespaces,
    view: &coopgraph_views::View<'_>,
    format: GraphFormat,
) -> String {
    let statements: std::collections::HashMap<*const coopgraph_model::Relation, String> = dataset
        .relations
        .iter()
        .zip(coopgraph_rdf::statement_iris(dataset, ns))
        .map(|(r, iri)| (std::ptr::from_ref(r), iri.as_str().to_owned()))
        .collect();
    let entity = |e: &coopgraph_model::Entity| ns.entity(&e.id).as_str().to_owned();
    let relation = |r: &coopgraph_model::Relation| statements.get(&std::ptr::from_ref(r)).cloned();
    let citation = |c: &coopgraph_model::Citation| ns.citation(c).as_str().to_owned();
    let links = coopgraph_views::Links { entity: &entity, relation: &relation, citation: &citation };
    match format {
        GraphFormat::GraphMl => coopgraph_views::to_graphml(view, Some(&links)),
        GraphFormat::Cytoscape => coopgraph_views::to_cytoscape(view, Some(&links)),
    }
}

fn write_out(cli: &Cli, args: &ExportArgs, bytes: &[u8], what: &str) -> Result<(), Failure> {
    match &args.output {
        Some(path) => {
            write_file_atomically(path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
            if !cli.quiet {
                anstream::eprintln!("wrote {what} to {}", path.display());
            }
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes).and_then(|()| out.flush()).context("cannot write to stdout")?;
        }
    }
    Ok(())
}

pub fn run(cli: &Cli, args: &ExportArgs) -> Result<ExitCode, Failure> {
    let ns = super::namespaces(cli)?;
    let progress = Progress::start(cli.quiet);
    let dataset = super::load(cli, &progress)?;
    let Some(format) = export_format(args.format) else {
        let view = coopgraph_views::View::all(&dataset);
        let (text, name) = if args.format == ExportFormatArg::Graphml {
            (graph_export(&dataset, &ns, &view, GraphFormat::GraphMl), "GraphML")
        } else {
            (graph_export(&dataset, &ns, &view, GraphFormat::Cytoscape), "Cytoscape.js JSON")
        };
        progress.finish();
        let what = format!("{} nodes and {} edges as {name}", view.entities.len(), view.relations.len());
        write_out(cli, args, text.as_bytes(), &what)?;
        return Ok(ExitCode::SUCCESS);
    };
    progress.step("mapping to RDF");
    let quads = map_dataset(&dataset, &ns, MappingOptions::default());
    let bytes = write_quads(&quads, format, &ns, Vec::new()).context("cannot serialize")?;
    progress.finish();
    let what = format!("{} quads as {}", quads.len(), format.name());
    write_out(cli, args, &bytes, &what)?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use clap::ValueEnum as _;

    use super::*;

    #[test]
    fn every_rdf_format_is_named_on_the_command_line() {
        let named: Vec<ExportFormat> =
            ExportFormatArg::value_variants().iter().filter_map(|a| export_format(*a)).collect();
        assert_eq!(named, ExportFormat::ALL);
        assert_eq!(export_format(ExportFormatArg::Graphml), None);
        assert_eq!(export_format(ExportFormatArg::Cytoscape), None);
    }
}
