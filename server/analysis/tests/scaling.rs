//! Every analysis grows linearly with its input. Each shape below is built at a size `n` and
//! at `GROWTH × n`, and every operation an editor or `check` runs on it (parse and check,
//! assign all, the code actions at the first and last line, fix-all, gate evaluation) is
//! timed at both sizes; the test asserts the ratio of the two times, never a time. A
//! linear operation grows about `GROWTH`-fold, a quadratic one `GROWTH²`-fold, so the bound
//! in between fails a quadratic implementation on any machine, fast or slow.

use std::time::{Duration, Instant};

use prp_analysis::document::scan::Date;
use prp_analysis::edit::TextSource;
use prp_analysis::gates;
use prp_analysis::{assign, check, fixes, generate, ide, parse, Config, DocFacts, Workspace};

const GROWTH: usize = 8;
/// The smaller size. A quadratic path whose constant is small next to the linear work (a
/// cheap comparison per pair of tasks) only shows at thousands of items: `scripts/test`
/// runs this test optimized at full size; the unoptimized `cargo test` run uses a fifth, which
/// still catches the costlier ones.
const SIZE: usize = if cfg!(debug_assertions) { 400 } else { 2000 };
/// Linear is about 8, n·log n about 10, quadratic about 64.
const MAX_RATIO: f64 = 24.0;
/// Below this the larger run is too short for its ratio to mean anything; it passes.
const MEANINGFUL: Duration = Duration::from_millis(20);

struct NoTexts;

impl TextSource for NoTexts {
    fn text(&self, _: &str) -> Option<String> {
        None
    }
}

/// A workspace with two agents, so routing, workload and `task-unroutable` all run.
fn workspace(config: &Config) -> Workspace {
    let mut ws = Workspace::with_files(["src/app.py", "TASK.md", "PRPs/active/01_big.md"]);
    for (path, text) in [
        (
            "agent_contexts/backend_agent.md",
            "# Agent: Backend\n\n## Your Scope\n\n- `src/api/`\n\n## Keywords\n\n- api, database\n",
        ),
        (
            "agent_contexts/frontend_agent.md",
            "# Agent: Frontend\n\n## Your Scope\n\n- `src/ui/`\n\n## Keywords\n\n- ui, page\n",
        ),
    ] {
        ws.add_file(path);
        let doc = parse(path, text, config);
        ws.update_document(path, DocFacts::of(&doc));
    }
    ws
}

const PRP_HEAD: &str = "# PRP-01: Big\n\n## Goal\n\nBuild it.\n\n## Why\n\nBecause.\n\n## What\n\nA thing.\n\n## Success Criteria\n\n- [ ] it works\n\n## Implementation Blueprint\n\n";
const PRP_TAIL: &str = "\n## Validation Loop\n\n```bash\ncargo test\n```\n";

fn prp(body: String) -> (&'static str, String) {
    (
        "PRPs/active/01_big.md",
        format!("{PRP_HEAD}{body}{PRP_TAIL}"),
    )
}

