//! What bounds the server under any crowd: every request body read whole
//! within a deadline (408 past it) before anything else, then two pools of
//! slots for the requests that read the store (queries, and everything
//! else), each with a queue deadline (503 and Retry-After past it), and a
//! budget per client (429 and Retry-After).
//! Connections themselves are bounded in [`crate::connections`].

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use coopgraph_rdf::oxigraph::sparql::CancellationToken;
use hyper::body::{Body as HttpBody, Frame, SizeHint};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::Shared;
use crate::error::HttpError;

/// How much one client may ask of the server a minute: each budget refills
/// evenly over a minute (a token bucket). Off by default (both 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClientBudget {
    /// Requests per minute (0: no limit).
    pub requests_per_minute: u32,
    /// Seconds of store work per minute: the time the client's requests
    /// held a slot, not their wait for one (0: no limit), as the Wikidata
    /// Query Service counts query time.
    pub seconds_per_minute: u32,
}

/// A slot of the store pool, held by a request (and by the query thread it
/// started) until both are done.
#[derive(Debug, Clone)]
pub(crate) struct Slot(#[allow(dead_code)] pub(crate) Arc<OwnedSemaphorePermit>);

/// The answer when no slot frees up before the queue deadline.
fn overloaded(headers: &axum::http::HeaderMap, retry_after: u64) -> Response {
    let message = format!(
        "the server is busy answering other requests: try again in {retry_after} s (every request that reads the \
         store waits for one of a fixed number of slots)"
    );
    with_retry_after(HttpError::new(StatusCode::SERVICE_UNAVAILABLE, message).for_request(headers), retry_after)
}

/// `error` as a response with `Retry-After: seconds` (at least 1).
pub(crate) fn with_retry_after(error: HttpError, seconds: u64) -> Response {
    let mut response = error.into_response();
    if let Ok(value) = HeaderValue::from_str(&seconds.max(1).to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// Time a request held its slot before its handler answered (its
/// headers), put in the response's extensions for [`client_budget`]: a
/// client is charged the store work it caused, not its wait in the queue.
#[derive(Debug, Clone, Copy)]
struct Worked(Duration);

/// The two pools of slots. Queries (`/sparql`, `/queries/NAME`) may run
/// for seconds; the reads of pages, search, data documents, dumps and
/// VoID take milliseconds. Each kind waits for a slot of its own pool, so a
/// crowd of slow queries never queues a page behind it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pool {
    /// SPARQL queries and the bundled queries (`--max-concurrent`).
    Queries,
    /// Everything else that reads the store (`--max-concurrent-reads`).
    Reads,
}

/// Takes a slot of `pool`, waiting at most the queue deadline; past it,
/// the answer is 503 with Retry-After.
pub(crate) async fn take(
    state: &Shared,
    pool: Pool,
    headers: &axum::http::HeaderMap,
) -> Result<Arc<OwnedSemaphorePermit>, Response> {
    let wait = state.config.queue_timeout;
    let slots = match pool {
        Pool::Queries => Arc::clone(&state.query_slots),
        Pool::Reads => Arc::clone(&state.read_slots),
    };
    match tokio::time::timeout(wait, slots.acquire_owned()).await {
        Ok(Ok(permit)) => Ok(Arc::new(permit)),
        Ok(Err(_)) => {
            Err(HttpError::new(StatusCode::SERVICE_UNAVAILABLE, "the server is shutting down").into_response())
        }
        Err(_) => Err(overloaded(headers, wait.as_secs().max(1))),
    }
}

/// Runs `answer` holding a slot of `pool`: for handlers that first look in
/// a cache, and take a slot only to read the store.
pub(crate) async fn with_slot(
    state: &Shared,
    pool: Pool,
    headers: &axum::http::HeaderMap,
    answer: impl std::future::Future<Output = Response>,
) -> Response {
    let permit = match take(state, pool, headers).await {
        Ok(permit) => permit,
        Err(refused) => return refused,
    };
    let started = Instant::now();
    let mut response = answer.await;
    response.extensions_mut().insert(Worked(started.elapsed()));
    drop(permit);
    response
}

/// Middleware on the query routes: a slot of the query pool.
pub(crate) async fn query_slot(State(state): State<Shared>, request: Request, next: Next) -> Response {
    hold_slot(&state, Pool::Queries, request, next).await
}

/// Middleware on the other routes that read the store (data documents,
/// dumps, VoID, dereferencing): a slot of the read pool.
pub(crate) async fn read_slot(State(state): State<Shared>, request: Request, next: Next) -> Response {
    hold_slot(&state, Pool::Reads, request, next).await
}

/// Takes a slot of `pool` for the request. The slot stays taken while the
/// body streams (dumps) and, for queries, while the query's thread runs.
async fn hold_slot(state: &Shared, pool: Pool, mut request: Request, next: Next) -> Response {
    let permit = match take(state, pool, request.headers()).await {
        Ok(permit) => permit,
        Err(refused) => return refused,
    };
    request.extensions_mut().insert(Slot(Arc::clone(&permit)));
    let started = Instant::now();
    let response = next.run(request).await;
    let (mut parts, body) = response.into_parts();
    parts.extensions.insert(Worked(started.elapsed()));
    // The permit goes with the body: released once the body is done with
    // (sent, or the client went away).
    Response::from_parts(parts, axum::body::Body::new(Guarded::new(body, permit)))
}

/// The answer to a body larger than `--max-body`.
pub(crate) fn body_too_large(limit: usize) -> HttpError {
    HttpError::new(StatusCode::PAYLOAD_TOO_LARGE, format!("the request body is larger than the limit of {limit} bytes"))
}

/// How reading a request's body ended, short of the whole body.
enum BodyCut {
    TooLarge,
    Failed(axum::Error),
}

/// Reads `body` whole, refusing more than `limit` bytes.
async fn collect(mut body: axum::body::Body, limit: usize) -> Result<axum::body::Bytes, BodyCut> {
    let mut bytes = Vec::new();
    while let Some(frame) = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
        let frame = frame.map_err(BodyCut::Failed)?;
        if let Ok(data) = frame.into_data() {
            if bytes.len().saturating_add(data.len()) > limit {
                return Err(BodyCut::TooLarge);
            }
            bytes.extend_from_slice(&data);
        }
    }
    Ok(bytes.into())
}

/// Middleware on every route, outside the pool of slots: reads a request's
/// body whole before its handler runs, within `--body-timeout` of its
/// headers (past it: 408 and the connection closed) and `--max-body`
/// (413). A client trickling its body so holds no slot, and is cut on its
/// own clock. A request without a body passes at once.
pub(crate) async fn read_body(State(state): State<Shared>, request: Request, next: Next) -> Response {
    if request.body().is_end_stream() {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let limit = state.config.max_body_bytes;
    let wait = state.config.connections.body_timeout;
    match tokio::time::timeout(wait, collect(body, limit)).await {
        Ok(Ok(bytes)) => next.run(Request::from_parts(parts, axum::body::Body::from(bytes))).await,
        Ok(Err(BodyCut::TooLarge)) => body_too_large(limit).into_response(),
        Ok(Err(BodyCut::Failed(e))) => {
            HttpError::new(StatusCode::BAD_REQUEST, format!("cannot read the request body: {e}")).into_response()
        }
        Err(_) => {
            let message = format!(
                "the request body did not come within {} s of its headers: send it at once",
                wait.as_secs_f64()
            );
            let mut response = HttpError::new(StatusCode::REQUEST_TIMEOUT, message).into_response();
            // The rest of the body is never read: the connection cannot
            // carry another request.
            response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
            response
        }
    }
}

/// A response body that keeps `G` (a slot, a connection's busy mark) until
/// the body is dropped; its size and end are the inner body's, so
/// `Content-Length` survives.
pub(crate) struct Guarded<G> {
    body: axum::body::Body,
    _guard: G,
}

impl<G> Guarded<G> {
    /// `body`, keeping `guard` alive as long as it is.
    pub(crate) fn new(body: axum::body::Body, guard: G) -> Self {
        Self { body, _guard: guard }
    }
}

impl<G: Unpin> HttpBody for Guarded<G> {
    type Data = axum::body::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.get_mut().body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

/// What one client has left.
#[derive(Debug, Clone, Copy)]
struct Allowance {
    requests: f64,
    seconds: f64,
    at: Instant,
}

/// The budgets of every client seen lately, by address.
#[derive(Debug)]
pub(crate) struct Clients {
    budget: ClientBudget,
    table: Mutex<HashMap<IpAddr, Allowance>>,
}

/// Clients remembered before the full ones are forgotten.
const REMEMBERED: usize = 10_000;

impl Clients {
    pub(crate) fn new(budget: ClientBudget) -> Self {
        Self { budget, table: Mutex::new(HashMap::new()) }
    }

    fn full(&self, at: Instant) -> Allowance {
        Allowance {
            requests: f64::from(self.budget.requests_per_minute),
            seconds: f64::from(self.budget.seconds_per_minute),
            at,
        }
    }

    /// Refills `a` for the time since it was last seen.
    fn refill(&self, a: &mut Allowance, now: Instant) {
        let minutes = now.saturating_duration_since(a.at).as_secs_f64() / 60.0;
        let full = self.full(now);
        a.requests = (a.requests + minutes * full.requests).min(full.requests);
        a.seconds = (a.seconds + minutes * full.seconds).min(full.seconds);
        a.at = now;
    }

    /// Takes one request from `client`'s budget, or says in how many
    /// seconds it may come back.
    fn admit(&self, client: IpAddr, now: Instant) -> Result<(), u64> {
        let mut table = match self.table.lock() {
            Ok(t) => t,
            Err(poisoned) => poisoned.into_inner(),
        };
        if table.len() >= REMEMBERED {
            let full = self.full(now);
            let mut forget = Vec::new();
            for (ip, a) in table.iter_mut() {
                self.refill(a, now);
                if a.requests >= full.requests && a.seconds >= full.seconds {
                    forget.push(*ip);
                }
            }
            for ip in forget {
                table.remove(&ip);
            }
        }
        let a = table.entry(client).or_insert_with(|| self.full(now));
        self.refill(a, now);
        if self.budget.requests_per_minute > 0 && a.requests < 1.0 {
            return Err(wait_for(1.0 - a.requests, self.budget.requests_per_minute));
        }
        if self.budget.seconds_per_minute > 0 && a.seconds <= 0.0 {
            return Err(wait_for(-a.seconds + 0.001, self.budget.seconds_per_minute));
        }
        if self.budget.requests_per_minute > 0 {
            a.requests -= 1.0;
        }
        Ok(())
    }

    /// Charges `spent` of handler time to `client`.
    fn charge(&self, client: IpAddr, spent: Duration) {
        if self.budget.seconds_per_minute == 0 {
            return;
        }
        let mut table = match self.table.lock() {
            Ok(t) => t,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some(a) = table.get_mut(&client) {
            a.seconds -= spent.as_secs_f64();
        }
    }
}

/// Whole seconds until `missing` units come back at `per_minute`.
fn wait_for(missing: f64, per_minute: u32) -> u64 {
    if per_minute == 0 {
        return 60;
    }
    let seconds = (missing * 60.0 / f64::from(per_minute)).ceil();
    if seconds.is_finite() && seconds >= 1.0 { seconds.min(3600.0) as u64 } else { 1 }
}

/// Middleware on every route: refuses a client past its budget with 429
/// and Retry-After, and charges it the time its store requests took.
pub(crate) async fn client_budget(State(state): State<Shared>, request: Request, next: Next) -> Response {
    let Some(client) = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(a)| a.ip()) else {
        return next.run(request).await;
    };
    let clients = &state.clients;
    if let Err(retry_after) = clients.admit(client, Instant::now()) {
        let message = format!(
            "too many requests from {client}: this server gives each client {} requests and {} seconds of work a \
             minute; try again in {retry_after} s",
            clients.budget.requests_per_minute, clients.budget.seconds_per_minute
        );
        return with_retry_after(
            HttpError::new(StatusCode::TOO_MANY_REQUESTS, message).for_request(request.headers()),
            retry_after,
        );
    }
    let response = next.run(request).await;
    if let Some(Worked(spent)) = response.extensions().get::<Worked>() {
        clients.charge(client, *spent);
    }
    response
}

/// The queries under way, so that the memory watchdog can stop them.
#[derive(Default)]
pub(crate) struct Running {
    /// Set by the memory watchdog while the server is over its ceiling.
    over: AtomicBool,
    next: AtomicU64,
    table: Mutex<HashMap<u64, (CancellationToken, Arc<AtomicBool>)>>,
}

impl std::fmt::Debug for Running {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let under_way = self.table.lock().map_or(0, |t| t.len());
        f.debug_struct("Running").field("over", &self.over).field("under_way", &under_way).finish()
    }
}

/// A query's place in [`Running`]; leaves it when dropped.
pub(crate) struct Registered<'a> {
    running: &'a Running,
    id: u64,
    over_memory: Arc<AtomicBool>,
}

impl Registered<'_> {
    /// True when the watchdog stopped this query.
    pub(crate) fn over_memory(&self) -> bool {
        self.over_memory.load(Ordering::Acquire)
    }
}

