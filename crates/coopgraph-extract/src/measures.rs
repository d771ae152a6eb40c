//! The lexicon of figures: which declared measure a number in a sentence
//! most likely reports, from the words of the measures' labels.

use coopgraph_model::Dataset;
use coopgraph_text::fold;

/// Words too common to tell measures apart.
const STOP: &[&str] = &["of", "the", "and", "in", "a", "to", "by", "for", "per", "on", "with"];

#[derive(Debug)]
struct Entry {
    id: String,
    unit: Option<String>,
    en: Vec<String>,
    zh: Vec<char>,
}

/// The measures' labels, folded into words (English) and characters (Chinese).
#[derive(Debug)]
pub struct MeasureLexicon {
    entries: Vec<Entry>,
}

fn stem(word: &str) -> &str {
    word.strip_suffix("ies").or_else(|| word.strip_suffix('s')).unwrap_or(word)
}

fn en_words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !STOP.contains(w))
        .map(|w| stem(w).to_owned())
        .collect()
}

impl MeasureLexicon {
    /// The lexicon of every measure of `dataset`.
    pub fn new(dataset: &Dataset) -> Self {
        let entries = dataset
            .measures
            .values()
            .map(|m| Entry {
                id: m.id.to_string(),
                unit: m.unit.clone(),
                en: m.labels.iter().filter(|(l, _)| l.as_str() == "en").flat_map(|(_, t)| en_words(t)).collect(),
                zh: m
                    .labels
                    .iter()
                    .filter(|(l, _)| l.as_str() == "zh")
                    .flat_map(|(_, t)| fold(t).chars().collect::<Vec<_>>())
                    .collect(),
            })
            .collect();
        Self { entries }
    }

    /// The measure whose label the sentence covers best, among those of
    /// the same unit (or of no unit); `None` below half the label.
    pub fn best(&self, sentence: &str, lang: &str, unit: &str) -> Option<String> {
        let words = en_words(sentence);
        let chars: Vec<char> = fold(sentence).chars().collect();
        let mut best: Option<(f64, &str)> = None;
        for e in &self.entries {
            if e.unit.as_deref().is_some_and(|u| u != unit) {
                continue;
            }
            let score = if lang == "zh" {
                if e.zh.is_empty() {
                    continue;
                }
                let hit = e.zh.iter().filter(|c| chars.contains(c)).count();
                hit as f64 / e.zh.len() as f64
            } else {
                if e.en.is_empty() {
                    continue;
                }
                let hit = e.en.iter().filter(|w| words.contains(w)).count();
                hit as f64 / e.en.len() as f64
            };
            if best.is_none_or(|(s, _)| score > s) {
                best = Some((score, e.id.as_str()));
            }
        }
        best.filter(|(s, _)| *s >= 0.5).map(|(_, id)| id.to_owned())
    }
}
