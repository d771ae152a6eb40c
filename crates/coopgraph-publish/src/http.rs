//! HTTP requests with authentication (digest or basic, answering the
//! server's challenge) and retries with backoff.

use std::time::Duration;

use crate::PublishError;
use crate::url::Url;

/// A user name and password.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The user name.
    pub user: String,
    /// The password.
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials").field("user", &self.user).field("password", &"(hidden)").finish()
    }
}

/// How often a request is tried, and how long to wait between tries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Tries in all (at least one).
    pub attempts: u32,
    /// Wait before the second try; it doubles before each further one.
    pub first_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self { attempts: 4, first_delay: Duration::from_millis(500) }
    }
}

impl RetryPolicy {
    /// The wait before try number `attempt + 1` (after `attempt` failures).
    pub fn delay(&self, attempt: u32) -> Duration {
        self.first_delay.saturating_mul(1u32 << attempt.saturating_sub(1).min(16))
    }
}

/// HTTP methods used here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Replace a graph.
    Put,
    /// Append to a graph, send an update or a query.
    Post,
}

impl Method {
    /// The method's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Put => "PUT",
            Method::Post => "POST",
        }
    }
}

/// One request.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The method.
    pub method: Method,
    /// Where to.
    pub url: &'a Url,
    /// The body's media type.
    pub content_type: &'a str,
    /// The media type wanted back, if any.
    pub accept: Option<&'a str>,
    /// The body.
    pub body: &'a [u8],
}

/// A successful answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The status code (2xx).
    pub status: u16,
    /// The body, decoded as UTF-8 (lossily).
    pub body: String,
}

/// A try that failed and will be repeated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryNotice {
    /// The request, as `METHOD URL`.
    pub request: String,
    /// What went wrong.
    pub reason: String,
    /// The try that failed (1 = the first).
    pub attempt: u32,
    /// Tries in all.
    pub attempts: u32,
    /// The wait before the next try.
    pub wait: Duration,
}

#[derive(Debug, Clone)]
enum Challenge {
    Digest(digest_auth::WwwAuthenticateHeader),
    Basic,
}

/// Longest excerpt of an error body quoted in a message.
const EXCERPT: usize = 300;

/// A body excerpt for messages: HTML tags dropped (when it is HTML),
/// whitespace squeezed, cut at [`EXCERPT`] characters.
fn excerpt(body: &str) -> String {
    let text = if body.trim_start().starts_with('<') {
        let mut text = String::new();
        let mut in_tag = false;
        for c in body.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => {
                    in_tag = false;
                    text.push(' ');
                }
                _ if !in_tag => text.push(c),
                _ => {}
            }
        }
        text
    } else {
        body.to_owned()
    };
    let squeezed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if squeezed.chars().count() > EXCERPT {
        let cut: String = squeezed.chars().take(EXCERPT).collect();
        format!("{cut}...")
    } else {
        squeezed
    }
}

fn reason(status: u16, body: &str) -> String {
    let text = excerpt(body);
    if text.is_empty() { format!("HTTP {status}") } else { format!("HTTP {status}: {text}") }
}

/// Base64 (standard alphabet, padded), for basic authentication.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let sym = |i: u32| ALPHABET.get((i & 63) as usize).map_or('=', |&b| char::from(b));
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let n = (b(0) << 16) | (b(1) << 8) | b(2);
        out.push(sym(n >> 18));
        out.push(sym(n >> 12));
        out.push(if chunk.len() > 1 { sym(n >> 6) } else { '=' });
        out.push(if chunk.len() > 2 { sym(n) } else { '=' });
    }
    out
}

/// What one try gave.
enum Outcome {
    Answer {
        status: u16,
        body: String,
        challenges: Vec<String>,
    },
    /// A transport failure worth trying again (connection refused or
    /// reset, timeout).
    Transient(String),
    /// A transport failure that another try would not mend.
    Fatal(String),
}

/// An HTTP client that authenticates when asked and retries what may pass
/// on another try.
#[derive(Debug)]
pub struct Client {
    agent: ureq::Agent,
    credentials: Option<Credentials>,
    challenge: Option<Challenge>,
    retry: RetryPolicy,
    timeout: Duration,
    requests: usize,
    retries: usize,
}

