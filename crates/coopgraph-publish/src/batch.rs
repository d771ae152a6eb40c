//! Graphs cut into request-sized batches, and the request bodies.

use std::fmt::Write as _;

use coopgraph_rdf::oxigraph::model::{GraphName, NamedNode, Quad, Term, Triple};

/// One named graph and its triples, in a fixed order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedGraph {
    /// The graph's IRI.
    pub name: NamedNode,
    /// Its triples, without duplicates.
    pub triples: Vec<Triple>,
}

/// The named graphs of `quads`, sorted by IRI, each with its triples in the
/// order met (duplicates dropped), and how many triples were in the default
/// graph, which is not published (coopgraph's store holds the union of the
/// named graphs there).
pub fn named_graphs(quads: impl IntoIterator<Item = Quad>) -> (Vec<NamedGraph>, usize) {
    let mut graphs: std::collections::BTreeMap<String, (NamedNode, indexmap_lite::Ordered)> = Default::default();
    let mut default_graph = 0;
    for q in quads {
        match q.graph_name {
            GraphName::NamedNode(g) => graphs
                .entry(g.as_str().to_owned())
                .or_insert_with(|| (g, indexmap_lite::Ordered::default()))
                .1
                .insert(Triple::new(q.subject, q.predicate, q.object)),
            GraphName::DefaultGraph => default_graph += 1,
            // A blank-node graph name cannot be addressed by the Graph Store
            // Protocol; coopgraph never writes one.
            GraphName::BlankNode(_) => default_graph += 1,
        }
    }
    let graphs = graphs.into_values().map(|(name, t)| NamedGraph { name, triples: t.into_vec() }).collect();
    (graphs, default_graph)
}

/// Insertion-ordered set of triples (std only: the crate takes no indexmap).
mod indexmap_lite {
    use std::collections::HashSet;

    use coopgraph_rdf::oxigraph::model::Triple;

    #[derive(Default)]
    pub struct Ordered {
        seen: HashSet<Triple>,
        order: Vec<Triple>,
    }

    impl Ordered {
        pub fn insert(&mut self, t: Triple) {
            if self.seen.insert(t.clone()) {
                self.order.push(t);
            }
        }

        pub fn into_vec(self) -> Vec<Triple> {
            self.order
        }
    }
}

fn has_blank_node(t: &Triple) -> bool {
    t.subject.is_blank_node() || matches!(t.object, Term::BlankNode(_))
}

/// Cuts a graph's triples into batches of at most `size` triples (at least
/// one), in order. A blank node label names the same node only within one
/// request body, so every triple that mentions a blank node goes into the
/// first batch, which may then be larger than `size`; splitting them would
/// make the store mint several nodes for one.
pub fn batches(triples: &[Triple], size: usize) -> Vec<Vec<&Triple>> {
    let size = size.max(1);
    let (blank, plain): (Vec<&Triple>, Vec<&Triple>) = triples.iter().partition(|t| has_blank_node(t));
    let mut out = Vec::new();
    let mut plain = plain.into_iter();
    if !blank.is_empty() {
        let mut first = blank;
        let room = size.saturating_sub(first.len());
        first.extend(plain.by_ref().take(room));
        out.push(first);
    }
    let rest: Vec<&Triple> = plain.collect();
    out.extend(rest.chunks(size).map(<[&Triple]>::to_vec));
    out
}

/// The triples as an N-Triples document (UTF-8).
pub fn ntriples(triples: &[&Triple]) -> String {
    let mut out = String::new();
    for t in triples {
        let _ = writeln!(out, "{t} .");
    }
    out
}

