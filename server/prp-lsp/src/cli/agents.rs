//! `prp-lsp agents`: every agent with its status, workload and alerts.

use std::path::Path;

use prp_analysis::delivery::metrics::deployment_alerts;
use prp_analysis::status::agent_rows;

use crate::project::{now_seconds, Project};

pub fn run(workspace: &Path, json: bool, allow_url: bool) -> i32 {
    let mut project = match Project::load(workspace) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("prp-lsp agents: cannot read {}: {e}", workspace.display());
            return 2;
        }
    };
    if allow_url {
        project.allow_status_url();
        if let Some(url) = project.status_endpoint().allowed().map(str::to_string) {
            let timeout = project.config.status_settings().timeout.max(1);
            let fetched = crate::monitoring::fetch(&url, std::time::Duration::from_secs(timeout));
            if let Err(why) = project.take_endpoint_answer(&url, fetched, now_seconds()) {
                eprintln!("prp-lsp agents: warning: {why}");
            }
        }
    } else if let Some(note) = project.status_endpoint().not_allowed_note() {
        eprintln!("prp-lsp agents: note: {note}");
    }
    let rows = agent_rows(&project.ws, &project.config);
    let now = now_seconds();
    let text = if json {
        let value: Vec<_> = rows.iter().map(|r| r.to_json()).collect();
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
            let c = r.cells(now);
            text.push_str(&format!(
                "{:<16} {:<9} {:>6} {:>7} {:>7}  {:<16} {}\n",
                r.id,
                c.state,
                c.open,
                c.errors,
                c.health,
                c.last_report,
                r.current_task.as_deref().unwrap_or("")
            ));
            for alert in &r.alerts {
                text.push_str(&format!("  ! {}: {}\n", alert.rule.code(), alert.message));
            }
        }
        // The orchestrator's alert on PRPs that keep failing to deploy, as `metrics` lists it.
        let failing = deployment_alerts(&project.ws, &project.config, now);
        if !failing.is_empty() {
            text.push_str("\nPRPs failing to deploy:\n");
            for line in failing {
                text.push_str(&format!("  ! {line}\n"));
            }
        }
        text
    };
    super::print_out(&text);
    // A status file that cannot be read leaves its agent "never" reported: say which file
    // and why, as the editor does, and fail like check would.
    let problems = &project.status.file_problems;
    for (path, message) in problems {
        let d = crate::project::status_file_problem(message);
        eprintln!(
            "{path}: {}[{}]: {}",
            d.severity.label(),
            d.rule.code(),
            d.message
        );
    }
    i32::from(!problems.is_empty())
}
