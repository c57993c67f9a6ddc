//! Quality gates: the evidence ordinary tools write (JUnit, LCOV, Cobertura, coverage JSON,
//! SARIF, benchmark results, DEV_LOG.md, review records), each gate's verdict for a PRP, and
//! the deployment decision.

use serde::Deserialize;

/// `[gates]` in prp-lsp.toml.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RawGates {}

impl RawGates {
    /// Layers editor settings (`overlay`) over the file's values.
    pub fn merge(self, overlay: RawGates) -> RawGates {
        let _ = overlay;
        self
    }
}
