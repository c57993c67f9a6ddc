//! Whether an agent can take work now, judged from its last status report as the alerts
//! judge it: an agent that is stuck, offline or failed, or whose error rate is above the
//! error threshold, is passed over; so is one at its `max_concurrent` (see `rank`).

use crate::config::Config;
use crate::diagnostic::Severity;
use crate::figures::percents_compared;
use crate::rules::registry::Rule;
use crate::status::{alerts, AgentState};
use crate::workspace::{normalize_agent_id, Workspace};

/// Why `agent` (any spelling) cannot take work now, as an action title says it
/// ("frontend is stuck"); `None` when nothing stops it, or when no status is known.
pub fn unfit(agent: &str, ws: &Workspace, config: &Config) -> Option<String> {
    let snapshot = ws.status()?;
    let found = alerts(agent, ws, config);
    let key = ws
        .agent(agent)
        .map_or_else(|| normalize_agent_id(agent), |a| normalize_agent_id(&a.id));
    let name = ws.agent(agent).map_or(agent, |a| a.id.as_str());
    if found.iter().any(|a| a.rule == Rule::AgentOffline) {
        let failed = snapshot
            .get(&key)
            .is_some_and(|s| s.state == AgentState::Failed);
        return Some(if failed {
            format!("{name} has failed")
        } else {
            format!("{name} is offline")
        });
    }
    if found.iter().any(|a| a.rule == Rule::AgentStuck) {
        return Some(format!("{name} is stuck"));
    }
    let erring = found
        .iter()
        .any(|a| a.rule == Rule::AgentErrorRate && a.severity == Some(Severity::Error));
    if erring {
        let rate = snapshot.get(&key).and_then(|s| s.error_rate)?;
        let limit = config.status_settings().thresholds.error_rate_error;
        let (shown, limit) = percents_compared(rate, limit);
        return Some(format!(
            "{name}'s error rate is {shown}%, above the {limit}% error threshold"
        ));
    }
    None
}

/// "backend is at capacity (2/2 open tasks)".
pub(super) fn at_capacity(agent: &str, open: usize, cap: u32) -> String {
    format!("{agent} is at capacity ({open}/{cap} open tasks)")
}
