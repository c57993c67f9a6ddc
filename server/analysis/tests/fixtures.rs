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
use std::sync::Arc;

use prp_analysis::gates::{Artifact, Evidence};
use prp_analysis::orchestrator::OrchestratorConfig;
use prp_analysis::status::{parse_status, StatusSnapshot};
use prp_analysis::text::{Encoding, LineIndex};
use prp_analysis::{check, parse, Config, DocFacts, DocKind, RawConfig, Workspace};

const DEFAULT_NOW: &str = "2026-11-20T12:00:00Z";

/// A file's modification time: `modified=<seconds relative to now>`, else `default` ago.
fn modified(f: &support::FixtureFile, now: i64, default: i64) -> i64 {
    f.flags
        .iter()
        .find_map(|w| w.strip_prefix("modified="))
        .map_or(now - default, |s| {
            now + s.parse::<i64>().expect("modified=<seconds>")
        })
}

fn render(fixture: &str) -> String {
    let fixture = support::Fixture::parse(fixture);
    let files = &fixture.files;
    let mut config = match files.iter().find(|f| f.path == "prp-lsp.toml") {
        Some(f) => Config::from_raw(&RawConfig::from_toml(&f.text).expect("fixture config parses"))
            .expect("fixture config is valid"),
        None => Config::default(),
    };
    let orchestrator = config.orchestrator_path.clone();
    if let Some(f) = files
        .iter()
        .find(|f| Some(&f.path) == orchestrator.as_ref())
    {
        config.set_orchestrator(Some(
            OrchestratorConfig::from_json(&f.text).expect("fixture orchestrator parses"),
        ));
    }
    let explicit_now = fixture
        .directives
        .iter()
        .find_map(|d| d.strip_prefix("now:"))
        .map(str::trim);
    let now = explicit_now
        .unwrap_or(DEFAULT_NOW)
        .parse::<jiff::Timestamp>()
        .expect("`// now:` takes an RFC 3339 time")
        .as_second();
    let status_glob = globset::Glob::new(&config.status_settings().files)
        .expect("a valid status glob")
        .compile_matcher();

    let mut ws = Workspace::new();
    ws.set_config_agents(&config);
    let mut docs = Vec::new();
    let (mut statuses, mut artifacts) = (Vec::new(), Vec::new());
    for f in files {
        ws.add_file(&f.path);
        let doc = parse(&f.path, &f.text, &config);
        if doc.kind != DocKind::Other {
            ws.update_document(&f.path, DocFacts::of(&doc));
            ws.set_saved_at(&f.path, modified(f, now, 3600));
            docs.push((f, doc));
        } else if status_glob.is_match(&f.path) {
            statuses.extend(parse_status(&f.path, &f.text).expect("fixture status parses"));
        } else if f.path != "prp-lsp.toml" && Some(&f.path) != orchestrator.as_ref() {
            artifacts.push(Artifact {
                path: f.path.clone(),
                text: f.text.clone(),
                modified: modified(f, now, 60),
            });
        }
    }
    // What the server has once it read the workspace's evidence; fixtures without any
    // stay as before (no gate or agent findings).
    if !statuses.is_empty() {
        ws.set_status(StatusSnapshot {
            statuses,
            now,
            ..StatusSnapshot::default()
        });
    }
    if !artifacts.is_empty() || explicit_now.is_some() {
        ws.set_evidence(Arc::new(Evidence::new(artifacts)), now);
    }
    docs.sort_by(|a, b| a.0.path.cmp(&b.0.path));
    let mut out = String::new();
    for (f, doc) in &docs {
        let lines = LineIndex::new(&f.text);
        for d in check(doc, &f.text, &ws, &config) {
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
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut failures = Vec::new();
    let mut count = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    entries.sort();
    for path in entries {
        count += 1;
        let fixture = std::fs::read_to_string(&path).unwrap();
        let actual = render(&fixture);
        let expected_path = path.with_extension("expected");
        if update {
            std::fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != actual {
            failures.push(format!(
                "--- {}\nexpected:\n{expected}actual:\n{actual}",
                path.file_name().unwrap().to_string_lossy()
            ));
        }
    }
    assert!(count > 0, "no fixtures found in {}", dir.display());
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
