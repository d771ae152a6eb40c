//! The command-line interface: every subcommand, option and help text.

use std::path::PathBuf;

use clap::builder::TypedValueParser as _;
use clap::{Parser, Subcommand, ValueEnum};
use coopgraph_rdf::query::ResultFormat;
use coopgraph_views::Lang;

const AFTER_HELP: &str = "\
Examples:
  coopgraph build                      check data/, load the store .coopgraph/store, write out/
  coopgraph validate                   check the data files, list every error
  coopgraph stats                      counts per kind and relation type, centrality
  coopgraph path china interpol        the shortest chain of relations between two entities
  coopgraph export --format turtle     the RDF on stdout (or -o FILE)
  coopgraph dot --focus sky_net --depth 2 --hide china --format svg -o sky-net.svg
  coopgraph query list                 the bundled SPARQL queries
  coopgraph query run members-of-organization --param org=sco
  coopgraph sparql 'SELECT * WHERE { ?s coop:memberOf cg:interpol }'
  coopgraph serve                      publish the store: SPARQL, pages, dumps at http://127.0.0.1:7878/
  coopgraph --data my-data validate    use another data folder
  coopgraph publish --endpoint URL --graph-store URL --user NAME --password-file FILE

Exit codes: 0 success; 1 data errors (or no result, e.g. no path); 2 usage errors.
Data format: see data/README.md. Colours only on a terminal; NO_COLOR turns them off.";

/// Builds a knowledge graph of international law-enforcement, judicial and
/// security cooperation from curated, cited data files.
#[derive(Debug, Parser)]
#[command(name = "coopgraph", version, about, long_about = None, after_help = AFTER_HELP)]
pub struct Cli {
    /// Folder of data files (*.toml, entities.csv, relations.csv).
    #[arg(long, global = true, default_value = "data", value_name = "DIR")]
    pub data: PathBuf,

    /// When to use colours.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Print nothing but errors and requested output.
    #[arg(long, short, global = true)]
    pub quiet: bool,

    /// Keep at most this many errors in a report (the rest are counted).
    #[arg(long, global = true, default_value_t = 100, value_name = "N", value_parser = at_least(1))]
    pub max_errors: usize,

    /// Base IRI of entities and data (entity IRIs are BASE + id).
    #[arg(long, global = true, default_value = coopgraph_rdf::namespaces::DEFAULT_BASE, value_name = "IRI")]
    pub base: String,

    /// Namespace of the ontology's terms (the coop: prefix).
    #[arg(long, global = true, default_value = coopgraph_rdf::namespaces::DEFAULT_VOCAB, value_name = "IRI")]
    pub vocab: String,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// When to use colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal only (and not when NO_COLOR is set).
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build everything: check the data, assemble the graph, write the outputs.
    ///
    /// Outputs are written to a temporary folder next to the output folder and
    /// swapped in only when everything succeeded, so a failed build leaves the
    /// previous outputs untouched.
    #[command(after_help = "Example:\n  coopgraph build --out out")]
    Build(BuildArgs),

    /// Check the data files, then the RDF they map to against the SHACL shapes.
    ///
    /// Data errors come first, each as FILE:LINE:COL: MESSAGE. When the data
    /// loads, its RDF is validated in-process against ontology/shapes.ttl
    /// (built in; --shapes to use another file), and each violation is
    /// reported at the data record it came from, with focus node, path and
    /// message. --rdf validates an RDF file instead of the data folder.
    #[command(after_help = "\
Examples:
  coopgraph validate
  coopgraph --data tests/fixtures/broken validate --max-errors 10
  coopgraph validate --rdf tests/fixtures/shacl/invalid-missing-label.ttl

Each error reads FILE:LINE:COL: MESSAGE, for example
  data/relations.toml:12:11: unknown entity \"chna\" (did you mean \"china\"?)")]
    Validate(ValidateArgs),

    /// Print counts per kind and relation type, and the shape of the graph.
    #[command(after_help = "\
Examples:
  coopgraph stats
  coopgraph stats --top 10 --lang zh
  coopgraph stats --json | jq .relations")]
    Stats(StatsArgs),

    /// Print the shortest chain of relations between two entities.
    ///
    /// Relations are followed in either direction; each step shows the
    /// relation type, its direction and the sources that state it.
    #[command(after_help = "\
Examples:
  coopgraph path china interpol
  coopgraph path sky_net united_states --lang zh")]
    Path(PathArgs),

    /// Write the dataset as RDF in one serialization.
    ///
    /// Turtle, N-Triples and RDF/XML hold the union of the graphs; N-Quads,
    /// TriG and JSON-LD keep the named graph of each source document.
    #[command(after_help = "\
