//! The bundled SPARQL library (`queries/*.rq`) and running queries: header
//! parsing, parameters, a time limit, and every output format.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{Literal, NamedNode, Term, Variable};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{
    CancellationToken, QueryEvaluationError, QueryResults, QuerySolutionIter, QueryTripleIter, SparqlEvaluator,
};
use oxigraph::store::Store;
use spargebra::Query;
use spargebra::algebra::GraphPattern;
use spargebra::term::GroundTerm;

use crate::export::prefixes;
use crate::lateral::Cardinalities;
use crate::namespaces::Namespaces;
use crate::{RdfError, Span, TextPosition};

/// What a parameter's value is, which decides the RDF term it becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// An entity id, bound as the entity's IRI.
    Entity,
    /// A plain string literal.
    String,
    /// An xsd:integer.
    Integer,
    /// An IRI.
    Iri,
    /// A day, `YYYY-MM-DD`, bound as an `xsd:date` (compare it with
    /// `coop:earliestDate` and `coop:latestDate`).
    Date,
}

/// A parameter declared in a query's header.
#[derive(Debug, Clone)]
pub struct Param {
    /// Its name, also the SPARQL variable it binds (`?org`).
    pub name: String,
    /// What its value is.
    pub kind: ParamKind,
    /// The value used when none is given.
    pub default: String,
    /// What it means.
    pub description: String,
}

/// A query of the bundled library.
#[derive(Debug, Clone)]
pub struct LibraryQuery {
    /// File stem (`members-of-organization`).
    pub name: String,
    /// The file.
    pub path: PathBuf,
    /// One-line title.
    pub title: String,
    /// What it answers.
    pub description: String,
    /// Its parameters.
    pub params: Vec<Param>,
    /// The SPARQL text, header included.
    pub text: String,
}

mod bundled {
    include!(concat!(env!("OUT_DIR"), "/bundled_queries.rs"));
}

/// The query library built into the binary (the `queries/` folder of the
/// source tree when it was compiled), sorted by name; each query's path is
/// `queries/NAME.rq`, as in the source tree.
pub fn bundled_library() -> Result<Vec<LibraryQuery>, RdfError> {
    bundled::BUNDLED
        .iter()
        .map(|(file, text)| parse_library_text(&Path::new("queries").join(file), (*text).to_owned()))
        .collect()
}

/// Reads every `*.rq` in `dir`, sorted by name. A query without a title or
/// with a malformed parameter line is an error naming the file and line.
pub fn load_library(dir: &Path) -> Result<Vec<LibraryQuery>, RdfError> {
    let entries = std::fs::read_dir(dir).map_err(|e| RdfError::Io(format!("cannot read {}: {e}", dir.display())))?;
    let mut paths: Vec<PathBuf> =
        entries.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "rq")).collect();
    paths.sort();
    paths.iter().map(|p| parse_library_query(p)).collect()
}

/// Parses one library file.
pub fn parse_library_query(path: &Path) -> Result<LibraryQuery, RdfError> {
    let text =
        std::fs::read_to_string(path).map_err(|e| RdfError::Io(format!("cannot read {}: {e}", path.display())))?;
    parse_library_text(path, text)
}

/// Parses the text of the library file at `path` (named in errors).
fn parse_library_text(path: &Path, text: String) -> Result<LibraryQuery, RdfError> {
    let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let mut title = None;
    let mut description = Vec::new();
    let mut params = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let Some(comment) = line.strip_prefix('#') else { break };
        let comment = comment.trim();
        let at = |message: String| RdfError::Syntax {
            origin: path.display().to_string(),
            span: Some(Span {
                start: TextPosition { line: n + 1, column: 1 },
                end: TextPosition { line: n + 1, column: line.chars().count() + 1 },
            }),
            message,
        };
        if let Some(t) = comment.strip_prefix("title:") {
            title = Some(t.trim().to_owned());
        } else if let Some(d) = comment.strip_prefix("description:") {
            description.push(d.trim().to_owned());
        } else if let Some(p) = comment.strip_prefix("param:") {
            let mut parts = p.split_whitespace();
            let (Some(pname), Some(kind), Some(default)) = (parts.next(), parts.next(), parts.next()) else {
                return Err(at("expected `# param: NAME TYPE DEFAULT description`".into()));
            };
            let kind = match kind {
                "entity" => ParamKind::Entity,
                "string" => ParamKind::String,
                "integer" => ParamKind::Integer,
                "iri" => ParamKind::Iri,
                "date" => ParamKind::Date,
                other => {
                    return Err(at(format!(
                        "unknown parameter type \"{other}\": expected entity, string, integer, iri or date"
                    )));
                }
            };
            params.push(Param {
                name: pname.to_owned(),
                kind,
                default: default.to_owned(),
                description: parts.collect::<Vec<_>>().join(" "),
            });
        } else if !description.is_empty() && !comment.is_empty() && !comment.contains(':') {
            description.push(comment.to_owned());
        }
    }
    let title = title.ok_or_else(|| RdfError::Syntax {
        origin: path.display().to_string(),
        span: Some(Span::at(1, 1)),
        message: "missing `# title:` header line".into(),
    })?;
    Ok(LibraryQuery { name, path: path.to_path_buf(), title, description: description.join(" "), params, text })
}

impl LibraryQuery {
    /// Binds the parameters: given values, else defaults. An unknown name is
    /// an error listing the known ones.
    pub fn bindings(&self, given: &[(String, String)], ns: &Namespaces) -> Result<Vec<(Variable, Term)>, RdfError> {
        for (key, _) in given {
            if !self.params.iter().any(|p| &p.name == key) {
                let known: Vec<&str> = self.params.iter().map(|p| p.name.as_str()).collect();
                return Err(RdfError::Usage(format!(
                    "query \"{}\" has no parameter \"{key}\"; its parameters: {}",
                    self.name,
                    if known.is_empty() { "none".to_owned() } else { known.join(", ") }
                )));
            }
        }
        self.params
            .iter()
            .map(|p| {
                let value =
                    given.iter().rev().find(|(k, _)| k == &p.name).map_or(p.default.as_str(), |(_, v)| v.as_str());
                let term: Term = match p.kind {
                    ParamKind::Entity => {
                        let id = coopgraph_model::EntityId::new(value)
                            .map_err(|e| RdfError::Usage(format!("parameter {}: {e}", p.name)))?;
                        ns.entity(&id).into()
                    }
                    ParamKind::String => Literal::new_simple_literal(value).into(),
                    ParamKind::Integer => {
                        let n: i64 = value.parse().map_err(|_| {
                            RdfError::Usage(format!("parameter {}: \"{value}\" is not an integer", p.name))
                        })?;
                        Literal::from(n).into()
                    }
                    ParamKind::Iri => {
                        NamedNode::new(value).map_err(|e| RdfError::Usage(format!("parameter {}: {e}", p.name)))?.into()
                    }
                    ParamKind::Date => {
                        let date: coopgraph_model::date::PartialDate =
                            value.parse().map_err(|e| RdfError::Usage(format!("parameter {}: {e}", p.name)))?;
                        if date.precision() != coopgraph_model::date::DatePrecision::Day {
                            return Err(RdfError::Usage(format!(
                                "parameter {}: \"{value}\" is not a day; expected YYYY-MM-DD",
                                p.name
                            )));
                        }
                        Literal::new_typed_literal(value, oxigraph::model::vocab::xsd::DATE).into()
                    }
                };
                let var = Variable::new(p.name.as_str())
                    .map_err(|e| RdfError::Usage(format!("parameter {}: {e}", p.name)))?;
                Ok((var, term))
            })
            .collect()
    }
}

/// How to run a query.
#[derive(Clone)]
pub struct QueryOptions {
    /// Stop the query after this long.
    pub timeout: Option<Duration>,
    /// Ask oxigraph to treat the union of all graphs as the default graph.
    /// Not needed on stores built by coopgraph, whose default graph already
    /// holds the union (see [`crate::store::store_quads`]); oxigraph's union
    /// repeats a triple once per graph that holds it.
    pub union_default_graph: bool,
    /// The graphs whose merge is the default graph (SPARQL Protocol
    /// `default-graph-uri`); `None` keeps the store's default graph.
    pub default_graphs: Option<Vec<NamedNode>>,
    /// The only named graphs the query may see (SPARQL Protocol
    /// `named-graph-uri`); `None` leaves every named graph visible.
    pub named_graphs: Option<Vec<NamedNode>>,
    /// A token the caller cancels to stop the query (a server's own timer).
    /// When it is given, `timeout` only names the limit in the error and no
    /// timer thread is started.
    pub cancellation: Option<CancellationToken>,
    /// Kept by the thread evaluating the query until that thread stops,
    /// which may be after the caller stopped reading (a time limit struck
    /// during an operator that works in memory): a server's slot, so that
    /// it never runs more query threads than it has slots.
    pub hold: Option<std::sync::Arc<dyn std::any::Any + Send + Sync>>,
    /// The store's counts (from its statistics), by which the runner has
    /// OPTIONALs with a large side evaluated once per row
    /// ([`crate::lateral`]); `None` leaves the plan to oxigraph.
    pub cardinalities: Option<std::sync::Arc<Cardinalities>>,
    /// Rows the query may collect for its sorts (every ORDER BY, sub-selects
    /// included, counted together); one more stops it with
    /// [`RdfError::SortTooLarge`]. `None`: no bound. Oxigraph sorts in
    /// memory and cannot stop a sort once it has begun, so a time limit
    /// answers on time while the sort goes on; this bounds that sort.
    pub max_sort_rows: Option<usize>,
}

impl std::fmt::Debug for QueryOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QueryOptions")
            .field("timeout", &self.timeout)
            .field("union_default_graph", &self.union_default_graph)
            .field("default_graphs", &self.default_graphs)
            .field("named_graphs", &self.named_graphs)
            .field("cancellation", &self.cancellation.is_some())
            .field("hold", &self.hold.is_some())
            .field("cardinalities", &self.cardinalities.is_some())
            .field("max_sort_rows", &self.max_sort_rows)
            .finish()
    }
}

