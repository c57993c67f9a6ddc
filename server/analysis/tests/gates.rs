//! Quality gates from artifacts written as the real tools write them (`tests/gates/`):
//! each gate passing, failing, missing and stale; malformed artifacts; the decision line;
//! the checklist findings through `check`.

use prp_analysis::diagnostic::FixHint;
use prp_analysis::edit::{apply_edits, FileChange, TextSource};
use prp_analysis::gates::{
    artifact_globs, evaluate, matrix_text, Artifact, Gate, GateReport, RawGates, Verdict,
};
use prp_analysis::orchestrator::OrchestratorConfig;
use prp_analysis::{check, parse, Config, DocFacts, RawConfig, Rule, Severity, Workspace};

const PRP_PATH: &str = "PRPs/active/03_checkout_flow.md";
/// When the PRP last changed; artifacts are written ten minutes after (fresh) or before
/// (stale).
const PRP_TIME: i64 = 1_772_445_600;
const FRESH: i64 = PRP_TIME + 600;
const OLD: i64 = PRP_TIME - 600;

const PRP: &str = "---
created: 2026-02-25
---
# PRP-03: Checkout flow

## Goal
Customers pay with a saved card and see a receipt.

## Success Criteria
- [x] Users can pay with a saved card
- [x] The receipt is shown after payment

## Pre-Deployment Checklist
- [x] All assigned tasks completed
- [x] Code review passed
- [x] Unit tests passing with coverage ≥ 90%
- [ ] Integration tests passing
- [x] E2E tests passing
- [ ] Performance benchmarks met
- [x] Security scan clean
- [ ] Documentation updated
- [ ] DEV_LOG entries added
- [ ] No linting errors

Review: approved
";

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/gates/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn artifact(path: &str, fixture_name: &str, modified: i64) -> Artifact {
    Artifact {
        path: path.to_string(),
        text: fixture(fixture_name),
        modified,
    }
}

/// Evidence for every gate, all passing, written after the PRP's last change.
fn passing() -> Vec<Artifact> {
    vec![
        artifact("backend/reports/junit.xml", "pytest-pass.xml", FRESH),
        artifact("backend/coverage.xml", "coverage.xml", FRESH),
        artifact(
            "web/coverage/coverage-summary.json",
            "coverage-summary.json",
            FRESH,
        ),
        artifact(
            "target/nextest/ci/test-results/integration/junit.xml",
            "nextest-junit.xml",
            FRESH,
        ),
        artifact("web/test-results/e2e/results.xml", "pytest-pass.xml", FRESH),
        artifact("benchmarks/results.json", "benchmarks-pass.json", FRESH),
        artifact("codeql.sarif", "codeql-clean.sarif", FRESH),
        artifact("README.md", "DEV_LOG.md", FRESH),
        artifact("DEV_LOG.md", "DEV_LOG.md", FRESH),
    ]
}

/// Replaces the artifact at `path` (or adds it).
fn with(mut artifacts: Vec<Artifact>, replacement: Artifact) -> Vec<Artifact> {
    artifacts.retain(|a| a.path != replacement.path);
    artifacts.push(replacement);
    artifacts
}

fn without(mut artifacts: Vec<Artifact>, path: &str) -> Vec<Artifact> {
    artifacts.retain(|a| a.path != path);
    artifacts
}

fn report_with(text: &str, config: &Config, artifacts: &[Artifact]) -> GateReport {
    let doc = parse(PRP_PATH, text, config);
    evaluate(&doc, text, config, artifacts, PRP_TIME)
}

fn report(artifacts: &[Artifact]) -> GateReport {
    report_with(PRP, &Config::default(), artifacts)
}

fn gate(report: &GateReport, gate: Gate) -> &prp_analysis::gates::GateResult {
    report.result(gate).expect("gate evaluated")
}

