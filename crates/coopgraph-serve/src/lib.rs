//! Publishes a coopgraph store as linked data over HTTP, read-only:
//!
//! - the SPARQL 1.1 Protocol at `/sparql` ([`sparql`]), and for browsers
//!   a query editor there (YASGUI, built into the binary: [`editor`], [`assets`]);
//! - every IRI under the base dereferenceable with content negotiation
//!   (303 See Other to an HTML page or a data document, [`resources`]);
//! - HTML pages rendered on the server, usable without JavaScript
//!   ([`pages`], templates in [`templates`]);
//! - search of entity labels and aliases, as HTML and JSON, from the store's
//!   search index ([`search`]);
//! - a graph explorer at `/explore` (Cytoscape.js, built into the binary)
//!   expanding nodes with the bounded JSON of one entity's neighbours ([`explore`]);
//! - a VoID and DCAT description at `/.well-known/void` ([`void`]) and
//!   dumps of every serialization ([`dumps`]);
//! - the W3C Reconciliation Service API at `/reconcile`, for OpenRefine
//!   ([`reconcile`]).
//!
//! Every request that reads the store takes a slot of one of two pools
//! (queries, and the rest; a page or search answer already rendered needs
//! none), waiting at most a queue deadline (503 with Retry-After past it),
//! once its body is read (within a deadline: 408 past it); each client has a
//! budget of requests and of seconds a minute (429 with Retry-After); open
//! connections are capped and cut when their headers come too slowly or
//! they stay idle ([`ConnectionLimits`]).
//!
//! The crate knows HTTP and HTML; what the RDF means comes from
//! `coopgraph-rdf` and `coopgraph-model`. Its modules are in two layers:
//! the handlers (one per route family, and the limits around them) build a
//! view and hand it to the templates; the views and templates
//! (listed in the `layering` test) read no handler, so the layers never form a circle.
//! What both need (addresses in [`catalog`], bound query texts in
//! [`library`]) sits in the lower layer.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{Method, header};
use axum::routing::get;
use coopgraph_rdf::Namespaces;
use coopgraph_rdf::oxigraph::store::Store;
use coopgraph_rdf::query::LibraryQuery;
use coopgraph_rdf::sidecar::StoreStats;
use tokio::sync::Semaphore;
use tower_http::cors::{Any, CorsLayer};

mod access_log;
mod assets;
mod catalog;
mod connections;
mod describe;
mod drafts;
mod dumps;
mod editor;
mod error;
mod explore;
mod http_cache;
mod i18n;
mod library;
mod limits;
pub mod negotiate;
mod ontology;
mod page_cache;
mod pages;
mod reconcile;
mod resources;
mod schema_org;
mod search;
mod sitemap;
mod sparql;
mod svg;
mod templates;
mod void;

pub use connections::ConnectionLimits;
pub use error::ServeError;
pub use limits::ClientBudget;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Address to listen on (port 0 picks a free port).
    pub bind: SocketAddr,
    /// The URL at which clients reach the server, ending in `/`; empty
    /// means `http://ADDRESS:PORT/` of the socket actually bound (an
    /// unspecified address such as 0.0.0.0 is shown as 127.0.0.1). The VoID
    /// description, dump URLs and the home page use it. IRIs minted under
    /// the base are served at the same path under this URL.
    pub public_url: String,
    /// The IRIs of the data (base and vocabulary).
    pub namespaces: Namespaces,
    /// Time limit of one SPARQL query.
    pub query_timeout: Duration,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Largest query result sent, in bytes.
    pub max_result_bytes: usize,
    /// Queries (`/sparql`, `/queries/NAME`) running at once; more wait
    /// their turn, at most `queue_timeout`.
    pub max_concurrent_queries: usize,
    /// Other requests reading the store at once (pages, search, data
    /// documents, dumps, VoID); more wait their turn, at most
    /// `queue_timeout`. Pages and search answers already rendered for this
    /// build are answered without a slot.
    pub max_concurrent_reads: usize,
    /// How long a request waits for a slot before it is answered 503.
    pub queue_timeout: Duration,
    /// What one client may ask for in a minute.
    pub client_budget: ClientBudget,
    /// Open connections and their time limits.
    pub connections: ConnectionLimits,
    /// Resident memory of the server past which the queries under way are
    /// stopped (503), in bytes; 0: no limit.
    pub max_memory_bytes: u64,
    /// Rows one query may collect for its sorts (ORDER BY); one more stops
    /// it with 413. 0: no bound.
    pub max_sort_rows: usize,
    /// The bundled queries, offered as examples on the home page.
    pub examples: Vec<LibraryQuery>,
    /// A short description of the store for the log (its path).
    pub store_label: String,
    /// The store's folder, watched for a new build: when `build` or
    /// `import` swaps a new store in, the server opens it and answers from
    /// it. `None` for a store in memory.
    pub store_path: Option<PathBuf>,
    /// How often the store's folder is checked for a new build.
    pub reload_interval: Duration,
    /// The folder of drafts shown at `/drafts/ID` (`serve --drafts DIR`).
    pub drafts: Option<PathBuf>,
}

