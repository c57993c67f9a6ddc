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
