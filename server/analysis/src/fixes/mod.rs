//! Quick fixes for the validator's findings, and document actions that are not tied to a
//! finding (move a finished PRP to the archive, mark a task done).
//!
//! Everything here is pure: the document, its text, the workspace index and the texts of
//! other documents (through [`TextSource`]) in; [`Change`]s out. Nothing is written, and the
//! date is a parameter. Every change keeps the edits of one document apart (no overlaps),
//! and a rename is only offered when its target does not exist.

mod board;
mod disable;
mod lifecycle;
mod linked;
mod mentions;
mod number;
mod paths;
mod sections;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, FixHint};
use crate::document::scan::Date;
use crate::document::{parse, DocKind, Document, Span};
use crate::edit::{Change, ChangeKind, FileChange, TextEdit, TextSource};
use crate::rules::registry::Rule;
use crate::workspace::Workspace;

pub use linked::{linked_prps, LinkedPrp};

/// What every fix reads.
pub(crate) struct Input<'a> {
    pub doc: &'a Document,
    pub text: &'a str,
    pub ws: &'a Workspace,
    pub config: &'a Config,
    pub texts: &'a dyn TextSource,
}

impl Input<'_> {
    /// The text of a document: the one being fixed from `text`, others from the source.
    pub fn text_of(&self, path: &str) -> Option<String> {
        if path == self.doc.path {
            Some(self.text.to_string())
        } else {
            self.texts.text(path)
        }
    }

    /// The line ending the document uses.
    pub fn eol(&self) -> &'static str {
        eol(self.text)
    }

    /// A change made of edits to this document only.
    pub fn edit(&self, title: impl Into<String>, edits: Vec<TextEdit>) -> Change {
        Change::new(
            title,
            ChangeKind::QuickFix,
            vec![FileChange::Edit {
                path: self.doc.path.clone(),
                edits,
            }],
        )
    }
}

/// The fixes offered for one finding of `doc`: the rule's own fixes (separate choices where
/// the right one cannot be known), then "Disable <rule> for this line". On an agent that
/// cannot work (`agent-stuck`, `agent-offline`, `agent-error-rate`), "Reassign to <the best
/// agent that can>", preferred.
pub fn fixes_for(
    doc: &Document,
    text: &str,
    ws: &Workspace,
    config: &Config,
    diagnostic: &Diagnostic,
    texts: &dyn TextSource,
) -> Vec<Change> {
    if doc.kind == DocKind::Other || diagnostic.span.end > text.len() {
        return Vec::new();
    }
    let input = Input {
        doc,
        text,
        ws,
        config,
        texts,
    };
    let mut out = match &diagnostic.hint {
        Some(FixHint::MissingSection { names, profile }) => {
            sections::insert_missing(&input, names, profile)
                .into_iter()
                .collect()
        }
        Some(FixHint::MovedPrp { written, now }) => {
            paths::replace_moved(&input, &diagnostic.span, written, now)
        }
        Some(FixHint::OpenCriteria { markers }) => lifecycle::open_criteria(&input, markers),
        Some(FixHint::StatusMismatch { folder, stated }) => {
            lifecycle::status_mismatch(&input, &diagnostic.span, *folder, *stated)
        }
        Some(FixHint::DuplicateNumber { number, .. }) => {
            number::renumber(&input, number).into_iter().collect()
        }
        Some(FixHint::TickGateItem { marker }) => lifecycle::tick_gate_item(&input, marker)
            .into_iter()
            .collect(),
        None => Vec::new(),
    };
    if matches!(
        diagnostic.rule,
        Rule::AgentStuck | Rule::AgentOffline | Rule::AgentErrorRate
    ) {
        out.extend(crate::assign::reassign_change(
            doc,
            text,
            &diagnostic.span,
            ws,
            config,
        ));
    }
    out.extend(disable::disable(&input, diagnostic));
    out
}

