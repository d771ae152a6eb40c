//! Records read from one file, checked on their own, with the positions of
//! the references that can only be checked once every file is read.

use coopgraph_model::{Citation, Entity, Figure, Location, Measure, Relation, Source};

/// A citation and where it was written.
#[derive(Debug, Clone)]
pub(crate) struct Cited {
    pub citation: Citation,
    pub at: Location,
}

#[derive(Debug)]
pub(crate) struct DraftEntity {
    pub entity: Entity,
    pub sources: Vec<Cited>,
}

#[derive(Debug)]
pub(crate) struct DraftRelation {
    pub relation: Relation,
    pub at: Location,
    pub subject_at: Location,
    pub object_at: Location,
    pub sources: Vec<Cited>,
}

#[derive(Debug)]
pub(crate) struct DraftFigure {
    pub figure: Figure,
    pub subject_at: Location,
    pub measure_at: Location,
    pub counterpart_at: Option<Location>,
    pub sources: Vec<Cited>,
}

/// Everything read so far, in reading order.
#[derive(Debug, Default)]
pub(crate) struct Draft {
    pub entities: Vec<DraftEntity>,
    pub relations: Vec<DraftRelation>,
    pub figures: Vec<DraftFigure>,
    pub measures: Vec<Measure>,
    pub sources: Vec<Source>,
    /// References from records that failed their own checks, still checked
    /// against every file so that one run reports them too.
    pub loose_refs: Vec<(coopgraph_model::EntityId, Location)>,
    /// Citations from such records.
    pub loose_citations: Vec<Cited>,
}

/// Parses `SOURCE`, `SOURCE#PARAGRAPH`, `SOURCE@LANG` or
/// `SOURCE#PARAGRAPH@LANG`; the error says what was expected.
pub fn parse_citation(text: &str) -> Result<Citation, String> {
    use coopgraph_model::{LangTag, SourceId};
    let expected = "expected SOURCE#PARAGRAPH@LANG, such as \"002#11@en\"";
    let (rest, lang) = match text.rsplit_once('@') {
        Some((rest, lang)) => (rest, Some(LangTag::new(lang).map_err(|e| format!("in citation \"{text}\": {e}"))?)),
        None => (text, None),
    };
    let (source, paragraph) = match rest.split_once('#') {
        Some((source, para)) => {
            let n: u32 = para
                .parse()
                .map_err(|_| format!("malformed paragraph number \"{para}\" in citation \"{text}\": {expected}"))?;
            if n == 0 {
                return Err(format!("paragraph 0 in citation \"{text}\": paragraphs are counted from 1"));
            }
            (source, Some(n))
        }
        None => (rest, None),
    };
    let source = SourceId::new(source).map_err(|_| format!("malformed citation \"{text}\": {expected}"))?;
    Ok(Citation { source, paragraph, lang })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citations() {
        let c = parse_citation("002#11@en").unwrap();
        assert_eq!(c.source.as_str(), "002");
        assert_eq!(c.paragraph, Some(11));
        assert_eq!(c.lang.unwrap().as_str(), "en");
        assert_eq!(parse_citation("001").unwrap().paragraph, None);
        assert_eq!(parse_citation("doc-507").unwrap().source.as_str(), "doc-507");
        for bad in ["", "#3", "002#x", "002#0", "002#3@", "002#3@english", "Doc 1"] {
            assert!(parse_citation(bad).is_err(), "{bad:?}");
        }
    }
}
