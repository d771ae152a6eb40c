//! Names the data does not know that look like a country, organization,
//! operation or treaty: capitalised English names ending in a head word
//! (`... Forum`, `... Convention`), quoted operation names, and Chinese
//! `《…》` titles, `“…”行动` and names ending in `组织`, `论坛`, `公约` ...

use coopgraph_model::EntityKind;

/// A head word, the kind and category it gives.
struct Head {
    word: &'static str,
    kind: EntityKind,
    category: &'static str,
}

const fn head(word: &'static str, kind: EntityKind, category: &'static str) -> Head {
    Head { word, kind, category }
}

use EntityKind::{Incident as Inc, Operation as Op, Organization as Org, Treaty as T};

const EN_HEADS: &[Head] = &[
    head("organization", Org, "international_organization"),
    head("organisation", Org, "international_organization"),
    head("forum", Org, "forum"),
    head("mechanism", Org, "mechanism"),
    head("dialogue", Org, "mechanism"),
    head("group", Org, "mechanism"),
    head("center", Org, "agency"),
    head("centre", Org, "agency"),
    head("meeting", Op, "event"),
    head("conference", Op, "event"),
    head("course", Op, "event"),
    head("summit", Op, "event"),
    head("convention", T, "convention"),
    head("treaty", T, "treaty"),
    head("agreement", T, "agreement"),
    head("declaration", T, "declaration"),
    head("plan", T, "action_plan"),
    head("initiative", T, "initiative"),
    head("principles", T, "principles"),
    head("code", T, "principles"),
    head("operation", Op, "joint_operation"),
    head("exercise", Op, "exercise"),
    head("drill", Op, "exercise"),
    head("patrol", Op, "patrol"),
    head("campaign", Op, "campaign"),
    head("party", Org, "agency"),
    head("bank", Org, "agency"),
    head("procuratorate", Org, "agency"),
    head("office", Org, "agency"),
    head("department", Org, "agency"),
    head("council", Org, "international_organization"),
    head("assembly", Org, "international_organization"),
    head("union", Org, "international_organization"),
    head("station", Org, "agency"),
    head("charter", T, "convention"),
    head("expedition", Op, "event"),
    head("seminar", Op, "event"),
];

const ZH_HEADS: &[Head] = &[
    head("组织", Org, "international_organization"),
    head("论坛", Org, "forum"),
    head("机制", Org, "mechanism"),
    head("会议", Op, "event"),
    head("中心", Org, "agency"),
    head("公约", T, "convention"),
    head("条约", T, "treaty"),
    head("协定", T, "agreement"),
    head("宣言", T, "declaration"),
    head("倡议", T, "initiative"),
    head("行动", Op, "joint_operation"),
    head("演习", Op, "exercise"),
    head("维和警队", Op, "peacekeeping"),
    head("巡逻执法", Op, "patrol"),
    head("峰会", Op, "event"),
    head("研讨会", Op, "event"),
    head("大会", Op, "event"),
    head("对话", Op, "event"),
    head("委员会", Org, "mechanism"),
    head("工作组", Org, "mechanism"),
    head("检察院", Org, "agency"),
    head("银行", Org, "agency"),
    head("惨案", Inc, "attack"),
    head("袭击事件", Inc, "attack"),
    head("恐怖袭击", Inc, "attack"),
    head("地震", Inc, "disaster"),
    head("洪灾", Inc, "disaster"),
    head("海啸", Inc, "disaster"),
    head("空难", Inc, "accident"),
];

/// Small words allowed inside an English name.
const CONNECTORS: &[&str] = &["of", "on", "for", "and", "the", "in", "against", "to", "de", "between", "under"];

/// Characters that cannot be inside a Chinese name found by its head word.
const ZH_STOPS: &[char] = &[
    '的', '了', '在', '与', '和', '同', '及', '等', '对', '向', '由', '将', '是', '为', '从', '以', '并', '把', '被',
    '已', '于', '其', '这', '该', '各', '加', '参', '举', '办', '签', '持', '开', '席', '入', '至', '通', '过',
];

/// A proposed new name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameMention {
    /// Character span in the paragraph.
    pub start: usize,
    /// End of the span (exclusive).
    pub end: usize,
    /// The name as written.
    pub name: String,
    /// Proposed kind.
    pub kind: EntityKind,
    /// Proposed category.
    pub category: &'static str,
    /// Why it looks like a name.
    pub reason: &'static str,
    /// Where its head word is (characters), when it has one.
    pub head: Option<(usize, usize)>,
}

/// Words of a text with their character spans.
pub(crate) fn words(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in chars.iter().enumerate() {
        let inner = c.is_alphanumeric() && !coopgraph_text::is_han(*c)
            || ((*c == '-' || *c == '\'' || *c == '’') && start.is_some());
        match (start, inner) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, chars.len()));
    }
    out
}

/// English ordinals that number a session: `First` ... `Twentieth`, `13th`.
fn is_ordinal(word: &str) -> bool {
    const WORDS: &[&str] = &[
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "eleventh",
        "twelfth",
        "thirteenth",
        "fourteenth",
        "fifteenth",
        "sixteenth",
        "seventeenth",
        "eighteenth",
        "nineteenth",
        "twentieth",
    ];
    let lower = word.to_lowercase();
    if WORDS.contains(&lower.as_str()) {
        return true;
    }
    let digits = lower.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
        && ["st", "nd", "rd", "th"].contains(&lower.get(digits.len()..).unwrap_or_default())
}

