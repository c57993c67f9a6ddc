//! `[gates]` of prp-lsp.toml: which pre-deployment gates apply, where their evidence is
//! and the coverage threshold; compiled once into the globs evaluation matches.

use std::collections::BTreeMap;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::{Deserialize, Serialize};

use super::error::ConfigError;

/// A pre-deployment gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Gate {
    Tasks,
    CodeReview,
    UnitTests,
    Coverage,
    IntegrationTests,
    E2eTests,
    Performance,
    Security,
    Documentation,
    DevLog,
}

impl Gate {
    pub const ALL: [Gate; 10] = [
        Gate::Tasks,
        Gate::CodeReview,
        Gate::UnitTests,
        Gate::Coverage,
        Gate::IntegrationTests,
        Gate::E2eTests,
        Gate::Performance,
        Gate::Security,
        Gate::Documentation,
        Gate::DevLog,
    ];

    /// The name in prp-lsp.toml and JSON output.
    pub fn code(self) -> &'static str {
        match self {
            Gate::Tasks => "tasks",
            Gate::CodeReview => "code-review",
            Gate::UnitTests => "unit-tests",
            Gate::Coverage => "coverage",
            Gate::IntegrationTests => "integration-tests",
            Gate::E2eTests => "e2e-tests",
            Gate::Performance => "performance",
            Gate::Security => "security",
            Gate::Documentation => "documentation",
            Gate::DevLog => "dev-log",
        }
    }

    /// How people write it.
    pub fn label(self) -> &'static str {
        match self {
            Gate::Tasks => "tasks",
            Gate::CodeReview => "code review",
            Gate::UnitTests => "unit tests",
            Gate::Coverage => "coverage",
            Gate::IntegrationTests => "integration tests",
            Gate::E2eTests => "e2e tests",
            Gate::Performance => "performance",
            Gate::Security => "security",
            Gate::Documentation => "documentation",
            Gate::DevLog => "dev log",
        }
    }

    /// Whether the gate's evidence is the result of a run, which a later change of the PRP
    /// makes stale.
    pub(crate) fn goes_stale(self) -> bool {
        matches!(
            self,
            Gate::UnitTests
                | Gate::Coverage
                | Gate::IntegrationTests
                | Gate::E2eTests
                | Gate::Performance
                | Gate::Security
        )
    }
}

const DEFAULT_UNIT: &[&str] = &[
    "**/junit*.xml",
    "**/test-results/**/*.xml",
    "**/reports/unit*.xml",
];
const DEFAULT_INTEGRATION: &[&str] = &[
    "**/integration*.xml",
    "**/test-results/integration/**/*.xml",
    "**/reports/integration*.xml",
];
const DEFAULT_E2E: &[&str] = &[
    "**/e2e*.xml",
    "**/test-results/e2e/**/*.xml",
    "**/reports/e2e*.xml",
    "**/playwright-report/results.xml",
];
const DEFAULT_COVERAGE: &[&str] = &[
    "**/lcov.info",
    "**/coverage.xml",
    "**/cobertura*.xml",
    "**/coverage-summary.json",
    "**/coverage.json",
];
const DEFAULT_PERFORMANCE: &[&str] = &[
    "**/benchmarks/**/*.json",
    "**/benchmark-results*.json",
    "**/bench-results*.json",
];
const DEFAULT_SECURITY: &[&str] = &["**/*.sarif", "**/*.sarif.json"];
const DEFAULT_DOCUMENTATION: &[&str] = &["README.md", "docs/**/*.md", "CHANGELOG.md"];
const DEFAULT_DEV_LOG: &str = "DEV_LOG.md";
const DEFAULT_DEPLOYMENTS: &[&str] = &["**/deployments.jsonl"];
pub(crate) const DEFAULT_THRESHOLD: f64 = 0.90;

/// `[gates]` in prp-lsp.toml.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawGates {
    /// Which gates apply (default: all).
    pub gates: Option<Vec<Gate>>,
    pub unit_tests: Option<Vec<String>>,
    pub integration_tests: Option<Vec<String>>,
    pub e2e_tests: Option<Vec<String>>,
    pub coverage: Option<Vec<String>>,
    /// Minimum line coverage, a fraction (0.9) or a percentage (90).
    pub coverage_threshold: Option<f64>,
    pub performance: Option<Vec<String>>,
    pub security: Option<Vec<String>>,
    /// A review record: a file or a glob of files.
    pub review: Option<String>,
    pub documentation: Option<Vec<String>>,
    pub dev_log: Option<String>,
    /// Deployment records (JSON Lines the pipeline appends to).
    pub deployments: Option<Vec<String>>,
}

impl RawGates {
    /// Layers editor settings (`overlay`) over the file's values.
    pub fn merge(self, overlay: RawGates) -> RawGates {
        RawGates {
            gates: overlay.gates.or(self.gates),
            unit_tests: overlay.unit_tests.or(self.unit_tests),
            integration_tests: overlay.integration_tests.or(self.integration_tests),
            e2e_tests: overlay.e2e_tests.or(self.e2e_tests),
            coverage: overlay.coverage.or(self.coverage),
            coverage_threshold: overlay.coverage_threshold.or(self.coverage_threshold),
            performance: overlay.performance.or(self.performance),
            security: overlay.security.or(self.security),
            review: overlay.review.or(self.review),
            documentation: overlay.documentation.or(self.documentation),
            dev_log: overlay.dev_log.or(self.dev_log),
            deployments: overlay.deployments.or(self.deployments),
        }
    }
}

