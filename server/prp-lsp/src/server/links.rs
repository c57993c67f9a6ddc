//! Document links: computed by `prp_analysis::ide::links` (resolvable references, known
//! agents), converted here.

use tower_lsp_server::ls_types::*;

use super::state::State;

pub fn document_links(state: &State, uri: &Uri) -> Option<Vec<DocumentLink>> {
    state.with_document(uri, |project, a, positions| {
        let links = prp_analysis::ide::links::links(&a.doc, &a.text, &project.ws)
            .into_iter()
            .filter_map(|link| {
                let target = crate::convert::file_uri(&project.absolute(&link.target))?;
                Some(DocumentLink {
                    range: positions.range(&link.span),
                    target: Some(target),
                    tooltip: Some(link.tooltip),
                    data: None,
                })
            })
            .collect();
        Some(links)
    })
}
