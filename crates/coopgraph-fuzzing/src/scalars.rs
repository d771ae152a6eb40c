//! Citations, dates and ids: the small values of the data files.

use std::str::FromStr;

use coopgraph_load::parse_citation;
use coopgraph_load::stream::citation;
use coopgraph_model::{EntityId, LangTag, MeasureId, PartialDate, Qid, SourceId};

/// Reads the bytes as a citation (both the loader's parser and the
/// import's quicker one, which must agree), as a date (which must print
/// back as itself, its earliest day no later than its latest), as every
/// kind of id (whose checked constructor must agree with its `is_valid`),
/// and as a paragraph for the dates of `extract`.
pub fn citations_dates(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };

    match (parse_citation(text), citation(text)) {
        (Ok(full), Ok(quick)) => {
            assert_eq!(full.source.as_str(), quick.source, "{text:?}");
            assert_eq!(full.paragraph, quick.paragraph, "{text:?}");
            assert_eq!(full.lang.as_ref().map(LangTag::as_str), quick.lang, "{text:?}");
        }
        (Err(full), Err(quick)) => assert_eq!(full, quick, "{text:?}"),
        (full, quick) => panic!("the citation readers disagree on {text:?}: {full:?} against {quick:?}"),
    }

    if let Ok(date) = PartialDate::from_str(text) {
        let printed = date.to_string();
        assert_eq!(PartialDate::from_str(&printed).ok(), Some(date), "{text:?} printed as {printed:?}");
        assert!(date.earliest() <= date.latest(), "{text:?}");
        assert!(!date.wholly_before(&date), "{text:?}");
    }

    assert_eq!(EntityId::new(text).is_ok(), EntityId::is_valid(text), "{text:?}");
    assert_eq!(SourceId::new(text).is_ok(), SourceId::is_valid(text), "{text:?}");
    assert_eq!(MeasureId::new(text).is_ok(), MeasureId::is_valid(text), "{text:?}");
    assert_eq!(Qid::new(text).is_ok(), Qid::is_valid(text), "{text:?}");
    let _ = LangTag::new(text);

    let length = text.chars().count();
    let doc = PartialDate::ymd(2016, 5, 17);
    for found in
        [coopgraph_extract::dates::find_dates(text, None), coopgraph_extract::dates::find_dates(text, doc.as_ref())]
    {
        for d in found {
            assert!(d.start < d.end && d.end <= length, "date {d:?} outside {text:?}");
        }
    }
}
