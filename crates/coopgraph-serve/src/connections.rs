//! The accept loop: a cap on open connections, a time limit on sending a
//! request's headers (slow clients), an idle time limit between requests
//! (idle keep-alive connections), and a graceful stop. The time limit on a
//! request's body is kept by [`crate::limits::read_body`], which reads it.
//!
//! Each connection is served by hyper's HTTP/1 connection with a watchdog
//! beside it. The socket is wrapped ([`Watched`]) so that the watchdog sees
//! when the first byte of a request arrives; the service marks when its
//! headers were complete and when its answer's body is done ([`Busy`]).
//! With no request under way, a connection is cut when the headers it
//! started have not come within the header limit, or when nothing at all
//! came within the idle limit.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tower::ServiceExt as _;

use crate::access_log;
use crate::limits::Guarded;

/// How connections are bounded.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// Connections open at once; one more is answered 503 and closed.
    pub max_connections: usize,
    /// Time a client has to send a request's headers, from their first byte.
    pub header_timeout: Duration,
    /// Time a connection may stay open with no request under way and no
    /// byte of the next one sent.
    pub idle_timeout: Duration,
    /// Time a client has to send a request's body, from the end of its
    /// headers; past it the request is answered 408 and the connection
    /// closed ([`crate::limits::read_body`]).
    pub body_timeout: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        Self {
            max_connections: 1024,
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(30),
            body_timeout: Duration::from_secs(30),
        }
    }
}

/// No time recorded.
const NEVER: u64 = u64::MAX;

/// What one connection is doing, shared by its socket, its service and its
/// watchdog. Times are milliseconds since `started`.
#[derive(Debug)]
struct Activity {
    started: Instant,
    /// Requests whose headers came and whose answer is not done.
    in_flight: AtomicUsize,
    /// When the last answer was done (or the connection opened).
    last_done: AtomicU64,
    /// When the first byte of the next request's headers came; [`NEVER`]
    /// while none has.
    header_began: AtomicU64,
}

impl Activity {
    fn new() -> Self {
        Self {
            started: Instant::now(),
            in_flight: AtomicUsize::new(0),
            last_done: AtomicU64::new(0),
            header_began: AtomicU64::new(NEVER),
        }
    }

    fn now(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(NEVER - 1)
    }

    /// Bytes came from the client.
    fn read_some(&self) {
        if self.in_flight.load(Ordering::Acquire) == 0 {
            let _ = self.header_began.compare_exchange(NEVER, self.now(), Ordering::AcqRel, Ordering::Acquire);
        }
    }

    /// Why the connection should be cut now, if it should.
    fn overdue(&self, limits: &ConnectionLimits) -> Option<&'static str> {
        if self.in_flight.load(Ordering::Acquire) > 0 {
            return None;
        }
        let now = self.now();
        let began = self.header_began.load(Ordering::Acquire);
        if began != NEVER {
            let waited = Duration::from_millis(now.saturating_sub(began));
            return (waited >= limits.header_timeout).then_some("its request's headers came too slowly");
        }
        let idle = Duration::from_millis(now.saturating_sub(self.last_done.load(Ordering::Acquire)));
        (idle >= limits.idle_timeout).then_some("it stayed idle")
    }
}

/// A request under way on its connection, from its complete headers until
/// its answer's body is done (it rides in the body).
struct Busy(Arc<Activity>);

