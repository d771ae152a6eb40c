//! The one reader of `entities.csv` and `relations.csv`: for `build` and
//! `validate`, a table read whole (`read_table`, for `csv_file.rs`);
//! for `import`, tables too large to hold, streamed: each row is checked
//! (with the rules of `rules.rs`, the same as `build`'s) and handed to a
//! callback, and only the id table (id -> index and kind, for reference
//! checks) and the set of relation triples (for the duplicate check) are
//! kept in memory.
//!
//! A file is read in blocks of about [`CHUNK_BYTES`] cut at record ends (a
//! small RFC 4180 state machine, so a quoted field may hold commas, quotes
//! and line breaks). Worker threads parse and check the blocks and fold
//! their rows into a value of the caller's (an output buffer, a batch of
//! quads); the calling thread receives those values in file order. Memory
//! stays bounded by the few blocks in flight, whatever the file size.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};

use coopgraph_model::schema::{EntityKind, RELATION_TYPES, RelationType};
use coopgraph_model::{EntityId, Location};

use crate::csv_file::{ENTITY_COLUMNS, RELATION_COLUMNS};
use crate::diagnostics::{Diagnostics, suggestion, to_u32};
pub use crate::id_table::{Found, IdHash, IdHasher, IdTable, NewIds};
pub use crate::rules::{MAX_SUGGESTION_IDS, Sources, citation};
use crate::rules::{
    check_cited, check_entity, check_relation_fields, duplicate_id, duplicate_relation, unknown_entity, wrong_kinds,
};

/// Size of the blocks a file is read in, unless [`StreamOptions::block_bytes`]
/// says otherwise.
pub const CHUNK_BYTES: usize = 1 << 18;

/// One checked row of `entities.csv`.
#[derive(Debug, Clone, Copy)]
pub struct EntityRow<'a> {
    /// The id.
    pub id: &'a str,
    /// The kind.
    pub kind: EntityKind,
    /// The English label (never empty).
    pub label_en: &'a str,
    /// The Chinese label (may be empty).
    pub label_zh: &'a str,
    /// The Wikidata id, if any.
    pub wikidata: Option<&'a str>,
}

/// A citation cell (`SOURCE`, `SOURCE#PARAGRAPH`, `SOURCE#PARAGRAPH@LANG`),
/// checked, borrowing the cell's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CitationRef<'a> {
    /// The source document id.
    pub source: &'a str,
    /// The paragraph, from 1.
    pub paragraph: Option<u32>,
    /// The language version.
    pub lang: Option<&'a str>,
}

/// One checked row of `relations.csv`.
#[derive(Debug, Clone, Copy)]
pub struct RelationRow<'a> {
    /// Subject id.
    pub subject: &'a str,
    /// The subject's index in the id table.
    pub subject_index: u32,
    /// Relation type.
    pub relation_type: &'static RelationType,
    /// Object id.
    pub object: &'a str,
    /// The object's index in the id table.
    pub object_index: u32,
    /// The source cell as written.
    pub source: &'a str,
    /// The source cell, parsed.
    pub citation: CitationRef<'a>,
}

/// How a streaming read runs.
#[derive(Debug, Clone, Copy)]
pub struct StreamOptions {
    /// Worker threads parsing and checking blocks (at least 1).
    pub threads: usize,
    /// The cap of each block's error list (the caller's list has its own).
    pub max_errors: usize,
    /// How many bytes each read adds to a block (at least 1): a block is
    /// what was read, cut at its last record end, so a record longer than
    /// this spans several reads. [`CHUNK_BYTES`] by default; the fuzzers
    /// try every size, since the results must not depend on it.
    pub block_bytes: usize,
}

impl Default for StreamOptions {
    fn default() -> Self {
        Self { threads: 1, max_errors: crate::DEFAULT_ERROR_CAP, block_bytes: CHUNK_BYTES }
    }
}

/// Where a streamed table is read from.
#[derive(Debug, Clone, Copy)]
pub enum TableSource<'a> {
    /// A file, named by its path in messages.
    File(&'a Path),
    /// Bytes in memory, with the name that messages give them.
    Bytes {
        /// The name in messages.
        name: &'a str,
        /// The table's text.
        data: &'a [u8],
    },
}

// ---------------------------------------------------------------------------
// Reading blocks at record ends.

/// Where the last complete record of `data` ends, if one does; also the
/// number of line feeds before that point.
fn last_record_end(data: &[u8]) -> Option<(usize, u64)> {
    let end = if memchr::memchr(b'"', data).is_none() {
        // No quote: every line feed ends a record.
        memchr::memrchr(b'\n', data)? + 1
    } else {
        quoted_record_end(data)?
    };
    let lines = memchr::memchr_iter(b'\n', data.get(..end).unwrap_or_default()).count();
    Some((end, lines as u64))
}

/// [`last_record_end`] for data with quotes: the state machine of
/// [`Scan`], run by jumping from one significant byte to the next. Outside
/// quotes only a quote (which opens a quoted field at the start of a field,
/// and is an ordinary character elsewhere) and a line feed (which ends a
/// record) matter; inside, only the next quote, doubled or closing.
fn quoted_record_end(data: &[u8]) -> Option<usize> {
    let mut end = None;
    let mut i = 0;
    while let Some(p) = data.get(i..).and_then(|rest| memchr::memchr2(b'"', b'\n', rest)) {
        let p = i + p;
        i = p + 1;
        if data.get(p) == Some(&b'\n') {
            end = Some(i);
            continue;
        }
        let field_start = p == 0 || matches!(data.get(p - 1), Some(b',' | b'\n'));
        if !field_start {
            continue;
        }
        // In a quoted field: find its closing quote.
        loop {
            // No closing quote yet: the record is not complete.
            let Some(q) = data.get(i..).and_then(|rest| memchr::memchr(b'"', rest)) else { return end };
            let q = i + q;
            match data.get(q + 1) {
                Some(b'"') => i = q + 2,
                Some(_) => {
                    i = q + 1;
                    break;
                }
                // The quote ends the data: closing or doubled, unknown yet.
                None => return end,
            }
        }
    }
    end
}

/// A block of whole records.
struct Chunk {
    /// Position in the file's sequence of blocks.
    index: usize,
    data: Vec<u8>,
    /// Line (from 0) of the block's first byte.
    line: u64,
    /// Byte offset just after the block, for progress.
    end: u64,
}

struct Blocks<'a> {
    file: Box<dyn Read + Send + 'a>,
    block_bytes: usize,
    carry: Vec<u8>,
    line: u64,
    offset: u64,
    index: usize,
    done: bool,
    /// Buffers of blocks the workers are done with.
    spare: Option<mpsc::Receiver<Vec<u8>>>,
}

