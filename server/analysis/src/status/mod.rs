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

use crate::config::Config;

pub use crate::config::status::{RawStatus, StatusSettings, Thresholds, DEFAULT_THRESHOLDS};

/// `unknown-config-key` findings for threshold keys of the orchestrator configuration that
/// prp-lsp does not read, on that file: a threshold the team set and prp-lsp ignores would
/// otherwise look enforced.
pub fn unknown_threshold_keys(config: &Config) -> Vec<(String, crate::Diagnostic)> {
    let Some(o) = config.orchestrator() else {
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
    let Some(o) = config.orchestrator() else {
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
