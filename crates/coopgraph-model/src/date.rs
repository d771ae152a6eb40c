//! Dates of the precision the sources give: a year, a month or a day.

use std::fmt;
use std::str::FromStr;

/// A calendar date known to the year, the month or the day (`2015`,
/// `2015-04`, `2015-04-01`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    year: i32,
    month: Option<u8>,
    day: Option<u8>,
}

/// Why a date was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed date \"{text}\": {reason}; expected YYYY, YYYY-MM or YYYY-MM-DD")]
pub struct DateError {
    text: String,
    reason: &'static str,
}

/// How precise a [`PartialDate`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DatePrecision {
    /// Known to the year.
    Year,
    /// Known to the month.
    Month,
    /// Known to the day.
    Day,
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

impl PartialDate {
    /// A date known to the day; `None` when the day does not exist.
    pub fn ymd(year: i32, month: u8, day: u8) -> Option<Self> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)).then_some(Self {
            year,
            month: Some(month),
            day: Some(day),
        })
    }

    /// The year.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// The month, when known.
    pub fn month(&self) -> Option<u8> {
        self.month
    }

    /// The day, when known.
    pub fn day(&self) -> Option<u8> {
        self.day
    }

    /// How precise the date is.
    pub fn precision(&self) -> DatePrecision {
        match (self.month, self.day) {
            (Some(_), Some(_)) => DatePrecision::Day,
            (Some(_), None) => DatePrecision::Month,
            _ => DatePrecision::Year,
        }
    }

    /// First day the date may stand for, as (year, month, day).
    pub fn earliest(&self) -> (i32, u8, u8) {
        (self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// Last day the date may stand for, as (year, month, day).
    pub fn latest(&self) -> (i32, u8, u8) {
        let month = self.month.unwrap_or(12);
        (self.year, month, self.day.unwrap_or_else(|| days_in_month(self.year, month)))
    }

    /// True when every day this date may stand for comes before every day
    /// `other` may stand for.
    pub fn wholly_before(&self, other: &PartialDate) -> bool {
        self.latest() < other.earliest()
    }
}

impl FromStr for PartialDate {
    type Err = DateError;

    fn from_str(text: &str) -> Result<Self, DateError> {
        let err = |reason| DateError { text: text.to_owned(), reason };
        let mut parts = text.split('-');
        let year_text = parts.next().unwrap_or("");
        if year_text.len() != 4 || !year_text.chars().all(|c| c.is_ascii_digit()) {
            return Err(err("the year must have four digits"));
        }
        let year: i32 = year_text.parse().map_err(|_| err("the year is not a number"))?;
        let mut number = |what| -> Result<Option<u8>, DateError> {
            match parts.next() {
                None => Ok(None),
                Some(p) if p.len() == 2 && p.chars().all(|c| c.is_ascii_digit()) => {
                    p.parse().map(Some).map_err(|_| err(what))
                }
                Some(_) => Err(err(what)),
            }
        };
        let month = number("the month must have two digits")?;
        let day = number("the day must have two digits")?;
        if parts.next().is_some() {
            return Err(err("too many parts"));
        }
        if let Some(m) = month {
            if !(1..=12).contains(&m) {
                return Err(err("the month must be 01 to 12"));
            }
            if let Some(d) = day
                && (d == 0 || d > days_in_month(year, m))
            {
                return Err(err("that day does not exist in that month"));
            }
        }
        Ok(Self { year, month, day })
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl PartialOrd for PartialDate {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for PartialDate {
    /// Orders by earliest day, then the less precise first.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.year, self.month, self.day).cmp(&(other.year, other.month, other.day))
    }
}

/// The time qualifiers a relation or figure may carry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Period {
    /// A point in time (when something happened).
    pub date: Option<PartialDate>,
    /// Start of a period.
    pub start: Option<PartialDate>,
    /// End of a period.
    pub end: Option<PartialDate>,
    /// The date a status or figure was true on.
    pub as_of: Option<PartialDate>,
    /// Set when the text does not state these dates outright and they were
    /// resolved from context (a relative date such as "last November", or a
    /// year read from a report's coverage): how they were resolved, in our
    /// own words. `None` for dates the text states.
    pub inferred: Option<String>,
}

impl Period {
    /// True when no qualifier is set.
    pub fn is_empty(&self) -> bool {
        self.date.is_none() && self.start.is_none() && self.end.is_none() && self.as_of.is_none()
    }

    /// The earliest date mentioned, for sorting timelines.
    pub fn sort_key(&self) -> Option<PartialDate> {
        [self.date, self.start, self.as_of, self.end].into_iter().flatten().min()
    }

    /// The first and the last day the period's dates cover, as
    /// `YYYY-MM-DD`: a year covers 1 January to 31 December, a month its
    /// first to its last day. These are what date filters compare (a
    /// `gYear` and an `xsd:date` do not compare in SPARQL). `None` when the
    /// period has no date.
    pub fn day_bounds(&self) -> Option<(String, String)> {
        let dates = [self.date, self.start, self.end, self.as_of];
        let first = dates.iter().flatten().map(PartialDate::earliest).min()?;
        let last = dates.iter().flatten().map(PartialDate::latest).max()?;
        let day = |(y, m, d): (i32, u8, u8)| format!("{y:04}-{m:02}-{d:02}");
        Some((day(first), day(last)))
    }

    /// Whether any date of the period falls in `[since, until]` (either bound
    /// optional); an undated period never does when a bound is given.
    pub fn overlaps(&self, since: Option<PartialDate>, until: Option<PartialDate>) -> bool {
        let first = [self.date, self.start, self.as_of].into_iter().flatten().min();
        let last = [self.date, self.end, self.as_of, self.start].into_iter().flatten().max();
        match (first, last) {
            (Some(first), Some(last)) => {
                since.is_none_or(|s| !last.wholly_before(&s)) && until.is_none_or(|u| !u.wholly_before(&first))
            }
            _ => since.is_none() && until.is_none(),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(d) = self.date {
            parts.push(d.to_string());
        }
        match (self.start, self.end) {
            (Some(s), Some(e)) => parts.push(format!("{s}–{e}")),
            (Some(s), None) => parts.push(format!("from {s}")),
            (None, Some(e)) => parts.push(format!("until {e}")),
            (None, None) => {}
        }
        if let Some(a) = self.as_of {
            parts.push(format!("as of {a}"));
        }
        f.write_str(&parts.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> PartialDate {
        text.parse().unwrap()
    }

    #[test]
    fn day_bounds_cover_whole_years_and_months() {
        let p = |date: Option<&str>, start: Option<&str>, end: Option<&str>| Period {
            date: date.map(d),
            start: start.map(d),
            end: end.map(d),
            as_of: None,
            inferred: None,
        };
        assert_eq!(p(Some("2015"), None, None).day_bounds(), Some(("2015-01-01".into(), "2015-12-31".into())));
        assert_eq!(p(None, Some("2016-02"), None).day_bounds(), Some(("2016-02-01".into(), "2016-02-29".into())));
        assert_eq!(
            p(None, Some("2014-07-22"), Some("2015")).day_bounds(),
            Some(("2014-07-22".into(), "2015-12-31".into()))
        );
        assert_eq!(Period::default().day_bounds(), None);
    }

    #[test]
    fn parses_three_precisions() {
        assert_eq!(d("2015").precision(), DatePrecision::Year);
        assert_eq!(d("2015-04").precision(), DatePrecision::Month);
        assert_eq!(d("2016-02-29").precision(), DatePrecision::Day);
        assert_eq!(d("2015-04-01").to_string(), "2015-04-01");
    }

    #[test]
    fn refuses_malformed() {
        for bad in ["", "15", "2015-4", "2015-13", "2015-02-29", "2015-04-31", "2015/04", "2015-04-01-01", "abcd"] {
            assert!(bad.parse::<PartialDate>().is_err(), "{bad}");
        }
    }

    #[test]
    fn wholly_before_respects_precision() {
        assert!(!d("2015").wholly_before(&d("2015-06")));
        assert!(d("2014").wholly_before(&d("2015-01")));
        assert!(d("2015-05-31").wholly_before(&d("2015-06")));
        assert!(!d("2015-06").wholly_before(&d("2015-06-30")));
    }

    #[test]
    fn overlaps() {
        let p = Period { start: Some(d("2015-04")), end: Some(d("2015-12")), ..Period::default() };
        assert!(p.overlaps(Some(d("2015")), None));
        assert!(!p.overlaps(Some(d("2016")), None));
        assert!(!p.overlaps(None, Some(d("2014"))));
        assert!(!Period::default().overlaps(Some(d("2015")), None));
        assert!(Period::default().overlaps(None, None));
    }
}
