//! A document cut into paragraphs and sentences, by the rule of
//! data/README.md: paragraph N is the N-th line that is not blank.

use coopgraph_text::{Folded, Script};

/// One paragraph: its number, text, characters and folded form.
#[derive(Debug)]
pub struct Paragraph {
    /// The paragraph number, from 1.
    pub number: u32,
    /// The text as written (without the line end).
    pub text: String,
    /// The characters of `text`, for spans counted in characters.
    pub chars: Vec<char>,
    /// The folded text (NFKC, lower case, simplified), with its map back.
    pub folded: Folded,
    /// The characters of the folded text.
    pub folded_chars: Vec<char>,
    /// The language, by script.
    pub lang: &'static str,
    /// For each original character (and the end), the first folded
    /// character that comes from it or from a later one.
    pub folded_at: Vec<usize>,
}

impl Paragraph {
    /// The original characters `start..end`, as a string ("" when out of range).
    pub fn slice(&self, start: usize, end: usize) -> String {
        self.chars.get(start..end).map(|c| c.iter().collect()).unwrap_or_default()
    }

    /// The sentences of this paragraph as character ranges of the original.
    pub fn sentences(&self) -> Vec<(usize, usize)> {
        sentence_ranges(&self.chars)
    }
}

/// Cuts `text` into paragraphs.
pub fn paragraphs(text: &str) -> Vec<Paragraph> {
    let mut out = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            continue;
        }
        let number = u32::try_from(out.len() + 1).unwrap_or(u32::MAX);
        let line = line.trim_end_matches('\r');
        let folded = Folded::new(line);
        let n = line.chars().count();
        let folded_len = folded.len();
        let mut folded_at = vec![folded_len; n + 1];
        let mut next = 0;
        for i in 0..folded_len {
            if let Some(r) = folded.original_span(i..i + 1) {
                while next <= r.start {
                    if let Some(slot) = folded_at.get_mut(next) {
                        *slot = i;
                    }
                    next += 1;
                }
            }
        }
        out.push(Paragraph {
            folded_at,
            number,
            text: line.to_owned(),
            chars: line.chars().collect(),
            folded_chars: folded.text().chars().collect(),
            folded,
            lang: Script::of(line).lang(),
        });
    }
    out
}

/// English abbreviations after which a full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "dec", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "mr", "mrs", "dr", "no", "st",
    "vs", "etc", "e.g", "i.e", "u.s", "u.n",
];

/// Sentence ranges: split at `. ; 。 ； ! ? ！ ？`; a full stop ends a sentence
/// only before white space or the end, and not after an abbreviation or a
/// single capital letter (`U.S.`, `Dec. 31`).
pub fn sentence_ranges(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, &c) in chars.iter().enumerate() {
        let ends = match c {
            '。' | '；' | ';' | '！' | '？' | '!' | '?' => true,
            '.' => {
                let next_is_space = chars.get(i + 1).is_none_or(|n| n.is_whitespace());
                let word: String = chars
                    .get(start..i)
                    .unwrap_or_default()
                    .iter()
                    .rev()
                    .take_while(|c| c.is_alphanumeric() || **c == '.')
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                let lower = word.to_lowercase();
                let abbreviation = ABBREVIATIONS.contains(&lower.as_str())
                    || (word.chars().count() == 1 && word.chars().all(|c| c.is_uppercase()))
                    || word.contains('.');
                next_is_space && !abbreviation
            }
            _ => false,
        };
        if ends {
            out.push((start, i + 1));
            start = i + 1;
        }
    }
    if start < chars.len() {
        out.push((start, chars.len()));
    }
    out.retain(|&(s, e)| chars.get(s..e).is_some_and(|c| c.iter().any(|c| !c.is_whitespace())));
    out
}

/// The sentence range holding character `at`.
pub fn sentence_of(sentences: &[(usize, usize)], at: usize) -> Option<(usize, usize)> {
    sentences.iter().copied().find(|&(s, e)| s <= at && at < e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_skip_blank_lines() {
        let p = paragraphs("One.\n\n  \nTwo 二。\r\n中文段落。\n");
        let numbers: Vec<_> = p.iter().map(|p| (p.number, p.text.as_str(), p.lang)).collect();
        assert_eq!(numbers, vec![(1, "One.", "en"), (2, "Two 二。", "en"), (3, "中文段落。", "zh")]);
    }

    #[test]
    fn sentences_split_at_stops_but_not_abbreviations_or_decimals() {
        let chars: Vec<char> =
            "It ended on Dec. 31 with 10.14 billion U.S. dollars. Next; 第二句。第三".chars().collect();
        let parts: Vec<String> =
            sentence_ranges(&chars).iter().map(|&(s, e)| chars[s..e].iter().collect::<String>()).collect();
        assert_eq!(parts, vec!["It ended on Dec. 31 with 10.14 billion U.S. dollars.", " Next;", " 第二句。", "第三"]);
    }
}
