//! Data-driven tests of the quick fixes and document actions. Each `fixes/*.md` is a small
//! workspace (files after `//- path` lines, `//- path crlf` for CRLF line endings) preceded by
//! directives, each applied on its own to the original workspace:
//!
//! - `// fix PATH:LINE RULE => TITLE`: the fix titled TITLE of the RULE finding on LINE;
//! - `// action PATH:LINE => TITLE`: a document action with the cursor on LINE;
//! - `// fix-all PATH`: the fix-all change of PATH;
//! - `// refuse PATH:LINE RULE => TITLE` / `// refuse PATH:LINE => TITLE`: TITLE is not offered;
//! - `// today YYYY-MM-DD`: the date actions write (default 2026-02-01).
//!
//! `<name>.expected` shows, per directive, the choices offered and every file the change
//! created, edited or renamed (CR shown as `␍`). After a fix, the document is checked again:
//! the fixed finding must be gone, and no path in the workspace may have broken; after a
//! fix-all, a second fix-all finds nothing left to do.
//! Run with `UPDATE_EXPECT=1` to rewrite the expected files, then review the diff.

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use prp_analysis::document::scan::Date;
use prp_analysis::edit::{apply_edits, Change, ChangeKind, FileChange, TextSource};
use prp_analysis::fixes::{document_actions, fix_all, fixes_for};
use prp_analysis::text::LineIndex;
use prp_analysis::{
    check, parse, Config, Diagnostic, DocFacts, DocKind, RawConfig, Rule, Workspace,
};

type Files = BTreeMap<String, String>;

struct Texts<'a>(&'a Files);

impl TextSource for Texts<'_> {
    fn text(&self, path: &str) -> Option<String> {
        self.0.get(path).cloned()
    }
}

/// Splits a fixture into its directives and files.
fn split(fixture: &str) -> (Vec<String>, Files) {
    let fixture = support::Fixture::parse(fixture);
    let files = fixture
        .workspace_files()
        .map(|f| (f.path.clone(), f.text.clone()))
        .collect();
    (fixture.directives, files)
}

/// A workspace as the server would index it.
struct World {
    config: Config,
    ws: Workspace,
    files: Files,
}

impl World {
    fn new(files: Files) -> World {
        let config = match files.get("prp-lsp.toml") {
            Some(t) => Config::from_raw(&RawConfig::from_toml(t).expect("fixture config parses"))
                .expect("fixture config is valid"),
            None => Config::default(),
        };
        let mut ws = Workspace::new();
        for (path, text) in &files {
            ws.add_file(path);
            let doc = parse(path, text, &config);
            if doc.kind != DocKind::Other {
                ws.update_document(path, DocFacts::of(&doc));
            }
        }
        World { config, ws, files }
    }

    fn diagnostics(&self, path: &str) -> Vec<Diagnostic> {
        let text = &self.files[path];
        check(
            &parse(path, text, &self.config),
            text,
            &self.ws,
            &self.config,
        )
    }

    /// How many findings of `rules` the workspace has.
    fn count(&self, rules: &[Rule], only: Option<&str>) -> usize {
        self.files
            .keys()
            .filter(|p| only.is_none_or(|o| o == p.as_str()))
            .map(|p| {
                self.diagnostics(p)
                    .iter()
                    .filter(|d| rules.contains(&d.rule))
                    .count()
            })
            .sum()
    }
}

/// `PATH:LINE` or `PATH:FIRST-LAST` → the path, the first line and the byte range of the
/// (1-based) lines.
fn locate(world: &World, at: &str) -> (String, usize, std::ops::Range<usize>) {
    let (path, lines) = at.rsplit_once(':').expect("PATH:LINE");
    let text = world
        .files
        .get(path)
        .unwrap_or_else(|| panic!("no file {path}"));
    let (first, last) = lines.split_once('-').unwrap_or((lines, lines));
    let (first, last): (usize, usize) = (
        first.parse().expect("a line"),
        last.parse().expect("a line"),
    );
    let index = LineIndex::new(text);
    let range = index.line_range(text, first - 1).start..index.line_range(text, last - 1).end;
    (path.to_string(), first, range)
}