Examples:
  coopgraph export --format turtle | less
  coopgraph export --format jsonld -o coopgraph.jsonld
  coopgraph export --format nquads --base https://example.org/kg/")]
    Export(ExportArgs),

    /// Draw the graph, or a selection of it, with Graphviz (DOT, SVG, PNG, PDF).
    ///
    /// Kinds are shapes and colours, relation types edge colours (see the
    /// legend); operations of a campaign are boxed with it; non-binding
    /// instruments are dashed. Filters combine: --focus/--depth, --kinds,
    /// --relations, --source, --since/--until, --query, --hide and
    /// --max-degree (hubs left out, and not passed through by --focus); an
    /// empty selection is an error (exit 1). SVG, PNG and PDF need
    /// Graphviz `dot` (sudo apt-get install graphviz fonts-noto-cjk).
    #[command(after_help = "\
Examples:
  coopgraph dot > coopgraph.dot
  coopgraph dot --focus sky_net --depth 2 --hide china --format svg -o sky-net.svg
  coopgraph dot --max-degree 40 --format svg -o without-hubs.svg
  coopgraph dot --relations member_of --cluster-members --format png -o members.png
  coopgraph dot --kinds country,operation --since 2015 --until 2016 --lang zh
  coopgraph dot --query entity-neighbourhood --memory --edge-labels")]
    Dot(DotArgs),

    /// List or run the bundled SPARQL queries (queries/*.rq).
    #[command(
        subcommand,
        after_help = "\
Examples:
  coopgraph query list
  coopgraph query run members-of-organization --param org=sco
  coopgraph query run conflicting-figures --format csv
  coopgraph query run entity-neighbourhood -p entity=interpol --format turtle
  coopgraph query run my-query.rq --memory"
    )]
    Query(QueryCommand),

    /// Run a SPARQL query given on the command line, or @FILE.
    ///
    /// The default graph is the union of all named graphs; coop:, cg: and the
    /// usual prefixes (rdf, rdfs, owl, xsd, skos, dcterms, prov, wd, schema)
    /// are predeclared.
    #[command(after_help = "\
Examples:
  coopgraph sparql 'SELECT ?m WHERE { ?m coop:memberOf cg:interpol } ORDER BY ?m'
  coopgraph sparql @my-query.rq --format csv
  coopgraph sparql 'ASK { cg:china coop:memberOf cg:sco }'")]
    Sparql(SparqlArgs),

    /// Stream a large entities.csv + relations.csv folder to RDF and/or the store.
    ///
    /// Rows are checked as they stream (ids, types, labels, Wikidata ids,
    /// source cells, dangling references, kinds the relation type does not
    /// allow) and only the id table is kept in memory. By default writes the
    /// full mapping: entities in the reference graph, each relation in the
    /// named graph of its source document with its statement node and
    /// citation (N-Quads; an N-Triples file gets every triple without its
    /// graph). --no-provenance writes only entity types, labels, Wikidata
    /// links and direct relation triples (with --base/--vocab set to a
    /// benchmark's namespaces, its canonical mapping). The file and the
    /// store are replaced only when the whole import succeeded.
    #[command(after_help = "\
Examples:
  coopgraph import big-tables/ -o big.nq
  coopgraph import big-tables/ --store .coopgraph/store
  coopgraph --base https://example.org/kg/ --vocab https://example.org/kg/ontology# import bench-data --no-provenance -o out.nt")]
    Import(ImportArgs),

    /// Publish the store as linked data over HTTP (read-only).
    ///
    /// Serves, on one port: the SPARQL 1.1 Protocol at /sparql (GET and
    /// POST; results by Accept: SPARQL JSON/XML, CSV, TSV; Turtle,
    /// N-Triples, JSON-LD, RDF/XML; HTML for browsers), every IRI under
    /// --base dereferenceable at the same path under --base-url (303 See
    /// Other to /page/ID for browsers or /data/ID.ttl|.jsonld|.nt|.rdf for
    /// programs), HTML pages for entities and source documents, search by
    /// English or Chinese label, the ontology at /ontology, a VoID and DCAT
    /// description at /.well-known/void, dumps under /dumps/, and the W3C
    /// Reconciliation Service API for OpenRefine at /reconcile.
    ///
    /// Updates and SERVICE are refused (403); each query has a time limit
    /// (--timeout, 503 when it strikes) and a result-size limit; bodies are
    /// limited (413). One log line per request on stderr; SIGTERM or Ctrl-C
    /// stops after the requests under way.
    ///
    /// Under a crowd: a query waits for one of --max-concurrent slots, and
    /// any other request that reads the store for one of
    /// --max-concurrent-reads, at most --queue-timeout seconds, then gets 503
    /// with Retry-After; slow and idle connections are cut; past
    /// --max-connections a new connection gets 503 and is closed. A budget
    /// per client (429 with Retry-After) is off unless --client-requests or
    /// --client-seconds is given.
    #[command(after_help = "\