/// Actions on `doc` that no finding asks for: "Move to archive" for a finished PRP still in
/// `active/`, "Mark done" for the open TASK.md items under `range`.
pub fn document_actions(
    doc: &Document,
    text: &str,
    ws: &Workspace,
    config: &Config,
    range: Span,
    texts: &dyn TextSource,
    today: Date,
) -> Vec<Change> {
    let input = Input {
        doc,
        text,
        ws,
        config,
        texts,
    };
    match doc.kind {
        DocKind::Prp => lifecycle::move_to_archive(&input).into_iter().collect(),
        DocKind::TaskBoard => board::mark_done(&input, range, today).into_iter().collect(),
        _ => Vec::new(),
    }
}

/// The safe fixes of `diagnostics` (path replacements, section insertions) as one change to
/// `doc`; a fix whose edits would overlap one already taken is left for another round.
pub fn fix_all(
    doc: &Document,
    text: &str,
    ws: &Workspace,
    config: &Config,
    diagnostics: &[Diagnostic],
    texts: &dyn TextSource,
) -> Option<Change> {
    let mut taken: Vec<TextEdit> = Vec::new();
    // Only these findings have safe fixes; the others' choices read the whole workspace.
    let fixable = diagnostics.iter().filter(|d| {
        matches!(
            d.hint,
            Some(FixHint::MissingSection { .. } | FixHint::MovedPrp { .. })
        )
    });
    for d in fixable {
        for change in fixes_for(doc, text, ws, config, d, texts) {
            if !change.safe {
                continue;
            }
            let Some(edits) = own_edits(&change, &doc.path) else {
                continue;
            };
            if edits
                .iter()
                .any(|e| taken.iter().any(|t| overlaps(&e.span, &t.span)))
            {
                continue;
            }
            taken.extend(edits.iter().cloned());
        }
    }
    if taken.is_empty() {
        return None;
    }
    let mut change = Change::new(
        "Fix all prp-lsp findings",
        ChangeKind::QuickFix,
        vec![FileChange::Edit {
            path: doc.path.clone(),
            edits: taken,
        }],
    );
    change.safe = true;
    Some(change)
}

/// The edits of a change that only edits `path`.
fn own_edits<'c>(change: &'c Change, path: &str) -> Option<&'c [TextEdit]> {
    match change.changes.as_slice() {
        [FileChange::Edit { path: p, edits }] if p == path => Some(edits),
        _ => None,
    }
}

/// Whether two edit spans touch the same text. Insertions at one point do not overlap each
/// other (they apply in order); an insertion strictly inside a replaced span does.
/// What an editor's move of a PRP (`workspace/willRenameFiles`) needs besides the move the
/// editor makes itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileMove {
    /// Every reference to the PRP rewritten for its new path, in the form each document
    /// writes it, and the moved PRP's own relative references: keeps `check` quiet.
    pub references: Change,
    /// The Status line the new folder implies (`Complete` in an archive folder), apart: a
    /// separate choice the editor may show.
    pub status: Option<Change>,
}

/// The edits that keep the workspace true when `doc` (a PRP) moves to `new`. `None` when
/// nothing needs to change or the move is not a PRP's.
pub fn file_moved(
    doc: &Document,
    text: &str,
    ws: &Workspace,
    config: &Config,
    texts: &dyn TextSource,
    new: &str,
) -> Option<FileMove> {
    if doc.kind != DocKind::Prp || new == doc.path {
        return None;
    }
    let input = Input {
        doc,
        text,
        ws,
        config,
        texts,
    };
    let mut references = paths::move_document(
        &input,
        format!("Update references to `{new}`"),
        ChangeKind::Refactor,
        new,
        Vec::new(),
    )?;
    // The editor moves the file itself, after applying the edits.
    references
        .changes
        .retain(|c| !matches!(c, FileChange::Rename { .. }));
    let status = lifecycle::status_after_move(&input, new)
        .map(|(edit, word)| input.edit(format!("Set Status to {word}"), vec![edit]));
    (!references.changes.is_empty() || status.is_some()).then_some(FileMove { references, status })
}

/// The digits of `number` as `name` writes them (`07` in `07_export.md`).
pub fn mentions_digits(name: &str, number: u32) -> Option<String> {
    mentions::digit_runs(name)
        .into_iter()
        .map(|r| &name[r])
        .find(|d| d.parse() == Ok(number))
        .map(str::to_string)
}

