//! Agent status: what the orchestrator reports of each agent (status files, a monitoring
//! endpoint, the orchestrator configuration), the thresholds it is judged by, and the alerts
//! shown where agents are assigned or mentioned.

use serde::Deserialize;

/// `[status]` in prp-lsp.toml.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RawStatus {}

impl RawStatus {
    /// Layers editor settings (`overlay`) over the file's values.
    pub fn merge(self, overlay: RawStatus) -> RawStatus {
        let _ = overlay;
        self
    }
}
