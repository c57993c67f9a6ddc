//! Readers for the files test runners, coverage tools, benchmarks and security scanners
//! write. Each returns an error message naming the problem (with its line or field where
//! there is one) instead of failing on anything.

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use serde::Deserialize;
use serde_json::Value;

/// Counts of one or more JUnit XML reports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TestRun {
    pub tests: u64,
    pub failures: u64,
    pub errors: u64,
    pub skipped: u64,
    /// Names of the first failing or erroring test cases.
    pub failed: Vec<String>,
}

impl TestRun {
    pub fn add(&mut self, other: TestRun) {
        self.tests = self.tests.saturating_add(other.tests);
        self.failures = self.failures.saturating_add(other.failures);
        self.errors = self.errors.saturating_add(other.errors);
        self.skipped = self.skipped.saturating_add(other.skipped);
        self.failed.extend(other.failed);
        self.failed.truncate(MAX_NAMES);
    }

    /// Tests that ran (not skipped).
    pub fn executed(&self) -> u64 {
        self.tests.saturating_sub(self.skipped)
    }
}

const MAX_NAMES: usize = 5;

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    let a = e.try_get_attribute(name).ok()??;
    a.normalized_value(XmlVersion::Implicit1_0)
        .ok()
        .map(|v| v.into_owned())
}

/// A numeric attribute; absent is `None`, present but not a number is an error.
fn number_attr(e: &BytesStart, name: &str, element: &str) -> Result<Option<f64>, String> {
    match attr(e, name) {
        None => Ok(None),
        Some(v) => v
            .trim()
            .parse::<f64>()
            .map(Some)
            .map_err(|_| format!("attribute `{name}` of <{element}> is `{v}`, not a number")),
    }
}

/// The most tests one attribute may count: far above any real suite, far below overflow.
const MAX_COUNT: f64 = 1e12;

/// A count attribute (`tests`, `failures`…): absent is 0; a negative, fractional or absurd
/// value is an error rather than a count that passes or fails a gate by accident.
fn count_attr(e: &BytesStart, name: &str, element: &str) -> Result<u64, String> {
    match number_attr(e, name, element)? {
        None => Ok(0),
        Some(n) if n >= 0.0 && n.fract() == 0.0 && n <= MAX_COUNT => Ok(n as u64),
        Some(n) => Err(format!(
            "attribute `{name}` of <{element}> is `{n}`, not a count of tests"
        )),
    }
}