Examples:
  coopgraph build && coopgraph serve
  coopgraph serve --bind 0.0.0.0:8080 --base-url https://coopgraph.example.org/
  coopgraph serve --memory --timeout 30
  coopgraph serve --memory --drafts drafts/     # and each draft of drafts/ at /drafts/ID
  # a public endpoint: 120 requests and 30 s of store work per client a minute
  coopgraph serve --client-requests 120 --client-seconds 30
  # a small machine: 2 queries and 4 page reads at once, stop queries past 1 GiB of heap
  coopgraph serve --max-concurrent 2 --max-concurrent-reads 4 --max-memory-mib 1024
  curl -H 'Accept: text/turtle' -L http://127.0.0.1:7878/china
  curl http://127.0.0.1:7878/sparql --data-urlencode 'query=SELECT * WHERE { ?s coop:memberOf cg:interpol }'
  curl -o coopgraph.nq.gz http://127.0.0.1:7878/dumps/coopgraph.nq.gz

To make the published IRIs (https://w3id.org/coopgraph/ID by default)
resolve to this server, point their redirect at --base-url, or build and
serve with --base set to the server's URL.")]
    Serve(ServeArgs),

    /// Push the named graphs into an external triplestore, then count them back.
    ///
    /// Publishes every named graph (one per source document, plus the
    /// reference graph) of the data folder's RDF, or of a built store with
    /// --store, never the union default graph. Each graph is sent in batches
    /// with the SPARQL 1.1 Graph Store HTTP Protocol: PUT for the first
    /// batch (it replaces the graph), POST for the others; --method update
    /// sends SPARQL Update instead (DROP SILENT GRAPH, then INSERT DATA).
    /// Connection errors, timeouts, 5xx and 429 answers are tried again
    /// with growing waits (--retries). Credentials (--user, --password-file)
    /// answer the server's digest or basic challenge. Afterwards each
    /// graph's triples are counted through the SPARQL --endpoint and
    /// compared with those sent; a difference exits with code 1.
    #[command(after_help = "\
Examples:
  # Virtuoso (writes need the authenticated Graph Store endpoint, digest auth):
  coopgraph publish --endpoint http://localhost:8890/sparql \\
    --graph-store http://localhost:8890/sparql-graph-crud-auth --user dba --password-file dba.pass
  # Fuseki (dataset ds), GraphDB (repository kg):
  coopgraph publish --endpoint http://localhost:3030/ds/sparql \\
    --graph-store http://localhost:3030/ds/data
  coopgraph publish --endpoint http://localhost:7200/repositories/kg \\
    --graph-store http://localhost:7200/repositories/kg/rdf-graphs/service
  # A store that only takes SPARQL Update:
  coopgraph publish --endpoint https://store.example/sparql --method update \\
    --update-endpoint https://store.example/update --user me --password-file secret.txt
  # The graphs of a built store rather than of the data folder:
  coopgraph publish --store .coopgraph/store --endpoint http://localhost:3030/ds/sparql \\
    --graph-store http://localhost:3030/ds/data

The graph goes in the query string as ?graph=IRI (the standard), or as
?graph-uri=IRI for Virtuoso's /sparql-graph-crud endpoints (--graph-param).
The password is the first line of --password-file; it is never taken on the
command line. Stores like Virtuoso and Fuseki (with unionDefaultGraph)
answer default-graph queries over all graphs, as coopgraph's store does;
Virtuoso matches a triple once per graph holding it, so count DISTINCT there.")]
    Publish(PublishArgs),

    /// Propose candidate facts from a new document, each with its evidence.
    ///
    /// Reads a text file (paragraph N is the N-th non-blank line) and
    /// proposes, from the data folder's entities, measures and relation
    /// types: a [[source]] record (paragraphs, languages, defects, injected
    /// tokens), mentions of known entities, new entity candidates, figures,
    /// dates and relations. Each candidate carries its paragraph, language,
    /// character span, text, trigger words, score and reason, and a status:
    /// pending (new), known (already in the data with this citation), or
    /// rejected/accepted (decided in the --draft given). Nothing is written
    /// into the data folder: review the draft with `coopgraph review`.
    #[command(after_help = "\
Examples:
  coopgraph extract report.txt --source 005 --date 2016-11-11
  coopgraph extract report.txt --source 005 --json | jq 'select(.kind == \"relation\")'
  coopgraph extract report.txt --source 005 -o drafts/005.toml
  coopgraph extract report.txt --source 005 --draft drafts/005.toml --json   # decided ones come back so
  coopgraph extract --evaluate --documents ~/sources     # leave-one-document-out scores against data/

Without --json or -o, prints one line per candidate:
  NUMBER KIND STATUS SCORE CITATION [START,END) \"TEXT\" WHAT")]
    Extract(ExtractArgs),

    /// Take a curator through the candidates of a draft; write the accepted ones into the data folder.
    ///
    /// Interactive on a terminal (or any standard input): each pending
    /// candidate is shown with its paragraph, the evidence span marked
    /// »like this«, what it proposes and its alternatives, with progress.
    /// Keys: a accept; e FIELD=VALUE ... edit then accept (id, category,
    /// label.en, role, date, measure, value, unit ...); r reject; s skip;
    /// b back; q quit. Every decision is saved in the draft at once
    /// (through a temporary file renamed over it), so an interrupted review
    /// loses nothing; each accepted record is validated and written into
    /// the data file of its kind (the [[source]] record first), keeping the
    /// file's comments and layout, or its citation merged into the same
    /// fact's sources. The batch flags decide without asking.
    #[command(after_help = "\
