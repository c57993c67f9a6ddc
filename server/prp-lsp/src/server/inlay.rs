//! Inlay hints: computed by `prp_analysis::ide::inlay` (an agent's state and error rate
//! after its mentions, a PRP's title and progress after its paths, the gate verdict after
//! each pre-deployment checklist item), converted here.

use tower_lsp_server::ls_types::*;

use super::state::State;

pub fn inlay_hints(state: &State, params: &InlayHintParams) -> Option<Vec<InlayHint>> {
    state.with_document(&params.text_document.uri, |project, a, positions| {
        let range = positions.offset(params.range.start)..positions.offset(params.range.end);
        let kinds = project.config.inlay_hints;
        // The stored report, else one evaluated now (a PRP only).
        let report = match project.ws.gate_report(&a.doc.path) {
            Some(stored) => Some(stored.clone()),
            None if kinds.gates => project.gate_report(&a.doc.path, crate::project::now_seconds()),
            None => None,
        };
        let hints = prp_analysis::ide::inlay::hints(
            &a.doc,
            &a.text,
            &project.ws,
            kinds,
            report.as_ref(),
            range,
        )
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
