//! Writing an assignment in the document's own style.

use std::collections::HashMap;

use super::rank::{candidates, ranked, Candidate};
use crate::config::Config;
use crate::document::{Document, MarkerState, Task, TaskSource};
use crate::edit::{Change, ChangeKind, FileChange, TextEdit};
use crate::workspace::{normalize_agent_id, Workspace};

/// Assigns task `task` (an index into `doc.tasks`) to the candidate: an `**Assigned to**:`
/// line under a task heading, `@agent` on a task board item, an indented `Assigned to:`
/// line under a `Task N:` line in a fence; an existing assignment's value is replaced.
///
/// Panics when `task` is not an index into `doc.tasks`.
pub fn assign_change(doc: &Document, text: &str, task: usize, candidate: &Candidate) -> Change {
    let edit = assignment_edit(text, &doc.tasks[task], &candidate.agent);
    Change::new(
        format!("Assign to {} — {}", candidate.agent, candidate.reason),
        ChangeKind::Refactor,
        vec![FileChange::Edit {
            path: doc.path.clone(),
            edits: vec![edit],
        }],
    )
}

/// One change per candidate, best first, the current assignee left out. The best is the
/// preferred change only for an unassigned task: re-assigning is always a choice.
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
    let current = t.assignee.as_ref().map(|a| normalize_agent_id(&a.value));
    let mut changes: Vec<Change> = candidates(doc, text, task, ws, config)
        .iter()
        .filter(|c| current.as_deref() != Some(normalize_agent_id(&c.agent).as_str()))
        .map(|c| assign_change(doc, text, task, c))
        .collect();
    if let (Some(best), None) = (changes.first_mut(), &current) {
        best.preferred = true;
    }
    changes
}

/// Assigns every open, unassigned task of the document to its best candidate, in one
/// change. Each assignment counts toward its agent's load for the tasks after it.
pub fn assign_all(doc: &Document, text: &str, ws: &Workspace, config: &Config) -> Option<Change> {
    let mut pending: HashMap<String, usize> = HashMap::new();
    let mut edits = Vec::new();
    for (i, t) in doc.tasks.iter().enumerate() {
        if t.assignee.is_some() || t.state == Some(MarkerState::Done) {
            continue;
        }
        let Some(best) = ranked(doc, text, i, ws, config, &pending)
            .into_iter()
            .next()
        else {
            continue;
        };
        *pending.entry(normalize_agent_id(&best.agent)).or_default() += 1;
        edits.push(assignment_edit(text, t, &best.agent));
    }
    if edits.is_empty() {
        return None;
    }
    Some(Change::new(
        format!("Assign all unassigned tasks ({})", edits.len()),
        ChangeKind::Refactor,
        vec![FileChange::Edit {
            path: doc.path.clone(),
            edits,
        }],
    ))
}

fn assignment_edit(text: &str, task: &Task, agent: &str) -> TextEdit {
    let eol = line_ending(text);
    match (&task.source, &task.assignee) {
        (TaskSource::BoardItem, Some(a)) if text[a.span.clone()].starts_with('@') => {
            TextEdit::replace(a.span.clone(), format!("@{}", mention(agent)))
        }
        (_, Some(a)) => TextEdit::replace(a.span.clone(), agent),
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
