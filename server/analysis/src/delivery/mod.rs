//! Delivery: what happened to PRPs once their work was done. The deployment record the
//! pipeline appends to, and the orchestrator's alert on it (`deployment-failures`).

pub mod deployments;
pub mod metrics;

use crate::document::{DocKind, Document};
use crate::gates::Evidence;
use crate::rules::context::Context;
use crate::rules::registry::{Rule, Severity};
use deployments::{Deployment, Outcome};

/// How far back a failed deployment counts, in days.
pub const WINDOW_DAYS: i64 = 30;

/// Whether `written` (a deployment's `prp`: `PRP-007`, `7`, a path, a file name) names
/// `doc`.
pub fn names(doc: &Document, written: &str) -> bool {
    names_prp(&doc.path, doc.metadata.number.as_ref(), written)
}

/// [`names`] for a PRP known by its path and number (the index's facts).
pub fn names_prp(path: &str, number: Option<&crate::document::PrpNumber>, written: &str) -> bool {
    let written = written.trim().trim_start_matches("./");
    let file_name = path.rsplit('/').next().unwrap_or(path);
    if written == path || written == file_name || path.ends_with(&format!("/{written}")) {
        return true;
    }
    // A number: `PRP-007`, `PRP 7`, `#7`, `7`.
    let digits = written
        .trim_start_matches(|c: char| !c.is_ascii_digit())
        .trim_end();
    let prefix = written[..written.len() - digits.len()]
        .trim_end_matches([' ', '-', '#', '_'])
        .trim()
        .to_ascii_lowercase();
    let is_number = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (prefix.is_empty() || prefix == "prp");
    match (number, digits.parse::<u32>()) {
        (Some(n), Ok(d)) if is_number => n.number == d,
        _ => false,
    }
}

/// The workspace's deployments of `doc` (from every deployment record), oldest first.
pub fn deployments_of(
    doc: &Document,
    config: &crate::config::Config,
    evidence: &Evidence,
) -> Vec<(String, Deployment)> {
    let mut out: Vec<(String, Deployment)> = evidence
        .artifacts()
        .iter()
        .filter(|a| config.gates.is_deployment_record(&a.path))
        .flat_map(|a| {
            evidence
                .deployments(a)
                .deployments
                .into_iter()
                .filter(|d| names(doc, &d.prp))
                .map(|d| (a.path.clone(), d))
                .collect::<Vec<_>>()
        })
        .collect();
    out.sort_by_key(|(_, d)| d.at);
    out
}

/// `deployment-failures`: a PRP failed or was rolled back at least the threshold's number
/// of times in the last [`WINDOW_DAYS`] days; an error at twice the threshold. On the
/// PRP's title line.
pub(crate) fn check(cx: &mut Context) {
    let doc = cx.doc;
    if doc.kind != DocKind::Prp {
        return;
    }
    let Some((evidence, now)) = cx.ws.evidence() else {
        return;
    };
    let threshold = cx.config.status_settings().thresholds.deployment_failures as usize;
    let since = now - WINDOW_DAYS * 86_400;
    let failed: Vec<(String, Deployment)> = deployments_of(doc, cx.config, evidence)
        .into_iter()
        .filter(|(_, d)| d.outcome != Outcome::Succeeded && d.at >= since)
        .collect();
    if failed.len() < threshold {
        return;
    }
    let rolled_back = failed
        .iter()
        .filter(|(_, d)| d.outcome == Outcome::RolledBack)
        .count();
    let what = match rolled_back {
        0 => format!("{} failed deployments", failed.len()),
        n if n == failed.len() => format!("{n} rolled-back deployments"),
        n => format!(
            "{} failed or rolled-back deployments ({n} rolled back)",
            failed.len()
        ),
    };
    let (path, last) = failed
        .last()
        .expect("at least the threshold, which is 1 or more");
    let message = format!(
        "{what} in the last {WINDOW_DAYS} days (alert at {threshold}); the last on line {} of `{path}`{}: find the cause before deploying again",
        last.line,
        last.environment
            .as_deref()
            .map(|e| format!(", {e}"))
            .unwrap_or_default()
    );
    let anchor = title_line(cx);
    let escalated = failed.len() >= threshold.saturating_mul(2);
    let d = cx.report(Rule::DeploymentFailures, anchor, message);
    if escalated {
        d.severity = Severity::Error;
    }
}

/// The PRP's `#` title, else its first line.
fn title_line(cx: &Context) -> std::ops::Range<usize> {
    cx.doc
        .sections
        .iter()
        .find(|s| s.level == 1)
        .map(|s| s.heading.clone())
        .unwrap_or_else(|| cx.document_anchor())
}
