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
        config.set_orchestrator(Some(OrchestratorConfig::from_json(json).unwrap()));
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
    f.ws.set_root_name(Some("band-platform".into()));
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
    // The generalist stays next in line, for when the default agent cannot take work.
    assert_eq!(
        f.ranked(PRP, 0),
        [
            pair("backend", "default agent"),
            pair("planning", "generalist agent")
        ]
    );
    let orchestrator = r#"{"task_routing":{"default_agent":"frontend"}}"#;
    let f = fixture(
        "",
        Some(orchestrator),
        &files(&standard_agents(), &[(PRP, prp)]),
    );
    assert_eq!(f.ranked(PRP, 0)[0], pair("frontend", "default agent"));
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
fn an_agent_at_capacity_is_passed_over_and_the_next_says_why() {
    let prp = "# F\n## Tasks\n### Task 1: Invoice endpoint\nAn API for invoices.\n";
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
    let route = route(doc, text, 0, &f.ws, &f.config);
    // Done items and archived PRPs do not count toward the load.
    assert_eq!(
        route.skipped,
        [Skipped {
            agent: "backend".into(),
            reason: "keyword `api`".into(),
            unfit: "backend is at capacity (2/2 open tasks)".into(),
        }]
    );
    let best = route.best().unwrap();
    assert_eq!(
        (best.agent.as_str(), best.title_reason().as_str()),
        (
            "planning",
            "backend is at capacity (2/2 open tasks); generalist agent"
        )
    );
}

