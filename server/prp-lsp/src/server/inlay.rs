//! Inlay hints: computed by `prp_analysis::ide::inlay` (an agent's state after its mentions,
//! a PRP's title and progress after its paths), converted here.

use tower_lsp_server::ls_types::*;

use super::state::State;

pub fn inlay_hints(state: &State, params: &InlayHintParams) -> Option<Vec<InlayHint>> {
    state.with_document(&params.text_document.uri, |project, a, positions| {
        let range = positions.offset(params.range.start)..positions.offset(params.range.end);
        let hints = prp_analysis::ide::inlay::hints(&a.doc, &a.text, &project.ws, range)
            .into_iter()
            .map(|h| InlayHint {
                position: positions.position(h.offset),
                label: InlayHintLabel::String(h.label),
                kind: None,
                text_edits: None,
                tooltip: Some(InlayHintTooltip::String(h.tooltip)),
                padding_left: Some(false),
                padding_right: Some(false),
                data: None,
            })
            .collect();
        Some(hints)
    })
}