/// The number an ordinal names: `Tenth`, `10th` or `first` in English,
/// `第十支`, `第51次` or `首支` in Chinese (before 支, 批, 届 or 次): the
/// first one of `name`.
pub fn ordinal_of(name: &str) -> Option<u64> {
    const WORDS: &[&str] =
        &["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"];
    let chars: Vec<char> = name.chars().collect();
    for (s, e) in words(&chars) {
        let w = text_of(&chars, s, e).to_lowercase();
        if let Some(k) = WORDS.iter().position(|x| *x == w) {
            return Some(k as u64 + 1);
        }
        if is_ordinal(&w) {
            return w.trim_end_matches(|c: char| c.is_ascii_alphabetic()).parse().ok();
        }
    }
    let counters = ['支', '批', '届', '次'];
    for (i, c) in chars.iter().enumerate() {
        if *c == '首' && chars.get(i + 1).is_some_and(|n| counters.contains(n)) {
            return Some(1);
        }
        if *c == '第' {
            let digits: String = chars
                .iter()
                .skip(i + 1)
                .take_while(|c| c.is_ascii_digit() || "零〇一二两三四五六七八九十百".contains(**c))
                .collect();
            let next = chars.get(i + 1 + digits.chars().count());
            if !digits.is_empty() && next.is_some_and(|n| counters.contains(n)) {
                return digits.parse().ok().or_else(|| crate::numbers::chinese_numeral(&digits));
            }
        }
    }
    None
}

/// Head words of a deployment named in lower case ("police force").
const EN_DEPLOYMENT_HEADS: &[&str] = &["force", "contingent", "team", "unit", "detachment", "squad"];

/// Deployments named in lower case before `to` and a place (`the 10th
/// Chinese peacekeeping police force to A`): the words from after `the`
/// or `a` to the end of the place, two to six of them before `to`, the
/// last a head word such as `force`. The place is a known country of
/// `countries` or capitalised words, then also proposed as a country.
/// Proposed as operations (peacekeeping when the words say so).
pub fn english_deployments(chars: &[char], countries: &[(usize, usize)]) -> Vec<NameMention> {
    let ws = words(chars);
    let mut out = Vec::new();
    for (k, &(ws_start, _)) in ws.iter().enumerate() {
        let cs = ws_start;
        if cs < 4 || text_of(chars, cs - 4, cs) != " to " {
            continue;
        }
        // The place: a known country, else capitalised words (up to three).
        let known = countries.iter().find(|&&(s, _)| s == cs).map(|&(_, e)| e);
        let place_end = known.or_else(|| {
            let mut end = None;
            for (j, &(s, e)) in ws.iter().enumerate().skip(k).take(3) {
                let joined = j == k || ws.get(j - 1).is_some_and(|&(_, pe)| text_of(chars, pe, s) == " ");
                if !joined || !text_of(chars, s, e).chars().next().is_some_and(char::is_uppercase) {
                    break;
                }
                end = Some(e);
            }
            end
        });
        let Some(ce) = place_end else { continue };
        let Some(last) = ws.iter().position(|&(_, e)| e == cs - 4) else { continue };
        let Some(&(hs, he)) = ws.get(last) else { continue };
        if !EN_DEPLOYMENT_HEADS.contains(&text_of(chars, hs, he).as_str()) {
            continue;
        }
        let mut first = last;
        let mut article = false;
        while first > 0 && last - first < 6 {
            let (Some(&(ps, pe)), Some(&(fs, _))) = (ws.get(first - 1), ws.get(first)) else { break };
            if text_of(chars, pe, fs) != " " {
                break;
            }
            let w = text_of(chars, ps, pe).to_lowercase();
            if ["the", "a", "an"].contains(&w.as_str()) {
                article = true;
                break;
            }
            if ["of", "to", "and", "or", "with", "by", "in", "for", "from"].contains(&w.as_str()) {
                break;
            }
            first -= 1;
        }
        let Some(&(ns, _)) = ws.get(first) else { continue };
        if !article || last - first < 1 {
            continue;
        }
        let name = text_of(chars, ns, ce);
        out.push(NameMention {
            start: ns,
            end: ce,
            category: if name.contains("peacekeeping") { "peacekeeping" } else { "joint_operation" },
            name,
            kind: Op,
            reason: "a deployment named in lower case before \"to\" and a place",
            head: Some((hs, he)),
        });
        if known.is_none() {
            out.push(NameMention {
                start: cs,
                end: ce,
                name: text_of(chars, cs, ce),
                kind: EntityKind::Country,
                category: "state",
                reason: "the place a deployment's name says it goes to (\"to ...\")",
                head: None,
            });
        }
    }
    out
}

/// English nouns of an incident, the category they give.
const EN_INCIDENTS: &[(&str, &str)] = &[
    ("earthquake", "disaster"),
    ("earthquakes", "disaster"),
    ("floods", "disaster"),
    ("flood", "disaster"),
    ("flooding", "disaster"),
    ("tsunami", "disaster"),
    ("typhoon", "disaster"),
    ("landslide", "disaster"),
    ("landslides", "disaster"),
];

