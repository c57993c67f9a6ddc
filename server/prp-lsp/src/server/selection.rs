//! Selection ranges: computed by `prp_analysis::ide::selection` (line, list item, list,
//! sections, document), converted here into the nested `SelectionRange` chain.

use tower_lsp_server::ls_types::*;

use super::state::State;

pub fn selection_ranges(
    state: &State,
    params: &SelectionRangeParams,
) -> Option<Vec<SelectionRange>> {
    state.with_document(&params.text_document.uri, |_, a, positions| {
        let chains = params.positions.iter().map(|p| {
            let spans = prp_analysis::ide::selection::ranges(&a.doc, &a.text, positions.offset(*p));
            // Innermost first: build from the outermost in, each holding its parent.
            let mut chain: Option<SelectionRange> = None;
            for span in spans.iter().rev() {
                chain = Some(SelectionRange {
                    range: positions.range(span),
                    parent: chain.map(Box::new),
                });
            }
            chain.unwrap_or(SelectionRange {
                range: Range::new(*p, *p),
                parent: None,
            })
        });
        Some(chains.collect())
    })
}
