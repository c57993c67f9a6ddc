//! The PRP's own pre-deployment checklist, checked against the gate report: an item ticked
//! while its gate fails, an item left open while its gate passes, an item with no evidence.

use super::report::{age, evidence_note};
use super::{Gate, GateReport, GateResult, Verdict};
use crate::diagnostic::FixHint;
use crate::document::{CheckItem, Document, Lifecycle, Section};
use crate::rules::context::Context;
use crate::rules::registry::Rule;

/// A section that holds the pre-deployment checklist: "Pre-Deployment Checklist",
/// "Deployment Checklist", "Quality Gates", "Final Validation Checklist", "Pre-Deployment".
pub fn is_gate_checklist(section: &Section) -> bool {
    let key = section.name.key.replace('-', " ");
    section.canonical.as_deref() == Some("Final Validation Checklist")
        || key.contains("deployment checklist")
        || key.starts_with("pre deployment")
        || key.contains("quality gate")
}

/// Whether a section (or one of its ancestors) is a pre-deployment checklist.
pub(crate) fn in_gate_checklist(doc: &Document, section: Option<usize>) -> bool {
    let mut cur = section;
    while let Some(i) = cur {
        if is_gate_checklist(&doc.sections[i]) {
            return true;
        }
        cur = doc.sections[i].parent;
    }
    false
}

/// The gates a checklist item speaks of, by its words: "Unit tests passing with coverage ≥
/// 90%" is unit tests and coverage; "Security scan clean" is security.
pub fn checklist_gates(item: &str) -> Vec<Gate> {
    // Words separated by single spaces, `end-to-end` and `DEV_LOG` as words.
    let words: String = item
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let text = format!(
        " {} ",
        words.split_whitespace().collect::<Vec<_>>().join(" ")
    );
    let has = |needles: &[&str]| needles.iter().any(|n| text.contains(n));
    let mut gates = Vec::new();
    if has(&[" task", " todo"]) && has(&[" complete", " done", " finished", " closed"]) {
        gates.push(Gate::Tasks);
    }
    if has(&[" review", " approved", " approval"]) {
        gates.push(Gate::CodeReview);
    }
    let integration = has(&[" integration"]);
    let e2e = has(&[" e2e ", " end to end ", " playwright", " cypress"]);
    let performance = has(&[" performance", " benchmark", " latency", " load test"]);
    if has(&[" unit test", " unit tests", " unittest"])
        || (has(&[
            " tests pass",
            " tests passing",
            " all tests",
            " test suite",
            " tests green",
        ]) && !(integration || e2e || performance))
    {
        gates.push(Gate::UnitTests);
    }
    if has(&[" coverage"]) {
        gates.push(Gate::Coverage);
    }
    if integration {
        gates.push(Gate::IntegrationTests);
    }
    if e2e {
        gates.push(Gate::E2eTests);
    }
    if performance {
        gates.push(Gate::Performance);
    }
    if has(&[
        " security",
        " vulnerabilit",
        " sast ",
        " secret scan",
        " cve",
    ]) {
        gates.push(Gate::Security);
    }
    if has(&[" dev log ", " devlog ", " development log"]) {
        gates.push(Gate::DevLog);
    } else if has(&[" doc ", " docs ", " documentation", " readme", " changelog"]) {
        gates.push(Gate::Documentation);
    }
    gates
}

/// Whether the PRP has a pre-deployment checklist item that names a gate.
pub(crate) fn has_gate_items(doc: &Document) -> bool {
    doc.checklist.iter().any(|item| {
        !doc.in_example(item.section)
            && in_gate_checklist(doc, item.section)
            && !checklist_gates(&item.text).is_empty()
    })
}

/// Findings on the pre-deployment checklist items of a PRP: against the report the owner
/// stored (an open PRP's, kept current as it is edited), else evaluated here against the
/// workspace's evidence, so `check` and the workspace's diagnostics report what an open
/// PRP shows.
pub(crate) fn check(cx: &mut Context) {
    let doc = cx.doc;
    let evaluated;
    let report = match cx.ws.gate_report(&doc.path) {
        Some(report) => report,
        None => {
            let Some((evidence, now)) = cx.ws.evidence() else {
                return;
            };
            if !has_gate_items(doc) {
                return;
            }
            let saved = cx.ws.saved_at(&doc.path);
            evaluated = super::evaluate_evidence(doc, cx.text, cx.config, evidence, saved).at(now);
            &evaluated
        }
    };
    // Evidence that passes says an open item may be ticked only once the PRP's own work is
    // done: a new PRP in a workspace whose tests pass is not ready to tick "tests passing".
    let tasks_done = report
        .result(Gate::Tasks)
        .is_none_or(|r| r.verdict == Verdict::Pass);
    for item in &doc.checklist {
        if item.is_struck() || doc.in_example(item.section) || !in_gate_checklist(doc, item.section)
        {
            continue;
        }
        let results: Vec<&GateResult> = checklist_gates(&item.text)
            .into_iter()
            .filter_map(|g| report.result(g))
            .collect();
        if results.is_empty() {
            continue;
        }
        coverage_drop(cx, item, &results);
        gate_failing(cx, item, &results, report);
        gate_no_evidence(cx, item, &results, report);
        gate_unticked(cx, item, &results, report, tasks_done);
    }
}