#[test]
fn every_gate_passes_on_fresh_evidence() {
    let r = report(&passing());
    for g in &r.gates {
        assert_eq!(g.verdict, Verdict::Pass, "{:?}: {}", g.gate, g.detail);
        assert!(!g.stale, "{:?}", g.gate);
    }
    assert!(r.ready);
    assert!(r.problems.is_empty());
    assert_eq!(r.summary(), "Deploy: ready");
    assert_eq!(
        gate(&r, Gate::UnitTests).detail,
        "4 tests, 0 failures, 1 skipped"
    );
    assert_eq!(
        gate(&r, Gate::IntegrationTests).detail,
        "4 tests, 0 failures"
    );
    assert_eq!(
        gate(&r, Gate::Coverage).detail,
        "coverage 92.3% ≥ 90% (lowest of 2: backend/coverage.xml)"
    );
    assert_eq!(gate(&r, Gate::Performance).detail, "3 targets met");
    assert_eq!(
        gate(&r, Gate::Security).detail,
        "no error-level results (0 warnings)"
    );
    assert_eq!(gate(&r, Gate::DevLog).detail, "entry at DEV_LOG.md:3");
    assert_eq!(
        gate(&r, Gate::Tasks).detail,
        "all 2 tasks and criteria done"
    );
    assert_eq!(gate(&r, Gate::CodeReview).evidence, [PRP_PATH]);
    assert_eq!(gate(&r, Gate::UnitTests).newest, Some(FRESH));
}

#[test]
fn failing_evidence_fails_each_gate() {
    let artifacts = passing();
    let cases: Vec<(Gate, Artifact, &str)> = vec![
        (
            Gate::UnitTests,
            artifact("backend/reports/junit.xml", "pytest-fail.xml", FRESH),
            "1 failure, 1 error in backend/reports/junit.xml (3 tests): tests.test_api::test_create_user, tests.test_db::test_migrations",
        ),
        (
            Gate::E2eTests,
            artifact("web/test-results/e2e/results.xml", "jest-junit.xml", FRESH),
            "2 failures in web/test-results/e2e/results.xml (5 tests): Checkout flow pays with a saved card::Checkout flow pays with a saved card, Checkout flow shows the receipt::Checkout flow shows the receipt",
        ),
        (
            Gate::Coverage,
            artifact("web/coverage/lcov.info", "lcov.info", FRESH),
            "coverage 60% < 90% (lowest of 3: web/coverage/lcov.info)",
        ),
        (
            Gate::Performance,
            artifact("benchmarks/results.json", "benchmarks-fail.json", FRESH),
            "api_p95_latency_ms 342.7 ms > 200 ms (1 of 2 targets missed)",
        ),
        (
            Gate::Security,
            artifact("codeql.sarif", "semgrep.sarif", FRESH),
            "2 error-level results (2 warnings): python.lang.security.audit.formatted-sql-query.formatted-sql-query, python.django.security.audit.django-secret-key.hardcoded-secret-key",
        ),
        (
            Gate::DevLog,
            Artifact {
                path: "DEV_LOG.md".into(),
                text: "# Dev log\n\n## 2026-03-01 — PRP-07 login limits\n".into(),
                modified: FRESH,
            },
            "DEV_LOG.md has no entry naming this PRP",
        ),
        (
            Gate::Documentation,
            artifact("README.md", "DEV_LOG.md", 1_771_900_000),
            "no documentation changed since the PRP was created (2026-02-25)",
        ),
    ];
    for (g, replacement, detail) in cases {
        let r = report(&with(artifacts.clone(), replacement));
        let result = gate(&r, g);
        assert_eq!(result.verdict, Verdict::Fail, "{g:?}: {}", result.detail);
        assert_eq!(result.detail, detail, "{g:?}");
        assert!(!r.ready);
    }
}

