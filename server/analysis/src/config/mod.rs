//! `prp-lsp.toml`: which files are which documents, profiles, rule severities, agents.
//!
//! Parsing is pure (text in); finding and reading the file is the caller's business. The
//! editor's settings use the same shape and are layered on top with [`RawConfig::merge`].

pub mod error;
pub mod gates;
pub mod generate;
pub mod status;

use std::collections::BTreeMap;

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::diagnostic::Severity;
use crate::document::DocKind;
use crate::orchestrator::OrchestratorConfig;
use crate::profile::{builtin_profiles, Profile, Requirement, SynonymTable};
use crate::rules::registry::Rule;
pub use error::ConfigError;

/// A rule's configured level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Info,
    Hint,
    Off,
}

impl Level {
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Error => Some(Severity::Error),
            Level::Warning => Some(Severity::Warning),
            Level::Info => Some(Severity::Info),
            Level::Hint => Some(Severity::Hint),
            Level::Off => None,
        }
    }
}

/// The file as written. Every field is optional so editor settings can be a partial overlay.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RawConfig {
    pub documents: RawDocuments,
    pub rules: BTreeMap<String, Level>,
    pub profiles: BTreeMap<String, RawProfile>,
    pub synonyms: BTreeMap<String, Vec<String>>,
    #[serde(rename = "profile-rules", alias = "profile_rules")]
    pub profile_rules: Vec<RawProfileRule>,
    pub agents: RawAgents,
    /// Path (workspace-relative) of an orchestrator's JSON configuration to import.
    #[serde(rename = "orchestrator-config", alias = "orchestrator_config")]
    pub orchestrator_config: Option<String>,
    pub routing: crate::assign::RawRouting,
    pub generate: generate::RawGenerate,
    pub status: status::RawStatus,
    pub gates: gates::RawGates,
    pub limits: RawLimits,
    pub docs: RawDocs,
    #[serde(rename = "inlay-hints", alias = "inlay_hints", alias = "inlayHints")]
    pub inlay_hints: RawInlayHints,
}

/// `[inlay-hints]`: which facts the editor shows inline (each on unless set to false).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawInlayHints {
    /// An agent's state and error rate after its assignments and mentions.
    pub agents: Option<bool>,
    /// A PRP's title, stage and progress after a path to it.
    pub prps: Option<bool>,
    /// The gate verdict after each item of a pre-deployment checklist.
    pub gates: Option<bool>,
}

/// Which inlay hints are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InlayHintKinds {
    pub agents: bool,
    pub prps: bool,
    pub gates: bool,
}

impl Default for InlayHintKinds {
    fn default() -> Self {
        InlayHintKinds {
            agents: true,
            prps: true,
            gates: true,
        }
    }
}

/// `[docs]`: where the rule pages are published, so that editors link each finding's code
/// to its page (`codeDescription`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawDocs {
    /// Base URL of the pages: a code's page is `<rules-url>/<code>.md`.
    pub rules_url: Option<String>,
}

/// `[limits]`: where analysis stops doing work that grows with what a document refers to.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawLimits {
    /// Above this size a document gets its structural checks only (default 5 MB).
    pub document_size: Option<Size>,
}

/// A size in bytes, or written with a unit: `"5 MB"`, `"512KB"`, `"1.5MiB"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "SizeValue")]
pub struct Size(pub usize);

#[derive(Deserialize)]
#[serde(untagged)]
enum SizeValue {
    Bytes(u64),
    Written(String),
}

impl TryFrom<SizeValue> for Size {
    type Error = String;

    fn try_from(value: SizeValue) -> Result<Size, String> {
        match value {
            SizeValue::Bytes(n) => Ok(Size(usize::try_from(n).unwrap_or(usize::MAX))),
            SizeValue::Written(text) => Size::parse(&text).ok_or_else(|| {
                format!("`{text}` is not a size: write bytes (5000000) or a number with KB, MB or GB (\"5 MB\")")
            }),
        }
    }
}

impl Size {
    /// Decimal units as written by people (`KB`, `MB`, `GB`) and binary ones (`KiB`, …).
    pub fn parse(text: &str) -> Option<Size> {
        let text = text.trim();
        let split = text
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(text.len());
        let (number, unit) = text.split_at(split);
        let number: f64 = number.parse().ok()?;
        let factor: f64 = match unit.trim().to_ascii_lowercase().as_str() {
            "" | "b" => 1.0,
            "kb" | "k" => 1e3,
            "mb" | "m" => 1e6,
            "gb" | "g" => 1e9,
            "kib" => 1024.0,
            "mib" => 1024.0 * 1024.0,
            "gib" => 1024.0 * 1024.0 * 1024.0,
            _ => return None,
        };
        let bytes = number * factor;
        (bytes.is_finite() && bytes >= 0.0).then(|| Size(bytes.min(usize::MAX as f64) as usize))
    }
}

