//! Cross-document rules: references that do not resolve, absolute machine paths, PRPs that
//! moved or never existed, duplicate numbers, agents and their scope folders.

use super::{Context, Rule};
use crate::diagnostic::{FixHint, Related};
use crate::document::{scan, DocKind, Document, Lifecycle, Reference, ReferenceKind};
use crate::workspace::Resolution;

/// Fences whose lines may hold context references and task verbs; code fences (sql, bash,
/// python…) hold code, where `UPDATE users` is not a task.
pub(crate) fn is_plain_fence(info: &str) -> bool {
    let lang = info
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    matches!(
        lang.as_str(),
        "" | "yaml" | "yml" | "text" | "txt" | "plaintext" | "plain" | "markdown" | "md" | "none"
    )
}

/// `/Users/…`, `/home/…`, `/root/…`, `C:\…`: a path that only exists on one machine.
pub fn is_machine_path(target: &str) -> bool {
    let t = target.trim();
    let b = t.as_bytes();
    ["/Users/", "/home/", "/root/", "~/"]
        .iter()
        .any(|p| t.starts_with(p))
        || (b.len() >= 3
            && b[0].is_ascii_alphabetic()
            && b[1] == b':'
            && (b[2] == b'\\' || b[2] == b'/'))
}

const NO_AGENT: [&str; 9] = [
    "tbd",
    "unassigned",
    "none",
    "n/a",
    "-",
    "?",
    "todo",
    "anyone",
    "nobody",
];

pub(super) fn check(cx: &mut Context) {
    check_references(cx);
    check_machine_paths_in_text(cx);
    duplicate_prp_number(cx);
    agent_scope_missing(cx);
    unknown_agent(cx);
}

/// Each written reference goes to the first of these rules that claims it: a path on one
/// machine, then (when the target must exist and does not) a PRP that has moved, a PRP a
/// task board names that does not exist, else an unresolved reference.
fn check_references(cx: &mut Context) {
    let doc = cx.doc;
    for r in doc.references.iter().filter(|r| is_checked(doc, r)) {
        if absolute_path(cx, r) {
            continue;
        }
        if !is_missing(cx, r) || stale_prp_path(cx, r) {
            continue;
        }
        // A PRP path inside a fence is usually a command example; only a moved PRP is news.
        if doc.fence_at(r.span.start).is_some() && r.kind == ReferenceKind::PrpPath {
            continue;
        }
        if !unknown_prp(cx, r) {
            unresolved_reference(cx, r);
        }
    }
}

/// References a check reads: not URLs, not a task board's made-up format examples, and in
/// a code fence only plain ones (a `python` fence's paths are code) or PRP paths.
fn is_checked(doc: &Document, r: &Reference) -> bool {
    if r.kind == ReferenceKind::Url {
        return false;
    }
    if doc.kind == DocKind::TaskBoard && doc.in_example(doc.section_at(r.span.start)) {
        return false;
    }
    let fence = doc.fence_at(r.span.start);
    !(fence.is_some_and(|f| !is_plain_fence(&f.info)) && r.kind != ReferenceKind::PrpPath)
}

/// A target that must exist (a CREATE target only once the PRP is finished) and does not.
fn is_missing(cx: &Context, r: &Reference) -> bool {
    let must_exist = match r.kind {
        ReferenceKind::Create => cx.doc.lifecycle == Lifecycle::Finished,
        ReferenceKind::File
        | ReferenceKind::DocFile
        | ReferenceKind::Link
        | ReferenceKind::Modify
        | ReferenceKind::PrpPath => true,
        ReferenceKind::Url => false,
    };
    must_exist
        && scan::looks_like_path(&r.target)
        && cx.ws.resolve(&cx.doc.path, &r.target) == Resolution::Missing
}

/// `absolute-path`: a reference to a path on one person's machine.
fn absolute_path(cx: &mut Context, r: &Reference) -> bool {
    if !is_machine_path(&r.target) {
        return false;
    }
    let suggestion = machine_path_suggestion(cx, &r.target);
    cx.report(
        Rule::AbsolutePath,
        r.span.clone(),
        format!("`{}` is a path on one person's machine; write it relative to the workspace root{suggestion}", r.target),
    );
    true
}

