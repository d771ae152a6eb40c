//! One log line per request on standard error:
//! `client method target status bytes duration`.

use std::io::Write as _;
use std::net::SocketAddr;
use std::time::Instant;

use axum::body::HttpBody as _;
use axum::extract::{ConnectInfo, Request};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;

/// Writes a line to standard error, ignoring a closed stream.
pub(crate) fn note(line: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{line}");
}

/// Middleware: times the request and logs it once answered.
pub(crate) async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let client = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "-".to_owned(), |ConnectInfo(a)| a.ip().to_string());
    let method = request.method().clone();
    let target = request.uri().path_and_query().map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned());
    let mut pending = HungUp { line: Some(format!("{client} {method} {}", shown(&target))), started };
    let response = next.run(request).await;
    pending.line = None;
    let bytes = response
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| response.body().size_hint().exact().map(|n| n.to_string()))
        .unwrap_or_else(|| "-".to_owned());
    note(&format!(
        "{client} {method} {} {} {bytes} {:.1}ms",
        shown(&target),
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1000.0
    ));
    response
}

/// The target as logged: its first 200 characters.
fn shown(target: &str) -> String {
    target.chars().take(200).collect()
}

/// Logs a request whose client hung up before it was answered (the server
/// then drops the request), with nginx's status for it, 499.
struct HungUp {
    /// `client method target`, until the request is answered.
    line: Option<String>,
    started: Instant,
}

impl Drop for HungUp {
    fn drop(&mut self) {
        if let Some(line) = self.line.take() {
            note(&format!("{line} 499 - {:.1}ms (the client hung up)", self.started.elapsed().as_secs_f64() * 1000.0));
        }
    }
}
