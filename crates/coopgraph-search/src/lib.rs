//! The full-text index behind `coopgraph serve`'s search: every label and
//! alias of every entity, in every language, in a [tantivy] index.
//!
//! Index and query text go through one rule, [`normalize`] (the folding of
//! `coopgraph-text`, then single spaces), so that `ＳＣＯ`, `sco` and `SCO`,
//! or `聯合國` and `联合国`, find the same entity. Each name is indexed three
//! ways: whole (for exact and prefix matches), as words (split at anything
//! that is not a letter or digit), and as character n-grams of up to
//! [`GRAM`] characters with their positions (for substrings, which is how
//! Chinese, written without spaces, is matched).
//!
//! A search ranks its hits in four [`Tier`]s: a name equal to the query,
//! then a name starting with it, then names holding every word of it (the
//! last word may be the start of a word, as one types), then a name holding
//! it anywhere. Within a tier, hits are ordered by their label in the
//! preferred language (folded), then by IRI, so pages are stable and
//! totals exact. Queries are built from terms by this crate; user text never
//! reaches tantivy's query parser, so its syntax characters mean nothing.
//!
//! ```
//! use coopgraph_search::{LangText, Record, SearchIndex, Tier};
//!
//! let record = |id: &str, en: &str, zh: &str| Record {
//!     iri: format!("https://example.org/{id}"),
//!     id: id.to_owned(),
//!     kind: "organization".to_owned(),
//!     labels: vec![LangText::new("en", en), LangText::new("zh", zh)],
//!     aliases: vec![],
//! };
//! let index = SearchIndex::in_ram(vec![
//!     record("un", "United Nations", "联合国"),
//!     record("unodc", "United Nations Office on Drugs and Crime", "联合国毒品和犯罪问题办公室"),
//! ])?;
//! let page = index.search("聯合國", "en", 0, 10)?;
//! assert_eq!(page.total, 2);
//! let first = page.hits.first().map(|hit| (hit.record.id.as_str(), hit.tier));
//! assert_eq!(first, Some(("un", Tier::Exact)));
//! # Ok::<(), coopgraph_search::SearchError>(())
//! ```
#![deny(missing_docs)]

use std::collections::BTreeSet;
use std::ops::Bound;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::indexer::NoMergePolicy;
use tantivy::query::{BooleanQuery, EmptyQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions, Value};
use tantivy::tokenizer::{PreTokenizedString, Token};
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, TantivyDocument, Term};

/// The longest character n-gram indexed; longer substrings are matched as
/// phrases of n-grams.
pub const GRAM: usize = 3;

/// Queries are cut to this many characters (after folding).
pub const MAX_QUERY_CHARS: usize = 200;

/// The most hits one page returns; a larger limit is cut to it.
pub const MAX_LIMIT: usize = 1000;

/// The languages whose label orders hits within a tier; a search in another
/// language orders by English labels.
pub const SORT_LANGUAGES: [&str; 2] = ["en", "zh"];

/// Memory for the index writer (one thread, so documents keep record order).
const WRITER_MEMORY: usize = 128 * 1024 * 1024;

/// Separates the folded label from the IRI in a sort key; sorts before any
/// character a label holds after normalization.
const SORT_SEPARATOR: char = '\u{1}';

/// A text in a language: a label or an alias.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LangText {
    /// The BCP 47 language tag (`en`, `zh`), empty for a plain string.
    pub lang: String,
    /// The text as written.
    pub text: String,
}

impl LangText {
    /// A text in `lang`.
    pub fn new(lang: &str, text: &str) -> Self {
        Self { lang: lang.to_owned(), text: text.to_owned() }
    }
}

/// One entity as the index holds it, and as a hit returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// The entity's IRI (unique in an index).
    pub iri: String,
    /// The entity's local id, as `/page/ID` names it.
    pub id: String,
    /// The entity's kind (`country`, `organization`, ...).
    pub kind: String,
    /// Its labels, at most one per language by convention.
    pub labels: Vec<LangText>,
    /// Its aliases.
    pub aliases: Vec<LangText>,
}

