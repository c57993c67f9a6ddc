//! End-to-end generation: requirement in, change out, and the new PRP validated in place.

use std::collections::HashMap;

use super::*;
use crate::document::DocKind;
use crate::edit::apply_edits;
use crate::{DocFacts, RawConfig};

/// An in-memory workspace: files, their facts, and their texts for the [`TextSource`].
struct Fixture {
    ws: Workspace,
    texts: HashMap<String, String>,
    config: Config,
}

impl TextSource for Fixture {
    fn text(&self, path: &str) -> Option<String> {
        self.texts.get(path).cloned()
    }
}

impl Fixture {
    fn new(files: &[(&str, &str)]) -> Fixture {
        Fixture::with_config("", files)
    }

    fn with_config(toml: &str, files: &[(&str, &str)]) -> Fixture {
        let config = Config::from_raw(&RawConfig::from_toml(toml).unwrap()).unwrap();
        let mut fixture = Fixture {
            ws: Workspace::new(),
            texts: HashMap::new(),
            config,
        };
        for (path, text) in files {
            fixture.add(path, text);
        }
        fixture
    }

    fn add(&mut self, path: &str, text: &str) {
        self.ws.add_file(path);
        let doc = crate::parse(path, text, &self.config);
        if doc.kind != DocKind::Other {
            self.ws.update_document(path, DocFacts::of(&doc));
        }
        self.texts.insert(path.to_string(), text.to_string());
    }

    fn generate(&self, req: &Requirement, link: Option<&LinkBack>) -> Generated {
        generate(req, link, &self.ws, &self.config, self, today())
            .expect("the fixture's folder is inside the workspace")
    }

    /// Applies the change and returns the findings on the new PRP.
    fn apply_and_check(&mut self, generated: &Generated) -> Vec<String> {
        for change in &generated.change.changes {
            match change {
                FileChange::Create { path, content } => {
                    assert!(!self.ws.exists(path), "{path} would be overwritten");
                    self.add(path, content);
                }
                FileChange::Edit { path, edits } => {
                    let text = apply_edits(&self.texts[path], edits);
                    self.add(path, &text);
                }
                FileChange::Rename { .. } => panic!("generation renames nothing"),
            }
        }
        let text = &self.texts[&generated.path];
        let doc = crate::parse(&generated.path, text, &self.config);
        assert_eq!(doc.kind, DocKind::Prp);
        crate::check(&doc, text, &self.ws, &self.config)
            .into_iter()
            .map(|d| format!("{}: {}", d.rule.code(), d.message))
            .collect()
    }
}

fn today() -> Date {
    Date::parse("2026-02-03").unwrap()
}

const AGENTS: [(&str, &str); 4] = [
    ("agent_contexts/frontend_agent.md", "# Agent: Frontend\n"),
    ("agent_contexts/backend_agent.md", "# Agent: Backend\n"),
    (
        "agent_contexts/integration_agent.md",
        "# Agent: Integration\n",
    ),
    ("agent_contexts/qa_agent.md", "# Agent: QA\n"),
];

const BOARD: &str = "# Tasks\n\n## Active\n\n- [ ] Add Google Calendar sync for rehearsals (added 2026-01-10)\n  - User: \"I want rehearsals in my phone calendar\"\n  - [ ] Events appear within a minute\n- [ ] Other work\n";

fn board_fixture(board: &str) -> Fixture {
    let mut files: Vec<(&str, &str)> = AGENTS.to_vec();
    files.extend([
        ("TASK.md", board),
        ("PRPs/active/01_calendar_page.md", "# Calendar page\n"),
        ("PRPs/archive/07_login.md", "# Login\n"),
    ]);
    Fixture::new(&files)
}

#[test]
fn from_a_task_item_with_the_builtin_base_template() {
    let mut fx = board_fixture(BOARD);
    let doc = crate::parse("TASK.md", BOARD, &fx.config);
    let req = requirement_from_task_item(&doc, BOARD, 0);
    let link = LinkBack::after_item(&doc, 0);
    let generated = fx.generate(&req, Some(&link));

    assert_eq!(
        generated.path,
        "PRPs/active/08_add_google_calendar_sync_for_rehearsals.md"
    );
    assert_eq!(
        generated.change.title,
        "Generate PRP 08: Add Google Calendar sync for rehearsals"
    );
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
    let FileChange::Create { content, .. } = &generated.change.changes[0] else {
        panic!("the PRP is created first")
    };
    assert!(content.contains("## Requirement Analysis"));
    // Each module with the words that put it in.
    assert!(
        content.contains("- [ ] Modules: integration (google, calendar, sync)\n"),
        "{content}"
    );
    assert!(content.contains("- [ ] Dependencies: PRPs/active/01_calendar_page.md"));
    assert!(content.contains("- [ ] Events appear within a minute"));
    assert!(content.contains("### Task 1: Integration changes\n\n**Assigned to**: integration"));
    assert!(content.contains("### Task 2: Tests\n\n**Assigned to**: qa"));
    assert!(content.contains("created: 2026-02-03"));

    let findings = fx.apply_and_check(&generated);
    assert!(findings.is_empty(), "{findings:#?}");
    let board = &fx.texts["TASK.md"];
    assert!(board.contains(
        "for rehearsals (added 2026-01-10) → [PRP 08](PRPs/active/08_add_google_calendar_sync_for_rehearsals.md)\n  - User:"
    ));
}

