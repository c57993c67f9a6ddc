//! Golden tests of "Generate PRP": each `tests/generate/<name>.case` is a small workspace
//! (files separated by `//- path` lines, as in the rule fixtures) and a requirement:
//!
//! - `//= text` followed by the requirement's words (the command's argument, a selection);
//! - `//= task TASK.md 2` for the third checklist item of a board;
//! - `//= block PLANNING.md 0` for the first ```` ```requirement ```` block of a file.
//!
//! A `full` word on that line says the requirement is complete: the PRP must then pass
//! `check` with no finding at all. Otherwise only template placeholders may remain, and each
//! must be named in the generation's warnings. The generated file, the edits to the source
//! and the warnings are compared with `<name>.expected`; run with `UPDATE_EXPECT=1` to
//! rewrite them, then read each one as its reviewer would.

mod support;

use std::collections::HashMap;
use std::path::Path;

use prp_analysis::document::scan::Date;
use prp_analysis::edit::{apply_edits, FileChange, TextSource};
use prp_analysis::generate::{self, LinkBack};
use prp_analysis::{check, parse, Config, DocFacts, DocKind, RawConfig, Rule, Workspace};

const TODAY: Date = Date(20260203);

struct Case {
    files: Vec<(String, String)>,
    source: String,
    full: bool,
}

fn read_case(text: &str) -> Case {
    let fixture = support::Fixture::parse(text);
    let files: Vec<(String, String)> = fixture
        .workspace_files()
        .map(|f| (f.path.clone(), f.text.clone()))
        .collect();
    let source = fixture.requirement().map(|r| r.flags.join(" "));
    let requirement = fixture
        .requirement()
        .map(|r| r.text.clone())
        .unwrap_or_default();
    let spec = source.expect("a `//= text|task|block` line");
    let full = spec.split_whitespace().any(|w| w == "full");
    let spec = spec
        .split_whitespace()
        .filter(|w| *w != "full")
        .collect::<Vec<_>>()
        .join(" ");
    let source = if spec == "text" {
        format!("text\n{requirement}")
    } else {
        spec
    };
    Case {
        files,
        source,
        full,
    }
}

struct Files(HashMap<String, String>);

impl TextSource for Files {
    fn text(&self, path: &str) -> Option<String> {
        self.0.get(path).cloned()
    }
}

fn workspace(files: &HashMap<String, String>, config: &Config) -> Workspace {
    let mut ws = Workspace::new();
    let mut paths: Vec<&String> = files.keys().collect();
    paths.sort();
    for path in paths {
        ws.add_file(path);
        let doc = parse(path, &files[path], config);
        if doc.kind != DocKind::Other {
            ws.update_document(path, DocFacts::of(&doc));
        }
    }
    ws
}

fn run(case: &Case) -> (String, Vec<String>) {
    let files: HashMap<String, String> = case.files.iter().cloned().collect();
    let config = match files.get("prp-lsp.toml") {
        Some(toml) => Config::from_raw(&RawConfig::from_toml(toml).expect("config parses"))
            .expect("config is valid"),
        None => Config::default(),
    };
    let ws = workspace(&files, &config);
    let mut words = case.source.splitn(2, '\n');
    let head: Vec<&str> = words.next().unwrap_or("").split_whitespace().collect();
    let (requirement, link) = match head.as_slice() {
        ["text"] => (
            generate::requirement_from_text(words.next().unwrap_or("")),
            None,
        ),
        ["task", path, index] => {
            let text = &files[*path];
            let doc = parse(path, text, &config);
            let item: usize = index.parse().expect("an item index");
            (
                generate::requirement_from_task_item(&doc, text, item),
                Some(LinkBack::after_item(&doc, item)),
            )
        }
        ["block", path, index] => {
            let text = &files[*path];
            let doc = parse(path, text, &config);
            let index: usize = index.parse().expect("a block index");
            let block = generate::requirement_blocks(&doc, text)
                .into_iter()
                .nth(index)
                .expect("the block exists")
                .1
                .expect("the block parses");
            (block, None)
        }
        other => panic!("unknown requirement source {other:?}"),
    };
    let generated = generate::generate(
        &requirement,
        link.as_ref(),
        &ws,
        &config,
        &Files(files.clone()),
        TODAY,
    )
    .expect("generation is not refused");
    let mut after = files.clone();
    let mut out = format!(
        "title: {}\npath: {}\nwarnings:\n",
        generated.change.title, generated.path
    );
    for w in &generated.warnings {
        out.push_str(&format!("- {w}\n"));
    }
    let mut sections = String::new();
    for change in &generated.change.changes {
        match change {
            FileChange::Create { path, content } => {
                assert!(!files.contains_key(path), "{path} would be overwritten");
                after.insert(path.clone(), content.clone());
                sections.push_str(&format!("===== {path} (new)\n{content}"));
            }
            FileChange::Edit { path, edits } => {
                let text = apply_edits(&files[path], edits);
                let changed: Vec<&str> = text
                    .lines()
                    .filter(|l| !files[path].lines().any(|o| o == *l))
                    .collect();
                sections.push_str(&format!("===== {path} (changed lines)\n"));
                for l in changed {
                    sections.push_str(&format!("{l}\n"));
                }
                after.insert(path.clone(), text);
            }
            FileChange::Rename { .. } => panic!("generation renames nothing"),
        }
    }
    // The new PRP as the validator sees it in the workspace after the change.
    let ws_after = workspace(&after, &config);
    let new_text = &after[&generated.path];
    let doc = parse(&generated.path, new_text, &config);
    let findings: Vec<String> = check(&doc, new_text, &ws_after, &config)
        .into_iter()
        .map(|d| {
            let line = new_text[..d.span.start].matches('\n').count() + 1;
            format!(
                "{}:{line} {}: {}",
                d.rule.code(),
                d.severity.label(),
                d.message
            )
        })
        .collect();
    out.push_str("findings:\n");
    if findings.is_empty() {
        out.push_str("(none)\n");
    }
    for f in &findings {
        out.push_str(&format!("- {f}\n"));
    }
    out.push_str(&sections);
    // Only placeholders may be left, each named in the output.
    let leftover: Vec<&String> = findings
        .iter()
        .filter(|f| !f.starts_with(Rule::TemplatePlaceholder.code()))
        .collect();
    let mut problems = Vec::new();
    if case.full && !findings.is_empty() {
        problems.push(format!("a full requirement left findings: {findings:#?}"));
    }
    if !leftover.is_empty() {
        problems.push(format!("findings other than placeholders: {leftover:#?}"));
    }
    let placeholders = findings.len() - leftover.len();
    let listed = generated
        .warnings
        .iter()
        .any(|w| w.contains(&format!("{placeholders} placeholder")));
    if placeholders > 0 && !listed {
        problems.push(format!(
            "{placeholders} placeholder(s) left but not listed: {:?}",
            generated.warnings
        ));
    }
    (out, problems)
}

#[test]
fn golden_prps() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/generate");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "case"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 12, "only {} golden cases", cases.len());
    let mut failures = Vec::new();
    for path in &cases {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let case = read_case(&std::fs::read_to_string(path).unwrap());
        let (actual, problems) = run(&case);
        for p in problems {
            failures.push(format!("{name}: {p}"));
        }
        let expected_path = path.with_extension("expected");
        if update {
            std::fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != actual {
            failures.push(format!(
                "{name}: output differs (UPDATE_EXPECT=1 rewrites it)\n--- expected\n{expected}\n--- actual\n{actual}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
