//! `coopgraph build`: data -> checked dataset -> graph -> outputs.

use std::process::ExitCode;

use anyhow::Context as _;

use crate::cli::{BuildArgs, Cli};
use crate::output::{Failure, GOOD, Progress, StagedDir};

pub fn run(cli: &Cli, args: &BuildArgs) -> Result<ExitCode, Failure> {
    let progress = Progress::start(cli.quiet);
    let dataset = super::load(cli, &progress)?;

    progress.step("assembling the graph");
    let report = super::stats::StatsReport::new(&dataset, 10, "en");

    progress.step("writing outputs");
    let staged = StagedDir::new(&args.out).with_context(|| format!("cannot prepare {}", args.out.display()))?;
    std::fs::write(staged.path().join("stats.json"), report.to_json()).context("cannot write stats.json")?;
    std::fs::write(staged.path().join("stats.txt"), report.to_text()).context("cannot write stats.txt")?;
    staged.commit().with_context(|| format!("cannot move the outputs into {}", args.out.display()))?;
    progress.finish();

    if !cli.quiet {
        anstream::println!(
            "{GOOD}built{GOOD:#} {} entities, {} relations, {} figures from {} into {}",
            dataset.entities.len(),
            dataset.relations.len(),
            dataset.figures.len(),
            cli.data.display(),
            args.out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
