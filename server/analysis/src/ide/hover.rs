//! Hover text (Markdown) for sections, references, agents and gate checklist items.

use crate::config::Config;
use crate::document::{DocKind, Document, ReferenceKind};
use crate::gates::{checklist_gates, is_gate_checklist, Gate, GateReport};
use crate::rules::structure::{choose_profile, required_sections};
use crate::workspace::{Resolution, Workspace};

/// On a section heading of a document: what the section is for and, in a PRP, which
/// profile the document follows and which of its required sections are present.
pub fn section(doc: &Document, config: &Config, index: usize) -> String {
    let section = &doc.sections[index];
    if doc.kind != DocKind::Prp {
        return format!("**{}**", section.name.display);
    }
    let choice = choose_profile(doc, config);
    let profile = choice.profile;
    let mut out = match &section.canonical {
        Some(c) => format!(
            "**{c}** — {}\n\n",
            crate::sections::info(c).map_or("", |s| s.purpose)
        ),
        None => format!(
            "**{}** is not one of the sections the {} profile knows.\n\n",
            section.name.display, profile.name
        ),
    };
    out.push_str(&format!(
        "Profile **{}** ({}), {}.\n\n",
        profile.name, profile.description, choice.reason
    ));
    out.push_str("Required sections:\n");
    for (label, present) in required_sections(doc, profile) {
        out.push_str(&format!("- {} {label}\n", if present { "✓" } else { "✗" }));
    }
    out
}

/// On a reference written in `from` (a path, a PRP): where it leads, and for a PRP its
/// title, number, status and progress.
pub fn reference(ws: &Workspace, from: &str, target: &str, kind: ReferenceKind) -> String {
    if kind == ReferenceKind::Url {
        return format!("URL `{target}` (not checked)");
    }
    match ws.resolve(from, target) {
        Resolution::Found(path) => match ws.facts(&path) {
            Some(f) if f.kind == DocKind::Prp => {
                let title = f.title.clone().unwrap_or_else(|| path.clone());
                let status = f
                    .status
                    .clone()
                    .unwrap_or_else(|| f.lifecycle.label().to_string());
                let number = f
                    .number
                    .as_ref()
                    .map(|n| format!(" · PRP {n}"))
                    .unwrap_or_default();
                let tasks = f.tasks.len();
                format!("**{title}**{number}\n\n`{path}`\n\nStatus: {status} · {} of {} checklist items ticked · {tasks} task(s)", f.checked, f.total)
            }
            _ => format!("`{path}` exists"),
        },
        Resolution::Missing => format!("`{target}` does not exist in the workspace"),
    }
}

/// The first paragraph (at most 400 characters) of an agent context file's Identity section.
pub fn agent_identity(doc: &Document, text: &str) -> Option<String> {
    let section = doc
        .sections
        .iter()
        .find(|s| s.canonical.as_deref() == Some("Identity"))?;
    let body = text.get(section.body.clone())?.trim();
    let paragraph = body.split("\n\n").next()?.trim();
    (!paragraph.is_empty()).then(|| paragraph.chars().take(400).collect())
}

/// On an agent (`@backend`, an `Assigned to:` value, a status file's id): who it is, where
/// it is defined, its scope, and its live status, or else the work assigned to it. `identity`
/// is the first paragraph of its context file's Identity section ([`agent_identity`]), read
/// by the caller.
pub fn agent(ws: &Workspace, config: &Config, name: &str, identity: Option<&str>) -> String {
    let Some(agent) = ws.agent(name) else {
        return format!("No agent `{name}` is defined in this workspace.");
    };
    let mut out = format!(
        "**Agent: {}** (`{}`)\n\nDefined in `{}`",
        agent.name.clone().unwrap_or_else(|| agent.id.clone()),
        agent.id,
        agent.source
    );
    if !agent.enabled {
        out.push_str(" · disabled");
    }
    if let Some(identity) = identity {
        out.push_str(&format!("\n\n{identity}"));
    }
    if !agent.scope.is_empty() {
        out.push_str("\n\nScope: ");
        out.push_str(
            &agent
                .scope
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", "),
        );
    }
    // Live status (state, current task, error rate, health, open tasks, last report) when
    // the workspace has a status snapshot; otherwise the workload from the documents.
    let id = crate::workspace::normalize_agent_id(&agent.id);
    let assigned = ws
        .documents()
        .flat_map(|(_, f)| &f.tasks)
        .filter(|t| t.assignee.as_deref() == Some(id.as_str()));
    let (done, open): (Vec<_>, Vec<_>) = assigned.partition(|t| t.done);
    match crate::status::describe(&agent.id, ws, config) {
        Some(status) => out.push_str(&format!("\n\n{status}")),
        None => out.push_str(&format!(
            "\n\nTasks assigned in the workspace: {} open, {} done",
            open.len(),
            done.len()
        )),
    }
    // The orchestrator's efficiency (tasks completed vs assigned) and utilization (busy
    // over observed time, as the agent's status report gives it).
    let total = done.len() + open.len();
    let efficiency = match total {
        0 => "—".to_string(),
        _ => crate::delivery::metrics::percent(done.len() as f64 / total as f64),
    };
    let utilization = ws
        .status()
        .and_then(|s| s.get(&id))
        .and_then(|s| s.utilization)
        .map_or_else(
            || "— (its status report gives none)".to_string(),
            crate::delivery::metrics::percent,
        );
    out.push_str(&format!(
        "\n\nEfficiency {efficiency} ({} of {total} assigned tasks done) · utilization {utilization}",
        done.len()
    ));
    out
}

