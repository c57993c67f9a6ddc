//! Document symbols and workspace symbols: computed by `prp_analysis::ide::symbols`,
//! converted here.

use prp_analysis::ide::symbols::{self, Symbol};
use tower_lsp_server::ls_types::*;

use super::state::State;
use crate::convert::TextPositions;

fn kind(kind: symbols::SymbolKind) -> SymbolKind {
    match kind {
        symbols::SymbolKind::Section => SymbolKind::STRING,
        symbols::SymbolKind::Task => SymbolKind::EVENT,
        symbols::SymbolKind::Prp => SymbolKind::FILE,
        symbols::SymbolKind::Agent => SymbolKind::CLASS,
    }
}

#[allow(deprecated)]
fn convert(symbol: Symbol, positions: &TextPositions) -> DocumentSymbol {
    let children: Vec<DocumentSymbol> = symbol
        .children
        .into_iter()
        .map(|c| convert(c, positions))
        .collect();
    DocumentSymbol {
        name: symbol.name,
        detail: symbol.detail,
        kind: kind(symbol.kind),
        tags: None,
        deprecated: None,
        range: positions.range(&symbol.range),
        selection_range: positions.range(&symbol.selection),
        children: (!children.is_empty()).then_some(children),
    }
}

pub fn document_symbols(state: &State, uri: &Uri) -> Option<DocumentSymbolResponse> {
    state.with_document(uri, |_, a, positions| {
        let roots: Vec<DocumentSymbol> = symbols::document(&a.doc)
            .into_iter()
            .map(|s| convert(s, positions))
            .collect();
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
    let found = symbols::workspace(&project.ws, &project.document_paths(), query, LIMIT);
    let out = found
        .into_iter()
        .filter_map(|s| {
            let uri = state.uri_of(&s.path)?;
            let at = Position {
                line: s.line,
                character: 0,
            };
            Some(WorkspaceSymbol {
                name: s.name,
                kind: kind(s.kind),
                tags: None,
                container_name: Some(s.container),
                location: OneOf::Left(Location {
                    uri,
                    range: Range { start: at, end: at },
                }),
                data: None,
            })
        })
        .collect();
    Some(WorkspaceSymbolResponse::Nested(out))
}