/// A SPARQL Update request inserting `triples` into `graph`; with
/// `replace`, the graph is dropped first (silently if it does not exist).
pub fn sparql_insert(graph: &NamedNode, triples: &[&Triple], replace: bool) -> String {
    let mut out = String::new();
    if replace {
        let _ = writeln!(out, "DROP SILENT GRAPH {graph} ;");
    }
    let _ = writeln!(out, "INSERT DATA {{ GRAPH {graph} {{");
    for t in triples {
        let _ = writeln!(out, "{t} .");
    }
    out.push_str("} }\n");
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

    use coopgraph_rdf::oxigraph::model::{BlankNode, Literal};

    use super::*;

    fn n(s: &str) -> NamedNode {
        NamedNode::new(format!("http://example.org/{s}")).unwrap()
    }

    fn t(s: &str, o: &str) -> Triple {
        Triple::new(n(s), n("p"), n(o))
    }

    #[test]
    fn batches_hold_at_most_the_size_in_order() {
        let triples: Vec<Triple> = (0..7).map(|i| t(&format!("s{i}"), "o")).collect();
        let sizes: Vec<usize> = batches(&triples, 3).iter().map(Vec::len).collect();
        assert_eq!(sizes, [3, 3, 1]);
        let flat: Vec<&Triple> = batches(&triples, 3).into_iter().flatten().collect();
        assert_eq!(flat, triples.iter().collect::<Vec<_>>());
        assert_eq!(batches(&triples, 7).len(), 1);
        assert_eq!(batches(&triples, 0).len(), 7, "a size of 0 counts as 1");
        assert!(batches(&[], 3).is_empty());
    }

    #[test]
    fn triples_of_blank_nodes_stay_in_one_batch() {
        let b = BlankNode::new("b1").unwrap();
        let mut triples: Vec<Triple> = (0..5).map(|i| t(&format!("s{i}"), "o")).collect();
        triples.push(Triple::new(b.clone(), n("p"), n("x")));
        triples.push(Triple::new(n("s9"), n("p"), b.clone()));
        triples.push(Triple::new(b.clone(), n("q"), Literal::new_simple_literal("y")));
        let got = batches(&triples, 2);
        let sizes: Vec<usize> = got.iter().map(Vec::len).collect();
        assert_eq!(sizes, [3, 2, 2, 1], "the three blank-node triples travel together, first");
        assert!(got[0].iter().all(|t| has_blank_node(t)));
        assert!(got[1..].iter().flatten().all(|t| !has_blank_node(t)));
        let got = batches(&triples, 4);
        let sizes: Vec<usize> = got.iter().map(Vec::len).collect();
        assert_eq!(sizes, [4, 4], "room left in the first batch is filled with plain triples");
    }

    #[test]
    fn named_graphs_are_sorted_and_the_default_graph_is_counted_apart() {
        let quads = vec![
            Quad::new(n("a"), n("p"), n("b"), n("g2")),
            Quad::new(n("a"), n("p"), n("b"), n("g1")),
            Quad::new(n("c"), n("p"), n("d"), n("g2")),
            Quad::new(n("a"), n("p"), n("b"), n("g2")),
            Quad::new(n("a"), n("p"), n("b"), GraphName::DefaultGraph),
        ];
        let (graphs, default_graph) = named_graphs(quads);
        assert_eq!(default_graph, 1);
        let summary: Vec<(&str, usize)> = graphs.iter().map(|g| (g.name.as_str(), g.triples.len())).collect();
        assert_eq!(summary, [("http://example.org/g1", 1), ("http://example.org/g2", 2)]);
        assert_eq!(graphs[1].triples, [t("a", "b"), t("c", "d")]);
    }

    #[test]
    fn bodies_are_ntriples_and_sparql_update() {
        let lit = Triple::new(n("s"), n("label"), Literal::new_language_tagged_literal("中国 \"x\"", "zh").unwrap());
        let plain = t("s", "o");
        assert_eq!(
            ntriples(&[&lit, &plain]),
            "<http://example.org/s> <http://example.org/label> \"中国 \\\"x\\\"\"@zh .\n\
             <http://example.org/s> <http://example.org/p> <http://example.org/o> .\n"
        );
        assert_eq!(
            sparql_insert(&n("g"), &[&plain], true),
            "DROP SILENT GRAPH <http://example.org/g> ;\n\
             INSERT DATA { GRAPH <http://example.org/g> {\n\
             <http://example.org/s> <http://example.org/p> <http://example.org/o> .\n} }\n"
        );
        assert!(sparql_insert(&n("g"), &[&plain], false).starts_with("INSERT DATA"));
    }
}
