//! `deployment-failures`: the orchestrator's alert on a PRP that keeps failing to deploy.

use super::deployments::{Deployment, Outcome};
use super::WINDOW_DAYS;
use crate::document::DocKind;
use crate::rules::context::Context;
use crate::rules::registry::{Rule, Severity};

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
    let index = evidence.deployment_index(cx.config);
    let failed: Vec<&(String, Deployment)> = index
        .of(&doc.path, doc.metadata.number.as_ref())
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
