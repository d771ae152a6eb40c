//! Relations within a sentence: for each trigger word of a relation type
//! (read from the schema's table), the nearest entities before and after
//! it whose kinds the type allows; a list of entities (`A, B and C`) on
//! either side gives one relation for each.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use coopgraph_model::{EntityKind, RELATION_TYPES};
use coopgraph_text::fold;

use crate::Occurrence;
use crate::document::Paragraph;

/// What a name that holds another known name states about the two, by
/// (kind of the outer name, kind of the inner one): the relation type, the
/// role, and true when the inner entity is the subject. `Third China-Japan
/// Tabletop Exercise` has Japan take part in it; `SCO Expert Group` is part
/// of the SCO; `Eighth SCO Meeting` is hosted by the SCO; a `China-Malaysia
/// Research Center` has China and Malaysia as members.
const NAME_HOLDS: &[(EntityKind, EntityKind, &str, Option<&str>, bool)] = &[
    (EntityKind::Operation, EntityKind::Country, "participated_in", Some("participant"), true),
    (EntityKind::Operation, EntityKind::Organization, "hosted_by", None, false),
    (EntityKind::Organization, EntityKind::Organization, "part_of", None, false),
    (EntityKind::Organization, EntityKind::Country, "member_of", Some("partner"), true),
];

/// The relations stated by names that hold other names: `outer` are the
/// new names of the paragraph, `inner` the known mentions.
pub fn held_names(outer: &[Occurrence], inner: &[Occurrence]) -> Vec<Found> {
    let mut out = Vec::new();
    for o in outer {
        for i in inner.iter().filter(|i| o.start <= i.start && i.end <= o.end && (i.start, i.end) != (o.start, o.end)) {
            let Some(&(_, _, name, role, inner_subject)) =
                NAME_HOLDS.iter().find(|(ok, ik, ..)| *ok == o.kind && *ik == i.kind)
            else {
                continue;
            };
            let Some(rt) = coopgraph_model::RelationType::from_name(name) else { continue };
            let (s, ob) = if inner_subject { (i, o) } else { (o, i) };
            if s.id == ob.id || !rt.allows(s.kind, ob.kind) {
                continue;
            }
            out.push(Found {
                subject: s.id.clone(),
                predicate: rt.name,
                object: ob.id.clone(),
                role,
                trigger: "",
                trigger_at: i.start,
                start: o.start,
                end: o.end,
                sentence: (o.start, o.end),
                score: 0.5,
                reason: format!("the name of a {} holds the name of a {}", o.kind, i.kind),
            });
        }
    }
    out
}

/// A proposed relation.
#[derive(Debug)]
pub struct Found {
    pub subject: String,
    pub predicate: &'static str,
    pub object: String,
    pub role: Option<&'static str>,
    pub trigger: &'static str,
    pub trigger_at: usize,
    pub start: usize,
    pub end: usize,
    pub sentence: (usize, usize),
    pub score: f64,
    pub reason: String,
}

/// One automaton per language over every trigger of every relation type,
/// with the (relation type, trigger) of each pattern.
struct TriggerIndex {
    automaton: Option<AhoCorasick>,
    patterns: Vec<(usize, usize, usize)>,
}

static TRIGGERS: LazyLock<[TriggerIndex; 2]> = LazyLock::new(|| {
    ["en", "zh"].map(|lang| {
        let mut words = Vec::new();
        let mut patterns = Vec::new();
        for (r, rt) in RELATION_TYPES.iter().enumerate() {
            for (t, trigger) in rt.triggers.iter().enumerate().filter(|(_, t)| t.lang == lang) {
                let folded = fold(trigger.words);
                patterns.push((r, t, folded.chars().count()));
                words.push(folded);
            }
        }
        TriggerIndex { automaton: AhoCorasick::new(&words).ok(), patterns }
    })
});

