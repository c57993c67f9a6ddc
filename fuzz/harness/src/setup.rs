//! What every target builds around the input: the documents it becomes, the small workspace
//! they live in (with an agent status snapshot and gate reports, so the status and checklist
//! rules run too), and the texts cross-document actions read.

use std::borrow::Cow;
use std::sync::{Arc, LazyLock};

use prp_analysis::document::scan::Date;
use prp_analysis::edit::TextSource;
use prp_analysis::gates::{evaluate_evidence, Artifact, Evidence, GateReport};
use prp_analysis::status::{parse_status, StatusSnapshot};
use prp_analysis::{parse, Config, DocFacts, Document, Workspace};

/// The time everything is judged at: 2026-11-20T12:00:00Z.
pub const NOW: i64 = 1_795_176_000;

/// The date actions write ("Mark done", generated PRPs).
pub fn today() -> Date {
    Date::parse("2026-11-20").expect("a valid date")
}

/// Where the input is put, one path per kind of document: an active PRP, its archived twin
/// (same number: duplicate numbers, moved PRPs), the task board, an agent context file and
/// a Markdown file that is none of these.
pub const PATHS: [&str; 5] = [
    "PRPs/active/01_x.md",
    "PRPs/archive/01_y.md",
    "TASK.md",
    "agent_contexts/backend.md",
    "notes.md",
];

/// The workspace template generation reads (the input stands in for it too).
pub const TEMPLATE: &str = "PRPs/templates/prp_base.md";

/// Other files of the workspace: references to them resolve.
const FILES: &[&str] = &[
    "src/app.py",
    "backend/app/main.py",
    "backend/app/api/routes.py",
    "frontend/src/App.tsx",
    "database/migrations/001_init.sql",
    "docs/architecture.md",
    "README.md",
    "DEV_LOG.md",
    "PLANNING.md",
    "PRPs/README.md",
    TEMPLATE,
    "PRPs/active/03_sync_calendar.md",
    "PRPs/archive/04_audit_log.md",
    "agent_contexts/frontend_agent.md",
];

const FRONTEND_AGENT: &str = "# Agent: Frontend\n\n## Your Scope\n- `frontend/`\n- `docs/`\n";

/// Reports of three agents: one stuck on a task for hours, one failing, one idle.
const STATUS: &str = r#"[
  {"id": "backend", "state": "busy", "current_task": "PRP-01 Task 1", "active_tasks": 1,
   "task_started_at": "2026-11-20T01:00:00Z", "last_activity": "2026-11-20T11:50:00Z",
   "reported_at": "2026-11-20T11:59:00Z", "tasks_completed": 10, "tasks_failed": 4,
   "avg_response_ms": 9000, "health_score": 40},
  {"id": "frontend", "state": "failed", "reported_at": "2026-11-19T08:00:00Z",
   "tasks_completed": 3, "tasks_failed": 3},
  {"id": "database", "state": "idle", "last_activity": "2026-11-18T12:00:00Z",
   "reported_at": "2026-11-20T11:00:00Z", "health_score": 99}
]"#;

/// A PRP whose gates have every verdict: passing, failing, stale, without evidence.
const GATED_PRP: &str =
    "# PRP-01: Gated\n\n## Implementation Tasks\n- [x] Task 1\n\nReview: approved\n";

/// Evidence for it: failing unit tests, fresh coverage, a stale benchmark, a dev log entry,
/// an unreadable SARIF log.
const ARTIFACTS: [(&str, &str, i64); 5] = [
    (
        "reports/junit.xml",
        r#"<testsuite name="unit" tests="2"><testcase classname="t" name="a"/><testcase classname="t" name="b"><failure message="x"/></testcase></testsuite>"#,
        NOW - 600,
    ),
    (
        "coverage/lcov.info",
        "TN:\nSF:src/app.py\nDA:1,1\nDA:2,0\nLF:2\nLH:1\nend_of_record\n",
        NOW - 600,
    ),
    (
        "benchmarks/api.json",
        r#"{"metric": "p95_ms", "value": 120, "target": 200, "direction": "lower"}"#,
        NOW - 86_400,
    ),
    (
        "DEV_LOG.md",
        "- 2026-11-19: PRP-01 merged (01_x)\n",
        NOW - 600,
    ),
    ("reports/scan.sarif", "{\"runs\": 3}", NOW - 600),
];