fn assign(f: &Fixture, path: &str, task: usize, agent: &str) -> String {
    let (doc, text) = f.doc(path);
    let candidate = Candidate {
        agent: agent.into(),
        reason: "keyword `x`".into(),
        passed_over: Vec::new(),
        open_tasks: 0,
        capacity: None,
    };
    let change = assign_change(doc, text, task, &candidate);
    let verb = if doc.tasks[task].assignee.is_some() {
        "Reassign"
    } else {
        "Assign"
    };
    assert_eq!(change.title, format!("{verb} to {agent} — keyword `x`"));
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
    assert_eq!(again[0].title, "Reassign to planning — generalist agent");
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

// --- the orchestrator's order ------------------------------------------------------------

fn with_status(mut f: Fixture, reports: &[&str]) -> Fixture {
    let statuses = reports
        .iter()
        .flat_map(|json| crate::status::parse_status("status.json", json).unwrap())
        .collect();
    f.ws.set_status(crate::status::StatusSnapshot {
        statuses,
        now: 1_800_000_000,
        ..Default::default()
    });
    f
}

#[test]
fn the_seed_order_frontend_then_backend_then_database_then_integration() {
    // Each word once, in the title: only the seed's order decides (it used to go to
    // backend, the alphabetical first of three equal keyword matches).
    let prp = "# F\n## Tasks\n### Task 1: Frontend and backend changes for the database sync\n### Task 2: Backend changes for the database sync\n### Task 3: Store Google Calendar events in the database\n### Task 4: Google Calendar webhook with tests\n";
    let f = fixture("", None, &files(&standard_agents(), &[(PRP, prp)]));
    assert_eq!(
        f.ranked(PRP, 0)[..3],
        [
            pair("frontend", "module `frontend`"),
            pair("backend", "module `backend`"),
            pair("database", "keyword `database`"),
        ]
    );
    assert_eq!(f.best(PRP, 1), pair("backend", "module `backend`"));
    assert_eq!(
        f.ranked(PRP, 2)[..2],
        [
            pair("database", "keyword `database`"),
            pair("integration", "keyword `google`"),
        ]
    );
    // Google and integrations come before the other keywords (tests).
    let agents = files(&standard_agents(), &[]);
    let mut with_qa = agents.clone();
    with_qa.push(agent("qa", &[]));
    let f = fixture("", None, &files(&with_qa, &[(PRP, prp)]));
    assert_eq!(
        f.ranked(PRP, 3)[..2],
        [
            pair("integration", "keyword `google`"),
            pair("qa", "keyword `test`"),
        ]
    );
}

#[test]
fn a_module_routing_modules_maps_comes_before_the_seed_order() {
    let prp = "# F\n## Tasks\n### Task 1: Frontend changes for the calendar sync\n";
    let f = fixture(
        "[routing.modules]\nsync = \"integration\"\n",
        None,
        &files(&standard_agents(), &[(PRP, prp)]),
    );
    assert_eq!(
        f.ranked(PRP, 0)[..2],
        [
            pair("integration", "module `sync`"),
            pair("frontend", "module `frontend`"),
        ]
    );
}

#[test]
fn paths_are_scope_signals_not_module_or_keyword_words() {
    // `backend/app/api/…` names neither the backend module nor the `api` keyword.
    let prp = "# F\n## Tasks\n### Task 1: Invoice table\n- CREATE backend/db/invoices.py\n- see `frontend/src/App.tsx` for the call\n";
    let f = fixture("", None, &files(&standard_agents(), &[(PRP, prp)]));
    assert_eq!(
        f.best(PRP, 0),
        pair(
            "database",
            "owns `backend/db/` (scope) which holds backend/db/invoices.py"
        )
    );
    assert_eq!(
        super::signals::routing_words("Set up CI/CD for backend/app/main.py"),
        format!(
            "set up ci/cd for {}",
            " ".repeat("backend/app/main.py".len())
        )
    );
}

#[test]
fn ties_are_broken_by_load_never_by_name() {
    let prp = "# F\n## Tasks\n### Task 1: Write docs and tests\n";
    let mut agents = files(&standard_agents(), &[]);
    agents.push(agent("documentation", &[]));
    agents.push(agent("qa", &[]));
    let busy_docs = "## Active\n- [ ] A @documentation\n- [ ] B @documentation\n";
    let f = fixture(
        "",
        None,
        &files(&agents, &[(PRP, prp), ("TASK.md", busy_docs)]),
    );
    let first_two: Vec<String> = f.ranked(PRP, 0).into_iter().map(|p| p.0).take(2).collect();
    assert_eq!(first_two, ["qa", "documentation"]);
    let busy_qa = "## Active\n- [ ] A @qa\n";
    let f = fixture(
        "",
        None,
        &files(&agents, &[(PRP, prp), ("TASK.md", busy_qa)]),
    );
    let first_two: Vec<String> = f.ranked(PRP, 0).into_iter().map(|p| p.0).take(2).collect();
    assert_eq!(first_two, ["documentation", "qa"]);
}

#[test]
fn each_unhealthy_agent_is_passed_over_with_the_reason() {
    let prp = "# F\n## Tasks\n### Task 1: Frontend page\n### Task 2: Backend route\n### Task 3: Database migration\n### Task 4: Google import\n### Task 5: Frontend tweak for the backend\n";
    let f = with_status(
        fixture("", None, &files(&standard_agents(), &[(PRP, prp)])),
        &[
            r#"{"id": "frontend", "state": "stuck"}"#,
            r#"{"id": "backend", "state": "offline"}"#,
            r#"{"id": "database", "state": "failed"}"#,
            r#"{"id": "integration", "state": "busy", "error_rate": 0.12}"#,
        ],
    );
    let (doc, text) = f.doc(PRP);
    let reasons: Vec<(String, String)> = (0..4)
        .map(|task| {
            let route = route(doc, text, task, &f.ws, &f.config);
            let best = route.best().expect("the generalist");
            (best.agent.clone(), best.title_reason())
        })
        .collect();
    assert_eq!(
        reasons,
        [
            pair("planning", "frontend is stuck; generalist agent"),
            pair("planning", "backend is offline; generalist agent"),
            pair("planning", "database has failed; generalist agent"),
            pair(
                "planning",
                "integration's error rate is 12%, above the 10% error threshold; generalist agent"
            ),
        ]
    );
    // Every agent passed over before the pick is named, in routing's order.
    let route = route(doc, text, 4, &f.ws, &f.config);
    assert_eq!(
        route.best().unwrap().passed_over,
        ["frontend is stuck", "backend is offline"]
    );
}

#[test]
fn a_warning_level_error_rate_and_a_busy_agent_still_take_work() {
    let prp = "# F\n## Tasks\n### Task 1: Google import\n### Task 2: Frontend page\n";
    let f = with_status(
        fixture("", None, &files(&standard_agents(), &[(PRP, prp)])),
        &[
            r#"{"id": "integration", "state": "busy", "error_rate": 0.07}"#,
            // Busy on one task for 5 hours: stuck by the threshold (4 h), not by its word.
            r#"{"id": "frontend", "state": "busy", "task_started_at": "2027-01-15T03:00:00Z"}"#,
        ],
    );
    assert_eq!(f.best(PRP, 0), pair("integration", "keyword `google`"));
    let (doc, text) = f.doc(PRP);
    let route = route(doc, text, 1, &f.ws, &f.config);
    assert_eq!(route.skipped[0].unfit, "frontend is stuck");
}

#[test]
fn nothing_routes_or_nobody_can_take_it() {
    let prp = "# F\n## Tasks\n### Task 1: Think it over\n### Task 2: Frontend page\n";
    let agents = vec![agent("frontend", &["web/"]), agent("backend", &["api/"])];
    let f = with_status(
        fixture("", None, &files(&agents, &[(PRP, prp)])),
        &[r#"{"id": "frontend", "state": "stuck"}"#],
    );
    let (doc, text) = f.doc(PRP);
    let nothing = route(doc, text, 0, &f.ws, &f.config);
    assert_eq!(
        nothing.unroutable().unwrap(),
        "nothing routes it (no routing rule, module, keyword or scope points to an agent) and there is no default or generalist agent"
    );
    let blocked = route(doc, text, 1, &f.ws, &f.config);
    assert_eq!(
        blocked.unroutable().unwrap(),
        "frontend is stuck (module `frontend`)"
    );
    // The rule, on each task, with what to do.
    let found = crate::check(doc, text, &f.ws, &f.config);
    let unroutable: Vec<(usize, &str)> = found
        .iter()
        .filter(|d| d.rule == crate::Rule::TaskUnroutable)
        .map(|d| (d.span.start, d.message.as_str()))
        .collect();
    assert_eq!(
        unroutable,
        [
            (doc.tasks[0].span.start, "no agent can take this task: nothing routes it (no routing rule, module, keyword or scope points to an agent) and there is no default or generalist agent; assign it by hand, or set `[routing] default-agent` in prp-lsp.toml"),
            (doc.tasks[1].span.start, "no agent can take this task: frontend is stuck (module `frontend`); assign it by hand, or once one of them is available again"),
        ]
    );
    // A default agent places both.
    let f = with_status(
        fixture(
            "[routing]\ndefault-agent = \"backend\"\n",
            None,
            &files(&agents, &[(PRP, prp)]),
        ),
        &[r#"{"id": "frontend", "state": "stuck"}"#],
    );
    let (doc, text) = f.doc(PRP);
    assert!(!crate::check(doc, text, &f.ws, &f.config)
        .iter()
        .any(|d| d.rule == crate::Rule::TaskUnroutable));
}

#[test]
fn unroutable_is_only_about_open_unassigned_live_work() {
    let board = "## Active\n- [ ] Think it over\n- [ ] Ponder @backend\n- [x] Mull it over\n- [ ] ~~Dropped idea~~\n## Task Format\n- [ ] An example item\n";
    let archived = "# Old\n### Task 1: Think\n";
    let done = "# F\n### Task 1: Think\n- [x] thought\n- [x] wrote it down\n";
    let agents = vec![agent("backend", &["api/"])];
    let f = fixture(
        "",
        None,
        &files(
            &agents,
            &[
                ("TASK.md", board),
                ("PRPs/archive/01_old.md", archived),
                (PRP, done),
            ],
        ),
    );
    let lines = |path: &str| -> Vec<u32> {
        let (doc, text) = f.doc(path);
        crate::check(doc, text, &f.ws, &f.config)
            .iter()
            .filter(|d| d.rule == crate::Rule::TaskUnroutable)
            .map(|d| crate::text::LineIndex::new(text).line_of(d.span.start) as u32)
            .collect()
    };
    assert_eq!(lines("TASK.md"), [1]);
    assert!(lines("PRPs/archive/01_old.md").is_empty());
    assert!(lines(PRP).is_empty());
    // Without agent definitions, there is no one to route to and nothing to report.
    let f = fixture("", None, &[("TASK.md".into(), board.into())]);
    let (doc, text) = f.doc("TASK.md");
    assert!(!crate::check(doc, text, &f.ws, &f.config)
        .iter()
        .any(|d| d.rule == crate::Rule::TaskUnroutable));
}

// --- assigning: what changes and only that ------------------------------------------------

#[test]
fn assign_all_leaves_finished_prps_and_settled_tasks_alone_and_lists_the_unplaced() {
    let archived = "# Old\n## Tasks\n### Task 1: Migration\n```\nTask 2:\nCREATE db/x.sql\n```\n";
    let prp = "# F\n## Tasks\n### Task 1: Migration\n- [x] written\n- [x] applied\n### Task 2: Schema\n- [x] written\n- [ ] applied\n### [x] Task 3: Old schema\n### Task 4: Think it over\n";
    let agents = vec![agent("database", &[]), agent("frontend", &[])];
    let f = fixture(
        "",
        None,
        &files(&agents, &[("PRPs/archive/02_old.md", archived), (PRP, prp)]),
    );
    let (doc, text) = f.doc("PRPs/archive/02_old.md");
    let planned = plan_all(doc, text, &f.ws, &f.config);
    assert!(planned.change.is_none() && planned.unplaced.is_empty());
    let (doc, text) = f.doc(PRP);
    let planned = plan_all(doc, text, &f.ws, &f.config);
    let change = planned.change.unwrap();
    assert_eq!(change.title, "Assign all unassigned tasks (1)");
    assert_eq!(
        f.apply(PRP, &change),
        prp.replace("Schema\n", "Schema\n**Assigned to**: database\n")
    );
    assert_eq!(
        planned.unplaced,
        [Unplaced {
            task: 3,
            line: 9,
            title: "Think it over".into(),
            reason: "nothing routes it (no routing rule, module, keyword or scope points to an agent) and there is no default or generalist agent".into(),
        }]
    );
    // Before: the archived PRP got `Assigned to:` lines, and so did the ticked task.
    assert!(settled(doc, &doc.tasks[0]) && !settled(doc, &doc.tasks[1]));
}

#[test]
fn the_current_agent_is_never_offered_and_a_stuck_one_is_reassigned() {
    let prp = "# F\n## Tasks\n\n### Task 1: Widget grid\n\n**Assigned to**: frontend\n\n- Save the order through the endpoint.\n\n### Task 2: Widget list\n\n**Assigned to**: frontend\n";
    let f = fixture("", None, &files(&standard_agents(), &[(PRP, prp)]));
    let (doc, text) = f.doc(PRP);
    // Healthy: other agents, none preferred.
    let offered = assign_changes(doc, text, 0, &f.ws, &f.config);
    assert!(offered
        .iter()
        .all(|c| !c.title.contains("to frontend") && !c.preferred));
    let f = with_status(f, &[r#"{"id": "frontend", "state": "stuck"}"#]);
    let (doc, text) = f.doc(PRP);
    let offered = assign_changes(doc, text, 0, &f.ws, &f.config);
    assert_eq!(
        offered[0].title,
        "Reassign to backend — frontend is stuck; keyword `endpoint`"
    );
    assert!(offered[0].preferred);
    // The quick fix of the agent-stuck finding on the assignment: the same, preferred.
    let span = doc.tasks[0].assignee.as_ref().unwrap().span.clone();
    let fix = reassign_change(doc, text, &span, &f.ws, &f.config).unwrap();
    assert_eq!(
        (fix.title.as_str(), fix.preferred, fix.kind),
        (
            "Reassign to backend — frontend is stuck; keyword `endpoint`",
            true,
            ChangeKind::QuickFix
        )
    );
    // Only the agent's name changes: no line moves.
    match fix.changes.as_slice() {
        [FileChange::Edit { edits, .. }] => {
            assert_eq!(edits.len(), 1);
            assert_eq!(edits[0].span, span);
            assert_eq!(edits[0].new_text, "backend");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        f.apply(PRP, &fix),
        prp.replacen("**Assigned to**: frontend", "**Assigned to**: backend", 1)
    );
    // A task routing has no other agent for: the reason still names the stuck agent.
    let offered = assign_changes(doc, text, 1, &f.ws, &f.config);
    assert_eq!(
        offered[0].title,
        "Reassign to planning — frontend is stuck; generalist agent"
    );
}

#[test]
fn reassigning_changes_only_the_name_in_every_style() {
    let board = "## Active\n\n- [ ] Fix login @frontend (added 2026-01-02)\n\n- [ ] Docs\n\n  - Assigned to: **frontend_agent** (UI)\n\n";
    let prp = "# F\n```\n  Task 1: Model\n\n    Assigned to: `frontend`\n\n```\n### Task 2: UI\n\n**Assigned to**: frontend\n\n";
    let f = with_status(
        fixture(
            "",
            None,
            &files(&standard_agents(), &[("TASK.md", board), (PRP, prp)]),
        ),
        &[r#"{"id": "frontend", "state": "offline"}"#],
    );
    let fixed = |path: &str, task: usize| {
        let (doc, text) = f.doc(path);
        let change = assign_changes(doc, text, task, &f.ws, &f.config)
            .into_iter()
            .next()
            .unwrap();
        assert!(change
            .title
            .starts_with("Reassign to planning — frontend is offline"));
        f.apply(path, &change)
    };
    assert_eq!(fixed("TASK.md", 0), board.replace("@frontend", "@planning"));
    assert_eq!(
        fixed("TASK.md", 1),
        board.replace("**frontend_agent**", "**planning**")
    );
    assert_eq!(fixed(PRP, 0), prp.replace("`frontend`", "`planning`"));
    assert_eq!(fixed(PRP, 1), prp.replace("**: frontend", "**: planning"));
}

#[test]
fn generation_routes_text_and_modules_the_same_way() {
    let f = fixture(
        "[routing.modules]\nsync = \"integration\"\n",
        None,
        &files(&standard_agents(), &[]),
    );
    let text = "Frontend and backend changes for the database sync\nKeep both sides in step.";
    assert_eq!(
        route_text(text, &[], &f.ws, &f.config)
            .best()
            .unwrap()
            .agent,
        "integration"
    );
    let f2 = fixture("", None, &files(&standard_agents(), &[]));
    assert_eq!(
        route_text(text, &[], &f2.ws, &f2.config)
            .best()
            .unwrap()
            .agent,
        "frontend"
    );
    // The requirement's only module decides when the text names none.
    assert_eq!(
        route_text(
            "Polish the invoices",
            &["backend".into()],
            &f2.ws,
            &f2.config
        )
        .best()
        .unwrap()
        .reason,
        "module `backend`"
    );
    let best = |module: &str, f: &Fixture| {
        let route = route_module(module, &f.ws, &f.config);
        route.best().map(|c| (c.agent.clone(), c.reason.clone()))
    };
    assert_eq!(best("sync", &f), Some(pair("integration", "module `sync`")));
    assert_eq!(
        best("frontend", &f),
        Some(pair("frontend", "module `frontend`"))
    );
    assert_eq!(
        best("database", &f),
        Some(pair("database", "keyword `database`"))
    );
    assert_eq!(
        best("payments", &f),
        Some(pair("planning", "generalist agent"))
    );
    // Health counts for generation too.
    let f = with_status(f2, &[r#"{"id": "frontend", "state": "stuck"}"#]);
    let route = route_module("frontend", &f.ws, &f.config);
    assert_eq!(route.skipped[0].unfit, "frontend is stuck");
    assert_eq!(route.best().unwrap().agent, "planning");
}

// --- routing results kept between checks ---------------------------------------------------

/// `task-unroutable`'s findings in `path`: (task index, message).
fn unroutable_tasks(
    ws: &Workspace,
    config: &Config,
    path: &str,
    text: &str,
) -> Vec<(usize, String)> {
    let doc = parse(path, text, config);
    let found = crate::check(&doc, text, ws, config);
    found
        .iter()
        .filter(|d| d.rule == crate::Rule::TaskUnroutable)
        .map(|d| {
            let task = doc.tasks.iter().position(|t| t.span.start == d.span.start);
            (task.expect("on a task"), d.message.clone())
        })
        .collect()
}

fn indexes(found: &[(usize, String)]) -> Vec<usize> {
    found.iter().map(|(i, _)| *i).collect()
}

#[test]
fn kept_routing_results_follow_every_change_routing_reads() {
    let prp = "# F\n## Tasks\n### Task 1: Think it over\n### Task 2: Styles of the readme\n- MODIFY src/App.tsx\n### Task 3: Frontend page\n";
    let agents = vec![
        agent("frontend", &["/band-platform/web/"]),
        agent("backend", &["/band-platform/api/"]),
    ];
    let orchestrator = r#"{"agents":{"frontend":{"max_concurrent":1}}}"#;
    // TASK.md and the docs agent's file exist from the start: their steps below change
    // documents, not the set of files (which drops kept results on its own).
    let board = ("TASK.md", "## Active\n");
    let (docs_path, docs_agent) = agent("docs", &[]);
    let f = fixture(
        "",
        Some(orchestrator),
        &files(&agents, &[(PRP, prp), board]),
    );
    let mut config = f.config;
    // Two workspaces changed alike: one keeps routing results, one never does.
    let mut plain = f.ws;
    plain.add_file(&docs_path);
    plain.set_root_name(Some("band-platform".into()));
    let mut kept = plain.clone();
    kept.remember_routes();
    let update = |ws: &mut Workspace, config: &Config, path: &str, text: &str| {
        ws.add_file(path);
        ws.update_document(path, DocFacts::of(&parse(path, text, config)));
    };
    type Change = Box<dyn Fn(&mut Workspace, &mut Config)>;
    let steps: Vec<(&str, Change, Vec<usize>)> = vec![
        ("as loaded", Box::new(|_, _| {}), vec![0, 1]),
        (
            "the file the task names appears in frontend's scope",
            Box::new(|ws, _| ws.add_file("web/src/App.tsx")),
            vec![0],
        ),
        (
            "frontend is stuck",
            Box::new(|ws, _| {
                let statuses = crate::status::parse_status(
                    "s.json",
                    r#"{"id": "frontend", "state": "stuck"}"#,
                )
                .unwrap();
                ws.set_status(crate::status::StatusSnapshot {
                    statuses,
                    now: 1_800_000_000,
                    ..Default::default()
                });
            }),
            vec![0, 1, 2],
        ),
        (
            "no status any more",
            Box::new(|ws, _| ws.clear_status()),
            vec![0],
        ),
        (
            "frontend takes a task on the board: at capacity",
            Box::new(move |ws, config| {
                update(ws, config, "TASK.md", "## Active\n- [ ] One @frontend\n")
            }),
            vec![0, 1, 2],
        ),
        (
            "that task is done",
            Box::new(move |ws, config| {
                update(ws, config, "TASK.md", "## Active\n- [x] One @frontend\n")
            }),
            vec![0],
        ),
        (
            "frontend takes it again",
            Box::new(move |ws, config| {
                update(ws, config, "TASK.md", "## Active\n- [ ] One @frontend\n")
            }),
            vec![0, 1, 2],
        ),
        (
            "the board is no document any more",
            Box::new(|ws, _| {
                ws.remove_document("TASK.md");
            }),
            vec![0],
        ),
        (
            "the file leaves the scope",
            Box::new(|ws, _| ws.remove_file("web/src/App.tsx")),
            vec![0, 1],
        ),
        (
            "a routing rule for thinking",
            Box::new(|ws, config| {
                let toml =
                    "[routing]\nrules = [{ pattern = \"(?i)think\", agent = \"backend\" }]\n";
                let mut next = Config::from_raw(&RawConfig::from_toml(toml).unwrap()).unwrap();
                next.set_orchestrator(config.orchestrator().cloned());
                *config = next;
                ws.set_config_agents(config);
            }),
            vec![1],
        ),
        (
            "an agent for the readme (its file was there)",
            Box::new({
                let (path, text) = (docs_path.clone(), docs_agent.clone());
                move |ws, config| update(ws, config, &path, &text)
            }),
            vec![],
        ),
        (
            "its facts name no agent (a document of another kind)",
            Box::new({
                let (path, text) = (docs_path.clone(), docs_agent.clone());
                move |ws, config| {
                    let mut facts = DocFacts::of(&parse(&path, &text, config));
                    facts.agent = None;
                    ws.update_document(&path, facts);
                }
            }),
            vec![1],
        ),
        (
            "the agent is back",
            Box::new({
                let (path, text) = (docs_path.clone(), docs_agent.clone());
                move |ws, config| update(ws, config, &path, &text)
            }),
            vec![],
        ),
        (
            "its file is no document any more",
            Box::new({
                let path = docs_path.clone();
                move |ws, _| {
                    ws.remove_document(&path);
                }
            }),
            vec![1],
        ),
    ];
    for (what, change, expected) in &steps {
        let mut plain_config = config.clone();
        change(&mut plain, &mut plain_config);
        change(&mut kept, &mut config);
        let fresh = unroutable_tasks(&plain, &plain_config, PRP, prp);
        assert_eq!(indexes(&fresh), *expected, "{what}: without kept results");
        // Twice: the second check reads the results the first one kept.
        for round in 0..2 {
            assert_eq!(
                unroutable_tasks(&kept, &config, PRP, prp),
                fresh,
                "{what}: with kept results (check {round})"
            );
        }
    }
    // An edit to one task's text routes that task again.
    let edited = prp.replace("Task 3: Frontend page", "Task 3: Ponder it over");
    let fresh = unroutable_tasks(&plain, &config, PRP, &edited);
    assert_eq!(indexes(&fresh), [1, 2]);
    assert_eq!(unroutable_tasks(&kept, &config, PRP, &edited), fresh);
    // The PRP's files to change route its tasks that name no file: listing a file in
    // frontend's scope gives the pondering task to frontend.
    let listed = format!("{edited}## Files to Change\n- `web/src/page.tsx`\n");
    let fresh = unroutable_tasks(&plain, &config, PRP, &listed);
    assert_eq!(indexes(&fresh), [1]);
    assert_eq!(unroutable_tasks(&kept, &config, PRP, &listed), fresh);
    assert_eq!(
        unroutable_tasks(&kept, &config, PRP, &edited),
        unroutable_tasks(&plain, &config, PRP, &edited),
        "the list removed again"
    );
    // The PRP's modules affected route every task of it.
    let with_modules = prp.replace("# F\n", "# F\n**Modules Affected**: backend\n");
    let fresh = unroutable_tasks(&plain, &config, PRP, &with_modules);
    assert_eq!(indexes(&fresh), Vec::<usize>::new());
    assert_eq!(unroutable_tasks(&kept, &config, PRP, &with_modules), fresh);
    // Another configuration, checked without telling the workspace: nothing is reused.
    let other = Config::default();
    assert_eq!(
        unroutable_tasks(&kept, &other, PRP, prp),
        unroutable_tasks(&plain, &other, PRP, prp)
    );
    // A copy shares the results until one of them changes what routing reads.
    let snapshot = kept.clone();
    let (path, text) = (docs_path.clone(), docs_agent.clone());
    update(&mut kept, &config, &path, &text);
    update(&mut plain, &config, &path, &text);
    assert_eq!(
        indexes(&unroutable_tasks(&kept, &config, PRP, prp)),
        Vec::<usize>::new()
    );
    assert_eq!(
        indexes(&unroutable_tasks(&snapshot, &config, PRP, prp)),
        [1]
    );
    assert_eq!(
        indexes(&unroutable_tasks(&kept, &config, PRP, prp)),
        Vec::<usize>::new()
    );
    // The workspace folder's name decides how `/name/...` scopes resolve.
    assert_eq!(kept.route_memo().documents(), 1);
    kept.set_root_name(Some("elsewhere".into()));
    assert_eq!(kept.route_memo().documents(), 0);
}

#[test]
fn results_are_kept_for_the_documents_checked_last() {
    let mut memo = super::RouteMemo::default();
    let routes = || super::memo::DocRoutes {
        config: 0,
        affected: Vec::new(),
        listed: Vec::new(),
        tasks: Default::default(),
    };
    memo.keep("off.md", routes());
    assert!(memo.of("off.md").is_none(), "off unless turned on");
    memo = super::RouteMemo::on();
    for i in 0..70 {
        memo.keep(&format!("{i}.md"), routes());
        // The first document is checked again and again (the one being edited).
        memo.keep("0.md", routes());
    }
    assert_eq!(memo.documents(), 64);
    assert!(memo.of("0.md").is_some());
    assert!(memo.of("69.md").is_some());
    assert!(
        memo.of("1.md").is_none(),
        "the least recently checked goes first"
    );
    memo.forget();
    assert_eq!(memo.documents(), 0);
}