impl Drop for Registered<'_> {
    fn drop(&mut self) {
        let mut table = match self.running.table.lock() {
            Ok(t) => t,
            Err(poisoned) => poisoned.into_inner(),
        };
        table.remove(&self.id);
    }
}

impl Running {
    /// Enters a query whose evaluation `token` stops.
    pub(crate) fn register(&self, token: CancellationToken) -> Registered<'_> {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let over_memory = Arc::new(AtomicBool::new(false));
        let mut table = match self.table.lock() {
            Ok(t) => t,
            Err(poisoned) => poisoned.into_inner(),
        };
        table.insert(id, (token, Arc::clone(&over_memory)));
        Registered { running: self, id, over_memory }
    }

    /// True while the server's memory is over its ceiling: new queries are
    /// refused.
    pub(crate) fn over_memory(&self) -> bool {
        self.over.load(Ordering::Acquire)
    }

    /// Stops every query under way; how many.
    fn stop_all(&self) -> usize {
        let table = match self.table.lock() {
            Ok(t) => t,
            Err(poisoned) => poisoned.into_inner(),
        };
        for (token, over) in table.values() {
            over.store(true, Ordering::Release);
            token.cancel();
        }
        table.len()
    }
}

/// The server's anonymous resident memory (heap and stacks, not the store
/// files it maps), from `/proc/self/status` (Linux).
fn resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("RssAnon:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib.saturating_mul(1024))
}

