//! Routing paths, writing styles and explanations, on small in-memory workspaces.

use super::*;
use crate::edit::{apply_edits, Change, ChangeKind, FileChange};
use crate::orchestrator::OrchestratorConfig;
use crate::{parse, Config, DocFacts, DocKind, Document, RawConfig, Workspace};

struct Fixture {
    ws: Workspace,
    config: Config,
    docs: Vec<(Document, String)>,
}

/// A workspace from `prp-lsp.toml` text, an optional orchestrator JSON and files.
fn fixture(toml: &str, orchestrator: Option<&str>, files: &[(String, String)]) -> Fixture {
    let mut config = Config::from_raw(&RawConfig::from_toml(toml).unwrap()).unwrap();
    if let Some(json) = orchestrator {
        config.orchestrator_path = Some("orchestrator.json".into());
        config.orchestrator = Some(OrchestratorConfig::from_json(json).unwrap());
    }
    let mut ws = Workspace::new();
    ws.set_config_agents(&config);
    let mut docs = Vec::new();
    for (path, text) in files {
        ws.add_file(path);
        let doc = parse(path, text, &config);
        if doc.kind != DocKind::Other {
            ws.update_document(path, DocFacts::of(&doc));
        }
        docs.push((doc, text.clone()));
    }
    Fixture { ws, config, docs }
}

/// An agent context file owning `scope`.
fn agent(id: &str, scope: &[&str]) -> (String, String) {
    let path = format!("agent_contexts/{id}_agent.md");
    let scope: String = scope.iter().map(|s| format!("- `{s}`\n")).collect();
    let text = format!("# Agent: {id}\n## Your Identity\nYou.\n## Your Scope\n{scope}");
    (path, text)
}

fn files(list: &[(String, String)], more: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut all = list.to_vec();
    all.extend(more.iter().map(|(p, t)| (p.to_string(), t.to_string())));
    all
}

impl Fixture {
    fn doc(&self, path: &str) -> (&Document, &str) {
        let (doc, text) = self.docs.iter().find(|(d, _)| d.path == path).unwrap();
        (doc, text)
    }

    fn ranked(&self, path: &str, task: usize) -> Vec<(String, String)> {
        let (doc, text) = self.doc(path);
        candidates(doc, text, task, &self.ws, &self.config)
            .into_iter()
            .map(|c| (c.agent, c.reason))
            .collect()
    }

    fn best(&self, path: &str, task: usize) -> (String, String) {
        self.ranked(path, task)
            .into_iter()
            .next()
            .expect("a candidate")
    }

    fn apply(&self, path: &str, change: &Change) -> String {
        let (_, text) = self.doc(path);
        match change.changes.as_slice() {
            [FileChange::Edit { path: p, edits }] if p == path => apply_edits(text, edits),
            other => panic!("unexpected change {other:?}"),
        }
    }
}

fn pair(agent: &str, reason: &str) -> (String, String) {
    (agent.to_string(), reason.to_string())
}

const PRP: &str = "PRPs/active/01_feature.md";

fn standard_agents() -> Vec<(String, String)> {
    vec![
        agent("backend", &["backend/"]),
        agent("frontend", &["frontend/"]),
        agent("database", &["backend/db/"]),
        agent("integration", &[]),
        agent("planning", &[]),
    ]
}

#[test]
fn a_prp_lsp_toml_rule_comes_first() {
    let prp = "# F\n## Tasks\n### Task 1: Stripe checkout page\nA React component.\n";
    let f = fixture(
        "[routing]\nrules = [{ pattern = \"(?i)stripe|payment\", agent = \"backend\" }]\n",
        None,
        &files(&standard_agents(), &[(PRP, prp)]),
    );
    let ranked = f.ranked(PRP, 0);
    assert_eq!(
        ranked[0],
        pair(
            "backend",
            "routing rule `(?i)stripe|payment` in prp-lsp.toml"
        )
    );
    assert_eq!(ranked[1], pair("frontend", "keyword `react`"));
}

#[test]
fn an_orchestrator_rule_comes_after_the_toml_rules() {
    let prp = "# F\n## Tasks\n### Task 1: Calendar sync\nStore events in the database.\n";
    let orchestrator =
        r#"{"task_routing":{"rules":[{"pattern":"CALENDAR","agent":"integration"}]}}"#;
    let f = fixture(
        "",
        Some(orchestrator),
        &files(&standard_agents(), &[(PRP, prp)]),
    );
    assert_eq!(
        f.ranked(PRP, 0)[..2],
        [
            pair(
                "integration",
                "routing rule `CALENDAR` in orchestrator.json"
            ),
            pair("database", "keyword `database`"),
        ]
    );
    let f = fixture(
        "[routing]\nrules = [{ pattern = \"sync\", agents = [\"backend\"] }]\n",
        Some(orchestrator),
        &files(&standard_agents(), &[(PRP, prp)]),
    );
    assert_eq!(f.best(PRP, 0).0, "backend");
}

