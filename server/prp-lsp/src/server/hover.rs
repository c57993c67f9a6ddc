//! Hover: what the profile expects of a section, where a reference leads (a PRP's title,
//! status and progress), who an agent is.

use prp_analysis::document::{DocKind, ReferenceKind};
use prp_analysis::rules::{choose_profile, required_sections};
use prp_analysis::workspace::Resolution;
use tower_lsp_server::ls_types::*;

use super::at_cursor::{agent_identity, at_cursor, AtCursor};
use super::state::State;
use crate::project::{Analyzed, Endpoint, Project, CONFIG_FILES};

/// What each canonical section is for, in a sentence.
fn purpose(canonical: &str) -> &'static str {
    match canonical {
        "Goal" => "What the work must achieve: the end state, stated so an agent can tell when it is done.",
        "Why" => "The business value and the problem it solves: why this work matters now.",
        "What" => "The user-visible behaviour and technical requirements.",
        "Success Criteria" => "Measurable outcomes, usually a checklist; all ticked before the PRP is finished.",
        "All Needed Context" => "Files, docs and URLs the agent must read (`- file:`, `- docfile:`, `- url:` items).",
        "Implementation Blueprint" => "How to build it: data models, patterns, pseudocode.",
        "Tasks" => "The ordered tasks, each with the files it creates or modifies and the agent assigned.",
        "Validation Loop" => "Commands that prove the work: syntax and style, unit tests, integration tests.",
        "Final Validation Checklist" => "The last checks before the PRP is finished.",
        "Anti-Patterns to Avoid" => "Mistakes the agent must not make.",
        "Pre-Implementation" => "What must be true before work starts: prerequisites and dependencies.",
        "Rollback Plan" => "How to undo the change if the deployment fails.",
        "Deployment Steps" => "How the change reaches production.",
        "Post-Deployment" => "What to watch after release.",
        "Priority" => "Critical, High, Medium or Low.",
        "Complexity" => "S, M, L or XL.",
        "Modules Affected" => "The modules the change touches; they decide which agents take the tasks.",
        "Estimated Effort" => "How long the work should take.",
        _ => "",
    }
}

fn hover_text(value: String, range: Option<Range>, markdown: bool) -> Hover {
    let kind = if markdown {
        MarkupKind::Markdown
    } else {
        MarkupKind::PlainText
    };
    Hover {
        contents: HoverContents::Markup(MarkupContent { kind, value }),
        range,
    }
}

