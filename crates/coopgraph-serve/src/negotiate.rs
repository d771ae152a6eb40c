//! Content negotiation: the `Accept` header against what a route offers
//! (RFC 9110 §12.5.1: media ranges, `q` weights, most specific range wins).

/// One media range of an `Accept` header.
#[derive(Debug, Clone, PartialEq)]
struct Range {
    kind: String,
    subtype: String,
    q: f32,
}

/// Why an `Accept` header was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AcceptError {
    /// No offered type is acceptable (HTTP 406).
    NotAcceptable,
}

fn parse(header: &str) -> Vec<Range> {
    let mut ranges = Vec::new();
    for item in header.split(',') {
        let mut parts = item.split(';');
        let Some(media) = parts.next().map(str::trim).filter(|m| !m.is_empty()) else { continue };
        let Some((kind, subtype)) = media.split_once('/') else { continue };
        let (kind, subtype) = (kind.trim().to_ascii_lowercase(), subtype.trim().to_ascii_lowercase());
        if kind.is_empty() || subtype.is_empty() || (kind == "*" && subtype != "*") {
            continue;
        }
        let mut q = 1.0_f32;
        for param in parts {
            if let Some((name, value)) = param.split_once('=')
                && name.trim().eq_ignore_ascii_case("q")
            {
                q = value.trim().parse::<f32>().ok().filter(|v| (0.0..=1.0).contains(v)).unwrap_or(0.0);
            }
        }
        ranges.push(Range { kind, subtype, q });
    }
    ranges
}

/// How well `range` matches `offer`: 0 none, 1 `*/*`, 2 `type/*`, 3 exact.
fn specificity(range: &Range, offer: &str) -> u8 {
    let (kind, subtype) = offer.split_once('/').unwrap_or((offer, ""));
    if range.kind == "*" {
        1
    } else if range.kind != kind {
        0
    } else if range.subtype == "*" {
        2
    } else if range.subtype == subtype {
        3
    } else {
        0
    }
}

/// Picks the offer the client prefers. `offers` are in the server's order of
/// preference, which breaks ties; a missing or empty header takes the first.
/// An `Accept` header in which no range parses accepts nothing.
pub fn choose<'a>(accept: Option<&str>, offers: &[&'a str]) -> Result<&'a str, AcceptError> {
    let header = accept.map(str::trim).unwrap_or_default();
    if header.is_empty() {
        return offers.first().copied().ok_or(AcceptError::NotAcceptable);
    }
    let ranges = parse(header);
    let mut best: Option<(&str, f32)> = None;
    for &offer in offers {
        let mut most_specific: Option<(u8, f32)> = None;
        for range in &ranges {
            let s = specificity(range, offer);
            if s > 0 && most_specific.is_none_or(|(best_s, _)| s > best_s) {
                most_specific = Some((s, range.q));
            }
        }
        if let Some((_, q)) = most_specific
            && q > 0.0
            && best.is_none_or(|(_, best_q)| q > best_q)
        {
            best = Some((offer, q));
        }
    }
    best.map(|(offer, _)| offer).ok_or(AcceptError::NotAcceptable)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RDF: &[&str] = &["text/html", "text/turtle", "application/n-triples", "application/ld+json"];

    #[test]
    fn missing_or_wildcard_takes_the_first_offer() {
        assert_eq!(choose(None, RDF), Ok("text/html"));
        assert_eq!(choose(Some("*/*"), RDF), Ok("text/html"));
        assert_eq!(choose(Some(""), RDF), Ok("text/html"));
    }

    #[test]
    fn exact_type_and_weights() {
        assert_eq!(choose(Some("text/turtle"), RDF), Ok("text/turtle"));
        assert_eq!(choose(Some("text/html;q=0.5, application/ld+json"), RDF), Ok("application/ld+json"));
        assert_eq!(choose(Some("application/*;q=0.9, text/html;q=0.1"), RDF), Ok("application/n-triples"));
    }

    #[test]
    fn browser_header_prefers_html() {
        let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8";
        assert_eq!(choose(Some(browser), RDF), Ok("text/html"));
    }

    #[test]
    fn most_specific_range_decides() {
        // text/turtle is refused even though text/* is welcome.
        assert_eq!(choose(Some("text/*, text/turtle;q=0"), &["text/turtle", "text/html"]), Ok("text/html"));
    }

    #[test]
    fn nothing_acceptable() {
        assert_eq!(choose(Some("image/png"), RDF), Err(AcceptError::NotAcceptable));
        assert_eq!(choose(Some("garbage"), RDF), Err(AcceptError::NotAcceptable));
        assert_eq!(choose(Some("*/turtle"), RDF), Err(AcceptError::NotAcceptable));
        assert_eq!(choose(Some("text/turtle;q=0"), &["text/turtle"]), Err(AcceptError::NotAcceptable));
        assert_eq!(choose(Some("text/turtle;q=abc"), &["text/turtle"]), Err(AcceptError::NotAcceptable));
    }

    #[test]
    fn case_and_spaces_do_not_matter() {
        assert_eq!(choose(Some("  Text/Turtle ; Q=1 "), RDF), Ok("text/turtle"));
    }
}