#[test]
fn the_most_specific_scope_wins() {
    let prp = "# F\n## Tasks\n### Task 1: Invoice table\n- CREATE backend/db/invoices.py\n### Task 2: Routes\n- MODIFY backend/app/api/routes.py\n";
    let f = fixture("", None, &files(&standard_agents(), &[(PRP, prp)]));
    assert_eq!(
        f.ranked(PRP, 0)[..2],
        [
            pair(
                "database",
                "owns `backend/db/` (scope) which holds backend/db/invoices.py"
            ),
            pair(
                "backend",
                "owns `backend/` (scope) which holds backend/db/invoices.py"
            ),
        ]
    );
    assert_eq!(
        f.best(PRP, 1),
        pair(
            "backend",
            "owns `backend/` (scope) which holds backend/app/api/routes.py"
        )
    );
}

#[test]
fn scope_reads_files_to_modify_and_project_prefixed_scopes() {
    let prp =
        "# F\n## Files to Modify\n- `web/src/App.tsx`\n## Tasks\n### Task 1: Shell\nWire it up.\n";
    let agents = vec![
        agent("frontend", &["/band-platform/web/"]),
        agent("backend", &["api/"]),
    ];
    let f = fixture("", None, &files(&agents, &[(PRP, prp)]));
    assert_eq!(
        f.best(PRP, 0),
        pair(
            "frontend",
            "owns `/band-platform/web/` (scope) which holds web/src/App.tsx"
        )
    );
}

#[test]
fn scopes_of_existing_folders_resolve_through_the_workspace() {
    let prp = "# F\n### Task 1: Styles\n- MODIFY src/App.tsx\n";
    let agents = vec![
        agent("frontend", &["/band-platform/web/"]),
        agent("backend", &["/band-platform/api/"]),
    ];
    let mut f = fixture(
        "",
        None,
        &files(
            &agents,
            &[(PRP, prp), ("web/src/App.tsx", ""), ("api/main.py", "")],
        ),
    );
    f.ws.root_name = Some("band-platform".into());
    assert_eq!(
        f.best(PRP, 0),
        pair(
            "frontend",
            "owns `/band-platform/web/` (scope) which holds src/App.tsx"
        )
    );
}

#[test]
fn modules_route_by_name_or_by_configuration() {
    let single =
        "# F\n## Modules Affected\n- Frontend (React)\n## Tasks\n### Task 1: Wire the data\n";
    let f = fixture("", None, &files(&standard_agents(), &[(PRP, single)]));
    assert_eq!(f.best(PRP, 0), pair("frontend", "module `frontend`"));

    let several = "---\nmodules_affected: [billing, frontend]\n---\n# F\n## Tasks\n### Task 1: Billing totals\n### Task 2: Polish\n";
    let f = fixture(
        "[routing.modules]\nbilling = \"backend\"\n",
        None,
        &files(&standard_agents(), &[(PRP, several)]),
    );
    assert_eq!(f.best(PRP, 0), pair("backend", "module `billing`"));
    // Several modules and none named: the PRP's list does not pick for this task.
    assert_eq!(f.best(PRP, 1), pair("planning", "generalist agent"));
}

#[test]
fn keywords_pick_the_agent_of_their_kind() {
    let prp = "# F\n## Tasks\n### Task 1: Add a migration for invoices\n### Task 2: Google Calendar API client\n### Task 3: Flaky checkout\n";
    let f = fixture(
        "[routing.keywords]\nfrontend = [\"checkout\"]\n",
        None,
        &files(&standard_agents(), &[(PRP, prp)]),
    );
    assert_eq!(f.best(PRP, 0), pair("database", "keyword `migration`"));
    let second = f.ranked(PRP, 1);
    assert_eq!(second[0], pair("integration", "keyword `google`"));
    assert_eq!(second[1], pair("backend", "keyword `api`"));
    assert_eq!(f.best(PRP, 2), pair("frontend", "keyword `checkout`"));
}

#[test]
fn default_agent_then_generalist() {
    let prp = "# F\n## Tasks\n### Task 1: Think it over\n";
    let f = fixture(
        "[routing]\ndefault-agent = \"backend\"\n",
        None,
        &files(&standard_agents(), &[(PRP, prp)]),
    );
    assert_eq!(f.ranked(PRP, 0), [pair("backend", "default agent")]);
    let orchestrator = r#"{"task_routing":{"default_agent":"frontend"}}"#;
    let f = fixture(
        "",
        Some(orchestrator),
        &files(&standard_agents(), &[(PRP, prp)]),
    );
    assert_eq!(f.ranked(PRP, 0), [pair("frontend", "default agent")]);
    let f = fixture("", None, &files(&standard_agents(), &[(PRP, prp)]));
    assert_eq!(f.ranked(PRP, 0), [pair("planning", "generalist agent")]);
}