/// Looks at the server's memory ten times a second. While it is over
/// `limit` bytes, the queries under way are stopped (each answers 503) and
/// new ones are refused (503 with Retry-After), before the allocator fails
/// or the kernel kills the server. This is a ceiling on the whole process,
/// not a budget per query: Oxigraph has no hook to count one query's
/// memory, so every query under way is stopped, the innocent with the
/// guilty.
pub(crate) async fn watch_memory(state: Shared, limit: u64) {
    if resident_bytes().is_none() {
        crate::access_log::note("cannot read the server's memory use here: --max-memory-mib is not enforced");
        return;
    }
    let mut ticker = tokio::time::interval(Duration::from_millis(100));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        let over = resident_bytes().is_some_and(|rss| rss > limit);
        let was = state.running.over.swap(over, Ordering::AcqRel);
        if over {
            let stopped = state.running.stop_all();
            if stopped > 0 || !was {
                crate::access_log::note(&format!(
                    "memory passed --max-memory-mib ({} MiB): stopped {stopped} queries under way, refusing new \
                     ones until it falls",
                    limit / (1024 * 1024)
                ));
            }
        } else if was {
            crate::access_log::note("memory is back under --max-memory-mib: queries are taken again");
        }
    }
}

/// A fresh pool of `n` slots.
pub(crate) fn pool(n: usize) -> Arc<Semaphore> {
    Arc::new(Semaphore::new(n.max(1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_past_its_requests_waits_and_comes_back() {
        let clients = Clients::new(ClientBudget { requests_per_minute: 2, seconds_per_minute: 0 });
        let ip: IpAddr = [127, 0, 0, 1].into();
        let other: IpAddr = [127, 0, 0, 2].into();
        let t0 = Instant::now();
        assert_eq!(clients.admit(ip, t0), Ok(()));
        assert_eq!(clients.admit(ip, t0), Ok(()));
        assert_eq!(clients.admit(ip, t0), Err(30), "one request comes back every 30 s");
        assert_eq!(clients.admit(other, t0), Ok(()), "another client has its own budget");
        assert_eq!(clients.admit(ip, t0 + Duration::from_secs(30)), Ok(()));
    }

    #[test]
    fn a_client_past_its_seconds_waits_until_they_refill() {
        let clients = Clients::new(ClientBudget { requests_per_minute: 0, seconds_per_minute: 6 });
        let ip: IpAddr = [10, 0, 0, 1].into();
        let t0 = Instant::now();
        assert_eq!(clients.admit(ip, t0), Ok(()));
        clients.charge(ip, Duration::from_secs(7));
        assert_eq!(clients.admit(ip, t0), Err(11), "1 s over, at 0.1 s a second");
        assert_eq!(clients.admit(ip, t0 + Duration::from_secs(11)), Ok(()));
    }

    /// A server state on an empty store in memory, with `reads` read slots
    /// and `queries` query slots, waiting at most a second for one.
    fn state(queries: usize, reads: usize) -> Shared {
        let store = coopgraph_rdf::oxigraph::store::Store::new().unwrap();
        let mut config = crate::ServerConfig::new(([127, 0, 0, 1], 0).into(), coopgraph_rdf::Namespaces::default());
        config.max_concurrent_queries = queries;
        config.max_concurrent_reads = reads;
        config.queue_timeout = Duration::from_secs(1);
        crate::state(store, config).unwrap()
    }

    #[tokio::test]
    async fn each_pool_is_refused_alone_with_503_and_retry_after() {
        let state = state(1, 1);
        let headers = axum::http::HeaderMap::new();
        let read = take(&state, Pool::Reads, &headers).await.unwrap();
        // The read pool is full: the next read is refused once its wait is over...
        let refused = take(&state, Pool::Reads, &headers).await.unwrap_err();
        assert_eq!(refused.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(refused.headers().get(header::RETRY_AFTER).unwrap(), "1");
        // ...while a query still gets its slot, and then the query pool is full.
        let query = take(&state, Pool::Queries, &headers).await.unwrap();
        assert_eq!(take(&state, Pool::Queries, &headers).await.unwrap_err().status(), StatusCode::SERVICE_UNAVAILABLE);
        drop((read, query));
        assert!(take(&state, Pool::Reads, &headers).await.is_ok());
        assert!(take(&state, Pool::Queries, &headers).await.is_ok());
    }

    #[test]
    fn zero_means_no_limit() {
        let clients = Clients::new(ClientBudget { requests_per_minute: 0, seconds_per_minute: 0 });
        let ip: IpAddr = [10, 0, 0, 1].into();
        for _ in 0..1000 {
            assert_eq!(clients.admit(ip, Instant::now()), Ok(()));
        }
    }
}
