//! Find references: where an agent is assigned work or mentioned, where a PRP is referred to
//! by its path or by its number (`PRP-07`, when one PRP has it). The index says which documents may hold them; each of those is then read
//! for the exact places, so a lookup costs the documents that name the target, not the
//! workspace.

use crate::document::{scan, DocKind, Document, Span};
use crate::workspace::{normalize_agent_id, Resolution, Workspace};

use super::at_cursor::{at_cursor, AtCursor};

/// What references are asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// An agent, by normalized id.
    Agent(String),
    /// A PRP, by workspace path.
    Prp(String),
    /// A heading of a document, by its anchor (`#goal`): links to it from the document
    /// itself (`](#goal)`) and from others (`01_export.md#goal`).
    Heading { path: String, anchor: String },
}

/// The target at byte `offset` of `doc`: an agent (assignment, `@mention`, an agent file's
/// title), a reference that resolves to a PRP, or the PRP itself on its title.
pub fn target_at(doc: &Document, text: &str, ws: &Workspace, offset: usize) -> Option<Target> {
    if let Some(m) = doc
        .prp_mentions
        .iter()
        .find(|m| m.span.start <= offset && offset <= m.span.end)
    {
        return ws.prp_numbered(m.value).map(|p| Target::Prp(p.to_string()));
    }
    match at_cursor(doc, text, offset) {
        AtCursor::Agent { name, .. } => {
            let id = ws
                .agent(&name)
                .map_or_else(|| normalize_agent_id(&name), |a| normalize_agent_id(&a.id));
            Some(Target::Agent(id))
        }
        AtCursor::Reference(r) => match ws.resolve(&doc.path, &r.target) {
            Resolution::Found(path) if ws.facts(&path).is_some_and(|f| f.kind == DocKind::Prp) => {
                Some(Target::Prp(path))
            }
            _ => None,
        },
        AtCursor::Section(i) if doc.kind == DocKind::Prp && doc.sections[i].level == 1 => {
            Some(Target::Prp(doc.path.clone()))
        }
        AtCursor::Section(i) => Some(Target::Heading {
            path: doc.path.clone(),
            anchor: anchor_of(&text[doc.sections[i].heading.clone()]),
        }),
        _ => None,
    }
}

/// The documents that may refer to `target`, as the index knows them (each is then read with
/// [`in_document`]).
pub fn candidates(ws: &Workspace, target: &Target) -> Vec<String> {
    let mut out: Vec<String> = match target {
        Target::Agent(id) => ws
            .documents()
            .filter(|(_, f)| f.assigned_agents.contains(id) || f.kind == DocKind::TaskBoard)
            .map(|(p, _)| p.clone())
            .collect(),
        Target::Prp(path) => {
            let name = path.rsplit('/').next().unwrap_or(path);
            let number = unique_number(ws, path);
            ws.documents()
                .filter(|(_, f)| {
                    f.referenced_names.contains(name)
                        || number.is_some_and(|n| f.mentioned_numbers.contains(&n))
                })
                .map(|(p, _)| p.clone())
                .collect()
        }
        Target::Heading { path, .. } => {
            let name = path.rsplit('/').next().unwrap_or(path);
            ws.documents()
                .filter(|(p, f)| *p == path || f.referenced_names.contains(name))
                .map(|(p, _)| p.clone())
                .collect()
        }
    };
    out.sort();
    out
}

/// The anchor a heading line gets (GitHub's rule): the text without the `#`s, lowercased,
/// spaces to `-`, punctuation other than `-` and `_` dropped.
pub fn anchor_of(heading_line: &str) -> String {
    let text = heading_line
        .trim()
        .trim_start_matches('#')
        .trim()
        .trim_end_matches('#')
        .trim();
    text.chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => {
                Some(c.to_lowercase().next().unwrap_or(c))
            }
            _ => None,
        })
        .collect()
}