/// `stale-prp-path`: a missing PRP file whose name is found elsewhere (it was moved).
fn stale_prp_path(cx: &mut Context, r: &Reference) -> bool {
    let file_name = r.target.rsplit('/').next().unwrap_or(&r.target);
    if !file_name.to_ascii_lowercase().ends_with(".md") {
        return false;
    }
    let moved_to = cx.ws.prps_named(file_name);
    if moved_to.is_empty() {
        return false;
    }
    let now = moved_to.join(", ");
    let d = cx.report(
        Rule::StalePrpPath,
        r.span.clone(),
        format!(
            "`{}` has moved: the PRP is now at `{now}`; update the path",
            r.target
        ),
    );
    d.related = moved_to
        .iter()
        .map(|p| Related {
            path: Some(p.to_string()),
            span: 0..0,
            message: "the PRP's current place".into(),
        })
        .collect();
    d.hint = Some(FixHint::MovedPrp {
        written: r.target.clone(),
        now: moved_to.iter().map(|p| p.to_string()).collect(),
    });
    true
}

/// `unknown-prp`: a task board item naming a PRP that does not exist.
fn unknown_prp(cx: &mut Context, r: &Reference) -> bool {
    let names_prp = r.target.contains("PRPs/") || r.kind == ReferenceKind::PrpPath;
    if cx.doc.kind != DocKind::TaskBoard || !names_prp {
        return false;
    }
    cx.report(Rule::UnknownPrp, r.span.clone(), format!("this item names `{}`, but no such PRP exists in the workspace; fix the path or write the PRP", r.target));
    true
}

/// `unresolved-reference`: any other missing target.
fn unresolved_reference(cx: &mut Context, r: &Reference) {
    let what = match r.kind {
        ReferenceKind::Create => "CREATE target of a finished PRP",
        ReferenceKind::Modify => "MODIFY/UPDATE target",
        ReferenceKind::DocFile => "docfile",
        ReferenceKind::File => "context file",
        _ => "linked file",
    };
    cx.report(
        Rule::UnresolvedReference,
        r.span.clone(),
        format!(
            "{what} `{}` does not exist in the workspace; fix the path or remove the reference",
            r.target
        ),
    );
}

/// Home folders on one machine, as they appear in commands and prose (`cd /Users/nick/app`,
/// `Location: C:\Users\ana\proj`), not only in context references.
const HOME_PREFIXES: [&str; 3] = ["/Users/", "/home/", ":\\Users\\"];

/// User names that stand for "your name" in instructions.
const PLACEHOLDER_USERS: [&str; 9] = [
    "user",
    "username",
    "you",
    "yourname",
    "your-name",
    "your_name",
    "me",
    "name",
    "someone",
];

/// `absolute-path` for home-folder paths written anywhere in the document: a validation
/// command that `cd`s into someone's home folder runs nowhere else.
fn check_machine_paths_in_text(cx: &mut Context) {
    let doc = cx.doc;
    if doc.kind == DocKind::Other {
        return;
    }
    let text = cx.text;
    let mut found = Vec::new();
    for prefix in HOME_PREFIXES {
        for at in memchr::memmem::find_iter(text.as_bytes(), prefix) {
            // `C:\Users\…`: the drive letter is part of the path.
            let start = if prefix.starts_with(':') {
                at.saturating_sub(1)
            } else {
                at
            };
            if prefix.starts_with(':') && !text.as_bytes()[start].is_ascii_alphabetic() {
                continue;
            }
            let after = &text[at + prefix.len()..];
            let user_len = after
                .find(|c: char| c == '/' || c == '\\' || c.is_whitespace())
                .unwrap_or(after.len());
            let user = &after[..user_len];
            let placeholder = user.is_empty()
                || user.contains(['<', '>', '{', '}', '$', '*', '[', ']', '%'])
                || user.contains("...")
                || PLACEHOLDER_USERS.contains(&user.to_ascii_lowercase().as_str());
            // A URL's path (`https://host/home/x`) is not a machine path.
            let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
            let in_url = text[line_start..start]
                .rsplit(char::is_whitespace)
                .next()
                .is_some_and(|word| word.contains("://"));
            if placeholder || in_url {
                continue;
            }
            let end = start
                + text[start..]
                    .find(|c: char| c.is_whitespace() || matches!(c, '`' | '"' | '\'' | ')' | '>'))
                    .unwrap_or(text.len() - start);
            let already = doc
                .references
                .iter()
                .any(|r| r.span.start < end && start < r.span.end);
            if !already {
                found.push(start..end);
            }
        }
    }
    found.sort_by_key(|s| s.start);
    // `/Users/ana/home/x` holds two prefixes: one finding.
    let mut last_end = 0;
    found.retain(|s| {
        let keep = s.start >= last_end;
        last_end = last_end.max(s.end);
        keep
    });
    for span in found {
        let path = text[span.clone()]
            .trim_end_matches([',', '.', ';', ':'])
            .to_string();
        let suggestion = machine_path_suggestion(cx, &path);
        cx.report(
            Rule::AbsolutePath,
            span.start..span.start + path.len(),
            format!("`{path}` is a path on one person's machine; write it relative to the workspace root{suggestion}"),
        );
    }
}