/// Incidents told by a noun before `in` and a known country (`severe
/// earthquakes in A in April 2015`), proposed as the country's incident
/// (`A earthquakes (April 2015)`, with the month and year when the text
/// gives them right after). `countries` are the known countries' spans;
/// the span is the noun's.
pub fn english_incidents(chars: &[char], countries: &[(usize, usize)]) -> Vec<NameMention> {
    let ws = words(chars);
    let mut out = Vec::new();
    for &(ws_start, ws_end) in &ws {
        let noun = text_of(chars, ws_start, ws_end);
        let Some(&(_, category)) = EN_INCIDENTS.iter().find(|(n, _)| *n == noun) else { continue };
        let Some(&(cs, ce)) = countries.iter().find(|&&(cs, _)| cs == ws_end + 4) else { continue };
        if text_of(chars, ws_end, cs) != " in " {
            continue;
        }
        let mut label = format!("{} {noun}", text_of(chars, cs, ce));
        // " in April 2015": the month and the year.
        let after = ws.iter().position(|&(s, _)| s == ce + 4).filter(|_| text_of(chars, ce, ce + 4) == " in ");
        if let Some(k) = after
            && let (Some(&(ms, me)), Some(&(ys, ye))) = (ws.get(k), ws.get(k + 1))
            && crate::dates::month_number(&text_of(chars, ms, me)).is_some()
            && text_of(chars, me, ys) == " "
            && is_year(&text_of(chars, ys, ye))
        {
            label = format!("{label} ({})", text_of(chars, ms, ye));
        }
        out.push(NameMention {
            start: ws_start,
            end: ws_end,
            name: label,
            kind: Inc,
            category,
            reason: "an incident's noun before \"in\" and a country",
            head: None,
        });
    }
    out
}

/// A year written as four digits (`2024`).
fn is_year(word: &str) -> bool {
    word.len() == 4 && word.chars().all(|c| c.is_ascii_digit()) && (word.starts_with("19") || word.starts_with("20"))
}

/// A Chinese name that numbers a session (`第三届`, `第51次`, `首届`): an event.
fn numbered_session(name: &str) -> bool {
    if name.starts_with("首届") {
        return true;
    }
    let Some(rest) = name.strip_prefix('第') else { return false };
    let after: String =
        rest.chars().skip_while(|c| c.is_ascii_digit() || "零〇一二两三四五六七八九十百".contains(*c)).collect();
    after.len() < rest.len() && (after.starts_with('届') || after.starts_with('次'))
}

pub(crate) fn text_of(chars: &[char], s: usize, e: usize) -> String {
    chars.get(s..e).map(|c| c.iter().collect()).unwrap_or_default()
}

pub(crate) fn capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
}

/// Only white space between two character positions.
fn only_space(chars: &[char], from: usize, to: usize) -> bool {
    chars.get(from..to).is_some_and(|g| g.iter().all(|c| *c == ' '))
}