impl<'a> Blocks<'a> {
    fn new(file: Box<dyn Read + Send + 'a>, block_bytes: usize) -> Self {
        let block_bytes = block_bytes.max(1);
        Self { file, block_bytes, carry: Vec::new(), line: 0, offset: 0, index: 0, done: false, spare: None }
    }

    fn fill(&mut self) -> std::io::Result<usize> {
        // `read_to_end` reads into the spare capacity: no zeroing first.
        self.carry.reserve(self.block_bytes);
        (&mut self.file).take(self.block_bytes as u64).read_to_end(&mut self.carry)
    }

    fn emit(&mut self, data: Vec<u8>, lines: u64) -> Chunk {
        let chunk = Chunk { index: self.index, line: self.line, end: self.offset + data.len() as u64, data };
        self.index += 1;
        self.line += lines;
        self.offset = chunk.end;
        chunk
    }

    fn next_chunk(&mut self) -> std::io::Result<Option<Chunk>> {
        loop {
            if self.done {
                if self.carry.is_empty() {
                    return Ok(None);
                }
                let data = std::mem::take(&mut self.carry);
                let lines = data.iter().filter(|&&b| b == b'\n').count() as u64;
                return Ok(Some(self.emit(data, lines)));
            }
            if self.fill()? == 0 {
                self.done = true;
                continue;
            }
            if let Some((cut, lines)) = last_record_end(&self.carry) {
                // The rest goes into a spare buffer (one a worker is done
                // with, when there is one) and becomes the new carry.
                let mut rest = self.spare.as_ref().and_then(|r| r.try_recv().ok()).unwrap_or_default();
                rest.clear();
                rest.extend_from_slice(self.carry.get(cut..).unwrap_or_default());
                self.carry.truncate(cut);
                let data = std::mem::replace(&mut self.carry, rest);
                return Ok(Some(self.emit(data, lines)));
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Records.

/// A field: its raw start in the block, and its text in the block or (for a
/// quoted field) in the scratch buffer.
#[derive(Debug, Clone, Copy, Default)]
struct Field {
    raw: usize,
    raw_end: usize,
    scratch: bool,
    from: usize,
    to: usize,
}

/// One record's fields, reused from row to row (no allocation per row).
#[derive(Default)]
struct Record {
    fields: Vec<Field>,
    scratch: Vec<u8>,
    start: usize,
    /// Where a quoted field opened that the data ends inside.
    unclosed: Option<usize>,
    /// Where a carriage return stands outside quotes without a line feed
    /// after it.
    bare_cr: Option<usize>,
    /// False when the data holds no carriage return at all (most files):
    /// fields are then not searched for one.
    crs: bool,
}

/// The error of a quoted field that the file ends inside.
const UNCLOSED_QUOTE: &str = "unclosed quote: the quoted field that opens here runs to the end of the file; close it with \" or double the quotes inside it (\"\")";

/// The error of a line end that is a carriage return alone.
const BARE_CR: &str =
    "a carriage return without a line feed: line ends must be LF or CR LF (convert the file's line ends)";

impl Record {
    /// Parses the record starting at `pos`; returns where the next starts
    /// and how many line feeds it held, or `None` at the end of `data`.
    fn parse(&mut self, data: &[u8], pos: usize) -> Option<(usize, u64)> {
        if pos >= data.len() {
            return None;
        }
        self.fields.clear();
        self.scratch.clear();
        self.start = pos;
        self.unclosed = None;
        self.bare_cr = None;
        let mut i = pos;
        let mut lines = 0u64;
        loop {
            let raw = i;
            let (field, end) = if data.get(i) == Some(&b'"') {
                let from = self.scratch.len();
                i += 1;
                // Inside the quotes until a quote not doubled; then, as
                // the `csv` crate does, text up to the separator is kept.
                let mut quoted = true;
                while let Some(&b) = data.get(i) {
                    match (quoted, b) {
                        (true, b'"') if data.get(i + 1) == Some(&b'"') => {
                            self.scratch.push(b'"');
                            i += 1;
                        }
                        (true, b'"') => quoted = false,
                        (false, b',' | b'\n') => break,
                        (false, b'\r') if data.get(i + 1) != Some(&b'\n') => {
                            self.bare_cr.get_or_insert(i);
                            self.scratch.push(b);
                        }
                        (_, b'\n') => {
                            lines += 1;
                            self.scratch.push(b);
                        }
                        _ => self.scratch.push(b),
                    }
                    i += 1;
                }
                let mut to = self.scratch.len();
                if data.get(i) == Some(&b'\n') && self.scratch.last() == Some(&b'\r') && !quoted {
                    to -= 1;
                }
                if quoted {
                    self.unclosed.get_or_insert(raw);
                }
                (Field { raw, raw_end: i, scratch: true, from, to }, i)
            } else {
                let rest = data.get(i..).unwrap_or_default();
                let n = rest.iter().position(|&b| b == b',' || b == b'\n').unwrap_or(rest.len());
                let mut to = i + n;
                if data.get(to) == Some(&b'\n') && to > i && data.get(to - 1) == Some(&b'\r') {
                    to -= 1;
                }
                if self.crs
                    && let Some(cr) = data.get(i..to).and_then(|f| memchr::memchr(b'\r', f))
                {
                    self.bare_cr.get_or_insert(i + cr);
                }
                (Field { raw, raw_end: i + n, scratch: false, from: i, to }, i + n)
            };
            self.fields.push(field);
            match data.get(end) {
                Some(b',') => i = end + 1,
                Some(_) => return Some((end + 1, lines + 1)),
                None => return Some((end, lines)),
            }
        }
    }

    fn bytes<'a>(&'a self, data: &'a [u8], i: usize) -> &'a [u8] {
        let Some(f) = self.fields.get(i) else { return &[] };
        let source = if f.scratch { &self.scratch } else { data };
        source.get(f.from..f.to).unwrap_or_default()
    }

    /// Field `i` as text, if it is valid UTF-8; `block` is the whole block
    /// as text when it is valid (slicing it needs no further check).
    fn text<'a>(&'a self, data: &'a [u8], block: Option<&'a str>, i: usize) -> Option<&'a str> {
        let f = self.fields.get(i)?;
        match block {
            Some(text) if !f.scratch => text.get(f.from..f.to),
            _ => std::str::from_utf8(self.bytes(data, i)).ok(),
        }
    }

    fn is_blank(&self, data: &[u8]) -> bool {
        self.fields.len() == 1 && self.bytes(data, 0).is_empty() && self.fields.first().is_some_and(|f| !f.scratch)
    }

    /// Line offset (from the record's line) and column (in characters, from
    /// 0) of byte `at` of the block.
    fn position(&self, data: &[u8], at: usize) -> (u32, u32) {
        let before = data.get(self.start..at).unwrap_or_default();
        let lines = before.iter().filter(|&&b| b == b'\n').count();
        let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
        let column = before.get(line_start..).unwrap_or_default().iter().filter(|&&b| (b & 0xC0) != 0x80).count();
        (to_u32(lines), to_u32(column))
    }

    /// Where field `i` starts; past the last field, the end of the record.
    fn field_start(&self, data: &[u8], i: usize) -> (u32, u32) {
        match self.fields.get(i) {
            Some(f) => self.position(data, f.raw),
            None => {
                // The end of the record, before its line end (CR LF or LF),
                // where the quick split puts it too.
                let end = self.fields.last().map_or(self.start, |f| f.raw_end);
                let crlf = end > self.start && data.get(end) == Some(&b'\n') && data.get(end - 1) == Some(&b'\r');
                self.position(data, if crlf { end - 1 } else { end })
            }
        }
    }
}

// ---------------------------------------------------------------------------
// The driver: blocks to workers, results back in order.

/// What a worker made of a block.
struct Part<R> {
    index: usize,
    end: u64,
    out: R,
    errors: Diagnostics,
    /// Entities: each row with a good id and type.
    ids: NewIds,
    /// Relations: what is checked in file order on the calling thread.
    later: Later,
}

/// A relation's subject, object (their indexes in the id table) and type
/// (its index in `RELATION_TYPES`).
type Triple = (u32, u32, u16);

/// A relation row whose kinds fit, kept for the duplicate check (in file
/// order, on the calling thread): its triple and where it stands.
#[derive(Debug, Clone, Copy)]
struct Seen {
    subject: u32,
    object: u32,
    relation_type: u16,
    line: u32,
    column: u32,
}

/// The (subject, type, object) triples seen so far, for the duplicate
/// check, shared by the workers: each triple packed exactly into a `u64`
/// (while ids number under 2^24) in an open-addressing table of atomics,
/// sized once from the file's size, and probed a window at a time so that
/// the cache misses overlap, as the id table does; other triples (and all
/// of them once the table is 70 % full) in a locked hash set. Which row of
/// a repeated triple came first does not depend on the order the workers
/// run in: a second read finds the rows of each repeated triple in file
/// order.
#[derive(Debug, Default)]
struct TripleSet {
    slots: Vec<AtomicU64>,
    /// Keys in `slots`, counted block by block.
    len: AtomicUsize,
    /// Set when a triple could not be held (ids past 2^24, or a table
    /// fuller than its size was estimated): the second read then checks
    /// every triple.
    overflow: AtomicBool,
}

const NO_TRIPLE: u64 = u64::MAX;

impl TripleSet {
    fn with_capacity(n: usize) -> Self {
        let size = (n.saturating_mul(8) / 5 + 1).next_power_of_two().max(1024);
        Self { slots: (0..size).map(|_| AtomicU64::new(NO_TRIPLE)).collect(), ..Self::default() }
    }

    fn key(k: &Seen) -> Option<u64> {
        (k.subject < 1 << 24 && k.object < 1 << 24)
            .then(|| u64::from(k.subject) | u64::from(k.object) << 24 | u64::from(k.relation_type) << 48)
    }

    fn home(&self, key: u64) -> usize {
        // Fibonacci hashing: the high bits of the product pick the slot.
        let bits = self.slots.len().trailing_zeros();
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize
    }

    /// False when `key` was there already.
    fn insert(&self, key: u64) -> bool {
        let mask = self.slots.len().wrapping_sub(1);
        let mut i = self.home(key);
        loop {
            let Some(slot) = self.slots.get(i) else { return true };
            let mut current = slot.load(Ordering::Relaxed);
            if current == NO_TRIPLE {
                match slot.compare_exchange(NO_TRIPLE, key, Ordering::Relaxed, Ordering::Relaxed) {
                    Ok(_) => return true,
                    Err(other) => current = other,
                }
            }
            if current == key {
                return false;
            }
            i = (i + 1) & mask;
        }
    }

    /// Inserts the triples of a block, calling `repeated` for each one
    /// already there (from this block or any other).
    fn insert_many(&self, seen: &[Seen], mut repeated: impl FnMut(&Seen)) {
        // Past 70 % full, or for ids past 2^24, the second read checks all.
        if (self.len.load(Ordering::Relaxed) + seen.len()) * 10 > self.slots.len() * 7 {
            self.overflow.store(true, Ordering::Relaxed);
            return;
        }
        let mut added = 0;
        for window in seen.chunks(64) {
            // Touch every home slot first: independent loads, whose cache
            // misses overlap; the inserts then hit the cache.
            let mut touched = 0u64;
            for k in window {
                if let Some(key) = Self::key(k) {
                    touched ^= self.slots.get(self.home(key)).map_or(0, |s| s.load(Ordering::Relaxed));
                }
            }
            std::hint::black_box(touched);
            for k in window {
                let Some(key) = Self::key(k) else {
                    self.overflow.store(true, Ordering::Relaxed);
                    continue;
                };
                if self.insert(key) {
                    added += 1;
                } else {
                    repeated(k);
                }
            }
        }
        self.len.fetch_add(added, Ordering::Relaxed);
    }
}

/// What a block's relation checks leave for the calling thread: unknown
/// ids (whose suggestion looks through the whole id table, so only for
/// the errors that are kept) and the triples for the duplicate check.
#[derive(Debug, Default)]
struct Later {
    unknown: Vec<(Location, Box<str>)>,
    seen: Vec<Seen>,
    /// Triples given more than once (each once per repeat).
    repeated: Vec<Triple>,
}

/// One CSV file being streamed: its name, column order and header width.
struct Table {
    name: Arc<str>,
    order: Vec<usize>,
    width: usize,
    /// The header as written, for the field count's error.
    header: String,
}

impl Table {
    /// The error of a record with `count` fields instead of the header's.
    fn width_error(&self, count: usize) -> String {
        let what = if count > self.width { "too many" } else { "too few" };
        format!("{what} fields: expected {} ({}), found {count}", self.width, self.header)
    }
}

/// Opens the table, reads the header and checks the columns; also gives
/// the table's size in bytes (0 when unknown).
fn open<'a>(
    source: TableSource<'a>,
    columns: &[&str],
    block_bytes: usize,
    d: &mut Diagnostics,
) -> Option<(Table, Blocks<'a>, Option<Chunk>, u64)> {
    let (name, input, size): (Arc<str>, Box<dyn Read + Send + 'a>, u64) = match source {
        TableSource::File(path) => {
            let name: Arc<str> = Arc::from(path.display().to_string());
            if let Err(message) = crate::regular_file(path) {
                d.push_file(&name, message);
                return None;
            }
            match std::fs::File::open(path) {
                Ok(f) => {
                    let size = f.metadata().map_or(0, |m| m.len());
                    (name, Box::new(f), size)
                }
                Err(e) => {
                    d.push_io(&name, format!("cannot read the file: {e}"));
                    return None;
                }
            }
        }
        TableSource::Bytes { name, data } => (Arc::from(name), Box::new(data), data.len() as u64),
    };
    let mut blocks = Blocks::new(input, block_bytes);
    let mut first = match blocks.next_chunk() {
        Ok(Some(c)) => c,
        Ok(None) => {
            d.push_file(&name, format!("empty file: expected a header row {}", columns.join(",")));
            return None;
        }
        Err(e) => {
            d.push_io(&name, format!("cannot read the file: {e}"));
            return None;
        }
    };
    // A byte-order mark is not part of the header (nor counted in columns).
    if first.data.starts_with(b"\xEF\xBB\xBF") {
        first.data.drain(..3);
    }
    let mut record = Record { crs: memchr::memchr(b'\r', &first.data).is_some(), ..Record::default() };
    let Some((next, lines)) = record.parse(&first.data, 0) else {
        d.push_file(&name, format!("empty file: expected a header row {}", columns.join(",")));
        return None;
    };
    let table = Table { name: Arc::clone(&name), order: Vec::new(), width: record.fields.len(), header: String::new() };
    let here = |at: usize| location(&table, first.line, record.position(&first.data, at));
    if let Some(at) = record.unclosed {
        d.push_syntax(here(at), None, UNCLOSED_QUOTE);
        return None;
    }
    if let Some(at) = record.bare_cr {
        d.push_syntax(here(at), None, BARE_CR);
        return None;
    }
    let header: Vec<String> =
        (0..record.fields.len()).map(|i| String::from_utf8_lossy(record.bytes(&first.data, i)).into_owned()).collect();
    let mut header_ok = true;
    for (i, column) in header.iter().enumerate() {
        if !columns.contains(&column.as_str()) {
            d.push(
                location(&table, first.line, record.field_start(&first.data, i)),
                format!(
                    "unknown column \"{column}\"{}; expected the columns {}",
                    suggestion(column, columns.iter().copied()),
                    columns.join(",")
                ),
            );
            header_ok = false;
        }
    }
    let mut order = Vec::with_capacity(columns.len());
    for column in columns {
        match header.iter().position(|h| h == column) {
            Some(i) => order.push(i),
            None => {
                d.push_file(&name, format!("missing column \"{column}\": expected the columns {}", columns.join(",")));
                header_ok = false;
            }
        }
    }
    if !header_ok {
        return None;
    }
    first.data.drain(..next);
    first.line += lines;
    let rest = if first.data.is_empty() {
        // The block held the header only: the next one is the first the
        // driver must hand on, so it takes this one's number.
        blocks.index = first.index;
        None
    } else {
        Some(first)
    };
    Some((Table { name, order, width: header.len(), header: header.join(",") }, blocks, rest, size))
}

/// Runs `work` on every block of the file on `threads` workers and hands
/// the results to `consume` in file order.
fn drive<R: Send>(
    mut blocks: Blocks<'_>,
    first: Option<Chunk>,
    threads: usize,
    work: &(dyn Fn(&Chunk) -> Part<R> + Sync),
    consume: &mut dyn FnMut(Part<R>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let threads = threads.max(1);
    std::thread::scope(|scope| {
        let (work_tx, work_rx) = mpsc::sync_channel::<Chunk>(threads);
        let work_rx = Arc::new(Mutex::new(work_rx));
        let (part_tx, part_rx) = mpsc::sync_channel::<Part<R>>(threads);
        let (spare_tx, spare_rx) = mpsc::channel::<Vec<u8>>();
        blocks.spare = Some(spare_rx);
        let reader = scope.spawn(move || -> std::io::Result<()> {
            if let Some(c) = first
                && work_tx.send(c).is_err()
            {
                return Ok(());
            }
            while let Some(c) = blocks.next_chunk()? {
                if work_tx.send(c).is_err() {
                    break;
                }
            }
            Ok(())
        });
        for _ in 0..threads {
            let rx = Arc::clone(&work_rx);
            let tx = part_tx.clone();
            let spare = spare_tx.clone();
            scope.spawn(move || {
                loop {
                    let next = match rx.lock() {
                        Ok(guard) => guard.recv(),
                        Err(_) => break,
                    };
                    let Ok(chunk) = next else { break };
                    let part = work(&chunk);
                    let _ = spare.send(chunk.data);
                    if tx.send(part).is_err() {
                        break;
                    }
                }
            });
        }
        drop(part_tx);
        drop(spare_tx);
        let mut pending = BTreeMap::new();
        let mut next = 0usize;
        let mut failed = None;
        for part in part_rx {
            if failed.is_some() {
                continue;
            }
            pending.insert(part.index, part);
            while let Some(part) = pending.remove(&next) {
                next += 1;
                if let Err(e) = consume(part) {
                    failed = Some(e);
                    pending.clear();
                    break;
                }
            }
        }
        let read = reader.join().unwrap_or_else(|_| Err(std::io::Error::other("the reader thread failed")));
        match failed {
            Some(e) => Err(e),
            None => read,
        }
    })
}

fn location(table: &Table, line: u64, at: (u32, u32)) -> Location {
    Location {
        file: Arc::clone(&table.name),
        line: to_u32(usize::try_from(line).unwrap_or(usize::MAX)).saturating_add(at.0),
        column: at.1,
    }
}

/// Parses every record of a block: checks the field count and UTF-8, and
/// calls `row` with the fields in column order, the line (from 0) and
/// column where each starts, and a locator for errors (which also names
/// the file).
fn each_row(
    table: &Table,
    chunk: &Chunk,
    errors: &mut Diagnostics,
    mut row: impl FnMut(&dyn Fn(usize) -> (u64, u32), &[&str], &dyn Fn(usize) -> Location, &mut Diagnostics),
) {
    let data = &chunk.data;
    // Splitting valid UTF-8 at ASCII bytes (`,` `"` LF) gives valid UTF-8:
    // check the block once, and field by field only when it fails.
    let block = simdutf8::basic::from_utf8(data).ok();
    let mut record = Record { crs: memchr::memchr(b'\r', data).is_some(), ..Record::default() };
    let mut pos = 0usize;
    let mut line = chunk.line;
    while let Some((next, lines)) = record.parse(data, pos) {
        let here = line;
        pos = next;
        line += lines;
        if let Some(at) = record.unclosed {
            errors.push_syntax(location(table, here, record.position(data, at)), None, UNCLOSED_QUOTE);
            continue;
        }
        if let Some(at) = record.bare_cr {
            errors.push_syntax(location(table, here, record.position(data, at)), None, BARE_CR);
            continue;
        }
        if record.is_blank(data) {
            continue;
        }
        if record.fields.len() != table.width {
            let index = record.fields.len().min(table.width);
            errors.push(location(table, here, record.field_start(data, index)), table.width_error(record.fields.len()));
            continue;
        }
        // At most five columns: a fixed array, no allocation per row.
        let mut fields = [""; 5];
        let mut bad = None;
        for (n, (slot, &i)) in fields.iter_mut().zip(&table.order).enumerate() {
            match record.text(data, block, i) {
                Some(s) => *slot = s,
                None => {
                    bad = Some(n);
                    break;
                }
            }
        }
        let locate =
            |i: usize| location(table, here, record.field_start(data, table.order.get(i).copied().unwrap_or(0)));
        if let Some(n) = bad {
            errors.push(locate(n), "the field is not valid UTF-8");
            continue;
        }
        let start = |i: usize| {
            let (line, column) = record.field_start(data, table.order.get(i).copied().unwrap_or(0));
            (here + u64::from(line), column)
        };
        row(&start, fields.get(..table.order.len()).unwrap_or(&fields), &locate, errors);
    }
}

fn field<'a>(fields: &[&'a str], i: usize) -> &'a str {
    fields.get(i).copied().unwrap_or("")
}

