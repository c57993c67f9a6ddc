//! Changes the analysis proposes, as plain data: text edits, files to create, files to
//! rename. The protocol layer turns a [`Change`] into a `WorkspaceEdit` (versioned, so an
//! edit computed for an older text is refused); the CLI applies it to disk when asked.
//! Nothing here writes anything.

use crate::document::Span;

/// Replace `span` (byte offsets in the document's current text) by `new_text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextEdit {
    pub span: Span,
    pub new_text: String,
}

impl TextEdit {
    pub fn insert(at: usize, text: impl Into<String>) -> TextEdit {
        TextEdit {
            span: at..at,
            new_text: text.into(),
        }
    }

    pub fn replace(span: Span, text: impl Into<String>) -> TextEdit {
        TextEdit {
            span,
            new_text: text.into(),
        }
    }
}

/// One step of a change, applied in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileChange {
    /// Edits to an existing document (workspace-relative path), non-overlapping.
    Edit { path: String, edits: Vec<TextEdit> },
    /// A new file; never replaces an existing one.
    Create { path: String, content: String },
    /// Move a file; never replaces an existing one.
    Rename { from: String, to: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// Fixes a finding.
    QuickFix,
    /// Restructures (assign, generate, move to archive).
    Refactor,
}

/// A named, self-contained change: one code action, one command result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub title: String,
    pub kind: ChangeKind,
    /// The fix an editor may apply on its own ("quick fix" shortcut).
    pub preferred: bool,
    /// Safe to apply without a choice (included in fix-all).
    pub safe: bool,
    pub changes: Vec<FileChange>,
}

impl Change {
    pub fn new(title: impl Into<String>, kind: ChangeKind, changes: Vec<FileChange>) -> Change {
        Change {
            title: title.into(),
            kind,
            preferred: false,
            safe: false,
            changes,
        }
    }

    /// Paths of the existing documents the change edits, renames or reads from.
    pub fn touched_paths(&self) -> Vec<&str> {
        self.changes
            .iter()
            .filter_map(|c| match c {
                FileChange::Edit { path, .. } => Some(path.as_str()),
                FileChange::Rename { from, .. } => Some(from.as_str()),
                FileChange::Create { .. } => None,
            })
            .collect()
    }

    /// Whether applying the change needs the client to create or rename files.
    pub fn needs_resource_operations(&self) -> bool {
        self.changes
            .iter()
            .any(|c| !matches!(c, FileChange::Edit { .. }))
    }
}

/// Several changes as one: the edits of each document gathered (in order, one step per
/// document: an editor applies one edit per document version), an edit that overlaps one
/// already taken dropped, then the other steps in order.
pub fn merge(title: impl Into<String>, kind: ChangeKind, parts: Vec<Change>) -> Change {
    let mut edits: Vec<(String, Vec<TextEdit>)> = Vec::new();
    let mut others: Vec<FileChange> = Vec::new();
    for step in parts.into_iter().flat_map(|c| c.changes) {
        match step {
            FileChange::Edit { path, edits: new } => {
                let at = match edits.iter().position(|(p, _)| *p == path) {
                    Some(i) => i,
                    None => {
                        edits.push((path, Vec::new()));
                        edits.len() - 1
                    }
                };
                let taken = &mut edits[at].1;
                for e in new {
                    let overlaps = taken.iter().any(|t| {
                        t.span == e.span || (t.span.start < e.span.end && e.span.start < t.span.end)
                    });
                    if !overlaps {
                        taken.push(e);
                    }
                }
                taken.sort_by_key(|e| e.span.start);
            }
            other => others.push(other),
        }
    }
    let mut changes: Vec<FileChange> = edits
        .into_iter()
        .map(|(path, edits)| FileChange::Edit { path, edits })
        .collect();
    changes.extend(others);
    Change::new(title, kind, changes)
}

/// Applies non-overlapping edits to a text (used by the CLI and by tests).
pub fn apply_edits(text: &str, edits: &[TextEdit]) -> String {
    let mut sorted: Vec<&TextEdit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out =
        String::with_capacity(text.len() + edits.iter().map(|e| e.new_text.len()).sum::<usize>());
    let mut at = 0;
    for e in sorted {
        let start = e.span.start.clamp(at, text.len());
        out.push_str(&text[at..start]);
        out.push_str(&e.new_text);
        at = e.span.end.clamp(start, text.len());
    }
    out.push_str(&text[at..]);
    out
}

/// Texts of other documents, for changes that reach across the workspace (references to a
/// moved PRP). The core reads nothing itself; the caller provides the text (the editor's
/// buffer for open documents, the file otherwise).
pub trait TextSource {
    fn text(&self, path: &str) -> Option<String>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_apply_in_order_of_position() {
        let text = "alpha beta gamma";
        let edits = [
            TextEdit::replace(6..10, "BETA"),
            TextEdit::insert(0, "> "),
            TextEdit::insert(16, "!"),
        ];
        assert_eq!(apply_edits(text, &edits), "> alpha BETA gamma!");
    }

    #[test]
    fn merged_changes_edit_each_document_once_and_keep_moves_last() {
        let edit = |path: &str, spans: &[(usize, usize)]| FileChange::Edit {
            path: path.into(),
            edits: spans
                .iter()
                .map(|(a, b)| TextEdit::replace(*a..*b, "x"))
                .collect(),
        };
        let first = Change::new(
            "a",
            ChangeKind::Refactor,
            vec![
                edit("TASK.md", &[(10, 20)]),
                FileChange::Rename {
                    from: "a.md".into(),
                    to: "b.md".into(),
                },
            ],
        );
        let second = Change::new(
            "b",
            ChangeKind::Refactor,
            vec![
                edit("TASK.md", &[(0, 5), (15, 25)]),
                edit("PRPs/x.md", &[(1, 2)]),
            ],
        );
        let merged = merge("both", ChangeKind::Refactor, vec![first, second]);
        assert_eq!(
            merged.changes,
            [
                // 15..25 overlaps 10..20, taken first: dropped.
                edit("TASK.md", &[(0, 5), (10, 20)]),
                edit("PRPs/x.md", &[(1, 2)]),
                FileChange::Rename {
                    from: "a.md".into(),
                    to: "b.md".into(),
                },
            ]
        );
    }
}
