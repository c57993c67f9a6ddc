//! The deployment record: a JSON Lines file the pipeline appends one object to per
//! deployment (`deployments.jsonl` by default; `[gates] deployments` says where). Each line:
//! `prp`, `at` (RFC 3339), `result` (`succeeded` | `failed` | `rolled_back`), and optionally
//! `environment`, `version`, `bugs` (a count, or the ids of the bugs found after it),
//! `coverage` (the line coverage it shipped with: a fraction, a percentage or `"84.2%"`).
//! A line that cannot be read is a problem with its line number; the other lines still
//! count. See docs/deployments.md and schemas/deployment.schema.json.

use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Succeeded,
    Failed,
    RolledBack,
}

impl Outcome {
    fn parse(s: &str) -> Option<Outcome> {
        match s
            .trim()
            .to_ascii_lowercase()
            .replace(['-', ' '], "_")
            .as_str()
        {
            "succeeded" | "success" => Some(Outcome::Succeeded),
            "failed" | "failure" => Some(Outcome::Failed),
            "rolled_back" | "rollback" => Some(Outcome::RolledBack),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Outcome::Succeeded => "succeeded",
            Outcome::Failed => "failed",
            Outcome::RolledBack => "rolled back",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Deployment {
    /// The PRP as written: `PRP-007`, `7`, a path or a file name.
    pub prp: String,
    /// Unix seconds.
    pub at: i64,
    pub outcome: Outcome,
    pub environment: Option<String>,
    pub version: Option<String>,
    /// Bugs found after it.
    pub bugs: Option<u64>,
    /// Line coverage it shipped with, a fraction.
    pub coverage: Option<f64>,
    /// 1-based line in the record.
    pub line: usize,
}

/// A record as read: the deployments, and the lines that could not be read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeploymentRecord {
    pub deployments: Vec<Deployment>,
    /// (1-based line, why).
    pub problems: Vec<(usize, String)>,
}

/// Longest line read; a longer one is a problem, not a stall.
const MAX_LINE: usize = 64 * 1024;

pub fn parse_deployments(text: &str) -> DeploymentRecord {
    let mut record = DeploymentRecord::default();
    for (i, line) in text.lines().enumerate() {
        let number = i + 1;
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if line.len() > MAX_LINE {
            record
                .problems
                .push((number, format!("longer than {} KB", MAX_LINE / 1024)));
            continue;
        }
        match deployment(line, number) {
            Ok(d) => record.deployments.push(d),
            Err(why) => record.problems.push((number, why)),
        }
    }
    record
}

fn deployment(line: &str, number: usize) -> Result<Deployment, String> {
    let value: Value = serde_json::from_str(line).map_err(|e| format!("not a JSON object: {e}"))?;
    let Value::Object(fields) = value else {
        return Err("not a JSON object".into());
    };
    let text = |key: &str| -> Result<Option<String>, String> {
        match fields.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if !s.trim().is_empty() => Ok(Some(s.trim().to_string())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(_) => Err(format!("`{key}` must be a string")),
        }
    };
    let prp = text("prp")?.ok_or("`prp` is missing: which PRP was deployed")?;
    let at_text = text("at")?.ok_or("`at` is missing: when, as an RFC 3339 time")?;
    let at = at_text
        .parse::<jiff::Timestamp>()
        .map_err(|_| format!("`at` is `{at_text}`, not an RFC 3339 time (2026-11-20T14:05:00Z)"))?
        .as_second();
    let result_text = text("result")?.ok_or("`result` is missing")?;
    let outcome = Outcome::parse(&result_text).ok_or_else(|| {
        format!("`result` is `{result_text}`; expected succeeded, failed or rolled_back")
    })?;
    let bugs = match fields.get("bugs") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => Some(
            n.as_u64()
                .filter(|n| *n <= 1_000_000)
                .ok_or("`bugs` must be a whole count (or a list of bug ids)")?,
        ),
        Some(Value::Array(ids)) => Some(ids.len() as u64),
        Some(_) => return Err("`bugs` must be a count or a list of bug ids".into()),
    };
    let coverage = match fields.get("coverage") {
        None | Some(Value::Null) => None,
        Some(value) => Some(coverage(value).ok_or(
            "`coverage` must be a fraction (0.842), a percentage (84.2) or a string like \"84.2%\"",
        )?),
    };
    Ok(Deployment {
        prp,
        at,
        outcome,
        environment: text("environment")?,
        version: text("version")?,
        bugs,
        coverage,
        line: number,
    })
}

/// A coverage figure as a fraction: up to 1 is a fraction already, above it a percentage
/// (coverage of 1% written as `1` would be read as 100%: write `"1%"`).
fn coverage(value: &Value) -> Option<f64> {
    let (number, percent) = match value {
        Value::Number(n) => (n.as_f64()?, false),
        Value::String(s) => {
            let s = s.trim();
            match s.strip_suffix('%') {
                Some(p) => (p.trim().parse::<f64>().ok()?, true),
                None => (s.parse::<f64>().ok()?, false),
            }
        }
        _ => return None,
    };
    let fraction = if percent || number > 1.0 {
        number / 100.0
    } else {
        number
    };
    (number.is_finite() && (0.0..=1.0).contains(&fraction)).then_some(fraction)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_read_and_bad_ones_named_without_losing_the_rest() {
        let text = r#"{"prp": "PRP-007", "at": "2026-11-20T14:05:00Z", "result": "succeeded", "environment": "production", "version": "1.4.0", "bugs": 2}
{"prp": "PRPs/active/08_export.md", "at": "2026-11-21T09:00:00+01:00", "result": "rolled_back", "bugs": ["BUG-1"]}

not json
{"prp": "PRP-009", "at": "yesterday", "result": "failed"}
{"prp": "PRP-009", "at": "2026-11-22T10:00:00Z", "result": "exploded"}
[1, 2]
{"at": "2026-11-22T10:00:00Z", "result": "failed"}
{"prp": "PRP-010", "at": "2026-11-23T10:00:00Z", "result": "Failed"}
"#;
        let record = parse_deployments(text);
        let read: Vec<(&str, Outcome, Option<u64>, usize)> = record
            .deployments
            .iter()
            .map(|d| (d.prp.as_str(), d.outcome, d.bugs, d.line))
            .collect();
        assert_eq!(
            read,
            [
                ("PRP-007", Outcome::Succeeded, Some(2), 1),
                ("PRPs/active/08_export.md", Outcome::RolledBack, Some(1), 2),
                ("PRP-010", Outcome::Failed, None, 9),
            ]
        );
        assert_eq!(record.deployments[1].at, 1_795_248_000);
        let lines: Vec<usize> = record.problems.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [4, 5, 6, 7, 8]);
        assert!(
            record.problems[1].1.contains("RFC 3339"),
            "{:?}",
            record.problems
        );
        assert!(
            record.problems[2].1.contains("exploded"),
            "{:?}",
            record.problems
        );
        assert!(
            record.problems[4].1.contains("`prp` is missing"),
            "{:?}",
            record.problems
        );
    }