/// Reads a whole table held in memory on this thread, as `build` and
/// `validate` read `entities.csv` and `relations.csv`: the header, record
/// and field checks and the positions of the streaming read, then `row`
/// with each record's fields in `columns` order and their locator.
pub(crate) fn read_table(
    name: &str,
    text: &str,
    columns: &[&str],
    d: &mut Diagnostics,
    mut row: impl FnMut(&[&str], &dyn Fn(usize) -> Location, &mut Diagnostics),
) {
    let source = TableSource::Bytes { name, data: text.as_bytes() };
    let Some((table, mut blocks, mut chunk, _)) = open(source, columns, text.len().max(1), d) else { return };
    while let Some(c) = chunk.take().or_else(|| blocks.next_chunk().ok().flatten()) {
        each_row(&table, &c, d, |_, f, at, d| row(f, at, d));
    }
}

/// Streams `entities.csv`, from a file or from bytes in memory: checks each row (id, type, English label,
/// Wikidata id, duplicates) and returns the id table. Every good row is
/// folded into the value `init` makes for its block, by `each`, on a
/// worker; `consume` receives those values in file order on this thread
/// (and may fail with an I/O error, which stops the read). Errors go to `d`
/// (which keeps counting past its cap).
pub fn stream_entities<R: Send>(
    source: TableSource<'_>,
    options: StreamOptions,
    d: &mut Diagnostics,
    progress: &mut dyn FnMut(u64),
    init: &(dyn Fn() -> R + Sync),
    each: &(dyn Fn(&mut R, &EntityRow<'_>) + Sync),
    consume: &mut dyn FnMut(R, &Diagnostics) -> std::io::Result<()>,
) -> std::io::Result<IdTable> {
    let mut ids = IdTable::default();
    let Some((table, blocks, first, size)) = open(source, &ENTITY_COLUMNS, options.block_bytes, d) else {
        return Ok(ids);
    };
    // Size the table once, from the rows of the first block and the file's
    // size, with a margin: growing it means rehashing every id, and a table
    // too large for its ids costs memory and cache misses.
    if let Some(first) = &first {
        let lines = memchr::memchr_iter(b'\n', &first.data).count().max(1) as u64;
        let rows = size.saturating_mul(lines) / (first.data.len().max(1) as u64);
        ids.reserve(usize::try_from(rows.saturating_add(rows / 16)).unwrap_or(usize::MAX).min(1 << 28));
    }
    let work = |chunk: &Chunk| {
        let mut out = init();
        let mut errors = Diagnostics::with_cap(options.max_errors);
        let mut found = NewIds::default();
        each_row(&table, chunk, &mut errors, |start, f, at, d| {
            let checked = check_entity(f, at, d);
            let Some((id, kind)) = checked.declared else { return };
            // Where the id is, for a duplicate's error; building a Location
            // here would touch the file name's shared count on every row.
            let (line, column) = start(0);
            found.push(id, kind, to_u32(usize::try_from(line).unwrap_or(usize::MAX)), column);
            if let Some(row) = checked.row {
                each(&mut out, &row);
            }
        });
        Part { index: chunk.index, end: chunk.end, out, errors, ids: found, later: Later::default() }
    };
    let mut consume_part = |part: Part<R>| {
        let mut errors = part.errors;
        let at = |(line, column)| Location { file: Arc::clone(&table.name), line, column };
        ids.insert_many(&part.ids, |id, here, first| {
            errors.push(at(here), duplicate_id("entity", id, first.map(at).as_ref()));
        });
        // In file order, whatever the columns' order and the blocks' cuts.
        if !errors.is_empty() {
            errors.sort_by_position();
        }
        d.append(errors);
        progress(part.end);
        consume(part.out, d)
    };
    drive(blocks, first, options.threads, &work, &mut consume_part)?;
    Ok(ids)
}

/// Checks one relation row whose subject and object were looked up; `row`
/// is where it stands (its subject's line and column, from 0).
fn check_relation<'a>(
    f: &[&'a str],
    (s, o): (Found, Found),
    at: &dyn Fn(usize) -> Location,
    row: &dyn Fn() -> (u32, u32),
    sources: &Sources,
    d: &mut Diagnostics,
    later: &mut Later,
) -> Option<RelationRow<'a>> {
    let (subject, object) = (field(f, 0), field(f, 2));
    let reference = |id: &str, found: Found, i: usize, d: &mut Diagnostics, later: &mut Later| {
        if found.is_some() {
        } else if EntityId::is_valid(id) {
            later.unknown.push((at(i), Box::from(id)));
        } else {
            d.push(at(i), EntityId::new(id).err().map(|e| e.to_string()).unwrap_or_default());
        }
    };
    reference(subject, s, 0, d, later);
    let (relation_type, cited) = check_relation_fields(f, at, d);
    reference(object, o, 2, d, later);
    if let Some(c) = cited {
        check_cited(d, sources, c, &|| at(3));
    }
    let (Some((si, sk)), Some((oi, ok)), Some(relation_type), Some(citation)) = (s, o, relation_type, cited) else {
        return None;
    };
    if !relation_type.allows(sk, ok) {
        let (at_object, message) = wrong_kinds(relation_type, subject, sk, object, ok);
        d.push(at(if at_object { 2 } else { 0 }), message);
        return None;
    }
    let (line, column) = row();
    // The type's index in the table, from its address.
    let offset = std::ptr::from_ref(relation_type).addr().wrapping_sub(RELATION_TYPES.as_ptr().addr());
    let kind = offset / std::mem::size_of::<RelationType>().max(1);
    later.seen.push(Seen {
        subject: si,
        object: oi,
        relation_type: u16::try_from(kind).unwrap_or(u16::MAX),
        line,
        column,
    });
    Some(RelationRow {
        subject,
        subject_index: si,
        relation_type,
        object,
        object_index: oi,
        source: field(f, 3),
        citation,
    })
}

/// One line of a block without quotes, split at commas.
#[derive(Clone, Copy)]
struct Line<'a> {
    /// Line of the block, from 0.
    line: u64,
    text: &'a str,
    /// The first [`QUICK_FIELDS`] fields; `count` counts them all.
    fields: [&'a str; QUICK_FIELDS],
    count: usize,
}

/// Fields a [`Line`] keeps.
const QUICK_FIELDS: usize = 8;

/// Lines checked together, their ids looked up in one [`IdTable::get_many`].
const QUICK_LINES: usize = 64;

impl<'a> Line<'a> {
    /// Field `i` (empty past the last).
    fn field(&self, i: usize) -> &'a str {
        if i < self.count { self.fields.get(i).copied().unwrap_or("") } else { "" }
    }

    /// Column (in characters) where field `i` starts; past the last, the end.
    fn column(&self, i: usize) -> u32 {
        let start = match self.fields.get(i) {
            Some(f) if i < self.count => f.as_ptr() as usize - self.text.as_ptr() as usize,
            _ => self.text.len(),
        };
        to_u32(self.text.get(..start).unwrap_or(self.text).chars().count())
    }
}

