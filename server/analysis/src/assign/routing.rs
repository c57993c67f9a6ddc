//! The routing configuration: `[routing]` in prp-lsp.toml as written ([`RawRouting`]) and
//! compiled for use ([`Routing`]), plus the rule type the orchestrator import shares.

use std::collections::BTreeMap;

use regex::{Regex, RegexBuilder};
use serde::Deserialize;

use crate::config::ConfigError;
use crate::workspace::normalize_agent_id;

/// `[routing]` in prp-lsp.toml.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RawRouting {
    /// `[[routing.rules]]`, strongest signal, first match first.
    pub rules: Vec<RawRoutingRule>,
    #[serde(rename = "default-agent", alias = "default_agent")]
    pub default_agent: Option<String>,
    /// Agent → extra keywords, added to the built-in keyword table.
    pub keywords: BTreeMap<String, Vec<String>>,
    /// Module → agent, for modules whose agent is not named after them.
    pub modules: BTreeMap<String, String>,
}

/// `{ pattern = "(?i)stripe|payment", agent = "backend" }` (or `agents = [..]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRoutingRule {
    pub pattern: String,
    pub agent: Option<String>,
    pub agents: Option<Vec<String>>,
}

impl RawRouting {
    /// Layers editor settings (`overlay`) over the file's values: the overlay's rules come
    /// first (so they win), maps merge key by key, a set default agent replaces.
    pub fn merge(mut self, overlay: RawRouting) -> RawRouting {
        let mut rules = overlay.rules;
        rules.append(&mut self.rules);
        self.rules = rules;
        self.default_agent = overlay.default_agent.or(self.default_agent);
        for (agent, words) in overlay.keywords {
            self.keywords.entry(agent).or_default().extend(words);
        }
        self.modules.extend(overlay.modules);
        self
    }
}

/// A regex routing rule and the agents it sends matching tasks to.
#[derive(Debug, Clone)]
pub struct RoutingRule {
    pub pattern: Regex,
    pub agents: Vec<String>,
}

impl PartialEq for RoutingRule {
    fn eq(&self, other: &Self) -> bool {
        self.pattern.as_str() == other.pattern.as_str() && self.agents == other.agents
    }
}

impl RoutingRule {
    /// Compiles a rule; the error names the pattern and what is wrong with it.
    pub fn new(
        pattern: &str,
        agents: Vec<String>,
        case_insensitive: bool,
    ) -> Result<RoutingRule, String> {
        if agents.iter().all(|a| a.trim().is_empty()) {
            return Err(format!("routing rule `{pattern}` names no agent"));
        }
        let pattern = RegexBuilder::new(pattern)
            .case_insensitive(case_insensitive)
            // Bounds what a hostile or careless pattern may cost.
            .size_limit(1 << 20)
            .build()
            .map_err(|e| format!("routing rule `{pattern}` is not a valid regex: {e}"))?;
        Ok(RoutingRule { pattern, agents })
    }
}

/// Keywords that point to a kind of agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeywordRoute {
    /// Matches agents whose id or name contains one of these (normalized).
    pub agent_hints: Vec<String>,
    /// Lowercase words or phrases, matched as whole words (plural and `-ing` forms too).
    pub keywords: Vec<String>,
}

/// The orchestrators' keyword table (spec section 3), extended by `[routing.keywords]`.
const BUILTIN_KEYWORDS: &[(&[&str], &[&str])] = &[
    (
        &["database", "db"],
        &["database", "schema", "migration", "sql"],
    ),
    (
        &["integration"],
        &[
            "google",
            "integration",
            "api client",
            "oauth",
            "webhook",
            "third-party",
        ],
    ),
    (&["test", "qa"], &["test", "e2e", "coverage"]),
    (&["security"], &["security", "vulnerability"]),
    (
        &["devops", "deploy", "infra"],
        &["deploy", "deployment", "ci/cd", "ci", "docker", "pipeline"],
    ),
    (
        &["documentation", "docs"],
        &["docs", "documentation", "readme"],
    ),
    (
        &["frontend"],
        &[
            "frontend",
            "ui",
            "react",
            "component",
            "css",
            "page",
            "button",
            "layout",
            "screen",
            "theme",
            "dark mode",
        ],
    ),
    (&["backend"], &["backend", "api", "endpoint", "server"]),
];

/// `[routing]` compiled: regexes built, names normalized, keyword table complete.
#[derive(Debug, Clone)]
pub struct Routing {
    pub rules: Vec<RoutingRule>,
    pub default_agent: Option<String>,
    pub keywords: Vec<KeywordRoute>,
    /// Normalized module name → agent.
    pub modules: BTreeMap<String, String>,
}

