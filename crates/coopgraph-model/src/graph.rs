//! The dataset as a petgraph graph, and the questions analysts ask of its
//! shape: neighbours, shortest paths, centrality, components.
//!
//! Nodes are added in dataset order and edges in relation order, and every
//! traversal visits edges in that order, so every answer is deterministic.

use std::collections::VecDeque;

use indexmap::IndexMap;
use petgraph::Direction;
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;

use crate::dataset::{Dataset, Entity, Relation};

/// Graphs with up to this many entities get exact betweenness centrality.
pub const BETWEENNESS_EXACT_NODES: usize = 2_000;
/// Sources that estimate the betweenness of larger graphs.
pub const BETWEENNESS_SOURCES: usize = 256;

/// The graph over a [`Dataset`]: one node per entity, one edge per relation.
#[derive(Debug)]
pub struct CoopGraph<'d> {
    dataset: &'d Dataset,
    graph: DiGraph<usize, usize>,
    nodes: IndexMap<&'d str, NodeIndex>,
    /// For each node, its incident edges (both directions) in relation order.
    incident: Vec<Vec<EdgeIndex>>,
}

/// One step of a path: the relation followed and whether it was followed
/// against its direction.
#[derive(Debug, Clone)]
pub struct PathStep<'d> {
    /// Entity the step starts from.
    pub from: &'d Entity,
    /// The relation linking the two.
    pub relation: &'d Relation,
    /// Entity the step arrives at.
    pub to: &'d Entity,
    /// True when the relation points from `to` to `from`.
    pub reversed: bool,
}

/// An entity with a score, for top-k lists.
#[derive(Debug, Clone)]
pub struct Ranked<'d, T> {
    /// The entity.
    pub entity: &'d Entity,
    /// Its score.
    pub score: T,
}

impl<'d> CoopGraph<'d> {
    /// Builds the graph. Relations whose ends are not in the dataset are
    /// skipped (the loader refuses such data before it gets here).
    pub fn new(dataset: &'d Dataset) -> Self {
        let mut graph = DiGraph::with_capacity(dataset.entities.len(), dataset.relations.len());
        let mut nodes = IndexMap::with_capacity(dataset.entities.len());
        for (index, id) in dataset.entities.keys().enumerate() {
            nodes.insert(id.as_str(), graph.add_node(index));
        }
        for (index, relation) in dataset.relations.iter().enumerate() {
            if let (Some(&s), Some(&o)) = (nodes.get(relation.subject.as_str()), nodes.get(relation.object.as_str())) {
                graph.add_edge(s, o, index);
            }
        }
        let mut incident = vec![Vec::new(); graph.node_count()];
        for edge in graph.edge_references() {
            for end in [edge.source(), edge.target()] {
                if let Some(list) = incident.get_mut(end.index())
                    && list.last() != Some(&edge.id())
                {
                    list.push(edge.id());
                }
            }
        }
        Self { dataset, graph, nodes, incident }
    }

