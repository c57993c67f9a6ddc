//! How a gate report reads: the one-line decision of the code lens, the Markdown report a
//! command opens, and the decision matrix the CLI prints.

use std::fmt::Write;

use super::{GateReport, GateResult, Verdict};

/// "45 s", "3 min", "2 h", "4 days".
pub(super) fn age(now: i64, then: i64) -> String {
    let s = (now - then).max(0);
    match s {
        0..60 => format!("{s} s"),
        60..3600 => format!("{} min", s / 60),
        3600..86_400 => format!("{} h", s / 3600),
        _ => match s / 86_400 {
            1 => "1 day".to_string(),
            d => format!("{d} days"),
        },
    }
}

/// The evidence files a result's detail does not already name.
pub(super) fn evidence_note(r: &GateResult) -> Option<String> {
    let unnamed: Vec<&str> = r
        .evidence
        .iter()
        .map(String::as_str)
        .filter(|p| !r.detail.contains(p))
        .collect();
    (!unnamed.is_empty()).then(|| unnamed.join(", "))
}

/// What a result is called in tables: "pass", "FAIL", "no evidence", "pass (stale)".
fn result_label(r: &GateResult) -> String {
    let verdict = match r.verdict {
        Verdict::Fail => "FAIL",
        v => v.label(),
    };
    if r.stale {
        format!("{verdict} (stale)")
    } else {
        verdict.to_string()
    }
}

impl GateReport {
    /// "Deploy: ready", or "Deploy: blocked — coverage 84.2% < 90%, 2 e2e failures":
    /// failing gates first, then stale ones, then those without evidence.
    pub fn summary(&self) -> String {
        if self.ready {
            return "Deploy: ready".to_string();
        }
        let blocking = |pick: fn(&GateResult) -> bool| {
            self.gates
                .iter()
                .filter(move |r| !r.passes() && pick(r))
                .map(|r| r.reason.clone())
        };
        let reasons: Vec<String> = blocking(|r| r.verdict == Verdict::Fail)
            .chain(blocking(|r| r.verdict == Verdict::Pass))
            .chain(blocking(|r| r.verdict == Verdict::NoEvidence))
            .collect();
        const SHOWN: usize = 4;
        let mut line = format!(
            "Deploy: blocked — {}",
            reasons
                .iter()
                .take(SHOWN)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        );
        if reasons.len() > SHOWN {
            let _ = write!(line, ", +{} more", reasons.len() - SHOWN);
        }
        line
    }

    /// The full report: decision, a table of gates, unreadable evidence.
    pub fn to_markdown(&self) -> String {
        let mut out = format!(
            "# Deployment gates: `{}`\n\n**{}**\n\n",
            self.prp,
            self.summary()
        );
        out.push_str("| Gate | Result | Detail | Evidence |\n|---|---|---|---|\n");
        for r in &self.gates {
            let mut evidence = r
                .evidence
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ");
            if let Some(age) = r.newest.zip(self.now).map(|(t, now)| age(now, t)) {
                let _ = write!(evidence, " ({age} old)");
            }
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                r.gate.label(),
                result_label(r),
                r.detail.replace('|', "\\|"),
                evidence
            );
        }
        if self.gates.iter().any(|r| r.stale) {
            out.push_str("\nStale evidence is older than the PRP's last change: it does not show the current state, so it does not count as passing. Re-run the tool that writes it.\n");
        }
        if !self.problems.is_empty() {
            out.push_str("\n## Unreadable evidence\n\n");
            for (path, problem) in &self.problems {
                let _ = writeln!(out, "- `{path}`: {problem}");
            }
        }
        out
    }
}

/// The decision matrix of `prp-lsp gates`: per PRP its decision, then gate, result,
/// evidence and detail in aligned columns.
pub fn matrix_text(reports: &[GateReport]) -> String {
    let mut out = String::new();
    for (i, report) in reports.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let _ = writeln!(out, "{}: {}", report.prp, report.summary());
        let rows: Vec<[String; 4]> = report
            .gates
            .iter()
            .map(|r| {
                let evidence = if r.evidence.is_empty() {
                    "-".to_string()
                } else {
                    r.evidence.join(", ")
                };
                [
                    r.gate.label().to_string(),
                    result_label(r),
                    evidence,
                    r.detail.clone(),
                ]
            })
            .collect();
        let header = ["gate", "result", "evidence", "detail"].map(str::to_string);
        let mut widths = [0usize; 3];
        for row in std::iter::once(&header).chain(&rows) {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        for row in std::iter::once(&header).chain(&rows) {
            let mut line = String::from(" ");
            for (w, cell) in widths.iter().zip(row) {
                let _ = write!(line, " {cell:<w$} ");
            }
            line.push(' ');
            line.push_str(&row[3]);
            let _ = writeln!(out, "{}", line.trim_end());
        }
        for (path, problem) in &report.problems {
            let _ = writeln!(out, "  unreadable: {path}: {problem}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages() {
        assert_eq!(age(100, 55), "45 s");
        assert_eq!(age(1000, 820), "3 min");
        assert_eq!(age(90_000, 0), "1 day");
        assert_eq!(age(0, 10), "0 s");
    }
}
