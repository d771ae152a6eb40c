//! One module per subcommand; each turns parsed arguments into library calls
//! and prints the result.

mod build;
mod dot;
mod export;
mod extract;
mod import;
mod path;
mod publish;
mod query;
mod review;
mod serve;
mod stats;
mod validate;

use std::process::ExitCode;

use coopgraph_load::{LoadOptions, load_dir_with};
use coopgraph_model::Dataset;

use crate::cli::{Cli, Command, QueryCommand};
use crate::output::{Failure, Progress};

/// Runs the chosen subcommand.
pub fn run(cli: &Cli) -> Result<ExitCode, Failure> {
    match &cli.command {
        Command::Build(args) => build::run(cli, args),
        Command::Validate(args) => validate::run(cli, args),
        Command::Stats(args) => stats::run(cli, args),
        Command::Path(args) => path::run(cli, args),
        Command::Export(args) => export::run(cli, args),
        Command::Dot(args) => dot::run(cli, args),
        Command::Query(QueryCommand::List(args)) => query::list(args),
        Command::Query(QueryCommand::Run(args)) => query::run(cli, args),
        Command::Sparql(args) => query::sparql(cli, args),
        Command::Import(args) => import::run(cli, args),
        Command::Serve(args) => serve::run(cli, args),
        Command::Publish(args) => publish::run(cli, args),
        Command::Extract(args) => extract::run(cli, args),
        Command::Review(args) => review::run(cli, args),
    }
}

/// The namespaces chosen with --base and --vocab.
pub fn namespaces(cli: &Cli) -> Result<coopgraph_rdf::Namespaces, Failure> {
    coopgraph_rdf::Namespaces::new(&cli.base, &cli.vocab).map_err(|e| Failure::Usage(e.to_string()))
}

/// Loads and checks the data folder, with a spinner on a terminal.
pub fn load(cli: &Cli, progress: &Progress) -> Result<Dataset, Failure> {
    progress.step(&format!("loading {}", cli.data.display()));
    load_dir_with(&cli.data, &LoadOptions { max_errors: cli.max_errors }).map_err(Failure::Data)
}