    /// The dataset the graph was built from.
    pub fn dataset(&self) -> &'d Dataset {
        self.dataset
    }

    /// The underlying petgraph graph: node weights index
    /// [`Dataset::entities`], edge weights index [`Dataset::relations`].
    pub fn inner(&self) -> &DiGraph<usize, usize> {
        &self.graph
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    /// Number of edges.
    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// The node of an entity id.
    pub fn node(&self, id: &str) -> Option<NodeIndex> {
        self.nodes.get(id).copied()
    }

    fn entity_at(&self, node: NodeIndex) -> Option<&'d Entity> {
        let index = *self.graph.node_weight(node)?;
        self.dataset.entities.get_index(index).map(|(_, e)| e)
    }

    fn relation_at(&self, edge: EdgeIndex) -> Option<&'d Relation> {
        self.dataset.relations.get(*self.graph.edge_weight(edge)?)
    }

    /// Incident edges of a node as (edge, other end, reversed), in relation order.
    fn steps(&self, node: NodeIndex) -> impl Iterator<Item = (EdgeIndex, NodeIndex, bool)> + '_ {
        self.incident.get(node.index()).into_iter().flatten().filter_map(move |&edge| {
            let (s, o) = self.graph.edge_endpoints(edge)?;
            if s == node { Some((edge, o, false)) } else { Some((edge, s, true)) }
        })
    }

    /// The relations that touch an entity, each with the entity at the other
    /// end, in relation order. Empty for an unknown id.
    pub fn neighbours(&self, id: &str) -> Vec<PathStep<'d>> {
        let Some(node) = self.node(id) else { return Vec::new() };
        let Some(from) = self.entity_at(node) else { return Vec::new() };
        self.steps(node)
            .filter_map(|(edge, other, reversed)| {
                Some(PathStep { from, relation: self.relation_at(edge)?, to: self.entity_at(other)?, reversed })
            })
            .collect()
    }

    /// A shortest chain of relations between two entities, ignoring
    /// direction. `None` when either id is unknown or they are not
    /// connected; an empty path when `from == to`.
    pub fn shortest_path(&self, from: &str, to: &str) -> Option<Vec<PathStep<'d>>> {
        let start = self.node(from)?;
        let goal = self.node(to)?;
        let mut came_from: Vec<Option<(NodeIndex, EdgeIndex, bool)>> = vec![None; self.node_count()];
        let mut seen = vec![false; self.node_count()];
        let mut queue = VecDeque::from([start]);
        *seen.get_mut(start.index())? = true;
        while let Some(node) = queue.pop_front() {
            if node == goal {
                break;
            }
            for (edge, other, reversed) in self.steps(node) {
                if let Some(flag) = seen.get_mut(other.index())
                    && !*flag
                {
                    *flag = true;
                    if let Some(slot) = came_from.get_mut(other.index()) {
                        *slot = Some((node, edge, reversed));
                    }
                    queue.push_back(other);
                }
            }
        }
        if !seen.get(goal.index()).copied().unwrap_or(false) {
            return None;
        }
        let mut steps = Vec::new();
        let mut node = goal;
        while node != start {
            let (prev, edge, reversed) = (*came_from.get(node.index())?)?;
            steps.push(PathStep {
                from: self.entity_at(prev)?,
                relation: self.relation_at(edge)?,
                to: self.entity_at(node)?,
                reversed,
            });
            node = prev;
        }
        steps.reverse();
        Some(steps)
    }

    /// The `k` entities with the most relations (both directions), ties
    /// broken by dataset order.
    pub fn top_degree(&self, k: usize) -> Vec<Ranked<'d, usize>> {
        let mut ranked: Vec<_> = self
            .graph
            .node_indices()
            .filter_map(|n| Some(Ranked { entity: self.entity_at(n)?, score: self.steps(n).count() }))
            .collect();
        ranked.sort_by_key(|r| std::cmp::Reverse(r.score));
        ranked.truncate(k);
        ranked
    }

    /// Betweenness centrality of every node, on the undirected graph with
    /// parallel edges merged (Brandes' algorithm), normalised to [0, 1].
    ///
    /// Exact up to [`BETWEENNESS_EXACT_NODES`] entities. Exact betweenness
    /// costs one search per entity, each over the whole graph, so its cost
    /// grows with the square of the size; larger graphs are estimated from
    /// [`BETWEENNESS_SOURCES`] evenly spaced sources, scaled up (Brandes and
    /// Pich, 2007), which keeps the cost linear. Deterministic either way.
    pub fn betweenness(&self) -> Vec<f64> {
        let n = self.node_count();
        let adjacency: Vec<Vec<usize>> = self
            .graph
            .node_indices()
            .map(|node| {
                let mut next: Vec<usize> =
                    self.steps(node).map(|(_, o, _)| o.index()).filter(|&o| o != node.index()).collect();
                next.sort_unstable();
                next.dedup();
                next
            })
            .collect();
        let mut centrality = vec![0.0_f64; n];
        let mut stack = Vec::with_capacity(n);
        let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut sigma = vec![0.0_f64; n];
        let mut dist = vec![-1_i64; n];
        let mut delta = vec![0.0_f64; n];
        let sources = self.betweenness_sources();
        let mut reached: Vec<usize> = Vec::with_capacity(n);
        for &s in &sources {
            // Only what the last search reached needs resetting.
            for &v in &reached {
                if let Some(p) = preds.get_mut(v) {
                    p.clear();
                }
                set(&mut sigma, v, 0.0);
                set(&mut dist, v, -1);
                set(&mut delta, v, 0.0);
            }
            reached.clear();
            set(&mut sigma, s, 1.0);
            set(&mut dist, s, 0);
            let mut queue = VecDeque::from([s]);
            while let Some(v) = queue.pop_front() {
                stack.push(v);
                reached.push(v);
                let dv = get(&dist, v);
                for &w in adjacency.get(v).into_iter().flatten() {
                    if get(&dist, w) < 0 {
                        set(&mut dist, w, dv + 1);
                        queue.push_back(w);
                    }
                    if get(&dist, w) == dv + 1 {
                        let sum = get(&sigma, w) + get(&sigma, v);
                        set(&mut sigma, w, sum);
                        if let Some(p) = preds.get_mut(w) {
                            p.push(v);
                        }
                    }
                }
            }
            while let Some(w) = stack.pop() {
                for &v in preds.get(w).into_iter().flatten() {
                    let share = get(&sigma, v) / get(&sigma, w) * (1.0 + get(&delta, w));
                    let sum = get(&delta, v) + share;
                    set(&mut delta, v, sum);
                }
                if w != s {
                    let sum = get(&centrality, w) + get(&delta, w);
                    set(&mut centrality, w, sum);
                }
            }
        }
        // Each undirected pair was counted from both ends; an estimate
        // from fewer sources is scaled up to all of them.
        let sampled = n as f64 / sources.len().max(1) as f64;
        let scale = if n > 2 { sampled / ((n - 1) * (n - 2)) as f64 } else { 0.0 };
        centrality.iter().map(|c| c * scale).collect()
    }

    /// The sources [`Self::betweenness`] searches from: every node, or
    /// [`BETWEENNESS_SOURCES`] evenly spaced ones on a large graph.
    fn betweenness_sources(&self) -> Vec<usize> {
        let n = self.node_count();
        if n <= BETWEENNESS_EXACT_NODES {
            (0..n).collect()
        } else {
            (0..BETWEENNESS_SOURCES).map(|i| i * n / BETWEENNESS_SOURCES).collect()
        }
    }

    /// True when [`Self::betweenness`] is an estimate (a large graph).
    pub fn betweenness_is_estimated(&self) -> bool {
        self.node_count() > BETWEENNESS_EXACT_NODES
    }

    /// The `k` entities with the highest betweenness, ties broken by dataset order.
    pub fn top_betweenness(&self, k: usize) -> Vec<Ranked<'d, f64>> {
        let scores = self.betweenness();
        let mut ranked: Vec<_> = self
            .graph
            .node_indices()
            .filter_map(|n| Some(Ranked { entity: self.entity_at(n)?, score: *scores.get(n.index())? }))
            .collect();
        ranked.sort_by(|a, b| b.score.total_cmp(&a.score));
        ranked.truncate(k);
        ranked
    }

    /// Weakly connected components, largest first (ties by the dataset
    /// order of their first entity); each lists its entities in dataset order.
    pub fn components(&self) -> Vec<Vec<&'d Entity>> {
        let mut component_of = vec![usize::MAX; self.node_count()];
        let mut components: Vec<Vec<NodeIndex>> = Vec::new();
        for start in self.graph.node_indices() {
            if get(&component_of, start.index()) != usize::MAX {
                continue;
            }
            let id = components.len();
            let mut members = vec![start];
            set(&mut component_of, start.index(), id);
            let mut queue = VecDeque::from([start]);
            while let Some(node) = queue.pop_front() {
                for (_, other, _) in self.steps(node) {
                    if get(&component_of, other.index()) == usize::MAX {
                        set(&mut component_of, other.index(), id);
                        members.push(other);
                        queue.push_back(other);
                    }
                }
            }
            members.sort_unstable();
            components.push(members);
        }
        components.sort_by_key(|c| std::cmp::Reverse(c.len()));
        components.into_iter().map(|members| members.into_iter().filter_map(|n| self.entity_at(n)).collect()).collect()
    }

    /// Follows the graph from an entity up to `depth` relations away (both
    /// directions); returns the entity ids reached, the start first, in
    /// breadth-first order.
    pub fn neighbourhood(&self, id: &str, depth: usize) -> Vec<&'d Entity> {
        self.neighbourhood_avoiding(id, depth, |_| false)
    }

    /// [`Self::neighbourhood`], never entering the entities `avoid` says
    /// yes to (hubs left out of a view: what lies beyond them is not
    /// reached through them). The start is always kept.
    pub fn neighbourhood_avoiding(&self, id: &str, depth: usize, avoid: impl Fn(&Entity) -> bool) -> Vec<&'d Entity> {
        let Some(start) = self.node(id) else { return Vec::new() };
        let mut dist = vec![usize::MAX; self.node_count()];
        set(&mut dist, start.index(), 0);
        let mut order = vec![start];
        let mut queue = VecDeque::from([start]);
        while let Some(node) = queue.pop_front() {
            let d = get(&dist, node.index());
            if d >= depth {
                continue;
            }
            for (_, other, _) in self.steps(node) {
                if get(&dist, other.index()) == usize::MAX && !self.entity_at(other).is_some_and(&avoid) {
                    set(&mut dist, other.index(), d + 1);
                    order.push(other);
                    queue.push_back(other);
                }
            }
        }
        order.into_iter().filter_map(|n| self.entity_at(n)).collect()
    }

    /// Relations of an entity in one direction only, in relation order.
    pub fn relations_from(&self, id: &str, direction: Direction) -> Vec<&'d Relation> {
        let Some(node) = self.node(id) else { return Vec::new() };
        let mut edges: Vec<_> = self.graph.edges_directed(node, direction).map(|e| e.id()).collect();
        edges.sort_unstable();
        edges.into_iter().filter_map(|e| self.relation_at(e)).collect()
    }
}

