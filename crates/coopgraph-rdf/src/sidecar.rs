//! What coopgraph keeps inside a store folder, beside RocksDB's own files:
//! the folder `coopgraph/` ([`sidecar_dir`]) with the store's statistics
//! (`stats.json`, [`StoreStats`]) and whatever else is computed when the
//! store is written (the search index in `search/`).
//!
//! The sidecar is written into the staging folder before the store is
//! swapped in, so the store, its statistics and its index change together
//! in one rename. RocksDB leaves files and folders it does not know alone.

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use oxigraph::model::Term;
use oxigraph::sparql::{QueryResults, QuerySolution, SparqlEvaluator};
use oxigraph::store::Store;
use serde::{Deserialize, Serialize};

use crate::RdfError;
use crate::vocab;

/// The name of the sidecar folder inside a store folder.
pub const SIDECAR: &str = "coopgraph";

/// The name of the statistics file inside the sidecar folder.
const STATS_FILE: &str = "stats.json";

/// The version of the statistics file's layout; a store whose file has
/// another version is treated as having none.
const STATS_VERSION: u32 = 1;

/// The sidecar folder of the store at `store`.
pub fn sidecar_dir(store: &Path) -> PathBuf {
    store.join(SIDECAR)
}

/// Counts of a store, computed once when it is written, so that readers
/// (the server's home page and VoID description) never scan the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreStats {
    /// The layout version of this record.
    pub version: u32,
    /// Identifies this build of the store (changes with every build): the
    /// server's ETag.
    pub build_id: String,
    /// When the store was written, in seconds since the Unix epoch: the
    /// server's Last-Modified.
    pub built_at: u64,
    /// Triples in the default graph (the union of the named graphs).
    pub triples: u64,
    /// Quads in the named graphs.
    pub quads: u64,
    /// Each named graph's IRI and size, in IRI order.
    pub graphs: Vec<(String, u64)>,
    /// Each class of the union with its number of instances, in IRI order.
    pub classes: Vec<(String, u64)>,
    /// Each property of the union with its number of triples, in IRI order.
    pub properties: Vec<(String, u64)>,
    /// Distinct subjects of the union.
    pub distinct_subjects: u64,
    /// Distinct objects of the union.
    pub distinct_objects: u64,
    /// The smallest IRI of an instance of each class, as an example to link to.
    pub examples: Vec<(String, String)>,
}

impl StoreStats {
    /// Counts everything with aggregate queries over the store's encoded
    /// terms (grouped by property, by class and by named graph), so that no
    /// quad is decoded into strings: decoding every quad of a 1M-relation
    /// store (16M quads, four term lookups each) took minutes, the
    /// aggregates take seconds. Stamped with the time of writing.
    pub fn compute(store: &Store) -> Result<Self, RdfError> {
        let mut triples = 0u64;
        let mut properties: BTreeMap<String, u64> = BTreeMap::new();
        for row in aggregate(store, "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p")? {
            let (p, n) = (iri(&row, "p")?, count(&row, "n")?);
            triples += n;
            properties.insert(p, n);
        }
        let distinct = aggregate(
            store,
            "SELECT (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?o) AS ?objects) WHERE { ?s ?p ?o }",
        )?;
        let (subjects, objects) = match distinct.first() {
            Some(row) => (count(row, "subjects")?, count(row, "objects")?),
            None => (0, 0),
        };
        let rdf_type = format!("{}type", vocab::RDF);
        let mut classes: BTreeMap<String, u64> = BTreeMap::new();
        let mut examples: BTreeMap<String, String> = BTreeMap::new();
        let by_class = format!(
            "SELECT ?c (COUNT(*) AS ?n) (MIN(IF(isIRI(?s), STR(?s), \"\\uFFFF\")) AS ?e) \
             WHERE {{ ?s <{rdf_type}> ?c FILTER(isIRI(?c)) }} GROUP BY ?c"
        );
        for row in aggregate(store, &by_class)? {
            let c = iri(&row, "c")?;
            classes.insert(c.clone(), count(&row, "n")?);
            if let Some(Term::Literal(e)) = row.get("e")
                && e.value() != "\u{FFFF}"
            {
                examples.insert(c, e.value().to_owned());
            }
        }
        let mut graphs = Vec::new();
        let mut quads = 0u64;
        for row in aggregate(store, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")? {
            let n = count(&row, "n")?;
            quads += n;
            graphs.push((iri(&row, "g")?, n));
        }
        graphs.sort();
        let built_at = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let mut h = DefaultHasher::new();
        (built_at, std::process::id(), triples, quads).hash(&mut h);
        Ok(Self {
            version: STATS_VERSION,
            build_id: format!("{:016x}", h.finish()),
            built_at: u64::try_from(built_at / 1_000_000_000).unwrap_or(u64::MAX),
            triples,
            quads,
            graphs,
            classes: classes.into_iter().collect(),
            properties: properties.into_iter().collect(),
            distinct_subjects: subjects,
            distinct_objects: objects,
            examples: examples.into_iter().collect(),
        })
    }

