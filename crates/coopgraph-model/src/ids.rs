//! Checked identifiers: entity and source ids, Wikidata QIDs, language tags.
//!
//! Each has a checked `new` that says what was expected, so the loader can
//! turn a refusal into a positioned error.

use std::fmt;

/// Why an identifier was refused; the text says what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct IdError(pub String);

/// Longest id, in bytes: ids become IRI segments, file names and DOT node
/// names, which must stay short.
pub const MAX_ID_BYTES: usize = 100;

fn is_slug(text: &str) -> bool {
    // Byte by byte: every allowed character is ASCII, so any byte of a
    // multi-byte character fails the test, as the character would.
    let alnum = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let bytes = text.as_bytes();
    bytes.len() <= MAX_ID_BYTES
        && bytes.first().is_some_and(alnum)
        && bytes.last().is_some_and(alnum)
        && bytes.iter().all(|b| alnum(b) || *b == b'_' || *b == b'-')
}

macro_rules! slug_id {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// Checks that `text` is a slug: lower-case ASCII letters and digits,
            /// with `_` or `-` between them.
            pub fn new(text: &str) -> Result<Self, IdError> {
                if Self::is_valid(text) {
                    Ok(Self(text.to_owned()))
                } else if text.len() > MAX_ID_BYTES {
                    Err(IdError(format!(
                        concat!($what, " of {} bytes is too long: at most {}"),
                        text.len(),
                        MAX_ID_BYTES
                    )))
                } else {
                    Err(IdError(format!(
                        concat!("malformed ", $what, " \"{}\": expected a slug of lower-case letters, digits, '_' and '-', such as \"safe_mekong\""),
                        text
                    )))
                }
            }

            /// True when `text` would be accepted by `new` (checks without allocating).
            pub fn is_valid(text: &str) -> bool {
                is_slug(text)
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
    };
}

slug_id!(
    /// The stable id of an entity (`china`, `fox_hunt_2015`); also the last
    /// segment of its IRI.
    EntityId,
    "entity id"
);
slug_id!(
    /// The id of a source document (`000`).
    SourceId,
    "source id"
);
slug_id!(
    /// The id of a measure that figures report (`suspects_arrested`).
    MeasureId,
    "measure id"
);

/// Entity ids that are refused because published IRIs use them as path
/// segments under the base (`{base}source/001`, `{base}ontology`).
pub const RESERVED_ENTITY_IDS: &[&str] =
    &["source", "statement", "figure", "measure", "graph", "ontology", "sparql", "page", "data", "search", "dumps"];

/// A Wikidata item id such as `Q148`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Qid(String);

impl Qid {
    /// True when `text` is `Q` followed by a number without leading zero
    /// (what [`Qid::new`] accepts), without building the id.
    pub fn is_valid(text: &str) -> bool {
        let digits = text.strip_prefix('Q').unwrap_or("");
        !digits.is_empty() && !digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit())
    }

    /// Checks that `text` is `Q` followed by a number without leading zero.
    pub fn new(text: &str) -> Result<Self, IdError> {
        if Self::is_valid(text) {
            Ok(Self(text.to_owned()))
        } else {
            Err(IdError(format!("malformed Wikidata id \"{text}\": expected Q followed by digits, such as \"Q148\"")))
        }
    }

    /// The QID as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Qid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A BCP 47 language tag as RDF uses it (`en`, `zh`, `zh-Hant`), kept in the
/// case it was written in.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LangTag(String);

impl LangTag {
    /// Checks the well-formedness RDF asks for: a 2-3 letter primary subtag,
    /// then subtags of 1-8 letters or digits, separated by `-`.
    pub fn new(text: &str) -> Result<Self, IdError> {
        let mut parts = text.split('-');
        let primary_ok =
            parts.next().is_some_and(|p| (2..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic()));
        let rest_ok = parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
        if primary_ok && rest_ok {
            Ok(Self(text.to_owned()))
        } else {
            Err(IdError(format!(
                "malformed language tag \"{text}\": expected a BCP 47 tag such as \"en\", \"zh\" or \"zh-Hant\""
            )))
        }
    }

    /// English.
    pub fn en() -> Self {
        Self("en".to_owned())
    }

    /// Chinese.
    pub fn zh() -> Self {
        Self("zh".to_owned())
    }

    /// The tag as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for LangTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(EntityId::new("china").is_ok());
        assert!(EntityId::new("fox_hunt_2015").is_ok());
        assert!(EntityId::new("country-000123").is_ok());
        assert!(SourceId::new("000").is_ok());
        for bad in ["", "China", "_x", "x_", "a b", "中国", "a/b"] {
            assert!(EntityId::new(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn ids_have_a_length_limit() {
        assert!(EntityId::new(&"a".repeat(MAX_ID_BYTES)).is_ok());
        let long = "a".repeat(100_000);
        assert_eq!(EntityId::new(&long).unwrap_err().to_string(), "entity id of 100000 bytes is too long: at most 100");
        assert!(!SourceId::is_valid(&long));
    }

    #[test]
    fn qids() {
        assert!(Qid::new("Q148").is_ok());
        for bad in ["", "Q", "q148", "Q0148", "P31", "Q14a"] {
            assert!(Qid::new(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn lang_tags() {
        for ok in ["en", "zh", "zh-Hant", "zh-CN", "yue"] {
            assert!(LangTag::new(ok).is_ok(), "{ok}");
        }
        for bad in ["", "e", "english", "zh_CN", "zh-", "1a"] {
            assert!(LangTag::new(bad).is_err(), "{bad:?}");
        }
    }
}
