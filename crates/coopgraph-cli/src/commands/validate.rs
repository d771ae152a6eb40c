//! `coopgraph validate`: the data checks, then SHACL over the mapped RDF.

use std::path::Path;
use std::process::ExitCode;

use coopgraph_rdf::oxigraph::io::{RdfFormat, RdfParser};
use coopgraph_rdf::oxigraph::model::{Graph, Term, TripleRef};
use coopgraph_rdf::shacl::BUNDLED_SHAPES;
use coopgraph_rdf::{MappingOptions, QuadSet, Shapes, ValidationResult, map_dataset};

use crate::cli::{Cli, ValidateArgs};
use crate::output::{DIM, ERROR, Failure, GOOD, Progress};

fn shapes(args: &ValidateArgs) -> Result<Shapes, Failure> {
    let text = match &args.shapes {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| Failure::Usage(format!("cannot read the shapes {}: {e}", path.display())))?,
        None => BUNDLED_SHAPES.to_owned(),
    };
    Shapes::from_turtle(&text).map_err(|e| Failure::Usage(e.to_string()))
}

fn read_rdf(path: &Path) -> Result<Graph, Failure> {
    let format = path
        .extension()
        .and_then(|e| e.to_str())
        .and_then(RdfFormat::from_extension)
        .ok_or_else(|| Failure::Usage(format!("{}: unknown RDF file extension", path.display())))?;
    let bytes = std::fs::read(path).map_err(|e| Failure::Usage(format!("cannot read {}: {e}", path.display())))?;
    let mut g = Graph::new();
    for q in RdfParser::from_format(format).for_slice(&bytes) {
        let q = q.map_err(|e| Failure::Usage(format!("{}: {e}", path.display())))?;
        g.insert(TripleRef::new(q.subject.as_ref(), q.predicate.as_ref(), q.object.as_ref()));
    }
    Ok(g)
}

fn term(t: &Term) -> String {
    t.to_string()
}

fn report(results: &[ValidationResult], quads: Option<&QuadSet>, fallback: &str) -> usize {
    let mut violations = 0;
    for r in results {
        let origin = match (&r.focus, quads) {
            (Term::NamedNode(n), Some(q)) => q.origin(n).map(ToString::to_string),
            _ => None,
        };
        let at = origin.unwrap_or_else(|| fallback.to_owned());
        let path = r.path.as_ref().map_or_else(String::new, |p| format!(", path {p}"));
        let value = r.value.as_ref().map_or_else(String::new, |v| format!(", value {}", term(v)));
        let level = if r.severity == "Violation" { "error" } else { "warning" };
        if r.severity == "Violation" {
            violations += 1;
        }
        anstream::eprintln!(
            "{at}: {ERROR}{level}{ERROR:#}: shacl: {} {DIM}(focus {}{path}{value}; shape {}){DIM:#}",
            r.message,
            term(&r.focus),
            term(&r.shape)
        );
    }
    violations
}

pub fn run(cli: &Cli, args: &ValidateArgs) -> Result<ExitCode, Failure> {
    let shapes = shapes(args)?;
    if let Some(rdf) = &args.rdf {
        let graph = read_rdf(rdf)?;
        let results = shapes.validate(&graph);
        let violations = report(&results, None, &rdf.display().to_string());
        if violations > 0 {
            return Err(Failure::NoResult(format!(
                "{violations} SHACL violation{} in {}",
                plural(violations),
                rdf.display()
            )));
        }
        if !cli.quiet {
            anstream::println!("{GOOD}ok{GOOD:#}: {} conforms to the shapes ({} triples)", rdf.display(), graph.len());
        }
        return Ok(ExitCode::SUCCESS);
    }
    let ns = super::namespaces(cli)?;
    let progress = Progress::start(cli.quiet);
    let dataset = super::load(cli, &progress)?;
    progress.step("checking the RDF against the SHACL shapes");
    let quads = map_dataset(&dataset, &ns, MappingOptions::default());
    let results = shapes.validate_triples(quads.triples());
    progress.finish();
    let violations = report(&results, Some(&quads), &cli.data.display().to_string());
    if violations > 0 {
        return Err(Failure::NoResult(format!("{violations} SHACL violation{} in the data's RDF", plural(violations))));
    }
    if !cli.quiet {
        anstream::println!(
            "{GOOD}ok{GOOD:#}: {} is valid: {} entities, {} relations, {} figures, {} measures, {} sources; its {} quads conform to {} SHACL shapes",
            cli.data.display(),
            dataset.entities.len(),
            dataset.relations.len(),
            dataset.figures.len(),
            dataset.measures.len(),
            dataset.sources.len(),
            quads.len(),
            shapes.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