/// Every trigger word in `p`: (relation type index, trigger index,
/// folded start, folded end), in the order of the schema's table, then of
/// the text. Latin words must stand as whole words.
fn trigger_hits(p: &Paragraph) -> Vec<(usize, usize, usize, usize)> {
    let index = if p.lang == "zh" { TRIGGERS.get(1) } else { TRIGGERS.first() };
    let Some(TriggerIndex { automaton: Some(automaton), patterns }) = index else { return Vec::new() };
    let text = p.folded.text();
    let mut char_of = vec![0usize; text.len() + 1];
    for (n, (b, _)) in text.char_indices().enumerate() {
        if let Some(slot) = char_of.get_mut(b) {
            *slot = n;
        }
    }
    if let Some(slot) = char_of.get_mut(text.len()) {
        *slot = p.folded_chars.len();
    }
    let chars = &p.folded_chars;
    let mut out = Vec::new();
    for m in automaton.find_overlapping_iter(text) {
        let (Some(&start), Some(&(r, t, len))) = (char_of.get(m.start()), patterns.get(m.pattern().as_usize())) else {
            continue;
        };
        let end = start + len;
        let latin = chars.get(start..end).is_some_and(|w| !w.iter().any(|c| coopgraph_text::is_han(*c)));
        let before_ok = start == 0 || chars.get(start - 1).is_none_or(|c| !c.is_alphanumeric());
        let after_ok = chars.get(end).is_none_or(|c| !c.is_alphanumeric());
        if !latin || (before_ok && after_ok) {
            out.push((r, t, start, end));
        }
    }
    out.sort_unstable();
    out
}

/// The first folded character at or after original character `at`.
fn folded_index(p: &Paragraph, at: usize) -> Option<usize> {
    p.folded_at.get(at.min(p.chars.len())).copied()
}

/// The entities of a list around `anchor`: it and those joined to it by
/// commas, `、`, `and`, `和`, `与` or `及`.
fn list_around<'a>(all: &[&'a Occurrence], anchor: usize, p: &Paragraph) -> Vec<&'a Occurrence> {
    let joined = |a: &Occurrence, b: &Occurrence| {
        let gap = fold(&p.slice(a.end, b.start));
        // "A, the B and the C": an article before a name is part of the gap.
        let g = gap.trim();
        let g = g.strip_suffix(" the").or_else(|| g.strip_suffix("the")).unwrap_or(g).trim_end();
        gap.chars().count() <= 10
            && matches!(g, "," | "、" | "and" | ", and" | "和" | "与" | "及" | "以及" | "，" | "or" | "as well as")
    };
    let mut out = Vec::new();
    let Some(&center) = all.get(anchor) else { return out };
    let mut i = anchor;
    while i > 0 {
        let (Some(a), Some(b)) = (all.get(i - 1), all.get(i)) else { break };
        if joined(a, b) { i -= 1 } else { break }
    }
    let mut j = anchor;
    while let (Some(a), Some(b)) = (all.get(j), all.get(j + 1)) {
        if joined(a, b) { j += 1 } else { break }
    }
    for k in i..=j {
        if let Some(o) = all.get(k) {
            out.push(*o);
        }
    }
    if out.is_empty() {
        out.push(center);
    }
    out
}

