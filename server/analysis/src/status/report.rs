//! An agent's status for people: the hover text, the rows of `prp-lsp agents`, durations.

use std::collections::BTreeSet;

use super::alerts::Judge;
use super::{percent, AgentState, Alert};
use crate::config::Config;
use crate::workspace::{normalize_agent_id, Workspace};

/// Hover markdown on an agent: state, current task and for how long, error rate, health,
/// response time, open tasks across the workspace, last report, alerts. `None` without a
/// status snapshot.
pub fn describe(agent_id: &str, ws: &Workspace, config: &Config) -> Option<String> {
    let judge = Judge::new(ws, config)?;
    let key = judge.key(agent_id);
    let now = judge.snapshot.now;
    let t = &judge.settings.thresholds;
    let orchestrator = judge.orchestrator_agent(&key);
    let mut lines = Vec::new();
    let status = judge.status(&key);
    let state = match status {
        Some(s) => s.state.label().to_string(),
        None => "no status report".to_string(),
    };
    let disabled = match orchestrator {
        Some(a) if !a.enabled => " (disabled in the orchestrator configuration)",
        _ => "",
    };
    lines.push(format!("**Agent `{key}`**: {state}{disabled}"));
    lines.push(String::new());
    if let Some(s) = status {
        if let Some(task) = &s.current_task {
            let since = s
                .task_started_at
                .map(|at| format!(", for {}", duration(now - at)))
                .unwrap_or_default();
            lines.push(format!("- Current task: {task}{since}"));
        }
        if let Some(n) = s.active_tasks {
            lines.push(format!("- Active tasks (reported): {n}"));
        }
        if let Some(rate) = s.error_rate {
            let counts = match s.tasks_completed + s.tasks_failed {
                0 => String::new(),
                n => format!(", {} of {n} tasks failed", s.tasks_failed),
            };
            lines.push(format!(
                "- Error rate: {}%{counts} (warning at {}%, error at {}%)",
                percent(rate),
                percent(t.error_rate_warning),
                percent(t.error_rate_error)
            ));
        }
        if let Some(h) = s.health_score {
            lines.push(format!("- Health: {h:.0}/100"));
        }
        if let Some(ms) = s.avg_response_ms {
            let slow = if ms > t.response_time {
                ", slower than"
            } else {
                ", within"
            };
            lines.push(format!(
                "- Average response: {} ms{slow} the {} ms target",
                ms.round(),
                t.response_time
            ));
        }
    }
    let max = orchestrator
        .and_then(|a| a.max_concurrent)
        .map(|m| format!(" (max {m} at a time)"))
        .unwrap_or_default();
    lines.push(format!(
        "- Open tasks across the workspace: {}{max}",
        judge.open_tasks(&key)
    ));
    if let Some(s) = status {
        let when = s
            .last_report()
            .map_or_else(|| "time unknown".to_string(), |r| relative(now - r));
        lines.push(format!("- Last report: {when}, from `{}`", s.source));
    }
    if let Some(down) = &judge.snapshot.endpoint_down {
        lines.push(format!("- The monitoring endpoint is unreachable: {down}"));
    }
    let alerts = judge.alerts(agent_id);
    if !alerts.is_empty() {
        lines.push(String::new());
        lines.extend(
            alerts
                .iter()
                .map(|a| format!("⚠ `{}`: {}", a.rule.code(), a.message)),
        );
    }
    Some(lines.join("\n"))
}

/// One line of `prp-lsp agents`. Times are unix seconds, rates fractions.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentRow {
    pub id: String,
    /// `None` when the agent has no status report.
    pub state: Option<AgentState>,
    /// `false` when the orchestrator configuration disables it.
    pub enabled: bool,
    pub current_task: Option<String>,
    pub open_tasks: usize,
    pub max_concurrent: Option<u32>,
    pub error_rate: Option<f64>,
    pub health: Option<f64>,
    pub last_report: Option<i64>,
    pub alerts: Vec<Alert>,
}

/// The cells of an agent's row as people read them, shared by the CLI's table and the
/// editor's Markdown view so both say the same thing.
pub struct AgentCells {
    pub state: String,
    pub open: String,
    pub errors: String,
    pub health: String,
    pub last_report: String,
}