impl Record {
    /// The label in `lang`, else the English one, else the first; `None`
    /// when the entity has no label.
    pub fn label(&self, lang: &str) -> Option<&str> {
        self.label_in(lang).or_else(|| self.label_in("en")).or_else(|| self.labels.first().map(|l| l.text.as_str()))
    }

    /// The label in exactly `lang`.
    pub fn label_in(&self, lang: &str) -> Option<&str> {
        self.labels.iter().find(|l| l.lang == lang).map(|l| l.text.as_str())
    }

    /// Every label and alias, normalized, without repeats.
    fn names(&self) -> BTreeSet<String> {
        self.labels.iter().chain(&self.aliases).map(|t| normalize(&t.text)).filter(|n| !n.is_empty()).collect()
    }

    /// The key that orders hits of one tier for a search in `lang`.
    fn sort_key(&self, lang: &str) -> String {
        let label = self.label(lang).map(normalize).unwrap_or_else(|| normalize(&self.id));
        format!("{label}{SORT_SEPARATOR}{}", self.iri)
    }
}

/// How a hit matched the query; hits are ranked in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    /// A label or alias equals the query.
    Exact,
    /// A label or alias starts with the query.
    Prefix,
    /// The names hold every word of the query (the last as a word's start).
    Word,
    /// A label or alias holds the query somewhere.
    Substring,
}

impl Tier {
    /// Every tier, best first.
    pub const ALL: [Tier; 4] = [Tier::Exact, Tier::Prefix, Tier::Word, Tier::Substring];

    /// The tier's name, as the JSON form of a hit gives it.
    pub fn name(self) -> &'static str {
        match self {
            Tier::Exact => "exact",
            Tier::Prefix => "prefix",
            Tier::Word => "word",
            Tier::Substring => "substring",
        }
    }
}

/// One hit: the entity and how it matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// The entity.
    pub record: Record,
    /// How it matched.
    pub tier: Tier,
}

/// One page of hits and the number of hits in all.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchPage {
    /// How many entities match, over every page.
    pub total: usize,
    /// The hits of the page asked for, best first.
    pub hits: Vec<Hit>,
}