/// The shapes: each names what it stresses.
/// Builds a document of a shape at a size: its path and text.
type Shape = fn(usize) -> (&'static str, String);

fn shapes() -> Vec<(&'static str, Shape)> {
    vec![
        ("TASK.md items with agents and dates", |n| {
            let items: String = (0..n)
                .map(|i| format!("- [ ] task {i} @backend (added 2026-11-02)\n"))
                .collect();
            ("TASK.md", format!("# Tasks\n\n## Active\n\n{items}\n## Completed\n\n- [x] first (completed 2026-11-01)\n"))
        }),
        ("TASK.md items under done phases", |n| {
            let phases: String = (0..n / 10)
                .map(|p| {
                    let items: String = (0..10).map(|i| format!("- [ ] step {p}.{i}\n")).collect();
                    format!("## Phase {p} ✅ COMPLETED\n\n{items}\n")
                })
                .collect();
            ("TASK.md", format!("# Tasks\n\n{phases}"))
        }),
        ("PRP task headings with files", |n| {
            prp((0..n)
                .map(|i| format!("### Task {i}: build page {i}\n\nMODIFY src/ui/page{i}.tsx\n\n- [ ] step {i}\n\n"))
                .collect())
        }),
        ("PRP references and links", |n| {
            prp((0..n)
                .map(|i| format!("- see `src/mod{i}/file{i}.rs`, [doc](docs/d{i}.md) and PRPs/active/{i:02}_x.md\n"))
                .collect())
        }),
        ("PRP fenced task lines", |n| {
            let tasks: String = (0..n)
                .map(|i| format!("Task {i}:\n  MODIFY src/api/a{i}.py\n  - add the api call\n"))
                .collect();
            prp(format!("```yaml\n{tasks}```\n"))
        }),
        ("PRP fences and placeholders", |n| {
            prp((0..n)
                .map(|i| format!("```python\nx = {i}\n```\n\n- [TODO] item {i} {{{{name}}}}\n\n"))
                .collect())
        }),
        ("PRP metadata keys", |n| {
            let keys: String = (0..n)
                .map(|i| format!("**Key {i}**: value {i}\n"))
                .collect();
            prp(format!("## Metadata\n\n{keys}\n"))
        }),
        ("finished PRP with many criteria sections", |n| {
            let sections: String = (0..n)
                .map(|i| format!("## Success Criteria\n\n- [ ] c{i}\n\n### Definition of Done\n\n- [x] d{i}\n\n"))
                .collect();
            let (path, text) = prp(sections);
            (path, format!("---\nstatus: completed\n---\n{text}"))
        }),
    ]
}

/// Every operation on one document, as the server and `check` run them.
fn analyse(ws: &mut Workspace, config: &Config, path: &str, text: &str) {
    let doc = parse(path, text, config);
    ws.update_document(path, DocFacts::of(&doc));
    let findings = check(&doc, text, ws, config);
    let _ = assign::plan_all(&doc, text, ws, config);
    let today = Date::parse("2026-12-03").unwrap();
    for at in [0, text.len().saturating_sub(2)] {
        let _ = fixes::document_actions(&doc, text, ws, config, at..at, &NoTexts, today);
        if let Some(task) = doc.tasks.iter().rposition(|t| t.span.start <= at) {
            let _ = assign::assign_changes(&doc, text, task, ws, config);
        }
    }
    let _ = fixes::fix_all(&doc, text, ws, config, &findings, &NoTexts);
    let report = gates::evaluate(&doc, text, config, &[], 0);
    // The IDE features an editor asks for on every screen of the document.
    let _ = ide::links::links(&doc, text, ws);
    let _ = ide::inlay::hints(
        &doc,
        text,
        ws,
        config.inlay_hints,
        Some(&report),
        0..text.len(),
    );
    let _ = ide::symbols::document(&doc);
    let _ = ide::folding::ranges(&doc, text);
    let _ = ide::lenses::lenses(&doc, ws, config, None, 0);
    for at in [0, text.len().saturating_sub(2)] {
        let _ = ide::completion::complete(&doc, text, ws, config, at);
        let _ = ide::rename::prepare_at(&doc, text, ws, at);
        if let Some(target) = ide::references::target_at(&doc, text, ws, at) {
            let _ = ide::references::in_document(&doc, text, ws, &target);
        }
    }
    let backend = ide::references::Target::Agent("backend".into());
    let _ = ide::references::in_document(&doc, text, ws, &backend);
    let _ = generate::requirement_blocks(&doc, text);
    if let Some(last) = doc.checklist.len().checked_sub(1) {
        let _ = generate::requirement_from_task_item(&doc, text, last);
    }
}

fn fastest_of_three(mut run: impl FnMut()) -> Duration {
    (0..3)
        .map(|_| {
            let started = Instant::now();
            run();
            started.elapsed()
        })
        .min()
        .unwrap()
}

/// Runs `run` at a size and at `GROWTH` times it; fails when the time grew superlinearly.
fn assert_grows_linearly(what: &str, run: impl Fn(usize) -> Duration) {
    let n = SIZE / 4;
    let (small, large) = (run(n), run(n * GROWTH));
    let ratio = large.as_secs_f64() / small.as_secs_f64().max(1e-9);
    eprintln!(
        "{n} → {} {what}: {small:?} → {large:?}, ×{ratio:.1}",
        n * GROWTH
    );
    assert!(
        ratio <= MAX_RATIO || large < MEANINGFUL,
        "{GROWTH}× the {what} took {ratio:.0}× the time ({small:?} → {large:?})"
    );
}

#[test]
fn every_shape_grows_linearly() {
    let config = Config::default();
    let n = SIZE;
    let mut failures = Vec::new();
    for (name, make) in shapes() {
        let (path, small) = make(n);
        let (_, large) = make(n * GROWTH);
        let mut ws = workspace(&config);
        let t_small = fastest_of_three(|| analyse(&mut ws, &config, path, &small));
        let t_large = fastest_of_three(|| analyse(&mut ws, &config, path, &large));
        let ratio = t_large.as_secs_f64() / t_small.as_secs_f64().max(1e-9);
        eprintln!(
            "{name}: {} → {} bytes, {t_small:?} → {t_large:?}, ×{ratio:.1}",
            small.len(),
            large.len()
        );
        if ratio > MAX_RATIO && t_large > MEANINGFUL {
            failures.push(format!(
                "{name}: {GROWTH}× the input took {ratio:.0}× the time ({t_small:?} → {t_large:?})"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "superlinear analysis:\n{}",
        failures.join("\n")
    );
}

/// A workspace of many documents, each referencing the others and assigning work: indexing
/// every document and then checking every one grows with the workspace, not its square
/// (no rule may scan the whole workspace per document).
#[test]
fn checking_a_whole_workspace_grows_linearly() {
    let config = Config::default();
    let run = |n: usize| {
        let mut ws = workspace(&config);
        let docs: Vec<(String, String)> = (0..n)
            .map(|i| {
                let path = format!("PRPs/active/{i:04}_feature.md");
                let body = format!(
                    "### Task 1: page {i}\n\nMODIFY src/ui/p{i}.tsx\n\n**Assigned to**: frontend\n\nSee PRPs/active/{:04}_feature.md and `TASK.md`.\n",
                    (i + 1) % n
                );
                (path, format!("{PRP_HEAD}{body}{PRP_TAIL}"))
            })
            .collect();
        let board: String = (0..n)
            .map(|i| format!("- [ ] feature {i} @frontend (PRPs/active/{i:04}_feature.md)\n"))
            .collect();
        let board = format!("# Tasks\n\n## Active\n\n{board}");
        fastest_of_three(|| {
            for (path, text) in &docs {
                ws.add_file(path);
                let doc = parse(path, text, &config);
                ws.update_document(path, DocFacts::of(&doc));
            }
            let doc = parse("TASK.md", &board, &config);
            ws.update_document("TASK.md", DocFacts::of(&doc));
            let mut findings = check(&doc, &board, &ws, &config).len();
            for (path, text) in &docs {
                let doc = parse(path, text, &config);
                findings += check(&doc, text, &ws, &config).len();
            }
            assert!(findings < 10 * n, "{findings} findings on {n} documents");
        })
    };
    assert_grows_linearly("documents", run);
}

/// Routing reads every agent for every open task only through indexes: checking a PRP of
/// `n` unassigned PRP tasks in a workspace of `n` agents grows with `n`, not `n²` (each
/// task names a file in one agent's scope, or nothing any agent owns).
#[test]
fn routing_grows_with_agents_and_tasks_not_their_product() {
    let config = Config::default();
    let run = |n: usize| {
        let mut ws = Workspace::with_files(["TASK.md"]);
        for i in 0..n {
            let path = format!("agent_contexts/team{i}_agent.md");
            let text = format!("# Agent: Team {i}\n\n## Your Scope\n\n- `src/m{i}/`\n");
            ws.add_file(&format!("src/m{i}/main.py"));
            ws.add_file(&path);
            let doc = parse(&path, &text, &config);
            ws.update_document(&path, DocFacts::of(&doc));
        }
        let tasks: String = (0..n)
            .map(|i| match i % 2 {
                0 => format!("### Task {i}: change module {i}\n\nMODIFY src/m{i}/main.py\n\n"),
                _ => format!("### Task {i}: item nobody owns\n\nDo it.\n\n"),
            })
            .collect();
        let (path, text) = prp(tasks);
        ws.add_file(path);
        let doc = parse(path, &text, &config);
        ws.update_document(path, DocFacts::of(&doc));
        fastest_of_three(|| {
            let unroutable = check(&doc, &text, &ws, &config)
                .iter()
                .filter(|d| d.rule.code() == "task-unroutable")
                .count();
            assert_eq!(unroutable, n / 2, "every other task is unroutable");
        })
    };
    assert_grows_linearly("agents and tasks", run);
}