impl Default for QueryOptions {
    fn default() -> Self {
        Self {
            timeout: Some(Duration::from_secs(10)),
            union_default_graph: false,
            default_graphs: None,
            named_graphs: None,
            cancellation: None,
            hold: None,
            cardinalities: None,
            max_sort_rows: None,
        }
    }
}

/// Deepest nesting of brackets (`{`, `(`, `[`) a query may have; deeper
/// queries are refused before they are parsed, at the bracket that goes
/// too deep. Real queries nest a handful of levels.
pub const MAX_NESTING: usize = 64;

/// Deepest tree of operators a parsed query may have (a 1,000-branch UNION
/// or a chain of 1,000 OPTIONALs is a tree that deep, whatever its
/// brackets): the evaluator walks it recursively.
pub const MAX_ALGEBRA_DEPTH: usize = 256;

/// Stack of the thread that parses and evaluates a query: the parser and
/// the evaluator recurse, and queries within the limits above stay far
/// below this (only the pages touched are ever allocated).
const WORKER_STACK_BYTES: usize = 256 << 20;

/// Results handed from the worker to the reader at a time.
const RESULT_QUEUE: usize = 1024;

/// Rows a query of the server may collect for its sorts (`serve
/// --max-sort-rows`): Oxigraph sorts them in memory, in a step that no
/// token stops. On the curated store a cross join sorted stopped 3 s after
/// its 413 at this size, well within the default time limit (10 s); it took
/// 8.5 s at 100,000 rows and 21 s at 250,000.
pub const DEFAULT_MAX_SORT_ROWS: usize = 50_000;

/// The function the evaluator calls once for every row that enters a sort
/// ([`Rewrite`]); it counts them.
const SORT_ROW_FUNCTION: &str = "urn:coopgraph:internal:sort-row";

/// The variable that function binds, kept only on rows it counted.
const SORT_ROW_VARIABLE: &str = "__coopgraph_sort_row";

/// A query went past [`QueryOptions::max_sort_rows`]; carried through the
/// evaluator's errors to [`query_error`].
#[derive(Debug, thiserror::Error)]
#[error("the query collected more than {0} rows to sort")]
struct SortBound(usize);

/// The evaluator panicked while the results were read; carried through the
/// evaluator's errors to [`query_error`].
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct EvaluatorPanic(String);

/// Runs a read-only query, with `coop:` and `cg:` predeclared, SERVICE
/// and updates refused and the time limit applied.
///
/// The query is scanned for nesting first (refused with its position);
/// then a worker thread with a large stack parses it, walks its algebra
/// (too deep a tree, or a SERVICE anywhere, is refused), evaluates it and
/// hands the results over a bounded queue. Reading them waits at most
/// until the time limit: Oxigraph checks its cancellation token only when
/// it reads the store, so an operator working in memory (nested OPTIONALs,
/// property paths) would otherwise run on past it. At the limit the token
/// is cancelled, the reader gets a timeout and the worker stops at
/// Oxigraph's next check, or at its next result, which nobody takes.
pub fn run_query(
    store: &Store,
    ns: &Namespaces,
    text: &str,
    bindings: Vec<(Variable, Term)>,
    options: &QueryOptions,
    origin: &str,
) -> Result<QueryResults<'static>, RdfError> {
    if let Some(e) = nesting_error(text, origin) {
        return Err(e);
    }
    let token = options.cancellation.clone().unwrap_or_default();
    let deadline =
        options.timeout.filter(|_| options.cancellation.is_none()).map(|limit| std::time::Instant::now() + limit);
    let (head_tx, head_rx) = std::sync::mpsc::sync_channel::<Result<Head, RdfError>>(1);
    let (item_tx, item_rx) = std::sync::mpsc::sync_channel::<Result<Item, QueryEvaluationError>>(RESULT_QUEUE);
    let finished = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let overflow = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let job = Job {
        store: store.clone(),
        prefixes: prefixes(ns),
        text: text.to_owned(),
        bindings,
        options: options.clone(),
        origin: origin.to_owned(),
        token: token.clone(),
        overflow: std::sync::Arc::clone(&overflow),
    };
    let done = std::sync::Arc::clone(&finished);
    std::thread::Builder::new()
        .name("sparql".into())
        .stack_size(WORKER_STACK_BYTES)
        .spawn(move || {
            job.run(&head_tx, &item_tx);
            done.store(true, std::sync::atomic::Ordering::Release);
        })
        .map_err(|e| RdfError::Io(format!("cannot start the query: {e}")))?;
    let waiter = Waiter { deadline, token, finished, overflow, max_sort_rows: options.max_sort_rows };
    let head = match waiter.wait(&head_rx) {
        Ok(Some(head)) => head?,
        Ok(None) => return Err(RdfError::Internal("the evaluator stopped without an answer".into())),
        Err(Cancelled) => return Err(query_error(waiter.stopped(), options)),
    };
    let mut failed = false;
    let mut next = move || {
        if failed {
            return None;
        }
        match waiter.wait(&item_rx) {
            // Stopped by the sort bound, the evaluator says "cancelled".
            Ok(Some(Err(QueryEvaluationError::Cancelled))) => {
                failed = true;
                Some(Err(waiter.stopped()))
            }
            Ok(Some(item)) => Some(item),
            Ok(None) if waiter.finished.load(std::sync::atomic::Ordering::Acquire) => None,
            Ok(None) => {
                failed = true;
                Some(Err(QueryEvaluationError::Dataset(Box::new(std::io::Error::other(
                    "the evaluator stopped in the middle of the results",
                )))))
            }
            Err(Cancelled) => {
                failed = true;
                Some(Err(waiter.stopped()))
            }
        }
    };
    Ok(match head {
        Head::Boolean(b) => QueryResults::Boolean(b),
        Head::Solutions(variables) => QueryResults::Solutions(QuerySolutionIter::from_tuples(
            variables,
            std::iter::from_fn(move || {
                next().map(|item| match item? {
                    Item::Solution(values) => Ok(values),
                    Item::Triple(_) => Err(QueryEvaluationError::Unexpected("a triple among solutions".into())),
                })
            }),
        )),
        Head::Graph => QueryResults::Graph(QueryTripleIter::new(std::iter::from_fn(move || {
            next().map(|item| match item? {
                Item::Triple(t) => Ok(t),
                Item::Solution(_) => Err(QueryEvaluationError::Unexpected("a solution among triples".into())),
            })
        }))),
    })
}

/// What a query answers, before its results.
enum Head {
    Boolean(bool),
    Solutions(std::sync::Arc<[Variable]>),
    Graph,
}

/// One result.
enum Item {
    Solution(Vec<Option<Term>>),
    Triple(oxigraph::model::Triple),
}

/// The time limit struck (or the caller's token was cancelled).
struct Cancelled;

/// Waits for the worker, never past the deadline or the caller's token.
struct Waiter {
    deadline: Option<std::time::Instant>,
    token: CancellationToken,
    finished: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// Set by the worker, before it cancels the token, when the query's
    /// sorts went past the bound.
    overflow: std::sync::Arc<std::sync::atomic::AtomicBool>,
    max_sort_rows: Option<usize>,
}

impl Waiter {
    /// Why the query stopped once its token is cancelled: the sort bound,
    /// or else the time limit (or the caller).
    fn stopped(&self) -> QueryEvaluationError {
        match self.max_sort_rows {
            Some(limit) if self.overflow.load(std::sync::atomic::Ordering::Acquire) => {
                QueryEvaluationError::Dataset(Box::new(SortBound(limit)))
            }
            _ => QueryEvaluationError::Cancelled,
        }
    }

    /// The next message; `None` once the worker is gone.
    fn wait<T>(&self, rx: &std::sync::mpsc::Receiver<T>) -> Result<Option<T>, Cancelled> {
        // A caller's token (a server's timer) is polled: it has no waker.
        let poll = Duration::from_millis(20);
        loop {
            if self.token.is_cancelled() {
                return Err(Cancelled);
            }
            let wait = match self.deadline {
                Some(deadline) => {
                    let left = deadline.saturating_duration_since(std::time::Instant::now());
                    if left.is_zero() {
                        self.token.cancel();
                        return Err(Cancelled);
                    }
                    left.min(poll)
                }
                None => poll,
            };
            match rx.recv_timeout(wait) {
                Ok(message) => return Ok(Some(message)),
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return Ok(None),
            }
        }
    }
}