/// What can go wrong building, opening or reading an index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// Tantivy failed (I/O, a damaged or foreign index).
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// The index folder could not be made.
    #[error("search index {}: {source}", path.display())]
    Io {
        /// The folder.
        path: PathBuf,
        /// What failed.
        source: std::io::Error,
    },
    /// The index lacks a field this version needs: it was written by
    /// another version.
    #[error("search index: no field {0:?}; rebuild the store to rebuild its index")]
    MissingField(&'static str),
    /// A stored record does not read back.
    #[error("search index: damaged record: {0}")]
    Record(#[from] serde_json::Error),
}

/// Folds `text` for matching (NFKC, lower case, simplified Chinese; see
/// `coopgraph_text::fold`), with runs of white space made one space and none
/// at the ends. Index and query text both go through it.
pub fn normalize(text: &str) -> String {
    let folded = coopgraph_text::fold(text);
    let mut out = String::with_capacity(folded.len());
    for word in folded.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The words of a normalized text: runs of letters and digits.
fn words(normalized: &str) -> impl Iterator<Item = &str> {
    normalized.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty())
}

/// The n-gram tokens of one normalized name: at each character position,
/// the grams of 1 to [`GRAM`] characters that start there, all at that
/// position, so that a substring longer than [`GRAM`] is a phrase.
fn gram_tokens(name: &str) -> PreTokenizedString {
    let starts: Vec<usize> = name.char_indices().map(|(i, _)| i).chain(std::iter::once(name.len())).collect();
    let mut tokens = Vec::new();
    for (position, from) in starts.iter().enumerate() {
        for to in starts.iter().skip(position + 1).take(GRAM) {
            if let Some(text) = name.get(*from..*to) {
                tokens.push(Token {
                    offset_from: *from,
                    offset_to: *to,
                    position,
                    text: text.to_owned(),
                    position_length: 1,
                });
            }
        }
    }
    PreTokenizedString { text: name.to_owned(), tokens }
}

/// The word tokens of one normalized name.
fn word_tokens(name: &str) -> PreTokenizedString {
    let tokens = words(name)
        .enumerate()
        .map(|(position, word)| Token {
            offset_from: 0,
            offset_to: 0,
            position,
            text: word.to_owned(),
            position_length: 1,
        })
        .collect();
    PreTokenizedString { text: name.to_owned(), tokens }
}

/// The fields of the index's schema.
#[derive(Debug, Clone, Copy)]
struct Fields {
    /// The record as JSON (stored only).
    record: Field,
    /// Each whole name (raw terms).
    exact: Field,
    /// The words of the names.
    words: Field,
    /// The n-grams of the names, with positions.
    grams: Field,
    /// One sort key per language of [`SORT_LANGUAGES`] (fast fields).
    sort: [Field; 2],
    /// The record's kind (a raw term), for searches of some kinds; `None`
    /// in an index written before the field existed.
    kind: Option<Field>,
}

const RECORD: &str = "record";
const EXACT: &str = "exact";
const WORDS: &str = "words";
const GRAMS: &str = "grams";
const SORT_FIELDS: [&str; 2] = ["sort_en", "sort_zh"];
const KIND: &str = "kind";

impl Fields {
    fn schema() -> (Schema, Fields) {
        let mut builder = Schema::builder();
        let record = builder.add_text_field(RECORD, TextOptions::default().set_stored());
        let exact = builder.add_text_field(EXACT, STRING);
        let words = builder.add_text_field(
            WORDS,
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default().set_tokenizer("raw").set_index_option(IndexRecordOption::Basic),
            ),
        );
        let grams = builder.add_text_field(
            GRAMS,
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer("raw")
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            ),
        );
        let sort = SORT_FIELDS.map(|name| builder.add_text_field(name, TextOptions::default().set_fast("raw")));
        let kind = Some(builder.add_text_field(KIND, STRING));
        (builder.build(), Fields { record, exact, words, grams, sort, kind })
    }

    fn of(schema: &Schema) -> Result<Fields, SearchError> {
        let get = |name: &'static str| schema.get_field(name).map_err(|_| SearchError::MissingField(name));
        let [en, zh] = SORT_FIELDS;
        Ok(Fields {
            record: get(RECORD)?,
            exact: get(EXACT)?,
            words: get(WORDS)?,
            grams: get(GRAMS)?,
            sort: [get(en)?, get(zh)?],
            kind: schema.get_field(KIND).ok(),
        })
    }

    fn document(&self, record: &Record) -> Result<TantivyDocument, SearchError> {
        let mut doc = TantivyDocument::default();
        doc.add_text(self.record, serde_json::to_string(record)?);
        for name in record.names() {
            doc.add_text(self.exact, &name);
            doc.add_pre_tokenized_text(self.words, word_tokens(&name));
            doc.add_pre_tokenized_text(self.grams, gram_tokens(&name));
        }
        for (field, lang) in self.sort.iter().zip(SORT_LANGUAGES) {
            doc.add_text(*field, record.sort_key(lang));
        }
        if let Some(kind) = self.kind {
            doc.add_text(kind, &record.kind);
        }
        Ok(doc)
    }
}

/// A search index, on disk or in memory, open for reading.
#[derive(Clone)]
pub struct SearchIndex {
    reader: IndexReader,
    fields: Fields,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").field("documents", &self.len()).finish()
    }
}

impl SearchIndex {
    /// Writes an index of `records` into the folder `dir` (made if missing;
    /// it must not hold an index yet) and opens it.
    ///
    /// One writer thread adds the records in their order and the segments
    /// are merged into one, so the same records give the same documents in
    /// the same order and the same answers (tantivy names its segment files
    /// at random, so the files differ from run to run).
    pub fn build<I>(dir: &Path, records: I) -> Result<Self, SearchError>
    where
        I: IntoIterator<Item = Record>,
    {
        std::fs::create_dir_all(dir).map_err(|source| SearchError::Io { path: dir.to_owned(), source })?;
        let (schema, fields) = Fields::schema();
        let index = Index::create_in_dir(dir, schema)?;
        write(&index, fields, records)?;
        Self::from_index(&index)
    }

