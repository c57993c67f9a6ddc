//! The invariants every target asserts. `assert!` so that libFuzzer reports a violation as a
//! crash, with the message naming what broke.

use prp_analysis::document::Span;
use prp_analysis::edit::{apply_edits, Change, FileChange, TextEdit};
use prp_analysis::text::{Encoding, LineIndex};
use prp_analysis::{Diagnostic, Document};

/// A byte range of `text`: ordered, in bounds, on character boundaries.
pub fn span(text: &str, span: &Span, what: &dyn std::fmt::Display) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what}: {span:?} outside the text ({} bytes)",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what}: {span:?} splits a character"
    );
}

/// A byte offset of `text`, in bounds and on a character boundary.
fn offset(text: &str, at: usize, what: &dyn std::fmt::Display) {
    span(text, &(at..at), what);
}

/// Everything the model locates lies in the text it was parsed from.
pub fn model(doc: &Document, text: &str) {
    let path = &doc.path;
    assert_eq!(doc.text_len, text.len(), "{path}: text_len");
    offset(text, doc.body_start, &format_args!("{path}: body_start"));
    for (i, s) in doc.sections.iter().enumerate() {
        let what = format_args!("{path}: section {i} `{}`", s.name.display);
        span(text, &s.heading, &what);
        span(text, &s.body, &what);
        offset(text, s.end, &what);
        assert!(
            s.heading.start <= s.body.start && s.body.end <= s.end,
            "{what}: heading {:?}, body {:?}, end {} out of order",
            s.heading,
            s.body,
            s.end
        );
        if let Some(p) = s.parent {
            assert!(p < i, "{what}: parent {p} does not come before it");
        }
    }
    for (i, c) in doc.checklist.iter().enumerate() {
        let what = format_args!("{path}: checklist item {i}");
        span(text, &c.marker, &what);
        span(text, &c.line, &what);
        assert!(
            c.section.is_none_or(|s| s < doc.sections.len()),
            "{what}: no section {:?}",
            c.section
        );
    }
    for (i, r) in doc.references.iter().enumerate() {
        span(
            text,
            &r.span,
            &format_args!("{path}: reference {i} `{}`", r.target),
        );
    }
    for (i, t) in doc.tasks.iter().enumerate() {
        let what = format_args!("{path}: task {i} `{}`", t.title);
        span(text, &t.span, &what);
        offset(text, t.end, &what);
        if let Some(a) = &t.assignee {
            span(text, &a.span, &what);
        }
        assert!(
            t.section.is_none_or(|s| s < doc.sections.len()),
            "{what}: no section {:?}",
            t.section
        );
    }
    for (i, f) in doc.fences.iter().enumerate() {
        let what = format_args!("{path}: fence {i}");
        span(text, &f.span, &what);
        span(text, &f.opening, &what);
    }
    let m = &doc.metadata;
    let values = [&m.title, &m.description, &m.status, &m.priority]
        .into_iter()
        .chain([&m.complexity, &m.profile])
        .flatten()
        .chain(m.keys.iter().map(|(_, v)| v));
    for v in values {
        span(
            text,
            &v.span,
            &format_args!("{path}: metadata `{}`", v.value),
        );
    }
    if let Some(agent) = &doc.agent {
        for s in &agent.scope {
            span(text, &s.span, &format_args!("{path}: scope `{}`", s.value));
        }
    }
}

/// Findings point into the text they were computed for, and their positions convert to
/// line/column and back as the server converts them.
pub fn diagnostics(doc: &Document, text: &str, diagnostics: &[Diagnostic]) {
    let lines = LineIndex::new(text);
    for d in diagnostics {
        let what = format_args!("{}: {} `{}`", doc.path, d.rule.code(), d.message);
        span(text, &d.span, &what);
        for at in [d.span.start, d.span.end] {
            for encoding in [Encoding::Utf8, Encoding::Utf16] {
                let p = lines.position(text, at, encoding);
                assert_eq!(
                    lines.offset(text, p, encoding),
                    at,
                    "{what}: offset {at} → {p:?} ({encoding:?}) does not convert back"
                );
            }
        }
        for r in d.related.iter().filter(|r| r.path.is_none()) {
            span(
                text,
                &r.span,
                &format_args!("{what}: related `{}`", r.message),
            );
        }
    }
}

/// Whether two edit spans touch the same text: insertions at one point do not overlap each
/// other (they apply in order); an insertion strictly inside a replaced span does.
fn overlaps(a: &Span, b: &Span) -> bool {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => false,
        (true, false) => b.start < a.start && a.start < b.end,
        (false, true) => a.start < b.start && b.start < a.end,
        (false, false) => a.start < b.end && b.start < a.end,
    }
}

/// Edits to one text: each in bounds and on character boundaries, none overlapping another;
/// returns the edited text.
pub fn edits(text: &str, edits: &[TextEdit], what: &dyn std::fmt::Display) -> String {
    for (i, e) in edits.iter().enumerate() {
        span(text, &e.span, &format_args!("{what}: edit {i}"));
        for (j, other) in edits.iter().enumerate().skip(i + 1) {
            assert!(
                !overlaps(&e.span, &other.span),
                "{what}: edits {i} {:?} and {j} {:?} overlap",
                e.span,
                other.span
            );
        }
    }
    let edited = apply_edits(text, edits);
    let removed: usize = edits.iter().map(|e| e.span.len()).sum();
    let added: usize = edits.iter().map(|e| e.new_text.len()).sum();
    assert_eq!(
        edited.len(),
        text.len() - removed + added,
        "{what}: the edits did not apply as written"
    );
    edited
}

/// A path a change creates or renames to: workspace-relative, never climbing out of it.
pub fn relative_path(path: &str, what: &dyn std::fmt::Display) {
    let absolute = path.starts_with(['/', '\\'])
        || matches!(path.as_bytes(), [drive, b':', ..] if drive.is_ascii_alphabetic())
        || path.is_empty();
    assert!(!absolute, "{what}: `{path}` is not a relative path");
    assert!(
        !path.split(['/', '\\']).any(|c| c == ".."),
        "{what}: `{path}` climbs out of the workspace"
    );
}

/// A proposed change: its edits apply to the texts they were computed for (`text_of` gives
/// them; an edit to a document the core could not have read is a violation), and the files
/// it creates or renames stay inside the workspace. Returns the edited texts by path.
pub fn change<'c>(
    change: &'c Change,
    text_of: &dyn Fn(&str) -> Option<String>,
) -> Vec<(&'c str, String)> {
    let mut out = Vec::new();
    for c in &change.changes {
        let what = format_args!("change `{}`", change.title);
        match c {
            FileChange::Edit { path, edits: list } => {
                let Some(text) = text_of(path) else {
                    panic!("{what}: edits {path}, whose text the analysis never had");
                };
                out.push((
                    path.as_str(),
                    edits(&text, list, &format_args!("{what} on {path}")),
                ));
            }
            FileChange::Create { path, .. } => relative_path(path, &what),
            FileChange::Rename { from, to } => {
                relative_path(from, &what);
                relative_path(to, &what);
            }
        }
    }
    out
}
