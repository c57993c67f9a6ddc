//! Data-driven tests: each `fixtures/*.md` is a small workspace (files separated by
//! `//- path` lines); the findings of every document are compared with `<name>.expected`.
//! Run with `UPDATE_EXPECT=1` to rewrite the expected files, then review the diff.
//!
//! Besides documents, a fixture can hold what the server reads from the workspace's
//! evidence, so that gate and agent rules have fixtures too: agent status reports (files the
//! `[status] files` glob matches), the orchestrator configuration `prp-lsp.toml` names, and
//! any other file (test, coverage, SARIF, benchmark reports, DEV_LOG.md) as gate evidence.
//! `// now: 2026-11-20T12:00:00Z` before the first file fixes the time they are judged at
//! (that is also the default); `//- path modified=-600` dates a file relative to it
//! (evidence defaults to a minute old, documents to an hour).

mod support;

use std::path::Path;

use prp_analysis::check;
use prp_analysis::text::{Encoding, LineIndex};

fn render(fixture: &str) -> String {
    let world = support::World::build(support::Fixture::parse(fixture));
    let (ws, config, docs) = (&world.ws, &world.config, &world.docs);
    let mut out = String::new();
    for (f, doc) in docs {
        let lines = LineIndex::new(&f.text);
        for d in check(doc, &f.text, ws, config) {
            let p = lines.position(&f.text, d.span.start, Encoding::Utf16);
            out.push_str(&format!(
                "{}:{}:{} {} {}: {}\n",
                f.path,
                p.line + 1,
                p.column + 1,
                d.severity.label(),
                d.rule.code(),
                d.message
            ));
        }
    }
    if out.is_empty() {
        out.push_str("(no findings)\n");
    }
    out
}

#[test]
fn fixtures() {
    let mut failures = Vec::new();
    for path in support::fixture_files("fixtures") {
        let fixture = std::fs::read_to_string(&path).unwrap();
        failures.extend(support::expect(&path, &render(&fixture)));
    }
    assert!(
        failures.is_empty(),
        "{} fixture(s) differ (UPDATE_EXPECT=1 rewrites them):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every rule `check` reports has a fixture. The codes in `MADE_OUTSIDE_CHECK` are made by
/// the binary, from files the core never sees (the configuration, evidence that cannot be
/// read, a file that cannot be decoded or read): the e2e tests cover them.
#[test]
fn every_rule_has_a_fixture() {
    const MADE_OUTSIDE_CHECK: [&str; 7] = [
        "invalid-encoding",
        "unreadable-file",
        "invalid-config",
        "internal-error",
        "invalid-artifact",
        "config-conflict",
        "unknown-config-key",
    ];
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut expected = String::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "expected") {
            expected.push_str(&std::fs::read_to_string(&path).unwrap());
        }
    }
    let missing: Vec<&str> = prp_analysis::Rule::ALL
        .iter()
        .map(|r| r.code())
        .filter(|code| !MADE_OUTSIDE_CHECK.contains(code))
        .filter(|code| !expected.contains(&format!(" {code}: ")))
        .collect();
    assert!(
        missing.is_empty(),
        "rules without a fixture under tests/fixtures/: {missing:?}"
    );
}