Examples:
  coopgraph review drafts/005.toml
  coopgraph review drafts/005.toml --accept 1,4,7 --reject 5
  coopgraph review drafts/005.toml --accept-above 0.9
  coopgraph --data my-data review drafts/005.toml --accept all")]
    Review(ReviewArgs),
}

/// Options of `extract`.
#[derive(Debug, clap::Args)]
pub struct ExtractArgs {
    /// The document: a UTF-8 text file, one paragraph per line.
    #[arg(value_name = "FILE", required_unless_present = "evaluate")]
    pub file: Option<PathBuf>,

    /// The id the document gets as a source (the next free one, e.g. 005).
    #[arg(long, value_name = "ID", required_unless_present = "evaluate")]
    pub source: Option<String>,

    /// The document's date, for relative dates (last year, 去年).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,

    /// Print JSON Lines, one object per candidate.
    #[arg(long)]
    pub json: bool,

    /// Read an injected token as an entity (TOKEN=ID; repeatable): each
    /// place it stands becomes a mention of that entity.
    #[arg(long, value_name = "TOKEN=ID", value_parser = parse_reading)]
    pub read_as: Vec<(String, String)>,

    /// Write a draft (the candidates as data records) to this file.
    #[arg(long, short = 'o', value_name = "DRAFT.toml")]
    pub output: Option<PathBuf>,

    /// A draft already reviewed: its decided candidates come back with their status.
    #[arg(long, value_name = "DRAFT.toml")]
    pub draft: Option<PathBuf>,

    /// Score extraction on the data's own source documents, leave-one-document-out.
    #[arg(long, requires = "documents")]
    pub evaluate: bool,

    /// With --evaluate: the folder holding the source documents (their `file` names).
    #[arg(long, value_name = "DIR")]
    pub documents: Option<PathBuf>,
}

fn parse_reading(text: &str) -> Result<(String, String), String> {
    match text.rsplit_once('=') {
        Some((token, id)) if !token.is_empty() && !id.is_empty() => Ok((token.to_owned(), id.to_owned())),
        _ => Err(format!("expected TOKEN=ID, such as 好运彩票app=china, not {text:?}")),
    }
}

/// Options of `review`.
#[derive(Debug, clap::Args)]
pub struct ReviewArgs {
    /// The draft written by `coopgraph extract -o`.
    #[arg(value_name = "DRAFT.toml")]
    pub draft: PathBuf,

    /// Accept these candidates (numbers, comma-separated, or `all`) without asking.
    #[arg(long, value_name = "N,...", value_delimiter = ',')]
    pub accept: Vec<String>,

    /// Reject these candidates without asking.
    #[arg(long, value_name = "N,...", value_delimiter = ',')]
    pub reject: Vec<String>,

    /// Accept every pending candidate scoring at least this, without asking.
    #[arg(long, value_name = "SCORE")]
    pub accept_above: Option<f64>,
}