    /// The same index, held in memory (for `serve --memory`, and tests).
    pub fn in_ram<I>(records: I) -> Result<Self, SearchError>
    where
        I: IntoIterator<Item = Record>,
    {
        let (schema, fields) = Fields::schema();
        let index = Index::create_in_ram(schema);
        write(&index, fields, records)?;
        Self::from_index(&index)
    }

    /// Opens the index that [`SearchIndex::build`] wrote in `dir`.
    pub fn open(dir: &Path) -> Result<Self, SearchError> {
        let index = Index::open_in_dir(dir)?;
        Self::from_index(&index)
    }

    fn from_index(index: &Index) -> Result<Self, SearchError> {
        let fields = Fields::of(&index.schema())?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(Self { reader, fields })
    }

    /// The number of entities indexed.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Whether no entity is indexed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the index can search entities of some kinds only
    /// ([`SearchIndex::search_kinds`]); indexes written before that could
    /// not.
    pub fn has_kinds(&self) -> bool {
        self.fields.kind.is_some()
    }

    /// The hits `offset..offset + limit` of `query`, ranked by [`Tier`] and
    /// then by label in `lang` (see [`SORT_LANGUAGES`]) and IRI, with the
    /// number of hits in all. `limit` is cut to [`MAX_LIMIT`]. A query that
    /// is empty after folding matches nothing. Any text is a valid query.
    pub fn search(&self, query: &str, lang: &str, offset: usize, limit: usize) -> Result<SearchPage, SearchError> {
        self.search_kinds(query, lang, &[], offset, limit)
    }

    /// The same search among the entities of `kinds` only (the records'
    /// `kind`, as `country`); no kinds: every entity. The filter is a term
    /// of the index, so a page costs the same whatever the kinds hold.
    /// An index without kinds ([`SearchIndex::has_kinds`]) answers
    /// [`SearchError::MissingField`] when kinds are given.
    pub fn search_kinds(
        &self,
        query: &str,
        lang: &str,
        kinds: &[&str],
        offset: usize,
        limit: usize,
    ) -> Result<SearchPage, SearchError> {
        let query: String = normalize(query).chars().take(MAX_QUERY_CHARS).collect();
        let query = query.trim_end();
        if query.is_empty() {
            return Ok(SearchPage::default());
        }
        let [english, _] = SORT_FIELDS;
        let sort_field = SORT_LANGUAGES.iter().zip(SORT_FIELDS).find(|(l, _)| **l == lang).map_or(english, |(_, f)| f);
        let searcher = self.reader.searcher();
        let tiers = self.tier_queries(query);
        let kind_filter: Option<Box<dyn Query>> = match (kinds, self.fields.kind) {
            ([], _) => None,
            (_, None) => return Err(SearchError::MissingField(KIND)),
            (kinds, Some(field)) => Some(Box::new(BooleanQuery::new(
                kinds
                    .iter()
                    .map(|k| {
                        let term = TermQuery::new(Term::from_field_text(field, k), IndexRecordOption::Basic);
                        (Occur::Should, Box::new(term) as Box<dyn Query>)
                    })
                    .collect(),
            ))),
        };
        let mut page = SearchPage::default();
        let limit = limit.min(MAX_LIMIT);
        let documents = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
        let (mut skip, mut take) = (offset, limit);
        for (k, (tier, matches)) in tiers.iter().enumerate() {
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, matches.box_clone())];
            clauses.extend(tiers.iter().take(k).map(|(_, better)| (Occur::MustNot, better.box_clone())));
            clauses.extend(kind_filter.iter().map(|filter| (Occur::Must, filter.box_clone())));
            let tier_query = BooleanQuery::new(clauses);
            let count = if take == 0 || skip >= documents {
                searcher.search(&tier_query, &Count)?
            } else {
                let top = TopDocs::with_limit(take).and_offset(skip).order_by_string_fast_field(sort_field, Order::Asc);
                let (count, docs) = searcher.search(&tier_query, &(Count, top))?;
                for (_, address) in docs {
                    page.hits.push(Hit { record: self.record(&searcher, address)?, tier: *tier });
                }
                count
            };
            page.total += count;
            skip = skip.saturating_sub(count);
            take = limit.saturating_sub(page.hits.len());
        }
        Ok(page)
    }

    fn record(&self, searcher: &tantivy::Searcher, address: DocAddress) -> Result<Record, SearchError> {
        let doc: TantivyDocument = searcher.doc(address)?;
        let json = doc.get_first(self.fields.record).and_then(|v| v.as_str()).unwrap_or_default();
        Ok(serde_json::from_str(json)?)
    }

    /// The query of each tier, on its own (the search excludes the better
    /// tiers from each).
    fn tier_queries(&self, query: &str) -> [(Tier, Box<dyn Query>); 4] {
        let f = self.fields;
        let exact: Box<dyn Query> =
            Box::new(TermQuery::new(Term::from_field_text(f.exact, query), IndexRecordOption::Basic));
        let prefix = prefix_query(f.exact, query);
        let query_words: Vec<&str> = words(query).collect();
        let word: Box<dyn Query> = match query_words.split_last() {
            None => Box::new(EmptyQuery),
            Some((last, rest)) => {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = rest
                    .iter()
                    .map(|w| {
                        let term = TermQuery::new(Term::from_field_text(f.words, w), IndexRecordOption::Basic);
                        (Occur::Must, Box::new(term) as Box<dyn Query>)
                    })
                    .collect();
                clauses.push((Occur::Must, prefix_query(f.words, last)));
                Box::new(BooleanQuery::new(clauses))
            }
        };
        let substring = substring_query(f.grams, query);
        [(Tier::Exact, exact), (Tier::Prefix, prefix), (Tier::Word, word), (Tier::Substring, substring)]
    }
}

