//! Quality gates: the evidence ordinary tools write (JUnit, LCOV, Cobertura, coverage JSON,
//! SARIF, benchmark results, DEV_LOG.md, review records), each gate's verdict for a PRP, and
//! the deployment decision.
//!
//! Pure like the rest of the core: the caller reads the files [`artifact_globs`] names and
//! passes their text with their modification times ([`Artifact`]); [`evaluate`] turns them
//! into a [`GateReport`]. The owner stores reports in the [`Workspace`](crate::Workspace)
//! so that `check` can put the verdicts on the PRP's pre-deployment checklist.
//!
//! Decisions:
//! - A missing artifact is [`Verdict::NoEvidence`], never a failure; both block deployment.
//! - Evidence older than the PRP's latest change is *stale*: it does not prove the current
//!   state, so a stale gate does not count as passing (it keeps its verdict for display).
//!   Only run results go stale (tests, coverage, benchmarks, security scans); a review
//!   record, documentation and the dev log judge the work, not a run of it.
//! - Every coverage report found must meet the threshold (a frontend LCOV and a backend
//!   Cobertura file are two projects, not one average).

pub mod checklist;
mod evaluate;
mod formats;
mod report;

use serde::Serialize;

use crate::config::Config;
use std::sync::OnceLock;

use crate::diagnostic::Diagnostic;
use crate::rules::registry::Rule;

pub(crate) use checklist::{check, has_gate_items};
pub use checklist::{checklist_gates, is_gate_checklist};
pub use evaluate::{evaluate, evaluate_evidence};
pub use formats::{
    parse_benchmarks, parse_coverage, parse_junit, parse_sarif, Benchmark, Coverage, Direction,
    SecurityScan, TestRun,
};
pub use report::matrix_text;

use crate::config::gates::DEFAULT_THRESHOLD;
pub use crate::config::gates::{Gate, Gates, RawGates};

/// The effective coverage threshold (a fraction): prp-lsp.toml's, else the orchestrator
/// configuration's `quality_gates.code_coverage_threshold`, else 0.90.
pub fn coverage_threshold(config: &Config) -> f64 {
    config
        .gates
        .threshold
        .or_else(|| config.orchestrator()?.coverage_threshold)
        .unwrap_or(DEFAULT_THRESHOLD)
}

/// Globs of every file the enabled gates read, for the caller to find and read. Test and
/// coverage reports are usually git-ignored, so the caller must not skip ignored files.
pub fn artifact_globs(config: &Config) -> Vec<String> {
    let gates = &config.gates;
    let mut out: Vec<String> = gates
        .enabled
        .iter()
        .flat_map(|g| gates.patterns(*g).iter().cloned())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Whether an enabled gate reads `path` (workspace-relative).
pub fn is_artifact(config: &Config, path: &str) -> bool {
    let gates = &config.gates;
    gates.enabled.iter().any(|g| gates.matches(*g, path)) || gates.is_deployment_record(path)
}

/// The orchestrator's coverage-drop alert on a coverage result: the message when its lowest
/// coverage is below `[status] coverage-drop` (85% by default), else `None`.
pub fn coverage_drop(coverage: &GateResult, config: &Config) -> Option<String> {
    let measured = coverage
        .measured
        .filter(|_| coverage.gate == Gate::Coverage)?;
    let alert = config.status_settings().thresholds.coverage_drop;
    if measured + 1e-9 >= alert {
        return None;
    }
    let (shown, limit) = crate::figures::percents_compared(measured, alert);
    // The evaluation puts the lowest report first.
    let from = match coverage.evidence.as_slice() {
        [] => String::new(),
        [one] => format!(" in `{one}`"),
        [lowest, ..] => format!(
            " in `{lowest}` (the lowest of {} reports)",
            coverage.evidence.len()
        ),
    };
    Some(format!(
        "coverage dropped to {shown}%{from}, below the {limit}% alert threshold; find what lowered it and add the missing tests"
    ))
}

/// Artifacts that cannot be read as the evidence their gate expects, with the reason; shown
/// on the file itself, whichever PRP's report is being looked at.
pub fn artifact_problems(config: &Config, evidence: &Evidence) -> Vec<(String, String)> {
    let gates = &config.gates;
    let mut problems = Vec::new();
    for a in evidence.artifacts() {
        let reads = |gate: Gate| gates.is_enabled(gate) && gates.matches(gate, &a.path);
        let outcome = if [Gate::UnitTests, Gate::IntegrationTests, Gate::E2eTests]
            .into_iter()
            .any(reads)
        {
            evidence.junit(a).err()
        } else if reads(Gate::Coverage) {
            evidence.coverage(a).err()
        } else if reads(Gate::Performance) {
            evidence.benchmarks(a).err()
        } else if reads(Gate::Security) {
            evidence.sarif(a).err()
        } else {
            None
        };
        if let Some(message) = outcome {
            problems.push((a.path.clone(), message));
        }
        if gates.is_deployment_record(&a.path) {
            for (line, why) in &evidence.deployments(a).problems {
                problems.push((
                    a.path.clone(),
                    format!("line {line} of the deployment record cannot be read: {why}"),
                ));
            }
        }
    }
    problems
}

/// A file read for the gates: workspace-relative path, text, modification time (unix
/// seconds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    pub path: String,
    pub text: String,
    pub modified: i64,
}

