use super::*;
use crate::orchestrator::OrchestratorConfig;
use crate::rules::registry::Rule;
use crate::{parse, DocFacts, RawConfig, Workspace};

const NOW: &str = "2026-11-20T12:00:00Z";

fn at(time: &str) -> i64 {
    time.parse::<jiff::Timestamp>().unwrap().as_second()
}

fn now() -> i64 {
    at(NOW)
}

macro_rules! fixture {
    ($name:literal) => {
        parse_status(
            concat!("agent_contexts/status/", $name),
            include_str!(concat!("../../tests/status/", $name)),
        )
        .unwrap()
    };
}

fn config(toml: &str, orchestrator: Option<&str>) -> Config {
    let mut config = Config::from_raw(&RawConfig::from_toml(toml).unwrap()).unwrap();
    config.set_orchestrator(orchestrator.map(|o| OrchestratorConfig::from_json(o).unwrap()));
    config.orchestrator_path = orchestrator.map(|_| "orchestrator.json".to_string());
    config
}

/// A workspace whose files are parsed and indexed, with a status snapshot at [`NOW`].
fn workspace(files: &[(&str, &str)], statuses: Vec<AgentStatus>, config: &Config) -> Workspace {
    let mut ws = Workspace::new();
    for (path, text) in files {
        ws.add_file(path);
        ws.update_document(path, DocFacts::of(&parse(path, text, config)));
    }
    ws.set_config_agents(config);
    ws.set_status(StatusSnapshot {
        statuses,
        now: now(),
        ..StatusSnapshot::default()
    });
    ws
}

/// A board with `open` open items assigned to `agent`.
fn board(agent: &str, open: usize) -> String {
    let mut text = String::from("# Tasks\n## Active\n");
    for i in 0..open {
        text.push_str(&format!("- [ ] Task {i} @{agent}\n"));
    }
    text
}

fn rules_for(status: AgentStatus, open: usize, orchestrator: Option<&str>) -> Vec<Rule> {
    let config = config("", orchestrator);
    let id = status.id.clone();
    let ws = workspace(&[("TASK.md", &board(&id, open))], vec![status], &config);
    alerts(&id, &ws, &config)
        .into_iter()
        .map(|a| a.rule)
        .collect()
}

fn busy(id: &str) -> AgentStatus {
    AgentStatus {
        id: id.into(),
        state: AgentState::Busy,
        current_task: Some("PRP-01 task 2".into()),
        active_tasks: Some(1),
        last_activity: Some(now()),
        task_started_at: Some(now()),
        reported_at: Some(now()),
        tasks_completed: 10,
        tasks_failed: 0,
        error_rate: Some(0.0),
        avg_response_ms: None,
        health_score: None,
        utilization: None,
        source: "s.json".into(),
    }
}

