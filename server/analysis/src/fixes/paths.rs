//! Paths as the documents write them: replacing a stale PRP path, and moving a PRP with
//! every reference to it rewritten in the form its document uses (relative to its folder,
//! from the workspace root, or `/`-rooted).

use super::{overlaps, Input};
use crate::document::{parse, ReferenceKind, Span};
use crate::edit::{Change, ChangeKind, FileChange, TextEdit};
use crate::workspace::{normalize_path, prp_namespace, Resolution};

fn parent(path: &str) -> &str {
    path.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
}

pub(crate) fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// `to` (workspace-relative) written relative to the folder `from_dir`.
pub(crate) fn relative(from_dir: &str, to: &str) -> String {
    let from: Vec<&str> = from_dir.split('/').filter(|s| !s.is_empty()).collect();
    let to_parts: Vec<&str> = to.split('/').collect();
    let folders = to_parts.len().saturating_sub(1);
    let common = from
        .iter()
        .zip(&to_parts[..folders])
        .take_while(|(a, b)| a == b)
        .count();
    let mut out: Vec<&str> = vec![".."; from.len() - common];
    out.extend(&to_parts[common..]);
    out.join("/")
}

/// `./x` stays `./x` when the new path does not climb.
fn keep_dot(written: &str, rel: String) -> String {
    if written.starts_with("./") && !rel.starts_with("../") {
        format!("./{rel}")
    } else {
        rel
    }
}

/// `new` written the way `written` (in the document at `doc_path`) was: relative to the
/// document's folder, from the workspace root, `/`-rooted, or as a tail of the path.
/// `old` is where `written` resolves today, if it resolves at all.
pub(crate) fn restyle(written: &str, doc_path: &str, old: Option<&str>, new: &str) -> String {
    let dir = parent(doc_path);
    if let Some(rooted) = written.strip_prefix('/') {
        // `/band-platform/PRPs/…`: keep a leading folder the path did not need.
        let lead = match rooted.split_once('/') {
            Some((first, rest))
                if old.is_some_and(|o| normalize_path("", rest).as_deref() == Some(o)) =>
            {
                format!("/{first}/")
            }
            _ => "/".to_string(),
        };
        return format!("{lead}{new}");
    }
    if let Some(old) = old {
        if normalize_path(dir, written).as_deref() == Some(old) {
            return keep_dot(written, relative(dir, new));
        }
        if normalize_path("", written).as_deref() == Some(old) {
            return new.to_string();
        }
        // A tail match (`active/03_x.md` written in a sub-project): the same number of
        // trailing components of the new path.
        let kept = written
            .split('/')
            .filter(|p| !p.is_empty() && *p != "." && *p != "..")
            .count();
        let parts: Vec<&str> = new.split('/').collect();
        let from = parts.len().saturating_sub(kept);
        let tail = parts[from..].join("/");
        let lead_len = written.len() - written.trim_start_matches(['.', '/']).len();
        return format!("{}{tail}", &written[..lead_len]);
    }
    // Where a stale path pointed is unknown; its form says how it was meant.
    if written.starts_with("./") || written.starts_with("../") {
        return keep_dot(written, relative(dir, new));
    }
    let namespace = prp_namespace(new);
    if dir.is_empty() || (!namespace.is_empty() && written.starts_with(&format!("{namespace}/"))) {
        return new.to_string();
    }
    relative(dir, new)
}

/// Replaces the path inside a reference's span (keeping backticks, anchors, `:line`).
pub(crate) fn replace_target(text: &str, span: &Span, written: &str, new: &str) -> TextEdit {
    let raw = &text[span.clone()];
    match raw.find(written) {
        Some(i) => TextEdit::replace(span.start + i..span.start + i + written.len(), new),
        None => {
            // Percent-encoded in a link: replace the path, keep an anchor.
            let path_len = raw.find(['#', '?']).unwrap_or(raw.len());
            TextEdit::replace(span.start..span.start + path_len, new)
        }
    }
}

/// "Replace with `PRPs/archive/05_x.md`", one choice per place a PRP of that name is now.
pub(super) fn replace_moved(
    input: &Input,
    span: &Span,
    written: &str,
    now: &[String],
) -> Vec<Change> {
    let single = now.len() == 1;
    now.iter()
        .map(|current| {
            let new = restyle(written, &input.doc.path, None, current);
            let edit = replace_target(input.text, span, written, &new);
            let mut change = input.edit(format!("Replace with `{new}`"), vec![edit]);
            change.preferred = single;
            change.safe = single;
            change
        })
        .collect()
}

/// Rewrites every reference to `old` across the workspace (and the moved document's own
/// relative references) for a move to `new`. `own_edits` are further edits of the moved
/// document. `None` when the target exists.
pub(crate) fn move_document(
    input: &Input,
    title: String,
    kind: ChangeKind,
    new: &str,
    own_edits: Vec<TextEdit>,
) -> Option<Change> {
    move_renumbered(input, title, kind, new, own_edits, None)
}

