//! `coopgraph publish`: the named graphs into an external triplestore,
//! then counted back.

use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use coopgraph_publish::{
    Credentials, Event, GraphParam, NamedGraph, PublishError, Publisher, Report, RetryPolicy, Settings, Target, Url,
    WriteMethod, named_graphs,
};
use coopgraph_rdf::{MappingOptions, map_dataset, store};

use crate::cli::{Cli, GraphParamArg, PublishArgs, PublishMethodArg};
use crate::output::{DIM, ERROR, Failure, GOOD, HEADING, Progress};

/// Triples per Graph Store request by default.
const DEFAULT_BATCH: usize = 2000;
/// Triples per SPARQL Update request by default: Virtuoso 7.2 refuses an
/// INSERT DATA of 2000 triples ("generated SQL text has exceeded 10000 lines").
const DEFAULT_UPDATE_BATCH: usize = 500;

fn usage(e: PublishError) -> Failure {
    Failure::Usage(e.to_string())
}

/// The password: the first line of the file.
fn read_password(path: &Path) -> Result<String, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::Usage(format!("cannot read --password-file {}: {e}", path.display())))?;
    let password = text.lines().next().unwrap_or_default();
    if password.is_empty() {
        return Err(Failure::Usage(format!(
            "--password-file {} has an empty first line; expected the password there",
            path.display()
        )));
    }
    Ok(password.to_owned())
}

/// The write method: as asked, else the Graph Store Protocol when a Graph
/// Store endpoint is given, else SPARQL Update.
fn method(args: &PublishArgs) -> PublishMethodArg {
    args.method.unwrap_or(if args.graph_store.is_some() {
        PublishMethodArg::GraphStore
    } else {
        PublishMethodArg::Update
    })
}

fn target(args: &PublishArgs) -> Result<Target, Failure> {
    let endpoint = Url::parse("--endpoint", &args.endpoint).map_err(usage)?;
    let graph_store = match &args.graph_store {
        Some(u) => Url::parse("--graph-store", u).map_err(usage)?,
        None if method(args) == PublishMethodArg::GraphStore => {
            return Err(Failure::Usage(
                "--graph-store URL is needed to write with the Graph Store Protocol (--method graph-store): the store's Graph Store endpoint, such as http://localhost:8890/sparql-graph-crud-auth \
                 (Virtuoso) or http://localhost:3030/ds/data (Fuseki); or write with --method update"
                    .to_owned(),
            ));
        }
        None => endpoint.clone(),
    };
    let update = match &args.update_endpoint {
        Some(u) => Url::parse("--update-endpoint", u).map_err(usage)?,
        None => endpoint.clone(),
    };
    Ok(Target {
        endpoint,
        graph_store,
        update,
        method: match method(args) {
            PublishMethodArg::GraphStore => WriteMethod::GraphStore,
            PublishMethodArg::Update => WriteMethod::Update,
        },
        graph_param: match args.graph_param {
            GraphParamArg::Auto => GraphParam::Auto,
            GraphParamArg::Graph => GraphParam::Graph,
            GraphParamArg::GraphUri => GraphParam::GraphUri,
        },
    })
}

/// The named graphs to publish, and a note on where they come from.
fn graphs(cli: &Cli, args: &PublishArgs, progress: &Progress) -> Result<(Vec<NamedGraph>, String), Failure> {
    match &args.store {
        Some(path) => {
            progress.step(&format!("reading the store {}", path.display()));
            let store = store::open_store(path).map_err(|e| Failure::Usage(e.to_string()))?;
            let quads = store
                .iter()
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| Failure::Run(anyhow::anyhow!("cannot read the store at {}: {e}", path.display())))?;
            let (graphs, union) = named_graphs(quads);
            Ok((
                graphs,
                format!("store {} (its default graph, the union of {union} triples, left out)", path.display()),
            ))
        }
        None => {
            let ns = super::namespaces(cli)?;
            let dataset = super::load(cli, progress)?;
            progress.step("mapping to RDF");
            let quads = map_dataset(&dataset, &ns, MappingOptions::default());
            let (graphs, default_graph) = named_graphs(quads.into_vec());
            if default_graph > 0 {
                return Err(Failure::Run(anyhow::anyhow!(
                    "the mapping put {default_graph} triples in the default graph; only named graphs can be published"
                )));
            }
            Ok((graphs, format!("data folder {}", cli.data.display())))
        }
    }
}