/// The evidence files of a workspace, each parsed at most once in each format however many
/// PRPs are evaluated against it (reports are large; PRPs with checklists are many).
#[derive(Debug, Default)]
pub struct Evidence {
    artifacts: Vec<Artifact>,
    /// Per path: where the artifact is in `artifacts`, and what was parsed of it.
    parsed: std::collections::HashMap<String, (usize, std::sync::Arc<Parsed>)>,
    /// Every deployment of the records and DEV_LOGs, indexed by PRP, with the paths it was
    /// built from (another configuration may name other files).
    deployment_index: std::sync::Mutex<
        Option<(
            Vec<String>,
            std::sync::Arc<crate::delivery::DeploymentIndex>,
        )>,
    >,
}

#[derive(Debug, Default)]
struct Parsed {
    junit: OnceLock<Result<TestRun, String>>,
    coverage: OnceLock<Result<Coverage, String>>,
    benchmarks: OnceLock<Result<Vec<Benchmark>, String>>,
    sarif: OnceLock<Result<SecurityScan, String>>,
    deployments: OnceLock<crate::delivery::deployments::DeploymentRecord>,
}

impl Evidence {
    pub fn new(artifacts: Vec<Artifact>) -> Evidence {
        Evidence::reusing(artifacts, &Evidence::default())
    }

    /// The evidence read again: an artifact identical to one of `previous` (the owner
    /// took it from there because its file did not change) keeps what was parsed of it, so
    /// a 50 MB coverage report is parsed once, not on every change to any evidence file.
    pub fn reusing(artifacts: Vec<Artifact>, previous: &Evidence) -> Evidence {
        let parsed = artifacts
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let kept = previous
                    .parsed
                    .get(&a.path)
                    .filter(|(at, _)| previous.artifacts.get(*at) == Some(a))
                    .map(|(_, parsed)| parsed.clone());
                (a.path.clone(), (i, kept.unwrap_or_default()))
            })
            .collect();
        Evidence {
            artifacts,
            parsed,
            deployment_index: std::sync::Mutex::new(None),
        }
    }

    pub fn artifacts(&self) -> &[Artifact] {
        &self.artifacts
    }

    /// The artifact read from `path`, if any.
    pub fn artifact(&self, path: &str) -> Option<&Artifact> {
        self.parsed
            .get(path)
            .and_then(|(at, _)| self.artifacts.get(*at))
    }

    fn cached<'a, T>(
        &'a self,
        a: &Artifact,
        slot: impl Fn(&'a Parsed) -> &'a OnceLock<Result<T, String>>,
        parse: impl FnOnce() -> Result<T, String>,
    ) -> Result<T, String>
    where
        T: Clone + 'a,
    {
        match self.parsed.get(&a.path) {
            Some((_, p)) => slot(p).get_or_init(parse).clone(),
            None => parse(),
        }
    }

    pub fn junit(&self, a: &Artifact) -> Result<TestRun, String> {
        self.cached(a, |p| &p.junit, || formats::parse_junit(&a.text))
    }

    pub fn coverage(&self, a: &Artifact) -> Result<Coverage, String> {
        self.cached(
            a,
            |p| &p.coverage,
            || formats::parse_coverage(&a.path, &a.text),
        )
    }

    pub fn benchmarks(&self, a: &Artifact) -> Result<Vec<Benchmark>, String> {
        self.cached(a, |p| &p.benchmarks, || formats::parse_benchmarks(&a.text))
    }

    pub fn sarif(&self, a: &Artifact) -> Result<SecurityScan, String> {
        self.cached(a, |p| &p.sarif, || formats::parse_sarif(&a.text))
    }

    /// A deployment record: every line it could read, and the lines it could not.
    pub fn deployments(
        &self,
        a: &Artifact,
    ) -> std::borrow::Cow<'_, crate::delivery::deployments::DeploymentRecord> {
        let parse = || crate::delivery::deployments::parse_deployments(&a.text);
        match self.parsed.get(&a.path) {
            Some((_, p)) => std::borrow::Cow::Borrowed(p.deployments.get_or_init(parse)),
            None => std::borrow::Cow::Owned(parse()),
        }
    }

    /// Every deployment the workspace's records and DEV_LOGs state, indexed by PRP; built
    /// once for the evidence (per configuration), not once per PRP that asks.
    pub fn deployment_index(
        &self,
        config: &Config,
    ) -> std::sync::Arc<crate::delivery::DeploymentIndex> {
        let gates = &config.gates;
        // A deployment record is the pipeline's own account; DEV_LOG entries stand in for it
        // only where there is none (both would count one deployment twice).
        let has_record = self
            .artifacts
            .iter()
            .any(|a| gates.is_deployment_record(&a.path));
        let sources: Vec<&Artifact> = self
            .artifacts
            .iter()
            .filter(|a| {
                gates.is_deployment_record(&a.path)
                    || (!has_record && gates.matches(Gate::DevLog, &a.path))
            })
            .collect();
        let paths: Vec<String> = sources.iter().map(|a| a.path.clone()).collect();
        let mut cached = self
            .deployment_index
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some((built_from, index)) = cached.as_ref() {
            if *built_from == paths {
                return std::sync::Arc::clone(index);
            }
        }
        let index = std::sync::Arc::new(crate::delivery::DeploymentIndex::build(
            sources.into_iter().map(|a| {
                let deployments = if gates.is_deployment_record(&a.path) {
                    self.deployments(a).deployments.clone()
                } else {
                    crate::delivery::deployments::dev_log_deployments(&a.text)
                };
                (a.path.clone(), deployments)
            }),
        ));
        *cached = Some((paths, std::sync::Arc::clone(&index)));
        index
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Pass,
    Fail,
    NoEvidence,
}

