//! Each gate's verdict for one PRP from the artifacts the caller read.

use std::sync::LazyLock;

use regex::Regex;

use super::formats::{SecurityScan, TestRun};
use super::{coverage_threshold, Artifact, Evidence, Gate, GateReport, GateResult, Verdict};
use crate::config::Config;
use crate::document::scan::Date;
use crate::document::{Document, MarkerState};
use crate::figures::percents_compared;

/// Every enabled gate's verdict for `doc` (whose text is `text`, last changed at
/// `prp_modified`, unix seconds), from `artifacts`.
pub fn evaluate(
    doc: &Document,
    text: &str,
    config: &Config,
    artifacts: &[Artifact],
    prp_modified: i64,
) -> GateReport {
    evaluate_evidence(
        doc,
        text,
        config,
        &Evidence::new(artifacts.to_vec()),
        prp_modified,
    )
}

/// [`evaluate`] against evidence parsed once for the whole workspace.
pub fn evaluate_evidence(
    doc: &Document,
    text: &str,
    config: &Config,
    evidence: &Evidence,
    prp_modified: i64,
) -> GateReport {
    let mut cx = Eval {
        doc,
        text,
        config,
        evidence,
        problems: Vec::new(),
    };
    let gates: Vec<GateResult> = config
        .gates
        .enabled
        .iter()
        .map(|&gate| {
            let mut result = cx.gate(gate);
            result.stale = gate.goes_stale()
                && result.verdict != Verdict::NoEvidence
                && result.newest.is_some_and(|t| t < prp_modified);
            if result.stale && result.verdict == Verdict::Pass {
                result.reason = format!("{} stale", gate.label());
            }
            result
        })
        .collect();
    let mut problems = cx.problems;
    problems.sort();
    problems.dedup();
    GateReport {
        prp: doc.path.clone(),
        ready: gates.iter().all(GateResult::passes),
        gates,
        problems,
        now: None,
    }
}

struct Eval<'a> {
    doc: &'a Document,
    text: &'a str,
    config: &'a Config,
    evidence: &'a Evidence,
    problems: Vec<(String, String)>,
}

fn result(gate: Gate, verdict: Verdict, detail: String, reason: String) -> GateResult {
    GateResult {
        gate,
        verdict,
        stale: false,
        detail,
        reason,
        evidence: Vec::new(),
        newest: None,
        measured: None,
    }
}

fn plural(n: u64, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {one}s")
    }
}

