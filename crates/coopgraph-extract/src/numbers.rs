//! Numbers with their comparator and unit: `more than 3,300 cases`,
//! `10.14 billion yuan`, `95.1亿元`, `2455人次`, `5.61万公里`, `十二名`,
//! `第51次`.

use std::sync::LazyLock;

use regex::Regex;

/// A number found in a paragraph, with what the text says it counts.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberMention {
    /// Character span in the paragraph (comparator, number, scale and unit).
    pub start: usize,
    /// End of the span (exclusive).
    pub end: usize,
    /// Where the digits start (characters), for ordering and attachment.
    pub at: usize,
    /// The value, scale applied (`10.14 billion` is 10140000000).
    pub value: f64,
    /// The value as the data writes it (`10140000000`, `12.7`).
    pub value_text: String,
    /// The unit (`people`, `CNY`, `countries and regions`).
    pub unit: String,
    /// The words after the number up to the unit, for choosing a measure.
    pub comparator: Option<&'static str>,
    /// True for an ordinal (`第51次`, the 51st round).
    pub ordinal: bool,
}

/// English unit words (singular or plural, lower case) and the unit they give.
const EN_UNITS: &[(&str, &str)] = &[
    ("countries and regions", "countries and regions"),
    ("countries", "countries"),
    ("country", "countries"),
    ("nations", "countries"),
    ("people", "people"),
    ("persons", "people"),
    ("person", "people"),
    ("officials", "people"),
    ("suspects", "people"),
    ("fugitives", "people"),
    ("members", "people"),
    ("officers", "people"),
    ("peacekeepers", "people"),
    ("policemen", "people"),
    ("individuals", "people"),
    ("cases", "cases"),
    ("treaties", "treaties"),
    ("documents", "documents"),
    ("hotlines", "hotlines"),
    ("mechanisms", "mechanisms"),
    ("missions", "missions"),
    ("vessels", "vessels"),
    ("ships", "vessels"),
    ("rounds", "rounds"),
    ("days", "days"),
    ("day", "days"),
    ("years", "years"),
    ("tons", "t"),
    ("tonnes", "t"),
    ("yuan", "CNY"),
    ("u.s. dollars", "USD"),
    ("us dollars", "USD"),
    ("dollars", "USD"),
    ("australian dollars", "AUD"),
    ("kilometers", "km"),
    ("kilometres", "km"),
    ("principles", "principles"),
    ("operations", "operations"),
    ("organizations", "organizations"),
    ("contingents", "contingents"),
];

/// Chinese unit words after a number (and its measure word) and the unit.
const ZH_UNITS: &[(&str, &str)] = &[
    ("个国家和地区", "countries and regions"),
    ("个国家（地区）", "countries and regions"),
    ("个国家(地区)", "countries and regions"),
    ("国家和地区", "countries and regions"),
    ("个国家", "countries"),
    ("个国际组织和多边机制", "organizations and mechanisms"),
    ("个机制", "mechanisms"),
    ("个合作机制", "mechanisms"),
    ("个工作组", "missions"),
    ("个窝点", "dens"),
    ("个犯罪窝点", "dens"),
    ("条热线", "hotlines"),
    ("条", "hotlines"),
    ("份", "documents"),
    ("人次", "person-times"),
    ("名", "people"),
    ("人", "people"),
    ("起", "cases"),
    ("宗", "cases"),
    ("件", "cases"),
    ("亿元", "CNY"),
    ("万元", "CNY"),
    ("元", "CNY"),
    ("美元", "USD"),
    ("吨", "t"),
    ("公里", "km"),
    ("次", "rounds"),
    ("轮", "rounds"),
    ("天", "days"),
    ("年", "years"),
    ("批", "contingents"),
    ("支", "contingents"),
    ("项", "principles"),
    ("个", "items"),
];

/// Nouns that follow 个 and a few words (`个双多边合作机制`), in the order tried.
const ZH_NOUNS: &[(&str, &str)] = &[
    ("国家和地区", "countries and regions"),
    ("国家", "countries"),
    ("机制", "mechanisms"),
    ("热线", "hotlines"),
    ("窝点", "dens"),
    ("组织", "organizations"),
    ("文件", "documents"),
];

const EN_SCALES: &[(&str, f64)] = &[("thousand", 1e3), ("million", 1e6), ("billion", 1e9), ("trillion", 1e12)];