#[test]
fn disabled_and_unknown_agents_are_never_offered() {
    let prp = "# F\n## Tasks\n### Task 1: Database migration\n";
    let orchestrator = r#"{"agents":{"database":{"enabled":false}}}"#;
    let f = fixture(
        "[routing]\nrules = [{ pattern = \"migration\", agent = \"ghost\" }]\n",
        Some(orchestrator),
        &files(&standard_agents(), &[(PRP, prp)]),
    );
    let agents: Vec<String> = f.ranked(PRP, 0).into_iter().map(|(a, _)| a).collect();
    assert_eq!(agents, ["planning"]);
}

#[test]
fn without_agent_definitions_routing_names_are_offered() {
    let prp = "# F\n## Tasks\n### Task 1: Schema change\n";
    let f = fixture("", None, &[(PRP.into(), prp.into())]);
    assert_eq!(f.ranked(PRP, 0), [pair("database", "keyword `schema`")]);
}

#[test]
fn an_agent_at_capacity_ranks_below_the_others() {
    let prp = "# F\n## Tasks\n### Task 1: Invoice endpoint\nA database query.\n";
    let board = "## Active\n- [ ] One @backend\n- [ ] Two @backend\n- [x] Done @backend\n";
    let archived = "# Old\n### Task 1: Old\n**Assigned to**: backend\n";
    let orchestrator = r#"{"agents":{"backend":{"max_concurrent":2}}}"#;
    let f = fixture(
        "",
        Some(orchestrator),
        &files(
            &standard_agents(),
            &[
                (PRP, prp),
                ("TASK.md", board),
                ("PRPs/archive/02_old.md", archived),
            ],
        ),
    );
    let (doc, text) = f.doc(PRP);
    let ranked = candidates(doc, text, 0, &f.ws, &f.config);
    let order: Vec<&str> = ranked.iter().map(|c| c.agent.as_str()).collect();
    assert_eq!(order, ["database", "planning", "backend"]);
    let backend = &ranked[2];
    assert_eq!(
        (backend.agent.as_str(), backend.reason.as_str()),
        (
            "backend",
            "keyword `endpoint`; at capacity (2/2 open tasks)"
        )
    );
    assert_eq!(
        (backend.open_tasks, backend.capacity, backend.at_capacity),
        (2, Some(2), true)
    );
}

fn assign(f: &Fixture, path: &str, task: usize, agent: &str) -> String {
    let (doc, text) = f.doc(path);
    let candidate = Candidate {
        agent: agent.into(),
        reason: "keyword `x`".into(),
        open_tasks: 0,
        capacity: None,
        at_capacity: false,
    };
    let change = assign_change(doc, text, task, &candidate);
    assert_eq!(change.title, format!("Assign to {agent} — keyword `x`"));
    assert_eq!(change.kind, ChangeKind::Refactor);
    f.apply(path, &change)
}

#[test]
fn headings_get_an_assigned_to_line() {
    let prp = "# F\n### Task 1: API\nBuild it.\n### Task 2: UI\n**Assigned to**: `frontend_agent` (React)\n### Task 3: Last";
    let f = fixture("", None, &[(PRP.into(), prp.into())]);
    assert_eq!(
        assign(&f, PRP, 0, "backend"),
        "# F\n### Task 1: API\n**Assigned to**: backend\nBuild it.\n### Task 2: UI\n**Assigned to**: `frontend_agent` (React)\n### Task 3: Last"
    );
    assert_eq!(
        assign(&f, PRP, 1, "design"),
        "# F\n### Task 1: API\nBuild it.\n### Task 2: UI\n**Assigned to**: `design` (React)\n### Task 3: Last"
    );
    assert!(assign(&f, PRP, 2, "qa").ends_with("### Task 3: Last\n**Assigned to**: qa"));
}

#[test]
fn board_items_get_a_mention() {
    let board = "## Active\n- [ ] Fix login (added 2026-01-02)  \n  - User: \"it breaks\"\n- [ ] Docs @writer\n- [ ] Deploy\n  Assigned to: ops\n";
    let f = fixture("", None, &[("TASK.md".into(), board.into())]);
    assert_eq!(
        assign(&f, "TASK.md", 0, "backend"),
        board.replace("2026-01-02)  \n", "2026-01-02) @backend  \n")
    );
    assert_eq!(
        assign(&f, "TASK.md", 1, "documentation"),
        board.replace("@writer", "@documentation")
    );
    assert_eq!(
        assign(&f, "TASK.md", 2, "devops"),
        board.replace("to: ops", "to: devops")
    );
}

