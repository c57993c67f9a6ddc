//! Writing an assignment in the document's own style.

use std::collections::HashMap;

use super::rank::{Candidate, Router, Subject};
use super::signals::DocSignals;
use crate::config::Config;
use crate::document::{Document, Lifecycle, Task, TaskSource};
use crate::edit::{Change, ChangeKind, FileChange, TextEdit};
use crate::workspace::{normalize_agent_id, Workspace};

/// Assigns task `task` (an index into `doc.tasks`) to the candidate: an `**Assigned to**:`
/// line under a task heading, `@agent` on a task board item, an indented `Assigned to:`
/// line under a `Task N:` line in a fence; an existing assignment's value is replaced, and
/// nothing else changes.
///
/// Panics when `task` is not an index into `doc.tasks`.
pub fn assign_change(doc: &Document, text: &str, task: usize, candidate: &Candidate) -> Change {
    let t = &doc.tasks[task];
    let verb = if t.assignee.is_some() {
        "Reassign"
    } else {
        "Assign"
    };
    titled_change(doc, text, t, candidate, verb, &candidate.title_reason())
}

fn titled_change(
    doc: &Document,
    text: &str,
    task: &Task,
    candidate: &Candidate,
    verb: &str,
    reason: &str,
) -> Change {
    let edit = assignment_edit(text, task, &candidate.agent);
    Change::new(
        format!("{verb} to {} — {reason}", candidate.agent),
        ChangeKind::Refactor,
        vec![FileChange::Edit {
            path: doc.path.clone(),
            edits: vec![edit],
        }],
    )
}

/// One change per agent that can take the task, best first, its current assignee left out.
/// The best is the preferred change only for an unassigned task: re-assigning work from a
/// healthy agent is a choice. A task whose agent cannot work now (stuck, offline, …) says
/// so in each title ("Reassign to backend — frontend is stuck; keyword `endpoint`").
pub fn assign_changes(
    doc: &Document,
    text: &str,
    task: usize,
    ws: &Workspace,
    config: &Config,
) -> Vec<Change> {
    let Some(t) = doc.tasks.get(task) else {
        return Vec::new();
    };
    let router = Router::new(ws, config);
    let shared = DocSignals::of(doc, text);
    let route = router.route(
        &Subject::of_task(doc, text, t, ws, &shared),
        &HashMap::new(),
    );
    let current = t.assignee.as_ref().map(|a| normalize_agent_id(&a.value));
    let current_unfit = t.assignee.as_ref().and_then(|a| router.unfit(&a.value));
    let mut changes: Vec<Change> = route
        .candidates
        .iter()
        .filter(|c| current.as_deref() != Some(normalize_agent_id(&c.agent).as_str()))
        .map(|c| {
            let mut passed = c.passed_over.clone();
            if let Some(why) = &current_unfit {
                if !passed.contains(why) {
                    passed.insert(0, why.clone());
                }
            }
            passed.push(c.reason.clone());
            let verb = if current.is_some() {
                "Reassign"
            } else {
                "Assign"
            };
            titled_change(doc, text, t, c, verb, &passed.join("; "))
        })
        .collect();
    if let Some(best) = changes.first_mut() {
        best.preferred = current.is_none() || current_unfit.is_some();
    }
    changes
}

/// The task whose assignment (or `@mention` on its line) holds `span`.
pub fn task_assigned_at(doc: &Document, span: &crate::document::Span) -> Option<usize> {
    doc.tasks.iter().rposition(|t| {
        t.assignee
            .as_ref()
            .is_some_and(|a| a.span.start <= span.start && span.end <= a.span.end)
    })
}

/// "Reassign to <healthy agent>" for the task assigned at `span`, when its agent cannot
/// work now (the fix of `agent-stuck`, `agent-offline` and `agent-error-rate`): the best
/// agent that can, preferred; nothing when no other agent can take the task.
pub fn reassign_change(
    doc: &Document,
    text: &str,
    span: &crate::document::Span,
    ws: &Workspace,
    config: &Config,
) -> Option<Change> {
    let task = task_assigned_at(doc, span)?;
    let mut best = assign_changes(doc, text, task, ws, config)
        .into_iter()
        .next()?;
    best.preferred = true;
    best.kind = ChangeKind::QuickFix;
    Some(best)
}

/// Whether a task is settled work (see [`Document::is_settled`]).
pub fn settled(doc: &Document, task: &Task) -> bool {
    doc.is_settled(task)
}

/// Whether `assign` places the task: open work of a live document, not yet assigned, not an
/// example of the board's syntax, and not a checkbox nested under a board item (a step or a
/// criterion of the item's work, which goes with the item).
pub fn wants_agent(doc: &Document, task: &Task) -> bool {
    let nested = task.source == TaskSource::BoardItem
        && doc
            .checklist_item_at(task.span.start)
            .is_some_and(|c| c.line == task.span && c.depth > 0);
    doc.lifecycle != Lifecycle::Finished
        && task.assignee.is_none()
        && !nested
        && !settled(doc, task)
        && !doc.in_example(task.section)
}

