//! Assigning tasks to agents: routing rules, modules, keywords and scope folders rank the
//! agents for a task, and the assignment is written in the document's own style.

use serde::Deserialize;

/// `[routing]` in prp-lsp.toml.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RawRouting {}

impl RawRouting {
    /// Layers editor settings (`overlay`) over the file's values.
    pub fn merge(self, overlay: RawRouting) -> RawRouting {
        let _ = overlay;
        self
    }
}
