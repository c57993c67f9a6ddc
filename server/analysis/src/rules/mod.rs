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

/// Documents from this size on have their references checked on a second thread while the
/// other rules run, when the workspace's owner asks for it
/// ([`Workspace::split_large_checks`]): on a large PRP being typed in, references are half
/// of a keystroke's check, and a thread costs tens of microseconds.
const PARALLEL_FROM: usize = 64 * 1024;

/// All findings for one document.
pub fn check(doc: &Document, text: &str, ws: &Workspace, config: &Config) -> Vec<Diagnostic> {
    let parallel = ws.splits_large_checks() && text.len() >= PARALLEL_FROM;
    check_with(doc, text, ws, config, parallel)
}

/// [`check`], with the references checked on a second thread when `parallel` is set.
fn check_with(
    doc: &Document,
    text: &str,
    ws: &Workspace,
    config: &Config,
    parallel: bool,
) -> Vec<Diagnostic> {
    // Work that grows with what the document refers to (paths, agents, evidence) stops at
    // the size limit; the structure is still checked, and the finding says what was not.
    let whole = text.len() <= config.limits.document_size;
    let with_references = whole && doc.kind != DocKind::Other;
    std::thread::scope(|scope| {
        let elsewhere = (with_references && parallel)
            .then(|| {
                std::thread::Builder::new()
                    .name("prp-references".into())
                    .spawn_scoped(scope, || {
                        let mut cx = Context::new(doc, text, ws, config);
                        references::check(&mut cx);
                        cx.out
                    })
                    .ok()
            })
            .flatten();
        let mut cx = Context::new(doc, text, ws, config);
        match doc.kind {
            DocKind::Prp => {
                structure::check_prp(&mut cx);
                lifecycle::check(&mut cx);
            }
            DocKind::TaskBoard => task_board::check(&mut cx),
            DocKind::Agent => structure::check_agent(&mut cx),
            // Other Markdown is not validated; only a requirement block in it (a source for
            // "Generate PRP") is checked.
            DocKind::Other => {}
        }
        // Where the references' findings go, so that they come in the same order however
        // they were found.
        let references_at = cx.out.len();
        if with_references && elsewhere.is_none() {
            references::check(&mut cx);
        }
        if doc.kind == DocKind::Prp && whole {
            crate::gates::check(&mut cx);
            crate::delivery::failures::check(&mut cx);
        }
        check_rest(&mut cx, whole);
        if let Some(thread) = elsewhere {
            let found = thread
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            cx.out.splice(references_at..references_at, found);
        }
        settle(&mut cx)
    })
}

/// The rules after the references: fences, requirement blocks, agent status, assignment,
/// and the size limit's finding.
fn check_rest(cx: &mut Context, whole: bool) {
    let (doc, text, config) = (cx.doc, cx.text, cx.config);
    if doc.kind != DocKind::Other {
        structure::check_fences(cx);
    }
    crate::generate::check_requirement_blocks(cx);
    if matches!(doc.kind, DocKind::Prp | DocKind::TaskBoard) && whole {
        crate::status::check(cx);
        crate::assign::check(cx);
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
}

/// The findings with their configured levels, without the suppressed ones, in order.
fn settle(cx: &mut Context) -> Vec<Diagnostic> {
    let (doc, config) = (cx.doc, cx.config);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::DocFacts;

    /// A large PRP with findings from every family, some on the same line from different
    /// rules (their order is kept).
    fn large_prp() -> String {
        let mut text = String::from(
            "# PRP-07: Export\n\n## Goal\nExport data.\n\n## Why\nUsers ask.\n\n## What\nCSV.\n\n\
             ## All Needed Context\n```yaml\n- file: src/app.py\n```\n\n## Implementation Tasks\n",
        );
        for i in 0..700 {
            text.push_str(&format!(
                "- [ ] Task {i}: MODIFY src/missing_{i}.py [path/to/file] see /Users/ana/proj/{i}\n\
                 - file: docs/gone_{i}.md\n"
            ));
        }
        text.push_str("\n## Validation Loop\n- [ ] Unit tests pass\n- [ ] Code review approved\n");
        text
    }

    /// A large task board naming missing PRPs (by path and by number) and agents.
    fn large_board() -> String {
        let mut text = String::from("# Tasks\n\n## Active\n\n");
        for i in 0..1500 {
            text.push_str(&format!(
                "- [ ] Item {i} for PRPs/active/{i}_gone.md and PRP-{i} @nobody_{i}\n"
            ));
        }
        text
    }

    /// A large agent file with a missing scope folder.
    fn large_agent() -> String {
        let mut text = String::from("# Agent: Backend\n\n## Your Scope\n- `api/`\n\n## Notes\n");
        for i in 0..1500 {
            text.push_str(&format!("- Keep notes on item {i} of the backlog here\n"));
        }
        text
    }

    #[test]
    fn references_found_on_a_second_thread_change_nothing_found() {
        let config = Config::default();
        let mut ws = Workspace::with_files(["src/app.py", "frontend/app.tsx"]);
        let agent = "agent_contexts/frontend.md";
        let agent_doc = crate::parse(
            agent,
            "# Agent: Frontend\n\n## Your Scope\n- `frontend/`\n",
            &config,
        );
        ws.update_document(agent, DocFacts::of(&agent_doc));
        let mut limited = Config::default();
        limited.limits.document_size = 32 * 1024;
        // Each with the least it must find (the agent file: its missing section, and its
        // missing scope folder, a finding of the references' thread).
        let cases = [
            ("PRPs/active/07_export.md", large_prp(), &config, 100),
            ("TASK.md", large_board(), &config, 100),
            ("agent_contexts/backend.md", large_agent(), &config, 2),
            ("notes.md", large_prp(), &config, 0),
            ("PRPs/active/08_big.md", large_prp(), &limited, 1),
        ];
        for (path, text, config, least) in cases {
            assert!(
                text.len() >= PARALLEL_FROM,
                "{path}: large enough to be split"
            );
            let doc = crate::parse(path, &text, config);
            let alone = check_with(&doc, &text, &ws, config, false);
            let split = check_with(&doc, &text, &ws, config, true);
            assert!(alone.len() >= least, "{path}: {} findings", alone.len());
            assert!(split == alone, "{path}: findings differ when split");
        }
        let prp = crate::parse("PRPs/active/07_export.md", &large_prp(), &config);
        let found = check(&prp, &large_prp(), &ws, &config);
        let mut codes: Vec<&str> = found.iter().map(|d| d.rule.code()).collect();
        codes.dedup();
        for expected in [
            "unresolved-reference",
            "absolute-path",
            "template-placeholder",
        ] {
            assert!(codes.contains(&expected), "{expected} in {codes:?}");
        }
    }
}
