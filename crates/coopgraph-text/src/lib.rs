//! Text folding shared by everything that matches names in text: the search
//! index of `coopgraph serve` and `coopgraph extract`.
//!
//! Folding makes two spellings of one name compare equal:
//!
//! - Unicode NFKC, which also turns full-width letters and digits into their
//!   ASCII forms (`ＳＣＯ` → `SCO`);
//! - lower case;
//! - traditional Chinese characters to simplified ones (`聯合國` → `联合国`),
//!   with the tables of MediaWiki and OpenCC that the `zhconv` crate
//!   precompiles.
//!
//! [`Folded`] keeps, for every character of the folded text, the index of
//! the character of the original text it came from, so that a match in the
//! folded text can be reported as a span of the original.
//!
//! ```
//! use coopgraph_text::{fold, Folded};
//!
//! assert_eq!(fold("ＳＣＯ Members"), "sco members");
//! assert_eq!(fold("聯合國"), "联合国");
//!
//! let folded = Folded::new("The ＳＣＯ");
//! assert_eq!(folded.text(), "the sco");
//! // "sco" starts at character 4 of the folded text, which came from
//! // character 4 of the original, and ends where the original's 7th ends.
//! assert_eq!(folded.original_span(4..7), Some(4..7));
//! ```
#![deny(missing_docs)]

use std::ops::Range;

use unicode_normalization::UnicodeNormalization;
use zhconv::{Variant, zhconv};

/// Folds `text` for matching: NFKC, lower case, simplified Chinese.
pub fn fold(text: &str) -> String {
    Folded::new(text).text
}

/// A folded text with a map from its characters back to the original's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folded {
    text: String,
    /// For each character of `text`, the index (in characters) of the
    /// original character it came from.
    origin: Vec<usize>,
    /// The number of characters of the original text.
    original_len: usize,
}

impl Folded {
    /// Folds `original`, character by character.
    ///
    /// NFKC and lower-casing are applied to each character on its own (a
    /// character may become several, as `ﬁ` becomes `fi`); the conversion to
    /// simplified Chinese runs over the whole text, so that its phrase tables
    /// apply, and is kept only where it leaves the number of characters
    /// unchanged. Otherwise each character is converted alone.
    pub fn new(original: &str) -> Self {
        let mut chars = Vec::with_capacity(original.len());
        let mut origin = Vec::with_capacity(original.len());
        let mut original_len = 0;
        for (index, c) in original.chars().enumerate() {
            original_len = index + 1;
            for n in std::iter::once(c).nfkc() {
                for l in n.to_lowercase() {
                    chars.push(l);
                    origin.push(index);
                }
            }
        }
        let widened: String = chars.iter().collect();
        let text = if chars.iter().any(|c| is_han(*c)) { simplify_keeping_length(&widened, &chars) } else { widened };
        Self { text, origin, original_len }
    }

    /// The folded text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The original span, in characters, that the folded characters
    /// `folded` (a range of character indices of [`Folded::text`]) came
    /// from; `None` for an empty or out-of-range span.
    pub fn original_span(&self, folded: Range<usize>) -> Option<Range<usize>> {
        if folded.start >= folded.end {
            return None;
        }
        let start = *self.origin.get(folded.start)?;
        let last = *self.origin.get(folded.end - 1)?;
        Some(start..(last + 1).min(self.original_len))
    }

    /// The number of characters of the folded text.
    pub fn len(&self) -> usize {
        self.origin.len()
    }

    /// Whether the folded text is empty.
    pub fn is_empty(&self) -> bool {
        self.origin.is_empty()
    }
}