/// The terms of `field` that start with `prefix`: from `prefix` itself up to
/// `prefix` followed by the last code point (a noncharacter, never in a
/// label).
fn prefix_query(field: Field, prefix: &str) -> Box<dyn Query> {
    let upper = format!("{prefix}{}", char::MAX);
    Box::new(RangeQuery::new(
        Bound::Included(Term::from_field_text(field, prefix)),
        Bound::Included(Term::from_field_text(field, &upper)),
    ))
}

/// The names that hold `query`: one n-gram term when it is short, else a
/// phrase of n-grams that covers it (at offsets 0, GRAM, 2·GRAM, ... and the
/// last GRAM characters).
fn substring_query(field: Field, query: &str) -> Box<dyn Query> {
    let starts: Vec<usize> = query.char_indices().map(|(i, _)| i).chain(std::iter::once(query.len())).collect();
    let chars = starts.len().saturating_sub(1);
    if chars <= GRAM {
        return Box::new(TermQuery::new(Term::from_field_text(field, query), IndexRecordOption::Basic));
    }
    let last = chars - GRAM;
    let offsets: BTreeSet<usize> = (0..last).step_by(GRAM).chain(std::iter::once(last)).collect();
    let terms: Vec<(usize, Term)> = offsets
        .into_iter()
        .filter_map(|at| {
            let from = *starts.get(at)?;
            let to = *starts.get(at + GRAM)?;
            Some((at, Term::from_field_text(field, query.get(from..to)?)))
        })
        .collect();
    if terms.len() < 2 {
        // Cannot happen for a query longer than GRAM; a phrase of one term
        // would panic in tantivy.
        return Box::new(EmptyQuery);
    }
    Box::new(PhraseQuery::new_with_offset(terms))
}

/// Adds `records` with one writer thread and merges the segments into one.
fn write<I>(index: &Index, fields: Fields, records: I) -> Result<(), SearchError>
where
    I: IntoIterator<Item = Record>,
{
    let mut writer: IndexWriter<TantivyDocument> = index.writer_with_num_threads(1, WRITER_MEMORY)?;
    writer.set_merge_policy(Box::new(NoMergePolicy));
    for record in records {
        writer.add_document(fields.document(&record)?)?;
    }
    writer.commit()?;
    let segments = index.searchable_segment_ids()?;
    if segments.len() > 1 {
        writer.merge(&segments).wait()?;
    }
    writer.wait_merging_threads()?;
    Ok(())
}

#[cfg(test)]
mod tests;
