//! Places the data does not know: names ending in a place word
//! (`... Province`, `... Airport`, `... Sea`, `...省`, `...机场`,
//! `...自治州`), a gulf or a sea "of" a name (`Gulf of X`), waters and
//! mission areas named for a country (`X waters`, `X mission area`,
//! `X任务区`), a name in brackets right after the name of a body or an
//! event (`Forum (X)`, `论坛（X）`), and the province-level divisions of
//! China, which Chinese writes before a city without `省`.
//!
//! Each place is proposed with a category of the schema's place kind
//! (city, port, sea, river, region, facility).

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};
use coopgraph_model::EntityKind;

use crate::names::{NameMention, capitalised, text_of, words};

/// English place words that end a name, and the category they give.
const EN_TAIL: &[(&str, &str)] = &[
    ("province", "region"),
    ("prefecture", "region"),
    ("county", "region"),
    ("region", "region"),
    ("city", "city"),
    ("port", "port"),
    ("harbour", "port"),
    ("harbor", "port"),
    ("wharf", "port"),
    ("airport", "facility"),
    ("sea", "sea"),
    ("ocean", "sea"),
    ("strait", "sea"),
    ("river", "river"),
];

/// English place words that begin a name before `of` (`Gulf of X`).
const EN_HEAD_OF: &[(&str, &str)] = &[("gulf", "sea"), ("bay", "sea"), ("sea", "sea"), ("strait", "sea")];

/// English place words written in lower case after a capitalised name
/// (`X waters`, `X mission area`).
const EN_LOWER_TAIL: &[(&str, &str)] = &[("waters", "sea"), ("mission area", "region")];

/// Chinese place words that end a name, longest first, the category they
/// give, and how many characters may stand before them.
const ZH_TAIL: &[(&str, &str, usize)] = &[
    ("国际机场", "facility", 8),
    ("自治州", "region", 10),
    ("自治区", "region", 8),
    ("自治县", "region", 10),
    ("任务区", "region", 6),
    ("机场", "facility", 8),
    ("码头", "port", 6),
    ("海域", "sea", 6),
    ("省", "region", 3),
    ("市", "city", 4),
    ("州", "region", 4),
    ("县", "region", 4),
];

/// Characters a Chinese place name found by its place word cannot hold.
const ZH_STOPS: &[char] = &[
    '的', '了', '在', '与', '和', '同', '及', '等', '对', '向', '由', '将', '是', '为', '从', '以', '并', '把', '被',
    '已', '于', '其', '这', '该', '各', '赴', '往', '抵', '到', '经', '自', '至', '入', '出', '全', '本', '我', '超',
    '股', '夜', '近', '个',
];

/// Characters after a one-character place word that make it part of a
/// word (`市场`, `省级`, `州长`).
const ZH_WORD_AFTER: &[char] = &['场', '民', '长', '级', '委', '政', '属', '直', '立', '面', '值', '区'];

/// The province-level divisions of China, by English and Chinese short
/// name: a Chinese text names them before a city without `省` (`甲省乙市`
/// is also written `甲乙市`).
const CHINESE_PROVINCES: &[(&str, &str)] = &[
    ("Beijing", "北京"),
    ("Tianjin", "天津"),
    ("Shanghai", "上海"),
    ("Chongqing", "重庆"),
    ("Hebei", "河北"),
    ("Shanxi", "山西"),
    ("Liaoning", "辽宁"),
    ("Jilin", "吉林"),
    ("Heilongjiang", "黑龙江"),
    ("Jiangsu", "江苏"),
    ("Zhejiang", "浙江"),
    ("Anhui", "安徽"),
    ("Fujian", "福建"),
    ("Jiangxi", "江西"),
    ("Shandong", "山东"),
    ("Henan", "河南"),
    ("Hubei", "湖北"),
    ("Hunan", "湖南"),
    ("Guangdong", "广东"),
    ("Hainan", "海南"),
    ("Sichuan", "四川"),
    ("Guizhou", "贵州"),
    ("Yunnan", "云南"),
    ("Shaanxi", "陕西"),
    ("Gansu", "甘肃"),
    ("Qinghai", "青海"),
    ("Inner Mongolia", "内蒙古"),
    ("Guangxi", "广西"),
    ("Tibet", "西藏"),
    ("Ningxia", "宁夏"),
    ("Xinjiang", "新疆"),
];

/// The country every province of [`CHINESE_PROVINCES`] lies in, by its
/// English label.
pub const PROVINCES_COUNTRY: &str = "China";

