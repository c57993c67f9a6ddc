//! Go to definition: computed by `prp_analysis::ide::at_cursor::definition` (references to
//! their files, agents to their context files), converted here.

use tower_lsp_server::ls_types::*;

use super::state::State;

pub fn definition(
    state: &State,
    params: &TextDocumentPositionParams,
) -> Option<GotoDefinitionResponse> {
    state.with_document(&params.text_document.uri, |project, a, positions| {
        let offset = positions.offset(params.position);
        let target =
            prp_analysis::ide::at_cursor::definition(&project.ws, &a.doc, &a.text, offset)?;
        let uri = crate::convert::file_uri(&project.absolute(&target))?;
        Some(GotoDefinitionResponse::Scalar(Location {
            uri,
            range: Range::default(),
        }))
    })
}
