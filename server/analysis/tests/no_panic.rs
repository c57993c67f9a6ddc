//! Parsing and checking never panic: thousands of generated documents built from the
//! pieces real PRPs are made of (multi-byte text, markers, fences, keys, paths), cut at
//! arbitrary points the way half-typed input is.

use prp_analysis::document::scan::Date;
use prp_analysis::edit::{apply_edits, FileChange, TextSource};
use prp_analysis::{assign, check, fixes, generate, parse, Config, DocFacts, Workspace};

const PIECES: &[&str] = &[
    "# ",
    "## ",
    "### ",
    "#### ",
    "- ",
    "* ",
    "1. ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "\n\n",
    "- [ ] ",
    "- [x] ",
    "[",
    "]",
    "(",
    ")",
    "[wip]",
    "[f]",
    "```",
    "```bash\n",
    "~~~",
    "````",
    "`",
    "**",
    "__",
    "~~",
    ":",
    ": ",
    "|",
    "> ",
    "---\n",
    "name: ",
    "description: |\n  ",
    "Status: ",
    "**Status**: ",
    "**Assigned to**: ",
    "Assigned to: ",
    "@backend",
    "@",
    "Task 3: ",
    "### Task 1: ",
    "CREATE ",
    "MODIFY ",
    "UPDATE ",
    "- file: ",
    "- docfile: ",
    "- url: ",
    "PRPs/",
    "PRPs/active/01_x.md",
    "../",
    "/Users/a/",
    "C:\\",
    "src/app.py",
    ".md",
    "2026-01-0",
    "2026-13-45",
    "(completed 2026-11-02)",
    "3/5",
    "Progress: ",
    "✅",
    "❌",
    "🎯",
    "🚀🚀",
    "é",
    "会議",
    "\u{200d}",
    "\u{feff}",
    "<!--",
    "-->",
    "<!-- prp-lsp: disable-next-line ",
    "missing-section",
    "{{",
    "}}",
    "[What needs to be built ...]",
    "%",
    "%e9",
    "Goal",
    "Why",
    "Success Criteria",
    "Priority: HIGH",
    "\\",
    "&",
    "#12",
    "PRP-",
    "phase4.5-prp",
    "0",
];

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 as usize
    }
}

#[test]
fn generated_documents_never_panic() {
    let config = Config::default();
    let paths = [
        "PRPs/active/01_x.md",
        "PRPs/archive/02_y.md",
        "TASK.md",
        "agent_contexts/backend_agent.md",
        "PRPs/x.md",
    ];
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut ws = Workspace::new();
    ws.add_file("src/app.py");
    for round in 0..4000 {
        let mut text = String::new();
        for _ in 0..rng.next() % 120 {
            text.push_str(PIECES[rng.next() % PIECES.len()]);
        }
        // Cut at an arbitrary character, like a buffer mid-edit.
        let cut = text
            .char_indices()
            .map(|(i, _)| i)
            .nth(rng.next() % (text.chars().count() + 1))
            .unwrap_or(text.len());
        text.truncate(cut);
        let path = paths[round % paths.len()];
        let doc = parse(path, &text, &config);
        ws.update_document(path, DocFacts::of(&doc));
        let diagnostics = check(&doc, &text, &ws, &config);
        for d in diagnostics {
            assert!(
                d.span.start <= d.span.end && d.span.end <= text.len(),
                "{path}: {:?} out of range in {text:?}",
                d.span
            );
            assert!(
                text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end),
                "{path}: {:?} splits a character in {text:?}",
                d.span
            );
        }
    }
}

/// Other documents have no text here: actions reaching across the workspace see none.
struct NoTexts;

impl TextSource for NoTexts {
    fn text(&self, _: &str) -> Option<String> {
        None
    }
}

/// The actions offered on half-typed documents never panic either, and every edit they
/// propose applies to the text it was computed for (in bounds, on character boundaries).
#[test]
fn actions_on_generated_documents_never_panic() {
    let config = Config::default();
    let paths = [
        "PRPs/active/01_x.md",
        "PRPs/archive/02_y.md",
        "TASK.md",
        "PRPs/x.md",
    ];
    let today = Date::parse("2026-12-02").unwrap();
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut ws = Workspace::with_files(["src/app.py", "agent_contexts/backend_agent.md"]);
    let agent = parse(
        "agent_contexts/backend_agent.md",
        "# Agent: Backend\n## Your Scope\n- `src/`\n",
        &config,
    );
    ws.update_document("agent_contexts/backend_agent.md", DocFacts::of(&agent));
    for round in 0..1500 {
        let mut text = String::new();
        for _ in 0..rng.next() % 100 {
            text.push_str(PIECES[rng.next() % PIECES.len()]);
        }
        let path = paths[round % paths.len()];
        let doc = parse(path, &text, &config);
        ws.update_document(path, DocFacts::of(&doc));
        let diagnostics = check(&doc, &text, &ws, &config);
        let mut changes = Vec::new();
        for d in &diagnostics {
            changes.extend(fixes::fixes_for(&doc, &text, &ws, &config, d, &NoTexts));
        }
        changes.extend(fixes::fix_all(
            &doc,
            &text,
            &ws,
            &config,
            &diagnostics,
            &NoTexts,
        ));
        let at = text
            .char_indices()
            .map(|(i, _)| i)
            .nth(rng.next() % (text.chars().count() + 1))
            .unwrap_or(text.len());
        changes.extend(fixes::document_actions(
            &doc,
            &text,
            &ws,
            &config,
            at..at,
            &NoTexts,
            today,
        ));
        for task in 0..doc.tasks.len() {
            changes.extend(assign::assign_changes(&doc, &text, task, &ws, &config));
            let _ = assign::explain(&doc, &text, task, &ws, &config);
        }
        changes.extend(assign::assign_all(&doc, &text, &ws, &config));
        for item in 0..doc.checklist.len() {
            let requirement = generate::requirement_from_task_item(&doc, &text, item);
            changes.extend(
                generate::generate(&requirement, None, &ws, &config, &NoTexts, today)
                    .map(|g| g.change),
            );
        }
        for (_, requirement) in generate::requirement_blocks(&doc, &text) {
            if let Ok(requirement) = requirement {
                changes.extend(
                    generate::generate(&requirement, None, &ws, &config, &NoTexts, today)
                        .map(|g| g.change),
                );
            }
        }
        changes.extend(
            generate::generate(
                &generate::requirement_from_text(&text),
                None,
                &ws,
                &config,
                &NoTexts,
                today,
            )
            .map(|g| g.change),
        );
        for change in changes {
            for c in &change.changes {
                if let FileChange::Edit {
                    path: edited,
                    edits,
                } = c
                {
                    if edited != path {
                        continue;
                    }
                    for e in edits {
                        assert!(
                            e.span.start <= e.span.end && e.span.end <= text.len(),
                            "{}: edit {:?} out of range in {text:?}",
                            change.title,
                            e.span
                        );
                        assert!(
                            text.is_char_boundary(e.span.start)
                                && text.is_char_boundary(e.span.end),
                            "{}: edit {:?} splits a character in {text:?}",
                            change.title,
                            e.span
                        );
                    }
                    let _ = apply_edits(&text, edits);
                }
            }
        }
    }
}