/// `coverage-drop`: the coverage item of an active PRP, when a coverage report is below
/// the alert threshold (ticked or not: the alert is about the project, not the item).
fn coverage_drop(cx: &mut Context, item: &CheckItem, results: &[&GateResult]) {
    if cx.doc.lifecycle == Lifecycle::Finished {
        return;
    }
    let coverage = results.iter().find(|r| r.gate == Gate::Coverage);
    if let Some(message) = coverage.and_then(|r| super::coverage_drop(r, cx.config)) {
        cx.report(Rule::CoverageDrop, item.line.clone(), message);
    }
}

/// `gate-failing`: a ticked item whose gate fails.
fn gate_failing(cx: &mut Context, item: &CheckItem, results: &[&GateResult], report: &GateReport) {
    let failing: Vec<&GateResult> = results
        .iter()
        .copied()
        .filter(|r| r.verdict == Verdict::Fail)
        .collect();
    if item.checked && !failing.is_empty() {
        let message = format!(
            "{}; this item is ticked but its gate fails",
            describe(&failing, report)
        );
        cx.report(Rule::GateFailing, item.line.clone(), message);
    }
}

/// `gate-no-evidence`: a ticked item none of whose gates fail, but some has no current
/// evidence. Only a ticked item claims the gate is met; an open one claims nothing.
fn gate_no_evidence(
    cx: &mut Context,
    item: &CheckItem,
    results: &[&GateResult],
    report: &GateReport,
) {
    if !item.checked || results.iter().any(|r| r.verdict == Verdict::Fail) {
        return;
    }
    let unproven: Vec<&GateResult> = results
        .iter()
        .copied()
        .filter(|r| r.verdict == Verdict::NoEvidence || (r.verdict == Verdict::Pass && r.stale))
        .collect();
    if !unproven.is_empty() {
        let message = format!(
            "{}; nothing shows this item is done now",
            describe(&unproven, report)
        );
        cx.report(Rule::GateNoEvidence, item.line.clone(), message);
    }
}

/// `gate-unticked`: an open item whose gates all pass, once the PRP's own tasks are done.
fn gate_unticked(
    cx: &mut Context,
    item: &CheckItem,
    results: &[&GateResult],
    report: &GateReport,
    tasks_done: bool,
) {
    let passes = !item.checked
        && tasks_done
        && results.iter().all(|r| r.passes())
        // Documentation "passes" on file times, which a fresh checkout sets for every
        // file: too weak to tell someone to tick the item.
        && !results.iter().all(|r| r.gate == Gate::Documentation);
    if passes {
        let message = format!(
            "{}; the gate passes, tick this item",
            describe(results, report)
        );
        cx.report(Rule::GateUnticked, item.line.clone(), message)
            .hint = Some(FixHint::TickGateItem {
            marker: item.marker.clone(),
        });
    }
}

/// "unit tests: 2 failures in reports/junit.xml (12 tests) (3 min old)", one per gate.
fn describe(results: &[&GateResult], report: &GateReport) -> String {
    results
        .iter()
        .map(|r| {
            let mut notes = Vec::new();
            if let Some(files) = evidence_note(r) {
                notes.push(files);
            }
            if let Some(age) = r.newest.zip(report.now).map(|(t, now)| age(now, t)) {
                notes.push(format!("{age} old"));
            }
            if r.stale {
                notes.push("older than the PRP's last change".to_string());
            }
            let notes = if notes.is_empty() {
                String::new()
            } else {
                format!(" ({})", notes.join(", "))
            };
            format!("{}: {}{notes}", r.gate.label(), r.detail)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orchestrator_checklist_words() {
        let cases: &[(&str, &[Gate])] = &[
            ("All assigned tasks completed", &[Gate::Tasks]),
            ("Code review passed", &[Gate::CodeReview]),
            (
                "Unit tests passing with coverage ≥ 90%",
                &[Gate::UnitTests, Gate::Coverage],
            ),
            ("Integration tests passing", &[Gate::IntegrationTests]),
            ("E2E tests passing", &[Gate::E2eTests]),
            ("End-to-end tests pass", &[Gate::E2eTests]),
            ("Performance benchmarks met", &[Gate::Performance]),
            ("Security scan clean", &[Gate::Security]),
            ("Documentation updated", &[Gate::Documentation]),
            ("DEV_LOG entries added", &[Gate::DevLog]),
            (
                "All tests pass: `uv run pytest tests/ -v`",
                &[Gate::UnitTests],
            ),
            ("No linting errors", &[]),
        ];
        for (text, gates) in cases {
            assert_eq!(checklist_gates(text), *gates, "{text}");
        }
    }
}
