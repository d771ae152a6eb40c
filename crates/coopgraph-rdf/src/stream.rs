//! Streaming N-Triples for tables too large to hold: rows in, lines out,
//! nothing kept. Writes the plain mapping (entity types, labels, Wikidata
//! links, direct relation triples), which is the benchmark's canonical
//! mapping when the namespaces are its own.

use std::io::Write;

use coopgraph_model::schema::{EntityKind, RelationType};

use crate::namespaces::Namespaces;
use crate::vocab::{OWL, RDF, RDFS, WD};

/// Writes N-Triples lines for entity and relation rows.
#[derive(Debug)]
pub struct NTriplesStream<W: Write> {
    out: W,
    base: String,
    vocab: String,
    triples: u64,
}

fn escape_into(out: &mut Vec<u8>, text: &str) {
    for &b in text.as_bytes() {
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.push(b),
        }
    }
}

impl<W: Write> NTriplesStream<W> {
    /// A stream writing to `out` with the IRIs of `ns`.
    pub fn new(out: W, ns: &Namespaces) -> Self {
        Self { out, base: ns.base().to_owned(), vocab: ns.vocab().to_owned(), triples: 0 }
    }

    /// Triples written so far.
    pub fn triples(&self) -> u64 {
        self.triples
    }

    fn iri(&self, line: &mut Vec<u8>, ns: &str, local: &str) {
        line.push(b'<');
        line.extend_from_slice(ns.as_bytes());
        line.extend_from_slice(local.as_bytes());
        line.push(b'>');
    }

    /// Writes one entity: type, English and Chinese labels, Wikidata link.
    pub fn entity(
        &mut self,
        id: &str,
        kind: EntityKind,
        label_en: &str,
        label_zh: &str,
        wikidata: Option<&str>,
    ) -> std::io::Result<()> {
        let mut line = Vec::with_capacity(512);
        let mut subject = Vec::with_capacity(64);
        self.iri(&mut subject, &self.base, id);
        subject.push(b' ');
        line.extend_from_slice(&subject);
        self.iri(&mut line, RDF, "type");
        line.push(b' ');
        self.iri(&mut line, &self.vocab, kind.spec().class_name);
        line.extend_from_slice(b" .\n");
        for (text, lang) in [(label_en, "en"), (label_zh, "zh")] {
            if text.is_empty() {
                continue;
            }
            line.extend_from_slice(&subject);
            self.iri(&mut line, RDFS, "label");
            line.extend_from_slice(b" \"");
            escape_into(&mut line, text);
            line.extend_from_slice(b"\"@");
            line.extend_from_slice(lang.as_bytes());
            line.extend_from_slice(b" .\n");
            self.triples += 1;
        }
        if let Some(q) = wikidata {
            line.extend_from_slice(&subject);
            self.iri(&mut line, OWL, "sameAs");
            line.push(b' ');
            self.iri(&mut line, WD, q);
            line.extend_from_slice(b" .\n");
            self.triples += 1;
        }
        self.triples += 1;
        self.out.write_all(&line)
    }

    /// Writes one relation's direct triple.
    pub fn relation(&mut self, subject: &str, relation_type: &RelationType, object: &str) -> std::io::Result<()> {
        let mut line = Vec::with_capacity(160);
        self.iri(&mut line, &self.base, subject);
        line.push(b' ');
        self.iri(&mut line, &self.vocab, relation_type.property);
        line.push(b' ');
        self.iri(&mut line, &self.base, object);
        line.extend_from_slice(b" .\n");
        self.triples += 1;
        self.out.write_all(&line)
    }

    /// Flushes and gives the writer back.
    pub fn finish(mut self) -> std::io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_canonical_ntriples() {
        let ns = Namespaces::new("https://example.org/kg/", "https://example.org/kg/ontology#").unwrap();
        let mut s = NTriplesStream::new(Vec::new(), &ns);
        s.entity("country-000009", EntityKind::Country, "Kalostan (officially \"Kalostan Union\")", "卡奥斯坦", None)
            .unwrap();
        s.relation("country-000009", RelationType::from_name("member_of").unwrap(), "organization-000001").unwrap();
        assert_eq!(s.triples(), 4);
        let text = String::from_utf8(s.finish().unwrap()).unwrap();
        assert_eq!(
            text,
            "<https://example.org/kg/country-000009> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://example.org/kg/ontology#Country> .\n\
             <https://example.org/kg/country-000009> <http://www.w3.org/2000/01/rdf-schema#label> \"Kalostan (officially \\\"Kalostan Union\\\")\"@en .\n\
             <https://example.org/kg/country-000009> <http://www.w3.org/2000/01/rdf-schema#label> \"卡奥斯坦\"@zh .\n\
             <https://example.org/kg/country-000009> <https://example.org/kg/ontology#memberOf> <https://example.org/kg/organization-000001> .\n"
        );
    }
}
