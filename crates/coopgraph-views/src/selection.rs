//! Which entities and relations a view shows.

use std::collections::{BTreeSet, HashMap, HashSet};

use coopgraph_model::{CoopGraph, Dataset, Entity, EntityKind, PartialDate, Relation, RelationType};

/// A view of more nodes than this is hard to read; the CLI suggests filters.
pub const LARGE_VIEW: usize = 500;

/// One relation named by its ends and type, as a query result gives it:
/// (subject id, relation type name, object id).
pub type Triple = (String, String, String);

/// What to keep of the graph. Every filter is optional; an empty selection
/// keeps everything. Built with the `with_*` setters, then [`Selection::apply`].
#[derive(Debug, Clone, Default)]
pub struct Selection {
    focus: Option<(String, usize)>,
    kinds: Option<Vec<EntityKind>>,
    relations: Option<Vec<&'static RelationType>>,
    source: Option<String>,
    since: Option<PartialDate>,
    until: Option<PartialDate>,
    triples: Option<BTreeSet<Triple>>,
    hidden: BTreeSet<String>,
    max_degree: Option<usize>,
}

/// The entities and relations a selection keeps, in dataset order.
#[derive(Debug, Clone)]
pub struct View<'d> {
    /// The entities shown.
    pub entities: Vec<&'d Entity>,
    /// The relations shown; both their ends are in `entities`.
    pub relations: Vec<&'d Relation>,
}

impl<'d> View<'d> {
    /// The whole dataset.
    pub fn all(dataset: &'d Dataset) -> Self {
        Self { entities: dataset.entities.values().collect(), relations: dataset.relations.iter().collect() }
    }

    /// True when the view shows the entity with this id.
    pub fn contains(&self, id: &str) -> bool {
        self.entities.iter().any(|e| e.id.as_str() == id)
    }
}

impl Selection {
    /// A selection that keeps everything.
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps the entities at most `depth` relations away from `id` (either direction).
    pub fn with_focus(mut self, id: &str, depth: usize) -> Self {
        self.focus = Some((id.to_owned(), depth));
        self
    }

    /// Keeps only entities of these kinds.
    pub fn with_kinds(mut self, kinds: Vec<EntityKind>) -> Self {
        self.kinds = Some(kinds);
        self
    }

    /// Keeps only relations of these types (and the entities they link).
    pub fn with_relations(mut self, relations: Vec<&'static RelationType>) -> Self {
        self.relations = Some(relations);
        self
    }

    /// Keeps only relations citing this source document, and the entities
    /// they link or that cite it themselves.
    pub fn with_source(mut self, source: &str) -> Self {
        self.source = Some(source.to_owned());
        self
    }

    /// Keeps only relations with a date on or after `since`.
    pub fn with_since(mut self, since: PartialDate) -> Self {
        self.since = Some(since);
        self
    }

    /// Keeps only relations with a date on or before `until`.
    pub fn with_until(mut self, until: PartialDate) -> Self {
        self.until = Some(until);
        self
    }

    /// Keeps only the relations named by these triples (a query result).
    pub fn with_triples(mut self, triples: impl IntoIterator<Item = Triple>) -> Self {
        self.triples = Some(triples.into_iter().collect());
        self
    }

    /// Leaves these entities out, and does not reach past them from the focus.
    pub fn with_hidden(mut self, ids: impl IntoIterator<Item = String>) -> Self {
        self.hidden.extend(ids);
        self
    }

    /// Leaves out the entities with more than `n` relations in the whole
    /// graph (hubs), and does not reach past them from the focus; the
    /// focus itself is kept.
    pub fn with_max_degree(mut self, n: usize) -> Self {
        self.max_degree = Some(n);
        self
    }

    /// True when a filter on relations is set: the view then shows only the
    /// entities those relations link (plus, for a source, those citing it).
    fn filters_relations(&self) -> bool {
        self.relations.is_some()
            || self.source.is_some()
            || self.since.is_some()
            || self.until.is_some()
            || self.triples.is_some()
    }

    fn keeps_relation(&self, relation: &Relation) -> bool {
        self.relations.as_ref().is_none_or(|types| types.contains(&relation.relation_type))
            && self.source.as_ref().is_none_or(|s| relation.sources.iter().any(|c| c.source.as_str() == s))
            && ((self.since.is_none() && self.until.is_none()) || relation.period.overlaps(self.since, self.until))
            && self.triples.as_ref().is_none_or(|triples| {
                let key = (
                    relation.subject.as_str().to_owned(),
                    relation.relation_type.name.to_owned(),
                    relation.object.as_str().to_owned(),
                );
                triples.contains(&key)
            })
    }

    /// The entities and relations this selection keeps, in dataset order.
    pub fn apply<'d>(&self, dataset: &'d Dataset) -> View<'d> {
        let mut degree: HashMap<&str, usize> = HashMap::new();
        if self.max_degree.is_some() {
            for r in &dataset.relations {
                *degree.entry(r.subject.as_str()).or_default() += 1;
                *degree.entry(r.object.as_str()).or_default() += 1;
            }
        }
        let focus_id = self.focus.as_ref().map(|(id, _)| id.as_str());
        let hidden = |e: &Entity| {
            let id = e.id.as_str();
            Some(id) != focus_id
                && (self.hidden.contains(id)
                    || self.max_degree.is_some_and(|n| degree.get(id).copied().unwrap_or(0) > n))
        };
        let focus: Option<BTreeSet<&str>> = self.focus.as_ref().map(|(id, depth)| {
            CoopGraph::new(dataset)
                .neighbourhood_avoiding(id, *depth, hidden)
                .into_iter()
                .map(|e| e.id.as_str())
                .collect()
        });
        let entity_ok = |e: &Entity| {
            self.kinds.as_ref().is_none_or(|k| k.contains(&e.kind))
                && focus.as_ref().is_none_or(|f| f.contains(e.id.as_str()))
                && !hidden(e)
        };
        let ok = |id: &str| dataset.entity(id).is_some_and(entity_ok);
        let relations: Vec<&Relation> = dataset
            .relations
            .iter()
            .filter(|r| ok(r.subject.as_str()) && ok(r.object.as_str()) && self.keeps_relation(r))
            .collect();
        // The ends of the kept relations, looked up once per entity (a scan
        // of the relations for each entity made large views quadratic).
        let ends: HashSet<&str> = relations.iter().flat_map(|r| [r.subject.as_str(), r.object.as_str()]).collect();
        let entities = dataset
            .entities
            .values()
            .filter(|e| entity_ok(e))
            .filter(|e| {
                !self.filters_relations()
                    || ends.contains(e.id.as_str())
                    || self.source.as_ref().is_some_and(|s| e.sources.iter().any(|c| c.source.as_str() == s))
            })
            .collect();
        View { entities, relations }
    }
}
