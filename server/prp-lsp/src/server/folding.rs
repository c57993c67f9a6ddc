//! Folding ranges: computed by `prp_analysis::ide::folding`, converted to lines here.

use tower_lsp_server::ls_types::*;

use super::state::State;

pub fn folding_ranges(state: &State, uri: &Uri) -> Option<Vec<FoldingRange>> {
    state.with_document(uri, |_, a, positions| {
        let out = prp_analysis::ide::folding::ranges(&a.doc, &a.text)
            .into_iter()
            .filter_map(|r| {
                let (s, e) = (
                    positions.position(r.start).line,
                    positions.position(r.end).line,
                );
                (e > s).then(|| FoldingRange {
                    start_line: s,
                    end_line: e,
                    ..FoldingRange::default()
                })
            })
            .collect();
        Some(out)
    })
}
