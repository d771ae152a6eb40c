//! The gazetteer: every label and alias of the known entities, in both
//! languages, folded and matched at once with one Aho-Corasick automaton.
//!
//! Matching rules (beside the folding of `coopgraph-text`): a Latin name
//! matches whole words only, and may carry an English possessive or plural
//! (`China's`, `BRICS'`, `Interpols`); an all-capital acronym (`UN`, `US`)
//! matches only where the text writes it in capitals too; where matches
//! overlap, the longest wins; a name several entities share lists them all.

use std::collections::BTreeMap;

use aho_corasick::{AhoCorasick, MatchKind};
use coopgraph_model::{Dataset, Entity, EntityKind};
use coopgraph_text::{fold, is_han};

use crate::document::Paragraph;

/// One name of the gazetteer.
#[derive(Debug)]
struct Name {
    /// The entities it names, in data order.
    ids: Vec<String>,
    /// True when written in Latin letters (matched on word boundaries).
    latin: bool,
    /// True for an acronym that must be written in capitals.
    capitals: bool,
    /// True for a name that is a list of names ("Brazil, Russia, India,
    /// China and South Africa"): it does not hide the names inside it.
    list: bool,
    /// True for an English demonym made from a country's label
    /// (`Chinese`), which names the country only before a word of
    /// [`INSTITUTIONS`] (`Chinese police`, `the Chinese government`).
    demonym: bool,
}

/// Words after which a demonym stands for its country.
const INSTITUTIONS: &[&str] = &[
    "police",
    "government",
    "authorities",
    "side",
    "peacekeeping",
    "peacekeepers",
    "ministry",
    "navy",
    "coast",
    "delegation",
    "military",
    "armed",
    "law-enforcement",
    "law",
    "officials",
    "leaders",
    "leadership",
    "state",
];

/// English demonyms a country's label may take (`China` -> `Chinese`,
/// `Australia` -> `Australian`, `Japan` -> `Japanese`).
fn demonyms(label: &str) -> Vec<String> {
    let l = label.trim();
    if l.contains(' ') || l.chars().count() < 4 {
        return Vec::new();
    }
    let stem = l.strip_suffix(['a', 'e', 'y']).unwrap_or(l);
    vec![
        format!("{l}n"),
        format!("{l}an"),
        format!("{l}ese"),
        format!("{stem}ese"),
        format!("{l}ian"),
        format!("{stem}ian"),
    ]
}

/// A place in a paragraph where a known entity is named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Character span in the original paragraph.
    pub start: usize,
    /// End of the span (exclusive).
    pub end: usize,
    /// The entities the name fits, best first (data order).
    pub ids: Vec<String>,
    /// True when a curator's reading of an injected token, not a name.
    pub read_as: bool,
    /// True for one character of a run of countries' initials (`中老缅泰`).
    pub initial: bool,
    /// True for a definite description (`the ministry`) of a body named before.
    pub anaphor: bool,
}

/// The known entities' names, ready to match.
#[derive(Debug)]
pub struct Gazetteer {
    automaton: Option<AhoCorasick>,
    names: Vec<Name>,
    kinds: BTreeMap<String, EntityKind>,
    /// The first character of each country's Chinese label, and the
    /// countries whose label starts with it.
    initials: BTreeMap<char, Vec<String>>,
    /// The country an initial shared by several stands for when one of
    /// them is named that character and `国` (`中` for `中国`, not `中非`).
    abbreviated: BTreeMap<char, String>,
    /// Each country's labels, folded, and its id.
    country_labels: BTreeMap<String, String>,
}