/// Everything the worker needs, owned.
struct Job {
    store: Store,
    prefixes: Vec<(&'static str, String)>,
    text: String,
    bindings: Vec<(Variable, Term)>,
    options: QueryOptions,
    origin: String,
    token: CancellationToken,
    overflow: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

type Sender<T> = std::sync::mpsc::SyncSender<T>;

impl Job {
    /// Evaluates the query and sends its results. A panic of the evaluator
    /// (a defect of oxigraph's or ours) ends the query, not the thread
    /// silently: it is caught here and sent as [`RdfError::Internal`], in
    /// place of the answer or after the results already sent.
    fn run(self, head: &Sender<Result<Head, RdfError>>, items: &Sender<Result<Item, QueryEvaluationError>>) {
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.send(head, items)));
        if let Err(payload) = caught {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "no message".to_owned());
            // The reader waits for one of the two: the answer's head if it
            // has not come yet, else the next result.
            let _ = head.send(Err(RdfError::Internal(message.clone())));
            let _ = items.send(Err(QueryEvaluationError::Dataset(Box::new(EvaluatorPanic(message)))));
        }
    }

    fn send(self, head: &Sender<Result<Head, RdfError>>, items: &Sender<Result<Item, QueryEvaluationError>>) {
        // Released when this thread is done, not when the reader is.
        let _hold = self.options.hold.clone();
        let results = match self.execute() {
            Ok(results) => results,
            Err(e) => {
                let _ = head.send(Err(e));
                return;
            }
        };
        match results {
            QueryResults::Boolean(b) => {
                let _ = head.send(Ok(Head::Boolean(b)));
            }
            QueryResults::Solutions(solutions) => {
                if head.send(Ok(Head::Solutions(solutions.variables().into()))).is_err() {
                    return;
                }
                for s in solutions {
                    // A send fails once the reader is gone (done, or past
                    // the time limit): stop evaluating.
                    if items.send(s.map(|s| Item::Solution(s.values().to_vec()))).is_err() {
                        return;
                    }
                }
            }
            QueryResults::Graph(triples) => {
                if head.send(Ok(Head::Graph)).is_err() {
                    return;
                }
                for t in triples {
                    if items.send(t.map(Item::Triple)).is_err() {
                        return;
                    }
                }
            }
        }
    }

    fn execute(self) -> Result<QueryResults<'static>, RdfError> {
        let mut parser = spargebra::SparqlParser::new();
        let mut evaluator = SparqlEvaluator::new();
        for (name, iri) in &self.prefixes {
            parser = parser.with_prefix(*name, iri.as_str()).map_err(|e| RdfError::Usage(e.to_string()))?;
            evaluator = evaluator.with_prefix(*name, iri.as_str()).map_err(|e| RdfError::Usage(e.to_string()))?;
        }
        let query = match parser.parse_query(&self.text) {
            Ok(query) => query,
            Err(e) => {
                let updates = self
                    .prefixes
                    .iter()
                    .try_fold(spargebra::SparqlParser::new(), |p, (name, iri)| p.with_prefix(*name, iri.as_str()));
                if updates.is_ok_and(|p| p.parse_update(&self.text).is_ok()) {
                    return Err(RdfError::Refused(
                        "updates are refused: queries here only read (SPARQL Update is not allowed)".into(),
                    ));
                }
                return Err(syntax_error(&e.to_string(), &self.origin));
            }
        };
        check_algebra(&query, &self.origin)?;
        // Built without oxigraph's http-client feature, and every SERVICE
        // refused above: nothing calls out.
        evaluator = evaluator.with_cancellation_token(self.token.clone());
        let query = rewrite(query, &self.bindings, self.options.max_sort_rows.is_some());
        let query = match &self.options.cardinalities {
            Some(counts) => crate::lateral::query_with_lateral_optionals(query, counts),
            None => query,
        };
        if let Some(limit) = self.options.max_sort_rows {
            let counted = std::sync::atomic::AtomicUsize::new(0);
            let (overflow, token) = (std::sync::Arc::clone(&self.overflow), self.token.clone());
            evaluator = evaluator.with_custom_function(NamedNode::new_unchecked(SORT_ROW_FUNCTION), move |_| {
                if counted.fetch_add(1, std::sync::atomic::Ordering::Relaxed) < limit {
                    return Some(Literal::from(true).into());
                }
                // Flagged before the token is cancelled: whoever sees the
                // token cancelled finds the flag.
                overflow.store(true, std::sync::atomic::Ordering::Release);
                token.cancel();
                None
            });
        }
        let mut prepared = evaluator.for_query(query);
        if self.options.union_default_graph {
            prepared.dataset_mut().set_default_graph_as_union();
        }
        if let Some(graphs) = &self.options.default_graphs {
            prepared.dataset_mut().set_default_graph(graphs.iter().cloned().map(Into::into).collect());
        }
        if let Some(graphs) = &self.options.named_graphs {
            prepared.dataset_mut().set_available_named_graphs(graphs.iter().cloned().map(Into::into).collect());
        }
        for (var, term) in self.bindings {
            prepared = prepared.substitute_variable(var, term);
        }
        prepared.on_store(&self.store).execute().map_err(|e| query_error(e, &self.options))
    }
}

/// A parser error as `ORIGIN:LINE:COL: SPARQL syntax error: ...`. The
/// parser's message reads "error at LINE:COL: expected ..."; lead with the
/// position like every other error.
fn syntax_error(message: &str, origin: &str) -> RdfError {
    match message.strip_prefix("error at ").and_then(|rest| rest.split_once(": ")) {
        Some((position, expected)) => {
            let mut numbers = position.split(':').map(str::parse::<usize>);
            match (numbers.next(), numbers.next(), numbers.next()) {
                (Some(Ok(line)), Some(Ok(column)), None) => RdfError::Syntax {
                    origin: origin.to_owned(),
                    span: Some(Span::at(line, column)),
                    message: format!("SPARQL syntax error: {expected}"),
                },
                _ => RdfError::Syntax {
                    origin: origin.to_owned(),
                    span: None,
                    message: format!("SPARQL syntax error: {message}"),
                },
            }
        }
        None => RdfError::Syntax {
            origin: origin.to_owned(),
            span: None,
            message: format!("SPARQL syntax error: {message}"),
        },
    }
}

/// Refuses a query nested deeper than [`MAX_NESTING`] brackets, at the
/// bracket that goes too deep. Brackets inside strings, IRIs and comments
/// do not count. The scan is a loop, whatever the input.
pub fn nesting_error(text: &str, origin: &str) -> Option<RdfError> {
    let chars: Vec<char> = text.chars().collect();
    let (mut line, mut column) = (1usize, 1usize);
    let mut depth = 0usize;
    let mut i = 0usize;
    // Moves past `n` characters, keeping the position.
    let advance = |i: &mut usize, line: &mut usize, column: &mut usize, n: usize| {
        for _ in 0..n {
            match chars.get(*i) {
                Some('\n') => {
                    *line += 1;
                    *column = 1;
                }
                Some(_) => *column += 1,
                None => return,
            }
            *i += 1;
        }
    };
    let at = |k: usize| chars.get(k).copied();
    while let Some(c) = at(i) {
        match c {
            '#' => {
                let end = (i..chars.len()).find(|&k| at(k) == Some('\n')).unwrap_or(chars.len());
                let n = end - i;
                advance(&mut i, &mut line, &mut column, n);
            }
            '"' | '\'' => {
                let long = at(i + 1) == Some(c) && at(i + 2) == Some(c);
                let open = if long { 3 } else { 1 };
                let mut k = i + open;
                loop {
                    match at(k) {
                        None => break,
                        Some('\\') => k += 2,
                        Some(q) if q == c && (!long || (at(k + 1) == Some(c) && at(k + 2) == Some(c))) => {
                            k += open;
                            break;
                        }
                        Some('\n') if !long => break,
                        Some(_) => k += 1,
                    }
                }
                let n = k.min(chars.len()) - i;
                advance(&mut i, &mut line, &mut column, n);
            }
            '<' => {
                // An IRI runs to '>' without spaces or these characters;
                // anything else is the operator `<` (or `<=`, `<<`).
                let iri_end = (i + 1..chars.len())
                    .take_while(|&k| at(k).is_some_and(|x| x > ' ' && !"<\"{}|^`\\".contains(x)))
                    .find(|&k| at(k) == Some('>'));
                let n = iri_end.map_or(1, |end| end + 1 - i);
                advance(&mut i, &mut line, &mut column, n);
            }
            '{' | '(' | '[' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(RdfError::Syntax {
                        origin: origin.to_owned(),
                        span: Some(Span::at(line, column)),
                        message: format!(
                            "SPARQL syntax error: brackets nest deeper than {MAX_NESTING} levels here; simplify the query"
                        ),
                    });
                }
                advance(&mut i, &mut line, &mut column, 1);
            }
            '}' | ')' | ']' => {
                depth = depth.saturating_sub(1);
                advance(&mut i, &mut line, &mut column, 1);
            }
            _ => advance(&mut i, &mut line, &mut column, 1),
        }
    }
    None
}

/// Why the algebra of a query is refused.
enum Refusal {
    TooDeep,
    Service(String),
}

/// Refuses a parsed query whose operator tree is deeper than
/// [`MAX_ALGEBRA_DEPTH`] (a syntax error at the query's start: it has no
/// single place), or that holds a SERVICE anywhere, SILENT or not (refused).
fn check_algebra(query: &spargebra::Query, origin: &str) -> Result<(), RdfError> {
    use spargebra::Query;
    let pattern = match query {
        Query::Select { pattern, .. }
        | Query::Construct { pattern, .. }
        | Query::Describe { pattern, .. }
        | Query::Ask { pattern, .. } => pattern,
    };
    match walk_pattern(pattern, 0) {
        Ok(()) => Ok(()),
        Err(Refusal::TooDeep) => Err(RdfError::Syntax {
            origin: origin.to_owned(),
            span: Some(Span::at(1, 1)),
            message: format!(
                "SPARQL syntax error: the query's operators nest deeper than {MAX_ALGEBRA_DEPTH} levels (long chains of UNION, OPTIONAL, operators or path steps); simplify the query"
            ),
        }),
        Err(Refusal::Service(name)) => {
            Err(RdfError::Refused(format!("SERVICE {name} refused: federated queries are not allowed here")))
        }
    }
}

fn walk_pattern(p: &spargebra::algebra::GraphPattern, depth: usize) -> Result<(), Refusal> {
    use spargebra::algebra::GraphPattern as G;
    if depth > MAX_ALGEBRA_DEPTH {
        return Err(Refusal::TooDeep);
    }
    let d = depth + 1;
    match p {
        G::Bgp { .. } | G::Values { .. } => Ok(()),
        G::Path { path, .. } => walk_path(path, d),
        G::Join { left, right } | G::Union { left, right } | G::Minus { left, right } | G::Lateral { left, right } => {
            walk_pattern(left, d)?;
            walk_pattern(right, d)
        }
        G::LeftJoin { left, right, expression } => {
            walk_pattern(left, d)?;
            walk_pattern(right, d)?;
            expression.as_ref().map_or(Ok(()), |e| walk_expression(e, d))
        }
        G::Filter { expr, inner } => {
            walk_expression(expr, d)?;
            walk_pattern(inner, d)
        }
        G::Extend { inner, expression, .. } => {
            walk_expression(expression, d)?;
            walk_pattern(inner, d)
        }
        G::OrderBy { inner, expression } => {
            for e in expression {
                match e {
                    spargebra::algebra::OrderExpression::Asc(e) | spargebra::algebra::OrderExpression::Desc(e) => {
                        walk_expression(e, d)?;
                    }
                }
            }
            walk_pattern(inner, d)
        }
        G::Group { inner, aggregates, .. } => {
            for (_, a) in aggregates {
                if let spargebra::algebra::AggregateExpression::FunctionCall { expr, .. } = a {
                    walk_expression(expr, d)?;
                }
            }
            walk_pattern(inner, d)
        }
        G::Graph { inner, .. }
        | G::Project { inner, .. }
        | G::Distinct { inner }
        | G::Reduced { inner }
        | G::Slice { inner, .. } => walk_pattern(inner, d),
        G::Service { name, .. } => Err(Refusal::Service(name.to_string())),
    }
}

