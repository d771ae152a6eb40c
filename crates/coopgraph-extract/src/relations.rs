//! Relations within a sentence: for each trigger word of a relation type
//! (read from the schema's table), the nearest entities before and after
//! it whose kinds the type allows; a list of entities (`A, B and C`) on
//! either side gives one relation for each.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use coopgraph_model::{Dataset, EntityKind, RELATION_TYPES};
use coopgraph_text::fold;

use crate::Occurrence;
use crate::document::Paragraph;

/// What a name that holds another known name states about the two, by
/// (kind of the outer name, kind of the inner one): the relation type, the
/// role, and true when the inner entity is the subject. `Third China-Japan
/// Tabletop Exercise` has Japan take part in it; `SCO Expert Group` is part
/// of the SCO; `Eighth SCO Meeting` is hosted by the SCO; a `China-Malaysia
/// Research Center` has China and Malaysia as members; the `X mission
/// area` lies in X, and so does an incident named for X. An instrument
/// named for a body (`G20 High Level Principles`) is the body's: adopted
/// by it and at it.
const NAME_HOLDS: &[(EntityKind, EntityKind, &str, Option<&str>, bool)] = &[
    (EntityKind::Treaty, EntityKind::Organization, "signed_with", Some("adopter"), true),
    (EntityKind::Treaty, EntityKind::Organization, "adopted_at", None, false),
    (EntityKind::Operation, EntityKind::Country, "participated_in", Some("participant"), true),
    (EntityKind::Operation, EntityKind::Organization, "hosted_by", None, false),
    (EntityKind::Organization, EntityKind::Organization, "part_of", None, false),
    (EntityKind::Organization, EntityKind::Country, "member_of", Some("partner"), true),
    (EntityKind::Place, EntityKind::Country, "located_in", None, false),
    (EntityKind::Incident, EntityKind::Place, "located_in", None, false),
    (EntityKind::Incident, EntityKind::Country, "located_in", None, false),
];