fn print_report(report: &Report, target: &Target, origin: &str) {
    let width = report.graphs.iter().map(|g| g.graph.len()).max().unwrap_or(0).max("graph".len());
    anstream::println!("{HEADING}{:<width$}  {:>8}  {:>8}  {:>8}{HEADING:#}", "graph", "sent", "in store", "requests");
    for g in &report.graphs {
        let verdict = if g.local == g.remote {
            format!("{GOOD}ok{GOOD:#}")
        } else {
            format!("{ERROR}differs by {}{ERROR:#}", i128::from(g.remote) - i128::from(g.local))
        };
        anstream::println!("{:<width$}  {:>8}  {:>8}  {:>8}  {verdict}", g.graph, g.local, g.remote, g.requests);
    }
    let writes: usize = report.graphs.iter().map(|g| g.requests).sum();
    anstream::println!("{:<width$}  {:>8}  {:>8}  {:>8}", "total", report.local_total(), report.remote_total(), writes);
    anstream::println!(
        "{DIM}from {origin} to {}; {} requests answered, {} retried{DIM:#}",
        match target.method {
            WriteMethod::GraphStore => &target.graph_store,
            WriteMethod::Update => &target.update,
        },
        report.requests,
        report.retries
    );
}

pub fn run(cli: &Cli, args: &PublishArgs) -> Result<ExitCode, Failure> {
    let target = target(args)?;
    let credentials = match (&args.user, &args.password_file) {
        (Some(user), Some(file)) => Some(Credentials { user: user.clone(), password: read_password(file)? }),
        _ => None,
    };
    let settings = Settings {
        credentials,
        batch_size: args.batch_size.map_or(
            match method(args) {
                PublishMethodArg::GraphStore => DEFAULT_BATCH,
                PublishMethodArg::Update => DEFAULT_UPDATE_BATCH,
            },
            |n| usize::try_from(n).unwrap_or(usize::MAX),
        ),
        retry: RetryPolicy { attempts: args.retries + 1, ..RetryPolicy::default() },
        timeout: Duration::from_secs(args.timeout),
    };
    let progress = Progress::start(cli.quiet);
    let (graphs, origin) = graphs(cli, args, &progress)?;
    if graphs.is_empty() {
        return Err(Failure::NoResult(format!("nothing to publish: {origin} has no named graphs")));
    }
    let mut publisher = Publisher::new(target.clone(), settings);
    let quiet = cli.quiet;
    let report = publisher
        .publish(&graphs, &mut |event| match event {
            Event::Batch { graph, graph_number, graphs, batch, batches } => {
                progress.step(&format!("graph {graph_number}/{graphs} {}: batch {batch}/{batches}", graph.as_str()))
            }
            Event::Retry(n) if !quiet => progress.suspend(|| {
                anstream::eprintln!(
                    "warning: {}: {}; trying again in {:.1}s (try {} of {})",
                    n.request,
                    n.reason,
                    n.wait.as_secs_f64(),
                    n.attempt + 1,
                    n.attempts
                );
            }),
            Event::Retry(_) => {}
            Event::Counting { graph } => progress.step(&format!("counting {} back", graph.as_str())),
        })
        .map_err(|e| Failure::Run(e.into()))?;
    progress.finish();
    if !quiet || !report.matches() {
        print_report(&report, &target, &origin);
    }
    if !report.matches() {
        let differing = report.graphs.iter().filter(|g| g.local != g.remote).count();
        return Err(Failure::Run(anyhow::anyhow!(
            "{differing} of {} graphs hold another number of triples in the store than were sent",
            report.graphs.len()
        )));
    }
    if !quiet {
        anstream::println!(
            "{GOOD}published{GOOD:#} {} triples in {} named graphs; every count matches",
            report.local_total(),
            report.graphs.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use clap::Parser as _;

    use super::method;
    use crate::cli::{Cli, Command, PublishMethodArg};

    fn chosen(args: &[&str]) -> PublishMethodArg {
        let mut all = vec!["coopgraph", "publish", "--endpoint", "http://h/sparql"];
        all.extend_from_slice(args);
        match Cli::try_parse_from(all).unwrap().command {
            Command::Publish(p) => method(&p),
            _ => panic!("not publish"),
        }
    }

    #[test]
    fn the_method_follows_the_endpoints_given() {
        assert_eq!(chosen(&[]), PublishMethodArg::Update);
        assert_eq!(chosen(&["--graph-store", "http://h/gsp"]), PublishMethodArg::GraphStore);
        assert_eq!(chosen(&["--graph-store", "http://h/gsp", "--method", "update"]), PublishMethodArg::Update);
    }
}