#[test]
fn tasks_and_review_come_from_the_prp() {
    let open = PRP.replace("- [x] The receipt", "- [ ] The receipt");
    let r = report_with(&open, &Config::default(), &passing());
    assert_eq!(
        gate(&r, Gate::Tasks).detail,
        "1 of 2 tasks and criteria open"
    );
    assert_eq!(r.summary(), "Deploy: blocked — 1 task open");

    let rejected = PRP.replace("Review: approved", "**Review**: Changes requested");
    let r = report_with(&rejected, &Config::default(), &passing());
    assert_eq!(gate(&r, Gate::CodeReview).verdict, Verdict::Fail);

    // A review record file, the only one, approves without the PRP's line.
    let unreviewed = PRP.replace("Review: approved", "");
    let raw = RawConfig::from_toml("[gates]\nreview = \"reviews/*.md\"\n").unwrap();
    let config = Config::from_raw(&raw).unwrap();
    let record = Artifact {
        path: "reviews/checkout.md".into(),
        text: "Reviewer: dana\nStatus: changes requested\n\nStatus: approved\n".into(),
        modified: OLD,
    };
    let r = report_with(&unreviewed, &config, &with(passing(), record));
    let review = gate(&r, Gate::CodeReview);
    assert_eq!(review.verdict, Verdict::Pass, "{}", review.detail);
    // A review record is not a run's result: older than the PRP is not stale.
    assert!(!review.stale);
    let r = report_with(&unreviewed, &Config::default(), &passing());
    assert_eq!(gate(&r, Gate::CodeReview).verdict, Verdict::NoEvidence);

    // Feature-plan task markers count: a failed task fails the gate.
    let plan = PRP.replace(
        "## Pre-Deployment",
        "## Step-by-Step Tasks\n### [x] Task 1: Card form\n### [f] Task 2: Receipt\n\n## Pre-Deployment",
    );
    let r = report_with(&plan, &Config::default(), &passing());
    assert_eq!(
        gate(&r, Gate::Tasks).detail,
        "0 of 4 tasks and criteria open, 1 failed"
    );
}

#[test]
fn missing_evidence_is_not_a_failure() {
    let r = report(&[]);
    for g in [
        Gate::UnitTests,
        Gate::Coverage,
        Gate::IntegrationTests,
        Gate::E2eTests,
        Gate::Performance,
        Gate::Security,
        Gate::Documentation,
        Gate::DevLog,
    ] {
        let result = gate(&r, g);
        assert_eq!(result.verdict, Verdict::NoEvidence, "{g:?}");
        assert!(!result.stale);
        assert!(
            result.detail.starts_with("no evidence (looked for"),
            "{}",
            result.detail
        );
    }
    assert!(!r.ready);
    assert_eq!(
        r.summary(),
        "Deploy: blocked — no unit tests evidence, no coverage evidence, no integration tests evidence, no e2e tests evidence, +4 more"
    );
    // Documentation is evidence the caller reads like any other (it matches `artifact_globs`).
    let config = Config::default();
    let doc = parse(PRP_PATH, PRP, &config);
    let docs = Artifact {
        path: "docs/checkout.md".into(),
        text: "# Checkout\n".into(),
        modified: PRP_TIME,
    };
    let r = evaluate(&doc, PRP, &config, &[docs], PRP_TIME);
    assert_eq!(gate(&r, Gate::Documentation).verdict, Verdict::Pass);
}

#[test]
fn evidence_older_than_the_prp_is_stale_and_blocks() {
    let old: Vec<Artifact> = passing()
        .into_iter()
        .map(|a| Artifact { modified: OLD, ..a })
        .collect();
    let r = report(&old);
    for g in [
        Gate::UnitTests,
        Gate::Coverage,
        Gate::Security,
        Gate::Performance,
    ] {
        let result = gate(&r, g);
        assert!(result.stale, "{g:?}");
        assert_eq!(result.verdict, Verdict::Pass);
        assert!(!result.passes());
    }
    // Judgements of the work, not runs of it, do not go stale.
    assert!(!gate(&r, Gate::DevLog).stale);
    assert!(!r.ready);
    assert!(
        r.summary()
            .starts_with("Deploy: blocked — unit tests stale, coverage stale"),
        "{}",
        r.summary()
    );
    // A stale failure is still a failure, and listed first.
    let r = report(&with(
        old,
        artifact("web/test-results/e2e/results.xml", "jest-junit.xml", OLD),
    ));
    assert!(r
        .summary()
        .starts_with("Deploy: blocked — 2 e2e failures, unit tests stale"));
}