fn get<T: Copy + Default>(values: &[T], index: usize) -> T {
    values.get(index).copied().unwrap_or_default()
}

fn set<T>(values: &mut [T], index: usize, value: T) {
    if let Some(slot) = values.get_mut(index) {
        *slot = value;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::Citation;
    use crate::schema::{EntityKind, RelationType};
    use crate::{EntityId, SourceId};

    fn entity(id: &str, kind: EntityKind) -> Entity {
        Entity {
            id: EntityId::new(id).unwrap(),
            kind,
            category: kind.category(kind.spec().default_category).unwrap(),
            labels: [(crate::LangTag::en(), id.to_uppercase())].into_iter().collect(),
            aliases: Default::default(),
            wikidata: None,
            description: None,
            binding: None,
            ordinal: None,
            period: Default::default(),
            sources: Vec::new(),
            origin: None,
        }
    }

    fn relation(s: &str, p: &str, o: &str) -> Relation {
        Relation {
            subject: EntityId::new(s).unwrap(),
            relation_type: RelationType::from_name(p).unwrap(),
            object: EntityId::new(o).unwrap(),
            role: None,
            period: Default::default(),
            note: None,
            implied: false,
            sources: vec![Citation { source: SourceId::new("001").unwrap(), paragraph: Some(1), lang: None }],
            origin: None,
        }
    }

    /// china - member_of -> interpol <- member_of - canada;
    /// china - participated_in -> op; op part_of campaign; lone treaty.
    fn dataset() -> Dataset {
        use EntityKind::*;
        let mut d = Dataset::default();
        for (id, kind) in [
            ("china", Country),
            ("canada", Country),
            ("interpol", Organization),
            ("op", Operation),
            ("campaign", Operation),
            ("lone", Treaty),
        ] {
            d.entities.insert(EntityId::new(id).unwrap(), entity(id, kind));
        }
        d.relations = vec![
            relation("china", "member_of", "interpol"),
            relation("canada", "member_of", "interpol"),
            relation("china", "participated_in", "op"),
            relation("op", "part_of", "campaign"),
        ];
        d
    }

    #[test]
    fn shortest_path_goes_both_ways() {
        let d = dataset();
        let g = CoopGraph::new(&d);
        let path = g.shortest_path("campaign", "canada").unwrap();
        let hops: Vec<_> = path
            .iter()
            .map(|s| (s.from.id.as_str(), s.relation.relation_type.name, s.to.id.as_str(), s.reversed))
            .collect();
        assert_eq!(
            hops,
            vec![
                ("campaign", "part_of", "op", true),
                ("op", "participated_in", "china", true),
                ("china", "member_of", "interpol", false),
                ("interpol", "member_of", "canada", true),
            ]
        );
        assert!(g.shortest_path("china", "lone").is_none());
        assert_eq!(g.shortest_path("china", "china").unwrap().len(), 0);
        assert!(g.shortest_path("china", "nowhere").is_none());
    }

    #[test]
    fn components_largest_first() {
        let d = dataset();
        let g = CoopGraph::new(&d);
        let sizes: Vec<usize> = g.components().iter().map(Vec::len).collect();
        assert_eq!(sizes, vec![5, 1]);
    }

    #[test]
    fn degree_and_betweenness() {
        let d = dataset();
        let g = CoopGraph::new(&d);
        let top = g.top_degree(1);
        assert_eq!((top[0].entity.id.as_str(), top[0].score), ("china", 2));
        let b = g.betweenness();
        // A path of five: campaign - op - china - interpol - canada. China lies on
        // the shortest paths of 2 * 2 = 4 pairs; with n = 6 the normaliser is
        // (n-1)(n-2)/2 = 10.
        assert!((b[0] - 4.0 / 10.0).abs() < 1e-9, "{b:?}");
        assert_eq!(b[5], 0.0);
    }

    #[test]
    fn neighbourhood_respects_depth() {
        let d = dataset();
        let g = CoopGraph::new(&d);
        let ids = |depth| g.neighbourhood("china", depth).iter().map(|e| e.id.to_string()).collect::<Vec<_>>();
        assert_eq!(ids(0), vec!["china"]);
        assert_eq!(ids(1), vec!["china", "interpol", "op"]);
        assert_eq!(ids(2), vec!["china", "interpol", "op", "canada", "campaign"]);
    }

    #[test]
    fn the_betweenness_of_a_large_graph_is_estimated() {
        // A star: the hub lies on the one shortest path of every pair of
        // leaves, so its exact betweenness is 1.
        use EntityKind::*;
        let mut d = Dataset::default();
        d.entities.insert(EntityId::new("hub").unwrap(), entity("hub", Organization));
        let leaves = BETWEENNESS_EXACT_NODES * 2;
        for i in 0..leaves {
            let id = format!("c{i}");
            d.entities.insert(EntityId::new(&id).unwrap(), entity(&id, Country));
            d.relations.push(relation(&id, "member_of", "hub"));
        }
        let g = CoopGraph::new(&d);
        assert!(g.betweenness_is_estimated());
        let top = g.top_betweenness(2);
        assert_eq!(top[0].entity.id.as_str(), "hub");
        assert!((top[0].score - 1.0).abs() < 0.01, "{}", top[0].score);
        assert_eq!(top[1].score, 0.0);
        assert!(!CoopGraph::new(&dataset()).betweenness_is_estimated());
    }
}