/// Calls `visit` with each element's ancestors (local names) and the element itself, in
/// document order. Fails on XML that is not well-formed.
fn walk_xml(
    text: &str,
    mut visit: impl FnMut(&[String], &BytesStart) -> Result<(), String>,
) -> Result<(), String> {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<String> = Vec::new();
    loop {
        let event = reader.read_event().map_err(|e| {
            let at = line_of(text, reader.error_position() as usize);
            format!("not well-formed XML at line {at}: {e}")
        })?;
        match event {
            Event::Start(e) => {
                visit(&stack, &e)?;
                stack.push(e.local_name().as_ref().to_string());
            }
            Event::Empty(e) => visit(&stack, &e)?,
            Event::End(_) => {
                stack.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    match stack.last() {
        Some(open) => Err(format!("the file ends inside <{open}> (truncated XML)")),
        None => Ok(()),
    }
}

fn local_name(e: &BytesStart) -> String {
    e.local_name().as_ref().to_string()
}

/// A JUnit XML report as pytest, jest-junit, cargo-nextest, Maven Surefire and others write
/// it: `<testsuites>` or `<testsuite>` with `<testcase>` children holding `<failure>`,
/// `<error>` or `<skipped>`. Test cases are counted when present; a report without any
/// uses the suites' `tests`/`failures`/`errors`/`skipped` attributes.
pub fn parse_junit(text: &str) -> Result<TestRun, String> {
    let mut root: Option<String> = None;
    let mut cases = TestRun::default();
    let mut suites = TestRun::default();
    // Outcome of the test case being read: (name, failed, errored, skipped).
    let mut current: Option<(String, bool, bool, bool)> = None;
    let finish = |current: &mut Option<(String, bool, bool, bool)>, run: &mut TestRun| {
        if let Some((name, failed, errored, skipped)) = current.take() {
            run.tests += 1;
            if failed {
                run.failures += 1;
            } else if errored {
                run.errors += 1;
            } else if skipped {
                run.skipped += 1;
            }
            if (failed || errored) && run.failed.len() < MAX_NAMES {
                run.failed.push(name);
            }
        }
    };
    walk_xml(text, |ancestors, e| {
        let name = local_name(e);
        if ancestors.is_empty() {
            if name != "testsuites" && name != "testsuite" {
                return Err(format!(
                    "the root element is <{name}>, not <testsuites> or <testsuite>: not a JUnit report"
                ));
            }
            root = Some(name.clone());
        }
        match name.as_str() {
            "testcase" => {
                finish(&mut current, &mut cases);
                let case = attr(e, "name").unwrap_or_default();
                let label = match attr(e, "classname") {
                    Some(class) if !class.is_empty() => format!("{class}::{case}"),
                    _ => case,
                };
                current = Some((label, false, false, false));
            }
            // Only direct children of a test case: nextest's `<flakyFailure>` and
            // `<rerunFailure>` are retries, and a suite-level `<error>` is not a test.
            "failure" | "error" | "skipped"
                if ancestors.last().map(String::as_str) == Some("testcase") =>
            {
                if let Some(c) = current.as_mut() {
                    match name.as_str() {
                        "failure" => c.1 = true,
                        "error" => c.2 = true,
                        _ => c.3 = true,
                    }
                }
            }
            // Leaf suites' attributes: nested suites repeat their children's counts.
            "testsuite" => {
                let count = |key: &str| count_attr(e, key, "testsuite");
                suites.tests = suites.tests.saturating_add(count("tests")?);
                suites.failures = suites.failures.saturating_add(count("failures")?);
                suites.errors = suites.errors.saturating_add(count("errors")?);
                suites.skipped = suites
                    .skipped
                    .saturating_add(count("skipped")?)
                    .saturating_add(count("disabled")?);
            }
            _ => {}
        }
        Ok(())
    })?;
    finish(&mut current, &mut cases);
    if root.is_none() {
        return Err("empty file: no <testsuites> element".into());
    }
    Ok(if cases.tests > 0 { cases } else { suites })
}

/// Line coverage of one report.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Coverage {
    /// Covered fraction, 0 to 1.
    pub ratio: f64,
    /// Covered and total lines, when the format gives them.
    pub lines: Option<(u64, u64)>,
}

impl Coverage {
    fn from_counts(covered: u64, total: u64) -> Result<Coverage, String> {
        if total == 0 {
            return Err("the report covers no lines".into());
        }
        // LCOV's LH above LF is a broken report, not 166% coverage.
        if covered > total {
            return Err(format!(
                "the report counts {covered} covered line(s) out of {total}: more covered than exist"
            ));
        }
        Ok(Coverage {
            ratio: covered as f64 / total as f64,
            lines: Some((covered, total)),
        })
    }

    fn from_percent(
        percent: f64,
        lines: Option<(u64, u64)>,
        field: &str,
    ) -> Result<Coverage, String> {
        if !(0.0..=100.0).contains(&percent) {
            return Err(format!("`{field}` is {percent}, not a percentage"));
        }
        Ok(Coverage {
            ratio: percent / 100.0,
            lines,
        })
    }
}

/// A coverage report, by its format: LCOV (`lcov.info`), Cobertura XML (`coverage.xml`),
/// coverage.py JSON (`coverage.json`) or istanbul's json-summary (`coverage-summary.json`).
pub fn parse_coverage(path: &str, text: &str) -> Result<Coverage, String> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('<') {
        parse_cobertura(text)
    } else if trimmed.starts_with('{') {
        parse_coverage_json(text)
    } else if path.ends_with(".info") || trimmed.starts_with("TN:") || trimmed.starts_with("SF:") {
        parse_lcov(text)
    } else if trimmed.is_empty() {
        Err("empty file: no coverage data".into())
    } else {
        Err("not a coverage report: expected LCOV, Cobertura XML or coverage JSON".into())
    }
}

/// LCOV tracefile: per source file `LF`/`LH` totals, or its `DA:line,hits` records.
fn parse_lcov(text: &str) -> Result<Coverage, String> {
    let (mut covered, mut total) = (0u64, 0u64);
    // Per record: (LF, LH) when given, and DA-derived (covered, total).
    let mut summary: (Option<u64>, Option<u64>) = (None, None);
    let mut da = (0u64, 0u64);
    let mut in_record = false;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        let n = i + 1;
        if line.is_empty() {
            continue;
        }
        if line == "end_of_record" {
            let (lines, hit) = match summary {
                (Some(lf), Some(lh)) => (lf, lh),
                _ => (da.1, da.0),
            };
            (total, covered) = match (total.checked_add(lines), covered.checked_add(hit)) {
                (Some(t), Some(c)) => (t, c),
                _ => {
                    return Err(format!(
                        "line {n}: the line counts add up past what can be counted"
                    ))
                }
            };
            summary = (None, None);
            da = (0, 0);
            in_record = false;
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            return Err(format!(
                "line {n}: `{line}` is not an LCOV record (KEY:value)"
            ));
        };
        if key.is_empty() || !key.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(format!("line {n}: `{key}` is not an LCOV record key"));
        }
        let count = |v: &str| -> Result<u64, String> {
            v.trim()
                .parse::<u64>()
                .map_err(|_| format!("line {n}: {key} value `{v}` is not a count"))
        };
        match key {
            "SF" => in_record = true,
            "LF" => summary.0 = Some(count(value)?),
            "LH" => summary.1 = Some(count(value)?),
            "DA" => {
                let mut parts = value.split(',');
                let (Some(_line), Some(hits)) = (parts.next(), parts.next()) else {
                    return Err(format!("line {n}: DA needs `line,hits`, found `{value}`"));
                };
                // Some tools write fractional or negative hit counts; only zero is uncovered.
                let hits: f64 = hits
                    .trim()
                    .parse()
                    .map_err(|_| format!("line {n}: DA hit count `{hits}` is not a number"))?;
                da.1 += 1;
                if hits > 0.0 {
                    da.0 += 1;
                }
            }
            _ => {}
        }
    }
    if in_record {
        return Err("the last record has no `end_of_record` (truncated LCOV)".into());
    }
    Coverage::from_counts(covered, total)
}