/// The reason given for a province of [`CHINESE_PROVINCES`].
pub const PROVINCE_REASON: &str = "a province-level division of China";

/// One automaton over the provinces' names in both languages.
static PROVINCES: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    let names = CHINESE_PROVINCES.iter().flat_map(|(en, zh)| [*en, *zh]);
    AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest).build(names).ok()
});

/// Provinces named in `chars` outside `taken` names, as whole words in
/// English.
fn provinces(chars: &[char], taken: &[NameMention]) -> Vec<NameMention> {
    let Some(automaton) = PROVINCES.as_ref() else { return Vec::new() };
    let text: String = chars.iter().collect();
    // Byte offsets to character offsets.
    let mut at = vec![0usize; text.len() + 1];
    for (k, (b, _)) in text.char_indices().enumerate() {
        if let Some(slot) = at.get_mut(b) {
            *slot = k;
        }
    }
    if let Some(last) = at.last_mut() {
        *last = chars.len();
    }
    let mut out = Vec::new();
    for m in automaton.find_iter(&text) {
        let (Some(&s), Some(&e)) = (at.get(m.start()), at.get(m.end())) else { continue };
        let latin = chars.get(s).is_some_and(char::is_ascii_alphabetic);
        let letter = |i: usize| chars.get(i).is_some_and(|c| c.is_alphanumeric() && !coopgraph_text::is_han(*c));
        if latin && (s > 0 && letter(s - 1) || letter(e)) {
            continue;
        }
        if taken.iter().any(|t| t.start < e && s < t.end) {
            continue;
        }
        out.push(place(chars, s, e, "region", PROVINCE_REASON));
    }
    out
}

fn place(chars: &[char], start: usize, end: usize, category: &'static str, reason: &'static str) -> NameMention {
    NameMention { start, end, name: text_of(chars, start, end), kind: EntityKind::Place, category, reason, head: None }
}

/// English places in `chars`, outside the names `taken`; `countries` are
/// the spans of the known countries named, for a city written before its
/// country (`in A, C`).
pub fn english_places(chars: &[char], taken: &[NameMention], countries: &[(usize, usize)]) -> Vec<NameMention> {
    let ws = words(chars);
    let word = |k: usize| ws.get(k).map(|&(s, e)| text_of(chars, s, e)).unwrap_or_default();
    let spaced = |a: usize, b: usize| matches!((ws.get(a), ws.get(b)), (Some(&(_, ae)), Some(&(bs, _))) if text_of(chars, ae, bs) == " ");
    let mut out: Vec<NameMention> = Vec::new();
    for (i, &(hs, he)) in ws.iter().enumerate() {
        let w = text_of(chars, hs, he);
        let lower = w.to_lowercase();
        // `X Province`, `X and Y Autonomous Prefecture`: capitalised words
        // before the place word, which ends the name.
        if let Some(&(_, category)) = EN_TAIL.iter().find(|(t, _)| *t == lower)
            && capitalised(&w)
            && !(spaced(i, i + 1) && capitalised(&word(i + 1)))
        {
            let mut first = i;
            while first > 0 && spaced(first - 1, first) {
                let prev = word(first - 1);
                let and_inside = prev == "and"
                    && first >= 2
                    && spaced(first - 2, first - 1)
                    && capitalised(&word(first - 2))
                    && !matches!(word(first - 2).as_str(), "The" | "A");
                if capitalised(&prev) && !matches!(prev.as_str(), "The" | "A" | "In" | "On") || and_inside {
                    first -= 1;
                } else {
                    break;
                }
            }
            if first < i
                && let Some(&(s, _)) = ws.get(first)
            {
                out.push(place(chars, s, he, category, "capitalised name ending in a place word"));
            }
        }
        // `Gulf of X`.
        if let Some(&(_, category)) = EN_HEAD_OF.iter().find(|(t, _)| *t == lower)
            && capitalised(&w)
            && word(i + 1) == "of"
            && spaced(i, i + 1)
            && spaced(i + 1, i + 2)
            && capitalised(&word(i + 2))
        {
            let mut last = i + 2;
            while last < i + 4 && spaced(last, last + 1) && capitalised(&word(last + 1)) {
                last += 1;
            }
            if let Some(&(_, e)) = ws.get(last) {
                out.push(place(chars, hs, e, category, "a place word before \"of\" and a name"));
            }
        }
        // `X waters`, `X mission area`.
        for &(tail, category) in EN_LOWER_TAIL {
            let n = tail.split(' ').count();
            let joined: Vec<String> = (i..i + n).map(word).collect();
            if joined.join(" ") != tail || i == 0 || !spaced(i - 1, i) || !(i..i + n - 1).all(|k| spaced(k, k + 1)) {
                continue;
            }
            let mut first = i;
            while first > 0 && first + 3 > i && spaced(first - 1, first) && capitalised(&word(first - 1)) {
                first -= 1;
            }
            if first < i
                && !matches!(word(first).as_str(), "The" | "A")
                && let (Some(&(s, _)), Some(&(_, e))) = (ws.get(first), ws.get(i + n - 1))
            {
                out.push(place(chars, s, e, category, "a capitalised name before a place word"));
            }
        }
        // `Forum (X)`: one or two capitalised words in brackets after a name.
        if hs >= 2 && chars.get(hs - 1) == Some(&'(') && chars.get(hs - 2) == Some(&' ') && capitalised(&w) {
            let mut last = i;
            if spaced(i, i + 1) && capitalised(&word(i + 1)) {
                last += 1;
            }
            if let Some(&(_, e)) = ws.get(last)
                && chars.get(e) == Some(&')')
                && taken.iter().any(|t| t.end + 2 == hs && t.head.is_some())
            {
                out.push(place(chars, hs, e, "city", "a name in brackets after the name of a body or event"));
            }
        }
    }
    // `in A, C`: one to three capitalised words after `in` or `at` and
    // before a comma and a known country.
    for &(cs, _) in countries {
        let Some(k) = ws.iter().position(|&(_, e)| e + 2 == cs && text_of(chars, e, cs) == ", ") else { continue };
        let mut first = k;
        while first > 0 && k - first < 2 && spaced(first - 1, first) && capitalised(&word(first - 1)) {
            first -= 1;
        }
        let before = first.checked_sub(1).map(word).unwrap_or_default();
        // Words, not a date (`in October 2014, C`).
        let plain = (first..=k)
            .map(word)
            .all(|w| w.chars().all(char::is_alphabetic) && crate::dates::month_number(&w).is_none());
        if capitalised(&word(k))
            && plain
            && matches!(before.as_str(), "in" | "at")
            && first > 0
            && spaced(first - 1, first)
            && let (Some(&(s, _)), Some(&(_, e))) = (ws.get(first), ws.get(k))
        {
            out.push(place(chars, s, e, "city", "a name after \"in\" and before a comma and a country"));
        }
    }
    out.extend(provinces(chars, taken));
    settle(out, taken)
}