impl Gazetteer {
    /// The gazetteer of every entity of `dataset` that `keep` accepts.
    pub fn new(dataset: &Dataset, keep: impl Fn(&Entity) -> bool) -> Self {
        let mut by_pattern: BTreeMap<String, Name> = BTreeMap::new();
        let mut order: Vec<String> = Vec::new();
        let mut kinds = BTreeMap::new();
        let mut initials: BTreeMap<char, Vec<String>> = BTreeMap::new();
        let mut abbreviated: BTreeMap<char, String> = BTreeMap::new();
        let mut country_labels: BTreeMap<String, String> = BTreeMap::new();
        for entity in dataset.entities.values().filter(|e| keep(e)) {
            kinds.insert(entity.id.to_string(), entity.kind);
            if entity.kind == EntityKind::Country {
                for label in entity.labels.values() {
                    country_labels.entry(fold(label)).or_insert_with(|| entity.id.to_string());
                }
            }
            if entity.kind == EntityKind::Country
                && let Some(first) =
                    entity.labels.iter().find(|(l, _)| l.as_str() == "zh").and_then(|(_, t)| fold(t).chars().next())
            {
                initials.entry(first).or_default().push(entity.id.to_string());
                let zh: Vec<char> = entity.label_in("zh").unwrap_or_default().chars().collect();
                if zh.len() == 2 && zh.last() == Some(&'国') {
                    abbreviated.insert(first, entity.id.to_string());
                }
            }
            let names = entity.labels.values().chain(entity.aliases.values().flatten()).map(|n| (n.clone(), false));
            let english = entity.labels.iter().filter(|(l, _)| l.as_str() == "en").map(|(_, t)| t.as_str());
            let demonym_names: Vec<(String, bool)> = if entity.kind == EntityKind::Country {
                english.flat_map(demonyms).map(|d| (d, true)).collect()
            } else {
                Vec::new()
            };
            for (written, demonym) in names.chain(demonym_names) {
                let written = written.as_str();
                let pattern = fold(written.trim());
                if pattern.chars().count() < 2 {
                    continue;
                }
                let latin = !pattern.chars().any(is_han);
                let capitals = latin
                    && written.chars().filter(|c| c.is_alphabetic()).count() <= 5
                    && written.chars().all(|c| !c.is_alphabetic() || c.is_uppercase());
                let name = by_pattern.entry(pattern.clone()).or_insert_with(|| {
                    order.push(pattern.clone());
                    Name {
                        ids: Vec::new(),
                        latin,
                        capitals,
                        list: written.contains(", ") || written.contains('、'),
                        demonym,
                    }
                });
                if name.demonym && !demonym {
                    // A real name of some entity wins over a made-up demonym.
                    name.ids.clear();
                    name.demonym = false;
                } else if demonym && !name.demonym {
                    continue;
                }
                name.capitals &= capitals;
                if !name.ids.iter().any(|id| id == entity.id.as_str()) {
                    name.ids.push(entity.id.to_string());
                }
            }
        }
        let mut names = Vec::with_capacity(order.len());
        for pattern in &order {
            if let Some(name) = by_pattern.remove(pattern) {
                names.push(name);
            }
        }
        let automaton = AhoCorasick::builder().match_kind(MatchKind::Standard).build(&order).ok();
        Self { automaton, names, kinds, initials, abbreviated, country_labels }
    }

    /// The kind of a known entity.
    pub fn kind(&self, id: &str) -> Option<EntityKind> {
        self.kinds.get(id).copied()
    }

    /// The known country one of whose labels is `label` (in any language).
    pub fn country_labelled(&self, label: &str) -> Option<&str> {
        self.country_labels.get(&fold(label)).map(String::as_str)
    }

    /// Whether `id` is in the gazetteer.
    pub fn contains(&self, id: &str) -> bool {
        self.kinds.contains_key(id)
    }

