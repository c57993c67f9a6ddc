//! What a rule reads (the document, its text, the workspace, the configuration) and how it
//! reports. Below the rule families: they import it, it imports none of them.

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Related};
use crate::document::{Document, Span};
use crate::rules::registry::Rule;
use crate::text::LineIndex;
use crate::workspace::Workspace;

/// Everything a rule may read.
pub(crate) struct Context<'a> {
    pub doc: &'a Document,
    pub text: &'a str,
    pub ws: &'a Workspace,
    pub config: &'a Config,
    /// Built on first use: most documents need no line numbers.
    lines: std::cell::OnceCell<LineIndex>,
    pub(super) out: Vec<Diagnostic>,
}

impl<'a> Context<'a> {
    pub(super) fn new(
        doc: &'a Document,
        text: &'a str,
        ws: &'a Workspace,
        config: &'a Config,
    ) -> Context<'a> {
        Context {
            doc,
            text,
            ws,
            config,
            lines: std::cell::OnceCell::new(),
            out: Vec::new(),
        }
    }

    pub fn report(
        &mut self,
        rule: Rule,
        span: Span,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.out.push(Diagnostic {
            rule,
            severity: rule.default_severity(),
            span,
            message: message.into(),
            related: Vec::new(),
            hint: None,
        });
        self.out.last_mut().unwrap()
    }

    pub fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(self.text))
    }

    /// 1-based line number of an offset, for messages.
    pub fn line_no(&self, offset: usize) -> usize {
        self.lines().line_of(offset) + 1
    }

    /// The first line of the document: where whole-document findings go.
    pub fn document_anchor(&self) -> Span {
        let end = self.text.find(['\n', '\r']).unwrap_or(self.text.len());
        0..end
    }

    pub fn related_here(span: Span, message: impl Into<String>) -> Related {
        Related {
            path: None,
            span,
            message: message.into(),
        }
    }
}