fn walk_expression(e: &spargebra::algebra::Expression, depth: usize) -> Result<(), Refusal> {
    use spargebra::algebra::Expression as E;
    if depth > MAX_ALGEBRA_DEPTH {
        return Err(Refusal::TooDeep);
    }
    let d = depth + 1;
    match e {
        E::Or(a, b)
        | E::And(a, b)
        | E::Equal(a, b)
        | E::SameTerm(a, b)
        | E::Greater(a, b)
        | E::GreaterOrEqual(a, b)
        | E::Less(a, b)
        | E::LessOrEqual(a, b)
        | E::Add(a, b)
        | E::Subtract(a, b)
        | E::Multiply(a, b)
        | E::Divide(a, b) => {
            walk_expression(a, d)?;
            walk_expression(b, d)
        }
        E::UnaryPlus(a) | E::UnaryMinus(a) | E::Not(a) => walk_expression(a, d),
        E::In(a, list) => {
            walk_expression(a, d)?;
            list.iter().try_for_each(|x| walk_expression(x, d))
        }
        E::If(a, b, c) => {
            walk_expression(a, d)?;
            walk_expression(b, d)?;
            walk_expression(c, d)
        }
        E::Coalesce(list) | E::FunctionCall(_, list) => list.iter().try_for_each(|x| walk_expression(x, d)),
        E::Exists(p) => walk_pattern(p, d),
        _ => Ok(()),
    }
}

fn walk_path(p: &spargebra::algebra::PropertyPathExpression, depth: usize) -> Result<(), Refusal> {
    use spargebra::algebra::PropertyPathExpression as P;
    if depth > MAX_ALGEBRA_DEPTH {
        return Err(Refusal::TooDeep);
    }
    let d = depth + 1;
    match p {
        P::NamedNode(_) | P::NegatedPropertySet(_) => Ok(()),
        P::Reverse(a) | P::ZeroOrMore(a) | P::OneOrMore(a) | P::ZeroOrOne(a) => walk_path(a, d),
        P::Sequence(a, b) | P::Alternative(a, b) => {
            walk_path(a, d)?;
            walk_path(b, d)
        }
    }
}

/// The query as the evaluator gets it: every sort made total
/// ([`total_orders`]), then, in one walk of its algebra, the parameters'
/// values shown to the planner ([`Rewrite::params`]) and, when
/// `count_sorts`, every row that enters a sort counted ([`Rewrite::sorts`]).
/// None changes an answer (beyond placing values that SPARQL leaves
/// unordered among themselves): the values are bound by substitution all the
/// same, and a counted row passes unchanged until the bound stops the query.
fn rewrite(query: Query, bindings: &[(Variable, Term)], count_sorts: bool) -> Query {
    let params: Vec<(Variable, GroundTerm)> = bindings
        .iter()
        .filter_map(|(var, term)| match term {
            Term::NamedNode(n) => Some((var.clone(), GroundTerm::NamedNode(n.clone()))),
            Term::Literal(l) => Some((var.clone(), GroundTerm::Literal(l.clone()))),
            _ => None,
        })
        .collect();
    let walk = Rewrite { params: &params, groups: true, sorts: count_sorts };
    let keys = std::cell::Cell::new(0);
    let pattern = |pattern: GraphPattern| {
        let pattern = total_orders(pattern, &keys);
        if params.is_empty() && !count_sorts { pattern } else { walk.pattern(pattern) }
    };
    match query {
        Query::Select { dataset, pattern: p, base_iri } => Query::Select { dataset, pattern: pattern(p), base_iri },
        Query::Construct { template, dataset, pattern: p, base_iri } => {
            Query::Construct { template, dataset, pattern: pattern(p), base_iri }
        }
        Query::Describe { dataset, pattern: p, base_iri } => Query::Describe { dataset, pattern: pattern(p), base_iri },
        Query::Ask { dataset, pattern: p, base_iri } => Query::Ask { dataset, pattern: pattern(p), base_iri },
    }
}

/// What [`rewrite`] does to one graph pattern and, through
/// [`map_children`], to what it holds.
///
/// **Parameter hints.** A one-row `VALUES` of the parameters is joined into
/// every group where they are in scope (not into a sub-select that does not
/// return them, which has variables of its own). Oxigraph plans the query
/// before it sees the substituted values, so without the hint it starts from
/// the pattern it believes smallest (`?st rdf:predicate coop:memberOf`,
/// every membership in the store) instead of the parameter; with the
/// `VALUES` in the group, its greedy join ordering starts from the parameter
/// and follows the patterns that share its variables.
///
/// **Counted sorts.** Oxigraph's ORDER BY collects every row of its input
/// (errors included: a cancelled read does not stop the collecting) and then
/// sorts them in one call that no token stops. So the input of each ORDER BY
/// becomes `FILTER(?row) { BIND(<sort-row>() AS ?row) }`: the function
/// counts each row, and past the bound it flags the overflow, cancels the
/// query (every later read of the store fails at once) and leaves `?row`
/// unbound, so that no further row reaches the sort, which then orders at
/// most the bound. The variable is bound beside the query's own, which a
/// projection never names (SELECT * lists the variables as parsed, before
/// this).
#[derive(Clone, Copy)]
struct Rewrite<'a> {
    /// The parameters that may be in scope here.
    params: &'a [(Variable, GroundTerm)],
    /// False inside a UNION branch that walks a `*` or `+` path: with the
    /// parameter's one row beside it, oxigraph evaluates the path from every
    /// node of the store before the join (20 s for shared-operations at 1M
    /// relations, 0.1 s without), so only its sub-selects get the hint.
    groups: bool,
    /// Count the rows that enter each ORDER BY.
    sorts: bool,
}

impl Rewrite<'_> {
    fn pattern(self, pattern: GraphPattern) -> GraphPattern {
        let mut in_scope: Vec<(Variable, GroundTerm)> = Vec::new();
        pattern.on_in_scope_variable(|var| {
            if let Some(p) = self.params.iter().find(|(v, _)| v == var)
                && !in_scope.iter().any(|(v, _)| v == var)
            {
                in_scope.push(p.clone());
            }
        });
        if in_scope.is_empty() && !self.sorts {
            return pattern;
        }
        let here = Rewrite { params: &in_scope, ..self };
        let hint = here.groups && !in_scope.is_empty();
        let values = || {
            Box::new(GraphPattern::Values {
                variables: in_scope.iter().map(|(v, _)| v.clone()).collect(),
                bindings: vec![in_scope.iter().map(|(_, t)| Some(t.clone())).collect()],
            })
        };
        let again = |p: Box<GraphPattern>| Box::new(here.pattern(*p));
        let branch = |p: Box<GraphPattern>| {
            let groups = here.groups && !walks_a_closure(&p);
            Box::new(Rewrite { groups, ..here }.pattern(*p))
        };
        match pattern {
            GraphPattern::Bgp { .. } | GraphPattern::Path { .. } if hint => {
                GraphPattern::Join { left: values(), right: Box::new(pattern) }
            }
            GraphPattern::Join { left, right } if hint => GraphPattern::Join {
                left: values(),
                right: Box::new(GraphPattern::Join { left: again(left), right: again(right) }),
            },
            GraphPattern::Union { left, right } => GraphPattern::Union { left: branch(left), right: branch(right) },
            // A sub-select sees only the parameters it returns: its other
            // variables are its own, even when they have the same name.
            GraphPattern::Project { inner, variables } => {
                let inside: Vec<(Variable, GroundTerm)> =
                    in_scope.iter().filter(|(v, _)| variables.contains(v)).cloned().collect();
                let inner = Rewrite { params: &inside, groups: true, ..here }.pattern(*inner);
                GraphPattern::Project { inner: Box::new(inner), variables }
            }
            // The right side of MINUS only removes rows, and a variable it
            // shares with the left changes what it removes: no hint there,
            // but its sorts are counted all the same.
            GraphPattern::Minus { left, right } => {
                let right = if here.sorts { Box::new(Rewrite { params: &[], ..here }.pattern(*right)) } else { right };
                GraphPattern::Minus { left: again(left), right }
            }
            GraphPattern::OrderBy { inner, expression } if here.sorts => {
                use spargebra::algebra::{Expression, Function};
                let row = Variable::new_unchecked(SORT_ROW_VARIABLE);
                let counted = GraphPattern::Extend {
                    inner: again(inner),
                    variable: row.clone(),
                    expression: Expression::FunctionCall(
                        Function::Custom(NamedNode::new_unchecked(SORT_ROW_FUNCTION)),
                        Vec::new(),
                    ),
                };
                GraphPattern::OrderBy {
                    inner: Box::new(GraphPattern::Filter { expr: Expression::Variable(row), inner: Box::new(counted) }),
                    expression,
                }
            }
            other => {
                let mapped = map_children(other, &|p| here.pattern(p));
                // An EXISTS sees the parameters by substitution; only its
                // sorts are counted (no hint: it only tests for a row).
                if here.sorts { map_exists(mapped, &|p| Rewrite { params: &[], ..here }.pattern(p)) } else { mapped }
            }
        }
    }
}

/// Prefix of the variables [`total_orders`] binds: a hyphen cannot appear
/// in a SPARQL variable's name, so none of them is one of the query's own.
const ORDER_KEY_VARIABLE: &str = "coopgraph-order-";

