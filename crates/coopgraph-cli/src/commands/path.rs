//! `coopgraph path FROM TO`.

use std::process::ExitCode;

use coopgraph_model::{CoopGraph, Dataset, Entity};

use crate::cli::{Cli, PathArgs};
use crate::output::{DIM, Failure, HEADING, Progress};

pub fn known<'d>(dataset: &'d Dataset, id: &str) -> Result<&'d Entity, Failure> {
    dataset.entity(id).ok_or_else(|| {
        let hint = closest(dataset, id).map_or_else(String::new, |c| format!(" (did you mean \"{c}\"?)"));
        Failure::Usage(format!("unknown entity \"{id}\"{hint}; `coopgraph stats` and data/*.toml list the ids"))
    })
}

fn closest<'d>(dataset: &'d Dataset, id: &str) -> Option<&'d str> {
    let by_label = dataset
        .entities
        .values()
        .find(|e| e.labels.values().chain(e.aliases.values().flatten()).any(|l| l.eq_ignore_ascii_case(id)));
    by_label
        .map(|e| e.id.as_str())
        .or_else(|| coopgraph_load::did_you_mean(id, dataset.entities.keys().map(|k| k.as_str())))
}

pub fn run(cli: &Cli, args: &PathArgs) -> Result<ExitCode, Failure> {
    let progress = Progress::start(cli.quiet);
    let dataset = super::load(cli, &progress)?;
    progress.finish();
    let lang = args.lang.tag();
    let from = known(&dataset, &args.from)?;
    let to = known(&dataset, &args.to)?;
    let graph = CoopGraph::new(&dataset);
    let Some(steps) = graph.shortest_path(from.id.as_str(), to.id.as_str()) else {
        return Err(Failure::NoResult(format!("no path between \"{}\" and \"{}\"", from.id, to.id)));
    };
    anstream::println!("{HEADING}{}{HEADING:#} ({})", from.label(lang), from.id);
    for step in &steps {
        let rel = step.relation;
        let arrow = if step.reversed {
            format!("<-{}-", rel.relation_type.name)
        } else {
            format!("-{}->", rel.relation_type.name)
        };
        let mut qualifiers = Vec::new();
        if let Some(role) = &rel.role {
            qualifiers.push(format!("role {role}"));
        }
        if !rel.period.is_empty() {
            qualifiers.push(rel.period.to_string());
        }
        let sources: Vec<String> = rel.sources.iter().map(ToString::to_string).collect();
        qualifiers.push(format!("source {}", sources.join(", ")));
        anstream::println!(
            "  {arrow} {HEADING}{}{HEADING:#} ({})  {DIM}[{}]{DIM:#}",
            step.to.label(lang),
            step.to.id,
            qualifiers.join("; ")
        );
    }
    if !cli.quiet {
        anstream::println!("{DIM}{} step{}{DIM:#}", steps.len(), if steps.len() == 1 { "" } else { "s" });
    }
    Ok(ExitCode::SUCCESS)
}
