//! Dates in both languages: absolute (`2016-11-11`, `October 2014`,
//! `2016年9月10日`, `9月20日` with the document's year) and relative to the
//! document's date (`last November`, `this year`, `去年`, `今年`).

use std::sync::LazyLock;

use coopgraph_model::PartialDate;
use regex::Regex;

/// A date found in a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateMention {
    /// Character span in the paragraph.
    pub start: usize,
    /// End of the span (exclusive).
    pub end: usize,
    /// The date it denotes.
    pub date: PartialDate,
    /// True when resolved against the document's date.
    pub relative: bool,
    /// How the date bounds the facts of its sentence.
    pub role: DateRole,
}

/// How a date bounds a fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateRole {
    /// The fact held at the date (`as of`, `截至`, `by`).
    AsOf,
    /// The fact began then (`since`, `以来`).
    Since,
    /// The fact happened then.
    At,
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

pub(crate) fn month_number(word: &str) -> Option<u8> {
    let w = word.trim_end_matches('.').to_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(&w) && (w.len() >= 3) && (w == *m || w.len() <= 4))
        .and_then(|i| u8::try_from(i + 1).ok())
}

/// The patterns use ASCII word boundaries (`(?-u:\b)`): with Unicode ones
/// the regex engine cannot run its DFA over Chinese text and falls back to
/// backtracking, many times slower; a Han character next to a digit is a
/// boundary then, which the checks below (`年` after a year) expect.
static PATTERNS: LazyLock<Vec<(Kind, Regex)>> = LazyLock::new(|| {
    let month = r"(January|February|March|April|May|June|July|August|September|October|November|December|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)";
    let ci = |p: String| format!("(?i){p}");
    let table = [
        (Kind::Iso, r"(?-u:\b)((?:19|20)\d\d)-(\d\d)-(\d\d)(?-u:\b)".to_owned()),
        (Kind::ZhYmd, r"((?:19|20)\d\d)年(\d{1,2})月(\d{1,2})日".to_owned()),
        (Kind::ZhYm, r"((?:19|20)\d\d)年(\d{1,2})月".to_owned()),
        (Kind::ZhMd, r"(今年|去年|明年)?(\d{1,2})月(\d{1,2})日".to_owned()),
        (Kind::ZhY, r"((?:19|20)\d\d)年".to_owned()),
        (Kind::ZhRelYm, r"(今年|去年|明年)(\d{1,2})月".to_owned()),
        (Kind::ZhRel, r"(今年|去年|明年)".to_owned()),
        (Kind::ZhM, r"(\d{1,2})月".to_owned()),
        (Kind::EnMdy, ci(format!(r"(?-u:\b){month}\s+(\d{{1,2}}),?\s+((?:19|20)\d\d)(?-u:\b)"))),
        (Kind::EnDmy, ci(format!(r"(?-u:\b)(\d{{1,2}})\s+{month}\s+((?:19|20)\d\d)(?-u:\b)"))),
        (Kind::EnMy, ci(format!(r"(?-u:\b){month}\s+((?:19|20)\d\d)(?-u:\b)"))),
        (Kind::EnRelM, format!(r"(?i)(?-u:\b)(last|this|next|late|early)\s+{month}")),
        (
            Kind::EnRel,
            r"(?i)(?-u:\b)(last year|this year|next year|the past year|the previous year)(?-u:\b)".to_owned(),
        ),
        (Kind::EnMd, ci(format!(r"(?-u:\b){month}\s+(\d{{1,2}})(?-u:\b)"))),
        (Kind::EnY, r"(?-u:\b)((?:19|20)\d\d)(?-u:\b)".to_owned()),
    ];
    table.into_iter().filter_map(|(k, p)| Regex::new(&p).ok().map(|r| (k, r))).collect()
});

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Iso,
    ZhYmd,
    ZhYm,
    ZhMd,
    ZhY,
    ZhRelYm,
    ZhRel,
    ZhM,
    EnMdy,
    EnDmy,
    EnMy,
    EnRelM,
    EnRel,
    EnMd,
    EnY,
}

fn shift(word: &str, base: i32) -> i32 {
    match word.to_lowercase().as_str() {
        "去年" | "last year" | "the previous year" | "the past year" => base - 1,
        "明年" | "next year" => base + 1,
        _ => base,
    }
}