/// Globs compiled for matching workspace-relative paths.
#[derive(Debug, Clone)]
struct Globs {
    patterns: Vec<String>,
    set: GlobSet,
}

impl Globs {
    fn new(patterns: Vec<String>) -> Result<Globs, ConfigError> {
        let mut builder = GlobSetBuilder::new();
        for p in &patterns {
            // `*` stays within one folder, as in a shell.
            let glob = GlobBuilder::new(p)
                .literal_separator(true)
                .build()
                .map_err(|e| ConfigError {
                    message: format!("invalid glob `{p}` in [gates]: {e}"),
                    span: None,
                })?;
            builder.add(glob);
        }
        let set = builder.build().map_err(|e| ConfigError {
            message: e.to_string(),
            span: None,
        })?;
        Ok(Globs { patterns, set })
    }

    fn is_match(&self, path: &str) -> bool {
        self.set.is_match(path)
    }
}

/// The effective `[gates]` settings.
#[derive(Debug, Clone)]
pub struct Gates {
    /// The gates that decide deployment, in [`Gate::ALL`] order.
    pub enabled: Vec<Gate>,
    /// Threshold from prp-lsp.toml, as a fraction; see [`Gates::coverage_threshold`].
    pub(crate) threshold: Option<f64>,
    evidence: BTreeMap<Gate, Globs>,
    deployments: Globs,
}

impl Default for Gates {
    fn default() -> Self {
        Gates::compile(&RawGates::default()).expect("the built-in gates are valid")
    }
}

fn patterns(configured: &Option<Vec<String>>, default: &[&str]) -> Vec<String> {
    configured
        .clone()
        .unwrap_or_else(|| default.iter().map(|s| s.to_string()).collect())
}

/// A threshold written as a fraction (0.9) or a percentage (90), as a fraction.
pub(crate) fn threshold_fraction(value: f64) -> Option<f64> {
    match value {
        v if v > 0.0 && v <= 1.0 => Some(v),
        v if v > 1.0 && v <= 100.0 => Some(v / 100.0),
        _ => None,
    }
}

impl Gates {
    pub fn compile(raw: &RawGates) -> Result<Gates, ConfigError> {
        let mut enabled = raw.gates.clone().unwrap_or_else(|| Gate::ALL.to_vec());
        enabled.sort();
        enabled.dedup();
        let threshold = raw
            .coverage_threshold
            .map(|v| {
                threshold_fraction(v).ok_or_else(|| ConfigError {
                    message: format!(
                        "coverage-threshold {v} in [gates] must be a fraction (0.9) or a percentage (90)"
                    ),
                    span: None,
                })
            })
            .transpose()?;
        let mut evidence = BTreeMap::new();
        let mut add = |gate, list: Vec<String>| -> Result<(), ConfigError> {
            evidence.insert(gate, Globs::new(list)?);
            Ok(())
        };
        add(Gate::UnitTests, patterns(&raw.unit_tests, DEFAULT_UNIT))?;
        add(
            Gate::IntegrationTests,
            patterns(&raw.integration_tests, DEFAULT_INTEGRATION),
        )?;
        add(Gate::E2eTests, patterns(&raw.e2e_tests, DEFAULT_E2E))?;
        add(Gate::Coverage, patterns(&raw.coverage, DEFAULT_COVERAGE))?;
        add(
            Gate::Performance,
            patterns(&raw.performance, DEFAULT_PERFORMANCE),
        )?;
        add(Gate::Security, patterns(&raw.security, DEFAULT_SECURITY))?;
        add(
            Gate::Documentation,
            patterns(&raw.documentation, DEFAULT_DOCUMENTATION),
        )?;
        add(Gate::CodeReview, raw.review.clone().into_iter().collect())?;
        add(
            Gate::DevLog,
            vec![raw
                .dev_log
                .clone()
                .unwrap_or_else(|| DEFAULT_DEV_LOG.to_string())],
        )?;
        Ok(Gates {
            enabled,
            threshold,
            evidence,
            deployments: Globs::new(patterns(&raw.deployments, DEFAULT_DEPLOYMENTS))?,
        })
    }

    /// Whether `path` is a deployment record.
    pub fn is_deployment_record(&self, path: &str) -> bool {
        self.deployments.is_match(path)
    }

    pub fn is_enabled(&self, gate: Gate) -> bool {
        self.enabled.contains(&gate)
    }

    /// The configured globs of a gate's evidence files.
    pub fn patterns(&self, gate: Gate) -> &[String] {
        self.evidence
            .get(&gate)
            .map(|g| g.patterns.as_slice())
            .unwrap_or_default()
    }

    /// Whether `path` is evidence for `gate`. The broad test globs also match files that
    /// belong elsewhere: integration and e2e results are not unit tests, and a coverage
    /// report in a test-results folder is not a test report.
    pub fn matches(&self, gate: Gate, path: &str) -> bool {
        let hit = |g: Gate| {
            self.evidence
                .get(&g)
                .is_some_and(|globs| globs.is_match(path))
        };
        let test_gate = matches!(
            gate,
            Gate::UnitTests | Gate::IntegrationTests | Gate::E2eTests
        );
        hit(gate)
            && !(test_gate && hit(Gate::Coverage))
            && !(gate == Gate::UnitTests && (hit(Gate::IntegrationTests) || hit(Gate::E2eTests)))
    }
}