impl ServerConfig {
    /// The defaults of `coopgraph serve`, listening on `bind`.
    pub fn new(bind: SocketAddr, namespaces: Namespaces) -> Self {
        Self {
            bind,
            public_url: String::new(),
            namespaces,
            query_timeout: Duration::from_secs(10),
            max_body_bytes: 1024 * 1024,
            max_result_bytes: 64 * 1024 * 1024,
            max_concurrent_queries: 8,
            max_concurrent_reads: 8,
            queue_timeout: Duration::from_secs(5),
            client_budget: ClientBudget::default(),
            connections: ConnectionLimits::default(),
            max_memory_bytes: 0,
            max_sort_rows: coopgraph_rdf::query::DEFAULT_MAX_SORT_ROWS,
            examples: Vec::new(),
            store_label: String::new(),
            store_path: None,
            reload_interval: Duration::from_secs(2),
            drafts: None,
        }
    }
}

/// One build of the store with what was computed when it was written.
/// Handlers take the current snapshot once per request, so a request is
/// answered from one build even while a new one is swapped in.
pub(crate) struct Snapshot {
    pub(crate) store: Store,
    pub(crate) stats: StoreStats,
    pub(crate) summary: describe::Summary,
    /// The store's search index, from its sidecar folder (swapped in with
    /// it), or built in memory for a store without one.
    pub(crate) search: coopgraph_search::SearchIndex,
    /// The pages of this build rendered so far.
    pub(crate) pages: page_cache::PageCache,
    /// The search answers of this build given so far.
    pub(crate) answers: page_cache::SearchCache,
    /// The store's counts, which the query runner plans OPTIONALs by.
    pub(crate) cardinalities: Arc<coopgraph_rdf::lateral::Cardinalities>,
}

impl Snapshot {
    fn new(
        store: Store,
        stats: StoreStats,
        path: Option<&std::path::Path>,
        ns: &Namespaces,
    ) -> Result<Self, ServeError> {
        let summary = describe::Summary::of(&stats, ns);
        let search = search::open_index(&store, path, ns)?;
        let cardinalities = Arc::new(coopgraph_rdf::lateral::Cardinalities::from_stats(&stats));
        Ok(Self {
            store,
            cardinalities,
            stats,
            summary,
            search,
            pages: page_cache::PageCache::new(page_cache::PAGE_CACHE_BYTES, 8192),
            answers: page_cache::SearchCache::new(page_cache::SEARCH_CACHE_BYTES, 4096),
        })
    }
}

/// What every handler shares.
pub(crate) struct AppState {
    current: RwLock<Arc<Snapshot>>,
    pub(crate) config: ServerConfig,
    /// The slots of the queries.
    pub(crate) query_slots: Arc<Semaphore>,
    /// The slots of the other requests that read the store.
    pub(crate) read_slots: Arc<Semaphore>,
    pub(crate) clients: limits::Clients,
    /// The queries under way.
    pub(crate) running: limits::Running,
}

