//! Document symbols (sections with their tasks) and workspace symbols (PRPs, tasks, agents).

use prp_analysis::document::{DocKind, Document, TaskSource};
use tower_lsp_server::ls_types::*;

use super::state::LockExt;
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

fn task_symbols(
    doc: &Document,
    positions: &TextPositions,
    section: Option<usize>,
) -> Vec<DocumentSymbol> {
    doc.tasks
        .iter()
        .filter(|t| t.source != TaskSource::Heading && t.section == section)
        .map(|t| {
            let detail = t
                .assignee
                .as_ref()
                .map(|a| format!("assigned to {}", a.value));
            let name = match t.number {
                Some(n) => format!("Task {n}: {}", t.title),
                None => t.title.clone(),
            };
            symbol(
                name,
                detail,
                SymbolKind::EVENT,
                positions.range(&(t.span.start..t.end.max(t.span.end))),
                positions.range(&t.span),
            )
        })
        .collect()
}

pub fn document_symbols(state: &State, uri: &Uri) -> Option<DocumentSymbolResponse> {
    state.with_document(uri, |_, a, positions| {
        let doc = &a.doc;
        // Build the tree bottom-up: children are attached to their parent in reverse order.
        let mut nodes: Vec<Option<DocumentSymbol>> = doc
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let is_task = doc
                    .tasks
                    .iter()
                    .any(|t| t.source == TaskSource::Heading && t.span == s.heading);
                let kind = if is_task {
                    SymbolKind::EVENT
                } else {
                    SymbolKind::STRING
                };
                let detail = match is_task {
                    true => doc
                        .tasks
                        .iter()
                        .find(|t| t.span == s.heading)
                        .and_then(|t| t.assignee.as_ref())
                        .map(|a| format!("assigned to {}", a.value)),
                    false => s
                        .canonical
                        .clone()
                        .filter(|c| !c.eq_ignore_ascii_case(&s.name.display)),
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
                let tasks = task_symbols(doc, positions, Some(i));
                if !tasks.is_empty() {
                    sym.children = Some(tasks);
                }
                Some(sym)
            })
            .collect();
        let mut roots = Vec::new();
        for i in (0..nodes.len()).rev() {
            let node = nodes[i].take().unwrap();
            match doc.sections[i].parent {
                Some(p) => {
                    let parent = nodes[p].as_mut().unwrap();
                    parent.children.get_or_insert_with(Vec::new).insert(0, node);
                }
                None => roots.insert(0, node),
            }
        }
        roots.extend(task_symbols(doc, positions, None));
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
    let guard = state.project.read_lock();
    let project = guard.as_ref()?;
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
