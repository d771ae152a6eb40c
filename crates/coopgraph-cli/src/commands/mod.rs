//! One module per subcommand; each turns parsed arguments into library calls
//! and prints the result.

mod build;
mod path;
mod stats;
mod validate;

use std::process::ExitCode;

use coopgraph_load::{LoadOptions, load_dir_with};
use coopgraph_model::Dataset;

use crate::cli::{Cli, Command};
use crate::output::{Failure, Progress};

/// Runs the chosen subcommand.
pub fn run(cli: &Cli) -> Result<ExitCode, Failure> {
    match &cli.command {
        Command::Build(args) => build::run(cli, args),
        Command::Validate => validate::run(cli),
        Command::Stats(args) => stats::run(cli, args),
        Command::Path(args) => path::run(cli, args),
    }
}

/// Loads and checks the data folder, with a spinner on a terminal.
pub fn load(cli: &Cli, progress: &Progress) -> Result<Dataset, Failure> {
    progress.step(&format!("loading {}", cli.data.display()));
    load_dir_with(&cli.data, &LoadOptions { max_errors: cli.max_errors }).map_err(Failure::Data)
}