#[test]
fn malformed_artifacts_are_problems_not_panics() {
    let cases = [
        (
            "backend/reports/junit.xml",
            "truncated-junit.xml",
            Gate::UnitTests,
            "truncated",
        ),
        (
            "web/coverage/lcov.info",
            "bad-lcov.info",
            Gate::Coverage,
            "line 4",
        ),
        (
            "codeql.sarif",
            "broken.sarif",
            Gate::Security,
            "not a SARIF log",
        ),
    ];
    for (path, name, g, needle) in cases {
        let mut artifacts = passing();
        if g == Gate::Coverage {
            artifacts.retain(|a| !a.path.contains("coverage"));
        }
        let r = report(&with(artifacts, artifact(path, name, FRESH)));
        let (at, problem) = &r.problems[0];
        assert_eq!(at, path);
        assert!(problem.contains(needle), "{problem}");
        let result = gate(&r, g);
        assert_eq!(result.verdict, Verdict::NoEvidence, "{g:?}");
        assert!(result.detail.contains(needle), "{}", result.detail);
        let d = prp_analysis::gates::invalid_artifact(problem);
        assert_eq!(
            (d.rule, d.severity),
            (Rule::InvalidArtifact, Severity::Error)
        );
    }
    // A coverage report in a test-results folder is coverage, not a broken test report.
    let r = report(&with(
        passing(),
        artifact("web/test-results/coverage.xml", "coverage.xml", FRESH),
    ));
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    assert_eq!(
        gate(&r, Gate::UnitTests).evidence,
        ["backend/reports/junit.xml"]
    );
    // One bad file among good ones: the good ones decide, the bad one is reported.
    let r = report(&with(
        passing(),
        artifact("web/reports/unit-web.xml", "truncated-junit.xml", FRESH),
    ));
    assert_eq!(gate(&r, Gate::UnitTests).verdict, Verdict::Pass);
    assert_eq!(r.problems.len(), 1);
    let bad_bench = Artifact {
        path: "benchmarks/results.json".into(),
        text: r#"[{"metric": "p95", "value": "fast", "target": 200, "direction": "lower"}]"#.into(),
        modified: FRESH,
    };
    let r = report(&with(passing(), bad_bench));
    assert!(
        r.problems[0].1.starts_with("result 1 (`p95`)"),
        "{:?}",
        r.problems
    );
}

#[test]
fn coverage_formats_and_thresholds() {
    let only = |name: &str, path: &str| {
        let r = report(&[artifact(path, name, FRESH)]);
        gate(&r, Gate::Coverage).detail.clone()
    };
    assert_eq!(
        only("coverage.json", "coverage.json"),
        "coverage 84.2% < 90%"
    );
    assert_eq!(
        only("coverage-summary.json", "coverage/coverage-summary.json"),
        "coverage 94.4% ≥ 90%"
    );
    assert_eq!(
        only("lcov.info", "coverage/lcov.info"),
        "coverage 60% < 90%"
    );
    assert_eq!(only("coverage.xml", "coverage.xml"), "coverage 92.3% ≥ 90%");

    // prp-lsp.toml's threshold (a percentage here) wins over the orchestrator's.
    let artifacts = [artifact("coverage.json", "coverage.json", FRESH)];
    let mut config =
        Config::from_raw(&RawConfig::from_toml("[gates]\ncoverage-threshold = 80\n").unwrap())
            .unwrap();
    config.set_orchestrator(Some(OrchestratorConfig {
        coverage_threshold: Some(0.95),
        ..OrchestratorConfig::default()
    }));
    let r = report_with(PRP, &config, &artifacts);
    assert_eq!(gate(&r, Gate::Coverage).detail, "coverage 84.2% ≥ 80%");
    // Without one in prp-lsp.toml, the orchestrator's applies.
    let mut config = Config::default();
    config.set_orchestrator(Some(OrchestratorConfig {
        coverage_threshold: Some(0.8),
        ..OrchestratorConfig::default()
    }));
    let r = report_with(PRP, &config, &artifacts);
    assert_eq!(gate(&r, Gate::Coverage).verdict, Verdict::Pass);
}