#[test]
fn the_orchestrator_profile_passes_its_own_validation() {
    let mut fx = Fixture::with_config("[generate]\nprofile = \"orchestrator\"\n", &AGENTS);
    let req = requirement_from_text(
        "Send an email reminder before each rehearsal. Members who opted out must not get one.",
    );
    let generated = fx.generate(&req, None);
    assert_eq!(
        generated.path,
        "PRPs/active/01_send_an_email_reminder_before_each.md"
    );
    assert_eq!(generated.change.changes.len(), 1);
    let FileChange::Create { content, .. } = &generated.change.changes[0] else {
        panic!()
    };
    assert!(content.contains("profile: orchestrator"));
    assert!(content.contains("## Rollback Plan"));
    // No notifications agent: the backend agent takes the module.
    assert!(content.contains("### Task 1: Notifications changes\n\n**Assigned to**: backend\n"));
    let findings = fx.apply_and_check(&generated);
    assert!(findings.is_empty(), "{findings:#?}");
}

const WORKSPACE_TEMPLATE: &str = "name: \"{{title}}\"
description: |
  $ARGUMENTS

## Purpose

Template for [Feature name].

## Goal

[What needs to be built - be specific about the end state]

## Why

- [Business value and user impact]
- [Problems this solves and for whom]

## What

[User-visible behavior and technical requirements]

### Success Criteria

- [ ] [Specific measurable outcomes]

## All Needed Context

```yaml
- url: https://developers.google.com/calendar
  why: the API we call
```

## Implementation Blueprint

### list of tasks to be completed in order

```yaml
Task 1:
MODIFY src/existing_module.py:
  - FIND pattern: \"class OldImplementation\"
```

## Validation Loop

### Level 1: Syntax & Style

```bash
ruff check --fix
```

## Final validation Checklist

- [ ] All tests pass
";