/// The relations stated by names that hold other names: `outer` are the
/// new names of the paragraph, `inner` the known mentions.
///
/// A country after `赴` or `to` in an operation's name is where the
/// operation goes (`赴X维和警队`: `deployed_to` X).
pub fn held_names(p: &Paragraph, outer: &[Occurrence], inner: &[Occurrence]) -> Vec<Found> {
    let mut out = Vec::new();
    for o in outer {
        let held = |i: &&Occurrence| o.start <= i.start && i.end <= o.end && (i.start, i.end) != (o.start, o.end);
        // A body named for one country (`People's Bank of X`) is that
        // country's; one named for several (`A-B Center`) has them as members.
        let mut countries: Vec<&str> =
            inner.iter().filter(held).filter(|i| i.kind == EntityKind::Country).map(|i| i.id.as_str()).collect();
        countries.dedup();
        for i in inner.iter().filter(held) {
            let goes_to = o.kind == EntityKind::Operation
                && i.kind == EntityKind::Country
                && (i.start > 0 && p.chars.get(i.start - 1) == Some(&'赴')
                    || fold(&p.slice(i.start.saturating_sub(4), i.start)).ends_with(" to "));
            let national = o.kind == EntityKind::Organization && i.kind == EntityKind::Country && countries.len() == 1;
            let holds: Vec<&(EntityKind, EntityKind, &str, Option<&str>, bool)> = if goes_to {
                vec![&(EntityKind::Operation, EntityKind::Country, "deployed_to", None, false)]
            } else if national {
                vec![&(EntityKind::Organization, EntityKind::Country, "hosted_by", None, false)]
            } else {
                NAME_HOLDS.iter().filter(|(ok, ik, ..)| *ok == o.kind && *ik == i.kind).collect()
            };
            for &(_, _, name, role, inner_subject) in holds {
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
    }
    out
}

/// Relations stated by the shape of the text rather than by a trigger
/// word, between the entities `known` of a paragraph (known or new):
///
/// - names joined by hyphens or dashes (`A-B cooperation`, `甲—乙合作`)
///   cooperate with each other, and hold consultations before a word of
///   talks (`A-B-C consultations`, `A-B and A-C dialogues`, `中美会谈`);
/// - a list of countries in brackets right after an organization
///   (`Group (A, B and C)`, `集团（甲、乙、丙）`) are its members.
pub fn shapes(p: &Paragraph, known: &[Occurrence]) -> Vec<Found> {
    let mut sorted: Vec<&Occurrence> = known.iter().collect();
    sorted.sort_by_key(|o| (o.start, o.end));
    let actor = |o: &Occurrence| matches!(o.kind, EntityKind::Country | EntityKind::Organization);
    let mut out = Vec::new();
    let found =
        |s: &Occurrence, predicate: &'static str, o: &Occurrence, role, reason: &str, span: (usize, usize)| Found {
            subject: s.id.clone(),
            predicate,
            object: o.id.clone(),
            role,
            trigger: "",
            trigger_at: span.0,
            start: span.0,
            end: span.1,
            sentence: span,
            score: 0.5,
            reason: reason.to_owned(),
        };
    // Hyphenated chains, and two Chinese country names written together
    // (`中越`, the Chinese for "China-Vietnam").
    let adjacent = |a: &Occurrence, b: &Occurrence| {
        p.lang == "zh" && a.end == b.start && a.kind == EntityKind::Country && b.kind == EntityKind::Country
    };
    let pair = |j: usize| match (sorted.get(j), sorted.get(j + 1)) {
        (Some(a), Some(b)) => {
            adjacent(a, b)
                && !(j > 0 && sorted.get(j - 1).is_some_and(|z| adjacent(z, a)))
                && !sorted.get(j + 2).is_some_and(|c| adjacent(b, c))
        }
        _ => false,
    };
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i;
        while let (Some(a), Some(b)) = (sorted.get(j), sorted.get(j + 1)) {
            if actor(a) && actor(b) && (matches!(p.slice(a.end, b.start).as_str(), "-" | "–" | "—" | "－") || pair(j))
            {
                j += 1;
            } else {
                break;
            }
        }
        if j > i {
            let chain: Vec<&Occurrence> = sorted.get(i..=j).map(<[_]>::to_vec).unwrap_or_default();
            let span = (chain.first().map_or(0, |o| o.start), chain.last().map_or(0, |o| o.end));
            // Before a word of talks ("A-B dialogue", `甲乙磋商`), the chain
            // holds consultations.
            let (predicate, reason) = if consultation_follows(p, span.1) {
                ("consults_with", "names joined by a hyphen before a word of talks hold consultations")
            } else {
                ("cooperates_with", "names joined by a hyphen cooperate")
            };
            for (k, a) in chain.iter().enumerate() {
                for b in chain.iter().skip(k + 1) {
                    if a.id != b.id {
                        out.push(found(a, predicate, b, None, reason, span));
                    }
                }
            }
        }
        i = j + 1;
    }
    // Those an operation is "by" ("the X Operation by A, B and C"), and
    // the countries that open the sentence an operation frames (`在X中，A、
    // B六国`), take part in it.
    for (k, o) in sorted.iter().enumerate().filter(|(_, o)| o.kind == EntityKind::Operation) {
        let by = p.lang == "en" && p.slice(o.end, o.end + 4) == " by ";
        let frame = p.lang == "zh" && matches!(p.slice(o.end, o.end + 2).as_str(), "中，" | "中,");
        let skip = match (by, frame) {
            (true, _) => 4,
            (_, true) => 2,
            _ => continue,
        };
        let Some(first) = sorted.iter().skip(k + 1).position(|m| m.start == o.end + skip).map(|j| j + k + 1) else {
            continue;
        };
        let Some(head) = sorted.get(first) else { continue };
        if !actor(head) {
            continue;
        }
        for m in list_around(&sorted, first, p).into_iter().filter(|m| m.start >= head.start && actor(m)) {
            let end = m.end;
            out.push(found(
                m,
                "participated_in",
                o,
                Some("participant"),
                if by {
                    "those an operation is by take part in it"
                } else {
                    "the countries that open a sentence an operation frames take part in it"
                },
                (o.start, end.max(o.end)),
            ));
        }
    }
    // Members listed in brackets after an organization.
    for o in sorted.iter().filter(|o| o.kind == EntityKind::Organization) {
        let after: Vec<char> = p.chars.get(o.end..).unwrap_or_default().iter().take(3).copied().collect();
        let skip = after.iter().take_while(|c| **c == ' ').count();
        let Some(&open) = after.get(skip) else { continue };
        let close = match open {
            '(' => ')',
            '（' => '）',
            _ => continue,
        };
        let from = o.end + skip + 1;
        let Some(len) = p.chars.get(from..).and_then(|r| r.iter().take(200).position(|c| *c == close)) else {
            continue;
        };
        let inside: Vec<&&Occurrence> =
            sorted.iter().filter(|m| from <= m.start && m.end <= from + len && m.kind == EntityKind::Country).collect();
        if inside.len() < 2 {
            continue;
        }
        for m in inside {
            out.push(found(
                m,
                "member_of",
                o,
                Some("member"),
                "countries listed in brackets after an organization are its members",
                (o.start, from + len + 1),
            ));
        }
    }
    out
}

