//! `coopgraph export`.

use std::io::Write as _;
use std::process::ExitCode;

use anyhow::Context as _;
use coopgraph_rdf::{ExportFormat, MappingOptions, map_dataset, write_quads};

use crate::cli::{Cli, ExportArgs, ExportFormatArg};
use crate::output::{Failure, Progress, write_file_atomically};

/// The library format of a command-line format name.
pub fn export_format(arg: ExportFormatArg) -> ExportFormat {
    match arg {
        ExportFormatArg::Turtle => ExportFormat::Turtle,
        ExportFormatArg::Ntriples => ExportFormat::NTriples,
        ExportFormatArg::Nquads => ExportFormat::NQuads,
        ExportFormatArg::Trig => ExportFormat::TriG,
        ExportFormatArg::Rdfxml => ExportFormat::RdfXml,
        ExportFormatArg::Jsonld => ExportFormat::JsonLd,
    }
}

pub fn run(cli: &Cli, args: &ExportArgs) -> Result<ExitCode, Failure> {
    let ns = super::namespaces(cli)?;
    let progress = Progress::start(cli.quiet);
    let dataset = super::load(cli, &progress)?;
    progress.step("mapping to RDF");
    let quads = map_dataset(&dataset, &ns, MappingOptions::default());
    let format = export_format(args.format);
    let bytes = write_quads(&quads, format, &ns, Vec::new()).context("cannot serialize")?;
    progress.finish();
    match &args.output {
        Some(path) => {
            write_file_atomically(path, &bytes).with_context(|| format!("cannot write {}", path.display()))?;
            if !cli.quiet {
                anstream::eprintln!("wrote {} quads as {} to {}", quads.len(), format.name(), path.display());
            }
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&bytes).and_then(|()| out.flush()).context("cannot write to stdout")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