#[test]
fn fence_tasks_get_an_indented_line() {
    let prp = "# F\n```\n  Task 1: Model\n  CREATE src/model.py\n  Task 2: View\n    Assigned to: frontend\n```\n";
    let f = fixture("", None, &[(PRP.into(), prp.into())]);
    assert_eq!(
        assign(&f, PRP, 0, "backend"),
        prp.replace("Model\n", "Model\n    Assigned to: backend\n")
    );
    assert_eq!(
        assign(&f, PRP, 1, "design"),
        prp.replace("to: frontend", "to: design")
    );
}

#[test]
fn crlf_documents_keep_their_line_endings() {
    let prp = "# F\r\n### Task 1: API\r\nBuild it.\r\n```\r\nTask 2: Model\r\n```\r\n";
    let f = fixture("", None, &[(PRP.into(), prp.into())]);
    assert_eq!(
        assign(&f, PRP, 0, "backend"),
        prp.replace("API\r\n", "API\r\n**Assigned to**: backend\r\n")
    );
    assert_eq!(
        assign(&f, PRP, 1, "database"),
        prp.replace("Model\r\n", "Model\r\n  Assigned to: database\r\n")
    );
    let board = "## Active\r\n- [ ] Fix login\r\n";
    let f = fixture("", None, &[("TASK.md".into(), board.into())]);
    assert_eq!(
        assign(&f, "TASK.md", 0, "backend"),
        "## Active\r\n- [ ] Fix login @backend\r\n"
    );
}

#[test]
fn assign_all_writes_every_open_unassigned_task() {
    let prp = "# F\n## Tasks\n### Task 1: Migration\n### Task 2: Schema\n### Task 3: UI\n**Assigned to**: frontend\n### [x] Task 4: Old schema\n";
    let orchestrator = r#"{"agents":{"database":{"max_concurrent":1}}}"#;
    let f = fixture(
        "",
        Some(orchestrator),
        &files(&standard_agents(), &[(PRP, prp)]),
    );
    let (doc, text) = f.doc(PRP);
    let change = assign_all(doc, text, &f.ws, &f.config).unwrap();
    assert_eq!(change.title, "Assign all unassigned tasks (2)");
    // The first assignment fills the database agent; the second goes to the next in line.
    assert_eq!(
        f.apply(PRP, &change),
        prp.replace("Migration\n", "Migration\n**Assigned to**: database\n")
            .replace("Schema\n", "Schema\n**Assigned to**: planning\n")
    );
    let all_assigned = "# F\n### Task 1: A\n**Assigned to**: x\n";
    let f = fixture("", None, &[(PRP.into(), all_assigned.into())]);
    let (doc, text) = f.doc(PRP);
    assert!(assign_all(doc, text, &f.ws, &f.config).is_none());
}

#[test]
fn reassignment_offers_the_others_and_prefers_nothing() {
    let prp = "# F\n## Tasks\n### Task 1: Migration\n### Task 2: Migration again\n**Assigned to**: database\n";
    let f = fixture("", None, &files(&standard_agents(), &[(PRP, prp)]));
    let (doc, text) = f.doc(PRP);
    let fresh = assign_changes(doc, text, 0, &f.ws, &f.config);
    assert_eq!(fresh[0].title, "Assign to database — keyword `migration`");
    assert!(fresh[0].preferred && !fresh[1].preferred);
    let again = assign_changes(doc, text, 1, &f.ws, &f.config);
    assert!(again
        .iter()
        .all(|c| !c.preferred && !c.title.contains("database")));
    assert_eq!(again[0].title, "Assign to planning — generalist agent");
}

#[test]
fn explain_names_the_signal_or_the_better_pick() {
    let prp = "# F\n## Tasks\n### Task 1: Migration\n**Assigned to**: database\n### Task 2: Migration UI\n**Assigned to**: planning\n### Task 3: Other\n**Assigned to**: frontend\n### Task 4: None\n";
    let f = fixture("", None, &files(&standard_agents(), &[(PRP, prp)]));
    let (doc, text) = f.doc(PRP);
    let explain = |task| explain(doc, text, task, &f.ws, &f.config);
    assert_eq!(
        explain(0).unwrap(),
        "Routing picks `database`: keyword `migration`."
    );
    assert_eq!(
        explain(1).unwrap(),
        "Routing matches `planning` by generalist agent, but would pick `database` (keyword `migration`)."
    );
    assert_eq!(
        explain(2).unwrap(),
        "No routing signal points to `frontend`; routing would pick `planning` (generalist agent)."
    );
    assert!(explain(3).is_none());
}
