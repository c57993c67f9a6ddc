//! Code lenses: the deployment decision at the top of each PRP, the board summary at the
//! top of a task board.

use crate::config::Config;
use crate::delivery::metrics::{self, Figure};
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
    ws: &Workspace,
    config: &Config,
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
        DocKind::TaskBoard => crate::status::board_summary(doc, ws, now)
            .into_iter()
            .chain(std::iter::once(delivery_line(ws, config, now)))
            .map(|title| Lens {
                title,
                action: LensAction::None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// "on-time delivery 80% · rollback rate 4.5% (last 30 days)", "—" where there is no data.
fn delivery_line(ws: &Workspace, config: &Config, now: i64) -> String {
    let since = now - 30 * 86_400;
    let shown = |f: Figure| f.value.map_or_else(|| "—".to_string(), metrics::percent);
    format!(
        "on-time delivery {} · rollback rate {} (last 30 days)",
        shown(metrics::on_time(ws, since, now)),
        shown(metrics::rollback_rate(ws, config, since, now))
    )
}