/// `#anchor` links in `text` to `anchor`: `](#anchor)` in the document itself (`local`),
/// and `target#anchor` right after each reference of `doc` that resolves to `path`.
fn anchor_links(doc: &Document, text: &str, ws: &Workspace, path: &str, anchor: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let wanted = format!("#{anchor}");
    let ends_here = |at: usize| {
        text[at..]
            .chars()
            .next()
            .is_none_or(|c| matches!(c, ')' | ' ' | '`' | '"' | '\'' | '>' | '\n' | '\r'))
    };
    if doc.path == path {
        for (i, _) in text.match_indices(&format!("](#{anchor}")) {
            let start = i + 2;
            if ends_here(start + wanted.len()) {
                out.push(start..start + wanted.len());
            }
        }
    }
    for r in &doc.references {
        if ws.resolve(&doc.path, &r.target) != Resolution::Found(path.to_string()) {
            continue;
        }
        let Some(raw) = text.get(r.span.clone()) else {
            continue;
        };
        let after = raw
            .find(r.target.as_str())
            .map_or(r.span.end, |i| r.span.start + i + r.target.len());
        if text[after..].starts_with(&wanted) && ends_here(after + wanted.len()) {
            out.push(after..after + wanted.len());
        }
    }
    out
}

/// Where a status file names agent `id`: the value of each `"id": "<id>"` pair (the text
/// between the quotes). Find-references lists them; a rename rewrites them.
pub fn status_ids(text: &str, id: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find("\"id\"") {
        let key_end = from + at + 4;
        from = key_end;
        let rest = &text[key_end..];
        let after_colon = rest.trim_start();
        let Some(value) = after_colon.strip_prefix(':') else {
            continue;
        };
        let value = value.trim_start();
        let start = text.len() - value.len();
        if let Some(v) = value.strip_prefix('"') {
            if let Some(end) = v.find('"') {
                if normalize_agent_id(&v[..end]) == id {
                    out.push(start + 1..start + 1 + end);
                }
            }
        }
    }
    out
}

/// Where `doc` refers to `target`.
pub fn in_document(doc: &Document, text: &str, ws: &Workspace, target: &Target) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    match target {
        Target::Agent(id) => {
            let is_it = |name: &str| {
                ws.agent(name)
                    .map_or_else(|| normalize_agent_id(name), |a| normalize_agent_id(&a.id))
                    == *id
            };
            for task in &doc.tasks {
                if let Some(a) = task.assignee.as_ref().filter(|a| is_it(&a.value)) {
                    out.push(a.span.clone());
                }
            }
            // `@mentions` outside assignments (notes, prose).
            let mut assigned: Vec<Span> = doc
                .tasks
                .iter()
                .filter_map(|t| t.assignee.as_ref().map(|a| a.span.clone()))
                .collect();
            assigned.sort_by_key(|s| s.start);
            let mut start = 0;
            for line in text.split_inclusive('\n') {
                if line.contains('@') {
                    for (r, name) in scan::agent_mentions(line) {
                        let span = start + r.start..start + r.end;
                        if !super::covered(&assigned, &span) && is_it(&name) {
                            out.push(span);
                        }
                    }
                }
                start += line.len();
            }
        }
        Target::Prp(path) => {
            for r in &doc.references {
                if ws.resolve(&doc.path, &r.target) == Resolution::Found(path.clone()) {
                    out.push(r.span.clone());
                }
            }
            if let Some(n) = unique_number(ws, path) {
                out.extend(
                    doc.number_mentions()
                        .filter(|m| m.value == n)
                        .map(|m| m.span.clone()),
                );
            }
        }
        Target::Heading { path, anchor } => {
            out.extend(anchor_links(doc, text, ws, path, anchor));
        }
    }
    out.sort_by_key(|s| (s.start, s.end));
    out.dedup();
    out
}

/// The number of the PRP at `path` when no other PRP has it, so that `PRP-07` names it.
fn unique_number(ws: &Workspace, path: &str) -> Option<u32> {
    let n = ws.facts(path)?.number.as_ref()?.number;
    (ws.prp_numbered(n) == Some(path)).then_some(n)
}