/// Every date in `text`, resolved against the document's date `doc`
/// (relative dates and dates without a year are dropped without one).
pub fn find_dates(text: &str, doc: Option<&PartialDate>) -> Vec<DateMention> {
    let chars_before = |byte: usize| text.get(..byte).map_or(0, |s| s.chars().count());
    let mut taken: Vec<(usize, usize)> = Vec::new();
    let mut out = Vec::new();
    for (kind, re) in PATTERNS.iter() {
        for caps in re.captures_iter(text) {
            let Some(whole) = caps.get(0) else { continue };
            let (bs, be) = (whole.start(), whole.end());
            if taken.iter().any(|&(s, e)| s < be && bs < e) {
                continue;
            }
            let g = |i: usize| caps.get(i).map_or("", |m| m.as_str());
            let num = |i: usize| g(i).parse::<i64>().ok();
            let year_of_doc = doc.map(PartialDate::year);
            let (date, relative) = match kind {
                Kind::Iso | Kind::ZhYmd => (ymd(num(1), num(2), num(3)), false),
                Kind::ZhYm => (ym(num(1), num(2)), false),
                Kind::ZhY | Kind::EnY => {
                    // A bare year inside a longer number or before a unit is no date.
                    let after = text.get(be..).and_then(|s| s.chars().next());
                    if *kind == Kind::EnY && after.is_some_and(|c| c.is_ascii_digit() || c == '年') {
                        continue;
                    }
                    (ym(num(1), None), false)
                }
                Kind::ZhMd => {
                    let year = year_of_doc.map(|y| shift(g(1), y));
                    (ymd(year.map(i64::from), num(2), num(3)), true)
                }
                Kind::ZhRelYm => (ym(year_of_doc.map(|y| i64::from(shift(g(1), y))), num(2)), true),
                Kind::ZhRel => (ym(year_of_doc.map(|y| i64::from(shift(g(1), y))), None), true),
                Kind::ZhM => {
                    // Only right after a date's year context: 10月 in a document of a known year.
                    let before = text.get(..bs).and_then(|s| s.chars().last());
                    if before.is_some_and(|c| c.is_ascii_digit()) {
                        continue;
                    }
                    (ym(year_of_doc.map(i64::from), num(1)), true)
                }
                Kind::EnMdy => (ymd(num(3), month_number(g(1)).map(i64::from), num(2)), false),
                Kind::EnDmy => (ymd(num(3), month_number(g(2)).map(i64::from), num(1)), false),
                Kind::EnMy => (ym(num(2), month_number(g(1)).map(i64::from)), false),
                Kind::EnMd => {
                    let month = month_number(g(1));
                    let day = num(2);
                    if day.is_some_and(|d| d > 31) {
                        continue;
                    }
                    (ymd(year_of_doc.map(i64::from), month.map(i64::from), day), true)
                }
                Kind::EnRelM => {
                    let month = month_number(g(2));
                    let (Some(doc), Some(m)) = (doc, month) else { continue };
                    let year = match g(1).to_lowercase().as_str() {
                        "last" if doc.month().is_none_or(|dm| m >= dm) => doc.year() - 1,
                        "next" if doc.month().is_none_or(|dm| m <= dm) => doc.year() + 1,
                        _ => doc.year(),
                    };
                    (ym(Some(i64::from(year)), Some(i64::from(m))), true)
                }
                Kind::EnRel => (ym(year_of_doc.map(|y| i64::from(shift(g(1), y))), None), true),
            };
            let Some(date) = date else { continue };
            taken.push((bs, be));
            let before: String = text
                .get(..bs)
                .unwrap_or_default()
                .chars()
                .rev()
                .take(12)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let after: String = text.get(be..).unwrap_or_default().chars().take(4).collect();
            let before_lower = before.to_lowercase();
            let role = if before_lower.ends_with("as of ")
                || before_lower.ends_with("by ")
                || before.ends_with("截至")
                || before.ends_with("截止")
                || before.ends_with("到")
            {
                DateRole::AsOf
            } else if before_lower.ends_with("since ") || after.starts_with("以来") || before.ends_with("自") {
                DateRole::Since
            } else {
                DateRole::At
            };
            out.push(DateMention { start: chars_before(bs), end: chars_before(be), date, relative, role });
        }
    }
    out.sort_by_key(|d| (d.start, d.end));
    out
}

fn ymd(year: Option<i64>, month: Option<i64>, day: Option<i64>) -> Option<PartialDate> {
    let (y, m, d) = (i32::try_from(year?).ok()?, u8::try_from(month?).ok()?, u8::try_from(day?).ok()?);
    PartialDate::ymd(y, m, d).or_else(|| format!("{y:04}-{m:02}-{d:02}").parse().ok())
}

fn ym(year: Option<i64>, month: Option<i64>) -> Option<PartialDate> {
    let y = i32::try_from(year?).ok()?;
    if !(1000..=2999).contains(&y) {
        return None;
    }
    match month {
        Some(m) if (1..=12).contains(&m) => format!("{y:04}-{m:02}").parse().ok(),
        Some(_) => None,
        None => format!("{y:04}").parse().ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(text: &str, doc: &str) -> Vec<(String, String, bool)> {
        let doc: PartialDate = doc.parse().unwrap();
        let chars: Vec<char> = text.chars().collect();
        find_dates(text, Some(&doc))
            .into_iter()
            .map(|d| (chars[d.start..d.end].iter().collect(), d.date.to_string(), d.relative))
            .collect()
    }

    fn abs(t: &str, d: &str) -> (String, String, bool) {
        (t.to_owned(), d.to_owned(), false)
    }

    fn rel(t: &str, d: &str) -> (String, String, bool) {
        (t.to_owned(), d.to_owned(), true)
    }

    #[test]
    fn absolute_dates_in_both_languages() {
        assert_eq!(
            dates("Filed 2016-11-11; in October 2014 and on 5 May 2013.", "2016"),
            vec![abs("2016-11-11", "2016-11-11"), abs("October 2014", "2014-10"), abs("5 May 2013", "2013-05-05"),]
        );
        assert_eq!(
            dates("2016年9月10日，2015年11月以来，截至2016年", "2016-11-11"),
            vec![abs("2016年9月10日", "2016-09-10"), abs("2015年11月", "2015-11"), abs("2016年", "2016"),]
        );
    }

    #[test]
    fn relative_dates_resolve_against_the_document_date() {
        assert_eq!(
            dates("last November and last year, this year", "2015-04"),
            vec![rel("last November", "2014-11"), rel("last year", "2014"), rel("this year", "2015"),]
        );
        assert_eq!(
            dates("去年，今年10月，9月20日", "2016-11-11"),
            vec![rel("去年", "2015"), rel("今年10月", "2016-10"), rel("9月20日", "2016-09-20"),]
        );
    }

    #[test]
    fn numbers_are_not_years() {
        assert_eq!(dates("2455人次 and 20000 people", "2016"), vec![]);
    }
}