/// Splits a block without quotes into lines and fields, in one pass over
/// the separators (found by `memchr`, many bytes at a time), handing each
/// line that is not blank to `each`.
fn split_lines<'a>(text: &'a str, mut each: impl FnMut(Line<'a>)) {
    let data = text.as_bytes();
    let mut number = 0u64;
    let mut start = 0;
    let mut field_start = 0;
    let mut fields = [""; QUICK_FIELDS];
    let mut count = 0;
    let mut end_line = |start: usize,
                        field_start: usize,
                        end: usize,
                        fields: &mut [&'a str; QUICK_FIELDS],
                        count: usize| {
        // A CR before the LF is not part of the last field.
        let end = if end > field_start && data.get(end - 1) == Some(&b'\r') { end - 1 } else { end };
        if let Some(f) = fields.get_mut(count) {
            *f = text.get(field_start..end).unwrap_or("");
        }
        // A blank line is skipped, as the general parser skips it.
        if count > 0 || end > start {
            each(Line { line: number, text: text.get(start..end).unwrap_or(""), fields: *fields, count: count + 1 });
        }
        number += 1;
    };
    for pos in memchr::memchr2_iter(b',', b'\n', data) {
        if data.get(pos) == Some(&b',') {
            if let Some(f) = fields.get_mut(count) {
                *f = text.get(field_start..pos).unwrap_or("");
            }
            count += 1;
            field_start = pos + 1;
        } else {
            end_line(start, field_start, pos, &mut fields, count);
            start = pos + 1;
            field_start = start;
            count = 0;
        }
    }
    if start < data.len() {
        end_line(start, field_start, data.len(), &mut fields, count);
    }
}

/// The fast path for a block of `relations.csv` that is valid UTF-8 and has
/// no quote (every line is a record, every comma a separator): lines are
/// taken [`QUICK_LINES`] at a time, their subjects and objects looked up
/// together ([`IdTable::get_many`], which overlaps the cache misses), then
/// checked and handed on in order. Returns false, having done nothing, for
/// any other block.
fn quick_relations(
    table: &Table,
    chunk: &Chunk,
    (ids, sources): (&IdTable, &Sources),
    errors: &mut Diagnostics,
    later: &mut Later,
    mut good: impl FnMut(&RelationRow<'_>),
) -> bool {
    if table.width > QUICK_FIELDS || memchr::memchr(b'"', &chunk.data).is_some() {
        return false;
    }
    // A carriage return alone is an error that the general path reports.
    if memchr::memchr_iter(b'\r', &chunk.data).any(|p| chunk.data.get(p + 1) != Some(&b'\n')) {
        return false;
    }
    let Ok(text) = simdutf8::basic::from_utf8(&chunk.data) else { return false };
    let column = |k: usize| table.order.get(k).copied().unwrap_or(usize::MAX);
    let (subject, predicate, object, source) = (column(0), column(1), column(2), column(3));
    let mut window: Vec<Line<'_>> = Vec::with_capacity(QUICK_LINES);
    let mut found = Vec::with_capacity(QUICK_LINES * 2);
    let mut check = |window: &mut Vec<Line<'_>>| {
        found.clear();
        ids.get_many(window.iter().flat_map(|l| [l.field(subject), l.field(object)]), &mut found);
        for (l, pair) in window.iter().zip(found.chunks_exact(2)) {
            let here = chunk.line + l.line;
            if l.count != table.width {
                let index = l.count.min(table.width);
                errors.push(location(table, here, (0, l.column(index))), table.width_error(l.count));
                continue;
            }
            let f = [l.field(subject), l.field(predicate), l.field(object), l.field(source)];
            let at = |k: usize| location(table, here, (0, l.column(column(k))));
            let row = || (to_u32(usize::try_from(here).unwrap_or(usize::MAX)), l.column(subject));
            let pair = (pair.first().copied().flatten(), pair.get(1).copied().flatten());
            if let Some(row) = check_relation(&f, pair, &at, &row, sources, errors, later) {
                good(&row);
            }
        }
        window.clear();
    };
    split_lines(text, |line| {
        window.push(line);
        if window.len() == QUICK_LINES {
            check(&mut window);
        }
    });
    check(&mut window);
    true
}

/// Streams `relations.csv`, from a file or from bytes in memory: checks
/// each row with the rules of the curated reader (unknown and malformed
/// ids, unknown types, kinds the type does not allow, citations and the
/// declared `sources`, repeated relations) and folds the good ones into the
/// values `init` makes, one per block, on workers; `consume` receives them
/// in file order.
#[expect(clippy::too_many_arguments, reason = "stream_entities' arguments plus the id table and sources")]
pub fn stream_relations<R: Send>(
    source: TableSource<'_>,
    ids: &IdTable,
    sources: &Sources,
    options: StreamOptions,
    d: &mut Diagnostics,
    progress: &mut dyn FnMut(u64),
    init: &(dyn Fn() -> R + Sync),
    each: &(dyn Fn(&mut R, &RelationRow<'_>) + Sync),
    consume: &mut dyn FnMut(R, &Diagnostics) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let Some((table, blocks, first, size)) = open(source, &RELATION_COLUMNS, options.block_bytes, d) else {
        return Ok(());
    };
    // Each triple once; sized from the rows of the first block and the
    // file's size, as the id table is.
    let rows = first.as_ref().map_or(0, |first| {
        let lines = memchr::memchr_iter(b'\n', &first.data).count().max(1) as u64;
        size.saturating_mul(lines) / (first.data.len().max(1) as u64)
    });
    let triples = TripleSet::with_capacity(usize::try_from(rows.saturating_add(rows / 4)).unwrap_or(0).min(1 << 28));
    // The first read checks each block's triples against the set on the
    // worker; the second (only after a repeat) hands them on in order.
    let check = |chunk: &Chunk, first_read: bool| {
        let mut out = init();
        let mut errors = Diagnostics::with_cap(options.max_errors);
        let mut later = Later { seen: Vec::with_capacity(chunk.data.len() / 32), ..Later::default() };
        if !quick_relations(&table, chunk, (ids, sources), &mut errors, &mut later, |row| each(&mut out, row)) {
            each_row(&table, chunk, &mut errors, |start, f, at, d| {
                let found = (ids.get(field(f, 0)), ids.get(field(f, 2)));
                let row = || {
                    let (line, column) = start(0);
                    (to_u32(usize::try_from(line).unwrap_or(usize::MAX)), column)
                };
                if let Some(row) = check_relation(f, found, at, &row, sources, d, &mut later) {
                    each(&mut out, &row);
                }
            });
        }
        if first_read {
            let mut repeated = Vec::new();
            triples.insert_many(&later.seen, |k| repeated.push((k.subject, k.object, k.relation_type)));
            later.repeated = repeated;
            later.seen = Vec::new();
        }
        Part { index: chunk.index, end: chunk.end, out, errors, ids: NewIds::default(), later }
    };
    let suggest = ids.len() <= MAX_SUGGESTION_IDS;
    let mut repeated: std::collections::HashSet<Triple, IdHash> = Default::default();
    let mut consume_part = |part: Part<R>| {
        let mut errors = part.errors;
        for (at, id) in part.later.unknown {
            let message =
                if suggest && !d.is_full() { unknown_entity(&id, ids.ids()) } else { unknown_entity(&id, []) };
            errors.push(at, message);
        }
        // In file order, whatever the columns' order and the blocks' cuts.
        if !errors.is_empty() {
            errors.sort_by_position();
        }
        repeated.extend(part.later.repeated);
        d.append(errors);
        progress(part.end);
        consume(part.out, d)
    };
    drive(blocks, first, options.threads, &|c| check(c, true), &mut consume_part)?;
    let overflow = triples.overflow.load(Ordering::Relaxed);
    if repeated.is_empty() && !overflow {
        return Ok(());
    }
    // A repeated relation names where its triple was first given: read
    // again, in file order, to find the rows of the repeated triples (of
    // all triples, when the set overflowed).
    let mut firsts: HashMap<Triple, (u32, u32), IdHash> = HashMap::default();
    let at = |(line, column)| Location { file: Arc::clone(&table.name), line, column };
    let mut quiet = Diagnostics::with_cap(0);
    let Some((_, blocks, first, _)) = open(source, &RELATION_COLUMNS, options.block_bytes, &mut quiet) else {
        return Ok(());
    };
    drive(blocks, first, options.threads, &|c| check(c, false), &mut |part: Part<R>| {
        for k in &part.later.seen {
            let triple = (k.subject, k.object, k.relation_type);
            if !overflow && !repeated.contains(&triple) {
                continue;
            }
            match firsts.entry(triple) {
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert((k.line, k.column));
                }
                std::collections::hash_map::Entry::Occupied(first) => {
                    let (s, o) = (ids.id(k.subject).unwrap_or(""), ids.id(k.object).unwrap_or(""));
                    if let Some(rt) = RELATION_TYPES.get(usize::from(k.relation_type)) {
                        d.push(at((k.line, k.column)), duplicate_relation(s, rt, o, &at(*first.get())));
                    }
                }
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// States of the RFC 4180 scanner (as lenient as the `csv` crate: a quote
    /// inside an unquoted field is an ordinary character, text after a closing
    /// quote is appended to the field).
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum Scan {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }

    impl Scan {
        /// The next state, and whether `b` ended a record.
        fn step(self, b: u8) -> (Scan, bool) {
            match (self, b) {
                (Scan::Quoted, b'"') => (Scan::QuoteInQuoted, false),
                (Scan::Quoted, _) => (Scan::Quoted, false),
                (Scan::QuoteInQuoted, b'"') | (Scan::FieldStart, b'"') => (Scan::Quoted, false),
                (_, b',') => (Scan::FieldStart, false),
                (_, b'\n') => (Scan::FieldStart, true),
                _ => (Scan::Unquoted, false),
            }
        }
    }

    fn records(text: &str) -> Vec<Vec<String>> {
        let data = text.as_bytes();
        let mut r = Record { crs: true, ..Record::default() };
        let mut pos = 0;
        let mut out = Vec::new();
        while let Some((next, _)) = r.parse(data, pos) {
            out.push((0..r.fields.len()).map(|i| String::from_utf8_lossy(r.bytes(data, i)).into_owned()).collect());
            pos = next;
        }
        out
    }

    #[test]
    fn parses_rfc4180_like_the_csv_crate() {
        assert_eq!(
            records("a,\"b,c\",\"d \"\"e\"\"\"\r\nf,,g\n\"multi\nline\",x\n"),
            vec![vec!["a", "b,c", "d \"e\""], vec!["f", "", "g"], vec!["multi\nline", "x"]]
        );
        assert_eq!(records("a,b\"c,d"), vec![vec!["a", "b\"c", "d"]]);
        assert_eq!(last_record_end(b"a,\"x\ny\"\nb,c"), Some((8, 2)));
        assert_eq!(last_record_end(b"a,\"x\ny"), None);
    }

    /// The state machine run byte by byte: what `last_record_end` must agree with.
    fn last_record_end_by_steps(data: &[u8]) -> Option<(usize, u64)> {
        let mut state = Scan::FieldStart;
        let mut end = None;
        for (i, &b) in data.iter().enumerate() {
            let (next, ended) = state.step(b);
            state = next;
            if ended {
                end = Some(i + 1);
            }
        }
        end.map(|e| (e, data[..e].iter().filter(|&&b| b == b'\n').count() as u64))
    }

    #[test]
    fn parses_every_short_text_like_the_csv_crate() {
        // Every string of up to 7 bytes over the significant alphabet (CR
        // aside: the csv crate also ends records at a lone CR).
        let alphabet = [b'"', b',', b'\n', b'a'];
        for len in 0..=7u32 {
            for mut n in 0..alphabet.len().pow(len) {
                let mut data = Vec::new();
                for _ in 0..len {
                    data.push(alphabet[n % alphabet.len()]);
                    n /= alphabet.len();
                }
                let text = String::from_utf8(data).unwrap();
                let ours: Vec<Vec<String>> =
                    records(&text).into_iter().zip(blanks(&text)).filter(|(_, blank)| !blank).map(|(r, _)| r).collect();
                let theirs: Vec<Vec<String>> = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .from_reader(text.as_bytes())
                    .records()
                    .map(|r| r.unwrap().iter().map(str::to_owned).collect())
                    .collect();
                assert_eq!(ours, theirs, "{text:?}");
            }
        }
    }

    fn blanks(text: &str) -> Vec<bool> {
        let data = text.as_bytes();
        let mut r = Record { crs: true, ..Record::default() };
        let mut pos = 0;
        let mut out = Vec::new();
        while let Some((next, _)) = r.parse(data, pos) {
            out.push(r.is_blank(data));
            pos = next;
        }
        out
    }

    #[test]
    fn record_ends_agree_with_the_state_machine() {
        // Every string of up to 7 bytes over the significant alphabet.
        let alphabet = [b'"', b',', b'\n', b'a', b'\r'];
        let mut data = Vec::new();
        for len in 0..=7u32 {
            for mut n in 0..alphabet.len().pow(len) {
                data.clear();
                for _ in 0..len {
                    data.push(alphabet[n % alphabet.len()]);
                    n /= alphabet.len();
                }
                assert_eq!(
                    last_record_end(&data),
                    last_record_end_by_steps(&data),
                    "{:?}",
                    String::from_utf8_lossy(&data)
                );
            }
        }
    }

    #[test]
    fn blocks_cut_at_record_ends() {
        let mut text = String::new();
        for i in 0..100_000 {
            text.push_str(&format!("row-{i},\"quoted\nfield {i}\"\n"));
        }
        let mut blocks = Blocks::new(Box::new(std::io::Cursor::new(text.clone().into_bytes())), CHUNK_BYTES);
        let mut joined = Vec::new();
        let mut line = 0;
        while let Some(c) = blocks.next_chunk().unwrap() {
            assert_eq!(c.line, line);
            assert!(c.data.ends_with(b"\"\n"));
            line += c.data.iter().filter(|&&b| b == b'\n').count() as u64;
            joined.extend_from_slice(&c.data);
        }
        assert!(blocks.index > 1);
        assert_eq!(joined, text.into_bytes());
    }

    /// Every row and error of two small tables read from memory in blocks of `size`.
    fn read_in_blocks(entities: &[u8], relations: &[u8], size: usize, threads: usize) -> Vec<String> {
        let options = StreamOptions { threads, max_errors: 1000, block_bytes: size };
        let mut d = Diagnostics::with_cap(1000);
        let mut out = Vec::new();
        let ids = stream_entities(
            TableSource::Bytes { name: "entities.csv", data: entities },
            options,
            &mut d,
            &mut |_| {},
            &Vec::<String>::new,
            &|o: &mut Vec<String>, r| o.push(r.id.to_owned()),
            &mut |part, _| {
                out.extend(part);
                Ok(())
            },
        )
        .unwrap();
        stream_relations(
            TableSource::Bytes { name: "relations.csv", data: relations },
            &ids,
            &Sources::default(),
            options,
            &mut d,
            &mut |_| {},
            &Vec::<String>::new,
            &|o: &mut Vec<String>, r| o.push(format!("{}>{}", r.subject, r.object)),
            &mut |part, _| {
                out.extend(part);
                Ok(())
            },
        )
        .unwrap();
        out.extend(d.iter().map(ToString::to_string));
        out
    }

    #[test]
    fn a_first_block_of_only_the_header_loses_no_row() {
        // Found by the fuzz target import_chunks: when the first block held
        // the header and nothing else, the driver waited for block 0 for
        // ever and dropped every row and error after it, exiting clean. At
        // the real block size that is a first row longer than a block (its
        // label is then over the length limit: that error is the row, read).
        let long = "x".repeat(CHUNK_BYTES);
        let entities = format!("id,type,label_en,label_zh,wikidata\nnorthland,country,{long},,\nbad id,country,X,,\n");
        let rows = read_in_blocks(entities.as_bytes(), b"subject,predicate,object,source\n", CHUNK_BYTES, 1);
        assert_eq!(rows.len(), 2, "{:?}", rows.iter().map(|r| r.get(..60).unwrap_or(r)).collect::<Vec<_>>());
        assert!(rows[0].starts_with("entities.csv:2:19: label_en is too long"), "{}", rows[0]);
        assert!(rows[1].starts_with("entities.csv:3:1: malformed entity id \"bad id\""), "{}", rows[1]);
    }

    #[test]
    fn results_do_not_depend_on_the_block_size() {
        let entities = b"id,type,label_en,label_zh,wikidata\nnorthland,country,\"North, land\",,Q1\nbad id,country,X,,\n\"south\nland\",country,South,,\neast,country,East,,Q2\r\n";
        let relations = b"subject,predicate,object,source\nnorthland,cooperates_with,east,001#2@en\nnorthland,member_of,nowhere,001\n\"east\",cooperates_with,northland,001#0\n";
        let whole = read_in_blocks(entities, relations, CHUNK_BYTES, 1);
        assert_eq!(whole.len(), 7, "{whole:#?}");
        for size in 1..=entities.len() + 1 {
            assert_eq!(read_in_blocks(entities, relations, size, 2), whole, "blocks of {size} bytes");
        }
    }

    #[test]
    fn citations() {
        assert_eq!(citation("doc-001").unwrap(), CitationRef { source: "doc-001", paragraph: None, lang: None });
        assert_eq!(
            citation("002#11@en").unwrap(),
            CitationRef { source: "002", paragraph: Some(11), lang: Some("en") }
        );
        assert!(citation("Doc 1").is_err());
    }
}
