//! Errors with positions, collected over a whole run.

use std::fmt;
use std::sync::Arc;

use coopgraph_model::Location;

/// What kind of problem a [`Diagnostic`] is: what callers match on, never
/// the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DiagnosticKind {
    /// The file is not well-formed TOML or CSV; the diagnostic's `end`
    /// closes the range the parser names, when it names one.
    Syntax,
    /// A well-formed record breaks a rule of the data (a field, a
    /// reference, a duplicate, a citation).
    Invalid,
    /// A file or folder could not be read.
    Io,
}

/// One problem in the data, at a position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// What kind of problem it is.
    pub kind: DiagnosticKind,
    /// Where the problem is (where its range starts).
    pub location: Location,
    /// Just past where it ends, when the reader knows a range.
    pub end: Option<Location>,
    /// What is wrong and what was expected.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// Every problem found in one run, up to a cap.
#[derive(Debug, Clone)]
pub struct Diagnostics {
    list: Vec<Diagnostic>,
    cap: usize,
    total: usize,
}

/// How many errors a run keeps by default before it only counts them.
pub const DEFAULT_ERROR_CAP: usize = 100;

impl Default for Diagnostics {
    fn default() -> Self {
        Self::with_cap(DEFAULT_ERROR_CAP)
    }
}

impl Diagnostics {
    /// An empty list that keeps at most `cap` errors (and counts the rest).
    pub fn with_cap(cap: usize) -> Self {
        Self { list: Vec::new(), cap, total: 0 }
    }

    /// Records a problem with a record ([`DiagnosticKind::Invalid`]).
    pub fn push(&mut self, location: Location, message: impl Into<String>) {
        self.record(Diagnostic { kind: DiagnosticKind::Invalid, location, end: None, message: message.into() });
    }

    /// Records a syntax error, from `location` up to `end` when known.
    pub fn push_syntax(&mut self, location: Location, end: Option<Location>, message: impl Into<String>) {
        self.record(Diagnostic { kind: DiagnosticKind::Syntax, location, end, message: message.into() });
    }

    /// Records a problem for a whole file (line and column 1).
    pub fn push_file(&mut self, file: &Arc<str>, message: impl Into<String>) {
        self.push(Location { file: Arc::clone(file), line: 0, column: 0 }, message);
    }

    /// Records a file or folder that could not be read.
    pub fn push_io(&mut self, file: &Arc<str>, message: impl Into<String>) {
        let location = Location { file: Arc::clone(file), line: 0, column: 0 };
        self.record(Diagnostic { kind: DiagnosticKind::Io, location, end: None, message: message.into() });
    }

    /// Records `d`, or only counts it once the cap is reached.
    pub fn record(&mut self, d: Diagnostic) {
        self.total += 1;
        if self.list.len() < self.cap {
            self.list.push(d);
        }
    }

    /// Adds every problem of `other` after those already here (its kept
    /// ones in order, up to this list's cap; its uncounted rest as counts).
    pub fn append(&mut self, other: Diagnostics) {
        let dropped = other.dropped();
        for d in other.list {
            self.record(d);
        }
        self.total += dropped;
    }

    /// Sorts the kept problems by file position (line, then column), for
    /// lists gathered out of order.
    pub fn sort_by_position(&mut self) {
        self.list.sort_by_key(|d| (d.location.line, d.location.column));
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// True when the cap was reached.
    pub fn is_full(&self) -> bool {
        self.list.len() >= self.cap
    }

    /// The kept problems, in the order they were found.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.list.iter()
    }

    /// How many problems were found, kept or not.
    pub fn total(&self) -> usize {
        self.total
    }

