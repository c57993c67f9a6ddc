//! `[generate]` of prp-lsp.toml as written: where generated PRPs go and from what template.

use std::collections::BTreeMap;

use serde::Deserialize;

const DEFAULT_TEMPLATE: &str = "PRPs/templates/prp_base.md";
pub(crate) const DEFAULT_PROFILE: &str = "base";

/// `[generate]` in prp-lsp.toml.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawGenerate {
    /// The workspace's PRP template (default `PRPs/templates/prp_base.md`).
    pub template: Option<String>,
    /// Profile of the built-in template used when there is no workspace template.
    pub profile: Option<String>,
    /// Where new PRPs go (default `PRPs/active`).
    pub folder: Option<String>,
    /// Append the orchestrator's parts (pre-implementation, tasks, testing, rollback, the
    /// pre-deployment checklist) to a workspace template that lacks them (default true).
    pub seed_sections: Option<bool>,
    /// Module → the words that point at it; adds to or replaces [`DEFAULT_MODULES`].
    pub modules: BTreeMap<String, Vec<String>>,
    pub complexity: RawComplexity,
}

/// `[generate.complexity]`: the score (modules + one per three acceptance criteria) at
/// which each size begins.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RawComplexity {
    pub m: Option<u32>,
    pub l: Option<u32>,
    pub xl: Option<u32>,
}

impl RawGenerate {
    /// Layers editor settings (`overlay`) over the file's values.
    pub fn merge(mut self, overlay: RawGenerate) -> RawGenerate {
        self.template = overlay.template.or(self.template);
        self.profile = overlay.profile.or(self.profile);
        self.folder = overlay.folder.or(self.folder);
        self.seed_sections = overlay.seed_sections.or(self.seed_sections);
        self.modules.extend(overlay.modules);
        self.complexity = RawComplexity {
            m: overlay.complexity.m.or(self.complexity.m),
            l: overlay.complexity.l.or(self.complexity.l),
            xl: overlay.complexity.xl.or(self.complexity.xl),
        };
        self
    }

    pub fn seed_sections(&self) -> bool {
        self.seed_sections.unwrap_or(true)
    }

    pub fn template(&self) -> &str {
        self.template.as_deref().unwrap_or(DEFAULT_TEMPLATE)
    }

    pub fn profile(&self) -> &str {
        self.profile.as_deref().unwrap_or(DEFAULT_PROFILE)
    }

    /// Why the configured folder cannot be used: new PRPs are written only inside the
    /// workspace.
    pub fn folder_problem(&self) -> Option<String> {
        let folder = self.folder.as_deref()?;
        super::leaves_workspace(folder).then(|| {
            format!(
                "[generate] folder `{folder}` is outside the workspace; prp-lsp writes new PRPs only inside it (give a relative folder without `..`, e.g. \"PRPs/active\")"
            )
        })
    }
}
