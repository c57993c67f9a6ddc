//! The new PRP's parts, written from the requirement and its analysis, and the built-in
//! templates of the base and orchestrator profiles. A workspace template is filled with the
//! same parts (see `workspace_template`). Every PRP carries the requirement analysis,
//! a pre-implementation checklist, pre-assigned tasks, testing, a rollback plan and the
//! pre-deployment checklist the quality gates judge.

use super::analysis::{task_agent, Analysis};
use super::requirement::{Requirement, RequirementKind};
use crate::config::Config;
use crate::document::scan::Date;
use crate::workspace::Workspace;

/// Everything a template is filled with.
pub(super) struct Fill<'a> {
    pub req: &'a Requirement,
    pub analysis: &'a Analysis,
    pub ws: &'a Workspace,
    pub config: &'a Config,
    /// `PRP 07`.
    pub label: String,
    pub today: Date,
}

/// Profiles with a built-in template.
pub(super) const BUILTIN_PROFILES: [&str; 2] = ["base", "orchestrator"];

impl Fill<'_> {
    fn title(&self) -> &str {
        &self.req.title
    }

    fn business_need(&self) -> String {
        let why = match self.req.kind {
            RequirementKind::Feature => "a new capability",
            RequirementKind::BugFix => "a defect to fix",
            RequirementKind::Performance => "a performance problem",
            RequirementKind::Security => "a security gap",
            RequirementKind::Refactor => "technical debt to pay down",
            RequirementKind::Documentation => "missing documentation",
        };
        match &self.req.user_story {
            Some(story) => format!("{story} ({why}, {} priority)", self.req.priority.as_str()),
            None => format!(
                "{} ({why}, {} priority)",
                self.title(),
                self.req.priority.as_str()
            ),
        }
    }

    /// The modules for a `Modules:` line: their names.
    pub(super) fn modules_value(&self) -> String {
        if self.analysis.modules.is_empty() {
            "none detected".to_string()
        } else {
            self.analysis.modules.join(", ")
        }
    }

    /// The requester's story, or one in the usual form from the request.
    pub(super) fn user_story(&self) -> String {
        match &self.req.user_story {
            Some(story) => format!("{story}\n"),
            None => {
                let mut title = self.title().to_string();
                if let Some(first) = title.get(..1) {
                    if title.get(1..2).is_some_and(|c| c == c.to_lowercase()) {
                        title = first.to_lowercase() + &title[1..];
                    }
                }
                format!("As a user I want to {title}.\n")
            }
        }
    }

    /// How the work is split, for a blueprint when the tasks have their own section.
    pub(super) fn approach(&self) -> String {
        if self.analysis.modules.is_empty() {
            return "One change, by the agent named in the tasks below, tested against every success criterion.\n".to_string();
        }
        let parts: Vec<String> = self
            .analysis
            .modules
            .iter()
            .map(|m| match self.analysis.agent_of(m) {
                Some(agent) => format!("{m} (by {agent})"),
                None => m.clone(),
            })
            .collect();
        format!(
            "Work by module: {}; each part with its tests, as the tasks below list.\n",
            parts.join(", ")
        )
    }

    /// The folders the work will touch: the scopes of the agents that take it.
    pub(super) fn files_to_change(&self) -> String {
        let mut out = String::new();
        for agent in &self.analysis.agents {
            if let Some(facts) = self.ws.agent(agent) {
                for scope in &facts.scope {
                    out.push_str(&format!("- `{scope}` ({agent})\n"));
                }
            }
        }
        if out.is_empty() {
            out.push_str("- the files of the modules affected, as the tasks find them\n");
        }
        out
    }

    /// A required section by its canonical name, written from the requirement; `None` for
    /// one generation has nothing to say about.
    pub(super) fn section(&self, canonical: &str, level: usize) -> Option<String> {
        let text = match canonical {
            "Goal" | "Description" => self.goal(),
            "Why" => self.why(),
            "What" => self.what(),
            "Success Criteria" => self.success_criteria(),
            "All Needed Context" => self.context(),
            "Implementation Blueprint" => self.approach(),
            "Tasks" => self.tasks(level.min(4)),
            "Validation Loop" => self.validation(level),
            "Pre-Implementation" => self.pre_implementation(),
            "Rollback Plan" => self.rollback(),
            "Priority" => format!("{}\n", self.req.priority.as_str().to_uppercase()),
            "Complexity" => format!("{}\n", self.analysis.complexity),
            "Modules Affected" => format!("{}.\n", self.modules_line()),
            "Estimated Effort" => format!("{}\n", self.analysis.timeline),
            other => crate::sections::info(other)?.standard_text?.to_string(),
        };
        Some(text)
    }

    /// The validation loop's levels, under headings of `level`.
    pub(super) fn validation(&self, level: usize) -> String {
        let h = "#".repeat(level.clamp(3, 4));
        format!(
            "{h} Level 1: Syntax & Style\n\nRun the project's formatter and linter; fix every error before moving on.\n\n\
             {h} Level 2: Unit Tests\n\nRun the unit tests of every module touched; add tests for each success criterion.\n\n\
             {h} Level 3: Integration Tests\n\nExercise the change end to end as a user would.\n"
        )
    }

    /// Testing procedures as a checklist (for templates without a validation section).
    pub(super) fn testing(&self) -> String {
        "- [ ] Unit tests for every success criterion pass\n- [ ] Integration tests pass\n- [ ] The change works end to end as a user would use it\n".to_string()
    }

    /// `backend (api), payments (stripe, checkout)`: each module with the words that put
    /// it in.
    fn modules_line(&self) -> String {
        if self.analysis.evidence.is_empty() {
            return "none detected; name the modules this work touches".into();
        }
        self.analysis
            .evidence
            .iter()
            .map(|(m, words)| {
                if words.is_empty() {
                    m.clone()
                } else {
                    format!("{m} ({})", words.join(", "))
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The requirement as written, unabridged.
    pub(super) fn goal(&self) -> String {
        let description = self.req.description.trim();
        if description.is_empty() {
            format!("{}.\n", self.title().trim_end_matches('.'))
        } else {
            format!("{description}\n")
        }
    }

    pub(super) fn why(&self) -> String {
        let mut out = format!("- {}\n", self.business_need());
        if !self.analysis.dependencies.is_empty() {
            out.push_str(&format!(
                "- Builds on the open work in {}\n",
                self.analysis.dependencies.join(", ")
            ));
        }
        out
    }

    pub(super) fn what(&self) -> String {
        let agents = if self.analysis.agents.is_empty() {
            String::new()
        } else {
            format!(" Agents: {}.", self.analysis.agents.join(", "))
        };
        format!(
            "{}\n\nModules affected: {}.{agents}\n",
            self.title().trim_end_matches('.'),
            self.modules_line()
        )
    }

    /// One checkbox per criterion, in the requirement's words; a placeholder (listed in
    /// the output) when the requirement gives none.
    pub(super) fn success_criteria(&self) -> String {
        let mut out = String::new();
        for c in &self.req.acceptance_criteria {
            out.push_str(&format!("- [ ] {c}\n"));
        }
        if self.req.acceptance_criteria.is_empty() {
            out.push_str("- [ ] [Describe the observable result that shows this is done]\n");
        }
        out.push_str("- [ ] Tests cover the change and pass\n");
        out
    }

    /// The requirement analysis checklist, under a heading of `level`.
    pub fn analysis_section(&self, level: usize) -> String {
        let a = self.analysis;
        let or_none = |items: &[String], none: &str| {
            if items.is_empty() {
                none.to_string()
            } else {
                items.join("; ")
            }
        };
        format!(
            "{} Requirement Analysis\n\n\
             - [ ] Business need: {}\n\
             - [ ] Modules: {}\n\
             - [ ] Complexity: {}\n\
             - [ ] Dependencies: {}\n\
             - [ ] Risks: {}\n\
             - [ ] Timeline: {}\n\n",
            "#".repeat(level),
            self.business_need(),
            self.modules_line(),
            a.complexity,
            or_none(&a.dependencies, "no open PRP touches the same modules"),
            or_none(&a.risks, "none found"),
            a.timeline,
        )
    }

    /// What must be true before work starts.
    pub(super) fn pre_implementation(&self) -> String {
        let mut out = String::from("- [ ] Agree on the success criteria with the requester\n");
        if !self.analysis.dependencies.is_empty() {
            out.push_str(&format!(
                "- [ ] Read the related open PRPs: {}\n",
                self.analysis.dependencies.join(", ")
            ));
        }
        match self.analysis.agents.as_slice() {
            [] => out.push_str("- [ ] Name the agent for each task\n"),
            agents => out.push_str(&format!(
                "- [ ] Check that {} can take the work (no stuck or overloaded agent)\n",
                agents.join(", ")
            )),
        }
        out
    }

    /// One task per module and a final testing task, each `### Task N:` with its agent.
    pub fn tasks(&self, level: usize) -> String {
        let hashes = "#".repeat(level);
        let fallback = self.analysis.agents.first().cloned();
        let mut steps: Vec<(String, String, Option<String>)> = self
            .analysis
            .modules
            .iter()
            .map(|m| {
                (
                    format!("{} changes", capitalize(m)),
                    format!("Make the {m} changes this PRP needs and cover them with tests."),
                    self.analysis.agent_of(m).or_else(|| fallback.clone()),
                )
            })
            .collect();
        if steps.is_empty() {
            steps.push((
                "Implement".into(),
                "Implement the change this PRP describes.".into(),
                fallback.clone(),
            ));
        }
        steps.push((
            "Tests".into(),
            "Write tests for every success criterion and run the validation loop.".into(),
            task_agent(
                "Tests\nWrite tests for every success criterion and run the validation loop.",
                self.ws,
                self.config,
            )
            .or(fallback),
        ));
        let mut out = String::new();
        for (i, (name, body, agent)) in steps.into_iter().enumerate() {
            out.push_str(&format!("{hashes} Task {}: {name}\n\n", i + 1));
            if let Some(agent) = agent {
                out.push_str(&format!("**Assigned to**: {agent}\n\n"));
            }
            out.push_str(&format!("{body}\n\n"));
        }
        out
    }

    pub(super) fn context(&self) -> String {
        let mut out = String::new();
        if self.analysis.dependencies.is_empty() {
            out.push_str("No open PRP touches the same modules. List the files, documentation and URLs the implementer must read.\n\n");
        } else {
            out.push_str("```yaml\n");
            for dep in &self.analysis.dependencies {
                out.push_str(&format!(
                    "- file: {dep}\n  why: open work on the same modules\n"
                ));
            }
            out.push_str("```\n\n");
        }
        out
    }

    pub(super) fn rollback(&self) -> String {
        let mut out = String::from(
            "Revert the deployment to the previous release and confirm the success criteria no longer apply.\n",
        );
        if self.analysis.modules.iter().any(|m| m == "database") {
            out.push_str("Run the down step of each migration this PRP adds, in reverse order.\n");
        }
        out
    }

    /// The orchestrator's pre-deployment checklist: the nine items the quality gates judge.
    pub(super) fn pre_deployment(&self) -> String {
        let coverage = crate::figures::percent(crate::gates::coverage_threshold(self.config));
        format!(
            "- [ ] All assigned tasks completed\n\
             - [ ] Code review passed\n\
             - [ ] Unit tests passing with coverage ≥ {coverage}%\n\
             - [ ] Integration tests passing\n\
             - [ ] E2E tests passing\n\
             - [ ] Performance benchmarks met\n\
             - [ ] Security scan clean\n\
             - [ ] Documentation updated\n\
             - [ ] DEV_LOG entries added\n"
        )
    }

    fn front_matter(&self, profile: &str) -> String {
        let description: String = self
            .req
            .description
            .lines()
            .map(|l| format!("  {l}\n"))
            .collect();
        format!(
            "---\ntitle: \"{}\"\ndescription: |\n{description}type: {}\npriority: {}\ncomplexity: {}\nprofile: {profile}\ncreated: {}\n---\n\n# {}: {}\n\n",
            self.title().replace('"', "'"),
            self.req.kind.as_str(),
            self.req.priority.as_str(),
            self.analysis.complexity,
            self.today,
            self.label,
            self.title(),
        )
    }

    /// The built-in template of `profile` (`base` or `orchestrator`).
    pub fn builtin(&self, profile: &str) -> String {
        if profile == "orchestrator" {
            self.orchestrator()
        } else {
            self.base()
        }
    }

    fn base(&self) -> String {
        let mut out = self.front_matter("base");
        out.push_str(&format!("## Goal\n\n{}\n", self.goal()));
        out.push_str(&format!("## Why\n\n{}\n", self.why()));
        out.push_str(&format!("## What\n\n{}\n", self.what()));
        out.push_str(&format!(
            "### Success Criteria\n\n{}\n",
            self.success_criteria()
        ));
        out.push_str(&self.analysis_section(2));
        out.push_str(&format!(
            "## Pre-Implementation\n\n{}\n",
            self.pre_implementation()
        ));
        out.push_str(&format!("## All Needed Context\n\n{}", self.context()));
        out.push_str("## Implementation Blueprint\n\n");
        out.push_str(&self.tasks(3));
        out.push_str(VALIDATION_LOOP);
        out.push_str(&format!("## Rollback Plan\n\n{}\n", self.rollback()));
        out.push_str(&standard_section("Final Validation Checklist", false));
        out.push_str(&format!(
            "## Pre-Deployment Checklist\n\n{}\n",
            self.pre_deployment()
        ));
        out.push_str(&standard_section("Anti-Patterns to Avoid", true));
        out
    }

    fn orchestrator(&self) -> String {
        let mut out = self.front_matter("orchestrator");
        out.push_str(&format!("## Description\n\n{}\n", self.goal()));
        out.push_str(&format!(
            "## Priority: {}\n\n",
            self.req.priority.as_str().to_uppercase()
        ));
        out.push_str(&format!("## Complexity: {}\n\n", self.analysis.complexity));
        out.push_str(&format!(
            "## Modules Affected\n\n{}.\n\n",
            self.modules_line()
        ));
        out.push_str(&format!("## Business Justification\n\n{}\n", self.why()));
        out.push_str(&self.analysis_section(2));
        out.push_str(&format!(
            "## Pre-Implementation\n\n{}\n",
            self.pre_implementation()
        ));
        out.push_str(&format!(
            "## Success Criteria\n\n{}\n",
            self.success_criteria()
        ));
        out.push_str("## Implementation Tasks\n\n");
        out.push_str(&self.tasks(3));
        out.push_str(ORCHESTRATOR_TESTING);
        out.push_str(&standard_section("Deployment Steps", false));
        out.push_str(&format!("## Rollback Plan\n\n{}\n", self.rollback()));
        out.push_str(&standard_section("Post-Deployment", false));
        out.push_str(&format!(
            "## Pre-Deployment Checklist\n\n{}",
            self.pre_deployment()
        ));
        out
    }
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

const VALIDATION_LOOP: &str = "## Validation Loop

### Level 1: Syntax & Style

Run the project's formatter and linter; fix every error before moving on.

### Level 2: Unit Tests

Run the unit tests of every module touched; add tests for each success criterion.

### Level 3: Integration Tests

Exercise the change end to end as a user would.

";

/// A `##` section with the catalog's standard text, then a blank line unless it is the
/// document's last.
fn standard_section(canonical: &str, last: bool) -> String {
    let text = crate::sections::info(canonical)
        .and_then(|s| s.standard_text)
        .unwrap_or_default();
    let blank = if last { "" } else { "\n" };
    format!("## {canonical}\n\n{text}{blank}")
}

const ORCHESTRATOR_TESTING: &str = "## Testing Procedures

- [ ] Unit tests pass with the coverage the quality gates require
- [ ] Integration tests pass
- [ ] End-to-end tests pass

";

/// Bracketed placeholders that mean the feature's name.
const NAME_PLACEHOLDERS: [&str; 6] = [
    "feature name",
    "feature title",
    "title",
    "prp title",
    "prp name",
    "name",
];

/// `{{title}}`-style tokens, `$ARGUMENTS` (the title in a heading, the description
/// elsewhere) and `[Feature name]`-style placeholders.
pub(super) fn substitute_tokens(text: &str, fill: &Fill) -> String {
    let one_line = fill
        .req
        .description
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let arguments = if line.trim_start().starts_with('#') {
            fill.title()
        } else {
            &one_line
        };
        let mut line = line.replace("$ARGUMENTS", arguments);
        if line.trim_start().starts_with('#') {
            let number = fill.label.trim_start_matches(|c: char| !c.is_ascii_digit());
            for stand_in in ["XXX", "NNN", "###", "XX", "NN"] {
                for prefix in ["PRP-", "PRP ", "PRP_"] {
                    line =
                        line.replace(&format!("{prefix}{stand_in}"), &format!("{prefix}{number}"));
                }
            }
        }
        out.push_str(&replace_braced(
            &replace_name_brackets(&line, fill.title()),
            fill,
            &one_line,
        ));
    }
    out
}

fn replace_braced(line: &str, fill: &Fill, description: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(open) = rest.find("{{") {
        let Some(close) = rest[open..].find("}}").map(|c| open + c) else {
            break;
        };
        let key = rest[open + 2..close]
            .trim()
            .to_lowercase()
            .replace(['-', ' '], "_");
        let value = match key.as_str() {
            "title" | "name" | "feature" | "feature_name" => Some(fill.title().to_string()),
            "description" | "arguments" => Some(description.to_string()),
            "priority" => Some(fill.req.priority.as_str().to_string()),
            "type" | "kind" => Some(fill.req.kind.as_str().to_string()),
            "complexity" => Some(fill.analysis.complexity.to_string()),
            "modules" | "modules_affected" => Some(fill.modules_line()),
            "date" | "created" | "today" => Some(fill.today.to_string()),
            "number" | "id" => Some(fill.label.trim_start_matches("PRP ").to_string()),
            _ => None,
        };
        out.push_str(&rest[..open]);
        match value {
            Some(v) => out.push_str(&v),
            None => out.push_str(&rest[open..close + 2]),
        }
        rest = &rest[close + 2..];
    }
    out.push_str(rest);
    out
}

fn replace_name_brackets(line: &str, title: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find(']').map(|c| open + c) else {
            break;
        };
        let inner = rest[open + 1..close]
            .trim()
            .trim_end_matches(['.', '…'])
            .to_lowercase()
            .replace(['_', '-'], " ");
        let is_link = rest[close + 1..].starts_with(['(', '[']);
        out.push_str(&rest[..open]);
        if !is_link && NAME_PLACEHOLDERS.contains(&inner.trim()) {
            out.push_str(title);
        } else {
            out.push_str(&rest[open..=close]);
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}