#[test]
fn decision_line_names_the_blocking_gates() {
    let artifacts = with(
        with(
            without(passing(), "web/coverage/coverage-summary.json"),
            artifact("backend/coverage.json", "coverage.json", FRESH),
        ),
        artifact("web/test-results/e2e/results.xml", "jest-junit.xml", FRESH),
    );
    let r = report(&artifacts);
    assert_eq!(
        r.summary(),
        "Deploy: blocked — coverage 84.2% < 90%, 2 e2e failures"
    );
    let markdown = r.clone().at(FRESH + 180).to_markdown();
    assert!(markdown.starts_with(&format!(
        "# Deployment gates: `{PRP_PATH}`\n\n**Deploy: blocked — coverage 84.2% < 90%, 2 e2e failures**"
    )));
    assert!(
        markdown.contains("| e2e tests | FAIL | 2 failures in web/test-results/e2e/results.xml")
    );
    assert!(markdown.contains("(3 min old)"), "{markdown}");

    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["ready"], false);
    assert_eq!(json["gates"][0]["gate"], "tasks");
    assert_eq!(json["gates"][5]["gate"], "e2e-tests");
    assert_eq!(json["gates"][5]["verdict"], "fail");
    assert_eq!(
        json["gates"][5]["evidence"][0],
        "web/test-results/e2e/results.xml"
    );

    let matrix = matrix_text(&[r, report(&passing())]);
    let lines: Vec<&str> = matrix.lines().collect();
    assert_eq!(
        lines[0],
        format!("{PRP_PATH}: Deploy: blocked — coverage 84.2% < 90%, 2 e2e failures")
    );
    assert!(lines[1]
        .split_whitespace()
        .eq(["gate", "result", "evidence", "detail"]));
    assert!(lines.iter().any(|l| l.trim_start().starts_with("e2e tests")
        && l.contains("FAIL")
        && l.contains("web/test-results/e2e/results.xml")));
    assert!(matrix.contains(&format!("\n\n{PRP_PATH}: Deploy: ready\n")));
}

fn diagnostics(text: &str, report: GateReport) -> Vec<prp_analysis::Diagnostic> {
    let config = Config::default();
    let doc = parse(PRP_PATH, text, &config);
    let mut ws = Workspace::new();
    ws.add_file(PRP_PATH);
    ws.update_document(PRP_PATH, DocFacts::of(&doc));
    ws.set_gate_report(PRP_PATH, report);
    check(&doc, text, &ws, &config)
        .into_iter()
        .filter(|d| d.rule.code().starts_with("gate-"))
        .collect()
}

fn line_of(text: &str, d: &prp_analysis::Diagnostic) -> String {
    text[d.span.clone()].trim().to_string()
}

#[test]
fn checklist_items_against_the_gates() {
    let artifacts = with(
        without(passing(), "benchmarks/results.json"),
        artifact("web/test-results/e2e/results.xml", "jest-junit.xml", OLD),
    );
    let report = report(&artifacts).at(FRESH + 180);
    let found = diagnostics(PRP, report);
    let summary: Vec<(Rule, Severity, String)> = found
        .iter()
        .map(|d| (d.rule, d.severity, line_of(PRP, d)))
        .collect();
    assert_eq!(
        summary,
        [
            (
                Rule::GateUnticked,
                Severity::Hint,
                "- [ ] Integration tests passing".to_string()
            ),
            (
                Rule::GateFailing,
                Severity::Error,
                "- [x] E2E tests passing".to_string()
            ),
            (
                Rule::GateUnticked,
                Severity::Hint,
                "- [ ] DEV_LOG entries added".to_string()
            ),
        ]
    );
    let failing = &found[1];
    assert_eq!(
        failing.message,
        "e2e tests: 2 failures in web/test-results/e2e/results.xml (5 tests): Checkout flow pays with a saved card::Checkout flow pays with a saved card, Checkout flow shows the receipt::Checkout flow shows the receipt (23 min old, older than the PRP's last change); this item is ticked but its gate fails"
    );
    // An open item without evidence claims nothing: no finding for the benchmarks. Nor is
    // "Documentation updated" hinted: its gate passes on file times alone.
    assert!(!found
        .iter()
        .any(|d| line_of(PRP, d).contains("Performance")));

    // The quick fix ticks the item.
    let unticked = &found[0];
    assert!(matches!(unticked.hint, Some(FixHint::TickGateItem { .. })));
    struct NoTexts;
    impl TextSource for NoTexts {
        fn text(&self, _: &str) -> Option<String> {
            None
        }
    }
    let config = Config::default();
    let doc = parse(PRP_PATH, PRP, &config);
    let fixes =
        prp_analysis::fixes::fixes_for(&doc, PRP, &Workspace::new(), &config, unticked, &NoTexts);
    assert_eq!(fixes[0].title, "Tick this item");
    assert!(fixes[0].preferred);
    let FileChange::Edit { edits, .. } = &fixes[0].changes[0] else {
        panic!("an edit");
    };
    assert!(apply_edits(PRP, edits).contains("- [x] Integration tests passing"));
}

