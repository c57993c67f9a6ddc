//! Generating a PRP from a requirement: the requirement's sources, its analysis, the next
//! free number, the file name in the workspace's style, and the body from a template.

use serde::Deserialize;

/// `[generate]` in prp-lsp.toml.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RawGenerate {}

impl RawGenerate {
    /// Layers editor settings (`overlay`) over the file's values.
    pub fn merge(self, overlay: RawGenerate) -> RawGenerate {
        let _ = overlay;
        self
    }
}
