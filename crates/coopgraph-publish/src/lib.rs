//! Publishing a dataset into an external triplestore (Virtuoso, Fuseki,
//! GraphDB, a managed store), named graph by named graph, then checking it
//! by counting every graph's triples back through the store's SPARQL
//! endpoint.
//!
//! Two ways in, chosen by [`WriteMethod`]:
//!
//! - the SPARQL 1.1 Graph Store HTTP Protocol: the first batch of a graph is
//!   a `PUT` (which replaces the graph), later batches are `POST`s (which
//!   add to it), each an N-Triples body sent to `GRAPH_STORE?graph=IRI`
//!   (`?graph-uri=IRI` for Virtuoso, see [`GraphParam`]);
//! - SPARQL 1.1 Update, for stores without a writable Graph Store endpoint:
//!   `DROP SILENT GRAPH <g>` then `INSERT DATA { GRAPH <g> { ... } }` per
//!   batch.
//!
//! Requests that fail in a way another try may mend (connection refused or
//! reset, timeouts, 5xx, 429) are tried again with growing waits
//! ([`RetryPolicy`]); a 401 is answered with the credentials given (digest
//! or basic, as the server asks); everything else stops the run with an
//! error naming the request and quoting the server.
//!
//! ```no_run
//! use coopgraph_publish::{Publisher, Target, WriteMethod, GraphParam, Url, named_graphs};
//! # fn quads() -> Vec<coopgraph_rdf::oxigraph::model::Quad> { Vec::new() }
//! let target = Target {
//!     endpoint: Url::parse("--endpoint", "http://localhost:8890/sparql")?,
//!     graph_store: Url::parse("--graph-store", "http://localhost:8890/sparql-graph-crud-auth")?,
//!     update: Url::parse("--endpoint", "http://localhost:8890/sparql")?,
//!     method: WriteMethod::GraphStore,
//!     graph_param: GraphParam::Auto,
//! };
//! let (graphs, _default_graph) = named_graphs(quads());
//! let mut publisher = Publisher::new(target, Default::default());
//! let report = publisher.publish(&graphs, &mut |_event| {})?;
//! assert!(report.matches());
//! # Ok::<(), coopgraph_publish::PublishError>(())
//! ```
#![deny(missing_docs)]

pub mod batch;
pub mod http;
pub mod url;

use std::time::Duration;

pub use batch::{NamedGraph, named_graphs};
pub use http::{Credentials, RetryNotice, RetryPolicy};
pub use url::{GraphParam, Url};

use coopgraph_rdf::oxigraph::model::NamedNode;

use crate::http::{Client, Method, Request};

/// Why publishing failed.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// A URL option is not a usable URL.
    #[error("{what} {url:?} is not a usable URL: {reason}")]
    BadUrl {
        /// Which option or setting.
        what: String,
        /// The URL given.
        url: String,
        /// What is wrong, and what was expected.
        reason: String,
    },
    /// The server wants credentials that were not given, or refused those given.
    #[error("{}", unauthorized_message(.url, .user.as_deref()))]
    Unauthorized {
        /// The URL that answered 401.
        url: String,
        /// The user whose credentials were refused, if any were sent.
        user: Option<String>,
    },
    /// The server's authentication challenge cannot be answered.
    #[error("cannot authenticate to {url}: {message}")]
    Auth {
        /// The URL that asked.
        url: String,
        /// Why.
        message: String,
    },
    /// The server refused a request (a 4xx other than 401 and 429).
    #[error("{request} was refused with HTTP {status}{}{}{}", if .message.is_empty() { "" } else { ": " }, .message, refusal_hint(*.status))]
    Refused {
        /// `METHOD URL`.
        request: String,
        /// The status code.
        status: u16,
        /// The start of the server's answer.
        message: String,
    },
    /// A request failed in a way another try would not mend (bad TLS, ...).
    #[error("{request} failed: {message}")]
    Transport {
        /// `METHOD URL`.
        request: String,
        /// What went wrong.
        message: String,
    },
    /// Every try of a request failed.
    #[error("{request} failed {attempts} time{}; last: {last}", if *.attempts == 1 { "" } else { "s" })]
    GaveUp {
        /// `METHOD URL`.
        request: String,
        /// How many tries.
        attempts: u32,
        /// What the last try gave.
        last: String,
    },
    /// The SPARQL endpoint's answer to a count is not the expected JSON.
    #[error("cannot read the count of graph <{graph}> from {url}: {message}")]
    BadCount {
        /// The SPARQL endpoint.
        url: String,
        /// The graph counted.
        graph: String,
        /// What was wrong, and what was expected.
        message: String,
    },
}

