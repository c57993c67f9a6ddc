//! Document symbols (sections with their tasks) and workspace symbols (PRPs, tasks, agents)
//! as plain data: byte ranges and kinds; the server converts them.

use std::collections::HashMap;

use crate::document::{DocKind, Document, Span, Task, TaskSource};
use crate::workspace::Workspace;

/// What a symbol is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymbolKind {
    /// A section heading.
    Section,
    /// A task: a `### Task N:` heading, a task line, a board item.
    Task,
    /// A PRP (workspace symbols).
    Prp,
    /// An agent (workspace symbols).
    Agent,
}

/// A symbol of one document, with the symbols it contains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// Everything the symbol spans (a section to its end, a task with its notes).
    pub range: Span,
    /// What names it (the heading, the task's line).
    pub selection: Span,
    pub children: Vec<Symbol>,
}

fn symbol(
    name: String,
    detail: Option<String>,
    kind: SymbolKind,
    range: Span,
    selection: Span,
) -> Symbol {
    Symbol {
        name: if name.trim().is_empty() {
            "(untitled)".into()
        } else {
            name
        },
        detail,
        kind,
        range,
        selection,
        children: Vec::new(),
    }
}

fn assigned(task: &Task) -> Option<String> {
    task.assignee
        .as_ref()
        .map(|a| format!("assigned to {}", a.value))
}

/// A task written as a list item or a fenced `Task N:` line, as a symbol.
fn task_symbol(task: &Task) -> Symbol {
    let name = match task.number {
        Some(n) => format!("Task {n}: {}", task.title),
        None => task.title.clone(),
    };
    symbol(
        name,
        assigned(task),
        SymbolKind::Task,
        task.span.start..task.end.max(task.span.end),
        task.span.clone(),
    )
}

/// The outline of a document: its sections nested as written, each with the tasks listed in
/// it; a `### Task N:` heading is a task. Tasks outside any section come last.
pub fn document(doc: &Document) -> Vec<Symbol> {
    // Tasks grouped once by where they sit, so the tree costs one pass over each list.
    let mut heading_tasks: HashMap<usize, &Task> = HashMap::new();
    let mut listed_tasks: HashMap<Option<usize>, Vec<Symbol>> = HashMap::new();
    for t in &doc.tasks {
        match t.source {
            TaskSource::Heading => {
                heading_tasks.entry(t.span.start).or_insert(t);
            }
            _ => listed_tasks
                .entry(t.section)
                .or_default()
                .push(task_symbol(t)),
        }
    }
    let mut nodes: Vec<Option<Symbol>> = doc
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let heading_task = heading_tasks
                .get(&s.heading.start)
                .filter(|t| t.span == s.heading);
            let (kind, detail) = match heading_task {
                Some(t) => (SymbolKind::Task, assigned(t)),
                None => (
                    SymbolKind::Section,
                    s.canonical
                        .clone()
                        .filter(|c| !c.eq_ignore_ascii_case(&s.name.display)),
                ),
            };
            // `Task 3: Create the API` keeps its number, which normalization strips.
            let name = match s.name.task_number {
                Some(n) => format!("Task {n}: {}", s.name.display),
                None => s.name.display.clone(),
            };
            let mut sym = symbol(
                name,
                detail,
                kind,
                s.heading.start..s.end,
                s.heading.clone(),
            );
            if let Some(tasks) = listed_tasks.remove(&Some(i)) {
                sym.children = tasks;
            }
            Some(sym)
        })
        .collect();
    // Bottom-up: a section is complete before it joins its parent. Children are pushed in
    // reverse text order, so sections come after a parent's own tasks, and each list is put
    // back in order once.
    let mut roots = Vec::new();
    let mut pending: Vec<Vec<Symbol>> = vec![Vec::new(); nodes.len()];
    for i in (0..nodes.len()).rev() {
        let mut node = nodes[i].take().expect("each section is taken once");
        let mut sections = std::mem::take(&mut pending[i]);
        if !sections.is_empty() {
            sections.reverse();
            node.children.extend(sections);
        }
        match doc.sections[i].parent {
            Some(p) => pending[p].push(node),
            None => roots.push(node),
        }
    }
    roots.reverse();
    roots.extend(listed_tasks.remove(&None).unwrap_or_default());
    roots
}

