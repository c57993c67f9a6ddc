//! `document`: the input as every kind of document, parsed and checked in a workspace made
//! of its own facts.

use prp_analysis::status::{board_summary, describe};
use prp_analysis::{check, DocKind};

use crate::invariants;
use crate::setup::{analyse, text_of, CONFIG, NOW};

/// Parses and checks the input at each path of [`crate::setup::PATHS`]: the model and every
/// finding lie within the text, on character boundaries.
pub fn document(data: &[u8]) {
    let text = text_of(data);
    let text = text.as_ref();
    let config = &*CONFIG;
    let (ws, docs) = analyse(text, config);
    for doc in &docs {
        invariants::model(doc, text);
        let diagnostics = check(doc, text, &ws, config);
        invariants::diagnostics(doc, text, &diagnostics);
        match doc.kind {
            DocKind::TaskBoard => {
                let _ = board_summary(doc, &ws, NOW);
            }
            DocKind::Agent => {
                if let Some(agent) = &doc.agent {
                    let _ = describe(&agent.id, &ws, config);
                }
            }
            _ => {}
        }
    }
}
