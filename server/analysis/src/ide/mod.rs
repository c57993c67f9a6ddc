//! IDE features as plain data: what a hover on a section or a reference says, computed from
//! the model, the workspace and the configuration. The server only converts the answer to
//! protocol types (see ARCHITECTURE.md).

pub mod actions;
pub mod at_cursor;
pub mod completion;
pub mod folding;
pub mod hover;
pub mod inlay;
pub mod lenses;
pub mod links;
pub mod overview;
pub mod references;
pub mod rename;
pub mod selection;
pub mod symbols;

/// Whether `span` lies inside one of `sorted` (spans sorted by start, not overlapping): a
/// binary search, so that checking every `@mention` of a large board against its
/// assignments stays linear.
pub(crate) fn covered(sorted: &[crate::document::Span], span: &crate::document::Span) -> bool {
    let at = sorted.partition_point(|s| s.start <= span.start);
    at > 0 && span.end <= sorted[at - 1].end
}