/// A task `assign` could not place, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unplaced {
    /// Index into `doc.tasks`.
    pub task: usize,
    /// Zero-based line of the task.
    pub line: u32,
    pub title: String,
    pub reason: String,
}

/// What assigning every open, unassigned task of a document does.
#[derive(Debug, Clone, Default)]
pub struct Assignments {
    /// One change with every assignment; `None` when there is none to make.
    pub change: Option<Change>,
    /// The tasks no agent can take.
    pub unplaced: Vec<Unplaced>,
}

/// Assigns every open, unassigned task of the document to its best candidate, in one
/// change, and lists those no agent can take. Each assignment counts toward its agent's
/// load for the tasks after it. Finished PRPs, settled tasks and examples are left alone.
pub fn plan_all(doc: &Document, text: &str, ws: &Workspace, config: &Config) -> Assignments {
    let router = Router::new(ws, config);
    let shared = DocSignals::of(doc, text);
    let mut pending: HashMap<String, usize> = HashMap::new();
    let mut edits = Vec::new();
    let mut unplaced = Vec::new();
    for (i, t) in doc.tasks.iter().enumerate() {
        if !wants_agent(doc, t) {
            continue;
        }
        let route = router.route(&Subject::of_task(doc, text, t, ws, &shared), &pending);
        let Some(best) = route.best() else {
            let title = match (t.title.trim(), t.number) {
                ("", Some(n)) => format!("Task {n}"),
                ("", None) => "(untitled task)".to_string(),
                (title, _) => title.to_string(),
            };
            unplaced.push(Unplaced {
                task: i,
                line: t.line,
                title,
                reason: route.unroutable().unwrap_or_default(),
            });
            continue;
        };
        *pending.entry(normalize_agent_id(&best.agent)).or_default() += 1;
        edits.push(assignment_edit(text, t, &best.agent));
    }
    let change = (!edits.is_empty()).then(|| {
        Change::new(
            format!("Assign all unassigned tasks ({})", edits.len()),
            ChangeKind::Refactor,
            vec![FileChange::Edit {
                path: doc.path.clone(),
                edits,
            }],
        )
    });
    Assignments { change, unplaced }
}

/// [`plan_all`]'s change alone.
pub fn assign_all(doc: &Document, text: &str, ws: &Workspace, config: &Config) -> Option<Change> {
    plan_all(doc, text, ws, config).change
}

fn assignment_edit(text: &str, task: &Task, agent: &str) -> TextEdit {
    let eol = line_ending(text);
    match (&task.source, &task.assignee) {
        (_, Some(a)) if text[a.span.clone()].starts_with('@') => {
            TextEdit::replace(a.span.clone(), format!("@{}", mention(agent)))
        }
        (_, Some(a)) => replace_name(text, a.span.clone(), agent),
        (TaskSource::Heading, None) => insert_line_after(
            text,
            task.span.end,
            &format!("**Assigned to**: {agent}"),
            eol,
        ),
        (TaskSource::FenceLine, None) => {
            let line_start = text[..task.span.start].rfind('\n').map_or(0, |i| i + 1);
            let indent = &text[line_start..task.span.start];
            let line = format!("{indent}  Assigned to: {agent}");
            insert_line_after(text, task.span.end, &line, eol)
        }
        (TaskSource::BoardItem, None) => {
            let item = &text[task.span.clone()];
            let end = task.span.start + item.trim_end().len();
            TextEdit::insert(end, format!(" @{}", mention(agent)))
        }
    }
}

/// Replaces the agent's name in an assignment value, and only the name: backticks,
/// `_agent` suffixes and emphasis around it stay, line breaks are never touched.
fn replace_name(text: &str, span: crate::document::Span, agent: &str) -> TextEdit {
    let value = &text[span.clone()];
    // An assignment value never spans lines; if the parser's span does, keep to the first.
    let first_line = value.split(['\r', '\n']).next().unwrap_or_default();
    let trimmed_start = first_line.len() - first_line.trim_start().len();
    let inner = first_line.trim();
    let core = inner.trim_matches(['`', '*', '_', '"', '\'']);
    let lead = inner.find(core).unwrap_or(0);
    let start = span.start + trimmed_start + lead;
    TextEdit::replace(start..start + core.len(), agent)
}

/// Inserts `line` after the line holding `offset` (at the end of a last line without one).
fn insert_line_after(text: &str, offset: usize, line: &str, eol: &str) -> TextEdit {
    match text[offset..].find('\n') {
        Some(i) => TextEdit::insert(offset + i + 1, format!("{line}{eol}")),
        None => TextEdit::insert(text.len(), format!("{eol}{line}")),
    }
}

/// The document's line ending, from its first line.
fn line_ending(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if text[..i].ends_with('\r') => "\r\n",
        _ => "\n",
    }
}

/// An `@mention` is one word.
fn mention(agent: &str) -> String {
    agent.split_whitespace().collect::<Vec<_>>().join("_")
}
