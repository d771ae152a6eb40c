//! `coopgraph stats`.

use std::fmt::Write as _;
use std::process::ExitCode;

use coopgraph_model::{CoopGraph, Dataset, Entity};
use serde::Serialize;

use crate::cli::{Cli, StatsArgs};
use crate::output::{Failure, Progress};

/// The statistics of a dataset; printed as text or JSON.
#[derive(Debug, Serialize)]
pub struct StatsReport {
    entities: Counts,
    relations: Counts,
    figures: usize,
    measures: usize,
    sources: usize,
    graph: GraphShape,
}

#[derive(Debug, Serialize)]
struct Counts {
    total: usize,
    by_type: Vec<Count>,
}

#[derive(Debug, Serialize)]
struct Count {
    name: &'static str,
    count: usize,
}

#[derive(Debug, Serialize)]
struct GraphShape {
    nodes: usize,
    edges: usize,
    components: usize,
    largest_component: usize,
    isolated: usize,
    top_degree: Vec<Score<usize>>,
    top_betweenness: Vec<Score<f64>>,
    /// On large graphs, the sources betweenness was estimated from.
    #[serde(skip_serializing_if = "Option::is_none")]
    betweenness_estimated_from: Option<usize>,
}

#[derive(Debug, Serialize)]
struct Score<T> {
    id: String,
    label: String,
    score: T,
}

fn score<T>(entity: &Entity, lang: &str, score: T) -> Score<T> {
    Score { id: entity.id.to_string(), label: entity.label(lang).to_owned(), score }
}

impl StatsReport {
    /// Computes the report; top lists hold `top` entities, labelled in `lang`.
    pub fn new(dataset: &Dataset, top: usize, lang: &str) -> Self {
        let graph = CoopGraph::new(dataset);
        let components = graph.components();
        Self {
            entities: Counts {
                total: dataset.entities.len(),
                by_type: dataset
                    .count_by_kind()
                    .into_iter()
                    .map(|(k, count)| Count { name: k.name(), count })
                    .collect(),
            },
            relations: Counts {
                total: dataset.relations.len(),
                by_type: dataset
                    .count_by_relation_type()
                    .into_iter()
                    .map(|(t, count)| Count { name: t.name, count })
                    .collect(),
            },
            figures: dataset.figures.len(),
            measures: dataset.measures.len(),
            sources: dataset.sources.len(),
            graph: GraphShape {
                nodes: graph.node_count(),
                edges: graph.edge_count(),
                components: components.len(),
                largest_component: components.first().map_or(0, Vec::len),
                isolated: components.iter().filter(|c| c.len() == 1).count(),
                top_degree: graph.top_degree(top).iter().map(|r| score(r.entity, lang, r.score)).collect(),
                top_betweenness: graph
                    .top_betweenness(top)
                    .iter()
                    .map(|r| score(r.entity, lang, (r.score * 1e4).round() / 1e4))
                    .collect(),
                betweenness_estimated_from: graph
                    .betweenness_is_estimated()
                    .then_some(coopgraph_model::graph::BETWEENNESS_SOURCES),
            },
        }
    }

    /// Pretty JSON, ending in a newline.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// Aligned text.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let mut counts = |title: &str, c: &Counts| {
            let _ = writeln!(out, "{title:<16}{:>6}", c.total);
            for t in &c.by_type {
                let _ = writeln!(out, "  {:<18}{:>6}", t.name, t.count);
            }
        };
        counts("entities", &self.entities);
        counts("relations", &self.relations);
        let _ = writeln!(out, "{:<16}{:>6}", "figures", self.figures);
        let _ = writeln!(out, "{:<16}{:>6}", "measures", self.measures);
        let _ = writeln!(out, "{:<16}{:>6}", "sources", self.sources);
        let g = &self.graph;
        let _ = writeln!(
            out,
            "\ngraph: {} nodes, {} edges, {} connected components (largest {}, isolated entities {})",
            g.nodes, g.edges, g.components, g.largest_component, g.isolated
        );
        let _ = writeln!(out, "\nmost relations (degree):");
        for (i, s) in g.top_degree.iter().enumerate() {
            let _ = writeln!(out, "  {:>2}. {:>6}  {} ({})", i + 1, s.score, s.label, s.id);
        }
        let estimated =
            g.betweenness_estimated_from.map_or_else(String::new, |k| format!("; estimated from {k} sources"));
        let _ = writeln!(out, "\nbridges (betweenness centrality, normalised{estimated}):");
        for (i, s) in g.top_betweenness.iter().enumerate() {
            let _ = writeln!(out, "  {:>2}. {:>6.4}  {} ({})", i + 1, s.score, s.label, s.id);
        }
        out
    }
}

pub fn run(cli: &Cli, args: &StatsArgs) -> Result<ExitCode, Failure> {
    let progress = Progress::start(cli.quiet);
    let dataset = super::load(cli, &progress)?;
    progress.step("computing centrality");
    let report = StatsReport::new(&dataset, args.top, args.lang.tag());
    progress.finish();
    if args.json {
        anstream::print!("{}", report.to_json());
    } else {
        anstream::print!("{}", report.to_text());
    }
    Ok(ExitCode::SUCCESS)
}
