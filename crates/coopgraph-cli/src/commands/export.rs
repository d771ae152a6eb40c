//! `coopgraph export`.

use std::io::Write as _;
use std::process::ExitCode;

use anyhow::Context as _;
use coopgraph_rdf::{ExportFormat, MappingOptions, map_dataset, write_quads};

use crate::cli::{Cli, ExportArgs, ExportFormatArg};
use crate::output::{Failure, Progress, write_file_atomically};

/// The library format of a command-line format name; `None` for the graph
/// formats (GraphML, Cytoscape.js), which the views crate writes.
pub fn export_format(arg: ExportFormatArg) -> Option<ExportFormat> {
    match arg {
        ExportFormatArg::Turtle => Some(ExportFormat::Turtle),
        ExportFormatArg::Ntriples => Some(ExportFormat::NTriples),
        ExportFormatArg::Nquads => Some(ExportFormat::NQuads),
        ExportFormatArg::Trig => Some(ExportFormat::TriG),
        ExportFormatArg::Rdfxml => Some(ExportFormat::RdfXml),
        ExportFormatArg::Jsonld => Some(ExportFormat::JsonLd),
        ExportFormatArg::Graphml | ExportFormatArg::Cytoscape => None,
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
            (coopgraph_views::to_graphml(&view), "GraphML")
        } else {
            (coopgraph_views::to_cytoscape(&view), "Cytoscape.js JSON")
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
