//! Code lenses: the deployment decision at the top of each PRP, the board summary at the
//! top of a task board.

use crate::document::{DocKind, Document};
use crate::gates::GateReport;
use crate::workspace::Workspace;

/// What a lens does when clicked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LensAction {
    /// A label only.
    None,
    /// Opens the PRP's gate report.
    ShowGateReport,
}

/// One lens, on the document's first line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lens {
    pub title: String,
    pub action: LensAction,
}

/// The lenses of a document. `gate_report` is the PRP's report as the owner evaluated it
/// (from the evidence on disk); `now` is the time in unix seconds.
pub fn lenses(
    doc: &Document,
    text: &str,
    ws: &Workspace,
    gate_report: Option<&GateReport>,
    now: i64,
) -> Vec<Lens> {
    match doc.kind {
        DocKind::Prp => gate_report
            .map(|report| Lens {
                title: report.summary(),
                action: LensAction::ShowGateReport,
            })
            .into_iter()
            .collect(),
        DocKind::TaskBoard => crate::status::board_summary(doc, text, ws, now)
            .into_iter()
            .map(|title| Lens {
                title,
                action: LensAction::None,
            })
            .collect(),
        _ => Vec::new(),
    }
}
