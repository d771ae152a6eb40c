//! `coopgraph serve`: publishes the store over HTTP until SIGTERM or Ctrl-C.

use std::process::ExitCode;
use std::time::Duration;

use coopgraph_serve::ServerConfig;

use crate::cli::{Cli, ServeArgs};
use crate::output::{Failure, GOOD, Progress};

/// Checks --base-url: an absolute http(s) URL, given a final `/`.
fn public_url(given: Option<&str>) -> Result<String, Failure> {
    let Some(url) = given else {
        // Empty: the server takes the address it actually binds.
        return Ok(String::new());
    };
    let ok = (url.starts_with("http://") || url.starts_with("https://"))
        && coopgraph_rdf::oxigraph::model::NamedNode::new(url).is_ok()
        && !url.contains(['?', '#']);
    if !ok {
        return Err(Failure::Usage(format!(
            "--base-url \"{url}\" is not an absolute http(s) URL without query or fragment, \
             such as https://coopgraph.example.org/"
        )));
    }
    Ok(if url.ends_with('/') { url.to_owned() } else { format!("{url}/") })
}

pub fn run(cli: &Cli, args: &ServeArgs) -> Result<ExitCode, Failure> {
    let ns = super::namespaces(cli)?;
    let progress = Progress::start(cli.quiet);
    let examples = super::query::library(args.queries.as_deref())?;
    let store = super::query::open(cli, &args.store, &progress)?;
    progress.step("reading the store's statistics");
    let mut config = ServerConfig::new(args.bind, ns);
    config.public_url = public_url(args.base_url.as_deref())?;
    config.query_timeout = Duration::from_secs(args.store.timeout.max(1));
    config.max_body_bytes = args.max_body;
    config.max_result_bytes = args.max_result_mib.saturating_mul(1024 * 1024);
    config.max_concurrent_queries = args.max_concurrent;
    config.max_concurrent_reads = args.max_concurrent_reads;
    config.queue_timeout = Duration::from_secs(args.queue_timeout);
    config.client_budget = coopgraph_serve::ClientBudget {
        requests_per_minute: args.client_requests,
        seconds_per_minute: args.client_seconds,
    };
    config.max_memory_bytes = args.max_memory_mib.saturating_mul(1024 * 1024);
    config.connections = coopgraph_serve::ConnectionLimits {
        max_connections: args.max_connections,
        header_timeout: Duration::from_secs(args.header_timeout),
        idle_timeout: Duration::from_secs(args.idle_timeout),
        body_timeout: Duration::from_secs(args.body_timeout),
    };
    config.max_sort_rows = args.max_sort_rows;
    config.examples = examples;
    config.store_path = (!args.store.memory).then(|| args.store.store.clone());
    config.reload_interval = Duration::from_secs(args.reload_interval);
    if let Some(dir) = &args.drafts
        && !dir.is_dir()
    {
        return Err(Failure::Usage(format!("--drafts {}: not a folder", dir.display())));
    }
    config.drafts.clone_from(&args.drafts);
    config.store_label = if args.store.memory {
        format!("{} (in memory)", cli.data.display())
    } else {
        args.store.store.display().to_string()
    };
    config.store_path = (!args.store.memory).then(|| args.store.store.clone());
    let label = config.store_label.clone();
    coopgraph_serve::run(store, config, |address, public| {
        progress.finish();
        // Always printed: scripts read the address from this line.
        anstream::eprintln!(
            "{GOOD}serving{GOOD:#} {label} on http://{address}/ (SPARQL: http://{address}/sparql; links use {public}); \
             Ctrl-C to stop"
        );
    })
    .map_err(|e| Failure::Run(e.into()))?;
    Ok(ExitCode::SUCCESS)
}
