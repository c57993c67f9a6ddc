//! `artifacts`: the files tools write that prp-lsp reads — gate evidence (JUnit, LCOV,
//! Cobertura, coverage JSON, SARIF, benchmark results, DEV_LOG, review records), agent status
//! reports, an orchestrator's configuration and deployment records. The first byte picks the
//! format.

use std::sync::{Arc, LazyLock};

use prp_analysis::delivery::deployments::parse_deployments;
use prp_analysis::gates::{
    artifact_problems, evaluate_evidence, matrix_text, parse_benchmarks, parse_coverage,
    parse_junit, parse_sarif, Artifact, Evidence, GateReport,
};
use prp_analysis::orchestrator::OrchestratorConfig;
use prp_analysis::status::{
    agent_rows, agents_markdown, alerts, board_summary, config_conflicts, describe, parse_status,
    StatusSnapshot,
};
use prp_analysis::{assign, check, parse, Config, DocFacts, Document, RawConfig, Workspace};

use crate::invariants;
use crate::setup::{text_of, CONFIG, NOW};

/// The formats, in the order the first byte selects them (modulo their number): 0 JUnit,
/// 1 LCOV, 2 Cobertura, 3 coverage JSON, 4 SARIF, 5 benchmarks, 6 DEV_LOG, 7 review record,
/// 8 agent status, 9 orchestrator configuration, 10 deployment record.
const FORMATS: [Format; 11] = [
    Format::Junit,
    Format::Lcov,
    Format::Cobertura,
    Format::CoverageJson,
    Format::Sarif,
    Format::Benchmarks,
    Format::DevLog,
    Format::Review,
    Format::Status,
    Format::Orchestrator,
    Format::Deployments,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Junit,
    Lcov,
    Cobertura,
    CoverageJson,
    Sarif,
    Benchmarks,
    DevLog,
    Review,
    Status,
    Orchestrator,
    Deployments,
}

impl Format {
    /// Where the evidence would be found, as the default gate globs match it.
    fn evidence_path(self) -> &'static str {
        match self {
            Format::Junit => "backend/reports/junit.xml",
            Format::Lcov => "frontend/coverage/lcov.info",
            Format::Cobertura => "backend/coverage.xml",
            Format::CoverageJson => "frontend/coverage/coverage-summary.json",
            Format::Sarif => "reports/security.sarif",
            Format::Benchmarks => "benchmarks/api.json",
            Format::DevLog => "DEV_LOG.md",
            Format::Review => "reviews/checkout_flow.md",
            Format::Status => "agent_contexts/status/backend.json",
            Format::Orchestrator => "orchestrator.json",
            Format::Deployments => "deploy/deployments.jsonl",
        }
    }
}

/// Unnumbered: evidence finds it by file name and title (a numbered PRP would cost two regex
/// compilations per evaluation, which would halve the executions per second).
const PRP_PATH: &str = "PRPs/active/checkout_flow.md";
const PRP: &str = "---
created: 2026-11-01
---
# Checkout flow

## Goal
Customers pay with a saved card.

## Success Criteria
- [x] Users can pay with a saved card

## Implementation Tasks

### Task 1: Payment API
**Assigned to**: @backend
MODIFY backend/app/api/routes.py

### Task 2: Checkout page
Build the React checkout page in frontend/src/pages/Checkout.tsx.

### Task 3: Nightly report
Schedule the export job.

## Pre-Deployment Checklist
- [x] All assigned tasks completed
- [ ] Code review passed
- [ ] Unit tests passing with coverage ≥ 90%
- [ ] Integration tests passing
- [ ] E2E tests passing
- [ ] Performance benchmarks met
- [ ] Security scan clean
- [ ] Documentation updated
- [ ] DEV_LOG entries added
";

const TASK_PATH: &str = "TASK.md";
const TASK: &str = "# TASK.md

## Active
- [ ] Checkout page @frontend (2026-11-02)
- [ ] Payment API @backend
- [ ] Sync the calendar @integration
- [x] Audit log @database (completed 2026-11-10)
";

/// The PRP and task board the evidence and the reports are about.
struct Fixed {
    prp: Document,
    task: Document,
    ws: Workspace,
}