/// Options of `serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address and port to listen on (port 0 picks a free one).
    #[arg(long, default_value = "127.0.0.1:7878", value_name = "ADDR:PORT")]
    pub bind: std::net::SocketAddr,

    /// The URL clients reach the server at, for links, VoID and dump URLs
    /// (default: http://ADDR:PORT/ of --bind).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,

    /// Largest request body, in bytes.
    #[arg(long, default_value_t = 1024 * 1024, value_name = "BYTES", value_parser = at_least(1))]
    pub max_body: usize,

    /// Largest query result, in MiB.
    #[arg(long, default_value_t = 64, value_name = "MIB", value_parser = at_least(1))]
    pub max_result_mib: usize,

    /// Queries running at once (/sparql and /queries/NAME share these
    /// slots). More wait their turn, up to --queue-timeout.
    #[arg(long, default_value_t = 8, value_name = "N", value_parser = at_least(1))]
    pub max_concurrent: usize,

    /// Other requests reading the store at once: pages, search, data
    /// documents, dumps and VoID, in a pool of their own, so that slow
    /// queries never hold a page up. A page or search answer rendered
    /// before for the same build of the store takes no slot.
    #[arg(long, default_value_t = 8, value_name = "N", value_parser = at_least(1))]
    pub max_concurrent_reads: usize,

    /// How long a request waits for a slot before it is answered 503
    /// Service Unavailable with Retry-After (an overload is refused, never
    /// met with more threads).
    #[arg(long, default_value_t = 5, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
    pub queue_timeout: u64,

    /// Requests one client (one IP address) may make a minute; past it,
    /// 429 Too Many Requests with Retry-After. Default 0: no limit (a
    /// benchmark or a proxy in front is one client).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub client_requests: u32,

    /// Seconds of store work one client may take a minute (the time its
    /// requests held a slot, not their wait in the queue), as the Wikidata
    /// Query Service counts query time; past it, 429 with Retry-After.
    /// Default 0: no limit.
    #[arg(long, default_value_t = 0, value_name = "SECONDS")]
    pub client_seconds: u32,

    /// Ceiling, in MiB, on the server's heap (anonymous resident memory,
    /// read ten times a second). While over it, every query under way is
    /// stopped and new queries are refused, all with 503 and Retry-After;
    /// pages keep being served. A ceiling on the process, not a budget per
    /// query. 0: no ceiling.
    #[arg(long, default_value_t = 4096, value_name = "MIB")]
    pub max_memory_mib: u64,

    /// Connections open at once; one more is answered 503 and closed.
    #[arg(long, default_value_t = 1024, value_name = "N", value_parser = at_least(1))]
    pub max_connections: usize,

    /// Seconds a client has to send a request's headers; a slower
    /// connection is closed.
    #[arg(long, default_value_t = 10, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
    pub header_timeout: u64,

    /// Seconds a client has to send a request's body once its headers came;
    /// past it, 408 Request Timeout and the connection is closed. The body
    /// is read before the request waits for a slot.
    #[arg(long, default_value_t = 30, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
    pub body_timeout: u64,

    /// Rows one query may collect for its sorts (ORDER BY, sub-selects
    /// included); one more stops it with 413. Oxigraph sorts in memory in a
    /// step the time limit cannot stop: this bounds that step (at 50,000 a
    /// cross join sorted on the curated store took 2.8 s of CPU and 55 MiB
    /// after its 413). 0: no bound.
    #[arg(long, default_value_t = coopgraph_rdf::query::DEFAULT_MAX_SORT_ROWS, value_name = "ROWS")]
    pub max_sort_rows: usize,

    /// Seconds a connection may stay open between requests (and waiting for
    /// the next request's headers counts as --header-timeout too).
    #[arg(long, default_value_t = 30, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
    pub idle_timeout: u64,

    /// Folder of the bundled queries, served at /queries and shown as
    /// examples on the home page [default: ./queries when there is one,
    /// else the queries built into coopgraph].
    #[arg(long, value_name = "DIR")]
    pub queries: Option<PathBuf>,

    /// How often to look for a new build of the store: when `build` or
    /// `import` swaps one in at --store, the server answers from it.
    #[arg(long, default_value_t = 2, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
    pub reload_interval: u64,

    /// A folder of drafts (`coopgraph extract -o`) to show read-only at
    /// /drafts/ID, each document's paragraphs with its candidates in place.
    #[arg(long, value_name = "DIR")]
    pub drafts: Option<PathBuf>,

    /// The store to serve.
    #[command(flatten)]
    pub store: StoreArgs,
}

