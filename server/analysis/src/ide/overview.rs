//! The workspace at a glance, for an editor's side-bar views: every PRP by stage (number,
//! title, deploy decision, open items, agents assigned) and every agent (state, current task
//! and since when, error rate, open tasks, alerts with the file each refers to).

use serde::Serialize;

use crate::config::Config;
use crate::document::DocKind;
use crate::gates::GateReport;
use crate::status::agent_rows;
use crate::workspace::Workspace;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overview {
    /// By stage (active, planning, finished, other), then path.
    pub prps: Vec<PrpEntry>,
    pub agents: Vec<AgentEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PrpEntry {
    pub path: String,
    /// `PRP-07`, as the PRP numbers itself.
    pub number: Option<String>,
    pub title: String,
    /// `active`, `planning`, `finished`, `unknown`.
    pub stage: String,
    /// The deploy decision, when the PRP has a gate report: ready or not, and why not.
    pub ready: Option<bool>,
    pub summary: Option<String>,
    /// Checklist items open, of all.
    pub open: usize,
    pub total: usize,
    /// Agents its tasks are assigned to.
    pub agents: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgentEntry {
    pub id: String,
    /// `busy`, `idle`, `stuck`, …; `None` without a status report.
    pub state: Option<String>,
    pub current_task: Option<String>,
    /// When the current task started (unix seconds), as the report says.
    pub task_since: Option<i64>,
    pub error_rate: Option<f64>,
    pub open_tasks: usize,
    /// The agent's context file (or the configuration that defines it).
    pub source: Option<String>,
    pub alerts: Vec<AlertEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlertEntry {
    pub code: String,
    pub message: String,
    /// The file the alert is about: the status report, else the agent's context file.
    pub path: Option<String>,
}

/// The overview of `ws`; `report` gives a PRP's gate report when there is one.
pub fn overview(
    ws: &Workspace,
    config: &Config,
    report: &dyn Fn(&str) -> Option<GateReport>,
) -> Overview {
    let mut prps: Vec<PrpEntry> = ws
        .documents()
        .filter(|(_, f)| f.kind == DocKind::Prp)
        .map(|(path, f)| {
            let gates = report(path);
            let mut agents: Vec<String> = f.assigned_agents.iter().cloned().collect();
            agents.sort();
            PrpEntry {
                path: path.clone(),
                number: f.number.as_ref().map(|n| {
                    let name = path.rsplit('/').next().unwrap_or(path);
                    let digits = crate::fixes::mentions_digits(name, n.number)
                        .unwrap_or_else(|| format!("{:02}", n.number));
                    format!("PRP-{digits}")
                }),
                title: f
                    .title
                    .clone()
                    .unwrap_or_else(|| path.rsplit('/').next().unwrap_or(path).to_string()),
                stage: f.lifecycle.label().to_string(),
                ready: gates.as_ref().map(|g| g.ready),
                summary: gates.as_ref().map(|g| g.summary()),
                open: f.total - f.checked,
                total: f.total,
                agents,
            }
        })
        .collect();
    let rank = |stage: &str| match stage {
        "active" => 0,
        "planning" => 1,
        "finished" => 2,
        _ => 3,
    };
    prps.sort_by(|a, b| (rank(&a.stage), &a.path).cmp(&(rank(&b.stage), &b.path)));
    let agents = agent_rows(ws, config)
        .into_iter()
        .map(|row| {
            let status = ws.status().and_then(|s| s.get(&row.id));
            let source = ws.agent(&row.id).map(|a| a.source.clone());
            let about = status
                .map(|s| s.source.clone())
                .filter(|s| !s.contains("://"))
                .or_else(|| source.clone());
            AgentEntry {
                state: row.state.map(|s| s.label().to_string()),
                current_task: row.current_task.clone(),
                task_since: status.and_then(|s| s.task_started_at),
                error_rate: row.error_rate,
                open_tasks: row.open_tasks,
                alerts: row
                    .alerts
                    .iter()
                    .map(|a| AlertEntry {
                        code: a.rule.code().to_string(),
                        message: a.message.clone(),
                        path: about.clone(),
                    })
                    .collect(),
                source,
                id: row.id,
            }
        })
        .collect();
    Overview { prps, agents }
}
