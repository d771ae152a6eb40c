//! Errors: the server's own ([`ServeError`]) and HTTP answers to bad requests.

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// Binding the socket or starting the runtime failed.
    #[error("{0}")]
    Start(String),
    /// Reading the store at start-up failed.
    #[error("{0}")]
    Store(String),
}

impl From<coopgraph_rdf::RdfError> for ServeError {
    fn from(e: coopgraph_rdf::RdfError) -> Self {
        ServeError::Store(e.to_string())
    }
}

/// An HTTP error answer: a status and a message for people.
#[derive(Debug)]
pub(crate) struct HttpError {
    pub(crate) status: StatusCode,
    pub(crate) message: String,
    /// Render as an HTML page (the client asked for HTML).
    pub(crate) html: bool,
}

impl HttpError {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self { status, message: message.into(), html: false }
    }

    /// The same error, as a page when the request came from a browser.
    pub(crate) fn for_request(mut self, headers: &HeaderMap) -> Self {
        self.html = wants_html(headers);
        self
    }
}

/// True when the client lists `text/html` with a weight above zero (a browser).
pub(crate) fn wants_html(headers: &HeaderMap) -> bool {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    accept.is_some_and(|a| crate::negotiate::choose(Some(a), &["text/html"]).is_ok() && a.contains("text/html"))
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        if self.html {
            let page = crate::templates::error_page(self.status, &self.message);
            return (self.status, axum::response::Html(page.into_string())).into_response();
        }
        let mut body = self.message;
        body.push('\n');
        (self.status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
    }
}

impl From<coopgraph_rdf::RdfError> for HttpError {
    fn from(e: coopgraph_rdf::RdfError) -> Self {
        HttpError::new(status_of(e.kind()), e.to_string())
    }
}

/// The HTTP status of each kind of error of the RDF layer.
pub(crate) fn status_of(kind: coopgraph_rdf::ErrorKind) -> StatusCode {
    use coopgraph_rdf::ErrorKind;
    match kind {
        ErrorKind::Syntax | ErrorKind::Unsupported | ErrorKind::Usage | ErrorKind::Evaluation => {
            StatusCode::BAD_REQUEST
        }
        ErrorKind::Refused => StatusCode::FORBIDDEN,
        // The server is busy with this query no longer; another may pass.
        ErrorKind::Timeout => StatusCode::SERVICE_UNAVAILABLE,
        ErrorKind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorKind::Io | ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The answer to a path nothing serves.
pub(crate) async fn not_found(headers: HeaderMap) -> Response {
    HttpError::new(StatusCode::NOT_FOUND, "nothing is published at this address").for_request(&headers).into_response()
}

#[cfg(test)]
mod tests {
    use coopgraph_rdf::{ErrorKind, RdfError, Span};

    use super::*;

    #[test]
    fn each_kind_of_error_has_its_status() {
        let syntax = RdfError::Syntax { origin: "query".into(), span: Some(Span::at(1, 8)), message: "bad".into() };
        for (e, status, kind) in [
            (syntax, 400, ErrorKind::Syntax),
            (RdfError::Unsupported("sh:flags".into()), 400, ErrorKind::Unsupported),
            (RdfError::Usage("no parameter".into()), 400, ErrorKind::Usage),
            (RdfError::Query("query failed".into()), 400, ErrorKind::Evaluation),
            (RdfError::Refused("SERVICE refused".into()), 403, ErrorKind::Refused),
            (RdfError::Timeout(std::time::Duration::from_secs(1)), 503, ErrorKind::Timeout),
            (RdfError::SortTooLarge(10), 413, ErrorKind::TooLarge),
            (RdfError::Io("disk".into()), 500, ErrorKind::Io),
            (RdfError::Store("rocksdb".into()), 500, ErrorKind::Io),
            (RdfError::Internal("panic".into()), 500, ErrorKind::Internal),
        ] {
            assert_eq!(e.kind(), kind, "{e}");
            assert_eq!(HttpError::from(e).status.as_u16(), status, "{kind:?}");
        }
    }
}
