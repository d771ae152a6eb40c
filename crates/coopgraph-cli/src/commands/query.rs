//! `coopgraph query list|run` and `coopgraph sparql`.

use std::io::Write as _;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;
use coopgraph_rdf::lateral::Cardinalities;
use coopgraph_rdf::oxigraph::store::Store;
use coopgraph_rdf::query::{
    LibraryQuery, QueryOptions, ResultFormat, bundled_library, load_library, parse_library_query, run_query,
    write_results,
};
use coopgraph_rdf::sidecar::StoreStats;
use coopgraph_rdf::{ErrorKind, MappingOptions, RdfError, map_dataset, store};

use crate::cli::{Cli, QueryListArgs, QueryRunArgs, SparqlArgs, StoreArgs};
use crate::output::{DIM, Failure, HEADING, Progress};

/// Turns an RDF-layer error into a failure with the right exit code: what
/// the query or its command line asked for is a usage error (2); a time
/// limit, a bound, a file or the store failing, a defect are a failed run (1).
pub fn rdf_failure(e: RdfError) -> Failure {
    match e.kind() {
        ErrorKind::Syntax | ErrorKind::Unsupported | ErrorKind::Refused | ErrorKind::Usage | ErrorKind::Evaluation => {
            Failure::Usage(e.to_string())
        }
        ErrorKind::Timeout | ErrorKind::TooLarge | ErrorKind::Io | ErrorKind::Internal => Failure::Run(e.into()),
    }
}

pub fn open(cli: &Cli, args: &StoreArgs, progress: &Progress) -> Result<Store, Failure> {
    if args.memory {
        let ns = super::namespaces(cli)?;
        let dataset = super::load(cli, progress)?;
        progress.step("loading an in-memory store");
        store::memory_store(&map_dataset(&dataset, &ns, MappingOptions::default())).map_err(rdf_failure)
    } else {
        store::open_store(&args.store).map_err(|e| Failure::Usage(e.to_string()))
    }
}

/// How queries run on the store `args` name: its time limit, and the counts
/// kept beside an on-disk store, by which the runner plans OPTIONALs.
pub(super) fn options(args: &StoreArgs) -> QueryOptions {
    let counts = if args.memory { None } else { StoreStats::read(&args.store).ok().flatten() };
    QueryOptions {
        timeout: Some(Duration::from_secs(args.timeout)),
        cardinalities: counts.map(|stats| std::sync::Arc::new(Cardinalities::from_stats(&stats))),
        ..QueryOptions::default()
    }
}

fn execute(
    cli: &Cli,
    args: &StoreArgs,
    text: &str,
    origin: &str,
    query: Option<(&LibraryQuery, &[(String, String)])>,
    format: ResultFormat,
    max_sort_rows: Option<usize>,
) -> Result<ExitCode, Failure> {
    let ns = super::namespaces(cli)?;
    let progress = Progress::start(cli.quiet);
    let bindings = match query {
        Some((q, given)) => q.bindings(given, &ns).map_err(rdf_failure)?,
        None => Vec::new(),
    };
    let store = open(cli, args, &progress)?;
    if let Some((q, given)) = query
        && let Some(unknown) =
            coopgraph_rdf::known::unknown_entity_param(q, given, &bindings, &store, &ns).map_err(rdf_failure)?
    {
        let hint = coopgraph_load::did_you_mean(&unknown.id, unknown.known.iter().map(String::as_str))
            .map_or_else(String::new, |c| format!(" (did you mean \"{c}\"?)"));
        return Err(Failure::Usage(format!(
            "parameter {}: no entity \"{}\" in the store{hint}",
            unknown.param, unknown.id
        )));
    }
    progress.step("running the query");
    let options = QueryOptions { max_sort_rows, ..options(args) };
    let results = run_query(&store, &ns, text, bindings, &options, origin).map_err(rdf_failure)?;
    let bytes = write_results(results, format, &ns, Vec::new()).map_err(rdf_failure)?;
    progress.finish();
    let mut out = std::io::stdout().lock();
    out.write_all(&bytes).and_then(|()| out.flush()).context("cannot write to stdout")?;
    Ok(ExitCode::SUCCESS)
}