#[test]
fn from_a_yaml_block_with_the_workspace_template() {
    let planning = "# Planning\n\n```requirement\ntype: feature\ntitle: Calendar sync\ndescription: Sync rehearsals with Google Calendar.\npriority: high\nmodules_affected: [backend, integration]\nacceptance_criteria:\n  - Events appear within a minute\n```\n";
    let mut files: Vec<(&str, &str)> = AGENTS.to_vec();
    files.extend([
        ("PRPs/templates/prp_base.md", WORKSPACE_TEMPLATE),
        ("PLANNING.md", planning),
    ]);
    let mut fx = Fixture::new(&files);
    let doc = crate::parse("PLANNING.md", planning, &fx.config);
    let req = requirement_blocks(&doc, planning).remove(0).1.unwrap();
    let generated = fx.generate(&req, None);
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
    let FileChange::Create { content, .. } = &generated.change.changes[0] else {
        panic!()
    };
    // The template's own name and its instructions to its user (Purpose) are gone.
    assert!(content.starts_with(
        "name: \"PRP 01: Calendar sync\"\ndescription: |\n  Sync rehearsals with Google Calendar.\n"
    ));
    assert!(!content.contains("## Purpose"));
    assert!(content.contains("## Goal\n\nSync rehearsals with Google Calendar.\n\n## Why"));
    assert!(content.contains("### Success Criteria\n\n- [ ] Events appear within a minute\n"));
    assert!(content.contains("## Requirement Analysis\n\n- [ ] Business need: Calendar sync (a new capability, high priority)"));
    assert!(content.find("## Requirement Analysis") < content.find("## All Needed Context"));
    assert!(content.contains("### Task 1: Backend changes\n\n**Assigned to**: backend"));
    assert!(!content.contains("MODIFY src/existing_module.py"));
    // The template's example commands make way for the PRP's validation levels.
    assert!(!content.contains("ruff check --fix"));
    // The orchestrator's parts the template lacked are there.
    for part in [
        "## Pre-Implementation",
        "## Rollback Plan",
        "## Pre-Deployment Checklist",
    ] {
        assert!(content.contains(part), "{part}: {content}");
    }
    let findings = fx.apply_and_check(&generated);
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn from_a_json_block_and_leftover_placeholders_are_reported() {
    let template = "# {{title}}\n\n## Goal\n\n[What needs to be built]\n\n## Notes\n\n[Describe anything else the agent should know]\n";
    let fx = Fixture::new(&[("PRPs/templates/prp_base.md", template)]);
    let text = "```requirement\n{\"type\": \"bug_fix\", \"description\": \"Login fails with a 500 after password reset\"}\n```\n";
    let doc = crate::parse("TASK.md", text, &fx.config);
    let req = requirement_blocks(&doc, text).remove(0).1.unwrap();
    assert_eq!(req.kind, RequirementKind::BugFix);
    let generated = fx.generate(&req, None);
    let FileChange::Create { content, .. } = &generated.change.changes[0] else {
        panic!()
    };
    assert!(
        content.starts_with(
            "# Fix login failing with a 500\n\n## Goal\n\nLogin fails with a 500 after password reset"
        ),
        "{content}"
    );
    // The placeholders generation cannot fill stay (the template's own, and the criterion a
    // one-line requirement does not give), and the output names each with its line.
    assert_eq!(generated.warnings.len(), 1, "{:?}", generated.warnings);
    let w = &generated.warnings[0];
    assert!(w.starts_with("2 placeholders left to fill: "), "{w}");
    assert!(
        w.contains("`[Describe anything else the agent should know]` (line 9)"),
        "{w}"
    );
    assert!(
        w.contains("`[Describe the observable result that shows this is done]` (line"),
        "{w}"
    );
}

#[test]
fn missing_or_unusable_templates_fall_back_with_a_warning() {
    let req = requirement_from_text("Export invoices as PDF. Each PDF must carry the logo.");
    let fx = Fixture::with_config("[generate]\ntemplate = \"docs/prp.md\"\n", &[]);
    let generated = fx.generate(&req, None);
    assert_eq!(
        generated.warnings[0],
        "the configured template docs/prp.md cannot be read, so the built-in base template was used"
    );

    let fx = Fixture::new(&[(
        "PRPs/templates/prp_base.md",
        "just some notes, no headings\n",
    )]);
    let generated = fx.generate(&req, None);
    assert!(generated.warnings[0].contains("has no PRP sections"));
    let FileChange::Create { content, .. } = &generated.change.changes[0] else {
        panic!()
    };
    assert!(content.contains("profile: base"));

    // No template at the default path is the ordinary case, not worth a warning.
    let fx = Fixture::with_config("[generate]\nprofile = \"spec\"\n", &[]);
    let generated = fx.generate(&req, None);
    assert_eq!(
        generated.warnings,
        ["profile `spec` has no built-in template (base, orchestrator do), so `base` was used"]
    );
}

#[test]
fn numbering_follows_the_workspace_and_never_reuses_a_number() {
    let req = requirement_from_text("Calendar sync");
    let fx = Fixture::new(&[
        ("PRPs/active/PRP-002-auth.md", "# Auth\n"),
        ("PRPs/archive/PRP-013-old.md", "# Old\n"),
        ("PRPs/planning/PRP-005-later.md", "# Later\n"),
        ("PRPs/done/03_other_style.md", "# Other\n"),
    ]);
    let generated = fx.generate(&req, None);
    assert_eq!(generated.path, "PRPs/active/PRP-014-add-calendar-sync.md");
    assert_eq!(
        generated.change.title,
        "Generate PRP 014: Add calendar sync"
    );

    let fx = Fixture::with_config(
        "[generate]\nfolder = \"PRPs/planning/\"\n",
        &[("PRPs/active/004--auth.md", "# Auth\n")],
    );
    assert_eq!(
        fx.generate(&req, None).path,
        "PRPs/planning/005--add-calendar-sync.md"
    );

    let fx = Fixture::new(&[(".claude/PRPs/archive/09_x.md", "# X\n")]);
    assert_eq!(
        fx.generate(&req, None).path,
        ".claude/PRPs/active/10_add_calendar_sync.md"
    );
}

#[test]
fn link_back_in_a_crlf_board_from_a_nested_folder() {
    let board = BOARD.replace('\n', "\r\n");
    let mut fx = Fixture::new(&[("team/TASK.md", &board)]);
    let doc = crate::parse("team/TASK.md", &board, &fx.config);
    let req = requirement_from_task_item(&doc, &board, 0);
    assert_eq!(req.acceptance_criteria, ["Events appear within a minute"]);
    let link = LinkBack::after_item(&doc, 0);
    assert_eq!(&board[link.at..link.at + 2], "\r\n");
    let generated = fx.generate(&req, Some(&link));
    fx.apply_and_check(&generated);
    assert!(fx.texts["team/TASK.md"].contains(
        "(added 2026-01-10) → [PRP 01](../PRPs/active/01_add_google_calendar_sync_for_rehearsals.md)\r\n"
    ));
}

#[test]
fn invalid_requirement_blocks_are_reported_on_the_field() {
    let text = "# Tasks\n\n## Active\n\n- [ ] Something\n\n```requirement\ntype: feature\npriority: someday\ndescription: x\n```\n";
    let config = Config::default();
    let doc = crate::parse("TASK.md", text, &config);
    let findings = crate::check(&doc, text, &Workspace::new(), &config);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0].rule, Rule::InvalidRequirement);
    assert_eq!(&text[findings[0].span.clone()], "someday");
    assert!(findings[0]
        .message
        .contains("`priority: someday` is not one of critical, high, medium, low"));
}

