//! `deployment-failures`: the orchestrator's alert on a PRP that keeps failing to deploy.

use super::deployments::{Deployment, Outcome};
use super::{DeploymentIndex, WINDOW_DAYS};
use crate::config::Config;
use crate::document::{DocKind, PrpNumber};
use crate::rules::context::Context;
use crate::rules::registry::{Rule, Severity};

/// The failed or rolled-back deployments of one PRP that the alert counts: those of the
/// last [`WINDOW_DAYS`] days, and those since its last successful deployment however old
/// (a PRP that failed twice and was never deployed since is still failing).
pub struct Failures<'a> {
    /// (the record's file, the deployment), oldest first.
    pub counted: Vec<&'a (String, Deployment)>,
    /// Whether some counted failure is older than the window: then all of them came after
    /// the last success, which the message says instead of the window.
    pub since_success: bool,
    pub threshold: usize,
}

impl Failures<'_> {
    pub fn alerts(&self) -> bool {
        self.counted.len() >= self.threshold
    }

    /// An error from twice the threshold.
    pub fn escalated(&self) -> bool {
        self.counted.len() >= self.threshold.saturating_mul(2)
    }

    /// "2 rolled-back deployments since its last successful one".
    pub fn summary(&self) -> String {
        let n = self.counted.len();
        let rolled_back = self
            .counted
            .iter()
            .filter(|(_, d)| d.outcome == Outcome::RolledBack)
            .count();
        let what = match rolled_back {
            0 => format!("{n} failed deployment(s)"),
            r if r == n => format!("{n} rolled-back deployment(s)"),
            r => format!("{n} failed or rolled-back deployments ({r} rolled back)"),
        };
        let when = if self.since_success {
            "since its last successful one".to_string()
        } else {
            format!("in the last {WINDOW_DAYS} days")
        };
        format!("{what} {when} (alert at {})", self.threshold)
    }
}

/// The failures of the PRP at `path` (numbered `number`) that the alert counts at `now`.
pub fn failures<'a>(
    index: &'a DeploymentIndex,
    config: &Config,
    path: &str,
    number: Option<&PrpNumber>,
    now: i64,
) -> Failures<'a> {
    let threshold = config.status_settings().thresholds.deployment_failures as usize;
    let since = now - WINDOW_DAYS * 86_400;
    let all = index.of(path, number);
    let last_success = all
        .iter()
        .rposition(|(_, d)| d.outcome == Outcome::Succeeded && d.at <= now);
    let after_success = last_success.map_or(0, |i| i + 1);
    let counted: Vec<&(String, Deployment)> = all
        .iter()
        .enumerate()
        .filter(|(i, (_, d))| {
            d.outcome != Outcome::Succeeded && d.at <= now && (d.at >= since || *i >= after_success)
        })
        .map(|(_, d)| *d)
        .collect();
    let since_success = counted.iter().any(|(_, d)| d.at < since);
    Failures {
        counted,
        since_success,
        threshold,
    }
}

/// `deployment-failures`: a PRP with at least the threshold's number of counted failures
/// ([`failures`]); an error at twice the threshold. On the PRP's title line.
pub(crate) fn check(cx: &mut Context) {
    let doc = cx.doc;
    if doc.kind != DocKind::Prp {
        return;
    }
    let Some((evidence, now)) = cx.ws.evidence() else {
        return;
    };
    let index = evidence.deployment_index(cx.config);
    let found = failures(
        &index,
        cx.config,
        &doc.path,
        doc.metadata.number.as_ref(),
        now,
    );
    if !found.alerts() {
        return;
    }
    let (path, last) = found
        .counted
        .last()
        .expect("at least the threshold, which is 1 or more");
    let message = format!(
        "{}; the last on line {} of `{path}`{}: find the cause before deploying again",
        found.summary(),
        last.line,
        last.environment
            .as_deref()
            .map(|e| format!(", {e}"))
            .unwrap_or_default()
    );
    let anchor = title_line(cx);
    let escalated = found.escalated();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::delivery::deployments::parse_deployments;

    const NOW: i64 = 1_795_176_000; // 2026-11-20T12:00:00Z

    fn index(lines: &[(&str, &str)]) -> DeploymentIndex {
        let text: String = lines
            .iter()
            .map(|(at, result)| {
                format!("{{\"prp\": \"PRP-07\", \"at\": \"{at}\", \"result\": \"{result}\"}}\n")
            })
            .collect();
        DeploymentIndex::build([(
            "deployments.jsonl".to_string(),
            parse_deployments(&text).deployments,
        )])
    }

    fn counted(index: &DeploymentIndex) -> (usize, bool, String) {
        let number = PrpNumber {
            phase: None,
            number: 7,
        };
        let f = failures(
            index,
            &Config::default(),
            "PRPs/active/07_export.md",
            Some(&number),
            NOW,
        );
        (f.counted.len(), f.alerts(), f.summary())
    }

    #[test]
    fn failures_in_the_window_count_even_after_a_success() {
        let index = index(&[
            ("2026-11-10T10:00:00Z", "failed"),
            ("2026-11-12T10:00:00Z", "rolled_back"),
            ("2026-11-13T10:00:00Z", "succeeded"),
        ]);
        let (n, alerts, summary) = counted(&index);
        assert_eq!((n, alerts), (2, true));
        assert_eq!(
            summary,
            "2 failed or rolled-back deployments (1 rolled back) in the last 30 days (alert at 2)"
        );
    }

    #[test]
    fn old_failures_count_until_a_success_follows_them() {
        // Both rollbacks are months old, and nothing was deployed since: still failing.
        let unresolved = index(&[
            ("2026-06-01T10:00:00Z", "succeeded"),
            ("2026-07-01T10:00:00Z", "rolled_back"),
            ("2026-07-02T10:00:00Z", "rolled_back"),
        ]);
        let (n, alerts, summary) = counted(&unresolved);
        assert_eq!((n, alerts), (2, true));
        assert_eq!(
            summary,
            "2 rolled-back deployment(s) since its last successful one (alert at 2)"
        );
        // A success after them, also long ago, settles them.
        let settled = index(&[
            ("2026-07-01T10:00:00Z", "rolled_back"),
            ("2026-07-02T10:00:00Z", "rolled_back"),
            ("2026-07-03T10:00:00Z", "succeeded"),
        ]);
        assert_eq!(counted(&settled).0, 0);
    }

    #[test]
    fn one_failure_is_below_the_default_threshold_and_the_future_does_not_count() {
        let index = index(&[
            ("2026-11-19T10:00:00Z", "failed"),
            ("2026-12-19T10:00:00Z", "failed"),
        ]);
        let (n, alerts, _) = counted(&index);
        assert_eq!((n, alerts), (1, false));
    }
}