/// Cobertura XML: `line-rate` (and `lines-covered`/`lines-valid`) on `<coverage>`.
fn parse_cobertura(text: &str) -> Result<Coverage, String> {
    let mut found: Option<Result<Coverage, String>> = None;
    walk_xml(text, |ancestors, e| {
        if !ancestors.is_empty() {
            return Ok(());
        }
        let name = local_name(e);
        if name != "coverage" {
            return Err(format!(
                "the root element is <{name}>, not <coverage>: not a Cobertura report"
            ));
        }
        let rate = number_attr(e, "line-rate", "coverage")?
            .ok_or("<coverage> has no `line-rate` attribute")?;
        if !(0.0..=1.0).contains(&rate) {
            return Err(format!("`line-rate` is {rate}, not between 0 and 1"));
        }
        let covered = number_attr(e, "lines-covered", "coverage")?;
        let valid = number_attr(e, "lines-valid", "coverage")?;
        let lines = covered.zip(valid).map(|(c, v)| (c as u64, v as u64));
        found = Some(Ok(Coverage { ratio: rate, lines }));
        Ok(())
    })?;
    found.unwrap_or_else(|| Err("empty file: no <coverage> element".into()))
}

/// coverage.py's `coverage json` (`totals.percent_covered`) or istanbul's json-summary
/// reporter (`total.lines.pct`).
fn parse_coverage_json(text: &str) -> Result<Coverage, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    let count = |v: &Value, key: &str| v.get(key).and_then(Value::as_u64);
    if let Some(totals) = value.get("totals") {
        let percent = totals
            .get("percent_covered")
            .and_then(Value::as_f64)
            .ok_or("`totals.percent_covered` is missing or not a number")?;
        let lines = count(totals, "covered_lines").zip(count(totals, "num_statements"));
        return Coverage::from_percent(percent, lines, "totals.percent_covered");
    }
    if let Some(lines) = value.get("total").and_then(|t| t.get("lines")) {
        let counts = count(lines, "covered").zip(count(lines, "total"));
        return match lines.get("pct") {
            Some(Value::Number(n)) => {
                Coverage::from_percent(n.as_f64().unwrap_or(0.0), counts, "total.lines.pct")
            }
            // istanbul writes "Unknown" when there are no lines.
            _ => Err("`total.lines.pct` is not a number (no lines measured?)".into()),
        };
    }
    Err("neither `totals.percent_covered` (coverage.py) nor `total.lines.pct` (istanbul json-summary) is present".into())
}