impl Eval<'_> {
    fn gate(&mut self, gate: Gate) -> GateResult {
        let files: Vec<&Artifact> = self
            .evidence
            .artifacts()
            .iter()
            .filter(|a| self.config.gates.matches(gate, &a.path))
            .collect();
        let mut r = match gate {
            Gate::Tasks => self.tasks(),
            Gate::CodeReview => self.review(&files),
            Gate::UnitTests | Gate::IntegrationTests | Gate::E2eTests => self.tests(gate, &files),
            Gate::Coverage => self.coverage(&files),
            Gate::Performance => self.performance(&files),
            Gate::Security => self.security(&files),
            Gate::Documentation => self.documentation(&files),
            Gate::DevLog => self.dev_log(&files),
        };
        if r.verdict == Verdict::NoEvidence && r.detail.is_empty() {
            r.detail = match self.config.gates.patterns(gate) {
                [] => "no evidence".to_string(),
                patterns => format!("no evidence (looked for {})", patterns.join(", ")),
            };
            r.reason = format!("no {} evidence", gate.label());
        }
        r
    }

    /// Keeps the artifacts `read` accepts; the others become problems. Returns the read
    /// values and sets the result's evidence and newest time.
    fn read<T>(
        &mut self,
        files: &[&Artifact],
        mut read: impl FnMut(&Artifact) -> Result<T, String>,
        evidence: &mut Vec<String>,
        newest: &mut Option<i64>,
    ) -> Vec<(String, T)> {
        let mut out = Vec::new();
        for a in files {
            match read(a) {
                Ok(v) => {
                    evidence.push(a.path.clone());
                    *newest = Some(newest.map_or(a.modified, |n| n.max(a.modified)));
                    out.push((a.path.clone(), v));
                }
                Err(problem) => self.problems.push((a.path.clone(), problem)),
            }
        }
        out
    }

    /// The result when no artifact could be read; names the unreadable ones.
    fn unreadable(&self, gate: Gate, files: &[&Artifact]) -> GateResult {
        if files.is_empty() {
            return result(gate, Verdict::NoEvidence, String::new(), String::new());
        }
        let named: Vec<&str> = files.iter().map(|a| a.path.as_str()).collect();
        let problem = self
            .problems
            .iter()
            .find(|(p, _)| *p == files[0].path)
            .map(|(_, m)| m.as_str())
            .unwrap_or("unreadable");
        result(
            gate,
            Verdict::NoEvidence,
            format!("no readable evidence: {} ({problem})", named.join(", ")),
            format!("{} evidence unreadable", gate.label()),
        )
    }

    fn tests(&mut self, gate: Gate, files: &[&Artifact]) -> GateResult {
        let (mut evidence, mut newest) = (Vec::new(), None);
        let ev = self.evidence;
        let runs = self.read(files, |a| ev.junit(a), &mut evidence, &mut newest);
        if runs.is_empty() {
            return self.unreadable(gate, files);
        }
        let mut total = TestRun::default();
        let mut failing_files = Vec::new();
        for (path, run) in runs {
            if run.failures + run.errors > 0 {
                failing_files.push(path);
            }
            total.add(run);
        }
        let bad = total.failures + total.errors;
        let short = match gate {
            Gate::UnitTests => "unit test",
            Gate::IntegrationTests => "integration",
            _ => "e2e",
        };
        let (verdict, detail, reason) = if bad > 0 {
            let mut what = vec![plural(total.failures, "failure")];
            if total.errors > 0 {
                what.push(plural(total.errors, "error"));
            }
            let names = if total.failed.is_empty() {
                String::new()
            } else {
                format!(": {}", total.failed.join(", "))
            };
            (
                Verdict::Fail,
                format!(
                    "{} in {} ({} tests){names}",
                    what.join(", "),
                    failing_files.join(", "),
                    total.tests
                ),
                format!("{} {short} failure{}", bad, if bad == 1 { "" } else { "s" }),
            )
        } else if gate == Gate::UnitTests && total.executed() == 0 {
            (
                Verdict::Fail,
                format!("no tests ran ({} skipped)", total.skipped),
                "no unit tests ran".to_string(),
            )
        } else {
            let skipped = if total.skipped > 0 {
                format!(", {} skipped", total.skipped)
            } else {
                String::new()
            };
            (
                Verdict::Pass,
                format!("{} tests, 0 failures{skipped}", total.tests),
                String::new(),
            )
        };
        GateResult {
            evidence,
            newest,
            ..result(gate, verdict, detail, reason)
        }
    }

    fn coverage(&mut self, files: &[&Artifact]) -> GateResult {
        let (mut evidence, mut newest) = (Vec::new(), None);
        let ev = self.evidence;
        let reports = self.read(files, |a| ev.coverage(a), &mut evidence, &mut newest);
        let Some((lowest_path, lowest)) = reports
            .iter()
            .min_by(|a, b| a.1.ratio.total_cmp(&b.1.ratio))
        else {
            return self.unreadable(Gate::Coverage, files);
        };
        // The lowest report first: the one that decides, and the one an alert names.
        if let Some(i) = evidence.iter().position(|p| p == lowest_path) {
            evidence[..=i].rotate_right(1);
        }
        let threshold = coverage_threshold(self.config);
        let (shown, limit) = percents_compared(lowest.ratio, threshold);
        let measured = format!("coverage {shown}%");
        let of = if reports.len() > 1 {
            format!(" (lowest of {}: {lowest_path})", reports.len())
        } else {
            String::new()
        };
        let (verdict, detail, reason) = if lowest.ratio + 1e-9 < threshold {
            let short = format!("{measured} < {limit}%");
            (Verdict::Fail, format!("{short}{of}"), short)
        } else {
            (
                Verdict::Pass,
                format!("{measured} ≥ {limit}%{of}"),
                String::new(),
            )
        };
        GateResult {
            evidence,
            newest,
            measured: Some(lowest.ratio),
            ..result(Gate::Coverage, verdict, detail, reason)
        }
    }

    fn performance(&mut self, files: &[&Artifact]) -> GateResult {
        let (mut evidence, mut newest) = (Vec::new(), None);
        let ev = self.evidence;
        let sets = self.read(files, |a| ev.benchmarks(a), &mut evidence, &mut newest);
        if sets.is_empty() {
            return self.unreadable(Gate::Performance, files);
        }
        let all: Vec<_> = sets.into_iter().flat_map(|(_, b)| b).collect();
        let missed: Vec<_> = all.iter().filter(|b| !b.met()).collect();
        let (verdict, detail, reason) = match missed.as_slice() {
            [] => (
                Verdict::Pass,
                format!("{} met", plural(all.len() as u64, "target")),
                String::new(),
            ),
            [one] => (
                Verdict::Fail,
                format!("{} (1 of {} targets missed)", one.comparison(), all.len()),
                one.comparison(),
            ),
            many => (
                Verdict::Fail,
                format!(
                    "{} of {} targets missed: {}",
                    many.len(),
                    all.len(),
                    many.iter()
                        .map(|b| b.comparison())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                format!("{} benchmark targets missed", many.len()),
            ),
        };
        GateResult {
            evidence,
            newest,
            ..result(Gate::Performance, verdict, detail, reason)
        }
    }

    fn security(&mut self, files: &[&Artifact]) -> GateResult {
        let (mut evidence, mut newest) = (Vec::new(), None);
        let ev = self.evidence;
        let scans = self.read(files, |a| ev.sarif(a), &mut evidence, &mut newest);
        if scans.is_empty() {
            return self.unreadable(Gate::Security, files);
        }
        let mut scan = SecurityScan::default();
        for (_, s) in scans {
            scan.add(s);
        }
        let warnings = plural(scan.warnings, "warning");
        let (verdict, detail, reason) = if scan.errors > 0 {
            (
                Verdict::Fail,
                format!(
                    "{} ({warnings}): {}",
                    plural(scan.errors, "error-level result"),
                    scan.error_rules.join(", ")
                ),
                plural(scan.errors, "security error"),
            )
        } else {
            (
                Verdict::Pass,
                format!("no error-level results ({warnings})"),
                String::new(),
            )
        };
        GateResult {
            evidence,
            newest,
            ..result(Gate::Security, verdict, detail, reason)
        }
    }

    /// The PRP's own tasks (feature-plan markers, board items) and its Success Criteria.
    /// The pre-deployment checklist itself is not a task: it records the other gates.
    fn tasks(&self) -> GateResult {
        let doc = self.doc;
        let (mut total, mut open, mut failed) = (0u64, 0u64, 0u64);
        for t in &doc.tasks {
            if doc.in_example(t.section) {
                continue;
            }
            match t.state {
                Some(MarkerState::Done) => total += 1,
                Some(MarkerState::Failed) => {
                    total += 1;
                    failed += 1;
                }
                Some(_) => {
                    total += 1;
                    open += 1;
                }
                None => {}
            }
        }
        let criteria = doc
            .checklist
            .iter()
            .filter(|c| !doc.in_example(c.section) && !c.is_struck())
            .filter(|c| {
                doc.within_any(c.section, |s| {
                    matches!(s.canonical.as_deref(), Some("Success Criteria" | "Tasks"))
                }) && !super::checklist::in_gate_checklist(doc, c.section)
            });
        for c in criteria {
            total += 1;
            if !c.checked {
                open += 1;
            }
        }
        if total == 0 {
            return result(
                Gate::Tasks,
                Verdict::NoEvidence,
                "no tasks or success criteria to check".into(),
                "no tasks or criteria".into(),
            );
        }
        let mut r = if open + failed == 0 {
            result(
                Gate::Tasks,
                Verdict::Pass,
                format!("all {total} tasks and criteria done"),
                String::new(),
            )
        } else {
            let failed_note = if failed > 0 {
                format!(", {failed} failed")
            } else {
                String::new()
            };
            result(
                Gate::Tasks,
                Verdict::Fail,
                format!("{open} of {total} tasks and criteria open{failed_note}"),
                format!("{} open", plural(open + failed, "task")),
            )
        };
        r.evidence.push(doc.path.clone());
        r
    }

    /// A `Review: approved` line in the PRP, or a review record file (the only one, or
    /// those naming the PRP). Any rejection fails; otherwise any approval passes.
    fn review(&self, files: &[&Artifact]) -> GateResult {
        let mut decisions: Vec<(String, Decision)> = Vec::new();
        if let Some(d) = prp_review_line(self.doc, self.text) {
            decisions.push((self.doc.path.clone(), d));
        }
        let names = PrpNames::new(self.doc);
        let records: Vec<&Artifact> = if files.len() == 1 {
            files.to_vec()
        } else {
            files
                .iter()
                .copied()
                .filter(|a| names.in_text(&a.text))
                .collect()
        };
        let mut newest = None;
        for a in &records {
            newest = Some(newest.map_or(a.modified, |n: i64| n.max(a.modified)));
            decisions.push((
                a.path.clone(),
                review_decision(&a.text).unwrap_or(Decision::Pending),
            ));
        }
        let evidence: Vec<String> = decisions.iter().map(|(p, _)| p.clone()).collect();
        let verdict_of = |wanted: Decision| decisions.iter().find(|(_, d)| *d == wanted);
        let (verdict, detail, reason) = if let Some((p, _)) = verdict_of(Decision::Rejected) {
            (
                Verdict::Fail,
                format!("changes requested ({p})"),
                "review: changes requested".to_string(),
            )
        } else if let Some((p, _)) = verdict_of(Decision::Approved) {
            (Verdict::Pass, format!("approved ({p})"), String::new())
        } else if let Some((p, _)) = verdict_of(Decision::Pending) {
            (
                Verdict::Fail,
                format!("not approved yet ({p})"),
                "review pending".to_string(),
            )
        } else {
            (
                Verdict::NoEvidence,
                "no review record and no `Review: approved` line".to_string(),
                "no code review".to_string(),
            )
        };
        GateResult {
            evidence,
            newest,
            ..result(Gate::CodeReview, verdict, detail, reason)
        }
    }

    /// Configured documentation present, and changed on or after the PRP's `created` date
    /// when the PRP has one (and the caller read the files, so their times are known).
    fn documentation(&self, files: &[&Artifact]) -> GateResult {
        // The caller read every file the documentation globs match (`artifact_globs`).
        let evidence: Vec<String> = files.iter().map(|a| a.path.clone()).collect();
        if evidence.is_empty() {
            return result(
                Gate::Documentation,
                Verdict::NoEvidence,
                String::new(),
                String::new(),
            );
        }
        let newest = files.iter().map(|a| a.modified).max();
        let created = self
            .doc
            .metadata
            .key("created")
            .and_then(|c| Date::parse(c.value.trim()));
        let (verdict, detail, reason) = match (created, newest) {
            (Some(date), Some(newest)) if newest < unix_day_start(date) => (
                Verdict::Fail,
                format!("no documentation changed since the PRP was created ({date})"),
                format!("docs not updated since {date}"),
            ),
            (Some(date), Some(_)) => {
                let changed: Vec<&str> = files
                    .iter()
                    .filter(|a| a.modified >= unix_day_start(date))
                    .map(|a| a.path.as_str())
                    .collect();
                (
                    Verdict::Pass,
                    format!("changed since {date}: {}", changed.join(", ")),
                    String::new(),
                )
            }
            _ => (
                Verdict::Pass,
                format!("present: {}", evidence.join(", ")),
                String::new(),
            ),
        };
        GateResult {
            evidence,
            newest,
            ..result(Gate::Documentation, verdict, detail, reason)
        }
    }

    fn dev_log(&self, files: &[&Artifact]) -> GateResult {
        if files.is_empty() {
            return result(
                Gate::DevLog,
                Verdict::NoEvidence,
                String::new(),
                String::new(),
            );
        }
        let newest = files.iter().map(|a| a.modified).max();
        let evidence: Vec<String> = files.iter().map(|a| a.path.clone()).collect();
        let names = PrpNames::new(self.doc);
        let hit = files.iter().find_map(|a| {
            a.text
                .lines()
                .position(|l| names.in_text(l))
                .map(|i| (a.path.as_str(), i + 1))
        });
        let (verdict, detail, reason) = match hit {
            Some((path, line)) => (
                Verdict::Pass,
                format!("entry at {path}:{line}"),
                String::new(),
            ),
            None => (
                Verdict::Fail,
                format!("{} has no entry naming this PRP", evidence.join(", ")),
                "no DEV_LOG entry".to_string(),
            ),
        };
        GateResult {
            evidence,
            newest,
            ..result(Gate::DevLog, verdict, detail, reason)
        }
    }
}