/// English names in `chars`.
pub fn english_names(chars: &[char]) -> Vec<NameMention> {
    let ws = words(chars);
    let mut out = Vec::new();
    let mut inner: Vec<NameMention> = Vec::new();
    for (i, &(hs, he)) in ws.iter().enumerate() {
        let word = text_of(chars, hs, he);
        let lower = word.to_lowercase();
        let Some(h) = EN_HEADS.iter().find(|h| h.word == lower || lower.strip_suffix('s') == Some(h.word)) else {
            continue;
        };
        if !capitalised(&word) {
            continue;
        }
        // Leftwards over capitalised words and connectors.
        let mut first = i;
        while first > 0 {
            let Some(&(ps, pe)) = ws.get(first - 1) else { break };
            let Some(&(cs, _)) = ws.get(first) else { break };
            if !only_space(chars, pe, cs) {
                break;
            }
            let w = text_of(chars, ps, pe);
            let before =
                first.checked_sub(2).and_then(|k| ws.get(k)).map(|&(s2, e2)| text_of(chars, s2, e2).to_lowercase());
            let is_head = |b: &str| EN_HEADS.iter().any(|h| h.word == b || b.strip_suffix('s') == Some(h.word));
            if CONNECTORS.contains(&w.as_str()) {
                // Another name ends before "and the ...", and a name does
                // not begin with "the" after a name ("Malaysia the Fourth").
                // Nor across "and the" ("the X Meeting and the Y Exercise").
                // Nor across "to the" ("submitted the X Code to the Y Assembly").
                let stop = before.as_deref().is_some_and(|b| {
                    is_head(b) || (w == "the" && (!CONNECTORS.contains(&b) || matches!(b, "and" | "or" | "to")))
                });
                if stop {
                    break;
                }
                first -= 1;
            } else if capitalised(&w) {
                first -= 1;
            } else {
                break;
            }
        }
        // Rightwards: connectors followed by capitalised words.
        let mut last = i;
        while let (Some(&(_, le)), Some(&(ns, ne))) = (ws.get(last), ws.get(last + 1)) {
            if !only_space(chars, le, ns) {
                break;
            }
            let w = text_of(chars, ns, ne);
            let upper = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
            // "the X Forum and the Y Exercise": a name ends at its head
            // word before "and" or "or".
            let at_head = ws.get(last).is_some_and(|&(ls, le2)| {
                let l = text_of(chars, ls, le2).to_lowercase();
                EN_HEADS.iter().any(|h| h.word == l || l.strip_suffix('s') == Some(h.word))
            });
            if at_head && (w == "and" || w == "or") {
                break;
            }
            if upper(&w) {
                last += 1;
            } else if CONNECTORS.contains(&w.as_str()) {
                let next_cap = ws
                    .get(last + 2)
                    .is_some_and(|&(s2, e2)| only_space(chars, ne, s2) && upper(&text_of(chars, s2, e2)));
                // "of the Emergency ...": a preposition and an article.
                let article_cap = ["of", "on", "for", "in"].contains(&w.as_str())
                    && ws
                        .get(last + 2)
                        .is_some_and(|&(s2, e2)| only_space(chars, ne, s2) && text_of(chars, s2, e2) == "the")
                    && ws.get(last + 3).is_some_and(|&(s3, e3)| {
                        ws.get(last + 2).is_some_and(|&(_, e2)| only_space(chars, e2, s3))
                            && upper(&text_of(chars, s3, e3))
                    });
                if next_cap {
                    last += 2
                } else if article_cap {
                    last += 3
                } else {
                    break;
                }
            } else {
                break;
            }
        }
        // Trim connectors at both ends ("the", "of").
        while first < i && ws.get(first).is_some_and(|&(s, e)| !capitalised(&text_of(chars, s, e))) {
            first += 1;
        }
        while last > i && ws.get(last).is_some_and(|&(s, e)| !capitalised(&text_of(chars, s, e))) {
            last -= 1;
        }
        if first == i && last == i {
            continue;
        }
        // A name that runs on to another head word takes its kind from
        // the last one ("the X Group Regional Exercise" is an exercise).
        let last_is_head = last > i
            && ws.get(last).is_some_and(|&(ls, le)| {
                let l = text_of(chars, ls, le).to_lowercase();
                EN_HEADS.iter().any(|h| h.word == l || l.strip_suffix('s') == Some(h.word))
            });
        if last_is_head {
            continue;
        }
        let (Some(&(s, _)), Some(&(_, e))) = (ws.get(first), ws.get(last)) else { continue };
        // A word that only begins a sentence ("The", "In") is not part of the name.
        let name = text_of(chars, s, e);
        // A numbered or dated session of a body ("Ninth ... Forum", "2024
        // ... Forum") is an event, not the body.
        let (kind, category) = match name.split_whitespace().next() {
            Some(first) if h.kind == Org && (is_ordinal(first) || is_year(first)) => (Op, "event"),
            _ => (h.kind, h.category),
        };
        // An event or exercise named for the body that holds it ("the X
        // Advisory Group Regional Exercise") also names that body: the
        // words up to an organization's head word inside the name.
        if kind == Op {
            for j in first + 2..i {
                let Some(&(js, je)) = ws.get(j) else { continue };
                let inner_lower = text_of(chars, js, je).to_lowercase();
                let org = EN_HEADS.iter().find(|h| h.word == inner_lower && h.kind == Org);
                let next_capitalised = ws.get(j + 1).is_some_and(|&(ns, ne)| {
                    only_space(chars, je, ns) && text_of(chars, ns, ne).chars().next().is_some_and(char::is_uppercase)
                });
                if let Some(h) = org
                    && next_capitalised
                {
                    inner.push(NameMention {
                        start: s,
                        end: je,
                        name: text_of(chars, s, je),
                        kind: Org,
                        category: h.category,
                        reason: "the name of a body that begins the name of its event",
                        head: Some((js, je)),
                    });
                }
            }
        }
        out.push(NameMention {
            start: s,
            end: e,
            name,
            kind,
            category,
            reason: "capitalised name ending in a head word",
            head: Some((hs, he)),
        });
    }
    // Quoted names: "Sky Net", “Fox Hunt 2015”.
    let mut i = 0;
    while i < chars.len() {
        let Some(&open) = chars.get(i) else { break };
        let close = match open {
            '"' => '"',
            '“' => '”',
            _ => {
                i += 1;
                continue;
            }
        };
        let Some(len) = chars.get(i + 1..).and_then(|rest| rest.iter().take(60).position(|c| *c == close)) else {
            i += 1;
            continue;
        };
        let (s, e) = (i + 1, i + 1 + len);
        let name = text_of(chars, s, e);
        let ws_inside = name.split_whitespace().count();
        if (1..=6).contains(&ws_inside)
            && name.split_whitespace().all(capitalised)
            && !name.chars().any(coopgraph_text::is_han)
        {
            let lower = name.to_lowercase();
            let h = EN_HEADS.iter().find(|h| lower.ends_with(h.word));
            let (kind, category) = h.map_or((Op, "campaign"), |h| (h.kind, h.category));
            if !out.iter().any(|m: &NameMention| m.start <= s && e <= m.end) {
                out.push(NameMention { start: s, end: e, name, kind, category, reason: "quoted name", head: None });
            }
        }
        i = e + 1;
    }
    let mut kept = dedup(out);
    // The bodies inside the events kept, beside them.
    let events: Vec<(usize, usize)> = kept.iter().filter(|k| k.kind == Op).map(|k| (k.start, k.end)).collect();
    for n in inner {
        if events.iter().any(|&(s, e)| s == n.start && n.end < e)
            && !kept.iter().any(|k| (k.start, k.end) == (n.start, n.end))
        {
            kept.push(n);
        }
    }
    kept.sort_by_key(|n| (n.start, n.end));
    kept
}