fn section_hover(project: &Project, a: &Analyzed, index: usize) -> String {
    let doc = &a.doc;
    let section = &doc.sections[index];
    if doc.kind != DocKind::Prp {
        return format!("**{}**", section.name.display);
    }
    let choice = choose_profile(doc, &project.config);
    let profile = choice.profile;
    let mut out = match &section.canonical {
        Some(c) => format!("**{c}** — {}\n\n", purpose(c)),
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

fn reference_hover(project: &Project, a: &Analyzed, target: &str, kind: ReferenceKind) -> String {
    if kind == ReferenceKind::Url {
        return format!("URL `{target}` (not checked)");
    }
    match project.ws.resolve(&a.doc.path, target) {
        Resolution::Found(path) => match project.ws.facts(&path) {
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

fn agent_hover(project: &Project, name: &str) -> String {
    let Some(agent) = project.ws.agent(name) else {
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
    if let Some(identity) = agent_identity(project, agent) {
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
    match prp_analysis::status::describe(&agent.id, &project.ws, &project.config) {
        Some(status) => out.push_str(&format!("\n\n{status}")),
        None => {
            let id = prp_analysis::workspace::normalize_agent_id(&agent.id);
            let assigned = project
                .ws
                .documents()
                .flat_map(|(_, f)| &f.tasks)
                .filter(|t| t.assignee.as_deref() == Some(id.as_str()));
            let (done, open): (Vec<_>, Vec<_>) = assigned.partition(|t| t.done);
            out.push_str(&format!(
                "\n\nTasks assigned in the workspace: {} open, {} done",
                open.len(),
                done.len()
            ));
        }
    }
    out
}

/// On a pre-deployment checklist item: each gate it stands for, with the verdict, the
/// evidence files, counts and age.
fn gate_item_hover(
    project: &Project,
    a: &Analyzed,
    offset: usize,
) -> Option<(String, std::ops::Range<usize>)> {
    use prp_analysis::gates::{checklist_gates, is_gate_checklist};
    let doc = &a.doc;
    let item = doc
        .checklist
        .iter()
        .find(|c| c.line.start <= offset && offset <= c.line.end)?;
    item.section
        .filter(|s| is_gate_checklist(&doc.sections[*s]))?;
    let gates = checklist_gates(&item.text);
    if gates.is_empty() {
        return None;
    }
    let now = crate::project::now_seconds();
    let report = project
        .ws
        .gate_report(&doc.path)
        .cloned()
        .or_else(|| project.gate_report(&doc.path, now))?;
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
                prp_analysis::status::relative(now - newest)
            ));
        }
        out.push('\n');
    }
    (!out.is_empty()).then(|| (out, item.line.clone()))
}

/// Hover on `url` under `[status]` in prp-lsp.toml: whether prp-lsp contacts that endpoint,
/// and how to allow it when it does not.
fn config_hover(state: &State, params: &TextDocumentPositionParams) -> Option<Hover> {
    let key = state.key_of(&params.text_document.uri)?;
    if !CONFIG_FILES.contains(&key.as_str()) {
        return None;
    }
    let open = state.open.get(&key)?;
    let line_index = params.position.line as usize;
    let line = open.text.line(line_index)?;
    let is_url_key = line
        .trim_start()
        .strip_prefix("url")
        .is_some_and(|rest| rest.trim_start().starts_with('='));
    let table = (0..line_index).rev().find_map(|i| {
        let l = open.text.line(i).unwrap_or_default();
        let l = l.trim();
        (l.starts_with('[') && l.ends_with(']'))
            .then(|| l.trim_matches(['[', ']']).trim().to_string())
    });
    if !is_url_key || table.as_deref() != Some("status") {
        return None;
    }
    let guard = state.read_project();
    let value = match guard.as_deref()?.status_endpoint() {
        Endpoint::Allowed(url) => format!(
            "**Monitoring endpoint** {url}\n\nPolled for agent status: you allowed it in your editor's settings."
        ),
        Endpoint::NotAllowed(url) => format!(
            "**Monitoring endpoint** {url}\n\n**Not polled until you allow it.** A URL that comes only from the repository's files is never contacted, so that opening a cloned repository makes no requests on your network. To allow it, set `prp-lsp.status.allow-url` to `true` in your editor's *user* settings (or put the URL there yourself); on the command line, `prp-lsp agents --allow-url`."
        ),
        Endpoint::None => return None,
    };
    Some(hover_text(value, None, state.support().markdown_hover))
}

pub fn hover(state: &State, params: &TextDocumentPositionParams) -> Option<Hover> {
    if let Some(hover) = config_hover(state, params) {
        return Some(hover);
    }
    state.with_document(&params.text_document.uri, |project, a, positions| {
        let offset = positions.offset(params.position);
        let (value, span) = match at_cursor(a, offset) {
            AtCursor::Section(i) => (
                section_hover(project, a, i),
                a.doc.sections[i].heading.clone(),
            ),
            AtCursor::Reference(r) => (
                reference_hover(project, a, &r.target, r.kind),
                r.span.clone(),
            ),
            AtCursor::Agent { name, span } => {
                let mut value = agent_hover(project, &name);
                // On an assignment: which routing signal chose this agent.
                let task = a
                    .doc
                    .tasks
                    .iter()
                    .position(|t| t.assignee.as_ref().is_some_and(|x| x.span == span));
                if let Some(why) = task.and_then(|t| {
                    prp_analysis::assign::explain(&a.doc, &a.text, t, &project.ws, &project.config)
                }) {
                    value.push_str(&format!("\n\n**Routing**: {why}"));
                }
                (value, span)
            }
            AtCursor::Nothing => {
                let (value, span) = gate_item_hover(project, a, offset)?;
                (value, span)
            }
        };
        Some(hover_text(
            value,
            Some(positions.range(&span)),
            state.support().markdown_hover,
        ))
    })
}
