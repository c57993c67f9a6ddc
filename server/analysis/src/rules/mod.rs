//! The rules: each has a stable code, a default severity, and lives in the module of its
//! family. [`check`] runs the ones that apply to a document's kind, then applies the
//! configured severities and the document's suppression comments.

pub(crate) mod context;
mod lifecycle;
mod references;
pub(crate) mod registry;
pub(crate) mod structure;
mod task_board;

pub(crate) use context::Context;
pub use registry::Rule;
pub use structure::{choose_profile, required_sections, ProfileChoice};

use std::collections::{HashMap, HashSet};

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::document::{DocKind, Document, Span, SuppressionScope};
use crate::workspace::Workspace;

/// All findings for one document.
pub fn check(doc: &Document, text: &str, ws: &Workspace, config: &Config) -> Vec<Diagnostic> {
    let mut cx = Context::new(doc, text, ws, config);
    // Work that grows with what the document refers to (paths, agents, evidence) stops at
    // the size limit; the structure is still checked, and the finding says what was not.
    let whole = text.len() <= config.limits.document_size;
    match doc.kind {
        DocKind::Prp => {
            structure::check_prp(&mut cx);
            lifecycle::check(&mut cx);
            if whole {
                references::check(&mut cx);
                crate::gates::check(&mut cx);
                crate::delivery::failures::check(&mut cx);
            }
        }
        DocKind::TaskBoard => {
            task_board::check(&mut cx);
            if whole {
                references::check(&mut cx);
            }
        }
        DocKind::Agent => {
            structure::check_agent(&mut cx);
            if whole {
                references::check(&mut cx);
            }
        }
        // Other Markdown is not validated; only a requirement block in it (a source for
        // "Generate PRP") is checked.
        DocKind::Other => {}
    }
    if doc.kind != DocKind::Other {
        structure::check_fences(&mut cx);
    }
    crate::generate::check_requirement_blocks(&mut cx);
    if matches!(doc.kind, DocKind::Prp | DocKind::TaskBoard) && whole {
        crate::status::check(&mut cx);
        crate::assign::check(&mut cx);
    }
    if !whole && doc.kind != DocKind::Other {
        let (size, limit) = crate::figures::sizes_compared(text.len(), config.limits.document_size);
        let skipped = match doc.kind {
            DocKind::Prp => "references, quality gates, agent status and assignment",
            DocKind::TaskBoard => "references, agent status and assignment",
            _ => "references",
        };
        let anchor = cx.document_anchor();
        cx.report(
            Rule::LargeDocument,
            anchor,
            format!(
                "this document is {size}, above the {limit} limit: its structure is checked, its {skipped} are not (raise `[limits] document-size` in prp-lsp.toml to check them)"
            ),
        );
    }
    let found = std::mem::take(&mut cx.out);
    let suppressions = Suppressions::of(doc);
    let mut out: Vec<Diagnostic> = found
        .into_iter()
        .filter_map(|mut d| {
            // A configured level replaces the rule's own; without one, a finding keeps the
            // severity its rule gave it (agent-error-rate is an error above 10%).
            if let Some(level) = config.levels.get(&d.rule) {
                d.severity = level.severity()?;
            }
            let suppressed = !suppressions.is_empty()
                && suppressions.silence(d.rule, cx.lines().line_of(d.span.start));
            (!suppressed).then_some(d)
        })
        .collect();
    out.sort_by_key(|d| (d.span.start, d.rule));
    out
}

/// A document's suppression comments, by scope: a finding is looked up, not compared with
/// every comment.
#[derive(Default)]
struct Suppressions<'d> {
    file: Silenced<'d>,
    lines: HashMap<usize, Silenced<'d>>,
}

/// The rules one scope silences.
#[derive(Default)]
struct Silenced<'d> {
    /// A comment without a rule list silences every rule.
    every: bool,
    rules: HashSet<&'d str>,
}

impl<'d> Silenced<'d> {
    fn add(&mut self, rules: &'d [String]) {
        self.every |= rules.is_empty();
        self.rules.extend(rules.iter().map(String::as_str));
    }

    fn has(&self, rule: Rule) -> bool {
        self.every || self.rules.contains(rule.code())
    }
}

impl<'d> Suppressions<'d> {
    fn of(doc: &'d Document) -> Suppressions<'d> {
        let mut out = Suppressions::default();
        for s in &doc.suppressions {
            match s.scope {
                SuppressionScope::File => out.file.add(&s.rules),
                SuppressionScope::Line(l) => out.lines.entry(l).or_default().add(&s.rules),
            }
        }
        out
    }

    fn is_empty(&self) -> bool {
        !self.file.every && self.file.rules.is_empty() && self.lines.is_empty()
    }

    fn silence(&self, rule: Rule, line: usize) -> bool {
        self.file.has(rule) || self.lines.get(&line).is_some_and(|at| at.has(rule))
    }
}

/// The finding for a file that is not UTF-8 (the caller decodes it lossily and says so).
pub fn invalid_encoding(valid_up_to: usize) -> Diagnostic {
    Diagnostic {
        rule: Rule::InvalidEncoding,
        severity: Rule::InvalidEncoding.default_severity(),
        span: valid_up_to..valid_up_to,
        message: format!("this file is not valid UTF-8 (first bad byte at offset {valid_up_to}); save it as UTF-8 so it can be checked reliably"),
        related: Vec::new(),
        hint: None,
    }
}

/// The finding for a document that could not be read at all: it was not checked, and a
/// check that skipped it silently would pass while it is broken.
pub fn unreadable_file(reason: &str) -> Diagnostic {
    Diagnostic {
        rule: Rule::UnreadableFile,
        severity: Rule::UnreadableFile.default_severity(),
        span: 0..0,
        message: format!("prp-lsp cannot read this document, so it was not checked: {reason}"),
        related: Vec::new(),
        hint: None,
    }
}

/// The finding for a document whose analysis failed: the rest of the workspace is still
/// checked, and the user learns which file to report.
pub fn internal_error(detail: &str) -> Diagnostic {
    Diagnostic {
        rule: Rule::InternalError,
        severity: Rule::InternalError.default_severity(),
        span: 0..0,
        message: format!("prp-lsp could not analyse this file ({detail}); the other files were checked. Please report this with the file attached"),
        related: Vec::new(),
        hint: None,
    }
}

/// The finding for a configuration file that cannot be used.
pub fn invalid_config(message: &str, span: Option<Span>) -> Diagnostic {
    Diagnostic {
        rule: Rule::InvalidConfig,
        severity: Rule::InvalidConfig.default_severity(),
        span: span.unwrap_or(0..0),
        message: message.to_string(),
        related: Vec::new(),
        hint: None,
    }
}