/// Every ORDER BY of `pattern` (sub-selects included) made to sort in a
/// total order, with the same answers wherever SPARQL defines the order.
///
/// Oxigraph (spareval 0.2.9, `cmp_terms`) compares two literals by value
/// when it can and otherwise by their text, datatype and language. That is
/// no total order, and Rust's sort panics when it notices ("user-provided
/// comparison function does not correctly implement a total order"),
/// killing the query's thread: `10 < "5"` and `"5" < 9` by text but
/// `9 < 10` by value; dateTimes with and without a time zone compare by
/// text where the instant is indeterminate; a duration of months and one of
/// days likewise; `1` (integer) and `1.0e0` compare through a float that
/// rounds. Each sort key `E` becomes, bound once per row before the sort
/// (an expression such as `RAND()` is then also evaluated once per row,
/// not at every comparison):
///
/// 1. the family of `E`'s value, a string: blank nodes, IRIs, then literals
///    in families within which the comparisons agree (numbers; NaN; dates,
///    dateTimes, years and year-months without a time zone and with a
///    four-digit year, whose text orders as their value; every other
///    temporal datatype, with a time zone and without; each duration
///    datatype; everything else: strings, language strings, booleans,
///    ill-typed and unknown literals), then the rest; unbound when `E` is;
/// 2. the value to compare within the family: numbers as xsd:double,
///    durations by their text, anything else as it is.
///
/// Numbers, strings and dateTimes of one kind are thus sorted as SPARQL
/// says; only values SPARQL does not order among themselves are placed by
/// family.
fn total_orders(pattern: GraphPattern, next: &std::cell::Cell<usize>) -> GraphPattern {
    use spargebra::algebra::{Expression, OrderExpression};
    let pattern = map_children(pattern, &|p| total_orders(p, next));
    let pattern = map_exists(pattern, &|p| total_orders(p, next));
    let GraphPattern::OrderBy { inner, expression } = pattern else { return pattern };
    let mut inner = *inner;
    let mut keys = Vec::with_capacity(expression.len() * 2);
    for order in expression {
        let (e, ascending) = match order {
            OrderExpression::Asc(e) => (e, true),
            OrderExpression::Desc(e) => (e, false),
        };
        let n = next.get();
        next.set(n + 1);
        let var = |what: &str| Variable::new_unchecked(format!("{ORDER_KEY_VARIABLE}{n}-{what}"));
        let value = match e {
            Expression::Variable(v) => v,
            other => {
                let v = var("value");
                inner = GraphPattern::Extend { inner: Box::new(inner), variable: v.clone(), expression: other };
                v
            }
        };
        let (family, within) = (var("family"), var("within"));
        inner = GraphPattern::Extend {
            inner: Box::new(inner),
            variable: family.clone(),
            expression: order_family(&Expression::Variable(value.clone())),
        };
        inner = GraphPattern::Extend {
            inner: Box::new(inner),
            variable: within.clone(),
            expression: order_within(&Expression::Variable(value)),
        };
        for key in [family, within] {
            let key = Expression::Variable(key);
            keys.push(if ascending { OrderExpression::Asc(key) } else { OrderExpression::Desc(key) });
        }
    }
    GraphPattern::OrderBy { inner: Box::new(inner), expression: keys }
}

/// XSD datatypes the order keys name.
const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

fn xsd(local: &str) -> spargebra::algebra::Expression {
    spargebra::algebra::Expression::NamedNode(NamedNode::new_unchecked(format!("{XSD}{local}")))
}

fn call(f: spargebra::algebra::Function, args: Vec<spargebra::algebra::Expression>) -> spargebra::algebra::Expression {
    spargebra::algebra::Expression::FunctionCall(f, args)
}

fn text(s: &str) -> spargebra::algebra::Expression {
    spargebra::algebra::Expression::Literal(Literal::new_simple_literal(s))
}

/// True when `e` is a duration literal (of any of the three datatypes).
fn is_duration(e: &spargebra::algebra::Expression) -> spargebra::algebra::Expression {
    use spargebra::algebra::{Expression, Function};
    Expression::In(
        Box::new(call(Function::Datatype, vec![e.clone()])),
        vec![xsd("duration"), xsd("yearMonthDuration"), xsd("dayTimeDuration")],
    )
}

/// The first key of [`total_orders`]: the family of `e`'s value.
fn order_family(e: &spargebra::algebra::Expression) -> spargebra::algebra::Expression {
    use spargebra::algebra::{Expression, Function};
    let iff = |c: Expression, a: Expression, b: Expression| Expression::If(Box::new(c), Box::new(a), Box::new(b));
    let datatype = || call(Function::Str, vec![call(Function::Datatype, vec![e.clone()])]);
    // A number: NaN (equal to nothing) apart.
    let number = iff(Expression::Equal(Box::new(e.clone()), Box::new(e.clone())), text("2n"), text("2nan"));
    // TZ is defined on the temporal values only (an ill-typed literal of a
    // temporal datatype is none): an error otherwise, and COALESCE moves on.
    // Without a time zone and with a year of four digits, the text of a
    // date, dateTime, gYear or gYearMonth orders as its value does, so they
    // share one family: Oxigraph compares two of one datatype by value and
    // two of different datatypes by text, and dates of every precision
    // sort by time ("2014" < "2014-10" < "2016-06-13"). The others (a time
    // zone, a negative or longer year, times, months, days) go by datatype.
    let no_zone = Expression::Equal(Box::new(call(Function::Tz, vec![e.clone()])), Box::new(text("")));
    let four_digit_year = call(Function::Regex, vec![call(Function::Str, vec![e.clone()]), text("^[0-9]{4}(-|$)")]);
    let temporal = call(
        Function::Concat,
        vec![
            text("2t"),
            iff(
                no_zone,
                iff(four_digit_year, text("-"), call(Function::Concat, vec![datatype(), text("-")])),
                call(Function::Concat, vec![datatype(), text("+")]),
            ),
        ],
    );
    let duration = call(Function::Concat, vec![text("2d"), datatype()]);
    let literal = iff(
        call(Function::IsNumeric, vec![e.clone()]),
        number,
        Expression::Coalesce(vec![temporal, iff(is_duration(e), duration, text("2s"))]),
    );
    iff(
        call(Function::IsBlank, vec![e.clone()]),
        text("0"),
        iff(
            call(Function::IsIri, vec![e.clone()]),
            text("1"),
            iff(call(Function::IsLiteral, vec![e.clone()]), literal, text("3")),
        ),
    )
}

/// The second key of [`total_orders`]: what is compared within a family.
fn order_within(e: &spargebra::algebra::Expression) -> spargebra::algebra::Expression {
    use spargebra::algebra::{Expression, Function};
    let iff = |c: Expression, a: Expression, b: Expression| Expression::If(Box::new(c), Box::new(a), Box::new(b));
    let double = call(Function::Custom(NamedNode::new_unchecked(format!("{XSD}double"))), vec![e.clone()]);
    let literal = iff(
        call(Function::IsNumeric, vec![e.clone()]),
        double,
        iff(is_duration(e), call(Function::Str, vec![e.clone()]), e.clone()),
    );
    // Not a literal: DATATYPE fails, and the value is its own key.
    Expression::Coalesce(vec![literal, e.clone()])
}

/// `pattern` with `f` applied to each of its sub-patterns.
pub(crate) fn map_children(pattern: GraphPattern, f: &impl Fn(GraphPattern) -> GraphPattern) -> GraphPattern {
    let c = |p: Box<GraphPattern>| Box::new(f(*p));
    match pattern {
        GraphPattern::Join { left, right } => GraphPattern::Join { left: c(left), right: c(right) },
        GraphPattern::LeftJoin { left, right, expression } => {
            GraphPattern::LeftJoin { left: c(left), right: c(right), expression }
        }
        GraphPattern::Lateral { left, right } => GraphPattern::Lateral { left: c(left), right: c(right) },
        GraphPattern::Union { left, right } => GraphPattern::Union { left: c(left), right: c(right) },
        GraphPattern::Minus { left, right } => GraphPattern::Minus { left: c(left), right: c(right) },
        GraphPattern::Filter { expr, inner } => GraphPattern::Filter { expr, inner: c(inner) },
        GraphPattern::Graph { name, inner } => GraphPattern::Graph { name, inner: c(inner) },
        GraphPattern::Extend { inner, variable, expression } => {
            GraphPattern::Extend { inner: c(inner), variable, expression }
        }
        GraphPattern::OrderBy { inner, expression } => GraphPattern::OrderBy { inner: c(inner), expression },
        GraphPattern::Distinct { inner } => GraphPattern::Distinct { inner: c(inner) },
        GraphPattern::Reduced { inner } => GraphPattern::Reduced { inner: c(inner) },
        GraphPattern::Slice { inner, start, length } => GraphPattern::Slice { inner: c(inner), start, length },
        GraphPattern::Group { inner, variables, aggregates } => {
            GraphPattern::Group { inner: c(inner), variables, aggregates }
        }
        GraphPattern::Project { inner, variables } => GraphPattern::Project { inner: c(inner), variables },
        GraphPattern::Service { name, inner, silent } => GraphPattern::Service { name, inner: c(inner), silent },
        other @ (GraphPattern::Bgp { .. } | GraphPattern::Path { .. } | GraphPattern::Values { .. }) => other,
    }
}

/// `pattern` with `f` applied to the graph pattern of each EXISTS (and NOT
/// EXISTS) in its own expressions: FILTER, OPTIONAL's condition, BIND,
/// ORDER BY keys and aggregates. Its sub-patterns are left to
/// [`map_children`].
pub(crate) fn map_exists(pattern: GraphPattern, f: &impl Fn(GraphPattern) -> GraphPattern) -> GraphPattern {
    use spargebra::algebra::{AggregateExpression, Expression, OrderExpression};
    let e = |x: Expression| map_expression(x, f);
    match pattern {
        GraphPattern::Filter { expr, inner } => GraphPattern::Filter { expr: e(expr), inner },
        GraphPattern::LeftJoin { left, right, expression } => {
            GraphPattern::LeftJoin { left, right, expression: expression.map(e) }
        }
        GraphPattern::Extend { inner, variable, expression } => {
            GraphPattern::Extend { inner, variable, expression: e(expression) }
        }
        GraphPattern::OrderBy { inner, expression } => GraphPattern::OrderBy {
            inner,
            expression: expression
                .into_iter()
                .map(|o| match o {
                    OrderExpression::Asc(x) => OrderExpression::Asc(e(x)),
                    OrderExpression::Desc(x) => OrderExpression::Desc(e(x)),
                })
                .collect(),
        },
        GraphPattern::Group { inner, variables, aggregates } => GraphPattern::Group {
            inner,
            variables,
            aggregates: aggregates
                .into_iter()
                .map(|(v, a)| match a {
                    AggregateExpression::FunctionCall { name, expr, distinct } => {
                        (v, AggregateExpression::FunctionCall { name, expr: e(expr), distinct })
                    }
                    other => (v, other),
                })
                .collect(),
        },
        other => other,
    }
}

