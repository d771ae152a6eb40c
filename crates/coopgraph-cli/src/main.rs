//! The `coopgraph` binary: parses the command line and hands over to the
//! subcommands. Everything worth testing lives in the library crates.

mod cli;
mod commands;
mod output;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::Cli;

fn main() -> ExitCode {
    let cli = Cli::parse();
    output::init_color(cli.color);
    match commands::run(&cli) {
        Ok(code) => code,
        Err(failure) => failure.report(),
    }
}