    #[test]
    fn coverage_is_a_fraction_a_percentage_or_a_percent_string() {
        let line = |coverage: &str| {
            format!(
                r#"{{"prp": "PRP-1", "at": "2026-11-20T14:05:00Z", "result": "succeeded", "coverage": {coverage}}}"#
            )
        };
        let read = |coverage: &str| {
            let record = parse_deployments(&line(coverage));
            match (record.deployments.first(), record.problems.first()) {
                (Some(d), None) => Ok(d.coverage.map(|c| (c * 1000.0).round() / 1000.0)),
                (_, Some((_, why))) => Err(why.clone()),
                (None, None) => unreachable!("a line is read or reported"),
            }
        };
        assert_eq!(read("0.842"), Ok(Some(0.842)));
        assert_eq!(read("84.2"), Ok(Some(0.842)));
        assert_eq!(read(r#""84.2%""#), Ok(Some(0.842)));
        assert_eq!(read(r#""1%""#), Ok(Some(0.01)));
        assert_eq!(read("1"), Ok(Some(1.0)));
        assert_eq!(read("null"), Ok(None));
        for bad in ["120", "-0.5", r#""high""#, "[0.9]", r#""150%""#] {
            let why = read(bad).expect_err(bad);
            assert!(why.contains("`coverage` must be"), "{bad}: {why}");
        }
    }
}

/// Deployments a DEV_LOG states in the seed's style: a `## 2026-11-10 — Title` entry whose
/// `PRP:` line names the PRP and whose text says, without doubt, that it was deployed
/// (`deployed to production`, `shipped`, `released`) or rolled back (`rolled back`,
/// `reverted the deploy`). An entry that says neither, or names no PRP, is not a deployment.
/// Its time is the entry's date at 00:00 UTC; its line the heading's.
pub fn dev_log_deployments(text: &str) -> Vec<Deployment> {
    let mut out = Vec::new();
    let mut entry: Option<(usize, i64, Option<String>, String)> = None;
    let mut finish = |entry: Option<(usize, i64, Option<String>, String)>| {
        let Some((line, at, Some(prp), body)) = entry else {
            return;
        };
        if let Some(outcome) = dev_log_outcome(&body) {
            out.push(Deployment {
                prp,
                at,
                outcome,
                coverage: None,
                environment: body.contains("production").then(|| "production".into()),
                version: None,
                bugs: None,
                line,
            });
        }
    };
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if let Some(heading) = line.strip_prefix("## ") {
            finish(entry.take());
            let day = crate::document::scan::dates(heading)
                .first()
                .and_then(|d| d.1.day_number());
            entry = day.map(|day| (i + 1, day * 86_400, None, String::new()));
            continue;
        }
        let Some((_, _, prp, body)) = entry.as_mut() else {
            continue;
        };
        match line.strip_prefix("PRP:") {
            Some(named) if prp.is_none() => {
                let named = named.trim().trim_matches('`');
                *prp = (!named.is_empty()).then(|| named.to_string());
            }
            _ => {
                body.push_str(&line.to_lowercase());
                body.push(' ');
            }
        }
    }
    finish(entry.take());
    out
}

/// A rollback says so whatever else the entry says; a deployment needs a word that means
/// it went out, not negated ("nothing shipped", "not deployed yet"), and no word of failure.
fn dev_log_outcome(body: &str) -> Option<Outcome> {
    const ROLLED_BACK: [&str; 4] = [
        "rolled back",
        "rollback of the deploy",
        "reverted the deploy",
        "deployment was reverted",
    ];
    const FAILED: [&str; 3] = ["deployment failed", "deploy failed", "failed to deploy"];
    const DEPLOYED: [&str; 5] = [
        "deployed to",
        "deployed on",
        "shipped",
        "released to",
        "went live",
    ];
    const NEGATIONS: [&str; 6] = ["not ", "nothing ", "never ", "no ", "n't ", "yet to be "];
    if ROLLED_BACK.iter().any(|w| body.contains(w)) {
        return Some(Outcome::RolledBack);
    }
    if FAILED.iter().any(|w| body.contains(w)) {
        return Some(Outcome::Failed);
    }
    let affirmed = DEPLOYED.iter().any(|w| {
        body.match_indices(w).any(|(at, _)| {
            let before = &body[crate::text::floor_char_boundary(body, at.saturating_sub(12))..at];
            !NEGATIONS.iter().any(|n| before.contains(n))
        })
    });
    affirmed.then_some(Outcome::Succeeded)
}

#[cfg(test)]
mod dev_log_tests {
    use super::*;

    #[test]
    fn entries_that_say_deployed_or_rolled_back_are_deployments() {
        let text = "# DEV_LOG\n\n## 2026-11-02 — Audit log\n\nPRP: PRPs/archive/04_audit_log.md\nMigration applied on staging; deployed to production after review.\n\n## 2026-11-05 — Audit log, again\n\nPRP: `PRPs/archive/04_audit_log.md`\nThe purge job locked the table: rolled back within the hour (it had been deployed to production).\n\n## 2026-11-06 — Notes\n\nPRP: PRPs/active/01_user_auth.md\nPaired on the token refresh; nothing shipped, not deployed to staging either.\n\n## 2026-11-07 — Retro\n\nDeployed to production the whole week, no PRP named.\n\n## 2026-11-08 — Calendar\n\nPRP: PRPs/active/03_sync_calendar.md\nThe deploy failed on a missing secret.\n";
        let found: Vec<(String, Outcome, usize)> = dev_log_deployments(text)
            .into_iter()
            .map(|d| (d.prp, d.outcome, d.line))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "PRPs/archive/04_audit_log.md".to_string(),
                    Outcome::Succeeded,
                    3
                ),
                (
                    "PRPs/archive/04_audit_log.md".to_string(),
                    Outcome::RolledBack,
                    8
                ),
                (
                    "PRPs/active/03_sync_calendar.md".to_string(),
                    Outcome::Failed,
                    22
                ),
            ]
        );
        assert_eq!(dev_log_deployments(text)[0].at, 1_793_577_600);
    }
}