/// Every relation the sentences of `p` state between `occurrences`.
///
/// A sentence that names no country or organization before its trigger
/// words takes the topic of the sentences before it (the first country or
/// organization of the last sentence that named one), as Chinese text
/// often leaves the subject out (`在A、B框架内加强合作`).
pub fn find(p: &Paragraph, sentences: &[(usize, usize)], occurrences: &[Occurrence]) -> Vec<Found> {
    let mut out = Vec::new();
    let hits = trigger_hits(p);
    let mut topic: Option<&Occurrence> = None;
    for &(ss, se) in sentences {
        let inside: Vec<&Occurrence> = occurrences.iter().filter(|o| ss <= o.start && o.end <= se).collect();
        let actor = |o: &&&Occurrence| matches!(o.kind, EntityKind::Country | EntityKind::Organization);
        let sentence_topic = inside.iter().find(actor).copied();
        let previous_topic = topic;
        if sentence_topic.is_some() {
            topic = sentence_topic;
        }
        if inside.is_empty() || (inside.len() < 2 && previous_topic.is_none()) {
            continue;
        }
        let (Some(fs), Some(fe)) = (folded_index(p, ss), folded_index(p, se)) else { continue };
        for &(r, ti, hs, he) in hits.iter().filter(|h| fs <= h.2 && h.3 <= fe) {
            let (Some(rt), Some(at)) = (RELATION_TYPES.get(r), p.folded.original_span(hs..he).map(|s| s.start)) else {
                continue;
            };
            let Some(t) = rt.triggers.get(ti) else { continue };
            {
                {
                    let t_end = at + t.words.chars().count();
                    if inside.iter().any(|o| o.start <= at && t_end <= o.end) {
                        continue; // the trigger is part of a name
                    }
                    let before: Vec<usize> =
                        (0..inside.len()).filter(|&i| inside.get(i).is_some_and(|o| o.end <= at)).collect();
                    let after: Vec<usize> =
                        (0..inside.len()).filter(|&i| inside.get(i).is_some_and(|o| o.start >= t_end)).collect();
                    let carried = previous_topic.filter(|t| !inside.iter().any(|o| o.id == t.id));
                    // "cooperation between A and B": both after the words.
                    let listed_after = after.first().map(|&a| list_around(&inside, a, p)).unwrap_or_default();
                    let between = rt.symmetric
                        && listed_after.len() >= 2
                        && (t.words.ends_with("between") || t.words.ends_with("among"));
                    let (lefts, rights) = match (before.last(), after.first()) {
                        _ if between => match listed_after.split_first() {
                            Some((first, rest)) => (vec![*first], rest.to_vec()),
                            None => continue,
                        },
                        (Some(&b), Some(&a)) => (list_around(&inside, b, p), list_around(&inside, a, p)),
                        (None, Some(&a)) if !t.reversed => match carried {
                            Some(topic) => (vec![topic], list_around(&inside, a, p)),
                            None => continue,
                        },
                        (Some(&b), None) if rt.symmetric && carried.is_some() => match carried {
                            Some(topic) => (vec![topic], list_around(&inside, b, p)),
                            None => continue,
                        },
                        // "A 与 B 合作": both named before the words of a symmetric type.
                        (Some(&b), None) if rt.symmetric && b > 0 => {
                            let Some(o) = inside.get(b) else { continue };
                            (vec![*o], list_around(&inside, b - 1, p))
                        }
                        _ => continue,
                    };
                    let (subjects, objects) = if t.reversed { (rights, lefts) } else { (lefts, rights) };
                    for s in &subjects {
                        for o in &objects {
                            if s.id == o.id || !rt.allows(s.kind, o.kind) {
                                continue;
                            }
                            // A subject carried from an earlier sentence is not in the span.
                            let carried_subject = s.start < ss;
                            let start = if carried_subject { o.start.min(at) } else { s.start.min(o.start).min(at) };
                            let end = if carried_subject { o.end.max(t_end) } else { s.end.max(o.end).max(t_end) };
                            let distance = end - start;
                            let near = if distance < 40 {
                                0.2
                            } else if distance < 100 {
                                0.1
                            } else {
                                0.0
                            };
                            let both_known = s.kind != EntityKind::Treaty || o.kind != EntityKind::Treaty;
                            out.push(Found {
                                subject: s.id.clone(),
                                predicate: rt.name,
                                object: o.id.clone(),
                                role: t.role,
                                trigger: t.words,
                                trigger_at: at,
                                start,
                                end,
                                sentence: (ss, se),
                                score: ((0.4 + near + if both_known { 0.1 } else { 0.0 }) * 100.0_f64).round() / 100.0,
                                reason: format!(
                                    "\"{}\" states {} between a {} and a {} in one sentence",
                                    t.words, rt.name, s.kind, o.kind
                                ),
                            });
                        }
                    }
                }
            }
        }
    }
    out
}
