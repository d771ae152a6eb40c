//! Endpoint URLs: checking them, adding the graph parameter, and the
//! request-target that digest authentication signs.

use crate::PublishError;

/// How the Graph Store endpoint names the graph in its query string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphParam {
    /// `graph-uri` for Virtuoso's `/sparql-graph-crud` endpoints, `graph`
    /// (the SPARQL 1.1 Graph Store Protocol's name) for everything else.
    Auto,
    /// `?graph=IRI`, the standard (Fuseki, GraphDB, Oxigraph, Stardog...).
    Graph,
    /// `?graph-uri=IRI`, Virtuoso's own name.
    GraphUri,
}

impl GraphParam {
    /// The parameter name used with the Graph Store endpoint `url`.
    pub fn name_for(self, url: &Url) -> &'static str {
        match self {
            GraphParam::Graph => "graph",
            GraphParam::GraphUri => "graph-uri",
            GraphParam::Auto if url.path().contains("sparql-graph-crud") => "graph-uri",
            GraphParam::Auto => "graph",
        }
    }
}

/// A checked http(s) URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    text: String,
    /// Byte offset of the path (after scheme and authority).
    path_start: usize,
}

impl Url {
    /// Checks `text` as an http:// or https:// URL with a host and no
    /// fragment; `what` names it in the error (such as `--endpoint`).
    pub fn parse(what: &str, text: &str) -> Result<Self, PublishError> {
        let bad = |reason: &str| PublishError::BadUrl {
            what: what.to_owned(),
            url: text.to_owned(),
            reason: reason.to_owned(),
        };
        let rest = if let Some(r) = text.strip_prefix("http://") {
            r
        } else if let Some(r) = text.strip_prefix("https://") {
            r
        } else {
            return Err(bad("it must start with http:// or https://"));
        };
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad("it contains spaces or control characters"));
        }
        if text.contains('#') {
            return Err(bad("it has a #fragment, which is never sent to a server"));
        }
        let authority_len = rest.find(['/', '?']).unwrap_or(rest.len());
        let authority = rest.get(..authority_len).unwrap_or_default();
        let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        if host.is_empty() || host.starts_with(':') {
            return Err(bad("it has no host"));
        }
        if authority.contains('@') {
            return Err(bad("it carries credentials; use --user and --password-file instead"));
        }
        if let Some((_, port)) = host.rsplit_once(':').filter(|_| !host.ends_with(']'))
            && (port.is_empty() || port.parse::<u16>().is_err())
        {
            return Err(bad(&format!("its port {port:?} is not a number from 0 to 65535")));
        }
        let path_start = text.len() - rest.len() + authority_len;
        // An empty path is sent as "/": write it so.
        let text = match text.get(path_start..) {
            Some(tail) if !tail.starts_with('/') => format!("{}/{tail}", text.get(..path_start).unwrap_or_default()),
            _ => text.to_owned(),
        };
        Ok(Self { text, path_start })
    }

    /// The URL (with "/" as the path when it had none).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The path, without the query string ("/" when empty).
    pub fn path(&self) -> &str {
        let target = self.request_target();
        target.split_once('?').map_or(target, |(p, _)| p)
    }

    /// What follows the authority: path and query string, as a request line
    /// carries it and as digest authentication signs it.
    pub fn request_target(&self) -> &str {
        self.text.get(self.path_start..).unwrap_or("/")
    }

    /// The URL with `name=value` added to its query string (the value
    /// percent-encoded).
    pub fn with_param(&self, name: &str, value: &str) -> Url {
        let separator = if self.text.contains('?') {
            if self.text.ends_with('?') || self.text.ends_with('&') { "" } else { "&" }
        } else {
            "?"
        };
        let text = format!("{}{separator}{name}={}", self.text, percent_encode(value));
        Url { text, path_start: self.path_start }
    }
}

impl std::fmt::Display for Url {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// Percent-encodes everything but the unreserved characters of RFC 3986
/// (for query-string values and form bodies).
pub fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3 / 2);
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

    use super::*;

    const G: &str = "https://w3id.org/coopgraph/source/001";

    #[test]
    fn the_graph_parameter_is_virtuoso_s_or_the_standard_one() {
        let virtuoso = Url::parse("--graph-store", "http://127.0.0.1:8890/sparql-graph-crud-auth").unwrap();
        let fuseki = Url::parse("--graph-store", "http://localhost:3030/ds/data").unwrap();
        let name = GraphParam::Auto.name_for(&virtuoso);
        assert_eq!(name, "graph-uri");
        assert_eq!(
            virtuoso.with_param(name, G).as_str(),
            "http://127.0.0.1:8890/sparql-graph-crud-auth?graph-uri=https%3A%2F%2Fw3id.org%2Fcoopgraph%2Fsource%2F001"
        );
        let name = GraphParam::Auto.name_for(&fuseki);
        assert_eq!(name, "graph");
        assert_eq!(
            fuseki.with_param(name, G).as_str(),
            "http://localhost:3030/ds/data?graph=https%3A%2F%2Fw3id.org%2Fcoopgraph%2Fsource%2F001"
        );
        assert_eq!(GraphParam::Graph.name_for(&virtuoso), "graph");
        assert_eq!(GraphParam::GraphUri.name_for(&fuseki), "graph-uri");
    }

    #[test]
    fn parameters_join_an_existing_query_string() {
        let url = Url::parse("--graph-store", "https://store.example/rdf-graphs/service?context=x").unwrap();
        assert_eq!(
            url.with_param("graph", "urn:a b").as_str(),
            "https://store.example/rdf-graphs/service?context=x&graph=urn%3Aa%20b"
        );
        let url = Url::parse("--graph-store", "https://store.example/gsp?").unwrap();
        assert_eq!(url.with_param("graph", "urn:x").as_str(), "https://store.example/gsp?graph=urn%3Ax");
    }

    #[test]
    fn the_request_target_is_path_and_query() {
        let url = Url::parse("--endpoint", "http://h:1/a/b?x=1").unwrap();
        assert_eq!(url.request_target(), "/a/b?x=1");
        assert_eq!(url.path(), "/a/b");
        let url = Url::parse("--endpoint", "http://h").unwrap();
        assert_eq!(url.request_target(), "/");
        assert_eq!(url.with_param("graph", "g").request_target(), "/?graph=g");
        let url = Url::parse("--endpoint", "http://h?x=1").unwrap();
        assert_eq!(url.request_target(), "/?x=1");
        assert_eq!(url.as_str(), "http://h/?x=1");
    }

    #[test]
    fn bad_urls_say_which_option_and_what_was_expected() {
        let message = |s: &str| Url::parse("--endpoint", s).unwrap_err().to_string();
        assert_eq!(
            message("localhost:8890/sparql"),
            "--endpoint \"localhost:8890/sparql\" is not a usable URL: it must start with http:// or https://"
        );
        assert!(message("http:///sparql").contains("it has no host"));
        assert!(message("http://h:99999/sparql").contains("its port \"99999\" is not a number"));
        assert!(message("http://u:p@h/sparql").contains("--password-file"));
        assert!(message("http://h/sparql#x").contains("fragment"));
        assert!(message("http://h/a b").contains("spaces"));
        assert!(Url::parse("--endpoint", "http://[::1]:8890/sparql").is_ok());
    }

    #[test]
    fn percent_encoding_keeps_only_unreserved_characters() {
        assert_eq!(percent_encode("a-b_c.d~e"), "a-b_c.d~e");
        assert_eq!(percent_encode("中"), "%E4%B8%AD");
        assert_eq!(percent_encode("{ ?s }"), "%7B%20%3Fs%20%7D");
    }
}
