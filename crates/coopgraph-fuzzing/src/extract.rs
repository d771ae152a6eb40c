//! `coopgraph extract`'s text input, against a small fixture gazetteer.

use std::sync::LazyLock;

use coopgraph_extract::document::paragraphs;
use coopgraph_extract::draft::{draft_toml, json_lines};
use coopgraph_extract::review::Review;
use coopgraph_extract::{ExtractOptions, Extractor};
use coopgraph_load::{Dataset, LoadOptions, load_texts};

/// The data folder of the extraction fixtures (`tests/fixtures/extract/data`,
/// written for the tests): its entities, aliases, measures and one source.
const GAZETTEER: &[(&str, &str)] = &[
    ("entities.toml", include_str!("../../../tests/fixtures/extract/data/entities.toml")),
    ("measures.toml", include_str!("../../../tests/fixtures/extract/data/measures.toml")),
    ("relations.toml", include_str!("../../../tests/fixtures/extract/data/relations.toml")),
    ("sources.toml", include_str!("../../../tests/fixtures/extract/data/sources.toml")),
];

static DATASET: LazyLock<Option<Dataset>> = LazyLock::new(|| load_texts(GAZETTEER, &LoadOptions::default()).ok());
static EXTRACTOR: LazyLock<Option<Extractor<'static>>> = LazyLock::new(|| DATASET.as_ref().map(Extractor::new));

/// Runs the whole extraction on the bytes as a document (UTF-8 text, as
/// `extract` reads it), then writes its JSON Lines and its draft. Every
/// candidate must quote exactly the characters of its span in its
/// paragraph, every JSON line must parse, and `review` must read the draft
/// back with one entry per candidate.
pub fn extract_text(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Some(extractor) = EXTRACTOR.as_ref() else {
        panic!("the fixture gazetteer does not load");
    };
    let options = ExtractOptions { source: "009".into(), ..ExtractOptions::default() };
    let found = extractor.extract(text, &options);
    let paras = paragraphs(text);
    for c in &found.candidates {
        if c.span == (0, 0) && c.text.is_empty() {
            continue; // the source record, and others about no words
        }
        let index = usize::try_from(c.paragraph).unwrap_or(usize::MAX).wrapping_sub(1);
        let Some(p) = paras.get(index) else {
            panic!("candidate {c:?} names a paragraph the text does not have");
        };
        assert!(c.span.0 <= c.span.1 && c.span.1 <= p.chars.len(), "candidate {c:?} outside its paragraph");
        assert_eq!(p.slice(c.span.0, c.span.1), c.text, "candidate {c:?} does not quote its span");
    }
    for line in json_lines(&found).lines() {
        assert!(serde_json::from_str::<serde_json::Value>(line).is_ok(), "bad JSON line {line:?}");
    }
    let draft = draft_toml(&found, Some("fuzz/document.txt"));
    match Review::new(&draft) {
        Ok(review) => assert_eq!(review.entries().len(), found.candidates.len(), "{draft}"),
        Err(e) => panic!("review cannot read the draft of extract: {e}\n{draft}"),
    }
}