static FIXED: LazyLock<Fixed> = LazyLock::new(|| {
    let prp = parse(PRP_PATH, PRP, &CONFIG);
    let task = parse(TASK_PATH, TASK, &CONFIG);
    let mut ws = Workspace::with_files([PRP_PATH, TASK_PATH, "backend/app/api/routes.py"]);
    for (path, text) in [
        (
            "agent_contexts/backend_agent.md",
            "# Agent: Backend\n## Your Scope\n- `backend/`\n",
        ),
        (
            "agent_contexts/frontend_agent.md",
            "# Agent: Frontend\n## Your Scope\n- `frontend/`\n",
        ),
    ] {
        ws.add_file(path);
        ws.update_document(path, DocFacts::of(&parse(path, text, &CONFIG)));
    }
    ws.update_document(PRP_PATH, DocFacts::of(&prp));
    ws.update_document(TASK_PATH, DocFacts::of(&task));
    Fixed { prp, task, ws }
});

/// The default configuration with review records under `reviews/`.
static REVIEW_CONFIG: LazyLock<Config> = LazyLock::new(|| {
    let raw = RawConfig::from_toml("[gates]\nreview = \"reviews/*.md\"\n").expect("valid");
    Config::from_raw(&raw).expect("valid")
});

/// Reads the input (after its first byte) as the format the first byte selects (modulo 10),
/// then runs what consumes that format: the gate verdicts and decision, or the agent table,
/// hovers, alerts and routing. The first byte's tens digit (odd or even) makes evidence
/// older or newer than the PRP.
pub fn artifacts(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let format = FORMATS[selector as usize % FORMATS.len()];
    let text = text_of(rest);
    let text = text.as_ref();
    let path = format.evidence_path();
    // Whether the parser accepted the input: only then do the verdicts read its values (a
    // rejected file is a problem line), so only then is evaluating worth its cost.
    let parsed = match format {
        Format::Junit => parse_junit(text).map(|run| {
            assert!(
                run.failed.len() <= 5,
                "{} failing names kept",
                run.failed.len()
            );
            let _ = run.executed();
        }),
        Format::Lcov | Format::Cobertura | Format::CoverageJson => {
            parse_coverage(path, text).map(|coverage| {
                assert!(
                    (0.0..=1.0).contains(&coverage.ratio),
                    "coverage ratio {} is not a fraction ({:?})",
                    coverage.ratio,
                    coverage.lines
                );
            })
        }
        Format::Sarif => parse_sarif(text).map(|scan| {
            assert!(
                scan.error_rules.len() as u64 <= scan.errors,
                "{} error rules for {} errors",
                scan.error_rules.len(),
                scan.errors
            );
        }),
        Format::Benchmarks => parse_benchmarks(text).map(|benchmarks| {
            assert!(!benchmarks.is_empty(), "no results, yet no error");
            for b in &benchmarks {
                let _ = (b.met(), b.comparison());
            }
        }),
        Format::DevLog | Format::Review => Ok(()),
        Format::Deployments => {
            let record = parse_deployments(text);
            let lines = text.lines().count();
            let mut numbers: Vec<usize> = record.deployments.iter().map(|d| d.line).collect();
            numbers.extend(record.problems.iter().map(|(line, _)| *line));
            numbers.sort_unstable();
            assert!(
                numbers.windows(2).all(|w| w[0] < w[1]),
                "a line read twice: {numbers:?}"
            );
            assert!(
                numbers.iter().all(|n| (1..=lines).contains(n)),
                "a line number past the {lines} lines: {numbers:?}"
            );
            Ok(())
        }
        Format::Status => return agent_status(text),
        Format::Orchestrator => return orchestrator(text),
    };
    if parsed.is_err() {
        return;
    }
    let config = match format {
        Format::Review => &*REVIEW_CONFIG,
        _ => &*CONFIG,
    };
    let stale = selector / 10 % 2 == 1;
    gates(format, text, config, stale);
}

/// The PRP's gate report with the input as its only evidence (fresh or stale); for review
/// records also the input as the PRP itself (its review line, tasks, dates and the names it
/// goes by).
fn gates(format: Format, text: &str, config: &Config, stale: bool) {
    let fixed = &*FIXED;
    let evidence = Arc::new(Evidence::new(vec![Artifact {
        path: format.evidence_path().to_string(),
        text: text.to_string(),
        modified: NOW,
    }]));
    let _ = artifact_problems(config, &evidence);
    let prp_modified = if stale { NOW + 60 } else { NOW - 60 };
    let report = evaluate_evidence(&fixed.prp, PRP, config, &evidence, prp_modified).at(NOW);
    decision(&report);
    // The checklist findings: from a stored report (an open editor's) and as `check`
    // evaluates a PRP against the workspace's evidence without one.
    let mut ws = fixed.ws.clone();
    ws.set_evidence(Arc::clone(&evidence), NOW);
    ws.set_saved_at(PRP_PATH, prp_modified);
    let diagnostics = check(&fixed.prp, PRP, &ws, config);
    invariants::diagnostics(&fixed.prp, PRP, &diagnostics);
    ws.set_gate_report(PRP_PATH, report);
    let diagnostics = check(&fixed.prp, PRP, &ws, config);
    invariants::diagnostics(&fixed.prp, PRP, &diagnostics);
    if format == Format::Review {
        let doc = parse(PRP_PATH, text, config);
        let report = evaluate_evidence(&doc, text, config, &evidence, prp_modified).at(NOW);
        decision(&report);
        let mut ws = fixed.ws.clone();
        ws.update_document(PRP_PATH, DocFacts::of(&doc));
        ws.set_evidence(evidence, NOW);
        ws.set_saved_at(PRP_PATH, prp_modified);
        let diagnostics = check(&doc, text, &ws, config);
        invariants::diagnostics(&doc, text, &diagnostics);
    }
}