/// Chinese names in `chars` (folded, simplified characters; spans are the same).
pub fn chinese_names(chars: &[char]) -> Vec<NameMention> {
    let mut out = Vec::new();
    // 《…》 titles.
    for (i, c) in chars.iter().enumerate() {
        if *c != '《' {
            continue;
        }
        let Some(len) = chars.get(i + 1..).and_then(|r| r.iter().take(40).position(|c| *c == '》')) else { continue };
        let (s, e) = (i + 1, i + 1 + len);
        let name = text_of(chars, s, e);
        if name.is_empty() {
            continue;
        }
        let h = ZH_HEADS.iter().find(|h| name.ends_with(h.word));
        let (kind, category) = h.map_or((T, "treaty"), |h| (h.kind, h.category));
        out.push(NameMention { start: s, end: e, name, kind, category, reason: "title in 《》", head: None });
    }
    // “…”行动
    for (i, c) in chars.iter().enumerate() {
        if *c != '“' {
            continue;
        }
        let Some(len) = chars.get(i + 1..).and_then(|r| r.iter().take(20).position(|c| *c == '”')) else { continue };
        let (s, e) = (i + 1, i + 1 + len);
        if text_of(chars, e + 1, e + 3) == "行动" {
            let name = text_of(chars, s, e + 3);
            out.push(NameMention {
                start: s,
                end: e + 3,
                name,
                kind: Op,
                category: "campaign",
                reason: "quoted name before 行动",
                head: None,
            });
        }
    }
    // Names ending in a head word, back to a stop character.
    for h in ZH_HEADS {
        let hw: Vec<char> = h.word.chars().collect();
        for i in 0..chars.len() {
            if chars.get(i..i + hw.len()) != Some(&hw[..]) {
                continue;
            }
            let end = i + hw.len();
            if out.iter().any(|m: &NameMention| m.start <= i && end <= m.end) {
                continue;
            }
            let mut start = i;
            // A quoted tag right before the head word is part of the name
            // (`甲“10·5”惨案`).
            if i > 0 && chars.get(i - 1) == Some(&'”') {
                let open = (i.saturating_sub(12)..i - 1).rev().find(|&k| chars.get(k) == Some(&'“'));
                if let Some(k) = open {
                    start = k;
                }
            }
            while start > 0 && i - start < 14 {
                let Some(&c) = chars.get(start - 1) else { break };
                if !coopgraph_text::is_han(c) && !c.is_ascii_alphanumeric() || ZH_STOPS.contains(&c) {
                    break;
                }
                start -= 1;
            }
            // A count before the name is not part of it (129个...机制); an
            // ordinal is (第51次...).
            let ordinal_at = |k: usize| {
                let digits = (start..k).rev().take_while(|&j| chars.get(j).is_some_and(char::is_ascii_digit)).count();
                k > digits && chars.get(k - digits - 1) == Some(&'第')
            };
            if let Some(k) = (start..i).rev().find(|&k| {
                chars.get(k).is_some_and(|c| "个条名项支批次".contains(*c))
                    && k > start
                    && chars.get(k - 1).is_some_and(char::is_ascii_digit)
                    && !ordinal_at(k)
            }) {
                start = k + 1;
            }
            // The second character of a verb whose first one stopped the
            // name (签署, 签订, 开展, 举行, 部署) is not part of it.
            while start < i
                && chars.get(start).is_some_and(|c| "署订展行".contains(*c))
                && (start == 0 || chars.get(start - 1).is_some_and(|c| ZH_STOPS.contains(c) || "部".contains(*c)))
            {
                start += 1;
            }
            // An incident's name does not begin with its year (`2011年`).
            if h.kind == Inc {
                let digits = (start..i).take_while(|&k| chars.get(k).is_some_and(char::is_ascii_digit)).count();
                if digits > 0 && chars.get(start + digits) == Some(&'年') {
                    start += digits + 1;
                }
            }
            if i - start < 2 {
                continue;
            }
            // Generic words before the head ("区域性组织", "合作机制") are no name.
            let before: String = text_of(chars, start, i);
            let generic = [
                "国际",
                "区域",
                "区域性",
                "地区",
                "地区性",
                "多边",
                "双边",
                "有关",
                "相关",
                "合作",
                "执法",
                "安全",
                "国际和区域性",
                "执法合作",
                "安全合作",
                "机制性",
                "双多边",
                "多双边",
                "双多边合作",
                "多双边合作",
                "双边合作",
                "多边合作",
            ];
            if generic.contains(&before.as_str()) {
                continue;
            }
            let name = text_of(chars, start, end);
            let (kind, category) =
                if h.kind == Org && numbered_session(&name) { (Op, "event") } else { (h.kind, h.category) };
            out.push(NameMention {
                start,
                end,
                name,
                kind,
                category,
                reason: "name ending in a head word",
                head: Some((i, end)),
            });
        }
    }
    dedup(out)
}

