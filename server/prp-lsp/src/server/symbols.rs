//! Document symbols (sections with their tasks) and workspace symbols (PRPs, tasks, agents).

use std::collections::HashMap;

use prp_analysis::document::{DocKind, Task, TaskSource};
use tower_lsp_server::ls_types::*;

use super::state::State;
use crate::convert::TextPositions;

#[allow(deprecated)]
fn symbol(
    name: String,
    detail: Option<String>,
    kind: SymbolKind,
    range: Range,
    selection: Range,
) -> DocumentSymbol {
    DocumentSymbol {
        name: if name.trim().is_empty() {
            "(untitled)".into()
        } else {
            name
        },
        detail,
        kind,
        tags: None,
        deprecated: None,
        range,
        selection_range: selection,
        children: None,
    }
}

/// A task written as a list item or a fenced `Task N:` line, as a symbol.
fn task_symbol(task: &Task, positions: &TextPositions) -> DocumentSymbol {
    let detail = task
        .assignee
        .as_ref()
        .map(|a| format!("assigned to {}", a.value));
    let name = match task.number {
        Some(n) => format!("Task {n}: {}", task.title),
        None => task.title.clone(),
    };
    symbol(
        name,
        detail,
        SymbolKind::EVENT,
        positions.range(&(task.span.start..task.end.max(task.span.end))),
        positions.range(&task.span),
    )
}

pub fn document_symbols(state: &State, uri: &Uri) -> Option<DocumentSymbolResponse> {
    state.with_document(uri, |_, a, positions| {
        let doc = &a.doc;
        // Tasks grouped once by where they sit, so the tree costs one pass over each list.
        let mut heading_tasks: HashMap<usize, &Task> = HashMap::new();
        let mut listed_tasks: HashMap<Option<usize>, Vec<DocumentSymbol>> = HashMap::new();
        for t in &doc.tasks {
            match t.source {
                TaskSource::Heading => {
                    heading_tasks.entry(t.span.start).or_insert(t);
                }
                _ => listed_tasks
                    .entry(t.section)
                    .or_default()
                    .push(task_symbol(t, positions)),
            }
        }
        let mut nodes: Vec<Option<DocumentSymbol>> = doc
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let heading_task = heading_tasks
                    .get(&s.heading.start)
                    .filter(|t| t.span == s.heading);
                let (kind, detail) = match heading_task {
                    Some(t) => (
                        SymbolKind::EVENT,
                        t.assignee
                            .as_ref()
                            .map(|a| format!("assigned to {}", a.value)),
                    ),
                    None => (
                        SymbolKind::STRING,
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
                    positions.range(&(s.heading.start..s.end)),
                    positions.range(&s.heading),
                );
                if let Some(tasks) = listed_tasks.remove(&Some(i)) {
                    sym.children = Some(tasks);
                }
                Some(sym)
            })
            .collect();
        // Bottom-up: a section is complete before it joins its parent. Children are pushed in
        // reverse text order, so sections come after a parent's own tasks, and each list is
        // put back in order once.
        let mut roots = Vec::new();
        let mut pending: Vec<Vec<DocumentSymbol>> = vec![Vec::new(); nodes.len()];
        for i in (0..nodes.len()).rev() {
            let mut node = nodes[i].take().expect("each section is taken once");
            let mut sections = std::mem::take(&mut pending[i]);
            if !sections.is_empty() {
                sections.reverse();
                node.children.get_or_insert_with(Vec::new).extend(sections);
            }
            match doc.sections[i].parent {
                Some(p) => pending[p].push(node),
                None => roots.push(node),
            }
        }
        roots.reverse();
        roots.extend(listed_tasks.remove(&None).unwrap_or_default());
        if !state.support().hierarchical_symbols {
            return Some(DocumentSymbolResponse::Flat(flatten(roots, uri)));
        }
        Some(DocumentSymbolResponse::Nested(roots))
    })
}

#[allow(deprecated)]
fn flatten(symbols: Vec<DocumentSymbol>, uri: &Uri) -> Vec<SymbolInformation> {
    let mut out = Vec::new();
    let mut stack: Vec<(DocumentSymbol, Option<String>)> =
        symbols.into_iter().rev().map(|s| (s, None)).collect();
    while let Some((mut s, container)) = stack.pop() {
        let children = s.children.take().unwrap_or_default();
        for c in children.into_iter().rev() {
            stack.push((c, Some(s.name.clone())));
        }
        out.push(SymbolInformation {
            name: s.name,
            kind: s.kind,
            tags: None,
            deprecated: None,
            location: Location {
                uri: uri.clone(),
                range: s.range,
            },
            container_name: container,
        });
    }
    out
}

/// PRPs by title and number, their tasks, and agents, matching `query` case-insensitively.
/// Answered from the index alone, so no document is read.
pub fn workspace_symbols(state: &State, query: &str) -> Option<WorkspaceSymbolResponse> {
    const LIMIT: usize = 1000;
    let guard = state.read_project();
    let project = guard.as_deref()?;
    let query = query.to_lowercase();
    let matches = |s: &str| query.is_empty() || s.to_lowercase().contains(&query);
    let mut out: Vec<WorkspaceSymbol> = Vec::new();
    for key in project.document_paths() {
        let Some(facts) = project.ws.facts(&key) else {
            continue;
        };
        let Some(uri) = state.uri_of(&key) else {
            continue;
        };
        let at_line = |line: u32| {
            let position = Position { line, character: 0 };
            OneOf::Left(Location {
                uri: uri.clone(),
                range: Range {
                    start: position,
                    end: position,
                },
            })
        };
        let symbol =
            |name: String, kind: SymbolKind, container: String, line: u32| WorkspaceSymbol {
                name,
                kind,
                tags: None,
                container_name: Some(container),
                location: at_line(line),
                data: None,
            };
        let file_name = key.rsplit('/').next().unwrap_or(&key).to_string();
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
                if matches(&name) || matches(&key) {
                    out.push(symbol(name, SymbolKind::FILE, key.clone(), 0));
                }
            }
            DocKind::Agent => {
                if let Some(agent) = &facts.agent {
                    let name = format!(
                        "Agent {}",
                        agent.name.clone().unwrap_or_else(|| agent.id.clone())
                    );
                    if matches(&name) || matches(&agent.id) {
                        out.push(symbol(name, SymbolKind::CLASS, key.clone(), 0));
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
                out.push(symbol(name, SymbolKind::EVENT, container.clone(), t.line));
            }
        }
        if out.len() >= LIMIT {
            out.truncate(LIMIT);
            break;
        }
    }
    Some(WorkspaceSymbolResponse::Nested(out))
}
