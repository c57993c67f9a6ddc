//! `PRP-NN` mentions of a PRP's number: where they stand and how they read when the number
//! changes. Shared by renumbering (number.rs) and moving a renumbered PRP (paths.rs).

use crate::document::{DocKind, Document, Span};
use crate::edit::TextEdit;

/// Byte ranges of the digit runs of a text.
pub(super) fn digit_runs(text: &str) -> Vec<Span> {
    let mut runs = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (c.is_ascii_digit(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                runs.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    runs
}

pub(super) fn padded(number: u32, width: usize) -> String {
    format!("{number:0width$}")
}

/// `PRP-05`, `PRP 5`, `PRP#5`, `PRP_05` before the digits at `start`.
pub(super) fn prp_prefixed(value: &str, start: usize) -> bool {
    let before = value[..start].trim_end_matches([' ', '-', '_', '#']);
    before.len() + 2 >= start && before.to_ascii_lowercase().ends_with("prp")
}

/// The text a reference stands in: its TASK.md item (the item line and its notes), else
/// its line.
pub(super) fn context_of(doc: &Document, text: &str, span: &Span) -> Span {
    if doc.kind == DocKind::TaskBoard {
        let item = doc
            .tasks
            .iter()
            .rfind(|t| t.span.start <= span.start && span.end <= t.end.max(t.span.end));
        if let Some(t) = item {
            return t.span.start..t.end.max(t.span.end);
        }
    }
    super::line_start(text, span.start)..super::line_end(text, span.end.min(text.len()))
}

/// `PRP-05` (number `old`, PRP-prefixed, not a file name) within `range`, renumbered.
pub(super) fn mentions_renumbered(text: &str, range: Span, old: u32, new: u32) -> Vec<TextEdit> {
    let Some(value) = text.get(range.clone()) else {
        return Vec::new();
    };
    digit_runs(value)
        .into_iter()
        .filter(|r| value[r.clone()].parse() == Ok(old) && prp_prefixed(value, r.start))
        .filter(|r| {
            let prefix = value[..r.start].trim_end_matches([' ', '-', '_', '#']);
            let head = prefix.len() - 3;
            let word_start = value[..head]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric() && c != '/' && c != '_');
            // `PRP-005-filters.md` is the path, renamed with the file.
            let rest = &value[r.end..];
            let file_name = rest.starts_with(['-', '_'])
                && rest
                    .split(char::is_whitespace)
                    .next()
                    .is_some_and(|w| w.contains(".md"));
            word_start && !file_name
        })
        .map(|r| {
            TextEdit::replace(
                range.start + r.start..range.start + r.end,
                padded(new, r.len()),
            )
        })
        .collect()
}

/// `PRP 3`, `PRP-003`, `3.`, `#3`; not `v3` or `OAuth2`.
pub(super) fn stands_alone(value: &str, start: usize) -> bool {
    let before = &value[..start];
    let prev = before.chars().next_back();
    !prev.is_some_and(char::is_alphanumeric) || before.to_ascii_lowercase().ends_with("prp")
}
