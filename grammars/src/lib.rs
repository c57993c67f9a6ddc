//! The PRP tree-sitter queries, as text, for tools that want to embed them.
//!
//! The queries live in `grammars/queries/<language>/*.scm` so editors can load them from disk
//! (see `grammars/README.md`); this crate only exposes them and tests them.

/// Highlights for the block grammar (`tree-sitter-md`'s `LANGUAGE`, language name `markdown`).
pub const MARKDOWN_HIGHLIGHTS: &str = include_str!("../queries/markdown/highlights.scm");

/// Highlights for the inline grammar (`tree-sitter-md`'s `INLINE_LANGUAGE`, language name
/// `markdown_inline`).
pub const MARKDOWN_INLINE_HIGHLIGHTS: &str =
    include_str!("../queries/markdown_inline/highlights.scm");