/// `expression` with `f` applied to the graph pattern of each EXISTS in it.
fn map_expression(
    expression: spargebra::algebra::Expression,
    f: &impl Fn(GraphPattern) -> GraphPattern,
) -> spargebra::algebra::Expression {
    use spargebra::algebra::Expression;
    let b = |x: Box<Expression>| Box::new(map_expression(*x, f));
    let all = |xs: Vec<Expression>| xs.into_iter().map(|x| map_expression(x, f)).collect();
    match expression {
        Expression::Exists(p) => Expression::Exists(Box::new(f(*p))),
        Expression::Or(a, c) => Expression::Or(b(a), b(c)),
        Expression::And(a, c) => Expression::And(b(a), b(c)),
        Expression::Equal(a, c) => Expression::Equal(b(a), b(c)),
        Expression::SameTerm(a, c) => Expression::SameTerm(b(a), b(c)),
        Expression::Greater(a, c) => Expression::Greater(b(a), b(c)),
        Expression::GreaterOrEqual(a, c) => Expression::GreaterOrEqual(b(a), b(c)),
        Expression::Less(a, c) => Expression::Less(b(a), b(c)),
        Expression::LessOrEqual(a, c) => Expression::LessOrEqual(b(a), b(c)),
        Expression::In(a, xs) => Expression::In(b(a), all(xs)),
        Expression::Add(a, c) => Expression::Add(b(a), b(c)),
        Expression::Subtract(a, c) => Expression::Subtract(b(a), b(c)),
        Expression::Multiply(a, c) => Expression::Multiply(b(a), b(c)),
        Expression::Divide(a, c) => Expression::Divide(b(a), b(c)),
        Expression::UnaryPlus(a) => Expression::UnaryPlus(b(a)),
        Expression::UnaryMinus(a) => Expression::UnaryMinus(b(a)),
        Expression::Not(a) => Expression::Not(b(a)),
        Expression::If(a, c, d) => Expression::If(b(a), b(c), b(d)),
        Expression::Coalesce(xs) => Expression::Coalesce(all(xs)),
        Expression::FunctionCall(name, xs) => Expression::FunctionCall(name, all(xs)),
        leaf @ (Expression::NamedNode(_) | Expression::Literal(_) | Expression::Variable(_) | Expression::Bound(_)) => {
            leaf
        }
    }
}

/// True when `pattern` (outside its sub-selects) walks a path with `*` or
/// `+`, whose length the planner cannot bound.
fn walks_a_closure(pattern: &GraphPattern) -> bool {
    use spargebra::algebra::PropertyPathExpression as P;
    fn closure(path: &P) -> bool {
        match path {
            P::ZeroOrMore(_) | P::OneOrMore(_) => true,
            P::NamedNode(_) | P::NegatedPropertySet(_) => false,
            P::Reverse(a) | P::ZeroOrOne(a) => closure(a),
            P::Sequence(a, b) | P::Alternative(a, b) => closure(a) || closure(b),
        }
    }
    match pattern {
        GraphPattern::Path { path, .. } => closure(path),
        GraphPattern::Project { .. } => false,
        other => children(other).into_iter().any(walks_a_closure),
    }
}

/// The sub-patterns of `pattern`, both sides of MINUS included, for the
/// walks that only read (a SERVICE's inner pattern is not one: it is never
/// evaluated here).
pub(crate) fn children(pattern: &GraphPattern) -> Vec<&GraphPattern> {
    match pattern {
        GraphPattern::Join { left, right }
        | GraphPattern::LeftJoin { left, right, .. }
        | GraphPattern::Lateral { left, right }
        | GraphPattern::Union { left, right }
        | GraphPattern::Minus { left, right } => vec![left, right],
        GraphPattern::Filter { inner, .. }
        | GraphPattern::Graph { inner, .. }
        | GraphPattern::Extend { inner, .. }
        | GraphPattern::OrderBy { inner, .. }
        | GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Slice { inner, .. }
        | GraphPattern::Group { inner, .. }
        | GraphPattern::Project { inner, .. } => vec![inner],
        GraphPattern::Bgp { .. }
        | GraphPattern::Path { .. }
        | GraphPattern::Values { .. }
        | GraphPattern::Service { .. } => Vec::new(),
    }
}

/// Maps an error met while reading results (a time limit, a refused SERVICE).
pub fn query_error(e: oxigraph::sparql::QueryEvaluationError, options: &QueryOptions) -> RdfError {
    match e {
        oxigraph::sparql::QueryEvaluationError::Cancelled => RdfError::Timeout(options.timeout.unwrap_or_default()),
        // The bound travels in the error: a reader of results may not hold
        // the options the query ran with.
        oxigraph::sparql::QueryEvaluationError::Dataset(e) if e.is::<SortBound>() => {
            RdfError::SortTooLarge(e.downcast_ref::<SortBound>().map_or(0, |bound| bound.0))
        }
        oxigraph::sparql::QueryEvaluationError::Dataset(e) if e.is::<EvaluatorPanic>() => {
            RdfError::Internal(e.to_string())
        }
        oxigraph::sparql::QueryEvaluationError::Service(_) => {
            RdfError::Refused("SERVICE refused: federated queries are not allowed here".to_owned())
        }
        oxigraph::sparql::QueryEvaluationError::UnsupportedService(service) => {
            RdfError::Refused(format!("SERVICE {service} refused: federated queries are not allowed here"))
        }
        other => RdfError::Query(format!("query failed: {other}")),
    }
}

/// Output formats of query results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultFormat {
    /// Aligned text, IRIs shortened with prefixes.
    Table,
    /// SPARQL CSV.
    Csv,
    /// SPARQL TSV.
    Tsv,
    /// SPARQL JSON.
    Json,
    /// SPARQL XML.
    Xml,
    /// Turtle (CONSTRUCT and DESCRIBE).
    Turtle,
    /// N-Triples (CONSTRUCT and DESCRIBE).
    NTriples,
}

impl ResultFormat {
    /// Every format, in the order the command line lists them.
    pub const ALL: [ResultFormat; 7] = [
        ResultFormat::Table,
        ResultFormat::Csv,
        ResultFormat::Tsv,
        ResultFormat::Json,
        ResultFormat::Xml,
        ResultFormat::Turtle,
        ResultFormat::NTriples,
    ];

    /// Name on the command line (`--format csv`).
    pub fn name(self) -> &'static str {
        match self {
            ResultFormat::Table => "table",
            ResultFormat::Csv => "csv",
            ResultFormat::Tsv => "tsv",
            ResultFormat::Json => "json",
            ResultFormat::Xml => "xml",
            ResultFormat::Turtle => "turtle",
            ResultFormat::NTriples => "ntriples",
        }
    }

    /// What it is, for `--help`.
    pub fn description(self) -> &'static str {
        match self {
            ResultFormat::Table => "Aligned text (Turtle for CONSTRUCT/DESCRIBE)",
            ResultFormat::Csv => "SPARQL CSV",
            ResultFormat::Tsv => "SPARQL TSV",
            ResultFormat::Json => "SPARQL JSON",
            ResultFormat::Xml => "SPARQL XML",
            ResultFormat::Turtle => "Turtle (CONSTRUCT/DESCRIBE)",
            ResultFormat::NTriples => "N-Triples (CONSTRUCT/DESCRIBE)",
        }
    }

    /// The format named `name` on the command line.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// Shortens an IRI with the known prefixes (`cg:china`).
pub fn short_term(term: &Term, ns: &Namespaces) -> String {
    match term {
        Term::NamedNode(n) => {
            for (name, iri) in prefixes(ns) {
                if let Some(local) = n.as_str().strip_prefix(iri.as_str())
                    && !local.is_empty()
                    && local.chars().all(|c| c.is_alphanumeric() || "_-./".contains(c))
                {
                    return format!("{name}:{local}");
                }
            }
            format!("<{}>", n.as_str())
        }
        Term::Literal(l) => l.value().to_owned(),
        other => other.to_string(),
    }
}

