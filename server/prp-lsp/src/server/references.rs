//! Find references: computed by `prp_analysis::ide::references` (agents by assignment,
//! `@mention` and the `"id"` of their status files; PRPs by path and `PRP-07`; headings by
//! `#anchor` links), converted here. Each document the index names is read (the editor's
//! buffer when open) for the exact places.

use tower_lsp_server::ls_types::*;

use super::state::State;
use crate::convert::TextPositions;
use prp_analysis::ide::references::{
    candidates, declaration, in_document, status_ids, target_at, Target,
};

pub fn references(state: &State, params: &ReferenceParams) -> Option<Vec<Location>> {
    let position = &params.text_document_position;
    let target = state.with_document(&position.text_document.uri, |project, a, positions| {
        target_at(
            &a.doc,
            &a.text,
            &project.ws,
            positions.offset(position.position),
        )
    })?;
    let project = state.snapshot()?;
    let encoding = state.encoding();
    let mut out = Vec::new();
    if params.context.include_declaration {
        if let Some(path) = declaration(&project.ws, &target) {
            if let Some(uri) = state.uri_of(&path) {
                out.push(Location {
                    uri,
                    range: Range::default(),
                });
            }
        }
    }
    // The status files that report an agent name it too.
    if let Target::Agent(id) = &target {
        for (file, text) in project.status_files_of(id) {
            let Some(uri) = state.uri_of(&file) else {
                continue;
            };
            let positions = TextPositions::new(&text, encoding);
            for span in status_ids(&text, id) {
                out.push(Location {
                    uri: uri.clone(),
                    range: positions.range(&span),
                });
            }
        }
    }
    for path in candidates(&project.ws, &target) {
        let (Some(a), Some(uri)) = (project.analyzed(&path), state.uri_of(&path)) else {
            continue;
        };
        let positions = TextPositions::of(&a, encoding);
        for span in in_document(&a.doc, &a.text, &project.ws, &target) {
            out.push(Location {
                uri: uri.clone(),
                range: positions.range(&span),
            });
        }
    }
    Some(out)
}

/// Document highlights: the places of this document that refer to what is at the cursor
/// (an agent, a PRP), the same places find-references gives here.
pub fn highlights(
    state: &State,
    params: &TextDocumentPositionParams,
) -> Option<Vec<DocumentHighlight>> {
    state.with_document(&params.text_document.uri, |project, a, positions| {
        let target = target_at(
            &a.doc,
            &a.text,
            &project.ws,
            positions.offset(params.position),
        )?;
        Some(
            in_document(&a.doc, &a.text, &project.ws, &target)
                .into_iter()
                .map(|span| DocumentHighlight {
                    range: positions.range(&span),
                    kind: Some(DocumentHighlightKind::TEXT),
                })
                .collect(),
        )
    })
}