/// Rename a PRP's number (the editor's rename on its title, a path to it or a `PRP-07`):
/// the renumbering of the duplicate-number fix to `new_number`, plus every `PRP-07` that
/// names it anywhere when no other PRP has its number. Refused, with the reason, when the
/// number is taken in its `PRPs` folder or the file name holds no number.
pub fn renumber_prp(
    doc: &Document,
    text: &str,
    ws: &Workspace,
    config: &Config,
    texts: &dyn TextSource,
    new_number: &str,
) -> Result<Change, String> {
    let number = doc
        .metadata
        .number
        .clone()
        .filter(|_| doc.kind == DocKind::Prp)
        .ok_or_else(|| format!("`{}` is not a numbered PRP", doc.path))?;
    let digits = new_number
        .trim()
        .trim_start_matches(|c: char| !c.is_ascii_digit());
    let next: u32 = digits
        .parse()
        .map_err(|_| format!("`{new_number}` is not a PRP number (write 8, 08 or PRP-08)"))?;
    if next == number.number {
        return Err(format!("the PRP is already numbered {next}"));
    }
    let taken = crate::document::PrpNumber {
        phase: number.phase.clone(),
        number: next,
    };
    if let Some(other) = ws.prps_numbered(&doc.path, &taken).first() {
        return Err(format!(
            "`{other}` already has number {next}: choose a free number"
        ));
    }
    let input = Input {
        doc,
        text,
        ws,
        config,
        texts,
    };
    let moved = number::renumber_to(&input, &number, next).ok_or_else(|| {
        format!(
            "the file name `{}` holds no number to change",
            doc.file_name()
        )
    })?;
    let title = moved.title.clone();
    let mut parts = vec![moved];
    // `PRP-07` alone (not next to a path) names it only while no other PRP has the number.
    if ws.prp_numbered(number.number) == Some(doc.path.as_str()) {
        let target = crate::ide::references::Target::Prp(doc.path.clone());
        for path in crate::ide::references::candidates(ws, &target) {
            let Some(other_text) = input.text_of(&path) else {
                continue;
            };
            let other = if path == doc.path {
                None
            } else {
                Some(parse(&path, &other_text, config))
            };
            let mentions = other.as_ref().unwrap_or(doc).number_mentions();
            let edits: Vec<TextEdit> = mentions
                .filter(|m| m.value == number.number)
                .filter_map(|m| {
                    let written = other_text.get(m.span.clone())?;
                    let run = mentions::digit_runs(written).into_iter().last()?;
                    Some(TextEdit::replace(
                        m.span.start + run.start..m.span.start + run.end,
                        mentions::padded(next, run.len()),
                    ))
                })
                .collect();
            if !edits.is_empty() {
                parts.push(Change::new(
                    "",
                    ChangeKind::Refactor,
                    vec![FileChange::Edit { path, edits }],
                ));
            }
        }
    }
    // Edits first (each on a file's text before it moves), then the move.
    let merged = crate::edit::merge(title, ChangeKind::Refactor, parts);
    Ok(merged)
}

pub(crate) fn overlaps(a: &Span, b: &Span) -> bool {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => false,
        (true, false) => b.start < a.start && a.start < b.end,
        (false, true) => a.start < b.start && b.start < a.end,
        (false, false) => a.start < b.end && b.start < a.end,
    }
}

pub(crate) fn eol(text: &str) -> &'static str {
    if text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

pub(crate) use crate::text::{line_end, line_start};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlap_rules() {
        assert!(!overlaps(&(3..3), &(3..3)));
        assert!(!overlaps(&(3..3), &(3..5)));
        assert!(overlaps(&(4..4), &(3..5)));
        assert!(overlaps(&(1..4), &(3..5)));
        assert!(!overlaps(&(1..3), &(3..5)));
    }

    #[test]
    fn line_bounds_with_crlf() {
        let text = "a\r\nbc\r\nd";
        assert_eq!(line_start(text, 4), 3);
        assert_eq!(line_end(text, 3), 5);
        assert_eq!(line_end(text, 7), 8);
    }
}