/// Writes results. SELECT and ASK take table, csv, tsv, json, xml;
/// CONSTRUCT and DESCRIBE take turtle and ntriples (table means turtle).
pub fn write_results<W: Write>(
    results: QueryResults<'_>,
    format: ResultFormat,
    ns: &Namespaces,
    mut w: W,
) -> Result<W, RdfError> {
    let io = |e: std::io::Error| RdfError::Io(e.to_string());
    let eval = |e| query_error(e, &QueryOptions { timeout: None, ..QueryOptions::default() });
    match results {
        QueryResults::Boolean(b) => match format {
            ResultFormat::Table => {
                writeln!(w, "{}", if b { "yes" } else { "no" }).map_err(io)?;
                Ok(w)
            }
            ResultFormat::Turtle | ResultFormat::NTriples => {
                Err(RdfError::Usage("an ASK query gives yes or no: use --format table, csv, tsv, json or xml".into()))
            }
            other => {
                QueryResultsSerializer::from_format(results_format(other)).serialize_boolean_to_writer(w, b).map_err(io)
            }
        },
        QueryResults::Solutions(solutions) => {
            let variables = solutions.variables().to_vec();
            match format {
                ResultFormat::Table => {
                    let mut rows = Vec::new();
                    for s in solutions {
                        let s = s.map_err(eval)?;
                        rows.push(
                            variables
                                .iter()
                                .map(|v| s.get(v).map_or_else(String::new, |t| short_term(t, ns)))
                                .collect::<Vec<_>>(),
                        );
                    }
                    let headers: Vec<String> = variables.iter().map(|v| v.as_str().to_owned()).collect();
                    write_table(&mut w, &headers, &rows).map_err(io)?;
                    Ok(w)
                }
                ResultFormat::Turtle | ResultFormat::NTriples => Err(RdfError::Usage(
                    "a SELECT query gives a table: use --format table, csv, tsv, json or xml".into(),
                )),
                other => {
                    let mut ser = QueryResultsSerializer::from_format(results_format(other))
                        .serialize_solutions_to_writer(w, variables)
                        .map_err(io)?;
                    for s in solutions {
                        let s = s.map_err(eval)?;
                        ser.serialize(&s).map_err(io)?;
                    }
                    ser.finish().map_err(io)
                }
            }
        }
        QueryResults::Graph(triples) => {
            let rdf_format = match format {
                ResultFormat::NTriples => RdfFormat::NTriples,
                ResultFormat::Table | ResultFormat::Turtle => RdfFormat::Turtle,
                _ => {
                    return Err(RdfError::Usage(
                        "a CONSTRUCT or DESCRIBE query gives triples: use --format turtle or ntriples".into(),
                    ));
                }
            };
            let mut serializer = RdfSerializer::from_format(rdf_format);
            if rdf_format == RdfFormat::Turtle {
                for (name, iri) in prefixes(ns) {
                    serializer = serializer.with_prefix(name, iri).map_err(|e| RdfError::Io(e.to_string()))?;
                }
            }
            // Sorted, so the output is the same on every run.
            let mut all = Vec::new();
            for t in triples {
                all.push(t.map_err(eval)?);
            }
            all.sort_by_cached_key(ToString::to_string);
            all.dedup();
            let mut out = serializer.for_writer(w);
            for t in &all {
                out.serialize_triple(t).map_err(io)?;
            }
            out.finish().map_err(io)
        }
    }
}

fn results_format(format: ResultFormat) -> QueryResultsFormat {
    match format {
        ResultFormat::Csv => QueryResultsFormat::Csv,
        ResultFormat::Tsv => QueryResultsFormat::Tsv,
        ResultFormat::Xml => QueryResultsFormat::Xml,
        _ => QueryResultsFormat::Json,
    }
}