/// Names in a list with a known country (`France, Spain, Britain and
/// Italy`; `中、老、缅、泰`) are proposed as countries: `known` are the
/// spans of the known countries' mentions.
pub fn listed_countries(chars: &[char], known: &[(usize, usize)], chinese: bool) -> Vec<NameMention> {
    let mut out: Vec<NameMention> = Vec::new();
    let separators: &[&str] = if chinese { &["、", "和", "与"] } else { &[", and ", ", ", " and "] };
    let ws = words(chars);
    let element = |from: usize, forward: bool| -> Option<(usize, usize)> {
        // A capitalised phrase of one to three words (English) or two to
        // six Han characters (Chinese) starting (or ending) at `from`.
        if chinese {
            let is = |i: usize| chars.get(i).is_some_and(|c| coopgraph_text::is_han(*c) && !"和与及、".contains(*c));
            let (mut a, mut b) = (from, from);
            if forward {
                while is(b) && b - a < 6 {
                    b += 1;
                }
            } else {
                while a > 0 && is(a - 1) && b - a < 6 {
                    a -= 1;
                }
            }
            return (b - a >= 2).then_some((a, b));
        }
        let pos = ws.iter().position(|&(s, e)| if forward { s == from } else { e == from })?;
        let mut taken = vec![*ws.get(pos)?];
        let cap = |&(s, e): &(usize, usize)| text_of(chars, s, e).chars().next().is_some_and(char::is_uppercase);
        if !cap(taken.first()?) {
            return None;
        }
        for k in 1..3 {
            let next = if forward { ws.get(pos + k) } else { pos.checked_sub(k).and_then(|i| ws.get(i)) };
            let Some(&n) = next else { break };
            let (l, r) = if forward { (taken.last()?.1, n.0) } else { (n.1, taken.first()?.0) };
            if !cap(&n) || !only_space(chars, l, r) {
                break;
            }
            if forward { taken.push(n) } else { taken.insert(0, n) }
        }
        Some((taken.first()?.0, taken.last()?.1))
    };
    for &(ks, ke) in known {
        for forward in [true, false] {
            let mut edge = if forward { ke } else { ks };
            for _ in 0..8 {
                let sep = separators.iter().find(|sep| {
                    let n = sep.chars().count();
                    if forward {
                        text_of(chars, edge, edge + n) == **sep
                    } else {
                        edge >= n && text_of(chars, edge - n, edge) == **sep
                    }
                });
                let Some(sep) = sep else { break };
                let n = sep.chars().count();
                let from = if forward { edge + n } else { edge - n };
                let Some((s, e)) = element(from, forward) else { break };
                if !known.iter().any(|&(a, b)| a < e && s < b) && !out.iter().any(|o| o.start == s) {
                    let name = text_of(chars, s, e);
                    let lower = name.to_lowercase();
                    if !EN_HEADS.iter().any(|h| lower.ends_with(h.word)) && !name.starts_with("The ") {
                        out.push(NameMention {
                            start: s,
                            end: e,
                            name,
                            kind: EntityKind::Country,
                            category: "state",
                            reason: "listed with a known country",
                            head: None,
                        });
                    }
                }
                edge = if forward { e } else { s };
            }
        }
    }
    if !chinese {
        let chained = hyphen_chained(chars, known, &out);
        out.extend(chained);
    }
    out.sort_by_key(|n| (n.start, n.end));
    out
}

/// Capitalised words joined by hyphens to a known country (`A-Japan-ROK`
/// with ROK known), proposed as countries, along the whole chain.
fn hyphen_chained(chars: &[char], known: &[(usize, usize)], taken: &[NameMention]) -> Vec<NameMention> {
    let is_letter = |i: usize| chars.get(i).is_some_and(|c| c.is_alphabetic() && !coopgraph_text::is_han(*c));
    let mut out: Vec<NameMention> = Vec::new();
    for &(ks, ke) in known {
        for forward in [true, false] {
            let mut edge = if forward { ke } else { ks };
            for _ in 0..4 {
                let (s, e) = if forward {
                    if chars.get(edge) != Some(&'-') {
                        break;
                    }
                    let s = edge + 1;
                    let mut e = s;
                    while is_letter(e) {
                        e += 1;
                    }
                    (s, e)
                } else {
                    if edge == 0 || chars.get(edge - 1) != Some(&'-') {
                        break;
                    }
                    let e = edge - 1;
                    let mut s = e;
                    while s > 0 && is_letter(s - 1) {
                        s -= 1;
                    }
                    (s, e)
                };
                let name = text_of(chars, s, e);
                // A whole word: not the end of a longer one (`app-Japan`
                // after a Han token is still a word).
                let whole =
                    s == 0 || chars.get(s - 1).is_some_and(|c| !c.is_alphanumeric() || coopgraph_text::is_han(*c));
                if e <= s || !capitalised(&name) || !(whole || chars.get(s - 1) == Some(&'-')) {
                    break;
                }
                let lower = name.to_lowercase();
                if !known.iter().any(|&(a, b)| a < e && s < b)
                    && !out.iter().chain(taken).any(|o| o.start == s)
                    && !EN_HEADS.iter().any(|h| lower == h.word)
                {
                    out.push(NameMention {
                        start: s,
                        end: e,
                        name,
                        kind: EntityKind::Country,
                        category: "state",
                        reason: "joined by a hyphen to a known country",
                        head: None,
                    });
                }
                edge = if forward { e } else { s };
            }
        }
    }
    out
}

