//! The orchestrator's health metrics, from what the workspace holds: task boards and PRPs
//! (assignments, completion and due dates), agent status reports, the deployment record and
//! the coverage reports. Each figure covers a stated window; one that cannot be computed is
//! "—" with the reason, never 0.

use serde::Serialize;

use crate::config::Config;
use crate::document::{DocKind, Lifecycle};
use crate::gates::Gate;
use crate::workspace::Workspace;

use super::deployments::Outcome;

/// The orchestrator's success targets.
pub const ON_TIME_TARGET: f64 = 0.95;
pub const ROLLBACK_TARGET: f64 = 0.05;
pub const UTILIZATION_TARGET: f64 = 0.90;

/// A figure, or why there is none.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    /// A fraction for rates, a count or an average otherwise.
    pub value: Option<f64>,
    /// How it was counted ("4 of 5 PRPs with a due date"), or why it is missing.
    pub note: String,
}

impl Figure {
    fn of(value: f64, note: impl Into<String>) -> Figure {
        Figure {
            value: Some(value),
            note: note.into(),
        }
    }

    fn missing(why: impl Into<String>) -> Figure {
        Figure {
            value: None,
            note: why.into(),
        }
    }

    /// A rate `part / whole`, or missing with `why` when `whole` is 0.
    fn rate(part: usize, whole: usize, note: String, why: &str) -> Figure {
        if whole == 0 {
            Figure::missing(why)
        } else {
            Figure::of(part as f64 / whole as f64, note)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgentMetrics {
    pub agent: String,
    /// Tasks assigned to the agent in the workspace's documents.
    pub assigned: usize,
    /// Of those, done.
    pub completed: usize,
    /// Failed tasks, as the agent's status report counts them.
    pub failed: Figure,
    /// Completed vs assigned.
    pub efficiency: Figure,
    /// Busy time / observed time.
    pub utilization: Figure,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamMetrics {
    /// PRPs finished per week in the window.
    pub velocity: Figure,
    /// PRPs finished in the window by their due date, of those with one.
    pub on_time_delivery: Figure,
    /// Rolled-back deployments of all deployments in the window.
    pub rollback_rate: Figure,
    /// Bugs reported per deployment (of the deployments that report bugs).
    pub bugs_per_deployment: Figure,
    /// The lowest line coverage of the coverage reports now.
    pub coverage_now: Figure,
    /// The lowest coverage of the window: the reports now and the coverage the deployments
    /// of the window shipped with.
    pub coverage_lowest: Figure,
    /// Average utilization of the agents.
    pub utilization: Figure,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metrics {
    /// The window, unix seconds.
    pub since: i64,
    pub until: i64,
    pub agents: Vec<AgentMetrics>,
    pub team: TeamMetrics,
    /// Success targets missed, one line each (information, not findings).
    pub misses: Vec<String>,
    /// PRPs with the `deployment-failures` alert: "PRPs/active/07_x.md: 3 failed or
    /// rolled-back deployments".
    pub alerts: Vec<String>,
}

const DAY: i64 = 86_400;

/// The metrics of `ws` for the window `since..=now` (unix seconds).
pub fn metrics(ws: &Workspace, config: &Config, since: i64, now: i64) -> Metrics {
    let agents = agent_metrics(ws);
    let team = TeamMetrics {
        velocity: velocity(ws, since, now),
        on_time_delivery: on_time(ws, since, now),
        rollback_rate: rollback_rate(ws, config, since, now),
        bugs_per_deployment: bugs_per_deployment(ws, config, since, now),
        coverage_now: coverage_now(ws, config),
        coverage_lowest: coverage_lowest(ws, config, since, now),
        utilization: team_utilization(&agents),
    };
    let mut misses = Vec::new();
    let miss = |figure: &Figure, below: bool, target: f64, what: &str| -> Option<String> {
        let value = figure.value?;
        let missed = if below {
            value < target
        } else {
            value >= target
        };
        missed.then(|| {
            format!(
                "{what} {} (target {} {}%)",
                percent(value),
                if below { "≥" } else { "<" },
                percent(target).trim_end_matches('%')
            )
        })
    };
    misses.extend(miss(
        &team.on_time_delivery,
        true,
        ON_TIME_TARGET,
        "on-time delivery",
    ));
    misses.extend(miss(
        &team.rollback_rate,
        false,
        ROLLBACK_TARGET,
        "rollback rate",
    ));
    misses.extend(miss(
        &team.utilization,
        true,
        UTILIZATION_TARGET,
        "utilization",
    ));
    Metrics {
        since,
        until: now,
        agents,
        team,
        misses,
        alerts: deployment_alerts(ws, config, now),
    }
}

/// PRPs with the `deployment-failures` alert, as `check` reports them.
pub fn deployment_alerts(ws: &Workspace, config: &Config, now: i64) -> Vec<String> {
    let Some((evidence, _)) = ws.evidence() else {
        return Vec::new();
    };
    let index = evidence.deployment_index(config);
    let mut out: Vec<String> = ws
        .documents()
        .filter(|(_, f)| f.kind == DocKind::Prp)
        .filter_map(|(path, f)| {
            let found = super::failures::failures(&index, config, path, f.number.as_ref(), now);
            found
                .alerts()
                .then(|| format!("{path}: deployment-failures: {}", found.summary()))
        })
        .collect();
    out.sort();
    out
}

impl Metrics {
    /// The report as Markdown (the editor's metrics view): the agents' table, the team's
    /// figures with how each was counted or why it is missing, and the targets missed.
    pub fn to_markdown(&self) -> String {
        let day = |t: i64| {
            crate::document::scan::Date::from_day_number(t.div_euclid(DAY))
                .map_or_else(|| t.to_string(), |d| d.to_string())
        };
        let rate = |f: &Figure| f.value.map_or_else(|| "—".to_string(), percent);
        let mut out = format!(
            "# Metrics\n\n{} – {} ({} days)\n\n",
            day(self.since),
            day(self.until),
            (self.until - self.since) / DAY
        );
        if self.agents.is_empty() {
            out.push_str("No agents and no assigned tasks in this workspace.\n\n");
        } else {
            out.push_str("| agent | assigned | completed | failed | efficiency | utilization |\n|---|---:|---:|---:|---:|---:|\n");
            for a in &self.agents {
                let failed = a
                    .failed
                    .value
                    .map_or_else(|| "—".to_string(), |v| format!("{v:.0}"));
                out.push_str(&format!(
                    "| {} | {} | {} | {failed} | {} | {} |\n",
                    a.agent,
                    a.assigned,
                    a.completed,
                    rate(&a.efficiency),
                    rate(&a.utilization)
                ));
            }
            out.push('\n');
        }
        let t = &self.team;
        let velocity = t
            .velocity
            .value
            .map_or_else(|| "—".to_string(), |v| format!("{v:.1} PRPs/week"));
        let bugs = t
            .bugs_per_deployment
            .value
            .map_or_else(|| "—".to_string(), |v| format!("{v:.1}"));
        out.push_str("| team | figure | how |\n|---|---|---|\n");
        for (what, shown, figure) in [
            ("velocity", velocity, &t.velocity),
            (
                "on-time delivery",
                rate(&t.on_time_delivery),
                &t.on_time_delivery,
            ),
            ("rollback rate", rate(&t.rollback_rate), &t.rollback_rate),
            ("bugs per deployment", bugs, &t.bugs_per_deployment),
            ("coverage now", rate(&t.coverage_now), &t.coverage_now),
            (
                "coverage lowest",
                rate(&t.coverage_lowest),
                &t.coverage_lowest,
            ),
            ("utilization", rate(&t.utilization), &t.utilization),
        ] {
            out.push_str(&format!("| {what} | {shown} | {} |\n", figure.note));
        }
        if !self.alerts.is_empty() {
            out.push_str("\n**Alerts**\n\n");
            for line in &self.alerts {
                out.push_str(&format!("- {line}\n"));
            }
        }
        if !self.misses.is_empty() {
            out.push_str("\n**Success targets missed**\n\n");
            for line in &self.misses {
                out.push_str(&format!("- {line}\n"));
            }
        }
        out
    }
}

/// The agents' average utilization, of those whose status reports give one.
fn team_utilization(agents: &[AgentMetrics]) -> Figure {
    let known: Vec<f64> = agents.iter().filter_map(|a| a.utilization.value).collect();
    if known.is_empty() {
        return Figure::missing("no agent's status report gives its utilization");
    }
    Figure::of(
        known.iter().sum::<f64>() / known.len() as f64,
        format!("average of {} of {} agent(s)", known.len(), agents.len()),
    )
}

/// "84.2%": one decimal, none when whole.
pub fn percent(fraction: f64) -> String {
    let p = (fraction * 1000.0).round() / 10.0;
    if p.fract() == 0.0 {
        format!("{p:.0}%")
    } else {
        format!("{p:.1}%")
    }
}

const NO_BUSY_TIME: &str =
    "the status report gives no `utilization` (or `busy_seconds` and `uptime_seconds`)";

fn agent_metrics(ws: &Workspace) -> Vec<AgentMetrics> {
    // (assigned, completed) per agent, in one pass over the documents' tasks.
    let mut counts: std::collections::BTreeMap<String, (usize, usize)> = ws
        .agents()
        .iter()
        .map(|a| (crate::workspace::normalize_agent_id(&a.id), (0, 0)))
        .collect();
    for (_, facts) in ws.documents() {
        for t in &facts.tasks {
            if let Some(agent) = &t.assignee {
                let entry = counts.entry(agent.clone()).or_default();
                entry.0 += 1;
                entry.1 += usize::from(t.done);
            }
        }
    }
    counts
        .into_iter()
        .map(|(agent, (assigned, completed))| {
            let status = ws.status().and_then(|s| s.get(&agent));
            let failed = match status {
                Some(s) => Figure::of(
                    s.tasks_failed as f64,
                    format!(
                        "as its status report counts ({} completed)",
                        s.tasks_completed
                    ),
                ),
                None => Figure::missing("no status report for this agent"),
            };
            let efficiency = Figure::rate(
                completed,
                assigned,
                format!("{completed} of {assigned} assigned tasks done"),
                "no task is assigned to it",
            );
            let utilization = match status.map(|s| s.utilization) {
                Some(Some(u)) => Figure::of(u, "as its status report says"),
                Some(None) => Figure::missing(NO_BUSY_TIME),
                None => Figure::missing("no status report for this agent"),
            };
            AgentMetrics {
                agent,
                assigned,
                completed,
                failed,
                efficiency,
                utilization,
            }
        })
        .collect()
}

/// Finished PRPs with a completion date in the window: (path, finished day, due day). The
/// date is the one the PRP states, else the latest a task board gives it, as the TASK.md
/// lens counts them.
fn finished_in(ws: &Workspace, since: i64, now: i64) -> Vec<(String, i64, Option<i64>)> {
    let (from, to) = (since.div_euclid(DAY), now.div_euclid(DAY));
    let on_board = ws.board_completion_dates();
    let mut out: Vec<(String, i64, Option<i64>)> = ws
        .documents()
        .filter(|(_, f)| f.kind == DocKind::Prp && f.lifecycle == Lifecycle::Finished)
        .filter_map(|(path, f)| {
            let day = ws.finished_on(path, &on_board)?.day_number()?;
            (from..=to).contains(&day).then(|| {
                let due = f.due_on.and_then(|d| d.day_number());
                (path.clone(), day, due)
            })
        })
        .collect();
    out.sort();
    out
}

fn velocity(ws: &Workspace, since: i64, now: i64) -> Figure {
    let finished = finished_in(ws, since, now).len();
    let weeks = ((now - since) as f64 / (7.0 * DAY as f64)).max(1.0 / 7.0);
    let on_board = ws.board_completion_dates();
    let undated = ws
        .documents()
        .filter(|(path, f)| {
            f.kind == DocKind::Prp
                && f.lifecycle == Lifecycle::Finished
                && ws.finished_on(path, &on_board).is_none()
        })
        .count();
    let mut note = format!("{finished} PRP(s) finished in {:.1} week(s)", weeks);
    if undated > 0 {
        note.push_str(&format!(
            "; {undated} finished PRP(s) have no completion date (on the PRP or a task board) and are not counted"
        ));
    }
    Figure::of(finished as f64 / weeks, note)
}

pub fn on_time(ws: &Workspace, since: i64, now: i64) -> Figure {
    let finished = finished_in(ws, since, now);
    let with_due: Vec<&(String, i64, Option<i64>)> = finished
        .iter()
        .filter(|(_, _, due)| due.is_some())
        .collect();
    let on_time = with_due
        .iter()
        .filter(|(_, day, due)| Some(*day) <= *due)
        .count();
    let why = if finished.is_empty() {
        "no PRP finished in the window (with a completion date)"
    } else {
        "no PRP finished in the window states a due date (`due:`, `**Due**:` or a Timeline)"
    };
    Figure::rate(
        on_time,
        with_due.len(),
        format!(
            "{on_time} of {} finished PRP(s) with a due date",
            with_due.len()
        ),
        why,
    )
}

/// Every deployment in the window, from every record and DEV_LOG; `None` without any.
fn deployments_in(
    ws: &Workspace,
    config: &Config,
    since: i64,
    now: i64,
) -> Option<Vec<super::deployments::Deployment>> {
    let (evidence, _) = ws.evidence()?;
    let index = evidence.deployment_index(config);
    (index.sources > 0).then(|| {
        index
            .all()
            .iter()
            .map(|(_, d)| d)
            .filter(|d| (since..=now).contains(&d.at))
            .cloned()
            .collect()
    })
}

const NO_RECORD: &str =
    "no deployment record (deployments.jsonl, or DEV_LOG entries saying deployed / rolled back; see docs/deployments.md)";

pub fn rollback_rate(ws: &Workspace, config: &Config, since: i64, now: i64) -> Figure {
    let Some(deployments) = deployments_in(ws, config, since, now) else {
        return Figure::missing(NO_RECORD);
    };
    let rolled_back = deployments
        .iter()
        .filter(|d| d.outcome == Outcome::RolledBack)
        .count();
    Figure::rate(
        rolled_back,
        deployments.len(),
        format!("{rolled_back} of {} deployment(s)", deployments.len()),
        "no deployment in the window",
    )
}

fn bugs_per_deployment(ws: &Workspace, config: &Config, since: i64, now: i64) -> Figure {
    let Some(deployments) = deployments_in(ws, config, since, now) else {
        return Figure::missing(NO_RECORD);
    };
    let reported: Vec<u64> = deployments.iter().filter_map(|d| d.bugs).collect();
    if reported.is_empty() {
        return Figure::missing("no deployment in the window reports its bugs (`bugs`)");
    }
    let bugs: u64 = reported.iter().sum();
    Figure::of(
        bugs as f64 / reported.len() as f64,
        format!(
            "{bugs} bug(s) over {} deployment(s) that report them",
            reported.len()
        ),
    )
}

/// The lowest coverage report now: (its path, its coverage).
fn lowest_report(ws: &Workspace, config: &Config) -> Option<(String, f64)> {
    let (evidence, _) = ws.evidence()?;
    evidence
        .artifacts()
        .iter()
        .filter(|a| config.gates.matches(Gate::Coverage, &a.path))
        .filter_map(|a| Some((a.path.clone(), evidence.coverage(a).ok()?.ratio)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
}

fn coverage_now(ws: &Workspace, config: &Config) -> Figure {
    match lowest_report(ws, config) {
        Some((path, ratio)) => Figure::of(ratio, format!("lowest report: {path}")),
        None if ws.evidence().is_none() => Figure::missing("no coverage report was read"),
        None => Figure::missing("no coverage report was found (the [gates] coverage globs)"),
    }
}

/// The lowest of the coverage reports now and the `coverage` of the window's deployments
/// (prp-lsp keeps no history of its own: the deployment record is the history).
fn coverage_lowest(ws: &Workspace, config: &Config, since: i64, now: i64) -> Figure {
    let shipped = deployments_in(ws, config, since, now)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|d| Some((d.coverage?, d)))
        .min_by(|a, b| a.0.total_cmp(&b.0));
    let report = lowest_report(ws, config);
    let day = |t: i64| {
        crate::document::scan::Date::from_day_number(t.div_euclid(DAY))
            .map_or_else(|| t.to_string(), |d| d.to_string())
    };
    match (shipped, report) {
        (Some((c, d)), report) if report.as_ref().is_none_or(|(_, r)| c < *r) => Figure::of(
            c,
            format!(
                "the deployment of {} on {} ({})",
                d.prp,
                day(d.at),
                d.outcome.label()
            ),
        ),
        (_, Some((path, ratio))) => Figure::of(ratio, format!("the report now: {path}")),
        _ => Figure::missing(
            "no coverage report now and no deployment in the window records its `coverage`",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gates::{Artifact, Evidence};
    use crate::status::parse_status;
    use crate::{parse, DocFacts};

    const NOW: i64 = 1_795_176_000; // 2026-11-20T12:00:00Z

    fn workspace(files: &[(&str, &str)], evidence: Option<Vec<(&str, &str)>>) -> Workspace {
        let config = Config::default();
        let mut ws = Workspace::new();
        for (path, text) in files {
            ws.add_file(path);
            ws.update_document(path, DocFacts::of(&parse(path, text, &config)));
        }
        if let Some(artifacts) = evidence {
            let artifacts = artifacts
                .into_iter()
                .map(|(path, text)| Artifact {
                    path: path.into(),
                    text: text.into(),
                    modified: NOW,
                })
                .collect();
            ws.set_evidence(std::sync::Arc::new(Evidence::new(artifacts)), NOW);
        }
        ws
    }

    const BOARD: &str = "# Tasks\n\n## Active\n- [ ] a @backend\n- [x] b @backend\n- [x] c @backend\n- [ ] d @frontend\n";
    const ON_TIME: &str = "---\ndue: 2026-11-15\ncompleted: 2026-11-14\n---\n# PRP-01: A\n";
    const LATE: &str = "# PRP-02: B\n\n**Completed**: 2026-11-18\n\n## Timeline\n- Week 1: 2026-11-03\n- Done by 2026-11-10\n";
    const NO_DUE: &str = "---\ncompleted: 2026-11-12\n---\n# PRP-03: C\n";
    const LONG_AGO: &str = "---\ndue: 2026-08-01\ncompleted: 2026-09-01\n---\n# PRP-04: D\n";

    #[test]
    fn figures_from_boards_prps_deployments_coverage_and_status() {
        let record = "{\"prp\":\"PRP-01\",\"at\":\"2026-11-14T10:00:00Z\",\"result\":\"succeeded\",\"bugs\":2}\n\
             {\"prp\":\"PRP-02\",\"at\":\"2026-11-18T10:00:00Z\",\"result\":\"rolled_back\",\"coverage\":\"70%\"}\n\
             {\"prp\":\"PRP-02\",\"at\":\"2026-11-19T10:00:00Z\",\"result\":\"succeeded\",\"bugs\":[\"BUG-1\"]}\n\
             {\"prp\":\"PRP-04\",\"at\":\"2026-09-01T10:00:00Z\",\"result\":\"rolled_back\",\"coverage\":0.5}\n";
        let lcov = "TN:\nSF:a.py\nDA:1,1\nDA:2,1\nDA:3,1\nDA:4,0\nLF:4\nLH:3\nend_of_record\n";
        let mut ws = workspace(
            &[
                ("TASK.md", BOARD),
                ("PRPs/archive/01_a.md", ON_TIME),
                ("PRPs/archive/02_b.md", LATE),
                ("PRPs/archive/03_c.md", NO_DUE),
                ("PRPs/archive/04_d.md", LONG_AGO),
            ],
            Some(vec![
                ("deployments.jsonl", record),
                ("coverage/lcov.info", lcov),
            ]),
        );
        let status = r#"{"id": "backend", "state": "busy", "tasks_completed": 9, "tasks_failed": 1, "busy_seconds": 4500, "uptime_seconds": 6000}"#;
        ws.set_status(crate::status::StatusSnapshot {
            statuses: parse_status("agent_contexts/status/backend.json", status).unwrap(),
            now: NOW,
            ..Default::default()
        });
        let m = metrics(&ws, &Config::default(), NOW - 30 * DAY, NOW);
        let backend = m.agents.iter().find(|a| a.agent == "backend").unwrap();
        assert_eq!((backend.assigned, backend.completed), (3, 2));
        assert_eq!(backend.efficiency.value, Some(2.0 / 3.0));
        assert_eq!(backend.failed.value, Some(1.0));
        assert_eq!(backend.utilization.value, Some(0.75));
        let frontend = m.agents.iter().find(|a| a.agent == "frontend").unwrap();
        assert_eq!(frontend.failed.value, None, "no status report: — not 0");
        assert_eq!(frontend.efficiency.value, Some(0.0));

        let t = &m.team;
        // Three PRPs finished in the window (04 in September is outside it).
        assert!(
            t.velocity.note.starts_with("3 PRP(s) finished"),
            "{}",
            t.velocity.note
        );
        // 01 on time; 02 late (its Timeline ends 2026-11-10); 03 has no due date.
        assert_eq!(t.on_time_delivery.value, Some(0.5));
        assert_eq!(
            t.on_time_delivery.note,
            "1 of 2 finished PRP(s) with a due date"
        );
        assert_eq!(t.rollback_rate.value, Some(1.0 / 3.0));
        assert_eq!(t.bugs_per_deployment.value, Some(1.5));
        assert_eq!(t.coverage_now.value, Some(0.75));
        // The rolled-back deployment of PRP-02 shipped with 70%, below the report now; the
        // one of September with 50% is outside the window.
        assert_eq!(t.coverage_lowest.value, Some(0.7));
        assert_eq!(
            t.coverage_lowest.note,
            "the deployment of PRP-02 on 2026-11-18 (rolled back)"
        );
        // Only backend reports its utilization: the team's is backend's.
        assert_eq!(m.team.utilization.value, Some(0.75));
        assert_eq!(
            m.misses,
            [
                "on-time delivery 50% (target ≥ 95%)",
                "rollback rate 33.3% (target < 5%)",
                "utilization 75% (target ≥ 90%)"
            ]
        );
    }

    #[test]
    fn a_prp_dated_only_on_the_board_counts_as_the_lens_counts_it() {
        let board = "# Tasks\n\n## Done\n- [x] Checkout, see PRPs/archive/05_checkout.md (completed 2026-11-12)\n";
        let ws = workspace(
            &[
                ("TASK.md", board),
                (
                    "PRPs/archive/05_checkout.md",
                    "---\ndue: 2026-11-10\n---\n# PRP-05: Checkout\n",
                ),
                ("PRPs/archive/06_undated.md", "# PRP-06: Undated\n"),
            ],
            None,
        );
        let m = metrics(&ws, &Config::default(), NOW - 30 * DAY, NOW);
        let note = &m.team.velocity.note;
        assert!(note.starts_with("1 PRP(s) finished"), "{note}");
        assert!(
            note.contains("1 finished PRP(s) have no completion date"),
            "{note}"
        );
        // Finished on 2026-11-12, due 2026-11-10: late.
        assert_eq!(m.team.on_time_delivery.value, Some(0.0));
    }

    #[test]
    fn without_data_every_figure_says_why_and_none_is_zero() {
        let ws = workspace(&[("PRPs/active/01_a.md", "# PRP-01: A\n")], None);
        let m = metrics(&ws, &Config::default(), NOW - 30 * DAY, NOW);
        assert!(m.agents.is_empty());
        let t = &m.team;
        for figure in [
            &t.on_time_delivery,
            &t.rollback_rate,
            &t.bugs_per_deployment,
            &t.coverage_now,
            &t.coverage_lowest,
            &t.utilization,
        ] {
            assert_eq!(figure.value, None, "{figure:?}");
            assert!(!figure.note.is_empty());
        }
        assert!(t.rollback_rate.note.contains("no deployment record"));
        assert!(m.misses.is_empty());
    }
}