/// Whether a word of talks follows `end`, within a few words and before
/// other punctuation than a list's commas (`A-B, A-C and A-D dialogues`,
/// `中越磋商`): the nouns of `consults_with`'s triggers.
fn consultation_follows(p: &Paragraph, end: usize) -> bool {
    let after = fold(&p.slice(end, (end + 40).min(p.chars.len())));
    if p.lang == "zh" {
        let head: String = after.chars().take(8).take_while(|c| !"，。；、".contains(*c)).collect();
        return ["磋商", "对话", "会谈"].iter().any(|w| head.contains(w));
    }
    let clause = after.split(['.', ';', '(']).next().unwrap_or_default();
    clause.split_whitespace().take(6).any(|w| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        matches!(w, "dialogue" | "dialogues" | "consultation" | "consultations" | "talks")
    })
}

/// Where places are, by the shape of the text, between the entities
/// `known` of a paragraph (known or new), each `located_in`:
///
/// - a place written right after a larger one, or after it and `的`
///   (`甲省乙市`, `甲州的乙码头`), lies in it, and so do the places listed
///   with it (`甲乙市、丙州`);
/// - a place or incident before `in` and a place or country (`A City and
///   the B Prefecture in C Province`, `the floods in C`) lies in it, and so
///   do the places listed with it;
/// - a place before a comma and a country (`A, C`) lies in it.
pub fn places_within(p: &Paragraph, known: &[Occurrence]) -> Vec<Found> {
    let Some(rt) = coopgraph_model::RelationType::from_name("located_in") else { return Vec::new() };
    let mut sorted: Vec<&Occurrence> = known.iter().collect();
    sorted.sort_by_key(|o| (o.start, o.end));
    let mut out = Vec::new();
    let mut push = |s: &Occurrence, o: &Occurrence, reason: &str| {
        if s.id != o.id && rt.allows(s.kind, o.kind) {
            out.push(Found {
                subject: s.id.clone(),
                predicate: rt.name,
                object: o.id.clone(),
                role: None,
                trigger: "",
                trigger_at: s.start.min(o.start),
                start: s.start.min(o.start),
                end: s.end.max(o.end),
                sentence: (s.start.min(o.start), s.end.max(o.end)),
                score: 0.5,
                reason: reason.to_owned(),
            });
        }
    };
    let larger = |o: &Occurrence| matches!(o.kind, EntityKind::Place | EntityKind::Country);
    for (k, pair) in sorted.windows(2).enumerate() {
        let (Some(a), Some(b)) = (pair.first(), pair.get(1)) else { continue };
        let gap = fold(&p.slice(a.end, b.start));
        if p.lang == "zh"
            && larger(a)
            && b.kind == EntityKind::Place
            && b.start >= a.end
            && matches!(gap.as_str(), "" | "的")
        {
            for m in list_around(&sorted, k + 1, p).into_iter().filter(|m| m.start >= b.start) {
                push(m, a, "a place written after a larger one lies in it");
            }
        }
        if p.lang == "en" && matches!(a.kind, EntityKind::Place | EntityKind::Incident) && larger(b) {
            let inside = matches!(gap.as_str(), " in " | " in the ");
            let comma = gap == ", " && b.kind == EntityKind::Country;
            if inside || comma {
                let listed = if inside { list_around(&sorted, k, p) } else { vec![*a] };
                for m in listed.into_iter().filter(|m| m.end <= a.end) {
                    push(
                        m,
                        b,
                        if inside {
                            "a place \"in\" another lies in it"
                        } else {
                            "a place before a comma and a country lies in it"
                        },
                    );
                }
            }
        }
    }
    out
}

