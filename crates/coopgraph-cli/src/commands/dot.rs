//! `coopgraph dot`: a selection of the graph drawn with Graphviz.

use std::io::Write as _;
use std::process::ExitCode;

use anyhow::Context as _;
use coopgraph_model::{Dataset, EntityKind, PartialDate, RELATION_TYPES, RelationType};
use coopgraph_rdf::Namespaces;
use coopgraph_rdf::oxigraph::model::Term;
use coopgraph_rdf::oxigraph::sparql::QueryResults;
use coopgraph_rdf::query::run_query;
use coopgraph_views::{DotOptions, ImageFormat, LARGE_VIEW, Selection, Triple, ViewError};

use crate::cli::{Cli, DotArgs, DotFormatArg};
use crate::output::{Failure, Progress, write_file_atomically};

fn usage_hint(what: &str, given: &str, known: &[&str]) -> Failure {
    let hint = coopgraph_load::did_you_mean(given, known.iter().copied())
        .map_or_else(String::new, |c| format!(" (did you mean \"{c}\"?)"));
    Failure::Usage(format!("unknown {what} \"{given}\"{hint}; known: {}", known.join(", ")))
}

fn kind(name: &str) -> Result<EntityKind, Failure> {
    EntityKind::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = EntityKind::ALL.iter().map(|k| k.name()).collect();
        usage_hint("kind", name, &names)
    })
}

fn relation_type(name: &str) -> Result<&'static RelationType, Failure> {
    RelationType::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = RELATION_TYPES.iter().map(|r| r.name).collect();
        usage_hint("relation type", name, &names)
    })
}

fn date(flag: &str, text: &str) -> Result<PartialDate, Failure> {
    text.parse().map_err(|e| Failure::Usage(format!("--{flag} \"{text}\": {e} (use YYYY, YYYY-MM or YYYY-MM-DD)")))
}

/// The relation triples of a query result whose ends are entities and whose
/// predicate is a relation property.
fn query_triples(cli: &Cli, args: &DotArgs, name: &str, progress: &Progress) -> Result<Vec<Triple>, Failure> {
    let ns = super::namespaces(cli)?;
    let query = super::query::find_query(name, args.queries.as_deref())?;
    let params = super::query::parse_params(&args.params)?;
    let bindings = query.bindings(&params, &ns).map_err(super::query::rdf_failure)?;
    let store = super::query::open(cli, &args.store, progress)?;
    progress.step("running the query");
    let options = super::query::options(&args.store);
    let origin = query.path.display().to_string();
    let results =
        run_query(&store, &ns, &query.text, bindings, &options, &origin).map_err(super::query::rdf_failure)?;
    let mut raw: Vec<(Term, Term, Term)> = Vec::new();
    match results {
        QueryResults::Graph(triples) => {
            for triple in triples {
                let t = triple.map_err(|e| Failure::Run(anyhow::anyhow!("{e}")))?;
                raw.push((t.subject.into(), t.predicate.into(), t.object));
            }
        }
        QueryResults::Solutions(solutions) => {
            for solution in solutions {
                let s = solution.map_err(|e| Failure::Run(anyhow::anyhow!("{e}")))?;
                if let (Some(a), Some(b), Some(c)) = (s.get("s"), s.get("p"), s.get("o")) {
                    raw.push((a.clone(), b.clone(), c.clone()));
                }
            }
        }
        QueryResults::Boolean(_) => {
            return Err(Failure::Usage(format!(
                "query \"{name}\" is an ASK; --query needs a CONSTRUCT or a SELECT of ?s ?p ?o"
            )));
        }
    }
    Ok(raw.iter().filter_map(|(s, p, o)| relation_triple(&ns, s, p, o)).collect())
}

fn relation_triple(ns: &Namespaces, s: &Term, p: &Term, o: &Term) -> Option<Triple> {
    let (Term::NamedNode(s), Term::NamedNode(p), Term::NamedNode(o)) = (s, p, o) else { return None };
    let local = p.as_str().strip_prefix(ns.vocab())?;
    let relation_type = RELATION_TYPES.iter().find(|r| r.property == local)?;
    Some((
        ns.entity_id_of(s.as_str())?.to_owned(),
        relation_type.name.to_owned(),
        ns.entity_id_of(o.as_str())?.to_owned(),
    ))
}