impl AppState {
    pub(crate) fn ns(&self) -> &Namespaces {
        &self.config.namespaces
    }

    /// The build of the store requests are answered from now.
    pub(crate) fn snapshot(&self) -> Arc<Snapshot> {
        match self.current.read() {
            Ok(s) => s.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// The store of the current snapshot.
    pub(crate) fn store(&self) -> Store {
        self.snapshot().store.clone()
    }

    fn replace(&self, next: Snapshot) {
        let next = Arc::new(next);
        match self.current.write() {
            Ok(mut s) => *s = next,
            Err(poisoned) => *poisoned.into_inner() = next,
        }
    }
}

/// The statistics of the store at `path` (kept beside it when it was
/// written), or counted now for a store in memory or one written before
/// stores kept them.
fn stats_of(store: &Store, path: Option<&std::path::Path>) -> Result<StoreStats, ServeError> {
    if let Some(path) = path
        && let Some(stats) = StoreStats::read(path)?
    {
        return Ok(stats);
    }
    if path.is_some() {
        access_log::note(
            "the store keeps no statistics (it was built by an older coopgraph): counting them now; rebuild it to start at once",
        );
    }
    Ok(StoreStats::compute(store)?)
}

/// Checks the store's folder every `interval` and swaps in a new build.
async fn watch_store(state: Shared, path: PathBuf, interval: Duration) {
    let mut ticker = tokio::time::interval(interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        let current = state.snapshot().stats.build_id.clone();
        let probe = path.clone();
        let ns = state.ns().clone();
        let next = tokio::task::spawn_blocking(move || -> Result<Option<Snapshot>, ServeError> {
            let Some(stats) = StoreStats::read(&probe)? else { return Ok(None) };
            if stats.build_id == current {
                return Ok(None);
            }
            let store = coopgraph_rdf::store::open_store(&probe)?;
            Ok(Some(Snapshot::new(store, stats, Some(&probe), &ns)?))
        })
        .await;
        match next {
            Ok(Ok(Some(snapshot))) => {
                access_log::note(&format!(
                    "a new build of the store was swapped in at {}: now serving {} triples (build {})",
                    path.display(),
                    snapshot.stats.triples,
                    snapshot.stats.build_id
                ));
                state.replace(snapshot);
            }
            Ok(Ok(None)) => {}
            // A store being swapped (or removed) right now: try again next time.
            Ok(Err(e)) => access_log::note(&format!("cannot open the new store yet: {e}")),
            Err(_) => {}
        }
    }
}

pub(crate) type Shared = Arc<AppState>;

/// Builds the application: every route with its middleware. The counts the
/// home page and the VoID description show are read from beside the store
/// (computed when it was written); no store scan happens here.
pub fn router(store: Store, config: ServerConfig) -> Result<Router, ServeError> {
    Ok(app(state(store, config)?))
}

fn state(store: Store, mut config: ServerConfig) -> Result<Shared, ServeError> {
    if config.public_url.is_empty() {
        config.public_url = url_of(config.bind);
    }
    let stats = stats_of(&store, config.store_path.as_deref())?;
    let snapshot = Snapshot::new(store, stats, config.store_path.as_deref(), &config.namespaces)?;
    Ok(Arc::new(AppState {
        current: RwLock::new(Arc::new(snapshot)),
        query_slots: limits::pool(config.max_concurrent_queries),
        read_slots: limits::pool(config.max_concurrent_reads),
        clients: limits::Clients::new(config.client_budget),
        running: limits::Running::default(),
        config,
    }))
}

fn app(state: Shared) -> Router {
    let max_body = state.config.max_body_bytes;
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::POST, Method::HEAD, Method::OPTIONS])
        .allow_headers([header::ACCEPT, header::CONTENT_TYPE])
        .expose_headers([header::CONTENT_TYPE, header::LOCATION, header::VARY]);
    // Every route that reads the store takes a slot of one of the two pools;
    // pages and search take theirs in the handler, after their cache.
    let queries = Router::new()
        .route("/sparql", get(sparql::get_query).post(sparql::post_query))
        .route("/queries/{name}", get(sparql::library_query))
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), limits::query_slot));
    let reads = Router::new()
        .route("/.well-known/void", get(void::handler))
        .route("/dumps/{file}", get(dumps::handler))
        .route("/data/{*path}", get(resources::data_document))
        .route("/explore/neighbours/{file}", get(explore::neighbours))
        .route("/ontology/{class}", get(pages::class_page))
        .route("/sitemaps/{file}", get(sitemap::sitemap))
        .route("/{*path}", get(resources::dereference))
        .merge(reconcile::routes())
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), limits::read_slot));
    let cached = Router::new()
        .route("/search", get(search::page))
        .route("/search.json", get(search::json))
        .route("/page/{*path}", get(pages::resource_page));
    Router::new()
        .route("/", get(pages::home))
        .route("/queries", get(sparql::list_queries))
        .route("/explore", get(explore::page))
        .route("/ontology", get(resources::ontology))
        .route("/robots.txt", get(sitemap::robots))
        .route("/sitemap.xml", get(sitemap::index))
        .merge(queries)
        .merge(reads)
        .merge(cached)
        .fallback(error::not_found)
        // Outside the pool's route layer: a body is read before a slot is taken.
        .layer(axum::middleware::from_fn_with_state(state.clone(), limits::read_body))
        .layer(DefaultBodyLimit::max(max_body))
        .layer(axum::middleware::from_fn_with_state(state.clone(), http_cache::validate))
        .merge(drafts::routes()) // read from the curator's files: outside the store's validators
        .merge(assets::routes()) // built into the binary, under versioned paths
        .layer(http_cache::compression())
        .layer(axum::middleware::from_fn_with_state(state.clone(), limits::client_budget))
        .layer(cors)
        .layer(axum::middleware::from_fn(access_log::log_request))
        .with_state(state)
}