/// Converts to simplified Chinese; where the phrase-level conversion of the
/// whole text changes its length, converts character by character instead,
/// so that the origin map stays true.
fn simplify_keeping_length(text: &str, chars: &[char]) -> String {
    let whole = zhconv(text, Variant::ZhHans);
    if whole.chars().count() == chars.len() {
        return whole;
    }
    let mut out = String::with_capacity(text.len());
    let mut buf = [0u8; 4];
    for c in chars {
        if is_han(*c) {
            let one = zhconv(c.encode_utf8(&mut buf), Variant::ZhHans);
            let mut converted = one.chars();
            match (converted.next(), converted.next()) {
                (Some(s), None) => out.push(s),
                _ => out.push(*c),
            }
        } else {
            out.push(*c);
        }
    }
    out
}

/// Whether `c` is a CJK ideograph (the Han script), by the blocks where
/// Chinese text lives: the unified ideographs and their extensions, and the
/// compatibility ideographs.
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F | 0x30000..=0x323AF)
}

/// The language a text is written in, judged by its script: Chinese when
/// its Han characters outnumber its Latin letters, English otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Script {
    /// Latin letters: taken as English.
    Latin,
    /// Han characters: taken as Chinese.
    Han,
}

impl Script {
    /// The script of `text`; Latin for a text with neither.
    pub fn of(text: &str) -> Self {
        let (mut han, mut latin) = (0usize, 0usize);
        for c in text.chars() {
            if is_han(c) {
                han += 1;
            } else if c.is_alphabetic() && c.is_ascii() {
                latin += 1;
            }
        }
        if han > latin { Script::Han } else { Script::Latin }
    }

    /// The BCP 47 tag the data uses for this script's language (`en`, `zh`).
    pub fn lang(self) -> &'static str {
        match self {
            Script::Latin => "en",
            Script::Han => "zh",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_width_case_and_traditional_characters() {
        assert_eq!(fold("ＩＮＴＥＲＰＯＬ"), "interpol");
        assert_eq!(fold("Shanghai Cooperation Organisation"), "shanghai cooperation organisation");
        assert_eq!(fold("上海合作組織"), "上海合作组织");
        assert_eq!(fold("湄公河流域執法安全合作"), "湄公河流域执法安全合作");
        assert_eq!(fold("中國"), fold("中国"));
    }

    #[test]
    fn spans_map_back_to_the_original_characters() {
        let original = "See ﬁnal 聯合國 text";
        let folded = Folded::new(original);
        assert_eq!(folded.text(), "see final 联合国 text");
        let text: Vec<char> = folded.text().chars().collect();
        let find = |needle: &str| {
            let n: Vec<char> = needle.chars().collect();
            (0..text.len()).find(|&i| text.get(i..i + n.len()) == Some(&n[..])).map(|i| i..i + n.len())
        };
        let original_chars: Vec<char> = original.chars().collect();
        let span = folded.original_span(find("final").unwrap()).unwrap();
        assert_eq!(original_chars[span].iter().collect::<String>(), "ﬁnal");
        let span = folded.original_span(find("联合国").unwrap()).unwrap();
        assert_eq!(original_chars[span].iter().collect::<String>(), "聯合國");
        assert_eq!(folded.original_span(3..3), None);
        assert_eq!(folded.original_span(0..1000), None);
    }

    #[test]
    fn every_folded_character_has_an_origin_inside_the_original() {
        for s in ["", "a", "ＡＢＣ", "İstanbul", "ﬃ", "中華人民共和國", "x\u{0301}y", "臺灣 Taiwan 台湾"]
        {
            let folded = Folded::new(s);
            assert_eq!(folded.text().chars().count(), folded.len(), "{s}");
            let n = s.chars().count();
            for i in 0..folded.len() {
                let span = folded.original_span(i..i + 1).unwrap();
                assert!(span.start < span.end && span.end <= n, "{s}: {span:?}");
            }
        }
    }

    #[test]
    fn script_decides_the_language() {
        assert_eq!(Script::of("Shanghai Cooperation Organisation").lang(), "en");
        assert_eq!(Script::of("上海合作组织 (SCO)").lang(), "zh");
        assert_eq!(Script::of("2016").lang(), "en");
    }
}
