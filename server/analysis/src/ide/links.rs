//! Document links: every reference that resolves to a file of the workspace (context files,
//! CREATE/MODIFY targets, Markdown links, PRP paths, DEV_LOG entries' `PRP:` lines), every
//! `PRP-07` that one PRP is numbered, and every agent named by an assignment or an
//! `@mention`, with a tooltip. References that do not resolve stay diagnostics.

use crate::document::{scan, DocKind, Document, ReferenceKind, Span};
use crate::workspace::{Resolution, Workspace};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub span: Span,
    /// Workspace path of the file it opens.
    pub target: String,
    pub tooltip: String,
}

/// The links of `doc`, in text order.
pub fn links(doc: &Document, text: &str, ws: &Workspace) -> Vec<Link> {
    let mut out = Vec::new();
    for r in &doc.references {
        if r.kind == ReferenceKind::Url {
            continue;
        }
        let Resolution::Found(path) = ws.resolve(&doc.path, &r.target) else {
            continue;
        };
        if ws.is_dir(&path) {
            continue;
        }
        let tooltip = match ws.facts(&path) {
            Some(f) if f.kind == DocKind::Prp => {
                format!("Open {}", f.title.clone().unwrap_or_else(|| path.clone()))
            }
            _ => format!("Open {path}"),
        };
        out.push(Link {
            span: r.span.clone(),
            target: path,
            tooltip,
        });
    }
    let agent_link = |name: &str, span: Span| {
        let agent = ws.agent(name)?;
        Some(Link {
            span,
            target: agent.source.clone(),
            tooltip: format!(
                "Open the context file of {}",
                agent.name.clone().unwrap_or_else(|| agent.id.clone())
            ),
        })
    };
    for task in &doc.tasks {
        if let Some(a) = &task.assignee {
            out.extend(agent_link(&a.value, a.span.clone()));
        }
    }
    // `PRP-07` mentions, when one PRP has that number (the PRP's own title is not a link).
    let mut numbered: std::collections::HashMap<u32, Option<String>> = Default::default();
    for m in doc.number_mentions() {
        let target = numbered
            .entry(m.value)
            .or_insert_with(|| ws.prp_numbered(m.value).map(str::to_string));
        if let Some(path) = target {
            let title = ws.facts(path).and_then(|f| f.title.clone());
            out.push(Link {
                span: m.span.clone(),
                target: path.clone(),
                tooltip: format!("Open {}", title.unwrap_or_else(|| path.clone())),
            });
        }
    }
    // What is a link already, sorted for binary search (a board has thousands of items).
    let mut taken: Vec<Span> = out.iter().map(|l| l.span.clone()).collect();
    taken.sort_by_key(|s| s.start);
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        if line.contains('@') {
            for (r, name) in scan::agent_mentions(line) {
                let span = start + r.start..start + r.end;
                if !super::covered(&taken, &span) {
                    out.extend(agent_link(&name, span));
                }
            }
        }
        start += line.len();
    }
    // Agent files are not links to themselves.
    out.retain(|l| l.target != doc.path);
    out.sort_by_key(|l| (l.span.start, l.span.end));
    out.dedup_by(|a, b| a.span == b.span);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{parse, Config, DocFacts};

    #[test]
    fn resolvable_references_and_known_agents_are_links() {
        let config = Config::default();
        let board = "# Tasks\n\n## Active\n- [ ] Export @backend, see PRPs/active/01_export.md\n- [ ] Ask @nobody about docs/missing.md\n- [ ] Ship PRP-01, then PRP-9\n";
        let files = [
            ("PRPs/active/01_export.md", "# PRP-01: Export\n"),
            (
                "agent_contexts/backend_agent.md",
                "# Backend Agent\n\n## Your Identity\nAPI.\n",
            ),
        ];
        let mut ws = Workspace::with_files(["TASK.md"]);
        for (p, t) in files {
            ws.add_file(p);
            ws.update_document(p, DocFacts::of(&parse(p, t, &config)));
        }
        let doc = parse("TASK.md", board, &config);
        let found: Vec<(String, String, String)> = links(&doc, board, &ws)
            .into_iter()
            .map(|l| (board[l.span].to_string(), l.target, l.tooltip))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "@backend".to_string(),
                    "agent_contexts/backend_agent.md".to_string(),
                    "Open the context file of Backend Agent".to_string()
                ),
                (
                    "PRPs/active/01_export.md".to_string(),
                    "PRPs/active/01_export.md".to_string(),
                    "Open PRP-01: Export".to_string()
                ),
                // A number one PRP has; PRP-9 is none.
                (
                    "PRP-01".to_string(),
                    "PRPs/active/01_export.md".to_string(),
                    "Open PRP-01: Export".to_string()
                ),
            ]
        );
        // A DEV_LOG entry's `PRP:` line opens the PRP.
        let log =
            "# DEV_LOG\n\n## 2026-11-12 — Export\n\nPRP: PRPs/active/01_export.md\nShipped.\n";
        let doc = parse("DEV_LOG.md", log, &config);
        let targets: Vec<(&str, String)> = links(&doc, log, &ws)
            .into_iter()
            .map(|l| (&log[l.span], l.target))
            .collect();
        assert_eq!(
            targets,
            [(
                "PRPs/active/01_export.md",
                "PRPs/active/01_export.md".to_string()
            )]
        );
    }
}