fn write_table<W: Write>(w: &mut W, headers: &[String], rows: &[Vec<String>]) -> std::io::Result<()> {
    let width = |s: &str| s.chars().map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 }).sum::<usize>();
    let mut widths: Vec<usize> = headers.iter().map(|h| width(h)).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(wd) = widths.get_mut(i) {
                *wd = (*wd).max(width(cell).min(60));
            }
        }
    }
    let line = |cells: &[String]| {
        cells
            .iter()
            .zip(&widths)
            .map(|(c, wd)| {
                let pad = wd.saturating_sub(width(c));
                format!("{c}{}", " ".repeat(pad))
            })
            .collect::<Vec<_>>()
            .join(" | ")
            .trim_end()
            .to_owned()
    };
    writeln!(w, "{}", line(headers))?;
    writeln!(w, "{}", widths.iter().map(|wd| "-".repeat(*wd)).collect::<Vec<_>>().join("-+-"))?;
    for row in rows {
        writeln!(w, "{}", line(row))?;
    }
    writeln!(w, "({} row{})", rows.len(), if rows.len() == 1 { "" } else { "s" })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::ErrorKind;

    fn scan(text: &str) -> Option<String> {
        nesting_error(text, "q").map(|e| e.to_string())
    }

    #[test]
    fn the_nesting_scan_counts_brackets_outside_strings_iris_and_comments() {
        let deep = format!("ASK {{\n{}\n}}", "{".repeat(100));
        assert_eq!(
            scan(&deep).as_deref(),
            Some("q:2:64: SPARQL syntax error: brackets nest deeper than 64 levels here; simplify the query")
        );
        let brackets = "{".repeat(100);
        for hidden in [
            format!("ASK {{ ?s ?p \"{brackets}\" }}"),
            format!("ASK {{ ?s ?p '''{brackets}\n{brackets}''' }}"),
            format!("ASK {{ ?s ?p \"a\\\"{brackets}\" }}"),
            // IRIs may hold ( and [ but never { (IRIREF excludes it).
            format!("ASK {{ ?s ?p <http://example.org/{}> }}", "([".repeat(50)),
            format!("ASK {{ # {brackets}\n ?s ?p ?o }}"),
        ] {
            assert_eq!(scan(&hidden), None, "{hidden}");
        }
        // `<` as an operator is no IRI: the brackets after it count.
        assert!(scan(&format!("ASK {{ FILTER (?a < {}?b) }}", "(".repeat(100))).is_some());
        assert_eq!(scan(&format!("ASK {}{}", "{".repeat(MAX_NESTING), "}".repeat(MAX_NESTING))), None);
        assert_eq!(scan("ASK { \"unterminated"), None);
    }

    #[test]
    fn each_refusal_and_failure_has_its_kind() {
        let store = Store::new().unwrap_or_else(|e| panic!("{e}"));
        let fail = |text: &str, options: &QueryOptions| match run_query(
            &store,
            &Namespaces::default(),
            text,
            Vec::new(),
            options,
            "query",
        ) {
            Ok(_) => panic!("{text} was answered"),
            Err(e) => e,
        };
        let plain = QueryOptions::default();
        let syntax = fail("SELECT * WHERE {\n  ?s ?p }", &plain);
        assert_eq!(syntax.kind(), ErrorKind::Syntax, "{syntax}");
        let span = syntax.span().unwrap_or_else(|| panic!("{syntax} has no place"));
        assert_eq!(span.start.line, 2, "{syntax}");
        assert!(span.end > span.start, "{syntax}");
        assert!(
            syntax.to_string().starts_with(&format!("query:2:{}: SPARQL syntax error", span.start.column)),
            "{syntax}"
        );
        let deep = fail(&format!("ASK {}{}", "{".repeat(100), "}".repeat(100)), &plain);
        assert_eq!((deep.kind(), deep.span()), (ErrorKind::Syntax, Some(Span::at(1, 69))), "{deep}");
        for refused in [
            "INSERT DATA { <a:b> <a:b> <a:b> }",
            "clear all",
            "SELECT * WHERE { SERVICE SILENT <http://example.org/sparql> { ?s ?p ?o } }",
        ] {
            assert_eq!(fail(refused, &plain).kind(), ErrorKind::Refused, "{refused}");
        }
        let instant = QueryOptions { timeout: Some(Duration::ZERO), ..QueryOptions::default() };
        assert_eq!(fail("ASK {}", &instant).kind(), ErrorKind::Timeout);
        let flags = "@prefix sh: <http://www.w3.org/ns/shacl#> . <urn:s> a sh:NodeShape ; sh:flags \"i\" .";
        let unsupported = crate::Shapes::from_turtle(flags).err().map(|e| e.kind());
        assert_eq!(unsupported, Some(ErrorKind::Unsupported));
        let malformed = crate::Shapes::from_turtle("<urn:s> <urn:p>").err().map(|e| e.kind());
        assert_eq!(malformed, Some(ErrorKind::Syntax));
    }

    mod total_order {
        #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

        use super::*;

        /// Literals whose comparisons oxigraph's sort does not keep
        /// consistent: numbers are compared by value with numbers and by
        /// their text with strings (`10 < "5" < 9` yet `9 < 10`), dateTimes
        /// with and without a time zone are compared by their text when the
        /// instant is indeterminate, and NaN is equal to nothing.
        pub(super) fn mixed_values() -> String {
            let mut values = Vec::new();
            for i in 0..120u32 {
                values.push(format!("{}", (i * 37) % 120));
                values.push(format!("\"{}\"", (i * 53) % 120));
                values.push(format!("\"{}.5\"^^xsd:decimal", (i * 29) % 120));
                values.push(format!("\"{}e0\"^^xsd:double", (i * 31) % 120));
                values.push(format!(
                    "\"2000-01-01T{:02}:{:02}:00{}\"^^xsd:dateTime",
                    (i * 7) % 24,
                    i % 60,
                    ["", "Z", "+05:00", "-09:00"][(i % 4) as usize]
                ));
                values.push(format!("\"{}\"@{}", (i * 11) % 120, ["en", "zh"][(i % 2) as usize]));
            }
            values.push("\"NaN\"^^xsd:double".into());
            values.push("\"INF\"^^xsd:double".into());
            values.push("<http://ex.org/x>".into());
            values.push("\"P1M\"^^xsd:duration".into());
            values.push("\"P30D\"^^xsd:duration".into());
            values.push("\"abc\"^^xsd:integer".into());
            values.join(" ")
        }

        fn sorted(text: &str) -> Result<Vec<String>, RdfError> {
            let store = Store::new().unwrap();
            let results = run_query(&store, &Namespaces::default(), text, Vec::new(), &QueryOptions::default(), "q")?;
            let QueryResults::Solutions(rows) = results else { panic!("not solutions") };
            rows.map(|row| {
                row.map(|row| row.iter().map(|(_, t)| t.to_string()).collect::<Vec<_>>().join(" "))
                    .map_err(|e| RdfError::Query(e.to_string()))
            })
            .collect()
        }

        #[test]
        fn an_order_by_over_mixed_literals_is_answered_in_a_total_order() {
            let values = mixed_values();
            for order in ["?o", "DESC(?o)", "STR(?o) ?o", "?o ?o"] {
                let text = format!(
                    "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> SELECT ?o WHERE {{ VALUES ?o {{ {values} }} }} ORDER BY {order}"
                );
                let rows = sorted(&text).unwrap_or_else(|e| panic!("ORDER BY {order}: {e}"));
                assert_eq!(rows.len(), 726, "ORDER BY {order}");
            }
        }

        #[test]
        fn an_order_by_inside_exists_is_answered_in_a_total_order() {
            let values = mixed_values();
            for filter in ["FILTER EXISTS", "FILTER NOT EXISTS", "FILTER(true && EXISTS"] {
                let close = if filter.ends_with("EXISTS") && !filter.contains('(') { "" } else { ")" };
                let text = format!(
                    "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> SELECT ?x WHERE {{ VALUES ?x {{ 1 }}
                     {filter} {{ {{ SELECT ?o WHERE {{ VALUES ?o {{ {values} }} }} ORDER BY ?o LIMIT 1 }} }}{close} }}"
                );
                let rows = sorted(&text).unwrap_or_else(|e| panic!("{filter}: {e}"));
                assert_eq!(rows.len(), usize::from(!filter.contains("NOT")), "{filter}");
            }
        }

        #[test]
        fn dates_of_every_precision_sort_by_time_and_numbers_by_value() {
            let text = "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> SELECT ?o WHERE { VALUES ?o {
                \"2016-06-13\"^^xsd:date \"2014\"^^xsd:gYear \"2014-10\"^^xsd:gYearMonth \"2015\"^^xsd:gYear
                \"2014-10-01T00:00:00\"^^xsd:dateTime 10 \"5\" 9 2.5 } } ORDER BY ?o";
            let rows = sorted(text).unwrap();
            let xsd = |v: &str, t: &str| format!("\"{v}\"^^<http://www.w3.org/2001/XMLSchema#{t}>");
            assert_eq!(
                rows,
                [
                    xsd("2.5", "decimal"),
                    xsd("9", "integer"),
                    xsd("10", "integer"),
                    "\"5\"".to_owned(),
                    xsd("2014", "gYear"),
                    xsd("2014-10", "gYearMonth"),
                    xsd("2014-10-01T00:00:00", "dateTime"),
                    xsd("2015", "gYear"),
                    xsd("2016-06-13", "date"),
                ]
            );
        }
    }

    pub(crate) mod parameter_hints {
        #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

        use oxigraph::model::{GraphName, Quad};

        use super::*;

        /// The solutions of a query as lines, run through `run_query` with
        /// `options` (hints, substitution and, with a sort bound, counted
        /// sorts) or with the substitution alone. Sorted unless `ordered`.
        fn solutions(
            store: &Store,
            text: &str,
            bindings: &[(Variable, Term)],
            options: Option<&QueryOptions>,
        ) -> Vec<String> {
            let ordered = text.contains("ORDER BY");
            let results = if let Some(options) = options {
                run_query(store, &Namespaces::default(), text, bindings.to_vec(), options, "test").unwrap()
            } else {
                let mut prepared = SparqlEvaluator::new().parse_query(text).unwrap();
                for (var, term) in bindings {
                    prepared = prepared.substitute_variable(var.clone(), term.clone());
                }
                prepared.on_store(store).execute().unwrap()
            };
            let mut lines = match results {
                QueryResults::Solutions(rows) => rows
                    .map(|row| {
                        let row = row.unwrap();
                        row.iter().map(|(v, t)| format!("{v}={t}")).collect::<Vec<_>>().join(" ")
                    })
                    .collect::<Vec<_>>(),
                QueryResults::Boolean(b) => vec![b.to_string()],
                QueryResults::Graph(triples) => triples.map(|t| t.unwrap().to_string()).collect(),
            };
            if !ordered {
                lines.sort();
            }
            lines
        }

        /// A store of `facts` (subject, predicate, object under
        /// `http://ex.org/`; the objects of `label` and `code` are plain
        /// literals), each in the default graph and in graph `g`.
        pub(crate) fn store_with(facts: &[(&str, &str, &str)]) -> Store {
            let store = Store::new().unwrap();
            let n = |s: &str| NamedNode::new(format!("http://ex.org/{s}")).unwrap();
            for &(s, p, o) in facts {
                let object: Term =
                    if matches!(p, "label" | "code") { Literal::new_simple_literal(o).into() } else { n(o).into() };
                store.insert(&Quad::new(n(s), n(p), object.clone(), GraphName::DefaultGraph)).unwrap();
                store.insert(&Quad::new(n(s), n(p), object, n("g"))).unwrap();
            }
            store
        }

        fn store() -> Store {
            store_with(&[
                ("a", "memberOf", "x"),
                ("b", "memberOf", "x"),
                ("c", "memberOf", "y"),
                ("y", "partOf", "x"),
                ("a", "label", "A"),
                ("x", "label", "X"),
            ])
        }

        #[test]
        fn parameter_hints_and_counted_sorts_never_change_the_answers() {
            let store = store();
            let org = (Variable::new("org").unwrap(), Term::from(NamedNode::new("http://ex.org/x").unwrap()));
            let lang = (Variable::new("l").unwrap(), Term::from(Literal::new_simple_literal("A")));
            let cases: &[(&str, Vec<(Variable, Term)>)] = &[
                // A path and a statement, with OPTIONALs after the core match.
                (
                    "PREFIX ex: <http://ex.org/> SELECT ?org ?m ?label WHERE {
                       ?body ex:partOf* ?org . GRAPH ?g { ?m ex:memberOf ?body }
                       OPTIONAL { ?m ex:label ?label } }",
                    vec![org.clone()],
                ),
                // A sub-select with a variable of the same name that it does not
                // return: its ?org is its own, and counts every member.
                (
                    "PREFIX ex: <http://ex.org/> SELECT ?org ?m ?n WHERE {
                       ?m ex:memberOf ?org .
                       { SELECT (COUNT(?org) AS ?n) WHERE { ?x ex:memberOf ?org } } }",
                    vec![org.clone()],
                ),
                // A sub-select that returns the parameter, grouped outside.
                (
                    "PREFIX ex: <http://ex.org/> SELECT ?org (COUNT(?m) AS ?n) WHERE {
                       { SELECT DISTINCT ?org ?m WHERE { ?m ex:memberOf ?org } } } GROUP BY ?org",
                    vec![org.clone()],
                ),
                // A UNION branch that does not name the parameter, a filter that
                // reads it before any join, MINUS, and EXISTS.
                (
                    "PREFIX ex: <http://ex.org/> SELECT ?org ?l ?s WHERE {
                       { ?s ex:label ?x FILTER(STR(?x) = ?l) } UNION { ?s ex:memberOf ?y }
                       MINUS { ?s ex:memberOf ?org }
                       FILTER NOT EXISTS { ?s ex:partOf ?org } }",
                    vec![org.clone(), lang.clone()],
                ),
                (
                    "PREFIX ex: <http://ex.org/> ASK { ?l ^ex:label/ex:memberOf/ex:partOf* ?org }",
                    vec![org.clone(), lang],
                ),
                (
                    "PREFIX ex: <http://ex.org/> CONSTRUCT { ?m ex:in ?org } WHERE { ?m ex:memberOf/ex:partOf* ?org }",
                    vec![org.clone()],
                ),
                // A UNION whose branch walks a `*` path (left without the hint),
                // beside a branch that gets it, inside a sub-select, with a filter
                // on the parameter.
                (
                    "PREFIX ex: <http://ex.org/> SELECT ?org ?m WHERE { { SELECT DISTINCT ?org ?m WHERE {
                       { ?m ex:memberOf ?org } UNION { ?m ex:memberOf/ex:partOf* ?org }
                       FILTER(?m != ?org) } } }",
                    vec![org.clone()],
                ),
                // Sorts under the hint: at the top with a LIMIT, in a
                // sub-select, in a UNION branch that walks a path, and on the
                // right of MINUS.
                (
                    "PREFIX ex: <http://ex.org/> SELECT ?org ?m ?label WHERE {
                       ?m ex:memberOf ?org OPTIONAL { ?m ex:label ?label } } ORDER BY DESC(?m) LIMIT 5",
                    vec![org.clone()],
                ),
                (
                    "PREFIX ex: <http://ex.org/> SELECT ?org ?m WHERE {
                       { SELECT ?org ?m WHERE { ?m ex:memberOf/ex:partOf* ?org } ORDER BY ?m LIMIT 2 }
                       UNION { SELECT ?m WHERE { ?m ex:label ?x } ORDER BY ?x }
                       MINUS { SELECT ?m WHERE { ?m ex:memberOf ex:y } ORDER BY ?m } } ORDER BY ?org ?m",
                    vec![org],
                ),
            ];
            let bounded = QueryOptions { max_sort_rows: Some(1000), ..QueryOptions::default() };
            let mut cases = cases.to_vec();
            // A sorted sub-select inside EXISTS and NOT EXISTS, with the parameter.
            cases.push((
                "PREFIX ex: <http://ex.org/> SELECT ?org ?m WHERE { ?m ex:memberOf ?org
                   FILTER EXISTS { { SELECT ?m WHERE { ?m ex:label ?l } ORDER BY ?l LIMIT 1 } }
                   FILTER NOT EXISTS { { SELECT ?org WHERE { ?org ex:partOf ?p } ORDER BY ?p } } }",
                vec![(Variable::new("org").unwrap(), Term::from(NamedNode::new("http://ex.org/x").unwrap()))],
            ));
            for (text, bindings) in &cases {
                let expected = solutions(&store, text, bindings, None);
                assert!(!expected.is_empty(), "{text}");
                assert_eq!(solutions(&store, text, bindings, Some(&QueryOptions::default())), expected, "{text}");
                assert_eq!(solutions(&store, text, bindings, Some(&bounded)), expected, "{text}");
                assert_eq!(solutions(&store, text, &[], Some(&bounded)), solutions(&store, text, &[], None), "{text}");
            }
        }

        #[test]
        fn a_sort_inside_exists_counts_against_the_bound() {
            let store = store();
            let text = "SELECT ?x WHERE { VALUES ?x { 1 } FILTER EXISTS {
                { SELECT ?o WHERE { VALUES ?o { 1 2 3 4 5 6 7 8 9 10 } } ORDER BY ?o LIMIT 1 } } }";
            let bounded = QueryOptions { max_sort_rows: Some(3), ..QueryOptions::default() };
            let outcome = run_query(&store, &Namespaces::default(), text, Vec::new(), &bounded, "test").and_then(|r| {
                let QueryResults::Solutions(rows) = r else { panic!("not solutions") };
                rows.map(|row| row.map(|_| ()).map_err(|e| query_error(e, &bounded))).collect::<Result<Vec<()>, _>>()
            });
            assert!(matches!(outcome, Err(RdfError::SortTooLarge(3))), "{outcome:?}");
        }
    }
}
