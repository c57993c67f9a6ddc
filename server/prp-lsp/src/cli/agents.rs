//! `prp-lsp agents`: every agent with its status, workload and alerts.

use std::path::Path;

use prp_analysis::status::{agent_rows, relative};

use crate::project::{now_seconds, Project};

pub fn run(workspace: &Path, json: bool) -> i32 {
    let project = match Project::load(workspace) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("prp-lsp agents: cannot read {}: {e}", workspace.display());
            return 2;
        }
    };
    let rows = agent_rows(&project.ws, &project.config);
    let now = now_seconds();
    let text = if json {
        let value: Vec<_> = rows
            .iter()
            .map(|r| {
                serde_json::json!({
                    "id": r.id,
                    "state": r.state.map(|s| s.label()),
                    "enabled": r.enabled,
                    "current_task": r.current_task,
                    "open_tasks": r.open_tasks,
                    "max_concurrent": r.max_concurrent,
                    "error_rate": r.error_rate,
                    "health": r.health,
                    "last_report": r.last_report,
                    "alerts": r.alerts.iter().map(|a| serde_json::json!({ "code": a.rule.code(), "message": a.message })).collect::<Vec<_>>(),
                })
            })
            .collect();
        format!(
            "{}\n",
            serde_json::to_string_pretty(&value).unwrap_or_default()
        )
    } else {
        let mut text = format!(
            "{:<16} {:<9} {:>6} {:>7} {:>7}  {:<16} {}\n",
            "agent", "state", "open", "errors", "health", "last report", "current task"
        );
        for r in &rows {
            let open = match r.max_concurrent {
                Some(max) => format!("{}/{max}", r.open_tasks),
                None => r.open_tasks.to_string(),
            };
            let state =
                r.state
                    .map(|s| s.label())
                    .unwrap_or(if r.enabled { "-" } else { "disabled" });
            let errors = r
                .error_rate
                .map(|e| format!("{:.1}%", e * 100.0))
                .unwrap_or_else(|| "-".into());
            let health = r
                .health
                .map(|h| format!("{h:.0}"))
                .unwrap_or_else(|| "-".into());
            let last = r
                .last_report
                .map(|t| relative(now - t))
                .unwrap_or_else(|| "never".into());
            text.push_str(&format!(
                "{:<16} {:<9} {:>6} {:>7} {:>7}  {:<16} {}\n",
                r.id,
                state,
                open,
                errors,
                health,
                last,
                r.current_task.as_deref().unwrap_or("")
            ));
            for alert in &r.alerts {
                text.push_str(&format!("  ! {}: {}\n", alert.rule.code(), alert.message));
            }
        }
        text
    };
    super::print_out(&text);
    0
}