#[test]
fn status_files_of_each_state() {
    let backend = &fixture!("backend.json")[0];
    assert_eq!(backend.state, AgentState::Busy);
    assert_eq!(backend.current_task.as_deref(), Some("PRP-01 task 2"));
    assert_eq!(backend.task_started_at, Some(at("2026-11-20T06:48:00Z")));
    assert_eq!(backend.reported_at, Some(at("2026-11-20T11:59:30Z")));
    // Derived from the counts when the orchestrator does not write it.
    assert_eq!(backend.error_rate, Some(3.0 / 43.0));
    assert_eq!(backend.source, "agent_contexts/status/backend.json");
    let frontend = &fixture!("frontend.json")[0];
    assert_eq!(frontend.state, AgentState::Idle);
    assert_eq!(frontend.last_activity, Some(at("2026-11-20T06:30:00Z")));
    assert_eq!(frontend.current_task, None);
    assert_eq!(fixture!("database.json")[0].state, AgentState::Stuck);
    assert_eq!(fixture!("database.json")[0].error_rate, Some(0.12));
    let offline = &fixture!("integration.json")[0];
    assert_eq!(
        (offline.state, offline.error_rate),
        (AgentState::Offline, Some(0.0))
    );
    assert_eq!(fixture!("docs.json")[0].state, AgentState::Failed);
    let endpoint = fixture!("monitoring.json");
    assert_eq!(endpoint.len(), 2);
    assert_eq!(endpoint[1].id, "devops");
    // Nothing finished yet: no rate rather than 0%.
    let fresh = parse_status("x", r#"{"id":"new","state":"IDLE"}"#).unwrap();
    assert_eq!(
        (fresh[0].state, fresh[0].error_rate),
        (AgentState::Idle, None)
    );
}

#[test]
fn malformed_status_files_name_the_field() {
    let err = |text: &str| parse_status("x.json", text).unwrap_err();
    assert!(err("{\"id\": \"a\",").starts_with("not valid JSON"));
    let e = err(r#"{"id":"a","state":"idle","last_activity":"yesterday"}"#);
    assert!(
        e.starts_with("`last_activity`: not an RFC 3339 time: `yesterday`"),
        "{e}"
    );
    // No offset: refused rather than guessed.
    let e = err(r#"{"id":"a","state":"idle","task_started_at":"2026-11-20T10:00:00"}"#);
    assert!(
        e.starts_with("`task_started_at`: not an RFC 3339 time"),
        "{e}"
    );
    let e = err(r#"{"id":"a","state":"idle","last_activity":1763640000}"#);
    assert!(
        e.contains("`last_activity`: expected an RFC 3339 time") && e.contains("number"),
        "{e}"
    );
    let e = err(r#"{"id":"a","state":"idle","tasks_completed":"five"}"#);
    assert_eq!(
        e,
        "`tasks_completed`: expected a whole number of at least 0, found the string \"five\""
    );
    let e = err(r#"{"id":"a","state":"sleeping"}"#);
    assert!(e.contains("`state`") && e.contains("sleeping"), "{e}");
    let e = err(r#"{"id":"a","state":"busy","error_rate":5}"#);
    assert!(e.starts_with("`error_rate`: expected a fraction"), "{e}");
    let e = err(r#"{"id":"a","state":"busy","health_score":140}"#);
    assert!(e.starts_with("`health_score`"), "{e}");
    assert!(err(r#"{"state":"busy"}"#).starts_with("`id`: missing"));
    assert!(err(r#"{"id":"a"}"#).starts_with("`state`: missing"));
    assert!(err("42").contains("found the number 42"));
    let e = err(r#"[{"id":"a","state":"idle"},{"id":"b","state":"busy","active_tasks":-1}]"#);
    assert!(e.starts_with("entry 2 (`b`): `active_tasks`"), "{e}");
    assert!(err(r#"[{"id":"a","state":"idle"}, 3]"#).starts_with("entry 2: expected an object"));
}

#[test]
fn threshold_precedence() {
    let defaults = config("", None).status_settings().clone();
    assert_eq!(defaults.thresholds, DEFAULT_THRESHOLDS);
    assert_eq!(defaults.files, "agent_contexts/status/*.json");
    assert_eq!((defaults.poll_interval, defaults.timeout), (30, 5));
    let orchestrator = r#"{"agents":{"backend":{"timeout":1800},"frontend":{}},
        "monitoring":{"thresholds":{"error_rate_alert":3,"stuck_threshold":7200,"idle_threshold":600}}}"#;
    let from_orchestrator = config("", Some(orchestrator)).status_settings().clone();
    let t = from_orchestrator.thresholds;
    assert_eq!(
        (t.error_rate_warning, t.stuck_after, t.idle_after),
        (0.03, 7200, 600)
    );
    assert_eq!(t.error_rate_error, 0.10);
    // An agent's own timeout is its stuck threshold, unless prp-lsp.toml decides.
    assert_eq!(from_orchestrator.stuck_after("backend"), 1800);
    assert_eq!(from_orchestrator.stuck_after("frontend"), 7200);
    let toml = "[status]\nstuck-after = 3600\nerror-rate-warning = 0.04\nurl = \"http://127.0.0.1:9000/agents\"\npoll-interval = 10\n";
    let both = config(toml, Some(orchestrator)).status_settings().clone();
    assert_eq!(
        (
            both.thresholds.error_rate_warning,
            both.thresholds.stuck_after
        ),
        (0.04, 3600)
    );
    assert_eq!(both.thresholds.idle_after, 600);
    assert_eq!(both.stuck_after("backend"), 3600);
    assert_eq!(both.url.as_deref(), Some("http://127.0.0.1:9000/agents"));
    assert_eq!(both.poll_interval, 10);
    // Editor settings layered over the file replace single values.
    let overlay = RawConfig::from_json(serde_json::json!({"status": {"idle-after": 60}})).unwrap();
    let merged = RawConfig::from_toml(toml).unwrap().merge(overlay);
    assert_eq!(merged.status.idle_after, Some(60));
    assert_eq!(merged.status.stuck_after, Some(3600));
}

#[test]
fn conflicting_thresholds_are_reported_on_prp_lsp_toml() {
    let orchestrator = r#"{"monitoring":{"stuck_after":14400,"error_rate_warning":0.05},
        "quality_gates":{"code_coverage_threshold":90}}"#;
    assert!(config_conflicts(&config("", Some(orchestrator))).is_empty());
    let same = "[status]\nstuck-after = 14400\nerror-rate-warning = 0.05\n[gates]\ncoverage-threshold = 0.9\n";
    assert!(config_conflicts(&config(same, Some(orchestrator))).is_empty());
    let differ = "[status]\nstuck-after = 7200\n[gates]\ncoverage-threshold = 80\n";
    let found = config_conflicts(&config(differ, Some(orchestrator)));
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].0, "prp-lsp.toml");
    assert_eq!(found[0].1, "[status] stuck-after is 2 h in prp-lsp.toml but `monitoring.stuck_after` is 4 h in orchestrator.json; prp-lsp.toml's value is used. Make them agree so the editor and the orchestrator judge alike");
    assert!(found[1].1.starts_with("[gates] coverage-threshold is 80% in prp-lsp.toml but `quality_gates.code_coverage_threshold` is 90% in orchestrator.json"), "{}", found[1].1);
    // Without an orchestrator configuration there is nothing to disagree with.
    assert!(config_conflicts(&config(differ, None)).is_empty());
}

#[test]
fn invalid_status_settings() {
    let bad = |toml: &str| {
        Config::from_raw(&RawConfig::from_toml(toml).unwrap())
            .unwrap_err()
            .message
    };
    assert!(bad("[status]\nfiles = \"../status/*.json\"\n").contains("inside the workspace"));
    assert!(bad("[status]\nfiles = \"/var/status/*.json\"\n").contains("inside the workspace"));
    assert!(bad("[status]\nfiles = \"status/[.json\"\n").contains("not a valid glob"));
    assert!(bad("[status]\nurl = \"ftp://x\"\n").contains("http://"));
    assert!(bad("[status]\npoll-interval = 0\n").contains("poll-interval"));
    assert!(bad("[status]\nerror-rate-error = 10.0\n").contains("0.05 for 5%"));
    assert!(
        bad("[status]\nerror-rate-warning = 0.2\nerror-rate-error = 0.1\n")
            .contains("must not exceed")
    );
    assert!(RawConfig::from_toml("[status]\nstuck = 1\n").is_err());
}

#[test]
fn stuck_at_the_boundary() {
    let limit = DEFAULT_THRESHOLDS.stuck_after;
    let mut s = busy("backend");
    s.task_started_at = Some(now() - limit);
    assert!(rules_for(s.clone(), 1, None).is_empty());
    s.task_started_at = Some(now() - limit - 1);
    assert_eq!(rules_for(s.clone(), 1, None), [Rule::AgentStuck]);
    // The agent's own timeout from the orchestrator configuration.
    s.task_started_at = Some(now() - 1801);
    let timeout = r#"{"agents":{"backend":{"timeout":1800}}}"#;
    assert_eq!(rules_for(s.clone(), 1, Some(timeout)), [Rule::AgentStuck]);
    s.state = AgentState::Stuck;
    s.task_started_at = None;
    assert_eq!(rules_for(s, 1, None), [Rule::AgentStuck]);
}

#[test]
fn error_rate_bands() {
    let mut s = busy("backend");
    let found = |s: &AgentStatus| {
        let config = config("", None);
        let ws = workspace(&[], vec![s.clone()], &config);
        alerts("backend", &ws, &config)
            .into_iter()
            .map(|a| (a.message, a.severity))
            .collect::<Vec<_>>()
    };
    s.error_rate = Some(0.0499);
    assert!(found(&s).is_empty());
    s.error_rate = Some(0.05);
    assert_eq!(found(&s), [("agent `backend` has an error rate of 5% (0 of 10 tasks failed), at the 5% warning threshold".to_string(), None)]);
    // 9.99% is not shown as "10%" next to a 10% threshold it stays under.
    s.error_rate = Some(0.0999);
    let [(message, severity)] = &found(&s)[..] else {
        panic!()
    };
    assert!(
        message.contains("error rate of 9.99%")
            && message.ends_with("above the 5% warning threshold"),
        "{message}"
    );
    assert_eq!(*severity, None);
    // At 10% a warning still; above it, an error.
    s.error_rate = Some(0.10);
    assert_eq!(found(&s)[0].1, None);
    s.error_rate = Some(0.12);
    let [(message, severity)] = &found(&s)[..] else {
        panic!()
    };
    assert!(message.ends_with(
        "of 12% (0 of 10 tasks failed), above the 10% error threshold: investigate before assigning it more work"
    ), "{message}");
    assert_eq!(*severity, Some(crate::Severity::Error));
}

#[test]
fn slow_agents_are_flagged_where_assigned() {
    let mut s = busy("backend");
    s.avg_response_ms = Some(5_000.0);
    assert!(!rules_for(s.clone(), 1, None).contains(&Rule::AgentSlow));
    s.avg_response_ms = Some(7_240.0);
    assert!(rules_for(s.clone(), 1, None).contains(&Rule::AgentSlow));
    let config = config("", None);
    let ws = workspace(&[], vec![s], &config);
    let slow: Vec<String> = alerts("backend", &ws, &config)
        .into_iter()
        .filter(|a| a.rule == Rule::AgentSlow)
        .map(|a| a.message)
        .collect();
    assert_eq!(slow, ["agent `backend` takes 7.2 s on average to respond (slower than 5 s); expect its tasks to take longer"]);
}

#[test]
fn durations_next_to_their_threshold_stay_true() {
    let limit = DEFAULT_THRESHOLDS.stuck_after;
    let mut s = busy("backend");
    s.task_started_at = Some(now() - limit - 1);
    let config = config("", None);
    let ws = workspace(&[], vec![s], &config);
    let stuck: Vec<String> = alerts("backend", &ws, &config)
        .into_iter()
        .filter(|a| a.rule == Rule::AgentStuck)
        .map(|a| a.message)
        .collect();
    assert!(
        stuck[0].contains("for 4 h 0 min 1 s (more than 4 h)"),
        "{}",
        stuck[0]
    );
}

#[test]
fn idle_only_with_open_tasks() {
    let limit = DEFAULT_THRESHOLDS.idle_after;
    let mut s = busy("frontend");
    s.state = AgentState::Idle;
    s.current_task = None;
    s.last_activity = Some(now() - limit);
    assert!(rules_for(s.clone(), 2, None).is_empty());
    s.last_activity = Some(now() - limit - 1);
    assert_eq!(rules_for(s.clone(), 2, None), [Rule::AgentIdle]);
    assert!(rules_for(s, 0, None).is_empty());
}

#[test]
fn offline_and_failed() {
    let mut s = busy("integration");
    s.state = AgentState::Offline;
    // Old report, but an offline agent is not "stale" on top.
    s.reported_at = Some(now() - 86_400);
    s.last_activity = s.reported_at;
    assert_eq!(rules_for(s.clone(), 1, None), [Rule::AgentOffline]);
    s.state = AgentState::Failed;
    assert_eq!(rules_for(s.clone(), 0, None), [Rule::AgentOffline]);
    s.state = AgentState::Idle;
    assert_eq!(rules_for(s, 0, None), [Rule::AgentStatusStale]);
}

#[test]
fn overloaded_beyond_max_concurrent() {
    let orchestrator = r#"{"agents":{"backend":{"max_concurrent":2}}}"#;
    assert!(rules_for(busy("backend"), 2, Some(orchestrator)).is_empty());
    assert_eq!(
        rules_for(busy("backend"), 3, Some(orchestrator)),
        [Rule::AgentOverloaded]
    );
    // Without an orchestrator limit there is no overload.
    assert!(rules_for(busy("backend"), 9, None).is_empty());
}

#[test]
fn stale_reports() {
    let limit = DEFAULT_THRESHOLDS.stale_after;
    let mut s = busy("qa");
    s.reported_at = Some(now() - limit);
    s.last_activity = Some(now() - 2 * limit);
    assert!(rules_for(s.clone(), 0, None).is_empty());
    s.reported_at = Some(now() - limit - 1);
    assert_eq!(rules_for(s.clone(), 0, None), [Rule::AgentStatusStale]);
    // Without `reported_at` the last activity dates the report.
    s.reported_at = None;
    assert_eq!(rules_for(s, 0, None), [Rule::AgentStatusStale]);
}

#[test]
fn no_snapshot_no_alerts() {
    let config = config("", Some(r#"{"agents":{"backend":{"max_concurrent":0}}}"#));
    let mut ws = Workspace::new();
    let text = board("backend", 2);
    ws.update_document("TASK.md", DocFacts::of(&parse("TASK.md", &text, &config)));
    assert!(alerts("backend", &ws, &config).is_empty());
    assert!(describe("backend", &ws, &config).is_none());
    let doc = parse("TASK.md", &text, &config);
    assert!(crate::check(&doc, &text, &ws, &config).is_empty());
    // The table still lists the agent, with its workload.
    let rows = agent_rows(&ws, &config);
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].open_tasks, rows[0].state), (2, None));
}

#[test]
fn relative_times() {
    assert_eq!(relative(0), "just now");
    assert_eq!(relative(59), "just now");
    assert_eq!(relative(-30), "just now");
    assert_eq!(relative(60), "1 min ago");
    assert_eq!(relative(3 * 3600 + 12 * 60 + 5), "3 h 12 min ago");
    assert_eq!(relative(4 * 3600), "4 h ago");
    assert_eq!(relative(86_400 + 3 * 3600), "1 day 3 h ago");
    assert_eq!(relative(2 * 86_400 + 5 * 3600), "2 days ago");
    assert_eq!(duration(40), "40 s");
    assert_eq!(duration(5 * 3600 + 12 * 60), "5 h 12 min");
}

#[test]
fn hover_and_table() {
    let orchestrator =
        r#"{"agents":{"backend":{"max_concurrent":3},"planning":{"enabled":false}}}"#;
    let config = config("", Some(orchestrator));
    let text = board("backend", 2);
    let ws = workspace(&[("TASK.md", &text)], fixture!("backend.json"), &config);
    let hover = describe("@backend_agent", &ws, &config).unwrap();
    assert_eq!(
        hover,
        "**Agent `backend`**: busy\n\n\
         - Current task: PRP-01 task 2, for 5 h 12 min\n\
         - Active tasks (reported): 2\n\
         - Error rate: 7%, 3 of 43 tasks failed (warning at 5%, error at 10%)\n\
         - Health: 82/100\n\
         - Average response: 1841 ms, within the 5000 ms target\n\
         - Open tasks across the workspace: 2 (max 3 at a time)\n\
         - Last report: just now, from `agent_contexts/status/backend.json`\n\n\
         ⚠ `agent-stuck`: agent `backend` is stuck on PRP-01 task 2 for 5 h 12 min (more than 4 h); check on it or reassign the work\n\
         ⚠ `agent-error-rate`: agent `backend` has an error rate of 7% (3 of 43 tasks failed), above the 5% warning threshold"
    );
    let rows = agent_rows(&ws, &config);
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["backend", "planning"]);
    let backend = &rows[0];
    assert_eq!(backend.state, Some(AgentState::Busy));
    assert_eq!((backend.open_tasks, backend.max_concurrent), (2, Some(3)));
    assert_eq!(backend.last_report, Some(at("2026-11-20T11:59:30Z")));
    assert_eq!(backend.alerts.len(), 2);
    assert!(!rows[1].enabled);
    assert_eq!(rows[1].state, None);
    let unknown = describe("nobody", &ws, &config).unwrap();
    assert!(
        unknown.starts_with("**Agent `nobody`**: no status report"),
        "{unknown}"
    );
}

#[test]
fn board_summary_counts_agents_and_finished_weeks() {
    let config = Config::default();
    let board_text = "# Tasks\n## Active\n\
        - [ ] Login @backend\n- [ ] Refresh tokens @backend\n- [ ] Widgets @frontend\n\
        - [ ] Rate limits\n- [ ] ~~Dropped idea~~\n- [ ] Migration\n  - Assigned to: database\n- [ ] Docs\n\
        ## Completed\n\
        - [x] Health endpoint (completed 2026-11-18)\n  - Source: PRPs/archive/06_health.md\n\
        - [x] Audit log (completed 2026-11-02)\n  - Source: PRPs/active/04_audit_log.md\n\
        - [x] Report query (completed 2026-11-19)\n  - Source: PRPs/planning/03_reports.md\n\
        ## Task Format\n- [ ] Example item @someone\n";
    let files = [
        ("TASK.md", board_text),
        // Its own date wins over the board's; 9 days ago: the second week back.
        (
            "PRPs/archive/01_auth.md",
            "# Auth\n**Status**: Complete\n**Completed**: 2026-11-11\n",
        ),
        // Dated by the board item naming it, though the item names an old path.
        (
            "PRPs/archive/04_audit_log.md",
            "# Audit\n**Status**: Complete\n",
        ),
        (
            "PRPs/archive/06_health.md",
            "# Health\n> **Status**: ✅ Completed 2026-11-17\n",
        ),
        // Still planned: a finished task of it is no finished PRP.
        ("PRPs/planning/03_reports.md", "# Reports\n"),
        // Finished but undated, and finished too long ago.
        ("PRPs/archive/07_old.md", "# Old\n**Status**: Complete\n"),
        (
            "PRPs/archive/02_older.md",
            "# Older\n**Completed**: 2026-09-01\n",
        ),
    ];
    let ws = workspace(&files, Vec::new(), &config);
    let doc = parse("TASK.md", board_text, &config);
    assert_eq!(
        board_summary(&doc, &ws, now()),
        [
            "open tasks per agent: backend 2, database 1, frontend 1, unassigned 2",
            "PRPs finished per week (last 4, oldest first): 0, 1, 1, 1",
        ]
    );
}

#[test]
fn utilization_as_reported_or_from_busy_and_uptime() {
    let read = |json: &str| parse_status("s.json", json).map(|s| s[0].utilization);
    assert_eq!(
        read(r#"{"id":"a","state":"busy","utilization":0.8}"#),
        Ok(Some(0.8))
    );
    assert_eq!(
        read(r#"{"id":"a","state":"busy","busy_seconds":4500,"uptime_seconds":6000}"#),
        Ok(Some(0.75))
    );
    assert_eq!(read(r#"{"id":"a","state":"idle"}"#), Ok(None));
    assert!(read(r#"{"id":"a","state":"idle","utilization":80}"#)
        .unwrap_err()
        .contains("fraction"));
    assert!(
        read(r#"{"id":"a","state":"idle","busy_seconds":7,"uptime_seconds":5}"#)
            .unwrap_err()
            .contains("more than")
    );
}