/// `located_in` from each of `places` to `country`, which a table says
/// they lie in (`reason`); the span is the place's.
pub fn lies_in(places: &[Occurrence], country: &Occurrence, reason: &str) -> Vec<Found> {
    places
        .iter()
        .map(|o| Found {
            subject: o.id.clone(),
            predicate: "located_in",
            object: country.id.clone(),
            role: None,
            trigger: "",
            trigger_at: o.start,
            start: o.start,
            end: o.end,
            sentence: (o.start, o.end),
            score: 0.5,
            reason: format!("{reason}, which lies in its country"),
        })
        .collect()
}

/// Relations the data already holds, from sources other than `source`,
/// between two known entities the paragraph names: the new document is
/// proposed as one more citation of each. The pair nearest together gives
/// the span; both in one sentence score higher.
///
/// A pair of a symmetric type (cooperation, consultations, negotiations) is
/// a strand the text names on its own: it is proposed again only where the
/// paragraph holds one of the type's trigger words, or in English the
/// noun of one without its preposition ("international cooperation" for
/// "cooperation with").
pub fn known_pairs(
    p: &Paragraph,
    dataset: &Dataset,
    source: &str,
    sentences: &[(usize, usize)],
    known: &[Occurrence],
) -> Vec<Found> {
    let mut out = Vec::new();
    let hits = trigger_hits(p);
    let text = p.folded.text();
    let word_in_text = |w: &str| {
        text.match_indices(w).any(|(at, _)| {
            let before = text.get(..at).and_then(|b| b.chars().next_back());
            let after = text.get(at + w.len()..).and_then(|a| a.chars().next());
            before.is_none_or(|c| !c.is_alphanumeric()) && after.is_none_or(|c| !c.is_alphanumeric())
        })
    };
    let named = |name: &str| {
        hits.iter().any(|h| RELATION_TYPES.get(h.0).is_some_and(|rt| rt.name == name))
            || p.lang == "en"
                && RELATION_TYPES.iter().filter(|rt| rt.name == name).flat_map(|rt| rt.triggers).any(|t| {
                    let noun =
                        [" with", " between", " among", " on", " of"].iter().find_map(|w| t.words.strip_suffix(w));
                    t.lang == "en" && noun.is_some_and(|n| word_in_text(&fold(n)))
                })
    };
    for r in dataset.relations.iter().filter(|r| !r.implied) {
        if !r.sources.iter().any(|c| c.source.as_str() != source) {
            continue;
        }
        if r.relation_type.symmetric && !named(r.relation_type.name) {
            continue;
        }
        let (subject, object) = (r.subject.as_str(), r.object.as_str());
        let mut best: Option<(usize, &Occurrence, &Occurrence)> = None;
        for s in known.iter().filter(|o| o.id == subject) {
            for o in known.iter().filter(|o| o.id == object) {
                let distance = if s.end <= o.start { o.start - s.end } else { s.start.saturating_sub(o.end) };
                if best.is_none_or(|(d, ..)| distance < d) {
                    best = Some((distance, s, o));
                }
            }
        }
        let Some((_, s, o)) = best else { continue };
        let (start, end) = (s.start.min(o.start), s.end.max(o.end));
        let sentence = crate::document::sentence_of(sentences, start).unwrap_or((start, end));
        let one_sentence = end <= sentence.1;
        let rt = r.relation_type;
        out.push(Found {
            subject: subject.to_owned(),
            predicate: rt.name,
            object: object.to_owned(),
            role: r.role.as_deref().and_then(|role| rt.roles.iter().copied().find(|x| *x == role)),
            trigger: "",
            trigger_at: start,
            start,
            end,
            sentence: if one_sentence { sentence } else { (start, end) },
            score: if one_sentence { 0.6 } else { 0.5 },
            reason: format!(
                "the data holds {} between the two from other sources, and the paragraph names both",
                rt.name
            ),
        });
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
        // Nor inside a hyphenated word: "hosted" in "co-hosted".
        let before_ok = start == 0 || chars.get(start - 1).is_none_or(|c| !c.is_alphanumeric() && *c != '-');
        let after_ok = chars.get(end).is_none_or(|c| !c.is_alphanumeric());
        if !latin || (before_ok && after_ok) {
            out.push((r, t, start, end));
        }
    }
    out.sort_unstable();
    out
}

