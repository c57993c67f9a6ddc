//! Input written to hurt: what a hostile repository can put in a document or an evidence
//! file must neither reach outside the text it was given nor take the analysis down.
//! XML entities are never expanded (no external entity reads a local file, no "billion
//! laughs" blows up), and nesting hundreds of thousands deep is read without recursion.

use prp_analysis::gates::{parse_coverage, parse_junit};
use prp_analysis::{check, parse, Config, DocFacts, Workspace};

fn check_document(path: &str, text: &str) -> usize {
    let config = Config::default();
    let doc = parse(path, text, &config);
    let mut ws = Workspace::new();
    ws.add_file(path);
    ws.update_document(path, DocFacts::of(&doc));
    check(&doc, text, &ws, &config).len()
}

#[test]
fn deep_nesting_parses_without_recursion() {
    let quotes = format!("# Deep\n\n## Goal\n\n{}x\n", "> ".repeat(200_000));
    let brackets = format!("# Deep\n\n## Goal\n\n{}x\n", "[".repeat(100_000));
    let lists = format!("# Deep\n\n## Tasks\n\n{}- [ ] x\n", "  - ".repeat(50_000));
    for (name, text) in [("quotes", quotes), ("brackets", brackets), ("lists", lists)] {
        // A stack overflow would abort the test binary; reaching the end is the check.
        let findings = check_document("PRPs/active/01_deep.md", &text);
        assert!(findings < 100, "{name}: {findings} findings");
    }
}

const SECRET: &str = "root:x:0:0";

#[test]
fn external_entities_are_never_read() {
    // If the file were read, its first line would appear in a test name.
    let junit = r#"<?xml version="1.0"?>
<!DOCTYPE testsuite [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<testsuite name="s" tests="1" failures="1">
  <testcase name="&xxe;"><failure message="boom"/></testcase>
</testsuite>"#;
    match parse_junit(junit) {
        Ok(run) => assert!(
            run.failed.iter().all(|n| !n.contains(SECRET)),
            "{:?}",
            run.failed
        ),
        Err(message) => assert!(!message.contains(SECRET), "{message}"),
    }
    let cobertura = r#"<?xml version="1.0"?>
<!DOCTYPE coverage [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<coverage line-rate="&xxe;" lines-covered="1" lines-valid="2"></coverage>"#;
    if let Err(message) = parse_coverage("coverage.xml", cobertura) {
        assert!(!message.contains(SECRET), "{message}");
    }
}

#[test]
fn entity_expansion_bombs_stay_small() {
    // "Billion laughs": ten levels of ten references each; expanded, 10^9 copies of "lol".
    let mut dtd = String::from("<!ENTITY lol0 \"lol\">");
    for level in 1..10 {
        let refs: String = (0..10).map(|_| format!("&lol{};", level - 1)).collect();
        dtd.push_str(&format!("<!ENTITY lol{level} \"{refs}\">"));
    }
    let junit = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE t [{dtd}]><testsuite tests=\"1\" failures=\"1\"><testcase name=\"&lol9;\"><failure/></testcase></testsuite>"
    );
    match parse_junit(&junit) {
        Ok(run) => {
            let longest = run.failed.iter().map(String::len).max().unwrap_or(0);
            assert!(longest < 1_000, "an entity was expanded to {longest} bytes");
        }
        Err(message) => assert!(message.len() < 1_000),
    }
}

/// Above `[limits] document-size` a document is checked for its structure only: references
/// (and every other check that reads the workspace) are skipped, and one info finding says so.
#[test]
fn documents_above_the_size_limit_get_structural_checks_and_say_what_was_skipped() {
    let raw = prp_analysis::RawConfig::from_toml("[limits]\ndocument-size = \"2 KB\"\n").unwrap();
    let config = Config::from_raw(&raw).unwrap();
    let path = "PRPs/active/01_big.md";
    let filler: String = (0..100)
        .map(|i| format!("- MODIFY src/missing{i}.rs\n"))
        .collect();
    // Every section of the base profile but its context.
    let text = format!(
        "# PRP-01: Big\n\n## Goal\n\nBuild it.\n\n## Why\n\nUsers.\n\n## What\n\nA page.\n\n## Success Criteria\n\n- [ ] works\n\n## Implementation Blueprint\n\n{filler}\n## Validation Loop\n\n```bash\ncargo test\n```\n"
    );
    assert!(text.len() > 2_000);
    let doc = parse(path, &text, &config);
    let mut ws = Workspace::new();
    ws.add_file(path);
    ws.update_document(path, DocFacts::of(&doc));
    let codes = |findings: &[prp_analysis::Diagnostic]| -> Vec<&'static str> {
        findings.iter().map(|d| d.rule.code()).collect()
    };
    let large = check(&doc, &text, &ws, &config);
    let large_codes = codes(&large);
    assert!(large_codes.contains(&"missing-section"), "{large_codes:?}");
    assert!(
        !large_codes.contains(&"unresolved-reference"),
        "{large_codes:?}"
    );
    let note: Vec<_> = large
        .iter()
        .filter(|d| d.rule.code() == "large-document")
        .collect();
    assert_eq!(note.len(), 1, "{large_codes:?}");
    assert_eq!(note[0].severity, prp_analysis::Severity::Info);
    assert!(
        note[0].message.contains("above the 2 KB limit") && note[0].message.contains("references"),
        "{}",
        note[0].message
    );
    // Under the default limit the same document is checked in full.
    let whole = check(&doc, &text, &ws, &Config::default());
    let whole_codes = codes(&whole);
    assert!(
        whole_codes.contains(&"unresolved-reference"),
        "{whole_codes:?}"
    );
    assert!(!whole_codes.contains(&"large-document"), "{whole_codes:?}");
}

#[test]
fn sizes_are_read_with_or_without_units() {
    let limit = |toml: &str| {
        prp_analysis::RawConfig::from_toml(toml)
            .map(|raw| Config::from_raw(&raw).unwrap().limits.document_size)
    };
    assert_eq!(limit("").unwrap(), 5_000_000);
    assert_eq!(limit("[limits]\ndocument-size = 1234\n").unwrap(), 1234);
    assert_eq!(
        limit("[limits]\ndocument-size = \"8 MB\"\n").unwrap(),
        8_000_000
    );
    assert_eq!(
        limit("[limits]\ndocument-size = \"1.5MiB\"\n").unwrap(),
        1_572_864
    );
    let error = limit("[limits]\ndocument-size = \"huge\"\n").unwrap_err();
    assert!(error.message.contains("is not a size"), "{}", error.message);
}