/// Unix time of 00:00 UTC on `date`.
fn unix_day_start(date: Date) -> i64 {
    let (y, m, d) = (
        (date.0 / 10000) as i64,
        (date.0 / 100 % 100) as i64,
        (date.0 % 100) as i64,
    );
    // Days from civil date (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe - 719_468) * 86_400
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decision {
    Approved,
    Rejected,
    Pending,
}

fn decision_of(value: &str) -> Option<Decision> {
    let v = value.trim().to_lowercase().replace(['_', '-'], " ");
    if v.starts_with("approved") || v.starts_with("accepted") || v == "lgtm" || v == "passed" {
        Some(Decision::Approved)
    } else if v.starts_with("changes requested")
        || v.starts_with("rejected")
        || v.starts_with("declined")
        || v.starts_with("needs work")
        || v.starts_with("not approved")
        || v.starts_with("failed")
    {
        Some(Decision::Rejected)
    } else if v.starts_with("pending") || v.starts_with("in progress") || v.starts_with("requested")
    {
        Some(Decision::Pending)
    } else {
        None
    }
}

/// `Review: approved`, `**Code Review**: Changes requested`, `> Review status: pending`.
fn prp_review_line(doc: &Document, text: &str) -> Option<Decision> {
    static KEY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^[\s>*_-]*(?:code\s+)?review(?:\s+status)?[*_]*\s*:[*_\s]*(.+)$")
            .expect("valid regex")
    });
    let mut offset = 0;
    let mut last = None;
    for line in text.split_inclusive('\n') {
        if !doc.in_fence(offset) {
            if let Some(c) = KEY.captures(line.trim_end()) {
                last = decision_of(&c[1]).or(last);
            }
        }
        offset += line.len();
    }
    last
}

