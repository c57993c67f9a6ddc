//! Every conversion between the core's types (byte offsets, rules, severities) and the
//! protocol's (positions in the negotiated encoding, `Diagnostic`, `Uri`). Nothing else in the
//! crate builds protocol positions by hand.

use std::borrow::Cow;
use std::path::Path;

use prp_analysis::text::{Encoding, LineIndex, Position as CorePosition};
use prp_analysis::{Config, Diagnostic, Rule, Severity};
use tower_lsp_server::ls_types::{
    self as lsp, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    Position, PositionEncodingKind, Range, Uri,
};

/// A text with its line index, for converting offsets.
pub struct TextPositions<'a> {
    pub text: &'a str,
    pub lines: Cow<'a, LineIndex>,
    pub encoding: Encoding,
}

impl<'a> TextPositions<'a> {
    pub fn new(text: &'a str, encoding: Encoding) -> Self {
        TextPositions {
            text,
            lines: Cow::Owned(LineIndex::new(text)),
            encoding,
        }
    }

    /// Positions in an analysed document, with the line table it keeps for every request.
    pub fn of(analyzed: &'a crate::project::Analyzed, encoding: Encoding) -> Self {
        TextPositions {
            text: &analyzed.text,
            lines: Cow::Borrowed(analyzed.line_index()),
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

/// Links a diagnostic's code to its rule's page (`[docs] rules-url`), so that editors open
/// it when the code is clicked.
pub fn with_rule_page(mut d: lsp::Diagnostic, rule: Rule, config: &Config) -> lsp::Diagnostic {
    d.code_description = config
        .rule_page_url(rule)
        .and_then(|url| url.parse::<Uri>().ok())
        .map(|href| lsp::CodeDescription { href });
    d
}

/// What the client can apply, from `workspace.workspaceEdit`.
#[derive(Debug, Clone, Copy, Default)]
pub struct EditSupport {
    /// Versioned `documentChanges` (so a stale edit is refused by the client).
    pub document_changes: bool,
    pub create: bool,
    pub rename: bool,
    /// Edits grouped under a labelled annotation the editor can show apart.
    pub change_annotations: bool,
}

/// Adds `extra`'s text edits to `edit` under the annotation `id` (labelled `label`), in the
/// same document's edit where `edit` already changes that document (one edit per document
/// and version). Both must use `documentChanges`.
pub fn add_annotated(
    edit: &mut lsp::WorkspaceEdit,
    extra: lsp::WorkspaceEdit,
    id: &str,
    label: String,
) {
    use lsp::{AnnotatedTextEdit, ChangeAnnotation, DocumentChangeOperation, DocumentChanges};
    let Some(DocumentChanges::Operations(extra_ops)) = extra.document_changes else {
        return;
    };
    let ops = match edit
        .document_changes
        .get_or_insert_with(|| DocumentChanges::Operations(Vec::new()))
    {
        DocumentChanges::Operations(ops) => ops,
        DocumentChanges::Edits(edits) => {
            let edits = std::mem::take(edits);
            edit.document_changes = Some(DocumentChanges::Operations(
                edits
                    .into_iter()
                    .map(DocumentChangeOperation::Edit)
                    .collect(),
            ));
            match edit.document_changes.as_mut() {
                Some(DocumentChanges::Operations(ops)) => ops,
                _ => unreachable!("just set"),
            }
        }
    };
    for op in extra_ops {
        let DocumentChangeOperation::Edit(mut added) = op else {
            continue;
        };
        for e in &mut added.edits {
            let plain = match e {
                lsp::OneOf::Left(t) => t.clone(),
                lsp::OneOf::Right(a) => a.text_edit.clone(),
            };
            *e = lsp::OneOf::Right(AnnotatedTextEdit {
                text_edit: plain,
                annotation_id: id.to_string(),
            });
        }
        let same = ops.iter_mut().find_map(|o| match o {
            DocumentChangeOperation::Edit(e) if e.text_document.uri == added.text_document.uri => {
                Some(e)
            }
            _ => None,
        });
        match same {
            Some(existing) => existing.edits.extend(added.edits),
            // Before any file operation, so the edit applies to the file where it is now.
            None => ops.insert(0, DocumentChangeOperation::Edit(added)),
        }
    }
    edit.change_annotations
        .get_or_insert_with(Default::default)
        .insert(
            id.to_string(),
            ChangeAnnotation {
                label,
                needs_confirmation: Some(false),
                description: None,
            },
        );
}

/// Where a change's documents are and what their text is now: the open buffer (with its
/// version) or the file on disk.
pub trait DocumentLookup {
    fn uri(&self, path: &str) -> Option<Uri>;
    /// Current text and, for open documents, the editor's version.
    fn current(&self, path: &str) -> Option<(String, Option<i32>)>;
    fn encoding(&self) -> Encoding;
}

/// A core [`Change`](prp_analysis::edit::Change) as a `WorkspaceEdit`, or why this client
/// cannot apply it. Edits are positioned against the text they were computed from and carry
/// its version, so the client refuses them if the document changed since.
pub fn workspace_edit(
    change: &prp_analysis::edit::Change,
    docs: &dyn DocumentLookup,
    support: EditSupport,
) -> Result<lsp::WorkspaceEdit, String> {
    use prp_analysis::edit::FileChange;
    use std::collections::HashMap;
    let needs_create = change
        .changes
        .iter()
        .any(|c| matches!(c, FileChange::Create { .. }));
    let needs_rename = change
        .changes
        .iter()
        .any(|c| matches!(c, FileChange::Rename { .. }));
    if (needs_create || needs_rename) && !support.document_changes {
        return Err("this editor cannot create or rename files through the language server (no `documentChanges` support); use `prp-lsp new` / `prp-lsp assign --write` from a terminal instead".into());
    }
    if needs_create && !support.create {
        return Err("this editor does not let the language server create files (no `create` resource operation); use `prp-lsp new` from a terminal instead".into());
    }
    if needs_rename && !support.rename {
        return Err("this editor does not let the language server rename files (no `rename` resource operation)".into());
    }
    let uri = |path: &str| {
        docs.uri(path)
            .ok_or_else(|| format!("`{path}` has no file URI"))
    };
    let text_edits = |text: &str, edits: &[prp_analysis::edit::TextEdit]| -> Vec<lsp::TextEdit> {
        let positions = TextPositions::new(text, docs.encoding());
        edits
            .iter()
            .map(|e| lsp::TextEdit {
                range: positions.range(&e.span),
                new_text: e.new_text.clone(),
            })
            .collect()
    };
    if !support.document_changes {
        let mut changes: HashMap<Uri, Vec<lsp::TextEdit>> = HashMap::new();
        for c in &change.changes {
            if let FileChange::Edit { path, edits } = c {
                let (text, _) = docs
                    .current(path)
                    .ok_or_else(|| format!("cannot read `{path}`"))?;
                changes
                    .entry(uri(path)?)
                    .or_default()
                    .extend(text_edits(&text, edits));
            }
        }
        return Ok(lsp::WorkspaceEdit {
            changes: Some(changes),
            ..lsp::WorkspaceEdit::default()
        });
    }
    let mut operations = Vec::new();
    for c in &change.changes {
        match c {
            FileChange::Edit { path, edits } => {
                let (text, version) = docs
                    .current(path)
                    .ok_or_else(|| format!("cannot read `{path}`"))?;
                operations.push(lsp::DocumentChangeOperation::Edit(lsp::TextDocumentEdit {
                    text_document: lsp::OptionalVersionedTextDocumentIdentifier {
                        uri: uri(path)?,
                        version,
                    },
                    edits: text_edits(&text, edits)
                        .into_iter()
                        .map(lsp::OneOf::Left)
                        .collect(),
                }));
            }
            FileChange::Create { path, content } => {
                let target = uri(path)?;
                let options = lsp::CreateFileOptions {
                    overwrite: Some(false),
                    ignore_if_exists: Some(false),
                };
                operations.push(lsp::DocumentChangeOperation::Op(lsp::ResourceOp::Create(
                    lsp::CreateFile {
                        uri: target.clone(),
                        options: Some(options),
                        annotation_id: None,
                    },
                )));
                operations.push(lsp::DocumentChangeOperation::Edit(lsp::TextDocumentEdit {
                    text_document: lsp::OptionalVersionedTextDocumentIdentifier {
                        uri: target,
                        version: None,
                    },
                    edits: vec![lsp::OneOf::Left(lsp::TextEdit {
                        range: Range::default(),
                        new_text: content.clone(),
                    })],
                }));
            }
            FileChange::Rename { from, to } => {
                let options = lsp::RenameFileOptions {
                    overwrite: Some(false),
                    ignore_if_exists: Some(false),
                };
                operations.push(lsp::DocumentChangeOperation::Op(lsp::ResourceOp::Rename(
                    lsp::RenameFile {
                        old_uri: uri(from)?,
                        new_uri: uri(to)?,
                        options: Some(options),
                        annotation_id: None,
                    },
                )));
            }
        }
    }
    Ok(lsp::WorkspaceEdit {
        document_changes: Some(lsp::DocumentChanges::Operations(operations)),
        ..lsp::WorkspaceEdit::default()
    })
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