/// Comparators before the number, in the text's words, and the comparator they give.
const BEFORE: &[(&str, &str)] = &[
    ("more than", "more than"),
    ("over", "more than"),
    ("above", "more than"),
    ("at least", "at least"),
    ("nearly", "nearly"),
    ("almost", "nearly"),
    ("about", "about"),
    ("around", "about"),
    ("approximately", "about"),
    ("up to", "up to"),
    ("逾", "more than"),
    ("超过", "more than"),
    ("近", "nearly"),
    ("约", "about"),
];

/// Comparators after the number (`3300余起`, `100多次`).
const AFTER: &[(&str, &str)] = &[("余", "more than"), ("多", "more than"), ("以上", "at least")];

static NUMBER: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(第)?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?:\s*(st|nd|rd|th)(?-u:\b))?|(第)?([零〇一二两三四五六七八九十百千万]+)|(?-u:\b)(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)(?-u:\b)",
    )
    .ok()
});

/// English number words, read only before a unit (`the three countries`).
const EN_NUMBERS: &[&str] =
    &["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];

/// Reads a Chinese numeral (`十二`, `二十五`, `三百`, `一万`).
pub fn chinese_numeral(text: &str) -> Option<u64> {
    let mut total: u64 = 0;
    let mut section: u64 = 0;
    let mut digit: Option<u64> = None;
    for c in text.chars() {
        let d = match c {
            '零' | '〇' => Some(0),
            '一' => Some(1),
            '二' | '两' => Some(2),
            '三' => Some(3),
            '四' => Some(4),
            '五' => Some(5),
            '六' => Some(6),
            '七' => Some(7),
            '八' => Some(8),
            '九' => Some(9),
            _ => None,
        };
        if let Some(d) = d {
            digit = Some(d);
            continue;
        }
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            '万' => {
                total = total.checked_add(section.checked_add(digit.take().unwrap_or(0))?)?.checked_mul(10_000)?;
                section = 0;
                continue;
            }
            _ => return None,
        };
        section = section.checked_add(digit.take().unwrap_or(1).checked_mul(unit)?)?;
    }
    total.checked_add(section)?.checked_add(digit.unwrap_or(0))
}

