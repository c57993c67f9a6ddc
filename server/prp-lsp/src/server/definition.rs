//! Go to definition: references to their files, agents to their context files.

use prp_analysis::workspace::Resolution;
use tower_lsp_server::ls_types::*;

use super::at_cursor::{at_cursor, AtCursor};
use super::state::State;

pub fn definition(
    state: &State,
    params: &TextDocumentPositionParams,
) -> Option<GotoDefinitionResponse> {
    state.with_document(&params.text_document.uri, |project, a, positions| {
        let offset = positions.offset(params.position);
        let target = match at_cursor(a, offset) {
            AtCursor::Reference(r) => match project.ws.resolve(&a.doc.path, &r.target) {
                Resolution::Found(path) if !project.ws.is_dir(&path) => path,
                _ => return None,
            },
            AtCursor::Agent { name, .. } => project.ws.agent(&name)?.source.clone(),
            _ => return None,
        };
        let uri = crate::convert::file_uri(&project.absolute(&target))?;
        Some(GotoDefinitionResponse::Scalar(Location {
            uri,
            range: Range::default(),
        }))
    })
}
