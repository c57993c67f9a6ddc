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
pub mod references;
pub mod symbols;