/// The last decision a review record states: `Review: approved`, `Status: changes
/// requested`, or a review API's `"state": "APPROVED"`.
fn review_decision(text: &str) -> Option<Decision> {
    static KEY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r#"(?i)\b(?:review(?:\s+status)?|status|state|decision|verdict)\b["'*_\s]*[:=]\s*["'*_\s]*([a-z][a-z _-]*)"#,
        )
        .expect("valid regex")
    });
    text.lines()
        .rev()
        .find_map(|l| decision_of(&KEY.captures(l)?[1]))
}

/// How a PRP is named elsewhere: `PRP-03`, `PRP 3`, `prp_003`, a padded `03` on its own,
/// its file name (with or without `.md`) or its title.
pub(super) struct PrpNames {
    stem: String,
    title: Option<String>,
    number: Option<u32>,
}

/// `PRP-002`, `PRP 2`, `PRP_02`, `PRP #2`: an id with its prefix (the number captured).
static PREFIXED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bprps?[\s_#:-]*0*(\d+)\b").expect("valid regex"));
/// `#002` with the word PRP next to it (`PRP: #002`, `#002 (PRP)`).
static HASHED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bprps?\b[^#\n]{0,12}#0*(\d+)\b|#0*(\d+)\b[^\n]{0,12}\bprps?\b")
        .expect("valid regex")
});

