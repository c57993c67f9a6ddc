//! Alerts on an agent, judged from its last report, the thresholds and the workspace's open
//! tasks; and the rule that shows them on every assignment and `@agent` mention.
//!
//! `agent-error-rate` fires from the warning threshold (5%) as a warning and is an error above
//! the error threshold (10%), as orchestrators escalate; a level configured for the rule
//! replaces both.

use std::collections::HashMap;

use super::{duration, relative, AgentState, AgentStatus, StatusSettings, StatusSnapshot};
use crate::config::Config;
use crate::diagnostic::Severity;
use crate::document::{scan, Lifecycle, Span};
use crate::figures::{durations_compared, percents_compared, seconds_compared};
use crate::orchestrator::OrchestratorAgent;
use crate::rules::context::Context;
use crate::rules::registry::Rule;
use crate::workspace::{normalize_agent_id, Workspace};

/// One thing wrong with an agent, as the rule that reports it and the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    pub rule: Rule,
    pub message: String,
    /// A severity above the rule's own, when the alert escalates.
    pub severity: Option<Severity>,
}

impl Alert {
    fn new(rule: Rule, message: String) -> Alert {
        Alert {
            rule,
            message,
            severity: None,
        }
    }
}

/// The alerts on an agent (any spelling of its id); none without a status snapshot.
pub fn alerts(agent_id: &str, ws: &Workspace, config: &Config) -> Vec<Alert> {
    Judge::new(ws, config).map_or_else(Vec::new, |j| j.alerts(agent_id))
}

/// Everything judging an agent needs, computed once per request.
pub(super) struct Judge<'a> {
    pub ws: &'a Workspace,
    pub config: &'a Config,
    pub snapshot: &'a StatusSnapshot,
    pub settings: &'a StatusSettings,
    /// Open tasks per agent across the workspace.
    pub load: HashMap<String, usize>,
}

impl<'a> Judge<'a> {
    pub fn new(ws: &'a Workspace, config: &'a Config) -> Option<Judge<'a>> {
        Some(Judge {
            ws,
            config,
            snapshot: ws.status()?,
            settings: config.status_settings(),
            load: crate::assign::workload(ws),
        })
    }

    /// The normalized id of an agent written any way (`@backend`, `Backend Agent`).
    pub fn key(&self, name: &str) -> String {
        self.ws
            .agent(name)
            .map_or_else(|| normalize_agent_id(name), |a| normalize_agent_id(&a.id))
    }

    pub fn status(&self, key: &str) -> Option<&'a AgentStatus> {
        self.snapshot.get(key)
    }

    pub fn orchestrator_agent(&self, key: &str) -> Option<&'a OrchestratorAgent> {
        self.config
            .orchestrator()?
            .agents
            .iter()
            .find(|a| normalize_agent_id(&a.id) == key)
    }

    pub fn open_tasks(&self, key: &str) -> usize {
        self.load.get(key).copied().unwrap_or(0)
    }

    pub fn alerts(&self, name: &str) -> Vec<Alert> {
        let key = self.key(name);
        let open = self.open_tasks(&key);
        let mut out = Vec::new();

        if let Some(s) = self.status(&key) {
            let now = self.snapshot.now;
            let t = &self.settings.thresholds;
            let on_task = s
                .current_task
                .as_deref()
                .map(|task| format!(" on {task}"))
                .unwrap_or_default();
            let running = s.task_started_at.map(|started| now - started);
            match s.state {
                AgentState::Offline | AgentState::Failed => {
                    let last = s
                        .last_report()
                        .map(|r| format!(" (last report {})", relative(now - r)))
                        .unwrap_or_default();
                    let what = if s.state == AgentState::Offline {
                        "is offline"
                    } else {
                        "has failed"
                    };
                    out.push(Alert::new(Rule::AgentOffline, format!("agent `{key}` {what}{last}; {} until it is back or the work is reassigned", open_work(open))));
                }
                AgentState::Stuck => {
                    let time = running
                        .map(|r| format!(" for {}", duration(r)))
                        .unwrap_or_default();
                    out.push(Alert::new(Rule::AgentStuck, format!("agent `{key}` reports itself stuck{on_task}{time}; check on it or reassign the work")));
                }
                AgentState::Busy => {
                    let limit = self.settings.stuck_after(&key);
                    if let Some(r) = running.filter(|r| *r > limit) {
                        let (time, limit) = durations_compared(r, limit);
                        out.push(Alert::new(Rule::AgentStuck, format!("agent `{key}` is stuck{on_task} for {time} (more than {limit}); check on it or reassign the work")));
                    }
                }
                AgentState::Idle => {
                    let idle = s.last_activity.map(|a| now - a);
                    if let (Some(i), true) = (idle.filter(|i| *i > t.idle_after), open > 0) {
                        let (time, limit) = durations_compared(i, t.idle_after);
                        out.push(Alert::new(Rule::AgentIdle, format!("agent `{key}` has been idle for {time} (more than {limit}) while {} assigned to it", open_count(open))));
                    }
                }
            }
            if let Some(rate) = s.error_rate.filter(|r| *r >= t.error_rate_warning) {
                let finished = s.tasks_completed + s.tasks_failed;
                let counts = match finished {
                    0 => String::new(),
                    n => format!(" ({} of {n} tasks failed)", s.tasks_failed),
                };
                let (message, severity) = if rate > t.error_rate_error {
                    let (shown, limit) = percents_compared(rate, t.error_rate_error);
                    (
                        format!("agent `{key}` has an error rate of {shown}%{counts}, above the {limit}% error threshold: investigate before assigning it more work"),
                        Some(Severity::Error),
                    )
                } else {
                    // Shown true against both thresholds: 9.99% is not "10%" here.
                    let (against_warning, limit) = percents_compared(rate, t.error_rate_warning);
                    let (against_error, _) = percents_compared(rate, t.error_rate_error);
                    let shown = if against_error.len() > against_warning.len() {
                        against_error
                    } else {
                        against_warning
                    };
                    let comparison = if rate > t.error_rate_warning {
                        "above"
                    } else {
                        "at"
                    };
                    (
                        format!("agent `{key}` has an error rate of {shown}%{counts}, {comparison} the {limit}% warning threshold"),
                        None,
                    )
                };
                out.push(Alert {
                    rule: Rule::AgentErrorRate,
                    message,
                    severity,
                });
            }
            if let Some(ms) = s.avg_response_ms.filter(|ms| *ms > t.response_time) {
                let (shown, limit) = seconds_compared(ms, t.response_time);
                out.push(Alert::new(Rule::AgentSlow, format!("agent `{key}` takes {shown} s on average to respond (slower than {limit} s); expect its tasks to take longer")));
            }
            // An offline agent stops reporting; its old report says nothing new.
            let reporting = !matches!(s.state, AgentState::Offline | AgentState::Failed);
            if let (Some(age), true) = (s.last_report().map(|r| now - r), reporting) {
                if age > t.stale_after {
                    let (time, limit) = durations_compared(age, t.stale_after);
                    out.push(Alert::new(Rule::AgentStatusStale, format!("the last status report of agent `{key}` is {time} old (more than {limit}); its state may be out of date")));
                }
            }
        }
        if let Some(max) = self.orchestrator_agent(&key).and_then(|a| a.max_concurrent) {
            if open > max as usize {
                let file = self
                    .config
                    .orchestrator_path
                    .as_deref()
                    .unwrap_or("the orchestrator configuration");
                out.push(Alert::new(Rule::AgentOverloaded, format!("agent `{key}` has {open} open tasks across the workspace, more than its max_concurrent of {max} in {file}; the rest will wait")));
            }
        }
        out
    }
}

