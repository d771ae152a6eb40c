//! Limits every text value shares, whichever reader it comes from (TOML or
//! CSV): no control characters, and a bounded length, so that what
//! `validate` accepts every output (DOT, Graphviz, RDF) can hold.

use coopgraph_model::Location;

use crate::diagnostics::Diagnostics;

/// Longest label or alias, in characters.
pub const MAX_LABEL_CHARS: usize = 500;
/// Longest free text (descriptions, notes, titles), in characters.
pub const MAX_TEXT_CHARS: usize = 10_000;

/// What a text value is, which decides its length limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextKind {
    /// A label or an alias.
    Line,
    /// Free text: descriptions, notes, titles.
    Free,
}

/// The first character `value` may not hold (a control character other
/// than tab, line feed and carriage return), with its index in characters.
fn forbidden(value: &str) -> Option<(usize, char)> {
    value.chars().enumerate().find(|(_, c)| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// True when `value` passes [`check_text`], without building a location.
pub(crate) fn passes(value: &str, kind: TextKind) -> bool {
    let max = match kind {
        TextKind::Line => MAX_LABEL_CHARS,
        TextKind::Free => MAX_TEXT_CHARS,
    };
    forbidden(value).is_none() && (value.len() <= max || value.chars().nth(max).is_none())
}

/// Checks `value` (found at `at`, described as `what` in messages) and
/// reports each problem there; true when it passes.
pub(crate) fn check_text(what: &str, value: &str, kind: TextKind, at: &Location, d: &mut Diagnostics) -> bool {
    let max = match kind {
        TextKind::Line => MAX_LABEL_CHARS,
        TextKind::Free => MAX_TEXT_CHARS,
    };
    let mut ok = true;
    if let Some((index, c)) = forbidden(value) {
        d.push(
            at.clone(),
            format!(
                "{what} holds the control character U+{:04X} at character {}: text may hold no control characters other than tabs and line breaks",
                u32::from(c),
                index + 1,
            ),
        );
        ok = false;
    }
    // Counting stops past the limit, so a huge value costs no more than that.
    if value.len() > max && value.chars().nth(max).is_some() {
        d.push(at.clone(), format!("{what} is too long: {} characters, at most {max}", value.chars().count()));
        ok = false;
    }
    ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(value: &str, kind: TextKind) -> Vec<String> {
        let mut d = Diagnostics::with_cap(10);
        let at = Location { file: "f".into(), line: 0, column: 0 };
        check_text("label \"en\"", value, kind, &at, &mut d);
        d.iter().map(|e| e.message.clone()).collect()
    }

    #[test]
    fn control_characters_and_length() {
        assert!(errors("China\tCN", TextKind::Line).is_empty());
        assert!(errors("two\nlines", TextKind::Free).is_empty());
        assert_eq!(
            errors("Chi\u{0}na", TextKind::Line),
            [
                "label \"en\" holds the control character U+0000 at character 4: text may hold no control characters other than tabs and line breaks"
            ]
        );
        assert!(errors("a\r\nb", TextKind::Line).is_empty());
        assert_eq!(errors("a\u{1b}[31m", TextKind::Line).len(), 1);
        assert_eq!(errors("x\u{7f}", TextKind::Free).len(), 1);
        assert!(errors(&"中".repeat(MAX_LABEL_CHARS), TextKind::Line).is_empty());
        assert_eq!(
            errors(&"a".repeat(MAX_LABEL_CHARS + 1), TextKind::Line),
            ["label \"en\" is too long: 501 characters, at most 500"]
        );
    }
}