/// `http://ADDRESS:PORT/` of a bound socket; an unspecified address
/// (0.0.0.0, ::) becomes the loopback address, which at least works locally.
pub fn url_of(address: SocketAddr) -> String {
    let mut shown = address;
    if shown.ip().is_unspecified() {
        shown.set_ip(if shown.is_ipv4() {
            std::net::Ipv4Addr::LOCALHOST.into()
        } else {
            std::net::Ipv6Addr::LOCALHOST.into()
        });
    }
    format!("http://{shown}/")
}

/// Serves until SIGTERM or Ctrl-C, then finishes the requests under way.
/// `on_ready` is called with the bound address once the socket listens.
pub fn run(store: Store, mut config: ServerConfig, on_ready: impl FnOnce(SocketAddr, &str)) -> Result<(), ServeError> {
    // Blocking work (store reads, rendering) waits for one of a fixed number
    // of threads: a handler dropped by a client that hung up may leave its
    // read running, and a crowd of those must queue, not add threads.
    let blocking = config
        .max_concurrent_queries
        .max(1)
        .saturating_add(config.max_concurrent_reads.max(1))
        .saturating_mul(2)
        .saturating_add(4);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .max_blocking_threads(blocking)
        .enable_all()
        .build()
        .map_err(|e| ServeError::Start(format!("cannot start the runtime: {e}")))?;
    runtime.block_on(async move {
        let bind = config.bind;
        let listener = tokio::net::TcpListener::bind(bind)
            .await
            .map_err(|e| ServeError::Start(format!("cannot listen on {bind}: {e}")))?;
        let address = listener.local_addr().map_err(|e| ServeError::Start(e.to_string()))?;
        if config.public_url.is_empty() {
            config.public_url = url_of(address);
        }
        let public_url = config.public_url.clone();
        let watched = config.store_path.clone().map(|p| (p, config.reload_interval));
        let state = state(store, config)?;
        if let Some((path, interval)) = watched {
            tokio::spawn(watch_store(state.clone(), path, interval));
        }
        if state.config.max_memory_bytes > 0 {
            tokio::spawn(limits::watch_memory(state.clone(), state.config.max_memory_bytes));
        }
        let limits = state.config.connections;
        let app = app(state);
        let shutdown = shutdown_signal();
        on_ready(address, &public_url);
        connections::serve(listener, app, limits, shutdown).await;
        Ok(())
    })
}

