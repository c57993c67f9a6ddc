//! Code actions at a cursor or selection: quick fixes for the findings on its lines, the
//! document's own actions (move to archive, mark done…), assigning the task under the
//! cursor or every task, generating a PRP from the requirement under the cursor (or opening
//! the PRP a task board item already links), and fix-all. Plain data: the server turns each
//! into a versioned edit or a command.

use std::ops::Range;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::document::scan::Date;
use crate::document::{Document, MarkerState, TaskSource};
use crate::edit::{Change, ChangeKind, TextSource};
use crate::text::LineIndex;
use crate::workspace::Workspace;
use crate::{assign, fixes, generate};

/// How many agents to offer for one task.
const MAX_CANDIDATES: usize = 4;

/// A selection that is a requirement has at least this many letters: editors whose cursor
/// is a one-character selection (Helix, Kakoune) send it with every request.
const MIN_SELECTED_LETTERS: usize = 4;

/// What kind of action, as the editor files it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionKind {
    QuickFix,
    /// A rewrite: assignment, generation, a document action that is no fix.
    Refactor,
    /// Every safe fix of the document at once (editors ask for it on save).
    FixAll,
    /// Opens a file; changes nothing.
    Open,
}

/// The actions the editor asked for.
#[derive(Debug, Clone, Copy, Default)]
pub struct Wanted {
    /// Quick fixes for findings and the document's own actions.
    pub fixes: bool,
    /// Assignment and generation (rewrites).
    pub rewrites: bool,
    pub fix_all: bool,
}