impl Client {
    /// A client; `timeout` bounds each request as a whole.
    pub fn new(credentials: Option<Credentials>, retry: RetryPolicy, timeout: Duration) -> Self {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(timeout))
            .user_agent(concat!("coopgraph/", env!("CARGO_PKG_VERSION")))
            .build();
        Self { agent: config.into(), credentials, challenge: None, retry, timeout, requests: 0, retries: 0 }
    }

    /// Requests answered (successful ones).
    pub fn requests(&self) -> usize {
        self.requests
    }

    /// Tries repeated after a failure.
    pub fn retries(&self) -> usize {
        self.retries
    }

    fn authorization(&mut self, req: &Request<'_>) -> Result<Option<String>, PublishError> {
        let (Some(credentials), Some(challenge)) = (&self.credentials, &mut self.challenge) else {
            return Ok(None);
        };
        match challenge {
            Challenge::Basic => Ok(Some(format!(
                "Basic {}",
                base64(format!("{}:{}", credentials.user, credentials.password).as_bytes())
            ))),
            Challenge::Digest(header) => {
                let context = digest_auth::AuthContext::new_with_method(
                    credentials.user.as_str(),
                    credentials.password.as_str(),
                    req.url.request_target(),
                    Some(req.body),
                    digest_auth::HttpMethod(req.method.as_str().into()),
                );
                let answer = header.respond(&context).map_err(|e| PublishError::Auth {
                    url: req.url.to_string(),
                    message: format!("cannot answer its digest challenge: {e}"),
                })?;
                Ok(Some(answer.to_header_string()))
            }
        }
    }

    fn try_once(&self, req: &Request<'_>, authorization: Option<&str>) -> Outcome {
        let url = req.url.as_str();
        let mut builder = match req.method {
            Method::Put => self.agent.put(url),
            Method::Post => self.agent.post(url),
        }
        .header("Content-Type", req.content_type);
        if let Some(accept) = req.accept {
            builder = builder.header("Accept", accept);
        }
        if let Some(a) = authorization {
            builder = builder.header("Authorization", a);
        }
        match builder.send(req.body) {
            Ok(mut response) => {
                let status = response.status().as_u16();
                let challenges = response
                    .headers()
                    .get_all("www-authenticate")
                    .iter()
                    .filter_map(|v| v.to_str().ok().map(str::to_owned))
                    .collect();
                let body = match response.body_mut().with_config().limit(64 * 1024 * 1024).read_to_vec() {
                    Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                    Err(e) if (200..300).contains(&status) => {
                        return Outcome::Transient(format!("the answer could not be read: {e}"));
                    }
                    Err(_) => String::new(),
                };
                Outcome::Answer { status, body, challenges }
            }
            Err(e) => match e {
                ureq::Error::Timeout(_) => Outcome::Transient(format!(
                    "no complete answer within {} s (see --timeout)",
                    self.timeout.as_secs_f64()
                )),
                ureq::Error::Io(_)
                | ureq::Error::ConnectionFailed
                | ureq::Error::HostNotFound
                | ureq::Error::Protocol(_) => Outcome::Transient(e.to_string()),
                other => Outcome::Fatal(other.to_string()),
            },
        }
    }

    /// Sends `req`, answering an authentication challenge once, and trying
    /// again (up to the policy's attempts, with growing waits) after
    /// connection failures, timeouts, 5xx and 429 answers. `on_retry` hears
    /// of each failed try before the wait.
    pub fn send(&mut self, req: &Request<'_>, on_retry: &mut dyn FnMut(&RetryNotice)) -> Result<Answer, PublishError> {
        let what = format!("{} {}", req.method.as_str(), req.url);
        let attempts = self.retry.attempts.max(1);
        let mut attempt = 1;
        let mut answered_challenge = false;
        loop {
            let authorization = self.authorization(req)?;
            let failure = match self.try_once(req, authorization.as_deref()) {
                Outcome::Answer { status, body, .. } if (200..300).contains(&status) => {
                    self.requests += 1;
                    return Ok(Answer { status, body });
                }
                Outcome::Answer { status: 401, challenges, .. } => {
                    let Some(credentials) = &self.credentials else {
                        return Err(PublishError::Unauthorized { url: req.url.to_string(), user: None });
                    };
                    if answered_challenge {
                        return Err(PublishError::Unauthorized {
                            url: req.url.to_string(),
                            user: Some(credentials.user.clone()),
                        });
                    }
                    self.challenge = Some(parse_challenge(req.url, &challenges)?);
                    answered_challenge = true;
                    continue;
                }
                Outcome::Answer { status, body, .. } if status >= 500 || status == 429 => reason(status, &body),
                Outcome::Answer { status, body, .. } => {
                    return Err(PublishError::Refused { request: what, status, message: excerpt(&body) });
                }
                Outcome::Transient(message) => message,
                Outcome::Fatal(message) => return Err(PublishError::Transport { request: what, message }),
            };
            if attempt >= attempts {
                return Err(PublishError::GaveUp { request: what, attempts, last: failure });
            }
            let wait = self.retry.delay(attempt);
            on_retry(&RetryNotice { request: what.clone(), reason: failure, attempt, attempts, wait });
            std::thread::sleep(wait);
            self.retries += 1;
            attempt += 1;
        }
    }
}