impl Verdict {
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::NoEvidence => "no evidence",
        }
    }
}

/// One gate's verdict for one PRP.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GateResult {
    pub gate: Gate,
    pub verdict: Verdict,
    /// The evidence is older than the PRP's latest change.
    pub stale: bool,
    /// What the evidence says: "312 tests, 0 failures", "coverage 84.2% < 90%".
    pub detail: String,
    /// Why the gate blocks deployment, short ("2 e2e failures"); empty when it passes.
    pub reason: String,
    /// The files the verdict comes from.
    pub evidence: Vec<String>,
    /// Modification time of the newest evidence file (unix seconds).
    pub newest: Option<i64>,
    /// The figure the verdict compares, where there is one: the lowest line coverage, as
    /// a fraction.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub measured: Option<f64>,
}

impl GateResult {
    /// Passing on current evidence.
    pub fn passes(&self) -> bool {
        self.verdict == Verdict::Pass && !self.stale
    }
}

/// Every gate's verdict for one PRP, and the deployment decision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GateReport {
    /// Workspace-relative path of the PRP.
    pub prp: String,
    pub gates: Vec<GateResult>,
    /// Every enabled gate passes on current evidence.
    pub ready: bool,
    /// Evidence files that could not be read: (path, problem). Each is an
    /// `invalid-artifact` finding on that file.
    pub problems: Vec<(String, String)>,
    /// When the report is looked at (unix seconds), for evidence ages in messages; set by
    /// the owner with [`GateReport::at`] since the core has no clock.
    #[serde(skip)]
    pub now: Option<i64>,
}

impl GateReport {
    /// The report as seen at `now` (unix seconds): messages give the evidence's age.
    pub fn at(mut self, now: i64) -> GateReport {
        self.now = Some(now);
        self
    }

    pub fn result(&self, gate: Gate) -> Option<&GateResult> {
        self.gates.iter().find(|r| r.gate == gate)
    }
}

/// The finding for an evidence file that cannot be read (the caller publishes it on that
/// file; `message` is the problem from [`GateReport::problems`]).
pub fn invalid_artifact(message: &str) -> Diagnostic {
    Diagnostic {
        rule: Rule::InvalidArtifact,
        severity: Rule::InvalidArtifact.default_severity(),
        span: 0..0,
        message: format!(
            "{message}; the quality gate that reads this file has no evidence from it"
        ),
        related: Vec::new(),
        hint: None,
    }
}

#[cfg(test)]
mod evidence_tests {
    use super::*;

    fn artifact(path: &str, text: &str) -> Artifact {
        Artifact {
            path: path.into(),
            text: text.into(),
            modified: 1,
        }
    }

    const JUNIT: &str = r#"<testsuite tests="2" failures="1"><testcase name="a"/><testcase name="b"><failure/></testcase></testsuite>"#;

    /// Read again after another file changed, an unchanged report keeps what was parsed of
    /// it; a changed one is parsed anew.
    #[test]
    fn rereading_keeps_what_was_parsed_of_unchanged_files() {
        let first = Evidence::new(vec![
            artifact("reports/junit.xml", JUNIT),
            artifact("reports/other.xml", JUNIT),
        ]);
        let junit = first.artifact("reports/junit.xml").unwrap().clone();
        assert_eq!(first.junit(&junit).unwrap().failed.len(), 1);
        let parsed = |e: &Evidence, path: &str| e.parsed[path].1.junit.get().is_some();
        assert!(parsed(&first, "reports/junit.xml"));
        let changed = JUNIT.replace("<failure/>", "");
        let second = Evidence::reusing(
            vec![junit.clone(), artifact("reports/other.xml", &changed)],
            &first,
        );
        assert!(
            parsed(&second, "reports/junit.xml"),
            "the unchanged report was parsed again"
        );
        assert!(!parsed(&second, "reports/other.xml"));
        let other = second.artifact("reports/other.xml").unwrap().clone();
        assert!(second.junit(&other).unwrap().failed.is_empty());
        // The same path with other text is never taken for the old one.
        let third = Evidence::reusing(vec![artifact("reports/junit.xml", &changed)], &first);
        assert!(!parsed(&third, "reports/junit.xml"));
    }
}
