//! Completion: computed by `prp_analysis::ide::completion`, converted here.

use prp_analysis::ide::completion::{self, CompletionKind};
use tower_lsp_server::ls_types::*;

use super::state::State;

pub fn completion(
    state: &State,
    params: &TextDocumentPositionParams,
) -> Option<CompletionResponse> {
    state.with_document(&params.text_document.uri, |project, a, positions| {
        let offset = positions.offset(params.position);
        let found = completion::complete(&a.doc, &a.text, &project.ws, &project.config, offset)?;
        let items = found
            .into_iter()
            .map(|c| CompletionItem {
                label: c.label,
                detail: Some(c.detail),
                kind: Some(match c.kind {
                    CompletionKind::Section => CompletionItemKind::MODULE,
                    CompletionKind::Agent => CompletionItemKind::REFERENCE,
                    CompletionKind::Path => CompletionItemKind::FILE,
                }),
                sort_text: Some(c.sort),
                filter_text: None,
                text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                    range: Range {
                        start: positions.position(c.replace.start),
                        end: params.position,
                    },
                    new_text: c.insert,
                })),
                ..CompletionItem::default()
            })
            .collect();
        Some(CompletionResponse::Array(items))
    })
}