impl PrpNames {
    /// How an entry may name `doc`: its file name, its id with the `PRP` prefix, or its
    /// title. A bare number is not a name: "Migration 002" is not PRP-002.
    pub(super) fn new(doc: &Document) -> PrpNames {
        let name = doc.file_name().to_lowercase();
        let stem = name.strip_suffix(".md").unwrap_or(&name).to_string();
        let title = doc
            .metadata
            .title
            .as_ref()
            .map(|t| t.value.trim().to_lowercase())
            .filter(|t| t.len() >= 8);
        let number = doc
            .metadata
            .number
            .as_ref()
            .filter(|n| n.phase.is_none())
            .map(|n| n.number);
        PrpNames {
            stem,
            title,
            number,
        }
    }

    pub(super) fn in_text(&self, text: &str) -> bool {
        let lower = text.to_lowercase();
        lower.contains(&self.stem)
            || self.title.as_ref().is_some_and(|t| lower.contains(t))
            || self.number.is_some_and(|n| {
                names_number(&PREFIXED, &lower, n) || names_number(&HASHED, &lower, n)
            })
    }
}

/// Whether `pattern` (one regex for every PRP, compiled once, its number captured) finds
/// `number` in `text`. A match naming another number may cover one naming this number
/// (`#5 #2 prp`), so the search goes on from just after the start of each match.
fn names_number(pattern: &Regex, text: &str, number: u32) -> bool {
    let mut from = 0;
    while let Some(found) = pattern.captures_at(text, from) {
        let digits = found.iter().skip(1).flatten().next().map(|m| m.as_str());
        if digits.and_then(|d| d.parse::<u32>().ok()) == Some(number) {
            return true;
        }
        let start = found.get(0).map_or(text.len(), |m| m.start());
        match text[start..].chars().next() {
            Some(c) => from = start + c.len_utf8(),
            None => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dev_log_entries_name_a_prp_by_file_name_prefixed_id_or_title() {
        let doc = crate::parse(
            "PRPs/active/PRP-002-dashboard-widgets.md",
            "# Dashboard widgets for admins\n",
            &crate::Config::default(),
        );
        let names = PrpNames::new(&doc);
        for entry in [
            "## 2026-03-01 — PRP-002 widgets",
            "Finished prp 2 today",
            "PRP_02 merged",
            "PRP #002: done",
            "#002 (PRP) shipped",
            "#5 and #2 of the PRP list",
            "#5 #2 prp",
            "prp-7, then PRP-2",
            "PRP: #0002",
            "see PRP-002-dashboard-widgets.md",
            "Dashboard widgets for admins: released",
        ] {
            assert!(names.in_text(entry), "{entry}");
        }
        for entry in [
            "## 2026-03-02 — Migration 002 applied",
            "PRP-0021 is another one",
            "PRP-12 done",
            "PRP-2_draft",
            "PRP-99999999999999999999",
            "issue #002 fixed",
            "2002-01-01 release",
        ] {
            assert!(!names.in_text(entry), "{entry}");
        }
    }

    #[test]
    fn day_start_of_a_date() {
        assert_eq!(unix_day_start(Date(19700101)), 0);
        assert_eq!(unix_day_start(Date(20260112)), 1_768_176_000);
    }

    #[test]
    fn review_decisions() {
        assert_eq!(
            review_decision("Review: approved\n"),
            Some(Decision::Approved)
        );
        assert_eq!(
            review_decision("{\"state\": \"CHANGES_REQUESTED\"}\n{\"state\": \"APPROVED\"}"),
            Some(Decision::Approved)
        );
        assert_eq!(
            review_decision("Status: changes requested"),
            Some(Decision::Rejected)
        );
        assert_eq!(review_decision("nothing here"), None);
    }
}
