//! `[status]` of prp-lsp.toml as written, and the checks its values must pass.

use globset::Glob;
use serde::Deserialize;

use std::collections::BTreeMap;

use super::error::ConfigError;
use crate::document::scan::normalize_agent_id;
use crate::orchestrator::{OrchestratorConfig, Threshold};

/// `[status]` in prp-lsp.toml.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawStatus {
    /// Glob of status files, workspace-relative (default `agent_contexts/status/*.json`).
    pub files: Option<String>,
    /// HTTP endpoint returning a JSON array of status objects.
    pub url: Option<String>,
    /// Seconds between polls of `url`.
    pub poll_interval: Option<u64>,
    /// Seconds a poll of `url` may take.
    pub timeout: Option<u64>,
    /// Error rate (fraction) from which an agent is flagged.
    pub error_rate_warning: Option<f64>,
    /// Error rate (fraction) from which the flag says to investigate.
    pub error_rate_error: Option<f64>,
    /// Seconds on one task after which a busy agent is stuck.
    pub stuck_after: Option<u64>,
    /// Seconds idle, with open tasks assigned, after which an agent is flagged.
    pub idle_after: Option<u64>,
    /// Average response time (ms) above which the hover marks an agent slow.
    pub response_time: Option<u64>,
    /// Seconds after which an agent's last report is stale.
    pub stale_after: Option<u64>,
    /// Line coverage (fraction) below which any coverage report is a `coverage-drop` alert.
    pub coverage_drop: Option<f64>,
    /// Failed or rolled-back deployments of one PRP that make a `deployment-failures` alert.
    pub deployment_failures: Option<u32>,
}

impl RawStatus {
    /// Layers editor settings (`overlay`) over the file's values.
    pub fn merge(self, overlay: RawStatus) -> RawStatus {
        RawStatus {
            files: overlay.files.or(self.files),
            url: overlay.url.or(self.url),
            poll_interval: overlay.poll_interval.or(self.poll_interval),
            timeout: overlay.timeout.or(self.timeout),
            error_rate_warning: overlay.error_rate_warning.or(self.error_rate_warning),
            error_rate_error: overlay.error_rate_error.or(self.error_rate_error),
            stuck_after: overlay.stuck_after.or(self.stuck_after),
            idle_after: overlay.idle_after.or(self.idle_after),
            response_time: overlay.response_time.or(self.response_time),
            stale_after: overlay.stale_after.or(self.stale_after),
            coverage_drop: overlay.coverage_drop.or(self.coverage_drop),
            deployment_failures: overlay.deployment_failures.or(self.deployment_failures),
        }
    }

    /// The values the rest of the analysis may rely on: a workspace-relative glob, an HTTP
    /// URL, rates between 0 and 1, non-zero intervals.
    pub fn checked(self) -> Result<RawStatus, ConfigError> {
        let fail = |message: String| {
            Err(ConfigError {
                message,
                span: None,
            })
        };
        if let Some(files) = &self.files {
            if crate::config::leaves_workspace(files) {
                return fail(format!(
                    "[status] files `{files}` must be a glob inside the workspace (relative, no `..`)"
                ));
            }
            if let Err(e) = Glob::new(files) {
                return fail(format!("[status] files `{files}` is not a valid glob: {e}"));
            }
        }
        if let Some(url) = &self.url {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return fail(format!(
                    "[status] url `{url}` must start with http:// or https://"
                ));
            }
        }
        for (key, value) in [
            ("poll-interval", self.poll_interval),
            ("timeout", self.timeout),
        ] {
            if value == Some(0) {
                return fail(format!("[status] {key} must be at least 1 second"));
            }
        }
        for (key, value) in [
            ("error-rate-warning", self.error_rate_warning),
            ("error-rate-error", self.error_rate_error),
            ("coverage-drop", self.coverage_drop),
        ] {
            if value.is_some_and(|v| !(0.0..=1.0).contains(&v)) {
                return fail(format!(
                    "[status] {key} must be a fraction between 0 and 1 (0.05 for 5%)"
                ));
            }
        }
        if self.deployment_failures == Some(0) {
            return fail("[status] deployment-failures must be at least 1".to_string());
        }
        if let (Some(w), Some(e)) = (self.error_rate_warning, self.error_rate_error) {
            if w > e {
                return fail(format!(
                    "[status] error-rate-warning ({w}) must not exceed error-rate-error ({e})"
                ));
            }
        }
        Ok(self)
    }
}

const DEFAULT_FILES: &str = "agent_contexts/status/*.json";
const DEFAULT_POLL_INTERVAL: u64 = 30;
const DEFAULT_TIMEOUT: u64 = 5;