    /// Every mention in `paragraph`, in text order, longest match first
    /// where they overlap.
    pub fn mentions(&self, paragraph: &Paragraph) -> Vec<Mention> {
        let Some(automaton) = &self.automaton else { return Vec::new() };
        let folded = paragraph.folded.text();
        // Byte offset of the folded text -> character index.
        let mut char_at = vec![0usize; folded.len() + 1];
        let mut n = 0;
        for (b, _) in folded.char_indices() {
            if let Some(slot) = char_at.get_mut(b) {
                *slot = n;
            }
            n += 1;
        }
        if let Some(slot) = char_at.get_mut(folded.len()) {
            *slot = n;
        }
        let chars = &paragraph.folded_chars;
        let mut found: Vec<(usize, usize, usize)> = Vec::new();
        for m in automaton.find_overlapping_iter(folded) {
            let (Some(&start), Some(&end)) = (char_at.get(m.start()), char_at.get(m.end())) else { continue };
            let Some(name) = self.names.get(m.pattern().as_usize()) else { continue };
            let mut end = end;
            if name.demonym {
                let next: String = chars
                    .get(end..)
                    .unwrap_or_default()
                    .iter()
                    .skip(1)
                    .take_while(|c| c.is_alphanumeric() || **c == '-')
                    .collect();
                let at_word = chars.get(end) == Some(&' ')
                    && (start == 0 || chars.get(start - 1).is_some_and(|c| !c.is_alphanumeric()));
                if !at_word || !INSTITUTIONS.contains(&next.as_str()) {
                    continue;
                }
            }
            if name.latin {
                if start > 0 && chars.get(start - 1).is_some_and(|c| c.is_alphanumeric()) {
                    continue;
                }
                match english_suffix(chars, end) {
                    Some(extra) => end += extra,
                    None => continue,
                }
            }
            let Some(span) = paragraph.folded.original_span(start..end) else { continue };
            if name.capitals {
                let written = paragraph.chars.get(span.start..(span.start + (m.end() - m.start())).min(span.end));
                if !written.is_some_and(|w| w.iter().all(|c| !c.is_alphabetic() || c.is_uppercase())) {
                    continue;
                }
            }
            found.push((span.start, span.end, m.pattern().as_usize()));
        }
        // The longest match wins; among equals, the earlier.
        found.sort_by(|a, b| (b.1 - b.0).cmp(&(a.1 - a.0)).then(a.0.cmp(&b.0)).then(a.2.cmp(&b.2)));
        let mut taken: Vec<(Mention, bool)> = Vec::new();
        for (start, end, pattern) in found {
            let Some(name) = self.names.get(pattern) else { continue };
            if !name.list && taken.iter().any(|(t, list)| !list && t.start < end && start < t.end) {
                continue;
            }
            taken.push((
                Mention { start, end, ids: name.ids.clone(), read_as: false, initial: false, anaphor: false },
                name.list,
            ));
        }
        let mut taken: Vec<Mention> = taken.into_iter().map(|(m, _)| m).collect();
        // Initials inside a name matched whole (`越南`) are that name.
        let initials: Vec<Mention> = self
            .initials_in(paragraph)
            .into_iter()
            .filter(|m| !taken.iter().any(|t| t.start < m.end && m.start < t.end))
            .collect();
        taken.extend(initials);
        taken.sort_by_key(|m| (m.start, m.end));
        taken
    }
}

impl Gazetteer {
    /// Runs of three or more Han characters each of which begins the
    /// Chinese label of one known country, a different one each
    /// (`中老缅泰` for China, Laos, Myanmar and Thailand), or of two before
    /// a word of two countries acting together (`中美举行`, `中越两国`):
    /// one mention per character. A character that begins several
    /// countries' labels ends the run, unless one of them is named that
    /// character and `国` (`中国`).
    fn initials_in(&self, paragraph: &Paragraph) -> Vec<Mention> {
        let chars = &paragraph.folded_chars;
        let one = |c: &char| {
            self.initials.get(c).and_then(|ids| if ids.len() == 1 { ids.first() } else { self.abbreviated.get(c) })
        };
        let mut out = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let mut ids: Vec<&String> = Vec::new();
            let mut j = i;
            while let Some(id) = chars.get(j).and_then(one) {
                if ids.contains(&id) {
                    break;
                }
                ids.push(id);
                j += 1;
            }
            if ids.len() >= 3 || (ids.len() == 2 && bilateral(chars.get(j..).unwrap_or_default())) {
                for (k, id) in ids.into_iter().enumerate() {
                    if let Some(span) = paragraph.folded.original_span(i + k..i + k + 1) {
                        out.push(Mention {
                            start: span.start,
                            end: span.end,
                            ids: vec![id.clone()],
                            read_as: false,
                            initial: true,
                            anaphor: false,
                        });
                    }
                }
            }
            i = j.max(i + 1);
        }
        out
    }
}

/// Words that, right after two countries' initials, say the two act
/// together (`中美举行`, `中越两国`), so that the pair names them.
const BILATERAL: &[&str] =
    &["两国", "双方", "举行", "对话", "合作", "关系", "联合", "打击", "执法", "高级别", "战略", "边境", "警方"];

/// Whether `rest` starts with a word of [`BILATERAL`].
fn bilateral(rest: &[char]) -> bool {
    BILATERAL.iter().any(|w| w.chars().enumerate().all(|(k, c)| rest.get(k) == Some(&c)))
}