/// The places Chinese operation names say they go to (`赴X维和警队`, a
/// contingent to X): the characters between `赴` and the name's head
/// word, proposed as a country.
pub fn destinations(chars: &[char], names: &[NameMention]) -> Vec<NameMention> {
    let mut out = Vec::new();
    for n in names.iter().filter(|n| n.kind == Op) {
        let Some((hs, _)) = n.head else { continue };
        let Some(to) = (n.start..hs).rev().find(|&k| chars.get(k) == Some(&'赴')) else { continue };
        let (s, e) = (to + 1, hs);
        let place = text_of(chars, s, e);
        let len = place.chars().count();
        if (2..=6).contains(&len) && place.chars().all(|c| coopgraph_text::is_han(c) && !ZH_STOPS.contains(&c)) {
            out.push(NameMention {
                start: s,
                end: e,
                name: place,
                kind: EntityKind::Country,
                category: "state",
                reason: "the place an operation's name says it goes to (赴…)",
                head: None,
            });
        }
    }
    out
}

/// Whether the new name `short` refers back to the longer new name
/// `long` named before it: it is the end of it, at least four characters
/// of it (`专项行动` for `打击治理电信网络新型违法犯罪专项行动`), and
/// starts a word there in English.
pub fn refers_back(short: &str, long: &str) -> bool {
    let (sl, ll) = (short.chars().count(), long.chars().count());
    if sl < 4 || sl >= ll || !long.ends_with(short) {
        return false;
    }
    let chinese = short.chars().any(coopgraph_text::is_han);
    chinese || long.get(..long.len() - short.len()).is_some_and(|h| h.ends_with(' ') && short.contains(' '))
}

/// Drops names inside longer ones; text order.
fn dedup(mut names: Vec<NameMention>) -> Vec<NameMention> {
    names.sort_by(|a, b| (b.end - b.start).cmp(&(a.end - a.start)).then(a.start.cmp(&b.start)));
    let mut kept: Vec<NameMention> = Vec::new();
    for n in names {
        if !kept.iter().any(|k| k.start < n.end && n.start < k.end) {
            kept.push(n);
        }
    }
    kept.sort_by_key(|n| (n.start, n.end));
    kept
}