/// Which way a benchmark metric is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Lower,
    Higher,
}

/// One result; other fields a tool writes (name, samples, timestamp) are ignored.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Benchmark {
    pub metric: String,
    pub value: f64,
    pub target: f64,
    pub direction: Direction,
    /// Free-form unit ("ms", "req/s").
    #[serde(default)]
    pub unit: Option<String>,
}

impl Benchmark {
    pub fn met(&self) -> bool {
        match self.direction {
            Direction::Lower => self.value <= self.target,
            Direction::Higher => self.value >= self.target,
        }
    }

    /// "p95_ms 340 > 200".
    pub fn comparison(&self) -> String {
        let op = match (self.direction, self.met()) {
            (Direction::Lower, true) => "≤",
            (Direction::Lower, false) => ">",
            (Direction::Higher, true) => "≥",
            (Direction::Higher, false) => "<",
        };
        let unit = self
            .unit
            .as_deref()
            .map(|u| format!(" {u}"))
            .unwrap_or_default();
        format!(
            "{} {}{unit} {op} {}{unit}",
            self.metric, self.value, self.target
        )
    }
}

/// Benchmark results: one `{metric, value, target, direction}` object, an array of them,
/// or an object holding the array under `benchmarks` or `results`.
pub fn parse_benchmarks(text: &str) -> Result<Vec<Benchmark>, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    let entries = match &value {
        Value::Array(list) => list.clone(),
        Value::Object(map) if map.contains_key("metric") => vec![value.clone()],
        Value::Object(map) => match map.get("benchmarks").or_else(|| map.get("results")) {
            Some(Value::Array(list)) => list.clone(),
            _ => {
                return Err(
                    "expected a {metric, value, target, direction} object, an array of them, or `benchmarks: [...]`".into(),
                )
            }
        },
        _ => return Err("expected a JSON object or array of benchmark results".into()),
    };
    if entries.is_empty() {
        return Err("no benchmark results in the file".into());
    }
    entries
        .into_iter()
        .enumerate()
        .map(|(i, entry)| {
            let name = entry
                .get("metric")
                .and_then(Value::as_str)
                .map(|m| format!(" (`{m}`)"))
                .unwrap_or_default();
            serde_json::from_value(entry).map_err(|e| format!("result {}{name}: {e}", i + 1))
        })
        .collect()
}

/// What a SARIF log reports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SecurityScan {
    pub errors: u64,
    pub warnings: u64,
    pub notes: u64,
    /// Rule ids of the error-level results, first seen first.
    pub error_rules: Vec<String>,
}

impl SecurityScan {
    pub fn add(&mut self, other: SecurityScan) {
        self.errors = self.errors.saturating_add(other.errors);
        self.warnings = self.warnings.saturating_add(other.warnings);
        self.notes = self.notes.saturating_add(other.notes);
        for r in other.error_rules {
            if !self.error_rules.contains(&r) {
                self.error_rules.push(r);
            }
        }
    }
}