/// Whether a relation type before `r` in the schema's table has the same
/// trigger words and allows the pair: one trigger states one relation
/// ("A hosted X", with `hosted` under both `participated_in` and
/// `hosted_by`, is A's participation as host where A may take part in X).
fn stated_earlier(r: usize, t: &coopgraph_model::Trigger, subject: EntityKind, object: EntityKind) -> bool {
    RELATION_TYPES.iter().take(r).any(|earlier| {
        earlier.triggers.iter().any(|e| {
            e.lang == t.lang && e.words == t.words && {
                let (s, o) = if e.reversed == t.reversed { (subject, object) } else { (object, subject) };
                earlier.allows(s, o)
            }
        })
    })
}

/// Whether the English name at `start` is the object of a preposition
/// (`with B`, `to the B`), so not the subject of a verb after it.
pub(crate) fn after_preposition(p: &Paragraph, start: usize) -> bool {
    let before = fold(&p.slice(start.saturating_sub(12), start));
    let before = before.trim_end();
    let before = before.strip_suffix(" the").unwrap_or(before);
    let word = before.rsplit(' ').next().unwrap_or_default();
    ["with", "to", "by", "from", "of", "in", "for", "on", "against", "among", "between"].contains(&word)
}

/// Chinese trigger words that are also nouns (`组织`, an organization),
/// with what must follow them for the verb: `组织开展`, not `区域组织的`.
const ZH_VERB_ONLY_BEFORE: &[(&str, &[&str])] = &[("组织", &["开展", "实施", "举办", "召开", "了", "参加", "参与"])];

/// Whether the Chinese trigger `words`, followed by `next`, is used as a verb.
fn verb_use(words: &str, next: String) -> bool {
    ZH_VERB_ONLY_BEFORE
        .iter()
        .find(|(w, _)| *w == words)
        .is_none_or(|(_, verbs)| verbs.iter().any(|v| next.starts_with(v)))
}

/// Whether the Chinese name `o` stands inside a frame that closes before
/// `at` (`在A、B机制内，...开展`): the frame's names are no subject of the
/// words after it.
fn framed(p: &Paragraph, ss: usize, o: &Occurrence, inside: &[&Occurrence], at: usize) -> bool {
    if p.lang != "zh" || o.kind == EntityKind::Operation {
        return false;
    }
    let comma = |a: usize, b: usize| (a..b).any(|k| p.chars.get(k).is_some_and(|c| matches!(c, '，' | ',' | '；')));
    let opened = (ss..o.start).rev().find(|&k| p.chars.get(k) == Some(&'在')).is_some_and(|k| !comma(k, o.start));
    // The frame closes right after a name (`在A内`, `在A中`), or a few
    // words on (`在A、B等组织框架内`).
    let after_name = inside.iter().any(|q| {
        q.end >= o.end
            && q.end < at
            && !comma(o.end, q.end)
            && matches!(p.slice(q.end, q.end + 1).as_str(), "内" | "中")
    });
    let closer =
        |k: usize| ["框架内", "框架下", "期间", "机制内"].iter().any(|w| p.slice(k, k + w.chars().count()) == *w);
    let later = (o.end..at).find(|&k| closer(k)).is_some_and(|k| !comma(o.end, k));
    opened && (after_name || later)
}