/// Formats a value as the data writes it: an integer when whole, else the
/// shortest decimal.
pub fn value_text(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 9.0e15 {
        format!("{value:.0}")
    } else {
        let s = format!("{value:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

/// Every number of `text` that carries a unit, with its comparator.
pub fn find_numbers(text: &str) -> Vec<NumberMention> {
    let Some(re) = NUMBER.as_ref() else { return Vec::new() };
    let chars_before = |byte: usize| text.get(..byte).map_or(0, |s| s.chars().count());
    let mut out = Vec::new();
    for caps in re.captures_iter(text) {
        let Some(whole) = caps.get(0) else { continue };
        let (mut bs, mut be) = (whole.start(), whole.end());
        let prev = text.get(..bs).and_then(|s| s.chars().last());
        // A currency written before the digits (`RMB9.5 billion`).
        let currency = text.get(..bs).is_some_and(|b| b.to_lowercase().ends_with("rmb"));
        if prev.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.') && !currency {
            continue;
        }
        let ordinal_zh = caps.get(1).or(caps.get(5)).is_some();
        let ordinal_en = caps.get(4).is_some();
        let (mut value, digits) = if let Some(int) = caps.get(2) {
            let int: String = int.as_str().chars().filter(|c| c.is_ascii_digit()).collect();
            let frac = caps.get(3).map_or("", |m| m.as_str());
            let Ok(v) = format!("{int}.{}", if frac.is_empty() { "0" } else { frac }).parse::<f64>() else { continue };
            (v, true)
        } else if let Some(word) = caps.get(7) {
            let Some(n) = EN_NUMBERS.iter().position(|w| *w == word.as_str().to_lowercase()) else { continue };
            (n as f64 + 2.0, true)
        } else {
            let Some(n) = caps.get(6).and_then(|m| chinese_numeral(m.as_str())) else { continue };
            (n as f64, false)
        };
        if ordinal_en {
            continue;
        }
        let rest = text.get(be..).unwrap_or_default();
        if rest.starts_with("年代") || rest.starts_with("世纪") {
            continue;
        }
        // Scale words.
        let mut rest_after = rest;
        let lower_rest = rest.to_lowercase();
        let mut scaled = false;
        for (word, factor) in EN_SCALES {
            let spaced = format!(" {word}");
            if lower_rest.starts_with(&spaced) {
                value *= factor;
                rest_after = rest.get(spaced.len()..).unwrap_or_default();
                scaled = true;
                break;
            }
        }
        if !scaled {
            if let Some(r) = rest.strip_prefix('万') {
                value *= 1e4;
                rest_after = r;
            } else if let Some(r) = rest.strip_prefix('亿') {
                value *= 1e8;
                rest_after = r;
            }
        }
        be = text.len() - rest_after.len();
        // Comparators after the number.
        let mut comparator = None;
        for (word, comp) in AFTER {
            if let Some(r) = rest_after.strip_prefix(word) {
                comparator = Some(*comp);
                rest_after = r;
                be = text.len() - rest_after.len();
                break;
            }
        }
        // The unit.
        let mut unit = None;
        if !digits || rest_after.chars().next().is_some_and(coopgraph_text::is_han) {
            for (word, u) in ZH_UNITS {
                if let Some(r) = rest_after.strip_prefix(word) {
                    unit = Some(*u);
                    be = text.len() - r.len();
                    break;
                }
            }
            if unit.is_some_and(|u| u == "items") {
                // 个 and a noun a few characters on: 129个双多边合作机制.
                let ahead: String = text
                    .get(be..)
                    .unwrap_or_default()
                    .chars()
                    .take_while(|c| coopgraph_text::is_han(*c))
                    .take(10)
                    .collect();
                unit = ZH_NOUNS.iter().find(|(noun, _)| ahead.contains(noun)).map(|(_, u)| *u);
                if unit.is_none() && ahead.is_empty() {
                    // The noun before the number: 多边机制82个.
                    unit = noun_before(text.get(..bs).unwrap_or_default());
                }
            }
        } else if !scaled && counts_people(rest_after) {
            // A bare number that is the subject of a verb counts people:
            // "390 turned themselves in", "208 are implicated".
            unit = Some("people");
        } else {
            let lower = rest_after.to_lowercase();
            let words: Vec<(usize, &str)> = word_offsets(&lower);
            'search: for (i, &(offset, word)) in words.iter().take(5).enumerate() {
                if word.starts_with(|c: char| c.is_ascii_digit()) {
                    break;
                }
                let tail = lower.get(offset..).unwrap_or_default();
                for (word, u) in EN_UNITS {
                    if tail.starts_with(word)
                        && tail.get(word.len()..).is_none_or(|t| t.chars().next().is_none_or(|c| !c.is_alphanumeric()))
                    {
                        unit = Some(*u);
                        be = text.len() - rest_after.len() + offset + word.len();
                        break 'search;
                    }
                }
                // Stop at punctuation that ends the noun phrase.
                let gap = lower.get(..offset).unwrap_or_default();
                if i > 0 && gap.contains([',', ';', '(', ')']) {
                    break;
                }
            }
        }
        // Currency signs before the number.
        let before = text.get(..bs).unwrap_or_default();
        if currency {
            unit = Some("CNY");
            bs -= 3;
        } else if before.ends_with("a$") || before.ends_with("A$") {
            unit = Some("AUD");
            bs -= 2;
        } else if before.ends_with('$') {
            unit = Some("USD");
            bs -= 1;
        }
        if unit == Some("years") && text.get(be..).is_some_and(|r| r.starts_with('来')) {
            continue; // 一年来: "over the past year"
        }
        // "39 treaties, including 29 that ...", "40个国家，其中32个": a bare
        // number right after a part word counts what the number before it counts.
        let unit = match unit {
            Some(u) => u.to_owned(),
            None => {
                let before: String = text
                    .get(..bs)
                    .unwrap_or_default()
                    .chars()
                    .rev()
                    .take(14)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                let before = before.to_lowercase();
                let part = ["including ", "of which ", "with ", "其中", "其中有", "包括"]
                    .iter()
                    .any(|w| before.trim_end().ends_with(w.trim_end()))
                    || [" of which", " of them", " of these"].iter().any(|w| rest_after.starts_with(w));
                match (part, out.last()) {
                    (true, Some(NumberMention { unit, .. })) => unit.clone(),
                    _ => continue,
                }
            }
        };
        if comparator.is_none() {
            let lower_before = text.get(..bs).unwrap_or_default().to_lowercase();
            for (word, comp) in BEFORE {
                let trimmed = lower_before.trim_end();
                if trimmed.ends_with(word) && trimmed.len() + 2 >= lower_before.len() {
                    let starts_word = trimmed
                        .get(..trimmed.len() - word.len())
                        .and_then(|s| s.chars().last())
                        .is_none_or(|c| !c.is_ascii_alphanumeric());
                    if starts_word {
                        comparator = Some(*comp);
                        bs = trimmed.len() - word.len();
                        break;
                    }
                }
            }
        }
        let ordinal = ordinal_zh;
        out.push(NumberMention {
            start: chars_before(bs),
            end: chars_before(be),
            at: chars_before(whole.start()),
            value,
            value_text: value_text(value),
            unit,
            comparator,
            ordinal,
        });
    }
    out
}

/// Verbs (and auxiliaries) that, right after a bare number, make the
/// number their subject: what it counts are people.
const PEOPLE_VERBS: &[&str] = &[
    "are",
    "were",
    "was",
    "have",
    "had",
    "has",
    "turned",
    "surrendered",
    "returned",
    "fled",
    "died",
    "remain",
    "remained",
    "confessed",
    "gave",
];

/// Whether the text after a bare English number starts with a verb of
/// [`PEOPLE_VERBS`] (`390 turned themselves in`).
fn counts_people(rest: &str) -> bool {
    let Some(tail) = rest.strip_prefix(' ') else { return false };
    let word: String = tail.chars().take_while(char::is_ascii_alphabetic).collect();
    PEOPLE_VERBS.contains(&word.as_str())
}

/// The unit of a noun right before a count that ends in 个 (`机制82个`):
/// the nouns of [`ZH_NOUNS`] in the last characters before it, an
/// organization and a mechanism together giving both.
fn noun_before(before: &str) -> Option<&'static str> {
    let tail: String = before.chars().rev().take(12).collect::<Vec<_>>().into_iter().rev().collect();
    if !tail.chars().last().is_some_and(coopgraph_text::is_han) {
        return None;
    }
    if tail.contains("组织") && tail.contains("机制") {
        return Some("organizations and mechanisms");
    }
    ZH_NOUNS.iter().find(|(noun, _)| tail.ends_with(noun)).map(|(_, u)| *u)
}