fn describe(change: &Change) -> String {
    let mut flags = vec![match change.kind {
        ChangeKind::QuickFix => "quickfix",
        ChangeKind::Refactor => "refactor",
    }];
    if change.preferred {
        flags.push("preferred");
    }
    if change.safe {
        flags.push("safe");
    }
    format!("{} [{}]", change.title, flags.join(", "))
}

/// Applies a change as a client would, checking what the edit model promises.
fn apply(files: &Files, change: &Change) -> (Files, Vec<String>) {
    let mut files = files.clone();
    let mut notes: Vec<String> = Vec::new();
    for step in &change.changes {
        match step {
            FileChange::Edit { path, edits } => {
                for (i, a) in edits.iter().enumerate() {
                    for b in &edits[i + 1..] {
                        let overlap = if a.span.is_empty() || b.span.is_empty() {
                            (a.span.start > b.span.start && a.span.start < b.span.end)
                                || (b.span.start > a.span.start && b.span.start < a.span.end)
                        } else {
                            a.span.start < b.span.end && b.span.start < a.span.end
                        };
                        assert!(!overlap, "overlapping edits in {path}: {a:?} {b:?}");
                    }
                }
                let text = files
                    .get(path)
                    .unwrap_or_else(|| panic!("edit of missing {path}"));
                let new = apply_edits(text, edits);
                files.insert(path.clone(), new);
                notes.push(path.clone());
            }
            FileChange::Create { path, content } => {
                assert!(!files.contains_key(path), "create over existing {path}");
                files.insert(path.clone(), content.clone());
                notes.push(path.clone());
            }
            FileChange::Rename { from, to } => {
                assert!(!files.contains_key(to), "rename over existing {to}");
                let text = files
                    .remove(from)
                    .unwrap_or_else(|| panic!("rename of missing {from}"));
                files.insert(to.clone(), text);
                for n in &mut notes {
                    if n == from {
                        *n = to.clone();
                    }
                }
                notes.push(format!("{to} (renamed from {from})"));
            }
        }
    }
    (files, notes)
}

fn show(out: &mut String, before: &Files, after: &Files, notes: &[String]) {
    let mut shown: Vec<&str> = Vec::new();
    for path in after.keys() {
        let renamed = notes
            .iter()
            .find(|n| n.starts_with(&format!("{path} (renamed")));
        let changed = before.get(path) != after.get(path);
        if renamed.is_none() && !changed {
            continue;
        }
        shown.push(path);
        out.push_str(&format!(
            "--- {}\n",
            renamed.map_or(path.as_str(), |n| n.as_str())
        ));
        let text = after[path].replace('\r', "␍");
        out.push_str(&text);
        if !text.ends_with('\n') {
            out.push_str("⊘ (no final newline)\n");
        }
    }
    let unchanged: Vec<&str> = after
        .keys()
        .map(String::as_str)
        .filter(|p| !shown.contains(p))
        .collect();
    out.push_str(&format!("unchanged: {}\n", unchanged.join(", ")));
}

/// Reference findings: a change may not add any.
const PATH_RULES: [Rule; 3] = [
    Rule::StalePrpPath,
    Rule::UnresolvedReference,
    Rule::UnknownPrp,
];