/// After a Latin name ending at `end` (folded characters): how many more
/// characters belong to it (an English possessive or plural), or `None`
/// when the name ends inside a word.
fn english_suffix(chars: &[char], end: usize) -> Option<usize> {
    let at = |i: usize| chars.get(end + i).copied();
    let boundary = |i: usize| at(i).is_none_or(|c| !c.is_alphanumeric());
    if boundary(0) {
        return match (at(0), at(1)) {
            (Some('\'' | '’'), Some('s')) if boundary(2) => Some(2),
            _ => Some(0),
        };
    }
    match (at(0), at(1)) {
        (Some('s'), _) if boundary(1) => match (at(1), at(2)) {
            (Some('\'' | '’'), _) => Some(2),
            _ => Some(1),
        },
        (Some('e'), Some('s')) if boundary(2) => Some(2),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::paragraphs;
    use crate::tests::dataset;

    fn names(text: &str) -> Vec<(String, Vec<String>)> {
        let data = dataset();
        let g = Gazetteer::new(&data, |_| true);
        let p = paragraphs(text);
        let p = &p[0];
        g.mentions(p).into_iter().map(|m| (p.slice(m.start, m.end), m.ids)).collect()
    }

    fn one(id: &str) -> Vec<String> {
        vec![id.to_owned()]
    }

    #[test]
    fn matches_labels_aliases_case_width_possessives_and_plurals() {
        assert_eq!(
            names("China's ministry met ＳＣＯ and the shanghai cooperation organisation; Interpols."),
            vec![
                ("China's".to_owned(), one("china")),
                ("ＳＣＯ".to_owned(), one("sco")),
                ("shanghai cooperation organisation".to_owned(), one("sco")),
                ("Interpols".to_owned(), one("interpol")),
            ]
        );
    }

    #[test]
    fn runs_of_three_countries_initials_name_each_country() {
        let cases: &[(&str, &[(&str, &str)])] = &[
            ("中智美三国会谈", &[("中", "china"), ("智", "chile"), ("美", "united_states")]),
            ("中美会谈", &[]),
            ("中中美会谈", &[]),
        ];
        for (text, expected) in cases {
            let got = names(text);
            let expected: Vec<(String, Vec<String>)> =
                expected.iter().map(|(t, id)| (t.to_string(), one(id))).collect();
            assert_eq!(got, expected, "{text}");
        }
    }

    #[test]
    fn matches_traditional_characters_and_prefers_the_longest_name() {
        assert_eq!(
            names("上海合作組織和中國在聯合國開會"),
            vec![
                ("上海合作組織".to_owned(), one("sco")),
                ("中國".to_owned(), one("china")),
                ("聯合國".to_owned(), one("un")),
            ]
        );
        assert_eq!(
            names("the United Nations Security Council"),
            vec![("United Nations Security Council".to_owned(), one("unsc"))]
        );
    }

    #[test]
    fn whole_words_only_and_acronyms_in_capitals() {
        assert_eq!(
            names("Chinatown is not China, and un-named us is not the UN"),
            vec![("China".to_owned(), one("china")), ("UN".to_owned(), one("un")),]
        );
    }

    #[test]
    fn a_name_that_is_a_list_does_not_hide_the_names_in_it() {
        assert_eq!(
            names("BRICS (Harbourland, Chile and China)"),
            vec![
                ("BRICS".to_owned(), one("brics")),
                ("Harbourland, Chile and China".to_owned(), one("brics")),
                ("Chile".to_owned(), one("chile")),
                ("China".to_owned(), one("china")),
            ]
        );
    }

    #[test]
    fn a_demonym_names_its_country_before_an_institution() {
        assert_eq!(
            names("The Chilean police met Chinese officials; Chinese food is not China."),
            vec![
                ("Chilean".to_owned(), one("chile")),
                ("Chinese".to_owned(), one("china")),
                ("China".to_owned(), one("china")),
            ]
        );
    }

    #[test]
    fn a_shared_name_lists_every_entity() {
        assert_eq!(
            names("the Mekong patrol"),
            vec![("Mekong patrol".to_owned(), vec!["patrol_a".to_owned(), "patrol_b".to_owned()])]
        );
    }
}