/// The effective `[limits]`.
#[derive(Debug, Clone)]
pub struct Limits {
    pub document_size: usize,
}

impl Limits {
    pub const DEFAULT_DOCUMENT_SIZE: usize = 5_000_000;
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            document_size: Self::DEFAULT_DOCUMENT_SIZE,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RawDocuments {
    pub prp: Option<Vec<String>>,
    #[serde(rename = "task-board", alias = "task_board")]
    pub task_board: Option<Vec<String>>,
    pub agents: Option<Vec<String>>,
    pub exclude: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RawProfile {
    pub description: Option<String>,
    /// Each entry a canonical section name, or `A | B` for alternatives.
    pub required: Option<Vec<String>>,
    pub optional: Option<Vec<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProfileRule {
    pub glob: String,
    pub profile: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RawAgents {
    /// Folders holding agent context files.
    pub directories: Option<Vec<String>>,
}

impl RawConfig {
    /// Parses `prp-lsp.toml`. The error carries the byte range of the offending text.
    pub fn from_toml(text: &str) -> Result<RawConfig, ConfigError> {
        toml::from_str(text).map_err(|e| ConfigError {
            message: e.message().to_string(),
            span: e.span(),
        })
    }

    /// Parses the editor's settings object (same shape as the file).
    pub fn from_json(value: serde_json::Value) -> Result<RawConfig, ConfigError> {
        serde_json::from_value(value).map_err(|e| ConfigError {
            message: e.to_string(),
            span: None,
        })
    }

    /// Layers `overlay` on top of `self`: maps merge key by key, other set values replace.
    pub fn merge(mut self, overlay: RawConfig) -> RawConfig {
        self.rules.extend(overlay.rules);
        self.profiles.extend(overlay.profiles);
        for (k, v) in overlay.synonyms {
            self.synonyms.entry(k).or_default().extend(v);
        }
        self.profile_rules.extend(overlay.profile_rules);
        let d = overlay.documents;
        self.documents.prp = d.prp.or(self.documents.prp);
        self.documents.task_board = d.task_board.or(self.documents.task_board);
        self.documents.agents = d.agents.or(self.documents.agents);
        self.documents.exclude = d.exclude.or(self.documents.exclude);
        self.agents.directories = overlay.agents.directories.or(self.agents.directories);
        self.orchestrator_config = overlay.orchestrator_config.or(self.orchestrator_config);
        self.routing = self.routing.merge(overlay.routing);
        self.generate = self.generate.merge(overlay.generate);
        self.status = self.status.merge(overlay.status);
        self.gates = self.gates.merge(overlay.gates);
        self.limits.document_size = overlay.limits.document_size.or(self.limits.document_size);
        self.docs.rules_url = overlay.docs.rules_url.or(self.docs.rules_url);
        let (h, o) = (&mut self.inlay_hints, overlay.inlay_hints);
        h.agents = o.agents.or(h.agents);
        h.prps = o.prps.or(h.prps);
        h.gates = o.gates.or(h.gates);
        self
    }
}

/// The effective configuration, compiled for use.
#[derive(Debug, Clone)]
pub struct Config {
    pub documents: DocumentSelection,
    pub levels: BTreeMap<Rule, Level>,
    pub profiles: Vec<Profile>,
    pub synonyms: SynonymTable,
    pub profile_rules: Vec<(GlobSet, String)>,
    pub agent_directories: Vec<String>,
    pub orchestrator_path: Option<String>,
    /// The imported orchestrator configuration, once the caller has read and parsed it
    /// ([`Config::set_orchestrator`]: the settings compiled from it follow).
    orchestrator: Option<OrchestratorConfig>,
    /// `[status]` layered over the orchestrator's thresholds, compiled once.
    status_settings: status::StatusSettings,
    pub routing: crate::assign::Routing,
    pub generate: generate::RawGenerate,
    pub status: status::RawStatus,
    pub gates: gates::Gates,
    pub limits: Limits,
    /// Base URL of the rule pages (`[docs] rules-url`), without a trailing `/`.
    pub rules_url: Option<String>,
    pub inlay_hints: InlayHintKinds,
    /// Problems with single keys that disable only what they configure (a `[generate]
    /// folder` outside the workspace stops generation, not the rules); reported as
    /// `invalid-config` by the owner.
    pub problems: Vec<ConfigError>,
}

/// Whether a configured path could name something outside the workspace: absolute, a drive
/// letter, or any `..` component. Such paths are refused before anything is read or written.
pub fn leaves_workspace(path: &str) -> bool {
    path.starts_with(['/', '\\'])
        || path.get(1..2) == Some(":")
        || path.split(['/', '\\']).any(|c| c == "..")
}

/// `[docs] rules-url`, checked: an `http`/`https` URL (editors open it when the code of a
/// finding is clicked).
fn rules_url(raw: &RawDocs) -> Result<Option<String>, ConfigError> {
    let Some(url) = raw.rules_url.as_deref().map(str::trim) else {
        return Ok(None);
    };
    // `get`, not slicing: the value comes from the repository and may hold any character.
    let scheme_ok = ["https://", "http://"].iter().any(|scheme| {
        url.len() > scheme.len()
            && url
                .get(..scheme.len())
                .is_some_and(|s| s.eq_ignore_ascii_case(scheme))
    });
    if !scheme_ok || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(ConfigError {
            message: format!(
                "[docs] rules-url `{url}` is not an http(s) URL (e.g. `https://example.com/prp-lsp/docs/rules`)"
            ),
            span: None,
        });
    }
    Ok(Some(url.trim_end_matches('/').to_string()))
}

impl Config {
    /// The imported orchestrator configuration.
    pub fn orchestrator(&self) -> Option<&OrchestratorConfig> {
        self.orchestrator.as_ref()
    }

    /// Attaches the orchestrator configuration the caller read; what is compiled from it
    /// (status thresholds, agents' timeouts) is compiled again.
    pub fn set_orchestrator(&mut self, orchestrator: Option<OrchestratorConfig>) {
        self.orchestrator = orchestrator;
        self.status_settings =
            status::StatusSettings::compile(&self.status, self.orchestrator.as_ref());
    }

    /// Agent status sources and thresholds, compiled once.
    pub fn status_settings(&self) -> &status::StatusSettings {
        &self.status_settings
    }

    /// The page documenting `rule`, when `[docs] rules-url` says where the pages are.
    pub fn rule_page_url(&self, rule: Rule) -> Option<String> {
        self.rules_url
            .as_ref()
            .map(|base| format!("{base}/{}.md", rule.code()))
    }
}

impl Default for Config {
    fn default() -> Self {
        Config::from_raw(&RawConfig::default()).expect("the built-in configuration is valid")
    }
}

impl Config {
    /// Compiles a raw configuration. Unknown rule codes, profiles and bad globs are errors.
    pub fn from_raw(raw: &RawConfig) -> Result<Config, ConfigError> {
        let mut levels = BTreeMap::new();
        for (code, level) in &raw.rules {
            let rule = Rule::from_code(code).ok_or_else(|| ConfigError {
                message: format!(
                    "unknown rule `{code}` in [rules]; known rules: {}",
                    Rule::ALL
                        .iter()
                        .map(|r| r.code())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                span: None,
            })?;
            levels.insert(rule, *level);
        }
        let mut synonyms = SynonymTable::builtin();
        for (canonical, names) in &raw.synonyms {
            synonyms.add(canonical, names.iter().map(String::as_str));
        }
        let mut profiles = builtin_profiles();
        for (name, p) in &raw.profiles {
            // A requirement names at least one section; an empty one could never be met
            // and has no name to report.
            let parse_reqs = |list: &Vec<String>| -> Result<Vec<Requirement>, ConfigError> {
                list.iter()
                    .map(|r| {
                        let names: Vec<String> = r
                            .split('|')
                            .map(|s| s.trim().to_string())
                            .filter(|s| !s.is_empty())
                            .collect();
                        if names.is_empty() {
                            return Err(ConfigError {
                                message: format!("[profiles.{name}] required has an entry `{r}` that names no section; write a section name (alternatives separated by `|`) or remove it"),
                                span: None,
                            });
                        }
                        Ok(Requirement(names))
                    })
                    .collect()
            };
            match profiles.iter_mut().find(|existing| &existing.name == name) {
                Some(existing) => {
                    if let Some(required) = &p.required {
                        existing.required = parse_reqs(required)?;
                    }
                    if let Some(optional) = &p.optional {
                        existing.optional = optional.clone();
                    }
                    if let Some(d) = &p.description {
                        existing.description = d.clone();
                    }
                }
                None => profiles.push(Profile {
                    name: name.clone(),
                    description: p
                        .description
                        .clone()
                        .unwrap_or_else(|| format!("profile `{name}` from prp-lsp.toml")),
                    required: p
                        .required
                        .as_ref()
                        .map(parse_reqs)
                        .transpose()?
                        .unwrap_or_default(),
                    optional: p.optional.clone().unwrap_or_default(),
                }),
            }
        }
        let mut profile_rules = Vec::new();
        for rule in &raw.profile_rules {
            if !profiles.iter().any(|p| p.name == rule.profile) {
                return Err(ConfigError {
                    message: format!("profile-rules names unknown profile `{}`", rule.profile),
                    span: None,
                });
            }
            profile_rules.push((
                glob_set(std::slice::from_ref(&rule.glob))?,
                rule.profile.clone(),
            ));
        }
        let d = &raw.documents;
        let documents = DocumentSelection {
            prp: d.prp.as_deref().map(glob_set).transpose()?,
            task_board: d.task_board.as_deref().map(glob_set).transpose()?,
            agents: d.agents.as_deref().map(glob_set).transpose()?,
            exclude: d.exclude.as_deref().map(glob_set).transpose()?,
        };
        Ok(Config {
            documents,
            levels,
            profiles,
            synonyms,
            profile_rules,
            agent_directories: raw
                .agents
                .directories
                .clone()
                .unwrap_or_else(|| vec!["agent_contexts".to_string()]),
            orchestrator_path: raw.orchestrator_config.clone(),
            orchestrator: None,
            status_settings: status::StatusSettings::compile(&raw.status, None),
            routing: crate::assign::Routing::compile(&raw.routing)?,
            generate: raw.generate.clone(),
            status: raw.status.clone().checked()?,
            gates: gates::Gates::compile(&raw.gates)?,
            limits: Limits {
                document_size: raw
                    .limits
                    .document_size
                    .map_or(Limits::DEFAULT_DOCUMENT_SIZE, |s| s.0),
            },
            rules_url: rules_url(&raw.docs)?,
            inlay_hints: InlayHintKinds {
                agents: raw.inlay_hints.agents.unwrap_or(true),
                prps: raw.inlay_hints.prps.unwrap_or(true),
                gates: raw.inlay_hints.gates.unwrap_or(true),
            },
            problems: raw
                .generate
                .folder_problem()
                .map(|message| ConfigError {
                    message,
                    span: None,
                })
                .into_iter()
                .collect(),
        })
    }

    /// Effective severity of a rule, `None` when off.
    pub fn severity(&self, rule: Rule) -> Option<Severity> {
        match self.levels.get(&rule) {
            Some(level) => level.severity(),
            None => Some(rule.default_severity()),
        }
    }

    /// A finding made outside the rules' pass (by the binary: configuration, evidence,
    /// encoding) at its configured level; `None` when its rule is off.
    pub fn configured(&self, mut d: crate::Diagnostic) -> Option<crate::Diagnostic> {
        d.severity = self.severity(d.rule)?;
        Some(d)
    }

    pub fn profile(&self, name: &str) -> Option<&Profile> {
        self.profiles.iter().find(|p| p.name == name)
    }

    /// Profile forced on a path by `[[profile-rules]]`.
    pub fn profile_for_path(&self, path: &str) -> Option<&str> {
        self.profile_rules
            .iter()
            .find(|(set, _)| set.is_match(path))
            .map(|(_, name)| name.as_str())
    }
}

fn glob_set(patterns: &[String]) -> Result<GlobSet, ConfigError> {
    let mut builder = GlobSetBuilder::new();
    for p in patterns {
        let glob = Glob::new(p).map_err(|e| ConfigError {
            message: format!("invalid glob `{p}`: {e}"),
            span: None,
        })?;
        builder.add(glob);
    }
    builder.build().map_err(|e| ConfigError {
        message: e.to_string(),
        span: None,
    })
}

/// Configured globs for each document kind; `None` means the built-in rules decide.
#[derive(Debug, Clone, Default)]
pub struct DocumentSelection {
    pub prp: Option<GlobSet>,
    pub task_board: Option<GlobSet>,
    pub agents: Option<GlobSet>,
    pub exclude: Option<GlobSet>,
}

impl DocumentSelection {
    pub fn is_excluded(&self, path: &str) -> bool {
        self.exclude.as_ref().is_some_and(|g| g.is_match(path))
    }

    /// The kind the configured globs give a path; `None` when no configured glob decides.
    pub fn configured_kind(&self, path: &str) -> Option<DocKind> {
        let matches = |g: &Option<GlobSet>| g.as_ref().is_some_and(|g| g.is_match(path));
        if matches(&self.task_board) {
            return Some(DocKind::TaskBoard);
        }
        if matches(&self.agents) {
            return Some(DocKind::Agent);
        }
        if matches(&self.prp) {
            return Some(DocKind::Prp);
        }
        // A configured PRP glob replaces the built-in PRP rule.
        if self.prp.is_some() && path.split('/').any(|c| c.eq_ignore_ascii_case("prps")) {
            return Some(DocKind::Other);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_pages_link_only_to_web_urls() {
        let compile = |toml: &str| Config::from_raw(&RawConfig::from_toml(toml).unwrap());
        let config = compile("[docs]\nrules-url = \"https://example.com/docs/rules/\"").unwrap();
        assert_eq!(
            config.rule_page_url(Rule::MissingSection).as_deref(),
            Some("https://example.com/docs/rules/missing-section.md")
        );
        assert_eq!(Config::default().rule_page_url(Rule::MissingSection), None);
        for bad in [
            "file:///etc/passwd",
            "javascript:alert(1)",
            "https://",
            "https://a b",
            "docs/rules",
            // Once a panic: the scheme was cut inside the `é`.
            "https:/éx.test",
        ] {
            let err = compile(&format!("[docs]\nrules-url = \"{bad}\"")).unwrap_err();
            assert!(err.message.contains("rules-url"), "{bad}: {}", err.message);
        }
    }

    #[test]
    fn severities_and_unknown_rules() {
        let raw =
            RawConfig::from_toml("[rules]\nmissing-section = \"error\"\nabsolute-path = \"off\"\n")
                .unwrap();
        let config = Config::from_raw(&raw).unwrap();
        assert_eq!(config.severity(Rule::MissingSection), Some(Severity::Error));
        assert_eq!(config.severity(Rule::AbsolutePath), None);
        let bad = RawConfig::from_toml("[rules]\nno-such-rule = \"error\"\n").unwrap();
        assert!(Config::from_raw(&bad)
            .unwrap_err()
            .message
            .contains("no-such-rule"));
    }

    #[test]
    fn syntax_errors_carry_a_span() {
        let err = RawConfig::from_toml("[rules\n").unwrap_err();
        assert!(err.span.is_some());
        let err = RawConfig::from_toml("[rules]\nmissing-section = \"loud\"\n").unwrap_err();
        assert!(
            err.message.contains("loud") || err.message.contains("variant"),
            "{}",
            err.message
        );
    }

    #[test]
    fn profiles_can_be_added_and_overlays_merge() {
        let raw = RawConfig::from_toml("[profiles.rfc]\nrequired = [\"Summary\", \"Goal | Why\"]\n[[profile-rules]]\nglob = \"PRPs/rfc/**\"\nprofile = \"rfc\"\n").unwrap();
        let overlay =
            RawConfig::from_json(serde_json::json!({"rules": {"missing-section": "hint"}}))
                .unwrap();
        let config = Config::from_raw(&raw.merge(overlay)).unwrap();
        assert_eq!(
            config.profile("rfc").unwrap().required[1].0,
            vec!["Goal", "Why"]
        );
        assert_eq!(config.profile_for_path("PRPs/rfc/01_x.md"), Some("rfc"));
        assert_eq!(config.severity(Rule::MissingSection), Some(Severity::Hint));
    }

    #[test]
    fn a_required_entry_naming_no_section_is_a_config_error() {
        // Found by the config fuzz target: `required = ["Goal", ""]` once divided by zero.
        for required in [r#"["Goal", ""]"#, r#"["Goal", " | "]"#] {
            for profile in ["base", "mine"] {
                let toml = format!("[profiles.{profile}]\nrequired = {required}\n");
                let raw = RawConfig::from_toml(&toml).unwrap();
                let err = Config::from_raw(&raw).unwrap_err();
                assert!(err.message.contains("names no section"), "{}", err.message);
            }
        }
    }
}