impl Wanted {
    /// What an editor gets when it does not say: everything but fix-all.
    pub fn unspecified() -> Wanted {
        Wanted {
            fixes: true,
            rewrites: true,
            fix_all: false,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Action {
    pub change: Change,
    pub kind: ActionKind,
    /// The findings (indices into the findings given) this action fixes.
    pub fixes: Vec<usize>,
    /// Why the action cannot be taken: shown disabled where the editor can.
    pub refused: Option<String>,
    /// For [`ActionKind::Open`]: the workspace path to open.
    pub open: Option<String>,
}

impl Action {
    fn new(change: Change, kind: ActionKind) -> Action {
        Action {
            change,
            kind,
            fixes: Vec::new(),
            refused: None,
            open: None,
        }
    }
}

/// What the actions read.
pub struct ActionInput<'a> {
    pub doc: &'a Document,
    pub text: &'a str,
    pub ws: &'a Workspace,
    pub config: &'a Config,
    /// Other files' texts (a fix may edit another document).
    pub texts: &'a dyn TextSource,
    /// The document's findings, as `check` made them.
    pub findings: &'a [Diagnostic],
    pub today: Date,
}

fn kind_of(change: &Change) -> ActionKind {
    match change.kind {
        ChangeKind::QuickFix => ActionKind::QuickFix,
        ChangeKind::Refactor => ActionKind::Refactor,
    }
}

/// The task (index into `doc.tasks`) at `offset`: its heading or line, or the notes and
/// assignment lines below it. Tasks nest (a fence task inside a task section), so the one
/// that starts last wins.
pub fn task_at(doc: &Document, offset: usize) -> Option<usize> {
    doc.tasks
        .iter()
        .rposition(|t| t.span.start <= offset && (offset <= t.span.end || offset < t.end))
}

/// The actions for the selection `span` (byte offsets; a cursor is an empty span).
pub fn actions(input: &ActionInput, span: Range<usize>, wanted: Wanted) -> Vec<Action> {
    let ActionInput {
        doc,
        text,
        ws,
        config,
        texts,
        findings,
        today,
    } = *input;
    let mut out: Vec<Action> = Vec::new();
    if wanted.fixes {
        // Findings on the lines the selection touches.
        let lines = LineIndex::new(text);
        let (first, last) = (lines.line_of(span.start), lines.line_of(span.end));
        for (index, d) in findings.iter().enumerate() {
            if lines.line_of(d.span.start) > last || lines.line_of(d.span.end) < first {
                continue;
            }
            for change in fixes::fixes_for(doc, text, ws, config, d, texts) {
                // One action for one change: "disable for this file" fixes every finding
                // of its rule, and is offered once, naming them all.
                match out.iter_mut().find(|a| a.change == change) {
                    Some(same) => same.fixes.push(index),
                    None => {
                        let kind = kind_of(&change);
                        out.push(Action {
                            fixes: vec![index],
                            ..Action::new(change, kind)
                        });
                    }
                }
            }
        }
        for change in fixes::document_actions(doc, text, ws, config, span.clone(), texts, today) {
            let kind = kind_of(&change);
            out.push(Action::new(change, kind));
        }
    }
    if wanted.rewrites {
        if let Some(task) = task_at(doc, span.start) {
            // The current assignee is never offered; a reassignment a finding's quick fix
            // already offers is not offered twice.
            let offered: Vec<String> = out.iter().map(|a| a.change.title.clone()).collect();
            for change in assign::assign_changes(doc, text, task, ws, config)
                .into_iter()
                .filter(|c| !offered.contains(&c.title))
                .take(MAX_CANDIDATES)
            {
                out.push(Action::new(change, ActionKind::Refactor));
            }
        }
        // Routing every task of a document above the size limit is the work the limit skips.
        if text.len() <= config.limits.document_size {
            if let Some(change) = assign::assign_all(doc, text, ws, config) {
                out.push(Action::new(change, ActionKind::Refactor));
            }
        }
        out.extend(generate_actions(input, span));
    }
    if wanted.fix_all && !findings.is_empty() {
        if let Some(change) = fixes::fix_all(doc, text, ws, config, findings, texts) {
            out.push(Action::new(change, ActionKind::FixAll));
        }
    }
    out
}

/// "Generate PRP" from the task board item, the requirement block or the selection under
/// the cursor; "Open PRP-NN" instead on an item that already links a PRP.
fn generate_actions(input: &ActionInput, span: Range<usize>) -> Vec<Action> {
    let ActionInput {
        doc,
        text,
        ws,
        config,
        texts,
        today,
        ..
    } = *input;
    let mut sources: Vec<(generate::Requirement, Option<generate::LinkBack>)> = Vec::new();
    let mut opens = Vec::new();
    if let Some(index) = task_at(doc, span.start) {
        let task = &doc.tasks[index];
        let linked = if task.source == TaskSource::BoardItem {
            fixes::linked_prps(doc, text, index, ws)
        } else {
            Vec::new()
        };
        opens.extend(linked.iter().map(|l| Action {
            open: Some(l.path.clone()),
            ..Action::new(
                Change::new(l.title(), ChangeKind::Refactor, vec![]),
                ActionKind::Open,
            )
        }));
        if linked.is_empty()
            && task.source == TaskSource::BoardItem
            && task.state != Some(MarkerState::Done)
        {
            if let Some(item) = doc.checklist.iter().position(|c| c.line == task.span) {
                let requirement = generate::requirement_from_task_item(doc, text, item);
                sources.push((requirement, Some(generate::LinkBack::after_item(doc, item))));
            }
        }
    }
    for (block, parsed) in generate::requirement_blocks(doc, text) {
        if block.start <= span.start && span.start <= block.end {
            if let Ok(requirement) = parsed {
                sources.push((requirement, None));
            }
        }
    }
    if sources.is_empty() && opens.is_empty() && span.end > span.start {
        let selected = text.get(span.clone()).unwrap_or_default().trim();
        if selected.chars().filter(|c| c.is_alphanumeric()).count() >= MIN_SELECTED_LETTERS {
            sources.push((generate::requirement_from_text(selected), None));
        }
    }
    let generated = sources.into_iter().map(|(requirement, link_back)| {
        match generate::generate(&requirement, link_back.as_ref(), ws, config, texts, today) {
            Ok(generated) => {
                // A fallback template or placeholders left to fill: say so where the user
                // chooses.
                let mut change = generated.change;
                if !generated.warnings.is_empty() {
                    change.title = format!("{} ({})", change.title, generated.warnings.join("; "));
                }
                Action::new(change, ActionKind::Refactor)
            }
            Err(refusal) => {
                let title = format!("Generate PRP: {}", requirement.title);
                Action {
                    refused: Some(refusal),
                    ..Action::new(
                        Change::new(title, ChangeKind::Refactor, vec![]),
                        ActionKind::Refactor,
                    )
                }
            }
        }
    });
    opens.into_iter().chain(generated).collect()
}