    /// Writes the record into the sidecar folder `dir` (created if needed).
    pub fn write(&self, dir: &Path) -> Result<(), RdfError> {
        let io = |e: std::io::Error| RdfError::Io(format!("cannot write {}: {e}", dir.join(STATS_FILE).display()));
        std::fs::create_dir_all(dir).map_err(io)?;
        let json = serde_json::to_vec_pretty(self).map_err(|e| RdfError::Io(e.to_string()))?;
        std::fs::write(dir.join(STATS_FILE), json).map_err(io)
    }

    /// Reads the record of the store at `store`; `None` when the store was
    /// written before stores had one (or by another tool).
    pub fn read(store: &Path) -> Result<Option<Self>, RdfError> {
        let path = sidecar_dir(store).join(STATS_FILE);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(RdfError::Io(format!("cannot read {}: {e}", path.display()))),
        };
        let stats: Self = serde_json::from_slice(&bytes)
            .map_err(|e| RdfError::Io(format!("{}:{}:{}: {e}", path.display(), e.line(), e.column())))?;
        Ok((stats.version == STATS_VERSION).then_some(stats))
    }

    /// The number of instances of the class `iri` (0 if none).
    pub fn instances(&self, iri: &str) -> u64 {
        self.classes.iter().find(|(c, _)| c == iri).map_or(0, |(_, n)| *n)
    }

    /// The smallest IRI of an instance of the class `iri`.
    pub fn example(&self, iri: &str) -> Option<&str> {
        self.examples.iter().find(|(c, _)| c == iri).map(|(_, e)| e.as_str())
    }
}

/// The solutions of an aggregate query over the store's own default graph
/// (where the union copies live) and its named graphs.
fn aggregate(store: &Store, text: &str) -> Result<Vec<QuerySolution>, RdfError> {
    let err = |e: &dyn std::fmt::Display| RdfError::Store(format!("cannot count the store: {e}"));
    let results = SparqlEvaluator::new().parse_query(text).map_err(|e| err(&e))?.on_store(store).execute();
    match results.map_err(|e| err(&e))? {
        QueryResults::Solutions(rows) => rows.map(|r| r.map_err(|e| err(&e))).collect(),
        _ => Err(err(&"not a SELECT")),
    }
}

/// The IRI bound to `var` in `row`.
fn iri(row: &QuerySolution, var: &str) -> Result<String, RdfError> {
    match row.get(var) {
        Some(Term::NamedNode(n)) => Ok(n.as_str().to_owned()),
        other => Err(RdfError::Store(format!("cannot count the store: ?{var} is {other:?}, not an IRI"))),
    }
}

/// The integer bound to `var` in `row`.
fn count(row: &QuerySolution, var: &str) -> Result<u64, RdfError> {
    match row.get(var) {
        Some(Term::Literal(l)) => l
            .value()
            .parse()
            .map_err(|e| RdfError::Store(format!("cannot count the store: ?{var} = {}: {e}", l.value()))),
        other => Err(RdfError::Store(format!("cannot count the store: ?{var} is {other:?}, not a count"))),
    }
}