fn selection(cli: &Cli, args: &DotArgs, dataset: &Dataset, progress: &Progress) -> Result<Selection, Failure> {
    let mut selection = Selection::new();
    if let Some(id) = &args.focus {
        let entity = super::path::known(dataset, id)?;
        selection = selection.with_focus(entity.id.as_str(), args.depth);
    }
    if !args.kinds.is_empty() {
        selection = selection.with_kinds(args.kinds.iter().map(|k| kind(k.trim())).collect::<Result<_, _>>()?);
    }
    if !args.relations.is_empty() {
        selection =
            selection.with_relations(args.relations.iter().map(|r| relation_type(r.trim())).collect::<Result<_, _>>()?);
    }
    if let Some(source) = &args.source {
        if !dataset.sources.contains_key(source.as_str()) {
            let known: Vec<&str> = dataset.sources.keys().map(|k| k.as_str()).collect();
            return Err(usage_hint("source document", source, &known));
        }
        selection = selection.with_source(source);
    }
    if let Some(since) = &args.since {
        selection = selection.with_since(date("since", since)?);
    }
    if let Some(until) = &args.until {
        selection = selection.with_until(date("until", until)?);
    }
    if let Some(name) = &args.query {
        selection = selection.with_triples(query_triples(cli, args, name, progress)?);
    }
    let mut hidden = Vec::new();
    for id in &args.hide {
        hidden.push(super::path::known(dataset, id.trim())?.id.as_str().to_owned());
    }
    selection = selection.with_hidden(hidden);
    if let Some(n) = args.max_degree {
        selection = selection.with_max_degree(n);
    }
    Ok(selection)
}

fn image_format(format: DotFormatArg) -> Option<ImageFormat> {
    match format {
        DotFormatArg::Dot => None,
        DotFormatArg::Svg => Some(ImageFormat::Svg),
        DotFormatArg::Png => Some(ImageFormat::Png),
        DotFormatArg::Pdf => Some(ImageFormat::Pdf),
    }
}

/// A Graphviz failure as the user should read it.
pub fn view_failure(e: ViewError) -> Failure {
    Failure::Run(anyhow::anyhow!("{e}"))
}

pub fn run(cli: &Cli, args: &DotArgs) -> Result<ExitCode, Failure> {
    let progress = Progress::start(cli.quiet);
    let dataset = super::load(cli, &progress)?;
    let selection = selection(cli, args, &dataset, &progress)?;
    let view = selection.apply(&dataset);
    if view.entities.is_empty() {
        progress.finish();
        return Err(Failure::NoResult(
            "the selection is empty: no entity matches these filters (nothing was written)".to_owned(),
        ));
    }
    if view.entities.len() > LARGE_VIEW {
        anstream::eprintln!(
            "warning: {} nodes are hard to read; narrow the view with --focus ID --depth N, --kinds, --relations, --source, --since/--until, --hide ID or --max-degree N",
            view.entities.len()
        );
    }
    let options = DotOptions {
        lang: args.lang,
        edge_labels: args.edge_labels,
        cluster_members: args.cluster_members,
        title: None,
    };
    let dot = coopgraph_views::to_dot(&view, &options);
    let bytes = match image_format(args.format) {
        None => dot.into_bytes(),
        Some(format) => {
            progress.step("rendering with Graphviz");
            coopgraph_views::render(&dot, format).map_err(view_failure)?
        }
    };
    progress.finish();
    match &args.output {
        Some(path) => {
            write_file_atomically(path, &bytes).with_context(|| format!("cannot write {}", path.display()))?;
            if !cli.quiet {
                anstream::eprintln!(
                    "wrote {} entities and {} relations to {}",
                    view.entities.len(),
                    view.relations.len(),
                    path.display()
                );
            }
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&bytes).and_then(|()| out.flush()).context("cannot write to stdout")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