/// Where queries read from.
#[derive(Debug, clap::Args)]
pub struct StoreArgs {
    /// The on-disk store built by `coopgraph build`.
    #[arg(long, default_value = coopgraph_rdf::store::DEFAULT_STORE_PATH, value_name = "PATH")]
    pub store: PathBuf,

    /// Build an in-memory store from the data folder instead of opening the on-disk one.
    #[arg(long)]
    pub memory: bool,

    /// Stop a query after this many seconds.
    #[arg(long, default_value_t = 10, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: u64,
}

/// `--format` of `query run` and `sparql`: the names of the runner's
/// result formats ([`ResultFormat`]), with their descriptions.
fn result_format() -> impl clap::builder::TypedValueParser<Value = ResultFormat> {
    let names = ResultFormat::ALL.map(|f| clap::builder::PossibleValue::new(f.name()).help(f.description()));
    clap::builder::PossibleValuesParser::new(names)
        .try_map(|name: String| ResultFormat::from_name(&name).ok_or("not a result format"))
}

/// `query` subcommands.
#[derive(Debug, Subcommand)]
pub enum QueryCommand {
    /// List the bundled queries with their parameters.
    List(QueryListArgs),
    /// Run a bundled query by name (or a .rq file).
    #[command(after_help = "\
Examples:
  coopgraph query run members-of-organization --param org=sco
  coopgraph query run conflicting-figures --format csv
  coopgraph query run entity-neighbourhood --param entity=interpol --format turtle")]
    Run(QueryRunArgs),
}

/// Options of `query list`.
#[derive(Debug, clap::Args)]
pub struct QueryListArgs {
    /// Folder of the query library [default: ./queries when there is one,
    /// else the queries built into coopgraph].
    #[arg(long, value_name = "DIR")]
    pub queries: Option<PathBuf>,
}

/// Options of `query run`.
#[derive(Debug, clap::Args)]
pub struct QueryRunArgs {
    /// Name of a bundled query (see `coopgraph query list`), or a path to a .rq file.
    pub name: String,

    /// A parameter value, KEY=VALUE (repeatable).
    #[arg(long = "param", short = 'p', value_name = "KEY=VALUE")]
    pub params: Vec<String>,

    /// Output format.
    #[arg(long, short, value_parser = result_format(), default_value = "table")]
    pub format: ResultFormat,

    /// Folder of the query library [default: ./queries when there is one,
    /// else the queries built into coopgraph].
    #[arg(long, value_name = "DIR")]
    pub queries: Option<PathBuf>,

    /// Stop the query, as `serve` does, once its sorts (ORDER BY, sub-selects
    /// included) collect more than ROWS rows [default: no bound; the time
    /// limit ends the command].
    #[arg(long, value_name = "ROWS")]
    pub max_sort_rows: Option<usize>,

    /// Where to read.
    #[command(flatten)]
    pub store: StoreArgs,
}

/// Options of `import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// Folder holding entities.csv and relations.csv.
    pub dir: PathBuf,

    /// The RDF file to write (.nq N-Quads, .nt N-Triples; see --format).
    #[arg(long, short, value_name = "FILE", required_unless_present = "store")]
    pub output: Option<PathBuf>,

    /// Serialization of --output [default: from its extension, else nq].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<ImportFormatArg>,

    /// Also (or only) build the on-disk store here, with Oxigraph's bulk loader.
    #[arg(long, value_name = "PATH")]
    pub store: Option<PathBuf>,

    /// Map only the plain triples (no named graphs, statement nodes or citations).
    #[arg(long)]
    pub no_provenance: bool,

    /// Threads parsing the CSV [default: the cores available; 1 with provenance,
    /// which numbers repeated relations in file order].
    #[arg(long, value_name = "N", value_parser = at_least(1))]
    pub threads: Option<usize>,

    /// Memory for the store's bulk loader batches, in megabytes (Oxigraph's
    /// own default, a million quads per thread, takes about three times more).
    /// At least 64: smaller batches write a file per few hundred quads.
    #[arg(long, value_name = "MB", default_value_t = 512, value_parser = at_least(64))]
    pub loader_memory: usize,
}

/// Serializations `import` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormatArg {
    /// N-Triples (graph names dropped).
    Nt,
    /// N-Quads.
    Nq,
}

/// How `publish` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PublishMethodArg {
    /// SPARQL 1.1 Graph Store HTTP Protocol (PUT, then POST) to --graph-store.
    GraphStore,
    /// SPARQL 1.1 Update (DROP SILENT GRAPH, INSERT DATA) to --update-endpoint.
    Update,
}

