//! Every conversion between the core's types (byte offsets, rules, severities) and the
//! protocol's (positions in the negotiated encoding, `Diagnostic`, `Uri`). Nothing else in the
//! crate builds protocol positions by hand.

use std::path::Path;

use prp_analysis::text::{Encoding, LineIndex, Position as CorePosition};
use prp_analysis::{Diagnostic, Severity};
use tower_lsp_server::ls_types::{
    self as lsp, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    Position, PositionEncodingKind, Range, Uri,
};

/// A text with its line index, for converting offsets.
pub struct TextPositions<'a> {
    pub text: &'a str,
    pub lines: LineIndex,
    pub encoding: Encoding,
}

impl<'a> TextPositions<'a> {
    pub fn new(text: &'a str, encoding: Encoding) -> Self {
        TextPositions {
            text,
            lines: LineIndex::new(text),
            encoding,
        }
    }

    pub fn position(&self, offset: usize) -> Position {
        let p = self.lines.position(self.text, offset, self.encoding);
        Position {
            line: p.line,
            character: p.column,
        }
    }

    pub fn range(&self, span: &std::ops::Range<usize>) -> Range {
        Range {
            start: self.position(span.start),
            end: self.position(span.end),
        }
    }

    pub fn offset(&self, position: Position) -> usize {
        self.lines.offset(
            self.text,
            CorePosition {
                line: position.line,
                column: position.character,
            },
            self.encoding,
        )
    }
}

pub fn encoding_kind(encoding: Encoding) -> PositionEncodingKind {
    match encoding {
        Encoding::Utf8 => PositionEncodingKind::UTF8,
        Encoding::Utf16 => PositionEncodingKind::UTF16,
    }
}

pub fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

pub fn file_uri(path: &Path) -> Option<Uri> {
    Uri::from_file_path(path)
}

/// A core diagnostic as an LSP one. `related_text` gives the text of another document (for
/// related locations there); the start of an unknown document is used otherwise.
pub fn diagnostic(
    d: &Diagnostic,
    here: &TextPositions,
    here_uri: Option<&Uri>,
    other_uri: &dyn Fn(&str) -> Option<Uri>,
) -> lsp::Diagnostic {
    let related: Vec<DiagnosticRelatedInformation> = d
        .related
        .iter()
        .filter_map(|r| {
            let (uri, range) = match &r.path {
                None => (here_uri?.clone(), here.range(&r.span)),
                Some(p) => (other_uri(p)?, Range::default()),
            };
            Some(DiagnosticRelatedInformation {
                location: Location { uri, range },
                message: r.message.clone(),
            })
        })
        .collect();
    lsp::Diagnostic {
        range: here.range(&d.span),
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.rule.code().to_string())),
        source: Some("prp-lsp".to_string()),
        message: d.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        ..lsp::Diagnostic::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_follow_the_negotiated_encoding() {
        let text = "## 🎯 Goal\n";
        let at = text.find("Goal").unwrap();
        assert_eq!(
            TextPositions::new(text, Encoding::Utf16).position(at),
            Position {
                line: 0,
                character: 6
            }
        );
        assert_eq!(
            TextPositions::new(text, Encoding::Utf8).position(at),
            Position {
                line: 0,
                character: 8
            }
        );
    }
}