#[test]
fn settings_merge_and_relative_links() {
    let file = RawConfig::from_toml("[generate]\ntemplate = \"a.md\"\nfolder = \"PRPs/new\"\n[generate.modules]\nmobile = [\"ios\"]\n[generate.complexity]\nm = 1\n").unwrap();
    let editor = RawConfig::from_json(serde_json::json!({"generate": {"template": "b.md", "modules": {"web": ["browser"]}, "complexity": {"xl": 9}}})).unwrap();
    let merged = file.merge(editor).generate;
    assert_eq!(merged.template(), "b.md");
    assert_eq!(merged.folder(&Workspace::new()), "PRPs/new");
    assert_eq!(merged.complexity_thresholds(), (1, 3, 9));
    let modules: Vec<String> = merged
        .module_keywords()
        .into_iter()
        .map(|(m, _)| m)
        .collect();
    assert!(modules.ends_with(&["mobile".to_string(), "web".to_string()]));
    assert!(RawConfig::from_toml("[generate]\ntemplates = \"x\"\n").is_err());

    assert_eq!(
        relative_path("", "PRPs/active/01_x.md"),
        "PRPs/active/01_x.md"
    );
    assert_eq!(
        relative_path("docs/plans", "PRPs/active/01_x.md"),
        "../../PRPs/active/01_x.md"
    );
    assert_eq!(
        relative_path("PRPs", "PRPs/active/01_x.md"),
        "active/01_x.md"
    );
}

#[test]
fn a_folder_outside_the_workspace_refuses_generation_and_is_a_config_problem() {
    let req = requirement_from_text("Add CSV export");
    for folder in [
        "../../../../tmp/x",
        "/tmp/x",
        "PRPs/../../x",
        "C:/x",
        "\\\\server\\x",
    ] {
        let fx = Fixture::with_config(
            &format!("[generate]\nfolder = {folder:?}\n"),
            &[("PRPs/active/01_a.md", "# A\n")],
        );
        let refusal = generate(&req, None, &fx.ws, &fx.config, &fx, today()).unwrap_err();
        assert!(
            refusal.contains("[generate] folder") && refusal.contains("outside the workspace"),
            "{folder}: {refusal}"
        );
        assert_eq!(fx.config.problems.len(), 1, "{folder}");
        assert_eq!(fx.config.problems[0].message, refusal);
    }
    let fx = Fixture::with_config("[generate]\nfolder = \"docs/./prps\"\n", &[]);
    assert!(fx.config.problems.is_empty());
    assert!(generate(&req, None, &fx.ws, &fx.config, &fx, today()).is_ok());
}

#[test]
fn an_empty_folder_is_the_workspace_root() {
    // Found by the `config` fuzz target: `folder = ""` made the path `/01_x.md`.
    let req = requirement_from_text("Add CSV export. The CSV must have a header row.");
    for folder in ["", ".", "./", "/"] {
        let fx = Fixture::with_config(&format!("[generate]\nfolder = {folder:?}\n"), &[]);
        let result = generate(&req, None, &fx.ws, &fx.config, &fx, today());
        if folder == "/" {
            assert!(result.is_err(), "an absolute folder is refused");
            continue;
        }
        let generated = result.unwrap();
        assert_eq!(generated.path, "01_add_csv_export.md", "{folder:?}");
    }
}
