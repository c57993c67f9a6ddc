//! Code lenses: the deployment decision at the top of each PRP (its command opens the gate
//! report), and the board summary at the top of TASK.md.

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
    state.with_document(uri, |project, a, _| match a.doc.kind {
        DocKind::Prp => {
            let report = project
                .ws
                .gate_report(&a.doc.path)
                .cloned()
                .or_else(|| project.gate_report(&a.doc.path, now_seconds()))?;
            Some(vec![lens_at_top(
                report.summary(),
                Some((super::commands::SHOW_GATE_REPORT, json!(uri.as_str()))),
            )])
        }
        DocKind::TaskBoard => {
            let lines =
                prp_analysis::status::board_summary(&a.doc, &a.text, &project.ws, now_seconds());
            Some(
                lines
                    .into_iter()
                    .map(|line| lens_at_top(line, None))
                    .collect(),
            )
        }
        _ => None,
    })
}