/// The declaration of `target`: an agent's context file title, a PRP's title (path, span).
pub fn declaration(ws: &Workspace, target: &Target) -> Option<String> {
    match target {
        Target::Agent(id) => ws.agent(id).map(|a| a.source.clone()),
        Target::Prp(path) | Target::Heading { path, .. } => Some(path.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{parse, Config, DocFacts};

    /// (path, text) of every reference to `target` in `docs` (path, text, model).
    fn references_in<P: AsRef<str>, T: AsRef<str>>(
        docs: &[(P, T, Document)],
        ws: &Workspace,
        target: &Target,
    ) -> Vec<(String, String)> {
        let mut found = Vec::new();
        for path in candidates(ws, target) {
            let (_, text, doc) = docs.iter().find(|(p, _, _)| p.as_ref() == path).unwrap();
            let text = text.as_ref();
            for span in in_document(doc, text, ws, target) {
                found.push((path.clone(), text[span].to_string()));
            }
        }
        found
    }

    #[test]
    fn heading_references_are_links_to_its_anchor() {
        let config = Config::default();
        let prp = "# PRP-01: Export\n\n## Success Criteria\n- [ ] CSV\n\nSee [criteria](#success-criteria) and [not](#success-criteria-2).\n";
        let other = "# PRP-02: Import\n\nAs in [its criteria](01_export.md#success-criteria), not 01_export.md#goal.\n";
        let mut ws = Workspace::new();
        let docs: Vec<(&str, &str, Document)> = [
            ("PRPs/active/01_export.md", prp),
            ("PRPs/active/02_import.md", other),
        ]
        .into_iter()
        .map(|(p, t)| (p, t, parse(p, t, &config)))
        .collect();
        for (p, _, d) in &docs {
            ws.add_file(p);
            ws.update_document(p, DocFacts::of(d));
        }
        let (_, text, doc) = &docs[0];
        let at = text.find("Success Criteria").unwrap() + 2;
        let target = target_at(doc, text, &ws, at).unwrap();
        assert_eq!(
            target,
            Target::Heading {
                path: "PRPs/active/01_export.md".into(),
                anchor: "success-criteria".into()
            }
        );
        let found = references_in(&docs, &ws, &target);
        assert_eq!(
            found,
            [
                (
                    "PRPs/active/01_export.md".to_string(),
                    "#success-criteria".to_string()
                ),
                (
                    "PRPs/active/02_import.md".to_string(),
                    "#success-criteria".to_string()
                ),
            ]
        );
        assert_eq!(anchor_of("## 🎯 **Goal** & Why?"), "-goal--why");
    }

    #[test]
    fn agent_and_prp_references_across_documents() {
        let config = Config::default();
        let files = [
            ("TASK.md", "# Tasks\n\n## Active\n- [ ] Export @backend, see PRPs/active/01_export.md\n- [ ] Page @frontend\n  - ask @backend first\n"),
            ("PRPs/active/01_export.md", "# PRP-01: Export\n\n### Task 1: API\n**Assigned to**: backend\n"),
            ("PRPs/active/02_import.md", "# PRP-02: Import\n\nFollows PRPs/active/01_export.md, then PRP-01 ships.\n"),
            ("agent_contexts/backend_agent.md", "# Backend Agent\n\n## Your Identity\nAPI.\n"),
        ];
        let mut ws = Workspace::new();
        let docs: Vec<(String, String, Document)> = files
            .iter()
            .map(|(p, t)| (p.to_string(), t.to_string(), parse(p, t, &config)))
            .collect();
        for (p, _, d) in &docs {
            ws.add_file(p);
            ws.update_document(p, DocFacts::of(d));
        }
        let (_, board, board_doc) = &docs[0];
        let at = board.find("@backend").unwrap() + 2;
        let target = target_at(board_doc, board, &ws, at).unwrap();
        assert_eq!(target, Target::Agent("backend".into()));
        let found = references_in(&docs, &ws, &target);
        assert_eq!(
            found,
            [
                (
                    "PRPs/active/01_export.md".to_string(),
                    "backend".to_string()
                ),
                ("TASK.md".to_string(), "@backend".to_string()),
                ("TASK.md".to_string(), "@backend".to_string()),
            ]
        );
        assert_eq!(
            declaration(&ws, &target).as_deref(),
            Some("agent_contexts/backend_agent.md")
        );

        let at = board.find("PRPs/active/01").unwrap() + 3;
        let target = target_at(board_doc, board, &ws, at).unwrap();
        assert_eq!(target, Target::Prp("PRPs/active/01_export.md".into()));
        let referring = candidates(&ws, &target);
        assert_eq!(referring, ["PRPs/active/02_import.md", "TASK.md"]);
        // On the PRP's own title: the same target.
        let (_, prp, prp_doc) = &docs[1];
        assert_eq!(target_at(prp_doc, prp, &ws, 3), Some(target.clone()));
        // `PRP-01` in another PRP names it too (no other PRP is numbered 01).
        let (_, import, import_doc) = &docs[2];
        let at = import.find("PRP-01").unwrap() + 4;
        assert_eq!(target_at(import_doc, import, &ws, at), Some(target.clone()));
        let spans: Vec<&str> = in_document(import_doc, import, &ws, &target)
            .into_iter()
            .map(|s| &import[s])
            .collect();
        assert_eq!(spans, ["PRPs/active/01_export.md", "PRP-01"]);
    }
}