/// How the Graph Store endpoint names the graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphParamArg {
    /// graph-uri for Virtuoso's /sparql-graph-crud endpoints, graph otherwise.
    Auto,
    /// ?graph=IRI (SPARQL 1.1 Graph Store Protocol: Fuseki, GraphDB, Oxigraph...).
    Graph,
    /// ?graph-uri=IRI (Virtuoso).
    GraphUri,
}

/// Options of `publish`.
#[derive(Debug, clap::Args)]
pub struct PublishArgs {
    /// The store's SPARQL query endpoint; triples are counted back through it.
    #[arg(long, value_name = "URL")]
    pub endpoint: String,

    /// The store's Graph Store Protocol endpoint (needed by --method graph-store).
    #[arg(long, value_name = "URL")]
    pub graph_store: Option<String>,

    /// The store's SPARQL Update endpoint, for --method update [default: --endpoint].
    #[arg(long, value_name = "URL")]
    pub update_endpoint: Option<String>,

    /// How to write the graphs [default: graph-store when --graph-store is
    /// given, else update at --update-endpoint or --endpoint].
    #[arg(long, value_enum)]
    pub method: Option<PublishMethodArg>,

    /// Name of the graph parameter of the Graph Store endpoint.
    #[arg(long, value_enum, default_value_t = GraphParamArg::Auto)]
    pub graph_param: GraphParamArg,

    /// User name, sent when the store asks (digest or basic authentication).
    #[arg(long, value_name = "NAME", requires = "password_file")]
    pub user: Option<String>,

    /// File whose first line is the password of --user.
    #[arg(long, value_name = "FILE", requires = "user")]
    pub password_file: Option<PathBuf>,

    /// Triples per request at most [default: 2000, or 500 with --method update].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub batch_size: Option<u32>,

    /// Tries again after a connection error, timeout, 5xx or 429, this many times.
    #[arg(long, default_value_t = 3, value_name = "N", value_parser = clap::value_parser!(u32).range(0..=10))]
    pub retries: u32,

    /// Time limit of each request.
    #[arg(long, default_value_t = 60, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: u64,

    /// Publish the named graphs of this store (built by `coopgraph build`)
    /// instead of mapping the data folder.
    #[arg(long, value_name = "PATH")]
    pub store: Option<PathBuf>,
}

/// Options of `sparql`.
#[derive(Debug, clap::Args)]
pub struct SparqlArgs {
    /// The query text, or @FILE to read it from a file.
    pub query: String,

    /// Output format.
    #[arg(long, short, value_parser = result_format(), default_value = "table")]
    pub format: ResultFormat,

    /// Stop the query, as `serve` does, once its sorts (ORDER BY, sub-selects
    /// included) collect more than ROWS rows [default: no bound; the time
    /// limit ends the command].
    #[arg(long, value_name = "ROWS")]
    pub max_sort_rows: Option<usize>,

    /// Where to read.
    #[command(flatten)]
    pub store: StoreArgs,
}

/// RDF serializations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormatArg {
    /// Turtle.
    Turtle,
    /// N-Triples.
    Ntriples,
    /// N-Quads.
    Nquads,
    /// TriG.
    Trig,
    /// RDF/XML.
    Rdfxml,
    /// JSON-LD.
    Jsonld,
    /// GraphML, for Gephi, yEd and Cytoscape desktop (not RDF).
    Graphml,
    /// Cytoscape.js JSON (not RDF).
    Cytoscape,
}

/// Options of `export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The serialization.
    #[arg(long, short, value_enum)]
    pub format: ExportFormatArg,

    /// Write to this file (atomically) instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Output formats of `dot`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DotFormatArg {
    /// Graphviz DOT text.
    Dot,
    /// SVG, rendered by Graphviz.
    Svg,
    /// PNG, rendered by Graphviz.
    Png,
    /// PDF, rendered by Graphviz.
    Pdf,
}