/// Whether the name `o` is where something goes (`赴A`), so no partner.
fn destination(p: &Paragraph, o: &Occurrence) -> bool {
    p.lang == "zh" && o.start > 0 && p.chars.get(o.start - 1) == Some(&'赴')
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
        // A bracket closing a name's other name or short form ends no list
        // ("A (also known as A2), B and C"), nor do titles written one
        // after the other (`《A》《B》和《C》`).
        let g = g.strip_prefix([')', '）']).map_or(g, str::trim_start);
        let g = g.trim_matches(['《', '》']).trim();
        let titles = g.is_empty() && (gap.contains('》') || p.chars.get(a.end.saturating_sub(1)) == Some(&'》'));
        let bracket = g.starts_with(['(', '（'])
            && matches!(
                g.trim_start_matches(['(', '（']).trim(),
                "" | "also known as" | "also known as the" | "or" | "i.e."
            );
        titles
            || bracket
            || g.chars().count() <= 10
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
        let sentence_topic = inside.iter().find(|o| actor(o) && !framed(p, ss, o, &inside, se)).copied();
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
            if p.lang == "zh"
                && !verb_use(t.words, p.slice(at + t.words.chars().count(), at + t.words.chars().count() + 2))
            {
                continue;
            }
            {
                {
                    let t_end = at + t.words.chars().count();
                    if inside.iter().any(|o| o.start <= at && t_end <= o.end) {
                        continue; // the trigger is part of a name
                    }
                    // Each side takes the nearest entity of a kind the type
                    // allows there, passing over others ("A hosted the X
                    // Exercise and participated in Y": A, not the exercise,
                    // takes part in Y); an English subject is not the object
                    // of a preposition ("co-hosted with B").
                    let (subject_kinds, object_kinds) = (rt.subject_kinds(), rt.object_kinds());
                    let (left_kinds, right_kinds) =
                        if t.reversed { (&object_kinds, &subject_kinds) } else { (&subject_kinds, &object_kinds) };
                    // A place something goes to (`赴A、B`) is no partner.
                    let goes_to = |i: usize| {
                        rt.symmetric && list_around(&inside, i, p).first().is_some_and(|f| destination(p, f))
                    };
                    let after: Vec<usize> = (0..inside.len())
                        .filter(|&i| {
                            inside.get(i).is_some_and(|o| o.start >= t_end && right_kinds.contains(&o.kind))
                                && !goes_to(i)
                        })
                        .collect();
                    let first_after = after.first().and_then(|&a| inside.get(a)).map(|o| o.id.as_str());
                    // An English subject is no object of a preposition, nor
                    // in a list that one governs ("consultations with A, B
                    // and C, hosted X": not C); nor the other side itself.
                    // A passive trigger ("organized by") has its object
                    // before the words, which may well follow a preposition;
                    // an active one ("hosted") has its actor there.
                    let passive = t.reversed && t.words.ends_with(" by");
                    let governed = |i: usize| {
                        p.lang == "en"
                            && list_around(&inside, i, p).first().is_some_and(|f| after_preposition(p, f.start))
                    };
                    let before: Vec<usize> = (0..inside.len())
                        .filter(|&i| {
                            inside.get(i).is_some_and(|o| {
                                o.end <= at
                                    && left_kinds.contains(&o.kind)
                                    && (passive || !governed(i))
                                    && (t.reversed || !framed(p, ss, o, &inside, at))
                                    && Some(o.id.as_str()) != first_after
                            }) && !goes_to(i)
                        })
                        .collect();
                    // "cooperation with" names the partner after the words.
                    let partner_after =
                        p.lang == "en" && [" with", " between", " among"].iter().any(|w| t.words.ends_with(w));
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
                        (_, None) if partner_after => continue,
                        (Some(&b), None) if rt.symmetric && carried.is_some() => match carried {
                            Some(topic) => (vec![topic], list_around(&inside, b, p)),
                            None => continue,
                        },
                        // "A 与 B 合作": both named before the words of a symmetric type.
                        (Some(&b), None) if rt.symmetric && b > 0 => {
                            let Some(o) = inside.get(b) else { continue };
                            let list = list_around(&inside, b, p);
                            // "A 同 B、C 等...合作": A with each of the list.
                            let with = list.first().filter(|h| {
                                p.lang == "zh"
                                    && h.start > 0
                                    && p.chars.get(h.start - 1).is_some_and(|c| "与同和跟".contains(*c))
                            });
                            match with {
                                Some(head) => {
                                    let partner = inside
                                        .iter()
                                        .rev()
                                        .find(|x| x.end <= head.start && left_kinds.contains(&x.kind))
                                        .copied()
                                        .or(carried);
                                    match partner {
                                        Some(a) => (vec![a], list),
                                        None => continue,
                                    }
                                }
                                None => (vec![*o], list_around(&inside, b - 1, p)),
                            }
                        }
                        _ => continue,
                    };
                    let (subjects, objects) = if t.reversed { (rights, lefts) } else { (lefts, rights) };
                    for s in &subjects {
                        for o in &objects {
                            if s.id == o.id || !rt.allows(s.kind, o.kind) || stated_earlier(r, t, s.kind, o.kind) {
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