impl AgentRow {
    pub fn cells(&self, now: i64) -> AgentCells {
        let state =
            self.state
                .map(|s| s.label())
                .unwrap_or(if self.enabled { "-" } else { "disabled" });
        AgentCells {
            state: state.to_string(),
            open: match self.max_concurrent {
                Some(max) => format!("{}/{max}", self.open_tasks),
                None => self.open_tasks.to_string(),
            },
            errors: self
                .error_rate
                .map(|e| format!("{:.1}%", e * 100.0))
                .unwrap_or_else(|| "-".into()),
            health: self
                .health
                .map(|h| format!("{h:.0}"))
                .unwrap_or_else(|| "-".into()),
            last_report: self
                .last_report
                .map(|t| relative(now - t))
                .unwrap_or_else(|| "never".into()),
        }
    }

    /// The machine-readable row (`prp-lsp agents --json`, the `prp.agentStatus` command).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "id": self.id,
            "state": self.state.map(|s| s.label()),
            "enabled": self.enabled,
            "current_task": self.current_task,
            "open_tasks": self.open_tasks,
            "max_concurrent": self.max_concurrent,
            "error_rate": self.error_rate,
            "health": self.health,
            "last_report": self.last_report,
            "alerts": self.alerts.iter().map(|a| serde_json::json!({ "code": a.rule.code(), "message": a.message })).collect::<Vec<_>>(),
        })
    }
}

/// The agents as a Markdown table with their alerts below it: the editor's agent status view.
pub fn agents_markdown(rows: &[AgentRow], now: i64) -> String {
    if rows.is_empty() {
        return "# Agent status\n\nNo agents: no agent context files, orchestrator configuration or status reports were found.\n".into();
    }
    let mut text = String::from("# Agent status\n\n| agent | state | open tasks | error rate | health | last report | current task |\n|---|---|---:|---:|---:|---|---|\n");
    let cell = |s: &str| s.replace('|', "\\|");
    for r in rows {
        let c = r.cells(now);
        text.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            cell(&r.id),
            c.state,
            c.open,
            c.errors,
            c.health,
            c.last_report,
            cell(r.current_task.as_deref().unwrap_or(""))
        ));
    }
    let alerts: Vec<String> = rows
        .iter()
        .flat_map(|r| {
            r.alerts
                .iter()
                .map(move |a| format!("- **{}** `{}`: {}", r.id, a.rule.code(), a.message))
        })
        .collect();
    if !alerts.is_empty() {
        text.push_str("\n## Alerts\n\n");
        text.push_str(&alerts.join("\n"));
        text.push('\n');
    }
    text
}

/// Every agent known from context files, the orchestrator configuration and status reports,
/// by id. Without a status snapshot the rows carry the workload only.
pub fn agent_rows(ws: &Workspace, config: &Config) -> Vec<AgentRow> {
    let judge = Judge::new(ws, config);
    let mut ids: BTreeSet<String> = ws
        .agents()
        .iter()
        .map(|a| normalize_agent_id(&a.id))
        .collect();
    if let Some(o) = config.orchestrator() {
        ids.extend(o.agents.iter().map(|a| normalize_agent_id(&a.id)));
    }
    if let Some(s) = ws.status() {
        ids.extend(s.statuses.iter().map(|s| normalize_agent_id(&s.id)));
    }
    let load = match &judge {
        Some(j) => j.load.clone(),
        None => crate::assign::workload(ws),
    };
    ids.into_iter()
        .map(|id| {
            let status = judge.as_ref().and_then(|j| j.status(&id));
            let orchestrator = config
                .orchestrator()
                .and_then(|o| o.agents.iter().find(|a| normalize_agent_id(&a.id) == id));
            AgentRow {
                state: status.map(|s| s.state),
                enabled: orchestrator.is_none_or(|a| a.enabled),
                current_task: status.and_then(|s| s.current_task.clone()),
                open_tasks: load.get(&id).copied().unwrap_or(0),
                max_concurrent: orchestrator.and_then(|a| a.max_concurrent),
                error_rate: status.and_then(|s| s.error_rate),
                health: status.and_then(|s| s.health_score),
                last_report: status.and_then(|s| s.last_report()),
                alerts: judge.as_ref().map(|j| j.alerts(&id)).unwrap_or_default(),
                id,
            }
        })
        .collect()
}

/// A past moment, `seconds` ago: "just now", "12 min ago", "3 h 12 min ago", "2 days ago".
/// A moment in the future (clock skew between machines) reads as "just now".
pub fn relative(seconds: i64) -> String {
    if seconds < 60 {
        "just now".into()
    } else {
        format!("{} ago", duration(seconds))
    }
}

pub use crate::figures::duration;
