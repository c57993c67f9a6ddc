//! Agent status: what the orchestrator reports of each agent (status files, a monitoring
//! endpoint, the orchestrator configuration), the thresholds it is judged by, and the alerts
//! shown where agents are assigned or mentioned.
//!
//! Everything here is pure: the owner (server or CLI) reads the status sources, parses them
//! with [`parse_status`], and stores a [`StatusSnapshot`] with the time it judges them at in
//! the [`Workspace`](crate::Workspace). No snapshot, no agent alerts.

mod alerts;
mod board;
pub(crate) mod model;
mod report;

pub(crate) use alerts::check;
pub use alerts::{alerts, Alert};
pub use board::board_summary;
pub use model::{parse_status, AgentState, AgentStatus, StatusSnapshot};
pub use report::{agent_rows, agents_markdown, describe, duration, relative, AgentCells, AgentRow};

use std::collections::BTreeMap;

use crate::config::Config;
use crate::orchestrator::Threshold;
use crate::workspace::normalize_agent_id;

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
};

pub use crate::config::status::RawStatus;

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
    pub fn of(config: &Config) -> StatusSettings {
        let raw = &config.status;
        let orchestrator = config.orchestrator.as_ref();
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

/// `unknown-config-key` findings for threshold keys of the orchestrator configuration that
/// prp-lsp does not read, on that file: a threshold the team set and prp-lsp ignores would
/// otherwise look enforced.
pub fn unknown_threshold_keys(config: &Config) -> Vec<(String, crate::Diagnostic)> {
    let Some(o) = &config.orchestrator else {
        return Vec::new();
    };
    let file = config.orchestrator_path.clone().unwrap_or_default();
    o.monitoring
        .unknown_keys
        .iter()
        .map(|key| {
            let rule = crate::Rule::UnknownConfigKey;
            let diagnostic = crate::Diagnostic {
                rule,
                severity: rule.default_severity(),
                span: 0..0,
                message: format!("`{key}` is not a threshold prp-lsp reads, so it is not applied in the editor or in `prp-lsp check` (read: error rates, stuck, idle and stale times, response time, coverage drop, deployment failures)"),
                related: Vec::new(),
                hint: None,
            };
            (file.clone(), diagnostic)
        })
        .collect()
}

/// Thresholds set to different values in prp-lsp.toml and in the orchestrator configuration:
/// `(file to report on, message)`. prp-lsp.toml's value is in effect; the finding asks for
/// one source of truth.
pub fn config_conflicts(config: &Config) -> Vec<(String, String)> {
    let Some(o) = &config.orchestrator else {
        return Vec::new();
    };
    let orchestrator_file = config
        .orchestrator_path
        .as_deref()
        .unwrap_or("the orchestrator configuration");
    let raw = &config.status;
    let m = &o.monitoring;
    let secs = |v: Option<u64>| v.map(|v| v as f64);
    let pairs = [
        (
            "error-rate-warning",
            raw.error_rate_warning,
            &m.error_rate_warning,
            Unit::Rate,
        ),
        (
            "error-rate-error",
            raw.error_rate_error,
            &m.error_rate_error,
            Unit::Rate,
        ),
        (
            "stuck-after",
            secs(raw.stuck_after),
            &m.stuck_after,
            Unit::Seconds,
        ),
        (
            "idle-after",
            secs(raw.idle_after),
            &m.idle_after,
            Unit::Seconds,
        ),
        (
            "stale-after",
            secs(raw.stale_after),
            &m.stale_after,
            Unit::Seconds,
        ),
        (
            "response-time",
            secs(raw.response_time),
            &m.response_time,
            Unit::Millis,
        ),
    ];
    let mut out = Vec::new();
    for (key, toml, orch, unit) in pairs {
        if let (Some(mine), Some(theirs)) = (toml, orch) {
            if (mine - theirs.value).abs() > 1e-9 {
                out.push(conflict(
                    &format!("[status] {key}"),
                    &unit.show(mine),
                    &format!("`{}`", theirs.key),
                    &unit.show(theirs.value),
                    orchestrator_file,
                ));
            }
        }
    }
    // The effective coverage threshold is prp-lsp.toml's when set, else the orchestrator's:
    // a difference means both are set and disagree.
    if let Some(theirs) = o.coverage_threshold {
        let mine = crate::gates::coverage_threshold(config);
        if (mine - theirs).abs() > 1e-9 {
            out.push(conflict(
                "[gates] coverage-threshold",
                &Unit::Rate.show(mine),
                "`quality_gates.code_coverage_threshold`",
                &Unit::Rate.show(theirs),
                orchestrator_file,
            ));
        }
    }
    out
}

#[derive(Clone, Copy)]
enum Unit {
    Rate,
    Seconds,
    Millis,
}

impl Unit {
    fn show(self, value: f64) -> String {
        match self {
            Unit::Rate => format!("{}%", percent(value)),
            Unit::Seconds => duration(value as i64),
            Unit::Millis => format!("{value} ms"),
        }
    }
}

fn conflict(key: &str, mine: &str, their_key: &str, theirs: &str, file: &str) -> (String, String) {
    (
        "prp-lsp.toml".to_string(),
        format!(
            "{key} is {mine} in prp-lsp.toml but {their_key} is {theirs} in {file}; prp-lsp.toml's value is used. Make them agree so the editor and the orchestrator judge alike"
        ),
    )
}

pub(crate) use crate::figures::percent;

#[cfg(test)]
mod tests;