fn open_count(open: usize) -> String {
    match open {
        1 => "1 open task is".into(),
        n => format!("{n} open tasks are"),
    }
}

fn open_work(open: usize) -> String {
    match open {
        0 => "work assigned to it will not progress".into(),
        1 => "its open task will not progress".into(),
        n => format!("its {n} open tasks will not progress"),
    }
}

/// `agent-*` findings on every assignment and `@agent` mention of a PRP or TASK.md. Finished
/// PRPs, examples, done items and code blocks are history or illustration, not live work.
pub(crate) fn check(cx: &mut Context) {
    let doc = cx.doc;
    if cx.ws.status().is_none() || doc.lifecycle == Lifecycle::Finished {
        return;
    }
    let mut places: Vec<(Span, String)> = Vec::new();
    let mut assignments: Vec<Span> = Vec::new();
    for task in &doc.tasks {
        let Some(a) = &task.assignee else { continue };
        assignments.push(a.span.clone());
        // Ticked, struck through (`~~dropped~~`) or all of its steps done: not live work.
        if !doc.in_example(task.section) && !doc.is_settled(task) {
            places.push((a.span.clone(), a.value.clone()));
        }
    }
    let mut offset = 0;
    for line in cx.text.split_inclusive('\n') {
        for (r, name) in line
            .contains('@')
            .then(|| scan::agent_mentions(line))
            .into_iter()
            .flatten()
        {
            let span = offset + r.start..offset + r.end;
            let overlaps = |s: &Span| s.start < span.end && span.start < s.end;
            let settled = doc
                .checklist
                .iter()
                .any(|c| !c.is_open() && c.line.contains(&span.start));
            if !(assignments.iter().any(overlaps)
                || settled
                || doc.in_fence(span.start)
                || doc.in_example(doc.section_at(span.start)))
            {
                places.push((span, name));
            }
        }
        offset += line.len();
    }
    // The workload is a pass over the whole workspace: only for documents that need it.
    let Some(judge) = (!places.is_empty())
        .then(|| Judge::new(cx.ws, cx.config))
        .flatten()
    else {
        return;
    };
    let mut cache: HashMap<String, Vec<Alert>> = HashMap::new();
    for (span, name) in places {
        let found = cache
            .entry(judge.key(&name))
            .or_insert_with(|| judge.alerts(&name));
        for a in found.iter() {
            let d = cx.report(a.rule, span.clone(), a.message.clone());
            if let Some(severity) = a.severity {
                d.severity = severity;
            }
        }
    }
}