/// Chinese places in `chars` (folded, simplified), outside the names `taken`.
pub fn chinese_places(chars: &[char], taken: &[NameMention]) -> Vec<NameMention> {
    let mut out: Vec<NameMention> = Vec::new();
    let provinces_found = provinces(chars, taken);
    let han = |i: usize| chars.get(i).is_some_and(|c| coopgraph_text::is_han(*c));
    let mut i = 0;
    while i < chars.len() {
        let Some(&(tail, category, reach)) = ZH_TAIL.iter().find(|(t, ..)| {
            let n = t.chars().count();
            chars.get(i..i + n).is_some_and(|g| g.iter().copied().eq(t.chars()))
        }) else {
            i += 1;
            continue;
        };
        let n = tail.chars().count();
        let end = i + n;
        if n == 1 && chars.get(end).is_some_and(|c| ZH_WORD_AFTER.contains(c)) {
            i += 1;
            continue;
        }
        // Back over Han characters to a stop, a name or a place before.
        let boundary = out.iter().chain(taken).filter(|t| t.end <= i).map(|t| t.end).max().unwrap_or(0);
        let mut start = i;
        while start > boundary && i - start < reach && han(start - 1) {
            let Some(c) = chars.get(start - 1) else { break };
            if ZH_STOPS.contains(c) {
                break;
            }
            start -= 1;
        }
        // A province written before the place without `省` is a place of
        // its own (`甲乙市`).
        if let Some(p) = provinces_found.iter().find(|p| p.start == start && p.end + 2 <= i) {
            start = p.end;
        }
        if i - start < 2 || taken.iter().any(|t| t.start < end && start < t.end) {
            i += 1;
            continue;
        }
        out.push(place(chars, start, end, category, "name ending in a place word"));
        i = end;
    }
    // `论坛（X）`: two to four Han characters in brackets after a name.
    for t in taken.iter().filter(|t| t.head.is_some()) {
        let open = chars.get(t.end);
        if !matches!(open, Some('(') | Some('（')) {
            continue;
        }
        let s = t.end + 1;
        let mut e = s;
        while han(e) && e - s < 5 {
            e += 1;
        }
        if (2..=4).contains(&(e - s)) && matches!(chars.get(e), Some(')') | Some('）')) {
            out.push(place(chars, s, e, "city", "a name in brackets after the name of a body or event"));
        }
    }
    out.extend(provinces_found);
    settle(out, taken)
}