/// The evidence, parsed once for all runs (as the server keeps it).
static EVIDENCE: LazyLock<Arc<Evidence>> = LazyLock::new(|| {
    let artifacts = ARTIFACTS
        .iter()
        .map(|(path, text, modified)| Artifact {
            path: path.to_string(),
            text: text.to_string(),
            modified: *modified,
        })
        .collect();
    Arc::new(Evidence::new(artifacts))
});

/// The gate report the active PRP of the input gets (with its own path), evaluated once.
static REPORT: LazyLock<GateReport> = LazyLock::new(|| {
    let doc = parse(PATHS[0], GATED_PRP, &CONFIG);
    evaluate_evidence(&doc, GATED_PRP, &CONFIG, &EVIDENCE, NOW - 3600).at(NOW)
});

/// The default configuration, compiled once.
pub static CONFIG: LazyLock<Config> = LazyLock::new(Config::default);

static SNAPSHOT: LazyLock<StatusSnapshot> = LazyLock::new(|| StatusSnapshot {
    statuses: parse_status("agent_contexts/status/agents.json", STATUS)
        .expect("the fixed status reports parse"),
    now: NOW,
    ..StatusSnapshot::default()
});

/// The workspace without the input's documents (files, one agent, status reports).
static BASE: LazyLock<Workspace> = LazyLock::new(|| {
    let mut ws = Workspace::with_files(FILES.iter().copied());
    let agent_path = "agent_contexts/frontend_agent.md";
    let agent = parse(agent_path, FRONTEND_AGENT, &CONFIG);
    ws.update_document(agent_path, DocFacts::of(&agent));
    ws.set_status(SNAPSHOT.clone());
    ws
});

/// Bytes as an editor would hold them: invalid UTF-8 replaced.
pub fn text_of(data: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// The input parsed at every path of [`PATHS`], and the workspace of those documents (plus
/// the base files, agent and status), with a gate report for each PRP.
pub fn analyse(text: &str, config: &Config) -> (Workspace, Vec<Document>) {
    let mut ws = BASE.clone();
    ws.set_config_agents(config);
    let docs: Vec<Document> = PATHS.iter().map(|p| parse(p, text, config)).collect();
    for doc in &docs {
        ws.add_file(&doc.path);
        let facts = DocFacts::of(doc);
        let old = ws.update_document(&doc.path, facts.clone());
        // What the server asks after every change; the answer only names known documents.
        for dependent in ws.dependents(&doc.path, old.as_ref(), Some(&facts)) {
            assert!(
                ws.facts(&dependent).is_some() && dependent != doc.path,
                "dependents of {} name {dependent}, not another known document",
                doc.path
            );
        }
    }
    // The active PRP has a stored gate report (an open editor's), the archived one is
    // evaluated by `check` against the workspace's evidence when it has gate checklist items
    // (as `prp-lsp check` does). Evaluating the input here for every run would be too slow.
    ws.set_gate_report(
        PATHS[0],
        GateReport {
            prp: PATHS[0].to_string(),
            ..REPORT.clone()
        },
    );
    ws.set_evidence(Arc::clone(&EVIDENCE), NOW);
    ws.set_saved_at(PATHS[1], NOW - 3600);
    (ws, docs)
}

/// Texts of the workspace's documents for actions that reach across it: every document of
/// [`PATHS`] holds the input, and so does the template when `template` is set (else there
/// is none, and generation uses the built-in one).
pub struct Texts<'a> {
    pub text: &'a str,
    pub template: bool,
}

impl Texts<'_> {
    /// Whether the core may have read `path` as one of the documents.
    pub fn knows(path: &str) -> bool {
        PATHS.contains(&path)
    }
}

impl TextSource for Texts<'_> {
    fn text(&self, path: &str) -> Option<String> {
        (Texts::knows(path) || (self.template && path == TEMPLATE)).then(|| self.text.to_string())
    }
}