/// The challenge to answer among a 401's `WWW-Authenticate` headers:
/// digest if offered, else basic.
fn parse_challenge(url: &Url, headers: &[String]) -> Result<Challenge, PublishError> {
    let scheme = |h: &str| h.split_whitespace().next().unwrap_or_default().to_ascii_lowercase();
    if let Some(h) = headers.iter().find(|h| scheme(h) == "digest") {
        return digest_auth::parse(h).map(Challenge::Digest).map_err(|e| PublishError::Auth {
            url: url.to_string(),
            message: format!("its digest challenge {h:?} is malformed: {e}"),
        });
    }
    if headers.iter().any(|h| scheme(h) == "basic") {
        return Ok(Challenge::Basic);
    }
    Err(PublishError::Auth {
        url: url.to_string(),
        message: if headers.is_empty() {
            "it answered 401 without a WWW-Authenticate header; expected a Digest or Basic challenge".to_owned()
        } else {
            format!("it asks for {}; only Digest and Basic authentication are supported", headers.join(", "))
        },
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

    use super::*;

    #[test]
    fn base64_matches_rfc_4648_examples() {
        let cases =
            [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("foobar", "Zm9vYmFy")];
        for (plain, encoded) in cases {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
        assert_eq!(base64(b"Aladdin:open sesame"), "QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
    }

    #[test]
    fn waits_double() {
        let policy = RetryPolicy { attempts: 4, first_delay: Duration::from_millis(100) };
        let waits: Vec<u128> = (1..4).map(|a| policy.delay(a).as_millis()).collect();
        assert_eq!(waits, [100, 200, 400]);
    }

    #[test]
    fn error_bodies_are_quoted_as_short_text() {
        assert_eq!(
            excerpt("<html><body><h3>Error 42000</h3>\n<xmp>SQ110: Permission denied</xmp></body></html>"),
            "Error 42000 SQ110: Permission denied"
        );
        assert!(excerpt(&"x".repeat(1000)).ends_with("..."));
        assert_eq!(reason(503, ""), "HTTP 503");
        assert_eq!(
            excerpt("Virtuoso 37000 Error SP031: in INSERT DATA { GRAPH <urn:g> {"),
            "Virtuoso 37000 Error SP031: in INSERT DATA { GRAPH <urn:g> {",
            "plain text keeps its angle brackets"
        );
    }

    #[test]
    fn challenges_prefer_digest_and_say_what_is_unsupported() {
        let url = Url::parse("--graph-store", "http://h/g").unwrap();
        let digest = r#"Digest realm="SPARQL", nonce="abc", qop="auth", algorithm="MD5""#;
        assert!(matches!(
            parse_challenge(&url, &["Basic realm=\"x\"".to_owned(), digest.to_owned()]),
            Ok(Challenge::Digest(_))
        ));
        assert!(matches!(parse_challenge(&url, &["Basic realm=\"x\"".to_owned()]), Ok(Challenge::Basic)));
        let e = parse_challenge(&url, &["Bearer realm=\"x\"".to_owned()]).unwrap_err().to_string();
        assert!(e.contains("only Digest and Basic"), "{e}");
        let e = parse_challenge(&url, &[]).unwrap_err().to_string();
        assert!(e.contains("without a WWW-Authenticate header"), "{e}");
    }
}