fn refusal_hint(status: u16) -> &'static str {
    match status {
        403 => {
            " (this account, or anonymous access, may not write there; Virtuoso takes writes on \
             /sparql-graph-crud-auth and /sparql-auth with --user and --password-file)"
        }
        404 => " (check the URL: expected the store's Graph Store, SPARQL Update or query endpoint)",
        _ => "",
    }
}

fn unauthorized_message(url: &str, user: Option<&str>) -> String {
    match user {
        None => format!("{url} asks for credentials (HTTP 401): pass --user NAME and --password-file FILE"),
        Some(u) => format!(
            "{url} refused the credentials of user {u:?} (HTTP 401): check --user and the password in --password-file"
        ),
    }
}

/// How triples are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteMethod {
    /// SPARQL 1.1 Graph Store HTTP Protocol: PUT, then POST.
    GraphStore,
    /// SPARQL 1.1 Update: DROP SILENT GRAPH, then INSERT DATA.
    Update,
}

/// Where to publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The SPARQL query endpoint, used to count the triples back.
    pub endpoint: Url,
    /// The Graph Store endpoint (for [`WriteMethod::GraphStore`]).
    pub graph_store: Url,
    /// The SPARQL Update endpoint (for [`WriteMethod::Update`]).
    pub update: Url,
    /// How to write.
    pub method: WriteMethod,
    /// How the Graph Store endpoint names the graph.
    pub graph_param: GraphParam,
}

/// How to talk to the target.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Credentials, sent when the server asks (digest or basic).
    pub credentials: Option<Credentials>,
    /// Triples per request at most (blank-node triples excepted, see
    /// [`batch::batches`]).
    pub batch_size: usize,
    /// Tries and waits.
    pub retry: RetryPolicy,
    /// Time limit of each request.
    pub timeout: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Self { credentials: None, batch_size: 2000, retry: RetryPolicy::default(), timeout: Duration::from_secs(60) }
    }
}

/// What is happening, for progress displays.
#[derive(Debug)]
pub enum Event<'a> {
    /// A batch is about to be sent.
    Batch {
        /// The graph.
        graph: &'a NamedNode,
        /// The graph's position (1-based) among `graphs`.
        graph_number: usize,
        /// Graphs in all.
        graphs: usize,
        /// The batch's position (1-based) in the graph.
        batch: usize,
        /// Batches of this graph.
        batches: usize,
    },
    /// A try failed and will be repeated.
    Retry(&'a RetryNotice),
    /// A graph's triples are being counted back.
    Counting {
        /// The graph.
        graph: &'a NamedNode,
    },
}

/// One graph's line in the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphCount {
    /// The graph's IRI.
    pub graph: String,
    /// Triples sent.
    pub local: u64,
    /// Triples the store counts in the graph afterwards.
    pub remote: u64,
    /// Requests that wrote the graph.
    pub requests: usize,
}

/// What a run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// One line per graph, in the order published.
    pub graphs: Vec<GraphCount>,
    /// Requests answered (writes and counts).
    pub requests: usize,
    /// Tries repeated after failures.
    pub retries: usize,
}

impl Report {
    /// True when every graph holds as many triples in the store as were sent.
    pub fn matches(&self) -> bool {
        self.graphs.iter().all(|g| g.local == g.remote)
    }

    /// Triples sent in all.
    pub fn local_total(&self) -> u64 {
        self.graphs.iter().map(|g| g.local).sum()
    }

    /// Triples counted back in all.
    pub fn remote_total(&self) -> u64 {
        self.graphs.iter().map(|g| g.remote).sum()
    }
}

/// Media type of SPARQL JSON results.
const SPARQL_JSON: &str = "application/sparql-results+json";

