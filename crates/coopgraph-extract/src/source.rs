//! The `[[source]]` record a document proposes: paragraph count, the
//! language of each paragraph, the defects of the copy (boilerplate,
//! navigation, link lists, headings) and injected tokens.

use std::collections::BTreeMap;

use coopgraph_text::is_han;
use serde::Serialize;

use crate::document::Paragraph;

/// A defect of one paragraph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Defect {
    /// The paragraph.
    pub paragraph: u32,
    /// What is wrong with it.
    pub reason: String,
}

/// A token that looks injected: written in one script inside text of the
/// other, repeated, where a name belongs. Never an entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Injected {
    /// The token.
    pub token: String,
    /// How often it occurs.
    pub count: usize,
    /// Where: (paragraph, start, end).
    pub at: Vec<(u32, usize, usize)>,
}

/// Words of page furniture: share and print buttons, editor and source
/// lines, link lists, registration numbers.
const BOILERPLATE: &[&str] = &[
    "分享到",
    "打印",
    "收藏",
    "发给好友",
    "责任编辑",
    "相关阅读",
    "友情链接",
    "杂志订阅",
    "小说推荐",
    "字号",
    "信息来源",
    "来源:",
    "来源：",
    "registration number",
    "copyright",
    "all rights reserved",
    "share this",
    "related:",
    "related articles",
    "print this",
    "back to top",
    "click here",
];

/// Words that make a token look like web spam (gambling, betting).
const SPAM_WORDS: &[&str] = &["体育", "博彩", "娱乐", "彩票", "赌场", "casino", "bet", "app", "平台", "官网"];

/// The defects of each paragraph, in paragraph order.
pub fn defects(paragraphs: &[Paragraph]) -> Vec<Defect> {
    let mut out = Vec::new();
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut previous: &str = "";
    for p in paragraphs {
        let lower = p.text.to_lowercase();
        let trimmed = p.text.trim();
        let len = p.chars.len();
        let reason = if BOILERPLATE.iter().any(|w| lower.contains(w)) && len < 80 {
            Some("page boilerplate or navigation".to_owned())
        } else if trimmed.starts_with("- [")
            || trimmed.starts_with("-[")
            || (trimmed.starts_with('-') && trimmed.contains('['))
        {
            Some("list of unrelated links or headlines".to_owned())
        } else if seen.contains(trimmed)
            || (!previous.is_empty() && (trimmed.starts_with(previous) || previous.starts_with(trimmed)))
        {
            Some("repeats an earlier line".to_owned())
        } else if trimmed.chars().all(|c| !c.is_alphanumeric() || c.is_ascii_digit()) {
            Some("no text: punctuation or numbers only".to_owned())
        } else if len <= 60 && !trimmed.ends_with(['.', '。', '!', '?', '！', '？', ';', '；']) {
            Some("heading or short line, not a sentence".to_owned())
        } else {
            None
        };
        if let Some(reason) = reason {
            out.push(Defect { paragraph: p.number, reason });
        }
        seen.insert(trimmed);
        previous = trimmed;
    }
    out
}

/// Ranges of paragraphs per language, leaving out defective ones at the
/// ends of each run.
pub fn language_paragraphs(paragraphs: &[Paragraph], defects: &[Defect]) -> BTreeMap<&'static str, (u32, u32)> {
    let bad: std::collections::BTreeSet<u32> =
        defects.iter().filter(|d| d.reason.starts_with(['l', 'p', 'n'])).map(|d| d.paragraph).collect();
    let defective = |n: u32| bad.contains(&n);
    let mut out: BTreeMap<&'static str, (u32, u32)> = BTreeMap::new();
    for p in paragraphs.iter().filter(|p| !defective(p.number)) {
        out.entry(p.lang).and_modify(|r| r.1 = p.number).or_insert((p.number, p.number));
    }
    out
}

/// Tokens that look injected: runs of Han characters (with any Latin
/// letters glued to them) inside English paragraphs, or Latin words inside
/// Chinese ones, that repeat, or that carry a gambling word.
pub fn injected(paragraphs: &[Paragraph]) -> Vec<Injected> {
    let mut found: BTreeMap<String, Vec<(u32, usize, usize)>> = BTreeMap::new();
    for p in paragraphs.iter().filter(|p| p.lang == "en") {
        let mut i = 0;
        while i < p.chars.len() {
            if p.chars.get(i).is_some_and(|c| is_han(*c)) {
                let start = i;
                while p.chars.get(i).is_some_and(|c| is_han(*c)) {
                    i += 1;
                }
                while p.chars.get(i).is_some_and(|c| c.is_ascii_alphanumeric()) {
                    i += 1;
                }
                found.entry(p.slice(start, i)).or_default().push((p.number, start, i));
            } else {
                i += 1;
            }
        }
    }
    found
        .into_iter()
        .filter(|(token, at)| at.len() >= 3 || SPAM_WORDS.iter().any(|w| token.to_lowercase().contains(w)))
        .map(|(token, at)| Injected { token, count: at.len(), at })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::paragraphs;

    #[test]
    fn finds_boilerplate_link_lists_headings_and_injected_tokens() {
        let text = "Harbour police report\n好运彩票app signed the pact. Later 好运彩票app met Chile.\n分享到:\n- [ 11-10] unrelated headline\n- [ 11-08] another\n好运彩票app hosted a forum; it went well.\n";
        let p = paragraphs(text);
        let d = defects(&p);
        let reasons: Vec<_> = d.iter().map(|d| (d.paragraph, d.reason.as_str())).collect();
        assert_eq!(
            reasons,
            vec![
                (1, "heading or short line, not a sentence"),
                (3, "page boilerplate or navigation"),
                (4, "list of unrelated links or headlines"),
                (5, "list of unrelated links or headlines"),
            ]
        );
        let inj = injected(&p);
        assert_eq!(inj.len(), 1);
        assert_eq!(inj[0].token, "好运彩票app");
        assert_eq!(inj[0].count, 3);
        assert_eq!(language_paragraphs(&p, &d).get("en"), Some(&(1, 6)));
    }
}
