//! Folding ranges: sections (with their subsections) and fenced blocks.

use tower_lsp_server::ls_types::*;

use super::state::State;

pub fn folding_ranges(state: &State, uri: &Uri) -> Option<Vec<FoldingRange>> {
    state.with_document(uri, |_, a, positions| {
        let mut out = Vec::new();
        let mut push = |start: usize, end: usize| {
            let (s, e) = (positions.position(start).line, positions.position(end).line);
            if e > s {
                out.push(FoldingRange {
                    start_line: s,
                    end_line: e,
                    ..FoldingRange::default()
                });
            }
        };
        for s in &a.doc.sections {
            // End on the section's last non-blank line.
            let body = a.text[s.heading.start..s.end].trim_end();
            push(s.heading.start, s.heading.start + body.len());
        }
        for f in &a.doc.fences {
            let block = a.text[f.span.clone()].trim_end();
            push(f.span.start, f.span.start + block.len());
        }
        Some(out)
    })
}