/// The pre-deployment checklist item at `offset` that names gates: its index in
/// `doc.checklist` and the gates it stands for.
pub fn gate_item_at(doc: &Document, offset: usize) -> Option<(usize, Vec<Gate>)> {
    let index = doc
        .checklist
        .iter()
        .position(|c| c.line.start <= offset && offset <= c.line.end)?;
    let item = &doc.checklist[index];
    item.section
        .filter(|s| is_gate_checklist(&doc.sections[*s]))?;
    let gates = checklist_gates(&item.text);
    (!gates.is_empty()).then_some((index, gates))
}

/// On a pre-deployment checklist item: each gate it stands for, with the verdict, the
/// evidence files, counts and age, as `report` (evaluated at `now`) has them.
pub fn gate_item(doc: &Document, item: usize, report: &GateReport, now: i64) -> Option<String> {
    let gates = checklist_gates(&doc.checklist.get(item)?.text);
    let mut out = String::new();
    for gate in gates {
        let Some(r) = report.result(gate) else {
            continue;
        };
        let stale = if r.stale {
            " (stale: older than the PRP's last change)"
        } else {
            ""
        };
        out.push_str(&format!(
            "**{}**: {}{stale} — {}\n",
            gate.label(),
            r.verdict.label(),
            r.detail
        ));
        for file in &r.evidence {
            out.push_str(&format!("- `{file}`\n"));
        }
        if let Some(newest) = r.newest {
            out.push_str(&format!(
                "- evidence from {}\n",
                crate::status::relative(now - newest)
            ));
        }
        out.push('\n');
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{parse, DocFacts};

    fn workspace(docs: &[(&str, &str)], config: &Config) -> Workspace {
        let mut ws = Workspace::new();
        for (path, text) in docs {
            ws.add_file(path);
            ws.update_document(path, DocFacts::of(&parse(path, text, config)));
        }
        ws
    }

    #[test]
    fn a_section_hover_says_what_it_is_for_and_what_the_profile_lacks() {
        let config = Config::default();
        let text = "# PRP-01: Login\n\n## Goal\nSign in.\n\n## What\nA form.\n";
        let doc = parse("PRPs/active/01_login.md", text, &config);
        let goal = doc
            .sections
            .iter()
            .position(|s| s.canonical.as_deref() == Some("Goal"))
            .unwrap();
        let hover = section(&doc, &config, goal);
        assert!(
            hover.starts_with("**Goal** — What the work must achieve"),
            "{hover}"
        );
        assert!(hover.contains("Required sections:"), "{hover}");
        assert!(
            hover.contains("✗ Why"),
            "the missing Why is listed: {hover}"
        );
        assert!(hover.contains("✓ Goal"), "{hover}");
    }

    #[test]
    fn an_agent_hover_says_who_it_is_and_what_it_has() {
        let config = Config::default();
        let agent_file = "# Agent: Backend\n\n## Identity\nBuilds the API.\n\nMore.\n\n## Your Scope\n- `src/`\n";
        let board = "- [ ] Export endpoint @backend\n- [x] Health check @backend\n";
        let ws = workspace(
            &[
                ("agent_contexts/backend_agent.md", agent_file),
                ("TASK.md", board),
                ("src/a.py", ""),
            ],
            &config,
        );
        let doc = parse("agent_contexts/backend_agent.md", agent_file, &config);
        let identity = agent_identity(&doc, agent_file);
        assert_eq!(identity.as_deref(), Some("Builds the API."));
        let hover = agent(&ws, &config, "@backend", identity.as_deref());
        assert!(
            hover.starts_with("**Agent: Backend** (`backend`)"),
            "{hover}"
        );
        assert!(hover.contains("Builds the API."), "{hover}");
        assert!(hover.contains("Scope: `src/`"), "{hover}");
        assert!(hover.contains("1 open, 1 done"), "{hover}");
        assert_eq!(
            agent(&ws, &config, "nobody", None),
            "No agent `nobody` is defined in this workspace."
        );
    }

    #[test]
    fn a_gate_item_hover_shows_the_verdict_and_its_evidence() {
        let config = Config::default();
        let text = "# PRP-01: Pay\n\n## Pre-Deployment Checklist\n- [x] All unit tests passing\n- [ ] Talk to legal\n";
        let doc = parse("PRPs/active/01_pay.md", text, &config);
        let junit = r#"<testsuite tests="2"><testcase name="a"/><testcase name="b"><failure/></testcase></testsuite>"#;
        let artifacts = [crate::gates::Artifact {
            path: "reports/junit.xml".into(),
            text: junit.into(),
            modified: 1_000,
        }];
        let report = crate::gates::evaluate(&doc, text, &config, &artifacts, 500);
        let at = text.find("All unit").unwrap();
        let (item, gates) = gate_item_at(&doc, at).unwrap();
        assert_eq!(gates, [Gate::UnitTests]);
        let hover = gate_item(&doc, item, &report, 1_600).unwrap();
        assert_eq!(
            hover,
            "**unit tests**: fail — 1 failure in reports/junit.xml (2 tests): b\n\
             - `reports/junit.xml`\n- evidence from 10 min ago\n\n"
        );
        // An item that names no gate has no gate hover.
        assert!(gate_item_at(&doc, text.find("Talk").unwrap()).is_none());
    }

    #[test]
    fn a_reference_hover_names_the_prp_or_says_it_is_missing() {
        let config = Config::default();
        let prp =
            "# PRP-07: Export orders\n\n**Status**: In Progress\n\n## Goal\n- [x] a\n- [ ] b\n";
        let ws = workspace(
            &[("PRPs/active/07_export.md", prp), ("src/app.py", "")],
            &config,
        );
        let hover = reference(
            &ws,
            "TASK.md",
            "PRPs/active/07_export.md",
            ReferenceKind::PrpPath,
        );
        assert!(
            hover.starts_with("**PRP-07: Export orders** · PRP 7"),
            "{hover}"
        );
        assert!(
            hover.contains("Status: In Progress · 1 of 2 checklist items ticked"),
            "{hover}"
        );
        assert_eq!(
            reference(&ws, "TASK.md", "src/app.py", ReferenceKind::File),
            "`src/app.py` exists"
        );
        assert_eq!(
            reference(&ws, "TASK.md", "src/gone.py", ReferenceKind::File),
            "`src/gone.py` does not exist in the workspace"
        );
        assert_eq!(
            reference(&ws, "TASK.md", "https://x.test", ReferenceKind::Url),
            "URL `https://x.test` (not checked)"
        );
    }
}

/// A hover: Markdown, and the span it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hover {
    pub markdown: String,
    pub span: std::ops::Range<usize>,
}