#[derive(Deserialize)]
struct SarifLog {
    version: Option<String>,
    runs: Vec<SarifRun>,
}

#[derive(Deserialize)]
struct SarifRun {
    tool: Option<SarifTool>,
    #[serde(default)]
    results: Option<Vec<SarifResult>>,
}

#[derive(Deserialize)]
struct SarifTool {
    driver: SarifDriver,
}

#[derive(Deserialize)]
struct SarifDriver {
    #[serde(default)]
    rules: Vec<SarifRule>,
}

#[derive(Deserialize)]
struct SarifRule {
    id: Option<String>,
    #[serde(rename = "defaultConfiguration")]
    default_configuration: Option<SarifConfiguration>,
}

#[derive(Deserialize)]
struct SarifConfiguration {
    level: Option<String>,
}

#[derive(Deserialize)]
struct SarifResult {
    #[serde(rename = "ruleId")]
    rule_id: Option<String>,
    #[serde(rename = "ruleIndex")]
    rule_index: Option<usize>,
    rule: Option<SarifRuleReference>,
    level: Option<String>,
    kind: Option<String>,
}

#[derive(Deserialize)]
struct SarifRuleReference {
    id: Option<String>,
    index: Option<usize>,
}

/// A SARIF 2.1.0 log. A result's level is its own, else its rule's default configuration,
/// else `warning`; results whose `kind` is not `fail` (pass, informational, …) count as none.
pub fn parse_sarif(text: &str) -> Result<SecurityScan, String> {
    let log: SarifLog = serde_json::from_str(text).map_err(|e| format!("not a SARIF log: {e}"))?;
    if let Some(v) = log.version.as_deref().filter(|v| !v.starts_with("2.")) {
        return Err(format!("SARIF version `{v}` is not supported (2.1.0 is)"));
    }
    let mut scan = SecurityScan::default();
    for run in log.runs {
        let rules = run.tool.map(|t| t.driver.rules).unwrap_or_default();
        for (i, result) in run.results.unwrap_or_default().into_iter().enumerate() {
            let index = result
                .rule_index
                .or_else(|| result.rule.as_ref().and_then(|r| r.index));
            let rule_id = result
                .rule_id
                .clone()
                .or_else(|| result.rule.as_ref().and_then(|r| r.id.clone()))
                .or_else(|| index.and_then(|i| rules.get(i)?.id.clone()));
            let rule = index.and_then(|i| rules.get(i)).or_else(|| {
                let id = rule_id.as_deref()?;
                rules.iter().find(|r| r.id.as_deref() == Some(id))
            });
            if result.kind.as_deref().is_some_and(|k| k != "fail") {
                continue;
            }
            let level = result
                .level
                .or_else(|| rule?.default_configuration.as_ref()?.level.clone())
                .unwrap_or_else(|| "warning".to_string());
            match level.as_str() {
                "error" => {
                    scan.errors += 1;
                    let id = rule_id.unwrap_or_else(|| format!("result {}", i + 1));
                    if !scan.error_rules.contains(&id) {
                        scan.error_rules.push(id);
                    }
                }
                "warning" => scan.warnings += 1,
                "note" => scan.notes += 1,
                "none" => {}
                other => {
                    return Err(format!(
                        "result {} has level `{other}` (SARIF levels: error, warning, note, none)",
                        i + 1
                    ))
                }
            }
        }
    }
    Ok(scan)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn junit_counts_from_attributes_when_there_are_no_cases() {
        let run = parse_junit(
            r#"<testsuites><testsuite name="a" tests="4" failures="1" errors="0" skipped="1"/></testsuites>"#,
        )
        .unwrap();
        assert_eq!((run.tests, run.failures, run.skipped), (4, 1, 1));
    }

    /// Found by fuzzing: `tests="1e30"` became u64::MAX and the suites' sum overflowed (a
    /// panic in checked builds, a wrapped count in release).
    #[test]
    fn junit_counts_that_are_not_counts_are_refused() {
        for bad in ["1e30", "-3", "2.5", "NaN", "inf"] {
            let err = parse_junit(&format!(r#"<testsuite tests="{bad}"/>"#)).unwrap_err();
            assert!(
                err.contains("not a count") || err.contains("not a number"),
                "{bad}: {err}"
            );
        }
        let huge = r#"<testsuites><testsuite tests="1000000000000"/><testsuite tests="1000000000000" failures="1"/></testsuites>"#;
        let run = parse_junit(huge).unwrap();
        assert_eq!((run.tests, run.failures), (2_000_000_000_000, 1));
        let mut total = TestRun {
            tests: u64::MAX,
            ..TestRun::default()
        };
        total.add(run);
        assert_eq!(total.tests, u64::MAX);
    }

    #[test]
    fn lcov_counts_past_u64_are_refused() {
        let record = "SF:a.py\nLF:18446744073709551615\nLH:1\nend_of_record\n";
        let err = parse_coverage("lcov.info", &record.repeat(2)).unwrap_err();
        assert!(err.contains("past what can be counted"), "{err}");
    }

    #[test]
    fn junit_errors_name_the_line() {
        let err = parse_junit("<testsuites>\n<testsuite>\n</testcase>\n").unwrap_err();
        assert!(err.contains("line 3"), "{err}");
        let err = parse_junit("<testsuites>\n<testsuite name=\"x\">\n").unwrap_err();
        assert!(err.contains("truncated"), "{err}");
        let err = parse_junit("<coverage line-rate=\"1\"/>").unwrap_err();
        assert!(err.contains("not a JUnit report"), "{err}");
        assert!(parse_junit("").is_err());
        let err = parse_junit(r#"<testsuite tests="many"/>"#).unwrap_err();
        assert!(err.contains("`tests`"), "{err}");
    }

    #[test]
    fn lcov_from_da_lines_and_errors() {
        let cov = parse_lcov("SF:a.rs\nDA:1,1\nDA:2,0\nend_of_record\n").unwrap();
        assert_eq!(cov.lines, Some((1, 2)));
        assert!(parse_lcov("SF:a.rs\nDA:1\nend_of_record\n")
            .unwrap_err()
            .contains("line 2"));
        assert!(parse_lcov("SF:a.rs\nDA:1,1\n")
            .unwrap_err()
            .contains("truncated"));
        assert!(parse_lcov("hello world\n").unwrap_err().contains("line 1"));
        // Found by fuzzing: LH above LF was read as 166% coverage, passing any threshold.
        assert!(parse_lcov("LF:3\nLH:5\nend_of_record")
            .unwrap_err()
            .contains("more covered than exist"));
    }

    #[test]
    fn benchmarks_shapes() {
        let one = parse_benchmarks(r#"{"metric":"p95","value":1,"target":2,"direction":"lower"}"#);
        assert_eq!(one.unwrap().len(), 1);
        let wrapped = parse_benchmarks(
            r#"{"benchmarks":[{"metric":"rps","value":900,"target":1000,"direction":"higher"}]}"#,
        )
        .unwrap();
        assert!(!wrapped[0].met());
        assert_eq!(wrapped[0].comparison(), "rps 900 < 1000");
        let err = parse_benchmarks(r#"[{"metric":"p95","value":1,"target":2,"direction":"down"}]"#)
            .unwrap_err();
        assert!(err.contains("result 1 (`p95`)"), "{err}");
    }

    #[test]
    fn sarif_levels_default_to_warning_or_the_rule() {
        let scan = parse_sarif(
            r#"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x","rules":[{"id":"R1","defaultConfiguration":{"level":"error"}}]}},
            "results":[{"ruleId":"R1","message":{"text":"a"}},{"ruleId":"R2","message":{"text":"b"}},{"ruleId":"R3","kind":"pass","level":"error","message":{"text":"c"}}]}]}"#,
        )
        .unwrap();
        assert_eq!((scan.errors, scan.warnings), (1, 1));
        assert_eq!(scan.error_rules, ["R1"]);
        assert!(parse_sarif(r#"{"version":"2.1.0"}"#)
            .unwrap_err()
            .contains("runs"));
    }
}
