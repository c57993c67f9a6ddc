//! The new PRP's body: the workspace's own template with its placeholders and its Goal, Why,
//! What, Success Criteria and Tasks sections filled, or a built-in template of a profile.
//! Either way it carries the requirement analysis checklist and pre-assigned tasks.

use super::analysis::{enabled_agent, module_agent, Analysis};
use super::requirement::{Requirement, RequirementKind};
use crate::config::Config;
use crate::document::scan::Date;
use crate::document::Document;
use crate::edit::{apply_edits, TextEdit};
use crate::workspace::Workspace;

/// Everything a template is filled with.
pub(super) struct Fill<'a> {
    pub req: &'a Requirement,
    pub analysis: &'a Analysis,
    pub ws: &'a Workspace,
    /// `PRP 07`.
    pub label: String,
    pub today: Date,
}

/// Profiles with a built-in template.
pub(super) const BUILTIN_PROFILES: [&str; 2] = ["base", "orchestrator"];

/// Agents that take the testing task, best first.
const TEST_AGENTS: [&str; 4] = ["test", "testing", "qa", "quality"];

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

    fn modules_line(&self) -> String {
        if self.analysis.modules.is_empty() {
            "none detected; name the modules this work touches".into()
        } else {
            self.analysis.modules.join(", ")
        }
    }

    fn goal(&self) -> String {
        let first_paragraph = self
            .req
            .description
            .split("\n\n")
            .next()
            .unwrap_or("")
            .trim();
        if first_paragraph.is_empty() || first_paragraph == self.title() {
            format!("{}.\n", self.title().trim_end_matches('.'))
        } else {
            format!("{}\n", first_paragraph)
        }
    }

    fn why(&self) -> String {
        let mut out = format!("- {}\n", self.business_need());
        if !self.analysis.dependencies.is_empty() {
            out.push_str(&format!(
                "- Builds on the open work in {}\n",
                self.analysis.dependencies.join(", ")
            ));
        }
        out
    }

    fn what(&self) -> String {
        format!(
            "{}\n\nModules affected: {}.\n",
            self.req.description.trim(),
            self.modules_line()
        )
    }

    fn success_criteria(&self) -> String {
        let mut out = String::new();
        for c in &self.req.acceptance_criteria {
            out.push_str(&format!("- [ ] {c}\n"));
        }
        if self.req.acceptance_criteria.is_empty() {
            out.push_str(&format!(
                "- [ ] {} works as described\n",
                self.title().trim_end_matches('.')
            ));
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
                    format!("Implement the {m} part of {}.", self.title()),
                    module_agent(m, self.ws).or_else(|| fallback.clone()),
                )
            })
            .collect();
        if steps.is_empty() {
            steps.push((
                "Implement".into(),
                format!("Implement {}.", self.title()),
                fallback.clone(),
            ));
        }
        steps.push((
            "Tests".into(),
            "Write tests for every success criterion and run the validation loop.".into(),
            TEST_AGENTS
                .into_iter()
                .find_map(|id| enabled_agent(id, self.ws))
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

    fn context(&self) -> String {
        let mut out = String::new();
        if self.analysis.dependencies.is_empty() {
            out.push_str("No open PRP touches the same modules. List the files, documentation and URLs the implementer must read.\n\n");
        } else {
            out.push_str("```yaml\n");
            for dep in &self.analysis.dependencies {
                out.push_str(&format!("- file: {dep}\n  why: touches the same modules\n"));
            }
            out.push_str("```\n\n");
        }
        out
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
        out.push_str(&format!("## All Needed Context\n\n{}", self.context()));
        out.push_str("## Implementation Blueprint\n\n");
        out.push_str(&self.tasks(3));
        out.push_str(VALIDATION_LOOP);
        out.push_str(BASE_CLOSING);
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
        out.push_str("## Pre-Implementation\n\n- [ ] Agree on the success criteria with the requester\n- [ ] Read the related PRPs named in the analysis\n\n");
        out.push_str(&format!(
            "## Success Criteria\n\n{}\n",
            self.success_criteria()
        ));
        out.push_str("## Implementation Tasks\n\n");
        out.push_str(&self.tasks(3));
        out.push_str(ORCHESTRATOR_CLOSING);
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

const BASE_CLOSING: &str = "## Final Validation Checklist

- [ ] All tasks are complete
- [ ] All tests pass
- [ ] No linting or type errors
- [ ] Success criteria are met

## Anti-Patterns to Avoid

- Don't skip validation because it should work
- Don't hardcode values that belong in configuration
";

const ORCHESTRATOR_CLOSING: &str = "## Testing Procedures

- [ ] Unit tests pass with the coverage the quality gates require
- [ ] Integration tests pass
- [ ] End-to-end tests pass

## Deployment Steps

1. Merge after review and green CI
2. Deploy to staging and verify the success criteria
3. Deploy to production

## Rollback Plan

Revert the deployment to the previous release and undo any migration with its down step.

## Post-Deployment

- [ ] Monitor errors and performance for a day
- [ ] Add the DEV_LOG entry
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

/// Fills a workspace template. `template` has been parsed as `doc` (same text). Returns
/// `None` when the template has no PRP section to fill, so it is not usable.
pub(super) fn fill_workspace_template(
    template: &str,
    fill: &Fill,
    config: &Config,
    path: &str,
) -> Option<String> {
    let text = substitute_tokens(&template.replace("\r\n", "\n"), fill);
    let doc = crate::parse(path, &text, config);
    if !doc.sections.iter().any(|s| s.canonical.is_some()) {
        return None;
    }
    let mut edits = Vec::new();
    let mut filled: Vec<&str> = Vec::new();
    for (i, s) in doc.sections.iter().enumerate() {
        let Some(canonical) = s.canonical.as_deref() else {
            continue;
        };
        if filled.contains(&canonical) || doc.in_example(Some(i)) {
            continue;
        }
        let (span, content) = match canonical {
            "Goal" => (s.body.clone(), fill.goal()),
            "Why" => (s.body.clone(), fill.why()),
            "What" => (s.body.clone(), fill.what()),
            "Success Criteria" => (s.body.clone(), fill.success_criteria()),
            // The template's example tasks (with their subsections) make way for real ones.
            "Tasks" => (
                s.body.start..s.end,
                fill.tasks((s.level as usize + 1).min(4)),
            ),
            _ => continue,
        };
        // A section nested in one already replaced went with it.
        if edits
            .iter()
            .any(|e: &TextEdit| e.span.start < span.end && span.start < e.span.end)
        {
            continue;
        }
        filled.push(canonical);
        edits.push(TextEdit::replace(
            span,
            format!("\n{}\n\n", content.trim_end()),
        ));
    }
    edits.push(analysis_insertion(&doc, &text, fill));
    Some(apply_edits(&text, &edits))
}

/// The analysis checklist goes before the context section (where the base template puts
/// it), else before the tasks, else at the end.
fn analysis_insertion(doc: &Document, text: &str, fill: &Fill) -> TextEdit {
    let before = ["All Needed Context", "Tasks", "Implementation Blueprint"]
        .iter()
        .find_map(|c| doc.sections_named(c).next())
        .map(|(_, s)| s);
    match before {
        Some(s) => TextEdit::insert(s.heading.start, fill.analysis_section(s.level as usize)),
        None => {
            let sep = if text.ends_with("\n\n") {
                ""
            } else if text.ends_with('\n') {
                "\n"
            } else {
                "\n\n"
            };
            TextEdit::insert(text.len(), format!("{sep}{}", fill.analysis_section(2)))
        }
    }
}

/// `{{title}}`-style tokens, `$ARGUMENTS` (the title in a heading, the description
/// elsewhere) and `[Feature name]`-style placeholders.
fn substitute_tokens(text: &str, fill: &Fill) -> String {
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
        let line = line.replace("$ARGUMENTS", arguments);
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