/// Word starts (byte offsets) of `text`.
fn word_offsets(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let word_char = c.is_alphanumeric() || c == '.' || c == '-';
        match (start, word_char) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                out.push((s, text.get(s..i).unwrap_or_default()));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.get(s..).unwrap_or_default()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(text: &str) -> Vec<(String, String, String, Option<&'static str>)> {
        let chars: Vec<char> = text.chars().collect();
        find_numbers(text)
            .into_iter()
            .map(|n| (chars[n.start..n.end].iter().collect(), n.value_text, n.unit, n.comparator))
            .collect()
    }

    fn n(t: &str, v: &str, u: &str, c: Option<&'static str>) -> (String, String, String, Option<&'static str>) {
        (t.to_owned(), v.to_owned(), u.to_owned(), c)
    }

    #[test]
    fn english_numbers_with_scale_unit_and_comparator() {
        assert_eq!(
            numbers("It returned 3,453 fugitives and 10.14 billion yuan (1.63 billion U.S. dollars)."),
            vec![
                n("3,453 fugitives", "3453", "people", None),
                n("10.14 billion yuan", "10140000000", "CNY", None),
                n("1.63 billion U.S. dollars", "1630000000", "USD", None),
            ]
        );
        assert_eq!(
            numbers("more than 3,300 requests from over 90 countries, nearly 39 extradition treaties"),
            vec![
                n("over 90 countries", "90", "countries", Some("more than")),
                n("nearly 39 extradition treaties", "39", "treaties", Some("nearly")),
            ]
        );
        assert_eq!(
            numbers("Of the 70 held, 41 turned themselves in, 12 were sentenced and 9 had fled; 30 cases remain."),
            vec![
                n("41", "41", "people", None),
                n("12", "12", "people", None),
                n("9", "9", "people", None),
                n("30 cases", "30", "cases", None),
            ]
        );
        assert_eq!(
            numbers("funding of A$20 million and $14.8 million"),
            vec![n("A$20 million", "20000000", "AUD", None), n("$14.8 million", "14800000", "USD", None),]
        );
    }

    #[test]
    fn chinese_numbers_with_scale_unit_and_comparator() {
        assert_eq!(
            numbers("追回95.1亿元，派遣2455人次，逾5.61万公里，抓获1168名"),
            vec![
                n("95.1亿元", "9510000000", "CNY", None),
                n("2455人次", "2455", "person-times", None),
                n("逾5.61万公里", "56100", "km", Some("more than")),
                n("1168名", "1168", "people", None),
            ]
        );
        assert_eq!(
            numbers("十二名队员，第51次联合巡逻，3300余起"),
            vec![
                n("十二名", "12", "people", None),
                n("第51次", "51", "rounds", None),
                n("3300余起", "3300", "cases", Some("more than")),
            ]
        );
    }

    #[test]
    fn chinese_numerals() {
        for (t, v) in [("十", 10), ("十二", 12), ("二十五", 25), ("三百零一", 301), ("一万二千", 12000), ("两", 2)]
        {
            assert_eq!(chinese_numeral(t), Some(v), "{t}");
        }
    }
}