pub fn list(args: &QueryListArgs) -> Result<ExitCode, Failure> {
    let library = library(args.queries.as_deref())?;
    for q in &library {
        anstream::println!("{HEADING}{}{HEADING:#}  {}", q.name, q.title);
        if !q.description.is_empty() {
            anstream::println!("    {DIM}{}{DIM:#}", q.description);
        }
        for p in &q.params {
            anstream::println!("    --param {}=VALUE  ({:?}, default {}) {}", p.name, p.kind, p.default, p.description);
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn parse_params(raw: &[String]) -> Result<Vec<(String, String)>, Failure> {
    raw.iter()
        .map(|p| {
            p.split_once('=')
                .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                .ok_or_else(|| Failure::Usage(format!("parameter \"{p}\": expected KEY=VALUE, such as org=interpol")))
        })
        .collect()
}

/// The query library: the folder given with `--queries`; else `./queries`
/// when there is one (a checkout, where the queries are edited); else the
/// queries built into the binary.
pub fn library(queries: Option<&std::path::Path>) -> Result<Vec<LibraryQuery>, Failure> {
    let found = match queries {
        Some(dir) => load_library(dir),
        None if std::path::Path::new(DEFAULT_LIBRARY).is_dir() => load_library(std::path::Path::new(DEFAULT_LIBRARY)),
        None => bundled_library(),
    };
    found.map_err(|e| Failure::Usage(e.to_string()))
}

/// The folder the library is read from when `--queries` is not given and
/// it exists.
const DEFAULT_LIBRARY: &str = "queries";

/// A bundled query by name, or a .rq file.
pub fn find_query(name: &str, queries: Option<&std::path::Path>) -> Result<LibraryQuery, Failure> {
    let as_path = std::path::Path::new(name);
    if name.ends_with(".rq") && as_path.exists() {
        parse_library_query(as_path).map_err(|e| Failure::Usage(e.to_string()))
    } else {
        let library = library(queries)?;
        match library.iter().find(|q| q.name == name) {
            Some(q) => Ok(q.clone()),
            None => {
                let hint = coopgraph_load::did_you_mean(name, library.iter().map(|q| q.name.as_str()))
                    .map_or_else(String::new, |c| format!(" (did you mean \"{c}\"?)"));
                Err(Failure::Usage(format!("no bundled query \"{name}\"{hint}; `coopgraph query list` shows them")))
            }
        }
    }
}

pub fn run(cli: &Cli, args: &QueryRunArgs) -> Result<ExitCode, Failure> {
    let params = parse_params(&args.params)?;
    let query = find_query(&args.name, args.queries.as_deref())?;
    let origin = query.path.display().to_string();
    execute(cli, &args.store, &query.text, &origin, Some((&query, &params)), args.format, args.max_sort_rows)
}

pub fn sparql(cli: &Cli, args: &SparqlArgs) -> Result<ExitCode, Failure> {
    let (text, origin) = match args.query.strip_prefix('@') {
        Some(file) => (
            std::fs::read_to_string(file).map_err(|e| Failure::Usage(format!("cannot read {file}: {e}")))?,
            file.to_owned(),
        ),
        None => (args.query.clone(), "query".to_owned()),
    };
    execute(cli, &args.store, &text, &origin, None, args.format, args.max_sort_rows)
}

#[cfg(test)]
mod tests {
    use coopgraph_rdf::Span;

    use super::*;

    #[test]
    fn each_kind_of_error_has_its_exit_code() {
        let syntax = RdfError::Syntax { origin: "query".into(), span: Some(Span::at(1, 8)), message: "bad".into() };
        for (e, usage) in [
            (syntax, true),
            (RdfError::Unsupported("sh:flags".into()), true),
            (RdfError::Refused("SERVICE refused".into()), true),
            (RdfError::Usage("no parameter".into()), true),
            (RdfError::Query("query failed".into()), true),
            (RdfError::Timeout(Duration::from_secs(1)), false),
            (RdfError::SortTooLarge(10), false),
            (RdfError::Io("disk".into()), false),
            (RdfError::Internal("panic".into()), false),
        ] {
            let kind = e.kind();
            let failure = rdf_failure(e);
            // Usage errors exit 2; the others are failed runs (exit 1).
            assert_eq!(matches!(failure, Failure::Usage(_)), usage, "{kind:?}");
            assert_eq!(matches!(failure, Failure::Run(_)), !usage, "{kind:?}");
        }
    }
}