fn run_directive(world: &World, directive: &str, today: Date, out: &mut String) {
    out.push_str(&format!("=== {directive}\n"));
    let (verb, rest) = directive
        .split_once(' ')
        .expect("a directive with arguments");
    let (head, title) = match rest.split_once(" => ") {
        Some((h, t)) => (h, Some(t)),
        None => (rest, None),
    };
    let texts = Texts(&world.files);
    let mut words = head.split_whitespace();
    let at = words.next().expect("PATH or PATH:LINE");
    let rule = words
        .next()
        .map(|r| Rule::from_code(r).unwrap_or_else(|| panic!("unknown rule {r}")));
    let (path, fixed_rule, offered): (String, Option<Rule>, Vec<Change>) = match verb {
        "fix-all" => {
            let text = &world.files[at];
            let doc = parse(at, text, &world.config);
            let diagnostics = world.diagnostics(at);
            let change = fix_all(&doc, text, &world.ws, &world.config, &diagnostics, &texts);
            (at.to_string(), None, change.into_iter().collect())
        }
        "fix" | "refuse" | "action" => {
            let (path, line, range) = locate(world, at);
            let text = &world.files[&path];
            let doc = parse(&path, text, &world.config);
            let offered = match rule {
                Some(rule) => {
                    let lines = LineIndex::new(text);
                    let found: Vec<Diagnostic> = world
                        .diagnostics(&path)
                        .into_iter()
                        .filter(|d| d.rule == rule && lines.line_of(d.span.start) + 1 == line)
                        .collect();
                    assert!(
                        verb == "refuse" || !found.is_empty(),
                        "no {rule:?} finding on {at}"
                    );
                    found
                        .iter()
                        .flat_map(|d| fixes_for(&doc, text, &world.ws, &world.config, d, &texts))
                        .collect()
                }
                None => {
                    document_actions(&doc, text, &world.ws, &world.config, range, &texts, today)
                }
            };
            (path, rule, offered)
        }
        other => panic!("unknown directive {other}"),
    };
    let titles: Vec<String> = offered.iter().map(describe).collect();
    out.push_str(&format!(
        "offered: {}\n",
        if titles.is_empty() {
            "nothing".into()
        } else {
            titles.join(" | ")
        }
    ));
    let chosen = match (verb, title) {
        ("refuse", Some(title)) => {
            assert!(
                offered.iter().all(|c| c.title != title),
                "`{title}` offered but must not be"
            );
            return;
        }
        (_, Some(title)) => offered
            .iter()
            .find(|c| c.title == title)
            .unwrap_or_else(|| {
                panic!("`{title}` not offered for {directive}; offered: {titles:?}")
            }),
        (_, None) => offered
            .first()
            .unwrap_or_else(|| panic!("nothing offered for {directive}")),
    };
    let (files, notes) = apply(&world.files, chosen);
    show(out, &world.files, &files, &notes);
    let after = World::new(files);
    assert!(
        after.count(&PATH_RULES, None) <= world.count(&PATH_RULES, None),
        "{directive}: the change broke a path"
    );
    // The fixed document, wherever it went.
    let now = notes
        .iter()
        .find_map(|n| n.strip_suffix(&format!(" (renamed from {path})")))
        .unwrap_or(&path)
        .to_string();
    if let Some(rule) = fixed_rule {
        let before = world.count(&[rule], Some(&path));
        let remaining = after.count(&[rule], Some(&now));
        assert!(
            remaining < before,
            "{directive}: the {rule:?} finding is still there"
        );
    }
    if verb == "fix-all" {
        // One round fixes everything safe: nothing is left for a second one.
        let text = &after.files[&now];
        let doc = parse(&now, text, &after.config);
        let diagnostics = after.diagnostics(&now);
        let texts = Texts(&after.files);
        let again = fix_all(&doc, text, &after.ws, &after.config, &diagnostics, &texts);
        assert!(
            again.is_none(),
            "{directive}: a second fix-all still has {again:?}"
        );
    }
}

fn render(fixture: &str) -> String {
    let (directives, files) = split(fixture);
    let world = World::new(files);
    let mut today = Date::parse("2026-02-01").unwrap();
    let mut out = String::new();
    for d in &directives {
        if let Some(date) = d.strip_prefix("today ") {
            today = Date::parse(date.trim()).expect("a YYYY-MM-DD date");
            continue;
        }
        run_directive(&world, d, today, &mut out);
    }
    out
}

#[test]
fn fix_fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixes");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    entries.sort();
    assert!(!entries.is_empty(), "no fixtures in {}", dir.display());
    let mut failures = Vec::new();
    for path in entries {
        let fixture = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let actual = match std::panic::catch_unwind(|| render(&fixture)) {
            Ok(a) => a,
            Err(e) => {
                let msg = e
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                failures.push(format!("--- {name}: {msg}"));
                continue;
            }
        };
        let expected_path = path.with_extension("expected");
        if update {
            std::fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != actual {
            failures.push(format!(
                "--- {name}\nexpected:\n{expected}actual:\n{actual}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} fix fixture(s) failed (UPDATE_EXPECT=1 rewrites the expected files):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