impl Busy {
    fn new(activity: &Arc<Activity>) -> Self {
        activity.in_flight.fetch_add(1, Ordering::AcqRel);
        activity.header_began.store(NEVER, Ordering::Release);
        Self(Arc::clone(activity))
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.last_done.store(self.0.now(), Ordering::Release);
        self.0.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The client's socket, telling its [`Activity`] when bytes come.
struct Watched {
    stream: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let polled = Pin::new(&mut this.stream).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            this.activity.read_some();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write(cx, data)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}

/// The answer to a connection past `--max-connections`, before it is closed.
const REFUSED: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n\
Retry-After: 5\r\nConnection: close\r\nContent-Length: 69\r\n\r\n\
the server has too many open connections; try again in a few seconds\n";

/// How often each connection's watchdog looks.
const WATCH_EVERY: Duration = Duration::from_millis(250);

/// Serves `app` on `listener` until `shutdown` resolves, then lets the
/// requests under way finish (at most 30 s).
pub(crate) async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    shutdown: impl std::future::Future<Output = ()>,
) {
    let open = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let (stop_tx, stop_rx) = watch::channel(false);
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            biased;
            () = &mut shutdown => break,
            accepted = listener.accept() => accepted,
        };
        let (stream, peer) = match accepted {
            Ok(a) => a,
            // Out of file descriptors and the like: wait a little and go on.
            Err(e) => {
                access_log::note(&format!("cannot accept a connection: {e}"));
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Ok(permit) = Arc::clone(&open).try_acquire_owned() else {
            tokio::spawn(async move {
                // A fresh socket takes these few bytes at once; then it is
                // dropped, which closes it.
                if tokio::time::timeout(Duration::from_secs(1), stream.writable()).await.is_ok_and(|w| w.is_ok()) {
                    let _ = stream.try_write(REFUSED);
                }
            });
            continue;
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let stop = stop_rx.clone();
        tokio::spawn(async move {
            let _permit = permit;
            connection(stream, peer, app, limits, stop).await;
        });
    }
    drop(listener);
    let _ = stop_tx.send(true);
    // Every connection holds a permit: all of them back means all closed.
    let all = u32::try_from(limits.max_connections.max(1)).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(Duration::from_secs(30), open.acquire_many(all)).await;
}

/// Serves one connection until it closes, is cut by its watchdog, or the
/// server stops.
async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    app: Router,
    limits: ConnectionLimits,
    mut stop: watch::Receiver<bool>,
) {
    let activity = Arc::new(Activity::new());
    let seen = Arc::clone(&activity);
    let service = hyper::service::service_fn(move |mut request: hyper::Request<hyper::body::Incoming>| {
        let busy = Busy::new(&seen);
        request.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
        let app = app.clone();
        async move {
            let response = match app.oneshot(request.map(axum::body::Body::new)).await {
                Ok(response) => response,
                Err(never) => match never {},
            };
            let (parts, body) = response.into_parts();
            Ok::<_, Infallible>(axum::response::Response::from_parts(
                parts,
                axum::body::Body::new(Guarded::new(body, busy)),
            ))
        }
    });
    let io = TokioIo::new(Watched { stream, activity: Arc::clone(&activity) });
    let connection = hyper::server::conn::http1::Builder::new().keep_alive(true).serve_connection(io, service);
    tokio::pin!(connection);
    let mut ticker = tokio::time::interval(WATCH_EVERY);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut closing = false;
    loop {
        tokio::select! {
            _ = connection.as_mut() => break,
            _ = stop.changed(), if !closing => {
                closing = true;
                connection.as_mut().graceful_shutdown();
            }
            _ = ticker.tick() => {
                // Nothing is under way: dropping the connection closes it.
                if activity.overdue(&limits).is_some() {
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> ConnectionLimits {
        ConnectionLimits {
            max_connections: 1,
            header_timeout: Duration::ZERO,
            idle_timeout: Duration::from_secs(3600),
            body_timeout: Duration::from_secs(3600),
        }
    }

    #[test]
    fn a_started_header_is_overdue_only_while_no_request_is_under_way() {
        let activity = Arc::new(Activity::new());
        assert_eq!(activity.overdue(&limits()), None, "a fresh connection is not idle for an hour");
        activity.read_some();
        assert_eq!(activity.overdue(&limits()), Some("its request's headers came too slowly"));
        let busy = Busy::new(&activity);
        assert_eq!(activity.overdue(&limits()), None, "a request is under way");
        activity.read_some();
        assert_eq!(activity.overdue(&limits()), None, "bytes of a body do not start a header");
        drop(busy);
        assert_eq!(activity.overdue(&limits()), None, "answered just now");
    }

    #[test]
    fn a_connection_with_nothing_sent_is_cut_when_idle() {
        let activity = Activity::new();
        let idle = ConnectionLimits { idle_timeout: Duration::ZERO, ..limits() };
        assert_eq!(activity.overdue(&idle), Some("it stayed idle"));
    }
}