/// The orchestrators' own thresholds (spec section 3).
pub const DEFAULT_THRESHOLDS: Thresholds = Thresholds {
    error_rate_warning: 0.05,
    error_rate_error: 0.10,
    stuck_after: 14_400,
    idle_after: 14_400,
    response_time: 5_000.0,
    stale_after: 3_600,
    coverage_drop: 0.85,
    deployment_failures: 2,
};

/// Effective thresholds. Times in seconds, the response time in milliseconds, rates as
/// fractions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    pub error_rate_warning: f64,
    pub error_rate_error: f64,
    pub stuck_after: i64,
    pub idle_after: i64,
    pub response_time: f64,
    pub stale_after: i64,
    /// A fraction.
    pub coverage_drop: f64,
    pub deployment_failures: u32,
}

/// The compiled `[status]` settings: prp-lsp.toml's values win over the orchestrator
/// configuration's, which win over [`DEFAULT_THRESHOLDS`].
#[derive(Debug, Clone, PartialEq)]
pub struct StatusSettings {
    pub files: String,
    pub url: Option<String>,
    pub poll_interval: u64,
    pub timeout: u64,
    pub thresholds: Thresholds,
    /// Agents whose orchestrator `timeout` replaces the general stuck threshold (only when
    /// prp-lsp.toml sets no `stuck-after`): a task running past its own timeout is stuck.
    stuck_after_by_agent: BTreeMap<String, i64>,
}

impl StatusSettings {
    /// `[status]` of prp-lsp.toml layered over the orchestrator's thresholds and defaults.
    pub(super) fn compile(
        raw: &RawStatus,
        orchestrator: Option<&OrchestratorConfig>,
    ) -> StatusSettings {
        let m = orchestrator.map(|o| &o.monitoring);
        let pick = |toml: Option<f64>, orch: Option<&Threshold>, default: f64| {
            toml.or(orch.map(|t| t.value)).unwrap_or(default)
        };
        let secs = |v: Option<u64>| v.map(|v| v as f64);
        let d = DEFAULT_THRESHOLDS;
        let thresholds = Thresholds {
            error_rate_warning: pick(
                raw.error_rate_warning,
                m.and_then(|m| m.error_rate_warning.as_ref()),
                d.error_rate_warning,
            ),
            error_rate_error: pick(
                raw.error_rate_error,
                m.and_then(|m| m.error_rate_error.as_ref()),
                d.error_rate_error,
            ),
            stuck_after: pick(
                secs(raw.stuck_after),
                m.and_then(|m| m.stuck_after.as_ref()),
                d.stuck_after as f64,
            ) as i64,
            idle_after: pick(
                secs(raw.idle_after),
                m.and_then(|m| m.idle_after.as_ref()),
                d.idle_after as f64,
            ) as i64,
            response_time: pick(
                secs(raw.response_time),
                m.and_then(|m| m.response_time.as_ref()),
                d.response_time,
            ),
            stale_after: pick(
                secs(raw.stale_after),
                m.and_then(|m| m.stale_after.as_ref()),
                d.stale_after as f64,
            ) as i64,
            coverage_drop: pick(
                raw.coverage_drop,
                m.and_then(|m| m.coverage_drop.as_ref()),
                d.coverage_drop,
            ),
            deployment_failures: pick(
                raw.deployment_failures.map(f64::from),
                m.and_then(|m| m.deployment_failures.as_ref()),
                f64::from(d.deployment_failures),
            )
            .max(1.0) as u32,
        };
        let stuck_after_by_agent = match (raw.stuck_after, orchestrator) {
            (None, Some(o)) => o
                .agents
                .iter()
                .filter_map(|a| Some((normalize_agent_id(&a.id), a.timeout? as i64)))
                .collect(),
            _ => BTreeMap::new(),
        };
        StatusSettings {
            files: raw.files.clone().unwrap_or_else(|| DEFAULT_FILES.into()),
            url: raw.url.clone(),
            poll_interval: raw.poll_interval.unwrap_or(DEFAULT_POLL_INTERVAL),
            timeout: raw.timeout.unwrap_or(DEFAULT_TIMEOUT),
            thresholds,
            stuck_after_by_agent,
        }
    }

    /// Seconds on one task after which the agent (normalized id) counts as stuck.
    pub fn stuck_after(&self, agent: &str) -> i64 {
        self.stuck_after_by_agent
            .get(agent)
            .copied()
            .unwrap_or(self.thresholds.stuck_after)
    }
}