#[test]
fn stale_passing_evidence_on_a_ticked_item_is_no_evidence() {
    let old: Vec<Artifact> = passing()
        .into_iter()
        .map(|a| Artifact { modified: OLD, ..a })
        .collect();
    let found = diagnostics(PRP, report(&old));
    let unit = found
        .iter()
        .find(|d| line_of(PRP, d).contains("Unit tests"))
        .expect("a finding on the unit test item");
    assert_eq!(unit.rule, Rule::GateNoEvidence);
    assert!(
        unit.message.contains("older than the PRP's last change"),
        "{}",
        unit.message
    );
    // Without a stored report, nothing is said.
    let config = Config::default();
    let doc = parse(PRP_PATH, PRP, &config);
    assert!(!check(&doc, PRP, &Workspace::new(), &config)
        .iter()
        .any(|d| d.rule.code().starts_with("gate-")));
}

#[test]
fn configuration_chooses_gates_and_evidence() {
    let toml = r#"
[gates]
gates = ["unit-tests", "coverage"]
unit-tests = ["out/unit/*.xml"]
integration-tests = ["out/it/*.xml"]
e2e-tests = ["out/e2e/*.xml"]
coverage = ["out/lcov.info"]
coverage-threshold = 0.5
performance = ["out/bench.json"]
security = ["out/*.sarif"]
review = "REVIEW.md"
documentation = ["docs/**"]
dev-log = "notes/DEV_LOG.md"
"#;
    let config = Config::from_raw(&RawConfig::from_toml(toml).unwrap()).unwrap();
    assert_eq!(config.gates.enabled, [Gate::UnitTests, Gate::Coverage]);
    assert_eq!(artifact_globs(&config), ["out/lcov.info", "out/unit/*.xml"]);
    let r = report_with(
        PRP,
        &config,
        &[
            artifact("out/unit/a.xml", "pytest-pass.xml", FRESH),
            artifact("out/lcov.info", "lcov.info", FRESH),
        ],
    );
    assert_eq!(r.gates.len(), 2);
    assert!(r.ready, "{}", r.summary());

    let all = artifact_globs(&Config::default());
    assert!(all.contains(&"**/junit*.xml".to_string()));
    assert!(all.contains(&"DEV_LOG.md".to_string()));
    assert!(all.contains(&"**/*.sarif".to_string()));

    let overlay =
        RawConfig::from_json(serde_json::json!({"gates": {"coverage-threshold": 95}})).unwrap();
    let merged = RawConfig::from_toml(toml).unwrap().merge(overlay);
    assert_eq!(merged.gates.coverage_threshold, Some(95.0));
    assert_eq!(merged.gates.review.as_deref(), Some("REVIEW.md"));

    for bad in [
        "[gates]\ngates = [\"smoke-tests\"]\n",
        "[gates]\nthreshold = 0.9\n",
    ] {
        assert!(RawConfig::from_toml(bad).is_err(), "{bad}");
    }
    let raw = RawConfig::from_toml("[gates]\ncoverage-threshold = 250\n").unwrap();
    assert!(Config::from_raw(&raw)
        .unwrap_err()
        .message
        .contains("coverage-threshold"));
    let raw = RawConfig::from_toml("[gates]\nunit-tests = [\"a/[\"]\n").unwrap();
    assert!(Config::from_raw(&raw).is_err());
    assert!(RawGates::default()
        .merge(RawGates::default())
        .gates
        .is_none());
}

#[test]
fn every_prefix_of_every_fixture_reads_without_panicking() {
    use prp_analysis::gates::{parse_benchmarks, parse_coverage, parse_junit, parse_sarif};
    let dir = format!("{}/tests/gates", env!("CARGO_MANIFEST_DIR"));
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let cuts = (0..=text.len()).filter(|i| text.is_char_boundary(*i));
        for cut in cuts {
            let prefix = &text[..cut];
            let _ = parse_junit(prefix);
            let _ = parse_coverage("x.info", prefix);
            let _ = parse_coverage("coverage.json", prefix);
            let _ = parse_sarif(prefix);
            let _ = parse_benchmarks(prefix);
        }
    }
}