/// Drops places inside names or longer places; text order.
fn settle(mut found: Vec<NameMention>, taken: &[NameMention]) -> Vec<NameMention> {
    found.retain(|f| !taken.iter().any(|t| t.start < f.end && f.start < t.end));
    found.sort_by(|a, b| (b.end - b.start).cmp(&(a.end - a.start)).then(a.start.cmp(&b.start)));
    let mut kept: Vec<NameMention> = Vec::new();
    for f in found {
        if !kept.iter().any(|k| k.start < f.end && f.start < k.end) {
            kept.push(f);
        }
    }
    // A province named with its place word (`X Province`, `X省`) is one
    // of the table too.
    for k in &mut kept {
        let short = k.name.strip_suffix(" Province").or_else(|| k.name.strip_suffix('省')).unwrap_or(&k.name);
        if CHINESE_PROVINCES.iter().any(|(en, zh)| *en == short || *zh == short) {
            k.reason = PROVINCE_REASON;
        }
    }
    kept.sort_by_key(|n| (n.start, n.end));
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn en(text: &str) -> Vec<(String, &'static str)> {
        let chars: Vec<char> = text.chars().collect();
        english_places(&chars, &[], &[]).into_iter().map(|n| (n.name, n.category)).collect()
    }

    fn zh(text: &str) -> Vec<(String, &'static str)> {
        let chars: Vec<char> = text.chars().collect();
        chinese_places(&chars, &[]).into_iter().map(|n| (n.name, n.category)).collect()
    }

    fn owned(v: &[(&str, &'static str)]) -> Vec<(String, &'static str)> {
        v.iter().map(|(n, c)| ((*n).to_owned(), *c)).collect()
    }

    #[test]
    fn english_places_by_place_word() {
        assert_eq!(
            en("They toured North Bay City and the Upper Reed and Lark Autonomous Prefecture in Hunan Province."),
            owned(&[
                ("North Bay City", "city"),
                ("Upper Reed and Lark Autonomous Prefecture", "region"),
                ("Hunan Province", "region"),
            ])
        );
        assert_eq!(
            en("Ships sailed to the Gulf of Harbours and Isle waters near the Reed Sea."),
            owned(&[("Gulf of Harbours", "sea"), ("Isle waters", "sea"), ("Reed Sea", "sea")])
        );
        assert_eq!(en("police of the North Isles mission area"), owned(&[("North Isles mission area", "region")]));
        assert_eq!(en("the city and the sea"), owned(&[]));
        assert_eq!(en("the Harbour City Forum met"), owned(&[]));
        assert_eq!(en("officers from Jiangsu went"), owned(&[("Jiangsu", "region")]));
        let text = "a summit in Reedton, Chile, and talks in Chile";
        let chars: Vec<char> = text.chars().collect();
        let found: Vec<String> = english_places(&chars, &[], &[(21, 26)]).into_iter().map(|n| n.name).collect();
        assert_eq!(found, vec!["Reedton"]);
    }

    #[test]
    fn english_place_in_brackets_after_a_name() {
        let text = "the Harbour Forum (Reedton) met";
        let chars: Vec<char> = text.chars().collect();
        let forum = NameMention {
            start: 4,
            end: 17,
            name: "Harbour Forum".into(),
            kind: EntityKind::Organization,
            category: "forum",
            reason: "",
            head: Some((12, 17)),
        };
        let found: Vec<String> = english_places(&chars, &[forum], &[]).into_iter().map(|n| n.name).collect();
        assert_eq!(found, vec!["Reedton"]);
    }

    #[test]
    fn chinese_places_by_place_word_and_province() {
        assert_eq!(
            zh("巡逻船驶出湖南省北湾苗族自治州的芦港码头"),
            owned(&[("湖南省", "region"), ("北湾苗族自治州", "region"), ("芦港码头", "port")])
        );
        assert_eq!(zh("包机降落在江苏北湾国际机场"), owned(&[("江苏", "region"), ("北湾国际机场", "facility")]));
        assert_eq!(zh("赴贵州芦城市参观"), owned(&[("贵州", "region"), ("芦城市", "city")]));
        assert_eq!(zh("在北岛任务区执行任务"), owned(&[("北岛任务区", "region")]));
        assert_eq!(zh("城市和市场"), owned(&[]));
    }
}