/// What a hover needs that only the owner of the files has.
pub struct HoverSources<'a> {
    /// The identity paragraph of the context file defining an agent (by the name written).
    pub agent_identity: &'a dyn Fn(&str) -> Option<String>,
    /// The document's gate report, evaluated from the evidence on disk.
    pub gate_report: &'a dyn Fn() -> Option<GateReport>,
    /// Unix seconds.
    pub now: i64,
}

/// The hover at byte `offset` of `doc`: a section heading, a reference, an agent (with the
/// routing signal that chose it, on an assignment) or a gate checklist item.
pub fn hover(
    doc: &Document,
    text: &str,
    ws: &Workspace,
    config: &Config,
    offset: usize,
    sources: &HoverSources,
) -> Option<Hover> {
    use super::at_cursor::{at_cursor, AtCursor};
    let (markdown, span) = match at_cursor(doc, text, offset) {
        AtCursor::Section(i) => (section(doc, config, i), doc.sections[i].heading.clone()),
        AtCursor::Reference(r) => (reference(ws, &doc.path, &r.target, r.kind), r.span.clone()),
        AtCursor::Agent { name, span } => {
            let identity = (sources.agent_identity)(&name);
            let mut markdown = agent(ws, config, &name, identity.as_deref());
            let task = doc
                .tasks
                .iter()
                .position(|t| t.assignee.as_ref().is_some_and(|a| a.span == span));
            if let Some(why) = task.and_then(|t| crate::assign::explain(doc, text, t, ws, config)) {
                markdown.push_str(&format!("\n\n**Routing**: {why}"));
            }
            (markdown, span)
        }
        AtCursor::Nothing => {
            let (item, _) = gate_item_at(doc, offset)?;
            let report = (sources.gate_report)()?;
            let markdown = gate_item(doc, item, &report, sources.now)?;
            (markdown, doc.checklist[item].line.clone())
        }
    };
    Some(Hover { markdown, span })
}