/// A slug id for a new name: its English words, or the kind and a hash.
pub fn slug(name: &str, kind: EntityKind) -> String {
    let words: Vec<String> = name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .filter(|w| !CONNECTORS.contains(&w.as_str()))
        .collect();
    if !words.is_empty() && !name.chars().any(coopgraph_text::is_han) {
        let mut slug = String::new();
        for w in words.iter().take(6) {
            if !slug.is_empty() {
                slug.push('_');
            }
            slug.push_str(w);
        }
        return slug;
    }
    // FNV-1a: the same name always gives the same id.
    let mut hash: u32 = 0x811c_9dc5;
    for b in name.bytes() {
        hash ^= u32::from(b);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    format!("{}_{hash:08x}", kind.name())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn en(text: &str) -> Vec<(String, &'static str, &'static str)> {
        let chars: Vec<char> = text.chars().collect();
        english_names(&chars).into_iter().map(|n| (n.name, n.kind.name(), n.category)).collect()
    }

    fn zh(text: &str) -> Vec<(String, &'static str, &'static str)> {
        let chars: Vec<char> = text.chars().collect();
        chinese_names(&chars).into_iter().map(|n| (n.name, n.kind.name(), n.category)).collect()
    }

    #[test]
    fn english_names_by_head_word_and_quotes() {
        assert_eq!(
            en("the Harbour Police Forum met under the Treaty on Open Harbours, and launched \"Clear Water 2019\"."),
            vec![
                ("Harbour Police Forum".to_owned(), "organization", "forum"),
                ("Treaty on Open Harbours".to_owned(), "treaty", "treaty"),
                ("Clear Water 2019".to_owned(), "operation", "campaign"),
            ]
        );
        assert_eq!(en("a meeting of the group"), vec![]);
        assert_eq!(
            en("it attended the Harbour Forum and Coast Guard Exercise"),
            vec![
                ("Harbour Forum".to_owned(), "organization", "forum"),
                ("Coast Guard Exercise".to_owned(), "operation", "exercise"),
            ]
        );
    }

    #[test]
    fn english_names_end_before_to_the_and_take_their_last_head_word() {
        assert_eq!(
            en("they submitted the Harbour Code of Conduct to the Isles General Assembly."),
            vec![
                ("Harbour Code of Conduct".to_owned(), "treaty", "principles"),
                ("Isles General Assembly".to_owned(), "organization", "international_organization"),
            ]
        );
        // An exercise named for the body that holds it names the body too.
        assert_eq!(
            en("it joined the Harbour Rescue Advisory Group Regional Response Exercise."),
            vec![
                ("Harbour Rescue Advisory Group".to_owned(), "organization", "mechanism"),
                ("Harbour Rescue Advisory Group Regional Response Exercise".to_owned(), "operation", "exercise"),
            ]
        );
    }

    #[test]
    fn incidents_told_by_a_noun_before_a_country() {
        let text = "after severe earthquakes in Chile in April 2015 and floods in Chile";
        let chars: Vec<char> = text.chars().collect();
        let found: Vec<(String, &str)> =
            english_incidents(&chars, &[(28, 33), (62, 67)]).into_iter().map(|n| (n.name, n.category)).collect();
        assert_eq!(
            found,
            vec![("Chile earthquakes (April 2015)".to_owned(), "disaster"), ("Chile floods".to_owned(), "disaster")]
        );
    }

    #[test]
    fn chinese_names_by_title_quotes_and_head_word() {
        assert_eq!(
            zh("签署《港口安全公约》，开展“清水”行动，出席了港口警务论坛"),
            vec![
                ("港口安全公约".to_owned(), "treaty", "convention"),
                ("“清水”行动".chars().skip(1).collect::<String>(), "operation", "campaign"),
                ("港口警务论坛".to_owned(), "organization", "forum"),
            ]
        );
    }

    #[test]
    fn more_head_words_in_both_languages() {
        let cases: &[(&str, (&str, &str, &str))] = &[
            ("the Harbour Workers Party met", ("Harbour Workers Party", "organization", "agency")),
            ("the Bank of North Isles said", ("Bank of North Isles", "organization", "agency")),
            (
                "the Harbour Security Council met",
                ("Harbour Security Council", "organization", "international_organization"),
            ),
            ("under the Harbour League Charter", ("Harbour League Charter", "treaty", "convention")),
            ("the Harbour Policing Seminar opened", ("Harbour Policing Seminar", "operation", "event")),
            ("the 13th Harbour Forum met", ("13th Harbour Forum", "operation", "event")),
            ("the 2024 Harbour Forum met", ("2024 Harbour Forum", "operation", "event")),
            (
                "the Drill of the Harbour Agencies of the Isles began",
                ("Drill of the Harbour Agencies of the Isles", "operation", "exercise"),
            ),
        ];
        for (text, (name, kind, category)) in cases {
            assert_eq!(en(text), vec![(name.to_string(), *kind, *category)], "{text}");
        }
        let cases: &[(&str, (&str, &str, &str))] = &[
            ("智利首支赴北岛维和警队抵达", ("智利首支赴北岛维和警队", "operation", "peacekeeping")),
            ("出席港口警务峰会", ("港口警务峰会", "operation", "event")),
            ("举办港口警务研讨会", ("港口警务研讨会", "operation", "event")),
            ("港口海洋委员会成立", ("港口海洋委员会", "organization", "mechanism")),
            ("首届港口警务论坛开幕", ("首届港口警务论坛", "operation", "event")),
            ("警方开展港口清理行动", ("港口清理行动", "operation", "joint_operation")),
            ("双方举行港口联合巡逻执法", ("港口联合巡逻执法", "operation", "patrol")),
            ("为期4天的第51次港口联合巡逻执法", ("第51次港口联合巡逻执法", "operation", "patrol")),
            ("2011年北岛“3·2”惨案发生后", ("北岛“3·2”惨案", "incident", "attack")),
            ("北岛地震造成损失", ("北岛地震", "incident", "disaster")),
        ];
        for (text, (name, kind, category)) in cases {
            assert_eq!(zh(text), vec![(name.to_string(), *kind, *category)], "{text}");
        }
    }

    #[test]
    fn names_listed_with_a_known_country_are_countries() {
        let text = "talks with Chile, Harbourland, North Isles and Chile again";
        let chars: Vec<char> = text.chars().collect();
        let found: Vec<String> = listed_countries(&chars, &[(11, 16)], false).into_iter().map(|n| n.name).collect();
        assert_eq!(found, vec!["Harbourland", "North Isles", "Chile"]);
        let text = "the Chile-Harbourland-Isles talks and non-Chile work";
        let chars: Vec<char> = text.chars().collect();
        let found: Vec<String> =
            listed_countries(&chars, &[(4, 9), (42, 47)], false).into_iter().map(|n| n.name).collect();
        assert_eq!(found, vec!["Harbourland", "Isles"]);
        let zh: Vec<char> = "智利、港口国和北岛签署".chars().collect();
        let found: Vec<String> = listed_countries(&zh, &[(0, 2)], true).into_iter().map(|n| n.name).collect();
        assert_eq!(found.first().map(String::as_str), Some("港口国"));
    }

    #[test]
    fn shorter_names_refer_back_to_longer_ones() {
        assert!(refers_back("专项行动", "港口清理专项行动"));
        assert!(!refers_back("行动", "港口清理专项行动"));
        assert!(refers_back("harbour watch", "second harbour watch"));
        assert!(!refers_back("bour watch", "second harbour watch"));
        assert!(!refers_back("港口清理专项行动", "港口清理专项行动"));
    }

    #[test]
    fn slugs_are_ascii() {
        assert_eq!(slug("Treaty on Open Harbours", EntityKind::Treaty), "treaty_open_harbours");
        assert!(slug("港口警务论坛", EntityKind::Organization).starts_with("organization_"));
    }
}