/// Resolves on SIGTERM or Ctrl-C. The handlers are installed when this is
/// called, not when the future is first polled, so that a signal sent as
/// soon as the server said it listens is never missed.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let (mut terminate, mut interrupt) = {
        use tokio::signal::unix::{SignalKind, signal};
        (signal(SignalKind::terminate()).ok(), signal(SignalKind::interrupt()).ok())
    };
    async move {
        #[cfg(unix)]
        tokio::select! {
            () = received(terminate.as_mut()) => {},
            () = received(interrupt.as_mut()) => {},
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
        access_log::note("shutting down: finishing the requests under way");
    }
}

/// The next delivery of `signal`; never, without one.
#[cfg(unix)]
async fn received(signal: Option<&mut tokio::signal::unix::Signal>) {
    match signal {
        Some(s) => {
            s.recv().await;
        }
        None => std::future::pending::<()>().await,
    }
}

#[cfg(test)]
mod layering {
    /// The lower layer: what a page shows and how it is written. None of these
    /// modules names a handler module (`HANDLER_MODULES`); a test checks it.
    const VIEW_MODULES: &[(&str, &str)] = &[
        ("catalog", include_str!("catalog.rs")),
        ("describe", include_str!("describe.rs")),
        ("i18n", include_str!("i18n.rs")),
        ("library", include_str!("library.rs")),
        ("negotiate", include_str!("negotiate.rs")),
        ("ontology", include_str!("ontology.rs")),
        ("schema_org", include_str!("schema_org.rs")),
        ("svg", include_str!("svg.rs")),
        ("templates", include_str!("templates.rs")),
    ];

    /// The upper layer: the modules that answer requests.
    const HANDLER_MODULES: &[&str] = &[
        "access_log",
        "assets",
        "connections",
        "drafts",
        "dumps",
        "editor",
        "error",
        "explore",
        "http_cache",
        "limits",
        "page_cache",
        "pages",
        "reconcile",
        "resources",
        "search",
        "sitemap",
        "sparql",
        "void",
    ];

    /// A module's code outside its `#[cfg(test)]` module.
    fn code(text: &str) -> &str {
        text.find("#[cfg(test)]\nmod ").and_then(|at| text.get(..at)).unwrap_or(text)
    }

    #[test]
    fn views_and_templates_read_no_handler() {
        let mut found = Vec::new();
        for (view, text) in VIEW_MODULES {
            for handler in HANDLER_MODULES {
                for form in [format!("crate::{handler}::"), format!("crate::{handler};"), format!("crate::{{{handler}")]
                {
                    if code(text).contains(&form) {
                        found.push(format!("{view} names {form}"));
                    }
                }
            }
        }
        assert!(found.is_empty(), "the view layer reads handlers: {found:?}");
    }

    #[test]
    fn every_module_is_in_one_layer() {
        let lib = include_str!("lib.rs");
        let declared: Vec<&str> = lib
            .lines()
            .filter_map(|l| l.strip_prefix("mod ").or_else(|| l.strip_prefix("pub mod ")))
            .filter_map(|l| l.strip_suffix(';'))
            .collect();
        let mut layered: Vec<&str> =
            VIEW_MODULES.iter().map(|(m, _)| *m).chain(HANDLER_MODULES.iter().copied()).collect();
        layered.sort_unstable();
        let mut declared_sorted = declared.clone();
        declared_sorted.sort_unstable();
        assert_eq!(declared_sorted, layered, "each module of lib.rs belongs to VIEW_MODULES or HANDLER_MODULES");
    }
}
