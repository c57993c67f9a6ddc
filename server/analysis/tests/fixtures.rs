//! Data-driven tests: each `fixtures/*.md` is a small workspace (files separated by
//! `//- path` lines); the findings of every document are compared with `<name>.expected`.
//! Run with `UPDATE_EXPECT=1` to rewrite the expected files, then review the diff.

mod support;

use std::path::Path;

use prp_analysis::text::{Encoding, LineIndex};
use prp_analysis::{check, parse, Config, DocFacts, DocKind, RawConfig, Workspace};

/// Splits a fixture into files. `//- path crlf` stores the file with CRLF line endings.
fn split(fixture: &str) -> Vec<support::FixtureFile> {
    support::Fixture::parse(fixture).files
}

fn render(fixture: &str) -> String {
    let files = split(fixture);
    let config = match files.iter().find(|f| f.path == "prp-lsp.toml") {
        Some(f) => Config::from_raw(&RawConfig::from_toml(&f.text).expect("fixture config parses"))
            .expect("fixture config is valid"),
        None => Config::default(),
    };
    let mut ws = Workspace::new();
    let mut docs = Vec::new();
    for f in &files {
        ws.add_file(&f.path);
        let doc = parse(&f.path, &f.text, &config);
        if doc.kind != DocKind::Other {
            ws.update_document(&f.path, DocFacts::of(&doc));
            docs.push((f, doc));
        }
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