    /// How many problems were found but not kept.
    pub fn dropped(&self) -> usize {
        self.total - self.list.len()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.list {
            writeln!(f, "{d}")?;
        }
        if self.dropped() > 0 {
            writeln!(f, "... and {} more errors (only the first {} are listed)", self.dropped(), self.cap)?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Maps byte offsets of a text to lines and columns.
#[derive(Debug)]
pub(crate) struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { text, starts }
    }

    /// Line and column (in characters), both from 0.
    pub(crate) fn position(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let column = self.text.get(start..offset).map_or(0, |s| s.chars().count());
        (to_u32(line), to_u32(column))
    }
}

pub(crate) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The closest candidate to `word`, when one is close enough to be a likely
/// typo; of equally close ones, the first in byte order.
pub fn did_you_mean<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let limit = (word.chars().count() / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let distance = strsim::damerau_levenshtein(word, candidate);
        let prefix = candidate.len() >= 3 && (word.starts_with(candidate) || candidate.starts_with(word));
        let score = if distance <= limit {
            distance
        } else if prefix {
            limit
        } else {
            continue;
        };
        // Ties go to the smaller id, so the answer does not depend on the
        // candidates' order (the streaming reader's id table has none).
        if best.is_none_or(|(d, c)| score < d || (score == d && candidate < c)) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// ` (did you mean "x"?)` or nothing.
pub(crate) fn suggestion<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> String {
    did_you_mean(word, candidates).map_or_else(String::new, |c| format!(" (did you mean \"{c}\"?)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_from_zero() {
        let index = LineIndex::new("ab\n中文x\n");
        assert_eq!(index.position(0), (0, 0));
        assert_eq!(index.position(3), (1, 0));
        assert_eq!(index.position(9), (1, 2));
        assert_eq!(index.position(100), (2, 0));
    }

    #[test]
    fn suggestions() {
        assert_eq!(did_you_mean("chna", ["china", "chile", "interpol"]), Some("china"));
        assert_eq!(did_you_mean("membr_of", ["member_of", "part_of"]), Some("member_of"));
        assert_eq!(did_you_mean("zzz", ["china"]), None);
    }

    #[test]
    fn each_problem_keeps_its_kind_and_range() {
        let file: Arc<str> = Arc::from("x.toml");
        let at = |line, column| Location { file: Arc::clone(&file), line, column };
        let mut d = Diagnostics::default();
        d.push_syntax(at(1, 4), Some(at(1, 9)), "invalid TOML");
        d.push(at(2, 0), "unknown entity");
        d.push_io(&file, "cannot read the file");
        let mut all = Diagnostics::default();
        all.append(d);
        let kinds: Vec<_> = all.iter().map(|d| (d.kind, d.end.clone())).collect();
        assert_eq!(
            kinds,
            [(DiagnosticKind::Syntax, Some(at(1, 9))), (DiagnosticKind::Invalid, None), (DiagnosticKind::Io, None)]
        );
    }

    #[test]
    fn the_readers_give_each_problem_its_kind() {
        let kinds = |e: Diagnostics| {
            e.iter()
                .map(|d| (d.kind, d.location.to_string(), d.end.as_ref().map(|l| l.to_string())))
                .collect::<Vec<_>>()
        };
        // A table header left open: the parser's range runs to the next line.
        let toml = crate::load_texts(&[("d.toml", "[[country]\nid = = 1\n")], &Default::default()).err().map(kinds);
        assert_eq!(toml, Some(vec![(DiagnosticKind::Syntax, "d.toml:1:11".to_owned(), Some("d.toml:2:9".to_owned()))]));
        let csv = crate::load_texts(&[("entities.csv", "id,kind,label_en\nx,country\n")], &Default::default())
            .err()
            .map(kinds);
        assert!(csv.is_some_and(|k| k.iter().all(|(kind, _, _)| *kind != DiagnosticKind::Io)));
        let missing = crate::load_dir(std::path::Path::new("no-such-folder-of-data")).err().map(kinds);
        assert!(missing.is_some_and(|k| k.len() == 1 && k.iter().all(|(kind, _, _)| *kind == DiagnosticKind::Io)));
    }

    #[test]
    fn cap_counts_the_rest() {
        let file: Arc<str> = Arc::from("x");
        let mut d = Diagnostics::with_cap(2);
        for _ in 0..5 {
            d.push_file(&file, "bad");
        }
        assert_eq!(d.iter().count(), 2);
        assert_eq!(d.total(), 5);
        assert!(d.to_string().contains("and 3 more errors"));
    }
}