impl Default for Routing {
    fn default() -> Self {
        Routing::compile(&RawRouting::default()).expect("the built-in routing is valid")
    }
}

impl Routing {
    /// Compiles `[routing]`. A bad regex or a rule without an agent is a configuration error.
    pub fn compile(raw: &RawRouting) -> Result<Routing, ConfigError> {
        let rules = raw
            .rules
            .iter()
            .map(|r| {
                let agents = r.agent.iter().chain(r.agents.iter().flatten()).cloned();
                RoutingRule::new(&r.pattern, agents.collect(), false)
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(|message| ConfigError {
                message: format!("[routing] {message}"),
                span: None,
            })?;
        let mut keywords: Vec<KeywordRoute> = BUILTIN_KEYWORDS
            .iter()
            .map(|(hints, words)| KeywordRoute {
                agent_hints: hints.iter().map(|h| h.to_string()).collect(),
                keywords: words.iter().map(|w| w.to_string()).collect(),
            })
            .collect();
        keywords.extend(raw.keywords.iter().map(|(agent, words)| {
            KeywordRoute {
                agent_hints: vec![normalize_agent_id(agent)],
                keywords: words
                    .iter()
                    .map(|w| w.trim().to_lowercase())
                    .filter(|w| !w.is_empty())
                    .collect(),
            }
        }));
        Ok(Routing {
            rules,
            default_agent: raw.default_agent.clone(),
            keywords,
            modules: raw
                .modules
                .iter()
                .map(|(module, agent)| (normalize_agent_id(module), agent.clone()))
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::config::{Config, RawConfig};

    #[test]
    fn routing_section_parses_and_compiles() {
        let raw = RawConfig::from_toml(
            r#"
[routing]
default-agent = "planning"
rules = [
  { pattern = "(?i)stripe|payment", agent = "backend" },
  { pattern = "chart", agents = ["frontend", "design"] },
]
[routing.keywords]
database = ["prisma"]
[routing.modules]
Billing = "backend"
"#,
        )
        .unwrap();
        let config = Config::from_raw(&raw).unwrap();
        let routing = &config.routing;
        assert_eq!(routing.rules.len(), 2);
        assert!(routing.rules[0].pattern.is_match("Add Stripe checkout"));
        assert_eq!(routing.rules[1].agents, ["frontend", "design"]);
        assert_eq!(routing.default_agent.as_deref(), Some("planning"));
        assert_eq!(routing.modules["billing"], "backend");
        let extra = routing.keywords.last().unwrap();
        assert_eq!(
            (extra.agent_hints.as_slice(), extra.keywords.as_slice()),
            (&["database".to_string()][..], &["prisma".to_string()][..])
        );
    }

    #[test]
    fn bad_rules_are_configuration_errors() {
        let bad_regex = RawConfig::from_toml(
            "[routing]\nrules = [{ pattern = \"(unclosed\", agent = \"x\" }]\n",
        )
        .unwrap();
        let err = Config::from_raw(&bad_regex).unwrap_err();
        assert!(err.message.contains("(unclosed"), "{}", err.message);
        let no_agent = RawConfig::from_toml("[routing]\nrules = [{ pattern = \"x\" }]\n").unwrap();
        assert!(Config::from_raw(&no_agent)
            .unwrap_err()
            .message
            .contains("names no agent"));
        assert!(RawConfig::from_toml("[routing]\nagent = \"x\"\n").is_err());
    }

    #[test]
    fn overlay_rules_come_first_and_maps_merge() {
        let file = RawConfig::from_toml(
            "[routing]\ndefault-agent = \"a\"\nrules = [{ pattern = \"file\", agent = \"x\" }]\n[routing.keywords]\nqa = [\"flaky\"]\n",
        )
        .unwrap();
        let overlay = RawConfig::from_json(serde_json::json!({
            "routing": {
                "rules": [{ "pattern": "editor", "agent": "y" }],
                "keywords": { "qa": ["smoke"] },
                "modules": { "web": "frontend" }
            }
        }))
        .unwrap();
        let merged = file.merge(overlay).routing;
        let patterns: Vec<_> = merged.rules.iter().map(|r| r.pattern.as_str()).collect();
        assert_eq!(patterns, ["editor", "file"]);
        assert_eq!(merged.default_agent.as_deref(), Some("a"));
        assert_eq!(merged.keywords["qa"], ["flaky", "smoke"]);
        assert_eq!(merged.modules["web"], "frontend");
    }
}
