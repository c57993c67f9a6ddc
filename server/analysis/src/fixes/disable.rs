//! "Disable <rule> for this line": the suppression comment on its own line above the
//! finding. Where a comment cannot go above the line (a finding on the whole document, in
//! the front matter or inside a code fence, where comments are not read), the rule is
//! disabled for the file instead, right after the header.

use super::{line_start, Input};
use crate::diagnostic::Diagnostic;
use crate::edit::{Change, TextEdit};
use crate::rules::registry::Rule;

/// Findings about the document as a whole, anchored on its first line.
fn whole_document(input: &Input, d: &Diagnostic) -> bool {
    match d.rule {
        Rule::MissingSection | Rule::DuplicatePrpNumber | Rule::AgentMissingSection => {
            d.span.start == 0
        }
        Rule::EmptySection => input.text[input.doc.body_start..].trim().is_empty(),
        _ => false,
    }
}

pub(super) fn disable(input: &Input, d: &Diagnostic) -> Option<Change> {
    // Findings made outside the document's own check do not read its comments.
    if matches!(
        d.rule,
        Rule::InvalidConfig | Rule::InvalidEncoding | Rule::InternalError
    ) {
        return None;
    }
    let (text, doc, eol, code) = (input.text, input.doc, input.eol(), d.rule.code());
    let in_header = d.span.start < doc.body_start;
    if whole_document(input, d) || in_header || doc.in_fence(d.span.start) {
        let at = doc.body_start.min(text.len());
        let lead = if at > 0 && !text[..at].ends_with('\n') {
            eol
        } else {
            ""
        };
        let edit = TextEdit::insert(at, format!("{lead}<!-- prp-lsp: disable {code} -->{eol}"));
        return Some(input.edit(format!("Disable {code} for this file"), vec![edit]));
    }
    let at = line_start(text, d.span.start);
    let line = &text[at..];
    let indent = &line[..line.len() - line.trim_start_matches([' ', '\t', '>']).len()];
    let edit = TextEdit::insert(
        at,
        format!("{indent}<!-- prp-lsp: disable-next-line {code} -->{eol}"),
    );
    Some(input.edit(format!("Disable {code} for this line"), vec![edit]))
}