/// A symbol found across the workspace, from the index alone (no document is read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceSymbol {
    pub name: String,
    pub kind: SymbolKind,
    /// The PRP's title for its tasks, else the document's path.
    pub container: String,
    pub path: String,
    /// Zero-based line.
    pub line: u32,
}

/// PRPs by title and number, their tasks, and agents, matching `query` case-insensitively,
/// in path order, at most `limit`.
pub fn workspace(
    ws: &Workspace,
    paths: &[String],
    query: &str,
    limit: usize,
) -> Vec<WorkspaceSymbol> {
    let query = query.to_lowercase();
    let matches = |s: &str| query.is_empty() || s.to_lowercase().contains(&query);
    let mut out: Vec<WorkspaceSymbol> = Vec::new();
    for key in paths {
        let Some(facts) = ws.facts(key) else {
            continue;
        };
        let symbol =
            |name: String, kind: SymbolKind, container: String, line: u32| WorkspaceSymbol {
                name,
                kind,
                container,
                path: key.clone(),
                line,
            };
        let file_name = key.rsplit('/').next().unwrap_or(key).to_string();
        let title = facts.title.clone().unwrap_or(file_name);
        match facts.kind {
            DocKind::Prp => {
                // Titles often carry the number already (`PRP-01: User Login`).
                let name = match &facts.number {
                    Some(n) if !title.to_ascii_lowercase().starts_with("prp") => {
                        format!("PRP {n}: {title}")
                    }
                    _ => title.clone(),
                };
                if matches(&name) || matches(key) {
                    out.push(symbol(name, SymbolKind::Prp, key.clone(), 0));
                }
            }
            DocKind::Agent => {
                if let Some(agent) = &facts.agent {
                    let name = format!(
                        "Agent {}",
                        agent.name.clone().unwrap_or_else(|| agent.id.clone())
                    );
                    if matches(&name) || matches(&agent.id) {
                        out.push(symbol(name, SymbolKind::Agent, key.clone(), 0));
                    }
                }
            }
            DocKind::TaskBoard | DocKind::Other => {}
        }
        let container = if facts.kind == DocKind::Prp {
            title
        } else {
            key.clone()
        };
        for t in &facts.tasks {
            let name = match t.number {
                Some(n) => format!("Task {n}: {}", t.title),
                None => t.title.clone(),
            };
            if matches(&name) {
                out.push(symbol(name, SymbolKind::Task, container.clone(), t.line));
            }
        }
        if out.len() >= limit {
            out.truncate(limit);
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{parse, Config, DocFacts};

    #[test]
    fn sections_nest_and_hold_their_tasks() {
        let text = "# PRP-02: Sync\n\n## Tasks\n\n### Task 1: Client @backend\n- [ ] Write it\n\n## Notes\nnone\n";
        let doc = parse("PRPs/active/02_sync.md", text, &Config::default());
        let outline = document(&doc);
        let names = |s: &[Symbol]| s.iter().map(|s| s.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&outline), ["PRP-02: Sync"]);
        assert_eq!(names(&outline[0].children), ["Tasks", "Notes"]);
        let task = &outline[0].children[0].children[0];
        assert_eq!(task.name, "Task 1: Client @backend");
        assert_eq!(task.kind, SymbolKind::Task);
        assert_eq!(&text[task.selection.clone()], "### Task 1: Client @backend");
    }

    #[test]
    fn workspace_symbols_match_titles_numbers_and_tasks() {
        let config = Config::default();
        let mut ws = Workspace::new();
        let prp = "# Export orders\n\n## Tasks\n\n### Task 1: CSV writer\n";
        let path = "PRPs/active/07_export.md".to_string();
        ws.update_document(&path, DocFacts::of(&parse(&path, prp, &config)));
        let found = workspace(&ws, std::slice::from_ref(&path), "csv", 10);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].name, "Task 1: CSV writer");
        assert_eq!(found[0].container, "Export orders");
        let found = workspace(&ws, std::slice::from_ref(&path), "prp 7", 10);
        assert_eq!(found[0].name, "PRP 7: Export orders");
        assert_eq!(found[0].kind, SymbolKind::Prp);
    }
}
