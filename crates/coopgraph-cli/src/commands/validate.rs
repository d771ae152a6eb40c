//! `coopgraph validate`.

use std::process::ExitCode;

use crate::cli::Cli;
use crate::output::{Failure, GOOD, Progress};

pub fn run(cli: &Cli) -> Result<ExitCode, Failure> {
    let progress = Progress::start(cli.quiet);
    let dataset = super::load(cli, &progress)?;
    progress.finish();
    if !cli.quiet {
        anstream::println!(
            "{GOOD}ok{GOOD:#}: {} is valid: {} entities, {} relations, {} figures, {} measures, {} sources",
            cli.data.display(),
            dataset.entities.len(),
            dataset.relations.len(),
            dataset.figures.len(),
            dataset.measures.len(),
            dataset.sources.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}