/// [`move_document`] for a PRP whose number changes from `number.0` to `number.1`: a
/// `PRP-NN` next to a path to it (on the path's line, or in the same TASK.md item) is
/// renumbered too. A number alone names either PRP of a duplicate pair and stays.
pub(crate) fn move_renumbered(
    input: &Input,
    title: String,
    kind: ChangeKind,
    new: &str,
    own_edits: Vec<TextEdit>,
    number: Option<(u32, u32)>,
) -> Option<Change> {
    let old = input.doc.path.as_str();
    if new == old || input.ws.exists(new) {
        return None;
    }
    let mut edits = own_edits;
    for e in relative_references_of_moved(input, new) {
        if !edits.iter().any(|t| overlaps(&t.span, &e.span)) {
            edits.push(e);
        }
    }
    let mut changes = Vec::new();
    if !edits.is_empty() {
        edits.sort_by_key(|e| e.span.start);
        changes.push(FileChange::Edit {
            path: old.to_string(),
            edits,
        });
    }
    changes.extend(references_to(input, old, new, number));
    changes.push(FileChange::Rename {
        from: old.to_string(),
        to: new.to_string(),
    });
    Some(Change::new(title, kind, changes))
}

/// Edits of the other documents whose references resolve to `old`.
fn references_to(
    input: &Input,
    old: &str,
    new: &str,
    number: Option<(u32, u32)>,
) -> Vec<FileChange> {
    let name = file_name(old);
    let mut paths: Vec<&String> = input
        .ws
        .documents()
        .filter(|(p, f)| p.as_str() != old && f.referenced_names.contains(name))
        .map(|(p, _)| p)
        .collect();
    paths.sort();
    let mut out = Vec::new();
    for path in paths {
        let Some(text) = input.text_of(path) else {
            continue;
        };
        let doc = parse(path, &text, input.config);
        let pointing: Vec<&crate::document::Reference> = doc
            .references
            .iter()
            .filter(|r| r.kind != ReferenceKind::Url)
            .filter(|r| input.ws.resolve(path, &r.target) == Resolution::Found(old.to_string()))
            .collect();
        let mut edits: Vec<TextEdit> = pointing
            .iter()
            .map(|r| {
                let target = restyle(&r.target, path, Some(old), new);
                replace_target(&text, &r.span, &r.target, &target)
            })
            .collect();
        if let Some((from, to)) = number {
            for r in &pointing {
                let context = super::mentions::context_of(&doc, &text, &r.span);
                // A path to the other PRP of that number nearby: the number may mean either.
                let ambiguous = doc.references.iter().any(|o| {
                    o.span.start >= context.start
                        && o.span.end <= context.end
                        && match input.ws.resolve(path, &o.target) {
                            Resolution::Found(p) => {
                                p != old
                                    && input
                                        .ws
                                        .facts(&p)
                                        .and_then(|f| f.number.as_ref())
                                        .is_some_and(|n| n.number == from)
                            }
                            Resolution::Missing => false,
                        }
                });
                if ambiguous {
                    continue;
                }
                for e in super::mentions::mentions_renumbered(&text, context, from, to) {
                    if !edits
                        .iter()
                        .any(|t| overlaps(&t.span, &e.span) || t.span == e.span)
                    {
                        edits.push(e);
                    }
                }
            }
            edits.sort_by_key(|e| e.span.start);
        }
        if !edits.is_empty() {
            out.push(FileChange::Edit {
                path: path.clone(),
                edits,
            });
        }
    }
    out
}

/// The moved document's references written relative to its folder, rewritten for the new
/// folder (`../active/x.md` stays right between siblings; `x.md` does not).
fn relative_references_of_moved(input: &Input, new: &str) -> Vec<TextEdit> {
    let (old_dir, new_dir) = (parent(&input.doc.path), parent(new));
    if old_dir == new_dir {
        return Vec::new();
    }
    input
        .doc
        .references
        .iter()
        .filter(|r| r.kind != ReferenceKind::Url && !r.target.starts_with('/'))
        .filter_map(|r| {
            let resolved = normalize_path(old_dir, &r.target)?;
            let found = input.ws.resolve(&input.doc.path, &r.target);
            if found != Resolution::Found(resolved.clone()) || resolved == input.doc.path {
                return None;
            }
            let target = keep_dot(&r.target, relative(new_dir, &resolved));
            (target != r.target).then(|| replace_target(input.text, &r.span, &r.target, &target))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative("PRPs/active", "PRPs/archive/05_x.md"),
            "../archive/05_x.md"
        );
        assert_eq!(relative("", "PRPs/archive/05_x.md"), "PRPs/archive/05_x.md");
        assert_eq!(relative("PRPs/active", "PRPs/active/05_x.md"), "05_x.md");
        assert_eq!(relative("docs/a/b", "PRPs/x.md"), "../../../PRPs/x.md");
    }

    #[test]
    fn styles_of_stale_paths() {
        let new = "PRPs/archive/05_x.md";
        let doc = "PRPs/active/06_y.md";
        assert_eq!(
            restyle("../active/05_x.md", doc, None, new),
            "../archive/05_x.md"
        );
        assert_eq!(restyle("PRPs/active/05_x.md", doc, None, new), new);
        assert_eq!(
            restyle("/PRPs/active/05_x.md", doc, None, new),
            "/PRPs/archive/05_x.md"
        );
        assert_eq!(restyle("05_x.md", doc, None, new), "../archive/05_x.md");
        assert_eq!(restyle("PRPs/active/05_x.md", "TASK.md", None, new), new);
    }

    #[test]
    fn styles_of_resolving_paths() {
        let (old, new) = ("PRPs/active/05_x.md", "PRPs/archive/05_x.md");
        assert_eq!(
            restyle("./05_x.md", "PRPs/active/06.md", Some(old), new),
            "../archive/05_x.md"
        );
        assert_eq!(
            restyle("PRPs/active/05_x.md", "docs/a.md", Some(old), new),
            new
        );
        assert_eq!(
            restyle("active/05_x.md", "docs/a.md", Some(old), new),
            "archive/05_x.md"
        );
    }
}
