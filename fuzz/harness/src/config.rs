//! `config`: prp-lsp.toml or the editor's JSON settings, compiled, then used: globs,
//! profiles, rule levels, routing, generation, status and gate settings from arbitrary
//! input must never panic.

use prp_analysis::gates::{artifact_globs, evaluate, is_artifact, Artifact};
use prp_analysis::generate::{self, requirement_from_text};
use prp_analysis::status::config_conflicts;
use prp_analysis::{assign, check, fixes, parse, Config, DocFacts, DocKind, RawConfig, Workspace};

use crate::invariants;
use crate::setup::{text_of, today, NOW};

/// A small workspace every compiled configuration checks: a PRP with tasks, a task board
/// and an agent.
const DOCUMENTS: [(&str, &str); 4] = [
    // Unnumbered, so that evaluating its gates compiles no regexes.
    (
        "PRPs/active/login.md",
        "---\nname: Login\n---\n# Login\n\n## Goal\nUsers log in.\n\n## Why\n- Security\n\n\
         ## Success Criteria\n- [ ] Login works\n\n## Implementation Tasks\n\n### Task 1: API\n\
         **Assigned to**: @backend\nMODIFY backend/app/api/routes.py\n\n### Task 2: Form\n\
         Build the React login form.\n\n## Validation Loop\n```bash\npytest\n```\n",
    ),
    (
        "PRPs/archive/01_old.md",
        "# PRP-01: Old\n\n**Status**: In progress\n\n## Goal\nSee PRPs/active/login.md\n",
    ),
    (
        "TASK.md",
        "# TASK.md\n\n## Active\n- [ ] Login form @frontend (2026-11-02)\n\
         - [ ] Password reset\n- [x] Audit log @database (completed 2026-11-10)\n",
    ),
    (
        "agent_contexts/backend_agent.md",
        "# Agent: Backend\n\n## Your Scope\n- `backend/`\n\n## Responsibilities\n- APIs\n",
    ),
];

const FILES: [&str; 4] = [
    "backend/app/api/routes.py",
    "frontend/src/App.tsx",
    "PRPs/templates/prp_base.md",
    "docs/architecture.md",
];

/// Reads the input as TOML and as JSON settings; each that parses is compiled (and both
/// layered when both parse) and, when it compiles, used on the fixed workspace.
pub fn config(data: &[u8]) {
    let text = text_of(data);
    let toml = RawConfig::from_toml(&text);
    if let Err(e) = &toml {
        if let Some(span) = &e.span {
            assert!(
                span.start <= span.end && span.end <= text.len(),
                "error span {span:?} outside the text: {}",
                e.message
            );
        }
    }
    let json = serde_json::from_str(&text).map(RawConfig::from_json);
    let raws: Vec<RawConfig> = match (toml.ok(), json.ok().and_then(Result::ok)) {
        (Some(t), Some(j)) => vec![t.clone(), t.merge(j)],
        (Some(raw), None) | (None, Some(raw)) => vec![raw],
        (None, None) => Vec::new(),
    };
    for raw in &raws {
        if let Ok(config) = Config::from_raw(raw) {
            use_config(&config);
        }
    }
}

/// Everything that reads the configuration, over the fixed workspace.
fn use_config(config: &Config) {
    let _ = (config.status_settings(), config_conflicts(config));
    let globs = artifact_globs(config);
    let mut ws = Workspace::with_files(FILES);
    ws.set_config_agents(config);
    let docs: Vec<_> = DOCUMENTS
        .iter()
        .map(|(path, text)| {
            let doc = parse(path, text, config);
            invariants::model(&doc, text);
            let _ = (config.profile_for_path(path), is_artifact(config, path));
            ws.add_file(path);
            ws.update_document(path, DocFacts::of(&doc));
            (doc, *text)
        })
        .collect();
    let artifacts: Vec<Artifact> = ["reports/junit.xml", "DEV_LOG.md", "README.md"]
        .into_iter()
        .chain(globs.iter().take(4).map(String::as_str))
        .map(|path| Artifact {
            path: path.to_string(),
            text: "<testsuite tests=\"1\"><testcase name=\"a\"/></testsuite>\nPRP-01\n".into(),
            modified: NOW,
        })
        .collect();
    let texts = NoTexts;
    for (doc, text) in &docs {
        if doc.kind == DocKind::Prp {
            let report = evaluate(doc, text, config, &artifacts, NOW - 60).at(NOW);
            ws.set_gate_report(&doc.path, report);
        }
        let diagnostics = check(doc, text, &ws, config);
        invariants::diagnostics(doc, text, &diagnostics);
        let text_of = |p: &str| (p == doc.path).then(|| text.to_string());
        let mut changes = Vec::new();
        for d in &diagnostics {
            changes.extend(fixes::fixes_for(doc, text, &ws, config, d, &texts));
        }
        changes.extend(fixes::fix_all(doc, text, &ws, config, &diagnostics, &texts));
        for task in 0..doc.tasks.len() {
            changes.extend(assign::assign_changes(doc, text, task, &ws, config));
        }
        changes.extend(assign::assign_all(doc, text, &ws, config));
        for change in &changes {
            invariants::change(change, &text_of);
        }
    }
    // The folder and template of a generated PRP are the configuration's to choose, but a
    // folder outside the workspace is refused.
    let requirement = requirement_from_text("Add a password reset email for the backend API");
    if let Ok(generated) = generate::generate(&requirement, None, &ws, config, &texts, today()) {
        invariants::relative_path(&generated.path, &"a generated PRP");
        invariants::change(&generated.change, &|_: &str| None);
    }
}

/// No other document's text is available.
struct NoTexts;

impl prp_analysis::edit::TextSource for NoTexts {
    fn text(&self, _: &str) -> Option<String> {
        None
    }
}