/// The count query of one graph.
pub fn count_query(graph: &NamedNode) -> String {
    format!("SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
}

/// Reads `?n` from the SPARQL JSON results of [`count_query`].
pub fn parse_count(json: &str) -> Result<u64, String> {
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| format!("expected SPARQL JSON results, got unparsable JSON ({e})"))?;
    let bindings = value
        .pointer("/results/bindings")
        .and_then(serde_json::Value::as_array)
        .ok_or("expected SPARQL JSON results with results.bindings")?;
    let [row] = bindings.as_slice() else {
        return Err(format!("expected exactly one result row, got {}", bindings.len()));
    };
    let n =
        row.pointer("/n/value").and_then(serde_json::Value::as_str).ok_or("expected a binding of ?n with a value")?;
    n.trim().parse::<u64>().map_err(|_| format!("expected a whole number for ?n, got {n:?}"))
}

/// Publishes graphs to one target and counts them back.
#[derive(Debug)]
pub struct Publisher {
    target: Target,
    settings: Settings,
    client: Client,
}

impl Publisher {
    /// A publisher for `target`.
    pub fn new(target: Target, settings: Settings) -> Self {
        let client = Client::new(settings.credentials.clone(), settings.retry, settings.timeout);
        Self { target, settings, client }
    }

    /// Writes one graph, replacing what the store held under its name;
    /// gives the number of requests.
    pub fn write_graph(
        &mut self,
        graph: &NamedGraph,
        position: (usize, usize),
        on_event: &mut dyn FnMut(Event<'_>),
    ) -> Result<usize, PublishError> {
        let batches = batch::batches(&graph.triples, self.settings.batch_size);
        let total = batches.len().max(1);
        // An empty graph still replaces what the store held under its name.
        let batches = if batches.is_empty() { vec![Vec::new()] } else { batches };
        let gsp_url = {
            let name = self.target.graph_param.name_for(&self.target.graph_store);
            self.target.graph_store.with_param(name, graph.name.as_str())
        };
        for (i, triples) in batches.iter().enumerate() {
            on_event(Event::Batch {
                graph: &graph.name,
                graph_number: position.0,
                graphs: position.1,
                batch: i + 1,
                batches: total,
            });
            let first = i == 0;
            let (method, url, content_type, body) = match self.target.method {
                WriteMethod::GraphStore => (
                    if first { Method::Put } else { Method::Post },
                    &gsp_url,
                    "application/n-triples",
                    batch::ntriples(triples),
                ),
                WriteMethod::Update => (
                    Method::Post,
                    &self.target.update,
                    "application/sparql-update",
                    batch::sparql_insert(&graph.name, triples, first),
                ),
            };
            let req = Request { method, url, content_type, accept: None, body: body.as_bytes() };
            self.client.send(&req, &mut |notice| on_event(Event::Retry(notice)))?;
        }
        Ok(total)
    }

    /// How many triples the store holds in `graph`, asked of the SPARQL endpoint.
    pub fn count(&mut self, graph: &NamedNode, on_event: &mut dyn FnMut(Event<'_>)) -> Result<u64, PublishError> {
        on_event(Event::Counting { graph });
        let body = format!("query={}", url::percent_encode(&count_query(graph)));
        let req = Request {
            method: Method::Post,
            url: &self.target.endpoint,
            content_type: "application/x-www-form-urlencoded",
            accept: Some(SPARQL_JSON),
            body: body.as_bytes(),
        };
        let answer = self.client.send(&req, &mut |notice| on_event(Event::Retry(notice)))?;
        parse_count(&answer.body).map_err(|message| PublishError::BadCount {
            url: self.target.endpoint.to_string(),
            graph: graph.as_str().to_owned(),
            message,
        })
    }

    /// Writes every graph, then counts each one back.
    pub fn publish(
        &mut self,
        graphs: &[NamedGraph],
        on_event: &mut dyn FnMut(Event<'_>),
    ) -> Result<Report, PublishError> {
        let mut lines = Vec::with_capacity(graphs.len());
        for (i, graph) in graphs.iter().enumerate() {
            let requests = self.write_graph(graph, (i + 1, graphs.len()), on_event)?;
            lines.push(GraphCount {
                graph: graph.name.as_str().to_owned(),
                local: graph.triples.len() as u64,
                remote: 0,
                requests,
            });
        }
        for (graph, line) in graphs.iter().zip(&mut lines) {
            line.remote = self.count(&graph.name, on_event)?;
        }
        Ok(Report { graphs: lines, requests: self.client.requests(), retries: self.client.retries() })
    }
}

#[cfg(test)]
mod tests;