/// Options of `dot`.
#[derive(Debug, clap::Args)]
pub struct DotArgs {
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = DotFormatArg::Dot)]
    pub format: DotFormatArg,

    /// Write to this file (atomically) instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Language of the labels (falls back to the other one).
    #[arg(long, value_parser = lang(), default_value = "en")]
    pub lang: Lang,

    /// Only the entities around this one (see --depth).
    #[arg(long, value_name = "ID")]
    pub focus: Option<String>,

    /// How many relations away from --focus to go.
    #[arg(long, default_value_t = 1, value_name = "N", requires = "focus")]
    pub depth: usize,

    /// Only entities of these kinds (country, organization, operation, treaty, place, incident, group).
    #[arg(long, value_delimiter = ',', value_name = "KIND,...")]
    pub kinds: Vec<String>,

    /// Only relations of these types (member_of, part_of, ...).
    #[arg(long, value_delimiter = ',', value_name = "TYPE,...")]
    pub relations: Vec<String>,

    /// Only relations and entities citing this source document.
    #[arg(long, value_name = "ID")]
    pub source: Option<String>,

    /// Only relations dated on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,

    /// Only relations dated on or before this date.
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,

    /// Leave these entities out (repeatable or comma-separated); --focus
    /// does not reach past them.
    #[arg(long, value_delimiter = ',', value_name = "ID,...")]
    pub hide: Vec<String>,

    /// Leave out the entities with more than N relations in the whole graph
    /// (hubs such as china); --focus does not reach past them, and keeps
    /// the focus itself.
    #[arg(long, value_name = "N")]
    pub max_degree: Option<usize>,

    /// Only the relations a bundled query (name or .rq file) returns: a
    /// CONSTRUCT, or a SELECT of ?s ?p ?o.
    #[arg(long, value_name = "NAME|FILE")]
    pub query: Option<String>,

    /// A parameter of --query, KEY=VALUE (repeatable).
    #[arg(long = "param", short = 'p', value_name = "KEY=VALUE", requires = "query")]
    pub params: Vec<String>,

    /// Folder of the query library [default: ./queries when there is one,
    /// else the queries built into coopgraph].
    #[arg(long, value_name = "DIR")]
    pub queries: Option<PathBuf>,

    /// Write the relation type, role and dates on every edge.
    #[arg(long)]
    pub edge_labels: bool,

    /// Draw the members of an organization inside its box.
    #[arg(long)]
    pub cluster_members: bool,

    /// Where --query reads.
    #[command(flatten)]
    pub store: StoreArgs,
}

/// Options of `validate`.
#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// SHACL shapes to use instead of the built-in ontology/shapes.ttl.
    #[arg(long, value_name = "FILE")]
    pub shapes: Option<PathBuf>,

    /// Validate this RDF file (Turtle, N-Triples, N-Quads, TriG, RDF/XML,
    /// JSON-LD, by extension) against the shapes instead of the data folder.
    #[arg(long, value_name = "FILE")]
    pub rdf: Option<PathBuf>,
}

/// Options of `build`.
#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// Folder the outputs are written to.
    #[arg(long, default_value = "out", value_name = "DIR")]
    pub out: PathBuf,

    /// The on-disk store to (re)build.
    #[arg(long, default_value = coopgraph_rdf::store::DEFAULT_STORE_PATH, value_name = "PATH")]
    pub store: PathBuf,

    /// Skip the on-disk store (a quick look: outputs only).
    #[arg(long)]
    pub memory: bool,
}

/// `--lang`: the views' label languages ([`Lang`]), by their tags.
fn lang() -> impl clap::builder::TypedValueParser<Value = Lang> {
    const LANGS: [(Lang, &str); 2] = [(Lang::En, "English"), (Lang::Zh, "Chinese")];
    let names = LANGS.map(|(l, name)| clap::builder::PossibleValue::new(l.tag()).help(name));
    clap::builder::PossibleValuesParser::new(names)
        .try_map(|tag: String| LANGS.into_iter().map(|(l, _)| l).find(|l| l.tag() == tag).ok_or("not a label language"))
}

/// Options of `stats`.
#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    /// How many entities to list in each top list.
    #[arg(long, default_value_t = 5, value_name = "K")]
    pub top: usize,

    /// Language of the labels shown (falls back to the other one).
    #[arg(long, value_parser = lang(), default_value = "en")]
    pub lang: Lang,

    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Options of `path`.
#[derive(Debug, clap::Args)]
pub struct PathArgs {
    /// Id of the entity to start from.
    pub from: String,

    /// Id of the entity to reach.
    pub to: String,

    /// Language of the labels shown (falls back to the other one).
    #[arg(long, value_parser = lang(), default_value = "en")]
    pub lang: Lang,
}

/// A parser of counts that refuses values below `min` (a usage error):
/// zero threads, slots or megabytes cannot work.
fn at_least(min: u64) -> clap::builder::RangedU64ValueParser<usize> {
    clap::builder::RangedU64ValueParser::<usize>::new().range(min..)
}