/// The decision follows the gates, and every way of showing it works.
fn decision(report: &GateReport) {
    assert_eq!(
        report.ready,
        report.gates.iter().all(|g| g.passes()),
        "the decision disagrees with the gates"
    );
    let _ = (
        report.summary(),
        report.to_markdown(),
        matrix_text(std::slice::from_ref(report)),
    );
}

/// Status reports as the agent table, hovers, alerts and findings show them.
fn agent_status(text: &str) {
    let Ok(statuses) = parse_status(Format::Status.evidence_path(), text) else {
        return;
    };
    let fixed = &*FIXED;
    let mut ws = fixed.ws.clone();
    let ids: Vec<String> = statuses.iter().map(|s| s.id.clone()).collect();
    ws.set_status(StatusSnapshot {
        statuses,
        now: NOW,
        ..StatusSnapshot::default()
    });
    reports(&ws, &CONFIG, &ids);
}

/// An orchestrator configuration imported: its agents, routing rules and thresholds.
fn orchestrator(text: &str) {
    let Ok(orchestrator) = OrchestratorConfig::from_json(text) else {
        return;
    };
    let fixed = &*FIXED;
    let ids: Vec<String> = orchestrator.agents.iter().map(|a| a.id.clone()).collect();
    let mut config = CONFIG.clone();
    config.set_orchestrator(Some(orchestrator));
    config.orchestrator_path = Some(Format::Orchestrator.evidence_path().to_string());
    let _ = (config.status_settings(), config_conflicts(&config));
    let _ = prp_analysis::gates::coverage_threshold(&config);
    let mut ws = fixed.ws.clone();
    ws.set_config_agents(&config);
    let fixed_status = parse_status(
        "agent_contexts/status/backend.json",
        r#"{"id": "backend", "state": "busy", "current_task": "PRP-03 Task 1",
            "task_started_at": "2026-11-20T02:00:00Z", "reported_at": "2026-11-20T11:00:00Z",
            "tasks_completed": 9, "tasks_failed": 1, "avg_response_ms": 7000}"#,
    )
    .expect("the fixed status parses");
    ws.set_status(StatusSnapshot {
        statuses: fixed_status,
        now: NOW,
        ..StatusSnapshot::default()
    });
    reports(&ws, &config, &ids);
    for (doc, text) in [(&fixed.prp, PRP), (&fixed.task, TASK)] {
        for task in 0..doc.tasks.len() {
            for candidate in assign::candidates(doc, text, task, &ws, &config) {
                let change = assign::assign_change(doc, text, task, &candidate);
                invariants::change(&change, &|p: &str| {
                    (p == doc.path).then(|| text.to_string())
                });
            }
        }
        if let Some(change) = assign::assign_all(doc, text, &ws, &config) {
            invariants::change(&change, &|p: &str| {
                (p == doc.path).then(|| text.to_string())
            });
        }
    }
}

/// Everything that shows agents: rows, table, hovers, alerts, the board's lens, findings.
fn reports(ws: &Workspace, config: &Config, ids: &[String]) {
    let fixed = &*FIXED;
    let rows = agent_rows(ws, config);
    for row in &rows {
        let _ = (row.cells(NOW), row.to_json());
    }
    let _ = agents_markdown(&rows, NOW);
    for id in ids
        .iter()
        .take(8)
        .map(String::as_str)
        .chain(["backend", "frontend"])
    {
        let _ = (describe(id, ws, config), alerts(id, ws, config));
    }
    let _ = board_summary(&fixed.task, ws, NOW);
    for (doc, text) in [(&fixed.prp, PRP), (&fixed.task, TASK)] {
        let diagnostics = check(doc, text, ws, config);
        invariants::diagnostics(doc, text, &diagnostics);
    }
}
