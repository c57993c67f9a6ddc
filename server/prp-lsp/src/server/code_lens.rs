//! Code lenses: the deployment decision at the top of each PRP (its command opens the gate
//! report), and the board summary at the top of TASK.md.

use prp_analysis::ide::lenses::{lenses, LensAction};
use prp_analysis::DocKind;
use serde_json::json;
use tower_lsp_server::ls_types::*;

use super::state::State;
use crate::project::now_seconds;

/// A lens on the first line; without a command it is a label (an empty command id, which
/// editors show as plain text).
fn lens_at_top(title: String, command: Option<(&str, serde_json::Value)>) -> CodeLens {
    let start = Position {
        line: 0,
        character: 0,
    };
    let (command, arguments) = match command {
        Some((id, argument)) => (id.to_string(), Some(vec![argument])),
        None => (String::new(), None),
    };
    CodeLens {
        range: Range { start, end: start },
        command: Some(Command {
            title,
            command,
            arguments,
        }),
        data: None,
    }
}

pub fn code_lenses(state: &State, uri: &Uri) -> Option<Vec<CodeLens>> {
    state.with_document(uri, |project, a, _| {
        let now = now_seconds();
        // Only a PRP has a gate report; evaluating one reads the evidence on disk.
        let report = (a.doc.kind == DocKind::Prp)
            .then(|| {
                project
                    .ws
                    .gate_report(&a.doc.path)
                    .cloned()
                    .or_else(|| project.gate_report(&a.doc.path, now))
            })
            .flatten();
        let lenses = lenses(&a.doc, &project.ws, &project.config, report.as_ref(), now);
        (!lenses.is_empty()).then(|| {
            lenses
                .into_iter()
                .map(|lens| {
                    let command = match lens.action {
                        LensAction::ShowGateReport => {
                            Some((super::commands::SHOW_GATE_REPORT, json!(uri.as_str())))
                        }
                        LensAction::None => None,
                    };
                    lens_at_top(lens.title, command)
                })
                .collect()
        })
    })
}