/// ", e.g. `docs/api.md`" when the tail of the machine path exists in the workspace.
fn machine_path_suggestion(cx: &Context, target: &str) -> String {
    let normalized = target.replace('\\', "/");
    let parts: Vec<&str> = normalized.split('/').filter(|p| !p.is_empty()).collect();
    for start in 1..parts.len() {
        let tail = parts[start..].join("/");
        if cx.ws.exists(&tail) {
            return format!(", e.g. `{tail}`");
        }
    }
    String::new()
}

/// `duplicate-prp-number`: another PRP of the same folder uses this one's number.
fn duplicate_prp_number(cx: &mut Context) {
    let doc = cx.doc;
    let Some(number) = &doc.metadata.number else {
        return;
    };
    let others: Vec<&str> = cx
        .ws
        .prps_numbered(&doc.path, number)
        .into_iter()
        .filter(|p| *p != doc.path)
        .collect();
    if others.is_empty() {
        return;
    }
    let anchor = cx.document_anchor();
    let list = others
        .iter()
        .map(|p| format!("`{p}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let d = cx.report(Rule::DuplicatePrpNumber, anchor, format!("PRP number {number} is also used by {list}; a number identifies one PRP, so renumber one of them"));
    d.related = others
        .iter()
        .map(|p| Related {
            path: Some(p.to_string()),
            span: 0..0,
            message: format!("also PRP {number}"),
        })
        .collect();
    d.hint = Some(FixHint::DuplicateNumber {
        number: number.clone(),
        others: others.iter().map(|p| p.to_string()).collect(),
    });
}

/// `agent-scope-missing`: an agent context file's scope folder that does not exist.
fn agent_scope_missing(cx: &mut Context) {
    let Some(agent) = &cx.doc.agent else {
        return;
    };
    for scope in &agent.scope {
        if cx.ws.resolve("", &scope.value) == Resolution::Missing {
            cx.report(
                Rule::AgentScopeMissing,
                scope.span.clone(),
                format!("scope folder `{}` does not exist, so no work can be routed to it; create it or correct the path", scope.value),
            );
        }
    }
}

/// `unknown-agent`: a task assigned to an agent the workspace does not define (only in
/// workspaces that define agents).
fn unknown_agent(cx: &mut Context) {
    let (doc, ws) = (cx.doc, cx.ws);
    if !ws.has_agents() {
        return;
    }
    // The list the message shows, made once for all the unknown names of the document.
    let known = std::cell::OnceCell::new();
    for task in &doc.tasks {
        let Some(assignee) = &task.assignee else {
            continue;
        };
        let name = assignee.value.trim();
        if NO_AGENT.contains(&name.to_ascii_lowercase().as_str()) || doc.in_example(task.section) {
            continue;
        }
        if ws.agent(name).is_none() {
            let known = known.get_or_init(|| {
                let mut ids: Vec<String> = ws.agents().iter().map(|a| a.id.clone()).collect();
                ids.sort();
                ids.join(", ")
            });
            cx.report(
                Rule::UnknownAgent,
                assignee.span.clone(),
                format!(
                    "no agent `{name}` is defined (known: {known}); assign the task to one of them, or add a context file for `{name}`"
                ),
            );
        }
    }
}
